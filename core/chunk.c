/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chunk.c: chunk store, blob writer pipeline, blob readers. See chunk.h.
 *
 * Stored chunk (table chunks):
 *   hash     SHA-256 of the raw bytes (the key)
 *   raw_len  raw size, 1..LIM_CHUNK_SIZE
 *   codec    0 stored, 1 one zstd frame with its content size
 *   data     the encoded bytes
 */
#include "core/common.h"
#include "core/chunk.h"

#include <pthread.h>
#include <unistd.h>

#include <sqlite3.h>
#include <zstd.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/store.h"
#include "core/xmalloc.h"

enum { CODEC_STORED = 0, CODEC_ZSTD = 1 };
enum { JOB_ENCODE, JOB_DECODE, JOB_ZSTD };

/* One unit of work for the pool. in/out are owned by the submitter. */
struct chunk_job {
	int kind;
	const uint8_t *in;
	size_t inlen;
	uint8_t *out;
	size_t outcap;
	size_t outlen;
	int level;
	int codec;
	int64_t raw_len;
	uint8_t hash[SHA256_LEN];
	int rc;
	bool done;
	bool known;		/* ENCODE: the case holds it: not encoded */
	const uint8_t (*kv)[32]; /* ENCODE: sorted known hashes, or NULL */
	size_t kn;
	struct chunk_whole *whole; /* ENCODE: the blob's hash to feed, or NULL */
	uint64_t seq;		/* ENCODE: the chunk's place in its blob */
	struct chunk_job *next;
};

/* A blob's own SHA-256, fed by the workers with each chunk's bytes in
 * blob order (in the same pass as the chunk's own hash, before its
 * encoding), so the writer's thread does not hash every byte a second
 * time. Jobs leave the queue in
 * the order they were submitted, so the job a worker waits for is already
 * running on another worker (or done): no deadlock. */
struct chunk_whole {
	pthread_mutex_t mu;
	pthread_cond_t fed;
	struct sha *sha;
	uint64_t next; /* seq of the next chunk to feed */
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t work;
	pthread_cond_t done;
	struct chunk_job *head, *tail;
	int nthreads;
} chunk_pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
	PTHREAD_COND_INITIALIZER, NULL, NULL, 0 };
static pthread_once_t chunk_pool_once = PTHREAD_ONCE_INIT;

size_t
chunk_encode_bound(size_t n)
{
	return ZSTD_compressBound(n);
}

/*
 * Encrypted, compressed or random content (TLS payloads, media, packed
 * binaries) does not compress, and zstd spends most of a chunk's time
 * finding that out. Three 8 KiB samples (start, middle, end) of a large
 * chunk compressed at level 1 decide first: if none shrinks by 1/16, the
 * chunk is stored. A chunk that mixes content is compressed as before
 * (any sample that shrinks sends it to zstd). Packet headers between
 * random payloads shrink a sample by 2-5% and the whole chunk by 1-2%:
 * not worth zstd's time (on 512 MiB of random-payload loopback traffic
 * half the chunks went to zstd at 2% for 1.3% of the size; see
 * tests/bench/README.md, pcap).
 */
#define CHUNK_SAMPLE 8192u
static bool
chunk_incompressible(ZSTD_CCtx *cctx, const uint8_t *raw, size_t n,
    void *out, size_t cap)
{
	size_t at[3], i, z;

	if (n < 16 * CHUNK_SAMPLE || cap < ZSTD_compressBound(CHUNK_SAMPLE))
		return false;
	at[0] = 0;
	at[1] = n / 2 - CHUNK_SAMPLE / 2;
	at[2] = n - CHUNK_SAMPLE;
	for (i = 0; i < 3; i++) {
		z = ZSTD_compressCCtx(cctx, out, cap, raw + at[i], CHUNK_SAMPLE,
		    1);
		if (ZSTD_isError(z) || z < CHUNK_SAMPLE - CHUNK_SAMPLE / 16)
			return false;
	}
	return true;
}

/* The calling thread's compression context (one per pool worker and per
 * writer thread, kept for the process's life). */
static ZSTD_CCtx *
chunk_cctx(void)
{
	static _Thread_local ZSTD_CCtx *cctx;

	if (cctx == NULL && (cctx = ZSTD_createCCtx()) == NULL)
		BUG("zstd: cannot create a context");
	return cctx;
}

/*
 * Level 1 (the originals of text logs: strace, audit, container logs,
 * LID-DS) with zstd's hash table at 2^12 entries rather than the 2^14 it
 * picks for a 1 MiB chunk: the table stays in the core's L1/L2 cache. On
 * a 301 MiB strace trace in 1 MiB chunks: 0.30 s and 29.16 MB against
 * 0.33 s and 29.76 MB (ARCHITECTURE.md, Events).
 */
static size_t
chunk_zcompress(ZSTD_CCtx *cctx, void *out, size_t cap, const void *in,
    size_t n, int level)
{
	size_t r;

	if (level != 1)
		return ZSTD_compressCCtx(cctx, out, cap, in, n, level);
	if (ZSTD_isError(r = ZSTD_CCtx_reset(cctx, ZSTD_reset_parameters)) ||
	    ZSTD_isError(r = ZSTD_CCtx_setParameter(cctx,
			     ZSTD_c_compressionLevel, 1)) ||
	    ZSTD_isError(r = ZSTD_CCtx_setParameter(cctx, ZSTD_c_hashLog,
			     12)))
		return r;
	return ZSTD_compress2(cctx, out, cap, in, n);
}

/* chunk_encode without the copy of a stored chunk: CODEC_STORED means the
 * chunk is raw[0..n) itself and out holds nothing. */
static int
chunk_encode_ref(const void *raw, size_t n, int level, void *out, size_t cap,
    size_t *olen)
{
	ZSTD_CCtx *cctx = chunk_cctx();
	size_t z;

	if (chunk_incompressible(cctx, raw, n, out, cap))
		z = n; /* stored: see chunk_incompressible */
	else
		z = chunk_zcompress(cctx, out, cap, raw, n,
		    level > 0 ? level : 3);
	if (ZSTD_isError(z) || z >= n) {
		/* Incompressible (or, impossibly, an error): store raw. */
		*olen = n;
		return CODEC_STORED;
	}
	*olen = z;
	return CODEC_ZSTD;
}

int
chunk_encode(const void *raw, size_t n, int level, void *out, size_t cap,
    size_t *olen)
{
	int codec = chunk_encode_ref(raw, n, level, out, cap, olen);

	if (codec == CODEC_STORED) {
		if (n > cap)
			BUG("chunk output too small");
		memcpy(out, raw, n);
	}
	return codec;
}

int
chunk_decode(int codec, int64_t raw_len, const void *data, size_t dlen,
    void *buf, size_t cap, size_t *len, struct dd_err *e)
{
	static _Thread_local ZSTD_DCtx *dctx;
	unsigned long long fcs;
	size_t z;

	*len = 0;
	if (raw_len < 0 || (uint64_t)raw_len > LIM_CHUNK_MAX ||
	    (size_t)raw_len > cap)
		return dd_err_set(e, DD_ECORRUPT,
		    "chunk claims %" PRId64 " bytes (cap %u)", raw_len,
		    LIM_CHUNK_MAX);
	if (codec == CODEC_STORED) {
		if (dlen != (size_t)raw_len)
			return dd_err_set(e, DD_ECORRUPT,
			    "stored chunk holds %zu bytes, expected %" PRId64,
			    dlen, raw_len);
		if (dlen)
			memcpy(buf, data, dlen);
		*len = dlen;
		return 0;
	}
	if (codec != CODEC_ZSTD)
		return dd_err_set(e, DD_ECORRUPT, "unknown chunk codec %d",
		    codec);
	fcs = ZSTD_getFrameContentSize(data, dlen);
	if (fcs != (unsigned long long)raw_len)
		return dd_err_set(e, DD_ECORRUPT,
		    "zstd frame content size does not match the chunk's "
		    "length %" PRId64,
		    raw_len);
	if (dctx == NULL && (dctx = ZSTD_createDCtx()) == NULL)
		BUG("zstd: cannot create a context");
	z = ZSTD_decompressDCtx(dctx, buf, (size_t)raw_len, data, dlen);
	if (ZSTD_isError(z))
		return dd_err_set(e, DD_ECORRUPT, "zstd: %s",
		    ZSTD_getErrorName(z));
	if (z != (size_t)raw_len)
		return dd_err_set(e, DD_ECORRUPT,
		    "chunk decompressed to %zu bytes, expected %" PRId64, z,
		    raw_len);
	*len = z;
	return 0;
}

static int
chunk_hash_cmp(const void *a, const void *b)
{
	return memcmp(a, b, SHA256_LEN);
}

/* Most chunk hashes a writer loads to skip re-encoding (128 MiB). */
#define CHUNK_KNOWN_MAX (4u << 20)

/* Load the case's chunk hashes once per store handle (a case of a few
 * GiB has a few thousand). */
static void
chunk_known_load(struct store *s)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;

	if (s->known_loaded)
		return;
	s->known_loaded = true;
	if (sqlite3_prepare_v2(s->db, "SELECT hash FROM chunks", -1, &st,
		NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != SHA256_LEN)
			continue;
		if (s->nknown == CHUNK_KNOWN_MAX) {
			free(s->known); /* too many: no probe at all */
			s->known = NULL;
			s->nknown = 0;
			break;
		}
		if (s->nknown == cap) {
			cap = cap ? cap * 2 : 1024;
			s->known = xreallocarray(s->known, cap,
			    sizeof(*s->known));
		}
		memcpy(s->known[s->nknown++], sqlite3_column_blob(st, 0),
		    SHA256_LEN);
	}
	sqlite3_finalize(st);
	if (s->nknown > 1)
		qsort(s->known, s->nknown, sizeof(*s->known), chunk_hash_cmp);
}

/* The chunk's own hash into hash, and its bytes into the blob's hash in
 * blob order. With few workers (CPU time is the limit) one pass over the
 * bytes does both (sha_update_digest); with four or more, the chunks'
 * own hashes run in parallel first and only the blob's is in order (one
 * stream of the fused pass, 1.05 GB/s here, would cap a blob's rate
 * below the 1.3 GB/s of the blob's digest alone). */
static void
chunk_whole_feed(struct chunk_whole *wh, uint64_t seq, const uint8_t *p,
    size_t n, uint8_t hash[SHA256_LEN])
{
	bool fused = chunk_pool.nthreads < 4;

	if (!fused)
		sha256(p, n, hash);
	pthread_mutex_lock(&wh->mu);
	while (wh->next != seq)
		pthread_cond_wait(&wh->fed, &wh->mu);
	pthread_mutex_unlock(&wh->mu);
	if (fused)
		sha_update_digest(wh->sha, p, n, hash);
	else
		sha_update(wh->sha, p, n);
	pthread_mutex_lock(&wh->mu);
	wh->next++;
	pthread_cond_broadcast(&wh->fed);
	pthread_mutex_unlock(&wh->mu);
}

static void
chunk_job_run(struct chunk_job *j)
{
	if (j->kind == JOB_ENCODE) {
		if (j->whole != NULL)
			chunk_whole_feed(j->whole, j->seq, j->in, j->inlen,
			    j->hash);
		else
			sha256(j->in, j->inlen, j->hash);
		j->known = j->kn > 0 && bsearch(j->hash, j->kv, j->kn,
		    sizeof(*j->kv), chunk_hash_cmp) != NULL;
		if (!j->known)
			j->codec = chunk_encode_ref(j->in, j->inlen, j->level,
			    j->out, j->outcap, &j->outlen);
		j->rc = 0;
	} else if (j->kind == JOB_ZSTD) {
		size_t z = chunk_zcompress(chunk_cctx(), j->out, j->outcap,
		    j->in, j->inlen, j->level);
		j->rc = ZSTD_isError(z) ? -1 : 0;
		j->outlen = ZSTD_isError(z) ? 0 : z;
	} else {
		j->rc = chunk_decode(j->codec, j->raw_len, j->in, j->inlen,
		    j->out, j->outcap, &j->outlen, NULL);
	}
}

static void *
chunk_worker(void *arg)
{
	struct chunk_job *j;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&chunk_pool.mu);
		while (chunk_pool.head == NULL)
			pthread_cond_wait(&chunk_pool.work, &chunk_pool.mu);
		j = chunk_pool.head;
		chunk_pool.head = j->next;
		if (chunk_pool.head == NULL)
			chunk_pool.tail = NULL;
		pthread_mutex_unlock(&chunk_pool.mu);

		chunk_job_run(j);

		pthread_mutex_lock(&chunk_pool.mu);
		j->done = true;
		pthread_cond_broadcast(&chunk_pool.done);
		pthread_mutex_unlock(&chunk_pool.mu);
	}
	return NULL;
}

static void
chunk_pool_start(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	const char *env = getenv("DRYDOCK_THREADS");
	pthread_attr_t at;
	pthread_t th;
	int64_t v;

	if (env != NULL && parse_i64(env, &v) && v >= 0 && v <= 64)
		n = (long)v;
	if (n < 0)
		n = 1;
	if (n > 16)
		n = 16;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < n; i++) {
		if (pthread_create(&th, &at, chunk_worker, NULL) != 0)
			break;
		chunk_pool.nthreads++;
	}
	pthread_attr_destroy(&at);
}

/* Queue j, or run it inline when there are no workers. */
static void
chunk_submit(struct chunk_job *j)
{
	pthread_once(&chunk_pool_once, chunk_pool_start);
	j->done = false;
	j->next = NULL;
	if (chunk_pool.nthreads == 0) {
		chunk_job_run(j);
		j->done = true;
		return;
	}
	pthread_mutex_lock(&chunk_pool.mu);
	if (chunk_pool.tail)
		chunk_pool.tail->next = j;
	else
		chunk_pool.head = j;
	chunk_pool.tail = j;
	pthread_cond_signal(&chunk_pool.work);
	pthread_mutex_unlock(&chunk_pool.mu);
}

static void
chunk_wait(struct chunk_job *j)
{
	pthread_mutex_lock(&chunk_pool.mu);
	while (!j->done)
		pthread_cond_wait(&chunk_pool.done, &chunk_pool.mu);
	pthread_mutex_unlock(&chunk_pool.mu);
}

/* ---- compression on the pool (event chunks) ---- */

struct chunk_zjob *
chunk_zstart(const void *in, size_t n, int level)
{
	struct chunk_job *j = xcalloc(1, sizeof(*j));

	j->kind = JOB_ZSTD;
	j->in = in;
	j->inlen = n;
	j->outcap = ZSTD_compressBound(n);
	j->out = xmalloc(j->outcap);
	j->level = level > 0 ? level : 3;
	chunk_submit(j);
	return (struct chunk_zjob *)j;
}

int
chunk_zwait(struct chunk_zjob *zj, const void **out, size_t *outlen,
    struct dd_err *e)
{
	struct chunk_job *j = (struct chunk_job *)zj;

	chunk_wait(j);
	*out = j->out;
	*outlen = j->outlen;
	if (j->rc < 0)
		return dd_err_set(e, DD_EINTERNAL, "zstd: cannot compress "
						   "%zu bytes",
		    j->inlen);
	return 0;
}

void
chunk_zfree(struct chunk_zjob *zj)
{
	struct chunk_job *j = (struct chunk_job *)zj;

	if (j == NULL)
		return;
	chunk_wait(j);
	free(j->out);
	free(j);
}

/* ---- blob writer ---- */

struct blobw_slot {
	uint8_t *raw;	/* LIM_CHUNK_SIZE bytes, allocated on first use */
	size_t len;	/* bytes filled */
	uint8_t *z;	/* encode output */
	size_t zcap;
	uint64_t off;	/* offset of raw[0] in the blob */
	struct chunk_job job;
};

struct blobw {
	struct store *s;
	int level;
	int64_t blob_id;
	struct chunk_whole whole; /* the blob's SHA-256 (chunk_whole_feed) */
	uint64_t submitted;	/* chunks submitted (the next job's seq) */
	uint64_t size;
	struct blobw_slot slot[LIM_PIPE_DEPTH];
	unsigned head;	/* oldest in-flight slot */
	unsigned count; /* slots in flight */
	uint64_t new_chunks, new_bytes;
	bool failed;
};

int
blobw_new(struct store *s, int level, struct blobw **out, struct dd_err *e)
{
	struct blobw *w;
	sqlite3_stmt *st;

	*out = NULL;
	st = store_stmt(s, "INSERT INTO blobs(size) VALUES (0)", e);
	if (st == NULL || store_step_done(s, st, e) < 0)
		return DD_ESQL;
	chunk_known_load(s);
	w = xcalloc(1, sizeof(*w));
	w->s = s;
	w->level = level;
	w->blob_id = store_last_id(s);
	pthread_mutex_init(&w->whole.mu, NULL);
	pthread_cond_init(&w->whole.fed, NULL);
	w->whole.sha = sha_new();
	*out = w;
	return 0;
}

int64_t
blobw_id(const struct blobw *w)
{
	return w->blob_id;
}

/* Insert the finished chunk of slot sl and its part. */
static int
blobw_store(struct blobw *w, struct blobw_slot *sl, struct dd_err *e)
{
	struct store *s = w->s;
	sqlite3_stmt *st;
	int64_t cid;

	if (!sl->job.known) {
		st = store_stmt(s,
		    "INSERT INTO chunks(hash, raw_len, codec, data) VALUES (?, "
		    "?, ?, ?) ON CONFLICT(hash) DO NOTHING",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_blob(st, 1, sl->job.hash, SHA256_LEN,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, (int64_t)sl->len);
		sqlite3_bind_int(st, 3, sl->job.codec);
		sqlite3_bind_blob(st, 4,
		    sl->job.codec == CODEC_STORED ? sl->raw : sl->z,
		    (int)sl->job.outlen, SQLITE_STATIC);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
	}
	if (!sl->job.known && sqlite3_changes(s->db) > 0) {
		cid = store_last_id(s);
		w->new_chunks++;
		w->new_bytes += sl->job.outlen;
	} else {
		st = store_stmt(s, "SELECT id FROM chunks WHERE hash = ?", e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_blob(st, 1, sl->job.hash, SHA256_LEN,
		    SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			return store_sqlerr(s, e, "finding a chunk");
		}
		cid = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	st = store_stmt(s,
	    "INSERT INTO blob_parts(blob_id, off, len, chunk_id, chunk_off) "
	    "VALUES (?, ?, ?, ?, 0)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, w->blob_id);
	sqlite3_bind_int64(st, 2, (int64_t)sl->off);
	sqlite3_bind_int64(st, 3, (int64_t)sl->len);
	sqlite3_bind_int64(st, 4, cid);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	/* About 64 chunks (64 MiB raw) per batch transaction. */
	if (s->in_tx)
		return store_tick(s, 20000 / 64, e);
	return 0;
}

/* Wait for and store the oldest in-flight slot. */
static int
blobw_retire(struct blobw *w, struct dd_err *e)
{
	struct blobw_slot *sl = &w->slot[w->head];
	int rc;

	chunk_wait(&sl->job);
	w->head = (w->head + 1) % LIM_PIPE_DEPTH;
	w->count--;
	rc = blobw_store(w, sl, e);
	sl->len = 0;
	return rc;
}

/* Slot buffers freed by finished writers, for the next ones: an import
 * of many blobs (image layers' files, -ff sets) then touches its slots'
 * pages once per process, not once per blob (a first touch costs a page
 * fault, 10 µs and more on virtual machines). At most 2 * LIM_PIPE_DEPTH
 * pairs are kept. */
static struct {
	pthread_mutex_t mu;
	uint8_t *raw[2 * LIM_PIPE_DEPTH], *z[2 * LIM_PIPE_DEPTH];
	unsigned n;
} slot_cache = { PTHREAD_MUTEX_INITIALIZER, { NULL }, { NULL }, 0 };

static struct blobw_slot *
blobw_fill_slot(struct blobw *w)
{
	struct blobw_slot *sl =
	    &w->slot[(w->head + w->count) % LIM_PIPE_DEPTH];

	if (sl->raw == NULL) {
		sl->zcap = chunk_encode_bound(LIM_CHUNK_SIZE);
		pthread_mutex_lock(&slot_cache.mu);
		if (slot_cache.n > 0) {
			slot_cache.n--;
			sl->raw = slot_cache.raw[slot_cache.n];
			sl->z = slot_cache.z[slot_cache.n];
		}
		pthread_mutex_unlock(&slot_cache.mu);
		if (sl->raw == NULL) {
			sl->raw = xmalloc(LIM_CHUNK_SIZE);
			sl->z = xmalloc(sl->zcap);
		}
	}
	return sl;
}

/* Give a slot's buffers to the cache, or free them. */
static void
blobw_drop_slot(struct blobw_slot *sl)
{
	if (sl->raw == NULL)
		return;
	pthread_mutex_lock(&slot_cache.mu);
	if (slot_cache.n < ARRAY_SIZE(slot_cache.raw)) {
		slot_cache.raw[slot_cache.n] = sl->raw;
		slot_cache.z[slot_cache.n] = sl->z;
		slot_cache.n++;
		sl->raw = sl->z = NULL;
	}
	pthread_mutex_unlock(&slot_cache.mu);
	free(sl->raw);
	free(sl->z);
	sl->raw = sl->z = NULL;
}

/* Queue the encoding (and hashing) of slot sl, the one being filled. */
static void
blobw_encode(struct blobw *w, struct blobw_slot *sl)
{
	memset(&sl->job, 0, sizeof(sl->job));
	sl->job.kind = JOB_ENCODE;
	sl->job.kv = (const uint8_t (*)[32])w->s->known;
	sl->job.kn = w->s->nknown;
	sl->job.in = sl->raw;
	sl->job.inlen = sl->len;
	sl->job.out = sl->z;
	sl->job.outcap = sl->zcap;
	sl->job.level = w->level;
	sl->job.whole = &w->whole;
	sl->job.seq = w->submitted++;
	chunk_submit(&sl->job);
	w->count++;
}

/* Submit the slot being filled and make room for the next. */
static int
blobw_submit(struct blobw *w, struct dd_err *e)
{
	blobw_encode(w, blobw_fill_slot(w));
	if (w->count == LIM_PIPE_DEPTH)
		return blobw_retire(w, e);
	return 0;
}

int
blobw_cut(struct blobw *w, uint64_t off, struct dd_err *e)
{
	struct blobw_slot *sl;

	if (w->failed)
		return dd_err_set(e, DD_EINTERNAL, "blob writer failed");
	if (off != w->size)
		return 0;
	sl = blobw_fill_slot(w);
	if (sl->len == 0)
		return 0;
	if (blobw_submit(w, e) < 0) {
		w->failed = true;
		return e ? e->code : DD_ESQL;
	}
	return 0;
}

int
blobw_write_pread(struct blobw *w, int fd, uint64_t off, size_t n,
    struct dd_err *e)
{
	struct blobw_slot *sl;

	if (w->failed)
		return dd_err_set(e, DD_EINTERNAL, "blob writer failed");
	while (n > 0) {
		size_t k;
		ssize_t got;
		sl = blobw_fill_slot(w);
		if (sl->len == 0)
			sl->off = w->size;
		k = MIN(n, LIM_CHUNK_SIZE - sl->len);
		got = pread(fd, sl->raw + sl->len, k, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			w->failed = true;
			return dd_err_set(e, DD_EIO,
			    "cannot read the original again at offset %" PRIu64
			    ": %s", off, got < 0 ? strerror(errno) :
			    "it is shorter than it was (changed while read?)");
		}
		sl->len += (size_t)got;
		w->size += (uint64_t)got;
		off += (uint64_t)got;
		n -= (size_t)got;
		if (sl->len == LIM_CHUNK_SIZE && blobw_submit(w, e) < 0) {
			w->failed = true;
			return e ? e->code : DD_ESQL;
		}
	}
	return 0;
}

int
blobw_write(struct blobw *w, const void *p, size_t n, struct dd_err *e)
{
	const uint8_t *b = p;
	struct blobw_slot *sl;
	size_t k;

	if (w->failed)
		return dd_err_set(e, DD_EINTERNAL, "blob writer failed");
	while (n > 0) {
		sl = blobw_fill_slot(w);
		if (sl->len == 0)
			sl->off = w->size;
		k = MIN(n, LIM_CHUNK_SIZE - sl->len);
		memcpy(sl->raw + sl->len, b, k);
		sl->len += k;
		w->size += k;
		b += k;
		n -= k;
		if (sl->len == LIM_CHUNK_SIZE && blobw_submit(w, e) < 0) {
			w->failed = true;
			return e ? e->code : DD_ESQL;
		}
	}
	return 0;
}

int
blobw_write_fd(struct blobw *w, int fd, const char *name,
    chunk_progress_fn progress, void *user, struct dd_err *e)
{
	struct blobw_slot *sl;
	ssize_t n;

	for (;;) {
		sl = blobw_fill_slot(w);
		if (sl->len == 0)
			sl->off = w->size;
		n = read(fd, sl->raw + sl->len, LIM_CHUNK_SIZE - sl->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			w->failed = true;
			return dd_err_set_at(e, DD_EIO, (int64_t)w->size,
			    "cannot read '%s' at offset %" PRIu64 ": %s", name,
			    w->size, strerror(errno));
		}
		if (n == 0)
			break;
		sl->len += (size_t)n;
		w->size += (uint64_t)n;
		if (sl->len == LIM_CHUNK_SIZE) {
			if (blobw_submit(w, e) < 0) {
				w->failed = true;
				return e ? e->code : DD_ESQL;
			}
			if (progress)
				progress(user, w->size);
		}
	}
	return 0;
}

int
blobw_finish(struct blobw *w, struct blob_info *info, struct dd_err *e)
{
	struct blobw_slot *sl;
	sqlite3_stmt *st;

	if (w->failed)
		return dd_err_set(e, DD_EINTERNAL, "blob writer failed");
	sl = blobw_fill_slot(w);
	if (sl->len > 0)
		blobw_encode(w, sl);
	while (w->count > 0) {
		if (blobw_retire(w, e) < 0) {
			w->failed = true;
			return e ? e->code : DD_ESQL;
		}
	}
	memset(info, 0, sizeof(*info));
	info->id = w->blob_id;
	info->size = w->size;
	sha_final(w->whole.sha, info->sha256);
	info->new_chunks = w->new_chunks;
	info->new_bytes = w->new_bytes;
	st = store_stmt(w->s, "UPDATE blobs SET size = ?, sha256 = ? WHERE id = ?",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, (int64_t)w->size);
	sqlite3_bind_blob(st, 2, info->sha256, SHA256_LEN, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, w->blob_id);
	return store_step_done(w->s, st, e);
}

void
blobw_free(struct blobw *w)
{
	unsigned i;

	if (w == NULL)
		return;
	/* Jobs still queued point into our slots: wait for them. */
	while (w->count > 0) {
		chunk_wait(&w->slot[w->head].job);
		w->head = (w->head + 1) % LIM_PIPE_DEPTH;
		w->count--;
	}
	for (i = 0; i < LIM_PIPE_DEPTH; i++)
		blobw_drop_slot(&w->slot[i]);
	sha_free(w->whole.sha);
	pthread_mutex_destroy(&w->whole.mu);
	pthread_cond_destroy(&w->whole.fed);
	free(w);
}

/* ---- readers ---- */

int
chunk_load(struct store *s, int64_t id, void *buf, size_t cap, size_t *len,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, "SELECT codec, raw_len, data FROM chunks WHERE id = ?",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return dd_err_set(e, DD_ECORRUPT, "chunk %" PRId64
			    " is missing", id);
		return store_sqlerr(s, e, "reading a chunk");
	}
	rc = chunk_decode(sqlite3_column_int(st, 0),
	    sqlite3_column_int64(st, 1), sqlite3_column_blob(st, 2),
	    (size_t)sqlite3_column_bytes(st, 2), buf, cap, len, e);
	sqlite3_reset(st);
	if (rc < 0)
		dd_err_prefix(e, "chunk %" PRId64, id);
	return rc;
}

struct blobr {
	struct store *s;
	int64_t blob_id;
	uint64_t size;
	int64_t cached;	/* chunk id in buf, or -1 */
	size_t cached_len;
	uint8_t *buf;	/* LIM_CHUNK_MAX */
};

int
blobr_open(struct store *s, int64_t blob_id, struct blobr **out,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	struct blobr *r;

	*out = NULL;
	st = store_stmt(s, "SELECT size FROM blobs WHERE id = ?", e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, blob_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return dd_err_set(e, DD_ECORRUPT, "blob %" PRId64 " is missing",
		    blob_id);
	}
	r = xcalloc(1, sizeof(*r));
	r->s = s;
	r->blob_id = blob_id;
	r->size = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	r->cached = -1;
	*out = r;
	return 0;
}

uint64_t
blobr_size(const struct blobr *r)
{
	return r->size;
}

int
blobr_pread(struct blobr *r, uint64_t off, void *buf, size_t n, size_t *got,
    struct dd_err *e)
{
	uint8_t *dst = buf;
	sqlite3_stmt *st;
	int64_t poff, plen, cid, coff;
	size_t k, have = 0;

	*got = 0;
	while (have < n && off < r->size) {
		st = store_stmt(r->s,
		    "SELECT off, len, chunk_id, chunk_off FROM blob_parts "
		    "WHERE blob_id = ? AND off <= ? ORDER BY off DESC LIMIT 1",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, r->blob_id);
		sqlite3_bind_int64(st, 2, (int64_t)off);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			return dd_err_set(e, DD_ECORRUPT,
			    "blob %" PRId64 " has no part at offset %" PRIu64,
			    r->blob_id, off);
		}
		poff = sqlite3_column_int64(st, 0);
		plen = sqlite3_column_int64(st, 1);
		cid = sqlite3_column_int64(st, 2);
		coff = sqlite3_column_int64(st, 3);
		sqlite3_reset(st);
		if (poff < 0 || plen <= 0 || coff < 0 || plen > INT64_MAX - poff ||
		    (uint64_t)poff > off ||
		    (uint64_t)poff + (uint64_t)plen <= off)
			return dd_err_set(e, DD_ECORRUPT,
			    "blob %" PRId64 " has a gap at offset %" PRIu64,
			    r->blob_id, off);
		if (r->cached != cid) {
			if (r->buf == NULL)
				r->buf = xmalloc(LIM_CHUNK_MAX);
			r->cached = -1;
			if (chunk_load(r->s, cid, r->buf, LIM_CHUNK_MAX,
				&r->cached_len, e) < 0)
				return e ? e->code : DD_ECORRUPT;
			r->cached = cid;
		}
		if ((uint64_t)coff + (uint64_t)plen > r->cached_len)
			return dd_err_set(e, DD_ECORRUPT,
			    "blob %" PRId64 " part overruns chunk %" PRId64,
			    r->blob_id, cid);
		k = (size_t)((uint64_t)poff + (uint64_t)plen - off);
		k = MIN(k, n - have);
		/* A hostile recipe may describe parts past the blob's size. */
		k = (size_t)MIN((uint64_t)k, r->size - off);
		memcpy(dst + have, r->buf + coff + (off - (uint64_t)poff), k);
		have += k;
		off += k;
	}
	*got = have;
	return 0;
}

void
blobr_close(struct blobr *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

/* One slot of the export pipeline. */
struct copy_slot {
	uint8_t *z;	/* compressed input copy */
	size_t zcap;
	uint8_t *raw;	/* decoded chunk */
	int64_t plen, coff, cid;
	struct chunk_job job;
};

int
blob_copy_out(struct store *s, int64_t blob_id, chunk_write_fn out,
    void *user, chunk_progress_fn progress, void *puser,
    uint8_t sha[SHA256_LEN], struct dd_err *e)
{
	struct copy_slot slot[LIM_PIPE_DEPTH];
	sqlite3_stmt *parts = NULL, *ch;
	struct sha *h = sha_new();
	unsigned head = 0, count = 0, i;
	uint64_t expect = 0, done = 0, size = 0;
	int rc = 0, step;
	bool eof = false;

	memset(slot, 0, sizeof(slot));
	ch = store_stmt(s, "SELECT size FROM blobs WHERE id = ?", e);
	if (ch == NULL) {
		rc = DD_ESQL;
		goto out;
	}
	sqlite3_bind_int64(ch, 1, blob_id);
	if (sqlite3_step(ch) != SQLITE_ROW) {
		sqlite3_reset(ch);
		rc = dd_err_set(e, DD_ECORRUPT, "blob %" PRId64 " is missing",
		    blob_id);
		goto out;
	}
	size = (uint64_t)sqlite3_column_int64(ch, 0);
	sqlite3_reset(ch);
	/* A private statement: the per-chunk lookups below use the cache. */
	if (sqlite3_prepare_v2(s->db,
		"SELECT off, len, chunk_id, chunk_off FROM blob_parts WHERE "
		"blob_id = ? ORDER BY off",
		-1, &parts, NULL) != SQLITE_OK) {
		rc = store_sqlerr(s, e, "reading a blob");
		goto out;
	}
	sqlite3_bind_int64(parts, 1, blob_id);
	while (!eof || count > 0) {
		/* Fill the pipeline. */
		while (!eof && count < LIM_PIPE_DEPTH) {
			struct copy_slot *sl =
			    &slot[(head + count) % LIM_PIPE_DEPTH];
			const void *data;
			int64_t poff, raw_len;
			size_t dlen;

			step = sqlite3_step(parts);
			if (step == SQLITE_DONE) {
				eof = true;
				break;
			}
			if (step != SQLITE_ROW) {
				rc = store_sqlerr(s, e, "reading a blob");
				goto out;
			}
			poff = sqlite3_column_int64(parts, 0);
			sl->plen = sqlite3_column_int64(parts, 1);
			sl->cid = sqlite3_column_int64(parts, 2);
			sl->coff = sqlite3_column_int64(parts, 3);
			if ((uint64_t)poff != expect || sl->plen <= 0 ||
			    sl->coff < 0) {
				rc = dd_err_set(e, DD_ECORRUPT,
				    "blob %" PRId64
				    " recipe is broken at offset %" PRIu64,
				    blob_id, expect);
				goto out;
			}
			expect += (uint64_t)sl->plen;
			ch = store_stmt(s, "SELECT codec, raw_len, data FROM "
					   "chunks WHERE id = ?",
			    e);
			if (ch == NULL) {
				rc = DD_ESQL;
				goto out;
			}
			sqlite3_bind_int64(ch, 1, sl->cid);
			if (sqlite3_step(ch) != SQLITE_ROW) {
				sqlite3_reset(ch);
				rc = dd_err_set(e, DD_ECORRUPT,
				    "chunk %" PRId64 " of blob %" PRId64
				    " is missing",
				    sl->cid, blob_id);
				goto out;
			}
			memset(&sl->job, 0, sizeof(sl->job));
			sl->job.codec = sqlite3_column_int(ch, 0);
			raw_len = sqlite3_column_int64(ch, 1);
			data = sqlite3_column_blob(ch, 2);
			dlen = (size_t)sqlite3_column_bytes(ch, 2);
			if (dlen > chunk_encode_bound(LIM_CHUNK_MAX)) {
				sqlite3_reset(ch);
				rc = dd_err_set(e, DD_ECORRUPT,
				    "chunk %" PRId64 " is oversized", sl->cid);
				goto out;
			}
			if (sl->z == NULL) {
				sl->zcap = chunk_encode_bound(LIM_CHUNK_MAX);
				sl->z = xmalloc(sl->zcap);
				sl->raw = xmalloc(LIM_CHUNK_MAX);
			}
			if (dlen)
				memcpy(sl->z, data, dlen);
			sqlite3_reset(ch);
			sl->job.kind = JOB_DECODE;
			sl->job.in = sl->z;
			sl->job.inlen = dlen;
			sl->job.out = sl->raw;
			sl->job.outcap = LIM_CHUNK_MAX;
			sl->job.raw_len = raw_len;
			chunk_submit(&sl->job);
			count++;
		}
		if (count == 0)
			break;
		/* Retire the oldest in order. */
		{
			struct copy_slot *sl = &slot[head];
			chunk_wait(&sl->job);
			head = (head + 1) % LIM_PIPE_DEPTH;
			count--;
			if (sl->job.rc < 0) {
				rc = dd_err_set(e, DD_ECORRUPT,
				    "chunk %" PRId64 " of blob %" PRId64
				    " cannot be decoded",
				    sl->cid, blob_id);
				goto out;
			}
			if ((uint64_t)sl->coff + (uint64_t)sl->plen >
			    sl->job.outlen) {
				rc = dd_err_set(e, DD_ECORRUPT,
				    "blob %" PRId64 " part overruns chunk %" PRId64,
				    blob_id, sl->cid);
				goto out;
			}
			sha_update(h, sl->raw + sl->coff, (size_t)sl->plen);
			if ((rc = out(user, sl->raw + sl->coff,
				 (size_t)sl->plen, e)) < 0)
				goto out;
			done += (uint64_t)sl->plen;
			if (progress)
				progress(puser, done);
		}
	}
	if (expect != size)
		rc = dd_err_set(e, DD_ECORRUPT,
		    "blob %" PRId64 " recipe covers %" PRIu64
		    " bytes, expected %" PRIu64,
		    blob_id, expect, size);
	else if (sha)
		sha_final(h, sha);
out:
	for (i = 0; i < LIM_PIPE_DEPTH; i++) {
		/* Drain jobs still in flight before freeing buffers. */
		if (count > 0) {
			chunk_wait(&slot[head].job);
			head = (head + 1) % LIM_PIPE_DEPTH;
			count--;
		}
	}
	for (i = 0; i < LIM_PIPE_DEPTH; i++) {
		free(slot[i].z);
		free(slot[i].raw);
	}
	sqlite3_finalize(parts);
	sha_free(h);
	return rc;
}
