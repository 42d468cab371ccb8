#!/usr/bin/env bash
# audit.sh: importing a Linux audit log of BENCH_AUDIT_MB MiB (200 by
# default; generated once into build/bench/ by repeating the real log of
# tests/data/audit with new serials and times) against
# `ausearch -if FILE > /dev/null` on the same file. Issue 8's target: at
# least 2x faster than ausearch (ratio drydock / ausearch <= 0.5), in
# bounded memory.
set -euo pipefail
BENCH_TAG=audit
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_init
MB=${BENCH_AUDIT_MB:-200}
TGT=0.5		# drydock time / ausearch time, at most
TGT_RSS=256	# MiB

[[ $MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_AUDIT_MB must be a positive integer"
command -v ausearch >/dev/null || die "ausearch is missing (./build.sh deps)"
mkdir -p "$BD"
WORK=$BD/audit-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

LOG=$BD/audit-$MB.log
SRC=$ROOT/tests/data/audit/audit.log
if [ ! -s "$LOG" ] || [ "$0" -nt "$LOG" ]; then
	say "generating a $MB MiB audit log"
	/usr/bin/python3 - "$LOG" "$MB" "$SRC" <<'PY'
import re, sys
lim = int(sys.argv[2]) << 20
src = open(sys.argv[3], "rb").read().splitlines(keepends=True)
pat = re.compile(rb"msg=audit\((\d+)\.(\d+):(\d+)\)")
n, rep = 0, 0
with open(sys.argv[1], "wb") as f:
    while n < lim:
        def sub(m, rep=rep):
            t = int(m.group(1)) * 1000 + int(m.group(2)) + rep * 4000
            return b"msg=audit(%d.%03d:%d)" % (t // 1000, t % 1000, int(m.group(3)) + rep * 10000)
        for line in src:
            out = pat.sub(sub, line, count=1)
            f.write(out)
            n += len(out)
        rep += 1
PY
fi
cat "$LOG" >/dev/null

for f in d a m; do : >"$WORK/$f"; done
for _ in $(seq "$RUNS"); do
	sync
	timed ausearch -if "$LOG" >/dev/null
	echo "$T_WALL" >>"$WORK/a"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	sync
	timed "$DD" -q ingest --as audit "$WORK/c.dd" "$LOG" >/dev/null
	echo "$T_WALL" >>"$WORK/d"
	echo "$T_RSS" >>"$WORK/m"
done
D=$(median <"$WORK/d")
A=$(median <"$WORK/a")
DM=$(($(median <"$WORK/m") / 1024))
NE=$("$DD" query --format csv "$WORK/c.dd" "select count(*) from audit" | tail -1)

ROWS=()
RT=$(ratio "$D" "$A")
row "audit log import $MB MiB (s)" "$D" "$A" "ausearch -if" "$RT" "<= $TGT" \
    "$(yes_no "$RT <= $TGT")"
row "audit import peak RSS (MiB)" "$DM" - - - "<= $TGT_RSS" \
    "$(yes_no "$DM <= $TGT_RSS")"
AE=$(aureport -if "$LOG" --summary 2>/dev/null | sed -n 's/^Number of events: //p')
row "audit events (aureport --summary)" "$NE" "${AE:--}" "aureport" - "equal" \
    "$( [ "$NE" = "$AE" ] && echo yes || echo NO)"
append_results
echo
print_table
echo "(median of $RUNS runs; $(nproc) cores; build/bench/results.tsv)"
