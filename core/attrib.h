/* SPDX-License-Identifier: Apache-2.0 */
/*
 * attrib.h: container attribution across artifacts (DESIGN.md section 3).
 *
 * An importer that sees a process's cgroup path sets its container itself
 * (processes.container_rule 'cgroup'; a trace's container events give
 * 'trace'). The rules that need other artifacts run here, over the whole
 * case, into the derived `attribution` table, after every import:
 *
 *  1. inspect_pid: the process (from a snapshot or a core: it has a
 *     process_info row, so its pid is in the host's pid namespace as the
 *     runtime reports it) has the pid a running container's inspect
 *     output gives as its init (container_meta.pid);
 *  2. namespace: the process shares its pid, mount and network namespaces
 *     (all three) with a process of the same snapshot attributed by its
 *     cgroup or by rule 1, and that pid namespace is not the host's
 *     initial one (4026531836), so a --pid=host container does not claim
 *     every host process;
 *  3. inspect_pid for traces: a trace's process (its artifact has no
 *     process_info rows) with the pid a running container's inspect
 *     output names (strace -p attached from the host to its init);
 *  4. parent: within a trace, every descendant of a process attributed by
 *     the rules above (the container's init forks the attack).
 *
 * Earlier rules win; a process keeps one container.
 */
#ifndef CORE_ATTRIB_H
#define CORE_ATTRIB_H

struct store;
struct dd_err;

/* Recompute `attribution` (inside the caller's transaction). */
int attrib_rebuild(struct store *s, struct dd_err *e);

#endif
