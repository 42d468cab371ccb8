/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evstore.c: writing and decoding event chunks; see evstore.h.
 *
 * Columns, in order (u = unsigned varint, s = zigzag signed varint):
 *   0 ord      u  delta from the previous ordinal (first: from first_ord)
 *   1 kind     u
 *   2 name     u  string id
 *   3 arch     u
 *   4 bits     u  EVB_* flags
 *   5 enter    s  delta from the previous known enter time
 *   6 exit     s  delta from this event's enter time (or previous exit)
 *   7 tsq      u
 *   8 pid      s
 *   9 tid      s  delta from pid
 *  10 comm     u  string id
 *  11 ret      s
 *  12 err      u  string id
 *  13 path     u  string id
 *  14 path2    u  string id
 *  15 fdpath   u  string id
 *  16 family   u  string id
 *  17 addr     u  string id
 *  18 flags    u  string id
 *  19 fd       s
 *  20 port     u
 *  21 target   s
 *  22 src      s u [s u]  span offsets (delta from the previous span's
 *                          end) and lengths; the second span only when
 *                          len[1] > 0 (flag in the length: len*2+more)
 *  23 args     u bytes    length and text, for EVB_ARGS events only
 *  24 cont     u  string id of the container (absent in chunks written
 *                 before schema 3: 24 columns, read as no container)
 */
#include "core/common.h"
#include "core/evstore.h"

#include <sqlite3.h>
#include <zstd.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/strtab.h"
#include "core/xmalloc.h"

#define EVC_NCOLS 26
#define EVW_CNT_SLOTS 1024u
#define EVW_DM 512u /* direct-mapped cache of short strings' ids */
/* Columns of one value per event that may be stored empty, meaning all
 * zeros (a zero takes a byte otherwise, so older chunks never have an
 * empty one): name, arch, tsq, pid, tid, comm ... target, cont. */
#define EVC_ZERO_OK                                                         \
	(1u << 2 | 1u << 3 | 1u << 7 | 1u << 8 | 1u << 9 | 0x3ffc00u |     \
	    1u << 24 | 1u << 25) /* per-chunk (name, kind) count index */
#define EVC_NCOLS_MIN 24 /* chunks written before the container (24) and
			  uid (25) columns */
/* Decoded chunks are bounded: about 40 bytes a column per event at most
 * plus argument text. */
#define EVC_RAW_MAX (64u << 20)

struct evw_count {
	int64_t name;
	int kind;
	int64_t n;
};

/* A chunk encoded and handed to the chunk pool for compression, stored
 * when the next chunk is encoded (or at evw_finish): the writer's thread
 * encodes while a worker compresses. */
struct evw_pend {
	struct chunk_zjob *zj; /* NULL: none */
	struct sbuf raw;       /* the encoded chunk (swapped with evw.raw) */
	int64_t seq, first_ord, ts_min, ts_max, tid_min, tid_max;
	uint32_t n;
	struct evw_count *cnt;
	size_t ncnt;
	int64_t *tids; /* distinct, sorted */
	uint32_t ntid;
};

/* The last value of a string field and its id. */
struct evw_memo {
	char s[56];
	size_t n;
	int64_t id; /* 0: none */
};

struct evw {
	struct evw_memo memo[10];
	struct evw_memo dm[EVW_DM]; /* short strings seen lately, any field */
	uint32_t cslot[EVW_CNT_SLOTS]; /* k + 1 into the counts, 0 free */
	struct store *s;
	struct strtab *st;
	int64_t artifact_id;
	int64_t seq;
	struct evrow *rows;
	uint32_t n;
	struct sbuf args;
	uint64_t total;
	struct sbuf col[EVC_NCOLS];
	struct sbuf raw;
	struct evw_pend pend;
};

const char *
ev_kind_name(int kind)
{
	switch (kind) {
	case EVK_SYSCALL: return "syscall";
	case EVK_SIGNAL: return "signal";
	case EVK_EXIT: return "exit";
	case EVK_EVENT: return "event";
	default: return "unknown";
	}
}

int
ev_kind_parse(const char *name)
{
	if (strcmp(name, "syscall") == 0)
		return EVK_SYSCALL;
	if (strcmp(name, "signal") == 0)
		return EVK_SIGNAL;
	if (strcmp(name, "exit") == 0)
		return EVK_EXIT;
	if (strcmp(name, "event") == 0)
		return EVK_EVENT;
	return 0;
}

const char *
ev_tsq_name(int q)
{
	switch (q) {
	case TSQ_ABSOLUTE: return "absolute";
	case TSQ_DATE_INFERRED: return "date-inferred";
	case TSQ_RELATIVE: return "relative";
	default: return "ordinal";
	}
}

int
evw_new(struct store *s, struct strtab *st, int64_t artifact_id,
    struct evw **out, struct dd_err *e)
{
	struct evw *w;
	int i;

	(void)e;
	w = xcalloc(1, sizeof(*w));
	w->s = s;
	w->st = st;
	w->artifact_id = artifact_id;
	/* Each row is cleared as it is added. */
	w->rows = xreallocarray(NULL, EVC_MAX, sizeof(*w->rows));
	sbuf_init(&w->args, EVC_RAW_MAX);
	for (i = 0; i < EVC_NCOLS; i++)
		sbuf_init(&w->col[i], EVC_RAW_MAX);
	sbuf_init(&w->raw, EVC_RAW_MAX + 1024);
	sbuf_init(&w->pend.raw, EVC_RAW_MAX + 1024);
	*out = w;
	return 0;
}

void
evw_free(struct evw *w)
{
	int i;

	if (w == NULL)
		return;
	free(w->rows);
	sbuf_release(&w->args);
	for (i = 0; i < EVC_NCOLS; i++)
		sbuf_release(&w->col[i]);
	sbuf_release(&w->raw);
	chunk_zfree(w->pend.zj); /* waits: the worker reads pend.raw */
	sbuf_release(&w->pend.raw);
	free(w->pend.cnt);
	free(w->pend.tids);
	free(w);
}

static int64_t
evrow_ts(const struct evrow *r)
{
	if (r->bits & EVB_ENTER)
		return r->enter;
	if (r->bits & EVB_EXIT)
		return r->exit;
	return EV_TS_NONE;
}

static void
evw_put_le32(struct sbuf *sb, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
		(uint8_t)(v >> 24) };

	sbuf_add(sb, b, 4);
}

static int
evw_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Wait for the pending chunk's compression and insert it with its
 * summaries. */
static int
evw_store_pend(struct evw *w, struct dd_err *e)
{
	struct evw_pend *pd = &w->pend;
	const void *z;
	size_t zlen, k;
	sqlite3_stmt *stm;
	int64_t chunk_id;
	int rc;

	if (pd->zj == NULL)
		return 0;
	if ((rc = chunk_zwait(pd->zj, &z, &zlen, e)) < 0)
		goto out;
	stm = store_stmt(w->s,
	    "INSERT INTO event_chunks(artifact_id, seq, first_ord, n, ts_min, "
	    "ts_max, tid_min, tid_max, raw_len, data) VALUES (?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?)",
	    e);
	if (stm == NULL) {
		rc = DD_ESQL;
		goto out;
	}
	sqlite3_bind_int64(stm, 1, w->artifact_id);
	sqlite3_bind_int64(stm, 2, pd->seq);
	sqlite3_bind_int64(stm, 3, pd->first_ord);
	sqlite3_bind_int64(stm, 4, pd->n);
	if (pd->ts_min != INT64_MAX) {
		sqlite3_bind_int64(stm, 5, pd->ts_min);
		sqlite3_bind_int64(stm, 6, pd->ts_max);
	}
	sqlite3_bind_int64(stm, 7, pd->tid_min);
	sqlite3_bind_int64(stm, 8, pd->tid_max);
	sqlite3_bind_int64(stm, 9, (int64_t)pd->raw.len);
	sqlite3_bind_blob(stm, 10, z, (int)zlen, SQLITE_STATIC);
	if ((rc = store_step_done(w->s, stm, e)) < 0)
		goto out;
	chunk_id = store_last_id(w->s);
	for (k = 0; k < pd->ncnt; k++) {
		stm = store_stmt(w->s, "INSERT INTO event_chunk_names(name_id, "
				       "kind, chunk_id, n) VALUES (?, ?, ?, ?)",
		    e);
		if (stm == NULL) {
			rc = DD_ESQL;
			goto out;
		}
		sqlite3_bind_int64(stm, 1, pd->cnt[k].name);
		sqlite3_bind_int(stm, 2, pd->cnt[k].kind);
		sqlite3_bind_int64(stm, 3, chunk_id);
		sqlite3_bind_int64(stm, 4, pd->cnt[k].n);
		if ((rc = store_step_done(w->s, stm, e)) < 0)
			goto out;
	}
	for (k = 0; k < pd->ntid; k++) {
		stm = store_stmt(w->s, "INSERT INTO event_chunk_tids(tid, "
				       "chunk_id) VALUES (?, ?)",
		    e);
		if (stm == NULL) {
			rc = DD_ESQL;
			goto out;
		}
		sqlite3_bind_int64(stm, 1, pd->tids[k]);
		sqlite3_bind_int64(stm, 2, chunk_id);
		if ((rc = store_step_done(w->s, stm, e)) < 0)
			goto out;
	}
	if (w->s->in_tx)
		rc = store_tick(w->s, (int)(pd->ncnt + pd->n / 64 + 1), e);
out:
	chunk_zfree(pd->zj);
	pd->zj = NULL;
	free(pd->cnt);
	pd->cnt = NULL;
	free(pd->tids);
	pd->tids = NULL;
	return rc;
}

static int
evw_flush(struct evw *w, struct dd_err *e)
{
	struct evw_count *cnt = NULL;
	size_t ncnt = 0, acnt = 0, k, last = 0;
	uint32_t ntid;
	int64_t *tids = NULL, prev_enter = 0, prev_exit = 0;
	int64_t ts_min = INT64_MAX, ts_max = INT64_MIN, tid_min = INT64_MAX,
		tid_max = INT64_MIN;
	uint64_t prev_ord, prev_end = 0;
	uint32_t nz = 0;
	struct evw_pend *pd;
	struct sbuf swap;
	uint32_t i;
	int c, rc = 0;

	if (w->n == 0)
		return 0;
	for (c = 0; c < EVC_NCOLS; c++)
		sbuf_reset(&w->col[c]);
	memset(w->cslot, 0, sizeof(w->cslot));
	prev_ord = w->rows[0].ord;
	/* Columns whose every value is zero are stored empty (EVC_ZERO_OK):
	 * datasets without times, threads or paths pay for none of them. */
	for (i = 0; i < w->n; i++) {
		const struct evrow *r = &w->rows[i];
		nz |= (r->name != 0) << 2 | (r->arch != 0) << 3 |
		    (r->tsq != 0) << 7 | (r->pid != 0) << 8 |
		    (r->tid != r->pid) << 9 | (r->comm != 0) << 10 |
		    (r->ret != 0) << 11 | (r->err != 0) << 12 |
		    (r->path != 0) << 13 | (r->path2 != 0) << 14 |
		    (r->fdpath != 0) << 15 | (r->family != 0) << 16 |
		    (r->addr != 0) << 17 | (r->flags != 0) << 18 |
		    (r->fd != 0) << 19 | (r->port != 0) << 20 |
		    (r->target != 0) << 21 | (uint32_t)(r->cont != 0) << 24 |
		    (uint32_t)(r->uid1 != 0) << 25;
	}
	nz |= ~EVC_ZERO_OK;
#define EVW_U(k, v)                                                        \
	do { if (nz & (1u << (k))) sbuf_add_uvarint(&w->col[k], (uint64_t)(v)); } while (0)
#define EVW_S(k, v) \
	do { if (nz & (1u << (k))) sbuf_add_svarint(&w->col[k], (int64_t)(v)); } while (0)
	for (i = 0; i < w->n; i++) {
		struct evrow *r = &w->rows[i];
		int64_t ts = evrow_ts(r);

		sbuf_add_uvarint(&w->col[0], r->ord - prev_ord);
		prev_ord = r->ord;
		sbuf_add_uvarint(&w->col[1], (uint64_t)r->kind);
		EVW_U(2, r->name);
		EVW_U(3, r->arch);
		sbuf_add_uvarint(&w->col[4], r->bits);
		if (r->bits & EVB_ENTER) {
			sbuf_add_svarint(&w->col[5],
			    (int64_t)((uint64_t)r->enter - (uint64_t)prev_enter));
			prev_enter = r->enter;
		}
		if (r->bits & EVB_EXIT) {
			int64_t base = (r->bits & EVB_ENTER) ? r->enter :
							       prev_exit;
			sbuf_add_svarint(&w->col[6],
			    (int64_t)((uint64_t)r->exit - (uint64_t)base));
			prev_exit = r->exit;
		}
		EVW_U(7, r->tsq);
		EVW_S(8, r->pid);
		EVW_S(9, (int64_t)((uint64_t)r->tid - (uint64_t)r->pid));
		EVW_U(10, r->comm);
		EVW_S(11, r->ret);
		EVW_U(12, r->err);
		EVW_U(13, r->path);
		EVW_U(14, r->path2);
		EVW_U(15, r->fdpath);
		EVW_U(16, r->family);
		EVW_U(17, r->addr);
		EVW_U(18, r->flags);
		EVW_S(19, r->fd);
		EVW_U(20, r->port);
		EVW_S(21, r->target);
		sbuf_add_svarint(&w->col[22],
		    (int64_t)(r->off[0] - prev_end));
		sbuf_add_uvarint(&w->col[22],
		    (uint64_t)r->len[0] * 2 + (r->len[1] ? 1 : 0));
		prev_end = r->off[0] + r->len[0];
		if (r->len[1]) {
			sbuf_add_svarint(&w->col[22],
			    (int64_t)(r->off[1] - prev_end));
			sbuf_add_uvarint(&w->col[22], r->len[1]);
			prev_end = r->off[1] + r->len[1];
		}
		if (r->bits & EVB_ARGS) {
			sbuf_add_uvarint(&w->col[23], r->args_len);
			sbuf_add(&w->col[23], w->args.buf + r->args_off,
			    r->args_len);
		}
		EVW_U(24, r->cont);
		EVW_U(25, r->uid1);
#undef EVW_U
#undef EVW_S
		if (ts != EV_TS_NONE) {
			ts_min = MIN(ts_min, ts);
			ts_max = MAX(ts_max, ts);
		}
		tid_min = MIN(tid_min, r->tid);
		tid_max = MAX(tid_max, r->tid);
		if (ncnt > 0 && cnt[last].name == r->name &&
		    cnt[last].kind == r->kind)
			k = last;
		else if (ncnt < EVW_CNT_SLOTS / 2) {
			/* open addressing over (name, kind): datasets whose
			 * names change every event stay linear */
			size_t h = ((size_t)r->name * 0x9E3779B1u +
				       (size_t)r->kind) &
			    (EVW_CNT_SLOTS - 1);
			for (;; h = (h + 1) & (EVW_CNT_SLOTS - 1)) {
				k = w->cslot[h];
				if (k == 0) {
					k = ncnt;
					w->cslot[h] = (uint32_t)ncnt + 1;
					break;
				}
				k--;
				if (cnt[k].name == r->name &&
				    cnt[k].kind == r->kind)
					break;
			}
		} else
			for (k = 0; k < ncnt; k++)
				if (cnt[k].name == r->name &&
				    cnt[k].kind == r->kind)
					break;
		if (k == ncnt) {
			if (ncnt == acnt) {
				acnt = acnt ? acnt * 2 : 64;
				cnt = xreallocarray(cnt, acnt, sizeof(*cnt));
			}
			cnt[ncnt].name = r->name;
			cnt[ncnt].kind = r->kind;
			cnt[ncnt].n = 0;
			ncnt++;
		}
		cnt[k].n++;
		last = k;
	}
	sbuf_reset(&w->raw);
	sbuf_addstr(&w->raw, "EVC1");
	evw_put_le32(&w->raw, w->n);
	evw_put_le32(&w->raw, EVC_NCOLS);
	for (c = 0; c < EVC_NCOLS; c++) {
		evw_put_le32(&w->raw, (uint32_t)w->col[c].len);
		if (sbuf_add(&w->raw, w->col[c].buf, w->col[c].len) < 0) {
			rc = dd_err_set(e, DD_ELIMIT, "event chunk too large");
			goto out;
		}
	}
	/* The previous chunk is stored first: chunks go in in order. */
	if ((rc = evw_store_pend(w, e)) < 0)
		goto out;
	tids = xmalloc(w->n * sizeof(*tids));
	ntid = 0;
	for (i = 0; i < w->n; i++)
		if (ntid == 0 || tids[ntid - 1] != w->rows[i].tid)
			tids[ntid++] = w->rows[i].tid;
	if (ntid > 0)
		qsort(tids, ntid, sizeof(*tids), evw_cmp_i64);
	k = 0; /* distinct: runs of one thread collapsed, then sorted */
	for (i = 0; i < ntid; i++)
		if (k == 0 || tids[k - 1] != tids[i])
			tids[k++] = tids[i];
	pd = &w->pend;
	pd->seq = w->seq++;
	pd->first_ord = (int64_t)w->rows[0].ord;
	pd->n = w->n;
	pd->ts_min = ts_min;
	pd->ts_max = ts_max;
	pd->tid_min = tid_min;
	pd->tid_max = tid_max;
	pd->cnt = cnt;
	pd->ncnt = ncnt;
	pd->tids = tids;
	pd->ntid = (uint32_t)k;
	cnt = NULL;
	tids = NULL;
	swap = pd->raw;
	pd->raw = w->raw;
	w->raw = swap;
	pd->zj = chunk_zstart(pd->raw.buf, pd->raw.len, 3);
	w->total += w->n;
	w->n = 0;
	sbuf_reset(&w->args);
out:
	free(cnt);
	free(tids);
	return rc;
}

/* The string id of field f's value s: the field's previous value is
 * remembered (names, commands and flags repeat from event to event), the
 * rest goes to the string table. */
static int
evw_intern(struct evw *w, int f, const char *s, int64_t *id, struct dd_err *e)
{
	struct evw_memo *m = &w->memo[f];
	size_t n;
	int rc;

	if (s == NULL) {
		*id = 0;
		return 0;
	}
	n = strlen(s);
	if (m->id != 0 && n == m->n && memcmp(m->s, s, n) == 0) {
		*id = m->id;
		return 0;
	}
	/* A small direct-mapped cache before the string table: names that
	 * alternate (every event a different syscall) miss the memo. */
	if (n < sizeof(m->s)) {
		uint64_t k = n;
		struct evw_memo *d;
		memcpy(&k, s, MIN(n, (size_t)7));
		k = (k ^ n << 56) * 0x9E3779B97F4A7C15ull;
		d = &w->dm[k >> 55 & (EVW_DM - 1)];
		if (d->id != 0 && d->n == n && memcmp(d->s, s, n) == 0) {
			*id = d->id;
		} else {
			if ((rc = strtab_intern(w->st, s, n, id, e)) < 0)
				return rc;
			memcpy(d->s, s, n);
			d->n = n;
			d->id = *id;
		}
		memcpy(m->s, s, n);
		m->n = n;
		m->id = *id;
		return 0;
	}
	return strtab_intern(w->st, s, n, id, e);
}

int
evw_add(struct evw *w, const struct event_rec *r, struct dd_err *e)
{
	struct evrow *o;
	int rc;

	if (w->n == EVC_MAX && (rc = evw_flush(w, e)) < 0)
		return rc;
	o = &w->rows[w->n];
	memset(o, 0, sizeof(*o));
	o->ord = r->ord;
	o->kind = r->kind;
	o->arch = r->arch;
	o->tsq = r->ts_quality;
	if (r->enter_ts != EV_TS_NONE) {
		o->bits |= EVB_ENTER;
		o->enter = r->enter_ts;
	}
	if (r->exit_ts != EV_TS_NONE) {
		o->bits |= EVB_EXIT;
		o->exit = r->exit_ts;
	}
	o->pid = r->pid;
	o->tid = r->tid;
	if (r->ret_known) {
		o->bits |= EVB_RET;
		o->ret = r->ret;
	}
	if (r->has_fd) {
		o->bits |= EVB_FD;
		o->fd = r->fd;
	}
	if (r->has_port) {
		o->bits |= EVB_PORT;
		o->port = r->port;
	}
	if (r->has_target) {
		o->bits |= EVB_TARGET;
		o->target = r->target;
	}
	if (r->has_uid && r->uid >= 0 && r->uid <= (int64_t)UINT32_MAX)
		o->uid1 = r->uid + 1;
	o->off[0] = r->src_off[0];
	o->len[0] = r->src_len[0];
	o->off[1] = r->src_off[1];
	o->len[1] = r->src_len[1];
	if (r->args != NULL) {
		size_t n = strlen(r->args);
		o->bits |= EVB_ARGS;
		o->args_off = (uint32_t)w->args.len;
		o->args_len = (uint32_t)n;
		if (sbuf_add(&w->args, r->args, n) < 0) {
			/* Too much text for one chunk: flush and retry. */
			if ((rc = evw_flush(w, e)) < 0)
				return rc;
			return evw_add(w, r, e);
		}
	}
	if ((rc = evw_intern(w, 0, r->name, &o->name, e)) < 0 ||
	    (rc = evw_intern(w, 1, r->comm, &o->comm, e)) < 0 ||
	    (rc = evw_intern(w, 2, r->errname, &o->err, e)) < 0 ||
	    (rc = evw_intern(w, 3, r->path, &o->path, e)) < 0 ||
	    (rc = evw_intern(w, 4, r->path2, &o->path2, e)) < 0 ||
	    (rc = evw_intern(w, 5, r->fd_path, &o->fdpath, e)) < 0 ||
	    (rc = evw_intern(w, 6, r->family, &o->family, e)) < 0 ||
	    (rc = evw_intern(w, 7, r->addr, &o->addr, e)) < 0 ||
	    (rc = evw_intern(w, 8, r->flags, &o->flags, e)) < 0 ||
	    (rc = evw_intern(w, 9, r->container, &o->cont, e)) < 0)
		return rc;
	w->n++;
	return 0;
}

void
evw_retarget(struct evw *w, int64_t artifact_id)
{
	if (w->n != 0)
		BUG("evw_retarget with %u events not flushed", w->n);
	w->artifact_id = artifact_id;
	w->seq = 0;
	w->total = 0;
}

int
evw_finish(struct evw *w, uint64_t *n, struct dd_err *e)
{
	int rc = evw_flush(w, e);

	if (rc >= 0)
		rc = evw_store_pend(w, e);
	/* The new strings' rows, before the import commits. */
	if (rc >= 0 && strtab_flush(w->st, SIZE_MAX, e) < 0)
		rc = DD_ESQL;
	if (n)
		*n = w->total;
	return rc;
}

void
evchunk_free(struct evchunk *c)
{
	if (c == NULL)
		return;
	free(c->rows);
	free(c->args);
	free(c);
}

static uint32_t
evc_le32(struct rd *r)
{
	return rd_le32(r);
}

uint32_t
evchunk_cols(uint32_t mask)
{
	/* Always: ordinals, kinds, flag bits. Times need the bits (done);
	 * exit deltas need enter times; tids are stored against pids. */
	mask |= 1u << 0 | 1u << 1 | 1u << 4;
	if (mask & (1u << 6))
		mask |= 1u << 5;
	if (mask & (1u << 9))
		mask |= 1u << 8;
	return mask & EVCOL_ALL;
}

int
evchunk_decode(const void *data, size_t dlen, int64_t raw_len,
    struct evchunk **out, struct dd_err *e)
{
	return evchunk_decode_cols(data, dlen, raw_len, EVCOL_ALL, out, e);
}

int
evchunk_decode_cols(const void *data, size_t dlen, int64_t raw_len,
    uint32_t mask, struct evchunk **out, struct dd_err *e)
{
	struct rd col[EVC_NCOLS], hdr;
	struct evchunk *c = NULL;
	unsigned long long fcs;
	const uint8_t *magic;
	int64_t prev_enter = 0, prev_exit = 0;
	uint64_t prev_end = 0, ord = 0;
	uint8_t *raw = NULL;
	struct sbuf args = SBUF_INIT;
	uint32_t n, ncols, i;
	size_t z;
	int k, rc = DD_ECORRUPT;
	bool tid_is_pid = false;

	*out = NULL;
	fcs = ZSTD_getFrameContentSize(data, dlen);
	if (raw_len < 12 || (uint64_t)raw_len > EVC_RAW_MAX + 1024 ||
	    fcs != (unsigned long long)raw_len)
		return dd_err_set(e, DD_ECORRUPT,
		    "event chunk has a bad length (%" PRId64 ")", raw_len);
	raw = xmalloc((size_t)raw_len);
	z = ZSTD_decompress(raw, (size_t)raw_len, data, dlen);
	if (ZSTD_isError(z) || z != (size_t)raw_len) {
		free(raw);
		return dd_err_set(e, DD_ECORRUPT, "event chunk cannot be "
						  "decompressed");
	}
	rd_init(&hdr, raw, z, 0);
	rd_bytes(&hdr, 4, &magic);
	n = evc_le32(&hdr);
	ncols = evc_le32(&hdr);
	if (!rd_ok(&hdr) || memcmp(magic, "EVC1", 4) != 0 || n == 0 ||
	    n > EVC_MAX || ncols < EVC_NCOLS_MIN || ncols > EVC_NCOLS) {
		dd_err_set(e, DD_ECORRUPT, "event chunk header is invalid");
		goto out;
	}
	for (k = 0; k < (int)ncols; k++) {
		uint32_t len = evc_le32(&hdr);
		rd_sub(&hdr, len, &col[k]);
	}
	if (!rd_ok(&hdr) || rd_left(&hdr) != 0) {
		dd_err_set(e, DD_ECORRUPT, "event chunk columns are invalid");
		goto out;
	}
	sbuf_init(&args, EVC_RAW_MAX);
	/* Columns an older chunk does not have decode as zeros. */
	mask = evchunk_cols(mask);
	c = xcalloc(1, sizeof(*c));
	c->n = n;
	c->cols = mask;
	mask &= (1u << ncols) - 1;
	for (k = 0; k < (int)ncols; k++)
		if ((mask >> k & 1) && ((EVC_ZERO_OK >> k) & 1) &&
		    rd_left(&col[k]) == 0) {
			mask &= ~(1u << k); /* all zeros: the rows stay 0 */
			if (k == 9)
				tid_is_pid = true; /* tid stored as pid + 0 */
		}
	c->rows = xcalloc(n, sizeof(*c->rows));
	/* Column by column: only the columns asked for are decoded (and
	 * checked); ordinals, kinds and flag bits always are. */
#define EVC_COL(k) for (i = 0; i < n && (mask & (1u << (k))); i++)
	EVC_COL(0) {
		ord += rd_uvarint(&col[0]);
		c->rows[i].ord = ord;
	}
	EVC_COL(1) c->rows[i].kind = (int)rd_uvarint(&col[1]);
	EVC_COL(2) c->rows[i].name = (int64_t)rd_uvarint(&col[2]);
	EVC_COL(3) c->rows[i].arch = (int)rd_uvarint(&col[3]);
	EVC_COL(4) c->rows[i].bits = (uint32_t)rd_uvarint(&col[4]);
	EVC_COL(5) {
		struct evrow *r = &c->rows[i];
		if (r->bits & EVB_ENTER) {
			r->enter = (int64_t)((uint64_t)prev_enter +
			    (uint64_t)rd_svarint(&col[5]));
			prev_enter = r->enter;
		}
	}
	EVC_COL(6) {
		struct evrow *r = &c->rows[i];
		if (r->bits & EVB_EXIT) {
			int64_t base = (r->bits & EVB_ENTER) ? r->enter :
							       prev_exit;
			r->exit = (int64_t)((uint64_t)base +
			    (uint64_t)rd_svarint(&col[6]));
			prev_exit = r->exit;
		}
	}
	EVC_COL(7) c->rows[i].tsq = (int)rd_uvarint(&col[7]);
	EVC_COL(8) c->rows[i].pid = rd_svarint(&col[8]);
	EVC_COL(9) c->rows[i].tid = (int64_t)((uint64_t)c->rows[i].pid +
	    (uint64_t)rd_svarint(&col[9]));
	EVC_COL(10) c->rows[i].comm = (int64_t)rd_uvarint(&col[10]);
	EVC_COL(11) c->rows[i].ret = rd_svarint(&col[11]);
	EVC_COL(12) c->rows[i].err = (int64_t)rd_uvarint(&col[12]);
	EVC_COL(13) c->rows[i].path = (int64_t)rd_uvarint(&col[13]);
	EVC_COL(14) c->rows[i].path2 = (int64_t)rd_uvarint(&col[14]);
	EVC_COL(15) c->rows[i].fdpath = (int64_t)rd_uvarint(&col[15]);
	EVC_COL(16) c->rows[i].family = (int64_t)rd_uvarint(&col[16]);
	EVC_COL(17) c->rows[i].addr = (int64_t)rd_uvarint(&col[17]);
	EVC_COL(18) c->rows[i].flags = (int64_t)rd_uvarint(&col[18]);
	EVC_COL(19) c->rows[i].fd = rd_svarint(&col[19]);
	EVC_COL(20) c->rows[i].port = (int64_t)rd_uvarint(&col[20]);
	EVC_COL(21) c->rows[i].target = rd_svarint(&col[21]);
	EVC_COL(22) {
		struct evrow *r = &c->rows[i];
		uint64_t l;
		r->off[0] = prev_end + (uint64_t)rd_svarint(&col[22]);
		l = rd_uvarint(&col[22]);
		if (l / 2 > UINT32_MAX)
			rd_fail(&col[22], DD_EFORMAT);
		r->len[0] = (uint32_t)(l / 2);
		prev_end = r->off[0] + r->len[0];
		if (l & 1) {
			uint64_t l2;
			r->off[1] = prev_end + (uint64_t)rd_svarint(&col[22]);
			l2 = rd_uvarint(&col[22]);
			if (l2 > UINT32_MAX || l2 == 0)
				rd_fail(&col[22], DD_EFORMAT);
			r->len[1] = (uint32_t)l2;
			prev_end = r->off[1] + r->len[1];
		}
	}
	EVC_COL(23) {
		struct evrow *r = &c->rows[i];
		if (r->bits & EVB_ARGS) {
			const uint8_t *p;
			uint64_t al = rd_uvarint(&col[23]);
			if (al > rd_left(&col[23]))
				rd_fail(&col[23], DD_ETRUNC);
			else if (rd_bytes(&col[23], (size_t)al, &p) == 0) {
				r->args_off = (uint32_t)args.len;
				r->args_len = (uint32_t)al;
				sbuf_add(&args, p, (size_t)al);
			}
		}
	}
	EVC_COL(24) c->rows[i].cont = (int64_t)rd_uvarint(&col[24]);
	EVC_COL(25) c->rows[i].uid1 = (int64_t)rd_uvarint(&col[25]);
	for (i = 0; i < n && tid_is_pid; i++)
		c->rows[i].tid = c->rows[i].pid;
#undef EVC_COL
	for (k = 0; k < (int)ncols; k++) {
		if (!(mask & (1u << k)))
			continue;
		if (!rd_ok(&col[k]) || rd_left(&col[k]) != 0) {
			dd_err_set(e, DD_ECORRUPT,
			    "event chunk column %d does not hold %u values", k,
			    n);
			goto out;
		}
	}
	c->args_len = args.len;
	c->args = (uint8_t *)sbuf_detach(&args, NULL);
	*out = c;
	c = NULL;
	rc = 0;
out:
	sbuf_release(&args);
	evchunk_free(c);
	free(raw);
	return rc;
}

int
evchunk_load(struct store *s, int64_t id, struct evchunk **out,
    struct dd_err *e)
{
	return evchunk_load_cols(s, id, EVCOL_ALL, out, e);
}

int
evchunk_load_cols(struct store *s, int64_t id, uint32_t mask,
    struct evchunk **out, struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	st = store_stmt(s, "SELECT artifact_id, first_ord, raw_len, data FROM "
			   "event_chunks WHERE id = ?",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dd_err_set(e, DD_ECORRUPT, "event chunk %" PRId64
		    " is missing", id);
	}
	rc = evchunk_decode_cols(sqlite3_column_blob(st, 3),
	    (size_t)sqlite3_column_bytes(st, 3), sqlite3_column_int64(st, 2),
	    mask, out, e);
	if (rc == 0) {
		uint32_t i;
		(*out)->id = id;
		(*out)->artifact_id = sqlite3_column_int64(st, 0);
		(*out)->first_ord = (uint64_t)sqlite3_column_int64(st, 1);
		for (i = 0; i < (*out)->n; i++)
			(*out)->rows[i].ord += (*out)->first_ord;
	}
	sqlite3_reset(st);
	if (rc < 0)
		dd_err_prefix(e, "event chunk %" PRId64, id);
	return rc;
}
