/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-formats.c: the CSV, Timesketch, SARIF and HTML report writers
 * over the model of model.h. Deterministic like the others: no clock, the
 * model's order, the case's own times.
 *
 *   csv         one row per finding, RFC 4180, LF line ends, a header;
 *               the custody head is the last column of every row
 *   timesketch  JSON lines, one per finding with a time: message,
 *               datetime (RFC 3339), timestamp (microseconds),
 *               timestamp_desc, plus the finding's fields
 *   sarif       SARIF 2.1.0: one run, the rules the findings used (with
 *               ATT&CK ids as tags), one result per finding; the custody
 *               head in the run's properties
 *   html        one self-contained page: no script, no external resource
 *               (a Content-Security-Policy says so), inline SVG charts:
 *               activity over time per source with the findings marked,
 *               findings by severity and by container, the process tree
 *               of the container with the most severe findings
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/finding.h"
#include "core/report/model.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/version.h"
#include "core/xmalloc.h"

/* ---- CSV ---- */

static void
report_csv_cell(FILE *out, const char *s)
{
	struct sbuf d = SBUF_INIT;

	if (s == NULL)
		s = "";
	esc_display(&d, s, strlen(s));
	fputc('"', out);
	if (d.len > 0 && strchr("=+-@\t\r", d.buf[0]) != NULL)
		fputc('\'', out);
	for (const char *p = d.buf; p != NULL && *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
	sbuf_release(&d);
}

int
report_write_csv(struct report_model *m, FILE *out)
{
	fputs("id,analyzer,rule,severity,confidence,time,title,detail,attack,"
	      "container_id,evidence,custody_head\n", out);
	for (size_t i = 0; i < m->nfs; i++) {
		const struct report_finding *f = &m->fs[i];
		struct sbuf ev = SBUF_INIT;
		char t[40] = "";
		json_t *att;

		if (f->has_ts)
			time_fmt_ns(f->ts, t);
		for (size_t k = 0; k < f->nev; k++)
			sbuf_addf(&ev, "%s%s:%s", k ? " " : "", f->ev[k].a,
			    f->ev[k].b);
		report_csv_cell(out, f->id);
		fputc(',', out);
		report_csv_cell(out, f->analyzer);
		fputc(',', out);
		report_csv_cell(out, f->rule);
		fputc(',', out);
		report_csv_cell(out, f->severity);
		fprintf(out, ",%.2f,", f->confidence);
		report_csv_cell(out, t);
		fputc(',', out);
		report_csv_cell(out, f->title);
		fputc(',', out);
		report_csv_cell(out, f->detail);
		fputc(',', out);
		{
			struct sbuf a = SBUF_INIT;
			size_t k;
			json_t *v;
			att = f->attack ? json_loads(f->attack, 0, NULL) : NULL;
			json_array_foreach(att, k, v)
				sbuf_addf(&a, "%s%s", k ? " " : "",
				    json_string_value(v) ?
				    json_string_value(v) : "");
			json_decref(att);
			report_csv_cell(out, a.buf);
			sbuf_release(&a);
		}
		fputc(',', out);
		report_csv_cell(out, f->container_id);
		fputc(',', out);
		report_csv_cell(out, ev.buf);
		fputc(',', out);
		report_csv_cell(out, m->head);
		fputc('\n', out);
		sbuf_release(&ev);
	}
	return 0;
}

/* ---- JSON helpers shared by Timesketch and SARIF ---- */

static json_t *
report_attack(const struct report_finding *f)
{
	json_t *att = f->attack ? json_loads(f->attack, 0, NULL) : NULL;

	if (json_is_array(att))
		return att;
	json_decref(att);
	return json_array();
}

static json_t *
report_evidence(const struct report_finding *f)
{
	json_t *ev = json_array();

	for (size_t k = 0; k < f->nev; k++)
		json_array_append_new(ev, json_pack("{s:o, s:o}", "relation",
		    report_js(f->ev[k].a), "key", report_js(f->ev[k].b)));
	return ev;
}

int
report_dump(json_t *o, size_t flags, FILE *out, struct dd_err *e)
{
	int rc = 0;

	if (json_dumpf(o, out, flags | JSON_PRESERVE_ORDER) != 0)
		rc = dd_err_set(e, DD_EIO, "cannot write the report");
	else
		fputc('\n', out);
	json_decref(o);
	return rc;
}

/* ---- Timesketch ---- */

int
report_write_timesketch(struct report_model *m, FILE *out, struct dd_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < m->nfs && rc == 0; i++) {
		const struct report_finding *f = &m->fs[i];
		struct sbuf msg = SBUF_INIT;
		json_t *o;

		if (!f->has_ts)
			continue; /* Timesketch needs a time */
		sbuf_addf(&msg, "[%s] %s", f->severity, f->title ?
		    f->title : "");
		o = json_object();
		json_object_set_new(o, "message", report_js(msg.buf));
		json_object_set_new(o, "datetime", report_js_time(true,
		    f->ts));
		json_object_set_new(o, "timestamp", json_integer(f->ts /
		    1000));
		json_object_set_new(o, "timestamp_desc", json_string(
		    "Finding time"));
		json_object_set_new(o, "data_type", json_string(
		    "drydock:finding"));
		json_object_set_new(o, "finding_id", report_js(f->id));
		json_object_set_new(o, "analyzer", report_js(f->analyzer));
		json_object_set_new(o, "rule", report_js(f->rule));
		json_object_set_new(o, "severity", report_js(f->severity));
		json_object_set_new(o, "confidence", json_real(f->confidence));
		json_object_set_new(o, "detail", report_js(f->detail));
		json_object_set_new(o, "attack", report_attack(f));
		json_object_set_new(o, "container_id",
		    report_js(f->container_id));
		json_object_set_new(o, "evidence", report_evidence(f));
		json_object_set_new(o, "case", report_js(m->case_name));
		json_object_set_new(o, "custody_head", report_js(m->head));
		sbuf_release(&msg);
		rc = report_dump(o, JSON_COMPACT | JSON_REAL_PRECISION(6), out,
		    e);
	}
	return rc;
}

/* ---- SARIF 2.1.0 ---- */

static const char *
report_sarif_level(int sev)
{
	return sev >= SEV_HIGH ? "error" : sev == SEV_MEDIUM ? "warning" :
	    "note";
}

int
report_write_sarif(struct report_model *m, FILE *out, struct dd_err *e)
{
	json_t *root = json_object(), *run = json_object(),
	       *driver = json_object(), *rules = json_array(),
	       *results = json_array(), *ridx = json_object();

	json_object_set_new(root, "$schema", json_string(
	    "https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(root, "version", json_string("2.1.0"));
	json_object_set_new(driver, "name", json_string("drydock"));
	json_object_set_new(driver, "version", json_string(DD_VERSION));
	json_object_set_new(driver, "informationUri", json_string(
	    "https://github.com/drydock/drydock"));
	for (size_t i = 0; i < m->nfs; i++) {
		const struct report_finding *f = &m->fs[i];
		const char *rule = f->rule ? f->rule : "?";
		json_t *r = json_object(), *props, *ix;

		if ((ix = json_object_get(ridx, rule)) == NULL) {
			json_t *d = json_object(), *p = json_object();
			json_object_set_new(d, "id", report_js(rule));
			json_object_set_new(d, "name", report_js(rule));
			json_object_set_new(d, "shortDescription",
			    json_pack("{s:o}", "text", report_js(f->title)));
			json_object_set_new(p, "tags", report_attack(f));
			json_object_set_new(p, "analyzer",
			    report_js(f->analyzer));
			json_object_set_new(d, "properties", p);
			ix = json_integer((json_int_t)json_array_size(rules));
			json_object_set_new(ridx, rule, ix);
			json_array_append_new(rules, d);
		}
		json_object_set_new(r, "ruleId", report_js(rule));
		json_object_set_new(r, "ruleIndex", json_integer(
		    json_integer_value(ix)));
		json_object_set_new(r, "level", json_string(
		    report_sarif_level(f->sev)));
		{
			struct sbuf msg = SBUF_INIT;
			sbuf_addf(&msg, "%s. %s", f->title ? f->title : "",
			    f->detail ? f->detail : "");
			json_object_set_new(r, "message", json_pack("{s:o}",
			    "text", report_js(msg.buf)));
			sbuf_release(&msg);
		}
		json_object_set_new(r, "partialFingerprints", json_pack(
		    "{s:o}", "drydockFindingId/v1", report_js(f->id)));
		props = json_object();
		json_object_set_new(props, "severity", report_js(f->severity));
		json_object_set_new(props, "confidence",
		    json_real(f->confidence));
		json_object_set_new(props, "analyzer", report_js(f->analyzer));
		json_object_set_new(props, "time", report_js_time(f->has_ts,
		    f->ts));
		json_object_set_new(props, "attack", report_attack(f));
		json_object_set_new(props, "container_id",
		    report_js(f->container_id));
		json_object_set_new(props, "evidence", report_evidence(f));
		json_object_set_new(r, "properties", props);
		json_array_append_new(results, r);
	}
	json_object_set_new(driver, "rules", rules);
	json_object_set_new(run, "tool", json_pack("{s:o}", "driver",
	    driver));
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "properties", json_pack("{s:o, s:o, s:o}",
	    "case", report_js(m->case_name), "case_id", report_js(m->case_id),
	    "custody_head", report_js(m->head)));
	json_object_set_new(root, "runs", json_pack("[o]", run));
	json_decref(ridx);
	return report_dump(root, JSON_INDENT(2) | JSON_REAL_PRECISION(6), out,
	    e);
}

/* ---- HTML ---- */

static const char *const report_sev_color[5] = {
	"#607d8b", "#c9a227", "#ef6c00", "#c62828", "#6a1b9a",
};

/* Evidence text for HTML: control bytes visible, then entities. */
static void
report_h(FILE *out, const char *s)
{
	struct sbuf d = SBUF_INIT;

	if (s == NULL)
		return;
	esc_display(&d, s, strlen(s));
	for (const char *p = d.buf; p != NULL && *p != '\0'; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*p, out);
		}
	}
	sbuf_release(&d);
}

#define HTML_BUCKETS 60

struct report_src {
	const char *label, *rel, *col;
	int64_t min, max, n;
	int64_t b[HTML_BUCKETS];
};

struct report_range {
	int64_t min, max;
	struct report_src *src;
};

static int
report_minmax_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_src *s = user;

	(void)e;
	s->n = rowq_int(r, 2);
	if (s->n > 0 && !rowq_null(r, 0)) {
		s->min = rowq_int(r, 0);
		s->max = rowq_int(r, 1);
	} else {
		s->n = 0;
	}
	return 0;
}

static int
report_bucket_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_range *g = user;
	int64_t k = rowq_int(r, 0);

	(void)e;
	if (k >= 0 && k < HTML_BUCKETS)
		g->src->b[k] += rowq_int(r, 1);
	return 0;
}

static int64_t
report_bucket_of(const struct report_range *g, int64_t ts)
{
	__int128 span = (__int128)g->max - g->min + 1;
	int64_t k = (int64_t)(((__int128)ts - g->min) * HTML_BUCKETS / span);

	return k < 0 ? 0 : k >= HTML_BUCKETS ? HTML_BUCKETS - 1 : k;
}

/* Activity per source over the case's time span, findings marked. */
static int
report_html_activity(struct store *s, struct report_model *m, FILE *out,
    struct dd_err *e)
{
	struct report_src src[] = {
		{ "syscalls", "events", "ts", 0, 0, 0, { 0 } },
		{ "flows", "flows", "first_ts", 0, 0, 0, { 0 } },
		{ "dns", "dns", "ts", 0, 0, 0, { 0 } },
		{ "logs", "logs", "ts", 0, 0, 0, { 0 } },
		{ "audit", "audit", "ts", 0, 0, 0, { 0 } },
	};
	struct report_range g = { INT64_MAX, INT64_MIN, NULL };
	const size_t nsrc = ARRAY_SIZE(src);
	char sql[256], t0[40], t1[40];
	int rc = 0, lanes = 0, y;

	for (size_t i = 0; i < nsrc && rc == 0; i++) {
		snprintf(sql, sizeof(sql), "SELECT min(%s), max(%s), count(%s) "
		    "FROM %s", src[i].col, src[i].col, src[i].col, src[i].rel);
		rc = rowq_each(s, sql, NULL, 0, report_minmax_row, &src[i], e);
		if (src[i].n > 0) {
			g.min = src[i].min < g.min ? src[i].min : g.min;
			g.max = src[i].max > g.max ? src[i].max : g.max;
			lanes++;
		}
	}
	for (size_t i = 0; i < m->nfs; i++)
		if (m->fs[i].has_ts) {
			g.min = m->fs[i].ts < g.min ? m->fs[i].ts : g.min;
			g.max = m->fs[i].ts > g.max ? m->fs[i].ts : g.max;
		}
	if (rc < 0)
		return rc;
	if (g.min > g.max) {
		fputs("<p>No timed activity in the case.</p>\n", out);
		return 0;
	}
	for (size_t i = 0; i < nsrc && rc == 0; i++) {
		char a[24], b[24];
		const char *bind[2] = { a, b };
		if (src[i].n == 0)
			continue;
		snprintf(a, sizeof(a), "%" PRId64, g.min);
		snprintf(b, sizeof(b), "%" PRId64, g.max);
		snprintf(sql, sizeof(sql), "SELECT CAST((%s - CAST(?1 AS "
		    "INTEGER)) * %d.0 / (CAST(?2 AS INTEGER) - CAST(?1 AS "
		    "INTEGER) + 1) AS INTEGER) AS k, count(*) FROM %s WHERE %s "
		    "IS NOT NULL GROUP BY k ORDER BY k", src[i].col,
		    HTML_BUCKETS, src[i].rel, src[i].col);
		g.src = &src[i];
		rc = rowq_each(s, sql, bind, 2, report_bucket_row, &g, e);
	}
	if (rc < 0)
		return rc;
	time_fmt_ns(g.min, t0);
	time_fmt_ns(g.max, t1);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" "
	    "height=\"%d\" role=\"img\" aria-label=\"activity over time\">\n",
	    60 + 44 * lanes);
	/* findings lane */
	fputs("<text x=\"0\" y=\"22\" class=\"l\">findings</text>\n", out);
	for (size_t i = 0; i < m->nfs; i++) {
		const struct report_finding *f = &m->fs[i];
		int64_t k;
		if (!f->has_ts)
			continue;
		k = report_bucket_of(&g, f->ts);
		fprintf(out, "<rect x=\"%d\" y=\"8\" width=\"3\" height=\"20\" "
		    "fill=\"%s\"><title>", 120 + (int)(k * 13), report_sev_color[
		    f->sev < 0 ? 0 : f->sev > 4 ? 4 : f->sev]);
		report_h(out, f->title);
		fputs("</title></rect>\n", out);
	}
	y = 40;
	for (size_t i = 0; i < nsrc; i++) {
		int64_t mx = 1;
		if (src[i].n == 0)
			continue;
		for (int k = 0; k < HTML_BUCKETS; k++)
			mx = src[i].b[k] > mx ? src[i].b[k] : mx;
		fprintf(out, "<text x=\"0\" y=\"%d\" class=\"l\">%s (%" PRId64
		    ")</text>\n", y + 24, src[i].label, src[i].n);
		for (int k = 0; k < HTML_BUCKETS; k++) {
			int h = src[i].b[k] ? (int)(1 + src[i].b[k] * 35 / mx) :
			    0;
			if (h > 0)
				fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"11\" "
				    "height=\"%d\" fill=\"#455a64\"><title>%"
				    PRId64 "</title></rect>\n", 120 + k * 13,
				    y + 38 - h, h, src[i].b[k]);
		}
		y += 44;
	}
	fprintf(out, "<text x=\"120\" y=\"%d\" class=\"s\">%s</text>"
	    "<text x=\"900\" y=\"%d\" class=\"s\" text-anchor=\"end\">%s"
	    "</text>\n</svg>\n", y + 14, t0, y + 14, t1);
	return 0;
}

static void
report_html_severity(struct report_model *m, FILE *out)
{
	static const char *const names[5] = { "info", "low", "medium",
		"high", "critical" };
	size_t mx = 1;

	for (int i = 0; i < 5; i++)
		mx = m->sevcount[i] > mx ? m->sevcount[i] : mx;
	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"460\" "
	    "height=\"130\" role=\"img\" aria-label=\"findings by severity\">\n",
	    out);
	for (int i = 4, row = 0; i >= 0; i--, row++) {
		int w = (int)(m->sevcount[i] * 300 / mx);
		fprintf(out, "<text x=\"0\" y=\"%d\" class=\"l\">%s</text>"
		    "<rect x=\"80\" y=\"%d\" width=\"%d\" height=\"18\" "
		    "fill=\"%s\"/><text x=\"%d\" y=\"%d\" class=\"l\">%zu</text>\n",
		    row * 24 + 16, names[i], row * 24 + 3, w,
		    report_sev_color[i], 86 + w, row * 24 + 16, m->sevcount[i]);
	}
	fputs("</svg>\n", out);
}

/* Findings by container, stacked by severity (the 12 with most). */
static void
report_html_containers(struct report_model *m, FILE *out)
{
	struct { const char *cid; size_t n[5], total; } c[13];
	size_t nc = 0, mx = 1, other[5] = { 0 };

	memset(c, 0, sizeof(c));
	for (size_t i = 0; i < m->nfs; i++) {
		const char *id = m->fs[i].container_id;
		int sv = m->fs[i].sev < 0 ? 0 : m->fs[i].sev > 4 ? 4 :
		    m->fs[i].sev;
		size_t k;
		for (k = 0; k < nc; k++)
			if ((id == NULL && c[k].cid == NULL) || (id != NULL &&
			    c[k].cid != NULL && strcmp(id, c[k].cid) == 0))
				break;
		if (k == nc) {
			if (nc == 12) {
				other[sv]++;
				continue;
			}
			c[nc++].cid = id;
		}
		c[k].n[sv]++;
		c[k].total++;
	}
	for (size_t k = 0; k < nc; k++)
		mx = c[k].total > mx ? c[k].total : mx;
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"660\" "
	    "height=\"%zu\" role=\"img\" aria-label=\"findings by "
	    "container\">\n", 24 * nc + 10);
	for (size_t k = 0; k < nc; k++) {
		int x = 200;
		fprintf(out, "<text x=\"0\" y=\"%zu\" class=\"l\">", k * 24 + 16);
		if (c[k].cid != NULL)
			report_h(out, c[k].cid);
		else
			fputs("(no container)", out);
		fputs("</text>", out);
		for (int sv = 4; sv >= 0; sv--) {
			int w = (int)(c[k].n[sv] * 380 / mx);
			if (w == 0)
				continue;
			fprintf(out, "<rect x=\"%d\" y=\"%zu\" width=\"%d\" "
			    "height=\"18\" fill=\"%s\"/>", x, k * 24 + 3, w,
			    report_sev_color[sv]);
			x += w;
		}
		fprintf(out, "<text x=\"%d\" y=\"%zu\" class=\"l\">%zu</text>\n",
		    x + 6, k * 24 + 16, c[k].total);
	}
	fputs("</svg>\n", out);
	if (other[0] + other[1] + other[2] + other[3] + other[4] > 0)
		fprintf(out, "<p>%zu findings of further containers.</p>\n",
		    other[0] + other[1] + other[2] + other[3] + other[4]);
}

struct report_proc {
	int64_t id, pid, ppid;
	char *comm, *exe;
};

struct report_procs {
	struct report_proc *v;
	size_t n;
};

static int
report_proc_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_procs *p = user;
	struct report_proc *x;

	(void)e;
	p->v = xreallocarray(p->v, p->n + 1, sizeof(*p->v));
	x = &p->v[p->n++];
	x->id = rowq_int(r, 0);
	x->pid = rowq_int(r, 1);
	x->ppid = rowq_null(r, 2) ? -1 : rowq_int(r, 2);
	x->comm = xstrdup(rowq_text(r, 3));
	x->exe = xstrdup(rowq_text(r, 4));
	return 0;
}

static void
report_tree_lines(FILE *out, const struct report_procs *p, size_t at,
    int depth, int *line, bool *done)
{
	const struct report_proc *x = &p->v[at];

	if (done[at] || *line >= 300 || depth > 40)
		return;
	done[at] = true;
	fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"m\">%" PRId64 " ",
	    8 + depth * 18, 16 + *line * 18, x->pid);
	report_h(out, x->comm);
	if (x->exe[0] != '\0') {
		fputs(" (", out);
		report_h(out, x->exe);
		fputs(")", out);
	}
	fputs("</text>\n", out);
	(*line)++;
	for (size_t i = 0; i < p->n; i++)
		if (!done[i] && p->v[i].ppid == x->pid)
			report_tree_lines(out, p, i, depth + 1, line, done);
}

/* The process tree of the container of the most severe finding that
 * names one. */
static int
report_html_tree(struct store *s, struct report_model *m, FILE *out,
    struct dd_err *e)
{
	const char *cid = NULL;
	struct report_procs p = { NULL, 0 };
	bool *done;
	int rc, line = 0;

	for (size_t i = 0; i < m->nfs && cid == NULL; i++)
		cid = m->fs[i].container_id;
	fputs("<h2>Process tree of the attacked container</h2>\n", out);
	if (cid == NULL) {
		fputs("<p>No finding names a container.</p>\n", out);
		return 0;
	}
	{
		const char *b[1] = { cid };
		rc = rowq_each(s, "SELECT id, pid, ppid, coalesce(comm, ''), "
		    "coalesce(exe, '') FROM processes WHERE container_id = ?1 "
		    "ORDER BY start_ts, pid, id LIMIT 2000", b, 1,
		    report_proc_row, &p, e);
	}
	if (rc < 0)
		goto out;
	fputs("<p>Container <code>", out);
	report_h(out, cid);
	fprintf(out, "</code>: %zu processes known.</p>\n", p.n);
	if (p.n == 0)
		goto out;
	done = xcalloc(p.n, sizeof(*done));
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960\" "
	    "height=\"%zu\" role=\"img\" aria-label=\"process tree\">\n",
	    (p.n < 300 ? p.n : 300) * 18 + 10);
	for (size_t i = 0; i < p.n; i++) {
		bool root = true;
		for (size_t k = 0; k < p.n && root; k++)
			root = p.v[k].pid != p.v[i].ppid || k == i;
		if (root)
			report_tree_lines(out, &p, i, 0, &line, done);
	}
	for (size_t i = 0; i < p.n; i++) /* cycles: shown flat */
		report_tree_lines(out, &p, i, 0, &line, done);
	fputs("</svg>\n", out);
	free(done);
out:
	for (size_t i = 0; i < p.n; i++) {
		free(p.v[i].comm);
		free(p.v[i].exe);
	}
	free(p.v);
	return rc;
}

int
report_write_html(struct store *s, struct report_model *m, FILE *out,
    struct dd_err *e)
{
	int rc;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "\n<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
	    "<title>drydock report: ", out);
	report_h(out, m->case_name);
	fputs("</title>\n<style>body{font:14px/1.4 sans-serif;margin:2em;"
	    "max-width:1000px}table{border-collapse:collapse;width:100%}"
	    "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;"
	    "vertical-align:top}code,.m{font-family:monospace}"
	    ".l{font:12px sans-serif}.s{font:11px sans-serif;fill:#555}"
	    ".m{font-size:12px}.sev{color:#fff;padding:1px 5px;"
	    "border-radius:3px}</style>\n</head><body>\n<h1>drydock report: ",
	    out);
	report_h(out, m->case_name);
	fputs("</h1>\n<p>case id <code>", out);
	report_h(out, m->case_id);
	fputs("</code>, custody head <code>", out);
	report_h(out, m->head);
	fprintf(out, "</code>, drydock %s</p>\n<h2>Summary</h2>\n<p>%zu "
	    "findings (critical %zu, high %zu, medium %zu, low %zu, info %zu); "
	    "%zu evidence items.</p>\n<h3>Activity over time</h3>\n", DD_VERSION,
	    m->nfs, m->sevcount[4], m->sevcount[3], m->sevcount[2],
	    m->sevcount[1], m->sevcount[0], m->narts);
	if ((rc = report_html_activity(s, m, out, e)) < 0)
		return rc;
	fputs("<h3>Findings by severity</h3>\n", out);
	report_html_severity(m, out);
	fputs("<h3>Findings by container</h3>\n", out);
	report_html_containers(m, out);
	if ((rc = report_html_tree(s, m, out, e)) < 0)
		return rc;
	fputs("<h2>Findings</h2>\n", out);
	if (m->nfs == 0)
		fputs("<p>No findings.</p>\n", out);
	for (size_t i = 0; i < m->nfs; i++) {
		const struct report_finding *f = &m->fs[i];
		char t[40] = "unknown";
		int sv = f->sev < 0 ? 0 : f->sev > 4 ? 4 : f->sev;
		if (f->has_ts)
			time_fmt_ns(f->ts, t);
		fputs("<h3 id=\"f-", out);
		report_h(out, f->id);
		fprintf(out, "\">%zu. <span class=\"sev\" style=\"background:"
		    "%s\">", i + 1, report_sev_color[sv]);
		report_h(out, f->severity);
		fputs("</span> ", out);
		report_h(out, f->title);
		fputs("</h3>\n<table><tr><th>id</th><td><code>", out);
		report_h(out, f->id);
		fputs("</code></td></tr><tr><th>rule</th><td><code>", out);
		report_h(out, f->rule);
		fputs("</code> (", out);
		report_h(out, f->analyzer);
		fprintf(out, ", confidence %.2f)</td></tr><tr><th>time</th><td>"
		    "%s</td></tr>", f->confidence, t);
		if (f->attack != NULL && strcmp(f->attack, "[]") != 0) {
			fputs("<tr><th>ATT&amp;CK</th><td>", out);
			report_h(out, f->attack);
			fputs("</td></tr>", out);
		}
		if (f->container_id != NULL) {
			fputs("<tr><th>container</th><td><code>", out);
			report_h(out, f->container_id);
			fputs("</code></td></tr>", out);
		}
		if (f->nev > 0) {
			fputs("<tr><th>evidence</th><td>", out);
			for (size_t k = 0; k < f->nev; k++) {
				fputs(k ? ", <code>" : "<code>", out);
				report_h(out, f->ev[k].a);
				fputs(":", out);
				report_h(out, f->ev[k].b);
				fputs("</code>", out);
			}
			fputs("</td></tr>", out);
		}
		fputs("<tr><th>detail</th><td>", out);
		report_h(out, f->detail);
		fputs("</td></tr>", out);
		for (size_t k = 0; k < f->nnotes; k++) {
			fputs("<tr><th>note</th><td>", out);
			report_h(out, f->notes[k].a);
			fputs(": ", out);
			report_h(out, f->notes[k].b);
			fputs("</td></tr>", out);
		}
		fputs("</table>\n", out);
	}
	fputs("<h2>Evidence</h2>\n<table><tr><th>id</th><th>name</th>"
	    "<th>format</th><th>bytes</th><th>sha256</th><th>notes</th></tr>\n",
	    out);
	for (size_t i = 0; i < m->narts; i++) {
		const struct report_art *a = &m->arts[i];
		fputs("<tr><td>", out);
		report_h(out, a->id);
		fputs("</td><td>", out);
		report_h(out, a->name);
		fputs("</td><td>", out);
		report_h(out, a->format);
		fprintf(out, "</td><td>%" PRId64 "</td><td><code>", a->size);
		report_h(out, a->sha256);
		fputs("</code></td><td>", out);
		if (!a->parsed)
			fputs("not parsed; ", out);
		if (a->reference)
			fputs("by reference; ", out);
		if (a->anomalies)
			fprintf(out, "%" PRId64 " anomalies", a->anomalies);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n<h2>Chain of custody</h2>\n<table><tr><th>seq</th>"
	    "<th>time</th><th>action</th><th>examiner</th><th>hash</th></tr>\n",
	    out);
	for (size_t i = 0; i < m->ncus; i++) {
		const struct report_custody *c = &m->cus[i];
		char t[40];
		time_fmt_ns(c->ts, t);
		fprintf(out, "<tr><td>%" PRId64 "</td><td>%s</td><td>", c->seq,
		    t);
		report_h(out, c->action);
		fputs("</td><td>", out);
		report_h(out, c->examiner);
		fputs("</td><td><code>", out);
		report_h(out, c->hash);
		fputs("</code></td></tr>\n", out);
	}
	fputs("</table>\n</body></html>\n", out);
	return 0;
}
