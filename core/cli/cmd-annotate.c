/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-annotate.c: the small mutating commands: `note`, `tag`, `offset`
 * and `seal`. Each changes one thing, records it in custody and prints the
 * new head.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/annotate.h"
#include <sqlite3.h>

#include "core/cli/cli.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_note_run(int argc, char **argv);
static int cmd_tag_run(int argc, char **argv);
static int cmd_offset_run(int argc, char **argv);
static int cmd_seal_run(int argc, char **argv);

const struct cli_cmd cmd_note = {
	.name = "note",
	.synopsis = "CASE TARGET TEXT",
	.summary = "attach an examiner's note to a finding, artifact or row",
	.help = "TARGET is RELATION:KEY, for example finding:ID (the id "
		"'report' prints),\n"
		"artifact:3, flow:17. Notes on findings survive re-analysis "
		"because\n"
		"finding ids are stable. The note is recorded in custody.\n"
		"Read notes with: drydock query CASE 'SELECT * FROM notes'\n\n"
		"Example:\n"
		"  drydock note case.drydock artifact:2 'from host web-3, "
		"collected 09:14 UTC'\n",
	.mutates = true,
	.run = cmd_note_run,
};

const struct cli_cmd cmd_tag = {
	.name = "tag",
	.synopsis = "[--remove] CASE TARGET TAG...",
	.summary = "tag a finding, artifact or row (or --remove a tag)",
	.help = "TARGET is RELATION:KEY as for 'note'. Tags are recorded in "
		"custody.\n\n"
		"Options:\n  --remove   remove the tags instead of adding "
		"them\n\n"
		"Example:\n  drydock tag case.drydock finding:ID "
		"confirmed escalated\n",
	.mutates = true,
	.run = cmd_tag_run,
};

const struct cli_cmd cmd_offset = {
	.name = "offset",
	.synopsis = "[--tz ZONE] CASE ARTIFACT-ID OFFSET | --suggest CASE",
	.summary = "set an artifact's clock offset and time zone",
	.help = "OFFSET is added to every time the artifact records: "
		"[+-]N with a unit\n"
		"ns, us, ms, s (default), m or h, e.g. -3s, +90m, 1500ms. "
		"Times are kept\n"
		"as recorded and the offset applies in views, so the change is "
		"instant\n"
		"and reversible. It is recorded in custody with the old value.\n\n"
		"With --suggest, nothing changes: it lists the clock skews the\n"
		"correlate analyzer measured between syscall traces and captures\n"
		"(the median over connections matched one to one), each with the\n"
		"command that aligns the trace to the capture.\n\n"
		"Options:\n  --tz ZONE   the time zone the source's local "
		"times were in\n"
		"              (e.g. Europe/Berlin); default unchanged (UTC)\n"
		"  --suggest   list the measured skews (run drydock analyze "
		"first)\n\n"
		"Example:\n  drydock offset case.drydock 2 -- -2.5s   (use "
		"-2500ms)\n"
		"  drydock offset case.drydock 2 +3s\n"
		"  drydock offset --suggest case.drydock\n",
	.mutates = true,
	.run = cmd_offset_run,
};

const struct cli_cmd cmd_seal = {
	.name = "seal",
	.synopsis = "CASE",
	.summary = "checkpoint into one self-contained file for hand-off",
	.help = "Records a 'seal' row in custody, checkpoints the write-ahead "
		"log and\n"
		"switches the case to a single self-contained file (no -wal or "
		"-shm\n"
		"beside it), which opens read-only on write-protected media. "
		"Read-only\n"
		"commands (info, query, verify, report, export) work on it as "
		"is;\n"
		"a later import reopens it for work.\n",
	.mutates = true,
	.run = cmd_seal_run,
};

/* Parse options and operands; returns CLI_OK or an exit status. */
static int
cmd_annotate_parse(const struct cli_cmd *c, int argc, char **argv,
    const struct cli_opt *opts, int minops, struct cli_parse *p,
    const char **optval, bool *flag)
{
	int k;

	cli_parse_init(p, argc, argv);
	while ((k = cli_getopt(p, opts)) != -1) {
		if (k == -2)
			return CLI_USAGE;
		if (opts[k].arg)
			*optval = p->optarg;
		else
			*flag = true;
	}
	if (p->nops < minops)
		return cli_usage(c, "expected %s", c->synopsis);
	return CLI_OK;
}

static int
cmd_annotate_open(const char *cmd, const char *path, struct store **s,
    unsigned extra)
{
	struct dd_err e = DD_ERR_INIT;

	if (store_open(path, STORE_WRITE | extra, s, &e) < 0)
		return cli_fail(cmd, &e);
	return CLI_OK;
}

static int
cmd_note_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = { { NULL, 0, false } };
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	char head[SHA256_HEX];
	const char *ov = NULL;
	bool fl = false;
	int rc;

	rc = cmd_annotate_parse(&cmd_note, argc, argv, opts, 3, &p, &ov, &fl);
	if (rc == CLI_OK && p.nops != 3)
		rc = cli_usage(&cmd_note, "expected CASE TARGET TEXT (quote "
					  "the text)");
	if (rc == CLI_OK &&
	    (rc = cmd_annotate_open("note", p.ops[0], &s, STORE_KEEPMODE)) ==
		CLI_OK) {
		if (annotate_note(s, p.ops[1], p.ops[2], head, &e) < 0)
			rc = cli_fail("note", &e);
		else
			cli_print_head(head);
	}
	store_close(s);
	cli_parse_release(&p);
	return rc;
}

static int
cmd_tag_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = { { "remove", 0, false },
		{ NULL, 0, false } };
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	char head[SHA256_HEX] = "";
	const char *ov = NULL;
	bool rm = false;
	int rc, i;

	rc = cmd_annotate_parse(&cmd_tag, argc, argv, opts, 3, &p, &ov, &rm);
	if (rc == CLI_OK &&
	    (rc = cmd_annotate_open("tag", p.ops[0], &s, STORE_KEEPMODE)) ==
		CLI_OK) {
		for (i = 2; i < p.nops; i++) {
			dd_err_clear(&e);
			if (annotate_tag(s, p.ops[1], p.ops[i], !rm, head,
				&e) < 0) {
				rc = cli_fail("tag", &e);
				break;
			}
		}
		cli_print_head(head);
	}
	store_close(s);
	cli_parse_release(&p);
	return rc;
}

/* offset --suggest: the clock.skew links of the correlate analyzer. */
static int
cmd_offset_suggest(const char *path)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	sqlite3_stmt *st = NULL;
	int n = 0, rc = CLI_OK;

	if (store_open(path, STORE_RDONLY, &s, &e) < 0)
		return cli_fail("offset", &e);
	if (sqlite3_prepare_v2(s->db, "SELECT l.from_key, l.to_key, "
	    "json_extract(l.detail, '$.skew_ns'), json_extract(l.detail, "
	    "'$.pairs'), a.name, b.name FROM links l JOIN artifacts a ON a.id "
	    "= CAST(l.from_key AS INTEGER) JOIN artifacts b ON b.id = "
	    "CAST(l.to_key AS INTEGER) WHERE l.kind = 'clock.skew' ORDER BY "
	    "CAST(l.from_key AS INTEGER), CAST(l.to_key AS INTEGER)", -1, &st,
	    NULL) != SQLITE_OK) {
		dd_err_set(&e, DD_ESQL, "%s", sqlite3_errmsg(s->db));
		rc = cli_fail("offset", &e);
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t skew = sqlite3_column_int64(st, 2);
		printf("trace %s (", (const char *)sqlite3_column_text(st, 0));
		cli_put_safe(stdout, (const char *)sqlite3_column_text(st, 4));
		printf(") vs capture %s (", (const char *)sqlite3_column_text(st,
		    1));
		cli_put_safe(stdout, (const char *)sqlite3_column_text(st, 5));
		printf("): the capture is %+.6f s ahead over %lld matched "
		    "connections%s\n  drydock offset CASE %s %+" PRId64 "us\n",
		    skew / 1e9, (long long)sqlite3_column_int64(st, 3),
		    sqlite3_column_int64(st, 3) < 3 ? " (too few to trust)" : "",
		    (const char *)sqlite3_column_text(st, 0), skew / 1000);
		n++;
	}
	if (n == 0)
		printf("no clock skew measured: run drydock analyze on a case "
		    "with a syscall trace and a capture of the same "
		    "connections\n");
out:
	sqlite3_finalize(st);
	store_close(s);
	return rc;
}

static int
cmd_offset_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = { { "tz", 0, true },
		{ "suggest", 0, false }, { NULL, 0, false } };
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	char head[SHA256_HEX];
	const char *tz = NULL;
	bool fl = false;
	int64_t id, off;
	int rc;

	rc = cmd_annotate_parse(&cmd_offset, argc, argv, opts, 1, &p, &tz,
	    &fl);
	if (rc == CLI_OK && fl) {
		rc = p.nops == 1 ? cmd_offset_suggest(p.ops[0]) :
		    cli_usage(&cmd_offset, "--suggest takes CASE alone");
		cli_parse_release(&p);
		return rc;
	}
	if (rc == CLI_OK && p.nops != 3)
		rc = cli_usage(&cmd_offset, "expected CASE ARTIFACT-ID OFFSET");
	if (rc == CLI_OK && (!parse_i64(p.ops[1], &id) || id <= 0))
		rc = cli_usage(&cmd_offset, "'%s' is not an artifact id",
		    p.ops[1]);
	if (rc == CLI_OK && !time_parse_offset(p.ops[2], &off))
		rc = cli_usage(&cmd_offset,
		    "'%s' is not an offset like +3s, -1500ms, 2h", p.ops[2]);
	if (rc == CLI_OK && (rc = cmd_annotate_open("offset", p.ops[0], &s,
				 STORE_KEEPMODE)) == CLI_OK) {
		if (annotate_offset(s, id, off, tz, head, &e) < 0) {
			rc = cli_fail("offset", &e);
		} else {
			printf("artifact %" PRId64 ": clock offset %" PRId64
			       " ns%s%s\n",
			    id, off, tz ? ", time zone " : "", tz ? tz : "");
			cli_print_head(head);
		}
	}
	store_close(s);
	cli_parse_release(&p);
	return rc;
}

static int
cmd_seal_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = { { NULL, 0, false } };
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	char head[SHA256_HEX], prev[SHA256_HEX], *detail;
	const char *ov = NULL;
	bool fl = false;
	int64_t seq = 0;
	json_t *o;
	int rc;

	rc = cmd_annotate_parse(&cmd_seal, argc, argv, opts, 1, &p, &ov, &fl);
	if (rc == CLI_OK && p.nops != 1)
		rc = cli_usage(&cmd_seal, "expected one CASE operand");
	if (rc != CLI_OK ||
	    (rc = cmd_annotate_open("seal", p.ops[0], &s, STORE_KEEPMODE)) !=
		CLI_OK)
		goto out;
	if (custody_head(s, prev, &seq, &e) < 0 || store_begin(s, &e) < 0) {
		rc = cli_fail("seal", &e);
		goto out;
	}
	o = json_pack("{s:s, s:I}", "sealed_after", prev, "rows",
	    (json_int_t)seq);
	detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (store_meta_set(s, "sealed", "1", &e) < 0 ||
	    custody_append(s, "seal", detail, head, &e) < 0 ||
	    store_commit(s, &e) < 0 || store_seal(s, &e) < 0) {
		store_rollback(s);
		free(detail);
		rc = cli_fail("seal", &e);
		goto out;
	}
	free(detail);
	printf("sealed '%s': one self-contained file, custody head %s\n",
	    p.ops[0], head);
	cli_print_head(head);
out:
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
