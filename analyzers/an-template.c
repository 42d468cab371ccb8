/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-template.c: the analyzer to copy when adding one.
 *
 * Registered under the test-only name "template" (run it with
 * `drydock analyze --only template`). It shows the contract end to end:
 * state allocated in init from the run's arena, per-record callbacks fed
 * by the dispatcher's single passes, a finish step that queries a small
 * table with ORDER BY, and findings with a dotted rule id and evidence.
 * Its one rule, tpl.artifact.large, flags artifacts of 1 MiB or more.
 *
 * Copy me:
 *  1. cp analyzers/an-template.c analyzers/an-<name>.c; rename an_template.
 *  2. Declare needs, version (major feeds finding ids) and the rules.
 *  3. Implement on_event / on_flow (O(1) per record; keep per-container
 *     state in the arena) and finish; emit findings whose first evidence
 *     row is the primary one (it makes the id stable).
 *  4. Register it in analyzers/registry.c (sorted), document its rules in
 *     analyzers/README.md, and add a test that fires and one that does
 *     not.
 */
#include "core/common.h"

#include "analyzers/analyzer.h"
#include "core/dderr.h"
#include "core/sbuf.h"

struct an_template_state {
	int64_t events; /* records seen in the event pass */
	int64_t flows;	/* records seen in the flow pass */
};

static int
an_template_init(struct an_ctx *ctx, struct dd_err *e)
{
	(void)e;
	ctx->state = arena_zalloc(ctx->arena, sizeof(struct an_template_state));
	return 0;
}

static int
an_template_event(struct an_ctx *ctx, const struct an_event *ev,
    struct dd_err *e)
{
	struct an_template_state *st = ctx->state;

	(void)ev;
	(void)e;
	st->events++;
	return 0;
}

static int
an_template_flow(struct an_ctx *ctx, const struct an_flow *fl,
    struct dd_err *e)
{
	struct an_template_state *st = ctx->state;

	(void)fl;
	(void)e;
	st->flows++;
	return 0;
}

static int
an_template_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct finding_ref ev = { "artifacts", rowq_text(r, 0) };
	struct sbuf t = SBUF_INIT;
	struct finding f;
	int rc;

	(void)e;
	sbuf_addf(&t, "artifact '%s' is %" PRId64 " bytes", rowq_text(r, 1),
	    rowq_int(r, 2));
	memset(&f, 0, sizeof(f));
	f.rule = "tpl.artifact.large";
	f.severity = SEV_INFO;
	f.confidence = 1.0;
	f.title = t.buf;
	f.detail = "The template analyzer flags artifacts of 1 MiB or more.";
	f.evidence = &ev;
	f.nevidence = 1;
	rc = an_emit(ctx, &f);
	sbuf_release(&t);
	return rc;
}

static int
an_template_finish(struct an_ctx *ctx, struct dd_err *e)
{
	return an_query(ctx,
	    "SELECT id, name, size FROM artifacts WHERE size >= 1048576 AND "
	    "format != 'group' ORDER BY id",
	    NULL, 0, an_template_row, ctx, e);
}

static const char *
an_template_rules(void)
{
	return "tpl.artifact.large: artifacts.size >= 1048576\n";
}

const struct analyzer an_template = {
	.abi = ANALYZER_ABI,
	.name = "template",
	.version = "1.0",
	.summary = "test-only example: flags artifacts of 1 MiB or more",
	.needs = AN_NEEDS_NONE,
	.flags = AN_TESTONLY,
	.init = an_template_init,
	.on_event = an_template_event,
	.on_flow = an_template_flow,
	.finish = an_template_finish,
	.rules = an_template_rules,
};
