#!/usr/bin/env bash
# scap.sh: drydock's scap importer against sysdig and the bare libscap read
# loop (run by bench.sh after strace.sh unless BENCH_SCAP=0; runs alone as
# well).
#
# The capture: tests/data/scap/falco_psp_run_as_user_0_container.scap
# (a real docker/nginx capture) repeated by libscap's own writer
# (scap_dump, Debian's libfalcosecurity0-dev; tests/bench/scap-big.c) to
# BENCH_SCAP_EVENTS raw events (default 5,000,000), times shifted forward,
# built once into build/bench/scap-5m.scap.
#
#   ingest          drydock -q ingest CASE CAPTURE  vs  sysdig -r CAPTURE
#                   > /dev/null (the same events decoded, nothing kept)
#   events/s        raw events / drydock's ingest time
#   libscap floor   scap_open_offline + scap_next over every event
#                   (reading only: the lower bound of any importer)
#   peak RSS        of the ingest
# Each figure is the median of BENCH_RUNS runs (default 3), page cache
# warm; drydock and sysdig runs alternate.
#
# Environment: BENCH_RUNS, BENCH_SCAP_EVENTS, DRYDOCK (the binary).
# Exit status: 0 when every command ran, even when a target is missed; 1
# otherwise.
set -euo pipefail
BENCH_TAG=bench-scap
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
RUNS=${BENCH_RUNS:-3}
NEV=${BENCH_SCAP_EVENTS:-5000000}
SRC=$ROOT/tests/data/scap/falco_psp_run_as_user_0_container.scap
LIBSCAP="-I/usr/include/falcosecurity-libs/userspace/libscap -I/usr/include/falcosecurity-libs/driver"

TGT_RATE=2000000 # events per second, at least
TGT_SYSDIG=0.20	 # drydock time / sysdig -r time, at most (5x faster)
TGT_RSS=256	 # MiB

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ $NEV =~ ^[1-9][0-9]*$ ]] || die "BENCH_SCAP_EVENTS must be a positive integer"
[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh bench)"
command -v sysdig >/dev/null || die "sysdig is missing (apt-get install sysdig)"
[ -f /usr/include/falcosecurity-libs/userspace/libscap/scap.h ] ||
    die "libscap headers are missing (apt-get install libfalcosecurity0-dev)"
mkdir -p "$BD"
WORK=$BD/scap-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

TOOL=$BD/scap-big
if [ ! -x "$TOOL" ] || [ "$ROOT/tests/bench/scap-big.c" -nt "$TOOL" ]; then
	gcc -O2 $LIBSCAP -o "$TOOL" "$ROOT/tests/bench/scap-big.c" -lscap ||
	    die "cannot build $TOOL"
fi
CAP=$BD/scap-$((NEV / 1000000))m.scap
[ "$NEV" -ge 1000000 ] || CAP=$BD/scap-${NEV}.scap
if [ ! -s "$CAP" ]; then
	say "writing $CAP ($NEV events, libscap's writer)"
	zcat "$SRC" >"$WORK/src.scap"
	"$TOOL" write "$WORK/src.scap" "$CAP.tmp" "$NEV" >/dev/null ||
	    die "cannot write the capture"
	mv "$CAP.tmp" "$CAP"
fi
cat "$CAP" >/dev/null
CSIZE=$(stat -c %s "$CAP")
N_READ=$("$TOOL" read "$CAP")
[ "$N_READ" = "$NEV" ] || die "libscap reads $N_READ events, not $NEV"


: >"$WORK/d" ; : >"$WORK/s" ; : >"$WORK/l"
RSS=0
for i in $(seq "$RUNS"); do
	timed sysdig -r "$CAP" >/dev/null
	echo "$T_WALL" >>"$WORK/s"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	sync
	timed "$DD" -q ingest "$WORK/c.dd" "$CAP" >/dev/null
	echo "$T_WALL" >>"$WORK/d"
	RSS=$(maxi "$RSS" "$T_RSS")
	timed "$TOOL" read "$CAP" >/dev/null
	echo "$T_WALL" >>"$WORK/l"
done
D=$(median <"$WORK/d")
S=$(median <"$WORK/s")
L=$(median <"$WORK/l")
ROWS_N=$("$DD" query --format csv "$WORK/c.dd" "select count(*) from events" | tail -1)
RATE=$(awk -v n="$NEV" -v t="$D" 'BEGIN { printf "%.0f", n / t }')
RATIO=$(awk -v a="$D" -v b="$S" 'BEGIN { printf "%.3f", a / b }')
RSSM=$((RSS / 1024))

ROWS=()
row "scap ingest $((NEV / 1000)) k events (s)" "$D" "$S" "sysdig -r" "$RATIO" \
    "<= $TGT_SYSDIG" "$(yes_no "$RATIO <= $TGT_SYSDIG")"
row "scap ingest rate (events/s)" "$RATE" - - - ">= $TGT_RATE" \
    "$(yes_no "$RATE >= $TGT_RATE")"
row "libscap read loop, the floor (s)" "$D" "$L" "scap_next" \
    "$(awk -v a="$D" -v b="$L" 'BEGIN { printf "%.2f", a / b }')" - -
row "scap ingest peak RSS (MiB)" "$RSSM" - - - "< $TGT_RSS" \
    "$(yes_no "$RSSM < $TGT_RSS")"
row "scap rows (paired calls, signals, exits)" "$ROWS_N" - - - - -

append_results

echo
print_table
echo "(scap capture of $NEV events, $CSIZE bytes, written by libscap; median" \
    "of $RUNS runs, page cache warm; $(nproc) cores; build/bench/results.tsv)"
