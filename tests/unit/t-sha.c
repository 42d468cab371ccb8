/* SPDX-License-Identifier: Apache-2.0 */
/* t-sha.c: SHA-256 on the CPU's SHA extensions (core/sha.c) against
 * OpenSSL's, and the fused chunk-and-blob update. */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/lib-crypto.h"
#include "core/util.h"
#include "core/xmalloc.h"

static void
ref(const void *p, size_t n, uint8_t out[SHA256_LEN])
{
	unsigned int len = 0;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != SHA256_LEN)
		BUG("reference SHA-256 failed");
}

static uint8_t *
pattern(size_t n, uint32_t seed)
{
	uint8_t *p = xmalloc(n ? n : 1);

	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
	return p;
}

/* Every length to 300, one-shot and in three pieces split every way
 * (lengths to 140), against OpenSSL; once with our own code (when the
 * CPU has it) and once forced to OpenSSL. */
static void
check_lengths(struct test_ctx *t)
{
	uint8_t *p = pattern(300, 7);
	uint8_t a[SHA256_LEN], b[SHA256_LEN];
	struct sha *h = sha_new();

	for (size_t n = 0; n <= 300; n++) {
		sha256(p, n, a);
		ref(p, n, b);
		CHECK_MEM(a, b, SHA256_LEN);
	}
	for (size_t n = 0; n <= 140; n += 3) {
		ref(p, n, b);
		for (size_t i = 0; i <= n; i += 5)
			for (size_t j = i; j <= n; j += 7) {
				sha_update(h, p, i);
				sha_update(h, p + i, j - i);
				sha_update(h, p + j, n - j);
				sha_final(h, a);
				CHECK_MEM(a, b, SHA256_LEN);
			}
	}
	sha_free(h);
	free(p);
}

TEST(sha_lengths_and_splits)
{
	check_lengths(t);
	sha_force_openssl(true);
	CHECK(!sha_accelerated());
	check_lengths(t);
	sha_force_openssl(false);
}

/* The known answers of FIPS 180-4's examples, and a million 'a'. */
TEST(sha_known_answers)
{
	static const char *const want[] = {
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	};
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t *m = xmalloc(1000000);
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX];

	memset(m, 'a', 1000000);
	sha256("abc", 3, d);
	hex_encode(d, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, want[0]);
	sha256(two, strlen(two), d);
	hex_encode(d, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, want[1]);
	sha256(m, 1000000, d);
	hex_encode(d, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, want[2]);
	free(m);
}

/* sha_update_digest: each piece's own digest, and the whole stream's,
 * for pieces that keep the stream block-aligned (the fused pass) and
 * pieces that do not (two passes), as chunk.c feeds a blob. */
TEST(sha_update_digest_pieces)
{
	static const size_t sizes[] = { 1 << 20, 64, 0, 4096, 65, 1, 63,
		128, 1 << 20, 640, 100, 1 << 16, 3 };
	size_t total = 0, off = 0;
	uint8_t *p, a[SHA256_LEN], b[SHA256_LEN];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		total += sizes[i];
	p = pattern(total, 11);
	for (int mode = 0; mode < 2; mode++) {
		struct sha *h;
		sha_force_openssl(mode == 1);
		h = sha_new();
		off = 0;
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			sha_update_digest(h, p + off, sizes[i], a);
			ref(p + off, sizes[i], b);
			CHECK_MEM(a, b, SHA256_LEN);
			off += sizes[i];
		}
		sha_final(h, a);
		ref(p, total, b);
		CHECK_MEM(a, b, SHA256_LEN);
		sha_free(h);
	}
	sha_force_openssl(false);
	free(p);
}
