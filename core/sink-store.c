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
#include "core/event.h"
#include "core/evstore.h"
#include "core/store.h"
#include "core/strtab.h"
#include "core/xmalloc.h"

struct sink_store {
	struct store *s;
	struct strtab *st;   /* created on the first event */
	struct evw *w;	     /* writer of the current artifact */
	int64_t artifact_id; /* that artifact */
};

static int
sink_store_anomaly(struct sink *k, int64_t artifact_id, int64_t off,
    const char *msg, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
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

static int
sink_store_writer(struct sink_store *ss, int64_t artifact_id,
    struct dd_err *e)
{
	int rc;

	if (ss->w != NULL && ss->artifact_id == artifact_id)
		return 0;
	if (ss->w != NULL) {
		if ((rc = evw_finish(ss->w, NULL, e)) < 0)
			return rc;
		evw_free(ss->w);
		ss->w = NULL;
	}
	if (ss->st == NULL)
		ss->st = strtab_new(ss->s);
	ss->artifact_id = artifact_id;
	return evw_new(ss->s, ss->st, artifact_id, &ss->w, e);
}

static int
sink_store_event(struct sink *k, int64_t artifact_id,
    const struct event_rec *r, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	int rc;

	if ((rc = sink_store_writer(ss, artifact_id, e)) < 0)
		return rc;
	return evw_add(ss->w, r, e);
}

static int
sink_store_process(struct sink *k, int64_t artifact_id,
    const struct process_rec *p, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	sqlite3_stmt *st;
	int64_t id;
	size_t i;

	st = store_stmt(s,
	    "INSERT INTO process_all(artifact_id, pid, ppid, comm, exe, args, "
	    "start_ts, end_ts, exit_code, exit_signal) VALUES (?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, artifact_id);
	sqlite3_bind_int64(st, 2, p->pid);
	if (p->ppid >= 0)
		sqlite3_bind_int64(st, 3, p->ppid);
	if (p->comm)
		sqlite3_bind_text(st, 4, p->comm, -1, SQLITE_STATIC);
	if (p->exe)
		sqlite3_bind_text(st, 5, p->exe, -1, SQLITE_STATIC);
	if (p->args)
		sqlite3_bind_text(st, 6, p->args, -1, SQLITE_STATIC);
	if (p->start_ts != EV_TS_NONE)
		sqlite3_bind_int64(st, 7, p->start_ts);
	if (p->end_ts != EV_TS_NONE)
		sqlite3_bind_int64(st, 8, p->end_ts);
	if (p->has_exit)
		sqlite3_bind_int64(st, 9, p->exit_code);
	if (p->exit_signal)
		sqlite3_bind_text(st, 10, p->exit_signal, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	id = store_last_id(s);
	for (i = 0; i < p->ntids; i++) {
		st = store_stmt(s, "INSERT OR REPLACE INTO event_threads("
				   "artifact_id, tid, pid) VALUES (?, ?, ?)",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, artifact_id);
		sqlite3_bind_int64(st, 2, p->tids[i]);
		sqlite3_bind_int64(st, 3, p->pid);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
	}
	for (i = 0; i < p->nexecs; i++) {
		st = store_stmt(s, "INSERT INTO exec_all(artifact_id, "
				   "process_id, ts, exe, args) VALUES (?, ?, ?, "
				   "?, ?)",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, artifact_id);
		sqlite3_bind_int64(st, 2, id);
		if (p->execs[i].ts != EV_TS_NONE)
			sqlite3_bind_int64(st, 3, p->execs[i].ts);
		if (p->execs[i].exe)
			sqlite3_bind_text(st, 4, p->execs[i].exe, -1,
			    SQLITE_STATIC);
		if (p->execs[i].args)
			sqlite3_bind_text(st, 5, p->execs[i].args, -1,
			    SQLITE_STATIC);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
	}
	return s->in_tx ? store_tick(s, (int)(1 + p->ntids + p->nexecs), e) :
			  0;
}

static int
sink_store_end(struct sink *k, int64_t artifact_id, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	int rc = 0;

	(void)artifact_id;
	if (ss->w != NULL) {
		rc = evw_finish(ss->w, NULL, e);
		evw_free(ss->w);
		ss->w = NULL;
	}
	return rc;
}

static const struct sink_ops sink_store_ops = {
	.abi = SINK_ABI,
	.anomaly = sink_store_anomaly,
	.event = sink_store_event,
	.process = sink_store_process,
	.end = sink_store_end,
};

void
sink_store_init(struct sink *k, struct store *s)
{
	struct sink_store *ss = xcalloc(1, sizeof(*ss));

	ss->s = s;
	k->ops = &sink_store_ops;
	k->impl = ss;
}

void
sink_store_release(struct sink *k)
{
	struct sink_store *ss = k->impl;

	if (ss == NULL)
		return;
	evw_free(ss->w);
	strtab_free(ss->st);
	free(ss);
	k->impl = NULL;
}
