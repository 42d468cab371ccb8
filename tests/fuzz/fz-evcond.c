/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-evcond.c: the escape analyzer's condition language (analyzers/
 * evcond.c) over hostile rule text: the input up to the first NUL byte
 * (or all of it) defines a list "l" and macros "m" and "n" (lines "l:" and
 * "m:"/"n:" prefixes), the rest of the lines are conditions; each that
 * compiles is evaluated against events whose fields come from the input's
 * bytes (paths, flags, argument text with strace -y decorations).
 *
 * Invariants (trap on violation): a refused condition has a message; a
 * compiled one evaluates without reading outside its strings; the syscall
 * prefilter never excludes an event the condition matches.
 */
#include "core/common.h"

#include <stdlib.h>

#include "analyzers/evcond.h"
#include "core/arena.h"
#include "core/dderr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fz_resolve(void *user, const struct an_event *ev, struct evc_proc *out)
{
	(void)user;
	out->exe = ev->path;
	out->cmdline = ev->args;
	out->pname = "sh";
	out->ppid = 1;
	out->cname = "c";
	out->target_known = ev->has_target;
	out->target_container = ev->target % 2 ? "other" : NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct evc_defs *d;
	char *text, *line, *save = NULL;
	static const char *const types[] = { "openat", "write", "mount",
		"setns", "dup2", "execve" };
	struct an_event ev[6];

	if (size > 65536)
		return 0;
	arena_init(&a);
	d = evc_defs_new(&a);
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	memset(ev, 0, sizeof(ev));
	for (size_t i = 0; i < 6; i++) {
		ev[i].syscall = types[i];
		ev[i].path = i % 2 ? text + (size > 3 ? 3 : size) : NULL;
		ev[i].args = text;
		ev[i].flags = i % 3 ? "O_WRONLY|O_CREAT" : NULL;
		ev[i].fd_path = i % 2 ? NULL : "UNIX-STREAM:[1->2]";
		ev[i].addr = i == 4 ? "/run/docker.sock" : NULL;
		ev[i].ret = (int64_t)i - 3;
		ev[i].ret_known = i != 5;
		ev[i].errname = i < 3 ? "EPERM" : NULL;
		ev[i].has_target = i == 2;
		ev[i].target = (int64_t)size;
		ev[i].pid = 1;
		ev[i].tid = 1;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct dd_err e = DD_ERR_INIT;
		struct evc *c;
		const char *const *names;
		size_t n;
		if (strncmp(line, "l:", 2) == 0) {
			const char *items[2] = { line + 2, "x" };
			evc_defs_list(d, "l", items, 2, false, &e);
			continue;
		}
		if (strncmp(line, "m:", 2) == 0 || strncmp(line, "n:", 2) == 0) {
			evc_defs_macro(d, line[0] == 'm' ? "m" : "n", line + 2,
			    false, &e);
			continue;
		}
		if (evc_compile(d, line, &c, &e) < 0) {
			if (e.msg[0] == '\0')
				__builtin_trap();
			continue;
		}
		for (size_t i = 0; i < 6; i++) {
			struct evc_rec r;
			bool hit, listed = false;
			evc_rec_init(&r, &ev[i], fz_resolve, NULL);
			hit = evc_eval(c, &r);
			if (!evc_types(c, &names, &n))
				continue;
			for (size_t k = 0; k < n; k++)
				listed |= strcmp(names[k], types[i]) == 0;
			if (hit && !listed)
				__builtin_trap();
		}
	}
	free(text);
	arena_release(&a);
	return 0;
}
