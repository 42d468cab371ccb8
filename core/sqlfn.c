/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sqlfn.c: application-defined SQL functions registered on every case
 * connection (store_register_functions in store.h):
 *   zstd_decompress(blob)  decompress one frame, refusing frames without a
 *                          content size or larger than LIM_CHUNK_MAX
 *                          (SQLite's compress.c trusts its size prefix;
 *                          this does not)
 *   sha256_hex(x)          SHA-256 of a blob or text, as lower-case hex
 * Both are deterministic and innocuous, so they work in read-only queries.
 */
#include "core/common.h"
#include "core/store.h"

#include <sqlite3.h>
#include <zstd.h>

#include "core/limits.h"
#include "core/util.h"

static void
sqlfn_zstd_decompress(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const void *in;
	unsigned long long fcs;
	size_t n, z;
	void *out;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	in = sqlite3_value_blob(argv[0]);
	n = (size_t)sqlite3_value_bytes(argv[0]);
	fcs = ZSTD_getFrameContentSize(in, n);
	if (fcs == ZSTD_CONTENTSIZE_ERROR || fcs == ZSTD_CONTENTSIZE_UNKNOWN ||
	    fcs > LIM_CHUNK_MAX) {
		sqlite3_result_error(ctx,
		    "zstd_decompress: not a zstd frame with a content size "
		    "within the chunk cap",
		    -1);
		return;
	}
	out = sqlite3_malloc64(fcs ? fcs : 1);
	if (out == NULL) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	z = ZSTD_decompress(out, (size_t)fcs, in, n);
	if (ZSTD_isError(z) || z != fcs) {
		sqlite3_free(out);
		sqlite3_result_error(ctx, "zstd_decompress: corrupt frame", -1);
		return;
	}
	sqlite3_result_blob64(ctx, out, z, sqlite3_free);
}

static void
sqlfn_sha256_hex(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint8_t d[SHA256_LEN];
	char hex[SHA256_HEX];
	const void *p;
	int n;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	if (sqlite3_value_type(argv[0]) == SQLITE_TEXT)
		p = sqlite3_value_text(argv[0]);
	else
		p = sqlite3_value_blob(argv[0]);
	n = sqlite3_value_bytes(argv[0]);
	sha256(p ? p : "", (size_t)n, d);
	hex_encode(d, SHA256_LEN, hex);
	sqlite3_result_text(ctx, hex, 64, SQLITE_TRANSIENT);
}

int
store_register_functions(sqlite3 *db)
{
	int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc;

	rc = sqlite3_create_function(db, "zstd_decompress", 1, fl, NULL,
	    sqlfn_zstd_decompress, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "sha256_hex", 1, fl, NULL,
		    sqlfn_sha256_hex, NULL, NULL);
	return rc;
}
