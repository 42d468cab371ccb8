/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbuf.h: growable string buffer with a cap (git strbuf + curl's toobig).
 *
 * Invariants:
 * - buf is never NULL and always NUL-terminated (it may contain NULs);
 * - alloc is private;
 * - an append that would make len exceed max returns DD_ELIMIT and leaves
 *   the content unchanged. Every sbuf fed from evidence gets a real cap.
 * Memory is owned by the sbuf; sbuf_detach() hands it to the caller.
 */
#ifndef CORE_SBUF_H
#define CORE_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct sbuf {
	char *buf;    /* content, NUL-terminated */
	size_t len;   /* bytes of content */
	size_t alloc; /* private: bytes allocated, 0 when buf is static */
	size_t max;   /* cap on len */
};

/* Default cap for buffers not fed from evidence. */
#define SBUF_MAX_DEFAULT ((size_t)1 << 30)

extern char sbuf_empty[];
#define SBUF_INIT { sbuf_empty, 0, 0, SBUF_MAX_DEFAULT }

void sbuf_init(struct sbuf *sb, size_t max);
/* Make room for n more bytes; DD_ELIMIT past the cap. */
int sbuf_grow(struct sbuf *sb, size_t n);
/* Out-of-line appends (the inline ones below call them when the buffer
 * must grow). */
int sbuf_add_slow(struct sbuf *sb, const void *p, size_t n);
int sbuf_add_uvarint_slow(struct sbuf *sb, uint64_t v);
int sbuf_addstr(struct sbuf *sb, const char *s);
/* v in decimal (what %" PRId64 " prints, without printf's cost). */
int sbuf_add_i64(struct sbuf *sb, int64_t v);
int sbuf_addf(struct sbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* True when n more bytes (and the NUL) fit without growing. */
static inline int
sbuf_fits(const struct sbuf *sb, size_t n)
{
	return n < sb->alloc - sb->len && sb->len + n <= sb->max;
}

static inline int
sbuf_add(struct sbuf *sb, const void *p, size_t n)
{
	if (!sbuf_fits(sb, n) || n == 0)
		return sbuf_add_slow(sb, p, n);
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

static inline int
sbuf_addch(struct sbuf *sb, int c)
{
	if (!sbuf_fits(sb, 1)) {
		char ch = (char)c;
		return sbuf_add_slow(sb, &ch, 1);
	}
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
	return 0;
}

/* Append an unsigned LEB128 varint / a zigzag signed varint. */
static inline int
sbuf_add_uvarint(struct sbuf *sb, uint64_t v)
{
	uint8_t *o;

	if (!sbuf_fits(sb, 10))
		return sbuf_add_uvarint_slow(sb, v);
	o = (uint8_t *)sb->buf + sb->len;
	while (v >= 0x80) {
		*o++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*o++ = (uint8_t)v;
	sb->len = (size_t)((char *)o - sb->buf);
	sb->buf[sb->len] = '\0';
	return 0;
}

static inline int
sbuf_add_svarint(struct sbuf *sb, int64_t v)
{
	return sbuf_add_uvarint(sb, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}
/* len = 0, memory kept. */
void sbuf_reset(struct sbuf *sb);
/* Free the memory; back to SBUF_INIT with the same cap. */
void sbuf_release(struct sbuf *sb);
/* Hand the buffer to the caller (owned, free()); sb is reset. */
char *sbuf_detach(struct sbuf *sb, size_t *len);

#endif
