/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-lidds.c: the lidds2021 and lidds2019 importers (and so the importer framework's
 * in-memory source, anomaly budget and counting sink) over hostile input.
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
	/* Every input goes through both readers. */
	(void)ingest_buffer(ingest_find("lidds2021"), data, size, "fuzz", &k,
	    NULL, &n, &e);
	if (n != c.anomalies)
		__builtin_trap();
	sink_count_init(&k, &c);
	e = (struct dd_err)DD_ERR_INIT;
	(void)ingest_buffer(ingest_find("lidds2019"), data, size, "fuzz", &k,
	    NULL, &n, &e);
	if (n != c.anomalies)
		__builtin_trap();
	return 0;
}
