/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runner.c: runs the unit tests collected in test_cases[] (see
 * tests/lib/test.h).
 *
 *	build/asan/unit [-l] [-n] [NAME-PREFIX...]
 *
 * With no arguments every test runs; otherwise those whose name starts
 * with one of the arguments. -l lists the names. Output is TAP-like:
 *
 *	ok 1 - rd_be32
 *	#   tests/unit/t-rd.c:42: CHECK_EQ_INT(v, 7): 6 != 7
 *	not ok 2 - rd_sub_confined
 *	...
 *	41 passed, 1 failed
 *
 * The last line is exactly "N passed, N failed"; the exit status is 0 only
 * when none failed. Each test gets a fresh directory made with mkdtemp()
 * under $TMPDIR (or /tmp), removed recursively afterwards unless
 * DRYDOCK_TEST_KEEP is set, and a fresh arena. Each test runs in its own
 * child process (unless -n), so a crash, a sanitizer abort or a hang (the
 * alarm of DRYDOCK_TEST_TIMEOUT seconds, default 300) fails that test and
 * the others still run. In ASan builds a leak check runs at the end of
 * every test, so a leak is blamed on the test that made it.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define RUNNER_LSAN 1
#endif

/* Count a failure and print where it happened (the caller adds what). */
static void
runner_diag_head(struct test_ctx *t, const char *file, int line)
{
	t->failures++;
	printf("#   %s:%d: ", file, line);
}

bool
test_check(struct test_ctx *t, bool ok, const char *file, int line,
    const char *expr)
{
	t->checks++;
	if (ok)
		return true;
	runner_diag_head(t, file, line);
	printf("CHECK(%s) failed\n", expr);
	fflush(stdout);
	return false;
}

bool
test_check_int(struct test_ctx *t, intmax_t a, intmax_t b, const char *file,
    int line, const char *ea, const char *eb)
{
	t->checks++;
	if (a == b)
		return true;
	runner_diag_head(t, file, line);
	printf("CHECK_EQ_INT(%s, %s): %jd (%#jx) != %jd (%#jx)\n", ea, eb, a,
	    (uintmax_t)a, b, (uintmax_t)b);
	fflush(stdout);
	return false;
}

/* Print s quoted with C escapes, at most 300 bytes. */
static void
runner_print_quoted(const char *s)
{
	size_t i;

	if (s == NULL) {
		fputs("NULL", stdout);
		return;
	}
	putchar('"');
	for (i = 0; s[i] != '\0' && i < 300; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
	if (s[i] != '\0')
		fputs("...", stdout);
}

bool
test_check_str(struct test_ctx *t, const char *a, const char *b,
    const char *file, int line, const char *ea, const char *eb)
{
	t->checks++;
	if (a == b || (a != NULL && b != NULL && strcmp(a, b) == 0))
		return true;
	runner_diag_head(t, file, line);
	printf("CHECK_EQ_STR(%s, %s):\n#     ", ea, eb);
	runner_print_quoted(a);
	fputs("\n#  != ", stdout);
	runner_print_quoted(b);
	putchar('\n');
	fflush(stdout);
	return false;
}

/* Hex of up to 16 bytes of p[0..n) starting at off. */
static void
runner_print_hex(const unsigned char *p, size_t n, size_t off)
{
	size_t i;

	printf("%08zx:", off);
	for (i = off; i < n && i < off + 16; i++)
		printf(" %02x", p[i]);
	putchar('\n');
}

bool
test_check_mem(struct test_ctx *t, const void *a, const void *b, size_t n,
    const char *file, int line, const char *ea, const char *eb)
{
	const unsigned char *pa = a, *pb = b;
	size_t i, start;

	t->checks++;
	if (n == 0 || a == b || (a != NULL && b != NULL && memcmp(a, b, n) == 0))
		return true;
	runner_diag_head(t, file, line);
	if (a == NULL || b == NULL) {
		printf("CHECK_MEM(%s, %s, %zu): %s is NULL\n", ea, eb, n,
		    a == NULL ? ea : eb);
		fflush(stdout);
		return false;
	}
	for (i = 0; i < n && pa[i] == pb[i]; i++)
		;
	printf("CHECK_MEM(%s, %s, %zu): first difference at offset %zu\n",
	    ea, eb, n, i);
	start = i & ~(size_t)15;
	fputs("#     ", stdout);
	runner_print_hex(pa, n, start);
	fputs("#  vs ", stdout);
	runner_print_hex(pb, n, start);
	fflush(stdout);
	return false;
}

bool
test_fail(struct test_ctx *t, const char *file, int line, const char *fmt,
    ...)
{
	va_list ap;

	t->checks++;
	runner_diag_head(t, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return false;
}

char *
test_path(struct test_ctx *t, const char *name)
{
	return arena_printf(t->arena, "%s/%s", t->tmpdir, name);
}

static int
runner_rm_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP || flag == FTW_D)
		return rmdir(path) < 0 ? -1 : 0;
	return unlink(path) < 0 ? -1 : 0;
}

static int
runner_chmod_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, (sb->st_mode & 07777) | S_IRWXU);
	return 0;
}

/* Remove dir and everything under it; false on failure. */
static bool
runner_rm_rf(const char *dir)
{
	/* Make directories writable first: a test may chmod them to test
	 * read-only media. */
	nftw(dir, runner_chmod_one, 16, FTW_PHYS);
	return nftw(dir, runner_rm_one, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

static bool
runner_selected(const char *name, int argc, char **argv, bool *used)
{
	int i;
	bool sel = false;

	if (argc == 0)
		return true;
	for (i = 0; i < argc; i++) {
		if (strncmp(name, argv[i], strlen(argv[i])) == 0) {
			used[i] = true;
			sel = true;
		}
	}
	return sel;
}

/* Exit status of a test child whose assertions failed (sanitizers and
 * BUG() use others). */
#define RUNNER_EXIT_FAILED 90

/* Run one test in this process; returns its failure count. */
static int
runner_run_here(const struct test_case *tc, const char *tmpdir)
{
	struct arena arena = ARENA_INIT;
	struct test_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.name = tc->name;
	ctx.tmpdir = tmpdir;
	ctx.arena = &arena;
	tc->fn(&ctx);
	arena_release(&arena);
#ifdef RUNNER_LSAN
	if (__lsan_do_recoverable_leak_check() != 0) {
		printf("#   memory leaked (see the LeakSanitizer report on "
		       "stderr)\n");
		ctx.failures++;
	}
#endif
	fflush(stdout);
	fflush(stderr);
	return ctx.failures;
}

/*
 * Run one test in a child process so that a crash, a sanitizer abort or a
 * hang fails that test only. The parent never runs test code, so it never
 * starts the chunk store's worker threads and fork stays safe.
 */
static bool
runner_run_forked(const struct test_case *tc, const char *tmpdir,
    unsigned timeout)
{
	pid_t pid, w;
	int status;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		printf("#   cannot fork: %s\n", strerror(errno));
		return false;
	}
	if (pid == 0) {
		alarm(timeout);
		/* _exit: the leak check already ran; skip the atexit one. */
		_exit(runner_run_here(tc, tmpdir) ? RUNNER_EXIT_FAILED : 0);
	}
	while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (w < 0) {
		printf("#   cannot wait for the test: %s\n", strerror(errno));
		return false;
	}
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGALRM)
			printf("#   timed out after %u s\n", timeout);
		else
			printf("#   killed by signal %d (%s)\n",
			    WTERMSIG(status), strsignal(WTERMSIG(status)));
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		if (WEXITSTATUS(status) != RUNNER_EXIT_FAILED)
			printf("#   the test process exited with status %d "
			       "(a sanitizer report or a BUG? see stderr)\n",
			    WEXITSTATUS(status));
		return false;
	}
	return true;
}

static void
runner_usage(FILE *fp)
{
	fprintf(fp, "usage: unit [-l] [-n] [NAME-PREFIX...]\n"
		    "  -l  list the selected tests\n"
		    "  -n  run in this process, without fork (for gdb)\n"
		    "env: TMPDIR, DRYDOCK_TEST_KEEP (keep temp dirs),\n"
		    "     DRYDOCK_TEST_TIMEOUT (seconds per test, default 300)\n");
}

int
main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR"), *tenv;
	int n = 0, passed = 0, failed = 0, i, opt;
	bool list = false, nofork = false, bad_args = false;
	bool keep = getenv("DRYDOCK_TEST_KEEP") != NULL;
	unsigned timeout = 300;
	const struct test_case *tc;
	bool *used;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "hln")) != -1) {
		switch (opt) {
		case 'l':
			list = true;
			break;
		case 'n':
			nofork = true;
			break;
		case 'h':
			runner_usage(stdout);
			return 0;
		default:
			runner_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if ((tenv = getenv("DRYDOCK_TEST_TIMEOUT")) != NULL) {
		char *end;
		unsigned long v = strtoul(tenv, &end, 10);
		if (*tenv != '\0' && *end == '\0' && v > 0 && v < 86400)
			timeout = (unsigned)v;
	}
	used = calloc((size_t)argc + 1, sizeof(*used));
	if (used == NULL)
		abort();
	if (base == NULL || *base == '\0')
		base = "/tmp";

	for (tc = test_cases; tc->name != NULL; tc++) {
		char tmpl[4096];
		bool ok;

		if (!runner_selected(tc->name, argc, argv, used))
			continue;
		if (list) {
			printf("%s\n", tc->name);
			continue;
		}
		n++;
		if (snprintf(tmpl, sizeof(tmpl), "%s/dd-unit-%s-XXXXXX", base,
			tc->name) >= (int)sizeof(tmpl) ||
		    mkdtemp(tmpl) == NULL) {
			printf("#   cannot make a temporary directory under "
			       "'%s': %s\n",
			    base, strerror(errno));
			printf("not ok %d - %s\n", n, tc->name);
			failed++;
			continue;
		}
		if (nofork)
			ok = runner_run_here(tc, tmpl) == 0;
		else
			ok = runner_run_forked(tc, tmpl, timeout);
		if (keep) {
			printf("#   kept '%s'\n", tmpl);
		} else if (!runner_rm_rf(tmpl)) {
			printf("#   cannot remove '%s': %s\n", tmpl,
			    strerror(errno));
			ok = false;
		}
		if (ok) {
			passed++;
			printf("ok %d - %s\n", n, tc->name);
		} else {
			failed++;
			printf("not ok %d - %s\n", n, tc->name);
		}
	}
	for (i = 0; i < argc; i++) {
		if (!used[i]) {
			printf("#   no test matches '%s'\n", argv[i]);
			bad_args = true;
		}
	}
	free(used);
	if (!list)
		printf("%d passed, %d failed\n", passed, failed);
	return failed || bad_args ? 1 : 0;
}
