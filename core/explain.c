/* SPDX-License-Identifier: Apache-2.0 */
/*
 * explain.c: a row of any relation with the chain of links that joins it
 * to other sources (the correlate analyzer's links relation), as JSON:
 * what `drydock explain` prints and what the TUI's detail pages show.
 * Bounded: EX_LINKS links per row, depth EX_DEPTH, each row shown once.
 */
#include "core/common.h"
#include "core/explain.h"

#include <jansson.h>
#include <sqlite3.h>

#include "core/dderr.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

#define EX_LINKS 25
#define EX_DEPTH 2

/* The row of a relation by key: SQL with ?1 the key (?1 and ?2 its two
 * ':'-separated halves when split). */
static const struct {
	const char *rel;
	bool split;
	const char *sql;
} ex_rows[] = {
	{ "events", false,
	  "SELECT id, ts, syscall, pid, tid, comm, path, path2, fd_path, "
	  "family, addr, port, flags, ret, errno, args, container_id, "
	  "process_id, artifact_id FROM events WHERE id = CAST(?1 AS "
	  "INTEGER)" },
	{ "flows", false,
	  "SELECT id, proto, src, sport, dst, dport, first_ts, last_ts, "
	  "packets, bytes, community_id, container_id, artifact_id FROM "
	  "flows WHERE id = CAST(?1 AS INTEGER)" },
	{ "dns", true,
	  "SELECT ts, flow_id, response, qname, qtype, rcode, answers, src, dst "
	  "FROM dns WHERE flow_id = CAST(?1 AS INTEGER) AND ts = CAST(?2 AS "
	  "INTEGER) ORDER BY response DESC LIMIT 1" },
	{ "file_origins", true,
	  "SELECT o.image_id, i.ref AS image_ref, o.path, o.type, o.sha256, "
	  "o.size, o.layer_id, o.diff_id, o.step, o.created_by FROM "
	  "file_origins o JOIN images i ON i.id = o.image_id WHERE "
	  "o.image_id = CAST(?1 AS INTEGER) AND o.path = ?2" },
	{ "drift", false,
	  "SELECT key, container_id, path, change, size, sha256, mtime, "
	  "source FROM drift WHERE key = ?1" },
	{ "artifacts", false,
	  "SELECT id, name, format, size, sha256 FROM artifacts WHERE id = "
	  "CAST(?1 AS INTEGER)" },
	{ "containers", false,
	  "SELECT id, name, image, privileged FROM containers WHERE id = ?1" },
	{ "images", false,
	  "SELECT id, ref, config_digest FROM images WHERE id = CAST(?1 AS "
	  "INTEGER)" },
	{ "processes", false,
	  "SELECT id, pid, ppid, comm, exe, args, container_id, start_ts, "
	  "end_ts FROM processes WHERE id = CAST(?1 AS INTEGER)" },
	{ "findings", false,
	  "SELECT id, analyzer, rule, severity, confidence, title, detail, "
	  "ts, attack, container_id FROM findings WHERE id = ?1" },
	{ "logs", true,
	  "SELECT ts, container_id, stream, message, name, artifact_id, seq "
	  "FROM logs WHERE artifact_id = CAST(?1 AS INTEGER) AND seq = "
	  "CAST(?2 AS INTEGER)" },
	{ "audit", true,
	  "SELECT ts, serial, type, syscall, success, exit, pid, ppid, uid, "
	  "euid, auid, comm, exe, key, cwd, path, path2, argv, proctitle, "
	  "addr, port, artifact_id, seq FROM audit WHERE artifact_id = "
	  "CAST(?1 AS INTEGER) AND seq = CAST(?2 AS INTEGER)" },
	{ "k8s_audit", true,
	  "SELECT ts, audit_id, stage, verb, user, source_ip, user_agent, "
	  "resource, subresource, namespace, name, request_uri, code, "
	  "privileged, host_pid, host_network, host_paths, caps_add, images, "
	  "artifact_id, seq FROM k8s_audit WHERE artifact_id = CAST(?1 AS "
	  "INTEGER) AND seq = CAST(?2 AS INTEGER)" },
	{ "files", true,
	  "SELECT layer_id, path, type, format('%04o', mode) AS mode, uid, "
	  "gid, size, mtime, sha256, link_target, whiteout, xattrs FROM files "
	  "WHERE layer_id = CAST(?1 AS "
	  "INTEGER) AND path = ?2" },
	{ "layers", false,
	  "SELECT id, diff_id, digest, size, blob_size, compression, nfiles, "
	  "artifact_id FROM layers WHERE id = CAST(?1 AS INTEGER)" },
	{ "http", true,
	  "SELECT ts, flow_id, request, method, host, uri, user_agent, status, "
	  "src, sport, dst, dport FROM http WHERE flow_id = CAST(?1 AS "
	  "INTEGER) AND ts = CAST(?2 AS INTEGER)" },
	{ "tls", true,
	  "SELECT ts, flow_id, version, sni, alpn, src, sport, dst, dport FROM "
	  "tls WHERE flow_id = CAST(?1 AS INTEGER) AND ts = CAST(?2 AS "
	  "INTEGER)" },
	{ "mappings", false,
	  "SELECT process_id, pid, start, end, perms, offset, path, size, "
	  "source, artifact_id, seq FROM mappings WHERE artifact_id || ':' || "
	  "pid || ':' || seq = ?1" },
	{ "environ", false,
	  "SELECT process_id, pid, name, value, artifact_id, seq FROM environ "
	  "WHERE artifact_id || ':' || pid || ':' || seq = ?1" },
	{ "arp", false,
	  "SELECT ts, op, sender_mac, sender_ip, target_mac, target_ip, "
	  "eth_src, pkt, artifact_id FROM arp WHERE artifact_id || ':' || pkt "
	  "= ?1" },
	{ "packages", false,
	  "SELECT image_id, name, version, ecosystem, purl, source, path, "
	  "layer_id FROM packages WHERE image_id || ':' || name || ':' || "
	  "version = ?1 LIMIT 1" },
	{ "vulns", false,
	  "SELECT id, severity, summary, aliases, published, modified, source "
	  "FROM vulns WHERE id = ?1" },
	{ "alerts", false,
	  "SELECT ts, tool, rule, priority, severity, attack, output, "
	  "container_id, container_name, image, pid, comm, cmdline, exe, "
	  "user, path, artifact_id, seq FROM alerts WHERE key = ?1 LIMIT 1" },
	{ "container_mounts", true,
	  "SELECT container_id, type, source, destination, rw, propagation, "
	  "artifact_id FROM container_mounts WHERE container_id = ?1 AND "
	  "destination = ?2 LIMIT 1" },
	{ "mounts", false,
	  "SELECT artifact_id, mnt_ns, mount_id, mountpoint, fstype, source, "
	  "options, super_options FROM mounts WHERE artifact_id || ':' || "
	  "mnt_ns || ':' || mount_id = ?1" },
	{ "daemon_settings", true,
	  "SELECT key, value, source, line, artifact_id, seq FROM "
	  "daemon_settings WHERE artifact_id = CAST(?1 AS INTEGER) AND seq = "
	  "CAST(?2 AS INTEGER)" },
	{ "k8s_objects", false,
	  "SELECT kind, namespace, name, privileged, host_pid, host_network, "
	  "host_ipc, host_paths, caps_add, images, service_account, "
	  "run_as_root, privilege_escalation, line, artifact_id, key FROM "
	  "k8s_objects WHERE key = ?1 LIMIT 1" },
};

json_t *
explain_query(struct store *s, const char *sql, const char *a, const char *b,
    struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	json_t *o = NULL;
	int r;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		dd_err_set(e, DD_ESQL, "%s", sqlite3_errmsg(s->db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b != NULL)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		o = json_object();
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *n = sqlite3_column_name(st, i);
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_INTEGER:
				json_object_set_new(o, n, json_integer(
				    sqlite3_column_int64(st, i)));
				break;
			case SQLITE_FLOAT:
				json_object_set_new(o, n, json_real(
				    sqlite3_column_double(st, i)));
				break;
			case SQLITE_NULL:
				break;
			default: {
				const char *t = (const char *)
				    sqlite3_column_text(st, i);
				int len = sqlite3_column_bytes(st, i);
				json_t *v = json_stringn(t, (size_t)len);
				if (v == NULL) /* invalid UTF-8: escaped */
					v = json_string("(not UTF-8)");
				json_object_set_new(o, n, v);
			}
			}
		}
	} else if (r != SQLITE_DONE) {
		dd_err_set(e, DD_ESQL, "%s", sqlite3_errmsg(s->db));
	}
	sqlite3_finalize(st);
	return o;
}

json_t *
explain_row(struct store *s, const char *rel, const char *key, struct dd_err *e)
{
	for (size_t i = 0; i < ARRAY_SIZE(ex_rows); i++) {
		char *k, *c;
		json_t *o;
		if (strcmp(ex_rows[i].rel, rel) != 0)
			continue;
		if (!ex_rows[i].split)
			return explain_query(s, ex_rows[i].sql, key, NULL, e);
		k = xstrdup(key);
		if ((c = strchr(k, ':')) == NULL) {
			free(k);
			return NULL;
		}
		*c = '\0';
		o = explain_query(s, ex_rows[i].sql, k, c + 1, e);
		free(k);
		return o;
	}
	return NULL;
}

struct ex {
	struct store *s;
	json_t *seen; /* "rel:key" -> true */
	struct dd_err *e;
};

static json_t *ex_node(struct ex *x, const char *rel, const char *key,
    int depth, const char *parent);

/* Links from and to (rel, key), each with the row at its other end. */
static json_t *
ex_links(struct ex *x, const char *rel, const char *key, int depth,
    const char *parent)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	int n = 0;

	if (sqlite3_prepare_v2(x->s->db,
		"SELECT kind, from_relation, from_key, to_relation, to_key, "
		"confidence, detail FROM links WHERE (from_relation = ?1 AND "
		"from_key = ?2) OR (to_relation = ?1 AND to_key = ?2) ORDER BY "
		"confidence DESC, kind, from_relation, from_key, to_relation, "
		"to_key", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return arr; /* an old case: no links relation */
	}
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW && n < EX_LINKS) {
		const char *fr = (const char *)sqlite3_column_text(st, 1);
		const char *fk = (const char *)sqlite3_column_text(st, 2);
		const char *tr = (const char *)sqlite3_column_text(st, 3);
		const char *tk = (const char *)sqlite3_column_text(st, 4);
		const char *d = (const char *)sqlite3_column_text(st, 6);
		bool out = strcmp(fr, rel) == 0 && strcmp(fk, key) == 0;
		char *other = xasprintf("%s:%s", out ? tr : fr, out ? tk : fk);
		bool back = parent != NULL && strcmp(other, parent) == 0;
		json_t *l;

		free(other);
		if (back) /* the link we came along */
			continue;
		l = json_object();

		json_object_set_new(l, "kind", json_string((const char *)
		    sqlite3_column_text(st, 0)));
		json_object_set_new(l, "direction", json_string(out ? "to" :
		    "from"));
		json_object_set_new(l, "confidence", json_real(
		    sqlite3_column_double(st, 5)));
		json_t *jd = d != NULL ? json_string(d) : NULL;

		if (jd != NULL)
			json_object_set_new(l, "joined", jd);
		{
			char *self = xasprintf("%s:%s", rel, key);
			json_object_set_new(l, "row", ex_node(x, out ? tr : fr,
			    out ? tk : fk, depth + 1, self));
			free(self);
		}
		json_array_append_new(arr, l);
		n++;
	}
	sqlite3_finalize(st);
	return arr;
}

/* An event's context: process, container, image, the running program. */
static void
ex_event_context(struct ex *x, json_t *node, json_t *row, int depth)
{
	json_t *pid = json_object_get(row, "process_id");
	json_t *cid = json_object_get(row, "container_id");
	json_t *art = json_object_get(row, "artifact_id");
	json_t *p = NULL, *c;
	char buf[32];

	if (json_is_integer(pid) && json_integer_value(pid) > 0) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(pid));
		if ((p = explain_row(x->s, "processes", buf, x->e)) != NULL)
			json_object_set_new(node, "process", p);
	}
	if (!json_is_string(cid) && p != NULL) /* attributed through its
						  process */
		cid = json_object_get(p, "container_id");
	if (json_is_string(cid)) {
		const char *id = json_string_value(cid);
		if ((c = explain_row(x->s, "containers", id, x->e)) != NULL) {
			json_t *im = explain_query(x->s, "SELECT i.id, i.ref, "
			    "i.config_digest FROM container_images ci JOIN "
			    "images i ON i.id = ci.image_id WHERE "
			    "ci.container_id = ?1 ORDER BY ci.prio LIMIT 1", id,
			    NULL, x->e);
			if (im != NULL)
				json_object_set_new(c, "image_row", im);
			json_object_set_new(node, "container", c);
		}
	}
	/* the program: the last execve of this pid at or before the event */
	if (depth < EX_DEPTH && json_is_integer(art) &&
	    json_is_string(json_object_get(row, "syscall")) &&
	    strcmp(json_string_value(json_object_get(row, "syscall")),
		"execve") != 0) {
		char a[32], q[64];
		json_t *ex;
		snprintf(a, sizeof(a), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(art));
		snprintf(q, sizeof(q), "%" JSON_INTEGER_FORMAT ":%"
		    JSON_INTEGER_FORMAT, json_integer_value(
		    json_object_get(row, "pid")), json_integer_value(
		    json_object_get(row, "id")));
		ex = explain_query(x->s, "SELECT id FROM events WHERE artifact_id = "
		    "CAST(?1 AS INTEGER) AND syscall IN ('execve', 'execveat') "
		    "AND pid = CAST(substr(?2, 1, instr(?2, ':') - 1) AS "
		    "INTEGER) AND id <= CAST(substr(?2, instr(?2, ':') + 1) AS "
		    "INTEGER) AND (ret >= 0 OR ret IS NULL) ORDER BY id DESC "
		    "LIMIT 1", a, q, x->e);
		if (ex != NULL) {
			char id[32];
			snprintf(id, sizeof(id), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(ex, "id")));
			json_object_set_new(node, "program", ex_node(x,
			    "events", id, depth + 1, NULL));
			json_decref(ex);
		}
	}
}

static json_t *
ex_node(struct ex *x, const char *rel, const char *key, int depth,
    const char *parent)
{
	json_t *node = json_object(), *row;
	char *seen = xasprintf("%s:%s", rel, key);

	json_object_set_new(node, "relation", json_string(rel));
	json_object_set_new(node, "key", json_string(key));
	if (json_object_get(x->seen, seen) != NULL) {
		json_object_set_new(node, "shown_above", json_true());
		free(seen);
		return node;
	}
	json_object_set_new(x->seen, seen, json_true());
	free(seen);
	row = explain_row(x->s, rel, key, x->e);
	if (row == NULL)
		return node;
	json_object_set_new(node, "values", row);
	if (strcmp(rel, "events") == 0)
		ex_event_context(x, node, row, depth);
	if (depth <= EX_DEPTH)
		json_object_set_new(node, "links", ex_links(x, rel, key,
		    depth, parent));
	return node;
}


json_t *
explain_node(struct store *s, const char *rel, const char *key,
    struct dd_err *e)
{
	struct ex x = { .s = s, .seen = json_object(), .e = e };
	json_t *n = ex_node(&x, rel, key, 0, NULL);

	json_decref(x.seen);
	return n;
}

int
explain_finding(struct store *s, const char *id, json_t **out,
    struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	json_t *doc, *f, *evs;
	struct ex x;

	*out = NULL;
	f = explain_query(s, "SELECT id, analyzer, rule, severity, confidence, "
	    "title, detail, ts, attack, container_id FROM findings WHERE id = "
	    "?1", id, NULL, e);
	if (f == NULL)
		return e->code != 0 ? e->code : dd_err_set(e, DD_ENOTFOUND,
		    "no finding '%s' in the case", id);
	doc = json_object();
	json_object_set_new(doc, "finding", f);
	evs = json_array();
	json_object_set_new(doc, "evidence", evs);
	x.s = s;
	x.seen = json_object();
	x.e = e;
	if (sqlite3_prepare_v2(s->db, "SELECT relation, key FROM "
	    "finding_evidence WHERE finding_id = ?1 ORDER BY ord", -1, &st,
	    NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			json_array_append_new(evs, ex_node(&x,
			    (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1), 0, NULL));
	}
	sqlite3_finalize(st);
	json_decref(x.seen);
	if (e->code != 0) {
		json_decref(doc);
		return e->code;
	}
	*out = doc;
	return 0;
}

bool
explain_is_time_key(const char *k)
{
	size_t n = strlen(k);

	return strcmp(k, "ts") == 0 || (n > 3 && strcmp(k + n - 3, "_ts") ==
	    0);
}
