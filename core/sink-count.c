/* SPDX-License-Identifier: Apache-2.0 */
/* sink-count.c: the counting sink; see sink.h. */
#include "core/common.h"
#include "core/sink.h"

#include "core/dderr.h"

static int
sink_count_anomaly(struct sink *k, int64_t artifact_id, int64_t off,
    const char *msg, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)off;
	(void)e;
	if (msg == NULL)
		BUG("anomaly without a message");
	c->anomalies++;
	c->bytes += strlen(msg);
	return 0;
}

static int
sink_count_event(struct sink *k, int64_t artifact_id,
    const struct event_rec *r, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)e;
	if (r == NULL)
		BUG("event without a record");
	c->events++;
	return 0;
}

static int
sink_count_process(struct sink *k, int64_t artifact_id,
    const struct process_rec *p, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)e;
	if (p == NULL || (p->ntids > 0 && p->tids == NULL))
		BUG("malformed process record");
	c->processes++;
	return 0;
}

static const struct sink_ops sink_count_ops = {
	.abi = SINK_ABI,
	.anomaly = sink_count_anomaly,
	.event = sink_count_event,
	.process = sink_count_process,
};

void
sink_count_init(struct sink *k, struct sink_count *c)
{
	memset(c, 0, sizeof(*c));
	k->ops = &sink_count_ops;
	k->impl = c;
}
