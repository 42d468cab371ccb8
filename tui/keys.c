/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keys.c: the one binding table of screen-wide keys (htop's
 * Action_setBindings) and the list of page keys; the `?` help overlay is
 * drawn from both, so it cannot drift from what the keys do.
 */
#include "core/common.h"
#include "tui/tui.h"

const struct tui_binding tui_bindings[] = {
	{ '1', TA_SCREEN, 0, "dashboard" },
	{ '2', TA_SCREEN, 1, "findings" },
	{ '3', TA_SCREEN, 2, "timeline" },
	{ '4', TA_SCREEN, 3, "processes" },
	{ '5', TA_SCREEN, 4, "syscalls" },
	{ '6', TA_SCREEN, 5, "network" },
	{ '7', TA_SCREEN, 6, "images" },
	{ '8', TA_SCREEN, 7, "containers" },
	{ '9', TA_SCREEN, 8, "custody" },
	{ TK_TAB, TA_NEXT_SCREEN, 0, "next screen" },
	{ TK_BTAB, TA_PREV_SCREEN, 0, "previous screen" },
	{ 'q', TA_BACK, 0, "back; on the dashboard, quit" },
	{ TK_BACKSPACE, TA_BACK, 0, NULL },
	{ TK_LEFT, TA_BACK, 0, NULL },
	{ 'h', TA_BACK, 0, NULL },
	{ TK_ESC, TA_BACK, 0, NULL },
	{ 'Q', TA_QUIT, 0, "quit at once" },
	{ TK_F(10), TA_QUIT, 0, NULL },
	{ '?', TA_HELP, 0, "this help" },
	{ TK_F(1), TA_HELP, 0, NULL },
	{ '/', TA_SEARCH, 0, "search the page (the dashboard: everywhere)" },
	{ TK_F(3), TA_SEARCH, 0, NULL },
	{ 'F', TA_FIND, 0, "find a text everywhere (every source)" },
	{ 'n', TA_NEXT_MATCH, 0, "next match" },
	{ 'N', TA_PREV_MATCH, 0, "previous match" },
	{ '\\', TA_FILTER, 0, "filter: field=value field~text field<N ..." },
	{ TK_F(4), TA_FILTER, 0, NULL },
	{ 'b', TA_BOOKMARK, 0, "bookmark the row (a tag, in custody)" },
	{ 't', TA_TAG, 0, "tag the row (in custody)" },
	{ 'a', TA_NOTE, 0, "annotate the row with a note (in custody)" },
	{ 'B', TA_BOOKMARKS, 0, "bookmarks, tags and notes" },
	{ TK_F(5), TA_RELOAD, 0, "reload the page" },
	{ TK_CTRL('l'), TA_REDRAW, 0, "redraw the terminal" },
	{ 0, TA_NONE, 0, NULL },
};

const struct tui_pagekey tui_pagekeys[] = {
	{ "Up Down j k", "move" },
	{ "PgUp PgDn C-b C-f Space", "page" },
	{ "Home End g G", "first, last row" },
	{ "Enter Right l", "open the row (drill down)" },
	{ "< > s", "previous, next tab (findings: sort order)" },
	{ "o", "show the row in its own screen" },
	{ "x", "hex / text (file content)" },
	{ "T", "jump to a time (timeline, syscalls)" },
	{ "+ -", "zoom the timeline's activity header" },
	{ "w", "write the flow's packets as pcap" },
	{ "V", "verify the case (custody)" },
	{ "mouse", "click selects, double-click opens, wheel scrolls" },
	{ NULL, NULL },
};

const struct tui_binding *
tui_binding_find(int key)
{
	for (const struct tui_binding *b = tui_bindings; b->key != 0; b++)
		if (b->key == key)
			return b;
	return NULL;
}

void
tui_key_name(int key, char *buf, size_t cap)
{
	static const char *const names[] = {
		[TK_UP - TK_BASE] = "Up", [TK_DOWN - TK_BASE] = "Down",
		[TK_LEFT - TK_BASE] = "Left", [TK_RIGHT - TK_BASE] = "Right",
		[TK_PGUP - TK_BASE] = "PgUp", [TK_PGDN - TK_BASE] = "PgDn",
		[TK_HOME - TK_BASE] = "Home", [TK_END - TK_BASE] = "End",
		[TK_ENTER - TK_BASE] = "Enter",
		[TK_BACKSPACE - TK_BASE] = "Backspace",
		[TK_DEL - TK_BASE] = "Del", [TK_TAB - TK_BASE] = "Tab",
		[TK_BTAB - TK_BASE] = "S-Tab", [TK_ESC - TK_BASE] = "Esc",
		[TK_RESIZE - TK_BASE] = "Resize", [TK_MOUSE - TK_BASE] = "Mouse",
	};

	if (key > TK_BASE && key < TK_F0 &&
	    (size_t)(key - TK_BASE) < ARRAY_SIZE(names) &&
	    names[key - TK_BASE] != NULL)
		snprintf(buf, cap, "%s", names[key - TK_BASE]);
	else if (key >= TK_F0 && key <= TK_F(63))
		snprintf(buf, cap, "F%d", key - TK_F0);
	else if (key == ' ')
		snprintf(buf, cap, "Space");
	else if (key > 0 && key < 0x20)
		snprintf(buf, cap, "C-%c", key + 'a' - 1);
	else if (key >= 0x21 && key < 0x7f)
		snprintf(buf, cap, "%c", key);
	else
		snprintf(buf, cap, "U+%04X", (unsigned)key);
}
