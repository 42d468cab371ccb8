#!/usr/bin/env bash
# datasets/demo.sh: the main job on the bundled sample: build demo.drydock in
# the repository root from datasets/sample/, analyze it, print the report and
# verify the case. Run through ./build.sh demo (which builds first).
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
echo "== drydock ingest $CASE datasets/sample/"
"$D" ingest "$CASE" datasets/sample/
echo
echo "== drydock analyze $CASE"
"$D" analyze "$CASE"
echo
echo "== drydock report $CASE --format md"
"$D" report "$CASE" --format md
echo
echo "== drydock verify $CASE"
"$D" verify "$CASE"
echo
echo "The case is $CASE. Try:"
echo "  $D info $CASE"
echo "  $D query --format table $CASE 'SELECT id, name, format, size FROM artifacts'"
echo "  $D report $CASE --format json"
