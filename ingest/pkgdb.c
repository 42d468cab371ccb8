/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pkgdb.c: package inventories of container images (see pkgdb.h for the
 * formats, the caps and what is left out).
 *
 * References:
 * - dpkg: deb-control(5), dpkg-query(1) and dpkg's lib/dpkg/parse.c
 *   (stanza syntax), lib/dpkg/dbmodify.c, src/query.c (-W lists every
 *   package whose status is not not-installed), lib/dpkg/version.c
 *   (versiondescribe, vdew_nonambig).
 * - apk: apk-tools doc "Alpine package database" (lib/apk/db/installed,
 *   one letter keys).
 * - SQLite file format: https://www.sqlite.org/fileformat2.html
 *   (database header 1.3, B-tree pages 1.6, cell payload and overflow
 *   2.x, record format 2.1).
 * - rpm header: rpm's lib/header.c, doc/manual/format.md ("Header
 *   structure").
 * - Python: core metadata specifications (packaging.python.org).
 * - npm: docs.npmjs.com package-lock.json (lockfileVersion 1, 2, 3).
 * - jar: the JAR file specification (MANIFEST.MF: 72-byte lines, a
 *   leading space continues), Maven's META-INF/maven/G/A/pom.properties.
 * - Go: cmd/go/internal/version and debug/buildinfo (buildinfo header
 *   and modinfo lines).
 * - purl: github.com/package-url/purl-spec PURL-SPECIFICATION.rst.
 *
 * The rpm database is read by our own SQLite reader rather than by
 * sqlite3_deserialize(): ingest/ never calls SQLite (tests/run lint), the
 * file is hostile, and a read-only walk of one table needs only this:
 *
 *   database header (page 1, bytes 0..99)
 *     0  "SQLite format 3\0"   16 page size (be16, 1 = 65536)
 *     20 reserved bytes/page   56 text encoding (1 = UTF-8)
 *   B-tree page (header at byte 100 on page 1, else 0)
 *     0 type: 0x05 interior table, 0x0d leaf table (0x02, 0x0a index)
 *     3 cell count (be16)      8 right-most child (interior only, be32)
 *     then one be16 cell offset (from the page start) per cell
 *   interior table cell: left child (be32), rowid (varint)
 *   leaf table cell: payload size (varint), rowid (varint), the first
 *     `local` payload bytes, then the first overflow page (be32) if the
 *     payload spills; an overflow page is next page (be32) + U-4 bytes
 *   record: header size (varint), serial types (varints), then values
 *     (0 NULL, 1-6 big-endian ints of 1,2,3,4,6,8 bytes, 7 float, 8/9
 *     the constants 0/1, N>=12 even a blob of (N-12)/2, odd text
 *     (N-13)/2)
 *
 * SQLite varints are big-endian base-128, at most 9 bytes (the ninth
 * gives 8 bits); Go's are LEB128 (rd_uvarint).
 *
 * The rpm header blob as stored in the database (no lead, no magic):
 *
 *   +--------+--------+------------------------------+------------+
 *   | il be32| dl be32| il x {tag,type,offset,count} | data (dl)  |
 *   +--------+--------+------------------------------+------------+
 *   each index entry is four be32; offset is into the data store;
 *   type 4 INT32 (4-aligned), 6 STRING, 8 STRING_ARRAY, 9 I18NSTRING
 *   (NUL-terminated strings).
 *
 * Go build information (the data at the start of .go.buildinfo):
 *
 *   0  "\xff Go buildinf:" (14 bytes)  14 pointer size  15 flags
 *      (bit 0 big-endian, bit 1 (value 2) inline strings)
 *   inline (Go >= 1.18): at 32, uvarint length + runtime version, then
 *      uvarint length + modinfo
 *   pointer form: at 16 and 16+ptrsize, the addresses of two Go string
 *      headers {data pointer, length}, found through the PT_LOAD
 *      segments
 *   modinfo: 16 sentinel bytes, lines "path\tP", "mod\tP\tV\tSUM",
 *      "dep\tP\tV\tSUM", "=>\tP\tV\tSUM" (replaces the line before),
 *      "build\tK=V", 16 sentinel bytes
 */
#include "core/common.h"

#include "ingest/pkgdb.h"

#include "core/lib-archive.h"
#include <jansson.h>

#include "core/arena.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"

/* A borrowed slice of the input (or of a library's buffer). */
struct pk_s {
	const uint8_t *p;
	size_t n;
};

/* State of one pkgdb_parse() call. */
struct pk_ctx {
	const char *path;     /* for messages only */
	pkg_fn fn;
	void *user;
	pkg_anom_fn anom;
	struct dd_err *e;
	struct arena rec;     /* strings of one record; rewound after it */
	struct arena_mark rec0; /* rec when empty */
	int count;	      /* packages reported */
	int rc;		      /* the callback's error, sticky */
	bool nested;	      /* inside a nested jar: offsets are lost */
	unsigned nanom;	      /* anomalies reported */
	uint64_t jar_budget;  /* decompressed bytes left for the jar */
};

/* The fields of one package before it is reported (arena strings). */
struct pk_pkg {
	const char *name, *version, *source, *arch, *license;
};

static int pk_jar(struct pk_ctx *c, struct pk_s jar, int depth,
    const char *where);

/* ---- slices ---- */

static struct pk_s
pk_s(const void *p, size_t n)
{
	struct pk_s s = { p, n };
	return s;
}

static struct pk_s
pk_lit(const char *s)
{
	return pk_s(s, strlen(s));
}

static bool
pk_blank(uint8_t ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' ||
	    ch == '\f' || ch == '\v';
}

static struct pk_s
pk_trim(struct pk_s s)
{
	while (s.n > 0 && pk_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && pk_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

static int
pk_lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* s equals the literal lit, ASCII case-insensitively. */
static bool
pk_eq_ci(struct pk_s s, const char *lit)
{
	size_t i, k = strlen(lit);

	if (s.n != k)
		return false;
	for (i = 0; i < k; i++)
		if (pk_lower(s.p[i]) != pk_lower((unsigned char)lit[i]))
			return false;
	return true;
}

static bool
pk_eq(struct pk_s s, const char *lit)
{
	size_t k = strlen(lit);

	return s.n == k && (k == 0 || memcmp(s.p, lit, k) == 0);
}

static bool
pk_starts(struct pk_s s, const char *lit)
{
	size_t k = strlen(lit);

	return s.n >= k && (k == 0 || memcmp(s.p, lit, k) == 0);
}

static bool
pk_ends(struct pk_s s, const char *lit)
{
	size_t k = strlen(lit);

	return s.n >= k && (k == 0 || memcmp(s.p + s.n - k, lit, k) == 0);
}

/* Index of the first ch in s, or s.n. */
static size_t
pk_find(struct pk_s s, uint8_t ch)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (s.p[i] == ch)
			break;
	return i;
}

static struct pk_s
pk_sub(struct pk_s s, size_t from, size_t to)
{
	if (to > s.n)
		to = s.n;
	if (from > to)
		from = to;
	return pk_s(s.p + from, to - from);
}

/*
 * The next line of r (without its '\n'; a final line without one counts);
 * false at the end. With crlf, a trailing '\r' is dropped too.
 */
static bool
pk_line(struct rd *r, struct pk_s *line, uint64_t *off, bool crlf)
{
	struct rd save = *r;
	size_t left = rd_left(r);
	const uint8_t *p;
	size_t n;

	if (left == 0)
		return false;
	*off = rd_off(r);
	if (rd_until(r, '\n', &p, &n) != 0) {
		*r = save;
		if (rd_bytes(r, left, &p) != 0)
			return false;
		n = left;
	}
	if (crlf && n > 0 && p[n - 1] == '\r')
		n--;
	*line = pk_s(p, n);
	return true;
}

/* ---- display-safe text ---- */

/* Length of the valid UTF-8 sequence at s[i..] that is not a control
 * (C1 controls U+0080..U+009F included), or 0. */
static size_t
pk_utf8_ok(struct pk_s s, size_t i)
{
	uint8_t b0 = s.p[i], b1, lo = 0x80, hi = 0xbf;
	size_t k, j;

	if (b0 >= 0x20 && b0 < 0x7f)
		return 1;
	if (b0 >= 0xc2 && b0 <= 0xdf)
		k = 2;
	else if (b0 >= 0xe0 && b0 <= 0xef)
		k = 3;
	else if (b0 >= 0xf0 && b0 <= 0xf4)
		k = 4;
	else
		return 0;
	if (s.n - i < k)
		return 0;
	b1 = s.p[i + 1];
	if (b0 == 0xc2)
		lo = 0xa0; /* U+0080..U+009F are C1 controls */
	else if (b0 == 0xe0)
		lo = 0xa0;
	else if (b0 == 0xed)
		hi = 0x9f;
	else if (b0 == 0xf0)
		lo = 0x90;
	else if (b0 == 0xf4)
		hi = 0x8f;
	if (b1 < lo || b1 > hi)
		return 0;
	for (j = 2; j < k; j++)
		if (s.p[i + j] < 0x80 || s.p[i + j] > 0xbf)
			return 0;
	return k;
}

/* Append s to sb display-safe: valid UTF-8 kept, other bytes \xNN, a
 * backslash "\\". */
static void
pk_clean_add(struct sbuf *sb, struct pk_s s)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, k;

	while (i < s.n) {
		if (s.p[i] == '\\') {
			sbuf_add(sb, "\\\\", 2);
			i++;
			continue;
		}
		k = pk_utf8_ok(s, i);
		if (k > 0) {
			sbuf_add(sb, s.p + i, k);
			i += k;
			continue;
		}
		sbuf_add(sb, "\\x", 2);
		sbuf_addch(sb, hex[s.p[i] >> 4]);
		sbuf_addch(sb, hex[s.p[i] & 15]);
		i++;
	}
}

/* A display-safe arena copy of s. */
static char *
pk_clean(struct arena *a, struct pk_s s)
{
	struct sbuf sb = SBUF_INIT;
	char *out;

	pk_clean_add(&sb, s);
	out = arena_strndup(a, sb.buf, sb.len);
	sbuf_release(&sb);
	return out;
}

/* ---- anomalies ---- */

static void pk_anom(struct pk_ctx *c, uint64_t off, const char *fmt, ...)
    DD_PRINTF(3, 4);

static void
pk_anom(struct pk_ctx *c, uint64_t off, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	int k;
	size_t len;

	if (c->anom == NULL || c->nanom > PKGDB_ANOM_MAX)
		return;
	if (++c->nanom > PKGDB_ANOM_MAX) {
		c->anom(c->user, 0,
		    "more anomalies in this file: not reported");
		return;
	}
	va_start(ap, fmt);
	k = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (k >= (int)sizeof(msg)) {
		/* Cut on a UTF-8 boundary and say so. */
		len = sizeof(msg) - 4;
		while (len > 0 && ((unsigned char)msg[len] & 0xc0) == 0x80)
			len--;
		memcpy(msg + len, "...", 4);
	}
	c->anom(c->user, c->nested ? 0 : off, msg);
}

/* A display form of s for messages (arena, at most max bytes of s). */
static const char *
pk_disp_n(struct pk_ctx *c, struct pk_s s, size_t max)
{
	struct sbuf sb = SBUF_INIT;
	const char *out;

	pk_clean_add(&sb, pk_sub(s, 0, max));
	if (s.n > max)
		sbuf_addstr(&sb, "...");
	out = arena_strndup(&c->rec, sb.buf, sb.len);
	sbuf_release(&sb);
	return out;
}

/* A short display form of s (at most 60 bytes of it). */
static const char *
pk_disp(struct pk_ctx *c, struct pk_s s)
{
	return pk_disp_n(c, s, 60);
}

/* A library's error text (which may quote input bytes), display-safe. */
static const char *
pk_liberr(struct pk_ctx *c, const char *msg, const char *dflt)
{
	/* libarchive ends some messages with a newline. */
	return pk_disp_n(c, pk_trim(pk_lit(msg != NULL ? msg : dflt)), 160);
}

/* ---- fields and package URLs ---- */

/*
 * A field of a package: trimmed, display-safe, in the record arena. An
 * empty value is NULL. Over PKGDB_FIELD_MAX: an anomaly, *bad set.
 */
static const char *
pk_field(struct pk_ctx *c, uint64_t off, struct pk_s s, const char *what,
    bool *bad)
{
	s = pk_trim(s);
	if (s.n == 0)
		return NULL;
	if (s.n > PKGDB_FIELD_MAX) {
		pk_anom(c, off, "%s of %zu bytes (more than %d): package "
		    "skipped", what, s.n, PKGDB_FIELD_MAX);
		*bad = true;
		return NULL;
	}
	return pk_clean(&c->rec, s);
}

/* A licence: trimmed, cut at PKGDB_LICENSE_MAX (on a UTF-8 boundary, with
 * "..." added), NULL when empty. */
static const char *
pk_license(struct pk_ctx *c, struct pk_s s)
{
	struct sbuf sb = SBUF_INIT;
	const char *out;
	bool cut = false;

	s = pk_trim(s);
	if (s.n == 0)
		return NULL;
	if (s.n > PKGDB_LICENSE_MAX) {
		s.n = PKGDB_LICENSE_MAX;
		while (s.n > 0 && (s.p[s.n] & 0xc0) == 0x80)
			s.n--;
		cut = true;
	}
	pk_clean_add(&sb, s);
	if (cut)
		sbuf_addstr(&sb, "...");
	out = arena_strndup(&c->rec, sb.buf, sb.len);
	sbuf_release(&sb);
	return out;
}

/* Percent-encode s (a display-safe string) into sb; keep lists bytes
 * left as they are besides ALPHA DIGIT "-._~". */
static void
pk_pct(struct sbuf *sb, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char ch;

	for (; *s != '\0'; s++) {
		ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
		    ch == '_' || ch == '~' ||
		    (keep != NULL && strchr(keep, ch) != NULL)) {
			sbuf_addch(sb, ch);
			continue;
		}
		sbuf_addch(sb, '%');
		sbuf_addch(sb, hex[ch >> 4]);
		sbuf_addch(sb, hex[ch & 15]);
	}
}

/*
 * pkg:TYPE/NS/NAME@VERSION?k=v&... in the record arena. ns may be NULL; a
 * '/' in ns separates segments (each encoded). quals are key, value pairs
 * sorted by key, ended by NULL; a pair with a NULL value is left out.
 */
static const char *
pk_purl(struct pk_ctx *c, const char *type, const char *ns,
    const char *name, const char *version, const char *const *quals)
{
	struct sbuf sb = SBUF_INIT;
	const char *out;
	char sep = '?';

	sbuf_addf(&sb, "pkg:%s/", type);
	if (ns != NULL && *ns != '\0') {
		pk_pct(&sb, ns, "/");
		sbuf_addch(&sb, '/');
	}
	pk_pct(&sb, name, NULL);
	if (version != NULL) {
		sbuf_addch(&sb, '@');
		pk_pct(&sb, version, ":");
	}
	for (; quals != NULL && quals[0] != NULL; quals += 2) {
		if (quals[1] == NULL)
			continue;
		sbuf_addch(&sb, sep);
		sbuf_addf(&sb, "%s=", quals[0]);
		pk_pct(&sb, quals[1], NULL);
		sep = '&';
	}
	out = arena_strndup(&c->rec, sb.buf, sb.len);
	sbuf_release(&sb);
	return out;
}

/* Report one package and rewind the record arena. Returns the callback's
 * error (also kept in c->rc). */
static int
pk_emit(struct pk_ctx *c, const struct pk_pkg *k, const char *eco,
    const char *purl)
{
	struct pkg_rec r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.name = k->name;
	r.version = k->version;
	r.ecosystem = eco;
	r.source = k->source;
	r.arch = k->arch;
	r.purl = purl;
	r.license = k->license;
	rc = c->fn(c->user, &r, c->e);
	if (rc < 0) {
		c->rc = rc;
		if (c->e != NULL && c->e->code == 0)
			dd_err_set(c->e, rc, "package callback failed");
		return rc;
	}
	c->count++;
	return 0;
}

static void
pk_rec_reset(struct pk_ctx *c)
{
	arena_rewind(&c->rec, c->rec0);
}

/* ---- dpkg: /var/lib/dpkg/status and status.d ---- */

/* The fields of one stanza we use (borrowed from the input). */
struct pk_deb {
	struct pk_s package, status, version, arch, source;
	bool has_package, has_status, has_version, has_arch, has_source;
	uint64_t off;	/* of the stanza's first line */
	bool open;	/* a field line was seen */
};

/*
 * The version as dpkg-query prints ${Version} (lib/dpkg/version.c
 * versiondescribe with vdew_nonambig): blanks around dropped; a numeric
 * epoch in decimal, left out when zero unless the rest holds a ':'. A
 * version dpkg would refuse is given as found.
 */
static const char *
pk_deb_version(struct pk_ctx *c, struct pk_s v, uint64_t off, bool *bad)
{
	size_t colon, i;
	unsigned long epoch = 0;
	struct pk_s rest;
	const char *r;

	v = pk_trim(v);
	colon = pk_find(v, ':');
	if (colon == v.n || colon == 0 || colon > 10)
		return pk_field(c, off, v, "Version", bad);
	for (i = 0; i < colon; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return pk_field(c, off, v, "Version", bad);
		epoch = epoch * 10 + (v.p[i] - '0');
	}
	rest = pk_sub(v, colon + 1, v.n);
	if (epoch > INT_MAX || rest.n == 0)
		return pk_field(c, off, v, "Version", bad);
	r = pk_field(c, off, rest, "Version", bad);
	if (r == NULL)
		return NULL;
	if (epoch == 0 && strchr(r, ':') == NULL)
		return r;
	return arena_printf(&c->rec, "%lu:%s", epoch, r);
}

static int
pk_deb_stanza(struct pk_ctx *c, struct pk_deb *d, bool status_d)
{
	struct pk_pkg k;
	struct pk_s w[3], st;
	size_t nw = 0, i;
	const char *purl;
	bool bad = false;
	int rc;

	if (!d->open)
		return 0;
	memset(&k, 0, sizeof(k));
	if (!d->has_package || pk_trim(d->package).n == 0) {
		pk_anom(c, d->off, "dpkg stanza without a Package field: "
		    "skipped");
		return 0;
	}
	if (d->has_status) {
		/* "want flag status": three words. */
		st = d->status;
		i = 0;
		while (i < st.n && nw < 3) {
			size_t j;

			while (i < st.n && pk_blank(st.p[i]))
				i++;
			if (i == st.n)
				break;
			for (j = i; j < st.n && !pk_blank(st.p[j]); j++)
				;
			w[nw++] = pk_sub(st, i, j);
			i = j;
		}
		if (nw < 3) {
			pk_anom(c, d->off, "dpkg stanza of '%s' with a "
			    "Status of %zu words (not 3): skipped",
			    pk_disp(c, pk_trim(d->package)), nw);
			return 0;
		}
		if (pk_eq(w[2], "not-installed"))
			return 0;
	} else if (!status_d) {
		/* dpkg reads a missing Status as "unknown ok
		 * not-installed": dpkg-query -W does not list it. */
		return 0;
	}
	if (!d->has_version || pk_trim(d->version).n == 0) {
		pk_anom(c, d->off, "dpkg stanza of '%s' without a Version: "
		    "skipped", pk_disp(c, pk_trim(d->package)));
		return 0;
	}
	k.name = pk_field(c, d->off, d->package, "Package", &bad);
	k.version = pk_deb_version(c, d->version, d->off, &bad);
	if (d->has_arch)
		k.arch = pk_field(c, d->off, d->arch, "Architecture", &bad);
	if (d->has_source) {
		/* "name" or "name (version)". */
		struct pk_s s = pk_trim(d->source);

		for (i = 0; i < s.n && !pk_blank(s.p[i]) && s.p[i] != '(';
		     i++)
			;
		k.source = pk_field(c, d->off, pk_sub(s, 0, i), "Source",
		    &bad);
	}
	if (bad || k.name == NULL || k.version == NULL)
		return 0;
	{
		const char *q[] = { "arch", k.arch, NULL };

		purl = pk_purl(c, "deb", "debian", k.name, k.version, q);
	}
	rc = pk_emit(c, &k, "Debian", purl);
	return rc;
}

/* Set *slot from a field line unless the stanza already had it. */
static void
pk_deb_set(struct pk_ctx *c, struct pk_s *slot, bool *has, struct pk_s v,
    uint64_t off, const char *what)
{
	if (*has) {
		pk_anom(c, off, "dpkg stanza with a second %s field: the "
		    "first is kept", what);
		return;
	}
	*slot = v;
	*has = true;
}

/* deb822 stanzas of dpkg's status file (status_d: one file of
 * status.d, where stanzas carry no Status). */
static int
pk_dpkg(struct pk_ctx *c, const uint8_t *data, size_t n, bool status_d)
{
	struct rd r;
	struct pk_s line, name, val;
	struct pk_deb d;
	uint64_t off;
	size_t colon;
	int rc;
	bool any_field = false, junk = false;

	rd_init(&r, data, n, 0);
	memset(&d, 0, sizeof(d));
	while (pk_line(&r, &line, &off, false)) {
		if (line.n == 0) {
			rc = pk_deb_stanza(c, &d, status_d);
			pk_rec_reset(c);
			if (rc < 0)
				return rc;
			memset(&d, 0, sizeof(d));
			continue;
		}
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			/* A continuation (Description, Conffiles...). */
			if (!d.open && pk_trim(line).n > 0) {
				pk_anom(c, off, "dpkg continuation line "
				    "outside a stanza: ignored");
				junk = true;
			}
			continue;
		}
		colon = pk_find(line, ':');
		if (colon == line.n || colon == 0) {
			pk_anom(c, off, "dpkg line without a field name: "
			    "ignored");
			junk = true;
			continue;
		}
		if (!d.open) {
			d.open = true;
			d.off = off;
		}
		any_field = true;
		name = pk_sub(line, 0, colon);
		val = pk_sub(line, colon + 1, line.n);
		if (pk_eq_ci(name, "Package"))
			pk_deb_set(c, &d.package, &d.has_package, val, off,
			    "Package");
		else if (pk_eq_ci(name, "Status"))
			pk_deb_set(c, &d.status, &d.has_status, val, off,
			    "Status");
		else if (pk_eq_ci(name, "Version"))
			pk_deb_set(c, &d.version, &d.has_version, val, off,
			    "Version");
		else if (pk_eq_ci(name, "Architecture"))
			pk_deb_set(c, &d.arch, &d.has_arch, val, off,
			    "Architecture");
		else if (pk_eq_ci(name, "Source"))
			pk_deb_set(c, &d.source, &d.has_source, val, off,
			    "Source");
	}
	rc = pk_deb_stanza(c, &d, status_d);
	pk_rec_reset(c);
	if (rc < 0)
		return rc;
	if (!any_field && junk)
		return dd_err_set(c->e, DD_EFORMAT,
		    "no dpkg field in '%s'", c->path);
	return 0;
}

/* ---- apk: /lib/apk/db/installed ---- */

struct pk_apk {
	struct pk_s f[5]; /* P V A o L */
	bool has[5];
	uint64_t off;
	bool open;
};

static int
pk_apk_block(struct pk_ctx *c, struct pk_apk *b)
{
	struct pk_pkg k;
	bool bad = false;

	if (!b->open)
		return 0;
	memset(&k, 0, sizeof(k));
	if (!b->has[0] || !b->has[1] || pk_trim(b->f[0]).n == 0 ||
	    pk_trim(b->f[1]).n == 0) {
		pk_anom(c, b->off, "apk block without %s: skipped",
		    b->has[0] ? "V: (version)" : "P: (name)");
		return 0;
	}
	k.name = pk_field(c, b->off, b->f[0], "P: (name)", &bad);
	k.version = pk_field(c, b->off, b->f[1], "V: (version)", &bad);
	if (b->has[2])
		k.arch = pk_field(c, b->off, b->f[2], "A: (arch)", &bad);
	if (b->has[3])
		k.source = pk_field(c, b->off, b->f[3], "o: (origin)", &bad);
	if (b->has[4])
		k.license = pk_license(c, b->f[4]);
	if (bad || k.name == NULL || k.version == NULL)
		return 0;
	{
		const char *q[] = { "arch", k.arch, NULL };

		return pk_emit(c, &k, "Alpine",
		    pk_purl(c, "apk", "alpine", k.name, k.version, q));
	}
}

static int
pk_apk(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	static const char keys[] = "PVAoL";
	struct rd r;
	struct pk_s line;
	struct pk_apk b;
	uint64_t off;
	const char *kp;
	int rc;
	bool any = false, junk = false;

	rd_init(&r, data, n, 0);
	memset(&b, 0, sizeof(b));
	while (pk_line(&r, &line, &off, false)) {
		if (line.n == 0) {
			rc = pk_apk_block(c, &b);
			pk_rec_reset(c);
			if (rc < 0)
				return rc;
			memset(&b, 0, sizeof(b));
			continue;
		}
		if (line.n < 2 || line.p[1] != ':') {
			pk_anom(c, off, "apk line not of the form 'X:value': "
			    "ignored");
			junk = true;
			continue;
		}
		any = true;
		if (!b.open) {
			b.open = true;
			b.off = off;
		}
		kp = line.p[0] != 0 ? strchr(keys, line.p[0]) : NULL;
		if (kp == NULL)
			continue;
		if (b.has[kp - keys]) {
			pk_anom(c, off, "apk block with a second %c: line: "
			    "the first is kept", *kp);
			continue;
		}
		b.has[kp - keys] = true;
		b.f[kp - keys] = pk_sub(line, 2, line.n);
	}
	rc = pk_apk_block(c, &b);
	pk_rec_reset(c);
	if (rc < 0)
		return rc;
	if (!any && junk)
		return dd_err_set(c->e, DD_EFORMAT,
		    "no apk 'X:value' line in '%s'", c->path);
	return 0;
}

/* ---- rpm: the header blob ---- */

#define PK_RPM_NAME 1000
#define PK_RPM_VERSION 1001
#define PK_RPM_RELEASE 1002
#define PK_RPM_EPOCH 1003
#define PK_RPM_LICENSE 1014
#define PK_RPM_ARCH 1022
#define PK_RPM_SOURCERPM 1044

#define PK_RPM_INT32 4
#define PK_RPM_STRING 6
#define PK_RPM_STRING_ARRAY 8
#define PK_RPM_I18NSTRING 9

/* rpm's own bounds (lib/header.c hdrchkTags, hdrchkData). */
#define PK_RPM_MAX_TAGS 0xffffu
#define PK_RPM_MAX_DATA 0x0fffffffu

/* The name of a source rpm file: "hello-2.10-3.fc35.src.rpm" -> "hello". */
static struct pk_s
pk_rpm_srcname(struct pk_s s)
{
	size_t i, dashes = 0;

	if (pk_ends(s, ".src.rpm"))
		s.n -= 8;
	else if (pk_ends(s, ".nosrc.rpm"))
		s.n -= 10;
	else
		return pk_s(s.p, 0);
	for (i = s.n; i > 0; i--) {
		if (s.p[i - 1] == '-' && ++dashes == 2)
			return pk_s(s.p, i - 1);
	}
	return pk_s(s.p, 0);
}

/*
 * One rpm header blob (as rpmdb stores it: il, dl, the index, the data
 * store) at file offset off. Every offset and count is checked against
 * the store; a lying entry is an anomaly and the package is skipped when
 * its name or version cannot be read.
 */
static int
pk_rpm_header(struct pk_ctx *c, struct pk_s blob, uint64_t off)
{
	struct rd r, idx, store, v;
	uint32_t il, dl, i, tag, type, doff, count;
	struct pk_s str[7];
	bool has[7] = { 0 };
	uint32_t epoch = 0;
	bool has_epoch = false, bad = false;
	struct pk_pkg k;
	const char *evr, *vr, *purl;
	char ebuf[16];
	size_t need;

	rd_init(&r, blob.p, blob.n, off);
	il = rd_be32(&r);
	dl = rd_be32(&r);
	if (!rd_ok(&r) || il == 0 || il > PK_RPM_MAX_TAGS ||
	    dl > PK_RPM_MAX_DATA) {
		pk_anom(c, off, "rpm header with %" PRIu32 " tags and %" PRIu32
		    " data bytes (blob of %zu): skipped", il, dl, blob.n);
		return 0;
	}
	need = (size_t)il * 16;
	if (ckd_add(&need, need, (size_t)dl) || need > rd_left(&r)) {
		pk_anom(c, off, "rpm header of %" PRIu32 " tags and %" PRIu32
		    " data bytes overruns its blob of %zu: skipped", il, dl,
		    blob.n);
		return 0;
	}
	rd_sub(&r, (size_t)il * 16, &idx);
	rd_sub(&r, dl, &store);
	memset(str, 0, sizeof(str));
	for (i = 0; i < il; i++) {
		int slot;

		tag = rd_be32(&idx);
		type = rd_be32(&idx);
		doff = rd_be32(&idx);
		count = rd_be32(&idx);
		switch (tag) {
		case PK_RPM_NAME: slot = 0; break;
		case PK_RPM_VERSION: slot = 1; break;
		case PK_RPM_RELEASE: slot = 2; break;
		case PK_RPM_ARCH: slot = 3; break;
		case PK_RPM_LICENSE: slot = 4; break;
		case PK_RPM_SOURCERPM: slot = 5; break;
		case PK_RPM_EPOCH: slot = 6; break;
		default: continue;
		}
		if (slot == 6 ? has_epoch : has[slot])
			continue; /* the first one counts: bounded work */
		if (count == 0 || doff >= dl) {
			pk_anom(c, off, "rpm tag %" PRIu32 " at offset %"
			    PRIu32 " with count %" PRIu32 " (store of %" PRIu32
			    " bytes): ignored", tag, doff, count, dl);
			continue;
		}
		v = store;
		rd_skip(&v, doff);
		if (slot == 6) {
			if (type != PK_RPM_INT32 || doff % 4 != 0 ||
			    rd_left(&v) < 4) {
				pk_anom(c, off, "rpm EPOCH of type %" PRIu32
				    " at offset %" PRIu32 ": ignored", type,
				    doff);
				continue;
			}
			epoch = rd_be32(&v);
			has_epoch = true;
			continue;
		}
		if (type != PK_RPM_STRING && type != PK_RPM_STRING_ARRAY &&
		    type != PK_RPM_I18NSTRING) {
			pk_anom(c, off, "rpm tag %" PRIu32 " of type %" PRIu32
			    " (not a string): ignored", tag, type);
			continue;
		}
		{
			const uint8_t *p;
			size_t len;

			if (rd_until(&v, 0, &p, &len) != 0) {
				pk_anom(c, off, "rpm tag %" PRIu32 " string "
				    "not terminated inside the store: "
				    "ignored", tag);
				continue;
			}
			str[slot] = pk_s(p, len);
			has[slot] = true;
		}
	}
	if (!has[0] || !has[1] || str[0].n == 0 || str[1].n == 0) {
		pk_anom(c, off, "rpm header without a NAME or VERSION: "
		    "skipped");
		return 0;
	}
	memset(&k, 0, sizeof(k));
	k.name = pk_field(c, off, str[0], "rpm NAME", &bad);
	vr = pk_field(c, off, str[1], "rpm VERSION", &bad);
	if (has[2] && str[2].n > 0) {
		const char *rel = pk_field(c, off, str[2], "rpm RELEASE", &bad);

		if (vr != NULL && rel != NULL)
			vr = arena_printf(&c->rec, "%s-%s", vr, rel);
	}
	if (has[3])
		k.arch = pk_field(c, off, str[3], "rpm ARCH", &bad);
	if (has[4])
		k.license = pk_license(c, str[4]);
	if (has[5])
		k.source = pk_field(c, off, pk_rpm_srcname(str[5]),
		    "rpm SOURCERPM", &bad);
	if (bad || k.name == NULL || vr == NULL)
		return 0;
	evr = vr;
	if (has_epoch) {
		evr = arena_printf(&c->rec, "%" PRIu32 ":%s", epoch, vr);
		snprintf(ebuf, sizeof(ebuf), "%" PRIu32, epoch);
	}
	k.version = evr;
	{
		const char *q[] = { "arch", k.arch, "epoch",
			has_epoch ? ebuf : NULL, NULL };

		purl = pk_purl(c, "rpm", "redhat", k.name, vr, q);
	}
	return pk_emit(c, &k, "Red Hat", purl);
}

/* ---- rpm: rpmdb.sqlite through a read-only SQLite B-tree walk ---- */

struct pk_sql {
	struct pk_ctx *c;
	struct rd file;	   /* the whole database file */
	size_t psize;	   /* page size */
	size_t usable;	   /* page size less the reserved bytes */
	uint32_t npages;   /* whole pages in the file */
	uint8_t *seen;	   /* one bit per page: B-tree pages visited */
	size_t payload_max; /* cap on one cell's payload */
	uint64_t budget;   /* payload bytes left to assemble: cells that
			      overlap must not multiply the work */
};

typedef int (*pk_sql_row_fn)(struct pk_sql *s, struct pk_s rec,
    uint64_t off, void *arg);

/* A SQLite varint: big-endian base-128, the ninth byte gives 8 bits. */
static uint64_t
pk_sql_varint(struct rd *r)
{
	uint64_t v = 0;
	uint8_t b;
	int i;

	for (i = 0; i < 8; i++) {
		b = rd_u8(r);
		v = (v << 7) | (b & 0x7f);
		if ((b & 0x80) == 0)
			return v;
	}
	return (v << 8) | rd_u8(r);
}

/* A reader over page pg (1-based); false when out of the file. */
static bool
pk_sql_page(struct pk_sql *s, uint32_t pg, struct rd *out)
{
	struct rd f = s->file;

	if (pg == 0 || pg > s->npages)
		return false;
	rd_skip(&f, (size_t)(pg - 1) * s->psize);
	rd_sub(&f, s->usable, out);
	return rd_ok(out);
}

static uint64_t
pk_sql_pageoff(const struct pk_sql *s, uint32_t pg)
{
	return (uint64_t)(pg - 1) * s->psize;
}

/*
 * The payload of the leaf table cell at byte cell of page pg, whole
 * (overflow chain followed) into sb. False (with an anomaly) when it
 * cannot be read.
 */
static bool
pk_sql_payload(struct pk_sql *s, const struct rd *page, uint32_t pg,
    size_t cell, struct sbuf *sb)
{
	struct rd r = *page, ov;
	uint64_t plen, left;
	size_t u = s->usable, x = u - 35, m, local;
	const uint8_t *p;
	uint32_t next, hops = 0;
	uint64_t off = pk_sql_pageoff(s, pg) + cell;

	rd_skip(&r, cell);
	plen = pk_sql_varint(&r);
	(void)pk_sql_varint(&r); /* rowid */
	if (!rd_ok(&r)) {
		pk_anom(s->c, off, "SQLite cell past its page: skipped");
		return false;
	}
	if (plen > s->payload_max) {
		pk_anom(s->c, off, "SQLite cell payload of %" PRIu64
		    " bytes (more than %zu): skipped", plen, s->payload_max);
		return false;
	}
	if (plen <= x) {
		local = (size_t)plen;
	} else {
		m = ((u - 12) * 32 / 255) - 23;
		local = m + (size_t)((plen - m) % (u - 4));
		if (local > x)
			local = m;
	}
	sbuf_reset(sb);
	if (rd_bytes(&r, local, &p) != 0) {
		pk_anom(s->c, off, "SQLite cell payload past its page: "
		    "skipped");
		return false;
	}
	if (local > s->budget) {
		s->budget = 0;
		return false;
	}
	s->budget -= local;
	if (sbuf_add(sb, p, local) != 0)
		return false;
	left = plen - local;
	if (left == 0)
		return true;
	next = rd_be32(&r);
	while (left > 0) {
		size_t k;

		if (!rd_ok(&r) || !pk_sql_page(s, next, &ov) ||
		    ++hops > s->npages ||
		    (s->seen[(next - 1) / 8] & (1u << ((next - 1) % 8)))) {
			pk_anom(s->c, off, "SQLite overflow chain broken "
			    "at page %" PRIu32 " with %" PRIu64 " bytes "
			    "missing: skipped", next, left);
			return false;
		}
		/* Overflow pages belong to one cell: mark them, so that a
		 * chain shared by many cells is read once. */
		s->seen[(next - 1) / 8] |= (uint8_t)(1u << ((next - 1) % 8));
		next = rd_be32(&ov);
		k = (size_t)MIN(left, (uint64_t)(u - 4));
		if (rd_bytes(&ov, k, &p) != 0 || sbuf_add(sb, p, k) != 0)
			return false;
		left -= k;
	}
	return true;
}

/*
 * Walk the table B-tree rooted at pg, calling fn on the payload of
 * every row in rowid order. Each page is visited once per database
 * (a loop or a shared child is an anomaly), at most PKGDB_BTREE_DEPTH
 * deep. Returns 0, fn's negative code, or 1 when the payload budget ran
 * out (overlapping cells) and the walk stopped.
 */
static int
pk_sql_tree(struct pk_sql *s, uint32_t pg, int depth, struct sbuf *sb,
    pk_sql_row_fn fn, void *arg)
{
	struct rd page, h, cr;
	uint8_t type;
	uint16_t ncells, i, cell;
	uint32_t right = 0, child;
	uint64_t off;
	int rc;

	if (depth > PKGDB_BTREE_DEPTH) {
		pk_anom(s->c, 0, "SQLite B-tree deeper than %d pages: "
		    "subtree skipped", PKGDB_BTREE_DEPTH);
		return 0;
	}
	if (!pk_sql_page(s, pg, &page)) {
		pk_anom(s->c, 0, "SQLite B-tree page %" PRIu32 " outside "
		    "the file (%" PRIu32 " pages): skipped", pg, s->npages);
		return 0;
	}
	off = pk_sql_pageoff(s, pg);
	if (s->seen[(pg - 1) / 8] & (1u << ((pg - 1) % 8))) {
		pk_anom(s->c, off, "SQLite B-tree page %" PRIu32 " reached "
		    "twice: skipped", pg);
		return 0;
	}
	s->seen[(pg - 1) / 8] |= (uint8_t)(1u << ((pg - 1) % 8));
	h = page;
	rd_skip(&h, pg == 1 ? 100 : 0);
	type = rd_u8(&h);
	rd_skip(&h, 2);
	ncells = rd_be16(&h);
	rd_skip(&h, 3);
	if (type == 0x05)
		right = rd_be32(&h);
	else if (type != 0x0d) {
		pk_anom(s->c, off, "SQLite page %" PRIu32 " of type 0x%02x "
		    "where a table B-tree page belongs: skipped", pg, type);
		return 0;
	}
	for (i = 0; i < ncells; i++) {
		cell = rd_be16(&h);
		if (!rd_ok(&h) || cell >= s->usable) {
			pk_anom(s->c, off, "SQLite page %" PRIu32 ": cell "
			    "pointer %u outside the page: rest of the page "
			    "skipped", pg, i);
			break;
		}
		if (type == 0x0d) {
			if (!pk_sql_payload(s, &page, pg, cell, sb)) {
				if (s->budget > 0)
					continue;
				pk_anom(s->c, off, "SQLite cells overlap past "
				    "the size of the file: walk stopped");
				return 1;
			}
			rc = fn(s, pk_s(sb->buf, sb->len), off + cell, arg);
			if (rc < 0)
				return rc;
			continue;
		}
		cr = page;
		rd_skip(&cr, cell);
		child = rd_be32(&cr);
		if (!rd_ok(&cr))
			continue;
		rc = pk_sql_tree(s, child, depth + 1, sb, fn, arg);
		if (rc != 0)
			return rc;
	}
	if (type == 0x05)
		return pk_sql_tree(s, right, depth + 1, sb, fn, arg);
	return 0;
}

/* Size in bytes of a value of serial type t. */
static uint64_t
pk_sql_typesize(uint64_t t)
{
	static const uint8_t sz[] = { 0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0 };

	if (t < 12)
		return sz[t];
	return (t - 12) / 2;
}

/*
 * Column col of record rec: its serial type in *type and its bytes in
 * *val. False when the record is malformed or shorter.
 */
static bool
pk_sql_col(struct pk_s rec, unsigned col, uint64_t *type, struct pk_s *val)
{
	struct rd all, h, h0;
	uint64_t hs, t = 0, sz;
	unsigned i;
	const uint8_t *p;

	rd_init(&h0, rec.p, rec.n, 0);
	hs = pk_sql_varint(&h0);
	if (!rd_ok(&h0) || hs > rec.n || hs < rd_off(&h0))
		return false;
	/* The header is the first hs bytes, the values follow. */
	rd_init(&all, rec.p, rec.n, 0);
	rd_sub(&all, (size_t)hs, &h);
	rd_skip(&h, (size_t)rd_off(&h0));
	for (i = 0; i <= col; i++) {
		if (rd_left(&h) == 0)
			return false;
		t = pk_sql_varint(&h);
		if (!rd_ok(&h) || t == 10 || t == 11)
			return false;
		sz = pk_sql_typesize(t);
		if (sz > rd_left(&all))
			return false;
		if (i < col)
			rd_skip(&all, (size_t)sz);
	}
	if (rd_bytes(&all, (size_t)sz, &p) != 0)
		return false;
	*type = t;
	*val = pk_s(p, (size_t)sz);
	return true;
}

/* A column's integer value (types 1-6, 8, 9); false for other types. */
static bool
pk_sql_int(uint64_t type, struct pk_s v, int64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (type == 8 || type == 9) {
		*out = (int64_t)type - 8;
		return true;
	}
	if (type < 1 || type > 6)
		return false;
	for (i = 0; i < v.n; i++)
		x = (x << 8) | v.p[i];
	if (v.n < 8 && v.n > 0 && (v.p[0] & 0x80))
		x |= ~(uint64_t)0 << (8 * v.n);
	*out = (int64_t)x;
	return true;
}

/* sqlite_schema row: note the root page of table Packages. */
static int
pk_sql_schema_row(struct pk_sql *s, struct pk_s rec, uint64_t off, void *arg)
{
	uint32_t *root = arg;
	uint64_t t;
	struct pk_s type, name, rp;
	int64_t v;

	(void)s;
	(void)off;
	if (!pk_sql_col(rec, 0, &t, &type) || t < 13 || !(t & 1) ||
	    !pk_eq(type, "table"))
		return 0;
	if (!pk_sql_col(rec, 1, &t, &name) || t < 13 || !(t & 1) ||
	    !pk_eq_ci(name, "Packages"))
		return 0;
	if (!pk_sql_col(rec, 3, &t, &rp) || !pk_sql_int(t, rp, &v) || v < 1 ||
	    v > UINT32_MAX)
		return 0;
	if (*root == 0)
		*root = (uint32_t)v;
	return 0;
}

/* Packages row: (hnum, blob). */
static int
pk_sql_pkg_row(struct pk_sql *s, struct pk_s rec, uint64_t off, void *arg)
{
	uint64_t t;
	struct pk_s blob;
	int rc;

	(void)arg;
	if (!pk_sql_col(rec, 1, &t, &blob) || t < 12 || (t & 1)) {
		pk_anom(s->c, off, "rpmdb Packages row without a blob: "
		    "skipped");
		return 0;
	}
	rc = pk_rpm_header(s->c, blob, off);
	pk_rec_reset(s->c);
	return rc;
}

static int
pk_rpm_sqlite(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	static const uint8_t magic[16] = "SQLite format 3";
	struct pk_sql s;
	struct rd r;
	const uint8_t *m;
	uint32_t psize, reserved, enc, root = 0;
	struct sbuf sb = SBUF_INIT;
	int rc;

	memset(&s, 0, sizeof(s));
	s.c = c;
	rd_init(&r, data, n, 0);
	rd_init(&s.file, data, n, 0);
	if (rd_bytes(&r, 16, &m) != 0 || memcmp(m, magic, 16) != 0)
		return dd_err_set(c->e, DD_EFORMAT,
		    "'%s' is not a SQLite database (bad magic)", c->path);
	psize = rd_be16(&r);
	if (psize == 1)
		psize = 65536;
	rd_skip(&r, 2);
	reserved = rd_u8(&r);
	rd_skip(&r, 35);
	enc = rd_be32(&r);
	if (!rd_ok(&r) || psize < 512 || (psize & (psize - 1)) != 0 ||
	    psize - reserved < 480 || n < psize)
		return dd_err_set(c->e, DD_EFORMAT,
		    "'%s': SQLite header with page size %" PRIu32 " and %"
		    PRIu32 " reserved bytes (file of %zu bytes)", c->path,
		    psize, reserved, n);
	if (enc != 1 && enc != 0)
		pk_anom(c, 56, "SQLite text encoding %" PRIu32 " (not UTF-8): "
		    "table names may not match", enc);
	s.psize = psize;
	s.usable = psize - reserved;
	s.npages = (uint32_t)(n / psize);
	s.payload_max = MIN(n, PKGDB_RPM_BLOB_MAX + 64);
	s.seen = xcalloc((s.npages + 7) / 8, 1);
	sbuf_init(&sb, s.payload_max);
	s.budget = (uint64_t)n * 2 + (1u << 20);
	rc = pk_sql_tree(&s, 1, 0, &sb, pk_sql_schema_row, &root);
	if (rc > 0)
		rc = 0;
	if (rc == 0 && root == 0)
		rc = dd_err_set(c->e, DD_EFORMAT,
		    "'%s': no table 'Packages' in the SQLite schema", c->path);
	if (rc == 0)
		rc = pk_sql_tree(&s, root, 0, &sb, pk_sql_pkg_row, NULL);
	if (rc > 0)
		rc = 0;
	sbuf_release(&sb);
	free(s.seen);
	return rc;
}

/* ---- rpm: Berkeley DB hash "Packages" ---- */

/*
 * Berkeley DB 4.x/5.x hash database (db_page.h), as rpm < 4.16 wrote
 * /var/lib/rpm/Packages: key = header number (4 bytes, host order), value
 * = the header blob. Read without libdb:
 *
 *   page 0, hash meta: 12 magic 0x061561 (its byte order is the file's)
 *     16 version  20 page size  24 encrypt_alg  26 metaflags (1 =
 *     checksums)  32 last_pgno
 *   every page: 8 pgno  12 prev  16 next_pgno  20 entries (u16)
 *     22 hf_offset (u16; on an overflow page the bytes it holds)
 *     25 type (13 P_HASH, 2 P_HASH_UNSORTED, 7 P_OVERFLOW), then at 26
 *     `entries` u16 item offsets; items go in key/value pairs
 *   item: 1 H_KEYDATA (bytes follow, up to the previous item's start or
 *     the page end), 3 H_OFFPAGE {type, 3 unused, pgno u32, tlen u32}:
 *     the value lives in the overflow chain starting at pgno
 *
 * Hash pages are walked in page order (the oracle, rpm's bdb_ro, walks
 * buckets; the set is the same). Overflow pages are read once each.
 */

#define PK_BDB_HASH_MAGIC 0x061561u
#define PK_BDB_P_HASH_UNSORTED 2
#define PK_BDB_P_OVERFLOW 7
#define PK_BDB_P_HASH 13
#define PK_BDB_H_KEYDATA 1
#define PK_BDB_H_OFFPAGE 3

struct pk_bdb {
	struct pk_ctx *c;
	struct rd file;
	bool be;
	size_t psize;
	uint32_t npages;
	uint8_t *seen;	/* overflow pages already read */
};

static uint16_t
pk_bdb_u16(const struct pk_bdb *b, struct rd *r)
{
	return b->be ? rd_be16(r) : rd_le16(r);
}

static uint32_t
pk_bdb_u32(const struct pk_bdb *b, struct rd *r)
{
	return b->be ? rd_be32(r) : rd_le32(r);
}

static bool
pk_bdb_page(const struct pk_bdb *b, uint32_t pg, struct rd *out)
{
	struct rd f = b->file;

	if (pg >= b->npages)
		return false;
	rd_skip(&f, (size_t)pg * b->psize);
	rd_sub(&f, b->psize, out);
	return rd_ok(out);
}

/* The value of an H_OFFPAGE item: tlen bytes along the chain from pg. */
static bool
pk_bdb_chain(struct pk_bdb *b, uint32_t pg, uint32_t tlen, struct sbuf *sb,
    uint64_t off)
{
	struct rd page, h;
	const uint8_t *p;
	uint32_t next;
	uint16_t len;

	sbuf_reset(sb);
	if (tlen > PKGDB_RPM_BLOB_MAX) {
		pk_anom(b->c, off, "Berkeley DB value of %" PRIu32 " bytes "
		    "(more than %zu): skipped", tlen,
		    (size_t)PKGDB_RPM_BLOB_MAX);
		return false;
	}
	while (sb->len < tlen) {
		if (!pk_bdb_page(b, pg, &page) || pg == 0 ||
		    (b->seen[pg / 8] & (1u << (pg % 8)))) {
			pk_anom(b->c, off, "Berkeley DB overflow chain broken "
			    "at page %" PRIu32 " with %zu of %" PRIu32
			    " bytes: skipped", pg, sb->len, tlen);
			return false;
		}
		b->seen[pg / 8] |= (uint8_t)(1u << (pg % 8));
		h = page;
		rd_skip(&h, 16);
		next = pk_bdb_u32(b, &h);
		rd_skip(&h, 2);
		len = pk_bdb_u16(b, &h);
		rd_skip(&h, 1);
		if (rd_u8(&h) != PK_BDB_P_OVERFLOW || len == 0 ||
		    len > tlen - sb->len || rd_bytes(&h, len, &p) != 0) {
			pk_anom(b->c, off, "Berkeley DB overflow page %" PRIu32
			    " of a bad type or length: value skipped", pg);
			return false;
		}
		sbuf_add(sb, p, len);
		pg = next;
	}
	return true;
}

/* One hash page: its key/value pairs. */
static int
pk_bdb_hash_page(struct pk_bdb *b, uint32_t pg, struct rd *page,
    struct sbuf *sb)
{
	struct rd h = *page, it;
	uint16_t n, i, ko, vo;
	size_t prev = b->psize; /* where the item before ends */
	uint64_t off = (uint64_t)pg * b->psize;
	const uint8_t *p;
	int rc;

	rd_skip(&h, 20);
	n = pk_bdb_u16(b, &h);
	rd_skip(&h, 4);
	for (i = 0; i + 1 < n; i += 2, prev = vo) {
		uint8_t kt, vt;

		ko = pk_bdb_u16(b, &h);
		vo = pk_bdb_u16(b, &h);
		if (!rd_ok(&h) || ko >= prev || vo >= ko || vo < 26) {
			pk_anom(b->c, off, "Berkeley DB hash page %" PRIu32
			    ": item offsets %u/%u out of order or outside "
			    "the page: rest of the page skipped", pg, ko, vo);
			return 0;
		}
		/* rpm's key 0 holds the next header number, not a header. */
		it = *page;
		rd_skip(&it, ko);
		kt = rd_u8(&it);
		if (kt == PK_BDB_H_KEYDATA && prev - ko - 1 == 4 &&
		    rd_bytes(&it, 4, &p) == 0 && p[0] == 0 && p[1] == 0 &&
		    p[2] == 0 && p[3] == 0)
			continue;
		it = *page;
		rd_skip(&it, vo);
		vt = rd_u8(&it);
		if (vt == PK_BDB_H_KEYDATA) {
			/* On the page, up to the key's start. */
			if (rd_bytes(&it, (size_t)(ko - vo - 1), &p) != 0)
				continue;
			sbuf_reset(sb);
			sbuf_add(sb, p, (size_t)(ko - vo - 1));
		} else if (vt == PK_BDB_H_OFFPAGE) {
			uint32_t opg, tlen;

			rd_skip(&it, 3);
			opg = pk_bdb_u32(b, &it);
			tlen = pk_bdb_u32(b, &it);
			if (!rd_ok(&it) ||
			    !pk_bdb_chain(b, opg, tlen, sb, off + vo))
				continue;
		} else {
			pk_anom(b->c, off + vo, "Berkeley DB item of type %u "
			    "(not data or an overflow reference): skipped", vt);
			continue;
		}
		rc = pk_rpm_header(b->c, pk_s(sb->buf, sb->len), off + vo);
		pk_rec_reset(b->c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int
pk_rpm_bdb(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	struct pk_bdb b;
	struct rd r, page;
	uint32_t magic, psize, last, pg;
	uint8_t enc, type, mflags;
	struct sbuf sb = SBUF_INIT;
	int rc = 0;

	memset(&b, 0, sizeof(b));
	b.c = c;
	rd_init(&b.file, data, n, 0);
	rd_init(&r, data, n, 0);
	rd_skip(&r, 12);
	magic = rd_le32(&r);
	if (magic != PK_BDB_HASH_MAGIC) {
		b.be = true;
		r = b.file;
		rd_skip(&r, 12);
		magic = rd_be32(&r);
	}
	if (!rd_ok(&r) || magic != PK_BDB_HASH_MAGIC)
		return dd_err_set(c->e, DD_EFORMAT, "'%s' is not a Berkeley "
		    "DB hash database (bad magic)", c->path);
	rd_skip(&r, 4);
	psize = pk_bdb_u32(&b, &r);
	enc = rd_u8(&r);
	type = rd_u8(&r);
	mflags = rd_u8(&r);
	rd_skip(&r, 5);
	last = pk_bdb_u32(&b, &r);
	if (!rd_ok(&r) || psize < 512 || psize > 65536 ||
	    (psize & (psize - 1)) != 0 || type != 8)
		return dd_err_set(c->e, DD_EFORMAT, "'%s': Berkeley DB hash "
		    "meta page with page size %" PRIu32 " and type %u",
		    c->path, psize, type);
	if (enc != 0 || (mflags & 1) != 0)
		return dd_err_set(c->e, DD_EFORMAT, "'%s': encrypted or "
		    "checksummed Berkeley DB databases are not read",
		    c->path);
	b.psize = psize;
	b.npages = (uint32_t)MIN((uint64_t)n / psize, (uint64_t)last + 1);
	b.seen = xcalloc((size_t)b.npages / 8 + 1, 1);
	sbuf_init(&sb, PKGDB_RPM_BLOB_MAX);
	for (pg = 1; pg < b.npages && rc >= 0; pg++) {
		struct rd h;

		if (!pk_bdb_page(&b, pg, &page))
			break;
		h = page;
		rd_skip(&h, 25);
		type = rd_u8(&h);
		if (type == PK_BDB_P_HASH || type == PK_BDB_P_HASH_UNSORTED)
			rc = pk_bdb_hash_page(&b, pg, &page, &sb);
	}
	sbuf_release(&sb);
	free(b.seen);
	return rc;
}

/* ---- rpm: ndb "Packages.db" ---- */

/*
 * rpm's own "ndb" format (lib/backend/ndb/rpmpkg.c; SUSE since SLE 15
 * SP3), little-endian:
 *
 *   0   header (32 bytes): "RpmP", version 0, generation, slot pages,
 *       next package index, reserved
 *   32  slots (16 bytes each; slot pages x 4096 / 16 - 2 of them):
 *       "Slot", package index (0: free), block offset, block count
 *   block offset x 16: blob header "BlbS", package index, checksum,
 *       length, then the header blob (the checksum is not verified)
 */

#define PK_NDB_MAGIC 0x506d7052u      /* "RpmP" */
#define PK_NDB_SLOT_MAGIC 0x746f6c53u /* "Slot" */
#define PK_NDB_BLOB_MAGIC 0x53626c42u /* "BlbS" */
#define PK_NDB_MAX_SLOT_PAGES 2048u   /* rpm's own sanity bound */

static int
pk_rpm_ndb(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	struct rd r, slots, blob;
	uint32_t magic, version, npages, nslots, i, sm, idx, blkoff, blkcnt;
	uint32_t bm, bidx, blen;
	const uint8_t *p;
	uint64_t off;
	int rc;

	rd_init(&r, data, n, 0);
	magic = rd_le32(&r);
	version = rd_le32(&r);
	rd_skip(&r, 4);
	npages = rd_le32(&r);
	rd_skip(&r, 16);
	if (!rd_ok(&r) || magic != PK_NDB_MAGIC)
		return dd_err_set(c->e, DD_EFORMAT, "'%s' is not an rpm ndb "
		    "database (bad magic)", c->path);
	if (version != 0 || npages == 0 || npages > PK_NDB_MAX_SLOT_PAGES)
		return dd_err_set(c->e, DD_EFORMAT, "'%s': ndb version %" PRIu32
		    " with %" PRIu32 " slot pages", c->path, version, npages);
	nslots = npages * (4096 / 16) - 2;
	if ((size_t)nslots * 16 > rd_left(&r)) {
		pk_anom(c, 32, "ndb slot table of %" PRIu32 " slots cut short "
		    "by the end of the file: the rest read", nslots);
		nslots = (uint32_t)(rd_left(&r) / 16);
	}
	rd_sub(&r, (size_t)nslots * 16, &slots);
	for (i = 0; i < nslots; i++) {
		off = rd_off(&slots);
		sm = rd_le32(&slots);
		idx = rd_le32(&slots);
		blkoff = rd_le32(&slots);
		blkcnt = rd_le32(&slots);
		if (sm != PK_NDB_SLOT_MAGIC) {
			pk_anom(c, off, "ndb slot %" PRIu32 " with a bad "
			    "magic: skipped", i);
			continue;
		}
		if (idx == 0)
			continue; /* a free slot */
		rd_init(&blob, data, n, 0);
		if ((uint64_t)blkoff * 16 > n ||
		    rd_skip(&blob, (size_t)blkoff * 16) != 0) {
			pk_anom(c, off, "ndb slot %" PRIu32 ": block %" PRIu32
			    " outside the file: skipped", i, blkoff);
			continue;
		}
		off = rd_off(&blob);
		bm = rd_le32(&blob);
		bidx = rd_le32(&blob);
		rd_skip(&blob, 4);
		blen = rd_le32(&blob);
		if (!rd_ok(&blob) || bm != PK_NDB_BLOB_MAGIC || bidx != idx ||
		    blen > PKGDB_RPM_BLOB_MAX ||
		    (uint64_t)blen + 16 > (uint64_t)blkcnt * 16 ||
		    rd_bytes(&blob, blen, &p) != 0) {
			pk_anom(c, off, "ndb blob of package %" PRIu32
			    " with a bad magic, index or length (%" PRIu32
			    " bytes in %" PRIu32 " blocks): skipped", idx, blen,
			    blkcnt);
			continue;
		}
		rc = pk_rpm_header(c, pk_s(p, blen), off + 16);
		pk_rec_reset(c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- Python: METADATA, PKG-INFO, *.egg-info ---- */

/* The purl name of a Python distribution: lowercased, each run of "-_."
 * as one "-" (PEP 503 normalisation). */
static const char *
pk_py_norm(struct pk_ctx *c, const char *name)
{
	size_t n = strlen(name), i, o = 0;
	char *out = arena_alloc(&c->rec, n + 1);

	for (i = 0; i < n; i++) {
		char ch = name[i];

		if (ch == '-' || ch == '_' || ch == '.') {
			if (o == 0 || out[o - 1] != '-')
				out[o++] = '-';
			continue;
		}
		out[o++] = (char)pk_lower((unsigned char)ch);
	}
	out[o] = '\0';
	return out;
}

static int
pk_python(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	struct rd r;
	struct pk_s line, key, val, name = { 0 }, ver = { 0 }, lic = { 0 },
	    expr = { 0 }, cls = { 0 };
	bool has_name = false, has_ver = false, any = false, bad = false;
	uint64_t off;
	size_t colon;
	struct pk_pkg k;

	rd_init(&r, data, n, 0);
	while (pk_line(&r, &line, &off, true)) {
		if (line.n == 0)
			break; /* the body (description) follows */
		if (line.p[0] == ' ' || line.p[0] == '\t')
			continue; /* continuation of a multi-line field */
		colon = pk_find(line, ':');
		if (colon == line.n || colon == 0) {
			pk_anom(c, off, "Python metadata line without a "
			    "field name: ignored");
			continue;
		}
		any = true;
		key = pk_sub(line, 0, colon);
		val = pk_trim(pk_sub(line, colon + 1, line.n));
		if (pk_eq_ci(key, "Name") && !has_name) {
			name = val;
			has_name = true;
		} else if (pk_eq_ci(key, "Version") && !has_ver) {
			ver = val;
			has_ver = true;
		} else if (pk_eq_ci(key, "License") && lic.n == 0) {
			lic = val;
		} else if (pk_eq_ci(key, "License-Expression") &&
		    expr.n == 0) {
			expr = val;
		} else if (pk_eq_ci(key, "Classifier") && cls.n == 0 &&
		    pk_starts(val, "License ::")) {
			size_t i;

			/* "License :: OSI Approved :: MIT License". */
			for (i = val.n; i > 1; i--)
				if (val.p[i - 1] == ':' && val.p[i - 2] == ':')
					break;
			cls = pk_trim(pk_sub(val, i, val.n));
		}
	}
	if (!any)
		return dd_err_set(c->e, DD_EFORMAT,
		    "no metadata field in '%s'", c->path);
	if (name.n == 0 || ver.n == 0) {
		pk_anom(c, 0, "Python metadata without %s: skipped",
		    name.n == 0 ? "a Name" : "a Version");
		return 0;
	}
	memset(&k, 0, sizeof(k));
	k.name = pk_field(c, 0, name, "Name", &bad);
	k.version = pk_field(c, 0, ver, "Version", &bad);
	if (expr.n > 0)
		k.license = pk_license(c, expr);
	else if (lic.n > 0 && !pk_eq_ci(lic, "UNKNOWN"))
		k.license = pk_license(c, lic);
	else if (cls.n > 0)
		k.license = pk_license(c, cls);
	if (bad || k.name == NULL || k.version == NULL)
		return 0;
	return pk_emit(c, &k, "PyPI",
	    pk_purl(c, "pypi", NULL, pk_py_norm(c, k.name), k.version, NULL));
}

/* ---- npm: package-lock.json and node_modules/.../package.json ---- */

/* A string member of o, as a slice (empty when absent or not a string). */
static struct pk_s
pk_json_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return pk_s(NULL, 0);
	return pk_s(json_string_value(v), json_string_length(v));
}

/* "license": "MIT", {"type": "MIT"}, or the legacy "licenses": [...]. */
static const char *
pk_npm_license(struct pk_ctx *c, json_t *o)
{
	json_t *v = json_object_get(o, "license");

	if (json_is_string(v))
		return pk_license(c, pk_json_str(o, "license"));
	if (json_is_object(v))
		return pk_license(c, pk_json_str(v, "type"));
	v = json_object_get(o, "licenses");
	if (json_is_array(v) && json_array_size(v) > 0) {
		json_t *f = json_array_get(v, 0);

		if (json_is_string(f))
			return pk_license(c, pk_s(json_string_value(f),
			    json_string_length(f)));
		if (json_is_object(f))
			return pk_license(c, pk_json_str(f, "type"));
	}
	return NULL;
}

/* Report one npm package; name may be "@scope/name". */
static int
pk_npm_emit(struct pk_ctx *c, struct pk_s name, struct pk_s ver,
    const char *license, const char *where)
{
	struct pk_pkg k;
	bool bad = false;
	const char *slash, *ns = NULL, *base;

	memset(&k, 0, sizeof(k));
	k.name = pk_field(c, 0, name, "npm name", &bad);
	k.version = pk_field(c, 0, ver, "npm version", &bad);
	k.license = license;
	if (bad)
		return 0;
	if (k.name == NULL || k.version == NULL) {
		pk_anom(c, 0, "npm package %s without a %s: skipped", where,
		    k.name == NULL ? "name" : "version");
		return 0;
	}
	base = k.name;
	if (k.name[0] == '@' && (slash = strchr(k.name, '/')) != NULL) {
		ns = arena_strndup(&c->rec, k.name, (size_t)(slash - k.name));
		base = slash + 1;
	}
	return pk_emit(c, &k, "npm",
	    pk_purl(c, "npm", ns, base, k.version, NULL));
}

/* lockfileVersion 1: the "dependencies" tree, name -> {version,
 * dependencies}. */
static int
pk_npm_deps(struct pk_ctx *c, json_t *deps, int depth)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(deps))
		return 0;
	if (depth >= PKGDB_JSON_DEPTH) {
		pk_anom(c, 0, "npm dependency tree deeper than %d: the rest "
		    "skipped", PKGDB_JSON_DEPTH);
		return 0;
	}
	json_object_foreach(deps, key, v) {
		if (!json_is_object(v)) {
			pk_anom(c, 0, "npm dependency that is not an object: "
			    "skipped");
			continue;
		}
		rc = pk_npm_emit(c, pk_lit(key), pk_json_str(v, "version"),
		    pk_npm_license(c, v), "in 'dependencies'");
		pk_rec_reset(c);
		if (rc < 0)
			return rc;
		rc = pk_npm_deps(c, json_object_get(v, "dependencies"),
		    depth + 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The JSON object in data, or NULL with *rc set (and e filled). */
static json_t *
pk_json_load(struct pk_ctx *c, const uint8_t *data, size_t n, int *rc)
{
	json_error_t jerr;
	json_t *root;

	*rc = DD_EFORMAT;
	if (n > PKGDB_JSON_MAX) {
		/* Not read, like a file of another format: the caller goes
		 * on with the next file. */
		*rc = dd_err_set(c->e, DD_EFORMAT, "'%s': JSON of %zu bytes "
		    "(more than %zu): not read", c->path, n, PKGDB_JSON_MAX);
		return NULL;
	}
	/* Duplicate keys are accepted (the last wins), as npm does. */
	root = json_loadb((const char *)data, n, 0, &jerr);
	if (root == NULL) {
		dd_err_set_at(c->e, DD_EFORMAT, jerr.position,
		    "'%s' is not JSON: line %d: %s", c->path, jerr.line,
		    pk_liberr(c, jerr.text, "?"));
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		dd_err_set(c->e, DD_EFORMAT, "'%s': JSON that is not an "
		    "object", c->path);
		return NULL;
	}
	return root;
}

static int
pk_npm_lock(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	json_t *root, *pkgs, *v;
	const char *key;
	int rc = 0;

	if ((root = pk_json_load(c, data, n, &rc)) == NULL)
		return rc;
	pkgs = json_object_get(root, "packages");
	if (json_is_object(pkgs)) {
		json_object_foreach(pkgs, key, v) {
			struct pk_s k = pk_lit(key), name;
			size_t i, at = k.n;

			/* Only installed packages: "node_modules/a",
			 * "node_modules/a/node_modules/@s/b"; not the root
			 * project ("") nor workspace folders. */
			for (i = 0; i + 13 <= k.n; i++)
				if (memcmp(k.p + i, "node_modules/", 13) == 0 &&
				    (i == 0 || k.p[i - 1] == '/'))
					at = i + 13;
			if (at == k.n)
				continue;
			if (!json_is_object(v)) {
				pk_anom(c, 0, "npm \"packages\" entry that is "
				    "not an object: skipped");
				continue;
			}
			if (json_is_true(json_object_get(v, "link")))
				continue;
			name = pk_json_str(v, "name");
			if (name.n == 0)
				name = pk_sub(k, at, k.n);
			rc = pk_npm_emit(c, name, pk_json_str(v, "version"),
			    pk_npm_license(c, v), "in \"packages\"");
			pk_rec_reset(c);
			if (rc < 0)
				break;
		}
	} else if (json_is_object(json_object_get(root, "dependencies"))) {
		rc = pk_npm_deps(c, json_object_get(root, "dependencies"), 0);
	} else if (json_object_get(root, "lockfileVersion") == NULL) {
		rc = dd_err_set(c->e, DD_EFORMAT, "'%s': no lockfileVersion, "
		    "\"packages\" or \"dependencies\"", c->path);
	}
	json_decref(root);
	return rc;
}

static int
pk_npm_pkg(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	json_t *root;
	int rc;

	if ((root = pk_json_load(c, data, n, &rc)) == NULL)
		return rc;
	rc = pk_npm_emit(c, pk_json_str(root, "name"),
	    pk_json_str(root, "version"), pk_npm_license(c, root),
	    "package.json");
	pk_rec_reset(c);
	json_decref(root);
	return rc;
}

/* ---- Ruby: specifications/NAME.gemspec ---- */

/* The first quoted string of s ("..." or '...', backslash escapes kept
 * simple: the next byte is taken as is) into sb; false when none. */
static bool
pk_gem_quoted(struct pk_s s, struct sbuf *sb)
{
	size_t i = 0;
	uint8_t q;

	while (i < s.n && s.p[i] != '"' && s.p[i] != '\'')
		i++;
	if (i == s.n)
		return false;
	q = s.p[i++];
	sbuf_reset(sb);
	for (; i < s.n; i++) {
		if (s.p[i] == q)
			return true;
		if (s.p[i] == '\\' && i + 1 < s.n)
			i++;
		if (sbuf_addch(sb, s.p[i]) != 0)
			return false;
	}
	return false;
}

static int
pk_gemspec(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	struct rd r;
	struct pk_s line, t, attr;
	struct sbuf name = SBUF_INIT, ver = SBUF_INIT, lic = SBUF_INIT;
	struct pk_s stub_name = { 0 }, stub_ver = { 0 };
	bool has_name = false, has_ver = false, has_lic = false, bad = false;
	uint64_t off;
	size_t i, j;
	struct pk_pkg k;
	int rc = 0;

	sbuf_init(&name, PKGDB_FIELD_MAX + 1);
	sbuf_init(&ver, PKGDB_FIELD_MAX + 1);
	sbuf_init(&lic, PKGDB_LICENSE_MAX * 2);
	rd_init(&r, data, n, 0);
	while (pk_line(&r, &line, &off, true)) {
		t = pk_trim(line);
		if (pk_starts(t, "# stub: ") && stub_name.n == 0) {
			/* "# stub: NAME VERSION PLATFORM PATHS" */
			t = pk_sub(t, 8, t.n);
			i = pk_find(t, ' ');
			stub_name = pk_sub(t, 0, i);
			t = pk_sub(t, i + 1, t.n);
			stub_ver = pk_sub(t, 0, pk_find(t, ' '));
			continue;
		}
		/* IDENT.attr = value */
		for (i = 0; i < t.n && (t.p[i] == '_' ||
		    (t.p[i] >= 'a' && t.p[i] <= 'z') ||
		    (t.p[i] >= 'A' && t.p[i] <= 'Z') ||
		    (i > 0 && t.p[i] >= '0' && t.p[i] <= '9')); i++)
			;
		if (i == 0 || i == t.n || t.p[i] != '.')
			continue;
		for (j = ++i; j < t.n && ((t.p[j] >= 'a' && t.p[j] <= 'z') ||
		    t.p[j] == '_'); j++)
			;
		attr = pk_sub(t, i, j);
		while (j < t.n && (t.p[j] == ' ' || t.p[j] == '\t'))
			j++;
		if (j == t.n || t.p[j] != '=' ||
		    (j + 1 < t.n && t.p[j + 1] == '='))
			continue;
		t = pk_sub(t, j + 1, t.n);
		if (pk_eq(attr, "name") && !has_name) {
			has_name = pk_gem_quoted(t, &name);
		} else if (pk_eq(attr, "version") && !has_ver) {
			has_ver = pk_gem_quoted(t, &ver);
		} else if ((pk_eq(attr, "license") ||
		    pk_eq(attr, "licenses")) && !has_lic) {
			has_lic = pk_gem_quoted(t, &lic);
		}
	}
	if (!has_name && stub_name.n > 0)
		has_name = sbuf_add(&name, stub_name.p, stub_name.n) == 0;
	if (!has_ver && stub_ver.n > 0)
		has_ver = sbuf_add(&ver, stub_ver.p, stub_ver.n) == 0;
	if (!has_name || !has_ver || name.len == 0 || ver.len == 0) {
		if (!has_name && !has_ver)
			rc = dd_err_set(c->e, DD_EFORMAT, "no name or version "
			    "in gemspec '%s'", c->path);
		else
			pk_anom(c, 0, "gemspec without a %s: skipped",
			    has_name ? "version" : "name");
		goto out;
	}
	memset(&k, 0, sizeof(k));
	k.name = pk_field(c, 0, pk_s(name.buf, name.len), "gem name", &bad);
	k.version = pk_field(c, 0, pk_s(ver.buf, ver.len), "gem version",
	    &bad);
	if (has_lic)
		k.license = pk_license(c, pk_s(lic.buf, lic.len));
	if (!bad && k.name != NULL && k.version != NULL)
		rc = pk_emit(c, &k, "RubyGems",
		    pk_purl(c, "gem", NULL, k.name, k.version, NULL));
out:
	sbuf_release(&name);
	sbuf_release(&ver);
	sbuf_release(&lic);
	return rc;
}

/* ---- Java: jars (pom.properties, MANIFEST.MF), nested one level ---- */

/* What a jar's manifest main section says. */
struct pk_mf {
	struct sbuf title, version, vendor_id;
};

/*
 * Read the current entry's data into sb (reset first), at most cap bytes
 * and within the jar budget. False (with an anomaly naming what) when it
 * cannot be read whole.
 */
static bool
pk_jar_read(struct pk_ctx *c, struct archive *a, struct sbuf *sb, size_t cap,
    const char *what, const char *where)
{
	uint8_t buf[16384];
	la_ssize_t k;

	sbuf_reset(sb);
	for (;;) {
		k = archive_read_data(a, buf, sizeof(buf));
		if (k == 0)
			return true;
		if (k < 0) {
			pk_anom(c, 0, "%s: cannot read %s: %s", where, what,
			    pk_liberr(c, archive_error_string(a), "?"));
			return false;
		}
		if ((uint64_t)k > c->jar_budget) {
			c->jar_budget = 0;
			pk_anom(c, 0, "%s: the jar decompression budget (%"
			    PRIu64 " bytes) ran out at %s", where,
			    (uint64_t)PKGDB_JAR_BUDGET, what);
			return false;
		}
		c->jar_budget -= (uint64_t)k;
		if (sb->len + (size_t)k > cap) {
			pk_anom(c, 0, "%s: %s larger than %zu bytes: skipped",
			    where, what, cap);
			return false;
		}
		sbuf_add(sb, buf, (size_t)k);
	}
}

/* The value of a "key=value" / "key: value" line of pom.properties. */
static void
pk_jar_props(struct pk_s text, struct pk_s *group, struct pk_s *art,
    struct pk_s *ver)
{
	struct rd r;
	struct pk_s line, key, val;
	uint64_t off;
	size_t i;

	rd_init(&r, text.p, text.n, 0);
	while (pk_line(&r, &line, &off, true)) {
		line = pk_trim(line);
		if (line.n == 0 || line.p[0] == '#' || line.p[0] == '!')
			continue;
		for (i = 0; i < line.n && line.p[i] != '=' && line.p[i] != ':';
		     i++)
			;
		key = pk_trim(pk_sub(line, 0, i));
		val = pk_trim(pk_sub(line, i + 1, line.n));
		if (pk_eq(key, "groupId"))
			*group = val;
		else if (pk_eq(key, "artifactId"))
			*art = val;
		else if (pk_eq(key, "version"))
			*ver = val;
	}
}

static int
pk_jar_emit(struct pk_ctx *c, struct pk_s group, struct pk_s art,
    struct pk_s ver, const char *where)
{
	struct pk_pkg k;
	const char *g, *a;
	bool bad = false;
	int rc;

	memset(&k, 0, sizeof(k));
	g = pk_field(c, 0, group, "groupId", &bad);
	a = pk_field(c, 0, art, "artifactId", &bad);
	k.version = pk_field(c, 0, ver, "version", &bad);
	if (bad)
		goto out;
	if (a == NULL || k.version == NULL) {
		pk_anom(c, 0, "%s: Maven coordinates without %s: skipped",
		    where, a == NULL ? "an artifactId" : "a version");
		rc = 0;
		goto out;
	}
	k.name = g != NULL ? arena_printf(&c->rec, "%s:%s", g, a) : a;
	rc = pk_emit(c, &k, "Maven", pk_purl(c, "maven", g, a, k.version,
	    NULL));
	pk_rec_reset(c);
	return rc;
out:
	pk_rec_reset(c);
	return 0;
}

/* The main section of a MANIFEST.MF (lines joined, CRLF or LF). */
static void
pk_jar_manifest(struct pk_s text, struct pk_mf *mf)
{
	struct rd r;
	struct pk_s line;
	struct sbuf cur = SBUF_INIT;
	uint64_t off;
	bool more;

	sbuf_init(&cur, PKGDB_TEXT_MAX);
	rd_init(&r, text.p, text.n, 0);
	do {
		more = pk_line(&r, &line, &off, true);
		if (more && line.n > 0 && line.p[0] == ' ') {
			sbuf_add(&cur, line.p + 1, line.n - 1);
			continue;
		}
		if (cur.len > 0) {
			struct pk_s l = pk_s(cur.buf, cur.len), key, val;
			size_t i = pk_find(l, ':');

			key = pk_trim(pk_sub(l, 0, i));
			val = pk_trim(pk_sub(l, i + 1, l.n));
			if (i < l.n) {
				if (pk_eq_ci(key, "Bundle-SymbolicName")) {
					/* "a.b.c;singleton:=true" */
					val = pk_trim(pk_sub(val, 0,
					    pk_find(val, ';')));
					sbuf_reset(&mf->title);
					sbuf_add(&mf->title, val.p, val.n);
				} else if (pk_eq_ci(key,
				    "Implementation-Title") &&
				    mf->title.len == 0) {
					sbuf_add(&mf->title, val.p, val.n);
				} else if (pk_eq_ci(key, "Bundle-Version")) {
					sbuf_reset(&mf->version);
					sbuf_add(&mf->version, val.p, val.n);
				} else if (pk_eq_ci(key,
				    "Implementation-Version") &&
				    mf->version.len == 0) {
					sbuf_add(&mf->version, val.p, val.n);
				} else if (pk_eq_ci(key,
				    "Implementation-Vendor-Id")) {
					sbuf_reset(&mf->vendor_id);
					sbuf_add(&mf->vendor_id, val.p, val.n);
				}
			}
			sbuf_reset(&cur);
		}
		if (!more || line.n == 0)
			break; /* the main section ends at a blank line */
		sbuf_add(&cur, line.p, line.n);
	} while (more);
	sbuf_release(&cur);
}

/* Entry names: META-INF/maven/G/A/pom.properties. */
static bool
pk_jar_is_pom(struct pk_s name)
{
	size_t i, slashes = 0;

	if (!pk_starts(name, "META-INF/maven/") ||
	    !pk_ends(name, "/pom.properties"))
		return false;
	for (i = 15; i < name.n; i++)
		if (name.p[i] == '/')
			slashes++;
	return slashes == 2;
}

static bool
pk_ends_ci(struct pk_s s, const char *lit)
{
	size_t k = strlen(lit);

	return s.n >= k && pk_eq_ci(pk_sub(s, s.n - k, s.n), lit);
}

/*
 * One jar at nesting depth (0: the file itself, 1: a jar inside it).
 * where names it in messages.
 */
static int
pk_jar(struct pk_ctx *c, struct pk_s jar, int depth, const char *where)
{
	struct archive *a;
	struct archive_entry *ent;
	struct sbuf buf = SBUF_INIT;
	struct pk_mf mf = { SBUF_INIT, SBUF_INIT, SBUF_INIT };
	int rc = 0, r, poms = 0;
	bool saved_nested = c->nested;

	a = archive_read_new();
	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, jar.p, jar.n) != ARCHIVE_OK) {
		if (depth == 0)
			rc = dd_err_set(c->e, DD_EFORMAT, "'%s' is not a zip "
			    "archive: %s", c->path,
			    pk_liberr(c, archive_error_string(a), "?"));
		else
			pk_anom(c, 0, "%s is not a zip archive: skipped",
			    where);
		archive_read_free(a);
		return rc;
	}
	sbuf_init(&mf.title, PKGDB_FIELD_MAX + 1);
	sbuf_init(&mf.version, PKGDB_FIELD_MAX + 1);
	sbuf_init(&mf.vendor_id, PKGDB_FIELD_MAX + 1);
	sbuf_init(&buf, PKGDB_MAX);
	for (;;) {
		const char *pn;
		struct pk_s name;

		r = archive_read_next_header(a, &ent);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			if (depth == 0 && poms == 0 && mf.title.len == 0 &&
			    c->count == 0) {
				rc = dd_err_set(c->e, DD_EFORMAT, "'%s': %s",
				    c->path,
				    pk_liberr(c, archive_error_string(a), "?"));
			} else {
				pk_anom(c, 0, "%s: zip entry unreadable (%s): "
				    "rest of the archive skipped", where,
				    pk_liberr(c, archive_error_string(a), "?"));
			}
			break;
		}
		/* Nothing of the record arena lives across entries (where
		 * and inner are heap strings): keep it small. */
		pk_rec_reset(c);
		pn = archive_entry_pathname(ent);
		if (pn == NULL || archive_entry_filetype(ent) != AE_IFREG)
			continue;
		name = pk_lit(pn);
		if (c->jar_budget == 0)
			break;
		if (pk_jar_is_pom(name)) {
			struct pk_s g = { 0 }, art = { 0 }, v = { 0 };

			if (!pk_jar_read(c, a, &buf, PKGDB_TEXT_MAX,
			    "pom.properties", where))
				continue;
			poms++;
			pk_jar_props(pk_s(buf.buf, buf.len), &g, &art, &v);
			rc = pk_jar_emit(c, g, art, v, where);
			if (rc < 0)
				break;
		} else if (pk_eq_ci(name, "META-INF/MANIFEST.MF")) {
			if (!pk_jar_read(c, a, &buf, PKGDB_TEXT_MAX,
			    "MANIFEST.MF", where))
				continue;
			pk_jar_manifest(pk_s(buf.buf, buf.len), &mf);
		} else if (pk_ends_ci(name, ".jar")) {
			char *inner;

			if (depth > 0)
				continue; /* one level of nesting only */
			inner = arena_printf(&c->rec, "jar member '%s'",
			    pk_disp(c, name));
			inner = xstrdup(inner);
			pk_rec_reset(c);
			if (pk_jar_read(c, a, &buf, PKGDB_MAX, "nested jar",
			    inner)) {
				struct sbuf keep = buf;

				/* The nested walk gets its own buffer. */
				buf = (struct sbuf)SBUF_INIT;
				sbuf_init(&buf, PKGDB_MAX);
				c->nested = true;
				rc = pk_jar(c, pk_s(keep.buf, keep.len), 1,
				    inner);
				c->nested = saved_nested;
				sbuf_release(&keep);
			}
			free(inner);
			if (rc < 0)
				break;
		}
	}
	if (rc >= 0 && poms == 0 && mf.title.len > 0 && mf.version.len > 0)
		rc = pk_jar_emit(c, pk_s(mf.vendor_id.buf, mf.vendor_id.len),
		    pk_s(mf.title.buf, mf.title.len),
		    pk_s(mf.version.buf, mf.version.len), where);
	archive_read_free(a);
	sbuf_release(&buf);
	sbuf_release(&mf.title);
	sbuf_release(&mf.version);
	sbuf_release(&mf.vendor_id);
	return rc;
}

/* ---- Go: build information in ELF executables ---- */

/* A reader of ELF fields in the file's byte order and class. */
struct pk_elf {
	struct rd file;
	bool be, is64;
	uint64_t phoff, shoff;
	uint32_t phentsize, phnum, shentsize, shnum, shstrndx;
};

static uint16_t
pk_elf_u16(const struct pk_elf *f, struct rd *r)
{
	return f->be ? rd_be16(r) : rd_le16(r);
}

static uint32_t
pk_elf_u32(const struct pk_elf *f, struct rd *r)
{
	return f->be ? rd_be32(r) : rd_le32(r);
}

static uint64_t
pk_elf_u64(const struct pk_elf *f, struct rd *r)
{
	return f->be ? rd_be64(r) : rd_le64(r);
}

/* An address-sized field (4 or 8 bytes by class). */
static uint64_t
pk_elf_addr(const struct pk_elf *f, struct rd *r)
{
	return f->is64 ? pk_elf_u64(f, r) : pk_elf_u32(f, r);
}

/* A reader over file bytes [off, off + len); false when outside. */
static bool
pk_elf_span(const struct pk_elf *f, uint64_t off, uint64_t len,
    struct rd *out)
{
	struct rd r = f->file;

	if (off > rd_left(&r) || len > rd_left(&r) - off)
		return false;
	rd_skip(&r, (size_t)off);
	rd_sub(&r, (size_t)len, out);
	return rd_ok(out);
}

/* Program header i: type, flags, file offset, vaddr, file size. */
static bool
pk_elf_phdr(const struct pk_elf *f, uint32_t i, uint32_t *type,
    uint32_t *flags, uint64_t *off, uint64_t *vaddr, uint64_t *filesz)
{
	struct rd r;

	if (!pk_elf_span(f, f->phoff + (uint64_t)i * f->phentsize,
	    f->phentsize, &r))
		return false;
	*type = pk_elf_u32(f, &r);
	if (f->is64) {
		*flags = pk_elf_u32(f, &r);
		*off = pk_elf_u64(f, &r);
		*vaddr = pk_elf_u64(f, &r);
		rd_skip(&r, 8);
		*filesz = pk_elf_u64(f, &r);
	} else {
		*off = pk_elf_u32(f, &r);
		*vaddr = pk_elf_u32(f, &r);
		rd_skip(&r, 4);
		*filesz = pk_elf_u32(f, &r);
		rd_skip(&r, 4);
		*flags = pk_elf_u32(f, &r);
	}
	return rd_ok(&r);
}

/* Section header i: type, file offset, size, name offset, link. */
static bool
pk_elf_shdr(const struct pk_elf *f, uint32_t i, uint32_t *name,
    uint32_t *type, uint64_t *off, uint64_t *size, uint32_t *link)
{
	struct rd r;

	if (!pk_elf_span(f, f->shoff + (uint64_t)i * f->shentsize,
	    f->shentsize, &r))
		return false;
	*name = pk_elf_u32(f, &r);
	*type = pk_elf_u32(f, &r);
	rd_skip(&r, f->is64 ? 16 : 8); /* flags, addr */
	*off = pk_elf_addr(f, &r);
	*size = pk_elf_addr(f, &r);
	*link = pk_elf_u32(f, &r);
	return rd_ok(&r);
}

/* The file bytes at virtual address va, len long, through PT_LOAD. */
static bool
pk_elf_va(const struct pk_elf *f, uint64_t va, uint64_t len, struct rd *out)
{
	uint32_t i, type, flags;
	uint64_t off, vaddr, filesz;

	for (i = 0; i < f->phnum; i++) {
		if (!pk_elf_phdr(f, i, &type, &flags, &off, &vaddr, &filesz))
			return false;
		if (type != 1 || va < vaddr || va - vaddr >= filesz)
			continue;
		if (len > filesz - (va - vaddr))
			return false;
		return pk_elf_span(f, off + (va - vaddr), len, out);
	}
	return false;
}

/* A Go string header {ptr, len} at virtual address va (pointer form). */
static bool
pk_elf_gostr(const struct pk_elf *f, uint64_t va, unsigned psz, bool be,
    struct pk_s *out)
{
	struct rd h, s;
	struct pk_elf g = *f;
	uint64_t p, n;
	const uint8_t *b;

	g.be = be;
	if (!pk_elf_va(f, va, 2 * (uint64_t)psz, &h))
		return false;
	p = psz == 8 ? pk_elf_u64(&g, &h) : pk_elf_u32(&g, &h);
	n = psz == 8 ? pk_elf_u64(&g, &h) : pk_elf_u32(&g, &h);
	if (!rd_ok(&h) || n > PKGDB_TEXT_MAX)
		return false;
	if (n == 0) {
		*out = pk_s(NULL, 0);
		return true;
	}
	if (!pk_elf_va(f, p, n, &s) || rd_bytes(&s, (size_t)n, &b) != 0)
		return false;
	*out = pk_s(b, (size_t)n);
	return true;
}

/* Find the 16-aligned buildinfo magic in the first 64 KiB of r. */
static bool
pk_go_find(struct rd r, struct rd *hdr)
{
	static const uint8_t magic[14] = "\xff Go buildinf:";
	const uint8_t *p;
	size_t left = MIN(rd_left(&r), (size_t)65536);
	struct rd span;

	if (rd_sub(&r, left, &span) != 0)
		return false;
	while (rd_left(&span) >= 32) {
		struct rd at = span;

		if (rd_bytes(&at, 14, &p) == 0 && memcmp(p, magic, 14) == 0) {
			*hdr = span;
			return true;
		}
		rd_skip(&span, 16);
	}
	return false;
}

/* Report one Go module (path, version) from modinfo. */
static int
pk_go_emit(struct pk_ctx *c, struct pk_s path, struct pk_s ver)
{
	struct pk_pkg k;
	const char *ns = NULL, *base, *slash;
	bool bad = false;
	int rc;

	memset(&k, 0, sizeof(k));
	k.name = pk_field(c, 0, path, "Go module path", &bad);
	k.version = pk_field(c, 0, ver, "Go module version", &bad);
	if (bad || k.name == NULL || k.version == NULL) {
		if (!bad)
			pk_anom(c, 0, "Go module line without a %s: skipped",
			    k.name == NULL ? "path" : "version");
		pk_rec_reset(c);
		return 0;
	}
	base = k.name;
	if ((slash = strrchr(k.name, '/')) != NULL) {
		ns = arena_strndup(&c->rec, k.name, (size_t)(slash - k.name));
		base = slash + 1;
	}
	rc = pk_emit(c, &k, "Go", pk_purl(c, "golang", ns, base, k.version,
	    NULL));
	pk_rec_reset(c);
	return rc;
}

/* modinfo lines: mod, dep and "=>" replacements. */
static int
pk_go_modinfo(struct pk_ctx *c, struct pk_s mod, uint64_t off)
{
	struct rd r;
	struct pk_s line, f[4], path = { 0 }, ver = { 0 };
	bool pending = false;
	uint64_t loff;
	size_t i, nf, at;
	int rc;

	/* Go wraps modinfo in 16-byte sentinels. */
	if (mod.n >= 33 && mod.p[mod.n - 17] == '\n')
		mod = pk_sub(mod, 16, mod.n - 16);
	rd_init(&r, mod.p, mod.n, off);
	while (pk_line(&r, &line, &loff, false)) {
		nf = 0;
		at = 0;
		for (i = 0; i <= line.n && nf < 4; i++) {
			if (i == line.n || line.p[i] == '\t') {
				f[nf++] = pk_sub(line, at, i);
				at = i + 1;
			}
		}
		if (nf >= 2 && pk_eq(f[0], "=>")) {
			/* A replacement of the line before: a module
			 * with a version replaces it; a directory
			 * ("./x", "../x", "/x", version "(devel)") does
			 * not. */
			if (pending && nf >= 3 && f[2].n > 0 && f[1].n > 0 &&
			    f[1].p[0] != '.' && f[1].p[0] != '/') {
				path = f[1];
				ver = f[2];
			}
			continue;
		}
		if (pending) {
			rc = pk_go_emit(c, path, ver);
			if (rc < 0)
				return rc;
			pending = false;
		}
		if (nf >= 3 && (pk_eq(f[0], "mod") || pk_eq(f[0], "dep"))) {
			path = f[1];
			ver = f[2];
			pending = true;
		} else if (nf >= 2 && (pk_eq(f[0], "mod") ||
		    pk_eq(f[0], "dep"))) {
			pk_anom(c, loff, "Go modinfo line without a version: "
			    "skipped");
		}
	}
	if (pending)
		return pk_go_emit(c, path, ver);
	return 0;
}

static int
pk_elf(struct pk_ctx *c, const uint8_t *data, size_t n)
{
	static const uint8_t elfmag[4] = { 0x7f, 'E', 'L', 'F' };
	struct pk_elf f;
	struct rd r, hdr, sec;
	const uint8_t *p;
	uint8_t cls, enc, psz, flags;
	uint32_t i, name, type, link, ptype, pflags;
	uint64_t off, size, vaddr;
	struct pk_s vers = { 0 }, mod = { 0 };
	bool found = false;
	int rc;

	memset(&f, 0, sizeof(f));
	rd_init(&r, data, n, 0);
	rd_init(&f.file, data, n, 0);
	if (rd_bytes(&r, 4, &p) != 0 || memcmp(p, elfmag, 4) != 0)
		return 0;
	cls = rd_u8(&r);
	enc = rd_u8(&r);
	if ((cls != 1 && cls != 2) || (enc != 1 && enc != 2))
		return 0;
	f.is64 = cls == 2;
	f.be = enc == 2;
	rd_skip(&r, 10 + 2 + 2 + 4); /* ident rest, type, machine, version */
	(void)pk_elf_addr(&f, &r);   /* entry */
	f.phoff = pk_elf_addr(&f, &r);
	f.shoff = pk_elf_addr(&f, &r);
	rd_skip(&r, 4 + 2);	     /* flags, ehsize */
	f.phentsize = pk_elf_u16(&f, &r);
	f.phnum = pk_elf_u16(&f, &r);
	f.shentsize = pk_elf_u16(&f, &r);
	f.shnum = pk_elf_u16(&f, &r);
	f.shstrndx = pk_elf_u16(&f, &r);
	if (!rd_ok(&r))
		return 0;
	if (f.phentsize < (f.is64 ? 56u : 32u))
		f.phnum = 0;
	if (f.shentsize < (f.is64 ? 64u : 40u))
		f.shnum = 0;
	/* Extended numbering: the real counts live in section 0. */
	if (f.shoff != 0 && f.shentsize >= (f.is64 ? 64u : 40u) &&
	    (f.shnum == 0 || f.shstrndx == 0xffff) &&
	    pk_elf_shdr(&f, 0, &name, &type, &off, &size, &link)) {
		if (f.shnum == 0)
			f.shnum = (uint32_t)MIN(size, (uint64_t)UINT32_MAX);
		if (f.shstrndx == 0xffff)
			f.shstrndx = link;
	}
	/* .go.buildinfo by name. */
	if (f.shnum > 0 && f.shstrndx < f.shnum) {
		uint64_t stroff, strsize;
		uint32_t sn, st, sl;

		if (pk_elf_shdr(&f, f.shstrndx, &sn, &st, &stroff, &strsize,
		    &sl)) {
			for (i = 0; i < f.shnum && !found; i++) {
				struct rd nm;
				const uint8_t *np;

				if (!pk_elf_shdr(&f, i, &name, &type, &off,
				    &size, &link))
					break;
				if (type == 8 /* SHT_NOBITS */ ||
				    name >= strsize ||
				    !pk_elf_span(&f, stroff + name,
					MIN(strsize - name, 14), &nm) ||
				    rd_bytes(&nm, 14, &np) != 0 ||
				    memcmp(np, ".go.buildinfo", 14) != 0)
					continue;
				if (pk_elf_span(&f, off, size, &sec) &&
				    pk_go_find(sec, &hdr))
					found = true;
			}
		}
	}
	/* Else the first writable PT_LOAD segment. */
	for (i = 0; !found && i < f.phnum; i++) {
		if (!pk_elf_phdr(&f, i, &ptype, &pflags, &off, &vaddr, &size))
			break;
		if (ptype != 1 || !(pflags & 2))
			continue;
		if (pk_elf_span(&f, off, MIN(size, rd_left(&f.file)), &sec) &&
		    pk_go_find(sec, &hdr))
			found = true;
		break;
	}
	if (!found)
		return 0;
	off = rd_off(&hdr);
	rd_skip(&hdr, 14);
	psz = rd_u8(&hdr);
	flags = rd_u8(&hdr);
	if (flags & 2) {
		uint64_t len;

		rd_skip(&hdr, 16);
		len = rd_uvarint(&hdr);
		if (rd_ok(&hdr) && len <= rd_left(&hdr) &&
		    rd_bytes(&hdr, (size_t)len, &p) == 0)
			vers = pk_s(p, (size_t)len);
		len = rd_uvarint(&hdr);
		if (rd_ok(&hdr) && len <= rd_left(&hdr) &&
		    rd_bytes(&hdr, (size_t)len, &p) == 0)
			mod = pk_s(p, (size_t)len);
		if (!rd_ok(&hdr)) {
			pk_anom(c, off, "Go build info strings overrun the "
			    "file: not read");
			return 0;
		}
	} else {
		struct pk_elf g = f;
		uint64_t va1, va2;

		if (psz != 4 && psz != 8) {
			pk_anom(c, off, "Go build info with pointer size %u: "
			    "not read", psz);
			return 0;
		}
		g.be = (flags & 1) != 0;
		va1 = psz == 8 ? pk_elf_u64(&g, &hdr) : pk_elf_u32(&g, &hdr);
		va2 = psz == 8 ? pk_elf_u64(&g, &hdr) : pk_elf_u32(&g, &hdr);
		if (!rd_ok(&hdr) ||
		    !pk_elf_gostr(&f, va1, psz, g.be, &vers) ||
		    !pk_elf_gostr(&f, va2, psz, g.be, &mod)) {
			pk_anom(c, off, "Go build info pointers lead outside "
			    "the loaded segments: not read");
			return 0;
		}
	}
	rc = pk_go_modinfo(c, mod, off);
	if (rc < 0)
		return rc;
	if (vers.n > 0) {
		/* "go1.19.8", "go1.21.0 X:boringcrypto", "devel go1.22-x". */
		struct pk_s v = pk_sub(vers, 0, pk_find(vers, ' '));

		if (pk_starts(v, "go"))
			v = pk_sub(v, 2, v.n);
		if (v.n > 0)
			rc = pk_go_emit(c, pk_lit("stdlib"), v);
	}
	return rc;
}

/* ---- matching and dispatch ---- */

static const char *const pk_kind_names[PKGDB_NKINDS] = {
	[PKGDB_NONE] = "none",
	[PKGDB_DPKG] = "dpkg",
	[PKGDB_DPKG_D] = "dpkg-status.d",
	[PKGDB_APK] = "apk",
	[PKGDB_RPM_SQLITE] = "rpm-sqlite",
	[PKGDB_PYTHON] = "python",
	[PKGDB_NPM_LOCK] = "npm-lock",
	[PKGDB_NPM_PKG] = "npm-package",
	[PKGDB_JAR] = "jar",
	[PKGDB_ELF] = "elf",
	[PKGDB_GEMSPEC] = "gemspec",
	[PKGDB_RPM_BDB] = "rpm-bdb",
	[PKGDB_RPM_NDB] = "rpm-ndb",
};

const char *
pkgdb_kind_name(enum pkgdb_kind k)
{
	if ((unsigned)k >= PKGDB_NKINDS)
		return "unknown";
	return pk_kind_names[k];
}

/* The path component before the last one ends at byte end of p. */
static struct pk_s
pk_prev_comp(struct pk_s p, size_t end, size_t *start)
{
	size_t i = end;

	while (i > 0 && p.p[i - 1] != '/')
		i--;
	*start = i;
	return pk_sub(p, i, end);
}

enum pkgdb_kind
pkgdb_match(const char *path, uint64_t size, uint32_t mode)
{
	struct pk_s p, base, dir, dir2;
	size_t slash, d1, d2;

	if (path == NULL || size == 0 || size > PKGDB_MAX ||
	    (mode & 0170000) != 0100000)
		return PKGDB_NONE;
	p = pk_lit(path);
	for (;;) {
		if (pk_starts(p, "/"))
			p = pk_sub(p, 1, p.n);
		else if (pk_starts(p, "./"))
			p = pk_sub(p, 2, p.n);
		else
			break;
	}
	if (p.n == 0)
		return PKGDB_NONE;
	for (slash = p.n; slash > 0 && p.p[slash - 1] != '/'; slash--)
		;
	base = pk_sub(p, slash, p.n);
	if (pk_eq(p, "var/lib/dpkg/status"))
		return PKGDB_DPKG;
	if (pk_starts(p, "var/lib/dpkg/status.d/") && slash == 22 &&
	    base.n > 0 && !pk_ends(base, ".md5sums"))
		return PKGDB_DPKG_D;
	if (pk_eq(p, "lib/apk/db/installed"))
		return PKGDB_APK;
	if (pk_eq(p, "var/lib/rpm/Packages"))
		return PKGDB_RPM_BDB;
	if (pk_eq(p, "var/lib/rpm/Packages.db") ||
	    pk_eq(p, "usr/lib/sysimage/rpm/Packages.db"))
		return PKGDB_RPM_NDB;
	if (pk_eq(p, "var/lib/rpm/rpmdb.sqlite") ||
	    pk_eq(p, "usr/lib/sysimage/rpm/rpmdb.sqlite"))
		return PKGDB_RPM_SQLITE;
	if (pk_ends(p, ".dist-info/METADATA") ||
	    pk_ends(p, ".egg-info/PKG-INFO") ||
	    (pk_ends(base, ".egg-info") && base.n > 9))
		return PKGDB_PYTHON;
	if (pk_eq(base, "package-lock.json") ||
	    pk_eq(base, ".package-lock.json"))
		return PKGDB_NPM_LOCK;
	if (pk_eq(base, "package.json") && slash > 0) {
		/* node_modules/NAME/package.json or
		 * node_modules/@SCOPE/NAME/package.json */
		dir = pk_prev_comp(p, slash - 1, &d1);
		if (dir.n > 0 && d1 > 0) {
			dir2 = pk_prev_comp(p, d1 - 1, &d2);
			if (pk_eq(dir2, "node_modules") && dir.p[0] != '.')
				return PKGDB_NPM_PKG;
			if (dir2.n > 1 && dir2.p[0] == '@' && d2 > 0 &&
			    pk_eq(pk_prev_comp(p, d2 - 1, &d1),
				"node_modules"))
				return PKGDB_NPM_PKG;
		}
	}
	if (pk_ends(base, ".gemspec") && slash > 0) {
		/* specifications/ and specifications/default/ (the gems
		 * that come with Ruby). */
		dir = pk_prev_comp(p, slash - 1, &d1);
		if (pk_eq(dir, "specifications"))
			return PKGDB_GEMSPEC;
		if (pk_eq(dir, "default") && d1 > 0 &&
		    pk_eq(pk_prev_comp(p, d1 - 1, &d2), "specifications"))
			return PKGDB_GEMSPEC;
	}
	if (pk_ends_ci(base, ".jar") || pk_ends_ci(base, ".war") ||
	    pk_ends_ci(base, ".ear"))
		return PKGDB_JAR;
	if (mode & 0111)
		return PKGDB_ELF;
	return PKGDB_NONE;
}

int
pkgdb_parse(enum pkgdb_kind k, const char *path, const uint8_t *data,
    size_t n, pkg_fn fn, void *user, pkg_anom_fn anom, struct dd_err *e)
{
	struct pk_ctx c;
	char pathbuf[4 * LIM_MSG_STR + 8];
	int rc;

	if (fn == NULL || (data == NULL && n > 0) || k <= PKGDB_NONE ||
	    k >= PKGDB_NKINDS)
		return dd_err_set(e, DD_EUSAGE, "pkgdb_parse: bad arguments "
		    "(kind %d)", (int)k);
	if (path == NULL)
		path = "(unnamed)";
	{
		/* The path is evidence too: messages get a display form. */
		struct sbuf sb = SBUF_INIT;

		pk_clean_add(&sb, pk_sub(pk_lit(path), 0, LIM_MSG_STR));
		snprintf(pathbuf, sizeof(pathbuf), "%s%s", sb.buf,
		    strlen(path) > LIM_MSG_STR ? "..." : "");
		sbuf_release(&sb);
		path = pathbuf;
	}
	if (n > PKGDB_MAX)
		return dd_err_set(e, DD_ELIMIT, "'%s': %zu bytes (more than "
		    "%zu)", path, n, PKGDB_MAX);
	if (data == NULL)
		data = (const uint8_t *)"";
	memset(&c, 0, sizeof(c));
	c.path = path;
	c.fn = fn;
	c.user = user;
	c.anom = anom;
	c.e = e;
	c.jar_budget = PKGDB_JAR_BUDGET;
	arena_init(&c.rec);
	c.rec0 = arena_mark(&c.rec);
	switch (k) {
	case PKGDB_DPKG:
		rc = pk_dpkg(&c, data, n, false);
		break;
	case PKGDB_DPKG_D:
		rc = pk_dpkg(&c, data, n, true);
		break;
	case PKGDB_APK:
		rc = pk_apk(&c, data, n);
		break;
	case PKGDB_RPM_SQLITE:
		rc = pk_rpm_sqlite(&c, data, n);
		break;
	case PKGDB_PYTHON:
		rc = pk_python(&c, data, n);
		break;
	case PKGDB_NPM_LOCK:
		rc = pk_npm_lock(&c, data, n);
		break;
	case PKGDB_NPM_PKG:
		rc = pk_npm_pkg(&c, data, n);
		break;
	case PKGDB_JAR:
		rc = pk_jar(&c, pk_s(data, n), 0, "jar");
		break;
	case PKGDB_ELF:
		rc = pk_elf(&c, data, n);
		break;
	case PKGDB_GEMSPEC:
		rc = pk_gemspec(&c, data, n);
		break;
	case PKGDB_RPM_BDB:
		rc = pk_rpm_bdb(&c, data, n);
		break;
	case PKGDB_RPM_NDB:
		rc = pk_rpm_ndb(&c, data, n);
		break;
	default:
		rc = DD_EUSAGE;
		break;
	}
	arena_release(&c.rec);
	if (c.rc < 0)
		return c.rc;
	if (rc < 0) {
		if (e != NULL && e->code == 0)
			dd_err_set(e, rc, "'%s': %s parse failed", path,
			    pkgdb_kind_name(k));
		return rc;
	}
	return c.count;
}
