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
#include "core/explain.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

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
		if (json_is_integer(v) && explain_is_time_key(k)) {
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
	json_t *doc = NULL;
	sqlite3_stmt *st = NULL;
	const char *fmt = "text", *want;
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
	if (explain_finding(s, id, &doc, &e) < 0) {
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
