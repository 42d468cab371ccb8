/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-tarwalk.c: the offset-exact tar walker (ingest/tarwalk.c) over
 * hostile input: ustar, pax and GNU headers, base-256 numbers, missing
 * end blocks, truncation.
 *
 * Invariants (trap on violation): every entry's header comes before its
 * data, headers and data lie inside the input and in increasing order,
 * the bytes read of an entry are its size and are the input's bytes at
 * data_off, and the walker consumes exactly the input when it ends
 * without error.
 */
#include "core/common.h"

#include <string.h>

#include "core/dderr.h"
#include "ingest/tarwalk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_src {
	const uint8_t *p;
	size_t n, pos;
};

static int
fz_read(void *user, void *buf, size_t cap, size_t *got, struct dd_err *e)
{
	struct fz_src *s = user;
	/* Short reads of varying size exercise the refills. */
	size_t k = MIN(cap, s->n - s->pos);

	(void)e;
	if (k > 1 && (s->pos & 1))
		k = k / 2 + 1;
	memcpy(buf, s->p + s->pos, k);
	s->pos += k;
	*got = k;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct fz_src src = { data, size, 0 };
	struct tarw *t = tarw_new(fz_read, &src, "fuzz");
	struct tarw_entry ent;
	uint64_t last = 0, junk;
	char first[TARW_NAME_FIRST];
	int rc;

	while ((rc = tarw_next(t, &ent, &e)) > 0) {
		const uint8_t *p;
		size_t n;
		uint64_t got = 0;

		if (ent.hdr_off < last || ent.data_off < ent.hdr_off + 512 ||
		    ent.data_off > size || strlen(ent.name) > 2 * TARW_NAME_MAX)
			__builtin_trap();
		while ((rc = tarw_read(t, &p, &n, &e)) == 0 && n > 0) {
			if (ent.data_off + got + n > size ||
			    memcmp(p, data + ent.data_off + got, n) != 0)
				__builtin_trap();
			got += n;
		}
		if (rc < 0)
			break;
		if (got != ent.size)
			__builtin_trap();
		last = ent.data_off + got;
	}
	if (rc == 0 && tarw_drain(t, &junk, first, &e) == 0 &&
	    tarw_offset(t) != size)
		__builtin_trap();
	tarw_free(t);
	return 0;
}
