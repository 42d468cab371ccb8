/* SPDX-License-Identifier: Apache-2.0 */
/* cmd-init.c: `drydock init CASE`: create an empty case. */
#include "core/common.h"

#include <unistd.h>

#include <jansson.h>

#include "core/cli/cli.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"
#include "core/version.h"

static int cmd_init_run(int argc, char **argv);

const struct cli_cmd cmd_init = {
	.name = "init",
	.synopsis = "CASE",
	.summary = "create a new, empty case file",
	.help = "Creates CASE (an SQLite file; the suffix .drydock is customary)\n"
		"and starts its chain of custody. Fails if CASE exists.\n\n"
		"Example:\n  drydock init incident-42.drydock\n",
	.mutates = true,
	.run = cmd_init_run,
};

static int
cmd_init_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = { { NULL, 0, false } };
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	char head[SHA256_HEX], id[SHA256_HEX], *detail;
	uint8_t rnd[16];
	json_t *o;
	int k, rc;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			cli_parse_release(&p);
			return CLI_USAGE;
		}
	}
	if (p.nops != 1) {
		cli_parse_release(&p);
		return cli_usage(&cmd_init, "expected one CASE operand");
	}
	if (store_open(p.ops[0], STORE_CREATE | STORE_WRITE, &s, &e) < 0) {
		cli_parse_release(&p);
		return cli_fail("init", &e);
	}
	/* A case id: the digest of path, time and pid (no randomness
	 * source is needed for uniqueness of this label). */
	{
		char seed[512];
		snprintf(seed, sizeof(seed), "%s|%" PRId64 "|%d", p.ops[0],
		    time_now_ns(), (int)getpid());
		sha256(seed, strlen(seed), (uint8_t *)id);
		memcpy(rnd, id, sizeof(rnd));
		hex_encode(rnd, sizeof(rnd), id);
	}
	o = json_pack("{s:s, s:s}", "case_id", id, "drydock", DD_VERSION);
	detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	rc = store_begin(s, &e);
	if (rc == 0)
		rc = store_meta_set(s, "case_id", id, &e);
	if (rc == 0)
		rc = store_meta_set(s, "created_by", "drydock " DD_VERSION, &e);
	if (rc == 0)
		rc = custody_append(s, "create", detail, head, &e);
	if (rc == 0)
		rc = store_commit(s, &e);
	free(detail);
	if (rc < 0) {
		store_close(s);
		remove(p.ops[0]);
		cli_parse_release(&p);
		return cli_fail("init", &e);
	}
	store_close(s);
	printf("created case '%s'\n", p.ops[0]);
	cli_print_head(head);
	cli_parse_release(&p);
	return CLI_OK;
}
