# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/tui/lib.sh: drive `drydock tui` through tmux (CONVENTIONS.md, TUI
# tests: the tmux regress pattern). Sources tests/lib/lib.sh (checks, $T).
#
#   tui_start ARGS...     drydock tui ARGS in a detached 120x35 pane
#                         (TUI_W, TUI_H change the size)
#   tui_keys KEY...       tmux send-keys (names: Enter, Down, BSpace...)
#   tui_type TEXT         send TEXT literally
#   tui_wait TEXT [SECS]  poll the screen until it holds TEXT (no sleeps)
#   expect_screen DESC TEXT...   every TEXT shows on one screen (polled)
#   expect_no_screen DESC TEXT   TEXT is not on the screen now
#   expect_golden DESC FILE      the whole screen equals FILE
#                         (DDT_UPDATE_GOLDEN=1 writes FILE instead)
#   tui_exit_status       wait for drydock to exit; print its status
#   tui_sanitizers        fail if the asan build wrote a report
#
# Sanitizer output inside a pane would be lost, so ASAN_OPTIONS gets a
# log_path under $T and tui_sanitizers fails when a log appears.
. "$(dirname "$0")/../lib/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	echo "FAIL - $T_NAME: tmux is not installed (./build.sh deps)"
	exit 1
fi
TUI_SOCK=ddt$$
TUI_CONF=$PWD/tests/tui/tmux.conf
mkdir -p "$T/asan"
tui_kill() { tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1; }
trap 'tui_kill; t_cleanup' EXIT

tui_start() {
	local a q=""
	for a in "$@"; do
		q="$q '${a//\'/\'\\\'\'}'"
	done
	tmux -L "$TUI_SOCK" -f "$TUI_CONF" new-session -d -x "${TUI_W:-120}" \
	    -y "${TUI_H:-35}" "rm -f '$T/status'; env ASAN_OPTIONS='$ASAN_OPTIONS:log_path=$T/asan/log' \
UBSAN_OPTIONS='$UBSAN_OPTIONS:log_path=$T/asan/ubsan' \
DRYDOCK_TUI_LATENCY_LOG='$T/latency.log' TERM=tmux-256color LC_ALL=C.UTF-8 \
${TUI_ENV:-} '$DRYDOCK' tui$q; echo \$? >'$T/status'"
}

tui_keys() { tmux -L "$TUI_SOCK" send-keys "$@"; }
tui_type() { tmux -L "$TUI_SOCK" send-keys -l -- "$1"; }
tui_cap() { tmux -L "$TUI_SOCK" capture-pane -p >"$T/screen" 2>/dev/null; }

tui_wait() {
	local i=0 lim=$((${2:-30} * 20))
	while [ "$i" -lt "$lim" ]; do
		tui_cap
		grep -qF -- "$1" "$T/screen" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

tui_dump() {
	echo "    screen:"
	sed 's/^/      | /' "$T/screen"
}

expect_screen() {
	local d=$1 s i=0 lim=600 all
	shift
	# every TEXT on one capture (a capture may catch the terminal half
	# redrawn, so all are polled together)
	while [ "$i" -lt "$lim" ]; do
		tui_cap
		all=1
		for s in "$@"; do
			if ! grep -qF -- "$s" "$T/screen"; then
				all=0
				break
			fi
		done
		if [ "$all" = 1 ]; then
			ok "$d"
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	fail_only "$d (no '$s' on the screen)"
	tui_dump
	return 1
}

expect_no_screen() {
	tui_cap
	if grep -qF -- "$2" "$T/screen"; then
		fail_only "$1 ('$2' is on the screen)"
		tui_dump
	else
		ok "$1"
	fi
}

expect_golden() {
	tui_cap
	if [ -n "${DDT_UPDATE_GOLDEN:-}" ]; then
		cp "$T/screen" "$2"
		ok "$1 (golden written: $2)"
		return
	fi
	local i=0
	while [ "$i" -lt 100 ] && ! diff -q "$2" "$T/screen" >/dev/null; do
		sleep 0.05 # a capture may catch a screen half redrawn
		tui_cap
		i=$((i + 1))
	done
	if diff -u "$2" "$T/screen" >"$T/golden.diff"; then
		ok "$1"
	else
		fail_only "$1 (screen differs from $2)"
		sed 's/^/      /' "$T/golden.diff" | head -60
	fi
}

tui_exit_status() {
	local i=0
	# The shell around drydock writes its status: tmux 3.3a does not
	# always reap a pane's process (#{pane_dead_status} can stay empty
	# with the process a zombie), so the pane's own word is not relied on.
	while [ "$i" -lt 400 ]; do
		if [ -s "$T/status" ]; then
			cat "$T/status"
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	echo "alive"
}

tui_sanitizers() {
	if ls "$T"/asan/* >/dev/null 2>&1; then
		fail_only "sanitizer report from the TUI"
		head -c 6000 "$T"/asan/* | sed 's/^/      /'
	else
		ok "no sanitizer report"
	fi
}

# tui_sample_case PATH: the sample incident, imported and analyzed.
tui_sample_case() {
	DRYDOCK="$DRYDOCK" DEMO_CASE="$1" bash datasets/demo.sh \
	    >"$T/demo.log" 2>&1 </dev/null
}
