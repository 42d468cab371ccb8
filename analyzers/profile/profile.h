/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.h: hardening advice from a case's evidence (`drydock profile`):
 * seccomp, AppArmor and NetworkPolicy profiles generated from observed
 * behaviour, the image files nothing touched (slim), and the what-if that
 * replays the case's events against a profile.
 *
 * The parts:
 *   pf-scope.c    which events (container, process tree, artifact), their
 *                 container's capabilities, the escape steps (events that
 *                 are evidence of escape findings), argument decoding
 *   pf-seccomp.c  Docker/OCI seccomp JSON: read (with moby's includes and
 *                 excludes), decide per event, generate
 *   pf-apparmor.c AppArmor profile text: generate, read a subset, decide
 *   pf-netpol.c   Kubernetes NetworkPolicy from flows
 *   pf-slim.c     an image's files the traces never touched
 *
 * Invariants: every output is deterministic (sorted, no times, no paths
 * of the case); nothing writes to the case; generated text is ASCII with
 * evidence strings escaped for its syntax.
 */
#ifndef ANALYZERS_PROFILE_PROFILE_H
#define ANALYZERS_PROFILE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/sbuf.h"

struct store;
struct dd_err;

/* ---- scope (pf-scope.c) ---- */

struct pf_scope {
	const char *container_arg; /* --container as given, or NULL */
	int64_t artifact;	   /* --artifact, 0 all */
	int64_t pid;		   /* --pid: that process and its descendants */
	/* resolved */
	char *container;	   /* full container id, or NULL */
	int64_t *procs;		   /* process ids in scope (sorted), when
				      container or pid narrows it */
	size_t nprocs;
	bool narrowed;		   /* procs (or container) filter events */
};
int pf_scope_resolve(struct store *s, struct pf_scope *sc, struct dd_err *e);
void pf_scope_release(struct pf_scope *sc);
/* Prepare sql over events (its ?1 is the scope's artifact, 0 for all). */
struct sqlite3_stmt;
int pf_scan(struct store *s, const struct pf_scope *sc, const char *sql,
    struct sqlite3_stmt **st, struct dd_err *e);
/* Does an event of process process_id (0 unknown) and container ctr (NULL
 * unknown) fall in the scope? */
bool pf_scope_has(const struct pf_scope *sc, int64_t process_id,
    const char *ctr);

/* The escape steps: event ids that are evidence of escape findings
 * (rule esc.*), each with its rule (first by rule name). */
struct pf_steps {
	int64_t *id;
	char **rule;
	size_t n;
};
int pf_steps_load(struct store *s, struct pf_steps *st, struct dd_err *e);
/* The rule of event id when it is a step, else NULL. */
const char *pf_steps_rule(const struct pf_steps *st, int64_t id);
void pf_steps_release(struct pf_steps *st);

/* Capability sets as 64-bit masks over the kernel's numbers. */
#define PF_CAP_MAX 41
uint64_t pf_caps_docker_default(void);
/* CAP_X or X (any case) to its bit number, -1 unknown. */
int pf_cap_number(const char *name);
const char *pf_cap_name(int bit); /* "CAP_CHOWN" */
/* The container's capabilities as the case records them (effective, else
 * bounding, else Docker's default with adds and drops; privileged: all).
 * *known false when the case has nothing on it (then Docker's default). */
int pf_caps_case(struct store *s, const char *container, uint64_t *caps,
    bool *known, struct dd_err *e);
/* Parse "default", "case" (needs s and container) or "CAP_A,CAP_B". */
int pf_caps_parse(struct store *s, const char *container, const char *spec,
    uint64_t *caps, const char **how, struct dd_err *e);

/* Symbolic argument text ("CLONE_NEWNS|CLONE_NEWUSER|SIGCHLD", "AF_INET",
 * "0x20", "-1") to its value: true when every part is known. */
bool pf_arg_value(const char *text, uint64_t *v);
/* Argument index i (0-based) of an strace-style argument list ("AF_UNIX,
 * SOCK_STREAM, 0"): its text into out (at most cap bytes), or false. */
bool pf_arg_text(const char *args, int i, char *out, size_t cap);

/* doc as indented ASCII JSON and a newline (the caller keeps doc). */
struct json_t;
void pf_json_emit(struct sbuf *out, const struct json_t *doc);
/* Evidence text as a JSON string (invalid UTF-8 as U+FFFD). */
struct json_t *pf_json_str(const char *s);

/* FNV-1a of s, folded: the profile code's one string hash. */
size_t pf_str_hash(const char *s);

/* A string -> index map (open addressing; keys copied). */
struct pf_smap {
	char **k;
	size_t *v;
	size_t cap, n;
};
bool pf_smap_get(const struct pf_smap *m, const char *key, size_t *val);
void pf_smap_put(struct pf_smap *m, const char *key, size_t val);
void pf_smap_release(struct pf_smap *m);

/* ---- seccomp (pf-seccomp.c) ---- */

struct pf_seccomp;
/* Read a Docker/OCI seccomp profile (path for messages). Unknown syscall
 * names are kept and counted in *unknown (reported, not fatal). */
int pf_seccomp_parse(const char *path, const char *text, size_t len,
    struct pf_seccomp **out, struct dd_err *e);
size_t pf_seccomp_unknown(const struct pf_seccomp *p, char ***names);
void pf_seccomp_free(struct pf_seccomp *p);

/* The decision for one call. */
enum pf_verdict { PF_ALLOW = 0, PF_DENY, PF_UNDECIDED };
struct pf_decision {
	int verdict;	    /* enum pf_verdict */
	const char *action; /* "SCMP_ACT_ERRNO"... */
	int errno_ret;	    /* for ERRNO (-1 none) */
	const char *why;    /* "no rule", "rule 12 (args)",... (static) */
};
/* Prepare the profile's rules for capabilities caps (includes/excludes
 * caps and arches resolved as the Docker daemon does; minKernel taken as
 * met unless kernel_major.minor is given, then compared). */
void pf_seccomp_bind(struct pf_seccomp *p, uint64_t caps, int kmaj, int kmin);
/* Decide syscall name on arch ("x86_64", "i386") with argument reader
 * arg(i, &v, user) (false: unknown). */
void pf_seccomp_decide(const struct pf_seccomp *p, const char *name,
    const char *arch, bool (*arg)(int i, uint64_t *v, void *user),
    void *user, struct pf_decision *d);
/* Does the profile decide name by its arguments (a rule with args)? */
bool pf_seccomp_needs_args(const struct pf_seccomp *p, const char *name);

/* Generation. */
struct pf_gen_opts {
	const char *phase;     /* startup, run, all */
	int64_t boundary;      /* given boundary (ns), INT64_MIN: found */
	bool baseline_runtime; /* add the calls runc needs to start */
	bool json_report;      /* --format json: report with the profile */
};
/* The profile (or with json_report the report holding it) into out; a
 * summary for people (what was left out, the boundary) into note. */
int pf_seccomp_generate(struct store *s, const struct pf_scope *sc,
    const struct pf_gen_opts *o, struct sbuf *out, struct sbuf *note,
    struct dd_err *e);

/* ---- the what-if (pf-seccomp.c, pf-apparmor.c) ---- */

struct pf_check_opts {
	const char *profile_path;
	const char *caps;  /* default, case or a list (NULL: case or default) */
	bool json;
	int kmaj, kmin;	   /* --kernel, 0: minKernel taken as met */
	size_t limit;	   /* text: denied events listed (0: all) */
};
int pf_check_seccomp(struct store *s, const struct pf_scope *sc,
    const struct pf_check_opts *o, struct sbuf *out, uint64_t *denied,
    struct dd_err *e);
int pf_check_apparmor(struct store *s, const struct pf_scope *sc,
    const struct pf_check_opts *o, struct sbuf *out, uint64_t *denied,
    struct dd_err *e);

/* ---- AppArmor (pf-apparmor.c) ---- */

int pf_apparmor_generate(struct store *s, const struct pf_scope *sc,
    const char *name, bool json, struct sbuf *out, struct sbuf *note,
    struct dd_err *e);
struct pf_aa;
int pf_aa_parse(const char *path, const char *text, size_t len,
    struct pf_aa **out, struct dd_err *e);
void pf_aa_free(struct pf_aa *a);
/* AppArmor's glob (*, **, ?, [..], {a,b}) against a path. */
bool pf_aa_glob(const char *glob, const char *path);

/* ---- NetworkPolicy and slim ---- */

int pf_netpol_generate(struct store *s, const struct pf_scope *sc,
    bool json, struct sbuf *out, struct dd_err *e);
enum pf_slim_format { PF_SLIM_TEXT, PF_SLIM_LIST, PF_SLIM_JSON };
int pf_slim(struct store *s, int64_t image, const struct pf_scope *sc,
    int format, struct sbuf *out, struct dd_err *e);

#endif
