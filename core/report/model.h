/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model.h: what a report says, read once from the case (report.c) and
 * written by every format's writer (report.c, report-formats.c). Private
 * to core/report/.
 */
#ifndef CORE_REPORT_MODEL_H
#define CORE_REPORT_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "core/arena.h"

struct dd_err;
struct store;

struct report_art {
	const char *id, *name, *format, *sha256, *group_id;
	int64_t size, anomalies;
	bool parsed, reference;
};

struct report_ref {
	const char *a, *b;
};

struct report_finding {
	const char *id, *analyzer, *rule, *severity, *title, *detail, *attack,
	    *container_id;
	double confidence;
	int64_t ts;
	bool has_ts;
	int sev;
	struct report_ref *ev, *ent, *notes, *tags;
	size_t nev, nent, nnotes, ntags;
};

struct report_custody {
	int64_t seq, ts;
	const char *action, *examiner, *hash;
};

struct report_model {
	struct arena a;
	const char *case_name, *case_id, *head;
	struct report_art *arts;
	size_t narts, aarts;
	struct report_finding *fs;
	size_t nfs, afs;
	struct report_custody *cus;
	size_t ncus, acus;
	size_t sevcount[5];
};

/* A JSON string for evidence text: invalid UTF-8 shown as \xNN. */
json_t *report_js(const char *s);
/* RFC 3339 time, or null. */
json_t *report_js_time(bool has, int64_t ts);

/* Write o (consumed) and a newline; flags as json_dumpf's. */
int report_dump(json_t *o, size_t flags, FILE *out, struct dd_err *e);

int report_write_csv(struct report_model *m, FILE *out);
int report_write_timesketch(struct report_model *m, FILE *out,
    struct dd_err *e);
int report_write_sarif(struct report_model *m, FILE *out, struct dd_err *e);
int report_write_html(struct store *s, struct report_model *m, FILE *out,
    struct dd_err *e);

#endif
