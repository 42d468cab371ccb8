/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sqlrule.h: findings from SQL over the case (the posture and memory
 * analyzers' rules are rows of such tables).
 *
 * Each rule is one read-only SELECT whose columns are, by position:
 *   0 rule id ("posture.privileged"), 1 severity (info..critical),
 *   2 ATT&CK ids (comma separated, may be ''), 3 container id (or NULL),
 *   4 title, 5 detail, 6/7 primary evidence (relation, key),
 *   8/9 and 10/11 more evidence (NULL when none), and optionally
 *   12 the time it happened (ns, or NULL).
 * Every row is one finding. The statements must ORDER BY so the findings
 * come out the same every run.
 */
#ifndef ANALYZERS_SQLRULE_H
#define ANALYZERS_SQLRULE_H

#include "analyzers/analyzer.h"

/* How a finding names a container: its name, else its short id. c is the
 * alias of a `containers` row; SQLRULE_CNAME_OF looks the id up. */
#define SQLRULE_CNAME(c) "coalesce(" c ".name, substr(" c ".id, 1, 12))"
#define SQLRULE_CNAME_OF(cid)                                             \
	"coalesce((SELECT " SQLRULE_CNAME("c") " FROM containers c WHERE "  \
	"c.id = " cid "), substr(" cid ", 1, 12))"

struct sqlrule {
	const char *what; /* for messages */
	const char *sql;
};

int sqlrule_run(struct an_ctx *ctx, const struct sqlrule *r, size_t n,
    struct dd_err *e);
/* The rules' SQL as one text (an analyzer's rules() for custody). */
const char *sqlrule_text(const char *name, const struct sqlrule *r,
    size_t n);

#endif
