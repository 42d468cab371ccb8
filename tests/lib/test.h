/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test.h: the unit-test harness (libarchive and git/clar style).
 *
 * A test is a function defined with TEST(name) at the start of a line in a
 * tests/unit/t-<module>.c file; the Makefile collects every such line into
 * the generated table test_cases[], so no list is kept by hand. The runner
 * (tests/unit/runner.c) runs all tests or those named on its command line,
 * each with a fresh temporary directory (t->tmpdir, removed afterwards) and
 * a fresh arena (t->arena, released afterwards).
 *
 * Assertions record a failure with file, line and the values involved, and
 * let the test go on (libarchive's assertEqualInt). Each evaluates to true
 * when it held, so a test can stop early where going on would crash:
 *
 *	if (!CHECK(p != NULL))
 *		return;
 *
 * Tests must free what they allocate: the asan variant runs with leak
 * detection and the runner checks for leaks after every test.
 */
#ifndef TESTS_LIB_TEST_H
#define TESTS_LIB_TEST_H

#include "core/common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* What a running test sees. All pointers are borrowed from the runner and
 * valid for the duration of the test. */
struct test_ctx {
	const char *name;     /* the test's name (without "test_") */
	const char *tmpdir;   /* a fresh empty directory, removed afterwards */
	struct arena *arena;  /* a fresh arena, released afterwards */
	int failures;	      /* failed assertions so far */
	int checks;	      /* assertions evaluated so far */
};

struct test_case {
	const char *name;
	void (*fn)(struct test_ctx *);
};

/* The generated table, terminated by { 0, 0 }. */
extern const struct test_case test_cases[];

/* Define a test. The prototype keeps -Wmissing-prototypes quiet. */
#define TEST(name)                                      \
	void test_##name(struct test_ctx *t);           \
	void test_##name(struct test_ctx *t DD_UNUSED)

/* Assertion back ends (runner.c); each returns ok. */
bool test_check(struct test_ctx *t, bool ok, const char *file, int line,
    const char *expr);
bool test_check_int(struct test_ctx *t, intmax_t a, intmax_t b,
    const char *file, int line, const char *ea, const char *eb);
bool test_check_str(struct test_ctx *t, const char *a, const char *b,
    const char *file, int line, const char *ea, const char *eb);
bool test_check_mem(struct test_ctx *t, const void *a, const void *b,
    size_t n, const char *file, int line, const char *ea, const char *eb);
/* Record a failure with a free-form message (always returns false). */
bool test_fail(struct test_ctx *t, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A path inside t->tmpdir (arena-allocated in t->arena). */
char *test_path(struct test_ctx *t, const char *name);

#define CHECK(cond) \
	test_check(t, (cond) ? true : false, __FILE__, __LINE__, #cond)
#define CHECK_EQ_INT(a, b) \
	test_check_int(t, (intmax_t)(a), (intmax_t)(b), __FILE__, __LINE__, \
	    #a, #b)
#define CHECK_EQ_STR(a, b) \
	test_check_str(t, (a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_MEM(a, b, n) \
	test_check_mem(t, (a), (b), (n), __FILE__, __LINE__, #a, #b)
#define FAIL(...) test_fail(t, __FILE__, __LINE__, __VA_ARGS__)

#endif
