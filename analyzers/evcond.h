/* SPDX-License-Identifier: Apache-2.0 */
/*
 * evcond.h: event conditions in a subset of Falco's condition syntax,
 * compiled once and evaluated in the dispatcher's single pass.
 *
 * Grammar (Falco's, minus what the store cannot answer):
 *   expr    := or
 *   or      := and ("or" and)*
 *   and     := not ("and" not)*
 *   not     := "not" not | "(" expr ")" | check | MACRO
 *   check   := FIELD "exists"
 *            | FIELD OP VALUE            OP: = == != < <= > >= contains
 *                                        icontains startswith endswith glob
 *            | FIELD SETOP "(" ITEM ("," ITEM)* ")"   SETOP: in intersects
 *                                        pmatch
 *   VALUE   := a bare word or a quoted string ('...' or "...")
 *   ITEM    := VALUE, or a LIST name (its items, recursively)
 * A bare word where a check may start is a macro name. Fields are listed
 * in evcond.c (evcond_fields) and in analyzers/rules/escape/README.md: the
 * syscall (evt.type), its outcome (evt.res, evt.rawres, evt.failed), the
 * open mode (evt.is_open_write...), normalised arguments (evt.arg.NAME,
 * evt.arg[N]), the file or socket (fd.*), the process (proc.*, thread.*)
 * and its container (container.*). A field the record does not hold is
 * unknown: every check on it is false except "not".
 *
 * Process and container fields come from a resolver the caller supplies
 * (the events relation carries only ids); they are asked for at most once
 * per record, and only when a check needs them.
 */
#ifndef ANALYZERS_EVCOND_H
#define ANALYZERS_EVCOND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzers/analyzer.h"

struct arena;
struct dd_err;

/* What the resolver says of a record's process and container (borrowed
 * strings; NULL when unknown). */
struct evc_proc {
	const char *exe, *cmdline, *pname, *pexe, *pcmdline;
	int64_t ppid; /* -1 unknown */
	const char *cname, *cimage;
	int privileged; /* 1, 0, -1 unknown */
	const char *target_container; /* the container of the event's
					 target pid (ptrace, kill...) */
	bool target_known;
};

typedef void (*evc_resolve_fn)(void *user, const struct an_event *ev,
    struct evc_proc *out);

/* One record being evaluated: the event and lazily derived values. Set
 * with evc_rec_init before the first evaluation; reused per event. */
struct evc_rec {
	const struct an_event *ev;
	evc_resolve_fn resolve;
	void *user;
	unsigned have;		/* bits: what is cached below */
	struct evc_proc p;
	const char *fdname;
	char fdbuf[320];
	char argbuf[512];
};

void evc_rec_init(struct evc_rec *r, const struct an_event *ev,
    evc_resolve_fn resolve, void *user);

/* Macros and lists, shared by every condition compiled with them. */
struct evc_defs;
struct evc_defs *evc_defs_new(struct arena *a);
/* Define (or, append, extend) a list of items. */
int evc_defs_list(struct evc_defs *d, const char *name,
    const char *const *items, size_t n, bool append, struct dd_err *e);
/* Define (or, append, extend with " " + text) a macro's condition. */
int evc_defs_macro(struct evc_defs *d, const char *name, const char *cond,
    bool append, struct dd_err *e);

/* A compiled condition (in the defs' arena). */
struct evc;
int evc_compile(struct evc_defs *d, const char *text, struct evc **out,
    struct dd_err *e);
bool evc_eval(const struct evc *c, struct evc_rec *r);

/* The syscall names a condition can match at all (from evt.type checks
 * it requires): false when it may match any event. Names are borrowed
 * from the compiled condition. */
bool evc_types(const struct evc *c, const char *const **names, size_t *n);

/* The text of a field's value for r ("" when unknown): for Falco-style
 * output templates "%fd.name". Returns false when name is no field. */
bool evc_field_text(struct evc_rec *r, const char *name, size_t namelen,
    char *buf, size_t cap);

#endif
