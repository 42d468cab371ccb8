/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-raw.c: the raw importer through the framework: sniffing (with the
 * compression-filter check) decides nothing may crash, and the raw import
 * over any bytes records nothing and never fails.
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
	struct ingest_guess g;
	struct sink_count c;
	struct sink k;

	ingest_sniff_buf(data, size, "fuzz", &g);
	(void)ingest_filter_magic(data, size);
	sink_count_init(&k, &c);
	if (ingest_buffer(ingest_find("raw"), data, size, "fuzz", &k, NULL,
		NULL, &e) != 0 ||
	    c.anomalies != 0)
		__builtin_trap();
	return 0;
}
