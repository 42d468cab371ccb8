/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-runtime.c: a copied container-runtime root, as a tar (the output of
 * datasets/collect/runtime-root.sh, or any tar of the directory), read
 * without mounting anything:
 *
 *  Docker (/var/lib/docker), overlay2 or aufs storage:
 *    containers/<id>/config.v2.json, hostconfig.json
 *    image/<driver>/layerdb/mounts/<id>/{mount-id,init-id,parent}
 *    image/<driver>/layerdb/sha256/<chain>/{cache-id,diff,parent}
 *    image/<driver>/repositories.json
 *    overlay2/<dir>/diff/...    (whiteouts: character devices 0/0;
 *                                opaque: trusted.overlay.opaque=y)
 *    aufs/diff/<dir>/...        (whiteouts: .wh.<name>; .wh..wh..opq)
 *  containers/storage (/var/lib/containers/storage: podman, CRI-O), vfs
 *  or overlay driver:
 *    <driver>-containers/containers.json, <driver>-layers/layers.json,
 *    <driver>-images/images.json
 *    vfs/dir/<layer>/...        (each layer a full copy of its parent)
 *    overlay/<layer>/diff/...   (changes only, as overlay2)
 *  containerd (/var/lib/containerd), overlayfs or native snapshotter:
 *    io.containerd.metadata.v1.bolt/meta.db        (bbolt: ingest/bolt.h)
 *      v1/<ns>/containers/<id>/{image, snapshotKey, snapshotter, spec
 *        (protobuf Any: the OCI runtime spec as JSON), labels/}
 *      v1/<ns>/snapshots/<snapshotter>/<key>/name  (the backend key)
 *      v1/<ns>/content/blob/<digest>/labels/containerd.io/uncompressed
 *    io.containerd.snapshotter.v1.overlayfs/metadata.db
 *      v1/snapshots/<backend key>/{id uvarint, kind, parent}
 *    io.containerd.snapshotter.v1.overlayfs/snapshots/<id>/fs/...
 *                               (changes only, as overlay2)
 *    io.containerd.snapshotter.v1.native/snapshots/<id>/...
 *                               (full copies, as vfs)
 *    A committed snapshot's key is its chain id; its diff id is the
 *    uncompressed-layer digest d with sha256(parent chain + " " + d) equal
 *    to it (the bottom one: the chain id itself).
 *
 * The root may sit at any depth of the tar (var/lib/docker/..., docker/...):
 * each member is placed by the leftmost of these anchors in its name.
 *
 * What it writes:
 *  - containers: Docker's config.v2.json and hostconfig.json become the
 *    document `docker inspect` would print, imported by imp-inspect.c's
 *    rules (ingest/inspect.h); containerd's become the document `crictl
 *    inspect` would print (status, labels, info.runtimeSpec);
 *    containers/storage containers get their id, name and image;
 *  - runtime_layers: every layer directory with its role (image, init,
 *    rw), container, diff id and file count;
 *  - drift: per container, what its writable layer changed against its
 *    image, as `docker diff` / `podman container diff` print it: A, C, D,
 *    with the entry's type, mode, size, SHA-256 of its content (the old
 *    content for D) and, for C and D, the image layer (diff id) that held
 *    the previous version; data_off places a regular file's content (the
 *    old one for D) in the stored original when the tar is stored as it
 *    is read (not compressed), for export-file and content rules.
 *
 * Change rules, as moby's pkg/archive does them:
 *  - a writable layer holding only changes (overlay2, aufs, overlay): a
 *    whiteout is D; an opaque directory that exists below is D; an entry
 *    that exists below is C (a directory only when its mode or mtime
 *    differ); anything else A; the parent directory of an A or D is C
 *    unless already listed. The lower tree is the init layer and the image
 *    layers, top down, each hiding what upper whiteouts and opaque
 *    directories hide.
 *  - a full copy (vfs): compared with the image's top layer: new entries
 *    A (and all below them), missing ones D (the top of a deleted tree
 *    only), entries whose mode, owner or device differ, or (not
 *    directories) whose mtime or size differ, C; every directory above a
 *    change C.
 *  - containers/storage containers leave out the paths podman leaves out
 *    (/dev, /proc, /sys, /run, /etc/hostname, /etc/hosts,
 *    /etc/resolv.conf, /etc/mtab, /run/.containerenv, /run/secrets,
 *    /run/notify: the runtime's mount points).
 *
 * Hostile input: names are data (never opened); every table is bounded
 * (RT_ENTS_MAX entries in all, RT_DOC_MAX bytes per JSON document,
 * RT_DOCS_MAX bytes of them in all, RT_SMALL_MAX per small file); what is
 * over a bound is an anomaly and the rest is imported; a whiteout or a
 * hard link naming something absent is an anomaly; an unreadable JSON
 * document is an anomaly naming it.
 */
#include "core/common.h"

#include <jansson.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/bolt.h"
#include "ingest/inspect.h"
#include "ingest/members.h"
#include "ingest/tarwalk.h"

extern const struct importer imp_export;

#define RT_ENTS_MAX (2u * 1024u * 1024u) /* about 160 bytes each in memory */
#define RT_DOC_MAX (16u * 1024u * 1024u)
#define RT_DOCS_MAX (256u * 1024u * 1024u)
#define RT_SMALL_MAX 4096u
#define RT_LAYERS_MAX 65536u
#define RT_BOLT_MAX (128u * 1024u * 1024u) /* a containerd bbolt file */

enum rt_drv { DRV_OVERLAY2 = 'o', DRV_AUFS = 'a', DRV_VFS = 'v',
	DRV_CSOVERLAY = 'c', DRV_CTD = 'd', DRV_CTDNATIVE = 'n' };

struct rt_ent {
	char *path;	/* "/etc/passwd"; "/" never stored */
	int type;	/* enum tarw_type */
	bool wh, opq;	/* whiteout (path deleted), opaque directory */
	uint32_t mode;
	int64_t uid, gid, mtime;
	uint64_t size;
	uint32_t rdev;
	uint8_t sha[SHA256_LEN];
	bool has_sha;
	int64_t data_off; /* content in the stored original, -1 none */
	char *link;
	const char *diff_id; /* an image tree's entry: its layer (borrowed) */
};

struct rt_layer {
	char *id;	/* the directory's name */
	int drv;	/* enum rt_drv */
	struct rt_ent *e;
	size_t n, cap;
	bool sorted;
	char *diff_id;	/* the image layer's diff id, once known */
	bool rw;	/* a container's writable layer (containerd) */
	int ctd_kind;	/* containerd: 1 view, 2 active, 3 committed */
};

struct rt_doc { /* a JSON document or a small file, by its anchor key */
	char *key;	/* "cfg/<id>", "host/<id>", "m/<id>/mount-id",
			   "l/<chain>/cache-id", "cs-containers", ... */
	char *text;
	size_t len;
};

/* A path table: open addressing over entries (pointers). */
struct rt_map {
	const struct rt_ent **v;
	const struct rt_layer **lay;
	size_t cap, n;
};

/* A set of paths (whiteouts, opaque dirs, listed changes). */
struct rt_set {
	char **v;
	size_t cap, n;
};

struct rt {
	struct imp_ctx *ctx;
	struct dd_err *e;
	struct rt_layer *layers;
	size_t nlayers;
	struct rt_layer *last;
	struct rt_doc *docs;
	size_t ndocs;
	struct rt_set keys;	/* document keys seen during the walk */
	uint64_t doc_bytes;
	uint64_t nents;
	bool ents_full, docs_full;
	int64_t drift_seq;
	struct sha *sha;
	struct sbuf tmp;
};

/* ---- tables ---- */

static uint64_t
rt_hash(const char *s)
{
	return hash64(0x5eed, s, strlen(s));
}

static void
rt_map_init(struct rt_map *m, size_t n)
{
	m->cap = 64;
	while (m->cap < n * 2 + 16)
		m->cap *= 2;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	m->lay = xcalloc(m->cap, sizeof(*m->lay));
	m->n = 0;
}

static void
rt_map_free(struct rt_map *m)
{
	free(m->v);
	free(m->lay);
	memset(m, 0, sizeof(*m));
}

static size_t
rt_map_slot(const struct rt_map *m, const char *path)
{
	size_t i = (size_t)rt_hash(path) & (m->cap - 1);

	while (m->v[i] != NULL && strcmp(m->v[i]->path, path) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static const struct rt_ent *
rt_map_get(const struct rt_map *m, const char *path,
    const struct rt_layer **lay)
{
	size_t i = rt_map_slot(m, path);

	if (lay)
		*lay = m->lay[i];
	return m->v[i];
}

/* Insert unless present (the first stays). The table never fills: it is
 * sized for every entry it may get. */
static void
rt_map_put(struct rt_map *m, const struct rt_ent *e, const struct rt_layer *l)
{
	size_t i = rt_map_slot(m, e->path);

	if (m->v[i] == NULL) {
		m->v[i] = e;
		m->lay[i] = l;
		m->n++;
	}
}


static void
rt_set_init(struct rt_set *s, size_t n)
{
	s->cap = 64;
	while (s->cap < n * 2 + 16)
		s->cap *= 2;
	s->v = xcalloc(s->cap, sizeof(*s->v));
	s->n = 0;
}

static bool
rt_set_has(const struct rt_set *s, const char *p, size_t len)
{
	size_t i = (size_t)hash64(0x5eed, p, len) & (s->cap - 1);

	while (s->v[i] != NULL) {
		if (strlen(s->v[i]) == len && memcmp(s->v[i], p, len) == 0)
			return true;
		i = (i + 1) & (s->cap - 1);
	}
	return false;
}

static void
rt_set_add(struct rt_set *s, const char *p, size_t len)
{
	size_t i;

	if (rt_set_has(s, p, len))
		return;
	if ((s->n + 1) * 2 > s->cap) {
		struct rt_set g;
		rt_set_init(&g, s->cap);
		for (size_t j = 0; j < s->cap; j++)
			if (s->v[j] != NULL) {
				size_t k = (size_t)rt_hash(s->v[j]) &
				    (g.cap - 1);
				while (g.v[k] != NULL)
					k = (k + 1) & (g.cap - 1);
				g.v[k] = s->v[j];
				g.n++;
			}
		free(s->v);
		*s = g;
	}
	i = (size_t)hash64(0x5eed, p, len) & (s->cap - 1);
	while (s->v[i] != NULL)
		i = (i + 1) & (s->cap - 1);
	s->v[i] = xstrndup(p, len);
	s->n++;
}

static void
rt_set_free(struct rt_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- members ---- */

static struct rt_layer *
rt_layer(struct rt *t, const char *id, size_t idlen, int drv)
{
	if (t->last && t->last->drv == drv && strlen(t->last->id) == idlen &&
	    memcmp(t->last->id, id, idlen) == 0)
		return t->last;
	for (size_t i = 0; i < t->nlayers; i++)
		if (t->layers[i].drv == drv && strlen(t->layers[i].id) ==
		    idlen && memcmp(t->layers[i].id, id, idlen) == 0)
			return t->last = &t->layers[i];
	if (t->nlayers == RT_LAYERS_MAX)
		return NULL;
	t->layers = xreallocarray(t->layers, t->nlayers + 1,
	    sizeof(*t->layers));
	t->last = &t->layers[t->nlayers++];
	memset(t->last, 0, sizeof(*t->last));
	t->last->id = xstrndup(id, idlen);
	t->last->drv = drv;
	return t->last;
}

static int
rt_doc_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rt_doc *)a)->key,
	    ((const struct rt_doc *)b)->key);
}

static int
rt_layer_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rt_layer *)a)->id,
	    ((const struct rt_layer *)b)->id);
}

/* Once the walk is over: documents (each key once: rt_keep keeps the
 * first copy) and layers sorted for binary search. */
static void
rt_sort_tables(struct rt *t)
{
	if (t->ndocs > 1)
		qsort(t->docs, t->ndocs, sizeof(*t->docs), rt_doc_cmp);
	if (t->nlayers > 1)
		qsort(t->layers, t->nlayers, sizeof(*t->layers), rt_layer_cmp);
	t->last = NULL;
}

/* A layer directory by id (and driver, 0 any), after rt_sort_tables. */
static struct rt_layer *
rt_find_layer(struct rt *t, const char *id, int drv)
{
	struct rt_layer k = { .id = (char *)(uintptr_t)id }, *l;

	if (id == NULL || t->nlayers == 0)
		return NULL;
	l = bsearch(&k, t->layers, t->nlayers, sizeof(*t->layers),
	    rt_layer_cmp);
	return l && (drv == 0 || l->drv == drv) ? l : NULL;
}

static const struct rt_doc *
rt_doc(const struct rt *t, const char *key)
{
	struct rt_doc k = { .key = (char *)(uintptr_t)key };

	return t->ndocs ? bsearch(&k, t->docs, t->ndocs, sizeof(*t->docs),
	    rt_doc_cmp) : NULL;
}

/* A small file's text, trimmed, or NULL. */
static const char *
rt_small(const struct rt *t, const char *key)
{
	const struct rt_doc *d = rt_doc(t, key);
	return d ? d->text : NULL;
}

/* Keep the current member's data as document key. */
static int
rt_keep(struct rt *t, struct tarw *w, const struct tarw_entry *ent,
    const char *key, size_t max)
{
	struct rt_doc d;
	const uint8_t *p;
	size_t n;
	struct sbuf b;
	int rc;

	if (rt_set_has(&t->keys, key, strlen(key)))
		return ingest_anomaly(t->ctx, (int64_t)ent->hdr_off, "'%s': "
		    "a second copy of %s: the first kept", ent->name, key);
	if (ent->size > max || t->doc_bytes + ent->size > RT_DOCS_MAX) {
		if (t->docs_full)
			return 0;
		t->docs_full = ent->size <= max;
		return ingest_anomaly(t->ctx, (int64_t)ent->hdr_off, "'%s': "
		    "%" PRIu64 " bytes, more than this importer keeps of a "
		    "document: skipped", ent->name, ent->size);
	}
	sbuf_init(&b, max + 1);
	while ((rc = tarw_read(w, &p, &n, t->e)) >= 0 && n > 0)
		if (sbuf_add(&b, p, n) < 0)
			break;
	if (rc < 0) {
		sbuf_release(&b);
		return rc;
	}
	while (max == RT_SMALL_MAX && b.len > 0 && (b.buf[b.len - 1] == '\n' ||
		b.buf[b.len - 1] == ' ' || b.buf[b.len - 1] == '\r'))
		b.buf[--b.len] = '\0';
	rt_set_add(&t->keys, key, strlen(key));
	d.key = xstrdup(key);
	d.len = b.len;
	d.text = sbuf_detach(&b, NULL);
	t->doc_bytes += d.len;
	t->docs = xreallocarray(t->docs, t->ndocs + 1, sizeof(*t->docs));
	t->docs[t->ndocs++] = d;
	return 0;
}

static bool
rt_hex64(const char *s, size_t n)
{
	if (n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (hex_digit((unsigned char)s[i]) < 0 || (s[i] >= 'A' &&
			s[i] <= 'F'))
			return false;
	return true;
}

/* Components of a name: c[i] starts, l[i] lengths. */
#define RT_COMPS 64
struct rt_comps {
	const char *c[RT_COMPS];
	size_t l[RT_COMPS];
	size_t n;
};

static void
rt_split(const char *name, struct rt_comps *k)
{
	const char *p = name;

	k->n = 0;
	while (*p && k->n < RT_COMPS) {
		const char *s;
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		s = p;
		while (*p && *p != '/')
			p++;
		if (!(p - s == 1 && s[0] == '.')) {
			k->c[k->n] = s;
			k->l[k->n++] = (size_t)(p - s);
		}
	}
}

static bool
rt_is(const struct rt_comps *k, size_t i, const char *s)
{
	return i < k->n && k->l[i] == strlen(s) && memcmp(k->c[i], s,
	    k->l[i]) == 0;
}

static bool
rt_ends(const struct rt_comps *k, size_t i, const char *suffix)
{
	size_t n = strlen(suffix);
	return i < k->n && k->l[i] > n && memcmp(k->c[i] + k->l[i] - n,
	    suffix, n) == 0;
}

static int
rt_file(struct rt *t, struct tarw *w, const struct tarw_entry *ent,
    struct rt_layer *l, const char *path, size_t prefix)
{
	struct rt_ent *x;
	const char *base = strrchr(path, '/');
	int rc;

	if (l == NULL || *path == '\0')
		return 0;
	if (t->nents >= RT_ENTS_MAX) {
		if (t->ents_full)
			return 0;
		t->ents_full = true;
		return ingest_anomaly(t->ctx, (int64_t)ent->hdr_off, "more "
		    "than %u layer entries: the rest are not compared",
		    RT_ENTS_MAX);
	}
	base = base ? base + 1 : path;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->e = xreallocarray(l->e, l->cap, sizeof(*l->e));
	}
	x = &l->e[l->n];
	memset(x, 0, sizeof(*x));
	x->type = ent->type;
	x->mode = ent->mode;
	x->uid = ent->uid;
	x->gid = ent->gid;
	x->mtime = ent->mtime_ns;
	x->size = ent->type == TARW_DIR ? 0 : ent->size;
	x->rdev = ent->devmajor << 20 | ent->devminor;
	x->data_off = -1;
	if (strncmp(base, ".wh.", 4) == 0) {
		/* AUFS/OCI whiteouts */
		if (strcmp(base, ".wh..wh..opq") == 0) {
			x->opq = true;
			x->type = TARW_DIR;
			x->path = xstrndup(path, (size_t)(base - path) - 1);
		} else if (strncmp(base, ".wh..wh.", 8) == 0) {
			return 0; /* aufs's own (.wh..wh.plnk, .wh..wh.aufs) */
		} else {
			x->wh = true;
			sbuf_reset(&t->tmp);
			sbuf_add(&t->tmp, path, (size_t)(base - path));
			sbuf_addstr(&t->tmp, base + 4);
			x->path = xstrdup(t->tmp.buf);
		}
		if (*x->path == '\0') {
			free(x->path);
			return 0;
		}
	} else {
		x->path = xstrdup(path);
		if (ent->type == TARW_CHAR && ent->devmajor == 0 &&
		    ent->devminor == 0)
			x->wh = true;
		for (size_t i = 0; i < ent->nxattr; i++)
			if ((strcmp(ent->xattr[i].name,
				 "trusted.overlay.opaque") == 0 ||
				strcmp(ent->xattr[i].name,
				    "user.overlay.opaque") == 0) &&
			    ent->xattr[i].len >= 1 &&
			    ent->xattr[i].value[0] == 'y')
				x->opq = true;
		if (ent->type == TARW_HARDLINK) {
			/* the target's path in this layer, when it is in it */
			const char *tg = ent->link;
			while (tg[0] == '.' && tg[1] == '/')
				tg += 2;
			while (prefix == 0 && tg[0] == '/')
				tg++;
			if (strlen(tg) > prefix && (prefix == 0 ||
				strncmp(tg, ent->name, prefix) == 0)) {
				sbuf_reset(&t->tmp);
				sbuf_addch(&t->tmp, '/');
				sbuf_addstr(&t->tmp, tg + prefix);
				x->link = xstrdup(t->tmp.buf);
			}
		} else {
			x->link = ent->link[0] ? xstrdup(ent->link) : NULL;
		}
	}
	l->n++;
	t->nents++;
	if (ent->type == TARW_FILE || ent->type == TARW_CONTIG) {
		const uint8_t *p;
		size_t n;
		while ((rc = tarw_read(w, &p, &n, t->e)) >= 0 && n > 0)
			sha_update(t->sha, p, n);
		if (rc < 0)
			return rc;
		sha_final(t->sha, x->sha);
		x->has_sha = true;
		/* The stored original is this stream when not compressed. */
		if (t->ctx->src->filter == NULL)
			x->data_off = (int64_t)ent->data_off;
	}
	return 0;
}

/* A member inside layer directory k.c[id]; its path there starts at
 * component from. */
static int
rt_in_layer(struct rt *t, struct tarw *w, const struct tarw_entry *ent,
    const struct rt_comps *k, size_t id, size_t from, int drv)
{
	char cid[120];
	struct rt_layer *l;

	if (drv == DRV_CTD || drv == DRV_CTDNATIVE) {
		/* containerd numbers its snapshots: "overlayfs/12" */
		snprintf(cid, sizeof(cid), "%s/%.*s", drv == DRV_CTD ?
		    "overlayfs" : "native", (int)k->l[id], k->c[id]);
		l = rt_layer(t, cid, strlen(cid), drv);
	} else {
		l = rt_layer(t, k->c[id], k->l[id], drv);
	}
	size_t prefix = from < k->n ? (size_t)(k->c[from] - ent->name) :
	    strlen(ent->name);
	char *path;
	int rc;

	sbuf_reset(&t->tmp);
	if (from < k->n) {
		sbuf_addch(&t->tmp, '/');
		sbuf_addstr(&t->tmp, k->c[from]);
	}
	while (t->tmp.len > 1 && t->tmp.buf[t->tmp.len - 1] == '/')
		t->tmp.buf[--t->tmp.len] = '\0';
	path = xstrdup(t->tmp.buf);
	rc = rt_file(t, w, ent, l, path, prefix);
	free(path);
	return rc;
}

/* Place one member by the leftmost anchor in its name. */
static int
rt_member(struct rt *t, struct tarw *w, const struct tarw_entry *ent)
{
	struct rt_comps k;
	char key[200];

	rt_split(ent->name, &k);
	for (size_t i = 0; i < k.n; i++) {
		/* containerd */
		if (rt_is(&k, i, "io.containerd.metadata.v1.bolt") &&
		    i + 2 == k.n && rt_is(&k, i + 1, "meta.db"))
			return rt_keep(t, w, ent, "ctd/meta", RT_BOLT_MAX);
		if ((rt_is(&k, i, "io.containerd.snapshotter.v1.overlayfs") ||
			rt_is(&k, i, "io.containerd.snapshotter.v1.native")) &&
		    i + 1 < k.n) {
			bool ov = rt_is(&k, i,
			    "io.containerd.snapshotter.v1.overlayfs");
			if (i + 2 == k.n && rt_is(&k, i + 1, "metadata.db"))
				return rt_keep(t, w, ent, ov ?
				    "ctd/snap/overlayfs" : "ctd/snap/native",
				    RT_BOLT_MAX);
			if (rt_is(&k, i + 1, "snapshots") && i + 2 < k.n &&
			    k.l[i + 2] <= 20 && ov && i + 3 < k.n &&
			    rt_is(&k, i + 3, "fs"))
				return rt_in_layer(t, w, ent, &k, i + 2, i + 4,
				    DRV_CTD);
			if (rt_is(&k, i + 1, "snapshots") && i + 2 < k.n &&
			    k.l[i + 2] <= 20 && !ov)
				return rt_in_layer(t, w, ent, &k, i + 2, i + 3,
				    DRV_CTDNATIVE);
			return 0; /* work/, other files */
		}
		if (rt_is(&k, i, "io.containerd.content.v1.content"))
			return 0; /* blobs: the image importer's */
		/* Docker */
		if (rt_is(&k, i, "containers") && i + 3 == k.n &&
		    rt_hex64(k.c[i + 1], k.l[i + 1]) &&
		    (rt_is(&k, i + 2, "config.v2.json") ||
			rt_is(&k, i + 2, "hostconfig.json"))) {
			snprintf(key, sizeof(key), "%s/%.*s", rt_is(&k, i + 2,
			    "hostconfig.json") ? "host" : "cfg", 64, k.c[i + 1]);
			return rt_keep(t, w, ent, key, RT_DOC_MAX);
		}
		if (rt_is(&k, i, "containers") && i + 3 <= k.n &&
		    rt_hex64(k.c[i + 1], k.l[i + 1]))
			return 0; /* other container files (logs: ctrlog) */
		if (rt_is(&k, i, "image") && i + 6 == k.n &&
		    rt_is(&k, i + 2, "layerdb") && (rt_is(&k, i + 3, "mounts")
			|| rt_is(&k, i + 3, "sha256")) &&
		    k.l[i + 4] <= 80 && k.l[i + 5] <= 16) {
			snprintf(key, sizeof(key), "%s/%.*s/%.*s",
			    rt_is(&k, i + 3, "mounts") ? "m" : "l",
			    (int)k.l[i + 4], k.c[i + 4], (int)k.l[i + 5],
			    k.c[i + 5]);
			if (rt_is(&k, i + 5, "tar-split.json.gz"))
				return 0;
			return rt_keep(t, w, ent, key, RT_SMALL_MAX);
		}
		if (rt_is(&k, i, "image") && i + 2 < k.n &&
		    (rt_is(&k, i + 2, "layerdb") || rt_is(&k, i + 2,
			"imagedb") || rt_is(&k, i + 2, "distribution") ||
			rt_is(&k, i + 2, "repositories.json")))
			return 0;
		if (rt_is(&k, i, "overlay2") && i + 2 < k.n &&
		    rt_is(&k, i + 2, "diff") && k.l[i + 1] <= 80)
			return rt_in_layer(t, w, ent, &k, i + 1, i + 3,
			    DRV_OVERLAY2);
		if (rt_is(&k, i, "overlay2") && i + 1 < k.n)
			return 0; /* lower, link, work, merged, l/ */
		if (rt_is(&k, i, "aufs") && rt_is(&k, i + 1, "diff") &&
		    i + 2 < k.n && k.l[i + 2] <= 80)
			return rt_in_layer(t, w, ent, &k, i + 2, i + 3,
			    DRV_AUFS);
		/* containers/storage */
		if (i + 1 == k.n - 1 && (rt_ends(&k, i, "-containers") ||
			rt_ends(&k, i, "-layers") || rt_ends(&k, i, "-images")) &&
		    (rt_is(&k, i + 1, "containers.json") || rt_is(&k, i + 1,
			"layers.json") || rt_is(&k, i + 1, "images.json"))) {
			snprintf(key, sizeof(key), "cs/%.*s", (int)k.l[i + 1],
			    k.c[i + 1]);
			return rt_keep(t, w, ent, key, RT_DOC_MAX);
		}
		if (rt_is(&k, i, "vfs") && rt_is(&k, i + 1, "dir") &&
		    i + 2 < k.n && k.l[i + 2] <= 80)
			return rt_in_layer(t, w, ent, &k, i + 2, i + 3,
			    DRV_VFS);
		if (rt_is(&k, i, "overlay") && i + 2 < k.n &&
		    rt_is(&k, i + 2, "diff") && k.l[i + 1] <= 80)
			return rt_in_layer(t, w, ent, &k, i + 1, i + 3,
			    DRV_CSOVERLAY);
	}
	return 0;
}

/* ---- hard links ---- */

/* ---- comparing ---- */

static int
rt_ent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rt_ent *)a)->path,
	    ((const struct rt_ent *)b)->path);
}

static void
rt_sort(struct rt_layer *l)
{
	if (!l->sorted && l->n > 1) {
		qsort(l->e, l->n, sizeof(*l->e), rt_ent_cmp);
		l->sorted = true;
	}
}

/* A hard link's content is its target's (a file of the same layer, as
 * the tar names it): the entry becomes that file. One anomaly per layer
 * counts the links whose target is elsewhere or absent. */
static int
rt_hardlinks(struct rt *t, struct rt_layer *l)
{
	size_t bad = 0;

	rt_sort(l);
	for (size_t j = 0; j < l->n; j++) {
		struct rt_ent *x = &l->e[j];
		const struct rt_ent *y;
		struct rt_ent key;
		if (x->type != TARW_HARDLINK)
			continue;
		key.path = x->link;
		y = x->link && l->n ? bsearch(&key, l->e, l->n, sizeof(*l->e),
		    rt_ent_cmp) : NULL;
		if (y == NULL || y->type != TARW_FILE) {
			bad++;
			continue;
		}
		x->type = TARW_FILE;
		x->size = y->size;
		memcpy(x->sha, y->sha, SHA256_LEN);
		x->has_sha = y->has_sha;
		x->data_off = y->data_off;
		free(x->link);
		x->link = NULL;
	}
	if (bad == 0)
		return 0;
	return ingest_anomaly(t->ctx, -1, "layer %s: %zu hard links to files "
	    "outside it or absent: kept as links", l->id, bad);
}

/* Whether path is hidden by an upper whiteout (wh: the path and below) or
 * opaque directory (opq: below only). */
static bool
rt_hidden(const struct rt_set *wh, const struct rt_set *opq, const char *p)
{
	size_t n = strlen(p);

	if (rt_set_has(wh, p, n))
		return true;
	for (size_t i = n; i > 0; i--)
		if (p[i - 1] == '/' || i == n) {
			size_t len = p[i - 1] == '/' ? i - 1 : 0;
			if (i == n)
				continue;
			if (len == 0)
				break;
			if (rt_set_has(wh, p, len) || rt_set_has(opq, p, len))
				return true;
		}
	return false;
}

/* The lower tree of layers low[0..n) (top first). */
static void
rt_lower(struct rt_layer *const *low, size_t n, struct rt_map *m)
{
	struct rt_set wh, opq;
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += low[i]->n;
	rt_map_init(m, total);
	rt_set_init(&wh, 64);
	rt_set_init(&opq, 64);
	for (size_t i = 0; i < n; i++) {
		struct rt_layer *l = low[i];
		rt_sort(l);
		for (size_t j = 0; j < l->n; j++) {
			const struct rt_ent *x = &l->e[j];
			if (x->wh || rt_hidden(&wh, &opq, x->path))
				continue;
			rt_map_put(m, x, l);
		}
		for (size_t j = 0; j < l->n; j++) {
			const struct rt_ent *x = &l->e[j];
			if (x->wh)
				rt_set_add(&wh, x->path, strlen(x->path));
			if (x->opq)
				rt_set_add(&opq, x->path, strlen(x->path));
		}
	}
	rt_set_free(&wh);
	rt_set_free(&opq);
}

static const char *const rt_podman_skip[] = {
	"/dev", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/proc",
	"/run", "/run/notify", "/run/.containerenv", "/run/secrets", "/sys",
	"/etc/mtab",
};

/* What Docker's init layer makes (daemon/initlayer): below the image,
 * so `docker diff` never lists it, but in an export. */
static const char *const rt_docker_init[] = {
	"/.dockerenv", "/.dockerinit", "/dev", "/dev/console", "/dev/pts",
	"/dev/shm", "/dev/mqueue", "/etc/hostname", "/etc/hosts",
	"/etc/resolv.conf", "/etc/mtab", "/proc", "/sys",
};

struct rt_out;
static bool rt_skip(const struct rt_out *o, const char *path);

static const char *
rt_type(int type)
{
	switch (type) {
	case TARW_DIR: return "dir";
	case TARW_SYMLINK: return "symlink";
	case TARW_HARDLINK: return "hardlink";
	case TARW_CHAR: return "char";
	case TARW_BLOCK: return "block";
	case TARW_FIFO: return "fifo";
	default: return "file";
	}
}

struct rt_out {
	struct rt *t;
	const char *cid;
	const char *source;
	bool podman;
	bool docker_init;	/* leave out Docker's init layer paths (an
				   export compared with its image) */
	bool secs;		/* compare mtimes to the second */
	struct rt_set listed;
};

static bool
rt_skip(const struct rt_out *o, const char *path)
{
	for (size_t i = 0; o->podman && i < ARRAY_SIZE(rt_podman_skip); i++)
		if (strcmp(path, rt_podman_skip[i]) == 0)
			return true;
	for (size_t i = 0; o->docker_init && i < ARRAY_SIZE(rt_docker_init);
	    i++)
		if (strcmp(path, rt_docker_init[i]) == 0)
			return true;
	return false;
}

/* The diff id a C or D row names: the layer's, or the entry's own (an
 * image tree from the case). */
#define RT_DIFF(l) ((l) != NULL ? (l)->diff_id : NULL)

static int
rt_emit(struct rt_out *o, const char *path, char change,
    const struct rt_ent *x, const char *diff_id)
{
	struct net_rec r;
	char ch[2] = { change, '\0' };
	char hex[SHA256_HEX];
	struct sink *k = o->t->ctx->sink;

	if (rt_skip(o, path) || rt_set_has(&o->listed, path, strlen(path)))
		return 0;
	rt_set_add(&o->listed, path, strlen(path));
	net_rec_init(&r, NR_DRIFT);
	r.i[DR_SEQ] = o->t->drift_seq++;
	r.s[DRS_CID] = o->cid;
	r.s[DRS_PATH] = path;
	r.s[DRS_CHANGE] = ch;
	r.s[DRS_SOURCE] = o->source;
	if (x != NULL) {
		r.s[DRS_TYPE] = rt_type(x->type);
		r.i[DR_MODE] = x->mode;
		r.i[DR_SIZE] = (int64_t)x->size;
		r.i[DR_MTIME] = x->mtime == INT64_MIN ? NR_NULL : x->mtime;
		r.i[DR_EXEC] = (x->type == TARW_FILE || x->type ==
		    TARW_CONTIG) && (x->mode & 0111) != 0;
		if (x->has_sha) {
			hex_encode(x->sha, SHA256_LEN, hex);
			r.s[DRS_SHA] = hex;
		}
		r.s[DRS_LINK] = x->link;
		if (x->data_off >= 0)
			r.i[DR_DATA_OFF] = x->data_off;
	}
	r.s[DRS_LAYER] = diff_id;
	return k->ops->net ? k->ops->net(k, o->t->ctx->artifact_id, &r,
	    o->t->e) : 0;
}

static char *
rt_parent(const char *p)
{
	const char *s = strrchr(p, '/');
	if (s == NULL || s == p)
		return NULL;
	return xstrndup(p, (size_t)(s - p));
}

/* A writable layer of changes (overlay2, aufs, containers/storage
 * overlay) against its lower layers. */
static int
rt_drift_changes(struct rt_out *o, struct rt_layer *rw,
    struct rt_layer *const *low, size_t nlow)
{
	struct rt_map m;
	int rc = 0;

	rt_lower(low, nlow, &m);
	rt_sort(rw);
	for (size_t j = 0; rc >= 0 && j < rw->n; j++) {
		const struct rt_ent *x = &rw->e[j], *old;
		const struct rt_layer *from;
		char change = 0;
		old = rt_map_get(&m, x->path, &from);
		if (x->wh) {
			change = 'D';
			rc = rt_emit(o, x->path, 'D', old, RT_DIFF(from));
		} else if (x->opq && old != NULL) {
			change = 'D';
			rc = rt_emit(o, x->path, 'D', x, RT_DIFF(from));
		} else if (old != NULL) {
			if (x->type == TARW_DIR && old->type == TARW_DIR &&
			    x->mode == old->mode && x->mtime == old->mtime)
				continue; /* the same directory */
			change = 'C';
			rc = rt_emit(o, x->path, 'C', x, RT_DIFF(from));
		} else {
			change = 'A';
			rc = rt_emit(o, x->path, 'A', x, NULL);
		}
		if (rc >= 0 && (change == 'A' || change == 'D')) {
			char *par = rt_parent(x->path);
			if (par != NULL) {
				const struct rt_ent *pe = rt_map_get(&m, par,
				    &from);
				const struct rt_ent *pn = NULL;
				struct rt_ent key = { .path = par };
				pn = rw->n ? bsearch(&key, rw->e, rw->n,
				    sizeof(*rw->e), rt_ent_cmp) : NULL;
				rc = rt_emit(o, par, 'C', pn ? pn : pe, pe ?
				    RT_DIFF(from) : NULL);
				free(par);
			}
		}
	}
	rt_map_free(&m);
	return rc;
}

static bool
rt_stat_differs(const struct rt_out *o, const struct rt_ent *a,
    const struct rt_ent *b)
{
	int64_t am = a->mtime, bm = b->mtime;

	if (a->mode != b->mode || a->type != b->type)
		return true;
	/* INT64_MIN: unknown (an image tree without owners or devices) */
	if (a->uid != INT64_MIN && b->uid != INT64_MIN && (a->uid != b->uid
		|| a->gid != b->gid))
		return true;
	if (a->rdev != UINT32_MAX && b->rdev != UINT32_MAX && a->rdev !=
	    b->rdev)
		return true;
	if (a->type == TARW_DIR)
		return false;
	/* Exports and image archives are written by Go's archive/tar, which
	 * rounds a time to the second unless told a format, while a layer
	 * written otherwise may keep nanoseconds: to the second, within one
	 * second of each other is the same time. */
	if (o->secs && am != INT64_MIN && bm != INT64_MIN &&
	    (am > bm ? (uint64_t)am - (uint64_t)bm : (uint64_t)bm -
		(uint64_t)am) < 1000000000u)
		am = bm;
	if (am != bm || a->size != b->size)
		return true;
	/* the same size and time but other bytes: touched back */
	return a->has_sha && b->has_sha && memcmp(a->sha, b->sha,
	    SHA256_LEN) != 0;
}

/* How entry x of a full copy changed: of the new tree (old_side false):
 * 'A' absent from the old tree, 'C' its stat differs, else 0; of the old
 * tree: 'D' absent from the new one while its parent is there (only the
 * top of a deleted tree is listed), else 0. */
static char
rt_full_change(const struct rt_out *o, const struct rt_map *m,
    const struct rt_map *mn, const struct rt_ent *x, bool old_side)
{
	const struct rt_ent *y;
	char *par;
	bool top;

	if (!old_side) {
		y = rt_map_get(m, x->path, NULL);
		return y == NULL ? 'A' : rt_stat_differs(o, x, y) ? 'C' : 0;
	}
	if (rt_map_get(mn, x->path, NULL) != NULL)
		return 0;
	par = rt_parent(x->path);
	top = par == NULL || rt_map_get(mn, par, NULL) != NULL;
	free(par);
	return top ? 'D' : 0;
}

/* A full copy (vfs) against its parent layer: the changes, and every
 * directory above one (C, as ChangesDirs lists them). */
static int
rt_drift_full(struct rt_out *o, struct rt_layer *nw, struct rt_layer *old)
{
	struct rt_layer *both[2] = { nw, old };
	struct rt_map m, mn;
	struct rt_set above;
	int rc = 0;

	rt_sort(nw);
	rt_sort(old);
	rt_map_init(&m, old->n);
	for (size_t j = 0; j < old->n; j++)
		rt_map_put(&m, &old->e[j], old);
	rt_map_init(&mn, nw->n);
	for (size_t j = 0; j < nw->n; j++)
		rt_map_put(&mn, &nw->e[j], nw);
	rt_set_init(&above, 64);
	for (int li = 0; li < 2; li++)
		for (size_t j = 0; j < both[li]->n; j++) {
			const struct rt_ent *x = &both[li]->e[j];
			if (rt_full_change(o, &m, &mn, x, li == 1) == 0)
				continue;
			/* Docker's init layer is below the image's changes */
			if (o->docker_init && rt_skip(o, x->path))
				continue;
			for (char *par = rt_parent(x->path), *up; par != NULL;
			    par = up) {
				up = rt_parent(par);
				rt_set_add(&above, par, strlen(par));
				free(par);
			}
		}
	for (int li = 0; li < 2 && rc >= 0; li++)
		for (size_t j = 0; rc >= 0 && j < both[li]->n; j++) {
			const struct rt_ent *x = &both[li]->e[j], *y;
			char ch = rt_full_change(o, &m, &mn, x, li == 1);
			y = li == 1 ? x : rt_map_get(&m, x->path, NULL);
			if (ch == 0 && li == 0 && y != NULL &&
			    rt_set_has(&above, x->path, strlen(x->path)))
				ch = 'C';
			if (ch != 0)
				rc = rt_emit(o, x->path, ch, x, ch == 'A' ? NULL :
				    y != NULL && y->diff_id != NULL ?
				    y->diff_id : old->diff_id);
		}
	rt_set_free(&above);
	rt_map_free(&m);
	rt_map_free(&mn);
	return rc;
}

/* ---- Docker ---- */

/* Each image layer directory's diff id, from the layer database (the
 * chain whose cache-id names the directory). */
static void
rt_docker_diff_ids(struct rt *t)
{
	for (size_t i = 0; i < t->ndocs; i++) {
		const struct rt_doc *d = &t->docs[i];
		size_t kl = strlen(d->key);
		struct rt_layer *l;
		const char *diff;
		char key[200];
		if (d->key[0] != 'l' || kl <= 11 || strcmp(d->key + kl - 9,
			"/cache-id") != 0 || (l = rt_find_layer(t, d->text,
			    0)) == NULL || l->diff_id != NULL)
			continue;
		snprintf(key, sizeof(key), "%.*s/diff", (int)(kl - 9), d->key);
		if ((diff = rt_small(t, key)) != NULL)
			l->diff_id = xstrdup(diff);
	}
}

static int
rt_docker_layers_row(struct rt *t, const struct rt_layer *l,
    const char *role, const char *cid, const char *diff_id,
    const char *parent)
{
	struct net_rec r;
	struct sink *k = t->ctx->sink;

	net_rec_init(&r, NR_RTLAYER);
	r.s[RLS_DIR] = l->id;
	r.s[RLS_DRIVER] = l->drv == DRV_OVERLAY2 ? "overlay2" : l->drv ==
	    DRV_AUFS ? "aufs" : l->drv == DRV_VFS ? "vfs" : l->drv == DRV_CTD ?
	    "containerd overlayfs" : l->drv == DRV_CTDNATIVE ?
	    "containerd native" : "overlay";
	r.s[RLS_ROLE] = role;
	r.s[RLS_CID] = cid;
	r.s[RLS_DIFF] = diff_id;
	r.s[RLS_PARENT] = parent;
	r.i[RL_FILES] = (int64_t)l->n;
	return k->ops->net ? k->ops->net(k, t->ctx->artifact_id, &r, t->e) :
	    0;
}

/* config.v2.json + hostconfig.json as `docker inspect` prints them. */
static int
rt_docker_container(struct rt *t, const char *cid, size_t index)
{
	char key[100];
	const struct rt_doc *cfg, *host;
	json_t *o, *h = NULL, *mp, *mounts;
	json_error_t je;
	const char *k;
	json_t *v;
	int rc;

	snprintf(key, sizeof(key), "cfg/%s", cid);
	cfg = rt_doc(t, key);
	snprintf(key, sizeof(key), "host/%s", cid);
	host = rt_doc(t, key);
	if (cfg == NULL)
		return 0;
	o = json_loadb(cfg->text, cfg->len, 0, &je);
	if (!json_is_object(o)) {
		json_decref(o);
		return ingest_anomaly(t->ctx, -1, "container %s: "
		    "config.v2.json is not a JSON object: %s", cid, je.text);
	}
	if (host != NULL && (h = json_loadb(host->text, host->len, 0, &je)) ==
	    NULL && (rc = ingest_anomaly(t->ctx, -1, "container %s: "
			     "hostconfig.json is not JSON: %s", cid, je.text)) <
	    0) {
		json_decref(o);
		return rc;
	}
	if (json_object_get(o, "Id") == NULL && json_object_get(o, "ID"))
		json_object_set(o, "Id", json_object_get(o, "ID"));
	if (json_object_get(o, "Id") == NULL)
		json_object_set_new(o, "Id", json_string(cid));
	if (h != NULL)
		json_object_set_new(o, "HostConfig", h);
	mp = json_object_get(o, "MountPoints");
	mounts = json_array();
	json_object_foreach(mp, k, v) {
		json_t *m = json_object();
		json_object_set(m, "Type", json_object_get(v, "Type"));
		json_object_set(m, "Source", json_object_get(v, "Source"));
		json_object_set_new(m, "Destination", json_string(k));
		json_object_set(m, "RW", json_object_get(v, "RW"));
		json_object_set(m, "Propagation", json_object_get(v,
		    "Propagation"));
		json_object_set(m, "Name", json_object_get(v, "Name"));
		json_array_append_new(mounts, m);
	}
	json_object_set_new(o, "Mounts", mounts);
	rc = inspect_doc(t->ctx, o, index, t->e);
	json_decref(o);
	return rc;
}

static int
rt_docker(struct rt *t)
{
	size_t index = 0;
	int rc = 0;

	rt_docker_diff_ids(t);
	for (size_t i = 0; rc >= 0 && i < t->ndocs; i++) {
		const char *key = t->docs[i].key;
		const char *cid, *mount, *init, *chain;
		struct rt_layer *low[256], *rw;
		size_t nlow = 0;
		char k[200], initdir[120];
		struct rt_out o;
		if (strncmp(key, "cfg/", 4) != 0)
			continue;
		cid = key + 4;
		if ((rc = rt_docker_container(t, cid, index++)) < 0)
			break;
		snprintf(k, sizeof(k), "m/%s/mount-id", cid);
		mount = rt_small(t, k);
		snprintf(k, sizeof(k), "m/%s/init-id", cid);
		init = rt_small(t, k);
		snprintf(k, sizeof(k), "m/%s/parent", cid);
		chain = rt_small(t, k);
		rw = mount ? rt_find_layer(t, mount, 0) : NULL;
		if (rw == NULL) {
			rc = ingest_anomaly(t->ctx, -1, "container %s: no "
			    "writable layer in the copy (layerdb mount-id "
			    "'%s'): no drift", cid, mount ? mount : "?");
			continue;
		}
		if ((rc = rt_docker_layers_row(t, rw, "rw", cid, NULL,
			 NULL)) < 0)
			break;
		if (init == NULL) {
			snprintf(initdir, sizeof(initdir), "%s-init", mount);
			init = initdir;
		}
		if ((low[nlow] = rt_find_layer(t, init, 0)) != NULL) {
			if ((rc = rt_docker_layers_row(t, low[nlow], "init",
				 cid, NULL, NULL)) < 0)
				break;
			nlow++;
		}
		while (chain != NULL && nlow < ARRAY_SIZE(low)) {
			const char *c = strncmp(chain, "sha256:", 7) == 0 ?
			    chain + 7 : chain;
			const char *cache;
			snprintf(k, sizeof(k), "l/%s/cache-id", c);
			cache = rt_small(t, k);
			if (cache == NULL || (low[nlow] = rt_find_layer(t,
				cache, 0)) == NULL) {
				rc = ingest_anomaly(t->ctx, -1, "container %s: "
				    "image layer %s is not in the copy: drift "
				    "against the layers above it only", cid, c);
				break;
			}
			nlow++;
			snprintf(k, sizeof(k), "l/%s/parent", c);
			chain = rt_small(t, k);
		}
		if (rc < 0)
			break;
		memset(&o, 0, sizeof(o));
		o.t = t;
		o.cid = cid;
		o.source = rw->drv == DRV_AUFS ? "aufs" : "overlay2";
		rt_set_init(&o.listed, 64);
		rc = rt_drift_changes(&o, rw, low, nlow);
		rt_set_free(&o.listed);
	}
	/* image layers, once */
	for (size_t i = 0; rc >= 0 && i < t->nlayers; i++)
		if (t->layers[i].diff_id != NULL)
			rc = rt_docker_layers_row(t, &t->layers[i], "image",
			    NULL, t->layers[i].diff_id, NULL);
	return rc;
}

/* ---- containers/storage ---- */

static json_t *
rt_cs_json(struct rt *t, const char *name)
{
	char key[64];
	const struct rt_doc *d;
	json_error_t je;
	json_t *v;

	snprintf(key, sizeof(key), "cs/%s", name);
	if ((d = rt_doc(t, key)) == NULL)
		return NULL;
	v = json_loadb(d->text, d->len, 0, &je);
	if (!json_is_array(v)) {
		json_decref(v);
		(void)ingest_anomaly(t->ctx, -1, "%s is not a JSON array: %s",
		    name, je.text);
		return NULL;
	}
	return v;
}

static json_t *
rt_cs_find(json_t *arr, const char *id)
{
	for (size_t i = 0; id && i < json_array_size(arr); i++) {
		const char *x = json_string_value(json_object_get(
		    json_array_get(arr, i), "id"));
		if (x && strcmp(x, id) == 0)
			return json_array_get(arr, i);
	}
	return NULL;
}

static int
rt_cs(struct rt *t)
{
	json_t *ctrs = rt_cs_json(t, "containers.json");
	json_t *layers = rt_cs_json(t, "layers.json");
	json_t *images = rt_cs_json(t, "images.json");
	struct sink *k = t->ctx->sink;
	int rc = 0;

	/* each layer directory's diff id */
	for (size_t i = 0; i < json_array_size(layers); i++) {
		json_t *ly = json_array_get(layers, i);
		struct rt_layer *l = rt_find_layer(t, json_string_value(
		    json_object_get(ly, "id")), 0);
		const char *d = json_string_value(json_object_get(ly,
		    "diff-digest"));
		if (l != NULL && l->diff_id == NULL && d != NULL)
			l->diff_id = xstrdup(d);
	}
	for (size_t i = 0; rc >= 0 && i < json_array_size(ctrs); i++) {
		json_t *c = json_array_get(ctrs, i), *img, *md = NULL;
		const char *cid = json_string_value(json_object_get(c, "id"));
		const char *lid = json_string_value(json_object_get(c,
		    "layer"));
		const char *name = json_string_value(json_array_get(
		    json_object_get(c, "names"), 0));
		const char *iname = NULL, *parent;
		struct rt_layer *rw, *low[256];
		size_t nlow = 0;
		struct rt_out o;
		if (cid == NULL)
			continue;
		img = rt_cs_find(images, json_string_value(json_object_get(c,
		    "image")));
		if (json_is_string(json_object_get(c, "metadata")))
			md = json_loads(json_string_value(json_object_get(c,
			    "metadata")), 0, NULL);
		iname = json_string_value(json_object_get(md, "image-name"));
		if (iname == NULL)
			iname = json_string_value(json_array_get(
			    json_object_get(img, "names"), 0));
		if (k->ops->container) {
			struct container_rec cr;
			memset(&cr, 0, sizeof(cr));
			cr.id = cid;
			cr.name = name;
			cr.image = iname;
			cr.privileged = -1;
			rc = k->ops->container(k, t->ctx->artifact_id, &cr,
			    t->e);
		}
		json_decref(md);
		if (rc < 0)
			break;
		rw = rt_find_layer(t, lid, 0);
		if (rw == NULL) {
			rc = ingest_anomaly(t->ctx, -1, "container %s: its "
			    "layer %s is not in the copy: no drift", cid,
			    lid ? lid : "?");
			continue;
		}
		parent = json_string_value(json_object_get(rt_cs_find(layers,
		    lid), "parent"));
		if ((rc = rt_docker_layers_row(t, rw, "rw", cid, NULL,
			 parent)) < 0)
			break;
		memset(&o, 0, sizeof(o));
		o.t = t;
		o.cid = cid;
		o.podman = true;
		rt_set_init(&o.listed, 64);
		if (rw->drv == DRV_VFS) {
			struct rt_layer *pl = rt_find_layer(t, parent, DRV_VFS);
			o.source = "vfs";
			if (pl == NULL)
				rc = ingest_anomaly(t->ctx, -1, "container %s: "
				    "image layer %s is not in the copy: no "
				    "drift", cid, parent ? parent : "?");
			else
				rc = rt_drift_full(&o, rw, pl);
		} else {
			o.source = "overlay";
			while (parent && nlow < ARRAY_SIZE(low) &&
			    (low[nlow] = rt_find_layer(t, parent, 0)) != NULL) {
				nlow++;
				parent = json_string_value(json_object_get(
				    rt_cs_find(layers, parent), "parent"));
			}
			rc = rt_drift_changes(&o, rw, low, nlow);
		}
		rt_set_free(&o.listed);
	}
	for (size_t i = 0; rc >= 0 && i < json_array_size(layers); i++) {
		json_t *ly = json_array_get(layers, i);
		struct rt_layer *l = rt_find_layer(t, json_string_value(
		    json_object_get(ly, "id")), 0);
		bool is_rw = false;
		for (size_t j = 0; j < json_array_size(ctrs); j++) {
			const char *x = json_string_value(json_object_get(
			    json_array_get(ctrs, j), "layer"));
			if (l && x && strcmp(x, l->id) == 0)
				is_rw = true;
		}
		if (l != NULL && !is_rw)
			rc = rt_docker_layers_row(t, l, "image", NULL,
			    l->diff_id, json_string_value(json_object_get(ly,
				"parent")));
	}
	json_decref(ctrs);
	json_decref(layers);
	json_decref(images);
	return rc;
}

/* ---- containerd ---- */

/* A snapshot of a snapshotter's metadata.db: v1/snapshots/<backend key>
 * {id uvarint, parent backend key}. */
struct rt_csnap {
	const char *key;
	size_t kn;
	uint64_t id;
	const uint8_t *parent;
	size_t pn;
	int kind;	/* 1 view, 2 active, 3 committed */
};

struct rt_ctd {
	struct rt *t;
	struct bolt meta;
	struct bolt_bucket mroot;
	struct bolt snap[2];	   /* overlayfs, native */
	struct bolt_bucket sroot[2];
	bool have[2];
	char **diffs;		   /* containerd.io/uncompressed labels */
	size_t ndiffs;
	size_t index;		   /* containers so far */
	int pass;		   /* 0 labels, 1 containers */
	/* the entry being read */
	struct rt_csnap cur;
	json_t *obj;
	const char *ns;
};

static int
rt_ctd_str(json_t *o, const char *k, const uint8_t *v, size_t vn)
{
	json_t *s = json_stringn((const char *)v, vn);

	return s != NULL ? json_object_set_new(o, k, s) : 0;
}

/* A bucket's plain values as a JSON object of strings. */
static int
rt_ctd_obj_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_ctd *c = user;
	char key[256];

	if (sub != NULL || json_object_size(c->obj) >= 4096 ||
	    !bolt_keystr(k, kn, key, sizeof(key)))
		return 0;
	return rt_ctd_str(c->obj, key, v, vn);
}

static json_t *
rt_ctd_obj(struct rt_ctd *c, struct bolt *b, const struct bolt_bucket *bk)
{
	json_t *o = json_object(), *save = c->obj;

	c->obj = o;
	if (bolt_each(b, bk, rt_ctd_obj_fn, c) < 0) {
		json_decref(o);
		o = NULL;
	}
	c->obj = save;
	return o;
}

static int
rt_ctd_snap_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_csnap *x = user;
	struct rd r;

	(void)sub;
	if (v == NULL)
		return 0;
	if (kn == 2 && memcmp(k, "id", 2) == 0) {
		rd_init(&r, v, vn, 0);
		x->id = rd_uvarint(&r);
		if (!rd_ok(&r))
			x->id = 0;
	} else if (kn == 6 && memcmp(k, "parent", 6) == 0) {
		x->parent = v;
		x->pn = vn;
	} else if (kn == 4 && memcmp(k, "kind", 4) == 0 && vn == 1) {
		x->kind = v[0];
	}
	return 0;
}

/* Backend key key (kn bytes) of snapshotter i: its id and parent. */
static int
rt_ctd_snap(struct rt_ctd *c, int i, const uint8_t *key, size_t kn,
    struct rt_csnap *x)
{
	struct bolt_bucket v1, snaps, one;
	char k[512];

	memset(x, 0, sizeof(*x));
	if (!c->have[i] || !bolt_keystr(key, kn, k, sizeof(k)))
		return 0;
	if (bolt_bucket(&c->snap[i], &c->sroot[i], "v1", &v1) != 1 ||
	    bolt_bucket(&c->snap[i], &v1, "snapshots", &snaps) != 1 ||
	    bolt_bucket(&c->snap[i], &snaps, k, &one) != 1)
		return 0;
	x->key = (const char *)key;
	x->kn = kn;
	if (bolt_each(&c->snap[i], &one, rt_ctd_snap_fn, x) < 0)
		return -1;
	return x->id != 0;
}

/* The chain id in a backend key "<ns>/<n>/<key>". */
static const char *
rt_ctd_chain(const struct rt_csnap *x, size_t *n)
{
	const char *p = memchr(x->key, '/', x->kn), *q;

	if (p == NULL || (q = memchr(p + 1, '/', x->kn - (size_t)(p + 1 -
	    x->key))) == NULL) {
		*n = 0;
		return "";
	}
	*n = x->kn - (size_t)(q + 1 - x->key);
	return q + 1;
}

/* Which diff id makes chain id `chain` over parent chain `up`
 * (chainID(n) = sha256(chainID(n-1) + " " + diffID(n))). */
static const char *
rt_ctd_diff(struct rt_ctd *c, const char *up, size_t un, const char *chain,
    size_t cn)
{
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX], buf[160];

	if (un == 0)
		return NULL;
	for (size_t i = 0; i < c->ndiffs; i++) {
		int k = snprintf(buf, sizeof(buf), "%.*s %s", (int)un, up,
		    c->diffs[i]);
		if (k <= 0 || (size_t)k >= sizeof(buf))
			continue;
		sha256(buf, (size_t)k, d);
		hex_encode(d, SHA256_LEN, hex);
		if (cn == 71 && memcmp(chain, "sha256:", 7) == 0 &&
		    memcmp(chain + 7, hex, 64) == 0)
			return c->diffs[i];
	}
	return NULL;
}

/* Protobuf Any {1: type_url, 2: value}: the value. */
static const uint8_t *
rt_ctd_any(const uint8_t *p, size_t n, size_t *vn)
{
	struct rd r;

	rd_init(&r, p, n, 0);
	while (rd_left(&r) > 0) {
		uint64_t tag = rd_uvarint(&r), len;
		const uint8_t *v;
		if ((tag & 7) != 2)
			return NULL;
		len = rd_uvarint(&r);
		if (len > rd_left(&r) || rd_bytes(&r, (size_t)len, &v) != 0)
			return NULL;
		if (tag >> 3 == 2) {
			*vn = (size_t)len;
			return v;
		}
	}
	return NULL;
}

static int
rt_ctd_label_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_ctd *c = user;

	(void)sub;
	if (v != NULL && kn == 26 && memcmp(k, "containerd.io/uncompressed",
	    26) == 0 && vn == 71 && c->ndiffs < 65536) {
		c->diffs = xreallocarray(c->diffs, c->ndiffs + 1,
		    sizeof(*c->diffs));
		c->diffs[c->ndiffs++] = xstrndup((const char *)v, vn);
	}
	return 0;
}

static int
rt_ctd_blob_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_ctd *c = user;
	struct bolt_bucket lb;

	(void)k;
	(void)kn;
	(void)v;
	(void)vn;
	if (sub == NULL || bolt_bucket(&c->meta, sub, "labels", &lb) != 1)
		return 0;
	return bolt_each(&c->meta, &lb, rt_ctd_label_fn, c) < 0 ? -1 : 0;
}

/* Every snapshot of snapshotter i: its layer's kind and, committed, its
 * diff id from its chain id and its parent's. */
struct rt_ctd_all {
	struct rt_ctd *c;
	int i;
};

static int
rt_ctd_all_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_ctd_all *a = user;
	struct rt_ctd *c = a->c;
	struct rt_csnap x, up;
	struct rt_layer *l;
	char lid[64];
	const char *chain, *uc, *d = NULL;
	size_t cn, un;

	(void)v;
	(void)vn;
	if (sub == NULL || rt_ctd_snap(c, a->i, k, kn, &x) <= 0)
		return 0;
	snprintf(lid, sizeof(lid), "%s/%" PRIu64, a->i == 0 ? "overlayfs" :
	    "native", x.id);
	if ((l = rt_find_layer(c->t, lid, a->i == 0 ? DRV_CTD :
	    DRV_CTDNATIVE)) == NULL)
		return 0;
	l->ctd_kind = x.kind;
	if (x.kind != 3 || l->diff_id != NULL)
		return 0;
	chain = rt_ctd_chain(&x, &cn);
	if (x.parent == NULL)
		d = cn == 71 ? chain : NULL;
	else if (rt_ctd_snap(c, a->i, x.parent, x.pn, &up) > 0) {
		uc = rt_ctd_chain(&up, &un);
		d = rt_ctd_diff(c, uc, un, chain, cn);
	}
	if (d != NULL)
		l->diff_id = xstrndup(d, 71);
	return 0;
}

/* One container of namespace c->ns: its document, layers and drift. */
static int
rt_ctd_container(struct rt_ctd *c, const struct bolt_bucket *nsb,
    const char *id, const struct bolt_bucket *cb)
{
	struct rt *t = c->t;
	json_t *doc, *st, *info, *md, *labels = NULL, *spec = NULL;
	const uint8_t *v;
	size_t vn;
	char snapshotter[32] = "", skey[512] = "";
	struct rt_layer *rw = NULL, *low[256];
	size_t nlow = 0;
	struct rt_csnap x;
	int si, rc;

	doc = json_object();
	st = json_object();
	info = json_object();
	md = json_object();
	json_object_set_new(doc, "status", st);
	json_object_set_new(doc, "info", info);
	json_object_set_new(st, "metadata", md);
	json_object_set_new(st, "id", json_string(id));
	if (bolt_get(&c->meta, cb, "image", &v, &vn) == 1) {
		json_t *im = json_object();
		rt_ctd_str(im, "image", v, vn);
		json_object_set_new(st, "image", im);
	}
	if (bolt_get(&c->meta, cb, "snapshotter", &v, &vn) == 1)
		(void)bolt_keystr(v, vn, snapshotter, sizeof(snapshotter));
	if (bolt_get(&c->meta, cb, "snapshotKey", &v, &vn) == 1)
		(void)bolt_keystr(v, vn, skey, sizeof(skey));
	{
		struct bolt_bucket lb;
		if (bolt_bucket(&c->meta, cb, "labels", &lb) == 1 &&
		    (labels = rt_ctd_obj(c, &c->meta, &lb)) != NULL)
			json_object_set(st, "labels", labels);
	}
	json_object_set_new(md, "name", json_string(json_string_value(
	    json_object_get(labels, "io.kubernetes.container.name")) ?
	    json_string_value(json_object_get(labels,
		"io.kubernetes.container.name")) : id));
	if (bolt_get(&c->meta, cb, "spec", &v, &vn) == 1 &&
	    (v = rt_ctd_any(v, vn, &vn)) != NULL &&
	    (spec = json_loadb((const char *)v, vn, 0, NULL)) != NULL)
		json_object_set_new(info, "runtimeSpec", spec);
	json_object_set_new(info, "snapshotter", json_string(snapshotter));
	json_object_set_new(info, "snapshotKey", json_string(skey));
	json_object_set_new(info, "namespace", json_string(c->ns));
	json_decref(labels);
	rc = inspect_doc(t->ctx, doc, c->index++, t->e);
	json_decref(doc);
	if (rc < 0)
		return rc;

	/* the snapshot chain, top first */
	si = strcmp(snapshotter, "overlayfs") == 0 ? 0 :
	    strcmp(snapshotter, "native") == 0 ? 1 : -1;
	if (si < 0 || !c->have[si] || skey[0] == '\0')
		return ingest_anomaly(t->ctx, -1, "containerd container %s: "
		    "snapshotter '%s' %s: no drift", id, snapshotter, si < 0 ?
		    "is not read (overlayfs and native are)" : "metadata is "
		    "not in the copy");
	{
		struct bolt_bucket sb, s2, one;
		const uint8_t *name;
		size_t nn;
		if (bolt_bucket(&c->meta, nsb, "snapshots", &sb) != 1 ||
		    bolt_bucket(&c->meta, &sb, snapshotter, &s2) != 1 ||
		    bolt_bucket(&c->meta, &s2, skey, &one) != 1 ||
		    bolt_get(&c->meta, &one, "name", &name, &nn) != 1)
			return ingest_anomaly(t->ctx, -1, "containerd container "
			    "%s: snapshot %s is not in meta.db: no drift", id,
			    skey);
		rc = rt_ctd_snap(c, si, name, nn, &x);
	}
	while (rc > 0 && nlow < ARRAY_SIZE(low)) {
		char lid[64];
		struct rt_layer *l;
		snprintf(lid, sizeof(lid), "%s/%" PRIu64, si == 0 ?
		    "overlayfs" : "native", x.id);
		l = rt_find_layer(t, lid, si == 0 ? DRV_CTD : DRV_CTDNATIVE);
		if (l == NULL)
			return ingest_anomaly(t->ctx, -1, "containerd container "
			    "%s: snapshot directory %s is not in the copy: no "
			    "drift", id, lid);
		if (rw == NULL)
			rw = l;
		else
			low[nlow++] = l;
		if (x.parent == NULL)
			break;
		rc = rt_ctd_snap(c, si, x.parent, x.pn, &x);
	}
	if (rc < 0)
		return ingest_anomaly(t->ctx, -1, "containerd %s metadata.db: "
		    "%s", snapshotter, c->snap[si].why);
	if (rw == NULL)
		return ingest_anomaly(t->ctx, -1, "containerd container %s: "
		    "snapshot %s is not in the snapshotter's metadata: no "
		    "drift", id, skey);
	if ((rc = rt_docker_layers_row(t, rw, "rw", id, NULL, nlow ?
		 low[0]->id : NULL)) < 0)
		return rc;
	rw->rw = true;
	{
		struct rt_out o;
		memset(&o, 0, sizeof(o));
		o.t = t;
		o.cid = id;
		o.podman = true; /* runc's mount points are in the layer */
		rt_set_init(&o.listed, 64);
		if (si == 0) {
			o.source = "containerd overlayfs";
			rc = rt_drift_changes(&o, rw, low, nlow);
		} else {
			o.source = "containerd native";
			rc = nlow > 0 ? rt_drift_full(&o, rw, low[0]) :
			    ingest_anomaly(t->ctx, -1, "containerd container "
			    "%s: no parent snapshot: no drift", id);
		}
		rt_set_free(&o.listed);
	}
	return rc;
}

struct rt_ctd_walk {
	struct rt_ctd *c;
	const struct bolt_bucket *nsb;
	int rc;
};

static int
rt_ctd_ctr_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_ctd_walk *w = user;
	char id[256];

	(void)v;
	(void)vn;
	if (sub == NULL || !bolt_keystr(k, kn, id, sizeof(id)))
		return 0;
	if ((w->rc = rt_ctd_container(w->c, w->nsb, id, sub)) < 0)
		return 1;
	return 0;
}

/* A namespace: its uncompressed-layer labels (pass 0) or its containers
 * (pass 1). */
static int
rt_ctd_ns_fn(void *user, const uint8_t *k, size_t kn, const uint8_t *v,
    size_t vn, const struct bolt_bucket *sub)
{
	struct rt_ctd *c = user;
	struct rt_ctd_walk w = { c, sub, 0 };
	struct bolt_bucket cs, blob;
	char ns[256];

	(void)v;
	(void)vn;
	if (sub == NULL || !bolt_keystr(k, kn, ns, sizeof(ns)))
		return 0;
	c->ns = ns;
	if (c->pass == 0)
		return bolt_bucket(&c->meta, sub, "content", &cs) == 1 &&
		    bolt_bucket(&c->meta, &cs, "blob", &blob) == 1 &&
		    bolt_each(&c->meta, &blob, rt_ctd_blob_fn, c) < 0 ? -1 : 0;
	if (bolt_bucket(&c->meta, sub, "containers", &cs) == 1 &&
	    bolt_each(&c->meta, &cs, rt_ctd_ctr_fn, &w) < 0)
		return -1;
	return w.rc < 0 ? 1 : 0;
}

static int
rt_ctd(struct rt *t)
{
	const struct rt_doc *m = rt_doc(t, "ctd/meta");
	static const char *const sn[2] = { "ctd/snap/overlayfs",
		"ctd/snap/native" };
	struct rt_ctd c;
	struct bolt_bucket v1;
	int rc = 0, r;

	if (m == NULL) {
		bool any = false;
		for (size_t i = 0; i < t->nlayers; i++)
			if (t->layers[i].drv == DRV_CTD ||
			    t->layers[i].drv == DRV_CTDNATIVE)
				any = true;
		return any ? ingest_anomaly(t->ctx, -1, "containerd "
		    "snapshots without io.containerd.metadata.v1.bolt/meta.db:"
		    " no containers, no drift") : 0;
	}
	memset(&c, 0, sizeof(c));
	c.t = t;
	if (bolt_open(&c.meta, (const uint8_t *)m->text, m->len, &c.mroot) <
	    0)
		return ingest_anomaly(t->ctx, -1, "containerd meta.db: %s",
		    c.meta.why);
	for (int i = 0; i < 2; i++) {
		const struct rt_doc *d = rt_doc(t, sn[i]);
		if (d == NULL)
			continue;
		if (bolt_open(&c.snap[i], (const uint8_t *)d->text, d->len,
			&c.sroot[i]) < 0) {
			if ((rc = ingest_anomaly(t->ctx, -1, "containerd %s "
				    "metadata.db: %s", i ? "native" :
				    "overlayfs", c.snap[i].why)) < 0)
				return rc;
			continue;
		}
		c.have[i] = true;
	}
	if (bolt_bucket(&c.meta, &c.mroot, "v1", &v1) != 1) {
		rc = ingest_anomaly(t->ctx, -1, "containerd meta.db: no v1 "
		    "bucket%s%s", c.meta.why[0] ? ": " : "", c.meta.why);
		goto out;
	}
	/* every namespace's uncompressed-layer labels, each snapshot's
	 * kind and diff id, then the containers */
	if ((r = bolt_each(&c.meta, &v1, rt_ctd_ns_fn, &c)) < 0)
		rc = ingest_anomaly(t->ctx, -1, "containerd meta.db: %s",
		    c.meta.why);
	for (int i = 0; rc >= 0 && i < 2; i++) {
		struct rt_ctd_all a = { &c, i };
		struct bolt_bucket s1, s2;
		if (c.have[i] && bolt_bucket(&c.snap[i], &c.sroot[i], "v1",
			&s1) == 1 && bolt_bucket(&c.snap[i], &s1, "snapshots",
			&s2) == 1 && bolt_each(&c.snap[i], &s2, rt_ctd_all_fn,
			&a) < 0)
			rc = ingest_anomaly(t->ctx, -1, "containerd %s "
			    "metadata.db: %s", i ? "native" : "overlayfs",
			    c.snap[i].why);
	}
	if (rc < 0)
		goto out;
	c.pass = 1;
	if ((r = bolt_each(&c.meta, &v1, rt_ctd_ns_fn, &c)) < 0)
		rc = ingest_anomaly(t->ctx, -1, "containerd meta.db: %s",
		    c.meta.why);
	else if (r > 0)
		rc = DD_EINTERNAL; /* a container's rows failed: e is set */
	if (rc >= 0)
		for (size_t i = 0; rc >= 0 && i < t->nlayers; i++) {
			struct rt_layer *l = &t->layers[i];
			if ((l->drv == DRV_CTD || l->drv == DRV_CTDNATIVE) &&
			    !l->rw)
				rc = rt_docker_layers_row(t, l, l->ctd_kind ==
				    3 ? "image" : l->ctd_kind == 1 ? "view" :
				    l->ctd_kind == 2 ? "active" : "unknown",
				    NULL, l->diff_id, NULL);
		}
out:
	for (size_t i = 0; i < c.ndiffs; i++)
		free(c.diffs[i]);
	free(c.diffs);
	return rc;
}

static void
rt_free(struct rt *t)
{
	for (size_t i = 0; i < t->nlayers; i++) {
		for (size_t j = 0; j < t->layers[i].n; j++) {
			free(t->layers[i].e[j].path);
			free(t->layers[i].e[j].link);
		}
		free(t->layers[i].e);
		free(t->layers[i].id);
		free(t->layers[i].diff_id);
	}
	free(t->layers);
	for (size_t i = 0; i < t->ndocs; i++) {
		free(t->docs[i].key);
		free(t->docs[i].text);
	}
	free(t->docs);
	sha_free(t->sha);
	sbuf_release(&t->tmp);
	rt_set_free(&t->keys);
}

static int
imp_runtime_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct rt t;
	struct tarw *w;
	struct tarw_entry ent;
	int rc;

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.e = e;
	t.sha = sha_new();
	sbuf_init(&t.tmp, 2 * TARW_NAME_MAX);
	rt_set_init(&t.keys, 64);
	w = tarw_new(ingest_read_src, ctx, ctx->src->name);
	while ((rc = tarw_next(w, &ent, e)) > 0)
		if ((rc = rt_member(&t, w, &ent)) < 0)
			break;
	if (rc == DD_ETRUNC && (t.ndocs > 0 || t.nlayers > 0)) {
		/* keep what came before the cut */
		rc = ingest_anomaly(ctx, -1, "%s", e->msg);
		dd_err_clear(e);
	}
	if (rc >= 0) {
		rt_sort_tables(&t);
		for (size_t i = 0; rc >= 0 && i < t.nlayers; i++)
			rc = rt_hardlinks(&t, &t.layers[i]);
		if (rc >= 0 && t.ndocs == 0 && t.nlayers == 0)
			rc = dd_err_set(e, DD_EFORMAT, "'%s': no container "
			    "runtime root (Docker's containers/, image/, "
			    "overlay2/ or containers/storage's *-containers/, "
			    "vfs/, overlay/) in this tar", ctx->src->name);
	}
	if (rc >= 0)
		rc = rt_docker(&t);
	if (rc >= 0)
		rc = rt_cs(&t);
	if (rc >= 0)
		rc = rt_ctd(&t);
	tarw_free(w);
	rt_free(&t);
	return rc < 0 ? rc : 0;
}

/* A tar whose first members name a runtime root's directories. */
static int
imp_runtime_sniff(const uint8_t *head, size_t n, const char *basename)
{
	static const char *const names[] = {
		"var/lib/docker/", "docker/containers/", "docker/image/",
		"docker/overlay2/", "containers/storage/", "/vfs-containers",
		"/overlay-containers", "/vfs/dir/", "/overlay2/",
		"io.containerd.metadata.v1.bolt/", "io.containerd.snapshotter.v1.",
	};

	static const char *const roots[] = { "docker/", "storage/" };
	char first[101];

	(void)basename;
	if (!tarw_is_tar(head, n))
		return 0;
	/* the first member: the root's own directory */
	memcpy(first, head, 100);
	first[100] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
		size_t fl = strlen(first), rl = strlen(roots[i]);
		if (fl >= rl && strcmp(first + fl - rl, roots[i]) == 0 &&
		    (fl == rl || first[fl - rl - 1] == '/'))
			return 30;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (memmem(head, n, names[i], strlen(names[i])) != NULL)
			return 30;
	return 0;
}

const struct importer imp_runtime = {
	.abi = INGEST_ABI,
	.name = "runtime",
	.version = "1",
	.summary = "a copied container-runtime root as a tar (Docker overlay2 "
		   "or aufs, containers/storage vfs or overlay, containerd "
		   "overlayfs or native): containers, layers, and each "
		   "container's drift from its image",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_runtime_sniff,
	.import = imp_runtime_import,
	.options = NULL,
	.zlevel = 0,
};

/* ---- docker export / podman export ---- */

static int
rt_type_code(const char *t)
{
	static const struct {
		const char *name;
		int type;
	} map[] = {
		{ "dir", TARW_DIR }, { "symlink", TARW_SYMLINK },
		{ "hardlink", TARW_HARDLINK }, { "char", TARW_CHAR },
		{ "block", TARW_BLOCK }, { "fifo", TARW_FIFO },
	};
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(t, map[i].name) == 0)
			return map[i].type;
	return TARW_FILE;
}

/* The image's merged tree from the case as a layer of entries: hard
 * links become their target's file, as in the export. */
static void
rt_tree_layer(const struct imgfs_tree *tr, struct rt_layer *l)
{
	memset(l, 0, sizeof(*l));
	l->id = xstrdup("image");
	l->drv = DRV_VFS;
	l->e = xcalloc(MAX(tr->n, (size_t)1), sizeof(*l->e));
	for (size_t i = 0; i < tr->n; i++) {
		const struct imgfs_tree_ent *y = &tr->e[i];
		struct rt_ent *x = &l->e[l->n];
		if (strcmp(y->path, "/") == 0 || y->path[0] != '/')
			continue;
		x->path = xstrdup(y->path);
		x->type = rt_type_code(y->type);
		x->mode = y->mode;
		x->uid = y->uid;
		x->gid = y->gid;
		x->mtime = y->mtime;
		x->size = x->type == TARW_DIR ? 0 : y->size;
		x->rdev = UINT32_MAX; /* not in the fs relation */
		x->data_off = -1;
		x->has_sha = y->sha256 != NULL && strlen(y->sha256) == 64 &&
		    hex_decode(y->sha256, x->sha, SHA256_LEN) == 0;
		x->link = y->link != NULL ? xstrdup(y->link) : NULL;
		x->diff_id = y->diff_id;
		l->n++;
	}
	l->cap = l->n;
	l->sorted = true; /* ORDER BY path: strcmp order */
	for (size_t i = 0; i < l->n; i++) {
		struct rt_ent *x = &l->e[i];
		struct rt_ent key, *t;
		if (x->type != TARW_HARDLINK || x->link == NULL)
			continue;
		key.path = x->link;
		t = bsearch(&key, l->e, l->n, sizeof(*l->e), rt_ent_cmp);
		if (t != NULL && t->type == TARW_FILE) {
			x->type = TARW_FILE;
			x->size = t->size;
			memcpy(x->sha, t->sha, SHA256_LEN);
			x->has_sha = t->has_sha;
			free(x->link);
			x->link = NULL;
		}
	}
}

/* A member of an export: the root filesystem, names relative to "/". */
static int
rt_export_member(struct rt *t, struct tarw *w, const struct tarw_entry *ent,
    struct rt_layer *l, bool *dockerenv, bool *containerenv)
{
	const char *n = ent->name;

	while (n[0] == '.' && n[1] == '/')
		n += 2;
	while (n[0] == '/')
		n++;
	sbuf_reset(&t->tmp);
	sbuf_addch(&t->tmp, '/');
	sbuf_addstr(&t->tmp, n);
	while (t->tmp.len > 1 && t->tmp.buf[t->tmp.len - 1] == '/')
		t->tmp.buf[--t->tmp.len] = '\0';
	if (t->tmp.len <= 1 || strcmp(t->tmp.buf, "/.") == 0)
		return 0; /* the root itself */
	if (strcmp(t->tmp.buf, "/.dockerenv") == 0)
		*dockerenv = true;
	if (strcmp(t->tmp.buf, "/run/.containerenv") == 0)
		*containerenv = true;
	{
		char *path = xstrdup(t->tmp.buf);
		int rc = rt_file(t, w, ent, l, path, 0);
		free(path);
		return rc;
	}
}

static int
imp_export_import(struct imp_ctx *ctx, struct dd_err *e)
{
	const struct imgfs_tree *tr = ctx->tree;
	struct rt t;
	struct rt_layer *nw, old;
	struct tarw *w;
	struct tarw_entry ent;
	struct rt_out o;
	bool dockerenv = false, containerenv = false;
	char hint[256];
	int rc;

	memset(&t, 0, sizeof(t));
	memset(&old, 0, sizeof(old));
	t.ctx = ctx;
	t.e = e;
	t.sha = sha_new();
	sbuf_init(&t.tmp, 2 * TARW_NAME_MAX);
	rt_set_init(&t.keys, 64);
	nw = rt_layer(&t, "export", 6, DRV_VFS);
	w = tarw_new(ingest_read_src, ctx, ctx->src->name);
	while ((rc = tarw_next(w, &ent, e)) > 0)
		if ((rc = rt_export_member(&t, w, &ent, nw, &dockerenv,
			 &containerenv)) < 0)
			break;
	if (rc == DD_ETRUNC && nw->n > 0) {
		rc = ingest_anomaly(ctx, -1, "%s: the export is cut, so "
		    "files after the cut show as deleted", e->msg);
		dd_err_clear(e);
	}
	if (rc >= 0 && nw->n == 0)
		rc = dd_err_set(e, DD_EFORMAT, "'%s': no files in this tar",
		    ctx->src->name);
	if (rc >= 0)
		rc = rt_hardlinks(&t, nw);
	memset(&o, 0, sizeof(o));
	o.t = &t;
	o.source = "export";
	o.secs = true;
	/* podman's mount points are in the container's own layer, and it
	 * lists their parents; Docker's are in the init layer, below. */
	o.podman = containerenv;
	o.docker_init = !containerenv;
	if (tr != NULL && tr->container_id != NULL) {
		o.cid = tr->container_id;
	} else {
		const char *c = ingest_opt(ctx, &imp_export, "container");
		if (c != NULL && *c != '\0')
			snprintf(hint, sizeof(hint), "%s", c);
		else
			ingest_container_hint(ctx->src->name, hint,
			    sizeof(hint));
		o.cid = hint;
	}
	if (rc >= 0 && (tr == NULL || tr->image_id == 0)) {
		/* Compared at import only: refused (case unchanged) so that
		 * it can be imported again once the image is in, unless
		 * -o image=none asks to keep it without drift. */
		const char *img = ingest_opt(ctx, &imp_export, "image");
		const char *why = tr != NULL && tr->why != NULL ? tr->why :
		    "no case to compare with";
		if (img != NULL && strcmp(img, "none") == 0)
			rc = ingest_anomaly(ctx, -1, "no drift: kept without "
			    "an image (-o image=none)");
		else
			rc = dd_err_set(e, DD_EFORMAT, "'%s': cannot compare "
			    "the export with its image: %s; import the image "
			    "and the container's inspect output first (or in "
			    "the same command), give -o image=REF, or -o "
			    "image=none to keep it without drift",
			    ctx->src->name, why);
	} else if (rc >= 0) {
		if (tr->cut)
			rc = ingest_anomaly(ctx, -1, "image %s has more than "
			    "%u files: drift compares the first ones only",
			    tr->image ? tr->image : "?", INGEST_TREE_MAX);
		rt_tree_layer(tr, &old);
		rt_set_init(&o.listed, 64);
		if (rc >= 0)
			rc = rt_drift_full(&o, nw, &old);
		rt_set_free(&o.listed);
	}
	for (size_t j = 0; j < old.n; j++) {
		free(old.e[j].path);
		free(old.e[j].link);
	}
	free(old.e);
	free(old.id);
	tarw_free(w);
	rt_free(&t);
	return rc < 0 ? rc : 0;
}

/* A tar of a root filesystem: its first member one of a root's top
 * directories (exports walk the tree in name order: Docker's begin with
 * /.dockerenv, podman's with the first directory); Docker's /.dockerenv
 * or podman's /run/.containerenv in the head make it a container's. */
static int
imp_export_sniff(const uint8_t *head, size_t n, const char *basename)
{
	static const char *const top[] = { "app", "bin", "boot", "dev",
		"etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt",
		"opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr",
		"var" };
	char first[101];
	size_t k;

	(void)basename;
	if (!tarw_is_tar(head, n))
		return 0;
	memcpy(first, head, 100);
	first[100] = '\0';
	k = strlen(first);
	if (strncmp(first, "./", 2) == 0)
		memmove(first, first + 2, k - 1);
	if (strcmp(first, ".dockerenv") == 0 ||
	    memmem(head, n, "run/.containerenv", 17) != NULL)
		return 36;
	k = strlen(first);
	if (k > 0 && first[k - 1] == '/')
		first[--k] = '\0';
	if (k == 0) /* "./": the root itself */
		return 20;
	for (size_t i = 0; i < ARRAY_SIZE(top); i++)
		if (strcmp(first, top[i]) == 0)
			return 20;
	return 0;
}

static const struct imp_option export_opts[] = {
	{ "container", "string", "", "the container exported (default: the "
				     "id or name in the file's name)" },
	{ "image", "string", "", "the image to compare with (default: the "
				 "container's, from its inspect output); none: "
				 "keep the export without drift" },
	{ NULL, NULL, NULL, NULL },
};

const struct importer imp_export = {
	.abi = INGEST_ABI,
	.name = "export",
	.version = "1",
	.summary = "docker export / podman export tars: a container's "
		   "filesystem, as drift against its image in the case",
	.kind = EV_PROC,
	.flags = IMP_CASE_TREE,
	.sniff = imp_export_sniff,
	.import = imp_export_import,
	.options = export_opts,
	.zlevel = 0,
};
