# tests/bench/lib.sh: helpers shared by bench.sh and strace.sh (sourced).
# shellcheck shell=bash disable=SC2034
# The caller sets BENCH_TAG (the message prefix) and WORK (a scratch dir),
# and fills the ROWS array with row() before print_table.

die() {
	echo "$BENCH_TAG: $*" >&2
	exit 1
}

# bench_init: the common start of a bench script: LC_ALL=C, the project
# root as working directory, ROOT, DD (DRYDOCK, or build/drydock; it must
# exist), BD (build/bench, created) and RUNS (BENCH_RUNS, default 3).
bench_init() {
	export LC_ALL=C
	cd "$(dirname "${BASH_SOURCE[1]}")/../.."
	ROOT=$PWD
	DD=${DRYDOCK:-$ROOT/build/drydock}
	BD=$ROOT/build/bench
	RUNS=${BENCH_RUNS:-3}
	[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh bench)"
	mkdir -p "$BD"
}
say() { echo "$BENCH_TAG: $*" >&2; }

# timed CMD...: run CMD (stdout as redirected by the caller), set T_WALL
# (seconds), T_USER, T_SYS (seconds) and T_RSS (KiB). Fails the bench if
# CMD fails; for grep (CMD "grep"), only above exit status 1 (a count of 0
# is an answer, not a failure).
timed() {
	local tf=$WORK/time.out s e rc=0
	s=$(date +%s%N)
	/usr/bin/time -f '%U %S %M' -o "$tf" "$@" || rc=$?
	e=$(date +%s%N)
	if [ "$rc" -ne 0 ] && ! { [ "$1" = grep ] && [ "$rc" -eq 1 ]; }; then
		sed '/^Command exited/d' "$tf" >&2 2>/dev/null || true
		die "command failed: $*"
	fi
	T_WALL=$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
	read -r T_USER T_SYS T_RSS < <(tail -1 "$tf")
}

# Best (lowest) of a and b; largest integer of a and b.
minf() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
maxi() { if [ -z "$1" ] || [ "$2" -gt "$1" ]; then echo "$2"; else echo "$1"; fi; }
cpu_of() { awk -v u="$T_USER" -v s="$T_SYS" 'BEGIN { print u + s }'; }
rm_case() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal" "$1.lock"; }

# row METRIC DRYDOCK PEER PEER_TOOL RATIO TARGET OK
row() { ROWS+=("$(printf '%s\t' "$@")"); }

# The rows as an aligned table: metric | drydock | peer (tool) | ratio |
# target | ok.
print_table() {
	{
		printf 'metric\tdrydock\tpeer\tratio\ttarget\tok\n'
		for r in "${ROWS[@]}"; do
			IFS=$'\t' read -r m d p t ra ta ok <<<"$r"
			[ "$t" != - ] && p="$p ($t)"
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$m" "$d" "$p" "$ra" "$ta" "$ok"
		done
	} | awk -F'\t' '
	{ for (i = 1; i <= NF; i++) { c[NR, i] = $i
		if (length($i) > w[i]) w[i] = length($i) } n = NR; nf = NF }
	END {
		for (r = 1; r <= n; r++) {
			line = ""
			for (i = 1; i <= nf; i++) {
				f = (i == 1) ? "%-" w[i] "s" : "%" w[i] "s"
				line = line (i > 1 ? " | " : "") sprintf(f, c[r, i])
			}
			print line
			if (r == 1) {
				line = ""
				for (i = 1; i <= nf; i++) {
					s = sprintf("%" w[i] "s", ""); gsub(/ /, "-", s)
					line = line (i > 1 ? "-|-" : "") s
				}
				print line
			}
		}
	}'
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# yes_no EXPR: "yes" when the awk expression holds, else "NO".
yes_no() { awk "BEGIN { print ($1) ? \"yes\" : \"NO\" }"; }
# ratio A B: A / B with three decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# append_results: the ROWS as lines of $BD/results.tsv (with a header
# line when the file is new), for comparing runs.
append_results() {
	local hdr=0 r
	[ -s "$BD/results.tsv" ] || hdr=1
	{
		[ "$hdr" = 0 ] ||
		    printf 'metric\tdrydock\tpeer\tpeer_tool\tratio\ttarget\tok\n'
		for r in "${ROWS[@]}"; do printf '%s\n' "${r%$'\t'}"; done
	} >>"$BD/results.tsv"
}
