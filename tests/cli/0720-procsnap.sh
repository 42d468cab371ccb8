#!/usr/bin/env bash
# 0720-procsnap: the /proc snapshot importer against ps, /proc and the
# fixture's own files.
#
# (a) A snapshot is collected here (datasets/collect/proc-snapshot.sh)
# while marker processes live: a sleep with an extra environment
# variable, a copy of sleep run from /tmp and then deleted, and a python
# listener on a TCP port. The imported processes are compared with
# `ps -eo pid,ppid,comm` taken before and after (those in both; kworkers,
# whose names follow the work they do, excepted); the
# markers' capability sets with their /proc status, their namespaces with
# readlink /proc/PID/ns/*, their open fds with ls /proc/PID/fd, the
# listener's socket (port, LISTEN, owner pid) with the kernel's table.
# (b) ../shared/fixtures/proc (libsinsp's fake-proc, a Docker container's
# view): processes grouped by Tgid (thread directories become threads),
# the container id from the cgroup path, the Docker default capability set
# 00000000a80425fb decoded to its 14 names, mounts once per namespace.
# (c) Bad input: a process without status, a truncated tar, garbage lines
# in maps, mountinfo and net tables (anomalies, never a crash), a tar that
# is not a snapshot (rejected, case unchanged).
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
C=$T/case.drydock
dk init "$C"
COL=$PWD/datasets/collect/proc-snapshot.sh

# ---- (a) a snapshot of this machine ----
env DRYDOCK_MARKER=procsnap-test sleep 1000 </dev/null >/dev/null 2>&1 &
M1=$!
t_bg "$M1"
cp "$(command -v sleep)" "$T/gone-sleep"
"$T/gone-sleep" 1001 </dev/null >/dev/null 2>&1 &
M2=$!
t_bg "$M2"
/usr/bin/python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open("'"$T"'/port", "w").write(str(s.getsockname()[1])); time.sleep(1000)' \
	</dev/null >/dev/null 2>&1 &
M3=$!
t_bg "$M3"
for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
rm -f "$T/gone-sleep"
PORT=$(cat "$T/port")
ps -eo pid=,ppid=,comm= | awk '{ print $1 "," $2 "," $3 }' | sort >"$T/ps.before"
run sh "$COL" "$T/snap.tar"
expect_rc 0 "collector ran"
ps -eo pid=,ppid=,comm= | awk '{ print $1 "," $2 "," $3 }' | sort >"$T/ps.after"
dk ingest "$C" "$T/snap.tar"
expect_rc 0 "snapshot imports"
expect_out "sniffed as procsnap" ", procsnap, "
A=$(q "$C" "select id from artifacts where name = '$T/snap.tar'")
comm -12 "$T/ps.before" "$T/ps.after" >"$T/ps.both"
q "$C" "select pid || ',' || ppid || ',' || comm from processes where artifact_id = $A" |
	sort >"$T/dd.ps"
missing=$(comm -23 "$T/ps.both" "$T/dd.ps" | grep -v -e ",ps$" -e "^[0-9]*,2,kworker" | wc -l)
expect_eq "every process ps saw before and after is imported alike" "0" "$missing"
[ "$missing" -eq 0 ] || comm -23 "$T/ps.both" "$T/dd.ps" | head -5
for p in $M1 $M2 $M3; do
	for set in Eff Prm Bnd; do
		want=$(awk -v k="Cap$set:" '$1 == k { print $2 }' /proc/$p/status)
		got=$(q "$C" "select printf('%016x', cap_$(echo $set | tr A-Z a-z)) from process_info where artifact_id = $A and pid = $p")
		[ "$want" = "$got" ] || fail_only "pid $p Cap$set: /proc $want, drydock $got"
	done
	want=$(for n in /proc/$p/ns/*; do echo "$(basename "$n") $(readlink "$n" | tr -dc 0-9)"; done | sort)
	got=$(q "$C" "select kind || ' ' || inode from namespaces where artifact_id = $A and pid = $p order by kind")
	[ "$want" = "$got" ] || fail_only "pid $p namespaces differ"
	want=$(ls /proc/$p/fd | sort -n | tr '\n' ' ')
	got=$(q "$C" "select fd from open_files where artifact_id = $A and pid = $p order by fd" | tr '\n' ' ')
	[ "$want" = "$got" ] || fail_only "pid $p fds: /proc '$want', drydock '$got'"
done
ok "capability sets, namespaces and fds of the markers match /proc"
expect_eq "environ holds the marker's variable" "procsnap-test" \
	"$(q "$C" "select value from environ where artifact_id = $A and pid = $M1 and name = 'DRYDOCK_MARKER'")"
expect_eq "the deleted executable shows in exe" "$T/gone-sleep (deleted)" \
	"$(q "$C" "select exe from processes where artifact_id = $A and pid = $M2")"
expect_eq "the listener: 127.0.0.1:$PORT LISTEN, held by its pid" "127.0.0.1,$PORT,LISTEN,$M3" \
	"$(q "$C" "select local || ',' || lport || ',' || state || ',' || owner_pid from sockets where artifact_id = $A and proto = 'tcp' and lport = $PORT")"
expect_eq "maps of the marker, as /proc lists them" "$(wc -l </proc/$M1/maps)" \
	"$(q "$C" "select count(*) from mappings where artifact_id = $A and pid = $M1 and source = 'maps'")"
expect_eq "start time from stat and the boot time, as ps tells it" \
	"$(date -d "$(ps -o lstart= -p "$M1")" +%s)" \
	"$(q "$C" "select start_ts / 1000000000 from processes where artifact_id = $A and pid = $M1")"
expect_eq "hostname label" "$(cat /proc/sys/kernel/hostname)" \
	"$(q "$C" "select value from labels where artifact_id = $A and key = 'snapshot.hostname'")"

mkdir -p "$T/nest/host1" && tar -xf "$T/snap.tar" -C "$T/nest/host1" &&
	tar -cf "$T/nest.tar" -C "$T/nest" host1
dk ingest "$C" "$T/nest.tar"
expect_out "a snapshot copied under a directory is still one" ", procsnap, "
expect_eq "with the same processes" \
	"$(q "$C" "select count(*) from processes where artifact_id = $A")" \
	"$(q "$C" "select count(*) from processes p join artifacts a on a.id = p.artifact_id where a.name = '$T/nest.tar'")"

# ---- (b) the fixture ----
F=../shared/fixtures/proc/libs_fake-proc.tar.gz
if [ -f "$F" ]; then
	dk ingest "$C" "$F"
	expect_rc 0 "fake-proc imports"
	B=$(q "$C" "select id from artifacts where name = '$F'")
	mkdir -p "$T/fp" && tar -xzf "$F" -C "$T/fp"
	want=$(for s in "$T"/fp/_proc/*/status; do
		awk '$1 == "Tgid:" { t = $2 } $1 == "Pid:" { p = $2 } END { if (t == p) print p }' "$s"
	done | sort -n | tr '\n' ' ')
	expect_eq "processes: the directories whose Tgid is their Pid" "$want" \
		"$(q "$C" "select pid from processes where artifact_id = $B order by pid" | tr '\n' ' ')"
	expect_eq "threads of perl (62725): its four" "4" \
		"$(q "$C" "select count(distinct tid) from threads where artifact_id = $B and pid = 62725")"
	cid=$(sed -n 's|.*:/docker/\([0-9a-f]\{64\}\)$|\1|p' "$T/fp/_proc/1/cgroup" | head -1)
	expect_eq "container from the cgroup path, for every process" "3 $cid cgroup" \
		"$(q "$C" "select count(*) || ' ' || max(container_id) || ' ' || max(container_rule) from processes where artifact_id = $B")"
	expect_eq "Docker's default set decoded" \
		"AUDIT_WRITE,CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,MKNOD,NET_BIND_SERVICE,NET_RAW,SETFCAP,SETGID,SETPCAP,SETUID,SYS_CHROOT" \
		"$(q "$C" "select group_concat(cap, ',') from (select cap from capabilities where artifact_id = $B and pid = 1 and \"set\" = 'bnd' order by cap)")"
	expect_eq "seccomp filter mode" "2" \
		"$(q "$C" "select seccomp from process_info where artifact_id = $B and pid = 1")"
	expect_eq "mounts: the mountinfo of pid 1, once" "$(grep -c . "$T/fp/_proc/1/mountinfo")" \
		"$(q "$C" "select count(*) from mounts where artifact_id = $B")"
	expect_eq "the ns links (tar symlinks) read" "$(readlink "$T/fp/_proc/1/ns/pid" | tr -dc 0-9)" \
		"$(q "$C" "select inode from namespaces where artifact_id = $B and pid = 1 and kind = 'pid'")"
else
	echo "skip: ../shared/fixtures/proc absent"
fi

# ---- (c) bad input ----
mkdir -p "$T/bad/proc/10" "$T/bad/proc/11/fdinfo" "$T/bad/proc/12"
printf 'collector=drydock-proc-snapshot\nref_pid=11\n' >"$T/bad/meta.txt"
printf '11/ns/net -> net:[77]\n11/fd/0 -> socket:[5]\n11/exe\n' >"$T/bad/links.txt"
printf 'Name:\tok\nPid:\t11\nTgid:\t11\nPPid:\t1\nCapEff:\tzz\nUid:\t0\n' >"$T/bad/proc/11/status"
printf 'garbage line\n00400000-00401000 r-xp 00000000 08:01 1 /bin/x\n' >"$T/bad/proc/11/maps"
printf 'not mountinfo\n' >"$T/bad/proc/11/mountinfo"
printf '0::/docker/%s\n' "$(printf 'ab%.0s' $(seq 32))" >"$T/bad/proc/11/cgroup"
printf 'pos:\tx\nflags:\t9\n' >"$T/bad/proc/11/fdinfo/0"
printf 'cmdline only\n' >"$T/bad/proc/10/cmdline"
printf 'Name:\tthread\nPid:\t12\nTgid:\t11\n' >"$T/bad/proc/12/status"
(cd "$T/bad" && tar -cf "$T/bad.tar" meta.txt links.txt proc)
dk ingest "$C" "$T/bad.tar"
expect_rc 0 "a damaged snapshot imports"
a=$(q "$C" "select id from artifacts where name = '$T/bad.tar'")
expect_eq "one process (10 has no status, 12 is a thread)" "11" \
	"$(q "$C" "select group_concat(pid) from processes where artifact_id = $a")"
expect_ne "anomalies recorded (no status, maps, mountinfo)" "0" \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $a")"
expect_eq "the bad CapEff is unknown, the good maps line kept" ",1" \
	"$(q "$C" "select coalesce(cap_eff, '') || ',' || (select count(*) from mappings m where m.artifact_id = $a) from process_info where artifact_id = $a")"
expect_eq "the docker id from a cgroup v2 path" "$(printf 'ab%.0s' $(seq 32))" \
	"$(q "$C" "select container_id from processes where artifact_id = $a")"
head -c 2100 "$T/snap.tar" >"$T/cut.tar"
dk ingest "$C" --as procsnap "$T/cut.tar"
if [ "$RC" -eq 0 ]; then
	ok "a truncated snapshot imports what precedes the cut"
else
	expect_rc 1 "a truncated snapshot without a whole process is rejected"
fi
s0=$(case_state "$C")
(cd "$T/bad" && tar -cf "$T/other.tar" links.txt)
dk ingest "$C" --as procsnap "$T/other.tar"
expect_rc 1 "a tar without processes is rejected"
expect_err "naming it" "other.tar" "no process"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
t_sanitized && fail "sanitizer report"
dk verify "$C"
expect_rc 0 "the case verifies"
t_done
