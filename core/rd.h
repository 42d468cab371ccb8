/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rd.h: the bounded reader every evidence byte passes through.
 *
 * A struct rd is a cursor over a span [p, end) with a sticky error and the
 * span's absolute offset in the file (for anomaly messages). After the first
 * failure every getter returns 0 and moves nothing, so a parser reads a
 * whole record and checks rd_ok() once (tcpdump's GET_* macros without the
 * longjmp).
 *
 * Invariants:
 * - bounds are tested only here, as n <= (size_t)(end - p);
 * - a reader never reads outside the span it was given;
 * - pointers returned by rd_bytes() borrow the span's memory.
 */
#ifndef CORE_RD_H
#define CORE_RD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/dderr.h"

struct rd {
	const uint8_t *start; /* first byte of the span */
	const uint8_t *p;     /* cursor */
	const uint8_t *end;   /* one past the last byte */
	uint64_t base;	      /* absolute file offset of start */
	int err;	      /* 0 or the first DD_E* recorded */
};

void rd_init(struct rd *r, const void *ptr, size_t len, uint64_t base);
/* Borrow the next n bytes; on overrun *ptr = NULL and DD_ETRUNC is set.
 * Returns 0 or the sticky error. */
int rd_bytes(struct rd *r, size_t n, const uint8_t **ptr);
/* Copy the next n bytes into dst (caller-sized); zero-fills on overrun. */
int rd_copy(struct rd *r, void *dst, size_t n);
int rd_skip(struct rd *r, size_t n);
/* Skip to the next multiple of k bytes from the span's start. */
int rd_align(struct rd *r, size_t k);
/* A child confined to the next n bytes; the parent advances by n. On
 * overrun the child is empty and errored, and the parent errors too. */
int rd_sub(struct rd *r, size_t n, struct rd *child);
/* Borrow bytes up to (not including) the delimiter, which is consumed.
 * Without a delimiter in the span, DD_ETRUNC is set. */
int rd_until(struct rd *r, uint8_t delim, const uint8_t **ptr, size_t *len);
/* An unsigned LEB128 varint (at most 10 bytes, value fits 64 bits);
 * DD_EFORMAT on an overlong encoding. */
uint64_t rd_uvarint(struct rd *r);
/* A zigzag-encoded signed varint. */
int64_t rd_svarint(struct rd *r);
/* Record a semantic error (bad magic, impossible value); sticky. */
int rd_fail(struct rd *r, int code);

static inline size_t
rd_left(const struct rd *r)
{
	return r->err ? 0 : (size_t)(r->end - r->p);
}

static inline uint64_t
rd_off(const struct rd *r)
{
	return r->base + (uint64_t)(r->p - r->start);
}

static inline bool
rd_ok(const struct rd *r)
{
	return r->err == 0;
}

/* Fixed-size getters, inline: importers call them per field. The error
 * code is DD_ETRUNC. */
static inline bool
rd_have(struct rd *r, size_t n)
{
	if (r->err)
		return false;
	if (n <= (size_t)(r->end - r->p))
		return true;
	r->err = DD_ETRUNC;
	return false;
}

static inline uint8_t
rd_u8(struct rd *r)
{
	if (!rd_have(r, 1))
		return 0;
	return *r->p++;
}

#define RD_GET(name, type, n, expr)                \
	static inline type name(struct rd *r)                    \
	{                                          \
		const uint8_t *b;                  \
		if (!rd_have(r, n))                \
			return 0;                  \
		b = r->p;                          \
		r->p += n;                         \
		return (type)(expr);               \
	}

RD_GET(rd_be16, uint16_t, 2, ((uint16_t)b[0] << 8) | b[1])
RD_GET(rd_le16, uint16_t, 2, ((uint16_t)b[1] << 8) | b[0])
RD_GET(rd_be32, uint32_t, 4,
    ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) |
	b[3])
RD_GET(rd_le32, uint32_t, 4,
    ((uint32_t)b[3] << 24) | ((uint32_t)b[2] << 16) | ((uint32_t)b[1] << 8) |
	b[0])
RD_GET(rd_be64, uint64_t, 8,
    ((uint64_t)b[0] << 56) | ((uint64_t)b[1] << 48) | ((uint64_t)b[2] << 40) |
	((uint64_t)b[3] << 32) | ((uint64_t)b[4] << 24) |
	((uint64_t)b[5] << 16) | ((uint64_t)b[6] << 8) | b[7])
RD_GET(rd_le64, uint64_t, 8,
    ((uint64_t)b[7] << 56) | ((uint64_t)b[6] << 48) | ((uint64_t)b[5] << 40) |
	((uint64_t)b[4] << 32) | ((uint64_t)b[3] << 24) |
	((uint64_t)b[2] << 16) | ((uint64_t)b[1] << 8) | b[0])

#undef RD_GET

#endif
