/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-replay-merge.c: `drydock replay-merge` over hostile shard results:
 * the input split at its first NUL into two "shards", merged.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/sbuf.h"
#include "datasets/replay/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct sbuf out = SBUF_INIT, csv = SBUF_INIT;
	const char *names[2] = { "a.json", "b.json" };
	const char *texts[2];
	char *buf = malloc(size + 2);
	size_t cut;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	cut = strlen(buf);
	texts[0] = buf;
	texts[1] = buf + cut + (cut < size ? 1 : 0);
	(void)rp_merge(texts, names, cut < size ? 2 : 1, &out, &csv, &e);
	sbuf_release(&out);
	sbuf_release(&csv);
	free(buf);
	return 0;
}
