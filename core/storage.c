/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storage.c: measuring a case by its pages, counting its relations and
 * listing its artifacts; see storage.h.
 *
 * dbstat with aggregate=1 gives one row per b-tree (its name and the bytes
 * of all its pages, overflow pages included). The chunk store's tables are
 * split between originals and blobs by compressed bytes:
 *   orig  = sum(length(data)) of chunks some artifact_all.blob_id uses
 *   all   = sum(length(data)) of all chunks
 *   originals += chunk_pages * orig / all, blobs += the rest
 * length() of a blob column reads only the record header (SQLite's
 * OPFLAG_LENGTHARG), so the split costs an index walk, not the data.
 */
#include "core/common.h"
#include "core/storage.h"

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/store.h"

const char *const storage_relations[] = {
	"artifacts",
	"anomalies",
	"custody",
	"findings",
	"finding_evidence",
	"notes",
	"tags",
	"events",
	"processes",
	"execs",
	"containers",
	"container_aliases",
	"flows",
	"dns",
	"http",
	"tls",
	"arp",
	"images",
	"layers",
	"image_layers",
	"files",
	"fs",
	"packages",
	"drift",
	"logs",
	"links",
	"resources",
	"mappings",
	"threads",
	"process_info",
	"capabilities",
	"namespaces",
	"cgroups",
	"open_files",
	"sockets",
	"mounts",
	"environ",
	"container_meta",
	"container_mounts",
	"container_devices",
	"container_caps",
	"k8s_audit",
	"audit",
	"alerts",
	"drift",
	"runtime_layers",
	"daemon_settings",
	"k8s_objects",
	NULL,
};

/* The chunk store's tables, split between originals and blobs. */
static const char *const storage_chunk_tables[] = {
	"blob_parts",
	"blobs",
	"chunks",
	NULL,
};

static const char storage_sql_btrees[] =
    "SELECT d.name, d.pgsize, "
    "(SELECT m.type FROM sqlite_schema m WHERE m.name = d.name) "
    "FROM dbstat AS d WHERE d.aggregate = 1";
static const char storage_sql_chunk_all[] =
    "SELECT coalesce(sum(length(data)), 0) FROM chunks";
static const char storage_sql_chunk_orig[] =
    "SELECT coalesce(sum(length(data)), 0) FROM chunks WHERE id IN "
    "(SELECT p.chunk_id FROM artifact_all a JOIN blob_parts p "
    "ON p.blob_id = a.blob_id WHERE a.blob_id IS NOT NULL)";
static const char storage_sql_artifacts_all[] =
    "SELECT a.id, a.group_id, a.size, a.format, a.sha256, a.name, "
    "(SELECT count(*) FROM artifacts m WHERE m.group_id = a.id) "
    "FROM artifacts a ORDER BY a.id";
static const char storage_sql_artifacts_top[] =
    "SELECT a.id, a.group_id, a.size, a.format, a.sha256, a.name, "
    "(SELECT count(*) FROM artifacts m WHERE m.group_id = a.id) "
    "FROM artifacts a WHERE a.group_id IS NULL ORDER BY a.id";

static bool
storage_in(const char *const *list, const char *name)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* One integer from a constant single-row statement. */
static int
storage_int(struct store *s, const char *sql, int64_t *v, struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = store_stmt(s, sql, e)) == NULL)
		return DD_ESQL;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		store_sqlerr(s, e, "measuring the case");
		sqlite3_reset(st);
		return DD_ESQL;
	}
	*v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

/* a * b / c without overflow, rounded down; c > 0, b <= c. */
static uint64_t
storage_share(uint64_t a, uint64_t b, uint64_t c)
{
	unsigned __int128 x = (unsigned __int128)a * b;

	return (uint64_t)(x / c);
}

static int
storage_measure_tx(struct store *s, struct storage_summary *out,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	uint64_t chunk_pages = 0, mapped = 0, sz, part;
	int64_t psize, pcount, all, orig;
	int rc;

	if (storage_int(s, "PRAGMA page_size", &psize, e) < 0 ||
	    storage_int(s, "PRAGMA page_count", &pcount, e) < 0)
		return DD_ESQL;
	if (psize < 0 || pcount < 0)
		return dd_err_set(e, DD_ECORRUPT,
		    "case '%s' reports a negative page size or count", s->path);
	out->page_size = (uint64_t)psize;
	out->page_count = (uint64_t)pcount;
	out->total = out->page_size * out->page_count;

	if ((st = store_stmt(s, storage_sql_btrees, e)) == NULL)
		return dd_err_prefix(e, "measuring pages with dbstat");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		int64_t n = sqlite3_column_int64(st, 1);

		if (name == NULL || n < 0)
			continue;
		sz = (uint64_t)n;
		mapped += sz;
		if ((type != NULL && strcmp(type, "index") == 0) ||
		    strncmp(name, "sqlite_autoindex_", 17) == 0)
			out->indexes += sz;
		else if (storage_in(storage_chunk_tables, name))
			chunk_pages += sz;
		else if (strcmp(name, "artifact_all") == 0)
			out->originals += sz;
		else if (strncmp(name, "event_", 6) == 0)
			out->events += sz;
		else if (strncmp(name, "strings", 7) == 0 ||
		    strncmp(name, "string_", 7) == 0)
			out->strings += sz;
		else
			out->other += sz;
	}
	if (rc != SQLITE_DONE) {
		store_sqlerr(s, e, "measuring pages with dbstat");
		sqlite3_reset(st);
		return DD_ESQL;
	}
	sqlite3_reset(st);

	if (storage_int(s, storage_sql_chunk_all, &all, e) < 0 ||
	    storage_int(s, storage_sql_chunk_orig, &orig, e) < 0)
		return DD_ESQL;
	/* With no chunk bytes at all, the (near-empty) chunk tables are
	 * counted as originals: nothing else has been extracted. */
	if (all <= 0 || orig >= all)
		part = chunk_pages;
	else if (orig <= 0)
		part = 0;
	else
		part = storage_share(chunk_pages, (uint64_t)orig,
		    (uint64_t)all);
	out->originals += part;
	out->blobs += chunk_pages - part;
	out->unused = out->total > mapped ? out->total - mapped : 0;
	return 0;
}

int
storage_measure(struct store *s, struct storage_summary *out,
    struct dd_err *e)
{
	bool own = false;
	int rc;

	memset(out, 0, sizeof(*out));
	/* One read transaction, so every number sees the same snapshot. A
	 * guarded connection refuses BEGIN: measure without it then. */
	if (sqlite3_get_autocommit(s->db) &&
	    sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK)
		own = true;
	rc = storage_measure_tx(s, out, e);
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

int
storage_counts(struct store *s, storage_count_fn fn, void *user,
    struct dd_err *e)
{
	struct sbuf sql = SBUF_INIT;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; storage_relations[i] != NULL; i++) {
		const char *rel = storage_relations[i];
		bool listed = store_has_relation(s, rel);

		sbuf_reset(&sql);
		sbuf_addf(&sql, "SELECT count(*) FROM \"%s\"", rel);
		if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) !=
		    SQLITE_OK) {
			/* Not in the schema and not a registered virtual
			 * table: the case has no such relation. */
			sqlite3_finalize(st);
			st = NULL;
			if (!listed)
				continue;
			rc = store_sqlerr(s, e, "counting rows");
			break;
		}
		if (sqlite3_step(st) != SQLITE_ROW) {
			rc = store_sqlerr(s, e, "counting rows");
			break;
		}
		rc = fn(user, rel, sqlite3_column_int64(st, 0));
		sqlite3_finalize(st);
		st = NULL;
		if (rc < 0)
			break;
	}
	sqlite3_finalize(st);
	sbuf_release(&sql);
	return rc < 0 ? rc : 0;
}

int
storage_artifacts(struct store *s, bool top_level, storage_artifact_fn fn,
    void *user, struct dd_err *e)
{
	struct storage_artifact a;
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s, top_level ? storage_sql_artifacts_top :
				       storage_sql_artifacts_all,
	    e);
	if (st == NULL)
		return DD_ESQL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&a, 0, sizeof(a));
		a.id = sqlite3_column_int64(st, 0);
		a.group_id = sqlite3_column_int64(st, 1);
		a.size = sqlite3_column_int64(st, 2);
		a.format = (const char *)sqlite3_column_text(st, 3);
		a.sha256 = (const char *)sqlite3_column_text(st, 4);
		a.name = (const char *)sqlite3_column_text(st, 5);
		a.name_len = (size_t)sqlite3_column_bytes(st, 5);
		a.members = sqlite3_column_int64(st, 6);
		if (a.format == NULL)
			a.format = "";
		if (a.name == NULL) {
			a.name = "";
			a.name_len = 0;
		}
		if ((rc = fn(user, &a)) < 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	if (rc != SQLITE_DONE) {
		store_sqlerr(s, e, "listing artifacts");
		sqlite3_reset(st);
		return DD_ESQL;
	}
	sqlite3_reset(st);
	return 0;
}

int
storage_schema_version(struct store *s, int64_t *v, struct dd_err *e)
{
	return storage_int(s, "PRAGMA user_version", v, e);
}
