/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lidds.h: the sysdig text lines of LID-DS recordings (FORMATS.md 2.7),
 * shared by imp-lidds2021.c (.sc) and imp-lidds2019.c (.txt).
 *
 *   2021: rawtime_ns uid pid procname tid syscall dir args...
 *   2019: num HH:MM:SS.nnnnnnnnn cpu uid procname tid dir syscall args...
 *
 * procname may hold spaces: the fields are found from both ends of the
 * fixed part (the direction token, a lone '>' or '<', anchors it).
 * Enter ('>') and exit ('<') lines are paired per thread into one event;
 * an exit without its enter, or an enter whose exit never came, is still
 * a row. ret comes from the exit's res= (or fd= for calls returning a
 * descriptor) and stays unknown otherwise.
 *
 * Invariants: pending enters are bounded (LIDDS_PENDING_MAX threads,
 * LIDDS_PENDING_BYTES of copied text): past either, the oldest-waiting
 * enter is emitted alone. Every input byte is read through core/rd.h.
 */
#ifndef INGEST_LIDDS_H
#define INGEST_LIDDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct imp_ctx;

#define LIDDS_PENDING_MAX 65536u
#define LIDDS_PENDING_BYTES (64u * 1024u * 1024u)

enum lidds_dialect {
	LIDDS_2021 = 1, /* .sc: name before direction, epoch ns */
	LIDDS_2019 = 2, /* .txt: direction before name, time of day */
};

struct lidds_pend;

/* The event builder of one recording file. */
struct lidds_run {
	struct imp_ctx *ctx;	 /* borrowed */
	int64_t id;		 /* artifact of the events */
	const char *name;	 /* for messages */
	int dialect;		 /* enum lidds_dialect */
	bool byref;		 /* offsets refer into the stored original */
	int64_t day_ns;		 /* 2019: epoch ns of the first line's day */
	int64_t last_tod;	 /* 2019: previous time of day (wraps) */
	int ts_quality;		 /* enum ev_tsq of the events */
	uint64_t ord;		 /* next event's position */
	uint64_t lines, bad;	 /* lines seen, lines not understood */
	struct lidds_pend *pend; /* open-addressed by tid (owned) */
	size_t nslots;		 /* its size, a power of two */
	size_t npend, pend_bytes;
	uint64_t seq;		 /* enter arrival counter */
};

/* Set up r (day_ns: 2019's date, epoch ns of a UTC midnight, or -1 for
 * relative times). */
void lidds_run_init(struct lidds_run *r, struct imp_ctx *ctx, int64_t id,
    const char *name, int dialect, bool byref, int64_t day_ns);
/* One line (without its newline) at stream offset off. */
int lidds_run_line(struct lidds_run *r, const uint8_t *p, size_t n,
    uint64_t off, struct dd_err *e);
/* Emit the enters still waiting; release r. */
int lidds_run_finish(struct lidds_run *r, struct dd_err *e);
void lidds_run_release(struct lidds_run *r);

/* Does line p[0..n) look like a line of dialect? (sniffing: pure) */
bool lidds_line_ok(const uint8_t *p, size_t n, int dialect);

#endif
