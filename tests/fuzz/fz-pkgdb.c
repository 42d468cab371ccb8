/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-pkgdb.c: the package inventory parsers (ingest/pkgdb.h) on hostile
 * files.
 *
 * Input layout: byte 0 chooses the kind (byte % PKGDB_NKINDS; 0 is
 * PKGDB_NONE and only exercises pkgdb_match()), the rest is the file
 * handed to pkgdb_parse(). The whole input, cut at the first NUL and at
 * 4 KiB, is also given to pkgdb_match() as a path with a mode and size
 * taken from the first bytes. Seeds (corpus/pkgdb/) are the samples of
 * tests/data/pkgdb/ made small, each prefixed by its kind byte: 01 dpkg
 * status, 02 status.d, 03 apk, 04 rpmdb.sqlite (one page per table), 05
 * METADATA, 06 package-lock.json v1 and v3, 07 package.json, 08 a jar,
 * 09 Go ELF executables (the pointer form of tests/unit/t-pkgdb.c, 32 and
 * 64 bits; the inline form in a .go.buildinfo section), 0a gemspec, 0b
 * rpm Berkeley DB (db5.3_load, 512-byte pages), 0c rpm ndb (hand-made
 * from the documented layout). crash-* files are fixed regressions.
 *
 * Invariants checked (__builtin_trap on violation):
 * - the return value is >= 0 (and equals the number of callbacks) or
 *   DD_EFORMAT with a message in e (inputs stay under PKGDB_MAX);
 * - every pkg_rec string is display-safe (valid UTF-8, no C0/C1 control,
 *   no DEL), name, version, ecosystem and purl are set, the purl starts
 *   with "pkg:" and is pure ASCII;
 * - anomaly messages are display-safe;
 * - the parsers are pure: a second call reports the same packages;
 * - pkgdb_match() returns a valid kind.
 */
#include "core/common.h"

#include "ingest/pkgdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(x)                         \
	do {                                \
		if (!(x))                   \
			__builtin_trap();   \
	} while (0)

/* What one parse reported: a running FNV-1a hash of every field. */
struct fz_pk {
	uint64_t h;
	int n;
};

static bool
fz_pk_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k, i;

	if (s == NULL)
		return true;
	while (*p != '\0') {
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

static void
fz_pk_hash(struct fz_pk *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "\x01");

	for (; *p != '\0'; p++)
		f->h = (f->h ^ *p) * 1099511628211ull;
	f->h = (f->h ^ 0xff) * 1099511628211ull;
}

static int
fz_pk_cb(void *user, const struct pkg_rec *p, struct dd_err *e)
{
	struct fz_pk *f = user;
	const char *c;

	(void)e;
	f->n++;
	FZ_CHECK(p->name != NULL && p->version != NULL &&
	    p->ecosystem != NULL && p->purl != NULL);
	FZ_CHECK(*p->name != '\0' && *p->version != '\0');
	FZ_CHECK(fz_pk_safe(p->name) && fz_pk_safe(p->version) &&
	    fz_pk_safe(p->source) && fz_pk_safe(p->arch) &&
	    fz_pk_safe(p->license));
	FZ_CHECK(strncmp(p->purl, "pkg:", 4) == 0);
	for (c = p->purl; *c != '\0'; c++)
		FZ_CHECK(*c > 0x20 && *c < 0x7f);
	FZ_CHECK(strlen(p->license ? p->license : "") <=
	    PKGDB_LICENSE_MAX * 4 + 3);
	fz_pk_hash(f, p->name);
	fz_pk_hash(f, p->version);
	fz_pk_hash(f, p->ecosystem);
	fz_pk_hash(f, p->source);
	fz_pk_hash(f, p->arch);
	fz_pk_hash(f, p->license);
	fz_pk_hash(f, p->purl);
	return 0;
}

static void
fz_pk_anom(void *user, uint64_t off, const char *msg)
{
	(void)user;
	(void)off;
	FZ_CHECK(msg != NULL && *msg != '\0' && fz_pk_safe(msg));
}

static int
fz_pk_run(enum pkgdb_kind k, const uint8_t *p, size_t n, struct fz_pk *f)
{
	struct dd_err e = DD_ERR_INIT;
	int rc;

	memset(f, 0, sizeof(*f));
	f->h = 14695981039346656037ull;
	rc = pkgdb_parse(k, "/fuzz/input", p, n, fz_pk_cb, f, fz_pk_anom, &e);
	if (rc >= 0) {
		FZ_CHECK(rc == f->n);
	} else {
		FZ_CHECK(rc == DD_EFORMAT || (rc == DD_ELIMIT &&
		    n > PKGDB_MAX));
		FZ_CHECK(e.code == rc && e.msg[0] != '\0');
	}
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[4097];
	size_t plen;
	enum pkgdb_kind k, m;
	struct fz_pk a, b;
	uint32_t mode;
	int rc;

	if (size == 0)
		return 0;
	/* pkgdb_match on the input as a path. */
	plen = strnlen((const char *)data, MIN(size, sizeof(path) - 1));
	memcpy(path, data, plen);
	path[plen] = '\0';
	mode = 0100000 | (size > 1 ? data[1] & 0777 : 0644);
	m = pkgdb_match(path, size, mode);
	FZ_CHECK((unsigned)m < PKGDB_NKINDS);
	FZ_CHECK(pkgdb_kind_name(m) != NULL);
	FZ_CHECK(pkgdb_match(path, size, 0040755) == PKGDB_NONE);

	k = (enum pkgdb_kind)(data[0] % PKGDB_NKINDS);
	if (k == PKGDB_NONE)
		return 0;
	rc = fz_pk_run(k, data + 1, size - 1, &a);
	FZ_CHECK(fz_pk_run(k, data + 1, size - 1, &b) == rc);
	FZ_CHECK(a.n == b.n && a.h == b.h);
	return 0;
}
