/* nsops: unshare/setns attempts (some fail, that is fine), a child renamed
 * with prctl(PR_SET_NAME) that calls ptrace(PTRACE_TRACEME) (EPERM under
 * strace), personality, and an exit with status 7. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int st;

	pid_t p = fork();
	if (p == 0) {
		prctl(PR_SET_NAME, "dd kid<1>");
		long r = ptrace(PTRACE_TRACEME, 0, NULL, NULL); /* EPERM: already traced */
		if (unshare(CLONE_NEWUTS) == 0)
			sethostname("dd-uts-ns", 9); /* only in the new namespace */
		unshare(0x1); /* EINVAL: not a valid flag */
		int fd = open("/proc/self/ns/uts", O_RDONLY);
		setns(fd, CLONE_NEWNET); /* EINVAL: wrong type */
		close(fd);
		setns(-1, 0);            /* EBADF */
		_exit(r == 0 ? 0 : 6);
	}
	waitpid(p, &st, 0);
	personality(0xffffffff);
	return 7;
}
