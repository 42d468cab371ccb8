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

static const struct sink_ops sink_count_ops = {
	.abi = SINK_ABI,
	.anomaly = sink_count_anomaly,
};

void
sink_count_init(struct sink *k, struct sink_count *c)
{
	memset(c, 0, sizeof(*c));
	k->ops = &sink_count_ops;
	k->impl = c;
}
