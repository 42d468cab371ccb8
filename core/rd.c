/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rd.c: bounded reader; see rd.h. rd.h (the inline fixed-size getters) and
 * this file are the only places where input bounds are compared (CERT
 * VU#162289: write n <= end - p, never p + n <= end).
 */
#include "core/common.h"
#include "core/rd.h"

#include "core/dderr.h"

void
rd_init(struct rd *r, const void *ptr, size_t len, uint64_t base)
{
	r->start = ptr;
	r->p = ptr;
	r->end = ptr ? (const uint8_t *)ptr + len : NULL;
	r->base = base;
	r->err = 0;
}

int
rd_fail(struct rd *r, int code)
{
	if (r->err == 0)
		r->err = code;
	return r->err;
}

int
rd_bytes(struct rd *r, size_t n, const uint8_t **ptr)
{
	if (!rd_have(r, n)) {
		*ptr = NULL;
		return r->err;
	}
	*ptr = r->p;
	r->p += n;
	return 0;
}

int
rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *p;

	if (rd_bytes(r, n, &p) != 0) {
		if (n)
			memset(dst, 0, n);
		return r->err;
	}
	if (n)
		memcpy(dst, p, n);
	return 0;
}

int
rd_skip(struct rd *r, size_t n)
{
	if (!rd_have(r, n))
		return r->err;
	r->p += n;
	return 0;
}

int
rd_align(struct rd *r, size_t k)
{
	size_t pos, pad;

	if (r->err)
		return r->err;
	if (k <= 1)
		return 0;
	pos = (size_t)(r->p - r->start);
	pad = (k - pos % k) % k;
	return rd_skip(r, pad);
}

int
rd_sub(struct rd *r, size_t n, struct rd *child)
{
	if (!rd_have(r, n)) {
		rd_init(child, NULL, 0, rd_off(r));
		child->err = DD_ETRUNC;
		return r->err;
	}
	rd_init(child, r->p, n, rd_off(r));
	r->p += n;
	return 0;
}

uint64_t
rd_uvarint(struct rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b;

	do {
		if (shift >= 64) {
			rd_fail(r, DD_EFORMAT);
			return 0;
		}
		b = rd_u8(r);
		if (!rd_ok(r))
			return 0;
		if (shift == 63 && (b & 0x7e) != 0) {
			rd_fail(r, DD_EFORMAT);
			return 0;
		}
		v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	return v;
}

int64_t
rd_svarint(struct rd *r)
{
	uint64_t u = rd_uvarint(r);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

int
rd_until(struct rd *r, uint8_t delim, const uint8_t **ptr, size_t *len)
{
	const uint8_t *q;

	*ptr = NULL;
	*len = 0;
	if (r->err)
		return r->err;
	if (r->p == r->end)
		return rd_fail(r, DD_ETRUNC);
	q = memchr(r->p, delim, (size_t)(r->end - r->p));
	if (q == NULL)
		return rd_fail(r, DD_ETRUNC);
	*ptr = r->p;
	*len = (size_t)(q - r->p);
	r->p = q + 1;
	return 0;
}
