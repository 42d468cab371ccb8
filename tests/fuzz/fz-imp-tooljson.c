/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-tooljson.c: Falco, Tracee and sysdig -j output
 * through fz_import: torn lines, foreign JSON and unpaired sysdig
 * enters are anomalies or rows, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("tooljson", data, size, &c);
	return 0;
}
