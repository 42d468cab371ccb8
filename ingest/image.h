/* SPDX-License-Identifier: Apache-2.0 */
/*
 * image.h: the image importer's entry for OCI image layout directories
 * (ingest/imp-image.c). ingest.c imports such a directory as an artifact
 * group (every blob a member, kept bit-exact) and then hands the group's
 * files to image_import_dir, which reads them like the members of an
 * image archive: ctx->artifact_id is the group, anomalies and records go
 * to it, layer streams are kept as blobs of their own.
 */
#ifndef INGEST_IMAGE_H
#define INGEST_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct imp_ctx;

/* The framework's opener of member i (a read-only descriptor the
 * importer closes; its size in *size): importers open no files. */
typedef int (*image_open_fn)(void *user, size_t i, int *fd, uint64_t *size,
    struct dd_err *e);
/* How the containers/image "dir:" transport's "version" file begins
 * (skopeo copy ... dir:PATH, podman save --format docker-dir|oci-dir). */
#define IMAGE_DIR_MARK "Directory Transport Version: "

/* Read the files rel[0..n) (paths inside the layout, sorted), opened
 * with open(user, i), as one image layout. */
int image_import_dir(struct imp_ctx *ctx, const char *const *rel, size_t n,
    image_open_fn open, void *user, struct dd_err *e);

#endif
