/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pktstore.h: the packet index (DESIGN.md section 2, "the packet index"):
 * chunks of consecutive packets of one capture in packet_chunks, each a
 * column-encoded, zstd-compressed run of struct packet_rec (core/sink.h)
 * with its packet number and time range. The packet bytes stay in the
 * capture's stored original; export-pcap re-reads it.
 *
 * Chunk layout (before compression): u8 version (1), uvarint n, then five
 * columns, each a uvarint byte length and n values: ts (svarint delta from
 * the previous packet, the first from 0), caplen (uvarint), wirelen -
 * caplen (svarint), flow_no and outer_no (svarint deltas).
 */
#ifndef CORE_PKTSTORE_H
#define CORE_PKTSTORE_H

#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct packet_rec;

/* A libpcap time (seconds and, at nanosecond precision, nanoseconds) as
 * ns since the epoch, saturating: a capture may claim any second (a pcapng
 * stamp in units its interface does not declare lands past 2262). */
static inline int64_t
pkt_ts_ns(int64_t sec, int64_t nsec)
{
	int64_t t;

	if (__builtin_mul_overflow(sec, (int64_t)1000000000, &t) ||
	    __builtin_add_overflow(t, nsec, &t))
		return sec < 0 ? INT64_MIN : INT64_MAX;
	return t;
}
struct store;

/* Encode and insert one chunk (n >= 1). *cctx is the caller's zstd
 * context, made on first use and kept for the next chunk (a context per
 * chunk cost its workspace's page faults every time); pkt_cctx_free
 * releases it. */
int pkt_chunk_store(struct store *s, void **cctx, int64_t artifact_id,
    int64_t first_pkt, const struct packet_rec *p, size_t n,
    struct dd_err *e);
void pkt_cctx_free(void *cctx);

/* Decode a chunk's raw (decompressed) bytes into *out (malloc'd, *n
 * records). Pure: the fuzzer's too. */
int pkt_chunk_decode(const void *raw, size_t len, struct packet_rec **out,
    size_t *n, struct dd_err *e);

/* Call fn for every packet of artifact_id in order, with its number;
 * chunks wholly outside [from, to] (ns, raw capture times; INT64_MIN /
 * INT64_MAX for none) are skipped without decompressing. fn returns < 0
 * to stop with that code. */
typedef int (*pkt_fn)(void *user, int64_t pkt_no, const struct packet_rec *p,
    struct dd_err *e);
int pkt_each(struct store *s, int64_t artifact_id, int64_t from, int64_t to,
    pkt_fn fn, void *user, struct dd_err *e);

#endif
