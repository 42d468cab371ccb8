/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-seccomp.c: Docker/OCI seccomp profiles (FORMATS.md section 7.1):
 * read one and decide each of a case's syscalls against it (the what-if),
 * or write one from what a container was seen to call.
 *
 * Deciding follows what the Docker daemon and libseccomp do with the
 * JSON: a rule's includes/excludes (caps, arches, minKernel) are resolved
 * first against the capabilities given and the host architecture (amd64);
 * then for a call, a rule with argument conditions that hold decides
 * (the most restrictive action if several do), else a rule without
 * conditions, else defaultAction. An architecture the profile does not
 * list is killed, as libseccomp's filters do. Conditions over arguments
 * the trace does not hold leave the call undecided (counted, not denied).
 */
#include "core/common.h"

#include <jansson.h>
#include <sqlite3.h>

#include "analyzers/profile/pf-check.h"
#include "analyzers/profile/profile.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/syscalls.h"
#include "core/util.h"
#include "core/xmalloc.h"

enum pf_act {
	PF_A_ALLOW,
	PF_A_LOG,
	PF_A_TRACE,
	PF_A_NOTIFY,
	PF_A_ERRNO,
	PF_A_TRAP,
	PF_A_KILL_THREAD,
	PF_A_KILL_PROCESS,
};
/* in the kernel's order of precedence, least restrictive first */
static const char *const pf_act_names[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_LOG",
	"SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY", "SCMP_ACT_ERRNO", "SCMP_ACT_TRAP",
	"SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL_PROCESS" };

enum pf_op { PF_NE, PF_LT, PF_LE, PF_EQ, PF_GE, PF_GT, PF_MASKED_EQ };
static const char *const pf_op_names[] = { "SCMP_CMP_NE", "SCMP_CMP_LT",
	"SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
	"SCMP_CMP_MASKED_EQ" };

struct pf_sarg {
	int index, op;
	uint64_t value, value2;
};

struct pf_srule {
	char **names;
	size_t nnames;
	int action, errno_ret;
	struct pf_sarg *args;
	size_t nargs;
	uint64_t inc_caps, exc_caps;
	char **inc_arches, **exc_arches;
	size_t ninc_arches, nexc_arches;
	int min_maj, min_min; /* 0.0: none */
	bool active;
};

struct pf_seccomp {
	int def_action, def_errno;
	bool arch_x86_64, arch_x86, arch_x32, any_arch;
	struct pf_srule *r;
	size_t n;
	char **unknown;
	size_t nunknown;
	/* name -> active rule indices, after bind: open addressing */
	struct pf_sidx {
		const char *name;
		size_t *rules;
		size_t nrules;
	} *idx;
	size_t icap;
};

static int
pf_act_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	if (strcmp(s, "SCMP_ACT_KILL") == 0)
		return PF_A_KILL_THREAD;
	for (i = 0; i < sizeof(pf_act_names) / sizeof(pf_act_names[0]); i++)
		if (strcmp(s, pf_act_names[i]) == 0)
			return (int)i;
	return -1;
}

static bool
pf_act_denies(int a)
{
	return a != PF_A_ALLOW && a != PF_A_LOG;
}

static void
pf_srule_free(struct pf_srule *r)
{
	size_t i;

	for (i = 0; i < r->nnames; i++)
		free(r->names[i]);
	for (i = 0; i < r->ninc_arches; i++)
		free(r->inc_arches[i]);
	for (i = 0; i < r->nexc_arches; i++)
		free(r->exc_arches[i]);
	free(r->names);
	free(r->inc_arches);
	free(r->exc_arches);
	free(r->args);
}

void
pf_seccomp_free(struct pf_seccomp *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		pf_srule_free(&p->r[i]);
	for (i = 0; i < p->nunknown; i++)
		free(p->unknown[i]);
	for (i = 0; i < p->icap; i++)
		free(p->idx[i].rules);
	free(p->idx);
	free(p->unknown);
	free(p->r);
	free(p);
}

size_t
pf_seccomp_unknown(const struct pf_seccomp *p, char ***names)
{
	*names = p->unknown;
	return p->nunknown;
}

/* A JSON array of strings into v (NULL entries refused). */
static int
pf_strs(json_t *a, const char *path, const char *what, char ***v, size_t *n,
    struct dd_err *e)
{
	size_t i;

	*v = NULL;
	*n = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return dd_err_set(e, DD_EFORMAT, "%s: %s is not an array", path,
		    what);
	*v = xcalloc(json_array_size(a) + 1, sizeof(char *));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *x = json_array_get(a, i);
		if (!json_is_string(x))
			return dd_err_set(e, DD_EFORMAT,
			    "%s: %s[%zu] is not a string", path, what, i);
		(*v)[(*n)++] = xstrdup(json_string_value(x));
	}
	return 0;
}

static int
pf_caps_of(json_t *a, const char *path, const char *what, uint64_t *m,
    struct dd_err *e)
{
	size_t i;

	*m = 0;
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return dd_err_set(e, DD_EFORMAT, "%s: %s is not an array", path,
		    what);
	for (i = 0; i < json_array_size(a); i++) {
		json_t *x = json_array_get(a, i);
		int b = json_is_string(x) ? pf_cap_number(json_string_value(x)) :
					    -1;
		if (b < 0)
			return dd_err_set(e, DD_EFORMAT,
			    "%s: %s[%zu] is not a capability name", path, what,
			    i);
		*m |= 1ull << b;
	}
	return 0;
}

static int
pf_cond(json_t *o, const char *path, size_t ri, bool inc, struct pf_srule *r,
    struct dd_err *e)
{
	char what[64];
	json_t *mk;
	int rc;

	if (o == NULL || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return dd_err_set(e, DD_EFORMAT,
		    "%s: syscalls[%zu].%s is not an object", path, ri,
		    inc ? "includes" : "excludes");
	snprintf(what, sizeof(what), "syscalls[%zu].%s.caps", ri,
	    inc ? "includes" : "excludes");
	if ((rc = pf_caps_of(json_object_get(o, "caps"), path, what,
		 inc ? &r->inc_caps : &r->exc_caps, e)) < 0)
		return rc;
	snprintf(what, sizeof(what), "syscalls[%zu].%s.arches", ri,
	    inc ? "includes" : "excludes");
	if ((rc = pf_strs(json_object_get(o, "arches"), path, what,
		 inc ? &r->inc_arches : &r->exc_arches,
		 inc ? &r->ninc_arches : &r->nexc_arches, e)) < 0)
		return rc;
	if (inc && (mk = json_object_get(o, "minKernel")) != NULL &&
	    !json_is_null(mk)) {
		if (!json_is_string(mk) ||
		    sscanf(json_string_value(mk), "%d.%d", &r->min_maj,
			&r->min_min) != 2)
			return dd_err_set(e, DD_EFORMAT,
			    "%s: syscalls[%zu].includes.minKernel is not "
			    "\"X.Y\"",
			    path, ri);
	}
	return 0;
}

static bool
pf_u64_of(json_t *x, uint64_t *v)
{
	if (json_is_integer(x)) {
		*v = (uint64_t)json_integer_value(x);
		return true;
	}
	if (json_is_real(x) && json_real_value(x) >= 0 &&
	    json_real_value(x) < 18446744073709551616.0) {
		*v = (uint64_t)json_real_value(x);
		return true;
	}
	return false;
}

int
pf_seccomp_parse(const char *path, const char *text, size_t len,
    struct pf_seccomp **out, struct dd_err *e)
{
	json_error_t je;
	json_t *root, *a, *x;
	struct pf_seccomp *p;
	char **arches = NULL;
	size_t i, k, na = 0;
	int rc = 0;

	*out = NULL;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL)
		return dd_err_set_at(e, DD_EFORMAT, (int64_t)je.position,
		    "%s: not JSON: %s (line %d, column %d)", path, je.text,
		    je.line, je.column);
	p = xcalloc(1, sizeof(*p));
	if (!json_is_object(root)) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "%s: a seccomp profile is a JSON object", path);
		goto out;
	}
	if ((p->def_action = pf_act_parse(json_string_value(
		 json_object_get(root, "defaultAction")))) < 0) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "%s: defaultAction is missing or not a SCMP_ACT_ name",
		    path);
		goto out;
	}
	p->def_errno = 1;
	if ((x = json_object_get(root, "defaultErrnoRet")) != NULL &&
	    json_is_integer(x))
		p->def_errno = (int)json_integer_value(x);
	if (json_object_get(root, "architectures") != NULL &&
	    json_object_get(root, "archMap") != NULL) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "%s: both architectures and archMap (one or the other)",
		    path);
		goto out;
	}
	{
		if ((a = json_object_get(root, "architectures")) != NULL &&
		    (rc = pf_strs(a, path, "architectures", &arches, &na,
			 e)) < 0)
			goto out;
		if ((a = json_object_get(root, "archMap")) != NULL) {
			if (!json_is_array(a)) {
				rc = dd_err_set(e, DD_EFORMAT,
				    "%s: archMap is not an array", path);
				goto out;
			}
			for (i = 0; i < json_array_size(a); i++) {
				json_t *m = json_array_get(a, i), *sub;
				const char *main = json_string_value(
				    json_object_get(m, "architecture"));
				if (main == NULL) {
					rc = dd_err_set(e, DD_EFORMAT,
					    "%s: archMap[%zu] has no "
					    "architecture",
					    path, i);
					goto out;
				}
				arches = xreallocarray(arches, na + 1,
				    sizeof(char *));
				arches[na++] = xstrdup(main);
				sub = json_object_get(m, "subArchitectures");
				for (k = 0; json_is_array(sub) &&
				     k < json_array_size(sub);
				     k++) {
					const char *sa = json_string_value(
					    json_array_get(sub, k));
					if (sa == NULL)
						continue;
					arches = xreallocarray(arches, na + 1,
					    sizeof(char *));
					arches[na++] = xstrdup(sa);
				}
			}
		}
		p->any_arch = na == 0;
		for (i = 0; i < na; i++) {
			p->arch_x86_64 |= strcmp(arches[i], "SCMP_ARCH_X86_64") ==
			    0;
			p->arch_x86 |= strcmp(arches[i], "SCMP_ARCH_X86") == 0;
			p->arch_x32 |= strcmp(arches[i], "SCMP_ARCH_X32") == 0;
		}
	}
	a = json_object_get(root, "syscalls");
	if (a != NULL && !json_is_null(a) && !json_is_array(a)) {
		rc = dd_err_set(e, DD_EFORMAT, "%s: syscalls is not an array",
		    path);
		goto out;
	}
	p->r = xcalloc(json_array_size(a) + 1, sizeof(*p->r));
	for (i = 0; i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i), *names, *args;
		struct pf_srule *r = &p->r[p->n++];
		char what[48];
		if (!json_is_object(o)) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: syscalls[%zu] is not an object", path, i);
			goto out;
		}
		names = json_object_get(o, "names");
		if (names != NULL && json_object_get(o, "name") != NULL) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: syscalls[%zu] has both name and names", path,
			    i);
			goto out;
		}
		snprintf(what, sizeof(what), "syscalls[%zu].names", i);
		if (names != NULL) {
			if ((rc = pf_strs(names, path, what, &r->names,
				 &r->nnames, e)) < 0)
				goto out;
		} else if (json_is_string(x = json_object_get(o, "name"))) {
			r->names = xcalloc(2, sizeof(char *));
			r->names[0] = xstrdup(json_string_value(x));
			r->nnames = 1;
		}
		if ((r->action = pf_act_parse(json_string_value(
			 json_object_get(o, "action")))) < 0) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s: syscalls[%zu].action is missing or not a "
			    "SCMP_ACT_ name",
			    path, i);
			goto out;
		}
		r->errno_ret = -1;
		if (json_is_integer(x = json_object_get(o, "errnoRet")))
			r->errno_ret = (int)json_integer_value(x);
		else if (r->action == PF_A_ERRNO)
			r->errno_ret = p->def_errno;
		args = json_object_get(o, "args");
		if (args != NULL && !json_is_null(args)) {
			if (!json_is_array(args) || json_array_size(args) > 6) {
				rc = dd_err_set(e, DD_EFORMAT,
				    "%s: syscalls[%zu].args is not an array of "
				    "at most 6",
				    path, i);
				goto out;
			}
			r->args = xcalloc(json_array_size(args) + 1,
			    sizeof(*r->args));
			for (k = 0; k < json_array_size(args); k++) {
				json_t *g = json_array_get(args, k), *ix;
				struct pf_sarg *sa = &r->args[r->nargs++];
				const char *op = json_string_value(
				    json_object_get(g, "op"));
				size_t o2;
				ix = json_object_get(g, "index");
				sa->op = -1;
				for (o2 = 0; op != NULL && o2 < 7; o2++)
					if (strcmp(op, pf_op_names[o2]) == 0)
						sa->op = (int)o2;
				if (!json_is_integer(ix) ||
				    json_integer_value(ix) < 0 ||
				    json_integer_value(ix) > 5 || sa->op < 0 ||
				    !pf_u64_of(json_object_get(g, "value"),
					&sa->value)) {
					rc = dd_err_set(e, DD_EFORMAT,
					    "%s: syscalls[%zu].args[%zu] needs "
					    "index 0-5, value and a SCMP_CMP_ op",
					    path, i, k);
					goto out;
				}
				sa->index = (int)json_integer_value(ix);
				if (json_object_get(g, "valueTwo") != NULL &&
				    !pf_u64_of(json_object_get(g, "valueTwo"),
					&sa->value2)) {
					rc = dd_err_set(e, DD_EFORMAT,
					    "%s: syscalls[%zu].args[%zu]."
					    "valueTwo is not a number",
					    path, i, k);
					goto out;
				}
			}
		}
		if ((rc = pf_cond(json_object_get(o, "includes"), path, i, true,
			 r, e)) < 0 ||
		    (rc = pf_cond(json_object_get(o, "excludes"), path, i,
			 false, r, e)) < 0)
			goto out;
		for (k = 0; k < r->nnames; k++) {
			size_t u;
			if (sc_number(SC_ARCH_X86_64, r->names[k]) >= 0 ||
			    sc_number(SC_ARCH_I386, r->names[k]) >= 0)
				continue;
			for (u = 0; u < p->nunknown; u++)
				if (strcmp(p->unknown[u], r->names[k]) == 0)
					break;
			if (u == p->nunknown) {
				p->unknown = xreallocarray(p->unknown,
				    p->nunknown + 1, sizeof(char *));
				p->unknown[p->nunknown++] =
				    xstrdup(r->names[k]);
			}
		}
	}
out:
	for (i = 0; i < na; i++)
		free(arches[i]);
	free(arches);
	json_decref(root);
	if (rc < 0) {
		pf_seccomp_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static bool
pf_in(char **v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static struct pf_sidx *
pf_slot(const struct pf_seccomp *p, const char *name)
{
	size_t i;

	if (p->icap == 0)
		return NULL;
	for (i = pf_str_hash(name) & (p->icap - 1); p->idx[i].name != NULL;
	     i = (i + 1) & (p->icap - 1))
		if (strcmp(p->idx[i].name, name) == 0)
			return &p->idx[i];
	return &p->idx[i];
}

void
pf_seccomp_bind(struct pf_seccomp *p, uint64_t caps, int kmaj, int kmin)
{
	static const char *const host = "amd64";
	size_t i, k, total = 0;

	for (i = 0; i < p->icap; i++)
		free(p->idx[i].rules);
	free(p->idx);
	for (i = 0; i < p->n; i++) {
		struct pf_srule *r = &p->r[i];
		/* moby's seccomp_linux.go: every included cap held, no
		 * excluded cap held, the host arch included/not excluded,
		 * the kernel at least minKernel */
		r->active = (r->inc_caps & ~caps) == 0 &&
		    (r->exc_caps == 0 || (r->exc_caps & caps) == 0) &&
		    (r->ninc_arches == 0 ||
			pf_in(r->inc_arches, r->ninc_arches, host)) &&
		    !pf_in(r->exc_arches, r->nexc_arches, host) &&
		    (kmaj == 0 || r->min_maj == 0 || kmaj > r->min_maj ||
			(kmaj == r->min_maj && kmin >= r->min_min));
		if (r->active)
			total += r->nnames;
	}
	for (p->icap = 64; p->icap < total * 2 + 2; p->icap *= 2)
		;
	p->idx = xcalloc(p->icap, sizeof(*p->idx));
	for (i = 0; i < p->n; i++) {
		struct pf_srule *r = &p->r[i];
		if (!r->active)
			continue;
		for (k = 0; k < r->nnames; k++) {
			struct pf_sidx *x = pf_slot(p, r->names[k]);
			x->name = r->names[k];
			x->rules = xreallocarray(x->rules, x->nrules + 1,
			    sizeof(size_t));
			x->rules[x->nrules++] = i;
		}
	}
}

bool
pf_seccomp_needs_args(const struct pf_seccomp *p, const char *name)
{
	const struct pf_sidx *x = pf_slot(p, name);
	size_t i;

	for (i = 0; x != NULL && x->name != NULL && i < x->nrules; i++)
		if (p->r[x->rules[i]].nargs > 0)
			return true;
	return false;
}

static bool
pf_cmp(const struct pf_sarg *a, uint64_t v)
{
	switch (a->op) {
	case PF_NE:
		return v != a->value;
	case PF_LT:
		return v < a->value;
	case PF_LE:
		return v <= a->value;
	case PF_EQ:
		return v == a->value;
	case PF_GE:
		return v >= a->value;
	case PF_GT:
		return v > a->value;
	default:
		return (v & a->value) == a->value2;
	}
}

static void
pf_set(struct pf_decision *d, int action, int err, const char *why)
{
	d->verdict = pf_act_denies(action) ? PF_DENY : PF_ALLOW;
	if (action == PF_A_NOTIFY)
		d->verdict = PF_UNDECIDED; /* a supervisor decides */
	d->action = pf_act_names[action];
	d->errno_ret = action == PF_A_ERRNO ? err : -1;
	d->why = why;
}

void
pf_seccomp_decide(const struct pf_seccomp *p, const char *name,
    const char *arch, bool (*arg)(int i, uint64_t *v, void *user),
    void *user, struct pf_decision *d)
{
	const struct pf_sidx *x;
	int cond = -1, cond_err = -1, plain = -1, plain_err = -1;
	bool unknown = false;
	size_t i, k;

	if (!p->any_arch) {
		bool ok = arch == NULL || strcmp(arch, "x86_64") == 0 ?
		    p->arch_x86_64 :
		    strcmp(arch, "i386") == 0 ? p->arch_x86 :
						p->arch_x86_64;
		if (!ok) {
			pf_set(d, PF_A_KILL_THREAD, -1,
			    "the profile does not list the architecture");
			return;
		}
	} else if (arch != NULL && strcmp(arch, "i386") == 0) {
		/* no architectures: the native (x86_64) one only */
		pf_set(d, PF_A_KILL_THREAD, -1,
		    "the profile lists no architecture (native only)");
		return;
	}
	x = pf_slot(p, name);
	for (i = 0; x != NULL && x->name != NULL && i < x->nrules; i++) {
		const struct pf_srule *r = &p->r[x->rules[i]];
		if (r->nargs == 0) {
			if (plain < 0 || r->action > plain) {
				plain = r->action;
				plain_err = r->errno_ret;
			}
			continue;
		}
		{
			bool holds = true, known = true;
			for (k = 0; k < r->nargs && holds; k++) {
				uint64_t v;
				if (arg == NULL || !arg(r->args[k].index, &v,
						       user))
					known = false;
				else if (!pf_cmp(&r->args[k], v))
					holds = false;
			}
			if (holds && !known)
				unknown = true;
			else if (holds && (cond < 0 || r->action > cond)) {
				cond = r->action;
				cond_err = r->errno_ret;
			}
		}
	}
	if (cond >= 0)
		pf_set(d, cond, cond_err, "a rule whose argument conditions hold");
	else if (plain >= 0)
		pf_set(d, plain, plain_err, "a rule naming the call");
	else
		pf_set(d, p->def_action, p->def_errno,
		    "no rule: defaultAction");
	if (unknown && cond < 0) {
		/* a rule might have matched, had the trace held the
		 * argument: undecided unless it could not change the
		 * outcome */
		for (i = 0; x != NULL && x->name != NULL && i < x->nrules; i++) {
			const struct pf_srule *r = &p->r[x->rules[i]];
			if (r->nargs > 0 &&
			    pf_act_denies(r->action) != (d->verdict == PF_DENY)) {
				d->verdict = PF_UNDECIDED;
				d->why = "argument conditions over values the "
					 "trace does not hold";
				break;
			}
		}
	}
}

/* ---- the what-if ---- */

struct pf_evargs {
	const char *syscall, *flags, *family;
	const char *args; /* fetched on demand */
	bool args_loaded;
	struct store *s;
	int64_t id;
	char *owned;
};

static void
pf_evargs_load(struct pf_evargs *a)
{
	struct dd_err e = DD_ERR_INIT;
	sqlite3_stmt *st;

	if (a->args_loaded)
		return;
	a->args_loaded = true;
	/* the store's cached statement: prepared once per check */
	st = store_stmt(a->s, "SELECT args FROM events WHERE id = ?1", &e);
	if (st == NULL)
		return;
	sqlite3_bind_int64(st, 1, a->id);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		a->owned = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	a->args = a->owned;
}

/* Argument i of the event, from its normalised fields where strace's
 * text does not follow the kernel's order (clone, unshare, setns). */
static bool
pf_event_arg(int i, uint64_t *v, void *user)
{
	struct pf_evargs *a = user;
	char buf[512];
	const char *sc = a->syscall;

	if ((strcmp(sc, "clone") == 0 && i == 0) ||
	    (strcmp(sc, "unshare") == 0 && i == 0) ||
	    (strcmp(sc, "setns") == 0 && i == 1))
		return a->flags != NULL && pf_arg_value(a->flags, v);
	if (strcmp(sc, "clone") == 0)
		return false;
	if ((strcmp(sc, "socket") == 0 || strcmp(sc, "socketpair") == 0) &&
	    i == 0 && a->family != NULL && pf_arg_value(a->family, v))
		return true;
	pf_evargs_load(a);
	if (!pf_arg_text(a->args, i, buf, sizeof(buf)))
		return false;
	return pf_arg_value(buf, v);
}

/* Interned syscall names with the decision made without arguments. */
struct pf_memo {
	char *name;
	int state; /* 0 unknown, 1 decided, 2 needs arguments */
	struct pf_decision d;
};

int
pf_check_seccomp(struct store *s, const struct pf_scope *sc,
    const struct pf_check_opts *o, struct sbuf *out, uint64_t *denied,
    struct dd_err *e)
{
	struct pf_seccomp *p = NULL;
	struct pf_steps steps;
	struct pf_report rep;
	struct pf_memo *memo = NULL;
	size_t nmemo = 0, nused = 0, i;
	uint64_t caps;
	const char *how;
	char *text = NULL;
	size_t tlen = 0;
	sqlite3_stmt *st = NULL;
	int rc;

	*denied = 0;
	memset(&steps, 0, sizeof(steps));
	pf_report_init(&rep, o->profile_path, "seccomp");
	if ((rc = file_read_all(o->profile_path, 16u << 20, &text, &tlen, e)) <
	    0)
		goto out;
	if ((rc = pf_seccomp_parse(o->profile_path, text, tlen, &p, e)) < 0)
		goto out;
	if ((rc = pf_caps_parse(s, sc->container, o->caps, &caps, &how, e)) <
	    0)
		goto out;
	rep.caps = caps;
	rep.caps_how = how;
	rep.container = sc->container;
	if (p->nunknown > 0) {
		/* other architectures' calls, or names no kernel has */
		struct sbuf msg = SBUF_INIT;
		sbuf_addf(&msg,
		    "%zu syscall name%s in the profile %s no x86 call "
		    "(ignored):",
		    p->nunknown, p->nunknown == 1 ? "" : "s",
		    p->nunknown == 1 ? "is" : "are");
		for (i = 0; i < p->nunknown; i++)
			sbuf_addf(&msg, "%s %.64s", i ? "," : "", p->unknown[i]);
		pf_report_note(&rep, msg.buf);
		sbuf_release(&msg);
	}
	pf_seccomp_bind(p, caps, o->kmaj, o->kmin);
	if ((rc = pf_steps_load(s, &steps, e)) < 0)
		goto out;
	/* the process and container columns cost a lookup per row: read
	 * only when the scope needs them */
	if ((rc = pf_scan(s, sc,
		sc->narrowed ?
		    "SELECT id, syscall, arch, flags, family, process_id, "
		    "container_id FROM events WHERE kind = 'syscall' AND "
		    "(?1 = 0 OR artifact_id = ?1)" :
		    "SELECT id, syscall, arch, flags, family, NULL, NULL FROM "
		    "events WHERE kind = 'syscall' AND (?1 = 0 OR "
		    "artifact_id = ?1)", &st, e)) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *arch = (const char *)sqlite3_column_text(st, 2);
		int64_t id = sqlite3_column_int64(st, 0);
		/* "x86_64" (the tables' arch names differ at the start) */
		bool native = arch != NULL && arch[0] == 'x';
		struct pf_decision d;
		struct pf_memo *m = NULL;
		char act[64];
		if (name == NULL ||
		    !pf_scope_has(sc, sqlite3_column_int64(st, 5),
			(const char *)sqlite3_column_text(st, 6)))
			continue;
		/* the memo, by name: open addressing over nmemo slots */
		{
			size_t h = pf_str_hash(name), at;
			if (nmemo == 0 || nused * 2 >= nmemo) {
				/* (re)build at twice the size */
				struct pf_memo *old = memo;
				size_t on = nmemo, k2;
				nmemo = nmemo ? nmemo * 2 : 512;
				memo = xcalloc(nmemo, sizeof(*memo));
				for (k2 = 0; k2 < on; k2++) {
					size_t a2;
					if (old[k2].name == NULL)
						continue;
					for (a2 = pf_str_hash(old[k2].name) &
						 (nmemo - 1);
					     memo[a2].name != NULL;
					     a2 = (a2 + 1) & (nmemo - 1))
						;
					memo[a2] = old[k2];
				}
				free(old);
			}
			for (at = h & (nmemo - 1); memo[at].name != NULL &&
			     strcmp(memo[at].name, name) != 0;
			     at = (at + 1) & (nmemo - 1))
				;
			if (memo[at].name == NULL) {
				memo[at].name = xstrdup(name);
				nused++;
			}
			m = &memo[at];
		}
		if (native && m->state == 1)
			d = m->d;
		else {
			struct pf_evargs a;
			memset(&a, 0, sizeof(a));
			a.syscall = m->name;
			a.flags = (const char *)sqlite3_column_text(st, 3);
			a.family = (const char *)sqlite3_column_text(st, 4);
			a.s = s;
			a.id = id;
			pf_seccomp_decide(p, name, arch, pf_event_arg, &a, &d);
			free(a.owned);
			if (native && m->state == 0) {
				m->state = pf_seccomp_needs_args(p, name) ? 2 :
									   1;
				m->d = d;
			}
		}
		act[0] = '\0';
		if (d.verdict != PF_ALLOW) {
			if (d.errno_ret >= 0)
				snprintf(act, sizeof(act), "%s(%d)", d.action,
				    d.errno_ret);
			else
				snprintf(act, sizeof(act), "%s", d.action);
		}
		pf_report_event(&rep, id, m->name, NULL, d.verdict, act,
		    steps.n ? pf_steps_rule(&steps, id) : NULL);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(s, e, "events");
		goto out;
	}
	rc = 0;
	*denied = rep.ndeny;
	pf_report_emit(&rep, o->json, out);
out:
	if (st != NULL)
		sqlite3_finalize(st);
	for (i = 0; i < nmemo; i++)
		free(memo[i].name);
	free(memo);
	pf_report_release(&rep);
	pf_steps_release(&steps);
	pf_seccomp_free(p);
	free(text);
	return rc;
}

/* ---- generation ---- */

/* The calls runc makes between loading a container's filter and the
 * process's first instruction (libcontainer's standard init is Go: after
 * seccomp it finishes the sync with its parent, closes descriptors and
 * execs), and those every dynamically linked program makes before main.
 * `--baseline runtime` adds them so the profile can start a container. */
static const char *const pf_runtime_calls[] = { "arch_prctl", "brk",
	"capget", "capset", "chdir", "close", "close_range", "epoll_ctl",
	"epoll_pwait", "execve", "exit", "exit_group", "fchdir", "fcntl",
	"fstat", "futex", "getdents64", "getpid", "getppid", "gettid",
	"madvise", "mmap", "mprotect", "munmap", "nanosleep", "newfstatat",
	"openat", "prctl", "read", "readlinkat", "rseq", "rt_sigaction",
	"rt_sigprocmask", "rt_sigreturn", "sched_yield", "set_robust_list",
	"set_tid_address", "setgid", "setgroups", "setresgid", "setresuid",
	"setuid", "sigaltstack", "tgkill", "write" };

/* Start-up work (SPEAKER's booting phase): exec, the dynamic loader,
 * process set-up and reading configuration. */
static const char *const pf_startup_calls[] = { "access", "arch_prctl",
	"brk", "capget", "close", "execve", "execveat", "faccessat",
	"faccessat2", "fcntl", "fstat", "fstat64", "futex", "getcwd",
	"getegid", "geteuid", "getgid", "getpid", "getppid", "getrandom",
	"getuid", "ioctl", "lseek", "lstat", "mmap", "mmap2", "mprotect",
	"munmap", "newfstatat", "open", "openat", "prctl", "pread64",
	"prlimit64", "read", "readlink", "readlinkat", "rseq",
	"rt_sigaction", "rt_sigprocmask", "set_robust_list",
	"set_tid_address", "sigaltstack", "stat", "stat64", "statfs",
	"statx", "sysinfo", "uname" };

static bool
pf_listed(const char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* Is an open of path part of start-up (a library, the loader's cache,
 * configuration, the process's own /proc entries)? */
static bool
pf_startup_path(const char *path)
{
	static const char *const pre[] = { "/etc/", "/lib", "/usr/lib",
		"/usr/local/lib", "/usr/share/locale", "/usr/share/zoneinfo",
		"/proc/self/", "/proc/thread-self/", "/sys/devices/system/cpu",
		"/dev/null", "/dev/tty", "/dev/urandom" };
	size_t i;

	if (path == NULL)
		return true;
	if (strstr(path, ".so") != NULL)
		return true;
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (strncmp(path, pre[i], strlen(pre[i])) == 0)
			return true;
	return false;
}

struct pf_gcall {
	char *name;
	bool i386;
	uint64_t n, before, after, steps;
	/* argument evidence */
	uint64_t fam_mask; /* socket families seen (bit per family < 64) */
	bool fam_unknown;
	uint64_t clone_ns; /* namespace bits seen in clone flags */
	bool clone_unknown;
	uint64_t *pers; /* personality values */
	size_t npers;
	bool pers_unknown;
};

static int
pf_gcall_cmp(const void *a, const void *b)
{
	const struct pf_gcall *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->i386 - (int)y->i386;
}

#define PF_CLONE_NS 0x7E020000ull /* Docker's mask: CLONE_NEW* bits */

/* Where start-up ends: after the first process's exec, the first call
 * that is neither loading, set-up nor reading configuration. */
static int
pf_boundary(struct store *s, const struct pf_scope *sc, int64_t *out,
    struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	int64_t init = 0, last = INT64_MIN;
	bool execd = false;
	int rc;

	*out = INT64_MIN;
	if ((rc = pf_scan(s, sc,
		"SELECT ts, syscall, process_id, container_id, path, ret "
		"FROM events WHERE kind = 'syscall' AND (?1 = 0 OR "
		"artifact_id = ?1) ORDER BY ts, id", &st, e)) < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		int64_t pid = sqlite3_column_int64(st, 2);
		if (name == NULL ||
		    !pf_scope_has(sc, pid,
			(const char *)sqlite3_column_text(st, 3)))
			continue;
		last = sqlite3_column_int64(st, 0);
		if (init == 0)
			init = pid ? pid : -1;
		if (pid != init)
			continue;
		if (strcmp(name, "execve") == 0 || strcmp(name, "execveat") == 0) {
			execd = true;
			continue;
		}
		if (!execd && *out == INT64_MIN)
			continue; /* before its exec: the runtime's */
		if (!pf_listed(pf_startup_calls,
			sizeof(pf_startup_calls) / sizeof(pf_startup_calls[0]),
			name) ||
		    ((strcmp(name, "openat") == 0 || strcmp(name, "open") == 0) &&
			!pf_startup_path(
			    (const char *)sqlite3_column_text(st, 4)))) {
			*out = sqlite3_column_int64(st, 0);
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlerr(s, e, "events");
	if (*out == INT64_MIN && last != INT64_MIN)
		*out = last + 1; /* all of it was start-up */
	return 0;
}

static json_t *
pf_rule(json_t *names, const char *action)
{
	json_t *r = json_object();

	json_object_set_new(r, "names", names);
	json_object_set_new(r, "action", json_string(action));
	return r;
}

static json_t *
pf_arg_rule(const char *name, int index, uint64_t value, uint64_t value2,
    const char *op, const char *comment)
{
	json_t *names = json_array(), *args = json_array(), *a = json_object(),
	       *r;

	json_array_append_new(names, json_string(name));
	r = pf_rule(names, "SCMP_ACT_ALLOW");
	json_object_set_new(a, "index", json_integer(index));
	json_object_set_new(a, "value", json_integer((json_int_t)value));
	if (value2 != 0 || strcmp(op, "SCMP_CMP_MASKED_EQ") == 0)
		json_object_set_new(a, "valueTwo",
		    json_integer((json_int_t)value2));
	json_object_set_new(a, "op", json_string(op));
	json_array_append_new(args, a);
	json_object_set_new(r, "args", args);
	json_object_set_new(r, "comment", json_string(comment));
	return r;
}

int
pf_seccomp_generate(struct store *s, const struct pf_scope *sc,
    const struct pf_gen_opts *o, struct sbuf *out, struct sbuf *note,
    struct dd_err *e)
{
	struct pf_steps steps;
	struct pf_gcall *v = NULL;
	size_t n = 0, cap = 0, i, k;
	sqlite3_stmt *st = NULL;
	int64_t boundary = INT64_MIN;
	uint64_t nev = 0;
	bool want_before, want_after;
	json_t *prof = NULL, *rules, *plain, *left, *added;
	int rc;

	if ((rc = pf_steps_load(s, &steps, e)) < 0)
		return rc;
	want_before = strcmp(o->phase, "run") != 0;
	want_after = strcmp(o->phase, "startup") != 0;
	if (strcmp(o->phase, "all") != 0) {
		if (o->boundary != INT64_MIN)
			boundary = o->boundary;
		else if ((rc = pf_boundary(s, sc, &boundary, e)) < 0)
			goto out;
	}
	if ((rc = pf_scan(s, sc,
		"SELECT id, ts, syscall, arch, flags, family, process_id, "
		"container_id FROM events WHERE kind = 'syscall' AND (?1 = 0 "
		"OR artifact_id = ?1)", &st, e)) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 2);
		const char *arch = (const char *)sqlite3_column_text(st, 3);
		int64_t id = sqlite3_column_int64(st, 0),
			ts = sqlite3_column_int64(st, 1);
		bool i386 = arch != NULL && strcmp(arch, "i386") == 0, before;
		struct pf_gcall *g = NULL;
		if (name == NULL ||
		    !pf_scope_has(sc, sqlite3_column_int64(st, 6),
			(const char *)sqlite3_column_text(st, 7)))
			continue;
		/* names outside the tables (syscall_0x1b5) cannot be
		 * written: libseccomp would refuse them */
		if (strncmp(name, "syscall_", 8) == 0)
			continue;
		before = boundary != INT64_MIN && ts < boundary;
		if (boundary != INT64_MIN &&
		    ((before && !want_before) || (!before && !want_after)))
			continue;
		nev++;
		for (i = 0; i < n; i++)
			if (v[i].i386 == i386 && strcmp(v[i].name, name) == 0) {
				g = &v[i];
				break;
			}
		if (g == NULL) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = xreallocarray(v, cap, sizeof(*v));
			}
			g = &v[n++];
			memset(g, 0, sizeof(*g));
			g->name = xstrdup(name);
			g->i386 = i386;
		}
		g->n++;
		if (before)
			g->before++;
		else
			g->after++;
		if (steps.n && pf_steps_rule(&steps, id) != NULL)
			g->steps++;
		if (strcmp(name, "socket") == 0) {
			struct pf_evargs a;
			uint64_t f;
			memset(&a, 0, sizeof(a));
			a.syscall = g->name;
			a.family = (const char *)sqlite3_column_text(st, 5);
			a.s = s;
			a.id = id;
			if (pf_event_arg(0, &f, &a) && f < 64)
				g->fam_mask |= 1ull << f;
			else
				g->fam_unknown = true;
			free(a.owned);
		} else if (strcmp(name, "clone") == 0 && !i386) {
			uint64_t f;
			const char *fl = (const char *)sqlite3_column_text(st, 4);
			if (fl != NULL && pf_arg_value(fl, &f))
				g->clone_ns |= f & PF_CLONE_NS;
			else
				g->clone_unknown = true;
		} else if (strcmp(name, "personality") == 0) {
			struct pf_evargs a;
			uint64_t f;
			memset(&a, 0, sizeof(a));
			a.syscall = g->name;
			a.s = s;
			a.id = id;
			if (pf_event_arg(0, &f, &a)) {
				for (k = 0; k < g->npers && g->pers[k] != f; k++)
					;
				if (k == g->npers && g->npers < 16) {
					g->pers = xreallocarray(g->pers,
					    g->npers + 1, sizeof(uint64_t));
					g->pers[g->npers++] = f;
				} else if (k == g->npers)
					g->pers_unknown = true;
			} else
				g->pers_unknown = true;
			free(a.owned);
		}
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(s, e, "events");
		goto out;
	}
	rc = 0;
	if (nev == 0) {
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "no syscall events in scope%s: nothing to derive a profile "
		    "from",
		    strcmp(o->phase, "all") ? " and phase" : "");
		goto out;
	}
	qsort(v, n, sizeof(*v), pf_gcall_cmp);

	prof = json_object();
	json_object_set_new(prof, "defaultAction",
	    json_string("SCMP_ACT_ERRNO"));
	json_object_set_new(prof, "defaultErrnoRet", json_integer(1));
	{
		json_t *am = json_array(), *m = json_object(),
		       *sub = json_array();
		json_object_set_new(m, "architecture",
		    json_string("SCMP_ARCH_X86_64"));
		json_array_append_new(sub, json_string("SCMP_ARCH_X86"));
		json_array_append_new(sub, json_string("SCMP_ARCH_X32"));
		json_object_set_new(m, "subArchitectures", sub);
		json_array_append_new(am, m);
		json_object_set_new(prof, "archMap", am);
	}
	rules = json_array();
	plain = json_array();
	left = json_array();
	added = json_array();
	/* unconditional names first (both arches share names: libseccomp
	 * resolves a name per architecture and skips where it has none) */
	for (i = 0; i < n; i++) {
		struct pf_gcall *g = &v[i];
		bool dup = i > 0 && strcmp(v[i - 1].name, g->name) == 0;
		if (g->steps == g->n) {
			/* seen only as escape steps: left out */
			json_t *x = json_object();
			json_object_set_new(x, "name", json_string(g->name));
			json_object_set_new(x, "events",
			    json_integer((json_int_t)g->n));
			json_array_append_new(left, x);
			continue;
		}
		if (dup)
			continue;
		if (strcmp(g->name, "socket") == 0 && !g->fam_unknown &&
		    g->fam_mask != 0)
			continue;
		if (strcmp(g->name, "clone") == 0 && !g->i386 &&
		    !g->clone_unknown && g->clone_ns == 0)
			continue;
		if (strcmp(g->name, "personality") == 0 && !g->pers_unknown &&
		    g->npers > 0)
			continue;
		json_array_append_new(plain, json_string(g->name));
	}
	if (o->baseline_runtime) {
		for (k = 0; k < sizeof(pf_runtime_calls) / sizeof(char *); k++) {
			bool have = false;
			for (i = 0; i < json_array_size(plain) && !have; i++)
				have = strcmp(json_string_value(
						  json_array_get(plain, i)),
					   pf_runtime_calls[k]) == 0;
			if (have)
				continue;
			json_array_append_new(plain,
			    json_string(pf_runtime_calls[k]));
			json_array_append_new(added,
			    json_string(pf_runtime_calls[k]));
		}
		/* keep the names sorted */
		{
			size_t np = json_array_size(plain), a2, b2;
			for (a2 = 1; a2 < np; a2++)
				for (b2 = a2; b2 > 0 &&
				     strcmp(json_string_value(
						json_array_get(plain, b2 - 1)),
					 json_string_value(
					     json_array_get(plain, b2))) > 0;
				     b2--) {
					json_t *t1 = json_incref(
						   json_array_get(plain, b2 - 1)),
					       *t2 = json_incref(
						   json_array_get(plain, b2));
					json_array_set_new(plain, b2 - 1, t2);
					json_array_set_new(plain, b2, t1);
				}
		}
	}
	json_array_append_new(rules, pf_rule(plain, "SCMP_ACT_ALLOW"));
	for (i = 0; i < n; i++) {
		struct pf_gcall *g = &v[i];
		if (g->steps == g->n ||
		    (i > 0 && strcmp(v[i - 1].name, g->name) == 0))
			continue;
		if (strcmp(g->name, "socket") == 0 && !g->fam_unknown &&
		    g->fam_mask != 0) {
			for (k = 0; k < 64; k++)
				if (g->fam_mask & (1ull << k))
					json_array_append_new(rules,
					    pf_arg_rule("socket", 0, k, 0,
						"SCMP_CMP_EQ",
						"an address family the "
						"trace used"));
		} else if (strcmp(g->name, "clone") == 0 && !g->i386 &&
		    !g->clone_unknown && g->clone_ns == 0) {
			json_array_append_new(rules,
			    pf_arg_rule("clone", 0, PF_CLONE_NS, 0,
				"SCMP_CMP_MASKED_EQ",
				"no new namespaces: the trace made none"));
		} else if (strcmp(g->name, "personality") == 0 &&
		    !g->pers_unknown && g->npers > 0) {
			for (k = 0; k < g->npers; k++)
				json_array_append_new(rules,
				    pf_arg_rule("personality", 0, g->pers[k], 0,
					"SCMP_CMP_EQ",
					"a personality the trace set"));
		}
	}
	json_object_set_new(prof, "syscalls", rules);
	{
		json_t *doc = prof;
		if (o->json_report) {
			json_t *calls = json_array();
			doc = json_object();
			json_object_set_new(doc, "kind", json_string("seccomp"));
			json_object_set_new(doc, "container",
			    sc->container ? json_string(sc->container) :
					    json_null());
			json_object_set_new(doc, "phase", json_string(o->phase));
			json_object_set_new(doc, "boundary_ts",
			    boundary != INT64_MIN ? json_integer(boundary) :
						    json_null());
			json_object_set_new(doc, "boundary_given",
			    json_boolean(o->boundary != INT64_MIN));
			json_object_set_new(doc, "events",
			    json_integer((json_int_t)nev));
			for (i = 0; i < n; i++) {
				json_t *x = json_object();
				json_object_set_new(x, "name",
				    json_string(v[i].name));
				json_object_set_new(x, "arch",
				    json_string(v[i].i386 ? "i386" : "x86_64"));
				json_object_set_new(x, "events",
				    json_integer((json_int_t)v[i].n));
				json_object_set_new(x, "escape_steps",
				    json_integer((json_int_t)v[i].steps));
				json_array_append_new(calls, x);
			}
			json_object_set_new(doc, "syscalls", calls);
			json_object_set_new(doc, "left_out_escape_only", left);
			left = NULL;
			json_object_set_new(doc, "baseline_added", added);
			added = NULL;
			json_object_set_new(doc, "profile", prof);
			prof = NULL;
		}
		pf_json_emit(out, doc);
		if (doc != prof)
			json_decref(doc);
	}
	if (note != NULL) {
		sbuf_addf(note, "%" PRIu64 " syscall events, %zu calls", nev,
		    n);
		if (boundary != INT64_MIN)
			sbuf_addf(note, "; start-up ends at %" PRId64 " (%s)",
			    boundary, o->boundary != INT64_MIN ? "given" :
								 "found");
		sbuf_addstr(note, "\n");
		for (i = 0; i < n; i++)
			if (v[i].steps == v[i].n)
				sbuf_addf(note,
				    "left out: %s (%" PRIu64 " event%s, all "
				    "of them escape steps)\n",
				    v[i].name, v[i].n, v[i].n == 1 ? "" : "s");
		if (added != NULL && json_array_size(added) > 0)
			sbuf_addf(note, "added for the runtime: %zu calls\n",
			    json_array_size(added));
	}
	json_decref(left);
	json_decref(added);
out:
	if (st != NULL)
		sqlite3_finalize(st);
	json_decref(prof);
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].pers);
	}
	free(v);
	pf_steps_release(&steps);
	return rc;
}
