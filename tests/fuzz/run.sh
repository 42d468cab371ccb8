#!/usr/bin/env bash
# tests/fuzz/run.sh: run libFuzzer targets built by `make VARIANT=fuzz fuzz`.
#
#   tests/fuzz/run.sh [TARGET|all] [SECONDS]      (defaults: all 60)
#
# TARGET is a tests/fuzz/fz-TARGET.c name, with or without the fz- prefix
# (sniff, fz-rd, ...). Each target runs for SECONDS over
#   build/fuzz/work/TARGET         a writable copy of its seeds; new inputs
#                                  libFuzzer finds stay here (not committed)
#   tests/fuzz/corpus/TARGET       the committed seeds (read, never written)
# with tests/fuzz/TARGET.dict when it exists. Crash, leak, timeout and OOM
# inputs go to build/fuzz/crashes/TARGET-*; the full log to
# build/fuzz/logs/TARGET.log. One summary line per target:
#   fuzz: sniff: ok 120s execs=... exec/s=... cov=... ft=... corpus=... new=...
# (seconds actually run; cov and ft from libFuzzer's last status line).
# Committed crashers (corpus/TARGET/crash-*) are tried first; those that
# still crash are listed as known and left out of the run, and count as a
# failure. Exits 1 if any target crashed, has known crashes or failed to
# start, 2 on usage errors.
#
# Environment: FUZZ_ARGS adds libFuzzer flags (e.g. "-max_len=70000
# -jobs=2"); UBSAN_OPTIONS and ASAN_OPTIONS are respected when set;
# target switches pass through.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

BIN_DIR=build/fuzz/fuzz
WORK_DIR=build/fuzz/work
CRASH_DIR=build/fuzz/crashes
LOG_DIR=build/fuzz/logs
SEED_DIR=tests/fuzz/corpus

usage() {
	sed -n '2,24p' "$0" >&2
	exit 2
}

all_targets() {
	local f
	for f in tests/fuzz/fz-*.c; do
		[ -e "$f" ] || continue
		f=${f##*/fz-}
		echo "${f%.c}"
	done
}

target=${1:-all}
secs=${2:-60}
[ $# -gt 2 ] && usage
case $secs in
'' | *[!0-9]*) echo "run.sh: SECONDS must be a whole number: '$secs'" >&2; usage ;;
esac
case $target in
-h | --help) usage ;;
all) targets=$(all_targets) ;;
*)
	target=${target#fz-}
	if [ ! -e "tests/fuzz/fz-$target.c" ]; then
		echo "run.sh: no target '$target' (have: $(all_targets | tr '\n' ' '))" >&2
		exit 2
	fi
	targets=$target ;;
esac

# UBSan findings are crashes, not warnings, and come with a stack.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}

mkdir -p "$WORK_DIR" "$CRASH_DIR" "$LOG_DIR"
failed=0
for t in $targets; do
	bin=$BIN_DIR/fz-$t
	if [ ! -x "$bin" ] && [ -x "build/fuzz/fz-$t" ]; then
		bin=build/fuzz/fz-$t
	fi
	if [ ! -x "$bin" ]; then
		echo "fuzz: $t: FAILED: $bin is not built (run ./build.sh fuzz, or make VARIANT=fuzz fuzz)"
		failed=1
		continue
	fi
	work=$WORK_DIR/$t
	seeds=$SEED_DIR/$t
	log=$LOG_DIR/$t.log
	mkdir -p "$work"
	: >"$log"
	dirs=("$work")
	known=()
	if [ -d "$seeds" ]; then
		# Committed crashers (crash-*) that still crash are known,
		# unfixed bugs: report them and fuzz without them, or libFuzzer
		# would stop while loading the corpus.
		for f in "$seeds"/crash-*; do
			[ -e "$f" ] || continue
			# A subshell, so the shell's "Aborted" goes to the log.
			if ! ("$bin" -timeout=10 "$f") >>"$log" 2>&1; then
				known+=("${f##*/}")
			fi
		done
		# Seed the work dir; later runs keep what they found.
		for f in "$seeds"/*; do
			case ${f##*/} in crash-*) continue ;; esac
			cp -n "$f" "$work"/ 2>/dev/null || true
		done
		[ ${#known[@]} -eq 0 ] && dirs+=("$seeds")
	fi
	args=(-max_total_time="$secs" -print_final_stats=1 -timeout=10
		-artifact_prefix="$CRASH_DIR/$t-")
	[ -e "tests/fuzz/$t.dict" ] && args+=(-dict="tests/fuzz/$t.dict")
	# shellcheck disable=SC2206
	[ -n "${FUZZ_ARGS:-}" ] && args+=($FUZZ_ARGS)
	echo "fuzz: $t: $bin ${args[*]} ${dirs[*]}" >&2
	t0=$SECONDS
	("$bin" "${args[@]}" "${dirs[@]}") >>"$log" 2>&1
	rc=$?
	took=$((SECONDS - t0))

	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	newu=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
	if [ $rc -eq 0 ]; then
		status=ok
	else
		status="CRASHED (exit $rc)"
		failed=1
	fi
	if [ ${#known[@]} -gt 0 ]; then
		status="$status, ${#known[@]} known crash(es) still reproduce"
		failed=1
	fi
	echo "fuzz: $t: $status ${took}s execs=${execs:-?} exec/s=${eps:-?}" \
		"cov=${cov:-?} ft=${ft:-?} corpus=${corp:-?} new=${newu:-?}" \
		"rss=${rss:-?}MB"
	for f in "${known[@]}"; do
		echo "    known: $seeds/$f (unfixed; fuzzed without it)"
	done
	if [ $rc -ne 0 ]; then
		grep -E '^==[0-9]+==ERROR|runtime error|^SUMMARY|deadly signal|Test unit written' \
			"$log" | head -8 | sed 's/^/    /'
		echo "    log: $log"
		echo "    reproduce: $bin CRASH_FILE;" \
			"minimize: $bin -minimize_crash=1 -runs=20000 CRASH_FILE"
	fi
done
exit $failed
