/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-engine.c: a replay run: train, decide, score, measure, write.
 *
 * Phases: (1) every training recording trains the detector (--jobs
 * threads, one partial model each, merged); (2) every validation
 * recording is scored: the threshold is the highest score seen there
 * (LID-DS's MaxScoreThreshold) unless one is given; (3) the test
 * recordings of this shard (--shard I/N: test and validation recordings
 * i with i mod N = I - 1, in dataset order; every shard trains and
 * validates in full, so each has the same threshold) are scored and
 * measured at that threshold. Each recording's figures depend on it
 * alone, so a shard result holds them per recording and replay-merge
 * sums them into exactly the unsharded result; rp_emit writes both.
 *
 * Metrics, per scored position of a test recording (a position a
 * detector gave a score; alarm = score > threshold), as LID-DS's
 * Performance class counts them: in an exploit recording a position
 * before the exploit time is a false positive (alarm) or true negative,
 * one at or after it a true positive or false negative, and the first
 * true alarm counts the recording as detected (correct_alarm_count); in
 * a normal recording an alarm is a false positive. A run of consecutive
 * false alarms counts once (consecutive_false_positives_*); a run still
 * open when a recording ends counts too (LID-DS leaves the very last
 * recording's open run uncounted: an order artifact we do not copy).
 * detection_rate = correct_alarm_count / exploit_count;
 * precision_with_cfa = correct / (correct + cfa_normal + cfa_exploits);
 * precision_with_syscalls = correct / (correct + false_positives) (as
 * LID-DS defines it); f1_cfa = 2 p r / (p + r); any 0/0 is 0. Detection
 * delay: from the exploit's first position to the first true alarm, in
 * syscalls and (timed datasets) seconds. ROC over test recordings, a
 * recording flagged at threshold t when its highest score is >= t; AUC
 * by trapezoids.
 */
#include "core/common.h"

#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/version.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

/* ---- metrics of one recording ---- */

void
rp_metrics_rec(const struct rp_seq *s, const double *score, double threshold,
    bool exploit, struct rp_rec_metrics *m)
{
	size_t i, xpos = SIZE_MAX;
	bool run = false;
	/* counted in locals (m's fields may alias score as far as the
	 * compiler knows: each would be a store per syscall) */
	uint64_t scored = 0, fp = 0, cfa = 0, tp = 0, fn = 0, tn = 0;
	double max = NAN;

	memset(m, 0, sizeof(*m));
	m->delay_pos = m->delay_ns = INT64_MIN;
	for (i = 0; i < s->n; i++) {
		bool alarm, after;
		double v = score[i];
		if (exploit && xpos == SIZE_MAX && rp_ts(s, i) >= s->exploit_ts)
			xpos = i;
		if (isnan(v))
			continue;
		scored++;
		if (isnan(max) || v > max)
			max = v;
		alarm = v > threshold;
		after = exploit && rp_ts(s, i) >= s->exploit_ts;
		if (alarm && !after) {
			fp++;
			if (!run)
				cfa++;
			run = true;
			continue;
		}
		run = false;
		if (alarm) {
			tp++;
			if (!m->detected) {
				m->detected = true;
				m->delay_pos = (int64_t)(i - xpos);
				if (s->timed)
					m->delay_ns = rp_ts(s, i) - s->exploit_ts;
			}
		} else if (after)
			fn++;
		else
			tn++;
	}
	m->scored = scored;
	m->max_score = max;
	m->fp = fp;
	m->cfa = cfa;
	m->tp = tp;
	m->fn = fn;
	m->tn = tn;
}

/* ---- numbers as text ---- */

/* The shortest text that reads back as v ("null" when not finite). */
static void
rp_real(double v, char out[40])
{
	char t[400]; /* what -Wformat-truncation sees %.*g may need */
	int p, lo, hi;

	if (!isfinite(v)) {
		memcpy(out, "null", 5);
		return;
	}
	if (v == 0) {
		memcpy(out, "0", 2);
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		snprintf(out, 40, "%.0f", v);
		return;
	}
	/* digits that read back grow monotonically: the short ones tried
	 * first (STIDE's k/w, most scores), then bisect 4..17 */
	for (p = 1; p <= 3; p++) {
		snprintf(t, sizeof(t), "%.*g", p, v);
		if (strtod(t, NULL) == v) {
			memcpy(out, t, strlen(t) + 1);
			return;
		}
	}
	lo = 4;
	hi = 17;
	while (lo < hi) {
		p = (lo + hi) / 2;
		snprintf(t, sizeof(t), "%.*g", p, v);
		if (strtod(t, NULL) == v)
			hi = p;
		else
			lo = p + 1;
	}
	snprintf(t, sizeof(t), "%.*g", lo, v);
	/* at most 24 bytes: 17 digits, sign, point, e-308 */
	memcpy(out, t, MIN(strlen(t) + 1, (size_t)40));
	out[39] = '\0';
}

static void
rp_json_str(struct sbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;

	sbuf_addstr(b, "\"");
	while (i < n) {
		uint32_t cp;
		size_t k;
		if (p[i] == '"' || p[i] == '\\') {
			sbuf_addf(b, "\\%c", p[i]);
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			sbuf_addf(b, "\\u%04x", p[i]);
			i++;
		} else if (p[i] < 0x80) {
			sbuf_add(b, p + i, 1);
			i++;
		} else if ((k = utf8_decode(p + i, n - i, &cp)) > 0 &&
		    cp != 0xfffd) {
			sbuf_add(b, p + i, k);
			i += k;
		} else {
			sbuf_addstr(b, "\\ufffd");
			i++;
		}
	}
	sbuf_addstr(b, "\"");
}

/* A CSV field: quoted when it holds a comma, quote or line end. */
static void
rp_csv_str(struct sbuf *b, const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		sbuf_addstr(b, s);
		return;
	}
	sbuf_addstr(b, "\"");
	for (p = s; *p; p++) {
		if (*p == '"')
			sbuf_addstr(b, "\"");
		sbuf_add(b, p, 1);
	}
	sbuf_addstr(b, "\"");
}

/* ---- what a result holds ---- */

struct rp_row {
	char *name, *scenario;
	char *json, *csv;	/* its text, made by the worker (or NULL) */
	int split;
	bool attack;
	uint64_t syscalls;
	struct rp_rec_metrics m;
};

struct rp_head {
	char *dataset, *dname, *split_rule;
	char *det;
	char **pkey, **pval;
	size_t np;
	bool thr_given;
	double threshold;
	uint64_t n_train, n_valid, n_test, n_test_attack;
	uint64_t train_syscalls, anomalies;
	char *shard; /* "I/N" or NULL */
};

static void
rp_head_release(struct rp_head *h)
{
	size_t i;

	free(h->dataset);
	free(h->dname);
	free(h->split_rule);
	free(h->det);
	for (i = 0; i < h->np; i++) {
		free(h->pkey[i]);
		free(h->pval[i]);
	}
	free(h->pkey);
	free(h->pval);
	free(h->shard);
}

static void
rp_rows_release(struct rp_row *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].scenario);
		free(r[i].json);
		free(r[i].csv);
	}
	free(r);
}

static int
rp_row_cmp(const void *a, const void *b)
{
	const struct rp_row *x = a, *y = b;

	return rp_order(x->split, x->attack, x->scenario, x->name, y->split,
	    y->attack, y->scenario, y->name);
}

static int
rp_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
rp_kv_real(struct sbuf *b, const char *ind, const char *k, double v,
    bool comma)
{
	char t[40];

	rp_real(v, t);
	sbuf_addf(b, "%s\"%s\": %s%s\n", ind, k, t, comma ? "," : "");
}

static void
rp_kv_u(struct sbuf *b, const char *ind, const char *k, uint64_t v,
    bool comma)
{
	sbuf_addf(b, "%s\"%s\": %" PRIu64 "%s\n", ind, k, v, comma ? "," : "");
}

static double
rp_div(double a, double b)
{
	return b == 0 ? 0 : a / b;
}

/* Summary of delays v[0..n) (sorted here). */
static void
rp_delay_summary(struct sbuf *b, const char *k, double *v, size_t n,
    bool comma)
{
	double sum = 0, med;
	size_t i;

	if (n == 0) {
		sbuf_addf(b, "      \"%s\": null%s\n", k, comma ? "," : "");
		return;
	}
	qsort(v, n, sizeof(*v), rp_dbl_cmp);
	for (i = 0; i < n; i++)
		sum += v[i];
	med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	sbuf_addf(b, "      \"%s\": {\n", k);
	rp_kv_real(b, "        ", "mean", sum / (double)n, true);
	rp_kv_real(b, "        ", "median", med, true);
	rp_kv_real(b, "        ", "min", v[0], true);
	rp_kv_real(b, "        ", "max", v[n - 1], false);
	sbuf_addf(b, "      }%s\n", comma ? "," : "");
}

struct rp_scored {
	double score;
	bool attack;
};

static int
rp_scored_cmp(const void *a, const void *b)
{
	const struct rp_scored *x = a, *y = b;

	return x->score < y->score ? -1 : x->score > y->score;
}

/* ROC points and AUC over the test rows with a score: one sweep down the
 * sorted scores, a point per distinct score (the threshold). */
static void
rp_roc(struct sbuf *b, const struct rp_row *r, size_t n)
{
	struct rp_scored *s = xcalloc(n + 1, sizeof(*s));
	size_t i, k = 0, P = 0, N = 0, tp = 0, fp = 0, j;
	double auc = 0, px = 0, py = 0;
	char t1[40], t2[40], t3[40];

	for (i = 0; i < n; i++)
		if (r[i].split == RP_TEST && !isnan(r[i].m.max_score)) {
			s[k].score = r[i].m.max_score;
			s[k++].attack = r[i].attack;
			if (r[i].attack)
				P++;
			else
				N++;
		}
	if (k > 0)
		qsort(s, k, sizeof(*s), rp_scored_cmp);
	sbuf_addstr(b, "  \"roc\": {\n    \"points\": [\n      [0, 0, null]");
	/* thresholds from the highest score down: the rows at or above */
	for (j = k; j > 0;) {
		double t = s[j - 1].score, x, y;
		while (j > 0 && s[j - 1].score == t) {
			if (s[j - 1].attack)
				tp++;
			else
				fp++;
			j--;
		}
		x = rp_div((double)fp, (double)N);
		y = rp_div((double)tp, (double)P);
		auc += (x - px) * (y + py) / 2;
		px = x;
		py = y;
		rp_real(x, t1);
		rp_real(y, t2);
		rp_real(t, t3);
		sbuf_addf(b, ",\n      [%s, %s, %s]", t1, t2, t3);
	}
	if (px < 1 || py < 1) {
		auc += (1 - px) * (1 + py) / 2;
		sbuf_addstr(b, ",\n      [1, 1, null]");
	}
	sbuf_addstr(b, "\n    ],\n");
	if (P == 0 || N == 0)
		sbuf_addstr(b, "    \"auc\": null\n  },\n");
	else
		rp_kv_real(b, "    ", "auc", auc, false), sbuf_addstr(b, "  },\n");
	free(s);
}

/* A row of "recordings" (and its scores CSV line when it has a score). */
/* ", \"key\": " and v (a row's many integers without printf) */
static void
rp_kv_u64(struct sbuf *b, const char *key, uint64_t v)
{
	sbuf_addstr(b, key);
	sbuf_add_i64(b, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

/* A row of "recordings" (and its scores CSV line when it has a score). */
static void
rp_row_text(const struct rp_row *row, struct sbuf *b, struct sbuf *csv)
{
	const struct rp_rec_metrics *m = &row->m;
	char t[40];

	sbuf_addstr(b, "{\"recording\": ");
	rp_json_str(b, row->name);
	sbuf_addstr(b, ", \"split\": \"");
	sbuf_addstr(b, rp_split_name(row->split));
	sbuf_addstr(b, row->attack ? "\", \"label\": \"attack\", \"scenario\": " :
				     "\", \"label\": \"normal\", \"scenario\": ");
	rp_json_str(b, row->scenario);
	rp_real(m->max_score, t);
	rp_kv_u64(b, ", \"syscalls\": ", row->syscalls);
	rp_kv_u64(b, ", \"scored\": ", m->scored);
	sbuf_addstr(b, ", \"score\": ");
	sbuf_addstr(b, t);
	if (row->split == RP_TEST) {
		rp_kv_u64(b, ", \"false_positives\": ", m->fp);
		rp_kv_u64(b, ", \"true_positives\": ", m->tp);
		rp_kv_u64(b, ", \"true_negatives\": ", m->tn);
		rp_kv_u64(b, ", \"false_negatives\": ", m->fn);
		rp_kv_u64(b, ", \"consecutive_false_alarms\": ", m->cfa);
		sbuf_addstr(b, m->detected ? ", \"detected\": true" :
					     ", \"detected\": false");
		if (m->detected) {
			sbuf_addstr(b, ", \"delay_syscalls\": ");
			sbuf_add_i64(b, m->delay_pos);
		}
		if (m->delay_ns != INT64_MIN) {
			rp_real((double)m->delay_ns / 1e9, t);
			sbuf_addstr(b, ", \"delay_s\": ");
			sbuf_addstr(b, t);
		}
	}
	sbuf_addstr(b, "}");
	if (csv != NULL && !isnan(m->max_score)) {
		rp_csv_str(csv, row->name);
		rp_real(m->max_score, t);
		sbuf_addf(csv, ",%s,%s,%s\n", rp_split_name(row->split),
		    row->attack ? "attack" : "normal", t);
	}
}

/* A text being made: in its sbuf, or (fd >= 0) through it to fd, 64 KiB
 * at a time (results of any size are never held whole). */
struct rp_text {
	struct sbuf *b; /* NULL: not wanted */
	int fd;
	int err;	/* errno of a failed write */
};

static void
rp_text_flush(struct rp_text *t, bool all)
{
	if (t->b == NULL || t->fd < 0 || t->err != 0 ||
	    (!all && t->b->len < (64u << 10)))
		return;
	if (write_all(t->fd, t->b->buf, t->b->len) < 0)
		t->err = errno ? errno : EIO;
	sbuf_reset(t->b);
}

/* The results JSON (and the scores CSV). */
static int
rp_emit(const struct rp_head *h, const struct rp_row *r, size_t n,
    struct rp_text *tb, struct rp_text *ts, struct dd_err *e)
{
	struct sbuf *b = tb->b, *scores = ts->b;
	uint64_t fp = 0, tp = 0, tn = 0, fn = 0, cn = 0, ce = 0, det = 0;
	uint64_t ex = 0, nt = 0;
	double *dpos = xcalloc(n + 1, sizeof(double));
	double *dns = xcalloc(n + 1, sizeof(double));
	size_t i, nd = 0, nds = 0;
	double dr, pc, ps, f1;

	for (i = 0; i < n; i++) {
		const struct rp_rec_metrics *m = &r[i].m;
		if (r[i].split != RP_TEST)
			continue;
		nt++;
		fp += m->fp;
		tp += m->tp;
		tn += m->tn;
		fn += m->fn;
		if (r[i].attack) {
			ex++;
			ce += m->cfa;
			if (m->detected) {
				det++;
				dpos[nd++] = (double)m->delay_pos;
				if (m->delay_ns != INT64_MIN)
					dns[nds++] = (double)m->delay_ns / 1e9;
			}
		} else
			cn += m->cfa;
	}
	dr = rp_div((double)det, (double)ex);
	pc = rp_div((double)det, (double)(det + cn + ce));
	ps = rp_div((double)det, (double)(det + fp));
	f1 = rp_div(2 * pc * dr, pc + dr);

	sbuf_addstr(b, "{\n  \"drydock_version\": ");
	rp_json_str(b, DD_VERSION);
	sbuf_addstr(b, ",\n  \"dataset\": {\n    \"kind\": ");
	rp_json_str(b, h->dataset);
	sbuf_addstr(b, ",\n    \"name\": ");
	rp_json_str(b, h->dname);
	sbuf_addstr(b, ",\n    \"split_rule\": ");
	rp_json_str(b, h->split_rule);
	sbuf_addstr(b, ",\n    \"recordings\": {\n");
	rp_kv_u(b, "      ", "training", h->n_train, true);
	rp_kv_u(b, "      ", "validation", h->n_valid, true);
	rp_kv_u(b, "      ", "test", h->n_test, true);
	rp_kv_u(b, "      ", "test_attack", h->n_test_attack, false);
	sbuf_addstr(b, "    },\n");
	rp_kv_u(b, "    ", "training_syscalls", h->train_syscalls, true);
	rp_kv_u(b, "    ", "parse_anomalies", h->anomalies, false);
	sbuf_addstr(b, "  },\n  \"detector\": {\n    \"name\": ");
	rp_json_str(b, h->det);
	sbuf_addstr(b, ",\n    \"params\": {");
	for (i = 0; i < h->np; i++) {
		sbuf_addstr(b, i ? ",\n      " : "\n      ");
		rp_json_str(b, h->pkey[i]);
		sbuf_addstr(b, ": ");
		rp_json_str(b, h->pval[i]);
	}
	sbuf_addstr(b, h->np ? "\n    }\n  },\n" : "}\n  },\n");
	sbuf_addstr(b, "  \"decider\": {\n    \"rule\": ");
	rp_json_str(b, h->thr_given ? "given" : "max_validation_score");
	sbuf_addstr(b, ",\n");
	rp_kv_real(b, "    ", "threshold", h->threshold, false);
	sbuf_addstr(b, "  },\n");
	if (h->shard != NULL) {
		sbuf_addstr(b, "  \"shard\": ");
		rp_json_str(b, h->shard);
		sbuf_addstr(b, ",\n");
	}
	sbuf_addstr(b, "  \"metrics\": {\n");
	rp_kv_u(b, "    ", "false_positives", fp, true);
	rp_kv_u(b, "    ", "true_positives", tp, true);
	rp_kv_u(b, "    ", "true_negatives", tn, true);
	rp_kv_u(b, "    ", "false_negatives", fn, true);
	rp_kv_u(b, "    ", "correct_alarm_count", det, true);
	rp_kv_u(b, "    ", "exploit_count", ex, true);
	rp_kv_real(b, "    ", "detection_rate", dr, true);
	rp_kv_u(b, "    ", "consecutive_false_positives_normal", cn, true);
	rp_kv_u(b, "    ", "consecutive_false_positives_exploits", ce, true);
	rp_kv_real(b, "    ", "recall", dr, true);
	rp_kv_real(b, "    ", "precision_with_cfa", pc, true);
	rp_kv_real(b, "    ", "precision_with_syscalls", ps, true);
	rp_kv_real(b, "    ", "f1_cfa", f1, true);
	rp_kv_u(b, "    ", "test_recordings", nt, true);
	sbuf_addstr(b, "    \"detection_delay\": {\n");
	rp_kv_u(b, "      ", "detected", det, true);
	rp_delay_summary(b, "syscalls", dpos, nd, true);
	rp_delay_summary(b, "seconds", dns, nds, false);
	sbuf_addstr(b, "    }\n  },\n");
	rp_roc(b, r, n);
	rp_text_flush(tb, false);
	sbuf_addstr(b, "  \"recordings\": [");
	for (i = 0; i < n; i++) {
		sbuf_addstr(b, i ? ",\n    " : "\n    ");
		if (r[i].json != NULL) {
			sbuf_addstr(b, r[i].json);
			if (scores != NULL && r[i].csv != NULL)
				sbuf_addstr(scores, r[i].csv);
		} else
			rp_row_text(&r[i], b, scores);
		rp_text_flush(tb, false);
		rp_text_flush(ts, false);
	}
	sbuf_addstr(b, n ? "\n  ]\n}\n" : "]\n}\n");
	rp_text_flush(tb, true);
	rp_text_flush(ts, true);
	free(dpos);
	free(dns);
	if (tb->err != 0 || ts->err != 0)
		return dd_err_set(e, DD_EIO, "writing the %s: %s",
		    tb->err != 0 ? "results" : "scores",
		    strerror(tb->err != 0 ? tb->err : ts->err));
	return 0;
}

/* ---- the run ---- */

struct rp_job {
	const struct rp_opts *o;
	struct rp_dataset *ds;
	struct rp_det *det;
	size_t *todo;	/* recording indices of this phase */
	size_t ntodo;
	size_t *order;	/* dispatch order: todo positions, largest first
			   (validation before test) */
	size_t next;	/* next in order (atomic) */
	size_t nv;	/* todo[0..nv) are validation recordings */
	size_t vdone;	/* of them scored */
	pthread_cond_t cv; /* the threshold is known (or an error) */
	int phase;	/* 0 train, 1 score */
	void **parts;	/* per worker (nparts >= workers) */
	size_t nparts;
	pthread_t parts_th; /* making them early (parts_busy) */
	bool parts_busy;
	struct rp_row *rows; /* per todo (phase 1; xbigcalloc'd) */
	struct arena *texts; /* per worker: its rows' texts, packed */
	size_t ntexts;
	size_t nrows_cap;
	bool *mine;	/* per todo: this shard writes its window scores */
	double threshold;
	bool have_thr;
	uint64_t syscalls, anomalies; /* (atomic) */
	int64_t kernel_ns;	/* (atomic) */
	uint64_t kernel_n;	/* (atomic) */
	pthread_mutex_t mu;
	struct dd_err err;
	int rc;
	size_t err_at;	/* todo index of the error kept */
	uint64_t done;
	/* window scores in recording order */
	char **wtext;
	size_t *wlen;
	bool *wready;
	size_t wnext;
};

struct rp_worker {
	struct rp_job *j;
	size_t no;
};

static void
rp_win_rows(struct sbuf *b, const struct rp_rec *r, const struct rp_seq *s,
    const double *sc)
{
	size_t i;
	char t[40];

	for (i = 0; i < s->n; i++) {
		if (isnan(sc[i]))
			continue;
		rp_csv_str(b, r->name);
		rp_real(sc[i], t);
		sbuf_addf(b, ",%s,%s,%zu,%s\n", rp_split_name(r->split),
		    r->attack ? "attack" : "normal", i, t);
	}
}

static void
rp_flush_windows(struct rp_job *j)
{
	while (j->wnext < j->ntodo && j->wready[j->wnext]) {
		if (j->wtext[j->wnext] != NULL)
			j->o->win_cb(j->o->win_user, j->wtext[j->wnext],
			    j->wlen[j->wnext]);
		free(j->wtext[j->wnext]);
		j->wtext[j->wnext] = NULL;
		j->wnext++;
	}
}

/* One more validation recording scored: the last one sets the threshold
 * (the highest validation score) and wakes the tests. */
static void
rp_validated(struct rp_job *j)
{
	size_t i;
	double thr = -INFINITY;
	bool any = false;

	pthread_mutex_lock(&j->mu);
	if (++j->vdone == j->nv && !j->have_thr) {
		for (i = 0; i < j->nv; i++)
			if (!isnan(j->rows[i].m.max_score)) {
				thr = MAX(thr, j->rows[i].m.max_score);
				any = true;
			}
		if (any) {
			j->threshold = thr;
			j->have_thr = true;
		} else if (j->rc == 0) {
			j->rc = dd_err_set(&j->err, DD_EFORMAT,
			    "no validation recording was scored: give "
			    "--threshold");
			j->err_at = 0;
		}
		pthread_cond_broadcast(&j->cv);
	}
	pthread_mutex_unlock(&j->mu);
}

static void *
rp_work(void *arg)
{
	struct rp_worker *w = arg;
	struct rp_job *j = w->j;
	struct rp_seq s;
	double *sc = NULL;
	size_t cap = 0;
	struct sbuf tj = SBUF_INIT, tc = SBUF_INIT;
	struct arena *ta = j->texts != NULL ? &j->texts[w->no] : NULL;
	/* this worker's sums, added to the job's once at its end (not per
	 * recording: the two cores would pass those lines back and forth) */
	uint64_t anomalies = 0, syscalls = 0, kernel_n = 0;
	int64_t kernel_ns = 0;

	memset(&s, 0, sizeof(s));
	s.exploit_ts = INT64_MIN;
	for (;;) {
		size_t q = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED), k;
		struct dd_err e = DD_ERR_INIT;
		const struct rp_rec *r;
		if (q >= j->ntodo || __atomic_load_n(&j->rc, __ATOMIC_RELAXED))
			break;
		k = j->order[q];
		r = &j->ds->v[j->todo[k]];
		if (rp_dataset_load(j->ds, j->todo[k], &s, &e) < 0) {
			pthread_mutex_lock(&j->mu);
			if (j->rc == 0 || k < j->err_at) {
				j->err = e;
				j->err_at = k;
				j->rc = e.code ? e.code : DD_EINTERNAL;
			}
			pthread_cond_broadcast(&j->cv);
			pthread_mutex_unlock(&j->mu);
			break;
		}
		anomalies += s.anomalies;
		if (j->phase == 0) {
			j->det->ops->train(j->det, j->parts[w->no], &s,
			    r->attack);
			syscalls += s.n;
		} else {
			struct rp_row *row = &j->rows[k];
			if (s.n > cap) {
				cap = s.n;
				free(sc);
				sc = xcalloc(cap, sizeof(double));
			}
			int64_t t0 = time_now_ns();
			j->det->ops->score(j->det, &s, sc);
			kernel_ns += time_now_ns() - t0;
			kernel_n += s.n;
			if (k < j->nv) {
				/* validation: only its highest score counts */
				rp_metrics_rec(&s, sc, INFINITY, false, &row->m);
				rp_validated(j);
			} else {
				/* a test waits for the threshold (validation
				 * is dispatched first: the wait is short) */
				pthread_mutex_lock(&j->mu);
				while (!j->have_thr && j->rc == 0)
					pthread_cond_wait(&j->cv, &j->mu);
				pthread_mutex_unlock(&j->mu);
				if (!j->have_thr)
					break;
				rp_metrics_rec(&s, sc, j->threshold,
				    r->split == RP_TEST && r->attack, &row->m);
			}
			row->syscalls = s.n;
			{
				/* the row's text, here in parallel (the
				 * writer only joins the texts), made in the
				 * worker's buffers and copied out at its size */
				struct rp_row tmp = *row;
				tmp.name = r->name;
				tmp.scenario = r->scenario;
				tmp.split = r->split;
				tmp.attack = r->attack;
				sbuf_reset(&tj);
				sbuf_reset(&tc);
				rp_row_text(&tmp, &tj, &tc);
				row->json = tj.len ? arena_strndup(ta, tj.buf,
							 tj.len) :
						     NULL;
				row->csv = tc.len ? arena_strndup(ta, tc.buf,
							tc.len) :
						    NULL;
			}
			if (j->o->win_cb != NULL) {
				struct sbuf b = SBUF_INIT;
				if (j->mine[k])
					rp_win_rows(&b, r, &s, sc);
				pthread_mutex_lock(&j->mu);
				j->wtext[k] = b.len ? b.buf : NULL;
				j->wlen[k] = b.len;
				if (!b.len)
					sbuf_release(&b);
				j->wready[k] = true;
				rp_flush_windows(j);
				pthread_mutex_unlock(&j->mu);
			}
		}
		if (j->o->progress != NULL) {
			pthread_mutex_lock(&j->mu);
			j->done++;
			j->o->progress(j->o->progress_user,
			    j->phase == 0 ? "training" : "scoring", j->done,
			    j->ntodo);
			pthread_mutex_unlock(&j->mu);
		}
	}
	__atomic_fetch_add(&j->anomalies, anomalies, __ATOMIC_RELAXED);
	__atomic_fetch_add(&j->syscalls, syscalls, __ATOMIC_RELAXED);
	__atomic_fetch_add(&j->kernel_ns, kernel_ns, __ATOMIC_RELAXED);
	__atomic_fetch_add(&j->kernel_n, kernel_n, __ATOMIC_RELAXED);
	rp_seq_release(&s);
	sbuf_release(&tj);
	sbuf_release(&tc);
	free(sc);
	return NULL;
}

static const struct rp_job *rp_sched_job;

static int
rp_sched_cmp(const void *a, const void *b)
{
	const struct rp_job *j = rp_sched_job;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t sx = j->ds->v[j->todo[x]].size, sy = j->ds->v[j->todo[y]].size;

	if ((x < j->nv) != (y < j->nv))
		return x < j->nv ? -1 : 1;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Dispatch the largest recordings first (validation before test): the
 * phase ends when the last one does. Results do not depend on it. */
static void
rp_schedule(struct rp_job *j)
{
	size_t i;

	free(j->order);
	j->order = xcalloc(j->ntodo + 1, sizeof(size_t));
	for (i = 0; i < j->ntodo; i++)
		j->order[i] = i;
	rp_sched_job = j;
	qsort(j->order, j->ntodo, sizeof(size_t), rp_sched_cmp);
	rp_sched_job = NULL;
}

/* The training partials, one per worker. */
static void
rp_parts_make(struct rp_job *j, size_t n)
{
	size_t i;

	j->parts = xcalloc(n, sizeof(void *));
	for (i = 0; i < n; i++)
		j->parts[i] = j->det->ops->part_new(j->det);
	j->nparts = n;
}

static void *
rp_parts_thread(void *arg)
{
	struct rp_job *j = arg;

	rp_parts_make(j, j->o->jobs);
	return NULL;
}

/* With threads to spare, the partials are made (a detector may fault its
 * tables in there) on one while the calling thread lists the dataset. */
static void
rp_parts_early(struct rp_job *j)
{
	if (j->o->jobs > 1 &&
	    pthread_create(&j->parts_th, NULL, rp_parts_thread, j) == 0)
		j->parts_busy = true;
}

static void
rp_parts_ready(struct rp_job *j)
{
	if (j->parts_busy) {
		pthread_join(j->parts_th, NULL);
		j->parts_busy = false;
	}
}

/* Merge the partials and fit the model (on error too: the fit owns the
 * partial, so it is released through it). */
static void
rp_parts_fit(struct rp_job *j)
{
	size_t i;

	rp_parts_ready(j);
	if (j->parts == NULL)
		return;
	for (i = 1; i < j->nparts; i++)
		j->det->ops->merge(j->det, j->parts[0], j->parts[i]);
	if (j->rc == 0) {
		j->rc = j->det->ops->fit(j->det, j->parts[0], &j->err);
	} else {
		struct dd_err ig = DD_ERR_INIT;
		(void)j->det->ops->fit(j->det, j->parts[0], &ig);
	}
	free(j->parts);
	j->parts = NULL;
	j->nparts = 0;
}

static int
rp_phase(struct rp_job *j, int phase, struct dd_err *e)
{
	unsigned nw = j->o->jobs ? j->o->jobs : 1, i;
	pthread_t *th;
	struct rp_worker *w;

	if (nw > j->ntodo && j->ntodo > 0)
		nw = (unsigned)j->ntodo;
	j->phase = phase;
	j->next = 0;
	j->done = 0;
	rp_schedule(j);
	j->rc = 0;
	j->err_at = SIZE_MAX;
	th = xcalloc(nw, sizeof(*th));
	w = xcalloc(nw, sizeof(*w));
	if (phase == 0) {
		rp_parts_ready(j);
		if (j->parts == NULL)
			rp_parts_make(j, nw);
	}
	for (i = 0; i < nw; i++) {
		w[i].j = j;
		w[i].no = i;
	}
	if (nw == 1)
		rp_work(&w[0]);
	else {
		for (i = 0; i < nw; i++)
			if (pthread_create(&th[i], NULL, rp_work, &w[i]) != 0)
				BUG("pthread_create failed");
		for (i = 0; i < nw; i++)
			pthread_join(th[i], NULL);
	}
	if (phase == 0)
		rp_parts_fit(j);
	free(th);
	free(w);
	if (j->rc < 0) {
		*e = j->err;
		return j->rc;
	}
	return 0;
}

/* Supervised detectors: attack recordings of alternate scenario groups
 * (sorted; the 1st, 3rd...) move to training. A group is the scenario
 * without a trailing _<run number> (ADFA-LD: the attack class). */
static void
rp_supervised_split(struct rp_dataset *ds)
{
	char **g = NULL;
	size_t ng = 0, i, k;

	for (i = 0; i < ds->n; i++) {
		char *s, *u;
		if (!ds->v[i].attack)
			continue;
		s = xstrdup(ds->v[i].scenario);
		u = strrchr(s, '_');
		if (u != NULL && u[1] != '\0' &&
		    strspn(u + 1, "0123456789") == strlen(u + 1))
			*u = '\0';
		for (k = 0; k < ng && strcmp(g[k], s) != 0; k++)
			;
		if (k == ng) {
			g = xreallocarray(g, ng + 1, sizeof(*g));
			g[ng++] = s;
		} else
			free(s);
	}
	for (i = 0; i < ng; i++)
		for (k = i + 1; k < ng; k++)
			if (strcmp(g[k], g[i]) < 0) {
				char *t = g[i];
				g[i] = g[k];
				g[k] = t;
			}
	for (i = 0; i < ds->n; i++) {
		size_t gl;
		if (!ds->v[i].attack)
			continue;
		for (k = 0; k < ng; k += 2) {
			gl = strlen(g[k]);
			if (strncmp(ds->v[i].scenario, g[k], gl) == 0 &&
			    (ds->v[i].scenario[gl] == '\0' ||
				ds->v[i].scenario[gl] == '_'))
				ds->v[i].split = RP_TRAIN;
		}
	}
	for (i = 0; i < ng; i++)
		free(g[i]);
	free(g);
}

int
rp_run(const struct rp_opts *o, struct sbuf *out, struct sbuf *scores,
    struct dd_err *e)
{
	struct rp_dataset ds;
	struct rp_det det;
	struct rp_job j;
	struct rp_head h;
	size_t i, nrows = 0, nv = 0, ti = 0;
	struct rp_text tout = { out, o->stream ? o->out_fd : -1, 0 },
		       tsc = { scores, o->stream ? o->scores_fd : -1, 0 };
	int rc;
	const char *base = strrchr(o->path, '/');
	struct rp_stats st;
	int64_t t0 = time_now_ns(), t1;

	memset(&j, 0, sizeof(j));
	memset(&h, 0, sizeof(h));
	memset(&det, 0, sizeof(det));
	memset(&ds, 0, sizeof(ds));
#ifdef __GLIBC__
	/* Every recording allocates and frees its buffers: keep the freed
	 * top of the heap rather than hand it back and fault it in again (a
	 * page fault costs microseconds on virtual machines). The heap stays
	 * at its high-water mark. */
	(void)mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.cv, NULL);
	if ((rc = rp_det_parse(&det, o->detector, e)) < 0)
		goto out;
	det.jobs = o->jobs;
	j.o = o;
	j.det = &det;
	rp_parts_early(&j);
	if ((rc = rp_dataset_open(&ds, o->dataset, o->path, o->split_file,
		 e)) < 0)
		goto out;
	memset(&st, 0, sizeof(st));
	t1 = time_now_ns();
	st.list_ns = t1 - t0;
	t0 = t1;
	if (det.ops->supervised) {
		bool trained = false, tested = false;
		rp_supervised_split(&ds);
		for (i = 0; i < ds.n; i++) {
			trained |= ds.v[i].attack && ds.v[i].split == RP_TRAIN;
			tested |= ds.v[i].attack && ds.v[i].split == RP_TEST;
		}
		if (!trained || !tested) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s is supervised: it needs attack recordings of at "
			    "least two scenario groups (alternate groups train, "
			    "the others test); '%s' has %s",
			    det.ops->name, o->path,
			    trained ? "one" : "none");
			goto out;
		}
	}
	j.ds = &ds;
	j.todo = xcalloc(ds.n + 1, sizeof(size_t));
	/* training */
	for (i = 0; i < ds.n; i++) {
		if (ds.v[i].split == RP_TRAIN)
			j.todo[j.ntodo++] = i;
		else if (ds.v[i].split == RP_VALID)
			h.n_valid++;
		else {
			h.n_test++;
			h.n_test_attack += ds.v[i].attack;
		}
	}
	h.n_train = j.ntodo;
	if (j.ntodo == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' has no training recording", o->path);
		goto out;
	}
	if ((rc = rp_phase(&j, 0, e)) < 0)
		goto out;
	h.train_syscalls = j.syscalls;
	t1 = time_now_ns();
	st.train_ns = t1 - t0;
	t0 = t1;
	/* validation (all of it: the threshold), then this shard's tests */
	j.ntodo = 0;
	for (i = 0; i < ds.n; i++)
		if (ds.v[i].split == RP_VALID)
			j.todo[j.ntodo++] = i;
	nv = j.ntodo;
	for (i = 0; i < ds.n; i++)
		if (ds.v[i].split == RP_TEST &&
		    (ti++ % o->shard_n) == o->shard_i - 1)
			j.todo[j.ntodo++] = i;
	/* every row is written (by the workers): populated at once */
	j.nrows_cap = j.ntodo + 1;
	j.rows = xbigcalloc(j.nrows_cap, sizeof(*j.rows));
	if (o->win_cb != NULL) {
		j.wtext = xcalloc(j.ntodo + 1, sizeof(char *));
		j.wlen = xcalloc(j.ntodo + 1, sizeof(size_t));
		j.wready = xcalloc(j.ntodo + 1, sizeof(bool));
	}
	j.mine = xcalloc(j.ntodo + 1, sizeof(bool));
	j.texts = xcalloc(MAX(o->jobs, 1u), sizeof(*j.texts));
	j.ntexts = MAX(o->jobs, 1u);
	for (i = 0; i < j.ntodo; i++)
		j.mine[i] = ds.v[j.todo[i]].split != RP_VALID ||
		    (i % o->shard_n) == o->shard_i - 1;
	/* validation and this shard's tests in one pass: tests wait for
	 * the threshold only when they get ahead of the last validation */
	if (!o->threshold_given && nv == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' has no validation recording to learn the threshold "
		    "from: give --threshold",
		    o->path);
		goto out;
	}
	j.nv = o->threshold_given ? 0 : nv;
	j.have_thr = o->threshold_given;
	j.threshold = o->threshold;
	if ((rc = rp_phase(&j, 1, e)) < 0)
		goto out;
	t1 = time_now_ns();
	st.test_ns = t1 - t0; /* validation included */
	t0 = t1;
	/* rows: the shard's validation recordings and its tests, moved down
	 * in place (a second array would be pages touched for nothing); the
	 * names are the dataset's, borrowed */
	for (i = 0; i < j.ntodo; i++) {
		const struct rp_rec *r = &ds.v[j.todo[i]];
		struct rp_row *w = &j.rows[nrows];
		if (!j.mine[i]) { /* another shard's validation row */
			j.rows[i].json = j.rows[i].csv = NULL;
			continue;
		}
		if (w != &j.rows[i]) {
			*w = j.rows[i];
			j.rows[i].json = j.rows[i].csv = NULL; /* moved */
		}
		w->name = r->name;
		w->scenario = r->scenario;
		w->split = r->split;
		w->attack = r->attack;
		nrows++;
	}
	h.dataset = xstrdup(o->dataset);
	h.dname = xstrdup(base != NULL && base[1] != '\0' ? base + 1 :
							      o->path);
	h.split_rule = det.ops->supervised ?
	    xasprintf("%s; supervised: the attack recordings of alternate "
		      "scenario groups (1st, 3rd... by name) train",
		ds.split_rule) :
	    xstrdup(ds.split_rule);
	h.det = xstrdup(det.ops->name);
	h.np = det.nparams;
	h.pkey = xcalloc(h.np + 1, sizeof(char *));
	h.pval = xcalloc(h.np + 1, sizeof(char *));
	for (i = 0; i < h.np; i++) {
		h.pkey[i] = xstrdup(det.ops->params[i].key);
		h.pval[i] = xstrdup(det.val[i]);
	}
	h.thr_given = o->threshold_given;
	h.threshold = j.threshold;
	h.anomalies = j.anomalies;
	if (o->shard_n > 1)
		h.shard = xasprintf("%u/%u", o->shard_i, o->shard_n);
	rc = rp_emit(&h, j.rows, nrows, &tout, &tsc, e);
	st.emit_ns = time_now_ns() - t0;
	st.kernel_ns = j.kernel_ns;
	st.kernel_syscalls = j.kernel_n;
	if (o->stats != NULL)
		*o->stats = st;
out:
	rp_parts_fit(&j); /* a run that failed before training */
	for (i = 0; i < j.ntexts; i++)
		arena_release(&j.texts[i]);
	free(j.texts);
	xbigfree(j.rows, j.nrows_cap, sizeof(*j.rows));
	if (j.wtext != NULL)
		for (i = 0; i < j.ntodo; i++)
			free(j.wtext[i]);
	free(j.wtext);
	free(j.wlen);
	free(j.wready);
	free(j.mine);
	free(j.todo);
	pthread_mutex_destroy(&j.mu);
	pthread_cond_destroy(&j.cv);
	free(j.order);
	rp_head_release(&h);
	rp_det_release(&det);
	rp_dataset_release(&ds);
	return rc;
}

/* ---- merging shard results ---- */

static const char *
rp_jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static uint64_t
rp_ju(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) && json_integer_value(v) >= 0 ?
	    (uint64_t)json_integer_value(v) :
	    0;
}

static double
rp_jreal(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Everything but shard, metrics, roc and recordings must agree. */
static int
rp_same_head(json_t *a, json_t *b, const char *name, struct dd_err *e)
{
	static const char *const keys[] = { "drydock_version", "dataset",
		"detector", "decider" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_equal(json_object_get(a, keys[i]),
			json_object_get(b, keys[i])))
			return dd_err_set(e, DD_EFORMAT,
			    "%s: its %s differs from the first shard's: not "
			    "a shard of the same run",
			    name, keys[i]);
	return 0;
}

int
rp_merge(const char *const *texts, const char *const *names, size_t n,
    struct sbuf *out, struct sbuf *scores, struct dd_err *e)
{
	json_t **doc = xcalloc(n + 1, sizeof(json_t *)), *d0, *x, *p;
	struct rp_head h;
	struct rp_row *rows = NULL;
	size_t nrows = 0, i, k, N = 0;
	bool *seen = NULL;
	int rc = 0;
	const char *key;

	memset(&h, 0, sizeof(h));
	for (i = 0; i < n; i++) {
		json_error_t je;
		unsigned si, sn;
		const char *sh;
		doc[i] = json_loads(texts[i], 0, &je);
		if (!json_is_object(doc[i])) {
			rc = dd_err_set_at(e, DD_EFORMAT, je.position,
			    "%s: not a replay result (JSON: %s)", names[i],
			    je.text);
			goto out;
		}
		sh = rp_jstr(doc[i], "shard");
		if (sh == NULL || sscanf(sh, "%u/%u", &si, &sn) != 2 ||
		    si < 1 || si > sn) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: not a shard result (no \"shard\": \"I/N\"; "
			    "was it run with --shard?)",
			    names[i]);
			goto out;
		}
		if (i == 0) {
			/* every shard must be given: N beyond the inputs is
			 * a missing shard (and no allocation of N) */
			if (sn > n) {
				rc = dd_err_set(e, DD_EFORMAT,
				    "%s: shard %s of %u, but %zu results were "
				    "given: every shard is needed",
				    names[i], sh, sn, n);
				goto out;
			}
			N = sn;
			seen = xcalloc(N + 1, sizeof(bool));
		} else if (sn != N) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: shard %s of a run in %u, the first of %zu",
			    names[i], sh, sn, N);
			goto out;
		}
		if (seen[si]) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: shard %s given twice", names[i], sh);
			goto out;
		}
		seen[si] = true;
		if (i > 0 && (rc = rp_same_head(doc[0], doc[i], names[i],
				  e)) < 0)
			goto out;
	}
	for (i = 1; i <= N; i++)
		if (!seen[i]) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "shard %zu/%zu is missing", i, N);
			goto out;
		}
	d0 = doc[0];
	x = json_object_get(d0, "dataset");
	h.dataset = xstrdup(rp_jstr(x, "kind") ? rp_jstr(x, "kind") : "");
	h.dname = xstrdup(rp_jstr(x, "name") ? rp_jstr(x, "name") : "");
	h.split_rule = xstrdup(rp_jstr(x, "split_rule") ?
		rp_jstr(x, "split_rule") :
		"");
	h.train_syscalls = rp_ju(x, "training_syscalls");
	h.anomalies = rp_ju(x, "parse_anomalies");
	p = json_object_get(x, "recordings");
	h.n_train = rp_ju(p, "training");
	h.n_valid = rp_ju(p, "validation");
	h.n_test = rp_ju(p, "test");
	h.n_test_attack = rp_ju(p, "test_attack");
	x = json_object_get(d0, "detector");
	h.det = xstrdup(rp_jstr(x, "name") ? rp_jstr(x, "name") : "");
	p = json_object_get(x, "params");
	h.pkey = xcalloc(json_object_size(p) + 1, sizeof(char *));
	h.pval = xcalloc(json_object_size(p) + 1, sizeof(char *));
	json_object_foreach(p, key, x) {
		h.pkey[h.np] = xstrdup(key);
		h.pval[h.np] = xstrdup(json_is_string(x) ?
			json_string_value(x) :
			"");
		h.np++;
	}
	x = json_object_get(d0, "decider");
	h.thr_given = rp_jstr(x, "rule") != NULL &&
	    strcmp(rp_jstr(x, "rule"), "given") == 0;
	h.threshold = rp_jreal(x, "threshold");
	for (i = 0; i < n; i++) {
		json_t *a = json_object_get(doc[i], "recordings"), *r;
		json_array_foreach(a, k, r) {
			struct rp_row *w;
			const char *sp = rp_jstr(r, "split");
			const char *lb = rp_jstr(r, "label");
			json_t *dl;
			if (rp_jstr(r, "recording") == NULL || sp == NULL ||
			    lb == NULL) {
				rc = dd_err_set(e, DD_EFORMAT,
				    "%s: recording %zu lacks its name, split or "
				    "label",
				    names[i], k);
				goto out;
			}
			if ((nrows & (nrows - 1)) == 0)
				rows = xreallocarray(rows,
				    nrows ? nrows * 2 : 1, sizeof(*rows));
			w = &rows[nrows++];
			memset(w, 0, sizeof(*w));
			w->name = xstrdup(rp_jstr(r, "recording"));
			w->scenario = xstrdup(rp_jstr(r, "scenario") ?
				rp_jstr(r, "scenario") :
				"");
			w->split = strcmp(sp, "training") == 0 ? RP_TRAIN :
			    strcmp(sp, "validation") == 0      ? RP_VALID :
								 RP_TEST;
			w->attack = strcmp(lb, "attack") == 0;
			w->syscalls = rp_ju(r, "syscalls");
			w->m.scored = rp_ju(r, "scored");
			w->m.max_score = rp_jreal(r, "score");
			w->m.fp = rp_ju(r, "false_positives");
			w->m.tp = rp_ju(r, "true_positives");
			w->m.tn = rp_ju(r, "true_negatives");
			w->m.fn = rp_ju(r, "false_negatives");
			w->m.cfa = rp_ju(r, "consecutive_false_alarms");
			w->m.detected = json_is_true(
			    json_object_get(r, "detected"));
			w->m.delay_pos = INT64_MIN;
			w->m.delay_ns = INT64_MIN;
			dl = json_object_get(r, "delay_syscalls");
			if (json_is_integer(dl))
				w->m.delay_pos = json_integer_value(dl);
			dl = json_object_get(r, "delay_s");
			if (json_is_number(dl) &&
			    fabs(json_number_value(dl)) < 9e9)
				w->m.delay_ns = (int64_t)llround(
				    json_number_value(dl) * 1e9);
		}
	}
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), rp_row_cmp);
	for (i = 1; i < nrows; i++)
		if (rp_row_cmp(&rows[i - 1], &rows[i]) == 0) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "recording '%s' is in two shards", rows[i].name);
			goto out;
		}
	{
		struct rp_text tout = { out, -1, 0 }, tsc = { scores, -1, 0 };
		rc = rp_emit(&h, rows, nrows, &tout, &tsc, e);
	}
out:
	for (i = 0; i < n; i++)
		json_decref(doc[i]);
	free(doc);
	free(seen);
	rp_rows_release(rows, nrows);
	rp_head_release(&h);
	return rc;
}
