/* SPDX-License-Identifier: Apache-2.0 */
/* t-rd.c: the bounded reader (core/rd.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/dderr.h"
#include "core/rd.h"

static const uint8_t rd_sample[] = {
	0x01,			/* u8 */
	0x02, 0x03,		/* be16 0x0203 */
	0x04, 0x05,		/* le16 0x0504 */
	0x06, 0x07, 0x08, 0x09, /* be32 0x06070809 */
	0x0a, 0x0b, 0x0c, 0x0d, /* le32 0x0d0c0b0a */
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, /* be64 */
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, /* le64 */
};

TEST(rd_getters)
{
	struct rd r;

	rd_init(&r, rd_sample, sizeof(rd_sample), 1000);
	CHECK_EQ_INT(rd_left(&r), sizeof(rd_sample));
	CHECK_EQ_INT(rd_off(&r), 1000);
	CHECK_EQ_INT(rd_u8(&r), 0x01);
	CHECK_EQ_INT(rd_off(&r), 1001);
	CHECK_EQ_INT(rd_be16(&r), 0x0203);
	CHECK_EQ_INT(rd_le16(&r), 0x0504);
	CHECK_EQ_INT(rd_off(&r), 1005);
	CHECK_EQ_INT(rd_be32(&r), 0x06070809);
	CHECK_EQ_INT(rd_le32(&r), 0x0d0c0b0a);
	CHECK_EQ_INT(rd_off(&r), 1013);
	CHECK(rd_be64(&r) == UINT64_C(0x1011121314151617));
	CHECK(rd_le64(&r) == UINT64_C(0x2726252423222120));
	CHECK_EQ_INT(rd_off(&r), 1000 + sizeof(rd_sample));
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK(rd_ok(&r));
	CHECK_EQ_INT(r.err, 0);
}

TEST(rd_getters_high_bits)
{
	static const uint8_t ff[8] = { 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa,
		0xf9, 0xf8 };
	struct rd r;

	/* No sign extension anywhere. */
	rd_init(&r, ff, sizeof(ff), 0);
	CHECK(rd_be64(&r) == UINT64_C(0xfffefdfcfbfaf9f8));
	rd_init(&r, ff, sizeof(ff), 0);
	CHECK(rd_le64(&r) == UINT64_C(0xf8f9fafbfcfdfeff));
	rd_init(&r, ff, sizeof(ff), 0);
	CHECK(rd_be32(&r) == UINT32_C(0xfffefdfc));
	CHECK(rd_le32(&r) == UINT32_C(0xf8f9fafb));
	rd_init(&r, ff, sizeof(ff), 0);
	CHECK_EQ_INT(rd_be16(&r), 0xfffe);
	CHECK_EQ_INT(rd_le16(&r), 0xfcfd);
	CHECK_EQ_INT(rd_u8(&r), 0xfb);
	CHECK(rd_ok(&r));
}

/* Each getter on a span one byte too short: 0, DD_ETRUNC, nothing moved. */
TEST(rd_getters_overrun)
{
	static const uint8_t b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct rd r;

	rd_init(&r, b, 0, 50);
	CHECK_EQ_INT(rd_u8(&r), 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK(!rd_ok(&r));
	CHECK_EQ_INT(rd_off(&r), 50);

	rd_init(&r, b, 1, 0);
	CHECK_EQ_INT(rd_be16(&r), 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_off(&r), 0);
	rd_init(&r, b, 1, 0);
	CHECK_EQ_INT(rd_le16(&r), 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);

	rd_init(&r, b, 3, 0);
	CHECK_EQ_INT(rd_be32(&r), 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_off(&r), 0);
	rd_init(&r, b, 3, 0);
	CHECK_EQ_INT(rd_le32(&r), 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);

	rd_init(&r, b, 7, 0);
	CHECK(rd_be64(&r) == 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_off(&r), 0);
	rd_init(&r, b, 7, 0);
	CHECK(rd_le64(&r) == 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_left(&r), 0);
}

/* After the first failure everything returns 0, even reads that would fit. */
TEST(rd_sticky_error)
{
	static const uint8_t b[6] = { 1, 2, 3, 4, 5, 6 };
	const uint8_t *p = b;
	struct rd r, c;
	uint8_t dst[2] = { 0xaa, 0xaa };

	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_be32(&r), 0x01020304);
	CHECK_EQ_INT(rd_be32(&r), 0); /* 2 left: overrun */
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_u8(&r), 0);   /* would fit, but sticky */
	CHECK_EQ_INT(rd_be16(&r), 0);
	CHECK_EQ_INT(rd_le16(&r), 0);
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK_EQ_INT(rd_off(&r), 4);  /* the cursor did not move */
	CHECK_EQ_INT(rd_bytes(&r, 1, &p), DD_ETRUNC);
	CHECK(p == NULL);
	CHECK_EQ_INT(rd_skip(&r, 0), DD_ETRUNC);
	CHECK_EQ_INT(rd_copy(&r, dst, 2), DD_ETRUNC);
	CHECK_EQ_INT(dst[0], 0);
	CHECK_EQ_INT(dst[1], 0);
	CHECK_EQ_INT(rd_sub(&r, 1, &c), DD_ETRUNC);
	CHECK(!rd_ok(&c));
	CHECK_EQ_INT(rd_left(&c), 0);
	/* A later rd_fail does not replace the first cause. */
	CHECK_EQ_INT(rd_fail(&r, DD_EFORMAT), DD_ETRUNC);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
}

TEST(rd_fail_semantic)
{
	static const uint8_t b[4] = { 1, 2, 3, 4 };
	struct rd r;

	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_u8(&r), 1);
	CHECK_EQ_INT(rd_fail(&r, DD_EFORMAT), DD_EFORMAT);
	CHECK(!rd_ok(&r));
	CHECK_EQ_INT(rd_u8(&r), 0);
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK_EQ_INT(rd_fail(&r, DD_ELIMIT), DD_EFORMAT);
	CHECK_EQ_INT(r.err, DD_EFORMAT);
}

TEST(rd_bytes_copy_skip)
{
	static const uint8_t b[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	const uint8_t *p = NULL;
	uint8_t dst[4];
	struct rd r;

	rd_init(&r, b, sizeof(b), 100);
	CHECK_EQ_INT(rd_bytes(&r, 3, &p), 0);
	CHECK(p == b);
	CHECK_EQ_INT(rd_bytes(&r, 0, &p), 0);
	CHECK(p == b + 3);
	CHECK_EQ_INT(rd_copy(&r, dst, 4), 0);
	CHECK_MEM(dst, b + 3, 4);
	CHECK_EQ_INT(rd_off(&r), 107);
	CHECK_EQ_INT(rd_skip(&r, 2), 0);
	CHECK_EQ_INT(rd_off(&r), 109);
	CHECK_EQ_INT(rd_left(&r), 1);
	/* Overrun of rd_bytes: NULL and DD_ETRUNC. */
	CHECK_EQ_INT(rd_bytes(&r, 2, &p), DD_ETRUNC);
	CHECK(p == NULL);
	CHECK_EQ_INT(rd_off(&r), 109);

	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_skip(&r, 11), DD_ETRUNC);
	CHECK_EQ_INT(rd_off(&r), 0);
	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_skip(&r, SIZE_MAX), DD_ETRUNC);
	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_bytes(&r, SIZE_MAX, &p), DD_ETRUNC);
	CHECK(p == NULL);
	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_skip(&r, 10), 0);
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK(rd_ok(&r));
	/* rd_copy on overrun zero-fills the destination. */
	rd_init(&r, b, 2, 0);
	memset(dst, 0xaa, sizeof(dst));
	CHECK_EQ_INT(rd_copy(&r, dst, 4), DD_ETRUNC);
	CHECK_EQ_INT(dst[0] | dst[1] | dst[2] | dst[3], 0);
}

TEST(rd_sub_confined)
{
	static const uint8_t b[10] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct rd r, c, g;
	const uint8_t *p;

	rd_init(&r, b, sizeof(b), 500);
	CHECK_EQ_INT(rd_u8(&r), 0);
	CHECK_EQ_INT(rd_sub(&r, 4, &c), 0);
	/* The parent moved past the child's bytes. */
	CHECK_EQ_INT(rd_off(&r), 505);
	CHECK_EQ_INT(rd_left(&r), 5);
	/* The child sees exactly 4 bytes at absolute offset 501. */
	CHECK_EQ_INT(rd_off(&c), 501);
	CHECK_EQ_INT(rd_left(&c), 4);
	CHECK_EQ_INT(rd_be16(&c), 0x0102);
	CHECK_EQ_INT(rd_off(&c), 503);
	/* Reading past the child's end fails although the parent has more. */
	CHECK_EQ_INT(rd_be32(&c), 0);
	CHECK_EQ_INT(c.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_bytes(&c, 1, &p), DD_ETRUNC);
	/* The child's error does not touch the parent. */
	CHECK(rd_ok(&r));
	CHECK_EQ_INT(rd_u8(&r), 5);

	/* Nested sub-readers and offsets. */
	CHECK_EQ_INT(rd_sub(&r, 4, &c), 0);
	CHECK_EQ_INT(rd_sub(&c, 2, &g), 0);
	CHECK_EQ_INT(rd_off(&g), 506);
	CHECK_EQ_INT(rd_be16(&g), 0x0607);
	CHECK_EQ_INT(rd_u8(&g), 0);
	CHECK(!rd_ok(&g));
	CHECK(rd_ok(&c));
	CHECK_EQ_INT(rd_be16(&c), 0x0809);
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK(rd_ok(&r));

	/* A zero-length child is valid and empty. */
	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_sub(&r, 0, &c), 0);
	CHECK(rd_ok(&c));
	CHECK_EQ_INT(rd_left(&c), 0);
	CHECK_EQ_INT(rd_u8(&c), 0);
	CHECK(!rd_ok(&c));
	CHECK(rd_ok(&r));
}

TEST(rd_sub_overrun)
{
	static const uint8_t b[6] = { 0, 1, 2, 3, 4, 5 };
	struct rd r, c;

	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_skip(&r, 2), 0);
	c.err = 0;
	CHECK_EQ_INT(rd_sub(&r, 5, &c), DD_ETRUNC);
	/* The parent errors too and does not move... */
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_off(&r), 2);
	CHECK_EQ_INT(rd_u8(&r), 0);
	/* ...and the child is empty and errored. */
	CHECK_EQ_INT(c.err, DD_ETRUNC);
	CHECK_EQ_INT(rd_left(&c), 0);
	CHECK_EQ_INT(rd_u8(&c), 0);
	CHECK_EQ_INT(rd_be64(&c), 0);
	CHECK_EQ_INT(rd_skip(&c, 0), DD_ETRUNC);

	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_sub(&r, SIZE_MAX, &c), DD_ETRUNC);
	CHECK(!rd_ok(&c));
	CHECK(!rd_ok(&r));
}

TEST(rd_align)
{
	static const uint8_t b[16] = { 0 };
	struct rd r, c;

	rd_init(&r, b, sizeof(b), 1000);
	CHECK_EQ_INT(rd_align(&r, 4), 0); /* already aligned */
	CHECK_EQ_INT(rd_off(&r), 1000);
	CHECK_EQ_INT(rd_u8(&r), 0);
	CHECK_EQ_INT(rd_align(&r, 4), 0);
	CHECK_EQ_INT(rd_off(&r), 1004);
	CHECK_EQ_INT(rd_align(&r, 4), 0);
	CHECK_EQ_INT(rd_off(&r), 1004);
	CHECK_EQ_INT(rd_skip(&r, 3), 0);
	CHECK_EQ_INT(rd_align(&r, 8), 0);
	CHECK_EQ_INT(rd_off(&r), 1008);
	CHECK_EQ_INT(rd_align(&r, 0), 0);
	CHECK_EQ_INT(rd_align(&r, 1), 0);
	CHECK_EQ_INT(rd_off(&r), 1008);
	CHECK_EQ_INT(rd_skip(&r, 5), 0);
	CHECK_EQ_INT(rd_align(&r, 4), 0); /* to 16 = the end exactly */
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK(rd_ok(&r));

	/* Alignment is relative to the span's start, not the file. */
	rd_init(&r, b, sizeof(b), 0);
	CHECK_EQ_INT(rd_skip(&r, 3), 0);
	CHECK_EQ_INT(rd_sub(&r, 10, &c), 0);
	CHECK_EQ_INT(rd_u8(&c), 0);
	CHECK_EQ_INT(rd_align(&c, 4), 0);
	CHECK_EQ_INT(rd_off(&c), 7);
	CHECK_EQ_INT(rd_left(&c), 6);

	/* Padding past the end is an overrun. */
	rd_init(&r, b, 6, 0);
	CHECK_EQ_INT(rd_skip(&r, 5), 0);
	CHECK_EQ_INT(rd_align(&r, 8), DD_ETRUNC);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
	/* And an errored reader stays errored. */
	CHECK_EQ_INT(rd_align(&r, 1), DD_ETRUNC);
}

TEST(rd_until)
{
	static const char text[] = "ab\ncd\n\nxyz";
	const uint8_t *p;
	size_t len;
	struct rd r;

	rd_init(&r, text, strlen(text), 10);
	CHECK_EQ_INT(rd_until(&r, '\n', &p, &len), 0);
	CHECK_EQ_INT(len, 2);
	CHECK(p == (const uint8_t *)text);
	CHECK_EQ_INT(rd_off(&r), 13); /* the delimiter is consumed */
	CHECK_EQ_INT(rd_until(&r, '\n', &p, &len), 0);
	CHECK_EQ_INT(len, 2);
	CHECK_MEM(p, "cd", 2);
	CHECK_EQ_INT(rd_until(&r, '\n', &p, &len), 0);
	CHECK_EQ_INT(len, 0); /* empty line */
	CHECK(p != NULL);
	CHECK_EQ_INT(rd_off(&r), 17);
	/* No delimiter left: DD_ETRUNC, NULL, nothing consumed. */
	CHECK_EQ_INT(rd_until(&r, '\n', &p, &len), DD_ETRUNC);
	CHECK(p == NULL);
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_INT(rd_off(&r), 17);
	CHECK(!rd_ok(&r));
	/* Sticky. */
	CHECK_EQ_INT(rd_until(&r, 'z', &p, &len), DD_ETRUNC);
	CHECK(p == NULL);

	/* Delimiter as the last byte. */
	rd_init(&r, "k=", 2, 0);
	CHECK_EQ_INT(rd_until(&r, '=', &p, &len), 0);
	CHECK_EQ_INT(len, 1);
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK(rd_ok(&r));
	/* Now the span is empty. */
	CHECK_EQ_INT(rd_until(&r, '=', &p, &len), DD_ETRUNC);

	/* An empty span, with and without a pointer. */
	rd_init(&r, text, 0, 0);
	CHECK_EQ_INT(rd_until(&r, '\n', &p, &len), DD_ETRUNC);
	CHECK(p == NULL);
	CHECK_EQ_INT(len, 0);
	rd_init(&r, NULL, 0, 0);
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK_EQ_INT(rd_until(&r, '\n', &p, &len), DD_ETRUNC);
	CHECK(p == NULL);

	/* A NUL delimiter works on binary input. */
	rd_init(&r, "a\0b", 3, 0);
	CHECK_EQ_INT(rd_until(&r, 0, &p, &len), 0);
	CHECK_EQ_INT(len, 1);
	CHECK_EQ_INT(rd_u8(&r), 'b');
}

TEST(rd_null_span)
{
	struct rd r;
	const uint8_t *p = (const uint8_t *)"x";

	rd_init(&r, NULL, 0, 7);
	CHECK(rd_ok(&r));
	CHECK_EQ_INT(rd_left(&r), 0);
	CHECK_EQ_INT(rd_off(&r), 7);
	CHECK_EQ_INT(rd_bytes(&r, 0, &p), 0);
	CHECK_EQ_INT(rd_u8(&r), 0);
	CHECK_EQ_INT(r.err, DD_ETRUNC);
}
