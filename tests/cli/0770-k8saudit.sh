#!/usr/bin/env bash
# 0770-k8saudit: Kubernetes audit events against jq.
#
# The real audit events of ../shared/fixtures/k8saudit (Falco's former
# k8s-audit rule tests, one event per file) are imported one per file,
# as JSON lines (all in one file) and as an EventList; each row's verb,
# resource, subresource, namespace, name, user, response code and time,
# and each pod spec's privileged flag and hostPath volumes, are compared
# with jq's reading of the same event. Bad input: a torn line and a line
# that is no Event are anomalies (the rest imported); a file of no event
# is rejected with the case unchanged.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
F=../shared/fixtures/k8saudit
if [ ! -d "$F" ] || ! command -v jq >/dev/null; then
	echo "skip: ../shared/fixtures/k8saudit or jq absent"
	t_done
fi
C=$T/case.drydock
dk init "$C"
: >"$T/all.jsonl"
for f in "$F"/*.json; do
	jq -e '.auditID and .verb' "$f" >/dev/null 2>&1 || continue
	jq -c . "$f" >>"$T/all.jsonl"
done
n=$(wc -l <"$T/all.jsonl")
jq -s '{kind: "EventList", apiVersion: "audit.k8s.io/v1", items: .}' "$T/all.jsonl" >"$T/list.json"
dk ingest "$C" "$T/all.jsonl" "$T/list.json"
expect_rc 0 "JSON lines and an EventList import"
L=$(q "$C" "select id from artifacts where name = '$T/all.jsonl'")
E=$(q "$C" "select id from artifacts where name = '$T/list.json'")
expect_eq "one row per event ($n)" "$n $n" \
	"$(q "$C" "select (select count(*) from k8s_audit where artifact_id = $L) || ' ' || (select count(*) from k8s_audit where artifact_id = $E)")"
jq -r '[.verb, .objectRef.resource // "", .objectRef.subresource // "", .objectRef.namespace // "", .objectRef.name // "", .user.username // "", (.responseStatus.code // "" | tostring)] | join("|")' "$T/all.jsonl" >"$T/jq.txt"
q "$C" "select verb || '|' || coalesce(resource, '') || '|' || coalesce(subresource, '') || '|' || coalesce(namespace, '') || '|' || coalesce(name, '') || '|' || coalesce(user, '') || '|' || coalesce(code, '') from k8s_audit where artifact_id = $L order by seq" >"$T/dd.txt"
check "every event's verb, object, user and code as jq reads them" diff "$T/jq.txt" "$T/dd.txt"
jq -r '[.requestObject.spec | (.containers // .template.spec.containers // [])[] | .securityContext.privileged // false] | any | if . then 1 else 0 end' "$T/all.jsonl" >"$T/jq.priv"
q "$C" "select coalesce(privileged, 0) from k8s_audit where artifact_id = $L order by seq" >"$T/dd.priv"
check "privileged pod specs as jq finds them" diff "$T/jq.priv" "$T/dd.priv"
jq -r '[.requestObject.spec | (.volumes // .template.spec.volumes // [])[] | .hostPath.path // empty] | join(",")' "$T/all.jsonl" >"$T/jq.hp"
q "$C" "select coalesce(host_paths, '') from k8s_audit where artifact_id = $L order by seq" >"$T/dd.hp"
check "hostPath volumes as jq finds them" diff "$T/jq.hp" "$T/dd.hp"
expect_eq "the EventList gives the same rows" "$(cat "$T/dd.txt" | md5sum)" \
	"$(q "$C" "select verb || '|' || coalesce(resource, '') || '|' || coalesce(subresource, '') || '|' || coalesce(namespace, '') || '|' || coalesce(name, '') || '|' || coalesce(user, '') || '|' || coalesce(code, '') from k8s_audit where artifact_id = $E order by seq" | md5sum)"
t0=$(jq -r '.stageTimestamp' "$F/create_clusterrolebinding.json")
dk ingest "$C" "$F/create_clusterrolebinding.json"
expect_eq "one event per file, time from stageTimestamp" "$(date -u -d "$t0" +%s)" \
	"$(q "$C" "select ts / 1000000000 from k8s_audit k join artifacts a on a.id = k.artifact_id where a.name = '$F/create_clusterrolebinding.json'")"

# bad input
{ head -n 2 "$T/all.jsonl"; echo '{"auditID": "x", "verb": "get", "objectRef": {'; echo '{"kind": "Pod"}'; } >"$T/bad.jsonl"
dk ingest "$C" "$T/bad.jsonl"
expect_rc 0 "a damaged audit log imports"
a=$(q "$C" "select id from artifacts where name = '$T/bad.jsonl'")
expect_eq "two events, two anomalies" "2 2" \
	"$(q "$C" "select (select count(*) from k8s_audit where artifact_id = $a) || ' ' || (select count(*) from anomalies where artifact_id = $a)")"
s0=$(case_state "$C")
echo '{"auditID": "x", "verb": "get", "objectRef": {"resource": "pods"}}' >"$T/one.json"
echo '[1, 2, 3]' >"$T/none.json"
dk ingest "$C" --as k8saudit "$T/none.json"
expect_rc 1 "a file of no event is rejected"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
expect_eq "every event is in a compressed chunk (k8s_audit_all reads them)" \
	"$(q "$C" "select count(*) from k8s_audit")" \
	"$(q "$C" "select sum(n) from k8s_audit_chunk_all c join artifacts a on a.id = c.artifact_id")"
t_sanitized && fail "sanitizer report"
t_done
