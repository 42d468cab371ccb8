/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h: the case store, one SQLite file per case (DESIGN.md section 2).
 *
 * store_open() checks that the file is a drydock case, applies forward-only
 * migrations from core/schema.sql, refuses newer schemas, and registers the
 * case's SQL functions on the connection. A writer holds an exclusive lock
 * on CASE.lock for its whole life; holding it proves no other import is
 * alive, so the writer removes the rows of any import that did not finish
 * (artifact_all.state = 'importing') and the chunks only they used.
 *
 * Invariants:
 * - only core/ calls sqlite3 on a store; other folders use store_* and the
 *   sinks, helpers and query functions built on it;
 * - a read-only store never writes, and opens on write-protected media;
 * - every statement is prepared once per connection and cached.
 * Not thread-safe: one store per thread.
 */
#ifndef CORE_STORE_H
#define CORE_STORE_H

#include <stdbool.h>
#include <stdint.h>

struct dd_err;
struct sqlite3;
struct sqlite3_stmt;

/* Schema version written by this build (the highest migration). */
#define STORE_SCHEMA_VERSION 19
/* PRAGMA application_id of a drydock case ("DryD"). */
#define STORE_APP_ID 0x44727944

enum store_flags {
	STORE_RDONLY = 1 << 0, /* read-only; no lock, no cleanup, no migration */
	STORE_CREATE = 1 << 1, /* create a new case; fail if the file exists */
	STORE_WRITE = 1 << 2,  /* take the writer lock, migrate, clean up */
	STORE_NOLOCK = 1 << 3, /* (tests, fuzzing) write without CASE.lock */
	STORE_KEEPMODE = 1 << 4, /* a sealed case stays sealed (custody-only
				    writes such as export use the rollback
				    journal instead of switching to WAL) */
	STORE_BULK = 1 << 5,	 /* an import: write through the rollback
				    journal while no other connection has the
				    case open (new pages are written once, not
				    to the WAL and again to the case); WAL
				    again at close */
};

struct store {
	struct sqlite3 *db;  /* the connection (owned) */
	char *path;	     /* the case path (owned) */
	int lock_fd;	     /* CASE.lock while writing, else -1 */
	bool readonly;	     /* opened with STORE_RDONLY */
	bool sealed;	     /* the case was sealed and not written since */
	bool bulk;	     /* STORE_BULK took the rollback journal */
	int wb_fd;	     /* bulk: the case, for write-back (store_tick) */
	int wb_rows;	     /* rows since the last write-back */
	int64_t batch_t0;    /* bulk: when the batch began (mono_ns) */
	int batch_rows;	     /* rows written in the current batch */
	bool in_tx;	     /* a transaction is open */
	struct store_stmt *stmts; /* prepared-statement cache (owned) */
	int nstmts, astmts;
	int removed_imports; /* ownerless imports removed at open */
	int removed_now;     /* artifacts removed by the last removal */
	/* The chunk hashes the case held when the first blob writer of this
	 * handle started (sorted; core/chunk.c): a chunk found there is not
	 * compressed again. */
	uint8_t (*known)[32];
	size_t nknown;
	bool known_loaded;
	/* Called by loops that run outside SQLite's VM (the events virtual
	 * table, once per chunk read) so a front end can redraw or cancel:
	 * non-zero interrupts the statement. NULL: none. */
	int (*yield)(void *user);
	void *yield_user;
	/* A writer's checkpointer thread (core/store.c), once its WAL
	 * has grown past STORE_CKPT_PAGES; NULL before. */
	struct store_ckpt *ckpt;
};

/* Open (or with STORE_CREATE create) the case at path. *out is owned by
 * the caller (store_close). On failure *out is NULL and e says why. */
int store_open(const char *path, unsigned flags, struct store **out,
    struct dd_err *e);
void store_close(struct store *s);

/* A cached prepared statement for sql, which must be a string constant
 * (the cache is keyed by its address). Reset and with bindings cleared.
 * Borrowed: valid until store_close(). NULL with e set on error. */
struct sqlite3_stmt *store_stmt(struct store *s, const char *sql,
    struct dd_err *e);
/* Run sql (no results) outside the cache. */
int store_exec(struct store *s, const char *sql, struct dd_err *e);
/* Step a statement expecting SQLITE_DONE; translate errors. */
int store_step_done(struct store *s, struct sqlite3_stmt *st,
    struct dd_err *e);

int store_begin(struct store *s, struct dd_err *e);
int store_commit(struct store *s, struct dd_err *e);
void store_rollback(struct store *s);
/* In a batch: count rows; past the batch size commit and begin again so
 * memory and WAL stay bounded (imports under state 'importing'). */
int store_tick(struct store *s, int rows, struct dd_err *e);

/* Translate the connection's last error into e; returns DD_ESQL. */
int store_sqlerr(struct store *s, struct dd_err *e, const char *what);
/* Row id of the last insert. */
int64_t store_last_id(struct store *s);
/* Get or set a meta value (text). get returns an owned string or NULL. */
char *store_meta_get(struct store *s, const char *key);
int store_meta_set(struct store *s, const char *key, const char *value,
    struct dd_err *e);

/* True when the relation (table or view) exists. */
bool store_has_relation(struct store *s, const char *name);

/* Register drydock's SQL functions (zstd_decompress, ...) on db. */
int store_register_functions(struct sqlite3 *db);

/* Remove every 'importing' artifact with its rows and the chunks only
 * they used (the caller holds the writer lock, so none is alive). Rolls
 * back an open transaction first. */
int store_remove_importing(struct store *s, struct dd_err *e);

/* Checkpoint, switch to rollback-journal mode and mark sealed. */
int store_seal(struct store *s, struct dd_err *e);

/* The artifact_id-owning tables cleaned when an import is abandoned. */
extern const char *const store_owned_tables[];

#endif
