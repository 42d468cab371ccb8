/* SPDX-License-Identifier: Apache-2.0 */
/*
 * packtab.h: bulk record relations in compressed chunks, read through
 * virtual tables (DESIGN.md section 2: bulk relations are chunked).
 *
 * A row per record cost an SQLite b-tree insert and a time-index insert
 * each: most of a container log's or an audit log's import. A packed
 * relation (`log_all`, `audit_all`, `k8s_audit_all`) is instead an
 * eponymous virtual table over its chunk table (`<name>_chunk_all`): each
 * chunk row holds up to PACK_ROWS records of one artifact in import order,
 * zstd-compressed, with the first and last seq, the row count and the
 * time range, so seq and time filters skip chunks without decompressing
 * them. Its columns are the relation's net_rec columns (netrec.h
 * net_columns) after artifact_id, in that order.
 *
 * Chunk layout (before compression): u8 version (1), uvarint n, uvarint
 * ncols, then n rows: a presence bitmap (ceil(ncols / 8) bytes, bit c of
 * byte c / 8 set when column c is not NULL), then each present column:
 * an integer as svarint from the same column's previous value in the
 * chunk (0 at first), a string as uvarint k (k > 0: the chunk's k-th
 * string so far; 0: uvarint length and bytes follow, and it becomes the
 * next of the first PACK_DICT).
 *
 * Rows written before a relation was packed stay in <name>_row_all;
 * the public views read both.
 */
#ifndef CORE_PACKTAB_H
#define CORE_PACKTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"

#define PACK_ROWS 4096u
#define PACK_RAW_MAX (2u * 1024u * 1024u) /* a chunk's raw bytes, cut */
#define PACK_ROW_MAX (8u * 1024u * 1024u) /* one row, encoded */
#define PACK_BUF_MAX (PACK_RAW_MAX + PACK_ROW_MAX)
#define PACK_DICT 64u
#define PACK_COLS_MAX 40

struct dd_err;
struct net_rec;
struct sqlite3;
struct store;

/* Whether records of kind (enum nr_kind) are packed. */
bool pack_kind(int kind);

/* The writer: one per sink and kind, rows of one artifact at a time. */
struct packw {
	struct store *s;
	int kind;
	size_t nc; /* the kind's columns (packw_ncols, once) */
	int64_t artifact;
	uint32_t n;
	int64_t first_seq, last_seq, ts_min, ts_max;
	int64_t prev[PACK_COLS_MAX];
	struct sbuf raw;	/* rows so far */
	char *dict[PACK_DICT];
	size_t dlen[PACK_DICT];
	uint32_t ndict;
	uint8_t slot[2 * PACK_DICT]; /* open addressing: dict index + 1 */
	/* per column, the dict index + 1 of its last string (0: none): a
	 * repeat of the row above is found without hashing */
	uint8_t last[PACK_COLS_MAX];
	/* kept from chunk to chunk (a new context and buffer per chunk
	 * cost their pages' first touch every time) */
	void *cctx;	/* ZSTD_CCtx */
	uint8_t *z;
	size_t zcap;
};

void packw_init(struct packw *p, struct store *s, int kind);
/* One record of artifact_id. */
int packw_add(struct packw *p, int64_t artifact_id, const struct net_rec *r,
    struct dd_err *e);
/* Write the chunk being built (if any). */
int packw_flush(struct packw *p, struct dd_err *e);
void packw_release(struct packw *p);

/* One decoded value. */
struct packval {
	bool null;
	int64_t i;
	const char *s;	/* borrows the decoded chunk */
	size_t n;
};
/* Decode a chunk's raw bytes (pure; the fuzzer's too) of ncols columns
 * of the given types ('i', 's'): *vals malloc'd, *n rows x ncols values,
 * strings borrowing raw. */
int pack_decode(const uint8_t *raw, size_t len, const char *types,
    struct packval **vals, size_t *n, struct dd_err *e);

/* Register the packed relations' eponymous modules on db. */
int packtab_register(struct sqlite3 *db, struct store *s);

#endif
