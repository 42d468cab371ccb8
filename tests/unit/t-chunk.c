/* SPDX-License-Identifier: Apache-2.0 */
/* t-chunk.c: the chunk store, blob writer and readers (core/chunk.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <fcntl.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

/* splitmix64: a deterministic PRNG, so failures reproduce. */
static uint64_t
chunk_t_rand(uint64_t *st)
{
	uint64_t z = (*st += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint8_t *
chunk_t_random(size_t n, uint64_t seed)
{
	uint8_t *p = xmalloc(n ? n : 1);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(chunk_t_rand(&seed) >> 56);
	return p;
}

/* Text-like bytes: compressible, but no two chunks equal. */
static uint8_t *
chunk_t_text(size_t n)
{
	uint8_t *p = xmalloc(n ? n : 1);
	char line[64];
	size_t i = 0, k;
	unsigned long no = 0;

	while (i < n) {
		k = (size_t)snprintf(line, sizeof(line),
		    "%08lu the quick brown fox jumps over it\n", no++);
		k = MIN(k, n - i);
		memcpy(p + i, line, k);
		i += k;
	}
	return p;
}

/* A fresh writable case in the test's directory. */
static struct store *
chunk_t_open(struct test_ctx *t)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	int rc;

	rc = store_open(test_path(t, "case.drydock"),
	    STORE_CREATE | STORE_WRITE | STORE_NOLOCK, &s, &e);
	if (!CHECK_EQ_INT(rc, 0) || !CHECK(s != NULL)) {
		printf("#     store_open: %s\n", e.msg);
		return NULL;
	}
	return s;
}

static int64_t
chunk_t_count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Write p[0..n) as one blob in its own transaction, in pieces of varying
 * size (piece 0: all at once). */
static bool
chunk_t_write(struct test_ctx *t, struct store *s, const uint8_t *p,
    size_t n, size_t piece, struct blob_info *bi)
{
	struct dd_err e = DD_ERR_INIT;
	struct blobw *w = NULL;
	uint64_t seed = n;
	size_t off = 0, k;
	bool ok = false;

	memset(bi, 0, sizeof(*bi));
	if (!CHECK_EQ_INT(store_begin(s, &e), 0))
		goto out;
	if (!CHECK_EQ_INT(blobw_new(s, 0, &w, &e), 0))
		goto out;
	while (off < n) {
		k = n - off;
		if (piece)
			k = MIN(k, 1 + chunk_t_rand(&seed) % piece);
		if (!CHECK_EQ_INT(blobw_write(w, p + off, k, &e), 0))
			goto out;
		off += k;
	}
	if (!CHECK_EQ_INT(blobw_finish(w, bi, &e), 0))
		goto out;
	if (!CHECK_EQ_INT(store_commit(s, &e), 0))
		goto out;
	ok = true;
out:
	if (!ok)
		printf("#     blob write failed: %s\n", e.msg);
	blobw_free(w);
	store_rollback(s);
	return ok;
}

/* Check size and digest of a written blob against its input. */
static void
chunk_t_check_info(struct test_ctx *t, const struct blob_info *bi,
    const uint8_t *p, size_t n)
{
	uint8_t d[SHA256_LEN];

	sha256(p, n, d);
	CHECK_EQ_INT(bi->size, n);
	CHECK_MEM(bi->sha256, d, SHA256_LEN);
	CHECK(bi->id > 0);
}

struct chunk_t_sink {
	uint8_t *buf;
	size_t len, cap;
	int fail_after; /* calls before returning DD_EIO; <0 never */
	int calls;
};

static int
chunk_t_out(void *user, const void *p, size_t n, struct dd_err *e)
{
	struct chunk_t_sink *k = user;

	if (k->fail_after >= 0 && k->calls++ >= k->fail_after)
		return dd_err_set(e, DD_EIO, "sink refused");
	if (k->len + n > k->cap) {
		k->cap = MAX(k->cap * 2, k->len + n);
		k->buf = xrealloc(k->buf, k->cap);
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
	return 0;
}

/* blob_copy_out reproduces p[0..n) and its digest. */
static void
chunk_t_check_copy(struct test_ctx *t, struct store *s, int64_t id,
    const uint8_t *p, size_t n)
{
	struct chunk_t_sink k = { NULL, 0, 0, -1, 0 };
	struct dd_err e = DD_ERR_INIT;
	uint8_t d[SHA256_LEN], want[SHA256_LEN];
	int rc;

	memset(d, 0, sizeof(d));
	rc = blob_copy_out(s, id, chunk_t_out, &k, NULL, NULL, d, &e);
	if (!CHECK_EQ_INT(rc, 0))
		printf("#     blob_copy_out: %s\n", e.msg);
	CHECK_EQ_INT(k.len, n);
	if (k.len == n)
		CHECK_MEM(k.buf, p, n);
	sha256(p, n, want);
	CHECK_MEM(d, want, SHA256_LEN);
	free(k.buf);
}

/* blobr_pread at (off, len) matches p[0..n). */
static bool
chunk_t_check_pread(struct test_ctx *t, struct blobr *r, const uint8_t *p,
    size_t n, uint64_t off, size_t len, uint8_t *buf)
{
	struct dd_err e = DD_ERR_INIT;
	size_t got = 12345, want;
	int rc;

	want = off >= n ? 0 : MIN(len, n - (size_t)off);
	rc = blobr_pread(r, off, buf, len, &got, &e);
	if (!CHECK_EQ_INT(rc, 0)) {
		printf("#     pread(%" PRIu64 ", %zu): %s\n", off, len, e.msg);
		return false;
	}
	if (!CHECK_EQ_INT(got, want)) {
		printf("#     pread(%" PRIu64 ", %zu) of %zu bytes\n", off, len,
		    n);
		return false;
	}
	if (want && !CHECK_MEM(buf, p + off, want)) {
		printf("#     pread(%" PRIu64 ", %zu)\n", off, len);
		return false;
	}
	return true;
}

static void
chunk_t_check_preads(struct test_ctx *t, struct store *s, int64_t id,
    const uint8_t *p, size_t n, uint64_t seed)
{
	struct dd_err e = DD_ERR_INIT;
	struct blobr *r = NULL;
	const size_t C = LIM_CHUNK_SIZE;
	uint8_t *buf;
	int i;

	if (!CHECK_EQ_INT(blobr_open(s, id, &r, &e), 0))
		return;
	CHECK_EQ_INT(blobr_size(r), n);
	/* pread writes at most min(len, n - off) bytes. */
	buf = xmalloc(MAX(3 * C, n) + 1);
	/* Edges: start, chunk boundaries, the end and past it. */
	chunk_t_check_pread(t, r, p, n, 0, 1, buf);
	chunk_t_check_pread(t, r, p, n, 0, n + 10, buf);
	chunk_t_check_pread(t, r, p, n, C - 3, 10, buf);
	chunk_t_check_pread(t, r, p, n, C, 1, buf);
	chunk_t_check_pread(t, r, p, n, C - 1, 2 * C + 2, buf);
	chunk_t_check_pread(t, r, p, n, n ? n - 1 : 0, 100, buf);
	chunk_t_check_pread(t, r, p, n, n, 100, buf);
	chunk_t_check_pread(t, r, p, n, n + 1000, 100, buf);
	chunk_t_check_pread(t, r, p, n, UINT64_MAX, 100, buf);
	chunk_t_check_pread(t, r, p, n, 5, 0, buf);
	/* Random offsets and lengths, some across boundaries or the end. */
	for (i = 0; i < 150; i++) {
		uint64_t off = chunk_t_rand(&seed) % (n + 2000);
		size_t len = (size_t)(chunk_t_rand(&seed) %
		    (i % 3 == 0 ? 3 * C : 5000));
		if (!chunk_t_check_pread(t, r, p, n, off, len, buf))
			break;
	}
	free(buf);
	blobr_close(r);
}

TEST(chunk_blob_sizes)
{
	static const size_t sizes[] = { 0, 1, LIM_CHUNK_SIZE - 1,
		LIM_CHUNK_SIZE, LIM_CHUNK_SIZE + 1, 2 * LIM_CHUNK_SIZE };
	static const uint64_t want_chunks[] = { 0, 1, 1, 1, 2, 2 };
	struct store *s = chunk_t_open(t);
	struct blob_info bi;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		/* Distinct seeds: no dedup between these blobs. */
		uint8_t *p = chunk_t_random(sizes[i], 1000 + i);
		if (chunk_t_write(t, s, p, sizes[i], 0, &bi)) {
			chunk_t_check_info(t, &bi, p, sizes[i]);
			if (!CHECK_EQ_INT(bi.new_chunks, want_chunks[i]))
				printf("#     size %zu\n", sizes[i]);
			chunk_t_check_copy(t, s, bi.id, p, sizes[i]);
			chunk_t_check_preads(t, s, bi.id, p, sizes[i], i);
		}
		free(p);
	}
	store_close(s);
}

TEST(chunk_blob_compressible)
{
	const size_t n = 3 * LIM_CHUNK_SIZE + LIM_CHUNK_SIZE / 2;
	struct store *s = chunk_t_open(t);
	struct blob_info bi;
	uint8_t *p;

	if (s == NULL)
		return;
	p = chunk_t_text(n);
	if (chunk_t_write(t, s, p, n, 300000, &bi)) {
		chunk_t_check_info(t, &bi, p, n);
		CHECK_EQ_INT(bi.new_chunks, 4);
		/* zstd shrank it, a lot. */
		CHECK(bi.new_bytes > 0);
		CHECK(bi.new_bytes < n / 4);
		CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM chunks "
					      "WHERE codec = 1"),
		    4);
		CHECK_EQ_INT(chunk_t_count(s, "SELECT sum(raw_len) FROM chunks"),
		    n);
		chunk_t_check_copy(t, s, bi.id, p, n);
		chunk_t_check_preads(t, s, bi.id, p, n, 7);
	}
	free(p);
	store_close(s);
}

TEST(chunk_blob_random)
{
	const size_t n = 3 * LIM_CHUNK_SIZE + LIM_CHUNK_SIZE / 2;
	struct store *s = chunk_t_open(t);
	struct blob_info bi;
	uint8_t *p;

	if (s == NULL)
		return;
	p = chunk_t_random(n, 42);
	if (chunk_t_write(t, s, p, n, 70000, &bi)) {
		chunk_t_check_info(t, &bi, p, n);
		CHECK_EQ_INT(bi.new_chunks, 4);
		/* Incompressible chunks are stored raw, not grown. */
		CHECK_EQ_INT(bi.new_bytes, n);
		CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM chunks "
					      "WHERE codec = 0"),
		    4);
		CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM blob_parts"),
		    4);
		chunk_t_check_copy(t, s, bi.id, p, n);
		chunk_t_check_preads(t, s, bi.id, p, n, 8);
	}
	free(p);
	store_close(s);
}

TEST(chunk_dedup)
{
	const size_t n = 3 * LIM_CHUNK_SIZE + LIM_CHUNK_SIZE / 2;
	struct store *s = chunk_t_open(t);
	struct blob_info a, b, c;
	uint8_t *p, *q;
	int64_t chunks;

	if (s == NULL)
		return;
	p = chunk_t_random(n, 99);
	if (!chunk_t_write(t, s, p, n, 0, &a))
		goto out;
	CHECK_EQ_INT(a.new_chunks, 4);
	chunks = chunk_t_count(s, "SELECT count(*) FROM chunks");
	CHECK_EQ_INT(chunks, 4);
	/* The same content again, written in different pieces. */
	if (!chunk_t_write(t, s, p, n, 12345, &b))
		goto out;
	CHECK_EQ_INT(b.new_chunks, 0);
	CHECK_EQ_INT(b.new_bytes, 0);
	CHECK(b.id != a.id);
	CHECK_MEM(b.sha256, a.sha256, SHA256_LEN);
	CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM chunks"), chunks);
	chunk_t_check_copy(t, s, b.id, p, n);
	/* A blob sharing only its first chunk adds the others. */
	q = chunk_t_random(2 * LIM_CHUNK_SIZE, 5);
	memcpy(q, p, LIM_CHUNK_SIZE);
	if (chunk_t_write(t, s, q, 2 * LIM_CHUNK_SIZE, 0, &c)) {
		CHECK_EQ_INT(c.new_chunks, 1);
		CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM chunks"),
		    chunks + 1);
		chunk_t_check_copy(t, s, c.id, q, 2 * LIM_CHUNK_SIZE);
		chunk_t_check_preads(t, s, c.id, q, 2 * LIM_CHUNK_SIZE, 3);
	}
	free(q);
	/* New identical chunks inside one blob (all in flight together)
	 * are stored once. */
	chunks = chunk_t_count(s, "SELECT count(*) FROM chunks");
	q = xmalloc(3 * LIM_CHUNK_SIZE);
	{
		uint8_t *one = chunk_t_random(LIM_CHUNK_SIZE, 77);
		memcpy(q, one, LIM_CHUNK_SIZE);
		memcpy(q + LIM_CHUNK_SIZE, one, LIM_CHUNK_SIZE);
		memcpy(q + 2 * LIM_CHUNK_SIZE, one, LIM_CHUNK_SIZE);
		free(one);
	}
	if (chunk_t_write(t, s, q, 3 * LIM_CHUNK_SIZE, 0, &c)) {
		CHECK_EQ_INT(c.new_chunks, 1);
		CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM chunks"),
		    chunks + 1);
		chunk_t_check_copy(t, s, c.id, q, 3 * LIM_CHUNK_SIZE);
		chunk_t_check_preads(t, s, c.id, q, 3 * LIM_CHUNK_SIZE, 4);
	}
	free(q);
out:
	free(p);
	store_close(s);
}

/* A blob long enough for the writer to commit and begin again in the middle
 * (store_tick) still reads back whole. */
TEST(chunk_blob_batches)
{
	const size_t C = LIM_CHUNK_SIZE, nchunks = 70;
	struct chunk_t_sink k = { NULL, 0, 0, -1, 0 };
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	uint8_t *zero, d[SHA256_LEN], got_sha[SHA256_LEN], buf[100];
	struct blobw *w = NULL;
	struct blobr *r = NULL;
	struct blob_info bi;
	struct sha *h;
	size_t i, got = 0;

	if (s == NULL)
		return;
	zero = xcalloc(1, C);
	h = sha_new();
	CHECK_EQ_INT(store_begin(s, &e), 0);
	if (!CHECK_EQ_INT(blobw_new(s, 0, &w, &e), 0))
		goto out;
	for (i = 0; i < nchunks; i++) {
		if (!CHECK_EQ_INT(blobw_write(w, zero, C, &e), 0))
			break;
		sha_update(h, zero, C);
	}
	CHECK_EQ_INT(blobw_write(w, "tail", 4, &e), 0);
	sha_update(h, "tail", 4);
	sha_final(h, d);
	CHECK_EQ_INT(blobw_finish(w, &bi, &e), 0);
	CHECK_EQ_INT(store_commit(s, &e), 0);
	if (e.code)
		printf("#     %s\n", e.msg);
	CHECK_EQ_INT(bi.size, nchunks * C + 4);
	CHECK_MEM(bi.sha256, d, SHA256_LEN);
	CHECK_EQ_INT(bi.new_chunks, 2);
	CHECK_EQ_INT(chunk_t_count(s, "SELECT count(*) FROM blob_parts"),
	    nchunks + 1);
	CHECK_EQ_INT(blobr_open(s, bi.id, &r, &e), 0);
	if (r != NULL) {
		CHECK_EQ_INT(blobr_pread(r, nchunks * C - 2, buf, sizeof(buf),
				 &got, &e),
		    0);
		CHECK_EQ_INT(got, 6);
		CHECK_MEM(buf, "\0\0tail", 6);
		blobr_close(r);
	}
	k.fail_after = -1;
	CHECK_EQ_INT(blob_copy_out(s, bi.id, chunk_t_out, &k, NULL, NULL,
			 got_sha, &e),
	    0);
	CHECK_EQ_INT(k.len, nchunks * C + 4);
	CHECK_MEM(got_sha, d, SHA256_LEN);
out:
	free(k.buf);
	blobw_free(w);
	sha_free(h);
	free(zero);
	store_close(s);
}

/* n random bytes (from seed) in the test's file input.bin, into *p; the
 * file opened for reading and writing, or -1. */
static int
chunk_t_file(struct test_ctx *t, size_t n, uint64_t seed, uint8_t **p)
{
	char *path = test_path(t, "input.bin");
	int fd;

	*p = chunk_t_random(n, seed);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ_INT(write(fd, *p, n), n);
	return fd;
}

TEST(chunk_write_fd)
{
	const size_t n = 2 * LIM_CHUNK_SIZE + 777;
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	struct blobw *w = NULL;
	struct blob_info bi;
	uint8_t *p;
	int fd;

	if (s == NULL)
		return;
	fd = chunk_t_file(t, n, 17, &p);
	CHECK_EQ_INT(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ_INT(store_begin(s, &e), 0);
	CHECK_EQ_INT(blobw_new(s, 0, &w, &e), 0);
	if (w != NULL) {
		CHECK_EQ_INT(blobw_write_fd(w, fd, "input.bin", NULL, NULL, &e),
		    0);
		CHECK_EQ_INT(blobw_finish(w, &bi, &e), 0);
		CHECK_EQ_INT(store_commit(s, &e), 0);
		chunk_t_check_info(t, &bi, p, n);
		CHECK_EQ_INT(bi.new_chunks, 3);
		chunk_t_check_copy(t, s, bi.id, p, n);
	}
	if (e.code)
		printf("#     %s\n", e.msg);
	blobw_free(w);
	close(fd);
	free(p);
	store_close(s);
}

/* blobw_write_pread reads file ranges into the blob: contiguous or not,
 * mixed with bytes written from memory, crossing chunk borders, they come
 * out in the order given. */
TEST(chunk_write_pread)
{
	const size_t n = 2 * LIM_CHUNK_SIZE + 777;
	/* (file offset, length); length 0: the next 333 bytes from memory */
	static const size_t piece[][2] = {
		{ 0, 1000 }, { 1000, 4000 }, { 9000, 0 }, { 5000, 700000 },
		{ 705000, LIM_CHUNK_SIZE }, { 100, 0 }, { 3, 17 },
		{ 705000 + LIM_CHUNK_SIZE, 2 * LIM_CHUNK_SIZE + 777 - 705000 -
		    LIM_CHUNK_SIZE },
	};
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	struct blobw *w = NULL;
	struct blob_info bi;
	uint8_t *p, *want;
	size_t i, m = 0;
	int fd;

	if (s == NULL)
		return;
	fd = chunk_t_file(t, n, 23, &p);
	want = xmalloc(2 * n);
	CHECK_EQ_INT(store_begin(s, &e), 0);
	CHECK_EQ_INT(blobw_new(s, 0, &w, &e), 0);
	for (i = 0; w != NULL && i < ARRAY_SIZE(piece); i++) {
		size_t off = piece[i][0], k = piece[i][1];
		if (k == 0) {
			CHECK_EQ_INT(blobw_write(w, p + off, 333, &e), 0);
			k = 333;
		} else {
			CHECK_EQ_INT(blobw_write_pread(w, fd, off, k, &e), 0);
		}
		memcpy(want + m, p + off, k);
		m += k;
	}
	if (w != NULL) {
		CHECK_EQ_INT(blobw_finish(w, &bi, &e), 0);
		CHECK_EQ_INT(store_commit(s, &e), 0);
		chunk_t_check_info(t, &bi, want, m);
		chunk_t_check_copy(t, s, bi.id, want, m);
	}
	if (e.code)
		printf("#     %s\n", e.msg);
	blobw_free(w);
	close(fd);
	free(want);
	free(p);
	store_close(s);
}

/* A file that shrank after it was parsed: the read comes up short and
 * the blob fails, naming the offset; nothing is stored. */
TEST(chunk_write_pread_short)
{
	const size_t n = LIM_CHUNK_SIZE + 4096;
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	struct blobw *w = NULL;
	struct blob_info bi;
	uint8_t *p;
	int fd;

	if (s == NULL)
		return;
	fd = chunk_t_file(t, n, 29, &p);
	CHECK_EQ_INT(store_begin(s, &e), 0);
	CHECK_EQ_INT(blobw_new(s, 0, &w, &e), 0);
	CHECK_EQ_INT(ftruncate(fd, 1000), 0);
	if (w != NULL) {
		/* The write or, were the read deferred, the finish fails. */
		int rc = blobw_write_pread(w, fd, 0, n, &e);
		if (rc == 0)
			rc = blobw_finish(w, &bi, &e);
		CHECK_EQ_INT(rc, DD_EIO);
		CHECK(strstr(e.msg, "at offset ") != NULL);
		CHECK(strstr(e.msg, "shorter than it was") != NULL);
		store_rollback(s);
	}
	blobw_free(w);
	close(fd);
	free(p);
	store_close(s);
}

TEST(chunk_copy_out_sink_error)
{
	const size_t n = 5 * LIM_CHUNK_SIZE;
	struct chunk_t_sink k = { NULL, 0, 0, 1, 0 };
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	struct blob_info bi;
	uint8_t *p;

	if (s == NULL)
		return;
	p = chunk_t_random(n, 23);
	if (chunk_t_write(t, s, p, n, 0, &bi)) {
		/* The sink fails on its second call: the error comes back
		 * and the jobs in flight are drained without leaks. */
		CHECK_EQ_INT(blob_copy_out(s, bi.id, chunk_t_out, &k, NULL,
				 NULL, NULL, &e),
		    DD_EIO);
		CHECK_EQ_STR(e.msg, "sink refused");
		CHECK_EQ_INT(k.len, LIM_CHUNK_SIZE);
		/* A missing blob. */
		dd_err_clear(&e);
		CHECK(blob_copy_out(s, 9999, chunk_t_out, &k, NULL, NULL, NULL,
			  &e) < 0);
		CHECK(strstr(e.msg, "9999") != NULL);
	}
	free(k.buf);
	free(p);
	store_close(s);
}

/* A chunk edited behind the store's back is an error, never a crash. */
TEST(chunk_corrupt_store)
{
	const size_t n = 2 * LIM_CHUNK_SIZE;
	struct chunk_t_sink k = { NULL, 0, 0, -1, 0 };
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	struct blobr *r = NULL;
	struct blob_info bi;
	uint8_t *p, buf[64];
	size_t got = 0;

	if (s == NULL)
		return;
	p = chunk_t_text(n);
	if (!chunk_t_write(t, s, p, n, 0, &bi))
		goto out;
	/* The stored raw length no longer matches the zstd frame. */
	CHECK_EQ_INT(sqlite3_exec(s->db,
			 "UPDATE chunks SET raw_len = raw_len - 1 WHERE id = "
			 "(SELECT max(id) FROM chunks)",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	CHECK_EQ_INT(blobr_open(s, bi.id, &r, &e), 0);
	if (r != NULL) {
		CHECK_EQ_INT(blobr_pread(r, 10, buf, sizeof(buf), &got, &e), 0);
		CHECK_MEM(buf, p + 10, sizeof(buf));
		CHECK_EQ_INT(blobr_pread(r, LIM_CHUNK_SIZE + 10, buf,
				 sizeof(buf), &got, &e),
		    DD_ECORRUPT);
		blobr_close(r);
	}
	dd_err_clear(&e);
	CHECK_EQ_INT(blob_copy_out(s, bi.id, chunk_t_out, &k, NULL, NULL, NULL,
			 &e),
	    DD_ECORRUPT);
	/* A chunk removed entirely. */
	CHECK_EQ_INT(sqlite3_exec(s->db,
			 "DELETE FROM chunks WHERE id = (SELECT max(id) FROM "
			 "chunks)",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	dd_err_clear(&e);
	CHECK_EQ_INT(blobr_open(s, bi.id, &r, &e), 0);
	if (r != NULL) {
		CHECK_EQ_INT(blobr_pread(r, LIM_CHUNK_SIZE, buf, sizeof(buf),
				 &got, &e),
		    DD_ECORRUPT);
		blobr_close(r);
	}
	dd_err_clear(&e);
	CHECK_EQ_INT(blob_copy_out(s, bi.id, chunk_t_out, &k, NULL, NULL, NULL,
			 &e),
	    DD_ECORRUPT);
	/* A missing blob. */
	dd_err_clear(&e);
	r = NULL;
	CHECK(blobr_open(s, 12345, &r, &e) < 0);
	CHECK(r == NULL);
out:
	free(k.buf);
	free(p);
	store_close(s);
}

TEST(chunk_encode_decode)
{
	uint8_t *raw = chunk_t_text(100000), *rnd = chunk_t_random(5000, 3);
	size_t cap = chunk_encode_bound(100000), olen = 0, len = 0;
	uint8_t *z = xmalloc(cap), *out = xmalloc(100000);
	struct dd_err e = DD_ERR_INIT;
	int codec;

	codec = chunk_encode(raw, 100000, 0, z, cap, &olen);
	CHECK_EQ_INT(codec, 1);
	CHECK(olen < 100000);
	CHECK_EQ_INT(chunk_decode(codec, 100000, z, olen, out, 100000, &len,
			 &e),
	    0);
	CHECK_EQ_INT(len, 100000);
	CHECK_MEM(out, raw, 100000);
	/* Random bytes are stored as they are. */
	codec = chunk_encode(rnd, 5000, 19, z, cap, &olen);
	CHECK_EQ_INT(codec, 0);
	CHECK_EQ_INT(olen, 5000);
	CHECK_MEM(z, rnd, 5000);
	CHECK_EQ_INT(chunk_decode(codec, 5000, z, olen, out, 100000, &len, &e),
	    0);
	CHECK_EQ_INT(len, 5000);
	CHECK_MEM(out, rnd, 5000);
	/* An empty stored chunk. */
	CHECK_EQ_INT(chunk_decode(0, 0, z, 0, out, 100000, &len, &e), 0);
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_INT(e.code, 0);
	free(raw);
	free(rnd);
	free(z);
	free(out);
}

/* 1 MiB of random "payloads" each after the same hdr-byte "header",
 * every stride bytes. */
static uint8_t *
chunk_t_packets(size_t hdr, size_t stride)
{
	uint8_t *p = chunk_t_random(LIM_CHUNK_SIZE, 77);
	size_t i;

	for (i = 0; i + hdr <= LIM_CHUNK_SIZE; i += stride)
		memset(p + i, 0x45, hdr);
	return p;
}

/* Headers between random payloads (a capture of encrypted traffic)
 * shrink a chunk by a few per cent: stored as it is, not given to zstd;
 * where they are an eighth of the bytes, zstd is worth its time. */
TEST(chunk_encode_mostly_random)
{
	size_t cap = chunk_encode_bound(LIM_CHUNK_SIZE), olen = 0;
	uint8_t *few = chunk_t_packets(54, 1514), *many = chunk_t_packets(64, 512);
	uint8_t *z = xmalloc(cap);

	CHECK_EQ_INT(chunk_encode(few, LIM_CHUNK_SIZE, 3, z, cap, &olen), 0);
	CHECK_EQ_INT(olen, LIM_CHUNK_SIZE);
	CHECK_EQ_INT(chunk_encode(many, LIM_CHUNK_SIZE, 3, z, cap, &olen), 1);
	CHECK(olen < LIM_CHUNK_SIZE - LIM_CHUNK_SIZE / 16);
	free(few);
	free(many);
	free(z);
}

TEST(chunk_decode_rejects)
{
	const size_t big = LIM_CHUNK_MAX + 16;
	uint8_t *raw = chunk_t_text(100000), *junk = chunk_t_random(4096, 11);
	size_t cap = chunk_encode_bound(100000), zlen = 0, len = 0;
	uint8_t *z = xmalloc(cap), *out = xmalloc(big), *data = xmalloc(big);
	struct dd_err e = DD_ERR_INIT;
	int codec;

	memset(data, 'a', big);
	codec = chunk_encode(raw, 100000, 0, z, cap, &zlen);
	CHECK_EQ_INT(codec, 1);

	/* raw_len above LIM_CHUNK_MAX, even with room and matching data. */
	len = 77;
	CHECK_EQ_INT(chunk_decode(0, (int64_t)LIM_CHUNK_MAX + 1, data,
			 LIM_CHUNK_MAX + 1, out, big, &len, &e),
	    DD_ECORRUPT);
	CHECK_EQ_INT(len, 0);
	CHECK_EQ_INT(e.code, DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(1, (int64_t)LIM_CHUNK_MAX + 1, z, zlen, out,
			 big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(0, INT64_MAX, data, 10, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(0, -1, data, 10, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	/* ...and above the caller's capacity. */
	CHECK_EQ_INT(chunk_decode(1, 100000, z, zlen, out, 99999, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	/* LIM_CHUNK_MAX itself is allowed. */
	CHECK_EQ_INT(chunk_decode(0, LIM_CHUNK_MAX, data, LIM_CHUNK_MAX, out,
			 big, &len, &e),
	    0);
	CHECK_EQ_INT(len, LIM_CHUNK_MAX);

	/* An unknown codec. */
	CHECK_EQ_INT(chunk_decode(7, 10, data, 10, out, big, &len, &e),
	    DD_ECORRUPT);
	CHECK(strstr(e.msg, "7") != NULL);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(-1, 10, data, 10, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);

	/* A zstd frame whose content size is not raw_len. */
	CHECK_EQ_INT(chunk_decode(1, 99999, z, zlen, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(1, 100001, z, zlen, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(1, 0, z, zlen, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	/* A truncated frame. */
	CHECK_EQ_INT(chunk_decode(1, 100000, z, zlen - 5, out, big, &len, &e),
	    DD_ECORRUPT);
	CHECK_EQ_INT(len, 0);
	dd_err_clear(&e);
	/* Garbage that is not a zstd frame, and nothing at all. */
	CHECK_EQ_INT(chunk_decode(1, 4096, junk, 4096, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(1, 10, junk, 0, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(1, 3, "\x28\xb5\x2f", 3, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);

	/* A stored chunk whose length differs from raw_len. */
	CHECK_EQ_INT(chunk_decode(0, 10, data, 9, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(0, 10, data, 11, out, big, &len, &e),
	    DD_ECORRUPT);
	dd_err_clear(&e);
	CHECK_EQ_INT(chunk_decode(0, 0, data, 1, out, big, &len, &e),
	    DD_ECORRUPT);
	/* NULL e is allowed. */
	CHECK_EQ_INT(chunk_decode(9, 1, data, 1, out, big, &len, NULL),
	    DD_ECORRUPT);

	free(raw);
	free(junk);
	free(z);
	free(out);
	free(data);
}

/*
 * A case file may come from elsewhere: a blob part with a negative offset
 * (blob_parts.off = -5000000, len 100) must be reported as corruption by
 * blobr_pread. (poff + plen) is negative, so the unsigned "part ends
 * before off" test passes, and the copy starts 5000000 bytes into the
 * 4 MiB chunk buffer. The replay of tests/fuzz/corpus/recipe shows the
 * same flaw as a pointer overflow.
 */
TEST(chunk_pread_negative_part_offset)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = chunk_t_open(t);
	struct blobr *r = NULL;
	struct blob_info bi;
	uint8_t *p, buf[64];
	size_t got = 0;

	if (s == NULL)
		return;
	p = chunk_t_random(100, 5);
	if (!chunk_t_write(t, s, p, 100, 0, &bi))
		goto out;
	CHECK_EQ_INT(sqlite3_exec(s->db,
			 "UPDATE blob_parts SET off = -5000000",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	CHECK_EQ_INT(blobr_open(s, bi.id, &r, &e), 0);
	if (r != NULL) {
		CHECK_EQ_INT(blobr_pread(r, 0, buf, sizeof(buf), &got, &e),
		    DD_ECORRUPT);
		blobr_close(r);
	}
out:
	free(p);
	store_close(s);
}

/* fz-recipe found a part ending past INT64_MAX overflowing the end
 * computation in blobr_pread (crash-pread-part-end-overflow). */
TEST(chunk_pread_part_end_overflow)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	struct blobw *w = NULL;
	struct blobr *r = NULL;
	struct blob_info bi;
	uint8_t data[100], buf[16];
	size_t got = 0;
	char *path = test_path(t, "c.drydock");

	memset(data, 'a', sizeof(data));
	if (!CHECK(store_open(path, STORE_CREATE | STORE_WRITE | STORE_NOLOCK,
		       &s, &e) == 0))
		goto out;
	CHECK(store_begin(s, &e) == 0);
	CHECK(blobw_new(s, 0, &w, &e) == 0);
	CHECK(blobw_write(w, data, sizeof(data), &e) == 0);
	CHECK(blobw_finish(w, &bi, &e) == 0);
	CHECK(store_commit(s, &e) == 0);
	CHECK(store_exec(s, "UPDATE blob_parts SET off = 9223372036854775806;"
			    "UPDATE blobs SET size = 9223372036854775807",
	    &e) == 0);
	CHECK(blobr_open(s, bi.id, &r, &e) == 0);
	CHECK_EQ_INT(blobr_pread(r, 9223372036854775806ull, buf, sizeof(buf),
			 &got, &e),
	    DD_ECORRUPT);
	/* A part describing bytes past the blob's end never yields them. */
	blobr_close(r);
	r = NULL;
	dd_err_clear(&e);
	CHECK(store_exec(s, "UPDATE blob_parts SET off = 0;"
			    "UPDATE blobs SET size = 10",
	    &e) == 0);
	CHECK(blobr_open(s, bi.id, &r, &e) == 0);
	CHECK(blobr_pread(r, 5, buf, sizeof(buf), &got, &e) == 0);
	CHECK_EQ_INT(got, 5);
out:
	blobr_close(r);
	blobw_free(w);
	store_close(s);
}
