#!/usr/bin/env bash
# core.sh: the ELF core importer against zstd (issue 7's target).
#
# A process touches BENCH_CORE_MB MiB (1024 by default) of non-repeating
# data (xorshift64 output in one malloc'd block), gdb's gcore dumps it
# once into build/bench/ (kept between runs), and the time of
# `drydock -q ingest` of that core into a fresh case is compared with
# `zstd -q -3 -T1` of the same file (each timed run starts after a sync, so
# neither pays for the other's writeback). Target: at most 1.5x, in bounded
# memory (peak RSS reported; it must not grow with the core).
set -euo pipefail
BENCH_TAG=core
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
MB=${BENCH_CORE_MB:-1024}
TGT_TIME=1.5	# core import / zstd -3 -T1, at most
TGT_RSS=256	# MiB, peak RSS of the import

[[ $MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_CORE_MB must be a positive integer"
for c in zstd gcore cc; do
	command -v $c >/dev/null || die "$c is missing (./build.sh deps)"
done
mkdir -p "$BD"
WORK=$BD/core-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

CORE=$BD/touch-$MB.core
if [ ! -s "$CORE" ] || [ "$0" -nt "$CORE" ]; then
	say "making a core of a process that touched $MB MiB (gcore)"
	cat >"$WORK/touch.c" <<'C'
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
	size_t n = (size_t)atol(argv[1]) << 20, i;
	uint64_t *p = malloc(n), x = 88172645463325252ull;
	if (p == NULL) return 1;
	for (i = 0; i < n / 8; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		p[i] = x;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;) pause();
}
C
	cc -O2 -o "$WORK/touch" "$WORK/touch.c"
	mkfifo "$WORK/fifo"
	"$WORK/touch" "$MB" >"$WORK/fifo" &
	pid=$!
	read -r _ <"$WORK/fifo"
	gcore -o "$WORK/c" "$pid" >/dev/null 2>&1 || { kill "$pid"; die "gcore failed"; }
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	mv "$WORK/c.$pid" "$CORE"
fi
SIZE=$(stat -c %s "$CORE")
cat "$CORE" >/dev/null

for f in d z m; do : >"$WORK/$f"; done
for _ in $(seq "$RUNS"); do
	sync
	timed zstd -q -3 -T1 -c "$CORE" >"$WORK/z.zst"
	echo "$T_WALL" >>"$WORK/z"
	rm -f "$WORK/z.zst"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	sync
	timed "$DD" -q ingest "$WORK/c.dd" "$CORE" >/dev/null
	echo "$T_WALL" >>"$WORK/d"
	echo "$T_RSS" >>"$WORK/m"
done
D=$(median <"$WORK/d")
Z=$(median <"$WORK/z")
DM=$(($(median <"$WORK/m") / 1024))
NM=$("$DD" query --format csv "$WORK/c.dd" "select count(*) from mappings" | tail -1)
[ "$NM" -gt 0 ] || die "the core imported no mappings"

ROWS=()
RT=$(ratio "$D" "$Z")
row "core import $((SIZE >> 20)) MiB (s)" "$D" "$Z" "zstd -3 -T1" "$RT" \
    "<= $TGT_TIME" "$(yes_no "$RT <= $TGT_TIME")"
row "core import peak RSS (MiB)" "$DM" - - - "<= $TGT_RSS" \
    "$(yes_no "$DM <= $TGT_RSS")"
row "core mappings" "$NM" - - - - -

append_results

echo
print_table
echo "(gcore of a process that touched $MB MiB of xorshift data; median of" \
    "$RUNS runs, page cache warm; $(nproc) cores; build/bench/results.tsv)"
