/* SPDX-License-Identifier: Apache-2.0 */
/*
 * canvas.c: the cell grid every page draws into (tmux's grid layer), and
 * the one place evidence text is made safe for a terminal.
 *
 * Safe text: the string is decoded as UTF-8 (RFC 3629: no overlong forms,
 * surrogates or code points past U+10FFFF). A byte that is not part of a
 * valid sequence is shown as \xNN; C0 controls and DEL as \t, \n, \r or
 * \xNN (so ESC is "\x1b" and no escape sequence reaches the terminal);
 * C1 controls, code points the locale cannot print and zero-width ones
 * (combining marks, bidirectional overrides, U+200B...) as \u{XXXX}. Wide
 * characters take two cells; one that would straddle the edge is not
 * drawn. On a terminal that does not take UTF-8 every non-ASCII code
 * point is shown as \u{XXXX}. A string cut to its width ends with "…"
 * ('>' in ASCII).
 */
#include "core/common.h"
#include "tui/tui.h"

#include <stdarg.h>
#include <wchar.h>

#include "core/util.h"
#include "core/xmalloc.h"

void
tui_canvas_resize(struct tui_canvas *cv, int w, int h)
{
	if (w < 1)
		w = 1;
	if (h < 1)
		h = 1;
	free(cv->c);
	cv->w = w;
	cv->h = h;
	cv->c = xcalloc((size_t)w * (size_t)h, sizeof(*cv->c));
	tui_canvas_clear(cv);
}

void
tui_canvas_free(struct tui_canvas *cv)
{
	free(cv->c);
	cv->c = NULL;
	cv->w = cv->h = 0;
}

void
tui_canvas_clear(struct tui_canvas *cv)
{
	for (int i = 0; i < cv->w * cv->h; i++) {
		cv->c[i].ch = ' ';
		cv->c[i].attr = 0;
	}
}

/* Put one code point of width w (1 or 2) at (x, y). */
static void
tui_canvas_put(struct tui_canvas *cv, int x, int y, uint32_t ch, int w,
    uint16_t attr)
{
	struct tui_cell *row;

	if (y < 0 || y >= cv->h || x < 0 || x + w > cv->w)
		return;
	row = cv->c + (size_t)y * (size_t)cv->w;
	/* Overwriting half of a wide character blanks the other half. */
	if (row[x].ch == 0 && x > 0)
		row[x - 1].ch = ' ';
	if (x + w < cv->w && row[x + w].ch == 0)
		row[x + w].ch = ' ';
	row[x].ch = ch;
	row[x].attr = attr;
	if (w == 2) {
		row[x + 1].ch = 0;
		row[x + 1].attr = attr;
	}
}

void
tui_canvas_fill(struct tui_canvas *cv, int x, int y, int n, uint16_t attr)
{
	if (n < 0 || x + n > cv->w)
		n = cv->w - x;
	for (int i = 0; i < n; i++)
		tui_canvas_put(cv, x + i, y, ' ', 1, attr);
}

/* One unit of safe output: either a printable code point of width 1 or 2
 * (esc[0] == 0) or an escape text in esc (width strlen). */
struct tui_unit {
	uint32_t cp;
	int w;
	char esc[16];
	int len; /* bytes of input consumed */
};

static void
tui_unit_next(const unsigned char *s, size_t n, bool utf8,
    struct tui_unit *u)
{
	uint32_t cp;
	int len = (int)utf8_decode(s, n, &cp), w;

	u->esc[0] = '\0';
	if (len == 0) {
		snprintf(u->esc, sizeof(u->esc), "\\x%02x", s[0]);
		u->len = 1;
		u->w = 4;
		return;
	}
	u->len = len;
	u->cp = cp;
	if (cp < 0x20 || cp == 0x7f) {
		if (cp == '\t')
			snprintf(u->esc, sizeof(u->esc), "\\t");
		else if (cp == '\n')
			snprintf(u->esc, sizeof(u->esc), "\\n");
		else if (cp == '\r')
			snprintf(u->esc, sizeof(u->esc), "\\r");
		else
			snprintf(u->esc, sizeof(u->esc), "\\x%02x", cp);
		u->w = (int)strlen(u->esc);
		return;
	}
	if (cp < 0x80) {
		u->w = 1;
		return;
	}
	w = (utf8 && cp >= 0xa0) ? wcwidth((wchar_t)cp) : -1;
	if (w <= 0 || w > 2) {
		snprintf(u->esc, sizeof(u->esc), "\\u{%04x}", cp);
		u->w = (int)strlen(u->esc);
		return;
	}
	u->w = w;
}

int
tui_text_width(const char *s, long len, bool utf8)
{
	size_t n = len < 0 ? strlen(s) : (size_t)len, i = 0;
	struct tui_unit u;
	int w = 0;

	while (i < n) {
		tui_unit_next((const unsigned char *)s + i, n - i, utf8, &u);
		w += u.w;
		i += (size_t)u.len;
	}
	return w;
}

int
tui_canvas_text(struct tui_canvas *cv, int x, int y, int maxw,
    const char *s, long len, uint16_t attr)
{
	size_t n, i = 0;
	struct tui_unit u;
	int used = 0, lim;
	bool cut;

	if (s == NULL || maxw <= 0 || y < 0 || y >= cv->h || x >= cv->w)
		return 0;
	if (x + maxw > cv->w)
		maxw = cv->w - x;
	n = len < 0 ? strlen(s) : (size_t)len;
	cut = tui_text_width(s, (long)n, cv->utf8) > maxw;
	lim = cut ? maxw - 1 : maxw;
	while (i < n) {
		tui_unit_next((const unsigned char *)s + i, n - i, cv->utf8,
		    &u);
		if (used + u.w > lim)
			break;
		if (u.esc[0] != '\0') {
			for (int j = 0; u.esc[j] != '\0'; j++)
				tui_canvas_put(cv, x + used + j, y,
				    (unsigned char)u.esc[j], 1, attr | TA_DIM);
		} else {
			tui_canvas_put(cv, x + used, y, u.cp, u.w, attr);
		}
		used += u.w;
		i += (size_t)u.len;
	}
	if (cut) {
		/* pad a gap left by a unit that did not fit */
		while (used < maxw - 1)
			tui_canvas_put(cv, x + used++, y, ' ', 1, attr);
		tui_canvas_put(cv, x + used++, y, cv->utf8 ? 0x2026 : '>', 1,
		    attr | TA_DIM);
	}
	return used;
}

int
tui_canvas_textf(struct tui_canvas *cv, int x, int y, int maxw,
    uint16_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tui_canvas_text(cv, x, y, maxw, buf, -1, attr);
}

int
tui_utf8_put(uint32_t cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

void
tui_canvas_row(const struct tui_canvas *cv, int y, char *buf, size_t cap)
{
	size_t o = 0, keep = 0;

	if (cap == 0)
		return;
	for (int x = 0; y >= 0 && y < cv->h && x < cv->w; x++) {
		const struct tui_cell *c = cv->c + (size_t)y * (size_t)cv->w +
		    x;
		char b[4];
		int n;
		if (c->ch == 0)
			continue;
		n = tui_utf8_put(c->ch, b);
		if (o + (size_t)n + 1 > cap)
			break;
		memcpy(buf + o, b, (size_t)n);
		o += (size_t)n;
		if (c->ch != ' ')
			keep = o;
	}
	buf[keep] = '\0';
}
