/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-correlate.c: links between the sources (DESIGN.md section 3), written
 * to the links relation with a confidence and the values joined.
 *
 * Kinds (from -> to):
 *   flow.5tuple   events:ID -> flows:ID   a connect, sendto or accept whose
 *                 socket's local and remote address and port (strace -yy
 *                 decorations of later calls on it) are the flow's, in
 *                 either direction, nearest in time: 0.95
 *   flow.dst_port events:ID -> flows:ID   the remote address, port and
 *                 time (within 2 s after the clock skew) only, as after
 *                 NAT: 0.7 when one flow fits, 0.5 when several do (the
 *                 nearest not linked to another call: calls in time order
 *                 after the 5-tuple matches, one flow per call)
 *   dns.answer    events:ID -> dns:FLOW_ID:TS   the last DNS answer that
 *                 gave the connected address, within 10 minutes before:
 *                 0.5
 *   exec.writer   events:ID -> events:ID   the program executed was
 *                 written (opened for writing, renamed or linked into
 *                 place) earlier in the same trace: 0.9
 *   exec.drift    events:ID -> drift:KEY   it is a file the container
 *                 added or changed (its writable layer): 0.8
 *   exec.layer    events:ID -> file_origins:IMAGE_ID:PATH   the image
 *                 layer and Dockerfile step that shipped the path (symlinks
 *                 followed in the image's tree): 0.8 in the container's
 *                 own image, 0.5 when the container is unknown and one
 *                 image alone holds the path
 *   container.image containers:ID -> images:ID   by inspect's image id
 *                 (1.0) or the image name (0.8)
 *   clock.skew    artifacts:A -> artifacts:B   the median of (flow start
 *                 - syscall time) over the connects matched one to one
 *                 between trace A and capture B; with 3 or more pairs and
 *                 over 50 ms also a corr.clock_skew finding that gives the
 *                 `drydock offset` command
 *
 * Findings: corr.download_exec (high; T1105, T1204.002): a program
 * written at run time by a process that had just connected to a flow,
 * then executed (evidence: the exec, the write, the flow);
 * corr.dropped_exec (medium): the same without a connection;
 * corr.clock_skew (info): see clock.skew.
 *
 * Everything is read in the dispatcher's passes (socket calls, execs and
 * writes from the event pass) and by queries in finish; memory grows with
 * the socket calls and execs, not with all events. Deterministic: events
 * arrive in (ts, id) order and every query has an ORDER BY.
 */
#include "core/common.h"

#include <ctype.h>

#include "analyzers/analyzer.h"
#include "core/arena.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define CORR_WINDOW_NS (2 * 1000000000LL)	/* after the skew */
#define CORR_WIDE_NS (300 * 1000000000LL)	/* to estimate the skew */
#define CORR_DNS_NS (600 * 1000000000LL)
#define CORR_MAX_SOCK 2000000u			/* socket calls kept */
#define CORR_MAX_EXEC 200000u
#define CORR_MAX_PATHS 200000u			/* writer map */
#define CORR_SKEW_MIN_NS (50 * 1000000LL)

/* ---- a string-keyed map (open addressing) ---- */

struct cmap {
	uint64_t *h;
	char **k;
	void **v;
	size_t cap, n;
};

static void
cmap_free(struct cmap *m, bool free_vals)
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->k[i] != NULL) {
			free(m->k[i]);
			if (free_vals)
				free(m->v[i]);
		}
	free(m->h);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static void **cmap_slot(struct cmap *m, const char *k, bool add);

static void
cmap_grow(struct cmap *m)
{
	struct cmap o = *m;

	m->cap = o.cap ? o.cap * 2 : 256;
	m->h = xcalloc(m->cap, sizeof(*m->h));
	m->k = xcalloc(m->cap, sizeof(*m->k));
	m->v = xcalloc(m->cap, sizeof(*m->v));
	m->n = 0;
	for (size_t i = 0; i < o.cap; i++)
		if (o.k[i] != NULL) {
			size_t j = o.h[i] & (m->cap - 1);
			while (m->k[j] != NULL)
				j = (j + 1) & (m->cap - 1);
			m->h[j] = o.h[i];
			m->k[j] = o.k[i];
			m->v[j] = o.v[i];
			m->n++;
		}
	free(o.h);
	free(o.k);
	free(o.v);
}

/* The value slot of k (NULL when absent and !add; a new slot is NULL). */
static void **
cmap_slot(struct cmap *m, const char *k, bool add)
{
	uint64_t h = hash64(0x636f7272, k, strlen(k));
	size_t i;

	if (m->cap == 0 || (add && (m->n + 1) * 4 > m->cap * 3)) {
		if (!add)
			return NULL;
		cmap_grow(m);
	}
	for (i = h & (m->cap - 1); m->k[i] != NULL; i = (i + 1) & (m->cap - 1))
		if (m->h[i] == h && strcmp(m->k[i], k) == 0)
			return &m->v[i];
	if (!add)
		return NULL;
	m->h[i] = h;
	m->k[i] = xstrdup(k);
	m->n++;
	return &m->v[i];
}

/* ---- what the passes keep ---- */

enum { SK_CONNECT, SK_ACCEPT };

struct csock {
	int64_t id, artifact_id, ts, pid, port;
	const char *addr, *cid;
	int dir; /* SK_CONNECT: addr is the remote end we called */
	int64_t flow_id; /* linked flow, 0 none */
};

struct cexec {
	int64_t id, artifact_id, ts, pid;
	const char *path, *cid;
	int64_t writer_id, writer_pid, writer_ts; /* 0: none */
	const char *writer_comm, *writer_call;
};

struct cwriter {
	int64_t id, pid, ts;
	const char *comm, *call;
};

struct cflow {
	int64_t id, artifact_id, sport, dport, first_ts, last_ts, bytes,
	    packets;
	const char *proto, *src, *dst;
};

struct corr {
	struct arena *a;
	struct csock *sock;
	size_t nsock, asock;
	uint64_t sock_dropped;
	struct cexec *exec;
	size_t nexec, aexec;
	struct cmap writers;	/* "artifact\0path" -> struct cwriter */
	struct cmap exe;	/* "artifact/pid" -> the program it runs
				   (for execve("/proc/self/exe")) */
	struct cmap cwd;	/* "artifact/pid" -> its working directory
				   (strace -y's AT_FDCWD</dir>, chdir, fork) */
	struct cmap tuples;	/* "artifact/pid/raddr/rport" -> local
				   "laddr\nlport" (first seen) */
	struct cflow *flows;
	size_t nflows, aflows;
	struct cmap byremote;	/* "dst|dport" -> size_t[] (n first) */
	struct cmap bytuple;	/* "src|sport|dst|dport" -> size_t[] */
	struct sbuf key;
};

static const char *
corr_str(struct corr *c, const char *s)
{
	return s != NULL ? arena_strdup(c->a, s) : NULL;
}

static bool
corr_is_ip(const char *s)
{
	if (s == NULL || *s == '\0' || *s == '/' || *s == '@')
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (!(isxdigit((unsigned char)*p) || *p == '.' || *p == ':'))
			return false;
	return strchr(s, '.') != NULL || strchr(s, ':') != NULL;
}

static bool
corr_open_write(const struct an_event *ev)
{
	const char *t = ev->syscall, *f = ev->flags;

	if (t == NULL || ev->path == NULL)
		return false;
	if (strcmp(t, "creat") == 0)
		return true;
	if (strcmp(t, "open") != 0 && strcmp(t, "openat") != 0 &&
	    strcmp(t, "openat2") != 0)
		return false;
	return f != NULL && (strstr(f, "O_WRONLY") != NULL ||
	    strstr(f, "O_RDWR") != NULL);
}

/* "TCP:[10.0.0.2:4321->10.0.0.1:80]", "TCPv6:[[::1]:4321->[::1]:80]",
 * "UDP:[...]": the local and remote ends. */
static bool
corr_tuple(const char *fp, char *la, size_t lacap, int64_t *lp, char *ra,
    size_t racap, int64_t *rp)
{
	const char *b, *arrow, *end;

	if (fp == NULL || (strncmp(fp, "TCP", 3) != 0 &&
	    strncmp(fp, "UDP", 3) != 0))
		return false;
	if ((b = strstr(fp, ":[")) == NULL ||
	    (arrow = strstr(b, "->")) == NULL ||
	    (end = strrchr(arrow, ']')) == NULL)
		return false;
	b += 2;
	for (int side = 0; side < 2; side++) {
		const char *s = side ? arrow + 2 : b;
		const char *e2 = side ? end : arrow;
		const char *colon = NULL;
		char *out = side ? ra : la;
		size_t cap = side ? racap : lacap, n;
		int64_t *port = side ? rp : lp;
		char num[16];
		for (const char *p = s; p < e2; p++)
			if (*p == ':')
				colon = p;
		if (colon == NULL || (size_t)(e2 - colon - 1) >= sizeof(num))
			return false;
		memcpy(num, colon + 1, (size_t)(e2 - colon - 1));
		num[e2 - colon - 1] = '\0';
		if (!parse_i64(num, port))
			return false;
		if (*s == '[' && colon > s && colon[-1] == ']') {
			s++;
			n = (size_t)(colon - 1 - s);
		} else {
			n = (size_t)(colon - s);
		}
		if (n == 0 || n >= cap)
			return false;
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return true;
}

/* dir + "/" + rel with "." and ".." segments resolved (arena). */
static const char *
corr_join(struct corr *c, const char *dir, const char *rel)
{
	char *out = arena_printf(c->a, "%s/%s", rel[0] == '/' ? "" :
	    dir, rel), *w = out;
	const char *p = out;

	while (*p != '\0') {
		const char *sl;
		size_t n;
		while (*p == '/')
			p++;
		sl = strchr(p, '/');
		n = sl ? (size_t)(sl - p) : strlen(p);
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			;
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (w > out && *--w != '/')
				;
		} else {
			*w++ = '/';
			memmove(w, p, n);
			w += n;
		}
		p += n;
	}
	if (w == out)
		*w++ = '/';
	*w = '\0';
	return out;
}

/* Per-process path state (working directory, program). */
static void
corr_pid_set(struct corr *c, struct cmap *m, int64_t art, int64_t pid,
    const char *dir, size_t n)
{
	void **slot;

	if (n == 0 || dir[0] != '/' || m->n >= CORR_MAX_PATHS)
		return;
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%" PRId64 "/%" PRId64, art, pid);
	slot = cmap_slot(m, c->key.buf, true);
	free(*slot);
	*slot = xstrndup(dir, n);
}

static const char *
corr_pid_get(struct corr *c, struct cmap *m, int64_t art, int64_t pid)
{
	void **slot;

	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%" PRId64 "/%" PRId64, art, pid);
	slot = cmap_slot(m, c->key.buf, false);
	return slot ? *slot : NULL;
}

#define corr_cwd_set(c, art, pid, dir, n) \
	corr_pid_set((c), &(c)->cwd, (art), (pid), (dir), (n))
#define corr_cwd(c, art, pid) corr_pid_get((c), &(c)->cwd, (art), (pid))

/* An absolute path for a path argument: as is, through the fd's path
 * when that is absolute, or under the process's working directory. */
static const char *
corr_abs_path(struct corr *c, const struct an_event *ev, const char *p,
    bool use_fd)
{
	const char *cwd;

	if (p == NULL || *p == '\0')
		return NULL;
	if (p[0] == '/')
		return p;
	if (use_fd && ev->fd_path != NULL && ev->fd_path[0] == '/')
		return ev->fd_path;
	if ((cwd = corr_cwd(c, ev->artifact_id, ev->pid)) == NULL)
		return NULL;
	return corr_join(c, cwd, p);
}

/* Keep track of working directories. */
static void
corr_track_cwd(struct corr *c, const struct an_event *ev, bool ok)
{
	const char *t = ev->syscall, *a = ev->args, *d;

	if (a != NULL && (d = strstr(a, "AT_FDCWD<")) != NULL) {
		const char *end = strchr(d + 9, '>');
		if (end != NULL)
			corr_cwd_set(c, ev->artifact_id, ev->pid, d + 9,
			    (size_t)(end - d - 9));
	}
	if (!ok)
		return;
	if (strcmp(t, "chdir") == 0 && ev->path != NULL) {
		const char *p = corr_abs_path(c, ev, ev->path, false);
		if (p != NULL)
			corr_cwd_set(c, ev->artifact_id, ev->pid, p,
			    strlen(p));
	} else if (strcmp(t, "fchdir") == 0 && ev->fd_path != NULL) {
		corr_cwd_set(c, ev->artifact_id, ev->pid, ev->fd_path,
		    strlen(ev->fd_path));
	} else if ((strcmp(t, "clone") == 0 || strcmp(t, "clone3") == 0 ||
		       strcmp(t, "fork") == 0 || strcmp(t, "vfork") == 0) &&
	    ev->ret_known && ev->ret > 0) {
		int64_t child = ev->has_target ? ev->target : ev->ret;
		struct cmap *maps[2] = { &c->cwd, &c->exe };
		for (int k = 0; k < 2; k++) {
			const char *v = corr_pid_get(c, maps[k],
			    ev->artifact_id, ev->pid);
			if (v != NULL) {
				char *copy = xstrdup(v);
				corr_pid_set(c, maps[k], ev->artifact_id, child,
				    copy, strlen(copy));
				free(copy);
			}
		}
	}
}

static int
corr_init(struct an_ctx *ctx, struct dd_err *e)
{
	struct corr *c = arena_zalloc(ctx->arena, sizeof(*c));

	(void)e;
	c->a = ctx->arena;
	c->key = (struct sbuf)SBUF_INIT;
	ctx->state = c;
	return 0;
}

static void
corr_fini(struct an_ctx *ctx)
{
	struct corr *c = ctx->state;

	if (c == NULL)
		return;
	free(c->sock);
	free(c->exec);
	cmap_free(&c->writers, true);
	cmap_free(&c->tuples, true);
	cmap_free(&c->cwd, true);
	cmap_free(&c->exe, true);
	cmap_free(&c->byremote, true);
	cmap_free(&c->bytuple, true);
	free(c->flows);
	sbuf_release(&c->key);
}

static int
corr_event(struct an_ctx *ctx, const struct an_event *ev, struct dd_err *e)
{
	struct corr *c = ctx->state;
	const char *t = ev->syscall;
	bool ok = ev->ret_known ? ev->ret >= 0 : true;
	char la[64], ra[64];
	int64_t lp, rp;

	(void)e;
	if (t == NULL || strcmp(ev->kind, "syscall") != 0)
		return 0;
	/* a socket's two ends, from a decoration */
	if (ev->fd_path != NULL && ev->fd_path[0] != '/' &&
	    corr_tuple(ev->fd_path, la, sizeof(la), &lp, ra, sizeof(ra), &rp)) {
		void **slot;
		sbuf_reset(&c->key);
		sbuf_addf(&c->key, "%" PRId64 "/%" PRId64 "/%s/%" PRId64,
		    ev->artifact_id, ev->pid, ra, rp);
		if (c->tuples.n < CORR_MAX_SOCK &&
		    *(slot = cmap_slot(&c->tuples, c->key.buf, true)) == NULL)
			*slot = xasprintf("%s\n%" PRId64, la, lp);
	}
	if ((strcmp(t, "connect") == 0 || strcmp(t, "sendto") == 0 ||
		strcmp(t, "sendmsg") == 0 || strcmp(t, "accept") == 0 ||
		strcmp(t, "accept4") == 0) && ev->has_port &&
	    corr_is_ip(ev->addr) && (ok || (ev->errname != NULL &&
		strcmp(ev->errname, "EINPROGRESS") == 0))) {
		struct csock *s;
		if (c->nsock >= CORR_MAX_SOCK) {
			c->sock_dropped++;
			return 0;
		}
		if (c->nsock == c->asock) {
			c->asock = c->asock ? c->asock * 2 : 256;
			c->sock = xreallocarray(c->sock, c->asock,
			    sizeof(*c->sock));
		}
		s = &c->sock[c->nsock++];
		s->id = ev->id;
		s->artifact_id = ev->artifact_id;
		s->ts = ev->ts;
		s->pid = ev->pid;
		s->port = ev->port;
		s->addr = corr_str(c, ev->addr);
		s->cid = corr_str(c, ev->container_id);
		s->dir = t[0] == 'a' ? SK_ACCEPT : SK_CONNECT;
		s->flow_id = 0;
		return 0;
	}
	corr_track_cwd(c, ev, ok);
	if (!ok)
		return 0;
	if (corr_open_write(ev) || ((strcmp(t, "rename") == 0 ||
		strcmp(t, "renameat") == 0 || strcmp(t, "renameat2") == 0 ||
		strcmp(t, "link") == 0 || strcmp(t, "linkat") == 0 ||
		strcmp(t, "symlink") == 0) && ev->path2 != NULL)) {
		const char *p = corr_open_write(ev) ?
		    corr_abs_path(c, ev, ev->path, true) :
		    corr_abs_path(c, ev, ev->path2, false);
		struct cwriter *w;
		void **slot;
		if (p == NULL)
			return 0;
		sbuf_reset(&c->key);
		sbuf_addf(&c->key, "%" PRId64 "|%s", ev->artifact_id, p);
		slot = cmap_slot(&c->writers, c->key.buf,
		    c->writers.n < CORR_MAX_PATHS);
		if (slot == NULL)
			return 0;
		if (*slot == NULL)
			*slot = xcalloc(1, sizeof(struct cwriter));
		w = *slot;
		w->id = ev->id;
		w->pid = ev->pid;
		w->ts = ev->ts;
		w->comm = corr_str(c, ev->comm);
		w->call = corr_str(c, t);
		return 0;
	}
	if ((strcmp(t, "execve") == 0 || strcmp(t, "execveat") == 0) &&
	    c->nexec < CORR_MAX_EXEC) {
		const char *path = corr_abs_path(c, ev, ev->path, false);
		struct cexec *x;
		void **slot;
		if (path != NULL && strcmp(path, "/proc/self/exe") == 0)
			/* a re-exec of the running program (busybox applets) */
			path = corr_pid_get(c, &c->exe, ev->artifact_id,
			    ev->pid);
		if (path == NULL)
			return 0;
		path = corr_str(c, path); /* the map's copy may be replaced */
		{
			char *copy = xstrdup(path);
			corr_pid_set(c, &c->exe, ev->artifact_id, ev->pid, copy,
			    strlen(copy));
			free(copy);
		}
		if (c->nexec == c->aexec) {
			c->aexec = c->aexec ? c->aexec * 2 : 64;
			c->exec = xreallocarray(c->exec, c->aexec,
			    sizeof(*c->exec));
		}
		x = &c->exec[c->nexec++];
		memset(x, 0, sizeof(*x));
		x->id = ev->id;
		x->artifact_id = ev->artifact_id;
		x->ts = ev->ts;
		x->pid = ev->pid;
		x->path = corr_str(c, path);
		x->cid = corr_str(c, ev->container_id);
		sbuf_reset(&c->key);
		sbuf_addf(&c->key, "%" PRId64 "|%s", ev->artifact_id, path);
		if ((slot = cmap_slot(&c->writers, c->key.buf, false)) !=
		    NULL) {
			const struct cwriter *w = *slot;
			x->writer_id = w->id;
			x->writer_pid = w->pid;
			x->writer_ts = w->ts;
			x->writer_comm = w->comm;
			x->writer_call = w->call;
		}
	}
	return 0;
}

/* ---- finish: flows ---- */

static void
corr_index_add(struct cmap *m, const char *k, size_t v)
{
	void **slot = cmap_slot(m, k, true);
	size_t *a = *slot, n = a ? a[0] : 0;

	if ((n & (n + 1)) == 0 || n == 0) /* grow at 1, 2, 4, 8... entries */
		a = xreallocarray(a, 2 * (n + 1), sizeof(*a));
	a[0] = n + 1;
	a[n + 1] = v;
	*slot = a;
}

static int
corr_flow_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct corr *c = user;
	struct cflow *f;
	size_t i;

	(void)e;
	if (c->nflows == c->aflows) {
		c->aflows = c->aflows ? c->aflows * 2 : 256;
		c->flows = xreallocarray(c->flows, c->aflows,
		    sizeof(*c->flows));
	}
	i = c->nflows++;
	f = &c->flows[i];
	f->id = rowq_int(r, 0);
	f->proto = arena_strdup(c->a, rowq_text(r, 1));
	f->src = arena_strdup(c->a, rowq_text(r, 2));
	f->sport = rowq_int(r, 3);
	f->dst = arena_strdup(c->a, rowq_text(r, 4));
	f->dport = rowq_int(r, 5);
	f->first_ts = rowq_int(r, 6);
	f->last_ts = rowq_int(r, 7);
	f->packets = rowq_int(r, 8);
	f->bytes = rowq_int(r, 9);
	f->artifact_id = rowq_int(r, 10);
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%s|%" PRId64, f->dst, f->dport);
	corr_index_add(&c->byremote, c->key.buf, i);
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%s|%" PRId64 "|%s|%" PRId64, f->src, f->sport,
	    f->dst, f->dport);
	corr_index_add(&c->bytuple, c->key.buf, i);
	return 0;
}

static int64_t
corr_abs(int64_t v)
{
	return v < 0 ? -v : v;
}

/* The flows of a socket call: by its 4-tuple when a decoration gave the
 * local end, else by the remote end. Returns the best flow index or -1;
 * *n counts the candidates within the window, *exact says which way. */
static ssize_t
corr_match(struct corr *c, const struct csock *s, int64_t skew,
    int64_t window, const uint8_t *used, size_t *n, bool *exact)
{
	char la[64] = "";
	int64_t lp = -1, best_d = INT64_MAX;
	ssize_t best = -1;
	void **slot;
	size_t *v;

	*n = 0;
	*exact = false;
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%" PRId64 "/%" PRId64 "/%s/%" PRId64,
	    s->artifact_id, s->pid, s->addr, s->port);
	if ((slot = cmap_slot(&c->tuples, c->key.buf, false)) != NULL) {
		const char *t = *slot, *nl = strchr(t, '\n');
		size_t k = (size_t)(nl - t);
		if (k < sizeof(la)) {
			memcpy(la, t, k);
			la[k] = '\0';
			parse_i64(nl + 1, &lp);
		}
	}
	for (int pass = 0; pass < 2 && best < 0; pass++) {
		sbuf_reset(&c->key);
		if (lp >= 0) { /* both directions of the 4-tuple */
			if (pass == 0)
				sbuf_addf(&c->key, "%s|%" PRId64 "|%s|%" PRId64,
				    la, lp, s->addr, s->port);
			else
				sbuf_addf(&c->key, "%s|%" PRId64 "|%s|%" PRId64,
				    s->addr, s->port, la, lp);
			slot = cmap_slot(&c->bytuple, c->key.buf, false);
		} else {
			/* without the local end: the remote end of a connect
			 * (an accept's peer needs the tuple) */
			if (pass == 1 || s->dir == SK_ACCEPT)
				break;
			sbuf_addf(&c->key, "%s|%" PRId64, s->addr, s->port);
			slot = cmap_slot(&c->byremote, c->key.buf, false);
		}
		if (slot == NULL)
			continue;
		v = *slot;
		for (size_t i = 1; i <= v[0]; i++) {
			const struct cflow *f = &c->flows[v[i]];
			int64_t d = corr_abs(f->first_ts - (s->ts + skew));
			if (used != NULL && used[v[i]])
				continue; /* linked to another call */
			if (s->ts == INT64_MIN)
				d = 0;
			if (d > window)
				continue;
			(*n)++;
			if (d < best_d) {
				best_d = d;
				best = (ssize_t)v[i];
			}
		}
		*exact = lp >= 0;
	}
	return best;
}

static int
corr_i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Skew per (trace artifact, capture artifact) from one-to-one matches in
 * the wide window; then the links in the narrow one. */
static int
corr_flows(struct an_ctx *ctx, struct corr *c, struct dd_err *e)
{
	struct { int64_t ta, pa; int64_t *d; size_t n, a; } *sk = NULL;
	uint8_t *used = NULL;
	size_t nsk = 0;
	int rc;

	rc = an_query(ctx, "SELECT id, proto, src, sport, dst, dport, "
	    "first_ts, last_ts, packets, bytes, artifact_id FROM flows "
	    "ORDER BY first_ts, id", NULL, 0, corr_flow_row, c, e);
	if (rc < 0 || c->nflows == 0 || c->nsock == 0)
		return rc;
	for (size_t i = 0; i < c->nsock; i++) {
		size_t n, k;
		bool exact;
		ssize_t b = corr_match(c, &c->sock[i], 0, CORR_WIDE_NS, NULL,
		    &n, &exact);
		if (b < 0 || n != 1 || c->sock[i].ts == INT64_MIN)
			continue;
		for (k = 0; k < nsk; k++)
			if (sk[k].ta == c->sock[i].artifact_id &&
			    sk[k].pa == c->flows[b].artifact_id)
				break;
		if (k == nsk) {
			sk = xreallocarray(sk, nsk + 1, sizeof(*sk));
			memset(&sk[nsk], 0, sizeof(*sk));
			sk[nsk].ta = c->sock[i].artifact_id;
			sk[nsk].pa = c->flows[b].artifact_id;
			nsk++;
		}
		if (sk[k].n == sk[k].a) {
			sk[k].a = sk[k].a ? sk[k].a * 2 : 16;
			sk[k].d = xreallocarray(sk[k].d, sk[k].a,
			    sizeof(*sk[k].d));
		}
		sk[k].d[sk[k].n++] = c->flows[b].first_ts - c->sock[i].ts;
	}
	for (size_t k = 0; k < nsk && rc == 0; k++) {
		int64_t med;
		char from[24], to[24], det[256];
		struct finding_link l;
		qsort(sk[k].d, sk[k].n, sizeof(*sk[k].d), corr_i64_cmp);
		med = sk[k].d[sk[k].n / 2];
		snprintf(from, sizeof(from), "%" PRId64, sk[k].ta);
		snprintf(to, sizeof(to), "%" PRId64, sk[k].pa);
		snprintf(det, sizeof(det), "{\"skew_ns\":%" PRId64 ",\"pairs\":"
		    "%zu,\"offset_for\":%" PRId64 "}", med, sk[k].n, sk[k].ta);
		l = (struct finding_link){ "clock.skew", "artifacts", from,
			"artifacts", to, sk[k].n >= 3 ? 0.8 : 0.4, det };
		rc = an_link(ctx, &l);
		if (rc == 0 && sk[k].n >= 3 && corr_abs(med) > CORR_SKEW_MIN_NS) {
			struct finding f;
			struct finding_ref ev[2] = { { "artifacts", from },
				{ "artifacts", to } };
			char title[160], detail[512];
			snprintf(title, sizeof(title), "Clock skew of %.3f s "
			    "between trace %" PRId64 " and capture %" PRId64,
			    med / 1e9, sk[k].ta, sk[k].pa);
			snprintf(detail, sizeof(detail), "%zu connections seen "
			    "in both: the capture's flows start a median %.3f s "
			    "after the trace's calls. To align the trace: "
			    "drydock offset CASE %" PRId64 " %+" PRId64 "us "
			    "(drydock offset --suggest CASE lists every pair).",
			    sk[k].n,
			    med / 1e9, sk[k].ta, med / 1000);
			memset(&f, 0, sizeof(f));
			f.rule = "corr.clock_skew";
			f.severity = SEV_INFO;
			f.confidence = 0.8;
			f.title = title;
			f.detail = detail;
			f.evidence = ev;
			f.nevidence = 2;
			rc = an_emit(ctx, &f);
		}
	}
	/* one flow per call: the 5-tuple matches first, then the others in
	 * time order, each taking the nearest flow not yet taken */
	used = xcalloc(c->nflows + 1, 1);
	for (int pass = 0; pass < 2; pass++)
	for (size_t i = 0; i < c->nsock && rc == 0; i++) {
		const struct csock *s = &c->sock[i];
		int64_t skew = 0;
		size_t n;
		bool exact;
		ssize_t b;
		if (s->flow_id != 0)
			continue;
		for (size_t k = 0; k < nsk; k++)
			if (sk[k].ta == s->artifact_id && sk[k].n >= 3) {
				skew = sk[k].d[sk[k].n / 2];
				break;
			}
		b = corr_match(c, s, skew, CORR_WINDOW_NS, used, &n, &exact);
		if (b >= 0 && exact != (pass == 0))
			continue;
		if (b >= 0) {
			used[b] = 1;
			const struct cflow *f = &c->flows[b];
			char from[24], to[24];
			struct finding_link l;
			sbuf_reset(&c->key);
			sbuf_addf(&c->key, "%s %s:%" PRId64 " <-> flow %s %s:%"
			    PRId64 " -> %s:%" PRId64 ", %" PRId64 " packets, %"
			    PRId64 " bytes; %s", s->dir == SK_CONNECT ?
			    "remote" : "peer", s->addr, s->port, f->proto,
			    f->src, f->sport, f->dst, f->dport, f->packets,
			    f->bytes, exact ? "same local address and port" :
			    n == 1 ? "the only flow to that address and port "
			    "in the window" : "the nearest of several flows not "
			    "linked to another call");
			snprintf(from, sizeof(from), "%" PRId64, s->id);
			snprintf(to, sizeof(to), "%" PRId64, f->id);
			l = (struct finding_link){ exact ? "flow.5tuple" :
				"flow.dst_port", "events", from, "flows", to,
				exact ? 0.95 : n == 1 ? 0.7 : 0.5, c->key.buf };
			rc = an_link(ctx, &l);
			c->sock[i].flow_id = f->id;
		}
	}
	for (size_t k = 0; k < nsk; k++)
		free(sk[k].d);
	free(sk);
	free(used);
	return rc;
}

/* ---- finish: DNS answers before connects ---- */

struct cdns {
	int64_t ts, flow_id;
	const char *qname, *answers;
};

struct cdns_all {
	struct corr *c;
	struct cmap byaddr; /* address -> struct cdns (the latest so far) */
	struct cdns *v;
	size_t n, a;
};

static int
corr_dns_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct cdns_all *d = user;
	struct cdns *x;

	(void)e;
	if (d->n == d->a) {
		d->a = d->a ? d->a * 2 : 64;
		d->v = xreallocarray(d->v, d->a, sizeof(*d->v));
	}
	x = &d->v[d->n++];
	x->ts = rowq_int(r, 0);
	x->flow_id = rowq_int(r, 1);
	x->qname = arena_strdup(d->c->a, rowq_text(r, 2));
	x->answers = arena_strdup(d->c->a, rowq_text(r, 3));
	return 0;
}

static int
corr_sock_ts_cmp(const void *a, const void *b)
{
	const struct csock *x = *(struct csock *const *)a;
	const struct csock *y = *(struct csock *const *)b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Walk answers and connects in time order: each connect links to the
 * latest answer that named its address. */
static int
corr_dns(struct an_ctx *ctx, struct corr *c, struct dd_err *e)
{
	struct cdns_all d;
	struct csock **ss;
	size_t j = 0;
	int rc;

	if (c->nsock == 0)
		return 0;
	memset(&d, 0, sizeof(d));
	d.c = c;
	rc = an_query(ctx, "SELECT ts, flow_id, qname, answers FROM dns WHERE "
	    "response = 1 AND answers IS NOT NULL AND answers != '' ORDER BY "
	    "ts, flow_id, qname", NULL, 0, corr_dns_row, &d, e);
	if (rc < 0 || d.n == 0) {
		free(d.v);
		return rc;
	}
	ss = xcalloc(c->nsock, sizeof(*ss));
	for (size_t i = 0; i < c->nsock; i++)
		ss[i] = &c->sock[i];
	qsort(ss, c->nsock, sizeof(*ss), corr_sock_ts_cmp);
	for (size_t i = 0; i < c->nsock && rc == 0; i++) {
		const struct csock *s = ss[i];
		const struct cdns *x;
		void **slot;
		if (s->dir != SK_CONNECT || s->ts == INT64_MIN ||
		    s->port == 53)
			continue; /* the resolver itself is no answer's use */
		for (; j < d.n && d.v[j].ts <= s->ts; j++) {
			/* "A 1.2.3.4,AAAA ::1,CNAME x" */
			const char *p = d.v[j].answers;
			while (p != NULL && *p != '\0') {
				const char *sp = strchr(p, ' ');
				const char *cm = strchr(p, ',');
				size_t k;
				if (sp == NULL)
					break;
				k = cm ? (size_t)(cm - sp - 1) : strlen(sp + 1);
				if ((strncmp(p, "A ", 2) == 0 ||
					strncmp(p, "AAAA ", 5) == 0) && k < 64) {
					char ip[64];
					memcpy(ip, sp + 1, k);
					ip[k] = '\0';
					*cmap_slot(&d.byaddr, ip, true) = &d.v[j];
				}
				p = cm ? cm + 1 : NULL;
			}
		}
		if ((slot = cmap_slot(&d.byaddr, s->addr, false)) == NULL)
			continue;
		x = *slot;
		if (s->ts - x->ts > CORR_DNS_NS)
			continue;
		{
			char from[24], to[48];
			struct finding_link l;
			snprintf(from, sizeof(from), "%" PRId64, s->id);
			snprintf(to, sizeof(to), "%" PRId64 ":%" PRId64,
			    x->flow_id, x->ts);
			sbuf_reset(&c->key);
			sbuf_addf(&c->key, "connect to %s:%" PRId64 " %.3f s "
			    "after the answer for %s gave %s", s->addr,
			    s->port, (s->ts - x->ts) / 1e9, x->qname, s->addr);
			l = (struct finding_link){ "dns.answer", "events", from,
				"dns", to, 0.5, c->key.buf };
			rc = an_link(ctx, &l);
		}
	}
	free(ss);
	cmap_free(&d.byaddr, false);
	free(d.v);
	return rc;
}

/* ---- finish: executed files ---- */

struct cone {
	struct corr *c;
	bool found;
	int64_t i1, i2;
	const char *s1, *s2, *s3, *s4, *s5;
	size_t rows;
};

static int
corr_one_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct cone *o = user;
	struct arena *a = o->c->a;

	(void)e;
	o->rows++;
	if (o->found)
		return 0;
	o->found = true;
	o->i1 = rowq_int(r, 0);
	o->i2 = rowq_ncol(r) > 1 ? rowq_int(r, 1) : 0;
	o->s1 = rowq_ncol(r) > 2 && !rowq_null(r, 2) ?
	    arena_strdup(a, rowq_text(r, 2)) : NULL;
	o->s2 = rowq_ncol(r) > 3 && !rowq_null(r, 3) ?
	    arena_strdup(a, rowq_text(r, 3)) : NULL;
	o->s3 = rowq_ncol(r) > 4 && !rowq_null(r, 4) ?
	    arena_strdup(a, rowq_text(r, 4)) : NULL;
	o->s4 = rowq_ncol(r) > 5 && !rowq_null(r, 5) ?
	    arena_strdup(a, rowq_text(r, 5)) : NULL;
	o->s5 = rowq_ncol(r) > 6 && !rowq_null(r, 6) ?
	    arena_strdup(a, rowq_text(r, 6)) : NULL;
	return 0;
}

static int
corr_one(struct an_ctx *ctx, struct cone *o, const char *sql,
    const char *const *b, int nb, struct dd_err *e)
{
	struct corr *c = o->c;

	memset(o, 0, sizeof(*o));
	o->c = c;
	return an_query(ctx, sql, b, nb, corr_one_row, o, e);
}

/* Follow symlinks of image im's merged tree (4 hops at most). */
static int
corr_resolve(struct an_ctx *ctx, struct corr *c, const char *im,
    const char *path, const char **out, struct dd_err *e)
{
	const char *p = path;
	struct cone o = { .c = c };
	int rc;

	for (int hop = 0; hop < 4; hop++) {
		const char *b[2] = { im, p };
		char *t;
		if ((rc = corr_one(ctx, &o, "SELECT 0, 0, type, link_target "
		    "FROM fs WHERE image_id = ?1 AND path = ?2", b, 2, e)) < 0)
			return rc;
		if (!o.found || o.s1 == NULL || strcmp(o.s1, "symlink") != 0 ||
		    o.s2 == NULL)
			break;
		if (o.s2[0] == '/') {
			t = arena_strdup(c->a, o.s2);
		} else {
			const char *sl = strrchr(p, '/');
			t = arena_printf(c->a, "%.*s/%s", (int)(sl - p), p, o.s2);
		}
		p = t;
	}
	*out = p;
	return 0;
}

static int
corr_exec_layer(struct an_ctx *ctx, struct corr *c, const struct cexec *x,
    struct dd_err *e)
{
	struct cone o = { .c = c };
	const char *im = NULL, *path;
	char imbuf[24], from[24];
	double conf = 0.8;
	int rc;

	if (x->cid != NULL) {
		const char *b[1] = { x->cid };
		if ((rc = corr_one(ctx, &o, "SELECT image_id, prio FROM "
		    "container_images WHERE container_id = ?1 AND image_id IS "
		    "NOT NULL ORDER BY prio LIMIT 1", b, 1, e)) < 0)
			return rc;
		if (o.found) {
			snprintf(imbuf, sizeof(imbuf), "%" PRId64, o.i1);
			im = imbuf;
		}
	}
	if (im == NULL) { /* unknown container: one image alone */
		const char *b[1] = { x->path };
		if ((rc = corr_one(ctx, &o, "SELECT DISTINCT image_id FROM fs "
		    "WHERE path = ?1 ORDER BY image_id LIMIT 2", b, 1, e)) < 0)
			return rc;
		if (!o.found || o.rows != 1)
			return 0;
		snprintf(imbuf, sizeof(imbuf), "%" PRId64, o.i1);
		im = imbuf;
		conf = 0.5;
	}
	if ((rc = corr_resolve(ctx, c, im, x->path, &path, e)) < 0)
		return rc;
	{
		const char *b[2] = { im, path };
		if ((rc = corr_one(ctx, &o, "SELECT step, layer_id, "
		    "created_by, diff_id, sha256, type FROM file_origins WHERE "
		    "image_id = ?1 AND path = ?2", b, 2, e)) < 0)
			return rc;
	}
	if (!o.found)
		return 0;
	snprintf(from, sizeof(from), "%" PRId64, x->id);
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%s%s%s shipped by image %s layer %" PRId64
	    " (%s), history step %" PRId64 ": %s; sha256 %s", x->path,
	    strcmp(path, x->path) ? " -> " : "", strcmp(path, x->path) ?
	    path : "", im, o.i2, o.s2 ? o.s2 : "?", o.i1, o.s1 ? o.s1 : "?",
	    o.s3 ? o.s3 : "unknown");
	{
		char *to = arena_printf(c->a, "%s:%s", im, path);
		struct finding_link l = { "exec.layer", "events", from,
			"file_origins", to, conf, c->key.buf };
		return an_link(ctx, &l);
	}
}

/* The last socket call of the writer's process that made a flow before
 * the program ran (wget opens its output before it connects). */
static const struct csock *
corr_writer_sock(const struct corr *c, const struct cexec *x)
{
	const struct csock *best = NULL;

	for (size_t i = 0; i < c->nsock; i++) {
		const struct csock *s = &c->sock[i];
		if (s->artifact_id == x->artifact_id && s->pid == x->writer_pid &&
		    s->flow_id != 0 && s->ts <= x->ts &&
		    s->dir == SK_CONNECT && s->port != 53)
			best = s;
	}
	return best;
}

/* corr.dropped_exec: a program written at run time and executed, with
 * the download's flow when the writer connected before writing. */
static int
corr_dropped(struct an_ctx *ctx, struct corr *c, const struct cexec *x)
{
	const struct csock *s = corr_writer_sock(c, x);
	struct finding_ref ev[3];
	const char *attack[2] = { "T1105", "T1204.002" };
	char title[512], t1[40], t2[40];
	struct finding f;
	int rc;

	ev[0].a = "events";
	ev[0].b = arena_printf(c->a, "%" PRId64, x->id);
	ev[1].a = "events";
	ev[1].b = arena_printf(c->a, "%" PRId64, x->writer_id);
	time_fmt_ns(x->writer_ts, t1);
	time_fmt_ns(x->ts, t2);
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "%s was written at run time by %s (pid %" PRId64
	    ", %s) at %s", x->path, x->writer_comm ? x->writer_comm : "?",
	    x->writer_pid, x->writer_call, t1);
	if (s != NULL) {
		ev[2].a = "flows";
		ev[2].b = arena_printf(c->a, "%" PRId64, s->flow_id);
		sbuf_addf(&c->key, " after it connected to %s:%" PRId64
		    " (flow %" PRId64 ")", s->addr, s->port, s->flow_id);
	}
	sbuf_addf(&c->key, ", then executed by pid %" PRId64 " at %s. `drydock "
	    "explain` shows the joins.", x->pid, t2);
	snprintf(title, sizeof(title), "%s executed: %s", s != NULL ?
	    "Program downloaded and" : "Program written at run time and",
	    x->path);
	memset(&f, 0, sizeof(f));
	f.rule = s != NULL ? "corr.download_exec" : "corr.dropped_exec";
	f.severity = s != NULL ? SEV_HIGH : SEV_MEDIUM;
	f.confidence = s != NULL ? 0.85 : 0.9;
	f.title = title;
	f.detail = c->key.buf;
	f.ts = x->ts;
	f.has_ts = x->ts != INT64_MIN;
	f.attack = s != NULL ? attack : attack + 1;
	f.nattack = s != NULL ? 2 : 1;
	f.container_id = x->cid;
	f.evidence = ev;
	f.nevidence = s != NULL ? 3 : 2;
	rc = an_emit(ctx, &f);
	return rc;
}

static int
corr_execs(struct an_ctx *ctx, struct corr *c, struct dd_err *e)
{
	int rc = 0;

	for (size_t i = 0; i < c->nexec && rc == 0; i++) {
		const struct cexec *x = &c->exec[i];
		struct cone o = { .c = c };
		char from[24];

		snprintf(from, sizeof(from), "%" PRId64, x->id);
		if (x->writer_id != 0) {
			char to[24], t1[40], t2[40];
			struct finding_link l;
			snprintf(to, sizeof(to), "%" PRId64, x->writer_id);
			time_fmt_ns(x->writer_ts, t1);
			time_fmt_ns(x->ts, t2);
			sbuf_reset(&c->key);
			sbuf_addf(&c->key, "%s written at runtime by pid %"
			    PRId64 " (%s, %s) at %s, executed by pid %" PRId64
			    " at %s", x->path, x->writer_pid,
			    x->writer_comm ? x->writer_comm : "?",
			    x->writer_call, t1, x->pid, t2);
			l = (struct finding_link){ "exec.writer", "events", from,
				"events", to, 0.9, c->key.buf };
			if ((rc = an_link(ctx, &l)) < 0 ||
			    (rc = corr_dropped(ctx, c, x)) < 0)
				break;
		}
		{
			const char *b[2] = { x->path, x->cid ? x->cid : "" };
			rc = corr_one(ctx, &o, "SELECT 0, 0, key, change, "
			    "sha256, container_id FROM drift WHERE path = ?1 "
			    "AND change IN ('A', 'C') AND (?2 = '' OR "
			    "container_id = ?2) ORDER BY artifact_id DESC, seq "
			    "LIMIT 2", b, 2, e);
			if (rc < 0)
				break;
			if (o.found && (x->cid != NULL || o.rows == 1)) {
				struct finding_link l;
				sbuf_reset(&c->key);
				sbuf_addf(&c->key, "%s %s in container %.12s's "
				    "writable layer; sha256 %s", x->path,
				    strcmp(o.s2, "A") == 0 ? "added" : "changed",
				    o.s4 ? o.s4 : "?", o.s3 ? o.s3 : "unknown");
				l = (struct finding_link){ "exec.drift",
					"events", from, "drift", o.s1,
					x->cid ? 0.8 : 0.5, c->key.buf };
				if ((rc = an_link(ctx, &l)) < 0)
					break;
			}
		}
		rc = corr_exec_layer(ctx, c, x, e);
	}
	return rc;
}

static int
corr_ctr_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_ctx *ctx = user;
	struct corr *c = ctx->state;
	struct finding_link l;

	(void)e;
	sbuf_reset(&c->key);
	sbuf_addf(&c->key, "container %s runs %s (%s)", rowq_text(r, 0),
	    rowq_text(r, 2), rowq_int(r, 3) == 0 ? "its inspect output's "
	    "image id" : "its image name");
	l = (struct finding_link){ "container.image", "containers",
		rowq_text(r, 0), "images", rowq_text(r, 1),
		rowq_int(r, 3) == 0 ? 1.0 : 0.8, c->key.buf };
	return an_link(ctx, &l);
}

static int
corr_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct corr *c = ctx->state;
	int rc;

	if ((rc = an_query(ctx, "SELECT container_id, image_id, image_ref, "
	    "min(prio) FROM container_images WHERE image_id IS NOT NULL GROUP "
	    "BY container_id ORDER BY container_id", NULL, 0, corr_ctr_row,
	    ctx, e)) < 0)
		return rc;
	if ((rc = corr_flows(ctx, c, e)) < 0 || (rc = corr_dns(ctx, c, e)) < 0)
		return rc;
	return corr_execs(ctx, c, e);
}

static const char *
corr_rules(void)
{
	return "correlate v1: flow.5tuple 0.95; flow.dst_port within 2 s "
	       "after skew 0.7/0.4; skew from one-to-one matches within 300 s, "
	       "3 pairs, 50 ms; dns.answer within 600 s 0.5; exec.writer 0.9; "
	       "exec.drift 0.8/0.5; exec.layer 0.8/0.5; container.image "
	       "1.0/0.8\n";
}

const struct analyzer an_correlate = {
	.abi = ANALYZER_ABI,
	.name = "correlate",
	.version = "1.0",
	.summary = "links between sources: syscalls to flows (5-tuple, or "
		   "address and port after NAT), DNS answers to connects, "
		   "executed files to their writer, drift and image layer, "
		   "containers to images; clock skew between trace and capture",
	.needs = AN_NEEDS_SYSCALL,
	.init = corr_init,
	.on_event = corr_event,
	.finish = corr_finish,
	.fini = corr_fini,
	.rules = corr_rules,
};
