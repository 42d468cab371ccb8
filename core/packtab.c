/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packtab.c: packed relations (see packtab.h).
 */
#include "core/common.h"

#include <sqlite3.h>
#include <string.h>
#include <zstd.h>

#include "core/dderr.h"
#include "core/netrec.h"
#include "core/packtab.h"
#include "core/rd.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define PACK_VERSION 1
/* zstd level: the sink queue's thread is an import's bottleneck, and
 * level 1 is within a few per cent of 3 on log and audit text. */
#define PACK_ZLEVEL 1

/* The packed relations: the kind, its virtual table, its chunk table,
 * and the net_rec slots of its seq and time. */
static const struct packrel {
	int kind;
	const char *vtab, *chunks;
	int seq_slot, ts_slot;
} packrels[] = {
	{ NR_LOG, "log_all", "log_chunk_all", LG_SEQ, LG_TS },
	{ NR_AUDIT, "audit_all", "audit_chunk_all", AU_SEQ, AU_TS },
	{ NR_K8SAUDIT, "k8s_audit_all", "k8s_audit_chunk_all", KA_SEQ, KA_TS },
};

static const struct packrel *
pack_rel(int kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(packrels); i++)
		if (packrels[i].kind == kind)
			return &packrels[i];
	return NULL;
}

bool
pack_kind(int kind)
{
	return pack_rel(kind) != NULL;
}

/* ---- writing ---- */

static size_t
packw_ncols(int kind)
{
	const struct net_col *c = net_columns(kind, NULL);
	size_t n = 0;

	while (n < PACK_COLS_MAX && c[n].name != NULL)
		n++;
	return n;
}

void
packw_init(struct packw *p, struct store *s, int kind)
{
	memset(p, 0, sizeof(*p));
	p->s = s;
	p->kind = kind;
	p->nc = packw_ncols(kind);
	sbuf_init(&p->raw, PACK_BUF_MAX);
}

static void
packw_reset(struct packw *p)
{
	for (uint32_t i = 0; i < p->ndict; i++)
		free(p->dict[i]);
	p->ndict = 0;
	memset(p->slot, 0, sizeof(p->slot));
	memset(p->last, 0, sizeof(p->last));
	p->n = 0;
	sbuf_reset(&p->raw);
}

void
packw_release(struct packw *p)
{
	packw_reset(p);
	sbuf_release(&p->raw);
	ZSTD_freeCCtx(p->cctx);
	free(p->z);
	p->cctx = NULL;
	p->z = NULL;
	p->zcap = 0;
}


int
packw_flush(struct packw *p, struct dd_err *e)
{
	const struct packrel *rel = pack_rel(p->kind);
	struct sbuf hdr = SBUF_INIT;
	ZSTD_inBuffer in[2];
	ZSTD_outBuffer out;
	ZSTD_CCtx *cc;
	sqlite3_stmt *st;
	char sql[256];
	uint8_t *z;
	size_t zcap;
	int rc = 0;

	if (rel == NULL)
		BUG("packw_flush: kind %d is not packed", p->kind);
	if (p->n == 0)
		return 0;
	sbuf_init(&hdr, 32);
	sbuf_addch(&hdr, PACK_VERSION);
	sbuf_add_uvarint(&hdr, p->n);
	sbuf_add_uvarint(&hdr, p->nc);
	/* one frame over header and rows, without joining them */
	zcap = ZSTD_compressBound(hdr.len + p->raw.len);
	if (zcap > p->zcap) {
		free(p->z);
		p->z = xmalloc(zcap);
		p->zcap = zcap;
	}
	z = p->z;
	zcap = p->zcap;
	if (p->cctx == NULL && (p->cctx = ZSTD_createCCtx()) == NULL)
		BUG("packed chunk: no zstd context");
	cc = p->cctx;
	ZSTD_CCtx_reset(cc, ZSTD_reset_session_and_parameters);
	ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, PACK_ZLEVEL);
	ZSTD_CCtx_setPledgedSrcSize(cc, hdr.len + p->raw.len);
	out = (ZSTD_outBuffer){ z, zcap, 0 };
	in[0] = (ZSTD_inBuffer){ hdr.buf, hdr.len, 0 };
	in[1] = (ZSTD_inBuffer){ p->raw.buf, p->raw.len, 0 };
	for (int k = 0; k < 2; k++) {
		size_t r = ZSTD_compressStream2(cc, &out, &in[k], k == 0 ?
		    ZSTD_e_continue : ZSTD_e_end);
		while (!ZSTD_isError(r) && k == 1 && r != 0)
			r = ZSTD_compressStream2(cc, &out, &in[k], ZSTD_e_end);
		if (ZSTD_isError(r) || in[k].pos != in[k].size)
			BUG("packed chunk: zstd: %s", ZSTD_isError(r) ?
			    ZSTD_getErrorName(r) : "input left");
	}
	/* static text per relation: store_stmt caches by pointer */
	snprintf(sql, sizeof(sql), "INSERT INTO %s(artifact_id, first_seq, "
	    "last_seq, n, ts_min, ts_max, raw_size, data) VALUES (?, ?, ?, "
	    "?, ?, ?, ?, ?)", rel->chunks);
	{
		static char cached[ARRAY_SIZE(packrels)][256];
		size_t ri = (size_t)(rel - packrels);
		if (cached[ri][0] == '\0')
			memcpy(cached[ri], sql, sizeof(sql));
		st = store_stmt(p->s, cached[ri], e);
	}
	if (st == NULL) {
		rc = DD_ESQL;
		goto out;
	}
	sqlite3_bind_int64(st, 1, p->artifact);
	sqlite3_bind_int64(st, 2, p->first_seq);
	sqlite3_bind_int64(st, 3, p->last_seq);
	sqlite3_bind_int64(st, 4, p->n);
	if (p->ts_min <= p->ts_max) {
		sqlite3_bind_int64(st, 5, p->ts_min);
		sqlite3_bind_int64(st, 6, p->ts_max);
	}
	sqlite3_bind_int64(st, 7, (int64_t)(hdr.len + p->raw.len));
	sqlite3_bind_blob(st, 8, z, (int)out.pos, SQLITE_STATIC);
	if (store_step_done(p->s, st, e) < 0)
		rc = DD_ESQL;
	sqlite3_reset(st);
out:
	sbuf_release(&hdr);
	packw_reset(p);
	return rc;
}

/* A string column: a reference to the chunk's k-th string, or the string
 * itself (then remembered, found again through a small hash table). */
static void
packw_str(struct packw *p, size_t c, const char *s, size_t n)
{
	uint32_t k, h, i;

	/* the column's string of the row above, most often */
	if (p->last[c] != 0) {
		i = p->last[c] - 1u;
		if (p->dlen[i] == n && memcmp(p->dict[i], s, n) == 0) {
			sbuf_add_uvarint(&p->raw, i + 1);
			return;
		}
	}
	/* its first 32 bytes, 8 a step, and its length */
	h = (uint32_t)(hash64(n, s, MIN(n, 32)) >> 32);
	for (k = h % (2 * PACK_DICT); p->slot[k] != 0;
	    k = (k + 1) % (2 * PACK_DICT)) {
		i = p->slot[k] - 1u;
		if (p->dlen[i] == n && memcmp(p->dict[i], s, n) == 0) {
			sbuf_add_uvarint(&p->raw, i + 1);
			p->last[c] = (uint8_t)(i + 1);
			return;
		}
	}
	sbuf_add_uvarint(&p->raw, 0);
	sbuf_add_uvarint(&p->raw, n);
	sbuf_add(&p->raw, s, n);
	if (p->ndict < PACK_DICT && n <= 256) {
		p->dict[p->ndict] = xstrndup(s, n);
		p->dlen[p->ndict++] = n;
		p->slot[k] = (uint8_t)p->ndict;
		p->last[c] = (uint8_t)p->ndict;
	}
}

int
packw_add(struct packw *p, int64_t artifact_id, const struct net_rec *r,
    struct dd_err *e)
{
	const struct packrel *rel = pack_rel(p->kind);
	const struct net_col *col = net_columns(p->kind, NULL);
	int64_t seq, ts;
	uint8_t bits[(PACK_COLS_MAX + 7) / 8];
	size_t nc = p->nc, need = 64 + nc * 10;
	size_t slen[PACK_COLS_MAX];
	int rc;

	if (rel == NULL)
		BUG("packw_add: kind %d is not packed", p->kind);
	seq = r->i[rel->seq_slot];
	ts = r->i[rel->ts_slot];
	/* which columns are set, and the strings' lengths, in one pass */
	memset(bits, 0, sizeof(bits));
	for (size_t c = 0; c < nc; c++) {
		if (col[c].type == 'i') {
			if (r->i[col[c].slot] == NR_NULL)
				continue;
		} else if (r->s[col[c].slot] != NULL) {
			slen[c] = strlen(r->s[col[c].slot]);
			need += slen[c] + 10;
		} else
			continue;
		bits[c / 8] |= (uint8_t)(1u << (c % 8));
	}
	if (need > PACK_ROW_MAX)
		return dd_err_set(e, DD_ELIMIT, "a %s record of %zu bytes (at "
		    "most %u)", rel->vtab, need, PACK_ROW_MAX);
	if (p->n > 0 && (artifact_id != p->artifact || seq <= p->last_seq ||
	    p->n >= PACK_ROWS || p->raw.len + need > PACK_BUF_MAX ||
	    p->raw.len >= PACK_RAW_MAX) && (rc = packw_flush(p, e)) < 0)
		return rc;
	if (p->n == 0) {
		p->artifact = artifact_id;
		p->first_seq = seq;
		p->ts_min = INT64_MAX;
		p->ts_max = INT64_MIN;
		memset(p->prev, 0, sizeof(p->prev));
	}
	p->last_seq = seq;
	if (ts != NR_NULL) {
		p->ts_min = MIN(p->ts_min, ts);
		p->ts_max = MAX(p->ts_max, ts);
	}
	sbuf_add(&p->raw, bits, (nc + 7) / 8);
	for (size_t c = 0; c < nc; c++) {
		if (!(bits[c / 8] & (1u << (c % 8))))
			continue;
		if (col[c].type == 'i') {
			int64_t v = r->i[col[c].slot];
			sbuf_add_svarint(&p->raw, (int64_t)((uint64_t)v -
			    (uint64_t)p->prev[c]));
			p->prev[c] = v;
		} else {
			packw_str(p, c, r->s[col[c].slot], slen[c]);
		}
	}
	p->n++;
	return 0;
}

/* ---- reading ---- */

int
pack_decode(const uint8_t *raw, size_t len, const char *types,
    struct packval **vals, size_t *n, struct dd_err *e)
{
	const char *dict[PACK_DICT];
	size_t dlen[PACK_DICT], nd = 0, cnt, nc, i, c = 0;
	int64_t prev[PACK_COLS_MAX];
	struct packval *v;
	struct rd r;

	*vals = NULL;
	*n = 0;
	rd_init(&r, raw, len, 0);
	if (rd_u8(&r) != PACK_VERSION)
		return dd_err_set(e, DD_ECORRUPT, "packed chunk: version");
	cnt = (size_t)rd_uvarint(&r);
	nc = (size_t)rd_uvarint(&r);
	if (!rd_ok(&r) || cnt == 0 || cnt > PACK_ROWS || cnt > len)
		return dd_err_set(e, DD_ECORRUPT, "packed chunk: %zu rows",
		    cnt);
	if (nc != strlen(types) || nc > PACK_COLS_MAX)
		return dd_err_set(e, DD_ECORRUPT, "packed chunk: %zu columns, "
		    "not %zu", nc, strlen(types));
	memset(prev, 0, sizeof(prev));
	v = xcalloc(cnt * nc, sizeof(*v));
	for (i = 0; i < cnt && rd_ok(&r); i++) {
		const uint8_t *bits;
		struct packval *row = v + i * nc;
		if (rd_bytes(&r, (nc + 7) / 8, &bits) != 0)
			break;
		for (c = 0; c < nc && rd_ok(&r); c++) {
			uint64_t k, m;
			const uint8_t *b;
			if (!(bits[c / 8] & (1u << (c % 8)))) {
				row[c].null = true;
				continue;
			}
			if (types[c] == 'i') {
				prev[c] = (int64_t)((uint64_t)prev[c] +
				    (uint64_t)rd_svarint(&r));
				row[c].i = prev[c];
				continue;
			}
			k = rd_uvarint(&r);
			if (k > 0) {
				if (k > nd) {
					rd_fail(&r, DD_ECORRUPT);
					break;
				}
				row[c].s = dict[k - 1];
				row[c].n = dlen[k - 1];
				continue;
			}
			m = rd_uvarint(&r);
			if (m > rd_left(&r) || rd_bytes(&r, (size_t)m, &b) != 0) {
				rd_fail(&r, DD_ECORRUPT);
				break;
			}
			row[c].s = (const char *)b;
			row[c].n = (size_t)m;
			if (nd < PACK_DICT && m <= 256) {
				dict[nd] = (const char *)b;
				dlen[nd++] = (size_t)m;
			}
		}
	}
	if (!rd_ok(&r) || i != cnt || (nc > 0 && c != nc)) {
		free(v);
		return dd_err_set(e, DD_ECORRUPT, "packed chunk: row %zu is "
		    "damaged", i);
	}
	*vals = v;
	*n = cnt;
	return 0;
}

/* ---- the virtual tables ---- */

struct packtab {
	sqlite3_vtab base;
	sqlite3 *db;
	const struct packrel *rel;
	const struct net_col *col;
	size_t nc;
	int seq_col, ts_col;	/* virtual table columns (artifact_id is 0) */
	char types[PACK_COLS_MAX + 1];
	char sql[2][512];	/* chunk queries: without, with artifact_id */
};

struct packtab_cur {
	sqlite3_vtab_cursor base;
	sqlite3_stmt *chunks;
	bool eof;
	int64_t artifact;
	uint8_t *raw;
	struct packval *vals;
	size_t n, i;
	/* row filters (SQLite checks them again) */
	bool has_seq, has_lo, has_hi;
	int64_t seq, lo, hi;
};

static int
packtab_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **out, char **err)
{
	const struct packrel *rel = aux;
	struct packtab *t;
	struct sbuf sb;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	t = xcalloc(1, sizeof(*t));
	t->db = db;
	t->rel = rel;
	t->col = net_columns(rel->kind, NULL);
	sbuf_init(&sb, 4096);
	sbuf_addstr(&sb, "CREATE TABLE x(artifact_id INTEGER");
	for (t->nc = 0; t->nc < PACK_COLS_MAX && t->col[t->nc].name; t->nc++) {
		const struct net_col *c = &t->col[t->nc];
		sbuf_addf(&sb, ", %s %s", c->name, c->type == 'i' ? "INTEGER" :
		    "TEXT");
		t->types[t->nc] = c->type;
		if (c->type == 'i' && c->slot == rel->seq_slot)
			t->seq_col = (int)t->nc + 1;
		if (c->type == 'i' && c->slot == rel->ts_slot)
			t->ts_col = (int)t->nc + 1;
	}
	sbuf_addch(&sb, ')');
	rc = sqlite3_declare_vtab(db, sb.buf);
	sbuf_release(&sb);
	if (rc != SQLITE_OK || t->seq_col == 0 || t->ts_col == 0) {
		free(t);
		return rc != SQLITE_OK ? rc : SQLITE_ERROR;
	}
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
	for (int k = 0; k < 2; k++)
		snprintf(t->sql[k], sizeof(t->sql[k]),
		    "SELECT artifact_id, raw_size, data FROM %s WHERE %s"
		    "(?2 IS NULL OR (first_seq <= ?2 AND last_seq >= ?2)) AND "
		    "(?3 IS NULL OR ts_max >= ?3) AND (?4 IS NULL OR ts_min <= "
		    "?4) ORDER BY artifact_id, first_seq",
		    rel->chunks, k ? "artifact_id = ?1 AND " : "");
	*out = &t->base;
	return SQLITE_OK;
}

static int
packtab_disconnect(sqlite3_vtab *vt)
{
	free(vt);
	return SQLITE_OK;
}

static int
packtab_best_index(sqlite3_vtab *vt, sqlite3_index_info *ix)
{
	struct packtab *t = (struct packtab *)vt;
	char codes[17];
	int n = 0;
	double cost = 1e7;

	for (int i = 0; i < ix->nConstraint && n < 16; i++) {
		const struct sqlite3_index_constraint *c = &ix->aConstraint[i];
		char code = 0;
		if (!c->usable)
			continue;
		if (c->iColumn == 0 && c->op == SQLITE_INDEX_CONSTRAINT_EQ)
			code = 'a';
		else if (c->iColumn == t->seq_col &&
		    c->op == SQLITE_INDEX_CONSTRAINT_EQ)
			code = 's';
		else if (c->iColumn == t->ts_col && (c->op ==
		    SQLITE_INDEX_CONSTRAINT_GT || c->op ==
		    SQLITE_INDEX_CONSTRAINT_GE))
			code = 'g';
		else if (c->iColumn == t->ts_col && (c->op ==
		    SQLITE_INDEX_CONSTRAINT_LT || c->op ==
		    SQLITE_INDEX_CONSTRAINT_LE))
			code = 'l';
		if (code == 0)
			continue;
		codes[n] = code;
		ix->aConstraintUsage[i].argvIndex = ++n;
		cost /= code == 'a' ? 20 : code == 's' ? 1000 : 5;
	}
	codes[n] = '\0';
	ix->idxStr = sqlite3_mprintf("%s", codes);
	ix->needToFreeIdxStr = 1;
	ix->estimatedCost = cost;
	ix->estimatedRows = (sqlite3_int64)(cost / 4) + 1;
	/* rows come in (artifact_id, seq) order */
	if (ix->nOrderBy >= 1 && ix->nOrderBy <= 2 &&
	    ix->aOrderBy[0].iColumn == 0 && !ix->aOrderBy[0].desc &&
	    (ix->nOrderBy == 1 || (ix->aOrderBy[1].iColumn == t->seq_col &&
		!ix->aOrderBy[1].desc)))
		ix->orderByConsumed = 1;
	return SQLITE_OK;
}

static int
packtab_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct packtab_cur *c = xcalloc(1, sizeof(*c));

	(void)vt;
	c->eof = true;
	*out = &c->base;
	return SQLITE_OK;
}

static void
packtab_drop_chunk(struct packtab_cur *c)
{
	free(c->vals);
	free(c->raw);
	c->vals = NULL;
	c->raw = NULL;
	c->n = c->i = 0;
}

static int
packtab_close(sqlite3_vtab_cursor *cur)
{
	struct packtab_cur *c = (struct packtab_cur *)cur;

	packtab_drop_chunk(c);
	sqlite3_finalize(c->chunks);
	free(c);
	return SQLITE_OK;
}

static int
packtab_err(struct packtab_cur *c, const char *msg)
{
	struct packtab *t = (struct packtab *)c->base.pVtab;

	sqlite3_free(t->base.zErrMsg);
	t->base.zErrMsg = sqlite3_mprintf("%s: %s", t->rel->vtab, msg);
	return SQLITE_CORRUPT;
}

/* The next chunk's rows; c->eof at the end. */
static int
packtab_load(struct packtab_cur *c)
{
	struct packtab *t = (struct packtab *)c->base.pVtab;
	struct dd_err e = DD_ERR_INIT;
	int64_t raw_size;
	const void *z;
	size_t zn, got;
	unsigned long long fs;
	int r;

	packtab_drop_chunk(c);
	r = sqlite3_step(c->chunks);
	if (r == SQLITE_DONE) {
		c->eof = true;
		return SQLITE_OK;
	}
	if (r != SQLITE_ROW)
		return r;
	raw_size = sqlite3_column_int64(c->chunks, 1);
	z = sqlite3_column_blob(c->chunks, 2);
	zn = (size_t)sqlite3_column_bytes(c->chunks, 2);
	fs = z ? ZSTD_getFrameContentSize(z, zn) : ZSTD_CONTENTSIZE_ERROR;
	if (raw_size <= 0 || raw_size > (int64_t)PACK_BUF_MAX + 64 ||
	    fs != (unsigned long long)raw_size)
		return packtab_err(c, "a chunk's size is damaged");
	c->raw = xmalloc((size_t)raw_size);
	got = ZSTD_decompress(c->raw, (size_t)raw_size, z, zn);
	if (ZSTD_isError(got) || got != (size_t)raw_size)
		return packtab_err(c, "a chunk does not decompress");
	c->artifact = sqlite3_column_int64(c->chunks, 0);
	if (pack_decode(c->raw, got, t->types, &c->vals, &c->n, &e) < 0)
		return packtab_err(c, e.msg);
	return SQLITE_OK;
}

static bool
packtab_row_ok(const struct packtab_cur *c, const struct packtab *t,
    const struct packval *row)
{
	const struct packval *seq = &row[t->seq_col - 1],
			     *ts = &row[t->ts_col - 1];

	if (c->has_seq && (seq->null || seq->i != c->seq))
		return false;
	if ((c->has_lo || c->has_hi) && ts->null)
		return false;
	if (c->has_lo && ts->i < c->lo)
		return false;
	if (c->has_hi && ts->i > c->hi)
		return false;
	return true;
}

/* Move to the first acceptable row at or after the cursor. */
static int
packtab_settle(struct packtab_cur *c)
{
	struct packtab *t = (struct packtab *)c->base.pVtab;
	int rc;

	for (;;) {
		while (c->i < c->n && !packtab_row_ok(c, t, c->vals + c->i *
		    t->nc))
			c->i++;
		if (c->i < c->n)
			return SQLITE_OK;
		if ((rc = packtab_load(c)) != SQLITE_OK || c->eof)
			return rc;
	}
}

static int
packtab_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
    int argc, sqlite3_value **argv)
{
	struct packtab_cur *c = (struct packtab_cur *)cur;
	struct packtab *t = (struct packtab *)cur->pVtab;
	bool has_a = false;
	int64_t a = 0;
	int rc;

	(void)idxNum;
	packtab_drop_chunk(c);
	sqlite3_finalize(c->chunks);
	c->chunks = NULL;
	c->has_seq = c->has_lo = c->has_hi = false;
	c->eof = false;
	for (int i = 0; i < argc && idxStr && idxStr[i]; i++) {
		int64_t v;
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
			c->eof = true; /* = NULL, < NULL: nothing */
			return SQLITE_OK;
		}
		if (sqlite3_value_numeric_type(argv[i]) != SQLITE_INTEGER)
			continue; /* text or real: SQLite compares */
		v = sqlite3_value_int64(argv[i]);
		switch (idxStr[i]) {
		case 'a':
			has_a = true;
			a = v;
			break;
		case 's':
			c->has_seq = true;
			c->seq = v;
			break;
		case 'g':
			if (!c->has_lo || v > c->lo)
				c->lo = v;
			c->has_lo = true;
			break;
		case 'l':
			if (!c->has_hi || v < c->hi)
				c->hi = v;
			c->has_hi = true;
			break;
		}
	}
	if ((rc = sqlite3_prepare_v2(t->db, t->sql[has_a], -1, &c->chunks,
	    NULL)) != SQLITE_OK)
		return rc;
	if (has_a)
		sqlite3_bind_int64(c->chunks, 1, a);
	if (c->has_seq)
		sqlite3_bind_int64(c->chunks, 2, c->seq);
	if (c->has_lo)
		sqlite3_bind_int64(c->chunks, 3, c->lo);
	if (c->has_hi)
		sqlite3_bind_int64(c->chunks, 4, c->hi);
	return packtab_settle(c);
}

static int
packtab_next(sqlite3_vtab_cursor *cur)
{
	struct packtab_cur *c = (struct packtab_cur *)cur;

	c->i++;
	return packtab_settle(c);
}

static int
packtab_eof(sqlite3_vtab_cursor *cur)
{
	return ((struct packtab_cur *)cur)->eof;
}

static int
packtab_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct packtab_cur *c = (struct packtab_cur *)cur;
	struct packtab *t = (struct packtab *)cur->pVtab;
	const struct packval *v;

	if (col == 0) {
		sqlite3_result_int64(ctx, c->artifact);
		return SQLITE_OK;
	}
	if (col < 1 || (size_t)col > t->nc)
		return SQLITE_OK;
	v = &c->vals[c->i * t->nc + (size_t)col - 1];
	if (v->null)
		return SQLITE_OK;
	if (t->types[col - 1] == 'i')
		sqlite3_result_int64(ctx, v->i);
	else
		sqlite3_result_text(ctx, v->s, (int)v->n, SQLITE_TRANSIENT);
	return SQLITE_OK;
}

static int
packtab_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	struct packtab_cur *c = (struct packtab_cur *)cur;
	struct packtab *t = (struct packtab *)cur->pVtab;

	*out = (sqlite3_int64)(((uint64_t)c->artifact << 40) ^
	    (uint64_t)c->vals[c->i * t->nc + (size_t)t->seq_col - 1].i);
	return SQLITE_OK;
}

static const sqlite3_module packtab_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only */
	.xConnect = packtab_connect,
	.xBestIndex = packtab_best_index,
	.xDisconnect = packtab_disconnect,
	.xDestroy = packtab_disconnect,
	.xOpen = packtab_open,
	.xClose = packtab_close,
	.xFilter = packtab_filter,
	.xNext = packtab_next,
	.xEof = packtab_eof,
	.xColumn = packtab_column,
	.xRowid = packtab_rowid,
};

int
packtab_register(sqlite3 *db, struct store *s)
{
	int rc = SQLITE_OK;

	(void)s;
	for (size_t i = 0; rc == SQLITE_OK && i < ARRAY_SIZE(packrels); i++)
		rc = sqlite3_create_module(db, packrels[i].vtab,
		    &packtab_module, (void *)(uintptr_t)&packrels[i]);
	return rc;
}
