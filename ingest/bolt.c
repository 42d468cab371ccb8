/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bolt.c: the bbolt reader (see bolt.h).
 */
#include "core/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/rd.h"
#include "ingest/bolt.h"

#define BOLT_MAGIC 0xED0CDAEDu
#define BOLT_BRANCH 0x01
#define BOLT_LEAF 0x02
#define BOLT_META 0x04
#define BOLT_HDR 16
#define BOLT_ELEM 16

static int DD_PRINTF(2, 3)
bolt_fail(struct bolt *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->why, sizeof(b->why), fmt, ap);
	va_end(ap);
	return -1;
}

static uint64_t
bolt_fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Meta page i: 0 and the txid, or -1. */
static int
bolt_meta(const uint8_t *p, size_t n, size_t off, uint32_t *psz,
    uint64_t *root, uint64_t *hiw, uint64_t *txid)
{
	struct rd r;
	uint64_t sum;

	if (off > n || n - off < BOLT_HDR + 64)
		return -1;
	rd_init(&r, p + off, BOLT_HDR + 64, off);
	rd_skip(&r, 8);
	if ((rd_le16(&r) & BOLT_META) == 0)
		return -1;
	rd_skip(&r, 6);
	if (rd_le32(&r) != BOLT_MAGIC || rd_le32(&r) != 2)
		return -1;
	*psz = rd_le32(&r);
	rd_skip(&r, 4);
	*root = rd_le64(&r);
	rd_skip(&r, 16); /* sequence, freelist */
	*hiw = rd_le64(&r);
	*txid = rd_le64(&r);
	sum = rd_le64(&r);
	if (!rd_ok(&r) || sum != bolt_fnv(p + off + BOLT_HDR, 56))
		return -1;
	return 0;
}

int
bolt_open(struct bolt *b, const uint8_t *p, size_t n,
    struct bolt_bucket *root)
{
	uint32_t psz[2] = { 0, 0 };
	uint64_t rt[2] = { 0, 0 }, hw[2] = { 0, 0 }, tx[2] = { 0, 0 };
	int ok[2];

	memset(b, 0, sizeof(*b));
	memset(root, 0, sizeof(*root));
	b->p = p;
	b->n = n;
	ok[0] = bolt_meta(p, n, 0, &psz[0], &rt[0], &hw[0], &tx[0]) == 0;
	/* the second meta page is one page size in */
	ok[1] = ok[0] && psz[0] >= 512 && psz[0] <= 65536 &&
	    bolt_meta(p, n, psz[0], &psz[1], &rt[1], &hw[1], &tx[1]) == 0 &&
	    psz[1] == psz[0];
	if (!ok[0]) {
		/* page 0 torn: find page 1 at the usual sizes */
		static const uint32_t sizes[] = { 4096, 16384, 65536, 8192,
			2048, 1024, 512, 32768 };
		for (size_t i = 0; i < ARRAY_SIZE(sizes) && !ok[1]; i++)
			ok[1] = bolt_meta(p, n, sizes[i], &psz[1], &rt[1],
				    &hw[1], &tx[1]) == 0 && psz[1] == sizes[i];
	}
	if (!ok[0] && !ok[1])
		return bolt_fail(b, "not a bbolt database (no valid meta "
		    "page)");
	{
		int k = ok[0] && ok[1] ? (tx[1] > tx[0]) : ok[1];
		b->psz = psz[k];
		b->hiwater = hw[k];
		b->txid = tx[k];
		root->root = rt[k];
	}
	if (b->psz < 512 || b->psz > 65536)
		return bolt_fail(b, "page size %u out of range", b->psz);
	return 0;
}

/* Page id's bytes: header fields, data. */
static int
bolt_page(struct bolt *b, uint64_t id, const uint8_t **pg, size_t *len)
{
	uint64_t off, span;
	uint32_t ovf;

	if (id < 2 || id >= b->hiwater || id > (uint64_t)(b->n / b->psz))
		return bolt_fail(b, "page %llu is outside the file",
		    (unsigned long long)id);
	off = id * b->psz;
	if (off + BOLT_HDR > b->n)
		return bolt_fail(b, "page %llu is cut", (unsigned long long)id);
	ovf = (uint32_t)b->p[off + 12] | (uint32_t)b->p[off + 13] << 8 |
	    (uint32_t)b->p[off + 14] << 16 | (uint32_t)b->p[off + 15] << 24;
	span = ((uint64_t)ovf + 1) * b->psz;
	if (span > b->n - off)
		span = b->n - off; /* a cut last page: elements are checked */
	*pg = b->p + off;
	*len = (size_t)span;
	return 0;
}

/* A tree page's header at the given depth: its flags and element count,
 * checked against the page and the walk's bounds. */
static int
bolt_head(struct bolt *b, const uint8_t *pg, size_t len, int depth,
    uint16_t *flags, uint16_t *count)
{
	if (depth > BOLT_DEPTH_MAX)
		return bolt_fail(b, "a tree deeper than %d pages (a cycle)",
		    BOLT_DEPTH_MAX);
	if (++b->visited > BOLT_PAGES_MAX)
		return bolt_fail(b, "more than %u pages walked",
		    BOLT_PAGES_MAX);
	if (len < BOLT_HDR)
		return bolt_fail(b, "a page of %zu bytes", len);
	*flags = (uint16_t)(pg[8] | pg[9] << 8);
	*count = (uint16_t)(pg[10] | pg[11] << 8);
	if ((size_t)*count * BOLT_ELEM > len - BOLT_HDR)
		return bolt_fail(b, "%u elements do not fit their page",
		    (unsigned)*count);
	if (!(*flags & (BOLT_BRANCH | BOLT_LEAF)))
		return bolt_fail(b, "a page of flags 0x%x in a tree",
		    (unsigned)*flags);
	return 0;
}

/* Branch element i: its key (its child's first) and child page. */
static int
bolt_branch(struct bolt *b, const uint8_t *pg, size_t len, size_t i,
    const uint8_t **k, size_t *kn, uint64_t *child)
{
	const uint8_t *el = pg + BOLT_HDR + i * BOLT_ELEM;
	struct rd r;
	uint32_t pos, ks;

	rd_init(&r, el, BOLT_ELEM, 0);
	pos = rd_le32(&r);
	ks = rd_le32(&r);
	*child = rd_le64(&r);
	if ((uint64_t)(el - pg) + pos + ks > len)
		return bolt_fail(b, "a branch key outside its page");
	*k = el + pos;
	*kn = ks;
	return 0;
}

/* Leaf element i: its key, and its value (*sub unset) or sub-bucket
 * (*v NULL). */
static int
bolt_leaf(struct bolt *b, const uint8_t *pg, size_t len, size_t i,
    const uint8_t **k, size_t *kn, const uint8_t **v, size_t *vn,
    struct bolt_bucket *sub)
{
	const uint8_t *el = pg + BOLT_HDR + i * BOLT_ELEM;
	struct rd r;
	uint32_t ef, pos, ks, vs;

	rd_init(&r, el, BOLT_ELEM, 0);
	ef = rd_le32(&r);
	pos = rd_le32(&r);
	ks = rd_le32(&r);
	vs = rd_le32(&r);
	if ((uint64_t)(el - pg) + pos + ks + vs > len)
		return bolt_fail(b, "a leaf element outside its page");
	*k = el + pos;
	*kn = ks;
	*v = *k + ks;
	*vn = vs;
	if (!(ef & 0x01))
		return 0;
	if (vs < 16)
		return bolt_fail(b, "a bucket header of %u bytes", vs);
	rd_init(&r, *v, 16, 0);
	memset(sub, 0, sizeof(*sub));
	sub->root = rd_le64(&r);
	if (sub->root == 0) {
		sub->inl = *v + 16;
		sub->inl_n = vs - 16;
	}
	*v = NULL;
	*vn = 0;
	return 0;
}

static int
bolt_walk(struct bolt *b, const uint8_t *pg, size_t len, int depth,
    bolt_fn fn, void *user)
{
	uint16_t flags, count;

	if (bolt_head(b, pg, len, depth, &flags, &count) < 0)
		return -1;
	for (size_t i = 0; i < count; i++) {
		const uint8_t *k, *v, *cp;
		size_t kn, vn, cl;
		struct bolt_bucket sub;
		uint64_t child;
		int rc;
		if (flags & BOLT_BRANCH) {
			if (bolt_branch(b, pg, len, i, &k, &kn, &child) < 0 ||
			    bolt_page(b, child, &cp, &cl) < 0)
				return -1;
			rc = bolt_walk(b, cp, cl, depth + 1, fn, user);
		} else {
			if (bolt_leaf(b, pg, len, i, &k, &kn, &v, &vn, &sub) <
			    0)
				return -1;
			rc = fn(user, k, kn, v, vn, v == NULL ? &sub : NULL);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
bolt_each(struct bolt *b, const struct bolt_bucket *bk, bolt_fn fn,
    void *user)
{
	const uint8_t *pg;
	size_t len;

	if (bk->inl != NULL)
		return bolt_walk(b, bk->inl, bk->inl_n, 0, fn, user);
	if (bolt_page(b, bk->root, &pg, &len) < 0)
		return -1;
	return bolt_walk(b, pg, len, 0, fn, user);
}

struct bolt_find {
	const char *key;
	size_t kn;
	struct bolt_bucket *sub;
	const uint8_t **v;
	size_t *vn;
};

static int
bolt_find_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct bolt_find *f = user;

	if (kn != f->kn || memcmp(k, f->key, kn) != 0)
		return 0;
	if (f->sub != NULL && sub != NULL) {
		*f->sub = *sub;
		return 1;
	}
	if (f->v != NULL && sub == NULL) {
		*f->v = v;
		*f->vn = vn;
		return 1;
	}
	return 0;
}

/* Go's bytes.Compare. */
static int
bolt_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	int c = memcmp(a, b, MIN(an, bn));

	return c != 0 ? c : an < bn ? -1 : an > bn;
}

/* Find f->key by descending the tree (keys are sorted: a branch
 * element's key is its child's first): 1 found, 0 not, -1 damaged. */
static int
bolt_lookup(struct bolt *b, const struct bolt_bucket *bk, struct bolt_find *f)
{
	const uint8_t *key = (const uint8_t *)f->key, *pg;
	size_t len;

	if (bk->inl != NULL) {
		pg = bk->inl;
		len = bk->inl_n;
	} else if (bolt_page(b, bk->root, &pg, &len) < 0) {
		return -1;
	}
	for (int depth = 0;; depth++) {
		uint16_t flags, count;
		if (bolt_head(b, pg, len, depth, &flags, &count) < 0)
			return -1;
		if (count == 0)
			return 0;
		if (flags & BOLT_BRANCH) {
			uint64_t child = 0, id;
			for (size_t i = 0; i < count; i++) {
				const uint8_t *k;
				size_t kn;
				if (bolt_branch(b, pg, len, i, &k, &kn, &id) < 0)
					return -1;
				if (i > 0 && bolt_cmp(k, kn, key, f->kn) > 0)
					break;
				child = id;
			}
			if (bolt_page(b, child, &pg, &len) < 0)
				return -1;
			continue;
		}
		for (size_t i = 0; i < count; i++) {
			const uint8_t *k, *v;
			size_t kn, vn;
			struct bolt_bucket sub;
			if (bolt_leaf(b, pg, len, i, &k, &kn, &v, &vn, &sub) < 0)
				return -1;
			if (kn == f->kn && memcmp(k, key, kn) == 0)
				return bolt_find_fn(f, k, kn, v, vn, v == NULL ?
				    &sub : NULL);
		}
		return 0;
	}
}

int
bolt_bucket(struct bolt *b, const struct bolt_bucket *bk, const char *key,
    struct bolt_bucket *out)
{
	struct bolt_find f = { key, strlen(key), out, NULL, NULL };

	memset(out, 0, sizeof(*out));
	return bolt_lookup(b, bk, &f);
}

int
bolt_get(struct bolt *b, const struct bolt_bucket *bk, const char *key,
    const uint8_t **v, size_t *vn)
{
	struct bolt_find f = { key, strlen(key), NULL, v, vn };

	*v = NULL;
	*vn = 0;
	return bolt_lookup(b, bk, &f);
}

bool
bolt_keystr(const uint8_t *k, size_t kn, char *out, size_t cap)
{
	if (kn >= cap || memchr(k, '\0', kn) != NULL)
		return false;
	memcpy(out, k, kn);
	out[kn] = '\0';
	return true;
}
