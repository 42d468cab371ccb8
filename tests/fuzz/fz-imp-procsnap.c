/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-procsnap.c: the /proc snapshot importer (tars) through
 * fz_import: members of the wrong shape are anomalies, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("procsnap", data, size, &c);
	return 0;
}
