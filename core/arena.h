/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.h: region allocation for per-job, per-record and per-frame lifetimes.
 *
 * An arena is a list of 64 KiB blocks; a request is served from the current
 * block when it fits, else from a new one, or from a dedicated block of its
 * own when larger than a quarter block. Allocations are aligned to max_align_t. Memory is
 * returned only by arena_rewind() (to a mark) or arena_release().
 *
 * Invariants:
 * - never store an arena pointer in anything that outlives the arena;
 * - never put handles with their own lifetime (sqlite3_stmt, FILE...) here;
 * - built with -DARENA_MALLOC_EACH (the asan variant), every allocation is
 *   its own malloc so ASan sees overflows and use-after-rewind.
 * Not thread-safe: one arena per thread.
 */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* regular blocks, newest first */
	struct arena_block *big;  /* dedicated blocks, newest first */
	struct arena_block *spare; /* one regular block kept by a rewind */
};

struct arena_mark {
	struct arena_block *head; /* regular block current at the mark */
	size_t used;		  /* its fill at the mark */
	struct arena_block *big;  /* newest dedicated block at the mark */
};

#define ARENA_INIT { NULL, NULL, NULL }

void arena_init(struct arena *a);
/* n bytes, uninitialised, aligned; n == 0 returns a valid unique pointer. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
/* Copy of s[0..n) with a NUL appended (s may hold NULs). */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
struct arena_mark arena_mark(struct arena *a);
/* Free everything allocated after m (one regular block is kept for the
 * next allocation that needs a block). */
void arena_rewind(struct arena *a, struct arena_mark m);
/* Free everything; the arena is ARENA_INIT afterwards. */
void arena_release(struct arena *a);

#endif
