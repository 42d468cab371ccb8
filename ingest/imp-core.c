/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-core.c: ELF core files (Linux kernel cores and gdb's gcore), through
 * the pure parser ingest/elfcore.c (layouts: FORMATS.md 6.1).
 *
 *   ELF header | program headers | PT_NOTE (PRSTATUS.. PRPSINFO AUXV FILE)
 *   | PT_LOAD 1 bytes | PT_LOAD 2 bytes | ... | (gcore: section headers)
 *
 * gcore writes the notes after the segments, so the parser reads where it
 * needs (ingest_src_pread) and only that: headers, notes and the top
 * CORE_STACK_MAX bytes of the segment holding the initial stack (the one
 * AT_EXECFN points into). The framework stores the whole original. A
 * compressed core (core.gz) can only be read forward: its first
 * CORE_HEAD_MAX bytes are cached for the parser, and headers or notes past
 * them reject the file (decompress it first).
 *
 * Emitted (core/schema.sql migration 6): one process (PRPSINFO pid, ppid,
 * comm, argv, exe), its threads (NT_PRSTATUS: tid, cursig, pc, sp), its
 * procinfo (state, uid, gid, AT_EUID, the SIGINFO signal, AT_EXECFN), one
 * mapping per PT_LOAD (NT_FILE path and byte offset, or [vdso], [stack],
 * [vsyscall] for the anonymous segments the auxv locates, as maps names
 * them; data_off/data_size locate the bytes present in the stored
 * original) and its environment.
 *
 * argv and environ come from the initial stack, exactly: the NT_AUXV desc
 * is found word-aligned in the stack segment; the word before it is
 * envp's NULL, envp[] runs back to argv's NULL, and argv[] back to argc,
 * which must equal the count. Each pointer must land in the kept stack
 * bytes and each string end there. When any step fails the layout is
 * reported as an anomaly, args fall back to PRPSINFO's psargs (80 bytes,
 * NULs as spaces) and no environ row is written.
 *
 * A core read through a compression filter (core.gz) has no data_off:
 * its offsets are in the decompressed stream, not the stored original.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/event.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/xmalloc.h"
#include "ingest/elfcore.h"
#include "ingest/ingest.h"

/* Bytes cached from offset 0 for headers and notes. */
#define CORE_HEAD_MAX (ELFCORE_MAX_NOTES_BYTES + 8u * 1024 * 1024)
/* Top bytes of the stack segment kept to recover argv and environ. */
#define CORE_STACK_MAX (8u * 1024 * 1024)
/* argv plus envp entries read, and bytes of one string. */
#define CORE_MAX_ARGS 65536u
#define CORE_MAX_ARGLEN (128u * 1024)

struct core_in {
	struct imp_ctx *ctx;
	uint8_t *head;	     /* bytes [0, hlen) of the source */
	size_t hlen, hcap;
	uint64_t pos;	     /* stream position */
	bool eof;
	bool seek;	     /* random access (not filtered) */
	bool limit;	     /* the anomaly cap was reached */
};

/* Read up to n more source bytes at the stream position into buf. */
static int
core_read_more(struct core_in *in, void *buf, size_t n, size_t *got,
    struct dd_err *e)
{
	size_t k = 0, g;
	int rc;

	while (k < n && !in->eof) {
		if ((rc = ingest_src_read(in->ctx, (uint8_t *)buf + k, n - k,
			 &g, e)) < 0)
			return rc;
		if (g == 0)
			in->eof = true;
		k += g;
		in->pos += g;
	}
	*got = k;
	return 0;
}

/* The parser's read-at, over the head cache. */
static int
core_pread(void *user, uint64_t off, void *buf, size_t n, size_t *got,
    struct dd_err *e)
{
	struct core_in *in = user;
	uint64_t want = off + n;
	size_t g;
	int rc;

	*got = 0;
	if (in->seek)
		return ingest_src_pread(in->ctx, off, buf, n, got, e);
	if (off > CORE_HEAD_MAX || n > CORE_HEAD_MAX - off)
		return dd_err_set_at(e, DD_ELIMIT, (int64_t)off,
		    "'%s': ELF headers or notes at offset %" PRIu64
		    " lie past the first %u MiB of the core (not read)",
		    in->ctx->src->name, off, CORE_HEAD_MAX >> 20);
	/* Grow by at most doubling, and only as bytes arrive: a header
	 * claiming notes far away costs memory only if the file has them. */
	while (want > in->hlen && !in->eof) {
		size_t step;
		if (in->hlen == in->hcap) {
			size_t cap = in->hcap ? in->hcap * 2 : 65536;
			cap = MIN(cap, (size_t)CORE_HEAD_MAX);
			in->head = xrealloc(in->head, cap);
			in->hcap = cap;
		}
		step = (size_t)MIN(want, (uint64_t)in->hcap) - in->hlen;
		if ((rc = core_read_more(in, in->head + in->hlen, step, &g,
			 e)) < 0)
			return rc;
		in->hlen += g;
	}
	if (off < in->hlen) {
		*got = (size_t)MIN((uint64_t)n, in->hlen - off);
		memcpy(buf, in->head + off, *got);
	}
	return 0;
}

static void
core_anom(void *user, uint64_t off, const char *msg)
{
	struct core_in *in = user;

	if (!in->limit && ingest_anomaly(in->ctx, (int64_t)off, "%s", msg) < 0)
		in->limit = true;
}

/* The initial stack: its top bytes, from address base. */
struct core_stack {
	uint8_t *p;
	size_t n;
	uint64_t base;
	int w;		/* word size */
	bool be;
};

static uint64_t
core_word(const struct core_stack *s, size_t at)
{
	uint64_t v = 0;

	for (int i = 0; i < s->w; i++)
		v = s->be ? v << 8 | s->p[at + i] :
			    v | (uint64_t)s->p[at + i] << (8 * i);
	return v;
}

/* The NUL-terminated string at address a, or NULL when it is not wholly
 * in the kept stack bytes (or longer than CORE_MAX_ARGLEN). */
static const char *
core_str(const struct core_stack *s, uint64_t a)
{
	const uint8_t *z;
	size_t at, room;

	if (a < s->base || a - s->base >= s->n)
		return NULL;
	at = (size_t)(a - s->base);
	room = MIN(s->n - at, (size_t)CORE_MAX_ARGLEN);
	z = memchr(s->p + at, 0, room);
	return z ? (const char *)s->p + at : NULL;
}

/* Skip the stream to off and keep the top bytes of segment g. */
static int
core_load_stack(struct core_in *in, const struct elfcore *c,
    const struct elfcore_seg *g, struct core_stack *s, struct dd_err *e)
{
	uint64_t keep = MIN(g->avail, (uint64_t)CORE_STACK_MAX);
	uint64_t from = g->offset + g->avail - keep;
	uint8_t tmp[65536];
	size_t got;
	int rc;

	s->w = c->bits / 8;
	s->be = c->big_endian;
	s->base = g->vaddr + (g->avail - keep);
	s->p = xmalloc((size_t)keep + 1);
	if (in->seek) {
		rc = ingest_src_pread(in->ctx, from, s->p, (size_t)keep, &got,
		    e);
		s->n = got;
		return rc;
	}
	if (from + keep <= in->hlen) {
		memcpy(s->p, in->head + from, (size_t)keep);
		s->n = (size_t)keep;
		return 0;
	}
	if (from < in->pos)
		return 0; /* passed (headers after the segment): no stack */
	while (in->pos < from && !in->eof)
		if ((rc = core_read_more(in, tmp,
			 (size_t)MIN((uint64_t)sizeof(tmp), from - in->pos),
			 &got, e)) < 0)
			return rc;
	if ((rc = core_read_more(in, s->p, (size_t)keep, &got, e)) < 0)
		return rc;
	s->n = got;
	return 0;
}

/* Recover argv and envp from the stack (see the header comment). On
 * success the strings are in argv[0..*nargv) then envp[0..*nenv). */
static bool
core_stack_args(struct core_in *in, const struct elfcore *c,
    const struct core_stack *s, const char ***argv, size_t *nargv,
    const char ***envp, size_t *nenv)
{
	const struct elfcore_note *auxn = NULL;
	uint8_t aux[ELFCORE_MAX_AUXV * 16];
	const uint8_t *hit = NULL;
	size_t alen, at, i, k, na = 0, ne = 0, got;
	struct dd_err e2 = DD_ERR_INIT;
	uint64_t v;

	for (i = 0; i < c->nnotes; i++)
		if (c->notes[i].type == ELFCORE_NT_AUXV &&
		    strcmp(c->notes[i].name, "CORE") == 0)
			auxn = &c->notes[i];
	if (auxn == NULL || s->n == 0 || auxn->descsz < (uint32_t)(2 * s->w) ||
	    auxn->descsz > sizeof(aux) ||
	    core_pread(in, auxn->desc_off, aux, auxn->descsz, &got, &e2) < 0 ||
	    got != auxn->descsz)
		return false;
	/* Compare up to the AT_NULL pair: the kernel's desc may have
	 * trailing zero pairs the stack copy lacks. */
	alen = 0;
	while (alen + 2 * (size_t)s->w <= auxn->descsz) {
		struct core_stack a = { (uint8_t *)aux, auxn->descsz, 0, s->w,
			s->be };
		alen += 2 * (size_t)s->w;
		if (core_word(&a, alen - 2 * (size_t)s->w) == ELFCORE_AT_NULL)
			break;
	}
	for (at = 0; at + alen <= s->n; at += (size_t)s->w)
		if (memcmp(s->p + at, aux, alen) == 0) {
			hit = s->p + at;
			break;
		}
	if (hit == NULL || at < (size_t)s->w ||
	    core_word(s, at - (size_t)s->w) != 0)
		return false;
	/* envp[] backwards from its NULL. */
	k = at - (size_t)s->w;
	while (k >= (size_t)s->w && (v = core_word(s, k - (size_t)s->w)) != 0) {
		if (core_str(s, v) == NULL || ++ne > CORE_MAX_ARGS)
			return false;
		k -= (size_t)s->w;
	}
	if (k < (size_t)s->w)
		return false;
	k -= (size_t)s->w; /* argv's NULL */
	/* argv[] backwards to argc. */
	while (k >= (size_t)s->w) {
		v = core_word(s, k - (size_t)s->w);
		if (v == na)
			break;
		if (core_str(s, v) == NULL || ++na > CORE_MAX_ARGS)
			return false;
		k -= (size_t)s->w;
	}
	if (k < (size_t)s->w || na == 0)
		return false;
	*argv = xcalloc(na + 1, sizeof(**argv));
	*envp = xcalloc(ne + 1, sizeof(**envp));
	for (i = 0; i < na; i++)
		(*argv)[i] = core_str(s, core_word(s, k + i * (size_t)s->w));
	k += (na + 1) * (size_t)s->w;
	for (i = 0; i < ne; i++)
		(*envp)[i] = core_str(s, core_word(s, k + i * (size_t)s->w));
	*nargv = na;
	*nenv = ne;
	return true;
}

/* The name /proc/PID/maps gives an anonymous segment the auxv locates:
 * the vDSO (AT_SYSINFO_EHDR), the stack (AT_EXECFN's string is in it),
 * the legacy vsyscall page; else NULL. */
static const char *
core_anon_name(const struct elfcore *c, const struct elfcore_seg *g)
{
	uint64_t v;

	if (elfcore_auxv_get(c, 33 /* AT_SYSINFO_EHDR */, &v) && v == g->vaddr)
		return "[vdso]";
	if (elfcore_auxv_get(c, ELFCORE_AT_EXECFN, &v) && v >= g->vaddr &&
	    v - g->vaddr < g->memsz)
		return "[stack]";
	if (g->vaddr == 0xffffffffff600000ull)
		return "[vsyscall]";
	return NULL;
}

static void
core_hex(char out[17], uint64_t v)
{
	snprintf(out, 17, "%016" PRIx64, v);
}

static int
core_emit(struct imp_ctx *ctx, struct core_in *in,
    const struct elfcore *c, const struct core_stack *s, struct dd_err *e)
{
	struct sink *k = ctx->sink;
	struct net_rec r;
	struct process_rec pr;
	const char **argv = NULL, **envp = NULL;
	size_t nargv = 0, nenv = 0, i;
	struct sbuf args;
	char a[17], b[17], state[2] = { 0, 0 };
	const char *exe = NULL, *execfn = NULL;
	uint64_t v;
	int64_t pid, *tids;
	int rc = 0;

	pid = c->psinfo.present ? c->psinfo.pid :
	      c->nthreads ? c->threads[0].pid : 0;
	if (elfcore_auxv_get(c, ELFCORE_AT_EXECFN, &v))
		execfn = core_str(s, v);
	if (elfcore_auxv_get(c, ELFCORE_AT_ENTRY, &v))
		for (i = 0; i < c->nfiles; i++)
			if (v >= c->files[i].start && v < c->files[i].end)
				exe = c->files[i].path;
	if (exe == NULL)
		exe = execfn;
	sbuf_init(&args, (size_t)CORE_MAX_ARGS * 64);
	if (core_stack_args(in, c, s, &argv, &nargv, &envp, &nenv)) {
		for (i = 0; i < nargv; i++)
			sbuf_addf(&args, "%s%s", i ? " " : "", argv[i]);
	} else {
		if (s->n != 0 && (rc = ingest_anomaly(ctx, -1,
				      "'%s': the initial stack (argv, envp, "
				      "auxv) was not found in the stack "
				      "segment: args are PRPSINFO's first 80 "
				      "bytes, environ is unknown",
				      ctx->src->name)) < 0)
			goto out;
		sbuf_addstr(&args, c->psinfo.psargs);
		while (args.len && args.buf[args.len - 1] == ' ')
			args.buf[--args.len] = '\0';
	}

	tids = xcalloc(c->nthreads + 1, sizeof(*tids));
	for (i = 0; i < c->nthreads; i++)
		tids[i] = c->threads[i].pid;
	memset(&pr, 0, sizeof(pr));
	pr.pid = pid;
	pr.ppid = c->psinfo.present ? c->psinfo.ppid : -1;
	pr.comm = c->psinfo.present ? c->psinfo.fname : NULL;
	pr.exe = exe;
	pr.args = args.len ? args.buf : NULL;
	pr.start_ts = EV_TS_NONE;
	pr.end_ts = EV_TS_NONE;
	pr.tids = tids;
	pr.ntids = c->nthreads;
	if (k->ops->process)
		rc = k->ops->process(k, ctx->artifact_id, &pr, e);
	free(tids);
	if (rc < 0 || k->ops->net == NULL)
		goto out;

	for (i = 0; i < c->nthreads && rc >= 0; i++) {
		const struct elfcore_thread *t = &c->threads[i];
		net_rec_init(&r, NR_THREAD);
		r.i[TH_PID] = pid;
		r.i[TH_TID] = t->pid;
		r.i[TH_SIGNAL] = t->cursig;
		if (t->have_regs) {
			core_hex(a, t->pc);
			core_hex(b, t->sp);
			r.s[THS_PC] = a;
			r.s[THS_SP] = b;
		}
		rc = k->ops->net(k, ctx->artifact_id, &r, e);
	}
	if (rc < 0)
		goto out;

	net_rec_init(&r, NR_PROCINFO);
	r.i[PI_PID] = pid;
	if (c->psinfo.present) {
		state[0] = c->psinfo.sname;
		r.s[PIS_STATE] = state[0] ? state : NULL;
		r.i[PI_UID] = c->psinfo.uid;
		r.i[PI_GID] = c->psinfo.gid;
	}
	if (elfcore_auxv_get(c, ELFCORE_AT_EUID, &v))
		r.i[PI_EUID] = (int64_t)v;
	if (c->siginfo.present)
		r.i[PI_SIGNAL] = c->siginfo.signo;
	r.s[PIS_EXECFN] = execfn;
	if ((rc = k->ops->net(k, ctx->artifact_id, &r, e)) < 0)
		goto out;

	for (i = 0; i < c->nsegs && rc >= 0; i++) {
		const struct elfcore_seg *g = &c->segs[i];
		net_rec_init(&r, NR_MAPPING);
		core_hex(a, g->vaddr);
		core_hex(b, g->vaddr + g->memsz);
		r.i[MP_PID] = pid;
		r.i[MP_SEQ] = (int64_t)i;
		r.s[MPS_START] = a;
		r.s[MPS_END] = b;
		r.i[MP_SIZE] = g->memsz > INT64_MAX ? NR_NULL :
							(int64_t)g->memsz;
		r.s[MPS_PERMS] = g->perms;
		r.s[MPS_PATH] = g->path ? g->path : core_anon_name(c, g);
		if (g->path)
			r.i[MP_OFFSET] = (int64_t)g->file_off;
		r.s[MPS_SOURCE] = "core";
		if (ctx->src->filter == NULL)
			r.i[MP_DATA_OFF] = (int64_t)g->offset;
		r.i[MP_DATA_SIZE] = (int64_t)g->avail;
		rc = k->ops->net(k, ctx->artifact_id, &r, e);
	}

	for (i = 0; i < nenv && rc >= 0; i++) {
		const char *eq = strchr(envp[i], '=');
		char *name = xstrndup(envp[i], eq ? (size_t)(eq - envp[i]) :
						    strlen(envp[i]));
		net_rec_init(&r, NR_ENVIRON);
		r.i[EN_PID] = pid;
		r.i[EN_SEQ] = (int64_t)i;
		r.s[ENS_NAME] = name;
		r.s[ENS_VALUE] = eq ? eq + 1 : NULL;
		rc = k->ops->net(k, ctx->artifact_id, &r, e);
		free(name);
	}
out:
	free(argv);
	free(envp);
	sbuf_release(&args);
	return rc;
}

static int
imp_core_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct core_in in = { .ctx = ctx };
	struct elfcore_src src = { core_pread, &in, ctx->src->size, core_anom,
		&in };
	struct core_stack stk = { 0 };
	struct elfcore c;
	uint64_t execfn;
	size_t i;
	int rc;

	/* A filtered source's size is the compressed one: let the parser
	 * see no end (reads past the real end just come back short). */
	in.seek = ingest_src_seekable(ctx);
	if (!in.seek)
		src.size = UINT64_MAX;
	if ((rc = elfcore_parse(&src, &c, e)) < 0) {
		dd_err_prefix(e, "'%s'", ctx->src->name);
		free(in.head);
		return rc;
	}
	if (in.limit) {
		rc = dd_err_set(e, DD_ELIMIT, "'%s': too many anomalies",
		    ctx->src->name);
		goto out;
	}
	if (elfcore_auxv_get(&c, ELFCORE_AT_EXECFN, &execfn))
		for (i = 0; i < c.nsegs; i++) {
			const struct elfcore_seg *g = &c.segs[i];
			if (execfn >= g->vaddr && execfn - g->vaddr < g->avail) {
				rc = core_load_stack(&in, &c, g, &stk, e);
				break;
			}
		}
	if (rc >= 0)
		rc = core_emit(ctx, &in, &c, &stk, e);
out:
	free(stk.p);
	free(in.head);
	elfcore_release(&c);
	return rc;
}

/* An ELF file whose e_type (in its own byte order) is ET_CORE. */
static int
imp_core_sniff(const uint8_t *head, size_t n, const char *basename)
{
	unsigned type;

	(void)basename;
	if (n < 20 || memcmp(head, "\177ELF", 4) != 0 ||
	    (head[4] != 1 && head[4] != 2) || (head[5] != 1 && head[5] != 2) ||
	    head[6] != 1)
		return 0;
	type = head[5] == 1 ? (unsigned)head[16] | (unsigned)head[17] << 8 :
			      (unsigned)head[16] << 8 | head[17];
	return type == 4 ? 64 : 0;
}

const struct importer imp_core = {
	.abi = INGEST_ABI,
	.name = "core",
	.version = "1",
	.summary = "ELF core files (kernel cores, gdb gcore; 32/64-bit, both "
		   "byte orders): process, threads, mappings, argv, environ",
	.kind = EV_PROC,
	.flags = 0,
	.sniff = imp_core_sniff,
	.import = imp_core_import,
	.options = NULL,
	.zlevel = 0,
};
