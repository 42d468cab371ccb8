/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sink-queue.h: a sink that runs another sink on a thread of its own.
 *
 * An importer parses on the calling thread; the events it emits are
 * deep-copied into batches and handed, in order, to one consumer thread
 * that runs the target sink (string interning, event encoding, SQL). The
 * bytes the parser reads from the original can ride the same queue to a
 * blob writer (the "tap"), so that hashing and storing the original run
 * beside parsing in a single read pass.
 *
 * Only the consumer thread touches the target and the tap while the
 * queue runs; after sink_queue_drain() returns, the caller may use them
 * itself (the consumer is idle until more is queued). Anomalies and
 * events are queued; process records and `end` drain first and run on
 * the caller's thread.
 *
 * Memory is bounded: SINK_QUEUE_BATCHES batches of at most
 * SINK_QUEUE_EVENTS events and about SINK_QUEUE_TEXT bytes of text each
 * (one larger record still fits: a batch grows for it).
 *
 * The first error of the consumer is returned by the next call on the
 * producer side (event, raw, drain), which stops queueing.
 */
#ifndef CORE_SINK_QUEUE_H
#define CORE_SINK_QUEUE_H

#include <stddef.h>

struct blobw;
struct dd_err;
struct sink;

#define SINK_QUEUE_BATCHES 32
#define SINK_QUEUE_EVENTS 512
#define SINK_QUEUE_TEXT (1u << 20)

/* Start k as a queue in front of target (borrowed), with an optional
 * tap (borrowed, may be NULL). */
int sink_queue_start(struct sink *k, struct sink *target, struct blobw *tap,
    struct dd_err *e);
/* Queue bytes read from the original for the tap, in order. */
int sink_queue_raw(struct sink *k, const void *p, size_t n, struct dd_err *e);
/* Have the tap read n bytes of fd at offset off itself (the bytes the
 * parser just read from that file: no copy rides the queue). */
int sink_queue_raw_at(struct sink *k, int fd, uint64_t off, size_t n,
    struct dd_err *e);
/* Ask the tap to end its chunk at offset off of the original (see
 * blobw_cut), in order with the bytes queued. */
int sink_queue_cut(struct sink *k, uint64_t off, struct dd_err *e);
/* Give the consumer fn(arg) to call while no batch waits: it does a
 * little of its deferred work and returns 1 when more remains, 0 when
 * none, <0 on error (the queue's error). Not called after a drain until
 * the next batch. */
void sink_queue_idle(struct sink *k, int (*fn)(void *arg, struct dd_err *e),
    void *arg);
/* Wait until everything queued is done; the consumer's first error. */
int sink_queue_drain(struct sink *k, struct dd_err *e);
/* Drain (dropping any error), stop the thread and free. */
void sink_queue_stop(struct sink *k);

#endif
