/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-check.h: the what-if's report (pf-check.c), shared by the seccomp
 * and AppArmor checks: feed every event's verdict, then emit text or
 * JSON. Denied events are kept with their details up to PF_LIST_MAX
 * (counts are exact beyond it; JSON says events_truncated).
 */
#ifndef ANALYZERS_PROFILE_PF_CHECK_H
#define ANALYZERS_PROFILE_PF_CHECK_H

#include "analyzers/profile/profile.h"

#define PF_LIST_MAX 100000

struct pf_deny {
	int64_t id;
	const char *syscall; /* the report's key string */
	char *what;	     /* the access ("w /etc/passwd"), or NULL */
	char *action;
	char *rule;	     /* escape rule, or NULL */
};

struct pf_rkey {
	char *key; /* syscall */
	uint64_t n; /* benign denials */
	char *action;
	bool stepped; /* a denied escape step calls it */
};

struct pf_report {
	const char *profile; /* base name */
	const char *kind;
	const char *caps_how; /* NULL: no capability line */
	uint64_t caps;
	const char *container;
	uint64_t nev, ndeny, nund, nsteps, nsteps_den;
	struct pf_deny *dv;
	size_t nd, cd;
	struct pf_rkey *k;
	size_t nk;
	struct sbuf stepnames;
	char **unknown; /* notes: unknown names, ignored syntax */
	size_t nunknown;
	struct sbuf notes;
};

void pf_report_init(struct pf_report *r, const char *profile_path,
    const char *kind);
void pf_report_event(struct pf_report *r, int64_t id, const char *syscall,
    const char *what, int verdict, const char *action, const char *rule);
void pf_report_note(struct pf_report *r, const char *text);
void pf_report_emit(struct pf_report *r, bool json, struct sbuf *out);
void pf_report_release(struct pf_report *r);

#endif
