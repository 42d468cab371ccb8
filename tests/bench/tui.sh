#!/usr/bin/env bash
# tui.sh: the TUI's key latency on a large case (run by bench.sh unless
# BENCH_TUI=0; runs alone as well).
#
# The case, built once into build/bench/tui-case.dd:
#   10,000,000 syscall events  (30,200,000 raw enter/exit scap events) of a
#                              real docker/nginx scap capture repeated by
#                              libscap's writer (tests/bench/scap-big.c)
#   1,000,000 packets          tests/bench/gen-pcap.py (TCP and DNS)
#   100,000 files              tests/bench/gen-image.py (a docker save
#                              archive whose second layer holds them)
#
# A scripted tmux session (120x35) drives `drydock tui` with
# DRYDOCK_TUI_LATENCY_LOG: each key waits for the previous one's line, so
# every figure is one key's time from its read to the screen refresh.
# The script covers what the issue names: scrolling to the end of the
# syscall view, filters typed key by key (syscall=, pid=, path~ on 10M
# events), the network tabs, opening the largest layer and scrolling its
# 100,000 files, finding and timeline pages.
#
#   open          first dashboard drawn after start: <= 300 ms
#   keys p50/p99  every key except the timeline's: p99 <= 50 ms
#   timeline p99  the timeline's keys, reported apart
#   complete page the filter and timeline keys again with
#                 DRYDOCK_TUI_PARTIAL_MS=0 (no screen until the page is
#                 whole), for information
#
# Environment: DRYDOCK (the binary). Needs tmux. Exit status 0 when the
# session ran, even when a target is missed; 1 otherwise.
set -euo pipefail
BENCH_TAG=bench-tui
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
TGT_OPEN=300
TGT_P99=50

command -v tmux >/dev/null || die "tmux is missing (./build.sh deps)"
[ -x "$DD" ] || die "no drydock binary at $DD"
mkdir -p "$BD"
WORK=$BD/tui-work.$$
mkdir -p "$WORK"
SOCK=ddbench$$
trap 'tmux -L "$SOCK" kill-server >/dev/null 2>&1; tmux -L "${SOCK}b" kill-server >/dev/null 2>&1; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"' EXIT

CASE=$BD/tui-case.dd
if [ ! -s "$CASE" ] || [ "$DD" -nt "$CASE" ]; then
	bench_scap_30m "$WORK"
	if [ ! -s "$BD/pcap-1mpk.pcap" ]; then
		say "writing 1,000,000 packets"
		/usr/bin/python3 "$ROOT/tests/bench/gen-pcap.py" 1000000 \
		    "$BD/pcap-1mpk.pcap.tmp" || die "cannot write the pcap"
		mv "$BD/pcap-1mpk.pcap.tmp" "$BD/pcap-1mpk.pcap"
	fi
	if [ ! -s "$BD/image-100k.tar" ]; then
		say "writing an image of 100,000 files"
		/usr/bin/python3 "$ROOT/tests/bench/gen-image.py" 100000 \
		    "$BD/image-100k.tar.tmp" || die "cannot write the image"
		mv "$BD/image-100k.tar.tmp" "$BD/image-100k.tar"
	fi
	say "building the case"
	rm_case "$CASE"
	"$DD" -q init "$CASE" >/dev/null
	for f in scap-30m.scap pcap-1mpk.pcap image-100k.tar; do
		"$DD" -q ingest "$CASE" "$BD/$f" >/dev/null 2>&1 ||
		    die "cannot ingest $f"
	done
	"$DD" -q analyze "$CASE" --only net >/dev/null 2>&1 || true
fi
NEV=$("$DD" query "$CASE" "SELECT count(*) FROM events" | tail -1)
NPK=$("$DD" query "$CASE" "SELECT sum(packets) FROM flows" | tail -1)
NFI=$("$DD" query "$CASE" "SELECT count(*) FROM files" | tail -1)

LAT=$WORK/latency.log
tmux -L "$SOCK" -f "$ROOT/tests/tui/tmux.conf" new-session -d -x 120 -y 35 \
    "env DRYDOCK_TUI_LATENCY_LOG='$LAT' TERM=tmux-256color LC_ALL=C.UTF-8 '$DD' tui '$CASE'"

# lines of the latency log so far
nlat() { if [ -f "$LAT" ]; then wc -l <"$LAT"; else echo 0; fi; }
# key K [literal]: send one key and wait for its latency line
SECTION=main
key() {
	local n i=0
	n=$(nlat)
	if [ "${2:-}" = literal ]; then
		tmux -L "$SOCK" send-keys -l -- "$1"
	else
		tmux -L "$SOCK" send-keys "$1"
	fi
	while [ "$(nlat)" -le "$n" ]; do
		sleep 0.01
		i=$((i + 1))
		[ "$i" -lt 3000 ] || die "no latency line for key '$1'"
	done
	echo "$SECTION" >>"$WORK/sections"
}
typed() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do key "${s:i:1}" literal; done; }
times() { local k=$1 n=$2 i; for ((i = 0; i < n; i++)); do key "$k"; done; }

i=0
while [ "$(nlat)" -lt 1 ]; do
	sleep 0.01
	i=$((i + 1))
	[ "$i" -lt 3000 ] || die "the TUI did not start"
done
echo open >"$WORK/sections"

# syscalls: scroll, the end, filters typed key by key
key 5; times j 30; times NPage 20; key End; times PPage 20; key Home
key '\'; typed "syscall=openat"; key Enter; key End; times PPage 5; key Home
key '\'; typed "pid=1234"; key Enter
key '\'; typed "path~/etc/"; key Enter; times NPage 5
key '\'; key Escape
# network: flows, the end, every tab
key 6; times NPage 10; key End; for _ in 1 2 3 4; do key '>'; key End; done
# images: the largest layer's 100,000 files
key 7; key '>'; key j; key Enter; times NPage 20; key End; times PPage 10
key Home; key '\'; typed "path~d050"; key Enter
# findings, processes, custody
key 2; times j 5; key 4; key End; key 9; key '>'; key End
# the timeline, reported apart
SECTION=timeline
key 3; times NPage 5; key End; times PPage 5; key Home
SECTION=main
key 1

paste "$WORK/sections" "$LAT" >"$WORK/all"
tmux -L "$SOCK" kill-server >/dev/null 2>&1 || true
SOCK=${SOCK}b

# Again without partial screens (DRYDOCK_TUI_PARTIAL_MS=0): how long the
# complete page takes for the keys that showed rows as they came.
LAT2=$WORK/latency-full.log
tmux -L "$SOCK" -f "$ROOT/tests/tui/tmux.conf" new-session -d -x 120 -y 35 \
    "env DRYDOCK_TUI_PARTIAL_MS=0 DRYDOCK_TUI_LATENCY_LOG='$LAT2' TERM=tmux-256color LC_ALL=C.UTF-8 '$DD' tui '$CASE'"
LAT_MAIN=$LAT
LAT=$LAT2
: >"$WORK/sections"
i=0
while [ "$(nlat)" -lt 1 ]; do sleep 0.01; i=$((i + 1)); [ "$i" -lt 3000 ] || die "no start"; done
echo open >"$WORK/sections"
SECTION=filter
key 5; key '\'; typed "syscall=openat"; key Enter; key End
key '\'; typed "pid=1234"; key Enter
key '\'; typed "path~/etc/"; key Enter
SECTION=timeline
key 3; times NPage 5; key End; times PPage 5; key Home
paste "$WORK/sections" "$LAT2" >"$WORK/full"
LAT=$LAT_MAIN
OPEN=$(awk -F'\t' '$1 == "open" { print $3 }' "$WORK/all")
pct() { awk -F'\t' -v s="$1" '$1 == s { print $3 }' "$WORK/all" | sort -g |
    awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'; }
NKEYS=$(awk -F'\t' '$1 == "main"' "$WORK/all" | wc -l)
NTL=$(awk -F'\t' '$1 == "timeline"' "$WORK/all" | wc -l)
P50=$(pct main 50)
P99=$(pct main 99)
TP50=$(pct timeline 50)
TP99=$(pct timeline 99)
SLOW=$(awk -F'\t' '$1 == "main" { print $3 "\t" $2 }' "$WORK/all" | sort -g |
    tail -3 | awk -F'\t' '{ sep = (NR > 1) ? ", " : ""; printf "%s%s %.0f", sep, $2, $1 }')

fpct() { awk -F'\t' -v s="$1" '$1 == s { print $3 }' "$WORK/full" | sort -g |
    awk -v p="$2" '{ v[NR] = $1 } END { i = int(NR * p / 100 + 0.999); if (i < 1) i = 1; print v[i] }'; }
FP50=$(fpct filter 50)
FP99=$(fpct filter 99)
FT50=$(fpct timeline 50)
FT99=$(fpct timeline 99)

ROWS=()
row "tui open, dashboard drawn (ms)" "$OPEN" - - - "<= $TGT_OPEN" \
    "$(yes_no "$OPEN <= $TGT_OPEN")"
row "tui key p50, $NKEYS keys (ms)" "$P50" - - - - -
row "tui key p99 (ms)" "$P99" - - - "<= $TGT_P99" \
    "$(yes_no "$P99 <= $TGT_P99")"
row "tui timeline key p50, $NTL keys (ms)" "$TP50" - - - - -
row "tui timeline key p99 (ms)" "$TP99" - - - "<= $TGT_P99" \
    "$(yes_no "$TP99 <= $TGT_P99")"
row "complete page, filter keys p50 (ms)" "$FP50" - - - - -
row "complete page, filter keys p99 (ms)" "$FP99" - - - - -
row "complete page, timeline keys p50 (ms)" "$FT50" - - - - -
row "complete page, timeline keys p99 (ms)" "$FT99" - - - - -
append_results
echo
print_table
echo "(case: $NEV events, $NPK packets, $NFI files; slowest keys: $SLOW;"
echo " build/bench/results.tsv)"
