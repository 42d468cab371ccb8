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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct sink;

#define SINK_ABI 1

struct event_rec;

/* One exec of a process (exec lineage). */
struct exec_rec {
	int64_t ts;	  /* EV_TS_NONE when unknown */
	const char *exe;  /* path executed */
	const char *args; /* argv joined with spaces, as recorded */
};

/* A process (a thread group) seen in a trace, emitted once at the end. */
struct process_rec {
	int64_t pid;		/* thread group id */
	int64_t ppid;		/* -1 unknown */
	const char *comm;	/* or NULL */
	const char *exe;	/* last successful exec, or NULL */
	const char *args;	/* its argv, or NULL */
	int64_t start_ts;	/* EV_TS_NONE when unknown */
	int64_t end_ts;
	int64_t exit_code;	/* when has_exit */
	bool has_exit;
	const char *exit_signal; /* "SIGKILL" when killed, or NULL */
	const int64_t *tids;	/* its threads (the leader included) */
	size_t ntids;
	const struct exec_rec *execs;
	size_t nexecs;
	const char *container;	/* container id, or NULL (host/unknown) */
};

/* A container as one artifact saw it. The store merges it with what other
 * artifacts saw by id (see container_all in core/schema.sql). The id,
 * the 12-hex short id and the name become aliases; aliases adds more
 * (kind[i], value[i]), such as a LID-DS name or an IP address. */
struct container_rec {
	const char *id;		/* full id when known, else the best given */
	const char *name;	/* or NULL */
	const char *image;	/* or NULL */
	int privileged;		/* 1, 0, or -1 unknown */
	const char *const *alias_kind;
	const char *const *alias_value;
	size_t naliases;
};

/* A member of an archive artifact (one recording of a dataset zip): it
 * becomes an artifact of its own in the archive's group, whose content is
 * inside the archive's stored original (it has no blob of its own; the
 * archive's digest covers it). Its events, anomalies and labels use the
 * id the sink returns. Its state follows the archive's: it becomes
 * complete in the transaction the archive completes in, and is removed
 * with it when the import is abandoned or killed.
 *
 * A streaming importer knows a member's digest only after reading it, but
 * its events need the id before: it emits the member twice, first with
 * sha256 NULL (*member_id gets a new id), then, after the member's
 * events, with sha256 and size set and *member_id still holding that id
 * (the sink records them and leaves *member_id alone). A record with
 * sha256 set and *member_id <= 0 adds a complete member in one call. */
struct member_rec {
	const char *name;	/* path inside the archive */
	const char *format;	/* importer id that parsed it */
	uint64_t size;		/* uncompressed bytes */
	const uint8_t *sha256;	/* 32 bytes of its content, or NULL */
	int64_t id_hint;	/* a new member: the id reserved for it (the
				   sink queue's), else 0 for the next */
};

/* A positional record: a network record of a capture (ingest/imp-pcap.c:
 * a flow, a DNS, HTTP, TLS, ARP or DHCP record) or an image record
 * (ingest/imp-image.c: a layer, a layer's file entry, an image, a step of
 * its history), or a host record (cores, /proc snapshots, inspect JSON:
 * mappings, threads, process details, namespaces, cgroups, descriptors,
 * sockets, mounts, environment, container configuration). Fields are positional, per kind, in the order of the
 * net_cols table in core/sink-store.c (which names the column each slot
 * fills; core/netrec.h names the slots): integers in i[], texts in s[].
 * NR_NULL in i[] and NULL in s[] are SQL NULL. flow_no is the capture's
 * own flow number; layer_no and image_no the archive's own numbers. */
enum net_rec_kind {
	NR_FLOW = 1,
	NR_DNS,
	NR_HTTP,
	NR_TLS,
	NR_ARP,
	NR_DHCP,
	NR_LAYER,
	NR_FILE,
	NR_IMAGE,
	NR_STEP,
	NR_PACKAGE,
	NR_DFLINE,
	NR_PROV,
	NR_MAPPING,
	NR_THREAD,
	NR_PROCINFO,
	NR_NAMESPACE,
	NR_CGROUP,
	NR_FD,
	NR_SOCKET,
	NR_MOUNT,
	NR_ENVIRON,
	NR_CMETA,
	NR_CMOUNT,
	NR_CDEVICE,
	NR_CCAP,
	NR_LOG,
	NR_K8SAUDIT,
	NR_AUDIT,
	NR_ALERT,
	NR_DRIFT,
	NR_RTLAYER,
	NR_DSETTING,
	NR_K8SOBJ,
	NR_RESOURCE,
	NR_NKINDS
};
#define NR_NI 18
#define NR_NS 24
#define NR_NULL INT64_MIN
struct net_rec {
	int kind;
	int64_t i[NR_NI];
	const char *s[NR_NS];
};

/* One packet of a capture for the packet index, in capture order. */
struct packet_rec {
	int64_t ts;	   /* ns since the epoch, raw capture time */
	uint32_t caplen;   /* bytes captured */
	uint32_t wirelen;  /* bytes on the wire */
	int64_t flow_no;   /* innermost flow, 0 none (ARP, undecoded) */
	int64_t outer_no;  /* the tunnel's flow (VXLAN, GENEVE), 0 none */
};

struct sink_ops {
	unsigned abi; /* SINK_ABI */
	/* A malformed or surprising part of the input at byte offset off
	 * (-1: none). msg is NUL-terminated display-safe text. */
	int (*anomaly)(struct sink *k, int64_t artifact_id, int64_t off,
	    const char *msg, struct dd_err *e);
	/* One event, in source order (ord grows). */
	int (*event)(struct sink *k, int64_t artifact_id,
	    const struct event_rec *r, struct dd_err *e);
	/* One process, after the events. */
	int (*process)(struct sink *k, int64_t artifact_id,
	    const struct process_rec *p, struct dd_err *e);
	/* The importer finished this artifact successfully: flush. */
	int (*end)(struct sink *k, int64_t artifact_id, struct dd_err *e);
	/* A container seen by this artifact (may repeat: merged). */
	int (*container)(struct sink *k, int64_t artifact_id,
	    const struct container_rec *c, struct dd_err *e);
	/* A member of archive artifact_id (see struct member_rec for the
	 * two calls): *member_id gets the id its events and labels use
	 * (sinks without a store number them 1, 2, 3...). */
	int (*member)(struct sink *k, int64_t artifact_id,
	    const struct member_rec *m, int64_t *member_id, struct dd_err *e);
	/* A label (key, value) of artifact_id (or of a member). */
	int (*label)(struct sink *k, int64_t artifact_id, const char *key,
	    const char *value, struct dd_err *e);
	/* A network record (see struct net_rec). */
	int (*net)(struct sink *k, int64_t artifact_id,
	    const struct net_rec *r, struct dd_err *e);
	/* Packets first_pkt, first_pkt + 1... (1-based) of a capture: one
	 * call per packet-index chunk, n <= SINK_PACKETS_MAX. */
	int (*packets)(struct sink *k, int64_t artifact_id, int64_t first_pkt,
	    const struct packet_rec *p, size_t n, struct dd_err *e);
	/* Bytes of layer layer_no's uncompressed tar stream, in order, to
	 * keep as a blob of its own (a compressed layer, or any layer of a
	 * compressed archive); n == 0 ends it. Its NR_LAYER record follows
	 * and the store attaches the blob to it. */
	int (*layer_data)(struct sink *k, int64_t artifact_id,
	    int64_t layer_no, const void *p, size_t n, struct dd_err *e);
};
#define SINK_PACKETS_MAX 32768

struct sink {
	const struct sink_ops *ops; /* the sink's behaviour */
	void *impl;		    /* its private state */
};

/* A sink that only counts what it receives (replay dry runs, fuzzing).
 * It checks every message is NUL-terminated text and BUGs otherwise. */
struct sink_count {
	uint64_t anomalies; /* anomaly records received */
	uint64_t bytes;	    /* message bytes received */
	uint64_t events;    /* event records received */
	uint64_t processes; /* process records received */
	uint64_t members;   /* distinct members numbered (1, 2, 3...) */
	uint64_t labels;    /* label records received */
	uint64_t nets;	    /* network records received */
	uint64_t packets;   /* packets indexed */
	uint64_t layer_bytes; /* layer stream bytes received */
};
void sink_count_init(struct sink *k, struct sink_count *c);

/* The case-store sink over an open writing store (borrowed). It holds
 * per-artifact writers: release it with sink_store_release. */
struct store;
void sink_store_init(struct sink *k, struct store *s);
void sink_store_release(struct sink *k);
/* Deferred work of a store sink k (a struct sink *), a little at a time:
 * for sink_queue_idle, on the thread that feeds k. */
int sink_store_idle(void *k, struct dd_err *e);
/* After the members of group group_id are imported: one process row per
 * pid across them (see sink-store.c). */
int sink_store_merge_group(struct store *s, int64_t group_id,
    struct dd_err *e);

#endif
