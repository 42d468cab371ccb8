/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-template.c: the importer to copy when adding a format.
 *
 * Registered under the test-only name "template" (never sniffed; reachable
 * with --as template). It parses a toy line format, "key=value" lines, to
 * show the contract end to end: streaming reads through ctx->src, every
 * byte through core/rd.h, the scratch arena rewound per record, anomalies
 * for malformed records with their offsets, and a bounded line length.
 *
 * Copy me:
 *  1. cp ingest/imp-template.c ingest/imp-<fmt>.c; rename imp_template_*.
 *  2. Replace this comment with the format's spec references and an ASCII
 *     diagram of its structures.
 *  3. Write sniff: pure, scoring verified bits (a 32-bit magic scores 32,
 *     a plausible version 16 more), 0 for "not mine".
 *  4. Write import: read through ingest_src_read() and struct rd, emit to
 *     ctx->sink, record malformed records with ingest_anomaly() and go on
 *     at the next boundary; stop only on DD_ELIMIT or I/O errors.
 *  5. Add it to ingest/registry.c (sorted), fixtures to datasets/, a
 *     golden test to tests/cli/ and a fuzz target tests/fuzz/fz-imp-<fmt>.c.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "ingest/ingest.h"

static int
imp_template_sniff(const uint8_t *head, size_t n, const char *basename)
{
	struct rd r;
	const uint8_t *line;
	size_t len;

	(void)basename;
	rd_init(&r, head, n, 0);
	/* The toy format starts with the line "drydock-template". */
	if (rd_until(&r, '\n', &line, &len) != 0 || len != 16 ||
	    memcmp(line, "drydock-template", 16) != 0)
		return 0;
	return 128;
}

/* Check one record (a line without its newline) at offset off. */
static int
imp_template_record(struct imp_ctx *ctx, const uint8_t *p, size_t n,
    uint64_t off)
{
	struct rd r;
	const uint8_t *key;
	size_t klen;

	rd_init(&r, p, n, off);
	if (n == 0)
		return 0;
	if (rd_until(&r, '=', &key, &klen) != 0 || klen == 0)
		return ingest_anomaly(ctx, (int64_t)off,
		    "line at offset %" PRIu64 " is not key=value", off);
	return 0;
}

static int
imp_template_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct sbuf line = SBUF_INIT;
	uint8_t buf[65536];
	uint64_t off = 0, line_off = 0;
	bool skipping = false;
	size_t got, i;
	int rc = 0;

	sbuf_init(&line, LIM_TEXT_LINE);
	for (;;) {
		if ((rc = ingest_src_read(ctx, buf, sizeof(buf), &got, e)) < 0)
			goto out;
		if (got == 0)
			break;
		for (i = 0; i < got; i++, off++) {
			if (buf[i] != '\n') {
				if (!skipping && sbuf_addch(&line, buf[i]) < 0) {
					skipping = true;
					rc = ingest_anomaly(ctx,
					    (int64_t)line_off,
					    "line at offset %" PRIu64
					    " is longer than %u bytes",
					    line_off, LIM_TEXT_LINE);
					if (rc < 0)
						goto out;
				}
				continue;
			}
			if (!skipping && line_off > 0) {
				struct arena_mark m = arena_mark(ctx->scratch);
				rc = imp_template_record(ctx,
				    (const uint8_t *)line.buf, line.len,
				    line_off);
				arena_rewind(ctx->scratch, m);
				if (rc < 0)
					goto out;
			}
			sbuf_reset(&line);
			skipping = false;
			line_off = off + 1;
		}
		if (ctx->progress)
			ctx->progress(ctx->progress_user, off);
	}
	if (line.len > 0 && !skipping && line_off > 0)
		rc = imp_template_record(ctx, (const uint8_t *)line.buf,
		    line.len, line_off);
out:
	sbuf_release(&line);
	if (rc == DD_ELIMIT && (e == NULL || e->code == 0))
		dd_err_set(e, DD_ELIMIT, "more than %u anomalies",
		    LIM_ANOMALIES);
	return rc;
}

const struct importer imp_template = {
	.abi = INGEST_ABI,
	.name = "template",
	.version = "1",
	.summary = "test-only toy format (key=value lines); copy me",
	.kind = EV_RAW,
	.flags = IMP_TESTONLY,
	.sniff = imp_template_sniff,
	.import = imp_template_import,
	.options = NULL,
};
