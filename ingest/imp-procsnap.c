/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-procsnap.c: /proc snapshots (FORMATS.md 6.2, 6.3), as tars:
 *
 *  - datasets/collect/proc-snapshot.sh's: meta.txt, errors.txt, links.txt
 *    ("PID/exe -> target", GNU escape quoting; a line without " -> " is a
 *    link that could not be read), proc/<pid>/{status,stat,cmdline,
 *    environ,maps,cgroup,mountinfo,comm,attr/current}, proc/<pid>/fdinfo/N,
 *    proc/<pid>/task/<tid>/status, host tables proc/net/{tcp,tcp6,udp,
 *    udp6,unix};
 *  - the layout of libsinsp's fake-proc (a real snapshot from inside a
 *    container): _proc/<pid>/... with exe, cwd, root, fd/N and ns/X as
 *    symlink entries and per-process net/ tables. Its top-level
 *    directories include threads (status Tgid != Pid): they become
 *    threads of their group, not processes.
 *
 * Members are read in tar order into bounded buffers (PS_FILE_MAX each;
 * more is cut with an anomaly); a process's members are parsed when the
 * walk leaves its directory, so memory holds one process at a time plus
 * the link table. Never extracted: names and link targets are data.
 *
 * Rows (core/schema.sql migration 6): processes; process_info (status:
 * credentials, capability sets, Seccomp, NoNewPrivs, NSpid; LSM label;
 * cwd, root); namespaces; cgroups; open_files (fd links, fdinfo pos and
 * flags); sockets (every net table, per network namespace once; the
 * collector's host tables with no pid); mounts (mountinfo, once per mount
 * namespace); environ; mappings (maps, source 'maps'); threads.
 *
 * Container attribution by cgroup path, exactly the runtimes' patterns
 * (FORMATS.md 6.3): a path component "docker-ID.scope", "libpod-ID[.scope]",
 * "crio-ID[.scope]", "cri-containerd-ID.scope", a final ":cri-containerd:ID",
 * or a bare ID component under "docker", "default" or a kubepods path,
 * ID being 64 lower-case hex. The process gets container_id and
 * container_rule 'cgroup'; each container found is emitted with its
 * runtime as an alias. Other hex-looking paths (a host's /process_api/
 * <32 hex>) do not match.
 *
 * Net tables: the kernel prints addresses as 32-bit words in host byte
 * order; snapshots are taken on little-endian hosts (x86-64, arm64), and
 * are decoded so (a big-endian host's tables would come out reversed).
 */
#include "core/common.h"

#include <arpa/inet.h>
#include <ctype.h>

#include "core/dderr.h"
#include "core/event.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/members.h"
#include "ingest/tarwalk.h"

/* Bytes kept of one member, links kept per process, fds per process. */
#define PS_FILE_MAX (16u * 1024u * 1024u)
#define PS_LINKS_MAX 65536u
#define PS_LINES_MAX 1000000u

struct ps_link {
	char *name;	/* "exe", "ns/pid", "fd/3" */
	char *target;	/* NULL: unreadable */
};

struct ps_file {
	char *name;	/* "status", "fdinfo/3", "task/12/status", "net/tcp" */
	struct sbuf data;
};

struct ps_proc {
	int64_t pid;
	struct ps_file *f;
	size_t nf;
	struct ps_link *l;
	size_t nl;
};

/* links.txt of the collector: every link of every process. */
struct ps_ltab {
	int64_t pid;
	size_t seq;	/* line order */
	struct ps_link l;
};

/* A process record held back: the sink queue drains before each process
 * record (it is written synchronously), so they are sent in bursts of up to
 * PS_PEND_MAX records or PS_PEND_BYTES of text, not one per process. */
#define PS_PEND_MAX 512u
#define PS_PEND_BYTES (8u * 1024u * 1024u)
struct ps_pend {
	int64_t pid, ppid, start_ts;
	char *comm, *exe, *args, *container;
	int64_t *tids;
	size_t ntids;
};

struct ps {
	struct imp_ctx *ctx;
	struct dd_err *e;
	struct ps_proc cur;
	bool have_cur;
	struct ps_ltab *lt;
	size_t nlt, alt;
	int64_t *done;		/* pids flushed (sorted on insert) */
	size_t ndone, adone;
	int64_t *netns;		/* network namespaces whose tables were read */
	size_t nnetns, anetns;
	int64_t *mntns;		/* mount namespaces whose tables were read */
	size_t nmntns, amntns;
	struct ps_file *host;	/* host tables (collector proc/net/...) */
	size_t nhost;
	int64_t ref_pid;
	int64_t btime;		/* meta.txt btime (s since the epoch), or -1 */
	struct ps_pend *pend;	/* process records not yet sent */
	size_t npend;
	size_t pend_bytes;
	char **cids;		/* containers emitted */
	size_t ncids;
	uint64_t procs, threads;
};

static int
ps_anom(struct ps *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int
ps_anom(struct ps *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ingest_anomaly(s->ctx, -1, "'%s': %s", s->ctx->src->name, msg);
}

static int
ps_emit(struct ps *s, struct net_rec *r)
{
	struct sink *k = s->ctx->sink;

	return k->ops->net ? k->ops->net(k, s->ctx->artifact_id, r, s->e) : 0;
}

/* Whether v (sorted set) holds x; insert it when add. */
static bool
ps_set(int64_t **v, size_t *n, size_t *a, int64_t x, bool add)
{
	size_t lo = 0, hi = *n, m;

	while (lo < hi) {
		m = (lo + hi) / 2;
		if ((*v)[m] == x)
			return true;
		if ((*v)[m] < x)
			lo = m + 1;
		else
			hi = m;
	}
	if (add) {
		if (*n == *a) {
			*a = *a ? *a * 2 : 64;
			*v = xreallocarray(*v, *a, sizeof(**v));
		}
		memmove(*v + lo + 1, *v + lo, (*n - lo) * sizeof(**v));
		(*v)[lo] = x;
		(*n)++;
	}
	return false;
}

static bool
ps_digits(const char *p, size_t n)
{
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* GNU "escape" quoting undone in place (\\, \n, \t, \ooo). */
static void
ps_unescape(char *p)
{
	char *o = p;

	while (*p) {
		if (p[0] == '\\' && p[1] == '\\') {
			*o++ = '\\';
			p += 2;
		} else if (p[0] == '\\' && p[1] == 'n') {
			*o++ = '\n';
			p += 2;
		} else if (p[0] == '\\' && p[1] == 't') {
			*o++ = '\t';
			p += 2;
		} else if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' &&
		    p[2] >= '0' && p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*o++ = (char)((p[1] - '0') << 6 | (p[2] - '0') << 3 |
				      (p[3] - '0'));
			p += 4;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
}

/* ---- links.txt ---- */

/* links.txt sorted by pid, keeping each pid's links in file order. */
static int
ps_lt_cmp(const void *a, const void *b)
{
	const struct ps_ltab *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}


static int
ps_links_txt(struct ps *s, struct sbuf *b)
{
	char *line = b->buf, *nl, *arrow, *slash;
	int64_t pid;

	b->buf[b->len] = '\0';
	for (; line && *line; line = nl) {
		nl = strchr(line, '\n');
		if (nl)
			*nl++ = '\0';
		slash = strchr(line, '/');
		if (slash == NULL || !ps_digits(line, (size_t)(slash - line)))
			continue;
		pid = strtoll(line, NULL, 10);
		arrow = strstr(slash, " -> ");
		if (arrow)
			*arrow = '\0';
		if (s->nlt == PS_LINKS_MAX * 64u)
			return ps_anom(s, "links.txt: more than %u links: "
					  "the rest ignored", PS_LINKS_MAX * 64u);
		if (s->nlt == s->alt) {
			s->alt = s->alt ? s->alt * 2 : 1024;
			s->lt = xreallocarray(s->lt, s->alt, sizeof(*s->lt));
		}
		s->lt[s->nlt].pid = pid;
		s->lt[s->nlt].seq = s->nlt;
		ps_unescape(slash + 1);
		s->lt[s->nlt].l.name = xstrdup(slash + 1);
		if (arrow) {
			ps_unescape(arrow + 4);
			s->lt[s->nlt].l.target = xstrdup(arrow + 4);
		} else {
			s->lt[s->nlt].l.target = NULL;
		}
		s->nlt++;
	}
	if (s->nlt > 1)
		qsort(s->lt, s->nlt, sizeof(*s->lt), ps_lt_cmp);
	return 0;
}

/* ---- one process ---- */

static struct ps_file *
ps_get(struct ps_proc *p, const char *name)
{
	for (size_t i = 0; i < p->nf; i++)
		if (strcmp(p->f[i].name, name) == 0)
			return &p->f[i];
	return NULL;
}

static const char *
ps_link(struct ps_proc *p, const char *name)
{
	for (size_t i = p->nl; i-- > 0;)
		if (strcmp(p->l[i].name, name) == 0)
			return p->l[i].target;
	return NULL;
}

/* The value of "Key:" in a status buffer, or NULL. */
static const char *
ps_status(const struct sbuf *b, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	const char *p = b->buf, *end = b->buf + b->len, *e;

	while (p < end) {
		e = memchr(p, '\n', (size_t)(end - p));
		if (e == NULL)
			e = end;
		if ((size_t)(e - p) > kl && memcmp(p, key, kl) == 0 &&
		    p[kl] == ':') {
			const char *v = p + kl + 1;
			while (v < e && (*v == '\t' || *v == ' '))
				v++;
			snprintf(out, cap, "%.*s", (int)(e - v), v);
			return out;
		}
		p = e + 1;
	}
	return NULL;
}

static int64_t
ps_num(const char *s, int base)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return NR_NULL;
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno || end == s)
		return NR_NULL;
	return v;
}

/* The n-th (0-based) whitespace field of s as a number. */
static int64_t
ps_field(const char *s, int n)
{
	char buf[64];

	if (s == NULL)
		return NR_NULL;
	for (int i = 0; i < n; i++) {
		while (*s && !isspace((unsigned char)*s))
			s++;
		while (*s && isspace((unsigned char)*s))
			s++;
	}
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(s, " \t"), s);
	return ps_num(buf, 10);
}

/* "pid:[4026531836]" → 4026531836, else -1. */
static int64_t
ps_ns_inode(const char *t)
{
	const char *b;

	if (t == NULL || (b = strstr(t, ":[")) == NULL)
		return -1;
	return strtoll(b + 2, NULL, 10);
}

static bool
ps_hex64(const char *p, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	return true;
}

/* The container id named by a cgroup path, and the runtime (static), or
 * NULL. id gets 65 bytes. */
const char *procsnap_cgroup_container(const char *path, char id[65]);
const char *
procsnap_cgroup_container(const char *path, char id[65])
{
	static const struct {
		const char *pre, *suf, *rt;
	} pat[] = {
		{ "docker-", ".scope", "docker" },
		{ "libpod-", ".scope", "podman" },
		{ "libpod-", "", "podman" },
		{ "crio-", ".scope", "cri-o" },
		{ "crio-", "", "cri-o" },
		{ "cri-containerd-", ".scope", "containerd" },
	};
	const char *c = path, *e, *prev = NULL, *colon;
	size_t n, prevn = 0, i, pl, sl;

	/* "...:cri-containerd:ID" (containerd without systemd cgroups) */
	colon = strrchr(path, ':');
	if (colon && colon - path >= 15 &&
	    strncmp(colon - 15, ":cri-containerd", 15) == 0 &&
	    ps_hex64(colon + 1, strlen(colon + 1))) {
		memcpy(id, colon + 1, 64);
		id[64] = '\0';
		return "containerd";
	}
	while (*c) {
		while (*c == '/')
			c++;
		e = strchr(c, '/');
		n = e ? (size_t)(e - c) : strlen(c);
		if (n == 0)
			break;
		for (i = 0; i < ARRAY_SIZE(pat); i++) {
			pl = strlen(pat[i].pre);
			sl = strlen(pat[i].suf);
			if (n == pl + 64 + sl && strncmp(c, pat[i].pre, pl) == 0 &&
			    ps_hex64(c + pl, 64) &&
			    strncmp(c + pl + 64, pat[i].suf, sl) == 0) {
				memcpy(id, c + pl, 64);
				id[64] = '\0';
				return pat[i].rt;
			}
		}
		if (ps_hex64(c, n) && prev != NULL) {
			const char *rt = NULL;
			if (prevn == 6 && strncmp(prev, "docker", 6) == 0)
				rt = "docker";
			else if (prevn == 7 && strncmp(prev, "default", 7) == 0)
				rt = "containerd";
			else if (strstr(path, "/kubepods") != NULL &&
			    prevn > 3 && strncmp(prev, "pod", 3) == 0)
				rt = "cri";
			if (rt) {
				memcpy(id, c, 64);
				id[64] = '\0';
				return rt;
			}
		}
		prev = c;
		prevn = n;
		c += n;
	}
	return NULL;
}

static int
ps_container(struct ps *s, const char *id, const char *rt)
{
	struct container_rec cr;
	const char *kind[1] = { "runtime" }, *val[1] = { rt };
	struct sink *k = s->ctx->sink;

	for (size_t i = 0; i < s->ncids; i++)
		if (strcmp(s->cids[i], id) == 0)
			return 0;
	if (s->ncids < 4096) {
		s->cids = xreallocarray(s->cids, s->ncids + 1, sizeof(char *));
		s->cids[s->ncids++] = xstrdup(id);
	}
	if (k->ops->container == NULL)
		return 0;
	memset(&cr, 0, sizeof(cr));
	cr.id = id;
	cr.privileged = -1;
	cr.alias_kind = kind;
	cr.alias_value = val;
	cr.naliases = 1;
	return k->ops->container(k, s->ctx->artifact_id, &cr, s->e);
}

/* Lines of a member, NUL-terminated in place. */
#define PS_LINES(f, line, nl)                                             \
	for (char *line = (f)->data.buf, *nl; line && line < (f)->data.buf + \
	    (f)->data.len; line = nl)                                        \
		if ((nl = strchr(line, '\n')) != NULL ? (*nl++ = '\0', 1) : 1)

static int
ps_maps(struct ps *s, int64_t pid, struct ps_file *f)
{
	struct net_rec r;
	int64_t seq = 0;
	int rc = 0;

	PS_LINES(f, line, nl) {
		unsigned long long a, b, off, ino;
		char perms[8], dev[16], a16[17], b16[17];
		int pos = 0;
		if (*line == '\0')
			continue;
		if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &a, &b,
			perms, &off, dev, &ino, &pos) < 6 || b < a) {
			if ((rc = ps_anom(s, "pid %" PRId64 " maps: line %"
					      PRId64 " is not a mapping",
				 pid, seq + 1)) < 0)
				return rc;
			continue;
		}
		net_rec_init(&r, NR_MAPPING);
		snprintf(a16, sizeof(a16), "%016llx", a);
		snprintf(b16, sizeof(b16), "%016llx", b);
		r.i[MP_PID] = pid;
		r.i[MP_SEQ] = seq++;
		r.s[MPS_START] = a16;
		r.s[MPS_END] = b16;
		r.i[MP_SIZE] = (int64_t)(b - a);
		r.s[MPS_PERMS] = perms;
		r.i[MP_OFFSET] = (int64_t)off;
		r.s[MPS_DEV] = dev;
		r.i[MP_INODE] = (int64_t)ino;
		r.s[MPS_PATH] = pos > 0 && line[pos] ? line + pos : NULL;
		r.s[MPS_SOURCE] = "maps";
		if ((rc = ps_emit(s, &r)) < 0)
			return rc;
	}
	return rc;
}

static int
ps_mountinfo(struct ps *s, int64_t ns, struct ps_file *f)
{
	struct net_rec r;
	int rc = 0;

	PS_LINES(f, line, nl) {
		char *fld[64], *sep = NULL, *save = NULL, *t;
		int n = 0;
		for (t = strtok_r(line, " ", &save); t && n < 64;
		    t = strtok_r(NULL, " ", &save))
			fld[n++] = t;
		for (int i = 6; i < n; i++)
			if (strcmp(fld[i], "-") == 0) {
				sep = fld[i];
				break;
			}
		if (n == 0)
			continue;
		if (n < 10 || sep == NULL) {
			if ((rc = ps_anom(s, "mount namespace %" PRId64
					      ": a mountinfo line that is "
					      "not one", ns)) < 0)
				return rc;
			continue;
		}
		int k = 6;
		while (k < n && fld[k] != sep)
			k++;
		net_rec_init(&r, NR_MOUNT);
		r.i[MT_NS] = ns;
		r.i[MT_ID] = ps_num(fld[0], 10);
		r.i[MT_PARENT] = ps_num(fld[1], 10);
		r.s[MTS_DEVNO] = fld[2];
		ps_unescape(fld[3]);
		ps_unescape(fld[4]);
		r.s[MTS_ROOT] = fld[3];
		r.s[MTS_POINT] = fld[4];
		r.s[MTS_OPTS] = fld[5];
		r.s[MTS_FSTYPE] = k + 1 < n ? fld[k + 1] : NULL;
		r.s[MTS_SOURCE] = k + 2 < n ? fld[k + 2] : NULL;
		r.s[MTS_SUPER] = k + 3 < n ? fld[k + 3] : NULL;
		if (r.i[MT_ID] == NR_NULL)
			continue;
		if ((rc = ps_emit(s, &r)) < 0)
			return rc;
	}
	return rc;
}

static const char *const ps_tcp_state[] = {
	NULL, "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
	"FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN",
	"CLOSING", "NEW_SYN_RECV",
};

/* "0100007F:0016" (or 32 hex digits for IPv6) → text and port. */
static bool
ps_addr(const char *h, char *out, size_t cap, int64_t *port)
{
	const char *colon = strchr(h, ':');
	uint8_t b[16];
	size_t n = colon ? (size_t)(colon - h) : 0, i;

	if (colon == NULL || (n != 8 && n != 32))
		return false;
	for (i = 0; i < n / 8; i++) {
		char w[9];
		unsigned long v;
		memcpy(w, h + 8 * i, 8);
		w[8] = '\0';
		v = strtoul(w, NULL, 16);
		b[4 * i] = (uint8_t)v;
		b[4 * i + 1] = (uint8_t)(v >> 8);
		b[4 * i + 2] = (uint8_t)(v >> 16);
		b[4 * i + 3] = (uint8_t)(v >> 24);
	}
	if (inet_ntop(n == 8 ? AF_INET : AF_INET6, b, out, (socklen_t)cap) ==
	    NULL)
		return false;
	*port = (int64_t)strtoul(colon + 1, NULL, 16);
	return true;
}

static int
ps_net(struct ps *s, int64_t pid, int64_t netns, const char *proto,
    struct ps_file *f)
{
	struct net_rec r;
	bool unix_ = strcmp(proto, "unix") == 0, first = true;
	int rc = 0;

	PS_LINES(f, line, nl) {
		char *fld[24], *save = NULL, *t, la[64], ra[64];
		int n = 0;
		if (first) { /* the header line */
			first = false;
			continue;
		}
		for (t = strtok_r(line, " ", &save); t && n < 24;
		    t = strtok_r(NULL, " ", &save))
			fld[n++] = t;
		if (n == 0)
			continue;
		net_rec_init(&r, NR_SOCKET);
		r.i[SK_PID] = pid;
		r.i[SK_NETNS] = netns > 0 ? netns : NR_NULL;
		r.s[SKS_PROTO] = proto;
		if (unix_) {
			static const char *const ty[] = { NULL, "stream",
				"dgram", NULL, NULL, "seqpacket" };
			int64_t type;
			if (n < 7) {
				rc = ps_anom(s, "a %s table line that is not "
						"one", proto);
				if (rc < 0)
					return rc;
				continue;
			}
			type = ps_num(fld[4], 16);
			r.s[SKS_STATE] = type >= 0 && type < 6 && ty[type] ?
					 ty[type] : fld[4];
			r.i[SK_INODE] = ps_num(fld[6], 10);
			r.s[SKS_PATH] = n > 7 ? fld[7] : NULL;
		} else {
			int64_t st;
			if (n < 10 || !ps_addr(fld[1], la, sizeof(la),
					  &r.i[SK_LPORT]) ||
			    !ps_addr(fld[2], ra, sizeof(ra), &r.i[SK_RPORT])) {
				rc = ps_anom(s, "a %s table line that is not "
						"one", proto);
				if (rc < 0)
					return rc;
				continue;
			}
			r.s[SKS_LOCAL] = la;
			r.s[SKS_REMOTE] = ra;
			st = ps_num(fld[3], 16);
			r.s[SKS_STATE] = strncmp(proto, "tcp", 3) == 0 &&
					 st > 0 && st < 13 ? ps_tcp_state[st] :
					 fld[3];
			r.i[SK_UID] = ps_num(fld[7], 10);
			r.i[SK_INODE] = ps_num(fld[9], 10);
		}
		if ((rc = ps_emit(s, &r)) < 0)
			return rc;
	}
	return rc;
}

static const char *const ps_tables[] = { "tcp", "tcp6", "udp", "udp6",
	"raw", "raw6", "unix" };

static int
ps_fd(struct ps *s, struct ps_proc *p, const struct ps_link *l)
{
	struct net_rec r;
	struct ps_file *fi;
	char name[64], v[64];
	const char *t = l->target;
	int64_t fd = ps_num(l->name + 3, 10);

	if (fd == NR_NULL)
		return 0;
	net_rec_init(&r, NR_FD);
	r.i[FD_PID] = p->pid;
	r.i[FD_FD] = fd;
	r.s[FDS_TARGET] = t;
	if (t == NULL)
		r.s[FDS_KIND] = NULL;
	else if (strncmp(t, "socket:[", 8) == 0)
		r.s[FDS_KIND] = "socket";
	else if (strncmp(t, "pipe:[", 6) == 0)
		r.s[FDS_KIND] = "pipe";
	else if (strncmp(t, "anon_inode:", 11) == 0)
		r.s[FDS_KIND] = "anon";
	else if (t[0] == '/')
		r.s[FDS_KIND] = "file";
	else
		r.s[FDS_KIND] = "other";
	if (t && strchr(t, '[') && (strncmp(t, "socket:", 7) == 0 ||
	    strncmp(t, "pipe:", 5) == 0))
		r.i[FD_INODE] = ps_ns_inode(t);
	snprintf(name, sizeof(name), "fdinfo/%" PRId64, fd);
	if ((fi = ps_get(p, name)) != NULL) {
		r.i[FD_POS] = ps_num(ps_status(&fi->data, "pos", v, sizeof(v)),
		    10);
		r.i[FD_FLAGS] = ps_num(ps_status(&fi->data, "flags", v,
					   sizeof(v)), 8);
	}
	return ps_emit(s, &r);
}

/* The first link of pid in the sorted table (or where it would be). */
static size_t
ps_lt_first(const struct ps *s, int64_t pid)
{
	size_t lo = 0, hi = s->nlt, m;

	while (lo < hi) {
		m = (lo + hi) / 2;
		if (s->lt[m].pid < pid)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* The start time of a process: stat's starttime (field 22, in clock ticks
 * since boot, after the comm whose parentheses may nest) plus the boot time
 * meta.txt gives. Linux reports these ticks in USER_HZ, 100 on every
 * architecture a container host runs (x86, arm, arm64, riscv, ppc, s390;
 * alpha's 1024 is not one). EV_TS_NONE when either is unknown. */
#define PS_USER_HZ 100
static int64_t
ps_start_ts(const struct ps *s, const struct ps_file *st)
{
	const char *r;
	int64_t t;

	if (s->btime < 0 || st == NULL || st->data.len == 0 ||
	    (r = strrchr(st->data.buf, ')')) == NULL)
		return EV_TS_NONE;
	/* after ") ": state is field 3, starttime field 22 */
	t = ps_field(r + 2, 19);
	if (t == NR_NULL || t < 0 || t > INT64_MAX / 20000000)
		return EV_TS_NONE;
	return s->btime * 1000000000 + t * (1000000000 / PS_USER_HZ);
}

/* Send the held process records (see struct ps_pend). */
static int
ps_send(struct ps *s, bool emit)
{
	struct sink *k = s->ctx->sink;
	struct process_rec pr;
	int rc = 0;

	for (size_t i = 0; i < s->npend; i++) {
		struct ps_pend *pd = &s->pend[i];
		memset(&pr, 0, sizeof(pr));
		pr.pid = pd->pid;
		pr.ppid = pd->ppid;
		pr.comm = pd->comm;
		pr.exe = pd->exe;
		pr.args = pd->args;
		pr.start_ts = pd->start_ts;
		pr.end_ts = EV_TS_NONE;
		pr.tids = pd->tids;
		pr.ntids = pd->ntids;
		pr.container = pd->container;
		if (emit && rc >= 0 && k->ops->process)
			rc = k->ops->process(k, s->ctx->artifact_id, &pr, s->e);
		free(pd->comm);
		free(pd->exe);
		free(pd->args);
		free(pd->container);
		free(pd->tids);
	}
	s->npend = 0;
	s->pend_bytes = 0;
	return rc;
}

/* Parse and emit the process in s->cur. */
static int
ps_flush(struct ps *s)
{
	struct ps_proc *p = &s->cur;
	struct ps_file *st = ps_get(p, "status"), *f;
	struct net_rec r;
	char v[256], name[64], cid[65], state[64], nspid[128], comm[64];
	const char *rt = NULL, *lsm = NULL;
	struct sbuf args;
	int64_t tgid, mnt, net, *tids = NULL;
	size_t ntids = 0, i;
	int rc = 0;

	if (ps_set(&s->done, &s->ndone, &s->adone, p->pid, true))
		return ps_anom(s, "the members of pid %" PRId64 " are not "
				  "together: later ones ignored", p->pid);
	/* the collector's links for this pid (s->lt is sorted by pid) */
	for (i = ps_lt_first(s, p->pid); i < s->nlt && s->lt[i].pid == p->pid;
	    i++)
		if (p->nl < PS_LINKS_MAX) {
			p->l = xreallocarray(p->l, p->nl + 1, sizeof(*p->l));
			p->l[p->nl].name = xstrdup(s->lt[i].l.name);
			p->l[p->nl].target = s->lt[i].l.target ?
			    xstrdup(s->lt[i].l.target) : NULL;
			p->nl++;
		}
	if (st == NULL)
		return ps_anom(s, "pid %" PRId64 ": no status member (the "
				  "process exited while it was read): "
				  "skipped", p->pid);
	tgid = ps_num(ps_status(&st->data, "Tgid", v, sizeof(v)), 10);
	if (!ps_status(&st->data, "Name", comm, sizeof(comm)))
		comm[0] = '\0';
	if (!ps_status(&st->data, "State", state, sizeof(state)))
		state[0] = '\0';
	else
		state[strcspn(state, " ")] = '\0';
	if (tgid != NR_NULL && tgid != p->pid) {
		/* A thread listed at the top (fake-proc): a thread row. */
		net_rec_init(&r, NR_THREAD);
		r.i[TH_PID] = tgid;
		r.i[TH_TID] = p->pid;
		r.s[THS_COMM] = comm;
		r.s[THS_STATE] = state;
		s->threads++;
		return ps_emit(s, &r);
	}
	s->procs++;

	/* threads from task/<tid>/status */
	for (i = 0; i < p->nf; i++) {
		char *nm = p->f[i].name, c2[64], s2[64];
		int64_t tid;
		if (strncmp(nm, "task/", 5) != 0 ||
		    strcmp(nm + strcspn(nm + 5, "/") + 5, "/status") != 0)
			continue;
		tid = ps_num(nm + 5, 10);
		if (tid == NR_NULL)
			continue;
		tids = xreallocarray(tids, ntids + 1, sizeof(*tids));
		tids[ntids++] = tid;
		net_rec_init(&r, NR_THREAD);
		r.i[TH_PID] = p->pid;
		r.i[TH_TID] = tid;
		r.s[THS_COMM] = ps_status(&p->f[i].data, "Name", c2,
		    sizeof(c2));
		r.s[THS_STATE] = ps_status(&p->f[i].data, "State", s2,
		    sizeof(s2));
		if (r.s[THS_STATE])
			s2[strcspn(s2, " ")] = '\0';
		s->threads++;
		if ((rc = ps_emit(s, &r)) < 0)
			goto out;
	}

	/* container by cgroup path */
	if ((f = ps_get(p, "cgroup")) != NULL) {
		struct sbuf copy;
		sbuf_init(&copy, PS_FILE_MAX + 1);
		sbuf_add(&copy, f->data.buf, f->data.len);
		sbuf_addch(&copy, '\0');
		for (char *line = copy.buf, *nl; line && *line; line = nl) {
			char *c1, *c2;
			if ((nl = strchr(line, '\n')) != NULL)
				*nl++ = '\0';
			c1 = strchr(line, ':');
			c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c2 == NULL)
				continue;
			*c1 = *c2 = '\0';
			net_rec_init(&r, NR_CGROUP);
			r.i[CG_PID] = p->pid;
			r.i[CG_HIER] = ps_num(line, 10);
			r.s[CGS_CTRL] = c1 + 1;
			r.s[CGS_PATH] = c2 + 1;
			if (r.i[CG_HIER] == NR_NULL)
				continue;
			if (rt == NULL)
				rt = procsnap_cgroup_container(c2 + 1, cid);
			if ((rc = ps_emit(s, &r)) < 0)
				break;
		}
		sbuf_release(&copy);
		if (rc < 0)
			goto out;
	}
	if (rt && (rc = ps_container(s, cid, rt)) < 0)
		goto out;

	sbuf_init(&args, PS_FILE_MAX + 1);
	if ((f = ps_get(p, "cmdline")) != NULL) {
		for (i = 0; i < f->data.len; i++)
			sbuf_addch(&args, f->data.buf[i] ? f->data.buf[i] : ' ');
		while (args.len && args.buf[args.len - 1] == ' ')
			args.buf[--args.len] = '\0';
	}
	{
		struct ps_pend *pd;
		const char *exe = ps_link(p, "exe");
		s->pend = xreallocarray(s->pend, s->npend + 1,
		    sizeof(*s->pend));
		pd = &s->pend[s->npend++];
		pd->pid = p->pid;
		pd->ppid = ps_num(ps_status(&st->data, "PPid", v, sizeof(v)),
		    10);
		if (pd->ppid == NR_NULL)
			pd->ppid = -1;
		pd->comm = comm[0] ? xstrdup(comm) : NULL;
		pd->exe = exe ? xstrdup(exe) : NULL;
		pd->args = args.len ? xstrdup(args.buf) : NULL;
		pd->container = rt ? xstrdup(cid) : NULL;
		pd->start_ts = ps_start_ts(s, ps_get(p, "stat"));
		pd->tids = tids;
		pd->ntids = ntids;
		tids = NULL;
		s->pend_bytes += args.len + 64;
	}
	sbuf_release(&args);
	if ((s->npend >= PS_PEND_MAX || s->pend_bytes >= PS_PEND_BYTES) &&
	    (rc = ps_send(s, true)) < 0)
		goto out;

	/* process_info */
	net_rec_init(&r, NR_PROCINFO);
	r.i[PI_PID] = p->pid;
	r.s[PIS_STATE] = state[0] ? state : NULL;
	if (ps_status(&st->data, "Uid", v, sizeof(v))) {
		r.i[PI_UID] = ps_field(v, 0);
		r.i[PI_EUID] = ps_field(v, 1);
		r.i[PI_SUID] = ps_field(v, 2);
		r.i[PI_FSUID] = ps_field(v, 3);
	}
	if (ps_status(&st->data, "Gid", v, sizeof(v))) {
		r.i[PI_GID] = ps_field(v, 0);
		r.i[PI_EGID] = ps_field(v, 1);
	}
	r.i[PI_CAP_INH] = ps_num(ps_status(&st->data, "CapInh", v, sizeof(v)),
	    16);
	r.i[PI_CAP_PRM] = ps_num(ps_status(&st->data, "CapPrm", v, sizeof(v)),
	    16);
	r.i[PI_CAP_EFF] = ps_num(ps_status(&st->data, "CapEff", v, sizeof(v)),
	    16);
	r.i[PI_CAP_BND] = ps_num(ps_status(&st->data, "CapBnd", v, sizeof(v)),
	    16);
	r.i[PI_CAP_AMB] = ps_num(ps_status(&st->data, "CapAmb", v, sizeof(v)),
	    16);
	r.i[PI_SECCOMP] = ps_num(ps_status(&st->data, "Seccomp", v, sizeof(v)),
	    10);
	r.i[PI_NNP] = ps_num(ps_status(&st->data, "NoNewPrivs", v, sizeof(v)),
	    10);
	if (ps_status(&st->data, "NSpid", nspid, sizeof(nspid))) {
		for (char *c = nspid; *c; c++)
			if (*c == '\t')
				*c = ' ';
		r.s[PIS_NSPID] = nspid;
	}
	if ((f = ps_get(p, "attr/current")) != NULL && f->data.len) {
		f->data.buf[f->data.len] = '\0';
		f->data.buf[strcspn(f->data.buf, "\n")] = '\0';
		lsm = f->data.buf;
	}
	r.s[PIS_LSM] = lsm;
	r.s[PIS_CWD] = ps_link(p, "cwd");
	r.s[PIS_ROOT] = ps_link(p, "root");
	r.s[PIS_RULE] = rt ? "cgroup" : NULL;
	if ((rc = ps_emit(s, &r)) < 0)
		goto out;

	/* links: namespaces and fds */
	mnt = net = -1;
	for (i = 0; i < p->nl; i++) {
		const struct ps_link *l = &p->l[i];
		if (strncmp(l->name, "ns/", 3) == 0) {
			int64_t ino = ps_ns_inode(l->target);
			if (ino <= 0)
				continue;
			net_rec_init(&r, NR_NAMESPACE);
			r.i[NS_PID] = p->pid;
			r.s[NSS_KIND] = l->name + 3;
			r.i[NS_INODE] = ino;
			if (strcmp(l->name, "ns/mnt") == 0)
				mnt = ino;
			if (strcmp(l->name, "ns/net") == 0)
				net = ino;
			if ((rc = ps_emit(s, &r)) < 0)
				goto out;
		} else if (strncmp(l->name, "fd/", 3) == 0) {
			if ((rc = ps_fd(s, p, l)) < 0)
				goto out;
		}
	}

	/* mounts once per mount namespace (-pid when unknown) */
	if ((f = ps_get(p, "mountinfo")) != NULL && f->data.len &&
	    (mnt < 0 || !ps_set(&s->mntns, &s->nmntns, &s->amntns, mnt, true)))
		if ((rc = ps_mountinfo(s, mnt > 0 ? mnt : -p->pid, f)) < 0)
			goto out;
	/* per-process net tables once per network namespace */
	if (net < 0 || !ps_set(&s->netns, &s->nnetns, &s->anetns, net, true))
		for (i = 0; i < ARRAY_SIZE(ps_tables); i++) {
			snprintf(name, sizeof(name), "net/%s", ps_tables[i]);
			if ((f = ps_get(p, name)) != NULL &&
			    (rc = ps_net(s, p->pid, net, ps_tables[i], f)) < 0)
				goto out;
		}
	if ((f = ps_get(p, "maps")) != NULL && (rc = ps_maps(s, p->pid, f)) < 0)
		goto out;
	if ((f = ps_get(p, "environ")) != NULL) {
		int64_t seq = 0;
		for (size_t o = 0; o < f->data.len;) {
			char *e0 = f->data.buf + o, *eq;
			size_t n = strnlen(e0, f->data.len - o);
			e0[n] = '\0';
			o += n + 1;
			if (n == 0)
				continue;
			eq = strchr(e0, '=');
			if (eq)
				*eq = '\0';
			net_rec_init(&r, NR_ENVIRON);
			r.i[EN_PID] = p->pid;
			r.i[EN_SEQ] = seq++;
			r.s[ENS_NAME] = e0;
			r.s[ENS_VALUE] = eq ? eq + 1 : NULL;
			if ((rc = ps_emit(s, &r)) < 0)
				goto out;
		}
	}
out:
	free(tids);
	return rc;
}

static void
ps_cur_free(struct ps *s)
{
	struct ps_proc *p = &s->cur;

	for (size_t i = 0; i < p->nf; i++) {
		free(p->f[i].name);
		sbuf_release(&p->f[i].data);
	}
	for (size_t i = 0; i < p->nl; i++) {
		free(p->l[i].name);
		free(p->l[i].target);
	}
	free(p->f);
	free(p->l);
	memset(p, 0, sizeof(*p));
	s->have_cur = false;
}

/* Read the entry's data into b (cut at PS_FILE_MAX). */
static int
ps_slurp(struct ps *s, struct tarw *t, const char *name, struct sbuf *b)
{
	const uint8_t *d;
	size_t n;
	bool cut = false;
	int rc;

	sbuf_init(b, PS_FILE_MAX + 1);
	while ((rc = tarw_read(t, &d, &n, s->e)) >= 0 && n > 0) {
		size_t k = MIN(n, (size_t)PS_FILE_MAX - b->len);
		if (k < n)
			cut = true;
		if (k && sbuf_add(b, d, k) < 0)
			cut = true;
	}
	if (rc < 0)
		return rc;
	sbuf_grow(b, 1);
	b->buf[b->len] = '\0';
	if (cut)
		return ps_anom(s, "'%s': more than %u MiB: cut", name,
		    PS_FILE_MAX >> 20);
	return 0;
}

/* What follows the first "proc/" or "_proc/" directory of a member name
 * ("host1/proc/12/status" -> "12/status"; snapshots copied under a
 * directory of their own are read too), or NULL. */
static const char *
ps_proc_dir(const char *nm)
{
	const char *c = nm;

	for (int depth = 0; *c && depth < 4; depth++) {
		if (strncmp(c, "proc/", 5) == 0)
			return c + 5;
		if (strncmp(c, "_proc/", 6) == 0)
			return c + 6;
		if ((c = strchr(c, '/')) == NULL)
			return NULL;
		c++;
	}
	return NULL;
}

static int
ps_entry(struct ps *s, struct tarw *t, const struct tarw_entry *ent)
{
	const char *nm = ent->name, *rest, *slash, *base;
	int64_t pid;
	struct sbuf b;
	int rc;

	while (nm[0] == '.' && nm[1] == '/')
		nm += 2;
	/* the collector's files, at the top or one directory down */
	base = strchr(nm, '/') && !strchr(strchr(nm, '/') + 1, '/') ?
	    strchr(nm, '/') + 1 : nm;
	if (strcmp(base, "links.txt") == 0 || strcmp(base, "meta.txt") == 0 ||
	    strcmp(base, "errors.txt") == 0) {
		nm = base;
		if ((rc = ps_slurp(s, t, nm, &b)) < 0) {
			sbuf_release(&b);
			return rc;
		}
		if (nm[0] == 'l')
			rc = ps_links_txt(s, &b);
		else if (nm[0] == 'm') {
			struct ps_file mf = { NULL, b };
			PS_LINES(&mf, line, nl) {
				char *eq = strchr(line, '=');
				if (eq == NULL)
					continue;
				*eq = '\0';
				if (strcmp(line, "ref_pid") == 0)
					s->ref_pid = ps_num(eq + 1, 10);
				if (strcmp(line, "btime") == 0) {
					int64_t bt = ps_num(eq + 1, 10);
					s->btime = bt != NR_NULL && bt > 0 &&
					    bt < INT64_MAX / 1000000000 ? bt : -1;
				}
				if (strcmp(line, "hostname") == 0 ||
				    strcmp(line, "kernel") == 0 ||
				    strcmp(line, "boot_id") == 0 ||
				    strcmp(line, "date_utc") == 0 ||
				    strcmp(line, "collector") == 0 ||
				    strcmp(line, "version") == 0 ||
				    strcmp(line, "uid") == 0) {
					char key[64];
					snprintf(key, sizeof(key),
					    "snapshot.%s", line);
					if ((rc = ingest_label(s->ctx,
						 s->ctx->artifact_id, key,
						 eq + 1, s->e)) < 0)
						break;
				}
			}
		} else {
			size_t nerr = 0;
			for (size_t i = 0; i < b.len; i++)
				nerr += b.buf[i] == '\n';
			if (nerr)
				rc = ps_anom(s, "errors.txt: %zu entries could "
						"not be read when the snapshot "
						"was taken", nerr);
		}
		sbuf_release(&b);
		return rc;
	}
	if ((rest = ps_proc_dir(nm)) == NULL)
		return 0;
	slash = strchr(rest, '/');
	if (slash == NULL || slash[1] == '\0')
		return 0; /* a directory entry */
	if (!ps_digits(rest, (size_t)(slash - rest))) {
		/* host tables of the collector: proc/net/<table> */
		for (size_t i = 0; i < ARRAY_SIZE(ps_tables); i++)
			if (strncmp(rest, "net/", 4) == 0 &&
			    strcmp(rest + 4, ps_tables[i]) == 0 &&
			    ent->type != TARW_DIR && s->nhost < 16) {
				struct ps_file *h;
				s->host = xreallocarray(s->host, s->nhost + 1,
				    sizeof(*s->host));
				h = &s->host[s->nhost++];
				h->name = xstrdup(ps_tables[i]);
				return ps_slurp(s, t, nm, &h->data);
			}
		return 0;
	}
	pid = strtoll(rest, NULL, 10);
	if (s->have_cur && s->cur.pid != pid) {
		rc = ps_flush(s);
		ps_cur_free(s);
		if (rc < 0)
			return rc;
	}
	if (!s->have_cur) {
		s->cur.pid = pid;
		s->have_cur = true;
	}
	rest = slash + 1;
	if (ent->type == TARW_SYMLINK) {
		if (s->cur.nl < PS_LINKS_MAX) {
			s->cur.l = xreallocarray(s->cur.l, s->cur.nl + 1,
			    sizeof(*s->cur.l));
			s->cur.l[s->cur.nl].name = xstrdup(rest);
			s->cur.l[s->cur.nl++].target = xstrdup(ent->link);
		}
		return 0;
	}
	if (ent->type != TARW_FILE && ent->type != TARW_CONTIG)
		return 0;
	/* only what is parsed is kept in memory */
	if (strcmp(rest, "status") && strcmp(rest, "cmdline") &&
	    strcmp(rest, "stat") &&
	    strcmp(rest, "environ") && strcmp(rest, "maps") &&
	    strcmp(rest, "cgroup") && strcmp(rest, "mountinfo") &&
	    strcmp(rest, "attr/current") && strncmp(rest, "fdinfo/", 7) &&
	    strncmp(rest, "task/", 5) && strncmp(rest, "net/", 4))
		return 0;
	if (s->cur.nf >= PS_LINKS_MAX)
		return 0;
	s->cur.f = xreallocarray(s->cur.f, s->cur.nf + 1, sizeof(*s->cur.f));
	s->cur.f[s->cur.nf].name = xstrdup(rest);
	return ps_slurp(s, t, nm, &s->cur.f[s->cur.nf++].data);
}

static int
imp_procsnap_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct ps s = { .ctx = ctx, .e = e, .btime = -1 };
	struct tarw_entry ent;
	struct tarw *t;
	int64_t refnet = -1;
	size_t i;
	int rc;

	t = tarw_new(ingest_read_src, ctx, ctx->src->name);
	while ((rc = tarw_next(t, &ent, e)) > 0)
		if ((rc = ps_entry(&s, t, &ent)) < 0)
			break;
	if (rc == DD_ETRUNC) {
		/* keep what came before the cut */
		rc = ingest_anomaly(ctx, (int64_t)tarw_offset(t), "%s",
		    e->msg);
		dd_err_clear(e);
	}
	if (rc >= 0 && s.have_cur)
		rc = ps_flush(&s);
	ps_cur_free(&s);
	if (rc >= 0)
		rc = ps_send(&s, true);
	else
		(void)ps_send(&s, false); /* frees them */
	/* the collector's host tables: its own network namespace */
	for (i = 0; i < s.nlt; i++)
		if (s.lt[i].pid == s.ref_pid &&
		    strcmp(s.lt[i].l.name, "ns/net") == 0)
			refnet = ps_ns_inode(s.lt[i].l.target);
	for (i = 0; rc >= 0 && i < s.nhost; i++)
		rc = ps_net(&s, NR_NULL, refnet, s.host[i].name, &s.host[i]);
	if (rc >= 0 && s.procs == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no process in this "
		    "tar (not a /proc snapshot)", ctx->src->name);
	tarw_free(t);
	for (i = 0; i < s.nlt; i++) {
		free(s.lt[i].l.name);
		free(s.lt[i].l.target);
	}
	for (i = 0; i < s.nhost; i++) {
		free(s.host[i].name);
		sbuf_release(&s.host[i].data);
	}
	for (i = 0; i < s.ncids; i++)
		free(s.cids[i]);
	free(s.cids);
	free(s.pend);
	free(s.host);
	free(s.lt);
	free(s.done);
	free(s.netns);
	free(s.mntns);
	return rc < 0 ? rc : 0;
}

/* A tar whose first member is the collector's meta.txt or a proc/ or
 * _proc/ directory (or a member in one). */
static int
imp_procsnap_sniff(const uint8_t *head, size_t n, const char *basename)
{
	char name[101];
	const char *p = name, *slash;

	(void)basename;
	if (!tarw_is_tar(head, n))
		return 0;
	memcpy(name, head, 100);
	name[100] = '\0';
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (strcmp(p, "meta.txt") == 0 && n > 512 &&
	    memmem(head + 512, MIN(n - 512, (size_t)512),
		"collector=drydock-proc-snapshot", 31) != NULL)
		return 64;
	if (strncmp(p, "_proc/", 6) == 0 || strncmp(p, "proc/", 5) == 0)
		return 40;
	/* one directory above ("snap/", then "snap/proc/..." or
	 * "snap/meta.txt"): the second header, after the directory's */
	if ((slash = strchr(p, '/')) != NULL && slash[1] == '\0' && n >= 1024 &&
	    tarw_is_tar(head + 512, n - 512)) {
		char second[101];
		size_t k = (size_t)(slash - p) + 1;
		memcpy(second, head + 512, 100);
		second[100] = '\0';
		if (strncmp(second, p, k) == 0 &&
		    (strncmp(second + k, "proc/", 5) == 0 ||
			strncmp(second + k, "_proc/", 6) == 0 ||
			strcmp(second + k, "meta.txt") == 0 ||
			strcmp(second + k, "links.txt") == 0 ||
			strcmp(second + k, "errors.txt") == 0))
			return 32;
	}
	return 0;
}

const struct importer imp_procsnap = {
	.abi = INGEST_ABI,
	.name = "procsnap",
	.version = "1",
	.summary = "/proc snapshots (datasets/collect/proc-snapshot.sh tars, "
		   "libsinsp fake-proc layout): processes, credentials, "
		   "capabilities, namespaces, cgroups, fds, sockets, mounts, "
		   "environ, maps",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_procsnap_sniff,
	.import = imp_procsnap_import,
	.options = NULL,
	.zlevel = 0,
};
