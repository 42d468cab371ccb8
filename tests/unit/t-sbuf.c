/* SPDX-License-Identifier: Apache-2.0 */
/* t-sbuf.c: the capped string buffer (core/sbuf.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/dderr.h"
#include "core/sbuf.h"

/* The invariants that hold after every operation. */
static bool
sbuf_invariants(struct test_ctx *t, const struct sbuf *sb)
{
	bool ok = true;

	ok &= CHECK(sb->buf != NULL);
	if (sb->buf == NULL)
		return false;
	ok &= CHECK_EQ_INT(sb->buf[sb->len], '\0');
	ok &= CHECK(sb->len <= sb->max);
	ok &= CHECK(sb->alloc == 0 || sb->len < sb->alloc);
	return ok;
}

TEST(sbuf_init_state)
{
	struct sbuf a = SBUF_INIT, b;

	sbuf_invariants(t, &a);
	CHECK_EQ_INT(a.len, 0);
	CHECK_EQ_STR(a.buf, "");
	CHECK_EQ_INT(a.max, SBUF_MAX_DEFAULT);
	sbuf_init(&b, 10);
	sbuf_invariants(t, &b);
	CHECK_EQ_INT(b.max, 10);
	CHECK_EQ_STR(b.buf, "");
	/* Releasing an untouched buffer is fine and keeps the invariants. */
	sbuf_release(&a);
	sbuf_invariants(t, &a);
	sbuf_reset(&b);
	sbuf_invariants(t, &b);
	CHECK_EQ_INT(b.max, 10);
	sbuf_release(&b);
	/* The shared empty string was never written. */
	CHECK_EQ_INT(sbuf_empty[0], '\0');
}

TEST(sbuf_add_basic)
{
	struct sbuf sb = SBUF_INIT;

	CHECK_EQ_INT(sbuf_addstr(&sb, "hello"), 0);
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(sbuf_addch(&sb, ' '), 0);
	CHECK_EQ_INT(sbuf_add(&sb, "world!!", 5), 0);
	CHECK_EQ_INT(sb.len, 11);
	CHECK_EQ_STR(sb.buf, "hello world");
	sbuf_invariants(t, &sb);
	/* A zero-length add changes nothing. */
	CHECK_EQ_INT(sbuf_add(&sb, NULL, 0), 0);
	CHECK_EQ_INT(sbuf_addstr(&sb, ""), 0);
	CHECK_EQ_INT(sb.len, 11);
	sbuf_release(&sb);
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(sb.len, 0);
	/* An empty buffer that was never grown adds nothing on release. */
	CHECK_EQ_INT(sbuf_add(&sb, NULL, 0), 0);
	sbuf_invariants(t, &sb);
	sbuf_release(&sb);
}

TEST(sbuf_embedded_nul)
{
	struct sbuf sb = SBUF_INIT;
	static const char bin[] = { 'a', 0, 'b', 0, 0, 'c' };

	CHECK_EQ_INT(sbuf_add(&sb, bin, sizeof(bin)), 0);
	CHECK_EQ_INT(sbuf_addch(&sb, 0), 0);
	CHECK_EQ_INT(sb.len, sizeof(bin) + 1);
	CHECK_MEM(sb.buf, bin, sizeof(bin));
	CHECK_EQ_INT(sb.buf[sizeof(bin)], 0);
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(strlen(sb.buf), 1);
	sbuf_release(&sb);
}

TEST(sbuf_cap)
{
	struct sbuf sb;

	sbuf_init(&sb, 8);
	CHECK_EQ_INT(sbuf_addstr(&sb, "abcde"), 0);
	/* 5 + 4 > 8: refused, content unchanged. */
	CHECK_EQ_INT(sbuf_addstr(&sb, "fghi"), DD_ELIMIT);
	CHECK_EQ_INT(sb.len, 5);
	CHECK_EQ_STR(sb.buf, "abcde");
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(sbuf_addf(&sb, "%d", 1234), DD_ELIMIT);
	CHECK_EQ_STR(sb.buf, "abcde");
	CHECK_EQ_INT(sb.len, 5);
	CHECK_EQ_INT(sbuf_grow(&sb, 4), DD_ELIMIT);
	CHECK_EQ_INT(sbuf_grow(&sb, SIZE_MAX), DD_ELIMIT);
	CHECK_EQ_INT(sbuf_add(&sb, "x", SIZE_MAX), DD_ELIMIT);
	CHECK_EQ_STR(sb.buf, "abcde");
	/* Exactly up to the cap is allowed. */
	CHECK_EQ_INT(sbuf_addstr(&sb, "fgh"), 0);
	CHECK_EQ_INT(sb.len, 8);
	CHECK_EQ_STR(sb.buf, "abcdefgh");
	CHECK_EQ_INT(sbuf_addch(&sb, 'i'), DD_ELIMIT);
	CHECK_EQ_STR(sb.buf, "abcdefgh");
	sbuf_invariants(t, &sb);
	sbuf_release(&sb);
	/* The cap survives release. */
	CHECK_EQ_INT(sb.max, 8);
	CHECK_EQ_INT(sbuf_addstr(&sb, "123456789"), DD_ELIMIT);
	CHECK_EQ_INT(sb.len, 0);
	sbuf_invariants(t, &sb);
	sbuf_release(&sb);

	/* A cap of 0 refuses everything but empty appends. */
	sbuf_init(&sb, 0);
	CHECK_EQ_INT(sbuf_addch(&sb, 'x'), DD_ELIMIT);
	CHECK_EQ_INT(sbuf_add(&sb, "", 0), 0);
	sbuf_invariants(t, &sb);
	sbuf_release(&sb);
}

TEST(sbuf_reset_keeps_memory)
{
	struct sbuf sb = SBUF_INIT;
	char *old;

	CHECK_EQ_INT(sbuf_addstr(&sb, "some text"), 0);
	old = sb.buf;
	sbuf_reset(&sb);
	CHECK_EQ_INT(sb.len, 0);
	CHECK_EQ_STR(sb.buf, "");
	CHECK(sb.buf == old);
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(sbuf_addstr(&sb, "xy"), 0);
	CHECK_EQ_STR(sb.buf, "xy");
	CHECK(sb.buf == old);
	sbuf_release(&sb);
}

TEST(sbuf_detach)
{
	struct sbuf sb;
	size_t len = 99;
	char *p;

	sbuf_init(&sb, 100);
	CHECK_EQ_INT(sbuf_addstr(&sb, "owned"), 0);
	p = sbuf_detach(&sb, &len);
	CHECK_EQ_INT(len, 5);
	CHECK_EQ_STR(p, "owned");
	free(p);
	/* sb is back to empty, same cap, still usable. */
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(sb.len, 0);
	CHECK_EQ_INT(sb.max, 100);
	CHECK_EQ_INT(sbuf_addstr(&sb, "again"), 0);
	CHECK_EQ_STR(sb.buf, "again");
	sbuf_release(&sb);

	/* Detaching an empty, never-grown buffer gives an owned "". */
	p = sbuf_detach(&sb, &len);
	CHECK(p != NULL);
	CHECK(p != sbuf_empty);
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_STR(p, "");
	free(p);
	p = sbuf_detach(&sb, NULL);
	CHECK_EQ_STR(p, "");
	free(p);
	sbuf_invariants(t, &sb);
}

TEST(sbuf_addf_growth)
{
	struct sbuf sb = SBUF_INIT;
	char expect[32];
	size_t want = 0;
	int i;

	CHECK_EQ_INT(sbuf_addf(&sb, "%s-%d", "x", 42), 0);
	CHECK_EQ_STR(sb.buf, "x-42");
	sbuf_reset(&sb);
	/* Many appends crossing several reallocations. */
	for (i = 0; i < 5000; i++) {
		CHECK_EQ_INT(sbuf_addf(&sb, "%05d,", i), 0);
		want += 6;
	}
	CHECK_EQ_INT(sb.len, want);
	sbuf_invariants(t, &sb);
	snprintf(expect, sizeof(expect), "%05d,", 4999);
	CHECK_MEM(sb.buf + sb.len - 6, expect, 6);
	CHECK_MEM(sb.buf, "00000,00001,", 12);
	/* One large formatted append. */
	sbuf_reset(&sb);
	CHECK_EQ_INT(sbuf_addf(&sb, "%*s|", 100000, "r"), 0);
	CHECK_EQ_INT(sb.len, 100001);
	CHECK_EQ_INT(sb.buf[99999], 'r');
	CHECK_EQ_INT(sb.buf[100000], '|');
	sbuf_invariants(t, &sb);
	/* An empty format. */
	CHECK_EQ_INT(sbuf_addf(&sb, "%s", ""), 0);
	CHECK_EQ_INT(sb.len, 100001);
	sbuf_release(&sb);
}

TEST(sbuf_grow_then_add)
{
	struct sbuf sb = SBUF_INIT;
	size_t alloc;

	CHECK_EQ_INT(sbuf_grow(&sb, 1000), 0);
	sbuf_invariants(t, &sb);
	CHECK_EQ_INT(sb.len, 0);
	CHECK(sb.alloc >= 1001);
	alloc = sb.alloc;
	CHECK_EQ_INT(sbuf_add(&sb, "0123456789", 10), 0);
	CHECK_EQ_INT(sb.alloc, alloc); /* no reallocation needed */
	CHECK_EQ_STR(sb.buf, "0123456789");
	sbuf_release(&sb);
}
