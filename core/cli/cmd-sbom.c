/* SPDX-License-Identifier: Apache-2.0 */
/* cmd-sbom.c: `drydock sbom CASE --image ID [--format cyclonedx|spdx]
 * [-o FILE]`: the writer is core/report/sbom.c. */
#include "core/common.h"

#include "core/cli/cli.h"
#include "core/dderr.h"
#include "core/report/sbom.h"
#include "core/store.h"
#include "core/util.h"

static int cmd_sbom_run(int argc, char **argv);

const struct cli_cmd cmd_sbom = {
	.name = "sbom",
	.synopsis = "CASE --image ID [--format cyclonedx|spdx] [-o FILE]",
	.summary = "write an image's packages as a CycloneDX or SPDX SBOM",
	.help =
	    "Writes a software bill of materials of one imported image: "
	    "CycloneDX 1.5\n"
	    "JSON (the default) or SPDX 2.3 JSON, with one entry per row of "
	    "the\n"
	    "packages relation for the image (sorted by purl, then name), "
	    "each naming\n"
	    "its package database, the diff_id of the layer that first "
	    "shipped it and\n"
	    "that layer's Dockerfile step. A licence is given as an SPDX id "
	    "or\n"
	    "expression only when it parses as one over the SPDX license "
	    "list;\n"
	    "otherwise as a CycloneDX licence name (SPDX: NOASSERTION, the "
	    "text in\n"
	    "licenseComments).\n\n"
	    "The output is deterministic: the serial number (SPDX: document "
	    "namespace)\n"
	    "is a UUID of the image's config digest, the custody head and the "
	    "image id,\n"
	    "and the time is now, or DRYDOCK_NOW when set. The document is "
	    "ASCII (other\n"
	    "text \\u-escaped). Nothing is written to the case.\n\n"
	    "Options:\n"
	    "  --image ID         the image (images.id)\n"
	    "  --format F         cyclonedx (default; also cdx) or spdx\n"
	    "  -o FILE            write to FILE instead of standard output "
	    "(a regular\n"
	    "                     file is replaced only when complete)\n\n"
	    "Examples:\n"
	    "  drydock query case.drydock \"SELECT id, ref, config_digest "
	    "FROM images\"\n"
	    "  drydock sbom case.drydock --image 1 -o alpine.cdx.json\n"
	    "  drydock sbom case.drydock --image 1 --format spdx -o "
	    "alpine.spdx.json\n"
	    "  DRYDOCK_NOW=2024-01-01T00:00:00Z drydock sbom case.drydock "
	    "--image 1 | jq '.components[].purl'\n",
	.mutates = false,
	.run = cmd_sbom_run,
};

static int
cmd_sbom_run(int argc, char **argv)
{
	static const struct cli_opt opts[] = {
		{ "format", 'f', true }, /* 0 */
		{ "output", 'o', true }, /* 1 */
		{ "image", 0, true },	 /* 2 */
		{ NULL, 0, false },
	};
	struct dd_err e = DD_ERR_INIT;
	struct cli_parse p;
	struct store *s = NULL;
	struct cli_out o;
	const char *outpath = "-";
	char *doc = NULL;
	size_t len = 0, npkgs = 0;
	int64_t image = 0;
	int format = SBOM_CYCLONEDX, k, rc = CLI_OK;
	bool ok;

	cli_parse_init(&p, argc, argv);
	while ((k = cli_getopt(&p, opts)) != -1) {
		switch (k) {
		case -2:
			rc = CLI_USAGE;
			goto done;
		case 0:
			if ((format = sbom_format_parse(p.optarg)) < 0) {
				rc = cli_usage(&cmd_sbom,
				    "unknown format '%s' (cyclonedx or spdx)",
				    p.optarg);
				goto done;
			}
			break;
		case 1:
			outpath = p.optarg;
			break;
		case 2:
			if (!parse_i64(p.optarg, &image) || image <= 0) {
				rc = cli_usage(&cmd_sbom,
				    "'%s' is not an image id", p.optarg);
				goto done;
			}
			break;
		}
	}
	if (p.nops != 1 || image <= 0) {
		rc = cli_usage(&cmd_sbom,
		    "expected one CASE operand and --image ID");
		goto done;
	}
	if (store_open(p.ops[0], STORE_RDONLY, &s, &e) < 0 ||
	    sbom_render(s, image, format, time_now_ns(), &doc, &len, &npkgs,
		&e) < 0) {
		rc = cli_fail("sbom", &e);
		goto done;
	}
	if ((rc = cli_out_open(&o, outpath, "sbom")) != CLI_OK)
		goto done;
	ok = write_all(o.fd, doc, len) == 0;
	if (!ok)
		cli_errorf("sbom", "cannot write '%s': %s", outpath,
		    strerror(errno));
	if ((rc = cli_out_finish(&o, ok, "sbom")) != CLI_OK)
		goto done;
	if (!cli_g.quiet)
		fprintf(stderr, "sbom: image %" PRId64 ", %zu package%s (%s)\n",
		    image, npkgs, npkgs == 1 ? "" : "s",
		    format == SBOM_SPDX ? "SPDX 2.3" : "CycloneDX 1.5");
done:
	free(doc);
	store_close(s);
	cli_parse_release(&p);
	return rc;
}
