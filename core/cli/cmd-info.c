/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-info.c: `drydock info [--format text|json] CASE`: what a case holds
 * (schema, custody, artifacts, rows per relation, storage by class). Reads
 * only; the numbers come from core/storage.h.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/cli/cli.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/query.h"
#include "core/sbuf.h"
#include "core/storage.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_info_run(int argc, char **argv);

const struct cli_cmd cmd_info = {
	.name = "info",
	.synopsis = "[--format text|json] CASE",
	.summary = "show what a case holds and what its storage costs",
	.help =
	    "Prints the case's schema version, case id, whether it is sealed, "
	    "the\n"
	    "custody chain's length and head, its artifacts, the rows of each "
	    "relation,\n"
	    "and its storage by class, measured from the database pages "
	    "(SQLite's\n"
	    "dbstat): originals (evidence as imported), blobs (extracted "
	    "contents),\n"
	    "events, strings, indexes, other tables, unused pages, and the "
	    "total\n"
	    "(page count times page size). The classes add up to the total. "
	    "Measuring\n"
	    "reads the whole file once. The case is opened read-only.\n\n"
	    "In text, members of a directory input are summed up under their "
	    "group;\n"
	    "json lists every artifact.\n\n"
	    "Options:\n"
	    "  --format F     text (default) or json (sorted keys, "
	    "indented)\n\n"
	    "Examples:\n"
	    "  drydock info case.drydock\n"
	    "  drydock info --format json case.drydock | jq .storage\n",
	.mutates = false,
	.run = cmd_info_run,
};

/* Everything info prints, gathered before printing. */
struct cmd_info {
	struct store *s;	   /* the case, read-only (owned) */
	int64_t schema;		   /* PRAGMA user_version */
	char *case_id;		   /* meta case_id (owned), NULL when unset */
	int64_t custody_rows;	   /* rows of custody */
	char head[SHA256_HEX];	   /* custody head, "" when empty */
	struct storage_summary st; /* bytes by class */
	json_t *counts;		   /* {relation: rows} (owned) */
	json_t *artifacts;	   /* json: every artifact (owned) */
	struct sbuf text;	   /* text: the artifact lines */
	int64_t nartifacts;	   /* complete artifacts, members included */
	int64_t nshown;		   /* text: top-level artifacts listed */
	bool json;		   /* --format json */
};

/* A JSON string from evidence text (invalid UTF-8 becomes U+FFFD). */
static json_t *
cmd_info_jstr(const char *p, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	json_t *j;

	query_utf8_fix(&sb, p, n);
	j = json_stringn(sb.buf, sb.len);
	sbuf_release(&sb);
	return j ? j : json_null();
}

static int
cmd_info_count(void *user, const char *relation, int64_t rows)
{
	struct cmd_info *ci = user;

	json_object_set_new(ci->counts, relation, json_integer(rows));
	if (strcmp(relation, "custody") == 0)
		ci->custody_rows = rows;
	return 0;
}

/* Escaped text from the case file (a case may come from elsewhere). */
static void
cmd_info_put(struct sbuf *sb, const char *p)
{
	esc_display(sb, p, strlen(p));
}

static int
cmd_info_artifact(void *user, const struct storage_artifact *a)
{
	struct cmd_info *ci = user;
	json_t *o;
	size_t n;

	if (ci->json) {
		o = json_object();
		json_object_set_new(o, "id", json_integer(a->id));
		json_object_set_new(o, "group_id", a->group_id ?
			json_integer(a->group_id) : json_null());
		json_object_set_new(o, "name", cmd_info_jstr(a->name,
						   a->name_len));
		json_object_set_new(o, "format", cmd_info_jstr(a->format,
						     strlen(a->format)));
		json_object_set_new(o, "size", json_integer(a->size));
		json_object_set_new(o, "sha256", a->sha256 ?
			cmd_info_jstr(a->sha256, strlen(a->sha256)) :
			json_null());
		json_array_append_new(ci->artifacts, o);
		return 0;
	}
	ci->nshown++;
	sbuf_addf(&ci->text, "  %4" PRId64 "  ", a->id);
	n = ci->text.len;
	cmd_info_put(&ci->text, a->format);
	for (n = ci->text.len - n; n < 8; n++)
		sbuf_addch(&ci->text, ' ');
	sbuf_addf(&ci->text, " %12" PRId64 "  ", a->size);
	cmd_info_put(&ci->text, a->sha256 ? a->sha256 : "-");
	sbuf_addstr(&ci->text, "  ");
	esc_display(&ci->text, a->name, a->name_len);
	if (a->members > 0)
		sbuf_addf(&ci->text, "  (group of %" PRId64 " files)",
		    a->members);
	sbuf_addch(&ci->text, '\n');
	return 0;
}

static int
cmd_info_gather(struct cmd_info *ci, struct dd_err *e)
{
	int64_t seq;
	int rc;

	if ((rc = storage_schema_version(ci->s, &ci->schema, e)) < 0)
		return rc;
	ci->case_id = store_meta_get(ci->s, "case_id");
	if ((rc = custody_head(ci->s, ci->head, &seq, e)) < 0)
		return rc;
	if ((rc = storage_counts(ci->s, cmd_info_count, ci, e)) < 0)
		return rc;
	ci->nartifacts = json_integer_value(json_object_get(ci->counts,
	    "artifacts"));
	if ((rc = storage_artifacts(ci->s, !ci->json, cmd_info_artifact, ci,
		 e)) < 0)
		return rc;
	return storage_measure(ci->s, &ci->st, e);
}

static void
cmd_info_print_json(struct cmd_info *ci)
{
	json_t *root, *j;

	root = json_object();
	json_object_set_new(root, "case", cmd_info_jstr(ci->s->path,
					      strlen(ci->s->path)));
	json_object_set_new(root, "schema_version", json_integer(ci->schema));
	json_object_set_new(root, "case_id", ci->case_id ?
		cmd_info_jstr(ci->case_id, strlen(ci->case_id)) : json_null());
	json_object_set_new(root, "sealed", json_boolean(ci->s->sealed));
	j = json_object();
	json_object_set_new(j, "rows", json_integer(ci->custody_rows));
	json_object_set_new(j, "head", ci->head[0] ? json_string(ci->head) :
						     json_null());
	json_object_set_new(root, "custody", j);
	json_object_set(root, "artifacts", ci->artifacts);
	json_object_set(root, "counts", ci->counts);
	j = json_object();
	json_object_set_new(j, "originals",
	    json_integer((json_int_t)ci->st.originals));
	json_object_set_new(j, "events",
	    json_integer((json_int_t)ci->st.events));
	json_object_set_new(j, "strings",
	    json_integer((json_int_t)ci->st.strings));
	json_object_set_new(j, "blobs", json_integer((json_int_t)ci->st.blobs));
	json_object_set_new(j, "indexes",
	    json_integer((json_int_t)ci->st.indexes));
	json_object_set_new(j, "other", json_integer((json_int_t)ci->st.other));
	json_object_set_new(j, "unused",
	    json_integer((json_int_t)ci->st.unused));
	json_object_set_new(j, "total", json_integer((json_int_t)ci->st.total));
	json_object_set_new(j, "page_size",
	    json_integer((json_int_t)ci->st.page_size));
	json_object_set_new(j, "page_count",
	    json_integer((json_int_t)ci->st.page_count));
	json_object_set_new(root, "storage", j);
	json_dumpf(root, stdout, JSON_SORT_KEYS | JSON_INDENT(2));
	putchar('\n');
	json_decref(root);
}

static void
cmd_info_print_text(struct cmd_info *ci)
{
	const struct {
		const char *name;
		uint64_t n;
	} cls[] = {
		{ "originals", ci->st.originals },
		{ "blobs", ci->st.blobs },
		{ "events", ci->st.events },
		{ "strings", ci->st.strings },
		{ "indexes", ci->st.indexes },
		{ "other", ci->st.other },
		{ "unused", ci->st.unused },
		{ "total", ci->st.total },
	};
	struct sbuf sb = SBUF_INIT;
	const char *key;
	json_t *v;
	char sz[32];
	size_t i;

	sbuf_addstr(&sb, "case:            ");
	cmd_info_put(&sb, ci->s->path);
	sbuf_addf(&sb, "\nschema version:  %" PRId64 "\n", ci->schema);
	sbuf_addstr(&sb, "case id:         ");
	cmd_info_put(&sb, ci->case_id ? ci->case_id : "(none)");
	sbuf_addf(&sb, "\nsealed:          %s\n", ci->s->sealed ? "yes" : "no");
	sbuf_addf(&sb, "custody:         %" PRId64 " row%s, head ",
	    ci->custody_rows, ci->custody_rows == 1 ? "" : "s");
	cmd_info_put(&sb, ci->head[0] ? ci->head : "(empty)");
	sbuf_addf(&sb, "\nartifacts:       %" PRId64, ci->nartifacts);
	if (ci->nshown < ci->nartifacts)
		sbuf_addf(&sb, " (%" PRId64 " input%s below; the members "
			       "of directory inputs are counted with their "
			       "group)",
		    ci->nshown, ci->nshown == 1 ? "" : "s");
	sbuf_addch(&sb, '\n');
	if (ci->text.len > 0) {
		sbuf_addf(&sb, "  %4s  %-8s %12s  %-64s  %s\n", "id", "format",
		    "size", "sha256", "name");
		sbuf_add(&sb, ci->text.buf, ci->text.len);
	}
	sbuf_addstr(&sb, "rows:\n");
	json_object_foreach(ci->counts, key, v)
		sbuf_addf(&sb, "  %-18s %" JSON_INTEGER_FORMAT "\n", key,
		    json_integer_value(v));
	sbuf_addf(&sb, "storage:         page size %" PRIu64 ", %" PRIu64
		       " pages\n",
	    ci->st.page_size, ci->st.page_count);
	for (i = 0; i < ARRAY_SIZE(cls); i++) {
		fmt_bytes(cls[i].n, sz, sizeof(sz));
		sbuf_addf(&sb, "  %-10s %10s  (%" PRIu64 " bytes)\n",
		    cls[i].name, sz, cls[i].n);
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	sbuf_release(&sb);
}

static int
cmd_info_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "format", 'f', true }, /* 0 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cmd_info ci;
	struct cli_parse p;
	int k, rc = CLI_OK;

	memset(&ci, 0, sizeof(ci));
	ci.text = (struct sbuf)SBUF_INIT;
	ci.counts = json_object();
	ci.artifacts = json_array();
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			if (strcmp(p.optarg, "json") == 0) {
				ci.json = true;
			} else if (strcmp(p.optarg, "text") == 0) {
				ci.json = false;
			} else {
				rc = cli_usage(&cmd_info,
				    "--format wants text or json, got '%s'",
				    p.optarg);
				goto out;
			}
			break;
		}
	}
	if (p.nops != 1) {
		rc = cli_usage(&cmd_info, "expected one CASE operand");
		goto out;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &ci.s, &e) < 0 ||
	    cmd_info_gather(&ci, &e) < 0) {
		rc = cli_fail("info", &e);
		goto out;
	}
	if (ci.json)
		cmd_info_print_json(&ci);
	else
		cmd_info_print_text(&ci);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_errorf("info", "cannot write to standard output: %s",
		    strerror(errno));
		rc = CLI_FAIL;
	}
out:
	store_close(ci.s);
	free(ci.case_id);
	json_decref(ci.counts);
	json_decref(ci.artifacts);
	sbuf_release(&ci.text);
	cli_parse_release(&p);
	return rc;
}
