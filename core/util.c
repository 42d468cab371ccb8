/* SPDX-License-Identifier: Apache-2.0 */
/* util.c: shared helpers; see util.h. */
#include "core/common.h"

#include <ctype.h>
#include "core/util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"

void
hex_encode(const uint8_t *p, size_t n, char *out)
{
	static const char dig[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = dig[p[i] >> 4];
		out[2 * i + 1] = dig[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
hex_decode(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return false;
	for (i = 0; i < n; i++) {
		int hi = hex_digit((unsigned char)s[2 * i]);
		int lo = hex_digit((unsigned char)s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

int64_t
time_now_ns(void)
{
	const char *fixed = getenv("DRYDOCK_NOW");
	struct timespec ts;
	int64_t ns;

	if (fixed != NULL && *fixed != '\0' && time_parse(fixed, &ns))
		return ns;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void
time_fmt_ns(int64_t ns, char out[40])
{
	struct tm tm;
	time_t sec;
	int64_t frac;

	sec = (time_t)(ns / 1000000000);
	frac = ns % 1000000000;
	if (frac < 0) {
		frac += 1000000000;
		sec -= 1;
	}
	if (gmtime_r(&sec, &tm) == NULL) {
		snprintf(out, 40, "%" PRId64, ns);
		return;
	}
	if (tm.tm_year + 1900 > 9999 || tm.tm_year + 1900 < 0) {
		snprintf(out, 40, "%" PRId64, ns);
		return;
	}
	snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ",
	    (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
	    tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, (int)frac);
}

static bool
time_digits(const char **s, int n, int *v)
{
	int i, x = 0;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return false;
		x = x * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*v = x;
	return true;
}

static bool
time_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
time_parse(const char *s, int64_t *ns)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 1;
	int64_t frac = 0, scale = 100000000, secs, v;
	struct tm tm;
	time_t t;

	if (parse_i64(s, ns))
		return true;
	if (!time_digits(&s, 4, &y) || *s++ != '-' || !time_digits(&s, 2, &mo) ||
	    *s++ != '-' || !time_digits(&s, 2, &d) ||
	    (*s != 'T' && *s != 't' && *s != ' '))
		return false;
	s++;
	if (!time_digits(&s, 2, &h) || *s++ != ':' || !time_digits(&s, 2, &mi) ||
	    *s++ != ':' || !time_digits(&s, 2, &sec))
		return false;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9') {
			frac += (*s - '0') * scale;
			scale /= 10;
			s++;
		}
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (!time_digits(&s, 2, &oh) || *s++ != ':' ||
		    !time_digits(&s, 2, &om) || oh > 23 || om > 59)
			return false;
	} else {
		return false;
	}
	if (*s != '\0' || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 ||
	    sec > 60)
		return false;
	if (d > mdays[mo - 1] + (mo == 2 && time_leap(y) ? 1 : 0))
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	secs = (int64_t)t - sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
	/* secs * 1e9 + frac must fit: split so the intermediate does. */
	if (secs < 0 && frac > 0) {
		secs += 1;
		frac -= 1000000000;
	}
	if (ckd_mul(&v, secs, (int64_t)1000000000) || ckd_add(&v, v, frac))
		return false;
	*ns = v;
	return true;
}

bool
time_parse_offset(const char *s, int64_t *ns)
{
	char num[32];
	size_t i = 0;
	int64_t v, mul = 1000000000;
	const char *u;

	if (*s == '+' || *s == '-')
		num[i++] = *s++;
	while (*s >= '0' && *s <= '9' && i < sizeof(num) - 1)
		num[i++] = *s++;
	num[i] = '\0';
	if (!parse_i64(num, &v))
		return false;
	u = s;
	if (*u == '\0' || strcmp(u, "s") == 0)
		mul = 1000000000;
	else if (strcmp(u, "ms") == 0)
		mul = 1000000;
	else if (strcmp(u, "us") == 0)
		mul = 1000;
	else if (strcmp(u, "ns") == 0)
		mul = 1;
	else if (strcmp(u, "m") == 0)
		mul = 60LL * 1000000000;
	else if (strcmp(u, "h") == 0)
		mul = 3600LL * 1000000000;
	else
		return false;
	return !ckd_mul(ns, v, mul);
}

bool
parse_i64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (s == NULL || !((*s >= '0' && *s <= '9') || *s == '-' || *s == '+'))
		return false;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*v = x;
	return true;
}

bool
parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*v = x;
	return true;
}

size_t
utf8_decode(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

static size_t
utf8_seq(const uint8_t *p, size_t n)
{
	uint32_t cp;

	return utf8_decode(p, n, &cp);
}

void
fmt_bytes(uint64_t n, char *out, size_t cap)
{
	if (n >= (1ull << 30))
		snprintf(out, cap, "%.1f GiB", (double)n / (1ull << 30));
	else if (n >= (1ull << 20))
		snprintf(out, cap, "%.1f MiB", (double)n / (1ull << 20));
	else if (n >= 1024)
		snprintf(out, cap, "%.1f KiB", (double)n / 1024);
	else
		snprintf(out, cap, "%" PRIu64 " B", n);
}

bool
utf8_valid(const void *vp, size_t n)
{
	const uint8_t *p = vp;
	size_t i = 0, k;

	while (i < n) {
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return false;
		i += k;
	}
	return true;
}

/* Characters that reorder or hide text on the screen without showing
 * themselves ("Trojan Source", CVE-2021-42574): the bidirectional
 * embeddings, overrides, isolates and marks, the zero-width characters,
 * the line and paragraph separators and the byte order mark. The code
 * point of the k-byte UTF-8 sequence at p, or 0 when it is none of them. */
static unsigned
esc_invisible(const uint8_t *p, size_t k)
{
	unsigned cp;

	if (k == 2 && p[0] == 0xd8 && p[1] == 0x9c)
		return 0x061c; /* ARABIC LETTER MARK */
	if (k != 3)
		return 0;
	cp = ((unsigned)(p[0] & 0x0f) << 12) | ((unsigned)(p[1] & 0x3f) << 6) |
	    (p[2] & 0x3f);
	if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff)
		return cp;
	return 0;
}

int
esc_display(struct sbuf *sb, const void *vp, size_t n)
{
	const uint8_t *p = vp;
	size_t i = 0, k;
	unsigned cp;
	int rc;

	while (i < n) {
		uint8_t c = p[i];
		if (c == '\\') {
			rc = sbuf_add(sb, "\\\\", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			rc = sbuf_addf(sb, "\\x%02x", c);
			i++;
		} else if ((k = utf8_seq(p + i, n - i)) == 0) {
			rc = sbuf_addf(sb, "\\x%02x", c);
			i++;
		} else if (k == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
			/* C1 controls (U+0080..U+009F) include CSI. */
			rc = sbuf_addf(sb, "\\u%04x", p[i + 1]);
			i += 2;
		} else if ((cp = esc_invisible(p + i, k)) != 0) {
			rc = sbuf_addf(sb, "\\u%04x", cp);
			i += k;
		} else {
			rc = sbuf_add(sb, p + i, k);
			i += k;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int
file_read_all(const char *path, size_t max, char **out, size_t *len,
    struct dd_err *e)
{
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd;

	sbuf_init(&sb, max);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return dd_err_set(e, DD_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (sbuf_add(&sb, buf, (size_t)n) < 0) {
			close(fd);
			sbuf_release(&sb);
			return dd_err_set(e, DD_ELIMIT,
			    "'%s' is larger than %zu bytes", path, max);
		}
	}
	close(fd);
	if (n < 0) {
		sbuf_release(&sb);
		return dd_err_set(e, DD_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	}
	*out = sbuf_detach(&sb, len);
	return 0;
}

bool
is_tty(int fd)
{
	return isatty(fd) == 1;
}

uint64_t
hash64(uint64_t seed, const void *vp, size_t n)
{
	const char *p = vp;
	uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ull), w;

	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	if (n > 0) {
		w = 0;
		memcpy(&w, p, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 31;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 29;
	return h ? h : 1;
}

bool
cgroup_container_id(const char *path, size_t n, char out[65])
{
	size_t i, run = 0, end = 0;
	bool found = false;

	/* The last run of exactly 64 hex digits, bounded by non-hex bytes. */
	for (i = 0; i <= n; i++) {
		int c = i < n ? (unsigned char)path[i] : 0;
		if (i < n && isxdigit(c)) {
			run++;
			continue;
		}
		if (run == 64) {
			end = i;
			found = true;
		}
		run = 0;
	}
	if (!found)
		return false;
	for (i = 0; i < 64; i++)
		out[i] = (char)tolower((unsigned char)path[end - 64 + i]);
	out[64] = 0;
	return true;
}

int
write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n > 0) {
		ssize_t k = write(fd, b, MIN(n, (size_t)8 << 20));
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}
