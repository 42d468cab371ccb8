/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.c: the nine screens and the lists they are made of.
 *
 * Each list is SQL over the case's public relations in the shape panel.c
 * pages (k, t, rel, key, hint, c0...): k orders the rows (an id, a time,
 * or a row number for small relations), rel:key is what Enter opens.
 * Sub-lists ("@sub:NAME" targets) are lists bound to one row by ?1: a
 * layer's files, a process's syscalls, a container's logs.
 */
#include "core/common.h"
#include "tui/tui.h"

#include "core/xmalloc.h"

#define NC(a) ((int)ARRAY_SIZE(a))
/* An endpoint, IPv6 in brackets. */
#define EP(a, p) \
	"CASE WHEN instr(" a ", ':') THEN '[' || " a " || ']' ELSE " a \
	" END || coalesce(':' || " p ", '')"

/* ---- findings (sort orders are its tabs) ---- */

static const struct tui_col fnd_cols[] = {
	{ "severity", 8, 0, NULL },
	{ "time", 21, 0, NULL },
	{ "analyzer", 9, TCOL_OPT, NULL },
	{ "rule", 26, 0, NULL },
	{ "attack", 9, TCOL_OPT, NULL },
	{ "container", 12, TCOL_OPT, NULL },
	{ "title", 0, TCOL_FLEX, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
	{ "container_id", 0, TCOL_HIDDEN, NULL },
};
#define FND_SELECT(order) \
	"SELECT row_number() OVER (ORDER BY " order ") AS k, id AS t, " \
	"'findings' AS rel, id AS key, severity AS hint, severity AS c0, " \
	"tui_time(ts) AS c1, analyzer AS c2, rule AS c3, " \
	"replace(replace(replace(attack, '[', ''), ']', ''), '\"', '') " \
	"AS c4, substr(container_id, 1, 12) AS c5, title AS c6, ts AS c7, " \
	"container_id AS c8 FROM findings"
#define SEV_RANK "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 " \
	"WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END"
static const struct tui_listdef fnd_sev = {
	"by severity", fnd_cols, NC(fnd_cols),
	FND_SELECT(SEV_RANK ", ts, id"), NULL,
	"no findings: run 'drydock analyze CASE'", true, NULL, false,
};
static const struct tui_listdef fnd_time = {
	"by time", fnd_cols, NC(fnd_cols), FND_SELECT("ts, id"), NULL,
	"no findings: run 'drydock analyze CASE'", true, NULL, false,
};
static const struct tui_listdef fnd_rule = {
	"by rule", fnd_cols, NC(fnd_cols),
	FND_SELECT("analyzer, rule, " SEV_RANK ", id"), NULL,
	"no findings: run 'drydock analyze CASE'", true, NULL, false,
};
static const struct tui_listdef fnd_ctr = {
	"by container", fnd_cols, NC(fnd_cols),
	FND_SELECT("coalesce(container_id, '~'), " SEV_RANK ", id"), NULL,
	"no findings: run 'drydock analyze CASE'", true, NULL, false,
};
static const struct tui_listdef *const fnd_tabs[] = { &fnd_sev, &fnd_time,
	&fnd_rule, &fnd_ctr };

static struct tui_page *
tui_open_findings(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(fnd_tabs, NC(fnd_tabs), NULL, "Findings");
}

/* ---- timeline ---- */

static const struct tui_col tl_cols[] = {
	{ "time", 21, 0, NULL },
	{ "source", 10, 0, NULL },
	{ "container", 12, TCOL_OPT, NULL },
	{ "summary", 0, TCOL_FLEX, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
	{ "process", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "container_id", 0, TCOL_HIDDEN, NULL },
};
/* The timeline is the merge of one paged SELECT per source (each with
 * its LIMIT inside, so the events' arm is the events table's own time
 * merge instead of a sort of every event); the same rows as the public
 * timeline view, which only counts here. t is the event id (an integer)
 * for events, "relation:key" text for the rest. */
#define TL_COLS(ts, src, ctr, sum, proc) \
	"tui_time(" ts ") AS c0, '" src "' AS c1, substr(" ctr ", 1, 12) AS " \
	"c2, " sum " AS c3, " ts " AS c4, " proc " AS c5, " ctr " AS c6"
#define DNS_CTR \
	"coalesce((SELECT i.container_id FROM ip_containers i WHERE i.ip = " \
	"f.src), (SELECT i.container_id FROM ip_containers i WHERE i.ip = " \
	"f.dst))"
static const char *const tl_arms[] = {
	"SELECT ts AS k, id AS t, 'events' AS rel, CAST(id AS TEXT) AS key, "
	"NULL AS hint, " TL_COLS("ts", "syscall", "container_id",
	"coalesce(syscall, kind) || coalesce(' ' || path, ' ' || addr || "
	"coalesce(':' || port, ''), '') || coalesce(' = ' || errno, '')",
	"process_id") " FROM events",
	"SELECT start_ts AS k, 'processes:' || id AS t, 'processes' AS rel, "
	"CAST(id AS TEXT) AS key, NULL AS hint, " TL_COLS("start_ts",
	"process", "container_id", "'start pid ' || pid || ' ' || "
	"coalesce(exe, comm, '')", "id") " FROM processes WHERE start_ts IS "
	"NOT NULL",
	"SELECT first_ts AS k, 'flows:' || id AS t, 'flows' AS rel, CAST(id "
	"AS TEXT) AS key, NULL AS hint, " TL_COLS("first_ts", "network",
	"container_id", "proto || ' ' || " EP("src", "sport") " || ' -> ' || "
	EP("dst", "dport") " || ', ' || packets || ' packets, ' || bytes || "
	"' bytes'", "NULL") " FROM flows WHERE id IN (SELECT rid FROM (SELECT "
	"f.id AS rid, f.first_ts + a.clock_offset AS k, 'flows:' || f.id AS "
	"t FROM flow_all f JOIN artifact_all a ON a.id = f.artifact_id WHERE "
	"a.state = 'complete') WHERE 1 @KEY @PAGE)",
	"SELECT d.ts + a.clock_offset AS k, 'dns:' || f.id || ':' || (d.ts + "
	"a.clock_offset) || ':' || d.response AS t, 'dns' AS rel, f.id || "
	"':' || (d.ts + a.clock_offset) AS key, NULL AS hint, "
	"tui_time(d.ts + a.clock_offset) AS c0, 'dns' AS c1, "
	"substr(" DNS_CTR ", 1, 12) AS c2, CASE "
	"WHEN d.response THEN 'answer ' ELSE 'query ' END || d.qname || "
	"coalesce(' ' || d.qtype, '') || coalesce(' ' || d.rcode, '') || "
	"coalesce(' ' || d.answers, '') AS c3, d.ts + a.clock_offset AS c4, "
	"NULL AS c5, " DNS_CTR " AS c6 FROM dns_all d JOIN artifact_all a ON "
	"a.id = "
	"d.artifact_id JOIN flow_all f ON f.artifact_id = d.artifact_id AND "
	"f.flow_no = d.flow_no WHERE d.rowid IN (SELECT rid FROM (SELECT "
	"d2.rowid AS rid, d2.ts + a2.clock_offset AS k, 'dns:' || f2.id || "
	"':' || (d2.ts + a2.clock_offset) || ':' || d2.response AS t FROM "
	"dns_all d2 JOIN artifact_all a2 ON a2.id = d2.artifact_id JOIN "
	"flow_all f2 ON f2.artifact_id = d2.artifact_id AND f2.flow_no = "
	"d2.flow_no WHERE a2.state = 'complete') WHERE 1 @KEY @PAGE)",
	"SELECT ts AS k, 'logs:' || artifact_id || ':' || seq AS t, 'logs' AS "
	"rel, artifact_id || ':' || seq AS key, CASE WHEN stream = 'stderr' "
	"THEN 'medium' END AS hint, " TL_COLS("ts", "log", "container_id",
	"stream || ': ' || message", "NULL") " FROM logs WHERE ts IS NOT NULL",
	"SELECT ts AS k, 'audit:' || artifact_id || ':' || seq AS t, 'audit' "
	"AS rel, artifact_id || ':' || seq AS key, NULL AS hint, "
	TL_COLS("ts", "audit", "NULL", "type || coalesce(' ' || syscall, '') "
	"|| coalesce(' ' || exe, '') || coalesce(' ' || key, '')", "NULL")
	" FROM audit WHERE ts IS NOT NULL",
	"SELECT ts AS k, 'k8s_audit:' || artifact_id || ':' || seq AS t, "
	"'k8s_audit' AS rel, artifact_id || ':' || seq AS key, NULL AS hint, "
	TL_COLS("ts", "k8s", "NULL", "verb || ' ' || coalesce(resource, '') "
	"|| coalesce('/' || subresource, '') || coalesce(' ' || namespace || "
	"'/' || name, '') || ' by ' || coalesce(user, '?')", "NULL")
	" FROM k8s_audit WHERE ts IS NOT NULL",
	"SELECT k, t, 'files' AS rel, lid || ':' || path AS key, NULL AS "
	"hint, " TL_COLS("k", "image-file", "NULL", "'layer ' || lid || ' ' "
	"|| path", "NULL") " FROM (SELECT k, t, lid, path FROM (SELECT "
	"f.mtime AS k, 'files:' || l.id || ':' || f.path AS t, l.id AS lid, "
	"f.path AS path FROM file_all f JOIN layer_all l ON l.artifact_id = "
	"f.artifact_id AND l.layer_no = f.layer_no JOIN artifact_all a ON "
	"a.id = f.artifact_id WHERE a.state = 'complete' AND f.mtime IS NOT "
	"NULL AND f.whiteout = 0) WHERE 1 @KEY @PAGE)",
	"SELECT mtime AS k, 'drift:' || key AS t, 'drift' AS rel, key, "
	"change AS hint, " TL_COLS("mtime", "drift", "container_id",
	"change || ' ' || path", "NULL") " FROM drift WHERE mtime IS NOT NULL",
	"SELECT ts AS k, 'findings:' || id AS t, 'findings' AS rel, id AS "
	"key, severity AS hint, " TL_COLS("ts", "finding", "container_id",
	"severity || ': ' || title", "NULL") " FROM findings WHERE ts IS NOT "
	"NULL",
	NULL,
};
static const struct tui_listdef tl_all = {
	"all sources", tl_cols, NC(tl_cols),
	"SELECT ts AS k, relation || ':' || key AS t, relation AS rel, key, "
	"NULL AS hint, tui_time(ts) AS c0, source AS c1, substr(container_id, "
	"1, 12) AS c2, summary AS c3, ts AS c4, process_id AS c5, "
	"container_id AS c6 FROM timeline",
	NULL, "the case holds nothing with a time", false, tl_arms, true,
};
static const struct tui_listdef *const tl_tabs[] = { &tl_all };

static struct tui_page *
tui_open_timeline(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(tl_tabs, 1, NULL, "Timeline");
}

/* ---- processes: the tree per container ---- */

static const struct tui_col pr_cols[] = {
	{ "pid", 7, TCOL_RIGHT | TCOL_INT, NULL },
	{ "ppid", 7, TCOL_RIGHT | TCOL_INT, NULL },
	{ "container", 12, TCOL_OPT, NULL },
	{ "start", 21, TCOL_OPT, NULL },
	{ "end", 15, TCOL_OPT, NULL },
	{ "process", 0, TCOL_FLEX, NULL },
	{ "id", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "container_id", 0, TCOL_HIDDEN, NULL },
	{ "comm", 0, TCOL_HIDDEN, NULL },
};
/* A parent is the latest process of the same capture with pid = ppid
 * that started before the child (start, then id: a strict order, so the
 * tree has no cycles and every process is in it). */
#define PR_TREE \
	"WITH RECURSIVE par AS (SELECT c.id, (SELECT q.id FROM process_all " \
	"q WHERE q.artifact_id = c.artifact_id AND q.pid = c.ppid AND " \
	"(coalesce(q.start_ts, -1) < coalesce(c.start_ts, -1) OR " \
	"(coalesce(q.start_ts, -1) = coalesce(c.start_ts, -1) AND q.id < " \
	"c.id)) ORDER BY q.start_ts DESC, q.id DESC LIMIT 1) AS parent FROM " \
	"process_all c), tr(id, depth, path) AS (SELECT id, 0, " \
	"printf('%012d', id) FROM par WHERE parent IS NULL UNION ALL SELECT " \
	"par.id, tr.depth + 1, tr.path || '/' || printf('%012d', par.id) " \
	"FROM par JOIN tr ON par.parent = tr.id WHERE tr.depth < 200) "
static const struct tui_listdef pr_tree = {
	"tree", pr_cols, NC(pr_cols),
	PR_TREE
	"SELECT row_number() OVER (ORDER BY coalesce(p.container_id, ''), "
	"tr.path) AS k, '' AS t, 'processes' AS rel, p.id AS key, NULL AS "
	"hint, p.pid AS c0, p.ppid AS c1, substr(p.container_id, 1, 12) AS "
	"c2, tui_time(p.start_ts) AS c3, substr(tui_time(p.end_ts), 7) AS "
	"c4, printf('%*s', tr.depth * 2, '') || coalesce(p.comm, '?') || "
	"coalesce('  ' || p.exe, '') || coalesce('  ' || p.args, '') AS c5, "
	"p.id AS c6, p.container_id AS c7, p.comm AS c8 FROM tr JOIN "
	"processes p ON p.id = tr.id",
	NULL, "no processes: import a trace, a /proc snapshot or a core",
	true, NULL, false,
};
static const struct tui_listdef *const pr_tabs[] = { &pr_tree };

static struct tui_page *
tui_open_processes(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(pr_tabs, 1, NULL, "Processes");
}

/* ---- syscalls: the whole events relation ---- */

static const struct tui_col ev_cols[] = {
	{ "time", 21, 0, NULL },
	{ "pid", 7, TCOL_RIGHT | TCOL_INT, NULL },
	{ "tid", 7, TCOL_RIGHT | TCOL_INT | TCOL_OPT, NULL },
	{ "comm", 12, TCOL_OPT, NULL },
	{ "call", 12, 0, NULL },
	{ "result", 10, TCOL_RIGHT, NULL },
	{ "detail", 0, TCOL_FLEX, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
	{ "ret", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "path", 0, TCOL_HIDDEN, NULL },
	{ "process", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "container", 0, TCOL_HIDDEN, NULL },
	{ "fd", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "addr", 0, TCOL_HIDDEN, NULL },
	{ "port", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "kind", 0, TCOL_HIDDEN, NULL },
	{ "uid", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "artifact", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "syscall", 0, TCOL_HIDDEN, NULL },
};
#define EV_SELECT \
	"SELECT id AS k, '' AS t, 'events' AS rel, id AS key, CASE WHEN " \
	"ret < 0 THEN 'medium' END AS hint, tui_time(ts) AS c0, pid AS c1, " \
	"tid AS c2, comm AS c3, coalesce(syscall, kind) AS c4, CASE WHEN " \
	"ret < 0 AND errno IS NOT NULL THEN errno WHEN ret > 9999999 THEN " \
	"printf('0x%x', ret) ELSE ret END AS c5, " \
	"coalesce(path || coalesce(' -> ' || path2, ''), CASE WHEN addr IS " \
	"NOT NULL THEN coalesce(family || ' ', '') || addr || coalesce(':' " \
	"|| port, '') END, CASE WHEN fd IS NOT NULL THEN 'fd ' || fd || " \
	"coalesce(' <' || fd_path || '>', '') END, '') || coalesce('  ' || " \
	"args, '') AS c6, ts AS c7, ret AS c8, path AS c9, process_id AS " \
	"c10, container_id AS c11, fd AS c12, addr AS c13, port AS c14, " \
	"kind AS c15, uid AS c16, artifact_id AS c17, syscall AS c18 FROM " \
	"events"
static const struct tui_listdef ev_all = {
	"events", ev_cols, NC(ev_cols), EV_SELECT, NULL,
	"no syscall events: import strace, scap, LID-DS, ADFA or audit",
	true, NULL, false,
};
static const struct tui_listdef *const ev_tabs[] = { &ev_all };
static const struct tui_listdef ev_proc = {
	"syscalls of the process", ev_cols, NC(ev_cols),
	EV_SELECT " WHERE process_id = CAST(?1 AS INTEGER)", NULL,
	"no events of this process", true, NULL, false,
};
static const struct tui_listdef *const ev_proc_tabs[] = { &ev_proc };

static struct tui_page *
tui_open_syscalls(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(ev_tabs, 1, NULL, "Syscalls");
}

/* ---- network ---- */

static const struct tui_col fl_cols[] = {
	{ "first", 21, 0, NULL },
	{ "proto", 6, 0, NULL },
	{ "src", 0, TCOL_FLEX, NULL },
	{ "dst", 26, 0, NULL },
	{ "pkts", 6, TCOL_RIGHT | TCOL_INT, NULL },
	{ "bytes", 9, TCOL_RIGHT | TCOL_INT, NULL },
	{ "state", 5, 0, NULL },
	{ "service", 7, TCOL_OPT, NULL },
	{ "container", 12, TCOL_OPT, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
	{ "sport", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "dport", 0, TCOL_HIDDEN | TCOL_INT, NULL },
	{ "container_id", 0, TCOL_HIDDEN, NULL },
	{ "tunnel", 0, TCOL_HIDDEN, NULL },
};
static const struct tui_listdef fl_flows = {
	"flows", fl_cols, NC(fl_cols),
	"SELECT id AS k, '' AS t, 'flows' AS rel, id AS key, CASE WHEN state "
	"IN ('REJ', 'RSTO', 'RSTR', 'S0') THEN 'medium' END AS hint, "
	"tui_time(first_ts) AS c0, proto AS c1, " EP("src", "sport") " AS c2, "
	EP("dst", "dport") " AS c3, packets AS c4, bytes AS c5, state AS "
	"c6, service AS c7, substr(container_id, 1, 12) AS c8, first_ts AS "
	"c9, sport AS c10, dport AS c11, container_id AS c12, tunnel AS c13 "
	"FROM flows",
	NULL, "no flows: import a pcap or pcapng capture", true, NULL, false,
};
static const struct tui_col dns_cols[] = {
	{ "time", 21, 0, NULL },
	{ "kind", 6, 0, NULL },
	{ "qname", 0, TCOL_FLEX, NULL },
	{ "qtype", 6, 0, NULL },
	{ "rcode", 8, 0, NULL },
	{ "answers", 30, 0, NULL },
	{ "container", 12, 0, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
};
/* Protocol records page in capture order (the base tables' rowids), so
 * no page sorts the whole relation; the joins are the public views'. */
#define NET_JOIN(t) \
	" FROM " t " d JOIN artifact_all a ON a.id = d.artifact_id JOIN " \
	"flow_all f ON f.artifact_id = d.artifact_id AND f.flow_no = " \
	"d.flow_no WHERE a.state = 'complete'"
static const struct tui_listdef fl_dns = {
	"dns", dns_cols, NC(dns_cols),
	"SELECT d.rowid AS k, '' AS t, 'dns' AS rel, f.id || ':' || (d.ts + "
	"a.clock_offset) AS key, CASE WHEN d.rcode <> 'NOERROR' THEN "
	"'medium' END AS hint, tui_time(d.ts + a.clock_offset) AS c0, CASE "
	"WHEN d.response THEN 'answer' ELSE 'query' END AS c1, d.qname AS c2, "
	"d.qtype AS c3, d.rcode AS c4, d.answers AS c5, substr(coalesce(("
	"SELECT i.container_id FROM ip_containers i WHERE i.ip = f.src), ("
	"SELECT i.container_id FROM ip_containers i WHERE i.ip = f.dst)), 1, "
	"12) AS c6, d.ts + a.clock_offset AS c7" NET_JOIN("dns_all"),
	NULL, "no DNS messages", true, NULL, false,
};
static const struct tui_col http_cols[] = {
	{ "time", 21, 0, NULL },
	{ "method", 7, 0, NULL },
	{ "status", 6, TCOL_RIGHT | TCOL_INT, NULL },
	{ "host", 22, 0, NULL },
	{ "uri", 0, TCOL_FLEX, NULL },
	{ "user_agent", 20, 0, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
};
static const struct tui_listdef fl_http = {
	"http", http_cols, NC(http_cols),
	"SELECT d.rowid AS k, '' AS t, 'http' AS rel, f.id || ':' || (d.ts + "
	"a.clock_offset) AS key, CASE WHEN d.status >= 400 THEN 'medium' END "
	"AS hint, tui_time(d.ts + a.clock_offset) AS c0, d.method AS c1, "
	"d.status AS c2, d.host AS c3, d.uri AS c4, d.user_agent AS c5, d.ts "
	"+ a.clock_offset AS c6" NET_JOIN("http_all"),
	NULL, "no HTTP messages", true, NULL, false,
};
static const struct tui_col tls_cols[] = {
	{ "time", 21, 0, NULL },
	{ "version", 8, 0, NULL },
	{ "sni", 0, TCOL_FLEX, NULL },
	{ "alpn", 14, 0, NULL },
	{ "dst", 26, 0, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
};
static const struct tui_listdef fl_tls = {
	"tls", tls_cols, NC(tls_cols),
	"SELECT d.rowid AS k, '' AS t, 'tls' AS rel, f.id || ':' || (d.ts + "
	"a.clock_offset) AS key, NULL AS hint, tui_time(d.ts + "
	"a.clock_offset) AS c0, d.version AS c1, d.sni AS c2, d.alpn AS c3, "
	EP("f.dst", "f.dport") " AS c4, d.ts + a.clock_offset AS c5"
	NET_JOIN("tls_all"),
	NULL, "no TLS ClientHello", true, NULL, false,
};
static const struct tui_col arp_cols[] = {
	{ "time", 21, 0, NULL },
	{ "op", 8, 0, NULL },
	{ "sender_mac", 17, 0, NULL },
	{ "sender_ip", 16, 0, NULL },
	{ "target_mac", 17, 0, NULL },
	{ "target_ip", 0, TCOL_FLEX, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
};
static const struct tui_listdef fl_arp = {
	"arp", arp_cols, NC(arp_cols),
	"SELECT r.rowid AS k, '' AS t, NULL AS rel, NULL AS key, NULL AS "
	"hint, tui_time(r.ts + a.clock_offset) AS c0, r.op AS c1, "
	"r.sender_mac AS c2, r.sender_ip AS c3, r.target_mac AS c4, "
	"r.target_ip AS c5, r.ts + a.clock_offset AS c6 FROM arp_all r JOIN "
	"artifact_all a ON a.id = r.artifact_id WHERE a.state = 'complete'",
	NULL, "no ARP packets", true, NULL, false,
};
static const struct tui_listdef *const net_tabs[] = { &fl_flows, &fl_dns,
	&fl_http, &fl_tls, &fl_arp };

static struct tui_page *
tui_open_network(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(net_tabs, NC(net_tabs), NULL, "Network");
}

/* ---- images ---- */

static const struct tui_col im_cols[] = {
	{ "id", 5, TCOL_RIGHT | TCOL_INT, NULL },
	{ "ref", 0, TCOL_FLEX, NULL },
	{ "os/arch", 12, 0, NULL },
	{ "layers", 6, TCOL_RIGHT | TCOL_INT, NULL },
	{ "created", 20, 0, NULL },
	{ "config", 19, 0, NULL },
};
static const struct tui_listdef im_images = {
	"images", im_cols, NC(im_cols),
	"SELECT id AS k, '' AS t, 'images' AS rel, id AS key, NULL "
	"AS hint, id AS c0, coalesce(ref, tags) AS c1, os || '/' || arch AS "
	"c2, nlayers AS c3, tui_time(created) AS c4, substr(config_digest, 1, 19) AS "
	"c5 FROM images",
	NULL, "no images: import a docker save tar or an OCI layout", true,
	NULL, false,
};
static const struct tui_col ly_cols[] = {
	{ "layer", 6, TCOL_RIGHT | TCOL_INT, NULL },
	{ "size", 11, TCOL_RIGHT | TCOL_INT, NULL },
	{ "files", 7, TCOL_RIGHT | TCOL_INT, NULL },
	{ "digest", 19, 0, NULL },
	{ "step", 0, TCOL_FLEX, NULL },
};
static const struct tui_listdef im_layers = {
	"all layers", ly_cols, NC(ly_cols),
	"SELECT l.id AS k, '' AS t, '@sub:layerfiles' AS rel, l.id AS key, "
	"NULL AS hint, l.id AS c0, l.size AS c1, l.nfiles AS c2, "
	"substr(l.diff_id, 1, 19) AS c3, (SELECT s.created_by FROM "
	"image_layers s WHERE s.layer_id = l.id LIMIT 1) AS c4 FROM layers l",
	NULL, "no layers", true, NULL, false,
};
static const struct tui_listdef *const im_tabs[] = { &im_images,
	&im_layers };
/* One image: its steps (Dockerfile lines) with their layers, and its
 * merged tree. */
static const struct tui_col st_cols[] = {
	{ "step", 4, TCOL_RIGHT | TCOL_INT, NULL },
	{ "layer", 6, TCOL_RIGHT | TCOL_INT, NULL },
	{ "size", 11, TCOL_RIGHT | TCOL_INT, NULL },
	{ "files", 7, TCOL_RIGHT | TCOL_INT, NULL },
	{ "created_by", 0, TCOL_FLEX, NULL },
};
static const struct tui_listdef im_steps = {
	"layers and steps", st_cols, NC(st_cols),
	"SELECT s.idx AS k, '' AS t, CASE WHEN s.layer_id IS NOT NULL THEN "
	"'@sub:layerfiles' END AS rel, s.layer_id AS key, CASE WHEN "
	"s.empty_layer THEN 'info' END AS hint, s.idx AS c0, s.layer_id AS "
	"c1, l.size AS c2, l.nfiles AS c3, s.created_by AS c4 FROM "
	"image_layers s LEFT JOIN layers l ON l.id = s.layer_id WHERE "
	"s.image_id = CAST(?1 AS INTEGER)",
	NULL, "no steps recorded for this image", true, NULL, false,
};
static const struct tui_col fs_cols[] = {
	{ "type", 4, 0, NULL },
	{ "mode", 6, 0, NULL },
	{ "uid:gid", 9, 0, NULL },
	{ "size", 10, TCOL_RIGHT | TCOL_INT, NULL },
	{ "layer", 6, TCOL_RIGHT | TCOL_INT, NULL },
	{ "tree", 0, TCOL_FLEX, NULL },
	{ "path", 0, TCOL_HIDDEN, NULL },
};
#define BASENAME(p) "replace(" p ", rtrim(" p ", replace(" p ", '/', '')), '')"
#define DEPTH(p) "(length(" p ") - length(replace(" p ", '/', '')))"
static const struct tui_listdef im_tree = {
	"merged tree", fs_cols, NC(fs_cols),
	"SELECT i.id AS k, f.path AS t, 'file_origins' AS rel, i.id || ':' || "
	"f.path AS key, NULL AS hint, substr(f.type, 1, 4) AS c0, "
	"printf('%04o', f.mode & 4095) AS c1, f.uid || ':' || f.gid AS c2, "
	"f.size AS c3, f.layer_id AS c4, printf('%*s', 2 * " DEPTH("f.path")
	", '') || " BASENAME("f.path") " || coalesce(' -> ' || f.link_target, "
	"'') AS c5, f.path AS c6 FROM fs_all f JOIN image_all i ON "
	"i.artifact_id = f.artifact_id AND i.image_no = f.image_no WHERE "
	"i.id = CAST(?1 AS INTEGER)",
	NULL, "no merged tree for this image", false, NULL, false,
};
static const struct tui_listdef *const im_one_tabs[] = { &im_steps,
	&im_tree };
/* One layer's changes, dive's markers: A added, M modified (the path is
 * in a lower layer of the same archive), D deleted (a whiteout). */
static const struct tui_col lf_cols[] = {
	{ "change", 6, 0, NULL },
	{ "type", 4, 0, NULL },
	{ "mode", 6, 0, NULL },
	{ "uid:gid", 9, 0, NULL },
	{ "size", 10, TCOL_RIGHT | TCOL_INT, NULL },
	{ "tree", 0, TCOL_FLEX, NULL },
	{ "path", 0, TCOL_HIDDEN, NULL },
};
static const struct tui_listdef im_lfiles = {
	"layer changes", lf_cols, NC(lf_cols),
	"SELECT l.id AS k, f.path AS t, 'files' AS rel, l.id || ':' || f.path "
	"AS key, CASE WHEN f.whiteout THEN 'D' WHEN EXISTS (SELECT 1 FROM "
	"file_all g WHERE g.path = f.path AND g.artifact_id = f.artifact_id "
	"AND g.layer_no < f.layer_no) THEN 'M' ELSE 'A' END AS hint, CASE "
	"WHEN f.whiteout THEN 'D' WHEN EXISTS (SELECT 1 FROM file_all g "
	"WHERE g.path = f.path AND g.artifact_id = f.artifact_id AND "
	"g.layer_no < f.layer_no) THEN 'M' ELSE 'A' END AS c0, substr(f.type, "
	"1, 4) AS c1, printf('%04o', f.mode & 4095) AS c2, f.uid || ':' || "
	"f.gid AS c3, f.size AS c4, printf('%*s', 2 * " DEPTH("f.path")
	", '') || " BASENAME("f.path") " || coalesce(' -> ' || f.link_target, "
	"'') AS c5, f.path AS c6 FROM file_all f JOIN layer_all l ON "
	"l.artifact_id = f.artifact_id AND l.layer_no = f.layer_no WHERE "
	"l.id = CAST(?1 AS INTEGER)",
	NULL, "no files in this layer", false, NULL, false,
};
static const struct tui_listdef *const im_lfiles_tabs[] = { &im_lfiles };

static struct tui_page *
tui_open_images(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(im_tabs, NC(im_tabs), NULL, "Images");
}

/* ---- containers ---- */

static const struct tui_col ct_cols[] = {
	{ "container", 12, 0, NULL },
	{ "name", 20, 0, NULL },
	{ "privileged", 10, 0, NULL },
	{ "findings", 8, TCOL_RIGHT | TCOL_INT, NULL },
	{ "image", 0, TCOL_FLEX, NULL },
	{ "id", 0, TCOL_HIDDEN, NULL },
};
static const struct tui_listdef ct_list = {
	"containers", ct_cols, NC(ct_cols),
	"SELECT row_number() OVER (ORDER BY c.id) AS k, '' AS t, "
	"'containers' AS rel, c.id AS key, CASE WHEN c.privileged THEN "
	"'high' END AS hint, substr(c.id, 1, 12) AS c0, c.name AS c1, CASE "
	"c.privileged WHEN 1 THEN 'yes' WHEN 0 THEN 'no' END AS c2, (SELECT "
	"count(*) FROM findings f WHERE f.container_id = c.id) AS c3, c.image "
	"AS c4, c.id AS c5 FROM containers c",
	NULL, "no containers: import inspect JSON, a runtime root or a trace "
	"with container metadata", true, NULL, false,
};
static const struct tui_col lg_cols[] = {
	{ "time", 21, 0, NULL },
	{ "container", 12, 0, NULL },
	{ "stream", 6, 0, NULL },
	{ "message", 0, TCOL_FLEX, NULL },
	{ "ts", 0, TCOL_HIDDEN | TCOL_TIME | TCOL_INT, NULL },
	{ "container_id", 0, TCOL_HIDDEN, NULL },
};
#define LG_SELECT \
	"SELECT coalesce(ts, 0) AS k, printf('%012d:%012d', artifact_id, " \
	"seq) AS t, 'logs' AS rel, artifact_id || ':' || seq AS key, CASE " \
	"WHEN stream = 'stderr' THEN 'medium' END AS hint, tui_time(ts) AS " \
	"c0, coalesce(substr(container_id, 1, 12), name) AS c1, stream AS " \
	"c2, message AS c3, ts AS c4, container_id AS c5 FROM logs"
static const struct tui_listdef ct_logs = {
	"logs", lg_cols, NC(lg_cols), LG_SELECT, NULL,
	"no container logs", false, NULL, false,
};
static const struct tui_col dr_cols[] = {
	{ "change", 6, 0, NULL },
	{ "container", 12, 0, NULL },
	{ "size", 10, TCOL_RIGHT | TCOL_INT, NULL },
	{ "path", 0, TCOL_FLEX, NULL },
	{ "container_id", 0, TCOL_HIDDEN, NULL },
};
#define DR_SELECT \
	"SELECT row_number() OVER (ORDER BY container_id, path) AS k, '' AS " \
	"t, 'drift' AS rel, key, change AS hint, change AS c0, " \
	"substr(container_id, 1, 12) AS c1, size AS c2, path AS c3, " \
	"container_id AS c4 FROM drift"
static const struct tui_listdef ct_drift = {
	"drift", dr_cols, NC(dr_cols), DR_SELECT, NULL,
	"no drift: import a runtime root, docker export or docker diff",
	true, NULL, false,
};
static const struct tui_listdef *const ct_tabs[] = { &ct_list, &ct_logs,
	&ct_drift };

static struct tui_page *
tui_open_containers(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(ct_tabs, NC(ct_tabs), NULL, "Containers");
}

/* ---- custody ---- */

static const struct tui_col ar_cols[] = {
	{ "id", 5, TCOL_RIGHT | TCOL_INT, NULL },
	{ "format", 12, 0, NULL },
	{ "size", 11, TCOL_RIGHT | TCOL_INT, NULL },
	{ "sha256", 16, 0, NULL },
	{ "anomalies", 9, TCOL_RIGHT | TCOL_INT, NULL },
	{ "name", 0, TCOL_FLEX, NULL },
};
static const struct tui_listdef cu_evidence = {
	"evidence", ar_cols, NC(ar_cols),
	"SELECT a.id AS k, '' AS t, 'artifacts' AS rel, a.id AS key, CASE "
	"WHEN (SELECT count(*) FROM anomalies n WHERE n.artifact_id = a.id) "
	"> 0 THEN 'medium' END AS hint, a.id AS c0, a.format AS c1, a.size "
	"AS c2, substr(a.sha256, 1, 16) AS c3, (SELECT count(*) FROM "
	"anomalies n WHERE n.artifact_id = a.id) AS c4, a.name AS c5 FROM "
	"artifacts a",
	NULL, "no evidence: drydock ingest CASE FILE", true, NULL, false,
};
static const struct tui_col cl_cols[] = {
	{ "seq", 5, TCOL_RIGHT | TCOL_INT, NULL },
	{ "time", 21, 0, NULL },
	{ "action", 10, 0, NULL },
	{ "examiner", 12, 0, NULL },
	{ "hash", 12, 0, NULL },
	{ "detail", 0, TCOL_FLEX, NULL },
};
static const struct tui_listdef cu_log = {
	"custody log", cl_cols, NC(cl_cols),
	"SELECT seq AS k, '' AS t, NULL AS rel, NULL AS key, NULL AS hint, "
	"seq AS c0, tui_time(ts) AS c1, action AS c2, examiner AS c3, "
	"substr(hash, 1, 12) AS c4, detail AS c5 FROM custody",
	NULL, "no custody rows", true, NULL, false,
};
static const struct tui_col an_cols[] = {
	{ "artifact", 8, TCOL_RIGHT | TCOL_INT, NULL },
	{ "offset", 12, TCOL_RIGHT | TCOL_INT, NULL },
	{ "message", 0, TCOL_FLEX, NULL },
};
static const struct tui_listdef cu_anom = {
	"anomalies", an_cols, NC(an_cols),
	"SELECT row_number() OVER (ORDER BY artifact_id, offset) AS k, '' AS "
	"t, 'artifacts' AS rel, artifact_id AS key, 'medium' AS hint, "
	"artifact_id AS c0, offset AS c1, message AS c2 FROM anomalies",
	NULL, "no anomalies: every input parsed cleanly", true, NULL, false,
};
static const struct tui_listdef *const cu_tabs[] = { &cu_evidence, &cu_log,
	&cu_anom };

static struct tui_page *
tui_open_custody(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(cu_tabs, NC(cu_tabs), NULL,
	    "Custody (V verifies)");
}

/* ---- examiner annotations ---- */

static const struct tui_col bm_cols[] = {
	{ "time", 21, 0, NULL },
	{ "kind", 5, 0, NULL },
	{ "row", 44, 0, NULL },
	{ "text", 0, TCOL_FLEX, NULL },
};
static const struct tui_listdef bm_list = {
	"bookmarks, tags and notes", bm_cols, NC(bm_cols),
	"SELECT ts AS k, kind || relation || key || text AS t, relation AS "
	"rel, key, CASE WHEN text = 'bookmark' THEN 'low' END AS hint, "
	"tui_time(ts) AS c0, kind AS c1, relation || ':' || key AS c2, text "
	"AS c3 FROM (SELECT ts, 'tag' AS kind, relation, key, tag AS text "
	"FROM tags UNION ALL SELECT ts, 'note', relation, key, text FROM "
	"notes)",
	NULL, "no bookmarks, tags or notes yet (b, t, a on any row)", false,
	NULL, false,
};
static const struct tui_listdef *const bm_tabs[] = { &bm_list };

struct tui_page *
tui_bookmarks_new(struct tui_ctx *x)
{
	(void)x;
	return tui_list_new(bm_tabs, 1, NULL, "Bookmarks");
}

/* ---- sub-lists ---- */

static const struct {
	const char *name, *title;
	const struct tui_listdef *const *tabs;
	int ntabs;
} tui_subs[] = {
	{ "imagelayers", "image", im_one_tabs, NC(im_one_tabs) },
	{ "layerfiles", "layer", im_lfiles_tabs, 1 },
	{ "procevents", "syscalls of process", ev_proc_tabs, 1 },
};

struct tui_page *
tui_sub_open(struct tui_ctx *x, const char *name, const char *param)
{
	for (size_t i = 0; i < ARRAY_SIZE(tui_subs); i++) {
		char title[160];
		if (strcmp(tui_subs[i].name, name) != 0)
			continue;
		snprintf(title, sizeof(title), "%s %s", tui_subs[i].title,
		    param);
		return tui_list_new(tui_subs[i].tabs, tui_subs[i].ntabs, param,
		    title);
	}
	tui_msg(x, "no list '%s'", name);
	return NULL;
}

/* ---- the screens ---- */

static const struct tui_view v_dash = { "Dashboard", tui_dashboard_new };
static const struct tui_view v_find = { "Findings", tui_open_findings };
static const struct tui_view v_time = { "Timeline", tui_open_timeline };
static const struct tui_view v_proc = { "Processes", tui_open_processes };
static const struct tui_view v_sys = { "Syscalls", tui_open_syscalls };
static const struct tui_view v_net = { "Network", tui_open_network };
static const struct tui_view v_img = { "Images", tui_open_images };
static const struct tui_view v_ctr = { "Containers", tui_open_containers };
static const struct tui_view v_cus = { "Custody", tui_open_custody };

const struct tui_view *const tui_views[TUI_NSCREENS] = {
	&v_dash, &v_find, &v_time, &v_proc, &v_sys, &v_net, &v_img, &v_ctr,
	&v_cus,
};
