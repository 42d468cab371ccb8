/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-export.c: a docker/podman export tar through the export
 * importer, compared with a fixed image tree (directories, files with
 * digests, a symlink and a hard link): drift rows or anomalies from
 * hostile names, links and sizes, never a crash.
 */
#include "tests/fuzz/fz-importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_SHA "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct imgfs_tree_ent ents[] = {
		{ "/bin", "dir", 0755, 0, 0, 0, 0, NULL, NULL, "sha256:l1" },
		{ "/bin/ls", "file", 0755, 0, 0, 1000000000, 5, FZ_SHA, NULL,
		    "sha256:l1" },
		{ "/bin/sh", "symlink", 0777, 0, 0, 0, 0, NULL, "ls",
		    "sha256:l1" },
		{ "/etc", "dir", 0755, INT64_MIN, INT64_MIN, INT64_MIN, 0,
		    NULL, NULL, "sha256:l2" },
		{ "/etc/passwd", "file", 0644, 0, 0, 0, 5, FZ_SHA, NULL,
		    "sha256:l2" },
		{ "/etc/passwd.hl", "hardlink", 0644, 0, 0, 0, 0, NULL,
		    "/etc/passwd", "sha256:l2" },
		{ "/var", "dir", 0755, 0, 0, 0, 0, NULL, NULL, "sha256:l1" },
	};
	struct imgfs_tree tree;
	struct dd_err e = DD_ERR_INIT;
	struct sink_count c;
	struct sink k;
	int rc;

	memset(&tree, 0, sizeof(tree));
	tree.container_id = "c0ffee";
	tree.image_id = 1;
	tree.image = "fuzz:latest";
	tree.e = ents;
	tree.n = sizeof(ents) / sizeof(ents[0]);
	sink_count_init(&k, &c);
	rc = ingest_buffer_tree(ingest_find("export"), data, size, "fuzz", &k,
	    NULL, &tree, NULL, &e);
	if (rc != 0 && (e.code != rc || e.msg[0] == '\0'))
		__builtin_trap();
	return 0;
}
