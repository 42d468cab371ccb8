/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c: the report model and the Markdown and JSON writers. The data
 * is read once into a model (core/report/model.h) so every writer prints
 * the same facts in the same order; report-formats.c has the CSV,
 * Timesketch, SARIF and HTML writers. See report.h.
 */
#include "core/common.h"
#include "core/report/report.h"

#include <jansson.h>

#include "core/arena.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/version.h"
#include "core/xmalloc.h"

#include "core/report/model.h"

int
report_format_parse(const char *name)
{
	if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
		return REPORT_MD;
	if (strcmp(name, "json") == 0)
		return REPORT_JSON;
	if (strcmp(name, "csv") == 0)
		return REPORT_CSV;
	if (strcmp(name, "html") == 0)
		return REPORT_HTML;
	if (strcmp(name, "sarif") == 0)
		return REPORT_SARIF;
	if (strcmp(name, "timesketch") == 0 || strcmp(name, "jsonl") == 0)
		return REPORT_TIMESKETCH;
	return -1;
}

static const char *
report_dup(struct report_model *m, const struct rowq_row *r, int col)
{
	if (rowq_null(r, col))
		return NULL;
	return arena_strdup(&m->a, rowq_text(r, col));
}

#define REPORT_GROW(m, v, n, cap)                                        \
	do {                                                             \
		if ((n) == (cap)) {                                      \
			(cap) = (cap) ? (cap) * 2 : 32;                  \
			(v) = xreallocarray((v), (cap), sizeof(*(v)));   \
		}                                                        \
	} while (0)

static int
report_art_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_model *m = user;
	struct report_art *x;

	(void)e;
	REPORT_GROW(m, m->arts, m->narts, m->aarts);
	x = &m->arts[m->narts++];
	x->id = report_dup(m, r, 0);
	x->name = report_dup(m, r, 1);
	x->format = report_dup(m, r, 2);
	x->size = rowq_int(r, 3);
	x->sha256 = report_dup(m, r, 4);
	x->parsed = rowq_int(r, 5) != 0;
	x->reference = rowq_int(r, 6) != 0;
	x->group_id = report_dup(m, r, 7);
	x->anomalies = rowq_int(r, 8);
	return 0;
}

static int
report_finding_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_model *m = user;
	struct report_finding *f;
	enum finding_sev sv = SEV_INFO;

	(void)e;
	REPORT_GROW(m, m->fs, m->nfs, m->afs);
	f = &m->fs[m->nfs++];
	memset(f, 0, sizeof(*f));
	f->id = report_dup(m, r, 0);
	f->analyzer = report_dup(m, r, 1);
	f->rule = report_dup(m, r, 2);
	f->severity = report_dup(m, r, 3);
	f->confidence = rowq_real(r, 4);
	f->title = report_dup(m, r, 5);
	f->detail = report_dup(m, r, 6);
	f->has_ts = !rowq_null(r, 7);
	f->ts = rowq_int(r, 7);
	f->attack = report_dup(m, r, 8);
	f->container_id = report_dup(m, r, 9);
	finding_sev_parse(f->severity ? f->severity : "info", &sv);
	f->sev = (int)sv;
	m->sevcount[sv]++;
	return 0;
}

/* Collect (a, b) pairs of one finding from a two-column query. */
struct report_refs {
	struct report_model *m;
	struct report_ref *v;
	size_t n, cap;
};

static int
report_ref_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_refs *x = user;

	(void)e;
	REPORT_GROW(x->m, x->v, x->n, x->cap);
	x->v[x->n].a = report_dup(x->m, r, 0);
	x->v[x->n].b = report_dup(x->m, r, 1);
	x->n++;
	return 0;
}

static int
report_custody_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct report_model *m = user;
	struct report_custody *c;

	(void)e;
	REPORT_GROW(m, m->cus, m->ncus, m->acus);
	c = &m->cus[m->ncus++];
	c->seq = rowq_int(r, 0);
	c->ts = rowq_int(r, 1);
	c->action = report_dup(m, r, 2);
	c->examiner = report_dup(m, r, 3);
	c->hash = report_dup(m, r, 4);
	return 0;
}

static void
report_model_release(struct report_model *m)
{
	size_t i;

	for (i = 0; i < m->nfs; i++) {
		free(m->fs[i].ev);
		free(m->fs[i].ent);
		free(m->fs[i].notes);
		free(m->fs[i].tags);
	}
	free(m->arts);
	free(m->fs);
	free(m->cus);
	arena_release(&m->a);
}

static int
report_refs(struct store *s, struct report_model *m, const char *sql,
    const char *id, struct report_ref **v, size_t *n, struct dd_err *e)
{
	struct report_refs x = { m, NULL, 0, 0 };
	const char *b[1] = { id };
	int rc;

	rc = rowq_each(s, sql, b, 1, report_ref_row, &x, e);
	*v = x.v;
	*n = x.n;
	return rc;
}

static int
report_load(struct store *s, struct report_model *m, struct dd_err *e)
{
	char head[SHA256_HEX];
	const char *slash;
	char *cid;
	size_t i;
	int rc;

	arena_init(&m->a);
	slash = strrchr(s->path, '/');
	m->case_name = arena_strdup(&m->a, slash ? slash + 1 : s->path);
	cid = store_meta_get(s, "case_id");
	m->case_id = arena_strdup(&m->a, cid ? cid : "");
	free(cid);
	if ((rc = custody_head(s, head, NULL, e)) < 0)
		return rc;
	m->head = arena_strdup(&m->a, head);
	if ((rc = rowq_each(s,
		 "SELECT a.id, a.name, a.format, a.size, a.sha256, a.parsed, "
		 "a.reference, a.group_id, (SELECT count(*) FROM anomalies n "
		 "WHERE n.artifact_id = a.id) FROM artifacts a WHERE "
		 "a.group_id IS NULL ORDER BY a.id",
		 NULL, 0, report_art_row, m, e)) < 0)
		return rc;
	if ((rc = rowq_each(s,
		 "SELECT id, analyzer, rule, severity, confidence, title, "
		 "detail, ts, attack, container_id FROM findings ORDER BY "
		 "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 "
		 "WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, "
		 "ts IS NULL, ts, analyzer, rule, id",
		 NULL, 0, report_finding_row, m, e)) < 0)
		return rc;
	for (i = 0; i < m->nfs; i++) {
		struct report_finding *f = &m->fs[i];
		if ((rc = report_refs(s, m,
			 "SELECT relation, key FROM finding_evidence WHERE "
			 "finding_id = ? ORDER BY ord, relation, key",
			 f->id, &f->ev, &f->nev, e)) < 0 ||
		    (rc = report_refs(s, m,
			 "SELECT kind, value FROM finding_entities WHERE "
			 "finding_id = ? ORDER BY kind, value",
			 f->id, &f->ent, &f->nent, e)) < 0 ||
		    (rc = report_refs(s, m,
			 "SELECT examiner, text FROM notes WHERE relation = "
			 "'findings' AND key = ? ORDER BY ts, id",
			 f->id, &f->notes, &f->nnotes, e)) < 0 ||
		    (rc = report_refs(s, m,
			 "SELECT tag, '' FROM tags WHERE relation = 'findings' "
			 "AND key = ? ORDER BY tag",
			 f->id, &f->tags, &f->ntags, e)) < 0)
			return rc;
	}
	return rowq_each(s,
	    "SELECT seq, ts, action, examiner, hash FROM custody ORDER BY seq",
	    NULL, 0, report_custody_row, m, e);
}

/* ---- Markdown ---- */

/* Escape for Markdown text (inline or a table cell). */
static void
report_md(FILE *out, const char *s)
{
	struct sbuf d = SBUF_INIT;
	const char *p;

	if (s == NULL)
		return;
	esc_display(&d, s, strlen(s));
	for (p = d.buf; *p; p++) {
		switch (*p) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '\\': case '`': case '*': case '_': case '[': case ']':
		case '|': case '#':
			fputc('\\', out);
			fputc(*p, out);
			break;
		default:
			fputc(*p, out);
		}
	}
	sbuf_release(&d);
}

static void
report_md_time(FILE *out, bool has, int64_t ts)
{
	char t[40];

	if (!has) {
		fputs("unknown", out);
		return;
	}
	time_fmt_ns(ts, t);
	fputs(t, out);
}

static int
report_write_md(struct report_model *m, FILE *out)
{
	static const char *sevs[] = { "critical", "high", "medium", "low",
		"info" };
	size_t i, k;

	fputs("# drydock report: ", out);
	report_md(out, m->case_name);
	fprintf(out, "\n\n- case id: `%s`\n- custody head: `%s`\n"
		     "- drydock: %s\n\n",
	    m->case_id, m->head, DD_VERSION);

	fprintf(out, "## Summary\n\n%zu finding%s:", m->nfs,
	    m->nfs == 1 ? "" : "s");
	for (i = 0; i < 5; i++)
		fprintf(out, " %s %zu%s", sevs[i], m->sevcount[4 - i],
		    i < 4 ? "," : "");
	fprintf(out, ". %zu evidence item%s.\n\n", m->narts,
	    m->narts == 1 ? "" : "s");

	fputs("## Evidence\n\n| id | name | format | bytes | sha256 | "
	      "notes |\n|---:|---|---|---:|---|---|\n",
	    out);
	for (i = 0; i < m->narts; i++) {
		struct report_art *a = &m->arts[i];
		fprintf(out, "| %s | ", a->id);
		report_md(out, a->name);
		fputs(" | ", out);
		report_md(out, a->format);
		fprintf(out, " | %" PRId64 " | `%s` | ", a->size,
		    a->sha256 ? a->sha256 : "");
		if (!a->parsed)
			fputs("not parsed; ", out);
		if (a->reference)
			fputs("by reference; ", out);
		if (a->anomalies)
			fprintf(out, "%" PRId64 " anomalies", a->anomalies);
		fputs(" |\n", out);
	}
	fputs("\n## Findings\n\n", out);
	if (m->nfs == 0)
		fputs("No findings.\n\n", out);
	for (i = 0; i < m->nfs; i++) {
		struct report_finding *f = &m->fs[i];
		fprintf(out, "### %zu. [%s] ", i + 1, f->severity);
		report_md(out, f->title);
		fputs("\n\n- id: `", out);
		fputs(f->id, out);
		fputs("`\n- rule: ", out);
		report_md(out, f->rule);
		fputs(" (analyzer ", out);
		report_md(out, f->analyzer);
		fprintf(out, ", confidence %.2f)\n- time: ", f->confidence);
		report_md_time(out, f->has_ts, f->ts);
		fputs("\n", out);
		if (f->attack && strcmp(f->attack, "[]") != 0) {
			fputs("- ATT&CK: ", out);
			report_md(out, f->attack);
			fputs("\n", out);
		}
		if (f->container_id) {
			fputs("- container: ", out);
			report_md(out, f->container_id);
			fputs("\n", out);
		}
		if (f->nev) {
			fputs("- evidence:", out);
			for (k = 0; k < f->nev; k++) {
				fputs(k ? ", " : " ", out);
				report_md(out, f->ev[k].a);
				fputs(":", out);
				report_md(out, f->ev[k].b);
			}
			fputs("\n", out);
		}
		if (f->ntags) {
			fputs("- tags:", out);
			for (k = 0; k < f->ntags; k++) {
				fputs(k ? ", " : " ", out);
				report_md(out, f->tags[k].a);
			}
			fputs("\n", out);
		}
		fputs("\n", out);
		report_md(out, f->detail);
		fputs("\n\n", out);
		for (k = 0; k < f->nnotes; k++) {
			fputs("> note (", out);
			report_md(out, f->notes[k].a);
			fputs("): ", out);
			report_md(out, f->notes[k].b);
			fputs("\n\n", out);
		}
	}
	fputs("## Chain of custody\n\n| seq | time | action | examiner | "
	      "hash |\n|---:|---|---|---|---|\n",
	    out);
	for (i = 0; i < m->ncus; i++) {
		struct report_custody *c = &m->cus[i];
		fprintf(out, "| %" PRId64 " | ", c->seq);
		report_md_time(out, true, c->ts);
		fputs(" | ", out);
		report_md(out, c->action);
		fputs(" | ", out);
		report_md(out, c->examiner);
		fprintf(out, " | `%s` |\n", c->hash ? c->hash : "");
	}
	return 0;
}

/* ---- JSON ---- */

json_t *
report_js(const char *s)
{
	struct sbuf d = SBUF_INIT;
	json_t *j;

	if (s == NULL)
		return json_null();
	if (utf8_valid(s, strlen(s)))
		return json_string(s);
	esc_display(&d, s, strlen(s));
	j = json_string(d.buf);
	sbuf_release(&d);
	return j;
}

json_t *
report_js_time(bool has, int64_t ts)
{
	char t[40];

	if (!has)
		return json_null();
	time_fmt_ns(ts, t);
	return json_string(t);
}

static int
report_write_json(struct report_model *m, FILE *out, struct dd_err *e)
{
	json_t *root = json_object(), *arts = json_array(), *fs = json_array(),
	       *cus = json_array(), *sum = json_object();
	size_t i, k;

	json_object_set_new(root, "case", report_js(m->case_name));
	json_object_set_new(root, "case_id", report_js(m->case_id));
	json_object_set_new(root, "custody_head", report_js(m->head));
	json_object_set_new(root, "drydock", json_string(DD_VERSION));
	for (i = 0; i < 5; i++)
		json_object_set_new(sum,
		    finding_sev_name((enum finding_sev)i),
		    json_integer((json_int_t)m->sevcount[i]));
	json_object_set_new(root, "summary", sum);
	for (i = 0; i < m->narts; i++) {
		struct report_art *a = &m->arts[i];
		json_array_append_new(arts,
		    json_pack("{s:o, s:o, s:o, s:I, s:o, s:b, s:b, s:I}", "id",
			report_js(a->id), "name", report_js(a->name), "format",
			report_js(a->format), "size", (json_int_t)a->size,
			"sha256", report_js(a->sha256), "parsed", a->parsed,
			"reference", a->reference, "anomalies",
			(json_int_t)a->anomalies));
	}
	json_object_set_new(root, "artifacts", arts);
	for (i = 0; i < m->nfs; i++) {
		struct report_finding *f = &m->fs[i];
		json_t *o = json_object(), *ev = json_array(),
		       *ent = json_array(), *notes = json_array(),
		       *tags = json_array(), *att;

		json_object_set_new(o, "id", report_js(f->id));
		json_object_set_new(o, "analyzer", report_js(f->analyzer));
		json_object_set_new(o, "rule", report_js(f->rule));
		json_object_set_new(o, "severity", report_js(f->severity));
		json_object_set_new(o, "confidence", json_real(f->confidence));
		json_object_set_new(o, "title", report_js(f->title));
		json_object_set_new(o, "detail", report_js(f->detail));
		json_object_set_new(o, "ts",
		    f->has_ts ? json_integer(f->ts) : json_null());
		json_object_set_new(o, "time", report_js_time(f->has_ts, f->ts));
		att = f->attack ? json_loads(f->attack, 0, NULL) : NULL;
		json_object_set_new(o, "attack",
		    json_is_array(att) ? att : json_array());
		if (att && !json_is_array(att))
			json_decref(att);
		json_object_set_new(o, "container_id",
		    report_js(f->container_id));
		for (k = 0; k < f->nev; k++)
			json_array_append_new(ev,
			    json_pack("{s:o, s:o}", "relation",
				report_js(f->ev[k].a), "key",
				report_js(f->ev[k].b)));
		json_object_set_new(o, "evidence", ev);
		for (k = 0; k < f->nent; k++)
			json_array_append_new(ent,
			    json_pack("{s:o, s:o}", "kind",
				report_js(f->ent[k].a), "value",
				report_js(f->ent[k].b)));
		json_object_set_new(o, "entities", ent);
		for (k = 0; k < f->nnotes; k++)
			json_array_append_new(notes,
			    json_pack("{s:o, s:o}", "examiner",
				report_js(f->notes[k].a), "text",
				report_js(f->notes[k].b)));
		json_object_set_new(o, "notes", notes);
		for (k = 0; k < f->ntags; k++)
			json_array_append_new(tags, report_js(f->tags[k].a));
		json_object_set_new(o, "tags", tags);
		json_array_append_new(fs, o);
	}
	json_object_set_new(root, "findings", fs);
	for (i = 0; i < m->ncus; i++) {
		struct report_custody *c = &m->cus[i];
		json_array_append_new(cus,
		    json_pack("{s:I, s:o, s:o, s:o, s:o}", "seq",
			(json_int_t)c->seq, "time", report_js_time(true, c->ts),
			"action", report_js(c->action), "examiner",
			report_js(c->examiner), "hash", report_js(c->hash)));
	}
	json_object_set_new(root, "custody", cus);
	return report_dump(root, JSON_INDENT(2), out, e);
}

int
report_write(struct store *s, int format, FILE *out, int *worst,
    struct dd_err *e)
{
	struct report_model m;
	size_t i;
	int rc;

	memset(&m, 0, sizeof(m));
	*worst = -1;
	if ((rc = report_load(s, &m, e)) < 0)
		goto out;
	for (i = 0; i < m.nfs; i++)
		if (m.fs[i].sev > *worst)
			*worst = m.fs[i].sev;
	switch (format) {
	case REPORT_JSON:
		rc = report_write_json(&m, out, e);
		break;
	case REPORT_CSV:
		rc = report_write_csv(&m, out);
		break;
	case REPORT_TIMESKETCH:
		rc = report_write_timesketch(&m, out, e);
		break;
	case REPORT_SARIF:
		rc = report_write_sarif(&m, out, e);
		break;
	case REPORT_HTML:
		rc = report_write_html(s, &m, out, e);
		break;
	default:
		rc = report_write_md(&m, out);
	}
	if (rc == 0 && ferror(out))
		rc = dd_err_set(e, DD_EIO, "cannot write the report");
out:
	report_model_release(&m);
	return rc;
}
