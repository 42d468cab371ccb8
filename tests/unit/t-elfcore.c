/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-elfcore.c: the ELF core parser (ingest/elfcore.h).
 *
 * The real cores of $FIXTURES/core/elfutils (default ../shared/fixtures)
 * are checked against eu-readelf -n -l (elfutils), run without a shell:
 * every PT_LOAD, every thread's pid, signal and pc/sp, PRPSINFO, SIGINFO,
 * a few auxv entries and every NT_FILE entry. A gcore of a program made
 * here checks an RWX mapping (when gdb and ptrace are available).
 * Synthetic cores cover the hostile cases.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/xmalloc.h"
#include "ingest/elfcore.h"

/* ---- inputs ---- */

struct tc_mem {
	const uint8_t *p;
	size_t n;
	int reads;
	uint64_t bytes;
};

static int
tc_mem_pread(void *user, uint64_t off, void *buf, size_t n, size_t *got,
    struct dd_err *e DD_UNUSED)
{
	struct tc_mem *m = user;

	m->reads++;
	*got = 0;
	if (off >= m->n)
		return 0;
	*got = MIN(n, m->n - (size_t)off);
	memcpy(buf, m->p + off, *got);
	m->bytes += *got;
	return 0;
}

static int
tc_fd_pread(void *user, uint64_t off, void *buf, size_t n, size_t *got,
    struct dd_err *e)
{
	int fd = *(int *)user;
	ssize_t r;

	*got = 0;
	r = pread(fd, buf, n, (off_t)off);
	if (r < 0)
		return dd_err_set(e, DD_EIO, "pread: %s", strerror(errno));
	*got = (size_t)r;
	return 0;
}

struct tc_anoms {
	int n;
	char last[256];
	char all[4096];
};

static void
tc_anom(void *user, uint64_t off, const char *msg)
{
	struct tc_anoms *a = user;
	size_t l = strlen(a->all);

	a->n++;
	snprintf(a->last, sizeof(a->last), "%s", msg);
	if (l < sizeof(a->all) - 1)
		snprintf(a->all + l, sizeof(a->all) - l, "%#" PRIx64 ": %s\n",
		    off, msg);
}

static int
tc_parse_mem(const void *p, size_t n, struct elfcore *c, struct tc_anoms *a,
    struct dd_err *e)
{
	struct tc_mem m = { p, n, 0, 0 };
	struct elfcore_src src = { tc_mem_pread, &m, n, tc_anom, a };

	memset(a, 0, sizeof(*a));
	return elfcore_parse(&src, c, e);
}

static const char *
tc_fixdir(void)
{
	const char *d = getenv("FIXTURES");

	return d != NULL ? d : "../shared/fixtures";
}

/* Parse a fixture core; false (skip printed) when it is absent. */
static bool
tc_parse_file(struct test_ctx *t, const char *path, struct elfcore *c,
    struct tc_anoms *a)
{
	struct dd_err e = DD_ERR_INIT;
	struct stat st;
	int fd, rc;

	if ((fd = open(path, O_RDONLY)) < 0) {
		printf("# skip: %s: %s\n", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0) {
		close(fd);
		return FAIL("fstat %s", path);
	}
	{
		struct elfcore_src src = { tc_fd_pread, &fd,
			(uint64_t)st.st_size, tc_anom, a };

		memset(a, 0, sizeof(*a));
		rc = elfcore_parse(&src, c, &e);
	}
	close(fd);
	if (!CHECK_EQ_INT(rc, 0)) {
		printf("#   %s: %s\n", path, e.msg);
		return false;
	}
	return true;
}

/* Run argv (fixed paths, no shell) and return its stdout (capped), or
 * NULL if it cannot run. */
static char *
tc_run(char *const argv[], int *status)
{
	size_t len = 0, cap = 1 << 16;
	char *out;
	int fds[2];
	pid_t pid;
	ssize_t r;

	if (pipe(fds) != 0)
		return NULL;
	if ((pid = fork()) < 0) {
		close(fds[0]);
		close(fds[1]);
		return NULL;
	}
	if (pid == 0) {
		int dn = open("/dev/null", O_RDWR);

		dup2(fds[1], 1);
		if (dn >= 0) {
			dup2(dn, 0);
			dup2(dn, 2);
		}
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	out = xmalloc(cap);
	while ((r = read(fds[0], out + len, cap - len - 1)) > 0) {
		len += (size_t)r;
		if (len + 1 == cap) {
			if (cap >= (16u << 20))
				break;
			cap *= 2;
			out = xrealloc(out, cap);
		}
	}
	out[len] = '\0';
	close(fds[0]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(*status) || WEXITSTATUS(*status) == 127) {
		free(out);
		return NULL;
	}
	return out;
}

/* ---- the oracle: eu-readelf -n -l ---- */

struct tc_oracle {
	size_t nload, nthreads, nfiles, psinfo, nsig, nauxv;
	size_t nreg;
	int checked;
};

static const struct {
	const char *name;
	uint64_t type;
} tc_auxv_names[] = { { "PHDR", ELFCORE_AT_PHDR },
	{ "PAGESZ", ELFCORE_AT_PAGESZ }, { "BASE", ELFCORE_AT_BASE },
	{ "ENTRY", ELFCORE_AT_ENTRY }, { "UID", ELFCORE_AT_UID },
	{ "EXECFN", ELFCORE_AT_EXECFN } };

/* The value after "key" in s (as strtoull base 0 reads it). */
static bool
tc_field(const char *s, const char *key, uint64_t *v)
{
	const char *p = strstr(s, key);

	if (p == NULL)
		return false;
	*v = strtoull(p + strlen(key), NULL, 0);
	return true;
}

static bool
tc_sfield(const char *s, const char *key, int64_t *v)
{
	const char *p = strstr(s, key);

	if (p == NULL)
		return false;
	*v = strtoll(p + strlen(key), NULL, 10);
	return true;
}

/* Compare c with eu-readelf's view of path, line by line. */
static void
tc_oracle_check(struct test_ctx *t, const char *path, const struct elfcore *c,
    struct tc_oracle *o)
{
	char *argv[] = { "eu-readelf", "-n", "-l", (char *)path, NULL };
	char note[32] = "", *out, *line, *nl;
	size_t ithr = 0, ifile = 0;
	bool in_file = false;
	int status;
	uint64_t v;
	int64_t sv;

	memset(o, 0, sizeof(*o));
	if ((out = tc_run(argv, &status)) == NULL) {
		printf("# skip: eu-readelf not runnable (apt-get install "
		    "elfutils)\n");
		return;
	}
	o->checked = 1;
	for (line = out; *line != '\0'; line = nl) {
		char owner[16], type[32];
		unsigned dsz;

		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		else
			nl = line + strlen(line);
		if (strncmp(line, "  LOAD ", 7) == 0) {
			uint64_t off, va, pa, fs, ms;
			int n = 0;
			const struct elfcore_seg *s;

			if (!CHECK(sscanf(line, "  LOAD %" SCNx64 " %" SCNx64
			    " %" SCNx64 " %" SCNx64 " %" SCNx64 "%n", &off, &va,
			    &pa, &fs, &ms, &n) == 5 && n > 0))
				continue;
			if (!CHECK(o->nload < c->nsegs))
				continue;
			s = &c->segs[o->nload++];
			CHECK_EQ_INT(s->offset, off);
			CHECK_EQ_INT(s->vaddr, va);
			CHECK_EQ_INT(s->filesz, fs);
			CHECK_EQ_INT(s->memsz, ms);
			CHECK_EQ_INT(line[n + 1] == 'R', s->perms[0] == 'r');
			CHECK_EQ_INT(line[n + 2] == 'W', s->perms[1] == 'w');
			CHECK_EQ_INT(line[n + 3] == 'E', s->perms[2] == 'x');
			continue;
		}
		if (line[0] == ' ' && line[1] == ' ' && line[2] != ' ' &&
		    sscanf(line, "  %15s %u %31s", owner, &dsz, type) == 3) {
			snprintf(note, sizeof(note), "%s", type);
			in_file = false;
			continue;
		}
		if (strcmp(note, "PRSTATUS") == 0) {
			const struct elfcore_thread *th;

			if (strncmp(line, "    info.si_signo:", 18) == 0) {
				if (!CHECK(ithr < c->nthreads))
					continue;
				th = &c->threads[ithr++];
				o->nthreads++;
				if (tc_sfield(line, "si_signo: ", &sv))
					CHECK_EQ_INT(th->si_signo, sv);
				if (tc_sfield(line, "cursig: ", &sv))
					CHECK_EQ_INT(th->cursig, sv);
				continue;
			}
			if (ithr == 0)
				continue;
			th = &c->threads[ithr - 1];
			if (strncmp(line, "    pid: ", 9) == 0) {
				if (tc_sfield(line, "pid: ", &sv))
					CHECK_EQ_INT(th->pid, sv);
				if (tc_sfield(line, "ppid: ", &sv))
					CHECK_EQ_INT(th->ppid, sv);
				if (tc_sfield(line, "pgrp: ", &sv))
					CHECK_EQ_INT(th->pgrp, sv);
				if (tc_sfield(line, "sid: ", &sv))
					CHECK_EQ_INT(th->sid, sv);
				continue;
			}
			if (tc_field(line, " rip: ", &v) ||
			    tc_field(line, " eip: ", &v) ||
			    tc_field(line, " pc: ", &v)) {
				CHECK(th->have_regs);
				CHECK_EQ_INT(th->pc, v);
				o->nreg++;
			}
			if (tc_field(line, " rsp: ", &v) ||
			    tc_field(line, " esp: ", &v) ||
			    tc_field(line, " sp: ", &v)) {
				CHECK(th->have_regs);
				CHECK_EQ_INT(th->sp, v);
				o->nreg++;
			}
		} else if (strcmp(note, "PRPSINFO") == 0) {
			const struct elfcore_psinfo *p = &c->psinfo;
			char *ps;

			CHECK(p->present);
			if (strncmp(line, "    uid: ", 9) == 0) {
				o->psinfo++;
				if (tc_sfield(line, "uid: ", &sv))
					CHECK_EQ_INT(p->uid, sv);
				if (tc_sfield(line, "gid: ", &sv))
					CHECK_EQ_INT(p->gid, sv);
				if (tc_sfield(line, " pid: ", &sv))
					CHECK_EQ_INT(p->pid, sv);
				if (tc_sfield(line, "ppid: ", &sv))
					CHECK_EQ_INT(p->ppid, sv);
				if (tc_sfield(line, "pgrp: ", &sv))
					CHECK_EQ_INT(p->pgrp, sv);
				if (tc_sfield(line, "sid: ", &sv))
					CHECK_EQ_INT(p->sid, sv);
			} else if (strncmp(line, "    fname: ", 11) == 0 &&
			    (ps = strstr(line, ", psargs: ")) != NULL) {
				*ps = '\0';
				CHECK_EQ_STR(p->fname, line + 11);
				CHECK_EQ_STR(p->psargs, ps + 10);
			}
		} else if (strcmp(note, "SIGINFO") == 0) {
			const struct elfcore_siginfo *s = &c->siginfo;

			CHECK(s->present);
			if (strncmp(line, "    si_signo:", 13) == 0) {
				o->nsig++;
				if (tc_sfield(line, "si_signo: ", &sv))
					CHECK_EQ_INT(s->signo, sv);
				if (tc_sfield(line, "si_errno: ", &sv))
					CHECK_EQ_INT(s->errno_, sv);
				if (tc_sfield(line, "si_code: ", &sv))
					CHECK_EQ_INT(s->code, sv);
			} else if (tc_field(line, "fault address: ", &v)) {
				CHECK(s->have_addr);
				CHECK_EQ_INT(s->addr, v);
			}
		} else if (strcmp(note, "AUXV") == 0) {
			size_t i;
			uint64_t mine;

			for (i = 0; i < ARRAY_SIZE(tc_auxv_names); i++) {
				size_t l = strlen(tc_auxv_names[i].name);

				if (strncmp(line + 4, tc_auxv_names[i].name,
				    l) != 0 || line[4 + l] != ':')
					continue;
				v = strtoull(line + 5 + l, NULL, 0);
				CHECK(elfcore_auxv_get(c,
				    tc_auxv_names[i].type, &mine));
				CHECK_EQ_INT(mine, v);
				o->nauxv++;
			}
		} else if (strcmp(note, "FILE") == 0) {
			uint64_t st, en, fo, len;
			const struct elfcore_file *f;
			int n = 0;

			if (strstr(line, " files:") != NULL) {
				in_file = true;
				continue;
			}
			if (!in_file || sscanf(line, " %" SCNx64 "-%" SCNx64
			    " %" SCNx64 " %" SCNu64 " %n", &st, &en, &fo, &len,
			    &n) != 4 || n == 0)
				continue;
			if (!CHECK(ifile < c->nfiles))
				continue;
			f = &c->files[ifile++];
			o->nfiles++;
			CHECK_EQ_INT(f->start, st);
			CHECK_EQ_INT(f->end, en);
			CHECK_EQ_INT(f->offset, fo);
			CHECK_EQ_STR(f->path, line + n);
		}
	}
	CHECK_EQ_INT(o->nload, c->nsegs);
	CHECK_EQ_INT(o->nthreads, c->nthreads);
	CHECK_EQ_INT(o->nfiles, c->nfiles);
	CHECK_EQ_INT(o->psinfo, c->psinfo.present ? 1 : 0);
	CHECK_EQ_INT(o->nsig, c->siginfo.present ? 1 : 0);
	free(out);
}

struct tc_fixture {
	const char *name;
	int bits;
	uint16_t machine;
	size_t nthreads;   /* expected, 0 to take the oracle's word */
};

static const struct tc_fixture tc_fixtures[] = {
	{ "backtrace.x86_64.core", 64, ELFCORE_EM_X86_64, 0 },
	{ "test-core.core", 64, ELFCORE_EM_X86_64, 0 },
	{ "linkmap-cut.core", 64, ELFCORE_EM_X86_64, 0 },
	{ "testfile-backtrace-demangle.core", 64, ELFCORE_EM_X86_64, 0 },
	{ "testcore-rtlib", 32, ELFCORE_EM_386, 0 },
	{ "testfile_aarch64_core", 64, ELFCORE_EM_AARCH64, 0 },
	{ "testfile-riscv64-core", 64, ELFCORE_EM_RISCV, 0 },
};

TEST(elfcore_fixtures_vs_eu_readelf)
{
	char path[4096];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tc_fixtures); i++) {
		const struct tc_fixture *fx = &tc_fixtures[i];
		struct elfcore c;
		struct tc_anoms a;
		struct tc_oracle o;
		size_t k;

		snprintf(path, sizeof(path), "%s/core/elfutils/%s",
		    tc_fixdir(), fx->name);
		if (!tc_parse_file(t, path, &c, &a))
			continue;
		CHECK_EQ_INT(c.bits, fx->bits);
		CHECK_EQ_INT(c.machine, fx->machine);
		CHECK(!c.big_endian);
		CHECK(c.nsegs > 0);
		CHECK(c.nthreads > 0);
		for (k = 0; k < c.nthreads; k++)
			CHECK(c.threads[k].have_regs);
		tc_oracle_check(t, path, &c, &o);
		printf("# %s: %zu PT_LOAD, %zu threads, %zu NT_FILE, "
		    "psinfo %zu, siginfo %zu, auxv %zu, regs %zu agree with "
		    "eu-readelf; %d anomalies%s%s", fx->name, o.nload,
		    o.nthreads, o.nfiles, o.psinfo, o.nsig, o.nauxv, o.nreg,
		    a.n, a.n ? ":\n#   " : "\n", a.n ? a.all : "");
		if (o.checked)
			CHECK(o.nreg >= 2);
		elfcore_release(&c);
	}
}

/* Kernel cores give NT_FILE offsets in pages: reported in bytes, and the
 * PT_LOADs get the covering path. */
TEST(elfcore_file_offsets_and_paths)
{
	char path[4096];
	struct elfcore c;
	struct tc_anoms a;
	size_t i;
	bool seen = false;

	snprintf(path, sizeof(path), "%s/core/elfutils/test-core.core",
	    tc_fixdir());
	if (!tc_parse_file(t, path, &c, &a))
		return;
	CHECK_EQ_INT(c.page_size, 4096);
	CHECK_EQ_INT(c.nfiles, 14);
	CHECK_EQ_INT(a.n, 0);
	for (i = 0; i < c.nsegs; i++) {
		const struct elfcore_seg *s = &c.segs[i];

		if (s->vaddr != 0x37efdad000ull)
			continue;
		seen = true;
		CHECK_EQ_STR(s->path, "/usr/lib64/libc-2.16.so");
		CHECK_EQ_INT(s->file_off, 0x1ad000);
		CHECK_EQ_STR(s->perms, "---");
		CHECK_EQ_INT(s->filesz, 0);
	}
	CHECK(seen);
	CHECK_EQ_STR(c.segs[0].path,
	    "/home/jkratoch/redhat/elfutils-libregr/test-core-main");
	CHECK_EQ_STR(c.segs[0].perms, "r-x");
	/* The stack has no file. */
	CHECK(c.segs[c.nsegs - 3].path == NULL);
	CHECK_EQ_INT(c.threads[0].pid, 4246);
	CHECK_EQ_INT(c.threads[0].pc, 0x7f67f2aaf619ull);
	CHECK(c.siginfo.have_addr);
	CHECK_EQ_INT(c.siginfo.addr, 0);
	elfcore_release(&c);
}

/* i386: 32-bit words, 16-bit uid/gid in a 124-byte PRPSINFO. */
TEST(elfcore_i386_layout)
{
	char path[4096];
	struct elfcore c;
	struct tc_anoms a;
	uint64_t v;

	snprintf(path, sizeof(path), "%s/core/elfutils/testcore-rtlib",
	    tc_fixdir());
	if (!tc_parse_file(t, path, &c, &a))
		return;
	CHECK_EQ_INT(c.bits, 32);
	CHECK_EQ_STR(elfcore_machine_name(c.machine), "i386");
	CHECK_EQ_INT(c.nthreads, 1);
	CHECK_EQ_INT(c.threads[0].pid, 1802);
	CHECK_EQ_INT(c.threads[0].cursig, 11);
	CHECK_EQ_INT(c.threads[0].pc, 0xf77b74e3u);
	CHECK_EQ_INT(c.threads[0].sp, 0xfff13fa0u);
	CHECK_EQ_INT(c.psinfo.uid, 1000);
	CHECK_EQ_INT(c.psinfo.gid, 1000);
	CHECK_EQ_INT(c.psinfo.pid, 1802);
	CHECK_EQ_STR(c.psinfo.fname, "rt_crash");
	CHECK_EQ_STR(c.psinfo.psargs, "./rt_crash ");
	CHECK(elfcore_auxv_get(&c, ELFCORE_AT_EXECFN, &v));
	CHECK_EQ_INT(v, 0xfff15fedu);
	CHECK(!c.siginfo.present);
	CHECK_EQ_INT(c.nfiles, 0);
	elfcore_release(&c);
}

/* The parser reads headers and notes only, never the memory images. */
TEST(elfcore_reads_little)
{
	char path[4096];
	uint8_t *buf;
	struct stat st;
	struct elfcore c;
	struct tc_anoms a;
	struct dd_err e = DD_ERR_INIT;
	struct tc_mem m;
	int fd;

	snprintf(path, sizeof(path), "%s/core/elfutils/backtrace.x86_64.core",
	    tc_fixdir());
	if ((fd = open(path, O_RDONLY)) < 0) {
		printf("# skip: %s: %s\n", path, strerror(errno));
		return;
	}
	CHECK(fstat(fd, &st) == 0);
	buf = xmalloc((size_t)st.st_size);
	CHECK(read(fd, buf, (size_t)st.st_size) == st.st_size);
	close(fd);
	{
		struct elfcore_src src = { tc_mem_pread, &m,
			(uint64_t)st.st_size, tc_anom, &a };

		memset(&m, 0, sizeof(m));
		memset(&a, 0, sizeof(a));
		m.p = buf;
		m.n = (size_t)st.st_size;
		CHECK_EQ_INT(elfcore_parse(&src, &c, &e), 0);
	}
	CHECK(m.bytes < 8192);
	CHECK(m.reads <= 4);
	CHECK_EQ_INT(c.nthreads, 2);
	elfcore_release(&c);
	free(buf);
}

/* ---- synthetic cores ---- */

struct tc_b {
	uint8_t p[8192];
	size_t n;
};

static void
tc_put(struct tc_b *b, size_t at, uint64_t v, size_t w)
{
	size_t i;

	for (i = 0; i < w; i++)
		b->p[at + i] = (uint8_t)(v >> (8 * i));
}

/* An ELF64 LE x86_64 core header with phnum headers at 64. */
static void
tc_ehdr(struct tc_b *b, uint16_t phnum)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->p, "\177ELF\2\1\1", 7);
	tc_put(b, 16, 4, 2);
	tc_put(b, 18, ELFCORE_EM_X86_64, 2);
	tc_put(b, 20, 1, 4);
	tc_put(b, 32, 64, 8);
	tc_put(b, 52, 64, 2);
	tc_put(b, 54, 56, 2);
	tc_put(b, 56, phnum, 2);
	b->n = 64 + (size_t)phnum * 56;
}

static void
tc_phdr(struct tc_b *b, int i, uint32_t type, uint32_t flags, uint64_t off,
    uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
	size_t at = 64 + (size_t)i * 56;

	tc_put(b, at, type, 4);
	tc_put(b, at + 4, flags, 4);
	tc_put(b, at + 8, off, 8);
	tc_put(b, at + 16, vaddr, 8);
	tc_put(b, at + 32, filesz, 8);
	tc_put(b, at + 40, memsz, 8);
}

/* Append a "CORE" note; returns the desc offset. */
static size_t
tc_note(struct tc_b *b, uint32_t type, const void *desc, uint32_t descsz)
{
	size_t at = b->n, d;

	tc_put(b, at, 5, 4);
	tc_put(b, at + 4, descsz, 4);
	tc_put(b, at + 8, type, 4);
	memcpy(b->p + at + 12, "CORE\0\0\0", 8);
	d = at + 20;
	memcpy(b->p + d, desc, descsz);
	b->n = d + ((descsz + 3u) & ~3u);
	return d;
}

TEST(elfcore_not_a_core)
{
	struct dd_err e = DD_ERR_INIT;
	struct elfcore c;
	struct tc_anoms a;
	struct tc_b b;

	CHECK_EQ_INT(tc_parse_mem("", 0, &c, &a, &e), DD_EFORMAT);
	dd_err_clear(&e);
	CHECK_EQ_INT(tc_parse_mem("\177EL", 3, &c, &a, &e), DD_EFORMAT);
	dd_err_clear(&e);
	CHECK_EQ_INT(tc_parse_mem("#!/bin/sh\nexit 0\n.............", 30, &c,
	    &a, &e), DD_EFORMAT);
	dd_err_clear(&e);
	tc_ehdr(&b, 0);
	/* Truncated header. */
	CHECK_EQ_INT(tc_parse_mem(b.p, 40, &c, &a, &e), DD_ETRUNC);
	dd_err_clear(&e);
	CHECK_EQ_INT(tc_parse_mem(b.p, 64, &c, &a, &e), 0);
	CHECK_EQ_INT(c.nsegs, 0);
	elfcore_release(&c);
	/* An executable is not a core. */
	tc_put(&b, 16, 2, 2);
	CHECK_EQ_INT(tc_parse_mem(b.p, 64, &c, &a, &e), DD_EFORMAT);
	CHECK(strstr(e.msg, "e_type 2") != NULL);
	dd_err_clear(&e);
	tc_put(&b, 16, 4, 2);
	b.p[4] = 3;
	CHECK_EQ_INT(tc_parse_mem(b.p, 64, &c, &a, &e), DD_EFORMAT);
	dd_err_clear(&e);
	b.p[4] = 2;
	tc_put(&b, 56, 1, 2);
	tc_put(&b, 54, 7, 2);
	CHECK_EQ_INT(tc_parse_mem(b.p, 64, &c, &a, &e), DD_EFORMAT);
}

TEST(elfcore_hostile_sizes)
{
	struct dd_err e = DD_ERR_INIT;
	struct elfcore c;
	struct tc_anoms a;
	struct tc_b b;
	uint8_t ps[336] = { 0 };
	size_t d;

	/* namesz 0xffffffff */
	tc_ehdr(&b, 1);
	tc_put(&b, b.n, 0xffffffffu, 4);
	tc_put(&b, b.n + 4, 4, 4);
	tc_put(&b, b.n + 8, 1, 4);
	tc_phdr(&b, 0, 4, 0, b.n, 0, 32, 0);
	b.n += 32;
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK(strstr(a.all, "namesz 4294967295") != NULL);
	CHECK_EQ_INT(c.nthreads, 0);
	elfcore_release(&c);
	/* descsz 0xffffffff after a good PRSTATUS */
	tc_ehdr(&b, 1);
	ps[0] = 11;
	ps[32] = 42;
	d = b.n;
	tc_note(&b, ELFCORE_NT_PRSTATUS, ps, sizeof(ps));
	tc_put(&b, b.n, 5, 4);
	tc_put(&b, b.n + 4, 0xffffffffu, 4);
	tc_put(&b, b.n + 8, 1, 4);
	memcpy(b.p + b.n + 12, "CORE", 5);
	b.n += 20;
	tc_phdr(&b, 0, 4, 0, d, 0, b.n - d, 0);
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK_EQ_INT(c.nthreads, 1);
	CHECK_EQ_INT(c.threads[0].pid, 42);
	CHECK_EQ_INT(c.threads[0].si_signo, 11);
	CHECK(c.threads[0].have_regs);
	CHECK(strstr(a.all, "descsz 4294967295") != NULL);
	elfcore_release(&c);
	/* A note segment and a PT_LOAD far past the end of the file, a
	 * note segment claiming more than the file has. */
	tc_ehdr(&b, 4);
	tc_phdr(&b, 0, 4, 0, 1ull << 60, 0, 4096, 0);
	tc_phdr(&b, 1, 1, 7, 1ull << 60, 0x1000, 4096, 4096);
	tc_phdr(&b, 2, 1, 6, UINT64_MAX, 0x2000, UINT64_MAX, UINT64_MAX);
	tc_phdr(&b, 3, 4, 0, 64, 0, UINT64_MAX, 0);
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK_EQ_INT(c.nsegs, 2);
	CHECK_EQ_INT(c.nload_beyond_eof, 2);
	CHECK_EQ_INT(c.segs[0].avail, 0);
	CHECK_EQ_STR(c.segs[0].perms, "rwx");
	CHECK_EQ_STR(c.segs[1].perms, "rw-");
	CHECK(strstr(a.all, "note segment beyond the end") != NULL);
	CHECK(strstr(a.all, "extends past the end") != NULL);
	CHECK(strstr(a.all, "note segment cut") != NULL);
	elfcore_release(&c);
}

TEST(elfcore_hostile_phnum)
{
	struct dd_err e = DD_ERR_INIT;
	struct elfcore c;
	struct tc_anoms a;
	struct tc_b b;

	/* 65534 headers claimed, 2 present. */
	tc_ehdr(&b, 2);
	tc_put(&b, 56, 0xfffe, 2);
	tc_phdr(&b, 0, 1, 4, 0, 0x1000, 0, 4096);
	tc_phdr(&b, 1, 1, 4, 0, 0x2000, 0, 4096);
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK_EQ_INT(c.nsegs, 2);
	CHECK(strstr(a.all, "program headers cut") != NULL);
	elfcore_release(&c);
	/* PN_XNUM with sh_info 0xffffffff in section header 0. */
	tc_ehdr(&b, 2);
	tc_put(&b, 56, 0xffff, 2);
	tc_put(&b, 40, b.n, 8);   /* e_shoff */
	tc_put(&b, 58, 64, 2);	  /* e_shentsize */
	tc_put(&b, b.n + 44, 0xffffffffu, 4);
	b.n += 64;
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK(strstr(a.all, "4294967295 program headers cut at 65536") !=
	    NULL);
	elfcore_release(&c);
	/* PN_XNUM without section headers. */
	tc_ehdr(&b, 0);
	tc_put(&b, 56, 0xffff, 2);
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK(strstr(a.all, "PN_XNUM") != NULL);
	elfcore_release(&c);
}

TEST(elfcore_hostile_nt_file)
{
	struct dd_err e = DD_ERR_INIT;
	struct elfcore c;
	struct tc_anoms a;
	struct tc_b b;
	uint8_t f[256] = { 0 };
	size_t d;

	/* count 1000000 with room for 2; the second path lacks its NUL. */
	tc_ehdr(&b, 2);
	memset(f, 0, sizeof(f));
	{
		uint64_t w[8] = { 1000000, 4096, 0x400000, 0x401000, 2,
			0x600000, 0x602000, 0 };
		size_t i;

		for (i = 0; i < 8; i++)
			memcpy(f + 8 * i, &w[i], 8);
	}
	memcpy(f + 64, "/bin/a\0/bin/bb", 14);
	d = b.n;
	tc_note(&b, ELFCORE_NT_FILE, f, 78);
	tc_phdr(&b, 0, 4, 0, d, 0, b.n - d, 0);
	tc_phdr(&b, 1, 1, 5, 0, 0x600000, 0, 4096);
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK(strstr(a.all, "count 1000000 larger than the note") != NULL);
	CHECK(strstr(a.all, "path 1 is not NUL-terminated") != NULL);
	if (CHECK_EQ_INT(c.nfiles, 2)) {
		CHECK_EQ_STR(c.files[0].path, "/bin/a");
		CHECK_EQ_INT(c.files[0].offset, 2 * 4096);
		CHECK_EQ_STR(c.files[1].path, "/bin/bb");
	}
	CHECK_EQ_STR(c.segs[0].path, "/bin/bb");
	CHECK_EQ_INT(c.segs[0].file_off, 0);
	elfcore_release(&c);
	/* Fewer paths than mappings, huge file_ofs. */
	tc_ehdr(&b, 1);
	{
		uint64_t w[8] = { 2, 4096, 0x400000, 0x401000, UINT64_MAX / 2,
			0x600000, 0x602000, 0 };
		size_t i;

		for (i = 0; i < 8; i++)
			memcpy(f + 8 * i, &w[i], 8);
	}
	memcpy(f + 64, "/x\0", 3);
	d = b.n;
	tc_note(&b, ELFCORE_NT_FILE, f, 67);
	tc_phdr(&b, 0, 4, 0, d, 0, b.n - d, 0);
	CHECK_EQ_INT(tc_parse_mem(b.p, b.n, &c, &a, &e), 0);
	CHECK(strstr(a.all, "overflows") != NULL);
	CHECK(strstr(a.all, "has 1 paths for 2 mappings") != NULL);
	if (CHECK_EQ_INT(c.nfiles, 2)) {
		CHECK_EQ_INT(c.files[0].offset, UINT64_MAX);
		CHECK_EQ_STR(c.files[1].path, "");
	}
	elfcore_release(&c);
}

/* Every prefix of a real core parses without error past the header (the
 * asan build catches reads out of bounds). */
TEST(elfcore_truncated_fixture)
{
	char path[4096];
	struct dd_err e = DD_ERR_INIT;
	struct elfcore c;
	struct tc_anoms a;
	uint8_t *buf;
	size_t n, cut;
	int fd, rc;
	ssize_t r;

	snprintf(path, sizeof(path), "%s/core/elfutils/test-core.core",
	    tc_fixdir());
	if ((fd = open(path, O_RDONLY)) < 0) {
		printf("# skip: %s: %s\n", path, strerror(errno));
		return;
	}
	n = 0x2000;
	buf = xmalloc(n);
	r = read(fd, buf, n);
	close(fd);
	CHECK(r == (ssize_t)n);
	for (cut = 0; cut <= n; cut++) {
		rc = tc_parse_mem(buf, cut, &c, &a, &e);
		if (cut < 64) {
			CHECK(rc == DD_EFORMAT || rc == DD_ETRUNC);
			dd_err_clear(&e);
			continue;
		}
		if (!CHECK_EQ_INT(rc, 0))
			break;
		CHECK(a.n > 0);
		if (cut == 0x510 + 100) {
			CHECK_EQ_INT(c.nthreads, 0);
			CHECK(strstr(a.all, "overflows its segment") != NULL);
			CHECK_EQ_INT(c.nload_beyond_eof, 15); /* 6 have filesz 0 */
		}
		if (cut == n) {
			CHECK_EQ_INT(c.nthreads, 1);
			CHECK_EQ_INT(c.nfiles, 14);
		}
		elfcore_release(&c);
	}
	free(buf);
}

/* ---- gcore of a program made here ---- */

static const char tc_prog[] =
    "#include <stdio.h>\n#include <string.h>\n#include <unistd.h>\n"
    "#include <sys/mman.h>\n"
    "int main(void) {\n"
    "  char *p = mmap(0, 65536, PROT_READ|PROT_WRITE|PROT_EXEC,\n"
    "      MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);\n"
    "  if (p == MAP_FAILED) return 1;\n"
    "  strcpy(p + 100, \"DRYDOCK-MARKER-7f3a\");\n"
    "  printf(\"%p\\n\", (void *)p); fflush(stdout);\n"
    "  for (;;) pause();\n}\n";

TEST(elfcore_gcore)
{
	char *src = test_path(t, "m.c"), *exe = test_path(t, "m");
	char *pfx = test_path(t, "core"), core[4200], pidbuf[32], line[64];
	char *cc[] = { "cc", "-o", exe, src, NULL };
	char *gv[] = { "gdb", "--version", NULL };
	char *out;
	int status, fds[2];
	FILE *fp;
	pid_t pid;
	uint64_t addr = 0;
	struct elfcore c;
	struct tc_anoms a;
	size_t i;
	bool found = false;

	if ((out = tc_run(gv, &status)) == NULL) {
		printf("# skip: gdb not installed\n");
		return;
	}
	free(out);
	if ((fp = fopen(src, "w")) == NULL)
		return (void)FAIL("fopen %s", src);
	fputs(tc_prog, fp);
	fclose(fp);
	if ((out = tc_run(cc, &status)) == NULL || status != 0) {
		free(out);
		printf("# skip: no C compiler\n");
		return;
	}
	free(out);
	if (!CHECK(pipe(fds) == 0))
		return;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl(exe, exe, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	fp = fdopen(fds[0], "r");
	if (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
		addr = strtoull(line, NULL, 16);
	if (fp != NULL)
		fclose(fp);
	if (!CHECK(addr != 0)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return;
	}
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);
	{
		char *gc[] = { "gcore", "-o", pfx, pidbuf, NULL };

		out = tc_run(gc, &status);
		free(out);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	snprintf(core, sizeof(core), "%s.%s", pfx, pidbuf);
	if (access(core, R_OK) != 0) {
		printf("# skip: gcore made no core (ptrace not allowed?)\n");
		return;
	}
	if (!tc_parse_file(t, core, &c, &a))
		return;
	CHECK_EQ_INT(c.psinfo.pid, pid);
	CHECK(c.nthreads >= 1 && c.threads[0].pid == pid);
	CHECK_EQ_INT(c.page_size, 1);
	for (i = 0; i < c.nsegs; i++) {
		const struct elfcore_seg *s = &c.segs[i];
		char buf[32] = { 0 };
		int fd;

		if (addr < s->vaddr || addr - s->vaddr >= s->memsz)
			continue;
		found = true;
		CHECK_EQ_STR(s->perms, "rwx");
		CHECK(s->avail >= 120);
		fd = open(core, O_RDONLY);
		CHECK(pread(fd, buf, 19, (off_t)(s->offset + (addr - s->vaddr) +
		    100)) == 19);
		close(fd);
		CHECK_EQ_STR(buf, "DRYDOCK-MARKER-7f3a");
	}
	CHECK(found);
	/* gcore's NT_FILE is in bytes: the executable's mappings. */
	found = false;
	for (i = 0; i < c.nfiles; i++)
		if (strcmp(c.files[i].path, exe) == 0)
			found = true;
	CHECK(found);
	{
		struct tc_oracle o;

		tc_oracle_check(t, core, &c, &o);
		printf("# gcore: %zu PT_LOAD, %zu threads, %zu NT_FILE agree "
		    "with eu-readelf; %d anomalies\n", o.nload, o.nthreads,
		    o.nfiles, a.n);
	}
	elfcore_release(&c);
}
