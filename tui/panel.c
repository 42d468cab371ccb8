/* SPDX-License-Identifier: Apache-2.0 */
/*
 * panel.c: the two page widgets (htop's Panel, tmux's mode-tree).
 *
 * List: rows of a SQL query (struct tui_listdef) paged by keyset, never by
 * OFFSET: the page after a row is "k > K OR (k = K AND t > T) ORDER BY
 * k, t LIMIT n", the page before it the same reversed, End is the last
 * page read backwards. The def's query is wrapped as a subquery, so
 * SQLite flattens it and the key and filter conditions reach the table
 * (the events virtual table takes id ranges and name/pid equality, and
 * returns rows in id order either way without sorting). Only a window of
 * at most TUI_WIN rows is held (copied out of SQLite); moving past either
 * end reads the next page. The total is counted when the user is idle,
 * cancellably. Filters are compiled to SQL with bound values: field
 * names must be the list's columns, so nothing typed reaches SQL as text.
 *
 * Text: lines, each optionally naming a target "rel:key" that Enter
 * opens; or bytes shown as a hex/ASCII dump or as numbered text lines.
 */
#include "core/common.h"
#include "tui/tui.h"

#include <stdarg.h>

#include <sqlite3.h>

#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define TUI_WIN 2000	  /* rows held by a list */
#define TUI_PAGE_MIN 64	  /* rows read at a time */
#define TUI_FTOK_MAX 16	  /* filter terms */

/* ---- shared drawing ---- */

static uint16_t
tui_hint_attr(const char *h)
{
	if (h == NULL)
		return 0;
	if (strcmp(h, "critical") == 0 || strcmp(h, "high") == 0 ||
	    strcmp(h, "D") == 0 || strcmp(h, "bad") == 0)
		return TA_FG(TC_RED);
	if (strcmp(h, "medium") == 0 || strcmp(h, "M") == 0)
		return TA_FG(TC_YELLOW);
	if (strcmp(h, "low") == 0 || strcmp(h, "A") == 0 ||
	    strcmp(h, "good") == 0)
		return TA_FG(TC_GREEN);
	if (strcmp(h, "link") == 0)
		return TA_FG(TC_CYAN);
	return 0;
}

/* ---- list ---- */

struct tui_list {
	struct tui_page pg;
	const struct tui_listdef *const *tabs;
	int ntabs, tab;
	char *param;
	/* the compiled filter */
	char *ftext, *fsql;
	char *fbind[TUI_FTOK_MAX];
	int nfbind;
	/* the window */
	struct tui_row *rows;
	int nrows, cur, top;
	bool at_start, at_end, loaded;
	int64_t base;	   /* absolute index of rows[0], -1 unknown */
	int64_t count;	   /* rows in all, -1 unknown */
	bool count_tried;
	int view_h;	   /* rows shown at the last draw */
	int view_y;	   /* screen row of the first row shown */
	uint64_t drop;	   /* optional columns left out at this width */
	/* the activity header of a time-ordered list */
	int zoom;		/* the span shown is the case's / 2^zoom */
	double *hist;
	int hist_nb;
	int64_t hist_t0, hist_t1, span_lo, span_hi;
	bool span_known, span_none;
	/* rows of a read under way, shown by a draw from inside it */
	const struct tui_row *pend;
	const int *npend;
	char err[256];
};

static const struct tui_listdef *
tui_list_def(const struct tui_list *l)
{
	return l->tabs[l->tab];
}

static void
tui_row_free(struct tui_row *r, int ncols)
{
	free(r->t);
	free(r->rel);
	free(r->key);
	free(r->hint);
	for (int i = 0; i < ncols; i++)
		free(r->cell[i]);
	free(r->cell);
}

static void
tui_list_clear(struct tui_list *l)
{
	for (int i = 0; i < l->nrows; i++)
		tui_row_free(&l->rows[i], tui_list_def(l)->ncols);
	free(l->rows);
	l->rows = NULL;
	l->nrows = l->cur = l->top = 0;
	l->at_start = l->at_end = false;
	l->base = -1;
}

static char *
tui_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	t = sqlite3_column_text(st, i);
	return t != NULL ? xstrdup((const char *)t) : NULL;
}

void
tui_like(struct sbuf *lk, const char *s)
{
	sbuf_addch(lk, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			sbuf_addch(lk, '\\');
		sbuf_addch(lk, *s);
	}
	sbuf_addch(lk, '%');
}

/* Compile filter text into l->fsql / l->fbind; false with l->err. */
static bool
tui_list_compile(struct tui_list *l, const char *f)
{
	const struct tui_listdef *d = tui_list_def(l);
	static const char *const ops[] = { "!=", "!~", "<=", ">=", "=", "~",
		"<", ">" };
	struct sbuf sb;
	const char *p = f;
	int nt = 0;

	for (int i = 0; i < l->nfbind; i++)
		free(l->fbind[i]);
	l->nfbind = 0;
	free(l->fsql);
	l->fsql = NULL;
	sbuf_init(&sb, SBUF_MAX_DEFAULT);
	while (p != NULL && *p != '\0') {
		char tok[512], *v = tok, field[64];
		size_t n = 0;
		int op = -1, ci = -1;
		bool q = false;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		while (*p != '\0' && (q || *p != ' ') && n + 1 < sizeof(tok)) {
			if (*p == '"')
				q = !q;
			else
				tok[n++] = *p;
			p++;
		}
		tok[n] = '\0';
		if (nt++ >= TUI_FTOK_MAX) {
			snprintf(l->err, sizeof(l->err), "at most %d filter "
			    "terms", TUI_FTOK_MAX);
			goto fail;
		}
		/* field OP value? */
		{
			size_t fl = strspn(tok, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
			for (size_t k = 0; fl > 0 && k < ARRAY_SIZE(ops); k++)
				if (strncmp(tok + fl, ops[k],
				    strlen(ops[k])) == 0) {
					op = (int)k;
					break;
				}
			if (op >= 0) {
				snprintf(field, sizeof(field), "%.*s",
				    (int)(fl < 63 ? fl : 63), tok);
				v = tok + fl + strlen(ops[op]);
				for (int c = 0; c < d->ncols; c++)
					if (strcasecmp(d->cols[c].name,
					    field) == 0)
						ci = c;
				if (ci < 0) {
					struct sbuf names;
					sbuf_init(&names, SBUF_MAX_DEFAULT);
					for (int c = 0; c < d->ncols; c++)
						sbuf_addf(&names, "%s%s",
						    c ? " " : "",
						    d->cols[c].name);
					snprintf(l->err, sizeof(l->err),
					    "no field '%.60s' here (fields: %.150s)",
					    field, names.buf);
					sbuf_release(&names);
					goto fail;
				}
			}
		}
		if (l->nfbind >= TUI_FTOK_MAX)
			goto fail;
		sbuf_addf(&sb, "%s", sb.len ? " AND " : "");
		if (op < 0) { /* bare text: any shown column holds it */
			struct sbuf lk;
			sbuf_init(&lk, SBUF_MAX_DEFAULT);
			tui_like(&lk, tok);
			l->fbind[l->nfbind++] = xstrdup(lk.buf);
			sbuf_release(&lk);
			sbuf_addch(&sb, '(');
			for (int c = 0, m = 0; c < d->ncols; c++) {
				if (d->cols[c].flags & TCOL_HIDDEN)
					continue;
				sbuf_addf(&sb, "%sc%d LIKE ?%d ESCAPE '\\'",
				    m++ ? " OR " : "", c, 4 + l->nfbind);
			}
			sbuf_addch(&sb, ')');
			continue;
		}
		{
			const struct tui_col *c = &d->cols[ci];
			static const char *const sqlop[] = { "!=", "NOT LIKE",
				"<=", ">=", "=", "LIKE", "<", ">" };
			int64_t iv;
			if (op == 1 || op == 5) {
				struct sbuf lk;
				sbuf_init(&lk, SBUF_MAX_DEFAULT);
				tui_like(&lk, v);
				l->fbind[l->nfbind++] = xstrdup(lk.buf);
				sbuf_release(&lk);
				sbuf_addf(&sb, "coalesce(c%d, '') %s ?%d "
				    "ESCAPE '\\'", ci, sqlop[op],
				    4 + l->nfbind);
				continue;
			}
			if (c->flags & TCOL_TIME) {
				if (!time_parse(v, &iv)) {
					snprintf(l->err, sizeof(l->err),
					    "'%.100s' is not a time (RFC 3339, "
					    "e.g. 2024-05-01T10:00:00Z)", v);
					goto fail;
				}
				l->fbind[l->nfbind++] = xasprintf("%" PRId64,
				    iv);
				sbuf_addf(&sb, "c%d %s CAST(?%d AS INTEGER)",
				    ci, sqlop[op], 4 + l->nfbind);
			} else if (c->flags & TCOL_INT) {
				if (!parse_i64(v, &iv)) {
					snprintf(l->err, sizeof(l->err),
					    "'%.100s' is not a number", v);
					goto fail;
				}
				l->fbind[l->nfbind++] = xasprintf("%" PRId64,
				    iv);
				sbuf_addf(&sb, "c%d %s CAST(?%d AS INTEGER)",
				    ci, sqlop[op], 4 + l->nfbind);
			} else {
				l->fbind[l->nfbind++] = xstrdup(v);
				sbuf_addf(&sb, "c%d %s ?%d", ci, sqlop[op],
				    4 + l->nfbind);
			}
		}
	}
	if (sb.len > 0)
		l->fsql = xstrdup(sb.buf);
	sbuf_release(&sb);
	return true;
fail:
	sbuf_release(&sb);
	for (int i = 0; i < l->nfbind; i++)
		free(l->fbind[i]);
	l->nfbind = 0;
	return false;
}

enum { TF_FIRST, TF_AFTER, TF_BEFORE, TF_LAST, TF_FROM };

/* The keyset condition of how on (k, t) (?2, ?3), for one SELECT. */
static void
tui_list_keycond(struct sbuf *sql, const struct tui_listdef *d, int how)
{
	if (d->unique_k) { /* k alone orders (the events' id) */
		if (how == TF_AFTER)
			sbuf_addf(sql, " AND k > ?2");
		else if (how == TF_BEFORE)
			sbuf_addf(sql, " AND k < ?2");
		else if (how == TF_FROM)
			sbuf_addf(sql, " AND k >= ?2");
		return;
	}
	if (how == TF_AFTER)
		sbuf_addf(sql, " AND k >= ?2 AND (k > ?2 OR t > ?3)");
	else if (how == TF_BEFORE)
		sbuf_addf(sql, " AND k <= ?2 AND (k < ?2 OR t < ?3)");
	else if (how == TF_FROM)
		sbuf_addf(sql, " AND k >= ?2 AND (k > ?2 OR t >= ?3)");
}

/* src with "@KEY" replaced by the keyset condition and "@PAGE" by the
 * page's ORDER BY and LIMIT: an arm that pages its keys in a narrow inner
 * SELECT (only k, t and a row id go through the sort) before it computes
 * its columns for the page's rows alone. */
static char *
tui_list_arm(const struct tui_listdef *d, const char *src, int how)
{
	bool back = how == TF_BEFORE || how == TF_LAST;
	struct sbuf out, kc;
	const char *p = src, *q;

	sbuf_init(&out, SBUF_MAX_DEFAULT);
	sbuf_init(&kc, SBUF_MAX_DEFAULT);
	tui_list_keycond(&kc, d, how);
	while ((q = strchr(p, '@')) != NULL) {
		sbuf_add(&out, p, (size_t)(q - p));
		if (strncmp(q, "@KEY", 4) == 0) {
			sbuf_addstr(&out, kc.buf);
			p = q + 4;
		} else if (strncmp(q, "@PAGE", 5) == 0) {
			sbuf_addf(&out, " ORDER BY k%s, t%s LIMIT ?4", back ?
			    " DESC" : "", back ? " DESC" : "");
			p = q + 5;
		} else {
			sbuf_addch(&out, '@');
			p = q + 1;
		}
	}
	sbuf_addstr(&out, p);
	sbuf_release(&kc);
	return sbuf_detach(&out, NULL);
}

/* One paged SELECT over src (the def's sql or one arm). */
static void
tui_list_select(struct sbuf *sql, const struct tui_list *l, const char *src,
    int how, const char *extra)
{
	const struct tui_listdef *d = tui_list_def(l);
	bool back = how == TF_BEFORE || how == TF_LAST;
	char *arm = NULL;

	if (strstr(src, "@KEY") != NULL)
		src = arm = tui_list_arm(d, src, how);
	sbuf_addf(sql, "SELECT * FROM (%s) WHERE 1", src);
	free(arm);
	if (l->fsql != NULL)
		sbuf_addf(sql, " AND (%s)", l->fsql);
	if (extra != NULL)
		sbuf_addf(sql, " AND (%s)", extra);
	tui_list_keycond(sql, d, how);
	if (d->unique_k)
		sbuf_addf(sql, " ORDER BY k%s LIMIT ?4", back ? " DESC" : "");
	else
		sbuf_addf(sql, " ORDER BY k%s, t%s LIMIT ?4", back ? " DESC" :
		    "", back ? " DESC" : "");
}

/* Read up to n rows: TF_FIRST from the start, TF_AFTER/TF_BEFORE the
 * key (k, t, tint), TF_LAST the last n backwards, TF_FROM at or after it
 * (t NULL: every t). extra (may be NULL) is one more condition (a
 * search). Rows come back in list order. */
static int
tui_list_read(struct tui_list *l, struct tui_ctx *x, int how, int64_t k,
    const char *t, bool tint, int n, const char *extra,
    const char *extra_bind, struct tui_row **out)
{
	const struct tui_listdef *d = tui_list_def(l);
	struct sbuf sql;
	sqlite3_stmt *st = NULL;
	struct tui_row *v = NULL;
	int nv = 0, rc;
	bool back = how == TF_BEFORE || how == TF_LAST;

	*out = NULL;
	sbuf_init(&sql, SBUF_MAX_DEFAULT);
	if (d->arms != NULL) {
		sbuf_addf(&sql, "SELECT * FROM (");
		for (int i = 0; d->arms[i] != NULL; i++) {
			sbuf_addf(&sql, "%sSELECT * FROM (", i ? " UNION ALL " :
			    "");
			tui_list_select(&sql, l, d->arms[i], how, extra);
			sbuf_addf(&sql, ")");
		}
		sbuf_addf(&sql, ") ORDER BY k%s, t%s LIMIT ?4", back ?
		    " DESC" : "", back ? " DESC" : "");
	} else {
		tui_list_select(&sql, l, d->sql, how, extra);
	}
	if (sqlite3_prepare_v2(x->s->db, sql.buf, -1, &st, NULL) !=
	    SQLITE_OK) {
		snprintf(l->err, sizeof(l->err), "%s", sqlite3_errmsg(x->s->db));
		sbuf_release(&sql);
		return -1;
	}
	sbuf_release(&sql);
	if (l->param != NULL)
		sqlite3_bind_text(st, 1, l->param, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, k);
	if (t == NULL)	/* below every value but NULL */
		sqlite3_bind_int64(st, 3, INT64_MIN);
	else if (tint)
		sqlite3_bind_int64(st, 3, strtoll(t, NULL, 10));
	else
		sqlite3_bind_text(st, 3, t, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, n);
	for (int i = 0; i < l->nfbind; i++)
		sqlite3_bind_text(st, 5 + i, l->fbind[i], -1, SQLITE_STATIC);
	if (extra_bind != NULL)
		sqlite3_bind_text(st, 5 + l->nfbind, extra_bind, -1,
		    SQLITE_STATIC);
	v = xcalloc((size_t)n + 1, sizeof(*v));
	l->pend = v;
	l->npend = &nv;
	while (nv < n && tui_step(x, st)) {
		struct tui_row *r = &v[nv++];
		r->k = sqlite3_column_int64(st, 0);
		r->tint = sqlite3_column_type(st, 1) == SQLITE_INTEGER;
		r->t = tui_col_text(st, 1);
		if (r->t == NULL)
			r->t = xstrdup("");
		r->rel = tui_col_text(st, 2);
		r->key = tui_col_text(st, 3);
		r->hint = tui_col_text(st, 4);
		r->cell = xcalloc((size_t)d->ncols, sizeof(char *));
		for (int c = 0; c < d->ncols; c++)
			r->cell[c] = tui_col_text(st, 5 + c);
	}
	l->pend = NULL;
	l->npend = NULL;
	rc = sqlite3_errcode(x->s->db);
	if (x->cancelled)
		snprintf(l->err, sizeof(l->err), "interrupted by a key: "
		    "F5 reloads");
	else if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		snprintf(l->err, sizeof(l->err), "%s",
		    sqlite3_errmsg(x->s->db));
	sqlite3_finalize(st);
	if (back) /* into list order */
		for (int i = 0; i < nv / 2; i++) {
			struct tui_row tmp = v[i];
			v[i] = v[nv - 1 - i];
			v[nv - 1 - i] = tmp;
		}
	*out = v;
	return nv;
}

static int
tui_list_pagen(const struct tui_list *l)
{
	int n = l->view_h * 2;

	return n < TUI_PAGE_MIN ? TUI_PAGE_MIN : n;
}

/* Replace the window with v (nv rows). */
static void
tui_list_set(struct tui_list *l, struct tui_row *v, int nv)
{
	tui_list_clear(l);
	l->rows = v;
	l->nrows = nv;
}

static void
tui_list_load(struct tui_list *l, struct tui_ctx *x)
{
	struct tui_row *v;
	int n = tui_list_pagen(l), nv;

	l->err[0] = '\0';
	l->loaded = true;
	l->count = -1;
	l->count_tried = false;
	x->cancellable = l->fsql != NULL;
	nv = tui_list_read(l, x, TF_FIRST, 0, NULL, false, n, NULL, NULL,
	    &v);
	x->cancellable = false;
	tui_list_set(l, v, nv < 0 ? 0 : nv);
	if (nv < 0)
		free(v);
	l->at_start = true;
	l->at_end = nv < n && !x->cancelled;
	l->base = 0;
	if (l->at_end)
		l->count = l->nrows;
}

/* Grow the window forward (dir 1) or backward (-1); false at the end. */
static bool
tui_list_grow(struct tui_list *l, struct tui_ctx *x, int dir)
{
	struct tui_row *v, *edge;
	int n = tui_list_pagen(l), nv, ncols = tui_list_def(l)->ncols;

	if (l->nrows == 0 || (dir > 0 ? l->at_end : l->at_start))
		return false;
	edge = dir > 0 ? &l->rows[l->nrows - 1] : &l->rows[0];
	nv = tui_list_read(l, x, dir > 0 ? TF_AFTER : TF_BEFORE, edge->k,
	    edge->t, edge->tint, n, NULL, NULL, &v);
	if (nv <= 0) {
		free(v);
		if (nv == 0 && !x->cancelled) {
			if (dir > 0)
				l->at_end = true;
			else
				l->at_start = true;
		}
		return false;
	}
	if (nv < n) {
		if (dir > 0)
			l->at_end = true;
		else
			l->at_start = true;
	}
	l->rows = xreallocarray(l->rows, (size_t)(l->nrows + nv),
	    sizeof(*l->rows));
	if (dir > 0) {
		memcpy(l->rows + l->nrows, v, (size_t)nv * sizeof(*v));
	} else {
		memmove(l->rows + nv, l->rows, (size_t)l->nrows *
		    sizeof(*l->rows));
		memcpy(l->rows, v, (size_t)nv * sizeof(*v));
		l->cur += nv;
		l->top += nv;
		if (l->base >= 0)
			l->base -= nv;
	}
	l->nrows += nv;
	free(v);
	/* keep the window bounded: drop from the far end */
	if (l->nrows > TUI_WIN) {
		int drop = l->nrows - TUI_WIN;
		if (dir > 0) {
			for (int i = 0; i < drop; i++)
				tui_row_free(&l->rows[i], ncols);
			memmove(l->rows, l->rows + drop, (size_t)(l->nrows -
			    drop) * sizeof(*l->rows));
			l->cur -= drop;
			l->top -= drop;
			if (l->base >= 0)
				l->base += drop;
			l->at_start = false;
		} else {
			for (int i = l->nrows - drop; i < l->nrows; i++)
				tui_row_free(&l->rows[i], ncols);
			l->at_end = false;
		}
		l->nrows -= drop;
	}
	return true;
}

static void
tui_list_move(struct tui_list *l, struct tui_ctx *x, int d)
{
	int want = l->cur + d;

	while (want >= l->nrows && tui_list_grow(l, x, 1))
		;
	while (want < 0 && tui_list_grow(l, x, -1))
		want = l->cur + d;
	if (want >= l->nrows)
		want = l->nrows - 1;
	if (want < 0)
		want = 0;
	l->cur = want;
}

static void
tui_list_end(struct tui_list *l, struct tui_ctx *x)
{
	struct tui_row *v;
	int n = tui_list_pagen(l), nv;

	nv = tui_list_read(l, x, TF_LAST, 0, NULL, false, n, NULL, NULL, &v);
	if (nv < 0) {
		free(v);
		return;
	}
	tui_list_set(l, v, nv);
	l->at_end = true;
	l->at_start = nv < n;
	l->cur = nv > 0 ? nv - 1 : 0;
	l->top = l->cur;
	l->base = l->at_start ? 0 : (l->count >= 0 ? l->count - nv : -1);
}

/* Position at the first row at or after (k, t); t NULL: at k. */
static void
tui_list_seek_kt(struct tui_list *l, struct tui_ctx *x, int64_t k,
    const char *t, bool tint)
{
	struct tui_row *a, *b;
	int n = tui_list_pagen(l) / 2, na, nb;
	char *tt = t != NULL ? xstrdup(t) : NULL;

	if (!l->loaded)
		tui_list_load(l, x);
	na = tui_list_read(l, x, TF_BEFORE, k, tt, tint, n, NULL, NULL, &b);
	nb = tui_list_read(l, x, TF_FROM, k, tt, tint, n, NULL, NULL, &a);
	free(tt);
	if (na < 0 || nb < 0) {
		free(a);
		free(b);
		return;
	}
	b = xreallocarray(b, (size_t)(na + nb + 1), sizeof(*b));
	memcpy(b + na, a, (size_t)nb * sizeof(*a));
	free(a);
	tui_list_set(l, b, na + nb);
	l->at_start = na < n;
	l->at_end = nb < n;
	l->base = l->at_start ? 0 : -1;
	l->cur = nb > 0 ? na : (na > 0 ? na - 1 : 0);
	l->top = l->cur;
}

void
tui_list_seek(struct tui_page *p, struct tui_ctx *x, int64_t k)
{
	tui_list_seek_kt((struct tui_list *)p, x, k, NULL, false);
}

const char *
tui_list_param(struct tui_page *p)
{
	return ((struct tui_list *)p)->param;
}

static void
tui_list_count(struct tui_list *l, struct tui_ctx *x)
{
	struct sbuf sql;
	sqlite3_stmt *st = NULL;

	l->count_tried = true;
	sbuf_init(&sql, SBUF_MAX_DEFAULT);
	sbuf_addf(&sql, "SELECT count(*) FROM (%s) WHERE 1",
	    tui_list_def(l)->sql);
	if (l->fsql != NULL)
		sbuf_addf(&sql, " AND (%s)", l->fsql);
	if (sqlite3_prepare_v2(x->s->db, sql.buf, -1, &st, NULL) ==
	    SQLITE_OK) {
		if (l->param != NULL)
			sqlite3_bind_text(st, 1, l->param, -1, SQLITE_STATIC);
		for (int i = 0; i < l->nfbind; i++)
			sqlite3_bind_text(st, 5 + i, l->fbind[i], -1,
			    SQLITE_STATIC);
		x->cancellable = true;
		if (tui_step(x, st))
			l->count = sqlite3_column_int64(st, 0);
		x->cancellable = false;
	}
	sqlite3_finalize(st);
	sbuf_release(&sql);
	if (l->count >= 0 && l->base < 0 && l->at_end)
		l->base = l->count - l->nrows;
}

/* The activity header: bars over [t0, t1] (the whole span zoomed
 * 2^zoom around the cursor's time), the ends' times and a ^ under the
 * cursor. Recomputed only when the cursor leaves the middle half. */
static void
tui_list_hist(struct tui_list *l, struct tui_ctx *x, struct tui_canvas *cv,
    int y)
{
	int nb = cv->w - 2;
	int64_t span, cur, t0, t1;
	double max = 0;
	char a[40], b[40];

	tui_canvas_fill(cv, 0, y, -1, 0);
	tui_canvas_fill(cv, 0, y + 1, -1, 0);
	if (!l->span_known && !x->in_partial) {
		l->span_none = !tui_span(x->s, &l->span_lo, &l->span_hi);
		l->span_known = true;
	}
	if (!l->span_known || l->span_none || nb < 10)
		return;
	cur = l->nrows > 0 ? l->rows[l->cur].k : l->span_lo;
	span = (l->span_hi - l->span_lo) >> l->zoom;
	if (span < 1000)
		span = 1000;
	if (l->hist == NULL || l->hist_nb != nb || l->hist_t1 - l->hist_t0 !=
	    span || cur < l->hist_t0 + span / 4 || cur > l->hist_t1 - span / 4) {
		if (x->in_partial && l->hist != NULL)
			goto draw;
		if (x->in_partial)
			return;
		t0 = l->zoom == 0 ? l->span_lo : cur - span / 2;
		if (t0 < l->span_lo)
			t0 = l->span_lo;
		t1 = t0 + span;
		if (t1 > l->span_hi && l->zoom > 0) {
			t1 = l->span_hi;
			t0 = t1 - span;
		}
		free(l->hist);
		l->hist = xcalloc((size_t)nb, sizeof(double));
		l->hist_nb = nb;
		l->hist_t0 = t0;
		l->hist_t1 = t1;
		tui_activity(x->s, t0, t1, nb, l->hist);
	}
draw:
	for (int i = 0; i < l->hist_nb; i++)
		if (l->hist[i] > max)
			max = l->hist[i];
	for (int i = 0; i < l->hist_nb && i + 1 < cv->w; i++) {
		const char *bar = tui_bar(l->hist[i], max, cv->utf8);
		tui_canvas_text(cv, 1 + i, y, 1, bar, -1, TA_FG(TC_CYAN));
	}
	time_fmt_ns(l->hist_t0, a);
	time_fmt_ns(l->hist_t1, b);
	tui_canvas_textf(cv, 1, y + 1, cv->w / 2, TA_DIM, "%s", a);
	tui_canvas_textf(cv, cv->w - 1 - (int)strlen(b), y + 1,
	    (int)strlen(b), TA_DIM, "%s", b);
	if (cur >= l->hist_t0 && cur <= l->hist_t1 && l->hist_t1 > l->hist_t0) {
		int at = (int)((double)(cur - l->hist_t0) / (double)(l->hist_t1 -
		    l->hist_t0) * (l->hist_nb - 1));
		tui_canvas_text(cv, 1 + at, y + 1, 1, "^", 1, TA_BOLD);
	}
	{
		char z[48];
		snprintf(z, sizeof(z), " zoom x%d (+ -) ", 1 << l->zoom);
		tui_canvas_text(cv, (cv->w - (int)strlen(z)) / 2, y + 1,
		    (int)strlen(z), z, -1, TA_DIM);
	}
}

/* One row of a list at screen row y. */
static void
tui_list_row_draw(struct tui_canvas *cv, const struct tui_listdef *d,
    const struct tui_row *r, int y, int flexw, bool sel, uint64_t drop)
{
	uint16_t a = tui_hint_attr(r->hint) | (sel ? TA_REV : 0);
	int xx = 0, w = cv->w;

	tui_canvas_fill(cv, 0, y, -1, sel ? TA_REV : 0);
	for (int c = 0; c < d->ncols && xx < w; c++) {
		const struct tui_col *col = &d->cols[c];
		int cw = (col->flags & TCOL_FLEX) ? flexw : col->width;
		const char *s = r->cell[c] != NULL ? r->cell[c] : "";
		if ((col->flags & TCOL_HIDDEN) || (drop >> c & 1))
			continue;
		if (col->flags & TCOL_RIGHT) {
			int tw = tui_text_width(s, -1, cv->utf8);
			int off = tw < cw ? cw - tw : 0;
			tui_canvas_text(cv, xx + off, y, cw - off, s, -1, a);
		} else {
			tui_canvas_text(cv, xx, y, cw, s, -1, a);
		}
		xx += cw + 1;
	}
}

static void
tui_list_draw(struct tui_page *p, struct tui_ctx *x, struct tui_canvas *cv,
    int y0, int h)
{
	struct tui_list *l = (struct tui_list *)p;
	const struct tui_listdef *d = tui_list_def(l);
	int w = cv->w, fixed = 0, flexw, xx, y;

	if (!l->loaded) {
		l->view_h = h - 2;
		tui_list_load(l, x);
		/* a long load may have drawn its rows so far into this area
		 * (the partial screen): start from blank rows */
		for (int i = 0; i < h; i++)
			tui_canvas_fill(cv, 0, y0 + i, -1, 0);
	}
	/* tab line */
	xx = 0;
	tui_canvas_fill(cv, 0, y0, -1, 0);
	for (int i = 0; i < l->ntabs; i++) {
		uint16_t a = i == l->tab ? (TA_REV | TA_BOLD) : 0;
		xx += tui_canvas_textf(cv, xx, y0, w - xx, a, " %s ",
		    l->tabs[i]->name);
		xx += tui_canvas_text(cv, xx, y0, w - xx, " ", 1, 0);
	}
	{
		char pos[96], cnt[32];
		if (l->count >= 0)
			snprintf(cnt, sizeof(cnt), "%" PRId64, l->count);
		else
			snprintf(cnt, sizeof(cnt), "%s", l->at_end ? "?" :
			    "many");
		if (l->nrows == 0)
			snprintf(pos, sizeof(pos), "0 rows");
		else if (l->base >= 0)
			snprintf(pos, sizeof(pos), "%" PRId64 "/%s",
			    l->base + l->cur + 1, cnt);
		else
			snprintf(pos, sizeof(pos), "%s rows", cnt);
		if (l->ftext != NULL) {
			int fw = w - xx - (int)strlen(pos) - 12;
			if (fw > 8) {
				xx += tui_canvas_text(cv, xx, y0, 9,
				    " filter: ", -1, TA_DIM);
				tui_canvas_text(cv, xx, y0, fw, l->ftext, -1,
				    TA_BOLD);
			}
		}
		tui_canvas_text(cv, w - (int)strlen(pos) - 1, y0,
		    (int)strlen(pos), pos, -1, TA_DIM);
	}
	if (d->histogram) {
		tui_list_hist(l, x, cv, y0 + 1);
		y0 += 2;
		h -= 2;
	}
	/* header */
	y = y0 + 1;
	for (int c = 0; c < d->ncols; c++)
		if (!(d->cols[c].flags & (TCOL_HIDDEN | TCOL_FLEX)))
			fixed += d->cols[c].width + 1;
	flexw = w - fixed;
	/* narrow terminals: optional columns go, rightmost first, until the
	 * flexible one has room */
	l->drop = 0;
	for (int c = d->ncols - 1; c >= 0 && flexw < 24; c--)
		if (d->cols[c].flags & TCOL_OPT) {
			l->drop |= (uint64_t)1 << c;
			flexw += d->cols[c].width + 1;
		}
	if (flexw < 8)
		flexw = 8;
	tui_canvas_fill(cv, 0, y, -1, TA_REV);
	xx = 0;
	for (int c = 0; c < d->ncols && xx < w; c++) {
		const struct tui_col *col = &d->cols[c];
		int cw = (col->flags & TCOL_FLEX) ? flexw : col->width;
		if ((col->flags & TCOL_HIDDEN) || (l->drop >> c & 1))
			continue;
		if (col->flags & TCOL_RIGHT)
			tui_canvas_text(cv, xx + cw - (int)strlen(col->name)
			    , y, cw, col->name, -1, TA_REV | TA_BOLD);
		else
			tui_canvas_text(cv, xx, y, cw, col->name, -1,
			    TA_REV | TA_BOLD);
		xx += cw + 1;
	}
	h -= 2;
	y0 += 2;
	l->view_h = h;
	l->view_y = y0;
	if (l->npend != NULL) { /* drawn from inside a long read */
		int np = *l->npend;
		tui_canvas_textf(cv, 1, y0, w - 2, TA_BOLD | TA_FG(TC_YELLOW),
		    "scanning: %d row%s so far (any key stops the scan)", np,
		    np == 1 ? "" : "s");
		for (int i = 0; i < np && i + 1 < h; i++)
			tui_list_row_draw(cv, d, &l->pend[i], y0 + 1 + i, flexw,
			    false, l->drop);
		return;
	}
	if (l->err[0] != '\0' && l->nrows == 0) {
		tui_canvas_text(cv, 1, y0, w - 2, l->err, -1, TA_FG(TC_RED));
		return;
	}
	if (l->nrows == 0) {
		tui_canvas_text(cv, 1, y0, w - 2, d->empty != NULL ? d->empty :
		    "(nothing here)", -1, TA_DIM);
		return;
	}
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + h)
		l->top = l->cur - h + 1;
	if (l->top < 0)
		l->top = 0;
	for (int i = 0; i < h && l->top + i < l->nrows; i++)
		tui_list_row_draw(cv, d, &l->rows[l->top + i], y0 + i, flexw,
		    l->top + i == l->cur, l->drop);
	if (l->err[0] != '\0')
		tui_canvas_text(cv, 1, y0 + h - 1, w - 2, l->err, -1,
		    TA_FG(TC_RED) | TA_BOLD);
}

static int
tui_list_key(struct tui_page *p, struct tui_ctx *x, int key)
{
	struct tui_list *l = (struct tui_list *)p;
	int h = l->view_h > 0 ? l->view_h : 10;

	switch (key) {
	case TK_DOWN: case 'j': tui_list_move(l, x, 1); break;
	case TK_UP: case 'k': tui_list_move(l, x, -1); break;
	case TK_PGDN: case ' ': case TK_CTRL('f'):
		tui_list_move(l, x, h - 1);
		break;
	case TK_PGUP: case TK_CTRL('b'): tui_list_move(l, x, -(h - 1)); break;
	case TK_HOME: case 'g': tui_list_load(l, x); break;
	case TK_END: case 'G': tui_list_end(l, x); break;
	case '>': case '<': case 's':
		if (l->ntabs < 2)
			return TUI_IGNORED;
		tui_list_clear(l);
		l->tab = (l->tab + (key == '<' ? l->ntabs - 1 : 1)) % l->ntabs;
		free(l->ftext);
		l->ftext = NULL;
		tui_list_compile(l, NULL);
		tui_list_load(l, x);
		break;
	case '+': case '=': case '-':
		if (!tui_list_def(l)->histogram)
			return TUI_IGNORED;
		if (key == '-' && l->zoom > 0)
			l->zoom--;
		else if (key != '-' && l->zoom < 40)
			l->zoom++;
		break;
	case TK_MOUSE:
		if (tui_mouse_kind == TM_WHEEL_DOWN)
			tui_list_move(l, x, 3);
		else if (tui_mouse_kind == TM_WHEEL_UP)
			tui_list_move(l, x, -3);
		else {
			int row = tui_mouse_y - l->view_y;
			if (row >= 0 && row < h && l->top + row < l->nrows)
				l->cur = l->top + row;
			if (tui_mouse_kind == TM_DOUBLE)
				return tui_list_key(p, x, TK_ENTER);
		}
		break;
	case TK_ENTER: case TK_RIGHT: case 'l': {
		const struct tui_row *r;
		if (l->nrows == 0)
			return TUI_HANDLED;
		r = &l->rows[l->cur];
		if (tui_list_def(l)->enter != NULL)
			return tui_list_def(l)->enter(x, p, r);
		if (r->rel != NULL && r->key != NULL)
			return tui_open(x, r->rel, r->key);
		tui_msg(x, "this row opens nothing");
		break;
	}
	case 'o': {
		const struct tui_row *r;
		if (l->nrows == 0)
			return TUI_HANDLED;
		r = &l->rows[l->cur];
		if (r->rel == NULL || r->key == NULL)
			return TUI_IGNORED;
		if (strcmp(r->rel, "events") == 0)
			return tui_open(x, "@events", r->key);
		if (strcmp(r->rel, "flows") == 0)
			return tui_open(x, "@flows", r->key);
		return tui_open(x, r->rel, r->key);
	}
	default:
		return TUI_IGNORED;
	}
	return TUI_REDRAW;
}

static bool
tui_list_target(struct tui_page *p, const char **rel, const char **key)
{
	struct tui_list *l = (struct tui_list *)p;
	const struct tui_row *r;

	if (l->nrows == 0)
		return false;
	r = &l->rows[l->cur];
	*rel = r->rel;
	*key = r->key;
	return r->rel != NULL && r->key != NULL;
}

static bool
tui_row_has(const struct tui_row *r, const struct tui_listdef *d,
    const char *needle)
{
	for (int c = 0; c < d->ncols; c++)
		if (!(d->cols[c].flags & TCOL_HIDDEN) && r->cell[c] != NULL &&
		    strcasestr(r->cell[c], needle) != NULL)
			return true;
	return false;
}

static int
tui_list_search(struct tui_page *p, struct tui_ctx *x, const char *needle,
    int dir)
{
	struct tui_list *l = (struct tui_list *)p;
	const struct tui_listdef *d = tui_list_def(l);
	struct sbuf cond, lk;
	struct tui_row *v = NULL, *from;
	int nv;

	for (int i = l->cur + dir; i >= 0 && i < l->nrows; i += dir)
		if (tui_row_has(&l->rows[i], d, needle)) {
			l->cur = i;
			return TUI_REDRAW;
		}
	if (l->nrows == 0 || (dir > 0 ? l->at_end : l->at_start)) {
		tui_msg(x, "no more matches");
		return TUI_REDRAW;
	}
	/* beyond the window: ask the store */
	sbuf_init(&cond, SBUF_MAX_DEFAULT);
	sbuf_init(&lk, SBUF_MAX_DEFAULT);
	tui_like(&lk, needle);
	for (int c = 0, m = 0; c < d->ncols; c++)
		if (!(d->cols[c].flags & TCOL_HIDDEN))
			sbuf_addf(&cond, "%sc%d LIKE ?%d ESCAPE '\\'",
			    m++ ? " OR " : "", c, 5 + l->nfbind);
	from = dir > 0 ? &l->rows[l->nrows - 1] : &l->rows[0];
	x->cancellable = true;
	nv = tui_list_read(l, x, dir > 0 ? TF_AFTER : TF_BEFORE, from->k,
	    from->t, from->tint, 1, cond.buf, lk.buf, &v);
	x->cancellable = false;
	sbuf_release(&cond);
	sbuf_release(&lk);
	if (nv == 1) {
		int64_t k = v[0].k;
		char *t = xstrdup(v[0].t);
		bool tint = v[0].tint;
		tui_row_free(&v[0], d->ncols);
		tui_list_seek_kt(l, x, k, t, tint);
		free(t);
	} else {
		tui_msg(x, x->cancelled ? "search interrupted" :
		    "no more matches");
	}
	free(v);
	return TUI_REDRAW;
}

static int
tui_list_filter(struct tui_page *p, struct tui_ctx *x, const char *f)
{
	struct tui_list *l = (struct tui_list *)p;

	l->err[0] = '\0';
	free(l->ftext);
	l->ftext = f != NULL && *f != '\0' ? xstrdup(f) : NULL;
	if (!tui_list_compile(l, l->ftext)) {
		tui_msg(x, "%s", l->err);
		l->err[0] = '\0';
		return TUI_REDRAW;
	}
	tui_list_load(l, x);
	return TUI_REDRAW;
}

static void
tui_list_reload(struct tui_page *p, struct tui_ctx *x)
{
	struct tui_list *l = (struct tui_list *)p;

	if (l->nrows > 0) {
		int64_t k = l->rows[l->cur].k;
		char *t = xstrdup(l->rows[l->cur].t);
		bool tint = l->rows[l->cur].tint;
		l->count = -1;
		l->count_tried = false;
		tui_list_seek_kt(l, x, k, t, tint);
		free(t);
	} else {
		tui_list_load(l, x);
	}
}

static void
tui_list_release(struct tui_page *p)
{
	struct tui_list *l = (struct tui_list *)p;

	tui_list_clear(l);
	for (int i = 0; i < l->nfbind; i++)
		free(l->fbind[i]);
	free(l->fsql);
	free(l->ftext);
	free(l->param);
	free(l->hist);
	free(l);
}

bool
tui_list_idle(struct tui_page *p, struct tui_ctx *x)
{
	struct tui_list *l = (struct tui_list *)p;

	if (!l->loaded || l->count >= 0 || l->count_tried)
		return false;
	tui_list_count(l, x);
	return true;
}

static const struct tui_page_ops tui_list_ops = {
	.draw = tui_list_draw,
	.key = tui_list_key,
	.release = tui_list_release,
	.target = tui_list_target,
	.search = tui_list_search,
	.filter = tui_list_filter,
	.reload = tui_list_reload,
};

bool
tui_page_is_list(const struct tui_page *p)
{
	return p->ops == &tui_list_ops;
}

struct tui_page *
tui_list_new(const struct tui_listdef *const *tabs, int ntabs,
    const char *param, const char *title)
{
	struct tui_list *l = xcalloc(1, sizeof(*l));

	l->pg.ops = &tui_list_ops;
	snprintf(l->pg.title, sizeof(l->pg.title), "%s", title);
	l->tabs = tabs;
	l->ntabs = ntabs;
	l->param = param != NULL ? xstrdup(param) : NULL;
	l->base = -1;
	l->count = -1;
	return &l->pg;
}

/* ---- text ---- */

struct tui_line {
	uint16_t attr;
	char *rel, *key, *s;
	size_t n;
};

struct tui_text {
	struct tui_page pg;
	struct tui_line *v;
	int n, a, cur, top, view_h, view_y;
	uint8_t *bytes;
	size_t nbytes;
	bool hex;
	int nhead;	/* lines before the bytes' own (hex hides the rest) */
};

static void
tui_text_line(struct tui_text *t, uint16_t attr, const char *rel,
    const char *key, char *s, size_t n)
{
	struct tui_line *ln;

	if (t->n == t->a) {
		t->a = t->a ? 2 * t->a : 64;
		t->v = xreallocarray(t->v, (size_t)t->a, sizeof(*t->v));
	}
	ln = &t->v[t->n++];
	ln->attr = attr;
	ln->rel = rel != NULL ? xstrdup(rel) : NULL;
	ln->key = key != NULL ? xstrdup(key) : NULL;
	ln->s = s;
	ln->n = n;
}

void
tui_text_add(struct tui_page *p, uint16_t attr, const char *rel,
    const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		BUG("out of memory");
	va_end(ap);
	tui_text_line((struct tui_text *)p, attr, rel, key, s, strlen(s));
}

void
tui_text_addn(struct tui_page *p, uint16_t attr, const char *rel,
    const char *key, const char *s, size_t n)
{
	char *c = xmalloc(n + 1);

	memcpy(c, s, n);
	c[n] = '\0';
	tui_text_line((struct tui_text *)p, attr, rel, key, c, n);
}

void
tui_text_set_bytes(struct tui_page *p, const void *b, size_t n, bool hex)
{
	struct tui_text *t = (struct tui_text *)p;

	free(t->bytes);
	t->bytes = xmalloc(n ? n : 1);
	memcpy(t->bytes, b, n);
	t->nbytes = n;
	t->hex = hex;
	t->nhead = t->n;
}

/* Lines of the page: text lines, or hex rows, or numbered text rows. */
static int
tui_text_nlines(const struct tui_text *t)
{
	if (t->bytes != NULL && t->hex)
		return t->nhead + (int)((t->nbytes + 15) / 16);
	return t->n;
}

/* Text lines shown before hex rows start. */
static int
tui_text_ntext(const struct tui_text *t)
{
	return t->bytes != NULL && t->hex ? t->nhead : t->n;
}

static void
tui_text_hexrow(const struct tui_text *t, size_t row, char *buf, size_t cap)
{
	size_t off = row * 16, o;

	o = (size_t)snprintf(buf, cap, "%08zx  ", off);
	for (size_t i = 0; i < 16 && o + 4 < cap; i++) {
		if (off + i < t->nbytes)
			o += (size_t)snprintf(buf + o, cap - o, "%02x ",
			    t->bytes[off + i]);
		else
			o += (size_t)snprintf(buf + o, cap - o, "   ");
		if (i == 7)
			o += (size_t)snprintf(buf + o, cap - o, " ");
	}
	o += (size_t)snprintf(buf + o, cap - o, " |");
	for (size_t i = 0; i < 16 && off + i < t->nbytes && o + 2 < cap; i++) {
		uint8_t c = t->bytes[off + i];
		buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	if (o + 2 < cap)
		buf[o++] = '|';
	buf[o] = '\0';
}

static void
tui_text_draw(struct tui_page *p, struct tui_ctx *x, struct tui_canvas *cv,
    int y0, int h)
{
	struct tui_text *t = (struct tui_text *)p;
	int n = tui_text_nlines(t);

	(void)x;
	t->view_h = h;
	t->view_y = y0;
	if (t->cur >= n)
		t->cur = n > 0 ? n - 1 : 0;
	if (t->cur < t->top)
		t->top = t->cur;
	if (t->cur >= t->top + h)
		t->top = t->cur - h + 1;
	for (int i = 0; i < h && t->top + i < n; i++) {
		int li = t->top + i, y = y0 + i;
		bool sel = li == t->cur;
		uint16_t a = sel ? TA_REV : 0;
		tui_canvas_fill(cv, 0, y, -1, a);
		if (li < tui_text_ntext(t)) {
			const struct tui_line *ln = &t->v[li];
			uint16_t la = ln->attr;
			if (ln->rel != NULL && TA_FGOF(la) == 0)
				la |= TA_FG(TC_CYAN);
			tui_canvas_text(cv, 0, y, cv->w, ln->s, (long)ln->n,
			    la | a);
		} else {
			char buf[128];
			tui_text_hexrow(t, (size_t)(li - t->nhead), buf,
			    sizeof(buf));
			tui_canvas_text(cv, 0, y, cv->w, buf, -1, a);
		}
	}
}

static int
tui_text_key(struct tui_page *p, struct tui_ctx *x, int key)
{
	struct tui_text *t = (struct tui_text *)p;
	int n = tui_text_nlines(t), h = t->view_h > 0 ? t->view_h : 10;

	switch (key) {
	case TK_DOWN: case 'j': t->cur++; break;
	case TK_UP: case 'k': t->cur--; break;
	case TK_PGDN: case ' ': case TK_CTRL('f'): t->cur += h - 1; break;
	case TK_PGUP: case TK_CTRL('b'): t->cur -= h - 1; break;
	case TK_HOME: case 'g': t->cur = 0; break;
	case TK_END: case 'G': t->cur = n - 1; break;
	case TK_MOUSE:
		if (tui_mouse_kind == TM_WHEEL_DOWN)
			t->cur += 3;
		else if (tui_mouse_kind == TM_WHEEL_UP)
			t->cur -= 3;
		else {
			t->cur = t->top + tui_mouse_y - t->view_y;
			if (tui_mouse_kind == TM_DOUBLE)
				return tui_text_key(p, x, TK_ENTER);
		}
		break;
	case TK_ENTER: case TK_RIGHT: case 'l':
		if (t->cur < tui_text_ntext(t) && t->v[t->cur].rel != NULL)
			return tui_open(x, t->v[t->cur].rel,
			    t->v[t->cur].key);
		tui_msg(x, "this line opens nothing");
		return TUI_REDRAW;
	case 'o':
		if (t->cur < t->n && t->v[t->cur].rel != NULL) {
			const char *r = t->v[t->cur].rel;
			if (strcmp(r, "events") == 0)
				return tui_open(x, "@events",
				    t->v[t->cur].key);
			if (strcmp(r, "flows") == 0)
				return tui_open(x, "@flows", t->v[t->cur].key);
		}
		return TUI_IGNORED;
	default:
		return TUI_IGNORED;
	}
	if (t->cur >= n)
		t->cur = n - 1;
	if (t->cur < 0)
		t->cur = 0;
	return TUI_REDRAW;
}

static bool
tui_text_target(struct tui_page *p, const char **rel, const char **key)
{
	struct tui_text *t = (struct tui_text *)p;

	if (t->cur >= t->n || t->v[t->cur].rel == NULL ||
	    t->v[t->cur].rel[0] == '@')
		return false;
	*rel = t->v[t->cur].rel;
	*key = t->v[t->cur].key;
	return true;
}

static int
tui_text_search(struct tui_page *p, struct tui_ctx *x, const char *needle,
    int dir)
{
	struct tui_text *t = (struct tui_text *)p;
	int n = tui_text_nlines(t);

	for (int k = 1; k <= n; k++) { /* wraps around, as less and vim do */
		int i = ((t->cur + dir * k) % n + n) % n;
		char buf[128];
		const char *s;
		if (i < tui_text_ntext(t)) {
			s = t->v[i].s;
		} else {
			tui_text_hexrow(t, (size_t)(i - t->nhead), buf,
			    sizeof(buf));
			s = buf;
		}
		if (strcasestr(s, needle) != NULL) {
			if ((dir > 0 && i <= t->cur) || (dir < 0 && i >= t->cur))
				tui_msg(x, "search wrapped");
			t->cur = i;
			return TUI_REDRAW;
		}
	}
	tui_msg(x, "no match for '%.100s'", needle);
	return TUI_REDRAW;
}

static void
tui_text_release(struct tui_page *p)
{
	struct tui_text *t = (struct tui_text *)p;

	for (int i = 0; i < t->n; i++) {
		free(t->v[i].rel);
		free(t->v[i].key);
		free(t->v[i].s);
	}
	free(t->v);
	free(t->bytes);
	free(t);
}

static const struct tui_page_ops tui_text_ops = {
	.draw = tui_text_draw,
	.key = tui_text_key,
	.release = tui_text_release,
	.target = tui_text_target,
	.search = tui_text_search,
};

struct tui_page *
tui_text_new(const char *title)
{
	struct tui_text *t = xcalloc(1, sizeof(*t));

	t->pg.ops = &tui_text_ops;
	snprintf(t->pg.title, sizeof(t->pg.title), "%s", title);
	return &t->pg;
}

/* Hex/text toggle for a text page holding bytes. */
bool
tui_text_toggle_hex(struct tui_page *p)
{
	struct tui_text *t = (struct tui_text *)p;

	if (p->ops != &tui_text_ops || t->bytes == NULL)
		return false;
	t->hex = !t->hex;
	t->cur = t->top = 0;
	return true;
}
