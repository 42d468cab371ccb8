/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dockerfile.h: matching image history steps to Dockerfile lines.
 *
 * An image's config keeps one history entry per build step, its
 * created_by written by the builder (BuildKit: "RUN /bin/sh -c make #
 * buildkit", "COPY app /app # buildkit"; the classic builder: "/bin/sh -c
 * #(nop)  CMD [\"sh\"]", "/bin/sh -c make", "COPY file:3f… in /app").
 * Both sides are reduced to a key — the instruction, then its
 * arguments with flags, JSON punctuation, shell wrappers and build
 * argument prefixes removed and blanks collapsed; for COPY and ADD the
 * destination only (the classic builder records a content hash, not the
 * source names) — and equal keys match (the `dockerfile_steps` view).
 *
 * Pure functions over NUL-terminated text; out is reset first.
 */
#ifndef INGEST_DOCKERFILE_H
#define INGEST_DOCKERFILE_H

#include <stdbool.h>

struct sbuf;

/* The key of instruction instr (any case) with arguments args. */
void df_key(const char *instr, const char *args, struct sbuf *out);
/* The key of a history step's created_by; false (out empty) when it is
 * not a build instruction the matcher knows. */
bool df_history_key(const char *created_by, struct sbuf *out);

#endif
