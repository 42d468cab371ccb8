/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lidds.c: LID-DS sysdig text lines into paired events; see lidds.h.
 *
 * Arguments are sysdig's "%evt.args": key=value pairs separated by single
 * spaces, where a value may itself hold spaces (paths, the unix-socket
 * tuple "0->ffff88003c420800 /var/run/nscd/socket"), so a value runs to
 * the next " key=". Decorations, as sysdig prints them:
 *
 *   fd=13(<f>/dev/urandom)        fd number, then (<type>what it is)
 *   fd=12(<4t>1.2.3.4:5->6.7.8.9:443)
 *   res=-2(ENOENT)                return value, then its errno name
 *   flags=4097(O_RDONLY|O_CLOEXEC)
 *   tuple=1.2.3.4:50140->6.7.8.9:443      ([v6]:port, port after last ':')
 *
 * 2019's data= is sysdig's dotted printable form, which may hold spaces
 * and '=': it runs to the end of the line.
 */
#include "core/common.h"
#include "ingest/lidds.h"

#include "core/arena.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sink.h"
#include "core/syscalls.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"

#define LIDDS_MAX_TOKS 40
#define NS_PER_DAY (86400ll * 1000000000ll)

/* One side (enter or exit) of a call, parsed from its line. */
struct lidds_half {
	bool ok;
	int64_t ts;
	int64_t pid, tid;
	int64_t uid;		 /* sysdig's user.uid (effective) */
	const char *comm, *name; /* NUL-terminated */
	const uint8_t *args;	 /* raw argument text */
	size_t nargs;
	uint64_t off;		 /* the line's stream offset and length */
	uint32_t len;
};

/* A waiting enter: a copy of its half. */
struct lidds_pend {
	bool used;
	uint64_t seq;
	struct lidds_half h;
	char *mem; /* owned: comm, name and args */
	size_t bytes;
};

/* Normalised argument fields of one half. */
struct lidds_fields {
	bool has_res;
	int64_t res;
	const char *err;
	bool has_fd;
	int64_t fd;
	const char *fd_tag, *fd_path;
	const char *path, *path2, *flags, *tuple;
};

/* Calls whose exit fd= is their return value. */
static const char *const lidds_fd_calls[] = {
	"accept", "accept4", "creat", "dup", "dup2", "dup3", "epoll_create",
	"epoll_create1", "eventfd", "eventfd2", "fanotify_init",
	"inotify_init", "inotify_init1", "memfd_create", "open",
	"open_by_handle_at", "openat", "openat2", "perf_event_open",
	"pidfd_open", "signalfd", "signalfd4", "socket", "timerfd_create",
	"userfaultfd",
};

/* Path-carrying keys, first found first. */
static const char *const lidds_path_keys[] = {
	"name", "path", "filename", "pathname", "exe", "oldpath", "source",
	"dev",
};
static const char *const lidds_path2_keys[] = { "newpath", "target" };

static bool
lidds_digits(const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

static bool
lidds_ident(const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
			(p[i] >= '0' && p[i] <= '9') || p[i] == '_' ||
			(p[i] >= 'A' && p[i] <= 'Z')))
			return false;
	return true;
}

/* A decimal (optionally negative) at p[0..n); false when not one. */
static bool
lidds_num(const uint8_t *p, size_t n, int64_t *v)
{
	bool neg = false;
	uint64_t x = 0;
	size_t i = 0;

	if (n > 0 && p[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == n || n - i > 19)
		return false;
	for (; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(p[i] - '0');
	}
	if (x > (uint64_t)INT64_MAX)
		return false;
	*v = neg ? -(int64_t)x : (int64_t)x;
	return true;
}

/* HH:MM:SS.fraction: ns since midnight, or -1. */
static int64_t
lidds_tod(const uint8_t *p, size_t n)
{
	int64_t h, m, s, frac = 0;
	size_t i, k = 0;

	if (n < 8 || p[2] != ':' || p[5] != ':' ||
	    !lidds_num(p, 2, &h) || !lidds_num(p + 3, 2, &m) ||
	    !lidds_num(p + 6, 2, &s) || h > 23 || m > 59 || s > 60)
		return -1;
	if (n > 8) {
		if (p[8] != '.' || n - 9 > 9 || n == 9)
			return -1;
		for (i = 9; i < n; i++, k++) {
			if (p[i] < '0' || p[i] > '9')
				return -1;
			frac = frac * 10 + (p[i] - '0');
		}
		for (; k < 9; k++)
			frac *= 10;
	}
	return ((h * 60 + m) * 60 + s) * 1000000000ll + frac;
}

/* Split the fixed part of a line. On success fills h (strings in a) and
 * returns true; *why says what is wrong otherwise. */
static bool
lidds_split(const uint8_t *p, size_t n, int dialect, struct arena *a,
    struct lidds_half *h, int64_t *tod, const char **why)
{
	size_t ts[LIDDS_MAX_TOKS], tl[LIDDS_MAX_TOKS];
	size_t nt = 0, i = 0, k, c0, c1, argat;
	int first = dialect == LIDDS_2021 ? 5 : 6;

	memset(h, 0, sizeof(*h));
	/* Tokens up to the direction (and 2019's name after it). */
	while (i < n && nt < LIDDS_MAX_TOKS) {
		size_t s = i;
		while (i < n && p[i] != ' ')
			i++;
		ts[nt] = s;
		tl[nt] = i - s;
		nt++;
		if (i < n)
			i++;
		if (dialect == LIDDS_2021 && nt >= 6 && tl[nt - 1] == 1 &&
		    (p[ts[nt - 1]] == '>' || p[ts[nt - 1]] == '<') &&
		    lidds_digits(p + ts[nt - 3], tl[nt - 3]) &&
		    lidds_ident(p + ts[nt - 2], tl[nt - 2]))
			break;
		if (dialect == LIDDS_2019 && nt >= 8 && tl[nt - 2] == 1 &&
		    (p[ts[nt - 2]] == '>' || p[ts[nt - 2]] == '<') &&
		    lidds_digits(p + ts[nt - 3], tl[nt - 3]) &&
		    lidds_ident(p + ts[nt - 1], tl[nt - 1]))
			break;
	}
	k = dialect == LIDDS_2021 ? nt - 1 : nt - 2; /* the direction */
	if (nt < (size_t)first + (dialect == LIDDS_2019 ? 2 : 1) ||
	    tl[k] != 1 || (p[ts[k]] != '>' && p[ts[k]] != '<')) {
		*why = "no direction field";
		return false;
	}
	if (dialect == LIDDS_2021) {
		if (!lidds_num(p + ts[0], tl[0], &h->ts) || h->ts < 0) {
			*why = "the time is not a number of nanoseconds";
			return false;
		}
		if (!lidds_num(p + ts[2], tl[2], &h->pid) ||
		    !lidds_num(p + ts[k - 2], tl[k - 2], &h->tid) ||
		    !lidds_num(p + ts[1], tl[1], &h->uid)) {
			*why = "uid, pid or tid is not a number";
			return false;
		}
		c0 = 3;
		c1 = k - 3;
		h->name = arena_strndup(a, (const char *)p + ts[k - 1],
		    tl[k - 1]);
		argat = ts[k] + 2;
	} else {
		int64_t v;
		*tod = lidds_tod(p + ts[1], tl[1]);
		if (*tod < 0) {
			*why = "the time is not HH:MM:SS.nnnnnnnnn";
			return false;
		}
		if (!lidds_num(p + ts[0], tl[0], &v) ||
		    !lidds_num(p + ts[k - 1], tl[k - 1], &h->tid) ||
		    !lidds_num(p + ts[3], tl[3], &h->uid)) {
			*why = "number, uid or tid is not a number";
			return false;
		}
		h->pid = -1;
		c0 = 4;
		c1 = k - 2;
		h->name = arena_strndup(a, (const char *)p + ts[k + 1],
		    tl[k + 1]);
		argat = ts[k + 1] + tl[k + 1] + 1;
	}
	if (c1 < c0) {
		*why = "no process name";
		return false;
	}
	h->comm = arena_strndup(a, (const char *)p + ts[c0],
	    ts[c1] + tl[c1] - ts[c0]);
	h->ok = p[ts[k]] == '>'; /* reused below as "is enter" */
	h->args = argat < n ? p + argat : p + n;
	h->nargs = argat < n ? n - argat : 0;
	while (h->nargs > 0 && h->args[h->nargs - 1] == ' ')
		h->nargs--;
	return true;
}

bool
lidds_line_ok(const uint8_t *p, size_t n, int dialect)
{
	struct lidds_half h;
	struct arena a = ARENA_INIT;
	const char *why;
	int64_t tod;
	bool ok;

	ok = lidds_split(p, n, dialect, &a, &h, &tod, &why);
	arena_release(&a);
	return ok;
}

/* Is there " key=" (or "key=" at 0) at p[i..)? Its key length. */
static size_t
lidds_key_at(const uint8_t *p, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && ((p[j] >= 'a' && p[j] <= 'z') ||
			    (p[j] >= '0' && p[j] <= '9') || p[j] == '_' ||
			    (p[j] >= 'A' && p[j] <= 'Z')))
		j++;
	return j > i && j < n && p[j] == '=' ? j - i : 0;
}

static bool
lidds_key_is(const uint8_t *k, size_t kl, const char *s)
{
	return strlen(s) == kl && memcmp(k, s, kl) == 0;
}

/* value "N(inner)" or "N": the number and the inner text. */
static bool
lidds_deco(const uint8_t *v, size_t vl, int64_t *num, const uint8_t **in,
    size_t *inl)
{
	size_t i = 0;

	*in = NULL;
	*inl = 0;
	while (i < vl && v[i] != '(')
		i++;
	if (i < vl) {
		if (v[vl - 1] != ')')
			return false;
		*in = v + i + 1;
		*inl = vl - i - 2;
	}
	return lidds_num(v, i, num);
}

/* A path value without a "(<f>...)" decoration. */
static const char *
lidds_path(struct arena *a, const uint8_t *v, size_t vl)
{
	size_t i;

	for (i = 0; i + 1 < vl; i++)
		if (v[i] == '(' && v[i + 1] == '<' && v[vl - 1] == ')')
			break;
	if (i + 1 >= vl)
		i = vl;
	return arena_strndup(a, (const char *)v, i);
}

static void
lidds_fields(const struct lidds_half *h, int dialect, struct arena *a,
    struct lidds_fields *f)
{
	const uint8_t *p = h->args, *in;
	size_t n = h->nargs, i = 0, inl, k;
	int pathrank = 99, path2rank = 99;

	memset(f, 0, sizeof(*f));
	while (i < n) {
		size_t kl = lidds_key_at(p, n, i), vs, ve;
		const uint8_t *key = p + i;
		int64_t num;

		if (kl == 0)
			break;
		vs = i + kl + 1;
		ve = vs;
		if (dialect == LIDDS_2019 && lidds_key_is(key, kl, "data")) {
			ve = n;
		} else {
			while (ve < n &&
			    !(p[ve] == ' ' && lidds_key_at(p, n, ve + 1) > 0))
				ve++;
		}
		if (lidds_key_is(key, kl, "res")) {
			if (lidds_deco(p + vs, ve - vs, &num, &in, &inl)) {
				f->has_res = true;
				f->res = num;
				if (in != NULL && inl > 0)
					f->err = arena_strndup(a,
					    (const char *)in, inl);
			}
		} else if (lidds_key_is(key, kl, "fd")) {
			if (lidds_deco(p + vs, ve - vs, &num, &in, &inl)) {
				f->has_fd = true;
				/* sysdig prints -1 as 4294967295. */
				f->fd = num >= 2147483648ll &&
					num <= 4294967295ll ?
				    num - 4294967296ll :
				    num;
				if (in != NULL && inl > 0 && in[0] == '<') {
					size_t t = 1;
					while (t < inl && in[t] != '>')
						t++;
					if (t < inl) {
						f->fd_tag = arena_strndup(a,
						    (const char *)in + 1, t - 1);
						f->fd_path = arena_strndup(a,
						    (const char *)in + t + 1,
						    inl - t - 1);
					}
				} else if (in != NULL && inl > 0 && num < 0) {
					f->err = arena_strndup(a,
					    (const char *)in, inl);
				}
			}
		} else if (lidds_key_is(key, kl, "flags")) {
			if (lidds_deco(p + vs, ve - vs, &num, &in, &inl) &&
			    in != NULL)
				f->flags = arena_strndup(a, (const char *)in,
				    inl);
			else
				f->flags = arena_strndup(a,
				    (const char *)p + vs, ve - vs);
		} else if (lidds_key_is(key, kl, "tuple")) {
			f->tuple = arena_strndup(a, (const char *)p + vs,
			    ve - vs);
		} else {
			for (k = 0; k < ARRAY_SIZE(lidds_path_keys); k++)
				if ((int)k < pathrank &&
				    lidds_key_is(key, kl, lidds_path_keys[k]) &&
				    ve > vs) {
					f->path = lidds_path(a, p + vs, ve - vs);
					pathrank = (int)k;
				}
			for (k = 0; k < ARRAY_SIZE(lidds_path2_keys); k++)
				if ((int)k < path2rank &&
				    lidds_key_is(key, kl,
					lidds_path2_keys[k]) &&
				    ve > vs) {
					f->path2 = lidds_path(a, p + vs,
					    ve - vs);
					path2rank = (int)k;
				}
		}
		i = ve + 1;
	}
}

/* The remote end of a tuple "a:p->b:q" (the left for accept and
 * recvfrom, else the right), or a unix path. */
static void
lidds_tuple(const char *t, const char *call, struct arena *a,
    struct event_rec *ev)
{
	const char *arrow = strstr(t, "->"), *end, *s, *colon;
	bool left;
	int64_t port;

	if (arrow == NULL)
		return;
	left = strncmp(call, "accept", 6) == 0 ||
	    strcmp(call, "recvfrom") == 0;
	s = left ? t : arrow + 2;
	end = left ? arrow : t + strlen(t);
	if (strchr(s, ' ') != NULL && strchr(s, ' ') < end) {
		/* unix: "0->ffff88003c420800 /path" */
		const char *sp = strchr(arrow, ' ');
		ev->family = "AF_UNIX";
		if (sp != NULL && sp[1] != '\0')
			ev->addr = arena_strndup(a, sp + 1, strlen(sp + 1));
		return;
	}
	colon = NULL;
	for (const char *q = s; q < end; q++)
		if (*q == ':')
			colon = q;
	if (colon == NULL)
		return;
	if (lidds_num((const uint8_t *)colon + 1, (size_t)(end - colon - 1),
		&port)) {
		ev->port = port;
		ev->has_port = true;
	}
	if (colon > s && s[0] == '[' && colon[-1] == ']')
		ev->addr = arena_strndup(a, s + 1, (size_t)(colon - s - 2));
	else
		ev->addr = arena_strndup(a, s, (size_t)(colon - s));
	ev->family = memchr(s, ':', (size_t)(colon - s)) != NULL ? "AF_INET6" :
								   "AF_INET";
}

static bool
lidds_returns_fd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lidds_fd_calls); i++)
		if (strcmp(name, lidds_fd_calls[i]) == 0)
			return true;
	return false;
}

/* Emit one event from an enter and/or an exit half. */
static int
lidds_emit(struct lidds_run *r, const struct lidds_half *en,
    const struct lidds_half *ex, struct dd_err *e)
{
	struct arena *a = r->ctx->scratch;
	struct arena_mark m = arena_mark(a);
	const struct lidds_half *any = ex != NULL ? ex : en;
	struct lidds_fields fe, fx;
	struct event_rec ev;
	int rc;

	memset(&fe, 0, sizeof(fe));
	memset(&fx, 0, sizeof(fx));
	if (en != NULL)
		lidds_fields(en, r->dialect, a, &fe);
	if (ex != NULL)
		lidds_fields(ex, r->dialect, a, &fx);
	memset(&ev, 0, sizeof(ev));
	ev.ord = r->ord++;
	ev.name = any->name;
	ev.kind = EVK_SYSCALL;
	if (strcmp(any->name, "procexit") == 0)
		ev.kind = EVK_EXIT;
	else if (strcmp(any->name, "signaldeliver") == 0)
		ev.kind = EVK_SIGNAL;
	ev.arch = SC_ARCH_X86_64;
	ev.enter_ts = en != NULL ? en->ts : EV_TS_NONE;
	ev.exit_ts = ex != NULL ? ex->ts : EV_TS_NONE;
	ev.ts_quality = r->ts_quality;
	ev.pid = any->pid;
	ev.tid = any->tid;
	ev.comm = any->comm;
	/* the exit's: a setuid's exit line shows the new uid */
	if (any->uid >= 0 && any->uid < 4294967295ll) {
		ev.uid = any->uid;
		ev.has_uid = true;
	}
	if (fx.has_res) {
		ev.ret = fx.res;
		ev.ret_known = true;
		ev.errname = fx.err;
	} else if (fx.has_fd && lidds_returns_fd(any->name)) {
		ev.ret = fx.fd;
		ev.ret_known = true;
		ev.errname = fx.err;
	}
	if (fx.has_fd && lidds_returns_fd(any->name)) {
		ev.fd = fx.fd;
		ev.has_fd = true;
		ev.fd_path = fx.fd_path;
	} else if (fe.has_fd) {
		ev.fd = fe.fd;
		ev.has_fd = true;
		ev.fd_path = fe.fd_path;
	} else if (fx.has_fd) {
		ev.fd = fx.fd;
		ev.has_fd = true;
		ev.fd_path = fx.fd_path;
	}
	ev.path = fx.path != NULL ? fx.path : fe.path;
	ev.path2 = fx.path2 != NULL ? fx.path2 : fe.path2;
	ev.flags = fe.flags != NULL ? fe.flags : fx.flags;
	if (fx.tuple != NULL || fe.tuple != NULL)
		lidds_tuple(fx.tuple != NULL ? fx.tuple : fe.tuple, any->name, a,
		    &ev);
	else if (ev.fd_path != NULL && (fe.fd_tag || fx.fd_tag) &&
	    strstr(ev.fd_path, "->") != NULL)
		lidds_tuple(ev.fd_path, any->name, a, &ev);
	if (r->byref) {
		const struct lidds_half *one = en != NULL ? en : ex;
		ev.src_off[0] = one->off;
		ev.src_len[0] = one->len;
		if (en != NULL && ex != NULL) {
			ev.src_off[1] = ex->off;
			ev.src_len[1] = ex->len;
		}
	} else {
		ev.args = arena_printf(a, "%.*s%s%.*s",
		    en ? (int)en->nargs : 0, en ? (const char *)en->args : "",
		    en && ex && en->nargs && ex->nargs ? " " : "",
		    ex ? (int)ex->nargs : 0, ex ? (const char *)ex->args : "");
	}
	rc = r->ctx->sink->ops->event(r->ctx->sink, r->id, &ev, e);
	arena_rewind(a, m);
	return rc;
}

/* ---- pending enters, open-addressed by tid ---- */

static size_t
lidds_slot(int64_t tid)
{
	uint64_t x = (uint64_t)tid * 0x9e3779b97f4a7c15ull;
	return (size_t)(x >> 32);
}

/* Slots: a power of two, grown by doubling while at most half full, up
 * to twice LIDDS_PENDING_MAX. */
#define LIDDS_SLOTS0 256u

static struct lidds_pend *
lidds_find(struct lidds_run *r, int64_t tid)
{
	size_t i = lidds_slot(tid) & (r->nslots - 1);

	while (r->pend[i].used) {
		if (r->pend[i].h.tid == tid)
			return &r->pend[i];
		i = (i + 1) & (r->nslots - 1);
	}
	return NULL;
}

/* Remove slot q (backward-shift deletion keeps probes intact). */
static void
lidds_remove(struct lidds_run *r, struct lidds_pend *q)
{
	size_t i = (size_t)(q - r->pend), j = i;

	r->pend_bytes -= q->bytes;
	r->npend--;
	free(q->mem);
	memset(q, 0, sizeof(*q));
	for (;;) {
		size_t home;
		j = (j + 1) & (r->nslots - 1);
		if (!r->pend[j].used)
			return;
		home = lidds_slot(r->pend[j].h.tid) & (r->nslots - 1);
		/* Move j to i when home is not in (i, j]. */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			r->pend[i] = r->pend[j];
			memset(&r->pend[j], 0, sizeof(r->pend[j]));
			i = j;
		}
	}
}

/* Emit the waiting enter in q alone and drop it. */
static int
lidds_flush_one(struct lidds_run *r, struct lidds_pend *q, struct dd_err *e)
{
	int rc = lidds_emit(r, &q->h, NULL, e);

	lidds_remove(r, q);
	return rc;
}

static int
lidds_seq_cmp(const void *a, const void *b)
{
	const struct lidds_pend *x = *(struct lidds_pend *const *)a;
	const struct lidds_pend *y = *(struct lidds_pend *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Emit every waiting enter alone, in arrival order, and empty the
 * table. */
static int
lidds_flush_all(struct lidds_run *r, struct dd_err *e)
{
	struct lidds_pend **v;
	size_t i, k = 0;
	int rc = 0;

	if (r->npend == 0)
		return 0;
	v = xreallocarray(NULL, r->npend, sizeof(*v));
	for (i = 0; i < r->nslots; i++)
		if (r->pend[i].used)
			v[k++] = &r->pend[i];
	qsort(v, k, sizeof(*v), lidds_seq_cmp);
	for (i = 0; i < k && rc == 0; i++)
		rc = lidds_emit(r, &v[i]->h, NULL, e);
	free(v);
	for (i = 0; i < r->nslots; i++) {
		free(r->pend[i].mem);
		memset(&r->pend[i], 0, sizeof(r->pend[i]));
	}
	r->npend = 0;
	r->pend_bytes = 0;
	return rc;
}

static int
lidds_park(struct lidds_run *r, const struct lidds_half *h, struct dd_err *e)
{
	size_t cl = strlen(h->comm) + 1, nl = strlen(h->name) + 1;
	size_t bytes = cl + nl + h->nargs + 1, i;
	struct lidds_pend *q;
	int rc;

	/* Full: every waiting enter goes out alone (so the cost of a full
	 * table is paid once per LIDDS_PENDING_MAX enters). */
	if (r->npend >= LIDDS_PENDING_MAX ||
	    r->pend_bytes + bytes > LIDDS_PENDING_BYTES)
		if ((rc = lidds_flush_all(r, e)) < 0)
			return rc;
	if ((r->npend + 1) * 2 > r->nslots) {
		/* Grow: re-insert every waiting enter. */
		struct lidds_pend *old = r->pend;
		size_t on = r->nslots, j;
		r->nslots *= 2;
		r->pend = xcalloc(r->nslots, sizeof(*r->pend));
		for (j = 0; j < on; j++) {
			if (!old[j].used)
				continue;
			i = lidds_slot(old[j].h.tid) & (r->nslots - 1);
			while (r->pend[i].used)
				i = (i + 1) & (r->nslots - 1);
			r->pend[i] = old[j];
		}
		free(old);
	}
	i = lidds_slot(h->tid) & (r->nslots - 1);
	while (r->pend[i].used)
		i = (i + 1) & (r->nslots - 1);
	q = &r->pend[i];
	q->used = true;
	q->seq = r->seq++;
	q->h = *h;
	q->mem = xmalloc(bytes);
	memcpy(q->mem, h->comm, cl);
	memcpy(q->mem + cl, h->name, nl);
	if (h->nargs > 0)
		memcpy(q->mem + cl + nl, h->args, h->nargs);
	q->mem[cl + nl + h->nargs] = '\0';
	q->h.comm = q->mem;
	q->h.name = q->mem + cl;
	q->h.args = (const uint8_t *)q->mem + cl + nl;
	q->bytes = bytes;
	r->pend_bytes += bytes;
	r->npend++;
	return 0;
}

void
lidds_run_init(struct lidds_run *r, struct imp_ctx *ctx, int64_t id,
    const char *name, int dialect, bool byref, int64_t day_ns)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->id = id;
	r->name = name;
	r->dialect = dialect;
	r->byref = byref;
	r->day_ns = day_ns;
	r->last_tod = -1;
	r->ts_quality = dialect == LIDDS_2021 ? TSQ_ABSOLUTE :
	    day_ns >= 0 ? TSQ_DATE_INFERRED :
			  TSQ_RELATIVE;
	r->nslots = LIDDS_SLOTS0;
	r->pend = xcalloc(r->nslots, sizeof(*r->pend));
}

int
lidds_run_line(struct lidds_run *r, const uint8_t *p, size_t n,
    uint64_t off, struct dd_err *e)
{
	struct arena *a = r->ctx->scratch;
	struct arena_mark m = arena_mark(a);
	struct lidds_half h;
	struct lidds_pend *q;
	const char *why = NULL;
	int64_t tod = -1;
	bool enter;
	int rc = 0;

	while (n > 0 && p[n - 1] == '\r')
		n--;
	if (n == 0)
		return 0;
	r->lines++;
	if (!lidds_split(p, n, r->dialect, a, &h, &tod, &why)) {
		r->bad++;
		rc = ingest_anomaly_on(r->ctx, r->id, (int64_t)off,
		    "'%s': line at offset %" PRIu64 " is not a LID-DS %s line: "
		    "%s",
		    r->name, off, r->dialect == LIDDS_2021 ? "2021" : "2019",
		    why);
		goto out;
	}
	enter = h.ok;
	h.ok = true;
	h.off = off;
	h.len = (uint32_t)n;
	if (r->dialect == LIDDS_2019) {
		/* The loader drops scheduler switches: not calls. */
		if (strcmp(h.name, "switch") == 0)
			goto out;
		if (r->last_tod >= 0 && tod + NS_PER_DAY / 2 < r->last_tod)
			r->day_ns += NS_PER_DAY; /* past midnight */
		r->last_tod = tod;
		h.ts = (r->day_ns >= 0 ? r->day_ns : 0) + tod;
	}
	q = lidds_find(r, h.tid);
	if (enter) {
		if (q != NULL && (rc = lidds_flush_one(r, q, e)) < 0)
			goto out;
		rc = lidds_park(r, &h, e);
	} else if (q != NULL && strcmp(q->h.name, h.name) == 0) {
		rc = lidds_emit(r, &q->h, &h, e);
		lidds_remove(r, q);
	} else {
		if (q != NULL && (rc = lidds_flush_one(r, q, e)) < 0)
			goto out;
		rc = lidds_emit(r, NULL, &h, e);
	}
out:
	arena_rewind(a, m);
	return rc;
}

int
lidds_run_finish(struct lidds_run *r, struct dd_err *e)
{
	return lidds_flush_all(r, e);
}

void
lidds_run_release(struct lidds_run *r)
{
	size_t i;

	if (r->pend == NULL)
		return;
	for (i = 0; i < r->nslots; i++)
		free(r->pend[i].mem);
	free(r->pend);
	r->pend = NULL;
}
