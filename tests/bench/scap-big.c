/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scap-big.c: bench helpers over Debian's libscap (libfalcosecurity0-dev);
 * built by tests/bench/scap.sh, never part of drydock.
 *
 *   scap-big write SRC.scap OUT.scap N   OUT = SRC's header blocks, then
 *                                        SRC's events repeated until N
 *                                        events, times shifted forward
 *   scap-big read FILE                   the bare libscap read loop
 *                                        (scap_open_offline/scap_next):
 *                                        prints the event count
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scap.h"

struct ev {
	uint8_t *b;
	uint16_t cpu;
};

int
main(int argc, char **argv)
{
	char err[SCAP_LASTERR_SIZE];
	int32_t rc;
	scap_t *h;
	scap_evt *e;
	uint16_t cpu;

	if (argc == 3 && strcmp(argv[1], "read") == 0) {
		uint64_t n = 0;
		if ((h = scap_open_offline(argv[2], err, &rc)) == NULL) {
			fprintf(stderr, "scap-big: %s\n", err);
			return 1;
		}
		while ((rc = scap_next(h, &e, &cpu)) == SCAP_SUCCESS ||
		    rc == SCAP_TIMEOUT)
			if (rc == SCAP_SUCCESS)
				n++;
		scap_close(h);
		printf("%" PRIu64 "\n", n);
		return rc == SCAP_EOF ? 0 : 1;
	}
	if (argc == 5 && strcmp(argv[1], "write") == 0) {
		struct ev *v = NULL;
		size_t nv = 0, av = 0, i;
		uint64_t want = strtoull(argv[4], NULL, 10), done = 0, t0 = 0,
			 t1 = 0, rep = 0;
		scap_dumper_t *d;

		if ((h = scap_open_offline(argv[2], err, &rc)) == NULL) {
			fprintf(stderr, "scap-big: %s\n", err);
			return 1;
		}
		while ((rc = scap_next(h, &e, &cpu)) == SCAP_SUCCESS ||
		    rc == SCAP_TIMEOUT) {
			if (rc != SCAP_SUCCESS)
				continue;
			if (nv == av) {
				av = av ? av * 2 : 1024;
				v = realloc(v, av * sizeof(*v));
			}
			v[nv].b = malloc(e->len);
			memcpy(v[nv].b, e, e->len);
			v[nv].cpu = cpu;
			if (nv == 0)
				t0 = e->ts;
			t1 = e->ts;
			nv++;
		}
		scap_close(h);
		/* the dumper writes the header blocks of an open handle */
		if ((h = scap_open_offline(argv[2], err, &rc)) == NULL ||
		    (d = scap_dump_open(h, argv[3], SCAP_COMPRESSION_NONE,
			 true)) == NULL) {
			fprintf(stderr, "scap-big: cannot write %s\n", argv[3]);
			return 1;
		}
		while (done < want && nv > 0) {
			for (i = 0; i < nv && done < want; i++, done++) {
				scap_evt *x = (scap_evt *)v[i].b;
				uint64_t ts = x->ts;
				x->ts = ts + rep * (t1 - t0 + 1000);
				if (scap_dump(h, d, x, v[i].cpu, 0) !=
				    SCAP_SUCCESS) {
					fprintf(stderr, "scap-big: dump failed\n");
					return 1;
				}
				x->ts = ts;
			}
			rep++;
		}
		scap_dump_close(d);
		scap_close(h);
		printf("%" PRIu64 "\n", done);
		return 0;
	}
	fprintf(stderr, "usage: scap-big write SRC OUT N | read FILE\n");
	return 2;
}
