/* SPDX-License-Identifier: Apache-2.0 */
/*
 * query.h: the read-only query engine behind `drydock query` and the
 * plugin host API.
 *
 * An examiner's (or a plugin's) SQL runs against a case opened with
 * STORE_RDONLY under a guard (DESIGN.md section 6): an authorizer that
 * allows only reading, a small whitelist of read-only PRAGMAs, no ATTACH,
 * no load_extension() or file functions; defensive mode; untrusted
 * schema; tight sqlite3_limit()s; and a time budget. query_run() prints
 * the rows of one statement as CSV, JSON or an aligned table;
 * query_each() hands them to a callback.
 *
 * Invariants:
 * - a guarded connection runs nothing that writes, attaches a database,
 *   loads code, or touches a host file: the authorizer denies it with a
 *   message naming what was refused, and SQLITE_OPEN_READONLY and
 *   sqlite3_stmt_readonly() stand behind it;
 * - exactly one statement per call: SQL after the first statement (other
 *   than whitespace, semicolons and comments) is refused before anything
 *   runs;
 * - the time budget counts from the start of each query_run() or
 *   query_each() call; statements stepped by other code on a guarded
 *   connection run without it;
 * - CSV prints values faithfully (no formula-injection guard: that belongs
 *   to report writers, whose output is opened by spreadsheets); text that
 *   is not valid UTF-8 goes through esc_display(); JSON is always valid
 *   UTF-8; the table format shows no control byte.
 *
 * Thread-safety: a connection is used by one thread at a time (store.h).
 * The guard keeps the state of the query in progress (its start, why it
 * was denied or stopped) in thread-local storage, so different threads may
 * each run queries on their own connections.
 */
#ifndef CORE_QUERY_H
#define CORE_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct dd_err;
struct sbuf;
struct sqlite3;
struct sqlite3_stmt;
struct store;

/* Limits set with sqlite3_limit() on a guarded connection. */
/* SQL text of one query: far above any hand-written or generated query,
 * far below SQLite's 1 GB default. */
#define QUERY_MAX_SQL (1024 * 1024)
/* One string or blob value: a stored chunk is at most LIM_CHUNK_MAX
 * (4 MiB), so this only stops zeroblob(), randomblob() and group_concat()
 * from exhausting memory. */
#define QUERY_MAX_LENGTH (64 * 1024 * 1024)
/* A LIKE or GLOB pattern (SQLite's default is 50,000). */
#define QUERY_MAX_LIKE 10000
/* Depth of an expression tree: AND chains of a few hundred terms still fit;
 * the parser's recursion stays shallow. */
#define QUERY_MAX_EXPR_DEPTH 500
/* Host parameters (?NNN): SQLite's historical default. */
#define QUERY_MAX_VARIABLES 999
/* The progress handler runs every this many virtual-machine steps. */
#define QUERY_PROGRESS_STEPS 1000
/* Table format: rows whose widths set the column widths (later rows are
 * padded to them and may overflow). */
#define QUERY_TABLE_WINDOW 1000
/* Table format: bytes of one text value shown; longer values end in
 * "..." (use csv or json for whole values). */
#define QUERY_TABLE_CELL 1024
/* Table format: bytes of one blob shown as hex before "...". */
#define QUERY_TABLE_BLOB 32

/* Output formats of query_run(). */
enum query_format {
	QUERY_CSV = 0, /* header line, RFC 4180 minimal quoting, LF ends */
	QUERY_JSON,    /* an array of objects keyed by column name */
	QUERY_TABLE,   /* aligned columns for people, every value escaped */
};

struct query_opts {
	int format;	    /* enum query_format */
	unsigned budget_ms; /* time budget in milliseconds; 0: none */
	bool terminal;	    /* out is a terminal: CSV text values also go
			       through esc_display(), so no control byte
			       reaches it (JSON and table always escape) */
};

/*
 * A row callback for query_each(). ncol and names (borrowed: valid until
 * query_each() returns) describe the columns; read the values from st with
 * sqlite3_column_*() (borrowed: valid until the callback returns; do not
 * step, reset or finalize it). Return 0 to go on, a positive value to stop
 * early (query_each() then returns 0), or a negative DD_E* code to stop
 * with that error.
 */
typedef int (*query_row_fn)(void *user, int ncol, const char *const *names,
    struct sqlite3_stmt *st);

/*
 * Install the guard on db: the authorizer (denies ATTACH, DETACH, every
 * write, schema change and transaction, PRAGMAs outside the read-only
 * whitelist or with a value that would set them, and the functions
 * load_extension, readfile, writefile, edit and fts3_tokenizer),
 * SQLITE_DBCONFIG_DEFENSIVE on, trusted_schema off, extension loading off,
 * the QUERY_MAX_* limits (and no attached databases), and a progress
 * handler that stops a query_run()/query_each() after budget_ms
 * milliseconds (0: no budget). Installing again replaces the previous
 * guard. Returns 0, or DD_ESQL when SQLite refused a setting (the
 * connection must then not be used for queries).
 */
int query_guard(struct sqlite3 *db, unsigned budget_ms);

/*
 * Run one statement of sql on s (opened with STORE_RDONLY) under the guard,
 * installed here with o->budget_ms, and print its rows to out in
 * o->format. Errors: DD_EUSAGE when sql holds no statement or more than
 * one, or o->format is unknown; DD_ESQL when SQLite rejects the SQL
 * ("query failed: ..."), the guard denies it ("query denied: ATTACH is not
 * allowed in read-only queries") or the budget runs out ("query stopped:
 * time budget of N ms exceeded"); DD_EIO when out cannot be written. Rows
 * printed before a failure stay printed (JSON is then incomplete).
 */
int query_run(struct store *s, const char *sql, const struct query_opts *o,
    FILE *out, struct dd_err *e);

/*
 * Run one statement of sql on s under the guard (installed here with a
 * budget of LIM_QUERY_MS, so a caller cannot run an unguarded or unbounded
 * query through it) and pass each row to fn. Errors as query_run(); a
 * negative return of fn is returned, with e set to "query stopped by its
 * row callback" unless e already holds an error.
 */
int query_each(struct store *s, const char *sql, query_row_fn fn, void *user,
    struct dd_err *e);

/* The format named name ("csv", "json", "table"), or -1. */
int query_format_parse(const char *name);

/*
 * Append p[0..n) to sb with each byte that is not part of a valid UTF-8
 * sequence (overlongs and surrogates included) replaced by U+FFFD, so the
 * result is valid UTF-8 (what jansson's json_stringn() needs). This is the
 * rule QUERY_JSON applies to text. Returns 0 or DD_ELIMIT (sb's cap).
 */
int query_utf8_fix(struct sbuf *sb, const void *p, size_t n);

#endif
