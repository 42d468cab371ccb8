/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pkgdb.h: parsers of the package inventories found inside container image
 * layers (what is installed, at which version, under which licence).
 *
 * The image importer walks every file of every layer, asks pkgdb_match()
 * whether a path is a package database, reads the matching files whole
 * (at most PKGDB_MAX bytes) and hands the bytes to pkgdb_parse(), which
 * reports one struct pkg_rec per package through a callback. The parsers
 * are pure: no I/O, no globals, no SQLite engine (the three rpm database
 * forms are read by bounded readers of our own, see pkgdb.c); every byte
 * is read through core/rd.h or a library that frames it (jansson,
 * libarchive).
 *
 * Formats covered (kind: paths matched -> what is read):
 *
 *  PKGDB_DPKG       /var/lib/dpkg/status: deb822 stanzas (RFC 822-like,
 *                   field names case-insensitive, continuation lines).
 *                   Reported: every stanza whose Status is not
 *                   "... not-installed" (what `dpkg-query -W` lists:
 *                   installed, config-files, half-installed, unpacked...)
 *                   and that has a Package and a Version. The version is
 *                   spelt as dpkg-query prints ${Version}: surrounding
 *                   blanks dropped, a zero epoch dropped unless the rest
 *                   holds a ':', the epoch written in decimal ("01:2" ->
 *                   "1:2"). Source: "name (version)" gives the name.
 *  PKGDB_DPKG_D     /var/lib/dpkg/status.d/NAME (distroless images: one
 *                   or more stanzas per file, no Status field; files
 *                   ending in .md5sums are not matched). Every stanza
 *                   with a Package and a Version is reported.
 *  PKGDB_APK        /lib/apk/db/installed: blocks of "X:value" lines
 *                   separated by blank lines (P name, V version, A arch,
 *                   o origin, L licence).
 *  PKGDB_RPM_SQLITE /var/lib/rpm/rpmdb.sqlite, /usr/lib/sysimage/rpm/
 *                   rpmdb.sqlite: the table Packages(hnum, blob) read
 *                   straight from the SQLite file format (header, table
 *                   B-tree pages, overflow chains, records), then each
 *                   blob as an rpm header (il, dl, index entries, data
 *                   store; tags NAME, VERSION, RELEASE, EPOCH, ARCH,
 *                   LICENSE, SOURCERPM). The version is rpm's %{EVR}:
 *                   "E:V-R" when the header has an EPOCH, else "V-R".
 *                   Only the main database file is read: transactions
 *                   still in rpmdb.sqlite-wal are not seen.
 *  PKGDB_RPM_BDB    /var/lib/rpm/Packages (rpm < 4.16: RHEL/CentOS 7 and
 *                   8, Amazon Linux 2): a Berkeley DB hash database,
 *                   either byte order, read page by page (hash pages'
 *                   key/value pairs, values on the page or in overflow
 *                   chains); key 0 (rpm's next-instance counter) is not
 *                   a package. Encrypted or checksummed databases are
 *                   not read (DD_EFORMAT).
 *  PKGDB_RPM_NDB    /var/lib/rpm/Packages.db, /usr/lib/sysimage/rpm/
 *                   Packages.db (rpm's "ndb", SUSE): the slot table and
 *                   the blobs it points at (blob checksums not checked).
 *                   All three rpm forms share the header parser and the
 *                   ecosystem "Red Hat": the distribution (SUSE, Amazon,
 *                   Rocky...) is not in the database; the caller knows it
 *                   from /etc/os-release.
 *  PKGDB_PYTHON     *.dist-info/METADATA, *.egg-info/PKG-INFO and a file
 *                   named *.egg-info: the header block up to the first
 *                   blank line (Name, Version, License-Expression, else
 *                   License, else the last part of the first
 *                   "License ::" classifier).
 *  PKGDB_NPM_LOCK   package-lock.json (also node_modules/.package-lock.
 *                   json): lockfileVersion 2 and 3 through the "packages"
 *                   map (keys holding "node_modules/"; links and the
 *                   root project skipped), version 1 through the nested
 *                   "dependencies" tree (at most PKGDB_JSON_DEPTH deep).
 *  PKGDB_NPM_PKG    node_modules/NAME/package.json and node_modules/
 *                   @SCOPE/NAME/package.json: name, version, license.
 *  PKGDB_JAR        *.jar, *.war, *.ear (a zip read from memory with
 *                   libarchive): every META-INF/maven/G/A/pom.properties
 *                   (groupId, artifactId, version); a jar with none gives
 *                   one package from META-INF/MANIFEST.MF (Bundle-
 *                   SymbolicName or Implementation-Title, Bundle-Version
 *                   or Implementation-Version). Jars inside the jar
 *                   (BOOT-INF/lib, WEB-INF/lib, lib/...) are opened one
 *                   level deep. Decompression is budgeted (below).
 *  PKGDB_ELF        any regular file with an execute bit: Go build
 *                   information ("\xff Go buildinf:") found through the
 *                   .go.buildinfo section, else in the first 64 KiB of
 *                   the first writable PT_LOAD segment. Both header
 *                   forms: Go >= 1.18 inline varint strings (flags & 2)
 *                   and the older pointer form (strings reached
 *                   through PT_LOAD address translation), 32/64-bit,
 *                   either byte order. Reported: the main module ("mod",
 *                   its version as recorded, often "(devel)"),
 *                   each "dep" (a "=>" replacement with a version
 *                   replaces its path and version; a local directory
 *                   replacement keeps the original), and the toolchain
 *                   as "stdlib" with its version ("go1.19.8" -> "1.19.8").
 *                   Files that are not ELF, or ELF without Go build
 *                   information, give no package and no error.
 *  PKGDB_GEMSPEC    specifications/NAME.gemspec (and specifications/
 *                   default/, the gems that come with Ruby):
 *                   `X.name = "..."`,
 *                   `X.version = "..."`, `X.license(s) = ...` lines of
 *                   a `Gem::Specification.new do |X|` block (".freeze"
 *                   and single quotes accepted), else the "# stub: NAME
 *                   VERSION" line rubygems writes first.
 *
 * Not covered (pkgdb_match() does not claim these paths): yarn.lock and
 * pnpm-lock.yaml, Python requirements/poetry/pipenv lock files, Gemfile
 * .lock, go.mod/go.sum, Maven pom.xml outside jars, jars nested two
 * levels deep, Go binaries larger than PKGDB_MAX, Debian/Alpine distro
 * detection (the purl carries no distro= qualifier).
 *
 * Strings reported: every pkg_rec string is NUL-terminated valid UTF-8
 * without control characters. Bytes of the evidence that are not
 * (invalid UTF-8, C0 and C1 controls, DEL) are written as \xNN, and a
 * backslash as "\\". Messages (anomalies, e) are display-safe the same
 * way, the path included. A licence longer than PKGDB_LICENSE_MAX bytes
 * is cut and ends in "..."; a name, version, arch or source longer than
 * PKGDB_FIELD_MAX drops the package with an anomaly.
 *
 * Package URLs follow the purl spec: pkg:deb/debian/N@V?arch=A,
 * pkg:apk/alpine/N@V?arch=A, pkg:rpm/redhat/N@V-R?arch=A&epoch=E (no
 * distro is known here, so the namespaces are fixed), pkg:pypi/N@V (N
 * lowercased, runs of "-_." as "-"), pkg:npm/%40scope/N@V, pkg:maven/G/A@V,
 * pkg:golang/PATH@V (each path segment encoded), pkg:gem/N@V. Every
 * component is percent-encoded except ALPHA DIGIT "-._~" (and ':' inside
 * versions, which the spec leaves as is); qualifiers are sorted by key.
 *
 * Caps (hostile input): PKGDB_MAX bytes in; JSON at most PKGDB_JSON_MAX
 * bytes (jansson's tree is ~10x the text); one rpm header blob at most
 * PKGDB_RPM_BLOB_MAX; B-tree pages visited once each, at most
 * PKGDB_BTREE_DEPTH deep; a jar's decompression budget PKGDB_JAR_BUDGET
 * for all nested jars together, one nested jar at most PKGDB_MAX, one
 * properties or manifest file at most PKGDB_TEXT_MAX. Over a cap: an
 * anomaly and the part is skipped. At most PKGDB_ANOM_MAX anomalies are
 * reported per file (then one saying the rest were dropped). Work is
 * linear in n: SQLite pages and overflow pages are read once each, and
 * cells that overlap stop the walk once they add up to twice the file.
 *
 * Thread safety: none needed; each call owns its state.
 */
#ifndef INGEST_PKGDB_H
#define INGEST_PKGDB_H

#include <stddef.h>
#include <stdint.h>

#include "core/dderr.h"

/* Bytes of one package database the importer reads and hands over. */
#define PKGDB_MAX ((size_t)64 << 20)
/* Bytes of one JSON document (package-lock.json, package.json). */
#define PKGDB_JSON_MAX ((size_t)16 << 20)
/* Nesting of a lockfileVersion 1 dependency tree. */
#define PKGDB_JSON_DEPTH 64
/* One rpm header blob (rpm's own HEADER_DATA_MAX is 256 MiB; real
 * headers with file lists stay under a few MiB). */
#define PKGDB_RPM_BLOB_MAX ((size_t)32 << 20)
/* Depth of a SQLite table B-tree (a 64 MiB file is at most 4 deep). */
#define PKGDB_BTREE_DEPTH 20
/* Decompressed bytes read out of one jar, nested jars included. */
#define PKGDB_JAR_BUDGET ((uint64_t)256 << 20)
/* One pom.properties or MANIFEST.MF. */
#define PKGDB_TEXT_MAX ((size_t)1 << 20)
/* A name, version, arch or source. */
#define PKGDB_FIELD_MAX 4096
/* A licence (longer ones are cut). */
#define PKGDB_LICENSE_MAX 1024
/* Anomalies reported per pkgdb_parse() call; one more says the rest
 * were dropped (a file this broken is not worth a message per line). */
#define PKGDB_ANOM_MAX 1000u

/* Which parser handles a file. */
enum pkgdb_kind {
	PKGDB_NONE = 0,
	PKGDB_DPKG,	   /* /var/lib/dpkg/status */
	PKGDB_DPKG_D,	   /* /var/lib/dpkg/status.d/NAME */
	PKGDB_APK,	   /* /lib/apk/db/installed */
	PKGDB_RPM_SQLITE,  /* rpmdb.sqlite */
	PKGDB_PYTHON,	   /* METADATA, PKG-INFO, *.egg-info */
	PKGDB_NPM_LOCK,	   /* package-lock.json */
	PKGDB_NPM_PKG,	   /* node_modules/.../package.json */
	PKGDB_JAR,	   /* *.jar, *.war, *.ear */
	PKGDB_ELF,	   /* executables (Go build info) */
	PKGDB_GEMSPEC,	   /* specifications/NAME.gemspec */
	PKGDB_RPM_BDB,	   /* /var/lib/rpm/Packages (Berkeley DB hash) */
	PKGDB_RPM_NDB,	   /* /var/lib/rpm/Packages.db (rpm ndb) */
	PKGDB_NKINDS
};

/* One package. Every string is borrowed: valid only during the callback
 * (copy what you keep). */
struct pkg_rec {
	const char *name;      /* package name (Maven: "group:artifact") */
	const char *version;   /* as the ecosystem spells it (above) */
	const char *ecosystem; /* OSV ecosystem: "Debian", "Alpine", "Red Hat",
				  "PyPI", "npm", "Maven", "Go", "RubyGems" */
	const char *source;    /* source package (dpkg Source:, apk o:, rpm
				  SOURCERPM's name), or NULL */
	const char *arch;      /* architecture, or NULL */
	const char *purl;      /* package URL (above) */
	const char *license;   /* licence as declared, or NULL */
};

/* Called once per package. Return 0 to go on; a negative DD_E* (with e
 * filled) stops the parse, and pkgdb_parse() returns that code. */
typedef int (*pkg_fn)(void *user, const struct pkg_rec *p,
    struct dd_err *e);

/* Called once per anomaly: off is the byte offset in the file (for a jar,
 * in the jar; inside a nested jar, the nested jar's own offset is lost
 * and 0 is given), msg a borrowed NUL-terminated display-safe sentence. */
typedef void (*pkg_anom_fn)(void *user, uint64_t off, const char *msg);

/*
 * Which parser handles path (absolute inside the image, "/var/lib/dpkg/
 * status"; a leading "./" or no slash is accepted too), or PKGDB_NONE.
 * size is the file size and mode its st_mode (S_IFREG and permission
 * bits); only regular files of 1..PKGDB_MAX bytes match. Cheap and pure:
 * no allocation, called for every file of every layer.
 */
enum pkgdb_kind pkgdb_match(const char *path, uint64_t size, uint32_t mode);

/* The name of a kind ("dpkg", "rpm-sqlite"...), static storage. */
const char *pkgdb_kind_name(enum pkgdb_kind k);

/*
 * Parse data[0..n) of kind k found at path (path appears in messages
 * only, never in package names: names come from the file's content).
 * Reports packages through fn and anomalies (a malformed stanza, a lying
 * rpm header, a JSON value of the wrong type...) through anom, which may
 * be NULL, and keeps going.
 *
 * Returns the number of packages reported (>= 0), or when the file as a
 * whole cannot be read DD_EFORMAT (not that format: bad magic, JSON that
 * does not parse, a zip libarchive refuses; or a variant or size not
 * read here: JSON over PKGDB_JSON_MAX, an encrypted Berkeley DB), so
 * that a caller can note it and go on with the next file. For PKGDB_ELF
 * a file that is not a Go ELF executable simply gives 0. DD_ELIMIT when
 * n is over PKGDB_MAX (the caller's cap), DD_EUSAGE for a bad kind or
 * arguments, or the callback's own negative return, which stops the
 * parse. e is filled on every failure.
 */
int pkgdb_parse(enum pkgdb_kind k, const char *path, const uint8_t *data,
    size_t n, pkg_fn fn, void *user, pkg_anom_fn anom, struct dd_err *e);

#endif
