/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view-detail.c: the pages that show one thing.
 *
 * Detail: a finding (its explanation and evidence) or any row, with the
 * chain of links that joins it to other sources (core/explain.c, what
 * `drydock explain` prints): every row named is a line Enter opens, so
 * an analyst walks from a finding to the syscall, the flow, the process,
 * the container, the image layer and the file without leaving the TUI.
 * Rows with more behind them get action lines (a process's syscalls, a
 * flow's packets, a container's logs...).
 *
 * Content: a file of an image layer, of an image's merged tree or of a
 * container's drift, read from the chunk store (the first
 * TUI_CONTENT_MAX bytes), as numbered text lines or a hex dump (x).
 *
 * Packets: a flow's packets, exported by the export-pcap code path into a
 * temporary capture, decoded (Ethernet, VLAN, Linux cooked, IPv4/IPv6,
 * TCP/UDP/ICMP headers) with a hex/ASCII dump of each.
 */
#include "core/common.h"
#include "tui/tui.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "core/chunk.h"
#include "core/dderr.h"
#include "core/explain.h"
#include "core/imgfs.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define TUI_CONTENT_MAX (4u << 20)
#define TUI_PACKETS_MAX 2000
#define TUI_PCAP_MAX (16u << 20)
#define TUI_PACKET_SHOW 4096u /* bytes of one packet dumped */

/* ---- detail ---- */

/* "k=v  k=v ..." lines of an object's scalar members, wrapped. */
static void
dt_values(struct tui_page *p, json_t *o, int ind)
{
	const char *k;
	json_t *v;
	char *line = NULL;
	size_t len = 0;

	json_object_foreach(o, k, v) {
		char *item, t[40];
		if (json_is_object(v) || json_is_array(v) || json_is_null(v))
			continue;
		if (json_is_integer(v) && explain_is_time_key(k)) {
			time_fmt_ns(json_integer_value(v), t);
			item = xasprintf("%s=%s", k, t);
		} else if (json_is_integer(v)) {
			item = xasprintf("%s=%" JSON_INTEGER_FORMAT, k,
			    json_integer_value(v));
		} else if (json_is_real(v)) {
			item = xasprintf("%s=%g", k, json_real_value(v));
		} else if (json_is_string(v)) {
			item = xasprintf("%s=%s", k, json_string_value(v));
		} else {
			item = xasprintf("%s=%s", k, json_is_true(v) ? "true" :
			    "false");
		}
		if (line != NULL && len + strlen(item) > 100) {
			tui_text_addn(p, 0, NULL, NULL, line, strlen(line));
			free(line);
			line = NULL;
		}
		if (line == NULL) {
			line = xasprintf("%*s%s", ind, "", item);
		} else {
			char *l2 = xasprintf("%s  %s", line, item);
			free(line);
			line = l2;
		}
		len = strlen(line);
		free(item);
	}
	if (line != NULL)
		tui_text_addn(p, 0, NULL, NULL, line, strlen(line));
	free(line);
}

static const char *
dt_str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Action lines for what a row leads to. */
static void
dt_actions(struct tui_page *p, const char *rel, const char *key, int ind)
{
	char k2[600];

	if (strcmp(rel, "events") == 0) {
		tui_text_add(p, TA_FG(TC_GREEN), "@events", key,
		    "%*s> show event %s in the syscall screen", ind, "", key);
	} else if (strcmp(rel, "flows") == 0) {
		tui_text_add(p, TA_FG(TC_GREEN), "@packets", key,
		    "%*s> packets of flow %s (headers and hex; w writes a "
		    "pcap)", ind, "", key);
		tui_text_add(p, TA_FG(TC_GREEN), "@flows", key,
		    "%*s> show flow %s in the network screen", ind, "", key);
	} else if (strcmp(rel, "processes") == 0) {
		tui_text_add(p, TA_FG(TC_GREEN), "@sub:procevents", key,
		    "%*s> syscalls of process %s", ind, "", key);
	} else if (strcmp(rel, "containers") == 0) {
		static const struct {
			const char *scr, *field, *what;
		} to[] = {
			{ "2", "container_id", "findings" },
			{ "4", "container_id", "processes" },
			{ "5", "container", "syscalls" },
			{ "6", "container_id", "flows" },
		};
		for (size_t i = 0; i < ARRAY_SIZE(to); i++) {
			snprintf(k2, sizeof(k2), "%s\t%s=%s", to[i].scr,
			    to[i].field, key);
			tui_text_add(p, TA_FG(TC_GREEN), "@screen", k2,
			    "%*s> %s of this container", ind, "", to[i].what);
		}
	} else if (strcmp(rel, "images") == 0) {
		tui_text_add(p, TA_FG(TC_GREEN), "@sub:imagelayers", key,
		    "%*s> layers, steps and merged tree", ind, "");
	} else if (strcmp(rel, "layers") == 0) {
		tui_text_add(p, TA_FG(TC_GREEN), "@sub:layerfiles", key,
		    "%*s> files of layer %s", ind, "", key);
	}
}

/* A titled section of rows: each row one line of its columns joined by
 * two spaces ("col=value" when named), opening rel:key when the first two
 * columns are named rel and key. At most max rows; ?1 = param. */
static void
dt_section(struct tui_ctx *x, struct tui_page *p, const char *title,
    const char *sql, const char *param, int max, int ind)
{
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (sqlite3_prepare_v2(x->s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st); /* an older case without the relation */
		return;
	}
	sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	while (tui_step(x, st)) {
		int nc = sqlite3_column_count(st), c0 = 0;
		const char *rel = NULL, *key = NULL;
		struct sbuf ln;
		if (n == 0)
			tui_text_add(p, TA_BOLD, NULL, NULL, "%*s%s:", ind, "",
			    title);
		if (n++ >= max) {
			tui_text_add(p, TA_DIM, NULL, NULL, "%*s(more: the first "
			    "%d shown; drydock query lists all)", ind + 2, "",
			    max);
			break;
		}
		if (nc >= 2 && strcmp(sqlite3_column_name(st, 0), "rel") == 0 &&
		    strcmp(sqlite3_column_name(st, 1), "key") == 0) {
			rel = (const char *)sqlite3_column_text(st, 0);
			key = (const char *)sqlite3_column_text(st, 1);
			c0 = 2;
		}
		sbuf_init(&ln, SBUF_MAX_DEFAULT);
		sbuf_addf(&ln, "%*s", ind + 2, "");
		for (int c = c0; c < nc; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			const char *nm = sqlite3_column_name(st, c);
			size_t vl = (size_t)sqlite3_column_bytes(st, c);
			if (v == NULL)
				continue;
			/* wrap long rows; the rest of the row is indented */
			if (ln.len > (size_t)ind + 4 && ln.len + vl +
			    strlen(nm) > 110) {
				tui_text_addn(p, 0, rel, key, ln.buf, ln.len);
				sbuf_reset(&ln);
				sbuf_addf(&ln, "%*s", ind + 4, "");
			} else if (ln.len > (size_t)ind + 2) {
				sbuf_addstr(&ln, "  ");
			}
			if (nm[0] != '_')
				sbuf_addf(&ln, "%s=", nm);
			sbuf_add(&ln, v, vl);
		}
		tui_text_addn(p, 0, rel, key, ln.buf, ln.len);
		sbuf_release(&ln);
	}
	sqlite3_finalize(st);
}

/* What else the case knows of a process, an image or a container: the
 * titled sections of its detail page (?1 = the row's key). */
static const struct {
	const char *rel, *title, *sql;
	int max;
} dt_rel[] = {
	{ "processes", "programs it ran (execve)",
	  "SELECT ts AS _ts, exe, args FROM execs WHERE process_id = "
	  "CAST(?1 AS INTEGER) ORDER BY ts", 20 },
	{ "processes", "connections it made (connect -> flow)",
	  "SELECT l.to_relation AS rel, l.to_key AS key, l.detail AS _d "
	  "FROM events e JOIN links l ON l.from_relation = 'events' AND "
	  "l.from_key = CAST(e.id AS TEXT) AND l.to_relation = 'flows' "
	  "WHERE e.syscall IN ('connect', 'sendto', 'sendmsg') AND "
	  "e.process_id = CAST(?1 AS INTEGER)", 30 },
	{ "processes", "capabilities (effective)",
	  "SELECT group_concat(cap, ' ') AS _caps FROM capabilities "
	  "WHERE process_id = CAST(?1 AS INTEGER) AND \"set\" = 'eff' "
	  "HAVING count(*) > 0", 1 },
	{ "processes", "namespaces",
	  "SELECT kind, inode FROM namespaces WHERE process_id = CAST(?1 "
	  "AS INTEGER) ORDER BY kind", 20 },
	{ "processes", "open files",
	  "SELECT fd, kind, target FROM open_files WHERE process_id = "
	  "CAST(?1 AS INTEGER) ORDER BY fd", 50 },
	{ "processes", "sockets",
	  "SELECT fd, proto, local, lport, remote, rport, state, path "
	  "FROM sockets WHERE process_id = CAST(?1 AS INTEGER) ORDER BY "
	  "fd", 50 },
	{ "processes", "memory mappings",
	  "SELECT start || '-' || end AS _range, perms AS _perms, size, "
	  "path FROM mappings WHERE process_id = CAST(?1 AS INTEGER) "
	  "ORDER BY seq", 200 },
	{ "images", "layers and Dockerfile steps (Enter: the layer's files)",
	  "SELECT CASE WHEN s.layer_id IS NOT NULL THEN "
	  "'@sub:layerfiles' END AS rel, s.layer_id AS key, s.idx AS "
	  "step, s.layer_id AS layer, l.size, l.nfiles AS files, "
	  "s.created_by AS _by FROM image_layers s LEFT JOIN layers l ON "
	  "l.id = s.layer_id WHERE s.image_id = CAST(?1 AS INTEGER) "
	  "ORDER BY s.idx", 200 },
	{ "images", "findings on this image (efficiency and wasted bytes as "
	  "dive scores them, configuration)",
	  "SELECT 'findings' AS rel, f.id AS key, f.severity AS _sev, "
	  "f.title AS _title FROM finding_evidence e JOIN findings f ON "
	  "f.id = e.finding_id WHERE e.relation = 'images' AND e.key = "
	  "?1 ORDER BY f.rule = 'layers.efficiency' DESC, f.severity, "
	  "f.id", 50 },
	{ "images", "containers of this image",
	  "SELECT 'containers' AS rel, ci.container_id AS key, c.name AS "
	  "_n FROM container_images ci JOIN containers c ON c.id = "
	  "ci.container_id WHERE ci.image_id = CAST(?1 AS INTEGER)", 50 },
	{ "containers", "posture",
	  "SELECT runtime, state, pid, user, readonly_rootfs, pid_mode, "
	  "net_mode, ipc_mode, uts_mode, userns_mode, cgroupns_mode, "
	  "seccomp, apparmor, no_new_privs, memory_limit, pids_limit, "
	  "hostname, command FROM container_meta WHERE container_id = ?1", 5 },
	{ "containers", "capabilities added / dropped",
	  "SELECT op, group_concat(cap, ' ') AS caps FROM container_caps "
	  "WHERE container_id = ?1 GROUP BY op", 5 },
	{ "containers", "mounts",
	  "SELECT type, source, destination, rw FROM container_mounts "
	  "WHERE container_id = ?1", 50 },
	{ "containers", "devices",
	  "SELECT host_path, container_path, permissions FROM "
	  "container_devices WHERE container_id = ?1", 50 },
	{ "containers", "findings",
	  "SELECT 'findings' AS rel, id AS key, severity AS _sev, title "
	  "AS _title FROM findings WHERE container_id = ?1 ORDER BY CASE "
	  "severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN "
	  "'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, id", 50 },
	{ "containers", "drift (the writable layer against the image)",
	  "SELECT 'drift' AS rel, key, change AS _c, path AS _p, size "
	  "FROM drift WHERE container_id = ?1 ORDER BY path", 50 },
	{ "containers", "logs (the last lines)",
	  "SELECT * FROM (SELECT 'logs' AS rel, artifact_id || ':' || "
	  "seq AS key, stream AS _s, message AS _m FROM logs WHERE "
	  "container_id = ?1 ORDER BY ts DESC LIMIT 20) ORDER BY key", 20 },
};

static void
dt_related(struct tui_ctx *x, struct tui_page *p, const char *rel,
    const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(dt_rel); i++)
		if (strcmp(dt_rel[i].rel, rel) == 0)
			dt_section(x, p, dt_rel[i].title, dt_rel[i].sql, key,
			    dt_rel[i].max, 4);
}

/* Find everywhere: the sources' text columns holding a substring. */
static const struct {
	const char *title, *sql;
} dt_find[] = {
	{ "findings", "SELECT 'findings' AS rel, id AS key, severity AS _s, "
	  "title AS _t FROM findings WHERE title LIKE ?1 ESCAPE '\\' OR "
	  "detail LIKE ?1 ESCAPE '\\' OR rule LIKE ?1 ESCAPE '\\' OR id "
	  "LIKE ?1 ESCAPE '\\' ORDER BY id" },
	{ "syscall events (by path)", "SELECT 'events' AS rel, id AS key, "
	  "tui_time(ts) AS _t, pid, comm AS _c, syscall AS _s, path AS _p "
	  "FROM events WHERE path LIKE ?1 ESCAPE '\\'" },
	{ "processes", "SELECT 'processes' AS rel, id AS key, pid, comm AS "
	  "_c, exe AS _e, args AS _a FROM processes WHERE comm LIKE ?1 "
	  "ESCAPE '\\' OR exe LIKE ?1 ESCAPE '\\' OR args LIKE ?1 ESCAPE "
	  "'\\' ORDER BY id" },
	{ "containers", "SELECT 'containers' AS rel, id AS key, name AS _n, "
	  "image AS _i FROM containers WHERE id LIKE ?1 ESCAPE '\\' OR name "
	  "LIKE ?1 ESCAPE '\\' OR image LIKE ?1 ESCAPE '\\'" },
	{ "flows", "SELECT 'flows' AS rel, id AS key, proto AS _p, src || "
	  "':' || coalesce(sport, '') || ' -> ' || dst || ':' || "
	  "coalesce(dport, '') AS _f FROM flows WHERE src LIKE ?1 ESCAPE "
	  "'\\' OR dst LIKE ?1 ESCAPE '\\' OR community_id LIKE ?1 ESCAPE "
	  "'\\' ORDER BY id" },
	{ "DNS", "SELECT 'dns' AS rel, flow_id || ':' || ts AS key, "
	  "tui_time(ts) AS _t, qname AS _q, answers AS _a FROM dns WHERE "
	  "response = 1 AND (qname LIKE ?1 ESCAPE '\\' OR answers LIKE ?1 "
	  "ESCAPE '\\')" },
	{ "HTTP", "SELECT 'http' AS rel, flow_id || ':' || ts AS key, "
	  "tui_time(ts) AS _t, method AS _m, host AS _h, uri AS _u FROM http "
	  "WHERE host LIKE ?1 ESCAPE '\\' OR uri LIKE ?1 ESCAPE '\\' OR "
	  "user_agent LIKE ?1 ESCAPE '\\'" },
	{ "image files", "SELECT 'files' AS rel, layer_id || ':' || path AS "
	  "key, layer_id AS layer, path AS _p, size FROM files WHERE path "
	  "LIKE ?1 ESCAPE '\\'" },
	{ "drift", "SELECT 'drift' AS rel, key, change AS _c, path AS _p FROM "
	  "drift WHERE path LIKE ?1 ESCAPE '\\'" },
	{ "container logs", "SELECT 'logs' AS rel, artifact_id || ':' || seq "
	  "AS key, tui_time(ts) AS _t, stream AS _s, message AS _m FROM logs "
	  "WHERE message LIKE ?1 ESCAPE '\\'" },
	{ "evidence", "SELECT 'artifacts' AS rel, id AS key, format AS _f, "
	  "name AS _n FROM artifacts WHERE name LIKE ?1 ESCAPE '\\' OR "
	  "sha256 LIKE ?1 ESCAPE '\\'" },
};

struct tui_page *
tui_find_new(struct tui_ctx *x, const char *needle)
{
	struct tui_page *p;
	struct sbuf lk;
	char title[160];

	snprintf(title, sizeof(title), "everywhere: %.100s", needle);
	p = tui_text_new(title);
	sbuf_init(&lk, SBUF_MAX_DEFAULT);
	tui_like(&lk, needle);
	tui_text_add(p, TA_BOLD, NULL, NULL, "Rows holding '%s' in every "
	    "source (the first 50 of each; a key stops the search):", needle);
	x->cancellable = true;
	for (size_t i = 0; i < ARRAY_SIZE(dt_find) && !x->cancelled; i++)
		dt_section(x, p, dt_find[i].title, dt_find[i].sql, lk.buf, 50,
		    0);
	x->cancellable = false;
	if (x->cancelled)
		tui_text_add(p, TA_FG(TC_YELLOW), NULL, NULL, "(stopped by a "
		    "key)");
	sbuf_release(&lk);
	return p;
}

static void dt_node(struct tui_page *p, json_t *n, int ind);

static void
dt_node(struct tui_page *p, json_t *n, int ind)
{
	const char *rel = dt_str(n, "relation"), *key = dt_str(n, "key");
	json_t *v = json_object_get(n, "values"), *l;
	size_t i;

	if (rel == NULL || key == NULL)
		return;
	if (json_is_true(json_object_get(n, "shown_above"))) {
		tui_text_add(p, TA_BOLD, rel, key, "%*s%s %s (shown above)",
		    ind, "", rel, key);
		return;
	}
	if (v == NULL) {
		tui_text_add(p, TA_DIM, NULL, NULL, "%*s%s %s (not in the "
		    "case)", ind, "", rel, key);
		return;
	}
	tui_text_add(p, TA_BOLD, rel, key, "%*s%s %s", ind, "", rel, key);
	dt_values(p, v, ind + 4);
	dt_actions(p, rel, key, ind + 4);
	if ((l = json_object_get(n, "process")) != NULL) {
		json_t *id = json_object_get(l, "id");
		char k[32];
		snprintf(k, sizeof(k), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		tui_text_add(p, 0, "processes", k, "%*sprocess %s:", ind + 4,
		    "", k);
		dt_values(p, l, ind + 6);
	}
	if ((l = json_object_get(n, "container")) != NULL) {
		json_t *im = json_object_get(l, "image_row");
		const char *id = dt_str(l, "id");
		tui_text_add(p, 0, "containers", id, "%*scontainer %.12s:",
		    ind + 4, "", id != NULL ? id : "?");
		dt_values(p, l, ind + 6);
		if (im != NULL) {
			char k[32];
			snprintf(k, sizeof(k), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(im, "id")));
			tui_text_add(p, 0, "images", k, "%*simage %s:",
			    ind + 4, "", k);
			dt_values(p, im, ind + 6);
		}
	}
	if ((l = json_object_get(n, "program")) != NULL) {
		tui_text_add(p, TA_DIM, NULL, NULL, "%*sprogram (its last "
		    "execve):", ind + 4, "");
		dt_node(p, l, ind + 6);
	}
	json_array_foreach(json_object_get(n, "links"), i, l) {
		const char *j = dt_str(l, "joined");
		char *line = xasprintf("%*s%s %s (confidence %.2f)%s%s",
		    ind + 4, "", dt_str(l, "kind"), strcmp(dt_str(l,
		    "direction"), "to") == 0 ? "->" : "<-", json_real_value(
		    json_object_get(l, "confidence")), j ? ": " : "",
		    j ? j : "");
		tui_text_addn(p, TA_FG(TC_MAGENTA), NULL, NULL, line,
		    strlen(line));
		free(line);
		dt_node(p, json_object_get(l, "row"), ind + 6);
	}
}

struct tui_page *
tui_detail_new(struct tui_ctx *x, const char *rel, const char *key)
{
	struct dd_err e = DD_ERR_INIT;
	struct tui_page *p;
	char title[160];
	json_t *doc = NULL;

	snprintf(title, sizeof(title), "%s %.40s", rel, key);
	p = tui_text_new(title);
	if (strcmp(rel, "findings") == 0) {
		json_t *f, *ev;
		size_t i;
		if (explain_finding(x->s, key, &doc, &e) < 0) {
			tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "%s", e.msg);
			return p;
		}
		f = json_object_get(doc, "finding");
		tui_text_add(p, TA_BOLD | TA_FG(strcmp(dt_str(f, "severity"),
		    "high") == 0 || strcmp(dt_str(f, "severity"), "critical")
		    == 0 ? TC_RED : TC_YELLOW), NULL, NULL, "%s  %s",
		    dt_str(f, "severity"), dt_str(f, "title"));
		tui_text_add(p, 0, NULL, NULL, "finding %s  %s/%s  confidence "
		    "%.2f  ATT&CK %s", dt_str(f, "id"), dt_str(f, "analyzer"),
		    dt_str(f, "rule"), json_real_value(json_object_get(f,
		    "confidence")), dt_str(f, "attack"));
		if (dt_str(f, "container_id") != NULL)
			tui_text_add(p, 0, "containers", dt_str(f,
			    "container_id"), "container %s", dt_str(f,
			    "container_id"));
		tui_text_add(p, 0, NULL, NULL, "%s", "");
		{ /* the explanation, wrapped at 100 columns */
			const char *d = dt_str(f, "detail");
			size_t n = d ? strlen(d) : 0, o = 0;
			while (o < n) {
				size_t take = n - o > 100 ? 100 : n - o;
				if (take == 100)
					for (size_t b = take; b > 60; b--)
						if (d[o + b] == ' ') {
							take = b;
							break;
						}
				tui_text_addn(p, 0, NULL, NULL, d + o, take);
				o += take;
				while (o < n && d[o] == ' ')
					o++;
			}
		}
		tui_text_add(p, 0, NULL, NULL, "%s", "");
		tui_text_add(p, TA_BOLD | TA_UL, NULL, NULL, "evidence "
		    "(Enter opens a row, o shows it in its screen):");
		json_array_foreach(json_object_get(doc, "evidence"), i, ev)
			dt_node(p, ev, 2);
		json_decref(doc);
		return p;
	}
	doc = explain_node(x->s, rel, key, &e);
	if (doc == NULL || json_object_get(doc, "values") == NULL) {
		tui_text_add(p, TA_DIM, NULL, NULL, "%s %s: %s", rel, key,
		    e.code ? e.msg : "no details for this row");
		dt_actions(p, rel, key, 2);
	} else {
		dt_node(p, doc, 0);
		dt_related(x, p, rel, key);
	}
	json_decref(doc);
	return p;
}

/* ---- content ---- */

struct tui_page *
tui_content_new(struct tui_ctx *x, const char *rel, const char *key)
{
	struct dd_err e = DD_ERR_INIT;
	struct imgfs_file f;
	struct tui_page *p;
	struct blobr *br = NULL;
	char title[200], cid[65] = "";
	const char *colon = strchr(key, ':');
	uint8_t *buf = NULL;
	size_t got = 0, want;
	int64_t id = 0;
	bool deleted = false;
	int rc;

	snprintf(title, sizeof(title), "file %.150s", colon ? colon + 1 : key);
	p = tui_text_new(title);
	memset(&f, 0, sizeof(f));
	if (strcmp(rel, "drift") == 0) {
		json_t *row = explain_row(x->s, "drift", key, &e);
		const char *c = row ? json_string_value(json_object_get(row,
		    "container_id")) : NULL;
		const char *path = row ? json_string_value(json_object_get(row,
		    "path")) : NULL;
		if (c == NULL || path == NULL) {
			tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "no drift "
			    "row %s", key);
			json_decref(row);
			return p;
		}
		rc = imgfs_drift_find(x->s, c, path, &f, &deleted, cid, &e);
		json_decref(row);
	} else {
		char num[32];
		if (colon == NULL || (size_t)(colon - key) >= sizeof(num)) {
			tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "bad file "
			    "key");
			return p;
		}
		snprintf(num, sizeof(num), "%.*s", (int)(colon - key), key);
		if (!parse_i64(num, &id)) {
			tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "bad file "
			    "key");
			return p;
		}
		rc = strcmp(rel, "files") == 0 ? imgfs_file_find(x->s, 0, id,
		    colon + 1, &f, &e) : imgfs_file_find(x->s, id, 0,
		    colon + 1, &f, &e);
	}
	if (rc < 0) {
		tui_text_add(p, TA_DIM, NULL, NULL, "%s", e.msg);
		return p;
	}
	tui_text_add(p, TA_BOLD, NULL, NULL, "%s  %" PRIu64 " bytes  sha256 "
	    "%s  layer %" PRId64 "%s", f.type, f.size, f.sha256, f.layer_id,
	    deleted ? "  (deleted in the container)" : "");
	{ /* the attributes: mode, owner, time, link, xattrs */
		json_t *row = explain_row(x->s, rel, key, &e);
		if (row != NULL)
			dt_values(p, row, 2);
		json_decref(row);
	}
	want = f.size > TUI_CONTENT_MAX ? TUI_CONTENT_MAX : (size_t)f.size;
	if (f.size > TUI_CONTENT_MAX)
		tui_text_add(p, TA_DIM, NULL, NULL, "(the first %u MiB shown; "
		    "drydock export-file writes it all)", TUI_CONTENT_MAX >> 20);
	buf = xmalloc(want ? want : 1);
	if (want > 0 && (blobr_open(x->s, f.blob_id, &br, &e) < 0 ||
	    blobr_pread(br, f.off, buf, want, &got, &e) < 0)) {
		tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "%s", e.msg);
		got = 0;
	}
	if (br != NULL)
		blobr_close(br);
	{
		bool bin = memchr(buf, 0, got < 8192 ? got : 8192) != NULL;
		size_t o = 0;
		int ln = 1;
		tui_text_add(p, TA_DIM, NULL, NULL, "(x: %s)", bin ? "text" :
		    "hex");
		tui_text_set_bytes(p, buf, got, bin);
		while (o < got) {
			const char *nl = memchr(buf + o, '\n', got - o);
			size_t n = nl ? (size_t)(nl - (const char *)buf) - o :
			    got - o;
			char pre[16];
			char *line;
			int pl = snprintf(pre, sizeof(pre), "%6d  ", ln++);
			line = xmalloc((size_t)pl + n + 1);
			memcpy(line, pre, (size_t)pl);
			memcpy(line + pl, buf + o, n);
			tui_text_addn(p, 0, NULL, NULL, line, (size_t)pl + n);
			free(line);
			o += n + 1;
		}
	}
	free(buf);
	return p;
}

/* ---- packets ---- */

static uint32_t
pk_u32(const uint8_t *b, bool sw)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return sw ? __builtin_bswap32(v) : v;
}

static uint16_t
pk_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* One line describing the headers of a frame. */
static void
pk_decode(const uint8_t *d, size_t n, int dlt, char *out, size_t cap)
{
	size_t o = 0, off = 0;
	uint16_t et = 0;
	char a[64], b[64];
	int proto = -1;
	size_t l4 = 0;

	out[0] = '\0';
	if (dlt == 1) { /* Ethernet */
		if (n < 14)
			return;
		o += (size_t)snprintf(out + o, cap - o, "eth %02x:%02x:%02x:"
		    "%02x:%02x:%02x > %02x:%02x:%02x:%02x:%02x:%02x", d[6],
		    d[7], d[8], d[9], d[10], d[11], d[0], d[1], d[2], d[3],
		    d[4], d[5]);
		et = pk_be16(d + 12);
		off = 14;
		while ((et == 0x8100 || et == 0x88a8) && n >= off + 4) {
			o += (size_t)snprintf(out + o, cap - o, " vlan %u",
			    pk_be16(d + off) & 0xfff);
			et = pk_be16(d + off + 2);
			off += 4;
		}
	} else if (dlt == 113) { /* Linux cooked v1 */
		if (n < 16)
			return;
		et = pk_be16(d + 14);
		off = 16;
	} else if (dlt == 276) { /* Linux cooked v2 */
		if (n < 20)
			return;
		et = pk_be16(d);
		off = 20;
	} else if (dlt == 101 || dlt == 12 || dlt == 14) { /* raw IP */
		et = n > 0 && (d[0] >> 4) == 6 ? 0x86dd : 0x0800;
	} else {
		snprintf(out, cap, "link type %d", dlt);
		return;
	}
	if (et == 0x0800 && n >= off + 20) {
		const uint8_t *ip = d + off;
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		snprintf(a, sizeof(a), "%u.%u.%u.%u", ip[12], ip[13], ip[14],
		    ip[15]);
		snprintf(b, sizeof(b), "%u.%u.%u.%u", ip[16], ip[17], ip[18],
		    ip[19]);
		proto = ip[9];
		o += (size_t)snprintf(out + o, cap - o, "%sipv4 %s > %s ttl %u "
		    "len %u", o ? "  " : "", a, b, ip[8], pk_be16(ip + 2));
		if ((pk_be16(ip + 6) & 0x1fff) != 0)
			proto = -1; /* a later fragment */
		l4 = off + ihl;
	} else if (et == 0x86dd && n >= off + 40) {
		const uint8_t *ip = d + off;
		o += (size_t)snprintf(out + o, cap - o, "%sipv6 hop %u len %u",
		    o ? "  " : "", ip[7], pk_be16(ip + 4));
		proto = ip[6];
		l4 = off + 40;
	} else if (et == 0x0806) {
		o += (size_t)snprintf(out + o, cap - o, "%sarp", o ? "  " : "");
	} else if (et != 0) {
		o += (size_t)snprintf(out + o, cap - o, "%sethertype 0x%04x",
		    o ? "  " : "", et);
	}
	if (proto == 6 && n >= l4 + 20) {
		const uint8_t *t = d + l4;
		static const char fl[] = "FSRPAUEC";
		char f[9];
		int k = 0;
		for (int i = 0; i < 8; i++)
			if (t[13] & (1 << i))
				f[k++] = fl[i];
		f[k] = '\0';
		snprintf(out + o, cap - o, "  tcp %u > %u [%s] seq %u ack %u win "
		    "%u", pk_be16(t), pk_be16(t + 2), f, pk_u32(t + 4, true),
		    pk_u32(t + 8, true), pk_be16(t + 14));
	} else if (proto == 17 && n >= l4 + 8) {
		snprintf(out + o, cap - o, "  udp %u > %u len %u",
		    pk_be16(d + l4), pk_be16(d + l4 + 2), pk_be16(d + l4 + 4));
	} else if ((proto == 1 || proto == 58) && n >= l4 + 2) {
		snprintf(out + o, cap - o, "  icmp%s type %u code %u",
		    proto == 58 ? "v6" : "", d[l4], d[l4 + 1]);
	} else if (proto >= 0) {
		snprintf(out + o, cap - o, "  ip proto %d", proto);
	}
}

int
tui_export_flow(struct tui_ctx *x, int64_t flow, const char *path)
{
	char id[32];
	pid_t pid;
	int st;

	snprintf(id, sizeof(id), "%" PRId64, flow);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		if (nul >= 0) {
			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
		}
		execl("/proc/self/exe", "drydock", "-q", "export-pcap",
		    x->case_path, "--flow", id, "-o", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

struct tui_page *
tui_packets_new(struct tui_ctx *x, int64_t flow_id)
{
	char title[64], tmpl[] = "/tmp/drydock-tui-XXXXXX";
	struct tui_page *p;
	uint8_t *cap = NULL;
	size_t n = 0, off = 24;
	int fd, dlt, pk = 0;
	bool sw, nano;
	uint32_t magic;

	snprintf(title, sizeof(title), "packets of flow %" PRId64, flow_id);
	p = tui_text_new(title);
	if ((fd = mkstemp(tmpl)) < 0) {
		tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "cannot make a "
		    "temporary file");
		return p;
	}
	close(fd);
	if (tui_export_flow(x, flow_id, tmpl) == 0) {
		FILE *fp = fopen(tmpl, "rb");
		if (fp != NULL) {
			cap = xmalloc(TUI_PCAP_MAX);
			n = fread(cap, 1, TUI_PCAP_MAX, fp);
			fclose(fp);
		}
	}
	unlink(tmpl);
	if (n < 24) {
		tui_text_add(p, TA_FG(TC_RED), NULL, NULL, "no packets of flow "
		    "%" PRId64 " could be read (is its capture in the case?)",
		    flow_id);
		free(cap);
		return p;
	}
	memcpy(&magic, cap, 4);
	sw = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	nano = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	dlt = (int)(pk_u32(cap + 20, sw) & 0xffff);
	tui_text_add(p, TA_BOLD, "flows", title + 16, "flow %" PRId64
	    " (link type %d); Enter here opens the flow; w writes these "
	    "packets as pcap", flow_id, dlt);
	while (off + 16 <= n && pk < TUI_PACKETS_MAX) {
		uint32_t sec = pk_u32(cap + off, sw);
		uint32_t frac = pk_u32(cap + off + 4, sw);
		uint32_t cl = pk_u32(cap + off + 8, sw);
		uint32_t wl = pk_u32(cap + off + 12, sw);
		char hdr[400], t[40];
		if (cl > n - off - 16)
			break;
		time_fmt_ns((int64_t)sec * 1000000000 + (int64_t)frac *
		    (nano ? 1 : 1000), t);
		pk_decode(cap + off + 16, cl, dlt, hdr, sizeof(hdr));
		tui_text_add(p, TA_BOLD, "flows", title + 16,
		    "#%d %s  %u bytes%s", ++pk,
		    t, wl, cl < wl ? " (cut)" : "");
		tui_text_add(p, TA_FG(TC_CYAN), NULL, NULL, "  %s", hdr);
		for (uint32_t r = 0; r < cl; r += 16) {
			if (r >= TUI_PACKET_SHOW) { /* bounded memory */
				tui_text_add(p, TA_DIM, NULL, NULL, "  (%u more "
				    "bytes: w writes the packets as pcap)",
				    cl - r);
				break;
			}
			char line[128];
			size_t o = (size_t)snprintf(line, sizeof(line),
			    "  %04x  ", r);
			for (uint32_t i = 0; i < 16; i++)
				o += (size_t)snprintf(line + o, sizeof(line) -
				    o, r + i < cl ? "%02x " : "   ",
				    r + i < cl ? cap[off + 16 + r + i] : 0);
			o += (size_t)snprintf(line + o, sizeof(line) - o, " ");
			for (uint32_t i = 0; i < 16 && r + i < cl; i++) {
				uint8_t c = cap[off + 16 + r + i];
				line[o++] = c >= 0x20 && c < 0x7f ? (char)c :
				    '.';
			}
			line[o] = '\0';
			tui_text_add(p, 0, NULL, NULL, "%s", line);
		}
		off += 16 + cl;
	}
	if (pk == TUI_PACKETS_MAX)
		tui_text_add(p, TA_DIM, NULL, NULL, "(the first %d packets; w "
		    "writes them all)", TUI_PACKETS_MAX);
	free(cap);
	return p;
}
