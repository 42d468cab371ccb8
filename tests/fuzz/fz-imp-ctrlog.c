/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-ctrlog.c: the container log importer (json-file, CRI, journald)
 * through fz_import: torn lines are anomalies, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("ctrlog", data, size, &c);
	return 0;
}
