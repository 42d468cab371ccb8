/* failing: calls that fail. We run as root, so a child drops to uid 65534
 * for EACCES on a chmod-000 file and a root-only path. Exits with status 2. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/dd-failing-XXXXXX";
	char secret[64], sub[64];
	char buf[16];
	int st;

	if (!mkdtemp(dir))
		return 1;
	snprintf(secret, sizeof secret, "%s/secret", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	chmod(dir, 0755);
	int fd = open(secret, O_CREAT | O_WRONLY, 0600);
	write(fd, "s3cr3t\n", 7);
	close(fd);
	chmod(secret, 0);

	open("/nonexistent/missing.txt", O_RDONLY);         /* ENOENT */
	unlink("/proc/version");                             /* EACCES or EPERM */
	mount("none", sub, "nosuchfs", 0, NULL);            /* ENOENT: no such dir */
	mount(NULL, dir, NULL, MS_REMOUNT, NULL);           /* EINVAL: not a mount point */
	umount2(dir, 0);                                     /* EINVAL: not a mount point */
	mkdir(dir, 0700);                                    /* EEXIST */
	rmdir("/");                                          /* EBUSY */
	chdir(secret);                                       /* ENOTDIR */
	read(-1, buf, sizeof buf);                           /* EBADF */
	openat(99, "relative", O_RDONLY);                    /* EBADF */
	syscall(999, 1, 2, 3);                               /* ENOSYS, unknown number */
	kill(999999, 0);                                     /* ESRCH */

	pid_t p = fork();
	if (p == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(1);
		open(secret, O_RDONLY);                      /* EACCES: mode 000 */
		open("/etc/shadow", O_RDONLY);               /* EACCES: root-only */
		setuid(0);                                   /* EPERM */
		kill(1, 0);                                  /* EPERM */
		mount("none", dir, "tmpfs", 0, NULL);        /* EPERM: no CAP_SYS_ADMIN */
		unlink(secret);                              /* EACCES: dir 0755 root */
		_exit(5);
	}
	waitpid(p, &st, 0);
	unlink(secret);
	rmdir(dir);
	return 2;
}
