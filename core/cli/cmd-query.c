/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-query.c: `drydock query [--format csv|json|table] [--budget MS] CASE
 * SQL`: run one read-only SQL statement on a case (core/query.h).
 */
#include "core/common.h"

#include <unistd.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "core/query.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_query_run(int argc, char **argv);

const struct cli_cmd cmd_query = {
	.name = "query",
	.synopsis = "[--format csv|json|table] [--budget MS] CASE SQL",
	.summary = "run one read-only SQL statement on a case",
	.help =
	    "Runs one SQL statement (SQLite dialect) on CASE and prints its "
	    "rows. SQL\n"
	    "'-' reads the statement from standard input. The case is opened "
	    "read-only,\n"
	    "and the query may only read: writes, ATTACH, PRAGMAs that set "
	    "anything,\n"
	    "load_extension() and file functions are refused, and a query that "
	    "runs\n"
	    "longer than its time budget is stopped. More than one statement "
	    "is a\n"
	    "usage error. The relations include artifacts, anomalies, "
	    "custody,\n"
	    "findings, finding_evidence, notes and tags, and events, "
	    "processes, flows,\n"
	    "dns, images, files, timeline and more as importers and analyzers "
	    "fill\n"
	    "them (the first example lists them); only complete artifacts are "
	    "visible.\n\n"
	    "Options:\n"
	    "  -f, --format F csv (default): a header line, RFC 4180 quoting "
	    "only where\n"
	    "                 needed, LF line ends, NULL empty, blobs in hex; "
	    "values are\n"
	    "                 printed as stored (text that is not UTF-8, or "
	    "any text when\n"
	    "                 stdout is a terminal, has control bytes escaped "
	    "as \\xNN)\n"
	    "                 json: an array of objects keyed by column name\n"
	    "                 table: aligned columns for people, every value "
	    "escaped\n"
	    "  --budget MS    stop the query after MS milliseconds (default "
	    "30000; 0: none)\n\n"
	    "Examples:\n"
	    "  # list the tables and views\n"
	    "  drydock query --format table case.drydock \\\n"
	    "      \"SELECT name FROM sqlite_schema WHERE type IN "
	    "('table','view')\"\n"
	    "  # anomalies recorded while importing, per artifact\n"
	    "  drydock query case.drydock \"SELECT a.name, n.offset, "
	    "n.message\n"
	    "      FROM anomalies n JOIN artifacts a ON a.id = n.artifact_id "
	    "ORDER BY 1, 2\"\n"
	    "  # the chain of custody\n"
	    "  drydock query --format json case.drydock \\\n"
	    "      \"SELECT seq, ts, action, detail, hash FROM custody "
	    "ORDER BY seq\"\n"
	    "  # a long statement from a file\n"
	    "  drydock query case.drydock - < hunt.sql\n\n"
	    "Exit status: 0 ok; 1 the SQL failed, was denied or ran out of "
	    "time;\n"
	    "2 usage error (including more than one statement).\n",
	.mutates = false,
	.run = cmd_query_run,
};

/* Read the statement from standard input, at most QUERY_MAX_SQL bytes. */
static int
cmd_query_stdin(struct sbuf *sb, struct dd_err *e)
{
	char buf[8192];
	ssize_t n;

	sbuf_init(sb, QUERY_MAX_SQL);
	for (;;) {
		n = read(0, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return dd_err_set(e, DD_EIO,
			    "cannot read SQL from standard input: %s",
			    strerror(errno));
		if (n == 0)
			return 0;
		if (memchr(buf, '\0', (size_t)n) != NULL)
			return dd_err_set(e, DD_EUSAGE,
			    "SQL on standard input holds a NUL byte");
		if (sbuf_add(sb, buf, (size_t)n) < 0)
			return dd_err_set(e, DD_EUSAGE,
			    "SQL on standard input is longer than %d bytes",
			    QUERY_MAX_SQL);
	}
}

static int
cmd_query_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "format", 'f', true }, /* 0 */
		{ "budget", 0, true },	 /* 1 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct query_opts o;
	struct cli_parse p;
	struct store *s = NULL;
	struct sbuf in = SBUF_INIT;
	const char *sql;
	uint64_t ms;
	int k, rc = CLI_OK;

	memset(&o, 0, sizeof(o));
	o.format = QUERY_CSV;
	o.budget_ms = LIM_QUERY_MS;
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			if ((o.format = query_format_parse(p.optarg)) < 0) {
				rc = cli_usage(&cmd_query,
				    "--format wants csv, json or table, got "
				    "'%s'",
				    p.optarg);
				goto out;
			}
			break;
		case 1:
			if (!parse_u64(p.optarg, &ms) || ms > UINT_MAX) {
				rc = cli_usage(&cmd_query,
				    "--budget wants milliseconds (0 for none), "
				    "got '%s'",
				    p.optarg);
				goto out;
			}
			o.budget_ms = (unsigned)ms;
			break;
		}
	}
	if (p.nops != 2) {
		rc = cli_usage(&cmd_query, "expected CASE and SQL operands");
		goto out;
	}
	sql = p.ops[1];
	if (strcmp(sql, "-") == 0) {
		if (cmd_query_stdin(&in, &e) < 0) {
			rc = cli_fail("query", &e);
			goto out;
		}
		sql = in.buf;
	}
	o.terminal = is_tty(1);
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0) {
		rc = cli_fail("query", &e);
		goto out;
	}
	if (query_guard(s->db, o.budget_ms) < 0) {
		cli_errorf("query", "cannot guard a query on case '%s': SQLite "
				    "refused a setting",
		    p.ops[0]);
		rc = CLI_FAIL;
		goto out;
	}
	if (query_run(s, sql, &o, stdout, &e) < 0)
		rc = cli_fail("query", &e);
out:
	store_close(s);
	sbuf_release(&in);
	cli_parse_release(&p);
	return rc;
}
