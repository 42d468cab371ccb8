#!/usr/bin/env bash
# Evidence that holds escape sequences, C1 controls, a bidi override and
# wide characters: shown visibly, measured correctly, and the terminal is
# left as it was (no title change, no clear). Also the 80x24 minimum,
# resize, NO_COLOR, Tab cycling and mouse.
set -u
. "$(dirname "$0")/lib.sh"

CASE=$T/h.drydock
dk -q init "$CASE"
dk -q ingest "$CASE" tests/tui/data/hostile.strace
expect_rc 0 "hostile trace imported"

TUI_W=160 TUI_ENV="NO_COLOR=1" tui_start --screen 5 "$CASE"
expect_screen "escapes shown visibly in the syscall list" \
    '/tmp/\x1b[2J\x1b]0;pwned\x07evil\u{009b}x\u{202e}txt'
expect_screen "wide characters drawn whole" "/bin/漢字"
# the wide path's row is measured right: the columns after it line up
# (display columns: a wide character takes two)
tui_cap
cols=$(python3 -c '
import sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for l in open(sys.argv[1], encoding="utf-8"):
    for k in ("openat", "execve"):
        if k in l: print(w(l[:l.index(k)]))' "$T/screen" | sort -u | wc -l)
[ "$cols" = 1 ] && ok "columns aligned after wide characters" ||
    fail_only "columns differ"
title=$(tmux -L "$TUI_SOCK" display-message -p '#{pane_title}')
[ "$title" != pwned ] && ok "the pane title is untouched ($title)" ||
    fail_only "title changed to pwned"
tmux -L "$TUI_SOCK" capture-pane -e -p >"$T/esc"
if grep -q $'\e\[3[1-7]m\|\e\[38;' "$T/esc"; then
	fail_only "NO_COLOR: colour escapes on screen"
else
	ok "NO_COLOR: no colour"
fi

# one read snapshot: an import made meanwhile shows after F5
dk -q ingest "$CASE" tests/data/audit/audit.log
expect_rc 0 "a second import while the TUI is open"
tui_keys 9
expect_screen "the TUI still reads its snapshot" "evidence" "1/1"
tui_keys F5
expect_screen "F5 takes a new snapshot" "1/2"
tui_keys 5

# Enter: the event's detail, escaped too
tui_keys Enter
expect_screen "detail escaped" 'path=/tmp/\x1b[2J\x1b]0;pwned'

# too small a window says so; growing back redraws
tmux -L "$TUI_SOCK" resize-window -x 70 -y 20
expect_screen "80x24 minimum" "drydock needs at least 80x24"
tmux -L "$TUI_SOCK" resize-window -x 100 -y 30
expect_screen "resize redraws" "events 1" "Syscalls"

# Tab and Shift-Tab cycle the screens
tui_keys Tab
expect_screen "Tab: next screen" "flows   dns"
tui_keys BTab BTab
expect_screen "Shift-Tab: back twice" "tree"

# the syscall screen kept its stack: q leaves the detail, then the screen
tui_keys 5
expect_screen "screen 5 kept the detail page" "events 1"
tui_keys q q
expect_screen "q from a screen goes to the dashboard" "Evidence ("
tui_keys q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok "quit with 0" || fail_only "exit status $st"
tui_sanitizers
t_done
