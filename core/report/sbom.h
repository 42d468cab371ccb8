/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sbom.h: software bills of materials of one image of a case
 * (`drydock sbom`, DESIGN.md section 8): CycloneDX 1.5 JSON or SPDX 2.3
 * JSON, built from the images, packages, layers and image_layers
 * relations.
 *
 * One component (CycloneDX) or package (SPDX) per row of `packages` for
 * the image, sorted by purl, name, version and the rest of the row, each
 * carrying where it was found: the package database path, the diff_id of
 * the layer that first shipped it and that layer's Dockerfile step.
 *
 * Deterministic: the same case, image and time give the same bytes. The
 * writer reads no clock (the caller passes the time) and takes its
 * identifiers from the case: the CycloneDX serial number and the SPDX
 * document namespace come from an RFC 4122 version 5 UUID (SHA-1, URL
 * namespace) of
 *
 *   https://drydock.invalid/sbom/CONFIG-DIGEST/CUSTODY-HEAD/IMAGE-ID
 *
 * so an SBOM names the case state it describes, and a changed case gives
 * a new serial number.
 *
 * Every string from evidence goes through the JSON encoder (text that is
 * not valid UTF-8 is shown with its bad bytes as \xNN). A licence is
 * written as an SPDX id or expression only when it parses as one made of
 * ids from the SPDX license list; anything else is a CycloneDX licence
 * name, and NOASSERTION in SPDX.
 */
#ifndef CORE_REPORT_SBOM_H
#define CORE_REPORT_SBOM_H

#include <stddef.h>
#include <stdint.h>

struct dd_err;
struct sbuf;
struct store;

enum sbom_format {
	SBOM_CYCLONEDX,
	SBOM_SPDX,
};

/* The format named name ("cyclonedx", "cdx", "spdx"), or -1. */
int sbom_format_parse(const char *name);

/*
 * Render the SBOM of image image_id of s. now_ns is the creation time
 * written (time_now_ns(): DRYDOCK_NOW in tests). *out gets the document
 * (owned by the caller, NUL-terminated, ending with a newline) and *len
 * its length; *npackages (may be NULL) the number of packages listed.
 * DD_ENOTFOUND when the case has no such image.
 */
int sbom_render(struct store *s, int64_t image_id, int format,
    int64_t now_ns, char **out, size_t *len, size_t *npackages,
    struct dd_err *e);

enum sbom_license {
	SBOM_LIC_NONE,	 /* not an expression of known SPDX ids */
	SBOM_LIC_ID,	 /* one license id from the SPDX list */
	SBOM_LIC_EXPR,	 /* a compound expression (AND, OR, WITH, +, ()) */
};

/*
 * Classify the licence text s by SPDX license expression syntax (SPDX 2.3
 * annex D) over the SPDX license and exception lists; ids match without
 * regard to case, operators only in upper case; LicenseRef- and
 * DocumentRef- are refused (they would need declarations). On ID or EXPR
 * the canonical form (ids in their listed case, single spaces) is
 * appended to canon (may be NULL).
 */
enum sbom_license sbom_license_check(const char *s, struct sbuf *canon);

#endif
