/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-recipe.c: the blob readers (blobr_open, blobr_pread, blob_copy_out)
 * over hostile blob recipes, as a case handed over by someone else can
 * hold.
 *
 * One case is created per process (in a fresh directory under $TMPDIR,
 * STORE_NOLOCK, removed at exit) holding one committed blob B, a
 * compressible pattern stored as one zstd chunk. Every input runs inside a
 * transaction that is rolled back, so each input starts from the same
 * case. Per input:
 *
 *  1. a real blob A through blobw, holding a slice of the input (stored or
 *     zstd, as chunk_encode decides);
 *  2. up to 3 hostile chunk rows: input-chosen codec and raw_len, data
 *     from the input or copied (maybe truncated) from B's valid frame;
 *  3. blob T: a blobs row with an input-chosen size and up to 15
 *     blob_parts rows whose offsets, lengths, chunk ids and chunk offsets
 *     come from the input: contiguous, overlapping, gapped, negative,
 *     near INT64_MAX, pointing at A, B, the hostile or missing chunks;
 *  4. blobr_pread at input-chosen offsets and lengths (into heap buffers
 *     of exactly the length asked for), and blob_copy_out, over T, A and
 *     a missing blob.
 *
 * Input layout (every field optional: missing bytes read as 0):
 *
 *   u8 hdr     bits 0-1: size mode of T, bits 2-3: number of hostile
 *              chunks, bits 4-7: number of parts
 *   le16 alen  bytes of the input that go into blob A (mod 1024)
 *   u8 a[alen]
 *   le64 size  T's size (mode 1: low 16 bits, mode 2: extreme table)
 *   hostile chunks, 8 bytes each: u8 codec, u8 mode, le32 raw_len,
 *              u8 dlen, u8 (spare); data bytes follow when mode bit 0
 *   parts, 8 bytes each: u8 flags, le16 off, le16 len, le16 coff, u8 x
 *   reads, 4 bytes each (up to 8): u8 mode, u8 len, le16 off
 *
 * Checks (trap otherwise): A (per input) and B (once) read back exactly
 * through pread and copy_out; pread returns *got <= n and, when it succeeds short, the read
 * reached the end of the blob; copy_out of T, when it succeeds, delivered
 * exactly size bytes whose SHA-256 is the one returned, and pread over the
 * whole of T returns the same bytes; the transaction rolls back cleanly.
 * pread never returns bytes past blobr_size(), whatever the recipe says.
 *
 * A crashed run cannot remove its case directory, so each process names
 * its directory after its pid and removes those of dead processes.
 */
#include "core/common.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "core/store.h"
#include "core/util.h"
#include "tests/fuzz/fz-check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Collected copy_out output above this fails the sink (DD_ELIMIT). */
#define FZ_OUT_CAP (1u << 20)
#define FZ_B_LEN 3000

static struct {
	struct store *s;
	char dir[4096];
	char path[4200];
	sqlite3_stmt *ins_chunk, *ins_part, *ins_blob, *get_chunk, *first_cid;
	sqlite3_stmt *set_size;
	uint8_t *sinkbuf; /* FZ_OUT_CAP */
	uint8_t pattern[FZ_B_LEN];
	int64_t b_id, b_cid; /* blob B and its chunk (committed once) */
} fz;

static void fz_make_b(void);

static const int64_t fz_extreme[16] = {
	0, 1, -1, INT64_MAX, INT64_MIN, INT64_MAX - 1,
	(int64_t)1 << 32, (int64_t)1 << 62, LIM_CHUNK_MAX, LIM_CHUNK_MAX + 1,
	(int64_t)UINT32_MAX, -4096, 4096, 65536, (int64_t)1 << 20,
	INT64_MAX / 2,
};

/* A cursor over the input where missing bytes read as 0. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};

static uint8_t
in_u8(struct fz_in *in)
{
	uint8_t v;

	if (in->n == 0)
		return 0;
	v = *in->p++;
	in->n--;
	return v;
}

static uint64_t
in_le(struct fz_in *in, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (uint64_t)in_u8(in) << (8 * i);
	return v;
}

static void fz_remove_case_dir(const char *dir);

static void
fz_cleanup(void)
{
	sqlite3_finalize(fz.ins_chunk);
	sqlite3_finalize(fz.ins_part);
	sqlite3_finalize(fz.ins_blob);
	sqlite3_finalize(fz.get_chunk);
	sqlite3_finalize(fz.first_cid);
	sqlite3_finalize(fz.set_size);
	free(fz.sinkbuf);
	store_close(fz.s);
	fz.s = NULL;
	fz_remove_case_dir(fz.dir);
}

/* Remove the case files in dir and dir itself. */
static void
fz_remove_case_dir(const char *dir)
{
	static const char *const names[] = { "fz.drydock", "fz.drydock-wal",
		"fz.drydock-shm", "fz.drydock-journal" };
	char p[4300];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

/* Remove fzrecipe.PID.* directories left in tmp by crashed processes. */
static void
fz_remove_stale(const char *tmp)
{
	DIR *d = opendir(tmp);
	struct dirent *de;
	char p[4300];

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid;

		if (strncmp(de->d_name, "fzrecipe.", 9) != 0)
			continue;
		pid = strtol(de->d_name + 9, &end, 10);
		if (end == de->d_name + 9 || *end != '.' || pid <= 0)
			continue;
		if (pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(p, sizeof(p), "%s/%s", tmp, de->d_name);
		fz_remove_case_dir(p);
	}
	closedir(d);
}

static sqlite3_stmt *
fz_prepare(const char *sql)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(fz.s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "fz-recipe: %s: %s\n", sql,
		    sqlite3_errmsg(fz.s->db));
		abort();
	}
	return st;
}

static void
fz_init(void)
{
	struct dd_err e = DD_ERR_INIT;
	const char *tmp = getenv("TMPDIR");

	if (fz.s != NULL)
		return;
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	fz_remove_stale(tmp);
	snprintf(fz.dir, sizeof(fz.dir), "%s/fzrecipe.%ld.XXXXXX", tmp,
	    (long)getpid());
	if (mkdtemp(fz.dir) == NULL) {
		fprintf(stderr, "fz-recipe: mkdtemp %s: %s\n", fz.dir,
		    strerror(errno));
		abort();
	}
	snprintf(fz.path, sizeof(fz.path), "%s/fz.drydock", fz.dir);
	if (store_open(fz.path, STORE_CREATE | STORE_WRITE | STORE_NOLOCK,
		&fz.s, &e) < 0) {
		fprintf(stderr, "fz-recipe: %s\n", e.msg);
		abort();
	}
	fz.ins_chunk = fz_prepare("INSERT INTO chunks(hash, raw_len, codec, "
				  "data) VALUES (?, ?, ?, ?)");
	fz.ins_part = fz_prepare("INSERT OR REPLACE INTO blob_parts(blob_id, "
				 "off, len, chunk_id, chunk_off) VALUES "
				 "(?, ?, ?, ?, ?)");
	fz.ins_blob = fz_prepare("INSERT INTO blobs(size) VALUES (?)");
	fz.get_chunk = fz_prepare(
	    "SELECT raw_len, data FROM chunks WHERE id = ?");
	fz.first_cid = fz_prepare("SELECT chunk_id FROM blob_parts WHERE "
				  "blob_id = ? ORDER BY off LIMIT 1");
	fz.set_size = fz_prepare("UPDATE blobs SET size = ? WHERE id = ?");
	fz.sinkbuf = malloc(FZ_OUT_CAP);
	if (fz.sinkbuf == NULL)
		abort();
	atexit(fz_cleanup);
	fz_make_b();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_init();
	return 0;
}

static void
fz_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "fz-recipe: %s\n", sqlite3_errmsg(fz.s->db));
		abort();
	}
}

/* A real blob through the writer. */
static struct blob_info
fz_blob(const void *p, size_t n)
{
	struct dd_err e = DD_ERR_INIT;
	struct blob_info bi;
	struct blobw *w;

	if (blobw_new(fz.s, 0, &w, &e) < 0 || blobw_write(w, p, n, &e) < 0 ||
	    blobw_finish(w, &bi, &e) < 0) {
		fprintf(stderr, "fz-recipe: writing a blob: %s\n", e.msg);
		abort();
	}
	blobw_free(w);
	return bi;
}

/* The chunk holding offset 0 of blob, or 0 for an empty blob. */
static int64_t
fz_first_chunk(int64_t blob)
{
	int64_t cid = 0;

	sqlite3_bind_int64(fz.first_cid, 1, blob);
	if (sqlite3_step(fz.first_cid) == SQLITE_ROW)
		cid = sqlite3_column_int64(fz.first_cid, 0);
	sqlite3_reset(fz.first_cid);
	return cid;
}

/* copy_out sink: collect up to FZ_OUT_CAP bytes. */
struct fz_sink {
	uint8_t *buf;
	size_t len;
	uint64_t total;
};

static int
fz_sink_write(void *user, const void *p, size_t n, struct dd_err *e)
{
	struct fz_sink *k = user;

	k->total += n;
	if (n > FZ_OUT_CAP - k->len)
		return dd_err_set(e, DD_ELIMIT, "fuzz sink full");
	if (n)
		memcpy(k->buf + k->len, p, n);
	k->len += n;
	return 0;
}

/* One pread of n bytes at off; returns rc, fills *got. The buffer is
 * exactly n bytes so an overrun hits the redzone. */
static int
fz_pread(struct blobr *r, uint64_t off, size_t n, uint8_t **out,
    size_t *got)
{
	struct dd_err e = DD_ERR_INIT;
	uint8_t *buf = malloc(n ? n : 1);
	int rc;

	if (buf == NULL)
		abort();
	*got = 999999999;
	rc = blobr_pread(r, off, buf, n, got, &e);
	CHECK(*got <= n);
	if (rc < 0) {
		CHECK(e.code == rc || rc == DD_ESQL);
	} else {
		CHECK(rc == 0);
		/* Short only at the end of the blob. */
		if (*got < n)
			CHECK(off + *got >= blobr_size(r) ||
			    off + *got < off);
		/* Never past the blob's end, whatever the recipe says. */
		if (*got > 0)
			CHECK(off < blobr_size(r) &&
			    *got <= blobr_size(r) - off);
	}
	if (out != NULL)
		*out = buf;
	else
		free(buf);
	return rc;
}

/* A blob that must read back as exactly want[0..n). */
static void
fz_expect(int64_t id, const uint8_t *want, size_t n, uint8_t *sinkbuf)
{
	struct dd_err e = DD_ERR_INIT;
	struct fz_sink k = { sinkbuf, 0, 0 };
	uint8_t sha[SHA256_LEN], sha2[SHA256_LEN];
	struct blobr *r;
	uint8_t *got;
	size_t g;

	CHECK(blobr_open(fz.s, id, &r, &e) == 0);
	CHECK(blobr_size(r) == n);
	CHECK(fz_pread(r, 0, n, &got, &g) == 0);
	CHECK(g == n && (n == 0 || memcmp(got, want, n) == 0));
	free(got);
	if (n > 1) {
		CHECK(fz_pread(r, n / 2, n, &got, &g) == 0);
		CHECK(g == n - n / 2 && memcmp(got, want + n / 2, g) == 0);
		free(got);
	}
	blobr_close(r);
	CHECK(blob_copy_out(fz.s, id, fz_sink_write, &k, NULL, NULL, sha,
		  &e) == 0);
	CHECK(k.len == n && (n == 0 || memcmp(sinkbuf, want, n) == 0));
	sha256(want, n, sha2);
	CHECK(memcmp(sha, sha2, SHA256_LEN) == 0);
}

static int64_t
fz_hostile_chunk(struct fz_in *in, int idx, int64_t bcid)
{
	uint8_t hash[SHA256_LEN];
	int codec = in_u8(in);
	int mode = in_u8(in);
	uint32_t rl = (uint32_t)in_le(in, 4);
	size_t dlen = in_u8(in);
	int64_t raw_len;
	const void *d = NULL;
	size_t dn = 0;
	uint8_t *copy = NULL;

	(void)in_u8(in);
	/* codec: stored, zstd, or anything. */
	codec = codec < 100 ? 0 : codec < 200 ? 1 : codec - 210;
	switch (mode >> 1 & 3) {
	case 0: raw_len = (int32_t)rl; break;
	case 1: raw_len = FZ_B_LEN + (int8_t)(rl & 0xff); break;
	case 2: raw_len = fz_extreme[rl & 15]; break;
	default: raw_len = (int64_t)(rl % (LIM_CHUNK_MAX + 2)); break;
	}
	if (mode & 1) {
		/* Data from the input. */
		dn = MIN(dlen, in->n);
		d = in->p;
		in->p += dn;
		in->n -= dn;
	} else {
		/* B's chunk data: a valid zstd frame, maybe truncated. */
		sqlite3_bind_int64(fz.get_chunk, 1, bcid);
		if (sqlite3_step(fz.get_chunk) == SQLITE_ROW) {
			dn = (size_t)sqlite3_column_bytes(fz.get_chunk, 1);
			if (mode & 8)
				dn = MIN(dn, dlen);
			copy = malloc(dn ? dn : 1);
			if (copy == NULL)
				abort();
			if (dn)
				memcpy(copy,
				    sqlite3_column_blob(fz.get_chunk, 1), dn);
			d = copy;
		}
		sqlite3_reset(fz.get_chunk);
	}
	memset(hash, 0, sizeof(hash));
	memcpy(hash, "fz-hostile-chunk", 16);
	hash[31] = (uint8_t)idx;
	sqlite3_bind_blob(fz.ins_chunk, 1, hash, SHA256_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(fz.ins_chunk, 2, raw_len);
	sqlite3_bind_int(fz.ins_chunk, 3, codec);
	if (dn)
		sqlite3_bind_blob(fz.ins_chunk, 4, d, (int)dn, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(fz.ins_chunk, 4, 0);
	fz_step_done(fz.ins_chunk);
	free(copy);
	return store_last_id(fz.s);
}

/* Blob B, committed once: every input reads it and may point parts at
 * its chunk, but writing and checking it per input would double the
 * (ASan-dominated) cost of an input. */
static void
fz_make_b(void)
{
	struct dd_err e = DD_ERR_INIT;
	struct blob_info bb;
	unsigned i;

	for (i = 0; i < FZ_B_LEN; i++)
		fz.pattern[i] = (uint8_t)("drydock fuzz "[i % 13] + i / 256);
	CHECK(store_begin(fz.s, &e) == 0);
	bb = fz_blob(fz.pattern, FZ_B_LEN);
	CHECK(store_commit(fz.s, &e) == 0);
	fz.b_id = bb.id;
	fz.b_cid = fz_first_chunk(bb.id);
	CHECK(fz.b_cid > 0);
	fz_expect(fz.b_id, fz.pattern, FZ_B_LEN, fz.sinkbuf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct fz_in in = { data, size };
	struct blob_info ba;
	int64_t cids[8], tid, off = 0, tsize, v;
	uint8_t *sinkbuf;
	struct fz_sink k;
	uint8_t sha[SHA256_LEN], sha2[SHA256_LEN];
	struct blobr *r;
	unsigned hdr, nhost, nparts, i;
	size_t alen, got;
	const uint8_t *a;
	uint64_t sizefield;
	int rc;

	fz_init();
	sinkbuf = fz.sinkbuf;
	CHECK(store_begin(fz.s, &e) == 0);

	hdr = in_u8(&in);
	nhost = hdr >> 2 & 3;
	nparts = hdr >> 4;
	alen = (size_t)(in_le(&in, 2) % 1024);
	alen = MIN(alen, in.n);
	a = in.p;
	in.p += alen;
	in.n -= alen;
	sizefield = in_le(&in, 8);

	/* 1. Real blobs. */
	ba = fz_blob(a, alen);
	cids[0] = fz_first_chunk(ba.id);
	cids[1] = fz.b_cid;

	/* 2. Hostile chunks. */
	for (i = 0; i < 3; i++)
		cids[2 + i] = i < nhost ? fz_hostile_chunk(&in, (int)i, cids[1])
					: cids[1];
	cids[5] = 999999;

	/* 3. Blob T. */
	sqlite3_bind_int64(fz.ins_blob, 1, 0);
	fz_step_done(fz.ins_blob);
	tid = store_last_id(fz.s);
	for (i = 0; i < nparts; i++) {
		unsigned fl = in_u8(&in);
		int64_t poff = (int64_t)in_le(&in, 2);
		int64_t plen = (int64_t)in_le(&in, 2);
		int64_t coff = (int64_t)in_le(&in, 2);
		uint8_t x = in_u8(&in);
		int64_t cid;

		switch (fl & 3) {
		case 0: v = off; break;			/* contiguous */
		case 1: v = poff; break;		/* literal */
		case 2:					/* overlap or gap */
			v = (int64_t)((uint64_t)off + (uint64_t)(int8_t)x);
			break;
		default: v = fz_extreme[poff & 15]; break;
		}
		poff = v;
		switch (fl >> 2 & 3) {
		case 0: break;				/* literal */
		case 1: plen = FZ_B_LEN - (coff % FZ_B_LEN); break;
		case 2: plen = fz_extreme[plen & 15]; break;
		default: plen = -plen; break;
		}
		switch (fl >> 4 & 7) {
		case 0: case 1: case 2: case 3: case 4: case 5:
			cid = cids[fl >> 4 & 7];
			break;
		case 6: cid = fz_extreme[x & 15]; break;
		default: cid = x; break;
		}
		if (fl & 0x80)
			coff = fz_extreme[coff & 15];
		else if ((fl >> 2 & 3) == 1)
			coff %= FZ_B_LEN;
		sqlite3_bind_int64(fz.ins_part, 1, tid);
		sqlite3_bind_int64(fz.ins_part, 2, poff);
		sqlite3_bind_int64(fz.ins_part, 3, plen);
		sqlite3_bind_int64(fz.ins_part, 4, cid);
		sqlite3_bind_int64(fz.ins_part, 5, coff);
		fz_step_done(fz.ins_part);
		if (!__builtin_add_overflow(poff, plen, &v))
			off = v;
	}
	switch (hdr & 3) {
	case 0: tsize = off; break;
	case 1: tsize = (int64_t)(sizefield & 0xffff); break;
	case 2: tsize = fz_extreme[sizefield & 15]; break;
	default: tsize = (int64_t)sizefield; break;
	}
	sqlite3_bind_int64(fz.set_size, 1, tsize);
	sqlite3_bind_int64(fz.set_size, 2, tid);
	fz_step_done(fz.set_size);

	/* 4a. The real blobs read back exactly. */
	fz_expect(ba.id, a, alen, sinkbuf);

	/* 4b. A missing blob is an error. */
	CHECK(blobr_open(fz.s, tid + 1000, &r, &e) < 0 && r == NULL);
	dd_err_clear(&e);
	k = (struct fz_sink){ sinkbuf, 0, 0 };
	CHECK(blob_copy_out(fz.s, tid + 1000, fz_sink_write, &k, NULL, NULL,
		  NULL, &e) < 0);
	dd_err_clear(&e);

	/* 4c. Reads of T at input-chosen places. */
	CHECK(blobr_open(fz.s, tid, &r, &e) == 0);
	CHECK(blobr_size(r) == (uint64_t)tsize);
	for (i = 0; i < 8 && in.n > 0; i++) {
		unsigned mode = in_u8(&in);
		size_t n = (size_t)in_u8(&in) * 257;
		uint64_t roff = in_le(&in, 2);

		switch (mode & 3) {
		case 0: break;
		case 1: roff = (uint64_t)fz_extreme[roff & 15]; break;
		case 2: roff = (uint64_t)tsize - roff; break;
		default: roff = (uint64_t)tsize + (roff & 0xff); break;
		}
		if (mode & 4)
			n = (size_t)in_u8(&in);
		(void)fz_pread(r, roff, n, NULL, &got);
	}

	/* 4d. copy_out of T; when it succeeds, pread agrees. */
	k = (struct fz_sink){ sinkbuf, 0, 0 };
	rc = blob_copy_out(fz.s, tid, fz_sink_write, &k, NULL, NULL, sha, &e);
	if (rc == 0) {
		uint8_t *all;

		CHECK(k.total == (uint64_t)tsize && k.len == k.total);
		sha256(sinkbuf, k.len, sha2);
		CHECK(memcmp(sha, sha2, SHA256_LEN) == 0);
		CHECK(fz_pread(r, 0, k.len, &all, &got) == 0);
		CHECK(got == k.len);
		CHECK(got == 0 || memcmp(all, sinkbuf, got) == 0);
		free(all);
	} else {
		CHECK(rc == e.code || rc == DD_ESQL);
	}
	blobr_close(r);

	store_rollback(fz.s);
	CHECK(!fz.s->in_tx && sqlite3_get_autocommit(fz.s->db));
	return 0;
}
