/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-procsnap.c: the /proc snapshot importer (tars) over
 * any bytes, through the framework's in-memory source and a counting sink:
 * it either imports (records, maybe anomalies) or rejects with a message,
 * and never crashes on members of the wrong shape.
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
	int rc;

	sink_count_init(&k, &c);
	rc = ingest_buffer(ingest_find("procsnap"), data, size, "fuzz", &k, NULL,
	    NULL, &e);
	if (rc != 0 && (e.code != rc || e.msg[0] == '\0'))
		__builtin_trap();
	return 0;
}
