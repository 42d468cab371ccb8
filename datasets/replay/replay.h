/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.h: labeled datasets through syscall-sequence anomaly detectors
 * (`drydock replay`, DESIGN.md section 7).
 *
 *   rp-data.c     dataset adapters (ADFA-LD, LID-DS 2019 and 2021): the
 *                 recordings with split and label, each decoded through
 *                 the importers' own parsers (ingest_buffer) into a
 *                 replay sink that keeps syscall ids, threads and times
 *   rp-det-*.c    detectors (train over normal recordings, then score
 *                 every syscall position), listed in rp_detectors[]
 *   rp-engine.c   the run: parallel training and scoring, the decider,
 *                 LID-DS metrics, detection delay, ROC/AUC, shards and
 *                 their merge, the results JSON and the score CSVs
 *
 * Syscall ids: the syscall's number in the dataset's table (i386 for
 * ADFA-LD, x86_64 for LID-DS), so ids never depend on the order
 * recordings are read in; names outside the table get ids from
 * RP_ID_EXTRA on, in order of first sight (detectors whose arithmetic
 * depends on id order rank ids canonically: rp_vocab). RP_ID_UNK stands
 * for any id a model never saw in training.
 *
 * Determinism: results never depend on --jobs, --shard, paths or time:
 * training partials merge by union and sums only, floating-point
 * training runs on canonically ordered data with a fixed seed, and every
 * per-recording figure is computed from that recording alone.
 */
#ifndef DATASETS_REPLAY_REPLAY_H
#define DATASETS_REPLAY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct rp_zip;
struct sbuf;

#define RP_ID_EXTRA 1024u  /* first id of a name outside the table */
#define RP_ID_MAX 65535u   /* ids are uint16 */
#define RP_ID_UNK 65535u   /* unseen in training (models map to it) */
/* A recording member parsed whole (a .sc in memory) is capped: past it
 * the recording is rejected naming the file. */
#define RP_MEMBER_MAX (2ull * 1024 * 1024 * 1024)
#define RP_PARAMS_MAX 16

enum rp_split { RP_TRAIN = 0, RP_VALID = 1, RP_TEST = 2 };

/* One decoded recording: its syscalls in source order. */
struct rp_seq {
	uint16_t *sc;	 /* syscall ids */
	uint32_t *tid;	 /* thread ids (0: unknown); NULL: all 0 */
	int64_t *ts;	 /* ns; NULL: the position (ADFA-LD) */
	size_t n, cap;
	int64_t exploit_ts; /* first exploit time, INT64_MIN: none */
	bool timed;	 /* ts are times (LID-DS), not positions */
	uint64_t anomalies; /* what the parser reported */
	struct rp_loader *loader; /* what loading keeps across the
				     recordings a worker loads into this
				     sequence (name -> id cache, inflater;
				     owned) */
};
void rp_seq_push(struct rp_seq *s, uint16_t id, uint32_t tid, int64_t ts);
static inline int64_t
rp_ts(const struct rp_seq *s, size_t i)
{
	return s->ts != NULL ? s->ts[i] : (int64_t)i;
}
static inline uint32_t
rp_tid(const struct rp_seq *s, size_t i)
{
	return s->tid != NULL ? s->tid[i] : 0;
}
void rp_seq_release(struct rp_seq *s);

/* One recording as its dataset lists it. */
struct rp_rec {
	char *name;	  /* base name, as --scores-out writes it */
	char *path;	  /* file, directory or zip to read (NULL: mem) */
	char *scenario;	  /* attack class/run or scenario: split groups */
	int split;	  /* enum rp_split */
	uint64_t size;	  /* bytes (scheduling: largest first) */
	bool attack;	  /* labeled attack (normal_and_attack, Attack_) */
	int64_t exploit_rel_ns; /* from the first syscall (LID-DS 2019;
				   ADFA-LD attacks: 0) */
	size_t zidx;	  /* 1 + its member in the dataset's zip, or 0 */
	size_t dir;	  /* 1 + its folder in the dataset's dirfd[] (opened
			     by name from there), or 0 (by path) */
};

struct rp_dataset {
	char *kind;	      /* "adfa", "lidds2019", "lidds2021" */
	char *split_rule;     /* how splits were made (into the results) */
	struct rp_zip *zip;   /* the ADFA-LD zip, or NULL */
	int *dirfd;	      /* folders held open for their recordings */
	size_t ndirfd;
	struct rp_rec *v;
	size_t n, cap;
	/* names outside the syscall table (shared by loading threads) */
	void *extra;	      /* private */
};

/* List the recordings of a dataset at path: kind "adfa" (the zip or an
 * unpacked ADFA-LD directory), "lidds2019" (a scenario directory with
 * runs.csv and .txt recordings; split_file optional), "lidds2021" (a
 * scenario directory with training/ validation/ test/). Sorted by split
 * and name. */
int rp_dataset_open(struct rp_dataset *d, const char *kind,
    const char *path, const char *split_file, struct dd_err *e);
void rp_dataset_release(struct rp_dataset *d);
/* Decode recording i into out (reset first); thread-safe for distinct
 * i.  */
int rp_dataset_load(struct rp_dataset *d, size_t i, struct rp_seq *out,
    struct dd_err *e);
const char *rp_split_name(int split);
/* The order of recordings in datasets and results: split, normal before
 * attack, scenario, name. */
int rp_order(int split_a, bool attack_a, const char *scen_a, const char *name_a,
    int split_b, bool attack_b, const char *scen_b, const char *name_b);

/* ---- detectors ---- */

struct rp_param {
	const char *key;
	const char *def;
	const char *help;
};

struct rp_det;
struct rp_det_ops {
	const char *name;
	const char *summary;
	const struct rp_param *params; /* NULL-terminated */
	/* Parse d->val[] (the params in order) into d->impl. */
	int (*init)(struct rp_det *d, struct dd_err *e);
	/* Training: one partial per thread, fed recordings in any order,
	 * merged (order-independent), then fit into the model. */
	void *(*part_new)(const struct rp_det *d);
	void (*train)(const struct rp_det *d, void *part,
	    const struct rp_seq *s, int label);
	void (*merge)(const struct rp_det *d, void *into, void *from);
	int (*fit)(struct rp_det *d, void *part, struct dd_err *e);
	/* Score every position of s into out[0..s->n): NaN where no
	 * window ends (model read-only: thread-safe). */
	void (*score)(const struct rp_det *d, const struct rp_seq *s,
	    double *out);
	void (*free)(struct rp_det *d);
	/* Trains on attack windows too (split by scenario). */
	bool supervised;
};

struct rp_det {
	const struct rp_det_ops *ops;
	unsigned jobs;	/* threads a fit may use (results never depend on it) */
	const char *val[RP_PARAMS_MAX]; /* parameter values (owned) */
	size_t nparams;
	void *impl;
};

extern const struct rp_det_ops *const rp_detectors[];
/* "stide:n=5,w=10" into d (defaults filled in). */
int rp_det_parse(struct rp_det *d, const char *spec, struct dd_err *e);
void rp_det_release(struct rp_det *d);
/* The value of param key as a number (the caller's bounds). */
int rp_det_int(const struct rp_det *d, const char *key, long lo, long hi,
    long *out, struct dd_err *e);
int rp_det_real(const struct rp_det *d, const char *key, double lo,
    double hi, double *out, struct dd_err *e);
bool rp_det_bool(const struct rp_det *d, const char *key);

/* Canonical ranks of ids seen in training (rp-det-bag.c and others):
 * dim[id] in 0..ndims-1 (ndims-1 is RP_ID_UNK's), ordered by id. */
struct rp_vocab {
	uint16_t *dim; /* RP_ID_MAX + 1 entries */
	size_t ndims;
};
void rp_vocab_build(struct rp_vocab *v, const uint8_t *seen);
void rp_vocab_release(struct rp_vocab *v);

/* fn(ctx, b) for every block b in [0, nblocks), on up to jobs threads:
 * a fit splits its rows into fixed blocks and reduces their results in
 * block order, so its numbers do not depend on jobs. */
void rp_parallel(unsigned jobs, size_t nblocks, void (*fn)(void *ctx, size_t b),
    void *ctx);

/* A deterministic generator (xoshiro-like splitmix64) for detectors. */
uint64_t rp_rand(uint64_t *state);
double rp_rand01(uint64_t *state);

/* ---- runs ---- */

struct rp_opts {
	const char *dataset;	/* kind */
	const char *path;
	const char *split_file;
	const char *detector;	/* spec */
	unsigned jobs;		/* >= 1 */
	unsigned shard_i, shard_n; /* 1-based; 1/1 = all */
	bool threshold_given;
	double threshold;
	/* Per-window scores: rows go to win_cb in recording order. */
	void (*win_cb)(void *user, const char *csv_rows, size_t n);
	void *win_user;
	void (*progress)(void *user, const char *phase, uint64_t done,
	    uint64_t total);
	void *progress_user;
	struct rp_stats *stats;	/* or NULL */
	/* stream: rp_run writes the results to out_fd (the scores to
	 * scores_fd) as it makes them, its sbufs holding 64 KiB at most */
	bool stream;
	int out_fd, scores_fd;
};

/* Where a run's time went (never in the results: they must not depend on
 * time). kernel_ns sums the time of detectors' score calls alone (the
 * syscalls already decoded), over all threads. */
struct rp_stats {
	int64_t list_ns, train_ns, test_ns, emit_ns; /* test: with validation */
	int64_t kernel_ns;
	uint64_t kernel_syscalls;
};

/* Run: results JSON into out (and the scores CSV into scores when not
 * NULL), or through them to o->out_fd and o->scores_fd (o->stream). */
int rp_run(const struct rp_opts *o, struct sbuf *out, struct sbuf *scores,
    struct dd_err *e);
/* Merge shard results (JSON texts, with their file names for messages)
 * into exactly the unsharded result. */
int rp_merge(const char *const *texts, const char *const *names, size_t n,
    struct sbuf *out, struct sbuf *scores, struct dd_err *e);

/* ---- metrics (rp-engine.c; unit-tested) ---- */

/* What one scored recording adds to the metrics at threshold t. */
struct rp_rec_metrics {
	uint64_t scored;	/* positions with a score */
	uint64_t fp, tp, tn, fn;
	uint64_t cfa;		/* runs of consecutive false alarms */
	bool detected;		/* an alarm at or after the exploit */
	int64_t delay_pos;	/* syscalls from exploit start to it */
	int64_t delay_ns;	/* time from exploit start to it (timed) */
	double max_score;	/* NaN: no position scored */
};
void rp_metrics_rec(const struct rp_seq *s, const double *score,
    double threshold, bool exploit, struct rp_rec_metrics *m);

#endif
