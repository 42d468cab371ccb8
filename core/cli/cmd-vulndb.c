/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-vulndb.c: `drydock vulndb import CASE DIR|FILE...`: load OSV
 * vulnerability records into a case (core/vulndb.c does the work).
 */
#include "core/common.h"

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/vulndb.h"

static int cmd_vulndb_run(int argc, char **argv);

const struct cli_cmd cmd_vulndb = {
	.name = "vulndb",
	.synopsis = "import CASE DIR|FILE...",
	.summary = "load OSV vulnerability records for the vuln analyzer",
	.help =
	    "Loads vulnerability records in the OSV format (ossf.github.io/"
	    "osv-schema)\n"
	    "that you supply: nothing is downloaded. Each FILE holds one "
	    "record or a\n"
	    "JSON array of records; each DIR is walked recursively for *.json "
	    "files\n"
	    "(in name order; links to directories are not followed). Every "
	    "record is\n"
	    "checked against the OSV schema; an invalid record is skipped "
	    "with a\n"
	    "message naming the file and the first rule it breaks, and the "
	    "others load.\n"
	    "A record whose id is already in the case replaces it only when "
	    "its\n"
	    "'modified' time is later. The load is one transaction recorded "
	    "in custody\n"
	    "(counts, and the SHA-256 of every file read).\n\n"
	    "Then 'drydock analyze CASE' runs the vuln analyzer, which "
	    "reports each\n"
	    "installed image package a record covers (rule vuln.package).\n\n"
	    "Limits: files up to 16 MiB, 1,000,000 records per import.\n"
	    "Exit status: 0 when at least one valid record was read (even if "
	    "the case\n"
	    "already held it), 1 when none was (the case is unchanged).\n"
	    "With -v every skipped record is listed; otherwise the first "
	    "100.\n\n"
	    "Examples:\n"
	    "  drydock vulndb import case.drydock ~/osv/Alpine/ ~/osv/PyPI/\n"
	    "  drydock vulndb import case.drydock GHSA-9v2f-6vcg-3hgv.json\n"
	    "  unzip -d alpine Alpine.zip && "
	    "drydock vulndb import case.drydock alpine\n"
	    "  drydock -v vulndb import case.drydock osv-dump.json\n"
	    "  drydock query case.drydock "
	    "\"SELECT id, modified, summary FROM vulns\"\n",
	.mutates = true,
	.run = cmd_vulndb_run,
};

/* Skipped records listed without -v. */
#define CMD_VULNDB_NOTES 100

struct cmd_vulndb_notes {
	size_t n;
};

static void
cmd_vulndb_note(void *user, const char *file, const char *msg)
{
	struct cmd_vulndb_notes *nt = user;

	if (nt->n++ < CMD_VULNDB_NOTES || cli_g.verbose > 0)
		cli_errorf("vulndb", "'%s': %s", file, msg);
}

static int
cmd_vulndb_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = { { NULL, 0, false } };
	struct dd_err e = DD_ERR_INIT;
	struct cmd_vulndb_notes nt = { 0 };
	struct vulndb_stats st;
	struct cli_parse p;
	struct store *s = NULL;
	char head[SHA256_HEX] = "";
	int k, rc = CLI_OK;

	if (argc < 2 || strcmp(argv[1], "import") != 0)
		return cli_usage(&cmd_vulndb, argc < 2 ?
			"expected 'import'" :
			"unknown action '%s' (expected 'import')",
		    argv[1]);
	cli_parse_init(&p, argc - 1, argv + 1);
	p.cmd = "vulndb";
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			rc = CLI_USAGE;
			goto out;
		}
	}
	if (p.nops < 2) {
		rc = cli_usage(&cmd_vulndb, "expected CASE and at least one "
					    "DIR or FILE");
		goto out;
	}
	if (store_open(p.ops[0], STORE_WRITE, &s, &e) < 0) {
		rc = cli_fail("vulndb", &e);
		goto out;
	}
	memset(&st, 0, sizeof(st));
	if (vulndb_import(s, (const char *const *)p.ops + 1,
		(size_t)p.nops - 1, cmd_vulndb_note, &nt, &st, head, &e) < 0) {
		rc = cli_fail("vulndb", &e);
		goto out;
	}
	if (nt.n > CMD_VULNDB_NOTES && cli_g.verbose == 0)
		cli_errorf("vulndb", "%zu more skipped records or files not "
				     "listed (-v lists them all)",
		    nt.n - CMD_VULNDB_NOTES);
	printf("%zu record%s read from %zu file%s: %zu added, %zu replaced, "
	       "%zu kept (not newer than the case's), %zu invalid skipped",
	    st.records, st.records == 1 ? "" : "s", st.files,
	    st.files == 1 ? "" : "s", st.added, st.replaced, st.kept,
	    st.invalid);
	if (st.bad_files)
		printf(", %zu file%s not read", st.bad_files,
		    st.bad_files == 1 ? "" : "s");
	printf("\n");
	cli_print_head(head);
out:
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
