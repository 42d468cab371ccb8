/* signals: a SIGUSR1 handler; SIGALRM (no SA_RESTART) interrupting read,
 * nanosleep and pause (ERESTARTSYS, ERESTART_RESTARTBLOCK, ERESTARTNOHAND);
 * a child killed by SIGKILL while blocked in read; a child that segfaults
 * (no core) and one that dumps core in the temp dir; a child that stops
 * itself with SIGSTOP and is continued. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits;

static void on_sig(int sig)
{
	(void)sig;
	hits++;
}

static void arm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 30000 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void segv_child(const char *dir, int core)
{
	pid_t p = fork();
	if (p == 0) {
		struct rlimit rl = { core ? RLIM_INFINITY : 0, core ? RLIM_INFINITY : 0 };
		setrlimit(RLIMIT_CORE, &rl);
		if (chdir(dir) != 0)
			_exit(1);
		*(volatile int *)0 = 1;
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
}

int main(void)
{
	char dir[] = "/tmp/dd-signals-XXXXXX";
	char core[64], c;
	int p[2], st;
	struct sigaction sa;
	struct timespec ts = { 2, 0 };

	if (!mkdtemp(dir) || pipe(p) != 0)
		return 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig; /* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	kill(getpid(), SIGUSR1);

	arm();
	read(p[0], &c, 1); /* interrupted */
	arm();
	nanosleep(&ts, NULL); /* interrupted */
	arm();
	pause(); /* interrupted */

	/* killed mid-syscall: the child tells us it is about to block */
	pid_t k = fork();
	if (k == 0) {
		write(p[1], "r", 1);
		read(p[0] + 100, &c, 1); /* EBADF, then block on the next read */
		int q[2];
		if (pipe(q) == 0)
			read(q[0], &c, 1);
		_exit(0);
	}
	read(p[0], &c, 1);
	struct timespec settle = { 0, 50000000 };
	nanosleep(&settle, NULL);
	kill(k, SIGKILL);
	waitpid(k, &st, 0);

	segv_child(dir, 0);
	segv_child(dir, 1);

	pid_t s = fork();
	if (s == 0) {
		raise(SIGSTOP);
		_exit(4);
	}
	waitpid(s, &st, WUNTRACED);
	kill(s, SIGCONT);
	waitpid(s, &st, 0);

	snprintf(core, sizeof core, "%s/core", dir);
	unlink(core);
	rmdir(dir);
	return hits == 4 ? 0 : 1;
}
