/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-ingest.c: `drydock ingest CASE PATH... [--as ID] [--reference]
 * [--strict] [-o key=value]`: import evidence files and directories.
 */
#include "core/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

static int cmd_ingest_run(int argc, char **argv);

const struct cli_cmd cmd_ingest = {
	.name = "ingest",
	.synopsis = "[--list] [--reference] [--strict] [--as ID] "
		    "[-o KEY=VALUE]... CASE PATH...",
	.summary = "import evidence files or directories into a case",
	.help =
	    "Each PATH is kept bit-exact in the case (compressed, hashed) and "
	    "parsed\n"
	    "by the importer that recognises it. A directory becomes an "
	    "artifact group:\n"
	    "every file in it is a member, and the group's hash is a Merkle "
	    "hash over\n"
	    "the sorted (path, sha256) pairs. Compressed files (gzip, zstd, xz, "
	    "bzip2)\n"
	    "are recognised by what they contain. A file no importer "
	    "recognises is kept\n"
	    "as 'raw' evidence and reported as not parsed.\n\n"
	    "Each import is atomic: killed at any moment, the case holds the "
	    "artifact\n"
	    "completely or not at all. Ingesting a file already in the case "
	    "exits 0,\n"
	    "says so and adds nothing.\n\n"
	    "Evidence that refers to other evidence (a docker export compared "
	    "with its\n"
	    "image, docker diff output naming a container) is compared with "
	    "what the\n"
	    "case holds when it is imported, so one command taking several "
	    "PATHs\n"
	    "imports those last.\n\n"
	    "Options:\n"
	    "  --as ID          use importer ID instead of sniffing (see "
	    "--list)\n"
	    "  --reference      store path and SHA-256 only, not the bytes "
	    "(huge evidence)\n"
	    "  --strict         exit 4 when an import recorded anomalies\n"
	    "  -o KEY=VALUE     an importer option (repeatable)\n"
	    "  --level N        zstd level for stored bytes (default 3; 1 for\n"
	    "                   line text: strace, audit and container logs,\n"
	    "                   LID-DS; as small there and faster)\n"
	    "  --date YYYY-MM-DD  the date of time-of-day stamps (strace -t/-tt);\n"
	    "                   default: the file's modification date\n"
	    "  --tz +HH:MM      the UTC offset those stamps were taken in\n"
	    "                   (default +00:00)\n"
	    "  --start TIME     the start (RFC 3339) of relative stamps (-r)\n"
	    "  --list           list the importers and exit\n\n"
	    "Examples:\n"
	    "  drydock ingest case.drydock strace.log capture.pcap\n"
	    "  drydock ingest case.drydock /mnt/evidence/logs/\n"
	    "  drydock ingest case.drydock runtime-root.tar audit.log\n"
	    "  drydock ingest case.drydock --as dockerdiff -o container=ID "
	    "diff.txt\n"
	    "  drydock ingest case.drydock --reference disk.img\n\n"
	    "A container runtime's directory (/var/lib/docker,\n"
	    "/var/lib/containers/storage) is read as one tar:\n"
	    "datasets/collect/runtime-root.sh makes it without mounting "
	    "anything.\n",
	.mutates = true,
	.run = cmd_ingest_run,
};

static void
cmd_ingest_progress(void *user, const char *name, uint64_t done,
    uint64_t total)
{
	(void)user;
	cli_progress("storing", name, done, total);
}

static void
cmd_ingest_list(void)
{
	size_t i;

	for (i = 0; ingest_table[i] != NULL; i++) {
		const struct importer *imp = ingest_table[i];
		if (imp->flags & IMP_TESTONLY)
			continue;
		printf("%-12s %s\n", imp->name, imp->summary);
	}
}

/* Check every input before changing the case, so a bad path among good
 * ones leaves the case untouched. */
static int
cmd_ingest_preflight(const char *path)
{
	struct stat sb;
	int fd;

	if (stat(path, &sb) < 0) {
		cli_errorf("ingest", "cannot open '%s': %s", path,
		    strerror(errno));
		return CLI_FAIL;
	}
	if (S_ISDIR(sb.st_mode)) {
		if (access(path, R_OK | X_OK) < 0) {
			cli_errorf("ingest", "cannot read directory '%s': %s",
			    path, strerror(errno));
			return CLI_FAIL;
		}
		return CLI_OK;
	}
	if (!S_ISREG(sb.st_mode)) {
		cli_errorf("ingest", "'%s' is not a regular file or directory",
		    path);
		return CLI_FAIL;
	}
	if (sb.st_size == 0) {
		cli_errorf("ingest", "'%s' is empty (0 bytes): nothing to "
				     "import",
		    path);
		return CLI_FAIL;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		cli_errorf("ingest", "cannot open '%s': %s", path,
		    strerror(errno));
		return CLI_FAIL;
	}
	close(fd);
	return CLI_OK;
}

static int
cmd_ingest_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "as", 0, true },	  /* 0 */
		{ "reference", 0, false }, /* 1 */
		{ "strict", 0, false },	  /* 2 */
		{ "option", 'o', true },  /* 3 */
		{ "list", 0, false },	  /* 4 */
		{ "level", 0, true },	  /* 5 */
		{ "date", 0, true },	  /* 6 */
		{ "tz", 0, true },	  /* 7 */
		{ "start", 0, true },	  /* 8 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct ingest_opts io;
	struct cli_parse p;
	struct store *s = NULL;
	const char **kv;
	char **owned;
	int nowned = 0;
	char head[SHA256_HEX] = "";
	bool strict = false, list = false, *late = NULL;
	uint64_t anomalies = 0;
	int nkv = 0, k, i, rc = CLI_OK;
	int64_t lv;

	memset(&io, 0, sizeof(io));
	kv = xcalloc((size_t)argc + 1, sizeof(*kv));
	owned = xcalloc((size_t)argc + 1, sizeof(*owned));
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			io.as = p.optarg;
			break;
		case 1:
			io.reference = true;
			break;
		case 2:
			strict = true;
			break;
		case 3:
			if (strchr(p.optarg, '=') == NULL) {
				rc = cli_usage(&cmd_ingest,
				    "-o needs KEY=VALUE, got '%s'", p.optarg);
				goto out;
			}
			kv[nkv++] = p.optarg;
			break;
		case 4:
			list = true;
			break;
		case 5:
			if (!parse_i64(p.optarg, &lv) || lv < 1 || lv > 19) {
				rc = cli_usage(&cmd_ingest,
				    "--level wants 1..19, got '%s'", p.optarg);
				goto out;
			}
			io.level = (int)lv;
			break;
		case 6:
		case 7:
		case 8:
			/* Shorthands for the trace importers' options. */
			kv[nkv++] = opts[k].lname[0] == 'd' ?
			    xasprintf("date=%s", p.optarg) :
			    opts[k].lname[0] == 't' ?
			    xasprintf("tz=%s", p.optarg) :
			    xasprintf("start=%s", p.optarg);
			owned[nowned++] = (char *)kv[nkv - 1];
			break;
		}
	}
	if (list) {
		cmd_ingest_list();
		goto out;
	}
	if (p.nops < 2) {
		rc = cli_usage(&cmd_ingest, "expected CASE and at least one PATH");
		goto out;
	}
	if (io.as != NULL && ingest_find(io.as) == NULL) {
		rc = cli_usage(&cmd_ingest,
		    "unknown importer '%s' (see 'drydock ingest --list')", io.as);
		goto out;
	}
	for (i = 1; i < p.nops; i++)
		if ((rc = cmd_ingest_preflight(p.ops[i])) != CLI_OK)
			goto out;
	io.opts = kv;
	io.progress = cmd_ingest_progress;
	if (store_open(p.ops[0], STORE_WRITE | STORE_BULK, &s, &e) < 0) {
		rc = cli_fail("ingest", &e);
		goto out;
	}
	if (s->removed_imports > 0 && !cli_g.quiet)
		fprintf(stderr,
		    "drydock ingest: removed %d unfinished import(s) left by a "
		    "process that stopped\n",
		    s->removed_imports);
	/* Paths that refer to other evidence (exports, diffs) go last. */
	late = xcalloc((size_t)p.nops, sizeof(*late));
	for (i = 1; i < p.nops; i++)
		late[i] = ingest_path_late(p.ops[i], io.as);
	for (int pass = 0; pass < 2 && rc == CLI_OK; pass++)
	for (i = 1; i < p.nops; i++) {
		struct ingest_result res;
		struct sbuf nm = SBUF_INIT;
		char sz[32];

		if (late[i] != (pass == 1))
			continue;
		dd_err_clear(&e);
		if (ingest_path(s, p.ops[i], &io, &res, &e) < 0) {
			cli_progress_done();
			rc = cli_fail("ingest", &e);
			break;
		}
		cli_progress_done();
		esc_display(&nm, p.ops[i], strlen(p.ops[i]));
		fmt_bytes(res.size, sz, sizeof(sz));
		if (res.identical) {
			printf("'%s': identical to artifact %" PRId64
			       " already in the case; nothing added\n",
			    nm.buf, res.artifact_id);
		} else if (res.group) {
			printf("'%s': artifact %" PRId64 ", group of %" PRIu64
			       " files, %s, merkle sha256 %s\n",
			    nm.buf, res.artifact_id, res.members, sz,
			    res.sha256);
			snprintf(head, sizeof(head), "%s", res.head);
		} else {
			printf("'%s': artifact %" PRId64 ", %s%s%s, %s, sha256 "
			       "%s%s\n",
			    nm.buf, res.artifact_id, res.format,
			    res.filter ? ", " : "",
			    res.filter ? res.filter : "", sz, res.sha256,
			    io.reference ? " (by reference: bytes not kept)" :
					   "");
			if (!res.parsed)
				printf("  kept as raw evidence, not parsed "
				       "(no importer recognised it; best "
				       "guesses: %s)\n",
				    res.guess[0] ? res.guess : "none");
			snprintf(head, sizeof(head), "%s", res.head);
		}
		if (res.anomalies > 0)
			printf("  %" PRIu64 " anomal%s recorded (see 'drydock "
			       "query CASE \"SELECT * FROM anomalies WHERE "
			       "artifact_id = %" PRId64 "\"')\n",
			    res.anomalies, res.anomalies == 1 ? "y" : "ies",
			    res.artifact_id);
		anomalies += res.anomalies;
		sbuf_release(&nm);
	}
	cli_print_head(head);
	if (rc == CLI_OK && strict && anomalies > 0)
		rc = CLI_STRICT;
out:
	store_close(s);
	cli_parse_release(&p);
	while (nowned > 0)
		free(owned[--nowned]);
	free(owned);
	free(kv);
	free(late);
	return rc;
}
