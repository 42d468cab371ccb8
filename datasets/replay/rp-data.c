/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-data.c: dataset adapters and the replay sink.
 *
 * Recordings are decoded by the importers' own parsers (ingest_buffer:
 * adfa, lidds2019, lidds2021) into a sink that keeps, per syscall event,
 * the syscall id, the thread and the time; labels the parsers emit give
 * exploit times. Splits (written into the results as split_rule):
 *
 *   adfa       Training_Data_Master -> training; Validation_Data_Master
 *              sorted by file name, alternately validation (1st, 3rd...)
 *              and test (2nd, 4th...); Attack_Data_Master -> test,
 *              attack from its first syscall; scenario = the attack's
 *              directory (Adduser_1)
 *   lidds2021  training/ -> training, validation/ -> validation,
 *              test/normal/ and test/normal_and_attack/ -> test (attack
 *              when the recording's .json says exploit, from its first
 *              exploit time); recordings are .zip files, directories
 *              holding a .sc, or a .sc with its .json beside it
 *   lidds2019  runs.csv order: the first 200 normal runs training, the
 *              next 50 validation, the rest test (with fewer than 250
 *              normal runs: the first 60 % training, the next 20 %
 *              validation); exploit time = the first syscall's time +
 *              warmup_time - 2 s, as LID-DS's loader takes it (the
 *              runs.csv exploit_start_time is too coarse); or a split
 *              file of "name split" lines
 */
#include "core/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "core/syscalls.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"
#include "datasets/replay/rp-zip.h"
#include "ingest/ingest.h"

#define RP_CACHE 64
#define RP_PBITS 10 /* log2 of the slots of names known by address */
#define RP_NAME_CACHED 31

/* Names outside the syscall table, shared by the loading threads. */
struct rp_extra {
	pthread_mutex_t mu;
	char **names;
	size_t n;
	/* the recordings' names, paths and scenarios, packed (one allocation
	 * per 64 KiB, not three per recording: fewer pages to touch) */
	struct arena str;
};

/* ---- sequences ---- */

void
rp_seq_push(struct rp_seq *s, uint16_t id, uint32_t tid, int64_t ts)
{
	size_t i;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->sc = xreallocarray(s->sc, s->cap, sizeof(*s->sc));
		if (s->tid != NULL)
			s->tid = xreallocarray(s->tid, s->cap,
			    sizeof(*s->tid));
		if (s->ts != NULL)
			s->ts = xreallocarray(s->ts, s->cap, sizeof(*s->ts));
	}
	/* threads and times are kept once they say something */
	if (s->tid == NULL && tid != 0)
		s->tid = xcalloc(s->cap, sizeof(*s->tid));
	if (s->ts == NULL && ts != (int64_t)s->n) {
		s->ts = xmalloc(s->cap * sizeof(*s->ts));
		for (i = 0; i < s->n; i++)
			s->ts[i] = (int64_t)i;
	}
	s->sc[s->n] = id;
	if (s->tid != NULL)
		s->tid[s->n] = tid;
	if (s->ts != NULL)
		s->ts[s->n] = ts;
	s->n++;
}

const char *
rp_split_name(int split)
{
	return split == RP_TRAIN ? "training" :
	    split == RP_VALID	 ? "validation" :
				   "test";
}

/* ---- the replay sink ---- */

struct rp_cached {
	char name[RP_NAME_CACHED + 1];
	int arch;
	uint16_t id;
	bool used;
};

/* A worker's loading state, kept across its recordings: syscall names to
 * ids as met (see rp_sink_id), and the zip reader. */
struct rp_loader {
	struct rp_zreader zr;
	struct rp_cached cache[RP_CACHE];
	/* names that are the syscall table's own strings, by address (and
	 * arch: equal literals of two tables may share an address) */
	const char *sptr[1u << RP_PBITS];
	uint16_t sid[1u << RP_PBITS];
	uint8_t sarch[1u << RP_PBITS];
	size_t nptr;
};

struct rp_sink {
	struct rp_extra *extra;
	struct rp_seq *one;	 /* the recording (any member's events) */
	struct rp_loader *ids;	 /* one's loader */
	/* labels */
	int64_t exploit_ts;	 /* first exploit_time seen */
	int exploit;		 /* -1 unknown, 0, 1 */
	struct sbuf runs;	 /* lidds2019: "name\texploit\tstart\n" */
	uint64_t anomalies;
};

void
rp_seq_release(struct rp_seq *s)
{
	free(s->sc);
	free(s->tid);
	free(s->ts);
	if (s->loader != NULL)
		rp_zreader_free(&s->loader->zr);
	free(s->loader);
	memset(s, 0, sizeof(*s));
	s->exploit_ts = INT64_MIN;
}

static uint16_t
rp_extra_id(struct rp_extra *x, const char *name)
{
	size_t i;
	uint16_t id;

	pthread_mutex_lock(&x->mu);
	for (i = 0; i < x->n; i++)
		if (strcmp(x->names[i], name) == 0)
			break;
	if (i == x->n && RP_ID_EXTRA + x->n < RP_ID_UNK) {
		x->names = xreallocarray(x->names, x->n + 1,
		    sizeof(*x->names));
		x->names[x->n++] = xstrdup(name);
	}
	id = i < x->n ? (uint16_t)(RP_ID_EXTRA + i) : (uint16_t)RP_ID_UNK;
	pthread_mutex_unlock(&x->mu);
	return id;
}

/* The id of syscall name on arch. */
static uint16_t
rp_sink_id(struct rp_sink *k, int arch, const char *name)
{
	struct rp_loader *ic = k->ids;
	/* Fibonacci hashing: neighbouring strings land apart */
	size_t len, h,
	    ph = (size_t)(((uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15ull) >>
		(64 - RP_PBITS));
	struct rp_cached *c;
	int nr;
	uint16_t id;

	/* the importers of numbered traces (ADFA-LD) pass the table's
	 * immutable strings: their address is their identity. Open
	 * addressing: names met are kept (until half full: the tables have
	 * fewer than 512 names) */
	for (; ic->sptr[ph] != NULL; ph = (ph + 1) & ((1u << RP_PBITS) - 1))
		if (ic->sptr[ph] == name && ic->sarch[ph] == arch)
			return ic->sid[ph];
	len = strlen(name);
	h = (len * 131u + (unsigned char)name[0] * 7u +
		(len > 1 ? (unsigned char)name[len - 1] * 31u : 0) +
		(len > 3 ? (unsigned char)name[len / 2] : 0)) %
	    RP_CACHE;
	c = &ic->cache[h];
	if (c->used && c->arch == arch && strcmp(c->name, name) == 0)
		return c->id;
	nr = sc_number(arch, name);
	if (nr >= 0 && nr < (int)RP_ID_EXTRA && sc_name(arch, nr) == name) {
		if (ic->nptr < (1u << RP_PBITS) / 2) {
			ic->sptr[ph] = name;
			ic->sid[ph] = (uint16_t)nr;
			ic->sarch[ph] = (uint8_t)arch;
			ic->nptr++;
		}
		return (uint16_t)nr;
	}
	if (nr < 0 && strncmp(name, "syscall_0x", 10) == 0) {
		uint64_t v = 0;
		const char *p;
		for (p = name + 10; *p != '\0' && v < RP_ID_EXTRA; p++) {
			int dv = hex_digit((unsigned char)*p);
			if (dv < 0)
				break;
			v = v * 16 + (uint64_t)dv;
		}
		if (*p == '\0' && v < RP_ID_EXTRA)
			nr = (int)v;
	}
	if (nr < 0 && strcmp(name, "syscall_0") == 0)
		nr = 0;
	id = nr >= 0 && nr < (int)RP_ID_EXTRA ? (uint16_t)nr :
						rp_extra_id(k->extra, name);
	if (len <= RP_NAME_CACHED) {
		memcpy(c->name, name, len + 1);
		c->arch = arch;
		c->id = id;
		c->used = true;
	}
	return id;
}

static int
rp_sink_anomaly(struct sink *sk, int64_t artifact_id, int64_t off,
    const char *msg, struct dd_err *e)
{
	struct rp_sink *k = sk->impl;

	(void)artifact_id;
	(void)off;
	(void)msg;
	(void)e;
	k->anomalies++;
	return 0;
}

/* An event the fast path of rp_sink_event does not take. */
static __attribute__((noinline)) void
rp_sink_event_any(struct rp_sink *k, struct rp_seq *s,
    const struct event_rec *r)
{
	int64_t ts = r->enter_ts != EV_TS_NONE ? r->enter_ts :
	    r->exit_ts != EV_TS_NONE		  ? r->exit_ts :
						    (int64_t)s->n;

	if (r->enter_ts != EV_TS_NONE || r->exit_ts != EV_TS_NONE)
		s->timed = true;
	rp_seq_push(s, rp_sink_id(k, r->arch, r->name),
	    r->tid > 0 && r->tid <= UINT32_MAX ? (uint32_t)r->tid : 0, ts);
}

static int
rp_sink_event(struct sink *sk, int64_t artifact_id, const struct event_rec *r,
    struct dd_err *e)
{
	struct rp_sink *k = sk->impl;
	struct rp_seq *s = k->one;

	(void)artifact_id;
	(void)e;
	if (r->kind == EVK_EXIT || r->name == NULL)
		return 0;
	/* a numbered trace (ADFA-LD): the number is the id (rp_sink_id's
	 * answer for a name of the table), and a position its time */
	if (r->has_nr && (unsigned)r->nr < RP_ID_EXTRA &&
	    r->enter_ts == EV_TS_NONE && r->exit_ts == EV_TS_NONE &&
	    r->tid <= 0 && s->n < s->cap &&
	    s->ts == NULL && s->tid == NULL)
		s->sc[s->n++] = (uint16_t)r->nr;
	else
		rp_sink_event_any(k, s, r);
	return 0;
}

/* Members of a recording's zip: all one recording here. */
static int
rp_sink_member(struct sink *sk, int64_t artifact_id,
    const struct member_rec *m, int64_t *member_id, struct dd_err *e)
{
	(void)sk;
	(void)artifact_id;
	(void)e;
	if (m->sha256 == NULL || *member_id <= 0)
		*member_id = 1;
	return 0;
}

static int
rp_sink_label(struct sink *sk, int64_t artifact_id, const char *key,
    const char *value, struct dd_err *e)
{
	struct rp_sink *k = sk->impl;
	int64_t v;
	size_t kl = strlen(key);

	(void)e;
	(void)artifact_id;
	if (strcmp(key, "exploit_time") == 0 && k->exploit_ts == INT64_MIN &&
	    parse_i64(value, &v))
		k->exploit_ts = v;
	else if (strcmp(key, "exploit") == 0)
		k->exploit = strcmp(value, "true") == 0;
	else if (kl > 4 && strncmp(key, "run.", 4) == 0) {
		/* lidds2019 runs.csv: run.NAME.exploit, .warmup_time */
		const char *dot = strrchr(key, '.');
		if (dot > key + 4 && (strcmp(dot, ".exploit") == 0 ||
					 strcmp(dot, ".warmup_time") == 0)) {
			sbuf_add(&k->runs, key + 4, (size_t)(dot - key - 4));
			sbuf_addf(&k->runs, "\t%s\t%s\n", dot + 1, value);
		}
	}
	return 0;
}

static const struct sink_ops rp_sink_ops = {
	.abi = SINK_ABI,
	.anomaly = rp_sink_anomaly,
	.event = rp_sink_event,
	.member = rp_sink_member,
	.label = rp_sink_label,
};

static void
rp_sink_init(struct sink *sk, struct rp_sink *k, struct rp_extra *x,
    struct rp_seq *one)
{
	memset(k, 0, sizeof(*k));
	k->extra = x;
	k->one = one;
	if (one->loader == NULL)
		one->loader = xcalloc(1, sizeof(*one->loader));
	k->ids = one->loader;
	k->exploit_ts = INT64_MIN;
	k->exploit = -1;
	k->runs = (struct sbuf)SBUF_INIT;
	sk->ops = &rp_sink_ops;
	sk->impl = k;
}

static void
rp_sink_release(struct rp_sink *k)
{
	sbuf_release(&k->runs);
}

/* Parse bytes with importer imp (name for messages and labels). */
static int
rp_parse(const char *imp, const uint8_t *p, size_t n, const char *name,
    struct sink *sk, struct dd_err *e)
{
	static const char *const l21[] = { "pcap=false", NULL };
	uint64_t an = 0;
	int rc;

	rc = ingest_buffer(ingest_find(imp), p, n, name, sk,
	    strcmp(imp, "lidds2021") == 0 ? l21 : NULL, &an, e);
	if (rc < 0)
		dd_err_prefix(e, "%s", name);
	return rc;
}

/* The whole of the file at path into zr's buffer (reused by the worker's
 * recordings; a NUL follows): at most RP_MEMBER_MAX bytes. size is what
 * the listing saw: a buffer of size + 1 takes the file in one read, a
 * short read of a regular file being its end (one open, read and close a
 * recording: the 6,000 ADFA-LD files cost a syscall each less). */
static int
rp_file_read(const char *path, int dfd, const char *name, uint64_t size,
    struct rp_zreader *zr, const uint8_t **out, size_t *len,
    struct dd_err *e)
{
	size_t n = 0, want = size > 0 ? (size_t)MIN(size, RP_MEMBER_MAX) + 1 :
					65536; /* 0: not known */
	ssize_t k;
	/* by name from its open folder when there is one (no walk of the
	 * whole path for each of thousands of small files) */
	int fd = dfd >= 0 ? openat(dfd, name, O_RDONLY | O_CLOEXEC) :
			    open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return dd_err_set(e, DD_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	for (;;) {
		if (n == want) { /* larger than listed: read on */
			if (n > RP_MEMBER_MAX) {
				close(fd);
				return dd_err_set(e, DD_ELIMIT,
				    "'%s' is larger than %llu bytes", path,
				    (unsigned long long)RP_MEMBER_MAX);
			}
			want = (size_t)MIN(n + MAX(n, (size_t)65536),
			    RP_MEMBER_MAX + 1);
		}
		if (want + 1 > zr->cap) {
			zr->cap = MAX(want + 1, zr->cap * 2);
			zr->buf = xrealloc(zr->buf, zr->cap);
		}
		k = read(fd, zr->buf + n, want - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int er = errno;
			close(fd);
			return dd_err_set(e, DD_EIO, "cannot read '%s': %s",
			    path, strerror(er));
		}
		n += (size_t)k;
		if (k == 0 || n < want)
			break;
	}
	close(fd);
	zr->buf[n] = 0;
	*out = zr->buf;
	*len = n;
	return 0;
}

static int
rp_parse_file(const char *imp, const char *path, int dfd, const char *name,
    uint64_t size, struct rp_zreader *zr, struct sink *sk, struct dd_err *e)
{
	const uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if ((rc = rp_file_read(path, dfd, name, size, zr, &buf, &len, e)) < 0)
		return rc;
	return rp_parse(imp, buf, len, path, sk, e);
}

/* ---- listing ---- */

static char *
rp_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = xmalloc(la + lb + 2);

	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

static int
rp_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of directory path (no dot files), sorted; *n of them. */
static char **
rp_dir(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((*n & (*n - 1)) == 0)
			v = xreallocarray(v, *n ? *n * 2 : 1, sizeof(*v));
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), rp_cmp_str);
	return v;
}

static void
rp_dir_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool
rp_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
rp_ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* The size of a regular file, -1 for anything else (one stat: it both
 * admits a recording and schedules it). */
static int64_t
rp_reg_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

/* The same for name in the directory open at dfd: looked up from there,
 * not along the whole path again. */
static int64_t
rp_reg_size_at(int dfd, const char *name)
{
	struct stat st;

	if (fstatat(dfd, name, &st, 0) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

struct rp_dent {
	char *name;
	int64_t size;
};

/* The regular files of directory dir whose names end in suf, *n of them
 * in the directory's order (the dataset is sorted once listed), their
 * names in arena a (free the array alone). A size is 0 (not known) for
 * those the directory says are regular: no stat, as the size only orders
 * the work; links, and file systems that do not say, are looked up. */
static struct rp_dent *
rp_dir_regular(const char *dir, const char *suf, size_t *n, struct arena *a)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct rp_dent *v = NULL;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		int64_t size = 0;
		if (de->d_name[0] == '.' || !rp_ends(de->d_name, suf))
			continue;
		if (de->d_type != DT_REG &&
		    (size = rp_reg_size_at(dirfd(d), de->d_name)) < 0)
			continue;
		if ((*n & (*n - 1)) == 0)
			v = xreallocarray(v, *n ? *n * 2 : 1, sizeof(*v));
		v[*n].name = arena_strdup(a, de->d_name);
		v[(*n)++].size = size;
	}
	closedir(d);
	return v;
}

/* Room for n recordings in all (a listing that knows its count reserves
 * it: no copies as the array grows). */
static void
rp_reserve(struct rp_dataset *d, size_t n)
{
	struct rp_rec *v;

	if (n <= d->cap)
		return;
	n = MAX(n, d->cap * 2);
	v = xbigcalloc(n, sizeof(*v)); /* populated at once when large */
	if (d->n > 0)
		memcpy(v, d->v, d->n * sizeof(*v));
	xbigfree(d->v, d->cap, sizeof(*v));
	d->v = v;
	d->cap = n;
}

/* A recording whose name and path are already the dataset's (its arena's). */
static struct rp_rec *
rp_add_own(struct rp_dataset *d, char *name, char *path, int split,
    bool attack, const char *scenario, int64_t size)
{
	static char none[1] = "";
	struct rp_extra *x = d->extra;
	struct rp_rec *r;

	if (d->n == d->cap)
		rp_reserve(d, MAX(d->n + 1, 16));
	r = &d->v[d->n++];
	memset(r, 0, sizeof(*r));
	r->name = name;
	r->path = path;
	r->scenario = scenario != NULL && *scenario != '\0' ?
	    arena_strdup(&x->str, scenario) :
	    none;
	r->split = split;
	r->attack = attack;
	r->size = size > 0 ? (uint64_t)size : 0;
	r->exploit_rel_ns = INT64_MIN;
	return r;
}

static struct rp_rec *
rp_add(struct rp_dataset *d, const char *name, const char *path, int split,
    bool attack, const char *scenario, int64_t size)
{
	struct rp_extra *x = d->extra;

	return rp_add_own(d, arena_strdup(&x->str, name),
	    path != NULL ? arena_strdup(&x->str, path) : NULL, split, attack,
	    scenario, size);
}

/* Recording name (a string of the dataset's arena) in folder dir. */
static struct rp_rec *
rp_add_in(struct rp_dataset *d, const char *dir, char *name, int split,
    bool attack, const char *scenario, int64_t size)
{
	struct rp_extra *x = d->extra;
	size_t la = strlen(dir), lb = strlen(name);
	char *p = arena_alloc(&x->str, la + lb + 2);

	memcpy(p, dir, la);
	p[la] = '/';
	memcpy(p + la + 1, name, lb + 1);
	return rp_add_own(d, name, p, split, attack, scenario, size);
}

static const char *
rp_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s != NULL ? s + 1 : p;
}

/* ADFA-LD: the split a path's directories imply (-1 none). */
static int
rp_adfa_dirn(const char *dir, size_t n)
{
	static const char *const m[] = { "Training_Data_Master",
		"Validation_Data_Master", "Attack_Data_Master" };
	int i;

	for (i = 0; i < 3; i++)
		if (n == strlen(m[i]) && memcmp(dir, m[i], n) == 0)
			return i;
	return -1;
}

static int
rp_adfa_dir(const char *dir)
{
	return rp_adfa_dirn(dir, strlen(dir));
}

static void
rp_adfa_validation_split(struct rp_dataset *d, size_t from)
{
	size_t i, k = 0;

	/* d->v[from..] are sorted by name: alternate */
	for (i = from; i < d->n; i++)
		if (d->v[i].split == RP_VALID)
			d->v[i].split = (k++ % 2 == 0) ? RP_VALID : RP_TEST;
}

int
rp_order(int split_a, bool attack_a, const char *scen_a, const char *name_a,
    int split_b, bool attack_b, const char *scen_b, const char *name_b)
{
	int c;

	if (split_a != split_b)
		return split_a - split_b;
	if (attack_a != attack_b)
		return (int)attack_a - (int)attack_b;
	if ((c = strcmp(scen_a, scen_b)) != 0)
		return c;
	return strcmp(name_a, name_b);
}

static int
rp_cmp_rec(const void *a, const void *b)
{
	const struct rp_rec *x = a, *y = b;

	return rp_order(x->split, x->attack, x->scenario, x->name, y->split,
	    y->attack, y->scenario, y->name);
}

static int
rp_cmp_recp(const void *a, const void *b)
{
	return rp_cmp_rec(*(const struct rp_rec *const *)a,
	    *(const struct rp_rec *const *)b);
}

/* Sort d->v by rp_order: pointers sorted, then the records moved in place
 * along each cycle (qsort of the records themselves would take a
 * temporary the size of them all, fresh pages every run). */
static void
rp_sort_recs(struct rp_dataset *d)
{
	const struct rp_rec **p;
	size_t i, k, src;

	if (d->n < 2)
		return;
	p = xcalloc(d->n, sizeof(*p));
	for (i = 0; i < d->n; i++)
		p[i] = &d->v[i];
	qsort(p, d->n, sizeof(*p), rp_cmp_recp);
	/* slot k takes the record at p[k]; a slot done is NULL */
	for (i = 0; i < d->n; i++) {
		struct rp_rec t;
		if (p[i] == NULL || p[i] == &d->v[i])
			continue;
		t = d->v[i];
		for (k = i; p[k] != &d->v[i]; k = src) {
			src = (size_t)(p[k] - d->v);
			d->v[k] = d->v[src];
			p[k] = NULL;
		}
		d->v[k] = t;
		p[k] = NULL;
	}
	free(p);
}

/* Hold folder dir open for its recordings: 1 + its place in d->dirfd,
 * or 0 when it cannot be opened (its recordings are opened by path). */
static size_t
rp_dirfd_add(struct rp_dataset *d, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	d->dirfd = xreallocarray(d->dirfd, d->ndirfd + 1, sizeof(*d->dirfd));
	d->dirfd[d->ndirfd++] = fd;
	return d->ndirfd;
}

/* The unpacked ADFA-LD tree at root (the folder holding the *_Master
 * folders, or the ADFA-LD folder above them). */
static int
rp_adfa_tree(struct rp_dataset *d, const char *root, struct dd_err *e)
{
	struct rp_extra *x = d->extra;
	size_t nt, i, j, nf, na, k;
	char **top = rp_dir(root, &nt), **att;
	struct rp_dent *files;
	bool any = false;

	for (i = 0; i < nt; i++) {
		int sp = rp_adfa_dir(top[i]);
		char *dir = rp_join(root, top[i]);
		if (sp < 0) {
			if (strcmp(top[i], "ADFA-LD") == 0 && rp_is_dir(dir)) {
				int rc = rp_adfa_tree(d, dir, e);
				free(dir);
				rp_dir_free(top, nt);
				return rc;
			}
			free(dir);
			continue;
		}
		any = true;
		if (sp < 2) {
			size_t fdi;
			files = rp_dir_regular(dir, ".txt", &nf, &x->str);
			fdi = nf > 0 ? rp_dirfd_add(d, dir) : 0;
			rp_reserve(d, d->n + nf);
			for (j = 0; j < nf; j++)
				rp_add_in(d, dir, files[j].name,
				    sp == 0 ? RP_TRAIN : RP_VALID, false, NULL,
				    files[j].size)->dir = fdi;
			free(files);
		} else {
			att = rp_dir(dir, &na);
			for (k = 0; k < na; k++) {
				char *ad = rp_join(dir, att[k]);
				size_t fdi;
				files = rp_dir_regular(ad, ".txt", &nf, &x->str);
				fdi = nf > 0 ? rp_dirfd_add(d, ad) : 0;
				for (j = 0; j < nf; j++)
					rp_add_in(d, ad, files[j].name, RP_TEST,
					    true, att[k], files[j].size)->dir =
					    fdi;
				free(files);
				free(ad);
			}
			rp_dir_free(att, na);
		}
		free(dir);
	}
	rp_dir_free(top, nt);
	if (!any)
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' holds no Training_Data_Master, "
		    "Validation_Data_Master or Attack_Data_Master folder: not "
		    "ADFA-LD",
		    root);
	return 0;
}

/* Where an ADFA-LD member path puts its trace: *split (-1: not a trace)
 * and, for attacks, the attack's directory (Adduser_1) into sc. */
static int
rp_adfa_member(const char *path, char *sc, size_t cap)
{
	const char *comp[64], *p = path;
	size_t len[64], n = 0, i, l;
	int sp = -1;

	l = strlen(path);
	if (l >= 1024 || l < 4 || memcmp(path + l - 4, ".txt", 4) != 0)
		return -1;
	/* the path's non-empty components, as strtok would split them */
	while (n < 64) {
		const char *q = strchr(p, '/');
		l = q != NULL ? (size_t)(q - p) : strlen(p);
		if (l > 0) {
			comp[n] = p;
			len[n++] = l;
		}
		if (q == NULL)
			break;
		p = q + 1;
	}
	for (i = 0; i < n; i++)
		if ((sp = rp_adfa_dirn(comp[i], len[i])) >= 0)
			break;
	if (i == n)
		return -1;
	if (sp < 2 && i + 2 == n)
		return sp == 0 ? RP_TRAIN : RP_VALID;
	if (sp == 2 && i + 3 == n && cap > 0) {
		l = MIN(len[i + 1], cap - 1);
		memcpy(sc, comp[i + 1], l);
		sc[l] = '\0';
		return RP_TEST;
	}
	return -1;
}

/* The ADFA-LD zip: its central directory lists the traces; each is
 * inflated by the worker that needs it (rp-zip.c). */
static int
rp_adfa_zip(struct rp_dataset *d, const char *path, struct dd_err *e)
{
	struct stat st;
	uint64_t budget;
	size_t i;
	int rc;

	if (stat(path, &st) != 0)
		return dd_err_set(e, DD_EIO, "%s: %s", path, strerror(errno));
	budget = MAX((uint64_t)st.st_size * INGEST_DECOMP_RATIO,
	    (uint64_t)INGEST_DECOMP_FLOOR);
	d->zip = xcalloc(1, sizeof(*d->zip));
	if ((rc = rp_zip_open(d->zip, path, budget, e)) < 0) {
		free(d->zip);
		d->zip = NULL;
		return rc;
	}
	rp_reserve(d, d->zip->n);
	for (i = 0; i < d->zip->n; i++) {
		const struct rp_zent *t = &d->zip->v[i];
		struct rp_rec *rec;
		char sc[256] = "", *base;
		int sp = rp_adfa_member(t->name, sc, sizeof(sc));
		if (sp < 0)
			continue;
		/* the base name borrowed from the zip's (they live as long) */
		base = strrchr(t->name, '/');
		rec = rp_add_own(d, base != NULL ? base + 1 : t->name, NULL,
		    sp, sp == RP_TEST, sc,
		    (int64_t)MIN(t->usize, (uint64_t)INT64_MAX));
		rec->zidx = i + 1;
	}
	if (d->n == 0)
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' holds no ADFA-LD traces (*_Data_Master/...txt)",
		    path);
	return 0;
}

static int
rp_adfa_open(struct rp_dataset *d, const char *path, struct dd_err *e)
{
	int rc;
	size_t i;

	d->split_rule = xstrdup("ADFA-LD: Training_Data_Master training; "
				"Validation_Data_Master sorted by file name, "
				"alternately validation (1st, 3rd...) and test "
				"(2nd, 4th...); Attack_Data_Master test, attack "
				"from the first syscall");
	rc = rp_is_dir(path) ? rp_adfa_tree(d, path, e) :
			       rp_adfa_zip(d, path, e);
	if (rc < 0)
		return rc;
	rp_sort_recs(d);
	for (i = 0; i < d->n && d->v[i].split != RP_VALID; i++)
		;
	rp_adfa_validation_split(d, i);
	for (i = 0; i < d->n; i++)
		if (d->v[i].attack)
			d->v[i].exploit_rel_ns = 0;
	return 0;
}

/* LID-DS 2021: one split folder's recordings. */
static void
rp_l21_folder(struct rp_dataset *d, const char *dir, int split, bool attack,
    const char *scenario)
{
	size_t n, i;
	char **v = rp_dir(dir, &n);

	for (i = 0; i < n; i++) {
		char *p = rp_join(dir, v[i]);
		int64_t sz = rp_reg_size(p);
		if (sz >= 0 && (rp_ends(v[i], ".zip") || rp_ends(v[i], ".sc"))) {
			char nm[512];
			snprintf(nm, sizeof(nm), "%.*s",
			    (int)(strlen(v[i]) - (rp_ends(v[i], ".sc") ? 3 : 4)),
			    v[i]);
			rp_add(d, nm, p, split, attack, scenario, sz);
		} else if (sz < 0 && rp_is_dir(p)) {
			size_t m, j;
			char **w = rp_dir(p, &m);
			for (j = 0; j < m; j++)
				if (rp_ends(w[j], ".sc"))
					break;
			if (j < m) /* size unknown: scheduled last */
				rp_add(d, v[i], p, split, attack, scenario, 0);
			rp_dir_free(w, m);
		}
		free(p);
	}
	rp_dir_free(v, n);
}

/* One LID-DS 2021 scenario folder's recordings; false when it has none
 * of the split folders. */
static bool
rp_l21_scenario(struct rp_dataset *d, const char *path, const char *sc)
{
	static const struct {
		const char *dir;
		int split;
		bool attack;
	} f[] = {
		{ "training", RP_TRAIN, false },
		{ "validation", RP_VALID, false },
		{ "test/normal", RP_TEST, false },
		{ "test/normal_and_attack", RP_TEST, true },
	};
	size_t i;
	bool any = false;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		char *p = rp_join(path, f[i].dir);
		if (rp_is_dir(p)) {
			rp_l21_folder(d, p, f[i].split, f[i].attack, sc);
			any = true;
		}
		free(p);
	}
	return any;
}

static int
rp_l21_open(struct rp_dataset *d, const char *path, struct dd_err *e)
{
	d->split_rule = xstrdup("LID-DS 2021: training/ training; "
				"validation/ validation; test/normal and "
				"test/normal_and_attack test (attack from the "
				"first exploit time of the recording's .json)");
	if (!rp_is_dir(path))
		return dd_err_set(e, DD_EUSAGE,
		    "'%s' is not a folder: give a LID-DS 2021 scenario folder "
		    "(training/ validation/ test/)",
		    path);
	if (!rp_l21_scenario(d, path, rp_base(path))) {
		/* a folder of scenarios: all of them, each its own group */
		size_t n, i;
		char **v = rp_dir(path, &n);
		for (i = 0; i < n; i++) {
			char *p = rp_join(path, v[i]);
			if (rp_is_dir(p))
				(void)rp_l21_scenario(d, p, v[i]);
			free(p);
		}
		rp_dir_free(v, n);
	}
	if (d->n == 0)
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' holds no LID-DS 2021 recordings (training/, "
		    "validation/, test/normal/, test/normal_and_attack/, in it "
		    "or in its scenario folders)",
		    path);
	rp_sort_recs(d);
	return 0;
}

/* LID-DS 2019: runs.csv through the lidds2019 importer. */
static int
rp_l19_open(struct rp_dataset *d, const char *path, const char *split_file,
    struct dd_err *e)
{
	struct rp_sink k;
	struct sink sk;
	struct rp_seq none = { 0 };
	char *csv = rp_join(path, "runs.csv");
	char *sf = NULL, *line, *save = NULL;
	size_t sflen, nnormal = 0, i, ntrain, nvalid, seen = 0;
	int rc;
	const char *sc = rp_base(path);

	rp_sink_init(&sk, &k, d->extra, &none);
	if (access(csv, R_OK) != 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a LID-DS 2019 scenario folder: no readable "
		    "runs.csv in it",
		    path);
		goto out;
	}
	if ((rc = rp_parse_file("lidds2019", csv, -1, NULL, 0, &k.ids->zr,
		 &sk, e)) < 0)
		goto out;
	/* rows: NAME\texploit\tV, NAME\twarmup_time\tV */
	for (line = strtok_r(k.runs.buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2;
		struct rp_rec *r;
		char *txt;
		if (t1 == NULL || (t2 = strchr(t1 + 1, '\t')) == NULL)
			continue;
		*t1 = *t2 = '\0';
		if (strcmp(t1 + 1, "exploit") == 0) {
			char nm[600];
			snprintf(nm, sizeof(nm), "%s.txt", line);
			txt = rp_join(path, nm);
			int64_t sz = rp_reg_size(txt);
			if (sz >= 0 && access(txt, R_OK) == 0) {
				r = rp_add(d, line, txt, RP_TEST,
				    strcmp(t2 + 1, "true") == 0, sc, sz);
				if (!r->attack)
					nnormal++;
			}
			free(txt);
		} else if (d->n > 0 && strcmp(d->v[d->n - 1].name, line) == 0) {
			/* LID-DS's loader: warmup_time - 2 s after the
			 * first syscall (exploit_start_time is too coarse) */
			double s = strtod(t2 + 1, NULL);
			if (d->v[d->n - 1].attack && s >= 0 && s < 1e9)
				d->v[d->n - 1].exploit_rel_ns =
				    (int64_t)((s - 2) * 1e9);
		}
	}
	if (d->n == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' lists no recording whose .txt is in '%s'", csv, path);
		goto out;
	}
	if (split_file != NULL) {
		d->split_rule = xstrdup("LID-DS 2019: the split file given");
		if ((rc = file_read_all(split_file, 64u << 20, &sf, &sflen,
			 e)) < 0)
			goto out;
		save = NULL;
		for (i = 0; i < d->n; i++)
			d->v[i].split = -1;
		for (line = strtok_r(sf, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save)) {
			char nm[512], sp[32];
			if (sscanf(line, "%511s %31s", nm, sp) != 2)
				continue;
			for (i = 0; i < d->n; i++)
				if (strcmp(d->v[i].name, nm) == 0)
					d->v[i].split =
					    strcmp(sp, "training") == 0 ?
						RP_TRAIN :
					    strcmp(sp, "validation") == 0 ?
						RP_VALID :
						RP_TEST;
		}
		for (i = 0; i < d->n; i++)
			if (d->v[i].split < 0) {
				rc = dd_err_set(e, DD_EFORMAT,
				    "'%s' does not name recording '%s'",
				    split_file, d->v[i].name);
				goto out;
			}
	} else {
		d->split_rule = xstrdup("LID-DS 2019: runs.csv order; the "
					"first 200 normal runs training, the "
					"next 50 validation, the rest test "
					"(under 250 normal runs: the first 60 "
					"% training, the next 20 % "
					"validation); exploit time = first "
					"syscall + warmup_time - 2 s (as "
					"LID-DS's loader takes it)");
		ntrain = nnormal >= 250 ? 200 : nnormal * 6 / 10;
		nvalid = nnormal >= 250 ? 50 : nnormal * 2 / 10;
		if (ntrain == 0 && nnormal > 0)
			ntrain = 1;
		if (nvalid == 0 && nnormal > ntrain)
			nvalid = 1;
		for (i = 0; i < d->n; i++) {
			if (d->v[i].attack)
				continue;
			d->v[i].split = seen < ntrain ? RP_TRAIN :
			    seen < ntrain + nvalid    ? RP_VALID :
							RP_TEST;
			seen++;
		}
	}
	rp_sort_recs(d);
out:
	free(sf);
	free(csv);
	rp_sink_release(&k);
	rp_seq_release(&none);
	return rc;
}

int
rp_dataset_open(struct rp_dataset *d, const char *kind, const char *path,
    const char *split_file, struct dd_err *e)
{
	struct rp_extra *x = xcalloc(1, sizeof(*x));
	int rc;

	memset(d, 0, sizeof(*d));
	pthread_mutex_init(&x->mu, NULL);
	d->extra = x;
	d->kind = xstrdup(kind);
	if (access(path, R_OK) != 0)
		return dd_err_set(e, DD_EIO, "%s: %s", path, strerror(errno));
	if (strcmp(kind, "adfa") == 0)
		rc = rp_adfa_open(d, path, e);
	else if (strcmp(kind, "lidds2021") == 0)
		rc = rp_l21_open(d, path, e);
	else if (strcmp(kind, "lidds2019") == 0)
		rc = rp_l19_open(d, path, split_file, e);
	else
		rc = dd_err_set(e, DD_EUSAGE,
		    "unknown dataset '%s' (adfa, lidds2019, lidds2021)", kind);
	if (rc == 0 && split_file != NULL && strcmp(kind, "lidds2019") != 0)
		rc = dd_err_set(e, DD_EUSAGE,
		    "--split-file is for lidds2019 (the other datasets carry "
		    "their splits)");
	return rc;
}

void
rp_dataset_release(struct rp_dataset *d)
{
	struct rp_extra *x = d->extra;
	size_t i;

	xbigfree(d->v, d->cap, sizeof(*d->v));
	if (x != NULL) {
		arena_release(&x->str);
		for (i = 0; i < x->n; i++)
			free(x->names[i]);
		free(x->names);
		pthread_mutex_destroy(&x->mu);
		free(x);
	}
	if (d->zip != NULL) {
		rp_zip_close(d->zip);
		free(d->zip);
	}
	for (i = 0; i < d->ndirfd; i++)
		close(d->dirfd[i]);
	free(d->dirfd);
	free(d->kind);
	free(d->split_rule);
	memset(d, 0, sizeof(*d));
}

/* A LID-DS 2021 recording folder (or a .sc beside its .json). */
static int
rp_l21_unpacked(struct rp_sink *k, struct sink *sk, const char *path,
    struct dd_err *e)
{
	size_t n, i;
	char **v;
	int rc = 0;

	if (!rp_is_dir(path)) {
		char *json = xasprintf("%.*s.json", (int)(strlen(path) - 3),
		    path);
		if ((rc = rp_parse_file("lidds2021", path, -1, NULL, 0,
			 &k->ids->zr, sk, e)) == 0 &&
		    access(json, R_OK) == 0)
			rc = rp_parse_file("lidds2021", json, -1, NULL, 0,
			    &k->ids->zr, sk, e);
		free(json);
		return rc;
	}
	v = rp_dir(path, &n);
	for (i = 0; i < n && rc == 0; i++) {
		char *p = rp_join(path, v[i]);
		if (rp_ends(v[i], ".sc") || rp_ends(v[i], ".json"))
			rc = rp_parse_file("lidds2021", p, -1, NULL, 0,
			    &k->ids->zr, sk, e);
		free(p);
	}
	rp_dir_free(v, n);
	(void)k;
	return rc;
}

int
rp_dataset_load(struct rp_dataset *d, size_t i, struct rp_seq *out,
    struct dd_err *e)
{
	const struct rp_rec *r = &d->v[i];
	struct rp_sink k;
	struct sink sk;
	int rc;

	/* keep the arrays: a worker's recordings reuse them */
	out->n = 0;
	out->timed = false;
	out->anomalies = 0;
	out->exploit_ts = INT64_MIN;
	if (out->tid != NULL) {
		free(out->tid);
		out->tid = NULL;
	}
	if (out->ts != NULL) {
		free(out->ts);
		out->ts = NULL;
	}
	rp_sink_init(&sk, &k, d->extra, out);
	if (r->zidx > 0) {
		const uint8_t *buf;
		size_t len;
		rc = rp_zip_read(d->zip, r->zidx - 1, &k.ids->zr, &buf, &len,
		    e);
		if (rc == 0) {
			/* "zip:member" names the trace in messages */
			char *nm = xasprintf("%s:%s", d->zip->path,
			    d->zip->v[r->zidx - 1].name);
			rc = rp_parse("adfa", buf, len, nm, &sk, e);
			free(nm);
		}
	}
	else if (strcmp(d->kind, "adfa") == 0)
		rc = rp_parse_file("adfa", r->path, r->dir > 0 ?
		    d->dirfd[r->dir - 1] : -1, r->name, r->size, &k.ids->zr,
		    &sk, e);
	else if (strcmp(d->kind, "lidds2019") == 0)
		rc = rp_parse_file("lidds2019", r->path, -1, NULL, r->size,
		    &k.ids->zr,
		    &sk, e);
	else if (rp_ends(r->path, ".zip"))
		rc = rp_parse_file("lidds2021", r->path, -1, NULL, r->size,
		    &k.ids->zr,
		    &sk, e);
	else
		rc = rp_l21_unpacked(&k, &sk, r->path, e);
	out->anomalies = k.anomalies;
	if (rc == 0 && r->attack) {
		if (r->exploit_rel_ns != INT64_MIN && out->n > 0)
			out->exploit_ts = rp_ts(out, 0) + r->exploit_rel_ns;
		else if (k.exploit_ts != INT64_MIN)
			out->exploit_ts = k.exploit_ts;
		else
			out->exploit_ts = out->n > 0 ? rp_ts(out, 0) : 0;
	}
	rp_sink_release(&k);
	return rc;
}
