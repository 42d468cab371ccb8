/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rp-det.c: the detector registry, "name:key=value,..." specs, and what
 * detectors share (canonical vocabularies, a seeded generator).
 */
#include "core/common.h"

#include <math.h>
#include <pthread.h>

#include "core/dderr.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "datasets/replay/replay.h"

extern const struct rp_det_ops rp_det_stide, rp_det_markov;
extern const struct rp_det_ops rp_det_knn, rp_det_kmeans, rp_det_som;
extern const struct rp_det_ops rp_det_pcaknn, rp_det_tfidf, rp_det_ae;
extern const struct rp_det_ops rp_det_tree, rp_det_forest, rp_det_mlp;

const struct rp_det_ops *const rp_detectors[] = {
	&rp_det_stide,
	&rp_det_markov,
	&rp_det_knn,
	&rp_det_kmeans,
	&rp_det_som,
	&rp_det_pcaknn,
	&rp_det_tfidf,
	&rp_det_ae,
	&rp_det_tree,
	&rp_det_forest,
	&rp_det_mlp,
	NULL,
};

void
rp_det_release(struct rp_det *d)
{
	size_t i;

	if (d->ops != NULL && d->ops->free != NULL && d->impl != NULL)
		d->ops->free(d);
	for (i = 0; i < d->nparams; i++)
		free((char *)d->val[i]);
	memset(d, 0, sizeof(*d));
}

int
rp_det_parse(struct rp_det *d, const char *spec, struct dd_err *e)
{
	const char *colon = strchr(spec, ':');
	size_t nl = colon ? (size_t)(colon - spec) : strlen(spec), i;
	char *rest, *tok, *save = NULL;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	for (i = 0; rp_detectors[i] != NULL; i++)
		if (strlen(rp_detectors[i]->name) == nl &&
		    strncmp(rp_detectors[i]->name, spec, nl) == 0)
			break;
	if (rp_detectors[i] == NULL)
		return dd_err_set(e, DD_EUSAGE,
		    "unknown detector '%.*s' (drydock replay --list-detectors)",
		    (int)nl, spec);
	d->ops = rp_detectors[i];
	for (i = 0; d->ops->params[i].key != NULL; i++)
		d->val[i] = xstrdup(d->ops->params[i].def);
	d->nparams = i;
	if (colon == NULL)
		goto init;
	rest = xstrdup(colon + 1);
	for (tok = strtok_r(rest, ",", &save); tok != NULL && rc == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		if (eq == NULL) {
			rc = dd_err_set(e, DD_EUSAGE,
			    "detector parameter '%s' is not key=value", tok);
			break;
		}
		*eq = '\0';
		for (i = 0; i < d->nparams; i++)
			if (strcmp(d->ops->params[i].key, tok) == 0)
				break;
		if (i == d->nparams) {
			rc = dd_err_set(e, DD_EUSAGE,
			    "detector %s has no parameter '%s'", d->ops->name,
			    tok);
			break;
		}
		free((char *)d->val[i]);
		d->val[i] = xstrdup(eq + 1);
	}
	free(rest);
	if (rc < 0)
		return rc;
init:
	return d->ops->init(d, e);
}

static const char *
rp_det_val(const struct rp_det *d, const char *key)
{
	size_t i;

	for (i = 0; i < d->nparams; i++)
		if (strcmp(d->ops->params[i].key, key) == 0)
			return d->val[i];
	BUG("detector %s has no parameter %s", d->ops->name, key);
	return NULL;
}

int
rp_det_int(const struct rp_det *d, const char *key, long lo, long hi,
    long *out, struct dd_err *e)
{
	const char *s = rp_det_val(d, key);
	int64_t v;

	if (!parse_i64(s, &v) || v < lo || v > hi)
		return dd_err_set(e, DD_EUSAGE,
		    "%s: %s=%s is not a whole number from %ld to %ld",
		    d->ops->name, key, s, lo, hi);
	*out = (long)v;
	return 0;
}

int
rp_det_real(const struct rp_det *d, const char *key, double lo, double hi,
    double *out, struct dd_err *e)
{
	const char *s = rp_det_val(d, key);
	char *end;
	double v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || !(v >= lo && v <= hi))
		return dd_err_set(e, DD_EUSAGE,
		    "%s: %s=%s is not a number from %g to %g", d->ops->name,
		    key, s, lo, hi);
	*out = v;
	return 0;
}

bool
rp_det_bool(const struct rp_det *d, const char *key)
{
	const char *s = rp_det_val(d, key);

	return strcmp(s, "1") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "yes") == 0 || strcmp(s, "on") == 0;
}

void
rp_vocab_build(struct rp_vocab *v, const uint8_t *seen)
{
	size_t id;

	v->dim = xmalloc((RP_ID_MAX + 1) * sizeof(*v->dim));
	v->ndims = 0;
	for (id = 0; id < RP_ID_UNK; id++)
		if (seen[id])
			v->dim[id] = (uint16_t)v->ndims++;
	for (id = 0; id <= RP_ID_MAX; id++)
		if (!seen[id] || id == RP_ID_UNK)
			v->dim[id] = (uint16_t)v->ndims;
	v->ndims++; /* the unseen dimension */
}

void
rp_vocab_release(struct rp_vocab *v)
{
	free(v->dim);
	memset(v, 0, sizeof(*v));
}

/* A call's blocks, cut into one contiguous range per thread: a thread
 * takes its own range first (the same blocks every call, so a fit's
 * epochs find their rows in that core's cache: taken at random, the
 * helper's blocks were a third slower), then what is left of the others. */
#define RP_PAR_MAX 64
struct rp_par {
	void (*fn)(void *ctx, size_t b);
	void *ctx;
	unsigned n;			/* threads (ranges) */
	size_t cur[RP_PAR_MAX];		/* next block of each range (atomic) */
	size_t hi[RP_PAR_MAX];		/* its end */
};

static void
rp_par_run(struct rp_par *p, unsigned t)
{
	unsigned k;
	size_t b;

	for (k = 0; k < p->n; k++) {
		unsigned r = (t + k) % p->n;
		while ((b = __atomic_fetch_add(&p->cur[r], 1,
			    __ATOMIC_RELAXED)) < p->hi[r])
			p->fn(p->ctx, b);
	}
}

/* Helper threads kept for the process: a fit calls rp_parallel dozens of
 * times (an epoch each), and a thread started per call cost more than a
 * k-means epoch's work. One call at a time uses them (busy); a call made
 * while another runs does its blocks itself. */
static struct {
	pthread_mutex_t busy;	/* held by the call using the helpers */
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned nth;		/* helpers started */
	struct rp_par *job;	/* the call's blocks, or NULL */
	unsigned want;		/* helpers to take part in it */
	unsigned claimed;	/* of them that have */
	unsigned left;		/* of them not yet finished */
} rp_pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
	PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, NULL, 0, 0, 0 };

static void *
rp_pool_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&rp_pool.mu);
	for (;;) {
		struct rp_par *p;
		unsigned t;
		while (rp_pool.job == NULL || rp_pool.claimed == rp_pool.want)
			pthread_cond_wait(&rp_pool.go, &rp_pool.mu);
		t = ++rp_pool.claimed; /* its range: 1..want */
		p = rp_pool.job;
		pthread_mutex_unlock(&rp_pool.mu);
		rp_par_run(p, t);
		pthread_mutex_lock(&rp_pool.mu);
		if (--rp_pool.left == 0)
			pthread_cond_signal(&rp_pool.done);
	}
	return NULL;
}

void
rp_parallel(unsigned jobs, size_t nblocks, void (*fn)(void *ctx, size_t b),
    void *ctx)
{
	struct rp_par p;
	unsigned n = jobs < 1 ? 1 : jobs > RP_PAR_MAX ? RP_PAR_MAX : jobs, i;

	if (n > nblocks)
		n = nblocks > 0 ? (unsigned)nblocks : 1;
	if (n > 1 && pthread_mutex_trylock(&rp_pool.busy) != 0)
		n = 1; /* another call has the helpers */
	p.fn = fn;
	p.ctx = ctx;
	p.n = n;
	for (i = 0; i < n; i++) {
		p.cur[i] = nblocks * i / n;
		p.hi[i] = nblocks * (i + 1) / n;
	}
	if (n <= 1) {
		rp_par_run(&p, 0);
		return;
	}
	pthread_mutex_lock(&rp_pool.mu);
	while (rp_pool.nth < n - 1) {
		pthread_t th;
		pthread_attr_t at;
		pthread_attr_init(&at);
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&th, &at, rp_pool_main, NULL) != 0)
			BUG("pthread_create failed");
		pthread_attr_destroy(&at);
		rp_pool.nth++;
	}
	rp_pool.job = &p;
	rp_pool.want = n - 1;
	rp_pool.claimed = 0;
	rp_pool.left = n - 1;
	pthread_cond_broadcast(&rp_pool.go);
	pthread_mutex_unlock(&rp_pool.mu);
	rp_par_run(&p, 0);
	pthread_mutex_lock(&rp_pool.mu);
	while (rp_pool.left > 0)
		pthread_cond_wait(&rp_pool.done, &rp_pool.mu);
	rp_pool.job = NULL;
	pthread_mutex_unlock(&rp_pool.mu);
	pthread_mutex_unlock(&rp_pool.busy);
}

uint64_t
rp_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double
rp_rand01(uint64_t *state)
{
	return (double)(rp_rand(state) >> 11) * (1.0 / 9007199254740992.0);
}
