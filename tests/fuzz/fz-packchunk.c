/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-packchunk.c: the packed-chunk decoder (core/packtab.c) over hostile
 * raw chunks: row and column counts, presence bitmaps, varints,
 * dictionary references, string lengths. The first input byte picks the
 * column types (a container log's, an audit event's or a Kubernetes
 * audit event's).
 *
 * Invariants (trap on violation): every decoded string lies inside the
 * input; a decoded chunk has between 1 and PACK_ROWS rows.
 */
#include "core/common.h"

#include <stdlib.h>

#include "core/dderr.h"
#include "core/netrec.h"
#include "core/packtab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct packval *v;
	char types[PACK_COLS_MAX + 1];
	const struct net_col *col;
	size_t n, nc = 0;

	if (size < 1)
		return 0;
	col = net_columns(data[0] % 3 == 1 ? NR_AUDIT : data[0] % 3 == 2 ?
	    NR_K8SAUDIT : NR_LOG, NULL);
	while (nc < PACK_COLS_MAX && col[nc].name != NULL) {
		types[nc] = col[nc].type;
		nc++;
	}
	types[nc] = '\0';
	data++;
	size--;
	if (pack_decode(data, size, types, &v, &n, &e) < 0) {
		if (e.msg[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (n == 0 || n > PACK_ROWS)
		__builtin_trap();
	for (size_t i = 0; i < n * nc; i++) {
		const uint8_t *q = (const uint8_t *)v[i].s;
		if (v[i].s != NULL && v[i].n > 0 && (q < data ||
		    q > data + size || v[i].n > (size_t)(data + size - q)))
			__builtin_trap();
	}
	free(v);
	return 0;
}
