/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-importer.h: the body shared by importer harnesses that check only the
 * framework's contract: the importer over any bytes, through the in-memory
 * source and a counting sink, either imports (records, maybe anomalies) or
 * rejects with a message naming the problem; never a crash or a leak.
 * *c holds what the sink received, for harness-specific checks.
 */
#ifndef TESTS_FUZZ_FZ_IMPORTER_H
#define TESTS_FUZZ_FZ_IMPORTER_H

#include "core/common.h"

#include "core/dderr.h"
#include "core/sink.h"
#include "ingest/ingest.h"

static inline int
fz_import(const char *name, const uint8_t *data, size_t size,
    struct sink_count *c)
{
	struct dd_err e = DD_ERR_INIT;
	struct sink k;
	int rc;

	sink_count_init(&k, c);
	rc = ingest_buffer(ingest_find(name), data, size, "fuzz", &k, NULL,
	    NULL, &e);
	if (rc != 0 && (e.code != rc || e.msg[0] == '\0'))
		__builtin_trap();
	return rc;
}

#endif
