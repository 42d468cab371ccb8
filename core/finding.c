/* SPDX-License-Identifier: Apache-2.0 */
/* finding.c: stable finding ids, replacement, read-only rows. */
#include "core/common.h"
#include "core/arena.h"
#include "core/finding.h"

#include <jansson.h>
#include <sqlite3.h>

#include "core/custody.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"

static const char *const finding_sev_names[] = { "info", "low", "medium",
	"high", "critical" };

const char *
finding_sev_name(enum finding_sev s)
{
	if ((unsigned)s >= ARRAY_SIZE(finding_sev_names))
		return "info";
	return finding_sev_names[s];
}

bool
finding_sev_parse(const char *name, enum finding_sev *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(finding_sev_names); i++)
		if (strcmp(name, finding_sev_names[i]) == 0) {
			*out = (enum finding_sev)i;
			return true;
		}
	return false;
}

static void
finding_lp(struct sbuf *sb, const char *s)
{
	uint64_t n = strlen(s);
	uint8_t b[8];
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)(n & 0xff);
		n >>= 8;
	}
	sbuf_add(sb, b, 8);
	sbuf_addstr(sb, s);
}

void
finding_id(const char *analyzer, const char *rule, const char *primary,
    unsigned major, char out[33])
{
	struct sbuf sb = SBUF_INIT;
	uint8_t d[SHA256_LEN];
	char m[16];

	snprintf(m, sizeof(m), "%u", major);
	sbuf_addstr(&sb, "drydock-finding-v1");
	finding_lp(&sb, analyzer);
	finding_lp(&sb, rule);
	finding_lp(&sb, primary);
	finding_lp(&sb, m);
	sha256(sb.buf, sb.len, d);
	hex_encode(d, 16, out);
	sbuf_release(&sb);
}

/* Text safe to store: valid UTF-8 kept, anything else escaped. */
static void
finding_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	struct sbuf sb = SBUF_INIT;

	if (s == NULL) {
		sqlite3_bind_null(st, i);
		return;
	}
	if (utf8_valid(s, strlen(s))) {
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
		return;
	}
	esc_display(&sb, s, strlen(s));
	sqlite3_bind_text(st, i, sb.buf, (int)sb.len, SQLITE_TRANSIENT);
	sbuf_release(&sb);
}

static unsigned
finding_major(const char *version)
{
	unsigned long v = strtoul(version, NULL, 10);

	return (unsigned)v;
}

/* Digest state for finding_digest(). */
struct finding_dg {
	struct sha *h;
};

static void
finding_dg_lp(struct sha *h, const char *s, size_t n)
{
	uint8_t b[8];
	uint64_t v = n;
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
	sha_update(h, b, 8);
	sha_update(h, s, n);
}

static int
finding_dg_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct finding_dg *d = user;
	int i;

	(void)e;
	for (i = 0; i < rowq_ncol(r); i++) {
		const char *t = rowq_null(r, i) ? "\x01NULL" : rowq_text(r, i);
		finding_dg_lp(d->h, t, strlen(t));
	}
	return 0;
}

int
finding_digest(struct store *s, const char *analyzer, char out[SHA256_HEX],
    struct dd_err *e)
{
	struct finding_dg d;
	uint8_t dg[SHA256_LEN];
	const char *b[1] = { analyzer };
	int rc;

	d.h = sha_new();
	sha_update(d.h, "drydock-findings-v1", 19);
	rc = rowq_each(s,
	    "SELECT 'f', id, rule, severity, format('%.17g', confidence), "
	    "title, detail, ts, attack, container_id FROM findings WHERE "
	    "analyzer = ?1 ORDER BY id",
	    b, 1, finding_dg_row, &d, e);
	if (rc == 0)
		rc = rowq_each(s,
		    "SELECT 'e', v.finding_id, v.ord, v.relation, v.key FROM "
		    "finding_evidence v JOIN findings f ON f.id = v.finding_id "
		    "WHERE f.analyzer = ?1 ORDER BY v.finding_id, v.ord, "
		    "v.relation, v.key",
		    b, 1, finding_dg_row, &d, e);
	if (rc == 0)
		rc = rowq_each(s,
		    "SELECT 'n', v.finding_id, v.kind, v.value FROM "
		    "finding_entities v JOIN findings f ON f.id = v.finding_id "
		    "WHERE f.analyzer = ?1 ORDER BY v.finding_id, v.kind, "
		    "v.value",
		    b, 1, finding_dg_row, &d, e);
	if (rc == 0 && store_has_relation(s, "link_all"))
		rc = rowq_each(s,
		    "SELECT 'l', kind, from_relation, from_key, to_relation, "
		    "to_key, format('%.17g', confidence), detail FROM link_all "
		    "WHERE analyzer = ?1 ORDER BY from_relation, from_key, kind, "
		    "to_relation, to_key",
		    b, 1, finding_dg_row, &d, e);
	sha_final(d.h, dg);
	sha_free(d.h);
	if (rc < 0)
		return rc;
	hex_encode(dg, SHA256_LEN, out);
	return 0;
}

/* Replace analyzer's links with l[0..n) (inside finding_replace's
 * transaction). */
static int
finding_links(struct store *s, const char *analyzer,
    const struct finding_link *l, size_t n, struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "DELETE FROM link_all WHERE analyzer = ?1", e);
	if (st == NULL)
		return e->code;
	sqlite3_bind_text(st, 1, analyzer, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		return e->code;
	for (size_t i = 0; i < n; i++) {
		st = store_stmt(s, "INSERT OR REPLACE INTO link_all(analyzer, "
		    "kind, from_relation, from_key, to_relation, to_key, "
		    "confidence, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
		if (st == NULL)
			return e->code;
		sqlite3_bind_text(st, 1, analyzer, -1, SQLITE_STATIC);
		finding_bind_text(st, 2, l[i].kind);
		finding_bind_text(st, 3, l[i].from_rel);
		finding_bind_text(st, 4, l[i].from_key);
		finding_bind_text(st, 5, l[i].to_rel);
		finding_bind_text(st, 6, l[i].to_key);
		sqlite3_bind_double(st, 7, l[i].confidence);
		finding_bind_text(st, 8, l[i].detail);
		if (store_step_done(s, st, e) < 0)
			return e->code;
	}
	return 0;
}

int
finding_replace(struct store *s, const char *analyzer, const char *version,
    const char *rules_sha256, const struct finding *f, size_t n,
    const struct finding_link *l, size_t nl, char head[SHA256_HEX],
    struct dd_err *e)
{
	sqlite3_stmt *st;
	size_t i, k;
	json_t *o;
	char *detail;
	int rc;

	if ((rc = store_begin(s, e)) < 0)
		return rc;
	st = store_stmt(s,
	    "DELETE FROM finding_evidence WHERE finding_id IN (SELECT id FROM "
	    "findings WHERE analyzer = ?1)",
	    e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, analyzer, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		goto fail;
	st = store_stmt(s, "DELETE FROM finding_entities WHERE finding_id IN "
			   "(SELECT id FROM findings WHERE analyzer = ?1)",
	    e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, analyzer, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		goto fail;
	st = store_stmt(s, "DELETE FROM findings WHERE analyzer = ?1", e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, analyzer, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		goto fail;

	for (i = 0; i < n; i++) {
		char id[33];
		struct sbuf primary = SBUF_INIT;
		json_t *att = json_array();
		char *atxt;

		if (f[i].nevidence > 0)
			sbuf_addf(&primary, "%s:%s", f[i].evidence[0].a,
			    f[i].evidence[0].b);
		else
			sbuf_addstr(&primary, f[i].title);
		finding_id(analyzer, f[i].rule, primary.buf,
		    finding_major(version), id);
		sbuf_release(&primary);
		for (k = 0; k < f[i].nattack; k++)
			json_array_append_new(att,
			    json_string(f[i].attack[k]));
		atxt = json_dumps(att, JSON_COMPACT);
		json_decref(att);
		st = store_stmt(s,
		    "INSERT OR REPLACE INTO findings(id, analyzer, rule, "
		    "severity, confidence, title, detail, ts, attack, "
		    "container_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    e);
		if (st == NULL) {
			free(atxt);
			goto fail;
		}
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, analyzer, -1, SQLITE_STATIC);
		finding_bind_text(st, 3, f[i].rule);
		sqlite3_bind_text(st, 4, finding_sev_name(f[i].severity), -1,
		    SQLITE_STATIC);
		sqlite3_bind_double(st, 5, f[i].confidence);
		finding_bind_text(st, 6, f[i].title);
		finding_bind_text(st, 7, f[i].detail ? f[i].detail : "");
		if (f[i].has_ts)
			sqlite3_bind_int64(st, 8, f[i].ts);
		sqlite3_bind_text(st, 9, atxt ? atxt : "[]", -1,
		    SQLITE_TRANSIENT);
		finding_bind_text(st, 10, f[i].container_id);
		free(atxt);
		if (store_step_done(s, st, e) < 0)
			goto fail;
		for (k = 0; k < f[i].nevidence; k++) {
			st = store_stmt(s, "INSERT OR IGNORE INTO "
					   "finding_evidence(finding_id, "
					   "relation, key, ord) VALUES (?, ?, "
					   "?, ?)",
			    e);
			if (st == NULL)
				goto fail;
			sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
			finding_bind_text(st, 2, f[i].evidence[k].a);
			finding_bind_text(st, 3, f[i].evidence[k].b);
			sqlite3_bind_int64(st, 4, (int64_t)k);
			if (store_step_done(s, st, e) < 0)
				goto fail;
		}
		for (k = 0; k < f[i].nentities; k++) {
			st = store_stmt(s, "INSERT OR IGNORE INTO "
					   "finding_entities(finding_id, kind, "
					   "value) VALUES (?, ?, ?)",
			    e);
			if (st == NULL)
				goto fail;
			sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
			finding_bind_text(st, 2, f[i].entities[k].a);
			finding_bind_text(st, 3, f[i].entities[k].b);
			if (store_step_done(s, st, e) < 0)
				goto fail;
		}
	}
	if (finding_links(s, analyzer, l, nl, e) < 0)
		goto fail;
	st = store_stmt(s, "INSERT OR REPLACE INTO analyzer_runs(analyzer, "
			   "version, rules_sha256, ts, findings) VALUES (?, ?, "
			   "?, ?, ?)",
	    e);
	if (st == NULL)
		goto fail;
	sqlite3_bind_text(st, 1, analyzer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, rules_sha256, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, time_now_ns());
	sqlite3_bind_int64(st, 5, (int64_t)n);
	if (store_step_done(s, st, e) < 0)
		goto fail;
	{
		char dg[SHA256_HEX];
		if (finding_digest(s, analyzer, dg, e) < 0)
			goto fail;
		o = json_pack("{s:s, s:s, s:s, s:I, s:s}", "analyzer", analyzer,
		    "version", version, "rules_sha256", rules_sha256,
		    "findings", (json_int_t)n, "findings_sha256", dg);
		if (nl > 0)
			json_object_set_new(o, "links", json_integer(
			    (json_int_t)nl));
	}
	detail = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS |
		JSON_ENSURE_ASCII);
	json_decref(o);
	rc = custody_append(s, "analyze", detail, head, e);
	free(detail);
	if (rc < 0)
		goto fail;
	return store_commit(s, e);
fail:
	store_rollback(s);
	return e && e->code ? e->code : DD_ESQL;
}

struct rowq_row {
	sqlite3_stmt *st;
	struct sbuf tmp;
};

int
rowq_each(struct store *s, const char *sql, const char *const *binds,
    int nbinds, rowq_fn fn, void *user, struct dd_err *e)
{
	struct rowq_row row;
	const char *tail = NULL;
	sqlite3_stmt *st = NULL;
	int i, rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, &tail) != SQLITE_OK)
		return store_sqlerr(s, e, "preparing a query");
	if (st == NULL)
		return dd_err_set(e, DD_EUSAGE, "empty query");
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		return dd_err_set(e, DD_EUSAGE,
		    "only read-only statements are allowed here");
	}
	for (i = 0; i < nbinds; i++)
		sqlite3_bind_text(st, i + 1, binds[i], -1, SQLITE_STATIC);
	row.st = st;
	sbuf_init(&row.tmp, SBUF_MAX_DEFAULT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = fn(user, &row, e)) < 0) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "running a query");
	return 0;
}

int
rowq_ncol(const struct rowq_row *r)
{
	return sqlite3_column_count(r->st);
}

const char *
rowq_name(const struct rowq_row *r, int col)
{
	const char *n = sqlite3_column_name(r->st, col);

	return n ? n : "";
}

bool
rowq_null(const struct rowq_row *r, int col)
{
	return sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

int64_t
rowq_int(const struct rowq_row *r, int col)
{
	return sqlite3_column_int64(r->st, col);
}

double
rowq_real(const struct rowq_row *r, int col)
{
	return sqlite3_column_double(r->st, col);
}

const char *
rowq_text(const struct rowq_row *r, int col)
{
	const unsigned char *t = sqlite3_column_text(r->st, col);

	return t ? (const char *)t : "";
}

size_t
finding_attack_split(struct arena *a, const char *list, const char **out,
    size_t max)
{
	char *at = arena_strdup(a, list != NULL ? list : ""), *p, *c;
	size_t n = 0, k;

	for (p = at; *p && n < max; p = c) {
		c = strchr(p, ',');
		if (c)
			*c++ = '\0';
		else
			c = p + strlen(p);
		while (*p == ' ')
			p++;
		for (size_t e = strlen(p); e > 0 && p[e - 1] == ' '; e--)
			p[e - 1] = '\0';
		for (k = 0; k < n && strcmp(out[k], p) != 0; k++)
			;
		if (*p && k == n)
			out[n++] = p;
	}
	return n;
}
