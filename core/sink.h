/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sink.h: where parsers send what they find (DESIGN.md section 4).
 *
 * A parser never writes to the case itself: it emits records to a sink.
 * The case store is one sink (core/sink-store.c); dataset replay and the
 * fuzz harnesses are others. The ops table is append-only: a new record
 * kind adds a field at the end, and sinks that do not care leave it NULL
 * (the framework then drops those records).
 *
 * Ownership: every pointer in a record is borrowed for the duration of the
 * call; a sink copies what it keeps.
 */
#ifndef CORE_SINK_H
#define CORE_SINK_H

#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct sink;

#define SINK_ABI 1

struct sink_ops {
	unsigned abi; /* SINK_ABI */
	/* A malformed or surprising part of the input at byte offset off
	 * (-1: none). msg is NUL-terminated display-safe text. */
	int (*anomaly)(struct sink *k, int64_t artifact_id, int64_t off,
	    const char *msg, struct dd_err *e);
};

struct sink {
	const struct sink_ops *ops; /* the sink's behaviour */
	void *impl;		    /* its private state */
};

/* A sink that only counts what it receives (replay dry runs, fuzzing).
 * It checks every message is NUL-terminated text and BUGs otherwise. */
struct sink_count {
	uint64_t anomalies; /* anomaly records received */
	uint64_t bytes;	    /* message bytes received */
};
void sink_count_init(struct sink *k, struct sink_count *c);

/* The case-store sink over an open writing store (borrowed). */
struct store;
void sink_store_init(struct sink *k, struct store *s);

#endif
