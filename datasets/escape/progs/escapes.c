/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escapes.c: performs, harmlessly, the system calls of container-escape
 * techniques, so that strace can record them for the escape analyzer's
 * tests (datasets/escape/README.md). Everything that succeeds acts on
 * files, namespaces and processes this program creates; everything aimed
 * at the host's real files (core_pattern, modprobe, sysrq-trigger, the
 * runtime sockets, kernel memory) runs as uid 65534 and fails, or only
 * opens without writing.
 *
 *   escapes all        every technique, successes and failed attempts
 *   escapes chain      mount cgroupfs, write release_agent, write
 *                      cgroup.procs, in a second
 *   escapes chain-slow the same steps 3 s apart
 *   escapes mount      only the cgroupfs mount (one half of a chain)
 *   escapes agent      only the release_agent and cgroup.procs writes
 *   escapes forks N    N short-lived children (a fork bomb's rate)
 *   escapes benign     ordinary file, socket and process work
 *
 * Build: gcc -O0 -static -o escapes escapes.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static void
path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static void
put(const char *name, const char *text)
{
	char p[160];
	int fd;

	path(p, sizeof(p), name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			perror("write");
		close(fd);
	}
}

static void
open_close(const char *p, int flags)
{
	int fd = open(p, flags);

	if (fd >= 0)
		close(fd);
}

/* In a child: the cgroupfs mount in a new mount namespace. */
static void
do_mount(void)
{
	char p[160];

	path(p, sizeof(p), "cg");
	mkdir(p, 0700);
	if (unshare(CLONE_NEWNS) == 0) {
		mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
		if (mount("cgroup", p, "cgroup", 0, "none,name=drydock") == 0)
			umount2(p, MNT_DETACH);
	}
}

/* Files named like the cgroup control files, owned by this program. */
static void
do_agent(void)
{
	char p[160];

	path(p, sizeof(p), "x");
	mkdir(p, 0700);
	put("x/notify_on_release", "1\n");
	put("release_agent", "/tmp/drydock-not-a-real-agent\n");
	put("x/cgroup.procs", "0\n");
}

static void
in_child(void (*fn)(void))
{
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* As uid 65534: attempts at the host's real files, all refused. */
static void
do_denied(void)
{
	char p[160];
	struct sockaddr_un sa;
	int s;

	if (setresgid(65534, 65534, 65534) < 0 ||
	    setresuid(65534, 65534, 65534) < 0)
		return;
	path(p, sizeof(p), "cg");
	mount("cgroup", p, "cgroup", 0, "none,name=drydock");
	mount("proc", p, "proc", 0, NULL);
	mount("/dev/sda1", p, "ext4", MS_RDONLY, NULL);
	mount("debugfs", p, "debugfs", 0, NULL);
	mount("securityfs", p, "securityfs", 0, NULL);
	open_close("/proc/sys/kernel/core_pattern", O_WRONLY);
	open_close("/proc/sys/kernel/modprobe", O_WRONLY);
	open_close("/sys/kernel/uevent_helper", O_WRONLY);
	open_close("/proc/sysrq-trigger", O_WRONLY);
	open_close("/proc/kcore", O_RDONLY);
	open_close("/dev/mem", O_RDONLY);
	open_close("/proc/1/ns/mnt", O_RDONLY);
	unshare(CLONE_NEWNS);
	syscall(SYS_init_module, NULL, 0, "");
	syscall(SYS_finit_module, -1, "", 0);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, "/var/run/docker.sock");
	connect(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (s >= 0)
		close(s);
}

/* A shell with a socket on its standard input and output. */
static void
do_revshell(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return;
	dup2(sv[0], 0);
	dup2(sv[0], 1);
	execl("/bin/sh", "sh", "-c", "true", (char *)NULL);
	_exit(127);
}

/* nsenter -t 1 -u true: join pid 1's UTS namespace (this machine's own,
 * so nothing changes), then run a program. */
static void
do_nsenter(void)
{
	int fd = open("/proc/1/ns/uts", O_RDONLY);

	if (fd >= 0 && setns(fd, CLONE_NEWUTS) == 0)
		execl("/bin/true", "true", (char *)NULL);
	_exit(0);
}

/* A copy of /bin/true in a memfd, executed from it. */
static void
do_memfd(void)
{
	char buf[65536], p[64];
	int in = open("/bin/true", O_RDONLY), fd;
	ssize_t n;

	fd = syscall(SYS_memfd_create, "x", 0);
	if (in < 0 || fd < 0)
		_exit(0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			_exit(0);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	execl(p, "true", (char *)NULL);
	_exit(0);
}

/* In a new network namespace: a packet socket in promiscuous mode on
 * its loopback. */
static void
do_sniff(void)
{
	struct packet_mreq mr;
	int s;

	if (unshare(CLONE_NEWNET) < 0)
		return;
	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (s < 0)
		return;
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = 1;
	mr.mr_type = PACKET_MR_PROMISC;
	setsockopt(s, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr));
	close(s);
}

static void
do_chroot(void)
{
	if (chroot(dir) == 0)
		chdir("/");
}

static void
do_userns(void)
{
	unshare(CLONE_NEWUSER | CLONE_NEWNS);
}

static void
do_all(void)
{
	char p[160], buf[16];
	struct file_handle *fh;
	int mnt, fd, pfd[2];
	struct iovec l, r;
	char *page;
	pid_t kid;

	in_child(do_mount);
	do_agent();
	in_child(do_denied);
	/* Shocker: a handle of a file of our own, opened by handle */
	put("handle-me", "x");
	path(p, sizeof(p), "handle-me");
	fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, p, fh, &mnt, 0) == 0) {
		int m = open(dir, O_RDONLY | O_DIRECTORY);
		fd = open_by_handle_at(m, fh, O_RDONLY);
		if (fd >= 0)
			close(fd);
		close(m);
	}
	free(fh);
	in_child(do_userns);
	in_child(do_nsenter);
	/* ptrace a child of our own (refused: strace traces it) */
	kid = fork();
	if (kid == 0) {
		pause();
		_exit(0);
	}
	ptrace(PTRACE_ATTACH, kid, NULL, NULL);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	/* process_vm_writev and /proc/self/mem on our own memory, after
	 * madvise(MADV_DONTNEED): the Dirty COW pattern, on a private page */
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	l.iov_base = "ab";
	l.iov_len = 2;
	r.iov_base = page;
	r.iov_len = 2;
	syscall(SYS_process_vm_writev, getpid(), &l, 1, &r, 1, 0);
	madvise(page, 4096, MADV_DONTNEED);
	fd = open("/proc/self/mem", O_RDWR);
	if (fd >= 0) {
		pwrite(fd, "cd", 2, (off_t)(uintptr_t)page);
		close(fd);
	}
	/* CVE-2019-5736: /proc/self/exe for writing (ETXTBSY) */
	open_close("/proc/self/exe", O_WRONLY);
	/* CVE-2024-21626: a working directory through /proc/self/fd */
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
	if (chdir(p) == 0)
		chdir("/");
	close(fd);
	/* kernel symbols */
	open_close("/proc/kallsyms", O_RDONLY);
	/* bpf and keyctl with nothing to do */
	syscall(SYS_bpf, BPF_PROG_LOAD, NULL, 0);
	syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0);
	/* a block device node of our own, removed again */
	path(p, sizeof(p), "blk");
	if (mknod(p, S_IFBLK | 0600, makedev(7, 0)) == 0)
		unlink(p);
	in_child(do_chroot);
	in_child(do_sniff);
	/* the runtime socket name, on a socket of our own */
	{
		struct sockaddr_un sa;
		int ls = socket(AF_UNIX, SOCK_STREAM, 0), cs;
		memset(&sa, 0, sizeof(sa));
		sa.sun_family = AF_UNIX;
		path(sa.sun_path, sizeof(sa.sun_path), "docker.sock");
		bind(ls, (struct sockaddr *)&sa, sizeof(sa));
		listen(ls, 1);
		cs = socket(AF_UNIX, SOCK_STREAM, 0);
		connect(cs, (struct sockaddr *)&sa, sizeof(sa));
		close(cs);
		close(ls);
		unlink(sa.sun_path);
	}
	/* Dirty Pipe pattern: splice a file of our own into a pipe, then
	 * write to the pipe */
	put("ro", "read-only data\n");
	path(p, sizeof(p), "ro");
	fd = open(p, O_RDONLY);
	if (fd >= 0 && pipe(pfd) == 0) {
		loff_t off = 0;
		splice(fd, &off, pfd[1], NULL, 1, 0);
		write(pfd[1], "X", 1);
		read(pfd[0], buf, sizeof(buf));
		close(pfd[0]);
		close(pfd[1]);
	}
	if (fd >= 0)
		close(fd);
	kid = fork();
	if (kid == 0)
		do_revshell();
	waitpid(kid, NULL, 0);
	kid = fork();
	if (kid == 0)
		do_memfd();
	waitpid(kid, NULL, 0);
}

static void
do_benign(void)
{
	char p[160], buf[64];
	int fd, sv[2];
	pid_t kid;

	put("notes.txt", "hello\n");
	path(p, sizeof(p), "notes.txt");
	fd = open(p, O_RDONLY);
	if (fd >= 0) {
		read(fd, buf, sizeof(buf));
		close(fd);
	}
	open_close("/proc/self/status", O_RDONLY);
	open_close("/etc/hostname", O_RDONLY);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		write(sv[0], "x", 1);
		read(sv[1], buf, 1);
		close(sv[0]);
		close(sv[1]);
	}
	kid = fork();
	if (kid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitpid(kid, NULL, 0);
	unlink(p);
}

static void
do_forks(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t kid = fork();
		if (kid == 0)
			_exit(0);
		if (kid > 0)
			waitpid(kid, NULL, 0);
	}
}

static int
rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)flag;
	(void)f;
	return remove(p) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "all";

	snprintf(dir, sizeof(dir), "/tmp/dd-escape-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	if (strcmp(mode, "all") == 0) {
		do_all();
	} else if (strcmp(mode, "chain") == 0) {
		in_child(do_mount);
		do_agent();
	} else if (strcmp(mode, "chain-slow") == 0) {
		in_child(do_mount);
		sleep(3);
		do_agent();
	} else if (strcmp(mode, "mount") == 0) {
		in_child(do_mount);
	} else if (strcmp(mode, "agent") == 0) {
		do_agent();
	} else if (strcmp(mode, "forks") == 0) {
		do_forks(argc > 2 ? atoi(argv[2]) : 600);
	} else if (strcmp(mode, "benign") == 0) {
		do_benign();
	} else {
		fprintf(stderr, "escapes: unknown mode %s\n", mode);
		return 2;
	}
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : 1;
}
