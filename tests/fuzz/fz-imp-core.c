/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-core.c: the core importer (ELF cores) through fz_import; an
 * imported core is one process, and the stack walk (argv, environ from
 * the auxv copy) stays inside its buffer (ASan).
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sink_count c;
	int rc = fz_import("core", data, size, &c);

	if (rc == 0 && c.processes != 1)
		__builtin_trap();
	return 0;
}
