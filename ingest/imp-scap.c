/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-scap.c: sysdig / falco .scap captures (../shared/docs/FORMATS.md
 * section 2; falcosecurity/libs userspace/libscap/engine/savefile).
 *
 * A capture is a sequence of pcapng-shaped blocks, 4-byte aligned:
 *
 *   u32 type | u32 total_len | body (padded) | u32 total_len
 *
 *   SHB 0x0A0D0D0A  u32 magic 0x1A2B3C4D (byte-swapped: big-endian file)
 *                   u16 major 1, u16 minor 0..2, i64 section length
 *   MI  0x201       machine info (cpus, memory, hostname)
 *   PL  0x202 0x207 0x209 0x210..0x215 (V1..V9; old 0x80xxABCD ids)
 *                   process list: per thread tid, pid, ptid, comm, exe,
 *                   args, cwd, ..., cgroups (V4+), root (V5+)
 *   FDL 0x203 0x218 per-process fd tables
 *   EV  0x204 (V1: 22-byte header, no nparams) 0x216 0x221 (V2, V2_LARGE)
 *   EVF 0x208 0x217 0x222 (an extra u32 of flags before the header)
 *   IL/UL           interface and user lists (length-checked, not used)
 *
 *   event: u16 cpu [u32 flags] | u64 ts | u64 tid | u32 len | u16 type
 *          [| u32 nparams] | u16 or u32 lens[n] | values
 *
 * Every block advances by its total length, whatever its body holds.
 * Unknown block types are skipped as anomalies; events of types past this
 * table (a newer driver) are counted and skipped, as libscap drops them.
 *
 * Event types come in pairs: even = enter, odd = exit. An enter and the
 * next exit of the same thread and syscall are one row; an exit alone (new
 * drivers write exits only, with every parameter) is a row too; an enter
 * that never sees its exit is a row with no return. The return is the
 * exit's first parameter when that is "res" or "fd" (errno, fd or pid
 * typed); generic syscalls carry none, so ret_known stays 0.
 *
 * Threads: the process list seeds a tid → (pid, comm, exe, container)
 * table; clone/fork/execve exits update it and procexit ends it. The
 * container comes from the cgroup paths (core/util.h cgroup_container_id)
 * and from container events (JSON, parsed with jansson).
 */
#define _GNU_SOURCE /* strerrorname_np */
#include "core/common.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <string.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/syscalls.h"
#include "core/tidtab.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/scap-table.h"

extern const struct importer imp_scap;

#define SCAP_SHB 0x0A0D0D0Au
#define SCAP_MAGIC 0x1A2B3C4Du
#define SCAP_BLOCK_MAX (64u << 20) /* larger blocks are skipped */
#define SCAP_MAX_THREADS (1u << 20)
#define SCAP_MAX_PROCS (1u << 20)
#define SCAP_STR_MAX 4096 /* comm/exe/args/cgroups kept per thread */

enum scap_blk {
	SB_MI,
	SB_PL,
	SB_FDL,
	SB_EV,
	SB_IL,
	SB_UL,
	SB_UNKNOWN,
};

/* One decoded event: parameter spans into the block (or a copy). */
struct scap_ev {
	uint16_t type;
	int64_t ts;
	int64_t tid;
	uint32_t n;
	const uint8_t *p[SCAP_MAX_PARAMS];
	uint32_t l[SCAP_MAX_PARAMS];
};

/* A thread's pending enter, its parameters copied. The slot and its
 * buffer stay with the thread between calls (active says whether an
 * enter is pending), so pairing allocates nothing. */
struct scap_pend {
	struct tidtab_slot h;
	bool active;
	struct scap_ev ev;
	uint8_t *buf;
	size_t cap;
};

/* What a process's fd refers to (key: pid << 24 | fd). */
struct scap_fd {
	struct tidtab_slot h;
	char *name;
};

#define SCAP_MAX_FDS (1u << 20)

/* What is known of a thread. */
struct scap_thr {
	struct tidtab_slot h;
	int64_t pid;
	char *comm;
	char *cont; /* container id, or NULL */
	int64_t uid1; /* effective uid + 1 as last learnt; 0 unknown */
};

/* A process (thread group). */
struct scap_proc {
	struct tidtab_slot h; /* tid = pid */
	int64_t ppid;
	char *comm, *exe, *args, *cont;
	int64_t start_ts, end_ts;
	int64_t *tids;
	size_t ntids, atids;
	struct exec_rec *execs;
	size_t nexecs, aexecs;
};

/* What an event type is to this importer (from its name, once). */
enum {
	SR_SYSCALL = 1 << 0,   /* a syscall row (category syscall, not NA) */
	SR_ACCEPT = 1 << 1,    /* the remote end is the tuple's source */
	SR_FORK = 1 << 2,      /* clone/fork/vfork: ret is the child */
	SR_EXEC = 1 << 3,      /* execve/execveat */
	SR_TARGET = 1 << 4,    /* a pid parameter is the target */
	SR_OWNROW = 1 << 5,    /* signaldeliver, procexit: rows of their own */
	SR_CONTAINER = 1 << 6, /* container metadata */
	SR_CLOSE = 1 << 7,     /* close: the fd is gone */
};

struct scap {
	uint8_t role[SCAP_EVENT_MAX];
	struct imp_ctx *ctx;
	bool be;	/* big-endian file */
	/* input */
	uint8_t *buf;
	size_t len, pos, cap;
	uint64_t off; /* file offset of buf[0] */
	bool eof;
	/* state */
	struct tidtab thr, proc, pend, fds;
	uint64_t ord;
	uint64_t newer_types, bad_events, nevents;
	struct sbuf tmp, tmp2, tmp3, fdp;
};

/* ---- byte order ---- */

static inline uint16_t
s16(const struct scap *sc, struct rd *r)
{
	return sc->be ? rd_be16(r) : rd_le16(r);
}

static inline uint32_t
s32(const struct scap *sc, struct rd *r)
{
	return sc->be ? rd_be32(r) : rd_le32(r);
}

static inline uint64_t
s64(const struct scap *sc, struct rd *r)
{
	return sc->be ? rd_be64(r) : rd_le64(r);
}

static int64_t
scap_int(const struct scap *sc, const uint8_t *p, uint32_t l, bool sign)
{
	struct rd r;

	rd_init(&r, p, l, 0);
	switch (l) {
	case 1:
		return sign ? (int64_t)(int8_t)rd_u8(&r) : (int64_t)rd_u8(&r);
	case 2:
		return sign ? (int64_t)(int16_t)s16(sc, &r) :
			      (int64_t)s16(sc, &r);
	case 4:
		return sign ? (int64_t)(int32_t)s32(sc, &r) :
			      (int64_t)s32(sc, &r);
	case 8:
		return (int64_t)s64(sc, &r);
	default:
		return 0;
	}
}

/* ---- sniff ---- */

static enum scap_blk
scap_blk_kind(uint32_t t)
{
	switch (t) {
	case 0x201: case 0x8002ABCDu:
		return SB_MI;
	case 0x202: case 0x207: case 0x209: case 0x210: case 0x211:
	case 0x212: case 0x213: case 0x214: case 0x215:
	case 0x8000ABCDu: case 0x8013ABCDu: case 0x8014ABCDu:
		return SB_PL;
	case 0x203: case 0x218: case 0x8001ABCDu:
		return SB_FDL;
	case 0x204: case 0x216: case 0x221: case 0x208: case 0x217:
	case 0x222: case 0x8010ABCDu:
		return SB_EV;
	case 0x205: case 0x219: case 0x8011ABCDu:
		return SB_IL;
	case 0x206: case 0x220: case 0x8012ABCDu:
		return SB_UL;
	default:
		return SB_UNKNOWN;
	}
}

/* The byte order of an SHB at head (0 LE, 1 BE, -1 not one). */
static int
scap_shb_order(const uint8_t *head, size_t n)
{
	struct rd r;
	uint32_t m;

	rd_init(&r, head, n, 0);
	if (rd_le32(&r) != SCAP_SHB)
		return -1;
	(void)rd_le32(&r);
	m = rd_le32(&r);
	if (!rd_ok(&r))
		return -1;
	if (m == SCAP_MAGIC)
		return 0;
	if (m == 0x4D3C2B1Au)
		return 1;
	return -1;
}

/* The type of the block after the SHB, when the head holds it. */
static bool
scap_second_block(const uint8_t *head, size_t n, uint32_t *type)
{
	struct scap sc;
	struct rd r;
	uint32_t len;
	int be = scap_shb_order(head, n);

	if (be < 0)
		return false;
	memset(&sc, 0, sizeof(sc));
	sc.be = be == 1;
	rd_init(&r, head, n, 0);
	(void)rd_le32(&r);
	len = s32(&sc, &r);
	if (!rd_ok(&r) || len < 28 || len > n || rd_skip(&r, len - 8) != 0)
		return false;
	*type = s32(&sc, &r);
	return rd_ok(&r);
}

static int
imp_scap_sniff(const uint8_t *head, size_t n, const char *basename)
{
	uint32_t t;

	(void)basename;
	if (scap_shb_order(head, n) < 0)
		return 0;
	/* pcapng shares the SHB: the next block tells them apart. */
	if (!scap_second_block(head, n, &t))
		return 40; /* a lone SHB: scap is likelier than an empty pcapng */
	return scap_blk_kind(t) != SB_UNKNOWN ? 64 : 0;
}

/* ---- input ---- */

/* Make at least need bytes available at buf[pos]; false at the end. */
static int
scap_need(struct scap *sc, size_t need, struct dd_err *e)
{
	size_t got;
	int rc;

	while (sc->len - sc->pos < need && !sc->eof) {
		if (sc->pos > 0) {
			memmove(sc->buf, sc->buf + sc->pos, sc->len - sc->pos);
			sc->off += sc->pos;
			sc->len -= sc->pos;
			sc->pos = 0;
		}
		if (sc->cap - sc->len < 65536 || sc->cap < need) {
			size_t nc = MAX(sc->cap * 2, need + 65536);
			sc->buf = xrealloc(sc->buf, nc);
			sc->cap = nc;
		}
		if ((rc = ingest_src_read(sc->ctx, sc->buf + sc->len,
			 sc->cap - sc->len, &got, e)) < 0)
			return rc;
		if (got == 0)
			sc->eof = true;
		sc->len += got;
	}
	return sc->len - sc->pos >= need ? 1 : 0;
}

/* Discard n bytes (a skipped block); false when the input ends first. */
static int
scap_skip(struct scap *sc, uint64_t n, struct dd_err *e)
{
	int rc;

	while (n > 0) {
		size_t k;
		if ((rc = scap_need(sc, 1, e)) <= 0)
			return rc;
		k = (size_t)MIN((uint64_t)(sc->len - sc->pos), n);
		sc->pos += k;
		n -= k;
	}
	return 1;
}

/* ---- threads and processes ---- */

static char *
scap_strdup_cap(const char *p, size_t n)
{
	return xstrndup(p, MIN(n, SCAP_STR_MAX));
}

static void
scap_set(char **dst, const char *p, size_t n)
{
	free(*dst);
	*dst = p != NULL && n > 0 ? scap_strdup_cap(p, n) : NULL;
}

static struct scap_thr *
scap_thread(struct scap *sc, int64_t tid, bool create)
{
	bool fresh = false;
	struct scap_thr *t = (struct scap_thr *)tidtab_get(&sc->thr, tid,
	    1024, SCAP_MAX_THREADS, create ? &fresh : NULL);

	if (t != NULL && fresh)
		t->pid = -1;
	return t;
}

static struct scap_proc *
scap_proc(struct scap *sc, int64_t pid, bool create)
{
	bool fresh = false;
	struct scap_proc *p = (struct scap_proc *)tidtab_get(&sc->proc, pid,
	    1024, SCAP_MAX_PROCS, create ? &fresh : NULL);

	if (p != NULL && fresh) {
		p->ppid = -1;
		p->start_ts = EV_TS_NONE;
		p->end_ts = EV_TS_NONE;
	}
	return p;
}

static void
scap_proc_tid(struct scap_proc *p, int64_t tid)
{
	tidlist_add(&p->tids, &p->ntids, &p->atids, tid, 65536);
}

/* NUL-separated list → space-joined text in sb. */
static void
scap_join(struct sbuf *sb, const uint8_t *p, size_t n)
{
	size_t i;

	sbuf_reset(sb);
	while (n > 0 && p[n - 1] == 0)
		n--;
	for (i = 0; i < n && i < SCAP_STR_MAX; i++)
		(void)sbuf_addch(sb, p[i] == 0 ? ' ' : (char)p[i]);
	(void)sbuf_addch(sb, 0);
	sb->len--;
}

/* The container id in a NUL-separated cgroups list ("subsys=path"). */
static bool
scap_cgroups_container(const uint8_t *p, size_t n, char out[65])
{
	size_t i = 0, j;

	while (i < n) {
		for (j = i; j < n && p[j] != 0; j++)
			;
		if (cgroup_container_id((const char *)p + i, j - i, out))
			return true;
		i = j + 1;
	}
	return false;
}

/* Note what a thread is: its group, command, container. */
static void
scap_learn(struct scap *sc, int64_t tid, int64_t pid, int64_t ptid,
    const char *comm, size_t commlen, const char *cont)
{
	struct scap_thr *t = scap_thread(sc, tid, true);
	struct scap_proc *p;

	if (t == NULL)
		return;
	if (pid >= 0)
		t->pid = pid;
	if (comm != NULL && commlen > 0)
		scap_set(&t->comm, comm, commlen);
	if (cont != NULL)
		scap_set(&t->cont, cont, strlen(cont));
	if (t->pid < 0)
		return;
	if ((p = scap_proc(sc, t->pid, true)) == NULL)
		return;
	scap_proc_tid(p, tid);
	if (tid == t->pid && ptid >= 0 && p->ppid < 0) {
		struct scap_thr *pt = scap_thread(sc, ptid, false);
		p->ppid = pt != NULL && pt->pid >= 0 ? pt->pid : ptid;
	}
	if (comm != NULL && commlen > 0 && (tid == t->pid || !p->comm))
		scap_set(&p->comm, comm, commlen);
	if (cont != NULL && p->cont == NULL)
		scap_set(&p->cont, cont, strlen(cont));
}

/* ---- fds ---- */

static int scap_anomaly_blk(struct scap *sc, uint64_t off, const char *what);

static bool
scap_fd_key(int64_t pid, int64_t fd, int64_t *key)
{
	if (pid < 0 || pid >= (INT64_C(1) << 38) || fd < 0 ||
	    fd >= (INT64_C(1) << 24))
		return false;
	*key = pid << 24 | fd;
	return true;
}

static struct scap_proc *scap_proc(struct scap *sc, int64_t pid,
    bool create);

/* What fd of pid names. A child inherits its parent's fds: an fd the
 * child never opened is looked up in its ancestors' tables (up to 8
 * generations), which is what the child held unless the parent changed
 * it after the fork. */
static const char *
scap_fd_get(struct scap *sc, int64_t pid, int64_t fd)
{
	int64_t key;
	struct scap_fd *f;
	struct scap_proc *p;
	int depth;

	for (depth = 0; depth < 8 && pid >= 0; depth++) {
		if (!scap_fd_key(pid, fd, &key))
			return NULL;
		f = (struct scap_fd *)tidtab_get(&sc->fds, key, 1024,
		    SCAP_MAX_FDS, NULL);
		if (f != NULL)
			return f->name; /* NULL: known, with no name */
		if ((p = scap_proc(sc, pid, false)) == NULL || p->ppid == pid)
			return NULL;
		pid = p->ppid;
	}
	return NULL;
}

/* Name (pid, fd). A NULL name records an fd known to have none (a new
 * socket, a closed fd), which also stops the lookup in the ancestors.
 * Past SCAP_MAX_FDS, new fds are not tracked (memory stays bounded). */
static void
scap_fd_set(struct scap *sc, int64_t pid, int64_t fd, const char *name,
    size_t n)
{
	int64_t key;
	bool fresh;
	struct scap_fd *f;

	if (!scap_fd_key(pid, fd, &key))
		return;
	f = (struct scap_fd *)tidtab_get(&sc->fds, key, 1024, SCAP_MAX_FDS,
	    &fresh);
	if (f != NULL)
		scap_set(&f->name, name, name != NULL ? n : 0);
}

/* "ip:port" (IPv6 in its usual text) into out. */
static void
scap_ipport(const uint8_t *a, bool v6, uint16_t port, char *out, size_t cap)
{
	char ip[INET6_ADDRSTRLEN];

	if (inet_ntop(v6 ? AF_INET6 : AF_INET, a, ip, sizeof(ip)) == NULL)
		snprintf(ip, sizeof(ip), "?");
	snprintf(out, cap, "%s:%u", ip, port);
}

/* The name sysdig gives a socket fd from a tuple parameter:
 * "sip:sport->dip:dport", or the unix path. false when not a tuple. */
static bool
scap_tuple_name(struct scap *sc, const uint8_t *p, uint32_t l, char *out,
    size_t cap)
{
	struct rd r;
	uint8_t fam;

	rd_init(&r, p, l, 0);
	fam = rd_u8(&r);
	if (fam == 2 || fam == 10) {
		size_t al = fam == 2 ? 4 : 16;
		const uint8_t *sa, *da;
		uint16_t sp, dp;
		char a[64], b[64];
		(void)rd_bytes(&r, al, &sa);
		sp = s16(sc, &r);
		(void)rd_bytes(&r, al, &da);
		dp = s16(sc, &r);
		if (!rd_ok(&r))
			return false;
		scap_ipport(sa, fam == 10, sp, a, sizeof(a));
		scap_ipport(da, fam == 10, dp, b, sizeof(b));
		snprintf(out, cap, "%s->%s", a, b);
		return true;
	}
	if (fam == 1) {
		size_t n;
		(void)rd_le64(&r);
		(void)rd_le64(&r);
		if (!rd_ok(&r))
			return false;
		n = (size_t)(r.end - r.p);
		while (n > 0 && r.p[n - 1] == 0)
			n--;
		snprintf(out, cap, "%.*s", (int)MIN(n, cap - 1), r.p);
		return n > 0;
	}
	return false;
}

/* An fd list block: u64 pid, then entries ([u32 sub_len] i64 fd, u64
 * ino, u8 type, type data) until fewer than 4 bytes remain. */
static int
scap_fdl(struct scap *sc, uint32_t type, struct rd *body)
{
	bool v2 = type == 0x218;
	int64_t pid = (int64_t)s64(sc, body);
	uint64_t eoff;

	while (rd_ok(body) && (size_t)(body->end - body->p) >= 4) {
		struct rd r, *e = body;
		uint32_t sub = 0;
		int64_t fd;
		uint8_t t;
		const uint8_t *p;
		size_t n = 0;
		char name[300];
		bool named = false;

		eoff = body->base + (uint64_t)(body->p - body->start);
		if (v2) {
			sub = s32(sc, body);
			if (!rd_ok(body) || sub < 4 ||
			    rd_sub(body, sub - 4, &r) != 0)
				return scap_anomaly_blk(sc, eoff,
				    "fd-list entry past its block");
			e = &r;
		}
		fd = (int64_t)s64(sc, e);
		(void)s64(sc, e); /* ino */
		t = rd_u8(e);
		switch (t) {
		case 3: case 5: case 4: case 6: { /* inet (server) sockets */
			bool v6 = t == 4 || t == 6, srv = t == 5 || t == 6;
			size_t al = v6 ? 16 : 4;
			const uint8_t *a, *b = NULL;
			uint16_t pa, pb = 0;
			(void)rd_bytes(e, al, &a);
			if (!srv)
				(void)rd_bytes(e, al, &b);
			pa = s16(sc, e);
			if (!srv)
				pb = s16(sc, e);
			(void)rd_u8(e);
			if (rd_ok(e)) {
				char x[64], y[64];
				scap_ipport(a, v6, pa, x, sizeof(x));
				if (srv)
					snprintf(name, sizeof(name), "%s", x);
				else {
					scap_ipport(b, v6, pb, y, sizeof(y));
					snprintf(name, sizeof(name), "%s->%s",
					    x, y);
				}
				named = true;
			}
			break;
		}
		case 8: /* unix */
			(void)s64(sc, e);
			(void)s64(sc, e);
			n = s16(sc, e);
			if (rd_bytes(e, n, &p) == 0 && n > 0) {
				snprintf(name, sizeof(name), "%.*s", (int)n, p);
				named = true;
			}
			break;
		case 16: /* FILE_V2 */
			(void)s32(sc, e);
			DD_FALLTHROUGH;
		case 1: case 2: case 7: case 9: case 10: case 11: case 12:
		case 13: case 14: case 15: case 17: case 18: case 19: case 20:
		case 21:
			n = s16(sc, e);
			if (rd_bytes(e, n, &p) == 0 && n > 0) {
				snprintf(name, sizeof(name), "%.*s",
				    (int)MIN(n, sizeof(name) - 1), p);
				named = true;
			}
			break;
		default:
			if (!v2)
				return scap_anomaly_blk(sc, eoff,
				    "fd-list entry of an unknown type: the rest "
				    "of the list is unreadable");
			break;
		}
		if (!rd_ok(e))
			return scap_anomaly_blk(sc, eoff,
			    "fd-list entry cut short");
		scap_fd_set(sc, pid, fd, named ? name : NULL,
		    named ? strlen(name) : 0);
	}
	return 0;
}

/* ---- blocks ---- */

static int
scap_anomaly_blk(struct scap *sc, uint64_t off, const char *what)
{
	return ingest_anomaly(sc->ctx, (int64_t)off, "%s at offset %" PRIu64,
	    what, off);
}

/* A u16-length string of a process-list entry. */
static bool
scap_pl_str(struct scap *sc, struct rd *r, const uint8_t **p, size_t *n)
{
	uint16_t l = s16(sc, r);

	*n = l;
	return rd_bytes(r, l, p) == 0;
}

static int
scap_pl(struct scap *sc, uint32_t type, struct rd *body)
{
	int v;
	uint64_t eoff;

	switch (type) {
	case 0x202: case 0x8000ABCDu: v = 1; break;
	case 0x207: case 0x8013ABCDu: v = 2; break;
	case 0x209: case 0x8014ABCDu: v = 3; break;
	default: v = 4 + (int)(type - 0x210); break;
	}
	while ((size_t)(body->end - body->p) >= 4) {
		struct rd r, *e = body;
		uint32_t sub = 0;
		int64_t tid, pid, ptid;
		const uint8_t *comm, *exe, *exepath = NULL, *args, *s, *cg = NULL;
		size_t lcomm, lexe, lexepath = 0, largs, ls, lcg = 0;
		char cont[65], *contp = NULL;
		struct scap_proc *p;
		struct scap_thr *t;
		uint32_t puid;

		eoff = body->base + (uint64_t)(body->p - body->start);
		if (v == 9) {
			sub = s32(sc, body);
			if (!rd_ok(body) || sub < 4 ||
			    rd_sub(body, sub - 4, &r) != 0)
				return scap_anomaly_blk(sc, eoff,
				    "process-list entry past its block");
			e = &r;
		}
		tid = (int64_t)s64(sc, e);
		pid = (int64_t)s64(sc, e);
		ptid = (int64_t)s64(sc, e);
		if (v >= 6)
			(void)s64(sc, e); /* sid */
		if (v >= 8)
			(void)s64(sc, e); /* vpgid */
		(void)scap_pl_str(sc, e, &comm, &lcomm);
		(void)scap_pl_str(sc, e, &exe, &lexe);
		if (v >= 7)
			(void)scap_pl_str(sc, e, &exepath, &lexepath);
		(void)scap_pl_str(sc, e, &args, &largs);
		(void)scap_pl_str(sc, e, &s, &ls); /* cwd */
		(void)s64(sc, e);		   /* fdlimit */
		(void)s32(sc, e);		   /* flags */
		puid = (uint32_t)s32(sc, e);	   /* uid (effective) */
		(void)s32(sc, e);		   /* gid */
		if (v >= 2) {
			(void)s32(sc, e);
			(void)s32(sc, e);
			(void)s32(sc, e);
			(void)s64(sc, e);
			(void)s64(sc, e);
		}
		if (v >= 3)
			(void)scap_pl_str(sc, e, &s, &ls); /* env */
		if (v >= 4) {
			(void)s64(sc, e); /* vtid */
			(void)s64(sc, e); /* vpid */
			(void)scap_pl_str(sc, e, &cg, &lcg);
		}
		if (v >= 5)
			(void)scap_pl_str(sc, e, &s, &ls); /* root */
		if (!rd_ok(e))
			return scap_anomaly_blk(sc, eoff,
			    "process-list entry cut short");
		if (cg != NULL && scap_cgroups_container(cg, lcg, cont))
			contp = cont;
		scap_learn(sc, tid, pid, ptid, (const char *)comm, lcomm,
		    contp);
		if ((t = scap_thread(sc, tid, false)) != NULL &&
		    puid != UINT32_MAX)
			t->uid1 = (int64_t)puid + 1;
		if ((p = scap_proc(sc, pid, false)) != NULL && tid == pid) {
			const uint8_t *x = lexepath ? exepath : exe;
			size_t lx = lexepath ? lexepath : lexe;
			scap_set(&p->exe, (const char *)x, lx);
			scap_join(&sc->tmp, args, largs);
			/* argv[0] is exe; the list holds the rest */
			sbuf_reset(&sc->tmp2);
			(void)sbuf_add(&sc->tmp2, exe, lexe);
			if (sc->tmp.len) {
				(void)sbuf_addch(&sc->tmp2, ' ');
				(void)sbuf_add(&sc->tmp2, sc->tmp.buf,
				    sc->tmp.len);
			}
			scap_set(&p->args, sc->tmp2.buf, sc->tmp2.len);
		}
	}
	return 0;
}

/* ---- events ---- */

static const struct scap_param *
scap_param(const struct scap_ev *ev, uint32_t i)
{
	const struct scap_evinfo *inf = &scap_events[ev->type];

	return i < inf->nparams && i < ev->n ? &inf->params[i] : NULL;
}

/* Index of the first parameter named name (-1). */
static int
scap_find(const struct scap_ev *ev, const char *name)
{
	uint32_t i;
	const struct scap_param *pp;

	if (ev == NULL)
		return -1;
	for (i = 0; (pp = scap_param(ev, i)) != NULL; i++)
		if (strcmp(pp->name, name) == 0 && ev->l[i] > 0)
			return (int)i;
	return -1;
}

/* A string parameter as text in sb (NUL dropped); NULL when empty. */
static const char *
scap_text(struct sbuf *sb, const struct scap_ev *ev, int i)
{
	size_t n;

	if (i < 0 || ev->l[i] == 0)
		return NULL;
	n = ev->l[i];
	while (n > 0 && ev->p[i][n - 1] == 0)
		n--;
	if (n == 0)
		return NULL;
	sbuf_reset(sb);
	(void)sbuf_add(sb, ev->p[i], MIN(n, (size_t)LIM_TEXT_LINE));
	(void)sbuf_addch(sb, 0);
	/* embedded NULs end the text */
	return sb->buf;
}

/* Symbolic flags text for value v. */
static const char *
scap_flags_text(struct sbuf *sb, const struct scap_param *pp, uint32_t v)
{
	const struct scap_flag *f;
	bool en = pp->type == SPT_ENUMFLAGS8 || pp->type == SPT_ENUMFLAGS16 ||
	    pp->type == SPT_ENUMFLAGS32;
	uint32_t left = v;

	sbuf_reset(sb);
	for (f = pp->flags; f->name != NULL; f++) {
		if (en) {
			if (f->value == v) {
				(void)sbuf_addf(sb, "%s", f->name);
				left = 0;
				break;
			}
			continue;
		}
		if (f->value == 0) {
			if (v == 0 && sb->len == 0) {
				(void)sbuf_addf(sb, "%s", f->name);
			}
			continue;
		}
		if ((v & f->value) == f->value && (left & f->value)) {
			(void)sbuf_addf(sb, "%s%s", sb->len ? "|" : "",
			    f->name);
			left &= ~f->value;
		}
	}
	if (left != 0 || sb->len == 0)
		(void)sbuf_addf(sb, "%s0x%x", sb->len ? "|" : "", left);
	return sb->buf;
}

/* Decode a sockaddr / socktuple parameter into r (family, addr, port). */
static void
scap_sockaddr(struct scap *sc, const struct scap_ev *ev, int i, bool tuple,
    bool remote_is_src, struct event_rec *r, char *addr, size_t cap)
{
	struct rd rr;
	uint8_t fam;
	const uint8_t *a, *p;
	size_t n;

	rd_init(&rr, ev->p[i], ev->l[i], 0);
	fam = rd_u8(&rr);
	if (!rd_ok(&rr))
		return;
	if (fam == 2 || fam == 10) {
		size_t al = fam == 2 ? 4 : 16;
		uint16_t port;
		if (tuple) {
			const uint8_t *sa, *da;
			uint16_t sp, dp;
			(void)rd_bytes(&rr, al, &sa);
			sp = s16(sc, &rr);
			(void)rd_bytes(&rr, al, &da);
			dp = s16(sc, &rr);
			a = remote_is_src ? sa : da;
			port = remote_is_src ? sp : dp;
		} else {
			(void)rd_bytes(&rr, al, &a);
			port = s16(sc, &rr);
		}
		if (!rd_ok(&rr))
			return;
		if (fam == 2)
			snprintf(addr, cap, "%u.%u.%u.%u", a[0], a[1], a[2],
			    a[3]);
		else if (inet_ntop(AF_INET6, a, addr, (socklen_t)cap) == NULL)
			return;
		r->family = fam == 2 ? "AF_INET" : "AF_INET6";
		r->addr = addr;
		r->port = port;
		r->has_port = true;
	} else if (fam == 1) {
		if (tuple) {
			(void)rd_le64(&rr);
			(void)rd_le64(&rr);
		}
		n = (size_t)(rr.end - rr.p);
		p = rr.p;
		while (n > 0 && p[n - 1] == 0)
			n--;
		r->family = "AF_UNIX";
		snprintf(addr, cap, "%.*s", (int)MIN(n, cap - 1), p);
		r->addr = n ? addr : NULL;
	} else if (fam == 16) {
		r->family = "AF_NETLINK";
	}
}

static bool
scap_is(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(name, *set) == 0)
			return true;
	return false;
}

static const char *const scap_accepts[] = { "accept", "accept4", NULL };
static const char *const scap_ownrow[] = { "signaldeliver", "procexit", NULL };
static const char *const scap_forks[] = { "clone", "clone3", "fork", "vfork",
	NULL };
static const char *const scap_execs[] = { "execve", "execveat", NULL };
static const char *const scap_targets[] = { "kill", "tkill", "tgkill",
	"ptrace", "pidfd_open", NULL };

static void
scap_roles(struct scap *sc)
{
	size_t t;

	for (t = 0; t < SCAP_EVENT_MAX; t++) {
		const struct scap_evinfo *inf = &scap_events[t];
		const char *n = inf->name;
		uint8_t r = 0;
		if (n == NULL)
			continue;
		if ((inf->category & SEC_SYSCALL) && strcmp(n, "NA") != 0)
			r |= SR_SYSCALL;
		r |= scap_is(n, scap_accepts) ? SR_ACCEPT : 0;
		r |= scap_is(n, scap_forks) ? SR_FORK : 0;
		r |= scap_is(n, scap_execs) ? SR_EXEC : 0;
		r |= scap_is(n, scap_targets) ? SR_TARGET : 0;
		r |= strcmp(n, "close") == 0 ? SR_CLOSE : 0;
		if (!(inf->category & SEC_SYSCALL)) {
			r |= scap_is(n, scap_ownrow) ? SR_OWNROW : 0;
			r |= strcmp(n, "container") == 0 ? SR_CONTAINER : 0;
		}
		sc->role[t] = r;
	}
}

static void scap_uid(struct scap *sc, struct scap_thr *t, const char *name,
    const struct scap_ev *en, const struct scap_ev *ex, struct event_rec *r);

/* Emit one syscall row from its enter (or NULL) and exit (or NULL). */
static int
scap_emit(struct scap *sc, const struct scap_ev *en, const struct scap_ev *ex,
    struct dd_err *e)
{
	struct imp_ctx *ctx = sc->ctx;
	const struct scap_ev *any = ex ? ex : en;
	const struct scap_evinfo *inf = &scap_events[any->type];
	const struct scap_ev *src[2] = { ex, en };
	struct event_rec r;
	struct scap_thr *t;
	char addr[INET6_ADDRSTRLEN + 108], unknown[24], errbuf[24];
	const char *name = inf->name;
	uint8_t role = any->type > 1 ? sc->role[any->type] : 0;
	int i, k, npath = 0;
	bool ret_is_fd = false;

	(void)e;
	memset(&r, 0, sizeof(r));
	r.ord = sc->ord++; /* rows are numbered as they complete */
	r.kind = EVK_SYSCALL;
	r.arch = SC_ARCH_X86_64;
	r.enter_ts = en ? en->ts : EV_TS_NONE;
	r.exit_ts = ex ? ex->ts : EV_TS_NONE;
	r.ts_quality = TSQ_ABSOLUTE;
	r.tid = any->tid;
	r.pid = -1;
	r.fd = -1;
	if (any->type <= 1) { /* generic: ID (PPM_SC) and nativeID */
		/* Old exits carry the ID alone, and an ID of 0 (unknown to
		 * the driver) leaves the native number to name it. */
		uint16_t id = 0, nat = 0;
		bool has_nat = false;
		for (k = 0; k < 2; k++) {
			const struct scap_ev *g = src[k];
			if (g == NULL)
				continue;
			if (id == 0 && g->n >= 1 && g->l[0] == 2)
				id = (uint16_t)scap_int(sc, g->p[0], 2, false);
			if (!has_nat && g->n >= 2 && g->l[1] == 2) {
				nat = (uint16_t)scap_int(sc, g->p[1], 2, false);
				has_nat = true;
			}
		}
		if (id > 0 && id < SCAP_SC_MAX && scap_sc_names[id] != NULL)
			name = scap_sc_names[id];
		else if (!has_nat)
			name = inf->name; /* "syscall": nothing names it */
		else if ((name = sc_name(SC_ARCH_X86_64, nat)) == NULL) {
			sc_unknown_name(nat, unknown);
			name = unknown;
		}
	}
	r.name = name;
	/* The return: the exit's first parameter, when it is one. */
	if (ex != NULL && ex->type > 1) {
		const struct scap_param *pp = scap_param(ex, 0);
		if (pp != NULL && strcmp(pp->name, "res") == 0 &&
		    (ex->l[0] == 8 || ex->l[0] == 4)) {
			/* errno, fd or pid typed, or a plain number (brk) */
			r.ret = scap_int(sc, ex->p[0], ex->l[0],
			    pp->type != SPT_UINT64 && pp->type != SPT_UINT32);
			r.ret_known = true;
			ret_is_fd = pp->type == SPT_FD;
		} else if (pp != NULL && strcmp(pp->name, "fd") == 0 &&
		    ex->l[0] == 8 &&
		    (pp->type == SPT_FD || pp->type == SPT_ERRNO)) {
			r.ret = scap_int(sc, ex->p[0], 8, true);
			r.ret_known = true;
			ret_is_fd = true;
		}
		if (r.ret_known) {
			if (r.ret < 0 && r.ret > -4096) {
				const char *en_ = strerrorname_np((int)-r.ret);
				if (en_ != NULL) {
					snprintf(errbuf, sizeof(errbuf), "%s",
					    en_);
					r.errname = errbuf;
				}
			}
		}
	}
	/* Named parameters: exit first, then enter. */
	for (k = 0; k < 2; k++) {
		const struct scap_ev *ev = src[k];
		const struct scap_param *pp;
		if (ev == NULL)
			continue;
		for (i = 0; (pp = scap_param(ev, (uint32_t)i)) != NULL; i++) {
			if (ev->l[i] == 0 || (ev == ex && i == 0 && r.ret_known))
				continue;
			switch (pp->type) {
			case SPT_FSPATH:
			case SPT_FSRELPATH:
				if (npath == 0 && r.path == NULL) {
					r.path = scap_text(&sc->tmp, ev, i);
					npath = r.path ? 1 : 0;
				} else if (npath == 1 && r.path2 == NULL &&
				    ev == src[k] && k == 0) {
					r.path2 = scap_text(&sc->tmp2, ev, i);
				}
				break;
			case SPT_FD:
				if (!r.has_fd && strcmp(pp->name, "fd") == 0 &&
				    ev->l[i] == 8) {
					r.fd = scap_int(sc, ev->p[i], 8, true);
					r.has_fd = true;
				}
				break;
			case SPT_SOCKADDR:
			case SPT_SOCKTUPLE:
				if (r.family == NULL)
					scap_sockaddr(sc, ev, i,
					    pp->type == SPT_SOCKTUPLE,
					    (role & SR_ACCEPT) != 0, &r,
					    addr, sizeof(addr));
				break;
			case SPT_PID:
				if (!r.has_target && (role & SR_TARGET) &&
				    ev->l[i] == 8) {
					r.target = scap_int(sc, ev->p[i], 8,
					    true);
					r.has_target = true;
				}
				break;
			default:
				if (r.flags == NULL && pp->flags != NULL &&
				    strcmp(pp->name, "flags") == 0 &&
				    ev->l[i] <= 4)
					r.flags = scap_flags_text(&sc->tmp3, pp,
					    (uint32_t)scap_int(sc, ev->p[i],
						ev->l[i], false));
				break;
			}
		}
	}
	if (!r.has_fd && ret_is_fd && r.ret >= 0) {
		r.fd = r.ret;
		r.has_fd = true;
	}
	if ((role & SR_FORK) && r.ret_known && r.ret > 0) {
		r.target = r.ret;
		r.has_target = true;
	}
	/* Thread facts, learnt from clone/execve exits first. */
	if (ex != NULL && (role & (SR_FORK | SR_EXEC))) {
		int ip = scap_find(ex, "pid"), it = scap_find(ex, "tid");
		int ipt = scap_find(ex, "ptid"), ic = scap_find(ex, "comm");
		int icg = scap_find(ex, "cgroups");
		char cont[65], *contp = NULL;
		if (icg >= 0 &&
		    scap_cgroups_container(ex->p[icg], ex->l[icg], cont))
			contp = cont;
		if (it >= 0 && ip >= 0 && ex->l[it] == 8 && ex->l[ip] == 8)
			scap_learn(sc, scap_int(sc, ex->p[it], 8, true),
			    scap_int(sc, ex->p[ip], 8, true),
			    ipt >= 0 && ex->l[ipt] == 8 ?
				scap_int(sc, ex->p[ipt], 8, true) :
				-1,
			    ic >= 0 ? (const char *)ex->p[ic] : NULL,
			    ic >= 0 ? strnlen((const char *)ex->p[ic],
					  ex->l[ic]) :
				      0,
			    contp);
		if ((role & SR_EXEC) && r.ret_known && r.ret == 0) {
			struct scap_thr *xt = scap_thread(sc, any->tid, false);
			struct scap_proc *p = xt && xt->pid >= 0 ?
			    scap_proc(sc, xt->pid, false) :
			    NULL;
			int ie = scap_find(ex, "exe"), ia = scap_find(ex, "args");
			if (p != NULL && p->nexecs < 1024) {
				struct exec_rec *x;
				if (p->nexecs == p->aexecs) {
					p->aexecs = p->aexecs ? p->aexecs * 2 : 2;
					p->execs = xreallocarray(p->execs,
					    p->aexecs, sizeof(*p->execs));
				}
				x = &p->execs[p->nexecs++];
				x->ts = ex->ts;
				x->exe = r.path ? xstrdup(r.path) :
				    ie >= 0 ? scap_strdup_cap((const char *)ex->p[ie],
						  strnlen((const char *)ex->p[ie],
						      ex->l[ie])) :
					      NULL;
				if (ia >= 0) {
					scap_join(&sc->tmp2, ex->p[ia], ex->l[ia]);
					sbuf_reset(&sc->tmp3);
					if (ie >= 0)
						(void)sbuf_add(&sc->tmp3, ex->p[ie],
						    strnlen((const char *)ex->p[ie],
							ex->l[ie]));
					if (sc->tmp2.len) {
						(void)sbuf_addch(&sc->tmp3, ' ');
						(void)sbuf_add(&sc->tmp3,
						    sc->tmp2.buf, sc->tmp2.len);
					}
					x->args = sc->tmp3.len ?
					    scap_strdup_cap(sc->tmp3.buf,
						sc->tmp3.len) :
					    NULL;
				} else
					x->args = NULL;
				scap_set(&p->exe, x->exe, x->exe ? strlen(x->exe) : 0);
				scap_set(&p->args, x->args,
				    x->args ? strlen(x->args) : 0);
			}
			/* the flags text was in tmp3: recompute is not needed */
			r.flags = NULL;
		}
	}
	if ((t = scap_thread(sc, any->tid, false)) != NULL) {
		r.pid = t->pid;
		r.comm = t->comm;
		r.container = t->cont;
	}
	scap_uid(sc, t, name, en, ex, &r);
	/* What the fd refers to: the fd table as it stood before this call;
	 * then the call's own effect on it. */
	if (r.has_fd) {
		int64_t owner = r.pid >= 0 ? r.pid : r.tid;
		const char *fp;
		char tn[300];
		int it = -1;
		if (ex != NULL)
			it = scap_find(ex, "tuple");
		if (ret_is_fd && r.ret_known && r.ret >= 0) {
			/* a new fd: opened, accepted, duplicated */
			if (r.path != NULL)
				scap_fd_set(sc, owner, r.ret, r.path,
				    strlen(r.path));
			else if (it >= 0 &&
			    scap_tuple_name(sc, ex->p[it], ex->l[it], tn,
				sizeof(tn)))
				scap_fd_set(sc, owner, r.ret, tn, strlen(tn));
			else if (r.fd != r.ret &&
			    (fp = scap_fd_get(sc, owner, r.fd)) != NULL) {
				/* dup: the new fd names what the old one did */
				snprintf(tn, sizeof(tn), "%s", fp);
				scap_fd_set(sc, owner, r.ret, tn, strlen(tn));
			} else
				scap_fd_set(sc, owner, r.ret, NULL, 0);
		} else if (it >= 0 && r.ret_known &&
		    (r.ret == 0 || r.ret == -115 /* EINPROGRESS */) &&
		    scap_tuple_name(sc, ex->p[it], ex->l[it], tn, sizeof(tn)))
			scap_fd_set(sc, owner, r.fd, tn, strlen(tn));
		if ((fp = scap_fd_get(sc, owner, r.fd)) != NULL) {
			sbuf_reset(&sc->fdp);
			(void)sbuf_addstr(&sc->fdp, fp);
			r.fd_path = sc->fdp.buf;
		}
		if ((role & SR_CLOSE) && r.ret_known && r.ret == 0)
			scap_fd_set(sc, owner, r.fd, NULL, 0);
	}
	sc->nevents++;
	return ctx->sink->ops->event == NULL ? 0 :
	    ctx->sink->ops->event(ctx->sink, ctx->artifact_id, &r, e);
}

/* The thread's effective uid at this call, as sysdig keeps it: what a
 * clone or execve exit reports (the driver's current_euid()), else what
 * the thread was last known to have, moved by a successful setuid,
 * setreuid or setresuid (the euid argument; -1 leaves it). A clone or
 * execve exit reporting another uid than the one known is how a change
 * no call explains shows (the escape analyzer's credential check). */
static void
scap_uid(struct scap *sc, struct scap_thr *t, const char *name,
    const struct scap_ev *en, const struct scap_ev *ex, struct event_rec *r)
{
	int i = ex != NULL ? scap_find(ex, "uid") : -1;

	if (i >= 0 && ex->l[i] == 4) {
		r->uid = (int64_t)(uint32_t)scap_int(sc, ex->p[i], 4, false);
		r->has_uid = true;
	} else if (t != NULL && t->uid1 > 0) {
		r->uid = t->uid1 - 1;
		r->has_uid = true;
	}
	if (r->ret_known && r->ret == 0 && (strcmp(name, "setuid") == 0 ||
	    strcmp(name, "setreuid") == 0 || strcmp(name, "setresuid") == 0)) {
		const struct scap_ev *g = en != NULL ? en : ex;
		const char *pn = name[3] == 'u' ? "uid" : "euid";
		int j = g != NULL ? scap_find(g, pn) : -1;
		uint32_t v;
		if (j < 0 && ex != NULL && (j = scap_find(ex, pn)) >= 0)
			g = ex;
		if (j >= 0 && g->l[j] == 4 &&
		    (v = (uint32_t)scap_int(sc, g->p[j], 4, false)) !=
			UINT32_MAX && t != NULL) {
			t->uid1 = (int64_t)v + 1;
			r->uid = v;
			r->has_uid = true;
		}
		return;
	}
	if (i >= 0 && ex->l[i] == 4 && t != NULL)
		t->uid1 = r->uid + 1;
}

/* A non-syscall event that is a row of its own: signal delivery, exit. */
static int
scap_emit_other(struct scap *sc, const struct scap_ev *ev, struct dd_err *e)
{
	struct imp_ctx *ctx = sc->ctx;
	const char *name = scap_events[ev->type].name;
	struct event_rec r;
	struct scap_thr *t;
	char sig[24];
	int i;

	memset(&r, 0, sizeof(r));
	r.ord = sc->ord++; /* rows are numbered as they complete */
	r.arch = SC_ARCH_X86_64;
	r.enter_ts = ev->ts;
	r.exit_ts = EV_TS_NONE;
	r.ts_quality = TSQ_ABSOLUTE;
	r.tid = ev->tid;
	r.pid = -1;
	r.fd = -1;
	if (strcmp(name, "signaldeliver") == 0) {
		r.kind = EVK_SIGNAL;
		i = scap_find(ev, "sig");
		if (i >= 0 && ev->l[i] == 1) {
			int s = (int)scap_int(sc, ev->p[i], 1, false);
			const char *sn = sigabbrev_np(s);
			snprintf(sig, sizeof(sig), "SIG%s", sn ? sn : "?");
			if (sn == NULL)
				snprintf(sig, sizeof(sig), "SIG%d", s);
			r.name = sig;
			r.ret = s;
			r.ret_known = true;
		} else
			r.name = "SIG?";
		i = scap_find(ev, "spid");
		if (i >= 0 && ev->l[i] == 8) {
			r.target = scap_int(sc, ev->p[i], 8, true);
			r.has_target = true;
		}
	} else { /* procexit */
		r.kind = EVK_EXIT;
		i = scap_find(ev, "sig");
		if (i >= 0 && ev->l[i] == 1 &&
		    scap_int(sc, ev->p[i], 1, false) != 0) {
			r.name = "killed";
			r.ret = scap_int(sc, ev->p[i], 1, false);
		} else {
			r.name = "exited";
			i = scap_find(ev, "ret");
			if (i < 0)
				i = scap_find(ev, "status");
			if (i >= 0 && ev->l[i] == 8)
				r.ret = scap_int(sc, ev->p[i], 8, true);
		}
		r.ret_known = true;
	}
	if ((t = scap_thread(sc, ev->tid, false)) != NULL) {
		r.pid = t->pid;
		r.comm = t->comm;
		r.container = t->cont;
		if (r.kind == EVK_EXIT && t->pid == ev->tid) {
			struct scap_proc *p = scap_proc(sc, t->pid, false);
			if (p != NULL)
				p->end_ts = ev->ts;
		}
	}
	return ctx->sink->ops->event == NULL ? 0 :
	    ctx->sink->ops->event(ctx->sink, ctx->artifact_id, &r, e);
}

/* A container event: JSON ({"container": {...}}) or id/type/name/image. */
static int
scap_container(struct scap *sc, const struct scap_ev *ev, struct dd_err *e)
{
	struct sink *k = sc->ctx->sink;
	struct container_rec c;
	json_t *root = NULL, *o;
	int i = scap_find(ev, "json"), rc;
	const char *id = NULL, *name = NULL, *image = NULL, *ip = NULL;
	static const char *const ipkind[] = { "ip" };
	int priv = -1;

	if (k->ops->container == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	if (i >= 0) {
		json_error_t je;
		root = json_loadb((const char *)ev->p[i],
		    strnlen((const char *)ev->p[i], ev->l[i]), 0, &je);
		o = root ? json_object_get(root, "container") : NULL;
		if (!json_is_object(o)) {
			json_decref(root);
			return ingest_anomaly(sc->ctx, -1,
			    "container event at %" PRId64
			    " holds no container JSON",
			    ev->ts);
		}
		id = json_string_value(json_object_get(o, "full_id"));
		if (id == NULL || *id == 0)
			id = json_string_value(json_object_get(o, "id"));
		name = json_string_value(json_object_get(o, "name"));
		image = json_string_value(json_object_get(o, "image"));
		ip = json_string_value(json_object_get(o, "ip"));
		if (json_is_boolean(json_object_get(o, "privileged")))
			priv = json_is_true(json_object_get(o, "privileged"));
	} else {
		int ii = scap_find(ev, "id"), in = scap_find(ev, "name");
		int im = scap_find(ev, "image");
		id = scap_text(&sc->tmp, ev, ii);
		name = scap_text(&sc->tmp2, ev, in);
		image = scap_text(&sc->tmp3, ev, im);
	}
	if (id == NULL || *id == 0 || strcmp(id, "host") == 0) {
		json_decref(root);
		return 0;
	}
	/* sysdig files a placeholder before the runtime answers */
	if (name != NULL && strcmp(name, "incomplete") == 0)
		name = NULL;
	if (image != NULL && strcmp(image, "incomplete") == 0)
		image = NULL;
	c.id = id;
	c.name = name;
	c.image = image;
	c.privileged = priv;
	if (ip != NULL && *ip != 0 && strcmp(ip, "0.0.0.0") != 0) {
		c.alias_kind = ipkind;
		c.alias_value = &ip;
		c.naliases = 1;
	}
	rc = k->ops->container(k, sc->ctx->artifact_id, &c, e);
	json_decref(root);
	return rc;
}

/* Record a malformed event and skip it (1), or the anomaly error. */
static int
scap_skip_event(struct scap *sc, uint64_t off, const char *what)
{
	int rc = scap_anomaly_blk(sc, off, what);

	return rc < 0 ? rc : 1;
}

/* Parse the event in block body b (kind 0x2xx type t) into ev: 0, 1 to
 * skip it (counted or recorded as an anomaly), or an error. */
static int
scap_parse_event(struct scap *sc, uint32_t t, struct rd *b,
    struct scap_ev *ev, uint64_t boff)
{
	bool v1 = t == 0x204 || t == 0x208 || t == 0x8010ABCDu;
	bool flags = t == 0x208 || t == 0x217 || t == 0x222;
	uint32_t len, hdr = v1 ? 22 : 26, n, i, sum = 0, lsz;
	const uint8_t *start;
	struct rd r, lens;

	(void)s16(sc, b); /* cpu */
	if (flags)
		(void)s32(sc, b);
	start = b->p;
	ev->ts = (int64_t)s64(sc, b);
	ev->tid = (int64_t)s64(sc, b);
	len = s32(sc, b);
	ev->type = s16(sc, b);
	if (!rd_ok(b) || len < hdr || len > (size_t)(b->end - start))
		return scap_skip_event(sc, boff, "event header past its block");
	rd_init(&r, start, len, b->base + (uint64_t)(start - b->start));
	(void)rd_skip(&r, 22);
	if (ev->type >= SCAP_EVENT_MAX) {
		sc->newer_types++;
		return 1;
	}
	lsz = scap_events[ev->type].flags & SEF_LARGE_PAYLOAD ? 4 : 2;
	if (v1) {
		/* No count: the table's, lowered until the lengths fit. */
		for (n = scap_events[ev->type].nparams;; n--) {
			struct rd l2 = r;
			sum = 0;
			for (i = 0; i < n; i++)
				sum += lsz == 4 ? s32(sc, &l2) : s16(sc, &l2);
			if (rd_ok(&l2) && hdr + lsz * n + sum == len)
				break;
			if (n == 0)
				return scap_skip_event(sc, boff,
				    "event parameter lengths do not match its "
				    "length");
		}
	} else
		n = s32(sc, &r);
	if (!rd_ok(&r) || n > SCAP_MAX_PARAMS)
		return scap_skip_event(sc, boff, "event with too many parameters");
	lens = r;
	if (rd_skip(&r, (size_t)n * lsz) != 0)
		return scap_skip_event(sc, boff,
		    "event parameter lengths past the event");
	ev->n = n;
	for (i = 0; i < n; i++) {
		uint32_t l = lsz == 4 ? s32(sc, &lens) : s16(sc, &lens);
		ev->l[i] = l;
		if (rd_bytes(&r, l, &ev->p[i]) != 0)
			return scap_skip_event(sc, boff,
			    "event parameter past the event");
	}
	return 0;
}

/* Keep en as the pending enter of its thread (parameters copied). */
static int
scap_pend_set(struct scap *sc, const struct scap_ev *en)
{
	bool fresh;
	struct scap_pend *p = (struct scap_pend *)tidtab_get(&sc->pend,
	    en->tid, 256, SCAP_MAX_THREADS, &fresh);
	size_t need = 0, at = 0;
	uint32_t i;

	if (p == NULL)
		return -1;
	for (i = 0; i < en->n; i++)
		need += en->l[i];
	if (need > p->cap) {
		p->buf = xrealloc(p->buf, need);
		p->cap = need;
	}
	p->ev.type = en->type;
	p->ev.ts = en->ts;
	p->ev.tid = en->tid;
	p->ev.n = en->n;
	for (i = 0; i < en->n; i++) {
		p->ev.l[i] = en->l[i];
		if (en->l[i] == 0) {
			p->ev.p[i] = NULL;
			continue;
		}
		memcpy(p->buf + at, en->p[i], en->l[i]);
		p->ev.p[i] = p->buf + at;
		at += en->l[i];
	}
	p->active = true;
	return 0;
}

static int
scap_event(struct scap *sc, uint32_t t, struct rd *b, uint64_t boff,
    struct dd_err *e)
{
	struct scap_ev ev;
	struct scap_pend *p;
	int rc;

	/* ev is filled by the parse: its p/l up to n only (no memset: it
	 * is 400 bytes an event) */
	ev.n = 0;
	if ((rc = scap_parse_event(sc, t, b, &ev, boff)) != 0)
		return rc < 0 ? rc : 0;
	if (!(sc->role[ev.type] & SR_SYSCALL)) {
		if (sc->role[ev.type] & SR_OWNROW)
			return scap_emit_other(sc, &ev, e);
		if (sc->role[ev.type] & SR_CONTAINER)
			return scap_container(sc, &ev, e);
		return 0;
	}
	p = (struct scap_pend *)tidtab_get(&sc->pend, ev.tid, 256,
	    SCAP_MAX_THREADS, NULL);
	if (p != NULL && !p->active)
		p = NULL;
	if ((ev.type & 1) == 0) { /* enter */
		/* a previous enter that never saw its exit is a row */
		if (p != NULL &&
		    (rc = scap_emit(sc, &p->ev, NULL, e)) < 0)
			return rc;
		if (scap_pend_set(sc, &ev) < 0)
			return ingest_anomaly(sc->ctx, (int64_t)boff,
			    "more than %u threads with calls in flight",
			    SCAP_MAX_THREADS);
		return 0;
	}
	/* exit: pairs with the pending enter of the same call */
	if (p != NULL) {
		p->active = false;
		if ((p->ev.type | 1) == ev.type)
			return scap_emit(sc, &p->ev, &ev, e);
		if ((rc = scap_emit(sc, &p->ev, NULL, e)) < 0)
			return rc;
	}
	return scap_emit(sc, NULL, &ev, e);
}

/* ---- the walk ---- */

static int
scap_emit_procs(struct scap *sc, struct dd_err *e)
{
	struct sink *k = sc->ctx->sink;
	size_t i;
	int rc;

	for (i = 0; i < sc->pend.cap; i++) {
		struct scap_pend *p = (struct scap_pend *)tidtab_at(&sc->pend, i);
		if (p->h.used && p->active &&
		    (rc = scap_emit(sc, &p->ev, NULL, e)) < 0)
			return rc;
	}
	/* The containers the cgroup paths name (full ids: the store folds
	 * the short ids of container events into them). */
	if (k->ops->container != NULL) {
		const char **seen = NULL;
		size_t nseen = 0, j;
		for (i = 0; i < sc->proc.cap; i++) {
			struct scap_proc *p =
			    (struct scap_proc *)tidtab_at(&sc->proc, i);
			struct container_rec c;
			if (!p->h.used || p->cont == NULL)
				continue;
			for (j = 0; j < nseen; j++)
				if (strcmp(seen[j], p->cont) == 0)
					break;
			if (j < nseen || nseen == 4096)
				continue;
			seen = xreallocarray(seen, nseen + 1, sizeof(*seen));
			seen[nseen++] = p->cont;
			memset(&c, 0, sizeof(c));
			c.id = p->cont;
			c.privileged = -1;
			if ((rc = k->ops->container(k, sc->ctx->artifact_id, &c,
				 e)) < 0) {
				free(seen);
				return rc;
			}
		}
		free(seen);
	}
	if (k->ops->process == NULL)
		return 0;
	for (i = 0; i < sc->proc.cap; i++) {
		struct scap_proc *p = (struct scap_proc *)tidtab_at(&sc->proc, i);
		struct process_rec pr;
		if (!p->h.used)
			continue;
		memset(&pr, 0, sizeof(pr));
		pr.pid = p->h.tid;
		pr.ppid = p->ppid;
		pr.comm = p->comm;
		pr.exe = p->exe;
		pr.args = p->args;
		pr.start_ts = p->start_ts;
		pr.end_ts = p->end_ts;
		pr.tids = p->tids;
		pr.ntids = p->ntids;
		pr.execs = p->execs;
		pr.nexecs = p->nexecs;
		pr.container = p->cont;
		if ((rc = k->ops->process(k, sc->ctx->artifact_id, &pr, e)) < 0)
			return rc;
	}
	return 0;
}

static void
scap_release(struct scap *sc)
{
	size_t i, j;

	for (i = 0; i < sc->thr.cap; i++) {
		struct scap_thr *t = (struct scap_thr *)tidtab_at(&sc->thr, i);
		if (t->h.used) {
			free(t->comm);
			free(t->cont);
		}
	}
	for (i = 0; i < sc->proc.cap; i++) {
		struct scap_proc *p = (struct scap_proc *)tidtab_at(&sc->proc, i);
		if (!p->h.used)
			continue;
		free(p->comm);
		free(p->exe);
		free(p->args);
		free(p->cont);
		free(p->tids);
		for (j = 0; j < p->nexecs; j++) {
			free((char *)p->execs[j].exe);
			free((char *)p->execs[j].args);
		}
		free(p->execs);
	}
	for (i = 0; i < sc->pend.cap; i++) {
		struct scap_pend *p = (struct scap_pend *)tidtab_at(&sc->pend, i);
		if (p->h.used)
			free(p->buf);
	}
	free(sc->thr.v);
	free(sc->proc.v);
	free(sc->pend.v);
	free(sc->buf);
	sbuf_release(&sc->tmp);
	sbuf_release(&sc->tmp2);
	sbuf_release(&sc->tmp3);
	sbuf_release(&sc->fdp);
	for (i = 0; i < sc->fds.cap; i++) {
		struct scap_fd *f = (struct scap_fd *)tidtab_at(&sc->fds, i);
		if (f->h.used)
			free(f->name);
	}
	free(sc->fds.v);
}

static int
imp_scap_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct scap sc;
	struct rd r;
	uint32_t type, len, trail;
	uint64_t boff, next_progress = 0;
	int rc, be;
	bool first = true;
	const char *name = ctx->src->name;

	memset(&sc, 0, sizeof(sc));
	sc.ctx = ctx;
	sc.thr.elsz = sizeof(struct scap_thr);
	sc.proc.elsz = sizeof(struct scap_proc);
	sc.pend.elsz = sizeof(struct scap_pend);
	scap_roles(&sc);
	sbuf_init(&sc.tmp, LIM_TEXT_LINE + 64);
	sbuf_init(&sc.tmp2, LIM_TEXT_LINE + 64);
	sbuf_init(&sc.tmp3, LIM_TEXT_LINE + 64);
	sbuf_init(&sc.fdp, LIM_TEXT_LINE + 64);
	sc.fds.elsz = sizeof(struct scap_fd);
	for (;;) {
		if ((rc = scap_need(&sc, 8, e)) < 0)
			goto out;
		boff = sc.off + sc.pos;
		if (rc == 0) {
			if (sc.len > sc.pos &&
			    (rc = ingest_anomaly(ctx, (int64_t)boff,
				 "%zu bytes after the last block at offset "
				 "%" PRIu64 ": the capture is truncated",
				 sc.len - sc.pos, boff)) < 0)
				goto out;
			break;
		}
		if (first) {
			if ((be = scap_shb_order(sc.buf + sc.pos,
				 sc.len - sc.pos)) < 0) {
				(void)scap_need(&sc, 12, e);
				be = scap_shb_order(sc.buf + sc.pos,
				    sc.len - sc.pos);
			}
			if (be < 0) {
				rc = dd_err_set_at(e, DD_EFORMAT, 0,
				    "'%s' is not a scap capture (no section "
				    "header block at offset 0)",
				    name);
				goto out;
			}
			sc.be = be == 1;
		}
		rd_init(&r, sc.buf + sc.pos, 8, boff);
		type = s32(&sc, &r);
		len = s32(&sc, &r);
		if (len < 12 || len % 4 != 0) {
			if (first) {
				rc = dd_err_set_at(e, DD_EFORMAT, (int64_t)boff,
				    "'%s': bad section header length %u at "
				    "offset %" PRIu64, name, len, boff);
				goto out;
			}
			rc = ingest_anomaly(ctx, (int64_t)boff,
			    "block of type 0x%x at offset %" PRIu64
			    " has a bad length (%u): the rest is unreadable",
			    type, boff, len);
			break;
		}
		if (len > SCAP_BLOCK_MAX) {
			if ((rc = ingest_anomaly(ctx, (int64_t)boff,
				 "block of type 0x%x at offset %" PRIu64
				 " is %u bytes, over the %u limit: skipped",
				 type, boff, len, SCAP_BLOCK_MAX)) < 0 ||
			    (rc = scap_skip(&sc, len, e)) < 0)
				goto out;
			if (rc == 0) {
				rc = ingest_anomaly(ctx, (int64_t)boff,
				    "the capture ends inside the block at "
				    "offset %" PRIu64, boff);
				break;
			}
			continue;
		}
		if ((rc = scap_need(&sc, len, e)) < 0)
			goto out;
		if (rc == 0) {
			if (first) {
				rc = dd_err_set_at(e, DD_EFORMAT, (int64_t)boff,
				    "'%s': the section header is cut short",
				    name);
				goto out;
			}
			rc = ingest_anomaly(ctx, (int64_t)boff,
			    "the capture ends inside the block of type 0x%x "
			    "at offset %" PRIu64 " (%u bytes claimed, %zu "
			    "left): truncated",
			    type, boff, len, sc.len - sc.pos);
			break;
		}
		rd_init(&r, sc.buf + sc.pos + len - 4, 4, boff + len - 4);
		trail = s32(&sc, &r);
		rd_init(&r, sc.buf + sc.pos + 8, len - 12, boff + 8);
		sc.pos += len;
		if (trail != len &&
		    (rc = ingest_anomaly(ctx, (int64_t)boff,
			 "block at offset %" PRIu64 " has trailer %u, not %u",
			 boff, trail, len)) < 0)
			goto out;
		if (first) {
			uint16_t major;
			(void)s32(&sc, &r); /* magic */
			major = s16(&sc, &r);
			if (type != SCAP_SHB || major != 1) {
				rc = dd_err_set_at(e, DD_EUNSUP, (int64_t)boff,
				    "'%s': scap major version %u is not "
				    "supported (1 is)", name, major);
				goto out;
			}
			first = false;
			continue;
		}
		switch (scap_blk_kind(type)) {
		case SB_PL:
			rc = scap_pl(&sc, type, &r);
			break;
		case SB_EV:
			rc = scap_event(&sc, type, &r, boff, e);
			break;
		case SB_MI:
		case SB_FDL:
			rc = scap_fdl(&sc, type, &r);
			break;
		case SB_IL:
		case SB_UL:
			rc = 0;
			break;
		default:
			if (type == SCAP_SHB)
				rc = 0; /* a new section: same byte order */
			else if (type == 1 || type == 6 || type == 3) {
				rc = dd_err_set_at(e, DD_EFORMAT, (int64_t)boff,
				    "'%s' is a pcapng capture (block type "
				    "0x%x at offset %" PRIu64 "), not scap: "
				    "import it as pcap",
				    name, type, boff);
			} else
				rc = ingest_anomaly(ctx, (int64_t)boff,
				    "unknown block type 0x%x at offset %" PRIu64
				    " (%u bytes): skipped",
				    type, boff, len);
			break;
		}
		if (rc < 0)
			goto out;
		if (ctx->progress && sc.off + sc.pos >= next_progress) {
			ctx->progress(ctx->progress_user, sc.off + sc.pos);
			next_progress = sc.off + sc.pos + (1u << 20);
		}
	}
	if (first) {
		rc = dd_err_set_at(e, DD_EFORMAT, 0,
		    "'%s' is not a scap capture (empty)", name);
		goto out;
	}
	if (sc.newer_types > 0 &&
	    (rc = ingest_anomaly(ctx, -1,
		 "%" PRIu64 " events of types newer than this reader's table "
		 "(%u types) were skipped",
		 sc.newer_types, SCAP_EVENT_MAX)) < 0)
		goto out;
	if ((rc = scap_emit_procs(&sc, e)) < 0)
		goto out;
	rc = 0;
out:
	scap_release(&sc);
	if (rc == DD_ELIMIT && (e == NULL || e->code == 0))
		dd_err_set(e, DD_ELIMIT, "more than %u anomalies",
		    LIM_ANOMALIES);
	return rc;
}

const struct importer imp_scap = {
	.abi = INGEST_ABI,
	.name = "scap",
	.version = "1",
	.summary = "sysdig/falco capture (.scap, scap 1.0-1.2, gzip or raw; "
		   "process list, containers, enter/exit pairs)",
	.kind = EV_SYSCALL,
	.flags = 0,
	.sniff = imp_scap_sniff,
	.import = imp_scap_import,
	.options = NULL,
};
