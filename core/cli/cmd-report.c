/* SPDX-License-Identifier: Apache-2.0 */
/* cmd-report.c: `drydock report CASE --format md|json [-o FILE]
 * [--fail-on SEVERITY]`. */
#include "core/common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/report/report.h"
#include "core/store.h"
#include "core/xmalloc.h"

static int cmd_report_run(int argc, char **argv);

const struct cli_cmd cmd_report = {
	.name = "report",
	.synopsis = "[--format md|json|csv|html|sarif|timesketch] "
		    "[--fail-on SEVERITY] [-o FILE] CASE",
	.summary = "write the findings as a Markdown, JSON, CSV, HTML, SARIF "
		   "or Timesketch report",
	.help =
	    "Writes the case's evidence list, findings (most severe first, "
	    "with their\n"
	    "evidence rows, notes and tags) and chain of custody. The report "
	    "names the\n"
	    "custody head, so 'drydock verify --expect HEAD' ties it to the "
	    "case.\n"
	    "Reports are deterministic: the same case gives the same bytes. "
	    "Every\n"
	    "string from evidence is escaped for the format.\n\n"
	    "Options:\n"
	    "  --format F         md (default), json (one object: custody "
	    "head,\n"
	    "                     findings with evidence), csv (one row per "
	    "finding),\n"
	    "                     html (one self-contained page, no script, "
	    "with\n"
	    "                     charts: activity over time, findings by "
	    "severity\n"
	    "                     and container, the attacked container's "
	    "process\n"
	    "                     tree), sarif (SARIF 2.1.0 for code-scanning "
	    "tools),\n"
	    "                     timesketch (JSON lines with message, "
	    "datetime,\n"
	    "                     timestamp, timestamp_desc; timed findings)\n"
	    "  -o FILE            write to FILE instead of standard output "
	    "(a regular\n"
	    "                     file is replaced only when complete)\n"
	    "  --fail-on SEV      exit 3 when a finding is at or above SEV "
	    "(info, low,\n"
	    "                     medium, high, critical): for pipelines\n\n"
	    "Examples:\n"
	    "  drydock report case.drydock\n"
	    "  drydock report case.drydock --format json -o report.json "
	    "--fail-on high\n"
	    "  drydock report case.drydock --format html -o report.html\n"
	    "  drydock report case.drydock --format timesketch -o t.jsonl   "
	    "(timesketch_importer)\n",
	.mutates = false,
	.run = cmd_report_run,
};

static int
cmd_report_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "format", 'f', true },  /* 0 */
		{ "output", 'o', true },  /* 1 */
		{ "fail-on", 0, true },	  /* 2 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	const char *outpath = NULL;
	struct cli_out o;
	bool opened = false;
	enum finding_sev failon = SEV_INFO;
	bool have_failon = false;
	int format = REPORT_MD, worst = -1, k, rc = CLI_OK;
	FILE *out = stdout;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto done;
		case 0:
			if ((format = report_format_parse(p.optarg)) < 0) {
				rc = cli_usage(&cmd_report,
				    "unknown format '%s' (md, json, csv, "
				    "html, sarif or timesketch)",
				    p.optarg);
				goto done;
			}
			break;
		case 1:
			outpath = p.optarg;
			break;
		case 2:
			if (!finding_sev_parse(p.optarg, &failon)) {
				rc = cli_usage(&cmd_report,
				    "unknown severity '%s' (info, low, "
				    "medium, high, critical)",
				    p.optarg);
				goto done;
			}
			have_failon = true;
			break;
		}
	}
	if (p.nops != 1) {
		rc = cli_usage(&cmd_report, "expected one CASE operand");
		goto done;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0) {
		rc = cli_fail("report", &e);
		goto done;
	}
	if (outpath != NULL && strcmp(outpath, "-") != 0) {
		if ((rc = cli_out_open(&o, outpath, "report")) != CLI_OK)
			goto done;
		opened = true;
		if ((out = fdopen(dup(o.fd), "w")) == NULL) {
			cli_errorf("report", "cannot write '%s': %s", outpath,
			    strerror(errno));
			out = stdout;
			cli_out_finish(&o, false, "report");
			rc = CLI_FAIL;
			goto done;
		}
	}
	if (report_write(s, format, out, &worst, &e) < 0)
		rc = cli_fail("report", &e);
	if (out != stdout) {
		if (fclose(out) != 0 && rc == CLI_OK) {
			cli_errorf("report", "cannot write '%s': %s", outpath,
			    strerror(errno));
			rc = CLI_FAIL;
		}
		out = stdout;
	} else if (fflush(stdout) != 0) {
		rc = CLI_FAIL;
	}
	if (opened && cli_out_finish(&o, rc == CLI_OK, "report") != CLI_OK)
		rc = CLI_FAIL;
	if (rc == CLI_OK && have_failon && worst >= (int)failon)
		rc = CLI_FAILON;
done:
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
