/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-sniff.c: every sniffer at once over hostile prefixes.
 *
 * The input is the head of a file as ingest_path() would read it (already
 * decompressed). It goes through ingest_filter_magic(), ingest_sniff_buf()
 * (every registered sniffer, as the framework runs them) and then each
 * importer's sniff() directly, test-only ones included, so a sniffer added
 * to ingest/registry.c is fuzzed without touching this file.
 *
 * The basename hint is chosen by the input size from a fixed list, so it
 * varies but a given input always sees the same one.
 *
 * Invariants checked (__builtin_trap on violation):
 * - the filter is NULL or one of "gzip", "zstd", "xz", "bzip2";
 * - the guess is consistent: imp set iff cand[0] scores at least
 *   INGEST_SNIFF_MIN, imp == cand[0], candidates in descending score
 *   order, no candidate without a positive score;
 * - sniffing is pure: a second ingest_sniff_buf() gives the same guess and
 *   the input bytes are unchanged.
 */
#include "core/common.h"

#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fz_sniff_names[] = {
	"",
	"capture.pcap",
	"capture.pcapng",
	"trace.scap",
	"strace.out",
	"image.tar",
	"core.1234",
	"audit.json",
	"layer.tar.gz",
	"UAD-Adduser-5-1371.txt",
};

static void
fz_sniff_check_filter(const char *f)
{
	if (f == NULL)
		return;
	if (strcmp(f, "gzip") != 0 && strcmp(f, "zstd") != 0 &&
	    strcmp(f, "xz") != 0 && strcmp(f, "bzip2") != 0)
		__builtin_trap();
}

static void
fz_sniff_check_guess(const struct ingest_guess *g)
{
	int k;

	if (g->imp != NULL) {
		if (g->imp != g->cand[0] || g->score != g->cand_score[0] ||
		    g->score < INGEST_SNIFF_MIN)
			__builtin_trap();
	} else {
		if (g->score != 0)
			__builtin_trap();
		if (g->cand[0] != NULL && g->cand_score[0] >= INGEST_SNIFF_MIN)
			__builtin_trap();
	}
	for (k = 0; k < 3; k++) {
		if (g->cand[k] == NULL) {
			if (g->cand_score[k] != 0)
				__builtin_trap();
			continue;
		}
		if (g->cand_score[k] <= 0)
			__builtin_trap();
		if (k > 0 && (g->cand[k - 1] == NULL ||
				 g->cand_score[k] > g->cand_score[k - 1]))
			__builtin_trap();
		if (g->cand[k]->flags & IMP_TESTONLY)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *base = fz_sniff_names[size % ARRAY_SIZE(fz_sniff_names)];
	struct ingest_guess g1, g2;
	size_t n = MIN(size, (size_t)INGEST_SNIFF_MAX);
	uint8_t *copy;
	size_t i;

	/* A private copy of exactly n bytes: sniffers see no slack, and we
	 * can tell whether one wrote to its input. */
	copy = malloc(n ? n : 1);
	if (copy == NULL)
		abort();
	if (n)
		memcpy(copy, data, n);

	fz_sniff_check_filter(ingest_filter_magic(copy, n));
	ingest_sniff_buf(copy, n, base, &g1);
	fz_sniff_check_guess(&g1);
	ingest_sniff_buf(copy, n, NULL, &g2);
	fz_sniff_check_guess(&g2);
	ingest_sniff_buf(copy, n, base, &g2);
	if (memcmp(&g1, &g2, sizeof(g1)) != 0)
		__builtin_trap();

	for (i = 0; ingest_table[i] != NULL; i++) {
		const struct importer *imp = ingest_table[i];

		if (imp->sniff != NULL)
			(void)imp->sniff(copy, n, base);
	}
	if (n && memcmp(copy, data, n) != 0)
		__builtin_trap();
	free(copy);
	return 0;
}
