/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limits.h: every cap drydock enforces on evidence, in one place.
 *
 * Evidence is hostile: each length, count or nesting depth read from input
 * is checked against one of these before it sizes an allocation or a loop.
 * The rationale for each value sits next to it.
 */
#ifndef CORE_LIMITS_H
#define CORE_LIMITS_H

/* The chunk store cuts blobs into chunks of this many bytes: large enough
 * for zstd to find redundancy, small enough that a range read decompresses
 * little it does not need. */
#define LIM_CHUNK_SIZE (1024u * 1024u)
/* A stored chunk claiming more than this is corrupt (a chunk is never
 * larger than LIM_CHUNK_SIZE; the slack admits future tuning). */
#define LIM_CHUNK_MAX (4u * 1024u * 1024u)
/* Bytes the sniffers see (libarchive bidders look at less). */
#define LIM_SNIFF_MAX (64u * 1024u)
/* One line of a text trace (strace, LID-DS); longer lines are anomalies. */
#define LIM_TEXT_LINE (1024u * 1024u)
/* One pcap record caplen (tcpdump's MAXIMUM_SNAPLEN). */
#define LIM_PCAP_CAPLEN 262144u
/* One pcapng block. */
#define LIM_PCAPNG_BLOCK (16u * 1024u * 1024u)
/* One scap event (libscap MAX_EVENT_SIZE). */
#define LIM_SCAP_EVENT (64u * 1024u)
/* Container nesting (tar in gzip in tar...). */
#define LIM_NEST_DEPTH 4
/* Anomalies recorded per evidence file; more abort the import (DD_ELIMIT):
 * a file this broken is not the format we think. */
#define LIM_ANOMALIES 10000u
/* Members of one directory input. */
#define LIM_GROUP_MEMBERS 1000000u
/* Depth of directories walked in a directory input. */
#define LIM_DIR_DEPTH 64
/* Bytes of one evidence-derived string kept in a message. */
#define LIM_MSG_STR 200u
/* Time budget of one `drydock query`, in milliseconds (default). */
#define LIM_QUERY_MS 30000u
/* Compressed chunks in flight in the ingest pipeline (bounds RSS). */
#define LIM_PIPE_DEPTH 8u

#endif
