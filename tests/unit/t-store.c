/* SPDX-License-Identifier: Apache-2.0 */
/* t-store.c: opening, refusing, migrating and cleaning cases (core/store.h). */
#include "core/common.h"
#include "tests/lib/test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/artifact.h"
#include "core/chunk.h"
#include "core/dderr.h"
#include "core/limits.h"
#include "core/sbuf.h"
#include "core/store.h"
#include "core/strtab.h"
#include "core/util.h"
#include "core/xmalloc.h"

static bool
store_t_write_file(struct test_ctx *t, const char *path, const void *p,
    size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	bool ok;

	if (!CHECK(fd >= 0))
		return false;
	ok = CHECK_EQ_INT(write(fd, p, n), n);
	close(fd);
	return ok;
}

static bool
store_t_create(struct test_ctx *t, const char *path)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;

	if (!CHECK_EQ_INT(store_open(path,
			      STORE_CREATE | STORE_WRITE | STORE_NOLOCK, &s,
			      &e),
		0)) {
		printf("#     %s\n", e.msg);
		return false;
	}
	store_close(s);
	return true;
}

/* Run sql on a plain SQLite connection to path (no drydock checks). */
static int
store_t_raw(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
		SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static int64_t
store_t_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Expect store_open(path, flags) to fail with code and a message holding
 * needle. */
static void
store_t_refused(struct test_ctx *t, const char *path, unsigned flags,
    int code, const char *needle)
{
	struct dd_err e = DD_ERR_INIT;
	struct store *s = (struct store *)&e; /* must become NULL */
	int rc;

	rc = store_open(path, flags, &s, &e);
	CHECK(rc < 0);
	if (code)
		CHECK_EQ_INT(rc, code);
	CHECK(s == NULL);
	CHECK_EQ_INT(e.code, rc);
	if (!CHECK(strstr(e.msg, needle) != NULL))
		printf("#     flags %#x, message: %s\n", flags, e.msg);
	if (rc == 0)
		store_close(s);
}

TEST(store_create_reopen)
{
	char *path = test_path(t, "case.drydock");
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	char *v;

	if (!store_t_create(t, path))
		return;
	/* Creating over an existing file is refused. */
	store_t_refused(t, path, STORE_CREATE | STORE_WRITE | STORE_NOLOCK,
	    DD_EEXIST, "exists");

	CHECK_EQ_INT(store_open(path, STORE_WRITE | STORE_NOLOCK, &s, &e), 0);
	if (s == NULL) {
		printf("#     %s\n", e.msg);
		return;
	}
	CHECK(!s->readonly);
	CHECK(store_has_relation(s, "artifacts"));
	CHECK(store_has_relation(s, "artifact_all"));
	CHECK(store_has_relation(s, "custody"));
	CHECK(!store_has_relation(s, "no_such_table"));
	CHECK_EQ_INT(store_t_int(s, "PRAGMA application_id"), STORE_APP_ID);
	CHECK_EQ_INT(store_t_int(s, "PRAGMA user_version"),
	    STORE_SCHEMA_VERSION);
	CHECK_EQ_INT(store_meta_set(s, "k", "v1", &e), 0);
	store_close(s);

	/* Reopen: the meta value persisted. */
	s = NULL;
	CHECK_EQ_INT(store_open(path, STORE_WRITE | STORE_NOLOCK, &s, &e), 0);
	if (s == NULL)
		return;
	v = store_meta_get(s, "k");
	CHECK_EQ_STR(v, "v1");
	free(v);
	CHECK(store_meta_get(s, "missing") == NULL);
	store_close(s);
	store_close(NULL);
}

TEST(store_open_missing)
{
	store_t_refused(t, test_path(t, "nope.drydock"), STORE_RDONLY, DD_EIO,
	    "nope.drydock");
	store_t_refused(t, test_path(t, "nope.drydock"),
	    STORE_WRITE | STORE_NOLOCK, DD_EIO, "nope.drydock");
	/* A directory is not a case. */
	store_t_refused(t, t->tmpdir, STORE_RDONLY, 0, "not a drydock case");
}

TEST(store_refuses_not_sqlite)
{
	char *path = test_path(t, "text.drydock");
	static const char text[] = "this is plainly not an SQLite database, "
				   "just some text that is long enough\n";

	if (!store_t_write_file(t, path, text, sizeof(text) - 1))
		return;
	store_t_refused(t, path, STORE_RDONLY, DD_EFORMAT,
	    "not a drydock case");
	store_t_refused(t, path, STORE_WRITE | STORE_NOLOCK, DD_EFORMAT,
	    "not a drydock case");
	store_t_refused(t, path, STORE_WRITE, DD_EFORMAT,
	    "not a drydock case");
	/* Short and almost-magic files too. */
	if (store_t_write_file(t, path, "SQLite format 3", 15))
		store_t_refused(t, path, STORE_RDONLY, DD_EFORMAT,
		    "not a drydock case");
}

TEST(store_refuses_empty_file)
{
	char *path = test_path(t, "empty.drydock");
	struct stat sb;

	if (!store_t_write_file(t, path, "", 0))
		return;
	store_t_refused(t, path, STORE_RDONLY, DD_EFORMAT,
	    "not a drydock case");
	store_t_refused(t, path, STORE_WRITE | STORE_NOLOCK, DD_EFORMAT,
	    "not a drydock case");
	/* The file was left as it was. */
	CHECK_EQ_INT(stat(path, &sb), 0);
	CHECK_EQ_INT(sb.st_size, 0);
}

TEST(store_refuses_foreign_sqlite)
{
	char *path = test_path(t, "other.db");

	CHECK_EQ_INT(store_t_raw(path, "CREATE TABLE x(a); INSERT INTO x "
				       "VALUES (1);"),
	    SQLITE_OK);
	store_t_refused(t, path, STORE_RDONLY, DD_EFORMAT,
	    "not a drydock case");
	store_t_refused(t, path, STORE_WRITE | STORE_NOLOCK, DD_EFORMAT,
	    "not a drydock case");
	/* Another application's id is refused as well. */
	CHECK_EQ_INT(store_t_raw(path, "PRAGMA application_id = 1234"),
	    SQLITE_OK);
	store_t_refused(t, path, STORE_WRITE | STORE_NOLOCK, DD_EFORMAT,
	    "not a drydock case");
	/* The foreign database was not migrated. */
	CHECK_EQ_INT(store_t_raw(path, "SELECT * FROM meta"), SQLITE_ERROR);
}

TEST(store_refuses_newer_schema)
{
	char *path = test_path(t, "new.drydock");
	char sql[64];

	if (!store_t_create(t, path))
		return;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION + 1);
	CHECK_EQ_INT(store_t_raw(path, sql), SQLITE_OK);
	store_t_refused(t, path, STORE_RDONLY, DD_EUNSUP, "newer");
	store_t_refused(t, path, STORE_WRITE | STORE_NOLOCK, DD_EUNSUP,
	    "newer");
	store_t_refused(t, path, STORE_WRITE, DD_EUNSUP, "newer");
}

TEST(store_readonly)
{
	char *path = test_path(t, "ro.drydock");
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	char lock[4096];
	struct stat sb;

	if (!store_t_create(t, path))
		return;
	CHECK_EQ_INT(store_open(path, STORE_RDONLY, &s, &e), 0);
	if (s == NULL) {
		printf("#     %s\n", e.msg);
		return;
	}
	CHECK(s->readonly);
	CHECK_EQ_INT(s->lock_fd, -1);
	CHECK(store_has_relation(s, "artifacts"));
	CHECK(store_has_relation(s, "custody"));
	CHECK(!store_has_relation(s, "nope"));
	/* Writes fail. */
	CHECK_EQ_INT(store_exec(s, "INSERT INTO meta(key, value) VALUES "
				   "('a', 'b')",
			 &e),
	    DD_ESQL);
	CHECK(e.msg[0] != '\0');
	/* No lock file was made. */
	snprintf(lock, sizeof(lock), "%s.lock", path);
	CHECK(stat(lock, &sb) < 0);
	store_close(s);
}

TEST(store_writer_lock)
{
	char *path = test_path(t, "lock.drydock");
	struct dd_err e = DD_ERR_INIT;
	struct store *a = NULL, *b = NULL, *r = NULL;
	char lock[4096];
	struct stat sb;

	if (!store_t_create(t, path))
		return;
	CHECK_EQ_INT(store_open(path, STORE_WRITE, &a, &e), 0);
	if (a == NULL) {
		printf("#     %s\n", e.msg);
		return;
	}
	CHECK(a->lock_fd >= 0);
	snprintf(lock, sizeof(lock), "%s.lock", path);
	CHECK_EQ_INT(stat(lock, &sb), 0);
	/* A second writer is refused while the first lives... */
	store_t_refused(t, path, STORE_WRITE, DD_EIO, "busy");
	/* ...but a reader is fine. */
	CHECK_EQ_INT(store_open(path, STORE_RDONLY, &r, &e), 0);
	store_close(r);
	store_close(a);
	/* The holder removed the lock file; the next writer gets in. */
	CHECK(stat(lock, &sb) < 0);
	CHECK_EQ_INT(store_open(path, STORE_WRITE, &b, &e), 0);
	store_close(b);
}

/* Write p[0..n) as a blob in the open transaction. */
static int64_t
store_t_blob(struct test_ctx *t, struct store *s, const uint8_t *p, size_t n,
    char hex[SHA256_HEX])
{
	struct dd_err e = DD_ERR_INIT;
	struct blobw *w = NULL;
	struct blob_info bi;

	if (!CHECK_EQ_INT(blobw_new(s, 0, &w, &e), 0))
		return -1;
	CHECK_EQ_INT(blobw_write(w, p, n, &e), 0);
	if (!CHECK_EQ_INT(blobw_finish(w, &bi, &e), 0)) {
		printf("#     %s\n", e.msg);
		blobw_free(w);
		return -1;
	}
	blobw_free(w);
	hex_encode(bi.sha256, SHA256_LEN, hex);
	return bi.id;
}

static int64_t
store_t_artifact(struct test_ctx *t, struct store *s, const char *name,
    const uint8_t *p, size_t n, bool complete)
{
	struct dd_err e = DD_ERR_INIT;
	struct artifact_new an;
	char hex[SHA256_HEX];
	int64_t id = -1, blob;

	memset(&an, 0, sizeof(an));
	an.name = name;
	an.format = "raw";
	an.importer = "raw";
	an.importer_version = "1";
	an.mode = -1;
	an.mtime = -1;
	if (!CHECK_EQ_INT(artifact_begin(s, &an, &id, &e), 0))
		return -1;
	if ((blob = store_t_blob(t, s, p, n, hex)) < 0)
		return -1;
	CHECK_EQ_INT(artifact_set_content(s, id, n, hex, blob, false, "raw",
			 &e),
	    0);
	if (complete)
		CHECK_EQ_INT(artifact_complete(s, id, &e), 0);
	if (e.code)
		printf("#     %s\n", e.msg);
	return id;
}

static int64_t
store_t_chunk_count(struct store *s, const uint8_t *p)
{
	uint8_t d[SHA256_LEN];
	sqlite3_stmt *st;
	int64_t v = -1;

	sha256(p, LIM_CHUNK_SIZE, d);
	if (sqlite3_prepare_v2(s->db,
		"SELECT count(*) FROM chunks WHERE hash = ?", -1, &st,
		NULL) != SQLITE_OK)
		return -2;
	sqlite3_bind_blob(st, 1, d, SHA256_LEN, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
store_t_sink(void *user, const void *p, size_t n, struct dd_err *e)
{
	struct sha *h = user;

	(void)e;
	sha_update(h, p, n);
	return 0;
}

TEST(store_remove_importing)
{
	const size_t C = LIM_CHUNK_SIZE;
	char *path = test_path(t, "imp.drydock");
	struct dd_err e = DD_ERR_INIT;
	uint8_t *x, *y, *z, *ab, *bb, want[SHA256_LEN], got[SHA256_LEN];
	struct store *s = NULL;
	int64_t a = -1, b = -1, blob_a, blob_b;
	struct sha *h;
	size_t i;
	char sql[256];

	/* Three distinct 1 MiB chunks: A = X Y (complete), B = X Z
	 * (importing, shares X). */
	x = xmalloc(C);
	y = xmalloc(C);
	z = xmalloc(C);
	for (i = 0; i < C; i++) {
		x[i] = (uint8_t)(i * 7 + (i >> 11));
		y[i] = (uint8_t)(i * 13 + (i >> 9) + 1);
		z[i] = (uint8_t)(i * 31 + (i >> 10) + 2);
	}
	ab = xmalloc(2 * C);
	bb = xmalloc(2 * C);
	memcpy(ab, x, C);
	memcpy(ab + C, y, C);
	memcpy(bb, x, C);
	memcpy(bb + C, z, C);
	h = sha_new();

	if (!store_t_create(t, path))
		goto out;
	if (!CHECK_EQ_INT(store_open(path, STORE_WRITE | STORE_NOLOCK, &s, &e),
		0))
		goto out;
	/* Nothing to remove in a new case. */
	CHECK_EQ_INT(store_remove_importing(s, &e), 0);
	CHECK_EQ_INT(s->removed_now, 0);

	CHECK_EQ_INT(store_begin(s, &e), 0);
	a = store_t_artifact(t, s, "a.bin", ab, 2 * C, true);
	CHECK_EQ_INT(store_commit(s, &e), 0);
	CHECK_EQ_INT(store_begin(s, &e), 0);
	b = store_t_artifact(t, s, "b.bin", bb, 2 * C, false);
	CHECK_EQ_INT(store_commit(s, &e), 0);
	if (!CHECK(a > 0 && b > 0))
		goto out;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO anomaly_all(artifact_id, offset, message) VALUES "
	    "(%" PRId64 ", 1, 'a'), (%" PRId64 ", 2, 'b')",
	    a, b);
	CHECK_EQ_INT(sqlite3_exec(s->db, sql, NULL, NULL, NULL), SQLITE_OK);
	blob_a = store_t_int(s, "SELECT blob_id FROM artifact_all WHERE "
				"name = 'a.bin'");
	blob_b = store_t_int(s, "SELECT blob_id FROM artifact_all WHERE "
				"name = 'b.bin'");
	CHECK(blob_a > 0 && blob_b > 0 && blob_a != blob_b);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM chunks"), 3);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM artifacts"), 1);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM anomalies"), 1);

	/* An open transaction is rolled back first. */
	CHECK_EQ_INT(store_begin(s, &e), 0);
	CHECK_EQ_INT(store_remove_importing(s, &e), 0);
	if (e.code)
		printf("#     %s\n", e.msg);
	CHECK(!s->in_tx);
	CHECK_EQ_INT(s->removed_now, 1);

	/* B and what only B used are gone... */
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM artifact_all"), 1);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM artifact_all WHERE "
				    "state = 'importing'"),
	    0);
	CHECK_EQ_INT(store_t_chunk_count(s, z), 0);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM chunks"), 2);
	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM blob_parts WHERE blob_id = %" PRId64, blob_b);
	CHECK_EQ_INT(store_t_int(s, sql), 0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM blobs WHERE id = %" PRId64,
	    blob_b);
	CHECK_EQ_INT(store_t_int(s, sql), 0);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM anomaly_all"), 1);
	/* ...and A, with the chunk it shared with B, is intact. */
	CHECK_EQ_INT(store_t_chunk_count(s, x), 1);
	CHECK_EQ_INT(store_t_chunk_count(s, y), 1);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM artifacts"), 1);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM anomalies"), 1);
	sha256(ab, 2 * C, want);
	CHECK_EQ_INT(blob_copy_out(s, blob_a, store_t_sink, h, NULL, NULL,
			 got, &e),
	    0);
	CHECK_MEM(got, want, SHA256_LEN);

	/* Nothing more to do. */
	CHECK_EQ_INT(store_remove_importing(s, &e), 0);
	CHECK_EQ_INT(s->removed_now, 0);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM chunks"), 2);

	/* An abandoned import is removed when a writer opens the case. */
	CHECK_EQ_INT(store_begin(s, &e), 0);
	b = store_t_artifact(t, s, "b2.bin", bb, 2 * C, false);
	CHECK_EQ_INT(store_commit(s, &e), 0);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM chunks"), 3);
	store_close(s);
	s = NULL;
	if (!CHECK_EQ_INT(store_open(path, STORE_WRITE, &s, &e), 0)) {
		printf("#     %s\n", e.msg);
		goto out;
	}
	CHECK_EQ_INT(s->removed_imports, 1);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM chunks"), 2);
	CHECK_EQ_INT(store_t_chunk_count(s, z), 0);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM artifact_all"), 1);
out:
	store_close(s);
	sha_free(h);
	free(x);
	free(y);
	free(z);
	free(ab);
	free(bb);
}

/* Intern each string of v (n of them) into a new string table over s and
 * return how many rows strings holds afterwards. */
static int64_t
store_t_intern(struct test_ctx *t, struct store *s, const char *const *v,
    size_t n, int64_t *ids)
{
	struct dd_err e = DD_ERR_INIT;
	struct strtab *st = strtab_new(s);
	size_t i;

	CHECK_EQ_INT(store_begin(s, &e), 0);
	for (i = 0; i < n; i++)
		CHECK_EQ_INT(strtab_intern_str(st, v[i], &ids[i], &e), 0);
	CHECK_EQ_INT(store_commit(s, &e), 0);
	strtab_free(st);
	return store_t_int(s, "SELECT count(*) FROM strings");
}

/* One row per distinct stored text: a fresh case skips the table lookup
 * (its cache holds every string), but an invalid byte stored as \xNN may
 * equal another string's literal text, in either order, and a second
 * writer finds the first one's strings. */
/* A string's text: ASCII runs (NUL included) kept, valid UTF-8 kept,
 * every other byte written as \xNN, a sequence cut at the end too. */
TEST(strtab_text_escapes)
{
	static const char in[] = "ab\xff/c\xc3\xa9\0z\xc0\xaf\xe2\x82";
	static const char want[] = "ab\\xff/c\xc3\xa9\0z\\xc0\\xaf\\xe2\\x82";
	struct sbuf b = SBUF_INIT;

	CHECK_EQ_INT(strtab_text(&b, in, sizeof(in) - 1), 0);
	if (CHECK_EQ_INT((int64_t)b.len, (int64_t)sizeof(want) - 1))
		CHECK(memcmp(b.buf, want, b.len) == 0);
	sbuf_release(&b);
}

TEST(strtab_one_row_per_text)
{
	static const char *const v1[] = { "/etc/shadow", "a\xff", "a\\xff",
		"/etc/shadow", "a\xff" };
	static const char *const v2[] = { "b\\xfe", "b\xfe", "/etc/shadow",
		"/etc/passwd", "a\\xff" };
	char *path = test_path(t, "strtab.drydock");
	struct dd_err e = DD_ERR_INIT;
	struct store *s = NULL;
	int64_t id1[5], id2[5];

	if (!store_t_create(t, path) ||
	    !CHECK_EQ_INT(store_open(path, STORE_WRITE | STORE_NOLOCK, &s, &e),
		0))
		return;
	CHECK_EQ_INT(store_t_intern(t, s, v1, 5, id1), 2);
	CHECK(id1[0] > 0 && id1[1] > 0);
	CHECK_EQ_INT(id1[1], id1[2]);
	CHECK_EQ_INT(id1[3], id1[0]);
	CHECK_EQ_INT(id1[4], id1[1]);
	CHECK_EQ_INT(store_t_intern(t, s, v2, 5, id2), 4);
	CHECK_EQ_INT(id2[0], id2[1]);
	CHECK_EQ_INT(id2[2], id1[0]);
	CHECK_EQ_INT(id2[4], id1[1]);
	CHECK(id2[3] != id1[0] && id2[3] != id2[0]);
	/* Every row is in the trigram index. */
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM strings_fts WHERE "
				    "s LIKE '%xff%'"),
	    1);
	CHECK_EQ_INT(store_t_int(s, "SELECT count(*) FROM strings_fts WHERE "
				    "s LIKE '%/etc/%'"),
	    2);
	store_close(s);
}
