/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imgfs.h: the store's side of image archives (ingest/imp-image.c).
 *
 * The case-store sink hands it the uncompressed streams of layers kept
 * as blobs of their own (imgfs_layer_data), tells it when a layer's row
 * is in (imgfs_layer_added: the row gets its blob), and when the archive
 * is done (imgfs_finish): layers already indexed by a complete archive
 * (same diff_id) lose their file rows (dup_of names the indexing row),
 * hard links take their target's digest, and each image's merged tree
 * (`fs_all`) is computed by applying its layers in order: whiteouts and
 * opaque directories first, then the layer's entries (a directory over a
 * directory merges; anything else replaces, and a non-directory over a
 * directory removes what was under it), as image-spec layer.md says.
 *
 * Invariants: one layer stream is written at a time (layer streams are
 * not interleaved); all writes happen in the importer's transaction.
 */
#ifndef CORE_IMGFS_H
#define CORE_IMGFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blobw;
struct dd_err;
struct store;

struct imgfs {
	struct store *s;
	struct blobw *w;	/* the layer stream being written */
	int64_t w_artifact, w_layer;
	struct {
		int64_t artifact_id, layer_no, blob_id;
	} *blobs;		/* finished layer streams */
	size_t nblobs;
};

void imgfs_init(struct imgfs *f, struct store *s);
void imgfs_release(struct imgfs *f);
/* Bytes of a layer's stream; n == 0 finishes its blob. */
int imgfs_layer_data(struct imgfs *f, int64_t artifact_id, int64_t layer_no,
    const void *p, size_t n, struct dd_err *e);
/* The NR_LAYER row of (artifact_id, layer_no) was inserted. */
int imgfs_layer_added(struct imgfs *f, int64_t artifact_id, int64_t layer_no,
    struct dd_err *e);
/* A layer a complete artifact indexed: blob digest, diff_id, size. */
struct imgfs_known {
	uint8_t digest[32];
	uint8_t diff_id[32];
	uint64_t size;
	int64_t member_off;	/* its blob's offset in its archive's stored
				   original, -1 when not there */
};
/* Every such layer (*v owned, sorted by digest). */
int imgfs_known_load(struct store *s, struct imgfs_known **v, size_t *n,
    struct dd_err *e);
/* After the original of archive artifact_id is stored: prove each layer
 * the importer took for a known one by its name (layer_all.unverified)
 * equal to it by its chunks — the same chunk ids (content addresses)
 * over the same aligned range of both originals. DD_ERETRY when one
 * differs: the import must be redone hashing every member. */
int imgfs_verify(struct store *s, int64_t artifact_id, struct dd_err *e);
/* The archive artifact_id is parsed: dedup layers, compute trees. */
int imgfs_finish(struct store *s, int64_t artifact_id, struct dd_err *e);

/* Where a file of an image's merged tree (image_id > 0) or of a layer
 * (layer_id > 0, the `layers` id) is: its content is size bytes at off in
 * blob blob_id (a regular file or a hard link to one). */
struct imgfs_file {
	char type[16];
	uint64_t size;
	char sha256[65];
	int64_t blob_id;
	uint64_t off;
	int64_t layer_id;
};
/* 0 and *f; DD_ENOTFOUND when the path is not there (e names it);
 * DD_EFORMAT when it has no content (a directory, a link...). */
int imgfs_file_find(struct store *s, int64_t image_id, int64_t layer_id,
    const char *path, struct imgfs_file *f, struct dd_err *e);
/* The same for a container's drift (the drift relation): container is a
 * full id, a unique id prefix of at least 4 characters, or a name. The
 * added or changed content when there is one, else the deleted version
 * (*deleted set); f->layer_id is the drift row's artifact. DD_ENOTFOUND
 * or DD_EFORMAT as above, and DD_EUSAGE for an ambiguous container. */
int imgfs_drift_find(struct store *s, const char *container,
    const char *path, struct imgfs_file *f, bool *deleted, char cid[65],
    struct dd_err *e);

/* ---- what a container's filesystem is compared with ---- */

/* The container and image an importer of a container's filesystem or
 * changes (export, docker diff) refers to, resolved in the case before
 * it runs (importers cannot query the store). */
struct imgfs_tree_ent {
	const char *path;    /* "/etc/passwd" */
	const char *type;    /* file, dir, symlink, hardlink, char... */
	uint32_t mode;
	int64_t uid, gid;    /* INT64_MIN: unknown */
	int64_t mtime;	     /* ns; INT64_MIN: unknown */
	uint64_t size;
	const char *sha256;  /* hex, NULL none */
	const char *link;    /* NULL none */
	const char *diff_id; /* the layer that shipped it */
};
struct imgfs_tree {
	const char *container_id; /* full id when the case knows it, else
				     NULL */
	const char *container;	  /* the hint as given */
	int64_t image_id;	  /* 0: none found */
	const char *image;	  /* what names it (tag, ref or digest) */
	const char *why;	  /* no image: why, for an anomaly */
	struct imgfs_tree_ent *e; /* sorted by path */
	size_t n;
	bool cut;		  /* more than max entries: the rest left out */
	struct arena *a;	  /* owns the strings */
};
/* Resolve container_hint (a full id, an id prefix of 12 or more hex
 * digits, or a name; NULL none) to the case's container, then its image:
 * image_hint when given (a tag, a reference, an image id or digest, or a
 * prefix of 12 or more hex digits), else the container's image (its
 * inspect output's image id, then its image name). With want_tree, load
 * the image's merged tree (at most max entries). Not finding them is not
 * an error (t->why says what is missing). */
int imgfs_tree_load(struct store *s, const char *container_hint,
    const char *image_hint, bool want_tree, size_t max,
    struct imgfs_tree *t, struct dd_err *e);
void imgfs_tree_free(struct imgfs_tree *t);

#endif
