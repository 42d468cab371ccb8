/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-audit.c: the Linux audit log importer
 * through fz_import: torn records, interleaved events and hex fields are
 * anomalies or rows, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("audit", data, size, &c);
	return 0;
}
