/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tidtab.c: open addressing by thread id (see tidtab.h).
 */
#include "core/common.h"
#include "core/tidtab.h"

#include "core/xmalloc.h"

static size_t
tidtab_hash(int64_t tid, size_t cap)
{
	uint64_t h = (uint64_t)tid * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 20) & (cap - 1);
}

struct tidtab_slot *
tidtab_at(const struct tidtab *t, size_t i)
{
	return (struct tidtab_slot *)(t->v + i * t->elsz);
}

/*
 * The element for tid. With fresh NULL, a lookup (NULL when absent);
 * otherwise it is created when missing (zeroed but for its head, *fresh
 * set), the table starting at init slots and holding at most max. NULL
 * when full.
 */
struct tidtab_slot *
tidtab_get(struct tidtab *t, int64_t tid, size_t init, size_t max,
    bool *fresh)
{
	struct tidtab_slot *s;
	size_t i, k;

	if (t->cap == 0) {
		if (fresh == NULL)
			return NULL;
		t->cap = init;
		t->v = xcalloc(t->cap, t->elsz);
	}
	for (i = tidtab_hash(tid, t->cap);; i = (i + 1) & (t->cap - 1)) {
		s = tidtab_at(t, i);
		if (!s->used)
			break;
		if (s->tid == tid) {
			if (fresh)
				*fresh = false;
			return s;
		}
	}
	if (fresh == NULL || t->used >= max)
		return NULL;
	if ((t->used + 1) * 2 > t->cap) {
		struct tidtab old = *t;
		t->cap *= 2;
		t->v = xcalloc(t->cap, t->elsz);
		for (k = 0; k < old.cap; k++) {
			struct tidtab_slot *o = tidtab_at(&old, k);
			if (!o->used)
				continue;
			for (i = tidtab_hash(o->tid, t->cap);
			     tidtab_at(t, i)->used; i = (i + 1) & (t->cap - 1))
				;
			memcpy(tidtab_at(t, i), o, t->elsz);
		}
		free(old.v);
		return tidtab_get(t, tid, init, max, fresh);
	}
	s->used = true;
	s->tid = tid;
	t->used++;
	*fresh = true;
	return s;
}

/* Remove element s (backward-shift deletion keeps probing valid). */
void
tidtab_del(struct tidtab *t, struct tidtab_slot *s)
{
	size_t i = (size_t)((unsigned char *)s - t->v) / t->elsz, j, k;

	memset(s, 0, t->elsz);
	t->used--;
	for (j = (i + 1) & (t->cap - 1); tidtab_at(t, j)->used;
	     j = (j + 1) & (t->cap - 1)) {
		k = tidtab_hash(tidtab_at(t, j)->tid, t->cap);
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			memcpy(tidtab_at(t, i), tidtab_at(t, j), t->elsz);
			memset(tidtab_at(t, j), 0, t->elsz);
			i = j;
		}
	}
}


void
tidlist_add(int64_t **v, size_t *n, size_t *a, int64_t tid, size_t max)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == tid)
			return;
	if (*n >= max)
		return;
	if (*n == *a) {
		*a = *a ? *a * 2 : 4;
		*v = xreallocarray(*v, *a, sizeof(**v));
	}
	(*v)[(*n)++] = tid;
}
