/* SPDX-License-Identifier: Apache-2.0 */
/*
 * custody.h: the chain of custody.
 *
 * Every change to a case appends a custody row. Its hash is the SHA-256 of
 * the canonical encoding of the row, which includes the previous row's hash:
 *
 *   "drydock-custody-v1"
 *   u64be(seq) i64be(ts) lp(action) lp(detail) lp(examiner) lp(prev)
 *
 * where lp(x) is u64be(length of x) followed by x's bytes, and prev is the
 * previous row's hash in hex (64 zeros for the first row). detail is compact
 * JSON with sorted keys (artifact hashes included), so a row means one thing.
 *
 * Invariants: rows are only appended; the head is the hash of the row with
 * the highest seq; custody_verify() recomputes every hash and link.
 */
#ifndef CORE_CUSTODY_H
#define CORE_CUSTODY_H

#include <stdint.h>

#include "core/util.h"

struct dd_err;
struct sbuf;
struct store;

/* The canonical encoding of one row into sb (appended). */
void custody_encode(struct sbuf *sb, int64_t seq, int64_t ts,
    const char *action, const char *detail, const char *examiner,
    const char *prev);
/* Hash of an encoded row, as hex. */
void custody_hash(int64_t seq, int64_t ts, const char *action,
    const char *detail, const char *examiner, const char *prev,
    char out[SHA256_HEX]);
/* Append a row (inside the caller's transaction, or in its own when none
 * is open). detail is JSON text. head (may be NULL) gets the new hash. */
int custody_append(struct store *s, const char *action, const char *detail,
    char head[SHA256_HEX], struct dd_err *e);
/* The current head hash ("" for an empty chain) and its seq. */
int custody_head(struct store *s, char head[SHA256_HEX], int64_t *seq,
    struct dd_err *e);
/* Walk the chain; on the first broken row fill e naming it and return
 * DD_ECORRUPT. *rows gets the number of rows checked. */
int custody_verify(struct store *s, int64_t *rows, char head[SHA256_HEX],
    struct dd_err *e);
/* The examiner's name: DRYDOCK_EXAMINER, else the login name, else uid. */
const char *custody_examiner(void);

#endif
