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

struct dd_err;
struct imp_ctx;

/* Whether directory root is an OCI image layout (an "oci-layout" file
 * and an index.json). */
bool image_is_layout(const char *root);
/* Read the files rel[0..n) (paths under root, sorted) as one image
 * layout. */
int image_import_dir(struct imp_ctx *ctx, const char *root,
    const char *const *rel, size_t n, struct dd_err *e);

#endif
