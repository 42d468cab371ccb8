/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sink-store.c: the sink that writes records into the case store, inside
 * the importer's batch transaction (rows stay invisible until the artifact
 * is complete). See sink.h.
 */
#include "core/common.h"
#include "core/sink.h"

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/store.h"

static int
sink_store_anomaly(struct sink *k, int64_t artifact_id, int64_t off,
    const char *msg, struct dd_err *e)
{
	struct store *s = k->impl;
	sqlite3_stmt *st;

	st = store_stmt(s, "INSERT INTO anomaly_all(artifact_id, offset, "
			   "message) VALUES (?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, artifact_id);
	if (off >= 0)
		sqlite3_bind_int64(st, 2, off);
	sqlite3_bind_text(st, 3, msg, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	return s->in_tx ? store_tick(s, 1, e) : 0;
}

static const struct sink_ops sink_store_ops = {
	.abi = SINK_ABI,
	.anomaly = sink_store_anomaly,
};

void
sink_store_init(struct sink *k, struct store *s)
{
	k->ops = &sink_store_ops;
	k->impl = s;
}
