/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-check.h: CHECK(x), a harness's invariant: a trap (libFuzzer keeps the
 * input; the replay driver dies) when x does not hold, in every build.
 */
#ifndef TESTS_FUZZ_FZ_CHECK_H
#define TESTS_FUZZ_FZ_CHECK_H

#define CHECK(x)                          \
	do {                              \
		if (!(x))                 \
			__builtin_trap(); \
	} while (0)

#endif
