/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-explain.c: `drydock explain CASE FINDING-ID [--format text|json]`:
 * a finding, each row of its evidence, and the chain of links from and to
 * each (the links relation, the correlate analyzer's), with the values
 * joined: a connect's address and port and the flow's, an executed file
 * and the layer file's SHA-256, the writer of a dropped file. Events are
 * also shown with their process, its container and image, and the
 * program the process was running (its last execve before the event) with
 * that exec's own links.
 *
 * One JSON document is built and either printed (--format json) or
 * rendered as text; every string from evidence goes through cli_put_safe.
 * Bounded: EX_LINKS links per row, depth 2, each row shown once.
 */
#include "core/common.h"

#include <jansson.h>
#include <sqlite3.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define EX_LINKS 25
#define EX_DEPTH 2

static int cmd_explain_run(int argc, char **argv);

const struct cli_cmd cmd_explain = {
	.name = "explain",
	.synopsis = "[--format text|json] CASE FINDING-ID",
	.summary = "a finding's evidence and the chain of links that join it "
		   "to other sources",
	.help =
	    "Shows the finding, then each of its evidence rows with the links\n"
	    "the correlate analyzer made to and from it, and the rows at their\n"
	    "other end: a connect and the flow it made (addresses and ports of\n"
	    "both), the DNS answer before it, an executed file and the image\n"
	    "layer and Dockerfile step that shipped it (SHA-256), the process\n"
	    "that wrote it at run time, the container's drift. An event also\n"
	    "shows its process, container and image, and the program that\n"
	    "process ran. Run `drydock analyze` first (the correlate analyzer\n"
	    "writes the links). FINDING-ID may be a unique prefix (8 hex or\n"
	    "more).\n\n"
	    "Options:\n"
	    "  -f, --format F  text (default) or json\n\n"
	    "Examples:\n"
	    "  drydock explain case.drydock 3f2a9c1e\n"
	    "  drydock explain --format json case.drydock "
	    "3f2a9c1e0b7d4e55a1c2d3e4f5a6b7c8\n",
	.mutates = false,
	.run = cmd_explain_run,
};

/* The row of a relation by key: SQL with ?1 the key (?1 and ?2 its two
 * ':'-separated halves when split). */
static const struct {
	const char *rel;
	bool split;
	const char *sql;
} ex_rows[] = {
	{ "events", false,
	  "SELECT id, ts, syscall, pid, tid, comm, path, path2, fd_path, "
	  "family, addr, port, flags, ret, errno, args, container_id, "
	  "process_id, artifact_id FROM events WHERE id = CAST(?1 AS "
	  "INTEGER)" },
	{ "flows", false,
	  "SELECT id, proto, src, sport, dst, dport, first_ts, last_ts, "
	  "packets, bytes, community_id, container_id, artifact_id FROM "
	  "flows WHERE id = CAST(?1 AS INTEGER)" },
	{ "dns", true,
	  "SELECT ts, flow_id, qname, qtype, rcode, answers, src, dst FROM "
	  "dns WHERE flow_id = CAST(?1 AS INTEGER) AND ts = CAST(?2 AS "
	  "INTEGER) AND response = 1" },
	{ "file_origins", true,
	  "SELECT o.image_id, i.ref AS image_ref, o.path, o.type, o.sha256, "
	  "o.size, o.layer_id, o.diff_id, o.step, o.created_by FROM "
	  "file_origins o JOIN images i ON i.id = o.image_id WHERE "
	  "o.image_id = CAST(?1 AS INTEGER) AND o.path = ?2" },
	{ "drift", false,
	  "SELECT key, container_id, path, change, size, sha256, mtime, "
	  "source FROM drift WHERE key = ?1" },
	{ "artifacts", false,
	  "SELECT id, name, format, size, sha256 FROM artifacts WHERE id = "
	  "CAST(?1 AS INTEGER)" },
	{ "containers", false,
	  "SELECT id, name, image, privileged FROM containers WHERE id = ?1" },
	{ "images", false,
	  "SELECT id, ref, config_digest FROM images WHERE id = CAST(?1 AS "
	  "INTEGER)" },
	{ "processes", false,
	  "SELECT id, pid, ppid, comm, exe, args, container_id, start_ts, "
	  "end_ts FROM processes WHERE id = CAST(?1 AS INTEGER)" },
};

/* The first row of sql as an object (NULL: none or an error in e). */
static json_t *
ex_query(struct store *s, const char *sql, const char *a, const char *b,
    struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	json_t *o = NULL;
	int r;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		dd_err_set(e, DD_ESQL, "%s", sqlite3_errmsg(s->db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *n = sqlite3_column_name(st, i);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				json_object_set_new(o, n, json_integer(
				    sqlite3_column_int64(st, i)));
				break;
			case SQLITE_FLOAT:
				json_object_set_new(o, n, json_real(
				    sqlite3_column_double(st, i)));
				break;
			case SQLITE_NULL:
				break;
			default: {
				const char *t = (const char *)
				    sqlite3_column_text(st, i);
				int len = sqlite3_column_bytes(st, i);
				json_t *v = json_stringn(t, (size_t)len);
				if (v == NULL) /* invalid UTF-8: escaped */
					v = json_string("(not UTF-8)");
				json_object_set_new(o, n, v);
			}
			}
		}
	} else if (r != SQLITE_DONE) {
		dd_err_set(e, DD_ESQL, "%s", sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(st);
	return o;
}

static json_t *
ex_row(struct store *s, const char *rel, const char *key, struct dd_err *e)
{
	for (size_t i = 0; i < ARRAY_SIZE(ex_rows); i++) {
		char *k, *c;
		json_t *o;
		if (strcmp(ex_rows[i].rel, rel) != 0)
			continue;
		if (!ex_rows[i].split)
			return ex_query(s, ex_rows[i].sql, key, NULL, e);
		k = xstrdup(key);
		if ((c = strchr(k, ':')) == NULL) {
			free(k);
			return NULL;
		}
		*c = '\0';
		o = ex_query(s, ex_rows[i].sql, k, c + 1, e);
		free(k);
		return o;
	}
	return NULL;
}

struct ex {
	struct store *s;
	json_t *seen; /* "rel:key" -> true */
	struct dd_err *e;
};

static json_t *ex_node(struct ex *x, const char *rel, const char *key,
    int depth, const char *parent);

/* Links from and to (rel, key), each with the row at its other end. */
static json_t *
ex_links(struct ex *x, const char *rel, const char *key, int depth,
    const char *parent)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	int n = 0;

	if (sqlite3_prepare_v2(x->s->db,
		"SELECT kind, from_relation, from_key, to_relation, to_key, "
		"confidence, detail FROM links WHERE (from_relation = ?1 AND "
		"from_key = ?2) OR (to_relation = ?1 AND to_key = ?2) ORDER BY "
		"confidence DESC, kind, from_relation, from_key, to_relation, "
		"to_key", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return arr; /* an old case: no links relation */
	}
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW && n < EX_LINKS) {
		const char *fr = (const char *)sqlite3_column_text(st, 1);
		const char *fk = (const char *)sqlite3_column_text(st, 2);
		const char *tr = (const char *)sqlite3_column_text(st, 3);
		const char *tk = (const char *)sqlite3_column_text(st, 4);
		const char *d = (const char *)sqlite3_column_text(st, 6);
		bool out = strcmp(fr, rel) == 0 && strcmp(fk, key) == 0;
		char *other = xasprintf("%s:%s", out ? tr : fr, out ? tk : fk);
		bool back = parent != NULL && strcmp(other, parent) == 0;
		json_t *l;

		free(other);
		if (back) /* the link we came along */
			continue;
		l = json_object();

		json_object_set_new(l, "kind", json_string((const char *)
		    sqlite3_column_text(st, 0)));
		json_object_set_new(l, "direction", json_string(out ? "to" :
		    "from"));
		json_object_set_new(l, "confidence", json_real(
		    sqlite3_column_double(st, 5)));
		json_t *jd = d != NULL ? json_string(d) : NULL;

		if (jd != NULL)
			json_object_set_new(l, "joined", jd);
		{
			char *self = xasprintf("%s:%s", rel, key);
			json_object_set_new(l, "row", ex_node(x, out ? tr : fr,
			    out ? tk : fk, depth + 1, self));
			free(self);
		}
		json_array_append_new(arr, l);
		n++;
	}
	sqlite3_finalize(st);
	return arr;
}

/* An event's context: process, container, image, the running program. */
static void
ex_event_context(struct ex *x, json_t *node, json_t *row, int depth)
{
	json_t *pid = json_object_get(row, "process_id");
	json_t *cid = json_object_get(row, "container_id");
	json_t *art = json_object_get(row, "artifact_id");
	json_t *p = NULL, *c;
	char buf[32];

	if (json_is_integer(pid) && json_integer_value(pid) > 0) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(pid));
		if ((p = ex_row(x->s, "processes", buf, x->e)) != NULL)
			json_object_set_new(node, "process", p);
	}
	if (!json_is_string(cid) && p != NULL) /* attributed through its
						  process */
		cid = json_object_get(p, "container_id");
	if (json_is_string(cid)) {
		const char *id = json_string_value(cid);
		if ((c = ex_row(x->s, "containers", id, x->e)) != NULL) {
			json_t *im = ex_query(x->s, "SELECT i.id, i.ref, "
			    "i.config_digest FROM container_images ci JOIN "
			    "images i ON i.id = ci.image_id WHERE "
			    "ci.container_id = ?1 ORDER BY ci.prio LIMIT 1", id,
			    NULL, x->e);
			if (im != NULL)
				json_object_set_new(c, "image_row", im);
			json_object_set_new(node, "container", c);
		}
	}
	/* the program: the last execve of this pid at or before the event */
	if (depth < EX_DEPTH && json_is_integer(art) &&
	    json_is_string(json_object_get(row, "syscall")) &&
	    strcmp(json_string_value(json_object_get(row, "syscall")),
		"execve") != 0) {
		char a[32], q[64];
		json_t *ex;
		snprintf(a, sizeof(a), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(art));
		snprintf(q, sizeof(q), "%" JSON_INTEGER_FORMAT ":%"
		    JSON_INTEGER_FORMAT, json_integer_value(
		    json_object_get(row, "pid")), json_integer_value(
		    json_object_get(row, "id")));
		ex = ex_query(x->s, "SELECT id FROM events WHERE artifact_id = "
		    "CAST(?1 AS INTEGER) AND syscall IN ('execve', 'execveat') "
		    "AND pid = CAST(substr(?2, 1, instr(?2, ':') - 1) AS "
		    "INTEGER) AND id <= CAST(substr(?2, instr(?2, ':') + 1) AS "
		    "INTEGER) AND (ret >= 0 OR ret IS NULL) ORDER BY id DESC "
		    "LIMIT 1", a, q, x->e);
		if (ex != NULL) {
			char id[32];
			snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(ex, "id")));
			json_object_set_new(node, "program", ex_node(x,
			    "events", id, depth + 1, NULL));
			json_decref(ex);
		}
	}
}

static json_t *
ex_node(struct ex *x, const char *rel, const char *key, int depth,
    const char *parent)
{
	json_t *node = json_object(), *row;
	char *seen = xasprintf("%s:%s", rel, key);

	json_object_set_new(node, "relation", json_string(rel));
	json_object_set_new(node, "key", json_string(key));
	if (json_object_get(x->seen, seen) != NULL) {
		json_object_set_new(node, "shown_above", json_true());
		free(seen);
		return node;
	}
	json_object_set_new(x->seen, seen, json_true());
	free(seen);
	row = ex_row(x->s, rel, key, x->e);
	if (row == NULL)
		return node;
	json_object_set_new(node, "values", row);
	if (strcmp(rel, "events") == 0)
		ex_event_context(x, node, row, depth);
	if (depth <= EX_DEPTH)
		json_object_set_new(node, "links", ex_links(x, rel, key,
		    depth, parent));
	return node;
}

/* ---- text ---- */

static void
ex_put_val(json_t *v)
{
	if (json_is_string(v))
		cli_put_safe(stdout, json_string_value(v));
	else if (json_is_integer(v))
		printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		printf("%g", json_real_value(v));
	else if (json_is_true(v))
		printf("true");
	else if (json_is_false(v))
		printf("false");
}

/* Keys that hold times in ns: ts, *_ts. */
static bool
ex_is_time_key(const char *k)
{
	size_t n = strlen(k);

	return n > 3 && strcmp(k + n - 3, "_ts") == 0;
}

static void
ex_put_obj(json_t *o, int ind, const char *const *skip)
{
	const char *k;
	json_t *v;
	int col = 0;

	printf("%*s", ind, "");
	json_object_foreach(o, k, v) {
		bool sk = false;
		for (const char *const *s = skip; s && *s; s++)
			sk |= strcmp(*s, k) == 0;
		if (sk || json_is_object(v) || json_is_array(v))
			continue;
		if (col > 0 && col + strlen(k) > 90) {
			printf("\n%*s", ind, "");
			col = 0;
		}
		printf("%s%s=", col ? "  " : "", k);
		if (json_is_integer(v) && (strcmp(k, "ts") == 0 ||
			ex_is_time_key(k))) {
			char t[40];
			time_fmt_ns(json_integer_value(v), t);
			printf("%s", t);
			col += 30;
		} else {
			ex_put_val(v);
		}
		col += (int)strlen(k) + 12;
		if (json_is_string(v))
			col += (int)strlen(json_string_value(v));
	}
	printf("\n");
}

static void
ex_put_node(json_t *n, int ind)
{
	json_t *v = json_object_get(n, "values"), *l;
	size_t i;

	printf("%*s%s ", ind, "", json_string_value(json_object_get(n,
	    "relation")));
	cli_put_safe(stdout, json_string_value(json_object_get(n, "key")));
	if (json_is_true(json_object_get(n, "shown_above"))) {
		printf(" (shown above)\n");
		return;
	}
	if (v == NULL) {
		printf(" (not in the case)\n");
		return;
	}
	printf("\n");
	ex_put_obj(v, ind + 4, NULL);
	if ((l = json_object_get(n, "process")) != NULL) {
		printf("%*sprocess:\n", ind + 4, "");
		ex_put_obj(l, ind + 6, NULL);
	}
	if ((l = json_object_get(n, "container")) != NULL) {
		json_t *im = json_object_get(l, "image_row");
		printf("%*scontainer:\n", ind + 4, "");
		ex_put_obj(l, ind + 6, NULL);
		if (im != NULL) {
			printf("%*simage:\n", ind + 4, "");
			ex_put_obj(im, ind + 6, NULL);
		}
	}
	if ((l = json_object_get(n, "program")) != NULL) {
		printf("%*sprogram (its last execve):\n", ind + 4, "");
		ex_put_node(l, ind + 6);
	}
	json_array_foreach(json_object_get(n, "links"), i, l) {
		printf("%*s%s %s (confidence %.2f): ", ind + 4, "",
		    json_string_value(json_object_get(l, "kind")),
		    strcmp(json_string_value(json_object_get(l, "direction")),
			"to") == 0 ? "->" : "<-",
		    json_real_value(json_object_get(l, "confidence")));
		cli_put_safe(stdout, json_string_value(json_object_get(l,
		    "joined")) ? json_string_value(json_object_get(l,
		    "joined")) : "");
		printf("\n");
		ex_put_node(json_object_get(l, "row"), ind + 6);
	}
}

static void
ex_text(json_t *doc)
{
	json_t *f = json_object_get(doc, "finding"), *ev;
	static const char *const skip[] = { "detail", "title", NULL };
	size_t i;

	printf("finding ");
	ex_put_val(json_object_get(f, "id"));
	printf("\n  ");
	ex_put_val(json_object_get(f, "title"));
	printf("\n");
	ex_put_obj(f, 2, skip);
	printf("  ");
	ex_put_val(json_object_get(f, "detail"));
	printf("\n\nevidence:\n");
	json_array_foreach(json_object_get(doc, "evidence"), i, ev)
		ex_put_node(ev, 2);
}

static int
cmd_explain_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "format", 'f', true }, /* 0 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	json_t *doc = NULL, *f, *evs;
	sqlite3_stmt *st = NULL;
	const char *fmt = "text", *want;
	struct ex x;
	char id[40];
	int k, rc = CLI_OK, nmatch = 0;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			rc = CLI_USAGE;
			goto out;
		} else if (k == 0) {
			fmt = p.optarg;
		}
	}
	if (strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0) {
		rc = cli_usage(&cmd_explain, "unknown format '%s' (text or "
		    "json)", fmt);
		goto out;
	}
	if (p.nops != 2) {
		rc = cli_usage(&cmd_explain, "expected CASE and FINDING-ID");
		goto out;
	}
	want = p.ops[1];
	if (strlen(want) < 8 || strlen(want) > 32 ||
	    strspn(want, "0123456789abcdef") != strlen(want)) {
		rc = cli_usage(&cmd_explain, "a finding id is 8 to 32 lower-case "
		    "hex digits");
		goto out;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0) {
		rc = cli_fail("explain", &e);
		goto out;
	}
	if (sqlite3_prepare_v2(s->db, "SELECT id FROM findings WHERE "
	    "substr(id, 1, length(?1)) = ?1 ORDER BY id LIMIT 2", -1, &st,
	    NULL) != SQLITE_OK) {
		dd_err_set(&e, DD_ESQL, "%s", sqlite3_errmsg(s->db));
		rc = cli_fail("explain", &e);
		goto out;
	}
	sqlite3_bind_text(st, 1, want, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (nmatch++ == 0)
			snprintf(id, sizeof(id), "%s",
			    (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (nmatch != 1) {
		dd_err_set(&e, DD_ENOTFOUND, nmatch == 0 ? "no finding '%s' in "
		    "the case" : "'%s' names more than one finding: give more "
		    "digits", want);
		rc = cli_fail("explain", &e);
		goto out;
	}
	f = ex_query(s, "SELECT id, analyzer, rule, severity, confidence, "
	    "title, detail, ts, attack, container_id FROM findings WHERE id = "
	    "?1", id, NULL, &e);
	if (f == NULL) {
		rc = cli_fail("explain", &e);
		goto out;
	}
	doc = json_object();
	json_object_set_new(doc, "finding", f);
	evs = json_array();
	json_object_set_new(doc, "evidence", evs);
	x.s = s;
	x.seen = json_object();
	x.e = &e;
	if (sqlite3_prepare_v2(s->db, "SELECT relation, key FROM "
	    "finding_evidence WHERE finding_id = ?1 ORDER BY ord", -1, &st,
	    NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(evs, ex_node(&x,
			    (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1), 0, NULL));
	}
	json_decref(x.seen);
	if (e.code != 0) {
		rc = cli_fail("explain", &e);
		goto out;
	}
	if (strcmp(fmt, "json") == 0) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
		    JSON_ENSURE_ASCII);
		printf("\n");
	} else {
		ex_text(doc);
	}
out:
	sqlite3_finalize(st);
	json_decref(doc);
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
