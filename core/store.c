/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c: opening, migrating, locking and cleaning the case store; the
 * statement cache and transaction helpers. See store.h.
 */
#include "core/common.h"
#include "core/store.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"

extern const char store_schema_sql[];
int evtab_register(struct sqlite3 *db, struct store *s);
int packtab_register(struct sqlite3 *db, struct store *s);

/* Rows (or chunk megabytes) written before a batch commits. */
#define STORE_BATCH_ROWS 20000
/* A bulk import starts the write-back of what it wrote (store_tick) about
 * every 8 MiB of chunks (2,500 rows). */
#define STORE_WB_ROWS (STORE_BATCH_ROWS / 8)
#define STORE_BULK_NS 1000000000 /* a bulk batch's longest life */

struct store_stmt {
	const char *sql;
	sqlite3_stmt *st;
};

const char *const store_owned_tables[] = {
	"anomaly_all",
	"event_chunks",
	"event_threads",
	"process_all",
	"exec_all",
	"label_all",
	"flow_all",
	"dns_all",
	"http_all",
	"tls_all",
	"arp_all",
	"dhcp_all",
	"packet_chunks",
	"layer_all",
	"file_all",
	"image_all",
	"image_step_all",
	"fs_all",
	"package_all",
	"dockerfile_all",
	"provenance_all",
	"mapping_all",
	"thread_all",
	"procinfo_all",
	"namespace_all",
	"cgroup_all",
	"fd_all",
	"socket_all",
	"mount_all",
	"environ_all",
	"container_meta_all",
	"container_mount_all",
	"container_device_all",
	"container_cap_all",
	"log_row_all",
	"log_chunk_all",
	"k8s_audit_row_all",
	"k8s_audit_chunk_all",
	"audit_row_all",
	"audit_chunk_all",
	"alert_all",
	"drift_all",
	"runtime_layer_all",
	"daemon_setting_all",
	"k8s_object_all",
	"resource_all",
	NULL,
};

int
store_sqlerr(struct store *s, struct dd_err *e, const char *what)
{
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : "no database";

	return dd_err_set(e, DD_ESQL, "case '%s': %s: %s",
	    s && s->path ? s->path : "?", what, msg);
}

sqlite3_stmt *
store_stmt(struct store *s, const char *sql, struct dd_err *e)
{
	sqlite3_stmt *st;
	int i;

	for (i = 0; i < s->nstmts; i++) {
		if (s->stmts[i].sql == sql) {
			st = s->stmts[i].st;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
		NULL) != SQLITE_OK) {
		store_sqlerr(s, e, "preparing a statement");
		return NULL;
	}
	if (s->nstmts == s->astmts) {
		s->astmts = s->astmts ? s->astmts * 2 : 32;
		s->stmts = xreallocarray(s->stmts, (size_t)s->astmts,
		    sizeof(*s->stmts));
	}
	s->stmts[s->nstmts].sql = sql;
	s->stmts[s->nstmts].st = st;
	s->nstmts++;
	return st;
}

int
store_exec(struct store *s, const char *sql, struct dd_err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		dd_err_set(e, DD_ESQL, "case '%s': %s", s->path,
		    msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return DD_ESQL;
	}
	return 0;
}

int
store_step_done(struct store *s, sqlite3_stmt *st, struct dd_err *e)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_sqlerr(s, e, "writing");
		sqlite3_reset(st);
		return DD_ESQL;
	}
	sqlite3_reset(st);
	return 0;
}

int
store_begin(struct store *s, struct dd_err *e)
{
	if (s->in_tx)
		BUG("nested transaction");
	if (store_exec(s, "BEGIN IMMEDIATE", e) < 0)
		return DD_ESQL;
	s->in_tx = true;
	s->batch_rows = 0;
	if (s->bulk)
		s->batch_t0 = mono_ns();
	return 0;
}

int
store_commit(struct store *s, struct dd_err *e)
{
	if (!s->in_tx)
		BUG("commit without transaction");
	if (store_exec(s, "COMMIT", e) < 0) {
		store_rollback(s);
		return DD_ESQL;
	}
	s->in_tx = false;
	return 0;
}

void
store_rollback(struct store *s)
{
	if (!s->in_tx)
		return;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
}

int
store_tick(struct store *s, int rows, struct dd_err *e)
{
	s->batch_rows += rows;
	/* The pages SQLite has handed to the kernel go to disk now, while
	 * the import goes on, not all at the commit's fdatasync (a 512 MiB
	 * capture spent 0.46 s in 8 of them). Safe whenever: the kernel may
	 * write a dirty page at any time, and SQLite writes a page of the
	 * case only after syncing the journal that can undo it. */
	bool due = false;

	if (s->wb_fd >= 0 && (s->wb_rows += rows) >= STORE_WB_ROWS) {
		(void)sync_file_range(s->wb_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
		s->wb_rows = 0;
		/* A reader that opens the case meanwhile waits for the
		 * commit (the batch holds the case's lock once SQLite
		 * spills): a batch lasts a second at most. */
		due = mono_ns() - s->batch_t0 > STORE_BULK_NS;
	}
	/* Through the rollback journal a batch costs no memory (the journal
	 * holds the few pre-existing pages it changed; SQLite spills the
	 * rest to the case), and each commit waits for two fdatasyncs
	 * (15-25 ms each here): bulk batches are eight times larger. */
	if (!due &&
	    s->batch_rows < (s->bulk ? 8 * STORE_BATCH_ROWS : STORE_BATCH_ROWS))
		return 0;
	if (store_commit(s, e) < 0)
		return DD_ESQL;
	return store_begin(s, e);
}

int64_t
store_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(s->db);
}

char *
store_meta_get(struct store *s, const char *key)
{
	sqlite3_stmt *st;
	char *v = NULL;

	st = store_stmt(s, "SELECT value FROM meta WHERE key = ?", NULL);
	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return v;
}

int
store_meta_set(struct store *s, const char *key, const char *value,
    struct dd_err *e)
{
	sqlite3_stmt *st;

	st = store_stmt(s, "INSERT OR REPLACE INTO meta(key, value) "
			   "VALUES (?, ?)", e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	return store_step_done(s, st, e);
}

bool
store_has_relation(struct store *s, const char *name)
{
	sqlite3_stmt *st;
	bool found;

	/* events is an eponymous virtual table (core/evtab.c), never in the
	 * schema: the case has it when it has the event store */
	if (strcmp(name, "events") == 0)
		name = "event_chunks";
	st = store_stmt(s, "SELECT 1 FROM sqlite_schema WHERE name = ? "
			   "AND type IN ('table', 'view')", NULL);
	if (st == NULL)
		return false;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static int
store_pragma_int(struct store *s, const char *sql, int64_t *v,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "reading the case header");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*v = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		store_sqlerr(s, e, "reading the case header");
		rc = DD_ESQL;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Run the migrations above version `from`. Called inside a transaction. */
static int
store_migrate(struct store *s, int64_t from, struct dd_err *e)
{
	const char *p = store_schema_sql, *next;
	struct sbuf sql = SBUF_INIT;
	int64_t n = 0;
	int rc = 0;
	const char *marker = "-- migration ";

	while ((p = strstr(p, marker)) != NULL) {
		p += strlen(marker);
		n = strtoll(p, NULL, 10);
		next = strstr(p, marker);
		if (n <= from) {
			p = next ? next : p + strlen(p);
			continue;
		}
		sbuf_reset(&sql);
		sbuf_add(&sql, p, next ? (size_t)(next - p) : strlen(p));
		/* Skip the rest of the marker line (the number). */
		if ((rc = store_exec(s, strchr(sql.buf, '\n') ?
			    strchr(sql.buf, '\n') : "", e)) < 0)
			break;
		if (next == NULL)
			break;
		p = next;
	}
	sbuf_release(&sql);
	if (rc < 0)
		return rc;
	{
		char v[64];
		snprintf(v, sizeof(v), "PRAGMA user_version = %d",
		    STORE_SCHEMA_VERSION);
		rc = store_exec(s, v, e);
	}
	return rc;
}

int
store_remove_importing(struct store *s, struct dd_err *e)
{
	int64_t n = 0;
	int i;
	char sql[256];

	s->removed_now = 0;
	if (s->in_tx)
		store_rollback(s);
	if (store_pragma_int(s,
		"SELECT count(*) FROM artifact_all WHERE state = 'importing'",
		&n, e) < 0)
		return DD_ESQL;
	if (n == 0)
		return 0;
	if (store_begin(s, e) < 0)
		return DD_ESQL;
	/* Chunk summaries hang off event chunks: remove them first. */
	if (store_exec(s,
		"DELETE FROM event_chunk_names WHERE chunk_id IN (SELECT c.id "
		"FROM event_chunks c JOIN artifact_all a ON a.id = "
		"c.artifact_id WHERE a.state = 'importing');"
		"DELETE FROM event_chunk_tids WHERE chunk_id IN (SELECT c.id "
		"FROM event_chunks c JOIN artifact_all a ON a.id = "
		"c.artifact_id WHERE a.state = 'importing')",
		e) < 0)
		goto fail;
	for (i = 0; store_owned_tables[i] != NULL; i++) {
		snprintf(sql, sizeof(sql),
		    "DELETE FROM %s WHERE artifact_id IN (SELECT id FROM "
		    "artifact_all WHERE state = 'importing')",
		    store_owned_tables[i]);
		if (store_exec(s, sql, e) < 0)
			goto fail;
	}
	if (store_exec(s,
		/* A blob belongs to a complete artifact (its original) or
		 * to a remaining layer (a decompressed layer stream). */
		"DELETE FROM blob_parts WHERE blob_id NOT IN (SELECT blob_id "
		"FROM artifact_all WHERE state = 'complete' AND blob_id IS NOT "
		"NULL) AND blob_id NOT IN (SELECT blob_id FROM layer_all WHERE "
		"blob_id IS NOT NULL);"
		"DELETE FROM blobs WHERE id NOT IN (SELECT blob_id FROM "
		"blob_parts) AND id NOT IN (SELECT blob_id FROM artifact_all "
		"WHERE state = 'complete' AND blob_id IS NOT NULL);"
		"DELETE FROM artifact_all WHERE state = 'importing';"
		"DELETE FROM chunks WHERE NOT EXISTS (SELECT 1 FROM blob_parts "
		"WHERE chunk_id = chunks.id);",
		e) < 0)
		goto fail;
	if (store_commit(s, e) < 0)
		return DD_ESQL;
	s->removed_now = (int)n;
	return 0;
fail:
	store_rollback(s);
	return DD_ESQL;
}

/* Escape a path for a file: URI (RFC 3986 unreserved kept). */
static void
store_uri(struct sbuf *sb, const char *path, const char *query)
{
	const unsigned char *p;

	sbuf_addstr(sb, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p))
			sbuf_addch(sb, *p);
		else
			sbuf_addf(sb, "%%%02X", *p);
	}
	sbuf_addf(sb, "?%s", query);
}

static int
store_check_file(const char *path, struct dd_err *e)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char head[16];
	struct stat sb;
	ssize_t n;
	int fd;

	if (stat(path, &sb) < 0)
		return dd_err_set(e, DD_EIO, "cannot open case '%s': %s", path,
		    strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a drydock case (not a regular file)", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return dd_err_set(e, DD_EIO, "cannot open case '%s': %s", path,
		    strerror(errno));
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n != (ssize_t)sizeof(head) || memcmp(head, magic, 16) != 0)
		return dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a drydock case (not an SQLite database)",
		    path);
	return 0;
}

static int
store_lock(struct store *s, struct dd_err *e)
{
	char *lp = xasprintf("%s.lock", s->path);
	struct stat a, b;
	int tries;

	/* The lock file is removed by its holder on close; after taking the
	 * lock, check it is still the file at that path (else retry). */
	for (tries = 0; tries < 100; tries++) {
		s->lock_fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
		if (s->lock_fd < 0) {
			dd_err_set(e, DD_EIO, "cannot create lock '%s': %s", lp,
			    strerror(errno));
			free(lp);
			return DD_EIO;
		}
		if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
			dd_err_set(e, DD_EIO,
			    "case '%s' is busy: another drydock is writing it "
			    "(lock '%s')",
			    s->path, lp);
			close(s->lock_fd);
			s->lock_fd = -1;
			free(lp);
			return DD_EIO;
		}
		if (fstat(s->lock_fd, &a) == 0 && stat(lp, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			free(lp);
			return 0;
		}
		close(s->lock_fd);
		s->lock_fd = -1;
	}
	free(lp);
	return dd_err_set(e, DD_EIO, "cannot take the lock of case '%s'",
	    s->path);
}

/* ---- the checkpointer ----
 *
 * A writer's commits go to the WAL, and SQLite's automatic checkpoint
 * copies them into the case file on the committing thread: the import
 * stops while 64 MiB are copied and synced, every 64 MiB. Instead, once a
 * commit leaves more than STORE_CKPT_PAGES in the WAL, a thread with a
 * connection of its own runs PASSIVE checkpoints beside the import (they
 * never block the writer; the WAL restarts from its beginning whenever a
 * write transaction starts after one caught up). Past STORE_CKPT_HARD
 * pages the committing thread waits for the running checkpoint and
 * checkpoints itself, so the WAL stays bounded when the disk is slower
 * than the import. What is left at the end is checkpointed by the close,
 * as before. Crash safety is the WAL's own: nothing here changes what a
 * commit makes durable. */
#define STORE_CKPT_PAGES 512	/* 32 MiB of 64 KiB pages */
#define STORE_CKPT_HARD 8192	/* 512 MiB */

struct store_ckpt {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	sqlite3 *db;
	bool want, busy, stop;
};

static void *
store_ckpt_main(void *arg)
{
	struct store_ckpt *c = arg;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!c->want && !c->stop)
			pthread_cond_wait(&c->cv, &c->mu);
		if (c->stop)
			break;
		c->want = false;
		c->busy = true;
		pthread_mutex_unlock(&c->mu);
		(void)sqlite3_wal_checkpoint_v2(c->db, "main",
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->mu);
		c->busy = false;
		pthread_cond_broadcast(&c->cv);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

/* Start s's checkpointer; NULL when it cannot (the caller checkpoints). */
static struct store_ckpt *
store_ckpt_start(struct store *s)
{
	struct store_ckpt *c = xcalloc(1, sizeof(*c));
	struct sbuf uri = SBUF_INIT;
	int rc;

	store_uri(&uri, s->path, "mode=rw");
	rc = sqlite3_open_v2(uri.buf, &c->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	sbuf_release(&uri);
	if (rc == SQLITE_OK) {
		sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
		    NULL);
	}
	/* a first read opens the WAL (until then the connection does not
	 * know the case is in WAL mode, and a checkpoint does nothing) */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c->db, "SELECT count(*) FROM sqlite_schema",
		    NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	if (pthread_create(&c->th, NULL, store_ckpt_main, c) != 0) {
		pthread_mutex_destroy(&c->mu);
		pthread_cond_destroy(&c->cv);
		sqlite3_close(c->db);
		free(c);
		return NULL;
	}
	return c;
}

static void
store_ckpt_stop(struct store *s)
{
	struct store_ckpt *c = s->ckpt;

	if (c == NULL)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	pthread_join(c->th, NULL);
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->cv);
	sqlite3_close(c->db);
	free(c);
	s->ckpt = NULL;
}

/* sqlite3_wal_hook: after each commit of the writer, with the WAL's size
 * in pages (this replaces SQLite's automatic checkpoint). */
static int
store_wal_hook(void *user, sqlite3 *db, const char *name, int pages)
{
	struct store *s = user;
	struct store_ckpt *c;

	if (pages < STORE_CKPT_PAGES)
		return SQLITE_OK;
	if (s->ckpt == NULL && (s->ckpt = store_ckpt_start(s)) == NULL) {
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return SQLITE_OK;
	}
	c = s->ckpt;
	pthread_mutex_lock(&c->mu);
	if (pages >= STORE_CKPT_HARD) {
		while (c->busy || c->want)
			pthread_cond_wait(&c->cv, &c->mu);
		pthread_mutex_unlock(&c->mu);
		(void)sqlite3_wal_checkpoint_v2(db, name,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return SQLITE_OK;
	}
	c->want = true;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
	return SQLITE_OK;
}

/* The journal mode s->db reports ("wal", "truncate"...), lower case, in
 * buf. */
static void
store_journal_mode(struct store *s, char *buf, size_t n)
{
	sqlite3_stmt *st = NULL;

	buf[0] = '\0';
	if (sqlite3_prepare_v2(s->db, "PRAGMA journal_mode", -1, &st, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0) != NULL)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* A writer's journal. A working case is in WAL mode (a case left in the
 * rollback journal by a killed import is put back). An import
 * (STORE_BULK) takes the rollback journal instead when it is the case's
 * only connection: SQLite journals only the pages a transaction changes
 * that existed before it, so the pages an import appends (nearly all it
 * writes) go to the case once, where WAL mode writes them to the WAL and
 * copies them again at the checkpoint. Measured on a 1 GiB core: system
 * time 1.7-2.3 s -> 0.9-1.1 s. With a reader open (the TUI) the switch
 * would wait for it, so it is tried without waiting and the import stays
 * in WAL mode. A killed import leaves a hot journal, rolled back by the
 * next connection; its unfinished artifact is then removed as ever. */
static int
store_journal(struct store *s, unsigned flags, struct dd_err *e)
{
	char mode[16];

	if (s->sealed)
		return 0;
	store_journal_mode(s, mode, sizeof(mode));
	if (strcmp(mode, "wal") != 0 &&
	    store_exec(s, "PRAGMA journal_mode = WAL", e) < 0)
		return DD_ESQL;
	if (!(flags & STORE_BULK))
		return 0;
	sqlite3_busy_timeout(s->db, 0);
	(void)sqlite3_exec(s->db, "PRAGMA journal_mode = TRUNCATE", NULL, NULL,
	    NULL);
	sqlite3_busy_timeout(s->db, 10000);
	store_journal_mode(s, mode, sizeof(mode));
	s->bulk = strcmp(mode, "truncate") == 0;
	/* For store_tick's write-back. Closed only after the connection:
	 * closing a descriptor of the case drops the process's POSIX locks
	 * on it, SQLite's included. */
	if (s->bulk)
		s->wb_fd = open(s->path, O_RDONLY | O_CLOEXEC);
	return 0;
}

/* A read-only connection cannot roll back the journal a killed import
 * left (SQLite refuses: "attempt to write a readonly database"). When
 * path-journal holds anything and the case is writable, a read-write
 * connection's first read rolls it back (SQLite does so only when no
 * writer holds the case: a live import's journal is left alone). */
static void
store_recover_journal(const char *path)
{
	char *jp = xasprintf("%s-journal", path);
	struct sbuf uri = SBUF_INIT;
	struct stat sb;
	sqlite3 *db = NULL;

	if (stat(jp, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
	    access(path, W_OK) == 0 && access(jp, W_OK) == 0) {
		store_uri(&uri, path, "mode=rw");
		if (sqlite3_open_v2(uri.buf, &db,
			SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI |
			    SQLITE_OPEN_NOMUTEX,
			NULL) == SQLITE_OK) {
			sqlite3_busy_timeout(db, 10000);
			(void)sqlite3_exec(db,
			    "SELECT count(*) FROM sqlite_schema", NULL, NULL,
			    NULL);
		}
		sqlite3_close(db);
	}
	sbuf_release(&uri);
	free(jp);
}

int
store_open(const char *path, unsigned flags, struct store **out,
    struct dd_err *e)
{
	struct store *s;
	struct sbuf uri = SBUF_INIT;
	int64_t appid = 0, ver = 0;
	int oflags, rc = 0;
	char *sealed;
	struct stat sb;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->lock_fd = -1;
	s->wb_fd = -1;
	s->readonly = (flags & STORE_RDONLY) != 0;

	if (flags & STORE_CREATE) {
		if (lstat(path, &sb) == 0) {
			rc = dd_err_set(e, DD_EEXIST,
			    "cannot create case '%s': file exists", path);
			goto fail;
		}
	} else if ((rc = store_check_file(path, e)) < 0) {
		goto fail;
	}
	if (!s->readonly && !(flags & STORE_NOLOCK) &&
	    (rc = store_lock(s, e)) < 0)
		goto fail;

	if (s->readonly) {
		store_recover_journal(path);
		/* On write-protected media SQLite cannot make the -shm file
		 * a WAL case needs: open immutable then. */
		char *dir = xstrdup(path), *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		store_uri(&uri, path,
		    access(slash ? dir : ".", W_OK) == 0 &&
			    access(path, W_OK) == 0 ?
			"mode=ro" :
			"mode=ro&immutable=1");
		free(dir);
		oflags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
	} else {
		store_uri(&uri, path, "mode=rw");
		oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI;
		if (flags & STORE_CREATE) {
			sbuf_reset(&uri);
			store_uri(&uri, path, "mode=rwc");
			oflags |= SQLITE_OPEN_CREATE;
		}
	}
	oflags |= SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (sqlite3_open_v2(uri.buf, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = store_sqlerr(s, e, "opening");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0,
	    NULL);
	sqlite3_busy_timeout(s->db, 10000);
	if (store_register_functions(s->db) != SQLITE_OK ||
	    evtab_register(s->db, s) != SQLITE_OK ||
	    packtab_register(s->db, s) != SQLITE_OK) {
		rc = store_sqlerr(s, e, "registering functions");
		goto fail;
	}

	if (flags & STORE_CREATE) {
		char v[64];
		if ((rc = store_exec(s, "PRAGMA page_size = 65536", e)) < 0 ||
		    (rc = store_exec(s, "PRAGMA journal_mode = WAL", e)) < 0)
			goto fail;
		snprintf(v, sizeof(v), "PRAGMA application_id = %d",
		    STORE_APP_ID);
		if ((rc = store_exec(s, v, e)) < 0)
			goto fail;
	}
	if ((rc = store_pragma_int(s, "PRAGMA application_id", &appid, e)) <
		0 ||
	    (rc = store_pragma_int(s, "PRAGMA user_version", &ver, e)) < 0)
		goto fail;
	if (appid != STORE_APP_ID) {
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' is not a drydock case (SQLite application id %#" PRIx64
		    ")",
		    path, (uint64_t)appid);
		goto fail;
	}
	if (ver > STORE_SCHEMA_VERSION) {
		rc = dd_err_set(e, DD_EUNSUP,
		    "case '%s' has schema version %" PRId64
		    ", newer than this drydock understands (%d): use a newer "
		    "drydock",
		    path, ver, STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (s->readonly) {
		if (ver < STORE_SCHEMA_VERSION) {
			rc = dd_err_set(e, DD_EUNSUP,
			    "case '%s' has schema version %" PRId64
			    " and must be upgraded by a writing command first",
			    path, ver);
			goto fail;
		}
	} else {
		/* A writer's page cache of 16 MiB (the default 2 MiB is 31
		 * pages of 64 KiB): index and FTS pages touched by every
		 * import stay resident instead of being read back from the
		 * WAL (3,700 preads on a 300 MiB trace). */
		if ((rc = store_exec(s, "PRAGMA synchronous = NORMAL", e)) < 0 ||
		    (rc = store_exec(s, "PRAGMA cache_size = -16384", e)) < 0)
			goto fail;
		sqlite3_wal_hook(s->db, store_wal_hook, s);
		if (ver < STORE_SCHEMA_VERSION) {
			if ((rc = store_begin(s, e)) < 0)
				goto fail;
			if ((rc = store_migrate(s, ver, e)) < 0) {
				store_rollback(s);
				goto fail;
			}
			if ((rc = store_commit(s, e)) < 0)
				goto fail;
		}
		sealed = store_meta_get(s, "sealed");
		s->sealed = sealed != NULL && strcmp(sealed, "1") == 0;
		if (s->sealed && !(flags & STORE_KEEPMODE)) {
			/* Writing to a sealed case unseals it (recorded by
			 * the writer's custody row). */
			if ((rc = store_exec(s, "PRAGMA journal_mode = WAL",
				 e)) < 0 ||
			    (rc = store_meta_set(s, "sealed", "0", e)) < 0) {
				free(sealed);
				goto fail;
			}
			s->sealed = false;
		}
		free(sealed);
		if ((rc = store_exec(s, "PRAGMA foreign_keys = ON", e)) < 0 ||
		    (rc = store_journal(s, flags, e)) < 0)
			goto fail;
		if (s->lock_fd >= 0 &&
		    (rc = store_remove_importing(s, e)) < 0)
			goto fail;
		s->removed_imports = s->removed_now;
	}
	if (s->readonly) {
		sealed = store_meta_get(s, "sealed");
		s->sealed = sealed != NULL && strcmp(sealed, "1") == 0;
		free(sealed);
	}
	sbuf_release(&uri);
	*out = s;
	return 0;
fail:
	sbuf_release(&uri);
	store_close(s);
	if (rc == 0)
		rc = DD_EINTERNAL;
	return rc;
}

void
store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	free(s->known);
	store_rollback(s);
	store_ckpt_stop(s);
	for (i = 0; i < s->nstmts; i++)
		sqlite3_finalize(s->stmts[i].st);
	free(s->stmts);
	if (s->db && s->bulk)
		(void)sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL,
		    NULL, NULL);
	if (s->db)
		sqlite3_close(s->db);
	if (s->wb_fd >= 0)
		close(s->wb_fd); /* after the connection: see store_journal */
	if (s->lock_fd >= 0) {
		char *lp = xasprintf("%s.lock", s->path);
		unlink(lp);
		free(lp);
		close(s->lock_fd);
	}
	free(s->path);
	free(s);
}

int
store_seal(struct store *s, struct dd_err *e)
{
	store_ckpt_stop(s); /* leaving WAL mode needs the only connection */
	if (store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", e) < 0 ||
	    store_exec(s, "PRAGMA journal_mode = DELETE", e) < 0)
		return DD_ESQL;
	s->sealed = true;
	return 0;
}
