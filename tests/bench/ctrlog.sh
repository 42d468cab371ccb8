#!/usr/bin/env bash
# ctrlog.sh: importing a Docker json-file container log of BENCH_LOG_MB
# MiB (200 by default; generated once into build/bench/, made of short
# request-log lines in both streams, in time order) against `jq -c . FILE > /dev/null`
# on the same file. Issue 8's target: at least 2x faster than jq (ratio
# drydock / jq <= 0.5), in bounded memory.
set -euo pipefail
BENCH_TAG=ctrlog
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
MB=${BENCH_LOG_MB:-200}
TGT=0.5		# drydock time / jq time, at most
TGT_RSS=256	# MiB

[[ $MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_LOG_MB must be a positive integer"
command -v jq >/dev/null || die "jq is missing (./build.sh deps)"
mkdir -p "$BD"
WORK=$BD/ctrlog-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

LOG=$BD/ctr-$MB-json.log
if [ ! -s "$LOG" ] || [ "$0" -nt "$LOG" ]; then
	say "generating a $MB MiB json-file log"
	/usr/bin/python3 - "$LOG" "$MB" <<'PY'
import json, random, sys, time
random.seed(1)
words = ("GET POST /api/v1/users 200 404 500 connection reset by peer "
         "timeout user login failed from 10.0.0.7 ok").split()
lim, n = int(sys.argv[2]) << 20, 0
# Times grow line by line (1.23 ms apart), as a runtime appends them.
t0, i = 1714557600 * 10**9, 0
with open(sys.argv[1], "w") as f:
    while n < lim:
        msg = " ".join(random.choice(words) for _ in range(random.randint(3, 20))) + "\n"
        s, ns = divmod(t0 + i * 1234567, 10**9)
        tm = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%09dZ" % ns
        line = json.dumps({"log": msg, "stream": random.choice(["stdout", "stderr"]),
                           "time": tm}, separators=(",", ":")) + "\n"
        f.write(line)
        n += len(line)
        i += 1
PY
fi
cat "$LOG" >/dev/null

for f in d j m; do : >"$WORK/$f"; done
for _ in $(seq "$RUNS"); do
	sync
	timed jq -c . "$LOG" >/dev/null
	echo "$T_WALL" >>"$WORK/j"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	sync
	timed "$DD" -q ingest --as ctrlog "$WORK/c.dd" "$LOG" >/dev/null
	echo "$T_WALL" >>"$WORK/d"
	echo "$T_RSS" >>"$WORK/m"
done
D=$(median <"$WORK/d")
J=$(median <"$WORK/j")
DM=$(($(median <"$WORK/m") / 1024))
NL=$("$DD" query --format csv "$WORK/c.dd" "select count(*) from logs" | tail -1)

ROWS=()
RT=$(ratio "$D" "$J")
row "json-file log import $MB MiB (s)" "$D" "$J" "jq -c ." "$RT" "<= $TGT" \
    "$(yes_no "$RT <= $TGT")"
row "log import peak RSS (MiB)" "$DM" - - - "<= $TGT_RSS" \
    "$(yes_no "$DM <= $TGT_RSS")"
row "log messages" "$NL" - - - - -
append_results
echo
print_table
echo "(median of $RUNS runs; $(nproc) cores; build/bench/results.tsv)"
