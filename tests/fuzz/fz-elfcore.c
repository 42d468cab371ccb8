/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-elfcore.c: the ELF core parser (ingest/elfcore.h) on a hostile file.
 *
 * The input is the whole core, read through a pread callback over the
 * buffer (short reads of at most 4096 bytes, to exercise the read loop).
 * Seeds (corpus/elfcore/) are prefixes of the elfutils fixture cores and
 * the small ones whole.
 *
 * Invariants checked (__builtin_trap on violation):
 * - the return value is 0, DD_EFORMAT or DD_ETRUNC, with a message;
 * - counts respect the caps; every path is a string under ELFCORE_MAX_STR;
 * - segment avail never exceeds filesz nor the bytes after its offset;
 *   a segment path points into files[];
 * - fname and psargs are terminated; the parser is pure (a second run
 *   gives the same counts);
 * - only headers and notes are read: at most 64 + 16 MiB + the note cap.
 */
#include "core/common.h"

#include "ingest/elfcore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(x)                         \
	do {                                \
		if (!(x))                   \
			__builtin_trap();   \
	} while (0)

struct fz_ec_in {
	const uint8_t *p;
	size_t n;
	uint64_t bytes;
};

static int
fz_ec_pread(void *user, uint64_t off, void *buf, size_t n, size_t *got,
    struct dd_err *e DD_UNUSED)
{
	struct fz_ec_in *in = user;

	*got = 0;
	if (off >= in->n)
		return 0;
	*got = MIN(MIN(n, in->n - (size_t)off), 4096);
	memcpy(buf, in->p + off, *got);
	in->bytes += *got;
	return 0;
}

static void
fz_ec_anom(void *user, uint64_t off DD_UNUSED, const char *msg)
{
	size_t *n = user;

	FZ_CHECK(msg != NULL && msg[0] != '\0' && strlen(msg) < 256);
	(*n)++;
}

static void
fz_ec_check(const struct elfcore *c, size_t size)
{
	size_t i, j;

	FZ_CHECK(c->bits == 32 || c->bits == 64);
	FZ_CHECK(c->nsegs <= c->phnum && c->phnum <= ELFCORE_MAX_PHDRS);
	FZ_CHECK(c->nthreads <= ELFCORE_MAX_THREADS);
	FZ_CHECK(c->nfiles <= ELFCORE_MAX_FILES);
	FZ_CHECK(c->nauxv <= ELFCORE_MAX_AUXV);
	FZ_CHECK(c->nnotes <= ELFCORE_MAX_NOTES);
	FZ_CHECK(c->notes_bytes <= ELFCORE_MAX_NOTES_BYTES);
	for (i = 0; i < c->nfiles; i++) {
		FZ_CHECK(c->files[i].path != NULL);
		FZ_CHECK(strlen(c->files[i].path) < ELFCORE_MAX_STR);
	}
	for (i = 0; i < c->nsegs; i++) {
		const struct elfcore_seg *s = &c->segs[i];

		FZ_CHECK(s->avail <= s->filesz);
		FZ_CHECK(s->offset >= size ? s->avail == 0 :
		    s->avail <= size - s->offset);
		FZ_CHECK(strlen(s->perms) == 3);
		if (s->path == NULL)
			continue;
		for (j = 0; j < c->nfiles; j++)
			if (c->files[j].path == s->path)
				break;
		FZ_CHECK(j < c->nfiles);
		FZ_CHECK(s->vaddr >= c->files[j].start &&
		    s->vaddr < c->files[j].end);
	}
	FZ_CHECK(strlen(c->psinfo.fname) <= 16);
	FZ_CHECK(strlen(c->psinfo.psargs) <= 80);
	for (i = 0; i < c->nnotes; i++)
		FZ_CHECK(strlen(c->notes[i].name) < sizeof(c->notes[i].name));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_ec_in in = { data, size, 0 };
	size_t nanom = 0, nanom2 = 0;
	struct elfcore_src src = { fz_ec_pread, &in, size, fz_ec_anom,
		&nanom };
	struct dd_err e = DD_ERR_INIT;
	struct elfcore c, c2;
	int rc, rc2;

	rc = elfcore_parse(&src, &c, &e);
	FZ_CHECK(rc == 0 || rc == DD_EFORMAT || rc == DD_ETRUNC);
	FZ_CHECK(in.bytes <= 64 + 64 + 16u * 1024 * 1024 +
	    ELFCORE_MAX_NOTES_BYTES);
	if (rc != 0) {
		FZ_CHECK(e.code == rc && e.msg[0] != '\0');
		FZ_CHECK(c.nsegs == 0 && c.segs == NULL);
		return 0;
	}
	fz_ec_check(&c, size);
	src.anom_user = &nanom2;
	dd_err_clear(&e);
	rc2 = elfcore_parse(&src, &c2, &e);
	FZ_CHECK(rc2 == 0 && nanom2 == nanom);
	FZ_CHECK(c2.nsegs == c.nsegs && c2.nthreads == c.nthreads &&
	    c2.nfiles == c.nfiles && c2.nauxv == c.nauxv &&
	    c2.nnotes == c.nnotes);
	FZ_CHECK(memcmp(&c.psinfo, &c2.psinfo, sizeof(c.psinfo)) == 0);
	elfcore_release(&c2);
	elfcore_release(&c);
	return 0;
}
