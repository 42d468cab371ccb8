#!/usr/bin/env bash
# procsnap.sh: a /proc snapshot of BENCH_PROCS processes (2,000 by
# default): `drydock ingest` of the collector's tar against issue 7's
# one-second target ("a /proc snapshot of 2,000 processes in under a
# second", read as the import, like the core figure beside it), and
# datasets/collect/proc-snapshot.sh itself for information, with two
# references: `ps -eo pid,ppid,comm,user,args` (reads 3 files a process,
# writes nothing) and the floor of any collector of the same evidence,
# `cat` of the same 15 files of every process into /dev/null (no copy, no
# archive): the kernel's cost of producing them is most of the collector's.
set -euo pipefail
BENCH_TAG=procsnap
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
N=${BENCH_PROCS:-2000}
TGT=1.0	# seconds, the import

[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_PROCS must be a positive integer"
mkdir -p "$BD"
WORK=$BD/procsnap-work.$$
mkdir -p "$WORK"
PIDS=()
cleanup() {
	[ ${#PIDS[@]} -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
have=$(ls -d /proc/[0-9]* | wc -l)
for _ in $(seq $((N > have ? N - have : 0))); do
	sleep 3600 </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
done
sleep 1
NP=$(ls -d /proc/[0-9]* | wc -l)

# The floor: the per-process files the collector copies, read by one cat.
cat >"$WORK/floor.sh" <<'SH'
cd /proc || exit 1
for p in [0-9]*; do
	printf '%s\n' "$p/stat" "$p/status" "$p/statm" "$p/comm" "$p/cmdline" \
	    "$p/environ" "$p/maps" "$p/cgroup" "$p/mountinfo" "$p/limits" \
	    "$p/loginuid" "$p/oom_score_adj" "$p/uid_map" "$p/gid_map" \
	    "$p/setgroups"
done | xargs cat >/dev/null 2>&1
exit 0
SH
for f in c i p r; do : >"$WORK/$f"; done
for _ in $(seq "$RUNS"); do
	timed ps -eo pid,ppid,comm,user,args >/dev/null
	echo "$T_WALL" >>"$WORK/p"
	timed sh "$WORK/floor.sh"
	echo "$T_WALL" >>"$WORK/r"
	timed sh datasets/collect/proc-snapshot.sh "$WORK/snap.tar"
	echo "$T_WALL" >>"$WORK/c"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	timed "$DD" -q ingest "$WORK/c.dd" "$WORK/snap.tar"
	echo "$T_WALL" >>"$WORK/i"
done
C=$(median <"$WORK/c")
I=$(median <"$WORK/i")
P=$(median <"$WORK/p")
R=$(median <"$WORK/r")
MB=$(($(stat -c %s "$WORK/snap.tar") >> 20))
NPROC=$("$DD" query --format csv "$WORK/c.dd" "select count(*) from processes" | tail -1)

ROWS=()
row "import of a snapshot of $NP processes, $MB MiB (s)" "$I" - - - \
    "< $TGT s" "$(yes_no "$I < $TGT")"
row "collector, $NP processes (s)" "$C" "$R" "cat, the floor" \
    "$(ratio "$C" "$R")" - -
row "ps -eo over the same processes (s)" "$P" - - - - -
row "processes imported" "$NPROC" "$NP" "/proc" - - -
append_results
echo
print_table
echo "(median of $RUNS runs; $(nproc) cores; build/bench/results.tsv)"
