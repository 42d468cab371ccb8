/* SPDX-License-Identifier: Apache-2.0 */
/* t-tui.c: the TUI's drawing without a terminal: the canvas and its safe
 * text, the key table, and pages drawn into an in-memory grid from a real
 * case store (tui/). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <locale.h>

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/store.h"
#include "tui/tui.h"

static void
row(const struct tui_canvas *cv, int y, char *buf, size_t cap)
{
	tui_canvas_row(cv, y, buf, cap);
}

TEST(tui_canvas_plain)
{
	struct tui_canvas cv = { 0 };
	char b[256];
	int w;

	cv.utf8 = true;
	tui_canvas_resize(&cv, 20, 3);
	w = tui_canvas_text(&cv, 2, 1, 10, "hello", -1, TA_BOLD);
	CHECK_EQ_INT(w, 5);
	row(&cv, 1, b, sizeof(b));
	CHECK_EQ_STR(b, "  hello");
	CHECK_EQ_INT(cv.c[1 * 20 + 2].attr, TA_BOLD);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "");
	/* out of the grid: nothing, no crash */
	CHECK_EQ_INT(tui_canvas_text(&cv, 0, 5, 10, "x", -1, 0), 0);
	CHECK_EQ_INT(tui_canvas_text(&cv, 25, 0, 10, "x", -1, 0), 0);
	tui_canvas_free(&cv);
}

TEST(tui_canvas_escapes_controls)
{
	struct tui_canvas cv = { 0 };
	char b[256];

	cv.utf8 = true;
	tui_canvas_resize(&cv, 60, 2);
	/* an escape sequence that would recolour or retitle a terminal */
	tui_canvas_text(&cv, 0, 0, 60, "a\x1b[31mB\x1b]0;x\x07\t\n\x7f", -1,
	    0);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "a\\x1b[31mB\\x1b]0;x\\x07\\t\\n\\x7f");
	/* no cell holds a control character */
	for (int i = 0; i < cv.w * cv.h; i++)
		CHECK(cv.c[i].ch == 0 || cv.c[i].ch >= 0x20);
	/* escapes are dimmed so they read as markup */
	CHECK(cv.c[1].attr & TA_DIM);
	tui_canvas_free(&cv);
}

TEST(tui_canvas_bad_utf8)
{
	struct tui_canvas cv = { 0 };
	char b[256];

	cv.utf8 = true;
	tui_canvas_resize(&cv, 60, 1);
	/* a lone continuation, an overlong '/', a surrogate, a truncated
	 * sequence, a C1 control and a bidi override */
	tui_canvas_text(&cv, 0, 0, 60, "\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82|"
	    "\xc2\x9b|\xe2\x80\xae", -1, 0);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "\\x80|\\xc0\\xaf|\\xed\\xa0\\x80|\\xe2\\x82|\\u{009b}|"
	    "\\u{202e}");
	tui_canvas_free(&cv);
}

TEST(tui_canvas_wide_and_cut)
{
	struct tui_canvas cv = { 0 };
	char b[256];
	int w;

	cv.utf8 = true;
	tui_canvas_resize(&cv, 12, 2);
	/* CJK takes two cells each; é one */
	CHECK_EQ_INT(tui_text_width("\xe6\xbc\xa2\xe5\xad\x97\xc3\xa9", -1,
	    true), 5);
	w = tui_canvas_text(&cv, 0, 0, 12, "\xe6\xbc\xa2\xe5\xad\x97\xc3\xa9",
	    -1, 0);
	CHECK_EQ_INT(w, 5);
	CHECK_EQ_INT(cv.c[1].ch, 0); /* the right half */
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "\xe6\xbc\xa2\xe5\xad\x97\xc3\xa9");
	/* cut to 4 columns: one wide char, then a gap and the marker */
	tui_canvas_clear(&cv);
	w = tui_canvas_text(&cv, 0, 1, 4, "\xe6\xbc\xa2\xe5\xad\x97\xc3\xa9",
	    -1, 0);
	CHECK_EQ_INT(w, 4);
	row(&cv, 1, b, sizeof(b));
	CHECK_EQ_STR(b, "\xe6\xbc\xa2 \xe2\x80\xa6");
	/* an escape is never split by a cut */
	tui_canvas_clear(&cv);
	tui_canvas_text(&cv, 0, 0, 5, "ab\x1b" "cd", -1, 0);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "ab  \xe2\x80\xa6");
	/* overwriting half of a wide character blanks the other half */
	tui_canvas_clear(&cv);
	tui_canvas_text(&cv, 0, 0, 4, "\xe6\xbc\xa2", -1, 0);
	tui_canvas_text(&cv, 1, 0, 1, "x", -1, 0);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, " x");
	tui_canvas_free(&cv);
}

TEST(tui_canvas_ascii_terminal)
{
	struct tui_canvas cv = { 0 };
	char b[256];

	cv.utf8 = false;
	tui_canvas_resize(&cv, 30, 1);
	tui_canvas_text(&cv, 0, 0, 30, "caf\xc3\xa9 \xe6\xbc\xa2", -1, 0);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "caf\\u{00e9} \\u{6f22}");
	tui_canvas_clear(&cv);
	tui_canvas_text(&cv, 0, 0, 4, "abcdef", -1, 0);
	row(&cv, 0, b, sizeof(b));
	CHECK_EQ_STR(b, "abc>");
	tui_canvas_free(&cv);
}

TEST(tui_keys_table)
{
	char n[32];

	/* every key is bound once, so help cannot lie */
	for (const struct tui_binding *a = tui_bindings; a->key != 0; a++)
		for (const struct tui_binding *b = a + 1; b->key != 0; b++)
			CHECK(a->key != b->key);
	CHECK(tui_bindings[0].help != NULL);
	CHECK(tui_binding_find('q') != NULL);
	CHECK_EQ_INT(tui_binding_find('q')->action, TA_BACK);
	CHECK(tui_binding_find(TK_F(10))->action == TA_QUIT);
	tui_key_name(TK_DOWN, n, sizeof(n));
	CHECK_EQ_STR(n, "Down");
	tui_key_name(TK_F(3), n, sizeof(n));
	CHECK_EQ_STR(n, "F3");
	tui_key_name(TK_CTRL('f'), n, sizeof(n));
	CHECK_EQ_STR(n, "C-f");
	tui_key_name('/', n, sizeof(n));
	CHECK_EQ_STR(n, "/");
}

/* A case with findings, drawn through the real findings screen. */
static struct store *
tui_t_store(struct test_ctx *t, char *path, size_t cap)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;

	snprintf(path, cap, "%s/tui.drydock", t->tmpdir);
	if (!CHECK(store_open(path, STORE_CREATE | STORE_WRITE |
	    STORE_NOLOCK, &s, &e) == 0))
		return NULL;
	for (int i = 0; i < 300; i++) {
		char sql[512];
		snprintf(sql, sizeof(sql), "INSERT INTO findings(id, analyzer, "
		    "rule, severity, confidence, title, detail, ts) VALUES "
		    "('%032x', 'escape', 'rule.%03d', '%s', 0.5, 'title %d "
		    "\x1b[2J', 'd', %d)", i, i, i % 3 == 0 ? "high" : "low", i,
		    1000000000 + i);
		CHECK(sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK);
	}
	tui_sql_register(s);
	return s;
}

static bool
screen_has(const struct tui_canvas *cv, const char *needle)
{
	char b[1024];

	for (int y = 0; y < cv->h; y++) {
		tui_canvas_row(cv, y, b, sizeof(b));
		if (strstr(b, needle) != NULL)
			return true;
	}
	return false;
}

TEST(tui_list_pages)
{
	struct tui_ctx x;
	struct tui_page *p;
	char path[512];

	memset(&x, 0, sizeof(x));
	x.s = tui_t_store(t, path, sizeof(path));
	if (x.s == NULL)
		return;
	x.case_path = path;
	x.cv.utf8 = true;
	tui_canvas_resize(&x.cv, 140, 30);
	p = tui_views[1]->open(&x);
	p->ops->draw(p, &x, &x.cv, 2, 26);
	CHECK(screen_has(&x.cv, "by severity"));
	CHECK(screen_has(&x.cv, "rule.000"));
	/* evidence text shown escaped */
	CHECK(screen_has(&x.cv, "title 0 \\x1b[2J"));
	CHECK(screen_has(&x.cv, "1/"));
	/* End reads the last page backwards; the highs come first */
	p->ops->key(p, &x, TK_END);
	tui_canvas_clear(&x.cv);
	p->ops->draw(p, &x, &x.cv, 2, 26);
	CHECK(screen_has(&x.cv, "rule.299"));
	CHECK(!screen_has(&x.cv, "rule.000"));
	/* a filter: severity and a substring */
	p->ops->filter(p, &x, "severity=high rule~29");
	tui_list_idle(p, &x);
	tui_canvas_clear(&x.cv);
	p->ops->draw(p, &x, &x.cv, 2, 26);
	CHECK(screen_has(&x.cv, "rule.294"));
	CHECK(!screen_has(&x.cv, "rule.293"));
	CHECK(screen_has(&x.cv, "1/4")); /* 291 294 297 and 029 */
	/* a field that does not exist is refused, naming the fields */
	p->ops->filter(p, &x, "nosuch=1");
	CHECK(strstr(x.msg, "no field 'nosuch'") != NULL);
	CHECK(strstr(x.msg, "severity") != NULL);
	/* SQL in a value is a value */
	p->ops->filter(p, &x, "rule=\"'x' OR 1=1 --\"");
	tui_canvas_clear(&x.cv);
	p->ops->draw(p, &x, &x.cv, 2, 26);
	CHECK(screen_has(&x.cv, "0 rows"));
	/* paging down through every row and back keeps order */
	p->ops->filter(p, &x, NULL);
	tui_list_idle(p, &x);
	for (int i = 0; i < 299; i++)
		p->ops->key(p, &x, TK_DOWN);
	tui_canvas_clear(&x.cv);
	p->ops->draw(p, &x, &x.cv, 2, 26);
	CHECK(screen_has(&x.cv, "300/300"));
	p->ops->key(p, &x, TK_HOME);
	/* search beyond the window */
	p->ops->search(p, &x, "rule.250", 1);
	tui_canvas_clear(&x.cv);
	p->ops->draw(p, &x, &x.cv, 2, 26);
	CHECK(screen_has(&x.cv, "rule.250"));
	p->ops->release(p);
	tui_canvas_free(&x.cv);
	store_close(x.s);
}

TEST(tui_text_page)
{
	struct tui_ctx x;
	struct tui_canvas *cv = &x.cv;
	struct tui_page *p;
	static const uint8_t bytes[] = { 'A', 0, 0x1b, 0xff };

	memset(&x, 0, sizeof(x));
	cv->utf8 = true;
	tui_canvas_resize(cv, 80, 10);
	p = tui_text_new("t");
	tui_text_add(p, 0, "events", "7", "line %d", 1);
	tui_text_set_bytes(p, bytes, sizeof(bytes), true);
	tui_text_addn(p, 0, NULL, NULL, "raw\x1b]52;c;x\x07", 12);
	p->ops->draw(p, &x, cv, 0, 10);
	CHECK(screen_has(cv, "line 1"));
	CHECK(!screen_has(cv, "raw")); /* hex mode hides the text lines */
	CHECK(screen_has(cv, "00000000  41 00 1b ff"));
	CHECK(screen_has(cv, "|A...|"));
	CHECK(tui_text_toggle_hex(p));
	tui_canvas_clear(cv);
	p->ops->draw(p, &x, cv, 0, 10);
	CHECK(screen_has(cv, "raw\\x1b]52;c;x\\x07"));
	{
		const char *rel, *key;
		CHECK(p->ops->target(p, &rel, &key));
		CHECK_EQ_STR(rel, "events");
		CHECK_EQ_STR(key, "7");
	}
	p->ops->release(p);
	tui_canvas_free(cv);
}

TEST(tui_help_fits_80x24)
{
	struct tui_ctx x;
	char b[256];

	memset(&x, 0, sizeof(x));
	x.cv.utf8 = true;
	tui_canvas_resize(&x.cv, 80, 24);
	tui_help_draw(&x, &x.cv);
	CHECK(screen_has(&x.cv, "drydock tui: keys"));
	/* the last entries made it onto the grid */
	CHECK(screen_has(&x.cv, "mouse"));
	CHECK(screen_has(&x.cv, "F5"));
	tui_canvas_row(&x.cv, 2, b, sizeof(b));
	tui_canvas_free(&x.cv);
}

static void __attribute__((constructor))
tui_t_locale(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
}
