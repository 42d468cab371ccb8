/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tarwalk.c: the streaming tar reader of tarwalk.h.
 *
 * Header layout (POSIX.1-1988 ustar; GNU and pax extensions):
 *   0 name[100] 100 mode[8] 108 uid[8] 116 gid[8] 124 size[12]
 *   136 mtime[12] 148 chksum[8] 156 typeflag 157 linkname[100]
 *   257 magic[6] 263 version[2] 265 uname[32] 297 gname[32]
 *   329 devmajor[8] 337 devminor[8] 345 prefix[155]
 */
#include "core/common.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"
#include "ingest/tarwalk.h"

#define BLK 512u

struct tarw {
	ingest_read_fn fn;
	void *user;
	const char *what;
	uint8_t *buf;
	size_t start, end;   /* unread bytes: buf[start..end) */
	uint64_t pos;	     /* stream offset of buf[start] */
	bool eof;
	bool exact;	     /* read no further than needed */
	bool ended;	     /* end-of-archive block seen */
	uint64_t left;	     /* data bytes of the current entry unread */
	uint64_t pad;	     /* padding after them */
	struct sbuf name, link, gname, glink, paxpath, paxlink, rec;
	struct tarw_xattr xa[TARW_XATTR_MAX];
	size_t nxa;
};

struct tarw *
tarw_new(ingest_read_fn fn, void *user, const char *what)
{
	struct tarw *t = xcalloc(1, sizeof(*t));

	t->fn = fn;
	t->user = user;
	t->what = what;
	t->buf = xmalloc(TARW_BUF);
	sbuf_init(&t->name, 256);
	sbuf_init(&t->link, 128);
	sbuf_init(&t->gname, 2 * TARW_NAME_MAX + 2);
	sbuf_init(&t->glink, 2 * TARW_NAME_MAX + 2);
	sbuf_init(&t->paxpath, 2 * TARW_NAME_MAX + 2);
	sbuf_init(&t->paxlink, 2 * TARW_NAME_MAX + 2);
	sbuf_init(&t->rec, TARW_PAX_MAX);
	return t;
}

static void
tarw_xattr_clear(struct tarw *t)
{
	for (size_t i = 0; i < t->nxa; i++) {
		free(t->xa[i].name);
		free(t->xa[i].value);
	}
	t->nxa = 0;
}

void
tarw_free(struct tarw *t)
{
	if (t == NULL)
		return;
	tarw_xattr_clear(t);
	sbuf_release(&t->name);
	sbuf_release(&t->link);
	sbuf_release(&t->gname);
	sbuf_release(&t->glink);
	sbuf_release(&t->paxpath);
	sbuf_release(&t->paxlink);
	sbuf_release(&t->rec);
	free(t->buf);
	free(t);
}

void
tarw_set_exact(struct tarw *t, bool exact)
{
	t->exact = exact;
}

uint64_t
tarw_offset(const struct tarw *t)
{
	return t->pos;
}

/* Make at least need (<= TARW_BUF) bytes available unless the stream
 * ends first. */
static int
tarw_fill(struct tarw *t, size_t need, struct dd_err *e)
{
	size_t got;
	int rc;

	if (t->end - t->start >= need || t->eof)
		return 0;
	if (t->start > 0) {
		memmove(t->buf, t->buf + t->start, t->end - t->start);
		t->end -= t->start;
		t->start = 0;
	}
	while (t->end < need && !t->eof) {
		size_t want = t->exact ? need - t->end : TARW_BUF - t->end;
		if ((rc = t->fn(t->user, t->buf + t->end, want, &got, e)) < 0)
			return rc;
		if (got == 0)
			t->eof = true;
		t->end += got;
	}
	return 0;
}

static void
tarw_consume(struct tarw *t, size_t n)
{
	t->start += n;
	t->pos += n;
}

/* Skip n bytes of the stream (read through fn: the owner hashes them). */
static int
tarw_skip(struct tarw *t, uint64_t n, const char *part, struct dd_err *e)
{
	int rc;

	while (n > 0) {
		size_t avail = t->end - t->start, k;
		if (avail == 0) {
			if ((rc = tarw_fill(t, t->exact ?
				 (size_t)MIN((uint64_t)TARW_BUF, n) : 1, e)) <
			    0)
				return rc;
			avail = t->end - t->start;
			if (avail == 0)
				return dd_err_set(e, DD_ETRUNC,
				    "%s: truncated in %s at offset %" PRIu64,
				    t->what, part, t->pos);
		}
		k = (size_t)MIN((uint64_t)avail, n);
		tarw_consume(t, k);
		n -= k;
	}
	return 0;
}

static bool
tarw_checksum_ok(const uint8_t *h)
{
	uint64_t want = 0, us = 0;
	int64_t ss = 0;
	size_t i = 148;
	bool digits = false;

	while (i < 156 && h[i] == ' ')
		i++;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++) {
		want = want * 8 + (uint64_t)(h[i] - '0');
		digits = true;
	}
	if (!digits)
		return false;
	for (i = 0; i < BLK; i++) {
		uint8_t c = (i >= 148 && i < 156) ? ' ' : h[i];
		us += c;
		ss += (int8_t)c;
	}
	return want == us || (int64_t)want == ss;
}

bool
tarw_is_tar(const uint8_t *head, size_t n)
{
	if (n < BLK)
		return false;
	for (size_t i = 0; i < BLK; i++)
		if (head[i] != 0)
			return tarw_checksum_ok(head);
	return false;
}

/* A numeric field: octal (space/NUL padded) or GNU base-256. */
static bool
tarw_num(const uint8_t *f, size_t len, bool sign_ok, int64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (len > 0 && (f[0] & 0x80)) {
		bool neg = (f[0] & 0x40) != 0;
		if (neg && !sign_ok)
			return false;
		v = f[0] & 0x3f;
		for (i = 1; i < len; i++) {
			if (v > (UINT64_MAX >> 8))
				return false;
			v = (v << 8) | f[i];
		}
		if (neg) {
			/* Two's complement over len bytes: only small
			 * negatives (mtime before 1970) are accepted. */
			uint64_t top = len >= 8 ? 0 : (1ull << (8 * len));
			if (top == 0 || v < (top >> 2))
				return false;
			*out = (int64_t)v - (int64_t)top;
			return true;
		}
		if (v > (uint64_t)INT64_MAX)
			return false;
		*out = (int64_t)v;
		return true;
	}
	while (i < len && f[i] == ' ')
		i++;
	if (i == len || f[i] == 0) {
		*out = 0;
		return true;
	}
	for (; i < len && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v > (UINT64_MAX >> 3))
			return false;
		v = v * 8 + (uint64_t)(f[i] - '0');
	}
	for (; i < len; i++)
		if (f[i] != ' ' && f[i] != 0)
			return false;
	if (v > (uint64_t)INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

static void
tarw_setstr(struct sbuf *sb, const uint8_t *p, size_t len, bool *cut)
{
	size_t n = strnlen((const char *)p, len);

	if (n > TARW_NAME_MAX) {
		n = TARW_NAME_MAX;
		*cut = true;
	}
	sbuf_reset(sb);
	sbuf_add(sb, p, n);
}

/* Read the data of a pax or GNU header entry (size bytes) into t->rec. */
static int
tarw_slurp(struct tarw *t, uint64_t size, uint64_t at, struct dd_err *e)
{
	uint64_t pad = (BLK - size % BLK) % BLK;
	int rc;

	if (size > TARW_PAX_MAX)
		return dd_err_set(e, DD_ELIMIT,
		    "%s: extended header of %" PRIu64
		    " bytes at offset %" PRIu64 " (limit %u)",
		    t->what, size, at, TARW_PAX_MAX);
	sbuf_reset(&t->rec);
	while (size > 0) {
		size_t avail, k;
		if ((rc = tarw_fill(t, t->exact ? (size_t)MIN((uint64_t)TARW_BUF,
			 size) : 1, e)) < 0)
			return rc;
		avail = t->end - t->start;
		if (avail == 0)
			return dd_err_set(e, DD_ETRUNC,
			    "%s: truncated in an extended header at offset "
			    "%" PRIu64, t->what, t->pos);
		k = (size_t)MIN((uint64_t)avail, size);
		sbuf_add(&t->rec, t->buf + t->start, k);
		tarw_consume(t, k);
		size -= k;
	}
	return tarw_skip(t, pad, "padding", e);
}

struct pax_vals {
	bool has_size, has_uid, has_gid, has_mtime;
	int64_t size, uid, gid, mtime_ns;
};

static bool
pax_decimal(const char *v, size_t n, int64_t *out)
{
	int64_t x = 0;
	size_t i = 0;

	if (n == 0)
		return false;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		if (x > (INT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (v[i] - '0');
	}
	*out = x;
	return true;
}

/* "SECONDS[.FRACTION]", possibly negative. */
static bool
pax_time(const char *v, size_t n, int64_t *ns)
{
	size_t i = 0, dot;
	bool neg = false;
	int64_t sec, frac = 0, scale = 100000000;

	if (n > 0 && v[0] == '-') {
		neg = true;
		i = 1;
	}
	for (dot = i; dot < n && v[dot] != '.'; dot++)
		;
	if (!pax_decimal(v + i, dot - i, &sec) || sec > INT64_MAX / 1000000000)
		return false;
	for (size_t j = dot + 1; j < n; j++) {
		if (v[j] < '0' || v[j] > '9')
			return false;
		if (scale > 0) {
			frac += (v[j] - '0') * scale;
			scale /= 10;
		}
	}
	*ns = sec * 1000000000 + frac;
	if (neg)
		*ns = -*ns;
	return true;
}

/* Parse t->rec as pax records into pv (and the path/link/xattr
 * buffers). A malformed record is DD_EFORMAT. */
static int
tarw_pax(struct tarw *t, struct pax_vals *pv, bool global, uint64_t at,
    bool *cut, struct dd_err *e)
{
	const char *p = t->rec.buf, *end = p + t->rec.len;

	while (p < end) {
		const char *q = p, *key, *eq, *val, *rend;
		uint64_t len = 0;
		size_t vn;

		while (q < end && *q >= '0' && *q <= '9' && len < TARW_PAX_MAX)
			len = len * 10 + (uint64_t)(*q++ - '0');
		if (*p == '\0' && len == 0)
			break; /* NUL padding some writers leave */
		if (q == p || q >= end || *q != ' ' || len <= (uint64_t)(q - p) ||
		    len > (uint64_t)(end - p) || p[len - 1] != '\n')
			return dd_err_set(e, DD_EFORMAT,
			    "%s: malformed pax record in the header at offset "
			    "%" PRIu64, t->what, at);
		key = q + 1;
		rend = p + len - 1;
		eq = memchr(key, '=', (size_t)(rend - key));
		if (eq == NULL)
			return dd_err_set(e, DD_EFORMAT,
			    "%s: pax record without '=' in the header at "
			    "offset %" PRIu64, t->what, at);
		val = eq + 1;
		vn = (size_t)(rend - val);
#define KEY(s) ((size_t)(eq - key) == sizeof(s) - 1 && \
		memcmp(key, s, sizeof(s) - 1) == 0)
		if (global) {
			/* Global records are noted but not applied: image
			 * layers carry none that matter here. */
		} else if (KEY("path")) {
			tarw_setstr(&t->paxpath, (const uint8_t *)val, vn, cut);
		} else if (KEY("linkpath")) {
			tarw_setstr(&t->paxlink, (const uint8_t *)val, vn, cut);
		} else if (KEY("size")) {
			pv->has_size = pax_decimal(val, vn, &pv->size);
		} else if (KEY("uid")) {
			pv->has_uid = pax_decimal(val, vn, &pv->uid);
		} else if (KEY("gid")) {
			pv->has_gid = pax_decimal(val, vn, &pv->gid);
		} else if (KEY("mtime")) {
			pv->has_mtime = pax_time(val, vn, &pv->mtime_ns);
		} else if ((size_t)(eq - key) > 13 &&
		    memcmp(key, "SCHILY.xattr.", 13) == 0 &&
		    t->nxa < TARW_XATTR_MAX) {
			struct tarw_xattr *x = &t->xa[t->nxa++];
			x->name = xstrndup(key + 13, (size_t)(eq - key) - 13);
			x->value = xmalloc(vn + 1);
			memcpy(x->value, val, vn);
			x->value[vn] = 0;
			x->len = vn;
		}
#undef KEY
		p += len;
	}
	return 0;
}

int
tarw_next(struct tarw *t, struct tarw_entry *ent, struct dd_err *e)
{
	struct pax_vals pv;
	bool have_gname = false, have_glink = false, have_pax = false;
	bool cut = false;
	uint64_t first = 0;
	int rc;

	if (t->ended)
		return 0;
	if ((rc = tarw_skip(t, t->left, "an entry's data", e)) < 0 ||
	    (rc = tarw_skip(t, t->pad, "padding", e)) < 0)
		return rc;
	t->left = t->pad = 0;
	memset(&pv, 0, sizeof(pv));
	sbuf_reset(&t->paxpath);
	sbuf_reset(&t->paxlink);
	tarw_xattr_clear(t);
	for (;;) {
		const uint8_t *h;
		uint64_t at = t->pos;
		int64_t size;
		size_t i;
		int type;

		if ((rc = tarw_fill(t, BLK, e)) < 0)
			return rc;
		if (t->end - t->start == 0 && !have_pax && !have_gname &&
		    !have_glink) {
			t->ended = true; /* no end blocks: umoci layers */
			return 0;
		}
		if (t->end - t->start < BLK)
			return dd_err_set(e, DD_ETRUNC,
			    "%s: truncated in a header at offset %" PRIu64,
			    t->what, at);
		h = t->buf + t->start;
		for (i = 0; i < BLK && h[i] == 0; i++)
			;
		if (i == BLK) {
			tarw_consume(t, BLK);
			t->ended = true;
			return 0;
		}
		if (!tarw_checksum_ok(h))
			return dd_err_set(e, DD_EFORMAT,
			    "%s: %s at offset %" PRIu64, t->what,
			    at == 0 ? "not a tar archive (no valid header)" :
				      "bad tar header checksum",
			    at);
		if (!have_pax && !have_gname && !have_glink)
			first = at;
		type = h[156];
		if (!tarw_num(h + 124, 12, false, &size))
			return dd_err_set(e, DD_EFORMAT,
			    "%s: bad size field in the header at offset "
			    "%" PRIu64, t->what, at);
		tarw_consume(t, BLK);
		if (type == 'x' || type == 'X' || type == 'g') {
			if ((rc = tarw_slurp(t, (uint64_t)size, at, e)) < 0 ||
			    (rc = tarw_pax(t, &pv, type == 'g', at, &cut, e)) <
				0)
				return rc;
			have_pax = have_pax || type != 'g';
			continue;
		}
		if (type == 'L' || type == 'K') {
			struct sbuf *dst = type == 'L' ? &t->gname : &t->glink;
			if ((rc = tarw_slurp(t, (uint64_t)size, at, e)) < 0)
				return rc;
			tarw_setstr(dst, (const uint8_t *)t->rec.buf,
			    t->rec.len, &cut);
			if (type == 'L')
				have_gname = true;
			else
				have_glink = true;
			continue;
		}

		/* A real entry. */
		memset(ent, 0, sizeof(*ent));
		ent->type = type == 0 ? TARW_FILE : type;
		if (t->paxpath.len > 0) {
			sbuf_reset(&t->name);
			sbuf_add(&t->name, t->paxpath.buf, t->paxpath.len);
		} else if (have_gname) {
			sbuf_reset(&t->name);
			sbuf_add(&t->name, t->gname.buf, t->gname.len);
		} else if (memcmp(h + 257, "ustar\0", 6) == 0 && h[345] != 0) {
			size_t pn = strnlen((const char *)h + 345, 155);
			size_t nn = strnlen((const char *)h, 100);
			sbuf_reset(&t->name);
			sbuf_add(&t->name, h + 345, pn);
			sbuf_addch(&t->name, '/');
			sbuf_add(&t->name, h, nn);
		} else {
			tarw_setstr(&t->name, h, 100, &cut);
		}
		if (t->paxlink.len > 0) {
			sbuf_reset(&t->link);
			sbuf_add(&t->link, t->paxlink.buf, t->paxlink.len);
		} else if (have_glink) {
			sbuf_reset(&t->link);
			sbuf_add(&t->link, t->glink.buf, t->glink.len);
		} else {
			tarw_setstr(&t->link, h + 157, 100, &cut);
		}
		{
			int64_t v;
			if (!tarw_num(h + 100, 8, false, &v))
				return dd_err_set(e, DD_EFORMAT,
				    "%s: bad mode field in the header at "
				    "offset %" PRIu64, t->what, at);
			ent->mode = (uint32_t)(v & 07777);
			ent->uid = tarw_num(h + 108, 8, false, &v) ? v : -1;
			ent->gid = tarw_num(h + 116, 8, false, &v) ? v : -1;
			ent->mtime_ns = tarw_num(h + 136, 12, true, &v) &&
				v < INT64_MAX / 1000000000 &&
				v > INT64_MIN / 1000000000 ?
			    v * 1000000000 :
			    INT64_MIN;
			if (tarw_num(h + 329, 8, false, &v))
				ent->devmajor = (uint32_t)v;
			if (tarw_num(h + 337, 8, false, &v))
				ent->devminor = (uint32_t)v;
		}
		if (pv.has_size)
			size = pv.size;
		if (pv.has_uid)
			ent->uid = pv.uid;
		if (pv.has_gid)
			ent->gid = pv.gid;
		if (pv.has_mtime)
			ent->mtime_ns = pv.mtime_ns;
		switch (ent->type) {
		case TARW_SYMLINK:
		case TARW_CHAR:
		case TARW_BLOCK:
		case TARW_DIR:
		case TARW_FIFO:
			/* No data follows these, whatever size says. */
			t->left = 0;
			break;
		default:
			t->left = (uint64_t)size;
			break;
		}
		t->pad = (BLK - t->left % BLK) % BLK;
		ent->size = t->left;
		ent->name = t->name.buf;
		ent->link = t->link.buf;
		ent->hdr_off = first;
		ent->data_off = t->pos;
		ent->xattr = t->xa;
		ent->nxattr = t->nxa;
		ent->name_cut = cut;
		sbuf_reset(&t->gname);
		sbuf_reset(&t->glink);
		return 1;
	}
}

int
tarw_read(struct tarw *t, const uint8_t **p, size_t *n, struct dd_err *e)
{
	size_t avail;
	int rc;

	*p = NULL;
	*n = 0;
	if (t->left == 0)
		return 0;
	if (t->end == t->start) {
		t->start = t->end = 0;
		if ((rc = tarw_fill(t, t->exact ?
			 (size_t)MIN((uint64_t)TARW_BUF, t->left) : 1, e)) < 0)
			return rc;
		if (t->end == 0)
			return dd_err_set(e, DD_ETRUNC,
			    "%s: truncated in an entry's data at offset "
			    "%" PRIu64, t->what, t->pos);
	}
	avail = t->end - t->start;
	*n = (size_t)MIN((uint64_t)avail, t->left);
	*p = t->buf + t->start;
	tarw_consume(t, *n);
	t->left -= *n;
	return 0;
}

int
tarw_drain(struct tarw *t, uint64_t *junk, char first[TARW_NAME_FIRST],
    struct dd_err *e)
{
	bool seen = false;
	int rc;

	*junk = 0;
	first[0] = 0;
	for (;;) {
		if (t->end - t->start < BLK && !t->eof &&
		    (rc = tarw_fill(t, BLK, e)) < 0)
			return rc;
		if (t->end == t->start)
			return 0;
		if (!seen) {
			/* Blocks stay aligned from the end marker on. */
			size_t k = MIN(t->end - t->start, (size_t)BLK);
			const uint8_t *b = t->buf + t->start;
			size_t i;
			for (i = 0; i < k && b[i] == 0; i++)
				;
			if (i < k) {
				seen = true;
				if (k == BLK && tarw_checksum_ok(b)) {
					memcpy(first, b, 100);
					first[100] = 0;
				}
			}
		}
		for (size_t i = t->start; i < t->end; i++)
			*junk += t->buf[i] != 0;
		tarw_consume(t, t->end - t->start);
	}
}
