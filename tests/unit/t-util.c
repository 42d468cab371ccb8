/* SPDX-License-Identifier: Apache-2.0 */
/* t-util.c: hex, SHA-256, time, display escaping, UTF-8 (core/util.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <fcntl.h>
#include <unistd.h>

#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/scan.h"
#include "core/util.h"
#include "core/xmalloc.h"

TEST(util_hex_round_trip)
{
	uint8_t in[256], out[256];
	char hex[513];
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	hex_encode(in, sizeof(in), hex);
	CHECK_EQ_INT(strlen(hex), 512);
	CHECK_MEM(hex, "000102030405060708090a0b0c0d0e0f10", 34);
	CHECK_EQ_STR(hex + 500, "fafbfcfdfeff");
	memset(out, 0, sizeof(out));
	CHECK(hex_decode(hex, out, sizeof(out)));
	CHECK_MEM(out, in, sizeof(in));

	hex_encode(in, 0, hex);
	CHECK_EQ_STR(hex, "");
	CHECK(hex_decode("", out, 0));

	/* Upper case is accepted on input. */
	CHECK(hex_decode("ABCDEF", out, 3));
	CHECK_MEM(out, "\xab\xcd\xef", 3);
	CHECK(hex_decode("aBcD", out, 2));
	CHECK_MEM(out, "\xab\xcd", 2);
}

TEST(util_hex_rejects)
{
	uint8_t out[4];

	CHECK(!hex_decode("abc", out, 2));	/* odd, short */
	CHECK(!hex_decode("abcdef", out, 2));	/* too long */
	CHECK(!hex_decode("ab", out, 2));	/* too short */
	CHECK(!hex_decode("", out, 1));
	CHECK(!hex_decode("zz", out, 1));
	CHECK(!hex_decode("0g", out, 1));
	CHECK(!hex_decode("g0", out, 1));
	CHECK(!hex_decode(" a", out, 1));
	CHECK(!hex_decode("a ", out, 1));
	CHECK(!hex_decode("-1", out, 1));
	CHECK(!hex_decode("0x", out, 1));
	CHECK(!hex_decode("\xc3\xa9", out, 1));
}

TEST(util_sha256)
{
	static const char abc_hex[] =
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char empty_hex[] =
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	uint8_t d[SHA256_LEN], d2[SHA256_LEN];
	char hex[SHA256_HEX];
	struct sha *h;

	sha256("abc", 3, d);
	hex_encode(d, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, abc_hex);
	sha256("", 0, d);
	hex_encode(d, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, empty_hex);

	/* Incremental equals one-shot, and final resets for reuse. */
	h = sha_new();
	sha_update(h, "a", 1);
	sha_update(h, "", 0);
	sha_update(h, "bc", 2);
	sha_final(h, d);
	hex_encode(d, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, abc_hex);
	sha_update(h, "abc", 3);
	sha_final(h, d2);
	CHECK_MEM(d2, d, SHA256_LEN);
	sha_final(h, d2);
	hex_encode(d2, SHA256_LEN, hex);
	CHECK_EQ_STR(hex, empty_hex);
	sha_free(h);
	sha_free(NULL);
}

TEST(util_time_parse_rfc3339)
{
	int64_t ns = 0;

	CHECK(time_parse("2024-01-02T03:04:05Z", &ns));
	CHECK_EQ_INT(ns, INT64_C(1704164645) * 1000000000);
	CHECK(time_parse("2024-01-02t03:04:05z", &ns));
	CHECK_EQ_INT(ns, INT64_C(1704164645) * 1000000000);
	CHECK(time_parse("2024-01-02 03:04:05Z", &ns));
	CHECK_EQ_INT(ns, INT64_C(1704164645) * 1000000000);
	CHECK(time_parse("1970-01-01T00:00:00Z", &ns));
	CHECK_EQ_INT(ns, 0);
	CHECK(time_parse("2000-02-29T12:00:00Z", &ns));
	CHECK_EQ_INT(ns, INT64_C(951825600) * 1000000000);
	/* Before the epoch. */
	CHECK(time_parse("1969-12-31T23:59:59Z", &ns));
	CHECK_EQ_INT(ns, INT64_C(-1000000000));
	/* A leap second is accepted. */
	CHECK(time_parse("2016-12-31T23:59:60Z", &ns));
}

TEST(util_time_parse_fraction)
{
	int64_t base = INT64_C(1704164645) * 1000000000, ns = 0;

	CHECK(time_parse("2024-01-02T03:04:05.5Z", &ns));
	CHECK_EQ_INT(ns, base + 500000000);
	CHECK(time_parse("2024-01-02T03:04:05.000000006Z", &ns));
	CHECK_EQ_INT(ns, base + 6);
	CHECK(time_parse("2024-01-02T03:04:05.123456789Z", &ns));
	CHECK_EQ_INT(ns, base + 123456789);
	CHECK(time_parse("2024-01-02T03:04:05.120Z", &ns));
	CHECK_EQ_INT(ns, base + 120000000);
	/* Digits past nanoseconds are dropped, not overflowed. */
	CHECK(time_parse("2024-01-02T03:04:05.1234567891234Z", &ns));
	CHECK_EQ_INT(ns, base + 123456789);
	CHECK(time_parse("1969-12-31T23:59:59.25Z", &ns));
	CHECK_EQ_INT(ns, INT64_C(-750000000));
}

TEST(util_time_parse_offsets)
{
	int64_t base = INT64_C(1704164645) * 1000000000, ns = 0;

	CHECK(time_parse("2024-01-02T03:04:05+00:00", &ns));
	CHECK_EQ_INT(ns, base);
	CHECK(time_parse("2024-01-02T04:04:05+01:00", &ns));
	CHECK_EQ_INT(ns, base);
	CHECK(time_parse("2024-01-01T21:34:05-05:30", &ns));
	CHECK_EQ_INT(ns, base);
	CHECK(time_parse("2024-01-02T08:49:05.5+05:45", &ns));
	CHECK_EQ_INT(ns, base + 500000000);
	CHECK(time_parse("2024-01-01T23:04:05-04:00", &ns));
	CHECK_EQ_INT(ns, base);
	/* -00:00 ("unknown local offset") is UTC. */
	CHECK(time_parse("2024-01-02T03:04:05-00:00", &ns));
	CHECK_EQ_INT(ns, base);
}

TEST(util_time_parse_integer)
{
	int64_t ns = 0;

	CHECK(time_parse("0", &ns));
	CHECK_EQ_INT(ns, 0);
	CHECK(time_parse("1704164645000000000", &ns));
	CHECK_EQ_INT(ns, INT64_C(1704164645000000000));
	CHECK(time_parse("-5", &ns));
	CHECK_EQ_INT(ns, -5);
	CHECK(!time_parse("99999999999999999999", &ns));
}

TEST(util_time_parse_rejects)
{
	static const char *const bad[] = {
		"",
		"garbage",
		"2024-",
		"2024-01-02",
		"2024-01-02T",
		"2024-01-02T03:04",
		"2024-01-02T03:04:05",	      /* no zone */
		"2024-01-02T03:04:05+01",     /* short offset */
		"2024-01-02T03:04:05+0100",   /* offset without colon */
		"2024-01-02T03:04:05.Z",      /* empty fraction */
		"2024-01-02T03:04:05Zjunk",
		"2024-01-02T03:04:05Z ",
		" 2024-01-02T03:04:05Z",
		"2024-1-02T03:04:05Z",
		"2024-01-2T03:04:05Z",
		"2024/01/02T03:04:05Z",
		"2024-01-02X03:04:05Z",
		"2024-13-02T03:04:05Z",
		"2024-00-02T03:04:05Z",
		"2024-01-00T03:04:05Z",
		"2024-01-32T03:04:05Z",
		"2024-01-02T24:00:00Z",
		"2024-01-02T03:60:05Z",
		"2024-01-02T03:04:61Z",
		"2024-01-02T03:04:05.5.5Z",
		"2024-01-02T03:04:05,5Z",
		"１２３",
		"12ab",
	};
	size_t i;
	int64_t ns;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ns = 42;
		if (time_parse(bad[i], &ns))
			FAIL("time_parse accepted '%s' as %" PRId64, bad[i],
			    ns);
	}
}

/*
 * RFC 3339 section 5.7: the day must exist in its month and the offset's
 * hours are 00-23 and minutes 00-59. A forensic time filter must not turn
 * "2024-02-30" silently into March 1st.
 */
TEST(util_time_parse_rejects_impossible)
{
	static const char *const bad[] = {
		"2023-02-29T00:00:00Z", /* not a leap year */
		"2024-02-30T00:00:00Z",
		"2024-04-31T00:00:00Z",
		"2024-01-02T03:04:05+24:00",
		"2024-01-02T03:04:05+01:60",
		"2024-01-02T03:04:05-99:99",
	};
	size_t i;
	int64_t ns;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ns = 42;
		if (time_parse(bad[i], &ns))
			FAIL("time_parse accepted '%s' as %" PRId64, bad[i],
			    ns);
	}
}

/*
 * Dates outside the int64 nanosecond range (1677-09-21 .. 2262-04-11) must
 * be rejected rather than overflow (signed overflow is undefined; the asan
 * build aborts on it).
 */
TEST(util_time_parse_out_of_range)
{
	int64_t ns = 42;

	CHECK(time_parse("2262-04-11T23:47:16.854775807Z", &ns));
	CHECK_EQ_INT(ns, INT64_MAX);
	CHECK(!time_parse("9999-12-31T23:59:59Z", &ns));
	CHECK(!time_parse("2262-04-11T23:47:17Z", &ns));
	CHECK(!time_parse("0000-01-01T00:00:00Z", &ns));
	CHECK(!time_parse("1677-09-21T00:12:43Z", &ns));
	/* The lowest representable instant (time_fmt_ns(INT64_MIN)). */
	CHECK(time_parse("1677-09-21T00:12:43.145224192Z", &ns));
	CHECK_EQ_INT(ns, INT64_MIN);
}

TEST(util_time_fmt_ns)
{
	char out[40];
	int64_t back = 0;
	static const int64_t vals[] = { 0, 1, -1, 999999999, 1000000000,
		INT64_C(1704164645000000006), INT64_C(-1000000000),
		INT64_C(-1500000000), INT64_MAX, INT64_MIN,
		INT64_C(951825600123456789) };
	size_t i;

	time_fmt_ns(0, out);
	CHECK_EQ_STR(out, "1970-01-01T00:00:00.000000000Z");
	time_fmt_ns(INT64_C(1704164645000000006), out);
	CHECK_EQ_STR(out, "2024-01-02T03:04:05.000000006Z");
	time_fmt_ns(-1, out);
	CHECK_EQ_STR(out, "1969-12-31T23:59:59.999999999Z");
	time_fmt_ns(INT64_C(-1500000000), out);
	CHECK_EQ_STR(out, "1969-12-31T23:59:58.500000000Z");
	time_fmt_ns(INT64_MAX, out);
	CHECK_EQ_STR(out, "2262-04-11T23:47:16.854775807Z");
	time_fmt_ns(INT64_MIN, out);
	CHECK_EQ_STR(out, "1677-09-21T00:12:43.145224192Z");
	/* Round trip through time_parse inside the safe range. */
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		if (vals[i] == INT64_MAX || vals[i] == INT64_MIN)
			continue;
		time_fmt_ns(vals[i], out);
		CHECK(time_parse(out, &back));
		CHECK_EQ_INT(back, vals[i]);
	}
}

TEST(util_time_parse_offset)
{
	int64_t ns = 0;

	CHECK(time_parse_offset("5", &ns));
	CHECK_EQ_INT(ns, INT64_C(5000000000));
	CHECK(time_parse_offset("+5s", &ns));
	CHECK_EQ_INT(ns, INT64_C(5000000000));
	CHECK(time_parse_offset("-3ms", &ns));
	CHECK_EQ_INT(ns, -3000000);
	CHECK(time_parse_offset("10us", &ns));
	CHECK_EQ_INT(ns, 10000);
	CHECK(time_parse_offset("7ns", &ns));
	CHECK_EQ_INT(ns, 7);
	CHECK(time_parse_offset("2m", &ns));
	CHECK_EQ_INT(ns, INT64_C(120000000000));
	CHECK(time_parse_offset("-1h", &ns));
	CHECK_EQ_INT(ns, INT64_C(-3600000000000));
	CHECK(time_parse_offset("0", &ns));
	CHECK_EQ_INT(ns, 0);
	CHECK(time_parse_offset("-0h", &ns));
	CHECK_EQ_INT(ns, 0);

	CHECK(!time_parse_offset("", &ns));
	CHECK(!time_parse_offset("s", &ns));
	CHECK(!time_parse_offset("+", &ns));
	CHECK(!time_parse_offset("-", &ns));
	CHECK(!time_parse_offset("5x", &ns));
	CHECK(!time_parse_offset("5 s", &ns));
	CHECK(!time_parse_offset(" 5", &ns));
	CHECK(!time_parse_offset("5sec", &ns));
	CHECK(!time_parse_offset("5S", &ns));
	CHECK(!time_parse_offset("++5", &ns));
	CHECK(!time_parse_offset("1.5s", &ns));
	CHECK(!time_parse_offset("5hh", &ns));
	/* Overflow of the product and of the number itself. */
	CHECK(!time_parse_offset("9223372036854775807h", &ns));
	CHECK(!time_parse_offset("3000000000h", &ns));
	CHECK(!time_parse_offset("99999999999999999999999999999999999s", &ns));
}

TEST(util_parse_int)
{
	int64_t v = 0;
	uint64_t u = 0;

	CHECK(parse_i64("0", &v) && v == 0);
	CHECK(parse_i64("-42", &v) && v == -42);
	CHECK(parse_i64("9223372036854775807", &v) && v == INT64_MAX);
	CHECK(parse_i64("-9223372036854775808", &v) && v == INT64_MIN);
	CHECK(!parse_i64("9223372036854775808", &v));
	CHECK(!parse_i64("", &v));
	CHECK(!parse_i64(NULL, &v));
	CHECK(!parse_i64("1x", &v));
	CHECK(!parse_i64("1 ", &v));
	CHECK(!parse_i64(" 1", &v));
	/* "Strict: whole string": no leading white space of any kind. */
	CHECK(!parse_i64("\t1", &v));
	CHECK(!parse_i64("\n1", &v));

	CHECK(parse_u64("18446744073709551615", &u) && u == UINT64_MAX);
	CHECK(parse_u64("7", &u) && u == 7);
	CHECK(!parse_u64("18446744073709551616", &u));
	CHECK(!parse_u64("-1", &u));
	CHECK(!parse_u64("+1", &u));
	CHECK(!parse_u64(" 1", &u));
	CHECK(!parse_u64("", &u));
	CHECK(!parse_u64(NULL, &u));
	CHECK(!parse_u64("0x10", &u));
}

TEST(util_time_now_fixed)
{
	const char *old = getenv("DRYDOCK_NOW");
	char *saved = old ? strdup(old) : NULL;
	int64_t a;

	setenv("DRYDOCK_NOW", "2024-01-02T03:04:05.5Z", 1);
	CHECK_EQ_INT(time_now_ns(), INT64_C(1704164645500000000));
	setenv("DRYDOCK_NOW", "12345", 1);
	CHECK_EQ_INT(time_now_ns(), 12345);
	/* Malformed: the real clock (after 2020). */
	setenv("DRYDOCK_NOW", "not a time", 1);
	a = time_now_ns();
	CHECK(a > INT64_C(1577836800) * 1000000000);
	unsetenv("DRYDOCK_NOW");
	CHECK(time_now_ns() > INT64_C(1577836800) * 1000000000);
	if (saved) {
		setenv("DRYDOCK_NOW", saved, 1);
		free(saved);
	}
}

/* esc_display of (p, n) as a string; owned. */
static char *
util_t_esc(const void *p, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	if (esc_display(&sb, p, n) < 0) {
		sbuf_release(&sb);
		return NULL;
	}
	return sbuf_detach(&sb, NULL);
}

#define CHECK_ESC(in, want)                                           \
	do {                                                          \
		char *got_ = util_t_esc((in), sizeof(in) - 1);        \
		CHECK_EQ_STR(got_, (want));                           \
		free(got_);                                           \
	} while (0)

TEST(util_esc_display)
{
	struct sbuf sb;

	/* ESC becomes the four characters \x1b. */
	CHECK_ESC("\x1b[31mred", "\\x1b[31mred");
	CHECK_ESC("plain text", "plain text");
	CHECK_ESC("", "");
	/* Valid UTF-8 is kept: é, €, U+1F600, U+00A0. */
	CHECK_ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa0");
	/* Control bytes, DEL and backslash. */
	CHECK_ESC("a\nb\tc\rd", "a\\x0ab\\x09c\\x0dd");
	CHECK_ESC("\x7f", "\\x7f");
	CHECK_ESC("\x00", "\\x00");
	CHECK_ESC("a\\b", "a\\\\b");
	/* Invalid bytes, one escape per byte. */
	CHECK_ESC("\xff\xfe", "\\xff\\xfe");
	CHECK_ESC("\x80", "\\x80");
	CHECK_ESC("\xc0\xaf", "\\xc0\\xaf");	  /* overlong '/' */
	CHECK_ESC("\xed\xa0\x80", "\\xed\\xa0\\x80"); /* surrogate */
	CHECK_ESC("x\xe2\x82", "x\\xe2\\x82");	  /* truncated at the end */
	CHECK_ESC("\xe2\x82x", "\\xe2\\x82x");	  /* truncated inside */
	/* C1 controls, CSI (U+009B) among them, never reach the terminal. */
	{
		char *got = util_t_esc("\xc2\x9b\x33\x31m", 5);
		CHECK(got != NULL);
		if (got) {
			CHECK(strstr(got, "\xc2\x9b") == NULL);
			CHECK(strchr(got, '\\') != NULL);
			CHECK_EQ_STR(got, "\\u009b31m");
		}
		free(got);
	}
	CHECK_ESC("\xc2\x80", "\\u0080");
	CHECK_ESC("\xc2\x9f", "\\u009f");
	/* Bidi overrides, isolates and marks, zero-width characters, line
	 * separators and the BOM are shown, never applied ("Trojan Source");
	 * their neighbours stay. */
	CHECK_ESC("evil\xe2\x80\xaetxt.exe", "evil\\u202etxt.exe");
	CHECK_ESC("\xe2\x81\xa6x\xe2\x81\xa9", "\\u2066x\\u2069");
	CHECK_ESC("a\xe2\x80\x8b" "b\xe2\x80\x8f" "c", "a\\u200bb\\u200fc");
	CHECK_ESC("\xe2\x80\xa8\xef\xbb\xbf\xd8\x9c",
	    "\\u2028\\ufeff\\u061c");
	CHECK_ESC("\xe2\x80\x94 \xe2\x80\xb0", "\xe2\x80\x94 \xe2\x80\xb0");
	/* The output is always valid, printable UTF-8. */
	{
		static const uint8_t all[] = { 0x00, 0x1b, 0x80, 0x9b, 0xc2,
			0x9b, 0xc2, 0xff, 0xe2, 0x82, 0xac, 0xf4, 0x90, 0x80,
			0x80, 0x7f, 'z' };
		char *got = util_t_esc(all, sizeof(all));
		size_t i, ctl = 0;
		CHECK(got != NULL);
		if (got) {
			CHECK(utf8_valid(got, strlen(got)));
			for (i = 0; got[i]; i++)
				ctl += (unsigned char)got[i] < 0x20 ||
				    got[i] == 0x7f;
			CHECK_EQ_INT(ctl, 0);
		}
		free(got);
	}
	/* The sbuf's cap is honoured. */
	sbuf_init(&sb, 3);
	CHECK_EQ_INT(esc_display(&sb, "\x1b", 1), DD_ELIMIT);
	CHECK(sb.len <= 3);
	sbuf_release(&sb);
}

TEST(util_utf8_valid)
{
	static const char *const good[] = {
		"",
		"ascii",
		"\xc2\x80",		/* U+0080 */
		"\xdf\xbf",		/* U+07FF */
		"\xe0\xa0\x80",		/* U+0800 */
		"\xed\x9f\xbf",		/* U+D7FF */
		"\xee\x80\x80",		/* U+E000 */
		"\xef\xbf\xbf",		/* U+FFFF */
		"\xf0\x90\x80\x80",	/* U+10000 */
		"\xf4\x8f\xbf\xbf",	/* U+10FFFF */
		"\xe2\x82\xac\xf0\x9f\x98\x80",
	};
	static const char *const bad[] = {
		"\x80",			/* lone continuation */
		"\xbf",
		"\xc0\x80",		/* overlong NUL */
		"\xc1\xbf",		/* overlong */
		"\xe0\x80\x80",		/* overlong 3-byte */
		"\xe0\x9f\xbf",		/* overlong U+07FF */
		"\xf0\x80\x80\x80",	/* overlong 4-byte */
		"\xf0\x8f\xbf\xbf",	/* overlong U+FFFF */
		"\xed\xa0\x80",		/* U+D800 */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\xfe",
		"\xff",
		"\xe2\x82",		/* truncated */
		"\xe2\x28\xa1",		/* bad continuation */
		"a\xc3",		/* truncated at the end */
		"\xc3\xa9\xc3",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!utf8_valid(good[i], strlen(good[i])))
			FAIL("utf8_valid rejected good[%zu]", i);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		if (utf8_valid(bad[i], strlen(bad[i])))
			FAIL("utf8_valid accepted bad[%zu]", i);
	/* NUL is valid UTF-8; the length decides, not the terminator. */
	CHECK(utf8_valid("a\0b", 3));
	CHECK(!utf8_valid("\xc3\xa9", 1));
	CHECK(utf8_valid("\xc3\xa9", 2));
	CHECK(utf8_valid(NULL, 0));
}

TEST(util_file_read_all)
{
	char *path = test_path(t, "f.txt"), *buf = NULL;
	struct dd_err e = DD_ERR_INIT;
	size_t len = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!CHECK(fd >= 0))
		return;
	CHECK_EQ_INT(write(fd, "ab\0cd", 5), 5);
	close(fd);
	CHECK_EQ_INT(file_read_all(path, 100, &buf, &len, &e), 0);
	CHECK_EQ_INT(len, 5);
	CHECK_MEM(buf, "ab\0cd", 5);
	free(buf);
	buf = NULL;
	CHECK_EQ_INT(file_read_all(path, 4, &buf, &len, &e), DD_ELIMIT);
	CHECK(buf == NULL);
	CHECK_EQ_INT(e.code, DD_ELIMIT);
	dd_err_clear(&e);
	CHECK_EQ_INT(file_read_all(test_path(t, "missing"), 100, &buf, &len,
			 &e),
	    DD_EIO);
	CHECK(strstr(e.msg, "missing") != NULL);
}

/* The naive scan scan_to2 must agree with. */
static const char *
naive_to2(const char *s, const char *end, char a, char b)
{
	while (s < end && *s != a && *s != b)
		s++;
	return s;
}

/* scan_to2 finds the first of two bytes at every position and span length
 * around its 16-byte steps, and reads nothing past the span (each span is
 * a heap block of exactly its length: ASan sees an over-read). */
TEST(util_scan_to2)
{
	for (size_t len = 0; len <= 50; len++) {
		for (size_t at = 0; at <= len; at++) { /* at == len: none */
			char *s = xmalloc(len ? len : 1);
			memset(s, 'x', len);
			if (at < len)
				s[at] = at % 2 ? '=' : ' ';
			if (at + 3 < len)
				s[at + 3] = '='; /* a later one is not it */
			CHECK(scan_to2(s, s + len, '=', ' ') == s + at);
			CHECK(scan_to(s, s + len, '=') ==
			    naive_to2(s, s + len, '=', '='));
			CHECK(scan_to(s, s + len, 'y') == s + len);
			free(s);
		}
	}
}

/* scan_to_bracket finds each of its bytes (and ',' only when asked) at
 * every position around its 16-byte steps, and no byte that differs from
 * one of them in the bits its pairs share (',' and ')' ... '{' and '['),
 * reading nothing past the span. */
TEST(util_scan_to_bracket)
{
	static const char hits[] = "\"()[]{}<>";
	int c;

	for (c = 1; c < 256; c++) {
		bool hit = c != ',' && strchr(hits, c) != NULL;
		for (size_t len = 1; len <= 40; len += 13) {
			for (size_t at = 0; at < len; at++) {
				char *s = xmalloc(len);
				memset(s, 'x', len);
				s[at] = (char)c;
				CHECK(scan_to_bracket(s, s + len, false) ==
				    (hit ? s + at : s + len));
				CHECK(scan_to_bracket(s, s + len, true) ==
				    (hit || c == ',' ? s + at : s + len));
				free(s);
			}
		}
	}
}
