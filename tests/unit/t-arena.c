/* SPDX-License-Identifier: Apache-2.0 */
/* t-arena.c: the region allocator (core/arena.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/arena.h"

#define ARENA_T_ALIGN (_Alignof(max_align_t))

static bool
arena_t_aligned(const void *p)
{
	return ((uintptr_t)p % ARENA_T_ALIGN) == 0;
}

TEST(arena_alignment)
{
	struct arena a = ARENA_INIT;
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31,
		33, 100, 1000, 4095, 4097, 16383, 16385, 65535, 65537 };
	size_t i, rep;

	for (rep = 0; rep < 3; rep++) {
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			unsigned char *p = arena_alloc(&a, sizes[i]);
			if (!CHECK(p != NULL))
				break;
			CHECK(arena_t_aligned(p));
			/* The whole request is writable (ASan checks). */
			if (sizes[i])
				memset(p, 0x5a, sizes[i]);
			else
				p[0] = 0; /* n == 0: a valid pointer */
		}
	}
	{
		char *s = arena_strdup(&a, "x");
		char *z = arena_zalloc(&a, 3);
		CHECK(arena_t_aligned(s));
		CHECK(arena_t_aligned(z));
	}
	arena_release(&a);
}

TEST(arena_zero_size_unique)
{
	struct arena a = ARENA_INIT;
	void *p = arena_alloc(&a, 0), *q = arena_alloc(&a, 0);

	CHECK(p != NULL);
	CHECK(q != NULL);
	CHECK(p != q);
	arena_release(&a);
}

TEST(arena_zalloc)
{
	struct arena a = ARENA_INIT;
	unsigned char *p;
	size_t i, bad = 0;

	/* Dirty some memory first so zalloc has something to clear. */
	p = arena_alloc(&a, 5000);
	memset(p, 0xee, 5000);
	p = arena_zalloc(&a, 5000);
	for (i = 0; i < 5000; i++)
		bad += p[i] != 0;
	CHECK_EQ_INT(bad, 0);
	p = arena_zalloc(&a, 200000);
	for (i = 0, bad = 0; i < 200000; i++)
		bad += p[i] != 0;
	CHECK_EQ_INT(bad, 0);
	arena_release(&a);
}

TEST(arena_large)
{
	struct arena a = ARENA_INIT;
	unsigned char *small1, *big, *small2, *huge;
	size_t i, bad = 0;

	small1 = arena_alloc(&a, 64);
	memset(small1, 1, 64);
	/* Larger than a quarter block, but it fits in the current one. */
	big = arena_alloc(&a, 20000);
	memset(big, 2, 20000);
	small2 = arena_alloc(&a, 64);
	memset(small2, 3, 64);
	/* Larger than a whole block. */
	huge = arena_alloc(&a, 3 * 1024 * 1024 + 5);
	memset(huge, 4, 3 * 1024 * 1024 + 5);
	CHECK(arena_t_aligned(big));
	CHECK(arena_t_aligned(huge));
	/* Nothing overlaps: each region still holds its own byte. */
	for (i = 0; i < 64; i++)
		bad += small1[i] != 1 || small2[i] != 3;
	for (i = 0; i < 20000; i++)
		bad += big[i] != 2;
	for (i = 0; i < 3 * 1024 * 1024 + 5; i++)
		bad += huge[i] != 4;
	CHECK_EQ_INT(bad, 0);
	CHECK(a.big != NULL);
#ifndef ARENA_MALLOC_EACH
	/* The first three came from one regular block, in order; the huge
	 * one from a dedicated block. */
	CHECK(a.head != NULL);
	CHECK(big == small1 + 64);
	CHECK(small2 == big + 20000);
#endif
	arena_release(&a);
}

TEST(arena_mark_rewind)
{
	struct arena a = ARENA_INIT;
	struct arena_mark m;
	char *keep, *p1, *p2, *big;
	int i;

	keep = arena_strdup(&a, "kept across rewinds");
	m = arena_mark(&a);
	p1 = arena_alloc(&a, 100);
	memset(p1, 'a', 100);
	big = arena_alloc(&a, 100000);
	memset(big, 'b', 100000);
	/* Fill more than a block so the rewind has whole blocks to free. */
	for (i = 0; i < 40; i++)
		memset(arena_alloc(&a, 4000), 'c', 4000);
	arena_rewind(&a, m);
	/* Back exactly to the mark. */
	CHECK(a.head == m.head);
	CHECK(a.big == m.big);
	CHECK_EQ_STR(keep, "kept across rewinds");
	/* The space is reused. */
	p2 = arena_alloc(&a, 100);
#ifndef ARENA_MALLOC_EACH
	CHECK(p2 == p1);
#endif
	memset(p2, 'd', 100);
	CHECK_EQ_STR(keep, "kept across rewinds");

	/* Rewinding repeatedly (the per-record pattern) does not grow. */
	for (i = 0; i < 1000; i++) {
		struct arena_mark m2 = arena_mark(&a);
		memset(arena_alloc(&a, 3000), 'e', 3000);
		memset(arena_alloc(&a, 50000), 'f', 50000);
		arena_rewind(&a, m2);
		CHECK(a.big == m2.big);
		if (a.big != m2.big)
			break;
	}
	CHECK_EQ_STR(keep, "kept across rewinds");

#ifndef ARENA_MALLOC_EACH
	/* A mark at a block's end: each record needs a new block, and the
	 * rewind keeps it for the next record instead of freeing it. */
	arena_release(&a);
	arena_alloc(&a, 64 * 1024 - 64);
	m = arena_mark(&a);
	p1 = arena_alloc(&a, 200);
	arena_rewind(&a, m);
	CHECK(a.head == m.head);
	CHECK(a.spare != NULL);
	p2 = arena_alloc(&a, 200);
	CHECK(p2 == p1);
	CHECK(a.spare == NULL);
	arena_rewind(&a, m);
#endif

	/* A mark taken on an empty arena rewinds to empty. */
	arena_release(&a);
	m = arena_mark(&a);
	arena_alloc(&a, 10);
	arena_alloc(&a, 70000);
	arena_rewind(&a, m);
	CHECK(a.head == NULL);
	CHECK(a.big == NULL);
	arena_release(&a);
}

TEST(arena_strndup_nul)
{
	struct arena a = ARENA_INIT;
	static const char in[] = { 'a', 0, 'b', 'c' };
	char *p;

	p = arena_strndup(&a, in, sizeof(in));
	CHECK_MEM(p, in, sizeof(in));
	CHECK_EQ_INT(p[4], 0);
	p = arena_strndup(&a, "abcdef", 3);
	CHECK_EQ_STR(p, "abc");
	p = arena_strndup(&a, NULL, 0);
	CHECK_EQ_STR(p, "");
	p = arena_strndup(&a, "xyz", 0);
	CHECK_EQ_STR(p, "");
	p = arena_strdup(&a, "whole");
	CHECK_EQ_STR(p, "whole");
	p = arena_printf(&a, "%s=%d", "n", 12345);
	CHECK_EQ_STR(p, "n=12345");
	p = arena_printf(&a, "%0*d", 70000, 7);
	CHECK_EQ_INT(strlen(p), 70000);
	CHECK_EQ_INT(p[69999], '7');
	arena_release(&a);
}

TEST(arena_release_reuse)
{
	struct arena a;
	char *p;

	arena_init(&a);
	CHECK(a.head == NULL && a.big == NULL);
	arena_release(&a); /* releasing an empty arena is fine */
	p = arena_strdup(&a, "one");
	arena_alloc(&a, 1 << 20);
	arena_release(&a);
	CHECK(a.head == NULL);
	CHECK(a.big == NULL);
	/* Usable again after release. */
	p = arena_strdup(&a, "two");
	CHECK_EQ_STR(p, "two");
	arena_release(&a);
	/* The runner's per-test arena works too. */
	p = arena_strdup(t->arena, "per-test");
	CHECK_EQ_STR(p, "per-test");
}
