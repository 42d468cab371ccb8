/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-versions.c: version comparison per ecosystem (core/versions.h).
 *
 * Oracles: apk-tools' own vectors (the shared fixture
 * versions/apk-version.data, read at test time), dpkg --compare-versions
 * on pseudo-random pairs when /usr/bin/dpkg exists, rpm's rpmvercmp test
 * vectors, the ordered examples of PEP 440, SemVer 2.0.0 and Maven's
 * ComparableVersionTest (3.9), and order properties on hostile strings.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/versions.h"
#include "core/xmalloc.h"

extern char **environ;

static int
vt_sign(int r)
{
	return (r > 0) - (r < 0);
}

/* s with non-printable bytes escaped, at most 80 bytes of it, in buf. */
static const char *
vt_show(const char *s, char *buf, size_t cap)
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && i < 80 && o + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	if (s[i] != '\0' && o + 4 < cap)
		o += (size_t)snprintf(buf + o, cap - o, "...");
	buf[o] = '\0';
	return buf;
}

/* ver_cmp(s, a, b) has the sign want, and the mirrored call the other. */
static bool
vt_expect(struct test_ctx *t, enum ver_scheme s, const char *a, int want,
    const char *b, const char *file, int line)
{
	int r = vt_sign(ver_cmp(s, a, b)), back = vt_sign(ver_cmp(s, b, a));
	char ba[400], bb[400];

	t->checks++;
	if (r == want && back == -want)
		return true;
	return test_fail(t, file, line,
	    "scheme %d: cmp(\"%s\", \"%s\") = %d, reversed %d, want %d", s,
	    vt_show(a, ba, sizeof(ba)), vt_show(b, bb, sizeof(bb)), r, back,
	    want);
}

#define LT(s, a, b) vt_expect(t, (s), (a), -1, (b), __FILE__, __LINE__)
#define EQ(s, a, b) vt_expect(t, (s), (a), 0, (b), __FILE__, __LINE__)
#define GT(s, a, b) vt_expect(t, (s), (a), 1, (b), __FILE__, __LINE__)

/* Every earlier entry of v[0..n) is lower than every later one. */
static void
vt_chain(struct test_ctx *t, enum ver_scheme s, const char *const *v,
    size_t n, const char *file, int line)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		vt_expect(t, s, v[i], 0, v[i], file, line);
		for (j = i + 1; j < n; j++)
			vt_expect(t, s, v[i], -1, v[j], file, line);
	}
}

#define CHAIN(s, v) vt_chain(t, (s), (v), ARRAY_SIZE(v), __FILE__, __LINE__)

/* ---- scheme names ---- */

TEST(versions_scheme_of)
{
	CHECK_EQ_INT(ver_scheme_of("Debian"), VER_DPKG);
	CHECK_EQ_INT(ver_scheme_of("Debian:12"), VER_DPKG);
	CHECK_EQ_INT(ver_scheme_of("Ubuntu:22.04:LTS"), VER_DPKG);
	CHECK_EQ_INT(ver_scheme_of("Alpine"), VER_APK);
	CHECK_EQ_INT(ver_scheme_of("Alpine:v3.18"), VER_APK);
	CHECK_EQ_INT(ver_scheme_of("Wolfi"), VER_APK);
	CHECK_EQ_INT(ver_scheme_of("PyPI"), VER_PEP440);
	CHECK_EQ_INT(ver_scheme_of("npm"), VER_SEMVER);
	CHECK_EQ_INT(ver_scheme_of("Go"), VER_SEMVER);
	CHECK_EQ_INT(ver_scheme_of("crates.io"), VER_SEMVER);
	CHECK_EQ_INT(ver_scheme_of("NuGet"), VER_SEMVER);
	CHECK_EQ_INT(ver_scheme_of("Packagist"), VER_SEMVER);
	CHECK_EQ_INT(ver_scheme_of("Maven"), VER_MAVEN);
	CHECK_EQ_INT(ver_scheme_of("RubyGems"), VER_MAVEN);
	CHECK_EQ_INT(ver_scheme_of("Red Hat"), VER_RPM);
	CHECK_EQ_INT(ver_scheme_of("Red Hat:enterprise_linux:9::appstream"),
	    VER_RPM);
	CHECK_EQ_INT(ver_scheme_of("Rocky Linux:8"), VER_RPM);
	CHECK_EQ_INT(ver_scheme_of("AlmaLinux:9"), VER_RPM);
	CHECK_EQ_INT(ver_scheme_of("SUSE:Linux Enterprise Server 15 SP5"),
	    VER_RPM);
	CHECK_EQ_INT(ver_scheme_of("openSUSE"), VER_RPM);
	/* Case-sensitive, as OSV spells them; unknown is generic. */
	CHECK_EQ_INT(ver_scheme_of("debian"), VER_GENERIC);
	CHECK_EQ_INT(ver_scheme_of("PYPI"), VER_GENERIC);
	CHECK_EQ_INT(ver_scheme_of("Debian12"), VER_GENERIC);
	CHECK_EQ_INT(ver_scheme_of("Hackage"), VER_GENERIC);
	CHECK_EQ_INT(ver_scheme_of(""), VER_GENERIC);
	CHECK_EQ_INT(ver_scheme_of(":Debian"), VER_GENERIC);
	CHECK_EQ_INT(ver_scheme_of(NULL), VER_GENERIC);
}

/* ---- dpkg ---- */

TEST(versions_dpkg_table)
{
	static const char *const policy[] = {
		/* Policy 5.6.12's example: ~~ < ~~a < ~ < "" < a. */
		"1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a",
	};
	static const char *const chain[] = {
		"0", "0.1", "0.9", "0.10", "1.0~rc1", "1.0~rc2", "1.0",
		"1.0-0.1", "1.0-1~bpo1", "1.0-1", "1.0-1ubuntu1", "1.0-1+b1",
		"1.0-2", "1.0-10", "1.0a", "1.0+dfsg", "1.0.0", "1.0.1", "1.1",
		"10", "1:0.1", "1:1.0", "2:0",
	};

	CHAIN(VER_DPKG, policy);
	CHAIN(VER_DPKG, chain);
	EQ(VER_DPKG, "1.0", "0:1.0");
	EQ(VER_DPKG, "1.0", "1.0-0");
	EQ(VER_DPKG, "1.0", "1.00");
	EQ(VER_DPKG, "010", "10");
	EQ(VER_DPKG, " 1.0 ", "1.0");
	EQ(VER_DPKG, "1:1", "+1:1");
	/* dpkg --compare-versions: "" is a missing version, below all. */
	LT(VER_DPKG, "", "~");
	LT(VER_DPKG, "", "0");
	EQ(VER_DPKG, "", " ");
	EQ(VER_DPKG, "0", "0:0-0");
	/* Bytes >= 0x80 sort after letters, before ASCII punctuation. */
	LT(VER_DPKG, "1z", "1\x80");
	LT(VER_DPKG, "1\xff", "1.");
	GT(VER_DPKG, "1:1.0", "2.0");
	GT(VER_DPKG, "7.6p2-4", "7.6-0");
	GT(VER_DPKG, "1.0.3-3", "1.0-1");
	GT(VER_DPKG, "1.3", "1.2.2-2");
	GT(VER_DPKG, "1.1.6r2-2", "1.1.6r-1");
	GT(VER_DPKG, "2.6b2-1", "2.6b-2");
	LT(VER_DPKG, "98.1p5-1", "98.1-pre2-b6-2");
	GT(VER_DPKG, "0.4a6-2", "0.4-1");
	LT(VER_DPKG, "1:3.20-1", "1:3.20.1-1");
	LT(VER_DPKG, "1.0a", "1.0+");
	LT(VER_DPKG, "1.0-a", "1.0-+");
	/* Upstream takes everything up to the last hyphen. */
	EQ(VER_DPKG, "1-1-1", "1-1-1");
	GT(VER_DPKG, "1-1-1", "1-1");
	LT(VER_DPKG, "1-2-1", "1-10-1");
	/* ':' may appear in upstream after an epoch. */
	LT(VER_DPKG, "1:2:3", "1:2:4");
	/* Huge digit runs compare exactly. */
	LT(VER_DPKG, "99999999999999999999999", "100000000000000000000000");
	LT(VER_DPKG, "1.99999999999999999999999",
	    "1.100000000000000000000000");
	LT(VER_DPKG, "99999999999999999999999:1", "100000000000000000000000:0");

	CHECK(ver_valid(VER_DPKG, "1.0"));
	CHECK(ver_valid(VER_DPKG, "1:2.30-0ubuntu1~22.04"));
	CHECK(ver_valid(VER_DPKG, "1:2:3-4"));
	CHECK(ver_valid(VER_DPKG, " 1.0 "));
	CHECK(!ver_valid(VER_DPKG, ""));
	CHECK(!ver_valid(VER_DPKG, "   "));
	CHECK(!ver_valid(VER_DPKG, "a1.0"));
	CHECK(!ver_valid(VER_DPKG, "1.0-"));
	CHECK(!ver_valid(VER_DPKG, ":1.0"));
	CHECK(!ver_valid(VER_DPKG, "x:1.0"));
	CHECK(!ver_valid(VER_DPKG, "1:"));
	CHECK(!ver_valid(VER_DPKG, "1 0"));
	CHECK(!ver_valid(VER_DPKG, "1.0-1:2"));
	CHECK(!ver_valid(VER_DPKG, "1.0_1"));
	CHECK(!ver_valid(VER_DPKG, "99999999999:1.0"));
}

/* xorshift64*: a fixed-seed generator for reproducible pairs. */
static uint64_t
vt_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static size_t
vt_pick(uint64_t *s, size_t n)
{
	return (size_t)(vt_rand(s) % n);
}

/* A dpkg-ish version: an optional epoch, mostly a leading digit, then up
 * to 7 bytes of "0123456789.~+-:abz". */
static void
vt_gen_dpkg(uint64_t *rng, char *out)
{
	static const char alpha[] = "0123456789.~+-:abz";
	size_t n = 0, len, i;

	if (vt_pick(rng, 4) == 0) {
		out[n++] = (char)('0' + vt_pick(rng, 10));
		if (vt_pick(rng, 2))
			out[n++] = (char)('0' + vt_pick(rng, 10));
		out[n++] = ':';
	}
	out[n++] = vt_pick(rng, 10) ? (char)('0' + vt_pick(rng, 10)) :
				      alpha[vt_pick(rng, sizeof(alpha) - 1)];
	len = vt_pick(rng, 8);
	for (i = 0; i < len; i++)
		out[n++] = alpha[vt_pick(rng, sizeof(alpha) - 1)];
	out[n] = '\0';
}

/* b: a fresh version, or a one-byte edit of a (near pairs). */
static void
vt_gen_dpkg_pair(uint64_t *rng, const char *a, char *b)
{
	static const char alpha[] = "0123456789.~+-:abz";
	size_t n = strlen(a), at = vt_pick(rng, n + 1);

	switch (vt_pick(rng, 4)) {
	case 0:
		vt_gen_dpkg(rng, b);
		break;
	case 1: /* replace */
		memcpy(b, a, n + 1);
		if (at < n)
			b[at] = alpha[vt_pick(rng, sizeof(alpha) - 1)];
		break;
	case 2: /* insert */
		memcpy(b, a, at);
		b[at] = alpha[vt_pick(rng, sizeof(alpha) - 1)];
		memcpy(b + at + 1, a + at, n - at + 1);
		break;
	default: /* delete */
		memcpy(b, a, n + 1);
		if (at < n)
			memmove(b + at, b + at + 1, n - at);
		break;
	}
}

/* Exit status of dpkg --compare-versions a op b (0 true, 1 false, 2 bad
 * syntax), without a shell; -1 when it could not run. */
static int
vt_dpkg(const char *a, const char *op, const char *b)
{
	char *argv[] = { (char *)"dpkg", (char *)"--compare-versions",
		(char *)a, (char *)op, (char *)b, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&pid, "/usr/bin/dpkg", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(versions_dpkg_oracle)
{
	uint64_t rng = 0x5eed0f1dd0c4ULL;
	char a[32], b[32], sa[200], sb[200];
	int i, compared = 0, skipped = 0, bad = 0;

	if (access("/usr/bin/dpkg", X_OK) != 0) {
		printf("# skip: no /usr/bin/dpkg to compare with\n");
		return;
	}
	for (i = 0; i < 2000; i++) {
		int lt, eq, want, got;

		vt_gen_dpkg(&rng, a);
		vt_gen_dpkg_pair(&rng, a, b);
		/* dpkg would read a leading '-' as an option. */
		if (a[0] == '-' || b[0] == '-' ||
		    (lt = vt_dpkg(a, "lt", b)) == 2) {
			skipped++;
			continue;
		}
		eq = lt == 1 ? vt_dpkg(a, "eq", b) : 1;
		if (!CHECK(lt == 0 || lt == 1) || !CHECK(eq == 0 || eq == 1))
			return;
		want = lt == 0 ? -1 : eq == 0 ? 0 : 1;
		got = vt_sign(ver_cmp(VER_DPKG, a, b));
		compared++;
		if (got != want && bad++ < 20)
			FAIL("dpkg says \"%s\" %s \"%s\"; ver_cmp %d",
			    vt_show(a, sa, sizeof(sa)),
			    want < 0 ? "<" : want ? ">" : "=",
			    vt_show(b, sb, sizeof(sb)), got);
	}
	printf("# dpkg oracle: %d pairs compared, %d refused by dpkg, "
	       "%d disagreements\n", compared, skipped, bad);
	CHECK_EQ_INT(bad, 0);
	CHECK(compared >= 1000);
}

/* ---- apk: apk-tools' own vectors ---- */

enum { VT_LESS = 1, VT_EQUAL = 2, VT_GREATER = 4, VT_FUZZY = 8 };

/* apk's operator letters as a mask of acceptable results; 0 if unknown. */
static int
vt_apk_mask(const char *op)
{
	int m = 0;

	for (; *op != '\0'; op++) {
		switch (*op) {
		case '<': m |= VT_LESS; break;
		case '>': m |= VT_GREATER; break;
		case '=': m |= VT_EQUAL; break;
		case '~': m |= VT_FUZZY | VT_EQUAL; break;
		default: return 0;
		}
	}
	return m;
}

/*
 * One line of version.data, as apk-tools' test reads it: text after '#'
 * is a comment; "ver" must be valid, "!ver" invalid; "a op b" must hold
 * and "a !op b" must not, where op is made of < > = and ~ (fuzzy: a
 * version matches any version its tokens begin with). Returns false on
 * failure; *counted tells whether the line held a vector.
 */
static bool
vt_apk_line(struct test_ctx *t, char *line, int lineno, bool *counted)
{
	char *f[4], *hash = strchr(line, '#'), *p = line;
	size_t nf = 0;
	bool invert = false, ok;
	int mask, r;

	*counted = false;
	if (hash != NULL)
		*hash = '\0';
	while (nf < ARRAY_SIZE(f)) {
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		f[nf++] = p;
		p += strcspn(p, " \t\r\n");
		if (*p != '\0')
			*p++ = '\0';
	}
	if (nf == 0)
		return true;
	*counted = true;
	if (nf == 1) {
		invert = f[0][0] == '!';
		ok = ver_valid(VER_APK, f[0] + invert) != invert;
		if (!ok)
			FAIL("line %d: \"%s\" should be %svalid", lineno,
			    f[0] + invert, invert ? "in" : "");
		return ok;
	}
	if (nf != 3)
		return FAIL("line %d: cannot read %zu fields", lineno, nf);
	invert = f[1][0] == '!';
	if ((mask = vt_apk_mask(f[1] + invert)) == 0)
		return FAIL("line %d: unknown operator \"%s\"", lineno, f[1]);
	r = mask & VT_FUZZY ? ver_cmp_fuzzy(VER_APK, f[0], f[2]) :
			      ver_cmp(VER_APK, f[0], f[2]);
	ok = ((r < 0 ? VT_LESS : r > 0 ? VT_GREATER : VT_EQUAL) & mask) != 0;
	if (ok == invert)
		return FAIL("line %d: \"%s %s %s\" fails: ver_cmp gives %d",
		    lineno, f[0], f[1], f[2], vt_sign(r));
	/* The plain comparisons must also mirror. */
	if (!(mask & VT_FUZZY) &&
	    vt_sign(ver_cmp(VER_APK, f[2], f[0])) != -vt_sign(r))
		return FAIL("line %d: \"%s\" vs \"%s\" does not mirror", lineno,
		    f[0], f[2]);
	return true;
}

TEST(versions_apk_vectors)
{
	const char *dir = getenv("FIXTURES");
	char path[4096], line[1024];
	int lineno = 0, vectors = 0, failed = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/versions/apk-version.data",
	    dir != NULL ? dir : "../shared/fixtures");
	if ((fp = fopen(path, "r")) == NULL) {
		printf("# skip: %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		bool counted;

		lineno++;
		t->checks++;
		if (!vt_apk_line(t, line, lineno, &counted))
			failed++;
		vectors += counted;
	}
	fclose(fp);
	printf("# apk vectors: %d lines with a vector, %d failed\n", vectors,
	    failed);
	CHECK(vectors > 700);
}

TEST(versions_apk_table)
{
	static const char *const chain[] = {
		"0.1_alpha", "0.1_alpha2", "0.1_beta", "0.1_pre", "0.1_rc1",
		"0.1", "0.1-r1", "0.1_cvs", "0.1_svn", "0.1_git", "0.1_hg",
		"0.1_p1", "0.1a", "0.1.1", "1.0",
	};

	CHAIN(VER_APK, chain);
	EQ(VER_APK, "1.2.3-r0", "1.2.3-r0");
	LT(VER_APK, "1.2.3-r0", "1.2.3-r10");
	LT(VER_APK, "1.2.3~abc", "1.2.3~abd");
	GT(VER_APK, "1.2.3~abc-r1", "1.2.3-r1"); /* a hash outranks -rN */
	/* A dotted component with a leading zero compares as a string. */
	LT(VER_APK, "1.01", "1.1");
	LT(VER_APK, "1.09", "1.1");
	GT(VER_APK, "1.10", "1.9");
	LT(VER_APK, "99999999999999999999999", "100000000000000000000000");
	LT(VER_APK, "1_p99999999999999999999999", "1_p100000000000000000000000");
	/* Invalid tails still order, and distinct ones do not match. */
	LT(VER_APK, "1.0bc", "1.0bd");
	LT(VER_APK, "1.0", "1.0bc");
	GT(VER_APK, "1.0b", "1.0bc");
	EQ(VER_APK, "1.0bc", "1.0bc");
	/* Fuzzy: a version matches the prefixes of its tokens. */
	CHECK_EQ_INT(ver_cmp_fuzzy(VER_APK, "3.6.9", "3.6"), 0);
	CHECK(ver_cmp_fuzzy(VER_APK, "3.6", "3.6.9") < 0);
	CHECK(ver_cmp(VER_APK, "3.6.9", "3.6") > 0);
	CHECK_EQ_INT(ver_cmp_fuzzy(VER_DPKG, "3.6.9", "3.6"), 1);
}

/* ---- rpm ---- */

/* rpm's tests/rpmvercmp.at: a, b, rpmvercmp(a, b). */
static const struct {
	const char *a, *b;
	int want;
} vt_rpm_vectors[] = {
	{ "1.0", "1.0", 0 }, { "1.0", "2.0", -1 }, { "2.0.1", "2.0.1", 0 },
	{ "2.0", "2.0.1", -1 }, { "2.0.1a", "2.0.1a", 0 },
	{ "2.0.1a", "2.0.1", 1 }, { "5.5p1", "5.5p1", 0 },
	{ "5.5p1", "5.5p2", -1 }, { "5.5p10", "5.5p10", 0 },
	{ "5.5p1", "5.5p10", -1 }, { "10xyz", "10.1xyz", -1 },
	{ "xyz10", "xyz10", 0 }, { "xyz10", "xyz10.1", -1 },
	{ "xyz.4", "xyz.4", 0 }, { "xyz.4", "8", -1 }, { "xyz.4", "2", -1 },
	{ "5.5p2", "5.6p1", -1 }, { "5.6p1", "6.5p1", -1 },
	{ "6.0.rc1", "6.0", 1 }, { "10b2", "10a1", 1 }, { "10a2", "10b2", -1 },
	{ "1.0aa", "1.0aa", 0 }, { "1.0a", "1.0aa", -1 },
	{ "10.0001", "10.0001", 0 }, { "10.0001", "10.1", 0 },
	{ "10.0001", "10.0039", -1 }, { "4.999.9", "5.0", -1 },
	{ "20101121", "20101121", 0 }, { "20101121", "20101122", -1 },
	{ "2_0", "2_0", 0 }, { "2.0", "2_0", 0 }, { "a", "a", 0 },
	{ "a+", "a+", 0 }, { "a+", "a_", 0 }, { "+a", "+a", 0 },
	{ "+a", "_a", 0 }, { "+_", "+_", 0 }, { "_+", "+_", 0 },
	{ "+", "_", 0 }, { "1.0~rc1", "1.0~rc1", 0 }, { "1.0~rc1", "1.0", -1 },
	{ "1.0~rc1", "1.0~rc2", -1 }, { "1.0~rc1~git123", "1.0~rc1~git123", 0 },
	{ "1.0~rc1~git123", "1.0~rc1", -1 }, { "1.0^", "1.0^", 0 },
	{ "1.0^", "1.0", 1 }, { "1.0^git1", "1.0^git1", 0 },
	{ "1.0^git1", "1.0", 1 }, { "1.0^git1", "1.0^git2", -1 },
	{ "1.0^git1", "1.01", -1 }, { "1.0^20160101", "1.0^20160101", 0 },
	{ "1.0^20160101", "1.0.1", -1 },
	{ "1.0^20160101^git1", "1.0^20160101^git1", 0 },
	{ "1.0^20160102", "1.0^20160101^git1", 1 },
	{ "1.0~rc1^git1", "1.0~rc1^git1", 0 }, { "1.0~rc1^git1", "1.0~rc1", 1 },
	{ "1.0^git1~pre", "1.0^git1~pre", 0 }, { "1.0^git1", "1.0^git1~pre", 1 },
};

TEST(versions_rpm)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vt_rpm_vectors); i++)
		vt_expect(t, VER_RPM, vt_rpm_vectors[i].a,
		    vt_rpm_vectors[i].want, vt_rpm_vectors[i].b, __FILE__,
		    __LINE__);
	/* epoch:version-release */
	GT(VER_RPM, "1:1.0-1", "2.0-1");
	EQ(VER_RPM, "0:1.0-1", "1.0-1");
	EQ(VER_RPM, ":1.0-1", "1.0-1");
	LT(VER_RPM, "1.0-1.el8", "1.0-2.el8");
	LT(VER_RPM, "1.0-1.el8", "1.0-1.el8_1");
	LT(VER_RPM, "2.28-151.el8", "2.28-164.el8");
	GT(VER_RPM, "1.0.1-1", "1.0-9");
	LT(VER_RPM, "1.0", "1.0-1"); /* missing release: as "" */
	LT(VER_RPM, "1.0-1-1", "1.0-2-1"); /* release after the last '-' */
	LT(VER_RPM, "99999999999999999999999", "100000000000000000000000");
	LT(VER_RPM, "99999999999999999999999:0", "100000000000000000000000:0");
	CHECK(ver_valid(VER_RPM, "1:2.28-151.el8_9.1"));
	CHECK(ver_valid(VER_RPM, "1.0~rc1^git2"));
	CHECK(ver_valid(VER_RPM, "1.0"));
	CHECK(!ver_valid(VER_RPM, ""));
	CHECK(!ver_valid(VER_RPM, "1.0-"));
	CHECK(!ver_valid(VER_RPM, "1:"));
	CHECK(!ver_valid(VER_RPM, "1-2-3"));
	CHECK(!ver_valid(VER_RPM, "a:1.0"));
	CHECK(!ver_valid(VER_RPM, "1.0 beta"));
}

/* ---- PEP 440 ---- */

TEST(versions_pep440)
{
	/* PEP 440, "Summary of permitted suffixes and relative ordering". */
	static const char *const pep[] = {
		"1.dev0", "1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456",
		"1.0a12", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456",
		"1.0b2.post345", "1.0rc1.dev456", "1.0rc1", "1.0", "1.0+abc.5",
		"1.0+abc.7", "1.0+5", "1.0.post456.dev34", "1.0.post456",
		"1.0.15", "1.1.dev1",
	};
	/* The examples of PEP 440's "Version scheme" section. */
	static const char *const scheme[] = {
		"0.1", "0.2", "0.3", "1.0", "1.1", "1.1.1", "1.2", "2013.10",
		"2014.04", "1!1.0", "1!1.1", "2!0.1",
	};

	CHAIN(VER_PEP440, pep);
	CHAIN(VER_PEP440, scheme);
	EQ(VER_PEP440, "1.1", "1.1.0");
	LT(VER_PEP440, "1.0.0", "1.0.1");
	/* Normalisation. */
	EQ(VER_PEP440, "1.0alpha1", "1.0a1");
	EQ(VER_PEP440, "1.0-ALPHA.1", "1.0a1");
	EQ(VER_PEP440, "1.0beta2", "1.0b2");
	EQ(VER_PEP440, "1.0c1", "1.0rc1");
	EQ(VER_PEP440, "1.0pre1", "1.0rc1");
	EQ(VER_PEP440, "1.0preview1", "1.0rc1");
	EQ(VER_PEP440, "1.0a", "1.0a0");
	EQ(VER_PEP440, "1.0-1", "1.0.post1");
	EQ(VER_PEP440, "1.0.rev1", "1.0.post1");
	EQ(VER_PEP440, "1.0r1", "1.0.post1");
	EQ(VER_PEP440, "1.0-post-1", "1.0.post1");
	EQ(VER_PEP440, "1.0.post", "1.0.post0");
	EQ(VER_PEP440, "1.0-dev", "1.0.dev0");
	EQ(VER_PEP440, "v1.0", "1.0");
	EQ(VER_PEP440, " 1.0\n", "1.0");
	EQ(VER_PEP440, "0!1.0", "1.0");
	EQ(VER_PEP440, "1.0RC1", "1.0rc1");
	EQ(VER_PEP440, "1.0+ubuntu-1", "1.0+ubuntu.1");
	EQ(VER_PEP440, "1.0+ABC", "1.0+abc");
	EQ(VER_PEP440, "1.0+01", "1.0+1");
	EQ(VER_PEP440, "1.0.0.0", "1");
	LT(VER_PEP440, "1.0+abc", "1.0+abc.0");
	LT(VER_PEP440, "1.0+zzz", "1.0+0");
	LT(VER_PEP440, "99999999999999999999999", "100000000000000000000000");
	LT(VER_PEP440, "1.0a99999999999999999999999",
	    "1.0a100000000000000000000000");
	/* Invalid versions fall back to the generic rule. */
	LT(VER_PEP440, "1.0foo", "1.0goo");
	GT(VER_PEP440, "1.0foo", "1.0");
	CHECK(ver_valid(VER_PEP440, "1!2.0.0rc1.post2.dev3+local.7"));
	CHECK(ver_valid(VER_PEP440, "1.0a."));
	CHECK(ver_valid(VER_PEP440, "0"));
	CHECK(!ver_valid(VER_PEP440, ""));
	CHECK(!ver_valid(VER_PEP440, "1.0foo"));
	CHECK(!ver_valid(VER_PEP440, "1.0+"));
	CHECK(!ver_valid(VER_PEP440, "1.0+a..b"));
	CHECK(!ver_valid(VER_PEP440, "1.0-"));
	CHECK(!ver_valid(VER_PEP440, "1.0."));
	CHECK(!ver_valid(VER_PEP440, "1!"));
	CHECK(!ver_valid(VER_PEP440, "a1.0"));
}

/* ---- SemVer ---- */

TEST(versions_semver)
{
	/* SemVer 2.0.0, item 11. */
	static const char *const spec[] = {
		"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
		"1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
		"1.0.0", "2.0.0", "2.1.0", "2.1.1",
	};
	/* Go: a pseudo-version sorts below the release it precedes. */
	static const char *const go[] = {
		"v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", "v0.0.1",
		"v1.2.3", "v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4",
		"v2.0.0+incompatible-x.1",
	};

	CHAIN(VER_SEMVER, spec);
	CHAIN(VER_SEMVER, go);
	EQ(VER_SEMVER, "1.0.0+20130313144700", "1.0.0");
	EQ(VER_SEMVER, "1.0.0-beta+exp.sha.5114f85", "1.0.0-beta");
	EQ(VER_SEMVER, "v1.2.3", "1.2.3");
	EQ(VER_SEMVER, "v1", "1.0.0");
	EQ(VER_SEMVER, "v1.2", "1.2.0");
	EQ(VER_SEMVER, "0", "0.0.0");
	LT(VER_SEMVER, "1.0.0-1", "1.0.0-a");
	LT(VER_SEMVER, "1.0.0-A", "1.0.0-a");
	LT(VER_SEMVER, "1.0.0-2", "1.0.0-10");
	LT(VER_SEMVER, "1.0.0-x-y", "1.0.0-x-y.0");
	LT(VER_SEMVER, "99999999999999999999999.0.0",
	    "100000000000000000000000.0.0");
	/* Invalid SemVer compares by the generic rule. */
	LT(VER_SEMVER, "1.2.3.4", "1.2.3.5");
	GT(VER_SEMVER, "1.2.3.4", "1.2.3");
	CHECK(ver_valid(VER_SEMVER, "1.0.0-0a.1+build.01"));
	CHECK(ver_valid(VER_SEMVER, "v0.0.0-20191109021931-daa7c04131f5"));
	CHECK(ver_valid(VER_SEMVER, "1.2"));
	CHECK(!ver_valid(VER_SEMVER, "01.2.3"));
	CHECK(!ver_valid(VER_SEMVER, "1.02.3"));
	CHECK(!ver_valid(VER_SEMVER, "1.2.3-01"));
	CHECK(!ver_valid(VER_SEMVER, "1.2.3-"));
	CHECK(!ver_valid(VER_SEMVER, "1.2.3-a..b"));
	CHECK(!ver_valid(VER_SEMVER, "1.2.3+"));
	CHECK(!ver_valid(VER_SEMVER, "1.2.3.4"));
	CHECK(!ver_valid(VER_SEMVER, "1.2-pre"));
	CHECK(!ver_valid(VER_SEMVER, "1.2.3 "));
	CHECK(!ver_valid(VER_SEMVER, ""));
	CHECK(!ver_valid(VER_SEMVER, "v"));
}

/* ---- Maven ---- */

TEST(versions_maven)
{
	/* ComparableVersionTest (Maven 3.9): VERSIONS_QUALIFIER. */
	static const char *const qualifier[] = {
		"1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2",
		"1-beta123", "1-m2", "1-m11", "1-rc", "1-cr2", "1-rc123",
		"1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc", "1-def",
		"1-pom-1", "1-1-snapshot", "1-1", "1-2", "1-123",
	};
	/* VERSIONS_NUMBER. */
	static const char *const number[] = {
		"2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a",
		"2.1b", "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2",
		"11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a",
		"11b", "11c", "11m",
	};
	static const char *const equal[][2] = {
		{ "1", "1.0" }, { "1", "1.0.0" }, { "1.0", "1.0.0" },
		{ "1", "1-0" }, { "1", "1.0-0" }, { "1.0", "1.0-0" },
		{ "1a", "1-a" }, { "1a", "1.0-a" }, { "1a", "1.0.0-a" },
		{ "1.0a", "1-a" }, { "1.0.0a", "1-a" }, { "1x", "1-x" },
		{ "1x", "1.0-x" }, { "1x", "1.0.0-x" }, { "1.0x", "1-x" },
		{ "1.0.0x", "1-x" }, { "1ga", "1" }, { "1release", "1" },
		{ "1final", "1" }, { "1cr", "1rc" }, { "1a1", "1-alpha-1" },
		{ "1b2", "1-beta-2" }, { "1m3", "1-milestone-3" },
		{ "1X", "1x" }, { "1A", "1a" }, { "1B", "1b" }, { "1M", "1m" },
		{ "1Ga", "1" }, { "1GA", "1" }, { "1RELEASE", "1" },
		{ "1RELeaSE", "1" }, { "1Final", "1" }, { "1FinaL", "1" },
		{ "1FINAL", "1" }, { "1Cr", "1Rc" }, { "1cR", "1rC" },
		{ "1m3", "1Milestone3" }, { "1m3", "1MileStone3" },
		{ "1m3", "1MILESTONE3" },
		{ "1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ" },
		{ "0000000000000000001", "1" }, { "000000001", "1" },
		{ "0000000000000000000", "0" }, { "0000000000", "0" },
	};
	/* testVersionComparing. */
	static const char *const order[][2] = {
		{ "1", "2" }, { "1.5", "2" }, { "1", "2.5" }, { "1.0", "1.1" },
		{ "1.1", "1.2" }, { "1.0.0", "1.1" }, { "1.0.1", "1.1" },
		{ "1.1", "1.2.0" }, { "1.0-alpha-1", "1.0" },
		{ "1.0-alpha-1", "1.0-alpha-2" }, { "1.0-alpha-1", "1.0-beta-1" },
		{ "1.0-beta-1", "1.0-SNAPSHOT" }, { "1.0-SNAPSHOT", "1.0" },
		{ "1.0-alpha-1-SNAPSHOT", "1.0-alpha-1" }, { "1.0", "1.0-1" },
		{ "1.0-1", "1.0-2" }, { "1.0.0", "1.0-1" }, { "2.0-1", "2.0.1" },
		{ "2.0.1-klm", "2.0.1-lmn" }, { "2.0.1", "2.0.1-xyz" },
		{ "2.0.1", "2.0.1-123" }, { "2.0.1-xyz", "2.0.1-123" },
		/* MNG-5568 */
		{ "6.1.0rc3", "6.1.0" }, { "6.1.0rc3", "6.1H.5-beta" },
		{ "6.1.0", "6.1H.5-beta" },
		/* MNG-6572 */
		{ "20190126.230843", "1234567890.12345" },
		{ "1234567890.12345", "123456789012345.1H.5-beta" },
		{ "123456789012345.1H.5-beta", "12345678901234567890.1H.5-beta" },
		/* MNG-6964 */
		{ "1-0.alpha", "1" }, { "1-0.beta", "1" },
		{ "1-0.alpha", "1-0.beta" },
	};
	static const char *const x7644[] = {
		"abc", "alpha", "a", "beta", "b", "def", "milestone", "m", "RC",
	};
	size_t i;

	CHAIN(VER_MAVEN, qualifier);
	CHAIN(VER_MAVEN, number);
	for (i = 0; i < ARRAY_SIZE(equal); i++)
		EQ(VER_MAVEN, equal[i][0], equal[i][1]);
	for (i = 0; i < ARRAY_SIZE(order); i++)
		LT(VER_MAVEN, order[i][0], order[i][1]);
	for (i = 0; i < ARRAY_SIZE(x7644); i++) { /* MNG-7644 */
		char a[40], b[40], c[40];
		snprintf(a, sizeof(a), "1.0.0.%s1", x7644[i]);
		snprintf(b, sizeof(b), "1.0.0-%s2", x7644[i]);
		LT(VER_MAVEN, a, b);
		snprintf(a, sizeof(a), "2-%s", x7644[i]);
		snprintf(b, sizeof(b), "2.0.%s", x7644[i]);
		snprintf(c, sizeof(c), "2.0.0.%s", x7644[i]);
		EQ(VER_MAVEN, a, b);
		EQ(VER_MAVEN, a, c);
		EQ(VER_MAVEN, b, c);
	}
	/* Int, long and big numbers order by size class, as in Java. */
	GT(VER_MAVEN, "1.0000000000.1", "1.0.1");
	LT(VER_MAVEN, "99999999999999999999999", "100000000000000000000000");
	/* RubyGems maps here: prereleases sort below the release. */
	LT(VER_MAVEN, "7.1.0.rc1", "7.1.0");
	LT(VER_MAVEN, "7.1.0.beta1", "7.1.0.rc1");
	GT(VER_MAVEN, "7.0.4.1", "7.0.4");
	CHECK(ver_valid(VER_MAVEN, "1.0-SNAPSHOT"));
	CHECK(!ver_valid(VER_MAVEN, ""));
	CHECK(!ver_valid(VER_MAVEN, "1.0/2"));
	CHECK(!ver_valid(VER_MAVEN, "1.0 2"));
}

/*
 * ComparableVersion itself is not transitive: a qualifier is below a
 * sublist, an unknown qualifier above nothing, and a sublist starting
 * with "snapshot" below nothing. We keep Maven's answers (they are what
 * Maven resolves with), so the order check skips transitivity here.
 */
TEST(versions_maven_cycle)
{
	LT(VER_MAVEN, "1", "1-x");
	LT(VER_MAVEN, "1-x", "1-0-snapshot");
	LT(VER_MAVEN, "1-0-snapshot", "1");
}

/* ---- generic ---- */

TEST(versions_generic)
{
	static const char *const chain[] = {
		"", "0", "1", "1.0", "1.0.0", "1.0a", "1.1", "1.10", "2", "10",
		"a", "a1", "b",
	};

	CHAIN(VER_GENERIC, chain);
	EQ(VER_GENERIC, "1.01", "1.1");
	LT(VER_GENERIC, "99999999999999999999999", "100000000000000000000000");
	/* Unknown schemes compare generically. */
	CHECK(ver_cmp((enum ver_scheme)0, "1.0", "1.1") < 0);
	CHECK(ver_cmp((enum ver_scheme)99, "1.10", "1.9") > 0);
	CHECK(ver_valid(VER_GENERIC, "1.0-x"));
	CHECK(!ver_valid(VER_GENERIC, ""));
	CHECK(!ver_valid(VER_GENERIC, "1 0"));
	CHECK(!ver_valid(VER_GENERIC, "1\x01"));
}

/* ---- hostile input and order properties ---- */

static const enum ver_scheme vt_schemes[] = {
	VER_DPKG, VER_APK, VER_RPM, VER_PEP440, VER_SEMVER, VER_MAVEN,
	VER_GENERIC,
};

#define VT_SET 96
#define VT_STRLEN 2100

struct vt_set {
	char s[VT_SET][VT_STRLEN];
	size_t n;
};

static void
vt_set_add(struct vt_set *set, const char *s)
{
	if (set->n < VT_SET)
		snprintf(set->s[set->n++], VT_STRLEN, "%s", s);
}

/* Fixed hostile strings, shared by every scheme. */
static void
vt_set_hostile(struct vt_set *set)
{
	static const char *const fixed[] = {
		"", "~", "~~~~~~~~", "^", "^^", "-", "--", ":", "::", "+", "!",
		".", "..", "_", "0", "00", "1", "1-", "-1", "1:", ":1", "1::",
		"v", "V1", "a", "Z", "1.0", "1.0~", "1.0^", "1.0-r1", "1.0_rc1",
		"1!0", "1+", "1+.", "\x80", "\xff\xfe", "1.\xff", "1\x01",
		"\t1", "1 ", "99999999999999999999999",
		"100000000000000000000000", "0099999999999999999999999",
		"1.99999999999999999999999", "1.100000000000000000000000",
		"00000000000000000000000000000000000000000",
	};
	char *p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		vt_set_add(set, fixed[i]);
	/* Around the cap: 1024 bytes, 1025 and twice that. */
	if (set->n + 3 > VT_SET)
		return;
	p = set->s[set->n++];
	memset(p, '9', VER_MAX_LEN);
	p[VER_MAX_LEN] = '\0';
	p = set->s[set->n++];
	memset(p, '~', VER_MAX_LEN + 1);
	p[VER_MAX_LEN + 1] = '\0';
	p = set->s[set->n++];
	for (i = 0; i < 2 * VER_MAX_LEN; i++)
		p[i] = "1.-a"[i % 4];
	p[2 * VER_MAX_LEN] = '\0';
}

/* Pieces each scheme's random strings are made of. */
static const char *const *
vt_pieces(enum ver_scheme s, size_t *n)
{
	static const char *const dpkg[] = { "0", "1", "9", "10", ".", "~",
		"+", "-", ":", "a", "b", "z", "~~" };
	static const char *const apk[] = { "0", "1", "2", "10", "01", ".",
		"a", "b", "_alpha", "_beta", "_pre", "_rc", "_p", "_git",
		"_cvs", "-r", "~", "abc", "_", "-" };
	static const char *const rpm[] = { "0", "1", "2", "10", "01", ".",
		"~", "^", "-", ":", "_", "+", "a", "b", "rc" };
	static const char *const pep[] = { "0", "1", "2", "10", ".", "a",
		"b", "rc", "c", "alpha", "pre", "post", "dev", "-", "_", "+",
		"local", "v", "!", "r", "rev" };
	static const char *const sem[] = { "0", "1", "2", "10", "01", ".",
		"-", "+", "alpha", "beta", "rc", "v", "x-y", "A" };
	static const char *const mvn[] = { "0", "1", "2", "10", "00", ".",
		"-", "a", "b", "m", "alpha", "beta", "rc", "cr", "snapshot",
		"ga", "final", "sp", "xyz", "RC", "SP", "0000000000" };
	static const char *const gen[] = { "0", "1", "2", "10", "01", ".",
		"-", "a", "b", "~" };

	switch (s) {
	case VER_DPKG: *n = ARRAY_SIZE(dpkg); return dpkg;
	case VER_APK: *n = ARRAY_SIZE(apk); return apk;
	case VER_RPM: *n = ARRAY_SIZE(rpm); return rpm;
	case VER_PEP440: *n = ARRAY_SIZE(pep); return pep;
	case VER_SEMVER: *n = ARRAY_SIZE(sem); return sem;
	case VER_MAVEN: *n = ARRAY_SIZE(mvn); return mvn;
	default: *n = ARRAY_SIZE(gen); return gen;
	}
}

/* Fill the set up with random concatenations of the scheme's pieces,
 * mostly starting with a digit. */
static void
vt_set_random(struct vt_set *set, enum ver_scheme s, uint64_t *rng)
{
	size_t np, k, len;
	const char *const *pieces = vt_pieces(s, &np);

	while (set->n < VT_SET) {
		char *p = set->s[set->n++];
		p[0] = '\0';
		len = 1 + vt_pick(rng, 7);
		if (vt_pick(rng, 4) != 0)
			snprintf(p, VT_STRLEN, "%zu", vt_pick(rng, 12));
		for (k = 0; k < len; k++)
			snprintf(p + strlen(p), VT_STRLEN - strlen(p), "%s",
			    pieces[vt_pick(rng, np)]);
	}
}

/* Which part of the order a string is in: PEP 440 and SemVer order the
 * valid ones among themselves and fall back to the generic rule for the
 * rest; past the cap everything is generic. */
static int
vt_group(enum ver_scheme s, const char *v)
{
	if (strlen(v) > VER_MAX_LEN)
		return 2;
	if (s == VER_PEP440 || s == VER_SEMVER)
		return ver_valid(s, v) ? 1 : 0;
	return 0;
}

/* Reflexive, antisymmetric and (but for Maven, see versions_maven_cycle)
 * transitive as a total preorder within each group; reports at most a few
 * failures. */
static void
vt_check_order(struct test_ctx *t, enum ver_scheme s, struct vt_set *set)
{
	static signed char m[VT_SET][VT_SET];
	int g[VT_SET], bad = 0;
	size_t i, j, k, n = set->n;
	char b1[400], b2[400], b3[400];

	for (i = 0; i < n; i++) {
		g[i] = vt_group(s, set->s[i]);
		for (j = 0; j < n; j++)
			m[i][j] = (signed char)vt_sign(ver_cmp(s, set->s[i],
			    set->s[j]));
	}
	for (i = 0; i < n; i++) {
		if (m[i][i] != 0 && bad++ < 5)
			FAIL("scheme %d: \"%s\" != itself", s,
			    vt_show(set->s[i], b1, sizeof(b1)));
		for (j = 0; j < n; j++)
			if (m[i][j] != -m[j][i] && bad++ < 5)
				FAIL("scheme %d: \"%s\" vs \"%s\" not antisymmetric",
				    s, vt_show(set->s[i], b1, sizeof(b1)),
				    vt_show(set->s[j], b2, sizeof(b2)));
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			for (k = 0; k < n; k++) {
				if (s == VER_MAVEN || g[i] != g[j] ||
				    g[j] != g[k])
					continue;
				if (m[i][j] <= 0 && m[j][k] <= 0 &&
				    m[i][k] > 0 && bad++ < 5)
					FAIL("scheme %d: \"%s\" <= \"%s\" <= \"%s\" but not the ends",
					    s, vt_show(set->s[i], b1, sizeof(b1)),
					    vt_show(set->s[j], b2, sizeof(b2)),
					    vt_show(set->s[k], b3, sizeof(b3)));
			}
	t->checks++;
	CHECK_EQ_INT(bad, 0);
}

TEST(versions_hostile_order)
{
	static struct vt_set set;
	uint64_t rng = 0x0dd5ca1ab1e5ULL;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vt_schemes); i++) {
		set.n = 0;
		vt_set_hostile(&set);
		vt_set_random(&set, vt_schemes[i], &rng);
		vt_check_order(t, vt_schemes[i], &set);
	}
}

TEST(versions_hostile_values)
{
	char *big;
	size_t i, n = 1 << 20;

	/* NULL reads as "". */
	for (i = 0; i < ARRAY_SIZE(vt_schemes); i++) {
		CHECK_EQ_INT(ver_cmp(vt_schemes[i], NULL, ""), 0);
		CHECK_EQ_INT(ver_cmp(vt_schemes[i], NULL, NULL), 0);
		CHECK(!ver_valid(vt_schemes[i], NULL));
		CHECK(!ver_valid(vt_schemes[i], ""));
		LT(vt_schemes[i], "99999999999999999999999",
		    "100000000000000000000000");
		EQ(vt_schemes[i], "99999999999999999999999",
		    "99999999999999999999999");
	}
	/* Past the cap: generic, linear, and never valid. */
	big = xmalloc(n + 1);
	memset(big, '1', n);
	big[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(vt_schemes); i++) {
		CHECK(!ver_valid(vt_schemes[i], big));
		CHECK(ver_cmp(vt_schemes[i], big, "2") > 0);
		CHECK_EQ_INT(ver_cmp(vt_schemes[i], big, big), 0);
	}
	big[VER_MAX_LEN] = '\0';
	CHECK(ver_valid(VER_GENERIC, big));
	/* At the cap dpkg still compares by its own rule. */
	CHECK_EQ_INT(ver_cmp(VER_DPKG, big, "0:"), 1);
	memset(big, '~', VER_MAX_LEN);
	CHECK(ver_cmp(VER_DPKG, big, "0") < 0);
	big[VER_MAX_LEN] = '~';
	big[VER_MAX_LEN + 1] = '\0';
	CHECK(ver_cmp(VER_DPKG, big, "0") > 0); /* 1025 bytes: generic */
	free(big);
}
