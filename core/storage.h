/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage.h: what a case holds and what its bytes cost, for `drydock
 * info` and the TUI's overview.
 *
 * storage_measure() measures the database file by its pages, using
 * SQLite's dbstat virtual table (SQLITE_ENABLE_DBSTAT_VTAB, on in Debian's
 * libsqlite3), and sorts every b-tree into one class:
 *   indexes    every index: those in sqlite_schema (type 'index') and the
 *              implicit sqlite_autoindex_* ones;
 *   originals  artifact_all, plus the share of the chunk store (tables
 *              chunks, blobs, blob_parts) equal to the share of compressed
 *              chunk bytes that artifacts' own blobs (artifact_all.blob_id)
 *              reference; a chunk also used by other blobs counts here,
 *              since it is stored once;
 *   blobs      the rest of the chunk store: extracted contents (layer
 *              files, memory segments) that no original references;
 *   events     tables named event_*;
 *   strings    tables named strings* or string_*;
 *   other      every other table: meta, custody, findings, notes, tags,
 *              anomalies, the schema itself, derived relations;
 *   unused     pages in no b-tree: the freelist and SQLite's lock-byte
 *              page;
 *   total      page_count * page_size.
 * The classes add up to total. The DESIGN.md section 8 interface names
 * originals, events, strings, blobs, indexes and total; other and unused
 * are extra keys that make the sum whole.
 *
 * Invariants:
 * - numbers are measured from the pages, inside one read transaction when
 *   the caller has none open, so a concurrent import cannot skew them;
 * - only constant SQL: relation names come from storage_relations[].
 * Cost: dbstat visits every page, overflow pages included, so measuring
 * reads the whole file once (run it off the TUI's main thread).
 * Not thread-safe beyond the store's own rule (one thread per store).
 */
#ifndef CORE_STORAGE_H
#define CORE_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct store;

/* Bytes of the case file by class (see the top comment). */
struct storage_summary {
	uint64_t originals;  /* evidence originals and their artifact rows */
	uint64_t events;     /* event_* tables */
	uint64_t strings;    /* the case-wide string table and its FTS */
	uint64_t blobs;	     /* extracted contents in the chunk store */
	uint64_t indexes;    /* every index */
	uint64_t other;	     /* every other table */
	uint64_t unused;     /* pages in no b-tree (freelist, lock byte) */
	uint64_t total;	     /* page_count * page_size */
	uint64_t page_size;  /* PRAGMA page_size */
	uint64_t page_count; /* PRAGMA page_count */
};

/* One complete artifact, as storage_artifacts() passes it. */
struct storage_artifact {
	int64_t id;	     /* artifacts.id */
	int64_t group_id;    /* the group's id, 0 when not a member */
	int64_t size;	     /* artifacts.size, bytes */
	int64_t members;     /* members when it is a group, else 0 */
	const char *format;  /* importer id or 'group' (borrowed) */
	const char *sha256;  /* hex digest, NULL when unknown (borrowed) */
	const char *name;    /* name as given: evidence text, not
				NUL-safe, may be invalid UTF-8 (borrowed) */
	size_t name_len;     /* bytes of name */
};

/* Called per artifact; the pointers in a are valid until it returns.
 * Return 0 to go on, a negative DD_E* to stop with that error. */
typedef int (*storage_artifact_fn)(void *user,
    const struct storage_artifact *a);

/* Called per present relation with its row count. */
typedef int (*storage_count_fn)(void *user, const char *relation,
    int64_t rows);

/*
 * The public relations storage_counts() looks for, in the order it
 * reports them (DESIGN.md section 8 plus notes and tags), NULL-terminated.
 */
extern const char *const storage_relations[];

/* Measure s's pages into *out (zeroed first). DD_ESQL with e set when
 * SQLite fails (for example a libsqlite3 built without dbstat). */
int storage_measure(struct store *s, struct storage_summary *out,
    struct dd_err *e);

/*
 * Count the rows of each relation of storage_relations[] that s has
 * (tables, views, and virtual tables such as events that are registered
 * on the connection rather than stored in the schema), calling fn for
 * each in order. Absent relations are skipped. Returns 0, fn's negative
 * return, or DD_ESQL.
 */
int storage_counts(struct store *s, storage_count_fn fn, void *user,
    struct dd_err *e);

/*
 * Pass each complete artifact to fn in id order; with top_level only
 * those that are not members of a group (groups then carry their member
 * count). Returns 0, fn's negative return, or DD_ESQL.
 */
int storage_artifacts(struct store *s, bool top_level,
    storage_artifact_fn fn, void *user, struct dd_err *e);

/* The schema version of s (PRAGMA user_version) into *v. */
int storage_schema_version(struct store *s, int64_t *v, struct dd_err *e);

#endif
