/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tui.c: `drydock tui CASE`: open the case read-only, set the terminal
 * up, run the screen loop (screen.c), and put the terminal back however
 * the loop ends.
 */
#include "core/common.h"
#include "tui/tui.h"

#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"


/* tui_time(ns): "MM-DD HH:MM:SS.uuuuuu" in UTC, the lists' time column
 * (details show the full RFC 3339 time). */
static void
tui_sql_time(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	int64_t ns, s;
	struct tm tm;
	time_t t;
	char buf[40];
	long us;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
		sqlite3_result_null(cx);
		return;
	}
	ns = sqlite3_value_int64(argv[0]);
	s = ns / 1000000000;
	us = (long)((ns % 1000000000) / 1000);
	if (us < 0) {
		us += 1000000;
		s--;
	}
	t = (time_t)s;
	if (gmtime_r(&t, &tm) == NULL) {
		sqlite3_result_null(cx);
		return;
	}
	snprintf(buf, sizeof(buf), "%02d-%02d %02d:%02d:%02d.%06ld",
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us);
	sqlite3_result_text(cx, buf, -1, SQLITE_TRANSIENT);
}

void
tui_sql_register(struct store *s)
{
	sqlite3_create_function(s->db, "tui_time", 1, SQLITE_UTF8 |
	    SQLITE_DETERMINISTIC, NULL, tui_sql_time, NULL, NULL);
}

int
tui_run(const char *path, const struct tui_opts *o)
{
	struct dd_err e = DD_ERR_INIT;
	struct tui_ctx x;
	struct tui_term term;
	const char *lat = getenv("DRYDOCK_TUI_LATENCY_LOG");
	const char *nc = getenv("NO_COLOR");
	int64_t t0 = mono_ns();
	int rc;

	memset(&x, 0, sizeof(x));
	/* the case first: a bad path is named even without a terminal */
	if (store_open(path, STORE_RDONLY, &x.s, &e) < 0) {
		fprintf(stderr, "drydock tui: %s\n", e.msg);
		return 1;
	}
	if (!is_tty(0) || !is_tty(1)) {
		fprintf(stderr, "drydock tui: needs a terminal (stdin and "
		    "stdout); for scripts use 'drydock report' or "
		    "'drydock query'\n");
		store_close(x.s);
		return 1;
	}
	tui_sql_register(x.s);
	if (lat != NULL && *lat != '\0' && (x.latlog = fopen(lat, "a")) ==
	    NULL) {
		fprintf(stderr, "drydock tui: cannot open '%s' for the latency "
		    "log\n", lat);
		store_close(x.s);
		return 1;
	}
	x.case_path = path;
	x.partial_ns = 40 * 1000000ll;
	{
		const char *pm = getenv("DRYDOCK_TUI_PARTIAL_MS");
		int64_t v;
		if (pm != NULL && parse_i64(pm, &v) && v >= 0 && v < 100000)
			x.partial_ns = v * 1000000;
	}
	x.clock = o->clock;
	tui_screen_progress(&x);
	tui_snapshot(&x);
	if (tui_draw_init(&term, !o->no_color && (nc == NULL || *nc ==
	    '\0')) < 0) {
		fprintf(stderr, "drydock tui: cannot set the terminal up\n");
		store_close(x.s);
		return 1;
	}
	x.color = term.color;
	x.cv.utf8 = term.utf8;
	tui_screen_go(&x, 0);
	if (o->screen > 0)
		tui_screen_go(&x, o->screen);
	rc = tui_screen_loop(&x, t0);
	tui_draw_end();
	for (int i = 0; i < TUI_NSCREENS; i++)
		while (x.stack[i] != NULL) {
			struct tui_page *p = x.stack[i];
			x.stack[i] = p->below;
			p->ops->release(p);
		}
	tui_canvas_free(&x.cv);
	if (x.latlog != NULL)
		fclose(x.latlog);
	store_close(x.s);
	return rc;
}
