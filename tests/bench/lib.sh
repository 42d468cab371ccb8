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
# cpu_probe: the cores' speeds, as virtual machines may give unequal ones
# (one core here ran compute 1.6x slower than the other for a while).
# Sets CPU_FAST (the fastest core, for pinning one-thread runs:
# `taskset -c "$CPU_FAST" CMD`), PIN (that prefix as an array, empty
# without taskset) and CPU_CEIL (the most N threads can gain over one on
# the fastest core: the sum of the speeds over the fastest's).
cpu_probe() {
	local c t n best="" sp=""
	CPU_FAST="" PIN=() CPU_CEIL=$(nproc)
	command -v taskset >/dev/null || return 0
	n=$(nproc)
	for c in $(seq 0 $((n - 1))); do
		t=$(for _ in 1 2 3; do
			timed taskset -c "$c" awk \
			    'BEGIN { for (i = 0; i < 2000000; i++) s += i * i }'
			echo "$T_WALL"
		done | median)
		sp="$sp $t"
		if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$t CPU_FAST=$c
		fi
	done
	PIN=(taskset -c "$CPU_FAST")
	CPU_CEIL=$(echo "$sp" | awk -v f="$best" '{ for (i = 1; i <= NF; i++) s += f / $i; printf "%.2f", s }')
	say "core speeds (s per probe):$sp; one-thread runs pinned to core $CPU_FAST; $n threads can gain at most ${CPU_CEIL}x"
}
# bench_scap_30m WORK: $BD/scap-30m.scap, written once: 30,200,000 raw
# scap events (10 million event rows) of a real docker capture repeated by
# libscap's writer (tests/bench/scap-big.c, built into $BD/scap-big).
bench_scap_30m() {
	local tool=$BD/scap-big
	local inc="-I/usr/include/falcosecurity-libs/userspace/libscap -I/usr/include/falcosecurity-libs/driver"
	[ -s "$BD/scap-30m.scap" ] && return 0
	if [ ! -x "$tool" ] || [ "$ROOT/tests/bench/scap-big.c" -nt "$tool" ]; then
		# shellcheck disable=SC2086
		gcc -O2 $inc -o "$tool" "$ROOT/tests/bench/scap-big.c" -lscap ||
		    die "cannot build $tool"
	fi
	say "writing 30,200,000 raw scap events (10 million event rows)"
	zcat "$ROOT/tests/data/scap/falco_psp_run_as_user_0_container.scap" \
	    >"$1/src.scap"
	"$tool" write "$1/src.scap" "$BD/scap-30m.scap.tmp" 30200000 \
	    >/dev/null || die "cannot write the capture"
	mv "$BD/scap-30m.scap.tmp" "$BD/scap-30m.scap"
	rm -f "$1/src.scap"
}
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
