/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-image.c: the image importer (the tar walker over archives and
 * layers, gzip and zstd layer streams, manifests, indexes and configs
 * through jansson, whiteouts, history alignment, package databases)
 * over hostile input, through the counting sink.
 *
 * Invariants (trap on violation): the anomalies returned equal the
 * anomaly records sent; the layer stream bytes kept are within the
 * import's decompression budget.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/sink.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct sink_count c;
	struct sink k;
	uint64_t n = 0;

	sink_count_init(&k, &c);
	(void)ingest_buffer(ingest_find("image"), data, size, "fuzz", &k,
	    NULL, &n, &e);
	if (n != c.anomalies)
		__builtin_trap();
	if (c.layer_bytes > MAX(INGEST_DECOMP_FLOOR,
	    (uint64_t)size * INGEST_DECOMP_RATIO))
		__builtin_trap();
	return 0;
}
