/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inspect.h: one container document as `docker inspect`, `podman inspect`
 * or `crictl inspect` prints it, for importers that assemble such a
 * document from other evidence (ingest/imp-runtime.c builds one from a
 * runtime root's config.v2.json and hostconfig.json). The rows are those
 * ingest/imp-inspect.c writes; index names the document in anomalies.
 */
#ifndef INGEST_INSPECT_H
#define INGEST_INSPECT_H

#include <stddef.h>

struct dd_err;
struct imp_ctx;
struct json_t;

int inspect_doc(struct imp_ctx *ctx, struct json_t *doc, size_t index,
    struct dd_err *e);

#endif
