/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-export-events.c: `drydock export-events CASE [--artifact ID]
 * [--format csv|json] [-o FILE]`: every event as CSV (or JSON) for tools
 * that cannot load drydock's `events` virtual table.
 */
#include "core/common.h"

#include <unistd.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/query.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_export_events_run(int argc, char **argv);

const struct cli_cmd cmd_export_events = {
	.name = "export-events",
	.synopsis = "[--artifact ID] [--format csv|json] [-o FILE] CASE",
	.summary = "write every event as CSV or JSON for outside tools",
	.help =
	    "Writes the events relation (all columns, in artifact and source "
	    "order)\n"
	    "as CSV with a header (RFC 4180, LF line ends) or as a JSON array. "
	    "The\n"
	    "events relation is a virtual table registered by drydock; other "
	    "SQLite\n"
	    "tools see the compressed event_chunks table instead, so this is "
	    "how\n"
	    "events leave drydock.\n\n"
	    "Options:\n"
	    "  --artifact ID   only the events of this artifact\n"
	    "  --format F      csv (default) or json\n"
	    "  -o FILE         write to FILE (default: standard output)\n",
	.mutates = false,
	.run = cmd_export_events_run,
};

static int
cmd_export_events_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "artifact", 0, true }, /* 0 */
		{ "format", 'f', true }, /* 1 */
		{ "output", 'o', true }, /* 2 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct query_opts qo = { QUERY_CSV, 0, false };
	struct cli_parse p;
	struct cli_out o;
	struct store *s = NULL;
	const char *outpath = "-";
	char sql[1024];
	int64_t art = 0;
	int k, rc = CLI_OK;
	FILE *fp = NULL;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			if (!parse_i64(p.optarg, &art) || art <= 0) {
				rc = cli_usage(&cmd_export_events,
				    "'%s' is not an artifact id", p.optarg);
				goto out;
			}
			break;
		case 1:
			qo.format = query_format_parse(p.optarg);
			if (qo.format != QUERY_CSV && qo.format != QUERY_JSON) {
				rc = cli_usage(&cmd_export_events,
				    "--format is csv or json");
				goto out;
			}
			break;
		case 2:
			outpath = p.optarg;
			break;
		}
	}
	if (p.nops != 1) {
		rc = cli_usage(&cmd_export_events, "expected one CASE operand");
		goto out;
	}
	/* Only a validated integer is formatted into the SQL. */
	snprintf(sql, sizeof(sql),
	    "SELECT id, artifact_id, kind, syscall, arch, ts, enter_ts, "
	    "exit_ts, ts_quality, pid, tid, process_id, comm, ret, ret_known, "
	    "errno, path, path2, fd, fd_path, family, addr, port, flags, "
	    "target, args, container_id, duration FROM events%s ORDER BY id",
	    art > 0 ? " WHERE artifact_id = " : "");
	if (art > 0) {
		char *q = strstr(sql, " ORDER BY");
		char tail[64];
		snprintf(tail, sizeof(tail), "%" PRId64 " ORDER BY id", art);
		snprintf(q, sizeof(sql) - (size_t)(q - sql), "%s", tail);
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0) {
		rc = cli_fail("export-events", &e);
		goto out;
	}
	if ((rc = cli_out_open(&o, outpath, "export-events")) != CLI_OK)
		goto out;
	fp = o.fd == STDOUT_FILENO ? stdout : fdopen(dup(o.fd), "w");
	if (fp == NULL) {
		cli_out_finish(&o, false, "export-events");
		rc = CLI_FAIL;
		goto out;
	}
	if (query_run(s, sql, &qo, fp, &e) < 0)
		rc = cli_fail("export-events", &e);
	if (fp != stdout && fclose(fp) != 0)
		rc = CLI_FAIL;
	else if (fp == stdout && fflush(stdout) != 0)
		rc = CLI_FAIL;
	if (cli_out_finish(&o, rc == CLI_OK, "export-events") != CLI_OK)
		rc = CLI_FAIL;
out:
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
