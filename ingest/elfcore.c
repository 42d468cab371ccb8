/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elfcore.c: ELF core files (see elfcore.h for what is read, the caps and
 * what is left out).
 *
 * References:
 * - the ELF gABI (header, program headers, notes; PN_XNUM with the real
 *   count in section header 0's sh_info);
 * - linux fs/binfmt_elf.c (fill_note, fill_files_note: NT_FILE with
 *   file_ofs in pages), include/linux/elfcore.h and
 *   include/uapi/linux/elfcore.h (elf_prstatus, elf_prpsinfo),
 *   arch/x86/include/asm/user_32.h and user_64.h, arch/arm64 and
 *   arch/riscv user_regs_struct (pr_reg order);
 * - gdb gcore (linux-tdep.c: NT_FILE with page_size 1);
 * - FORMATS.md 6.1 (layouts verified on real cores).
 *
 * Layouts, with W the word size (4 or 8) and 4-byte notes:
 *
 *   note:  u32 namesz, u32 descsz, u32 type, name (pad 4), desc (pad 4)
 *
 *   elf_prstatus                 W=8   W=4
 *     i32 si_signo, si_code, si_errno   0     0
 *     i16 cursig (+2 pad)              12    12
 *     ulong sigpend, sighold           16    16
 *     i32 pid, ppid, pgrp, sid         32    24
 *     4 x timeval (2 ulong each)       48    40
 *     pr_reg                          112    72
 *
 *   elf_prpsinfo                 W=8   W=4 (uid16)  W=4 (uid32)
 *     u8 state, sname, zomb, nice       0      0           0
 *     ulong flag                        8      4           4
 *     uid, gid                         16      8 (u16)     8 (u32)
 *     i32 pid, ppid, pgrp, sid         24     12          16
 *     char fname[16]                   40     28          32
 *     char psargs[80]                  56     44          48
 *     size                            136    124         128
 *
 *   siginfo_t: i32 si_signo, si_errno, si_code, then the union at 16
 *   (W=8) or 12 (W=4); si_addr is its first word.
 */
#include "core/common.h"

#include "ingest/elfcore.h"

#include "core/rd.h"
#include "core/xmalloc.h"

#define EC_PT_LOAD 1u
#define EC_PT_NOTE 4u
#define EC_PN_XNUM 0xffffu
#define EC_ET_CORE 4u

/* Parse state. */
struct ec {
	const struct elfcore_src *src;
	struct elfcore *c;
	struct dd_err *e;
	bool be;
	size_t w;		/* word size: 4 or 8 */
	size_t cap_threads, cap_files, cap_notes;
	bool warned_threads, warned_notes;
};

static void DD_PRINTF(3, 4)
ec_anom(struct ec *x, uint64_t off, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (x->src->anom == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->src->anom(x->src->anom_user, off, msg);
}

/* Read up to n bytes at off (never past src->size); *got says how many. */
static int
ec_read(struct ec *x, uint64_t off, void *buf, size_t n, size_t *got)
{
	const struct elfcore_src *s = x->src;
	size_t have = 0, g;
	int rc;

	*got = 0;
	if (off >= s->size)
		return 0;
	if (n > s->size - off)
		n = (size_t)(s->size - off);
	while (have < n) {
		g = 0;
		rc = s->pread(s->user, off + have, (uint8_t *)buf + have,
		    n - have, &g, x->e);
		if (rc < 0)
			return rc;
		if (g == 0 || g > n - have)
			break;
		have += g;
	}
	*got = have;
	return 0;
}

static uint16_t
ec_16(const struct ec *x, struct rd *r)
{
	return x->be ? rd_be16(r) : rd_le16(r);
}

static uint32_t
ec_32(const struct ec *x, struct rd *r)
{
	return x->be ? rd_be32(r) : rd_le32(r);
}

static uint64_t
ec_64(const struct ec *x, struct rd *r)
{
	return x->be ? rd_be64(r) : rd_le64(r);
}

static uint64_t
ec_word(const struct ec *x, struct rd *r)
{
	return x->w == 8 ? ec_64(x, r) : ec_32(x, r);
}

/* The word at index i of the span r (r is not moved); false if short. */
static bool
ec_word_at(const struct ec *x, const struct rd *r, size_t i, uint64_t *v)
{
	struct rd t = *r;

	if (i >= rd_left(r) / x->w)
		return false;
	rd_skip(&t, i * x->w);
	*v = ec_word(x, &t);
	return rd_ok(&t);
}

/* Grow *arr (of *cap elements of size sz) to hold n elements. */
static void
ec_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	if (n <= *cap)
		return;
	*cap = MAX(n, *cap < 8 ? 8 : *cap * 2);
	*arr = xreallocarray(*arr, *cap, sz);
}

/* Copy a fixed-size char field up to its first NUL; false when the field
 * holds no NUL (dst gets all n bytes). dst has n + 1 bytes. */
static bool
ec_cstr(struct rd *r, size_t n, char *dst)
{
	const uint8_t *p;
	size_t len;

	dst[0] = '\0';
	if (rd_bytes(r, n, &p) != 0)
		return true;
	len = strnlen((const char *)p, n);
	memcpy(dst, p, len);
	dst[len] = '\0';
	return len < n;
}

/* Program register indexes of pc and sp in pr_reg, by machine and class. */
static bool
ec_reg_index(const struct ec *x, size_t *pc, size_t *sp)
{
	switch (x->c->machine) {
	case ELFCORE_EM_X86_64:
		if (x->w != 8)
			return false; /* x32 has its own layout */
		*pc = 16, *sp = 19;
		return true;
	case ELFCORE_EM_386:
		if (x->w != 4)
			return false;
		*pc = 12, *sp = 15;
		return true;
	case ELFCORE_EM_AARCH64:
		if (x->w != 8)
			return false;
		*pc = 32, *sp = 31;
		return true;
	case ELFCORE_EM_RISCV:
		*pc = 0, *sp = 2;
		return true;
	case ELFCORE_EM_ARM:
		if (x->w != 4)
			return false;
		*pc = 15, *sp = 13;
		return true;
	default:
		return false;
	}
}

static void
ec_prstatus(struct ec *x, struct rd *d, uint64_t off, uint32_t descsz)
{
	struct elfcore *c = x->c;
	struct elfcore_thread *t;
	size_t need = 16 + 2 * x->w + 16, ipc, isp;
	uint64_t v;

	if (descsz < need) {
		ec_anom(x, off, "short NT_PRSTATUS (%" PRIu32 " bytes)", descsz);
		return;
	}
	if (c->nthreads >= ELFCORE_MAX_THREADS) {
		if (!x->warned_threads)
			ec_anom(x, off, "more than %u threads: the rest are "
			    "not listed", ELFCORE_MAX_THREADS);
		x->warned_threads = true;
		return;
	}
	ec_grow((void **)&c->threads, &x->cap_threads, c->nthreads + 1,
	    sizeof(*c->threads));
	t = &c->threads[c->nthreads++];
	memset(t, 0, sizeof(*t));
	t->note_off = off;
	t->si_signo = (int32_t)ec_32(x, d);
	t->si_code = (int32_t)ec_32(x, d);
	t->si_errno = (int32_t)ec_32(x, d);
	t->cursig = (int16_t)ec_16(x, d);
	rd_skip(d, 2);
	t->sigpend = ec_word(x, d);
	t->sighold = ec_word(x, d);
	t->pid = (int32_t)ec_32(x, d);
	t->ppid = (int32_t)ec_32(x, d);
	t->pgrp = (int32_t)ec_32(x, d);
	t->sid = (int32_t)ec_32(x, d);
	rd_skip(d, 8 * x->w); /* utime, stime, cutime, cstime */
	if (!rd_ok(d) || !ec_reg_index(x, &ipc, &isp))
		return;
	if (ec_word_at(x, d, ipc, &v)) {
		t->pc = v;
		if (ec_word_at(x, d, isp, &v)) {
			t->sp = v;
			t->have_regs = true;
		}
	}
	if (!t->have_regs)
		ec_anom(x, off, "NT_PRSTATUS of pid %" PRId32 " too short for "
		    "its registers (%" PRIu32 " bytes)", t->pid, descsz);
}

static void
ec_prpsinfo(struct ec *x, struct rd *d, uint64_t off, uint32_t descsz)
{
	struct elfcore_psinfo *p = &x->c->psinfo;
	bool uid16 = x->w == 4 && descsz < 128;
	size_t need = x->w == 8 ? 136 : uid16 ? 124 : 128;

	if (p->present) {
		ec_anom(x, off, "second NT_PRPSINFO ignored");
		return;
	}
	if (descsz < need) {
		ec_anom(x, off, "short NT_PRPSINFO (%" PRIu32 " bytes)", descsz);
		return;
	}
	p->present = true;
	p->state = rd_u8(d);
	p->sname = (char)rd_u8(d);
	p->zomb = (int8_t)rd_u8(d);
	p->nice = (int8_t)rd_u8(d);
	rd_skip(d, x->w - 4);
	p->flag = ec_word(x, d);
	if (uid16) {
		p->uid = ec_16(x, d);
		p->gid = ec_16(x, d);
	} else {
		p->uid = ec_32(x, d);
		p->gid = ec_32(x, d);
	}
	p->pid = (int32_t)ec_32(x, d);
	p->ppid = (int32_t)ec_32(x, d);
	p->pgrp = (int32_t)ec_32(x, d);
	p->sid = (int32_t)ec_32(x, d);
	if (!ec_cstr(d, 16, p->fname))
		ec_anom(x, off, "NT_PRPSINFO fname is not NUL-terminated");
	if (!ec_cstr(d, 80, p->psargs))
		ec_anom(x, off, "NT_PRPSINFO psargs is not NUL-terminated");
}

static void
ec_siginfo(struct ec *x, struct rd *d, uint64_t off, uint32_t descsz)
{
	struct elfcore_siginfo *s = &x->c->siginfo;
	size_t uoff = x->w == 8 ? 16 : 12;

	if (s->present) {
		ec_anom(x, off, "second NT_SIGINFO ignored");
		return;
	}
	if (descsz < 12) {
		ec_anom(x, off, "short NT_SIGINFO (%" PRIu32 " bytes)", descsz);
		return;
	}
	s->present = true;
	s->signo = (int32_t)ec_32(x, d);
	s->errno_ = (int32_t)ec_32(x, d);
	s->code = (int32_t)ec_32(x, d);
	/* SIGILL 4, SIGBUS 7, SIGFPE 8, SIGSEGV 11, kernel-raised. */
	if (s->code > 0 && (s->signo == 4 || s->signo == 7 ||
	    s->signo == 8 || s->signo == 11) && descsz >= uoff + x->w) {
		rd_skip(d, uoff - 12);
		s->addr = ec_word(x, d);
		s->have_addr = rd_ok(d);
	}
}

static void
ec_auxv(struct ec *x, struct rd *d, uint64_t off, uint32_t descsz)
{
	struct elfcore *c = x->c;
	size_t n = descsz / (2 * x->w), i;
	uint64_t type, val;

	if (c->auxv != NULL) {
		ec_anom(x, off, "second NT_AUXV ignored");
		return;
	}
	if (descsz % (2 * x->w) != 0)
		ec_anom(x, off, "NT_AUXV size %" PRIu32 " is not a multiple of "
		    "%zu", descsz, 2 * x->w);
	if (n > ELFCORE_MAX_AUXV) {
		ec_anom(x, off, "NT_AUXV of %zu pairs cut at %u", n,
		    ELFCORE_MAX_AUXV);
		n = ELFCORE_MAX_AUXV;
	}
	c->auxv = xcalloc(n + 1, sizeof(*c->auxv));
	for (i = 0; i < n; i++) {
		type = ec_word(x, d);
		val = ec_word(x, d);
		if (!rd_ok(d) || type == ELFCORE_AT_NULL)
			break;
		c->auxv[c->nauxv].type = type;
		c->auxv[c->nauxv++].val = val;
	}
}

static void
ec_file(struct ec *x, struct rd *d, uint64_t off)
{
	struct elfcore *c = x->c;
	uint64_t count, psz, fit, start, end, fofs;
	const uint8_t *p;
	size_t i, len;
	bool last = false;

	if (c->files != NULL) {
		ec_anom(x, off, "second NT_FILE ignored");
		return;
	}
	count = ec_word(x, d);
	psz = ec_word(x, d);
	if (!rd_ok(d)) {
		ec_anom(x, off, "short NT_FILE");
		return;
	}
	c->page_size = psz;
	if (psz == 0) {
		ec_anom(x, off, "NT_FILE page_size 0 (taken as 1)");
		psz = 1;
	}
	fit = rd_left(d) / (3 * x->w);
	if (count > fit) {
		ec_anom(x, off, "NT_FILE count %" PRIu64 " larger than the "
		    "note (room for %" PRIu64 ")", count, fit);
		count = fit;
	}
	if (count > ELFCORE_MAX_FILES) {
		ec_anom(x, off, "NT_FILE of %" PRIu64 " mappings cut at %u",
		    count, ELFCORE_MAX_FILES);
		count = ELFCORE_MAX_FILES;
	}
	c->files = xcalloc((size_t)count + 1, sizeof(*c->files));
	c->nfiles = (size_t)count;
	for (i = 0; i < c->nfiles; i++) {
		start = ec_word(x, d);
		end = ec_word(x, d);
		fofs = ec_word(x, d);
		c->files[i].start = start;
		c->files[i].end = end;
		if (end < start)
			ec_anom(x, off, "NT_FILE mapping %zu ends before it "
			    "starts", i);
		if (ckd_mul(&c->files[i].offset, fofs, psz)) {
			ec_anom(x, off, "NT_FILE mapping %zu: offset %" PRIu64
			    " pages overflows", i, fofs);
			c->files[i].offset = UINT64_MAX;
		}
	}
	for (i = 0; i < c->nfiles; i++) {
		if (rd_left(d) == 0) {
			ec_anom(x, rd_off(d), "NT_FILE has %zu paths for %zu "
			    "mappings", i, c->nfiles);
			break;
		}
		if (rd_until(d, 0, &p, &len) != 0) {
			/* No NUL: take the rest. rd_until errored the
			 * reader; it is not used again. */
			ec_anom(x, rd_off(d), "NT_FILE path %zu is not "
			    "NUL-terminated", i);
			len = (size_t)(d->end - d->p);
			p = d->p;
			last = true;
		}
		if (len >= ELFCORE_MAX_STR) {
			ec_anom(x, off, "NT_FILE path %zu of %zu bytes cut",
			    i, len);
			len = ELFCORE_MAX_STR - 1;
		}
		c->files[i].path = xstrndup((const char *)p, len);
		if (last) {
			i++;
			break;
		}
	}
	for (; i < c->nfiles; i++)
		c->files[i].path = xstrdup("");
}

/* Decode one note whose desc is d (descsz bytes at off). */
static void
ec_note(struct ec *x, const char *owner, uint32_t type, struct rd *d,
    uint64_t off, uint32_t descsz)
{
	struct elfcore *c = x->c;
	struct elfcore_note *n;

	if (c->nnotes < ELFCORE_MAX_NOTES) {
		ec_grow((void **)&c->notes, &x->cap_notes, c->nnotes + 1,
		    sizeof(*c->notes));
		n = &c->notes[c->nnotes++];
		n->desc_off = off;
		n->type = type;
		n->descsz = descsz;
		snprintf(n->name, sizeof(n->name), "%s", owner);
	} else if (!x->warned_notes) {
		ec_anom(x, off, "more than %u notes: the rest are not listed",
		    ELFCORE_MAX_NOTES);
		x->warned_notes = true;
	}
	if (strcmp(owner, "CORE") != 0)
		return;
	switch (type) {
	case ELFCORE_NT_PRSTATUS:
		ec_prstatus(x, d, off, descsz);
		break;
	case ELFCORE_NT_PRPSINFO:
		ec_prpsinfo(x, d, off, descsz);
		break;
	case ELFCORE_NT_AUXV:
		ec_auxv(x, d, off, descsz);
		break;
	case ELFCORE_NT_SIGINFO:
		ec_siginfo(x, d, off, descsz);
		break;
	case ELFCORE_NT_FILE:
		ec_file(x, d, off);
		break;
	default:
		break;
	}
}

/* Skip the padding after a field of n bytes, as much as the span has. */
static void
ec_pad(struct rd *r, uint32_t n)
{
	size_t pad = (4 - n % 4) % 4;

	rd_skip(r, MIN(pad, rd_left(r)));
}

/* Walk the notes of one PT_NOTE segment held in buf[0..len). */
static void
ec_notes(struct ec *x, const uint8_t *buf, size_t len, uint64_t base)
{
	struct rd r, d;
	const uint8_t *name;
	uint32_t namesz, descsz, type;
	uint64_t noff;
	char owner[16];
	size_t olen;

	rd_init(&r, buf, len, base);
	while (rd_left(&r) > 0) {
		noff = rd_off(&r);
		if (rd_left(&r) < 12) {
			ec_anom(x, noff, "%zu stray bytes at the end of a note "
			    "segment", rd_left(&r));
			return;
		}
		namesz = ec_32(x, &r);
		descsz = ec_32(x, &r);
		type = ec_32(x, &r);
		if (namesz > rd_left(&r)) {
			ec_anom(x, noff, "note name (namesz %" PRIu32 ") "
			    "overflows its segment", namesz);
			return;
		}
		rd_bytes(&r, namesz, &name);
		owner[0] = '\0';
		if (namesz > 0) {
			olen = strnlen((const char *)name, namesz);
			if (olen == namesz)
				ec_anom(x, noff, "note name is not "
				    "NUL-terminated");
			olen = MIN(olen, sizeof(owner) - 1);
			memcpy(owner, name, olen);
			owner[olen] = '\0';
		}
		ec_pad(&r, namesz);
		if (descsz > rd_left(&r)) {
			ec_anom(x, noff, "note desc (descsz %" PRIu32 ", type "
			    "%#" PRIx32 ") overflows its segment", descsz,
			    type);
			return;
		}
		rd_sub(&r, descsz, &d);
		ec_note(x, owner, type, &d, d.base, descsz);
		ec_pad(&r, descsz);
	}
}

/* Read and walk one PT_NOTE segment. */
static int
ec_note_seg(struct ec *x, uint64_t off, uint64_t filesz)
{
	uint64_t size = x->src->size, avail, budget;
	uint8_t *buf;
	size_t got;
	int rc;

	if (filesz == 0)
		return 0;
	if (off >= size) {
		ec_anom(x, off, "note segment beyond the end of the file");
		return 0;
	}
	avail = MIN(filesz, size - off);
	if (avail < filesz)
		ec_anom(x, off, "note segment cut by the end of the file "
		    "(%" PRIu64 " of %" PRIu64 " bytes)", avail, filesz);
	budget = ELFCORE_MAX_NOTES_BYTES - x->c->notes_bytes;
	if (avail > budget) {
		ec_anom(x, off, "notes beyond %u bytes are not read",
		    ELFCORE_MAX_NOTES_BYTES);
		avail = budget;
	}
	if (avail == 0)
		return 0;
	buf = xmalloc((size_t)avail);
	rc = ec_read(x, off, buf, (size_t)avail, &got);
	if (rc == 0) {
		x->c->notes_bytes += got;
		ec_notes(x, buf, got, off);
	}
	free(buf);
	return rc;
}

struct ec_span {
	uint64_t start;
	size_t i;
};

static int
ec_span_cmp(const void *a, const void *b)
{
	const struct ec_span *p = a, *q = b;

	if (p->start != q->start)
		return p->start < q->start ? -1 : 1;
	return p->i < q->i ? -1 : p->i > q->i;
}

/* Give every PT_LOAD the NT_FILE mapping covering its start. */
static void
ec_map_segs(struct elfcore *c)
{
	struct ec_span *sp;
	struct elfcore_file *f;
	struct elfcore_seg *s;
	size_t i, lo, hi, mid;

	if (c->nfiles == 0 || c->nsegs == 0)
		return;
	sp = xcalloc(c->nfiles, sizeof(*sp));
	for (i = 0; i < c->nfiles; i++) {
		sp[i].start = c->files[i].start;
		sp[i].i = i;
	}
	qsort(sp, c->nfiles, sizeof(*sp), ec_span_cmp);
	for (i = 0; i < c->nsegs; i++) {
		s = &c->segs[i];
		/* The first span starting after vaddr. */
		lo = 0, hi = c->nfiles;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (sp[mid].start <= s->vaddr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			continue;
		f = &c->files[sp[lo - 1].i];
		if (s->vaddr >= f->end)
			continue;
		s->path = f->path;
		if (f->offset == UINT64_MAX ||
		    ckd_add(&s->file_off, f->offset, s->vaddr - f->start))
			s->file_off = UINT64_MAX;
	}
	free(sp);
}

/* The real program header count of a PN_XNUM core: shdr[0].sh_info. */
static int
ec_xnum(struct ec *x, uint16_t shentsize, uint32_t *phnum)
{
	uint8_t buf[64];
	size_t need = x->w == 8 ? 64 : 40, got;
	struct rd r;
	int rc;

	if (x->c->shoff == 0 || shentsize < need) {
		ec_anom(x, 0, "e_phnum is PN_XNUM without a section header 0");
		return 0;
	}
	if ((rc = ec_read(x, x->c->shoff, buf, need, &got)) != 0)
		return rc;
	if (got < need) {
		ec_anom(x, x->c->shoff, "section header 0 cut by the end of "
		    "the file");
		return 0;
	}
	rd_init(&r, buf, got, x->c->shoff);
	rd_skip(&r, x->w == 8 ? 44 : 28);
	*phnum = ec_32(x, &r);
	return 0;
}

/* The ELF header; fills x->c and the program header table geometry. */
static int
ec_ehdr(struct ec *x, uint16_t *phentsize, uint32_t *phnum)
{
	struct elfcore *c = x->c;
	uint8_t buf[64];
	uint16_t type, shentsize, n;
	size_t got, ehsize, want;
	struct rd r;
	int rc;

	if ((rc = ec_read(x, 0, buf, sizeof(buf), &got)) != 0)
		return rc;
	if (got < 16 || memcmp(buf, "\177ELF", 4) != 0)
		return dd_err_set_at(x->e, DD_EFORMAT, 0,
		    "not an ELF core: no ELF magic");
	if (buf[4] != 1 && buf[4] != 2)
		return dd_err_set_at(x->e, DD_EFORMAT, 4,
		    "not an ELF core: class %u", buf[4]);
	if (buf[5] != 1 && buf[5] != 2)
		return dd_err_set_at(x->e, DD_EFORMAT, 5,
		    "not an ELF core: data encoding %u", buf[5]);
	if (buf[6] != 1)
		return dd_err_set_at(x->e, DD_EFORMAT, 6,
		    "not an ELF core: version %u", buf[6]);
	x->w = buf[4] == 2 ? 8 : 4;
	x->be = buf[5] == 2;
	c->bits = (int)x->w * 8;
	c->big_endian = x->be;
	ehsize = x->w == 8 ? 64 : 52;
	if (got < ehsize)
		return dd_err_set_at(x->e, DD_ETRUNC, (int64_t)got,
		    "ELF header cut at %zu of %zu bytes", got, ehsize);
	rd_init(&r, buf, got, 0);
	rd_skip(&r, 16);
	type = ec_16(x, &r);
	c->machine = ec_16(x, &r);
	rd_skip(&r, 4 + x->w); /* e_version, e_entry */
	c->phoff = ec_word(x, &r);
	c->shoff = ec_word(x, &r);
	rd_skip(&r, 4 + 2); /* e_flags, e_ehsize */
	*phentsize = ec_16(x, &r);
	n = ec_16(x, &r);
	shentsize = ec_16(x, &r);
	if (!rd_ok(&r))
		return dd_err_set(x->e, DD_EINTERNAL, "ELF header misread");
	if (type != EC_ET_CORE)
		return dd_err_set_at(x->e, DD_EFORMAT, 16,
		    "not an ELF core: e_type %u", type);
	want = x->w == 8 ? 56 : 32;
	if (n != 0 && (*phentsize < want || *phentsize > 256))
		return dd_err_set_at(x->e, DD_EFORMAT, x->w == 8 ? 54 : 42,
		    "not an ELF core: e_phentsize %u", *phentsize);
	if (*phentsize != want && n != 0)
		ec_anom(x, 0, "e_phentsize %u (expected %zu)", *phentsize, want);
	*phnum = n;
	if (n == EC_PN_XNUM && (rc = ec_xnum(x, shentsize, phnum)) != 0)
		return rc;
	if (*phnum > ELFCORE_MAX_PHDRS) {
		ec_anom(x, 0, "%" PRIu32 " program headers cut at %u", *phnum,
		    ELFCORE_MAX_PHDRS);
		*phnum = ELFCORE_MAX_PHDRS;
	}
	return 0;
}

/* One PT_LOAD into c->segs. */
static void
ec_load(struct ec *x, uint64_t at, uint64_t off, uint64_t vaddr,
    uint64_t filesz, uint64_t memsz, uint32_t flags)
{
	struct elfcore *c = x->c;
	struct elfcore_seg *s = &c->segs[c->nsegs++];
	uint64_t size = x->src->size;

	s->offset = off;
	s->vaddr = vaddr;
	s->filesz = filesz;
	s->memsz = memsz;
	s->flags = flags;
	s->perms[0] = flags & ELFCORE_PF_R ? 'r' : '-';
	s->perms[1] = flags & ELFCORE_PF_W ? 'w' : '-';
	s->perms[2] = flags & ELFCORE_PF_X ? 'x' : '-';
	s->perms[3] = '\0';
	s->avail = off >= size ? 0 : MIN(filesz, size - off);
	if (s->avail < filesz) {
		if (c->nload_beyond_eof == 0)
			ec_anom(x, at, "PT_LOAD at %#" PRIx64 " (%" PRIu64
			    " bytes at offset %#" PRIx64 ") extends past the "
			    "end of the file", vaddr, filesz, off);
		c->nload_beyond_eof++;
	}
}

static int
ec_phdrs(struct ec *x, uint16_t phentsize, uint32_t phnum)
{
	struct elfcore *c = x->c;
	uint64_t size = x->src->size, off, vaddr, filesz, memsz;
	uint32_t type, flags, i, fit;
	uint8_t *tab;
	size_t got, len;
	struct rd r, p;
	int rc = 0;

	if (phnum == 0)
		return 0;
	len = (size_t)phnum * phentsize;
	if (c->phoff >= size || len > size - c->phoff) {
		fit = c->phoff >= size ? 0 :
		    (uint32_t)((size - c->phoff) / phentsize);
		ec_anom(x, c->phoff, "program headers cut by the end of the "
		    "file (%" PRIu32 " of %" PRIu32 ")", fit, phnum);
		phnum = fit;
		len = (size_t)phnum * phentsize;
		if (phnum == 0)
			return 0;
	}
	tab = xmalloc(len);
	if ((rc = ec_read(x, c->phoff, tab, len, &got)) != 0)
		goto out;
	phnum = (uint32_t)(got / phentsize);
	c->phnum = phnum;
	if (phnum == 0)
		goto out;
	c->segs = xcalloc(phnum, sizeof(*c->segs));
	rd_init(&r, tab, got, c->phoff);
	for (i = 0; i < phnum; i++) {
		uint64_t at = rd_off(&r);

		rd_sub(&r, phentsize, &p);
		type = ec_32(x, &p);
		if (x->w == 8) {
			flags = ec_32(x, &p);
			off = ec_64(x, &p);
			vaddr = ec_64(x, &p);
			rd_skip(&p, 8); /* p_paddr */
			filesz = ec_64(x, &p);
			memsz = ec_64(x, &p);
		} else {
			off = ec_32(x, &p);
			vaddr = ec_32(x, &p);
			rd_skip(&p, 4);
			filesz = ec_32(x, &p);
			memsz = ec_32(x, &p);
			flags = ec_32(x, &p);
		}
		if (!rd_ok(&p))
			break;
		if (type == EC_PT_LOAD)
			ec_load(x, at, off, vaddr, filesz, memsz, flags);
		else if (type == EC_PT_NOTE &&
		    (rc = ec_note_seg(x, off, filesz)) != 0)
			goto out;
	}
	if (c->nload_beyond_eof > 1)
		ec_anom(x, c->phoff, "%" PRIu32 " PT_LOAD segments extend past "
		    "the end of the file (truncated core)", c->nload_beyond_eof);
out:
	free(tab);
	return rc;
}

int
elfcore_parse(const struct elfcore_src *src, struct elfcore *c,
    struct dd_err *e)
{
	struct ec x;
	uint16_t phentsize = 0;
	uint32_t phnum = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	memset(&x, 0, sizeof(x));
	x.src = src;
	x.c = c;
	x.e = e;
	if ((rc = ec_ehdr(&x, &phentsize, &phnum)) != 0 ||
	    (rc = ec_phdrs(&x, phentsize, phnum)) != 0) {
		elfcore_release(c);
		return rc;
	}
	ec_map_segs(c);
	return 0;
}

void
elfcore_release(struct elfcore *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i].path);
	free(c->files);
	free(c->segs);
	free(c->threads);
	free(c->auxv);
	free(c->notes);
	memset(c, 0, sizeof(*c));
}

bool
elfcore_auxv_get(const struct elfcore *c, uint64_t type, uint64_t *val)
{
	size_t i;

	for (i = 0; i < c->nauxv; i++)
		if (c->auxv[i].type == type) {
			*val = c->auxv[i].val;
			return true;
		}
	return false;
}

const char *
elfcore_machine_name(uint16_t machine)
{
	switch (machine) {
	case ELFCORE_EM_386:
		return "i386";
	case ELFCORE_EM_ARM:
		return "arm";
	case ELFCORE_EM_X86_64:
		return "x86_64";
	case ELFCORE_EM_AARCH64:
		return "aarch64";
	case ELFCORE_EM_RISCV:
		return "riscv";
	default:
		return NULL;
	}
}
