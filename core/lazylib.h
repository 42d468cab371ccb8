/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lazylib.h: shared libraries loaded when first used, not at start.
 *
 * libarchive (with libxml2 and ICU behind it), libyara (libmagic),
 * libpcap (D-Bus, systemd, libgcrypt) and libcrypto took 10 of the 12 ms
 * every drydock command spent in the dynamic loader, though most commands
 * (query, report, replay of ADFA-LD) call none of them. core/lib-<name>.h
 * includes the library's header and lists the functions drydock calls;
 * each name becomes a macro that calls through a table filled by dlopen
 * and dlsym on first use (once, thread-safe; the table is then read
 * without a lock). The shared object is the one the build linked against
 * (its SONAME, found by the Makefile). A library that cannot be loaded
 * ends the process with a message naming it and exit status 127, as the
 * dynamic loader would have at start.
 *
 * Invariants: a listed function is called only through its macro; a
 * function used but not listed fails to link (the library is not on the
 * link line), so the lists stay complete.
 */
#ifndef CORE_LAZYLIB_H
#define CORE_LAZYLIB_H

#define DD_LAZY_MEMBER(f) __typeof__(&f) f;

/* The table type, its pointer and the inline accessor for library NAME
 * whose functions FNS(X) lists. */
#define DD_LAZY_LIB(name, FNS)                                              \
	struct dd_lib_##name##_api {                                        \
		FNS(DD_LAZY_MEMBER)                                         \
	};                                                                  \
	extern const struct dd_lib_##name##_api *dd_lib_##name##_p;         \
	const struct dd_lib_##name##_api *dd_lib_##name##_load(void);       \
	static inline const struct dd_lib_##name##_api *dd_lib_##name(void) \
	{                                                                   \
		const struct dd_lib_##name##_api *p =                       \
		    __atomic_load_n(&dd_lib_##name##_p, __ATOMIC_ACQUIRE);  \
		return p != NULL ? p : dd_lib_##name##_load();              \
	}

#endif
