#!/usr/bin/env bash
# drydock opens no network socket: ingest (every kind of the sample
# incident), analyze, explain, report in every format, query, export,
# export-pcap, verify, profile and the TUI (walked through its screens) run
# under strace -f; no socket of the families AF_INET, AF_INET6, AF_NETLINK
# or AF_PACKET is created (AF_UNIX, which the C library may use for name
# services, is allowed).
set -u
. "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	echo "FAIL - $T_NAME: strace is not installed (./build.sh deps)"
	exit 1
fi
if ! strace -f -o /dev/null true 2>/dev/null; then
	echo "note: strace cannot trace here (ptrace refused): no check"
	t_done
fi
REAL=$DRYDOCK
LOG=$T/strace
# LeakSanitizer cannot run under ptrace (leaks are the other tests' job)
export ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
# every drydock below runs through strace, each process's calls to LOG.PID
cat >"$T/dd" <<SH
#!/bin/sh
exec strace -f -qq -ff -e trace=socket,socketpair -o '$LOG' '$REAL' "\$@"
SH
chmod +x "$T/dd"
DRYDOCK=$T/dd

CASE=$T/n.drydock
dk -q init "$CASE"
expect_rc 0 "init"
dk -q ingest "$CASE" datasets/sample-incident/evidence/*
expect_rc 0 "ingest the sample incident (every kind)"
dk -q analyze "$CASE"
expect_rc 0 "analyze"
for f in html json md csv sarif timesketch; do
	dk -q report --format "$f" -o "$T/r.$f" "$CASE"
	[ "$RC" -eq 0 ] || fail "report --format $f"
done
ok "report in every format"
dk query "$CASE" "select count(*) from findings"
expect_rc 0 "query"
id=$("$REAL" query --format csv "$CASE" "select id from findings order by id limit 1" | tail -n 1)
dk explain "$CASE" "$id"
expect_rc 0 "explain"
dk export "$CASE" 1 -o "$T/a1"
expect_rc 0 "export"
pc=$("$REAL" query --format csv "$CASE" "select id from artifacts where importer = 'pcap' limit 1" | tail -n 1)
dk export-pcap --artifact "$pc" -o "$T/all.pcap" "$CASE"
expect_rc 0 "export-pcap"
dk profile seccomp "$CASE"
expect_rc 0 "profile seccomp"
dk verify "$CASE"
expect_rc 0 "verify"

tui_start "$CASE"
tui_wait "findings" 30
for k in Enter q 2 3 4 5 6 7 8 9 1 '?' Escape; do
	tui_keys "$k"
	sleep 0.2
done
tui_keys q
sleep 0.3
tui_keys q
st=$(tui_exit_status)
expect_eq "the TUI walked and quit" 0 "$st"
tui_sanitizers

n=$(ls "$LOG".* 2>/dev/null | wc -l)
[ "$n" -gt 0 ] && ok "strace logged $n processes" || fail_only "strace logged nothing"
bad=$(cat "$LOG".* 2>/dev/null | grep -E 'AF_INET|AF_INET6|AF_NETLINK|AF_PACKET|PF_INET|PF_NETLINK' | head -n 5)
expect_eq "no network socket in any of them" "" "$bad"
t_done
