/* SPDX-License-Identifier: Apache-2.0 */
/*
 * members.c: archive members, member artifacts, labels and lines for
 * importers; see members.h.
 *
 * libarchive pulls the archive through ingest_ar_cb_read, which hands out
 * first the bytes the importer already read (its sniff of the head), then
 * blocks of ingest_src_read: the framework's tap sees every byte once, in
 * order, so the stored original is the archive itself. Zip is read with
 * the streamable reader (local headers; the central directory is not
 * needed), tar in all its dialects, behind any compression filter.
 */
#include "core/common.h"
#include "ingest/members.h"

#include "core/lib-archive.h"

#include "core/dderr.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

#define INGEST_AR_BLOCK (64u * 1024u)

struct ingest_ar {
	struct imp_ctx *ctx;   /* borrowed */
	struct archive *ar;    /* owned */
	uint8_t *pre;	       /* the importer's head bytes (owned) */
	size_t npre;
	bool pre_done;
	uint8_t *rbuf;	       /* read block for libarchive (owned) */
	uint8_t *dbuf;	       /* data block for ingest_ar_read (owned) */
	uint64_t consumed;     /* archive bytes handed to libarchive */
	bool src_eof;	       /* the source ended */
	struct dd_err cb_err;  /* the read callback's failure */
	uint64_t budget;       /* cap on decompressed member bytes */
	uint64_t total;	       /* decompressed member bytes so far */
	uint64_t nentries;     /* entries seen */
	char *name;	       /* current entry's name (owned) */
	bool in_entry;	       /* an entry's data may be read */
	bool entry_eof;	       /* its data is all read */
	struct sha *h;	       /* hash of the current entry (owned) */
	uint64_t msize;	       /* its bytes read */
};

static ssize_t
ingest_ar_cb_read(struct archive *ar, void *client, const void **buf)
{
	struct ingest_ar *a = client;
	size_t got = 0;

	if (!a->pre_done) {
		a->pre_done = true;
		if (a->npre > 0) {
			*buf = a->pre;
			a->consumed += a->npre;
			return (ssize_t)a->npre;
		}
	}
	if (a->src_eof)
		return 0;
	if (ingest_src_read(a->ctx, a->rbuf, INGEST_AR_BLOCK, &got,
		&a->cb_err) < 0) {
		archive_set_error(ar, EIO, "%s", a->cb_err.msg);
		return -1;
	}
	if (got == 0)
		a->src_eof = true;
	*buf = a->rbuf;
	a->consumed += got;
	return (ssize_t)got;
}

/* Translate a libarchive failure (or the callback's) into e. */
static int
ingest_ar_fail(struct ingest_ar *a, const char *what, struct dd_err *e)
{
	const char *msg = archive_error_string(a->ar);

	if (a->cb_err.code != 0) {
		if (e != NULL && e->code == 0)
			*e = a->cb_err;
		return a->cb_err.code;
	}
	if (a->name != NULL)
		return dd_err_set_at(e, a->src_eof ? DD_ETRUNC : DD_EFORMAT,
		    (int64_t)a->consumed,
		    "%s member '%s' of '%s' near offset %" PRIu64 ": %s%s",
		    what, a->name, a->ctx->src->name, a->consumed,
		    msg ? msg : "unknown error",
		    a->src_eof ? " (the archive ends early)" : "");
	return dd_err_set_at(e, a->src_eof ? DD_ETRUNC : DD_EFORMAT,
	    (int64_t)a->consumed, "%s '%s' near offset %" PRIu64 ": %s%s",
	    what, a->ctx->src->name, a->consumed, msg ? msg : "unknown error",
	    a->src_eof ? " (the archive ends early)" : "");
}

int
ingest_ar_open(struct imp_ctx *ctx, const void *pre, size_t npre,
    struct ingest_ar **out, struct dd_err *e)
{
	struct ingest_ar *a = xcalloc(1, sizeof(*a));
	int rc;

	*out = NULL;
	a->ctx = ctx;
	a->cb_err = (struct dd_err)DD_ERR_INIT;
	if (npre > 0) {
		a->pre = xmalloc(npre);
		memcpy(a->pre, pre, npre);
		a->npre = npre;
	}
	a->rbuf = xmalloc(INGEST_AR_BLOCK);
	a->dbuf = xmalloc(INGEST_AR_BLOCK);
	a->budget = MAX(INGEST_DECOMP_FLOOR,
	    ctx->src->size > UINT64_MAX / INGEST_DECOMP_RATIO ?
		UINT64_MAX :
		ctx->src->size * INGEST_DECOMP_RATIO);
	a->ar = archive_read_new();
	if (a->ar == NULL)
		BUG("libarchive: cannot allocate a reader");
	archive_read_support_filter_all(a->ar);
	archive_read_support_format_zip_streamable(a->ar);
	archive_read_support_format_tar(a->ar);
	archive_read_support_format_gnutar(a->ar);
	if (archive_read_open(a->ar, a, NULL, ingest_ar_cb_read, NULL) !=
	    ARCHIVE_OK) {
		rc = ingest_ar_fail(a, "cannot read the archive", e);
		ingest_ar_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

int
ingest_ar_next(struct ingest_ar *a, struct ingest_ar_entry *ent,
    struct dd_err *e)
{
	struct archive_entry *en = NULL;
	const char *nm;
	size_t len;
	int r;

	memset(ent, 0, sizeof(*ent));
	sha_free(a->h);
	a->h = NULL;
	a->in_entry = false;
	r = archive_read_next_header(a->ar, &en);
	if (r == ARCHIVE_EOF) {
		free(a->name);
		a->name = NULL;
		return 0;
	}
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return ingest_ar_fail(a,
		    a->nentries ? "cannot read the entry after" :
				  "cannot read the first entry of",
		    e);
	free(a->name);
	a->name = NULL;
	if (a->nentries >= LIM_GROUP_MEMBERS)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)a->consumed,
		    "'%s' holds more than %u members", a->ctx->src->name,
		    LIM_GROUP_MEMBERS);
	nm = archive_entry_pathname(en);
	if (nm == NULL)
		nm = "";
	len = strlen(nm);
	if (len > INGEST_AR_NAME_MAX)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)a->consumed,
		    "entry %" PRIu64 " of '%s' has a name of %zu bytes "
		    "(more than %u)",
		    a->nentries, a->ctx->src->name, len, INGEST_AR_NAME_MAX);
	a->name = xstrdup(nm);
	ent->name = a->name;
	ent->is_file = archive_entry_filetype(en) == AE_IFREG;
	ent->size = archive_entry_size_is_set(en) ? archive_entry_size(en) :
						    -1;
	ent->index = a->nentries++;
	ent->offset = a->consumed;
	a->h = sha_new();
	a->msize = 0;
	a->in_entry = true;
	a->entry_eof = false;
	return 1;
}

/* Read up to cap bytes of the current entry into buf and hash them. */
static int
ingest_ar_pull(struct ingest_ar *a, void *buf, size_t cap, size_t *got,
    struct dd_err *e)
{
	la_ssize_t k;

	*got = 0;
	if (!a->in_entry || a->entry_eof)
		return 0;
	k = archive_read_data(a->ar, buf, cap);
	if (k < 0)
		return ingest_ar_fail(a, "cannot read", e);
	if (k == 0) {
		a->entry_eof = true;
		return 0;
	}
	a->total += (uint64_t)k;
	if (a->total > a->budget)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)a->consumed,
		    "the members of '%s' decompress past %" PRIu64
		    " bytes (%u times its size): refusing a decompression bomb",
		    a->ctx->src->name, a->budget, INGEST_DECOMP_RATIO);
	sha_update(a->h, buf, (size_t)k);
	a->msize += (uint64_t)k;
	*got = (size_t)k;
	return 0;
}

int
ingest_ar_read(struct ingest_ar *a, const uint8_t **p, size_t *n,
    struct dd_err *e)
{
	*p = a->dbuf;
	return ingest_ar_pull(a, a->dbuf, INGEST_AR_BLOCK, n, e);
}

int
ingest_read_member(void *user, void *buf, size_t cap, size_t *got,
    struct dd_err *e)
{
	return ingest_ar_pull(user, buf, cap, got, e);
}

int
ingest_read_src(void *user, void *buf, size_t cap, size_t *got,
    struct dd_err *e)
{
	return ingest_src_read(user, buf, cap, got, e);
}

int
ingest_ar_finish(struct ingest_ar *a, uint8_t sha[SHA256_LEN],
    uint64_t *size, struct dd_err *e)
{
	size_t n;
	int rc;

	if (!a->in_entry)
		BUG("ingest_ar_finish without an entry");
	do {
		if ((rc = ingest_ar_pull(a, a->dbuf, INGEST_AR_BLOCK, &n, e)) <
		    0)
			return rc;
	} while (n > 0);
	sha_final(a->h, sha);
	sha_free(a->h);
	a->h = NULL;
	a->in_entry = false;
	*size = a->msize;
	return 0;
}

void
ingest_ar_partial(struct ingest_ar *a, uint8_t sha[SHA256_LEN],
    uint64_t *size)
{
	if (a->h == NULL)
		BUG("ingest_ar_partial without an entry");
	sha_final(a->h, sha);
	sha_free(a->h);
	a->h = NULL;
	a->in_entry = false;
	*size = a->msize;
}

int
ingest_ar_slurp(struct ingest_ar *a, struct sbuf *out, size_t cap,
    struct dd_err *e)
{
	size_t n, have = 0;
	int rc;

	for (;;) {
		if ((rc = ingest_ar_pull(a, a->dbuf, INGEST_AR_BLOCK, &n, e)) <
		    0)
			return rc;
		if (n == 0)
			return 0;
		if (n > cap - have)
			return dd_err_set(e, DD_ELIMIT,
			    "member '%s' of '%s' is larger than %zu bytes",
			    a->name, a->ctx->src->name, cap);
		if (sbuf_add(out, a->dbuf, n) < 0)
			return dd_err_set(e, DD_ELIMIT,
			    "member '%s' of '%s' is too large to parse",
			    a->name, a->ctx->src->name);
		have += n;
	}
}

uint64_t
ingest_ar_offset(const struct ingest_ar *a)
{
	return a->consumed;
}

void
ingest_ar_free(struct ingest_ar *a)
{
	if (a == NULL)
		return;
	if (a->ar != NULL)
		archive_read_free(a->ar);
	sha_free(a->h);
	free(a->name);
	free(a->pre);
	free(a->rbuf);
	free(a->dbuf);
	free(a);
}

/* Send one member record; *id in and out (see struct member_rec). */
static int
ingest_member_rec(struct imp_ctx *ctx, const char *name, const char *format,
    uint64_t size, const uint8_t *sha, int64_t *id, struct dd_err *e)
{
	struct member_rec m;

	if (ctx->sink->ops->member == NULL) {
		*id = ctx->artifact_id;
		return 0;
	}
	memset(&m, 0, sizeof(m));
	m.name = name;
	m.format = format;
	m.size = size;
	m.sha256 = sha;
	return ctx->sink->ops->member(ctx->sink, ctx->artifact_id, &m, id, e);
}

int
ingest_member_begin(struct imp_ctx *ctx, const char *name,
    const char *format, int64_t *id, struct dd_err *e)
{
	*id = 0;
	return ingest_member_rec(ctx, name, format, 0, NULL, id, e);
}

int
ingest_member_end(struct imp_ctx *ctx, int64_t id, const char *name,
    const char *format, uint64_t size, const uint8_t sha[SHA256_LEN],
    struct dd_err *e)
{
	return ingest_member_rec(ctx, name, format, size, sha, &id, e);
}

bool
ingest_zip_first_name(const uint8_t *head, size_t n, const uint8_t **name,
    size_t *len)
{
	struct rd r;
	uint16_t nlen;

	/* Local file header: "PK\3\4", 22 bytes of versions, flags,
	 * method, time, crc and sizes, then name and extra lengths. */
	rd_init(&r, head, n, 0);
	if (rd_be32(&r) != 0x504b0304)
		return false;
	rd_skip(&r, 22);
	nlen = rd_le16(&r);
	rd_skip(&r, 2);
	if (rd_bytes(&r, nlen, name) < 0 || !rd_ok(&r))
		return false;
	*len = nlen;
	return true;
}

int
ingest_label(struct imp_ctx *ctx, int64_t artifact_id, const char *key,
    const char *value, struct dd_err *e)
{
	if (ctx->sink->ops->label == NULL)
		return 0;
	return ctx->sink->ops->label(ctx->sink, artifact_id, key, value, e);
}

#define INGEST_LINES_READ (256u * 1024u)

void
ingest_lines_init(struct ingest_lines *l, ingest_read_fn fn, void *user)
{
	memset(l, 0, sizeof(*l));
	l->read = fn;
	l->user = user;
	l->buf = xmalloc(2 * (size_t)LIM_TEXT_LINE);
}

int
ingest_lines_next(struct ingest_lines *l, const uint8_t **p, size_t *n,
    uint64_t *off, bool *cut, struct dd_err *e)
{
	const size_t cap = 2 * (size_t)LIM_TEXT_LINE;
	const uint8_t *nl;
	size_t got;
	int rc;

	*cut = false;
	for (;;) {
		nl = l->scan < l->end ?
		    memchr(l->buf + l->scan, '\n', l->end - l->scan) :
		    NULL;
		if (nl != NULL) {
			size_t at = (size_t)(nl - l->buf);
			bool skip = l->skipping;
			*p = l->buf + l->start;
			*n = at - l->start;
			*off = l->base + l->start;
			l->start = l->scan = at + 1;
			l->skipping = false;
			if (skip)
				continue;
			return 1;
		}
		l->scan = l->end;
		if (!l->skipping && l->end - l->start >= LIM_TEXT_LINE) {
			/* Too long: hand out its head, skip its rest. */
			*p = l->buf + l->start;
			*n = LIM_TEXT_LINE;
			*off = l->base + l->start;
			*cut = true;
			l->skipping = true;
			l->start += LIM_TEXT_LINE;
			return 1;
		}
		if (l->skipping) {
			/* Drop what was scanned: it is the rest of a cut
			 * line. */
			l->base += l->end;
			l->start = l->scan = l->end = 0;
		}
		if (l->eof) {
			if (l->start < l->end && !l->skipping) {
				*p = l->buf + l->start;
				*n = l->end - l->start;
				*off = l->base + l->start;
				l->start = l->scan = l->end;
				l->unterminated = true;
				return 1;
			}
			return 0;
		}
		if (l->start > 0) {
			memmove(l->buf, l->buf + l->start, l->end - l->start);
			l->base += l->start;
			l->end -= l->start;
			l->scan -= l->start;
			l->start = 0;
		}
		/* 256 KiB at a time: the bytes are still in the cache when
		 * the parser reaches them */
		if ((rc = l->read(l->user, l->buf + l->end, MIN(cap - l->end,
			 INGEST_LINES_READ), &got, e)) < 0)
			return rc;
		if (got == 0)
			l->eof = true;
		l->end += got;
	}
}

void
ingest_lines_release(struct ingest_lines *l)
{
	free(l->buf);
	l->buf = NULL;
}

int
ingest_read_replay(void *user, void *buf, size_t cap, size_t *got,
    struct dd_err *e)
{
	struct ingest_replay *r = user;

	if (r->pos < r->n) {
		size_t k = MIN(cap, r->n - r->pos);
		memcpy(buf, r->head + r->pos, k);
		r->pos += k;
		*got = k;
		return 0;
	}
	return ingest_src_read(r->ctx, buf, cap, got, e);
}

int
ingest_read_head(struct imp_ctx *ctx, uint8_t *head, size_t cap, size_t *n,
    struct dd_err *e)
{
	size_t got;
	int rc;

	*n = 0;
	while (*n < cap) {
		if ((rc = ingest_src_read(ctx, head + *n, cap - *n, &got, e)) <
		    0)
			return rc;
		if (got == 0)
			break;
		*n += got;
	}
	return 0;
}
