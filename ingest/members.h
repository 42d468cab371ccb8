/* SPDX-License-Identifier: Apache-2.0 */
/*
 * members.h: helpers for importers whose evidence holds several files (a
 * dataset zip, a tar of recordings) and for line-oriented text.
 *
 * ingest_ar reads a zip or tar (optionally gzip/zstd/xz/bzip2-filtered)
 * through the importer's own source (ingest_src_read, so the framework
 * still stores the original bit-exact in the same pass, and in-memory
 * sources from ingest_buffer work alike) with libarchive's
 * archive_read_open callbacks. It streams: a member is read in blocks and
 * hashed as it goes; nothing is extracted to the filesystem.
 *
 * Invariants:
 * - memory is bounded whatever the archive: one 64 KiB read block, one
 *   64 KiB data block, the current member's name (at most
 *   INGEST_AR_NAME_MAX bytes); ingest_ar_slurp copies a member only up to
 *   the cap its caller gives;
 * - more than LIM_GROUP_MEMBERS members, or more decompressed member bytes
 *   than the source's decompression budget (INGEST_DECOMP_RATIO times its
 *   size, at least INGEST_DECOMP_FLOOR), fail with DD_ELIMIT;
 * - member names are data: never used to open anything.
 *
 * Also here: the two-call member protocol of struct member_rec and labels,
 * wrapped so that an importer works with sinks that keep neither.
 */
#ifndef INGEST_MEMBERS_H
#define INGEST_MEMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

struct dd_err;
struct imp_ctx;
struct sbuf;

#define INGEST_AR_NAME_MAX 4096u

struct ingest_ar;

/* One entry of the archive, borrowed until the next ingest_ar_next. */
struct ingest_ar_entry {
	const char *name; /* path inside the archive, NUL-terminated */
	bool is_file;	  /* a regular file (else a directory, link...) */
	int64_t size;	  /* size the archive declares, -1 unknown */
	uint64_t index;	  /* 0, 1, 2... in archive order */
	uint64_t offset;  /* archive bytes consumed when its header was read
			     (approximate: libarchive reads ahead) */
};

/*
 * Open the archive of ctx's source. pre[0..npre) are the first bytes the
 * importer already read from the source (copied here; may be 0 bytes).
 * *out is owned (ingest_ar_free). Fails with DD_EFORMAT when the source is
 * not a zip or tar libarchive can stream.
 */
int ingest_ar_open(struct imp_ctx *ctx, const void *pre, size_t npre,
    struct ingest_ar **out, struct dd_err *e);
/* The next entry: 1 and *ent filled, 0 at the end, <0 on error (a damaged
 * or truncated archive is DD_EFORMAT or DD_ETRUNC; e names the archive,
 * the entry and the offset). The rest of the previous entry is skipped
 * (unhashed) unless ingest_ar_finish read it. */
int ingest_ar_next(struct ingest_ar *a, struct ingest_ar_entry *ent,
    struct dd_err *e);
/* The next block of the current entry's content: *p (borrowed until the
 * next call) and *n, *n == 0 at its end. Every byte is hashed. */
int ingest_ar_read(struct ingest_ar *a, const uint8_t **p, size_t *n,
    struct dd_err *e);
/* Read the rest of the current entry; its SHA-256 and size. */
int ingest_ar_finish(struct ingest_ar *a, uint8_t sha[SHA256_LEN],
    uint64_t *size, struct dd_err *e);
/* After a failed read: the SHA-256 and size of what was read of the
 * current entry (the entry ends there). */
void ingest_ar_partial(struct ingest_ar *a, uint8_t sha[SHA256_LEN],
    uint64_t *size);
/* Append the rest of the current entry to out, at most cap bytes in all:
 * DD_ELIMIT (out unchanged past cap) when it holds more. */
int ingest_ar_slurp(struct ingest_ar *a, struct sbuf *out, size_t cap,
    struct dd_err *e);
/* Archive bytes consumed so far (for messages). */
uint64_t ingest_ar_offset(const struct ingest_ar *a);
void ingest_ar_free(struct ingest_ar *a);

/*
 * A member artifact of the archive being imported: ingest_member_begin
 * gives the id its events, anomalies and labels use (ctx->artifact_id when
 * the sink keeps no members); ingest_member_end records its size, digest
 * and final format.
 */
int ingest_member_begin(struct imp_ctx *ctx, const char *name,
    const char *format, int64_t *id, struct dd_err *e);
int ingest_member_end(struct imp_ctx *ctx, int64_t id, const char *name,
    const char *format, uint64_t size, const uint8_t sha[SHA256_LEN],
    struct dd_err *e);
/* The name of the first local file header of a zip in head[0..n): true
 * with *name (borrowed from head) and *len; false when head does not
 * start with one. Pure: for sniffers. */
bool ingest_zip_first_name(const uint8_t *head, size_t n,
    const uint8_t **name, size_t *len);
/* A label (key, value) of artifact_id; dropped when the sink keeps none. */
int ingest_label(struct imp_ctx *ctx, int64_t artifact_id, const char *key,
    const char *value, struct dd_err *e);

/*
 * Lines of a byte stream read through fn (the source, or an archive
 * member). A line longer than LIM_TEXT_LINE comes back cut to that length
 * with *cut set; the rest of it is skipped. The buffer is 2 *
 * LIM_TEXT_LINE, owned, released by ingest_lines_release.
 */
typedef int (*ingest_read_fn)(void *user, void *buf, size_t cap,
    size_t *got, struct dd_err *e);

struct ingest_lines {
	ingest_read_fn read; /* the stream */
	void *user;	     /* its state */
	uint8_t *buf;	     /* owned */
	size_t start, end;   /* unread bytes are buf[start..end) */
	size_t scan;	     /* no newline in buf[start..scan) */
	uint64_t base;	     /* stream offset of buf[0] */
	bool eof;
	bool skipping;	     /* inside the rest of a cut line */
	bool unterminated;   /* the last line handed out had no '\n' (the
				stream ended inside it) */
};

void ingest_lines_init(struct ingest_lines *l, ingest_read_fn fn, void *user);
/* The next line without its '\n': 1 with *p (borrowed until the next
 * call), *n and its stream offset *off; 0 at the end; <0 on error. */
int ingest_lines_next(struct ingest_lines *l, const uint8_t **p, size_t *n,
    uint64_t *off, bool *cut, struct dd_err *e);
void ingest_lines_release(struct ingest_lines *l);

/* ingest_read_fn over ctx's source (user: the struct imp_ctx) and over
 * the current member of an archive (user: the struct ingest_ar; hashed
 * like ingest_ar_read). */
int ingest_read_src(void *user, void *buf, size_t cap, size_t *got,
    struct dd_err *e);
int ingest_read_member(void *user, void *buf, size_t cap, size_t *got,
    struct dd_err *e);

/* A pcap/pcapng capture read through fn (ingest/imp-pcap.c), its records
 * on artifact_id (the capture's artifact or an archive member; name for
 * messages). */
int pcap_parse(struct imp_ctx *ctx, int64_t artifact_id, const char *name,
    ingest_read_fn read, void *user, struct dd_err *e);

/* A stream that gives head[0..n) (bytes the importer already read from
 * its source, borrowed) and then the rest of the source. */
struct ingest_replay {
	struct imp_ctx *ctx;
	const uint8_t *head;
	size_t n, pos;
};
int ingest_read_replay(void *user, void *buf, size_t cap, size_t *got,
    struct dd_err *e);
/* Read up to cap bytes of the source into head (at least until its end or
 * cap): the importer's own sniff of what it was given. */
int ingest_read_head(struct imp_ctx *ctx, uint8_t *head, size_t cap,
    size_t *n, struct dd_err *e);

#endif
