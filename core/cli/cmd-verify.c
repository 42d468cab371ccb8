/* SPDX-License-Identifier: Apache-2.0 */
/* cmd-verify.c: `drydock verify [--expect HEAD] CASE`. */
#include "core/common.h"

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/verify.h"

static int cmd_verify_run(int argc, char **argv);

const struct cli_cmd cmd_verify = {
	.name = "verify",
	.synopsis = "[--expect HEAD] CASE",
	.summary = "re-hash every chunk and artifact and walk the custody "
		   "chain",
	.help =
	    "Checks the database (SQLite quick_check) and that the newest "
	    "strings\n"
	    "are in the trigram index, walks the custody chain recomputing "
	    "each\n"
	    "row's hash, re-hashes every stored chunk against its key, "
	    "replays\n"
	    "every artifact against the SHA-256 recorded when it was imported "
	    "(and\n"
	    "in its custody row), recomputes group Merkle hashes, and "
	    "re-hashes\n"
	    "originals kept by reference when their path is still readable.\n"
	    "Every problem is listed, naming the chunk, artifact or custody "
	    "row.\n"
	    "Read-only: works on sealed cases and write-protected media.\n\n"
	    "Options:\n"
	    "  --expect HEAD   also fail unless the custody head is HEAD (the "
	    "hash\n"
	    "                  printed by the last mutating command, or in a "
	    "report)\n\n"
	    "Exit status: 0 verified; 1 a problem was found or the case "
	    "cannot be read.\n",
	.mutates = false,
	.run = cmd_verify_run,
};

static void
cmd_verify_progress(void *user, const char *what, uint64_t done,
    uint64_t total)
{
	(void)user;
	cli_progress("verifying", what, done, total);
}

static int
cmd_verify_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "expect", 0, true },
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct verify_report r;
	struct cli_parse p;
	struct store *s = NULL;
	const char *expect = NULL;
	int k, rc = CLI_OK;

	memset(&r, 0, sizeof(r));
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			rc = CLI_USAGE;
			goto out;
		}
		expect = p.optarg;
	}
	if (p.nops != 1) {
		rc = cli_usage(&cmd_verify, "expected one CASE operand");
		goto out;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0 ||
	    verify_case(s, &r, cmd_verify_progress, NULL, &e) < 0) {
		cli_progress_done();
		rc = cli_fail("verify", &e);
		goto out;
	}
	cli_progress_done();
	if (expect != NULL && strcmp(expect, r.head) != 0) {
		printf("custody head is %s, expected %s\n",
		    r.head[0] ? r.head : "(broken)", expect);
		r.problems++;
	}
	fputs(r.lines.buf, stdout);
	if (r.problems == 0) {
		printf("verified: %" PRId64 " chunks, %" PRId64
		       " artifacts, %" PRId64 " groups, %" PRId64
		       " custody rows; head %s\n",
		    r.chunks, r.artifacts, r.groups, r.custody_rows, r.head);
		if (r.members)
			printf("archive members: %" PRId64 " (covered by their "
			       "archive's digest)\n",
			    r.members);
		if (r.references || r.unreachable)
			printf("by reference: %" PRId64 " re-hashed, %" PRId64
			       " not reachable (not checked)\n",
			    r.references, r.unreachable);
	} else {
		printf("FAILED: %" PRId64 " problem%s found\n", r.problems,
		    r.problems == 1 ? "" : "s");
		rc = CLI_FAIL;
	}
out:
	verify_report_release(&r);
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
