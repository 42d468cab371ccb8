/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strtab.h: the case-wide string table (table strings, trigram index
 * strings_fts).
 *
 * strtab_intern() returns the id of a string, adding it once. A bounded
 * in-memory cache (grown on demand, cleared when full; its hash is seeded
 * and its probe chains capped) answers repeats without SQL; misses go to
 * the hash index. Text that is not valid UTF-8 is stored with each
 * invalid byte written as \xNN.
 *
 * Strings are shared by every artifact and never removed: a string left
 * by an abandoned import is harmless (it is referenced by nothing).
 * Not thread-safe. Writes happen in the caller's transaction.
 */
#ifndef CORE_STRTAB_H
#define CORE_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct store;
struct strtab;

/* A string table bound to s (owned: strtab_free). */
struct strtab *strtab_new(struct store *s);
/* The id of p[0..n) (1-based); p NULL gives 0 (no string). */
int strtab_intern(struct strtab *t, const char *p, size_t n, int64_t *id,
    struct dd_err *e);
/* Same for a NUL-terminated string (NULL gives 0). */
int strtab_intern_str(struct strtab *t, const char *s, int64_t *id,
    struct dd_err *e);
/* Write up to max of the new strings' waiting rows (see strtab.c): 1 when
 * some still wait, 0 when none, <0 on error. All of them must be written
 * before the import's last commit (evw_finish does). */
int strtab_flush(struct strtab *t, size_t max, struct dd_err *e);
void strtab_free(struct strtab *t);

/* The strings.h key of stored text t[0..n) (FNV-1a, as a signed 64-bit
 * SQLite integer). */
int64_t strtab_key(const char *t, size_t n);

/* The id of stored text s (already in its stored form), 0 when absent.
 * Uses db directly: for readers such as the events table. */
struct sqlite3;
int64_t strtab_lookup(struct sqlite3 *db, const char *s);

/* Make p[0..n) storable as TEXT (invalid UTF-8 bytes as \xNN). */
struct sbuf;
int strtab_text(struct sbuf *sb, const void *p, size_t n);

#endif
