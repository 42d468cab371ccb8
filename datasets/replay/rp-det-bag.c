/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-det-bag.c: detectors over bags of system calls (BoSC: Kang, Fuller
 * and Honavar 2005): the counts of each syscall in a sliding window of w
 * calls. A window ends at each position from the w-th on (with stride s:
 * at every s-th of those); a recording shorter than w is one window at
 * its last call. Training keeps each distinct window once with its
 * weight (how often it occurred; for supervised detectors, separately
 * before and after the exploit), sorted canonically before any
 * arithmetic; ids unseen in training share one dimension.
 *
 *   knn      mean Euclidean distance to the k nearest training windows
 *   kmeans   distance to the nearest of k centroids (weighted Lloyd,
 *            k-means++ seeding)
 *   som      distance to the best-matching unit of a g x g
 *            self-organising map (batch training)
 *   pcaknn   k-nearest neighbours after projection on the first c
 *            principal components (power iteration with deflation)
 *   tfidf    1 - cosine similarity to the nearest training window in
 *            TF-IDF space (idf = ln((1 + N) / (1 + df)) + 1)
 *   ae       reconstruction error of a one-hidden-layer autoencoder
 *   tree     supervised: attack fraction at a CART leaf (Gini)
 *   forest   supervised: mean over bootstrap trees with sqrt(D) features
 *   mlp      supervised: a one-hidden-layer classifier's P(attack)
 *
 * Nearest-neighbour detectors, the map, the autoencoder and the
 * classifier learn from at most max_train distinct training windows (the
 * most frequent; ties by content); k-means and trees from all of them. Everything
 * seeded is seeded by the seed parameter: the same bits every run.
 */
#include "core/common.h"

#include <math.h>

#include "core/dderr.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

/* ---- distinct windows ---- */

struct rp_win {
	uint64_t h;	  /* Zobrist hash of the (id, count) set */
	uint32_t off, len; /* entries in ent[] */
	double wt[2];	  /* occurrences: normal, attack */
};

struct rp_ent {
	uint16_t id, c;
};

struct rp_wset {
	struct rp_win *v;
	size_t n, cap;
	struct rp_ent *ent;
	size_t nent, capent;
	size_t *slot; /* index + 1, open addressing by h */
	size_t nslot;
};

static inline uint64_t
rp_z(uint32_t id, uint32_t c)
{
	uint64_t z = ((uint64_t)id << 32 | c) + 0x9e3779b97f4a7c15ull;

	if (c == 0)
		return 0;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
rp_wset_free(struct rp_wset *s)
{
	free(s->v);
	free(s->ent);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static void
rp_wset_rehash(struct rp_wset *s)
{
	size_t i, j;

	free(s->slot);
	s->nslot = s->nslot ? s->nslot * 2 : 1024;
	s->slot = xcalloc(s->nslot, sizeof(*s->slot));
	for (i = 0; i < s->n; i++) {
		for (j = s->v[i].h & (s->nslot - 1); s->slot[j];
		     j = (j + 1) & (s->nslot - 1))
			;
		s->slot[j] = i + 1;
	}
}

static bool
rp_ent_eq(const struct rp_ent *a, size_t n, const struct rp_ent *b, size_t m)
{
	return n == m && memcmp(a, b, n * sizeof(*a)) == 0;
}

/* Add weight wt (class cls) to the window e[0..n) (sorted by id). */
static void
rp_wset_add(struct rp_wset *s, uint64_t h, const struct rp_ent *e, size_t n,
    int cls, double wt)
{
	size_t j;
	struct rp_win *w;

	if ((s->n + 1) * 2 > s->nslot)
		rp_wset_rehash(s);
	for (j = h & (s->nslot - 1); s->slot[j]; j = (j + 1) & (s->nslot - 1)) {
		w = &s->v[s->slot[j] - 1];
		if (w->h == h && rp_ent_eq(s->ent + w->off, w->len, e, n)) {
			w->wt[cls] += wt;
			return;
		}
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	while (s->nent + n > s->capent) {
		s->capent = s->capent ? s->capent * 2 : 16384;
		s->ent = xreallocarray(s->ent, s->capent, sizeof(*s->ent));
	}
	w = &s->v[s->n];
	memset(w, 0, sizeof(*w));
	w->h = h;
	w->off = (uint32_t)s->nent;
	w->len = (uint32_t)n;
	w->wt[cls] = wt;
	memcpy(s->ent + s->nent, e, n * sizeof(*e));
	s->nent += n;
	s->slot[j] = ++s->n;
}

/* Sliding windows over a recording. */
struct rp_slide {
	unsigned w;
	uint16_t *cnt; /* RP_ID_MAX + 1 counts */
	uint64_t h;
	struct rp_ent *e; /* the current window, materialised */
	uint8_t *mark;
};

static void
rp_slide_init(struct rp_slide *sl, unsigned w)
{
	sl->w = w;
	sl->cnt = xcalloc(RP_ID_MAX + 1, sizeof(*sl->cnt));
	sl->mark = xcalloc(RP_ID_MAX + 1, 1);
	sl->e = xcalloc(w + 1, sizeof(*sl->e));
	sl->h = 0;
}

static void
rp_slide_release(struct rp_slide *sl)
{
	free(sl->cnt);
	free(sl->mark);
	free(sl->e);
}

static inline void
rp_slide_inc(struct rp_slide *sl, uint16_t id, int d)
{
	uint32_t c = sl->cnt[id];

	sl->h ^= rp_z(id, c) ^ rp_z(id, (uint32_t)((int)c + d));
	sl->cnt[id] = (uint16_t)((int)c + d);
}

/* The window s->sc[from..to] materialised (sorted by id): its size. */
static size_t
rp_slide_ents(struct rp_slide *sl, const struct rp_seq *s, size_t from,
    size_t to)
{
	size_t i, n = 0;

	for (i = from; i <= to; i++) {
		uint16_t id = s->sc[i];
		if (sl->mark[id])
			continue;
		sl->mark[id] = 1;
		sl->e[n].id = id;
		sl->e[n].c = sl->cnt[id];
		n++;
	}
	for (i = 0; i < n; i++)
		sl->mark[sl->e[i].id] = 0;
	/* insertion sort: a window has at most w distinct calls, mostly a
	 * handful */
	for (i = 1; i < n; i++) {
		struct rp_ent x = sl->e[i];
		size_t k = i;
		while (k > 0 && sl->e[k - 1].id > x.id) {
			sl->e[k] = sl->e[k - 1];
			k--;
		}
		sl->e[k] = x;
	}
	return n;
}

/* Walk s: cb at each window end (short recording: once, at the end). */
typedef void (*rp_win_cb)(void *u, size_t pos, struct rp_slide *sl,
    const struct rp_seq *s, size_t from);

static void
rp_slide_walk(struct rp_slide *sl, const struct rp_seq *s, unsigned stride,
    rp_win_cb cb, void *u)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++) {
		rp_slide_inc(sl, s->sc[i], 1);
		if (i >= sl->w)
			rp_slide_inc(sl, s->sc[i - sl->w], -1);
		if (i + 1 >= sl->w) {
			if (k++ % stride == 0)
				cb(u, i, sl, s, i + 1 - sl->w);
		}
	}
	if (s->n > 0 && s->n < sl->w)
		cb(u, s->n - 1, sl, s, 0);
	/* leave the counts zero for the next recording */
	for (i = s->n > sl->w ? s->n - sl->w : 0; i < s->n; i++)
		sl->cnt[s->sc[i]] = 0;
	sl->h = 0;
}

/* ---- the shared model frame ---- */

enum rp_bag_kind {
	RB_KNN,
	RB_KMEANS,
	RB_SOM,
	RB_PCAKNN,
	RB_TFIDF,
	RB_AE,
	RB_TREE,
	RB_FOREST,
	RB_MLP,
};

struct rp_tnode {
	int32_t f;	    /* feature, -1 leaf */
	uint16_t t;	    /* go left when count <= t */
	int32_t l, r;
	double p;	    /* leaf: attack fraction */
};

struct rp_bag {
	int kind;
	unsigned w, stride, k, hidden, epochs, grid, comps, trees, depth;
	size_t max_train;
	double lr;
	uint64_t seed;
	/* model */
	struct rp_vocab voc;
	size_t D;	    /* dimensions (the unseen one included) */
	size_t T;	    /* reference rows */
	float *X;	    /* T x D dense rows (knn, pcaknn: T x comps) */
	float *norm2;	    /* |row|^2 */
	double *C;	    /* kmeans centroids, som units, pca components */
	double *c2;	    /* kmeans, som: |C[c]|^2 */
	size_t nC;
	double *mean, *idf;
	double *W1, *b1, *W2, *b2; /* ae, mlp */
	struct rp_tnode *nodes;	   /* trees, concatenated */
	size_t nnodes;
	int32_t *roots;
};

/* Every bag detector's window: its length and the scoring stride. */
#define RP_WINDOW_PARAMS                                      \
	{ "w", "10", "window length (syscalls)" },            \
	{                                                     \
		"stride", "1", "score every stride-th window" \
	}

static const struct rp_param rp_knn_params[] = {
	RP_WINDOW_PARAMS,
	{ "k", "1", "neighbours" },
	{ "max_train", "5000", "distinct training windows kept" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_kmeans_params[] = {
	RP_WINDOW_PARAMS,
	{ "k", "8", "clusters" },
	{ "epochs", "50", "Lloyd iterations" },
	{ "seed", "1", "seed of k-means++" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_som_params[] = {
	RP_WINDOW_PARAMS,
	{ "grid", "6", "map side (grid x grid units)" },
	{ "max_train", "20000", "distinct training windows kept" },
	{ "epochs", "20", "batch epochs" },
	{ "seed", "1", "seed of the initial map" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_pcaknn_params[] = {
	RP_WINDOW_PARAMS,
	{ "c", "8", "principal components" },
	{ "k", "1", "neighbours" },
	{ "max_train", "5000", "distinct training windows kept" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_tfidf_params[] = {
	RP_WINDOW_PARAMS,
	{ "k", "1", "neighbours (mean of their 1 - cosine)" },
	{ "max_train", "5000", "distinct training windows kept" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_ae_params[] = {
	RP_WINDOW_PARAMS,
	{ "hidden", "8", "hidden units" },
	{ "epochs", "30", "passes over the distinct windows" },
	{ "max_train", "20000", "distinct training windows kept" },
	{ "lr", "0.5", "learning rate" },
	{ "seed", "1", "seed of the initial weights" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_tree_params[] = {
	RP_WINDOW_PARAMS,
	{ "depth", "12", "maximum depth" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_forest_params[] = {
	RP_WINDOW_PARAMS,
	{ "trees", "20", "trees" },
	{ "depth", "12", "maximum depth" },
	{ "seed", "1", "seed of bootstrap and feature draws" },
	{ NULL, NULL, NULL },
};
static const struct rp_param rp_mlp_params[] = {
	RP_WINDOW_PARAMS,
	{ "hidden", "16", "hidden units" },
	{ "epochs", "30", "passes over the distinct windows" },
	{ "max_train", "50000", "distinct training windows kept" },
	{ "lr", "0.5", "learning rate" },
	{ "seed", "1", "seed of the initial weights" },
	{ NULL, NULL, NULL },
};

static bool
rp_has(const struct rp_det *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nparams; i++)
		if (strcmp(d->ops->params[i].key, key) == 0)
			return true;
	return false;
}

static int
rp_bag_init_kind(struct rp_det *d, int kind, struct dd_err *e)
{
	struct rp_bag *m = xcalloc(1, sizeof(*m));
	long v;
	int rc;

	d->impl = m;
	m->kind = kind;
	if ((rc = rp_det_int(d, "w", 1, 65535, &v, e)) < 0)
		return rc;
	m->w = (unsigned)v;
	if ((rc = rp_det_int(d, "stride", 1, 1000000, &v, e)) < 0)
		return rc;
	m->stride = (unsigned)v;
	m->k = 1;
	if (rp_has(d, "k")) {
		if ((rc = rp_det_int(d, "k", 1, 1000, &v, e)) < 0)
			return rc;
		m->k = (unsigned)v;
	}
	if (rp_has(d, "max_train")) {
		if ((rc = rp_det_int(d, "max_train", 1, 10000000, &v, e)) < 0)
			return rc;
		m->max_train = (size_t)v;
	}
	if (rp_has(d, "epochs")) {
		if ((rc = rp_det_int(d, "epochs", 1, 100000, &v, e)) < 0)
			return rc;
		m->epochs = (unsigned)v;
	}
	if (rp_has(d, "hidden")) {
		if ((rc = rp_det_int(d, "hidden", 1, 4096, &v, e)) < 0)
			return rc;
		m->hidden = (unsigned)v;
	}
	if (rp_has(d, "grid")) {
		if ((rc = rp_det_int(d, "grid", 1, 256, &v, e)) < 0)
			return rc;
		m->grid = (unsigned)v;
	}
	if (rp_has(d, "c")) {
		if ((rc = rp_det_int(d, "c", 1, 256, &v, e)) < 0)
			return rc;
		m->comps = (unsigned)v;
	}
	if (rp_has(d, "trees")) {
		if ((rc = rp_det_int(d, "trees", 1, 10000, &v, e)) < 0)
			return rc;
		m->trees = (unsigned)v;
	}
	if (rp_has(d, "depth")) {
		if ((rc = rp_det_int(d, "depth", 1, 64, &v, e)) < 0)
			return rc;
		m->depth = (unsigned)v;
	}
	if (rp_has(d, "seed")) {
		if ((rc = rp_det_int(d, "seed", 0, LONG_MAX, &v, e)) < 0)
			return rc;
		m->seed = (uint64_t)v;
	}
	if (rp_has(d, "lr") &&
	    (rc = rp_det_real(d, "lr", 1e-9, 100, &m->lr, e)) < 0)
		return rc;
	return 0;
}

#define RP_INIT(fn, kind)                                         \
	static int fn(struct rp_det *d, struct dd_err *e)         \
	{                                                         \
		return rp_bag_init_kind(d, kind, e);              \
	}
RP_INIT(rp_knn_init, RB_KNN)
RP_INIT(rp_kmeans_init, RB_KMEANS)
RP_INIT(rp_som_init, RB_SOM)
RP_INIT(rp_pcaknn_init, RB_PCAKNN)
RP_INIT(rp_tfidf_init, RB_TFIDF)
RP_INIT(rp_ae_init, RB_AE)
RP_INIT(rp_tree_init, RB_TREE)
RP_INIT(rp_forest_init, RB_FOREST)
RP_INIT(rp_mlp_init, RB_MLP)

/* ---- training: distinct windows ---- */

static void *
rp_bag_part_new(const struct rp_det *d)
{
	(void)d;
	return xcalloc(1, sizeof(struct rp_wset));
}

struct rp_train_ctx {
	struct rp_wset *set;
	int label;
};

static void
rp_bag_train_cb(void *u, size_t pos, struct rp_slide *sl,
    const struct rp_seq *s, size_t from)
{
	struct rp_train_ctx *t = u;
	size_t n = rp_slide_ents(sl, s, from, pos);
	int cls = t->label && s->exploit_ts != INT64_MIN &&
	    rp_ts(s, pos) >= s->exploit_ts;

	rp_wset_add(t->set, sl->h, sl->e, n, cls, 1.0);
}

static void
rp_bag_train(const struct rp_det *d, void *part, const struct rp_seq *s,
    int label)
{
	const struct rp_bag *m = d->impl;
	struct rp_train_ctx t = { part, label };
	struct rp_slide sl;

	rp_slide_init(&sl, m->w);
	rp_slide_walk(&sl, s, m->stride, rp_bag_train_cb, &t);
	rp_slide_release(&sl);
}

static void
rp_bag_merge(const struct rp_det *d, void *into, void *from)
{
	struct rp_wset *b = from;
	size_t i;

	(void)d;
	for (i = 0; i < b->n; i++) {
		const struct rp_win *w = &b->v[i];
		if (w->wt[0] > 0)
			rp_wset_add(into, w->h, b->ent + w->off, w->len, 0,
			    w->wt[0]);
		if (w->wt[1] > 0)
			rp_wset_add(into, w->h, b->ent + w->off, w->len, 1,
			    w->wt[1]);
	}
	rp_wset_free(b);
	free(b);
}

/* Canonical order: by content. */
static const struct rp_wset *rp_sort_set;

static int
rp_win_cmp(const void *a, const void *b)
{
	const struct rp_win *x = a, *y = b;
	const struct rp_ent *ex = rp_sort_set->ent + x->off;
	const struct rp_ent *ey = rp_sort_set->ent + y->off;
	size_t i, n = MIN(x->len, y->len);

	for (i = 0; i < n; i++) {
		if (ex[i].id != ey[i].id)
			return ex[i].id < ey[i].id ? -1 : 1;
		if (ex[i].c != ey[i].c)
			return ex[i].c < ey[i].c ? -1 : 1;
	}
	return x->len < y->len ? -1 : x->len > y->len;
}

static int
rp_win_cmp_freq(const void *a, const void *b)
{
	const struct rp_win *x = a, *y = b;
	double fx = x->wt[0] + x->wt[1], fy = y->wt[0] + y->wt[1];

	if (fx != fy)
		return fx > fy ? -1 : 1;
	return rp_win_cmp(a, b);
}

/* x[0..D) = the window's counts in model dimensions. */
static void
rp_dense(const struct rp_bag *m, const struct rp_ent *e, size_t n, double *x)
{
	size_t i;

	memset(x, 0, m->D * sizeof(*x));
	for (i = 0; i < n; i++)
		x[m->voc.dim[e[i].id]] += e[i].c;
}

static inline double
rp_sigm(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* ---- kmeans ---- */

/* The rows of X (T x D) as sparse lists: a window has at most w
 * non-zero counts, so distances cost O(w), not O(D). */
struct rp_sparse {
	size_t *off;	/* row i: [off[i], off[i + 1]) */
	uint32_t *dim;
	double *val, *n2; /* values; each row's squared norm */
};

/* The distinct windows as sparse rows (no dense matrix: k-means and the
 * map never need one). Training windows hold seen ids only, so
 * dims come out sorted and distinct. */
static void
rp_sparse_from(struct rp_sparse *sp, const struct rp_bag *m,
    const struct rp_wset *s, size_t T)
{
	size_t i, k, n = 0;

	for (i = 0; i < T; i++)
		n += s->v[i].len;
	sp->off = xcalloc(T + 1, sizeof(size_t));
	sp->dim = xcalloc(n + 1, sizeof(uint32_t));
	sp->val = xcalloc(n + 1, sizeof(double));
	sp->n2 = xcalloc(T + 1, sizeof(double));
	for (i = 0, n = 0; i < T; i++) {
		const struct rp_ent *e = s->ent + s->v[i].off;
		sp->off[i] = n;
		for (k = 0; k < s->v[i].len; k++, n++) {
			sp->dim[n] = m->voc.dim[e[k].id];
			sp->val[n] = e[k].c;
			sp->n2[i] += (double)e[k].c * e[k].c;
		}
	}
	sp->off[T] = n;
}

/* Row i of sp as a dense vector into c[0..D). */
static void
rp_sparse_row(const struct rp_sparse *sp, size_t i, double *c, size_t D)
{
	size_t k;

	memset(c, 0, D * sizeof(double));
	for (k = sp->off[i]; k < sp->off[i + 1]; k++)
		c[sp->dim[k]] = sp->val[k];
}

static void
rp_sparse_free(struct rp_sparse *sp)
{
	free(sp->off);
	free(sp->dim);
	free(sp->val);
	free(sp->n2);
}

/* |x_i - c|^2 with c2 = |c|^2. */
static inline double
rp_sdist2(const struct rp_sparse *sp, size_t i, const double *c, double c2)
{
	double dot = 0, d;
	size_t k;

	for (k = sp->off[i]; k < sp->off[i + 1]; k++)
		dot += sp->val[k] * c[sp->dim[k]];
	d = sp->n2[i] + c2 - 2 * dot;
	return d > 0 ? d : 0;
}

static double
rp_norm2(const double *c, size_t D)
{
	double s = 0;
	size_t j;

	for (j = 0; j < D; j++)
		s += c[j] * c[j];
	return s;
}

#define RP_KM_BLOCK 2048

/* One Lloyd step's work, in fixed blocks of rows. */
struct rp_km {
	const struct rp_sparse *sp;
	const double *wt, *C, *c2;
	size_t K, D, T;
	double *acc, *aw;	/* per block: K x D sums, K weights */
	double *dmin;		/* k-means++: distance to the nearest */
	const double *cnew;	/* k-means++: the new centre */
	double cnew2;
};

static void
rp_km_assign(void *u, size_t b)
{
	struct rp_km *k = u;
	size_t i, c, q, lo = b * RP_KM_BLOCK, hi = MIN(k->T, lo + RP_KM_BLOCK);
	double *acc = k->acc + b * k->K * k->D, *aw = k->aw + b * k->K;

	memset(acc, 0, k->K * k->D * sizeof(double));
	memset(aw, 0, k->K * sizeof(double));
	for (i = lo; i < hi; i++) {
		size_t bq = 0;
		double best = INFINITY;
		for (c = 0; c < k->K; c++) {
			double dd = rp_sdist2(k->sp, i, k->C + c * k->D, k->c2[c]);
			if (dd < best) {
				best = dd;
				bq = c;
			}
		}
		for (q = k->sp->off[i]; q < k->sp->off[i + 1]; q++)
			acc[bq * k->D + k->sp->dim[q]] += k->wt[i] * k->sp->val[q];
		aw[bq] += k->wt[i];
	}
}

static void
rp_km_nearest(void *u, size_t b)
{
	struct rp_km *k = u;
	size_t i, lo = b * RP_KM_BLOCK, hi = MIN(k->T, lo + RP_KM_BLOCK);

	for (i = lo; i < hi; i++)
		k->dmin[i] = MIN(k->dmin[i],
		    rp_sdist2(k->sp, i, k->cnew, k->cnew2));
}

static void
rp_fit_kmeans(struct rp_bag *m, const struct rp_sparse *spp, const double *wt,
    size_t T, unsigned jobs)
{
	size_t K = MIN((size_t)m->k, T), D = m->D, i, j, it, c, b;
	size_t nb = (T + RP_KM_BLOCK - 1) / RP_KM_BLOCK;
	double *c2;
	uint64_t st = m->seed;
	struct rp_km k;

	m->nC = K;
	m->C = xcalloc(K * D, sizeof(double));
	c2 = xcalloc(K, sizeof(double));
	memset(&k, 0, sizeof(k));
	k.sp = spp;
	k.wt = wt;
	k.C = m->C;
	k.c2 = c2;
	k.K = K;
	k.D = D;
	k.T = T;
	k.dmin = xcalloc(T, sizeof(double));
	for (i = 0; i < T; i++)
		k.dmin[i] = INFINITY;
	/* k-means++: the heaviest window first, then by D^2 weight */
	for (i = 1, j = 0; i < T; i++)
		if (wt[i] > wt[j])
			j = i;
	for (c = 0; c < K; c++) {
		if (c > 0) {
			double tot = 0, r;
			for (i = 0; i < T; i++)
				tot += k.dmin[i] * wt[i];
			r = rp_rand01(&st) * tot;
			for (j = 0; j + 1 < T && r >= k.dmin[j] * wt[j]; j++)
				r -= k.dmin[j] * wt[j];
		}
		rp_sparse_row(spp, j, m->C + c * D, D);
		c2[c] = rp_norm2(m->C + c * D, D);
		k.cnew = m->C + c * D;
		k.cnew2 = c2[c];
		rp_parallel(jobs, nb, rp_km_nearest, &k);
	}
	k.acc = xcalloc(nb * K * D, sizeof(double));
	k.aw = xcalloc(nb * K, sizeof(double));
	for (it = 0; it < m->epochs; it++) {
		rp_parallel(jobs, nb, rp_km_assign, &k);
		/* blocks reduce in their order: the same sums for any jobs */
		for (b = 1; b < nb; b++) {
			for (j = 0; j < K * D; j++)
				k.acc[j] += k.acc[b * K * D + j];
			for (c = 0; c < K; c++)
				k.aw[c] += k.aw[b * K + c];
		}
		for (c = 0; c < K; c++) {
			if (k.aw[c] > 0)
				for (j = 0; j < D; j++)
					m->C[c * D + j] = k.acc[c * D + j] /
					    k.aw[c];
			c2[c] = rp_norm2(m->C + c * D, D);
		}
	}
	free(c2);
	free(k.acc);
	free(k.aw);
	free(k.dmin);
}

/* ---- som ---- */

/* The batch map (Kohonen): each epoch assigns every window to its best
 * unit (in parallel, fixed blocks), then sets each unit to the
 * neighbourhood-weighted mean of the windows, the radius shrinking from
 * grid/2 to 0.5 over the epochs. */
static void
rp_fit_som(struct rp_bag *m, const struct rp_sparse *sp, const double *wt,
    size_t T, unsigned jobs)
{
	size_t U = (size_t)m->grid * m->grid, D = m->D, u, b, j, ep;
	size_t nb = (T + RP_KM_BLOCK - 1) / RP_KM_BLOCK;
	uint64_t st = m->seed;
	double sigma0 = MAX(1.0, m->grid / 2.0);
	double *c2 = xcalloc(U, sizeof(double)), *num, *den;
	struct rp_km k;

	m->nC = U;
	m->C = xcalloc(U * D, sizeof(double));
	for (u = 0; u < U; u++) { /* start at random training windows */
		rp_sparse_row(sp, rp_rand(&st) % T, m->C + u * D, D);
		c2[u] = rp_norm2(m->C + u * D, D);
	}
	memset(&k, 0, sizeof(k));
	k.sp = sp;
	k.wt = wt;
	k.C = m->C;
	k.c2 = c2;
	k.K = U;
	k.D = D;
	k.T = T;
	k.acc = xcalloc(nb * U * D, sizeof(double));
	k.aw = xcalloc(nb * U, sizeof(double));
	num = xcalloc(U * D, sizeof(double));
	den = xcalloc(U, sizeof(double));
	for (ep = 0; ep < m->epochs; ep++) {
		double frac = m->epochs > 1 ? (double)ep / (m->epochs - 1) : 1;
		double sg = sigma0 * (1.0 - frac) + 0.5 * frac;
		rp_parallel(jobs, nb, rp_km_assign, &k);
		for (b = 1; b < nb; b++) {
			for (j = 0; j < U * D; j++)
				k.acc[j] += k.acc[b * U * D + j];
			for (u = 0; u < U; u++)
				k.aw[u] += k.aw[b * U + u];
		}
		memset(num, 0, U * D * sizeof(double));
		memset(den, 0, U * sizeof(double));
		for (u = 0; u < U; u++)
			for (b = 0; b < U; b++) {
				double dx = (double)(u % m->grid) -
				    (double)(b % m->grid);
				double dy = (double)(u / m->grid) -
				    (double)(b / m->grid);
				double h = exp(-(dx * dx + dy * dy) / (2 * sg * sg));
				if (k.aw[b] == 0 || h < 1e-12)
					continue;
				for (j = 0; j < D; j++)
					num[u * D + j] += h * k.acc[b * D + j];
				den[u] += h * k.aw[b];
			}
		for (u = 0; u < U; u++) {
			if (den[u] > 0)
				for (j = 0; j < D; j++)
					m->C[u * D + j] = num[u * D + j] / den[u];
			c2[u] = rp_norm2(m->C + u * D, D);
		}
	}
	free(c2);
	free(num);
	free(den);
	free(k.acc);
	free(k.aw);
}

/* ---- pca ---- */

static void
rp_fit_pca(struct rp_bag *m, const double *X, const double *wt, size_t T)
{
	size_t D = m->D, c, i, j, q, it, C = MIN((size_t)m->comps, D);
	double *cov = xcalloc(D * D, sizeof(double)), W = 0;
	double *v = xcalloc(D, sizeof(double)), *nv = xcalloc(D, sizeof(double));

	m->mean = xcalloc(D, sizeof(double));
	for (i = 0; i < T; i++) {
		W += wt[i];
		for (j = 0; j < D; j++)
			m->mean[j] += wt[i] * X[i * D + j];
	}
	for (j = 0; j < D; j++)
		m->mean[j] /= W;
	for (i = 0; i < T; i++)
		for (j = 0; j < D; j++) {
			double a = X[i * D + j] - m->mean[j];
			if (a == 0)
				continue;
			for (q = 0; q < D; q++)
				cov[j * D + q] += wt[i] * a *
				    (X[i * D + q] - m->mean[q]);
		}
	for (j = 0; j < D * D; j++)
		cov[j] /= W;
	m->nC = C;
	m->C = xcalloc(C * D, sizeof(double));
	for (c = 0; c < C; c++) {
		double lambda = 0, nn;
		for (j = 0; j < D; j++)
			v[j] = 1.0 + (double)((j * 7 + c * 13) % 17) / 17.0;
		for (it = 0; it < 200; it++) {
			nn = 0;
			for (j = 0; j < D; j++) {
				nv[j] = 0;
				for (q = 0; q < D; q++)
					nv[j] += cov[j * D + q] * v[q];
				nn += nv[j] * nv[j];
			}
			nn = sqrt(nn);
			if (nn < 1e-300)
				break;
			for (j = 0; j < D; j++)
				v[j] = nv[j] / nn;
			lambda = nn;
		}
		memcpy(m->C + c * D, v, D * sizeof(double));
		/* deflate */
		for (j = 0; j < D; j++)
			for (q = 0; q < D; q++)
				cov[j * D + q] -= lambda * v[j] * v[q];
	}
	free(cov);
	free(v);
	free(nv);
}

static void
rp_project(const struct rp_bag *m, const double *x, double *out)
{
	size_t c, j;

	for (c = 0; c < m->nC; c++) {
		double s = 0;
		for (j = 0; j < m->D; j++)
			s += (x[j] - m->mean[j]) * m->C[c * m->D + j];
		out[c] = s;
	}
}

/* ---- the autoencoder and the classifier ---- */

/* One SGD step of a D-H-O network (O = D: autoencoder, target x;
 * O = 1: classifier, target y); sw scales the gradient. */
static void
rp_nn_step(struct rp_bag *m, const double *x, const double *target,
    size_t O, double sw, double *h, double *o, double *go)
{
	size_t H = m->hidden, D = m->D, i, j;

	for (j = 0; j < H; j++) {
		double s = m->b1[j];
		for (i = 0; i < D; i++)
			s += m->W1[j * D + i] * x[i];
		h[j] = rp_sigm(s);
	}
	for (i = 0; i < O; i++) {
		double s = m->b2[i];
		for (j = 0; j < H; j++)
			s += m->W2[i * H + j] * h[j];
		o[i] = rp_sigm(s);
		/* MSE (ae) or cross-entropy (classifier): same delta form
		 * for the classifier, sigmoid'-scaled for the ae */
		go[i] = (o[i] - target[i]) * (O == 1 ? 1.0 : o[i] * (1 - o[i]));
	}
	for (j = 0; j < H; j++) {
		double g = 0;
		for (i = 0; i < O; i++)
			g += go[i] * m->W2[i * H + j];
		g *= h[j] * (1 - h[j]);
		for (i = 0; i < O; i++)
			m->W2[i * H + j] -= m->lr * sw * go[i] * h[j];
		for (i = 0; i < D; i++)
			if (x[i] != 0)
				m->W1[j * D + i] -= m->lr * sw * g * x[i];
		m->b1[j] -= m->lr * sw * g;
	}
	for (i = 0; i < O; i++)
		m->b2[i] -= m->lr * sw * go[i];
}

static void
rp_nn_alloc(struct rp_bag *m, size_t O)
{
	size_t H = m->hidden, D = m->D, i;
	uint64_t st = m->seed;
	double r1 = 1.0 / sqrt((double)D), r2 = 1.0 / sqrt((double)H);

	m->W1 = xcalloc(H * D, sizeof(double));
	m->b1 = xcalloc(H, sizeof(double));
	m->W2 = xcalloc(O * H, sizeof(double));
	m->b2 = xcalloc(O, sizeof(double));
	for (i = 0; i < H * D; i++)
		m->W1[i] = (rp_rand01(&st) * 2 - 1) * r1;
	for (i = 0; i < O * H; i++)
		m->W2[i] = (rp_rand01(&st) * 2 - 1) * r2;
}

static double
rp_nn_out(const struct rp_bag *m, const double *x, size_t O, double *h,
    double *o)
{
	size_t H = m->hidden, D = m->D, i, j;
	double err = 0;

	for (j = 0; j < H; j++) {
		double s = m->b1[j];
		for (i = 0; i < D; i++)
			if (x[i] != 0)
				s += m->W1[j * D + i] * x[i];
		h[j] = rp_sigm(s);
	}
	for (i = 0; i < O; i++) {
		double s = m->b2[i];
		for (j = 0; j < H; j++)
			s += m->W2[i * H + j] * h[j];
		o[i] = rp_sigm(s);
		if (O > 1)
			err += (o[i] - x[i]) * (o[i] - x[i]);
	}
	return O > 1 ? err / (double)O : o[0];
}

static void
rp_fit_nn(struct rp_bag *m, const double *X, const double *wt0,
    const double *wt1, size_t T, bool classifier)
{
	size_t O = classifier ? 1 : m->D, ep, i, j, D = m->D;
	double *x = xcalloc(D, sizeof(double)), *h, *o, *go, W0 = 0, W1 = 0;
	double *yy = xcalloc(MAX(O, (size_t)1), sizeof(double));

	h = xcalloc(m->hidden, sizeof(double));
	o = xcalloc(O, sizeof(double));
	go = xcalloc(O, sizeof(double));
	rp_nn_alloc(m, O);
	for (i = 0; i < T; i++) {
		W0 += wt0[i];
		W1 += wt1 ? wt1[i] : 0;
	}
	for (ep = 0; ep < m->epochs; ep++)
		for (i = 0; i < T; i++) {
			for (j = 0; j < D; j++)
				x[j] = X[i * D + j] / m->w;
			if (!classifier) {
				rp_nn_step(m, x, x, O, 1.0, h, o, go);
				continue;
			}
			/* class-balanced: each class weighs half */
			if (wt0[i] > 0) {
				yy[0] = 0;
				rp_nn_step(m, x, yy, 1,
				    MIN(1.0, wt0[i] * (double)T / (2 * W0)), h,
				    o, go);
			}
			if (wt1[i] > 0 && W1 > 0) {
				yy[0] = 1;
				rp_nn_step(m, x, yy, 1,
				    MIN(1.0, wt1[i] * (double)T / (2 * W1)), h,
				    o, go);
			}
		}
	free(x);
	free(yy);
	free(h);
	free(o);
	free(go);
}

/* ---- trees ---- */

struct rp_tb {
	struct rp_bag *m;
	const double *X;
	double *w0, *w1;	/* per-sample weights (this tree) */
	size_t *idx;
	uint64_t st;
	bool sub;		/* feature subsampling */
	double *hist;		/* (w + 1) * 2 */
};

static int32_t
rp_tree_new(struct rp_bag *m)
{
	if ((m->nnodes & (m->nnodes - 1)) == 0)
		m->nodes = xreallocarray(m->nodes,
		    m->nnodes ? m->nnodes * 2 : 1, sizeof(*m->nodes));
	memset(&m->nodes[m->nnodes], 0, sizeof(*m->nodes));
	m->nodes[m->nnodes].f = -1;
	return (int32_t)m->nnodes++;
}

static int32_t
rp_tree_grow(struct rp_tb *b, size_t lo, size_t hi, unsigned depth)
{
	struct rp_bag *m = b->m;
	size_t D = m->D, i, f, V = m->w + 1, nf;
	double n0 = 0, n1 = 0, best = INFINITY;
	int32_t node = rp_tree_new(m), bf = -1;
	unsigned bt = 0;

	for (i = lo; i < hi; i++) {
		n0 += b->w0[b->idx[i]];
		n1 += b->w1[b->idx[i]];
	}
	m->nodes[node].p = n0 + n1 > 0 ? n1 / (n0 + n1) : 0;
	if (depth >= m->depth || n0 == 0 || n1 == 0 || hi - lo < 2)
		return node;
	nf = b->sub ? MAX((size_t)1, (size_t)sqrt((double)D)) : D;
	for (size_t q = 0; q < nf; q++) {
		double l0 = 0, l1 = 0;
		unsigned t;
		f = b->sub ? rp_rand(&b->st) % D : q;
		memset(b->hist, 0, V * 2 * sizeof(double));
		for (i = lo; i < hi; i++) {
			size_t s = b->idx[i];
			unsigned v = (unsigned)MIN(b->X[s * D + f], (double)m->w);
			b->hist[v * 2] += b->w0[s];
			b->hist[v * 2 + 1] += b->w1[s];
		}
		for (t = 0; t + 1 < V; t++) {
			double r0, r1, nl, nr, g;
			l0 += b->hist[t * 2];
			l1 += b->hist[t * 2 + 1];
			r0 = n0 - l0;
			r1 = n1 - l1;
			nl = l0 + l1;
			nr = r0 + r1;
			if (nl <= 0 || nr <= 0)
				continue;
			g = nl * (1 - (l0 * l0 + l1 * l1) / (nl * nl)) +
			    nr * (1 - (r0 * r0 + r1 * r1) / (nr * nr));
			if (g < best - 1e-12) {
				best = g;
				bf = (int32_t)f;
				bt = t;
			}
		}
	}
	if (bf < 0 || best >= 2 * n0 * n1 / (n0 + n1) - 1e-12)
		return node;
	{
		size_t a = lo, z = hi;
		int32_t l, r;
		while (a < z) {
			if (b->X[b->idx[a] * D + (size_t)bf] <= bt)
				a++;
			else {
				size_t tmp = b->idx[a];
				b->idx[a] = b->idx[--z];
				b->idx[z] = tmp;
			}
		}
		if (a == lo || a == hi)
			return node;
		l = rp_tree_grow(b, lo, a, depth + 1);
		r = rp_tree_grow(b, a, hi, depth + 1);
		m->nodes[node].f = bf;
		m->nodes[node].t = (uint16_t)bt;
		m->nodes[node].l = l;
		m->nodes[node].r = r;
	}
	return node;
}

static void
rp_fit_trees(struct rp_bag *m, const double *X, const double *wt0,
    const double *wt1, size_t T)
{
	struct rp_tb b;
	size_t t, i, ntrees = m->kind == RB_FOREST ? m->trees : 1;
	double W0 = 0, W1 = 0;

	memset(&b, 0, sizeof(b));
	b.m = m;
	b.X = X;
	b.w0 = xcalloc(T, sizeof(double));
	b.w1 = xcalloc(T, sizeof(double));
	b.idx = xcalloc(T, sizeof(size_t));
	b.hist = xcalloc((size_t)(m->w + 1) * 2, sizeof(double));
	b.st = m->seed;
	b.sub = m->kind == RB_FOREST;
	m->roots = xcalloc(ntrees, sizeof(*m->roots));
	m->nC = ntrees;
	for (i = 0; i < T; i++) {
		W0 += wt0[i];
		W1 += wt1[i];
	}
	for (t = 0; t < ntrees; t++) {
		for (i = 0; i < T; i++) {
			/* class-balanced; a forest draws Poisson(1) copies */
			double k = 1;
			if (b.sub) {
				double L = exp(-1.0), p = rp_rand01(&b.st);
				k = 0;
				while (p > L) {
					p *= rp_rand01(&b.st);
					k++;
				}
			}
			b.w0[i] = W0 > 0 ? k * wt0[i] / W0 : 0;
			b.w1[i] = W1 > 0 ? k * wt1[i] / W1 : 0;
			b.idx[i] = i;
		}
		m->roots[t] = rp_tree_grow(&b, 0, T, 0);
	}
	free(b.w0);
	free(b.w1);
	free(b.idx);
	free(b.hist);
}

/* ---- fit ---- */

static int
rp_bag_fit(struct rp_det *d, void *part, struct dd_err *e)
{
	struct rp_bag *m = d->impl;
	struct rp_wset *s = part;
	uint8_t *seen = xcalloc(RP_ID_MAX + 1, 1);
	double *X, *wt0, *wt1;
	struct rp_sparse sp;
	size_t i, j, T;
	bool dense;
	int rc = 0;

	if (s->n == 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "%s: no training window (no training syscalls)",
		    d->ops->name);
		goto out;
	}
	for (i = 0; i < s->nent; i++)
		seen[s->ent[i].id] = 1;
	rp_vocab_build(&m->voc, seen);
	m->D = m->voc.ndims;
	rp_sort_set = s;
	if (m->max_train > 0 && s->n > m->max_train) {
		qsort(s->v, s->n, sizeof(*s->v), rp_win_cmp_freq);
		s->n = m->max_train;
	}
	qsort(s->v, s->n, sizeof(*s->v), rp_win_cmp);
	rp_sort_set = NULL;
	T = s->n;
	if (m->kind >= RB_TREE) {
		double a = 0;
		for (i = 0; i < T; i++)
			a += s->v[i].wt[1];
		if (a == 0) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s is supervised: no attack window in training "
			    "(attack recordings of alternate scenarios train "
			    "it; this dataset gave none)",
			    d->ops->name);
			goto out;
		}
	}
	/* k-means and the map work on sparse rows; the others on dense */
	dense = m->kind != RB_KMEANS && m->kind != RB_SOM;
	X = dense ? xcalloc(T * m->D, sizeof(double)) : NULL;
	wt0 = xcalloc(T, sizeof(double));
	wt1 = xcalloc(T, sizeof(double));
	for (i = 0; i < T; i++) {
		if (dense)
			rp_dense(m, s->ent + s->v[i].off, s->v[i].len,
			    X + i * m->D);
		wt0[i] = s->v[i].wt[0];
		wt1[i] = s->v[i].wt[1];
		if (m->kind < RB_TREE)
			wt0[i] += wt1[i];
	}
	switch (m->kind) {
	case RB_KNN:
	case RB_TFIDF:
	case RB_PCAKNN: {
		size_t R = m->kind == RB_PCAKNN ? m->comps : m->D;
		double *p = xcalloc(m->D, sizeof(double));
		if (m->kind == RB_PCAKNN) {
			rp_fit_pca(m, X, wt0, T);
			R = m->nC;
		}
		if (m->kind == RB_TFIDF) {
			double N = 0;
			m->idf = xcalloc(m->D, sizeof(double));
			for (i = 0; i < T; i++) {
				N += wt0[i];
				for (j = 0; j < m->D; j++)
					if (X[i * m->D + j] > 0)
						m->idf[j] += wt0[i];
			}
			for (j = 0; j < m->D; j++)
				m->idf[j] = log((1 + N) / (1 + m->idf[j])) + 1;
		}
		m->T = T;
		m->X = xcalloc(T * R, sizeof(float));
		m->norm2 = xcalloc(T, sizeof(float));
		for (i = 0; i < T; i++) {
			double n2 = 0;
			const double *x = X + i * m->D;
			if (m->kind == RB_PCAKNN)
				rp_project(m, x, p);
			else if (m->kind == RB_TFIDF) {
				for (j = 0; j < m->D; j++)
					p[j] = x[j] * m->idf[j];
			} else
				memcpy(p, x, m->D * sizeof(double));
			for (j = 0; j < R; j++)
				n2 += p[j] * p[j];
			if (m->kind == RB_TFIDF && n2 > 0) {
				for (j = 0; j < R; j++)
					p[j] /= sqrt(n2);
				n2 = 1;
			}
			for (j = 0; j < R; j++)
				m->X[i * R + j] = (float)p[j];
			m->norm2[i] = (float)n2;
		}
		free(p);
		break;
	}
	case RB_KMEANS:
	case RB_SOM:
		rp_sparse_from(&sp, m, s, T);
		if (m->kind == RB_KMEANS)
			rp_fit_kmeans(m, &sp, wt0, T, d->jobs);
		else
			rp_fit_som(m, &sp, wt0, T, d->jobs);
		rp_sparse_free(&sp);
		m->c2 = xcalloc(m->nC, sizeof(double));
		for (i = 0; i < m->nC; i++)
			m->c2[i] = rp_norm2(m->C + i * m->D, m->D);
		break;
	case RB_AE:
		rp_fit_nn(m, X, wt0, NULL, T, false);
		break;
	case RB_MLP:
		rp_fit_nn(m, X, wt0, wt1, T, true);
		break;
	case RB_TREE:
	case RB_FOREST:
		rp_fit_trees(m, X, wt0, wt1, T);
		break;
	default:
		BUG("bag kind %d", m->kind);
	}
	free(X);
	free(wt0);
	free(wt1);
out:
	free(seen);
	rp_wset_free(s);
	free(s);
	return rc;
}

/* ---- scoring ---- */

struct rp_scorer {
	const struct rp_bag *m;
	double *out, *x, *p, *h, *o;
	float *best;
	uint32_t *nz;		/* non-zero dimensions of a query */
	struct rp_wset cache;	/* window -> score in wt[0] */
};

static double
rp_window_score(struct rp_scorer *sc, const struct rp_ent *e, size_t n)
{
	const struct rp_bag *m = sc->m;
	size_t D = m->D, i, j, c, nz;
	double *x = sc->x, r = 0;

	rp_dense(m, e, n, x);
	switch (m->kind) {
	case RB_KNN:
	case RB_PCAKNN:
	case RB_TFIDF: {
		size_t R = m->kind == RB_PCAKNN ? m->nC : D, K = MIN(m->k, m->T);
		double n2 = 0;
		float *best = sc->best;
		const double *q = x;
		if (m->kind == RB_PCAKNN) {
			rp_project(m, x, sc->p);
			q = sc->p;
		} else if (m->kind == RB_TFIDF) {
			for (j = 0; j < D; j++)
				sc->p[j] = x[j] * m->idf[j];
			q = sc->p;
		}
		for (j = 0; j < R; j++)
			n2 += q[j] * q[j];
		if (m->kind == RB_TFIDF && n2 > 0) {
			for (j = 0; j < R; j++)
				sc->p[j] /= sqrt(n2);
			n2 = 1;
		}
		for (c = 0; c < K; c++)
			best[c] = INFINITY;
		/* the query's non-zero dimensions (a window has at most w):
		 * dot products cost O(w) a training row */
		nz = 0;
		for (j = 0; j < R; j++)
			if (q[j] != 0)
				sc->nz[nz++] = (uint32_t)j;
		for (i = 0; i < m->T; i++) {
			const float *t = m->X + i * R;
			double dot = 0, dd;
			for (j = 0; j < nz; j++)
				dot += q[sc->nz[j]] * t[sc->nz[j]];
			dd = m->kind == RB_TFIDF ? 1.0 - dot :
						   n2 + m->norm2[i] - 2 * dot;
			if (dd < best[K - 1]) {
				for (c = K - 1; c > 0 && best[c - 1] > dd; c--)
					best[c] = best[c - 1];
				best[c] = (float)dd;
			}
		}
		for (c = 0; c < K; c++)
			r += m->kind == RB_TFIDF ? MAX(0.0, best[c]) :
						  sqrt(MAX(0.0, best[c]));
		return r / (double)K;
	}
	case RB_KMEANS:
	case RB_SOM: {
		/* |x - c|^2 = |x|^2 + |c|^2 - 2 x.c over x's non-zero dims */
		double best = INFINITY, x2 = 0;
		nz = 0;
		for (j = 0; j < D; j++)
			if (x[j] != 0) {
				sc->nz[nz++] = (uint32_t)j;
				x2 += x[j] * x[j];
			}
		for (c = 0; c < m->nC; c++) {
			const double *cc = m->C + c * D;
			double dot = 0, dd;
			for (j = 0; j < nz; j++)
				dot += x[sc->nz[j]] * cc[sc->nz[j]];
			dd = x2 + m->c2[c] - 2 * dot;
			best = MIN(best, dd > 0 ? dd : 0);
		}
		return sqrt(best);
	}
	case RB_AE:
	case RB_MLP:
		for (j = 0; j < D; j++)
			x[j] /= m->w;
		return rp_nn_out(m, x, m->kind == RB_AE ? D : 1, sc->h, sc->o);
	case RB_TREE:
	case RB_FOREST:
		for (c = 0; c < m->nC; c++) {
			int32_t nd = m->roots[c];
			while (m->nodes[nd].f >= 0)
				nd = x[m->nodes[nd].f] <= m->nodes[nd].t ?
				    m->nodes[nd].l :
				    m->nodes[nd].r;
			r += m->nodes[nd].p;
		}
		return r / (double)m->nC;
	default:
		BUG("bag kind %d", m->kind);
	}
	return 0;
}

static void
rp_bag_score_cb(void *u, size_t pos, struct rp_slide *sl,
    const struct rp_seq *s, size_t from)
{
	struct rp_scorer *sc = u;
	size_t n = rp_slide_ents(sl, s, from, pos), j;
	struct rp_wset *ca = &sc->cache;

	if (ca->nslot > 0)
		for (j = sl->h & (ca->nslot - 1); ca->slot[j];
		     j = (j + 1) & (ca->nslot - 1)) {
			const struct rp_win *w = &ca->v[ca->slot[j] - 1];
			if (w->h == sl->h &&
			    rp_ent_eq(ca->ent + w->off, w->len, sl->e, n)) {
				sc->out[pos] = w->wt[0];
				return;
			}
		}
	if (ca->n >= 262144)
		rp_wset_free(ca);
	sc->out[pos] = rp_window_score(sc, sl->e, n);
	rp_wset_add(ca, sl->h, sl->e, n, 0, sc->out[pos]);
}

static void
rp_bag_score(const struct rp_det *d, const struct rp_seq *s, double *out)
{
	const struct rp_bag *m = d->impl;
	struct rp_scorer sc;
	struct rp_slide sl;
	size_t i;

	memset(&sc, 0, sizeof(sc));
	sc.m = m;
	sc.out = out;
	sc.x = xcalloc(m->D, sizeof(double));
	sc.p = xcalloc(m->D, sizeof(double));
	sc.h = xcalloc(m->hidden + 1, sizeof(double));
	sc.o = xcalloc(m->D, sizeof(double));
	sc.best = xcalloc(m->k + 1, sizeof(float));
	sc.nz = xcalloc(m->D + 1, sizeof(uint32_t));
	for (i = 0; i < s->n; i++)
		out[i] = NAN;
	rp_slide_init(&sl, m->w);
	rp_slide_walk(&sl, s, m->stride, rp_bag_score_cb, &sc);
	rp_slide_release(&sl);
	rp_wset_free(&sc.cache);
	free(sc.x);
	free(sc.p);
	free(sc.h);
	free(sc.o);
	free(sc.best);
	free(sc.nz);
}

static void
rp_bag_free(struct rp_det *d)
{
	struct rp_bag *m = d->impl;

	rp_vocab_release(&m->voc);
	free(m->X);
	free(m->norm2);
	free(m->C);
	free(m->c2);
	free(m->mean);
	free(m->idf);
	free(m->W1);
	free(m->b1);
	free(m->W2);
	free(m->b2);
	free(m->nodes);
	free(m->roots);
	free(m);
	d->impl = NULL;
}

#define RP_BAG_OPS(var, nm, sum, prm, ini, sup)                  \
	const struct rp_det_ops var = {                          \
		.name = nm,                                      \
		.summary = sum,                                  \
		.params = prm,                                   \
		.init = ini,                                     \
		.part_new = rp_bag_part_new,                     \
		.train = rp_bag_train,                           \
		.merge = rp_bag_merge,                           \
		.fit = rp_bag_fit,                               \
		.score = rp_bag_score,                           \
		.free = rp_bag_free,                             \
		.supervised = sup,                               \
	}

RP_BAG_OPS(rp_det_knn, "knn",
    "bag of syscalls: mean distance to the k nearest training windows",
    rp_knn_params, rp_knn_init, false);
RP_BAG_OPS(rp_det_kmeans, "kmeans",
    "bag of syscalls: distance to the nearest of k centroids",
    rp_kmeans_params, rp_kmeans_init, false);
RP_BAG_OPS(rp_det_som, "som",
    "bag of syscalls: distance to a self-organising map's best unit",
    rp_som_params, rp_som_init, false);
RP_BAG_OPS(rp_det_pcaknn, "pcaknn",
    "bag of syscalls: PCA, then k-nearest-neighbour distance",
    rp_pcaknn_params, rp_pcaknn_init, false);
RP_BAG_OPS(rp_det_tfidf, "tfidf",
    "TF-IDF windows: 1 - cosine similarity to the nearest training window",
    rp_tfidf_params, rp_tfidf_init, false);
RP_BAG_OPS(rp_det_ae, "ae",
    "bag of syscalls: autoencoder reconstruction error",
    rp_ae_params, rp_ae_init, false);
RP_BAG_OPS(rp_det_tree, "tree",
    "supervised: decision tree over windows (attack fraction at the leaf)",
    rp_tree_params, rp_tree_init, true);
RP_BAG_OPS(rp_det_forest, "forest",
    "supervised: random forest over windows (mean attack fraction)",
    rp_forest_params, rp_forest_init, true);
RP_BAG_OPS(rp_det_mlp, "mlp",
    "supervised: one-hidden-layer classifier over windows, P(attack)",
    rp_mlp_params, rp_mlp_init, true);
