/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pf-slim.c: the regular files of an image that no trace touched, the
 * complement of what DockerSlim keeps. Touched: the path of an open,
 * exec, stat, access, readlink, chdir or mapping of a file by the
 * events in scope, with symbolic links resolved inside the image (each
 * link on the way is touched too, and a link's target). Reported by
 * directory and by the layer that ships the file, with the bytes that
 * could go.
 */
#include "core/common.h"

#include <jansson.h>
#include <sqlite3.h>

#include "analyzers/profile/profile.h"
#include "core/dderr.h"
#include "core/store.h"
#include "core/xmalloc.h"

struct pf_file {
	char *path; /* absolute, normalised */
	char *link; /* symlink target, or NULL */
	int type;   /* 0 file, 1 dir, 2 symlink, 3 other */
	int64_t size, layer;
	bool touched;
};

struct pf_fs {
	struct pf_file *v;
	size_t n;
	size_t *h; /* open addressing over v (index + 1) */
	size_t hcap;
};

static struct pf_file *
pf_fs_get(struct pf_fs *fs, const char *path)
{
	size_t i;

	for (i = pf_str_hash(path) & (fs->hcap - 1); fs->h[i] != 0;
	     i = (i + 1) & (fs->hcap - 1))
		if (strcmp(fs->v[fs->h[i] - 1].path, path) == 0)
			return &fs->v[fs->h[i] - 1];
	return NULL;
}

/* Normalise path (absolute; ".", "..", "//" folded) into out. */
static bool
pf_norm(const char *path, char *out, size_t cap)
{
	size_t n = 0;
	const char *p = path;

	if (cap < 2)
		return false;
	out[n++] = '/';
	while (*p != '\0') {
		const char *q;
		size_t len;
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != '/'; q++)
			;
		len = (size_t)(q - p);
		if (len == 1 && p[0] == '.') {
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 1) {
				/* back to the parent, without its slash */
				n--;
				while (n > 1 && out[n - 1] != '/')
					n--;
				if (n > 1)
					n--;
			}
		} else {
			if (n > 1) {
				if (n + 1 >= cap)
					return false;
				out[n++] = '/';
			}
			if (n + len >= cap)
				return false;
			memcpy(out + n, p, len);
			n += len;
		}
		p = q;
	}
	if (n > 1 && out[n - 1] == '/')
		n--;
	out[n] = '\0';
	return true;
}

/* Mark path touched, following links inside the image (at most 40, as
 * the kernel). */
static void
pf_touch(struct pf_fs *fs, const char *path)
{
	char cur[4096], next[4096];
	int hops = 0;

	if (path == NULL || path[0] != '/' || !pf_norm(path, cur, sizeof(cur)))
		return;
	for (;;) {
		/* resolve the first link among the prefixes */
		size_t i, len = strlen(cur);
		bool moved = false;
		for (i = 1; i <= len && !moved; i++) {
			struct pf_file *f;
			char save;
			if (cur[i] != '/' && cur[i] != '\0')
				continue;
			save = cur[i];
			cur[i] = '\0';
			f = pf_fs_get(fs, cur);
			if (f != NULL)
				f->touched = true;
			if (f != NULL && f->type == 2 && f->link != NULL &&
			    hops < 40) {
				/* cur[0..i) is the link; what follows it */
				const char *rest = save ? cur + i + 1 : "";
				char tmp[4096];
				int k;
				if (f->link[0] == '/')
					k = snprintf(tmp, sizeof(tmp), "%s/%s",
					    f->link, rest);
				else {
					size_t dl = (size_t)(strrchr(cur, '/') -
					    cur);
					k = snprintf(tmp, sizeof(tmp),
					    "%.*s/%s/%s", (int)dl, cur, f->link,
					    rest);
				}
				if (k < 0 || (size_t)k >= sizeof(tmp) ||
				    !pf_norm(tmp, next, sizeof(next)))
					return;
				memcpy(cur, next, strlen(next) + 1);
				hops++;
				moved = true;
				break;
			}
			cur[i] = save;
		}
		if (!moved)
			return;
	}
}

static int
pf_cmp_path(const void *a, const void *b)
{
	return strcmp(((const struct pf_file *)a)->path,
	    ((const struct pf_file *)b)->path);
}

struct pf_group {
	char *key;
	int64_t layer;
	uint64_t files, bytes;
};

static int
pf_cmp_group(const void *a, const void *b)
{
	const struct pf_group *x = a, *y = b;

	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	if (x->key && y->key)
		return strcmp(x->key, y->key);
	return (x->layer > y->layer) - (x->layer < y->layer);
}

static void
pf_group_add(struct pf_group **v, size_t *n, const char *key, int64_t layer,
    int64_t size)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((key ? (*v)[i].key && strcmp((*v)[i].key, key) == 0 :
			   (*v)[i].key == NULL && (*v)[i].layer == layer))
			break;
	if (i == *n) {
		*v = xreallocarray(*v, *n + 1, sizeof(**v));
		memset(&(*v)[*n], 0, sizeof((*v)[*n]));
		(*v)[*n].key = key ? xstrdup(key) : NULL;
		(*v)[*n].layer = layer;
		(*n)++;
	}
	(*v)[i].files++;
	(*v)[i].bytes += size > 0 ? (uint64_t)size : 0;
}

/* Terminal-safe path text. */
static void
pf_tsafe(struct sbuf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			sbuf_addf(b, "\\x%02x", c);
		else
			sbuf_add(b, s, 1);
	}
}

int
pf_slim(struct store *s, int64_t image, const struct pf_scope *sc,
    int format, struct sbuf *out, struct dd_err *e)
{
	struct pf_fs fs;
	struct pf_group *dirs = NULL, *layers = NULL;
	size_t ndirs = 0, nlayers = 0, i, cap = 0, nfiles = 0, nleft = 0;
	uint64_t bytes = 0, left_bytes = 0, nev = 0;
	sqlite3_stmt *st = NULL;
	int rc = 0;

	memset(&fs, 0, sizeof(fs));
	if (sqlite3_prepare_v2(s->db,
		"SELECT path, type, size, link_target, layer_id FROM fs WHERE "
		"image_id = ?1",
		-1, &st, NULL) != SQLITE_OK)
		return store_sqlerr(s, e, "fs");
	sqlite3_bind_int64(st, 1, image);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		const char *t = (const char *)sqlite3_column_text(st, 1);
		const char *l = (const char *)sqlite3_column_text(st, 3);
		char np[4096];
		struct pf_file *f;
		if (p == NULL || t == NULL || !pf_norm(p, np, sizeof(np)))
			continue;
		if (fs.n == cap) {
			cap = cap ? cap * 2 : 1024;
			fs.v = xreallocarray(fs.v, cap, sizeof(*fs.v));
		}
		f = &fs.v[fs.n++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(np);
		f->type = strcmp(t, "file") == 0 ? 0 :
		    strcmp(t, "dir") == 0	 ? 1 :
		    strcmp(t, "symlink") == 0	 ? 2 :
						   3;
		f->link = l ? xstrdup(l) : NULL;
		f->size = sqlite3_column_int64(st, 2);
		f->layer = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(s, e, "fs");
		goto out;
	}
	rc = 0;
	if (fs.n == 0) {
		rc = dd_err_set(e, DD_ENOTFOUND,
		    "image %" PRId64 " has no files in the case (see: drydock "
		    "query CASE \"SELECT id, ref FROM images\")",
		    image);
		goto out;
	}
	for (fs.hcap = 1024; fs.hcap < fs.n * 2; fs.hcap *= 2)
		;
	fs.h = xcalloc(fs.hcap, sizeof(size_t));
	for (i = 0; i < fs.n; i++) {
		size_t k;
		for (k = pf_str_hash(fs.v[i].path) & (fs.hcap - 1); fs.h[k] != 0;
		     k = (k + 1) & (fs.hcap - 1))
			;
		fs.h[k] = i + 1;
	}
	if ((rc = pf_scan(s, sc,
		 "SELECT path, path2, fd_path, process_id, container_id FROM "
		 "events WHERE kind = 'syscall' AND (?1 = 0 OR artifact_id = "
		 "?1) AND (path IS NOT NULL OR fd_path IS NOT NULL)",
		 &st, e)) < 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!pf_scope_has(sc, sqlite3_column_int64(st, 3),
			(const char *)sqlite3_column_text(st, 4)))
			continue;
		nev++;
		pf_touch(&fs, (const char *)sqlite3_column_text(st, 0));
		pf_touch(&fs, (const char *)sqlite3_column_text(st, 1));
		pf_touch(&fs, (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE) {
		rc = store_sqlerr(s, e, "events");
		goto out;
	}
	rc = 0;
	qsort(fs.v, fs.n, sizeof(*fs.v), pf_cmp_path);
	for (i = 0; i < fs.n; i++) {
		struct pf_file *f = &fs.v[i];
		char dir[4096];
		char *slash;
		if (f->type != 0)
			continue;
		nfiles++;
		bytes += f->size > 0 ? (uint64_t)f->size : 0;
		if (f->touched)
			continue;
		nleft++;
		left_bytes += f->size > 0 ? (uint64_t)f->size : 0;
		snprintf(dir, sizeof(dir), "%s", f->path);
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		pf_group_add(&dirs, &ndirs, dir, 0, f->size);
		pf_group_add(&layers, &nlayers, NULL, f->layer, f->size);
	}
	if (ndirs > 0)
		qsort(dirs, ndirs, sizeof(*dirs), pf_cmp_group);
	if (nlayers > 0)
		qsort(layers, nlayers, sizeof(*layers), pf_cmp_group);
	if (format == PF_SLIM_LIST) {
		/* raw paths, one per line, as a script wants them; a name
		 * with a newline cannot be written so: skipped */
		for (i = 0; i < fs.n; i++)
			if (fs.v[i].type == 0 && !fs.v[i].touched &&
			    strchr(fs.v[i].path, '\n') == NULL)
				sbuf_addf(out, "%s\n", fs.v[i].path);
	} else if (format == PF_SLIM_JSON) {
		json_t *root = json_object(), *files = json_array(),
		       *jd = json_array(), *jl = json_array();
		json_object_set_new(root, "image", json_integer(image));
		json_object_set_new(root, "container",
		    sc->container ? json_string(sc->container) : json_null());
		json_object_set_new(root, "events",
		    json_integer((json_int_t)nev));
		json_object_set_new(root, "files",
		    json_integer((json_int_t)nfiles));
		json_object_set_new(root, "bytes",
		    json_integer((json_int_t)bytes));
		json_object_set_new(root, "untouched_files",
		    json_integer((json_int_t)nleft));
		json_object_set_new(root, "untouched_bytes",
		    json_integer((json_int_t)left_bytes));
		for (i = 0; i < fs.n; i++) {
			json_t *x;
			if (fs.v[i].type != 0 || fs.v[i].touched)
				continue;
			x = json_object();
			json_object_set_new(x, "path", pf_json_str(fs.v[i].path));
			json_object_set_new(x, "size",
			    json_integer(fs.v[i].size));
			json_object_set_new(x, "layer_id",
			    json_integer(fs.v[i].layer));
			json_array_append_new(files, x);
		}
		for (i = 0; i < ndirs; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "directory",
			    pf_json_str(dirs[i].key));
			json_object_set_new(x, "files",
			    json_integer((json_int_t)dirs[i].files));
			json_object_set_new(x, "bytes",
			    json_integer((json_int_t)dirs[i].bytes));
			json_array_append_new(jd, x);
		}
		for (i = 0; i < nlayers; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "layer_id",
			    json_integer(layers[i].layer));
			json_object_set_new(x, "files",
			    json_integer((json_int_t)layers[i].files));
			json_object_set_new(x, "bytes",
			    json_integer((json_int_t)layers[i].bytes));
			json_array_append_new(jl, x);
		}
		json_object_set_new(root, "untouched", files);
		json_object_set_new(root, "by_directory", jd);
		json_object_set_new(root, "by_layer", jl);
		pf_json_emit(out, root);
		json_decref(root);
	} else {
		sbuf_addf(out,
		    "image %" PRId64 ": %zu of %zu regular files (%" PRIu64
		    " of %" PRIu64 " bytes) were never touched by the %" PRIu64
		    " events with paths in scope\n",
		    image, nleft, nfiles, left_bytes, bytes, nev);
		sbuf_addstr(out, "by directory (bytes that could go):\n");
		for (i = 0; i < ndirs && i < 40; i++) {
			sbuf_addf(out, "  %12" PRIu64 "  %6" PRIu64 " files  ",
			    dirs[i].bytes, dirs[i].files);
			pf_tsafe(out, dirs[i].key);
			sbuf_addstr(out, "\n");
		}
		if (ndirs > 40)
			sbuf_addf(out, "  (%zu more directories: --format "
				       "json lists them)\n",
			    ndirs - 40);
		sbuf_addstr(out, "by layer:\n");
		for (i = 0; i < nlayers; i++)
			sbuf_addf(out,
			    "  layer %-6" PRId64 " %12" PRIu64 " bytes  %6" PRIu64
			    " files\n",
			    layers[i].layer, layers[i].bytes, layers[i].files);
	}
out:
	if (st != NULL)
		sqlite3_finalize(st);
	for (i = 0; i < fs.n; i++) {
		free(fs.v[i].path);
		free(fs.v[i].link);
	}
	for (i = 0; i < ndirs; i++)
		free(dirs[i].key);
	free(dirs);
	free(layers);
	free(fs.v);
	free(fs.h);
	return rc;
}
