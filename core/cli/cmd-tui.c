/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-tui.c: `drydock tui CASE`: the interactive workbench (tui/).
 */
#include "core/common.h"

#include "core/cli/cli.h"
#include "tui/tui.h"

static int cmd_tui_run(int argc, char **argv);

const struct cli_cmd cmd_tui = {
	.name = "tui",
	.synopsis = "[--no-color] [--clock] [--screen N] CASE",
	.summary = "walk the case interactively: findings to evidence in "
		   "every source",
	.help =
	    "Opens the case read-only in a full-screen terminal interface\n"
	    "(at least 80x24). Nine screens, on keys 1-9 (Tab and Shift-Tab\n"
	    "cycle them): 1 dashboard, 2 findings, 3 timeline, 4 processes,\n"
	    "5 syscalls, 6 network, 7 images, 8 containers, 9 custody.\n"
	    "Enter opens the row under the cursor: a finding shows its\n"
	    "explanation and evidence with the chain of links to other\n"
	    "sources, and every row named there opens in turn (a syscall, a\n"
	    "flow and its packets, a process, a container, an image layer\n"
	    "and a file's content). q or Backspace goes back; q on the\n"
	    "dashboard quits (status 0). ? lists every key.\n\n"
	    "Filters (\\ or F4) take terms like syscall=openat pid=42\n"
	    "path~/etc ret<0 ts>2024-05-01T10:00:00Z or bare text; / searches.\n"
	    "Bookmarks (b), tags (t) and notes (a) are written to the case\n"
	    "and its custody chain; nothing else writes.\n\n"
	    "Evidence text is never sent to the terminal raw: control\n"
	    "characters and invalid UTF-8 show as \\x1b, \\xff, \\u{202e}.\n\n"
	    "Options:\n"
	    "  --no-color    monochrome (also when NO_COLOR is set)\n"
	    "  --screen N    open on screen N (1-9)\n"
	    "  --clock       show the time (UTC) on the top line\n\n"
	    "Environment:\n"
	    "  DRYDOCK_TUI_LATENCY_LOG=FILE  append '<key>\\t<ms>' per key\n"
	    "                                and 'open\\t<ms>' at start\n"
	    "  DRYDOCK_TUI_PARTIAL_MS=N      a long scan shows the rows found\n"
	    "                                so far after N ms (default 40;\n"
	    "                                0: only whole pages)\n\n"
	    "Examples:\n"
	    "  drydock tui case.drydock\n"
	    "  NO_COLOR=1 drydock tui --screen 2 case.drydock\n",
	.mutates = false,
	.run = cmd_tui_run,
};

static int
cmd_tui_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "no-color", 0, false }, /* 0 */
		{ "screen", 0, true },	  /* 1 */
		{ "clock", 0, false },	  /* 2 */
		{ NULL, 0, false },
	};
	struct tui_opts o = { 0 };
	struct cli_parse p;
	int k, rc;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			cli_parse_release(&p);
			return CLI_USAGE;
		case 0:
			o.no_color = true;
			break;
		case 1:
			if (p.optarg[0] < '1' || p.optarg[0] > '9' ||
			    p.optarg[1] != '\0') {
				rc = cli_usage(&cmd_tui, "--screen takes 1 to 9");
				cli_parse_release(&p);
				return rc;
			}
			o.screen = p.optarg[0] - '1';
			break;
		case 2:
			o.clock = true;
			break;
		}
	}
	if (p.nops != 1) {
		rc = cli_usage(&cmd_tui, "expected CASE");
		cli_parse_release(&p);
		return rc;
	}
	rc = tui_run(p.ops[0], &o);
	cli_parse_release(&p);
	return rc;
}
