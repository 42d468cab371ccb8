#!/usr/bin/env bash
# datasets/demo.sh: the main job on the recorded sample incident: build
# demo.drydock in the repository root from datasets/sample-incident/evidence/
# (see its README), analyze it, print the summary, explain the download that
# spans syscalls, packets and the image, and verify the case. Run through
# ./build.sh demo (which builds first).
set -euo pipefail
cd "$(dirname "$0")/.."
D=${DRYDOCK:-build/drydock}
CASE=${DEMO_CASE:-demo.drydock}

if [ ! -x "$D" ]; then
	echo "demo: $D is missing; run ./build.sh demo" >&2
	exit 1
fi
rm -f "$CASE" "$CASE-wal" "$CASE-shm" "$CASE.lock"

echo "== drydock init $CASE"
"$D" init "$CASE"
echo
# The trace's strace -tt stamps are times of day: --date gives the day it
# was recorded (without it the file's mtime would, and a fresh clone's
# mtime is today: the trace would miss the capture by days)
echo "== drydock ingest --date 2026-12-03 $CASE datasets/sample-incident/evidence/*"
"$D" ingest --date 2026-12-03 "$CASE" datasets/sample-incident/evidence/*
echo
echo "== drydock analyze $CASE"
"$D" analyze "$CASE"
echo
echo "== the findings"
"$D" query --format table "$CASE" "SELECT severity, rule, title FROM findings ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END, rule, title"
echo
id=$("$D" query --format csv "$CASE" "SELECT id FROM findings WHERE rule = 'corr.download_exec' LIMIT 1" | tail -n +2)
if [ -n "$id" ]; then
	echo "== drydock explain $CASE ${id:0:12}   (syscalls, packets and the image, joined)"
	"$D" explain "$CASE" "${id:0:12}"
	echo
fi
echo "== drydock profile check $CASE --seccomp docker-default.json   (would Docker's default profile have stopped it?)"
"$D" profile check "$CASE" --seccomp tests/data/seccomp/docker-default.json | grep -v '^note: '
echo
"$D" report "$CASE" --format html -o demo-report.html
echo "== the report: demo-report.html (also: --format md|json|csv|sarif|timesketch)"
echo
echo "== drydock verify $CASE"
"$D" verify "$CASE"
echo
echo "The case is $CASE. Try:"
echo "  $D info $CASE"
echo "  $D query --format table $CASE 'SELECT id, name, format, size FROM artifacts'"
echo "  $D report $CASE --format json"
echo "  $D query --format table $CASE 'SELECT ts, source, summary FROM timeline WHERE container_id IS NOT NULL ORDER BY ts LIMIT 40'"
echo "  $D profile seccomp $CASE --container ddincident -o ddincident.json"
echo "  $D tui $CASE"
# On a terminal, the demo ends in the TUI on the same case (DEMO_TUI=0:
# not); q on the dashboard quits.
if [ -t 0 ] && [ -t 1 ] && [ "${DEMO_TUI:-1}" != 0 ]; then
	echo
	echo "== drydock tui $CASE   (2 findings, Enter opens, q goes back, ? keys)"
	sleep 1
	"$D" tui "$CASE"
fi
