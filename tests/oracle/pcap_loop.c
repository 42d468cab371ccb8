/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pcap_loop: the bare libpcap read loop, an oracle and the bench's floor.
 * Prints "PACKETS CAPTURED-BYTES ERROR" for FILE: the packets libpcap
 * returns before the end or an error, and the error text ("-" for none;
 * "open: ..." when libpcap refuses the file).
 *
 *   cc -O2 -o pcap_loop tests/oracle/pcap_loop.c -lpcap
 */
#include <pcap/pcap.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned long long n = 0, bytes = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_loop FILE\n");
		return 2;
	}
	if ((p = pcap_open_offline_with_tstamp_precision(argv[1],
		 PCAP_TSTAMP_PRECISION_NANO, err)) == NULL) {
		printf("0 0 open: %s\n", err);
		return 0;
	}
	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		n++;
		bytes += h->caplen;
	}
	printf("%llu %llu %s\n", n, bytes, rc == PCAP_ERROR ? pcap_geterr(p) :
	    "-");
	pcap_close(p);
	return 0;
}
