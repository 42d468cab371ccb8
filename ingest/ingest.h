/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingest.h: the importer framework (DESIGN.md section 4).
 *
 * One file per evidence format, each exporting one const struct importer,
 * listed in ingest/registry.c. The framework sniffs (after stripping
 * compression filters), keeps the original bit-exact in the chunk store,
 * runs the importer with a sink, and flips the artifact to complete in one
 * last transaction with its custody row.
 *
 * Two outcomes only: rejected (non-zero, case unchanged) or imported
 * (possibly with anomalies, counted and listed).
 *
 * Invariants:
 * - importers never call sqlite3, printf or exit, and never open files:
 *   they read through ctx->src helpers and write through ctx->sink;
 * - every evidence byte is read through core/rd.h;
 * - a sniffer is pure: no I/O, no allocation, no globals.
 */
#ifndef INGEST_INGEST_H
#define INGEST_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/imgfs.h"
#include "core/sink.h"
#include "core/util.h"

struct dd_err;
struct sbuf;
struct store;

#define INGEST_ABI 1
#define INGEST_SNIFF_MAX (64u * 1024u)
/* Entries of an image tree loaded for IMP_CASE_TREE importers. */
#define INGEST_TREE_MAX (2u * 1024u * 1024u)
/* A best sniff score under this is "unrecognised evidence format". */
#define INGEST_SNIFF_MIN 16
/* Decompressed bytes an import may read per byte of its source, and the
 * floor of that budget: a guard against decompression bombs (filters and
 * archive members alike). */
#define INGEST_DECOMP_RATIO 2000u
#define INGEST_DECOMP_FLOOR (256ull * 1024 * 1024)

enum ev_kind {
	EV_RAW = 0,
	EV_NET = 1 << 0,
	EV_SYSCALL = 1 << 1,
	EV_PROC = 1 << 2,
	EV_IMAGE = 1 << 3,
	EV_ALERT = 1 << 4, /* alerts deployed tools raised */
};

enum imp_flags {
	IMP_SEEKABLE = 1 << 0,	/* needs random access to the source */
	IMP_CONTAINER = 1 << 1, /* may recurse into members */
	IMP_TESTONLY = 1 << 2,	/* registered for tests; never sniffed */
	IMP_NOPARSE = 1 << 3,	/* keeps the file without parsing (raw) */
	IMP_CASE_CONTAINER = 1 << 4, /* ctx->tree: the container it names */
	IMP_CASE_TREE = 1 << 5, /* ctx->tree: also its image's merged tree */
};

/* One -o key=value option an importer accepts. */
struct imp_option {
	const char *key;
	const char *type; /* "bool", "int" or "string" */
	const char *def;  /* default as text */
	const char *help;
};

struct imp_ctx;

struct importer {
	unsigned abi;	      /* INGEST_ABI */
	const char *name;     /* the --as id, stored as the artifact format */
	const char *version;  /* importer version, stored with artifacts */
	const char *summary;  /* one line for `drydock ingest --list` */
	unsigned kind;	      /* enum ev_kind */
	unsigned flags;	      /* enum imp_flags */
	/* Score the evidence bits verified in head[0..n) (n <= 64 KiB; after
	 * compression filters are stripped); 0 = not mine. basename is a
	 * hint only. */
	int (*sniff)(const uint8_t *head, size_t n, const char *basename);
	/* Parse ctx->src and emit to ctx->sink. */
	int (*import)(struct imp_ctx *ctx, struct dd_err *e);
	const struct imp_option *options; /* NULL-terminated, or NULL */
	/* zstd level for the stored original when --level is not given
	 * (0: the store's default, 3). Line-oriented text that repeats at
	 * short range (strace) is as small at level 1 and 1.5x faster to
	 * compress; see tests/bench/README.md. */
	int zlevel;
};

/* The source an importer reads: the original file, with any compression
 * filter (gzip, zstd, xz, bzip2) already undone. */
struct imp_src {
	const char *name;     /* the name as given (for messages) */
	uint64_t size;	      /* bytes of the original file */
	const char *filter;   /* "gzip", "zstd"... or NULL; when set, byte
				 offsets are in the decompressed stream and
				 do not refer into the stored original */
	int64_t mtime_ns;     /* the file's mtime (ns), -1 unknown */
	void *impl;	      /* private */
};

struct imp_ctx {
	struct imp_src *src;	    /* borrowed */
	struct sink *sink;	    /* borrowed */
	struct arena *job;	    /* lives for the whole import */
	struct arena *scratch;	    /* rewound by the importer per record */
	int64_t artifact_id;	    /* the artifact being imported */
	uint64_t anomalies;	    /* recorded so far */
	const char *const *opts;    /* key=value strings, NULL-terminated */
	void (*progress)(void *user, uint64_t done);
	void *progress_user;
	bool parsed;		    /* set false by importers that keep only */
	const struct ingest_known *known; /* layers the case holds (images) */
	bool full_verify;	    /* prove every claimed digest by hashing
				       (the retry after a failed chunk proof) */
	/* IMP_CASE_CONTAINER, IMP_CASE_TREE: the container the options
	 * (-o container=, -o image=) or the file's name (ingest_container_
	 * hint) name, and its image, as the case knew them before this
	 * import (core/imgfs.h); NULL for the others and without a case. */
	const struct imgfs_tree *tree;
};

/* The container a file's name names: a 64- or 12-hex id in it, else the
 * name without its directory, its extensions and a "-diff" or "-export"
 * suffix (web-1.diff: "web-1"). */
void ingest_container_hint(const char *name, char *out, size_t cap);

/* Image layers complete artifacts of the case already indexed (filled for
 * EV_IMAGE importers by the framework; core/imgfs.h), sorted by digest:
 * an archive that ships one again need only hash it. */
struct ingest_known {
	struct imgfs_known *v;
	size_t n;
};
/* The known layer whose blob digest is digest, or NULL. */
const struct imgfs_known *ingest_layer_known(const struct imp_ctx *ctx,
    const uint8_t digest[SHA256_LEN]);

/* Read the next bytes of the (decompressed) source into buf; *got == 0 at
 * the end. */
int ingest_src_read(struct imp_ctx *ctx, void *buf, size_t cap, size_t *got,
    struct dd_err *e);
/* The next cap bytes of the source (fewer only at the end; *got == 0
 * there) at *p, valid until the next read: the source's own bytes when it
 * is in memory (ingest_buffer: no copy), else read into a buffer of the
 * job's. */
int ingest_src_view(struct imp_ctx *ctx, size_t cap, const uint8_t **p,
    size_t *got, struct dd_err *e);
/* The whole (decompressed) source into out (reset first; its cap at
 * least max + 64 KiB), for formats parsed as one document: DD_ELIMIT
 * naming the source and what when it holds more than max bytes. */
int ingest_src_read_all(struct imp_ctx *ctx, size_t max, const char *what,
    struct sbuf *out, struct dd_err *e);
/* Random access to the source, for formats whose directory is at the
 * end (ELF cores from gcore): true when the source is the original file
 * itself (no compression filter). ingest_src_pread reads up to n bytes at
 * off (*got fewer only at the end) without moving ingest_src_read's
 * stream; the framework stores and hashes the whole original whatever
 * was read. Calling it on a source that is not seekable is a bug. */
bool ingest_src_seekable(const struct imp_ctx *ctx);
int ingest_src_pread(struct imp_ctx *ctx, uint64_t off, void *buf, size_t n,
    size_t *got, struct dd_err *e);
/* A chunk boundary hint for the stored original at source offset off
 * (an archive member starts or ends there; see blobw_cut): equal members
 * of different archives are then stored once. Only meaningful when the
 * source is not filtered; a no-op otherwise. */
int ingest_src_cut(struct imp_ctx *ctx, uint64_t off, struct dd_err *e);
/* Record an anomaly at input offset off (-1 none). Returns 0, or DD_ELIMIT
 * once LIM_ANOMALIES is exceeded (the importer must stop). */
int ingest_anomaly(struct imp_ctx *ctx, int64_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same, recorded on artifact_id (a member of the archive being
 * imported) instead of ctx->artifact_id. */
int ingest_anomaly_on(struct imp_ctx *ctx, int64_t artifact_id, int64_t off,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The value of option key (from -o), or its default. */
const char *ingest_opt(const struct imp_ctx *ctx, const struct importer *imp,
    const char *key);

/* The registry: NULL-terminated, sorted by name. */
extern const struct importer *const ingest_table[];
const struct importer *ingest_find(const char *name);

/* Sniff result. */
struct ingest_guess {
	const struct importer *imp; /* best, or NULL below INGEST_SNIFF_MIN */
	int score;
	const char *filter;	    /* compression filter stripped, or NULL */
	const struct importer *cand[3]; /* top candidates for messages */
	int cand_score[3];
};

/* Sniff a buffer (already decompressed): pure, used by the fuzzer too. */
void ingest_sniff_buf(const uint8_t *head, size_t n, const char *basename,
    struct ingest_guess *g);
/* Detect a compression filter by magic: "gzip", "zstd", "xz", "bzip2". */
const char *ingest_filter_magic(const uint8_t *head, size_t n);

/* What `drydock ingest` asks for. */
struct ingest_opts {
	const char *as;		/* --as importer id, or NULL to sniff */
	bool reference;		/* --reference: path and hash only */
	int level;		/* zstd level (0 default) */
	const char *const *opts; /* -o key=value, NULL-terminated */
	void (*progress)(void *user, const char *name, uint64_t done,
	    uint64_t total);
	void *progress_user;
};

/* What happened. */
struct ingest_result {
	int64_t artifact_id;	 /* new (or identical existing) artifact */
	const char *format;	 /* importer id chosen (static) */
	const char *filter;	 /* compression stripped, or NULL */
	bool identical;		 /* already in the case: nothing added */
	bool parsed;		 /* false for raw */
	bool group;		 /* a directory input */
	uint64_t members;	 /* group members imported */
	uint64_t size;		 /* bytes */
	uint64_t anomalies;	 /* anomalies recorded */
	uint64_t new_bytes;	 /* compressed bytes added to the store */
	char sha256[SHA256_HEX]; /* digest (Merkle hash for groups) */
	char head[SHA256_HEX];	 /* custody head after the import */
	char guess[128];	 /* for raw: best candidates, display text */
};

/* Import one path (file or directory) into s, which must be open for
 * writing. On rejection the case is unchanged and e names file and
 * offset. */
int ingest_path(struct store *s, const char *path,
    const struct ingest_opts *o, struct ingest_result *res,
    struct dd_err *e);

/* Run importer imp over an in-memory buffer (already decompressed) with
 * the given sink and no case: how dataset replay and the fuzz harnesses
 * reuse the parsers. *anomalies (may be NULL) gets the count. */
/* Whether path (imported as `as`, or as sniffed) refers to containers or
 * images other evidence brings (IMP_CASE_CONTAINER, IMP_CASE_TREE): an
 * ingest of several paths takes these last, so that an export finds the
 * image and inspect output given beside it. */
bool ingest_path_late(const char *path, const char *as);
int ingest_buffer(const struct importer *imp, const uint8_t *data, size_t len,
    const char *name, struct sink *sink, const char *const *opts,
    uint64_t *anomalies, struct dd_err *e);
/* The same with the case's view of the container and its image given
 * (IMP_CASE_* importers; fuzzing). */
int ingest_buffer_tree(const struct importer *imp, const uint8_t *data,
    size_t len, const char *name, struct sink *sink, const char *const *opts,
    const struct imgfs_tree *tree, uint64_t *anomalies, struct dd_err *e);

#endif
