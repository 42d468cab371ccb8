/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen.c: the manager (htop's ScreenManager, tmux's server loop).
 *
 * Nine screens, each a stack of pages; keys go first to the screen-wide
 * binding table (keys.c) for what every screen shares, then to the top
 * page. Targets ("rel:key") are opened here: a finding or any row as a
 * detail page with its chain of links, a file as its content, "@screen"
 * targets switch screen with a filter, "@events"/"@flows" show a row in
 * its own screen, "@sub" targets push a list bound to a row (a layer's
 * files, a process's syscalls).
 *
 * All SQLite and curses calls stay on this one thread. A long query
 * (a filter, a search, a count) is cancelled by the next key: the
 * progress handler polls the terminal and interrupts the statement when a
 * key is waiting, and the loop then handles that key. Examiner writes
 * (bookmarks, tags, notes) open the case for writing for that one change,
 * recorded in custody; otherwise the case stays open read-only.
 */
#include "core/common.h"
#include "tui/tui.h"

#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/annotate.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"
#include "core/verify.h"
#include "core/xmalloc.h"


static void tui_draw_all(struct tui_ctx *x, const char *prompt,
    const char *buf);
static void tui_latency(struct tui_ctx *x, int key, int64_t t0);

void
tui_msg(struct tui_ctx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
}

bool
tui_step(struct tui_ctx *x, sqlite3_stmt *st)
{
	int r;

	x->cancelled = false;
	r = sqlite3_step(st);
	return r == SQLITE_ROW;
}

/* SQLite's progress handler: interrupt a cancellable query when a key is
 * waiting or its deadline passed. */
static int
tui_progress(void *u)
{
	struct tui_ctx *x = u;

	if (x->cancellable && tui_draw_pending()) {
		x->cancelled = true;
		return 1;
	}
	/* A long scan: the screen shows what is found so far (the list
	 * draws its rows as they come) within the key's budget, and the scan
	 * goes on. */
	if (x->key_t0 != 0 && !x->key_logged && !x->in_partial &&
	    x->partial_ns > 0 && mono_ns() - x->key_t0 > x->partial_ns) {
		x->in_partial = true;
		tui_draw_all(x, x->prompt, x->prompt_buf);
		tui_latency(x, x->key, x->key_t0);
		x->key_logged = true;
		x->in_partial = false;
	}
	if (x->deadline_ns != 0 && mono_ns() > x->deadline_ns) {
		x->cancelled = true;
		return 1;
	}
	return 0;
}

void
tui_screen_progress(struct tui_ctx *x)
{
	sqlite3_progress_handler(x->s->db, 20000, tui_progress, x);
	x->s->yield = tui_progress; /* the events table's chunk loop */
	x->s->yield_user = x;
}

void
tui_snapshot(struct tui_ctx *x)
{
	/* One read transaction for everything the TUI shows, so a concurrent
	 * import never moves rows under a page; F5, and the TUI's own writes,
	 * take a new one. */
	sqlite3_exec(x->s->db, "COMMIT", NULL, NULL, NULL);
	if (sqlite3_exec(x->s->db, "BEGIN; SELECT count(*) FROM "
	    "sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(x->s->db, "ROLLBACK", NULL, NULL, NULL);
}

void
tui_push(struct tui_ctx *x, struct tui_page *p)
{
	p->below = x->stack[x->screen];
	x->stack[x->screen] = p;
}

static bool
tui_pop(struct tui_ctx *x)
{
	struct tui_page *p = x->stack[x->screen];

	if (p == NULL || p->below == NULL)
		return false;
	x->stack[x->screen] = p->below;
	p->ops->release(p);
	return true;
}

void
tui_screen_go(struct tui_ctx *x, int n)
{
	if (n < 0 || n >= TUI_NSCREENS)
		return;
	x->screen = n;
	if (x->stack[n] == NULL)
		x->stack[n] = tui_views[n]->open(x);
}

/* Back to the root page of screen n. */
static struct tui_page *
tui_screen_root(struct tui_ctx *x, int n)
{
	tui_screen_go(x, n);
	while (tui_pop(x))
		;
	return x->stack[n];
}

int
tui_open(struct tui_ctx *x, const char *rel, const char *key)
{
	struct tui_page *p;
	int64_t id;

	if (rel == NULL || key == NULL)
		return TUI_HANDLED;
	if (strcmp(rel, "@screen") == 0) {
		const char *tab = strchr(key, '\t');
		if (key[0] < '1' || key[0] > '9')
			return TUI_HANDLED;
		p = tui_screen_root(x, key[0] - '1');
		if (p != NULL && tab != NULL && p->ops->filter != NULL)
			p->ops->filter(p, x, tab + 1);
		return TUI_REDRAW;
	}
	if (strcmp(rel, "@events") == 0 || strcmp(rel, "@flows") == 0) {
		bool ev = rel[1] == 'e';
		if (!parse_i64(key, &id))
			return TUI_HANDLED;
		p = tui_screen_root(x, ev ? 4 : 5);
		if (p->ops->filter != NULL)
			p->ops->filter(p, x, NULL);
		if (tui_page_is_list(p))
			tui_list_seek(p, x, id);
		return TUI_REDRAW;
	}
	if (strncmp(rel, "@sub:", 5) == 0) {
		if ((p = tui_sub_open(x, rel + 5, key)) != NULL)
			tui_push(x, p);
		return TUI_REDRAW;
	}
	if (strcmp(rel, "@packets") == 0) {
		if (parse_i64(key, &id))
			tui_push(x, tui_packets_new(x, id));
		return TUI_REDRAW;
	}
	if (strcmp(rel, "files") == 0 || strcmp(rel, "file_origins") == 0 ||
	    strcmp(rel, "drift") == 0) {
		tui_push(x, tui_content_new(x, rel, key));
		return TUI_REDRAW;
	}
	tui_push(x, tui_detail_new(x, rel, key));
	return TUI_REDRAW;
}

/* ---- drawing ---- */

static void
tui_draw_all(struct tui_ctx *x, const char *prompt, const char *buf)
{
	struct tui_canvas *cv = &x->cv;
	struct tui_page *p = x->stack[x->screen];
	int w, h;

	tui_draw_size(&w, &h);
	if (w != cv->w || h != cv->h) {
		bool u = cv->utf8;
		tui_canvas_resize(cv, w, h);
		cv->utf8 = u;
	}
	tui_canvas_clear(cv);
	if (w < 80 || h < 24) {
		tui_canvas_textf(cv, 0, 0, w, TA_BOLD, "drydock needs at least "
		    "80x24 (this is %dx%d)", w, h);
		tui_draw_flush(cv, -1, 0);
		return;
	}
	tui_header_draw(x, cv);
	/* the breadcrumb */
	{
		const struct tui_page *v[16];
		int n = 0, xx = 0;
		for (const struct tui_page *q = p; q != NULL && n < 16;
		    q = q->below)
			v[n++] = q;
		while (n-- > 0 && xx < w) {
			xx += tui_canvas_text(cv, xx, 1, w - xx, v[n]->title,
			    -1, n == 0 ? TA_BOLD : TA_DIM);
			if (n > 0)
				xx += tui_canvas_text(cv, xx, 1, w - xx,
				    " > ", -1, TA_DIM);
		}
	}
	if (p != NULL)
		p->ops->draw(p, x, cv, 2, h - 4);
	/* the status line */
	tui_canvas_fill(cv, 0, h - 2, -1, 0);
	if (prompt != NULL) {
		int pw = tui_canvas_text(cv, 0, h - 2, w, prompt, -1, TA_BOLD);
		int bw = tui_text_width(buf, -1, cv->utf8);
		/* the end of a long entry stays visible */
		const char *s = buf;
		while (bw > w - pw - 2 && *s) {
			s++;
			bw = tui_text_width(s, -1, cv->utf8);
		}
		tui_canvas_text(cv, pw, h - 2, w - pw - 1, s, -1, 0);
		if (x->help)
			tui_help_draw(x, cv);
		tui_fbar_draw(x, cv);
		tui_draw_flush(cv, pw + bw, h - 2);
		return;
	}
	if (x->msg[0] != '\0')
		tui_canvas_text(cv, 0, h - 2, w, x->msg, -1, TA_BOLD);
	tui_fbar_draw(x, cv);
	if (x->help)
		tui_help_draw(x, cv);
	tui_draw_flush(cv, -1, 0);
}

static void
tui_latency(struct tui_ctx *x, int key, int64_t t0)
{
	char name[32];

	if (x->latlog == NULL)
		return;
	tui_key_name(key, name, sizeof(name));
	fprintf(x->latlog, "%s\t%.3f\n", name, (double)(mono_ns() - t0) /
	    1e6);
	fflush(x->latlog);
}

/* Read a line at the status line. on_change (may be NULL) runs after
 * each edit (incremental filter). true on Enter, false on Esc. */
static bool
tui_prompt(struct tui_ctx *x, const char *label, char *buf, size_t cap,
    void (*on_change)(struct tui_ctx *, const char *))
{
	size_t n = strlen(buf);
	bool first = true;

	for (;;) {
		int key;
		int64_t t0;
		x->prompt = label;
		x->prompt_buf = buf;
		tui_draw_all(x, label, buf);
		if (first) { /* the key that opened the prompt is served */
			if (!x->key_logged)
				tui_latency(x, x->key, x->key_t0);
			x->key_logged = true;
			first = false;
		}
		key = tui_draw_key(-1);
		t0 = mono_ns();
		x->key = key;
		x->key_t0 = t0;
		x->key_logged = false;
		if (key == TK_NONE)
			continue;
		if (key == TK_ENTER || key == TK_ESC || key == TK_CTRL('c') ||
		    key == TK_CTRL('g')) {
			/* the loop logs it once the screen is back */
			x->prompt = x->prompt_buf = NULL;
			return key == TK_ENTER;
		}
		if (key == TK_BACKSPACE) {
			while (n > 0 && (buf[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0)
				n--;
		} else if (key == TK_CTRL('u')) {
			n = 0;
		} else if (key >= 0x20 && key < TK_BASE && key != 0x7f) {
			char u[4];
			int ul = tui_utf8_put((uint32_t)key, u);
			if (n + (size_t)ul + 1 < cap) {
				memcpy(buf + n, u, (size_t)ul);
				n += (size_t)ul;
			}
		} else {
			continue;
		}
		buf[n] = '\0';
		if (on_change != NULL) {
			on_change(x, buf);
			tui_draw_all(x, label, buf);
		}
		if (!x->key_logged)
			tui_latency(x, key, t0);
		x->key_logged = true;
	}
}

static void
tui_filter_change(struct tui_ctx *x, const char *f)
{
	struct tui_page *p = x->stack[x->screen];

	x->msg[0] = '\0';
	if (p != NULL && p->ops->filter != NULL)
		p->ops->filter(p, x, f);
}

/* Bookmark, tag or note the row under the cursor: one write, in
 * custody. */
static void
tui_annotate(struct tui_ctx *x, int what)
{
	struct tui_page *p = x->stack[x->screen];
	const char *rel, *key;
	char buf[512] = "", target[600], head[SHA256_HEX];
	struct dd_err e = DD_ERR_INIT;
	struct store *w = NULL;
	int rc;

	if (p == NULL || p->ops->target == NULL || !p->ops->target(p, &rel,
	    &key)) {
		tui_msg(x, "nothing here to annotate: move to a row");
		return;
	}
	snprintf(target, sizeof(target), "%s:%s", rel, key);
	if (what == TA_BOOKMARK) {
		snprintf(buf, sizeof(buf), "bookmark");
	} else if (!tui_prompt(x, what == TA_TAG ? "tag: " : "note: ", buf,
	    sizeof(buf), NULL) || buf[0] == '\0') {
		tui_msg(x, "cancelled");
		return;
	}
	if (store_open(x->case_path, STORE_WRITE, &w, &e) < 0) {
		tui_msg(x, "cannot write to the case: %s", e.msg);
		return;
	}
	if (what == TA_NOTE)
		rc = annotate_note(w, target, buf, head, &e);
	else
		rc = annotate_tag(w, target, buf, 1, head, &e);
	store_close(w);
	tui_snapshot(x); /* see the write */
	if (rc < 0)
		tui_msg(x, "not written: %s", e.msg);
	else
		tui_msg(x, "%s %s (custody head %.12s)", what == TA_NOTE ?
		    "noted" : what == TA_TAG ? "tagged" : "bookmarked", target,
		    head);
}

static void
tui_verify(struct tui_ctx *x)
{
	struct verify_report r;
	struct dd_err e = DD_ERR_INIT;

	tui_msg(x, "verifying...");
	tui_draw_all(x, NULL, NULL);
	memset(&r, 0, sizeof(r));
	if (verify_case(x->s, &r, NULL, NULL, &e) < 0)
		tui_msg(x, "verify failed: %s", e.msg);
	else if (r.problems > 0)
		tui_msg(x, "NOT VERIFIED: %" PRId64 " problem(s); first: %.120s",
		    r.problems, r.lines.buf);
	else
		tui_msg(x, "verified: %" PRId64 " chunks, %" PRId64
		    " originals, %" PRId64 " custody rows, head %.12s",
		    r.chunks, r.artifacts, r.custody_rows, r.head);
	verify_report_release(&r);
}

/* Jump to a time on the timeline or syscall screen. */
static void
tui_jump_time(struct tui_ctx *x)
{
	struct tui_page *p = x->stack[x->screen];
	char buf[64] = "";
	int64_t ns;

	if (p == NULL || !tui_page_is_list(p) || p->below != NULL ||
	    (x->screen != 2 && x->screen != 4)) {
		tui_msg(x, "T jumps to a time on the timeline (3) and "
		    "syscall (5) screens");
		return;
	}
	if (!tui_prompt(x, "time (RFC 3339): ", buf, sizeof(buf), NULL))
		return;
	if (!time_parse(buf, &ns)) {
		tui_msg(x, "'%s' is not a time (e.g. 2024-05-01T10:00:00Z)",
		    buf);
		return;
	}
	if (x->screen == 4) { /* events are keyed by id: find the first */
		sqlite3_stmt *st = NULL;
		int64_t id = -1;
		if (sqlite3_prepare_v2(x->s->db, "SELECT id FROM events WHERE "
		    "ts >= ?1 ORDER BY ts, id LIMIT 1", -1, &st, NULL) ==
		    SQLITE_OK) {
			sqlite3_bind_int64(st, 1, ns);
			if (tui_step(x, st))
				id = sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
		if (id < 0) {
			tui_msg(x, "no event at or after %s", buf);
			return;
		}
		ns = id;
	}
	tui_list_seek(p, x, ns);
}

/* w: write the packets of the flow under the cursor as a pcap file
 * (drydock export-pcap, so the export is in custody). */
static bool
tui_write_pcap(struct tui_ctx *x)
{
	struct tui_page *p = x->stack[x->screen];
	const char *rel, *key;
	char buf[512];
	int64_t id;

	if (p == NULL || p->ops->target == NULL || !p->ops->target(p, &rel,
	    &key) || strcmp(rel, "flows") != 0 || !parse_i64(key, &id))
		return false;
	snprintf(buf, sizeof(buf), "flow-%" PRId64 ".pcap", id);
	if (!tui_prompt(x, "write the flow's packets to: ", buf, sizeof(buf),
	    NULL) || buf[0] == '\0') {
		tui_msg(x, "cancelled");
		return true;
	}
	if (access(buf, F_OK) == 0) {
		tui_msg(x, "'%.200s' exists: not overwritten", buf);
		return true;
	}
	if (tui_export_flow(x, id, buf) < 0)
		tui_msg(x, "export-pcap failed for flow %" PRId64, id);
	else
		tui_msg(x, "wrote flow %" PRId64 " to %.200s (in custody when "
		    "the case is writable)", id, buf);
	return true;
}

/* Handle one key; TUI_QUIT to leave. */
static int
tui_handle(struct tui_ctx *x, int key)
{
	struct tui_page *p = x->stack[x->screen];
	const struct tui_binding *b;
	int r;

	if (key == TK_RESIZE)
		return TUI_REDRAW;
	if (x->help) { /* any key closes help */
		x->help = false;
		if (key == 'q' || key == TK_ESC || key == '?')
			return TUI_REDRAW;
	}
	x->msg[0] = '\0';
	/* Page keys first for the keys a page gives meaning to. */
	if (p != NULL && key != 'q' && key != TK_TAB) {
		switch (key) {
		case 'x':
			if (tui_text_toggle_hex(p))
				return TUI_REDRAW;
			break;
		case 'T':
			tui_jump_time(x);
			return TUI_REDRAW;
		case 'w':
			if (tui_write_pcap(x))
				return TUI_REDRAW;
			break;
		case 'V':
			if (x->screen == 8) {
				tui_verify(x);
				return TUI_REDRAW;
			}
			break;
		default:
			break;
		}
		if (!(key == TK_LEFT || key == 'h' || key == TK_BACKSPACE) ||
		    !tui_page_is_list(p)) {
			r = p->ops->key(p, x, key);
			if (r != TUI_IGNORED)
				return r;
		}
	}
	b = tui_binding_find(key);
	if (b == NULL)
		return TUI_HANDLED;
	switch (b->action) {
	case TA_QUIT:
		return TUI_QUIT;
	case TA_BACK:
		if (tui_pop(x))
			return TUI_REDRAW;
		if (x->screen != 0) {
			tui_screen_go(x, 0);
			return TUI_REDRAW;
		}
		return key == 'q' ? TUI_QUIT : TUI_HANDLED;
	case TA_HELP:
		x->help = true;
		return TUI_REDRAW;
	case TA_SCREEN:
		tui_screen_go(x, b->arg);
		return TUI_REDRAW;
	case TA_NEXT_SCREEN:
		tui_screen_go(x, (x->screen + 1) % TUI_NSCREENS);
		return TUI_REDRAW;
	case TA_PREV_SCREEN:
		tui_screen_go(x, (x->screen + TUI_NSCREENS - 1) % TUI_NSCREENS);
		return TUI_REDRAW;
	case TA_FIND: {
		char buf[128] = "";
		if (!tui_prompt(x, "find everywhere: ", buf, sizeof(buf),
		    NULL) || buf[0] == '\0')
			return TUI_REDRAW;
		tui_push(x, tui_find_new(x, buf));
		return TUI_REDRAW;
	}
	case TA_SEARCH: {
		char buf[128] = "";
		if (x->screen == 0 && p != NULL && p->below == NULL) {
			/* on the dashboard, / searches the whole case */
			if (!tui_prompt(x, "find everywhere: ", buf,
			    sizeof(buf), NULL) || buf[0] == '\0')
				return TUI_REDRAW;
			tui_push(x, tui_find_new(x, buf));
			return TUI_REDRAW;
		}
		if (p == NULL || p->ops->search == NULL)
			return TUI_HANDLED;
		if (!tui_prompt(x, "search: ", buf, sizeof(buf), NULL) ||
		    buf[0] == '\0')
			return TUI_REDRAW;
		snprintf(x->search, sizeof(x->search), "%s", buf);
		return p->ops->search(p, x, x->search, 1);
	}
	case TA_NEXT_MATCH:
	case TA_PREV_MATCH:
		if (p == NULL || p->ops->search == NULL || x->search[0] == '\0')
			return TUI_HANDLED;
		return p->ops->search(p, x, x->search, b->action ==
		    TA_NEXT_MATCH ? 1 : -1);
	case TA_FILTER: {
		char buf[256] = "";
		if (p == NULL || p->ops->filter == NULL) {
			tui_msg(x, "this page has no filter");
			return TUI_REDRAW;
		}
		if (!tui_prompt(x, "filter (field=v field~text field<N; Esc "
		    "clears): ", buf, sizeof(buf), tui_filter_change))
			p->ops->filter(p, x, NULL);
		return TUI_REDRAW;
	}
	case TA_BOOKMARK:
	case TA_TAG:
	case TA_NOTE:
		tui_annotate(x, b->action);
		return TUI_REDRAW;
	case TA_BOOKMARKS:
		tui_push(x, tui_bookmarks_new(x));
		return TUI_REDRAW;
	case TA_RELOAD:
		tui_snapshot(x);
		if (p != NULL && p->ops->reload != NULL)
			p->ops->reload(p, x);
		return TUI_REDRAW;
	case TA_REDRAW:
		return TUI_REDRAW;
	case TA_NONE:
		break;
	}
	return TUI_HANDLED;
}

int
tui_screen_loop(struct tui_ctx *x, int64_t t_start)
{
	tui_draw_all(x, NULL, NULL);
	if (x->latlog != NULL) {
		fprintf(x->latlog, "open\t%.3f\n", (double)(mono_ns() -
		    t_start) / 1e6);
		fflush(x->latlog);
	}
	for (;;) {
		struct tui_page *p = x->stack[x->screen];
		int key, r;
		int64_t t0;

		/* idle work (a count), cancelled by the next key */
		if (p != NULL && tui_page_is_list(p) && !tui_draw_pending() &&
		    tui_list_idle(p, x))
			tui_draw_all(x, NULL, NULL);
		key = tui_draw_key(x->clock ? 1000 : -1);
		if (key == TK_NONE) {
			if (x->clock) /* the clock ticks */
				tui_draw_all(x, NULL, NULL);
			continue;
		}
		t0 = mono_ns();
		x->key = key;
		x->key_t0 = t0;
		x->key_logged = false;
		r = tui_handle(x, key);
		/* x->key: the last key read (a prompt reads its own) */
		if (r & TUI_QUIT) {
			if (!x->key_logged)
				tui_latency(x, x->key, x->key_t0);
			return 0;
		}
		tui_draw_all(x, NULL, NULL);
		if (!x->key_logged)
			tui_latency(x, x->key, x->key_t0);
		x->key_t0 = 0;
	}
}
