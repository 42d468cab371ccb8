/* fsops: mkdir(at), chmod/fchmodat, chown/lchown/fchownat, symlink(at),
 * readlink, link, rename, renameat2(RENAME_NOREPLACE) -> EEXIST, truncate,
 * utimensat, mknod (fifo), statx, access/faccessat, openat2 (RESOLVE_BENEATH
 * -> EXDEV), a write to an unlinked file ("(deleted)" under -y), getdents64. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/dd-fsops-XXXXXX";
	char buf[256];
	struct stat sb;
	struct statx sx;

	if (!mkdtemp(dir) || chdir(dir) != 0)
		return 1;
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	mkdir("d1", 0750);
	mkdirat(dfd, "d2", 0700);
	int fd = openat(dfd, "d1/file", O_CREAT | O_RDWR, 0600);
	write(fd, "content\n", 8);
	close(fd);
	chmod("d1/file", 0640);
	fchmodat(dfd, "d1/file", 0644, 0);
	chown("d1/file", 1000, 1000);
	fchownat(dfd, "d1/file", 0, 0, 0);
	symlink("d1/file", "link");
	symlinkat("/nonexistent/target", dfd, "dangling");
	lchown("link", 1000, 1000);
	ssize_t n = readlink("link", buf, sizeof buf);
	(void)n;
	readlinkat(dfd, "dangling", buf, sizeof buf);
	link("d1/file", "d2/hard");
	rename("d2/hard", "d2/hard2");
	syscall(SYS_renameat2, dfd, "d2/hard2", dfd, "d1/file", 1 /* RENAME_NOREPLACE */);
	truncate("d1/file", 3);
	utimensat(dfd, "d1/file", NULL, 0);
	mknod("fifo", S_IFIFO | 0600, 0);
	statx(dfd, "d1/file", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
	lstat("link", &sb);
	access("d1/file", R_OK | W_OK);
	faccessat(dfd, "missing", F_OK, 0);

#ifdef SYS_openat2
	struct open_how how = { .flags = O_RDONLY, .resolve = RESOLVE_BENEATH };
	fd = (int)syscall(SYS_openat2, dfd, "d1/file", &how, sizeof how);
	if (fd >= 0)
		close(fd);
	syscall(SYS_openat2, dfd, "../../etc/hostname", &how, sizeof how); /* EXDEV */
#endif

	fd = open("gone", O_CREAT | O_RDWR, 0600);
	unlink("gone");
	write(fd, "still here\n", 11);
	fstat(fd, &sb);
	close(fd);

	DIR *d = opendir(".");
	if (d) {
		while (readdir(d))
			;
		closedir(d);
	}

	unlink("fifo");
	unlink("link");
	unlinkat(dfd, "dangling", 0);
	unlink("d2/hard2");
	unlink("d1/file");
	unlinkat(dfd, "d2", AT_REMOVEDIR);
	rmdir("d1");
	close(dfd);
	if (chdir("/") != 0)
		return 1;
	rmdir(dir);
	return 0;
}
