#!/usr/bin/env bash
# procsnap.sh: a /proc snapshot of BENCH_PROCS processes (2,000 by
# default): datasets/collect/proc-snapshot.sh and `drydock ingest` of its
# tar, each against the issue's one-second target; `ps -eo
# pid,ppid,comm,user,args` over the same processes is the peer, for scale
# (it reads a fifth of what the collector keeps and writes no archive).
set -euo pipefail
BENCH_TAG=procsnap
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
N=${BENCH_PROCS:-2000}
TGT=1.0	# seconds, collector and import alike

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

for f in c i p; do : >"$WORK/$f"; done
for _ in $(seq "$RUNS"); do
	timed ps -eo pid,ppid,comm,user,args >/dev/null
	echo "$T_WALL" >>"$WORK/p"
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
MB=$(($(stat -c %s "$WORK/snap.tar") >> 20))
NPROC=$("$DD" query --format csv "$WORK/c.dd" "select count(*) from processes" | tail -1)

ROWS=()
row "snapshot of $NP processes (s)" "$C" "$P" "ps -eo" "$(ratio "$C" "$P")" \
    "< $TGT s" "$(yes_no "$C < $TGT")"
row "import of it, $MB MiB (s)" "$I" - - - "< $TGT s" "$(yes_no "$I < $TGT")"
row "processes imported" "$NPROC" "$NP" "/proc" - - -
append_results
echo
print_table
echo "(median of $RUNS runs; $(nproc) cores; build/bench/results.tsv)"
