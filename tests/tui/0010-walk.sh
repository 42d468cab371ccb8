#!/usr/bin/env bash
# The sample incident, walked as an analyst would: dashboard, findings,
# a finding's explanation, then its evidence in three sources (the
# syscall, the flow and its packets, the image layer file), a filter, a
# bookmark (written to the case and custody), help, and quit with 0.
set -u
. "$(dirname "$0")/lib.sh"

CASE=$T/sample.drydock
tui_sample_case "$CASE"
[ -s "$CASE" ] || { fail_only "sample case built"; cat "$T/demo.log"; t_done; }
dk query "$CASE" "SELECT id FROM findings WHERE rule = 'corr.download_exec'"
FID=$(printf '%s\n' "$OUT" | sed -n 2p)
[ -n "$FID" ] && ok "the sample has corr.download_exec" || fail "finding id"

# every finding's evidence is a row the TUI can open (the detail pages are
# explain's document): none is missing from the case
evidence_opens() {
	local c=$1 what=$2 id missing=0
	dk query "$c" "SELECT id FROM findings"
	for id in $(printf '%s\n' "$OUT" | tail -n +2); do
		dk explain "$c" "$id"
		if [ "$RC" != 0 ] || grep -q "(not in the case)" "$T/.out"; then
			missing=1
			echo "    finding $id:"
			grep "(not in the case)" "$T/.out" | head -3
		fi
	done
	[ "$missing" = 0 ] && ok "every finding's evidence opens ($what)" ||
	    fail_only "evidence rows without details ($what)"
}
evidence_opens "$CASE" "sample incident"
# the same on a Docker host's runtime root (posture: container_mounts,
# daemon settings), when the shared fixtures are here
if [ -d "$FIX/dockerhost" ]; then
	H=$T/host.drydock
	dk -q init "$H"
	dk -q ingest "$H" "$FIX/dockerhost"
	dk -q analyze "$H"
	evidence_opens "$H" dockerhost
fi

tui_start "$CASE"
expect_screen "dashboard first: evidence, findings, activity" \
    "Evidence (8)" "Findings" "critical" "Activity over the span" \
    "capture.pcap.gz" "Containers (1)"

# findings, sorted by severity, then by rule (a tab)
tui_keys 2
expect_screen "findings list" "by severity" "esc.release_agent.write" \
    "Write to a cgroup"
expect_golden "the findings screen as captured" tests/tui/0010-findings.screen
tui_keys s
expect_screen "findings by rule" "by rule" "corr.download_exec"

# filter to one rule and open it
tui_keys '\'
tui_type "rule=corr.download_exec"
tui_keys Enter
expect_screen "filtered to one finding" "filter: rule=corr.download_exec" "1/1"
tui_keys Enter
expect_screen "the finding explained with its evidence" \
    "evidence (Enter opens a row" "correlate/corr.download_exec" \
    "exec.writer"

# evidence 1: the syscall, shown in the syscall screen
tui_keys / ; tui_type "show event"; tui_keys Enter
tui_keys Enter
expect_screen "evidence -> the syscall screen at the event" "Syscalls" \
    "execve" "/tmp/.x/implant"

# evidence 2: the flow and its packets
tui_keys 2
expect_screen "back on the finding" "correlate/corr.download_exec"
tui_keys / ; tui_type "packets of flow"; tui_keys Enter
tui_keys Enter
expect_screen "evidence -> the flow's packets, decoded" "(link type 1)" \
    "ipv4 10.78.0.2 > 10.78.0.1" "tcp 36206 > 8080 [S]" "0000  "
tui_keys q
# evidence 3: the layer file the shell ran from
tui_keys / ; tui_type "file_origins 1:/bin/busybox"; tui_keys Enter
tui_keys Enter
expect_screen "evidence -> the layer file's content" "00000000  7f 45 4c 46" \
    "file /bin/busybox" \
    "sha256 3d9f2889d6782537624a4e1a10e68a2ddd53e0ee8bac02676f27308f42ec6bf6"
tui_keys x
expect_screen "x shows it as text" "     1  "

# bookmark the finding row (a write, recorded in custody)
tui_keys q q
expect_screen "back to the list" "filter: rule=corr.download_exec"
tui_keys b
expect_screen "bookmarked" "bookmarked findings:$FID"
dk query "$CASE" "SELECT relation, key, tag FROM tags"
[ "$(printf '%s\n' "$OUT" | sed -n 2p)" = "findings,$FID,bookmark" ] &&
    ok "the bookmark is in the case" || fail "tags row"
dk query "$CASE" "SELECT action FROM custody ORDER BY seq DESC LIMIT 1"
[ "$(printf '%s\n' "$OUT" | sed -n 2p)" = "tag" ] &&
    ok "and in custody" || fail "custody row"
dk verify "$CASE"
expect_rc 0 "the case still verifies"
tui_keys B
expect_screen "bookmarks list" "findings:$FID" "01-02 03:04:05"

# find everywhere: one text across every source
tui_keys F; tui_type "evil.test"; tui_keys Enter
expect_screen "F finds a text in every source" "> everywhere: evil.test" \
    "findings:" "DNS tunnel" "processes:" "DNS:" "tools.evil.test  A 10.78.0.1"
tui_keys G
expect_screen "... HTTP too (at the end of the page)" "HTTP:" \
    "GET  tools.evil.test:8080  /implant"
tui_keys q

# help is made from the key table
tui_keys '?'
expect_screen "help overlay" "drydock tui: keys" "1-9" "filter:" "mouse"
tui_keys Escape

# every screen draws
for s in 3 4 5 6 7 8 9; do tui_keys "$s"; done
expect_screen "custody screen" "custody log" "evidence" "anomalies"
tui_keys 6
expect_screen "network screen" "flows" "dns" "10.78.0.2:36206"
tui_keys '>'
expect_screen "dns tab" "tools.evil.test"

# every tab of every screen reads its SQL without error
bad=0
for s in 2 3 4 5 6 7 8 9; do
	tui_keys "$s"
	for i in 1 2 3 4 5; do
		tui_keys '>'
		sleep 0.1
		tui_cap
		if grep -qE 'no such (column|table|function)|syntax error|SQL logic' \
		    "$T/screen"; then
			bad=1
			tui_dump
		fi
	done
done
[ "$bad" = 0 ] && ok "every tab of every screen draws without an SQL error" ||
    fail_only "an SQL error on a tab"

# q walks back to the dashboard, then quits with 0
tui_keys 1 q
st=$(tui_exit_status)
[ "$st" = 0 ] && ok "q on the dashboard quits with 0" ||
    { fail_only "exit status ($st)"; tui_cap; tui_dump; }
grep -q "^open	" "$T/latency.log" && grep -q "^Enter	" "$T/latency.log" &&
    ok "latency log written" || fail_only "latency log"
tui_sanitizers
t_done
