/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view-dashboard.c: the first screen: the case (evidence with hashes and
 * sizes, containers, time span, custody head), findings by severity, and
 * one activity sparkline per source over the case's time span with the
 * findings marked under them. Every line opens what it names.
 *
 * Counts come from summaries where the store keeps them (event, log,
 * audit and Kubernetes audit chunks: a chunk's events are spread evenly
 * over its time range), so the dashboard costs the same for a case of
 * ten million events as for ten.
 */
#include "core/common.h"
#include "tui/tui.h"

#include <sqlite3.h>

#include "core/custody.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define DASH_BUCKETS_MAX 400

static const struct {
	const char *label, *sql; /* rows of (lo, hi, n) */
	bool point;		 /* lo = hi: bucketed by SQL */
} dash_src[] = {
	{ "syscalls",
	  "SELECT c.ts_min + a.clock_offset AS lo, c.ts_max + a.clock_offset "
	  "AS hi, c.n AS n "
	  "FROM event_chunks c JOIN artifacts a ON a.id = c.artifact_id "
	  "WHERE c.ts_min IS NOT NULL", false },
	{ "network",
	  "SELECT f.first_ts + a.clock_offset AS lo, f.first_ts + "
	  "a.clock_offset AS hi, f.packets_fwd + f.packets_rev AS n FROM "
	  "flow_all f JOIN artifacts a ON a.id = f.artifact_id", true },
	{ "dns",
	  "SELECT d.ts + a.clock_offset AS lo, d.ts + a.clock_offset AS hi, 1 "
	  "AS n FROM dns_all d JOIN artifacts a ON a.id = d.artifact_id", true },
	{ "logs",
	  "SELECT c.ts_min + a.clock_offset AS lo, c.ts_max + a.clock_offset "
	  "AS hi, c.n AS n "
	  "FROM log_chunk_all c JOIN artifacts a ON a.id = c.artifact_id "
	  "WHERE c.ts_min IS NOT NULL", false },
	{ "audit",
	  "SELECT c.ts_min + a.clock_offset AS lo, c.ts_max + a.clock_offset "
	  "AS hi, c.n AS n "
	  "FROM audit_chunk_all c JOIN artifacts a ON a.id = c.artifact_id "
	  "WHERE c.ts_min IS NOT NULL", false },
	{ "k8s audit",
	  "SELECT c.ts_min + a.clock_offset AS lo, c.ts_max + a.clock_offset "
	  "AS hi, c.n AS n "
	  "FROM k8s_audit_chunk_all c JOIN artifacts a ON a.id = "
	  "c.artifact_id WHERE c.ts_min IS NOT NULL", false },
	{ "findings", "SELECT ts AS lo, ts AS hi, 1 AS n FROM findings WHERE ts "
	  "IS NOT NULL", true },
};
#define DASH_NSRC ARRAY_SIZE(dash_src)

/* The time span of source src (lo/hi widened), or its histogram over
 * [t0, t1] in nb buckets (h, total). Point sources are bucketed by SQL
 * (one pass, no rows copied); chunk summaries are spread evenly over
 * their time range. */
static void
dash_hist(struct store *s, int src, int64_t t0, int64_t t1, int nb,
    double *h, double *total, int64_t *lo, int64_t *hi)
{
	sqlite3_stmt *st = NULL;
	char *sql;

	if (lo != NULL)
		sql = xasprintf("SELECT min(lo), max(hi) FROM (%s)", dash_src[src].sql);
	else if (dash_src[src].point && t1 > t0)
		sql = xasprintf("SELECT b, b, sum(n) FROM (SELECT CAST((lo - "
		    "%" PRId64 ") * %d.0 / (%" PRId64 " + 1.0) AS INTEGER) AS b, "
		    "n FROM (%s)) GROUP BY b", t0, nb, t1 - t0, dash_src[src].sql);
	else
		sql = xasprintf("%s", dash_src[src].sql);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		free(sql);
		return;
	}
	free(sql);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t a = sqlite3_column_int64(st, 0);
		int64_t b = sqlite3_column_int64(st, 1);
		double n = (double)sqlite3_column_int64(st, 2);
		if (sqlite3_column_type(st, 0) == SQLITE_NULL)
			continue;
		if (lo != NULL) { /* the span */
			if (a < *lo)
				*lo = a;
			if (b > *hi)
				*hi = b;
			continue;
		}
		*total += n;
		if (dash_src[src].point && t1 > t0) { /* bucket numbers */
			if (a < 0)
				a = 0;
			if (a >= nb)
				a = nb - 1;
			h[a] += n;
			continue;
		}
		if (t1 <= t0) {
			h[0] += n;
			continue;
		}
		if (b < a)
			b = a;
		{
			double span = (double)(t1 - t0) + 1;
			int ba = (int)((double)(a - t0) / span * nb);
			int bb = (int)((double)(b - t0) / span * nb);
			if (ba < 0)
				ba = 0;
			if (bb >= nb)
				bb = nb - 1;
			if (ba > bb)
				ba = bb;
			for (int i = ba; i <= bb; i++)
				h[i] += n / (bb - ba + 1);
		}
	}
	sqlite3_finalize(st);
}

static int64_t
dash_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

bool
tui_span(struct store *s, int64_t *lo, int64_t *hi)
{
	*lo = INT64_MAX;
	*hi = INT64_MIN;
	for (size_t i = 0; i < DASH_NSRC; i++)
		dash_hist(s, (int)i, 0, 0, 1, NULL, NULL, lo, hi);
	return *lo <= *hi;
}

void
tui_activity(struct store *s, int64_t t0, int64_t t1, int nb, double *h)
{
	double tot = 0;

	memset(h, 0, (size_t)nb * sizeof(*h));
	for (size_t i = 0; i + 1 < DASH_NSRC; i++) /* findings apart */
		dash_hist(s, (int)i, t0, t1, nb, h, &tot, NULL, NULL);
}

const char *
tui_bar(double v, double max, bool utf8)
{
	static const char *const bars[] = { " ", "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const abars[] = { " ", ".", ".", ":", ":", "+",
		"+", "#", "#" };
	int lv = v <= 0 || max <= 0 ? 0 : 1 + (int)(v / max * 7.999);

	if (lv > 8)
		lv = 8;
	return utf8 ? bars[lv] : abars[lv];
}

struct tui_page *
tui_dashboard_new(struct tui_ctx *x)
{
	struct tui_page *p = tui_text_new("Dashboard");
	struct store *s = x->s;
	sqlite3_stmt *st = NULL;
	int64_t lo = INT64_MAX, hi = INT64_MIN, n;
	char head[SHA256_HEX] = "", t0[40], t1[40], sz[32];
	int64_t seq = 0;
	int w, hgt, nb;
	struct dd_err e = DD_ERR_INIT;
	static const char *const sev[] = { "critical", "high", "medium",
		"low", "info" };

	tui_draw_size(&w, &hgt);
	if (w < 80)
		w = 80;
	{
		char *name = store_meta_get(s, "name");
		char *id = store_meta_get(s, "case_id");
		custody_head(s, head, &seq, &e);
		tui_text_add(p, TA_BOLD, NULL, NULL, "Case %s  (%.12s)  custody "
		    "head %.16s, %" PRId64 " rows", name != NULL ? name :
		    x->case_path, id != NULL ? id : "?", head, seq);
		free(name);
		free(id);
	}
	if (tui_span(s, &lo, &hi)) {
		time_fmt_ns(lo, t0);
		time_fmt_ns(hi, t1);
		tui_text_add(p, 0, "@screen", "3", "Time span %s .. %s (%.1f s)",
		    t0, t1, (double)(hi - lo) / 1e9);
	} else {
		tui_text_add(p, TA_DIM, NULL, NULL, "Time span: nothing in the "
		    "case has a time");
	}
	tui_text_add(p, 0, NULL, NULL, "%s", "");

	/* findings by severity */
	{
		char line[256];
		size_t o = 0;
		int64_t total = dash_int(s, "SELECT count(*) FROM findings");
		o += (size_t)snprintf(line + o, sizeof(line) - o,
		    "Findings %" PRId64 ":", total);
		for (int i = 0; i < 5; i++) {
			char q[160];
			snprintf(q, sizeof(q), "SELECT count(*) FROM findings "
			    "WHERE severity = '%s'", sev[i]);
			n = dash_int(s, q);
			o += (size_t)snprintf(line + o, sizeof(line) - o,
			    "  %s %" PRId64, sev[i], n);
		}
		tui_text_add(p, TA_BOLD, "@screen", "2", "%s", line);
		for (int i = 0; i < 4; i++) {
			char q[160], key[64];
			snprintf(q, sizeof(q), "SELECT count(*) FROM findings "
			    "WHERE severity = '%s'", sev[i]);
			if ((n = dash_int(s, q)) == 0)
				continue;
			snprintf(key, sizeof(key), "2\tseverity=%s", sev[i]);
			tui_text_add(p, i < 2 ? TA_FG(TC_RED) : i == 2 ?
			    TA_FG(TC_YELLOW) : 0, "@screen", key,
			    "  %-9s %" PRId64 " finding%s", sev[i], n, n == 1 ?
			    "" : "s");
		}
	}
	tui_text_add(p, 0, NULL, NULL, "%s", "");

	/* activity */
	nb = w - 24;
	if (nb > DASH_BUCKETS_MAX)
		nb = DASH_BUCKETS_MAX;
	if (lo <= hi) {
		double *fm = xcalloc((size_t)nb, sizeof(double));
		double ft = 0;
		tui_text_add(p, TA_BOLD, NULL, NULL, "Activity over the span "
		    "(^ marks a finding)");
		dash_hist(s, (int)DASH_NSRC - 1, lo, hi, nb, fm, &ft, NULL,
		    NULL);
		for (size_t i = 0; i + 1 < DASH_NSRC; i++) {
			double *h = xcalloc((size_t)nb, sizeof(double)), tot =
			    0, max = 0;
			struct sbuf line;
			char key[8];
			static const char *const scr[] = { "5", "6", "6", "8",
				"3", "3" };
			dash_hist(s, (int)i, lo, hi, nb, h, &tot, NULL, NULL);
			if (tot == 0) {
				free(h);
				continue;
			}
			for (int b = 0; b < nb; b++)
				if (h[b] > max)
					max = h[b];
			sbuf_init(&line, SBUF_MAX_DEFAULT);
			sbuf_addf(&line, "%-10s ", dash_src[i].label);
			for (int b = 0; b < nb; b++)
				sbuf_addstr(&line, tui_bar(h[b], max,
				    x->cv.utf8));
			sbuf_addf(&line, " %.0f", tot);
			snprintf(key, sizeof(key), "%s", scr[i]);
			tui_text_add(p, 0, "@screen", key, "%s", line.buf);
			sbuf_release(&line);
			free(h);
		}
		{
			struct sbuf line;
			sbuf_init(&line, SBUF_MAX_DEFAULT);
			sbuf_addf(&line, "%-10s ", "findings");
			for (int b = 0; b < nb; b++)
				sbuf_addch(&line, fm[b] > 0 ? '^' : ' ');
			sbuf_addf(&line, " %.0f", ft);
			tui_text_add(p, TA_FG(TC_RED), "@screen", "2", "%s",
			    line.buf);
			sbuf_release(&line);
		}
		free(fm);
		tui_text_add(p, 0, NULL, NULL, "%s", "");
	}

	/* evidence */
	n = dash_int(s, "SELECT count(*) FROM artifacts WHERE group_id IS "
	    "NULL OR group_id = id");
	tui_text_add(p, TA_BOLD, "@screen", "9", "Evidence (%" PRId64 ")", n);
	if (sqlite3_prepare_v2(s->db, "SELECT id, format, size, sha256, name "
	    "FROM artifacts WHERE group_id IS NULL OR group_id = id ORDER BY "
	    "id LIMIT 40", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			char key[32], line[512];
			const char *nm = (const char *)sqlite3_column_text(st,
			    4);
			snprintf(key, sizeof(key), "%" PRId64,
			    (int64_t)sqlite3_column_int64(st, 0));
			fmt_bytes((uint64_t)sqlite3_column_int64(st, 2), sz, sizeof(sz));
			snprintf(line, sizeof(line), "  #%-4s %-12s %10s  "
			    "%.16s  ", key, sqlite3_column_text(st, 1) ?
			    (const char *)sqlite3_column_text(st, 1) : "?", sz,
			    sqlite3_column_text(st, 3) ?
			    (const char *)sqlite3_column_text(st, 3) : "");
			/* the name is evidence: appended raw, shown safely */
			{
				size_t ll = strlen(line), nl = nm ? strlen(nm) :
				    0;
				char *full = xmalloc(ll + nl + 1);
				memcpy(full, line, ll);
				if (nl)
					memcpy(full + ll, nm, nl);
				tui_text_addn(p, 0, "artifacts", key, full,
				    ll + nl);
				free(full);
			}
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	tui_text_add(p, 0, NULL, NULL, "%s", "");

	/* containers */
	n = dash_int(s, "SELECT count(*) FROM containers");
	tui_text_add(p, TA_BOLD, "@screen", "8", "Containers (%" PRId64 ")",
	    n);
	if (sqlite3_prepare_v2(s->db, "SELECT c.id, coalesce(c.name, ''), "
	    "coalesce(c.image, ''), c.privileged, (SELECT count(*) FROM "
	    "findings f WHERE f.container_id = c.id) FROM containers c ORDER "
	    "BY 5 DESC, c.id LIMIT 20", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st,
			    0);
			struct sbuf_line {
				char b[600];
			} ln;
			if (id == NULL)
				continue;
			snprintf(ln.b, sizeof(ln.b), "  %.12s  %-24.24s %s%3"
			    PRId64 " findings  %s", id,
			    (const char *)sqlite3_column_text(st, 1),
			    sqlite3_column_int64(st, 3) == 1 ? "privileged " :
			    "", (int64_t)sqlite3_column_int64(st, 4),
			    (const char *)sqlite3_column_text(st, 2));
			tui_text_add(p, sqlite3_column_int64(st, 3) == 1 ?
			    TA_FG(TC_RED) : 0, "containers", id, "%s", ln.b);
		}
	}
	sqlite3_finalize(st);
	return p;
}
