/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-zip.h: a dataset zip read in place, members inflated on demand, so
 * that replay workers decompress recordings in parallel (rp-zip.c).
 *
 * Invariants: the zip stays mapped read-only while open; rp_zip_read is
 * thread-safe (it reads the map and writes only its reader); every
 * byte is read through core/rd.h.
 */
#ifndef DATASETS_REPLAY_RP_ZIP_H
#define DATASETS_REPLAY_RP_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>


struct dd_err;

struct rp_zent {
	char *name;	   /* path in the zip ("dir/" for folders) */
	uint64_t csize, usize, lho; /* sizes, local header offset */
	uint64_t at;	   /* its directory entry's offset (messages) */
	uint32_t crc;
	uint16_t method, flags;
};

struct rp_zip {
	const char *path;     /* borrowed, for messages */
	const uint8_t *map;
	size_t len;
	bool mapped;	      /* map is ours to unmap */
	struct rp_zent *v;    /* xbigcalloc'd, cap of them */
	size_t n, cap;
	char *names;	      /* the members' names, packed (xbigcalloc'd,
				 names_cap bytes, names_len used) */
	size_t names_len, names_cap;
};

/* Map path and read its central directory. The members' claimed sizes
 * together may not pass budget bytes. */
int rp_zip_open(struct rp_zip *z, const char *path, uint64_t budget,
    struct dd_err *e);
/* The same over bytes already in z->map, z->len (z->path names them;
 * the rest of z zeroed): the fuzz harness's entry. */
int rp_zip_parse(struct rp_zip *z, uint64_t budget, struct dd_err *e);
/* A reader's state, kept across the members one thread reads (the
 * inflater and the output buffer: set up once, not per member). Zeroed to
 * start; rp_zreader_free at the end. */
struct rp_zreader {
	z_stream s;
	bool init;    /* s is set up */
	uint8_t *buf; /* the last member's bytes */
	size_t cap;
};
void rp_zreader_free(struct rp_zreader *zr);
/* Member i's bytes at *out (*len of them; a NUL follows; valid until zr
 * reads again): inflated, size and CRC-32 checked. */
int rp_zip_read(const struct rp_zip *z, size_t i, struct rp_zreader *zr,
    const uint8_t **out, size_t *len, struct dd_err *e);
void rp_zip_close(struct rp_zip *z);

#endif
