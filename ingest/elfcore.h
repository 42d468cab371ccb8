/* SPDX-License-Identifier: Apache-2.0 */
/*
 * elfcore.h: a pure, bounded parser of ELF core files (Linux kernel cores
 * and gdb's gcore output), the building block of a `core` importer.
 *
 * Cores are big (gigabytes of memory images), so the parser never sees the
 * whole file: it reads through a read-at callback and fetches only the ELF
 * header, the program header table (and section header 0 for PN_XNUM) and
 * the PT_NOTE segments. Everything it reads passes through core/rd.h.
 *
 * What is decoded (layouts: FORMATS.md 6.1, linux include/linux/elfcore.h,
 * include/uapi/linux/elfcore.h, elfutils libebl/backends *_corenote.c):
 *
 *  ELF header    ELFCLASS32/64, ELFDATA2LSB/MSB, e_type ET_CORE, e_machine
 *                (kept as a number; registers are decoded for EM_X86_64,
 *                EM_386, EM_AARCH64, EM_RISCV and EM_ARM).
 *  PT_LOAD       offset, vaddr, filesz, memsz, flags ("r-x"), the bytes
 *                present in the file, and the NT_FILE mapping that covers
 *                the segment's start (path and the byte offset in that file
 *                of vaddr).
 *  notes         4-byte aligned name and desc for both classes (what the
 *                kernel and gdb write; 8-byte aligned notes are not read).
 *                Only owner "CORE" notes are decoded ("LINUX" and "GDB"
 *                ones are listed in notes[] only).
 *  NT_PRSTATUS   one per thread: si_signo/si_code/si_errno, cursig,
 *                sigpend, sighold, pid (the thread id), ppid, pgrp, sid,
 *                and pc/sp from pr_reg. Offsets: with W the word size (4 or
 *                8), pid is at 16 + 2W and pr_reg at 32 + 10W (72 / 112).
 *  NT_PRPSINFO   state, sname, nice, flag, uid, gid, pid, ppid, pgrp, sid,
 *                fname[16], psargs[80]. ELFCLASS32 descs of 124 bytes have
 *                16-bit uid/gid (i386 and arm: __kernel_uid_t is unsigned
 *                short); 128-byte ones 32-bit (riscv32 and others).
 *  NT_FILE       count, page_size, count x {start, end, file_ofs} (words),
 *                then count NUL-terminated paths. file_ofs is multiplied by
 *                page_size: the kernel writes pages (page_size 4096), gdb
 *                bytes (page_size 1); files[].offset is always in bytes.
 *  NT_AUXV       (type, value) word pairs up to AT_NULL.
 *  NT_SIGINFO    si_signo, si_errno, si_code; si_addr for SIGILL, SIGFPE,
 *                SIGSEGV and SIGBUS raised by the kernel (si_code > 0), as
 *                eu-readelf does (generic Linux signal numbers).
 *
 * Anomalies (reported through the callback, parsing goes on): program
 * headers or segments past the end of the file (truncated cores), a note
 * that overflows its segment, an NT_FILE count larger than its note, names
 * not NUL-terminated, short descs, duplicate notes, caps reached.
 *
 * Errors: DD_EFORMAT when the input is not an ELF core (bad magic, class,
 * data encoding, version, e_type != ET_CORE, absurd e_phentsize), DD_ETRUNC
 * when the ELF header itself is cut, and whatever the read callback
 * returns (DD_EIO). A result is filled only on success.
 *
 * Caps: ELFCORE_MAX_PHDRS program headers, ELFCORE_MAX_NOTES_BYTES of note
 * segments in all, ELFCORE_MAX_STR bytes of a path, ELFCORE_MAX_THREADS
 * threads, ELFCORE_MAX_FILES NT_FILE entries, ELFCORE_MAX_AUXV pairs.
 *
 * Left out: register sets other than pc/sp, NT_FPREGSET and xstate, the
 * contents of PT_LOAD segments (the importer reads them through the same
 * callback, e.g. to resolve AT_EXECFN), 8-byte aligned notes, FreeBSD
 * cores.
 */
#ifndef INGEST_ELFCORE_H
#define INGEST_ELFCORE_H

#include "core/common.h"

#include "core/dderr.h"

#define ELFCORE_MAX_PHDRS 65536u
#define ELFCORE_MAX_NOTES_BYTES (64u * 1024u * 1024u)
#define ELFCORE_MAX_STR 4096u
#define ELFCORE_MAX_THREADS 65536u
#define ELFCORE_MAX_FILES 1048576u
#define ELFCORE_MAX_AUXV 4096u
#define ELFCORE_MAX_NOTES 1048576u

/* Read up to n bytes at off into buf; *got is how many were read (fewer
 * only at the end of the file). Returns 0 or a negative DD_E* with e set. */
typedef int (*elfcore_pread_fn)(void *user, uint64_t off, void *buf,
    size_t n, size_t *got, struct dd_err *e);
/* An anomaly at file offset off; msg is only valid during the call. */
typedef void (*elfcore_anom_fn)(void *user, uint64_t off, const char *msg);

/* The input: a read-at callback over a file of size bytes. anom may be
 * NULL. */
struct elfcore_src {
	elfcore_pread_fn pread;
	void *user;
	uint64_t size;
	elfcore_anom_fn anom;
	void *anom_user;
};

/* e_machine values with decoded registers. */
#define ELFCORE_EM_386 3
#define ELFCORE_EM_ARM 40
#define ELFCORE_EM_X86_64 62
#define ELFCORE_EM_AARCH64 183
#define ELFCORE_EM_RISCV 243

/* Note types (owner "CORE"). */
#define ELFCORE_NT_PRSTATUS 1
#define ELFCORE_NT_PRPSINFO 3
#define ELFCORE_NT_AUXV 6
#define ELFCORE_NT_SIGINFO 0x53494749u
#define ELFCORE_NT_FILE 0x46494c45u

/* Auxiliary vector types worth naming. */
#define ELFCORE_AT_NULL 0
#define ELFCORE_AT_PHDR 3
#define ELFCORE_AT_PAGESZ 6
#define ELFCORE_AT_BASE 7
#define ELFCORE_AT_ENTRY 9
#define ELFCORE_AT_UID 11
#define ELFCORE_AT_EUID 12
#define ELFCORE_AT_SECURE 23
#define ELFCORE_AT_EXECFN 31

/* Segment flags (p_flags). */
#define ELFCORE_PF_X 1u
#define ELFCORE_PF_W 2u
#define ELFCORE_PF_R 4u

/* One NT_PRSTATUS: one thread. */
struct elfcore_thread {
	uint64_t note_off;   /* file offset of the desc */
	int32_t si_signo, si_code, si_errno;
	int32_t cursig;
	uint64_t sigpend, sighold;
	int32_t pid;	     /* the thread id */
	int32_t ppid, pgrp, sid;
	bool have_regs;	     /* pc and sp decoded (known machine, long desc) */
	uint64_t pc, sp;
};

struct elfcore_psinfo {
	bool present;
	uint8_t state;
	char sname;
	int8_t zomb, nice;
	uint64_t flag;
	uint32_t uid, gid;
	int32_t pid, ppid, pgrp, sid;
	char fname[17];	     /* bytes up to the first NUL, NUL-terminated */
	char psargs[81];     /* same (argv with NULs made spaces, cut) */
};

/* One NT_FILE mapping. */
struct elfcore_file {
	uint64_t start, end;
	uint64_t offset;     /* in bytes (file_ofs * page_size) */
	char *path;	     /* owned by the struct elfcore, never NULL */
};

/* One PT_LOAD. */
struct elfcore_seg {
	uint64_t offset, vaddr, filesz, memsz;
	uint32_t flags;
	char perms[4];	     /* "rwx", '-' for a missing bit */
	uint64_t avail;	     /* bytes of [offset, offset+filesz) in the file */
	const char *path;    /* NT_FILE mapping covering vaddr, or NULL;
			      * borrowed from files[] */
	uint64_t file_off;   /* byte offset of vaddr in path */
};

struct elfcore_auxv {
	uint64_t type, val;
};

struct elfcore_siginfo {
	bool present;
	int32_t signo, errno_, code;
	bool have_addr;
	uint64_t addr;
};

/* Every note, decoded or not. */
struct elfcore_note {
	uint64_t desc_off;   /* file offset of the desc */
	uint32_t type;
	uint32_t descsz;
	char name[16];	     /* the owner, cut and NUL-terminated */
};

/* The result. Arrays are owned; elfcore_release() frees them. */
struct elfcore {
	int bits;		/* 32 or 64 */
	bool big_endian;
	uint16_t machine;	/* e_machine */
	uint64_t phoff, shoff;
	uint32_t phnum;		/* program headers read */
	uint32_t nload_beyond_eof; /* PT_LOADs not wholly in the file */
	uint64_t page_size;	/* from NT_FILE, 0 without one */

	struct elfcore_seg *segs;
	size_t nsegs;
	struct elfcore_thread *threads;
	size_t nthreads;
	struct elfcore_psinfo psinfo;
	struct elfcore_file *files;
	size_t nfiles;
	struct elfcore_auxv *auxv;
	size_t nauxv;
	struct elfcore_siginfo siginfo;
	struct elfcore_note *notes;
	size_t nnotes;
	uint64_t notes_bytes;	/* note segment bytes read */
};

/* Parse the core described by src into *c (zeroed first). On failure *c
 * holds nothing to release. */
int elfcore_parse(const struct elfcore_src *src, struct elfcore *c,
    struct dd_err *e);
void elfcore_release(struct elfcore *c);
/* The value of auxv type in c, true if present. */
bool elfcore_auxv_get(const struct elfcore *c, uint64_t type, uint64_t *val);
/* A name for an e_machine value ("x86_64", "i386", "aarch64", "riscv",
 * "arm"), or NULL. Static storage. */
const char *elfcore_machine_name(uint16_t machine);

#endif
