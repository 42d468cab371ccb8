/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-k8smanifest.c: Kubernetes manifests (YAML through libyaml, JSON)
 * through fz_import: alias bombs, deep nesting and broken
 * documents are anomalies or errors, never a crash or a hang.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("k8smanifest", data, size, &c);
	return 0;
}
