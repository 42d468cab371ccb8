/* SPDX-License-Identifier: Apache-2.0 */
/*
 * common.h: included first by every .c file of drydock.
 *
 * It sets the feature macros, pulls in the standard headers every module
 * uses, defines the attribute and helper macros, and finally includes
 * banned.h so that unsafe libc calls fail to compile.
 *
 * Invariants:
 * - included before any system header (it defines _GNU_SOURCE);
 * - defines no struct typedefs.
 */
#ifndef CORE_COMMON_H
#define CORE_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#ifndef _FILE_OFFSET_BITS
#define _FILE_OFFSET_BITS 64
#endif

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define DD_NORETURN __attribute__((noreturn))
#define DD_WUR __attribute__((warn_unused_result))
#define DD_UNUSED __attribute__((unused))
#define DD_FALLTHROUGH __attribute__((fallthrough))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

/* Checked size arithmetic: true on overflow, as C23's ckd_*. */
#define ckd_add(r, a, b) __builtin_add_overflow((a), (b), (r))
#define ckd_mul(r, a, b) __builtin_mul_overflow((a), (b), (r))

/* Report a programmer error with its location and abort. */
DD_NORETURN DD_PRINTF(3, 4) void dd_bug(const char *file, int line,
    const char *fmt, ...);
#define BUG(...) dd_bug(__FILE__, __LINE__, __VA_ARGS__)

/* The process cannot go on (a shared library it needs cannot be loaded):
 * "drydock: MESSAGE" on stderr and exit(status), as the dynamic loader
 * would have ended it at start. Not for evidence errors (DD_E*). */
DD_NORETURN DD_PRINTF(2, 3) void dd_die(int status, const char *fmt, ...);

/*
 * ALWAYS(x) and NEVER(x) wrap defensive checks of conditions that cannot
 * happen; they evaluate to x, so the defensive path still runs in release.
 */
#define ALWAYS(x) (x)
#define NEVER(x) (x)

#include "core/banned.h"

#endif
