/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-rd.c: the bounded reader (core/rd.h) against a model of itself.
 *
 * The input is a little program:
 *
 *   u8 nops          number of opcode bytes that follow (clamped)
 *   u8 basesel       selects the span's absolute base offset
 *   u8 ops[nops]     the program
 *   ...              the span the program reads (copied to its own heap
 *                    block, so a read on either side hits a redzone)
 *
 * Each opcode byte is (arg << 4 | op). Ops taking a length use arg, or, when
 * arg is 15, the next opcode byte (consumed as an operand) times 17 so
 * lengths past the span and near it are both reachable. rd_sub pushes the
 * child reader on a stack (depth 8) and later ops work on the child until
 * a pop.
 *
 * Next to every struct rd the harness keeps a model (position, length,
 * sticky error) computed only from the program, and after each op traps
 * unless the reader agrees with it: values read, pointers borrowed,
 * rd_left() (never more than the span, 0 after an error), rd_off() (within
 * base..base+len), rd_ok(), and getters returning 0 once errored.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/rd.h"
#include "tests/fuzz/fz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_RD_DEPTH 8

/* rd_until delimiters for arg 0..14; arg 15 takes the next byte. */
static const uint8_t fz_delims[16] = { '\n', 0, ' ', ',', '=', '\r', ':',
	'"', '(', ')', '\t', '/', 0xff, 'a', '}', 0 };

enum {
	OP_U8,
	OP_BE16,
	OP_BE32,
	OP_BE64,
	OP_LE16,
	OP_LE32,
	OP_LE64,
	OP_BYTES,
	OP_COPY,
	OP_SKIP,
	OP_ALIGN,
	OP_SUB,
	OP_POP,
	OP_UNTIL,
	OP_FAIL,
	OP_QUERY,
};

struct fz_model {
	struct rd r;
	const uint8_t *span; /* what the reader was given */
	size_t len;
	size_t pos;	     /* model cursor */
	uint64_t base;
	int err;	     /* model sticky error */
};

static void
fz_check(const struct fz_model *m)
{
	const struct rd *r = &m->r;

	CHECK(m->pos <= m->len);
	CHECK(r->err == m->err);
	CHECK(rd_ok(r) == (m->err == 0));
	CHECK(rd_left(r) <= m->len);
	CHECK(rd_left(r) == (m->err ? 0 : m->len - m->pos));
	CHECK(rd_off(r) >= m->base && rd_off(r) <= m->base + m->len);
	CHECK(rd_off(r) == m->base + m->pos);
	CHECK(r->start == m->span);
	if (m->span != NULL)
		CHECK(r->end == m->span + m->len);
}

/* Model a read of n bytes: true when it succeeds (and advances). */
static bool
fz_take(struct fz_model *m, size_t n)
{
	if (m->err)
		return false;
	if (n > m->len - m->pos) {
		m->err = DD_ETRUNC;
		return false;
	}
	m->pos += n;
	return true;
}

static uint64_t
fz_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static uint64_t
fz_le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

/* A fixed-width getter: compare with the model's value. */
static void
fz_get(struct fz_model *m, int op)
{
	static const size_t width[] = { 1, 2, 4, 8, 2, 4, 8 };
	size_t w = width[op], at = m->pos;
	uint64_t got = 0, want = 0;
	bool ok = fz_take(m, w);

	switch (op) {
	case OP_U8: got = rd_u8(&m->r); break;
	case OP_BE16: got = rd_be16(&m->r); break;
	case OP_BE32: got = rd_be32(&m->r); break;
	case OP_BE64: got = rd_be64(&m->r); break;
	case OP_LE16: got = rd_le16(&m->r); break;
	case OP_LE32: got = rd_le32(&m->r); break;
	case OP_LE64: got = rd_le64(&m->r); break;
	default: __builtin_trap();
	}
	if (ok)
		want = op >= OP_LE16 ? fz_le(m->span + at, w) :
				       fz_be(m->span + at, w);
	CHECK(got == want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_model st[FZ_RD_DEPTH];
	const uint8_t *ops, *p;
	uint8_t *span, *tmp;
	size_t nops, len, i, n, depth = 0, plen;
	uint64_t base;

	if (size < 2)
		return 0;
	nops = MIN((size_t)data[0], size - 2);
	switch (data[1] & 3) {
	case 0: base = 0; break;
	case 1: base = data[1]; break;
	case 2: base = (uint64_t)data[1] << 32; break;
	default: base = UINT64_MAX / 2 + data[1]; break;
	}
	ops = data + 2;
	len = size - 2 - nops;
	span = malloc(len ? len : 1);
	if (span == NULL)
		abort();
	if (len)
		memcpy(span, data + 2 + nops, len);

	memset(st, 0, sizeof(st));
	rd_init(&st[0].r, span, len, base);
	st[0].span = span;
	st[0].len = len;
	st[0].base = base;
	fz_check(&st[0]);

	for (i = 0; i < nops; i++) {
		struct fz_model *m = &st[depth];
		int op = ops[i] & 15;
		size_t arg = ops[i] >> 4;
		int rc;

		/* Length operands: 0..14 inline, or the next byte times 17. */
		if (arg == 15 && op != OP_UNTIL && i + 1 < nops)
			arg = (size_t)ops[++i] * 17;
		switch (op) {
		case OP_U8: case OP_BE16: case OP_BE32: case OP_BE64:
		case OP_LE16: case OP_LE32: case OP_LE64:
			fz_get(m, op);
			break;
		case OP_BYTES: {
			size_t at = m->pos;
			bool ok = fz_take(m, arg);

			p = (const uint8_t *)"junk";
			rc = rd_bytes(&m->r, arg, &p);
			CHECK(rc == (ok ? 0 : m->err));
			CHECK(ok ? p == m->span + at : p == NULL);
			break;
		}
		case OP_COPY: {
			size_t at = m->pos;
			bool ok = fz_take(m, arg);

			/* Exactly arg bytes, so an overlong copy hits the
			 * redzone. */
			tmp = malloc(arg ? arg : 1);
			if (tmp == NULL)
				abort();
			memset(tmp, 0xa5, arg);
			rc = rd_copy(&m->r, tmp, arg);
			CHECK(rc == (ok ? 0 : m->err));
			for (n = 0; n < arg; n++)
				CHECK(tmp[n] == (ok ? m->span[at + n] : 0));
			free(tmp);
			break;
		}
		case OP_SKIP: {
			bool ok = fz_take(m, arg);

			rc = rd_skip(&m->r, arg);
			CHECK(rc == (ok ? 0 : m->err));
			break;
		}
		case OP_ALIGN: {
			int err0 = m->err;
			bool ok = true;

			if (!err0 && arg > 1)
				ok = fz_take(m, (arg - m->pos % arg) % arg);
			rc = rd_align(&m->r, arg);
			if (err0)
				CHECK(rc == err0);
			else
				CHECK(rc == (ok ? 0 : DD_ETRUNC));
			if (!m->err && arg > 1)
				CHECK(m->pos % arg == 0);
			break;
		}
		case OP_SUB: {
			struct fz_model child;
			size_t at = m->pos;
			uint64_t off = m->base + m->pos;
			bool ok = fz_take(m, arg);

			memset(&child, 0, sizeof(child));
			rc = rd_sub(&m->r, arg, &child.r);
			CHECK(rc == (ok ? 0 : m->err));
			child.base = off;
			if (ok) {
				child.span = m->span + at;
				child.len = arg;
			} else {
				child.span = NULL;
				child.len = 0;
				child.err = DD_ETRUNC;
			}
			fz_check(m);
			fz_check(&child);
			if (depth + 1 < FZ_RD_DEPTH)
				st[++depth] = child;
			break;
		}
		case OP_POP:
			if (depth > 0)
				depth--;
			break;
		case OP_UNTIL: {
			const uint8_t *q = NULL;
			size_t at = m->pos, qlen = 1234, want = 0;
			uint8_t delim;
			bool ok = false;

			if (arg == 15 && i + 1 < nops)
				delim = ops[++i];
			else
				delim = fz_delims[arg];
			if (!m->err) {
				const uint8_t *hit = NULL;
				if (m->pos < m->len)
					hit = memchr(m->span + m->pos, delim,
					    m->len - m->pos);
				if (hit == NULL) {
					m->err = DD_ETRUNC;
				} else {
					ok = true;
					want = (size_t)(hit - (m->span + m->pos));
					m->pos += want + 1;
				}
			}
			rc = rd_until(&m->r, delim, &q, &qlen);
			CHECK(rc == (ok ? 0 : m->err));
			if (ok) {
				CHECK(q == m->span + at && qlen == want);
				CHECK(memchr(q, delim, qlen) == NULL);
			} else {
				CHECK(q == NULL && qlen == 0);
			}
			break;
		}
		case OP_FAIL: {
			int code = -(int)(arg % 11);

			if (m->err == 0)
				m->err = code;
			rc = rd_fail(&m->r, code);
			CHECK(rc == m->err);
			break;
		}
		case OP_QUERY:
			/* Re-reading queries must not move anything. */
			plen = rd_left(&m->r);
			CHECK(rd_left(&m->r) == plen);
			CHECK(rd_off(&m->r) == m->base + m->pos);
			break;
		default:
			__builtin_trap();
		}
		fz_check(&st[depth]);
		/* After an error every getter returns 0 and nothing moves. */
		if (st[depth].err) {
			struct rd save = st[depth].r;
			CHECK(rd_u8(&st[depth].r) == 0);
			CHECK(rd_le64(&st[depth].r) == 0);
			CHECK(rd_be32(&st[depth].r) == 0);
			CHECK(memcmp(&save, &st[depth].r, sizeof(save)) == 0);
		}
	}
	/* Parents stay consistent while children were used. */
	for (i = 0; i <= depth; i++)
		fz_check(&st[i]);
	free(span);
	return 0;
}
