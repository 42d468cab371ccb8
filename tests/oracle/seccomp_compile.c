/* SPDX-License-Identifier: Apache-2.0 */
/*
 * seccomp_compile.c: an independent reader of Docker/OCI seccomp JSON for
 * the tests (tests/cli/0950-profile.sh). libseccomp compiles the profile
 * into a BPF filter (rules with includes/excludes are skipped: the tests
 * give it profiles without them); with --probe it loads the filter in a
 * child, the default action's errno replaced by a mark (so a seccomp
 * denial is told from any other failure), and calls getpid and acct(NULL)
 * there, printing "getpid allowed|denied" and "acct allowed|denied".
 *
 *   cc -o seccomp_compile seccomp_compile.c -lseccomp -ljansson
 *   seccomp_compile PROFILE [--probe]
 * Exit: 0 compiled; 1 the profile is refused (message on stderr).
 */
#include <errno.h>
#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARK 133 /* EHWPOISON: nothing else returns it here */

static uint32_t
action(const char *a, int err)
{
	if (strcmp(a, "SCMP_ACT_ALLOW") == 0)
		return SCMP_ACT_ALLOW;
	if (strcmp(a, "SCMP_ACT_ERRNO") == 0)
		return SCMP_ACT_ERRNO(err);
	if (strcmp(a, "SCMP_ACT_LOG") == 0)
		return SCMP_ACT_LOG;
	if (strcmp(a, "SCMP_ACT_KILL") == 0 || strcmp(a, "SCMP_ACT_KILL_THREAD") == 0)
		return SCMP_ACT_KILL;
	if (strcmp(a, "SCMP_ACT_KILL_PROCESS") == 0)
		return SCMP_ACT_KILL_PROCESS;
	if (strcmp(a, "SCMP_ACT_TRAP") == 0)
		return SCMP_ACT_TRAP;
	fprintf(stderr, "unknown action %s\n", a);
	exit(1);
}

static enum scmp_compare
op(const char *o)
{
	static const struct {
		const char *n;
		enum scmp_compare c;
	} t[] = { { "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ } };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(o, t[i].n) == 0)
			return t[i].c;
	fprintf(stderr, "unknown op %s\n", o);
	exit(1);
}

static scmp_filter_ctx
build(json_t *root, int mark)
{
	json_t *rules = json_object_get(root, "syscalls"), *am;
	int derr = json_integer_value(json_object_get(root, "defaultErrnoRet"));
	scmp_filter_ctx ctx;
	size_t i, k;

	if (derr == 0)
		derr = 1;
	ctx = seccomp_init(action(json_string_value(json_object_get(root,
				      "defaultAction")),
	    mark ? mark : derr));
	if (ctx == NULL) {
		fprintf(stderr, "seccomp_init failed\n");
		exit(1);
	}
	am = json_object_get(root, "archMap");
	for (i = 0; i < json_array_size(am); i++) {
		json_t *subs = json_object_get(json_array_get(am, i),
		    "subArchitectures");
		for (k = 0; k < json_array_size(subs); k++) {
			const char *s = json_string_value(json_array_get(subs, k));
			if (s && strcmp(s, "SCMP_ARCH_X86") == 0)
				seccomp_arch_add(ctx, SCMP_ARCH_X86);
			else if (s && strcmp(s, "SCMP_ARCH_X32") == 0)
				seccomp_arch_add(ctx, SCMP_ARCH_X32);
		}
	}
	for (i = 0; i < json_array_size(rules); i++) {
		json_t *r = json_array_get(rules, i);
		json_t *names = json_object_get(r, "names");
		json_t *args = json_object_get(r, "args");
		struct scmp_arg_cmp cmp[6];
		size_t na = json_array_size(args);
		int err = json_integer_value(json_object_get(r, "errnoRet"));
		uint32_t act;
		if (json_object_get(r, "includes") || json_object_get(r, "excludes"))
			continue;
		act = action(json_string_value(json_object_get(r, "action")),
		    err ? err : derr);
		if (na > 6) {
			fprintf(stderr, "rule %zu: more than 6 args\n", i);
			exit(1);
		}
		for (k = 0; k < na; k++) {
			json_t *a = json_array_get(args, k);
			cmp[k].arg = (unsigned)json_integer_value(
			    json_object_get(a, "index"));
			cmp[k].op = op(json_string_value(json_object_get(a, "op")));
			cmp[k].datum_a = (scmp_datum_t)json_integer_value(
			    json_object_get(a, "value"));
			cmp[k].datum_b = (scmp_datum_t)json_integer_value(
			    json_object_get(a, "valueTwo"));
		}
		for (k = 0; k < json_array_size(names); k++) {
			const char *n = json_string_value(json_array_get(names, k));
			int nr = seccomp_syscall_resolve_name(n), rc;
			if (nr == __NR_SCMP_ERROR) {
				fprintf(stderr, "unknown syscall %s\n", n);
				exit(1);
			}
			rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)na,
			    cmp);
			if (rc < 0) {
				fprintf(stderr, "rule %zu (%s): %s\n", i, n,
				    strerror(-rc));
				exit(1);
			}
		}
	}
	return ctx;
}

int
main(int argc, char **argv)
{
	json_error_t je;
	json_t *root;
	scmp_filter_ctx ctx;
	FILE *devnull;

	if (argc < 2) {
		fprintf(stderr, "usage: seccomp_compile PROFILE [--probe]\n");
		return 2;
	}
	root = json_load_file(argv[1], 0, &je);
	if (root == NULL) {
		fprintf(stderr, "%s: %s\n", argv[1], je.text);
		return 1;
	}
	ctx = build(root, 0);
	devnull = fopen("/dev/null", "w");
	if (seccomp_export_bpf(ctx, fileno(devnull)) < 0) {
		fprintf(stderr, "cannot export the filter\n");
		return 1;
	}
	fclose(devnull);
	seccomp_release(ctx);
	printf("compiled\n");
	if (argc > 2 && strcmp(argv[2], "--probe") == 0) {
		int fds[2], st;
		char buf[128] = { 0 };
		pid_t pid;
		if (pipe(fds) < 0)
			return 1;
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			long r;
			char out[128];
			close(fds[0]);
			ctx = build(root, MARK);
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
			    seccomp_load(ctx) < 0)
				_exit(3);
			r = syscall(SYS_getpid);
			snprintf(out, sizeof(out), "getpid %s\n",
			    r < 0 && errno == MARK ? "denied" : "allowed");
			r = syscall(SYS_acct, NULL);
			snprintf(out + strlen(out), sizeof(out) - strlen(out),
			    "acct %s\n",
			    r < 0 && errno == MARK ? "denied" : "allowed");
			if (write(fds[1], out, strlen(out)) < 0)
				_exit(4);
			_exit(0);
		}
		close(fds[1]);
		if (read(fds[0], buf, sizeof(buf) - 1) < 0)
			return 1;
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "the probe child failed (%d)\n", st);
			return 1;
		}
		fputs(buf, stdout);
	}
	json_decref(root);
	return 0;
}
