/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-posture.c: how containers were configured, and whether a process
 * already left its container (T1611 escape to host, T1610 deploy
 * container).
 *
 * Reads the inspect facts (containers, container_meta, container_mounts,
 * container_caps) and the host view of snapshots (processes and their
 * container attribution, namespaces, mounts, capabilities). Every rule is
 * one SQL statement (analyzers/sqlrule.h), listed here:
 *
 *  posture.privileged          privileged container                 critical
 *  posture.cap.<cap>           added SYS_ADMIN, SYS_MODULE or ALL   critical
 *                              added SYS_PTRACE, DAC_READ_SEARCH,   high
 *                              NET_ADMIN, NET_RAW, BPF, SYS_RAWIO
 *  posture.proc_cap.<cap>      the same capability effective in a   high
 *                              container's process (snapshot) that
 *                              inspect did not explain
 *  posture.mount.runtime_socket  docker/containerd/cri-o/podman     critical
 *                              socket mounted
 *  posture.mount.host_root     the host's / mounted                 critical
 *  posture.mount.sensitive     /proc /sys /etc /dev /run /var/run   high
 *                              /var/lib/kubelet /var/lib/docker
 *                              /var/lib/containerd /root /boot
 *                              /lib/modules mounted
 *  posture.ns.host_pid|net|ipc the host's namespace shared          high
 *  posture.ns.host_uts                                              medium
 *  posture.seccomp.unconfined  seccomp explicitly unconfined        high
 *  posture.apparmor.unconfined AppArmor explicitly unconfined       high
 *                              (an empty profile is unknown: none)
 *  posture.cgroup.writable     a cgroup filesystem mounted rw in    high
 *                              the container
 *  posture.rootfs.writable     writable root filesystem             low
 *  posture.limits.none         no memory and no CPU limit           low
 *  posture.escape.host_ns      a process in a container's cgroup    critical
 *                              whose pid, mount or network namespace
 *                              is the host's (not configured so)
 *  posture.escape.shim_child   a process outside every container    high
 *                              whose parent chain leads to a runtime
 *                              shim (containerd-shim, conmon, runc)
 *
 * The host's namespaces: the initial inodes (pid 4026531836; net
 * 4026531833 and mnt 4026531832 on kernels that fix them) and those of
 * pid 1 when the snapshot's pid 1 is in the initial pid namespace.
 */
#include "core/common.h"

#include "analyzers/analyzer.h"
#include "analyzers/sqlrule.h"

#define NAME SQLRULE_CNAME("c")

static const struct sqlrule posture_rules[] = {
	{ "privileged",
	  "SELECT 'posture.privileged', 'critical', 'T1611,T1610', c.id, "
	  "'Privileged container ' || " NAME ", "
	  "'The container runs privileged: every capability, every host "
	  "device, no seccomp or AppArmor confinement, writable /sys and "
	  "cgroups. A root process in it can mount the host''s disks, load "
	  "kernel modules or use a cgroup release_agent to run code on the "
	  "host.', 'containers', c.id "
	  "FROM containers c WHERE c.privileged = 1 ORDER BY c.id" },
	{ "added capabilities",
	  "SELECT 'posture.cap.' || lower(k.cap), CASE WHEN k.cap IN "
	  "('SYS_ADMIN', 'SYS_MODULE', 'ALL') THEN 'critical' ELSE 'high' "
	  "END, 'T1611', c.id, 'Container ' || " NAME " || ' adds CAP_' || "
	  "k.cap, 'The container was started with --cap-add ' || k.cap || "
	  "CASE k.cap WHEN 'SYS_ADMIN' THEN ': mount, namespaces and cgroup "
	  "release_agent escapes' WHEN 'SYS_MODULE' THEN ': kernel modules "
	  "run on the host' WHEN 'DAC_READ_SEARCH' THEN ': open_by_handle_at "
	  "reads host files (Shocker)' WHEN 'SYS_PTRACE' THEN ': ptrace "
	  "other processes, across containers with a shared pid namespace' "
	  "WHEN 'SYS_RAWIO' THEN ': raw I/O to devices and memory' WHEN "
	  "'BPF' THEN ': load eBPF programs into the host kernel' WHEN "
	  "'NET_ADMIN' THEN ': reconfigure networking, sniff or redirect "
	  "traffic' WHEN 'NET_RAW' THEN ': raw sockets, spoofing and ARP "
	  "poisoning' ELSE ': every capability' END || '.', "
	  "'containers', c.id "
	  "FROM container_caps k JOIN containers c ON c.id = k.container_id "
	  "WHERE k.op = 'add' AND k.cap IN ('SYS_ADMIN', 'SYS_MODULE', "
	  "'ALL', 'SYS_PTRACE', 'DAC_READ_SEARCH', 'NET_ADMIN', 'NET_RAW', "
	  "'BPF', 'SYS_RAWIO') AND coalesce(c.privileged, 0) <> 1 "
	  "ORDER BY c.id, k.cap" },
	{ "effective capabilities of container processes",
	  "SELECT 'posture.proc_cap.' || lower(k.cap), 'high', 'T1611', "
	  "p.container_id, 'A process of container ' || substr(p.container_id, "
	  "1, 12) || ' holds CAP_' || k.cap, 'Process ' || p.pid || ' (' || "
	  "coalesce(p.comm, '?') || ') has CAP_' || k.cap || ' in its "
	  "effective set, which no inspect record of the container explains "
	  "(not privileged, not added).', 'processes', min(p.id) "
	  "FROM capabilities k JOIN processes p ON p.id = k.process_id "
	  "LEFT JOIN containers c ON c.id = p.container_id "
	  "WHERE k.\"set\" = 'eff' AND p.container_id IS NOT NULL AND k.cap IN "
	  "('SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'DAC_READ_SEARCH', "
	  "'NET_ADMIN', 'BPF', 'SYS_RAWIO') AND coalesce(c.privileged, 0) "
	  "<> 1 AND NOT EXISTS (SELECT 1 FROM container_caps x WHERE "
	  "x.container_id = p.container_id AND x.op = 'add' AND x.cap IN "
	  "(k.cap, 'ALL')) GROUP BY p.container_id, k.cap "
	  "ORDER BY p.container_id, k.cap" },
	{ "sensitive mounts",
	  "SELECT r, CASE r WHEN 'posture.mount.sensitive' THEN 'high' ELSE "
	  "'critical' END, 'T1611,T1610', id, 'Container ' || nm || ' mounts "
	  "the host''s ' || source || ' at ' || destination, CASE r WHEN "
	  "'posture.mount.runtime_socket' THEN 'The container runtime''s API "
	  "socket is inside the container: whoever reaches it starts a "
	  "privileged container with the host''s / mounted.' WHEN "
	  "'posture.mount.host_root' THEN 'The host''s whole filesystem is "
	  "mounted in the container' || CASE WHEN rw = 0 THEN ' (read-only).' "
	  "ELSE ', writable.' END ELSE 'A host path that exposes the host "
	  "(devices, kernel interfaces, runtime state, credentials) is "
	  "mounted' || CASE WHEN rw = 0 THEN ' read-only.' ELSE ', writable.' "
	  "END END, 'container_mounts', id || ':' || destination, "
	  "'containers', id FROM (SELECT CASE WHEN m.source LIKE "
	  "'%/docker.sock' OR m.source LIKE '%/containerd.sock' OR m.source "
	  "LIKE '%/crio.sock' OR m.source LIKE '%/podman.sock' OR "
	  "m.destination LIKE '%/docker.sock' THEN "
	  "'posture.mount.runtime_socket' WHEN m.source = '/' THEN "
	  "'posture.mount.host_root' ELSE 'posture.mount.sensitive' END AS r, "
	  "c.id, " NAME " AS nm, m.source, m.destination, m.rw "
	  "FROM container_mounts m JOIN containers c ON c.id = m.container_id "
	  "WHERE m.source LIKE '%/docker.sock' OR m.source LIKE "
	  "'%/containerd.sock' OR m.source LIKE '%/crio.sock' OR m.source "
	  "LIKE '%/podman.sock' OR m.destination LIKE '%/docker.sock' OR "
	  "rtrim(m.source, '/') IN ('', '/proc', '/sys', '/etc', '/dev', "
	  "'/run', '/var/run', '/var/lib/kubelet', '/var/lib/docker', "
	  "'/var/lib/containerd', '/root', '/boot', '/lib/modules', "
	  "'/sys/fs/cgroup', '/run/containerd', '/var/run/docker')) "
	  "ORDER BY id, destination" },
	{ "host namespaces",
	  "SELECT 'posture.ns.host_' || ns, CASE ns WHEN 'uts' THEN 'medium' "
	  "ELSE 'high' END, 'T1611', id, 'Container ' || nm || ' shares the "
	  "host''s ' || ns || ' namespace', CASE ns WHEN 'pid' THEN 'It sees "
	  "and can signal every host process; with CAP_SYS_PTRACE it can "
	  "inject into them, and /proc/1/root is the host''s /.' WHEN 'net' "
	  "THEN 'It sees every host interface and localhost-only service, "
	  "and can sniff host traffic.' WHEN 'ipc' THEN 'It shares the "
	  "host''s System V IPC and POSIX shared memory.' ELSE 'It can change "
	  "the host''s hostname.' END, 'containers', id "
	  "FROM (SELECT c.id, " NAME " AS nm, 'pid' AS ns FROM container_meta "
	  "m JOIN containers c ON c.id = m.container_id WHERE m.pid_mode = "
	  "'host' UNION ALL SELECT c.id, " NAME ", 'net' FROM container_meta m "
	  "JOIN containers c ON c.id = m.container_id WHERE m.net_mode = "
	  "'host' UNION ALL SELECT c.id, " NAME ", 'ipc' FROM container_meta m "
	  "JOIN containers c ON c.id = m.container_id WHERE m.ipc_mode = "
	  "'host' UNION ALL SELECT c.id, " NAME ", 'uts' FROM container_meta m "
	  "JOIN containers c ON c.id = m.container_id WHERE m.uts_mode = "
	  "'host') GROUP BY id, ns ORDER BY id, ns" },
	{ "unconfined profiles",
	  "SELECT 'posture.' || k || '.unconfined', 'high', 'T1611', id, "
	  "'Container ' || nm || ' runs with ' || k || ' unconfined', "
	  "CASE k WHEN 'seccomp' THEN 'No system call filter: every syscall "
	  "the kernel offers (keyctl, bpf, userfaultfd, unshare...) is "
	  "reachable from the container.' ELSE 'No AppArmor profile "
	  "confines the container''s processes.' END, 'containers', id "
	  "FROM (SELECT c.id, " NAME " AS nm, 'seccomp' AS k FROM "
	  "container_meta m JOIN containers c ON c.id = m.container_id WHERE "
	  "lower(m.seccomp) = 'unconfined' UNION ALL SELECT c.id, " NAME ", "
	  "'apparmor' FROM container_meta m JOIN containers c ON c.id = "
	  "m.container_id WHERE lower(m.apparmor) = 'unconfined') "
	  "GROUP BY id, k ORDER BY id, k" },
	{ "writable cgroup mounts",
	  "SELECT 'posture.cgroup.writable', 'high', 'T1611', cid, 'Container "
	  "' || substr(cid, 1, 12) || ' has a writable cgroup filesystem', "
	  "count(*) || ' cgroup hierarch' || CASE WHEN count(*) > 1 THEN "
	  "'ies are' ELSE 'y is' END || ' mounted read-write, first at ' || "
	  "min(point) || ': a root process can set release_agent or "
	  "notify_on_release and run a program on the host.', min(rel), "
	  "min(k) FROM ("
	  "SELECT m.container_id AS cid, m.destination AS point, "
	  "'container_mounts' AS rel, m.container_id || ':' || m.destination "
	  "AS k FROM container_mounts m WHERE m.destination LIKE "
	  "'/sys/fs/cgroup%' AND m.rw = 1 "
	  "UNION ALL SELECT min(p.container_id), mt.mountpoint, 'mounts', "
	  "mt.artifact_id || ':' || mt.mnt_ns || ':' || mt.mount_id "
	  "FROM mounts mt JOIN namespaces n ON n.artifact_id = mt.artifact_id "
	  "AND n.kind = 'mnt' AND n.inode = mt.mnt_ns JOIN processes p ON "
	  "p.id = n.process_id AND p.container_id IS NOT NULL "
	  "WHERE mt.fstype IN ('cgroup', 'cgroup2') AND (mt.options = 'rw' "
	  "OR mt.options LIKE 'rw,%') GROUP BY mt.artifact_id, mt.mnt_ns, "
	  "mt.mount_id) GROUP BY cid ORDER BY cid" },
	{ "writable root filesystem",
	  "SELECT 'posture.rootfs.writable', 'low', 'T1610', c.id, 'Container "
	  "' || " NAME " || ' has a writable root filesystem', 'Files the "
	  "image shipped can be changed and new executables dropped "
	  "(--read-only prevents it).', 'containers', c.id "
	  "FROM container_meta m JOIN containers c ON c.id = m.container_id "
	  "WHERE m.readonly_rootfs = 0 GROUP BY c.id ORDER BY c.id" },
	{ "no resource limits",
	  "SELECT 'posture.limits.none', 'low', '', c.id, 'Container ' || "
	  NAME " || ' has no memory or CPU limit', 'A runaway or malicious "
	  "process (a miner, a fork bomb) can starve the host.', "
	  "'containers', c.id "
	  "FROM container_meta m JOIN containers c ON c.id = m.container_id "
	  "WHERE coalesce(m.memory_limit, 0) <= 0 AND coalesce(m.cpu_limit, "
	  "0) <= 0 GROUP BY c.id ORDER BY c.id" },
	{ "a container process in the host's namespaces",
	  "WITH host AS (SELECT h.artifact_id, max(CASE WHEN h.kind = 'mnt' "
	  "THEN h.inode END) AS mnt, max(CASE WHEN h.kind = 'net' THEN "
	  "h.inode END) AS net FROM namespace_all h WHERE h.pid = 1 AND "
	  "EXISTS (SELECT 1 FROM namespace_all x WHERE x.artifact_id = "
	  "h.artifact_id AND x.pid = 1 AND x.kind = 'pid' AND x.inode = "
	  "4026531836) GROUP BY h.artifact_id) "
	  "SELECT 'posture.escape.host_ns', 'critical', 'T1611', "
	  "p.container_id, 'Process ' || p.pid || ' (' || coalesce(p.comm, "
	  "'?') || ') of container ' || substr(p.container_id, 1, 12) || ' is "
	  "in the host''s ' || group_concat(n.kind, ', ') || ' namespace', "
	  "'Its cgroup places it in the container, but its namespaces are "
	  "the host''s, which the container was not configured to share: "
	  "the mark of a completed escape (setns into the host''s "
	  "namespaces, nsenter -t 1).', 'processes', p.id "
	  "FROM processes p JOIN namespaces n ON n.process_id = p.id "
	  "LEFT JOIN host h ON h.artifact_id = p.artifact_id "
	  "LEFT JOIN container_meta m ON m.container_id = p.container_id "
	  "WHERE p.container_id IS NOT NULL AND p.container_rule = 'cgroup' "
	  "AND ((n.kind = 'pid' AND n.inode = 4026531836 AND "
	  "coalesce(m.pid_mode, '') <> 'host') OR (n.kind = 'mnt' AND "
	  "(n.inode = h.mnt OR n.inode = 4026531832)) OR (n.kind = 'net' AND "
	  "(n.inode = h.net OR n.inode = 4026531833) AND coalesce(m.net_mode, "
	  "'') <> 'host')) GROUP BY p.id ORDER BY p.id" },
	{ "a host process under a runtime shim",
	  "WITH RECURSIVE anc(id, artifact_id, apid, depth) AS ("
	  "SELECT p.id, p.artifact_id, p.ppid, 0 FROM processes p WHERE "
	  "p.container_id IS NULL AND p.ppid > 1 AND EXISTS (SELECT 1 FROM "
	  "procinfo_all i WHERE i.artifact_id = p.artifact_id AND i.pid = "
	  "p.pid) "
	  "UNION ALL SELECT a.id, a.artifact_id, q.ppid, a.depth + 1 FROM anc "
	  "a JOIN process_all q ON q.artifact_id = a.artifact_id AND q.pid = "
	  "a.apid WHERE a.depth < 64 AND q.ppid > 1 AND q.comm NOT LIKE "
	  "'containerd-shim%' AND q.comm NOT IN ('conmon', 'runc', 'crun', "
	  "'docker-containe')) "
	  "SELECT 'posture.escape.shim_child', 'high', 'T1611', NULL, "
	  "'Host process ' || p.pid || ' (' || coalesce(p.comm, '?') || ') "
	  "descends from the runtime shim ' || s.pid || ' (' || s.comm || ')', "
	  "'Its parent chain leads to ' || s.comm || ', which starts "
	  "container processes, yet it is in no container (cgroup, inspect "
	  "pid, namespaces): a process that left its container or was "
	  "started beside it.', 'processes', p.id, 'processes', s.id "
	  "FROM anc a JOIN process_all s ON s.artifact_id = a.artifact_id AND "
	  "s.pid = a.apid AND (s.comm LIKE 'containerd-shim%' OR s.comm IN "
	  "('conmon', 'runc', 'crun', 'docker-containe')) JOIN processes p ON "
	  "p.id = a.id GROUP BY p.id ORDER BY p.id" },
};

static int
posture_finish(struct an_ctx *ctx, struct dd_err *e)
{
	return sqlrule_run(ctx, posture_rules, ARRAY_SIZE(posture_rules), e);
}

static const char *
posture_rules_text(void)
{
	return sqlrule_text("posture", posture_rules,
	    ARRAY_SIZE(posture_rules));
}

const struct analyzer an_posture = {
	.abi = ANALYZER_ABI,
	.name = "posture",
	.version = "1.0",
	.summary = "container configuration and escapes: privileged, added "
		   "capabilities, sensitive mounts, host namespaces, "
		   "unconfined profiles, writable cgroups, processes in the "
		   "host's namespaces or under a shim",
	.needs = AN_NEEDS_PROC,
	.finish = posture_finish,
	.rules = posture_rules_text,
};
