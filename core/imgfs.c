/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgfs.c: the store's side of image archives (see imgfs.h).
 */
#include "core/common.h"

#include <sqlite3.h>
#include <string.h>

#include "core/arena.h"
#include "core/chunk.h"
#include "core/dderr.h"
#include "core/imgfs.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

void
imgfs_init(struct imgfs *f, struct store *s)
{
	memset(f, 0, sizeof(*f));
	f->s = s;
}

void
imgfs_release(struct imgfs *f)
{
	blobw_free(f->w);
	free(f->blobs);
	memset(f, 0, sizeof(*f));
}

int
imgfs_layer_data(struct imgfs *f, int64_t artifact_id, int64_t layer_no,
    const void *p, size_t n, struct dd_err *e)
{
	struct blob_info bi;
	int rc;

	if (f->w != NULL && (f->w_artifact != artifact_id ||
	    f->w_layer != layer_no))
		BUG("layer stream %" PRId64 " interleaved with another",
		    layer_no);
	if (n == 0) {
		if (f->w == NULL) {
			/* An empty stream: an empty blob all the same. */
			if ((rc = blobw_new(f->s, 0, &f->w, e)) < 0)
				return rc;
		}
		rc = blobw_finish(f->w, &bi, e);
		blobw_free(f->w);
		f->w = NULL;
		if (rc < 0)
			return rc;
		f->blobs = xreallocarray(f->blobs, f->nblobs + 1,
		    sizeof(*f->blobs));
		f->blobs[f->nblobs].artifact_id = artifact_id;
		f->blobs[f->nblobs].layer_no = layer_no;
		f->blobs[f->nblobs].blob_id = bi.id;
		f->nblobs++;
		return 0;
	}
	if (f->w == NULL) {
		if ((rc = blobw_new(f->s, 0, &f->w, e)) < 0)
			return rc;
		f->w_artifact = artifact_id;
		f->w_layer = layer_no;
	}
	return blobw_write(f->w, p, n, e);
}

int
imgfs_layer_added(struct imgfs *f, int64_t artifact_id, int64_t layer_no,
    struct dd_err *e)
{
	struct store *s = f->s;
	sqlite3_stmt *st;
	int64_t blob = 0;

	for (size_t i = 0; i < f->nblobs; i++)
		if (f->blobs[i].artifact_id == artifact_id &&
		    f->blobs[i].layer_no == layer_no)
			blob = f->blobs[i].blob_id;
	if (blob > 0) {
		st = store_stmt(s, "UPDATE layer_all SET blob_id = ?, "
				   "blob_off = 0 WHERE artifact_id = ? AND "
				   "layer_no = ?", e);
		if (st == NULL)
			return DD_ESQL;
		sqlite3_bind_int64(st, 1, blob);
	} else {
		/* An uncompressed layer is a range of the original. */
		st = store_stmt(s, "UPDATE layer_all SET blob_id = (SELECT "
				   "blob_id FROM artifact_all WHERE id = ?1) "
				   "WHERE artifact_id = ?1 AND layer_no = ?2 "
				   "AND blob_off IS NOT NULL", e);
		if (st == NULL)
			return DD_ESQL;
	}
	sqlite3_bind_int64(st, blob > 0 ? 2 : 1, artifact_id);
	sqlite3_bind_int64(st, blob > 0 ? 3 : 2, layer_no);
	return store_step_done(s, st, e) < 0 ? DD_ESQL : 0;
}

/* Run sql (a literal: statements are cached by pointer) with ?1 = v. */
static int
store_exec_i64(struct store *s, const char *sql, int64_t v, struct dd_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);

	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, v);
	return store_step_done(s, st, e) < 0 ? DD_ESQL : 0;
}

/* Remove fs rows at path and under it (under only, when self is false). */
static int
imgfs_drop(struct store *s, int64_t art, int64_t image_no, const char *path,
    bool self, struct dd_err *e)
{
	sqlite3_stmt *st;

	/* Children of P sort between "P/" and "P0" ('0' follows '/'). */
	st = store_stmt(s,
	    "DELETE FROM fs_all WHERE artifact_id = ?1 AND image_no = ?2 AND "
	    "((?4 AND path = ?3) OR (path > ?3 || '/' AND path < ?3 || '0'))",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, art);
	sqlite3_bind_int64(st, 2, image_no);
	/* The root's children are every path. */
	sqlite3_bind_text(st, 3, strcmp(path, "/") == 0 ? "" : path, -1,
	    SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, self);
	return store_step_done(s, st, e) < 0 ? DD_ESQL : 0;
}

/* Apply layer (lart, lno; layer_all id lid) onto image (art, image_no). */
static int
imgfs_apply(struct store *s, int64_t art, int64_t image_no, int64_t lart,
    int64_t lno, int64_t lid, struct dd_err *e)
{
	sqlite3_stmt *st;
	char **paths = NULL;
	bool *selfv = NULL;
	size_t n = 0, i;
	int rc = 0, r;

	/* Whiteouts and opaque directories hide what lower layers wrote,
	 * before this layer's own entries are laid down; so does a
	 * non-directory over a lower directory. */
	st = store_stmt(s,
	    "SELECT f.path, f.whiteout FROM file_all f WHERE f.artifact_id = "
	    "?1 AND f.layer_no = ?2 AND f.whiteout > 0 UNION ALL "
	    "SELECT f.path, 3 FROM file_all f JOIN fs_all x ON "
	    "x.artifact_id = ?3 AND x.image_no = ?4 AND x.path = f.path "
	    "WHERE f.artifact_id = ?1 AND f.layer_no = ?2 AND f.whiteout = 0 "
	    "AND f.type <> 'dir' AND x.type = 'dir'",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, lart);
	sqlite3_bind_int64(st, 2, lno);
	sqlite3_bind_int64(st, 3, art);
	sqlite3_bind_int64(st, 4, image_no);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		paths = xreallocarray(paths, n + 1, sizeof(*paths));
		selfv = xreallocarray(selfv, n + 1, sizeof(*selfv));
		paths[n] = xstrdup((const char *)sqlite3_column_text(st, 0));
		selfv[n] = sqlite3_column_int(st, 1) == 1;
		n++;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		rc = store_sqlerr(s, e, "reading whiteouts");
	for (i = 0; i < n; i++) {
		if (rc >= 0)
			rc = imgfs_drop(s, art, image_no, paths[i], selfv[i], e);
		free(paths[i]);
	}
	free(paths);
	free(selfv);
	if (rc < 0)
		return rc;
	st = store_stmt(s,
	    "INSERT OR REPLACE INTO fs_all(artifact_id, image_no, path, type, "
	    "mode, uid, gid, size, mtime, sha256, link_target, layer_id) "
	    "SELECT ?3, ?4, path, type, mode, uid, gid, size, mtime, sha256, "
	    "link_target, ?5 FROM file_all WHERE artifact_id = ?1 AND "
	    "layer_no = ?2 AND whiteout = 0",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, lart);
	sqlite3_bind_int64(st, 2, lno);
	sqlite3_bind_int64(st, 3, art);
	sqlite3_bind_int64(st, 4, image_no);
	sqlite3_bind_int64(st, 5, lid);
	return store_step_done(s, st, e) < 0 ? DD_ESQL : 0;
}

int
imgfs_finish(struct store *s, int64_t art, struct dd_err *e)
{
	sqlite3_stmt *st;
	int64_t *v = NULL;
	size_t n = 0, i;
	int rc = 0, r;

	/* A layer another complete archive (or an earlier layer of this
	 * one) already indexed keeps its row, not its files. */
	if (store_exec_i64(s,
		"UPDATE layer_all SET dup_of = (SELECT min(o.id) FROM "
		"layer_all o JOIN artifact_all a ON a.id = o.artifact_id "
		"WHERE o.diff_id = layer_all.diff_id AND o.dup_of IS NULL AND "
		"o.id <> layer_all.id AND (a.state = 'complete' OR "
		"(o.artifact_id = layer_all.artifact_id AND o.id < "
		"layer_all.id))) WHERE artifact_id = ?",
		art, e) < 0 ||
	    store_exec_i64(s,
		"DELETE FROM file_all WHERE artifact_id = ?1 AND layer_no IN "
		"(SELECT layer_no FROM layer_all WHERE artifact_id = ?1 AND "
		"dup_of IS NOT NULL)",
		art, e) < 0 ||
	    store_exec_i64(s,
		"DELETE FROM package_all WHERE artifact_id = ?1 AND layer_no "
		"IN (SELECT layer_no FROM layer_all WHERE artifact_id = ?1 AND "
		"dup_of IS NOT NULL)",
		art, e) < 0 ||
	    /* A hard link has its target's content. */
	    store_exec_i64(s,
		"UPDATE file_all SET sha256 = (SELECT t.sha256 FROM file_all t "
		"WHERE t.artifact_id = file_all.artifact_id AND t.layer_no = "
		"file_all.layer_no AND t.path = file_all.link_target AND "
		"t.whiteout = 0), data_off = (SELECT t.data_off FROM file_all "
		"t WHERE t.artifact_id = file_all.artifact_id AND t.layer_no = "
		"file_all.layer_no AND t.path = file_all.link_target AND "
		"t.whiteout = 0), size = coalesce((SELECT t.size FROM file_all "
		"t WHERE t.artifact_id = file_all.artifact_id AND t.layer_no = "
		"file_all.layer_no AND t.path = file_all.link_target AND "
		"t.whiteout = 0), size) WHERE artifact_id = ?1 AND type = "
		"'hardlink'",
		art, e) < 0)
		return DD_ESQL;

	/* Each image's tree: its layers applied in order. */
	st = store_stmt(s,
	    "SELECT s.image_no, coalesce(d.artifact_id, l.artifact_id), "
	    "coalesce(d.layer_no, l.layer_no), coalesce(d.id, l.id) "
	    "FROM image_step_all s JOIN layer_all l ON l.artifact_id = "
	    "s.artifact_id AND l.layer_no = s.layer_no LEFT JOIN layer_all d "
	    "ON d.id = l.dup_of WHERE s.artifact_id = ? ORDER BY s.image_no, "
	    "s.idx",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, art);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 4, sizeof(*v));
		for (i = 0; i < 4; i++)
			v[n + i] = sqlite3_column_int64(st, (int)i);
		n += 4;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		rc = store_sqlerr(s, e, "reading image layers");
	for (i = 0; rc >= 0 && i < n; i += 4) {
		rc = imgfs_apply(s, art, v[i], v[i + 1], v[i + 2], v[i + 3], e);
		if (rc >= 0 && s->in_tx)
			rc = store_tick(s, 1000, e);
	}
	free(v);
	return rc;
}

/* Columns 0-5 of a file lookup: type, size, sha256, blob, offset, layer
 * (or artifact). */
static void
imgfs_file_row(sqlite3_stmt *st, struct imgfs_file *f)
{
	snprintf(f->type, sizeof(f->type), "%s",
	    (const char *)sqlite3_column_text(st, 0));
	f->size = (uint64_t)sqlite3_column_int64(st, 1);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL)
		snprintf(f->sha256, sizeof(f->sha256), "%s",
		    (const char *)sqlite3_column_text(st, 2));
	f->blob_id = sqlite3_column_int64(st, 3);
	f->off = (uint64_t)sqlite3_column_int64(st, 4);
	f->layer_id = sqlite3_column_int64(st, 5);
}

int
imgfs_file_find(struct store *s, int64_t image_id, int64_t layer_id,
    const char *path, struct imgfs_file *f, struct dd_err *e)
{
	sqlite3_stmt *st;
	const char *sql;
	int r;

	memset(f, 0, sizeof(*f));
	/* The row's layer holds the content (a hard link: its target's). */
	sql = image_id > 0 ?
	    "SELECT x.type, x.size, x.sha256, l.blob_id, l.blob_off + "
	    "coalesce(t.data_off, 0), l.id, t.data_off IS NOT NULL "
	    "FROM fs x JOIN layer_all l ON l.id = x.layer_id "
	    "LEFT JOIN file_all t ON t.artifact_id = l.artifact_id AND "
	    "t.layer_no = l.layer_no AND t.path = x.path AND t.whiteout = 0 "
	    "WHERE x.image_id = ?1 AND x.path = ?2" :
	    "SELECT t.type, t.size, t.sha256, l.blob_id, l.blob_off + "
	    "coalesce(t.data_off, 0), l.id, t.data_off IS NOT NULL "
	    "FROM layer_all l JOIN file_all t ON t.artifact_id = "
	    "l.artifact_id AND t.layer_no = l.layer_no AND t.whiteout = 0 "
	    "JOIN artifact_all a ON a.id = l.artifact_id AND a.state = "
	    "'complete' WHERE l.id = ?1 AND t.path = ?2 AND l.dup_of IS NULL";
	if ((st = store_stmt(s, sql, e)) == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, image_id > 0 ? image_id : layer_id);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		imgfs_file_row(st, f);
		r = sqlite3_column_int(st, 6) ? SQLITE_ROW : SQLITE_EMPTY;
	}
	sqlite3_reset(st);
	if (r == SQLITE_DONE)
		return dd_err_set(e, DD_ENOTFOUND, "no '%s' in %s %" PRId64,
		    path, image_id > 0 ? "image" : "layer",
		    image_id > 0 ? image_id : layer_id);
	if (r == SQLITE_EMPTY || f->blob_id <= 0 || f->sha256[0] == 0)
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' is a %s: it has no content to export", path,
		    f->type);
	if (r != SQLITE_ROW)
		return store_sqlerr(s, e, "finding a file");
	return 0;
}

int
imgfs_drift_find(struct store *s, const char *container, const char *path,
    struct imgfs_file *f, bool *deleted, char cid[65], struct dd_err *e)
{
	sqlite3_stmt *st;
	size_t nid = 0;
	int r;

	memset(f, 0, sizeof(*f));
	*deleted = false;
	cid[0] = '\0';
	/* The container: drift rows name it by its full id. */
	st = store_stmt(s,
	    "SELECT DISTINCT d.container_id FROM drift d LEFT JOIN "
	    "container_aliases n ON n.container_id = d.container_id AND "
	    "n.kind = 'name' WHERE d.container_id = ?1 OR (length(?1) >= 4 "
	    "AND substr(d.container_id, 1, length(?1)) = ?1) OR n.value = ?1 "
	    "OR n.value = '/' || ?1 LIMIT 2",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, container, -1, SQLITE_TRANSIENT);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (nid++ == 0)
			snprintf(cid, 65, "%s",
			    (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return store_sqlerr(s, e, "finding a container");
	if (nid == 0)
		return dd_err_set(e, DD_ENOTFOUND, "no drift of a container "
		    "'%s' in the case", container);
	if (nid > 1)
		return dd_err_set(e, DD_EUSAGE, "'%s' names more than one "
		    "container: give more of its id", container);
	st = store_stmt(s,
	    "SELECT coalesce(type, 'file'), coalesce(size, 0), sha256, "
	    "blob_id, data_off, artifact_id, change = 'D' FROM drift "
	    "WHERE container_id = ?1 AND path = ?2 "
	    "ORDER BY change = 'D', data_off IS NULL, artifact_id DESC LIMIT 1",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, cid, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		imgfs_file_row(st, f);
		if (sqlite3_column_type(st, 4) == SQLITE_NULL)
			f->blob_id = 0;
		*deleted = sqlite3_column_int(st, 6) != 0;
	}
	sqlite3_reset(st);
	if (r == SQLITE_DONE)
		return dd_err_set(e, DD_ENOTFOUND, "container %.12s did not "
		    "change '%s' (no drift row)", cid, path);
	if (r != SQLITE_ROW)
		return store_sqlerr(s, e, "finding a drift entry");
	if (f->blob_id <= 0 || f->sha256[0] == 0)
		return dd_err_set(e, DD_EFORMAT, "'%s' (%s) has no stored "
		    "content: a directory or link, a compressed original, or "
		    "a listing without contents", path, f->type);
	return 0;
}

static int
imgfs_known_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

int
imgfs_known_load(struct store *s, struct imgfs_known **v, size_t *n,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	int r;

	*v = NULL;
	*n = 0;
	st = store_stmt(s,
	    "SELECT l.digest, l.diff_id, l.size, coalesce(l.member_off, -1) "
	    "FROM layer_all l JOIN "
	    "artifact_all a ON a.id = l.artifact_id WHERE a.state = "
	    "'complete' AND l.dup_of IS NULL",
	    e);
	if (st == NULL)
		return DD_ESQL;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 0);
		const char *f = (const char *)sqlite3_column_text(st, 1);
		struct imgfs_known kl;
		if (d == NULL || f == NULL || strlen(d) != 71 ||
		    strlen(f) != 71 || !hex_decode(d + 7, kl.digest, 32) ||
		    !hex_decode(f + 7, kl.diff_id, 32))
			continue;
		kl.size = (uint64_t)sqlite3_column_int64(st, 2);
		kl.member_off = sqlite3_column_int64(st, 3);
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		(*v)[(*n)++] = kl;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		free(*v);
		*v = NULL;
		*n = 0;
		return store_sqlerr(s, e, "reading known layers");
	}
	if (*n > 1)
		qsort(*v, *n, sizeof(**v), imgfs_known_cmp);
	return 0;
}

/* The chunk parts of blob over [off, off+len): owned arrays of chunk ids
 * and lengths; false unless the range starts and ends on part bounds
 * and every part is a whole chunk from its start. */
static bool
imgfs_parts(struct store *s, int64_t blob, uint64_t off, uint64_t len,
    int64_t **ids, int64_t **lens, size_t *n)
{
	sqlite3_stmt *st;
	uint64_t at = off;
	bool ok = true;

	*ids = NULL;
	*lens = NULL;
	*n = 0;
	st = store_stmt(s,
	    "SELECT off, len, chunk_id, chunk_off FROM blob_parts WHERE "
	    "blob_id = ? AND off >= ? AND off < ? ORDER BY off", NULL);
	if (st == NULL)
		return false;
	sqlite3_bind_int64(st, 1, blob);
	sqlite3_bind_int64(st, 2, (int64_t)off);
	sqlite3_bind_int64(st, 3, (int64_t)(off + len));
	while (ok && sqlite3_step(st) == SQLITE_ROW) {
		uint64_t po = (uint64_t)sqlite3_column_int64(st, 0);
		int64_t pl = sqlite3_column_int64(st, 1);
		if (po != at || pl <= 0 || sqlite3_column_int64(st, 3) != 0) {
			ok = false;
			break;
		}
		*ids = xreallocarray(*ids, *n + 1, sizeof(**ids));
		*lens = xreallocarray(*lens, *n + 1, sizeof(**lens));
		(*ids)[*n] = sqlite3_column_int64(st, 2);
		(*lens)[*n] = pl;
		(*n)++;
		at += (uint64_t)pl;
	}
	sqlite3_reset(st);
	return ok && at == off + len;
}

int
imgfs_verify(struct store *s, int64_t art, struct dd_err *e)
{
	sqlite3_stmt *st;
	int64_t (*v)[6] = NULL;
	size_t n = 0, i;
	int r, rc = 0;

	/* this blob, its offset, its size; the known one's the same */
	st = store_stmt(s,
	    "SELECT a.blob_id, l.member_off, l.blob_size, ka.blob_id, "
	    "k.member_off, k.blob_size FROM layer_all l JOIN artifact_all a "
	    "ON a.id = l.artifact_id JOIN layer_all k ON k.id = l.dup_of "
	    "JOIN artifact_all ka ON ka.id = k.artifact_id WHERE "
	    "l.artifact_id = ? AND l.unverified = 1",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, art);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		for (int k = 0; k < 6; k++)
			v[n][k] = sqlite3_column_type(st, k) == SQLITE_NULL ?
			    -1 : sqlite3_column_int64(st, k);
		n++;
	}
	sqlite3_reset(st);
	if (r != SQLITE_DONE) {
		free(v);
		return store_sqlerr(s, e, "reading layers to prove");
	}
	for (i = 0; i < n && rc == 0; i++) {
		int64_t *ia = NULL, *la = NULL, *ib = NULL, *lb = NULL;
		size_t na = 0, nb = 0;
		bool same = v[i][0] > 0 && v[i][3] > 0 && v[i][1] >= 0 &&
		    v[i][4] >= 0 && v[i][2] == v[i][5] &&
		    imgfs_parts(s, v[i][0], (uint64_t)v[i][1],
			(uint64_t)v[i][2], &ia, &la, &na) &&
		    imgfs_parts(s, v[i][3], (uint64_t)v[i][4],
			(uint64_t)v[i][5], &ib, &lb, &nb) &&
		    na == nb && (na == 0 ||
			(memcmp(ia, ib, na * sizeof(*ia)) == 0 &&
			    memcmp(la, lb, na * sizeof(*la)) == 0));
		free(ia);
		free(la);
		free(ib);
		free(lb);
		if (!same)
			rc = dd_err_set(e, DD_ERETRY,
			    "a layer of the archive is not the one its name "
			    "claims by its chunks: hashing every member");
	}
	free(v);
	if (rc == 0 && store_exec_i64(s,
	    "UPDATE layer_all SET unverified = NULL WHERE artifact_id = ?1 "
	    "AND unverified = 1", art, e) < 0)
		rc = DD_ESQL;
	return rc;
}

/* ---- what a container's filesystem is compared with ---- */

static const char *
imgfs_col(struct imgfs_tree *t, sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	return arena_strdup(t->a, (const char *)sqlite3_column_text(st, i));
}

/* The first column of the first row of sql over (?1 = a), or NULL. */
static int
imgfs_one(struct store *s, struct imgfs_tree *t, const char *sql,
    const char *a, const char **out, struct dd_err *e)
{
	sqlite3_stmt *st = store_stmt(s, sql, e);
	int r;

	*out = NULL;
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = imgfs_col(t, st, 0);
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_sqlerr(s, e, "resolving a container or image");
	return 0;
}

/* An image by what names it: the latest complete one. */
static const char imgfs_image_sql[] =
    "SELECT i.id FROM images i WHERE i.config_digest = ?1 OR "
    "i.config_digest = 'sha256:' || ?1 OR (length(?1) >= 12 AND "
    "NOT ?1 GLOB '*[^0-9a-f]*' AND substr(i.config_digest, 8, "
    "length(?1)) = ?1) OR i.ref = ?1 OR EXISTS (SELECT 1 FROM "
    "json_each(CASE WHEN json_valid(i.tags) THEN i.tags ELSE '[]' END) j "
    "WHERE j.value IN (?1, ?1 || ':latest', 'docker.io/' || ?1, "
    "'docker.io/library/' || ?1, 'docker.io/' || ?1 || ':latest', "
    "'docker.io/library/' || ?1 || ':latest', 'localhost/' || ?1, "
    "'localhost/' || ?1 || ':latest', CASE WHEN ?1 LIKE "
    "'docker.io/library/%' THEN substr(?1, 19) END, CASE WHEN ?1 LIKE "
    "'docker.io/%' THEN substr(?1, 11) END)) ORDER BY i.id DESC LIMIT 1";

int
imgfs_tree_load(struct store *s, const char *container_hint,
    const char *image_hint, bool want_tree, size_t max,
    struct imgfs_tree *t, struct dd_err *e)
{
	const char *img = NULL, *id = NULL;
	sqlite3_stmt *st;
	int r, rc;

	memset(t, 0, sizeof(*t));
	t->a = xcalloc(1, sizeof(*t->a));
	if (container_hint != NULL && *container_hint != '\0') {
		t->container = arena_strdup(t->a, container_hint);
		if ((rc = imgfs_one(s, t,
			 "SELECT c.id FROM containers c WHERE c.id = ?1 UNION "
			 "ALL SELECT c.id FROM containers c WHERE length(?1) >= "
			 "12 AND substr(c.id, 1, length(?1)) = ?1 UNION ALL "
			 "SELECT x.container_id FROM container_aliases x WHERE "
			 "x.kind = 'name' AND x.value IN (?1, '/' || ?1) "
			 "LIMIT 1",
			 container_hint, &t->container_id, e)) < 0)
			return rc;
	}
	if (image_hint != NULL && *image_hint != '\0') {
		t->image = arena_strdup(t->a, image_hint);
		if ((rc = imgfs_one(s, t, imgfs_image_sql, image_hint, &id,
			 e)) < 0)
			return rc;
		if (id == NULL)
			t->why = arena_printf(t->a, "no image '%s' in the case",
			    image_hint);
	} else if (t->container_id != NULL) {
		/* its inspect output's image id, then its image name (the
		 * container_images view) */
		if ((rc = imgfs_one(s, t,
			 "SELECT image_id FROM container_images WHERE "
			 "container_id = ?1 AND image_id IS NOT NULL ORDER BY "
			 "prio LIMIT 1", t->container_id, &id, e)) < 0 ||
		    (rc = imgfs_one(s, t,
			 "SELECT image_ref FROM container_images WHERE "
			 "container_id = ?1 ORDER BY image_id IS NULL, prio "
			 "LIMIT 1", t->container_id, &img, e)) < 0)
			return rc;
		t->image = img;
		if (id == NULL)
			t->why = img != NULL ? arena_printf(t->a, "container "
			    "%.12s's image %s is not in the case (import it: "
			    "docker save / podman save)", t->container_id,
			    img) : arena_printf(t->a, "the case does not say "
			    "which image container %.12s runs (import its "
			    "inspect output, or give -o image=)",
			    t->container_id);
	} else {
		t->why = t->container != NULL ? arena_printf(t->a, "no "
		    "container '%s' in the case (import its inspect output "
		    "first, or give -o image=)", t->container) :
		    "no container or image named (-o container=, -o image=)";
	}
	if (id == NULL)
		return 0;
	t->image_id = strtoll(id, NULL, 10);
	if (!want_tree)
		return 0;
	st = store_stmt(s,
	    "SELECT f.path, f.type, f.mode, f.uid, f.gid, f.mtime, f.size, "
	    "f.sha256, f.link_target, l.diff_id FROM fs f LEFT JOIN "
	    "layer_all l ON l.id = f.layer_id WHERE f.image_id = ?1 "
	    "ORDER BY f.path",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, t->image_id);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct imgfs_tree_ent *x;
		if (t->n >= max) {
			t->cut = true;
			break;
		}
		if ((t->n & (t->n - 1)) == 0) /* 0, 1, 2, 4...: grow */
			t->e = xreallocarray(t->e, t->n ? t->n * 2 : 1,
			    sizeof(*t->e));
		x = &t->e[t->n++];
		x->path = imgfs_col(t, st, 0);
		x->type = imgfs_col(t, st, 1);
		x->mode = (uint32_t)sqlite3_column_int64(st, 2);
		x->uid = sqlite3_column_type(st, 3) == SQLITE_NULL ? INT64_MIN :
		    sqlite3_column_int64(st, 3);
		x->gid = sqlite3_column_type(st, 4) == SQLITE_NULL ? INT64_MIN :
		    sqlite3_column_int64(st, 4);
		x->mtime = sqlite3_column_type(st, 5) == SQLITE_NULL ?
		    INT64_MIN : sqlite3_column_int64(st, 5);
		x->size = (uint64_t)sqlite3_column_int64(st, 6);
		x->sha256 = imgfs_col(t, st, 7);
		x->link = imgfs_col(t, st, 8);
		x->diff_id = imgfs_col(t, st, 9);
		if (x->path == NULL || x->type == NULL)
			t->n--;
	}
	sqlite3_reset(st);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return store_sqlerr(s, e, "reading an image's tree");
	return 0;
}

void
imgfs_tree_free(struct imgfs_tree *t)
{
	if (t->a != NULL) {
		arena_release(t->a);
		free(t->a);
	}
	free(t->e);
	memset(t, 0, sizeof(*t));
}
