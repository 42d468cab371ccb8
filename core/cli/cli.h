/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h: the git-style command-line front end.
 *
 * One small file per subcommand (core/cli/cmd-<name>.c) exporting one
 * const struct cli_cmd, listed in core/cli/commands.c. A subcommand is
 * thin: it parses options, calls reusable work in core/, ingest/ and
 * analyzers/, and prints. Only this layer (and the TUI) prints.
 *
 * Exit status (DESIGN.md section 8): 0 ok; 1 failure or rejection (case
 * unchanged); 2 usage; 3 report --fail-on found one; 4 anomalies under
 * --strict.
 */
#ifndef CORE_CLI_CLI_H
#define CORE_CLI_CLI_H

#include <stdbool.h>
#include <stdint.h>

struct dd_err;

enum cli_exit {
	CLI_OK = 0,
	CLI_FAIL = 1,
	CLI_USAGE = 2,
	CLI_FAILON = 3,
	CLI_STRICT = 4,
};

struct cli_cmd {
	const char *name;    /* subcommand */
	const char *synopsis; /* one line: operands and options */
	const char *summary;  /* one line for `drydock --help` */
	const char *help;     /* the full --help text after the synopsis */
	bool mutates;	      /* prints the custody head when it succeeds */
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand */
};

extern const struct cli_cmd *const cli_commands[];

/* Global flags parsed before the subcommand. */
struct cli_global {
	int verbose;	 /* -v count */
	bool quiet;	 /* -q */
	int progress;	 /* -1 auto (stderr is a tty), 0 off, 1 on */
};
extern struct cli_global cli_g;

/*
 * Option parsing shared by all subcommands. Options may come anywhere
 * among operands ("--" ends them). Each spec is {long name, short char or
 * 0, takes_arg}. cli_getopt returns the index of the spec matched, -1 at
 * the end, -2 on a usage error (already printed). Operands are collected
 * into ops.
 */
struct cli_opt {
	const char *lname;
	int sname;
	bool arg;
};
struct cli_parse {
	int argc;
	char **argv;
	int i;		      /* next argv index */
	const char *optarg;   /* argument of the matched option */
	char **ops;	      /* operands (owned array, borrowed strings) */
	int nops;
	const char *cmd;      /* subcommand name for messages */
	bool dashdash;
};
void cli_parse_init(struct cli_parse *p, int argc, char **argv);
int cli_getopt(struct cli_parse *p, const struct cli_opt *opts);
void cli_parse_release(struct cli_parse *p);

/* Print "drydock CMD: message" to stderr. */
void cli_errorf(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print an error held in e ("drydock CMD: msg"); returns the exit status
 * it maps to (usage errors 2, others 1). */
int cli_fail(const char *cmd, const struct dd_err *e);
/* Usage error: message, the synopsis, exit status 2. */
int cli_usage(const struct cli_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print --help for a command to stdout. */
void cli_help(const struct cli_cmd *c);
/* Print the custody head line after a mutating command ("custody head:
 * HASH") to stderr (stdout stays for results). */
void cli_print_head(const char *head);
/* Progress on stderr when enabled and a terminal; at most 6 updates/s. */
void cli_progress(const char *what, const char *name, uint64_t done,
    uint64_t total);
void cli_progress_done(void);
/*
 * Output files (-o). A regular file (or a new one) is written beside the
 * target as PATH.partial-PID and renamed into place only when the command
 * succeeds; anything else that exists — a symlink, a pipe, a device — is
 * written in place, never replaced ("-" is standard output).
 */
struct cli_out {
	int fd;		  /* where to write */
	char *tmp;	  /* the partial file, or NULL when in place */
	const char *path; /* the target as given */
};
/* Open; prints the error and returns CLI_FAIL on failure. */
int cli_out_open(struct cli_out *o, const char *path, const char *cmd);
/* Close; on success rename into place, on failure remove the partial file
 * (or truncate an in-place regular target). Returns CLI_OK or CLI_FAIL. */
int cli_out_finish(struct cli_out *o, bool ok, const char *cmd);

/* Record an export (detail: a JSON object, borrowed) in the custody of
 * the case at path when it can be written; a warning otherwise. */
void cli_custody_export(const char *path, const char *cmd, void *detail);

/* Write text from evidence to a FILE safely (control bytes escaped). */
void cli_put_safe(void *fp, const char *s);

#endif
