/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-imported.c: the alerts and detections deployed tools already raised
 * (Falco, Tracee; ingest/imp-tooljson.c) as findings, so they sit in the
 * same list, timeline and report as drydock's own.
 *
 * One finding per tool, rule and container: the rule id is
 * imported.<tool>.<the tool's rule name in lower case, spaces and
 * punctuation as '_'>, the title the tool's own rule name, the severity the
 * highest the tool gave (Falco priorities and Tracee severities mapped as
 * alert_all documents), the ATT&CK ids the tool's tags or metadata name,
 * the time the first alert's; the detail counts the alerts and quotes the
 * first one's output. Evidence: the first alert, the container.
 */
#include "core/common.h"

#include "analyzers/analyzer.h"
#include "analyzers/sqlrule.h"

/* The tool's rule name as an id part: lower case, spaces and punctuation
 * as '_'. */
#define SLUG "replace(replace(replace(replace(replace(replace(replace(" \
	"replace(lower(trim(g.rule)), ' ', '_'), '.', '_'), '-', '_'), '/', " \
	"'_'), '(', ''), ')', ''), ':', '_'), '''', '')"

#define TIME(x) "strftime('%Y-%m-%dT%H:%M:%SZ', " x " / 1000000000, " \
	"'unixepoch')"

static const struct sqlrule imported_rules[] = {
	{ "alerts",
	  "WITH a AS (SELECT l.*, CASE l.severity WHEN 'critical' THEN 4 "
	  "WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 "
	  "END AS rank, coalesce((SELECT x.container_id FROM container_aliases "
	  "x WHERE x.value = l.container_id LIMIT 1), l.container_id) AS cid "
	  "FROM alerts l WHERE l.rule IS NOT NULL), "
	  "g AS (SELECT tool, rule, cid, count(*) AS n, max(rank) AS rank, "
	  "min(ts) AS first, max(ts) AS last, group_concat(DISTINCT attack) "
	  "AS attack FROM a GROUP BY tool, rule, cid) "
	  "SELECT 'imported.' || g.tool || '.' || " SLUG ", "
	  "CASE g.rank WHEN 4 THEN 'critical' WHEN 3 THEN 'high' WHEN 2 THEN "
	  "'medium' WHEN 1 THEN 'low' ELSE 'info' END, coalesce(g.attack, ''), "
	  "g.cid, g.rule, "
	  "upper(substr(g.tool, 1, 1)) || substr(g.tool, 2) || ' raised ''' || "
	  "g.rule || ''' ' || g.n || (CASE g.n WHEN 1 THEN ' time' ELSE "
	  "' times' END) || coalesce(' in container ' || (SELECT "
	  "coalesce(c.name, substr(c.id, 1, 12)) FROM containers c WHERE c.id "
	  "= g.cid), ' in container ' || g.cid, '') || CASE WHEN g.first IS "
	  "NULL THEN '' WHEN g.first = g.last THEN ', at ' || " TIME("g.first")
	  " ELSE ', first ' || " TIME("g.first") " || ', last ' || "
	  TIME("g.last") " END "
	  "|| '. First alert: ' || coalesce(f.output, f.rule), "
	  "'alerts', f.key, CASE WHEN g.cid IS NOT NULL AND EXISTS (SELECT 1 "
	  "FROM containers c WHERE c.id = g.cid) THEN 'containers' END, "
	  "g.cid, NULL, NULL, g.first "
	  "FROM g JOIN a f ON f.tool = g.tool AND f.rule = g.rule AND "
	  "f.cid IS g.cid AND f.ts IS g.first AND f.seq = (SELECT min(b.seq) "
	  "FROM a b WHERE b.artifact_id = f.artifact_id AND b.tool = g.tool "
	  "AND b.rule = g.rule AND b.cid IS g.cid AND b.ts IS g.first) "
	  "GROUP BY g.tool, g.rule, g.cid ORDER BY g.tool, g.rule, g.cid" },
};

static int
imported_finish(struct an_ctx *ctx, struct dd_err *e)
{
	return sqlrule_run(ctx, imported_rules, ARRAY_SIZE(imported_rules), e);
}

static const char *
imported_rules_text(void)
{
	return sqlrule_text("imported", imported_rules,
	    ARRAY_SIZE(imported_rules));
}

const struct analyzer an_imported = {
	.abi = ANALYZER_ABI,
	.name = "imported",
	.version = "1.0",
	.summary = "alerts deployed tools raised (Falco rules, Tracee "
		   "signatures), one finding per tool, rule and container",
	.needs = AN_NEEDS_ALERT,
	.finish = imported_finish,
	.rules = imported_rules_text,
};
