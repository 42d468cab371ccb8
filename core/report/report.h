/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h: reports over the findings of a case (DESIGN.md section 6).
 *
 * Reports are deterministic (same case, same bytes: no clock, explicit
 * ORDER BY everywhere) and are attack surface: every evidence string is
 * escaped for its format (Markdown: control bytes made visible, Markdown
 * and HTML metacharacters backslash- or entity-escaped, table cells kept
 * on one line; JSON: invalid UTF-8 shown as \xNN text, the rest escaped
 * by the encoder).
 */
#ifndef CORE_REPORT_REPORT_H
#define CORE_REPORT_REPORT_H

#include <stdio.h>

#include "core/finding.h"

struct dd_err;
struct store;

enum report_format {
	REPORT_MD,
	REPORT_JSON,
};

/* The format named name ("md", "markdown", "json"), or -1. */
int report_format_parse(const char *name);
/* Write the report of s to out. *worst gets the highest severity found
 * (or -1 when there are no findings). */
int report_write(struct store *s, int format, FILE *out, int *worst,
    struct dd_err *e);

#endif
