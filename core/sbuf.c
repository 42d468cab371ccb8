/* SPDX-License-Identifier: Apache-2.0 */
/* sbuf.c: capped string buffer; see sbuf.h. */
#include "core/common.h"
#include "core/sbuf.h"

#include "core/dderr.h"
#include "core/xmalloc.h"

char sbuf_empty[1];

void
sbuf_init(struct sbuf *sb, size_t max)
{
	sb->buf = sbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max;
}

int
sbuf_grow(struct sbuf *sb, size_t n)
{
	size_t need, na;

	if (ckd_add(&need, sb->len, n) || need > sb->max)
		return DD_ELIMIT;
	if (need + 1 <= sb->alloc)
		return 0;
	na = sb->alloc ? sb->alloc : 64;
	while (na < need + 1) {
		if (ckd_mul(&na, na, 2)) {
			na = need + 1;
			break;
		}
	}
	if (sb->alloc == 0) {
		sb->buf = xmalloc(na);
		sb->buf[0] = '\0';
	} else {
		sb->buf = xrealloc(sb->buf, na);
	}
	sb->alloc = na;
	return 0;
}

int
sbuf_add_slow(struct sbuf *sb, const void *p, size_t n)
{
	int rc;

	if (n == 0)
		return 0;
	if ((rc = sbuf_grow(sb, n)) < 0)
		return rc;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int
sbuf_addstr(struct sbuf *sb, const char *s)
{
	return sbuf_add(sb, s, strlen(s));
}

int
sbuf_add_i64(struct sbuf *sb, int64_t v)
{
	char d[24], *o = d + sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--o = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--o = '-';
	return sbuf_add(sb, o, (size_t)(d + sizeof(d) - o));
}

int
sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return DD_EINTERNAL;
	if ((rc = sbuf_grow(sb, (size_t)n)) < 0)
		return rc;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int
sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return rc;
}

int
sbuf_add_uvarint_slow(struct sbuf *sb, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	return sbuf_add(sb, b, n);
}

void
sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

void
sbuf_release(struct sbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbuf_init(sb, sb->max);
}

char *
sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *p;

	if (sb->alloc == 0) {
		p = xmalloc(1);
		p[0] = '\0';
	} else {
		p = sb->buf;
	}
	if (len)
		*len = sb->len;
	sbuf_init(sb, sb->max);
	return p;
}
