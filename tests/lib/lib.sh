# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: Apache-2.0
#
# tests/lib/lib.sh: shared helpers for the end-to-end tests in tests/cli/.
#
# A test script starts with
#
#	#!/usr/bin/env bash
#	set -u
#	. "$(dirname "$0")/../lib/lib.sh"
#
# and ends with `t_done`. Scripts are run from the project root. Sourcing
# this file:
#   - sets DRYDOCK (default: $PWD/build/asan/drydock), DRYDOCK_RELEASE
#     (default: $PWD/build/release/drydock) and FIX (the shared fixtures,
#     $FIXTURES or ../shared/fixtures; datasets/sample when that is missing);
#   - exports DRYDOCK_NOW, DRYDOCK_EXAMINER and the sanitizer options;
#   - makes a fresh temporary directory $T, removed on exit (with any
#     background job registered with t_bg).
#
# Every check prints one line, "ok - ..." or "FAIL - ..." (with the last
# command, its status and its output); t_done prints the totals and exits 0
# only when no check failed.

DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
DRYDOCK_RELEASE=${DRYDOCK_RELEASE:-$PWD/build/release/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
[ -d "$FIX" ] || FIX=$PWD/datasets/sample
export DRYDOCK_NOW=${DRYDOCK_NOW:-2026-01-02T03:04:05Z}
export DRYDOCK_EXAMINER=${DRYDOCK_EXAMINER:-tester}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
unset DRYDOCK_PLUGIN_PATH

T_NAME=$(basename "$0" .sh)
T_PASS=0
T_FAIL=0
T_BG_PIDS=""
T=$(mktemp -d "${TMPDIR:-/tmp}/drydock-$T_NAME.XXXXXX") || {
	echo "FAIL - $T_NAME: mktemp -d" >&2
	exit 1
}

t_cleanup() {
	local p
	for p in $T_BG_PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$DRYDOCK" ]; then
	echo "FAIL - $T_NAME: no drydock binary at $DRYDOCK"
	exit 1
fi

# t_bg PID: kill -9 this background process on exit if it is still alive.
t_bg() { T_BG_PIDS="$T_BG_PIDS $1"; }

# run CMD [ARG...]: runs CMD with stdin from /dev/null; stdout goes to
# $T/.out, stderr to $T/.err, the status to RC. OUT and ERR hold the text.
RC=0
OUT=""
ERR=""
LAST_CMD=""
run() {
	LAST_CMD="$*"
	"$@" >"$T/.out" 2>"$T/.err" </dev/null
	RC=$?
	OUT=$(cat "$T/.out")
	ERR=$(cat "$T/.err")
	return 0
}

# dk ARG...: run "$DRYDOCK" ARG... (as run).
dk() { run "$DRYDOCK" "$@"; }

t_show() {
	echo "    command: $LAST_CMD"
	echo "    status:  $RC"
	if [ -s "$T/.out" ]; then
		echo "    stdout:"
		head -c 4000 "$T/.out" | sed 's/^/      | /'
	fi
	if [ -s "$T/.err" ]; then
		echo "    stderr:"
		head -c 4000 "$T/.err" | sed 's/^/      | /'
	fi
}

ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok   - $*"
}

# fail MSG: a failed check, with the last command's output.
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*"
	t_show
}

# fail_only MSG: a failed check not tied to the last command.
fail_only() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*"
}

# t_sanitized: true when the last command's stderr holds a sanitizer report.
t_sanitized() {
	grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' "$T/.err" 2>/dev/null
}

# expect_rc N DESC: the last command exited N (and reported no sanitizer
# error).
expect_rc() {
	if t_sanitized; then
		fail "$2 (sanitizer report)"
	elif [ "$RC" -eq "$1" ]; then
		ok "$2"
	else
		fail "$2 (expected status $1)"
	fi
}

# expect_err DESC TEXT...: stderr of the last command contains every TEXT
# (fixed strings).
expect_err() {
	local d=$1 s
	shift
	for s in "$@"; do
		if ! grep -qF -- "$s" "$T/.err"; then
			fail "$d (stderr lacks '$s')"
			return
		fi
	done
	ok "$d"
}

# expect_out DESC TEXT...: stdout of the last command contains every TEXT.
expect_out() {
	local d=$1 s
	shift
	for s in "$@"; do
		if ! grep -qF -- "$s" "$T/.out"; then
			fail "$d (stdout lacks '$s')"
			return
		fi
	done
	ok "$d"
}

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail_only "$1"
		echo "    expected: $2"
		echo "    actual:   $3"
	fi
}

# expect_ne DESC A B
expect_ne() {
	if [ "$2" != "$3" ]; then
		ok "$1"
	else
		fail_only "$1 (both are '$2')"
	fi
}

# check DESC CMD...: the command succeeds (its output is not shown unless
# it fails).
check() {
	local d=$1
	shift
	if "$@" >"$T/.cout" 2>&1; then
		ok "$d"
	else
		local rc=$?
		fail_only "$d"
		echo "    command: $* (status $rc)"
		head -c 4000 "$T/.cout" | sed 's/^/      | /'
	fi
}

# sql DB SQL: sqlite3 with a busy timeout, list mode, no header.
sql() {
	sqlite3 -batch -noheader -cmd '.timeout 5000' "$1" "$2"
}

# head_of CASE: the custody head as stored in the case.
head_of() {
	sql "$1" 'select hash from custody order by seq desc limit 1'
}

# err_head: the custody head printed on stderr by the last command.
err_head() {
	sed -n 's/^custody head: \([0-9a-f]\{64\}\)$/\1/p' "$T/.err" | tail -n 1
}

# expect_head DESC CASE: the last command printed the custody head on
# stderr and it is the case's last custody hash.
expect_head() {
	local h s
	h=$(err_head)
	s=$(head_of "$2")
	if [ -n "$h" ] && [ "$h" = "$s" ]; then
		ok "$1"
	else
		fail "$1 (printed '$h', stored '$s')"
	fi
}

# case_state CASE: custody rows, artifacts (all, including unfinished
# ones), chunks and custody head, as one line to compare before/after.
case_state() {
	sql "$1" "select (select count(*) from custody) || ' ' ||
		(select count(*) from artifact_all) || ' ' ||
		(select count(*) from chunks) || ' ' ||
		(select hash from custody order by seq desc limit 1)"
}

# sha FILE: its SHA-256 in hex.
sha() { sha256sum "$1" | cut -d' ' -f1; }

# t_done: print the totals and exit 0 only when every check passed.
t_done() {
	echo "# $T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
	exit
}

# fifo_run FIFO READER CMD [ARG...]: makes the FIFO, starts the shell
# function or command READER with its stdin from the FIFO (its stdout and
# stderr to $T/.reader), then runs CMD as `run` does (CMD is expected to
# write to the FIFO). The reader's status is in FIFO_RC. If CMD never opened
# the FIFO, the reader is released (it sees an empty stream).
FIFO_RC=0
fifo_run() {
	local fifo=$1 reader=$2 rp
	shift 2
	rm -f "$fifo"
	if ! mkfifo "$fifo"; then
		RC=99
		FIFO_RC=99
		return 0
	fi
	"$reader" <"$fifo" >"$T/.reader" 2>&1 &
	rp=$!
	t_bg "$rp"
	run "$@"
	# Opening a FIFO read-write never blocks on Linux and releases a
	# reader still waiting for a writer.
	: <>"$fifo"
	wait "$rp"
	FIFO_RC=$?
	return 0
}

# t_is_root: true when running as root (chmod does not stop root).
t_is_root() { [ "$(id -u)" -eq 0 ]; }
