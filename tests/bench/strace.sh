#!/usr/bin/env bash
# strace.sh: drydock's strace importer and event store against peer tools
# (run by bench.sh at its end unless BENCH_STRACE=0; runs alone as well).
#
# Measures, on a real strace trace (strace -f -tt -T -yy of a file-heavy
# workload, built once into build/bench/strace-300m.txt):
#   ingest          drydock -q ingest CASE TRACE     vs  zstd -3 -T1 (to a file)
#                   (and, for information, drydock ingest --as raw: storing
#                   the original without parsing)
#   peak RSS        of the ingest
#   event storage   events + strings of `drydock info --format json`
#                   vs  the size of zstd -19 of the trace
#   count(*)        SELECT count(*) FROM events WHERE syscall='openat'
#                   vs  grep -c 'openat(' TRACE (the answers must agree)
#   path LIKE       SELECT count(*) FROM events WHERE path LIKE '%PATH%'
#                   vs  grep -cE of PATH in the first quoted argument of a
#                   path-taking syscall (the answers must agree)
# Each time is the best of BENCH_RUNS runs with the page cache warm; peer
# and drydock runs alternate. Prints an aligned table (the columns of
# bench.sh's) and appends the same rows to build/bench/results.tsv.
#
# Environment:
#   BENCH_STRACE_MB     trace size in MiB, at least (default 300; own file)
#   BENCH_STRACE_PATH   the path searched for (default /etc/ld.so.cache)
#   BENCH_STRACE_Z19_THREADS  zstd -19 threads (default: 1 up to 160 MiB,
#                       2 above: -T1 compresses such a trace at about
#                       0.75 MB/s, so 300 MiB would take 7 minutes)
#   BENCH_RUNS          runs per measurement, best one kept (default 3)
#   DRYDOCK             the binary to measure (default build/drydock)
#
# Exit status: 0 when every command ran, even when a target is missed or
# an answer differs (the table says so); 1 otherwise.
set -euo pipefail
BENCH_TAG=bench-strace
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
MB=${BENCH_STRACE_MB:-300}
RUNS=${BENCH_RUNS:-3}
NEEDLE=${BENCH_STRACE_PATH:-/etc/ld.so.cache}
Z19T=${BENCH_STRACE_Z19_THREADS:-auto}

# Targets (from the issue).
TGT_INGEST=2.00	# drydock ingest time / zstd -3 -T1 time
TGT_RSS=256	# MiB, peak RSS of the ingest
TGT_STORE=1.00	# (events + strings) / zstd -19 output
TGT_COUNT=1.00	# count(*) time / grep -c time
TGT_LIKE=2.00	# path LIKE time / grep time

# Syscalls whose `path` column is their first quoted argument (the path
# table in ingest/imp-strace.c, less mount, symlink and symlinkat, whose
# first string is not the path).
PATHCALLS='access|acct|chdir|chmod|chown|chown32|chroot|creat|execve'
PATHCALLS+='|execveat|faccessat|faccessat2|fanotify_mark|fchmodat|fchmodat2'
PATHCALLS+='|fchownat|fstatat64|futimesat|getxattr|inotify_add_watch|lchown'
PATHCALLS+='|lgetxattr|link|linkat|listxattr|llistxattr|lremovexattr'
PATHCALLS+='|lsetxattr|lstat|lstat64|mkdir|mkdirat|mknod|mknodat'
PATHCALLS+='|mount_setattr|move_mount|name_to_handle_at|newfstatat|oldlstat'
PATHCALLS+='|oldstat|open|open_tree|openat|openat2|pivot_root|readlink'
PATHCALLS+='|readlinkat|removexattr|rename|renameat|renameat2|rmdir'
PATHCALLS+='|setxattr|stat|stat64|statfs|statfs64|statx|swapoff|swapon'
PATHCALLS+='|truncate|truncate64|umount|umount2|unlink|unlinkat|uselib'
PATHCALLS+='|utime|utimensat|utimes'


[[ $MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_STRACE_MB must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ $Z19T =~ ^([1-9][0-9]*|auto)$ ]] ||
    die "BENCH_STRACE_Z19_THREADS must be a positive integer"
[[ $NEEDLE =~ ^[^%_\'\"]+$ ]] ||
    die "BENCH_STRACE_PATH must not hold % _ or quotes"
[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh bench)"
command -v zstd >/dev/null || die "zstd is missing (apt-get install zstd)"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

TRACE=$BD/strace-${MB}m.txt
WANT=$((MB * 1048576))
mkdir -p "$BD"
WORK=$BD/strace-work.$$
CASE=$WORK/case.drydock
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

# ---- the trace ----

# strace -f -tt -T -yy of `find DIR -type f | xargs cat > /dev/null` over
# the directories of /usr/share in turn, round and round, until the trace
# holds WANT bytes. A fixed environment and working directory keep it as
# alike from run to run as a real trace can be.
build_trace() {
	local tmp=$TRACE.tmp
	command -v strace >/dev/null ||
	    die "strace is missing (apt-get install strace)"
	say "building $TRACE (at least $MB MiB of strace -f -tt -T -yy;" \
	    "about 1 s per MiB)"
	rm -f "$tmp"
	# shellcheck disable=SC2016 # the inner script expands its own $1, $2
	(cd / && env -i PATH=/usr/bin:/bin LC_ALL=C HOME=/ \
	    strace -f -tt -T -yy -o "$tmp" sh -c '
		out=$1 want=$2 pass=0
		while [ "$pass" -lt 100 ]; do
			pass=$((pass + 1))
			for d in /usr/share/*/; do
				find "$d" -type f -print0 2>/dev/null |
				    xargs -0 -r cat >/dev/null 2>&1
				[ "$(stat -c %s "$out")" -ge "$want" ] && exit 0
			done
		done
		exit 1' sh "$tmp" "$WANT") ||
	    die "strace of the workload failed (is ptrace allowed?)"
	[ "$(stat -c %s "$tmp")" -ge "$WANT" ] ||
	    die "the trace came out short ($(stat -c %s "$tmp") bytes)"
	# Composition: lines, bytes, the syscall mix (calls, counted at their
	# first line; resumed lines and --- +++ lines apart).
	awk '
	    { n++ }
	    $3 ~ /^[a-z_0-9]+\(/ { s = $3; sub(/\(.*/, "", s); c[s]++; calls++;
		next }
	    $3 == "<..." { resumed++; next }
	    { other++ }
	    END {
		printf "%d lines: %d calls, %d resumed, %d other;", n, calls,
		    resumed, other
		k = 0
		while (k < 5) {
			best = ""
			for (s in c) if (best == "" || c[s] > c[best]) best = s
			if (best == "") break
			printf " %s %.1f%%", best, 100 * c[best] / calls
			delete c[best]; k++
		}
		printf "\n"
	    }' "$tmp" >"$TRACE.info"
	(cd "$(dirname "$tmp")" && sha256sum "$(basename "$tmp")") |
	    cut -d' ' -f1 >"$TRACE.sha256"
	mv -f "$tmp" "$TRACE"
	rm -f "$TRACE.z19"
}

if [ ! -f "$TRACE" ] || [ "$(stat -c %s "$TRACE")" -lt "$WANT" ]; then
	build_trace
fi
TSIZE=$(stat -c %s "$TRACE")
TMIB=$((TSIZE / 1048576))
say "trace $TRACE: $TSIZE bytes ($TMIB MiB), sha256 $(cat "$TRACE.sha256" \
    2>/dev/null || echo unknown)"
say "trace: $(cat "$TRACE.info" 2>/dev/null || echo 'composition unknown')"

# zstd -19 of the trace, once: its size (and how long it took) in .z19.
if [ "$Z19T" = auto ]; then
	Z19T=1
	[ "$TMIB" -gt 160 ] && Z19T=2
fi
if [ ! -f "$TRACE.z19" ] || [ "$TRACE.z19" -ot "$TRACE" ] ||
    [ "$(cut -d' ' -f3 "$TRACE.z19")" != "$Z19T" ]; then
	say "zstd -19 -T$Z19T of the trace (once; slow)"
	s=$(date +%s%N)
	Z19=$(zstd -19 -T"$Z19T" -q -c "$TRACE" | wc -c)
	e=$(date +%s%N)
	echo "$Z19 $(((e - s) / 1000000)) $Z19T" >"$TRACE.z19"
fi
read -r Z19 Z19MS Z19T <"$TRACE.z19"
say "zstd -19 -T$Z19T: $Z19 bytes (ratio $(awk -v a="$TSIZE" -v b="$Z19" \
    'BEGIN { printf "%.2f", a / b }'), took $((Z19MS / 1000)) s)"
say "machine: $(nproc) cores, $(uname -srm), $("$DD" --version 2>/dev/null |
    head -1), $(zstd -V | sed 's/^\** *//; s/, by .*//'), $(grep --version |
    head -1)"

say "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg \
    2>/dev/null) (on $(nproc) cores; times are noisy when it is high)"

# Warm the page cache.
cat "$TRACE" >/dev/null

# ---- timing ----


fresh_case() {
	rm_case "$1"
	"$DD" -q init "$1" >/dev/null || die "drydock init failed"
}

PEER_OUT=$WORK/peer.out

# Ingest: zstd -3 -T1, drydock ingest (strace), drydock ingest --as raw,
# alternating; a fresh case each drydock run, only the ingest timed.
P_ING='' P_CPU='' D_ING='' D_CPU='' D_RSS='' R_ING=''
for ((r = 1; r <= RUNS; r++)); do
	rm -f "$PEER_OUT"
	sync
	timed zstd -3 -T1 -q -c "$TRACE" >"$PEER_OUT"
	say "zstd -3 -T1      run $r: ${T_WALL}s (user $T_USER, sys $T_SYS)"
	[ "$(minf "$P_ING" "$T_WALL")" = "$T_WALL" ] && P_CPU=$(cpu_of)
	P_ING=$(minf "$P_ING" "$T_WALL")
	rm -f "$PEER_OUT"

	fresh_case "$WORK/raw.drydock"
	sync
	timed "$DD" -q ingest --as raw "$WORK/raw.drydock" "$TRACE" >/dev/null
	say "ingest --as raw  run $r: ${T_WALL}s (user $T_USER, sys $T_SYS," \
	    "peak RSS $((T_RSS / 1024)) MiB)"
	R_ING=$(minf "$R_ING" "$T_WALL")
	rm_case "$WORK/raw.drydock"

	fresh_case "$CASE"
	sync
	timed "$DD" -q ingest "$CASE" "$TRACE" >"$WORK/ingest.txt"
	say "drydock ingest   run $r: ${T_WALL}s (user $T_USER, sys $T_SYS," \
	    "peak RSS $((T_RSS / 1024)) MiB)"
	[ "$(minf "$D_ING" "$T_WALL")" = "$T_WALL" ] && D_CPU=$(cpu_of)
	D_ING=$(minf "$D_ING" "$T_WALL")
	D_RSS=$(maxi "$D_RSS" "$T_RSS")
done

# The case of the last run: parsed as strace, with how many anomalies.
q() { "$DD" -q query --budget 0 --format csv "$CASE" "$1" | sed -n 2p; }
FMT=$(q "SELECT group_concat(format) FROM artifacts")
[ "$FMT" = strace ] || die "the trace was imported as '$FMT', not strace"
say "case: $(q "SELECT count(*) FROM events") events," \
    "$(q "SELECT count(*) FROM processes") processes," \
    "$(q "SELECT count(*) FROM anomalies") anomalies"

# ---- storage ----

# One number of the "storage" object of `info --format json`.
"$DD" -q info --format json "$CASE" >"$WORK/info.json" ||
    die "drydock info failed"
storage_of() {
	awk -v k="\"$1\":" '
	    /"storage": *\{/ { s = 1; next }
	    s && /\}/ { s = 0 }
	    s && $1 == k { v = $2; sub(/,$/, "", v); print v; exit }
	' "$WORK/info.json"
}
S_EVENTS=$(storage_of events)
S_STRINGS=$(storage_of strings)
[[ $S_EVENTS =~ ^[0-9]+$ && $S_STRINGS =~ ^[0-9]+$ ]] ||
    die "no storage.events/strings in info --format json"
S_ES=$((S_EVENTS + S_STRINGS))
say "storage: events $S_EVENTS, strings $S_STRINGS, indexes" \
    "$(storage_of indexes), originals $(storage_of originals), other" \
    "$(storage_of other), total $(storage_of total) bytes"
# The indexes of the event and string tables, which info counts under
# "indexes" (and the biggest b-trees, for where the space goes).
S_IDX=''
if command -v sqlite3 >/dev/null; then
	S_IDX=$(sqlite3 -readonly "$CASE" "SELECT coalesce(sum(d.pgsize), 0)
	    FROM dbstat d JOIN sqlite_schema m ON m.name = d.name
	    WHERE d.aggregate = 1 AND m.type = 'index' AND
	    (m.tbl_name LIKE 'event\_%' ESCAPE '\' OR m.tbl_name = 'strings')" \
	    2>/dev/null || true)
	say "largest b-trees (bytes):"
	sqlite3 -readonly "$CASE" "SELECT '  ' || name || ' ' || pgsize FROM
	    dbstat WHERE aggregate = 1 ORDER BY pgsize DESC LIMIT 10" \
	    >&2 2>/dev/null || true
fi

# ---- queries ----

# Escaped for grep -E.
NEEDLE_RE=$(printf '%s' "$NEEDLE" | sed 's/[][\.*^$+?(){}|/]/\\&/g')
LIKE_SQL="SELECT count(*) FROM events WHERE path LIKE '%$NEEDLE%'"
COUNT_SQL="SELECT count(*) FROM events WHERE syscall = 'openat'"
# A line that calls a path-taking syscall with NEEDLE in its first quoted
# argument. Resumed lines ("<... openat resumed>") never match; the
# unfinished line that begins the call does.
LIKE_RE="[ >]($PATHCALLS)\\([^\"]*\"[^\"]*$NEEDLE_RE"

P_CNT='' D_CNT='' P_LIKE='' D_LIKE='' F_LIKE=''
for ((r = 1; r <= RUNS; r++)); do
	timed grep -c -F 'openat(' "$TRACE" >"$WORK/p.cnt"
	P_CNT=$(minf "$P_CNT" "$T_WALL") t1=$T_WALL
	timed "$DD" -q query --budget 0 --format csv "$CASE" "$COUNT_SQL" \
	    >"$WORK/d.cnt"
	D_CNT=$(minf "$D_CNT" "$T_WALL")
	say "count openat     run $r: drydock ${T_WALL}s, grep -c ${t1}s"

	timed grep -c -E "$LIKE_RE" "$TRACE" >"$WORK/p.like"
	P_LIKE=$(minf "$P_LIKE" "$T_WALL") t1=$T_WALL
	timed grep -c -F "$NEEDLE" "$TRACE" >"$WORK/f.like"
	F_LIKE=$(minf "$F_LIKE" "$T_WALL") t2=$T_WALL
	timed "$DD" -q query --budget 0 --format csv "$CASE" "$LIKE_SQL" \
	    >"$WORK/d.like"
	D_LIKE=$(minf "$D_LIKE" "$T_WALL")
	say "path LIKE        run $r: drydock ${T_WALL}s, grep -cE ${t1}s," \
	    "grep -cF ${t2}s"
done
A_PCNT=$(cat "$WORK/p.cnt")
A_DCNT=$(sed -n 2p "$WORK/d.cnt")
A_PLIKE=$(cat "$WORK/p.like")
A_FLIKE=$(cat "$WORK/f.like")
A_DLIKE=$(sed -n 2p "$WORK/d.like")
say "answers: openat: drydock $A_DCNT, grep -c 'openat(' $A_PCNT;" \
    "path '$NEEDLE': drydock $A_DLIKE, grep (path argument) $A_PLIKE," \
    "grep -F (any mention) $A_FLIKE"
# When the counts differ, the kinds of line that could explain it.
if [ "$A_DCNT" != "$A_PCNT" ]; then
	say "openat counts differ: lines with 'openat(' that are unfinished" \
	    "$(grep -c 'openat(.*<unfinished \.\.\.>$' "$TRACE" || true)," \
	    "resumed lines $(grep -c '<\.\.\. openat resumed>' "$TRACE" ||
		true), lines where 'openat(' is not the call" \
	    "$(grep 'openat(' "$TRACE" | grep -vcE '^[0-9]+ +[0-9:.]+ openat\(' ||
		true)"
	say "drydock by kind: $("$DD" -q query --format csv "$CASE" \
	    "SELECT kind || ' ' || count(*) FROM events WHERE syscall = 'openat'
	    GROUP BY kind" | sed 1d | tr '\n' ' ')"
fi

# ---- the table ----

ROWS=()	# metric TAB drydock TAB peer TAB peer-tool TAB ratio TAB target TAB ok
fmt() { awk -v f="$1" -v v="$2" 'BEGIN { printf f, v }'; }
rat() { awk -v a="$1" -v b="$2" -v f="${3:-%.2f}" 'BEGIN { printf f, a / b }'; }
# ratio_row METRIC DRYDOCK PEER TOOL MAX [FORMAT]: compared with its peer.
ratio_row() {
	local ratio ok f=${6:-%.2f}
	ratio=$(rat "$2" "$3" "$f")
	ok=$(awk -v r="$ratio" -v m="$5" 'BEGIN { print (r <= m) ? "yes" : "NO" }')
	row "$1" "$(fmt "$f" "$2")" "$(fmt "$f" "$3")" "$4" "$ratio" \
	    "<= $5" "$ok"
}
info_row() { row "$1" "$(printf %.2f "$2")" "$(printf %.2f "$3")" "$4" \
    "$(rat "$2" "$3")" - -; }
answer_row() {
	local ok=NO
	[ "$2" = "$3" ] && ok=yes
	row "$1" "$2" "$3" "$4" - "equal" "$ok"
}
mib() { awk -v a="$1" 'BEGIN { printf "%.1f", a / 1048576 }'; }

ratio_row "strace ingest $TMIB MiB (s)" "$D_ING" "$P_ING" "zstd -3 -T1" \
    "$TGT_INGEST"
info_row "strace ingest CPU user+sys (s)" "$D_CPU" "$P_CPU" "zstd -3 -T1"
info_row "strace ingest --as raw (s)" "$R_ING" "$P_ING" "zstd -3 -T1"
D_RSS_MIB=$((D_RSS / 1024))
row "strace ingest peak RSS (MiB)" "$D_RSS_MIB" - - - "< $TGT_RSS" \
    "$([ "$D_RSS_MIB" -lt "$TGT_RSS" ] && echo yes || echo NO)"
row "event storage vs zstd -19 (MiB)" "$(mib "$S_ES")" "$(mib "$Z19")" \
    "zstd -19 -T$Z19T" "$(rat "$S_ES" "$Z19" %.3f)" "<= $TGT_STORE" \
    "$(awk -v a="$S_ES" -v b="$Z19" -v m="$TGT_STORE" \
	'BEGIN { print (a / b <= m) ? "yes" : "NO" }')"
[ -n "$S_IDX" ] &&
    row "event storage + its indexes (MiB)" "$(mib "$((S_ES + S_IDX))")" \
	"$(mib "$Z19")" "zstd -19 -T$Z19T" \
	"$(rat "$((S_ES + S_IDX))" "$Z19" %.3f)" - -
ratio_row "count(*) openat (s)" "$D_CNT" "$P_CNT" "grep -c" "$TGT_COUNT" %.3f
answer_row "count(*) openat: rows" "$A_DCNT" "$A_PCNT" "grep -c"
ratio_row "path LIKE '%$NEEDLE%' (s)" "$D_LIKE" "$P_LIKE" "grep -cE" \
    "$TGT_LIKE" %.3f
answer_row "path LIKE: rows" "$A_DLIKE" "$A_PLIKE" "grep -cE"
row "path LIKE vs grep -cF (s)" "$(printf %.3f "$D_LIKE")" \
    "$(printf %.3f "$F_LIKE")" "grep -cF" "$(rat "$D_LIKE" "$F_LIKE")" - -

# Appended (bench.sh has just written its own rows), with the header only
# when the file is new.
append_results

echo
print_table
echo "(strace -f -tt -T -yy trace, $TSIZE bytes; best of $RUNS alternating" \
    "runs, page cache warm; $(nproc) cores; build/bench/results.tsv)"
