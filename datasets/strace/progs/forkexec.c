/* forkexec: fork+execve(/bin/true), vfork+execve(/bin/ls DIR) on a temp dir,
 * an execve of a missing program (ENOENT, child exits 127), exit status 3. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char dir[] = "/tmp/dd-forkexec-XXXXXX";
	char path[64];
	int st;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/a file", dir);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	close(fd);

	pid_t p = fork();
	if (p == 0) {
		char *argv[] = { "true", NULL };
		char *envp[] = { "DD=1", NULL };
		execve("/bin/true", argv, envp);
		_exit(126);
	}
	waitpid(p, &st, 0);

	p = vfork();
	if (p == 0) {
		char *argv[] = { "ls", "-a", dir, NULL };
		char *envp[] = { "LC_ALL=C", "DD=2", NULL };
		execve("/bin/ls", argv, envp);
		_exit(126);
	}
	waitpid(p, &st, 0);

	p = fork();
	if (p == 0) {
		char *argv[] = { "nope", NULL };
		char *envp[] = { NULL };
		execve("/nonexistent/nope", argv, envp);
		_exit(127);
	}
	waitpid(p, &st, 0);

	unlink(path);
	rmdir(dir);
	printf("last child status %d\n", WEXITSTATUS(st));
	fflush(stdout);
	return 3;
}
