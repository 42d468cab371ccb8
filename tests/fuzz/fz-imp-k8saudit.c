/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-k8saudit.c: the Kubernetes audit log importer
 * through fz_import: torn lines and foreign JSON are anomalies, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("k8saudit", data, size, &c);
	return 0;
}
