/* SPDX-License-Identifier: Apache-2.0 */
/* strtab.c: the case-wide string table; see strtab.h. */
#include "core/common.h"
#include "core/strtab.h"

#include <sqlite3.h>
#include <time.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

/* Cache size: entries (power of two) and bytes of string copies. */
#define STRTAB_SLOTS (1u << 18) /* at most; starts at STRTAB_SLOTS0 */
#define STRTAB_SLOTS0 (1u << 10)
#define STRTAB_BYTES (32u << 20)
#define STRTAB_PROBES 64 /* longest probe chain followed */
#define STRTAB_PEND_BYTES (16u << 20) /* new strings' text waiting */
#define STRTAB_PEND_ONE (64u << 10)   /* longer strings do not wait */

struct strtab_slot {
	uint64_t hash;	/* 0: empty */
	const char *p;	/* arena copy */
	size_t n;
	int64_t id;
};

struct strtab {
	struct store *s;
	struct strtab_slot *slot;
	size_t cap;	/* slots, a power of two up to STRTAB_SLOTS */
	size_t used;
	struct arena a;
	size_t bytes;
	struct sbuf tmp;
	uint64_t seed;
	/* Whether the cache holds every string of the case (the table was
	 * empty when this writer began, and nothing was dropped since), so
	 * that a miss is a new string without asking the table: 0 not yet
	 * known, 1 yes, -1 no. */
	int whole;
	/* While whole is 1 a new string's id is known without the table
	 * (ids count up from 1), so its rows wait here: written a few at a
	 * time while the writer's thread would sleep (strtab_flush), all of
	 * them when the artifact's events end (evw_finish) and before any
	 * lookup. A batch committed meanwhile (a long import commits every
	 * second) holds events whose strings are not written yet: events of
	 * an artifact not complete, which no reader sees and the next
	 * writer removes if the import dies. */
	int64_t next_id;
	struct strtab_pend *pend;
	size_t npend, done, pcap;
	struct sbuf ptext;
};

struct strtab_pend {
	int64_t id;
	size_t off, n; /* in ptext */
};

struct strtab *
strtab_new(struct store *s)
{
	struct strtab *t = xcalloc(1, sizeof(*t));

	t->s = s;
	t->cap = STRTAB_SLOTS0;
	t->slot = xcalloc(t->cap, sizeof(*t->slot));
	arena_init(&t->a);
	sbuf_init(&t->tmp, SBUF_MAX_DEFAULT);
	t->seed = ((uint64_t)(uintptr_t)t ^ (uint64_t)time(NULL)) *
	    0x9E3779B97F4A7C15ull;
	sbuf_init(&t->ptext, STRTAB_PEND_BYTES + STRTAB_PEND_ONE);
	return t;
}

void
strtab_free(struct strtab *t)
{
	if (t == NULL)
		return;
	/* Rows still waiting belong to an import that failed. */
	free(t->pend);
	sbuf_release(&t->ptext);
	free(t->slot);
	arena_release(&t->a);
	sbuf_release(&t->tmp);
	free(t);
}

/* FNV-1a, never 0. */
static uint64_t
strtab_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (uint8_t)p[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

/* Double the slots (entries keep their copies). */
static void
strtab_grow(struct strtab *t)
{
	struct strtab_slot *old = t->slot;
	size_t oc = t->cap, i, j;

	t->cap *= 2;
	t->slot = xcalloc(t->cap, sizeof(*t->slot));
	for (i = 0; i < oc; i++) {
		if (old[i].hash == 0)
			continue;
		for (j = old[i].hash & (t->cap - 1); t->slot[j].hash != 0;
		     j = (j + 1) & (t->cap - 1))
			;
		t->slot[j] = old[i];
	}
	free(old);
}

static void
strtab_clear(struct strtab *t)
{
	t->whole = -1;
	memset(t->slot, 0, t->cap * sizeof(*t->slot));
	t->used = 0;
	arena_release(&t->a);
	t->bytes = 0;
}

int64_t
strtab_key(const char *t, size_t n)
{
	return (int64_t)strtab_hash(t, n);
}

int64_t
strtab_lookup(sqlite3 *db, const char *s)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;

	if (s == NULL || sqlite3_prepare_v2(db, "SELECT id FROM strings WHERE "
						"h = ? AND s = ?",
			     -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, strtab_key(s, strlen(s)));
	sqlite3_bind_text(st, 2, s, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

int
strtab_text(struct sbuf *sb, const void *vp, size_t n)
{
	const uint8_t *p = vp;
	size_t i = 0, k;
	uint32_t cp;
	int rc = 0;

	while (i < n && rc == 0) {
		if (p[i] < 0x80) {
			/* a run of ASCII (paths, names): one copy */
			for (k = i + 1; k < n && p[k] < 0x80; k++)
				;
			rc = sbuf_add(sb, p + i, k - i);
			i = k;
		} else if ((k = utf8_decode(p + i, n - i, &cp)) > 0) {
			rc = sbuf_add(sb, p + i, k);
			i += k;
		} else {
			rc = sbuf_addf(sb, "\\x%02x", p[i]);
			i++;
		}
	}
	return rc;
}

/* Write the rows of the string text[0..n) (escaped): id 0 takes the next
 * rowid, which *id gets. */
static int
strtab_insert(struct strtab *t, int64_t want, const char *text, size_t n,
    int64_t *id, struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(t->s, "INSERT INTO strings(id, h, s) VALUES (?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	if (want > 0)
		sqlite3_bind_int64(st, 1, want);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, strtab_key(text, n));
	sqlite3_bind_text(st, 3, text, (int)n, SQLITE_STATIC);
	if (store_step_done(t->s, st, e) < 0)
		return DD_ESQL;
	*id = store_last_id(t->s);
	st = store_stmt(t->s, "INSERT INTO strings_fts(rowid, s) VALUES (?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, *id);
	sqlite3_bind_text(st, 2, text, (int)n, SQLITE_STATIC);
	if (store_step_done(t->s, st, e) < 0)
		return DD_ESQL;
	return 0;
}

int
strtab_flush(struct strtab *t, size_t max, struct dd_err *e)
{
	int64_t id;

	while (max-- > 0 && t->done < t->npend) {
		const struct strtab_pend *pd = &t->pend[t->done];
		if (strtab_insert(t, pd->id, t->ptext.buf + pd->off, pd->n, &id,
			e) < 0)
			return DD_ESQL;
		t->done++;
	}
	if (t->done == t->npend) {
		t->done = t->npend = 0;
		sbuf_reset(&t->ptext);
	}
	return t->npend > 0;
}

int
strtab_intern(struct strtab *t, const char *p, size_t n, int64_t *id,
    struct dd_err *e)
{
	struct strtab_slot *sl;
	sqlite3_stmt *st;
	uint64_t h;
	size_t i, probes;

	*id = 0;
	if (p == NULL)
		return 0;
	h = hash64(t->seed, p, n); /* seeded: crafted strings cannot pile up */
	for (i = h & (t->cap - 1), probes = 0;;
	     i = (i + 1) & (t->cap - 1), probes++) {
		sl = &t->slot[i];
		if (sl->hash == 0 || probes == STRTAB_PROBES)
			break;
		if (sl->hash == h && sl->n == n && memcmp(sl->p, p, n) == 0) {
			*id = sl->id;
			return 0;
		}
	}
	sbuf_reset(&t->tmp);
	strtab_text(&t->tmp, p, n);
	/* Text with bytes written as \xNN may equal another string's text:
	 * from the first such string on, the table is asked. */
	if (t->tmp.len != n || memcmp(t->tmp.buf, p, n) != 0)
		t->whole = -1;
	if (t->whole == 0) {
		st = store_stmt(t->s, "SELECT EXISTS (SELECT 1 FROM strings)",
		    e);
		if (st == NULL)
			return DD_ESQL;
		t->whole = sqlite3_step(st) == SQLITE_ROW &&
			sqlite3_column_int(st, 0) == 0 ? 1 : -1;
		sqlite3_reset(st);
		t->next_id = 1;
	}
	if (t->whole > 0 && t->tmp.len > STRTAB_PEND_ONE) {
		/* A long one is written now, after those waiting. */
		if (strtab_flush(t, SIZE_MAX, e) < 0 ||
		    strtab_insert(t, t->next_id++, t->tmp.buf, t->tmp.len, id,
			e) < 0)
			return DD_ESQL;
	} else if (t->whole > 0) {
		/* New: its row waits (the id INTEGER PRIMARY KEY would get). */
		if (t->npend == t->pcap) {
			t->pcap = t->pcap ? 2 * t->pcap : 1024;
			t->pend = xreallocarray(t->pend, t->pcap,
			    sizeof(*t->pend));
		}
		t->pend[t->npend].id = *id = t->next_id++;
		t->pend[t->npend].off = t->ptext.len;
		t->pend[t->npend].n = t->tmp.len;
		if (sbuf_add(&t->ptext, t->tmp.buf, t->tmp.len) < 0)
			BUG("strtab: pending text over its cap");
		t->npend++;
		if (t->ptext.len > STRTAB_PEND_BYTES &&
		    strtab_flush(t, SIZE_MAX, e) < 0)
			return DD_ESQL;
	} else if (t->npend > t->done && strtab_flush(t, SIZE_MAX, e) < 0) {
		return DD_ESQL;
	}
	if (t->whole < 0) {
		st = store_stmt(t->s,
		    "SELECT id FROM strings WHERE h = ? AND s = ?", e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, strtab_key(t->tmp.buf, t->tmp.len));
		sqlite3_bind_text(st, 2, t->tmp.buf, (int)t->tmp.len,
		    SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (*id == 0 && strtab_insert(t, 0, t->tmp.buf, t->tmp.len, id, e) < 0)
		return DD_ESQL;
	/* Cache it (cleared when full: memory stays bounded; a long probe
	 * chain is not extended). */
	if (probes == STRTAB_PROBES) {
		t->whole = -1;
		return 0;
	}
	if (t->used >= t->cap / 2 && t->cap < STRTAB_SLOTS &&
	    t->bytes + n <= STRTAB_BYTES) {
		strtab_grow(t);
		for (i = h & (t->cap - 1); t->slot[i].hash != 0;
		     i = (i + 1) & (t->cap - 1))
			;
	} else if (t->used >= t->cap / 2 || t->bytes + n > STRTAB_BYTES) {
		strtab_clear(t);
		for (i = h & (t->cap - 1); t->slot[i].hash != 0;
		     i = (i + 1) & (t->cap - 1))
			;
	}
	sl = &t->slot[i];
	sl->hash = h;
	sl->p = arena_strndup(&t->a, p, n);
	sl->n = n;
	sl->id = *id;
	t->used++;
	t->bytes += n + 1;
	return 0;
}

int
strtab_intern_str(struct strtab *t, const char *s, int64_t *id,
    struct dd_err *e)
{
	if (s == NULL) {
		*id = 0;
		return 0;
	}
	return strtab_intern(t, s, strlen(s), id, e);
}
