/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-canvas.c: the TUI's safe text (tui/canvas.c) over hostile evidence
 * strings: the first byte picks a width and a terminal kind (UTF-8 or
 * ASCII), the rest is drawn at several offsets and widths, over what was
 * drawn before (wide characters half overwritten).
 *
 * Invariants (trap on violation): no cell holds a C0/C1 control or DEL; a
 * cell of code point 0 (a wide character's right half) follows a wide
 * one; the columns used never exceed the width asked; the measured width
 * equals the columns drawn when nothing is cut.
 */
#include "core/common.h"

#include <locale.h>
#include <stdlib.h>

#include "tui/tui.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	struct tui_canvas cv = { 0 };
	const char *s;
	size_t n;
	int w;

	if (!init) {
		setlocale(LC_CTYPE, "C.UTF-8");
		init = true;
	}
	if (size < 1)
		return 0;
	w = 1 + data[0] % 97;
	cv.utf8 = (data[0] & 0x80) == 0;
	s = (const char *)data + 1;
	n = size - 1;
	tui_canvas_resize(&cv, w, 3);
	for (int y = 0; y < 3; y++) {
		int x0 = y, mw = w - y * 2;
		int used = tui_canvas_text(&cv, x0, y, mw, s, (long)n, 0);
		int tw = tui_text_width(s, (long)n, cv.utf8);
		if (used > (mw > 0 ? mw : 0))
			__builtin_trap();
		if (tw <= mw && used != tw && x0 + tw <= w)
			__builtin_trap();
	}
	/* draw over the middle of the first row again */
	tui_canvas_text(&cv, w / 2, 0, w, s, (long)(n / 2), TA_BOLD);
	for (int i = 0; i < cv.w * cv.h; i++) {
		uint32_t c = cv.c[i].ch;
		if ((c != 0 && c < 0x20) || c == 0x7f || (c >= 0x80 && c < 0xa0))
			__builtin_trap();
		if (c == 0 && (i % cv.w == 0))
			__builtin_trap();
	}
	tui_canvas_free(&cv);
	return 0;
}
