/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-evidence.c: findings about the evidence itself, which an examiner
 * must know before trusting any other finding.
 *
 * Rules (all from the artifacts and anomalies relations):
 *   ev.unparsed        evidence kept bit-exact but not parsed (no importer
 *                      recognised it): its contents reach no other
 *                      analyzer. One finding per file, or per group.
 *   ev.anomalies       an import recorded anomalies (truncation, bad
 *                      records...): what was parsed is incomplete.
 *   ev.reference       evidence kept by reference (path and hash only):
 *                      the original is not in the case.
 *   ev.changed         the same evidence name was ingested twice with
 *                      different content (re-collected, rotated or
 *                      tampered with).
 *   ev.clock_offset    an examiner shifted an artifact's clock: its times
 *                      in every view are adjusted.
 */
#include "core/common.h"

#include "analyzers/analyzer.h"
#include "core/dderr.h"
#include "core/sbuf.h"

static int
an_evidence_emit(struct an_ctx *ctx, const char *rule, enum finding_sev sev,
    const char *id, const char *title, const char *detail, const char *id2)
{
	struct finding_ref ev[2];
	struct finding f;

	memset(&f, 0, sizeof(f));
	ev[0].a = "artifacts";
	ev[0].b = id;
	ev[1].a = "artifacts";
	ev[1].b = id2;
	f.rule = rule;
	f.severity = sev;
	f.confidence = 1.0;
	f.title = title;
	f.detail = detail;
	f.evidence = ev;
	f.nevidence = id2 ? 2 : 1;
	return an_emit(ctx, &f);
}

/* Row: id, name, n_raw, example names (groups: members aggregated). */
static int
an_evidence_unparsed_row(void *user, const struct rowq_row *r,
    struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	int64_t n = rowq_int(r, 2);
	int rc;

	(void)e;
	if (rowq_int(r, 4)) {
		sbuf_addf(&t, "%" PRId64 " file%s in '%s' kept but not parsed",
		    n, n == 1 ? "" : "s", rowq_text(r, 1));
		sbuf_addf(&d,
		    "No importer recognised %" PRId64 " member%s of this "
		    "directory input (for example: %s). They are kept "
		    "bit-exact and hashed, but no analyzer sees their "
		    "contents. If they are evidence drydock should read, "
		    "ingest them again with --as ID.",
		    n, n == 1 ? "" : "s", rowq_text(r, 3));
	} else {
		sbuf_addf(&t, "'%s' kept but not parsed", rowq_text(r, 1));
		sbuf_addf(&d,
		    "No importer recognised this file. It is kept bit-exact "
		    "and hashed, but no analyzer sees its contents. If it is "
		    "evidence drydock should read, ingest it again with --as "
		    "ID.");
	}
	rc = an_evidence_emit(ctx, "ev.unparsed", SEV_INFO, rowq_text(r, 0),
	    t.buf, d.buf, NULL);
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

static int
an_evidence_anomaly_row(void *user, const struct rowq_row *r,
    struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	int64_t n = rowq_int(r, 2);
	int rc;

	(void)e;
	sbuf_addf(&t, "%" PRId64 " anomal%s importing '%s'", n,
	    n == 1 ? "y" : "ies", rowq_text(r, 1));
	sbuf_addf(&d,
	    "The importer recorded %" PRId64 " anomal%s (first: %s). What "
	    "was parsed from this artifact may be incomplete; the original "
	    "is kept intact. List them with: drydock query CASE \"SELECT * "
	    "FROM anomalies WHERE artifact_id = %s\"",
	    n, n == 1 ? "y" : "ies", rowq_text(r, 3), rowq_text(r, 0));
	rc = an_evidence_emit(ctx, "ev.anomalies", SEV_LOW, rowq_text(r, 0),
	    t.buf, d.buf, NULL);
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

static int
an_evidence_reference_row(void *user, const struct rowq_row *r,
    struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	int rc;

	(void)e;
	sbuf_addf(&t, "'%s' kept by reference only", rowq_text(r, 1));
	sbuf_addf(&d,
	    "Only the path (%s) and SHA-256 (%s) of this evidence are in "
	    "the case; the bytes are not. Keep the original safe: 'drydock "
	    "verify' re-hashes it while the path is reachable.",
	    rowq_text(r, 2), rowq_text(r, 3));
	rc = an_evidence_emit(ctx, "ev.reference", SEV_INFO, rowq_text(r, 0),
	    t.buf, d.buf, NULL);
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

static int
an_evidence_changed_row(void *user, const struct rowq_row *r,
    struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	int rc;

	(void)e;
	sbuf_addf(&t, "'%s' ingested twice with different content",
	    rowq_text(r, 2));
	sbuf_addf(&d,
	    "Artifacts %s (sha256 %s, %s bytes) and %s (sha256 %s, %s bytes) "
	    "share the name '%s' but differ. The evidence was collected "
	    "twice and changed in between (rotated, still being written, or "
	    "tampered with).",
	    rowq_text(r, 0), rowq_text(r, 3), rowq_text(r, 5), rowq_text(r, 1),
	    rowq_text(r, 4), rowq_text(r, 6), rowq_text(r, 2));
	rc = an_evidence_emit(ctx, "ev.changed", SEV_MEDIUM, rowq_text(r, 1),
	    t.buf, d.buf, rowq_text(r, 0));
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

static int
an_evidence_offset_row(void *user, const struct rowq_row *r,
    struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT;
	int rc;

	(void)e;
	sbuf_addf(&t, "clock of '%s' shifted by %.9f s", rowq_text(r, 1),
	    (double)rowq_int(r, 2) / 1e9);
	sbuf_addf(&d,
	    "An examiner set a clock offset of %" PRId64 " ns (time zone "
	    "%s) on this artifact; every time it records is shown shifted. "
	    "The change is in the custody chain.",
	    rowq_int(r, 2), rowq_text(r, 3));
	rc = an_evidence_emit(ctx, "ev.clock_offset", SEV_INFO,
	    rowq_text(r, 0), t.buf, d.buf, NULL);
	sbuf_release(&t);
	sbuf_release(&d);
	return rc;
}

static int
an_evidence_finish(struct an_ctx *ctx, struct dd_err *e)
{
	int rc;

	/* Top-level raw files, then groups with raw members. */
	if ((rc = an_query(ctx,
		 "SELECT id, name, 1, name, 0 FROM artifacts WHERE parsed = 0 "
		 "AND group_id IS NULL AND format != 'group' "
		 "UNION ALL "
		 "SELECT g.id, g.name, count(*), "
		 "(SELECT group_concat(name, ', ') FROM (SELECT m2.name FROM "
		 "artifacts m2 WHERE m2.group_id = g.id AND m2.parsed = 0 "
		 "ORDER BY m2.name LIMIT 3)), 1 "
		 "FROM artifacts g JOIN artifacts m ON m.group_id = g.id "
		 "WHERE m.parsed = 0 GROUP BY g.id ORDER BY 1",
		 NULL, 0, an_evidence_unparsed_row, ctx, e)) < 0)
		return rc;
	if ((rc = an_query(ctx,
		 "SELECT a.id, a.name, count(*), "
		 "(SELECT coalesce('offset ' || n2.offset || ': ', '') || "
		 "n2.message FROM anomalies n2 WHERE n2.artifact_id = a.id "
		 "ORDER BY n2.offset, n2.rowid LIMIT 1) "
		 "FROM artifacts a JOIN anomalies n ON n.artifact_id = a.id "
		 "GROUP BY a.id ORDER BY a.id",
		 NULL, 0, an_evidence_anomaly_row, ctx, e)) < 0)
		return rc;
	if ((rc = an_query(ctx,
		 "SELECT id, name, coalesce(source_path, name), sha256 FROM "
		 "artifacts WHERE reference = 1 AND group_id IS NULL ORDER BY "
		 "id",
		 NULL, 0, an_evidence_reference_row, ctx, e)) < 0)
		return rc;
	if ((rc = an_query(ctx,
		 "SELECT a.id, b.id, a.name, a.sha256, b.sha256, a.size, "
		 "b.size FROM artifacts a JOIN artifacts b ON a.name = b.name "
		 "AND a.id < b.id AND a.sha256 != b.sha256 AND "
		 "a.group_id IS b.group_id AND a.format = b.format "
		 "WHERE a.group_id IS NULL ORDER BY b.id, a.id",
		 NULL, 0, an_evidence_changed_row, ctx, e)) < 0)
		return rc;
	return an_query(ctx,
	    "SELECT id, name, clock_offset, tz FROM artifacts WHERE "
	    "clock_offset != 0 AND group_id IS NULL ORDER BY id",
	    NULL, 0, an_evidence_offset_row, ctx, e);
}

const struct analyzer an_evidence = {
	.abi = ANALYZER_ABI,
	.name = "evidence",
	.version = "1.0",
	.summary = "the evidence itself: unparsed, anomalous, by-reference, "
		   "changed or re-clocked artifacts",
	.needs = AN_NEEDS_NONE,
	.finish = an_evidence_finish,
};
