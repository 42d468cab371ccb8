/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-export-pcap.c: `drydock export-pcap CASE [--flow ID]... [--host
 * IP]... [--from T] [--to T] [--artifact ID] -o FILE`: the selected
 * packets of the case's captures, byte for byte, as one pcap file.
 *
 * The packet index (core/pktstore.h) says which packets are wanted: per
 * capture, packet numbers in capture order with their time, lengths and
 * flow numbers. The packet bytes are only in the stored original, so the
 * capture is read again, from the chunk store (blobr), through the
 * compression filter it was imported through (detected by magic, as the
 * import did, with ingest_filter_magic; undone by libarchive), through a
 * stdio stream (fopencookie) handed to libpcap. Every wanted packet is
 * checked against its index entry (time, captured and wire lengths): a
 * disagreement means the case and its original do not match, and the
 * export fails with nothing written. A member of an archive artifact (a
 * LID-DS 2021 recording's capture) is read out of its archive's original.
 *
 * Captures are written one after the other in artifact id order, each in
 * its own packet order; they must share a link type.
 */
#include "core/common.h"

#include <arpa/inet.h>
#include "core/lib-pcap.h"
#include <sys/stat.h>
#include <unistd.h>

#include "core/lib-archive.h"
#include <jansson.h>
#include <sqlite3.h>
#include <zlib.h>

#include "core/chunk.h"
#include "core/cli/cli.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/pktstore.h"
#include "core/sink.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

static int cmd_export_pcap_run(int argc, char **argv);

const struct cli_cmd cmd_export_pcap = {
	.name = "export-pcap",
	.synopsis = "[--flow ID]... [--host IP]... [--from T] [--to T] "
		    "[--artifact ID] -o FILE CASE",
	.summary = "write the packets of chosen flows, hosts or times as a "
		   "pcap",
	.help =
	    "Writes the selected packets of the case's captures to one pcap "
	    "file that\n"
	    "tshark, tcpdump and Wireshark read: the same captured bytes, the "
	    "same\n"
	    "timestamps and the same original lengths as in the evidence. The "
	    "packet\n"
	    "index says which packets are wanted; their bytes are read again "
	    "from the\n"
	    "capture's stored original (a gzip, zstd or xz original is "
	    "decompressed).\n"
	    "Each packet is checked against the index: a packet whose time or "
	    "lengths\n"
	    "differ is an integrity error (exit 1, no output; run 'drydock "
	    "verify').\n\n"
	    "Selection (at least one; different options intersect, repeated "
	    "--flow and\n"
	    "--host add up):\n"
	    "  --flow ID       the packets of flow ID (flows.id); a tunnel's "
	    "flow\n"
	    "                  includes the packets it carries\n"
	    "  --host IP       the packets of every flow from or to IP\n"
	    "  --from T        packets at or after T (case time: the flows "
	    "view's\n"
	    "                  times, clock offset applied)\n"
	    "  --to T          packets at or before T\n"
	    "  --artifact ID   only packets of capture artifact ID (alone: "
	    "all of them,\n"
	    "                  ARP and undecoded packets included)\n"
	    "T is RFC 3339 (2024-05-01T10:00:00.5Z, offsets allowed) or "
	    "integer\n"
	    "nanoseconds since the epoch.\n\n"
	    "Options:\n"
	    "  -o FILE         where to write (required; - for standard "
	    "output)\n\n"
	    "Packets of several captures are written capture by capture, in "
	    "artifact\n"
	    "id order, each in its own order (use mergecap -w to interleave by "
	    "time);\n"
	    "they must share a link type, else export them one at a time with\n"
	    "--artifact. Timestamps are written in nanoseconds when a capture "
	    "has them\n"
	    "(pcapng, nanosecond pcap), else in microseconds. A file is "
	    "written beside\n"
	    "FILE and renamed into place when complete. The summary on "
	    "stderr counts\n"
	    "packets, bytes of the file and flows; the export is recorded in "
	    "the chain\n"
	    "of custody (with the file's SHA-256) when the case is "
	    "writable.\n\n"
	    "Exit status: 0 written (possibly 0 packets); 1 no such flow, "
	    "host or\n"
	    "capture, link types differ, or an integrity or I/O error (no "
	    "output is\n"
	    "left); 2 usage error.\n\n"
	    "Examples:\n"
	    "  drydock query case.drydock 'SELECT id, src, dst, dport, packets "
	    "FROM flows'\n"
	    "  drydock export-pcap case.drydock --flow 12 --flow 13 -o "
	    "http.pcap\n"
	    "  drydock export-pcap case.drydock --host 10.0.0.5 \\\n"
	    "      --from 2024-05-01T10:00:00Z --to 2024-05-01T10:05:00Z -o "
	    "beacon.pcap\n"
	    "  drydock export-pcap case.drydock --artifact 3 -o - | tshark "
	    "-r -\n",
	.mutates = true,
	.run = cmd_export_pcap_run,
};

#define XP_BLOCK (64u * 1024u)
/* Flow numbers beyond this are not believed (a bitmap is sized by them). */
#define XP_FLOW_NO_MAX (1ll << 28)

/* One capture artifact to read. */
struct xp_art {
	int64_t id;
	char *name;	     /* owned */
	int64_t blob_id;     /* its original, or the archive's (member) */
	char *member;	     /* owned: name inside the archive, or NULL */
	int64_t clock_offset; /* ns added to raw times in the views */
	uint64_t size;	     /* bytes of the blob read */
	int dlt, snaplen;
	bool nano;
	bool all_flows;	     /* no --flow/--host: every packet qualifies */
	uint8_t *want;	     /* bitmap of selected flow_no (owned) */
	uint8_t *seen;	     /* bitmap of flow_no written (owned) */
	int64_t max_no;	     /* bitmaps cover 0..max_no */
};

/* The whole export. */
struct xp {
	struct store *s;
	const char *case_path;
	struct xp_art *arts;
	size_t narts, aarts;
	int64_t from, to;    /* case time, inclusive */
	/* Per capture while it is read. */
	struct xp_art *cur;
	pcap_t *in;
	int64_t in_no;	     /* packets read from in so far */
	int64_t rfrom, rto;  /* from/to in its raw time */
	bool flow_sel;	     /* --flow or --host given */
	/* Output. */
	pcap_dumper_t *dump;
	bool out_nano;
	uint64_t packets, flows;
	/* Progress over the blobs. */
	uint64_t done_before, total;
};

/* The stored original of one capture as a byte stream. */
struct xp_rd {
	struct xp *x;
	struct blobr *br;
	uint64_t off;	     /* next blob byte */
	struct archive *ar;  /* decompression or archive member, or NULL */
	z_stream *gz;	     /* gzip (as ingest reads it: zlib), or NULL */
	bool gz_done;
	uint8_t *blk;	     /* the compressed read block (owned) */
	struct dd_err err;   /* first failure of a read */
	bool failed;
};

/* The output file: written through stdio for pcap_dump, hashed. */
struct xp_out {
	int fd;
	struct sha *sha;
	uint64_t bytes;
	int err;	     /* errno of a failed write */
};

static void
xp_bit_set(uint8_t *b, int64_t i)
{
	b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

static bool
xp_bit(const uint8_t *b, int64_t max, int64_t i)
{
	return b != NULL && i > 0 && i <= max && (b[i >> 3] >> (i & 7)) & 1;
}

static void
xp_progress(struct xp *x, struct xp_rd *r)
{
	cli_progress("exporting packets of", x->cur->name,
	    x->done_before + r->off, x->total);
}

/* Blob bytes for libarchive. */
static la_ssize_t
xp_ar_read(struct archive *a, void *user, const void **buf)
{
	struct xp_rd *r = user;
	size_t got;

	(void)a;
	if (blobr_pread(r->br, r->off, r->blk, XP_BLOCK, &got, &r->err) < 0) {
		r->failed = true;
		return -1;
	}
	r->off += got;
	*buf = r->blk;
	return (la_ssize_t)got;
}

static la_int64_t
xp_ar_skip(struct archive *a, void *user, la_int64_t req)
{
	struct xp_rd *r = user;
	uint64_t left = blobr_size(r->br) - r->off;

	(void)a;
	if (req <= 0)
		return 0;
	if ((uint64_t)req > left)
		req = (la_int64_t)left;
	r->off += (uint64_t)req;
	return req;
}

/*
 * gzip through zlib, as the import read it (ingest/ingest.c): members in
 * turn, and a stream cut short gives every byte before the cut (libarchive
 * gives none), so the packets the import indexed are all there.
 */
static ssize_t
xp_gz_read(struct xp_rd *r, void *buf, size_t n)
{
	z_stream *z = r->gz;
	size_t got;
	int zr;

	if (r->gz_done || n == 0)
		return 0;
	z->next_out = buf;
	z->avail_out = (uInt)MIN(n, (size_t)1 << 30);
	while (z->avail_out > 0) {
		if (z->avail_in == 0) {
			if (blobr_pread(r->br, r->off, r->blk, XP_BLOCK, &got,
				&r->err) < 0) {
				r->failed = true;
				return -1;
			}
			r->off += got;
			z->next_in = r->blk;
			z->avail_in = (uInt)got;
			if (got == 0) {
				r->gz_done = true; /* the end, or a cut */
				break;
			}
		}
		zr = inflate(z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			uint8_t m[2];
			size_t k = 0;
			/* Another member may follow; other bytes end it. */
			if (z->avail_in >= 2) {
				m[0] = z->next_in[0];
				m[1] = z->next_in[1];
				k = 2;
			} else if (blobr_pread(r->br,
				       r->off - z->avail_in, m, 2, &k,
				       &r->err) < 0) {
				r->failed = true;
				return -1;
			}
			if (k < 2 || m[0] != 0x1f || m[1] != 0x8b) {
				r->gz_done = true;
				break;
			}
			inflateReset(z);
			continue;
		}
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			dd_err_set(&r->err, DD_EFORMAT,
			    "cannot decompress the stored original (gzip): %s",
			    z->msg ? z->msg : "corrupt data");
			r->failed = true;
			return -1;
		}
	}
	return (ssize_t)(n - z->avail_out);
}

/* Decompressed capture bytes for libpcap. */
static ssize_t
xp_cookie_read(void *cookie, char *buf, size_t n)
{
	struct xp_rd *r = cookie;
	size_t got;
	la_ssize_t k;

	if (r->failed)
		return -1;
	if (r->gz != NULL) {
		ssize_t g = xp_gz_read(r, buf, n);
		xp_progress(r->x, r);
		return g;
	}
	if (r->ar != NULL) {
		k = archive_read_data(r->ar, buf, n);
		if (k < 0) {
			if (!r->failed)
				dd_err_set(&r->err, DD_EFORMAT,
				    "cannot decompress the stored original: %s",
				    archive_error_string(r->ar) ?
					archive_error_string(r->ar) :
					"unknown error");
			r->failed = true;
			return -1;
		}
		xp_progress(r->x, r);
		return (ssize_t)k;
	}
	if (blobr_pread(r->br, r->off, buf, n, &got, &r->err) < 0) {
		r->failed = true;
		return -1;
	}
	r->off += got;
	xp_progress(r->x, r);
	return (ssize_t)got;
}

static ssize_t
xp_cookie_write(void *cookie, const char *buf, size_t n)
{
	struct xp_out *o = cookie;
	size_t off = 0;
	ssize_t k;

	while (off < n) {
		k = write(o->fd, buf + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			o->err = errno;
			return off > 0 ? (ssize_t)off : -1;
		}
		sha_update(o->sha, buf + off, (size_t)k);
		off += (size_t)k;
	}
	o->bytes += n;
	return (ssize_t)n;
}

/*
 * Open r over a's stored original: a plain blob, a compressed one
 * (gzip, zstd, xz, bzip2: libarchive's raw format over its filters), or a
 * member inside an archive's original.
 */
static int
xp_rd_open(struct xp *x, struct xp_art *a, struct xp_rd *r, struct dd_err *e)
{
	struct archive_entry *ent;
	uint8_t head[8];
	const char *filter = NULL;
	size_t hn;
	int k;

	memset(r, 0, sizeof(*r));
	r->x = x;
	r->err = (struct dd_err)DD_ERR_INIT;
	if (blobr_open(x->s, a->blob_id, &r->br, e) < 0)
		return dd_err_prefix(e, "reading artifact %" PRId64 " '%s'",
		    a->id, a->name);
	a->size = blobr_size(r->br);
	if (a->member == NULL) {
		if (blobr_pread(r->br, 0, head, sizeof(head), &hn, e) < 0)
			return dd_err_prefix(e,
			    "reading artifact %" PRId64 " '%s'", a->id,
			    a->name);
		filter = ingest_filter_magic(head, hn);
		if (filter == NULL)
			return 0;
	}
	r->blk = xmalloc(XP_BLOCK);
	if (filter != NULL && strcmp(filter, "gzip") == 0) {
		r->gz = xcalloc(1, sizeof(*r->gz));
		if (inflateInit2(r->gz, 15 + 16) != Z_OK)
			BUG("zlib: cannot initialise inflate");
		return 0;
	}
	r->ar = archive_read_new();
	if (r->ar == NULL)
		BUG("libarchive: cannot allocate a reader");
	archive_read_support_filter_all(r->ar);
	if (a->member != NULL) {
		archive_read_support_format_zip(r->ar);
		archive_read_support_format_tar(r->ar);
	} else {
		archive_read_support_format_raw(r->ar);
	}
	archive_read_set_callback_data(r->ar, r);
	archive_read_set_read_callback(r->ar, xp_ar_read);
	archive_read_set_skip_callback(r->ar, xp_ar_skip);
	if (archive_read_open1(r->ar) != ARCHIVE_OK)
		goto bad;
	while ((k = archive_read_next_header(r->ar, &ent)) == ARCHIVE_OK ||
	    k == ARCHIVE_WARN) {
		const char *p = archive_entry_pathname(ent);
		if (a->member == NULL ||
		    (p != NULL && strcmp(p, a->member) == 0))
			return 0;
	}
	if (k == ARCHIVE_EOF && !r->failed)
		return dd_err_set(e, DD_ECORRUPT,
		    "artifact %" PRId64 " '%s' is not in its archive's stored "
		    "original",
		    a->id, a->name);
bad:
	if (r->failed) {
		*e = r->err;
		return dd_err_prefix(e, "reading artifact %" PRId64 " '%s'",
		    a->id, a->name);
	}
	return dd_err_set(e, DD_EFORMAT,
	    "cannot read the stored original of artifact %" PRId64
	    " '%s' (%s): %s",
	    a->id, a->name, filter ? filter : "archive",
	    archive_error_string(r->ar) ? archive_error_string(r->ar) :
					  "unknown error");
}

static void
xp_rd_close(struct xp_rd *r)
{
	if (r->ar != NULL)
		archive_read_free(r->ar);
	if (r->gz != NULL) {
		inflateEnd(r->gz);
		free(r->gz);
	}
	blobr_close(r->br);
	free(r->blk);
	memset(r, 0, sizeof(*r));
}

static int64_t
xp_sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b > 0 ? INT64_MIN : INT64_MAX;
	return r;
}

/* One packet of the index: write it when it is selected. */
static int
xp_on_packet(void *user, int64_t no, const struct packet_rec *p,
    struct dd_err *e)
{
	struct xp *x = user;
	struct xp_art *a = x->cur;
	struct pcap_pkthdr *h, oh;
	const u_char *data;
	int64_t ts;
	int nx;

	if (p->ts < x->rfrom || p->ts > x->rto)
		return 0;
	if (!a->all_flows && !xp_bit(a->want, a->max_no, p->flow_no) &&
	    !xp_bit(a->want, a->max_no, p->outer_no))
		return 0;
	if (no <= x->in_no)
		return dd_err_set(e, DD_ECORRUPT,
		    "the packet index of artifact %" PRId64 " '%s' in case "
		    "'%s' repeats packet %" PRId64,
		    a->id, a->name, x->case_path, no);
	for (;;) {
		nx = pcap_next_ex(x->in, &h, &data);
		if (nx != 1)
			return nx == PCAP_ERROR_BREAK ?
			    dd_err_set(e, DD_ECORRUPT,
				"artifact %" PRId64 " '%s' in case '%s' ends "
				"after %" PRId64 " packets, but its packet "
				"index has packet %" PRId64,
				a->id, a->name, x->case_path, x->in_no, no) :
			    DD_EIO; /* the caller reads the reason */
		if (++x->in_no == no)
			break;
	}
	ts = pkt_ts_ns((int64_t)h->ts.tv_sec, (int64_t)h->ts.tv_usec);
	if (ts != p->ts || h->caplen != p->caplen || h->len != p->wirelen)
		return dd_err_set(e, DD_ECORRUPT,
		    "packet %" PRId64 " of artifact %" PRId64 " '%s' in case "
		    "'%s' does not match the packet index (time %" PRId64
		    " ns, %u of %u bytes in the stored original; %" PRId64
		    " ns, %u of %u bytes in the index)",
		    no, a->id, a->name, x->case_path, ts, h->caplen, h->len,
		    p->ts, p->caplen, p->wirelen);
	oh = *h;
	if (!x->out_nano)
		oh.ts.tv_usec = h->ts.tv_usec / 1000;
	pcap_dump((u_char *)x->dump, &oh, data);
	x->packets++;
	if (x->flow_sel) {
		if (xp_bit(a->want, a->max_no, p->flow_no) &&
		    !xp_bit(a->seen, a->max_no, p->flow_no)) {
			xp_bit_set(a->seen, p->flow_no);
			x->flows++;
		}
		if (xp_bit(a->want, a->max_no, p->outer_no) &&
		    !xp_bit(a->seen, a->max_no, p->outer_no)) {
			xp_bit_set(a->seen, p->outer_no);
			x->flows++;
		}
	} else {
		if (p->flow_no > 0 && p->flow_no <= a->max_no &&
		    !xp_bit(a->seen, a->max_no, p->flow_no)) {
			xp_bit_set(a->seen, p->flow_no);
			x->flows++;
		}
		if (p->outer_no > 0 && p->outer_no <= a->max_no &&
		    !xp_bit(a->seen, a->max_no, p->outer_no)) {
			xp_bit_set(a->seen, p->outer_no);
			x->flows++;
		}
	}
	return 0;
}

/* Read capture a and write its selected packets. */
static int
xp_export_art(struct xp *x, struct xp_art *a, struct dd_err *e)
{
	cookie_io_functions_t io = { .read = xp_cookie_read };
	char errbuf[PCAP_ERRBUF_SIZE];
	struct xp_rd r;
	FILE *fp;
	int rc;

	x->cur = a;
	if ((rc = xp_rd_open(x, a, &r, e)) < 0)
		goto out;
	if ((fp = fopencookie(&r, "r", io)) == NULL) {
		rc = dd_err_set(e, DD_EIO, "cannot read artifact %" PRId64,
		    a->id);
		goto out;
	}
	setvbuf(fp, NULL, _IOFBF, 1u << 18);
	errbuf[0] = '\0';
	x->in = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (x->in == NULL) {
		fclose(fp);
		if (r.failed) {
			*e = r.err;
			rc = dd_err_prefix(e, "reading artifact %" PRId64 " '%s'",
			    a->id, a->name);
		} else {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "the stored original of artifact %" PRId64
			    " '%s' in case '%s' is not a capture libpcap "
			    "reads: %s",
			    a->id, a->name, x->case_path, errbuf);
		}
		goto out;
	}
	if (pcap_datalink(x->in) != a->dlt) {
		rc = dd_err_set(e, DD_ECORRUPT,
		    "artifact %" PRId64 " '%s' in case '%s' has link type %d, "
		    "but its pcap.dlt label says %d",
		    a->id, a->name, x->case_path, pcap_datalink(x->in), a->dlt);
		goto out;
	}
	x->in_no = 0;
	x->rfrom = xp_sat_sub(x->from, a->clock_offset);
	x->rto = xp_sat_sub(x->to, a->clock_offset);
	rc = pkt_each(x->s, a->id, x->rfrom, x->rto, xp_on_packet, x, e);
	if (rc == DD_EIO && e->code == 0) {
		/* libpcap stopped: a read failure below it, or its own. */
		if (r.failed) {
			*e = r.err;
			rc = dd_err_prefix(e, "reading artifact %" PRId64 " '%s'",
			    a->id, a->name);
		} else {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "artifact %" PRId64 " '%s' in case '%s' cannot be "
			    "read past packet %" PRId64
			    " (%s), but its packet index goes on",
			    a->id, a->name, x->case_path, x->in_no,
			    pcap_geterr(x->in));
		}
	}
out:
	if (x->in != NULL)
		pcap_close(x->in); /* closes fp */
	x->in = NULL;
	x->done_before += a->size;
	xp_rd_close(&r);
	return rc;
}

static void
xp_art_release(struct xp_art *a)
{
	free(a->name);
	free(a->member);
	free(a->want);
	free(a->seen);
}

/* The capture artifact id, found or added (labels read, bitmaps made). */
static int
xp_art_get(struct xp *x, int64_t id, struct xp_art **out, struct dd_err *e)
{
	sqlite3_stmt *st;
	struct xp_art a;
	size_t i;
	int step;

	*out = NULL;
	for (i = 0; i < x->narts; i++)
		if (x->arts[i].id == id) {
			*out = &x->arts[i];
			return 0;
		}
	st = store_stmt(x->s,
	    "SELECT a.name, a.clock_offset, a.reference, a.blob_id, "
	    "g.id, g.blob_id, g.format, "
	    "(SELECT value FROM label_all WHERE artifact_id = a.id AND "
	    " key = 'pcap.dlt' LIMIT 1), "
	    "(SELECT value FROM label_all WHERE artifact_id = a.id AND "
	    " key = 'pcap.snaplen' LIMIT 1), "
	    "(SELECT value FROM label_all WHERE artifact_id = a.id AND "
	    " key = 'pcap.tsprecision' LIMIT 1), "
	    "(SELECT max(flow_no) FROM flow_all WHERE artifact_id = a.id), "
	    "(SELECT size FROM blobs WHERE id = coalesce(a.blob_id, "
	    " g.blob_id)) "
	    "FROM artifact_all a LEFT JOIN artifact_all g ON g.id = a.group_id "
	    "WHERE a.id = ? AND a.state = 'complete'",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_reset(st);
		if (step == SQLITE_DONE)
			return dd_err_set(e, DD_ENOTFOUND,
			    "no artifact %" PRId64 " in case '%s'", id,
			    x->case_path);
		return store_sqlerr(x->s, e, "reading artifacts");
	}
	memset(&a, 0, sizeof(a));
	a.id = id;
	a.name = xstrdup(sqlite3_column_text(st, 0) ?
		(const char *)sqlite3_column_text(st, 0) : "?");
	a.clock_offset = sqlite3_column_int64(st, 1);
	a.blob_id = sqlite3_column_int64(st, 3);
	if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
		step = dd_err_set(e, DD_EUNSUP,
		    "artifact %" PRId64 " '%s' in case '%s' is not a capture "
		    "with a packet index",
		    id, a.name, x->case_path);
		goto bad;
	}
	a.dlt = sqlite3_column_int(st, 7);
	a.snaplen = sqlite3_column_int(st, 8);
	a.nano = sqlite3_column_text(st, 9) != NULL &&
	    strcmp((const char *)sqlite3_column_text(st, 9), "nano") == 0;
	a.max_no = sqlite3_column_int64(st, 10);
	a.size = (uint64_t)sqlite3_column_int64(st, 11);
	if (sqlite3_column_int(st, 2) != 0) {
		step = dd_err_set(e, DD_EUNSUP,
		    "artifact %" PRId64 " '%s' in case '%s' was kept by "
		    "reference: its packets are not in the case",
		    id, a.name, x->case_path);
		goto bad;
	}
	if (sqlite3_column_type(st, 3) == SQLITE_NULL) {
		/* A member of an archive: its bytes are in the archive's. */
		if (sqlite3_column_type(st, 5) == SQLITE_NULL) {
			step = dd_err_set(e, DD_ECORRUPT,
			    "artifact %" PRId64 " '%s' in case '%s' has no "
			    "stored original",
			    id, a.name, x->case_path);
			goto bad;
		}
		a.blob_id = sqlite3_column_int64(st, 5);
		a.member = xstrdup(a.name);
	}
	if (a.max_no < 0 || a.max_no > XP_FLOW_NO_MAX) {
		step = dd_err_set(e, DD_ECORRUPT,
		    "artifact %" PRId64 " '%s' in case '%s' numbers a flow %" PRId64,
		    id, a.name, x->case_path, a.max_no);
		goto bad;
	}
	sqlite3_reset(st);
	a.all_flows = !x->flow_sel;
	a.want = xcalloc((size_t)(a.max_no >> 3) + 1, 1);
	a.seen = xcalloc((size_t)(a.max_no >> 3) + 1, 1);
	if (x->narts == x->aarts) {
		x->aarts = x->aarts ? 2 * x->aarts : 8;
		x->arts = xreallocarray(x->arts, x->aarts, sizeof(*x->arts));
	}
	x->arts[x->narts] = a;
	*out = &x->arts[x->narts++];
	return 0;
bad:
	sqlite3_reset(st);
	xp_art_release(&a);
	return step;
}

/* Select flow (artifact_id, flow_no). */
static int
xp_want_flow(struct xp *x, int64_t art, int64_t no, struct dd_err *e)
{
	struct xp_art *a;
	int rc;

	if ((rc = xp_art_get(x, art, &a, e)) < 0)
		return rc;
	if (no > 0 && no <= a->max_no)
		xp_bit_set(a->want, no);
	return 0;
}

static int
xp_select_flow(struct xp *x, int64_t id, struct dd_err *e)
{
	sqlite3_stmt *st;
	int64_t art, no;
	int step;

	st = store_stmt(x->s,
	    "SELECT f.artifact_id, f.flow_no FROM flow_all f JOIN "
	    "artifact_all a ON a.id = f.artifact_id WHERE f.id = ? AND "
	    "a.state = 'complete'",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		sqlite3_reset(st);
		if (step == SQLITE_DONE)
			return dd_err_set(e, DD_ENOTFOUND,
			    "no flow %" PRId64 " in case '%s' (see 'drydock "
			    "query CASE \"SELECT id, src, dst FROM flows\"')",
			    id, x->case_path);
		return store_sqlerr(x->s, e, "reading flows");
	}
	art = sqlite3_column_int64(st, 0);
	no = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return xp_want_flow(x, art, no, e);
}

static int
xp_select_host(struct xp *x, const char *ip, struct dd_err *e)
{
	sqlite3_stmt *st;
	int64_t n = 0;
	int step, rc = 0;

	/* Pairs are collected first: xp_want_flow runs statements too. */
	struct { int64_t art, no; } *v = NULL;
	size_t nv = 0, av = 0, i;

	st = store_stmt(x->s,
	    "SELECT f.artifact_id, f.flow_no FROM flow_all f JOIN "
	    "artifact_all a ON a.id = f.artifact_id WHERE (f.src = ?1 OR "
	    "f.dst = ?1) AND a.state = 'complete' ORDER BY f.id",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, ip, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (nv == av) {
			av = av ? 2 * av : 64;
			v = xreallocarray(v, av, sizeof(*v));
		}
		v[nv].art = sqlite3_column_int64(st, 0);
		v[nv++].no = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		free(v);
		return store_sqlerr(x->s, e, "reading flows");
	}
	for (i = 0; i < nv && rc == 0; i++, n++)
		rc = xp_want_flow(x, v[i].art, v[i].no, e);
	free(v);
	if (rc == 0 && n == 0)
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "no flow from or to %s in case '%s'", ip, x->case_path);
	return rc;
}

/* Every capture with a packet index (time selection alone). */
static int
xp_select_all(struct xp *x, struct dd_err *e)
{
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int step, rc = 0;

	st = store_stmt(x->s,
	    "SELECT DISTINCT l.artifact_id FROM label_all l JOIN artifact_all "
	    "a ON a.id = l.artifact_id WHERE l.key = 'pcap.dlt' AND "
	    "a.state = 'complete' AND a.reference = 0 ORDER BY 1",
	    e);
	if (st == NULL)
		return DD_ESQL;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		rc = store_sqlerr(x->s, e, "reading labels");
	for (i = 0; i < n && rc == 0; i++) {
		struct xp_art *a;
		rc = xp_art_get(x, ids[i], &a, e);
	}
	free(ids);
	if (rc == 0 && x->narts == 0)
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "case '%s' holds no capture with a packet index",
		    x->case_path);
	return rc;
}

static int
xp_art_cmp(const void *pa, const void *pb)
{
	const struct xp_art *a = pa, *b = pb;

	return (a->id > b->id) - (a->id < b->id);
}

/* Record the export in custody when the case can be written. */
static void
xp_custody(const char *path, json_t *detail)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	char head[SHA256_HEX], *txt;

	char *dir, *slash;
	bool ro;

	/* Writing takes the lock file beside the case. */
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash != NULL)
		slash[slash == dir ? 1 : 0] = '\0';
	ro = access(path, W_OK) < 0 ||
	    access(slash != NULL ? dir : ".", W_OK) < 0;
	free(dir);
	if (ro) {
		if (!cli_g.quiet)
			fprintf(stderr, "the case is read-only: the export is "
					"not recorded in custody\n");
		return;
	}
	if (store_open(path, STORE_WRITE | STORE_KEEPMODE, &s, &e) < 0) {
		cli_errorf("export-pcap",
		    "warning: export not recorded in custody: %s", e.msg);
		return;
	}
	txt = json_dumps(detail,
	    JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	if (txt == NULL)
		BUG("jansson: cannot encode custody detail");
	if (custody_append(s, "export", txt, head, &e) < 0)
		cli_errorf("export-pcap",
		    "warning: export not recorded in custody: %s", e.msg);
	else
		cli_print_head(head);
	free(txt);
	store_close(s);
}

/* Canonical text of an IPv4 or IPv6 address (as the flows relation holds
 * them); false when s is neither. */
static bool
xp_ip_canon(const char *s, char out[INET6_ADDRSTRLEN])
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, s, buf) == 1)
		return inet_ntop(AF_INET, buf, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, s, buf) == 1)
		return inet_ntop(AF_INET6, buf, out, INET6_ADDRSTRLEN) != NULL;
	return false;
}

static int
cmd_export_pcap_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "output", 'o', true },   /* 0 */
		{ "flow", 0, true },	   /* 1 */
		{ "host", 0, true },	   /* 2 */
		{ "from", 0, true },	   /* 3 */
		{ "to", 0, true },	   /* 4 */
		{ "artifact", 0, true },   /* 5 */
		{ NULL, 0, false },
	};
	cookie_io_functions_t wio = { .write = xp_cookie_write };
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct cli_out o;
	struct xp x;
	struct xp_out xo;
	const char *out = NULL;
	char (*hosts)[INET6_ADDRSTRLEN] = NULL;
	int64_t *flows = NULL, art = 0, v;
	size_t nflows = 0, nhosts = 0, i;
	bool have_from = false, have_to = false, out_open = false;
	pcap_t *dead = NULL;
	FILE *wfp = NULL;
	uint8_t digest[SHA256_LEN];
	char hex[SHA256_HEX];
	json_t *detail = NULL, *jarts;
	int k, rc = CLI_OK, snaplen = 0;

	memset(&x, 0, sizeof(x));
	memset(&xo, 0, sizeof(xo));
	x.from = INT64_MIN;
	x.to = INT64_MAX;
	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto out;
		case 0:
			out = p.optarg;
			break;
		case 1:
			if (!parse_i64(p.optarg, &v) || v <= 0) {
				rc = cli_usage(&cmd_export_pcap,
				    "'%s' is not a flow id", p.optarg);
				goto out;
			}
			flows = xreallocarray(flows, nflows + 1,
			    sizeof(*flows));
			flows[nflows++] = v;
			break;
		case 2:
			hosts = xreallocarray(hosts, nhosts + 1,
			    sizeof(*hosts));
			if (!xp_ip_canon(p.optarg, hosts[nhosts])) {
				rc = cli_usage(&cmd_export_pcap,
				    "'%s' is not an IPv4 or IPv6 address",
				    p.optarg);
				goto out;
			}
			nhosts++;
			break;
		case 3:
		case 4:
			if (!time_parse(p.optarg, k == 3 ? &x.from : &x.to)) {
				rc = cli_usage(&cmd_export_pcap,
				    "'%s' is not a time (RFC 3339 or "
				    "nanoseconds)",
				    p.optarg);
				goto out;
			}
			if (k == 3)
				have_from = true;
			else
				have_to = true;
			break;
		case 5:
			if (!parse_i64(p.optarg, &art) || art <= 0) {
				rc = cli_usage(&cmd_export_pcap,
				    "'%s' is not an artifact id", p.optarg);
				goto out;
			}
			break;
		}
	}
	if (p.nops != 1 || out == NULL) {
		rc = cli_usage(&cmd_export_pcap, "expected CASE and -o FILE");
		goto out;
	}
	if (nflows == 0 && nhosts == 0 && !have_from && !have_to && art == 0) {
		rc = cli_usage(&cmd_export_pcap,
		    "choose packets with --flow, --host, --from, --to or "
		    "--artifact");
		goto out;
	}
	if (have_from && have_to && x.from > x.to) {
		rc = cli_usage(&cmd_export_pcap, "--from is after --to");
		goto out;
	}
	x.case_path = p.ops[0];
	x.flow_sel = nflows > 0 || nhosts > 0;
	if (store_open(p.ops[0], STORE_RDONLY, &x.s, &e) < 0)
		goto fail;
	if (!store_has_relation(x.s, "packet_chunks") ||
	    !store_has_relation(x.s, "flow_all")) {
		dd_err_set(&e, DD_EUNSUP,
		    "case '%s' has no packet index (written by an older "
		    "drydock; open it for writing to upgrade it)",
		    p.ops[0]);
		goto fail;
	}

	/* Which captures, which flows. */
	for (i = 0; i < nflows; i++)
		if (xp_select_flow(&x, flows[i], &e) < 0)
			goto fail;
	for (i = 0; i < nhosts; i++)
		if (xp_select_host(&x, hosts[i], &e) < 0)
			goto fail;
	if (art > 0) {
		struct xp_art *a;
		if (xp_art_get(&x, art, &a, &e) < 0)
			goto fail;
		/* Flows elsewhere do not intersect this capture. */
		for (i = 0; i < x.narts; i++)
			if (x.arts[i].id != art) {
				xp_art_release(&x.arts[i]);
				x.arts[i] = x.arts[--x.narts];
				i--;
			}
	} else if (!x.flow_sel && xp_select_all(&x, &e) < 0) {
		goto fail;
	}
	qsort(x.arts, x.narts, sizeof(*x.arts), xp_art_cmp);
	for (i = 0; i < x.narts; i++) {
		if (x.arts[i].dlt != x.arts[0].dlt) {
			const char *n0 = pcap_datalink_val_to_name(
			    x.arts[0].dlt);
			const char *n1 = pcap_datalink_val_to_name(
			    x.arts[i].dlt);
			dd_err_set(&e, DD_EUNSUP,
			    "the selected packets of case '%s' come from "
			    "captures of different link types: artifact "
			    "%" PRId64 " '%s' (%s) and artifact %" PRId64
			    " '%s' (%s); a pcap holds one: export each with "
			    "--artifact ID",
			    p.ops[0], x.arts[0].id, x.arts[0].name,
			    n0 ? n0 : "?", x.arts[i].id, x.arts[i].name,
			    n1 ? n1 : "?");
			goto fail;
		}
		snaplen = MAX(snaplen, x.arts[i].snaplen);
		x.out_nano = x.out_nano || x.arts[i].nano;
	}
	if (snaplen <= 0)
		snaplen = 262144;

	/* Write. */
	if (cli_out_open(&o, out, "export-pcap") != CLI_OK) {
		rc = CLI_FAIL;
		goto out;
	}
	out_open = true;
	xo.fd = o.fd;
	xo.sha = sha_new();
	if ((wfp = fopencookie(&xo, "w", wio)) == NULL) {
		dd_err_set(&e, DD_EIO, "cannot write '%s'", out);
		goto fail;
	}
	setvbuf(wfp, NULL, _IOFBF, 1u << 18);
	dead = pcap_open_dead_with_tstamp_precision(
	    x.narts ? x.arts[0].dlt : DLT_EN10MB, snaplen,
	    x.out_nano ? PCAP_TSTAMP_PRECISION_NANO :
			 PCAP_TSTAMP_PRECISION_MICRO);
	if (dead == NULL || (x.dump = pcap_dump_fopen(dead, wfp)) == NULL) {
		dd_err_set(&e, DD_EIO, "cannot write '%s': %s", out,
		    dead ? pcap_geterr(dead) : "libpcap");
		goto fail;
	}
	wfp = NULL; /* the dumper's now */
	for (i = 0; i < x.narts; i++)
		x.total += x.arts[i].size;
	for (i = 0; i < x.narts; i++) {
		if (xp_export_art(&x, &x.arts[i], &e) < 0) {
			cli_progress_done();
			goto fail;
		}
	}
	cli_progress_done();
	if (pcap_dump_flush(x.dump) < 0 || xo.err != 0) {
		dd_err_set(&e, DD_EIO, "cannot write '%s': %s", out,
		    strerror(xo.err ? xo.err : EIO));
		goto fail;
	}
	pcap_dump_close(x.dump);
	x.dump = NULL;
	out_open = false;
	if (cli_out_finish(&o, true, "export-pcap") != CLI_OK) {
		rc = CLI_FAIL;
		goto out;
	}
	sha_final(xo.sha, digest);
	hex_encode(digest, SHA256_LEN, hex);
	if (!cli_g.quiet) {
		fprintf(stderr,
		    "wrote %" PRIu64 " packets (%" PRIu64 " bytes) of %" PRIu64
		    " flow(s) to ",
		    x.packets, xo.bytes, x.flows);
		cli_put_safe(stderr, strcmp(out, "-") == 0 ? "standard output" :
							     out);
		fputc('\n', stderr);
	}
	store_close(x.s);
	x.s = NULL;

	/* Custody: what was asked, what was written. */
	jarts = json_array();
	for (i = 0; i < x.narts; i++)
		json_array_append_new(jarts, json_integer(x.arts[i].id));
	detail = json_pack("{s:s, s:s, s:o, s:I, s:I, s:I, s:s}", "as", "pcap",
	    "to", strcmp(out, "-") == 0 ? "-" : out, "artifacts", jarts,
	    "packets", (json_int_t)x.packets, "bytes", (json_int_t)xo.bytes,
	    "flows", (json_int_t)x.flows, "sha256", hex);
	if (detail == NULL)
		BUG("jansson: cannot build custody detail");
	{
		json_t *sel = json_object(), *a;
		if (nflows > 0) {
			a = json_array();
			for (i = 0; i < nflows; i++)
				json_array_append_new(a,
				    json_integer(flows[i]));
			json_object_set_new(sel, "flow", a);
		}
		if (nhosts > 0) {
			a = json_array();
			for (i = 0; i < nhosts; i++)
				json_array_append_new(a,
				    json_string(hosts[i]));
			json_object_set_new(sel, "host", a);
		}
		if (have_from)
			json_object_set_new(sel, "from", json_integer(x.from));
		if (have_to)
			json_object_set_new(sel, "to", json_integer(x.to));
		if (art > 0)
			json_object_set_new(sel, "artifact", json_integer(art));
		json_object_set_new(detail, "select", sel);
	}
	xp_custody(p.ops[0], detail);
	goto out;
fail:
	rc = cli_fail("export-pcap", &e);
	if (rc == CLI_OK)
		rc = CLI_FAIL;
out:
	if (x.dump != NULL)
		pcap_dump_close(x.dump);
	else if (wfp != NULL)
		fclose(wfp);
	if (dead != NULL)
		pcap_close(dead);
	if (out_open)
		cli_out_finish(&o, false, "export-pcap");
	if (xo.sha != NULL)
		sha_free(xo.sha);
	json_decref(detail);
	for (i = 0; i < x.narts; i++)
		xp_art_release(&x.arts[i]);
	free(x.arts);
	store_close(x.s);
	free(flows);
	free(hosts);
	cli_parse_release(&p);
	return rc;
}
