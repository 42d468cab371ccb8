/* SPDX-License-Identifier: Apache-2.0 */
/* analyzer.c: the dispatcher and emission helpers; see analyzer.h. */
#include "core/common.h"
#include "analyzers/analyzer.h"

#include "core/dderr.h"
#include "core/store.h"
#include "core/xmalloc.h"

const struct analyzer *
analyzer_find(const char *name)
{
	size_t i;

	for (i = 0; analyzer_table[i] != NULL; i++)
		if (strcmp(analyzer_table[i]->name, name) == 0)
			return analyzer_table[i];
	return NULL;
}

static const char *
an_dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static const struct finding_ref *
an_dup_refs(struct arena *a, const struct finding_ref *r, size_t n)
{
	struct finding_ref *out;
	size_t i;

	if (n == 0)
		return NULL;
	out = arena_alloc(a, n * sizeof(*out));
	for (i = 0; i < n; i++) {
		out[i].a = an_dup(a, r[i].a);
		out[i].b = an_dup(a, r[i].b);
	}
	return out;
}

int
an_emit(struct an_ctx *ctx, const struct finding *f)
{
	struct finding *c;
	const char **att;
	size_t i;

	if (ctx->nfound == ctx->afound) {
		struct finding *nv;
		size_t na = ctx->afound ? ctx->afound * 2 : 16;
		nv = arena_alloc(ctx->arena, na * sizeof(*nv));
		if (ctx->nfound)
			memcpy(nv, ctx->found, ctx->nfound * sizeof(*nv));
		ctx->found = nv;
		ctx->afound = na;
	}
	c = &ctx->found[ctx->nfound++];
	*c = *f;
	c->rule = an_dup(ctx->arena, f->rule);
	c->title = an_dup(ctx->arena, f->title);
	c->detail = an_dup(ctx->arena, f->detail);
	c->container_id = an_dup(ctx->arena, f->container_id);
	if (f->nattack) {
		att = arena_alloc(ctx->arena, f->nattack * sizeof(*att));
		for (i = 0; i < f->nattack; i++)
			att[i] = an_dup(ctx->arena, f->attack[i]);
		c->attack = att;
	}
	c->evidence = an_dup_refs(ctx->arena, f->evidence, f->nevidence);
	c->entities = an_dup_refs(ctx->arena, f->entities, f->nentities);
	return 0;
}

int
an_link(struct an_ctx *ctx, const struct finding_link *l)
{
	struct finding_link *c;

	if (ctx->nlinks == ctx->alinks) {
		ctx->alinks = ctx->alinks ? ctx->alinks * 2 : 64;
		ctx->links = xreallocarray(ctx->links, ctx->alinks,
		    sizeof(*ctx->links));
	}
	c = &ctx->links[ctx->nlinks++];
	c->kind = an_dup(ctx->arena, l->kind);
	c->from_rel = an_dup(ctx->arena, l->from_rel);
	c->from_key = an_dup(ctx->arena, l->from_key);
	c->to_rel = an_dup(ctx->arena, l->to_rel);
	c->to_key = an_dup(ctx->arena, l->to_key);
	c->confidence = l->confidence;
	c->detail = an_dup(ctx->arena, l->detail);
	return 0;
}

int
an_query(struct an_ctx *ctx, const char *sql, const char *const *binds,
    int nbinds, rowq_fn fn, void *user, struct dd_err *e)
{
	return rowq_each(ctx->store, sql, binds, nbinds, fn, user, e);
}

/* Dispatcher state for one pass. */
struct an_pass {
	struct an_ctx *ctx;
	size_t n;
	bool events; /* else flows */
	/* process id -> its container (the processes relation: cgroups and
	 * cross-artifact attribution), for events whose source names none */
	const char **proc_cid;
	size_t nproc_cid;
	struct arena *a;
};

static int
an_pass_proc_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_pass *p = user;
	int64_t id = rowq_int(r, 0);

	(void)e;
	if (id <= 0 || id > 50000000)
		return 0;
	if ((size_t)id >= p->nproc_cid) {
		size_t n = p->nproc_cid ? p->nproc_cid : 1024;
		while (n <= (size_t)id)
			n *= 2;
		p->proc_cid = xreallocarray(p->proc_cid, n,
		    sizeof(*p->proc_cid));
		memset(p->proc_cid + p->nproc_cid, 0,
		    (n - p->nproc_cid) * sizeof(*p->proc_cid));
		p->nproc_cid = n;
	}
	p->proc_cid[id] = arena_strdup(p->a, rowq_text(r, 1));
	return 0;
}

static int
an_pass_event_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_pass *p = user;
	struct an_event ev;
	size_t i;
	int rc;

	memset(&ev, 0, sizeof(ev));
	ev.id = rowq_int(r, 0);
	ev.artifact_id = rowq_int(r, 1);
	ev.kind = rowq_text(r, 2);
	ev.syscall = rowq_text(r, 3);
	ev.ts = rowq_int(r, 4);
	ev.pid = rowq_int(r, 5);
	ev.tid = rowq_int(r, 6);
	ev.comm = rowq_text(r, 7);
	ev.ret = rowq_int(r, 8);
	ev.ret_known = !rowq_null(r, 8) && rowq_int(r, 9) != 0;
	ev.path = rowq_null(r, 10) ? NULL : rowq_text(r, 10);
	ev.has_fd = !rowq_null(r, 11);
	ev.fd = rowq_int(r, 11);
	ev.args = rowq_null(r, 12) ? NULL : rowq_text(r, 12);
	ev.container_id = rowq_null(r, 13) ? NULL : rowq_text(r, 13);
	ev.process_id = rowq_int(r, 14);
	if (ev.container_id == NULL && ev.process_id > 0 &&
	    (size_t)ev.process_id < p->nproc_cid)
		ev.container_id = p->proc_cid[ev.process_id];
	ev.errname = rowq_null(r, 15) ? NULL : rowq_text(r, 15);
	ev.path2 = rowq_null(r, 16) ? NULL : rowq_text(r, 16);
	ev.fd_path = rowq_null(r, 17) ? NULL : rowq_text(r, 17);
	ev.family = rowq_null(r, 18) ? NULL : rowq_text(r, 18);
	ev.addr = rowq_null(r, 19) ? NULL : rowq_text(r, 19);
	ev.has_port = !rowq_null(r, 20);
	ev.port = rowq_int(r, 20);
	ev.flags = rowq_null(r, 21) ? NULL : rowq_text(r, 21);
	ev.has_target = !rowq_null(r, 22);
	ev.target = rowq_int(r, 22);
	ev.has_uid = !rowq_null(r, 23);
	ev.uid = rowq_int(r, 23);
	for (i = 0; i < p->n; i++) {
		struct an_ctx *c = &p->ctx[i];
		if (c->an->on_event && (rc = c->an->on_event(c, &ev, e)) < 0)
			return rc;
	}
	return 0;
}

static int
an_pass_flow_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_pass *p = user;
	struct an_flow fl;
	size_t i;
	int rc;

	memset(&fl, 0, sizeof(fl));
	fl.id = rowq_int(r, 0);
	fl.proto = rowq_text(r, 1);
	fl.src = rowq_text(r, 2);
	fl.sport = rowq_int(r, 3);
	fl.dst = rowq_text(r, 4);
	fl.dport = rowq_int(r, 5);
	fl.first_ts = rowq_int(r, 6);
	fl.last_ts = rowq_int(r, 7);
	fl.packets = rowq_int(r, 8);
	fl.bytes = rowq_int(r, 9);
	fl.community_id = rowq_null(r, 10) ? NULL : rowq_text(r, 10);
	fl.container_id = rowq_null(r, 11) ? NULL : rowq_text(r, 11);
	for (i = 0; i < p->n; i++) {
		struct an_ctx *c = &p->ctx[i];
		if (c->an->on_flow && (rc = c->an->on_flow(c, &fl, e)) < 0)
			return rc;
	}
	return 0;
}

static void
an_rules_digest(const struct analyzer *an, char out[SHA256_HEX])
{
	uint8_t d[SHA256_LEN];
	char *txt;

	if (an->rules != NULL) {
		const char *r = an->rules();
		sha256(r, strlen(r), d);
	} else {
		txt = xasprintf("builtin:%s:%s", an->name, an->version);
		sha256(txt, strlen(txt), d);
		free(txt);
	}
	hex_encode(d, SHA256_LEN, out);
}

static const char *
an_kind_word(unsigned needs)
{
	if (needs & AN_NEEDS_SYSCALL)
		return "syscall traces";
	if (needs & AN_NEEDS_NET)
		return "packet captures";
	if (needs & AN_NEEDS_PROC)
		return "process or memory snapshots";
	if (needs & AN_NEEDS_IMAGE)
		return "container images";
	if (needs & AN_NEEDS_ALERT)
		return "alerts of deployed tools";
	return "evidence";
}

int
analyzer_run(struct store *s, const char *const *only, size_t nonly,
    unsigned kinds, struct an_result *res, size_t *nres,
    char head[SHA256_HEX], struct dd_err *e)
{
	struct arena arena = ARENA_INIT;
	struct an_ctx *ctx = NULL;
	struct an_pass pass = { .ctx = NULL };
	size_t i, n = 0, nsel = 0, tsize = 0;
	bool want_events = false, want_flows = false;
	int rc = 0;

	*nres = 0;
	head[0] = '\0';
	for (i = 0; analyzer_table[i] != NULL; i++)
		tsize++;
	for (i = 0; i < nonly; i++)
		if (analyzer_find(only[i]) == NULL)
			return dd_err_set(e, DD_EUSAGE,
			    "unknown analyzer '%s' (see 'drydock analyze "
			    "--list')",
			    only[i]);
	ctx = xcalloc(tsize + 1, sizeof(*ctx));
	for (i = 0; analyzer_table[i] != NULL; i++) {
		const struct analyzer *an = analyzer_table[i];
		struct an_result *r;
		bool sel = nonly == 0 ? !(an->flags & AN_TESTONLY) : false;
		size_t k;

		for (k = 0; k < nonly; k++)
			if (strcmp(only[k], an->name) == 0)
				sel = true;
		if (!sel)
			continue;
		r = &res[n++];
		memset(r, 0, sizeof(*r));
		r->name = an->name;
		r->version = an->version;
		if ((an->needs & kinds) != an->needs) {
			r->skipped = true;
			snprintf(r->why, sizeof(r->why),
			    "needs %s, and the case has none",
			    an_kind_word(an->needs & ~kinds));
			continue;
		}
		ctx[nsel].store = s;
		ctx[nsel].arena = &arena;
		ctx[nsel].an = an;
		ctx[nsel].kinds = kinds;
		if (an->init && (rc = an->init(&ctx[nsel], e)) < 0) {
			dd_err_prefix(e, "analyzer '%s'", an->name);
			goto out;
		}
		want_events |= an->on_event != NULL;
		want_flows |= an->on_flow != NULL;
		nsel++;
	}
	*nres = n;
	pass.ctx = ctx;
	pass.n = nsel;
	if (want_events) { /* events: an eponymous table, always there */
		pass.events = true;
		pass.a = &arena;
		rc = rowq_each(s, "SELECT id, container_id FROM processes WHERE "
		    "container_id IS NOT NULL ORDER BY id", NULL, 0,
		    an_pass_proc_row, &pass, e);
		if (rc < 0)
			goto out;
		rc = rowq_each(s,
		    "SELECT id, artifact_id, kind, syscall, ts, pid, tid, comm, "
		    "ret, ret_known, path, fd, args, container_id, process_id, "
		    "errno, path2, fd_path, family, addr, port, flags, target, "
		    "uid FROM events "
		    "ORDER BY ts, id",
		    NULL, 0, an_pass_event_row, &pass, e);
		if (rc < 0)
			goto out;
	}
	if (want_flows && store_has_relation(s, "flows")) {
		pass.events = false;
		rc = rowq_each(s,
		    "SELECT id, proto, src, sport, dst, dport, first_ts, "
		    "last_ts, packets, bytes, community_id, container_id FROM "
		    "flows ORDER BY first_ts, id",
		    NULL, 0, an_pass_flow_row, &pass, e);
		if (rc < 0)
			goto out;
	}
	for (i = 0; i < nsel; i++) {
		struct an_ctx *c = &ctx[i];
		char digest[SHA256_HEX];
		size_t k;

		if (c->an->finish && (rc = c->an->finish(c, e)) < 0) {
			dd_err_prefix(e, "analyzer '%s'", c->an->name);
			goto out;
		}
		an_rules_digest(c->an, digest);
		rc = finding_replace(s, c->an->name, c->an->version, digest,
		    c->found, c->nfound, c->links, c->nlinks, head, e);
		if (rc < 0)
			goto out;
		for (k = 0; k < n; k++)
			if (res[k].name == c->an->name)
				res[k].findings = c->nfound;
	}
	rc = 0;
out:
	for (i = 0; i < nsel; i++) {
		if (ctx[i].an->fini)
			ctx[i].an->fini(&ctx[i]);
		free(ctx[i].links);
	}
	free(ctx);
	free(pass.proc_cid);
	arena_release(&arena);
	return rc;
}
