/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xmalloc.h: allocation that aborts on failure (tmux, htop).
 *
 * Invariants: never returns NULL; a zero-size request is a BUG; sizes
 * derived from evidence must pass a limits.h check before reaching here.
 * Every returned pointer is owned by the caller (free()).
 */
#ifndef CORE_XMALLOC_H
#define CORE_XMALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Zeroed tables of nmemb * size bytes that are large and touched at
 * random (hash tables): from 256 KiB on mapped on their own, populated at
 * once, and from 2 MiB on advised as transparent huge pages instead, as
 * one 4 KiB page fault costs microseconds on virtual machines (the
 * n-gram tables' faults were a fifth of a replay).
 * Freed with xbigfree and the same sizes. Sanitizer builds use calloc
 * (their checks need its red zones). */
void *xbigcalloc(size_t nmemb, size_t size);
void xbigfree(void *p, size_t nmemb, size_t size);

#endif
