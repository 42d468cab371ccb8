/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-chunk.c: chunk_decode() over hostile stored chunks, and the
 * chunk_encode()/chunk_decode() round trip.
 *
 * Input layout:
 *
 *   u8  codec   low 2 bits: 0 stored, 1 zstd, 2 an unknown codec >= 2,
 *               3 negative; bit 2: decode into a heap buffer of exactly
 *               cap bytes (cap from the next field) instead of
 *               LIM_CHUNK_MAX; bits 5..7: how raw_len is chosen:
 *                 0,1,2  the frame's content size (+0, +1, -1), so the
 *                        decoder gets past the size check and inflates
 *                 3      the data length (what a stored chunk needs)
 *                 4..7   the le64 field below, as is
 *   le64 len    raw_len for modes 4..7; cap (mod 64 KiB) with bit 2
 *   ...         the stored data
 *
 * Invariants (trap otherwise):
 * - on success *len == raw_len <= cap, and a stored chunk decodes to its
 *   data; on failure *len == 0 and the error is DD_ECORRUPT;
 * - whatever the input, chunk_encode() of the whole input followed by
 *   chunk_decode() of the result reproduces it byte for byte, the
 *   encoded size never exceeds chunk_encode_bound(), and a zstd chunk is
 *   smaller than its raw bytes.
 */
#include "core/common.h"

#include <zstd.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "tests/fuzz/fz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *fz_big; /* LIM_CHUNK_MAX, allocated once */

static uint64_t
fz_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
fz_decode(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	const uint8_t *payload;
	size_t plen, cap, len = 12345;
	uint64_t field;
	unsigned long long fcs;
	int64_t raw_len;
	int codec, rc;
	uint8_t *buf;

	if (size < 9)
		return;
	switch (data[0] & 3) {
	case 0: codec = 0; break;
	case 1: codec = 1; break;
	case 2: codec = 2 + (data[0] >> 2 & 0x1f) * 4; break;
	default: codec = -1 - (data[0] >> 5); break;
	}
	field = fz_le64(data + 1);
	payload = data + 9;
	plen = size - 9;
	switch (data[0] >> 5) {
	case 0: case 1: case 2:
		fcs = ZSTD_getFrameContentSize(payload, plen);
		if (fcs >= ZSTD_CONTENTSIZE_ERROR) /* error or unknown */
			raw_len = (int64_t)fcs;
		else
			raw_len = (int64_t)fcs + (data[0] >> 5 == 1) -
			    (data[0] >> 5 == 2);
		break;
	case 3:
		raw_len = (int64_t)plen;
		break;
	default:
		raw_len = (int64_t)field;
		break;
	}
	if (data[0] & 4) {
		cap = (size_t)(field % 65536);
		buf = malloc(cap ? cap : 1);
		if (buf == NULL)
			abort();
	} else {
		cap = LIM_CHUNK_MAX;
		buf = fz_big;
	}
	rc = chunk_decode(codec, raw_len, payload, plen, buf, cap, &len, &e);
	if (rc == 0) {
		CHECK(e.code == 0);
		CHECK(raw_len >= 0 && (uint64_t)raw_len <= LIM_CHUNK_MAX);
		CHECK(len == (size_t)raw_len && len <= cap);
		CHECK(codec == 0 || codec == 1);
		if (codec == 0)
			CHECK(plen == len && (len == 0 ||
						 memcmp(buf, payload, len) == 0));
	} else {
		CHECK(rc == DD_ECORRUPT && e.code == rc);
		CHECK(len == 0);
	}
	if (buf != fz_big)
		free(buf);
}

static void
fz_roundtrip(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	size_t bound = chunk_encode_bound(size), olen = 0, len = 0;
	uint8_t *enc;
	int codec, rc;

	if (size > LIM_CHUNK_SIZE)
		return;
	enc = malloc(bound ? bound : 1);
	if (enc == NULL)
		abort();
	/* Level from the input length, deterministic and varied. */
	codec = chunk_encode(data, size, (int)(size % 5), enc, bound, &olen);
	CHECK(codec == 0 || codec == 1);
	CHECK(olen <= bound);
	if (codec == 0)
		CHECK(olen == size);
	else
		CHECK(olen < size);
	rc = chunk_decode(codec, (int64_t)size, enc, olen, fz_big,
	    LIM_CHUNK_MAX, &len, &e);
	CHECK(rc == 0);
	CHECK(len == size);
	CHECK(size == 0 || memcmp(fz_big, data, size) == 0);
	free(enc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fz_big == NULL && (fz_big = malloc(LIM_CHUNK_MAX)) == NULL)
		abort();
	fz_decode(data, size);
	fz_roundtrip(data, size);
	return 0;
}
