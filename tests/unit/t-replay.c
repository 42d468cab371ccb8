/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-replay.c: detectors and metrics of `drydock replay` on small
 * sequences computed by hand (the comments show the arithmetic):
 * STIDE (full windows, a short recording, thread-aware n-grams), the
 * Good-Turing Markov chain, k-nearest-neighbour distances with an unseen
 * syscall, every LID-DS metric of one recording (false alarms before the
 * exploit, consecutive runs, detection delay, an exploit at the first
 * syscall, no alarm, a run still open at the end), parameter errors.
 *
 * The independent oracles are the shell tests: STIDE value for value
 * against tests/oracle/stide.py over ADFA-LD, and the aggregate metrics,
 * ROC and AUC against tests/oracle/replay-metrics.py
 * (tests/cli/0900-replay.sh).
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include <math.h>

#include "core/dderr.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

static void
t_seq(struct rp_seq *s, const uint16_t *ids, const uint32_t *tids, size_t n)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->exploit_ts = INT64_MIN;
	for (i = 0; i < n; i++)
		rp_seq_push(s, ids[i], tids ? tids[i] : 0, (int64_t)i);
}

/* Train d (spec) on one sequence; 0 on success. */
static int
t_train(struct test_ctx *t, struct rp_det *d, const char *spec,
    const uint16_t *ids, const uint32_t *tids, size_t n)
{
	struct dd_err e = DD_ERR_INIT;
	struct rp_seq s;
	void *part;
	int rc;

	if (!CHECK(rp_det_parse(d, spec, &e) == 0))
		return -1;
	t_seq(&s, ids, tids, n);
	part = d->ops->part_new(d);
	d->ops->train(d, part, &s, 0);
	rc = d->ops->fit(d, part, &e);
	rp_seq_release(&s);
	CHECK(rc == 0);
	return rc;
}

static void
t_scores(struct test_ctx *t, const struct rp_det *d, const uint16_t *ids,
    const uint32_t *tids, size_t n, const double *want)
{
	struct rp_seq s;
	double *out = xcalloc(n + 1, sizeof(double));
	size_t i;

	t_seq(&s, ids, tids, n);
	d->ops->score(d, &s, out);
	for (i = 0; i < n; i++) {
		bool ok = isnan(want[i]) ? isnan(out[i]) :
					   fabs(out[i] - want[i]) < 1e-6;
		if (!CHECK(ok))
			FAIL("%s position %zu: %.9g, want %.9g", d->ops->name,
			    i, out[i], want[i]);
	}
	rp_seq_release(&s);
	free(out);
}

TEST(replay_stide_windows)
{
	/* training 1 2 3 1 2 3, n=2: {12, 23, 31}. Test 1 2 3 4 1 2:
	 * n-grams at 1..5: 12 ok, 23 ok, 34 miss, 41 miss, 12 ok; w=2:
	 * from position 2: (0+0)/2, (0+1)/2, (1+1)/2, (1+0)/2 */
	static const uint16_t tr[] = { 1, 2, 3, 1, 2, 3 };
	static const uint16_t te[] = { 1, 2, 3, 4, 1, 2 };
	const double want[] = { NAN, NAN, 0, 0.5, 1, 0.5 };
	struct rp_det d;

	if (t_train(t, &d, "stide:n=2,w=2", tr, NULL, 6) == 0)
		t_scores(t, &d, te, NULL, 6, want);
	rp_det_release(&d);
}

TEST(replay_stide_short)
{
	/* fewer than n + w - 1 calls: all n-grams at the last one (3 4:
	 * one n-gram, unseen: 1/1); fewer than n: no score */
	static const uint16_t tr[] = { 1, 2, 3, 1, 2, 3 };
	static const uint16_t te[] = { 3, 4 }, one[] = { 7 };
	static const uint16_t te3[] = { 2, 3, 9 };
	const double want[] = { NAN, 1 }, want1[] = { NAN };
	const double want3[] = { NAN, NAN, 0.5 }; /* 23 ok, 39 miss */
	struct rp_det d;

	if (t_train(t, &d, "stide:n=2,w=5", tr, NULL, 6) == 0) {
		t_scores(t, &d, te, NULL, 2, want);
		t_scores(t, &d, one, NULL, 1, want1);
		t_scores(t, &d, te3, NULL, 3, want3);
	}
	rp_det_release(&d);
}

TEST(replay_stide_thread_aware)
{
	/* threads 10 and 20 interleaved: per thread both make 1 2, so
	 * the set is {12} (not 11, 12, 22 as one stream). Test 1 5 2 2
	 * on 10 20 10 20: thread 10 makes 12 (seen) at 2, thread 20
	 * makes 52 (unseen) at 3; w=1 */
	static const uint16_t tr[] = { 1, 1, 2, 2 }, te[] = { 1, 5, 2, 2 };
	static const uint32_t tids[] = { 10, 20, 10, 20 };
	const double want[] = { NAN, NAN, 0, 1 };
	const double flat[] = { NAN, 1, 1, 0 }; /* 15 52 22: 22 seen */
	struct rp_det d;

	if (t_train(t, &d, "stide:n=2,w=1,thread_aware=true", tr, tids, 4) ==
	    0)
		t_scores(t, &d, te, tids, 4, want);
	rp_det_release(&d);
	if (t_train(t, &d, "stide:n=2,w=1", tr, tids, 4) == 0)
		t_scores(t, &d, te, tids, 4, flat);
	rp_det_release(&d);
}

TEST(replay_markov_good_turing)
{
	/* training 1 2 1 2 1 3: 1->2 twice, 2->1 twice, 1->3 once.
	 * Count of counts N1 = 1, N2 = 2, N3 = 0: c=1 becomes
	 * 2 * N2 / N1 = 4, c=2 stays (N3 = 0). State 1: 3 transitions, one
	 * singleton: unseen mass 1/3; seen: (2/3) * 2/6 = 2/9 for 1->2,
	 * (2/3) * 4/6 = 4/9 for 1->3. State 2: no singleton: unseen
	 * 1/(2+1) = 1/3; 2->1 = 2/3. V = {1, 2, 3} + unseen = 4: from 1 an
	 * unseen successor gets (1/3)/(4-2) = 1/6; state 3 never led
	 * anywhere: 1/4. Test 1 2 1 3 3 1 4, w=1: surprisals -log2 p. */
	static const uint16_t tr[] = { 1, 2, 1, 2, 1, 3 };
	static const uint16_t te[] = { 1, 2, 1, 3, 3, 1, 1 };
	const double want[] = { NAN, -log2(2.0 / 9), -log2(2.0 / 3),
		-log2(4.0 / 9), -log2(1.0 / 4), -log2(1.0 / 4),
		-log2(1.0 / 6) };
	struct rp_det d;

	if (t_train(t, &d, "markov:w=1", tr, NULL, 6) == 0)
		t_scores(t, &d, te, NULL, 7, want);
	rp_det_release(&d);
}

TEST(replay_knn_distances)
{
	/* w=2 over 1 2 1 2: every window is {1:1, 2:1}. {1:2} is
	 * sqrt(1 + 1) away; {3:2} (3 unseen: its own dimension) is
	 * sqrt(1 + 1 + 4) away, {3:1, 2:1} sqrt(1 + 0 + 1) */
	static const uint16_t tr[] = { 1, 2, 1, 2 };
	static const uint16_t a[] = { 1, 1 }, b[] = { 3, 3, 2, 1 };
	const double wa[] = { NAN, sqrt(2) };
	const double wb[] = { NAN, sqrt(6), sqrt(2), 0 };
	struct rp_det d;

	if (t_train(t, &d, "knn:w=2", tr, NULL, 4) == 0) {
		t_scores(t, &d, a, NULL, 2, wa);
		t_scores(t, &d, b, NULL, 4, wb);
	}
	rp_det_release(&d);
}

TEST(replay_metrics_exploit)
{
	/* exploit from position 5, threshold 0.5:
	 *   1 .9 before: FP, run 1   2 .9 before: FP (same run)
	 *   3 .1 before: TN          4 .9 before: FP, run 2
	 *   5 .1 after: FN           6 .9 after: TP, detected, delay 1
	 *   7 .9 TP   8 .1 FN   9 .9 TP */
	static const uint16_t ids[10] = { 0 };
	const double sc[] = { NAN, .9, .9, .1, .9, .1, .9, .9, .1, .9 };
	struct rp_rec_metrics m;
	struct rp_seq s;

	t_seq(&s, ids, NULL, 10);
	s.exploit_ts = 5;
	rp_metrics_rec(&s, sc, 0.5, true, &m);
	CHECK_EQ_INT(m.scored, 9);
	CHECK_EQ_INT(m.fp, 3);
	CHECK_EQ_INT(m.tn, 1);
	CHECK_EQ_INT(m.tp, 3);
	CHECK_EQ_INT(m.fn, 2);
	CHECK_EQ_INT(m.cfa, 2);
	CHECK(m.detected);
	CHECK_EQ_INT(m.delay_pos, 1);
	CHECK(m.delay_ns == INT64_MIN); /* positions are not times */
	CHECK(m.max_score == .9);
	rp_seq_release(&s);
}

TEST(replay_metrics_edges)
{
	static const uint16_t ids[4] = { 0 };
	const double hi[] = { .9, .9, .9, .9 }, lo[] = { .1, .1, .1, .1 };
	const double nrm[] = { .9, .9, .1, .9 };
	const double at[] = { .1, .5, .6, .1 };
	struct rp_rec_metrics m;
	struct rp_seq s;

	t_seq(&s, ids, NULL, 4);
	/* the exploit at the first syscall, alarms throughout: delay 0 */
	s.exploit_ts = 0;
	rp_metrics_rec(&s, hi, 0.5, true, &m);
	CHECK(m.detected);
	CHECK_EQ_INT(m.delay_pos, 0);
	CHECK_EQ_INT(m.tp, 4);
	CHECK_EQ_INT(m.fp + m.cfa + m.tn + m.fn, 0);
	/* no alarm: not detected, all false negatives */
	rp_metrics_rec(&s, lo, 0.5, true, &m);
	CHECK(!m.detected);
	CHECK(m.delay_pos == INT64_MIN);
	CHECK_EQ_INT(m.fn, 4);
	/* a score equal to the threshold is no alarm (score > threshold) */
	rp_metrics_rec(&s, at, 0.5, true, &m);
	CHECK_EQ_INT(m.tp, 1);
	CHECK_EQ_INT(m.delay_pos, 2);
	/* alarms only before the exploit (at 3): false, not detected */
	s.exploit_ts = 3;
	rp_metrics_rec(&s, nrm, 0.5, true, &m);
	CHECK_EQ_INT(m.fp, 2);
	CHECK_EQ_INT(m.cfa, 1);
	CHECK_EQ_INT(m.tn, 1);
	CHECK_EQ_INT(m.tp, 1); /* position 3 is at the exploit */
	CHECK_EQ_INT(m.delay_pos, 0);
	/* a normal recording: two runs, the last one open at the end */
	rp_metrics_rec(&s, nrm, 0.5, false, &m);
	CHECK_EQ_INT(m.fp, 3);
	CHECK_EQ_INT(m.tn, 1);
	CHECK_EQ_INT(m.cfa, 2);
	CHECK(!m.detected);
	rp_seq_release(&s);
}

TEST(replay_metrics_timed)
{
	/* times in ns: the exploit at 2.5 s, the first true alarm at 4 s */
	static const uint16_t ids[4] = { 0 };
	const double sc[] = { .1, .1, .1, .9 };
	struct rp_rec_metrics m;
	struct rp_seq s;
	size_t i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < 4; i++)
		rp_seq_push(&s, ids[i], 0, (int64_t)(i + 1) * 1000000000);
	s.timed = true;
	s.exploit_ts = 2500000000;
	rp_metrics_rec(&s, sc, 0.5, true, &m);
	CHECK_EQ_INT(m.tn, 2);
	CHECK_EQ_INT(m.fn, 1);
	CHECK_EQ_INT(m.tp, 1);
	CHECK_EQ_INT(m.delay_pos, 1); /* exploit's first position: 2 */
	CHECK_EQ_INT(m.delay_ns, 1500000000);
	rp_seq_release(&s);
}

TEST(replay_detector_specs)
{
	static const char *const bad[] = { "nosuch", "stide:n=0",
		"stide:n=9", "stide:x=1", "stide:n", "knn:w=abc",
		"ae:lr=-1" };
	struct dd_err e = DD_ERR_INIT;
	struct rp_det d;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e = (struct dd_err)DD_ERR_INIT;
		if (!CHECK(rp_det_parse(&d, bad[i], &e) == DD_EUSAGE))
			FAIL("%s was accepted", bad[i]);
		rp_det_release(&d);
	}
	for (i = 0; rp_detectors[i] != NULL; i++) {
		e = (struct dd_err)DD_ERR_INIT;
		if (!CHECK(rp_det_parse(&d, rp_detectors[i]->name, &e) == 0))
			FAIL("%s: %s", rp_detectors[i]->name, e.msg);
		rp_det_release(&d);
	}
}
