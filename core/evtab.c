/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evtab.c: the `events` virtual table (DESIGN.md sections 2 and 8).
 *
 * Eponymous and read-only: registered on every connection by store_open
 * (never in the schema, so any SQLite tool still opens a case; the plain
 * event_chunks table and `drydock export-events` serve outside tools).
 *
 * xBestIndex pushes down artifact_id, syscall, kind, tid and pid
 * equality, time ranges, id equality and path LIKE. xFilter turns them
 * into a list of candidate chunks using the chunk summaries (time range,
 * per-name counts, thread sets), so chunks that cannot match are never
 * decompressed; rows of the chunks it reads are filtered in place. When a
 * query needs no column but the constrained name/kind/artifact (a count),
 * rows are produced from the per-chunk counts without decompressing at
 * all. Decoded chunks sit in a small LRU; strings in a direct-mapped
 * cache. Times are raw source times plus the artifact's clock offset.
 *
 * Rows come in id order (either way) with no sort; ORDER BY ts[, id]
 * (either way) is a merge: candidate chunks are opened in the order of
 * their time ranges, each one's matching rows sorted by (ts, id), and a
 * row is returned once no unopened chunk can hold an earlier one, so a
 * keyset page (ts >= X AND (ts > X OR id > Y) ... LIMIT n) decodes only
 * the chunks around X. At most EVTAB_MERGE_MAX chunks may overlap in time
 * (an error names the way out otherwise).
 */
#include "core/common.h"
#include "core/evstore.h"

#include <sqlite3.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/strtab.h"
#include "core/syscalls.h"
#include "core/util.h"
#include "core/xmalloc.h"

int evtab_register(struct sqlite3 *db, struct store *s);

enum {
	EC_ID, EC_ARTIFACT, EC_KIND, EC_SYSCALL, EC_ARCH, EC_TS, EC_ENTER,
	EC_EXIT, EC_TSQ, EC_PID, EC_TID, EC_PROCESS, EC_COMM, EC_RET,
	EC_RETKNOWN, EC_ERRNO, EC_PATH, EC_PATH2, EC_FD, EC_FDPATH,
	EC_FAMILY, EC_ADDR, EC_PORT, EC_FLAGS, EC_TARGET, EC_ARGS,
	EC_CONTAINER, EC_DURATION, EC_UID, EC_NCOLS
};

static const char evtab_schema[] =
    "CREATE TABLE x(id INTEGER, artifact_id INTEGER, kind TEXT, "
    "syscall TEXT, arch TEXT, ts INTEGER, enter_ts INTEGER, exit_ts "
    "INTEGER, ts_quality TEXT, pid INTEGER, tid INTEGER, process_id "
    "INTEGER, comm TEXT, ret INTEGER, ret_known INTEGER, errno TEXT, path "
    "TEXT, path2 TEXT, fd INTEGER, fd_path TEXT, family TEXT, addr TEXT, "
    "port INTEGER, flags TEXT, target INTEGER, args TEXT, container_id "
    "TEXT, duration INTEGER, uid INTEGER)";

#define EVTAB_LRU 4
/* idxNum: bit 0 summary, 1 id order, 2 descending, 4..29 the storage
 * columns to decode, 30 time order. */
#define EVTAB_COLS_MASK EVCOL_ALL
#define EVTAB_TSORDER (1 << 30)
#define EVTAB_SCACHE 16384

struct evtab_str {
	int64_t id;
	char *s;
};

/* What one artifact contributes: clock offset, thread and process maps. */
struct evtab_art {
	int64_t id;
	int64_t offset;
	int64_t blob_id;
	int64_t *tid, *tpid;	/* sorted thread map */
	size_t ntid;
	const struct evtab_procs *pl; /* its group's processes (shared) */
	struct blobr *br;	/* original, for argument text */
	struct evtab_art *next;
};

/* The processes of an artifact's group (or of a lone artifact), sorted
 * by (pid, start): loaded once per group, shared by its members. */
struct evtab_procs {
	int64_t key; /* group id, or -(artifact id) for a lone artifact */
	int64_t *pid, *start, *id, *art;
	size_t n;
	struct evtab_procs *next;
};

struct evtab {
	sqlite3_vtab base;
	sqlite3 *db;
	struct store *s;
	struct evchunk *lru[EVTAB_LRU];
	unsigned lru_tick[EVTAB_LRU], tick;
	struct evtab_str scache[EVTAB_SCACHE];
	struct evtab_art *arts;
	struct evtab_procs *procs;
	struct sbuf tmp;
};

/* A pushed-down constraint. */
struct evtab_con {
	char op;	  /* see evtab_best_index */
	int64_t i;	  /* integer value */
	int64_t *set;	  /* string ids (LIKE) */
	size_t nset;
};

struct evtab_cur {
	sqlite3_vtab_cursor base;
	struct evtab_con con[16];
	int ncon;
	bool summary;		  /* rows from counts, no decoding */
	uint32_t cols;		  /* storage columns the query needs */
	bool desc;		  /* newest id first */
	int64_t *chunks;	  /* candidate chunk ids (or name rows) */
	int64_t *counts;	  /* summary mode: rows per chunk */
	int64_t *sum_art;	  /* summary mode: artifact of each */
	int64_t sum_name, sum_kind;
	size_t nchunks, ci;
	int64_t left;		  /* summary mode: rows left in chunk */
	struct evchunk *c;	  /* current chunk (from the LRU) */
	uint32_t ri;		  /* current row */
	struct evtab_art *art;	  /* current chunk's artifact */
	bool eof;
	/* ORDER BY ts[, id]: candidate chunks in time order are merged. */
	bool tsorder;
	int64_t *ckey;		  /* each candidate's first key (ts_min, or
				     ts_max descending, with the offset) */
	struct evtab_run *runs;	  /* open chunks, at most EVTAB_MERGE_MAX */
	size_t nruns;
	struct evchunk *retire;	  /* the returned row's chunk, once its run
				     ended: freed on the next step */
};

/* A chunk open in a time-ordered merge: its matching rows by (ts, id). */
struct evtab_ent {
	int64_t key; /* ts with the artifact's offset; INT64_MIN for none */
	int64_t id;
	uint32_t row;
};

struct evtab_run {
	struct evchunk *c; /* owned */
	struct evtab_art *art;
	struct evtab_ent *ent;
	uint32_t n, pos;
};

/* Chunks whose time ranges overlap that a time-ordered scan holds at
 * once (decoded: a few MiB each). */
#define EVTAB_MERGE_MAX 32

/* ---- helpers ---- */

static int
evtab_err(struct evtab *t, const char *msg)
{
	sqlite3_free(t->base.zErrMsg);
	t->base.zErrMsg = sqlite3_mprintf("events: %s", msg);
	return SQLITE_ERROR;
}

static const char *
evtab_string(struct evtab *t, int64_t id)
{
	struct evtab_str *e;
	sqlite3_stmt *st = NULL;

	if (id <= 0)
		return NULL;
	e = &t->scache[(uint64_t)id % EVTAB_SCACHE];
	if (e->id == id)
		return e->s;
	if (sqlite3_prepare_v2(t->db, "SELECT s FROM strings WHERE id = ?", -1,
		&st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		free(e->s);
		e->s = xstrdup((const char *)sqlite3_column_text(st, 0));
		e->id = id;
	}
	sqlite3_finalize(st);
	return e->id == id ? e->s : NULL;
}

static int64_t
evtab_string_id(struct evtab *t, const char *s)
{
	return strtab_lookup(t->db, s);
}

/* Load (once) what an artifact needs. NULL when it is not complete. */
/* The process list for key (see struct evtab_procs); an empty one when
 * it cannot be read. An -ff thread's events belong to a process another
 * member of its group saw, so members share their group's list. */
static const struct evtab_procs *
evtab_procs_of(struct evtab *t, int64_t key)
{
	struct evtab_procs *pl;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;

	for (pl = t->procs; pl != NULL; pl = pl->next)
		if (pl->key == key)
			return pl;
	pl = xcalloc(1, sizeof(*pl));
	pl->key = key;
	pl->next = t->procs;
	t->procs = pl;
	if (sqlite3_prepare_v2(t->db, key < 0 ?
		"SELECT pid, coalesce(start_ts, -9223372036854775807), id, "
		"artifact_id FROM process_all WHERE artifact_id = -?1 "
		"ORDER BY pid, 2, id" :
		"SELECT pid, coalesce(start_ts, -9223372036854775807), id, "
		"artifact_id FROM process_all WHERE artifact_id IN (SELECT id "
		"FROM artifact_all WHERE group_id = ?1) ORDER BY pid, 2, id",
		-1, &st, NULL) != SQLITE_OK)
		return pl;
	sqlite3_bind_int64(st, 1, key);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (pl->n == cap) {
			cap = cap ? cap * 2 : 64;
			pl->pid = xreallocarray(pl->pid, cap, 8);
			pl->start = xreallocarray(pl->start, cap, 8);
			pl->id = xreallocarray(pl->id, cap, 8);
			pl->art = xreallocarray(pl->art, cap, 8);
		}
		pl->pid[pl->n] = sqlite3_column_int64(st, 0);
		pl->start[pl->n] = sqlite3_column_int64(st, 1);
		pl->id[pl->n] = sqlite3_column_int64(st, 2);
		pl->art[pl->n++] = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return pl;
}

static struct evtab_art *
evtab_art(struct evtab *t, int64_t id)
{
	struct evtab_art *a;
	sqlite3_stmt *st = NULL;
	int64_t key;
	size_t cap;

	for (a = t->arts; a != NULL; a = a->next)
		if (a->id == id)
			return a;
	if (sqlite3_prepare_v2(t->db,
		"SELECT clock_offset, blob_id, coalesce(group_id, -id) FROM "
		"artifact_all WHERE id = ? AND state = 'complete'",
		-1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->id = id;
	a->offset = sqlite3_column_int64(st, 0);
	a->blob_id = sqlite3_column_int64(st, 1);
	key = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	/* Threads: already sorted by the primary key. */
	cap = 0;
	if (sqlite3_prepare_v2(t->db,
		"SELECT tid, pid FROM event_threads WHERE artifact_id = ? "
		"ORDER BY tid",
		-1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			if (a->ntid == cap) {
				cap = cap ? cap * 2 : 64;
				a->tid = xreallocarray(a->tid, cap, 8);
				a->tpid = xreallocarray(a->tpid, cap, 8);
			}
			a->tid[a->ntid] = sqlite3_column_int64(st, 0);
			a->tpid[a->ntid++] = sqlite3_column_int64(st, 1);
		}
		sqlite3_finalize(st);
	}
	a->pl = evtab_procs_of(t, key);
	a->next = t->arts;
	t->arts = a;
	return a;
}

static int64_t
evtab_pid(const struct evtab_art *a, const struct evrow *r)
{
	size_t lo = 0, hi = a->ntid;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->tid[mid] < r->tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->ntid && a->tid[lo] == r->tid)
		return a->tpid[lo];
	return r->pid;
}

static int64_t
evtab_process(const struct evtab_art *a, int64_t pid, int64_t ts)
{
	const struct evtab_procs *pl = a->pl;
	int64_t own = 0, any = 0;
	size_t lo = 0, hi = pl->n, i;

	/* The run of pid (sorted by pid, start); the latest start not after
	 * ts, preferring the artifact's own rows over its group's. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pl->pid[mid] < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < pl->n && pl->pid[i] == pid; i++) {
		bool fits = ts == EV_TS_NONE || pl->start[i] <= ts;
		if (any == 0 || fits)
			any = pl->id[i];
		if (pl->art[i] == a->id && (own == 0 || fits))
			own = pl->id[i];
	}
	return own ? own : any;
}

static void
evtab_art_free(struct evtab_art *a)
{
	free(a->tid);
	free(a->tpid);
	blobr_close(a->br);
	free(a);
}

/* Storage columns (evstore.c) each events column needs. */
static uint32_t
evtab_col_storage(int col)
{
	switch (col) {
	case EC_ID: return 1u << 0;
	case EC_KIND: return 1u << 1;
	case EC_SYSCALL: return 1u << 2;
	case EC_ARCH: return 1u << 3;
	case EC_TS: case EC_ENTER: case EC_EXIT: case EC_DURATION:
		return 1u << 4 | 1u << 5 | 1u << 6;
	case EC_TSQ: return 1u << 7;
	case EC_PID: case EC_TID: return 1u << 8 | 1u << 9;
	case EC_PROCESS:
		return 1u << 8 | 1u << 9 | 1u << 4 | 1u << 5 | 1u << 6;
	case EC_COMM: return 1u << 10;
	case EC_RET: case EC_RETKNOWN: return 1u << 11;
	case EC_ERRNO: return 1u << 12;
	case EC_PATH: return 1u << 13;
	case EC_PATH2: return 1u << 14;
	case EC_FDPATH: return 1u << 15;
	case EC_FAMILY: return 1u << 16;
	case EC_ADDR: return 1u << 17;
	case EC_FLAGS: return 1u << 18;
	case EC_FD: return 1u << 19;
	case EC_PORT: return 1u << 20;
	case EC_TARGET: return 1u << 21;
	case EC_ARGS: return 1u << 22 | 1u << 23;
	case EC_CONTAINER: return 1u << 24;
	case EC_UID: return 1u << 25;
	default: return 0;
	}
}

/* A chunk from the LRU holding at least the columns in need (borrowed
 * until the next call). */
static struct evchunk *
evtab_chunk(struct evtab *t, int64_t id, uint32_t need)
{
	struct dd_err e = DD_ERR_INIT;
	struct evchunk *c = NULL;
	int i, victim = 0;

	need = evchunk_cols(need);
	for (i = 0; i < EVTAB_LRU; i++) {
		if (t->lru[i] != NULL && t->lru[i]->id == id &&
		    (t->lru[i]->cols & need) == need) {
			t->lru_tick[i] = ++t->tick;
			return t->lru[i];
		}
		if (t->lru[i] == NULL ||
		    t->lru_tick[i] < t->lru_tick[victim])
			victim = i;
		if (t->lru[i] == NULL)
			victim = i;
	}
	if (evchunk_load_cols(t->s, id, need, &c, &e) < 0) {
		evtab_err(t, e.msg);
		return NULL;
	}
	evchunk_free(t->lru[victim]);
	t->lru[victim] = c;
	t->lru_tick[victim] = ++t->tick;
	return c;
}

/* ---- module ---- */

static int
evtab_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
    sqlite3_vtab **out, char **err)
{
	struct evtab *t;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	rc = sqlite3_declare_vtab(db, evtab_schema);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
	t = xcalloc(1, sizeof(*t));
	t->db = db;
	t->s = aux;
	sbuf_init(&t->tmp, LIM_TEXT_LINE * 2 + 64);
	*out = &t->base;
	return SQLITE_OK;
}

static int
evtab_disconnect(sqlite3_vtab *vt)
{
	struct evtab *t = (struct evtab *)vt;
	struct evtab_art *a;
	int i;

	for (i = 0; i < EVTAB_LRU; i++)
		evchunk_free(t->lru[i]);
	for (i = 0; i < EVTAB_SCACHE; i++)
		free(t->scache[i].s);
	while (t->procs != NULL) {
		struct evtab_procs *pl = t->procs;
		t->procs = pl->next;
		free(pl->pid);
		free(pl->start);
		free(pl->id);
		free(pl->art);
		free(pl);
	}
	while ((a = t->arts) != NULL) {
		t->arts = a->next;
		evtab_art_free(a);
	}
	sbuf_release(&t->tmp);
	free(t);
	return SQLITE_OK;
}

/*
 * Constraint codes in idxStr, one per argv:
 *   a artifact_id =   s syscall =   k kind =   t tid =   p pid =
 *   g ts >  G ts >=  l ts <  L ts <=   i id =   x path LIKE
 *   n id >  N id >=  m id <  M id <=   (keyset paging by id)
 * idxNum bit 1: summary mode (only counted columns are used); bit 2:
 * rows come in id order (ORDER BY id is consumed); bit 4: descending.
 */
static int
evtab_best_index(sqlite3_vtab *vt, sqlite3_index_info *ix)
{
	char codes[17];
	int i, n = 0;
	double cost = 1e9;
	bool has_name = false, other = false;
	sqlite3_uint64 used = ix->colUsed, allowed = 0;

	(void)vt;
	for (i = 0; i < ix->nConstraint && n < 16; i++) {
		const struct sqlite3_index_constraint *c = &ix->aConstraint[i];
		char code = 0;

		if (!c->usable)
			continue;
		switch (c->iColumn) {
		case EC_ARTIFACT:
			if (c->op == SQLITE_INDEX_CONSTRAINT_EQ)
				code = 'a';
			break;
		case EC_SYSCALL:
			if (c->op == SQLITE_INDEX_CONSTRAINT_EQ)
				code = 's';
			break;
		case EC_KIND:
			if (c->op == SQLITE_INDEX_CONSTRAINT_EQ)
				code = 'k';
			break;
		case EC_TID:
			if (c->op == SQLITE_INDEX_CONSTRAINT_EQ)
				code = 't';
			break;
		case EC_PID:
			if (c->op == SQLITE_INDEX_CONSTRAINT_EQ)
				code = 'p';
			break;
		case EC_TS:
			if (c->op == SQLITE_INDEX_CONSTRAINT_GT)
				code = 'g';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_GE)
				code = 'G';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_LT)
				code = 'l';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_LE)
				code = 'L';
			break;
		case EC_ID:
		case -1: /* rowid is the event id */
			if (c->op == SQLITE_INDEX_CONSTRAINT_EQ)
				code = 'i';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_GT)
				code = 'n';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_GE)
				code = 'N';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_LT)
				code = 'm';
			else if (c->op == SQLITE_INDEX_CONSTRAINT_LE)
				code = 'M';
			break;
		case EC_PATH:
			if (c->op == SQLITE_INDEX_CONSTRAINT_LIKE)
				code = 'x';
			break;
		}
		if (code == 0)
			continue;
		codes[n] = code;
		ix->aConstraintUsage[i].argvIndex = ++n;
		/* LIKE is rechecked by SQLite (trigram matching is a
		 * superset for patterns with escapes); the rest are exact. */
		ix->aConstraintUsage[i].omit = code != 'x';
		switch (code) {
		case 's':
		case 'k':
			has_name = true;
			allowed |= (sqlite3_uint64)1 << c->iColumn;
			cost /= code == 's' ? 50 : 3;
			break;
		case 'a':
			allowed |= (sqlite3_uint64)1 << c->iColumn;
			cost /= 4;
			break;
		case 'i':
			cost = 10;
			other = true;
			break;
		default:
			cost /= 10;
			other = true;
		}
	}
	codes[n] = '\0';
	/* The storage columns to decode: those read, those constrained. */
	{
		uint32_t need = 0;
		int k;
		for (k = 0; k < EC_NCOLS && k < 63; k++)
			if (used & ((sqlite3_uint64)1 << k))
				need |= evtab_col_storage(k);
		if (used & ((sqlite3_uint64)1 << 63))
			need = EVCOL_ALL;
		for (k = 0; codes[k]; k++) {
			switch (codes[k]) {
			case 's': need |= 1u << 1 | 1u << 2; break;
			case 'k': need |= 1u << 1; break;
			case 't': case 'p': need |= 1u << 8 | 1u << 9; break;
			case 'g': case 'G': case 'l': case 'L':
				need |= 1u << 4 | 1u << 5 | 1u << 6;
				break;
			case 'x': need |= 1u << 13; break;
			default: need |= 1u << 0;
			}
		}
		/* The row filter for pid maps threads: tids decoded. */
		ix->idxNum = (int)(evchunk_cols(need) << 4);
	}
	ix->idxStr = sqlite3_mprintf("%s", codes);
	ix->needToFreeIdxStr = 1;
	/* Rows are produced in id order (artifact, then source order), so
	 * ORDER BY id (or rowid), either direction, needs no sort. */
	if (ix->nOrderBy == 1 && (ix->aOrderBy[0].iColumn == EC_ID ||
				     ix->aOrderBy[0].iColumn == -1)) {
		ix->orderByConsumed = 1;
		ix->idxNum |= 2;
		if (ix->aOrderBy[0].desc)
			ix->idxNum |= 4;
	} else if (ix->nOrderBy >= 1 && ix->aOrderBy[0].iColumn == EC_TS &&
	    (ix->nOrderBy == 1 ||
		(ix->nOrderBy == 2 &&
		    (ix->aOrderBy[1].iColumn == EC_ID ||
			ix->aOrderBy[1].iColumn == -1) &&
		    ix->aOrderBy[1].desc == ix->aOrderBy[0].desc))) {
		/* Time order, ties by id: chunks merged by their time
		 * ranges (the times are decoded). */
		ix->orderByConsumed = 1;
		ix->idxNum |= EVTAB_TSORDER |
		    (int)(evchunk_cols(1u << 4 | 1u << 5 | 1u << 6) << 4);
		if (ix->aOrderBy[0].desc)
			ix->idxNum |= 4;
	} else if (has_name && !other && (used & ~allowed) == 0) {
		ix->idxNum |= 1;
		cost /= 1000;
	}
	ix->estimatedCost = cost;
	ix->estimatedRows = (sqlite3_int64)(cost > 1 ? cost : 1);
	return SQLITE_OK;
}

static int
evtab_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	struct evtab_cur *c = xcalloc(1, sizeof(*c));

	(void)vt;
	*out = &c->base;
	return SQLITE_OK;
}

static void
evtab_cur_reset(struct evtab_cur *c)
{
	int i;

	for (i = 0; i < c->ncon; i++)
		free(c->con[i].set);
	c->ncon = 0;
	free(c->chunks);
	free(c->counts);
	free(c->sum_art);
	c->chunks = c->counts = c->sum_art = NULL;
	free(c->ckey);
	c->ckey = NULL;
	for (i = 0; i < (int)c->nruns; i++) {
		evchunk_free(c->runs[i].c);
		free(c->runs[i].ent);
	}
	free(c->runs);
	c->runs = NULL;
	c->nruns = 0;
	evchunk_free(c->retire);
	c->retire = NULL;
	c->nchunks = c->ci = 0;
	c->c = NULL;
	c->eof = true;
}

static int
evtab_close(sqlite3_vtab_cursor *cur)
{
	struct evtab_cur *c = (struct evtab_cur *)cur;

	evtab_cur_reset(c);
	free(c);
	return SQLITE_OK;
}

/* Does row r of chunk pass every constraint? */
static bool
evtab_row_ok(struct evtab_cur *c, const struct evrow *r,
    const struct evtab_art *a)
{
	int64_t ts = r->bits & EVB_ENTER ? r->enter :
	    r->bits & EVB_EXIT		 ? r->exit :
					   EV_TS_NONE;
	int i;

	if (ts != EV_TS_NONE)
		ts += a->offset;
	for (i = 0; i < c->ncon; i++) {
		const struct evtab_con *k = &c->con[i];
		size_t j;
		bool hit;

		switch (k->op) {
		case 's':
			if (r->name != k->i || r->kind != EVK_SYSCALL)
				return false;
			break;
		case 'k':
			if (r->kind != k->i)
				return false;
			break;
		case 't':
			if (r->tid != k->i)
				return false;
			break;
		case 'p':
			if (evtab_pid(a, r) != k->i)
				return false;
			break;
		case 'g':
			if (ts == EV_TS_NONE || ts <= k->i)
				return false;
			break;
		case 'G':
			if (ts == EV_TS_NONE || ts < k->i)
				return false;
			break;
		case 'l':
			if (ts == EV_TS_NONE || ts >= k->i)
				return false;
			break;
		case 'L':
			if (ts == EV_TS_NONE || ts > k->i)
				return false;
			break;
		case 'i':
			if (EV_ID(a->id, r->ord) != k->i)
				return false;
			break;
		case 'n':
			if (EV_ID(a->id, r->ord) <= k->i)
				return false;
			break;
		case 'N':
			if (EV_ID(a->id, r->ord) < k->i)
				return false;
			break;
		case 'm':
			if (EV_ID(a->id, r->ord) >= k->i)
				return false;
			break;
		case 'M':
			if (EV_ID(a->id, r->ord) > k->i)
				return false;
			break;
		case 'x':
			hit = false;
			for (j = 0; j < k->nset && !hit; j++)
				hit = k->set[j] == r->path;
			if (!hit)
				return false;
			break;
		}
	}
	return true;
}

/* Advance to the next matching row (decoding chunks as needed). */
static int
evtab_ent_cmp(const void *a, const void *b)
{
	const struct evtab_ent *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
evtab_ent_cmp_desc(const void *a, const void *b)
{
	return evtab_ent_cmp(b, a);
}

/* Open the next candidate chunk as a run of its matching rows. */
static int
evtab_merge_open(struct evtab_cur *c, struct evtab *t)
{
	struct dd_err e = DD_ERR_INIT;
	struct evtab_run run;
	uint32_t i;

	memset(&run, 0, sizeof(run));
	if (t->s->yield != NULL && t->s->yield(t->s->yield_user)) {
		evtab_err(t, "interrupted");
		return SQLITE_INTERRUPT;
	}
	if (evchunk_load_cols(t->s, c->chunks[c->ci++], c->cols, &run.c,
		&e) < 0)
		return evtab_err(t, e.msg);
	run.art = evtab_art(t, run.c->artifact_id);
	if (run.art != NULL && run.c->n > 0) {
		run.ent = xreallocarray(NULL, run.c->n, sizeof(*run.ent));
		for (i = 0; i < run.c->n; i++) {
			const struct evrow *r = &run.c->rows[i];
			struct evtab_ent *x = &run.ent[run.n];
			int64_t ts = r->bits & EVB_ENTER ? r->enter :
			    r->bits & EVB_EXIT		 ? r->exit :
							   EV_TS_NONE;
			if (!evtab_row_ok(c, r, run.art))
				continue;
			x->key = ts == EV_TS_NONE ? INT64_MIN :
						    ts + run.art->offset;
			x->id = EV_ID(run.art->id, r->ord);
			x->row = i;
			run.n++;
		}
		qsort(run.ent, run.n, sizeof(*run.ent),
		    c->desc ? evtab_ent_cmp_desc : evtab_ent_cmp);
	}
	if (run.n == 0) {
		evchunk_free(run.c);
		free(run.ent);
		return SQLITE_OK;
	}
	if (c->nruns == EVTAB_MERGE_MAX) {
		evchunk_free(run.c);
		free(run.ent);
		return evtab_err(t, "ORDER BY ts: more than 32 event chunks "
				    "overlap in time here; narrow the scan "
				    "with artifact_id or a ts range, or "
				    "ORDER BY id");
	}
	if (c->runs == NULL)
		c->runs = xcalloc(EVTAB_MERGE_MAX, sizeof(*c->runs));
	c->runs[c->nruns++] = run;
	return SQLITE_OK;
}

/* The next row in (ts, id) order: the best head of the open runs, once
 * no unopened chunk can hold an earlier one. */
static int
evtab_merge_next(struct evtab_cur *c, struct evtab *t)
{
	evchunk_free(c->retire);
	c->retire = NULL;
	for (;;) {
		const struct evtab_ent *best = NULL;
		size_t i, b = 0;
		int rc;

		for (i = 0; i < c->nruns; i++) {
			const struct evtab_ent *h =
			    &c->runs[i].ent[c->runs[i].pos];
			if (best == NULL ||
			    (c->desc ? evtab_ent_cmp(h, best) > 0 :
				       evtab_ent_cmp(h, best) < 0)) {
				best = h;
				b = i;
			}
		}
		if (c->ci < c->nchunks &&
		    (best == NULL ||
			(c->desc ? c->ckey[c->ci] >= best->key :
				   c->ckey[c->ci] <= best->key))) {
			if ((rc = evtab_merge_open(c, t)) != SQLITE_OK)
				return rc;
			continue;
		}
		if (best == NULL) {
			c->eof = true;
			c->c = NULL;
			return SQLITE_OK;
		}
		c->c = c->runs[b].c;
		c->art = c->runs[b].art;
		c->ri = best->row;
		if (++c->runs[b].pos == c->runs[b].n) {
			c->retire = c->runs[b].c;
			free(c->runs[b].ent);
			c->runs[b] = c->runs[--c->nruns];
		}
		return SQLITE_OK;
	}
}

static int
evtab_advance(struct evtab_cur *c, struct evtab *t)
{
	if (c->summary) {
		while (c->left == 0) {
			if (c->ci >= c->nchunks) {
				c->eof = true;
				return SQLITE_OK;
			}
			c->left = c->counts[c->ci];
			c->art = evtab_art(t, c->sum_art[c->ci]);
			c->ci++;
			if (c->art == NULL)
				c->left = 0;
		}
		c->left--;
		return SQLITE_OK;
	}
	if (c->tsorder)
		return evtab_merge_next(c, t);
	for (;;) {
		if (c->c != NULL && c->desc) {
			while (c->ri-- > 0) {
				if (evtab_row_ok(c, &c->c->rows[c->ri], c->art))
					return SQLITE_OK;
			}
		} else if (c->c != NULL) {
			while (++c->ri < c->c->n) {
				if (evtab_row_ok(c, &c->c->rows[c->ri], c->art))
					return SQLITE_OK;
			}
		}
		if (c->ci >= c->nchunks) {
			c->eof = true;
			c->c = NULL;
			return SQLITE_OK;
		}
		if (t->s->yield != NULL && t->s->yield(t->s->yield_user)) {
			c->c = NULL;
			evtab_err(t, "interrupted");
			return SQLITE_INTERRUPT;
		}
		c->c = evtab_chunk(t, c->chunks[c->ci++], c->cols);
		if (c->c == NULL)
			return SQLITE_ERROR;
		c->art = evtab_art(t, c->c->artifact_id);
		if (c->art == NULL) {
			c->c = NULL;
			continue;
		}
		c->ri = c->desc ? c->c->n : (uint32_t)-1;
	}
}

/* Collect candidate chunks with one SQL statement over the summaries. */
static int
evtab_plan(struct evtab_cur *c, struct evtab *t)
{
	struct sbuf sql = SBUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int i, rc, nb = 0;
	int64_t binds[32];

	if (c->summary) {
		sbuf_addstr(&sql, "SELECT n.chunk_id, n.n, ch.artifact_id FROM "
				  "event_chunk_names n JOIN event_chunks ch ON "
				  "ch.id = n.chunk_id WHERE 1");
	} else if (c->tsorder) {
		sbuf_addf(&sql, "SELECT ch.id, coalesce(ch.%s + a.clock_offset, "
				"-9223372036854775807 - 1) AS k FROM "
				"event_chunks ch JOIN artifact_all a ON a.id = "
				"ch.artifact_id AND a.state = 'complete' WHERE 1",
		    c->desc ? "ts_max" : "ts_min");
	} else {
		sbuf_addstr(&sql, "SELECT ch.id FROM event_chunks ch JOIN "
				  "artifact_all a ON a.id = ch.artifact_id AND "
				  "a.state = 'complete' WHERE 1");
	}
	for (i = 0; i < c->ncon && nb < 28; i++) {
		const struct evtab_con *k = &c->con[i];
		switch (k->op) {
		case 'a':
			sbuf_addstr(&sql, " AND ch.artifact_id = ?");
			binds[nb++] = k->i;
			break;
		case 's':
			if (c->summary)
				sbuf_addstr(&sql, " AND n.name_id = ? AND "
						  "n.kind = 1");
			else
				sbuf_addstr(&sql,
				    " AND ch.id IN (SELECT chunk_id FROM "
				    "event_chunk_names WHERE name_id = ? AND "
				    "kind = 1)");
			binds[nb++] = k->i;
			break;
		case 'k':
			if (c->summary)
				sbuf_addstr(&sql, " AND n.kind = ?");
			else
				sbuf_addstr(&sql,
				    " AND ch.id IN (SELECT chunk_id FROM "
				    "event_chunk_names WHERE kind = ?)");
			binds[nb++] = k->i;
			break;
		case 't':
			sbuf_addstr(&sql, " AND ch.id IN (SELECT chunk_id FROM "
					  "event_chunk_tids WHERE tid = ?)");
			binds[nb++] = k->i;
			break;
		case 'g':
		case 'G':
			sbuf_addstr(&sql, " AND ch.ts_max + a.clock_offset >= ?");
			binds[nb++] = k->i;
			break;
		case 'l':
		case 'L':
			sbuf_addstr(&sql, " AND ch.ts_min + a.clock_offset <= ?");
			binds[nb++] = k->i;
			break;
		case 'i':
			sbuf_addstr(&sql, " AND ch.artifact_id = ? AND "
					  "ch.first_ord <= ? AND ch.first_ord "
					  "+ ch.n > ?");
			binds[nb++] = EV_ID_ARTIFACT(k->i);
			binds[nb++] = k->i & (int64_t)EV_ORD_MAX;
			binds[nb++] = k->i & (int64_t)EV_ORD_MAX;
			break;
		case 'n':
		case 'N':
			/* The chunk's last id reaches the bound. */
			sbuf_addstr(&sql, " AND (ch.artifact_id << 40) + "
					  "ch.first_ord + ch.n - 1 >= ?");
			binds[nb++] = k->i;
			break;
		case 'm':
		case 'M':
			sbuf_addstr(&sql, " AND (ch.artifact_id << 40) + "
					  "ch.first_ord <= ?");
			binds[nb++] = k->i;
			break;
		}
	}
	if (c->summary)
		sbuf_addstr(&sql, " AND ch.artifact_id IN (SELECT id FROM "
				  "artifact_all WHERE state = 'complete') ORDER "
				  "BY ch.artifact_id, ch.seq");
	else if (c->tsorder)
		sbuf_addstr(&sql, c->desc ? " ORDER BY k DESC, ch.id DESC" :
					    " ORDER BY k, ch.id");
	else if (c->desc)
		sbuf_addstr(&sql, " ORDER BY ch.artifact_id DESC, ch.seq DESC");
	else
		sbuf_addstr(&sql, " ORDER BY ch.artifact_id, ch.seq");
	rc = sqlite3_prepare_v2(t->db, sql.buf, -1, &st, NULL);
	sbuf_release(&sql);
	if (rc != SQLITE_OK)
		return evtab_err(t, sqlite3_errmsg(t->db));
	for (i = 0; i < nb; i++)
		sqlite3_bind_int64(st, i + 1, binds[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (c->nchunks == cap) {
			cap = cap ? cap * 2 : 64;
			c->chunks = xreallocarray(c->chunks, cap, 8);
			if (c->summary) {
				c->counts = xreallocarray(c->counts, cap, 8);
				c->sum_art = xreallocarray(c->sum_art, cap, 8);
			}
			if (c->tsorder)
				c->ckey = xreallocarray(c->ckey, cap, 8);
		}
		if (c->tsorder)
			c->ckey[c->nchunks] = sqlite3_column_int64(st, 1);
		c->chunks[c->nchunks] = sqlite3_column_int64(st, 0);
		if (c->summary) {
			c->counts[c->nchunks] = sqlite3_column_int64(st, 1);
			c->sum_art[c->nchunks] = sqlite3_column_int64(st, 2);
		}
		c->nchunks++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return evtab_err(t, sqlite3_errmsg(t->db));
	return SQLITE_OK;
}

/* Path LIKE: the string ids whose text matches, via the trigram index. */
static int
evtab_like_set(struct evtab *t, struct evtab_con *k, const char *pat)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(t->db,
		"SELECT rowid FROM strings_fts WHERE s LIKE ?", -1, &st,
		NULL) != SQLITE_OK)
		return evtab_err(t, sqlite3_errmsg(t->db));
	sqlite3_bind_text(st, 1, pat, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (k->nset == cap) {
			cap = cap ? cap * 2 : 16;
			k->set = xreallocarray(k->set, cap, 8);
		}
		k->set[k->nset++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return evtab_err(t, sqlite3_errmsg(t->db));
	return SQLITE_OK;
}

static int
evtab_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
    int argc, sqlite3_value **argv)
{
	struct evtab_cur *c = (struct evtab_cur *)cur;
	struct evtab *t = (struct evtab *)cur->pVtab;
	bool none = false;
	int i, rc;

	evtab_cur_reset(c);
	c->eof = false;
	c->summary = (idxNum & 1) != 0;
	c->cols = ((uint32_t)idxNum >> 4) & EVTAB_COLS_MASK;
	c->desc = (idxNum & 4) != 0;
	c->tsorder = (idxNum & EVTAB_TSORDER) != 0;
	c->left = 0;
	for (i = 0; i < argc && idxStr != NULL && idxStr[i] != '\0'; i++) {
		struct evtab_con *k = &c->con[c->ncon];
		memset(k, 0, sizeof(*k));
		k->op = idxStr[i];
		switch (k->op) {
		case 's':
			k->i = evtab_string_id(t,
			    (const char *)sqlite3_value_text(argv[i]));
			if (k->i == 0)
				none = true;
			c->sum_name = k->i;
			break;
		case 'k':
			if (sqlite3_value_type(argv[i]) == SQLITE_TEXT)
				k->i = ev_kind_parse(
				    (const char *)sqlite3_value_text(argv[i]));
			if (k->i == 0)
				none = true;
			c->sum_kind = k->i;
			break;
		case 'x':
			if (sqlite3_value_type(argv[i]) != SQLITE_TEXT) {
				none = true;
				break;
			}
			if ((rc = evtab_like_set(t, k,
				 (const char *)sqlite3_value_text(argv[i]))) !=
			    SQLITE_OK)
				return rc;
			if (k->nset == 0)
				none = true;
			break;
		default:
			if (sqlite3_value_type(argv[i]) != SQLITE_INTEGER) {
				/* Compare like SQLite would for reals and
				 * text: fall back to no rows only for NULL. */
				if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
					none = true;
					break;
				}
			}
			k->i = sqlite3_value_int64(argv[i]);
		}
		c->ncon++;
	}
	if (none) {
		c->eof = true;
		return SQLITE_OK;
	}
	if ((rc = evtab_plan(c, t)) != SQLITE_OK)
		return rc;
	c->c = NULL;
	return evtab_advance(c, t);
}

static int
evtab_next(sqlite3_vtab_cursor *cur)
{
	return evtab_advance((struct evtab_cur *)cur,
	    (struct evtab *)cur->pVtab);
}

static int
evtab_eof(sqlite3_vtab_cursor *cur)
{
	return ((struct evtab_cur *)cur)->eof;
}

static void
evtab_text(sqlite3_context *ctx, const char *s)
{
	if (s == NULL)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

/* Argument text of a row: in the chunk, or read back from the original
 * and cut between the call's parentheses. */
static void
evtab_args(struct evtab *t, struct evtab_cur *c, const struct evrow *r,
    sqlite3_context *ctx)
{
	struct dd_err e = DD_ERR_INIT;
	char *line;
	size_t got, i, len;
	int k;

	if (r->bits & EVB_ARGS) {
		sqlite3_result_text(ctx, (const char *)c->c->args + r->args_off,
		    (int)r->args_len, SQLITE_TRANSIENT);
		return;
	}
	if (r->len[0] == 0 || c->art->blob_id <= 0) {
		sqlite3_result_null(ctx);
		return;
	}
	if (c->art->br == NULL &&
	    blobr_open(t->s, c->art->blob_id, &c->art->br, &e) < 0) {
		sqlite3_result_null(ctx);
		return;
	}
	sbuf_reset(&t->tmp);
	for (k = 0; k < 2; k++) {
		if (r->len[k] == 0 || r->len[k] > LIM_TEXT_LINE)
			continue;
		if (sbuf_grow(&t->tmp, r->len[k]) < 0)
			break;
		if (blobr_pread(c->art->br, r->off[k], t->tmp.buf + t->tmp.len,
			r->len[k], &got, &e) < 0)
			break;
		line = t->tmp.buf + t->tmp.len;
		len = got;
		if (r->kind == EVK_SYSCALL) {
			/* First line: from after "name(" (or "resumed>"),
			 * up to " <unfinished ...>"; last: up to ") = ". */
			const char *open = NULL;
			if (k == 1 || (r->len[1] == 0 && len > 5 &&
					  memmem(line, len, "resumed>", 8))) {
				open = memmem(line, len, "resumed>", 8);
				if (open)
					open += 8;
			} else {
				open = memchr(line, '(', len);
				if (open)
					open++;
			}
			if (open == NULL)
				open = line;
			len -= (size_t)(open - line);
			memmove(line, open, len);
			if (k == 0 && r->len[1] != 0) {
				const char *u = memmem(line, len,
				    " <unfinished ...>", 17);
				if (u)
					len = (size_t)(u - line);
			} else {
				for (i = len; i >= 4; i--) {
					if (memcmp(line + i - 4, " = ", 3) == 0 &&
					    i - 4 > 0) {
						size_t q = i - 4;
						while (q > 0 && line[q - 1] == ' ')
							q--;
						if (q > 0 && line[q - 1] == ')') {
							len = q - 1;
							break;
						}
					}
				}
			}
		}
		t->tmp.len += len;
		t->tmp.buf[t->tmp.len] = '\0';
	}
	if (!utf8_valid(t->tmp.buf, t->tmp.len)) {
		struct sbuf v = SBUF_INIT;
		esc_display(&v, t->tmp.buf, t->tmp.len);
		sqlite3_result_text(ctx, v.buf, (int)v.len, SQLITE_TRANSIENT);
		sbuf_release(&v);
		return;
	}
	sqlite3_result_text(ctx, t->tmp.buf, (int)t->tmp.len, SQLITE_TRANSIENT);
}

static int
evtab_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	struct evtab_cur *c = (struct evtab_cur *)cur;
	struct evtab *t = (struct evtab *)cur->pVtab;
	const struct evrow *r;
	int64_t ts;

	if (c->summary) {
		switch (col) {
		case EC_SYSCALL:
			evtab_text(ctx, c->sum_name ?
				evtab_string(t, c->sum_name) :
				NULL);
			break;
		case EC_KIND:
			evtab_text(ctx, c->sum_kind ? ev_kind_name((int)c->sum_kind) :
						      "syscall");
			break;
		case EC_ARTIFACT:
			sqlite3_result_int64(ctx, c->art ? c->art->id : 0);
			break;
		default:
			sqlite3_result_null(ctx);
		}
		return SQLITE_OK;
	}
	r = &c->c->rows[c->ri];
	ts = r->bits & EVB_ENTER ? r->enter :
	    r->bits & EVB_EXIT	 ? r->exit :
				   EV_TS_NONE;
	switch (col) {
	case EC_ID:
		sqlite3_result_int64(ctx, EV_ID(c->art->id, r->ord));
		break;
	case EC_ARTIFACT:
		sqlite3_result_int64(ctx, c->art->id);
		break;
	case EC_KIND:
		evtab_text(ctx, ev_kind_name(r->kind));
		break;
	case EC_SYSCALL:
		evtab_text(ctx, evtab_string(t, r->name));
		break;
	case EC_ARCH:
		evtab_text(ctx, r->arch ? sc_arch_name(r->arch) : NULL);
		break;
	case EC_TS:
		if (ts == EV_TS_NONE)
			sqlite3_result_null(ctx);
		else
			sqlite3_result_int64(ctx, ts + c->art->offset);
		break;
	case EC_ENTER:
		if (r->bits & EVB_ENTER)
			sqlite3_result_int64(ctx, r->enter + c->art->offset);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_EXIT:
		if (r->bits & EVB_EXIT)
			sqlite3_result_int64(ctx, r->exit + c->art->offset);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_TSQ:
		evtab_text(ctx, ev_tsq_name(r->tsq));
		break;
	case EC_PID: {
		int64_t pid = evtab_pid(c->art, r);
		if (pid < 0)
			sqlite3_result_null(ctx);
		else
			sqlite3_result_int64(ctx, pid);
		break;
	}
	case EC_TID:
		if (r->tid < 0)
			sqlite3_result_null(ctx);
		else
			sqlite3_result_int64(ctx, r->tid);
		break;
	case EC_PROCESS: {
		int64_t p = evtab_process(c->art, evtab_pid(c->art, r), ts);
		if (p > 0)
			sqlite3_result_int64(ctx, p);
		else
			sqlite3_result_null(ctx);
		break;
	}
	case EC_COMM:
		evtab_text(ctx, evtab_string(t, r->comm));
		break;
	case EC_RET:
		if (r->bits & EVB_RET)
			sqlite3_result_int64(ctx, r->ret);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_RETKNOWN:
		sqlite3_result_int(ctx, (r->bits & EVB_RET) != 0);
		break;
	case EC_ERRNO:
		evtab_text(ctx, evtab_string(t, r->err));
		break;
	case EC_PATH:
		evtab_text(ctx, evtab_string(t, r->path));
		break;
	case EC_PATH2:
		evtab_text(ctx, evtab_string(t, r->path2));
		break;
	case EC_FD:
		if (r->bits & EVB_FD)
			sqlite3_result_int64(ctx, r->fd);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_FDPATH:
		evtab_text(ctx, evtab_string(t, r->fdpath));
		break;
	case EC_FAMILY:
		evtab_text(ctx, evtab_string(t, r->family));
		break;
	case EC_ADDR:
		evtab_text(ctx, evtab_string(t, r->addr));
		break;
	case EC_PORT:
		if (r->bits & EVB_PORT)
			sqlite3_result_int64(ctx, r->port);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_FLAGS:
		evtab_text(ctx, evtab_string(t, r->flags));
		break;
	case EC_TARGET:
		if (r->bits & EVB_TARGET)
			sqlite3_result_int64(ctx, r->target);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_ARGS:
		evtab_args(t, c, r, ctx);
		break;
	case EC_CONTAINER:
		evtab_text(ctx, evtab_string(t, r->cont));
		break;
	case EC_UID:
		if (r->uid1 > 0)
			sqlite3_result_int64(ctx, r->uid1 - 1);
		else
			sqlite3_result_null(ctx);
		break;
	case EC_DURATION:
		if ((r->bits & (EVB_ENTER | EVB_EXIT)) ==
		    (EVB_ENTER | EVB_EXIT))
			sqlite3_result_int64(ctx, r->exit - r->enter);
		else
			sqlite3_result_null(ctx);
		break;
	default:
		sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

static int
evtab_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
	struct evtab_cur *c = (struct evtab_cur *)cur;

	if (c->summary)
		*out = (sqlite3_int64)c->ci * EVC_MAX + c->left;
	else
		*out = EV_ID(c->art->id, c->c->rows[c->ri].ord);
	return SQLITE_OK;
}

static const sqlite3_module evtab_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only */
	.xConnect = evtab_connect,
	.xBestIndex = evtab_best_index,
	.xDisconnect = evtab_disconnect,
	.xDestroy = evtab_disconnect,
	.xOpen = evtab_open,
	.xClose = evtab_close,
	.xFilter = evtab_filter,
	.xNext = evtab_next,
	.xEof = evtab_eof,
	.xColumn = evtab_column,
	.xRowid = evtab_rowid,
};

int
evtab_register(sqlite3 *db, struct store *s)
{
	return sqlite3_create_module(db, "events", &evtab_module, s);
}
