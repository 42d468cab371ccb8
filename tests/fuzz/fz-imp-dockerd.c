/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-dockerd.c: Docker daemon configuration (daemon.json, units, option files)
 * through fz_import: hostile quoting and flags are rows or
 * errors, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;

	(void)fz_import("dockerd", data, size, &c);
	return 0;
}
