/* SPDX-License-Identifier: Apache-2.0 */
/*
 * versions.c: version comparison per package ecosystem (see versions.h
 * for the rules of each scheme).
 *
 * Every scheme works on (pointer, length) slices of the caller's strings
 * and never writes to them. dpkg, rpm, apk and the generic rule compare
 * while they scan; PEP 440 and SemVer parse into a few slices first;
 * Maven parses into a bounded item array on the stack. Digit runs are
 * never converted to integers: ver_numcmp() compares them by length
 * after leading zeros, then bytewise.
 *
 * The algorithms are written from the published rules (Debian policy
 * 5.6.12, PEP 440, SemVer 2.0.0, the Maven POM reference and
 * ComparableVersion's documented behaviour, rpm's and apk-tools' test
 * vectors); no code is taken from dpkg, rpm or apk-tools.
 */
#include "core/common.h"

#include "core/versions.h"

/* A slice of a caller's string. */
struct ver_sl {
	const char *p;
	size_t n;
};

/* A parse position: the rest of a slice. */
struct ver_cur {
	const char *p;
	const char *end;
};

/* ---- characters, runs and numbers ---- */

static bool
ver_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
ver_islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static bool
ver_isalpha(int c)
{
	return ver_islower(c) || (c >= 'A' && c <= 'Z');
}

static bool
ver_isalnum(int c)
{
	return ver_isdigit(c) || ver_isalpha(c);
}

static bool
ver_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
ver_ishexlower(int c)
{
	return ver_isdigit(c) || (c >= 'a' && c <= 'f');
}

static int
ver_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int
ver_sign(int r)
{
	return (r > 0) - (r < 0);
}

static int
ver_cmpint(int a, int b)
{
	return (a > b) - (a < b);
}

/* How many bytes at p[0..n) are of the class cls. */
static size_t
ver_span(const char *p, size_t n, bool (*cls)(int))
{
	size_t i;

	for (i = 0; i < n && cls((unsigned char)p[i]); i++)
		;
	return i;
}

/* Whether p[0..n) is non-empty and all of the class cls. */
static bool
ver_all(const char *p, size_t n, bool (*cls)(int))
{
	return n > 0 && ver_span(p, n, cls) == n;
}

/* Compare two digit runs as numbers of any length (empty = 0). */
static int
ver_numcmp(const char *a, size_t na, const char *b, size_t nb)
{
	for (; na > 0 && *a == '0'; a++, na--)
		;
	for (; nb > 0 && *b == '0'; b++, nb--)
		;
	if (na != nb)
		return na < nb ? -1 : 1;
	return na == 0 ? 0 : ver_sign(memcmp(a, b, na));
}

/* Compare bytes; a proper prefix sorts first. */
static int
ver_bytecmp(const char *a, size_t na, const char *b, size_t nb)
{
	int r = MIN(na, nb) == 0 ? 0 : memcmp(a, b, MIN(na, nb));

	if (r != 0)
		return ver_sign(r);
	return (na > nb) - (na < nb);
}

/* As ver_bytecmp with ASCII letters folded to lower case. */
static int
ver_casecmp(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++) {
		int ca = ver_lower((unsigned char)a[i]);
		int cb = ver_lower((unsigned char)b[i]);
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return (na > nb) - (na < nb);
}

/* Whether s[0..n) equals the lower-case word w, ignoring ASCII case. */
static bool
ver_caseeq(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && ver_casecmp(s, n, w, n) == 0;
}

/* s without leading and trailing ASCII space. */
static struct ver_sl
ver_trim(const char *s, size_t n)
{
	while (n > 0 && ver_isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && ver_isspace((unsigned char)s[n - 1]))
		n--;
	return (struct ver_sl){ s, n };
}

/* Take the part of *sl before the first byte of class sep and step past
 * that byte; the whole of *sl when there is none. */
static struct ver_sl
ver_pop(struct ver_sl *sl, bool (*sep)(int))
{
	struct ver_sl head = { sl->p, 0 };

	while (head.n < sl->n && !sep((unsigned char)sl->p[head.n]))
		head.n++;
	sl->p += head.n;
	sl->n -= head.n;
	if (sl->n > 0) {
		sl->p++;
		sl->n--;
	}
	return head;
}

/* ---- generic: digit runs numerically, other runs bytewise ---- */

static size_t
ver_generic_run(const char *s, bool digits)
{
	size_t n;

	for (n = 0; s[n] != '\0' && ver_isdigit((unsigned char)s[n]) == digits;
	    n++)
		;
	return n;
}

static int
ver_generic_cmp(const char *a, const char *b)
{
	for (;;) {
		bool da, db;
		size_t na, nb;
		int r;

		if (*a == '\0' || *b == '\0')
			return (*a != '\0') - (*b != '\0');
		da = ver_isdigit((unsigned char)*a);
		db = ver_isdigit((unsigned char)*b);
		if (da != db)
			return da ? -1 : 1;
		na = ver_generic_run(a, da);
		nb = ver_generic_run(b, db);
		r = da ? ver_numcmp(a, na, b, nb) : ver_bytecmp(a, na, b, nb);
		if (r != 0)
			return r;
		a += na;
		b += nb;
	}
}

static bool
ver_isgraph(int c)
{
	return c > ' ' && c < 0x7f;
}

static bool
ver_generic_valid(const char *v, size_t n)
{
	return ver_all(v, n, ver_isgraph);
}

/* ---- dpkg ---- */

struct ver_dpkg {
	struct ver_sl epoch; /* before the first ':' */
	struct ver_sl up;    /* upstream version */
	struct ver_sl rev;   /* after the last '-' */
	bool has_epoch, has_rev;
	bool blank;	     /* nothing but space: no version at all */
};

static void
ver_dpkg_split(const char *s, size_t n, struct ver_dpkg *v)
{
	struct ver_sl t = ver_trim(s, n);
	const char *colon = t.n ? memchr(t.p, ':', t.n) : NULL;
	const char *hyphen;

	v->blank = t.n == 0;
	v->has_epoch = colon != NULL;
	v->epoch = (struct ver_sl){ t.p, 0 };
	if (colon != NULL) {
		v->epoch.n = (size_t)(colon - t.p);
		t.n -= v->epoch.n + 1;
		t.p = colon + 1;
	}
	hyphen = t.n ? memrchr(t.p, '-', t.n) : NULL;
	v->has_rev = hyphen != NULL;
	v->up = t;
	v->rev = (struct ver_sl){ t.p + t.n, 0 };
	if (hyphen != NULL) {
		v->up.n = (size_t)(hyphen - t.p);
		v->rev.p = hyphen + 1;
		v->rev.n = t.n - v->up.n - 1;
	}
}

/*
 * The weight of a non-digit byte in verrevcmp: '~' first, then the end
 * (and digits, which never meet here), then letters, then other bytes.
 * dpkg computes c + 256 for "other" from a plain char, which is signed on
 * its reference platforms, so bytes >= 0x80 land between the letters and
 * ASCII punctuation; we reproduce that.
 */
static int
ver_dpkg_order(const char *p, const char *end)
{
	int c;

	if (p >= end)
		return 0;
	c = (unsigned char)*p;
	if (ver_isdigit(c))
		return 0;
	if (ver_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c >= 0x80 ? c : c + 256;
}

/* Policy 5.6.12: alternate non-digit and digit runs. */
static int
ver_dpkg_part(struct ver_sl a, struct ver_sl b)
{
	const char *pa = a.p, *ea = a.p + a.n, *pb = b.p, *eb = b.p + b.n;

	while (pa < ea || pb < eb) {
		size_t na, nb;
		int r;

		while ((pa < ea && !ver_isdigit((unsigned char)*pa)) ||
		    (pb < eb && !ver_isdigit((unsigned char)*pb))) {
			int oa = ver_dpkg_order(pa, ea), ob = ver_dpkg_order(pb, eb);
			if (oa != ob)
				return oa < ob ? -1 : 1;
			/* Equal weights here mean the same non-digit byte on
			 * both sides, so neither is at its end. */
			if (NEVER(pa >= ea || pb >= eb))
				return 0;
			pa++;
			pb++;
		}
		na = ver_span(pa, (size_t)(ea - pa), ver_isdigit);
		nb = ver_span(pb, (size_t)(eb - pb), ver_isdigit);
		if ((r = ver_numcmp(pa, na, pb, nb)) != 0)
			return r;
		pa += na;
		pb += nb;
	}
	return 0;
}

/* The epoch's digits: dpkg reads it with strtol, which takes a sign. */
static struct ver_sl
ver_dpkg_epoch(struct ver_sl e)
{
	if (e.n > 0 && (*e.p == '+' || *e.p == '-')) {
		e.p++;
		e.n--;
	}
	return e;
}

static int
ver_dpkg_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	struct ver_dpkg va, vb;
	int r;

	ver_dpkg_split(a, na, &va);
	ver_dpkg_split(b, nb, &vb);
	/* dpkg --compare-versions reads "" as a missing version, below all
	 * others (where the algorithm alone would say "" = "0"). */
	if (va.blank || vb.blank)
		return (int)vb.blank - (int)va.blank;
	/* On digits (the only valid epoch) this is numeric; on anything
	 * else it is still an order. */
	r = ver_dpkg_part(ver_dpkg_epoch(va.epoch), ver_dpkg_epoch(vb.epoch));
	if (r == 0)
		r = ver_dpkg_part(va.up, vb.up);
	if (r == 0)
		r = ver_dpkg_part(va.rev, vb.rev);
	return r;
}

static bool
ver_dpkg_upchar(int c)
{
	return ver_isalnum(c) || (c != '\0' && strchr(".-+~:", c) != NULL);
}

static bool
ver_dpkg_revchar(int c)
{
	return ver_isalnum(c) || (c != '\0' && strchr(".+~", c) != NULL);
}

static bool
ver_dpkg_valid(const char *s, size_t n)
{
	struct ver_sl t = ver_trim(s, n);
	struct ver_dpkg v;
	size_t i;

	for (i = 0; i < t.n; i++)
		if (ver_isspace((unsigned char)t.p[i]))
			return false;
	ver_dpkg_split(s, n, &v);
	if (v.has_epoch && (!ver_all(v.epoch.p, v.epoch.n, ver_isdigit) ||
	    ver_numcmp(v.epoch.p, v.epoch.n, "2147483647", 10) > 0))
		return false;
	if (v.up.n == 0 || !ver_isdigit((unsigned char)*v.up.p) ||
	    !ver_all(v.up.p, v.up.n, ver_dpkg_upchar))
		return false;
	return !v.has_rev || ver_all(v.rev.p, v.rev.n, ver_dpkg_revchar);
}

/* ---- apk ---- */

/*
 * Token kinds in the order apk-tools gives them: a version is a sequence
 * whose kinds never go down (except digits after a suffix name), and when
 * two versions first differ in kind, the higher kind is the lower version
 * (the end and an invalid token are the highest), except that a
 * pre-release suffix is lower than anything.
 */
enum ver_apk_kind {
	VER_APK_FIRST,	   /* the leading number */
	VER_APK_DIGIT,	   /* .N */
	VER_APK_LETTER,	   /* one lower-case letter */
	VER_APK_SUFFIX,	   /* _name */
	VER_APK_SUFFIX_NO, /* the number after a suffix name */
	VER_APK_HASH,	   /* ~hex */
	VER_APK_REV,	   /* -rN */
	VER_APK_END,
	VER_APK_BAD
};

/* Suffix ranks; "no suffix" (the release) would be VER_APK_RELEASE. */
static const char *const ver_apk_suffixes[] = {
	"alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p",
};
#define VER_APK_RELEASE 4

struct ver_apk {
	struct ver_cur c;   /* the rest of the version */
	int kind;	    /* of the current token */
	int suffix;	    /* rank, when kind is VER_APK_SUFFIX */
	struct ver_sl tok;  /* the token's digits, letter, name or hash */
};

/* Take the run of class cls at the cursor as the token. */
static void
ver_apk_take(struct ver_apk *t, bool (*cls)(int))
{
	t->tok.p = t->c.p;
	t->tok.n = ver_span(t->c.p, (size_t)(t->c.end - t->c.p), cls);
	t->c.p += t->tok.n;
}

/* A number token of the given kind; invalid when there are no digits. */
static void
ver_apk_number(struct ver_apk *t, int kind)
{
	ver_apk_take(t, ver_isdigit);
	t->kind = t->tok.n > 0 ? kind : VER_APK_BAD;
}

static int
ver_apk_suffix_rank(struct ver_sl name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ver_apk_suffixes); i++)
		if (i != VER_APK_RELEASE &&
		    ver_bytecmp(name.p, name.n, ver_apk_suffixes[i],
			strlen(ver_apk_suffixes[i])) == 0)
			return (int)i;
	return -1;
}

static void
ver_apk_first(struct ver_apk *t, const char *s, size_t n)
{
	t->c = (struct ver_cur){ s, s + n };
	t->suffix = 0;
	ver_apk_number(t, VER_APK_FIRST);
}

/* Step to the next token; what may follow depends on the current kind. */
static void
ver_apk_next(struct ver_apk *t)
{
	int prev = t->kind, c;

	if (t->c.p == t->c.end) {
		t->kind = VER_APK_END;
		return;
	}
	c = (unsigned char)*t->c.p;
	if (ver_islower(c) && prev <= VER_APK_DIGIT) {
		t->tok = (struct ver_sl){ t->c.p++, 1 };
		t->kind = VER_APK_LETTER;
	} else if (c == '.' && prev <= VER_APK_DIGIT) {
		t->c.p++;
		ver_apk_number(t, VER_APK_DIGIT);
	} else if (ver_isdigit(c) && prev == VER_APK_SUFFIX) {
		ver_apk_number(t, VER_APK_SUFFIX_NO);
	} else if (c == '_' && prev <= VER_APK_SUFFIX_NO) {
		t->c.p++;
		ver_apk_take(t, ver_islower);
		t->suffix = ver_apk_suffix_rank(t->tok);
		t->kind = t->suffix < 0 ? VER_APK_BAD : VER_APK_SUFFIX;
	} else if (c == '~' && prev < VER_APK_HASH) {
		t->c.p++;
		ver_apk_take(t, ver_ishexlower);
		t->kind = t->tok.n > 0 ? VER_APK_HASH : VER_APK_BAD;
	} else if (c == '-' && prev < VER_APK_REV &&
	    t->c.end - t->c.p >= 2 && t->c.p[1] == 'r') {
		t->c.p += 2;
		ver_apk_number(t, VER_APK_REV);
	} else {
		t->kind = VER_APK_BAD;
	}
}

/* Compare two tokens of the same kind. */
static int
ver_apk_tokcmp(const struct ver_apk *a, const struct ver_apk *b)
{
	switch (a->kind) {
	case VER_APK_DIGIT:
		/* A component with a leading zero compares as a string. */
		if (*a->tok.p == '0' || *b->tok.p == '0')
			return ver_bytecmp(a->tok.p, a->tok.n, b->tok.p,
			    b->tok.n);
		return ver_numcmp(a->tok.p, a->tok.n, b->tok.p, b->tok.n);
	case VER_APK_FIRST:
	case VER_APK_SUFFIX_NO:
	case VER_APK_REV:
		return ver_numcmp(a->tok.p, a->tok.n, b->tok.p, b->tok.n);
	case VER_APK_LETTER:
	case VER_APK_HASH:
		return ver_bytecmp(a->tok.p, a->tok.n, b->tok.p, b->tok.n);
	case VER_APK_SUFFIX:
		return ver_cmpint(a->suffix, b->suffix);
	default:
		return 0;
	}
}

/* The order of two versions whose tokens first differ in kind. */
static int
ver_apk_kindcmp(const struct ver_apk *a, const struct ver_apk *b)
{
	if (a->kind == VER_APK_SUFFIX && a->suffix < VER_APK_RELEASE)
		return -1;
	if (b->kind == VER_APK_SUFFIX && b->suffix < VER_APK_RELEASE)
		return 1;
	return a->kind > b->kind ? -1 : 1;
}

static int
ver_apk_cmp(const char *a, size_t na, const char *b, size_t nb, bool fuzzy)
{
	struct ver_apk ta, tb;
	int r;

	ver_apk_first(&ta, a, na);
	ver_apk_first(&tb, b, nb);
	while (ta.kind == tb.kind && ta.kind < VER_APK_END) {
		if ((r = ver_apk_tokcmp(&ta, &tb)) != 0)
			return r;
		ver_apk_next(&ta);
		ver_apk_next(&tb);
	}
	if (ta.kind == tb.kind) {
		/* apk-tools stops here; we order the invalid tails. */
		return ta.kind == VER_APK_BAD ? ver_generic_cmp(a, b) : 0;
	}
	if (fuzzy && tb.kind == VER_APK_END)
		return 0;
	return ver_apk_kindcmp(&ta, &tb);
}

static bool
ver_apk_valid(const char *s, size_t n)
{
	struct ver_apk t;

	for (ver_apk_first(&t, s, n); t.kind < VER_APK_END; ver_apk_next(&t))
		;
	return t.kind == VER_APK_END;
}

/* ---- rpm ---- */

static bool
ver_rpm_sep(int c)
{
	return !ver_isalnum(c) && c != '~' && c != '^';
}

/* rpmvercmp over two slices. */
static int
ver_rpm_vercmp(struct ver_sl a, struct ver_sl b)
{
	const char *p = a.p, *pe = a.p + a.n, *q = b.p, *qe = b.p + b.n;

	for (;;) {
		bool num;
		size_t np, nq;
		int r;

		p += ver_span(p, (size_t)(pe - p), ver_rpm_sep);
		q += ver_span(q, (size_t)(qe - q), ver_rpm_sep);
		if ((p < pe && *p == '~') || (q < qe && *q == '~')) {
			/* '~' sorts before everything, the end included. */
			if (p == pe || *p != '~')
				return 1;
			if (q == qe || *q != '~')
				return -1;
			p++, q++;
			continue;
		}
		if ((p < pe && *p == '^') || (q < qe && *q == '^')) {
			/* '^' sorts after the end, before anything else. */
			if (p == pe)
				return -1;
			if (q == qe)
				return 1;
			if (*p != '^')
				return 1;
			if (*q != '^')
				return -1;
			p++, q++;
			continue;
		}
		if (p == pe || q == qe)
			break;
		num = ver_isdigit((unsigned char)*p);
		np = ver_span(p, (size_t)(pe - p), num ? ver_isdigit : ver_isalpha);
		nq = ver_span(q, (size_t)(qe - q), num ? ver_isdigit : ver_isalpha);
		if (nq == 0) /* the segments differ in type: digits win */
			return num ? 1 : -1;
		r = num ? ver_numcmp(p, np, q, nq) : ver_bytecmp(p, np, q, nq);
		if (r != 0)
			return r;
		p += np;
		q += nq;
	}
	if (p == pe && q == qe)
		return 0;
	return p == pe ? -1 : 1;
}

struct ver_rpm {
	struct ver_sl epoch, version, release;
	bool has_release;
};

/* [digits:]version[-release]: the epoch only when digits precede ':'. */
static void
ver_rpm_split(const char *s, size_t n, struct ver_rpm *v)
{
	size_t d = ver_span(s, n, ver_isdigit);
	const char *hyphen = n > d ? memrchr(s + d, '-', n - d) : NULL;
	const char *end = hyphen != NULL ? hyphen : s + n;

	v->epoch = (struct ver_sl){ s, 0 };
	v->version = (struct ver_sl){ s, (size_t)(end - s) };
	if (d < n && s[d] == ':') {
		v->epoch.n = d; /* empty reads as 0, as rpm does */
		v->version.p = s + d + 1;
		v->version.n = (size_t)(end - v->version.p);
	}
	v->has_release = hyphen != NULL;
	v->release = (struct ver_sl){ s + n, 0 };
	if (hyphen != NULL)
		v->release = (struct ver_sl){ hyphen + 1,
			(size_t)(s + n - hyphen - 1) };
}

static int
ver_rpm_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	struct ver_rpm va, vb;
	int r;

	ver_rpm_split(a, na, &va);
	ver_rpm_split(b, nb, &vb);
	r = ver_numcmp(va.epoch.p, va.epoch.n, vb.epoch.p, vb.epoch.n);
	if (r == 0)
		r = ver_rpm_vercmp(va.version, vb.version);
	if (r == 0)
		r = ver_rpm_vercmp(va.release, vb.release);
	return r;
}

static bool
ver_rpm_char(int c)
{
	return ver_isalnum(c) || (c != '\0' && strchr("._+~^", c) != NULL);
}

static bool
ver_rpm_valid(const char *s, size_t n)
{
	struct ver_rpm v;

	ver_rpm_split(s, n, &v);
	return ver_all(v.version.p, v.version.n, ver_rpm_char) &&
	    (!v.has_release || ver_all(v.release.p, v.release.n, ver_rpm_char));
}

/* ---- PEP 440 ---- */

struct ver_pep {
	struct ver_sl epoch;   /* digits, empty = 0 */
	struct ver_sl release; /* N(.N)* */
	int pre;	       /* 0 none, 1 a, 2 b, 3 rc */
	struct ver_sl pre_n, post_n, dev_n; /* empty = 0 */
	bool post, dev, local;
	struct ver_sl local_s; /* after '+' */
};

static bool
ver_pep_issep(int c)
{
	return c == '-' || c == '_' || c == '.';
}

/* Step over one optional separator. */
static void
ver_pep_sep(struct ver_cur *c)
{
	if (c->p < c->end && ver_pep_issep((unsigned char)*c->p))
		c->p++;
}

static struct ver_sl
ver_pep_digits(struct ver_cur *c)
{
	struct ver_sl d = { c->p, ver_span(c->p, (size_t)(c->end - c->p),
				      ver_isdigit) };

	c->p += d.n;
	return d;
}

/* Match the first of words (longest spellings first) at the cursor,
 * ignoring case: its index, or -1. */
static int
ver_pep_word(struct ver_cur *c, const char *const *words, size_t n)
{
	size_t i, len, avail = (size_t)(c->end - c->p);

	for (i = 0; i < n; i++) {
		len = strlen(words[i]);
		if (len <= avail && ver_casecmp(c->p, len, words[i], len) == 0) {
			c->p += len;
			return (int)i;
		}
	}
	return -1;
}

/* [sep]label[sep][N], for one of the labels; false (cursor kept) when
 * absent. */
static bool
ver_pep_labelled(struct ver_cur *c, const char *const *words, size_t n,
    int *which, struct ver_sl *num)
{
	struct ver_cur save = *c;

	ver_pep_sep(c);
	if ((*which = ver_pep_word(c, words, n)) < 0) {
		*c = save;
		return false;
	}
	ver_pep_sep(c);
	*num = ver_pep_digits(c);
	return true;
}

static const char *const ver_pep_pre_words[] = {
	"preview", "alpha", "beta", "pre", "rc", "a", "b", "c",
};
static const int ver_pep_pre_kind[] = { 3, 1, 2, 3, 3, 1, 2, 3 };
static const char *const ver_pep_post_words[] = { "post", "rev", "r" };
static const char *const ver_pep_dev_words[] = { "dev" };

static void
ver_pep_post(struct ver_cur *c, struct ver_pep *v)
{
	int which;

	if (c->end - c->p >= 2 && *c->p == '-' &&
	    ver_isdigit((unsigned char)c->p[1])) {
		c->p++; /* the implicit form "1.0-1" */
		v->post_n = ver_pep_digits(c);
		v->post = true;
		return;
	}
	v->post = ver_pep_labelled(c, ver_pep_post_words,
	    ARRAY_SIZE(ver_pep_post_words), &which, &v->post_n);
}

/* The local label: alnum runs joined by single separators. */
static bool
ver_pep_local(struct ver_cur *c, struct ver_sl *out)
{
	out->p = c->p;
	if (c->p == c->end || !ver_isalnum((unsigned char)*c->p))
		return false;
	for (;;) {
		c->p += ver_span(c->p, (size_t)(c->end - c->p), ver_isalnum);
		if (c->end - c->p < 2 || !ver_pep_issep((unsigned char)*c->p) ||
		    !ver_isalnum((unsigned char)c->p[1]))
			break;
		c->p++;
	}
	out->n = (size_t)(c->p - out->p);
	return true;
}

/* The canonical PEP 440 pattern, case-insensitive, surrounding space
 * ignored. Every optional part starts with a separator or a letter that
 * the part before cannot take, so a greedy scan accepts what the
 * backtracking pattern accepts. */
static bool
ver_pep_parse(const char *s, size_t n, struct ver_pep *v)
{
	struct ver_sl t = ver_trim(s, n);
	struct ver_cur c = { t.p, t.p + t.n }, save;
	int which;

	memset(v, 0, sizeof(*v));
	if (c.p < c.end && (*c.p == 'v' || *c.p == 'V'))
		c.p++;
	save = c;
	v->epoch = ver_pep_digits(&c);
	if (v->epoch.n == 0 || c.p == c.end || *c.p != '!') {
		c = save;
		v->epoch.n = 0;
	} else {
		c.p++;
	}
	v->release.p = c.p;
	if (ver_pep_digits(&c).n == 0)
		return false;
	while (c.end - c.p >= 2 && *c.p == '.' &&
	    ver_isdigit((unsigned char)c.p[1])) {
		c.p++;
		ver_pep_digits(&c);
	}
	v->release.n = (size_t)(c.p - v->release.p);
	if (ver_pep_labelled(&c, ver_pep_pre_words,
		ARRAY_SIZE(ver_pep_pre_words), &which, &v->pre_n))
		v->pre = ver_pep_pre_kind[which];
	ver_pep_post(&c, v);
	v->dev = ver_pep_labelled(&c, ver_pep_dev_words, 1, &which, &v->dev_n);
	if (c.p < c.end && *c.p == '+') {
		c.p++;
		if (!ver_pep_local(&c, &v->local_s))
			return false;
		v->local = true;
	}
	return c.p == c.end;
}

static bool
ver_isdot(int c)
{
	return c == '.';
}

/* Release segments, the shorter padded with zeros. */
static int
ver_pep_relcmp(struct ver_sl a, struct ver_sl b)
{
	while (a.n > 0 || b.n > 0) {
		struct ver_sl x = ver_pop(&a, ver_isdot), y = ver_pop(&b, ver_isdot);
		int r = ver_numcmp(x.p, x.n, y.p, y.n);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Local segments: numeric ones numerically and above alphanumeric ones,
 * those case-insensitively; a shorter list that is a prefix first. */
static int
ver_pep_localcmp(struct ver_sl a, struct ver_sl b)
{
	while (a.n > 0 && b.n > 0) {
		struct ver_sl x = ver_pop(&a, ver_pep_issep);
		struct ver_sl y = ver_pop(&b, ver_pep_issep);
		bool nx = ver_all(x.p, x.n, ver_isdigit);
		bool ny = ver_all(y.p, y.n, ver_isdigit);
		int r;

		if (nx != ny)
			return nx ? 1 : -1;
		r = nx ? ver_numcmp(x.p, x.n, y.p, y.n) :
			 ver_casecmp(x.p, x.n, y.p, y.n);
		if (r != 0)
			return r;
	}
	return (a.n > 0) - (b.n > 0);
}

/* Where the pre-release puts a version: a bare .devN before every
 * pre-release, no pre-release after them. */
static int
ver_pep_prerank(const struct ver_pep *v)
{
	if (v->pre != 0)
		return v->pre;
	return (!v->post && v->dev) ? 0 : 4;
}

static int
ver_pep_cmp(const struct ver_pep *a, const struct ver_pep *b)
{
	int r;

	if ((r = ver_numcmp(a->epoch.p, a->epoch.n, b->epoch.p, b->epoch.n)))
		return r;
	if ((r = ver_pep_relcmp(a->release, b->release)))
		return r;
	if ((r = ver_cmpint(ver_pep_prerank(a), ver_pep_prerank(b))))
		return r;
	if (a->pre != 0 &&
	    (r = ver_numcmp(a->pre_n.p, a->pre_n.n, b->pre_n.p, b->pre_n.n)))
		return r;
	if (a->post != b->post)
		return a->post ? 1 : -1;
	if ((r = ver_numcmp(a->post_n.p, a->post_n.n, b->post_n.p, b->post_n.n)))
		return r;
	if (a->dev != b->dev)
		return a->dev ? -1 : 1;
	if ((r = ver_numcmp(a->dev_n.p, a->dev_n.n, b->dev_n.p, b->dev_n.n)))
		return r;
	if (a->local != b->local)
		return a->local ? 1 : -1;
	return ver_pep_localcmp(a->local_s, b->local_s);
}

/* ---- SemVer ---- */

struct ver_sem {
	struct ver_sl major, minor, patch; /* empty = 0 (Go shorthands) */
	struct ver_sl pre;		   /* identifiers, empty = none */
};

static bool
ver_sem_idchar(int c)
{
	return ver_isalnum(c) || c == '-';
}

/* A numeric identifier: 0 or digits without a leading zero. */
static bool
ver_sem_isnum(struct ver_sl x)
{
	return ver_all(x.p, x.n, ver_isdigit) && (x.n == 1 || *x.p != '0');
}

static bool
ver_sem_number(struct ver_cur *c, struct ver_sl *out)
{
	out->p = c->p;
	out->n = ver_span(c->p, (size_t)(c->end - c->p), ver_isdigit);
	c->p += out->n;
	return ver_sem_isnum(*out);
}

/* Dot-separated non-empty identifiers; strict: numeric ones without a
 * leading zero (prerelease). */
static bool
ver_sem_ids(struct ver_cur *c, struct ver_sl *out, bool strict)
{
	out->p = c->p;
	for (;;) {
		struct ver_sl id = { c->p, ver_span(c->p,
					       (size_t)(c->end - c->p),
					       ver_sem_idchar) };
		if (id.n == 0)
			return false;
		if (strict && ver_all(id.p, id.n, ver_isdigit) &&
		    !ver_sem_isnum(id))
			return false;
		c->p += id.n;
		if (c->p == c->end || *c->p != '.')
			break;
		c->p++;
	}
	out->n = (size_t)(c->p - out->p);
	return true;
}

/* A '.' and a number, or (Go shorthand) the end of the version. */
static bool
ver_sem_part(struct ver_cur *c, struct ver_sl *out, bool *done)
{
	if (c->p == c->end) {
		*out = (struct ver_sl){ c->p, 0 };
		*done = true;
		return true;
	}
	if (*c->p != '.')
		return false;
	c->p++;
	return ver_sem_number(c, out);
}

static bool
ver_sem_parse(const char *s, size_t n, struct ver_sem *v)
{
	struct ver_cur c = { s, s + n };
	struct ver_sl build;
	bool done = false;

	memset(v, 0, sizeof(*v));
	if (c.p < c.end && (*c.p == 'v' || *c.p == 'V'))
		c.p++;
	if (!ver_sem_number(&c, &v->major) ||
	    !ver_sem_part(&c, &v->minor, &done))
		return false;
	if (done)
		return true;
	if (!ver_sem_part(&c, &v->patch, &done) || done)
		return done && c.p == c.end; /* "1.2" is Go's v1.2.0 */
	if (c.p < c.end && *c.p == '-') {
		c.p++;
		if (!ver_sem_ids(&c, &v->pre, true))
			return false;
	}
	if (c.p < c.end && *c.p == '+') {
		c.p++;
		if (!ver_sem_ids(&c, &build, false))
			return false;
	}
	return c.p == c.end;
}

static int
ver_sem_precmp(struct ver_sl a, struct ver_sl b)
{
	if (a.n == 0 || b.n == 0) /* a release is above its prereleases */
		return (a.n == 0) - (b.n == 0);
	while (a.n > 0 && b.n > 0) {
		struct ver_sl x = ver_pop(&a, ver_isdot), y = ver_pop(&b, ver_isdot);
		bool nx = ver_all(x.p, x.n, ver_isdigit);
		bool ny = ver_all(y.p, y.n, ver_isdigit);
		int r;

		if (nx != ny)
			return nx ? -1 : 1;
		r = nx ? ver_numcmp(x.p, x.n, y.p, y.n) :
			 ver_bytecmp(x.p, x.n, y.p, y.n);
		if (r != 0)
			return r;
	}
	return (a.n > 0) - (b.n > 0);
}

static int
ver_sem_cmp(const struct ver_sem *a, const struct ver_sem *b)
{
	int r;

	if ((r = ver_numcmp(a->major.p, a->major.n, b->major.p, b->major.n)))
		return r;
	if ((r = ver_numcmp(a->minor.p, a->minor.n, b->minor.p, b->minor.n)))
		return r;
	if ((r = ver_numcmp(a->patch.p, a->patch.n, b->patch.p, b->patch.n)))
		return r;
	return ver_sem_precmp(a->pre, b->pre);
}

/* ---- Maven (ComparableVersion, Maven 3.9) ---- */

/*
 * ComparableVersion builds nested lists; each new list is appended as the
 * last element of the current one and becomes current, so the nesting is
 * a chain. We keep the items flat, in order, each with the depth of its
 * list: the list at depth d is the items of depth d followed (when any
 * deeper item exists) by the list at depth d + 1.
 */
enum { VER_MVN_NUM, VER_MVN_STR };
#define VER_MVN_KEEP 0x80 /* flag on kind while normalising */
#define VER_MVN_RELEASE 5 /* qualifier rank of "" (ga, final, release) */
#define VER_MVN_UNKNOWN 7 /* rank of every unknown qualifier */

struct ver_mvn_item {
	uint16_t off;	/* text in the version */
	uint16_t len;	/* 0 for the zero an empty segment stands for */
	uint16_t depth; /* of the list holding it */
	uint8_t kind;	/* VER_MVN_NUM or VER_MVN_STR */
	uint8_t rank;	/* qualifier rank, or int/long/big size class */
};

/* Every item starts at a distinct byte, so VER_MAX_LEN bounds them. */
struct ver_mvn {
	const char *s;
	size_t n;
	struct ver_mvn_item it[VER_MAX_LEN];
};

struct ver_mvn_parser {
	struct ver_mvn *v;
	uint16_t depth;	 /* of the current list */
	size_t in_list;	 /* items in it */
};

static const struct {
	const char *name;
	int rank;
} ver_mvn_qualifiers[] = {
	{ "alpha", 0 }, { "beta", 1 }, { "milestone", 2 }, { "rc", 3 },
	{ "cr", 3 }, { "snapshot", 4 }, { "ga", 5 }, { "final", 5 },
	{ "release", 5 }, { "sp", 6 },
};

static int
ver_mvn_qualifier(const char *s, size_t n, bool before_digit)
{
	size_t i;

	if (before_digit && n == 1) { /* a1 = alpha-1, b1, m1 */
		switch (ver_lower((unsigned char)*s)) {
		case 'a': return 0;
		case 'b': return 1;
		case 'm': return 2;
		default: break;
		}
	}
	for (i = 0; i < ARRAY_SIZE(ver_mvn_qualifiers); i++)
		if (ver_caseeq(s, n, ver_mvn_qualifiers[i].name))
			return ver_mvn_qualifiers[i].rank;
	return VER_MVN_UNKNOWN;
}

/* Java's IntItem, LongItem or BigIntegerItem: by the length without
 * leading zeros (an all-zero run keeps its length, as Maven does). */
static int
ver_mvn_sizeclass(const char *s, size_t n)
{
	size_t z = 0;

	while (z < n && s[z] == '0')
		z++;
	if (z < n)
		n -= z;
	return n <= 9 ? 0 : n <= 18 ? 1 : 2;
}

static void
ver_mvn_add(struct ver_mvn_parser *ps, int kind, size_t start, size_t end,
    bool before_digit)
{
	struct ver_mvn *v = ps->v;
	struct ver_mvn_item *it;

	if (NEVER(v->n >= ARRAY_SIZE(v->it)))
		return;
	it = &v->it[v->n++];
	it->off = (uint16_t)start;
	it->len = (uint16_t)(end - start);
	it->depth = ps->depth;
	it->kind = (uint8_t)kind;
	it->rank = (uint8_t)(kind == VER_MVN_NUM ?
		ver_mvn_sizeclass(v->s + start, end - start) :
		ver_mvn_qualifier(v->s + start, end - start, before_digit));
	ps->in_list++;
}

static void
ver_mvn_open(struct ver_mvn_parser *ps)
{
	ps->depth++;
	ps->in_list = 0;
}

static bool
ver_mvn_isnull(const struct ver_mvn *v, const struct ver_mvn_item *it)
{
	size_t i;

	if (it->kind == VER_MVN_STR)
		return it->rank == VER_MVN_RELEASE;
	for (i = 0; i < it->len; i++)
		if (v->s[it->off + i] != '0')
			return false;
	return true;
}

/* Drop the null items (0, "", ga...) at the end of every list, and with
 * them the lists left empty. */
static void
ver_mvn_normalize(struct ver_mvn *v)
{
	size_t i, out = 0;
	int depth = -1;
	bool seen = false;

	for (i = v->n; i-- > 0;) {
		if (v->it[i].depth != depth) {
			depth = v->it[i].depth;
			seen = false;
		}
		seen |= !ver_mvn_isnull(v, &v->it[i]);
		if (seen)
			v->it[i].kind |= VER_MVN_KEEP;
	}
	for (i = 0; i < v->n; i++) {
		if (!(v->it[i].kind & VER_MVN_KEEP))
			continue;
		v->it[out] = v->it[i];
		v->it[out++].kind &= (uint8_t)~VER_MVN_KEEP;
	}
	v->n = out;
}

/*
 * ComparableVersion.parseVersion: '.' ends an item, '-' ends one and opens
 * a list, a digit/letter change ends one and opens a list (letters before
 * a digit open one more first when the list has items), and a trailing
 * ".X" qualifier gets a list of its own. An empty item is a zero.
 */
static void
ver_mvn_parse(const char *s, size_t n, struct ver_mvn *v)
{
	struct ver_mvn_parser ps = { v, 0, 0 };
	size_t i, start = 0;
	bool digit = false;

	v->s = s;
	v->n = 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '.' || c == '-') {
			ver_mvn_add(&ps, (digit || i == start) ? VER_MVN_NUM :
				VER_MVN_STR, start, i, false);
			start = i + 1;
			if (c == '-')
				ver_mvn_open(&ps);
		} else if (ver_isdigit(c)) {
			if (!digit && i > start) {
				if (ps.in_list > 0)
					ver_mvn_open(&ps);
				ver_mvn_add(&ps, VER_MVN_STR, start, i, true);
				start = i;
				ver_mvn_open(&ps);
			}
			digit = true;
		} else {
			if (digit && i > start) {
				ver_mvn_add(&ps, VER_MVN_NUM, start, i, false);
				start = i;
				ver_mvn_open(&ps);
			}
			digit = false;
		}
	}
	if (n > start) {
		if (!digit && ps.in_list > 0)
			ver_mvn_open(&ps);
		ver_mvn_add(&ps, digit ? VER_MVN_NUM : VER_MVN_STR, start, n,
		    false);
	}
	ver_mvn_normalize(v);
}

/* An item against a missing one (the other list ended). */
static int
ver_mvn_vs_null(const struct ver_mvn *v, const struct ver_mvn_item *it)
{
	if (it->kind == VER_MVN_NUM)
		return ver_mvn_isnull(v, it) ? 0 : 1;
	return ver_cmpint(it->rank, VER_MVN_RELEASE);
}

/* The rest of a version, item by item, against nothing. */
static int
ver_mvn_rest_vs_null(const struct ver_mvn *v, size_t i)
{
	int r;

	for (; i < v->n; i++)
		if ((r = ver_mvn_vs_null(v, &v->it[i])) != 0)
			return r;
	return 0;
}

static int
ver_mvn_itemcmp(const struct ver_mvn *a, const struct ver_mvn_item *x,
    const struct ver_mvn *b, const struct ver_mvn_item *y)
{
	int r;

	if (x->kind != y->kind) /* numbers above qualifiers */
		return x->kind == VER_MVN_NUM ? 1 : -1;
	if ((r = ver_cmpint(x->rank, y->rank)) != 0)
		return r;
	if (x->kind == VER_MVN_NUM)
		return ver_numcmp(a->s + x->off, x->len, b->s + y->off, y->len);
	if (x->rank != VER_MVN_UNKNOWN)
		return 0;
	return ver_casecmp(a->s + x->off, x->len, b->s + y->off, y->len);
}

enum { VER_MVN_NONE, VER_MVN_ITEM, VER_MVN_LIST };

/* What stands at item i of the list at depth d: an item of that list,
 * its sublist (a deeper item), or nothing. */
static int
ver_mvn_at(const struct ver_mvn *v, size_t i, unsigned d)
{
	if (i >= v->n)
		return VER_MVN_NONE;
	return v->it[i].depth == d ? VER_MVN_ITEM : VER_MVN_LIST;
}

static int
ver_mvn_cmp(const struct ver_mvn *a, const struct ver_mvn *b)
{
	size_t i = 0, j = 0;
	unsigned d = 0;

	for (;;) {
		int ea = ver_mvn_at(a, i, d), eb = ver_mvn_at(b, j, d), r;

		if (ea == VER_MVN_NONE || eb == VER_MVN_NONE)
			return ver_mvn_rest_vs_null(a, i) -
			    ver_mvn_rest_vs_null(b, j);
		if (ea == VER_MVN_LIST && eb == VER_MVN_LIST) {
			d++;
			continue;
		}
		/* A list is above a qualifier, below a number. */
		if (ea == VER_MVN_LIST)
			return b->it[j].kind == VER_MVN_NUM ? -1 : 1;
		if (eb == VER_MVN_LIST)
			return a->it[i].kind == VER_MVN_NUM ? 1 : -1;
		if ((r = ver_mvn_itemcmp(a, &a->it[i], b, &b->it[j])) != 0)
			return r;
		i++;
		j++;
	}
}

static bool
ver_mvn_valid(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr("\\/:\"<>|?*", s[i]) != NULL)
			return false;
	return ver_generic_valid(s, n);
}

/* ---- the API ---- */

static const struct {
	const char *name;
	enum ver_scheme scheme;
} ver_ecosystems[] = {
	{ "AlmaLinux", VER_RPM },     { "Alpine", VER_APK },
	{ "Azure Linux", VER_RPM },   { "Bitnami", VER_SEMVER },
	{ "Chainguard", VER_APK },    { "crates.io", VER_SEMVER },
	{ "Debian", VER_DPKG },	      { "Go", VER_SEMVER },
	{ "Hex", VER_SEMVER },	      { "Mageia", VER_RPM },
	{ "Maven", VER_MAVEN },	      { "MinimOS", VER_APK },
	{ "npm", VER_SEMVER },	      { "NuGet", VER_SEMVER },
	{ "openEuler", VER_RPM },     { "openSUSE", VER_RPM },
	{ "Packagist", VER_SEMVER },  { "Photon OS", VER_RPM },
	{ "Pub", VER_SEMVER },	      { "PyPI", VER_PEP440 },
	{ "Red Hat", VER_RPM },	      { "Rocky Linux", VER_RPM },
	{ "RubyGems", VER_MAVEN },    { "SUSE", VER_RPM },
	{ "SwiftURL", VER_SEMVER },   { "Ubuntu", VER_DPKG },
	{ "Wolfi", VER_APK },
};

enum ver_scheme
ver_scheme_of(const char *ecosystem)
{
	size_t i, n;

	if (ecosystem == NULL)
		return VER_GENERIC;
	n = strcspn(ecosystem, ":");
	for (i = 0; i < ARRAY_SIZE(ver_ecosystems); i++)
		if (strlen(ver_ecosystems[i].name) == n &&
		    memcmp(ver_ecosystems[i].name, ecosystem, n) == 0)
			return ver_ecosystems[i].scheme;
	return VER_GENERIC;
}

static int
ver_cmp_mvn(const char *a, size_t na, const char *b, size_t nb)
{
	struct ver_mvn va, vb;

	ver_mvn_parse(a, na, &va);
	ver_mvn_parse(b, nb, &vb);
	return ver_mvn_cmp(&va, &vb);
}

static int
ver_cmp_pep(const char *a, size_t na, const char *b, size_t nb)
{
	struct ver_pep va, vb;

	if (!ver_pep_parse(a, na, &va) || !ver_pep_parse(b, nb, &vb))
		return ver_generic_cmp(a, b);
	return ver_pep_cmp(&va, &vb);
}

static int
ver_cmp_sem(const char *a, size_t na, const char *b, size_t nb)
{
	struct ver_sem va, vb;

	if (!ver_sem_parse(a, na, &va) || !ver_sem_parse(b, nb, &vb))
		return ver_generic_cmp(a, b);
	return ver_sem_cmp(&va, &vb);
}

static int
ver_cmp_any(enum ver_scheme s, const char *a, const char *b, bool fuzzy)
{
	size_t na, nb;

	if (a == NULL)
		a = "";
	if (b == NULL)
		b = "";
	na = strnlen(a, VER_MAX_LEN + 1);
	nb = strnlen(b, VER_MAX_LEN + 1);
	if (na > VER_MAX_LEN || nb > VER_MAX_LEN)
		return ver_generic_cmp(a, b);
	switch (s) {
	case VER_DPKG:
		return ver_dpkg_cmp(a, na, b, nb);
	case VER_APK:
		return ver_apk_cmp(a, na, b, nb, fuzzy);
	case VER_RPM:
		return ver_rpm_cmp(a, na, b, nb);
	case VER_PEP440:
		return ver_cmp_pep(a, na, b, nb);
	case VER_SEMVER:
		return ver_cmp_sem(a, na, b, nb);
	case VER_MAVEN:
		return ver_cmp_mvn(a, na, b, nb);
	case VER_GENERIC:
	default:
		return ver_generic_cmp(a, b);
	}
}

int
ver_cmp(enum ver_scheme s, const char *a, const char *b)
{
	return ver_cmp_any(s, a, b, false);
}

int
ver_cmp_fuzzy(enum ver_scheme s, const char *a, const char *b)
{
	return ver_cmp_any(s, a, b, true);
}

bool
ver_valid(enum ver_scheme s, const char *v)
{
	struct ver_pep pep;
	struct ver_sem sem;
	size_t n;

	if (v == NULL || (n = strnlen(v, VER_MAX_LEN + 1)) > VER_MAX_LEN)
		return false;
	switch (s) {
	case VER_DPKG:
		return ver_dpkg_valid(v, n);
	case VER_APK:
		return ver_apk_valid(v, n);
	case VER_RPM:
		return ver_rpm_valid(v, n);
	case VER_PEP440:
		return ver_pep_parse(v, n, &pep);
	case VER_SEMVER:
		return ver_sem_parse(v, n, &sem);
	case VER_MAVEN:
		return ver_mvn_valid(v, n);
	case VER_GENERIC:
	default:
		return ver_generic_valid(v, n);
	}
}
