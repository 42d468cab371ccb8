/* SPDX-License-Identifier: Apache-2.0 */
/* sqlrule.c: findings from SQL over the case (see sqlrule.h). */
#include "core/common.h"

#include "analyzers/sqlrule.h"
#include "core/arena.h"
#include "core/dderr.h"
#include "core/sbuf.h"

#define SQLRULE_ATTACK_MAX 8

static int
sqlrule_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct arena *a = ctx->arena;
	struct finding f;
	struct finding_ref ev[3];
	const char *attack[SQLRULE_ATTACK_MAX];
	size_t nev = 0;
	int i;

	memset(&f, 0, sizeof(f));
	f.rule = arena_strdup(a, rowq_text(r, 0));
	if (!finding_sev_parse(rowq_text(r, 1), &f.severity))
		return dd_err_set(e, DD_EINTERNAL, "rule %s: severity '%s'",
		    f.rule, rowq_text(r, 1));
	f.confidence = 1.0;
	f.nattack = finding_attack_split(a, rowq_text(r, 2), attack,
	    SQLRULE_ATTACK_MAX);
	f.attack = attack;
	f.container_id = rowq_null(r, 3) ? NULL :
					   arena_strdup(a, rowq_text(r, 3));
	f.title = arena_strdup(a, rowq_text(r, 4));
	f.detail = arena_strdup(a, rowq_text(r, 5));
	for (i = 6; i + 1 < rowq_ncol(r) && nev < 3; i += 2)
		if (!rowq_null(r, i) && !rowq_null(r, i + 1)) {
			ev[nev].a = arena_strdup(a, rowq_text(r, i));
			ev[nev].b = arena_strdup(a, rowq_text(r, i + 1));
			nev++;
		}
	if (nev == 0)
		return dd_err_set(e, DD_EINTERNAL, "rule %s: no evidence",
		    f.rule);
	f.evidence = ev;
	f.nevidence = nev;
	if (rowq_ncol(r) > 12 && !rowq_null(r, 12)) {
		f.ts = rowq_int(r, 12);
		f.has_ts = true;
	}
	return an_emit(ctx, &f);
}

int
sqlrule_run(struct an_ctx *ctx, const struct sqlrule *r, size_t n,
    struct dd_err *e)
{
	int rc;

	for (size_t i = 0; i < n; i++)
		if ((rc = an_query(ctx, r[i].sql, NULL, 0, sqlrule_row, ctx,
			 e)) < 0) {
			dd_err_prefix(e, "%s", r[i].what);
			return rc;
		}
	return 0;
}

const char *
sqlrule_text(const char *name, const struct sqlrule *r, size_t n)
{
	static struct sbuf out = SBUF_INIT;

	sbuf_reset(&out);
	sbuf_addf(&out, "%s analyzer rules v1\n", name);
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&out, "-- %s\n%s\n", r[i].what, r[i].sql);
	return out.buf;
}
