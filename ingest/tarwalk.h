/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tarwalk.h: a streaming tar reader that knows where every byte is.
 *
 * Image archives are tars of tars. To keep a layer's file contents by
 * reference into the stored original (no second copy, no second
 * compression) the importer needs the exact offset of each entry's data
 * in the stream, which libarchive does not expose (it reads ahead and
 * reports only header positions). This reader parses ustar, POSIX pax
 * (path, linkpath, size, uid, gid, mtime, SCHILY.xattr.*) and GNU
 * (././@LongLink names and link names, base-256 numbers) headers itself,
 * over any ingest_read_fn, and reports each entry with the offset of its
 * first header block and of its data. libarchive stays the reader of
 * zips, of compression filters and of bsdtar, the oracle in the tests.
 *
 * Invariants:
 * - memory is bounded: one TARW_BUF read buffer, names of at most
 *   TARW_NAME_MAX bytes, pax records of at most TARW_PAX_MAX bytes;
 * - every header's checksum is verified (unsigned or signed sum, as
 *   historic tars wrote either); a bad one is DD_EFORMAT at its offset;
 * - an end of stream at a header boundary ends the archive cleanly (umoci
 *   writes layers with no end-of-archive blocks); inside a header or an
 *   entry's data it is DD_ETRUNC naming the offset;
 * - names are data: never used to open anything.
 */
#ifndef INGEST_TARWALK_H
#define INGEST_TARWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/members.h"

struct dd_err;

#define TARW_BUF (256u * 1024u)
#define TARW_NAME_MAX 4096u
#define TARW_PAX_MAX (1024u * 1024u)
#define TARW_XATTR_MAX 16u

/* Entry types (the typeflag, normalised). */
enum tarw_type {
	TARW_FILE = '0',
	TARW_HARDLINK = '1',
	TARW_SYMLINK = '2',
	TARW_CHAR = '3',
	TARW_BLOCK = '4',
	TARW_DIR = '5',
	TARW_FIFO = '6',
	TARW_CONTIG = '7',
	TARW_SPARSE = 'S', /* GNU sparse: data is a map, not the content */
};

struct tarw_xattr {
	char *name;	/* without the SCHILY.xattr. prefix */
	uint8_t *value;
	size_t len;
};

/* One entry, borrowed until the next tarw_next. */
struct tarw_entry {
	const char *name;     /* as recorded (pax path, GNU long name or
				 prefix/name), NUL-terminated */
	const char *link;     /* link target, "" when none */
	int type;	      /* enum tarw_type, or the raw typeflag */
	uint32_t mode;	      /* permission and setuid/sticky bits */
	int64_t uid, gid;
	int64_t mtime_ns;     /* INT64_MIN when the header holds none */
	uint64_t size;	      /* data bytes of this entry */
	uint32_t devmajor, devminor;
	uint64_t hdr_off;     /* first header block (pax/GNU included) */
	uint64_t data_off;    /* first data byte */
	const struct tarw_xattr *xattr;
	size_t nxattr;
	bool name_cut;	      /* a name longer than TARW_NAME_MAX was cut */
};

struct tarw;

/* A walker over fn(user) (owned; tarw_free). */
struct tarw *tarw_new(ingest_read_fn fn, void *user, const char *what);
/* Read no further than the walk needs (a header's 512 bytes, an entry's
 * data): the stream's position is then exactly at an entry's data when
 * tarw_next returns it, and at its end when tarw_read returns 0 (more
 * read calls; for the outer archive, whose members are few and large). */
void tarw_set_exact(struct tarw *t, bool exact);
/* The next entry: 1, 0 at the end, <0 on error (e names what, the
 * offset and the problem). The unread rest of the previous entry's data
 * is skipped (read through fn, so still hashed by its owner). */
int tarw_next(struct tarw *t, struct tarw_entry *ent, struct dd_err *e);
/* The next block of the current entry's data: *p (borrowed until the
 * next call) and *n; *n == 0 at its end. */
int tarw_read(struct tarw *t, const uint8_t **p, size_t *n,
    struct dd_err *e);
/* Stream bytes consumed so far (headers and data). */
uint64_t tarw_offset(const struct tarw *t);
/* Read and drop whatever follows the archive's end (the rest of its
 * zero blocks and padding), so that a caller hashing the stream sees all
 * of it. Bytes after the end that are not zero are an anomaly the caller
 * may report: *junk gets their count, and first (TARW_NAME_FIRST bytes)
 * the name in the first such block when it is a valid tar header (an
 * eStargz table of contents sits there), else "". */
#define TARW_NAME_FIRST 101
int tarw_drain(struct tarw *t, uint64_t *junk, char first[TARW_NAME_FIRST],
    struct dd_err *e);
void tarw_free(struct tarw *t);

/* Pure helper (tests, sniffers): whether head[0..n) starts with a tar
 * header with a valid checksum. */
bool tarw_is_tar(const uint8_t *head, size_t n);

#endif
