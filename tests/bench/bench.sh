#!/usr/bin/env bash
# bench.sh: drydock's performance table against peer tools (./build.sh bench).
#
# Measures, on a corpus of real system binaries and text (1 GiB by default,
# built once from /usr into build/bench/corpus-1g.bin):
#   raw ingest      drydock -q ingest --as raw    vs  zstd -3 -T1 (to a file)
#   export          drydock -q export -o FILE     vs  zstd -d     (to a file)
#                   (and, for information, drydock export -o - > FILE: the
#                   same without drydock's fsync of the output)
#   peak RSS        of drydock ingest (and, with BENCH_RSS_BIG=1, of a 4 GiB
#                   input, to show that it does not grow with the input)
#   case size       vs the size of zstd -3's output
# Each time is the best of BENCH_RUNS runs with the page cache warm; peer
# and drydock runs alternate so that outside load hits both alike. Prints an
# aligned table and writes the same to build/bench/results.tsv.
#
# Environment:
#   BENCH_SIZE_MB   corpus size in MiB (default 1024; own corpus file per size)
#   BENCH_RUNS      runs per measurement, best one kept (default 3)
#   BENCH_RSS_BIG   1: also measure peak RSS of ingesting a 4 GiB input
#   DRYDOCK         the binary to measure (default build/drydock)
#
# Usage: bench.sh [--check]
#   --check         the performance guard: after all the tables, list every
#                   row whose target was missed (ok column NO) and exit 1 if
#                   there is one. Run it before a release; CI does not (the
#                   timings of shared machines are noisy).
#
# Exit status: 0 when every command ran and the export was bit-exact, even
# when a target is missed (the table says so; with --check, 1 then); 1
# otherwise.
set -euo pipefail
CHECK=0
for a in "$@"; do
	case $a in
	--check) CHECK=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "bench: unknown argument '$a' (usage: bench.sh [--check])" >&2
		exit 2
		;;
	esac
done
BENCH_TAG=bench
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
SIZE_MB=${BENCH_SIZE_MB:-1024}
RUNS=${BENCH_RUNS:-3}
RSS_BIG=${BENCH_RSS_BIG:-0}
TEXT_SHARE=0.20	# fraction of the corpus that is text (the rest binaries)

# Targets (from the performance requirement).
TGT_INGEST=1.50	# drydock ingest time / zstd -3 -T1 time
TGT_EXPORT=1.50	# drydock export time / zstd -d time
TGT_RSS=256	# MiB, peak RSS of ingest, whatever the input size


[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZE_MB must be a positive integer"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh bench)"
command -v zstd >/dev/null || die "zstd is missing (apt-get install zstd)"
if [ ! -x /usr/bin/time ]; then
	say "installing the Debian package 'time' (for peak RSS)"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo=sudo
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
	    --no-install-recommends time >&2 ||
	    die "/usr/bin/time is missing (apt-get install time)"
fi

SIZE=$((SIZE_MB * 1048576))
if ((SIZE_MB % 1024 == 0)); then
	LABEL="$((SIZE_MB / 1024)) GiB"
	CORPUS=$BD/corpus-$((SIZE_MB / 1024))g.bin
else
	LABEL="$SIZE_MB MiB"
	CORPUS=$BD/corpus-${SIZE_MB}m.bin
fi
mkdir -p "$BD"
WORK=$BD/work.$$
CASE=$WORK/case.drydock
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

# ---- the corpus ----

# Files (size TAB path) of one kind, sorted by path. Binaries: executables
# and shared libraries; text: documentation, headers, scripts.
list_bins() {
	local d
	for d in /usr/bin /usr/sbin /usr/libexec; do
		[ -d "$d" ] && find "$d" -type f -readable -size +0 -printf '%s\t%p\n'
	done
	for d in /usr/lib/*-linux-gnu; do
		[ -d "$d" ] && find "$d" -type f -readable -size +0 -name '*.so*' \
		    -printf '%s\t%p\n'
	done
	true
}
list_text() {
	local dirs=() d
	for d in /usr/share/doc /usr/share/man /usr/include /usr/share/perl \
	    /usr/share/perl5 /usr/lib/python3 /usr/lib/python3.* \
	    /usr/share/common-licenses /usr/share/vim; do
		[ -d "$d" ] && dirs+=("$d")
	done
	[ ${#dirs[@]} -gt 0 ] || return 0
	# grep -I skips binary files; '' matches any non-empty file.
	{ grep -rIl --exclude='*.gz' --exclude='*.xz' --exclude='*.bz2' \
	    --exclude='*.zst' '' "${dirs[@]}" 2>/dev/null || true; } |
	    xargs -r -d '\n' stat --printf '%s\t%n\n' 2>/dev/null || true
}

build_corpus() {
	local tmp=$CORPUS.tmp got
	say "building $CORPUS ($LABEL of system binaries and text)"
	list_bins | grep -v $'\t.*\t' | sort -t $'\t' -k2 >"$WORK/bins.lst"
	list_text | grep -v $'\t.*\t' | sort -t $'\t' -k2 >"$WORK/text.lst"
	# Interleave the two sorted lists so that about TEXT_SHARE of every
	# stretch of the corpus is text, until SIZE bytes are covered.
	awk -F'\t' -v want="$SIZE" -v share="$TEXT_SHARE" '
	    FNR == NR { bs[++nb] = $1; bp[nb] = $2; next }
	    { ts[++nt] = $1; tp[nt] = $2 }
	    END {
		ib = it = 1; tot = tb = 0
		# Each line: kind, bytes used (the last file is cut), path.
		while (tot < want) {
			if (it <= nt && (tb < share * tot || ib > nb)) {
				k = "t"; n = ts[it]; p = tp[it++]; tb += n
			} else if (ib <= nb) {
				k = "b"; n = bs[ib]; p = bp[ib++]
			} else
				exit 3
			if (tot + n > want)
				n = want - tot
			tot += n
			print k "\t" n "\t" p
		}
	    }' "$WORK/bins.lst" "$WORK/text.lst" >"$WORK/corpus.lst" ||
	    die "this machine has too few binaries and text files for a" \
		"$LABEL corpus (try a smaller BENCH_SIZE_MB)"
	cut -f3 "$WORK/corpus.lst" | xargs -d '\n' cat -- >"$tmp" ||
	    die "cannot read the corpus files"
	got=$(stat -c %s "$tmp")
	[ "$got" -ge "$SIZE" ] || die "corpus came out short ($got bytes)"
	truncate -s "$SIZE" "$tmp"
	awk -F'\t' '{ n[$1]++; s[$1] += $2 }
	    END { printf "%d files: %d binaries (%.0f MiB), %d text (%.0f MiB)\n",
		n["b"] + n["t"], n["b"], s["b"] / 1048576, n["t"],
		s["t"] / 1048576 }' "$WORK/corpus.lst" >"$CORPUS.info"
	cut -f3 "$WORK/corpus.lst" >"$CORPUS.files"
	(cd "$(dirname "$tmp")" && sha256sum "$(basename "$tmp")") |
	    cut -d' ' -f1 >"$CORPUS.sha256"
	mv -f "$tmp" "$CORPUS"
	rm -f "$CORPUS.zst"
}

if [ ! -f "$CORPUS" ] || [ "$(stat -c %s "$CORPUS")" -ne "$SIZE" ]; then
	build_corpus
fi
# The peer's compressed copy, for zstd -d and for the ratio.
if [ ! -f "$CORPUS.zst" ] || [ "$CORPUS.zst" -ot "$CORPUS" ]; then
	zstd -3 -T1 -q -f "$CORPUS" -o "$CORPUS.zst.tmp" ||
	    die "zstd -3 failed on the corpus"
	mv -f "$CORPUS.zst.tmp" "$CORPUS.zst"
fi
ZSIZE=$(stat -c %s "$CORPUS.zst")
say "corpus $CORPUS: $SIZE bytes, $(cat "$CORPUS.info" 2>/dev/null ||
    echo 'composition unknown')"
say "corpus: zstd -3 compresses it to $ZSIZE bytes (ratio $(awk -v a="$SIZE" \
    -v b="$ZSIZE" 'BEGIN { printf "%.2f", a / b }'))"
say "machine: $(nproc) cores, $(uname -srm), $("$DD" --version 2>/dev/null |
    head -1), $(zstd -V | sed 's/^\** *//; s/, by .*//')"
say "corpus sha256: $(cat "$CORPUS.sha256" 2>/dev/null || echo unknown)"

# CPU already in use (by other processes) over one second: the numbers
# are only as steady as the machine is quiet.
busy_pct() {
	local a b
	read -ra a < <(grep '^cpu ' /proc/stat)
	sleep 1
	read -ra b < <(grep '^cpu ' /proc/stat)
	awk -v u="$((b[1] + b[2] + b[3] + b[6] + b[7] + b[8] - a[1] - a[2] - a[3] - a[6] - a[7] - a[8]))" \
	    -v i="$((b[4] + b[5] - a[4] - a[5]))" \
	    'BEGIN { printf "%.0f", (u + i) ? 100 * u / (u + i) : 0 }'
}
BUSY=$(busy_pct 2>/dev/null || echo '?')
say "machine load before the bench: ${BUSY}% of CPU busy" \
    "(load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null))"
[ "$BUSY" != '?' ] && [ "$BUSY" -gt 20 ] &&
    say "warning: the machine is busy; the times below are noisy"

# Warm the page cache.
cat "$CORPUS" "$CORPUS.zst" >/dev/null

# ---- timing ----



case_bytes() {
	local f n=0
	for f in "$1" "$1-wal"; do
		[ -f "$f" ] && n=$((n + $(stat -c %s "$f")))
	done
	echo "$n"
}

PEER_OUT=$WORK/peer.out
DD_OUT=$WORK/export.out

# Peer and drydock runs alternate, so that load from other processes on
# the machine falls on both alike; the best run of each is kept.


P_ING='' P_ING_CPU='' D_ING='' D_ING_CPU='' D_RSS='' ID=''
for ((r = 1; r <= RUNS; r++)); do
	# Peer ingest: zstd -3 on one thread, writing a real file like
	# drydock does.
	rm -f "$PEER_OUT"
	sync
	timed zstd -3 -T1 -q -c "$CORPUS" >"$PEER_OUT"
	say "zstd -3 -T1    run $r: ${T_WALL}s (user $T_USER, sys $T_SYS)"
	[ "$(minf "$P_ING" "$T_WALL")" = "$T_WALL" ] && P_ING_CPU=$(cpu_of)
	P_ING=$(minf "$P_ING" "$T_WALL")
	rm -f "$PEER_OUT"

	# drydock ingest: a fresh case each run; only the ingest is timed.
	rm_case "$CASE"
	"$DD" -q init "$CASE" >/dev/null || die "drydock init failed"
	sync
	timed "$DD" -q ingest --as raw "$CASE" "$CORPUS" >"$WORK/ingest.txt"
	say "drydock ingest run $r: ${T_WALL}s (user $T_USER, sys $T_SYS," \
	    "peak RSS $((T_RSS / 1024)) MiB)"
	[ "$(minf "$D_ING" "$T_WALL")" = "$T_WALL" ] && D_ING_CPU=$(cpu_of)
	D_ING=$(minf "$D_ING" "$T_WALL")
	D_RSS=$(maxi "$D_RSS" "$T_RSS")
done
CASE_SIZE=$(case_bytes "$CASE")

# The artifact id: from `drydock query` when there is one, else from the
# ingest line "'PATH': artifact N, ...".
if "$DD" query --help >/dev/null 2>&1; then
	ID=$("$DD" -q query --format csv "$CASE" \
	    "SELECT max(id) AS id FROM artifacts" 2>/dev/null | sed -n 2p |
	    grep -E '^[0-9]+$' || true)
fi
[ -n "$ID" ] || ID=$(sed -n 's/.*: artifact \([0-9][0-9]*\),.*/\1/p' \
    "$WORK/ingest.txt" | head -1)
[ -n "$ID" ] || die "cannot find the artifact id in: $(cat "$WORK/ingest.txt")"

P_EXP='' D_EXP='' D_EXP_RSS='' D_EXPS=''
for ((r = 1; r <= RUNS; r++)); do
	# Peer export: zstd -d of the same bytes, to a file.
	rm -f "$PEER_OUT"
	sync
	timed zstd -d -q -c "$CORPUS.zst" >"$PEER_OUT"
	say "zstd -d        run $r: ${T_WALL}s (user $T_USER, sys $T_SYS)"
	P_EXP=$(minf "$P_EXP" "$T_WALL")
	rm -f "$PEER_OUT"

	# drydock export to a file: it proves the SHA-256 itself, then
	# renames the file into place; cmp checks once more.
	rm -f "$DD_OUT"
	sync
	timed "$DD" -q export "$CASE" "$ID" -o "$DD_OUT" >/dev/null
	say "drydock export run $r: ${T_WALL}s (user $T_USER, sys $T_SYS," \
	    "peak RSS $((T_RSS / 1024)) MiB)"
	D_EXP=$(minf "$D_EXP" "$T_WALL")
	D_EXP_RSS=$(maxi "$D_EXP_RSS" "$T_RSS")
	if [ "$r" -eq 1 ]; then
		cmp -s "$CORPUS" "$DD_OUT" ||
		    die "the exported bytes differ from the corpus"
	fi
	rm -f "$DD_OUT"

	# The same onto standard output (no temporary file, no rename).
	sync
	timed "$DD" -q export "$CASE" "$ID" -o - >"$DD_OUT"
	say "drydock export -o - run $r: ${T_WALL}s (user $T_USER," \
	    "sys $T_SYS)"
	D_EXPS=$(minf "$D_EXPS" "$T_WALL")
	rm -f "$DD_OUT"
done

# Peak RSS on a 4 GiB input: the 1 GiB-or-so corpus, then pseudo-random
# (incompressible, unique) bytes up to 2 GiB, then a hole (zeros) to 4 GiB.
B_RSS=''
if [ "$RSS_BIG" = 1 ]; then
	BIG=$WORK/big-4g.bin
	BIGSZ=$((4 * 1024 * 1048576))
	say "building a 4 GiB input for the memory check"
	head -c "$((BIGSZ / 2))" "$CORPUS" >"$BIG"
	if [ "$(stat -c %s "$BIG")" -lt "$((BIGSZ / 2))" ]; then
		need=$((BIGSZ / 2 - $(stat -c %s "$BIG")))
		if command -v openssl >/dev/null; then
			openssl enc -aes-128-ctr -nosalt -pass pass:drydock-bench \
			    -pbkdf2 </dev/zero 2>/dev/null | head -c "$need" >>"$BIG" ||
			    true
		else
			head -c "$need" /dev/urandom >>"$BIG"
		fi
	fi
	truncate -s "$BIGSZ" "$BIG"
	rm_case "$WORK/big.drydock"
	"$DD" -q init "$WORK/big.drydock" >/dev/null || die "drydock init failed"
	timed "$DD" -q ingest --as raw "$WORK/big.drydock" "$BIG" >/dev/null
	say "drydock ingest 4 GiB: ${T_WALL}s (user $T_USER, sys $T_SYS," \
	    "peak RSS $((T_RSS / 1024)) MiB)"
	B_RSS=$T_RSS
	rm -f "$BIG"
	rm_case "$WORK/big.drydock"
fi

# ---- the table ----

ROWS=()	# metric TAB drydock TAB peer TAB peer-tool TAB ratio TAB target TAB ok

# ratio_row METRIC DRYDOCK PEER TOOL MAX: a time compared with its peer.
ratio_row() {
	local ratio ok
	ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')
	ok=$(awk -v r="$ratio" -v m="$5" 'BEGIN { print (r <= m) ? "yes" : "NO" }')
	row "$1" "$(printf %.2f "$2")" "$(printf %.2f "$3")" "$4" "$ratio" \
	    "<= $5" "$ok"
}
rss_row() {
	local mib=$(($2 / 1024)) ok=NO
	[ "$mib" -lt "$TGT_RSS" ] && ok=yes
	row "$1" "$mib" - - - "< $TGT_RSS" "$ok"
}

ratio_row "ingest $LABEL (s)" "$D_ING" "$P_ING" "zstd -3 -T1" "$TGT_INGEST"
row "ingest CPU user+sys (s)" "$(printf %.2f "$D_ING_CPU")" \
    "$(printf %.2f "$P_ING_CPU")" "zstd -3 -T1" \
    "$(awk -v a="$D_ING_CPU" -v b="$P_ING_CPU" 'BEGIN { printf "%.2f", a / b }')" - -
ratio_row "export $LABEL (s)" "$D_EXP" "$P_EXP" "zstd -d" "$TGT_EXPORT"
row "export $LABEL, -o - no fsync (s)" "$(printf %.2f "$D_EXPS")" \
    "$(printf %.2f "$P_EXP")" "zstd -d" \
    "$(awk -v a="$D_EXPS" -v b="$P_EXP" 'BEGIN { printf "%.2f", a / b }')" - -
rss_row "ingest peak RSS, $LABEL (MiB)" "$D_RSS"
[ -n "$B_RSS" ] && rss_row "ingest peak RSS, 4 GiB (MiB)" "$B_RSS"
row "export peak RSS, $LABEL (MiB)" "$((D_EXP_RSS / 1024))" - - - - -
row "case size vs zstd -3 output (MiB)" \
    "$(awk -v a="$CASE_SIZE" 'BEGIN { printf "%.1f", a / 1048576 }')" \
    "$(awk -v a="$ZSIZE" 'BEGIN { printf "%.1f", a / 1048576 }')" "zstd -3" \
    "$(awk -v a="$CASE_SIZE" -v b="$ZSIZE" 'BEGIN { printf "%.3f", a / b }')" - -

{
	printf 'metric\tdrydock\tpeer\tpeer_tool\tratio\ttarget\tok\n'
	for r in "${ROWS[@]}"; do printf '%s\n' "${r%$'\t'}"; done
} >"$BD/results.tsv"

print_table
echo "(best of $RUNS alternating runs, page cache warm; $(nproc) cores," \
    "${BUSY}% busy before the start; build/bench/results.tsv)"
[ "${BENCH_STRACE:-1}" = 0 ] || "$ROOT/tests/bench/strace.sh"
[ "${BENCH_SCAP:-1}" = 0 ] || "$ROOT/tests/bench/scap.sh"
[ "${BENCH_ADFA:-1}" = 0 ] || "$ROOT/tests/bench/adfa.sh"
[ "${BENCH_PCAP:-1}" = 0 ] || "$ROOT/tests/bench/pcap.sh"
[ "${BENCH_ANALYZE:-1}" = 0 ] || "$ROOT/tests/bench/analyze.sh"
[ "${BENCH_IMAGE:-1}" = 0 ] || "$ROOT/tests/bench/image.sh"
[ "${BENCH_CORE:-1}" = 0 ] || "$ROOT/tests/bench/core.sh"
[ "${BENCH_PROCSNAP:-1}" = 0 ] || "$ROOT/tests/bench/procsnap.sh"
[ "${BENCH_CTRLOG:-1}" = 0 ] || "$ROOT/tests/bench/ctrlog.sh"
[ "${BENCH_AUDIT:-1}" = 0 ] || "$ROOT/tests/bench/audit.sh"
[ "${BENCH_TUI:-1}" = 0 ] || "$ROOT/tests/bench/tui.sh"
[ "${BENCH_REPLAY:-1}" = 0 ] || "$ROOT/tests/bench/replay.sh"
[ "${BENCH_PROFILE:-1}" = 0 ] || "$ROOT/tests/bench/profile.sh"

# the guard: every target of the tables above
if [ "$CHECK" = 1 ]; then
	missed=$(awk -F'\t' 'NR > 1 && $7 == "NO" { printf "  %s: %s (target %s)\n", $1, $2, $6 }' \
	    "$BD/results.tsv")
	echo
	if [ -n "$missed" ]; then
		echo "bench --check: targets missed:"
		echo "$missed"
		exit 1
	fi
	echo "bench --check: every target met ($(awk -F'\t' 'NR > 1 && $7 == "yes"' "$BD/results.tsv" | wc -l) judged rows)"
fi
