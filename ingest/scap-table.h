/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap-table.h: the sysdig/falco event table (ingest/scap-table.c is
 * generated from falcosecurity/libs by datasets/gen/scap-table.sh).
 *
 * Event types are indexes: even = enter (">"), odd = exit ("<"). Numbers
 * and parameter positions are append-only in libs, so this table reads
 * captures written by any older driver; types at or past SCAP_EVENT_MAX
 * come from a newer one and are skipped (as libscap does).
 */
#ifndef INGEST_SCAP_TABLE_H
#define INGEST_SCAP_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define SCAP_EVENT_MAX 454
#define SCAP_SC_MAX 454
#define SCAP_MAX_PARAMS 32

/* enum ppm_param_type (driver/ppm_events_public.h). */
enum {
	SPT_NONE = 0, SPT_INT8 = 1, SPT_INT16 = 2, SPT_INT32 = 3,
	SPT_INT64 = 4, SPT_UINT8 = 5, SPT_UINT16 = 6, SPT_UINT32 = 7,
	SPT_UINT64 = 8, SPT_CHARBUF = 9, SPT_BYTEBUF = 10, SPT_ERRNO = 11,
	SPT_SOCKADDR = 12, SPT_SOCKTUPLE = 13, SPT_FD = 14, SPT_PID = 15,
	SPT_FDLIST = 16, SPT_FSPATH = 17, SPT_SYSCALLID = 18,
	SPT_SIGTYPE = 19, SPT_RELTIME = 20, SPT_ABSTIME = 21, SPT_PORT = 22,
	SPT_L4PROTO = 23, SPT_SOCKFAMILY = 24, SPT_BOOL = 25,
	SPT_IPV4ADDR = 26, SPT_DYN = 27, SPT_FLAGS8 = 28, SPT_FLAGS16 = 29,
	SPT_FLAGS32 = 30, SPT_UID = 31, SPT_GID = 32, SPT_DOUBLE = 33,
	SPT_SIGSET = 34, SPT_CHARBUFARRAY = 35, SPT_CHARBUF_PAIR_ARRAY = 36,
	SPT_IPV4NET = 37, SPT_IPV6ADDR = 38, SPT_IPV6NET = 39,
	SPT_IPADDR = 40, SPT_IPNET = 41, SPT_MODE = 42, SPT_FSRELPATH = 43,
	SPT_ENUMFLAGS8 = 44, SPT_ENUMFLAGS16 = 45, SPT_ENUMFLAGS32 = 46,
};

/* enum ppm_event_category / ppm_event_flags bits we use. */
#define SEC_SYSCALL (1u << 9)
#define SEC_TRACEPOINT (1u << 10)
#define SEC_PLUGIN (1u << 11)
#define SEC_METAEVENT (1u << 12)
#define SEF_OLD_VERSION (1u << 9)
#define SEF_LARGE_PAYLOAD (1u << 11)

struct scap_flag {
	const char *name;
	uint32_t value;
};

struct scap_param {
	const char *name;
	uint8_t type;	 /* SPT_* */
	int8_t dirfd;	 /* SPT_FSRELPATH: index of its dirfd parameter */
	const struct scap_flag *flags; /* symbolic names, or NULL */
};

struct scap_evinfo {
	const char *name; /* "open", "execve", "procexit", "NA"... */
	uint32_t category;
	uint32_t flags;
	uint32_t nparams;
	const struct scap_param *params;
};

extern const struct scap_evinfo scap_events[SCAP_EVENT_MAX];
/* PPM_SC codes (generic events' first parameter) → lower-case names. */
extern const char *const scap_sc_names[SCAP_SC_MAX];

#endif
