/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rulesdir.h: the rules directories analyzers read at run time.
 *
 * An analyzer's shipped rules live in analyzers/rules/<sub>, found from
 * where the binary is (/proc/self/exe): ../share/drydock/rules/<sub> when
 * installed, ../analyzers/rules/<sub> for build/drydock,
 * ../../analyzers/rules/<sub> for build/VARIANT/drydock. An environment
 * variable names more directories (colon separated) read after it. Files
 * are taken in name order per directory, dot files skipped; a file over
 * the size cap or holding a NUL byte is an error naming it. Every file's
 * text goes into `text` with its label and length, which the analyzer
 * hashes into custody, so a run records exactly the rules it ran.
 */
#ifndef ANALYZERS_RULESDIR_H
#define ANALYZERS_RULESDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/sbuf.h"

struct dd_err;

/* One file read from a rules directory. */
struct rulefile {
	char *label; /* "shipped/secrets.yar", "DRYDOCK_LAYER_RULES[1]/x.yar" */
	char *name;  /* the base name (points into label) */
	char *path;  /* where it was read from (messages only) */
	char *text;  /* NUL-terminated content */
	size_t len;
};

struct rulefiles {
	struct rulefile *f;
	size_t nf;
	struct sbuf text; /* header, then per file "file LABEL LEN\n" text */
};

/* Read the shipped directory for sub, then each directory env names;
 * want(name) picks the files. header starts the text. With no shipped
 * directory and env unset, an error says how to point at one. */
int rulefiles_load(struct rulefiles *rs, const char *sub, const char *env,
    bool (*want)(const char *name), size_t max, const char *header,
    struct dd_err *e);
void rulefiles_free(struct rulefiles *rs);

/* Whether s ends with suf. */
bool rulefiles_suffix(const char *s, const char *suf);

#endif
