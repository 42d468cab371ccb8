/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-escape.c: container-escape indicators, kernel-exploit signs,
 * resource abuse and escape chains, from syscall events, with rules that
 * are data.
 *
 * Rules are YAML files in Falco's rules format (lists, macros, rules with
 * condition, output, priority, tags, enabled, append, exceptions) read
 * from the shipped directory analyzers/rules/escape and every directory
 * DRYDOCK_ESCAPE_RULES names (rulesdir.h), plus drydock's own keys:
 *   rule:      id (the finding's dotted rule id; Falco rules without one
 *              get "falco.<slug of the name>"), severity (over priority),
 *              attack (ATT&CK ids; tags that look like T1234 count too),
 *              failed: lower | same | ignore (what a failed attempt,
 *              ret < 0, becomes: one severity step lower by default)
 *   sequence:  an ordered chain of steps (rule ids or conditions) by
 *              container or process within a time window; a step with
 *              where: other matches outside the chain's container
 *   threshold: a count (or the sum of evt.rawres) of matching events by
 *              container or process within a sliding window
 *   resource:  a metric of the resources relation (LID-DS .res samples)
 *              at or above a minimum for a duration
 * See analyzers/rules/escape/README.md for the language and the fields.
 *
 * Conditions (evcond.h) are compiled once and evaluated in the
 * dispatcher's single pass over events (ORDER BY ts, id); each rule is
 * indexed by the syscall names its condition requires, so an event is
 * checked only against the rules that can match it. Matches are grouped
 * into findings by (rule, outcome, container, command, file or address):
 * the first event is the primary evidence, up to ESC_EVIDENCE more are
 * listed, the count and time span are in the detail. Memory is bounded:
 * at most ESC_GROUPS groups, ESC_KEYS sequence or threshold states per
 * rule; beyond them matches are counted, not kept, and the detail says so.
 */
#include "core/common.h"

#include <ctype.h>
#include <jansson.h>
#include <yaml.h>

#include "analyzers/analyzer.h"
#include "analyzers/evcond.h"
#include "analyzers/rulesdir.h"
#include "core/arena.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "core/yamljson.h"

#define ESC_ENV "DRYDOCK_ESCAPE_RULES"
#define ESC_RULEFILE_MAX ((size_t)4 << 20)
#define ESC_YAML_DEPTH 32
#define ESC_YAML_NODES 200000u
#define ESC_EVIDENCE 8
#define ESC_GROUPS 100000u
#define ESC_KEYS 65536u
#define ESC_STEPS 16
#define ESC_BUCKETS 32
#define ESC_THREADS ((size_t)1 << 20) /* credential table slots */

/* ---- a small open-addressing map: 64-bit hash + optional string key */

struct esc_map {
	uint64_t *h;
	const char **k;
	void **v;
	size_t cap, n;
};

static void
esc_map_free(struct esc_map *m)
{
	free(m->h);
	free(m->k);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static void **
esc_map_slot(struct esc_map *m, uint64_t h, const char *k, bool add);

static void
esc_map_grow(struct esc_map *m)
{
	struct esc_map old = *m;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->h = xcalloc(m->cap, sizeof(*m->h));
	m->k = xcalloc(m->cap, sizeof(*m->k));
	m->v = xcalloc(m->cap, sizeof(*m->v));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.v[i] != NULL)
			*esc_map_slot(m, old.h[i], old.k[i], true) = old.v[i];
	esc_map_free(&old);
}

/* The slot for (h, k): NULL when absent and !add. A new slot holds NULL
 * and must be filled by the caller. */
static void **
esc_map_slot(struct esc_map *m, uint64_t h, const char *k, bool add)
{
	size_t i;

	if (m->cap == 0) {
		if (!add)
			return NULL;
		esc_map_grow(m);
	}
	h |= 1; /* 0 marks an empty slot */
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->h[i] == 0)
			break;
		if (m->h[i] == h && (k == NULL || strcmp(m->k[i], k) == 0))
			return &m->v[i];
	}
	if (!add)
		return NULL;
	if ((m->n + 1) * 4 > m->cap * 3) {
		esc_map_grow(m);
		return esc_map_slot(m, h, k, true);
	}
	m->h[i] = h;
	m->k[i] = k;
	m->n++;
	return &m->v[i];
}

static uint64_t
esc_hash_str(const char *s)
{
	return hash64(0x65736361, s, strlen(s));
}

/* ---- rules ---- */

enum { FAILED_LOWER, FAILED_SAME, FAILED_IGNORE };
enum { BY_CONTAINER, BY_PROCESS };

struct esc_rule {
	const char *id, *title, *desc, *output, *file;
	enum finding_sev sev;
	int failed;
	const char **attack;
	size_t nattack;
	char *cond_text;	/* with appends and exceptions */
	struct evc *cond;
	bool enabled;
	bool report;		/* false: a sequence step only */
	size_t ngroups;		/* findings so far */
	uint64_t dropped;	/* matches beyond ESC_GROUPS */
};

struct esc_step {
	const struct esc_rule *rule; /* by rule id, or */
	struct evc *cond;	     /* an inline condition */
	const char *text;	     /* its text (details) */
	bool other;		     /* where: other */
};

struct esc_state {
	int step;		/* steps matched so far */
	int64_t start_ts;
	int64_t ev[ESC_STEPS];
	int64_t ts[ESC_STEPS];
	const char *key;	/* the container or process key */
	const char *cid;
	bool waiting_other;
	uint64_t done;		/* completed chains */
	/* threshold buckets */
	int64_t bidx[ESC_BUCKETS];
	int64_t bval[ESC_BUCKETS];
	int64_t first_ev, first_ts, peak, total, cross_ev, cross_ts;
	bool crossed;
};

struct esc_seq {
	const char *id, *title, *desc, *file;
	enum finding_sev sev;
	const char **attack;
	size_t nattack;
	int by;
	int64_t within;
	/* sequence */
	struct esc_step *steps;
	size_t nsteps;
	/* threshold */
	bool is_threshold;
	struct evc *cond;
	int64_t count;		/* threshold: at least this */
	bool sum;		/* sum evt.rawres instead of counting */
	struct esc_map states;
	struct esc_state **waiting; /* states whose next step is "other" */
	size_t nwaiting, await;
	uint64_t dropped;
};

/* A resource rule: a metric of the resources relation at or above min
 * for at least a duration (consecutive samples). */
struct esc_res {
	const char *id, *title, *desc, *metric, *file;
	enum finding_sev sev;
	const char **attack;
	size_t nattack;
	double min;
	int64_t dur;
};

/* The credential check (a `credential` item; one per rule set, the last
 * loaded wins): a thread's effective uid, as the events report it, that
 * changes with no call of explained_by since the thread's previous
 * report. */
struct esc_cred {
	const char *id, *title, *desc, *file;
	enum finding_sev sev;	/* gaining uid 0; other changes one lower */
	const char **attack;
	size_t nattack;
	const char **explain;	/* syscall names */
	size_t nexplain;
};

/* A thread's last reported uid. */
struct esc_thr {
	int64_t art, tid;	/* tid 0: free slot */
	int64_t uid, ev, ts;
	bool explained;		/* an explaining call since ev */
};

/* One unexplained change (grouped by artifact, pid, old and new uid). */
struct esc_credhit {
	int64_t art, pid, tid, olduid, newuid, ev0, ev1, ts0, ts1;
	const char *cid, *comm;
	uint64_t count;
};

/* One finding being built from matches. */
struct esc_group {
	const struct esc_rule *rule;
	bool failed;
	const char *errname, *cid, *title, *detail;
	int64_t ev[ESC_EVIDENCE];
	size_t nev;
	int64_t first_ts, last_ts;
	uint64_t count;
};

/* Process rows for the resolver. */
struct esc_proc {
	int64_t id, artifact_id, pid, ppid, start_ts;
	const char *comm, *exe, *args, *cid;
};

struct esc_ctr {
	const char *name, *image;
	int privileged;
};

struct esc_state_all {
	struct arena *a;
	struct evc_defs *defs;
	struct esc_rule *rules;
	size_t nrules;
	struct esc_seq *seqs;
	size_t nseqs;
	struct esc_res *res;
	size_t nres;
	struct esc_cred *cred;	/* NULL: no credential item */
	struct esc_thr *thr;	/* open addressing by (artifact, tid) */
	size_t nthr, athr;
	uint64_t thr_dropped;
	struct esc_credhit *hits;
	size_t nhits, ahits;
	uint64_t hits_dropped;
	/* prefilter: syscall name -> rules (NULL-terminated arrays) */
	struct esc_map bytype;
	const struct esc_rule **anytype;
	size_t nany;
	/* groups */
	struct esc_map groups;
	struct esc_group **glist;
	size_t nglist, aglist;
	/* resolver */
	struct esc_proc *procs;	/* sorted by (artifact, pid, start) */
	size_t nprocs;
	struct esc_map procbyid;
	struct esc_map ctrs;
	/* per event scratch */
	const struct esc_rule **matched;
	size_t nmatched;
	struct sbuf key;
	uint64_t events;
};

/* ---- loading ---- */

static bool
esc_want(const char *name)
{
	return rulefiles_suffix(name, ".yaml") ||
	    rulefiles_suffix(name, ".yml");
}

static const char *
esc_jstr(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool
esc_sev_of(json_t *o, enum finding_sev *out)
{
	static const struct {
		const char *p;
		enum finding_sev s;
	} pri[] = {
		{ "emergency", SEV_CRITICAL }, { "alert", SEV_CRITICAL },
		{ "critical", SEV_CRITICAL }, { "error", SEV_HIGH },
		{ "warning", SEV_MEDIUM }, { "notice", SEV_LOW },
		{ "informational", SEV_INFO }, { "info", SEV_INFO },
		{ "debug", SEV_INFO },
	};
	const char *s = esc_jstr(o, "severity"), *p;

	if (s != NULL)
		return finding_sev_parse(s, out);
	*out = SEV_MEDIUM;
	if ((p = esc_jstr(o, "priority")) == NULL)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(pri); i++)
		if (strcasecmp(p, pri[i].p) == 0) {
			*out = pri[i].s;
			return true;
		}
	return false;
}

static bool
esc_is_attack_id(const char *s)
{
	size_t n = strlen(s);

	if (n < 5 || s[0] != 'T')
		return false;
	for (size_t i = 1; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	if (n == 5)
		return true;
	return n == 9 && s[5] == '.' && isdigit((unsigned char)s[6]) &&
	    isdigit((unsigned char)s[7]) && isdigit((unsigned char)s[8]);
}

/* ATT&CK ids from attack: (list or comma text) and tags. */
static void
esc_attack_of(struct arena *a, json_t *o, const char ***out, size_t *n)
{
	const char *tmp[32];
	size_t k = 0, i;
	json_t *v;

	v = json_object_get(o, "attack");
	if (json_is_string(v))
		k = finding_attack_split(a, json_string_value(v), tmp, 32);
	json_array_foreach(json_object_get(o, "attack"), i, v) {
		if (json_is_string(v) && k < 32)
			tmp[k++] = arena_strdup(a, json_string_value(v));
	}
	json_array_foreach(json_object_get(o, "tags"), i, v) {
		const char *t = json_string_value(v);
		bool dup = false;
		if (t == NULL || !esc_is_attack_id(t) || k >= 32)
			continue;
		for (size_t j = 0; j < k; j++)
			dup |= strcmp(tmp[j], t) == 0;
		if (!dup)
			tmp[k++] = arena_strdup(a, t);
	}
	*out = arena_alloc(a, (k + 1) * sizeof(**out));
	memcpy(*out, tmp, k * sizeof(**out));
	*n = k;
}

/* "falco." + the rule name in lower case, runs of other characters as
 * one '_'. */
static const char *
esc_slug(struct arena *a, const char *name)
{
	struct sbuf b = SBUF_INIT;
	bool us = false;
	const char *r;

	sbuf_addstr(&b, "falco.");
	for (const char *p = name; *p != '\0'; p++) {
		if (isalnum((unsigned char)*p)) {
			if (us && b.len > 6)
				sbuf_addch(&b, '_');
			us = false;
			sbuf_addch(&b, tolower((unsigned char)*p));
		} else {
			us = true;
		}
	}
	r = arena_strdup(a, b.buf);
	sbuf_release(&b);
	return r;
}

/* A quoted condition value. */
static void
esc_quote(struct sbuf *b, const char *s)
{
	sbuf_addch(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			sbuf_addch(b, '\\');
		sbuf_addch(b, *s);
	}
	sbuf_addch(b, '"');
}

/* A value of an exception: a list for in/pmatch, else one value. */
static int
esc_exc_value(struct sbuf *b, json_t *v, const char *comp, struct dd_err *e)
{
	bool set = strcmp(comp, "in") == 0 || strcmp(comp, "pmatch") == 0 ||
	    strcmp(comp, "intersects") == 0;
	size_t i;
	json_t *x;

	if (set) {
		sbuf_addch(b, '(');
		if (json_is_array(v)) {
			json_array_foreach(v, i, x) {
				if (!json_is_string(x) && !json_is_integer(x))
					return dd_err_set(e, DD_EFORMAT,
					    "exception values are strings");
				if (i > 0)
					sbuf_addstr(b, ", ");
				if (json_is_string(x))
					esc_quote(b, json_string_value(x));
				else
					sbuf_addf(b, "%" JSON_INTEGER_FORMAT,
					    json_integer_value(x));
			}
		} else if (json_is_string(v)) {
			sbuf_addstr(b, json_string_value(v)); /* a list */
		}
		sbuf_addch(b, ')');
		return 0;
	}
	if (json_is_string(v))
		esc_quote(b, json_string_value(v));
	else if (json_is_integer(v))
		sbuf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_boolean(v))
		sbuf_addstr(b, json_is_true(v) ? "true" : "false");
	else
		return dd_err_set(e, DD_EFORMAT, "an exception value is not "
		    "a string");
	return 0;
}

/* Falco exceptions as "and not (...)" appended to the condition. */
static int
esc_exceptions(struct sbuf *b, json_t *exc, struct dd_err *e)
{
	size_t i, j, k;
	json_t *x, *vals, *tuple;

	json_array_foreach(exc, i, x) {
		json_t *fields = json_object_get(x, "fields");
		json_t *comps = json_object_get(x, "comps");
		bool one = json_is_string(fields);
		size_t nf = one ? 1 : json_array_size(fields);

		vals = json_object_get(x, "values");
		if (nf == 0 || json_array_size(vals) == 0)
			continue;
		json_array_foreach(vals, j, tuple) {
			sbuf_addstr(b, " and not (");
			for (k = 0; k < nf; k++) {
				json_t *f = one ? fields :
				    json_array_get(fields, k);
				json_t *c = json_is_string(comps) ? comps :
				    json_array_get(comps, k);
				json_t *v = one ? tuple :
				    json_array_get(tuple, k);
				const char *comp = json_is_string(c) ?
				    json_string_value(c) : "=";
				if (!json_is_string(f) || v == NULL)
					return dd_err_set(e, DD_EFORMAT,
					    "exception '%s': fields and values "
					    "do not match",
					    esc_jstr(x, "name") ?
					    esc_jstr(x, "name") : "?");
				if (k > 0)
					sbuf_addstr(b, " and ");
				sbuf_addf(b, "%s %s ", json_string_value(f),
				    comp);
				if (esc_exc_value(b, v, comp, e) < 0)
					return e->code;
			}
			sbuf_addch(b, ')');
		}
	}
	return 0;
}

static struct esc_rule *
esc_rule_find(struct esc_state_all *st, const char *key, bool by_title)
{
	for (size_t i = 0; i < st->nrules; i++)
		if (strcmp(by_title ? st->rules[i].title : st->rules[i].id,
			key) == 0)
			return &st->rules[i];
	return NULL;
}

/* Parse "60s", "500ms", "2m", "1h", "10" (seconds) as ns. */
static bool
esc_duration(json_t *v, int64_t *ns)
{
	const char *s;
	char *end;
	double d;

	if (json_is_integer(v)) {
		*ns = (int64_t)json_integer_value(v) * 1000000000;
		return json_integer_value(v) > 0 &&
		    json_integer_value(v) < 86400 * 366;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	d = strtod(s, &end);
	if (end == s || !(d > 0) || d > 86400.0 * 366)
		return false;
	if (strcmp(end, "ms") == 0)
		d /= 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		d *= 60;
	else if (strcmp(end, "h") == 0)
		d *= 3600;
	else if (*end != '\0' && strcmp(end, "s") != 0)
		return false;
	*ns = (int64_t)(d * 1e9);
	return *ns > 0;
}

/* Pass 1: lists and macros, in file order. */
static int
esc_load_defs(struct esc_state_all *st, json_t *doc, const char *file,
    struct dd_err *e)
{
	size_t i;
	json_t *o;

	json_array_foreach(doc, i, o) {
		const char *name;
		bool append = json_is_true(json_object_get(o, "append"));
		int rc = 0;

		if ((name = esc_jstr(o, "list")) != NULL) {
			json_t *items = json_object_get(o, "items"), *it;
			const char **v;
			size_t k, n = 0;
			if (!json_is_array(items))
				return dd_err_set(e, DD_EFORMAT, "%s: list '%s':"
				    " items is not a list", file, name);
			v = xcalloc(json_array_size(items) + 1, sizeof(*v));
			json_array_foreach(items, k, it) {
				char *num = NULL;
				if (json_is_string(it))
					v[n++] = json_string_value(it);
				else if (json_is_integer(it)) {
					num = arena_printf(st->a, "%"
					    JSON_INTEGER_FORMAT,
					    json_integer_value(it));
					v[n++] = num;
				}
			}
			rc = evc_defs_list(st->defs, name, v, n, append, e);
			free(v);
		} else if ((name = esc_jstr(o, "macro")) != NULL) {
			const char *c = esc_jstr(o, "condition");
			if (c == NULL)
				return dd_err_set(e, DD_EFORMAT, "%s: macro '%s'"
				    " has no condition", file, name);
			rc = evc_defs_macro(st->defs, name, c, append, e);
		}
		if (rc < 0)
			return dd_err_prefix(e, "%s", file);
	}
	return 0;
}

static int
esc_load_rule(struct esc_state_all *st, json_t *o, const char *name,
    const char *file, struct dd_err *e)
{
	const char *src = esc_jstr(o, "source"), *c, *f;
	json_t *en = json_object_get(o, "enabled");
	struct esc_rule *r = esc_rule_find(st, name, true);
	struct sbuf b = SBUF_INIT;
	json_t *ov = json_object_get(o, "override");

	if (src != NULL && strcmp(src, "syscall") != 0)
		return 0; /* k8s_audit, plugins: other evidence */
	c = esc_jstr(o, "condition");
	if (json_is_true(json_object_get(o, "append")) || ov != NULL) {
		const char *how = ov ? esc_jstr(ov, "condition") : "append";
		if (r == NULL)
			return dd_err_set(e, DD_EFORMAT, "%s: rule '%s': append "
			    "or override of a rule not defined before", file,
			    name);
		if (ov != NULL && json_object_size(ov) > 0 && how == NULL &&
		    json_object_get(ov, "exceptions") == NULL &&
		    json_object_get(ov, "enabled") == NULL)
			return dd_err_set(e, DD_EFORMAT, "%s: rule '%s': only "
			    "condition and exceptions overrides are supported",
			    file, name);
		if (c != NULL && how != NULL && strcmp(how, "replace") == 0)
			r->cond_text = arena_strdup(st->a, c);
		else if (c != NULL)
			r->cond_text = arena_printf(st->a, "%s %s",
			    r->cond_text, c);
		sbuf_addstr(&b, r->cond_text);
		if (esc_exceptions(&b, json_object_get(o, "exceptions"), e) <
		    0) {
			sbuf_release(&b);
			return dd_err_prefix(e, "%s: rule '%s'", file, name);
		}
		r->cond_text = arena_strdup(st->a, b.buf);
		sbuf_release(&b);
		if (json_is_boolean(en))
			r->enabled = json_is_true(en);
		return 0;
	}
	if (c == NULL) {
		if (r != NULL && json_is_boolean(en)) { /* enabled: false */
			r->enabled = json_is_true(en);
			return 0;
		}
		return dd_err_set(e, DD_EFORMAT, "%s: rule '%s' has no "
		    "condition", file, name);
	}
	if (r == NULL) {
		st->rules = xreallocarray(st->rules, st->nrules + 1,
		    sizeof(*st->rules));
		r = &st->rules[st->nrules++];
	}
	memset(r, 0, sizeof(*r));
	r->title = arena_strdup(st->a, name);
	r->id = (f = esc_jstr(o, "id")) != NULL ? arena_strdup(st->a, f) :
	    esc_slug(st->a, name);
	r->desc = arena_strdup(st->a, esc_jstr(o, "desc") ?
	    esc_jstr(o, "desc") : "");
	r->output = arena_strdup(st->a, esc_jstr(o, "output") ?
	    esc_jstr(o, "output") : "");
	r->file = file;
	r->enabled = !json_is_false(en);
	r->report = !json_is_false(json_object_get(o, "report"));
	if (!esc_sev_of(o, &r->sev))
		return dd_err_set(e, DD_EFORMAT, "%s: rule '%s': unknown "
		    "severity or priority", file, name);
	f = esc_jstr(o, "failed");
	r->failed = f == NULL || strcmp(f, "lower") == 0 ? FAILED_LOWER :
	    strcmp(f, "same") == 0 ? FAILED_SAME : strcmp(f, "ignore") == 0 ?
	    FAILED_IGNORE : -1;
	if (r->failed < 0)
		return dd_err_set(e, DD_EFORMAT, "%s: rule '%s': failed is "
		    "lower, same or ignore", file, name);
	esc_attack_of(st->a, o, &r->attack, &r->nattack);
	sbuf_addstr(&b, "(");
	sbuf_addstr(&b, c);
	sbuf_addstr(&b, ")");
	if (esc_exceptions(&b, json_object_get(o, "exceptions"), e) < 0) {
		sbuf_release(&b);
		return dd_err_prefix(e, "%s: rule '%s'", file, name);
	}
	r->cond_text = arena_strdup(st->a, b.buf);
	sbuf_release(&b);
	return 0;
}

static int
esc_load_seq(struct esc_state_all *st, json_t *o, const char *id,
    bool threshold, const char *file, struct dd_err *e)
{
	struct esc_seq *q;
	const char *by = esc_jstr(o, "by"), *t;
	json_t *steps = json_object_get(o, "steps"), *s;
	size_t i;

	if (json_is_false(json_object_get(o, "enabled")))
		return 0;
	st->seqs = xreallocarray(st->seqs, st->nseqs + 1, sizeof(*st->seqs));
	q = &st->seqs[st->nseqs++];
	memset(q, 0, sizeof(*q));
	q->id = arena_strdup(st->a, id);
	q->file = file;
	q->is_threshold = threshold;
	t = esc_jstr(o, "rule");
	q->title = arena_strdup(st->a, t ? t : id);
	q->desc = arena_strdup(st->a, esc_jstr(o, "desc") ?
	    esc_jstr(o, "desc") : "");
	if (!esc_sev_of(o, &q->sev))
		return dd_err_set(e, DD_EFORMAT, "%s: '%s': unknown severity",
		    file, id);
	esc_attack_of(st->a, o, &q->attack, &q->nattack);
	q->by = by == NULL || strcmp(by, "container") == 0 ? BY_CONTAINER :
	    strcmp(by, "process") == 0 ? BY_PROCESS : -1;
	if (q->by < 0)
		return dd_err_set(e, DD_EFORMAT, "%s: '%s': by is container "
		    "or process", file, id);
	if (!esc_duration(json_object_get(o, "within"), &q->within))
		return dd_err_set(e, DD_EFORMAT, "%s: '%s': within needs a "
		    "duration (\"60s\", \"500ms\", \"2m\")", file, id);
	if (threshold) {
		json_t *cnt = json_object_get(o, "count");
		json_t *sum = json_object_get(o, "sum");
		if ((t = esc_jstr(o, "condition")) == NULL)
			return dd_err_set(e, DD_EFORMAT, "%s: threshold '%s' "
			    "has no condition", file, id);
		if (evc_compile(st->defs, t, &q->cond, e) < 0)
			return dd_err_prefix(e, "%s: threshold '%s'", file,
			    id);
		if (json_is_integer(sum)) {
			q->sum = true;
			q->count = json_integer_value(sum);
		} else if (json_is_integer(cnt)) {
			q->count = json_integer_value(cnt);
		}
		if (q->count < 1)
			return dd_err_set(e, DD_EFORMAT, "%s: threshold '%s' "
			    "needs count: N or sum: BYTES (positive)", file,
			    id);
		return 0;
	}
	if (!json_is_array(steps) || json_array_size(steps) < 2 ||
	    json_array_size(steps) > ESC_STEPS)
		return dd_err_set(e, DD_EFORMAT, "%s: sequence '%s' needs 2 to "
		    "%d steps", file, id, ESC_STEPS);
	q->steps = arena_zalloc(st->a, json_array_size(steps) *
	    sizeof(*q->steps));
	json_array_foreach(steps, i, s) {
		struct esc_step *p = &q->steps[q->nsteps++];
		const char *rid = json_is_string(s) ? json_string_value(s) :
		    esc_jstr(s, "rule");
		const char *w = json_is_object(s) ? esc_jstr(s, "where") :
		    NULL;
		if (rid != NULL) {
			p->rule = esc_rule_find(st, rid, false);
			if (p->rule == NULL)
				return dd_err_set(e, DD_EFORMAT, "%s: sequence "
				    "'%s' step %zu: no rule with id '%s'", file,
				    id, i + 1, rid);
		} else if ((t = esc_jstr(s, "condition")) != NULL) {
			if (evc_compile(st->defs, t, &p->cond, e) < 0)
				return dd_err_prefix(e, "%s: sequence '%s' step "
				    "%zu", file, id, i + 1);
			p->text = arena_strdup(st->a, t);
		} else {
			return dd_err_set(e, DD_EFORMAT, "%s: sequence '%s' "
			    "step %zu: a rule id or a condition", file, id,
			    i + 1);
		}
		p->other = w != NULL && strcmp(w, "other") == 0;
		if (w != NULL && !p->other && strcmp(w, "same") != 0)
			return dd_err_set(e, DD_EFORMAT, "%s: sequence '%s' "
			    "step %zu: where is same or other", file, id,
			    i + 1);
		if (p->other && (i == 0 || q->by != BY_CONTAINER))
			return dd_err_set(e, DD_EFORMAT, "%s: sequence '%s': "
			    "where: other needs by: container and an earlier "
			    "step", file, id);
	}
	return 0;
}

static int
esc_load_res(struct esc_state_all *st, json_t *o, const char *id,
    const char *file, struct dd_err *e)
{
	static const char *const metrics[] = { "cpu", "memory", "net_rx",
		"net_tx", "disk_read", "disk_written" };
	const char *m = esc_jstr(o, "metric"), *t;
	json_t *mn = json_object_get(o, "min");
	struct esc_res *r;
	size_t i;

	if (json_is_false(json_object_get(o, "enabled")))
		return 0;
	for (i = 0; m != NULL && i < ARRAY_SIZE(metrics); i++)
		if (strcmp(m, metrics[i]) == 0)
			break;
	if (m == NULL || i == ARRAY_SIZE(metrics))
		return dd_err_set(e, DD_EFORMAT, "%s: resource '%s': metric is "
		    "cpu, memory, net_rx, net_tx, disk_read or disk_written",
		    file, id);
	double minv = 0;
	char *end = NULL;

	if (json_is_number(mn))
		minv = json_number_value(mn);
	else if (json_is_string(mn)) /* YAML's 0.5 comes as text */
		minv = strtod(json_string_value(mn), &end);
	if (!json_is_number(mn) && (end == NULL || end ==
		json_string_value(mn) || *end != '\0'))
		return dd_err_set(e, DD_EFORMAT, "%s: resource '%s' needs a "
		    "number min", file, id);
	st->res = xreallocarray(st->res, st->nres + 1, sizeof(*st->res));
	r = &st->res[st->nres++];
	memset(r, 0, sizeof(*r));
	r->id = arena_strdup(st->a, id);
	r->metric = metrics[i];
	r->file = file;
	r->min = minv;
	t = esc_jstr(o, "rule");
	r->title = arena_strdup(st->a, t ? t : id);
	r->desc = arena_strdup(st->a, esc_jstr(o, "desc") ?
	    esc_jstr(o, "desc") : "");
	if (!esc_sev_of(o, &r->sev))
		return dd_err_set(e, DD_EFORMAT, "%s: '%s': unknown severity",
		    file, id);
	if (!esc_duration(json_object_get(o, "for"), &r->dur))
		return dd_err_set(e, DD_EFORMAT, "%s: resource '%s': for needs "
		    "a duration (\"30s\")", file, id);
	esc_attack_of(st->a, o, &r->attack, &r->nattack);
	return 0;
}

static int
esc_load_cred(struct esc_state_all *st, json_t *o, const char *id,
    const char *file, struct dd_err *e)
{
	json_t *ex = json_object_get(o, "explained_by"), *v;
	struct esc_cred *c;
	const char *t;
	size_t i;

	if (json_is_false(json_object_get(o, "enabled")))
		return 0;
	if (!json_is_array(ex) || json_array_size(ex) == 0)
		return dd_err_set(e, DD_EFORMAT, "%s: credential '%s' needs "
		    "explained_by, a list of syscall names", file, id);
	c = arena_zalloc(st->a, sizeof(*c));
	c->id = arena_strdup(st->a, id);
	c->file = file;
	t = esc_jstr(o, "rule");
	c->title = arena_strdup(st->a, t ? t : id);
	c->desc = arena_strdup(st->a, esc_jstr(o, "desc") ?
	    esc_jstr(o, "desc") : "");
	if (!esc_sev_of(o, &c->sev))
		return dd_err_set(e, DD_EFORMAT, "%s: '%s': unknown severity",
		    file, id);
	esc_attack_of(st->a, o, &c->attack, &c->nattack);
	c->explain = arena_zalloc(st->a, json_array_size(ex) *
	    sizeof(*c->explain));
	json_array_foreach(ex, i, v) {
		if (!json_is_string(v))
			return dd_err_set(e, DD_EFORMAT, "%s: credential '%s': "
			    "explained_by holds syscall names", file, id);
		c->explain[c->nexplain++] = arena_strdup(st->a,
		    json_string_value(v));
	}
	st->cred = c;
	return 0;
}

/* Pass 2: rules; pass 3: sequences and thresholds (they name rules). */
static int
esc_load_items(struct esc_state_all *st, json_t *doc, const char *file,
    int pass, struct dd_err *e)
{
	size_t i;
	json_t *o;

	json_array_foreach(doc, i, o) {
		const char *name;
		int rc = 0;

		if (pass == 2 && (name = esc_jstr(o, "rule")) != NULL &&
		    json_object_get(o, "sequence") == NULL &&
		    json_object_get(o, "threshold") == NULL &&
		    json_object_get(o, "resource") == NULL &&
		    json_object_get(o, "credential") == NULL)
			rc = esc_load_rule(st, o, name, file, e);
		else if (pass == 3 && (name = esc_jstr(o, "sequence")) != NULL)
			rc = esc_load_seq(st, o, name, false, file, e);
		else if (pass == 3 && (name = esc_jstr(o, "threshold")) !=
		    NULL)
			rc = esc_load_seq(st, o, name, true, file, e);
		else if (pass == 3 && (name = esc_jstr(o, "resource")) != NULL)
			rc = esc_load_res(st, o, name, file, e);
		else if (pass == 3 && (name = esc_jstr(o, "credential")) !=
		    NULL)
			rc = esc_load_cred(st, o, name, file, e);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A rules file as one JSON array (its YAML top-level sequence). */
static int
esc_parse_file(const struct rulefile *f, json_t **out, struct dd_err *e)
{
	yaml_parser_t p;
	yaml_document_t d;
	yaml_node_t *root;
	size_t budget = ESC_YAML_NODES;
	bool over = false;
	json_t *o;

	*out = NULL;
	if (!yaml_parser_initialize(&p))
		return dd_err_set(e, DD_EINTERNAL, "libyaml: no memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)f->text,
	    f->len);
	if (!yaml_parser_load(&p, &d)) {
		int rc = dd_err_set_at(e, DD_EFORMAT,
		    (int64_t)p.problem_mark.index, "%s: not YAML at line %zu: "
		    "%s", f->path, p.problem_mark.line + 1,
		    p.problem ? p.problem : "?");
		yaml_parser_delete(&p);
		return rc;
	}
	root = yaml_document_get_root_node(&d);
	o = root ? yamljson_node(&d, root, ESC_YAML_DEPTH, &budget, &over) :
	    json_array();
	yaml_document_delete(&d);
	yaml_parser_delete(&p);
	if (over) {
		json_decref(o);
		return dd_err_set(e, DD_ELIMIT, "%s: deeper than %d or more "
		    "than %u nodes", f->path, ESC_YAML_DEPTH, ESC_YAML_NODES);
	}
	if (!json_is_array(o)) {
		json_decref(o);
		return dd_err_set(e, DD_EFORMAT, "%s: a rules file is a YAML "
		    "list of lists, macros, rules, sequences and thresholds",
		    f->path);
	}
	*out = o;
	return 0;
}

static int
esc_index(struct esc_state_all *st)
{
	for (size_t i = 0; i < st->nrules; i++) {
		const struct esc_rule *r = &st->rules[i];
		const char *const *names;
		size_t n;

		if (!r->enabled)
			continue;
		if (!evc_types(r->cond, &names, &n)) {
			st->anytype = xreallocarray(st->anytype, st->nany + 1,
			    sizeof(*st->anytype));
			st->anytype[st->nany++] = r;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			void **slot = esc_map_slot(&st->bytype,
			    esc_hash_str(names[k]), names[k], true);
			const struct esc_rule **v = *slot;
			size_t c = 0;
			while (v != NULL && v[c] != NULL)
				c++;
			v = xreallocarray(v, c + 2, sizeof(*v));
			v[c] = r;
			v[c + 1] = NULL;
			*slot = v;
		}
	}
	return 0;
}

static int
esc_load(struct esc_state_all *st, struct rulefiles *rf, struct dd_err *e)
{
	json_t **docs;
	int rc = 0;
	size_t i;

	if ((rc = rulefiles_load(rf, "escape", ESC_ENV, esc_want,
		 ESC_RULEFILE_MAX, "escape analyzer rules v1\n", e)) < 0)
		return dd_err_prefix(e, "escape rules");
	st->defs = evc_defs_new(st->a);
	docs = xcalloc(rf->nf + 1, sizeof(*docs));
	for (i = 0; i < rf->nf && rc == 0; i++)
		rc = esc_parse_file(&rf->f[i], &docs[i], e);
	for (i = 0; i < rf->nf && rc == 0; i++)
		rc = esc_load_defs(st, docs[i], rf->f[i].label, e);
	for (i = 0; i < rf->nf && rc == 0; i++)
		rc = esc_load_items(st, docs[i], rf->f[i].label, 2, e);
	for (i = 0; i < st->nrules && rc == 0; i++) {
		struct esc_rule *r = &st->rules[i];
		for (size_t k = 0; k < i && rc == 0; k++)
			if (strcmp(st->rules[k].id, r->id) == 0)
				rc = dd_err_set(e, DD_EFORMAT, "%s: rule id '%s' "
				    "is also used in %s", r->file, r->id,
				    st->rules[k].file);
		if (rc == 0 && evc_compile(st->defs, r->cond_text, &r->cond,
			e) < 0)
			rc = dd_err_prefix(e, "%s: rule '%s'", r->file,
			    r->title);
	}
	for (i = 0; i < rf->nf && rc == 0; i++)
		rc = esc_load_items(st, docs[i], rf->f[i].label, 3, e);
	for (i = 0; i < rf->nf; i++)
		json_decref(docs[i]);
	free(docs);
	if (rc == 0)
		rc = esc_index(st);
	if (rc < 0)
		dd_err_prefix(e, "escape rules");
	return rc;
}

/* ---- the resolver: processes and containers ---- */

static int
esc_proc_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct esc_state_all *st = user;
	struct esc_proc *p;

	(void)e;
	if (st->nprocs % 1024 == 0)
		st->procs = xreallocarray(st->procs, st->nprocs + 1024,
		    sizeof(*st->procs));
	p = &st->procs[st->nprocs++];
	p->id = rowq_int(r, 0);
	p->artifact_id = rowq_int(r, 1);
	p->pid = rowq_int(r, 2);
	p->ppid = rowq_null(r, 3) ? -1 : rowq_int(r, 3);
	p->start_ts = rowq_null(r, 4) ? INT64_MIN : rowq_int(r, 4);
	p->comm = rowq_null(r, 5) ? NULL : arena_strdup(st->a, rowq_text(r, 5));
	p->exe = rowq_null(r, 6) ? NULL : arena_strdup(st->a, rowq_text(r, 6));
	p->args = rowq_null(r, 7) ? NULL : arena_strdup(st->a, rowq_text(r, 7));
	p->cid = rowq_null(r, 8) ? NULL : arena_strdup(st->a, rowq_text(r, 8));
	return 0;
}

static int
esc_ctr_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct esc_state_all *st = user;
	struct esc_ctr *c = arena_zalloc(st->a, sizeof(*c));
	const char *id = arena_strdup(st->a, rowq_text(r, 0));

	(void)e;
	c->name = rowq_null(r, 1) ? NULL : arena_strdup(st->a, rowq_text(r, 1));
	c->image = rowq_null(r, 2) ? NULL : arena_strdup(st->a,
	    rowq_text(r, 2));
	c->privileged = rowq_null(r, 3) ? -1 : (int)rowq_int(r, 3);
	*esc_map_slot(&st->ctrs, esc_hash_str(id), id, true) = c;
	return 0;
}

/* The process of pid in artifact started last at or before ts. */
static const struct esc_proc *
esc_proc_at(const struct esc_state_all *st, int64_t artifact, int64_t pid,
    int64_t ts)
{
	size_t lo = 0, hi = st->nprocs;
	const struct esc_proc *best = NULL;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct esc_proc *p = &st->procs[mid];
		if (p->artifact_id < artifact || (p->artifact_id == artifact &&
			p->pid < pid))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < st->nprocs && st->procs[lo].artifact_id == artifact &&
	    st->procs[lo].pid == pid; lo++) {
		if (best == NULL || st->procs[lo].start_ts <= ts)
			best = &st->procs[lo];
		if (st->procs[lo].start_ts > ts)
			break;
	}
	return best;
}

static void
esc_resolve(void *user, const struct an_event *ev, struct evc_proc *out)
{
	struct esc_state_all *st = user;
	const struct esc_proc *p = NULL, *pp;
	void **slot;

	if (ev->process_id > 0 && (slot = esc_map_slot(&st->procbyid,
		(uint64_t)ev->process_id, NULL, false)) != NULL)
		p = *slot;
	if (p == NULL && ev->pid >= 0)
		p = esc_proc_at(st, ev->artifact_id, ev->pid, ev->ts);
	if (p != NULL) {
		out->exe = p->exe;
		out->cmdline = p->args;
		out->ppid = p->ppid;
		if (p->ppid >= 0 && (pp = esc_proc_at(st, p->artifact_id,
			p->ppid, ev->ts)) != NULL) {
			out->pname = pp->comm;
			out->pexe = pp->exe;
			out->pcmdline = pp->args;
		}
	}
	if (ev->container_id != NULL && *ev->container_id != '\0' &&
	    (slot = esc_map_slot(&st->ctrs, esc_hash_str(ev->container_id),
		ev->container_id, false)) != NULL) {
		const struct esc_ctr *c = *slot;
		out->cname = c->name;
		out->cimage = c->image;
		out->privileged = c->privileged;
	}
	if (ev->has_target && ev->target > 0 &&
	    (pp = esc_proc_at(st, ev->artifact_id, ev->target, ev->ts)) !=
	    NULL) {
		out->target_known = true;
		out->target_container = pp->cid;
	}
}

static int
esc_proc_cmp(const void *a, const void *b)
{
	const struct esc_proc *x = a, *y = b;

	if (x->artifact_id != y->artifact_id)
		return x->artifact_id < y->artifact_id ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->start_ts != y->start_ts)
		return x->start_ts < y->start_ts ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- init ---- */

static void
esc_free(struct esc_state_all *st)
{
	for (size_t i = 0; i < st->bytype.cap; i++)
		free(st->bytype.v[i]);
	esc_map_free(&st->bytype);
	free(st->anytype);
	esc_map_free(&st->groups);
	free(st->glist);
	free(st->procs);
	esc_map_free(&st->procbyid);
	esc_map_free(&st->ctrs);
	for (size_t i = 0; i < st->nseqs; i++) {
		esc_map_free(&st->seqs[i].states);
		free(st->seqs[i].waiting);
	}
	free(st->seqs);
	free(st->res);
	free(st->rules);
	free(st->matched);
	free(st->thr);
	free(st->hits);
	sbuf_release(&st->key);
}

static int
an_escape_init(struct an_ctx *ctx, struct dd_err *e)
{
	struct esc_state_all *st = arena_zalloc(ctx->arena, sizeof(*st));
	struct rulefiles rf;
	int rc;

	st->a = ctx->arena;
	st->key = (struct sbuf)SBUF_INIT;
	ctx->state = st;
	rc = esc_load(st, &rf, e);
	rulefiles_free(&rf);
	if (rc < 0) {
		esc_free(st);
		ctx->state = NULL;
		return rc;
	}
	st->matched = xcalloc(st->nrules + 1, sizeof(*st->matched));
	rc = an_query(ctx, "SELECT id, artifact_id, pid, ppid, start_ts, comm, "
	    "exe, args, container_id FROM processes ORDER BY id", NULL, 0,
	    esc_proc_row, st, e);
	if (rc == 0 && st->nprocs > 0) {
		qsort(st->procs, st->nprocs, sizeof(*st->procs), esc_proc_cmp);
		for (size_t i = 0; i < st->nprocs; i++)
			*esc_map_slot(&st->procbyid, (uint64_t)st->procs[i].id,
			    NULL, true) = &st->procs[i];
	}
	if (rc == 0)
		rc = an_query(ctx, "SELECT id, name, image, privileged FROM "
		    "containers ORDER BY id", NULL, 0, esc_ctr_row, st, e);
	if (rc < 0) { /* fini runs only for analyzers that started */
		esc_free(st);
		ctx->state = NULL;
	}
	return rc;
}

static void
an_escape_fini(struct an_ctx *ctx)
{
	if (ctx->state != NULL)
		esc_free(ctx->state);
}

/* ---- per event ---- */

static bool
esc_failed(const struct an_event *ev)
{
	return ev->ret_known && ev->ret < 0;
}

static enum finding_sev
esc_lower(enum finding_sev s)
{
	return s > SEV_INFO ? s - 1 : s;
}

/* Falco-style output: %field replaced by the record's value. */
static void
esc_render(struct sbuf *b, const char *tpl, struct evc_rec *r)
{
	for (const char *p = tpl; *p != '\0'; p++) {
		char val[320];
		size_t n = 0;
		if (*p != '%') {
			sbuf_addch(b, *p);
			continue;
		}
		while (p[1 + n] != '\0' && (isalnum((unsigned char)p[1 + n]) ||
			   p[1 + n] == '.' || p[1 + n] == '_'))
			n++;
		if (p[1 + n] == '[') { /* %evt.arg[1] */
			size_t k = n + 1;
			while (isdigit((unsigned char)p[1 + k]))
				k++;
			if (p[1 + k] == ']')
				n = k + 1;
		}
		while (n > 0 && p[n] == '.')
			n--; /* a sentence's full stop */
		if (n > 0 && evc_field_text(r, p + 1, n, val, sizeof(val))) {
			sbuf_addstr(b, *val ? val : "<NA>");
			p += n;
		} else {
			sbuf_addch(b, '%');
		}
	}
}

static const char *
esc_cid(const struct an_event *ev)
{
	return ev->container_id != NULL && *ev->container_id != '\0' ?
	    ev->container_id : NULL;
}

static int
esc_match(struct an_ctx *ctx, struct esc_state_all *st,
    const struct esc_rule *r, const struct an_event *ev, struct evc_rec *rec)
{
	bool failed = esc_failed(ev);
	const char *fdn, *cid = esc_cid(ev);
	struct esc_group *g;
	char val[320];
	void **slot;
	uint64_t h;

	if (failed && r->failed == FAILED_IGNORE)
		return 0;
	evc_field_text(rec, "fd.name", 7, val, sizeof(val));
	fdn = val;
	sbuf_reset(&st->key);
	sbuf_addf(&st->key, "%s%c%d%c%s%c%s%c%s", r->id, 0, failed, 0,
	    cid ? cid : "", 0, ev->comm ? ev->comm : "", 0, fdn);
	h = hash64(0x67727570, st->key.buf, st->key.len);
	/* the key has NULs: compare on the hash, which spans it all */
	slot = esc_map_slot(&st->groups, h, NULL, false);
	if (slot != NULL) {
		g = *slot;
		g->count++;
		g->last_ts = ev->ts;
		if (g->nev < ESC_EVIDENCE)
			g->ev[g->nev++] = ev->id;
		return 0;
	}
	if (st->groups.n >= ESC_GROUPS) {
		((struct esc_rule *)r)->dropped++;
		return 0;
	}
	g = arena_zalloc(st->a, sizeof(*g));
	*esc_map_slot(&st->groups, h, NULL, true) = g;
	g->rule = r;
	g->failed = failed;
	g->errname = ev->errname ? arena_strdup(st->a, ev->errname) : NULL;
	g->cid = cid ? arena_strdup(st->a, cid) : NULL;
	g->ev[g->nev++] = ev->id;
	g->first_ts = g->last_ts = ev->ts;
	g->count = 1;
	{
		struct sbuf b = SBUF_INIT;
		if (failed)
			sbuf_addf(&b, "%s (attempt failed: %s)", r->title,
			    g->errname ? g->errname : "error");
		else
			sbuf_addstr(&b, r->title);
		g->title = arena_strdup(st->a, b.buf);
		sbuf_reset(&b);
		if (*r->output != '\0')
			esc_render(&b, r->output, rec);
		else
			esc_render(&b, "%evt.type by %proc.name (pid %proc.pid) "
			    "on %fd.name: %evt.res", rec);
		g->detail = arena_strdup(st->a, b.buf);
		sbuf_release(&b);
	}
	if (st->nglist == st->aglist) {
		st->aglist = st->aglist ? st->aglist * 2 : 64;
		st->glist = xreallocarray(st->glist, st->aglist,
		    sizeof(*st->glist));
	}
	st->glist[st->nglist++] = g;
	(void)ctx;
	return 0;
}

static bool
esc_rule_matched(const struct esc_state_all *st, const struct esc_rule *r)
{
	for (size_t i = 0; i < st->nmatched; i++)
		if (st->matched[i] == r)
			return true;
	return false;
}

static bool
esc_step_hit(struct esc_state_all *st, const struct esc_step *p,
    struct evc_rec *rec)
{
	if (esc_failed(rec->ev))
		return false; /* a chain is made of steps that worked */
	if (p->rule != NULL)
		return esc_rule_matched(st, p->rule);
	return evc_eval(p->cond, rec);
}

/* The state key: the container (or "host/unknown" per artifact), or the
 * process. */
static const char *
esc_seq_key(struct esc_state_all *st, const struct esc_seq *q,
    const struct an_event *ev, char *buf, size_t cap)
{
	(void)st;
	if (q->by == BY_PROCESS)
		snprintf(buf, cap, "%" PRId64 "/%" PRId64, ev->artifact_id,
		    ev->pid);
	else if (esc_cid(ev) != NULL)
		snprintf(buf, cap, "c/%s", ev->container_id);
	else
		snprintf(buf, cap, "a/%" PRId64, ev->artifact_id);
	return buf;
}

static struct esc_state *
esc_state_get(struct esc_state_all *st, struct esc_seq *q, const char *key,
    const struct an_event *ev, bool add)
{
	void **slot = esc_map_slot(&q->states, esc_hash_str(key), NULL,
	    false);
	struct esc_state *s;

	/* compare the key itself: the map stores it */
	if (slot == NULL || strcmp(((struct esc_state *)*slot)->key, key) !=
	    0) {
		if (!add)
			return NULL;
		if (q->states.n >= ESC_KEYS) {
			q->dropped++;
			return NULL;
		}
		s = arena_zalloc(st->a, sizeof(*s));
		s->key = arena_strdup(st->a, key);
		s->cid = esc_cid(ev) ? arena_strdup(st->a, ev->container_id) :
		    NULL;
		*esc_map_slot(&q->states, esc_hash_str(key), s->key, true) = s;
		return s;
	}
	return *slot;
}

static void
esc_waiting_add(struct esc_seq *q, struct esc_state *s)
{
	if (s->waiting_other || q->nwaiting >= ESC_KEYS)
		return;
	if (q->nwaiting == q->await) {
		q->await = q->await ? q->await * 2 : 16;
		q->waiting = xreallocarray(q->waiting, q->await,
		    sizeof(*q->waiting));
	}
	q->waiting[q->nwaiting++] = s;
	s->waiting_other = true;
}

static void
esc_waiting_drop(struct esc_seq *q, size_t i)
{
	q->waiting[i]->waiting_other = false;
	q->waiting[i] = q->waiting[--q->nwaiting];
}

/* Record step k of s as this event; complete the chain at the end. */
static void
esc_advance(struct esc_seq *q, struct esc_state *s, const struct an_event *ev)
{
	s->ev[s->step] = ev->id;
	s->ts[s->step] = ev->ts;
	if (s->step == 0)
		s->start_ts = ev->ts;
	s->step++;
	if ((size_t)s->step == q->nsteps) {
		s->done++;
		if (s->done == 1) /* keep the first chain's evidence */
			s->step = -1; /* frozen: reported in finish */
		else
			s->step = 0;
		return;
	}
	if (q->steps[s->step].other)
		esc_waiting_add(q, s);
}

static void
esc_sequence(struct esc_state_all *st, struct esc_seq *q,
    struct evc_rec *rec)
{
	const struct an_event *ev = rec->ev;
	char kb[96];
	const char *key = esc_seq_key(st, q, ev, kb, sizeof(kb));
	struct esc_state *s;

	/* chains waiting for a step outside their container */
	for (size_t i = 0; i < q->nwaiting;) {
		struct esc_state *w = q->waiting[i];
		const struct esc_step *p;
		if (w->step < 0 || !q->steps[w->step].other) {
			esc_waiting_drop(q, i);
			continue;
		}
		if (ev->ts - w->start_ts > q->within) {
			w->step = 0;
			esc_waiting_drop(q, i);
			continue;
		}
		p = &q->steps[w->step];
		if (strcmp(w->key, key) != 0 && esc_step_hit(st, p, rec)) {
			esc_waiting_drop(q, i);
			esc_advance(q, w, ev);
			continue;
		}
		i++;
	}
	s = esc_state_get(st, q, key, ev, false);
	if (s != NULL && s->step < 0)
		return; /* this key's chain is reported */
	if (s != NULL && s->step > 0 && ev->ts - s->start_ts > q->within)
		s->step = 0; /* the window closed */
	if (s != NULL && s->step > 0 && !q->steps[s->step].other &&
	    esc_step_hit(st, &q->steps[s->step], rec)) {
		esc_advance(q, s, ev);
		return;
	}
	if ((s == NULL || s->step == 0) &&
	    esc_step_hit(st, &q->steps[0], rec)) {
		if (s == NULL && (s = esc_state_get(st, q, key, ev, true)) ==
		    NULL)
			return;
		esc_advance(q, s, ev);
	}
}

static void
esc_threshold(struct esc_state_all *st, struct esc_seq *q,
    struct evc_rec *rec)
{
	const struct an_event *ev = rec->ev;
	char kb[96];
	const char *key;
	struct esc_state *s;
	int64_t bw, b, v, tot = 0;
	int slot;

	if (ev->ts == INT64_MIN || !evc_eval(q->cond, rec))
		return;
	v = q->sum ? (ev->ret_known && ev->ret > 0 ? ev->ret : 0) : 1;
	if (v == 0)
		return;
	key = esc_seq_key(st, q, ev, kb, sizeof(kb));
	if ((s = esc_state_get(st, q, key, ev, true)) == NULL)
		return;
	bw = q->within / ESC_BUCKETS;
	if (bw < 1)
		bw = 1;
	b = ev->ts / bw;
	slot = (int)(((b % ESC_BUCKETS) + ESC_BUCKETS) % ESC_BUCKETS);
	if (s->total == 0) {
		s->first_ev = ev->id;
		s->first_ts = ev->ts;
		for (int i = 0; i < ESC_BUCKETS; i++)
			s->bidx[i] = INT64_MIN;
	}
	if (s->bidx[slot] != b) {
		s->bidx[slot] = b;
		s->bval[slot] = 0;
	}
	s->bval[slot] += v;
	s->total += v;
	for (int i = 0; i < ESC_BUCKETS; i++)
		if (s->bidx[i] != INT64_MIN && b - s->bidx[i] < ESC_BUCKETS)
			tot += s->bval[i];
	if (tot > s->peak)
		s->peak = tot;
	if (!s->crossed && tot >= q->count) {
		s->crossed = true;
		s->cross_ev = ev->id;
		s->cross_ts = ev->ts;
	}
}

static void esc_cred(struct esc_state_all *st, const struct an_event *ev);

static int
an_escape_event(struct an_ctx *ctx, const struct an_event *ev,
    struct dd_err *e)
{
	struct esc_state_all *st = ctx->state;
	struct evc_rec rec;
	void **slot;
	int rc;

	(void)e;
	st->events++;
	/* ERESTARTSYS and kin: the kernel restarts the call, which the trace
	 * shows again with its real result */
	if (ev->ret_known && ev->errname != NULL &&
	    strncmp(ev->errname, "ERESTART", 8) == 0)
		return 0;
	evc_rec_init(&rec, ev, esc_resolve, st);
	st->nmatched = 0;
	if (ev->syscall != NULL && (slot = esc_map_slot(&st->bytype,
		esc_hash_str(ev->syscall), ev->syscall, false)) != NULL) {
		for (const struct esc_rule **r = *slot; *r != NULL; r++)
			if (evc_eval((*r)->cond, &rec))
				st->matched[st->nmatched++] = *r;
	}
	for (size_t i = 0; i < st->nany; i++)
		if (evc_eval(st->anytype[i]->cond, &rec))
			st->matched[st->nmatched++] = st->anytype[i];
	for (size_t i = 0; i < st->nmatched; i++)
		if (st->matched[i]->report &&
		    (rc = esc_match(ctx, st, st->matched[i], ev, &rec)) < 0)
			return rc;
	for (size_t i = 0; i < st->nseqs; i++) {
		if (st->seqs[i].is_threshold)
			esc_threshold(st, &st->seqs[i], &rec);
		else
			esc_sequence(st, &st->seqs[i], &rec);
	}
	if (st->cred != NULL)
		esc_cred(st, ev);
	return 0;
}

/* The slot of thread (art, tid): NULL when the table is full. */
static struct esc_thr *
esc_thr_slot(struct esc_state_all *st, int64_t art, int64_t tid)
{
	size_t i;

	if ((st->nthr + 1) * 4 > st->athr * 3) {
		struct esc_thr *old = st->thr;
		size_t oa = st->athr;
		if (oa >= ESC_THREADS)
			goto probe;
		st->athr = oa ? oa * 2 : 1024;
		st->thr = xcalloc(st->athr, sizeof(*st->thr));
		st->nthr = 0;
		for (i = 0; i < oa; i++)
			if (old[i].tid != 0)
				*esc_thr_slot(st, old[i].art, old[i].tid) =
				    old[i];
		free(old);
	}
probe:
	for (i = (size_t)hash64(0x746872, &tid, sizeof(tid)) ^ (size_t)art;;
	     i++) {
		struct esc_thr *t = &st->thr[i & (st->athr - 1)];
		if (t->tid == tid && t->art == art)
			return t;
		if (t->tid == 0) {
			if ((st->nthr + 1) * 4 > st->athr * 3)
				return NULL;
			st->nthr++;
			t->art = art;
			t->tid = tid;
			t->uid = -1;
			return t;
		}
	}
}

static bool
esc_cred_explains(const struct esc_cred *c, const char *syscall)
{
	for (size_t i = 0; syscall != NULL && i < c->nexplain; i++)
		if (strcmp(c->explain[i], syscall) == 0)
			return true;
	return false;
}

static void
esc_cred_hit(struct esc_state_all *st, const struct esc_thr *t,
    const struct an_event *ev)
{
	struct esc_credhit *h;

	for (size_t i = st->nhits; i-- > 0;) {
		h = &st->hits[i];
		if (h->art == ev->artifact_id && h->pid == ev->pid &&
		    h->olduid == t->uid && h->newuid == ev->uid) {
			h->count++;
			return;
		}
		if (st->nhits - i > 64)
			break;
	}
	if (st->nhits >= ESC_GROUPS) {
		st->hits_dropped++;
		return;
	}
	if (st->nhits == st->ahits) {
		st->ahits = st->ahits ? st->ahits * 2 : 16;
		st->hits = xreallocarray(st->hits, st->ahits,
		    sizeof(*st->hits));
	}
	h = &st->hits[st->nhits++];
	memset(h, 0, sizeof(*h));
	h->art = ev->artifact_id;
	h->pid = ev->pid;
	h->tid = ev->tid;
	h->olduid = t->uid;
	h->newuid = ev->uid;
	h->ev0 = t->ev;
	h->ts0 = t->ts;
	h->ev1 = ev->id;
	h->ts1 = ev->ts;
	h->cid = esc_cid(ev) ? arena_strdup(st->a, esc_cid(ev)) : NULL;
	h->comm = ev->comm ? arena_strdup(st->a, ev->comm) : NULL;
	h->count = 1;
}

/* Follow a thread's effective uid across its events. */
static void
esc_cred(struct esc_state_all *st, const struct an_event *ev)
{
	int64_t tid = ev->tid > 0 ? ev->tid : ev->pid;
	struct esc_thr *t;
	bool explains;

	if (tid <= 0)
		return;
	if (ev->kind != NULL && strcmp(ev->kind, "exit") == 0) {
		/* the thread is gone; its tid may come back as another */
		if ((t = esc_thr_slot(st, ev->artifact_id, tid)) != NULL)
			t->uid = -1;
		return;
	}
	explains = esc_cred_explains(st->cred, ev->syscall);
	if (!ev->has_uid) {
		/* an explaining call whose event holds no uid: the next
		 * report may differ */
		if (explains && !esc_failed(ev) &&
		    (t = esc_thr_slot(st, ev->artifact_id, tid)) != NULL)
			t->explained = true;
		return;
	}
	if ((t = esc_thr_slot(st, ev->artifact_id, tid)) == NULL) {
		st->thr_dropped++;
		return;
	}
	if (t->uid >= 0 && t->uid != ev->uid && !explains && !t->explained)
		esc_cred_hit(st, t, ev);
	t->uid = ev->uid;
	t->ev = ev->id;
	t->ts = ev->ts;
	t->explained = false;
}

/* ---- finish ---- */

static void
esc_span(struct sbuf *b, int64_t t0, int64_t t1)
{
	char a[40], c[40];

	if (t0 == INT64_MIN) {
		sbuf_addstr(b, "(no times)");
		return;
	}
	time_fmt_ns(t0, a);
	time_fmt_ns(t1, c);
	if (t0 == t1)
		sbuf_addf(b, "at %s", a);
	else
		sbuf_addf(b, "from %s to %s", a, c);
}

static int
esc_emit_group(struct an_ctx *ctx, struct esc_state_all *st,
    const struct esc_group *g)
{
	const struct esc_rule *r = g->rule;
	struct finding_ref ev[ESC_EVIDENCE];
	struct finding f;
	struct sbuf d = SBUF_INIT;
	int rc;

	for (size_t i = 0; i < g->nev; i++) {
		ev[i].a = "events";
		ev[i].b = arena_printf(st->a, "%" PRId64, g->ev[i]);
	}
	sbuf_addstr(&d, g->detail);
	sbuf_addf(&d, ". %" PRIu64 " matching event%s ", g->count,
	    g->count == 1 ? "" : "s");
	esc_span(&d, g->first_ts, g->last_ts);
	if (g->failed)
		sbuf_addf(&d, "; the call failed (%s): an attempt, not a "
		    "success", g->errname ? g->errname : "error");
	sbuf_addstr(&d, ".");
	if (*r->desc != '\0')
		sbuf_addf(&d, " %s", r->desc);
	if (r->dropped > 0)
		sbuf_addf(&d, " (%" PRIu64 " further matches of this rule were "
		    "counted but not grouped: the analyzer keeps at most %u "
		    "groups)", r->dropped, ESC_GROUPS);
	memset(&f, 0, sizeof(f));
	f.rule = r->id;
	f.severity = g->failed && r->failed == FAILED_LOWER ?
	    esc_lower(r->sev) : r->sev;
	f.confidence = g->failed ? 0.6 : 0.9;
	f.title = g->title;
	f.detail = d.buf;
	f.ts = g->first_ts;
	f.has_ts = g->first_ts != INT64_MIN;
	f.attack = r->attack;
	f.nattack = r->nattack;
	f.container_id = g->cid;
	f.evidence = ev;
	f.nevidence = g->nev;
	rc = an_emit(ctx, &f);
	sbuf_release(&d);
	return rc;
}

static int
esc_state_cmp(const void *a, const void *b)
{
	const struct esc_state *x = *(struct esc_state *const *)a;
	const struct esc_state *y = *(struct esc_state *const *)b;

	return strcmp(x->key, y->key);
}

static int
esc_emit_seq(struct an_ctx *ctx, struct esc_state_all *st,
    const struct esc_seq *q)
{
	struct esc_state **v = xcalloc(q->states.n + 1, sizeof(*v));
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; i < q->states.cap; i++)
		if (q->states.v[i] != NULL)
			v[n++] = q->states.v[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), esc_state_cmp);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct esc_state *s = v[i];
		struct finding_ref ev[ESC_STEPS + 1];
		struct finding f;
		struct sbuf d = SBUF_INIT;
		size_t nev = 0;

		memset(&f, 0, sizeof(f));
		if (q->is_threshold) {
			if (!s->crossed)
				continue;
			ev[nev].a = "events";
			ev[nev++].b = arena_printf(st->a, "%" PRId64,
			    s->cross_ev);
			ev[nev].a = "events";
			ev[nev++].b = arena_printf(st->a, "%" PRId64,
			    s->first_ev);
			sbuf_addf(&d, "%s reached %" PRId64 " %s within %.3g s "
			    "(threshold %" PRId64 "; peak %" PRId64 ", %" PRId64
			    " in all) for %s %s.", q->title, q->count,
			    q->sum ? "bytes" : "events", q->within / 1e9,
			    q->count, s->peak, s->total, q->by == BY_PROCESS ?
			    "process (artifact/pid)" : s->key[0] == 'c' ?
			    "container" : "the processes of artifact",
			    q->by == BY_PROCESS ? s->key : s->key + 2);
			f.ts = s->cross_ts;
		} else {
			if (s->done == 0)
				continue;
			for (size_t k = 0; k < q->nsteps; k++) {
				ev[nev].a = "events";
				ev[nev++].b = arena_printf(st->a, "%" PRId64,
				    s->ev[k]);
			}
			sbuf_addf(&d, "%zu steps in order within %.3g s (",
			    q->nsteps, q->within / 1e9);
			for (size_t k = 0; k < q->nsteps; k++) {
				const struct esc_step *p = &q->steps[k];
				sbuf_addf(&d, "%s%s%s%s%s", k ? ", then " : "",
				    p->rule ? p->rule->id : "[",
				    p->rule ? "" : p->text, p->rule ? "" : "]",
				    p->other ? " outside the container" : "");
			}
			sbuf_addstr(&d, ")");
			if (s->done > 1)
				sbuf_addf(&d, "; completed %" PRIu64 " times",
				    s->done);
			sbuf_addstr(&d, ". ");
			esc_span(&d, s->ts[0], s->ts[q->nsteps - 1]);
			sbuf_addstr(&d, ".");
			f.ts = s->ts[0];
		}
		if (*q->desc != '\0')
			sbuf_addf(&d, " %s", q->desc);
		if (q->dropped > 0)
			sbuf_addf(&d, " (%" PRIu64 " events of new keys were "
			    "not followed: at most %u are)", q->dropped,
			    ESC_KEYS);
		f.rule = q->id;
		f.severity = q->sev;
		f.confidence = 0.9;
		f.title = q->title;
		f.detail = d.buf;
		f.has_ts = f.ts != INT64_MIN;
		f.attack = q->attack;
		f.nattack = q->nattack;
		f.container_id = s->cid;
		f.evidence = ev;
		f.nevidence = nev;
		rc = an_emit(ctx, &f);
		sbuf_release(&d);
	}
	free(v);
	return rc;
}

/* Runs of consecutive samples at or above a resource rule's minimum. */
struct esc_run {
	struct an_ctx *ctx;
	struct esc_state_all *st;
	const struct esc_res *r;
	int64_t art, start, last, first_seq, best_start, best_end;
	double peak, best_peak;
	bool in;
	int rc;
};

static int
esc_run_flush(struct esc_run *u)
{
	struct finding f;
	struct finding_ref ev[1];
	char key[48];
	struct sbuf d = SBUF_INIT;
	int rc;

	if (u->best_end - u->best_start < u->r->dur)
		return 0;
	snprintf(key, sizeof(key), "%" PRId64, u->art);
	ev[0].a = "artifacts";
	ev[0].b = key;
	sbuf_addf(&d, "%s at or above %g for %.0f s (peak %g) in the resource "
	    "samples of artifact %" PRId64 ", ", u->r->metric, u->r->min,
	    (u->best_end - u->best_start) / 1e9, u->best_peak, u->art);
	esc_span(&d, u->best_start, u->best_end);
	sbuf_addf(&d, " (rule: %g for %.0f s).", u->r->min, u->r->dur / 1e9);
	if (*u->r->desc != '\0')
		sbuf_addf(&d, " %s", u->r->desc);
	memset(&f, 0, sizeof(f));
	f.rule = u->r->id;
	f.severity = u->r->sev;
	f.confidence = 0.8;
	f.title = u->r->title;
	f.detail = d.buf;
	f.ts = u->best_start;
	f.has_ts = true;
	f.attack = u->r->attack;
	f.nattack = u->r->nattack;
	f.evidence = ev;
	f.nevidence = 1;
	rc = an_emit(u->ctx, &f);
	sbuf_release(&d);
	return rc;
}

static int
esc_res_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct esc_run *u = user;
	int64_t art = rowq_int(r, 0), ts = rowq_int(r, 1);
	bool hit = !rowq_null(r, 2) && rowq_real(r, 2) >= u->r->min;
	int rc;

	(void)e;
	if (art != u->art) {
		if (u->art != 0 && (rc = esc_run_flush(u)) < 0)
			return rc;
		u->art = art;
		u->in = false;
		u->best_start = u->best_end = 0;
		u->best_peak = 0;
	}
	if (hit) {
		if (!u->in) {
			u->in = true;
			u->start = ts;
			u->peak = 0;
		}
		u->last = ts;
		if (rowq_real(r, 2) > u->peak)
			u->peak = rowq_real(r, 2);
		if (u->last - u->start > u->best_end - u->best_start) {
			u->best_start = u->start;
			u->best_end = u->last;
			u->best_peak = u->peak;
		}
	} else {
		u->in = false;
	}
	return 0;
}

static int
esc_emit_cred(struct an_ctx *ctx, struct esc_state_all *st,
    const struct esc_credhit *h)
{
	const struct esc_cred *c = st->cred;
	struct finding_ref ev[2];
	struct finding f;
	struct sbuf d = SBUF_INIT;
	char t0[40], t1[40];
	int rc;

	ev[0].a = "events";
	ev[0].b = arena_printf(st->a, "%" PRId64, h->ev0);
	ev[1].a = "events";
	ev[1].b = arena_printf(st->a, "%" PRId64, h->ev1);
	if (h->ts0 == INT64_MIN)
		snprintf(t0, sizeof(t0), "(no time)");
	else
		time_fmt_ns(h->ts0, t0);
	if (h->ts1 == INT64_MIN)
		snprintf(t1, sizeof(t1), "(no time)");
	else
		time_fmt_ns(h->ts1, t1);
	sbuf_addf(&d, "%s (pid %" PRId64 ", thread %" PRId64 ") ran as uid "
	    "%" PRId64 " at %s and as uid %" PRId64 " at %s, with no ",
	    h->comm ? h->comm : "?", h->pid, h->tid, h->olduid, t0,
	    h->newuid, t1);
	for (size_t i = 0; i < c->nexplain; i++)
		sbuf_addf(&d, "%s%s", i == 0 ? "" : i + 1 == c->nexplain ?
		    " or " : ", ", c->explain[i]);
	sbuf_addstr(&d, " of that thread between them in the trace");
	if (h->count > 1)
		sbuf_addf(&d, " (%" PRIu64 " such changes in this process)",
		    h->count);
	sbuf_addstr(&d, ".");
	if (*c->desc != '\0')
		sbuf_addf(&d, " %s", c->desc);
	if (st->hits_dropped > 0 || st->thr_dropped > 0)
		sbuf_addf(&d, " (%" PRIu64 " further changes and %" PRIu64
		    " events of threads beyond the %u followed were not "
		    "checked)", st->hits_dropped, st->thr_dropped,
		    (unsigned)(ESC_THREADS / 4 * 3));
	memset(&f, 0, sizeof(f));
	f.rule = c->id;
	f.severity = h->newuid == 0 ? c->sev : esc_lower(c->sev);
	f.confidence = 0.7;
	f.title = h->newuid == 0 ? arena_printf(st->a, "%s: uid %" PRId64
	    " became root", c->title, h->olduid) : arena_printf(st->a,
	    "%s: uid %" PRId64 " became %" PRId64, c->title, h->olduid,
	    h->newuid);
	f.detail = d.buf;
	f.ts = h->ts1;
	f.has_ts = h->ts1 != INT64_MIN;
	f.attack = c->attack;
	f.nattack = c->nattack;
	f.container_id = h->cid;
	f.evidence = ev;
	f.nevidence = 2;
	rc = an_emit(ctx, &f);
	sbuf_release(&d);
	return rc;
}

static int
an_escape_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct esc_state_all *st = ctx->state;
	int rc = 0;

	for (size_t i = 0; i < st->nres && rc == 0; i++) {
		struct esc_run u;
		char sql[160];
		memset(&u, 0, sizeof(u));
		u.ctx = ctx;
		u.st = st;
		u.r = &st->res[i];
		/* the metric is one of a fixed list (esc_load_res) */
		snprintf(sql, sizeof(sql), "SELECT artifact_id, ts, %s FROM "
		    "resources ORDER BY artifact_id, ts, seq", u.r->metric);
		rc = an_query(ctx, sql, NULL, 0, esc_res_row, &u, e);
		if (rc == 0 && u.art != 0)
			rc = esc_run_flush(&u);
	}
	for (size_t i = 0; i < st->nglist && rc == 0; i++)
		rc = esc_emit_group(ctx, st, st->glist[i]);
	for (size_t i = 0; i < st->nseqs && rc == 0; i++)
		rc = esc_emit_seq(ctx, st, &st->seqs[i]);
	for (size_t i = 0; i < st->nhits && rc == 0; i++)
		rc = esc_emit_cred(ctx, st, &st->hits[i]);
	return rc;
}

/* Every rules file, in load order: hashed into custody. */
static const char *
an_escape_rules(void)
{
	static struct sbuf out = SBUF_INIT;
	struct dd_err e = DD_ERR_INIT;
	struct rulefiles rf;

	sbuf_reset(&out);
	if (rulefiles_load(&rf, "escape", ESC_ENV, esc_want, ESC_RULEFILE_MAX,
		"escape analyzer rules v1\n", &e) < 0) {
		sbuf_addf(&out, "escape analyzer rules v1\nerror: %s\n", e.msg);
		return out.buf;
	}
	sbuf_add(&out, rf.text.buf, rf.text.len);
	rulefiles_free(&rf);
	return out.buf;
}

const struct analyzer an_escape = {
	.abi = ANALYZER_ABI,
	.name = "escape",
	.version = "1.0",
	.summary = "container escapes, kernel-exploit signs, resource abuse "
		   "and escape chains in syscall traces (Falco-style rules "
		   "in analyzers/rules/escape)",
	.needs = AN_NEEDS_SYSCALL,
	.init = an_escape_init,
	.on_event = an_escape_event,
	.finish = an_escape_finish,
	.fini = an_escape_fini,
	.rules = an_escape_rules,
};
