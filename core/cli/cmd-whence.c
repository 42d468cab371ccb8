/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-whence.c: `drydock whence CASE PATH [--sha256 HEX]` and `drydock
 * whence CASE --sha256 HEX`: which imported images hold a file, and the
 * layer and Dockerfile step that shipped it (the file_origins relation);
 * by hash alone, every layer that holds that content under any path.
 */
#include "core/common.h"

#include <sqlite3.h>
#include <unistd.h>

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/query.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_whence_run(int argc, char **argv);

const struct cli_cmd cmd_whence = {
	.name = "whence",
	.synopsis = "[--format csv|json|table] CASE (PATH [--sha256 HEX] | "
		    "--sha256 HEX)",
	.summary = "which image, layer and Dockerfile step shipped a file",
	.help =
	    "With PATH (absolute, as the image has it): one row per imported "
	    "image whose\n"
	    "merged tree holds it (and whose content has that SHA-256, with "
	    "--sha256):\n"
	    "the image, the layer and history step (the Dockerfile "
	    "instruction) that\n"
	    "first shipped that content, and the layer that last wrote the "
	    "path. With\n"
	    "--sha256 alone: every layer holding that content, under any path "
	    "(a\n"
	    "binary copied or renamed), deleted later or not. When nothing "
	    "matches it\n"
	    "says the file is in no imported image and exits 1.\n\n"
	    "Options:\n"
	    "  --sha256 HEX    the content's SHA-256 (64 hex digits)\n"
	    "  -f, --format F  csv, json or table (default: table on a "
	    "terminal, else csv)\n\n"
	    "Examples:\n"
	    "  drydock whence case.drydock /usr/bin/xmrig\n"
	    "  drydock whence --format json case.drydock /app/server "
	    "--sha256 3f1c...\n"
	    "  drydock whence case.drydock --sha256 $(sha256sum dropped.bin | "
	    "cut -c1-64)\n",
	.mutates = false,
	.run = cmd_whence_run,
};

static int
cmd_whence_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "sha256", 0, true },	/* 0 */
		{ "format", 'f', true }, /* 1 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	struct query_opts qo;
	const char *sha = NULL, *path = NULL;
	char *sql = NULL;
	uint8_t bin[SHA256_LEN];
	int k, rc = CLI_OK, fmt = -1;
	int64_t n = 0;
	sqlite3_stmt *st;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			rc = CLI_USAGE;
			goto out;
		} else if (k == 0) {
			sha = p.optarg;
		} else if (k == 1 && (fmt = query_format_parse(p.optarg)) < 0) {
			rc = cli_usage(&cmd_whence, "unknown format '%s'",
			    p.optarg);
			goto out;
		}
	}
	if (p.nops < 1 || p.nops > 2 || (p.nops == 1 && sha == NULL)) {
		rc = cli_usage(&cmd_whence,
		    "expected CASE and PATH, or CASE and --sha256 HEX");
		goto out;
	}
	path = p.nops == 2 ? p.ops[1] : NULL;
	if (sha != NULL && (strlen(sha) != 64 || !hex_decode(sha, bin, 32))) {
		rc = cli_usage(&cmd_whence, "'%s' is not a SHA-256 (64 hex "
		    "digits)", sha);
		goto out;
	}
	if (path != NULL)
		sql = sqlite3_mprintf(
		    "SELECT o.image_id, i.ref, o.path, o.type, o.sha256, o.size, "
		    "o.layer_id, o.diff_id, o.step, o.created_by, "
		    "o.last_layer_id FROM file_origins o JOIN images i ON i.id "
		    "= o.image_id WHERE o.path = %Q AND (%Q IS NULL OR "
		    "o.sha256 = lower(%Q)) ORDER BY o.image_id",
		    path, sha, sha);
	else
		sql = sqlite3_mprintf(
		    "SELECT l.id AS layer_id, l.diff_id, f.path, f.size, "
		    "(SELECT group_concat(il.image_id || ':' || il.idx, ' ') "
		    "FROM image_layers il WHERE il.layer_id = l.id) AS "
		    "image_steps, (SELECT count(*) FROM fs x WHERE x.layer_id = "
		    "l.id AND x.path = f.path) > 0 AS in_a_tree FROM files f "
		    "JOIN layers l ON l.id = f.layer_id WHERE f.sha256 = "
		    "lower(%Q) AND f.whiteout = 0 ORDER BY l.id, f.path",
		    sha);
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0) {
		rc = cli_fail("whence", &e);
		goto out;
	}
	/* Count first: an empty answer is a message and exit 1. */
	{
		char *cnt = sqlite3_mprintf("SELECT count(*) FROM (%s)", sql);
		st = NULL;
		if (sqlite3_prepare_v2(s->db, cnt, -1, &st, NULL) ==
			SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_free(cnt);
	}
	if (n == 0) {
		if (!cli_g.quiet) {
			fprintf(stderr, "drydock whence: ");
			cli_put_safe(stderr, path ? path : sha);
			fprintf(stderr, " is in no imported image\n");
		}
		rc = CLI_FAIL;
		goto out;
	}
	memset(&qo, 0, sizeof(qo));
	qo.terminal = isatty(STDOUT_FILENO);
	qo.format = fmt >= 0 ? fmt : qo.terminal ? QUERY_TABLE : QUERY_CSV;
	if (query_run(s, sql, &qo, stdout, &e) < 0)
		rc = cli_fail("whence", &e);
out:
	sqlite3_free(sql);
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
