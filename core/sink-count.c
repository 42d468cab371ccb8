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

static int
sink_count_member(struct sink *k, int64_t artifact_id,
    const struct member_rec *m, int64_t *member_id, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)e;
	if (m == NULL || m->name == NULL || m->format == NULL ||
	    member_id == NULL)
		BUG("malformed member record");
	if (m->sha256 != NULL && *member_id > 0) {
		if ((uint64_t)*member_id > c->members)
			BUG("member %" PRId64 " was never numbered", *member_id);
		return 0;
	}
	*member_id = (int64_t)++c->members;
	return 0;
}

static int
sink_count_label(struct sink *k, int64_t artifact_id, const char *key,
    const char *value, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)e;
	if (key == NULL || value == NULL)
		BUG("label without a key or value");
	c->labels++;
	c->bytes += strlen(key) + strlen(value);
	return 0;
}

static int
sink_count_net(struct sink *k, int64_t artifact_id, const struct net_rec *r,
    struct dd_err *e)
{
	struct sink_count *c = k->impl;
	int i;

	(void)artifact_id;
	(void)e;
	if (r == NULL || r->kind < NR_FLOW || r->kind >= NR_NKINDS)
		BUG("malformed network record");
	for (i = 0; i < NR_NS; i++)
		if (r->s[i] != NULL)
			c->bytes += strlen(r->s[i]);
	c->nets++;
	return 0;
}

static int
sink_count_packets(struct sink *k, int64_t artifact_id, int64_t first_pkt,
    const struct packet_rec *p, size_t n, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)e;
	if (p == NULL || n == 0 || n > SINK_PACKETS_MAX ||
	    first_pkt != (int64_t)c->packets + 1)
		BUG("malformed packet batch");
	c->packets += n;
	return 0;
}

static int
sink_count_layer_data(struct sink *k, int64_t artifact_id, int64_t layer_no,
    const void *p, size_t n, struct dd_err *e)
{
	struct sink_count *c = k->impl;

	(void)artifact_id;
	(void)e;
	if (layer_no <= 0 || (n > 0 && p == NULL))
		BUG("malformed layer data");
	c->layer_bytes += n;
	return 0;
}

static const struct sink_ops sink_count_ops = {
	.abi = SINK_ABI,
	.anomaly = sink_count_anomaly,
	.event = sink_count_event,
	.process = sink_count_process,
	.member = sink_count_member,
	.label = sink_count_label,
	.net = sink_count_net,
	.packets = sink_count_packets,
	.layer_data = sink_count_layer_data,
};

void
sink_count_init(struct sink *k, struct sink_count *c)
{
	memset(c, 0, sizeof(*c));
	k->ops = &sink_count_ops;
	k->impl = c;
}
