/* SPDX-License-Identifier: Apache-2.0 */
/* artifact.c: artifact rows and their life cycle; see artifact.h. */
#include "core/common.h"
#include "core/artifact.h"

#include <unistd.h>

#include <sqlite3.h>

#include "core/attrib.h"
#include "core/chunk.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/xmalloc.h"

int
artifact_begin(struct store *s, const struct artifact_new *a, int64_t *id,
    struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(s,
	    "INSERT INTO artifact_all(group_id, name, format, state, importer, "
	    "importer_version, imported_at, reference, source_path, mode, "
	    "mtime, owner_pid) VALUES (?, ?, ?, 'importing', ?, ?, ?, ?, ?, "
	    "?, ?, ?)",
	    e);
	if (st == NULL)
		return DD_ESQL;
	if (a->group_id > 0)
		sqlite3_bind_int64(st, 1, a->group_id);
	sqlite3_bind_text(st, 2, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->format, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->importer, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, a->importer_version, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, time_now_ns());
	sqlite3_bind_int(st, 7, a->reference ? 1 : 0);
	if (a->source_path)
		sqlite3_bind_text(st, 8, a->source_path, -1, SQLITE_STATIC);
	if (a->mode >= 0)
		sqlite3_bind_int64(st, 9, a->mode);
	if (a->mtime >= 0)
		sqlite3_bind_int64(st, 10, a->mtime);
	sqlite3_bind_int64(st, 11, (int64_t)getpid());
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	*id = store_last_id(s);
	return 0;
}

int
artifact_set_content(struct store *s, int64_t id, uint64_t size,
    const char *sha_hex, int64_t blob_id, bool parsed, const char *format,
    struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "UPDATE artifact_all SET size = ?, sha256 = ?, "
			   "blob_id = ?, parsed = ?, format = ? WHERE id = ?",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, (int64_t)size);
	sqlite3_bind_text(st, 2, sha_hex, -1, SQLITE_STATIC);
	if (blob_id > 0)
		sqlite3_bind_int64(st, 3, blob_id);
	sqlite3_bind_int(st, 4, parsed ? 1 : 0);
	sqlite3_bind_text(st, 5, format, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, id);
	return store_step_done(s, st, e);
}

int
artifact_set_blob(struct store *s, int64_t id, int64_t blob_id,
    struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "UPDATE artifact_all SET blob_id = ? WHERE id = ?",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, blob_id);
	sqlite3_bind_int64(st, 2, id);
	return store_step_done(s, st, e);
}

int
artifact_complete(struct store *s, int64_t id, struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "UPDATE artifact_all SET state = 'complete', "
			   "owner_pid = NULL WHERE id = ? OR group_id = ?",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, id);
	if (store_step_done(s, st, e) < 0)
		return DD_ESQL;
	/* Derived across artifacts: the new one may attribute others. */
	return attrib_rebuild(s, e);
}

int
artifact_find_identical(struct store *s, uint64_t size, const char *sha_hex,
    bool group, int64_t *id, char **name, struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	st = store_stmt(s,
	    "SELECT id, name FROM artifact_all WHERE state = 'complete' AND "
	    "sha256 = ? AND size = ? AND (format = 'group') = ? AND "
	    "group_id IS NULL ORDER BY id LIMIT 1",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, sha_hex, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)size);
	sqlite3_bind_int(st, 3, group ? 1 : 0);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (name)
			*name = xstrdup(
			    (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_sqlerr(s, e, "looking for identical evidence");
	return 0;
}

/* Windows of a file compared before hashing it whole: evenly spaced,
 * the first at its start and the last at its end. */
#define ARTIFACT_PROBES 8u
#define ARTIFACT_PROBE (8u * 1024u)

/* Offset of window i of a file of size bytes (windows of n bytes). */
static uint64_t
artifact_probe_off(uint64_t size, size_t n, unsigned i)
{
	return (size - n) / (ARTIFACT_PROBES - 1) * i +
	    (i == ARTIFACT_PROBES - 1 ? (size - n) % (ARTIFACT_PROBES - 1) : 0);
}

bool
artifact_maybe_identical(struct store *s, uint64_t size, int fd)
{
	sqlite3_stmt *st;
	uint8_t *mine = NULL, *theirs = NULL;
	size_t n = (size_t)MIN((uint64_t)ARTIFACT_PROBE, size);
	bool maybe = false, have = false;
	unsigned i;

	st = store_stmt(s, "SELECT blob_id FROM artifact_all WHERE state = "
			   "'complete' AND size = ? AND format != 'group' "
			   "AND group_id IS NULL",
	    NULL);
	if (st == NULL)
		return true;
	sqlite3_bind_int64(st, 1, (int64_t)size);
	while (!maybe && sqlite3_step(st) == SQLITE_ROW) {
		struct blobr *r = NULL;
		bool same = true;
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			maybe = true; /* a reference: no bytes to compare */
			break;
		}
		if (!have) {
			mine = xmalloc(ARTIFACT_PROBES * n + 1);
			theirs = xmalloc(n + 1);
			for (i = 0; i < ARTIFACT_PROBES; i++)
				if (pread(fd, mine + i * n, n,
				    (off_t)artifact_probe_off(size, n, i)) !=
				    (ssize_t)n)
					break;
			if (i < ARTIFACT_PROBES) {
				maybe = true;
				break;
			}
			have = true;
		}
		/* Every window the same: then hash it all to be sure. */
		if (blobr_open(s, sqlite3_column_int64(st, 0), &r, NULL) < 0) {
			maybe = true;
			break;
		}
		for (i = 0; same && i < ARTIFACT_PROBES; i++) {
			size_t got = 0;
			if (blobr_pread(r, artifact_probe_off(size, n, i), theirs,
				n, &got, NULL) < 0 || got != n)
				break; /* unreadable: compare by hash */
			same = memcmp(mine + i * n, theirs, n) == 0;
		}
		maybe = same;
		blobr_close(r);
	}
	sqlite3_reset(st);
	free(mine);
	free(theirs);
	return maybe;
}

void
artifact_group_hash_init(struct sha *h)
{
	sha_update(h, "drydock-group-v1", 16);
}

void
artifact_group_hash_add(struct sha *h, const char *path,
    const uint8_t sha[SHA256_LEN])
{
	uint64_t n = strlen(path);
	uint8_t b[8];
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)(n & 0xff);
		n >>= 8;
	}
	sha_update(h, b, 8);
	sha_update(h, path, strlen(path));
	sha_update(h, sha, SHA256_LEN);
}

int
artifact_group_hash(struct store *s, int64_t gid, char out[SHA256_HEX],
    struct dd_err *e)
{
	struct sha *h = sha_new();
	uint8_t d[SHA256_LEN];
	sqlite3_stmt *st = NULL;
	int rc;

	artifact_group_hash_init(h);
	if (sqlite3_prepare_v2(s->db,
		"SELECT name, sha256 FROM artifact_all WHERE group_id = ? "
		"ORDER BY name COLLATE BINARY",
		-1, &st, NULL) != SQLITE_OK) {
		sha_free(h);
		return store_sqlerr(s, e, "reading group members");
	}
	sqlite3_bind_int64(st, 1, gid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *hex = (const char *)sqlite3_column_text(st, 1);
		if (name == NULL || hex == NULL ||
		    !hex_decode(hex, d, SHA256_LEN)) {
			sqlite3_finalize(st);
			sha_free(h);
			return dd_err_set(e, DD_ECORRUPT,
			    "group %" PRId64 " has a member without a digest",
			    gid);
		}
		artifact_group_hash_add(h, name, d);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		sha_free(h);
		return store_sqlerr(s, e, "reading group members");
	}
	sha_final(h, d);
	sha_free(h);
	hex_encode(d, SHA256_LEN, out);
	return 0;
}
