/* SPDX-License-Identifier: Apache-2.0 */
/*
 * export.h: write evidence back out of the case, proving its digest.
 *
 * A file artifact is replayed from its recipe while its SHA-256 is
 * computed; the result must equal the digest recorded at import, or the
 * export fails (and the caller removes what it wrote). A group is written
 * as a tar (pax) of its members in path order, or into a directory.
 */
#ifndef CORE_EXPORT_H
#define CORE_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/chunk.h"
#include "core/util.h"

struct dd_err;
struct store;

/* What an artifact is, for export and display. */
struct export_info {
	int64_t id;
	int64_t blob_id;	/* 0 when kept by reference */
	bool group;
	bool reference;
	uint64_t size;
	char sha256[SHA256_HEX];
	char *name;		/* owned */
	char *source_path;	/* owned, may be NULL */
};

/* Look up a complete artifact; fills *info (release with
 * export_info_release). DD_ENOTFOUND when there is no such artifact;
 * DD_EUSAGE for a member of an archive artifact (no original of its own:
 * the message names the archive to export instead). */
int export_lookup(struct store *s, int64_t id, struct export_info *info,
    struct dd_err *e);
void export_info_release(struct export_info *info);

/* Write file artifact id to fd; fails with DD_ECORRUPT naming the artifact
 * when the replayed digest differs. */
int export_file_fd(struct store *s, const struct export_info *a, int fd,
    chunk_progress_fn progress, void *user, struct dd_err *e);
/* Write group gid as a pax tar to fd, every member's digest proved. */
int export_group_tar(struct store *s, const struct export_info *g, int fd,
    chunk_progress_fn progress, void *user, struct dd_err *e);
/* Write group gid's members under dir (created; must not exist). Member
 * paths are data: absolute paths and ".." components are refused. */
int export_group_dir(struct store *s, const struct export_info *g,
    const char *dir, chunk_progress_fn progress, void *user,
    struct dd_err *e);

#endif
