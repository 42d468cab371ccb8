/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-dockerdiff.c: docker diff output
 * through fz_import: foreign lines are anomalies, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("dockerdiff", data, size, &c);
	return 0;
}
