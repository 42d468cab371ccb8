/* pipes: pipe2 + fork, the child dup2()s the pipe onto stdout and writes;
 * dup/dup3/fcntl(F_DUPFD); close of a bad fd (EBADF); a child writing to a
 * pipe without readers dies of SIGPIPE. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int p[2], st;
	char buf[128];

	if (pipe2(p, O_CLOEXEC) != 0)
		return 1;
	pid_t c = fork();
	if (c == 0) {
		close(p[0]);
		dup2(p[1], 1);
		close(p[1]);
		write(1, "child says hi via dup2\n", 23);
		_exit(0);
	}
	close(p[1]);
	ssize_t n, total = 0;
	while ((n = read(p[0], buf, sizeof buf)) > 0)
		total += n;
	close(p[0]);
	waitpid(c, &st, 0);

	int d = dup(1);
	int d2 = dup3(d, 42, O_CLOEXEC);
	int d3 = fcntl(d2, F_DUPFD, 100);
	close(d3);
	close(d2);
	close(d);
	close(d); /* EBADF */

	if (pipe(p) != 0)
		return 1;
	close(p[0]); /* no reader left anywhere */
	c = fork();
	if (c == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "nobody reads this", 17); /* SIGPIPE */
		_exit(0);
	}
	close(p[1]);
	waitpid(c, &st, 0);
	snprintf(buf, sizeof buf, "read %zd bytes, sigpipe child: %d\n", total,
		 WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	write(1, buf, strlen(buf));
	return 0;
}
