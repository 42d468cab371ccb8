/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-rp-zip.c: replay's own zip reader (datasets/replay/rp-zip.c) over
 * hostile bytes: the central directory, zip64 records, every member's
 * local header, inflate, size and CRC checks.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "datasets/replay/rp-zip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct rp_zip z;
	struct rp_zreader zr;
	size_t i;

	memset(&z, 0, sizeof(z));
	memset(&zr, 0, sizeof(zr));
	z.path = "fuzz.zip";
	z.map = data;
	z.len = size;
	if (rp_zip_parse(&z, 64u << 20, &e) < 0)
		return 0;
	for (i = 0; i < z.n; i++) {
		const uint8_t *buf = NULL;
		size_t len;
		e = (struct dd_err)DD_ERR_INIT;
		if (rp_zip_read(&z, i, &zr, &buf, &len, &e) == 0 && len > 0 &&
		    buf[len] != 0)
			__builtin_trap(); /* the NUL the contract promises */
	}
	rp_zreader_free(&zr);
	rp_zip_close(&z);
	return 0;
}
