/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lazylib.c: the tables of core/lib-*.h, filled on first use (see
 * core/lazylib.h).
 */
#include "core/common.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

#include "core/lazylib.h"
#include "core/lib-archive.h"
#include "core/lib-crypto.h"
#include "core/lib-pcap.h"
#include "core/lib-yara.h"

#ifndef DD_SONAME_archive
#error "DD_SONAME_archive is not defined (the Makefile finds the SONAMEs)"
#endif
/* an empty name is a build without objdump or the -dev package's .so */
_Static_assert(sizeof(DD_SONAME_archive) > 1, "libarchive's SONAME unknown");
_Static_assert(sizeof(DD_SONAME_crypto) > 1, "libcrypto's SONAME unknown");
_Static_assert(sizeof(DD_SONAME_pcap) > 1, "libpcap's SONAME unknown");
_Static_assert(sizeof(DD_SONAME_yara) > 1, "libyara's SONAME unknown");

/* dlopen SONAME and look up names[0..n) into slots, or end the process. */
static void
lazy_open(const char *soname, const char *what, const char *const *names,
    void **slots, size_t n)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (h == NULL)
		dd_die(127, "cannot load %s, needed for %s: %s", soname, what,
		    dlerror());
	for (i = 0; i < n; i++) {
		(void)dlerror();
		slots[i] = dlsym(h, names[i]);
		if (slots[i] == NULL)
			dd_die(127, "%s has no function %s: %s", soname,
			    names[i], dlerror());
	}
	/* the handle stays open: the process calls through it until exit */
}

#define DD_LAZY_NAME(f) #f,
#define DD_LAZY_DEFINE(name, FNS, what)                                       \
	static const char *const dd_lib_##name##_names[] = { FNS(             \
	    DD_LAZY_NAME) };                                                  \
	static struct dd_lib_##name##_api dd_lib_##name##_v;                  \
	const struct dd_lib_##name##_api *dd_lib_##name##_p;                  \
	static pthread_once_t dd_lib_##name##_once = PTHREAD_ONCE_INIT;       \
	static void dd_lib_##name##_init(void)                                \
	{                                                                     \
		void *s[ARRAY_SIZE(dd_lib_##name##_names)];                   \
		_Static_assert(sizeof(s) == sizeof(dd_lib_##name##_v),        \
		    "every member is a function pointer");                    \
		lazy_open(DD_SONAME_##name, what, dd_lib_##name##_names, s,   \
		    ARRAY_SIZE(s));                                           \
		memcpy(&dd_lib_##name##_v, s, sizeof(s));                     \
		__atomic_store_n(&dd_lib_##name##_p, &dd_lib_##name##_v,      \
		    __ATOMIC_RELEASE);                                        \
	}                                                                     \
	const struct dd_lib_##name##_api *dd_lib_##name##_load(void)          \
	{                                                                     \
		(void)pthread_once(&dd_lib_##name##_once,                     \
		    dd_lib_##name##_init);                                    \
		return dd_lib_##name##_p;                                     \
	}

DD_LAZY_DEFINE(archive, DD_LIB_ARCHIVE_FNS, "archives (tar, zip, layers)")
DD_LAZY_DEFINE(crypto, DD_LIB_CRYPTO_FNS, "digests (SHA-256)")
DD_LAZY_DEFINE(pcap, DD_LIB_PCAP_FNS, "packet captures")
DD_LAZY_DEFINE(yara, DD_LIB_YARA_FNS, "content rules")
