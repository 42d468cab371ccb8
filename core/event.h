/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.h: the normalised event record every syscall-trace parser emits
 * (strace, scap, LID-DS, ADFA-LD) and the event store keeps.
 *
 * One record is one syscall (an enter/exit or unfinished/resumed pair
 * merged into one), one signal delivery, or one process exit. Fields the
 * source does not hold stay unknown: never invent a return value or a
 * time (DESIGN.md section 2).
 *
 * Ownership: every pointer is borrowed for the duration of the sink call.
 * Strings are raw bytes, NUL-terminated (paths may hold invalid UTF-8).
 */
#ifndef CORE_EVENT_H
#define CORE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

enum ev_rec_kind {
	EVK_SYSCALL = 1, /* a system call (exit_group is one too) */
	EVK_SIGNAL = 2,	 /* a signal delivered to the thread (name: SIGxxx) */
	EVK_EXIT = 3,	 /* the thread/process ended (ret: status, or the
			    signal number when killed; name: "exited",
			    "killed" or "superseded") */
	EVK_EVENT = 4,	 /* a tool's own event that is no syscall (Tracee's
			    security_file_open, sysdig's meta events) */
};

enum ev_tsq {
	TSQ_ABSOLUTE = 0,      /* epoch time from the source */
	TSQ_DATE_INFERRED = 1, /* time of day from the source, date given or
				  taken from the file's mtime */
	TSQ_RELATIVE = 2,      /* offsets from an unknown start */
	TSQ_ORDINAL = 3,       /* no time at all: order only */
};

#define EV_TS_NONE INT64_MIN

struct event_rec {
	uint64_t ord;	      /* position in the source; grows with it by
				 one (0, 1, 2...: events.id lookups rely on
				 dense ordinals) */
	int kind;	      /* enum ev_rec_kind */
	const char *name;     /* syscall / signal / exit name */
	int arch;	      /* SC_ARCH_* (core/syscalls.h) */
	int nr;		      /* name's number in arch's table, when the
				 source gives numbers (ADFA-LD): consumers
				 may key by it without a name look-up */
	bool has_nr;
	int64_t enter_ts;     /* ns, EV_TS_NONE when unknown */
	int64_t exit_ts;      /* ns, EV_TS_NONE when unknown */
	int ts_quality;	      /* enum ev_tsq */
	int64_t pid;	      /* thread group id, -1 unknown */
	int64_t tid;	      /* thread id, -1 unknown */
	const char *comm;     /* command name, or NULL */
	int64_t ret;	      /* return value (exit: status or signal) */
	bool ret_known;	      /* false: the source holds none */
	const char *errname;  /* "ENOENT"..., or NULL */
	const char *path;     /* first path argument, or NULL */
	const char *path2;    /* second (rename, link, mount target...) */
	int64_t fd;	      /* the fd argument or returned fd */
	bool has_fd;
	const char *fd_path;  /* what fd refers to (-y), or NULL */
	const char *family;   /* socket address family ("AF_INET") */
	const char *addr;     /* IP address or unix path */
	int64_t port;
	bool has_port;
	const char *flags;    /* clone/unshare/setns/open flags, ptrace
				 request, signal code: symbolic text */
	int64_t target;	      /* ptrace/kill target pid, child of clone */
	bool has_target;
	const char *args;     /* argument text when not by reference */
	int64_t uid;	      /* the thread's effective uid at the call */
	bool has_uid;	      /* (audit euid, LID-DS user id, scap clone and
				 execve exits); false: the source has none */
	/* The source bytes of the record (by reference into the original):
	 * up to two spans (an unfinished and its resumed line). len 0 when
	 * absent. */
	uint64_t src_off[2];
	uint32_t src_len[2];
	const char *container; /* container id (see container_rec), or NULL */
};

/* The name of a kind ("syscall", "signal", "exit"). */
const char *ev_kind_name(int kind);
int ev_kind_parse(const char *name);
const char *ev_tsq_name(int q);

#endif
