/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-core.c: the core importer over any bytes, through the framework's
 * in-memory source and a counting sink: it either imports (records, maybe
 * anomalies) or rejects with a message, never crashes, and the stack walk
 * (argv, environ from auxv's copy) stays inside its buffer.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/sink.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct sink_count c;
	struct sink k;
	int rc;

	sink_count_init(&k, &c);
	rc = ingest_buffer(ingest_find("core"), data, size, "fuzz", &k, NULL,
	    NULL, &e);
	if (rc != 0 && (e.code != rc || e.msg[0] == '\0'))
		__builtin_trap();
	if (rc == 0 && c.processes != 1)
		__builtin_trap();
	return 0;
}
