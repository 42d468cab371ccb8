/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-evchunk.c: the event chunk decoder over hostile case contents. The
 * input is the decompressed chunk image ("EVC1" header and columns); the
 * harness compresses it as a case would store it and decodes it, which
 * must fail cleanly or yield rows whose in-chunk argument spans stay
 * inside the decoded text.
 */
#include "core/common.h"

#include <zstd.h>

#include "core/dderr.h"
#include "core/evstore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct evchunk *c = NULL;
	size_t cap = ZSTD_compressBound(size), z;
	void *buf;
	uint32_t i;

	if (size > (1u << 20))
		return 0;
	buf = malloc(cap ? cap : 1);
	if (buf == NULL)
		return 0;
	z = ZSTD_compress(buf, cap, data, size, 1);
	if (!ZSTD_isError(z) &&
	    evchunk_decode(buf, z, (int64_t)size, &c, &e) == 0) {
		if (c->n == 0 || c->n > EVC_MAX)
			__builtin_trap();
		for (i = 0; i < c->n; i++) {
			const struct evrow *r = &c->rows[i];
			if ((r->bits & EVB_ARGS) &&
			    (uint64_t)r->args_off + r->args_len > c->args_len)
				__builtin_trap();
		}
		evchunk_free(c);
	}
	free(buf);
	return 0;
}
