/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-det-ngram.c: sequence detectors over n-grams of syscall ids.
 *
 * stide (Forrest et al. 1996; Hofmeyr et al. 1998): the set of n-grams
 * of the training recordings; at each position the n-gram ending there is
 * a mismatch when the set lacks it, and the score is the fraction of
 * mismatches among the last w n-grams (the window ending at the
 * position). Positions before the first full window have no score. A
 * recording with fewer than n + w - 1 syscalls (fewer than w n-grams) is
 * scored once, at its last n-gram, over all its n-grams; one with fewer
 * than n syscalls is not scored. thread_aware=true builds n-grams per
 * thread (as LID-DS's thread-aware n-grams do): a position whose thread
 * has made fewer than n calls yields no n-gram; windows run over the
 * n-grams in recording order. n-grams are exact keys (n <= 8: 16 bits
 * per id in 128 bits), never hashes.
 *
 * markov: a first-order Markov chain over consecutive syscalls (per
 * thread with thread_aware=true) with Good-Turing smoothing: counts c
 * below 5 become c* = (c + 1) N(c+1) / N(c) from the count-of-counts of
 * all transitions (when both are non-zero); each state keeps N1/N of its
 * mass (its transitions seen once over all its transitions; 1/(N+1)
 * without singletons; at most a half) for the successors it never had,
 * shared evenly; a state never seen leaves
 * every successor 1/V (V = the vocabulary with the unseen id). The score
 * is the mean surprisal -log2 p over the last w transitions, summed in
 * fixed point (2^-32 bits) so that windows slide without drift.
 */
#include "core/common.h"

#include <math.h>

#include "core/dderr.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

__extension__ typedef unsigned __int128 rp_u128;

/* ---- an exact set of 128-bit keys ---- */

/* first capacity: 2 MiB of keys (huge pages, touched as used), as training sets hold tens of thousands
 * of distinct n-grams (ADFA-LD: 43,560 5-grams) and rehashing up to them
 * cost a third of training */
#define RP_KSET_CAP0 131072

struct rp_kset {
	rp_u128 *k;
	uint64_t *used; /* a bit per slot: 16 KiB beside 2 MiB of keys, so
			   probes for absent keys mostly stay in L1 */
	size_t cap, n; /* cap a power of two */
};

/* murmur3's finaliser over both halves: every key bit reaches the low
 * bits the table masks (a multiply alone leaves them to the last id) */
static inline size_t
rp_kh(rp_u128 k)
{
	uint64_t h = (uint64_t)k ^ ((uint64_t)(k >> 64) * 0x9e3779b97f4a7c15ull);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (size_t)h;
}

static void rp_kset_add(struct rp_kset *s, rp_u128 k);

static inline bool
rp_kset_used(const struct rp_kset *s, size_t i)
{
	return (s->used[i / 64] >> (i % 64)) & 1;
}

static void
rp_kset_grow(struct rp_kset *s)
{
	struct rp_kset o = *s;
	size_t i;

	s->cap = o.cap ? o.cap * 2 : RP_KSET_CAP0;
	s->k = xbigcalloc(s->cap, sizeof(*s->k));
	s->used = xbigcalloc(s->cap / 64, sizeof(*s->used));
	s->n = 0;
	for (i = 0; i < o.cap; i++)
		if (rp_kset_used(&o, i))
			rp_kset_add(s, o.k[i]);
	xbigfree(o.k, o.cap, sizeof(*o.k));
	xbigfree(o.used, o.cap / 64, sizeof(*o.used));
}

static void
rp_kset_add(struct rp_kset *s, rp_u128 k)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap)
		rp_kset_grow(s);
	for (i = rp_kh(k) & (s->cap - 1); rp_kset_used(s, i);
	     i = (i + 1) & (s->cap - 1))
		if (s->k[i] == k)
			return;
	s->used[i / 64] |= (uint64_t)1 << (i % 64);
	s->k[i] = k;
	s->n++;
}

static inline bool
rp_kset_has(const struct rp_kset *s, rp_u128 k)
{
	size_t i;

	if (s->cap == 0)
		return false;
	for (i = rp_kh(k) & (s->cap - 1); rp_kset_used(s, i);
	     i = (i + 1) & (s->cap - 1))
		if (s->k[i] == k)
			return true;
	return false;
}

static void
rp_kset_free(struct rp_kset *s)
{
	xbigfree(s->k, s->cap, sizeof(*s->k));
	xbigfree(s->used, s->cap / 64, sizeof(*s->used));
	memset(s, 0, sizeof(*s));
}

/* ---- per-thread state of a recording ---- */

struct rp_thr {
	uint32_t tid;
	uint32_t len;	/* calls so far (saturates at n) */
	rp_u128 key;	/* last calls, 16 bits each */
	bool used;
};

struct rp_thrmap {
	struct rp_thr *v;
	size_t cap, n;
};

static struct rp_thr *
rp_thr_get(struct rp_thrmap *m, uint32_t tid)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		struct rp_thrmap o = *m;
		m->cap = o.cap ? o.cap * 2 : 64;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		m->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.v[i].used)
				*rp_thr_get(m, o.v[i].tid) = o.v[i];
		free(o.v);
	}
	for (i = (tid * 2654435761u) & (m->cap - 1); m->v[i].used;
	     i = (i + 1) & (m->cap - 1))
		if (m->v[i].tid == tid)
			return &m->v[i];
	m->v[i].used = true;
	m->v[i].tid = tid;
	m->n++;
	return &m->v[i];
}

/* Walk s's n-grams: cb(pos, key) for each position that completes one. */
struct rp_ngram_walk {
	unsigned n;
	bool ta;
	rp_u128 mask;
	struct rp_thrmap thr;
	struct rp_thr one;
};

static void
rp_walk_init(struct rp_ngram_walk *w, unsigned n, bool ta)
{
	memset(w, 0, sizeof(*w));
	w->n = n;
	w->ta = ta;
	w->mask = n >= 8 ? ~(rp_u128)0 : (((rp_u128)1 << (16 * n)) - 1);
}

/* The n-gram ending at position i (true when one ends there). */
static inline bool
rp_walk_step(struct rp_ngram_walk *w, const struct rp_seq *s, size_t i,
    rp_u128 *key)
{
	struct rp_thr *t = w->ta ? rp_thr_get(&w->thr, rp_tid(s, i)) : &w->one;

	t->key = ((t->key << 16) | s->sc[i]) & w->mask;
	if (t->len < w->n)
		t->len++;
	*key = t->key;
	return t->len >= w->n;
}

static void
rp_walk_release(struct rp_ngram_walk *w)
{
	free(w->thr.v);
}

/* ---- stide ---- */

struct rp_stide {
	unsigned n, w;
	bool ta;
	struct rp_kset set;
};

static const struct rp_param rp_stide_params[] = {
	{ "n", "5", "n-gram length (1-8)" },
	{ "w", "10", "window: n-grams per score" },
	{ "thread_aware", "false", "n-grams per thread" },
	{ NULL, NULL, NULL },
};

static int
rp_stide_init(struct rp_det *d, struct dd_err *e)
{
	struct rp_stide *m = xcalloc(1, sizeof(*m));
	long n, w;
	int rc;

	d->impl = m;
	if ((rc = rp_det_int(d, "n", 1, 8, &n, e)) < 0 ||
	    (rc = rp_det_int(d, "w", 1, 1000000, &w, e)) < 0)
		return rc;
	m->n = (unsigned)n;
	m->w = (unsigned)w;
	m->ta = rp_det_bool(d, "thread_aware");
	return 0;
}

/* A training partial: its table made and its pages faulted in here (the
 * engine makes the partials while it lists the dataset when it has
 * threads to spare), not a page at a time as training hashes into it. */
static void *
rp_stide_part_new(const struct rp_det *d)
{
	struct rp_kset *s = xcalloc(1, sizeof(*s));
	volatile uint8_t *b;
	size_t i, len;

	(void)d;
	rp_kset_grow(s);
	b = (volatile uint8_t *)s->k;
	len = s->cap * sizeof(*s->k);
	for (i = 0; i < len; i += 4096)
		b[i] = 0;
	return s;
}

static void
rp_stide_train(const struct rp_det *d, void *part, const struct rp_seq *s,
    int label)
{
	const struct rp_stide *m = d->impl;
	struct rp_kset *set = part;
	struct rp_ngram_walk w;
	rp_u128 k;
	size_t i;

	(void)label;
	rp_walk_init(&w, m->n, m->ta);
	for (i = 0; i < s->n; i++)
		if (rp_walk_step(&w, s, i, &k))
			rp_kset_add(set, k);
	rp_walk_release(&w);
}

static void
rp_stide_merge(const struct rp_det *d, void *into, void *from)
{
	struct rp_kset *a = into, *b = from;
	size_t i;

	(void)d;
	for (i = 0; i < b->cap / 64; i++)
		for (uint64_t m = b->used[i]; m != 0; m &= m - 1)
			rp_kset_add(a, b->k[i * 64 + (size_t)__builtin_ctzll(m)]);
	rp_kset_free(b);
	free(b);
}

static int
rp_stide_fit(struct rp_det *d, void *part, struct dd_err *e)
{
	struct rp_stide *m = d->impl;

	(void)e;
	m->set = *(struct rp_kset *)part;
	free(part);
	return 0;
}

static void
rp_stide_score(const struct rp_det *d, const struct rp_seq *s, double *out)
{
	const struct rp_stide *m = d->impl;
	struct rp_ngram_walk w;
	uint8_t *ring = xcalloc(m->w, 1);
	size_t i, got = 0, mis = 0, r = 0, last = SIZE_MAX;
	rp_u128 k;

	rp_walk_init(&w, m->n, m->ta);
	for (i = 0; i < s->n; i++) {
		out[i] = NAN;
		if (!rp_walk_step(&w, s, i, &k))
			continue;
		uint8_t miss = !rp_kset_has(&m->set, k);
		if (got >= m->w)
			mis -= ring[r];
		ring[r] = miss;
		mis += miss;
		r = r + 1 == m->w ? 0 : r + 1;
		got++;
		last = i;
		if (got >= m->w)
			out[i] = (double)mis / (double)m->w;
	}
	if (got > 0 && got < m->w)
		out[last] = (double)mis / (double)got;
	rp_walk_release(&w);
	free(ring);
}

static void
rp_stide_free(struct rp_det *d)
{
	struct rp_stide *m = d->impl;

	rp_kset_free(&m->set);
	free(m);
	d->impl = NULL;
}

const struct rp_det_ops rp_det_stide = {
	.name = "stide",
	.summary = "STIDE: fraction of unseen n-grams in a window of w",
	.params = rp_stide_params,
	.init = rp_stide_init,
	.part_new = rp_stide_part_new,
	.train = rp_stide_train,
	.merge = rp_stide_merge,
	.fit = rp_stide_fit,
	.score = rp_stide_score,
	.free = rp_stide_free,
};

/* ---- markov ---- */

#define RP_GT_K 5
#define RP_FIX 4294967296.0 /* 2^32: fixed point of surprisals */

struct rp_pair {
	uint32_t key; /* from << 16 | to */
	uint32_t c;   /* count (training); fixed-point surprisal (model) */
	uint64_t s;
	bool used;
};

struct rp_pmap {
	struct rp_pair *v;
	size_t cap, n;
};

static struct rp_pair *
rp_pmap_get(struct rp_pmap *m, uint32_t key, bool add)
{
	size_t i;

	if (add && (m->n + 1) * 2 > m->cap) {
		struct rp_pmap o = *m;
		m->cap = o.cap ? o.cap * 2 : 1024;
		m->v = xcalloc(m->cap, sizeof(*m->v));
		m->n = 0;
		for (i = 0; i < o.cap; i++)
			if (o.v[i].used)
				*rp_pmap_get(m, o.v[i].key, true) = o.v[i];
		free(o.v);
	}
	if (m->cap == 0)
		return NULL;
	for (i = (key * 2654435761u) & (m->cap - 1); m->v[i].used;
	     i = (i + 1) & (m->cap - 1))
		if (m->v[i].key == key)
			return &m->v[i];
	if (!add)
		return NULL;
	m->v[i].used = true;
	m->v[i].key = key;
	m->n++;
	return &m->v[i];
}

struct rp_markov {
	unsigned w;
	bool ta;
	struct rp_pmap p;     /* transitions: fixed-point surprisal */
	uint64_t *unseen;     /* per from-state: surprisal of a new one */
	uint8_t *known;	      /* from-states seen */
	uint64_t none;	      /* surprisal for an unknown from-state */
};

static const struct rp_param rp_markov_params[] = {
	{ "w", "10", "window: transitions per score" },
	{ "thread_aware", "false", "transitions per thread" },
	{ NULL, NULL, NULL },
};

static int
rp_markov_init(struct rp_det *d, struct dd_err *e)
{
	struct rp_markov *m = xcalloc(1, sizeof(*m));
	long w;
	int rc;

	d->impl = m;
	if ((rc = rp_det_int(d, "w", 1, 1000000, &w, e)) < 0)
		return rc;
	m->w = (unsigned)w;
	m->ta = rp_det_bool(d, "thread_aware");
	return 0;
}

static void *
rp_markov_part_new(const struct rp_det *d)
{
	(void)d;
	return xcalloc(1, sizeof(struct rp_pmap));
}

static void
rp_markov_train(const struct rp_det *d, void *part, const struct rp_seq *s,
    int label)
{
	const struct rp_markov *m = d->impl;
	struct rp_ngram_walk w;
	rp_u128 k;
	size_t i;

	(void)label;
	rp_walk_init(&w, 2, m->ta);
	for (i = 0; i < s->n; i++)
		if (rp_walk_step(&w, s, i, &k))
			rp_pmap_get(part, (uint32_t)k, true)->c++;
	rp_walk_release(&w);
}

static void
rp_markov_merge(const struct rp_det *d, void *into, void *from)
{
	struct rp_pmap *b = from;
	size_t i;

	(void)d;
	for (i = 0; i < b->cap; i++)
		if (b->v[i].used)
			rp_pmap_get(into, b->v[i].key, true)->c += b->v[i].c;
	free(b->v);
	free(b);
}

static uint64_t
rp_fix(double p)
{
	double bits = p > 0 ? -log2(p) : 64;

	if (bits > 64)
		bits = 64;
	return bits <= 0 ? 0 : (uint64_t)llround(bits * RP_FIX);
}

/* The mass a state keeps for successors it never had: N1/N (Good-Turing),
 * 1/(N+1) when it has no singleton, at most a half (a state seen only
 * in singletons would otherwise leave its seen successors nothing). */
static double
rp_gt_unseen(uint64_t ones, uint64_t raw)
{
	double u = ones > 0 ? (double)ones / (double)raw :
			      1.0 / ((double)raw + 1.0);

	return u > 0.5 ? 0.5 : u;
}

static int
rp_pair_cmp(const void *a, const void *b)
{
	const struct rp_pair *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static int
rp_markov_fit(struct rp_det *d, void *part, struct dd_err *e)
{
	struct rp_markov *m = d->impl;
	struct rp_pmap *p = part;
	uint64_t nc[RP_GT_K + 2] = { 0 };
	double *tot = xcalloc(RP_ID_MAX + 1, sizeof(double));
	uint64_t *raw = xcalloc(RP_ID_MAX + 1, sizeof(uint64_t));
	uint64_t *ones = xcalloc(RP_ID_MAX + 1, sizeof(uint64_t));
	uint32_t *succ = xcalloc(RP_ID_MAX + 1, sizeof(uint32_t));
	uint8_t *seen = xcalloc(RP_ID_MAX + 1, 1);
	struct rp_pair *v = xcalloc(p->n + 1, sizeof(*v));
	size_t i, j = 0, V = 1;

	(void)e;
	/* sums in key order: the same bits whatever order training ran */
	for (i = 0; i < p->cap; i++)
		if (p->v[i].used)
			v[j++] = p->v[i];
	qsort(v, j, sizeof(*v), rp_pair_cmp);
	m->unseen = xcalloc(RP_ID_MAX + 1, sizeof(uint64_t));
	m->known = xcalloc(RP_ID_MAX + 1, 1);
	for (i = 0; i < p->cap; i++)
		if (p->v[i].used && p->v[i].c <= RP_GT_K + 1)
			nc[p->v[i].c]++;
	for (i = 0; i < j; i++) {
		struct rp_pair *x = &v[i];
		uint32_t a = x->key >> 16, b = x->key & 0xffff;
		double cs = x->c;
		if (x->c < RP_GT_K && nc[x->c] > 0 && nc[x->c + 1] > 0)
			cs = (double)(x->c + 1) * (double)nc[x->c + 1] /
			    (double)nc[x->c];
		tot[a] += cs;
		raw[a] += x->c;
		ones[a] += x->c == 1;
		succ[a]++;
		seen[a] = seen[b] = 1;
	}
	for (i = 0; i <= RP_ID_MAX; i++)
		V += seen[i];
	for (i = 0; i < p->cap; i++) {
		struct rp_pair *x = &p->v[i];
		uint32_t a = x->key >> 16;
		double cs = x->c, u;
		if (!x->used)
			continue;
		if (x->c < RP_GT_K && nc[x->c] > 0 && nc[x->c + 1] > 0)
			cs = (double)(x->c + 1) * (double)nc[x->c + 1] /
			    (double)nc[x->c];
		u = rp_gt_unseen(ones[a], raw[a]);
		x->s = rp_fix((1.0 - u) * cs / tot[a]);
	}
	for (i = 0; i <= RP_ID_MAX; i++) {
		double u, left;
		if (raw[i] == 0)
			continue;
		m->known[i] = 1;
		u = rp_gt_unseen(ones[i], raw[i]);
		left = V > succ[i] ? (double)(V - succ[i]) : 1.0;
		m->unseen[i] = rp_fix(u / left);
	}
	m->none = rp_fix(1.0 / (double)V);
	m->p = *p;
	free(p);
	free(v);
	free(tot);
	free(raw);
	free(ones);
	free(succ);
	free(seen);
	return 0;
}

static void
rp_markov_score(const struct rp_det *d, const struct rp_seq *s, double *out)
{
	const struct rp_markov *m = d->impl;
	struct rp_ngram_walk w;
	uint64_t *ring = xcalloc(m->w, sizeof(uint64_t)), sum = 0;
	size_t i, got = 0, r = 0, last = SIZE_MAX;
	rp_u128 k;

	rp_walk_init(&w, 2, m->ta);
	for (i = 0; i < s->n; i++) {
		uint64_t v;
		uint32_t a;
		const struct rp_pair *x;
		out[i] = NAN;
		if (!rp_walk_step(&w, s, i, &k))
			continue;
		a = (uint32_t)(k >> 16) & 0xffff;
		x = rp_pmap_get((struct rp_pmap *)&m->p, (uint32_t)k, false);
		v = x != NULL	 ? x->s :
		    m->known[a] ? m->unseen[a] :
				   m->none;
		if (got >= m->w)
			sum -= ring[r];
		ring[r] = v;
		sum += v;
		r = r + 1 == m->w ? 0 : r + 1;
		got++;
		last = i;
		if (got >= m->w)
			out[i] = (double)sum / RP_FIX / (double)m->w;
	}
	if (got > 0 && got < m->w)
		out[last] = (double)sum / RP_FIX / (double)got;
	rp_walk_release(&w);
	free(ring);
}

static void
rp_markov_free(struct rp_det *d)
{
	struct rp_markov *m = d->impl;

	free(m->p.v);
	free(m->unseen);
	free(m->known);
	free(m);
	d->impl = NULL;
}

const struct rp_det_ops rp_det_markov = {
	.name = "markov",
	.summary = "first-order Markov chain, Good-Turing smoothed: mean "
		   "surprisal over w transitions",
	.params = rp_markov_params,
	.init = rp_markov_init,
	.part_new = rp_markov_part_new,
	.train = rp_markov_train,
	.merge = rp_markov_merge,
	.fit = rp_markov_fit,
	.score = rp_markov_score,
	.free = rp_markov_free,
};
