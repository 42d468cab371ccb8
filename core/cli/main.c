/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c: drydock's entry point: global options, then the subcommand from
 * the table in core/cli/commands.c.
 */
#include "core/common.h"

#include <locale.h>
#include <malloc.h>

#include "core/cli/cli.h"
#include "core/version.h"

static void
main_help(FILE *fp)
{
	size_t i;

	fprintf(fp,
	    "usage: drydock [-qv] [--[no-]progress] COMMAND [ARGS...]\n"
	    "       drydock --version | --help | COMMAND --help\n\n"
	    "drydock is an offline forensic workbench for container incidents:\n"
	    "it keeps evidence bit-exact in one compressed case file, parses "
	    "it,\n"
	    "runs analyzers, and reports what it finds.\n\n"
	    "Commands:\n");
	for (i = 0; cli_commands[i] != NULL; i++)
		fprintf(fp, "  %-14s %s\n", cli_commands[i]->name,
		    cli_commands[i]->summary);
	fprintf(fp,
	    "\nA first case:\n"
	    "  drydock init case.drydock\n"
	    "  drydock ingest case.drydock evidence/ trace.txt capture.pcap\n"
	    "  drydock analyze case.drydock\n"
	    "  drydock report case.drydock --format md\n\n"
	    "Global options:\n"
	    "  -q               quiet: no progress, no custody-head line\n"
	    "  -v               more detail on stderr (repeatable)\n"
	    "  --progress       always show progress on stderr\n"
	    "  --no-progress    never show progress (default: only on a "
	    "terminal)\n\n"
	    "Exit status: 0 ok; 1 failure or rejected input (the case is "
	    "unchanged);\n"
	    "2 usage error; 3 report --fail-on found a finding at or above the "
	    "level;\n"
	    "4 imported with anomalies under --strict.\n\n"
	    "Environment: DRYDOCK_EXAMINER names the examiner in custody rows;\n"
	    "DRYDOCK_NOW fixes the clock (RFC 3339) for reproducible runs;\n"
	    "DRYDOCK_THREADS sets worker threads (default: one per core);\n"
	    "DRYDOCK_SHA=openssl hashes with libcrypto, not the CPU's SHA "
	    "extensions.\n");
}

int
main(int argc, char **argv)
{
	int i = 1;
	size_t k;

	setlocale(LC_CTYPE, "");
	/* Fixed malloc thresholds: blocks of a few MiB (an event chunk's
	 * rows, a decompressed column, a pipeline slot) are allocated and
	 * freed per chunk; with glibc's defaults each came back from the
	 * kernel (mmap, or the heap trimmed and regrown) and was faulted in
	 * again, a third of an events scan's time. Up to 64 MiB of free heap
	 * is kept instead. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	while (i < argc && argv[i][0] == '-') {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("drydock %s\n", DD_VERSION);
			return 0;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			main_help(stdout);
			return 0;
		} else if (strcmp(a, "-q") == 0) {
			cli_g.quiet = true;
		} else if (strcmp(a, "-v") == 0) {
			cli_g.verbose++;
		} else if (strcmp(a, "--progress") == 0) {
			cli_g.progress = 1;
		} else if (strcmp(a, "--no-progress") == 0) {
			cli_g.progress = 0;
		} else {
			fprintf(stderr,
			    "drydock: unknown option '%s' (see 'drydock "
			    "--help')\n",
			    a);
			return CLI_USAGE;
		}
		i++;
	}
	if (i >= argc) {
		main_help(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 < argc) {
			for (k = 0; cli_commands[k] != NULL; k++)
				if (strcmp(cli_commands[k]->name,
					argv[i + 1]) == 0) {
					cli_help(cli_commands[k]);
					return 0;
				}
		}
		main_help(stdout);
		return 0;
	}
	for (k = 0; cli_commands[k] != NULL; k++) {
		const struct cli_cmd *c = cli_commands[k];
		int j;
		if (strcmp(c->name, argv[i]) != 0)
			continue;
		for (j = i + 1; j < argc; j++) {
			if (strcmp(argv[j], "--") == 0)
				break;
			if (strcmp(argv[j], "--help") == 0 ||
			    strcmp(argv[j], "-h") == 0) {
				cli_help(c);
				return 0;
			}
		}
		return c->run(argc - i, argv + i);
	}
	fprintf(stderr, "drydock: '%s' is not a command (see 'drydock --help')\n",
	    argv[i]);
	return CLI_USAGE;
}
