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

struct rd {
	const uint8_t *start; /* first byte of the span */
	const uint8_t *p;     /* cursor */
	const uint8_t *end;   /* one past the last byte */
	uint64_t base;	      /* absolute file offset of start */
	int err;	      /* 0 or the first DD_E* recorded */
};

void rd_init(struct rd *r, const void *ptr, size_t len, uint64_t base);
uint8_t rd_u8(struct rd *r);
uint16_t rd_be16(struct rd *r);
uint32_t rd_be32(struct rd *r);
uint64_t rd_be64(struct rd *r);
uint16_t rd_le16(struct rd *r);
uint32_t rd_le32(struct rd *r);
uint64_t rd_le64(struct rd *r);
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

#endif
