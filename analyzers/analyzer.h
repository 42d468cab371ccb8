/* SPDX-License-Identifier: Apache-2.0 */
/*
 * analyzer.h: the analyzer framework (DESIGN.md section 5).
 *
 * One file per analyzer (analyzers/an-<name>.c), each exporting one const
 * struct analyzer, listed in analyzers/registry.c. The dispatcher makes one
 * pass over events and one over flows, calling every selected analyzer's
 * per-record callbacks, then runs each finish step; adding analyzers adds
 * no scans. Each analyzer's findings are written in one transaction that
 * replaces its previous findings (stable ids) and appends custody.
 *
 * Invariants:
 * - analyzers never open evidence files and never call sqlite3: they read
 *   records from the dispatcher and small tables through an_query();
 * - same store in, same findings out: queries use ORDER BY, no clocks,
 *   no randomness;
 * - an analyzer never calls an importer (they meet only in the store).
 */
#ifndef ANALYZERS_ANALYZER_H
#define ANALYZERS_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/finding.h"

struct dd_err;
struct store;

#define ANALYZER_ABI 1

/* Evidence kinds (same bits as the importers' kinds). */
enum an_needs {
	AN_NEEDS_NONE = 0,
	AN_NEEDS_NET = 1 << 0,
	AN_NEEDS_SYSCALL = 1 << 1,
	AN_NEEDS_PROC = 1 << 2,
	AN_NEEDS_IMAGE = 1 << 3,
	AN_NEEDS_ALERT = 1 << 4,
};

/* One row of the events relation, as the dispatcher hands it over.
 * Strings are borrowed for the duration of the callback. */
struct an_event {
	int64_t id, artifact_id, process_id; /* process_id 0: unknown */
	const char *kind, *syscall, *comm, *path, *args, *container_id;
	const char *errname, *path2, *fd_path, *family, *addr, *flags;
	int64_t ts, pid, tid, ret, fd, port, target;
	bool ret_known, has_fd, has_port, has_target;
	int64_t uid;  /* effective uid at the call, when has_uid (appended: */
	bool has_uid; /* older plugins never read it) */
};

/* One row of the flows relation (borrowed strings). */
struct an_flow {
	int64_t id;
	const char *proto, *src, *dst, *community_id, *container_id;
	int64_t sport, dport, first_ts, last_ts, packets, bytes;
};

struct analyzer;

/* Per-run context. */
struct an_ctx {
	struct store *store;	     /* borrowed; read through an_query */
	struct arena *arena;	     /* lives for the run */
	const struct analyzer *an;   /* the analyzer this context serves */
	void *state;		     /* the analyzer's own, from init */
	unsigned kinds;		     /* evidence kinds present in the case */
	struct finding *found;	     /* emitted so far (arena copies) */
	size_t nfound, afound;
	struct finding_link *links;  /* linked so far (arena copies) */
	size_t nlinks, alinks;
};

struct analyzer {
	unsigned abi;		/* ANALYZER_ABI */
	const char *name;	/* stable id; findings' analyzer column */
	const char *version;	/* "major.minor"; major feeds finding ids */
	const char *summary;	/* one line for `drydock analyze --list` */
	unsigned needs;		/* enum an_needs: skipped when absent */
	unsigned flags;		/* AN_TESTONLY */
	int (*init)(struct an_ctx *ctx, struct dd_err *e);
	int (*on_event)(struct an_ctx *ctx, const struct an_event *ev,
	    struct dd_err *e);
	int (*on_flow)(struct an_ctx *ctx, const struct an_flow *fl,
	    struct dd_err *e);
	int (*finish)(struct an_ctx *ctx, struct dd_err *e);
	void (*fini)(struct an_ctx *ctx);
	/* The rules it runs, as text (hashed into custody); NULL: none. */
	const char *(*rules)(void);
};

enum { AN_TESTONLY = 1 << 0 };

/* The registry: NULL-terminated, sorted by name. */
extern const struct analyzer *const analyzer_table[];
const struct analyzer *analyzer_find(const char *name);

/* Emit a finding: deep-copied into ctx->arena. */
int an_emit(struct an_ctx *ctx, const struct finding *f);
/* Record a link between two rows (the links relation), written with the
 * analyzer's findings: deep-copied into ctx->arena. */
int an_link(struct an_ctx *ctx, const struct finding_link *l);
/* Read-only query for finish steps (see rowq_each in core/finding.h). */
int an_query(struct an_ctx *ctx, const char *sql, const char *const *binds,
    int nbinds, rowq_fn fn, void *user, struct dd_err *e);

/* What one analyzer run did. */
struct an_result {
	const char *name;
	const char *version;
	bool skipped;
	char why[160];	/* reason for skipping */
	size_t findings;
};

/* Run the analyzers named in only[0..nonly) (all non-test ones when
 * nonly == 0) over s. kinds says which evidence kinds the case holds.
 * res gets one entry per analyzer considered (caller-sized: at least the
 * table size). head gets the custody head. */
int analyzer_run(struct store *s, const char *const *only, size_t nonly,
    unsigned kinds, struct an_result *res, size_t *nres,
    char head[SHA256_HEX], struct dd_err *e);

#endif
