#!/usr/bin/env bash
# 0790-tooljson: Falco alerts, Tracee events and detections, sysdig -j.
#
# Falco alerts (tests/data/alerts, real ones from Elastic's integration
# tests) are alert rows with each line's rule, priority, ATT&CK tags,
# container and process as jq reads them; Tracee events are events (name,
# host pid, return as jq reads them) and its detection an alert; the
# imported analyzer makes one finding per tool, rule and container with
# the tools' ATT&CK ids. sysdig -j output of every scap fixture gives the
# same completed syscalls (thread, name, return) as the scap importer
# reads from the capture itself, one event per exit line. Bad input: a
# torn line and a foreign object are anomalies; a file of none is
# rejected, case unchanged.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
if ! command -v jq >/dev/null; then
	echo "skip: jq absent"
	t_done
fi
D=tests/data/alerts
C=$T/case.drydock
dk init "$C"
dk ingest "$C" "$D/falco.jsonl" "$D/tracee.jsonl"
expect_rc 0 "Falco and Tracee output imports"
F=$(q "$C" "select id from artifacts where name = '$D/falco.jsonl'")
R=$(q "$C" "select id from artifacts where name = '$D/tracee.jsonl'")
jq -r '[.rule, .priority, ([.tags[] | select(test("^T[0-9]{4}(\\.[0-9]{3})?$"))] | join(",")), (.output_fields["container.full_id"] // .output_fields["container.id"]), .output_fields["proc.name"], (.output_fields["fd.name"] // "")] | join("|")' "$D/falco.jsonl" >"$T/jq.falco"
q "$C" "select rule || '|' || priority || '|' || coalesce(attack, '') || '|' || container_id || '|' || comm || '|' || coalesce(path, '') from alerts where artifact_id = $F order by seq" >"$T/dd.falco"
check "every Falco alert's rule, priority, ATT&CK tags, container, process, file as jq reads them" diff "$T/jq.falco" "$T/dd.falco"
expect_eq "Falco times (RFC 3339, ns)" "$(jq -r '.time' "$D/falco.jsonl" | while read -r t; do date -u -d "$t" +%s; done | tr '\n' ' ')" \
	"$(q "$C" "select ts / 1000000000 from alerts where artifact_id = $F order by seq" | tr '\n' ' ')"
jq -r 'select(.metadata == null) | [.eventName, .hostProcessId, .returnValue] | join("|")' "$D/tracee.jsonl" >"$T/jq.tracee"
q "$C" "select syscall || '|' || pid || '|' || ret from events where artifact_id = $R order by id" >"$T/dd.tracee"
check "Tracee events: name, host pid, return as jq reads them" diff "$T/jq.tracee" "$T/dd.tracee"
expect_eq "Tracee: syscalls are syscalls, LSM and scheduler events are events" "syscall syscall syscall event event" \
	"$(q "$C" "select kind from events where artifact_id = $R order by syscall" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "Tracee: a path, an fd with its path, an argv" "/etc/ld.so.cache|3=/etc/passwd|ls" \
	"$(q "$C" "select (select path from events where artifact_id = $R and syscall = 'openat') || '|' || (select fd || '=' || fd_path from events where artifact_id = $R and syscall = 'read') || '|' || (select args from events where artifact_id = $R and syscall = 'execve')")"
expect_eq "Tracee's detection is an alert" "tracee|Anti-Debugging detected|TRC-102|T1622|low|team-green|app-c-8b9cd456c-5h54z|44322" \
	"$(q "$C" "select tool || '|' || rule || '|' || rule_id || '|' || attack || '|' || severity || '|' || k8s_ns || '|' || k8s_pod || '|' || pid from alerts where artifact_id = $R")"
expect_eq "the tools' containers are containers (Falco's short id folded into its full id)" \
	"8498b67529680758f69b3a165b6ced82d90e7dae7c573dfa795a87925267230b|app 84c0b936c919|elastic-package-service-falco-event-generator-1 9656db3bb3588e7b23da7d48fe889434573036c27ae5a74837233de441c3601e|elastic-package-service-falco-event-generator-1" \
	"$(q "$C" "select id || '|' || name from containers order by id" | tr '\n' ' ' | sed 's/ $//')"
dk analyze "$C" --only imported
expect_rc 0 "the imported analyzer runs"
expect_eq "one finding per tool, rule and container, with the tools' ATT&CK ids" \
	"imported.falco.read_sensitive_file_trusted_after_startup|medium|T1555 imported.falco.read_sensitive_file_untrusted|medium|T1555 imported.falco.read_sensitive_file_untrusted|medium|T1555 imported.falco.run_shell_untrusted|low|T1059.004 imported.falco.system_user_interactive|info|T1059 imported.tracee.anti_debugging_detected|low|T1622" \
	"$(q "$C" "select rule || '|' || severity || '|' || (select group_concat(value) from json_each(attack)) from findings where analyzer = 'imported' order by rule, container_id" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "a finding's evidence is its first alert and its container" "alerts containers" \
	"$(q "$C" "select group_concat(relation, ' ') from (select e.relation from findings f join finding_evidence e on e.finding_id = f.id where f.rule = 'imported.tracee.anti_debugging_detected' order by e.ord)")"

# sysdig -j against the scap importer
if command -v sysdig >/dev/null && [ -d ../shared/fixtures/scap ]; then
	n=0
	for s in ../shared/fixtures/scap/*.scap; do
		b=$(basename "$s" .scap)
		sysdig -r "$s" -j >"$T/$b.jsonl" 2>/dev/null || continue
		[ -s "$T/$b.jsonl" ] || continue
		"$DRYDOCK" -q ingest "$C" --as scap "$s" >/dev/null 2>&1 || continue
		dk ingest "$C" "$T/$b.jsonl"
		[ "$RC" -eq 0 ] || { fail "sysdig -j of $b imports"; continue; }
		S=$(q "$C" "select max(id) from artifacts where name = '$s'")
		J=$(q "$C" "select id from artifacts where name = '$T/$b.jsonl'")
		q "$C" "select tid || ',' || syscall || ',' || ret from events where artifact_id = $S and kind = 'syscall' and ret is not null order by id" >"$T/s.txt"
		q "$C" "select tid || ',' || syscall || ',' || ret from events where artifact_id = $J and kind = 'syscall' and ret is not null order by id" >"$T/j.txt"
		if ! diff -q "$T/s.txt" "$T/j.txt" >/dev/null; then
			fail "$b: sysdig -j's completed syscalls are the scap importer's"
			diff "$T/s.txt" "$T/j.txt" | head -5
			continue
		fi
		exits=$(jq -r 'select(.["evt.dir"] == "<") | 1' "$T/$b.jsonl" | wc -l)
		got=$(q "$C" "select count(*) from events where artifact_id = $J and exit_ts is not null")
		[ "$exits" = "$got" ] || { fail "$b: one event per exit line ($exits, got $got)"; continue; }
		n=$((n + 1))
	done
	[ "$n" -ge 5 ] && ok "sysdig -j of $n scap fixtures: the completed syscalls the scap importer reads, one event per exit" ||
		fail "sysdig -j compared on only $n fixtures"
else
	echo "note: sysdig or ../shared/fixtures/scap absent: no sysdig -j comparison"
fi

# bad input
{ head -n 2 "$D/falco.jsonl"; echo '{"rule": "x", "priority": "Warning", "output": '; echo '{"kind": "Pod"}'; } >"$T/bad.jsonl"
dk ingest "$C" "$T/bad.jsonl"
expect_rc 0 "a damaged alert file imports"
a=$(q "$C" "select id from artifacts where name = '$T/bad.jsonl'")
expect_eq "two alerts, two anomalies" "2 2" \
	"$(q "$C" "select (select count(*) from alerts where artifact_id = $a) || ' ' || (select count(*) from anomalies where artifact_id = $a)")"
s0=$(case_state "$C")
echo '{"kind": "Pod"}' >"$T/none.json"
dk ingest "$C" --as tooljson "$T/none.json"
expect_rc 1 "a file of no alert or event is rejected"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
t_sanitized && fail "sanitizer report"
t_done
