/* SPDX-License-Identifier: Apache-2.0 */
/*
 * artifact.h: the life of an artifact row (DESIGN.md section 2).
 *
 * An import inserts its artifact as 'importing', writes its rows in bounded
 * batches, and in one last small transaction sets content and digest,
 * flips the artifact (and, for a group, its members) to 'complete' and
 * appends custody. Public relations show complete artifacts only.
 *
 * A group (a directory input) is an artifact of format 'group' whose
 * sha256 is the Merkle hash of its members:
 *   SHA-256("drydock-group-v1" || for each member sorted bytewise by path:
 *           u64be(len(path)) path sha256(member) [32 raw bytes])
 */
#ifndef CORE_ARTIFACT_H
#define CORE_ARTIFACT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/util.h"

struct dd_err;
struct store;

struct artifact_new {
	int64_t group_id;	  /* the group's id, or 0 */
	const char *name;	  /* path as given (members: path inside) */
	const char *format;	  /* importer id, or 'group' */
	const char *importer;	  /* importer that parsed it */
	const char *importer_version;
	const char *source_path;  /* absolute path on the examiner's host */
	bool reference;		  /* path and hash only, no copy */
	int64_t mode;		  /* st_mode, or -1 */
	int64_t mtime;		  /* mtime in ns, or -1 */
};

/* Insert an 'importing' row (inside the caller's transaction). */
int artifact_begin(struct store *s, const struct artifact_new *a, int64_t *id,
    struct dd_err *e);
/* Record content: size, digest (hex), blob (0: none), whether parsed, and
 * the format finally decided. */
int artifact_set_content(struct store *s, int64_t id, uint64_t size,
    const char *sha_hex, int64_t blob_id, bool parsed, const char *format,
    struct dd_err *e);
/* Record the blob an importing artifact is writing, so that cleanup after
 * a kill finds its parts (inside the import's first transaction). */
int artifact_set_blob(struct store *s, int64_t id, int64_t blob_id,
    struct dd_err *e);
/* Flip id and its members to 'complete'. */
int artifact_complete(struct store *s, int64_t id, struct dd_err *e);
/* A complete artifact with this size and digest (group or not): 1 and
 * *id (and an owned *name) when found, 0 when not, <0 on error. */
int artifact_find_identical(struct store *s, uint64_t size,
    const char *sha_hex, bool group, int64_t *id, char **name,
    struct dd_err *e);
/* Whether the file fd of size bytes may be identical to a complete
 * (non-group) artifact: one of that size whose bytes in 8 windows of 8
 * KiB spread over the file are the file's (or whose bytes are not kept).
 * Only then is it worth hashing the whole file before importing it. */
bool artifact_maybe_identical(struct store *s, uint64_t size, int fd);
/* Merkle hash (hex) of group gid's members as stored (any state). */
int artifact_group_hash(struct store *s, int64_t gid, char out[SHA256_HEX],
    struct dd_err *e);
/* Incremental form used while importing: feed members in path order. */
void artifact_group_hash_init(struct sha *h);
void artifact_group_hash_add(struct sha *h, const char *path,
    const uint8_t sha[SHA256_LEN]);

#endif
