/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-export-file.c: `drydock export-file CASE (--image ID | --layer ID |
 * --container ID) PATH -o FILE`: one file of an image's merged tree, of a
 * layer or of a container's drift, read from where the import left it (a
 * range of the stored archive or of a decompressed layer stream) and
 * proved against its recorded SHA-256.
 */
#include "core/common.h"

#include <unistd.h>

#include <jansson.h>

#include "core/chunk.h"
#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/imgfs.h"
#include "core/store.h"
#include "core/util.h"
#include "core/xmalloc.h"

static int cmd_export_file_run(int argc, char **argv);

const struct cli_cmd cmd_export_file = {
	.name = "export-file",
	.synopsis = "CASE (--image ID | --layer ID | --container ID) PATH -o "
		    "FILE",
	.summary = "write one file of an image, a layer or a container's "
		   "drift out, proving its hash",
	.help =
	    "Writes the content of PATH (absolute, as in the fs and files "
	    "relations) as\n"
	    "the image's merged tree has it (--image: after every layer and "
	    "whiteout)\n"
	    "or as one layer shipped it (--layer: also files a later layer "
	    "deleted or\n"
	    "replaced, the way to recover what a whiteout hides), or as a "
	    "container's\n"
	    "writable layer holds it (--container: the drift relation's added "
	    "or\n"
	    "changed content, or for a deleted path the version it deleted). "
	    "The bytes\n"
	    "come from the stored archive; their SHA-256 is checked against "
	    "the one\n"
	    "recorded at import, and on a mismatch the output is removed and "
	    "the exit\n"
	    "status is 1.\n"
	    "-o - writes to standard output. The export is recorded in the "
	    "chain of\n"
	    "custody when the case is writable.\n\n"
	    "Options:\n"
	    "  --image ID   the image (images.id)\n"
	    "  --layer ID   the layer (layers.id)\n"
	    "  --container ID  the container (full id, a unique prefix of 4 "
	    "or more\n"
	    "               characters, or its name) of a runtime root or "
	    "export\n"
	    "  -o FILE      where to write (required)\n\n"
	    "Examples:\n"
	    "  drydock query case.drydock \"SELECT image_id, path FROM fs WHERE "
	    "path LIKE '%/.env'\"\n"
	    "  drydock export-file case.drydock --image 1 /app/.env -o env.txt\n"
	    "  drydock query case.drydock \"SELECT layer_id, path FROM files "
	    "WHERE whiteout = 1\"\n"
	    "  drydock export-file case.drydock --layer 3 /root/id_rsa -o -\n"
	    "  drydock query case.drydock \"SELECT container_id, path FROM drift "
	    "WHERE executable\"\n"
	    "  drydock export-file case.drydock --container 3f2a /tmp/x -o "
	    "x.bin\n",
	.mutates = true,
	.run = cmd_export_file_run,
};

/* Copy f's bytes to fd, proving the digest. */
static int
cmd_export_file_copy(struct store *s, const struct imgfs_file *f, int fd,
    struct dd_err *e)
{
	struct blobr *r = NULL;
	struct sha *h = sha_new();
	uint8_t *buf = xmalloc(1u << 20), d[SHA256_LEN];
	char hex[SHA256_HEX];
	uint64_t done = 0;
	int rc;

	if ((rc = blobr_open(s, f->blob_id, &r, e)) < 0)
		goto out;
	while (done < f->size) {
		size_t want = (size_t)MIN((uint64_t)(1u << 20), f->size - done);
		size_t got;
		if ((rc = blobr_pread(r, f->off + done, buf, want, &got, e)) <
		    0)
			goto out;
		if (got != want) {
			rc = dd_err_set(e, DD_ECORRUPT,
			    "the stored layer ends %" PRIu64
			    " bytes into the file (it has %" PRIu64 ")",
			    done + got, f->size);
			goto out;
		}
		sha_update(h, buf, got);
		if (write_all(fd, buf, got) < 0) {
			rc = dd_err_set(e, DD_EIO, "cannot write: %s",
			    strerror(errno));
			goto out;
		}
		done += got;
	}
	sha_final(h, d);
	hex_encode(d, SHA256_LEN, hex);
	if (strcmp(hex, f->sha256) != 0)
		rc = dd_err_set(e, DD_ECORRUPT,
		    "the bytes hash to %s, not the %s recorded at import", hex,
		    f->sha256);
out:
	blobr_close(r);
	sha_free(h);
	free(buf);
	return rc;
}

static int
cmd_export_file_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "output", 'o', true }, /* 0 */
		{ "image", 0, true },	 /* 1 */
		{ "layer", 0, true },	 /* 2 */
		{ "container", 0, true }, /* 3 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	struct imgfs_file f;
	struct cli_out o;
	const char *out = NULL, *ctr = NULL;
	char cid[65] = "";
	bool deleted = false;
	int64_t image = 0, layer = 0;
	int k, rc = CLI_OK;
	json_t *det;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		if (k == -2) {
			rc = CLI_USAGE;
			goto out;
		} else if (k == 0) {
			out = p.optarg;
		} else if (k == 3) {
			ctr = p.optarg;
		} else if (k == 1 || k == 2) {
			int64_t v;
			if (!parse_i64(p.optarg, &v) || v <= 0) {
				rc = cli_usage(&cmd_export_file,
				    "'%s' is not an id", p.optarg);
				goto out;
			}
			if (k == 1)
				image = v;
			else
				layer = v;
		}
	}
	if (p.nops != 2 || out == NULL ||
	    (image > 0) + (layer > 0) + (ctr != NULL) != 1) {
		rc = cli_usage(&cmd_export_file,
		    "expected CASE, PATH, one of --image, --layer or "
		    "--container, and -o FILE");
		goto out;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0 ||
	    (ctr != NULL ? imgfs_drift_find(s, ctr, p.ops[1], &f, &deleted,
		cid, &e) : imgfs_file_find(s, image, layer, p.ops[1], &f,
		&e)) < 0) {
		rc = cli_fail("export-file", &e);
		goto out;
	}
	if ((rc = cli_out_open(&o, out, "export-file")) != CLI_OK)
		goto out;
	k = cmd_export_file_copy(s, &f, o.fd, &e);
	if (k < 0)
		cli_fail("export-file", &e);
	if ((rc = cli_out_finish(&o, k == 0, "export-file")) != CLI_OK)
		goto out;
	if (!cli_g.quiet) {
		fprintf(stderr, "exported ");
		cli_put_safe(stderr, p.ops[1]);
		if (ctr != NULL)
			fprintf(stderr, " (%" PRIu64 " bytes, %s container "
					"%.12s, artifact %" PRId64 "), sha256 "
					"%s (proved)\n",
			    f.size, deleted ? "deleted from" : "drift of",
			    cid, f.layer_id, f.sha256);
		else
			fprintf(stderr, " (%" PRIu64 " bytes, layer %" PRId64
					"), sha256 %s (proved)\n",
			    f.size, f.layer_id, f.sha256);
	}
	store_close(s);
	s = NULL;
	if (ctr != NULL)
		det = json_pack("{s:s, s:s, s:s, s:s, s:s}", "of", "container",
		    "id", cid, "path", p.ops[1], "sha256", f.sha256, "to",
		    strcmp(out, "-") == 0 ? "-" : out);
	else
		det = json_pack("{s:s, s:I, s:s, s:s, s:s}", "of",
		    image > 0 ? "image" : "layer", "id",
		    (json_int_t)(image > 0 ? image : layer), "path", p.ops[1],
		    "sha256", f.sha256, "to",
		    strcmp(out, "-") == 0 ? "-" : out);
	cli_custody_export(p.ops[0], "export-file", det);
	json_decref(det);
out:
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
