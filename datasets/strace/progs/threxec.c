/* threxec: a non-leader thread calls execve(/bin/true) while the main thread
 * sleeps: strace prints "+++ superseded by execve in pid N +++" and, with -ff,
 * the re-printed (TCB_REPRINT) resumed execve line. */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static void *execer(void *arg)
{
	(void)arg;
	struct timespec ts = { 0, 20000000 };
	char *argv[] = { "true", "from-thread", NULL };
	char *envp[] = { "DD=threxec", NULL };

	nanosleep(&ts, NULL);
	execve("/bin/true", argv, envp);
	return NULL;
}

int main(void)
{
	pthread_t t;
	struct timespec ts = { 5, 0 };

	if (pthread_create(&t, NULL, execer, NULL) != 0)
		return 1;
	nanosleep(&ts, NULL); /* replaced by the execve long before this ends */
	return 2;
}
