/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sink-store.c: the sink that writes records into the case store, inside
 * the importer's batch transaction (rows stay invisible until the artifact
 * is complete). See sink.h.
 */
#include "core/common.h"
#include "core/sink.h"

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/event.h"
#include "core/evstore.h"
#include "core/imgfs.h"
#include "core/packtab.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/pktstore.h"
#include "core/store.h"
#include "core/strtab.h"
#include "core/util.h"
#include "core/xmalloc.h"

struct sink_store {
	struct store *s;
	struct strtab *st;   /* created on the first event */
	struct evw *w;	     /* writer of the current artifact */
	int64_t artifact_id; /* that artifact */
	/* The archive whose members are being added, and what they copy
	 * from its row (read once: INSERT ... SELECT from the same table
	 * would build a temporary copy per member). */
	int64_t arch_id;
	char *arch_importer, *arch_version;
	int64_t arch_at, arch_owner;
	bool arch_has_owner;
	struct imgfs img;    /* image archives: layer streams */
	bool has_layers;     /* an NR_LAYER record came */
	struct packw *pack[NR_NKINDS]; /* packed kinds' writers, on use */
	void *pkt_cctx;	     /* the packet index's zstd context, on use */
};

static int
sink_store_anomaly(struct sink *k, int64_t artifact_id, int64_t off,
    const char *msg, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	sqlite3_stmt *st;

	st = store_stmt(s, "INSERT INTO anomaly_all(artifact_id, offset, "
			   "message) VALUES (?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, artifact_id);
	if (off >= 0)
		sqlite3_bind_int64(st, 2, off);
	sqlite3_bind_text(st, 3, msg, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	return s->in_tx ? store_tick(s, 1, e) : 0;
}

static int
sink_store_writer(struct sink_store *ss, int64_t artifact_id,
    struct dd_err *e)
{
	int rc;

	if (ss->w != NULL && ss->artifact_id == artifact_id)
		return 0;
	if (ss->w != NULL) {
		/* one writer serves artifact after artifact */
		if ((rc = evw_finish(ss->w, NULL, e)) < 0)
			return rc;
		evw_retarget(ss->w, artifact_id);
		ss->artifact_id = artifact_id;
		return 0;
	}
	if (ss->st == NULL)
		ss->st = strtab_new(ss->s);
	ss->artifact_id = artifact_id;
	return evw_new(ss->s, ss->st, artifact_id, &ss->w, e);
}

static int
sink_store_event(struct sink *k, int64_t artifact_id,
    const struct event_rec *r, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	int rc;

	if ((rc = sink_store_writer(ss, artifact_id, e)) < 0)
		return rc;
	return evw_add(ss->w, r, e);
}

static int
sink_store_process(struct sink *k, int64_t artifact_id,
    const struct process_rec *p, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	sqlite3_stmt *st;
	int64_t id;
	size_t i;

	st = store_stmt(s,
	    "INSERT INTO process_all(artifact_id, pid, ppid, comm, exe, args, "
	    "start_ts, end_ts, exit_code, exit_signal, container_id) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, artifact_id);
	sqlite3_bind_int64(st, 2, p->pid);
	if (p->ppid >= 0)
		sqlite3_bind_int64(st, 3, p->ppid);
	if (p->comm)
		sqlite3_bind_text(st, 4, p->comm, -1, SQLITE_STATIC);
	if (p->exe)
		sqlite3_bind_text(st, 5, p->exe, -1, SQLITE_STATIC);
	if (p->args)
		sqlite3_bind_text(st, 6, p->args, -1, SQLITE_STATIC);
	if (p->start_ts != EV_TS_NONE)
		sqlite3_bind_int64(st, 7, p->start_ts);
	if (p->end_ts != EV_TS_NONE)
		sqlite3_bind_int64(st, 8, p->end_ts);
	if (p->has_exit)
		sqlite3_bind_int64(st, 9, p->exit_code);
	if (p->exit_signal)
		sqlite3_bind_text(st, 10, p->exit_signal, -1, SQLITE_STATIC);
	if (p->container)
		sqlite3_bind_text(st, 11, p->container, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	id = store_last_id(s);
	for (i = 0; i < p->ntids; i++) {
		st = store_stmt(s, "INSERT OR REPLACE INTO event_threads("
				   "artifact_id, tid, pid) VALUES (?, ?, ?)",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, artifact_id);
		sqlite3_bind_int64(st, 2, p->tids[i]);
		sqlite3_bind_int64(st, 3, p->pid);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
	}
	for (i = 0; i < p->nexecs; i++) {
		st = store_stmt(s, "INSERT INTO exec_all(artifact_id, "
				   "process_id, ts, exe, args) VALUES (?, ?, ?, "
				   "?, ?)",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, artifact_id);
		sqlite3_bind_int64(st, 2, id);
		if (p->execs[i].ts != EV_TS_NONE)
			sqlite3_bind_int64(st, 3, p->execs[i].ts);
		if (p->execs[i].exe)
			sqlite3_bind_text(st, 4, p->execs[i].exe, -1,
			    SQLITE_STATIC);
		if (p->execs[i].args)
			sqlite3_bind_text(st, 5, p->execs[i].args, -1,
			    SQLITE_STATIC);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
	}
	return s->in_tx ? store_tick(s, (int)(1 + p->ntids + p->nexecs), e) :
			  0;
}

/* True for 12..64 hex digits: an id that may be a prefix of a full one. */
static bool
sink_store_hexid(const char *id, size_t n)
{
	size_t i;

	if (n < 12 || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') ||
			(id[i] >= 'a' && id[i] <= 'f')))
			return false;
	return true;
}

static int
sink_store_alias(struct store *s, const char *cid, int64_t artifact_id,
    const char *kind, const char *value, struct dd_err *e)
{
	sqlite3_stmt *st;

	if (value == NULL || *value == 0)
		return 0;
	st = store_stmt(s,
	    "INSERT OR IGNORE INTO container_alias_all(container_id, "
	    "artifact_id, kind, value) VALUES (?, ?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, artifact_id);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, value, -1, SQLITE_STATIC);
	return store_step_done(s, st, e) < 0 ? DD_ESQL : 0;
}

/*
 * Containers merge by id. A full 64-hex id absorbs the rows and aliases
 * filed under any 12-hex-or-longer prefix of it (sysdig's container.id is
 * the 12-hex short id; cgroup paths hold the full one); a short id is
 * filed under the full id already known to start with it. Names, images
 * and privilege fill in from whichever source knows them.
 */
static int
sink_store_container(struct sink *k, int64_t artifact_id,
    const struct container_rec *c, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	static const char *const fold[] = {
		"INSERT INTO container_all(id, artifact_id, name, image, "
		"privileged) SELECT ?1, artifact_id, name, image, privileged "
		"FROM container_all WHERE length(id) BETWEEN 12 AND 63 AND "
		"substr(?1, 1, length(id)) = id AND true ON CONFLICT(id, "
		"artifact_id) DO UPDATE SET name = coalesce(name, "
		"excluded.name), image = coalesce(image, excluded.image), "
		"privileged = coalesce(privileged, excluded.privileged)",
		"DELETE FROM container_all WHERE length(id) BETWEEN 12 AND 63 "
		"AND substr(?1, 1, length(id)) = id",
		"INSERT OR IGNORE INTO container_alias_all(container_id, "
		"artifact_id, kind, value) SELECT ?1, artifact_id, CASE WHEN "
		"kind = 'id' THEN (CASE WHEN length(value) = 12 THEN "
		"'short_id' ELSE 'id_prefix' END) ELSE kind END, value "
		"FROM container_alias_all WHERE length(container_id) BETWEEN "
		"12 AND 63 AND substr(?1, 1, length(container_id)) = "
		"container_id",
		"DELETE FROM container_alias_all WHERE length(container_id) "
		"BETWEEN 12 AND 63 AND substr(?1, 1, length(container_id)) = "
		"container_id",
	};
	char cid[65], shortid[13];
	const char *id = c->id;
	sqlite3_stmt *st;
	size_t i, n;
	int rc;

	if (id == NULL || *id == 0)
		return 0;
	n = strlen(id);
	if (n <= 64) {
		for (i = 0; i < n; i++)
			cid[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ?
				id[i] - 'A' + 'a' :
				id[i]);
		cid[n] = 0;
		if (sink_store_hexid(cid, n))
			id = cid;
	}
	if (id == cid && n < 64) {
		st = store_stmt(s,
		    "SELECT id FROM container_all WHERE length(id) = 64 AND "
		    "substr(id, 1, length(?1)) = ?1 LIMIT 1",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_text(st, 1, cid, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(cid, sizeof(cid), "%s",
			    (const char *)sqlite3_column_text(st, 0));
			n = 64;
		}
		sqlite3_reset(st);
	}
	if (id == cid && n == 64) {
		for (i = 0; i < sizeof(fold) / sizeof(fold[0]); i++) {
			if ((st = store_stmt(s, fold[i], e)) == NULL)
				return DD_ESQL;
			sqlite3_bind_text(st, 1, cid, -1, SQLITE_STATIC);
			if (store_step_done(s, st, e) < 0)
				return DD_ESQL;
		}
	}
	st = store_stmt(s,
	    "INSERT INTO container_all(id, artifact_id, name, image, "
	    "privileged) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id, artifact_id) "
	    "DO UPDATE SET name = coalesce(excluded.name, name), image = "
	    "coalesce(excluded.image, image), privileged = "
	    "coalesce(excluded.privileged, privileged)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, artifact_id);
	if (c->name)
		sqlite3_bind_text(st, 3, c->name, -1, SQLITE_STATIC);
	if (c->image)
		sqlite3_bind_text(st, 4, c->image, -1, SQLITE_STATIC);
	if (c->privileged >= 0)
		sqlite3_bind_int(st, 5, c->privileged);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	if ((rc = sink_store_alias(s, id, artifact_id, "id", id, e)) < 0)
		return rc;
	if (id == cid && n == 64) {
		memcpy(shortid, cid, 12);
		shortid[12] = 0;
		if ((rc = sink_store_alias(s, id, artifact_id, "short_id",
			 shortid, e)) < 0)
			return rc;
	}
	if ((rc = sink_store_alias(s, id, artifact_id, "name", c->name, e)) < 0)
		return rc;
	for (i = 0; i < c->naliases; i++)
		if ((rc = sink_store_alias(s, id, artifact_id, c->alias_kind[i],
			 c->alias_value[i], e)) < 0)
			return rc;
	return s->in_tx ? store_tick(s, 4, e) : 0;
}

static int
sink_store_end(struct sink *k, int64_t artifact_id, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	int rc = 0;

	if (ss->w != NULL) {
		rc = evw_finish(ss->w, NULL, e);
		evw_free(ss->w);
		ss->w = NULL;
	}
	if (rc >= 0 && ss->has_layers)
		rc = imgfs_finish(ss->s, artifact_id, e);
	for (int i = 0; rc >= 0 && i < NR_NKINDS; i++)
		if (ss->pack[i] != NULL)
			rc = packw_flush(ss->pack[i], e);
	return rc;
}

/*
 * A member artifact: a row in the archive's group that shares the
 * archive's importer, time and owner, with no blob of its own. It is
 * 'importing' like the archive, so artifact_complete flips both in one
 * statement and store_remove_importing removes both.
 */
static int
sink_store_member(struct sink *k, int64_t artifact_id,
    const struct member_rec *m, int64_t *member_id, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	char hex[SHA256_HEX];
	sqlite3_stmt *st;

	if (m->sha256 != NULL)
		hex_encode(m->sha256, SHA256_LEN, hex);
	if (m->sha256 != NULL && *member_id > 0) {
		/* Its events are in: finish them before the next member. */
		if (ss->w != NULL && ss->artifact_id == *member_id) {
			int rc = evw_finish(ss->w, NULL, e);
			ss->artifact_id = 0; /* the next events retarget it */
			if (rc < 0)
				return rc;
		}
		st = store_stmt(s, "UPDATE artifact_all SET size = ?, sha256 "
				   "= ?, format = ? WHERE id = ? AND group_id "
				   "= ? AND state = 'importing'",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, (int64_t)m->size);
		sqlite3_bind_text(st, 2, hex, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, m->format, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, *member_id);
		sqlite3_bind_int64(st, 5, artifact_id);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
		if (sqlite3_changes(s->db) != 1)
			return dd_err_set(e, DD_EINTERNAL,
			    "member %" PRId64 " of artifact %" PRId64
			    " is not being imported",
			    *member_id, artifact_id);
		return s->in_tx ? store_tick(s, 1, e) : 0;
	}
	if (ss->arch_id != artifact_id) {
		st = store_stmt(s, "SELECT importer, importer_version, "
				   "imported_at, owner_pid FROM artifact_all "
				   "WHERE id = ? AND state = 'importing'",
		    e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, artifact_id);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			return dd_err_set(e, DD_EINTERNAL,
			    "artifact %" PRId64 " is not being imported: no "
			    "member can be added to it",
			    artifact_id);
		}
		free(ss->arch_importer);
		free(ss->arch_version);
		ss->arch_importer =
		    xstrdup((const char *)sqlite3_column_text(st, 0));
		ss->arch_version =
		    xstrdup((const char *)sqlite3_column_text(st, 1));
		ss->arch_at = sqlite3_column_int64(st, 2);
		ss->arch_has_owner = sqlite3_column_type(st, 3) != SQLITE_NULL;
		ss->arch_owner = sqlite3_column_int64(st, 3);
		sqlite3_reset(st);
		ss->arch_id = artifact_id;
	}
	st = store_stmt(s,
	    "INSERT INTO artifact_all(id, group_id, name, format, size, "
	    "sha256, state, importer, importer_version, imported_at, "
	    "reference, parsed, owner_pid) VALUES (?, ?, ?, ?, ?, ?, "
	    "'importing', ?, ?, ?, 0, 1, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	/* An id reserved by the sink queue (sink-queue.c), else the next. */
	if (m->id_hint > 0)
		sqlite3_bind_int64(st, 1, m->id_hint);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, artifact_id);
	sqlite3_bind_text(st, 3, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (int64_t)m->size);
	if (m->sha256 != NULL)
		sqlite3_bind_text(st, 6, hex, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, ss->arch_importer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, ss->arch_version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, ss->arch_at);
	if (ss->arch_has_owner)
		sqlite3_bind_int64(st, 10, ss->arch_owner);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	if (sqlite3_changes(s->db) != 1)
		return dd_err_set(e, DD_EINTERNAL,
		    "artifact %" PRId64 " is not being imported: no member "
		    "can be added to it",
		    artifact_id);
	*member_id = store_last_id(s);
	return s->in_tx ? store_tick(s, 1, e) : 0;
}

static int
sink_store_label(struct sink *k, int64_t artifact_id, const char *key,
    const char *value, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	sqlite3_stmt *st;

	st = store_stmt(s, "INSERT INTO label_all(artifact_id, key, value) "
			   "VALUES (?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, artifact_id);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	return s->in_tx ? store_tick(s, 1, e) : 0;
}

/* Where each slot of a struct net_rec goes (netrec.h). */
static const struct {
	const char *table;
	struct net_col col[NET_COLS_MAX];
} net_cols[NR_NKINDS] = {
	[NR_FLOW] = { "flow_all", {
		{ "flow_no", 'i', FL_NO }, { "proto", 's', FLS_PROTO },
		{ "src", 's', FLS_SRC }, { "sport", 'i', FL_SPORT },
		{ "dst", 's', FLS_DST }, { "dport", 'i', FL_DPORT },
		{ "first_ts", 'i', FL_FIRST_TS }, { "last_ts", 'i', FL_LAST_TS },
		{ "packets_fwd", 'i', FL_PKTS_FWD },
		{ "bytes_fwd", 'i', FL_BYTES_FWD },
		{ "packets_rev", 'i', FL_PKTS_REV },
		{ "bytes_rev", 'i', FL_BYTES_REV },
		{ "payload_fwd", 'i', FL_PAY_FWD },
		{ "payload_rev", 'i', FL_PAY_REV },
		{ "state", 's', FLS_STATE }, { "tcp_flags", 'i', FL_TCP_FLAGS },
		{ "retrans", 'i', FL_RETRANS }, { "service", 's', FLS_SERVICE },
		{ "auth_failures", 'i', FL_AUTH_FAIL },
		{ "tunnel", 's', FLS_TUNNEL }, { "vlan", 'i', FL_VLAN },
		{ "community_id", 's', FLS_CID },
		{ "first_pkt", 'i', FL_FIRST_PKT },
		{ "fragments", 'i', FL_FRAGS } } },
	[NR_DNS] = { "dns_all", {
		{ "flow_no", 'i', DN_FLOW }, { "ts", 'i', DN_TS },
		{ "txid", 'i', DN_TXID }, { "response", 'i', DN_RESPONSE },
		{ "qname", 's', DNS_QNAME }, { "qtype", 's', DNS_QTYPE },
		{ "rcode", 's', DNS_RCODE }, { "answers", 's', DNS_ANSWERS },
		{ "truncated", 'i', DN_TRUNC } } },
	[NR_HTTP] = { "http_all", {
		{ "flow_no", 'i', HT_FLOW }, { "ts", 'i', HT_TS },
		{ "request", 'i', HT_REQUEST }, { "method", 's', HTS_METHOD },
		{ "host", 's', HTS_HOST }, { "uri", 's', HTS_URI },
		{ "user_agent", 's', HTS_UA }, { "status", 'i', HT_STATUS },
		{ "reason", 's', HTS_REASON },
		{ "content_type", 's', HTS_CTYPE },
		{ "authorization", 'i', HT_AUTH } } },
	[NR_TLS] = { "tls_all", {
		{ "flow_no", 'i', TL_FLOW }, { "ts", 'i', TL_TS },
		{ "version", 's', TLS_VERSION }, { "sni", 's', TLS_SNI },
		{ "alpn", 's', TLS_ALPN }, { "ciphers", 'i', TL_CIPHERS } } },
	[NR_ARP] = { "arp_all", {
		{ "ts", 'i', AR_TS }, { "pkt", 'i', AR_PKT },
		{ "op", 's', ARS_OP }, { "sender_mac", 's', ARS_SMAC },
		{ "sender_ip", 's', ARS_SIP }, { "target_mac", 's', ARS_TMAC },
		{ "target_ip", 's', ARS_TIP }, { "eth_src", 's', ARS_ETH } } },
	[NR_DHCP] = { "dhcp_all", {
		{ "flow_no", 'i', DH_FLOW }, { "ts", 'i', DH_TS },
		{ "xid", 'i', DH_XID }, { "msg_type", 's', DHS_TYPE },
		{ "client_mac", 's', DHS_MAC }, { "ciaddr", 's', DHS_CIADDR },
		{ "yiaddr", 's', DHS_YIADDR },
		{ "requested_ip", 's', DHS_REQ },
		{ "server_id", 's', DHS_SERVER },
		{ "hostname", 's', DHS_HOST } } },
	[NR_LAYER] = { "layer_all", {
		{ "layer_no", 'i', LY_NO }, { "member", 's', LYS_MEMBER },
		{ "diff_id", 's', LYS_DIFF_ID }, { "digest", 's', LYS_DIGEST },
		{ "compression", 's', LYS_COMP },
		{ "blob_size", 'i', LY_BLOB_SIZE }, { "size", 'i', LY_SIZE },
		{ "nfiles", 'i', LY_NFILES }, { "blob_off", 'i', LY_BLOB_OFF },
		{ "member_off", 'i', LY_MEMBER_OFF },
		{ "unverified", 'i', LY_UNVERIFIED } } },
	[NR_FILE] = { "file_all", {
		{ "layer_no", 'i', FI_LAYER }, { "path", 's', FIS_PATH },
		{ "whiteout", 'i', FI_WHITEOUT }, { "type", 's', FIS_TYPE },
		{ "mode", 'i', FI_MODE }, { "uid", 'i', FI_UID },
		{ "gid", 'i', FI_GID }, { "size", 'i', FI_SIZE },
		{ "mtime", 'i', FI_MTIME }, { "sha256", 's', FIS_SHA },
		{ "link_target", 's', FIS_LINK },
		{ "data_off", 'i', FI_DATA_OFF },
		{ "xattrs", 's', FIS_XATTRS } } },
	[NR_IMAGE] = { "image_all", {
		{ "image_no", 'i', IM_NO }, { "ref", 's', IMS_REF },
		{ "tags", 's', IMS_TAGS }, { "config_digest", 's', IMS_CONFIG },
		{ "manifest_digest", 's', IMS_MANIFEST },
		{ "os", 's', IMS_OS }, { "arch", 's', IMS_ARCH },
		{ "variant", 's', IMS_VARIANT }, { "created", 'i', IM_CREATED },
		{ "author", 's', IMS_AUTHOR }, { "user", 's', IMS_USER },
		{ "entrypoint", 's', IMS_ENTRY }, { "cmd", 's', IMS_CMD },
		{ "env", 's', IMS_ENV }, { "exposed_ports", 's', IMS_PORTS },
		{ "labels", 's', IMS_LABELS },
		{ "working_dir", 's', IMS_WORKDIR },
		{ "healthcheck", 's', IMS_HEALTH },
		{ "stop_signal", 's', IMS_STOPSIG },
		{ "volumes", 's', IMS_VOLUMES },
		{ "nlayers", 'i', IM_NLAYERS } } },
	[NR_STEP] = { "image_step_all", {
		{ "image_no", 'i', ST_IMAGE }, { "idx", 'i', ST_IDX },
		{ "layer_idx", 'i', ST_LAYER_IDX },
		{ "layer_no", 'i', ST_LAYER_NO },
		{ "diff_id", 's', STS_DIFF_ID }, { "created", 'i', ST_CREATED },
		{ "created_by", 's', STS_CREATED_BY },
		{ "comment", 's', STS_COMMENT },
		{ "empty_layer", 'i', ST_EMPTY },
		{ "step_key", 's', STS_KEY } } },
	[NR_PACKAGE] = { "package_all", {
		{ "layer_no", 'i', PK_LAYER }, { "path", 's', PKS_PATH },
		{ "name", 's', PKS_NAME }, { "version", 's', PKS_VERSION },
		{ "ecosystem", 's', PKS_ECO }, { "purl", 's', PKS_PURL },
		{ "source", 's', PKS_SOURCE }, { "arch", 's', PKS_ARCH },
		{ "license", 's', PKS_LICENSE } } },
	[NR_DFLINE] = { "dockerfile_all", {
		{ "line", 'i', DF_LINE }, { "end_line", 'i', DF_END },
		{ "stage", 'i', DF_STAGE }, { "stage_name", 's', DFS_STAGE_NAME },
		{ "instruction", 's', DFS_INSTR }, { "args", 's', DFS_ARGS },
		{ "key", 's', DFS_KEY } } },
	[NR_PROV] = { "provenance_all", {
		{ "kind", 's', PVS_KIND }, { "subject", 's', PVS_SUBJECT },
		{ "predicate_type", 's', PVS_PTYPE },
		{ "builder", 's', PVS_BUILDER },
		{ "entry_point", 's', PVS_ENTRY },
		{ "build_args", 's', PVS_ARGS },
		{ "materials", 's', PVS_MATERIALS },
		{ "dockerfile", 's', PVS_DOCKERFILE },
		{ "packages", 'i', PV_PACKAGES }, { "blob", 's', PVS_BLOB },
		{ "detail", 's', PVS_DETAIL } } },
	[NR_MAPPING] = { "mapping_all", {
		{ "pid", 'i', MP_PID }, { "seq", 'i', MP_SEQ },
		{ "start", 's', MPS_START }, { "end", 's', MPS_END },
		{ "size", 'i', MP_SIZE }, { "perms", 's', MPS_PERMS },
		{ "offset", 'i', MP_OFFSET }, { "path", 's', MPS_PATH },
		{ "dev", 's', MPS_DEV }, { "inode", 'i', MP_INODE },
		{ "source", 's', MPS_SOURCE }, { "data_off", 'i', MP_DATA_OFF },
		{ "data_size", 'i', MP_DATA_SIZE } } },
	[NR_THREAD] = { "thread_all", {
		{ "pid", 'i', TH_PID }, { "tid", 'i', TH_TID },
		{ "comm", 's', THS_COMM }, { "state", 's', THS_STATE },
		{ "signal", 'i', TH_SIGNAL }, { "pc", 's', THS_PC },
		{ "sp", 's', THS_SP } } },
	[NR_PROCINFO] = { "procinfo_all", {
		{ "pid", 'i', PI_PID }, { "state", 's', PIS_STATE },
		{ "uid", 'i', PI_UID }, { "euid", 'i', PI_EUID },
		{ "suid", 'i', PI_SUID }, { "fsuid", 'i', PI_FSUID },
		{ "gid", 'i', PI_GID }, { "egid", 'i', PI_EGID },
		{ "cap_inh", 'i', PI_CAP_INH }, { "cap_prm", 'i', PI_CAP_PRM },
		{ "cap_eff", 'i', PI_CAP_EFF }, { "cap_bnd", 'i', PI_CAP_BND },
		{ "cap_amb", 'i', PI_CAP_AMB }, { "seccomp", 'i', PI_SECCOMP },
		{ "no_new_privs", 'i', PI_NNP }, { "nspid", 's', PIS_NSPID },
		{ "lsm", 's', PIS_LSM }, { "cwd", 's', PIS_CWD },
		{ "root", 's', PIS_ROOT }, { "signal", 'i', PI_SIGNAL },
		{ "exec_fn", 's', PIS_EXECFN },
		{ "container_rule", 's', PIS_RULE } } },
	[NR_NAMESPACE] = { "namespace_all", {
		{ "pid", 'i', NS_PID }, { "kind", 's', NSS_KIND },
		{ "inode", 'i', NS_INODE } } },
	[NR_CGROUP] = { "cgroup_all", {
		{ "pid", 'i', CG_PID }, { "hierarchy", 'i', CG_HIER },
		{ "controllers", 's', CGS_CTRL }, { "path", 's', CGS_PATH } } },
	[NR_FD] = { "fd_all", {
		{ "pid", 'i', FD_PID }, { "fd", 'i', FD_FD },
		{ "target", 's', FDS_TARGET }, { "kind", 's', FDS_KIND },
		{ "inode", 'i', FD_INODE }, { "pos", 'i', FD_POS },
		{ "flags", 'i', FD_FLAGS } } },
	[NR_SOCKET] = { "socket_all", {
		{ "pid", 'i', SK_PID }, { "netns", 'i', SK_NETNS },
		{ "proto", 's', SKS_PROTO }, { "local", 's', SKS_LOCAL },
		{ "lport", 'i', SK_LPORT }, { "remote", 's', SKS_REMOTE },
		{ "rport", 'i', SK_RPORT }, { "state", 's', SKS_STATE },
		{ "uid", 'i', SK_UID }, { "inode", 'i', SK_INODE },
		{ "path", 's', SKS_PATH } } },
	[NR_MOUNT] = { "mount_all", {
		{ "mnt_ns", 'i', MT_NS }, { "mount_id", 'i', MT_ID },
		{ "parent_id", 'i', MT_PARENT }, { "devno", 's', MTS_DEVNO },
		{ "root", 's', MTS_ROOT }, { "mountpoint", 's', MTS_POINT },
		{ "options", 's', MTS_OPTS }, { "fstype", 's', MTS_FSTYPE },
		{ "source", 's', MTS_SOURCE },
		{ "super_options", 's', MTS_SUPER } } },
	[NR_ENVIRON] = { "environ_all", {
		{ "pid", 'i', EN_PID }, { "seq", 'i', EN_SEQ },
		{ "name", 's', ENS_NAME }, { "value", 's', ENS_VALUE } } },
	[NR_CMETA] = { "container_meta_all", {
		{ "container_id", 's', CMS_ID }, { "runtime", 's', CMS_RUNTIME },
		{ "state", 's', CMS_STATE }, { "pid", 'i', CM_PID },
		{ "started", 's', CMS_STARTED }, { "user", 's', CMS_USER },
		{ "readonly_rootfs", 'i', CM_RO_ROOTFS },
		{ "pid_mode", 's', CMS_PIDMODE }, { "net_mode", 's', CMS_NETMODE },
		{ "ipc_mode", 's', CMS_IPCMODE }, { "uts_mode", 's', CMS_UTSMODE },
		{ "userns_mode", 's', CMS_USERNS },
		{ "cgroupns_mode", 's', CMS_CGROUPNS },
		{ "cgroup_parent", 's', CMS_CGPARENT },
		{ "seccomp", 's', CMS_SECCOMP }, { "apparmor", 's', CMS_APPARMOR },
		{ "no_new_privs", 'i', CM_NNP },
		{ "memory_limit", 'i', CM_MEMORY }, { "cpu_limit", 'i', CM_CPU },
		{ "pids_limit", 'i', CM_PIDS }, { "hostname", 's', CMS_HOSTNAME },
		{ "image_digest", 's', CMS_DIGEST },
		{ "command", 's', CMS_COMMAND },
		{ "security_opt", 's', CMS_SECOPT },
		{ "labels", 's', CMS_LABELS } } },
	[NR_CMOUNT] = { "container_mount_all", {
		{ "container_id", 's', CMTS_ID }, { "seq", 'i', CMT_SEQ },
		{ "type", 's', CMTS_TYPE }, { "source", 's', CMTS_SOURCE },
		{ "destination", 's', CMTS_DEST }, { "rw", 'i', CMT_RW },
		{ "propagation", 's', CMTS_PROPAGATION } } },
	[NR_CDEVICE] = { "container_device_all", {
		{ "container_id", 's', CDS_ID }, { "host_path", 's', CDS_HOST },
		{ "container_path", 's', CDS_CTR },
		{ "permissions", 's', CDS_PERMS } } },
	[NR_CCAP] = { "container_cap_all", {
		{ "container_id", 's', CCS_ID }, { "op", 's', CCS_OP },
		{ "cap", 's', CCS_CAP } } },
	[NR_LOG] = { "log_all", {
		{ "seq", 'i', LG_SEQ }, { "ts", 'i', LG_TS },
		{ "container_id", 's', LGS_CID }, { "name", 's', LGS_NAME },
		{ "stream", 's', LGS_STREAM }, { "message", 's', LGS_MSG } } },
	[NR_K8SAUDIT] = { "k8s_audit_all", {
		{ "seq", 'i', KA_SEQ }, { "ts", 'i', KA_TS },
		{ "audit_id", 's', KAS_ID }, { "stage", 's', KAS_STAGE },
		{ "verb", 's', KAS_VERB }, { "user", 's', KAS_USER },
		{ "groups", 's', KAS_GROUPS }, { "source_ip", 's', KAS_IP },
		{ "user_agent", 's', KAS_UA }, { "api_group", 's', KAS_GROUP },
		{ "resource", 's', KAS_RES }, { "subresource", 's', KAS_SUBRES },
		{ "namespace", 's', KAS_NS }, { "name", 's', KAS_NAME },
		{ "request_uri", 's', KAS_URI }, { "code", 'i', KA_CODE },
		{ "decision", 's', KAS_DECISION },
		{ "privileged", 'i', KA_PRIV }, { "host_pid", 'i', KA_HOSTPID },
		{ "host_network", 'i', KA_HOSTNET },
		{ "host_ipc", 'i', KA_HOSTIPC },
		{ "host_paths", 's', KAS_HOSTPATHS },
		{ "caps_add", 's', KAS_CAPS }, { "images", 's', KAS_IMAGES } } },
	[NR_AUDIT] = { "audit_all", {
		{ "seq", 'i', AU_SEQ }, { "serial", 'i', AU_SERIAL },
		{ "ts", 'i', AU_TS }, { "node", 's', AUS_NODE },
		{ "type", 's', AUS_TYPE }, { "types", 's', AUS_TYPES },
		{ "nrecords", 'i', AU_NREC }, { "syscall", 's', AUS_SYSCALL },
		{ "arch", 's', AUS_ARCH }, { "success", 'i', AU_SUCCESS },
		{ "exit", 'i', AU_EXIT }, { "pid", 'i', AU_PID },
		{ "ppid", 'i', AU_PPID }, { "uid", 'i', AU_UID },
		{ "euid", 'i', AU_EUID }, { "auid", 'i', AU_AUID },
		{ "ses", 'i', AU_SES }, { "tty", 's', AUS_TTY },
		{ "comm", 's', AUS_COMM }, { "exe", 's', AUS_EXE },
		{ "subj", 's', AUS_SUBJ }, { "key", 's', AUS_KEY },
		{ "cwd", 's', AUS_CWD }, { "path", 's', AUS_PATH },
		{ "path2", 's', AUS_PATH2 }, { "argv", 's', AUS_ARGV },
		{ "proctitle", 's', AUS_TITLE }, { "family", 's', AUS_FAMILY },
		{ "addr", 's', AUS_ADDR }, { "port", 'i', AU_PORT },
		{ "op", 's', AUS_OP }, { "acct", 's', AUS_ACCT },
		{ "hostname", 's', AUS_HOST }, { "remote_addr", 's', AUS_REMOTE },
		{ "res", 's', AUS_RES }, { "off", 'i', AU_OFF },
		{ "len", 'i', AU_LEN }, { "event_ord", 'i', AU_EVORD } } },
	[NR_ALERT] = { "alert_all", {
		{ "seq", 'i', AL_SEQ }, { "ts", 'i', AL_TS },
		{ "tool", 's', ALS_TOOL }, { "rule", 's', ALS_RULE },
		{ "rule_id", 's', ALS_RULE_ID },
		{ "priority", 's', ALS_PRIORITY },
		{ "severity", 's', ALS_SEVERITY }, { "attack", 's', ALS_ATTACK },
		{ "tags", 's', ALS_TAGS }, { "output", 's', ALS_OUTPUT },
		{ "source", 's', ALS_SOURCE }, { "hostname", 's', ALS_HOST },
		{ "container_id", 's', ALS_CID },
		{ "container_name", 's', ALS_CNAME },
		{ "image", 's', ALS_IMAGE }, { "k8s_ns", 's', ALS_K8S_NS },
		{ "k8s_pod", 's', ALS_K8S_POD }, { "pid", 'i', AL_PID },
		{ "tid", 'i', AL_TID }, { "comm", 's', ALS_COMM },
		{ "cmdline", 's', ALS_CMDLINE }, { "exe", 's', ALS_EXE },
		{ "user", 's', ALS_USER }, { "path", 's', ALS_PATH },
		{ "event", 's', ALS_EVENT }, { "fields", 's', ALS_FIELDS },
		{ "off", 'i', AL_OFF } } },
	[NR_DRIFT] = { "drift_all", {
		{ "seq", 'i', DR_SEQ }, { "container_id", 's', DRS_CID },
		{ "path", 's', DRS_PATH }, { "change", 's', DRS_CHANGE },
		{ "type", 's', DRS_TYPE }, { "mode", 'i', DR_MODE },
		{ "size", 'i', DR_SIZE }, { "mtime", 'i', DR_MTIME },
		{ "sha256", 's', DRS_SHA }, { "layer_id", 's', DRS_LAYER },
		{ "link", 's', DRS_LINK }, { "executable", 'i', DR_EXEC },
		{ "source", 's', DRS_SOURCE },
		{ "data_off", 'i', DR_DATA_OFF } } },
	[NR_RTLAYER] = { "runtime_layer_all", {
		{ "dir", 's', RLS_DIR }, { "driver", 's', RLS_DRIVER },
		{ "role", 's', RLS_ROLE }, { "container_id", 's', RLS_CID },
		{ "diff_id", 's', RLS_DIFF }, { "parent", 's', RLS_PARENT },
		{ "files", 'i', RL_FILES } } },
	[NR_DSETTING] = { "daemon_setting_all", {
		{ "seq", 'i', DS_SEQ }, { "key", 's', DSS_KEY },
		{ "value", 's', DSS_VALUE }, { "source", 's', DSS_SOURCE },
		{ "line", 'i', DS_LINE } } },
	[NR_K8SOBJ] = { "k8s_object_all", {
		{ "seq", 'i', KO_SEQ }, { "doc", 'i', KO_DOC },
		{ "line", 'i', KO_LINE }, { "kind", 's', KOS_KIND },
		{ "api_version", 's', KOS_API }, { "namespace", 's', KOS_NS },
		{ "name", 's', KOS_NAME }, { "uid", 's', KOS_UID },
		{ "privileged", 'i', KO_PRIV }, { "host_pid", 'i', KO_HOSTPID },
		{ "host_network", 'i', KO_HOSTNET },
		{ "host_ipc", 'i', KO_HOSTIPC },
		{ "host_paths", 's', KOS_HOSTPATHS },
		{ "caps_add", 's', KOS_CAPS }, { "images", 's', KOS_IMAGES },
		{ "containers", 's', KOS_CONTAINERS },
		{ "service_account", 's', KOS_SA },
		{ "automount_token", 'i', KO_AUTOMOUNT },
		{ "run_as_root", 'i', KO_ROOT },
		{ "privilege_escalation", 'i', KO_ESC } } },
	[NR_RESOURCE] = { "resource_all", {
		{ "seq", 'i', RS_SEQ }, { "ts", 'i', RS_TS },
		{ "cpu", 's', RSS_CPU }, { "memory", 'i', RS_MEM },
		{ "net_rx", 'i', RS_NRX }, { "net_tx", 'i', RS_NTX },
		{ "disk_read", 'i', RS_DRD }, { "disk_written", 'i', RS_DWR },
		{ "container_id", 's', RSS_CID } } },
};

const struct net_col *
net_columns(int kind, const char **table)
{
	if (kind < NR_FLOW || kind >= NR_NKINDS)
		BUG("net_columns: kind %d", kind);
	if (table != NULL)
		*table = net_cols[kind].table;
	return net_cols[kind].col;
}

/* The INSERT of a kind, built once (static text: store_stmt caches by
 * pointer). */
static const char *
net_sql(int kind)
{
	static char sql[NR_NKINDS][1024];
	struct sbuf sb;
	int i;

	if (sql[kind][0] != 0)
		return sql[kind];
	sbuf_init(&sb, sizeof(sql[kind]));
	/* A layer tar may list a path twice: the later entry wins. A
	 * host record repeating its key (a pid listed twice by a hostile
	 * snapshot) keeps the first: the importer reports the anomaly. */
	sbuf_addf(&sb, "INSERT%s INTO %s(artifact_id",
	    kind == NR_FILE ? " OR REPLACE" :
	    kind >= NR_MAPPING ? " OR IGNORE" : "", net_cols[kind].table);
	for (i = 0; i < NET_COLS_MAX && net_cols[kind].col[i].name; i++)
		sbuf_addf(&sb, ", %s", net_cols[kind].col[i].name);
	sbuf_addstr(&sb, ") VALUES (?");
	for (i = 0; i < NET_COLS_MAX && net_cols[kind].col[i].name; i++)
		sbuf_addstr(&sb, ", ?");
	sbuf_addch(&sb, ')');
	if (sb.len >= sizeof(sql[kind]))
		BUG("net_sql: statement too long");
	memcpy(sql[kind], sb.buf, sb.len);
	sql[kind][sb.len] = 0;
	sbuf_release(&sb);
	return sql[kind];
}

static int
sink_store_net(struct sink *k, int64_t artifact_id, const struct net_rec *r,
    struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	struct store *s = ss->s;
	sqlite3_stmt *st;
	int i;

	if (r->kind < NR_FLOW || r->kind >= NR_NKINDS)
		BUG("network record of kind %d", r->kind);
	if (pack_kind(r->kind)) {
		int rc;
		if (ss->pack[r->kind] == NULL) {
			ss->pack[r->kind] = xmalloc(sizeof(struct packw));
			packw_init(ss->pack[r->kind], s, r->kind);
		}
		if ((rc = packw_add(ss->pack[r->kind], artifact_id, r, e)) < 0)
			return rc;
		return s->in_tx ? store_tick(s, 1, e) : 0;
	}
	if ((st = store_stmt(s, net_sql(r->kind), e)) == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, artifact_id);
	for (i = 0; i < NET_COLS_MAX && net_cols[r->kind].col[i].name; i++) {
		const struct net_col *c = &net_cols[r->kind].col[i];
		if (c->type == 'i' && r->i[c->slot] != NR_NULL)
			sqlite3_bind_int64(st, i + 2, r->i[c->slot]);
		else if (c->type == 's' && r->s[c->slot] != NULL)
			sqlite3_bind_text(st, i + 2, r->s[c->slot], -1,
			    SQLITE_STATIC);
	}
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	if (r->kind == NR_LAYER) {
		int rc = imgfs_layer_added(&ss->img, artifact_id,
		    r->i[LY_NO], e);
		ss->has_layers = true;
		if (rc < 0)
			return rc;
	}
	return s->in_tx ? store_tick(s, 1, e) : 0;
}

static int
sink_store_layer_data(struct sink *k, int64_t artifact_id, int64_t layer_no,
    const void *p, size_t n, struct dd_err *e)
{
	struct sink_store *ss = k->impl;

	return imgfs_layer_data(&ss->img, artifact_id, layer_no, p, n, e);
}

static int
sink_store_packets(struct sink *k, int64_t artifact_id, int64_t first_pkt,
    const struct packet_rec *p, size_t n, struct dd_err *e)
{
	struct sink_store *ss = k->impl;
	int rc;

	if ((rc = pkt_chunk_store(ss->s, &ss->pkt_cctx, artifact_id, first_pkt,
		 p, n, e)) < 0)
		return rc;
	return ss->s->in_tx ? store_tick(ss->s, (int)(n / 64) + 1, e) : 0;
}

static const struct sink_ops sink_store_ops = {
	.abi = SINK_ABI,
	.anomaly = sink_store_anomaly,
	.event = sink_store_event,
	.process = sink_store_process,
	.end = sink_store_end,
	.container = sink_store_container,
	.member = sink_store_member,
	.label = sink_store_label,
	.net = sink_store_net,
	.packets = sink_store_packets,
	.layer_data = sink_store_layer_data,
};

void
sink_store_init(struct sink *k, struct store *s)
{
	struct sink_store *ss = xcalloc(1, sizeof(*ss));

	ss->s = s;
	imgfs_init(&ss->img, s);
	k->ops = &sink_store_ops;
	k->impl = ss;
}

int
sink_store_idle(void *k, struct dd_err *e)
{
	struct sink_store *ss = ((struct sink *)k)->impl;

	/* 64 strings: about a third of a millisecond. */
	return ss->st == NULL ? 0 : strtab_flush(ss->st, 64, e);
}

void
sink_store_release(struct sink *k)
{
	struct sink_store *ss = k->impl;

	if (ss == NULL)
		return;
	evw_free(ss->w);
	imgfs_release(&ss->img);
	for (int i = 0; i < NR_NKINDS; i++)
		if (ss->pack[i] != NULL) {
			packw_release(ss->pack[i]);
			free(ss->pack[i]);
		}
	strtab_free(ss->st);
	pkt_cctx_free(ss->pkt_cctx);
	free(ss->arch_importer);
	free(ss->arch_version);
	free(ss);
	k->impl = NULL;
}

/*
 * One process per pid across the members of a group (strace -ff: the
 * parent's file sees the clone, the child's file sees the rest). A
 * thread's own file is folded into the process another member's thread
 * map puts it in (events resolve processes across their group). A row
 * whose own file never saw its birth (ppid unknown) takes the parent,
 * the earlier start and any missing names from the row of the same pid
 * that another member made at the clone; that row is then dropped
 * unless its member holds events of that thread.
 */
int
sink_store_merge_group(struct store *s, int64_t group_id, struct dd_err *e)
{
	static const char *const sql[] = {
		/* The group's processes and thread maps, indexed by pid and
		 * tid (the joins below stay linear in the group's size). */
		"DROP TABLE IF EXISTS temp.merge_procs",
		"CREATE TEMP TABLE merge_procs AS SELECT p.id, p.artifact_id, "
		"  p.pid, p.ppid, p.start_ts FROM process_all p JOIN "
		"  artifact_all a ON a.id = p.artifact_id WHERE a.group_id = ?1",
		"CREATE INDEX temp.merge_procs_pid ON merge_procs(pid)",
		"DROP TABLE IF EXISTS temp.merge_tmap",
		"CREATE TEMP TABLE merge_tmap AS SELECT t.artifact_id, t.tid, "
		"  t.pid FROM event_threads t JOIN artifact_all a ON a.id = "
		"  t.artifact_id WHERE a.group_id = ?1 AND t.tid <> t.pid",
		"CREATE INDEX temp.merge_tmap_tid ON merge_tmap(tid)",
		"DROP TABLE IF EXISTS temp.merge_threads",
		"CREATE TEMP TABLE merge_threads(proc INTEGER, art INTEGER, "
		"  tid INTEGER, pid INTEGER, owner INTEGER)",
		/* Threads: a thread's own file (ppid unknown) while another
		 * member's thread map puts that tid in another process. */
		"INSERT INTO temp.merge_threads SELECT p.id, p.artifact_id, "
		"  p.pid, t.pid, (SELECT g.id FROM temp.merge_procs g WHERE "
		"  g.artifact_id = t.artifact_id AND g.pid = t.pid ORDER BY "
		"  g.start_ts DESC LIMIT 1) "
		"FROM temp.merge_procs p JOIN temp.merge_tmap t ON t.tid = p.pid "
		"  AND t.artifact_id <> p.artifact_id "
		"WHERE p.ppid IS NULL",
		"DELETE FROM temp.merge_threads WHERE owner IS NULL",
		"UPDATE event_threads SET pid = m.pid FROM temp.merge_threads m "
		"WHERE event_threads.artifact_id = m.art AND "
		"event_threads.pid = m.tid",
		"UPDATE exec_all SET process_id = m.owner FROM temp.merge_threads "
		"m WHERE exec_all.process_id = m.proc",
		"DELETE FROM process_all WHERE id IN (SELECT proc FROM "
		"temp.merge_threads)",
		"DELETE FROM temp.merge_procs WHERE id IN (SELECT proc FROM "
		"temp.merge_threads)",
		/* Pairs: owner (ppid unknown) and stubs (same pid, another
		 * member, parent known). An owner with several candidate
		 * stubs takes the one that started last before it. */
		"DROP TABLE IF EXISTS temp.merge_pairs",
		"CREATE TEMP TABLE merge_pairs(owner INTEGER, stub INTEGER)",
		"INSERT INTO temp.merge_pairs SELECT owner, stub FROM ("
		"SELECT p.id AS owner, s.id AS stub, row_number() OVER ("
		"  PARTITION BY p.id ORDER BY (s.start_ts IS NULL OR "
		"  p.start_ts IS NULL OR s.start_ts <= p.start_ts) DESC, "
		"  s.start_ts DESC) AS rn "
		"FROM temp.merge_procs p JOIN temp.merge_procs s ON "
		"  s.pid = p.pid AND s.artifact_id <> p.artifact_id AND "
		"  s.ppid IS NOT NULL "
		"WHERE p.ppid IS NULL) WHERE rn = 1",
		"UPDATE process_all AS p SET ppid = s.ppid, "
		"  start_ts = CASE WHEN p.start_ts IS NULL OR s.start_ts < "
		"    p.start_ts THEN coalesce(s.start_ts, p.start_ts) "
		"    ELSE p.start_ts END, "
		"  comm = coalesce(p.comm, s.comm), exe = coalesce(p.exe, s.exe), "
		"  args = coalesce(p.args, s.args) "
		"FROM temp.merge_pairs m JOIN process_all s ON s.id = m.stub "
		"WHERE p.id = m.owner",
		/* Keep a stub whose member has events of that thread. */
		"DELETE FROM temp.merge_pairs WHERE EXISTS (SELECT 1 FROM "
		"  process_all s JOIN event_chunks c ON c.artifact_id = "
		"  s.artifact_id JOIN event_chunk_tids t ON t.chunk_id = c.id "
		"  AND t.tid = s.pid WHERE s.id = temp.merge_pairs.stub)",
		"UPDATE exec_all SET process_id = m.owner FROM temp.merge_pairs m "
		"WHERE exec_all.process_id = m.stub",
		"DELETE FROM process_all WHERE id IN (SELECT stub FROM "
		"temp.merge_pairs)",
		"DROP TABLE temp.merge_pairs",
		"DROP TABLE temp.merge_threads",
		"DROP TABLE temp.merge_tmap",
		"DROP TABLE temp.merge_procs",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sql); i++) {
		sqlite3_stmt *st = store_stmt(s, sql[i], e);
		if (st == NULL)
			return DD_ESQL;
		if (strstr(sql[i], "?1") != NULL)
			sqlite3_bind_int64(st, 1, group_id);
		if (store_step_done(s, st, e) < 0)
			return DD_ESQL;
	}
	return 0;
}
