/* SPDX-License-Identifier: Apache-2.0 */
/* pktstore.c: the packet index; see pktstore.h. */
#include "core/common.h"
#include "core/pktstore.h"

#include <sqlite3.h>
#include <zstd.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "core/store.h"
#include "core/xmalloc.h"

#define PKT_VERSION 1
#define PKT_NCOLS 5
/* A decoded chunk is at most this big (SINK_PACKETS_MAX packets of five
 * 10-byte varints, plus lengths). */
#define PKT_RAW_MAX ((size_t)SINK_PACKETS_MAX * 5 * 10 + 64)

void
pkt_cctx_free(void *cctx)
{
	ZSTD_freeCCtx(cctx);
}

int
pkt_chunk_store(struct store *s, void **cctx, int64_t artifact_id,
    int64_t first_pkt, const struct packet_rec *p, size_t n,
    struct dd_err *e)
{
	struct sbuf col[PKT_NCOLS], raw = SBUF_INIT;
	int64_t pts = 0, pflow = 0, pouter = 0, tmin = INT64_MAX,
		tmax = INT64_MIN;
	sqlite3_stmt *st;
	uint8_t *z = NULL;
	size_t i, zlen;
	int k, codec, rc = 0;

	if (n == 0 || n > SINK_PACKETS_MAX)
		BUG("packet chunk of %zu", n);
	for (k = 0; k < PKT_NCOLS; k++)
		sbuf_init(&col[k], PKT_RAW_MAX);
	sbuf_init(&raw, PKT_RAW_MAX);
	for (i = 0; i < n; i++) {
		sbuf_add_svarint(&col[0], p[i].ts - pts);
		pts = p[i].ts;
		sbuf_add_uvarint(&col[1], p[i].caplen);
		sbuf_add_svarint(&col[2],
		    (int64_t)p[i].wirelen - (int64_t)p[i].caplen);
		sbuf_add_svarint(&col[3], p[i].flow_no - pflow);
		pflow = p[i].flow_no;
		sbuf_add_svarint(&col[4], p[i].outer_no - pouter);
		pouter = p[i].outer_no;
		tmin = MIN(tmin, p[i].ts);
		tmax = MAX(tmax, p[i].ts);
	}
	sbuf_addch(&raw, PKT_VERSION);
	sbuf_add_uvarint(&raw, n);
	for (k = 0; k < PKT_NCOLS; k++) {
		sbuf_add_uvarint(&raw, col[k].len);
		sbuf_add(&raw, col[k].buf, col[k].len);
		sbuf_release(&col[k]);
	}
	/* the caller's context, not chunk_encode's: that keeps one per
	 * thread, and this runs on the sink queue's thread, which ends */
	if (*cctx == NULL && (*cctx = ZSTD_createCCtx()) == NULL)
		BUG("packet chunk: no zstd context");
	zlen = ZSTD_compressBound(raw.len);
	z = xmalloc(zlen);
	zlen = ZSTD_compressCCtx(*cctx, z, zlen, raw.buf, raw.len, 3);
	if (ZSTD_isError(zlen))
		BUG("packet chunk: zstd: %s", ZSTD_getErrorName(zlen));
	codec = 1;
	st = store_stmt(s, "INSERT INTO packet_chunks(artifact_id, first_pkt, "
			   "npkts, ts_min, ts_max, codec, raw_len, data) VALUES "
			   "(?, ?, ?, ?, ?, ?, ?, ?)",
	    e);
	if (st == NULL) {
		rc = DD_ESQL;
		goto out;
	}
	sqlite3_bind_int64(st, 1, artifact_id);
	sqlite3_bind_int64(st, 2, first_pkt);
	sqlite3_bind_int64(st, 3, (int64_t)n);
	sqlite3_bind_int64(st, 4, tmin);
	sqlite3_bind_int64(st, 5, tmax);
	sqlite3_bind_int(st, 6, codec);
	sqlite3_bind_int64(st, 7, (int64_t)raw.len);
	sqlite3_bind_blob(st, 8, z, (int)zlen, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		rc = DD_ESQL;
out:
	free(z);
	sbuf_release(&raw);
	return rc;
}

int
pkt_chunk_decode(const void *data, size_t len, struct packet_rec **out,
    size_t *nout, struct dd_err *e)
{
	struct rd r, col[PKT_NCOLS];
	struct packet_rec *p;
	int64_t ts = 0, flow = 0, outer = 0;
	uint64_t n, i;
	int k;

	*out = NULL;
	*nout = 0;
	rd_init(&r, data, len, 0);
	if (rd_u8(&r) != PKT_VERSION)
		return dd_err_set(e, DD_ECORRUPT,
		    "packet index chunk has an unknown version");
	n = rd_uvarint(&r);
	if (!rd_ok(&r) || n == 0 || n > SINK_PACKETS_MAX)
		return dd_err_set(e, DD_ECORRUPT,
		    "packet index chunk has a bad count");
	for (k = 0; k < PKT_NCOLS; k++) {
		uint64_t cl = rd_uvarint(&r);
		if (!rd_ok(&r) || cl > rd_left(&r) ||
		    rd_sub(&r, (size_t)cl, &col[k]) != 0)
			return dd_err_set(e, DD_ECORRUPT,
			    "packet index chunk has a bad column %d", k);
	}
	p = xreallocarray(NULL, (size_t)n, sizeof(*p));
	for (i = 0; i < n; i++) {
		int64_t d;
		uint64_t cap;
		ts += rd_svarint(&col[0]);
		cap = rd_uvarint(&col[1]);
		d = rd_svarint(&col[2]);
		flow += rd_svarint(&col[3]);
		outer += rd_svarint(&col[4]);
		if (cap > UINT32_MAX || d < -(int64_t)cap ||
		    d > (int64_t)UINT32_MAX - (int64_t)cap)
			break;
		p[i].ts = ts;
		p[i].caplen = (uint32_t)cap;
		p[i].wirelen = (uint32_t)((int64_t)cap + d);
		p[i].flow_no = flow;
		p[i].outer_no = outer;
	}
	for (k = 0; k < PKT_NCOLS; k++)
		if (i < n || !rd_ok(&col[k]) || rd_left(&col[k]) != 0) {
			free(p);
			return dd_err_set(e, DD_ECORRUPT,
			    "packet index chunk column %d is malformed", k);
		}
	*out = p;
	*nout = (size_t)n;
	return 0;
}

int
pkt_each(struct store *s, int64_t artifact_id, int64_t from, int64_t to,
    pkt_fn fn, void *user, struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	uint8_t *raw = xmalloc(PKT_RAW_MAX);
	int rc = 0, step;

	if (sqlite3_prepare_v2(s->db,
		"SELECT id, first_pkt, codec, raw_len, data FROM packet_chunks "
		"WHERE artifact_id = ? AND ts_max >= ? AND ts_min <= ? "
		"ORDER BY first_pkt",
		-1, &st, NULL) != SQLITE_OK) {
		rc = store_sqlerr(s, e, "reading the packet index");
		goto out;
	}
	sqlite3_bind_int64(st, 1, artifact_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct packet_rec *p = NULL;
		int64_t first = sqlite3_column_int64(st, 1);
		size_t len, n, i;
		if ((rc = chunk_decode(sqlite3_column_int(st, 2),
			 sqlite3_column_int64(st, 3),
			 sqlite3_column_blob(st, 4),
			 (size_t)sqlite3_column_bytes(st, 4), raw, PKT_RAW_MAX,
			 &len, e)) < 0 ||
		    (rc = pkt_chunk_decode(raw, len, &p, &n, e)) < 0) {
			dd_err_prefix(e, "packet index chunk %" PRId64,
			    (int64_t)sqlite3_column_int64(st, 0));
			goto out;
		}
		for (i = 0; i < n && rc >= 0; i++)
			rc = fn(user, first + (int64_t)i, &p[i], e);
		free(p);
		if (rc < 0)
			goto out;
	}
	if (step != SQLITE_DONE)
		rc = store_sqlerr(s, e, "reading the packet index");
out:
	sqlite3_finalize(st);
	free(raw);
	return rc;
}
