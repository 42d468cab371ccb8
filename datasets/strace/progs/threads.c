/* threads: two pthreads (clone3 or clone), a futex-based join, writes from
 * every thread. Exercises interleaved unfinished/resumed lines under -f. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *worker(void *arg)
{
	long id = (long)arg;
	char buf[64];
	struct timespec ts = { 0, 2000000 * (id + 1) };

	nanosleep(&ts, NULL);
	pthread_mutex_lock(&mu);
	counter++;
	pthread_mutex_unlock(&mu);
	int n = snprintf(buf, sizeof buf, "worker %ld pid %d\n", id, (int)getpid());
	write(1, buf, (size_t)n);
	return NULL;
}

int main(void)
{
	pthread_t t[2];

	for (long i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)i) != 0)
			return 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	write(1, "joined\n", 7);
	return counter == 2 ? 0 : 1;
}
