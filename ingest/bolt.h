/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bolt.h: a read-only reader of bbolt databases (go.etcd.io/bbolt, the
 * key/value store containerd keeps its metadata in: meta.db and each
 * snapshotter's metadata.db), over a copy of the file in memory.
 *
 * Layout (bbolt's page.go, bucket.go, db.go), little-endian:
 *
 *   page      id u64 | flags u16 | count u16 | overflow u32 | data
 *             spans (1 + overflow) pages; flags 0x01 branch, 0x02 leaf,
 *             0x04 meta, 0x10 freelist
 *   meta      (pages 0 and 1, the valid one of the higher txid wins)
 *             magic u32 0xED0CDAED | version u32 2 | page size u32 |
 *             flags u32 | root bucket {root u64, sequence u64} |
 *             freelist u64 | high-water pgid u64 | txid u64 |
 *             checksum u64 (FNV-1a 64 of the 56 bytes before it)
 *   branch    count x {pos u32, ksize u32, pgid u64}: key at elem + pos
 *   leaf      count x {flags u32, pos u32, ksize u32, vsize u32}: key at
 *             elem + pos, value after it; flags 0x01: a sub-bucket, its
 *             value {root u64, sequence u64}, root 0: an inline bucket
 *             whose page follows in the value
 *
 * Hostile input: every page id is checked against the file and the
 * high-water mark, every element against its page; trees deeper than
 * BOLT_DEPTH_MAX (and so page cycles) and walks of more than
 * BOLT_PAGES_MAX pages stop with an error naming the page.
 */
#ifndef INGEST_BOLT_H
#define INGEST_BOLT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOLT_DEPTH_MAX 64
#define BOLT_PAGES_MAX (4u * 1024u * 1024u)

struct bolt {
	const uint8_t *p;
	size_t n;
	uint32_t psz;	/* page size */
	uint64_t hiwater; /* pages in use */
	uint64_t txid;
	uint64_t visited; /* pages walked so far (bounded) */
	char why[160];	/* the last error */
};

/* A bucket: a root page, or an inline page (a slice of the file). */
struct bolt_bucket {
	uint64_t root;
	const uint8_t *inl;
	size_t inl_n;
};

/* One entry; v is NULL for a sub-bucket (then sub is set). */
typedef int (*bolt_fn)(void *user, const uint8_t *k, size_t kn,
    const uint8_t *v, size_t vn, const struct bolt_bucket *sub);

/* 0, or -1 with b->why when p[0..n) is not a bbolt database. *root gets
 * the root bucket. */
int bolt_open(struct bolt *b, const uint8_t *p, size_t n,
    struct bolt_bucket *root);
/* Every entry of bucket bk in key order; stops at fn's non-zero return
 * (returned) or a damaged page (-1, b->why). */
int bolt_each(struct bolt *b, const struct bolt_bucket *bk, bolt_fn fn,
    void *user);
/* The sub-bucket or value named key (NUL-terminated) of bk: 1 found, 0
 * not, -1 damaged. */
int bolt_bucket(struct bolt *b, const struct bolt_bucket *bk,
    const char *key, struct bolt_bucket *out);
int bolt_get(struct bolt *b, const struct bolt_bucket *bk, const char *key,
    const uint8_t **v, size_t *vn);

/* A key or value as a C string in out (cap bytes): false when it does
 * not fit or holds a NUL. */
bool bolt_keystr(const uint8_t *k, size_t kn, char *out, size_t cap);

#endif
