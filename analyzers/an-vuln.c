/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-vuln.c: installed image packages that the case's OSV records
 * (`drydock vulndb import`) say are vulnerable.
 *
 * Rule:
 *   vuln.package   an image's package (the packages relation) at a version
 *                  a vulnerability record covers. One finding per image,
 *                  package name, version and record.
 *
 * Matching (core/vulndb.h has the rules):
 * - ecosystems compare without their ":suffix": an "Alpine:v3.10" or
 *   "Debian:12" entry applies to every Alpine or Debian package. The
 *   image's release is not compared (the detail says so when the entry is
 *   scoped to one), so a record's entry for another release can match;
 * - names: PyPI per PEP 503, others exactly; for the distributions whose
 *   records name source packages (Debian, Ubuntu, Alpine, Red Hat...),
 *   a binary package also matches through its source package
 *   (libcrypto1.1 through openssl);
 * - the version is affected when the entry lists it or one of its SEMVER
 *   or ECOSYSTEM ranges covers it (OSV's evaluation, under the version
 *   order of the package's ecosystem, core/versions.h); GIT ranges are
 *   not evaluated; withdrawn records are ignored;
 * - when several entries of one record cover a package, the first (in the
 *   record's order) is the one described.
 *
 * Severity: from the record (vulndb_severity: the CVSS v3 or v2 base
 * score, else an Ubuntu priority or the database's own severity, else
 * medium). Confidence 1.0, or 0.9 when the entry is scoped to a release
 * that was not compared. No ATT&CK technique: a vulnerable package is an
 * exposure, not an action.
 *
 * Evidence: the packages row (key "IMAGE_ID:NAME:VERSION") and the vulns
 * row (key: the record id), after a first row ("vuln_match",
 * "IMAGE_ID:NAME:VERSION:RECORD_ID") that names the pair. The first row
 * alone makes a finding's id (core/finding.h); neither the package nor
 * the record is unique to a finding (one package has many records, one
 * record covers many packages), so the pair is what keeps ids distinct
 * and stable across runs.
 *
 * Order: packages by image, name, version, ecosystem and path; a
 * package's records by id.
 */
#include "core/common.h"

#include "analyzers/analyzer.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/versions.h"
#include "core/vulndb.h"

/* One vuln_affected row that may match a package of the case. */
struct an_vuln_cand {
	const char *key;     /* base ecosystem, 0x1f, name key */
	int64_t rowid;
	const char *vuln_id, *ecosystem, *name, *ranges, *versions;
	const char *severity, *summary, *aliases;
	struct vulndb_affected af;
	int parsed;	     /* 0 not yet, 1 ok, -1 unusable */
};

struct an_vuln_state {
	struct an_ctx *ctx;
	struct arena scratch;	/* per package row */
	char **keys;		/* sorted package keys */
	size_t nkeys, akeys;
	struct an_vuln_cand *cand; /* sorted by key, vuln id, rowid */
	size_t ncand, acand;
	/* The current (image, name, version) group and the records it has
	 * findings for already. */
	char *g_image, *g_name, *g_version;
	const char **g_vulns;
	size_t g_n, g_a;
};

/* A match found for one package row. */
struct an_vuln_hit {
	const struct an_vuln_cand *c;
	struct vulndb_hit h;
};

static void
an_vuln_key(struct sbuf *sb, const char *eco, const char *name)
{
	sbuf_reset(sb);
	sbuf_add(sb, eco, vulndb_eco_len(eco));
	sbuf_addch(sb, 0x1f);
	vulndb_name_key(eco, name, sb);
}

static int
an_vuln_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
an_vuln_add_key(struct an_vuln_state *st, const char *k)
{
	if (st->nkeys == st->akeys) {
		size_t na = st->akeys ? st->akeys * 2 : 64;
		char **nv = arena_alloc(st->ctx->arena, na * sizeof(*nv));

		if (st->nkeys)
			memcpy(nv, st->keys, st->nkeys * sizeof(*nv));
		st->keys = nv;
		st->akeys = na;
	}
	st->keys[st->nkeys++] = arena_strdup(st->ctx->arena, k);
}

/* Row: ecosystem, name, source. */
static int
an_vuln_key_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_vuln_state *st = user;
	struct sbuf k = SBUF_INIT;
	const char *eco = rowq_text(r, 0);

	(void)e;
	an_vuln_key(&k, eco, rowq_text(r, 1));
	an_vuln_add_key(st, k.buf);
	if (!rowq_null(r, 2) && vulndb_eco_by_source(eco)) {
		an_vuln_key(&k, eco, rowq_text(r, 2));
		an_vuln_add_key(st, k.buf);
	}
	sbuf_release(&k);
	return 0;
}

static bool
an_vuln_has_key(const struct an_vuln_state *st, const char *k)
{
	return bsearch(&k, st->keys, st->nkeys, sizeof(*st->keys),
		   an_vuln_strcmp) != NULL;
}

static const char *
an_vuln_dup(struct an_vuln_state *st, const struct rowq_row *r, int col)
{
	if (rowq_null(r, col))
		return NULL;
	return arena_strdup(st->ctx->arena, rowq_text(r, col));
}

/* Row: rowid, vuln_id, ecosystem, name, ranges, versions, severity,
 * summary, aliases. */
static int
an_vuln_cand_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_vuln_state *st = user;
	struct sbuf k = SBUF_INIT;
	struct an_vuln_cand *c;

	(void)e;
	an_vuln_key(&k, rowq_text(r, 2), rowq_text(r, 3));
	if (!an_vuln_has_key(st, k.buf)) {
		sbuf_release(&k);
		return 0;
	}
	if (st->ncand == st->acand) {
		size_t na = st->acand ? st->acand * 2 : 64;
		struct an_vuln_cand *nv = arena_alloc(st->ctx->arena,
		    na * sizeof(*nv));

		if (st->ncand)
			memcpy(nv, st->cand, st->ncand * sizeof(*nv));
		st->cand = nv;
		st->acand = na;
	}
	c = &st->cand[st->ncand++];
	memset(c, 0, sizeof(*c));
	c->key = arena_strdup(st->ctx->arena, k.buf);
	c->rowid = rowq_int(r, 0);
	c->vuln_id = an_vuln_dup(st, r, 1);
	c->ecosystem = an_vuln_dup(st, r, 2);
	c->name = an_vuln_dup(st, r, 3);
	c->ranges = an_vuln_dup(st, r, 4);
	c->versions = an_vuln_dup(st, r, 5);
	c->severity = an_vuln_dup(st, r, 6);
	c->summary = an_vuln_dup(st, r, 7);
	c->aliases = an_vuln_dup(st, r, 8);
	sbuf_release(&k);
	return 0;
}

static int
an_vuln_cand_cmp(const void *pa, const void *pb)
{
	const struct an_vuln_cand *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	if (c == 0)
		c = strcmp(a->vuln_id, b->vuln_id);
	if (c == 0)
		c = a->rowid < b->rowid ? -1 : a->rowid > b->rowid;
	return c;
}

/* The first candidate with key k (or ncand). */
static size_t
an_vuln_lower(const struct an_vuln_state *st, const char *k)
{
	size_t lo = 0, hi = st->ncand;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(st->cand[mid].key, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
an_vuln_hit_cmp(const void *pa, const void *pb)
{
	const struct an_vuln_hit *a = pa, *b = pb;
	int c = strcmp(a->c->vuln_id, b->c->vuln_id);

	if (c == 0)
		c = a->c->rowid < b->c->rowid ? -1 : a->c->rowid > b->c->rowid;
	return c;
}

/* Collect the matches of candidates with key k for version v. */
static void
an_vuln_scan(struct an_vuln_state *st, const char *k, enum ver_scheme s,
    const char *v, struct an_vuln_hit **hits, size_t *n, size_t *a)
{
	size_t i;

	for (i = an_vuln_lower(st, k);
	     i < st->ncand && strcmp(st->cand[i].key, k) == 0; i++) {
		struct an_vuln_cand *c = &st->cand[i];
		struct vulndb_hit h;

		if (c->parsed == 0)
			c->parsed = vulndb_affected_parse(st->ctx->arena,
					c->ranges, c->versions, &c->af,
					NULL) == 0 ?
			    1 :
			    -1;
		if (c->parsed < 0 || !vulndb_affects(&st->scratch, s, &c->af, v,
					 &h))
			continue;
		if (*n == *a) {
			size_t na = *a ? *a * 2 : 8;
			struct an_vuln_hit *nv = arena_alloc(&st->scratch,
			    na * sizeof(*nv));

			if (*n)
				memcpy(nv, *hits, *n * sizeof(*nv));
			*hits = nv;
			*a = na;
		}
		(*hits)[*n].c = c;
		(*hits)[*n].h = h;
		(*n)++;
	}
}

/* True (and remembered) when the group has no finding for vuln yet. */
static bool
an_vuln_group_new(struct an_vuln_state *st, const char *vuln)
{
	size_t i;

	for (i = 0; i < st->g_n; i++)
		if (strcmp(st->g_vulns[i], vuln) == 0)
			return false;
	if (st->g_n == st->g_a) {
		size_t na = st->g_a ? st->g_a * 2 : 16;
		const char **nv = arena_alloc(st->ctx->arena, na * sizeof(*nv));

		if (st->g_n)
			memcpy(nv, st->g_vulns, st->g_n * sizeof(*nv));
		st->g_vulns = nv;
		st->g_a = na;
	}
	st->g_vulns[st->g_n++] = vuln;
	return true;
}

static bool
an_vuln_same(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

/* The package row's columns. */
struct an_vuln_pkg {
	const char *image, *name, *version, *eco, *source, *path, *layer,
	    *diff_id, *created_by, *ref;
	int64_t step;
	bool has_step;
};

static int
an_vuln_emit(struct an_vuln_state *st, const struct an_vuln_pkg *p,
    const struct an_vuln_hit *x)
{
	const struct an_vuln_cand *c = x->c;
	const struct vulndb_hit *h = &x->h;
	struct sbuf t = SBUF_INIT, d = SBUF_INIT, k0 = SBUF_INIT,
		    k1 = SBUF_INIT, al = SBUF_INIT;
	struct finding_ref ev[3];
	enum finding_sev sev = SEV_MEDIUM;
	const char *sevname, *basis;
	struct finding f;
	double score;
	bool scoped = strchr(c->ecosystem, ':') != NULL;
	int rc;

	sevname = vulndb_severity(c->severity, &score, &basis);
	(void)finding_sev_parse(sevname, &sev);
	sbuf_addf(&t, "%s %s is affected by %s", p->name, p->version,
	    c->vuln_id);

	sbuf_addf(&d, "%s %s (%s package", p->name, p->version, p->eco);
	if (strcmp(c->name, p->name) != 0 && p->source != NULL)
		sbuf_addf(&d, " built from source package %s", p->source);
	sbuf_addf(&d, ") in image %s", p->image);
	if (p->ref != NULL && *p->ref)
		sbuf_addf(&d, " (%s)", p->ref);
	sbuf_addf(&d, " is affected by %s", c->vuln_id);
	vulndb_list_text(c->aliases, &al);
	if (al.len > 0)
		sbuf_addf(&d, " (aliases %s)", al.buf);
	if (c->summary != NULL && *c->summary)
		sbuf_addf(&d, ": %s", c->summary);
	sbuf_addf(&d, ". The record's %s entry for '%s' ", c->ecosystem,
	    c->name);
	if (h->listed) {
		sbuf_addf(&d, "lists version %s as affected", p->version);
	} else {
		sbuf_addf(&d, "has it in the %s range [introduced %s, ",
		    h->type, h->introduced);
		if (h->fixed)
			sbuf_addf(&d, "fixed %s)", h->fixed);
		else if (h->last_affected)
			sbuf_addf(&d, "last affected %s]", h->last_affected);
		else
			sbuf_addstr(&d, "no fix)");
		if (h->limit)
			sbuf_addf(&d, " below the limit %s", h->limit);
	}
	if (h->fixed)
		sbuf_addf(&d, "; fixed in %s: upgrade to it or later. ",
		    h->fixed);
	else
		sbuf_addstr(&d, "; the entry names no fixed version. ");
	if (p->layer != NULL) {
		sbuf_addf(&d, "Installed by layer %s", p->layer);
		if (p->diff_id != NULL)
			sbuf_addf(&d, " (%s)", p->diff_id);
		if (p->has_step)
			sbuf_addf(&d, ", history step %" PRId64 ": %s",
			    p->step, p->created_by ? p->created_by : "");
		sbuf_addstr(&d, "; ");
	} else {
		sbuf_addstr(&d, "The layer that installed it is unknown; ");
	}
	sbuf_addf(&d, "package database %s. Severity %s from %s", p->path,
	    sevname, basis);
	if (score >= 0)
		sbuf_addf(&d, " (%.1f)", score);
	sbuf_addch(&d, '.');
	if (scoped)
		sbuf_addf(&d, " The entry is scoped to %s; the image's release "
			      "was not compared.",
		    c->ecosystem);

	sbuf_addf(&k0, "%s:%s:%s:%s", p->image, p->name, p->version,
	    c->vuln_id);
	sbuf_addf(&k1, "%s:%s:%s", p->image, p->name, p->version);
	ev[0].a = "vuln_match";
	ev[0].b = k0.buf;
	ev[1].a = "packages";
	ev[1].b = k1.buf;
	ev[2].a = "vulns";
	ev[2].b = c->vuln_id;
	memset(&f, 0, sizeof(f));
	f.rule = "vuln.package";
	f.severity = sev;
	f.confidence = scoped ? 0.9 : 1.0;
	f.title = t.buf;
	f.detail = d.buf;
	f.evidence = ev;
	f.nevidence = 3;
	rc = an_emit(st->ctx, &f);
	sbuf_release(&t);
	sbuf_release(&d);
	sbuf_release(&k0);
	sbuf_release(&k1);
	sbuf_release(&al);
	return rc;
}

/* Row: image_id, name, version, ecosystem, source, path, layer_id,
 * diff_id, created_by, step idx, image ref. */
static int
an_vuln_pkg_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_vuln_state *st = user;
	struct an_vuln_hit *hits = NULL;
	struct an_vuln_pkg p;
	struct arena_mark m = arena_mark(&st->scratch);
	struct sbuf k = SBUF_INIT;
	enum ver_scheme s;
	size_t n = 0, a = 0, i;
	int rc = 0;

	(void)e;
	memset(&p, 0, sizeof(p));
	p.image = rowq_text(r, 0);
	p.name = rowq_text(r, 1);
	p.version = rowq_text(r, 2);
	p.eco = rowq_text(r, 3);
	p.source = rowq_null(r, 4) ? NULL : rowq_text(r, 4);
	p.path = rowq_text(r, 5);
	p.layer = rowq_null(r, 6) ? NULL : rowq_text(r, 6);
	p.diff_id = rowq_null(r, 7) ? NULL : rowq_text(r, 7);
	p.created_by = rowq_null(r, 8) ? NULL : rowq_text(r, 8);
	p.has_step = !rowq_null(r, 9);
	p.step = rowq_int(r, 9);
	p.ref = rowq_null(r, 10) ? NULL : rowq_text(r, 10);

	if (!an_vuln_same(st->g_image, p.image) ||
	    !an_vuln_same(st->g_name, p.name) ||
	    !an_vuln_same(st->g_version, p.version)) {
		st->g_image = arena_strdup(st->ctx->arena, p.image);
		st->g_name = arena_strdup(st->ctx->arena, p.name);
		st->g_version = arena_strdup(st->ctx->arena, p.version);
		st->g_n = 0;
	}
	s = ver_scheme_of(p.eco);
	an_vuln_key(&k, p.eco, p.name);
	an_vuln_scan(st, k.buf, s, p.version, &hits, &n, &a);
	if (p.source != NULL && vulndb_eco_by_source(p.eco)) {
		struct sbuf k2 = SBUF_INIT;

		an_vuln_key(&k2, p.eco, p.source);
		if (strcmp(k2.buf, k.buf) != 0)
			an_vuln_scan(st, k2.buf, s, p.version, &hits, &n, &a);
		sbuf_release(&k2);
	}
	if (n > 1)
		qsort(hits, n, sizeof(*hits), an_vuln_hit_cmp);
	for (i = 0; i < n && rc >= 0; i++) {
		if (!an_vuln_group_new(st, hits[i].c->vuln_id))
			continue;
		rc = an_vuln_emit(st, &p, &hits[i]);
	}
	sbuf_release(&k);
	arena_rewind(&st->scratch, m);
	return rc;
}

static int
an_vuln_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct an_vuln_state *st;
	int rc;

	st = arena_zalloc(ctx->arena, sizeof(*st));
	st->ctx = ctx;
	arena_init(&st->scratch);
	rc = an_query(ctx,
	    "SELECT DISTINCT ecosystem, name, source FROM packages "
	    "ORDER BY 1, 2, 3",
	    NULL, 0, an_vuln_key_row, st, e);
	if (rc < 0 || st->nkeys == 0)
		goto out;
	qsort(st->keys, st->nkeys, sizeof(*st->keys), an_vuln_strcmp);
	/* Candidates: entries whose name is a package's (the index on
	 * vuln_affected.name), and every PyPI entry (names normalised in C). */
	rc = an_query(ctx,
	    "SELECT a.rowid, a.vuln_id, a.ecosystem, a.name, a.ranges, "
	    "a.versions, v.severity, v.summary, v.aliases "
	    "FROM vuln_affected a JOIN vulns v ON v.id = a.vuln_id "
	    "WHERE v.withdrawn IS NULL AND (a.name IN (SELECT name FROM "
	    "packages UNION SELECT source FROM packages WHERE source IS NOT "
	    "NULL) OR a.ecosystem = 'PyPI' OR a.ecosystem LIKE 'PyPI:%') "
	    "ORDER BY a.vuln_id, a.rowid",
	    NULL, 0, an_vuln_cand_row, st, e);
	if (rc < 0 || st->ncand == 0)
		goto out;
	qsort(st->cand, st->ncand, sizeof(*st->cand), an_vuln_cand_cmp);
	rc = an_query(ctx,
	    "SELECT p.image_id, p.name, p.version, p.ecosystem, p.source, "
	    "p.path, p.layer_id, l.diff_id, s.created_by, s.idx, i.ref "
	    "FROM packages p "
	    "LEFT JOIN layers l ON l.id = p.layer_id "
	    "LEFT JOIN images i ON i.id = p.image_id "
	    "LEFT JOIN image_layers s ON s.image_id = p.image_id AND "
	    "s.layer_id = p.layer_id AND s.idx = (SELECT min(s2.idx) FROM "
	    "image_layers s2 WHERE s2.image_id = p.image_id AND s2.layer_id = "
	    "p.layer_id) "
	    "ORDER BY p.image_id, p.name, p.version, p.ecosystem, p.path",
	    NULL, 0, an_vuln_pkg_row, st, e);
out:
	arena_release(&st->scratch);
	return rc;
}

const struct analyzer an_vuln = {
	.abi = ANALYZER_ABI,
	.name = "vuln",
	.version = "1.0",
	.summary = "image packages covered by the case's OSV vulnerability "
		   "records (drydock vulndb import)",
	.needs = AN_NEEDS_IMAGE,
	.finish = an_vuln_finish,
};
