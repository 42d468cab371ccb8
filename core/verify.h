/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify.h: prove a case is what its custody chain says.
 *
 * verify_case() runs SQLite's quick_check, walks the custody chain,
 * re-hashes every chunk against its key, replays every complete
 * artifact's recipe against its recorded digest, recomputes every group's
 * Merkle hash, checks each artifact's digest against the one its custody
 * row recorded at import, and re-hashes reference-mode originals that are
 * still reachable. Problems are collected as lines (display-safe), not
 * stopped at.
 */
#ifndef CORE_VERIFY_H
#define CORE_VERIFY_H

#include <stdint.h>

#include "core/sbuf.h"
#include "core/util.h"

struct dd_err;
struct store;

struct verify_report {
	int64_t chunks;		 /* chunks re-hashed */
	int64_t artifacts;	 /* file artifacts replayed */
	int64_t groups;		 /* groups re-hashed */
	int64_t references;	 /* reference originals re-hashed */
	int64_t unreachable;	 /* reference originals not reachable */
	int64_t members;	 /* archive members (in their archive's
				    digest: nothing of their own to replay) */
	int64_t custody_rows;	 /* rows walked */
	int64_t problems;	 /* problem lines */
	char head[SHA256_HEX];	 /* custody head ("" if the chain broke) */
	struct sbuf lines;	 /* one problem per line (owned) */
};

typedef void (*verify_progress_fn)(void *user, const char *what,
    uint64_t done, uint64_t total);

/* Verify s (read-only is enough). Returns 0 when the walk completed (look
 * at r->problems), <0 when it could not run. Release r with
 * verify_report_release. */
int verify_case(struct store *s, struct verify_report *r,
    verify_progress_fn progress, void *user, struct dd_err *e);
void verify_report_release(struct verify_report *r);

#endif
