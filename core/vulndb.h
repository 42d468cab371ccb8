/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vulndb.h: offline vulnerability records (OSV JSON) in a case, and the
 * rules that decide whether an installed package is affected by one.
 *
 * Records are reference data an analyst supplies (`drydock vulndb import`):
 * they are not evidence, but they are hostile input all the same. Each
 * record is checked in C against the OSV schema
 * (ossf/osv-schema validation/schema.json, draft 2020-12, as the Python
 * jsonschema validator applies it: `format` is an annotation, `pattern`
 * is a Python re.search, so '$' also matches before one final newline).
 * An invalid record is skipped with a message that names the file, the
 * record and the first rule it breaks; the others load. Known departures
 * from jsonschema, all on inputs jansson refuses to parse (the whole file
 * is then rejected): \u0000 in a string, numbers outside double range,
 * NaN/Infinity literals. Duplicate keys keep the last value, as Python's
 * json module does.
 *
 * Storage (core/schema.sql): one vulns row per record id and one
 * vuln_affected row per affected[] entry that names a package (entries
 * with only GIT ranges and no package cannot match an installed package
 * and are not stored). vulns.severity holds the record's severity array
 * as OSV gives it; when the record has none, the affected[].severity
 * entries are used; a string database_specific.severity (GitHub's
 * "CRITICAL", "HIGH", "MODERATE", "LOW") is appended as
 * {"type": "DATABASE_SPECIFIC", "score": "<string>"}, a type OSV does not
 * define, so the analyzer can fall back to it.
 *
 * Replacement: a record whose id is stored replaces it only when its
 * `modified` is later (RFC 3339 instants compared as times; strings that
 * do not parse compare bytewise). On a tie the stored record is kept, so
 * a directory walk (sorted by name) loads the first of two equal records.
 *
 * Caps: one file at most VULNDB_FILE_MAX bytes; at most VULNDB_RECORDS_MAX
 * records (valid or not) per import, or the import fails and the case is
 * unchanged; JSON nesting as jansson allows (2048); directories walked at
 * most LIM_DIR_DEPTH deep, symbolic links to directories not followed.
 */
#ifndef CORE_VULNDB_H
#define CORE_VULNDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"
#include "core/versions.h"

struct arena;
struct dd_err;
struct sbuf;
struct store;

#define VULNDB_FILE_MAX (16u * 1024u * 1024u)
#define VULNDB_RECORDS_MAX 1000000u

/* ---- import ---- */

/* What one import did. */
struct vulndb_stats {
	size_t files;	 /* JSON files read */
	size_t bad_files; /* files that were not JSON (or unreadable) */
	size_t records;	 /* records seen, valid or not */
	size_t invalid;	 /* records skipped as invalid */
	size_t added;	 /* new ids */
	size_t replaced; /* stored records replaced by a later `modified` */
	size_t kept;	 /* valid records not newer than the stored one */
	size_t affected; /* vuln_affected rows written */
	uint64_t bytes;	 /* bytes of the files read */
};

/* Called for each skipped record or file: file is the path as walked,
 * msg says why (both borrowed for the call). */
typedef void (*vulndb_note_fn)(void *user, const char *file,
    const char *msg);

/*
 * Load the OSV records in paths[0..n): files (one record, or a JSON array
 * of records) and directories (every *.json below, walked in bytewise name
 * order). Everything is written in one transaction with one custody row
 * (action "vulndb_import": counts, and the SHA-256 over the list of files
 * read and their SHA-256s). Returns 0 when at least one valid record was
 * seen (head gets the new custody head), DD_EFORMAT when none was (the
 * case is unchanged), or another negative code on I/O, SQL or cap errors
 * (the case is unchanged). note (may be NULL) hears about every skipped
 * record and file; st (may be NULL) gets the counts.
 */
int vulndb_import(struct store *s, const char *const *paths, size_t n,
    vulndb_note_fn note, void *user, struct vulndb_stats *st,
    char head[SHA256_HEX], struct dd_err *e);

/*
 * Check one record (JSON text of an object) against the OSV schema.
 * Returns 1 when valid, 0 when not (why gets "path: reason", e.g.
 * "affected[0].ranges[0].events: no 'introduced' event"), and DD_EFORMAT
 * when text is not JSON (why gets jansson's message).
 */
int vulndb_check_text(const char *text, size_t len, struct sbuf *why);

/* ---- matching ---- */

enum vulndb_evkind {
	VULNDB_INTRODUCED,
	VULNDB_LAST_AFFECTED,
	VULNDB_FIXED,
	VULNDB_LIMIT,
};

struct vulndb_event {
	enum vulndb_evkind kind;
	const char *version;
};

/* One ranges[] entry. Only SEMVER and ECOSYSTEM ranges are evaluated. */
struct vulndb_range {
	const char *type;	   /* "SEMVER", "ECOSYSTEM" or "GIT" */
	struct vulndb_event *ev;   /* as the record lists them */
	size_t nev;
};

/* One vuln_affected row, parsed. */
struct vulndb_affected {
	struct vulndb_range *ranges;
	size_t nranges;
	const char **versions;
	size_t nversions;
};

/* Why a version is affected. */
struct vulndb_hit {
	bool listed;		  /* in versions[] */
	size_t range;		  /* else: the index of the range */
	const char *type;	  /* its type */
	const char *introduced;	  /* the event that opened the interval */
	const char *fixed;	  /* the fixed event that closes it, or NULL */
	const char *last_affected; /* or the last_affected one, or NULL */
	const char *limit;	  /* the least limit above the version, or
				     NULL */
};

/*
 * Parse a vuln_affected row's ranges and versions (JSON text as stored,
 * either may be NULL) into out, allocated in a. Events that are not
 * objects with one string value of a known kind are dropped (stored rows
 * passed validation; this guards rows written by something else).
 * Returns 0, or DD_EFORMAT when the text is not the JSON expected.
 */
int vulndb_affected_parse(struct arena *a, const char *ranges,
    const char *versions, struct vulndb_affected *out, struct dd_err *e);

/*
 * Whether version v is affected per one range, by OSV's evaluation
 * (docs/schema.md "Evaluation"): the events sorted by version under s
 * (introduced "0" before everything; on equal versions introduced,
 * last_affected, fixed, then limit, then the record's order), then
 * walked: introduced <= v opens, fixed <= v closes, last_affected < v
 * closes; the range counts only below one of its limits, when it has any
 * ("*" in a limit is infinity). GIT and unknown types are never affected.
 * The sort uses scratch (rewound by nobody: the caller's arena). hit (may
 * be NULL) is filled when affected.
 */
bool vulndb_range_affects(struct arena *scratch, enum ver_scheme s,
    const struct vulndb_range *r, const char *v, struct vulndb_hit *hit);

/*
 * Whether v is affected per an affected entry: listed in versions[]
 * (equal as strings, or equal under s when v and the entry are both
 * valid in s), or inside one of its ranges. SEMVER ranges compare under
 * VER_SEMVER whatever s is; ECOSYSTEM ranges under s.
 */
bool vulndb_affects(struct arena *scratch, enum ver_scheme s,
    const struct vulndb_affected *af, const char *v, struct vulndb_hit *hit);

/* Length of the ecosystem's name before any ":suffix" ("Alpine:v3.10" ->
 * 6). */
size_t vulndb_eco_len(const char *eco);
/* True when two ecosystems are the same once suffixes are dropped. */
bool vulndb_eco_same(const char *a, const char *b);
/* Append name as the ecosystem compares it: PyPI names per PEP 503
 * (lower case, each run of '-', '_', '.' as one '-'); others as given. */
void vulndb_name_key(const char *eco, const char *name, struct sbuf *out);
/* True for ecosystems whose records name source packages (Debian,
 * Ubuntu, Alpine, and others that say so), so a binary package matches
 * through its source. */
bool vulndb_eco_by_source(const char *eco);

/* Append the strings of a JSON array (text as stored, e.g. vulns.aliases)
 * to out as "a, b, c"; nothing for NULL, non-arrays and non-strings. */
void vulndb_list_text(const char *json, struct sbuf *out);

/* ---- severity ---- */

/*
 * The severity of a record from its vulns.severity text (see above): the
 * highest CVSS base score among CVSS_V3 and CVSS_V2 vectors (v3 preferred
 * when both are given), rated as CVSS v3 does (0.1-3.9 low, 4.0-6.9
 * medium, 7.0-8.9 high, 9.0-10.0 critical; v2: below 4.0 low, below 7.0
 * medium, else high; a 0.0 score is "info"); else an Ubuntu priority
 * (negligible: low); else DATABASE_SPECIFIC (CRITICAL, HIGH,
 * MODERATE/MEDIUM, LOW); else "medium". CVSS_V4 vectors are not scored
 * (their scoring needs FIRST's MacroVector table, not carried here).
 * Returns the name ("info" ... "critical", static); *score gets the CVSS
 * score or -1; basis (may be NULL) gets a short static description of
 * where the answer came from ("the CVSS v3 base score", ...).
 */
const char *vulndb_severity(const char *severity_json, double *score,
    const char **basis);

/* CVSS v3.0/v3.1 base score of a vector ("CVSS:3.1/AV:N/..."), rounded
 * up to one decimal as the specification's Roundup does; false when a
 * base metric is missing or malformed. */
bool vulndb_cvss3_score(const char *vec, double *score);
/* CVSS v2 base score ("AV:N/AC:L/Au:N/C:P/I:P/A:P"); false when a base
 * metric is missing or malformed. */
bool vulndb_cvss2_score(const char *vec, double *score);

#endif
