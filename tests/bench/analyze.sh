#!/usr/bin/env bash
# analyze.sh: the whole analyzer run against one scan of its inputs (run by
# bench.sh unless BENCH_ANALYZE=0; runs alone as well).
#
# The case: BENCH_ANALYZE_EVENTS syscall events (default 10,000,000) from a
# real strace -f -tt -T -yy recording of dd copying /dev/zero to /dev/null
# one byte at a time plus a few short programs (2,000,000 events, ingested
# as as many artifacts as needed), and BENCH_ANALYZE_PACKETS
# packets (default 1,000,000) of generated TCP and DNS traffic in one pcap
# (tests/bench/gen-pcap.py). Both are built once into build/bench.
#   analyze        drydock -q analyze CASE (every analyzer, one pass over
#                  events and one over flows)
#   scan           drydock query of max() over every events column the
#                  dispatcher reads, plus the same over flows: one scan of
#                  each
# Target (issue 9): analyze <= 2 x scan. Best of BENCH_RUNS runs.
set -euo pipefail
BENCH_TAG=bench-analyze
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
EV=${BENCH_ANALYZE_EVENTS:-10000000}
PK=${BENCH_ANALYZE_PACKETS:-1000000}
TGT=2.00
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROWS=()
command -v strace >/dev/null || die "strace is needed"

# strace under ptrace here records about 5,000 events a second: one
# recording of at most 2,000,000 events, ingested as several artifacts
# (copies that differ in a last exit line) up to EV events
BASE=$(( EV < 2000000 ? EV : 2000000 ))
TRACE=$BD/analyze-${BASE}ev.txt
if [ ! -s "$TRACE" ]; then
	say "recording $TRACE (about $BASE events)"
	strace -f -tt -T -yy -o "$TRACE.tmp" sh -c "
		dd if=/dev/zero of=/dev/null bs=1 count=$((BASE / 2)) 2>/dev/null
		for i in 1 2 3 4 5 6 7 8; do ls -la /usr/bin >/dev/null; \
		    cat /etc/passwd /etc/hostname >/dev/null; done" ||
		die "strace failed (is ptrace allowed?)"
	mv "$TRACE.tmp" "$TRACE"
fi
COPIES=$(( (EV + BASE - 1) / BASE ))
TRACES=("$TRACE")
for k in $(seq 2 "$COPIES"); do
	t=$BD/analyze-${BASE}ev-copy$k.txt
	if [ ! -s "$t" ]; then
		cp "$TRACE" "$t.tmp"
		echo "99999 23:59:59.999999 +++ exited with $k +++" >> "$t.tmp"
		mv "$t.tmp" "$t"
	fi
	TRACES+=("$t")
done
CAP=$BD/analyze-${PK}pk.pcap
if [ ! -s "$CAP" ]; then
	say "writing $CAP ($PK packets)"
	/usr/bin/python3 "$ROOT/tests/bench/gen-pcap.py" "$PK" "$CAP.tmp" ||
		die "cannot write the capture"
	mv "$CAP.tmp" "$CAP"
fi
C=$WORK/case.drydock
say "ingesting"
"$DD" -q init "$C" >/dev/null
"$DD" -q ingest "$C" "${TRACES[@]}" "$CAP" >/dev/null
NEV=$("$DD" query --format csv "$C" "SELECT count(*) FROM events" | tail -1)
NFL=$("$DD" query --format csv "$C" "SELECT count(*) FROM flows" | tail -1)
SQL_EV="SELECT max(id), max(artifact_id), max(kind), max(syscall), max(ts), \
max(pid), max(tid), max(comm), max(ret), max(ret_known), max(path), max(fd), \
max(args), max(container_id), max(process_id), max(errno), max(path2), \
max(fd_path), max(family), max(addr), max(port), max(flags), max(target) \
FROM events"
SQL_FL="SELECT max(id), max(proto), max(src), max(sport), max(dst), \
max(dport), max(first_ts), max(last_ts), max(packets), max(bytes), \
max(community_id), max(container_id) FROM flows"
best_a= best_s= rss=
for r in $(seq 1 "$RUNS"); do
	timed "$DD" query --format csv "$C" "$SQL_EV" >/dev/null
	s1=$T_WALL
	timed "$DD" query --format csv "$C" "$SQL_FL" >/dev/null
	s=$(awk -v a="$s1" -v b="$T_WALL" 'BEGIN { printf "%.3f", a + b }')
	best_s=$(minf "$best_s" "$s")
	timed "$DD" -q analyze "$C" >/dev/null
	best_a=$(minf "$best_a" "$T_WALL")
	rss=$(maxi "$rss" "$T_RSS")
done
ratio=$(awk -v a="$best_a" -v b="$best_s" 'BEGIN { printf "%.2f", a / b }')
ok=$(awk -v r="$ratio" -v t="$TGT" 'BEGIN { print (r <= t) ? "yes" : "NO" }')
row "analyze, all analyzers (s)" "$best_a" "$best_s" "scan events+flows" "$ratio" "<= $TGT" "$ok"
row "analyze peak RSS (MiB)" "$((rss / 1024))" - - - - -
print_table
echo "($NEV events, $NFL flows; best of $RUNS runs)"
for r in "${ROWS[@]}"; do printf '%s\n' "$r"; done >> "$BD/results.tsv"
