/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-pkgdb.c: the package inventory parsers (ingest/pkgdb.h).
 *
 * Oracles: dpkg-query on this machine's own /var/lib/dpkg/status and on a
 * hand-made admindir (run live, skipped with a note when dpkg-query is
 * absent); apk's own file read by awk, `rpm -qa`, `go version -m` and
 * `npm ls` outputs recorded next to real samples in tests/data/pkgdb/
 * (README.md there says where each came from). Hostile cases: truncated
 * stanzas, huge fields, control bytes, bad JSON, deep JSON, an rpm
 * header with lying counts and offsets, a B-tree that loops, byte flips
 * over a real rpmdb.sqlite, zip bombs in a jar, Go build info pointers
 * that lead nowhere, truncated executables.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/lib-archive.h"
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "core/sbuf.h"
#include "core/xmalloc.h"
#include "ingest/pkgdb.h"

/* ---- helpers ---- */

/* What the callbacks saw. */
struct tpk {
	struct sbuf nv;	      /* "name\tversion\n" per package */
	struct sbuf full;     /* every field, tab-separated, per package */
	struct sbuf anoms;    /* one anomaly message per line */
	int n;		      /* packages */
	int nanom;	      /* anomalies */
	bool unsafe;	      /* a string that is not display-safe */
	int stop_at;	      /* return DD_EIO on this package (1-based) */
};

/* Valid UTF-8 without C0/C1 controls or DEL. */
static bool
tpk_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL)
		return true;
	while (*p != '\0') {
		size_t k, i;

		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			k = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			k = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			k = 4;
		else
			return false;
		if (p[0] == 0xc2 && p[1] < 0xa0)
			return false;
		for (i = 1; i < k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return false;
		p += k;
	}
	return true;
}

static int
tpk_cb(void *user, const struct pkg_rec *p, struct dd_err *e)
{
	struct tpk *c = user;

	c->n++;
	if (c->stop_at != 0 && c->n == c->stop_at)
		return dd_err_set(e, DD_EIO, "stopped by the test");
	if (p->name == NULL || p->version == NULL || p->ecosystem == NULL ||
	    p->purl == NULL || !tpk_safe(p->name) || !tpk_safe(p->version) ||
	    !tpk_safe(p->source) || !tpk_safe(p->arch) ||
	    !tpk_safe(p->license) || !tpk_safe(p->purl) ||
	    strncmp(p->purl, "pkg:", 4) != 0)
		c->unsafe = true;
	sbuf_addf(&c->nv, "%s\t%s\n", p->name ? p->name : "(null)",
	    p->version ? p->version : "(null)");
	sbuf_addf(&c->full, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p->name,
	    p->version, p->ecosystem, p->source ? p->source : "-",
	    p->arch ? p->arch : "-", p->license ? p->license : "-", p->purl);
	return 0;
}

static void
tpk_anom(void *user, uint64_t off, const char *msg)
{
	struct tpk *c = user;

	(void)off;
	c->nanom++;
	if (!tpk_safe(msg))
		c->unsafe = true;
	sbuf_addf(&c->anoms, "%s\n", msg);
}

static void
tpk_init(struct tpk *c)
{
	memset(c, 0, sizeof(*c));
	sbuf_init(&c->nv, SBUF_MAX_DEFAULT);
	sbuf_init(&c->full, SBUF_MAX_DEFAULT);
	sbuf_init(&c->anoms, SBUF_MAX_DEFAULT);
}

static void
tpk_release(struct tpk *c)
{
	sbuf_release(&c->nv);
	sbuf_release(&c->full);
	sbuf_release(&c->anoms);
}

/* Parse and collect; returns pkgdb_parse()'s value. */
static int
tpk_run(struct tpk *c, enum pkgdb_kind k, const char *path, const void *data,
    size_t n, struct dd_err *e)
{
	tpk_init(c);
	dd_err_clear(e);
	return pkgdb_parse(k, path, data, n, tpk_cb, c, tpk_anom, e);
}

/* tpk_run() over a NUL-terminated string. */
static int
tpk_runs(struct tpk *c, enum pkgdb_kind k, const char *path, const char *s,
    struct dd_err *e)
{
	return tpk_run(c, k, path, s, strlen(s), e);
}

/* tests/data/pkgdb/NAME: from the source tree (the current directory,
 * $DRYDOCK_SRCDIR, or three levels above build/VARIANT/unit). */
static char *
tpk_data(struct test_ctx *t, const char *name)
{
	const char *src = getenv("DRYDOCK_SRCDIR");
	char exe[4096], *p;
	ssize_t k;
	int i;

	if (src != NULL && *src != '\0')
		return arena_printf(t->arena, "%s/tests/data/pkgdb/%s", src,
		    name);
	if (access("tests/data/pkgdb", R_OK) == 0)
		return arena_printf(t->arena, "tests/data/pkgdb/%s", name);
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0)
		return arena_printf(t->arena, "tests/data/pkgdb/%s", name);
	exe[k] = '\0';
	for (i = 0; i < 4 && (p = strrchr(exe, '/')) != NULL; i++)
		*p = '\0';
	return arena_printf(t->arena, "%s/tests/data/pkgdb/%s", exe, name);
}

/* A file read whole into a buffer of exactly its size (owned); NULL on
 * failure. */
static uint8_t *
tpk_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	size_t k;
	uint8_t *out;

	*len = 0;
	if (f == NULL)
		return NULL;
	while ((k = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(&sb, buf, k);
	fclose(f);
	out = xmalloc(sb.len + 1);
	memcpy(out, sb.buf, sb.len);
	*len = sb.len;
	sbuf_release(&sb);
	return out;
}

/* A gzip file decompressed (owned); NULL on failure. */
static uint8_t *
tpk_gunzip(const char *path, size_t *len)
{
	gzFile g = gzopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[65536];
	int k;
	uint8_t *out;

	*len = 0;
	if (g == NULL)
		return NULL;
	while ((k = gzread(g, buf, sizeof(buf))) > 0)
		sbuf_add(&sb, buf, (size_t)k);
	gzclose(g);
	if (k < 0) {
		sbuf_release(&sb);
		return NULL;
	}
	out = xmalloc(sb.len + 1);
	memcpy(out, sb.buf, sb.len);
	*len = sb.len;
	sbuf_release(&sb);
	return out;
}

static bool
tpk_write(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	bool ok;

	if (f == NULL)
		return false;
	ok = fwrite(p, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

static int
tpk_cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of text sorted, joined by '\n' (arena). */
static char *
tpk_sorted(struct test_ctx *t, const char *text)
{
	char *copy = arena_strdup(t->arena, text), *p, **v;
	size_t n = 0, i, cap = 1;
	struct sbuf sb = SBUF_INIT;
	char *out;

	for (p = copy; *p != '\0'; p++)
		if (*p == '\n')
			cap++;
	v = arena_alloc(t->arena, cap * sizeof(*v));
	for (p = copy; *p != '\0';) {
		char *nl = strchr(p, '\n');

		v[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	qsort(v, n, sizeof(*v), tpk_cmp_lines);
	for (i = 0; i < n; i++)
		sbuf_addf(&sb, "%s\n", v[i]);
	out = arena_strdup(t->arena, sb.buf);
	sbuf_release(&sb);
	return out;
}

/* Run argv (no shell), stdout into out; the exit status, or -1 when it
 * could not start (127 from the child: not installed). */
static int
tpk_exec(char *const argv[], struct sbuf *out)
{
	int fd[2], status, devnull;
	pid_t pid;
	char buf[65536];
	ssize_t k;

	if (pipe(fd) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fd[1], 1);
		devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while ((k = read(fd[0], buf, sizeof(buf))) > 0 ||
	    (k < 0 && errno == EINTR))
		if (k > 0)
			sbuf_add(out, buf, (size_t)k);
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* `dpkg-query --admindir=DIR -W` over status bytes, into out; false (with
 * a note) when dpkg-query cannot run here. */
static bool
tpk_dpkg_query(struct test_ctx *t, const uint8_t *status, size_t n,
    struct sbuf *out)
{
	char *adm = test_path(t, "admin");
	char *info = arena_printf(t->arena, "%s/info", adm);
	char *arg = arena_printf(t->arena, "--admindir=%s", adm);
	char *argv[] = { "dpkg-query", arg, "-W", "-f",
		"${Package}\t${Version}\n", NULL };
	int rc;

	mkdir(adm, 0700);
	mkdir(info, 0700);
	if (!tpk_write(arena_printf(t->arena, "%s/status", adm), status, n) ||
	    !tpk_write(arena_printf(t->arena, "%s/available", adm), "", 0))
		return FAIL("cannot write the admindir");
	rc = tpk_exec(argv, out);
	if (rc == 127 || rc < 0) {
		printf("# dpkg-query cannot run here: oracle skipped\n");
		return false;
	}
	CHECK_EQ_INT(rc, 0);
	return rc == 0;
}

/* ---- matching ---- */

TEST(pkgdb_match_paths)
{
	static const struct {
		const char *path;
		uint32_t mode;
		enum pkgdb_kind k;
	} cases[] = {
		{ "/var/lib/dpkg/status", 0100644, PKGDB_DPKG },
		{ "var/lib/dpkg/status", 0100644, PKGDB_DPKG },
		{ "./var/lib/dpkg/status", 0100644, PKGDB_DPKG },
		{ "/var/lib/dpkg/status-old", 0100644, PKGDB_NONE },
		{ "/var/lib/dpkg/status", 0040755, PKGDB_NONE },
		{ "/var/lib/dpkg/status", 0120777, PKGDB_NONE },
		{ "/var/lib/dpkg/status.d/libc6", 0100644, PKGDB_DPKG_D },
		{ "/var/lib/dpkg/status.d/libc6.md5sums", 0100644,
		    PKGDB_NONE },
		{ "/var/lib/dpkg/status.d/x/y", 0100644, PKGDB_NONE },
		{ "/lib/apk/db/installed", 0100644, PKGDB_APK },
		{ "/var/lib/rpm/rpmdb.sqlite", 0100644, PKGDB_RPM_SQLITE },
		{ "/usr/lib/sysimage/rpm/rpmdb.sqlite", 0100644,
		    PKGDB_RPM_SQLITE },
		{ "/var/lib/rpm/Packages", 0100644, PKGDB_RPM_BDB },
		{ "/var/lib/rpm/Packages.db", 0100644, PKGDB_RPM_NDB },
		{ "/usr/lib/sysimage/rpm/Packages.db", 0100644,
		    PKGDB_RPM_NDB },
		{ "/var/lib/rpm/Name", 0100644, PKGDB_NONE },
		{ "/usr/lib/python3/site-packages/pip-24.2.dist-info/METADATA",
		    0100644, PKGDB_PYTHON },
		{ "/usr/lib/python3/dist-packages/x-1.egg-info/PKG-INFO",
		    0100644, PKGDB_PYTHON },
		{ "/usr/lib/python3/dist-packages/x-1.egg-info", 0100644,
		    PKGDB_PYTHON },
		{ "/usr/lib/python3/dist-packages/x-1.dist-info/RECORD",
		    0100644, PKGDB_NONE },
		{ "/app/package-lock.json", 0100644, PKGDB_NPM_LOCK },
		{ "/app/node_modules/.package-lock.json", 0100644,
		    PKGDB_NPM_LOCK },
		{ "/app/node_modules/debug/package.json", 0100644,
		    PKGDB_NPM_PKG },
		{ "/app/node_modules/@types/node/package.json", 0100644,
		    PKGDB_NPM_PKG },
		{ "/app/node_modules/debug/node_modules/ms/package.json",
		    0100644, PKGDB_NPM_PKG },
		{ "/app/package.json", 0100644, PKGDB_NONE },
		{ "/app/node_modules/debug/lib/package.json", 0100644,
		    PKGDB_NONE },
		{ "/usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec",
		    0100644, PKGDB_GEMSPEC },
		{ "/usr/lib/ruby/gems/3.1.0/specifications/default/x-1.gemspec",
		    0100644, PKGDB_GEMSPEC },
		{ "/src/x.gemspec", 0100644, PKGDB_NONE },
		{ "/opt/app.jar", 0100644, PKGDB_JAR },
		{ "/opt/APP.WAR", 0100644, PKGDB_JAR },
		{ "/opt/app.ear", 0100755, PKGDB_JAR },
		{ "/usr/bin/app", 0100755, PKGDB_ELF },
		{ "/usr/bin/app", 0100744, PKGDB_ELF },
		{ "/usr/share/doc/x", 0100644, PKGDB_NONE },
		{ "/", 0100644, PKGDB_NONE },
		{ "", 0100755, PKGDB_NONE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		enum pkgdb_kind k = pkgdb_match(cases[i].path, 100,
		    cases[i].mode);

		if (k != cases[i].k)
			FAIL("pkgdb_match('%s', 0%o) = %s, want %s",
			    cases[i].path, cases[i].mode, pkgdb_kind_name(k),
			    pkgdb_kind_name(cases[i].k));
	}
	CHECK_EQ_INT(pkgdb_match("/var/lib/dpkg/status", 0, 0100644),
	    PKGDB_NONE);
	CHECK_EQ_INT(pkgdb_match("/var/lib/dpkg/status", PKGDB_MAX + 1,
	    0100644), PKGDB_NONE);
	CHECK_EQ_INT(pkgdb_match("/var/lib/dpkg/status", PKGDB_MAX, 0100644),
	    PKGDB_DPKG);
	CHECK_EQ_INT(pkgdb_match(NULL, 1, 0100755), PKGDB_NONE);
	CHECK_EQ_STR(pkgdb_kind_name(PKGDB_RPM_SQLITE), "rpm-sqlite");
	CHECK_EQ_STR(pkgdb_kind_name((enum pkgdb_kind)99), "unknown");
}

TEST(pkgdb_bad_args)
{
	struct dd_err e = DD_ERR_INIT;

	CHECK_EQ_INT(pkgdb_parse(PKGDB_NONE, "x", (const uint8_t *)"a", 1,
	    tpk_cb, NULL, NULL, &e), DD_EUSAGE);
	CHECK_EQ_INT(pkgdb_parse(PKGDB_NKINDS, "x", (const uint8_t *)"a", 1,
	    tpk_cb, NULL, NULL, &e), DD_EUSAGE);
	CHECK_EQ_INT(pkgdb_parse(PKGDB_DPKG, "x", NULL, 1, tpk_cb, NULL, NULL,
	    &e), DD_EUSAGE);
	CHECK_EQ_INT(pkgdb_parse(PKGDB_DPKG, "x", (const uint8_t *)"a", 1,
	    NULL, NULL, NULL, &e), DD_EUSAGE);
	dd_err_clear(&e);
	CHECK_EQ_INT(pkgdb_parse(PKGDB_DPKG, "x", (const uint8_t *)"a",
	    PKGDB_MAX + 1, tpk_cb, NULL, NULL, &e), DD_ELIMIT);
	CHECK(e.msg[0] != '\0');
}

/* ---- dpkg ---- */

TEST(pkgdb_dpkg_system_status_vs_dpkg_query)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf want = SBUF_INIT;
	uint8_t *st;
	size_t n;
	int rc;

	st = tpk_slurp("/var/lib/dpkg/status", &n);
	if (st == NULL) {
		printf("# no /var/lib/dpkg/status here: skipped\n");
		return;
	}
	rc = tpk_run(&c, PKGDB_DPKG, "/var/lib/dpkg/status", st, n, &e);
	CHECK(rc > 0);
	CHECK_EQ_INT(c.nanom, 0);
	CHECK(!c.unsafe);
	if (tpk_dpkg_query(t, st, n, &want)) {
		CHECK_EQ_STR(tpk_sorted(t, c.nv.buf), tpk_sorted(t, want.buf));
		printf("# dpkg-query -W and pkgdb agree on %d packages\n", rc);
	}
	sbuf_release(&want);
	tpk_release(&c);
	free(st);
}

TEST(pkgdb_dpkg_states_vs_dpkg_query)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf live = SBUF_INIT;
	uint8_t *st, *exp;
	size_t n, en;
	int rc;

	st = tpk_slurp(tpk_data(t, "dpkg-states.status"), &n);
	exp = tpk_slurp(tpk_data(t, "dpkg-states.expected"), &en);
	if (!CHECK(st != NULL && exp != NULL))
		goto out;
	exp[en] = '\0';
	rc = tpk_run(&c, PKGDB_DPKG, "status", st, n, &e);
	CHECK_EQ_INT(rc, 16);
	CHECK_EQ_STR(tpk_sorted(t, c.nv.buf),
	    tpk_sorted(t, (const char *)exp));
	/* Recorded oracle above; the live one too when it runs. */
	if (tpk_dpkg_query(t, st, n, &live))
		CHECK_EQ_STR(tpk_sorted(t, c.nv.buf), tpk_sorted(t, live.buf));
	/* Source "srcpkg (1.2-3)" gives the name; Multi-Arch twins keep
	 * their own arch. */
	CHECK(strstr(c.full.buf, "srcver\t1.2-3+b1\tDebian\tsrcpkg\tamd64\t-\t"
			       "pkg:deb/debian/srcver@1.2-3%2Bb1?arch=amd64\n") !=
	    NULL);
	CHECK(strstr(c.full.buf, "a\t1:2.0-1\tDebian\tasrc\tamd64\t-\t"
			       "pkg:deb/debian/a@1:2.0-1?arch=amd64\n") != NULL);
	CHECK(strstr(c.full.buf, "g\t1.0\tDebian\t-\ti386\t") != NULL);
	tpk_release(&c);
out:
	sbuf_release(&live);
	free(st);
	free(exp);
}

TEST(pkgdb_dpkg_status_d)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *st;
	size_t n;

	st = tpk_slurp(tpk_data(t, "status.d-libc6"), &n);
	if (!CHECK(st != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG_D, "/var/lib/dpkg/status.d/libc6",
	    st, n, &e), 1);
	CHECK(strncmp(c.full.buf, "libc6\t2.36-9+deb12u", 19) == 0);
	CHECK(strstr(c.full.buf, "\tDebian\tglibc\tamd64\t-\t"
			       "pkg:deb/debian/libc6@2.36-9%2Bdeb12u") != NULL);
	/* The same stanza read as a status file has no Status: dpkg
	 * reads it as not-installed. */
	tpk_release(&c);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "status", st, n, &e), 0);
	tpk_release(&c);
	free(st);
	st = tpk_slurp(tpk_data(t, "status.d-base-files"), &n);
	if (!CHECK(st != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG_D, "base-files", st, n, &e), 1);
	CHECK(strncmp(c.nv.buf, "base-files\t12.4+deb12u", 22) == 0);
	tpk_release(&c);
	free(st);
}

TEST(pkgdb_dpkg_hostile)
{
	static const char ok[] = "Package: a\nStatus: install ok installed\n"
				 "Version: 1\n";
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf sb = SBUF_INIT;
	size_t i;

	/* The last stanza without a final newline. */
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "s", ok, sizeof(ok) - 2, &e), 1);
	CHECK_EQ_STR(c.nv.buf, "a\t1\n");
	tpk_release(&c);
	/* Truncated inside a field name: no Version, one anomaly for the
	 * broken line and one for the stanza. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_DPKG, "s",
	    "Package: a\nStatus: install ok installed\nVers", &e), 0);
	CHECK_EQ_INT(c.nanom, 2);
	tpk_release(&c);
	/* A 100 KiB name: skipped with an anomaly, the next one kept. */
	sbuf_addstr(&sb, "Package: ");
	for (i = 0; i < 100000; i++)
		sbuf_addch(&sb, 'x');
	sbuf_addstr(&sb, "\nStatus: install ok installed\nVersion: 1\n\n");
	sbuf_addstr(&sb, ok);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "s", sb.buf, sb.len, &e), 1);
	CHECK_EQ_INT(c.nanom, 1);
	CHECK(strstr(c.anoms.buf, "Package of 100000 bytes") != NULL);
	tpk_release(&c);
	/* Control bytes, a NUL and invalid UTF-8 are escaped. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "Package: e\x1b[31m");
	sbuf_add(&sb, "\0\xff\xc2\x9b\\x", 6);
	sbuf_addstr(&sb, "\nStatus: install ok installed\nVersion: 1\xe2\x82"
			 "\xac\n");
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "s", sb.buf, sb.len, &e), 1);
	CHECK_EQ_STR(c.nv.buf, "e\\x1b[31m\\x00\\xff\\xc2\\x9b\\\\x\t1\xe2\x82\xac\n");
	CHECK(!c.unsafe);
	tpk_release(&c);
	/* Status of two words; a repeated field (the first wins). */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_DPKG, "s",
	    "Package: a\nStatus: install ok\nVersion: 1\n\nPackage: b\n"
	    "Package: c\nStatus: install ok installed\nVersion: 2\n",
	    &e), 1);
	CHECK_EQ_STR(c.nv.buf, "b\t2\n");
	CHECK_EQ_INT(c.nanom, 2);
	tpk_release(&c);
	/* No field at all: not a status file. */
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "s", "\x7f" "ELF\x01\x02\n\n ",
	    9, &e), DD_EFORMAT);
	tpk_release(&c);
	/* Blank lines only, and the empty file: nothing, no error. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_DPKG, "s", "\n\n\n", &e), 0);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "s", NULL, 0, &e), 0);
	tpk_release(&c);
	sbuf_release(&sb);
}

TEST(pkgdb_anomalies_capped)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf sb = SBUF_INIT;
	int i;

	for (i = 0; i < 5000; i++)
		sbuf_addstr(&sb, "junk\n");
	sbuf_addstr(&sb, "Package: a\nStatus: install ok installed\n"
			 "Version: 1\n");
	CHECK_EQ_INT(tpk_run(&c, PKGDB_DPKG, "s", sb.buf, sb.len, &e), 1);
	CHECK_EQ_INT(c.nanom, PKGDB_ANOM_MAX + 1);
	CHECK(strstr(c.anoms.buf, "more anomalies in this file: not "
				  "reported\n") != NULL);
	tpk_release(&c);
	sbuf_release(&sb);
}

TEST(pkgdb_callback_stops_the_parse)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *st;
	size_t n;

	st = tpk_slurp(tpk_data(t, "dpkg-states.status"), &n);
	if (!CHECK(st != NULL))
		return;
	tpk_init(&c);
	c.stop_at = 2;
	CHECK_EQ_INT(pkgdb_parse(PKGDB_DPKG, "s", st, n, tpk_cb, &c, NULL, &e),
	    DD_EIO);
	CHECK_EQ_INT(c.n, 2);
	CHECK_EQ_STR(e.msg, "stopped by the test");
	tpk_release(&c);
	free(st);
}

/* ---- apk ---- */

TEST(pkgdb_apk_alpine310)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf want = SBUF_INIT;
	uint8_t *db, *exp;
	size_t n, en;
	char *line, *save = NULL;

	db = tpk_slurp(tpk_data(t, "apk-installed"), &n);
	exp = tpk_slurp(tpk_data(t, "apk-installed.expected"), &en);
	if (!CHECK(db != NULL && exp != NULL))
		goto out;
	exp[en] = '\0';
	CHECK_EQ_INT(tpk_run(&c, PKGDB_APK, "/lib/apk/db/installed", db, n,
	    &e), 14);
	CHECK_EQ_INT(c.nanom, 0);
	/* The oracle has name, version, arch, origin, licence. */
	for (line = strtok_r((char *)exp, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char f[5][256];

		if (sscanf(line, "%255[^\t]\t%255[^\t]\t%255[^\t]\t%255[^\t]\t"
				 "%255[^\n]", f[0], f[1], f[2], f[3], f[4]) != 5) {
			FAIL("bad oracle line '%s'", line);
			continue;
		}
		sbuf_addf(&want, "%s\t%s\tAlpine\t%s\t%s\t%s\t"
				 "pkg:apk/alpine/%s@%s?arch=%s\n",
		    f[0], f[1], f[3], f[2], f[4], f[0], f[1], f[2]);
	}
	CHECK_EQ_STR(c.full.buf, want.buf);
	tpk_release(&c);
out:
	sbuf_release(&want);
	free(db);
	free(exp);
}

TEST(pkgdb_apk_hostile)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;

	CHECK_EQ_INT(tpk_runs(&c, PKGDB_APK, "i",
	    "P:a\nV:1\n\nP:b\n\nV:2\n\nP:c\nV:3\nbroken\nA:x86_64\nP:d\n",
	    &e), 2);
	CHECK_EQ_STR(c.nv.buf, "a\t1\nc\t3\n");
	/* b without V, a block with only V, "broken", a second P. */
	CHECK_EQ_INT(c.nanom, 4);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_APK, "i", "no colons here\n", &e),
	    DD_EFORMAT);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_APK, "i", "P:a\0b\nV:1", 9, &e), 1);
	CHECK_EQ_STR(c.nv.buf, "a\\x00b\t1\n");
	tpk_release(&c);
}

/* ---- rpm ---- */

TEST(pkgdb_rpm_sqlite_vs_rpm_qa)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf want = SBUF_INIT;
	uint8_t *db, *exp;
	size_t n, en;
	char *line, *save = NULL;

	db = tpk_gunzip(tpk_data(t, "rpmdb.sqlite.gz"), &n);
	exp = tpk_slurp(tpk_data(t, "rpmdb.expected"), &en);
	if (!CHECK(db != NULL && exp != NULL))
		goto out;
	exp[en] = '\0';
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_SQLITE, "/var/lib/rpm/rpmdb.sqlite",
	    db, n, &e), 4);
	CHECK_EQ_INT(c.nanom, 0);
	/* rpm -qa --qf '%{NAME}\t%{EVR}\t%{ARCH}\t%{LICENSE}\t%{SOURCERPM}' */
	for (line = strtok_r((char *)exp, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char f[5][256];

		if (sscanf(line, "%255[^\t]\t%255[^\t]\t%255[^\t]\t%255[^\t]\t"
				 "%255[^\n]", f[0], f[1], f[2], f[3], f[4]) != 5) {
			FAIL("bad oracle line '%s'", line);
			continue;
		}
		sbuf_addf(&want, "%s\t%s\n", f[0], f[1]);
	}
	CHECK_EQ_STR(tpk_sorted(t, c.nv.buf), tpk_sorted(t, want.buf));
	CHECK(strstr(c.full.buf, "epochpkg\t2:1.2.3-4.el8\tRed Hat\tepochpkg\t"
			       "noarch\tMIT and (BSD or GPL+)\tpkg:rpm/redhat/"
			       "epochpkg@1.2.3-4.el8?arch=noarch&epoch=2\n") !=
	    NULL);
	CHECK(strstr(c.full.buf, "plus+name\t0.1-1\tRed Hat\tplus+name\t"
			       "noarch\tASL 2.0\tpkg:rpm/redhat/plus%2Bname@"
			       "0.1-1?arch=noarch\n") != NULL);
	tpk_release(&c);
out:
	sbuf_release(&want);
	free(db);
	free(exp);
}

/* An rpm header blob: entries of {tag, type, offset, count} over data. */
struct tpk_ent {
	uint32_t tag, type, off, count;
};

static void
tpk_be32(struct sbuf *sb, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
		(uint8_t)(v >> 8), (uint8_t)v };

	sbuf_add(sb, b, 4);
}

static void
tpk_rpm_blob(struct sbuf *sb, const struct tpk_ent *ents, size_t nent,
    const void *data, size_t dl, uint32_t il_claim, uint32_t dl_claim)
{
	size_t i;

	sbuf_reset(sb);
	tpk_be32(sb, il_claim ? il_claim : (uint32_t)nent);
	tpk_be32(sb, dl_claim ? dl_claim : (uint32_t)dl);
	for (i = 0; i < nent; i++) {
		tpk_be32(sb, ents[i].tag);
		tpk_be32(sb, ents[i].type);
		tpk_be32(sb, ents[i].off);
		tpk_be32(sb, ents[i].count);
	}
	sbuf_add(sb, data, dl);
}

/* Make an rpmdb.sqlite-shaped database at path with the given blobs (NUL
 * separated by length array). */
static bool
tpk_make_rpmdb(struct test_ctx *t, const char *path, struct sbuf *blobs,
    size_t nblobs, int extra_rows)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t i;
	int j;
	bool ok = false;

	if (sqlite3_open(path, &db) != SQLITE_OK)
		goto out;
	if (sqlite3_exec(db, "PRAGMA page_size=1024;"
			     "CREATE TABLE Basenames (key BLOB NOT NULL, "
			     "hnum INTEGER NOT NULL);"
			     "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY "
			     "AUTOINCREMENT,blob BLOB NOT NULL);",
		NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(db, "INSERT INTO Packages(blob) VALUES (?)",
		-1, &st, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < nblobs; i++) {
		sqlite3_bind_blob(st, 1, blobs[i].buf, (int)blobs[i].len,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
	}
	for (j = 0; j < extra_rows; j++) {
		/* Filler rows: a blob that is not an rpm header. */
		sqlite3_bind_zeroblob(st, 1, 300);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
		sqlite3_reset(st);
	}
	ok = true;
out:
	if (!ok)
		FAIL("sqlite: %s", db ? sqlite3_errmsg(db) : "open failed");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

TEST(pkgdb_rpm_header_lying_counts_and_offsets)
{
	static const char data[] = "good\0" "1.0\0" "1\0" "x86_64\0"
				   "\0\0" "\0\0\0\7" "nonul";
	/* offsets: name 0, version 5, release 9, arch 11, pad 18,
	 * epoch 20 (aligned, = 7), "nonul" 24 (no terminator). */
	const struct tpk_ent good[] = { { 1000, 6, 0, 1 }, { 1001, 6, 5, 1 },
		{ 1002, 6, 9, 1 }, { 1022, 6, 11, 1 }, { 1003, 4, 20, 1 } };
	struct sbuf blobs[10];
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	char *path = test_path(t, "rpmdb.sqlite");
	uint8_t *db;
	size_t n, i, dl = sizeof(data) - 1;
	struct tpk_ent bad[5];

	for (i = 0; i < ARRAY_SIZE(blobs); i++)
		sbuf_init(&blobs[i], SBUF_MAX_DEFAULT);
	/* 0: good, with epoch 7. */
	tpk_rpm_blob(&blobs[0], good, 5, data, dl, 0, 0);
	/* 1: il claims 1000 entries. */
	tpk_rpm_blob(&blobs[1], good, 5, data, dl, 1000, 0);
	/* 2: dl claims more than the blob. */
	tpk_rpm_blob(&blobs[2], good, 5, data, dl, 0, 4096);
	/* 3: il 0x10000 (over rpm's own cap). */
	tpk_rpm_blob(&blobs[3], good, 5, data, dl, 0x10000, 0);
	/* 4: NAME offset past the store. */
	memcpy(bad, good, sizeof(bad));
	bad[0].off = 0xfffffff0u;
	tpk_rpm_blob(&blobs[4], bad, 5, data, dl, 0, 0);
	/* 5: NAME points at the unterminated tail. */
	memcpy(bad, good, sizeof(bad));
	bad[0].off = 24;
	tpk_rpm_blob(&blobs[5], bad, 5, data, dl, 0, 0);
	/* 6: EPOCH misaligned and of the wrong type; count 0 VERSION. */
	memcpy(bad, good, sizeof(bad));
	bad[4].off = 21;
	tpk_rpm_blob(&blobs[6], bad, 5, data, dl, 0, 0);
	/* 7: VERSION count 0 (no version: skipped). */
	memcpy(bad, good, sizeof(bad));
	bad[1].count = 0;
	tpk_rpm_blob(&blobs[7], bad, 5, data, dl, 0, 0);
	/* 8: a blob of 3 bytes. */
	sbuf_reset(&blobs[8]);
	sbuf_add(&blobs[8], "\0\0\0", 3);
	/* 9: NAME of type INT32. */
	memcpy(bad, good, sizeof(bad));
	bad[0].type = 4;
	tpk_rpm_blob(&blobs[9], bad, 5, data, dl, 0, 0);
	if (!tpk_make_rpmdb(t, path, blobs, ARRAY_SIZE(blobs), 0))
		goto out;
	db = tpk_slurp(path, &n);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_SQLITE, path, db, n, &e), 2);
	/* The good one, and 6 (epoch ignored). */
	CHECK_EQ_STR(c.full.buf,
	    "good\t7:1.0-1\tRed Hat\t-\tx86_64\t-\t"
	    "pkg:rpm/redhat/good@1.0-1?arch=x86_64&epoch=7\n"
	    "good\t1.0-1\tRed Hat\t-\tx86_64\t-\t"
	    "pkg:rpm/redhat/good@1.0-1?arch=x86_64\n");
	/* One per broken blob, plus "without a NAME or VERSION" for the
	 * four whose name or version was dropped. */
	CHECK_EQ_INT(c.nanom, 13);
	CHECK(strstr(c.anoms.buf, "rpm header with 1000 tags") == NULL);
	CHECK(strstr(c.anoms.buf, "overruns its blob") != NULL);
	CHECK(strstr(c.anoms.buf, "not terminated") != NULL);
	CHECK(strstr(c.anoms.buf, "rpm EPOCH of type 4 at offset 21") != NULL);
	CHECK(!c.unsafe);
	tpk_release(&c);
	free(db);
out:
	for (i = 0; i < ARRAY_SIZE(blobs); i++)
		sbuf_release(&blobs[i]);
}

TEST(pkgdb_rpm_sqlite_btree_loop)
{
	static const char data[] = "loop\0" "2\0" "3\0";
	const struct tpk_ent ents[] = { { 1000, 6, 0, 1 }, { 1001, 6, 5, 1 },
		{ 1002, 6, 7, 1 } };
	struct sbuf blob = SBUF_INIT;
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	char *path = test_path(t, "rpmdb.sqlite");
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int root = 0, all;
	uint8_t *file;
	size_t n, pg;

	tpk_rpm_blob(&blob, ents, 3, data, sizeof(data) - 1, 0, 0);
	/* 200 filler rows make Packages a two-level tree. */
	if (!tpk_make_rpmdb(t, path, &blob, 1, 200))
		goto out;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema "
				   "WHERE name = 'Packages'", -1, &st,
		NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		FAIL("cannot read the schema");
		goto out;
	}
	root = sqlite3_column_int(st, 0);
	file = tpk_slurp(path, &n);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_SQLITE, path, file, n, &e), 1);
	all = c.nanom;
	CHECK_EQ_INT(all, 200); /* the filler rows are not rpm headers */
	tpk_release(&c);
	/* The root's right-most child pointer at itself. */
	pg = (size_t)(root - 1) * 1024;
	if (CHECK(root > 1 && pg + 12 <= n && file[pg] == 0x05)) {
		file[pg + 8] = (uint8_t)(root >> 24);
		file[pg + 9] = (uint8_t)(root >> 16);
		file[pg + 10] = (uint8_t)(root >> 8);
		file[pg + 11] = (uint8_t)root;
		CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_SQLITE, path, file, n, &e),
		    1);
		CHECK(strstr(c.anoms.buf, "reached twice") != NULL);
		tpk_release(&c);
	}
	/* A page size that is not a power of two. */
	file[16] = 0x03;
	file[17] = 0x00;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_SQLITE, path, file, n, &e),
	    DD_EFORMAT);
	tpk_release(&c);
	free(file);
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	sbuf_release(&blob);
}

TEST(pkgdb_rpm_sqlite_truncated_and_flipped)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *db, *copy;
	size_t n, cut, i;
	uint32_t x = 12345;
	int rc, round;

	db = tpk_gunzip(tpk_data(t, "rpmdb.sqlite.gz"), &n);
	if (!CHECK(db != NULL))
		return;
	/* Every cut at a page boundary and a few inside pages. */
	for (cut = 0; cut < n; cut += 1021) {
		copy = xmalloc(cut + 1);
		memcpy(copy, db, cut);
		rc = tpk_run(&c, PKGDB_RPM_SQLITE, "cut", copy, cut, &e);
		CHECK(rc == DD_EFORMAT || (rc >= 0 && rc <= 4));
		CHECK(!c.unsafe);
		tpk_release(&c);
		free(copy);
	}
	/* 300 rounds of 8 byte flips each (a fixed LCG). */
	copy = xmalloc(n);
	for (round = 0; round < 300; round++) {
		memcpy(copy, db, n);
		for (i = 0; i < 8; i++) {
			x = x * 1103515245u + 12345u;
			copy[(x >> 8) % n] ^= (uint8_t)(1u << (x & 7));
		}
		rc = tpk_run(&c, PKGDB_RPM_SQLITE, "flip", copy, n, &e);
		CHECK(rc == DD_EFORMAT || rc >= 0);
		CHECK(!c.unsafe);
		tpk_release(&c);
	}
	free(copy);
	/* Not SQLite at all. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_RPM_SQLITE, "x", "SQLite format 2",
	    &e), DD_EFORMAT);
	tpk_release(&c);
	free(db);
}

/* ---- Python ---- */

TEST(pkgdb_python_metadata)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *m;
	size_t n;

	m = tpk_slurp(tpk_data(t, "pip-24.2.dist-info-METADATA"), &n);
	if (!CHECK(m != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_PYTHON, "METADATA", m, n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "pip\t24.2\tPyPI\t-\t-\tMIT\t"
				 "pkg:pypi/pip@24.2\n");
	tpk_release(&c);
	free(m);
	m = tpk_slurp(tpk_data(t, "PyJWT-2.6.0.egg-info-PKG-INFO"), &n);
	if (!CHECK(m != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_PYTHON, "PKG-INFO", m, n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "PyJWT\t2.6.0\tPyPI\t-\t-\tMIT\t"
				 "pkg:pypi/pyjwt@2.6.0\n");
	tpk_release(&c);
	free(m);
}

TEST(pkgdb_python_hostile)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf sb = SBUF_INIT;
	size_t i;

	/* CRLF, License-Expression first, a normalised purl name. */
	CHECK_EQ_INT(tpk_run(&c, PKGDB_PYTHON, "M",
	    "Metadata-Version: 2.4\r\nName: Zope.Interface__x\r\nVersion: 7.0"
	    "\r\nLicense: ZPL\r\nLicense-Expression: ZPL-2.1\r\n\r\nName: no\r\n",
	    119, &e), 1);
	CHECK_EQ_STR(c.full.buf, "Zope.Interface__x\t7.0\tPyPI\t-\t-\tZPL-2.1\t"
				 "pkg:pypi/zope-interface-x@7.0\n");
	tpk_release(&c);
	/* UNKNOWN licence: the classifier speaks. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_PYTHON, "M",
	    "Name: a\nVersion: 1\nLicense: UNKNOWN\nClassifier: License :: "
	    "OSI Approved :: MIT License\n", &e), 1);
	CHECK(strstr(c.full.buf, "\tMIT License\t") != NULL);
	tpk_release(&c);
	/* A 10 KiB licence is cut. */
	sbuf_addstr(&sb, "Name: a\nVersion: 1\nLicense: ");
	for (i = 0; i < 10000; i++)
		sbuf_addch(&sb, 'L');
	sbuf_addstr(&sb, "\n        more licence text\n");
	CHECK_EQ_INT(tpk_run(&c, PKGDB_PYTHON, "M", sb.buf, sb.len, &e), 1);
	CHECK(strstr(c.full.buf, "LLL...\tpkg:pypi/a@1\n") != NULL);
	CHECK(c.full.len < PKGDB_LICENSE_MAX + 100);
	tpk_release(&c);
	/* No Version: an anomaly; no field at all: not metadata. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_PYTHON, "M", "Name: a\n", &e), 0);
	CHECK_EQ_INT(c.nanom, 1);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_PYTHON, "M", "\x89PNG\r\n\x1a\n", 8,
	    &e), DD_EFORMAT);
	tpk_release(&c);
	sbuf_release(&sb);
}

/* ---- npm ---- */

TEST(pkgdb_npm_lockfiles_vs_npm_ls)
{
	static const char want[] =
	    "@sindresorhus/is\t4.6.0\n"
	    "debug\t2.6.9\n"
	    "is-number\t6.0.0\n"
	    "is-odd\t3.0.1\n"
	    "ms\t2.0.0\n"
	    "ms\t2.1.3\n";
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *j, *ls;
	size_t n, ln;

	/* npm.npm-ls.txt is `npm ls --all --parseable --long`: the same 6
	 * packages as want (checked here so the two cannot drift). */
	ls = tpk_slurp(tpk_data(t, "npm.npm-ls.txt"), &ln);
	if (!CHECK(ls != NULL))
		return;
	ls[ln] = '\0';
	CHECK(strstr((char *)ls, "/node_modules/debug/node_modules/ms:ms@2.0.0"
	    "\n") != NULL);
	CHECK(strstr((char *)ls, ":@sindresorhus/is@4.6.0\n") != NULL);
	free(ls);
	j = tpk_slurp(tpk_data(t, "npm-lock-v3.json"), &n);
	if (!CHECK(j != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_LOCK, "package-lock.json", j, n,
	    &e), 6);
	CHECK_EQ_STR(tpk_sorted(t, c.nv.buf), want);
	CHECK(strstr(c.full.buf, "@sindresorhus/is\t4.6.0\tnpm\t-\t-\tMIT\t"
			       "pkg:npm/%40sindresorhus/is@4.6.0\n") != NULL);
	tpk_release(&c);
	free(j);
	j = tpk_slurp(tpk_data(t, "npm-lock-v1.json"), &n);
	if (!CHECK(j != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_LOCK, "package-lock.json", j, n,
	    &e), 6);
	CHECK_EQ_STR(tpk_sorted(t, c.nv.buf), want);
	tpk_release(&c);
	free(j);
	j = tpk_slurp(tpk_data(t, "npm-sindresorhus-is-package.json"), &n);
	if (!CHECK(j != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_PKG, "package.json", j, n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "@sindresorhus/is\t4.6.0\tnpm\t-\t-\tMIT\t"
				 "pkg:npm/%40sindresorhus/is@4.6.0\n");
	tpk_release(&c);
	free(j);
}

TEST(pkgdb_npm_hostile)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	struct sbuf sb = SBUF_INIT;
	int i;

	CHECK_EQ_INT(tpk_runs(&c, PKGDB_NPM_LOCK, "l", "{\"packages\": {",
	    &e), DD_EFORMAT);
	CHECK(strstr(e.msg, "is not JSON") != NULL);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_NPM_LOCK, "l", "[1,2]", &e),
	    DD_EFORMAT);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_NPM_LOCK, "l", "{\"a\":1}", &e),
	    DD_EFORMAT);
	tpk_release(&c);
	/* Wrong types, a link, a version that is a number, duplicate keys,
	 * an escape in a name. */
	sbuf_addstr(&sb, "{\"lockfileVersion\":3,\"packages\":{"
			 "\"\":{\"name\":\"root\",\"version\":\"1\"},"
			 "\"node_modules/a\":5,"
			 "\"node_modules/b\":{\"version\":2},"
			 "\"node_modules/c\":{\"link\":true},"
			 "\"node_modules/d\":{\"version\":\"1\"},"
			 "\"node_modules/d\":{\"version\":\"2\"},"
			 "\"node_modules/e\\u001b\":{\"version\":\"1\","
			 "\"license\":{\"type\":\"ISC\"}},"
			 "\"packages/ws\":{\"name\":\"ws\",\"version\":\"9\"},"
			 "\"node_modules/\":{\"version\":\"1\"}}}");
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_LOCK, "l", sb.buf, sb.len, &e), 2);
	CHECK_EQ_STR(c.full.buf, "d\t2\tnpm\t-\t-\t-\tpkg:npm/d@2\n"
				 "e\\x1b\t1\tnpm\t-\t-\tISC\tpkg:npm/e%5Cx1b@1\n");
	/* "a" is not an object, "b" has no version string; the empty
	 * name after "node_modules/" is not a package. */
	CHECK_EQ_INT(c.nanom, 2);
	tpk_release(&c);
	/* A v1 tree 200 deep: cut at PKGDB_JSON_DEPTH. */
	sbuf_reset(&sb);
	sbuf_addstr(&sb, "{\"lockfileVersion\":1,\"dependencies\":");
	for (i = 0; i < 200; i++)
		sbuf_addf(&sb, "{\"p%d\":{\"version\":\"1\",\"dependencies\":",
		    i);
	sbuf_addstr(&sb, "{}");
	for (i = 0; i < 200; i++)
		sbuf_addstr(&sb, "}}");
	sbuf_addstr(&sb, "}");
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_LOCK, "l", sb.buf, sb.len, &e),
	    PKGDB_JSON_DEPTH);
	CHECK_EQ_INT(c.nanom, 1);
	tpk_release(&c);
	/* JSON nested past jansson's own depth limit. */
	sbuf_reset(&sb);
	for (i = 0; i < 5000; i++)
		sbuf_addch(&sb, '[');
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_PKG, "p", sb.buf, sb.len, &e),
	    DD_EFORMAT);
	tpk_release(&c);
	/* Over the JSON cap: not read, like a file of another format. */
	CHECK_EQ_INT(tpk_run(&c, PKGDB_NPM_LOCK, "l", "{}",
	    PKGDB_JSON_MAX + 1, &e), DD_EFORMAT);
	CHECK(strstr(e.msg, "not read") != NULL);
	tpk_release(&c);
	/* package.json without a version. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_NPM_PKG, "p", "{\"name\":\"x\"}",
	    &e), 0);
	CHECK_EQ_INT(c.nanom, 1);
	tpk_release(&c);
	sbuf_release(&sb);
}

/* ---- Java ---- */

TEST(pkgdb_jar_real)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *j;
	size_t n;

	j = tpk_slurp(tpk_data(t, "slf4j-nop.jar"), &n);
	if (!CHECK(j != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_JAR, "slf4j-nop.jar", j, n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "org.slf4j:slf4j-nop\t1.7.32\tMaven\t-\t-\t-\t"
				 "pkg:maven/org.slf4j/slf4j-nop@1.7.32\n");
	tpk_release(&c);
	/* Half a jar: the central directory is gone. */
	CHECK(tpk_run(&c, PKGDB_JAR, "half.jar", j, n / 2, &e) >= DD_EFORMAT);
	tpk_release(&c);
	free(j);
	/* Manifest only (Bundle-SymbolicName, Bundle-Version). */
	j = tpk_slurp(tpk_data(t, "atinject-jsr330-api-1.0.jar"), &n);
	if (!CHECK(j != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_JAR, "a.jar", j, n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "javax.inject\t1.0.0\tMaven\t-\t-\t-\t"
				 "pkg:maven/javax.inject@1.0.0\n");
	tpk_release(&c);
	free(j);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_JAR, "x.jar", "not a zip at all",
	    &e), DD_EFORMAT);
	tpk_release(&c);
}

/* A zip in memory: names[i] with the bytes of datas[i] (or zero-filled
 * sizes[i] when datas[i] is NULL). Owned, *len set. */
static uint8_t *
tpk_zip(const char *const *names, const void *const *datas,
    const size_t *sizes, size_t k, size_t *len)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ent;
	size_t cap = 4u << 20, used = 0, i, left, step;
	uint8_t *buf = xmalloc(cap);
	static uint8_t zeros[65536];

	archive_write_set_format_zip(a);
	archive_write_open_memory(a, buf, cap, &used);
	for (i = 0; i < k; i++) {
		ent = archive_entry_new();
		archive_entry_set_pathname(ent, names[i]);
		archive_entry_set_filetype(ent, AE_IFREG);
		archive_entry_set_perm(ent, 0644);
		archive_entry_set_size(ent, (la_int64_t)sizes[i]);
		archive_write_header(a, ent);
		if (datas[i] != NULL) {
			archive_write_data(a, datas[i], sizes[i]);
		} else {
			for (left = sizes[i]; left > 0; left -= step) {
				step = MIN(left, sizeof(zeros));
				archive_write_data(a, zeros, step);
			}
		}
		archive_entry_free(ent);
	}
	archive_write_close(a);
	archive_write_free(a);
	*len = used;
	return buf;
}

TEST(pkgdb_jar_nested_and_bombs)
{
	static const char pom[] = "#Generated by Maven\n"
				  "groupId=com.example\nartifactId=app\n"
				  "version=1.0.0\n";
	static const char mf[] = "Manifest-Version: 1.0\r\n"
				 "Implementation-Title: inner-lib-with-a-very-"
				 "long-na\r\n me\r\n"
				 "Implementation-Version: 2.0\r\n\r\n"
				 "Name: x\r\nImplementation-Version: 9\r\n";
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *real, *inner, *outer;
	size_t rn, in, on;

	real = tpk_slurp(tpk_data(t, "slf4j-nop.jar"), &rn);
	if (!CHECK(real != NULL))
		return;
	{
		const char *names[] = { "META-INF/MANIFEST.MF", "x.class" };
		const void *datas[] = { mf, "cafebabe" };
		size_t sizes[] = { sizeof(mf) - 1, 8 };

		inner = tpk_zip(names, datas, sizes, 2, &in);
	}
	{
		/* A Spring Boot-like jar: its own pom, two jars in
		 * BOOT-INF/lib, a jar nested two deep (not opened), a
		 * 64 MiB + 1 "jar" of zeros (over the cap) and a 2 MiB
		 * pom.properties (over the text cap). */
		const char *nested2[] = { "lib/deeper.jar" };
		const void *nd2[] = { real };
		size_t ns2[] = { rn };
		size_t n2;
		uint8_t *two = tpk_zip(nested2, nd2, ns2, 1, &n2);
		const char *names[] = {
			("META-INF/maven/com.example/app/pom.properties"),
			"BOOT-INF/lib/slf4j-nop.jar", "BOOT-INF/lib/inner.jar",
			"BOOT-INF/lib/two.jar", "BOOT-INF/lib/bomb.jar",
			"META-INF/maven/x/y/pom.properties" };
		const void *datas[] = { pom, real, inner, two, NULL, NULL };
		size_t sizes[] = { sizeof(pom) - 1, rn, in, n2,
			PKGDB_MAX + 1, 2u << 20 };

		outer = tpk_zip(names, datas, sizes, 6, &on);
		free(two);
	}
	CHECK(on < (4u << 20));
	CHECK_EQ_INT(tpk_run(&c, PKGDB_JAR, "app.jar", outer, on, &e), 3);
	CHECK_EQ_STR(c.nv.buf, "com.example:app\t1.0.0\n"
			       "org.slf4j:slf4j-nop\t1.7.32\n"
			       "inner-lib-with-a-very-long-name\t2.0\n");
	CHECK(strstr(c.anoms.buf, "nested jar larger than 67108864") != NULL);
	CHECK(strstr(c.anoms.buf, "pom.properties larger than 1048576") !=
	    NULL);
	tpk_release(&c);
	free(real);
	free(inner);
	free(outer);
}

/* ---- Go ---- */

TEST(pkgdb_go_binary_vs_go_version_m)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *bin, *oracle, *copy;
	size_t n, on, cut;
	int rc;

	bin = tpk_gunzip(tpk_data(t, "gofixture.gz"), &n);
	oracle = tpk_slurp(tpk_data(t, "gofixture.go-version-m.txt"), &on);
	if (!CHECK(bin != NULL && oracle != NULL))
		goto out;
	oracle[on] = '\0';
	/* go version -m: "gofixture: go1.19.8", "mod\tPATH\t(devel)",
	 * "dep\texample.com/greet\tv1.2.3", "=>\t../dep\t(devel)". */
	CHECK(strstr((char *)oracle, "gofixture: go1.19.8\n") != NULL);
	CHECK(strstr((char *)oracle, "\tmod\texample.com/drydock-gofixture\t"
				     "(devel)\t\n") != NULL);
	CHECK(strstr((char *)oracle, "\tdep\texample.com/greet\tv1.2.3\n") !=
	    NULL);
	CHECK(strstr((char *)oracle, "\t=>\t../dep\t(devel)\t\n") != NULL);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_ELF, "/app/gofixture", bin, n, &e), 3);
	CHECK_EQ_STR(c.full.buf,
	    "example.com/drydock-gofixture\t(devel)\tGo\t-\t-\t-\t"
	    "pkg:golang/example.com/drydock-gofixture@%28devel%29\n"
	    "example.com/greet\tv1.2.3\tGo\t-\t-\t-\t"
	    "pkg:golang/example.com/greet@v1.2.3\n"
	    "stdlib\t1.19.8\tGo\t-\t-\t-\tpkg:golang/stdlib@1.19.8\n");
	tpk_release(&c);
	/* Section headers that lie: found in the data segment instead. */
	copy = xmalloc(n);
	memcpy(copy, bin, n);
	memset(copy + 0x28, 0xff, 8); /* e_shoff */
	CHECK_EQ_INT(tpk_run(&c, PKGDB_ELF, "x", copy, n, &e), 3);
	tpk_release(&c);
	/* Truncated anywhere: never more than the truth, never a crash. */
	for (cut = 0; cut < n; cut += n / 97 + 1) {
		rc = tpk_run(&c, PKGDB_ELF, "cut", copy, cut, &e);
		CHECK(rc >= 0 && rc <= 3);
		tpk_release(&c);
	}
	free(copy);
	/* A shell script and an empty file: no Go, no error. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_ELF, "sh", "#!/bin/sh\necho\n", &e),
	    0);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_ELF, "e", NULL, 0, &e), 0);
	tpk_release(&c);
out:
	free(bin);
	free(oracle);
}

/* Put v at p in the given size and byte order. */
static void
tpk_put(uint8_t *p, uint64_t v, int size, bool be)
{
	int i;

	for (i = 0; i < size; i++)
		p[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/*
 * A minimal ELF executable with Go build info in the pointer form (Go
 * before 1.18): no section headers, one writable PT_LOAD segment at file
 * offset 0x200, vaddr 0x10200.
 */
static size_t
tpk_go_old_elf(uint8_t *f, size_t cap, bool is64, bool be, uint64_t bad_ptr)
{
	static const char mod[] = "0123456789abcdef"
				  "path\tex.com/tool\n"
				  "mod\tex.com/tool\tv0.1.0\th1:x=\n"
				  "dep\tgolang.org/x/text\tv0.3.7\th1:y=\n"
				  "dep\tex.com/old\tv1.0.0\n"
				  "=>\tex.com/new\tv1.1.0\th1:z=\n"
				  "\n0123456789abcdef";
	static const char ver[] = "go1.16.15";
	int psz = is64 ? 8 : 4;
	uint64_t base = 0x10200;
	size_t ph = is64 ? 64 : 52;

	memset(f, 0, cap);
	memcpy(f, "\x7f" "ELF", 4);
	f[4] = is64 ? 2 : 1;
	f[5] = be ? 2 : 1;
	f[6] = 1;
	tpk_put(f + 16, 2, 2, be);	      /* ET_EXEC */
	if (is64) {
		tpk_put(f + 32, ph, 8, be);   /* e_phoff */
		tpk_put(f + 54, 56, 2, be);   /* e_phentsize */
		tpk_put(f + 56, 1, 2, be);    /* e_phnum */
		tpk_put(f + ph, 1, 4, be);    /* PT_LOAD */
		tpk_put(f + ph + 4, 6, 4, be); /* RW */
		tpk_put(f + ph + 8, 0x200, 8, be);
		tpk_put(f + ph + 16, base, 8, be);
		tpk_put(f + ph + 32, 0x200, 8, be);
	} else {
		tpk_put(f + 28, ph, 4, be);
		tpk_put(f + 42, 32, 2, be);
		tpk_put(f + 44, 1, 2, be);
		tpk_put(f + ph, 1, 4, be);
		tpk_put(f + ph + 4, 0x200, 4, be);
		tpk_put(f + ph + 8, base, 4, be);
		tpk_put(f + ph + 16, 0x200, 4, be);
		tpk_put(f + ph + 24, 6, 4, be);
	}
	memcpy(f + 0x200, "\xff Go buildinf:", 14);
	f[0x200 + 14] = (uint8_t)psz;
	f[0x200 + 15] = be ? 1 : 0;
	tpk_put(f + 0x210, bad_ptr ? bad_ptr : base + 0x40, psz, be);
	tpk_put(f + 0x210 + psz, base + 0x60, psz, be);
	tpk_put(f + 0x240, base + 0x80, psz, be);
	tpk_put(f + 0x240 + psz, sizeof(ver) - 1, psz, be);
	tpk_put(f + 0x260, base + 0xa0, psz, be);
	tpk_put(f + 0x260 + psz, sizeof(mod) - 1, psz, be);
	memcpy(f + 0x280, ver, sizeof(ver) - 1);
	memcpy(f + 0x2a0, mod, sizeof(mod) - 1);
	return 0x400;
}

TEST(pkgdb_go_pointer_form_32_64_le_be)
{
	static const char want[] =
	    "ex.com/tool\tv0.1.0\tGo\t-\t-\t-\tpkg:golang/ex.com/tool@v0.1.0\n"
	    "golang.org/x/text\tv0.3.7\tGo\t-\t-\t-\t"
	    "pkg:golang/golang.org/x/text@v0.3.7\n"
	    "ex.com/new\tv1.1.0\tGo\t-\t-\t-\tpkg:golang/ex.com/new@v1.1.0\n"
	    "stdlib\t1.16.15\tGo\t-\t-\t-\tpkg:golang/stdlib@1.16.15\n";
	uint8_t f[0x400];
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	size_t n;
	int i;

	for (i = 0; i < 4; i++) {
		n = tpk_go_old_elf(f, sizeof(f), i & 1, i & 2, 0);
		CHECK_EQ_INT(tpk_run(&c, PKGDB_ELF, "tool", f, n, &e), 4);
		CHECK_EQ_STR(c.full.buf, want);
		tpk_release(&c);
		/* A pointer outside every segment: an anomaly. */
		n = tpk_go_old_elf(f, sizeof(f), i & 1, i & 2, 0xdead0000);
		CHECK_EQ_INT(tpk_run(&c, PKGDB_ELF, "tool", f, n, &e), 0);
		CHECK_EQ_INT(c.nanom, 1);
		tpk_release(&c);
		/* A string length past the segment. */
		n = tpk_go_old_elf(f, sizeof(f), i & 1, i & 2, 0);
		tpk_put(f + 0x260 + ((i & 1) ? 8 : 4), 0x7fffffff,
		    (i & 1) ? 8 : 4, i & 2);
		CHECK_EQ_INT(tpk_run(&c, PKGDB_ELF, "tool", f, n, &e), 0);
		CHECK_EQ_INT(c.nanom, 1);
		tpk_release(&c);
	}
}

/* ---- Ruby ---- */

TEST(pkgdb_gemspec)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *g;
	size_t n;

	g = tpk_slurp(tpk_data(t, "rake-13.0.6.gemspec"), &n);
	if (!CHECK(g != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_GEMSPEC, "rake.gemspec", g, n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "rake\t13.0.6\tRubyGems\t-\t-\tMIT\t"
				 "pkg:gem/rake@13.0.6\n");
	tpk_release(&c);
	free(g);
	g = tpk_slurp(tpk_data(t, "ipaddr-1.2.4.gemspec"), &n);
	if (!CHECK(g != NULL))
		return;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_GEMSPEC, "ipaddr.gemspec", g, n, &e), 1);
	CHECK(strncmp(c.full.buf, "ipaddr\t1.2.4\tRubyGems\t", 22) == 0);
	tpk_release(&c);
	free(g);
	/* Single quotes, escapes, a stub line only, nothing at all. */
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_GEMSPEC, "g",
	    "Gem::Specification.new do |spec|\n  spec.name = 'a\\'b'\n"
	    "  spec.version = Gem::Version.new(\"1.0\")\n"
	    "  spec.licenses = [\"Apache-2.0\".freeze, \"MIT\"]\nend\n",
	    &e), 1);
	CHECK_EQ_STR(c.full.buf, "a'b\t1.0\tRubyGems\t-\t-\tApache-2.0\t"
				 "pkg:gem/a%27b@1.0\n");
	tpk_release(&c);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_GEMSPEC, "g",
	    "# stub: x 2.0 ruby lib\n", &e), 1);
	CHECK_EQ_STR(c.nv.buf, "x\t2.0\n");
	tpk_release(&c);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_GEMSPEC, "g", "s.name = \"x\n", &e),
	    DD_EFORMAT);
	tpk_release(&c);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_GEMSPEC, "g", "s.name = \"x\"\n",
	    &e), 0);
	CHECK_EQ_INT(c.nanom, 1);
	tpk_release(&c);
}

/* ---- regressions found by fuzzing ---- */

/*
 * fz-pkgdb: libarchive ends some error messages with a newline ("ZIP
 * uncompressed data is wrong size (read 3105, expected 3095)\n"), and the
 * jar parser passed them into anomaly messages as they were. The input
 * is tests/fuzz/corpus/pkgdb/crash-jar-libarchive-message-newline: a jar
 * whose nested jar's sizes were changed by one byte flip.
 */
TEST(pkgdb_jar_libarchive_message_newline)
{
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *j;
	size_t n;

	j = tpk_slurp(tpk_data(t, "../../fuzz/corpus/pkgdb/"
				  "crash-jar-libarchive-message-newline"), &n);
	if (!CHECK(j != NULL && n > 1))
		goto out;
	CHECK_EQ_INT(tpk_run(&c, PKGDB_JAR, "x.jar", j + 1, n - 1, &e), 1);
	CHECK_EQ_INT(c.nanom, 1);
	CHECK(!c.unsafe);
	CHECK(strstr(c.anoms.buf, "expected 3095)\n") != NULL);
	tpk_release(&c);
out:
	free(j);
}

/* ---- rpm Berkeley DB and ndb ---- */

TEST(pkgdb_rpm_bdb_vs_rpm_bdb_ro)
{
	static const char *const files[] = { "rpmdb-bdb-le4k.Packages.gz",
		"rpmdb-bdb-le16k.Packages.gz", "rpmdb-bdb-be4k.Packages.gz" };
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;
	uint8_t *db, *exp, *copy;
	size_t n, en, i, cut;
	int rc, round;
	uint32_t x = 777;

	exp = tpk_slurp(tpk_data(t, "rpmdb-bdb.expected"), &en);
	if (!CHECK(exp != NULL))
		return;
	exp[en] = '\0';
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		db = tpk_gunzip(tpk_data(t, files[i]), &n);
		if (!CHECK(db != NULL))
			continue;
		/* 4 KiB pages: every header in overflow pages; 16 KiB: three
		 * on the hash pages, one in an overflow chain. */
		CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_BDB, "/var/lib/rpm/Packages",
		    db, n, &e), 4);
		CHECK_EQ_INT(c.nanom, 0);
		CHECK_EQ_STR(tpk_sorted(t, c.nv.buf),
		    tpk_sorted(t, (const char *)exp));
		tpk_release(&c);
		/* Cuts and byte flips: never a crash, never more. */
		for (cut = 0; cut < n; cut += 997) {
			rc = tpk_run(&c, PKGDB_RPM_BDB, "cut", db, cut, &e);
			CHECK(rc == DD_EFORMAT || (rc >= 0 && rc <= 4));
			tpk_release(&c);
		}
		copy = xmalloc(n);
		for (round = 0; round < 200; round++) {
			int k;

			memcpy(copy, db, n);
			for (k = 0; k < 6; k++) {
				x = x * 1103515245u + 12345u;
				copy[(x >> 8) % n] ^= (uint8_t)(1u << (x & 7));
			}
			rc = tpk_run(&c, PKGDB_RPM_BDB, "flip", copy, n, &e);
			CHECK(rc == DD_EFORMAT || rc >= 0);
			CHECK(!c.unsafe);
			tpk_release(&c);
		}
		free(copy);
		free(db);
	}
	free(exp);
	CHECK_EQ_INT(tpk_runs(&c, PKGDB_RPM_BDB, "x", "not a database", &e),
	    DD_EFORMAT);
	tpk_release(&c);
}

static void
tpk_le32(uint8_t *p, uint32_t v)
{
	tpk_put(p, v, 4, false);
}

TEST(pkgdb_rpm_ndb_handmade)
{
	static const char data[] = "ndbpkg\0" "3.1\0" "2.sle\0" "x86_64\0";
	const struct tpk_ent ents[] = { { 1000, 6, 0, 1 }, { 1001, 6, 7, 1 },
		{ 1002, 6, 11, 1 }, { 1022, 6, 17, 1 } };
	struct sbuf blob = SBUF_INIT;
	uint8_t *f;
	size_t n = 4096 + 4096, blk;
	struct tpk c;
	struct dd_err e = DD_ERR_INIT;

	tpk_rpm_blob(&blob, ents, 4, data, sizeof(data) - 1, 0, 0);
	f = xcalloc(n, 1);
	/* Header: "RpmP", version 0, generation 1, one slot page. */
	tpk_le32(f, 0x506d7052u);
	tpk_le32(f + 8, 1);
	tpk_le32(f + 12, 1);
	/* Slot 0: package 1 at block 256 (byte 4096). */
	blk = 4096 / 16;
	tpk_le32(f + 32, 0x746f6c53u);
	tpk_le32(f + 36, 1);
	tpk_le32(f + 40, (uint32_t)blk);
	tpk_le32(f + 44, (uint32_t)((16 + blob.len + 16 + 15) / 16));
	/* Slot 1: free; slot 2: points past the file; slot 3: bad magic.
	 * The other slots are zero: bad magic too, one anomaly each. */
	tpk_le32(f + 48, 0x746f6c53u);
	tpk_le32(f + 64, 0x746f6c53u);
	tpk_le32(f + 68, 2);
	tpk_le32(f + 72, 0x7fffffffu);
	tpk_le32(f + 76, 1);
	/* The blob: "BlbS", package 1, checksum, length. */
	tpk_le32(f + 4096, 0x53626c42u);
	tpk_le32(f + 4100, 1);
	tpk_le32(f + 4108, (uint32_t)blob.len);
	memcpy(f + 4112, blob.buf, blob.len);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_NDB, "/var/lib/rpm/Packages.db", f,
	    n, &e), 1);
	CHECK_EQ_STR(c.full.buf, "ndbpkg\t3.1-2.sle\tRed Hat\t-\tx86_64\t-\t"
				 "pkg:rpm/redhat/ndbpkg@3.1-2.sle?arch=x86_64\n");
	CHECK(strstr(c.anoms.buf, "block 2147483647 outside the file") !=
	    NULL);
	tpk_release(&c);
	/* The blob's package index does not match its slot. */
	tpk_le32(f + 4100, 9);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_NDB, "x", f, n, &e), 0);
	CHECK(strstr(c.anoms.buf, "ndb blob of package 1 with a bad") != NULL);
	tpk_release(&c);
	/* A slot table longer than the file; too many slot pages. */
	tpk_le32(f + 12, 2);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_NDB, "x", f, 4096, &e), 0);
	CHECK(strstr(c.anoms.buf, "cut short") != NULL);
	tpk_release(&c);
	tpk_le32(f + 12, 4096);
	CHECK_EQ_INT(tpk_run(&c, PKGDB_RPM_NDB, "x", f, n, &e), DD_EFORMAT);
	tpk_release(&c);
	free(f);
	sbuf_release(&blob);
}
