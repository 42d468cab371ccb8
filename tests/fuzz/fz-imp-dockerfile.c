/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-dockerfile.c: the Dockerfile importer (directives, comments,
 * continuations, heredocs, stages) and the history/line keys of
 * ingest/dockerfile.c over hostile input.
 *
 * Invariants (trap on violation): the anomalies returned equal the
 * anomaly records sent; the history key of any text is NUL-terminated and
 * never longer than the text plus the instruction word.
 */
#include "core/common.h"

#include <string.h>

#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "core/xmalloc.h"
#include "ingest/dockerfile.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct sink_count c;
	struct sink k;
	struct sbuf key = SBUF_INIT;
	uint64_t n = 0;
	char *txt;

	sink_count_init(&k, &c);
	(void)ingest_buffer(ingest_find("dockerfile"), data, size, "fuzz", &k,
	    NULL, &n, &e);
	if (n != c.anomalies)
		__builtin_trap();
	txt = xstrndup((const char *)data, size);
	sbuf_init(&key, SBUF_MAX_DEFAULT);
	(void)df_history_key(txt, &key);
	if (key.len > strlen(txt) + 16 || key.buf[key.len] != 0)
		__builtin_trap();
	sbuf_release(&key);
	free(txt);
	return 0;
}
