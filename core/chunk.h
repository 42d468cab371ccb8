/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chunk.h: the content-addressed chunk store and blobs built from it.
 *
 * Bytes (evidence originals, extracted files, memory segments) are cut into
 * chunks of LIM_CHUNK_SIZE, each keyed by the SHA-256 of its raw bytes and
 * stored once, zstd-compressed (or stored raw when zstd does not shrink
 * it). A blob is an ordered list of parts, each a slice of one chunk, so a
 * range of any blob is read by decompressing only the chunks it touches.
 *
 * Writing runs as a pipeline: the caller's thread reads and hashes the
 * whole blob and inserts finished chunks in order, while a process-wide
 * pool of worker threads (one per core) hashes and compresses chunks. At
 * most LIM_PIPE_DEPTH chunks are in flight, so memory is bounded whatever
 * the blob size.
 *
 * Invariants:
 * - a chunk row and the part that first references it are written in the
 *   same transaction, so an unreferenced chunk belongs to an abandoned
 *   import and is removed by the next writer (store.c);
 * - decompression never trusts a stored length beyond LIM_CHUNK_MAX and
 *   checks the zstd frame's content size against the stored raw length.
 */
#ifndef CORE_CHUNK_H
#define CORE_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

struct dd_err;
struct store;

/* What a finished blob is. */
struct blob_info {
	int64_t id;		     /* blobs.id */
	uint64_t size;		     /* bytes */
	uint8_t sha256[SHA256_LEN];  /* digest of the whole blob */
	uint64_t new_chunks;	     /* chunks this blob added to the store */
	uint64_t new_bytes;	     /* compressed bytes it added */
};

/* Progress callback: bytes done so far. */
typedef void (*chunk_progress_fn)(void *user, uint64_t done);

struct blobw;

/* Start a blob in s (a transaction must be open: the caller batches with
 * store_tick()). level is the zstd level (0: default 3). Owned: finish or
 * free it. */
int blobw_new(struct store *s, int level, struct blobw **out,
    struct dd_err *e);
/* The blobs.id being written. */
int64_t blobw_id(const struct blobw *w);
/* Append bytes. */
int blobw_write(struct blobw *w, const void *p, size_t n, struct dd_err *e);
/* End the current chunk early when the blob's size is exactly off (a
 * member of an archive starts or ends there), so that equal content
 * stored at different offsets of different blobs cuts into equal chunks
 * and is stored once. A hint: ignored when the blob is past off. */
int blobw_cut(struct blobw *w, uint64_t off, struct dd_err *e);
/* Append n bytes of fd read at offset off (pread, straight into the
 * chunk being filled: no copy through the caller). DD_EIO when the file
 * holds fewer. */
int blobw_write_pread(struct blobw *w, int fd, uint64_t off, size_t n,
    struct dd_err *e);
/* Append everything readable from fd until EOF; name is for messages. */
int blobw_write_fd(struct blobw *w, int fd, const char *name,
    chunk_progress_fn progress, void *user, struct dd_err *e);
/* Flush, record size and digest in blobs, fill *info. */
int blobw_finish(struct blobw *w, struct blob_info *info, struct dd_err *e);
/* Release; an unfinished blob's rows stay for the transaction's owner to
 * roll back or for cleanup. */
void blobw_free(struct blobw *w);

/* Random-access reader over one blob (owned; blobr_close). */
struct blobr;
int blobr_open(struct store *s, int64_t blob_id, struct blobr **out,
    struct dd_err *e);
uint64_t blobr_size(const struct blobr *r);
/* Read up to n bytes at off; *got < n only at the end of the blob. */
int blobr_pread(struct blobr *r, uint64_t off, void *buf, size_t n,
    size_t *got, struct dd_err *e);
void blobr_close(struct blobr *r);

/* Write sink for blob_copy_out: returns 0 or a DD_E* code. */
typedef int (*chunk_write_fn)(void *user, const void *p, size_t n,
    struct dd_err *e);

/* Stream a whole blob through out() in order, decompressing in parallel,
 * and compute its SHA-256 into sha (may be NULL). */
int blob_copy_out(struct store *s, int64_t blob_id, chunk_write_fn out,
    void *user, chunk_progress_fn progress, void *puser,
    uint8_t sha[SHA256_LEN], struct dd_err *e);

/* A zstd compression run on the process's chunk pool, so a writer thread
 * encodes the next chunk while a worker compresses this one. in must stay
 * unchanged until chunk_zwait or chunk_zfree returns. */
struct chunk_zjob;
/* Queue the compression of in[0..n) at level (0: 3) as one zstd frame
 * carrying its content size. */
struct chunk_zjob *chunk_zstart(const void *in, size_t n, int level);
/* Wait for it; *out (owned by the job, valid until chunk_zfree) and
 * *outlen are the frame. */
int chunk_zwait(struct chunk_zjob *zj, const void **out, size_t *outlen,
    struct dd_err *e);
/* Wait for it if queued, then release it (NULL is a no-op). */
void chunk_zfree(struct chunk_zjob *zj);

/* Decompress chunk `id` into buf (capacity cap); *len is its size. */
int chunk_load(struct store *s, int64_t id, void *buf, size_t cap,
    size_t *len, struct dd_err *e);

/* Decode one stored chunk (codec, raw_len, data) into buf of capacity cap.
 * Pure: used by the loader, verify, the SQL function and the fuzzer. */
int chunk_decode(int codec, int64_t raw_len, const void *data, size_t dlen,
    void *buf, size_t cap, size_t *len, struct dd_err *e);

/* Encode raw bytes as a chunk: writes into out (capacity
 * chunk_encode_bound(n)) and returns the codec; *olen set. */
int chunk_encode(const void *raw, size_t n, int level, void *out, size_t cap,
    size_t *olen);
size_t chunk_encode_bound(size_t n);

#endif
