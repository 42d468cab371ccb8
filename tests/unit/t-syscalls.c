/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-syscalls.c: the syscall number tables (core/syscalls.h): spot checks
 * against the kernel tables, round trips over every entry, the shape of
 * each table, unknown numbers and names, arch names, strace's name for
 * unknown numbers, socketcall calls.
 *
 * The independent oracle (the whole tables against ausyscall --dump) is
 * the shell test tests/cli/0200-syscalls-oracle.sh.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include "core/syscalls.h"

/* A (number, name) pair expected in a table. */
struct t_sc {
	int nr;
	const char *name;
};

/* Check both directions of each pair on arch. */
static void
t_sc_expect(struct test_ctx *t, int arch, const struct t_sc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!CHECK_EQ_STR(sc_name(arch, v[i].nr), v[i].name))
			FAIL("%s: number %d", sc_arch_name(arch), v[i].nr);
		if (!CHECK_EQ_INT(sc_number(arch, v[i].name), v[i].nr))
			FAIL("%s: name %s", sc_arch_name(arch), v[i].name);
	}
}

TEST(syscalls_x86_64_spot)
{
	static const struct t_sc v[] = {
		{ 0, "read" },		  { 1, "write" },
		{ 2, "open" },		  { 17, "pread64" },
		{ 18, "pwrite64" },	  { 56, "clone" },
		{ 57, "fork" },		  { 59, "execve" },
		{ 101, "ptrace" },	  { 155, "pivot_root" },
		{ 156, "_sysctl" },	  { 165, "mount" },
		{ 166, "umount2" },	  { 231, "exit_group" },
		{ 257, "openat" },	  { 262, "newfstatat" },
		{ 272, "unshare" },	  { 308, "setns" },
		{ 317, "seccomp" },	  { 322, "execveat" },
		{ 334, "rseq" },	  { 424, "pidfd_send_signal" },
		{ 435, "clone3" },	  { 437, "openat2" },
		{ 443, "quotactl_fd" },	  { 447, "memfd_secret" },
		{ 450, "set_mempolicy_home_node" },
		/* Newer than the linux-libc-dev 6.1 headers. */
		{ 451, "cachestat" },	  { 452, "fchmodat2" },
		{ 453, "map_shadow_stack" }, { 457, "statmount" },
		{ 459, "lsm_get_self_attr" }, { 461, "lsm_list_modules" },
		{ 462, "mseal" },	  { 467, "open_tree_attr" },
		{ 470, "listns" },	  { 471, "rseq_slice_yield" },
	};

	t_sc_expect(t, SC_ARCH_X86_64, v, ARRAY_SIZE(v));
}

TEST(syscalls_i386_spot)
{
	/* The calls ADFA-LD's traces are full of (FORMATS.md 3.1). */
	static const struct t_sc v[] = {
		{ 0, "restart_syscall" },  { 1, "exit" },
		{ 3, "read" },		   { 4, "write" },
		{ 5, "open" },		   { 6, "close" },
		{ 11, "execve" },	   { 21, "mount" },
		{ 22, "umount" },	   { 26, "ptrace" },
		{ 52, "umount2" },	   { 102, "socketcall" },
		{ 117, "ipc" },		   { 120, "clone" },
		{ 140, "_llseek" },	   { 142, "_newselect" },
		{ 168, "poll" },	   { 192, "mmap2" },
		{ 195, "stat64" },	   { 196, "lstat64" },
		{ 197, "fstat64" },	   { 199, "getuid32" },
		{ 202, "getegid32" },	   { 221, "fcntl64" },
		{ 240, "futex" },	   { 252, "exit_group" },
		{ 265, "clock_gettime" },  { 283, "kexec_load" },
		{ 295, "openat" },	   { 340, "prlimit64" },
		{ 359, "socket" },	   { 403, "clock_gettime64" },
		{ 423, "sched_rr_get_interval_time64" },
		{ 435, "clone3" },	   { 450, "set_mempolicy_home_node" },
	};

	t_sc_expect(t, SC_ARCH_I386, v, ARRAY_SIZE(v));
}

/* Every entry of arch: increasing numbers, name -> number -> name. */
static void
t_sc_round_trip(struct test_ctx *t, int arch)
{
	size_t i, n = sc_count(arch);
	const char *name;
	int nr, prev = -1;

	CHECK(n > 300);
	for (i = 0; i < n; i++) {
		nr = -2;
		name = sc_name_at(arch, i, &nr);
		if (!CHECK(name != NULL))
			return;
		if (!CHECK(nr > prev))
			FAIL("%s: entry %zu (%d %s) after %d", sc_arch_name(arch),
			    i, nr, name, prev);
		prev = nr;
		CHECK(name[0] != '\0');
		if (!CHECK_EQ_INT(sc_number(arch, name), nr))
			FAIL("%s: %s", sc_arch_name(arch), name);
		if (!CHECK(sc_name(arch, nr) == name))
			FAIL("%s: %d", sc_arch_name(arch), nr);
		/* nr may be NULL. */
		CHECK(sc_name_at(arch, i, NULL) == name);
	}
	nr = 12345;
	CHECK(sc_name_at(arch, n, &nr) == NULL);
	CHECK_EQ_INT(nr, 12345);
	CHECK(sc_name_at(arch, (size_t)-1, &nr) == NULL);
}

TEST(syscalls_round_trip)
{
	t_sc_round_trip(t, SC_ARCH_X86_64);
	t_sc_round_trip(t, SC_ARCH_I386);
}

/* How many numbers in [lo, hi] arch can name. */
static int
t_sc_named(int arch, int lo, int hi)
{
	int nr, n = 0;

	for (nr = lo; nr <= hi; nr++)
		if (sc_name(arch, nr) != NULL)
			n++;
	return n;
}

TEST(syscalls_shape)
{
	/* x86_64 (FORMATS.md 7.2): 0..334 contiguous, 335..423 unassigned,
	 * 424..471 the newer calls, no x32 numbers. */
	CHECK_EQ_INT(t_sc_named(SC_ARCH_X86_64, 0, 334), 335);
	CHECK_EQ_INT(t_sc_named(SC_ARCH_X86_64, 335, 423), 0);
	CHECK_EQ_INT(t_sc_named(SC_ARCH_X86_64, 424, 471), 48);
	CHECK_EQ_INT(t_sc_named(SC_ARCH_X86_64, 472, 4096), 0);
	CHECK_EQ_INT(sc_count(SC_ARCH_X86_64), 335 + 48);

	/* i386 from the 6.1 headers: 0..450 less the eleven numbers the
	 * kernel leaves unassigned (222, 223, 251, 285, 387..392, 415). */
	CHECK_EQ_INT(t_sc_named(SC_ARCH_I386, 0, 450), 440);
	CHECK_EQ_INT(t_sc_named(SC_ARCH_I386, 451, 4096), 0);
	CHECK_EQ_INT(sc_count(SC_ARCH_I386), 440);
	CHECK(sc_name(SC_ARCH_I386, 222) == NULL);
	CHECK(sc_name(SC_ARCH_I386, 223) == NULL);
	CHECK(sc_name(SC_ARCH_I386, 251) == NULL);
	CHECK(sc_name(SC_ARCH_I386, 285) == NULL);
	CHECK_EQ_INT(t_sc_named(SC_ARCH_I386, 387, 392), 0);
	CHECK(sc_name(SC_ARCH_I386, 415) == NULL);
	/* ADFA-LD's numbers run from 1 to 340: four holes there. */
	CHECK_EQ_INT(t_sc_named(SC_ARCH_I386, 1, 340), 340 - 4);
}

TEST(syscalls_unknown)
{
	static const int bad_nr[] = { -1, -2, INT_MIN, INT_MAX, 335, 400, 423,
		472, 512, 547, 999, 0x40000000, 0x40000000 | 2,
		0x40000000 | 512 };
	static const char *const bad_name[] = { "", "READ", "Read", "read ",
		" read", "rea", "reads", "pread", "sys_read", "syscall_0x3e7",
		"mmap2", "_llseek", "socketcall", "\x01", "\xff", "zzzz", "_",
		"~" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_nr); i++) {
		if (!CHECK(sc_name(SC_ARCH_X86_64, bad_nr[i]) == NULL))
			FAIL("x86_64 names %d", bad_nr[i]);
		CHECK(sc_name(SC_ARCH_UNKNOWN, bad_nr[i]) == NULL);
	}
	for (i = 0; i < ARRAY_SIZE(bad_name); i++)
		if (!CHECK_EQ_INT(sc_number(SC_ARCH_X86_64, bad_name[i]), -1))
			FAIL("x86_64 knows '%s'", bad_name[i]);
	CHECK_EQ_INT(sc_number(SC_ARCH_X86_64, NULL), -1);
	CHECK_EQ_INT(sc_number(SC_ARCH_I386, NULL), -1);

	/* Calls of one table only. */
	CHECK_EQ_INT(sc_number(SC_ARCH_I386, "mmap2"), 192);
	CHECK_EQ_INT(sc_number(SC_ARCH_I386, "arch_prctl"), 384);
	CHECK_EQ_INT(sc_number(SC_ARCH_X86_64, "arch_prctl"), 158);
	CHECK_EQ_INT(sc_number(SC_ARCH_I386, "newfstatat"), -1);
	CHECK_EQ_INT(sc_number(SC_ARCH_I386, "fstatat64"), 300);
	CHECK_EQ_INT(sc_number(SC_ARCH_I386, "rseq_slice_yield"), -1);
	CHECK(sc_name(SC_ARCH_I386, 471) == NULL);

	/* An unknown or invalid arch knows nothing. */
	CHECK(sc_name(SC_ARCH_UNKNOWN, 0) == NULL);
	CHECK(sc_name(99, 0) == NULL);
	CHECK(sc_name(-1, 0) == NULL);
	CHECK_EQ_INT(sc_number(SC_ARCH_UNKNOWN, "read"), -1);
	CHECK_EQ_INT(sc_number(99, "read"), -1);
	CHECK_EQ_INT(sc_count(SC_ARCH_UNKNOWN), 0);
	CHECK_EQ_INT(sc_count(99), 0);
	CHECK(sc_name_at(SC_ARCH_UNKNOWN, 0, NULL) == NULL);
	CHECK(sc_name_at(-7, 0, NULL) == NULL);
}

TEST(syscalls_unknown_name)
{
	char buf[24];

	/* As strace prints them ("syscall_%#lx"). */
	sc_unknown_name(999, buf);
	CHECK_EQ_STR(buf, "syscall_0x3e7");
	sc_unknown_name(0x400003e7, buf);
	CHECK_EQ_STR(buf, "syscall_0x400003e7");
	sc_unknown_name(335, buf);
	CHECK_EQ_STR(buf, "syscall_0x14f");
	sc_unknown_name(0, buf);
	CHECK_EQ_STR(buf, "syscall_0");
	sc_unknown_name(-1, buf);
	CHECK_EQ_STR(buf, "syscall_0xffffffff");
	sc_unknown_name(INT_MIN, buf);
	CHECK_EQ_STR(buf, "syscall_0x80000000");
}

TEST(syscalls_arch)
{
	static const struct {
		const char *s;
		int arch;
	} v[] = {
		{ "x86_64", SC_ARCH_X86_64 },	{ "X86_64", SC_ARCH_X86_64 },
		{ "x86-64", SC_ARCH_X86_64 },	{ "amd64", SC_ARCH_X86_64 },
		{ "AMD64", SC_ARCH_X86_64 },	{ "x64", SC_ARCH_X86_64 },
		{ "SCMP_ARCH_X86_64", SC_ARCH_X86_64 },
		{ "i386", SC_ARCH_I386 },	{ "I386", SC_ARCH_I386 },
		{ "i486", SC_ARCH_I386 },	{ "i586", SC_ARCH_I386 },
		{ "i686", SC_ARCH_I386 },	{ "386", SC_ARCH_I386 },
		{ "x86", SC_ARCH_I386 },	{ "ia32", SC_ARCH_I386 },
		{ "SCMP_ARCH_X86", SC_ARCH_I386 },
		{ "", SC_ARCH_UNKNOWN },	{ "x32", SC_ARCH_UNKNOWN },
		{ "SCMP_ARCH_X32", SC_ARCH_UNKNOWN },
		{ "arm64", SC_ARCH_UNKNOWN },	{ "aarch64", SC_ARCH_UNKNOWN },
		{ "x86_64 ", SC_ARCH_UNKNOWN }, { "x86_", SC_ARCH_UNKNOWN },
		{ "i38", SC_ARCH_UNKNOWN },	{ "i3866", SC_ARCH_UNKNOWN },
		{ "unknown", SC_ARCH_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v); i++)
		if (!CHECK_EQ_INT(sc_arch_parse(v[i].s), v[i].arch))
			FAIL("sc_arch_parse(\"%s\")", v[i].s);
	CHECK_EQ_INT(sc_arch_parse(NULL), SC_ARCH_UNKNOWN);

	CHECK_EQ_STR(sc_arch_name(SC_ARCH_X86_64), "x86_64");
	CHECK_EQ_STR(sc_arch_name(SC_ARCH_I386), "i386");
	CHECK_EQ_STR(sc_arch_name(SC_ARCH_UNKNOWN), "unknown");
	CHECK_EQ_STR(sc_arch_name(42), "unknown");
	CHECK_EQ_STR(sc_arch_name(-1), "unknown");
	/* The canonical names parse back. */
	CHECK_EQ_INT(sc_arch_parse(sc_arch_name(SC_ARCH_X86_64)),
	    SC_ARCH_X86_64);
	CHECK_EQ_INT(sc_arch_parse(sc_arch_name(SC_ARCH_I386)), SC_ARCH_I386);
}

TEST(syscalls_socketcall)
{
	static const char *const want[] = { NULL, "socket", "bind", "connect",
		"listen", "accept", "getsockname", "getpeername", "socketpair",
		"send", "recv", "sendto", "recvfrom", "shutdown", "setsockopt",
		"getsockopt", "sendmsg", "recvmsg", "accept4", "recvmmsg",
		"sendmmsg" };
	int call;

	CHECK(sc_socketcall_name(0) == NULL);
	CHECK(sc_socketcall_name(-1) == NULL);
	CHECK(sc_socketcall_name(21) == NULL);
	CHECK(sc_socketcall_name(INT_MIN) == NULL);
	CHECK(sc_socketcall_name(INT_MAX) == NULL);
	for (call = 1; call <= 20; call++) {
		const char *name = sc_socketcall_name(call);

		if (!CHECK_EQ_STR(name, want[call]))
			continue;
		/* Every call but send and recv is also an x86_64 syscall. */
		if (call == 9 || call == 10)
			CHECK_EQ_INT(sc_number(SC_ARCH_X86_64, name), -1);
		else if (!CHECK(sc_number(SC_ARCH_X86_64, name) >= 0))
			FAIL("socketcall %d (%s) is not an x86_64 call", call,
			    name);
	}
}
