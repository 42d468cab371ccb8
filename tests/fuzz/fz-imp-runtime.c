/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-runtime.c: a copied container-runtime root (tar)
 * through fz_import: whiteouts, opaque directories, hard
 * links and layer chains from hostile names: rows or anomalies, never a
 * crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("runtime", data, size, &c);
	return 0;
}
