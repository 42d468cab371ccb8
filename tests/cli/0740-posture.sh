#!/usr/bin/env bash
# 0740-posture: container attribution and the posture analyzer.
#
# (a) Real inspect evidence (tests/data/inspect): the privileged podman
# container must raise posture.privileged (critical); the one with the
# host's pid namespace, CAP_SYS_ADMIN and /run bound must raise
# posture.ns.host_pid, posture.cap.sys_admin and posture.mount.sensitive;
# the plain non-root one (all capabilities dropped, read-only) nothing
# above low; the docker container (AppArmor docker-default) nothing above
# low; the crictl one, whose runtime spec has no seccomp filter,
# posture.seccomp.unconfined. Findings keep their ids across runs.
# (b) Attribution rules on a snapshot made here with known answers: a
# process whose cgroup names nothing but whose pid is a running
# container's inspect pid (inspect_pid), one sharing its pid, mount and
# network namespaces (namespace), one in a container's cgroup but in the
# host's pid namespace (posture.escape.host_ns), and a host process under
# containerd-shim (posture.escape.shim_child).
# (c) Live, when podman runs here (tests/data/inspect/make-podman.sh): a
# /proc snapshot taken while the three containers run, imported with
# their inspect output: each container's process is attributed to its
# container by its cgroup, and the host-pid container (configured so) is
# not reported as an escape.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
D=tests/data/inspect
C=$T/case.drydock
dk init "$C"
# rules CONTAINER-NAME: its posture rules with severities, sorted
rules() {
	q "$C" "select group_concat(x, ' ') from (select f.rule || ':' || f.severity as x from findings f join containers c on c.id = f.container_id where c.name = '$1' and f.analyzer = 'posture' order by x)"
}
worst() {
	q "$C" "select coalesce(max(case f.severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 when 'low' then 1 else 0 end), 0) from findings f join containers c on c.id = f.container_id where c.name = '$1'"
}

# ---- (a) ----
dk ingest "$C" "$D/podman-all.json" "$D/docker-mqtt.json" "$D/crictl-bpfman.json"
expect_rc 0 "inspect evidence imports"
dk analyze "$C" --only posture
expect_rc 0 "posture runs"
r=$(rules dd-priv)
case $r in *posture.privileged:critical*) ok "dd-priv: privileged, critical" ;;
*) fail_only "dd-priv: $r" ;; esac
r=$(rules dd-hostpid)
for want in posture.ns.host_pid:high posture.cap.sys_admin:critical posture.mount.sensitive:high; do
	case " $r " in *" $want "*) ok "dd-hostpid: $want" ;; *) fail_only "dd-hostpid lacks $want: $r" ;; esac
done
expect_eq "dd-plain: nothing above low" "1" "$(worst dd-plain)"
expect_eq "docker mqtt: nothing above low" "1" "$(worst mqtt)"
expect_eq "crictl bpfman: seccomp unconfined (no filter in its spec)" \
	"posture.seccomp.unconfined:high" "$(rules bpfman-operator)"
ids1=$(q "$C" "select group_concat(id) from (select id from findings where analyzer = 'posture' order by id)")
dk analyze "$C" --only posture
expect_eq "finding ids are stable across runs" "$ids1" \
	"$(q "$C" "select group_concat(id) from (select id from findings where analyzer = 'posture' order by id)")"

# ---- (b) attribution rules and escapes on a made snapshot ----
X=$(printf 'a1%.0s' $(seq 32))
Y=$(printf 'b2%.0s' $(seq 32))
S=$T/snap
mk() { # PID PPID COMM CGROUP NS-PID NS-MNT NS-NET
	mkdir -p "$S/proc/$1"
	printf 'Name:\t%s\nState:\tS (sleeping)\nTgid:\t%s\nPid:\t%s\nPPid:\t%s\nUid:\t0\t0\t0\t0\nCapEff:\t00000000a80425fb\n' \
		"$3" "$1" "$1" "$2" >"$S/proc/$1/status"
	printf '0::%s\n' "$4" >"$S/proc/$1/cgroup"
	printf '%s/ns/pid -> pid:[%s]\n%s/ns/mnt -> mnt:[%s]\n%s/ns/net -> net:[%s]\n' \
		"$1" "$5" "$1" "$6" "$1" "$7" >>"$S/links.txt"
}
mkdir -p "$S"
printf 'collector=drydock-proc-snapshot\nversion=1\nref_pid=1\n' >"$S/meta.txt"
: >"$S/links.txt"
mk 1 0 systemd / 4026531836 4026531840 4026531841
mk 100 90 nginx / 5001 5002 5003
mk 101 100 sh / 5001 5002 5003
mk 102 1 sh "/system.slice/docker-$Y.scope" 4026531836 4026531840 6003
mk 104 1 containerd-shim / 4026531836 4026531840 4026531841
mk 103 104 bash / 4026531836 4026531840 4026531841
(cd "$S" && tar -cf "$T/made.tar" meta.txt links.txt proc)
cat >"$T/made.json" <<JSON
[{"Id": "$X", "Name": "/web", "State": {"Status": "running", "Pid": 100},
  "HostConfig": {"Privileged": false, "PidMode": "", "NetworkMode": "bridge"},
  "Config": {"Image": "nginx"}},
 {"Id": "$Y", "Name": "/job", "State": {"Status": "running", "Pid": 102},
  "HostConfig": {"Privileged": false, "PidMode": "", "NetworkMode": "bridge"},
  "Config": {"Image": "busybox"}}]
JSON
dk ingest "$C" "$T/made.tar" "$T/made.json"
expect_rc 0 "the made snapshot and inspect output import"
A=$(q "$C" "select id from artifacts where name = '$T/made.tar'")
attr() { q "$C" "select coalesce(container_id, '') || ' ' || coalesce(container_rule, '') from processes where artifact_id = $A and pid = $1"; }
expect_eq "pid 100: the inspect pid" "$X inspect_pid" "$(attr 100)"
expect_eq "pid 101: its namespaces" "$X namespace" "$(attr 101)"
expect_eq "pid 102: its cgroup" "$Y cgroup" "$(attr 102)"
expect_eq "pid 103: the host's" " " "$(attr 103)"
dk analyze "$C" --only posture
expect_eq "pid 102 in the host's pid namespace: an escape" "critical" \
	"$(q "$C" "select severity from findings where rule = 'posture.escape.host_ns' and container_id = '$Y'")"
expect_eq "only that process" "1" "$(q "$C" "select count(*) from findings where rule = 'posture.escape.host_ns'")"
expect_eq "pid 103 under containerd-shim, in no container" "Host process 103 (bash) descends from the runtime shim 104 (containerd-shim)" \
	"$(q "$C" "select title from findings where rule = 'posture.escape.shim_child'")"

# ---- (c) live podman ----
if bash "$D/make-podman.sh" start >/dev/null 2>&1; then
	bash "$D/make-podman.sh" inspect "$T/live" >/dev/null 2>&1
	run sh datasets/collect/proc-snapshot.sh "$T/live.tar"
	bash "$D/make-podman.sh" stop >/dev/null 2>&1
	L=$T/live.drydock
	dk init "$L"
	dk ingest "$L" "$T/live.tar" "$T/live/podman-all.json"
	expect_rc 0 "a live snapshot and the containers' inspect output import"
	for n in priv hostpid plain; do
		id=$(jq -r '.[0].Id' "$T/live/podman-$n.json")
		pid=$(jq -r '.[0].State.Pid' "$T/live/podman-$n.json")
		expect_eq "dd-$n: its init ($pid) attributed by cgroup" "$id cgroup" \
			"$(q "$L" "select container_id || ' ' || container_rule from processes where pid = $pid")"
	done
	dk analyze "$L" --only posture
	expect_eq "the host-pid container (configured) is no escape" "0" \
		"$(q "$L" "select count(*) from findings where rule like 'posture.escape.%'")"
	expect_eq "posture flags the privileged one from inspect" "1" \
		"$(q "$L" "select count(*) from findings f join containers c on c.id = f.container_id where c.name = 'dd-priv' and f.rule = 'posture.privileged'")"
else
	echo "skip: podman cannot run containers here (make-podman.sh start failed)"
fi
t_sanitized && fail "sanitizer report"
t_done
