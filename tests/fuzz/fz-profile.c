/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-profile.c: the readers of `drydock profile check`: a seccomp profile
 * (pf_seccomp_parse, then bound to a capability set and asked about a few
 * calls), an AppArmor profile (pf_aa_parse; includes resolve under an
 * empty directory), AppArmor's glob matcher and the symbolic argument
 * reader. The first input byte picks the reader; the rest is its input
 * (the glob: pattern, NUL, path).
 */
#include "core/common.h"

#include "analyzers/profile/profile.h"
#include "core/dderr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
fz_arg(int i, uint64_t *v, void *user)
{
	(void)user;
	*v = (uint64_t)i * 0x1001;
	return i != 3;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const calls[] = { "read", "clone", "socket",
		"mount", "personality", "syscall_0x1ff" };
	struct dd_err e = DD_ERR_INIT;
	char *buf;
	size_t n, i;

	if (size < 1)
		return 0;
	setenv("DRYDOCK_APPARMOR_DIR", "/nonexistent-fz-profile", 1);
	n = size - 1;
	buf = malloc(n + 2);
	if (buf == NULL)
		return 0;
	memcpy(buf, data + 1, n);
	buf[n] = buf[n + 1] = '\0';
	switch (data[0] % 4) {
	case 0: {
		struct pf_seccomp *p = NULL;
		if (pf_seccomp_parse("fz.json", buf, n, &p, &e) == 0) {
			struct pf_decision d;
			pf_seccomp_bind(p, data[0] & 0x80 ? ~0ull : 0x3f, 5, 10);
			for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
				pf_seccomp_decide(p, calls[i],
				    i % 2 ? "i386" : "x86_64", fz_arg, NULL,
				    &d);
				if (d.action == NULL)
					__builtin_trap();
			}
			pf_seccomp_free(p);
		}
		break;
	}
	case 1: {
		struct pf_aa *a = NULL;
		if (pf_aa_parse("fz.aa", buf, n, &a, &e) == 0)
			pf_aa_free(a);
		break;
	}
	case 2: {
		/* pattern NUL path */
		const char *path = buf + strlen(buf) + 1;
		if (path > buf + n)
			path = "";
		(void)pf_aa_glob(buf, path);
		break;
	}
	default: {
		uint64_t v;
		char out[64];
		(void)pf_arg_value(buf, &v);
		(void)pf_arg_text(buf, data[0] >> 2 & 7, out, sizeof(out));
		break;
	}
	}
	free(buf);
	return 0;
}
