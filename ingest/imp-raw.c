/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-raw.c: keep any file bit-exact without parsing it.
 *
 * The fallback when no importer recognises the evidence (best sniff score
 * under INGEST_SNIFF_MIN), or chosen with --as raw. The original is kept
 * and hashed like any other artifact; the artifact is marked parsed = 0 and
 * the CLI says so, naming the best candidates the sniffers offered.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "ingest/ingest.h"

static int
imp_raw_sniff(const uint8_t *head, size_t n, const char *basename)
{
	(void)head;
	(void)n;
	(void)basename;
	/* Never claims a file: it is what remains when nothing else does. */
	return 0;
}

static int
imp_raw_import(struct imp_ctx *ctx, struct dd_err *e)
{
	(void)e;
	ctx->parsed = false;
	return 0;
}

const struct importer imp_raw = {
	.abi = INGEST_ABI,
	.name = "raw",
	.version = "1",
	.summary = "any file, kept bit-exact and hashed, not parsed",
	.kind = EV_RAW,
	.flags = 0,
	.sniff = imp_raw_sniff,
	.import = imp_raw_import,
	.options = NULL,
};
