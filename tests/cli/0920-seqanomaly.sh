#!/usr/bin/env bash
# 0920-seqanomaly: the seqanomaly analyzer (replay's detectors over a
# case's traces). On the escape recordings: nothing without a baseline;
# with the benign recording tagged baseline, the escape chain and the
# agent are flagged and their evidence is their own events; a threshold
# above every score, or every trace in the baseline, flags nothing; a bad
# detector spec is a clear error.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
REC=$PWD/datasets/escape/rec
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
q() { "$DRYDOCK" query --format csv "$C" "$1" | tail -n +2; }
an() { "$DRYDOCK" -q analyze --only seqanomaly "$C" >/dev/null 2>"$T/e"; }

C=$T/c.dd
"$DRYDOCK" -q init "$C" >/dev/null
"$DRYDOCK" -q ingest "$C" "$REC/benign.txt" "$REC/chain.txt" "$REC/agent.txt" >/dev/null 2>&1
an
check "no baseline: no finding" "$(q "select count(*) from findings")" 0
"$DRYDOCK" -q tag "$C" artifact:1 baseline >/dev/null 2>&1
an
check "benign as baseline: the chain and the agent are flagged" \
    "$(q "select group_concat(x, ' ') from (select f.rule || ':' || (select artifact_id from events where id = cast(e.key as integer)) as x from findings f join finding_evidence e on e.finding_id = f.id and e.ord = 0 and e.relation = 'events' order by x)")" \
    "seq.anomaly:2 seq.anomaly:3"
check "the benign baseline itself is not flagged" \
    "$(q "select count(*) from findings f where title like '%artifact 1 %'")" 0
DRYDOCK_SEQ_THRESHOLD=1 an
check "a threshold above every score flags nothing" "$(q "select count(*) from findings")" 0
DRYDOCK_SEQ_DETECTOR=markov:w=5 an
check "another detector (markov) from the environment" \
    "$(q "select count(*) from findings where detail like 'Detector markov%'")" 2
DRYDOCK_SEQ_DETECTOR=nope an
rc=$?
[ "$rc" = 2 ] && grep -q "unknown detector 'nope'" "$T/e" && ok "a bad detector is named, exit 2" ||
	bad "bad detector: rc $rc $(cat "$T/e")"
"$DRYDOCK" -q tag "$C" artifact:2 baseline >/dev/null 2>&1
"$DRYDOCK" -q tag "$C" artifact:3 baseline >/dev/null 2>&1
an
check "everything in the baseline: nothing to flag" "$(q "select count(*) from findings")" 0

echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
