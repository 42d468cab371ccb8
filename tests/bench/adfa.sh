#!/usr/bin/env bash
# adfa.sh: the adfa importer on the whole ADFA-LD zip (5,951 traces, about
# 2.7 M syscalls) against unpacking it: `unzip -p ZIP > /dev/null`.
#   ingest     drydock -q ingest CASE ZIP (a member artifact per trace,
#              events, labels; the zip stored)   target: under 1 s
#   events     count(*) of events vs the numbers in the traces (the
#              answers must agree)
# Best of BENCH_RUNS runs, page cache warm, peer and drydock alternating.
# Prints the table of bench.sh and appends its rows to build/bench/results.tsv.
#
# Environment: ADFA_ZIP (default ../shared/fixtures/adfa/verazuo_ADFA-LD.zip),
# BENCH_RUNS (default 3), DRYDOCK (default build/drydock).
set -euo pipefail
BENCH_TAG=bench-adfa
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
ZIP=${ADFA_ZIP:-$ROOT/../shared/fixtures/adfa/verazuo_ADFA-LD.zip}
RUNS=${BENCH_RUNS:-3}
TGT_WALL=1.00 # seconds (from the issue)

[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh)"
[ -f "$ZIP" ] || die "no ADFA-LD zip at $ZIP"
command -v unzip >/dev/null || die "unzip is missing (apt-get install unzip)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$BD"
WORK=$BD/adfa-work.$$
CASE=$WORK/case.drydock
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
ROWS=()

P_WALL= D_WALL= D_CPU= D_RSS=0
for r in $(seq 1 "$RUNS"); do
	timed unzip -p "$ZIP" >/dev/null
	P_WALL=$(minf "$P_WALL" "$T_WALL")
	rm_case "$CASE"
	"$DD" -q init "$CASE" >/dev/null
	timed "$DD" -q ingest "$CASE" "$ZIP" >/dev/null
	say "run $r: unzip -p ${P_WALL}s; drydock ingest ${T_WALL}s" \
	    "(user $T_USER, sys $T_SYS)"
	D_WALL=$(minf "$D_WALL" "$T_WALL")
	D_CPU=$(minf "$D_CPU" "$(cpu_of)")
	D_RSS=$(maxi "$D_RSS" "$T_RSS")
done
ratio=$(awk -v a="$D_WALL" -v b="$P_WALL" 'BEGIN { printf "%.2f", a / b }')
row "adfa zip ingest (s)" "$D_WALL" "$P_WALL" "unzip -p" "$ratio" \
    "< $TGT_WALL" \
    "$(awk -v a="$D_WALL" -v m="$TGT_WALL" 'BEGIN { print (a < m) ? "yes" : "NO" }')"
row "adfa ingest CPU user+sys (s)" "$D_CPU" - - - - -
row "adfa ingest peak RSS (MiB)" "$((D_RSS / 1024))" - - - - -
A_D=$("$DD" query --format csv "$CASE" "select count(*) from events" | tail -1)
A_P=$(unzip -Z1 "$ZIP" | grep '_Data_Master/.*\.txt$' |
    while IFS= read -r m; do unzip -p "$ZIP" "$m"; echo; done | wc -w)
row "adfa events vs words in the traces" "$A_D" "$A_P" "unzip | wc -w" - \
    "equal" "$([ "$A_D" = "$A_P" ] && echo yes || echo NO)"

append_results
echo
print_table
echo "(ADFA-LD zip, $(stat -c %s "$ZIP") bytes; best of $RUNS alternating" \
    "runs, page cache warm; $(nproc) cores)"
