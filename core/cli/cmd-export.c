/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-export.c: `drydock export CASE ARTIFACT-ID -o FILE [--dir]`: write
 * an original back out, bit-exact, proving its SHA-256 while writing.
 */
#include "core/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "core/cli/cli.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/export.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

static int cmd_export_run(int argc, char **argv);

const struct cli_cmd cmd_export = {
	.name = "export",
	.synopsis = "[--dir] CASE ARTIFACT-ID -o FILE",
	.summary = "write an artifact's original bytes back out, proving "
		   "its hash",
	.help =
	    "Replays the artifact's stored recipe and checks its SHA-256 "
	    "against the\n"
	    "digest recorded at import while writing; on a mismatch the "
	    "output is\n"
	    "removed and the exit status is 1. A group (a directory input) is "
	    "written\n"
	    "as a tar of its members, or with --dir into a new directory FILE.\n"
	    "-o - writes to standard output. -o onto an existing non-regular "
	    "file (a\n"
	    "pipe, a device) writes in place; a regular file is written beside "
	    "the\n"
	    "target and renamed into place only once proven. The export is "
	    "recorded\n"
	    "in the chain of custody when the case is writable.\n\n"
	    "Options:\n"
	    "  -o FILE    where to write (required)\n"
	    "  --dir      write a group's members into the new directory FILE\n\n"
	    "Examples:\n"
	    "  drydock query case.drydock 'SELECT id, name, sha256 FROM "
	    "artifacts'\n"
	    "  drydock export case.drydock 3 -o capture.pcap\n"
	    "  drydock export case.drydock 1 --dir -o restored-strace/\n",
	.mutates = true,
	.run = cmd_export_run,
};

static void
cmd_export_progress(void *user, uint64_t done)
{
	const struct export_info *a = user;

	cli_progress("exporting", a->name, done, a->size);
}

/* Record the export in custody when the case can be written. */
static void
cmd_export_custody(const char *path, const struct export_info *a,
    const char *to, const char *how)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "artifact",
	    (json_int_t)a->id, "sha256", a->sha256, "to", to, "as", how);

	cli_custody_export(path, "export", o);
	json_decref(o);
}

static int
cmd_export_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "output", 'o', true }, /* 0 */
		{ "dir", 0, false },	 /* 1 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct export_info a;
	struct cli_parse p;
	struct store *s = NULL;
	const char *out = NULL, *how = "file";
	struct cli_out o;
	bool dir = false;
	int64_t id;
	int k, rc = CLI_OK;
	struct stat sb;

	memset(&a, 0, sizeof(a));
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			rc = CLI_USAGE;
			goto out;
		} else if (k == 0) {
			out = p.optarg;
		} else if (k == 1) {
			dir = true;
		}
	}
	if (p.nops != 2 || out == NULL) {
		rc = cli_usage(&cmd_export,
		    "expected CASE, ARTIFACT-ID and -o FILE");
		goto out;
	}
	if (!parse_i64(p.ops[1], &id) || id <= 0) {
		rc = cli_usage(&cmd_export, "'%s' is not an artifact id",
		    p.ops[1]);
		goto out;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0 ||
	    export_lookup(s, id, &a, &e) < 0) {
		rc = cli_fail("export", &e);
		goto out;
	}
	if (dir) {
		if (!a.group) {
			rc = cli_usage(&cmd_export,
			    "--dir is for groups; artifact %" PRId64
			    " is a file",
			    id);
			goto out;
		}
		how = "dir";
		if (export_group_dir(s, &a, out, cmd_export_progress, &a, &e) <
		    0) {
			cli_progress_done();
			rc = cli_fail("export", &e);
			goto out;
		}
		cli_progress_done();
		goto done;
	}
	if (a.group)
		how = "tar";
	if (stat(out, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		rc = cli_usage(&cmd_export,
		    "'%s' is a directory (use --dir for groups)", out);
		goto out;
	}
	if ((rc = cli_out_open(&o, out, "export")) != CLI_OK)
		goto out;
	if (a.group)
		k = export_group_tar(s, &a, o.fd, cmd_export_progress, &a, &e);
	else
		k = export_file_fd(s, &a, o.fd, cmd_export_progress, &a, &e);
	cli_progress_done();
	if (k < 0)
		cli_fail("export", &e);
	if ((rc = cli_out_finish(&o, k == 0, "export")) != CLI_OK)
		goto out;
done:
	if (!cli_g.quiet) {
		fprintf(stderr, "exported artifact %" PRId64 " (%s) ", id, how);
		cli_put_safe(stderr, a.name);
		fprintf(stderr, ", sha256 %s%s\n", a.sha256,
		    a.group ? " (merkle; members proved)" : " (proved)");
	}
	store_close(s);
	s = NULL;
	cmd_export_custody(p.ops[0], &a, strcmp(out, "-") == 0 ? "-" : out,
	    how);
out:
	export_info_release(&a);
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
