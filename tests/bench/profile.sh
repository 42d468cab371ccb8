#!/usr/bin/env bash
# profile.sh: `drydock profile check` (issue 12 target), on a case of
# 10 million syscall events (the scap capture of tui.sh: 30,200,000 raw
# enter/exit events of a real docker capture repeated by libscap's writer;
# case built once into build/bench/profile-case.dd).
#   check seccomp   profile check --seccomp docker-default.json --caps
#                   default, against one scan of events reading the
#                   columns the check reads (id, syscall, arch, flags,
#                   family) -- target: at most 1.5x the scan
#   check apparmor  profile check --apparmor of a generated profile, for
#                   information (it reads paths and return values too)
# Best of BENCH_RUNS runs (default 3), page cache warm; scan and check
# alternate. Prints the table of bench.sh and appends its rows to
# build/bench/results.tsv.
# Environment: DRYDOCK (default build/drydock), BENCH_RUNS.
set -euo pipefail
BENCH_TAG=bench-profile
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
WORK=$BD/profile-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
ROWS=()
DEF=$ROOT/tests/data/seccomp/docker-default.json
CASE=$BD/profile-case.dd
if [ ! -s "$CASE" ] || [ "$DD" -nt "$CASE" ]; then
	bench_scap_30m "$WORK"
	say "building the case (10 million events)"
	rm_case "$CASE"
	"$DD" -q init "$CASE" >/dev/null
	"$DD" -q ingest "$CASE" "$BD/scap-30m.scap" >/dev/null 2>&1 ||
	    die "cannot ingest the capture"
fi
NEV=$("$DD" query "$CASE" "SELECT count(*) FROM events WHERE kind = 'syscall'" | tail -1)
"$DD" -q profile apparmor "$CASE" -o "$WORK/gen.aa" 2>/dev/null ||
    die "cannot generate the AppArmor profile"
SCAN=("$DD" query --format csv "$CASE" "SELECT count(id), count(syscall), count(arch), count(flags), count(family) FROM events WHERE kind = 'syscall'")
CHK=("$DD" -q profile check "$CASE" --seccomp "$DEF" --caps default -o "$WORK/check.txt")
AA=("$DD" -q profile check "$CASE" --apparmor "$WORK/gen.aa" -o "$WORK/aa.txt")
S="" C="" A=""
for _ in $(seq 1 "$RUNS"); do
	timed "${SCAN[@]}" >/dev/null
	S=$(minf "$S" "$T_WALL")
	timed "${CHK[@]}"
	C=$(minf "$C" "$T_WALL")
	timed "${AA[@]}"
	A=$(minf "$A" "$T_WALL")
done
grep -q "^$NEV syscall events checked" "$WORK/check.txt" ||
    die "the check did not read every event: $(sed -n 4p "$WORK/check.txt")"
say "$NEV events: scan ${S}s, seccomp check ${C}s, apparmor check ${A}s"
row "profile check seccomp, 10M events (s)" "$C" "$S" "one scan of events" \
    "$(ratio "$C" "$S")" "<= 1.5" "$(yes_no "$C / $S <= 1.5")"
row "profile check apparmor, 10M events (s)" "$A" "$S" "one scan of events" \
    "$(ratio "$A" "$S")" "-" "-"
append_results
echo
print_table
echo "(best of $RUNS runs, page cache warm; $(nproc) cores; $NEV syscall events)"
