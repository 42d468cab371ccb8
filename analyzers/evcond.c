/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evcond.c: Falco-style event conditions (see evcond.h).
 *
 * Compilation: a recursive-descent parser over a small lexer builds a
 * tree in the defs' arena. Macros are compiled once, on first use, and
 * shared; lists are expanded into the checks that name them. Values are
 * converted to the field's type at compile time (a number for a numeric
 * field, true/false for a flag), so evaluation does no parsing beyond
 * what lazily derived fields need.
 *
 * Bounds: a condition (macros expanded) may nest EVC_DEPTH deep and a
 * macro may use macros EVC_MACRO_DEPTH deep (a cycle is an error).
 */
#include "core/common.h"

#include <ctype.h>
#include <fnmatch.h>

#include "analyzers/evcond.h"
#include "core/arena.h"
#include "core/dderr.h"
#include "core/util.h"

#define EVC_DEPTH 200
#define EVC_MACRO_DEPTH 32
#define EVC_ITEMS_MAX 100000

/* ---- fields ---- */

enum evc_type { T_STR, T_INT, T_BOOL };

enum evc_fid {
	F_TYPE, F_NUM, F_TIME, F_DIR, F_RES, F_RAWRES, F_FAILED,
	F_OPEN_WRITE, F_OPEN_READ, F_OPEN_CREATE, F_ARGS, F_ARG_PATH,
	F_ARG_PATH2, F_ARG_FLAGS, F_ARG_FD, F_ARG_FAMILY, F_ARG_ADDR,
	F_ARG_PORT, F_ARG_TARGET, F_ARG_TYPE, F_ARGN, F_FDNAME, F_FDDIR,
	F_FDFILE, F_FDNUM, F_FDTYPE, F_FDTYPECHAR, F_FDRIP, F_FDRPORT,
	F_PNAME, F_PID, F_TID, F_EXE, F_CMDLINE, F_PARENT, F_PPID, F_PEXE,
	F_PCMDLINE, F_CID, F_CNAME, F_CIMAGE, F_CPRIV, F_TARGET_CID,
	F_TARGET_OTHER, F_UID,
};

struct evc_field {
	const char *name;
	unsigned char fid, type;
};

/* Falco's names where Falco has the field; evt.arg.NAME maps sysdig's
 * parameter names onto the normalised columns. */
static const struct evc_field evc_fields[] = {
	{ "container.id", F_CID, T_STR },
	{ "container.image", F_CIMAGE, T_STR },
	{ "container.image.repository", F_CIMAGE, T_STR },
	{ "container.name", F_CNAME, T_STR },
	{ "container.privileged", F_CPRIV, T_BOOL },
	{ "evt.arg.addr", F_ARG_ADDR, T_STR },
	{ "evt.arg.dev", F_ARG_PATH2, T_STR },
	{ "evt.arg.dir", F_ARG_PATH, T_STR },
	{ "evt.arg.domain", F_ARG_FAMILY, T_STR },
	{ "evt.arg.family", F_ARG_FAMILY, T_STR },
	{ "evt.arg.fd", F_ARG_FD, T_INT },
	{ "evt.arg.filename", F_ARG_PATH, T_STR },
	{ "evt.arg.flags", F_ARG_FLAGS, T_STR },
	{ "evt.arg.linkpath", F_ARG_PATH2, T_STR },
	{ "evt.arg.name", F_ARG_PATH, T_STR },
	{ "evt.arg.newpath", F_ARG_PATH2, T_STR },
	{ "evt.arg.oldpath", F_ARG_PATH, T_STR },
	{ "evt.arg.path", F_ARG_PATH, T_STR },
	{ "evt.arg.pathname", F_ARG_PATH, T_STR },
	{ "evt.arg.pid", F_ARG_TARGET, T_INT },
	{ "evt.arg.port", F_ARG_PORT, T_INT },
	{ "evt.arg.request", F_ARG_FLAGS, T_STR },
	{ "evt.arg.source", F_ARG_PATH2, T_STR },
	{ "evt.arg.target", F_ARG_PATH, T_STR },
	{ "evt.arg.type", F_ARG_TYPE, T_STR },
	{ "evt.args", F_ARGS, T_STR },
	{ "evt.dir", F_DIR, T_STR },
	{ "evt.failed", F_FAILED, T_BOOL },
	{ "evt.is_open_create", F_OPEN_CREATE, T_BOOL },
	{ "evt.is_open_read", F_OPEN_READ, T_BOOL },
	{ "evt.is_open_write", F_OPEN_WRITE, T_BOOL },
	{ "evt.num", F_NUM, T_INT },
	{ "evt.rawres", F_RAWRES, T_INT },
	{ "evt.rawtime", F_TIME, T_INT },
	{ "evt.res", F_RES, T_STR },
	{ "evt.type", F_TYPE, T_STR },
	{ "fd.dip", F_FDRIP, T_STR },
	{ "fd.directory", F_FDDIR, T_STR },
	{ "fd.dport", F_FDRPORT, T_INT },
	{ "fd.filename", F_FDFILE, T_STR },
	{ "fd.name", F_FDNAME, T_STR },
	{ "fd.num", F_FDNUM, T_INT },
	{ "fd.rip", F_FDRIP, T_STR },
	{ "fd.rport", F_FDRPORT, T_INT },
	{ "fd.sockfamily", F_ARG_FAMILY, T_STR },
	{ "fd.type", F_FDTYPE, T_STR },
	{ "fd.typechar", F_FDTYPECHAR, T_STR },
	{ "proc.cmdline", F_CMDLINE, T_STR },
	{ "proc.exe", F_EXE, T_STR },
	{ "proc.exepath", F_EXE, T_STR },
	{ "proc.name", F_PNAME, T_STR },
	{ "proc.pcmdline", F_PCMDLINE, T_STR },
	{ "proc.pexe", F_PEXE, T_STR },
	{ "proc.pexepath", F_PEXE, T_STR },
	{ "proc.pid", F_PID, T_INT },
	{ "proc.pname", F_PARENT, T_STR },
	{ "proc.ppid", F_PPID, T_INT },
	{ "syscall.type", F_TYPE, T_STR },
	{ "target.container.id", F_TARGET_CID, T_STR },
	{ "target.container.other", F_TARGET_OTHER, T_BOOL },
	{ "thread.tid", F_TID, T_INT },
	{ "user.uid", F_UID, T_INT },
};

static const struct evc_field *
evc_field_find(const char *name, size_t n)
{
	size_t lo = 0, hi = ARRAY_SIZE(evc_fields);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *f = evc_fields[mid].name;
		int c = strncmp(f, name, n);
		if (c == 0)
			c = f[n] == '\0' ? 0 : 1;
		if (c == 0)
			return &evc_fields[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- the tree ---- */

enum evc_op {
	OP_AND, OP_OR, OP_NOT, OP_TRUE, OP_FALSE,
	/* checks */
	OP_EXISTS, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS,
	OP_ICONTAINS, OP_STARTS, OP_ENDS, OP_GLOB, OP_IN, OP_PMATCH,
};

struct evc {
	unsigned char op, fid, type;
	int argn;		/* evt.arg[N] */
	struct evc *l, *r;	/* AND/OR/NOT children */
	const char **sv;	/* string values */
	int64_t *iv;		/* numeric (bool: 0/1) values */
	size_t nv;
	/* syscall names the node requires (types_all: any) */
	bool types_all;
	const char **types;
	size_t ntypes;
};

struct evc_def {
	struct evc_def *next;
	char *name;
	bool is_list;
	const char **items;	/* list */
	size_t nitems;
	char *cond;		/* macro */
	struct evc *compiled;
	bool busy;		/* being compiled: a cycle */
};

struct evc_defs {
	struct arena *a;
	struct evc_def *head;
};

struct evc_defs *
evc_defs_new(struct arena *a)
{
	struct evc_defs *d = arena_zalloc(a, sizeof(*d));

	d->a = a;
	return d;
}

static struct evc_def *
evc_def_find(struct evc_defs *d, const char *name, size_t n)
{
	for (struct evc_def *x = d->head; x != NULL; x = x->next)
		if (strncmp(x->name, name, n) == 0 && x->name[n] == '\0')
			return x;
	return NULL;
}

static struct evc_def *
evc_def_get(struct evc_defs *d, const char *name, bool is_list, bool append,
    struct dd_err *e)
{
	struct evc_def *x = evc_def_find(d, name, strlen(name));

	if (x != NULL && x->is_list != is_list) {
		dd_err_set(e, DD_EFORMAT, "'%s' is already a %s", name,
		    x->is_list ? "list" : "macro");
		return NULL;
	}
	if (x == NULL && append) {
		dd_err_set(e, DD_EFORMAT, "append to '%s', which is not "
		    "defined before", name);
		return NULL;
	}
	if (x == NULL) {
		x = arena_zalloc(d->a, sizeof(*x));
		x->name = arena_strdup(d->a, name);
		x->is_list = is_list;
		x->next = d->head;
		d->head = x;
	}
	return x;
}

int
evc_defs_list(struct evc_defs *d, const char *name,
    const char *const *items, size_t n, bool append, struct dd_err *e)
{
	struct evc_def *x = evc_def_get(d, name, true, append, e);
	const char **v;
	size_t base;

	if (x == NULL)
		return e->code;
	base = append ? x->nitems : 0;
	if (base + n > EVC_ITEMS_MAX)
		return dd_err_set(e, DD_ELIMIT, "list '%s': more than %d items",
		    name, EVC_ITEMS_MAX);
	v = arena_alloc(d->a, (base + n + 1) * sizeof(*v));
	if (base > 0)
		memcpy(v, x->items, base * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[base + i] = arena_strdup(d->a, items[i]);
	x->items = v;
	x->nitems = base + n;
	return 0;
}

int
evc_defs_macro(struct evc_defs *d, const char *name, const char *cond,
    bool append, struct dd_err *e)
{
	struct evc_def *x = evc_def_get(d, name, false, append, e);

	if (x == NULL)
		return e->code;
	if (x->compiled != NULL)
		return dd_err_set(e, DD_EFORMAT, "macro '%s' changed after a "
		    "rule used it", name);
	x->cond = append ? arena_printf(d->a, "%s %s", x->cond, cond) :
	    arena_strdup(d->a, cond);
	return 0;
}

/* ---- lexer ---- */

enum evc_tok { K_END, K_LP, K_RP, K_COMMA, K_OP, K_WORD, K_STR };

struct evc_lex {
	struct evc_defs *d;
	const char *text, *p;
	int tok;
	const char *tp;		/* token start */
	size_t tn;		/* token length (words, operators) */
	char *sval;		/* the token's value (unquoted strings) */
	int depth, mdepth;
	struct dd_err *e;
};

static bool
evc_wordch(int c)
{
	return c != '\0' && !isspace(c) && c != '(' && c != ')' && c != ',' &&
	    c != '=' && c != '<' && c != '>' && c != '!' && c != '"' &&
	    c != '\'';
}

static int
evc_next(struct evc_lex *x)
{
	const char *p = x->p;

	while (isspace((unsigned char)*p))
		p++;
	x->tp = p;
	x->sval = NULL;
	if (*p == '\0') {
		x->tok = K_END;
		x->tn = 0;
	} else if (*p == '(' || *p == ')' || *p == ',') {
		x->tok = *p == '(' ? K_LP : *p == ')' ? K_RP : K_COMMA;
		x->tn = 1;
		p++;
	} else if (*p == '=' || *p == '<' || *p == '>' || *p == '!') {
		x->tok = K_OP;
		x->tn = (p[1] == '=') ? 2 : 1;
		if (*p == '!' && p[1] != '=')
			return dd_err_set(x->e, DD_EFORMAT, "at %d: '!' "
			    "without '='", (int)(p - x->text));
		p += x->tn;
	} else if (*p == '"' || *p == '\'') {
		char q = *p++, *o;
		const char *s = p;
		while (*p != '\0' && *p != q) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			p++;
		}
		if (*p != q)
			return dd_err_set(x->e, DD_EFORMAT, "at %d: unterminated "
			    "string", (int)(x->tp - x->text));
		o = x->sval = arena_alloc(x->d->a, (size_t)(p - s) + 1);
		for (; s < p; s++) {
			if (*s == '\\' && s + 1 < p)
				s++;
			*o++ = *s;
		}
		*o = '\0';
		p++;
		x->tok = K_STR;
		x->tn = (size_t)(p - x->tp);
	} else {
		while (evc_wordch((unsigned char)*p)) {
			/* evt.arg[1], proc.aname[2]: brackets belong to the
			 * word */
			p++;
		}
		x->tok = K_WORD;
		x->tn = (size_t)(p - x->tp);
		x->sval = arena_strndup(x->d->a, x->tp, x->tn);
	}
	x->p = p;
	return 0;
}

static bool
evc_is(const struct evc_lex *x, const char *w)
{
	return x->tok == K_WORD && strlen(w) == x->tn &&
	    strncmp(x->tp, w, x->tn) == 0;
}

/* ---- type sets (the prefilter) ---- */

static void
evc_types_leaf(struct evc *n)
{
	n->types_all = true;
	if (n->fid != F_TYPE || n->type != T_STR)
		return;
	if (n->op == OP_EQ || n->op == OP_IN) {
		n->types_all = false;
		n->types = n->sv;
		n->ntypes = n->nv;
	}
}

static bool
evc_types_has(const struct evc *n, const char *s)
{
	for (size_t i = 0; i < n->ntypes; i++)
		if (strcmp(n->types[i], s) == 0)
			return true;
	return false;
}

static void
evc_types_join(struct arena *a, struct evc *n)
{
	struct evc *l = n->l, *r = n->r;

	n->types_all = true;
	if (n->op == OP_AND) {
		if (l->types_all && r->types_all)
			return;
		n->types_all = false;
		if (l->types_all || r->types_all) {
			const struct evc *k = l->types_all ? r : l;
			n->types = k->types;
			n->ntypes = k->ntypes;
			return;
		}
		n->types = arena_alloc(a, (l->ntypes + 1) * sizeof(char *));
		for (size_t i = 0; i < l->ntypes; i++)
			if (evc_types_has(r, l->types[i]))
				n->types[n->ntypes++] = l->types[i];
	} else if (n->op == OP_OR) {
		if (l->types_all || r->types_all)
			return;
		n->types_all = false;
		n->types = arena_alloc(a, (l->ntypes + r->ntypes + 1) *
		    sizeof(char *));
		memcpy(n->types, l->types, l->ntypes * sizeof(char *));
		n->ntypes = l->ntypes;
		for (size_t i = 0; i < r->ntypes; i++)
			if (!evc_types_has(l, r->types[i]))
				n->types[n->ntypes++] = r->types[i];
	} else if (n->op == OP_FALSE) {
		n->types_all = false;
	}
}

/* ---- parser ---- */

static struct evc *evc_or(struct evc_lex *x);

static struct evc *
evc_node(struct evc_lex *x, int op)
{
	struct evc *n = arena_zalloc(x->d->a, sizeof(*n));

	n->op = (unsigned char)op;
	n->types_all = true;
	return n;
}

static int
evc_binop(const struct evc_lex *x)
{
	static const struct {
		const char *w;
		int op;
	} ops[] = {
		{ "=", OP_EQ }, { "==", OP_EQ }, { "!=", OP_NE },
		{ "<", OP_LT }, { "<=", OP_LE }, { ">", OP_GT },
		{ ">=", OP_GE }, { "contains", OP_CONTAINS },
		{ "icontains", OP_ICONTAINS }, { "startswith", OP_STARTS },
		{ "endswith", OP_ENDS }, { "glob", OP_GLOB }, { "in", OP_IN },
		{ "intersects", OP_IN }, { "pmatch", OP_PMATCH },
		{ "exists", OP_EXISTS },
	};

	if (x->tok != K_OP && x->tok != K_WORD)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (strlen(ops[i].w) == x->tn &&
		    strncmp(ops[i].w, x->tp, x->tn) == 0)
			return ops[i].op;
	return -1;
}

/* Append value s (converted to the field's type) to check n. */
static int
evc_value(struct evc_lex *x, struct evc *n, const char *s, size_t *cap)
{
	if (n->nv == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		const char **sv = arena_alloc(x->d->a, nc * sizeof(*sv));
		int64_t *iv = arena_alloc(x->d->a, nc * sizeof(*iv));
		if (n->nv) {
			memcpy(sv, n->sv, n->nv * sizeof(*sv));
			memcpy(iv, n->iv, n->nv * sizeof(*iv));
		}
		n->sv = sv;
		n->iv = iv;
		*cap = nc;
	}
	n->sv[n->nv] = s;
	n->iv[n->nv] = 0;
	if (n->type == T_INT && !parse_i64(s, &n->iv[n->nv]))
		return dd_err_set(x->e, DD_EFORMAT, "at %d: '%s' is not a "
		    "number", (int)(x->tp - x->text), s);
	if (n->type == T_BOOL) {
		if (strcasecmp(s, "true") == 0)
			n->iv[n->nv] = 1;
		else if (strcasecmp(s, "false") != 0)
			return dd_err_set(x->e, DD_EFORMAT, "at %d: '%s' is not "
			    "true or false", (int)(x->tp - x->text), s);
	}
	n->nv++;
	return 0;
}

/* Items of a list, lists inside expanded (depth-bounded). */
static int
evc_list_items(struct evc_lex *x, struct evc *n, struct evc_def *l,
    size_t *cap, int depth)
{
	if (depth > EVC_MACRO_DEPTH)
		return dd_err_set(x->e, DD_ELIMIT, "list '%s': nested deeper "
		    "than %d (a cycle?)", l->name, EVC_MACRO_DEPTH);
	for (size_t i = 0; i < l->nitems; i++) {
		struct evc_def *in = evc_def_find(x->d, l->items[i],
		    strlen(l->items[i]));
		int rc;
		if (in != NULL && in->is_list)
			rc = evc_list_items(x, n, in, cap, depth + 1);
		else
			rc = evc_value(x, n, l->items[i], cap);
		if (rc < 0)
			return rc;
		if (n->nv > EVC_ITEMS_MAX)
			return dd_err_set(x->e, DD_ELIMIT, "more than %d items",
			    EVC_ITEMS_MAX);
	}
	return 0;
}

static struct evc *
evc_check(struct evc_lex *x, const struct evc_field *f, int argn)
{
	struct evc *n;
	size_t cap = 0;
	int op;

	if (evc_next(x) < 0)
		return NULL;
	if ((op = evc_binop(x)) < 0) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: an operator after '%s'",
		    (int)(x->tp - x->text), f->name);
		return NULL;
	}
	n = evc_node(x, op);
	n->fid = f->fid;
	n->type = f->type;
	n->argn = argn;
	if (evc_next(x) < 0)
		return NULL;
	if (op == OP_EXISTS)
		return n;
	if (n->type == T_BOOL && op != OP_EQ && op != OP_NE) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: '%s' is true or false: "
		    "only = and != apply", (int)(x->tp - x->text), f->name);
		return NULL;
	}
	if (n->type != T_STR && op >= OP_CONTAINS && op != OP_IN) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: '%s' is a number: string "
		    "operators do not apply", (int)(x->tp - x->text), f->name);
		return NULL;
	}
	if (op == OP_IN || op == OP_PMATCH) {
		if (x->tok != K_LP) {
			dd_err_set(x->e, DD_EFORMAT, "at %d: '(' after in",
			    (int)(x->tp - x->text));
			return NULL;
		}
		for (;;) {
			struct evc_def *l;
			if (evc_next(x) < 0)
				return NULL;
			if (x->tok == K_RP && n->nv == 0)
				break;
			if (x->tok != K_WORD && x->tok != K_STR) {
				dd_err_set(x->e, DD_EFORMAT, "at %d: a value",
				    (int)(x->tp - x->text));
				return NULL;
			}
			l = x->tok == K_WORD ? evc_def_find(x->d, x->tp,
			    x->tn) : NULL;
			if (l != NULL && l->is_list) {
				if (evc_list_items(x, n, l, &cap, 0) < 0)
					return NULL;
			} else if (evc_value(x, n, x->sval, &cap) < 0) {
				return NULL;
			}
			if (evc_next(x) < 0)
				return NULL;
			if (x->tok == K_RP)
				break;
			if (x->tok != K_COMMA) {
				dd_err_set(x->e, DD_EFORMAT, "at %d: ',' or ')'",
				    (int)(x->tp - x->text));
				return NULL;
			}
		}
		if (evc_next(x) < 0)
			return NULL;
		if (op == OP_IN && n->type == T_STR && n->fid == F_TYPE)
			evc_types_leaf(n);
		return n;
	}
	if (x->tok == K_OP) /* evt.dir = < */
		x->sval = arena_strndup(x->d->a, x->tp, x->tn);
	else if (x->tok != K_WORD && x->tok != K_STR) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: a value after the "
		    "operator", (int)(x->tp - x->text));
		return NULL;
	}
	if (evc_value(x, n, x->sval, &cap) < 0 || evc_next(x) < 0)
		return NULL;
	evc_types_leaf(n);
	return n;
}

static struct evc *
evc_macro(struct evc_lex *x, struct evc_def *m)
{
	struct evc_lex sub;

	if (m->compiled != NULL)
		return m->compiled;
	if (m->busy || x->mdepth >= EVC_MACRO_DEPTH) {
		dd_err_set(x->e, DD_EFORMAT, "macro '%s' uses itself",
		    m->name);
		return NULL;
	}
	memset(&sub, 0, sizeof(sub));
	sub.d = x->d;
	sub.text = sub.p = m->cond;
	sub.e = x->e;
	sub.mdepth = x->mdepth + 1;
	sub.depth = x->depth;
	m->busy = true;
	if (evc_next(&sub) == 0)
		m->compiled = evc_or(&sub);
	m->busy = false;
	if (m->compiled != NULL && sub.tok != K_END) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: unexpected '%.*s'",
		    (int)(sub.tp - sub.text), (int)sub.tn, sub.tp);
		m->compiled = NULL;
	}
	if (m->compiled == NULL)
		dd_err_prefix(x->e, "macro '%s'", m->name);
	return m->compiled;
}

static struct evc *
evc_primary(struct evc_lex *x)
{
	const struct evc_field *f;
	struct evc_def *m;
	int argn = -1;

	if (++x->depth > EVC_DEPTH) {
		dd_err_set(x->e, DD_ELIMIT, "nested deeper than %d",
		    EVC_DEPTH);
		return NULL;
	}
	if (evc_is(x, "not")) {
		struct evc *n = evc_node(x, OP_NOT);
		if (evc_next(x) < 0 || (n->l = evc_primary(x)) == NULL)
			return NULL;
		x->depth--;
		return n;
	}
	if (x->tok == K_LP) {
		struct evc *n;
		if (evc_next(x) < 0 || (n = evc_or(x)) == NULL)
			return NULL;
		if (x->tok != K_RP) {
			dd_err_set(x->e, DD_EFORMAT, "at %d: ')' expected",
			    (int)(x->tp - x->text));
			return NULL;
		}
		if (evc_next(x) < 0)
			return NULL;
		x->depth--;
		return n;
	}
	if (x->tok != K_WORD) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: a field, a macro, 'not' or "
		    "'(' expected", (int)(x->tp - x->text));
		return NULL;
	}
	x->depth--;
	if (x->tn > 8 && strncmp(x->tp, "evt.arg[", 8) == 0 &&
	    x->tp[x->tn - 1] == ']') {
		static const struct evc_field argf = { "evt.arg[N]", F_ARGN,
			T_STR };
		int64_t v;
		char buf[16];
		size_t k = x->tn - 9;
		if (k == 0 || k >= sizeof(buf))
			goto bad;
		memcpy(buf, x->tp + 8, k);
		buf[k] = '\0';
		if (!parse_i64(buf, &v) || v < 0 || v > 16)
			goto bad;
		argn = (int)v;
		return evc_check(x, &argf, argn);
	}
	if ((f = evc_field_find(x->tp, x->tn)) != NULL)
		return evc_check(x, f, argn);
	if ((m = evc_def_find(x->d, x->tp, x->tn)) != NULL && !m->is_list) {
		struct evc *n = evc_macro(x, m);
		if (n == NULL || evc_next(x) < 0)
			return NULL;
		return n;
	}
	if (memchr(x->tp, '.', x->tn) != NULL) {
		dd_err_set(x->e, DD_EFORMAT, "at %d: unknown field '%.*s' (the "
		    "known ones are listed in analyzers/rules/escape/README.md)",
		    (int)(x->tp - x->text), (int)x->tn, x->tp);
		return NULL;
	}
	dd_err_set(x->e, DD_EFORMAT, "at %d: no macro named '%.*s'",
	    (int)(x->tp - x->text), (int)x->tn, x->tp);
	return NULL;
bad:
	dd_err_set(x->e, DD_EFORMAT, "at %d: '%.*s': evt.arg[N] takes N from "
	    "0 to 16", (int)(x->tp - x->text), (int)x->tn, x->tp);
	return NULL;
}

static struct evc *
evc_and(struct evc_lex *x)
{
	struct evc *l = evc_primary(x);

	while (l != NULL && evc_is(x, "and")) {
		struct evc *n = evc_node(x, OP_AND);
		n->l = l;
		if (evc_next(x) < 0 || (n->r = evc_primary(x)) == NULL)
			return NULL;
		evc_types_join(x->d->a, n);
		l = n;
	}
	return l;
}

static struct evc *
evc_or(struct evc_lex *x)
{
	struct evc *l = evc_and(x);

	while (l != NULL && evc_is(x, "or")) {
		struct evc *n = evc_node(x, OP_OR);
		n->l = l;
		if (evc_next(x) < 0 || (n->r = evc_and(x)) == NULL)
			return NULL;
		evc_types_join(x->d->a, n);
		l = n;
	}
	return l;
}

int
evc_compile(struct evc_defs *d, const char *text, struct evc **out,
    struct dd_err *e)
{
	struct evc_lex x;
	struct evc *n;

	memset(&x, 0, sizeof(x));
	x.d = d;
	x.text = x.p = text;
	x.e = e;
	*out = NULL;
	if (evc_next(&x) < 0)
		return e->code;
	if (x.tok == K_END)
		return dd_err_set(e, DD_EFORMAT, "an empty condition");
	if ((n = evc_or(&x)) == NULL)
		return e->code ? e->code : dd_err_set(e, DD_EFORMAT, "bad "
		    "condition");
	if (x.tok != K_END)
		return dd_err_set(e, DD_EFORMAT, "at %d: unexpected '%.*s'",
		    (int)(x.tp - x.text), (int)x.tn, x.tp);
	*out = n;
	return 0;
}

bool
evc_types(const struct evc *c, const char *const **names, size_t *n)
{
	if (c->types_all)
		return false;
	*names = c->types;
	*n = c->ntypes;
	return true;
}

/* ---- record values ---- */

enum {
	H_PROC = 1 << 0,
	H_FDNAME = 1 << 1,
};

void
evc_rec_init(struct evc_rec *r, const struct an_event *ev,
    evc_resolve_fn resolve, void *user)
{
	r->ev = ev;
	r->resolve = resolve;
	r->user = user;
	r->have = 0;
}

static const struct evc_proc *
evc_proc_of(struct evc_rec *r)
{
	if (!(r->have & H_PROC)) {
		memset(&r->p, 0, sizeof(r->p));
		r->p.ppid = -1;
		r->p.privileged = -1;
		if (r->resolve != NULL)
			r->resolve(r->user, r->ev, &r->p);
		r->have |= H_PROC;
	}
	return &r->p;
}

static bool
evc_is_socketish(const char *s)
{
	return s != NULL && (strncmp(s, "socket:", 7) == 0 ||
	    strncmp(s, "TCP", 3) == 0 || strncmp(s, "UDP", 3) == 0 ||
	    strncmp(s, "UNIX", 4) == 0 || strncmp(s, "NETLINK", 7) == 0);
}

/* Falco's fd.name: the socket address (a unix path, or ip:port), the
 * path argument, or what the fd refers to. */
static const char *
evc_fdname(struct evc_rec *r)
{
	const struct an_event *ev = r->ev;

	if (r->have & H_FDNAME)
		return r->fdname;
	r->have |= H_FDNAME;
	r->fdname = NULL;
	if (ev->addr != NULL && *ev->addr != '\0') {
		if (ev->has_port)
			snprintf(r->fdbuf, sizeof(r->fdbuf), "%s:%" PRId64,
			    ev->addr, ev->port);
		else
			snprintf(r->fdbuf, sizeof(r->fdbuf), "%s", ev->addr);
		r->fdname = r->fdbuf;
	} else if (ev->path != NULL && *ev->path != '\0') {
		r->fdname = ev->path;
	} else if (ev->fd_path != NULL && *ev->fd_path != '\0') {
		r->fdname = ev->fd_path;
	}
	return r->fdname;
}

static bool
evc_is_open(const char *t)
{
	return t != NULL && (strcmp(t, "open") == 0 ||
	    strcmp(t, "openat") == 0 || strcmp(t, "openat2") == 0 ||
	    strcmp(t, "creat") == 0 || strcmp(t, "open_by_handle_at") == 0);
}

/* Whether the open flags text holds flag w (a whole word). */
static bool
evc_flag(const char *flags, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = flags; p != NULL && (p = strstr(p, w)) != NULL;
	    p += n) {
		bool lb = p == flags || !(isalnum((unsigned char)p[-1]) ||
		    p[-1] == '_');
		bool rb = !(isalnum((unsigned char)p[n]) || p[n] == '_');
		if (lb && rb)
			return true;
	}
	return false;
}

/* Argument n of strace-like argument text: top-level commas split,
 * quotes removed. */
static const char *
evc_argn(const char *args, int n, char *buf, size_t cap)
{
	const char *p = args, *s;
	int depth = 0, k = 0;
	bool q = false;
	size_t o = 0;

	if (args == NULL)
		return NULL;
	s = p;
	for (;; p++) {
		if (*p == '\0' || (!q && depth == 0 && *p == ',')) {
			if (k == n)
				break;
			if (*p == '\0')
				return NULL;
			k++;
			s = p + 1;
			continue;
		}
		if (q && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			q = !q;
		else if (!q && (*p == '[' || *p == '{' || *p == '(' ||
			     (*p == '<' && p > args &&
				 isdigit((unsigned char)p[-1]))))
			depth++; /* 3</path>: strace -y's decoration */
		else if (!q && (*p == ']' || *p == '}' || *p == ')' ||
			     (*p == '>' && (p == args || p[-1] != '-'))) &&
		    depth > 0)
			depth--;
	}
	while (s < p && isspace((unsigned char)*s))
		s++;
	while (p > s && isspace((unsigned char)p[-1]))
		p--;
	if (p - s >= 2 && *s == '"') {
		const char *end = p - 1;
		if (p - s >= 5 && strncmp(p - 3, "...", 3) == 0 && p[-4] == '"')
			end = p - 4;	/* "truncated"... */
		for (s++; s < end && o + 1 < cap; s++) {
			if (*s == '\\' && s + 1 < end) {
				s++;
				buf[o++] = *s == 'n' ? '\n' : *s == 't' ?
				    '\t' : *s;
			} else {
				buf[o++] = *s;
			}
		}
	} else {
		size_t len = (size_t)(p - s);
		const char *lt = memchr(s, '<', len);
		if (lt != NULL && lt > s && isdigit((unsigned char)lt[-1]))
			len = (size_t)(lt - s); /* 3</path> is fd 3 */
		if (len >= cap)
			len = cap - 1;
		memcpy(buf, s, len);
		o = len;
	}
	buf[o] = '\0';
	return buf;
}

/* One field's value: a string (*s, NULL unknown) or a number (*i, false
 * when unknown). */
static bool
evc_get(struct evc_rec *r, int fid, int argn, const char **s, int64_t *i)
{
	const struct an_event *ev = r->ev;
	const char *t;

	*s = NULL;
	*i = 0;
	switch (fid) {
	case F_TYPE:
		*s = ev->syscall;
		return *s != NULL;
	case F_NUM:
		*i = ev->id;
		return true;
	case F_TIME:
		*i = ev->ts;
		return ev->ts != INT64_MIN;
	case F_DIR:
		*s = "<";
		return true;
	case F_RES:
		if (!ev->ret_known)
			return false;
		if (ev->ret >= 0)
			*s = "SUCCESS";
		else if (ev->errname != NULL && *ev->errname != '\0')
			*s = ev->errname;
		else {
			snprintf(r->argbuf, sizeof(r->argbuf), "%" PRId64,
			    ev->ret);
			*s = r->argbuf;
		}
		return true;
	case F_RAWRES:
		*i = ev->ret;
		return ev->ret_known;
	case F_FAILED:
		*i = ev->ret_known && ev->ret < 0;
		return ev->ret_known;
	case F_OPEN_WRITE:
	case F_OPEN_READ:
	case F_OPEN_CREATE:
		if (!evc_is_open(ev->syscall))
			return false;
		t = ev->flags;
		if (strcmp(ev->syscall, "creat") == 0)
			*i = fid != F_OPEN_READ;
		else if (t == NULL)
			return false;
		else if (fid == F_OPEN_WRITE)
			*i = evc_flag(t, "O_WRONLY") || evc_flag(t, "O_RDWR");
		else if (fid == F_OPEN_READ)
			*i = evc_flag(t, "O_RDONLY") || evc_flag(t, "O_RDWR");
		else
			*i = evc_flag(t, "O_CREAT");
		return true;
	case F_ARGS:
		*s = ev->args;
		return *s != NULL;
	case F_ARG_PATH:
		*s = ev->path;
		return *s != NULL;
	case F_ARG_PATH2:
		*s = ev->path2;
		return *s != NULL;
	case F_ARG_FLAGS:
		*s = ev->flags;
		return *s != NULL;
	case F_ARG_FD:
	case F_FDNUM:
		*i = ev->fd;
		return ev->has_fd;
	case F_ARG_FAMILY:
		*s = ev->family;
		return *s != NULL;
	case F_ARG_ADDR:
	case F_FDRIP:
		*s = ev->addr;
		return *s != NULL && (fid == F_ARG_ADDR || *s[0] != '/');
	case F_ARG_PORT:
	case F_FDRPORT:
		*i = ev->port;
		return ev->has_port;
	case F_ARG_TARGET:
		*i = ev->target;
		return ev->has_target;
	case F_ARG_TYPE:
		t = ev->syscall;
		if (t != NULL && strcmp(t, "mount") == 0)
			*s = evc_argn(ev->args, 2, r->argbuf,
			    sizeof(r->argbuf));
		else if (t != NULL && strcmp(t, "socket") == 0)
			*s = evc_argn(ev->args, 1, r->argbuf,
			    sizeof(r->argbuf));
		return *s != NULL;
	case F_ARGN:
		*s = evc_argn(ev->args, argn, r->argbuf, sizeof(r->argbuf));
		return *s != NULL;
	case F_FDNAME:
		*s = evc_fdname(r);
		return *s != NULL;
	case F_FDDIR:
	case F_FDFILE:
		t = evc_fdname(r);
		if (t == NULL || *t != '/')
			return false;
		{
			const char *sl = strrchr(t, '/');
			if (fid == F_FDFILE) {
				*s = sl + 1;
			} else {
				size_t k = sl == t ? 1 : (size_t)(sl - t);
				if (k >= sizeof(r->argbuf))
					return false;
				memcpy(r->argbuf, t, k);
				r->argbuf[k] = '\0';
				*s = r->argbuf;
			}
		}
		return true;
	case F_FDTYPE:
	case F_FDTYPECHAR: {
		const char *fam = ev->family, *ty = NULL, *fp = ev->fd_path;
		t = evc_fdname(r);
		if (fam != NULL && strstr(fam, "INET6") != NULL)
			ty = "ipv6";
		else if (fam != NULL && strstr(fam, "INET") != NULL)
			ty = "ipv4";
		else if (fam != NULL && (strstr(fam, "UNIX") != NULL ||
			     strstr(fam, "LOCAL") != NULL))
			ty = "unix";
		else if (fam != NULL && strstr(fam, "NETLINK") != NULL)
			ty = "netlink";
		else if (fam != NULL && strstr(fam, "PACKET") != NULL)
			ty = "packet";
		else if (fp != NULL && (strncmp(fp, "TCPv6", 5) == 0 ||
			     strncmp(fp, "UDPv6", 5) == 0))
			ty = "ipv6";
		else if (fp != NULL && (strncmp(fp, "TCP", 3) == 0 ||
			     strncmp(fp, "UDP", 3) == 0))
			ty = "ipv4";
		else if (fp != NULL && strncmp(fp, "UNIX", 4) == 0)
			ty = "unix";
		else if (evc_is_socketish(fp))
			ty = "socket";
		else if (fp != NULL && strncmp(fp, "pipe:", 5) == 0)
			ty = "pipe";
		else if (fp != NULL && strncmp(fp, "anon_inode:", 11) == 0)
			ty = "event";
		else if (t != NULL && *t == '/')
			ty = "file";
		if (ty == NULL)
			return false;
		if (fid == F_FDTYPE) {
			*s = ty;
		} else {
			r->argbuf[0] = strcmp(ty, "ipv4") == 0 ? '4' :
			    strcmp(ty, "ipv6") == 0 ? '6' : ty[0];
			r->argbuf[1] = '\0';
			*s = r->argbuf;
		}
		return true;
	}
	case F_PNAME:
		*s = ev->comm;
		return *s != NULL && **s != '\0';
	case F_PID:
		*i = ev->pid;
		return ev->pid >= 0;
	case F_TID:
		*i = ev->tid;
		return ev->tid >= 0;
	case F_UID:
		*i = ev->uid;
		return ev->has_uid;
	case F_EXE:
		*s = evc_proc_of(r)->exe;
		return *s != NULL;
	case F_CMDLINE:
		*s = evc_proc_of(r)->cmdline;
		return *s != NULL;
	case F_PARENT:
		*s = evc_proc_of(r)->pname;
		return *s != NULL;
	case F_PPID:
		*i = evc_proc_of(r)->ppid;
		return *i >= 0;
	case F_PEXE:
		*s = evc_proc_of(r)->pexe;
		return *s != NULL;
	case F_PCMDLINE:
		*s = evc_proc_of(r)->pcmdline;
		return *s != NULL;
	case F_CID:
		*s = ev->container_id;
		return *s != NULL && **s != '\0';
	case F_CNAME:
		*s = evc_proc_of(r)->cname;
		return *s != NULL;
	case F_CIMAGE:
		*s = evc_proc_of(r)->cimage;
		return *s != NULL;
	case F_CPRIV:
		*i = evc_proc_of(r)->privileged;
		return *i >= 0;
	case F_TARGET_CID: {
		const struct evc_proc *p = evc_proc_of(r);
		if (!p->target_known)
			return false;
		*s = p->target_container ? p->target_container : "host";
		return true;
	}
	case F_TARGET_OTHER: {
		const struct evc_proc *p = evc_proc_of(r);
		const char *a = ev->container_id, *b = p->target_container;
		if (!p->target_known)
			return false;
		if (a != NULL && *a == '\0')
			a = NULL;
		if (b != NULL && *b == '\0')
			b = NULL;
		*i = (a == NULL) != (b == NULL) || (a != NULL &&
		    strcmp(a, b) != 0);
		return true;
	}
	default:
		return false;
	}
}

static bool
evc_str_op(int op, const char *v, const char *w)
{
	size_t n, k;

	switch (op) {
	case OP_EQ:
	case OP_IN:
		return strcmp(v, w) == 0;
	case OP_NE:
		return strcmp(v, w) != 0;
	case OP_LT:
		return strcmp(v, w) < 0;
	case OP_LE:
		return strcmp(v, w) <= 0;
	case OP_GT:
		return strcmp(v, w) > 0;
	case OP_GE:
		return strcmp(v, w) >= 0;
	case OP_CONTAINS:
		return strstr(v, w) != NULL;
	case OP_ICONTAINS:
		return strcasestr(v, w) != NULL;
	case OP_STARTS:
		return strncmp(v, w, strlen(w)) == 0;
	case OP_ENDS:
		n = strlen(v);
		k = strlen(w);
		return n >= k && memcmp(v + n - k, w, k) == 0;
	case OP_GLOB:
		return fnmatch(w, v, 0) == 0;
	case OP_PMATCH:
		k = strlen(w);
		while (k > 1 && w[k - 1] == '/')
			k--;
		return strncmp(v, w, k) == 0 && (v[k] == '\0' ||
		    v[k] == '/' || (k == 1 && w[0] == '/'));
	default:
		return false;
	}
}

static bool
evc_int_op(int op, int64_t v, int64_t w)
{
	switch (op) {
	case OP_EQ:
	case OP_IN:
		return v == w;
	case OP_NE:
		return v != w;
	case OP_LT:
		return v < w;
	case OP_LE:
		return v <= w;
	case OP_GT:
		return v > w;
	case OP_GE:
		return v >= w;
	default:
		return false;
	}
}

bool
evc_eval(const struct evc *c, struct evc_rec *r)
{
	const char *s;
	int64_t i;

	switch (c->op) {
	case OP_AND:
		return evc_eval(c->l, r) && evc_eval(c->r, r);
	case OP_OR:
		return evc_eval(c->l, r) || evc_eval(c->r, r);
	case OP_NOT:
		return !evc_eval(c->l, r);
	case OP_TRUE:
		return true;
	case OP_FALSE:
		return false;
	default:
		break;
	}
	if (!evc_get(r, c->fid, c->argn, &s, &i))
		return false;
	if (c->op == OP_EXISTS)
		return true;
	if (c->type == T_STR) {
		if (c->op == OP_IN || c->op == OP_PMATCH) {
			for (size_t k = 0; k < c->nv; k++)
				if (evc_str_op(c->op, s, c->sv[k]))
					return true;
			return false;
		}
		return evc_str_op(c->op, s, c->sv[0]);
	}
	if (c->op == OP_IN) {
		for (size_t k = 0; k < c->nv; k++)
			if (i == c->iv[k])
				return true;
		return false;
	}
	return evc_int_op(c->op, i, c->iv[0]);
}

bool
evc_field_text(struct evc_rec *r, const char *name, size_t namelen,
    char *buf, size_t cap)
{
	static const struct evc_field argf = { "evt.arg[N]", F_ARGN, T_STR };
	const struct evc_field *f = evc_field_find(name, namelen);
	const char *s;
	int64_t i;
	int argn = -1;

	if (f == NULL && namelen > 9 && namelen < 12 &&
	    strncmp(name, "evt.arg[", 8) == 0 && name[namelen - 1] == ']') {
		argn = 0;
		for (size_t k = 8; k < namelen - 1; k++) {
			if (!isdigit((unsigned char)name[k]))
				return false;
			argn = argn * 10 + (name[k] - '0');
		}
		if (argn > 16)
			return false;
		f = &argf;
	}
	if (f == NULL)
		return false;
	buf[0] = '\0';
	if (!evc_get(r, f->fid, argn, &s, &i))
		return true;
	if (f->type == T_STR)
		snprintf(buf, cap, "%s", s);
	else if (f->type == T_BOOL)
		snprintf(buf, cap, "%s", i ? "true" : "false");
	else
		snprintf(buf, cap, "%" PRId64, i);
	return true;
}
