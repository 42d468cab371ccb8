/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-bolt.c: the bbolt reader (ingest/bolt.c) over hostile databases:
 * meta pages, branch and leaf pages, inline buckets, page cycles.
 *
 * Invariants (trap on violation): every key and value handed out lies
 * inside the input; a walk ends (the page and depth bounds hold).
 */
#include "core/common.h"

#include <string.h>

#include "ingest/bolt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_bolt {
	struct bolt *b;
	const uint8_t *lo, *hi;
	int depth;
	unsigned long seen;
};

static void
fz_inside(const struct fz_bolt *f, const uint8_t *p, size_t n)
{
	if (n > 0 && (p < f->lo || p > f->hi || n > (size_t)(f->hi - p)))
		__builtin_trap();
}

static int
fz_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v, size_t vn,
    const struct bolt_bucket *sub)
{
	struct fz_bolt *f = user;

	fz_inside(f, k, kn);
	if (v != NULL)
		fz_inside(f, v, vn);
	if (++f->seen > 1000000)
		return 1;
	if (sub != NULL && f->depth < 8) {
		if (sub->inl != NULL)
			fz_inside(f, sub->inl, sub->inl_n);
		f->depth++;
		(void)bolt_each(f->b, sub, fz_fn, f);
		f->depth--;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bolt b;
	struct bolt_bucket root, sub;
	struct fz_bolt f = { &b, data, data + size, 0, 0 };
	const uint8_t *v;
	size_t vn;

	if (bolt_open(&b, data, size, &root) < 0)
		return 0;
	(void)bolt_each(&b, &root, fz_fn, &f);
	if (bolt_bucket(&b, &root, "v1", &sub) == 1 &&
	    bolt_get(&b, &sub, "version", &v, &vn) == 1)
		fz_inside(&f, v, vn);
	return 0;
}
