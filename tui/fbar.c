/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fbar.c: the screen tabs on top, the function-key bar at the bottom, and
 * the `?` help overlay drawn from the binding table (keys.c).
 */
#include "core/common.h"
#include "tui/tui.h"

#include <time.h>

void
tui_header_draw(struct tui_ctx *x, struct tui_canvas *cv)
{
	int xx = 0;
	const char *name = strrchr(x->case_path, '/');

	name = name != NULL ? name + 1 : x->case_path;
	tui_canvas_fill(cv, 0, 0, -1, TA_REV);
	static const char *const brief[TUI_NSCREENS] = { "Dash", "Find",
		"Time", "Proc", "Sys", "Net", "Img", "Ctr", "Cust" };
	bool narrow = cv->w < 110; /* 80 columns hold the short names */

	for (int i = 0; i < TUI_NSCREENS && xx < cv->w; i++) {
		uint16_t a = i == x->screen ? (TA_BOLD | TA_FG(TC_CYAN)) :
		    TA_REV;
		xx += tui_canvas_textf(cv, xx, 0, cv->w - xx, a, "%d %s ",
		    i + 1, narrow && i != x->screen ? brief[i] :
		    tui_views[i]->title);
	}
	if (x->clock && xx + 12 < cv->w) { /* --clock: the wall time, UTC */
		time_t now = time(NULL);
		struct tm tm;
		char t[16];
		if (gmtime_r(&now, &tm) != NULL) {
			strftime(t, sizeof(t), "%H:%M:%SZ", &tm);
			tui_canvas_text(cv, xx, 0, 10, t, -1, TA_REV);
			xx += 10;
		}
	}
	if (xx + 12 < cv->w) {
		int nw = tui_text_width(name, -1, cv->utf8);
		int room = cv->w - xx - 2;
		if (nw > room)
			nw = room;
		tui_canvas_text(cv, cv->w - nw - 1, 0, nw, name, -1,
		    TA_REV | TA_BOLD);
	}
}

void
tui_fbar_draw(struct tui_ctx *x, struct tui_canvas *cv)
{
	static const struct {
		const char *k, *label;
	} bar[] = {
		{ "F1", "Help" }, { "F3", "Search" }, { "F4", "Filter" },
		{ "F5", "Reload" }, { "Enter", "Open" }, { "q", "Back" },
		{ "b", "Bookmark" }, { "F10", "Quit" },
	};
	int y = cv->h - 1, xx = 0;

	(void)x;
	tui_canvas_fill(cv, 0, y, -1, 0);
	for (size_t i = 0; i < ARRAY_SIZE(bar) && xx < cv->w; i++) {
		xx += tui_canvas_text(cv, xx, y, cv->w - xx, bar[i].k, -1,
		    TA_BOLD);
		xx += tui_canvas_textf(cv, xx, y, cv->w - xx, TA_REV |
		    TA_FG(TC_CYAN), "%-8s", bar[i].label);
		xx += tui_canvas_text(cv, xx, y, cv->w - xx, " ", 1, 0);
	}
}

void
tui_help_draw(struct tui_ctx *x, struct tui_canvas *cv)
{
	int w = cv->w - 8, h = cv->h - 4, x0 = 4, y0 = 2, y, col = 0;
	char name[32];

	(void)x;
	for (int i = 0; i < h; i++)
		tui_canvas_fill(cv, x0, y0 + i, w, 0);
	tui_canvas_text(cv, x0 + 1, y0, w - 2, "drydock tui: keys (any key "
	    "closes this)", -1, TA_BOLD | TA_UL);
	y = y0 + 2;
	for (const struct tui_binding *b = tui_bindings; b->key != 0; b++) {
		char keys[64];
		const struct tui_binding *a;
		size_t o;
		if (b->help == NULL)
			continue;
		if (b->action == TA_SCREEN) { /* one line for the nine */
			if (b->arg == 0)
				tui_canvas_textf(cv, x0 + 1, y++, w / 2 - 1, 0,
				    "%-16s %s", "1-9", "the screens named "
				    "on top");
			continue;
		}
		tui_key_name(b->key, keys, sizeof(keys));
		o = strlen(keys);
		for (a = b + 1; a->key != 0 && a->help == NULL; a++) {
			tui_key_name(a->key, name, sizeof(name));
			o += (size_t)snprintf(keys + o, o < sizeof(keys) ?
			    sizeof(keys) - o : 0, " %s", name);
			if (o >= sizeof(keys))
				o = sizeof(keys) - 1;
		}
		if (y >= y0 + h - 1) {
			y = y0 + 2;
			col++;
		}
		tui_canvas_textf(cv, x0 + 1 + col * (w / 2), y, w / 2 - 1, 0,
		    "%-16s %s", keys, b->help);
		y++;
	}
	for (const struct tui_pagekey *k = tui_pagekeys; k->keys != NULL;
	    k++) {
		if (y >= y0 + h - 1) {
			y = y0 + 2;
			col++;
		}
		tui_canvas_textf(cv, x0 + 1 + col * (w / 2), y, w / 2 - 1, 0,
		    "%-16s %s", k->keys, k->help);
		y++;
	}
}
