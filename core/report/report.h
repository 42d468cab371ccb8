/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h: reports over the findings of a case (DESIGN.md section 6).
 *
 * Reports are deterministic (same case, same bytes: no clock, explicit
 * ORDER BY everywhere) and are attack surface: every evidence string is
 * escaped for its format (Markdown: control bytes made visible, Markdown
 * and HTML metacharacters backslash- or entity-escaped, table cells kept
 * on one line; JSON, SARIF, Timesketch: invalid UTF-8 shown as \xNN text,
 * the rest escaped by the encoder; CSV: RFC 4180 quoting, control bytes
 * made visible, a cell that starts with = + - @ or a tab prefixed with '
 * (formula injection); HTML: entities for & < > " ', control bytes made
 * visible, a Content-Security-Policy that allows no script and no
 * external resource).
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
	REPORT_CSV,
	REPORT_HTML,
	REPORT_SARIF,
	REPORT_TIMESKETCH,
};

/* The format named name ("md", "markdown", "json", "csv", "html",
 * "sarif", "timesketch" or "jsonl"), or -1. */
int report_format_parse(const char *name);
/* Write the report of s to out. *worst gets the highest severity found
 * (or -1 when there are no findings). */
int report_write(struct store *s, int format, FILE *out, int *worst,
    struct dd_err *e);

#endif
