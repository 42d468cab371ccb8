/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evstore.h: the columnar, compressed event store (DESIGN.md section 2).
 *
 * Events are written in chunks of up to EVC_MAX. A chunk is the zstd
 * compression of:
 *
 *   "EVC1" u32le(n) u32le(ncols) { u32le(len) bytes[len] } * ncols
 *
 * where each column holds n values in order (column list in evstore.c:
 * ordinal deltas, kinds, string ids, zigzag time deltas, pids, returns,
 * flag bits, source spans...), as LEB128 varints. Beside each chunk,
 * event_chunks keeps its time and tid range, event_chunk_names its
 * per-name counts and event_chunk_tids its thread set: counts are
 * answered, and chunks skipped, without decompressing.
 *
 * Strings (names, paths, commands, addresses, flags) are ids into the
 * case-wide string table. Argument text is kept by reference: each event
 * records the byte spans of its line(s) in the original, which the reader
 * fetches from the chunk store on demand. Sources read through a
 * decompression filter store the text in the chunk instead.
 */
#ifndef CORE_EVSTORE_H
#define CORE_EVSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct event_rec;
struct store;
struct strtab;

#define EVC_MAX 16384u

/* events.id of an artifact's event: ordinals stay below 2^40. */
#define EV_ID(artifact, ord) (((int64_t)(artifact) << 40) + (int64_t)(ord))
#define EV_ID_ARTIFACT(id) ((id) >> 40)
#define EV_ORD_MAX ((1ull << 40) - 1)

/* One decoded event (string fields are string ids, 0 = none). */
struct evrow {
	uint64_t ord;
	int kind;
	int arch;
	int tsq;
	uint32_t bits;	 /* EVB_* */
	int64_t name, comm, err, path, path2, fdpath, family, addr, flags;
	int64_t cont; /* container id string */
	int64_t enter, exit;
	int64_t pid, tid, ret, fd, port, target;
	uint64_t off[2];
	uint32_t len[2];
	uint32_t args_off, args_len; /* into evchunk.args when in-chunk */
	int64_t uid1; /* effective uid + 1; 0 unknown */
};

enum {
	EVB_RET = 1 << 0,
	EVB_FD = 1 << 1,
	EVB_PORT = 1 << 2,
	EVB_TARGET = 1 << 3,
	EVB_ENTER = 1 << 4,
	EVB_EXIT = 1 << 5,
	EVB_ARGS = 1 << 6, /* args text in the chunk */
};

/* A decoded chunk (owned: evchunk_free). */
struct evchunk {
	int64_t id, artifact_id;
	uint64_t first_ord;
	uint32_t n;
	uint32_t cols;	/* storage columns decoded (bit k = column k) */
	struct evrow *rows;
	uint8_t *args;	/* in-chunk argument text */
	size_t args_len;
};

/* Writer: one per imported artifact, inside its batch transaction. */
struct evw;
int evw_new(struct store *s, struct strtab *st, int64_t artifact_id,
    struct evw **out, struct dd_err *e);
int evw_add(struct evw *w, const struct event_rec *r, struct dd_err *e);
/* Flush the last chunk. *n gets the events written. */
int evw_finish(struct evw *w, uint64_t *n, struct dd_err *e);
void evw_free(struct evw *w);
/* After evw_finish: write the next artifact's events with the same
 * buffers (archives of thousands of small members). */
void evw_retarget(struct evw *w, int64_t artifact_id);

/* Decode a stored chunk (data as stored, zstd-compressed). Pure and
 * bounded: used by the reader and the fuzzer. Ordinals come out relative
 * to the chunk's first_ord (evchunk_load adds it). */
int evchunk_decode(const void *data, size_t n, int64_t raw_len,
    struct evchunk **out, struct dd_err *e);
/* Load and decode chunk id of s. */
int evchunk_load(struct store *s, int64_t id, struct evchunk **out,
    struct dd_err *e);

/* All storage columns; the column list is in evstore.c. */
#define EVCOL_ALL 0x3ffffffu
/* The columns a mask needs decoded with it (dependencies added). */
uint32_t evchunk_cols(uint32_t mask);
/* Decode (load) only the storage columns in mask: fields of the others
 * stay zero. Queries that touch few columns decode little. */
int evchunk_decode_cols(const void *data, size_t n, int64_t raw_len,
    uint32_t mask, struct evchunk **out, struct dd_err *e);
int evchunk_load_cols(struct store *s, int64_t id, uint32_t mask,
    struct evchunk **out, struct dd_err *e);
void evchunk_free(struct evchunk *c);

#endif
