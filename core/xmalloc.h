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

#endif
