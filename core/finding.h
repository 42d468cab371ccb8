/* SPDX-License-Identifier: Apache-2.0 */
/*
 * finding.h: findings and the read-only row helper analyzers use.
 *
 * A finding (DESIGN.md section 5) has a stable id: the first 16 bytes of
 *   SHA-256("drydock-finding-v1" lp(analyzer) lp(rule) lp(primary)
 *           lp(major version))
 * in hex, where primary is "relation:key" of its primary evidence and lp
 * is a u64be length prefix. Re-running an analyzer replaces its findings
 * with the same ids, so notes and tags on them survive.
 *
 * finding_replace() writes one analyzer's findings in one transaction,
 * with its analyzer_runs row and a custody row (version and the SHA-256 of
 * the rules it ran).
 */
#ifndef CORE_FINDING_H
#define CORE_FINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

struct dd_err;
struct store;

enum finding_sev {
	SEV_INFO,
	SEV_LOW,
	SEV_MEDIUM,
	SEV_HIGH,
	SEV_CRITICAL,
};

/* One (relation, key) reference or (kind, value) entity. */
struct finding_ref {
	const char *a; /* relation or kind */
	const char *b; /* key or value */
};

/* A finding under construction. Strings are borrowed until
 * finding_replace() returns (callers keep them in an arena). */
struct finding {
	const char *rule;	   /* dotted rule id, e.g. "ev.unparsed" */
	enum finding_sev severity;
	double confidence;	   /* 0..1 */
	const char *title;	   /* one line */
	const char *detail;	   /* a paragraph; may quote evidence */
	int64_t ts;		   /* when it happened (ns UTC) */
	bool has_ts;
	const char *const *attack; /* ATT&CK technique ids */
	size_t nattack;
	const char *container_id;  /* or NULL */
	const struct finding_ref *evidence; /* [0] is the primary */
	size_t nevidence;
	const struct finding_ref *entities;
	size_t nentities;
};

const char *finding_sev_name(enum finding_sev s);
/* Parse a severity name; false when unknown. */
bool finding_sev_parse(const char *name, enum finding_sev *out);
/* A comma-separated list of ATT&CK ids ("T1611, T1068") as up to max
 * distinct trimmed strings copied into a: how many. */
struct arena;
size_t finding_attack_split(struct arena *a, const char *list,
    const char **out, size_t max);
/* The stable id (32 hex digits and a NUL). */
void finding_id(const char *analyzer, const char *rule, const char *primary,
    unsigned major, char out[33]);

/* A link between two rows (the links relation). */
struct finding_link {
	const char *kind;	/* "flow.5tuple", "exec.layer"... */
	const char *from_rel, *from_key;
	const char *to_rel, *to_key;
	double confidence;	/* 0..1 */
	const char *detail;	/* the values joined, or NULL */
};

/* Replace every finding and link of analyzer with f[0..n) and l[0..nl)
 * in one transaction, and record the run (version, rules digest) in
 * analyzer_runs and custody. head (may be NULL) gets the new custody
 * head. */
int finding_replace(struct store *s, const char *analyzer,
    const char *version, const char *rules_sha256, const struct finding *f,
    size_t n, const struct finding_link *l, size_t nl,
    char head[SHA256_HEX], struct dd_err *e);

/* SHA-256 (hex) over analyzer's stored findings and their evidence and
 * entities, in id order, each field length-prefixed: recorded in the
 * analyze custody row and recomputed by verify. */
int finding_digest(struct store *s, const char *analyzer,
    char out[SHA256_HEX], struct dd_err *e);

/* Read-only row iteration for analyzers, plugins and reports. */
struct rowq_row;
typedef int (*rowq_fn)(void *user, const struct rowq_row *r,
    struct dd_err *e);
/* Run one read-only statement (writes are refused) with text parameters
 * binds[0..nbinds) and call fn per row; fn returning <0 stops. */
int rowq_each(struct store *s, const char *sql, const char *const *binds,
    int nbinds, rowq_fn fn, void *user, struct dd_err *e);
int rowq_ncol(const struct rowq_row *r);
const char *rowq_name(const struct rowq_row *r, int col);
bool rowq_null(const struct rowq_row *r, int col);
int64_t rowq_int(const struct rowq_row *r, int col);
double rowq_real(const struct rowq_row *r, int col);
/* Text of a column (borrowed until the callback returns; "" for NULL). */
const char *rowq_text(const struct rowq_row *r, int col);

#endif
