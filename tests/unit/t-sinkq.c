/* SPDX-License-Identifier: Apache-2.0 */
/* t-sinkq.c: the sink queue (core/sink-queue.h): order, deep copies,
 * large records, errors from the consumer thread. */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/dderr.h"
#include "core/event.h"
#include "core/sbuf.h"
#include "core/sink-queue.h"
#include "core/sink.h"

/* A target that logs what it gets, one line per record, and fails at
 * event number fail_at (0: never). */
struct logsink {
	struct sbuf log;
	uint64_t events;
	uint64_t fail_at;
	bool ended;
};

static int
log_event(struct sink *k, int64_t artifact_id, const struct event_rec *r,
    struct dd_err *e)
{
	struct logsink *l = k->impl;

	if (++l->events == l->fail_at)
		return dd_err_set(e, DD_EFORMAT, "boom at %" PRIu64, l->events);
	sbuf_addf(&l->log, "e %" PRId64 " %" PRIu64 " %s %s %zu\n",
	    artifact_id, r->ord, r->name, r->path ? r->path : "-",
	    r->args ? strlen(r->args) : 0);
	return 0;
}

static int
log_anomaly(struct sink *k, int64_t artifact_id, int64_t off, const char *msg,
    struct dd_err *e)
{
	struct logsink *l = k->impl;

	(void)e;
	sbuf_addf(&l->log, "a %" PRId64 " %" PRId64 " %s\n", artifact_id, off,
	    msg);
	return 0;
}

static int
log_end(struct sink *k, int64_t artifact_id, struct dd_err *e)
{
	struct logsink *l = k->impl;

	(void)artifact_id;
	(void)e;
	l->ended = true;
	return 0;
}

static const struct sink_ops log_ops = {
	.abi = SINK_ABI,
	.anomaly = log_anomaly,
	.event = log_event,
	.end = log_end,
};

/* Emit n events (every 1000th with an argument text larger than a
 * batch, every 777th preceded by an anomaly) through k; the expected log
 * goes to want. Strings live in a buffer overwritten per event, as an
 * importer's scratch memory is. */
static int
emit(struct sink *k, uint64_t n, struct sbuf *want, struct dd_err *e)
{
	static char big[SINK_QUEUE_TEXT + 4096];
	char name[32], path[64];
	uint64_t i;
	int rc;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (i = 0; i < n; i++) {
		struct event_rec r;
		memset(&r, 0, sizeof(r));
		if (i % 777 == 0) {
			rc = k->ops->anomaly(k, 3, (int64_t)i, "odd line", e);
			if (rc < 0)
				return rc;
			sbuf_addf(want, "a 3 %" PRIu64 " odd line\n", i);
		}
		snprintf(name, sizeof(name), "call%" PRIu64, i % 37);
		snprintf(path, sizeof(path), "/p/%" PRIu64, i);
		r.ord = i;
		r.kind = EVK_SYSCALL;
		r.name = name;
		r.path = i % 3 ? path : NULL;
		r.args = i % 1000 == 999 ? big : NULL;
		if ((rc = k->ops->event(k, 3, &r, e)) < 0)
			return rc;
		sbuf_addf(want, "e 3 %" PRIu64 " %s %s %zu\n", i, name,
		    r.path ? path : "-", r.args ? strlen(big) : 0);
		memset(name, '?', sizeof(name) - 1); /* the scratch is reused */
		memset(path, '?', sizeof(path) - 1);
	}
	return 0;
}

TEST(sinkq_order_and_copies)
{
	struct logsink l;
	struct sink target = { &log_ops, &l }, q;
	struct sbuf want = SBUF_INIT;
	struct dd_err e = DD_ERR_INIT;

	memset(&l, 0, sizeof(l));
	sbuf_init(&l.log, SBUF_MAX_DEFAULT);
	CHECK_EQ_INT(sink_queue_start(&q, &target, NULL, &e), 0);
	CHECK_EQ_INT(emit(&q, 3 * SINK_QUEUE_EVENTS + 5000, &want, &e), 0);
	/* No tap: raw bytes are dropped. */
	CHECK_EQ_INT(sink_queue_raw(&q, "abc", 3, &e), 0);
	CHECK_EQ_INT(q.ops->end(&q, 3, &e), 0);
	CHECK(l.ended);
	CHECK_EQ_INT(l.events, 3 * SINK_QUEUE_EVENTS + 5000);
	CHECK_EQ_INT(l.log.len, want.len);
	CHECK(strcmp(l.log.buf, want.buf) == 0);
	sink_queue_stop(&q);
	CHECK(q.impl == NULL);
	sbuf_release(&want);
	sbuf_release(&l.log);
}

TEST(sinkq_consumer_error_reaches_producer)
{
	struct logsink l;
	struct sink target = { &log_ops, &l }, q;
	struct sbuf want = SBUF_INIT;
	struct dd_err e = DD_ERR_INIT;
	int rc;

	memset(&l, 0, sizeof(l));
	sbuf_init(&l.log, SBUF_MAX_DEFAULT);
	l.fail_at = 5000;
	CHECK_EQ_INT(sink_queue_start(&q, &target, NULL, &e), 0);
	/* The producer learns of the failure on a later call: by the end of
	 * the emitting, or at the drain. */
	rc = emit(&q, 5000 + 6 * SINK_QUEUE_EVENTS, &want, &e);
	if (rc == 0)
		rc = sink_queue_drain(&q, &e);
	CHECK_EQ_INT(rc, DD_EFORMAT);
	CHECK_EQ_STR(e.msg, "boom at 5000");
	/* Nothing after the failure reached the target. */
	CHECK_EQ_INT(l.events, 5000);
	sink_queue_stop(&q);
	sbuf_release(&want);
	sbuf_release(&l.log);
}
