/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-analyze.c: `drydock analyze CASE [--only NAME,...] [--plugin SO]...
 * [--list]`: run the analyzers (and plugins) and store their findings.
 */
#include "core/common.h"

#include <dirent.h>

#include "analyzers/analyzer.h"
#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/plugin.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

static int cmd_analyze_run(int argc, char **argv);

const struct cli_cmd cmd_analyze = {
	.name = "analyze",
	.synopsis = "[--list] [--only NAME[,NAME...]] [--plugin FILE.so]... "
		    "CASE",
	.summary = "run the analyzers and store their findings",
	.help =
	    "Runs every analyzer whose evidence is in the case (or those named "
	    "with\n"
	    "--only), in one pass over events and one over flows. Each "
	    "analyzer's\n"
	    "findings replace its earlier ones in one transaction recorded in "
	    "custody\n"
	    "(with its version and the SHA-256 of its rules); finding ids are "
	    "stable,\n"
	    "so notes and tags on findings survive re-analysis.\n\n"
	    "Plugins are out-of-tree analyzers (shared objects built against\n"
	    "include/drydock/plugin.h), loaded with --plugin or from every "
	    "*.so in the\n"
	    "directories listed in DRYDOCK_PLUGIN_PATH (colon-separated). A "
	    "plugin is\n"
	    "native code: load only plugins you trust.\n\n"
	    "DRYDOCK_NET_THRESHOLDS=FILE overrides net analyzer thresholds "
	    "(key = value\nlines, as in analyzers/net-thresholds.conf).\n\n"
	    "Options:\n"
	    "  --only NAMES     run only these analyzers (comma-separated)\n"
	    "  --plugin FILE    load an analyzer plugin (repeatable)\n"
	    "  --list           list analyzers (and plugins given) and exit\n\n"
	    "Then: drydock report CASE --format md\n",
	.mutates = true,
	.run = cmd_analyze_run,
};

static void
cmd_analyze_log(void *user, const char *plugin, const char *msg)
{
	(void)user;
	if (cli_g.verbose > 0) {
		fprintf(stderr, "drydock analyze: [%s] ", plugin);
		cli_put_safe(stderr, msg);
		fputc('\n', stderr);
	}
}

static int
cmd_analyze_kind_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	unsigned *kinds = user;
	const struct importer *imp = ingest_find(rowq_text(r, 0));

	(void)e;
	if (imp != NULL)
		*kinds |= imp->kind;
	return 0;
}

static int
cmd_analyze_add_plugins_dir(const char *dir, char ***v, size_t *n)
{
	struct dirent **ents = NULL;
	int k, i;

	k = scandir(dir, &ents, NULL, alphasort);
	if (k < 0)
		return 0;
	for (i = 0; i < k; i++) {
		size_t len = strlen(ents[i]->d_name);
		if (len > 3 && strcmp(ents[i]->d_name + len - 3, ".so") == 0) {
			*v = xreallocarray(*v, *n + 1, sizeof(**v));
			(*v)[(*n)++] = xasprintf("%s/%s", dir, ents[i]->d_name);
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static int
cmd_analyze_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "only", 0, true },	 /* 0 */
		{ "plugin", 0, true },	 /* 1 */
		{ "list", 0, false },	 /* 2 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct an_result *res = NULL;
	struct plugin **plugins = NULL;
	struct cli_parse p;
	struct store *s = NULL;
	char **only = NULL, **ppaths = NULL, *onlybuf = NULL;
	char head[SHA256_HEX] = "", h2[SHA256_HEX];
	size_t nonly = 0, npp = 0, nres = 0, i, tsize = 0;
	unsigned kinds = 0;
	bool list = false;
	int k, rc = CLI_OK;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0: {
			char *q, *save = NULL;
			free(onlybuf);
			onlybuf = xstrdup(p.optarg);
			free(only);
			only = xcalloc(strlen(onlybuf) + 1, sizeof(*only));
			nonly = 0;
			for (q = strtok_r(onlybuf, ",", &save); q;
			     q = strtok_r(NULL, ",", &save))
				only[nonly++] = q;
			break;
		}
		case 1:
			ppaths = xreallocarray(ppaths, npp + 1,
			    sizeof(*ppaths));
			ppaths[npp++] = xstrdup(p.optarg);
			break;
		case 2:
			list = true;
			break;
		}
	}
	{
		const char *env = getenv("DRYDOCK_PLUGIN_PATH");
		if (env != NULL && *env != '\0') {
			char *dup = xstrdup(env), *q, *save = NULL;
			for (q = strtok_r(dup, ":", &save); q;
			     q = strtok_r(NULL, ":", &save))
				cmd_analyze_add_plugins_dir(q, &ppaths, &npp);
			free(dup);
		}
	}
	plugins = xcalloc(npp + 1, sizeof(*plugins));
	for (i = 0; i < npp; i++) {
		if (plugin_load(ppaths[i], &plugins[i], &e) < 0) {
			rc = cli_fail("analyze", &e);
			goto out;
		}
		if (analyzer_find(plugin_name(plugins[i])) != NULL) {
			cli_errorf("analyze",
			    "plugin '%s' is named '%s', like a built-in "
			    "analyzer",
			    ppaths[i], plugin_name(plugins[i]));
			rc = CLI_FAIL;
			goto out;
		}
	}
	if (list) {
		for (i = 0; analyzer_table[i] != NULL; i++) {
			const struct analyzer *an = analyzer_table[i];
			if (an->flags & AN_TESTONLY)
				continue;
			printf("%-12s %-6s %s\n", an->name, an->version,
			    an->summary);
		}
		for (i = 0; i < npp; i++) {
			printf("%-12s %-6s ", plugin_name(plugins[i]),
			    plugin_version(plugins[i]));
			cli_put_safe(stdout, plugin_summary(plugins[i]));
			printf(" (plugin)\n");
		}
		goto out;
	}
	if (p.nops != 1) {
		rc = cli_usage(&cmd_analyze, "expected one CASE operand");
		goto out;
	}
	if (store_open(p.ops[0], STORE_WRITE, &s, &e) < 0) {
		rc = cli_fail("analyze", &e);
		goto out;
	}
	if (rowq_each(s, "SELECT DISTINCT format FROM artifacts ORDER BY 1",
		NULL, 0, cmd_analyze_kind_row, &kinds, &e) < 0) {
		rc = cli_fail("analyze", &e);
		goto out;
	}
	for (i = 0; analyzer_table[i] != NULL; i++)
		tsize++;
	res = xcalloc(tsize + 1, sizeof(*res));
	/* With --only naming only plugins, run no built-in analyzer. */
	{
		size_t nb = 0, j;
		const char **bonly = xcalloc(nonly + 1, sizeof(*bonly));
		bool plugin_named = false;
		for (j = 0; j < nonly; j++) {
			size_t q;
			bool isplug = false;
			for (q = 0; q < npp; q++)
				if (strcmp(only[j], plugin_name(plugins[q])) ==
				    0)
					isplug = plugin_named = true;
			if (!isplug)
				bonly[nb++] = only[j];
		}
		if (!(nonly > 0 && nb == 0 && plugin_named) &&
		    analyzer_run(s, bonly, nb, kinds, res, &nres, head, &e) <
			0) {
			free(bonly);
			rc = cli_fail("analyze", &e);
			goto out;
		}
		free(bonly);
	}
	for (i = 0; i < nres; i++) {
		if (res[i].skipped)
			printf("%-12s skipped: %s\n", res[i].name, res[i].why);
		else
			printf("%-12s %zu finding%s\n", res[i].name,
			    res[i].findings, res[i].findings == 1 ? "" : "s");
	}
	for (i = 0; i < npp; i++) {
		size_t nf = 0, j;
		bool sel = nonly == 0;
		for (j = 0; j < nonly; j++)
			if (strcmp(only[j], plugin_name(plugins[i])) == 0)
				sel = true;
		if (!sel)
			continue;
		if (plugin_run(plugins[i], s, cmd_analyze_log, NULL, &nf, h2,
			&e) < 0) {
			rc = cli_fail("analyze", &e);
			goto out;
		}
		memcpy(head, h2, sizeof(head));
		printf("%-12s %zu finding%s (plugin)\n",
		    plugin_name(plugins[i]), nf, nf == 1 ? "" : "s");
	}
	cli_print_head(head);
out:
	store_close(s);
	for (i = 0; i < npp; i++) {
		plugin_free(plugins ? plugins[i] : NULL);
		free(ppaths[i]);
	}
	free(plugins);
	free(ppaths);
	free(only);
	free(onlybuf);
	free(res);
	cli_parse_release(&p);
	return rc;
}
