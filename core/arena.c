/* SPDX-License-Identifier: Apache-2.0 */
/* arena.c: block-list region allocator; see arena.h. */
#include "core/common.h"
#include "core/arena.h"

#include "core/xmalloc.h"

#define ARENA_BLOCK (64u * 1024u)
#define ARENA_ALIGN (_Alignof(max_align_t))

struct arena_block {
	struct arena_block *next;
	size_t size; /* usable bytes in data */
	size_t used;
	_Alignas(max_align_t) unsigned char data[];
};

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->big = NULL;
	a->spare = NULL;
}

static struct arena_block *
arena_new_block(struct arena_block **list, size_t size)
{
	struct arena_block *b;

	b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = 0;
	b->next = *list;
	*list = b;
	return b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b;
	size_t need;

	if (n == 0)
		n = 1;
	if (ckd_add(&need, n, ARENA_ALIGN - 1))
		BUG("arena request overflow");
	need &= ~(size_t)(ARENA_ALIGN - 1);
#ifdef ARENA_MALLOC_EACH
	b = arena_new_block(&a->big, need);
	b->used = need;
	return b->data;
#else
	b = a->head;
	if (b != NULL && need <= b->size - b->used) {
		void *p = b->data + b->used;
		b->used += need;
		return p;
	}
	if (need > ARENA_BLOCK / 4) {
		b = arena_new_block(&a->big, need);
		b->used = need;
		return b->data;
	}
	if ((b = a->spare) != NULL) {
		/* The block the last rewind gave back: a scratch arena whose
		 * mark sits near a block's end would otherwise allocate and
		 * free a block for every record. */
		a->spare = NULL;
		b->next = a->head;
		a->head = b;
	} else {
		b = arena_new_block(&a->head, ARENA_BLOCK);
	}
	b->used = need;
	return b->data;
#endif
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);

	memset(p, 0, n == 0 ? 1 : n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		BUG("arena string overflow");
	p = arena_alloc(a, n + 1);
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	int n;
	char *p;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		BUG("bad format");
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

struct arena_mark
arena_mark(struct arena *a)
{
	struct arena_mark m;

	m.head = a->head;
	m.used = a->head ? a->head->used : 0;
	m.big = a->big;
	return m;
}

/* Free list's blocks newer than stop; keep one in *spare when given. */
static void
arena_free_until(struct arena_block **list, struct arena_block *stop,
    struct arena_block **spare)
{
	struct arena_block *b;

	while ((b = *list) != NULL && b != stop) {
		*list = b->next;
		if (spare != NULL && *spare == NULL) {
			*spare = b;
			continue;
		}
		free(b);
	}
}

void
arena_rewind(struct arena *a, struct arena_mark m)
{
	arena_free_until(&a->head, m.head, &a->spare);
	arena_free_until(&a->big, m.big, NULL);
	if (a->head != NULL)
		a->head->used = m.used;
}

void
arena_release(struct arena *a)
{
	arena_free_until(&a->head, NULL, NULL);
	arena_free_until(&a->big, NULL, NULL);
	free(a->spare);
	a->spare = NULL;
}
