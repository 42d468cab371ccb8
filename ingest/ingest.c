/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingest.c: the importer framework: sniffing, sources, the import driver
 * for files and directory inputs (artifact groups). See ingest.h.
 */
#include "core/common.h"
#include "ingest/ingest.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lib-archive.h"
#include <zlib.h>
#include <jansson.h>

#include "core/artifact.h"
#include "core/chunk.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/imgfs.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/sink-queue.h"
#include "core/store.h"
#include "ingest/image.h"
#include "core/xmalloc.h"

/*
 * gzip through zlib rather than libarchive: a stream cut short (a capture
 * copied while it was written) still yields every byte before the cut,
 * which libarchive's filter withholds, and the cut is then reported.
 * Concatenated members are read in turn, as gzip -d does.
 */
struct ingest_gz {
	int fd;
	z_stream z;
	uint8_t in[65536];
	uint64_t in_total; /* compressed bytes read */
	bool in_eof, done;
};

#define INGEST_GZ_TRUNC (-2)

static void
ingest_gz_open(struct ingest_gz *g, int fd)
{
	memset(g, 0, sizeof(*g));
	g->fd = fd;
	if (inflateInit2(&g->z, 15 + 16) != Z_OK)
		BUG("zlib: cannot initialise inflate");
}

static void
ingest_gz_close(struct ingest_gz *g)
{
	inflateEnd(&g->z);
}

/* Up to cap decompressed bytes: their count, 0 at the end, -1 on corrupt
 * data (*why says what), INGEST_GZ_TRUNC when the stream is cut short
 * and everything before the cut has been returned. */
static ssize_t
ingest_gz_read(struct ingest_gz *g, void *buf, size_t cap, const char **why)
{
	int zr;

	*why = NULL;
	if (g->done || cap == 0)
		return 0;
	g->z.next_out = buf;
	g->z.avail_out = (uInt)MIN(cap, (size_t)1 << 30);
	for (;;) {
		if (g->z.avail_in == 0 && !g->in_eof) {
			ssize_t k = read(g->fd, g->in, sizeof(g->in));
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				*why = strerror(errno);
				return -1;
			}
			if (k == 0)
				g->in_eof = true;
			g->in_total += (uint64_t)k;
			g->z.next_in = g->in;
			g->z.avail_in = (uInt)k;
		}
		zr = inflate(&g->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			/* Another member may follow. */
			if (g->z.avail_in == 0 && g->in_eof) {
				g->done = true;
				break;
			}
			if (g->z.avail_in == 0) {
				ssize_t k = read(g->fd, g->in, sizeof(g->in));
				if (k <= 0) {
					g->done = true;
					break;
				}
				g->in_total += (uint64_t)k;
				g->z.next_in = g->in;
				g->z.avail_in = (uInt)k;
			}
			if (g->z.avail_in < 2 || g->z.next_in[0] != 0x1f ||
			    g->z.next_in[1] != 0x8b) {
				g->done = true; /* trailing bytes: ignored */
				break;
			}
			inflateReset(&g->z);
			continue;
		}
		if (zr == Z_BUF_ERROR && g->in_eof && g->z.avail_in == 0) {
			if (g->z.avail_out < cap)
				break; /* deliver what came before the cut */
			g->done = true;
			return INGEST_GZ_TRUNC;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			*why = g->z.msg ? g->z.msg : "corrupt gzip data";
			return -1;
		}
		if (g->z.avail_out == 0)
			break;
	}
	return (ssize_t)(cap - g->z.avail_out);
}

/* Private state behind struct imp_src. */
struct ingest_hasher;
static void ingest_feed_put(struct ingest_hasher *h, const uint8_t *p,
    size_t n);

struct ingest_srcimpl {
	int fd;
	const uint8_t *mem;   /* in-memory source (ingest_buffer), or NULL */
	size_t memlen;
	struct archive *ar;   /* when a filter is stripped */
	struct ingest_gz *gz; /* gzip, through zlib (instead of ar) */
	uint64_t consumed;    /* decompressed bytes handed out */
	uint64_t budget;      /* cap on consumed */
	bool eof;
	struct sink *tapq;    /* a sink queue whose tap gets every byte read
				 (the original is stored in the same pass as
				 the parse), or NULL */
	struct ingest_hasher *feed; /* --reference: the hasher fed the bytes
				 read, or NULL */
	uint8_t *vbuf;	      /* ingest_src_view's buffer (job arena) */
	size_t vcap;
};

const struct importer *
ingest_find(const char *name)
{
	size_t i;

	for (i = 0; ingest_table[i] != NULL; i++)
		if (strcmp(ingest_table[i]->name, name) == 0)
			return ingest_table[i];
	return NULL;
}

const char *
ingest_filter_magic(const uint8_t *head, size_t n)
{
	struct rd r;
	uint32_t m;

	rd_init(&r, head, n, 0);
	m = rd_be32(&r);
	if (!rd_ok(&r))
		return NULL;
	if ((m >> 16) == 0x1f8b)
		return "gzip";
	if (m == 0x28b52ffd)
		return "zstd";
	if (m == 0xfd377a58 && n >= 6 && head[4] == 0x5a && head[5] == 0x00)
		return "xz";
	if ((m >> 8) == 0x425a68) /* "BZh" */
		return "bzip2";
	return NULL;
}

void
ingest_sniff_buf(const uint8_t *head, size_t n, const char *basename,
    struct ingest_guess *g)
{
	size_t i;
	int k;

	memset(g, 0, sizeof(*g));
	if (n > INGEST_SNIFF_MAX)
		n = INGEST_SNIFF_MAX;
	for (i = 0; ingest_table[i] != NULL; i++) {
		const struct importer *imp = ingest_table[i];
		int sc;

		if (imp->sniff == NULL || (imp->flags & IMP_TESTONLY))
			continue;
		sc = imp->sniff(head, n, basename ? basename : "");
		if (sc <= 0)
			continue;
		/* Keep the top three, ties to table order. */
		for (k = 0; k < 3; k++) {
			if (g->cand[k] == NULL || sc > g->cand_score[k]) {
				int j;
				for (j = 2; j > k; j--) {
					g->cand[j] = g->cand[j - 1];
					g->cand_score[j] = g->cand_score[j - 1];
				}
				g->cand[k] = imp;
				g->cand_score[k] = sc;
				break;
			}
		}
	}
	if (g->cand[0] != NULL && g->cand_score[0] >= INGEST_SNIFF_MIN) {
		g->imp = g->cand[0];
		g->score = g->cand_score[0];
	}
}

int
ingest_src_cut(struct imp_ctx *ctx, uint64_t off, struct dd_err *e)
{
	struct ingest_srcimpl *si = ctx->src->impl;

	if (si == NULL || si->tapq == NULL)
		return 0;
	return sink_queue_cut(si->tapq, off, e);
}

bool
ingest_src_seekable(const struct imp_ctx *ctx)
{
	const struct ingest_srcimpl *si = ctx->src->impl;

	return si != NULL && ctx->src->filter == NULL && si->ar == NULL &&
	    si->gz == NULL && (si->mem != NULL || si->fd >= 0);
}

int
ingest_src_pread(struct imp_ctx *ctx, uint64_t off, void *buf, size_t n,
    size_t *got, struct dd_err *e)
{
	struct ingest_srcimpl *si = ctx->src->impl;
	ssize_t k;

	*got = 0;
	if (!ingest_src_seekable(ctx))
		BUG("ingest_src_pread on a source that is not seekable");
	if (si->mem != NULL) {
		if (off < si->memlen) {
			*got = (size_t)MIN((uint64_t)n, si->memlen - off);
			memcpy(buf, si->mem + off, *got);
		}
		return 0;
	}
	while (*got < n) {
		if (off + *got > (uint64_t)INT64_MAX)
			break;
		k = pread(si->fd, (uint8_t *)buf + *got, n - *got,
		    (off_t)(off + *got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return dd_err_set_at(e, DD_EIO, (int64_t)(off + *got),
			    "cannot read '%s' at offset %" PRIu64 ": %s",
			    ctx->src->name, off + *got, strerror(errno));
		if (k == 0)
			break;
		*got += (size_t)k;
	}
	return 0;
}

int
ingest_src_read(struct imp_ctx *ctx, void *buf, size_t cap, size_t *got,
    struct dd_err *e)
{
	struct ingest_srcimpl *si = ctx->src->impl;
	ssize_t n;

	*got = 0;
	if (si->eof || cap == 0)
		return 0;
	if (si->mem != NULL) {
		size_t k = MIN(cap, si->memlen - (size_t)si->consumed);
		if (k == 0) {
			si->eof = true;
			return 0;
		}
		memcpy(buf, si->mem + si->consumed, k);
		si->consumed += k;
		*got = k;
		return 0;
	}
	for (;;) {
		if (si->gz != NULL) {
			const char *why;
			n = ingest_gz_read(si->gz, buf, cap, &why);
			if (n == INGEST_GZ_TRUNC) {
				si->eof = true;
				return ingest_anomaly(ctx, (int64_t)si->consumed,
				    "the gzip stream of '%s' ends early, after "
				    "%" PRIu64 " compressed bytes (%" PRIu64
				    " decompressed): the rest is lost",
				    ctx->src->name, si->gz->in_total,
				    si->consumed);
			}
			if (n < 0)
				return dd_err_set_at(e, DD_EFORMAT,
				    (int64_t)si->consumed,
				    "cannot decompress '%s' (gzip) after %" PRIu64
				    " bytes: %s",
				    ctx->src->name, si->consumed, why);
			break;
		}
		if (si->ar != NULL)
			n = archive_read_data(si->ar, buf, cap);
		else
			n = read(si->fd, buf, cap);
		if (n < 0 && si->ar == NULL && errno == EINTR)
			continue;
		break;
	}
	if (n < 0) {
		if (si->ar != NULL)
			return dd_err_set_at(e, DD_EFORMAT, (int64_t)si->consumed,
			    "cannot decompress '%s' (%s) after %" PRIu64
			    " bytes: %s",
			    ctx->src->name, ctx->src->filter, si->consumed,
			    archive_error_string(si->ar));
		return dd_err_set_at(e, DD_EIO, (int64_t)si->consumed,
		    "cannot read '%s' at offset %" PRIu64 ": %s",
		    ctx->src->name, si->consumed, strerror(errno));
	}
	if (n == 0) {
		si->eof = true;
		return 0;
	}
	if (si->feed != NULL)
		ingest_feed_put(si->feed, buf, (size_t)n);
	if (si->tapq != NULL) {
		/* The tap reads the same bytes of the file itself (the
		 * tap exists only for unfiltered sources). */
		int rc = sink_queue_raw_at(si->tapq, si->fd, si->consumed,
		    (size_t)n, e);
		if (rc < 0)
			return rc;
	}
	si->consumed += (uint64_t)n;
	if (si->consumed > si->budget)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)si->consumed,
		    "'%s' decompresses past %" PRIu64
		    " bytes (%u times its size): refusing a decompression bomb",
		    ctx->src->name, si->budget, INGEST_DECOMP_RATIO);
	*got = (size_t)n;
	return 0;
}

int
ingest_src_view(struct imp_ctx *ctx, size_t cap, const uint8_t **p,
    size_t *got, struct dd_err *e)
{
	struct ingest_srcimpl *si = ctx->src->impl;
	size_t k;
	int rc;

	*got = 0;
	if (si->mem != NULL) {
		/* as ingest_src_read's in-memory case, without the copy */
		k = si->eof ? 0 : MIN(cap, si->memlen - (size_t)si->consumed);
		*p = si->mem + si->consumed;
		si->consumed += k;
		si->eof = k == 0;
		*got = k;
		return 0;
	}
	if (si->vcap < cap) {
		si->vbuf = arena_alloc(ctx->job, cap);
		si->vcap = cap;
	}
	*p = si->vbuf;
	while (*got < cap) {
		if ((rc = ingest_src_read(ctx, si->vbuf + *got, cap - *got, &k,
			 e)) < 0)
			return rc;
		if (k == 0)
			break;
		*got += k;
	}
	return 0;
}

int
ingest_src_read_all(struct imp_ctx *ctx, size_t max, const char *what,
    struct sbuf *out, struct dd_err *e)
{
	size_t got;
	int rc;

	sbuf_reset(out);
	for (;;) {
		if (out->len > max || sbuf_grow(out, 65536) < 0)
			return dd_err_set_at(e, DD_ELIMIT, (int64_t)max, "'%s': "
			    "more than %zu MiB of %s (not read)",
			    ctx->src->name, max >> 20, what);
		if ((rc = ingest_src_read(ctx, out->buf + out->len, 65536,
			 &got, e)) < 0)
			return rc;
		if (got == 0)
			break;
		out->len += got;
		out->buf[out->len] = '\0';
	}
	if (out->len > max)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)max, "'%s': more "
		    "than %zu MiB of %s (not read)", ctx->src->name,
		    max >> 20, what);
	return 0;
}

static int DD_PRINTF(4, 0)
ingest_vanomaly(struct imp_ctx *ctx, int64_t artifact_id, int64_t off,
    const char *fmt, va_list ap)
{
	char msg[512];
	int rc;

	if (ctx->anomalies >= LIM_ANOMALIES)
		return DD_ELIMIT;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	ctx->anomalies++;
	if (ctx->sink->ops->anomaly == NULL)
		return 0;
	rc = ctx->sink->ops->anomaly(ctx->sink, artifact_id, off, msg, NULL);
	if (rc < 0)
		return rc;
	return ctx->anomalies >= LIM_ANOMALIES ? DD_ELIMIT : 0;
}

int
ingest_anomaly(struct imp_ctx *ctx, int64_t off, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ingest_vanomaly(ctx, ctx->artifact_id, off, fmt, ap);
	va_end(ap);
	return rc;
}

int
ingest_anomaly_on(struct imp_ctx *ctx, int64_t artifact_id, int64_t off,
    const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = ingest_vanomaly(ctx, artifact_id, off, fmt, ap);
	va_end(ap);
	return rc;
}

static int
ingest_known_cmp(const void *a, const void *b)
{
	return memcmp(a, b, SHA256_LEN);
}

const struct imgfs_known *
ingest_layer_known(const struct imp_ctx *ctx, const uint8_t digest[SHA256_LEN])
{
	if (ctx->known == NULL || ctx->known->n == 0)
		return NULL;
	return bsearch(digest, ctx->known->v, ctx->known->n,
	    sizeof(*ctx->known->v), ingest_known_cmp);
}

/* Load the layers complete artifacts of s indexed. */
static int
ingest_known_load(struct store *s, struct ingest_known *k, struct dd_err *e)
{
	memset(k, 0, sizeof(*k));
	return imgfs_known_load(s, &k->v, &k->n, e);
}

static bool
ingest_hexrun(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hex_digit((unsigned char)s[i]) < 0 || (s[i] >= 'A' &&
			s[i] <= 'F'))
			return false;
	return true;
}

void
ingest_container_hint(const char *name, char *out, size_t cap)
{
	static const char *const ext[] = { ".gz", ".tgz", ".zst", ".xz",
		".bz2", ".tar", ".txt", ".diff", ".log", ".out" };
	static const char *const suf[] = { "-diff", "-export", "_export",
		".export" };
	static const char *const pre[] = { "export-", "export_", "diff-" };
	const char *base = strrchr(name, '/');
	size_t n;
	bool more = true;

	base = base ? base + 1 : name;
	n = strlen(base);
	for (size_t want = 64; want >= 12; want = want == 64 ? 12 : 0) {
		for (size_t i = 0; i + want <= n; i++)
			if (ingest_hexrun(base + i, want) && (i + want == n ||
				hex_digit((unsigned char)base[i + want]) < 0) &&
			    (i == 0 || hex_digit((unsigned char)base[i - 1]) <
				0)) {
				snprintf(out, cap, "%.*s", (int)want, base + i);
				return;
			}
		if (want == 12)
			break;
	}
	snprintf(out, cap, "%s", base);
	while (more) {
		more = false;
		n = strlen(out);
		for (size_t i = 0; i < ARRAY_SIZE(ext) && !more; i++) {
			size_t k = strlen(ext[i]);
			if (n > k && strcmp(out + n - k, ext[i]) == 0) {
				out[n - k] = '\0';
				more = true;
			}
		}
	}
	n = strlen(out);
	for (size_t i = 0; i < ARRAY_SIZE(suf); i++) {
		size_t k = strlen(suf[i]);
		if (n > k && strcmp(out + n - k, suf[i]) == 0) {
			out[n - k] = '\0';
			break;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(pre); i++) {
		size_t k = strlen(pre[i]);
		if (strlen(out) > k && strncmp(out, pre[i], k) == 0) {
			memmove(out, out + k, strlen(out + k) + 1);
			break;
		}
	}
}

const char *
ingest_opt(const struct imp_ctx *ctx, const struct importer *imp,
    const char *key)
{
	const struct imp_option *o;
	size_t kl = strlen(key);
	size_t i;

	for (i = 0; ctx->opts != NULL && ctx->opts[i] != NULL; i++)
		if (strncmp(ctx->opts[i], key, kl) == 0 &&
		    ctx->opts[i][kl] == '=')
			return ctx->opts[i] + kl + 1;
	for (o = imp->options; o != NULL && o->key != NULL; o++)
		if (strcmp(o->key, key) == 0)
			return o->def;
	return NULL;
}

/* Open a libarchive reader that undoes compression filters on fd. */
static struct archive *
ingest_filter_open(int fd, const char *name, struct dd_err *e)
{
	struct archive *ar = archive_read_new();
	struct archive_entry *ent;

	if (ar == NULL)
		BUG("libarchive: cannot allocate a reader");
	archive_read_support_filter_all(ar);
	archive_read_support_format_raw(ar);
	if (archive_read_open_fd(ar, fd, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(ar, &ent) != ARCHIVE_OK) {
		dd_err_set(e, DD_EFORMAT, "cannot decompress '%s': %s", name,
		    archive_error_string(ar) ? archive_error_string(ar) :
					       "unknown error");
		archive_read_free(ar);
		return NULL;
	}
	return ar;
}

/* Read the sniff prefix of fd (decompressed when filtered) into buf. */
static int
ingest_head(int fd, const char *name, const char *filter, uint8_t *buf,
    size_t *n, struct dd_err *e)
{
	ssize_t k;
	size_t have = 0;

	*n = 0;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return dd_err_set(e, DD_EIO, "cannot seek '%s': %s", name,
		    strerror(errno));
	if (filter != NULL && strcmp(filter, "gzip") == 0) {
		struct ingest_gz *g = xmalloc(sizeof(*g));
		const char *why;
		ingest_gz_open(g, fd);
		while (have < INGEST_SNIFF_MAX) {
			k = ingest_gz_read(g, buf + have, INGEST_SNIFF_MAX - have,
			    &why);
			if (k <= 0)
				break;
			have += (size_t)k;
		}
		ingest_gz_close(g);
		free(g);
	} else if (filter != NULL) {
		struct archive *ar = ingest_filter_open(fd, name, e);
		if (ar == NULL)
			return DD_EFORMAT;
		while (have < INGEST_SNIFF_MAX) {
			k = archive_read_data(ar, buf + have,
			    INGEST_SNIFF_MAX - have);
			if (k <= 0)
				break;
			have += (size_t)k;
		}
		archive_read_free(ar);
	} else {
		while (have < INGEST_SNIFF_MAX) {
			k = read(fd, buf + have, INGEST_SNIFF_MAX - have);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				return dd_err_set(e, DD_EIO,
				    "cannot read '%s': %s", name,
				    strerror(errno));
			if (k == 0)
				break;
			have += (size_t)k;
		}
	}
	*n = have;
	return 0;
}

static const char *
ingest_basename(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* With --reference the file is hashed on a thread of its own (pread, so
 * the parser's reads and offset are its own) while it is parsed. */
/* Hashes a whole file on a thread of its own: by pread, or (feed mode,
 * --reference imports of unfiltered files) from the bytes the parser
 * reads, handed over in a ring of 1 MiB slots, so the file is copied out
 * of the page cache once; what the parser did not read is pread after. */
#define INGEST_FEED_SLOTS 8
#define INGEST_FEED_SLOT (1u << 20)
struct ingest_hasher {
	pthread_t th;
	int fd;
	const char *name;
	char hex[SHA256_HEX];
	int err; /* errno of a failed read, 0 */
	bool started;
	bool feed;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *slot[INGEST_FEED_SLOTS];
	size_t len[INGEST_FEED_SLOTS];
	unsigned head, count; /* published slots */
	size_t fill;	      /* bytes in the slot being filled */
	uint64_t fed;	      /* bytes handed over in all */
	bool done;
};

static void *
ingest_hasher_main(void *arg)
{
	struct ingest_hasher *h = arg;
	struct sha *sh = sha_new();
	uint8_t d[SHA256_LEN];
	uint8_t *buf;
	off_t off = 0;
	ssize_t n;

	if (h->feed) {
		for (;;) {
			unsigned i;
			pthread_mutex_lock(&h->mu);
			while (h->count == 0 && !h->done)
				pthread_cond_wait(&h->cv, &h->mu);
			if (h->count == 0) {
				off = (off_t)h->fed;
				pthread_mutex_unlock(&h->mu);
				break;
			}
			i = h->head;
			pthread_mutex_unlock(&h->mu);
			sha_update(sh, h->slot[i], h->len[i]);
			pthread_mutex_lock(&h->mu);
			h->head = (h->head + 1) % INGEST_FEED_SLOTS;
			h->count--;
			pthread_cond_broadcast(&h->cv);
			pthread_mutex_unlock(&h->mu);
		}
	}
	buf = xmalloc(1 << 20);
	while ((n = pread(h->fd, buf, 1 << 20, off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			h->err = errno;
			break;
		}
		sha_update(sh, buf, (size_t)n);
		off += n;
	}
	sha_final(sh, d);
	hex_encode(d, SHA256_LEN, h->hex);
	sha_free(sh);
	free(buf);
	return NULL;
}

static void
ingest_hasher_start(struct ingest_hasher *h, int fd, const char *name)
{
	memset(h, 0, sizeof(*h));
	h->fd = fd;
	h->name = name;
	if (pthread_create(&h->th, NULL, ingest_hasher_main, h) == 0)
		h->started = true;
	else
		ingest_hasher_main(h); /* no thread: hash now */
}

/* Start h in feed mode (see struct ingest_hasher). */
static void
ingest_hasher_start_feed(struct ingest_hasher *h, int fd, const char *name)
{
	memset(h, 0, sizeof(*h));
	h->fd = fd;
	h->name = name;
	h->feed = true;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->cv, NULL);
	for (unsigned i = 0; i < INGEST_FEED_SLOTS; i++)
		h->slot[i] = xmalloc(INGEST_FEED_SLOT);
	if (pthread_create(&h->th, NULL, ingest_hasher_main, h) == 0)
		h->started = true;
}

/* Publish the slot being filled (called with h->mu held). */
static void
ingest_feed_publish(struct ingest_hasher *h)
{
	h->len[(h->head + h->count) % INGEST_FEED_SLOTS] = h->fill;
	h->count++;
	h->fill = 0;
	pthread_cond_broadcast(&h->cv);
}

/* Hand the parser's bytes p[0..n) to the hasher (a no-op without its
 * thread: the join then hashes the whole file). */
static void
ingest_feed_put(struct ingest_hasher *h, const uint8_t *p, size_t n)
{
	if (!h->feed || !h->started)
		return;
	while (n > 0) {
		unsigned i;
		size_t k;
		pthread_mutex_lock(&h->mu);
		while (h->count == INGEST_FEED_SLOTS)
			pthread_cond_wait(&h->cv, &h->mu);
		i = (h->head + h->count) % INGEST_FEED_SLOTS;
		pthread_mutex_unlock(&h->mu);
		k = MIN(n, INGEST_FEED_SLOT - h->fill);
		memcpy(h->slot[i] + h->fill, p, k);
		h->fill += k;
		p += k;
		n -= k;
		pthread_mutex_lock(&h->mu);
		h->fed += k;
		if (h->fill == INGEST_FEED_SLOT)
			ingest_feed_publish(h);
		pthread_mutex_unlock(&h->mu);
	}
}

/* The digest (hex), once the thread is done. */
static int
ingest_hasher_join(struct ingest_hasher *h, char hex[SHA256_HEX],
    struct dd_err *e)
{
	if (h->feed) {
		if (h->started) {
			pthread_mutex_lock(&h->mu);
			if (h->fill > 0)
				ingest_feed_publish(h);
			h->done = true;
			pthread_cond_broadcast(&h->cv);
			pthread_mutex_unlock(&h->mu);
		} else {
			/* No thread: hash the whole file here. */
			h->feed = false;
			ingest_hasher_main(h);
			h->feed = true;
		}
	}
	if (h->started) {
		pthread_join(h->th, NULL);
		h->started = false;
	}
	if (h->feed) {
		for (unsigned i = 0; i < INGEST_FEED_SLOTS; i++)
			free(h->slot[i]);
		pthread_mutex_destroy(&h->mu);
		pthread_cond_destroy(&h->cv);
		h->feed = false;
	}
	if (h->err != 0)
		return dd_err_set(e, DD_EIO, "cannot read '%s': %s", h->name,
		    strerror(h->err));
	memcpy(hex, h->hex, SHA256_HEX);
	return 0;
}

/* Hash a whole file here and now (for the identical-evidence check). */
static int
ingest_hash_fd(int fd, const char *name, char hex[SHA256_HEX],
    struct dd_err *e)
{
	struct ingest_hasher h;

	memset(&h, 0, sizeof(h));
	h.fd = fd;
	h.name = name;
	ingest_hasher_main(&h);
	return ingest_hasher_join(&h, hex, e);
}

/* State shared by one ingest_path call. */
struct ingest_run {
	struct store *s;
	const struct ingest_opts *o;
	struct ingest_result *res;
	const char *display;	/* name shown in progress */
	uint64_t total;		/* bytes to store */
	uint64_t done_before;	/* bytes stored by earlier members */
	bool full_verify;	/* image layers: hash every claimed digest */
};

static void
ingest_progress_blob(void *user, uint64_t done)
{
	struct ingest_run *run = user;

	if (run->o->progress)
		run->o->progress(run->o->progress_user, run->display,
		    run->done_before + done, run->total);
}

/* The per-file part: choose an importer, keep the original, parse. All
 * inside the caller's batch transaction. */
/* Store what is left of fd (all of it, or what the parser did not read)
 * into w and finish the blob. */
static int
ingest_store_rest(struct ingest_run *run, struct blobw *w, int fd,
    const char *name, const struct stat *st, struct blob_info *bi,
    char hex[SHA256_HEX], struct dd_err *e)
{
	int rc;

	if ((rc = blobw_write_fd(w, fd, name, ingest_progress_blob, run,
		 e)) < 0 ||
	    (rc = blobw_finish(w, bi, e)) < 0)
		return rc;
	hex_encode(bi->sha256, SHA256_LEN, hex);
	run->res->new_bytes += bi->new_bytes;
	if (bi->size != (uint64_t)st->st_size)
		return dd_err_set(e, DD_EIO,
		    "'%s' changed size while being read (%" PRIu64
		    " then %" PRIu64 " bytes)",
		    name, (uint64_t)st->st_size, bi->size);
	return 0;
}

static int
ingest_one(struct ingest_run *run, int fd, const char *name,
    const char *source_path, const struct stat *st, int64_t group_id,
    const struct importer **chosen, int64_t *out_id, uint8_t sha[SHA256_LEN],
    struct dd_err *e)
{
	struct store *s = run->s;
	const struct ingest_opts *o = run->o;
	const struct importer *imp = NULL;
	struct ingest_guess g;
	struct artifact_new an;
	struct blob_info bi;
	struct ingest_hasher hasher = { .started = false };
	struct blobw *w = NULL;
	char hex[SHA256_HEX];
	uint8_t *head = NULL;
	size_t hn = 0;
	const char *filter;
	int64_t id = 0;
	bool parse;
	int rc;

	head = xmalloc(INGEST_SNIFF_MAX);
	if ((rc = ingest_head(fd, name, NULL, head, &hn, e)) < 0)
		goto out;
	filter = ingest_filter_magic(head, hn);
	if (filter != NULL) {
		struct dd_err fe = DD_ERR_INIT;
		if (ingest_head(fd, name, filter, head, &hn, &fe) < 0) {
			/* Not really compressed (or broken): sniff as is. */
			filter = NULL;
			if ((rc = ingest_head(fd, name, NULL, head, &hn, e)) < 0)
				goto out;
		}
	}
	memset(&g, 0, sizeof(g));
	if (o->as != NULL) {
		imp = ingest_find(o->as);
		if (imp == NULL) {
			rc = dd_err_set(e, DD_EUSAGE,
			    "unknown importer '%s' (see 'drydock ingest "
			    "--list')",
			    o->as);
			goto out;
		}
	} else {
		ingest_sniff_buf(head, hn, ingest_basename(name), &g);
		imp = g.imp ? g.imp : ingest_find("raw");
		if (imp == NULL)
			BUG("no raw importer registered");
	}
	if (imp == ingest_find("raw") || (imp->flags & IMP_NOPARSE)) {
		struct sbuf sb = SBUF_INIT;
		int k;
		for (k = 0; k < 3 && g.cand[k] != NULL; k++)
			sbuf_addf(&sb, "%s%s (%d bits)", k ? ", " : "",
			    g.cand[k]->name, g.cand_score[k]);
		snprintf(run->res->guess, sizeof(run->res->guess), "%s",
		    sb.len ? sb.buf : "none");
		sbuf_release(&sb);
	}

	memset(&an, 0, sizeof(an));
	an.group_id = group_id;
	an.name = name;
	an.format = imp->name;
	an.importer = imp->name;
	an.importer_version = imp->version;
	an.source_path = source_path;
	an.reference = o->reference;
	an.mode = (int64_t)st->st_mode;
	an.mtime = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	    st->st_mtim.tv_nsec;
	if ((rc = artifact_begin(s, &an, &id, e)) < 0)
		goto out;

	memset(&bi, 0, sizeof(bi));
	parse = imp->import != NULL && !(imp->flags & IMP_NOPARSE);
	if (o->reference) {
		/* Hashed from the bytes the parser reads when it reads
		 * the file as it is; else on its own. */
		if (parse && filter == NULL)
			ingest_hasher_start_feed(&hasher, fd, name);
		else
			ingest_hasher_start(&hasher, fd, name);
		bi.size = (uint64_t)st->st_size;
	} else {
		if (lseek(fd, 0, SEEK_SET) < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot seek '%s': %s", name,
			    strerror(errno));
			goto out;
		}
		if ((rc = blobw_new(s, o->level > 0 ? o->level : imp->zlevel,
		    &w, e)) < 0 ||
		    (rc = artifact_set_blob(s, id, blobw_id(w), e)) < 0)
			goto out;
		/* An uncompressed original is stored as the parser reads it
		 * (one pass: hashing and compressing run beside parsing);
		 * otherwise first, on its own. */
		if ((!parse || filter != NULL) &&
		    (rc = ingest_store_rest(run, w, fd, name, st, &bi, hex,
			 e)) < 0)
			goto out;
	}

	/* Parse. */
	if (parse) {
		struct ingest_srcimpl si;
		struct imp_src src;
		struct imp_ctx ctx;
		struct sink sink, queue = { NULL, NULL };
		struct arena job = ARENA_INIT, scratch = ARENA_INIT;
		struct ingest_known known = { NULL, 0 };
		struct imgfs_tree tree;

		memset(&si, 0, sizeof(si));
		memset(&tree, 0, sizeof(tree));
		si.fd = fd;
		si.budget = MAX(INGEST_DECOMP_FLOOR,
		    (uint64_t)st->st_size * INGEST_DECOMP_RATIO);
		if (lseek(fd, 0, SEEK_SET) < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot seek '%s'", name);
			goto out;
		}
		if (filter != NULL && strcmp(filter, "gzip") == 0) {
			si.gz = xmalloc(sizeof(*si.gz));
			ingest_gz_open(si.gz, fd);
		} else if (filter != NULL &&
		    (si.ar = ingest_filter_open(fd, name, e)) == NULL) {
			rc = DD_EFORMAT;
			goto out;
		}
		memset(&src, 0, sizeof(src));
		src.name = name;
		src.size = (uint64_t)st->st_size;
		src.filter = filter;
		src.impl = &si;
		sink_store_init(&sink, s);
		/* Parse on this thread; intern, encode, store and keep the
		 * original on the queue's. */
		if ((rc = sink_queue_start(&queue, &sink,
			 filter == NULL ? w : NULL, e)) < 0) {
			sink_store_release(&sink);
			goto out;
		}
		/* The string table's new rows wait for the queue's idle
		 * moments (early in a trace, when most strings are new, the
		 * queue's thread is the busier one). */
		sink_queue_idle(&queue, sink_store_idle, &sink);
		if (w != NULL && filter == NULL)
			si.tapq = &queue;
		if (o->reference && filter == NULL)
			si.feed = &hasher;
		memset(&ctx, 0, sizeof(ctx));
		ctx.src = &src;
		ctx.sink = &queue;
		ctx.job = &job;
		ctx.scratch = &scratch;
		ctx.artifact_id = id;
		ctx.opts = o->opts;
		ctx.parsed = true;
		if ((imp->kind & EV_IMAGE) &&
		    (rc = ingest_known_load(s, &known, e)) < 0) {
			sink_queue_stop(&queue);
			sink_store_release(&sink);
			goto out;
		}
		ctx.known = &known;
		if ((imp->flags & (IMP_CASE_CONTAINER | IMP_CASE_TREE))) {
			const char *c = ingest_opt(&ctx, imp, "container");
			char hint[256];
			if (c == NULL || *c == '\0') {
				ingest_container_hint(name, hint, sizeof(hint));
				c = hint;
			}
			if ((rc = imgfs_tree_load(s, c, ingest_opt(&ctx, imp,
				 "image"), (imp->flags & IMP_CASE_TREE) != 0,
				 INGEST_TREE_MAX, &tree, e)) < 0) {
				imgfs_tree_free(&tree);
				free(known.v);
				sink_queue_stop(&queue);
				sink_store_release(&sink);
				goto out;
			}
			ctx.tree = &tree;
		}
		ctx.full_verify = run->full_verify;
		src.mtime_ns = an.mtime;
		if (si.tapq != NULL) {
			ctx.progress = ingest_progress_blob;
			ctx.progress_user = run;
		}
		rc = imp->import(&ctx, e);
		if (rc == 0)
			rc = queue.ops->end(&queue, id, e);
		free(known.v);
		imgfs_tree_free(&tree);
		sink_queue_stop(&queue);
		sink_store_release(&sink);
		if (si.ar)
			archive_read_free(si.ar);
		if (si.gz) {
			ingest_gz_close(si.gz);
			free(si.gz);
		}
		arena_release(&job);
		arena_release(&scratch);
		run->res->anomalies += ctx.anomalies;
		if (rc < 0) {
			dd_err_prefix(e, "importing '%s' as %s", name,
			    imp->name);
			goto out;
		}
		/* The importer may stop before the end: store the rest. */
		if (si.tapq != NULL && (rc = ingest_store_rest(run, w, fd, name,
					   st, &bi, hex, e)) < 0)
			goto out;
		/* Layers taken for known ones by their names are proved
		 * by their chunks, now that the original is stored. */
		if ((imp->kind & EV_IMAGE) && !o->reference &&
		    (rc = imgfs_verify(s, id, e)) < 0)
			goto out;
		if (o->reference &&
		    (rc = ingest_hasher_join(&hasher, hex, e)) < 0)
			goto out;
		if ((rc = artifact_set_content(s, id, bi.size, hex, bi.id,
			 ctx.parsed, imp->name, e)) < 0)
			goto out;
	} else {
		if (o->reference &&
		    (rc = ingest_hasher_join(&hasher, hex, e)) < 0)
			goto out;
		if ((rc = artifact_set_content(s, id, bi.size, hex, bi.id,
			 false, imp->name, e)) < 0)
			goto out;
	}
	if (o->reference)
		hex_decode(hex, bi.sha256, SHA256_LEN);
	run->done_before += bi.size;
	run->res->filter = filter;
	*chosen = imp;
	*out_id = id;
	memcpy(sha, bi.sha256, SHA256_LEN);
	rc = 0;
out:
	if (hasher.started)
		pthread_join(hasher.th, NULL);
	blobw_free(w);
	free(head);
	return rc;
}

bool
ingest_path_late(const char *path, const char *as)
{
	const struct importer *imp = as != NULL ? ingest_find(as) : NULL;
	struct dd_err e = DD_ERR_INIT;
	struct ingest_guess g;
	struct stat st;
	uint8_t *head;
	const char *filter;
	size_t hn = 0;
	int fd;

	if (imp == NULL) {
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return false;
		head = xmalloc(INGEST_SNIFF_MAX);
		if (ingest_head(fd, path, NULL, head, &hn, &e) == 0 &&
		    (filter = ingest_filter_magic(head, hn)) != NULL &&
		    ingest_head(fd, path, filter, head, &hn, &e) < 0)
			hn = 0;
		close(fd);
		ingest_sniff_buf(head, hn, ingest_basename(path), &g);
		free(head);
		imp = g.imp;
	}
	return imp != NULL &&
	    (imp->flags & (IMP_CASE_CONTAINER | IMP_CASE_TREE)) != 0;
}

/* Undo a failed import: the current batch and the ones committed. */
static void
ingest_abandon(struct store *s)
{
	struct dd_err e2 = DD_ERR_INIT;

	store_rollback(s);
	store_remove_importing(s, &e2);
}

static char *
ingest_custody_detail(struct store *s, int64_t id, const char *name,
    const char *format, const char *sha, uint64_t size, bool reference,
    uint64_t anomalies, uint64_t members)
{
	json_t *o = json_object();
	char *txt;

	(void)s;
	json_object_set_new(o, "artifact", json_integer(id));
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "format", json_string(format));
	json_object_set_new(o, "sha256", json_string(sha));
	json_object_set_new(o, "size", json_integer((json_int_t)size));
	json_object_set_new(o, "reference", json_boolean(reference));
	json_object_set_new(o, "anomalies",
	    json_integer((json_int_t)anomalies));
	if (members)
		json_object_set_new(o, "members",
		    json_integer((json_int_t)members));
	txt = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(o);
	if (txt == NULL)
		BUG("jansson: cannot encode custody detail");
	return txt;
}

/* Finish: flip to complete and append custody in one transaction. */
static int
ingest_finish(struct ingest_run *run, int64_t id, const char *name,
    const char *format, uint64_t members, struct dd_err *e)
{
	struct ingest_result *res = run->res;
	char *detail;
	int rc;

	if ((rc = artifact_complete(run->s, id, e)) < 0)
		return rc;
	detail = ingest_custody_detail(run->s, id, name, format, res->sha256,
	    res->size, run->o->reference, res->anomalies, members);
	rc = custody_append(run->s, "ingest", detail, res->head, e);
	free(detail);
	if (rc < 0)
		return rc;
	return store_commit(run->s, e);
}

/* Make a member path safe for display and export: relative, no NULs. */
struct ingest_member {
	char *rel;  /* path inside the directory */
};

static int
ingest_member_cmp(const void *a, const void *b)
{
	const struct ingest_member *x = a, *y = b;

	return strcmp(x->rel, y->rel);
}

/* Collect regular files under dir (relative paths, no symlinks followed). */
static int
ingest_walk(const char *root, const char *rel, int depth,
    struct ingest_member **v, size_t *n, size_t *cap, struct sbuf *skipped,
    struct dd_err *e)
{
	char *path = rel[0] ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	struct dirent **ents = NULL;
	int k, i, rc = 0;

	if (depth > LIM_DIR_DEPTH) {
		free(path);
		return dd_err_set(e, DD_ELIMIT,
		    "'%s' nests directories deeper than %d", root,
		    LIM_DIR_DEPTH);
	}
	k = scandir(path, &ents, NULL, alphasort);
	if (k < 0) {
		rc = dd_err_set(e, DD_EIO, "cannot read directory '%s': %s",
		    path, strerror(errno));
		free(path);
		return rc;
	}
	for (i = 0; i < k; i++) {
		const char *nm = ents[i]->d_name;
		char *r2, *p2;
		struct stat sb;

		if (rc < 0 || strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
			continue;
		r2 = rel[0] ? xasprintf("%s/%s", rel, nm) : xstrdup(nm);
		p2 = xasprintf("%s/%s", root, r2);
		if (lstat(p2, &sb) < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot stat '%s': %s", p2,
			    strerror(errno));
		} else if (S_ISDIR(sb.st_mode)) {
			rc = ingest_walk(root, r2, depth + 1, v, n, cap,
			    skipped, e);
		} else if (S_ISREG(sb.st_mode)) {
			if (*n >= LIM_GROUP_MEMBERS) {
				rc = dd_err_set(e, DD_ELIMIT,
				    "'%s' holds more than %u files", root,
				    LIM_GROUP_MEMBERS);
			} else {
				if (*n == *cap) {
					*cap = *cap ? *cap * 2 : 64;
					*v = xreallocarray(*v, *cap,
					    sizeof(**v));
				}
				(*v)[(*n)++].rel = r2;
				r2 = NULL;
			}
		} else {
			sbuf_addf(skipped, "%s%s", skipped->len ? "\n" : "",
			    r2);
		}
		free(r2);
		free(p2);
	}
	for (i = 0; i < k; i++)
		free(ents[i]);
	free(ents);
	free(path);
	return rc;
}

/* Whether directory root holds regular files a and b. */
static bool
ingest_has_files(const char *root, const char *a, const char *b)
{
	char *pa = xasprintf("%s/%s", root, a);
	char *pb = xasprintf("%s/%s", root, b);
	struct stat sa, sb;
	bool yes = lstat(pa, &sa) == 0 && S_ISREG(sa.st_mode) &&
	    lstat(pb, &sb) == 0 && S_ISREG(sb.st_mode);

	free(pa);
	free(pb);
	return yes;
}

/* Whether directory root is an image layout: OCI's (an "oci-layout" file
 * and an index.json), or the containers/image "dir:" transport's (skopeo
 * copy ... dir:PATH, podman save --format docker-dir or oci-dir): a
 * "version" file saying "Directory Transport Version: ", the image's
 * manifest.json and its blobs named by their digests' hex. */
static bool
ingest_is_layout(const char *root)
{
	static const char mark[] = IMAGE_DIR_MARK;
	char head[sizeof(mark) - 1];
	char *v;
	int fd;
	bool yes;

	if (ingest_has_files(root, "oci-layout", "index.json"))
		return true;
	if (!ingest_has_files(root, "version", "manifest.json"))
		return false;
	v = xasprintf("%s/version", root);
	fd = open(v, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(v);
	yes = fd >= 0 && read(fd, head, sizeof(head)) == (ssize_t)sizeof(head) &&
	    memcmp(head, mark, sizeof(head)) == 0;
	if (fd >= 0)
		close(fd);
	return yes;
}

/* A container-runtime root's directory (Docker, containers/storage,
 * containerd): what the runtime importer reads from a tar of it. */
static bool
ingest_is_runtime_root(const char *root)
{
	static const char *const marks[][2] = {
		{ "overlay2", "image" }, { "aufs", "image" },
		{ "vfs-containers", NULL }, { "overlay-containers", NULL },
		{ "io.containerd.metadata.v1.bolt", NULL },
	};
	bool yes = false;

	for (size_t i = 0; i < ARRAY_SIZE(marks) && !yes; i++) {
		yes = true;
		for (int k = 0; k < 2 && marks[i][k] != NULL; k++) {
			char *p = xasprintf("%s/%s", root, marks[i][k]);
			struct stat sb;
			if (lstat(p, &sb) != 0 || !S_ISDIR(sb.st_mode))
				yes = false;
			free(p);
		}
	}
	return yes;
}

struct ingest_layout_files {
	const char *root;
	const struct ingest_member *v;
};

static int
ingest_layout_open(void *user, size_t i, int *fd, uint64_t *size,
    struct dd_err *e)
{
	struct ingest_layout_files *lf = user;
	char *p = xasprintf("%s/%s", lf->root, lf->v[i].rel);
	struct stat sb;

	*fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd < 0 || fstat(*fd, &sb) < 0) {
		int rc = dd_err_set(e, DD_EIO, "cannot open '%s': %s", p,
		    strerror(errno));
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		free(p);
		return rc;
	}
	*size = (uint64_t)sb.st_size;
	free(p);
	return 0;
}

/* Read the members of group gid (an OCI image layout at path) as one
 * image archive. */
static int
ingest_layout(struct ingest_run *run, const char *path, int64_t gid,
    const struct ingest_member *v, size_t n, uint64_t total,
    struct dd_err *e)
{
	struct imp_src src;
	struct imp_ctx ctx;
	struct sink sink;
	struct arena job = ARENA_INIT, scratch = ARENA_INIT;
	struct ingest_known known = { NULL, 0 };
	const char **rel = xreallocarray(NULL, n ? n : 1, sizeof(*rel));
	int rc;

	for (size_t i = 0; i < n; i++)
		rel[i] = v[i].rel;
	memset(&src, 0, sizeof(src));
	src.name = path;
	src.size = total;
	src.mtime_ns = -1;
	sink_store_init(&sink, run->s);
	memset(&ctx, 0, sizeof(ctx));
	ctx.src = &src;
	ctx.sink = &sink;
	ctx.job = &job;
	ctx.scratch = &scratch;
	ctx.artifact_id = gid;
	ctx.opts = run->o->opts;
	ctx.parsed = true;
	ctx.known = &known;
	rc = ingest_known_load(run->s, &known, e);
	if (rc == 0) {
		struct ingest_layout_files lf = { path, v };
		rc = image_import_dir(&ctx, rel, n, ingest_layout_open, &lf,
		    e);
	}
	if (rc == 0)
		rc = sink.ops->end(&sink, gid, e);
	free(known.v);
	sink_store_release(&sink);
	arena_release(&job);
	arena_release(&scratch);
	run->res->anomalies += ctx.anomalies;
	free(rel);
	if (rc < 0)
		dd_err_prefix(e, "importing '%s' as an image layout", path);
	return rc;
}

static int
ingest_group(struct ingest_run *run, const char *path, const struct stat *st,
    struct dd_err *e)
{
	struct store *s = run->s;
	struct ingest_result *res = run->res;
	struct ingest_member *v = NULL;
	struct sbuf skipped = SBUF_INIT;
	struct artifact_new an;
	struct sha *merkle = sha_new();
	uint8_t d[SHA256_LEN];
	char *abs = NULL;
	size_t n = 0, cap = 0, i;
	int64_t gid = 0;
	uint64_t total = 0;
	struct ingest_opts raw_opts;
	const struct ingest_opts *saved_opts = NULL;
	bool layout = false;
	int rc;

	sbuf_init(&skipped, 1 << 20);
	if ((rc = ingest_walk(path, "", 0, &v, &n, &cap, &skipped, e)) < 0)
		goto out;
	if (n == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "directory '%s' holds no regular files: nothing to import",
		    path);
		goto out;
	}
	qsort(v, n, sizeof(*v), ingest_member_cmp);
	for (i = 0; i < n; i++) {
		struct stat sb;
		char *p = xasprintf("%s/%s", path, v[i].rel);
		if (stat(p, &sb) == 0)
			total += (uint64_t)sb.st_size;
		free(p);
	}
	run->total = total;
	abs = realpath(path, NULL);

	if ((rc = store_begin(s, e)) < 0)
		goto out;
	memset(&an, 0, sizeof(an));
	an.name = path;
	an.format = "group";
	an.importer = "group";
	an.importer_version = "1";
	an.source_path = abs;
	an.reference = run->o->reference;
	an.mode = (int64_t)st->st_mode;
	an.mtime = -1;
	if ((rc = artifact_begin(s, &an, &gid, e)) < 0)
		goto fail;
	/* An OCI image layout: its blobs are kept as they are (raw), then
	 * read together as one image archive. */
	layout = (run->o->as == NULL || strcmp(run->o->as, "image") == 0) &&
	    ingest_is_layout(path);
	if (layout) {
		raw_opts = *run->o;
		raw_opts.as = "raw";
		saved_opts = run->o;
		run->o = &raw_opts;
	}
	artifact_group_hash_init(merkle);
	for (i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", path, v[i].rel);
		char *ap = abs ? xasprintf("%s/%s", abs, v[i].rel) : NULL;
		const struct importer *imp = NULL;
		uint8_t msha[SHA256_LEN];
		struct stat sb;
		int64_t mid = 0;
		int fd;

		fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0 || fstat(fd, &sb) < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot open '%s': %s", p,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			free(p);
			free(ap);
			goto fail;
		}
		run->display = p;
		rc = ingest_one(run, fd, v[i].rel, ap, &sb, gid, &imp, &mid,
		    msha, e);
		close(fd);
		free(ap);
		if (rc < 0) {
			dd_err_prefix(e, "member '%s'", v[i].rel);
			free(p);
			goto fail;
		}
		free(p);
		artifact_group_hash_add(merkle, v[i].rel, msha);
		res->size += 0;
		res->members++;
	}
	if (layout) {
		run->o = saved_opts;
		if ((rc = ingest_layout(run, path, gid, v, n, total, e)) < 0)
			goto fail;
	}
	if ((rc = sink_store_merge_group(s, gid, e)) < 0)
		goto fail;
	sha_final(merkle, d);
	hex_encode(d, SHA256_LEN, res->sha256);
	res->size = total;
	{
		/* Record skipped special files as anomalies of the group. */
		char *q = skipped.buf, *nl;
		struct sink sink;
		sink_store_init(&sink, s);
		if (ingest_is_runtime_root(path)) {
			/* its files are kept, but drift needs the tree with
			 * its whiteouts and attributes in one tar */
			rc = sink.ops->anomaly(&sink, gid, -1, "a container-"
			    "runtime root as a directory: its files are kept "
			    "one by one, with no drift; for drift, copy it "
			    "with datasets/collect/runtime-root.sh -r DIR "
			    "OUT.tar and ingest the tar", e);
			if (rc < 0) {
				sink_store_release(&sink);
				goto fail;
			}
			res->anomalies++;
		}
		while (skipped.len && q && *q) {
			char msg[600];
			struct sbuf disp = SBUF_INIT;
			nl = strchr(q, '\n');
			if (nl)
				*nl = '\0';
			sbuf_init(&disp, 400);
			esc_display(&disp, q, strlen(q));
			snprintf(msg, sizeof(msg),
			    "skipped '%s': not a regular file or directory",
			    disp.buf);
			sbuf_release(&disp);
			rc = sink.ops->anomaly(&sink, gid, -1, msg, e);
			if (rc < 0) {
				sink_store_release(&sink);
				goto fail;
			}
			res->anomalies++;
			q = nl ? nl + 1 : NULL;
		}
		sink_store_release(&sink);
	}
	if ((rc = artifact_set_content(s, gid, total, res->sha256, 0, true,
		 "group", e)) < 0)
		goto fail;
	{
		int64_t other = 0;
		char *oname = NULL;
		rc = artifact_find_identical(s, total, res->sha256, true,
		    &other, &oname, e);
		if (rc < 0)
			goto fail;
		if (rc == 1) {
			/* Already here: drop what we wrote. */
			store_rollback(s);
			if ((rc = store_remove_importing(s, e)) < 0) {
				free(oname);
				goto out;
			}
			res->identical = true;
			res->artifact_id = other;
			res->new_bytes = 0;
			free(oname);
			rc = 0;
			goto out;
		}
	}
	res->artifact_id = gid;
	res->group = true;
	res->format = "group";
	res->parsed = true;
	if ((rc = ingest_finish(run, gid, path, "group", n, e)) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	ingest_abandon(s);
out:
	for (i = 0; i < n; i++)
		free(v[i].rel);
	free(v);
	free(abs);
	sbuf_release(&skipped);
	sha_free(merkle);
	return rc;
}

int
ingest_path(struct store *s, const char *path, const struct ingest_opts *o,
    struct ingest_result *res, struct dd_err *e)
{
	struct ingest_run run;
	const struct importer *imp = NULL;
	uint8_t sha[SHA256_LEN];
	struct stat st;
	char *abs = NULL;
	int64_t id = 0;
	int fd = -1, rc;

	memset(res, 0, sizeof(*res));
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.o = o;
	run.res = res;
	run.display = path;

	if (stat(path, &st) < 0)
		return dd_err_set(e, DD_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ingest_group(&run, path, &st, e);
	if (!S_ISREG(st.st_mode))
		return dd_err_set(e, DD_EUNSUP,
		    "'%s' is not a regular file or directory", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return dd_err_set(e, DD_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = dd_err_set(e, DD_EIO, "cannot stat '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	if (st.st_size == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' is empty (0 bytes): nothing to import", path);
		goto out;
	}
	run.total = (uint64_t)st.st_size;

	/* Identical evidence: exit 0, say so, add nothing. Only hash up
	 * front when an artifact of the same size and the same last bytes
	 * exists. */
	if (artifact_maybe_identical(s, (uint64_t)st.st_size, fd)) {
		char hex[SHA256_HEX], *oname = NULL;
		int64_t other;
		if ((rc = ingest_hash_fd(fd, path, hex, e)) < 0)
			goto out;
		rc = artifact_find_identical(s, (uint64_t)st.st_size, hex,
		    false, &other, &oname, e);
		if (rc < 0)
			goto out;
		if (rc == 1) {
			res->identical = true;
			res->artifact_id = other;
			res->size = (uint64_t)st.st_size;
			memcpy(res->sha256, hex, SHA256_HEX);
			free(oname);
			rc = 0;
			goto out;
		}
	}

	abs = realpath(path, NULL);
	if ((rc = store_begin(s, e)) < 0)
		goto out;
	rc = ingest_one(&run, fd, path, abs, &st, 0, &imp, &id, sha, e);
	if (rc == DD_ERETRY) {
		/* A layer's chunk proof failed: again, hashing every one. */
		ingest_abandon(s);
		*e = (struct dd_err)DD_ERR_INIT;
		res->anomalies = res->new_bytes = 0;
		run.done_before = 0;
		run.full_verify = true;
		if ((rc = store_begin(s, e)) < 0)
			goto out;
		rc = ingest_one(&run, fd, path, abs, &st, 0, &imp, &id, sha,
		    e);
	}
	if (rc < 0)
		goto fail;
	res->artifact_id = id;
	res->format = imp->name;
	res->parsed = imp->import != NULL && !(imp->flags & IMP_NOPARSE);
	res->size = (uint64_t)st.st_size;
	hex_encode(sha, SHA256_LEN, res->sha256);
	if ((rc = ingest_finish(&run, id, path, imp->name, 0, e)) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	ingest_abandon(s);
out:
	free(abs);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
ingest_buffer(const struct importer *imp, const uint8_t *data, size_t len,
    const char *name, struct sink *sink, const char *const *opts,
    uint64_t *anomalies, struct dd_err *e)
{
	return ingest_buffer_tree(imp, data, len, name, sink, opts, NULL,
	    anomalies, e);
}

int
ingest_buffer_tree(const struct importer *imp, const uint8_t *data,
    size_t len, const char *name, struct sink *sink, const char *const *opts,
    const struct imgfs_tree *tree, uint64_t *anomalies, struct dd_err *e)
{
	struct ingest_srcimpl si;
	struct imp_src src;
	struct imp_ctx ctx;
	struct arena job = ARENA_INIT, scratch = ARENA_INIT;
	int rc;

	memset(&si, 0, sizeof(si));
	si.fd = -1;
	si.mem = data ? data : (const uint8_t *)"";
	si.memlen = data ? len : 0;
	si.budget = UINT64_MAX;
	memset(&src, 0, sizeof(src));
	src.name = name;
	src.size = len;
	src.mtime_ns = -1;
	src.impl = &si;
	memset(&ctx, 0, sizeof(ctx));
	ctx.src = &src;
	ctx.sink = sink;
	ctx.job = &job;
	ctx.scratch = &scratch;
	ctx.artifact_id = 0;
	ctx.opts = opts;
	ctx.parsed = true;
	ctx.tree = tree;
	rc = imp->import(&ctx, e);
	if (rc == 0 && sink->ops->end != NULL)
		rc = sink->ops->end(sink, 0, e);
	arena_release(&job);
	arena_release(&scratch);
	if (anomalies)
		*anomalies = ctx.anomalies;
	return rc;
}
