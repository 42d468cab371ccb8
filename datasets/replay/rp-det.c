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

struct rp_par {
	void (*fn)(void *ctx, size_t b);
	void *ctx;
	size_t n, next;
};

static void *
rp_par_run(void *arg)
{
	struct rp_par *p = arg;
	size_t b;

	while ((b = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED)) < p->n)
		p->fn(p->ctx, b);
	return NULL;
}

void
rp_parallel(unsigned jobs, size_t nblocks, void (*fn)(void *ctx, size_t b),
    void *ctx)
{
	struct rp_par p = { fn, ctx, nblocks, 0 };
	pthread_t th[64];
	unsigned i, n = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;

	if (n > nblocks)
		n = nblocks > 0 ? (unsigned)nblocks : 1;
	for (i = 1; i < n; i++)
		if (pthread_create(&th[i], NULL, rp_par_run, &p) != 0)
			BUG("pthread_create failed");
	rp_par_run(&p);
	for (i = 1; i < n; i++)
		pthread_join(th[i], NULL);
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
