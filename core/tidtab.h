/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tidtab.h: a table keyed by thread id, for importers that track threads
 * and pending calls (strace, scap). Elements are elsz bytes and start with
 * a struct tidtab_slot; deletion shifts back so probing stays valid. The
 * table grows by doubling up to a caller's maximum (memory stays bounded
 * by it).
 */
#ifndef CORE_TIDTAB_H
#define CORE_TIDTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The head of every element. */
struct tidtab_slot {
	int64_t tid;
	bool used;
};

struct tidtab {
	unsigned char *v; /* cap elements of elsz bytes */
	size_t elsz, cap, used;
};

/* Slot i of the table (0 <= i < cap; check ->used). */
struct tidtab_slot *tidtab_at(const struct tidtab *t, size_t i);
/*
 * The element for tid. With fresh NULL, a lookup (NULL when absent);
 * otherwise it is created when missing (zeroed but for its head, *fresh
 * set), the table starting at init slots (a power of two) and holding at
 * most max. NULL when full.
 */
struct tidtab_slot *tidtab_get(struct tidtab *t, int64_t tid, size_t init,
    size_t max, bool *fresh);
/* Remove element s. */
void tidtab_del(struct tidtab *t, struct tidtab_slot *s);

/* Add tid to the list v[0..*n) (capacity *a) unless present or *n has
 * reached max: a process's thread list (strace, scap). */
void tidlist_add(int64_t **v, size_t *n, size_t *a, int64_t tid, size_t max);

#endif
