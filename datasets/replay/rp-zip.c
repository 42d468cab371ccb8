/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-zip.c: a dataset zip's central directory, read in place from the
 * mapped file, and its members inflated on demand (PKWARE APPNOTE 6.3:
 * 4.3.12 central directory, 4.3.14-16 zip64 end records, 4.5.3 zip64
 * extra field). Replay workers inflate the recordings they score, in
 * parallel, instead of one reader inflating the whole zip first; the
 * importers keep reading zips through libarchive (ingest/members.h).
 *
 * Only what dataset zips use is accepted: stored and deflated members,
 * no encryption, one disk. Everything is read through core/rd.h; a
 * member's data must lie inside the file, inflate to exactly the size
 * the directory claims and match its CRC-32; the sizes claimed by all
 * members together are capped by the decompression budget before any is
 * read. Errors name the zip and the offset.
 */
#include "core/common.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"
#include "datasets/replay/rp-zip.h"

#define RP_ZIP_EOCD 0x06054b50u
#define RP_ZIP_EOCD64 0x06064b50u
#define RP_ZIP_LOC64 0x07064b50u
#define RP_ZIP_CDH 0x02014b50u
#define RP_ZIP_LFH 0x04034b50u
#define RP_ZIP_TAIL (22u + 65535u)

void
rp_zip_close(struct rp_zip *z)
{
	xbigfree(z->names, z->names_cap, 1);
	xbigfree(z->v, z->cap, sizeof(*z->v));
	if (z->map != NULL && z->mapped)
		munmap((void *)z->map, z->len);
	memset(z, 0, sizeof(*z));
}

/* The zip64 end record's directory size, offset and count. */
static int
rp_zip64(struct rp_zip *z, size_t eocd, uint64_t *cdsize, uint64_t *cdoff,
    uint64_t *count, struct dd_err *e)
{
	struct rd r;
	uint64_t at;

	if (eocd < 20)
		goto bad;
	rd_init(&r, z->map + eocd - 20, 20, eocd - 20);
	if (rd_le32(&r) != RP_ZIP_LOC64)
		goto bad;
	(void)rd_le32(&r);
	at = rd_le64(&r);
	if (!rd_ok(&r) || at > z->len || z->len - at < 56)
		goto bad;
	rd_init(&r, z->map + at, 56, at);
	if (rd_le32(&r) != RP_ZIP_EOCD64)
		goto bad;
	rd_skip(&r, 8 + 2 + 2 + 4 + 4 + 8);
	*count = rd_le64(&r);
	*cdsize = rd_le64(&r);
	*cdoff = rd_le64(&r);
	if (rd_ok(&r))
		return 0;
bad:
	return dd_err_set_at(e, DD_EFORMAT, (int64_t)eocd,
	    "%s: a zip64 end record is missing or broken", z->path);
}

/* The zip64 extra field of a directory entry: the fields whose 32-bit
 * values were all ones, in APPNOTE order. */
static void
rp_zip64_extra(struct rd *x, struct rp_zent *t, uint32_t usz, uint32_t csz,
    uint32_t lho)
{
	while (rd_left(x) >= 4) {
		uint16_t id = rd_le16(x), n = rd_le16(x);
		struct rd f;
		if (rd_sub(x, n, &f) < 0)
			return;
		if (id != 0x0001)
			continue;
		if (usz == UINT32_MAX)
			t->usize = rd_le64(&f);
		if (csz == UINT32_MAX)
			t->csize = rd_le64(&f);
		if (lho == UINT32_MAX)
			t->lho = rd_le64(&f);
		return;
	}
}

int
rp_zip_open(struct rp_zip *z, const char *path, uint64_t budget,
    struct dd_err *e)
{
	struct stat st;
	int fd, rc;

	memset(z, 0, sizeof(*z));
	z->path = path;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) != 0) {
		rc = dd_err_set(e, DD_EIO, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 22) {
		close(fd);
		return dd_err_set(e, DD_EFORMAT, "%s: not a zip (%s)", path,
		    S_ISREG(st.st_mode) ? "too short" : "not a file");
	}
	z->len = (size_t)st.st_size;
	z->map = mmap(NULL, z->len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (z->map == MAP_FAILED) {
		z->map = NULL;
		return dd_err_set(e, DD_EIO, "%s: %s", path, strerror(errno));
	}
	z->mapped = true;
	return rp_zip_parse(z, budget, e);
}

int
rp_zip_parse(struct rp_zip *z, uint64_t budget, struct dd_err *e)
{
	const char *path = z->path;
	struct rd r;
	uint64_t cdsize, cdoff, count, total = 0, i;
	size_t eocd, lo;
	int rc;

	if (z->len < 22)
		return dd_err_set(e, DD_EFORMAT, "%s: not a zip (too short)",
		    path);
	/* the end record: the last signature in the tail */
	lo = z->len > RP_ZIP_TAIL ? z->len - RP_ZIP_TAIL : 0;
	for (eocd = z->len - 22 + 1; eocd-- > lo;) {
		rd_init(&r, z->map + eocd, 4, eocd);
		if (rd_le32(&r) == RP_ZIP_EOCD)
			break;
		if (eocd == lo) {
			eocd = SIZE_MAX;
			break;
		}
	}
	if (eocd == SIZE_MAX || eocd < lo) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "%s: not a zip (no end of central directory record)",
		    path);
		goto fail;
	}
	rd_init(&r, z->map + eocd, 22, eocd);
	rd_skip(&r, 4 + 2 + 2 + 2);
	count = rd_le16(&r);
	cdsize = rd_le32(&r);
	cdoff = rd_le32(&r);
	if (count == UINT16_MAX || cdsize == UINT32_MAX ||
	    cdoff == UINT32_MAX) {
		if ((rc = rp_zip64(z, eocd, &cdsize, &cdoff, &count, e)) < 0)
			goto fail;
	}
	if (cdoff > z->len || cdsize > z->len - cdoff) {
		rc = dd_err_set_at(e, DD_EFORMAT, (int64_t)eocd,
		    "%s: the central directory lies outside the file", path);
		goto fail;
	}
	if (count > LIM_GROUP_MEMBERS || count > cdsize / 46 + 1) {
		rc = dd_err_set_at(e, DD_ELIMIT, (int64_t)eocd,
		    "%s: %" PRIu64 " members claimed (at most %u)", path, count,
		    (unsigned)LIM_GROUP_MEMBERS);
		goto fail;
	}
	z->cap = count + 1;
	z->v = xbigcalloc(z->cap, sizeof(*z->v));
	/* every name with its NUL fits in the directory's bytes (an entry
	 * is 46 bytes and its name): one buffer, populated at once */
	z->names_cap = (size_t)cdsize + 1;
	z->names = xbigcalloc(z->names_cap, 1);
	rd_init(&r, z->map + cdoff, cdsize, cdoff);
	for (i = 0; i < count; i++) {
		struct rp_zent *t = &z->v[z->n];
		uint64_t at = rd_off(&r);
		uint32_t usz, csz, lho;
		uint16_t nl, xl, cl;
		const uint8_t *nm;
		struct rd x;
		if (rd_le32(&r) != RP_ZIP_CDH) {
			rc = dd_err_set_at(e, DD_EFORMAT, (int64_t)at,
			    "%s: central directory entry %" PRIu64
			    " is broken at offset %" PRIu64,
			    path, i, at);
			goto fail;
		}
		rd_skip(&r, 2 + 2);
		t->flags = rd_le16(&r);
		t->method = rd_le16(&r);
		rd_skip(&r, 2 + 2);
		t->crc = rd_le32(&r);
		csz = rd_le32(&r);
		usz = rd_le32(&r);
		nl = rd_le16(&r);
		xl = rd_le16(&r);
		cl = rd_le16(&r);
		rd_skip(&r, 2 + 2 + 4);
		lho = rd_le32(&r);
		rd_bytes(&r, nl, &nm);
		rd_sub(&r, xl, &x);
		rd_skip(&r, cl);
		if (!rd_ok(&r)) {
			rc = dd_err_set_at(e, DD_ETRUNC, (int64_t)at,
			    "%s: central directory entry %" PRIu64
			    " runs past the directory (offset %" PRIu64 ")",
			    path, i, at);
			goto fail;
		}
		t->csize = csz;
		t->usize = usz;
		t->lho = lho;
		rp_zip64_extra(&x, t, usz, csz, lho);
		if (nl == 0 || memchr(nm, '\0', nl) != NULL)
			continue; /* no usable name: not a recording */
		t->name = z->names + z->names_len;
		memcpy(t->name, nm, nl);
		t->name[nl] = '\0';
		z->names_len += (size_t)nl + 1;
		t->at = at;
		{
			if (t->usize > budget - MIN(total, budget)) {
				rc = dd_err_set_at(e, DD_ELIMIT, (int64_t)at,
				    "%s: member '%s' passes the decompression "
				    "budget (%" PRIu64 " bytes for the zip)",
				    path, t->name, budget);
				z->n++;
				goto fail;
			}
			total += t->usize;
		}
		z->n++;
	}
	return 0;
fail:
	rp_zip_close(z);
	return rc;
}

void
rp_zreader_free(struct rp_zreader *zr)
{
	if (zr->init)
		inflateEnd(&zr->s);
	free(zr->buf);
	memset(zr, 0, sizeof(*zr));
}

int
rp_zip_read(const struct rp_zip *z, size_t i, struct rp_zreader *zr,
    const uint8_t **out, size_t *len, struct dd_err *e)
{
	const struct rp_zent *t = &z->v[i];
	const uint8_t *data;
	uint64_t at = t->lho;
	uint16_t nl, xl;
	uint8_t *buf;
	struct rd r;

	*out = NULL;
	*len = 0;
	if (t->flags & 1)
		return dd_err_set_at(e, DD_EUNSUP, (int64_t)t->at,
		    "%s: member '%s' is encrypted", z->path, t->name);
	if (t->method != 0 && t->method != 8)
		return dd_err_set_at(e, DD_EUNSUP, (int64_t)t->at,
		    "%s: member '%s' uses compression method %u (stored and "
		    "deflate are read)",
		    z->path, t->name, t->method);
	if (t->usize > RP_MEMBER_MAX || t->csize > RP_MEMBER_MAX)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)t->at,
		    "%s: member '%s' claims %" PRIu64 " bytes", z->path,
		    t->name, t->usize);
	rd_init(&r, z->map, z->len, 0);
	if (at > z->len - MIN(z->len, 30))
		goto outside;
	rd_skip(&r, (size_t)at);
	if (rd_le32(&r) != RP_ZIP_LFH)
		goto outside;
	rd_skip(&r, 22);
	nl = rd_le16(&r);
	xl = rd_le16(&r);
	rd_skip(&r, (size_t)nl + xl);
	if (!rd_ok(&r) || rd_bytes(&r, (size_t)t->csize, &data) < 0)
		goto outside;
	/* before allocating what the directory claims: deflate expands at
	 * most 1032:1 (a 258-byte match per two bits, plus block headers) */
	if ((t->method == 0 && t->csize != t->usize) ||
	    (t->method == 8 && t->usize / 1032 > t->csize + 1))
		return dd_err_set_at(e, DD_EFORMAT, (int64_t)at,
		    "%s: member '%s' claims %" PRIu64 " bytes from %" PRIu64
		    " compressed (method %u): impossible",
		    z->path, t->name, t->usize, t->csize, t->method);
	if (zr->cap < (size_t)t->usize + 1) {
		free(zr->buf);
		zr->cap = (size_t)t->usize + 1;
		zr->buf = xmalloc(zr->cap);
	}
	buf = zr->buf;
	if (t->method == 0) {
		memcpy(buf, data, (size_t)t->usize);
	} else {
		z_stream *s = &zr->s;
		int zr2;
		if (!zr->init) {
			memset(s, 0, sizeof(*s));
			if (inflateInit2(s, -15) != Z_OK)
				BUG("inflateInit2 failed");
			zr->init = true;
		} else if (inflateReset(s) != Z_OK)
			BUG("inflateReset failed");
		/* both sizes fit in uInt: csize <= usize cap, checked above */
		s->next_in = (Bytef *)(uintptr_t)data;
		s->avail_in = (uInt)t->csize;
		s->next_out = buf;
		s->avail_out = (uInt)t->usize + 1; /* room to see excess */
		zr2 = inflate(s, Z_FINISH);
		if (zr2 != Z_STREAM_END || s->total_out != t->usize)
			return dd_err_set_at(e, DD_EFORMAT, (int64_t)at,
			    "%s: member '%s' does not inflate to its %" PRIu64
			    " bytes (%s)",
			    z->path, t->name, t->usize,
			    zr2 == Z_STREAM_END ? "size differs" :
			    s->msg != NULL	? s->msg :
						  "data ends early");
	}
	buf[t->usize] = 0;
	if (crc32_z(0, buf, (z_size_t)t->usize) != t->crc)
		return dd_err_set_at(e, DD_EFORMAT, (int64_t)at,
		    "%s: member '%s' fails its CRC-32", z->path, t->name);
	*out = buf;
	*len = (size_t)t->usize;
	return 0;
outside:
	return dd_err_set_at(e, DD_EFORMAT, (int64_t)at,
	    "%s: member '%s' has no local header inside the file (offset "
	    "%" PRIu64 ")",
	    z->path, t->name, at);
}
