/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui.h: the TUI's internal interfaces (CONVENTIONS.md 2.9).
 *
 *   canvas.c    a cell grid with attributes; every string from evidence is
 *               written through tui_canvas_text, which shows control
 *               characters, escape sequences, invalid UTF-8 and zero-width
 *               code points visibly and measures wide characters
 *   draw.c      the only file that includes curses: canvas -> ncursesw,
 *               key and mouse decoding
 *   keys.c      the one binding table (key -> action); `?` help is made
 *               from it
 *   panel.c     the page widgets: a keyset-paged list over SQL, and a text
 *               page of lines that may each name a target row
 *   screen.c    the loop: nine screens, each a stack of pages; prompts;
 *               latency log; targets (rel:key) opened as pages
 *   fbar.c      the function-key bar and the status line
 *   registry.c  the nine views; view-<name>.c each builds its root page
 *
 * Nothing here prints to stdout/stderr while curses owns the terminal.
 */
#ifndef TUI_TUI_H
#define TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct store;
struct sqlite3_stmt;

/* ---- canvas.c ---- */

enum tui_attr {
	TA_BOLD = 1 << 0,
	TA_REV = 1 << 1,
	TA_DIM = 1 << 2,
	TA_UL = 1 << 3,
};
/* Colours (ignored under NO_COLOR / --no-color / monochrome terminals). */
enum tui_color {
	TC_NONE, TC_RED, TC_GREEN, TC_YELLOW, TC_BLUE, TC_MAGENTA, TC_CYAN,
	TC_WHITE
};
#define TA_FG(c) ((uint16_t)((c) << 4))
#define TA_FGOF(a) (((a) >> 4) & 7)

struct tui_cell {
	uint32_t ch;   /* code point; 0: right half of a wide character */
	uint16_t attr; /* enum tui_attr | TA_FG(colour) */
};

struct tui_canvas {
	int w, h;
	struct tui_cell *c; /* w * h, owned */
	bool utf8;	    /* the terminal takes UTF-8 (else ASCII only) */
};

void tui_canvas_resize(struct tui_canvas *cv, int w, int h);
void tui_canvas_free(struct tui_canvas *cv);
void tui_canvas_clear(struct tui_canvas *cv);
/* Blank n cells from (x, y) with attr (n < 0: to the end of the row). */
void tui_canvas_fill(struct tui_canvas *cv, int x, int y, int n,
    uint16_t attr);
/* Write len bytes of s (len < 0: up to NUL) at (x, y) in at most maxw
 * columns, made safe (see canvas.c); a cut string ends with a marker.
 * Returns the columns used. */
int tui_canvas_text(struct tui_canvas *cv, int x, int y, int maxw,
    const char *s, long len, uint16_t attr);
int tui_canvas_textf(struct tui_canvas *cv, int x, int y, int maxw,
    uint16_t attr, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Columns s would take when shown safely (no limit). */
int tui_text_width(const char *s, long len, bool utf8);
/* Encode code point cp as UTF-8 into b (4 bytes); the length. */
int tui_utf8_put(uint32_t cp, char *b);
/* Row y as UTF-8 text, trailing blanks cut (tests). */
void tui_canvas_row(const struct tui_canvas *cv, int y, char *buf,
    size_t cap);

/* ---- keys ---- */

/* Keys are code points, or these (beyond Unicode). */
enum tui_key {
	TK_NONE = 0,
	TK_BASE = 0x200000,
	TK_UP, TK_DOWN, TK_LEFT, TK_RIGHT, TK_PGUP, TK_PGDN, TK_HOME, TK_END,
	TK_ENTER, TK_BACKSPACE, TK_DEL, TK_TAB, TK_BTAB, TK_ESC, TK_RESIZE,
	TK_MOUSE,      /* tui_mouse_x/y/kind say what */
	TK_F0 = TK_BASE + 0x100, /* TK_F0 + n: Fn */
};
#define TK_F(n) (TK_F0 + (n))
#define TK_CTRL(c) ((c) & 0x1f)

enum tui_mouse { TM_CLICK = 1, TM_DOUBLE, TM_WHEEL_UP, TM_WHEEL_DOWN };
extern int tui_mouse_x, tui_mouse_y, tui_mouse_kind;

/* "j", "Down", "C-f", "F3", "Enter"... (latency log, help) */
void tui_key_name(int key, char *buf, size_t cap);

/* ---- draw.c (curses) ---- */

struct tui_term {
	bool color;
	bool utf8;
};
int tui_draw_init(struct tui_term *t, bool want_color);
void tui_draw_end(void);
void tui_draw_size(int *w, int *h);
void tui_draw_flush(const struct tui_canvas *cv, int curs_x, int curs_y);
/* The next key; timeout_ms < 0 waits. TK_NONE on timeout. */
int tui_draw_key(int timeout_ms);
/* A byte is waiting on the terminal (a key the user typed ahead). */
bool tui_draw_pending(void);

/* ---- panel.c: pages ---- */

enum tui_result {
	TUI_IGNORED = 0,
	TUI_HANDLED = 1 << 0,
	TUI_REDRAW = 1 << 1,
	TUI_RELOAD = 1 << 2,
	TUI_QUIT = 1 << 3,
};

struct tui_ctx;
struct tui_page;

struct tui_page_ops {
	/* Draw into rows y0 .. y0+h-1 of cv. */
	void (*draw)(struct tui_page *p, struct tui_ctx *x,
	    struct tui_canvas *cv, int y0, int h);
	int (*key)(struct tui_page *p, struct tui_ctx *x, int key);
	void (*release)(struct tui_page *p);
	/* The row under the cursor as a target (rel, key), for bookmarks,
	 * tags and notes; false when none. */
	bool (*target)(struct tui_page *p, const char **rel,
	    const char **key);
	/* Search: move to the next (dir 1) or previous (-1) row whose text
	 * holds needle. */
	int (*search)(struct tui_page *p, struct tui_ctx *x,
	    const char *needle, int dir);
	/* Apply a filter (NULL clears). */
	int (*filter)(struct tui_page *p, struct tui_ctx *x, const char *f);
	void (*reload)(struct tui_page *p, struct tui_ctx *x);
};

struct tui_page {
	const struct tui_page_ops *ops;
	char title[160];
	struct tui_page *below; /* the page Backspace returns to */
};

/* A list column. */
enum tui_col_flags {
	TCOL_RIGHT = 1 << 0,  /* right-aligned */
	TCOL_HIDDEN = 1 << 1, /* filter field only */
	TCOL_INT = 1 << 2,    /* compared as a number in filters */
	TCOL_TIME = 1 << 3,   /* filter values are RFC 3339 times */
	TCOL_FLEX = 1 << 4,   /* takes the remaining width */
	TCOL_OPT = 1 << 5,    /* left out when the terminal is narrow */
};
struct tui_col {
	const char *name;   /* header and filter field */
	int width;
	unsigned flags;
	const char *expr;   /* SQL for filters (the inner query's column
			       names), NULL: the shown column */
};

struct tui_row;
/* A list over SQL. sql is a SELECT whose columns are: k (INTEGER, the
 * page order), t (TEXT, ties within k), rel, key (the row's target or
 * NULL), hint (severity name or NULL: the row's colour), then one column
 * per col in order, named c0, c1, ... Hidden columns are selected too.
 * ?1 is bound to param. */
struct tui_listdef {
	const char *name;	/* tab name */
	const struct tui_col *cols;
	int ncols;
	const char *sql;
	/* Enter on a row: NULL opens the row's target. */
	int (*enter)(struct tui_ctx *x, struct tui_page *p,
	    const struct tui_row *r);
	const char *empty;	/* shown when there are no rows */
	bool unique_k;		/* k alone is unique (t is ignored) */
	/* Merged lists (the timeline): SELECTs of the same columns, each
	 * paged on its own (its LIMIT inside, so each can use its own order:
	 * the events' time merge) and merged by (k, t); sql then only
	 * counts. NULL-terminated. */
	const char *const *arms;
	bool histogram;		/* k is a time: an activity header, + - zoom */
};

struct tui_row {
	int64_t k;
	char *t, *rel, *key, *hint;
	bool tint;	/* t was an INTEGER (compare it as one) */
	char **cell; /* ncols */
};

struct tui_page *tui_list_new(const struct tui_listdef *const *tabs,
    int ntabs, const char *param, const char *title);
/* Put the cursor on the first row with k >= k. */
void tui_list_seek(struct tui_page *p, struct tui_ctx *x, int64_t k);
/* The list's current tab definition, for views that enter rows. */
const char *tui_list_param(struct tui_page *p);

/* A text page: lines, each optionally naming a target. */
struct tui_page *tui_text_new(const char *title);
void tui_text_add(struct tui_page *p, uint16_t attr, const char *rel,
    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Raw evidence text appended as one line each (shown safely). */
void tui_text_addn(struct tui_page *p, uint16_t attr, const char *rel,
    const char *key, const char *s, size_t n);
/* Hex mode: bytes shown as a hex/ASCII dump (no lines). */
void tui_text_set_bytes(struct tui_page *p, const void *b, size_t n,
    bool hex);

/* ---- screen.c ---- */

#define TUI_NSCREENS 9

struct tui_view {
	const char *title;
	/* The screen's root page. */
	struct tui_page *(*open)(struct tui_ctx *x);
};
extern const struct tui_view *const tui_views[TUI_NSCREENS];

struct tui_ctx {
	struct store *s;
	const char *case_path;
	struct tui_canvas cv;
	struct tui_page *stack[TUI_NSCREENS]; /* top page of each screen */
	int screen;
	bool color, help, quit;
	char msg[256];		/* the status line's message */
	char search[128];	/* the last search */
	FILE *latlog;
	bool clock;
	/* A long query may be cancelled by a key typed meanwhile. */
	bool cancellable;
	bool cancelled;
	int64_t deadline_ns;	/* 0: none */
	int key;		/* the key being handled, when read */
	int64_t key_t0;
	bool key_logged;	/* its latency line is written (a prompt,
				   or a partial screen of a long scan) */
	const char *prompt, *prompt_buf; /* the open prompt, if any */
	bool in_partial;	/* drawing from inside a query */
	int64_t partial_ns;	/* a key's work draws what it has after this
				   (DRYDOCK_TUI_PARTIAL_MS, default 40; 0
				   never) */
};

void tui_msg(struct tui_ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Push p on the current screen. */
void tui_push(struct tui_ctx *x, struct tui_page *p);
/* Open target rel:key (a finding, an event, a flow, a file...) as a page
 * on the current screen, or switch screen for "@screen" targets
 * (key "N" or "N\tFILTER"). */
int tui_open(struct tui_ctx *x, const char *rel, const char *key);
/* Start a new read snapshot (after a write, on F5). */
void tui_snapshot(struct tui_ctx *x);
/* Switch to screen n (0-based); its page stack is kept. */
void tui_screen_go(struct tui_ctx *x, int n);
/* Step st; false at the end or on an error/cancel (x->cancelled). */
bool tui_step(struct tui_ctx *x, struct sqlite3_stmt *st);

/* A LIKE pattern (ESCAPE '\\') matching s anywhere, appended to lk. */
struct sbuf;
void tui_like(struct sbuf *lk, const char *s);
/* view-detail.c: rows holding needle in every source. */
struct tui_page *tui_find_new(struct tui_ctx *x, const char *needle);
/* panel.c helpers the manager uses. */
bool tui_page_is_list(const struct tui_page *p);
/* Idle work of a list (its count, cancellable); true when it did some. */
bool tui_list_idle(struct tui_page *p, struct tui_ctx *x);
/* x: toggle hex/text on a page holding bytes; false otherwise. */
bool tui_text_toggle_hex(struct tui_page *p);
/* registry.c: "@sub:NAME" lists and the bookmarks list. */
struct tui_page *tui_sub_open(struct tui_ctx *x, const char *name,
    const char *param);
struct tui_page *tui_bookmarks_new(struct tui_ctx *x);
/* view-detail.c: drydock export-pcap of one flow into path. */
int tui_export_flow(struct tui_ctx *x, int64_t flow, const char *path);
/* screen.c: the loop (tui.c calls it once the terminal is set up). */
int tui_screen_loop(struct tui_ctx *x, int64_t t_start);

/* view-dashboard.c: the case's time span over every source (false: no
 * times), the activity of every source over [t0, t1] in nb buckets, and
 * the bar (a block element, or ASCII) of v against max. */
bool tui_span(struct store *s, int64_t *lo, int64_t *hi);
void tui_activity(struct store *s, int64_t t0, int64_t t1, int nb,
    double *h);
const char *tui_bar(double v, double max, bool utf8);

/* Views' pages that are not lists: view-dashboard.c, view-detail.c. */
struct tui_page *tui_dashboard_new(struct tui_ctx *x);
struct tui_page *tui_detail_new(struct tui_ctx *x, const char *rel,
    const char *key);
struct tui_page *tui_content_new(struct tui_ctx *x, const char *rel,
    const char *key);
struct tui_page *tui_packets_new(struct tui_ctx *x, int64_t flow_id);

/* ---- keys.c ---- */

enum tui_action {
	TA_NONE, TA_QUIT, TA_BACK, TA_HELP, TA_SCREEN, TA_NEXT_SCREEN,
	TA_PREV_SCREEN, TA_SEARCH, TA_NEXT_MATCH, TA_PREV_MATCH, TA_FILTER,
	TA_BOOKMARK, TA_TAG, TA_NOTE, TA_BOOKMARKS, TA_RELOAD, TA_REDRAW,
	TA_FIND,
};
struct tui_binding {
	int key;
	enum tui_action action;
	int arg;
	const char *help; /* NULL: an alias of the line before */
};
/* The screen-wide bindings, then the page keys (documented in help). */
extern const struct tui_binding tui_bindings[];
struct tui_pagekey {
	const char *keys, *help;
};
extern const struct tui_pagekey tui_pagekeys[];
const struct tui_binding *tui_binding_find(int key);

/* ---- fbar.c ---- */

void tui_fbar_draw(struct tui_ctx *x, struct tui_canvas *cv);
void tui_header_draw(struct tui_ctx *x, struct tui_canvas *cv);
void tui_help_draw(struct tui_ctx *x, struct tui_canvas *cv);

/* ---- tui.c ---- */

struct tui_opts {
	bool no_color;
	bool clock;
	int screen; /* 0-based first screen */
};
/* The SQL functions the lists use (tui_time) on s's connection. */
void tui_sql_register(struct store *s);
/* SQLite's progress handler, for cancellable queries. */
void tui_screen_progress(struct tui_ctx *x);
/* Run the TUI on the case at path; returns the exit status. */
int tui_run(const char *path, const struct tui_opts *o);

#endif
