/* SPDX-License-Identifier: Apache-2.0 */
/*
 * content-read.c: reading stored bytes for the content rules (see
 * content-rules.h): one open blob and one buffer, reused from range to
 * range.
 */
#include "core/common.h"

#include <string.h>

#include "analyzers/content-rules.h"
#include "core/chunk.h"
#include "core/dderr.h"
#include "core/xmalloc.h"

int
content_read(struct content_reader *r, int64_t blob_id, uint64_t off,
    size_t n, size_t *got, struct dd_err *e)
{
	int rc;

	*got = 0;
	if (r->br == NULL || r->blob_id != blob_id) {
		blobr_close(r->br);
		r->br = NULL;
		if ((rc = blobr_open(r->s, blob_id, &r->br, e)) < 0)
			return rc;
		r->blob_id = blob_id;
	}
	if (r->cap < n || r->buf == NULL) {
		free(r->buf);
		r->cap = MAX(n, (size_t)1);
		r->buf = xmalloc(r->cap);
	}
	while (*got < n) {
		size_t k = MIN(n - *got, (size_t)1 << 20), kg = 0;
		if ((rc = blobr_pread(r->br, off + *got, r->buf + *got, k, &kg,
			 e)) < 0)
			return rc;
		if (kg == 0)
			break; /* the blob is shorter */
		*got += kg;
	}
	return 0;
}

void
content_reader_release(struct content_reader *r)
{
	blobr_close(r->br);
	free(r->buf);
	memset(r, 0, sizeof(*r));
}
