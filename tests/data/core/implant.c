/* implant.c: a test process for the core importer and the memory analyzer.
 * With "implant" as argv[1] it maps an anonymous RWX region holding the
 * marker "DRYDOCK-IMPLANT-MARKER" and a copy of its own ELF header (as an
 * injected payload would), plus an anonymous RW region with a miner pool
 * URL and the docker socket path; with "plain" it only sleeps. It prints
 * "ready" when its memory is set, then waits to be dumped (gcore). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "implant") == 0) {
		unsigned char *x = mmap(NULL, 65536,
		    PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *d = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		int fd = open("/proc/self/exe", O_RDONLY);

		if (x == MAP_FAILED || d == MAP_FAILED || fd < 0 ||
		    read(fd, x, 64) != 64)
			return 1;
		close(fd);
		strcpy((char *)x + 4096, "DRYDOCK-IMPLANT-MARKER");
		strcpy(d, "stratum+tcp://pool.minexmr.com:4444");
		strcpy(d + 1024, "/var/run/docker.sock");
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
