/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-image.c: container image archives (FORMATS.md section 4).
 *
 * `docker save` archives (legacy with manifest.json, pre-1.10 with only
 * `repositories`, Docker 25+ with an OCI layout inside), OCI image layout
 * tars (skopeo, buildx) and go-containerregistry / kaniko tarballs; OCI
 * layout directories and skopeo dir: directories come through
 * image_import_dir (their manifest.json is one image manifest). One
 * streaming pass: the archive's members arrive in any order (layers
 * usually before the manifest that names them), so every member is hashed
 * as it passes, small JSON members are kept, and every member that is a
 * tar stream (plain, gzip or zstd: sniffed from its bytes, never from its
 * name or media type) is walked as a layer at once: its entries become
 * NR_FILE records, its blob digest and diff_id are computed on the way.
 * When the archive ends the manifests are resolved: each image's config,
 * tags, history steps aligned with its layers, and every digest checked
 * (a blob whose content does not hash to its name, a layer whose diff_id
 * is not the config's, a manifest naming a missing blob: anomalies that
 * name the blob).
 *
 * File contents are not copied: an uncompressed layer in an uncompressed
 * archive is a byte range of the stored original (NR_LAYER blob_off), and
 * a compressed layer's uncompressed stream goes to the sink's layer_data
 * as a blob of its own; each file names its content by data_off in that
 * stream. The store (core/imgfs.c) deduplicates layers by diff_id and
 * computes each image's merged tree.
 *
 * Caps: LIM_IMG_JSON bytes per JSON member and LIM_IMG_JSON_TOTAL in all;
 * LIM_IMG_FILES entries per layer; decompressed bytes within the import's
 * budget (INGEST_DECOMP_RATIO); nested indexes LIM_NEST_DEPTH deep.
 */
#include "core/common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "core/lib-crypto.h"

#include "core/dderr.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/dockerfile.h"
#include "ingest/image.h"
#include "ingest/ingest.h"
#include "ingest/members.h"
#include "ingest/pkgdb.h"
#include "ingest/tarwalk.h"

#define LIM_IMG_JSON (16u * 1024u * 1024u)
#define LIM_IMG_JSON_TOTAL (64u * 1024u * 1024u)
#define LIM_IMG_FILES 2000000u
#define LIM_IMG_MEMBERS 200000u
#define IMG_HEAD 4096u
#define IMG_ZBUF (128u * 1024u)
#define IMG_TEXT_MAX LIM_IMG_JSON
/* Members this large start and end chunks of their own in the stored
 * original (smaller ones share chunks with their neighbours). */
#define IMG_CUT_MIN (256u * 1024u)

/* What an archive member was. */
struct img_member {
	char *name;		    /* normalised path in the archive */
	char *link;		    /* symlink target (resolved), or NULL */
	uint8_t sha[SHA256_LEN];    /* of its content */
	uint64_t size;
	uint64_t off;		    /* data offset in the source stream */
	char *json;		    /* kept JSON text, or NULL */
	size_t json_len;
	int64_t layer_no;	    /* walked as a layer: its number, else 0 */
	uint8_t diff_id[SHA256_LEN];
	bool referenced;
};

struct img_state {
	struct imp_ctx *ctx;
	struct img_member *m;
	size_t nm, cap;
	uint64_t json_total;
	int64_t next_layer;
	uint64_t decomp_budget;	    /* decompressed bytes left */
	int64_t next_image;
	bool filtered;		    /* the source is compressed as a whole */
};

/* ---- small helpers ---- */

static void
sha_hex(const uint8_t sha[SHA256_LEN], char out[SHA256_HEX + 8])
{
	memcpy(out, "sha256:", 7);
	hex_encode(sha, SHA256_LEN, out + 7);
}

/* Normalise a path inside a tar: drop "./" and "/" prefixes, empty and "."
 * components and a trailing "/"; false when a ".." component would climb
 * (the entry is then skipped with an anomaly). out gets "/"-rooted text
 * ("/" for the root itself) when rooted, else the bare relative path. */
static bool
img_norm(const char *in, bool rooted, struct sbuf *out)
{
	const char *p = in;

	sbuf_reset(out);
	while (*p) {
		const char *q = p;
		size_t n;
		while (*q && *q != '/')
			q++;
		n = (size_t)(q - p);
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return false;
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (rooted || out->len > 0)
				sbuf_addch(out, '/');
			sbuf_add(out, p, n);
		}
		p = *q ? q + 1 : q;
	}
	if (rooted && out->len == 0)
		sbuf_addch(out, '/');
	if (out->buf == NULL)
		sbuf_addstr(out, "");
	return true;
}

static struct img_member *
img_find(struct img_state *st, const char *name)
{
	/* Archives hold few members next to their layer entries: linear is
	 * fine (LIM_IMG_MEMBERS caps it). Later members win (tar order). */
	for (size_t i = st->nm; i-- > 0;)
		if (strcmp(st->m[i].name, name) == 0)
			return &st->m[i];
	return NULL;
}

static struct img_member *
img_resolve(struct img_state *st, const char *name)
{
	struct img_member *m = img_find(st, name);
	int hops = 0;

	while (m != NULL && m->link != NULL && hops++ < 8)
		m = img_find(st, m->link);
	return m != NULL && m->link == NULL ? m : NULL;
}

/* The member holding blob "sha256:HEX" (OCI blobs/sha256/HEX, a kaniko
 * "HEX.tar.gz", a Docker 25 blob...): the one whose content hashes to it. */
static struct img_member *
img_by_digest(struct img_state *st, const char *digest)
{
	uint8_t want[SHA256_LEN];

	if (digest == NULL || strncmp(digest, "sha256:", 7) != 0 ||
	    strlen(digest) != 7 + 64 || !hex_decode(digest + 7, want, 32))
		return NULL;
	for (size_t i = 0; i < st->nm; i++)
		if (st->m[i].link == NULL &&
		    memcmp(st->m[i].sha, want, SHA256_LEN) == 0)
			return &st->m[i];
	return NULL;
}

static int
img_anomaly(struct img_state *st, int64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int
img_anomaly(struct img_state *st, int64_t off, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ingest_anomaly(st->ctx, st->filtered ? -1 : off, "%s", msg);
}

/* Display-safe copy of evidence text for messages (truncated). */
static const char *
img_disp(struct sbuf *sb, const char *s)
{
	sbuf_reset(sb);
	esc_display(sb, s, MIN(strlen(s), (size_t)LIM_MSG_STR));
	return sb->buf ? sb->buf : "";
}

/* ---- reading a member, then its decompressed stream ---- */

struct mread {
	struct tarw *outer;	/* a member of a tar, or */
	int fd;			/* (outer NULL) a file of a layout directory */
	const uint8_t *replay;	/* peeked bytes (hashed), given again first */
	size_t nreplay;
	const uint8_t *rest;	/* outer bytes not yet handed out */
	size_t nrest;
	struct sha *sha;	/* blob digest */
	uint64_t size;
};

static int
mread_fn(void *user, void *buf, size_t cap, size_t *got, struct dd_err *e)
{
	struct mread *r = user;
	size_t n;
	int rc;

	if (r->nreplay > 0) {
		n = MIN(cap, r->nreplay);
		memcpy(buf, r->replay, n);
		r->replay += n;
		r->nreplay -= n;
		*got = n;
		return 0;
	}
	if (r->outer == NULL) {
		ssize_t k;
		do {
			k = read(r->fd, buf, cap);
		} while (k < 0 && errno == EINTR);
		if (k < 0)
			return dd_err_set(e, DD_EIO, "read error: %s",
			    strerror(errno));
		sha_update(r->sha, buf, (size_t)k);
		r->size += (uint64_t)k;
		*got = (size_t)k;
		return 0;
	}
	/* tarw_read lends its buffer until the next call on it. */
	if (r->nrest == 0 &&
	    (rc = tarw_read(r->outer, &r->rest, &r->nrest, e)) < 0)
		return rc;
	n = MIN(cap, r->nrest);
	if (n > 0) {
		memcpy(buf, r->rest, n);
		sha_update(r->sha, r->rest, n);
		r->size += n;
		r->rest += n;
		r->nrest -= n;
	}
	*got = n;
	return 0;
}

enum { Z_NONE, Z_GZIP, Z_ZSTD };

struct dread {
	struct img_state *st;
	struct mread *m;
	int codec;
	z_stream zs;
	ZSTD_DStream *zd;
	uint8_t *in;		/* compressed input */
	size_t in_pos, in_len;
	bool in_eof, z_end;
	struct sha *sha;	/* diff_id */
	uint64_t size;
	int64_t layer_no;
	bool keep;		/* send the stream to layer_data */
	const char *what;
};

static int
dread_input(struct dread *d, struct dd_err *e)
{
	size_t got;
	int rc;

	if (d->in_pos < d->in_len || d->in_eof)
		return 0;
	if ((rc = mread_fn(d->m, d->in, IMG_ZBUF, &got, e)) < 0)
		return rc;
	d->in_pos = 0;
	d->in_len = got;
	d->in_eof = got == 0;
	return 0;
}

static int
dread_fn(void *user, void *buf, size_t cap, size_t *got, struct dd_err *e)
{
	struct dread *d = user;
	struct sink *k = d->st->ctx->sink;
	size_t n = 0;
	int rc;

	*got = 0;
	if (d->codec == Z_NONE) {
		if ((rc = mread_fn(d->m, buf, cap, &n, e)) < 0)
			return rc;
	} else {
		while (n == 0) {
			if ((rc = dread_input(d, e)) < 0)
				return rc;
			if (d->in_len - d->in_pos == 0 && d->in_eof)
				break;
			if (d->codec == Z_GZIP) {
				if (d->z_end) {
					/* Another gzip member follows
					 * (concatenated streams). */
					if (inflateReset(&d->zs) != Z_OK)
						break;
					d->z_end = false;
				}
				d->zs.next_in = d->in + d->in_pos;
				d->zs.avail_in = (uInt)(d->in_len - d->in_pos);
				d->zs.next_out = buf;
				d->zs.avail_out = (uInt)MIN(cap, UINT32_MAX);
				rc = inflate(&d->zs, Z_NO_FLUSH);
				d->in_pos = d->in_len - d->zs.avail_in;
				n = MIN(cap, UINT32_MAX) - d->zs.avail_out;
				if (rc == Z_STREAM_END)
					d->z_end = true;
				else if (rc != Z_OK && rc != Z_BUF_ERROR)
					return dd_err_set(e, DD_EFORMAT,
					    "%s: corrupt gzip data after %"
					    PRIu64 " bytes", d->what,
					    d->m->size);
			} else {
				ZSTD_inBuffer zi = { d->in, d->in_len,
					d->in_pos };
				ZSTD_outBuffer zo = { buf, cap, 0 };
				size_t zr = ZSTD_decompressStream(d->zd, &zo,
				    &zi);
				if (ZSTD_isError(zr))
					return dd_err_set(e, DD_EFORMAT,
					    "%s: corrupt zstd data after %"
					    PRIu64 " bytes: %s", d->what,
					    d->m->size, ZSTD_getErrorName(zr));
				d->in_pos = zi.pos;
				n = zo.pos;
			}
		}
	}
	if (n > d->st->decomp_budget)
		return dd_err_set(e, DD_ELIMIT,
		    "%s: decompresses beyond the import's budget (%u bytes "
		    "per byte of the archive): a decompression bomb?",
		    d->what, INGEST_DECOMP_RATIO);
	d->st->decomp_budget -= n;
	if (n > 0) {
		/* An uncompressed layer's diff_id is its digest: mread
		 * hashes those bytes already. */
		if (d->codec != Z_NONE)
			sha_update(d->sha, buf, n);
		d->size += n;
		if (d->keep && k->ops->layer_data != NULL &&
		    (rc = k->ops->layer_data(k, d->st->ctx->artifact_id,
			 d->layer_no, buf, n, e)) < 0)
			return rc;
	}
	*got = n;
	return 0;
}

/* ---- one layer ---- */

static const char *
img_type_name(int t)
{
	switch (t) {
	case TARW_FILE:
	case TARW_CONTIG:
		return "file";
	case TARW_HARDLINK:
		return "hardlink";
	case TARW_SYMLINK:
		return "symlink";
	case TARW_CHAR:
		return "char";
	case TARW_BLOCK:
		return "block";
	case TARW_DIR:
		return "dir";
	case TARW_FIFO:
		return "fifo";
	case TARW_SPARSE:
		return "file";
	default:
		return NULL;
	}
}

static void
img_xattrs_json(const struct tarw_entry *ent, struct sbuf *out)
{
	json_t *o;
	char *txt;

	sbuf_reset(out);
	if (ent->nxattr == 0)
		return;
	o = json_object();
	for (size_t i = 0; i < ent->nxattr; i++) {
		const struct tarw_xattr *x = &ent->xattr[i];
		json_t *v = NULL;
		if (utf8_valid(x->value, x->len) && memchr(x->value, 0,
		    x->len) == NULL) {
			v = json_stringn((const char *)x->value, x->len);
		} else {
			char *h = xmalloc(2 * x->len + 5);
			memcpy(h, "hex:", 4);
			hex_encode(x->value, x->len, h + 4);
			v = json_string(h);
			free(h);
		}
		if (v != NULL && utf8_valid((const uint8_t *)x->name,
		    strlen(x->name)))
			json_object_set_new(o, x->name, v);
		else
			json_decref(v);
	}
	txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (txt != NULL)
		sbuf_addstr(out, txt);
	free(txt);
	json_decref(o);
}

/* Package records of one database file of a layer. */
struct img_pkgctx {
	struct img_state *st;
	int64_t layer_no;
	const char *path;
	const char *what;
	int err;
};

static int
img_pkg(void *user, const struct pkg_rec *p, struct dd_err *e)
{
	struct img_pkgctx *c = user;
	struct sink *k = c->st->ctx->sink;
	struct net_rec r;

	if (k->ops->net == NULL)
		return 0;
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < NR_NI; i++)
		r.i[i] = NR_NULL;
	r.kind = NR_PACKAGE;
	r.i[PK_LAYER] = c->layer_no;
	r.s[PKS_PATH] = c->path;
	r.s[PKS_NAME] = p->name;
	r.s[PKS_VERSION] = p->version;
	r.s[PKS_ECO] = p->ecosystem;
	r.s[PKS_PURL] = p->purl;
	r.s[PKS_SOURCE] = p->source;
	r.s[PKS_ARCH] = p->arch;
	r.s[PKS_LICENSE] = p->license;
	return k->ops->net(k, c->st->ctx->artifact_id, &r, e);
}

static void
img_pkg_anom(void *user, uint64_t off, const char *msg)
{
	struct img_pkgctx *c = user;

	if (c->err == 0)
		c->err = img_anomaly(c->st, -1, "%s: package database '%s' "
		    "(offset %" PRIu64 " in it): %s", c->what, c->path, off,
		    msg);
}

/* Walk the layer stream of member mb; emit its files and its NR_LAYER. */
static int
img_layer(struct img_state *st, struct img_member *mb, struct mread *mr,
    int codec, uint64_t member_off, struct dd_err *e)
{
	struct imp_ctx *ctx = st->ctx;
	struct sink *k = ctx->sink;
	struct dread d;
	struct tarw *t = NULL;
	struct tarw_entry ent;
	struct sbuf path = SBUF_INIT, link = SBUF_INIT, xa = SBUF_INIT,
		    disp = SBUF_INIT, what = SBUF_INIT, pkg = SBUF_INIT;
	struct sha *fsha = sha_new();
	uint64_t nfiles = 0, junk = 0;
	char first[TARW_NAME_FIRST];
	int rc = 0;

	memset(&d, 0, sizeof(d));
	d.st = st;
	d.m = mr;
	d.codec = codec;
	d.sha = sha_new();
	d.layer_no = ++st->next_layer;
	d.keep = codec != Z_NONE || st->filtered;
	sbuf_init(&what, IMG_TEXT_MAX);
	sbuf_addf(&what, "%s: layer '%s'", ctx->src->name,
	    img_disp(&disp, mb->name));
	d.what = what.buf;
	sbuf_init(&path, IMG_TEXT_MAX);
	sbuf_init(&link, IMG_TEXT_MAX);
	sbuf_init(&xa, IMG_TEXT_MAX);
	sbuf_init(&pkg, PKGDB_MAX);
	if (codec != Z_NONE)
		d.in = xmalloc(IMG_ZBUF);
	if (codec == Z_GZIP) {
		if (inflateInit2(&d.zs, 15 + 16) != Z_OK)
			BUG("inflateInit2");
	} else if (codec == Z_ZSTD) {
		d.zd = ZSTD_createDStream();
		if (d.zd == NULL)
			BUG("ZSTD_createDStream");
		/* A window over 128 MiB is refused (memory bound). */
		ZSTD_DCtx_setParameter(d.zd, ZSTD_d_windowLogMax, 27);
	}
	t = tarw_new(dread_fn, &d, d.what);
	for (;;) {
		const char *tn;
		int whiteout = 0;
		const char *base;
		uint8_t dig[SHA256_LEN];
		char hex[SHA256_HEX];
		struct net_rec r;

		rc = tarw_next(t, &ent, e);
		if (rc <= 0)
			break;
		if (++nfiles > LIM_IMG_FILES) {
			rc = dd_err_set(e, DD_ELIMIT,
			    "%s holds more than %u entries", d.what,
			    LIM_IMG_FILES);
			break;
		}
		if (!img_norm(ent.name, true, &path)) {
			if ((rc = img_anomaly(st, -1,
				 "%s: entry '%s' climbs out of the root "
				 "with '..': skipped", d.what,
				 img_disp(&disp, ent.name))) < 0)
				break;
			continue;
		}
		if (ent.name[0] == '/' && strcmp(path.buf, "/") != 0 &&
		    (rc = img_anomaly(st, -1,
			 "%s: entry '%s' has an absolute path", d.what,
			 img_disp(&disp, ent.name))) < 0)
			break;
		if (ent.name_cut &&
		    (rc = img_anomaly(st, -1,
			 "%s: a name longer than %u bytes was cut: '%s'",
			 d.what, TARW_NAME_MAX, img_disp(&disp, ent.name))) <
			0)
			break;
		if (strcmp(path.buf, "/") == 0)
			continue;
		tn = img_type_name(ent.type);
		if (tn == NULL) {
			if ((rc = img_anomaly(st, -1,
				 "%s: entry '%s' of unknown type '%c': "
				 "skipped", d.what, img_disp(&disp, ent.name),
				 ent.type >= 32 && ent.type < 127 ? ent.type :
								    '?')) < 0)
				break;
			continue;
		}
		if (ent.type == TARW_SPARSE &&
		    (rc = img_anomaly(st, -1,
			 "%s: '%s' is a GNU sparse file: its stored bytes "
			 "are hashed as they are", d.what,
			 img_disp(&disp, path.buf))) < 0)
			break;
		/* Whiteouts: ".wh.NAME" deletes NAME below; ".wh..wh..opq"
		 * makes its directory opaque; other ".wh..wh." names are
		 * AUFS metadata. */
		base = strrchr(path.buf, '/') + 1;
		if (strncmp(base, ".wh.", 4) == 0) {
			size_t dirlen = (size_t)(base - path.buf);
			if (strcmp(base, ".wh..wh..opq") == 0) {
				whiteout = 2;
				path.len = dirlen > 1 ? dirlen - 1 : 1;
				path.buf[path.len] = 0;
			} else if (strncmp(base, ".wh..wh.", 8) == 0 ||
			    base[4] == 0) {
				if ((rc = img_anomaly(st, -1,
					 "%s: '%s' is AUFS metadata or an "
					 "invalid whiteout: skipped", d.what,
					 img_disp(&disp, path.buf))) < 0)
					break;
				continue;
			} else {
				whiteout = 1;
				memmove(path.buf + dirlen, base + 4,
				    strlen(base + 4) + 1);
				path.len -= 4;
			}
			tn = "whiteout";
		}
		sbuf_reset(&link);
		if (ent.type == TARW_HARDLINK) {
			if (!img_norm(ent.link, true, &link)) {
				if ((rc = img_anomaly(st, -1,
					 "%s: hard link '%s' points out of "
					 "the root", d.what,
					 img_disp(&disp, path.buf))) < 0)
					break;
				sbuf_reset(&link);
				sbuf_addstr(&link, ent.link);
			}
		} else if (ent.type == TARW_SYMLINK) {
			sbuf_addstr(&link, ent.link);
		}
		memset(&r, 0, sizeof(r));
		for (int i = 0; i < NR_NI; i++)
			r.i[i] = NR_NULL;
		r.kind = NR_FILE;
		r.i[FI_LAYER] = d.layer_no;
		r.i[FI_WHITEOUT] = whiteout;
		r.i[FI_MODE] = ent.mode;
		r.i[FI_UID] = ent.uid >= 0 ? ent.uid : NR_NULL;
		r.i[FI_GID] = ent.gid >= 0 ? ent.gid : NR_NULL;
		r.i[FI_SIZE] = (int64_t)ent.size;
		r.i[FI_MTIME] = ent.mtime_ns == INT64_MIN ? NR_NULL :
							    ent.mtime_ns;
		r.s[FIS_PATH] = path.buf;
		r.s[FIS_TYPE] = tn;
		r.s[FIS_LINK] = link.len ? link.buf : NULL;
		img_xattrs_json(&ent, &xa);
		r.s[FIS_XATTRS] = xa.len ? xa.buf : NULL;
		if (ent.type == TARW_FILE || ent.type == TARW_CONTIG ||
		    ent.type == TARW_SPARSE) {
			const uint8_t *p;
			size_t n;
			enum pkgdb_kind pk = whiteout ? PKGDB_NONE :
			    pkgdb_match(path.buf, ent.size,
				0100000u | ent.mode);
			r.i[FI_DATA_OFF] = (int64_t)ent.data_off;
			sbuf_reset(&pkg);
			while ((rc = tarw_read(t, &p, &n, e)) == 0 && n > 0) {
				sha_update(fsha, p, n);
				if (pk != PKGDB_NONE)
					sbuf_add(&pkg, p, n);
			}
			if (rc < 0)
				break;
			sha_final(fsha, dig);
			hex_encode(dig, SHA256_LEN, hex);
			r.s[FIS_SHA] = hex;
			if (pk != PKGDB_NONE && pkg.len == ent.size) {
				struct img_pkgctx pc = { st, d.layer_no,
					path.buf, d.what, 0 };
				struct dd_err pe = DD_ERR_INIT;
				int prc = pkgdb_parse(pk, path.buf,
				    (const uint8_t *)pkg.buf, pkg.len, img_pkg,
				    &pc, img_pkg_anom, &pe);
				if (pc.err < 0) {
					rc = pc.err;
					break;
				}
				if (prc < 0 && pe.code != DD_EFORMAT) {
					*e = pe;
					rc = prc;
					break;
				}
				if (prc < 0 && (rc = img_anomaly(st, -1,
				    "%s: package database '%s' not read: %s",
				    d.what, img_disp(&disp, path.buf),
				    pe.msg)) < 0)
					break;
			}
		} else {
			r.i[FI_SIZE] = ent.type == TARW_HARDLINK ?
			    (int64_t)ent.size : 0;
		}
		if (k->ops->net != NULL && (rc = k->ops->net(k,
		    ctx->artifact_id, &r, e)) < 0)
			break;
	}
	if (rc >= 0)
		rc = tarw_drain(t, &junk, first, e);
	/* eStargz puts its table of contents after the end blocks, where
	 * runtimes (Go's archive/tar) never look: not an anomaly. */
	if (rc >= 0 && junk > 0 && strcmp(first, "stargz.index.json") != 0)
		rc = img_anomaly(st, (int64_t)member_off,
		    "%s: %" PRIu64 " non-zero bytes after the end of the tar",
		    d.what, junk);
	if (rc >= 0 && codec != Z_NONE) {
		/* Whatever follows the compressed stream in the member. */
		uint8_t *tmp = xmalloc(IMG_ZBUF);
		size_t got;
		d.in_pos = d.in_len;
		do {
			rc = mread_fn(mr, tmp, IMG_ZBUF, &got, e);
		} while (rc == 0 && got > 0);
		free(tmp);
	}
	if (rc >= 0 && d.keep && k->ops->layer_data != NULL)
		rc = k->ops->layer_data(k, ctx->artifact_id, d.layer_no, NULL,
		    0, e);
	if (rc >= 0) {
		uint8_t dig[SHA256_LEN];
		char h1[SHA256_HEX + 8], h2[SHA256_HEX + 8];
		struct net_rec r;

		sha_final(mr->sha, mb->sha);
		mb->size = mr->size;
		if (codec == Z_NONE)
			memcpy(mb->diff_id, mb->sha, SHA256_LEN);
		else
			sha_final(d.sha, mb->diff_id);
		mb->layer_no = d.layer_no;
		memcpy(dig, mb->diff_id, SHA256_LEN);
		sha_hex(dig, h1);
		sha_hex(mb->sha, h2);
		memset(&r, 0, sizeof(r));
		for (int i = 0; i < NR_NI; i++)
			r.i[i] = NR_NULL;
		r.kind = NR_LAYER;
		r.i[LY_NO] = d.layer_no;
		r.i[LY_BLOB_SIZE] = (int64_t)mr->size;
		r.i[LY_SIZE] = (int64_t)d.size;
		r.i[LY_NFILES] = (int64_t)nfiles;
		r.i[LY_BLOB_OFF] = d.keep ? NR_NULL : (int64_t)member_off;
		r.i[LY_MEMBER_OFF] = st->filtered || mr->outer == NULL ?
		    NR_NULL : (int64_t)member_off;
		r.s[LYS_MEMBER] = mb->name;
		r.s[LYS_DIFF_ID] = h1;
		r.s[LYS_DIGEST] = h2;
		r.s[LYS_COMP] = codec == Z_GZIP ? "gzip" :
		    codec == Z_ZSTD		 ? "zstd" :
						   "none";
		if (k->ops->net != NULL)
			rc = k->ops->net(k, ctx->artifact_id, &r, e);
	}
	tarw_free(t);
	if (codec == Z_GZIP)
		inflateEnd(&d.zs);
	ZSTD_freeDStream(d.zd);
	free(d.in);
	sha_free(d.sha);
	sha_free(fsha);
	sbuf_release(&path);
	sbuf_release(&link);
	sbuf_release(&xa);
	sbuf_release(&pkg);
	sbuf_release(&disp);
	sbuf_release(&what);
	return rc < 0 ? rc : 0;
}

/* ---- the archive's members ---- */

/* The digest a member's name claims: blobs/sha256/HEX (OCI), HEX.tar or
 * HEX.tar.gz or HEX.tar.zst (Docker 25, skopeo, kaniko). */
static bool
img_claimed(const char *name, uint8_t d[SHA256_LEN])
{
	const char *b = strrchr(name, '/');
	size_t n;

	char hex[65];

	b = b ? b + 1 : name;
	n = strlen(b);
	if (n < 64)
		return false;
	memcpy(hex, b, 64);
	hex[64] = 0;
	if (!hex_decode(hex, d, SHA256_LEN))
		return false;
	if (n == 64)
		return true;
	return strcmp(b + 64, ".tar") == 0 || strcmp(b + 64, ".tar.gz") == 0 ||
	    strcmp(b + 64, ".tar.zst") == 0;
}

/* A layer the case already indexed (its name claims a known digest):
 * hash it only. When the bytes do not hash to the claim, it is not
 * indexed (an anomaly says so). */
static int
img_layer_known(struct img_state *st, struct img_member *mb,
    struct mread *mr, const struct imgfs_known *kl, int codec,
    uint64_t member_off, uint64_t member_size, struct dd_err *e)
{
	struct sink *k = st->ctx->sink;
	uint8_t *tmp = xmalloc(IMG_ZBUF);
	char h1[SHA256_HEX + 8], h2[SHA256_HEX + 8];
	struct sbuf disp = SBUF_INIT;
	struct net_rec r;
	size_t got;
	int rc;
	/* Prove the claim by chunks instead of hashing here when both the
	 * member and the known layer sit, chunk-aligned, in stored
	 * originals (large members of unfiltered archives). */
	bool proof = mr->outer != NULL && !st->filtered &&
	    kl->member_off >= 0 && member_size >= IMG_CUT_MIN;

	if (proof) {
		/* Proved after the import by its chunks (imgfs_verify): the
		 * bytes only pass through, for the stored original. */
		const uint8_t *p;
		size_t n;
		mr->nreplay = 0;
		mr->size += mr->nrest;
		mr->nrest = 0;
		while ((rc = tarw_read(mr->outer, &p, &n, e)) == 0 && n > 0)
			mr->size += n;
	} else if (mr->outer != NULL) {
		/* Hash the rest straight from the walker's buffer. */
		const uint8_t *p;
		size_t n;
		mr->nreplay = 0;
		if (mr->nrest > 0) {
			sha_update(mr->sha, mr->rest, mr->nrest);
			mr->size += mr->nrest;
			mr->nrest = 0;
		}
		while ((rc = tarw_read(mr->outer, &p, &n, e)) == 0 && n > 0) {
			sha_update(mr->sha, p, n);
			mr->size += n;
		}
	} else {
		do {
			rc = mread_fn(mr, tmp, IMG_ZBUF, &got, e);
		} while (rc == 0 && got > 0);
	}
	free(tmp);
	if (rc < 0)
		return rc;
	sha_final(mr->sha, mb->sha);
	if (proof)
		memcpy(mb->sha, kl->digest, SHA256_LEN);
	mb->size = mr->size;
	if (memcmp(mb->sha, kl->digest, SHA256_LEN) != 0) {
		sha_hex(mb->sha, h2);
		rc = img_anomaly(st, (int64_t)member_off,
		    "layer blob '%s' hashes to %s, not the digest its name "
		    "claims: not indexed", img_disp(&disp, mb->name), h2);
		sbuf_release(&disp);
		return rc;
	}
	mb->layer_no = ++st->next_layer;
	memcpy(mb->diff_id, kl->diff_id, SHA256_LEN);
	sha_hex(kl->diff_id, h1);
	sha_hex(mb->sha, h2);
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < NR_NI; i++)
		r.i[i] = NR_NULL;
	r.kind = NR_LAYER;
	r.i[LY_NO] = mb->layer_no;
	r.i[LY_BLOB_SIZE] = (int64_t)mb->size;
	r.i[LY_SIZE] = (int64_t)kl->size;
	r.i[LY_NFILES] = 0;
	r.i[LY_BLOB_OFF] = codec != Z_NONE || st->filtered ? NR_NULL :
							     (int64_t)member_off;
	r.i[LY_MEMBER_OFF] = st->filtered || mr->outer == NULL ? NR_NULL :
	    (int64_t)member_off;
	r.i[LY_UNVERIFIED] = proof ? 1 : NR_NULL;
	r.s[LYS_MEMBER] = mb->name;
	r.s[LYS_DIFF_ID] = h1;
	r.s[LYS_DIGEST] = h2;
	r.s[LYS_COMP] = codec == Z_GZIP ? "gzip" :
	    codec == Z_ZSTD		 ? "zstd" :
					   "none";
	sbuf_release(&disp);
	return k->ops->net == NULL ? 0 :
	    k->ops->net(k, st->ctx->artifact_id, &r, e);
}

static bool
img_looks_json(const uint8_t *p, size_t n)
{
	size_t i = 0;

	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' ||
	    p[i] == '\t'))
		i++;
	return i < n && (p[i] == '{' || p[i] == '[');
}

static int
img_member(struct img_state *st, struct tarw *outer, int fd,
    const struct tarw_entry *ent, struct dd_err *e)
{
	struct img_member *mb;
	struct mread mr;
	uint8_t head[IMG_HEAD];
	size_t hn = 0;
	struct sbuf name = SBUF_INIT, disp = SBUF_INIT;
	int rc = 0;

	sbuf_init(&name, IMG_TEXT_MAX);
	if (!img_norm(ent->name, false, &name)) {
		rc = img_anomaly(st, (int64_t)ent->hdr_off,
		    "member '%s' climbs out of the archive with '..': "
		    "skipped", img_disp(&disp, ent->name));
		goto out;
	}
	if (ent->type != TARW_FILE && ent->type != TARW_CONTIG &&
	    ent->type != TARW_SYMLINK && ent->type != TARW_HARDLINK)
		goto out;
	if (st->nm >= LIM_IMG_MEMBERS) {
		rc = dd_err_set(e, DD_ELIMIT, "%s: more than %u members",
		    st->ctx->src->name, LIM_IMG_MEMBERS);
		goto out;
	}
	if (st->nm == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 64;
		st->m = xreallocarray(st->m, st->cap, sizeof(*st->m));
	}
	mb = &st->m[st->nm++];
	memset(mb, 0, sizeof(*mb));
	mb->name = sbuf_detach(&name, NULL);
	mb->off = ent->data_off;
	if (ent->type == TARW_SYMLINK || ent->type == TARW_HARDLINK) {
		/* Docker writes a layer shared by two v1 ids once and the
		 * second as a relative symlink to it. */
		struct sbuf tgt = SBUF_INIT;
		sbuf_init(&tgt, IMG_TEXT_MAX);
		if (ent->type == TARW_SYMLINK && ent->link[0] != '/') {
			const char *sl = strrchr(mb->name, '/');
			if (sl != NULL)
				sbuf_add(&tgt, mb->name,
				    (size_t)(sl - mb->name) + 1);
		}
		sbuf_addstr(&tgt, ent->link);
		{
			struct sbuf n2 = SBUF_INIT;
			sbuf_init(&n2, IMG_TEXT_MAX);
			if (img_norm(tgt.buf, false, &n2))
				mb->link = sbuf_detach(&n2, NULL);
			sbuf_release(&n2);
		}
		sbuf_release(&tgt);
		if (mb->link == NULL)
			mb->link = xstrdup("");
		goto out;
	}

	memset(&mr, 0, sizeof(mr));
	mr.outer = outer;
	mr.fd = fd;
	mr.sha = sha_new();
	if (outer != NULL && ent->size >= IMG_CUT_MIN &&
	    (rc = ingest_src_cut(st->ctx, ent->data_off, e)) < 0)
		goto done;
	/* Peek the first bytes (through mread so they are hashed). */
	while (hn < sizeof(head)) {
		size_t got;
		if ((rc = mread_fn(&mr, head + hn, sizeof(head) - hn, &got,
			 e)) < 0)
			goto done;
		if (got == 0)
			break;
		hn += got;
	}
	mr.replay = head;
	mr.nreplay = hn;
	{
		uint8_t claim[SHA256_LEN];
		const struct imgfs_known *kl;
		int codec = hn >= 2 && head[0] == 0x1f && head[1] == 0x8b ?
		    Z_GZIP :
		    hn >= 4 && head[0] == 0x28 && head[1] == 0xb5 &&
			head[2] == 0x2f && head[3] == 0xfd ?
		    Z_ZSTD :
		    tarw_is_tar(head, hn) ? Z_NONE : -1;
		if (codec >= 0 && !st->ctx->full_verify &&
		    img_claimed(mb->name, claim) &&
		    (kl = ingest_layer_known(st->ctx, claim)) != NULL) {
			rc = img_layer_known(st, mb, &mr, kl, codec,
			    ent->data_off, ent->size, e);
			goto done_layer;
		}
	}
	if (hn >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
		rc = img_layer(st, mb, &mr, Z_GZIP, ent->data_off, e);
		goto done_layer;
	}
	if (hn >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f &&
	    head[3] == 0xfd) {
		rc = img_layer(st, mb, &mr, Z_ZSTD, ent->data_off, e);
		goto done_layer;
	}
	if (tarw_is_tar(head, hn)) {
		rc = img_layer(st, mb, &mr, Z_NONE, ent->data_off, e);
		goto done_layer;
	}
	if (img_looks_json(head, hn) && ent->size <= LIM_IMG_JSON &&
	    st->json_total + ent->size <= LIM_IMG_JSON_TOTAL) {
		struct sbuf js = SBUF_INIT;
		size_t got;
		uint8_t *tmp = xmalloc(64 * 1024);
		sbuf_init(&js, LIM_IMG_JSON + 1);
		do {
			if ((rc = mread_fn(&mr, tmp, 64 * 1024, &got, e)) < 0)
				break;
			if (sbuf_add(&js, tmp, got) < 0) {
				rc = dd_err_set(e, DD_ELIMIT,
				    "%s: JSON member '%s' over %u bytes",
				    st->ctx->src->name,
				    img_disp(&disp, mb->name), LIM_IMG_JSON);
				break;
			}
		} while (got > 0);
		free(tmp);
		if (rc >= 0) {
			st->json_total += js.len;
			mb->json_len = js.len;
			mb->json = sbuf_detach(&js, NULL);
			if (mb->json == NULL)
				mb->json = xstrdup("");
		}
		sbuf_release(&js);
	} else {
		uint8_t *tmp = xmalloc(64 * 1024);
		size_t got;
		do {
			rc = mread_fn(&mr, tmp, 64 * 1024, &got, e);
		} while (rc == 0 && got > 0);
		free(tmp);
	}
	if (rc >= 0) {
		sha_final(mr.sha, mb->sha);
		mb->size = mr.size;
	}
	goto done;
done_layer:
	if (rc < 0)
		dd_err_prefix(e, "member '%s' at offset %" PRIu64,
		    img_disp(&disp, mb->name), ent->hdr_off);
done:
	if (rc >= 0 && outer != NULL && ent->size >= IMG_CUT_MIN)
		rc = ingest_src_cut(st->ctx, ent->data_off + ent->size, e);
	sha_free(mr.sha);
out:
	sbuf_release(&name);
	sbuf_release(&disp);
	return rc;
}

/* ---- manifests and configs ---- */

struct img_out {
	json_t *tags;		/* array of strings (owned) */
	char manifest_digest[SHA256_HEX + 8];
	/* Layers in order: the member holding each (may be NULL). */
	struct img_member **layers;
	size_t nlayers;
	char **layer_names;	/* what the manifest named (for messages) */
};

static void
img_out_free(struct img_out *o)
{
	json_decref(o->tags);
	for (size_t i = 0; i < o->nlayers; i++)
		free(o->layer_names[i]);
	free(o->layers);
	free(o->layer_names);
	memset(o, 0, sizeof(*o));
}

static void
img_out_layer(struct img_out *o, struct img_member *m, const char *name)
{
	o->layers = xreallocarray(o->layers, o->nlayers + 1,
	    sizeof(*o->layers));
	o->layer_names = xreallocarray(o->layer_names, o->nlayers + 1,
	    sizeof(*o->layer_names));
	o->layers[o->nlayers] = m;
	o->layer_names[o->nlayers] = xstrdup(name ? name : "?");
	o->nlayers++;
}

static json_t *
img_parse(struct img_state *st, struct img_member *m, struct dd_err *e)
{
	json_error_t je;
	json_t *j;
	struct sbuf disp = SBUF_INIT;

	(void)e;
	if (m == NULL || m->json == NULL)
		return NULL;
	j = json_loadb(m->json, m->json_len, JSON_DISABLE_EOF_CHECK * 0, &je);
	if (j == NULL)
		img_anomaly(st, (int64_t)m->off,
		    "member '%s' is not valid JSON (line %d: %s)",
		    img_disp(&disp, m->name), je.line, je.text);
	sbuf_release(&disp);
	return j;
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* JSON text of o[key] when present and not null (owned), else NULL. */
static char *
jdump(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	if (v == NULL || json_is_null(v))
		return NULL;
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* The keys of object o[key] as a JSON array text (owned), or NULL. */
static char *
jkeys(json_t *o, const char *key)
{
	json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	json_t *a;
	const char *k;
	json_t *x;
	char *txt;

	if (!json_is_object(v))
		return NULL;
	a = json_array();
	json_object_foreach(v, k, x)
		json_array_append_new(a, json_string(k));
	txt = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return txt;
}

static int64_t
jtime(json_t *o, const char *key)
{
	const char *s = jstr(o, key);
	int64_t ns;

	if (s == NULL || !time_parse(s, &ns))
		return NR_NULL;
	return ns;
}

/* Emit one image: its config c (borrowed; chex its digest, cfg the member
 * holding it or NULL) and the layers of o. */
static int
img_emit(struct img_state *st, json_t *c, const char *chex,
    struct img_out *o, struct dd_err *e)
{
	struct imp_ctx *ctx = st->ctx;
	struct sink *k = ctx->sink;
	json_t *cc, *rootfs, *diff, *hist;
	char *tags = NULL, *entry = NULL, *cmd = NULL, *env = NULL,
	     *ports = NULL, *labels = NULL, *health = NULL, *vols = NULL;
	struct sbuf disp = SBUF_INIT, key = SBUF_INIT;
	struct net_rec r;
	int64_t image_no;
	size_t ndiff, nhist, hi, li;
	int rc = 0;

	sbuf_init(&key, SBUF_MAX_DEFAULT);

	image_no = ++st->next_image;
	cc = json_object_get(c, "config");
	rootfs = json_object_get(c, "rootfs");
	diff = json_is_object(rootfs) ? json_object_get(rootfs, "diff_ids") :
					NULL;
	hist = json_object_get(c, "history");
	ndiff = json_is_array(diff) ? json_array_size(diff) : 0;
	nhist = json_is_array(hist) ? json_array_size(hist) : 0;
	if (ndiff != o->nlayers &&
	    (rc = img_anomaly(st, -1,
		 "image %s: the config lists %zu layers, the manifest %zu",
		 chex, ndiff, o->nlayers)) < 0)
		goto out;

	memset(&r, 0, sizeof(r));
	for (int i = 0; i < NR_NI; i++)
		r.i[i] = NR_NULL;
	r.kind = NR_IMAGE;
	r.i[IM_NO] = image_no;
	r.i[IM_CREATED] = jtime(c, "created");
	r.i[IM_NLAYERS] = (int64_t)ndiff;
	tags = o->tags && json_array_size(o->tags) ?
	    json_dumps(o->tags, JSON_COMPACT) :
	    NULL;
	r.s[IMS_REF] = o->tags && json_array_size(o->tags) ?
	    json_string_value(json_array_get(o->tags, 0)) :
	    NULL;
	r.s[IMS_TAGS] = tags;
	r.s[IMS_CONFIG] = chex;
	r.s[IMS_MANIFEST] = o->manifest_digest[0] ? o->manifest_digest : NULL;
	r.s[IMS_OS] = jstr(c, "os");
	r.s[IMS_ARCH] = jstr(c, "architecture");
	r.s[IMS_VARIANT] = jstr(c, "variant");
	r.s[IMS_AUTHOR] = jstr(c, "author");
	r.s[IMS_USER] = jstr(cc, "User");
	r.s[IMS_ENTRY] = entry = jdump(cc, "Entrypoint");
	r.s[IMS_CMD] = cmd = jdump(cc, "Cmd");
	r.s[IMS_ENV] = env = jdump(cc, "Env");
	r.s[IMS_PORTS] = ports = jkeys(cc, "ExposedPorts");
	r.s[IMS_LABELS] = labels = jdump(cc, "Labels");
	r.s[IMS_WORKDIR] = jstr(cc, "WorkingDir");
	r.s[IMS_HEALTH] = health = jdump(cc, "Healthcheck");
	r.s[IMS_STOPSIG] = jstr(cc, "StopSignal");
	r.s[IMS_VOLUMES] = vols = jkeys(cc, "Volumes");
	if (k->ops->net != NULL && (rc = k->ops->net(k, ctx->artifact_id, &r,
	    e)) < 0)
		goto out;

	/* History aligned with layers: the k-th non-empty step is
	 * diff_ids[k]. Steps beyond the history (or without one) are
	 * emitted bare. */
	li = 0;
	for (hi = 0; hi < nhist || li < ndiff; hi++) {
		json_t *h = hi < nhist ? json_array_get(hist, hi) : NULL;
		json_t *ev = json_is_object(h) ?
		    json_object_get(h, "empty_layer") : NULL;
		bool empty = h != NULL && json_is_true(ev);
		const char *did = NULL;
		struct img_member *lm = NULL;
		struct net_rec s;

		if (hi >= nhist + ndiff + 1)
			break;
		memset(&s, 0, sizeof(s));
		for (int i = 0; i < NR_NI; i++)
			s.i[i] = NR_NULL;
		s.kind = NR_STEP;
		s.i[ST_IMAGE] = image_no;
		s.i[ST_IDX] = (int64_t)hi;
		s.i[ST_EMPTY] = empty;
		s.i[ST_CREATED] = h ? jtime(h, "created") : NR_NULL;
		s.s[STS_CREATED_BY] = h ? jstr(h, "created_by") : NULL;
		s.s[STS_COMMENT] = h ? jstr(h, "comment") : NULL;
		s.s[STS_KEY] = df_history_key(s.s[STS_CREATED_BY], &key) ?
		    key.buf :
		    NULL;
		if (!empty) {
			if (li >= ndiff) {
				if ((rc = img_anomaly(st, -1,
					 "image %s: history step %zu has no "
					 "layer in rootfs.diff_ids", chex,
					 hi)) < 0)
					goto out;
			} else {
				json_t *dv = json_array_get(diff, li);
				did = json_is_string(dv) ?
				    json_string_value(dv) :
				    NULL;
				s.i[ST_LAYER_IDX] = (int64_t)li;
				s.s[STS_DIFF_ID] = did;
				lm = li < o->nlayers ? o->layers[li] : NULL;
				if (lm == NULL && li < o->nlayers) {
					if ((rc = img_anomaly(st, -1,
						 "image %s: layer %zu ('%s') "
						 "is not in the archive",
						 chex, li,
						 img_disp(&disp,
						     o->layer_names[li]))) < 0)
						goto out;
				} else if (lm != NULL && lm->layer_no == 0) {
					if ((rc = img_anomaly(st, -1,
						 "image %s: layer %zu ('%s') "
						 "is not a tar stream", chex,
						 li,
						 img_disp(&disp, lm->name))) <
					    0)
						goto out;
					lm = NULL;
				}
				if (lm != NULL) {
					char dh[SHA256_HEX + 8];
					lm->referenced = true;
					sha_hex(lm->diff_id, dh);
					s.i[ST_LAYER_NO] = lm->layer_no;
					if ((did == NULL ||
						strcmp(did, dh) != 0) &&
					    (rc = img_anomaly(st,
						 (int64_t)lm->off,
						 "image %s: layer '%s' "
						 "uncompresses to %s but the "
						 "config's diff_id is %s",
						 chex,
						 img_disp(&disp, lm->name), dh,
						 did ? did : "missing")) < 0)
						goto out;
				}
				li++;
			}
		}
		if (k->ops->net != NULL && (rc = k->ops->net(k,
		    ctx->artifact_id, &s, e)) < 0)
			goto out;
		if (hi >= nhist && li >= ndiff)
			break;
	}
out:
	free(tags);
	free(entry);
	free(cmd);
	free(env);
	free(ports);
	free(labels);
	free(health);
	free(vols);
	sbuf_release(&disp);
	sbuf_release(&key);
	return rc;
}

/* An image whose config is member cfg (declared digest want, or NULL). */
static int
img_emit_member(struct img_state *st, struct img_member *cfg,
    const char *want, struct img_out *o, struct dd_err *e)
{
	json_t *c = img_parse(st, cfg, e);
	char chex[SHA256_HEX + 8];
	struct sbuf disp = SBUF_INIT;
	int rc;

	if (!json_is_object(c)) {
		json_decref(c);
		rc = img_anomaly(st, (int64_t)cfg->off,
		    "image config '%s' is not a JSON object: image skipped",
		    img_disp(&disp, cfg->name));
		sbuf_release(&disp);
		return rc;
	}
	cfg->referenced = true;
	sha_hex(cfg->sha, chex);
	rc = 0;
	if (want != NULL && strcmp(want, chex) != 0)
		rc = img_anomaly(st, (int64_t)cfg->off,
		    "image config '%s' hashes to %s, not %s",
		    img_disp(&disp, cfg->name), chex, want);
	if (rc >= 0)
		rc = img_emit(st, c, chex, o, e);
	json_decref(c);
	sbuf_release(&disp);
	return rc;
}

/* Docker's manifest.json: [{Config, RepoTags, Layers}...]. */
static int
img_docker_manifest(struct img_state *st, struct img_member *mm,
    struct dd_err *e)
{
	json_t *j = img_parse(st, mm, e), *ent;
	size_t i;
	int rc = 0;

	mm->referenced = true;
	if (!json_is_array(j)) {
		json_decref(j);
		return img_anomaly(st, (int64_t)mm->off,
		    "manifest.json is not a JSON array: no image read from "
		    "it");
	}
	json_array_foreach(j, i, ent) {
		struct img_out o;
		const char *cfgname = jstr(ent, "Config");
		json_t *lays = json_object_get(ent, "Layers");
		json_t *tags = json_object_get(ent, "RepoTags");
		struct img_member *cfg;
		size_t k2;
		json_t *x;

		memset(&o, 0, sizeof(o));
		o.tags = json_array();
		if (json_is_array(tags))
			json_array_foreach(tags, k2, x)
				if (json_is_string(x))
					json_array_append(o.tags, x);
		if (json_is_array(lays))
			json_array_foreach(lays, k2, x) {
				const char *ln = json_is_string(x) ?
				    json_string_value(x) : "?";
				struct sbuf nn = SBUF_INIT;
				sbuf_init(&nn, IMG_TEXT_MAX);
				img_norm(ln, false, &nn);
				img_out_layer(&o, img_resolve(st, nn.buf), ln);
				sbuf_release(&nn);
			}
		cfg = NULL;
		if (cfgname != NULL) {
			struct sbuf nn = SBUF_INIT;
			sbuf_init(&nn, IMG_TEXT_MAX);
			img_norm(cfgname, false, &nn);
			cfg = img_resolve(st, nn.buf);
			sbuf_release(&nn);
		}
		if (cfg == NULL)
			rc = img_anomaly(st, (int64_t)mm->off,
			    "manifest.json entry %zu names config '%s', which "
			    "is not in the archive", i,
			    cfgname ? cfgname : "(none)");
		else
			rc = img_emit_member(st, cfg, NULL, &o, e);
		img_out_free(&o);
		if (rc < 0)
			break;
	}
	json_decref(j);
	return rc;
}

static bool
img_media_is_index(const char *mt)
{
	return mt != NULL &&
	    (strcmp(mt, "application/vnd.oci.image.index.v1+json") == 0 ||
		strcmp(mt, "application/vnd.docker.distribution.manifest."
			   "list.v2+json") == 0);
}

/* ---- provenance and trust ---- */

static void
img_prov_init(struct net_rec *r, const char *kind, const char *subject)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < NR_NI; i++)
		r->i[i] = NR_NULL;
	r->kind = NR_PROV;
	r->s[PVS_KIND] = kind;
	r->s[PVS_SUBJECT] = subject;
}

static int
img_prov_emit(struct img_state *st, struct net_rec *r, struct dd_err *e)
{
	struct sink *k = st->ctx->sink;

	return k->ops->net == NULL ? 0 :
	    k->ops->net(k, st->ctx->artifact_id, r, e);
}

/* o[a][b]... (NULL-terminated keys), or NULL. */
static json_t *
jpath(json_t *o, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, o);
	while (o != NULL && (k = va_arg(ap, const char *)) != NULL)
		o = json_is_object(o) ? json_object_get(o, k) : NULL;
	va_end(ap);
	return o;
}

/* The Dockerfile BuildKit keeps in its provenance metadata (base64). */
static char *
img_prov_dockerfile(json_t *md)
{
	json_t *infos = jpath(md, "source", "infos", NULL), *x;
	size_t i;

	json_array_foreach(infos, i, x) {
		const char *data = jstr(x, "data");
		size_t n, cap;
		unsigned char *out;
		int k;
		if (data == NULL || strlen(data) > LIM_IMG_JSON)
			continue;
		n = strlen(data);
		cap = n / 4 * 3 + 4;
		out = xmalloc(cap + 1);
		k = EVP_DecodeBlock(out, (const unsigned char *)data, (int)n);
		if (k < 0) {
			free(out);
			continue;
		}
		while (k > 0 && n > 0 && data[n - 1] == '=') {
			k--;
			n--;
		}
		out[k] = 0;
		if (!utf8_valid(out, (size_t)k) || memchr(out, 0, (size_t)k)) {
			free(out);
			continue;
		}
		return (char *)out;
	}
	return NULL;
}

/* One in-toto statement (blob m) attached to subject. */
static int
img_prov_statement(struct img_state *st, struct img_member *m,
    const char *subject, const char *ptype_ann, struct dd_err *e)
{
	json_t *j = img_parse(st, m, e), *pred, *args, *mats, *md, *x;
	char bh[SHA256_HEX + 8], *sargs = NULL, *smats = NULL, *df = NULL;
	const char *ptype;
	struct net_rec r;
	size_t i;
	int rc;

	m->referenced = true;
	if (!json_is_object(j)) {
		json_decref(j);
		return img_anomaly(st, (int64_t)m->off,
		    "attestation '%s' is not an in-toto statement", m->name);
	}
	ptype = jstr(j, "predicateType");
	if (ptype == NULL)
		ptype = ptype_ann;
	pred = json_object_get(j, "predicate");
	sha_hex(m->sha, bh);
	img_prov_init(&r, "attestation", subject);
	r.s[PVS_PTYPE] = ptype;
	r.s[PVS_BLOB] = bh;
	if (ptype != NULL && strstr(ptype, "slsa.dev/provenance") != NULL) {
		/* v0.2: builder, invocation.{configSource, parameters},
		 * materials, metadata; v1: buildDefinition, runDetails. */
		json_t *a = json_object();
		const char *k2;
		r.s[PVS_BUILDER] = jstr(jpath(pred, "builder", NULL), "id");
		if (r.s[PVS_BUILDER] == NULL)
			r.s[PVS_BUILDER] = jstr(jpath(pred, "runDetails",
			    "builder", NULL), "id");
		r.s[PVS_ENTRY] = jstr(jpath(pred, "invocation",
		    "configSource", NULL), "entryPoint");
		if (r.s[PVS_ENTRY] == NULL)
			r.s[PVS_ENTRY] = jstr(jpath(pred, "buildDefinition",
			    "externalParameters", "configSource", NULL), "path");
		args = jpath(pred, "invocation", "parameters", "args", NULL);
		if (args == NULL)
			args = jpath(pred, "buildDefinition",
			    "externalParameters", "request", "args", NULL);
		json_object_foreach(args, k2, x)
			if (strncmp(k2, "build-arg:", 10) == 0)
				json_object_set(a, k2 + 10, x);
		sargs = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(a);
		mats = json_object_get(pred, "materials");
		if (mats == NULL)
			mats = jpath(pred, "buildDefinition",
			    "resolvedDependencies", NULL);
		if (json_is_array(mats))
			smats = json_dumps(mats, JSON_COMPACT);
		md = jpath(pred, "metadata",
		    "https://mobyproject.org/buildkit@v1#metadata", NULL);
		if (md == NULL)
			md = jpath(pred, "runDetails", "metadata",
			    "buildkit_metadata", NULL);
		df = img_prov_dockerfile(md);
		r.s[PVS_ARGS] = sargs;
		r.s[PVS_MATERIALS] = smats;
		r.s[PVS_DOCKERFILE] = df;
	} else if (ptype != NULL && strstr(ptype, "spdx") != NULL) {
		json_t *pk = json_object_get(pred, "packages");
		r.i[PV_PACKAGES] = json_is_array(pk) ?
		    (int64_t)json_array_size(pk) : 0;
	} else if (ptype != NULL && strstr(ptype, "cyclonedx") != NULL) {
		json_t *pk = json_object_get(pred, "components");
		r.i[PV_PACKAGES] = json_is_array(pk) ?
		    (int64_t)json_array_size(pk) : 0;
	}
	(void)i;
	rc = img_prov_emit(st, &r, e);
	free(sargs);
	free(smats);
	free(df);
	json_decref(j);
	return rc;
}

/* A BuildKit attestation manifest (mb) about subject. */
static int
img_prov_attestation(struct img_state *st, struct img_member *mb,
    const char *subject, struct dd_err *e)
{
	json_t *j = img_parse(st, mb, e), *lays, *x;
	size_t i;
	int rc = 0;

	mb->referenced = true;
	lays = json_object_get(j, "layers");
	json_array_foreach(lays, i, x) {
		const char *d = jstr(x, "digest");
		struct img_member *m = img_by_digest(st, d);
		if (m == NULL || m->json == NULL) {
			rc = img_anomaly(st, (int64_t)mb->off,
			    "attestation %s of %s is not in the archive",
			    d ? d : "(no digest)", subject ? subject : "?");
		} else {
			rc = img_prov_statement(st, m, subject,
			    jstr(json_object_get(x, "annotations"),
				"in-toto.io/predicate-type"), e);
		}
		if (rc < 0)
			break;
	}
	json_decref(j);
	return rc;
}

/* Is manifest j a cosign signature (simple signing layers)? Emit one
 * record per signature layer. 1 when it was, 0 when not. */
static int
img_prov_cosign(struct img_state *st, struct img_member *mb, json_t *j,
    const char *subject, struct dd_err *e)
{
	json_t *lays = json_object_get(j, "layers"), *x;
	size_t i;
	int found = 0, rc;

	json_array_foreach(lays, i, x) {
		const char *mt = jstr(x, "mediaType");
		json_t *ann = json_object_get(x, "annotations");
		json_t *det;
		char *sdet, bh[SHA256_HEX + 8];
		struct img_member *m = img_by_digest(st, jstr(x, "digest"));
		struct net_rec r;
		if (mt == NULL || strcmp(mt, "application/vnd.dev.cosign."
					     "simplesigning.v1+json") != 0)
			continue;
		found = 1;
		det = json_object();
		if (jstr(ann, "dev.cosignproject.cosign/signature"))
			json_object_set(det, "signature", json_object_get(ann,
			    "dev.cosignproject.cosign/signature"));
		json_object_set_new(det, "keyless", json_boolean(
		    jstr(ann, "dev.sigstore.cosign/certificate") != NULL));
		if (jstr(ann, "dev.sigstore.cosign/certificate"))
			json_object_set(det, "certificate", json_object_get(ann,
			    "dev.sigstore.cosign/certificate"));
		if (jstr(ann, "dev.sigstore.cosign/bundle"))
			json_object_set_new(det, "rekor_bundle",
			    json_true());
		sdet = json_dumps(det, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(det);
		img_prov_init(&r, "signature", subject);
		r.s[PVS_PTYPE] = mt;
		if (m != NULL) {
			m->referenced = true;
			sha_hex(m->sha, bh);
			r.s[PVS_BLOB] = bh;
		}
		r.s[PVS_DETAIL] = sdet;
		rc = img_prov_emit(st, &r, e);
		free(sdet);
		if (rc < 0)
			return rc;
	}
	(void)mb;
	return found;
}

/* One OCI (or Docker v2) image manifest blob. */
static int
img_oci_manifest(struct img_state *st, struct img_member *mb,
    json_t *tags, bool images, struct dd_err *e)
{
	json_t *j = img_parse(st, mb, e), *cfg, *lays, *x;
	struct img_out o;
	struct img_member *cm;
	const char *subj = jstr(json_object_get(j, "subject"), "digest");
	const char *cmt;
	char subj2[SHA256_HEX + 8] = "";
	size_t i;
	int rc;

	mb->referenced = true;
	if (!json_is_object(j)) {
		json_decref(j);
		return img_anomaly(st, (int64_t)mb->off,
		    "manifest blob '%s' is not a JSON object", mb->name);
	}
	/* A cosign signature tagged "sha256-HEX.sig" signs sha256:HEX. */
	json_array_foreach(tags, i, x) {
		const char *t = json_string_value(x), *c = t ? strrchr(t, ':') : NULL;
		c = c ? c + 1 : t;
		if (c != NULL && strncmp(c, "sha256-", 7) == 0 &&
		    strlen(c) == 7 + 64 + 4 && strcmp(c + 71, ".sig") == 0) {
			snprintf(subj2, sizeof(subj2), "sha256:%.64s", c + 7);
			break;
		}
	}
	if ((rc = img_prov_cosign(st, mb, j, subj ? subj : subj2[0] ? subj2 :
		 NULL, e)) != 0) {
		json_decref(j);
		return rc < 0 ? rc : 0;
	}
	cmt = jstr(json_object_get(j, "config"), "mediaType");
	if (subj != NULL) {
		/* An OCI referrer (an artifact about another manifest). */
		struct net_rec r;
		char bh[SHA256_HEX + 8];
		sha_hex(mb->sha, bh);
		img_prov_init(&r, "referrer", subj);
		r.s[PVS_PTYPE] = jstr(j, "artifactType") ? jstr(j,
		    "artifactType") : cmt;
		r.s[PVS_BLOB] = bh;
		if ((rc = img_prov_emit(st, &r, e)) < 0 || jstr(j,
			"artifactType") != NULL || (cmt != NULL &&
			strstr(cmt, "image.config") == NULL &&
			strstr(cmt, "container.image") == NULL)) {
			json_decref(j);
			return rc;
		}
	}
	if (!images) {
		json_decref(j);
		return 0;
	}
	memset(&o, 0, sizeof(o));
	o.tags = json_deep_copy(tags);
	sha_hex(mb->sha, o.manifest_digest);
	cfg = json_object_get(j, "config");
	lays = json_object_get(j, "layers");
	if (json_is_array(lays))
		json_array_foreach(lays, i, x) {
			const char *d = jstr(x, "digest");
			struct img_member *lm = img_by_digest(st, d);
			json_t *sz = json_object_get(x, "size");
			if (lm != NULL && json_is_integer(sz) &&
			    (uint64_t)json_integer_value(sz) != lm->size)
				img_anomaly(st, (int64_t)lm->off,
				    "layer blob %s is %" PRIu64
				    " bytes, its descriptor says %" JSON_INTEGER_FORMAT,
				    d, lm->size, json_integer_value(sz));
			img_out_layer(&o, lm, d);
		}
	cm = img_by_digest(st, jstr(cfg, "digest"));
	if (cm == NULL)
		rc = img_anomaly(st, (int64_t)mb->off,
		    "manifest %s names config %s, which is not in the archive",
		    o.manifest_digest, jstr(cfg, "digest") ?
		    jstr(cfg, "digest") : "(none)");
	else
		rc = img_emit_member(st, cm, jstr(cfg, "digest"), &o, e);
	img_out_free(&o);
	json_decref(j);
	return rc;
}

/* An OCI index (index.json or a nested one). */
static int
img_oci_index(struct img_state *st, struct img_member *ix, int depth,
    bool images, json_t *ptags, struct dd_err *e)
{
	json_t *j = img_parse(st, ix, e), *mans, *d;
	size_t i;
	int rc = 0;

	ix->referenced = true;
	if (!json_is_object(j)) {
		json_decref(j);
		return img_anomaly(st, (int64_t)ix->off,
		    "index '%s' is not a JSON object", ix->name);
	}
	mans = json_object_get(j, "manifests");
	json_array_foreach(mans, i, d) {
		const char *mt = jstr(d, "mediaType");
		const char *dg = jstr(d, "digest");
		json_t *ann = json_object_get(d, "annotations");
		struct img_member *mb = img_by_digest(st, dg);
		const char *rt = jstr(ann, "vnd.docker.reference.type");
		json_t *tags = json_array();
		const char *t1 = jstr(ann, "io.containerd.image.name");
		const char *t2 = jstr(ann, "org.opencontainers.image.ref.name");

		if (t1)
			json_array_append_new(tags, json_string(t1));
		if (t2 && (t1 == NULL || strcmp(t1, t2) != 0))
			json_array_append_new(tags, json_string(t2));
		/* A nested index's manifests take the name it was given. */
		if (json_array_size(tags) == 0 && ptags != NULL)
			json_array_extend(tags, ptags);
		if (mb == NULL) {
			rc = img_anomaly(st, (int64_t)ix->off,
			    "index '%s' names %s, which is not in the archive",
			    ix->name, dg ? dg : "(no digest)");
		} else if (rt != NULL &&
		    strcmp(rt, "attestation-manifest") == 0) {
			rc = img_prov_attestation(st, mb,
			    jstr(ann, "vnd.docker.reference.digest"), e);
		} else if (img_media_is_index(mt)) {
			if (depth >= LIM_NEST_DEPTH)
				rc = img_anomaly(st, (int64_t)mb->off,
				    "index %s nests deeper than %d: not read",
				    dg, LIM_NEST_DEPTH);
			else
				rc = img_oci_index(st, mb, depth + 1, images,
				    tags, e);
		} else {
			rc = img_oci_manifest(st, mb, tags, images, e);
		}
		json_decref(tags);
		if (rc < 0)
			break;
	}
	json_decref(j);
	return rc;
}

/* A pre-1.10 image: no config blob, so one is made of the top v1 json
 * (which holds config, os, architecture, created), with rootfs.diff_ids
 * from the layers as hashed here and one history step per v1 layer
 * (created, and container_config.Cmd as created_by). Its digest is the
 * top v1 json's. chain[0] is the top, chain[n-1] the base. */
static int
img_v1_emit(struct img_state *st, struct img_member *top,
    struct img_member **chain, size_t n, struct img_out *o, struct dd_err *e)
{
	json_t *c = img_parse(st, top, e), *diff, *hist, *rootfs;
	char chex[SHA256_HEX + 8];
	int rc;

	if (!json_is_object(c)) {
		json_decref(c);
		return 0; /* img_parse recorded why */
	}
	diff = json_array();
	hist = json_array();
	for (size_t i = 0; i < o->nlayers; i++) {
		char dh[SHA256_HEX + 8] = "";
		if (o->layers[i] != NULL && o->layers[i]->layer_no > 0)
			sha_hex(o->layers[i]->diff_id, dh);
		json_array_append_new(diff, json_string(dh));
	}
	for (size_t i = n; i-- > 0;) {
		json_t *vj = img_parse(st, chain[i], e);
		json_t *h = json_object(), *cmdv, *ccfg;
		if (jstr(vj, "created"))
			json_object_set_new(h, "created",
			    json_string(jstr(vj, "created")));
		ccfg = json_object_get(vj, "container_config");
		cmdv = json_is_object(ccfg) ? json_object_get(ccfg, "Cmd") :
					      NULL;
		if (json_is_array(cmdv)) {
			struct sbuf cb = SBUF_INIT;
			size_t k;
			json_t *x;
			sbuf_init(&cb, IMG_TEXT_MAX);
			json_array_foreach(cmdv, k, x)
				if (json_is_string(x))
					sbuf_addf(&cb, "%s%s", k ? " " : "",
					    json_string_value(x));
			json_object_set_new(h, "created_by",
			    json_string(cb.buf ? cb.buf : ""));
			sbuf_release(&cb);
		}
		json_array_append_new(hist, h);
		json_decref(vj);
	}
	rootfs = json_object();
	json_object_set_new(rootfs, "type", json_string("layers"));
	json_object_set_new(rootfs, "diff_ids", diff);
	json_object_set_new(c, "rootfs", rootfs);
	json_object_set_new(c, "history", hist);
	sha_hex(top->sha, chex);
	rc = img_emit(st, c, chex, o, e);
	json_decref(c);
	return rc;
}

/* Pre-1.10 docker save: `repositories` maps names and tags to the top v1
 * id; each <id>/json names its parent; layers are <id>/layer.tar. */
static int
img_v1(struct img_state *st, struct img_member *repo, struct dd_err *e)
{
	json_t *j = img_parse(st, repo, e), *tags, *v;
	const char *rn, *tn;
	int rc = 0;

	repo->referenced = true;
	if (!json_is_object(j)) {
		json_decref(j);
		return img_anomaly(st, (int64_t)repo->off,
		    "'repositories' is not a JSON object: no image read");
	}
	json_object_foreach(j, rn, tags) {
		json_object_foreach(tags, tn, v) {
			struct img_out o;
			struct img_member **chain = NULL;
			size_t n = 0;
			const char *id = json_string_value(v);
			struct img_member *top = NULL;
			char pid[160];
			char *ref;

			memset(&o, 0, sizeof(o));
			o.tags = json_array();
			ref = xasprintf("%s:%s", rn, tn);
			json_array_append_new(o.tags, json_string(ref));
			free(ref);
			while (id != NULL && n < 1000) {
				char *p = xasprintf("%s/json", id);
				struct img_member *jm = img_resolve(st, p);
				json_t *vj;
				free(p);
				if (jm == NULL)
					break;
				jm->referenced = true;
				chain = xreallocarray(chain, n + 1,
				    sizeof(*chain));
				chain[n++] = jm;
				if (top == NULL)
					top = jm;
				vj = img_parse(st, jm, e);
				id = NULL;
				{
					const char *par = jstr(vj, "parent");
					if (par != NULL) {
						snprintf(pid, sizeof(pid),
						    "%s", par);
						id = pid;
					}
				}
				json_decref(vj);
			}
			for (size_t i = n; i-- > 0;) {
				char *ln = xasprintf("%s", chain[i]->name);
				char *sl = strrchr(ln, '/');
				char *l2;
				if (sl)
					*sl = 0;
				l2 = xasprintf("%s/layer.tar", ln);
				img_out_layer(&o, img_resolve(st, l2), l2);
				free(l2);
				free(ln);
			}
			if (top == NULL)
				rc = img_anomaly(st, (int64_t)repo->off,
				    "'repositories' names %s:%s, whose v1 json "
				    "is not in the archive", rn, tn);
			else
				rc = img_v1_emit(st, top, chain, n, &o, e);
			free(chain);
			img_out_free(&o);
			if (rc < 0)
				break;
		}
		if (rc < 0)
			break;
	}
	json_decref(j);
	return rc;
}

/* ---- the importer ---- */

static void
img_state_free(struct img_state *st)
{
	for (size_t i = 0; i < st->nm; i++) {
		free(st->m[i].name);
		free(st->m[i].link);
		free(st->m[i].json);
	}
	free(st->m);
}

/* Whether manifest.json is one image manifest (a JSON object with
 * "schemaVersion" 2 and "layers"), not docker save's array. */
static bool
img_manifest_object(const struct img_member *mf)
{
	json_error_t je;
	json_t *j = json_loadb(mf->json, mf->json_len, 0, &je);
	bool yes = json_is_object(j) &&
	    json_integer_value(json_object_get(j, "schemaVersion")) == 2 &&
	    json_is_array(json_object_get(j, "layers"));

	json_decref(j);
	return yes;
}

/* After the walk: find the images and check what nothing referenced. */
static int
img_resolve_images(struct img_state *st, struct dd_err *e)
{
	struct img_member *mf = img_resolve(st, "manifest.json");
	struct img_member *ix = img_resolve(st, "index.json");
	struct img_member *repo = img_resolve(st, "repositories");
	struct sbuf disp = SBUF_INIT;
	int rc = 0;

	if (mf != NULL && mf->json != NULL && ix == NULL &&
	    img_manifest_object(mf)) {
		/* The "dir:" transport's manifest.json: one image manifest
		 * (Docker v2 schema 2 or OCI), no tags. */
		json_t *none = json_array();
		rc = img_oci_manifest(st, mf, none, true, e);
		json_decref(none);
	} else if (mf != NULL && mf->json != NULL) {
		rc = img_docker_manifest(st, mf, e);
		/* Docker 25+ writes an OCI index too: its attestations and
		 * signatures (the images are manifest.json's). */
		if (rc >= 0 && ix != NULL && ix->json != NULL)
			rc = img_oci_index(st, ix, 0, false, NULL, e);
	} else if (ix != NULL && ix->json != NULL)
		rc = img_oci_index(st, ix, 0, true, NULL, e);
	else if (repo != NULL && repo->json != NULL)
		rc = img_v1(st, repo, e);
	else if (mf != NULL || ix != NULL || repo != NULL)
		rc = img_anomaly(st, -1,
		    "'%s' is not JSON: the layers are indexed but no image "
		    "is known", mf ? mf->name : ix ? ix->name : repo->name);
	else
		rc = img_anomaly(st, -1,
		    "no manifest.json, index.json or repositories: the "
		    "layers are indexed but no image is known");
	if (ix != NULL)
		ix->referenced = true;
	if (repo != NULL)
		repo->referenced = true;
	/* OCI blobs must hash to their names, and so must layers named by
	 * their digest (HEX.tar, HEX.tar.gz). */
	for (size_t i = 0; rc >= 0 && i < st->nm; i++) {
		struct img_member *m = &st->m[i];
		const char *b = strrchr(m->name, '/');
		uint8_t claim[SHA256_LEN];
		char hex[SHA256_HEX];
		bool oci = b != NULL && b - m->name >= 13 &&
		    strncmp(b - 13, "blobs/sha256/", 13) == 0;
		if (m->link != NULL || !(oci || (m->layer_no > 0 &&
		    img_claimed(m->name, claim))))
			continue;
		if (oci && !img_claimed(m->name, claim)) {
			rc = img_anomaly(st, (int64_t)m->off,
			    "blob '%s' is not named by a SHA-256",
			    img_disp(&disp, m->name));
			continue;
		}
		if (memcmp(claim, m->sha, SHA256_LEN) == 0)
			continue;
		hex_encode(m->sha, SHA256_LEN, hex);
		rc = img_anomaly(st, (int64_t)m->off,
		    "blob '%s' does not hash to its name (sha256:%s)",
		    img_disp(&disp, m->name), hex);
	}
	for (size_t i = 0; rc >= 0 && i < st->nm; i++) {
		struct img_member *m = &st->m[i];
		if (m->layer_no > 0 && !m->referenced)
			rc = img_anomaly(st, (int64_t)m->off,
			    "layer '%s' is in the archive but no image uses "
			    "it", img_disp(&disp, m->name));
	}
	sbuf_release(&disp);
	return rc;
}

static int
imp_image_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct img_state st;
	struct ingest_replay rp;
	uint8_t head[512];
	size_t hn;
	struct tarw *t;
	struct tarw_entry ent;
	uint64_t junk = 0;
	char first[TARW_NAME_FIRST];
	int rc;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.filtered = ctx->src->filter != NULL;
	st.decomp_budget = MAX(INGEST_DECOMP_FLOOR,
	    ctx->src->size * INGEST_DECOMP_RATIO);
	if ((rc = ingest_read_head(ctx, head, sizeof(head), &hn, e)) < 0)
		return rc;
	if (!tarw_is_tar(head, hn))
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a tar archive (no valid header at offset 0)",
		    ctx->src->name);
	memset(&rp, 0, sizeof(rp));
	rp.ctx = ctx;
	rp.head = head;
	rp.n = hn;
	t = tarw_new(ingest_read_replay, &rp, ctx->src->name);
	/* Read members exactly, so that each one's chunks start and end
	 * at its bounds in the stored original (shared layers of two
	 * archives then dedupe). */
	tarw_set_exact(t, true);
	while ((rc = tarw_next(t, &ent, e)) > 0) {
		if ((rc = img_member(&st, t, -1, &ent, e)) < 0)
			break;
		if (ctx->progress)
			ctx->progress(ctx->progress_user, tarw_offset(t));
	}
	if (rc >= 0)
		rc = tarw_drain(t, &junk, first, e);
	if (rc >= 0 && junk > 0)
		rc = img_anomaly(&st, (int64_t)tarw_offset(t),
		    "%" PRIu64 " non-zero bytes after the archive's end", junk);
	tarw_free(t);
	if (rc >= 0)
		rc = img_resolve_images(&st, e);
	img_state_free(&st);
	return rc < 0 ? rc : 0;
}

int
image_import_dir(struct imp_ctx *ctx, const char *const *rel, size_t n,
    image_open_fn open_fn, void *user, struct dd_err *e)
{
	struct img_state st;
	int rc = 0;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.filtered = true; /* offsets are the members', not the group's */
	st.decomp_budget = MAX(INGEST_DECOMP_FLOOR,
	    ctx->src->size * INGEST_DECOMP_RATIO);
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct tarw_entry ent;
		uint64_t size = 0;
		int fd = -1;

		if ((rc = open_fn(user, i, &fd, &size, e)) < 0)
			break;
		memset(&ent, 0, sizeof(ent));
		ent.name = rel[i];
		ent.link = "";
		ent.type = TARW_FILE;
		ent.size = size;
		rc = img_member(&st, NULL, fd, &ent, e);
		if (rc < 0)
			dd_err_prefix(e, "'%s'", rel[i]);
		close(fd);
	}
	if (rc >= 0)
		rc = img_resolve_images(&st, e);
	img_state_free(&st);
	return rc < 0 ? rc : 0;
}

/* The score of a tar header hdr (n bytes from it) as an image archive's
 * first entry: a v1 id directory, blobs/, oci-layout, index.json,
 * manifest.json, repositories, a kaniko config named sha256:HEX, a blob
 * named by its digest's hex, or the dir: transport's "version" file. */
static int
img_sniff_entry(const uint8_t *hdr, size_t n)
{
	static const char mark[] = IMAGE_DIR_MARK;
	char name[101];
	size_t k, hexn = 0;

	memcpy(name, hdr, 100);
	name[100] = 0;
	k = strlen(name);
	if (strncmp(name, "./", 2) == 0)
		memmove(name, name + 2, k - 1);
	if (strncmp(name, "blobs/", 6) == 0 || strcmp(name, "blobs") == 0 ||
	    strcmp(name, "oci-layout") == 0 || strcmp(name, "index.json") == 0 ||
	    strcmp(name, "manifest.json") == 0 ||
	    strcmp(name, "repositories") == 0 ||
	    strncmp(name, "sha256:", 7) == 0)
		return 48;
	if (strcmp(name, "version") == 0 && n >= 512 + sizeof(mark) - 1 &&
	    memcmp(hdr + 512, mark, sizeof(mark) - 1) == 0)
		return 48;
	while (hexn < 64 && ((name[hexn] >= '0' && name[hexn] <= '9') ||
	    (name[hexn] >= 'a' && name[hexn] <= 'f')))
		hexn++;
	if (hexn == 64 && (name[64] == '/' || name[64] == '.' ||
	    name[64] == 0))
		return 40;
	return 0;
}

/* A tar whose first entry is an image archive's (img_sniff_entry), or
 * whose first is the root directory and second is ("tar -C DIR -cf X.tar
 * .": the root comes first, a header alone). */
static int
imp_image_sniff(const uint8_t *head, size_t n, const char *basename)
{
	int sc;

	(void)basename;
	if (!tarw_is_tar(head, n))
		return 0;
	if ((sc = img_sniff_entry(head, n)) > 0)
		return sc;
	if ((memcmp(head, "./", 3) == 0 || memcmp(head, ".", 2) == 0) &&
	    head[156] == '5' && n >= 1024 && tarw_is_tar(head + 512, n - 512) &&
	    (sc = img_sniff_entry(head + 512, n - 512)) > 0)
		return sc + 1; /* above the export's 20 for a "./" root */
	return 0;
}

const struct importer imp_image = {
	.abi = INGEST_ABI,
	.name = "image",
	.version = "1",
	.summary = "container image archives: docker save (legacy, pre-1.10, "
		   "Docker 25+), OCI layout tars and directories, skopeo "
		   "dir: directories, kaniko tarballs; layers (tar, gzip, "
		   "zstd), files, images, history",
	.kind = EV_IMAGE,
	.flags = IMP_CONTAINER,
	.sniff = imp_image_sniff,
	.import = imp_image_import,
	.options = NULL,
	.zlevel = 0,
};
