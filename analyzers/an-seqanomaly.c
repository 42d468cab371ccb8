/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-seqanomaly.c: a case's syscall traces scored against a baseline by
 * the detectors of `drydock replay` (datasets/replay/).
 *
 * The baseline is what the examiner says is normal: the syscall
 * artifacts tagged "baseline" (`drydock tag CASE artifact:ID baseline`;
 * a tagged group brings its members). Without one the analyzer finds
 * nothing. The detector is DRYDOCK_SEQ_DETECTOR (a replay spec, default
 * stide:n=5,w=10), trained on the baseline's traces; the threshold is
 * DRYDOCK_SEQ_THRESHOLD or, as in replay, the highest score the baseline
 * itself reaches. Every other syscall artifact is scored position by
 * position (per thread where the detector is thread-aware); one with
 * positions above the threshold gets seq.anomaly, whose evidence is the
 * event where the first such window ends and the one scoring highest.
 *
 * Syscall ids are given in the order names are first seen in the event
 * pass (deterministic for a case); every detector only compares ids.
 */
#include "core/common.h"

#include <math.h>

#include "analyzers/analyzer.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

#define AN_SEQ_NAMES 4096

struct an_seq_trace {
	int64_t artifact_id;
	struct rp_seq seq;
	int64_t *evid;	/* event id of each position */
	size_t cap;
	char container[80];
	bool baseline;
};

struct an_seq_state {
	char *names[AN_SEQ_NAMES]; /* id -> name (arena) */
	size_t nnames;
	struct an_seq_trace *v;
	size_t n, cap, last;
};

static int
an_seq_init(struct an_ctx *ctx, struct dd_err *e)
{
	(void)e;
	ctx->state = arena_zalloc(ctx->arena, sizeof(struct an_seq_state));
	return 0;
}

static uint16_t
an_seq_id(struct an_ctx *ctx, struct an_seq_state *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->nnames; i++)
		if (strcmp(st->names[i], name) == 0)
			return (uint16_t)i;
	if (st->nnames == AN_SEQ_NAMES)
		return RP_ID_UNK - 1; /* one id for the rest */
	st->names[st->nnames] = arena_strdup(ctx->arena, name);
	return (uint16_t)st->nnames++;
}

static struct an_seq_trace *
an_seq_trace(struct an_seq_state *st, int64_t artifact_id)
{
	size_t i;

	if (st->n > 0 && st->v[st->last].artifact_id == artifact_id)
		return &st->v[st->last];
	for (i = 0; i < st->n; i++)
		if (st->v[i].artifact_id == artifact_id) {
			st->last = i;
			return &st->v[i];
		}
	if (st->n == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 8;
		st->v = xreallocarray(st->v, st->cap, sizeof(*st->v));
	}
	memset(&st->v[st->n], 0, sizeof(st->v[0]));
	st->v[st->n].artifact_id = artifact_id;
	st->v[st->n].seq.exploit_ts = INT64_MIN;
	st->last = st->n;
	return &st->v[st->n++];
}

static int
an_seq_event(struct an_ctx *ctx, const struct an_event *ev, struct dd_err *e)
{
	struct an_seq_state *st = ctx->state;
	struct an_seq_trace *t;

	(void)e;
	if (ev->kind == NULL || strcmp(ev->kind, "syscall") != 0 ||
	    ev->syscall == NULL)
		return 0;
	t = an_seq_trace(st, ev->artifact_id);
	if (t->seq.n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->evid = xreallocarray(t->evid, t->cap, sizeof(*t->evid));
	}
	t->evid[t->seq.n] = ev->id;
	if (t->container[0] == '\0' && ev->container_id != NULL)
		snprintf(t->container, sizeof(t->container), "%s",
		    ev->container_id);
	rp_seq_push(&t->seq, an_seq_id(ctx, st, ev->syscall),
	    ev->tid > 0 && ev->tid <= UINT32_MAX ? (uint32_t)ev->tid : 0,
	    ev->ts);
	return 0;
}

static int
an_seq_baseline_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_seq_state *st = user;
	size_t i;

	(void)e;
	for (i = 0; i < st->n; i++)
		if (st->v[i].artifact_id == rowq_int(r, 0))
			st->v[i].baseline = true;
	return 0;
}

static int
an_seq_emit(struct an_ctx *ctx, const struct an_seq_trace *t,
    const double *sc, double thr, const struct rp_det *d)
{
	size_t i, first = SIZE_MAX, best = SIZE_MAX, n = 0;
	struct finding_ref ev[2];
	struct sbuf title = SBUF_INIT, detail = SBUF_INIT, k1 = SBUF_INIT,
		    k2 = SBUF_INIT;
	struct finding f;
	int rc;

	for (i = 0; i < t->seq.n; i++) {
		if (isnan(sc[i]) || !(sc[i] > thr))
			continue;
		n++;
		if (first == SIZE_MAX)
			first = i;
		if (best == SIZE_MAX || sc[i] > sc[best])
			best = i;
	}
	if (n == 0)
		return 0;
	sbuf_addf(&k1, "%" PRId64, t->evid[first]);
	sbuf_addf(&k2, "%" PRId64, t->evid[best]);
	ev[0] = (struct finding_ref){ "events", k1.buf };
	ev[1] = (struct finding_ref){ "events", k2.buf };
	sbuf_addf(&title,
	    "%zu of %zu syscall windows of artifact %" PRId64
	    " score above the baseline (highest %.4g, threshold %.4g)",
	    n, t->seq.n, t->artifact_id, sc[best], thr);
	sbuf_addf(&detail,
	    "Detector %s, trained on the artifacts tagged baseline, scored "
	    "this trace position by position; the first window above the "
	    "threshold ends at event %" PRId64 ", the highest at event %" PRId64
	    ". Sequences the baseline never showed are what an injected "
	    "shell, an exploit or a new tool look like; so is normal "
	    "behaviour the baseline did not cover.",
	    d->ops->name, t->evid[first], t->evid[best]);
	memset(&f, 0, sizeof(f));
	f.rule = "seq.anomaly";
	f.severity = SEV_MEDIUM;
	f.confidence = 0.5;
	f.title = title.buf;
	f.detail = detail.buf;
	f.ts = rp_ts(&t->seq, first);
	f.has_ts = true;
	f.container_id = t->container[0] ? t->container : NULL;
	f.evidence = ev;
	f.nevidence = first == best ? 1 : 2;
	rc = an_emit(ctx, &f);
	sbuf_release(&title);
	sbuf_release(&detail);
	sbuf_release(&k1);
	sbuf_release(&k2);
	return rc;
}

static int
an_seq_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct an_seq_state *st = ctx->state;
	const char *spec = getenv("DRYDOCK_SEQ_DETECTOR");
	const char *ts = getenv("DRYDOCK_SEQ_THRESHOLD");
	struct rp_det d;
	double thr = -INFINITY, *sc = NULL;
	size_t i, cap = 0, nb = 0;
	void *part;
	int rc;

	if (st->n == 0)
		return 0;
	if ((rc = an_query(ctx,
		 "SELECT id FROM artifacts WHERE id IN (SELECT CAST(key AS "
		 "INTEGER) FROM tags WHERE relation = 'artifacts' AND tag = "
		 "'baseline') OR group_id IN (SELECT CAST(key AS INTEGER) FROM "
		 "tags WHERE relation = 'artifacts' AND tag = 'baseline') "
		 "ORDER BY id",
		 NULL, 0, an_seq_baseline_row, st, e)) < 0)
		return rc;
	for (i = 0; i < st->n; i++)
		nb += st->v[i].baseline;
	if (nb == 0 || nb == st->n)
		return 0; /* nothing normal to learn from, or nothing else */
	if ((rc = rp_det_parse(&d, spec != NULL && *spec ? spec :
							   "stide:n=5,w=10",
		 e)) < 0) {
		dd_err_prefix(e, "DRYDOCK_SEQ_DETECTOR");
		rp_det_release(&d);
		return rc;
	}
	part = d.ops->part_new(&d);
	for (i = 0; i < st->n; i++)
		if (st->v[i].baseline)
			d.ops->train(&d, part, &st->v[i].seq, 0);
	if ((rc = d.ops->fit(&d, part, e)) < 0)
		goto out;
	for (i = 0; i < st->n; i++) {
		size_t k;
		if (st->v[i].seq.n > cap) {
			cap = st->v[i].seq.n;
			free(sc);
			sc = xcalloc(cap, sizeof(double));
		}
		d.ops->score(&d, &st->v[i].seq, sc);
		if (st->v[i].baseline)
			for (k = 0; k < st->v[i].seq.n; k++)
				if (!isnan(sc[k]) && sc[k] > thr)
					thr = sc[k];
	}
	if (ts != NULL && *ts) {
		char *end;
		thr = strtod(ts, &end);
		if (*end != '\0' || !isfinite(thr)) {
			rc = dd_err_set(e, DD_EUSAGE,
			    "DRYDOCK_SEQ_THRESHOLD='%s' is not a number", ts);
			goto out;
		}
	}
	for (i = 0; i < st->n && rc == 0; i++) {
		if (st->v[i].baseline)
			continue;
		d.ops->score(&d, &st->v[i].seq, sc);
		rc = an_seq_emit(ctx, &st->v[i], sc, thr, &d);
	}
out:
	free(sc);
	rp_det_release(&d);
	return rc;
}

static void
an_seq_fini(struct an_ctx *ctx)
{
	struct an_seq_state *st = ctx->state;
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->n; i++) {
		rp_seq_release(&st->v[i].seq);
		free(st->v[i].evid);
	}
	free(st->v);
}

static const char *
an_seq_rules(void)
{
	return "seq.anomaly: a syscall artifact not tagged baseline has "
	       "windows scoring above the threshold of the detector "
	       "(DRYDOCK_SEQ_DETECTOR, default stide:n=5,w=10) trained on "
	       "the artifacts tagged baseline; threshold "
	       "DRYDOCK_SEQ_THRESHOLD or the baseline's highest score\n";
}

const struct analyzer an_seqanomaly = {
	.abi = ANALYZER_ABI,
	.name = "seqanomaly",
	.version = "1.0",
	.summary = "syscall sequences scored against the artifacts tagged "
		   "baseline (replay's detectors)",
	.needs = AN_NEEDS_SYSCALL,
	.init = an_seq_init,
	.on_event = an_seq_event,
	.finish = an_seq_finish,
	.fini = an_seq_fini,
	.rules = an_seq_rules,
};
