#!/usr/bin/env bash
# 0700-proc-snapshot: datasets/collect/proc-snapshot.sh against ps and /proc.
#
# The collector is run on this machine while a marker process (a sleep with
# a known argument and a file held open on fd 3) lives; its tar is
# extracted and compared with an independent oracle: `ps -eo pid,ppid,comm`
# taken before and after (processes present in both, unchanged), the
# marker's cmdline read from /proc, `readlink /proc/PID/ns/pid` and the fd
# held open. Then: meta.txt fields, no symlink members, '-' writes a tar to
# stdout, usage errors exit 2, an unwritable output exits 1, and the script
# passes `dash -n` (and checkbashisms when installed).
set -u
. "$(dirname "$0")/../lib/lib.sh"

C=$PWD/datasets/collect/proc-snapshot.sh

if command -v dash >/dev/null; then
	check "dash -n" dash -n "$C"
else
	fail_only "dash is not installed"
fi
if command -v checkbashisms >/dev/null; then
	check "checkbashisms" checkbashisms "$C"
fi
[ -x "$C" ] && ok "collector is executable" || fail_only "collector is not executable"

# The marker: a long-lived process with a known argv and fd 3 open.
echo held >"$T/held file.txt"
# (GNU sleep would reject extra arguments, so a waiting sh carries them.)
left_before=$(ls -d /dev/shm/proc-snapshot.* "${TMPDIR:-/tmp}"/proc-snapshot.* 2>/dev/null)
(exec 3<"$T/held file.txt"; exec sh -c 'sleep 1000; :' marker-arg "two words") \
	</dev/null >/dev/null 2>&1 &
MP=$!
t_bg "$MP"
sleep 0.3

ps -eo pid=,ppid=,comm= | sort -n >"$T/ps.before"
run sh "$C" "$T/snap.tar"
expect_rc 0 "snapshot to a file exits 0"
ps -eo pid=,ppid=,comm= | sort -n >"$T/ps.after"

mkdir "$T/x"
check "the tar extracts" tar -xf "$T/snap.tar" -C "$T/x"
X=$T/x

# The oracle: processes in both ps listings with the same ppid and comm
# (kworkers excepted: their names follow the work they are doing).
join <(awk '{print $1, $2, $3}' "$T/ps.before") \
	<(awk '{print $1, $2, $3}' "$T/ps.after") |
	awk '$2 == $4 && $3 == $5 && $3 !~ /^kworker\// {print $1, $2, $3}' >"$T/stable"
n=0 bad=0 miss=0
while read -r pid ppid comm; do
	n=$((n + 1))
	st=$X/proc/$pid/status
	if [ ! -s "$st" ]; then
		miss=$((miss + 1))
		echo "    missing: $pid $comm"
		continue
	fi
	sp=$(sed -n 's/^PPid:\t//p' "$st")
	sn=$(sed -n 's/^Name:\t//p' "$st")
	if [ "$sp" != "$ppid" ] || [ "$sn" != "$comm" ]; then
		bad=$((bad + 1))
		echo "    differs: ps '$pid $ppid $comm', snapshot '$pid $sp $sn'"
	fi
done <"$T/stable"
if [ "$n" -gt 3 ] && [ "$miss" -eq 0 ] && [ "$bad" -eq 0 ]; then
	ok "status PPid/Name of all $n stable processes equal ps"
else
	fail_only "ps oracle: $n stable, $miss missing, $bad differ"
fi

# /proc files are copied with their contents (tar alone stores 0 bytes).
e=
for f in status stat cmdline maps cgroup mountinfo environ limits; do
	[ -s "$X/proc/$MP/$f" ] || e="$e $f"
done
expect_eq "marker files have contents (empty or missing:$e)" "" "$e"
expect_eq "stat pid field" "$MP" "$(cut -d' ' -f1 "$X/proc/$MP/stat")"
expect_eq "cmdline equals /proc's" "$(tr '\0' ' ' </proc/$MP/cmdline)" \
	"$(tr '\0' ' ' <"$X/proc/$MP/cmdline")"
expect_eq "cmdline is the marker's argv" "sh -c sleep 1000; : marker-arg two words " \
	"$(tr '\0' ' ' <"$X/proc/$MP/cmdline")"
expect_eq "maps equal /proc's" "$(sha256sum </proc/$MP/maps)" \
	"$(sha256sum <"$X/proc/$MP/maps")"
expect_eq "environ equals /proc's" "$(sha256sum </proc/$MP/environ)" \
	"$(sha256sum <"$X/proc/$MP/environ")"

L=$X/links.txt
expect_eq "ns/pid target = readlink" "$MP/ns/pid -> $(readlink /proc/$MP/ns/pid)" \
	"$(grep "^$MP/ns/pid -> " "$L")"
expect_eq "ns/net target = readlink" "$MP/ns/net -> $(readlink /proc/$MP/ns/net)" \
	"$(grep "^$MP/ns/net -> " "$L")"
expect_eq "fd 3 is the held file" "$MP/fd/3 -> $T/held file.txt" \
	"$(grep "^$MP/fd/3 -> " "$L")"
expect_eq "exe = readlink" "$MP/exe -> $(readlink /proc/$MP/exe)" \
	"$(grep "^$MP/exe -> " "$L")"
expect_eq "cwd = readlink" "$MP/cwd -> $(readlink /proc/$MP/cwd)" \
	"$(grep "^$MP/cwd -> " "$L")"
if [ -s "$X/proc/$MP/fdinfo/3" ] && grep -q '^pos:' "$X/proc/$MP/fdinfo/3"; then
	ok "fdinfo/3 copied"
else
	fail_only "fdinfo/3 missing"
fi

# Host tables and meta.txt.
for f in proc/net/tcp proc/net/unix proc/mounts proc/version proc/uptime \
	proc/sys/kernel/hostname; do
	[ -s "$X/$f" ] || fail_only "host table $f missing"
done
ok "host tables checked"
M=$X/meta.txt
for k in collector version date_utc ts_ns hostname uname kernel boot_id uid \
	ref_pid processes_seen processes_vanished threads errors; do
	grep -q "^$k=." "$M" || fail_only "meta.txt lacks $k"
done
expect_eq "meta uid" "$(id -u)" "$(sed -n 's/^uid=//p' "$M")"
expect_eq "meta hostname" "$(cat /proc/sys/kernel/hostname)" "$(sed -n 's/^hostname=//p' "$M")"
seen=$(sed -n 's/^processes_seen=//p' "$M")
if [ "${seen:-0}" -ge "$n" ]; then ok "processes_seen ($seen) >= stable ($n)"; else fail_only "processes_seen $seen < $n"; fi
expect_eq "errors count = errors.txt lines" "$(wc -l <"$X/errors.txt")" \
	"$(sed -n 's/^errors=//p' "$M")"
expect_eq "no symlink or special members" "" \
	"$(tar -tvf "$T/snap.tar" | grep -v '^[-d]')"

# '-' writes the tar to stdout.
sh "$C" - >"$T/out.tar" 2>"$T/out.err"
rc=$?
expect_eq "'-' exits 0" 0 "$rc"
expect_eq "'-' gives a tar with meta.txt" "meta.txt" "$(tar -tf "$T/out.tar" | head -n 1)"

# Usage and output errors.
run sh "$C"
expect_rc 2 "no argument: exit 2"
expect_err "no argument: usage" "usage:"
run sh "$C" a.tar b.tar
expect_rc 2 "two arguments: exit 2"
run sh "$C" --bogus
expect_rc 2 "unknown option: exit 2"
run sh "$C" --help
expect_rc 0 "--help exits 0"
expect_out "--help prints usage" "usage:" "OUT.tar"
run sh "$C" "$T/no/such/dir/x.tar"
expect_rc 1 "unwritable output: exit 1"
expect_err "unwritable output: message" "cannot write"
run sh "$C" "$T"
expect_rc 1 "directory as output: exit 1"
if ! t_is_root; then
	mkdir "$T/ro" && chmod 555 "$T/ro"
	run sh "$C" "$T/ro/x.tar"
	expect_rc 1 "read-only directory: exit 1"
fi
# Nothing left behind in the temporary directories.
expect_eq "no temporary tree left" "$left_before" \
	"$(ls -d /dev/shm/proc-snapshot.* "${TMPDIR:-/tmp}"/proc-snapshot.* 2>/dev/null)"

# The marker's sleep would outlive the kill of its sh: end it first.
for c in $(cat "/proc/$MP/task/$MP/children" 2>/dev/null); do
	kill "$c" 2>/dev/null
done
kill "$MP" 2>/dev/null
wait "$MP" 2>/dev/null
t_done
