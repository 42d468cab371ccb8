/* SPDX-License-Identifier: Apache-2.0 */
/*
 * draw.c: the only file that talks to curses (ncursesw). It puts a canvas
 * on the terminal (wnoutrefresh/doupdate: curses sends only what changed)
 * and turns curses key and mouse codes into enum tui_key.
 */
#define NCURSES_WIDECHAR 1
#include "core/common.h"
#include "tui/tui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>

int tui_mouse_x, tui_mouse_y, tui_mouse_kind;

static bool tui_draw_color;

int
tui_draw_init(struct tui_term *t, bool want_color)
{
	const char *cs;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	t->utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	if (initscr() == NULL)
		return -1;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
	    BUTTON5_PRESSED, NULL);
	mouseinterval(200);
	t->color = false;
	if (want_color && has_colors()) {
		static const short fg[] = { 0, COLOR_RED, COLOR_GREEN,
			COLOR_YELLOW, COLOR_BLUE, COLOR_MAGENTA, COLOR_CYAN,
			COLOR_WHITE };
		start_color();
		use_default_colors();
		for (short i = 1; i < 8; i++)
			init_pair(i, fg[i], -1);
		t->color = true;
	}
	tui_draw_color = t->color;
	return 0;
}

void
tui_draw_end(void)
{
	endwin();
}

void
tui_draw_size(int *w, int *h)
{
	getmaxyx(stdscr, *h, *w);
}

void
tui_draw_flush(const struct tui_canvas *cv, int curs_x, int curs_y)
{
	int w, h;

	getmaxyx(stdscr, h, w);
	for (int y = 0; y < cv->h && y < h; y++) {
		for (int x = 0; x < cv->w && x < w; x++) {
			const struct tui_cell *c = cv->c + (size_t)y *
			    (size_t)cv->w + x;
			wchar_t wc[2] = { (wchar_t)c->ch, 0 };
			attr_t a = 0;
			short pair = 0;
			cchar_t cc;
			if (c->ch == 0)
				continue;
			if (c->attr & TA_BOLD)
				a |= A_BOLD;
			if (c->attr & TA_REV)
				a |= A_REVERSE;
			if (c->attr & TA_DIM)
				a |= A_DIM;
			if (c->attr & TA_UL)
				a |= A_UNDERLINE;
			if (tui_draw_color)
				pair = (short)TA_FGOF(c->attr);
			setcchar(&cc, wc, a, pair, NULL);
			mvwadd_wch(stdscr, y, x, &cc);
		}
	}
	if (curs_x >= 0) {
		wmove(stdscr, curs_y, curs_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

static int
tui_draw_mouse(void)
{
	MEVENT m;

	if (getmouse(&m) != OK)
		return TK_NONE;
	tui_mouse_x = m.x;
	tui_mouse_y = m.y;
	if (m.bstate & BUTTON4_PRESSED)
		tui_mouse_kind = TM_WHEEL_UP;
	else if (m.bstate & BUTTON5_PRESSED)
		tui_mouse_kind = TM_WHEEL_DOWN;
	else if (m.bstate & BUTTON1_DOUBLE_CLICKED)
		tui_mouse_kind = TM_DOUBLE;
	else if (m.bstate & BUTTON1_CLICKED)
		tui_mouse_kind = TM_CLICK;
	else
		return TK_NONE;
	return TK_MOUSE;
}

int
tui_draw_key(int timeout_ms)
{
	wint_t c;
	int r;

	wtimeout(stdscr, timeout_ms);
	r = wget_wch(stdscr, &c);
	if (r == ERR)
		return TK_NONE;
	if (r == KEY_CODE_YES) {
		switch (c) {
		case KEY_UP: return TK_UP;
		case KEY_DOWN: return TK_DOWN;
		case KEY_LEFT: return TK_LEFT;
		case KEY_RIGHT: return TK_RIGHT;
		case KEY_PPAGE: return TK_PGUP;
		case KEY_NPAGE: return TK_PGDN;
		case KEY_HOME: case KEY_FIND: case KEY_A1: return TK_HOME;
		case KEY_END: case KEY_SELECT: case KEY_C1: return TK_END;
		case KEY_ENTER: return TK_ENTER;
		case KEY_BACKSPACE: return TK_BACKSPACE;
		case KEY_DC: return TK_DEL;
		case KEY_BTAB: return TK_BTAB;
		case KEY_RESIZE: return TK_RESIZE;
		case KEY_MOUSE: return tui_draw_mouse();
		default:
			if (c >= KEY_F(1) && c <= KEY_F(12))
				return TK_F((int)(c - KEY_F0));
			return TK_NONE;
		}
	}
	switch (c) {
	case '\r': case '\n': return TK_ENTER;
	case 127: case 8: return TK_BACKSPACE;
	case '\t': return TK_TAB;
	case 27: return TK_ESC;
	default: return (int)c;
	}
}

bool
tui_draw_pending(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };

	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}
