/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-replay.c: `drydock replay` (a labeled dataset through a detector,
 * LID-DS metrics) and `drydock replay-merge` (shard results into the
 * unsharded result). The work is in datasets/replay/.
 */
#include "core/common.h"

#include <math.h>
#include <unistd.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

static int cmd_replay_run(int argc, char **argv);
static int cmd_replay_merge_run(int argc, char **argv);

const struct cli_cmd cmd_replay = {
	.name = "replay",
	.synopsis = "--dataset adfa|lidds2019|lidds2021 --detector "
		    "NAME[:KEY=VALUE,...] [--jobs N] [--shard I/N] "
		    "[--threshold T] [--split-file FILE] [--scores-out FILE] "
		    "[--window-scores-out FILE] [-o FILE] PATH",
	.summary = "replay a labeled dataset through an anomaly detector "
		   "(LID-DS metrics)",
	.help =
	    "Trains a detector on the dataset's normal training recordings, "
	    "takes the\n"
	    "highest score on the validation recordings as the threshold "
	    "(LID-DS's\n"
	    "rule; or --threshold), scores the test recordings and writes "
	    "the\n"
	    "metrics researchers publish (LID-DS's JSON keys) plus detection "
	    "delay and\n"
	    "ROC/AUC. Recordings are read straight from the dataset by the "
	    "importers'\n"
	    "parsers: no case is needed. The output is the same bytes for "
	    "any --jobs\n"
	    "and, merged, any --shard. Output files are opened before the "
	    "run (a bad\n"
	    "path fails at once) and appear only when it succeeds: a failed "
	    "run\n"
	    "leaves none.\n\n"
	    "Datasets (PATH):\n"
	    "  adfa       the ADFA-LD zip, or its unpacked folder\n"
	    "  lidds2021  a scenario folder (training/ validation/ "
	    "test/normal/\n"
	    "             test/normal_and_attack/; .zip recordings or "
	    "unpacked)\n"
	    "  lidds2019  a scenario folder with runs.csv and the .txt "
	    "recordings\n"
	    "The split rule is written into the results (dataset.split_rule).\n\n"
	    "Options:\n"
	    "  --dataset KIND        adfa, lidds2019 or lidds2021\n"
	    "  --detector SPEC       NAME or NAME:key=value,... (see "
	    "--list-detectors)\n"
	    "  --list-detectors      the detectors and their parameters\n"
	    "  --jobs N              threads for training and scoring "
	    "(default 1)\n"
	    "  --shard I/N           only test recordings I, I+N, ... (every "
	    "shard\n"
	    "                        trains and validates in full); join with\n"
	    "                        `drydock replay-merge`\n"
	    "  --threshold T         alarm when a score exceeds T (default: "
	    "the highest\n"
	    "                        validation score)\n"
	    "  --split-file FILE     lidds2019: \"NAME training|validation|test\" "
	    "lines\n"
	    "  --scores-out FILE     CSV recording,split,label,score (highest "
	    "score per\n"
	    "                        scored recording, validation included)\n"
	    "  --window-scores-out F CSV recording,split,label,position,score "
	    "per window\n"
	    "  -o FILE               results JSON (default: standard output)\n"
	    "  -v (before replay)    where the time went, and the detector "
	    "kernel's\n"
	    "                        speed (syscalls scored per second per "
	    "core)\n\n"
	    "Example:\n"
	    "  drydock replay --dataset adfa --detector stide:n=5,w=10 "
	    "--jobs 2 \\\n"
	    "      --scores-out scores.csv -o results.json ADFA-LD.zip\n",
	.mutates = false,
	.run = cmd_replay_run,
};

const struct cli_cmd cmd_replay_merge = {
	.name = "replay-merge",
	.synopsis = "[--scores-out FILE] [-o FILE] SHARD-RESULT...",
	.summary = "merge `replay --shard` results into the unsharded result",
	.help =
	    "Reads the results of every shard of one replay run (all N of "
	    "I/N, each\n"
	    "once, same dataset, detector and threshold) and writes exactly "
	    "the result\n"
	    "the unsharded run writes, byte for byte.\n\n"
	    "Options:\n"
	    "  --scores-out FILE  CSV recording,split,label,score of the merged "
	    "run\n"
	    "  -o FILE            results JSON (default: standard output)\n",
	.mutates = false,
	.run = cmd_replay_merge_run,
};

static void
cmd_replay_progress(void *u, const char *phase, uint64_t done, uint64_t total)
{
	(void)u;
	cli_progress(phase, "recordings", done, total);
}

static void
cmd_replay_win(void *u, const char *rows, size_t n)
{
	struct cli_out *o = u;

	(void)write_all(o->fd, rows, n);
}

static void
cmd_replay_list(void)
{
	size_t i, k;

	for (i = 0; rp_detectors[i] != NULL; i++) {
		const struct rp_det_ops *d = rp_detectors[i];
		printf("%-8s %s%s\n", d->name, d->summary,
		    d->supervised ? " [supervised]" : "");
		for (k = 0; d->params[k].key != NULL; k++)
			printf("           %s=%s  %s\n", d->params[k].key,
			    d->params[k].def, d->params[k].help);
	}
}

/* Write sb to path (via cli_out). */
static int
cmd_replay_write(const char *path, const struct sbuf *sb, const char *cmd)
{
	struct cli_out o;
	int rc;

	if ((rc = cli_out_open(&o, path, cmd)) != CLI_OK)
		return rc;
	rc = write_all(o.fd, sb->buf, sb->len) < 0 ? CLI_FAIL : CLI_OK;
	return cli_out_finish(&o, rc == CLI_OK, cmd) != CLI_OK ? CLI_FAIL : rc;
}

static int
cmd_replay_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "dataset", 0, true },		  /* 0 */
		{ "detector", 0, true },	  /* 1 */
		{ "jobs", 'j', true },		  /* 2 */
		{ "shard", 0, true },		  /* 3 */
		{ "scores-out", 0, true },	  /* 4 */
		{ "window-scores-out", 0, true }, /* 5 */
		{ "output", 'o', true },	  /* 6 */
		{ "threshold", 0, true },	  /* 7 */
		{ "split-file", 0, true },	  /* 8 */
		{ "list-detectors", 0, false },	  /* 9 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct rp_opts ro;
	struct rp_stats st;
	struct cli_parse p;
	struct cli_out wo, oo, so;
	struct sbuf out = SBUF_INIT, scores = SBUF_INIT;
	const char *outpath = "-", *spath = NULL, *wpath = NULL;
	bool wopen = false, oopen = false, sopen = false;
	int k, rc = CLI_OK;
	int64_t v;

	memset(&ro, 0, sizeof(ro));
	ro.jobs = 1;
	ro.shard_i = ro.shard_n = 1;
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			ro.dataset = p.optarg;
			break;
		case 1:
			ro.detector = p.optarg;
			break;
		case 2:
			if (!parse_i64(p.optarg, &v) || v < 1 || v > 1024) {
				rc = cli_usage(&cmd_replay,
				    "--jobs is a number from 1 to 1024");
				goto out;
			}
			ro.jobs = (unsigned)v;
			break;
		case 3: {
			unsigned a, b;
			char c;
			if (sscanf(p.optarg, "%u/%u%c", &a, &b, &c) != 2 ||
			    a < 1 || b < 1 || a > b || b > 1000000) {
				rc = cli_usage(&cmd_replay,
				    "--shard is I/N with 1 <= I <= N ('%s')",
				    p.optarg);
				goto out;
			}
			ro.shard_i = a;
			ro.shard_n = b;
			break;
		}
		case 4:
			spath = p.optarg;
			break;
		case 5:
			wpath = p.optarg;
			break;
		case 6:
			outpath = p.optarg;
			break;
		case 7: {
			char *end;
			ro.threshold = strtod(p.optarg, &end);
			if (*p.optarg == '\0' || *end != '\0' ||
			    !isfinite(ro.threshold)) {
				rc = cli_usage(&cmd_replay,
				    "--threshold is a number ('%s')", p.optarg);
				goto out;
			}
			ro.threshold_given = true;
			break;
		}
		case 8:
			ro.split_file = p.optarg;
			break;
		case 9:
			cmd_replay_list();
			goto out;
		}
	}
	if (ro.dataset == NULL || ro.detector == NULL || p.nops != 1) {
		rc = cli_usage(&cmd_replay,
		    "give --dataset, --detector and one dataset PATH");
		goto out;
	}
	ro.path = p.ops[0];
	ro.stats = &st;
	/* archive member times go through mktime: without TZ glibc reads
	 * /etc/localtime for each; no output here depends on it */
	if (getenv("TZ") == NULL)
		setenv("TZ", "UTC", 1);
	if (!cli_g.quiet &&
	    (cli_g.progress > 0 || (cli_g.progress < 0 && is_tty(2)))) {
		ro.progress = cmd_replay_progress;
		ro.progress_user = NULL;
	}
	if (wpath != NULL) {
		if ((rc = cli_out_open(&wo, wpath, "replay")) != CLI_OK)
			goto out;
		wopen = true;
		(void)write_all(wo.fd, "recording,split,label,position,score\n",
		    37);
		ro.win_cb = cmd_replay_win;
		ro.win_user = &wo;
	}
	sbuf_addstr(&scores, "recording,split,label,score\n");
	/* the outputs open first (a bad path fails before the run, not
	 * after it) and the results stream into them as they are written;
	 * both on stdout: one after the other, as before */
	ro.stream = !(spath != NULL && strcmp(spath, "-") == 0 &&
	    strcmp(outpath, "-") == 0);
	if (ro.stream) {
		if (spath != NULL) {
			if ((rc = cli_out_open(&so, spath, "replay")) != CLI_OK)
				goto out;
			sopen = true;
			ro.scores_fd = so.fd;
		}
		if ((rc = cli_out_open(&oo, outpath, "replay")) != CLI_OK)
			goto out;
		oopen = true;
		ro.out_fd = oo.fd;
	}
	if (rp_run(&ro, &out, spath != NULL ? &scores : NULL, &e) < 0) {
		cli_progress_done();
		rc = cli_fail("replay", &e);
		goto out;
	}
	cli_progress_done();
	if (cli_g.verbose > 0) {
		fprintf(stderr,
		    "replay: list %.3f s, train %.3f s, validate and test "
		    "%.3f s, write %.3f s\n",
		    st.list_ns / 1e9, st.train_ns / 1e9, st.test_ns / 1e9,
		    st.emit_ns / 1e9);
		fprintf(stderr,
		    "replay: detector kernel %" PRIu64 " syscalls in %.3f s "
		    "(thread time): %.1f M syscalls/s per core\n",
		    st.kernel_syscalls, st.kernel_ns / 1e9,
		    st.kernel_ns > 0 ?
			(double)st.kernel_syscalls / (st.kernel_ns / 1e9) / 1e6 :
			0.0);
	}
	if (!ro.stream) {
		if (spath != NULL && (rc = cmd_replay_write(spath, &scores,
					  "replay")) != CLI_OK)
			goto out;
		rc = cmd_replay_write(outpath, &out, "replay");
	}
out:
	if (sopen && cli_out_finish(&so, rc == CLI_OK, "replay") != CLI_OK &&
	    rc == CLI_OK)
		rc = CLI_FAIL;
	if (oopen && cli_out_finish(&oo, rc == CLI_OK, "replay") != CLI_OK &&
	    rc == CLI_OK)
		rc = CLI_FAIL;
	if (wopen && cli_out_finish(&wo, rc == CLI_OK, "replay") != CLI_OK &&
	    rc == CLI_OK)
		rc = CLI_FAIL;
	sbuf_release(&out);
	sbuf_release(&scores);
	cli_parse_release(&p);
	return rc;
}

static int
cmd_replay_merge_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "scores-out", 0, true }, /* 0 */
		{ "output", 'o', true },   /* 1 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct sbuf out = SBUF_INIT, scores = SBUF_INIT;
	const char *outpath = "-", *spath = NULL;
	char **texts = NULL;
	int k, i, rc = CLI_OK;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			spath = p.optarg;
			break;
		case 1:
			outpath = p.optarg;
			break;
		}
	}
	if (p.nops < 1) {
		rc = cli_usage(&cmd_replay_merge,
		    "give the result file of every shard");
		goto out;
	}
	texts = xcalloc((size_t)p.nops + 1, sizeof(char *));
	for (i = 0; i < p.nops; i++) {
		size_t len;
		if (file_read_all(p.ops[i], 1u << 30, &texts[i], &len, &e) <
		    0) {
			rc = cli_fail("replay-merge", &e);
			goto out;
		}
	}
	sbuf_addstr(&scores, "recording,split,label,score\n");
	if (rp_merge((const char *const *)texts, (const char *const *)p.ops,
		(size_t)p.nops, &out, spath != NULL ? &scores : NULL, &e) <
	    0) {
		rc = cli_fail("replay-merge", &e);
		goto out;
	}
	if (spath != NULL &&
	    (rc = cmd_replay_write(spath, &scores, "replay-merge")) != CLI_OK)
		goto out;
	rc = cmd_replay_write(outpath, &out, "replay-merge");
out:
	if (texts != NULL)
		for (i = 0; i < p.nops; i++)
			free(texts[i]);
	free(texts);
	sbuf_release(&out);
	sbuf_release(&scores);
	cli_parse_release(&p);
	return rc;
}
