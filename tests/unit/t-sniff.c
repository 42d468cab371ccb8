/* SPDX-License-Identifier: Apache-2.0 */
/* t-sniff.c: compression magic and importer sniffing (ingest/ingest.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <zstd.h>

#include "core/xmalloc.h"
#include "ingest/ingest.h"

/* ingest_filter_magic on an exact-size heap copy (ASan sees overreads). */
static const char *
sniff_t_magic(const void *p, size_t n)
{
	uint8_t *copy = xmalloc(n ? n : 1);
	const char *f;

	if (n)
		memcpy(copy, p, n);
	f = ingest_filter_magic(copy, n);
	free(copy);
	return f;
}

#define CHECK_MAGIC(lit, want) \
	CHECK_EQ_STR(sniff_t_magic((lit), sizeof(lit) - 1), (want))

TEST(sniff_filter_magic)
{
	uint8_t src[1000], z[2000];
	size_t zn;

	CHECK_MAGIC("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "gzip");
	CHECK_MAGIC("\x1f\x8b\x08\x08", "gzip");
	CHECK_MAGIC("\x28\xb5\x2f\xfd\x04\x58", "zstd");
	CHECK_MAGIC("\xfd\x37\x7a\x58\x5a\x00\x00\x04", "xz");
	CHECK_MAGIC("\xfd\x37\x7a\x58\x5a\x00", "xz");
	CHECK_MAGIC("BZh91AY&SY", "bzip2");
	CHECK_MAGIC("BZh9", "bzip2");
	/* A real zstd frame. */
	memset(src, 'q', sizeof(src));
	zn = ZSTD_compress(z, sizeof(z), src, sizeof(src), 3);
	if (CHECK(!ZSTD_isError(zn)))
		CHECK_EQ_STR(sniff_t_magic(z, zn), "zstd");

	/* Not compression. */
	CHECK_MAGIC("PK\x03\x04", NULL);
	CHECK_MAGIC("\xd4\xc3\xb2\xa1\x02\x00\x04\x00", NULL);
	CHECK_MAGIC("drydock-template\n", NULL);
	CHECK_MAGIC("\x1f\x8c\x08\x00", NULL);
	CHECK_MAGIC("\x28\xb5\x2f\xfe", NULL);
	CHECK_MAGIC("\xfd\x37\x7a\x58\x5a\x01", NULL);	/* xz, bad 6th */
	CHECK_MAGIC("\xfd\x37\x7a\x58\x00\x00", NULL);
	CHECK_MAGIC("BZh", NULL);			/* short */
	CHECK_MAGIC("BZ\x00\x39", NULL);

	/* Short input is rejected, not read past. */
	CHECK_MAGIC("", NULL);
	CHECK_MAGIC("\x1f", NULL);
	CHECK_MAGIC("\x1f\x8b", NULL);
	CHECK_MAGIC("\x1f\x8b\x08", NULL);
	CHECK_MAGIC("\x28\xb5\x2f", NULL);
	CHECK_MAGIC("\xfd\x37\x7a\x58\x5a", NULL);	/* xz needs 6 */
	CHECK(ingest_filter_magic(NULL, 0) == NULL);
}

static uint64_t
sniff_t_rand(uint64_t *st)
{
	uint64_t z = (*st += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Random bytes are nobody's format; every sniffer stays inside n. */
TEST(sniff_random_data)
{
	static const size_t fixed[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 24, 32,
		64, 512, 4096, INGEST_SNIFF_MAX, INGEST_SNIFF_MAX + 100 };
	uint64_t seed = 2024;
	struct ingest_guess g;
	size_t i, j, n;
	int bad = 0;

	for (i = 0; i < ARRAY_SIZE(fixed) + 200; i++) {
		uint8_t *p;

		n = i < ARRAY_SIZE(fixed) ?
		    fixed[i] :
		    (size_t)(sniff_t_rand(&seed) % (i % 4 ? 256 : 70000));
		p = xmalloc(n ? n : 1);
		for (j = 0; j < n; j++)
			p[j] = (uint8_t)(sniff_t_rand(&seed) >> 56);
		ingest_sniff_buf(p, n, i % 2 ? "evidence.bin" : NULL, &g);
		if (g.imp != NULL || g.score >= INGEST_SNIFF_MIN ||
		    (g.cand[0] != NULL && g.cand_score[0] >= INGEST_SNIFF_MIN)) {
			if (bad++ < 5)
				FAIL("random buffer %zu (%zu bytes) sniffed as "
				     "'%s' with %d",
				    i, n,
				    g.cand[0] ? g.cand[0]->name : "?",
				    g.cand_score[0]);
		}
		/* Every sniffer directly too (no clamping here). */
		for (j = 0; ingest_table[j] != NULL; j++) {
			const struct importer *imp = ingest_table[j];
			int sc;
			if (imp->sniff == NULL || n > INGEST_SNIFF_MAX)
				continue;
			sc = imp->sniff(p, n, "x");
			if (sc < 0 || sc >= INGEST_SNIFF_MIN)
				if (bad++ < 5)
					FAIL("'%s' sniffs random buffer %zu "
					     "as %d",
					    imp->name, i, sc);
		}
		free(p);
	}
	CHECK_EQ_INT(bad, 0);
}

TEST(sniff_template_never_chosen)
{
	static const char doc[] = "drydock-template\nkey=value\nother=1\n";
	const struct importer *tmpl = ingest_find("template");
	struct ingest_guess g;
	uint8_t *p;
	size_t k, n = sizeof(doc) - 1;
	int i;

	if (!CHECK(tmpl != NULL))
		return;
	CHECK(tmpl->flags & IMP_TESTONLY);
	p = xmalloc(n);
	memcpy(p, doc, n);
	/* The template's own sniffer does claim the input... */
	CHECK(tmpl->sniff(p, n, "t.txt") >= INGEST_SNIFF_MIN);
	/* ...but sniffing never picks a test-only importer. */
	ingest_sniff_buf(p, n, "t.txt", &g);
	CHECK(g.imp != tmpl);
	for (i = 0; i < 3; i++)
		CHECK(g.cand[i] != tmpl);
	/* Every prefix of the input is sniffed safely (ASan: no overread). */
	for (k = 0; k <= n; k++) {
		uint8_t *q = xmalloc(k ? k : 1);
		memcpy(q, doc, k);
		ingest_sniff_buf(q, k, NULL, &g);
		CHECK(g.imp != tmpl);
		if (k <= 16)
			CHECK_EQ_INT(tmpl->sniff(q, k, ""), 0);
		free(q);
	}
	free(p);
}

TEST(sniff_guess_shape)
{
	struct ingest_guess g;
	int i;

	memset(&g, 0xa5, sizeof(g));
	ingest_sniff_buf((const uint8_t *)"", 0, NULL, &g);
	CHECK(g.imp == NULL);
	CHECK_EQ_INT(g.score, 0);
	for (i = 0; i < 3; i++)
		CHECK(g.cand[i] == NULL || g.cand_score[i] > 0);
	/* Candidates are in descending score order. */
	ingest_sniff_buf((const uint8_t *)"hello\n", 6, "a.txt", &g);
	for (i = 1; i < 3; i++)
		if (g.cand[i] != NULL)
			CHECK(g.cand_score[i] <= g.cand_score[i - 1]);
}
