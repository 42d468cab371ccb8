/* sockets: TCP client/server over 127.0.0.1 (ephemeral port, one process),
 * TCP over ::1 when available, UDP sendto/recvfrom, an AF_UNIX socketpair, a
 * named and an abstract unix socket, connect to a closed port (ECONNREFUSED). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void pair_talk(int a, int b)
{
	char buf[64];
	write(a, "ping\n", 5);
	read(b, buf, sizeof buf);
	write(b, "pong\n", 5);
	read(a, buf, sizeof buf);
}

static void tcp(int family)
{
	struct sockaddr_storage ss;
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int one = 1;

	memset(&ss, 0, sizeof ss);
	if (family == AF_INET) {
		struct sockaddr_in *s4 = (void *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else {
		struct sockaddr_in6 *s6 = (void *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
	}
	int l = socket(family, SOCK_STREAM, 0);
	if (l < 0)
		return;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(l, (void *)&ss, len) != 0) { /* no ::1 here */
		close(l);
		return;
	}
	listen(l, 4);
	getsockname(l, (void *)&ss, &len);
	int c = socket(family, SOCK_STREAM, 0);
	connect(c, (void *)&ss, len); /* completes against the backlog */
	int a = accept(l, NULL, NULL);
	pair_talk(c, a);
	shutdown(c, SHUT_WR);
	close(a);
	close(c);
	/* the port is now closed: connecting again is refused */
	close(l);
	c = socket(family, SOCK_STREAM, 0);
	connect(c, (void *)&ss, len); /* ECONNREFUSED */
	close(c);
}

static void udp(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sockaddr_in from;
	socklen_t len = sizeof sa, flen = sizeof from;
	char buf[64];

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int r = socket(AF_INET, SOCK_DGRAM, 0);
	bind(r, (void *)&sa, sizeof sa);
	getsockname(r, (void *)&sa, &len);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	sendto(s, "datagram", 8, 0, (void *)&sa, sizeof sa);
	recvfrom(r, buf, sizeof buf, 0, (void *)&from, &flen);
	close(s);
	close(r);
}

static void unix_named(const char *path, int abstract)
{
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	socklen_t len;

	if (abstract) {
		memcpy(su.sun_path + 1, path, strlen(path));
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
	} else {
		strcpy(su.sun_path, path);
		len = sizeof su;
	}
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	bind(l, (void *)&su, len);
	listen(l, 1);
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (void *)&su, len);
	int a = accept(l, NULL, NULL);
	pair_talk(c, a);
	close(a);
	close(c);
	close(l);
	if (!abstract)
		unlink(path);
}

int main(void)
{
	char dir[] = "/tmp/dd-sockets-XXXXXX";
	char path[64];
	int sv[2];

	if (!mkdtemp(dir))
		return 1;
	tcp(AF_INET);
	tcp(AF_INET6);
	udp();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0) {
		pair_talk(sv[0], sv[1]);
		close(sv[0]);
		close(sv[1]);
	}
	snprintf(path, sizeof path, "%s/srv.sock", dir);
	unix_named(path, 0);
	unix_named("drydock-abstract", 1);
	rmdir(dir);
	return 0;
}
