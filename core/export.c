/* SPDX-License-Identifier: Apache-2.0 */
/* export.c: replay recipes to files, tars and directories; see export.h. */
#include "core/common.h"
#include "core/export.h"

#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/lib-archive.h"
#include <sqlite3.h>

#include "core/dderr.h"
#include "core/store.h"
#include "core/xmalloc.h"

int
export_lookup(struct store *s, int64_t id, struct export_info *info,
    struct dd_err *e)
{
	sqlite3_stmt *st;
	int rc;

	memset(info, 0, sizeof(*info));
	st = store_stmt(s,
	    "SELECT a.id, a.blob_id, a.format = 'group', a.reference, a.size, "
	    "a.sha256, a.name, a.source_path, a.group_id, g.name FROM "
	    "artifact_all a LEFT JOIN artifact_all g ON g.id = a.group_id "
	    "WHERE a.id = ? AND a.state = 'complete'",
	    e);
	if (st == NULL)
		return DD_ESQL;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			return dd_err_set(e, DD_ENOTFOUND,
			    "no artifact %" PRId64 " in case '%s'", id,
			    s->path);
		return store_sqlerr(s, e, "reading artifacts");
	}
	if (sqlite3_column_type(st, 1) == SQLITE_NULL &&
	    sqlite3_column_int(st, 2) == 0 && sqlite3_column_int(st, 3) == 0 &&
	    sqlite3_column_type(st, 8) != SQLITE_NULL) {
		/* A member of an archive artifact has no original of its
		 * own: its bytes are inside the archive's. */
		int64_t gid = sqlite3_column_int64(st, 8);
		rc = dd_err_set(e, DD_EUSAGE,
		    "artifact %" PRId64 " '%s' is a member of archive "
		    "artifact %" PRId64 " '%s' and has no original of its "
		    "own: export artifact %" PRId64 " and take the member "
		    "from it",
		    id, sqlite3_column_text(st, 6) ?
			(const char *)sqlite3_column_text(st, 6) : "?",
		    gid, sqlite3_column_text(st, 9) ?
			(const char *)sqlite3_column_text(st, 9) : "?",
		    gid);
		sqlite3_reset(st);
		return rc;
	}
	info->id = sqlite3_column_int64(st, 0);
	info->blob_id = sqlite3_column_int64(st, 1);
	info->group = sqlite3_column_int(st, 2) != 0;
	info->reference = sqlite3_column_int(st, 3) != 0;
	info->size = (uint64_t)sqlite3_column_int64(st, 4);
	snprintf(info->sha256, sizeof(info->sha256), "%s",
	    sqlite3_column_text(st, 5) ? (const char *)sqlite3_column_text(st, 5)
				       : "");
	info->name = xstrdup((const char *)sqlite3_column_text(st, 6));
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		info->source_path =
		    xstrdup((const char *)sqlite3_column_text(st, 7));
	sqlite3_reset(st);
	return 0;
}

void
export_info_release(struct export_info *info)
{
	free(info->name);
	free(info->source_path);
	memset(info, 0, sizeof(*info));
}

/*
 * An asynchronous writer: the exporting thread hands over filled buffers
 * and goes on hashing and decoding while this thread writes them, in
 * pieces of at most EXPORT_PIECE bytes (as zstd's own I/O thread does).
 */
#define EXPORT_BUFS 4
#define EXPORT_BUF (1024u * 1024u)
#define EXPORT_PIECE (128u * 1024u)

struct export_aw {
	int fd;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	uint8_t *buf[EXPORT_BUFS];
	size_t len[EXPORT_BUFS];
	unsigned head, count; /* queued buffers, oldest at head (mu) */
	unsigned cur;	      /* the buffer being filled (filler's own) */
	size_t fill;	      /* bytes in it (filler's own) */
	bool done;	      /* no more buffers will come (mu) */
	int err;	      /* errno of the first failed write, or 0 (atomic) */
};

static void *
export_aw_main(void *arg)
{
	struct export_aw *w = arg;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->count == 0 && !w->done)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->count == 0 && w->done)
			break;
		{
			uint8_t *b = w->buf[w->head];
			size_t n = w->len[w->head];
			pthread_mutex_unlock(&w->mu);
			for (size_t off = 0; off < n && w->err == 0;
			     off += EXPORT_PIECE)
				if (write_all(w->fd, b + off,
					MIN(n - off, EXPORT_PIECE)) < 0)
					__atomic_store_n(&w->err, errno,
					    __ATOMIC_RELAXED);
			pthread_mutex_lock(&w->mu);
		}
		w->head = (w->head + 1) % EXPORT_BUFS;
		w->count--;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static void
export_aw_start(struct export_aw *w, int fd)
{
	unsigned i;

	memset(w, 0, sizeof(*w));
	w->fd = fd;
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	for (i = 0; i < EXPORT_BUFS; i++)
		w->buf[i] = xmalloc(EXPORT_BUF);
	if (pthread_create(&w->th, NULL, export_aw_main, w) != 0)
		BUG("cannot start the export writer thread");
}

/* Queue the buffer being filled (caller holds no lock). The filler keeps
 * its own index: head + count, read without the lock, could be taken
 * between the writer's two updates and name a queued buffer. */
static void
export_aw_push(struct export_aw *w)
{
	pthread_mutex_lock(&w->mu);
	w->len[w->cur] = w->fill;
	w->count++;
	w->cur = (w->cur + 1) % EXPORT_BUFS;
	w->fill = 0;
	pthread_cond_broadcast(&w->cv);
	/* Wait until the next buffer to fill is free. */
	while (w->count == EXPORT_BUFS)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static int
export_aw_write(void *user, const void *p, size_t n, struct dd_err *e)
{
	struct export_aw *w = user;
	const uint8_t *b = p;

	while (n > 0) {
		uint8_t *dst = w->buf[w->cur];
		size_t k = MIN(n, EXPORT_BUF - w->fill);
		int err = __atomic_load_n(&w->err, __ATOMIC_RELAXED);
		if (err)
			return dd_err_set(e, DD_EIO, "cannot write: %s",
			    strerror(err));
		memcpy(dst + w->fill, b, k);
		w->fill += k;
		b += k;
		n -= k;
		if (w->fill == EXPORT_BUF)
			export_aw_push(w);
	}
	return 0;
}

/* Flush, stop the thread, free; returns the first write error. */
static int
export_aw_finish(struct export_aw *w, struct dd_err *e)
{
	unsigned i;

	if (w->fill > 0)
		export_aw_push(w);
	pthread_mutex_lock(&w->mu);
	w->done = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	for (i = 0; i < EXPORT_BUFS; i++)
		free(w->buf[i]);
	if (w->err)
		return dd_err_set(e, DD_EIO, "cannot write: %s",
		    strerror(w->err));
	return 0;
}

/* Replay blob of a into out() and prove the digest. */
static int
export_blob(struct store *s, const struct export_info *a, chunk_write_fn out,
    void *user, chunk_progress_fn progress, void *puser, struct dd_err *e)
{
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX];
	int rc;

	if (a->reference || a->blob_id <= 0)
		return dd_err_set(e, DD_EUNSUP,
		    "artifact %" PRId64 " was ingested by reference: its bytes "
		    "are not in the case (original at '%s', sha256 %s)",
		    a->id, a->source_path ? a->source_path : a->name,
		    a->sha256);
	rc = blob_copy_out(s, a->blob_id, out, user, progress, puser, d, e);
	if (rc < 0)
		return dd_err_prefix(e, "artifact %" PRId64, a->id);
	hex_encode(d, SHA256_LEN, hex);
	if (strcmp(hex, a->sha256) != 0)
		return dd_err_set(e, DD_ECORRUPT,
		    "artifact %" PRId64 " replays to sha256 %s, but %s was "
		    "recorded at import: the case is damaged",
		    a->id, hex, a->sha256);
	return 0;
}

int
export_file_fd(struct store *s, const struct export_info *a, int fd,
    chunk_progress_fn progress, void *user, struct dd_err *e)
{
	if (a->group)
		return dd_err_set(e, DD_EUSAGE,
		    "artifact %" PRId64 " is a group: export it as a tar or "
		    "with --dir",
		    a->id);
	{
		struct export_aw w;
		int rc, rc2;

		export_aw_start(&w, fd);
		rc = export_blob(s, a, export_aw_write, &w, progress, user, e);
		rc2 = export_aw_finish(&w, rc < 0 ? NULL : e);
		return rc < 0 ? rc : rc2;
	}
}

/* Members of a group in path order: (id) list. */
static int
export_members(struct store *s, int64_t gid, int64_t **ids, size_t *n,
    struct dd_err *e)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(s->db,
		"SELECT id FROM artifact_all WHERE group_id = ? AND state = "
		"'complete' ORDER BY name COLLATE BINARY",
		-1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "reading group members");
	sqlite3_bind_int64(st, 1, gid);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xreallocarray(*ids, cap, sizeof(**ids));
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		return store_sqlerr(s, e, "reading group members");
	}
	return 0;
}

struct export_tar {
	struct archive *ar;
};

static int
export_write_tar(void *user, const void *p, size_t n, struct dd_err *e)
{
	struct export_tar *t = user;
	la_ssize_t k = archive_write_data(t->ar, p, n);

	if (k < 0 || (size_t)k != n)
		return dd_err_set(e, DD_EIO, "cannot write tar: %s",
		    archive_error_string(t->ar));
	return 0;
}

int
export_group_tar(struct store *s, const struct export_info *g, int fd,
    chunk_progress_fn progress, void *user, struct dd_err *e)
{
	struct archive *ar = NULL;
	struct archive_entry *ent = NULL;
	struct export_tar t;
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = export_members(s, g->id, &ids, &n, e)) < 0)
		return rc;
	ar = archive_write_new();
	archive_write_set_format_pax_restricted(ar);
	if (archive_write_open_fd(ar, fd) != ARCHIVE_OK) {
		rc = dd_err_set(e, DD_EIO, "cannot write tar: %s",
		    archive_error_string(ar));
		goto out;
	}
	t.ar = ar;
	for (i = 0; i < n; i++) {
		struct export_info m;
		if ((rc = export_lookup(s, ids[i], &m, e)) < 0)
			goto out;
		ent = archive_entry_new();
		archive_entry_set_pathname(ent, m.name);
		archive_entry_set_size(ent, (la_int64_t)m.size);
		archive_entry_set_filetype(ent, AE_IFREG);
		archive_entry_set_perm(ent, 0644);
		if (archive_write_header(ar, ent) != ARCHIVE_OK) {
			rc = dd_err_set(e, DD_EIO, "cannot write tar: %s",
			    archive_error_string(ar));
			export_info_release(&m);
			goto out;
		}
		rc = export_blob(s, &m, export_write_tar, &t, progress, user, e);
		export_info_release(&m);
		archive_entry_free(ent);
		ent = NULL;
		if (rc < 0)
			goto out;
	}
	if (archive_write_close(ar) != ARCHIVE_OK) {
		rc = dd_err_set(e, DD_EIO, "cannot finish tar: %s",
		    archive_error_string(ar));
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(ent);
	if (ar)
		archive_write_free(ar);
	free(ids);
	return rc;
}

/* True when a member path is safe to create under a directory. */
static bool
export_path_ok(const char *p)
{
	const char *c = p;

	if (*p == '\0' || *p == '/')
		return false;
	while (*c) {
		const char *slash = strchr(c, '/');
		size_t len = slash ? (size_t)(slash - c) : strlen(c);
		if (len == 0 || (len == 2 && c[0] == '.' && c[1] == '.') ||
		    (len == 1 && c[0] == '.'))
			return false;
		c += len;
		if (*c == '/')
			c++;
	}
	return true;
}

/* mkdir -p for the parent directories of rel under dir. */
static int
export_mkparents(const char *dir, const char *rel, struct dd_err *e)
{
	char *p = xasprintf("%s/%s", dir, rel);
	char *q = p + strlen(dir) + 1;

	while ((q = strchr(q, '/')) != NULL) {
		*q = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			dd_err_set(e, DD_EIO, "cannot create '%s': %s", p,
			    strerror(errno));
			free(p);
			return DD_EIO;
		}
		*q++ = '/';
	}
	free(p);
	return 0;
}

/* Remove a tree this export created (no symlinks are followed). */
static int
export_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static int
export_group_dir_into(struct store *s, const struct export_info *g,
    const char *dir, chunk_progress_fn progress, void *user,
    struct dd_err *e)
{
	int64_t *ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = export_members(s, g->id, &ids, &n, e)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		struct export_info m;
		char *p;
		int fd;

		if ((rc = export_lookup(s, ids[i], &m, e)) < 0)
			goto out;
		if (!export_path_ok(m.name)) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "member %" PRId64 " has an unsafe path; not "
			    "written",
			    m.id);
			export_info_release(&m);
			goto out;
		}
		if ((rc = export_mkparents(dir, m.name, e)) < 0) {
			export_info_release(&m);
			goto out;
		}
		p = xasprintf("%s/%s", dir, m.name);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    0644);
		if (fd < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot create '%s': %s", p,
			    strerror(errno));
			free(p);
			export_info_release(&m);
			goto out;
		}
		rc = export_file_fd(s, &m, fd, progress, user, e);
		if (close(fd) < 0 && rc == 0)
			rc = dd_err_set(e, DD_EIO, "cannot write '%s': %s", p,
			    strerror(errno));
		free(p);
		export_info_release(&m);
		if (rc < 0)
			goto out;
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

int
export_group_dir(struct store *s, const struct export_info *g,
    const char *dir, chunk_progress_fn progress, void *user,
    struct dd_err *e)
{
	struct stat sb;
	char *tmp;
	int rc;

	if (lstat(dir, &sb) == 0)
		return dd_err_set(e, DD_EIO, "cannot create directory '%s': it "
		    "exists", dir);
	/* Written beside the target and renamed into place once every
	 * member is proved; removed on failure. */
	tmp = xasprintf("%s.partial-%d", dir, (int)getpid());
	if (mkdir(tmp, 0755) < 0) {
		rc = dd_err_set(e, DD_EIO, "cannot create directory '%s': %s",
		    tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	rc = export_group_dir_into(s, g, tmp, progress, user, e);
	if (rc == 0 && rename(tmp, dir) < 0)
		rc = dd_err_set(e, DD_EIO, "cannot rename '%s' to '%s': %s",
		    tmp, dir, strerror(errno));
	if (rc < 0)
		nftw(tmp, export_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	return rc;
}
