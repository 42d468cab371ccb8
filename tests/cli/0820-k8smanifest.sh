#!/usr/bin/env bash
# 0820-k8smanifest: Kubernetes manifests against PyYAML.
#
# kube-score's test manifests and a hand-written node-takeover DaemonSet
# (tests/data/k8s) as YAML, and the same objects as JSON: every object's
# kind, namespace, name, images, hostPath volumes, privileged, hostPID and
# hostNetwork as PyYAML reads them (tests/oracle/k8s_yaml.py; a List's
# items expanded, empty documents skipped, YAML 1.1's True a boolean).
# The host analyzer flags the privileged pod and the DaemonSet and is
# quiet on the others. A Pod and a Deployment tie to the container a real
# crictl inspect names (k8s_object_containers). Bad input: a YAML error after a good document is
# an anomaly and the objects before it stay; an alias bomb is refused; a
# file of no object is rejected, case unchanged.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
	echo "skip: python3-yaml absent"
	t_done
fi
K=tests/data/k8s
C=$T/case.drydock
dk init "$C"
dk ingest "$C" "$K"/*.yaml
expect_rc 0 "the manifests import (sniffed)"
FIELDS="o.kind || '|' || coalesce(o.namespace, '') || '|' || coalesce(o.name, '') || '|' || coalesce(o.images, '') || '|' || coalesce(o.host_paths, '') || '|' || coalesce(o.privileged, '') || '|' || coalesce(o.host_pid, '') || '|' || coalesce(o.host_network, '')"
/usr/bin/python3 tests/oracle/k8s_yaml.py "$K"/*.yaml >"$T/py.txt"
q "$C" "select $FIELDS from k8s_objects o join artifacts a on a.id = o.artifact_id order by a.name, o.seq" >"$T/dd.txt"
check "every object as PyYAML reads it" diff "$T/py.txt" "$T/dd.txt"
expect_eq "a DaemonSet's added capabilities, service account token, root" "SYS_ADMIN,SYS_PTRACE|1|1|1" \
	"$(q "$C" "select caps_add || '|' || automount_token || '|' || run_as_root || '|' || privilege_escalation from k8s_objects where name = 'node-agent'")"
expect_eq "a hardened pod may not run as root" "0" \
	"$(q "$C" "select run_as_root from k8s_objects where namespace = 'testspace' and kind = 'Pod'")"
# the same objects as JSON
/usr/bin/python3 -c 'import json, sys, yaml
docs = [d for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": docs}))' "$K"/escape-daemonset.yaml "$K"/pod-security-context-privileged.yaml >"$T/objs.json"
dk ingest "$C" "$T/objs.json"
expect_rc 0 "a JSON List imports"
J=$(q "$C" "select id from artifacts where name = '$T/objs.json'")
expect_eq "JSON gives the rows YAML gives" \
	"$(/usr/bin/python3 tests/oracle/k8s_yaml.py "$K"/escape-daemonset.yaml "$K"/pod-security-context-privileged.yaml)" \
	"$(q "$C" "select $FIELDS from k8s_objects o where o.artifact_id = $J order by o.seq")"
dk analyze "$C" --only host
expect_rc 0 "the host analyzer runs"
expect_eq "the privileged pod and the takeover DaemonSet, nothing else" \
	"host.k8s.manifest.privileged|node-agent host.k8s.manifest.privileged|node-agent host.k8s.manifest.privileged|pod-test-1 host.k8s.manifest.privileged|pod-test-1 host.k8s.manifest.sensitive_mount|node-agent host.k8s.manifest.sensitive_mount|node-agent" \
	"$(q "$C" "select f.rule || '|' || o.name from findings f join finding_evidence e on e.finding_id = f.id and e.ord = 0 join k8s_objects o on o.key = e.key where f.analyzer = 'host' order by f.rule, o.name" | tr '\n' ' ' | sed 's/ $//')"

# tied to the containers a CRI inspect names (pod uid, pod name, container)
dk ingest "$C" tests/data/inspect/crictl-bpfman.json
expect_rc 0 "a real crictl inspect imports beside them"
expect_eq "the Pod by its uid and the Deployment by its pods' names tie to that container; an unrelated Pod does not" \
	"Deployment|bpfman-operator|b1f06ea545e8|workload_pod_name Pod|bpfman-operator-65747dc769-pjztg|b1f06ea545e8|pod_uid" \
	"$(q "$C" "select kind || '|' || name || '|' || substr(container_id, 1, 12) || '|' || rule from k8s_object_containers order by kind, name" | tr '\n' ' ' | sed 's/ $//')"

# bad input
printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n---\napiVersion: v1\nkind: [unclosed\n' >"$T/bad.yaml"
dk ingest "$C" --as k8smanifest "$T/bad.yaml"
expect_rc 0 "a YAML error after a good document keeps the document"
b=$(q "$C" "select id from artifacts where name = '$T/bad.yaml'")
expect_eq "one object, one anomaly" "1 1" \
	"$(q "$C" "select (select count(*) from k8s_objects where artifact_id = $b) || ' ' || (select count(*) from anomalies where artifact_id = $b)")"
{
	echo 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'
	for i in b c d e f g h; do
		p=$(printf '%s' abcdefgh | sed "s/$i.*//" | tail -c 1)
		echo "$i: &$i [*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p]"
	done
	echo 'kind: Pod'
} >"$T/bomb.yaml"
dk ingest "$C" --as k8smanifest "$T/bomb.yaml"
expect_rc 1 "an alias bomb is refused (no object left)"
s0=$(case_state "$C")
printf 'just: a map\n' >"$T/none.yaml"
dk ingest "$C" --as k8smanifest "$T/none.yaml"
expect_rc 1 "a file of no Kubernetes object is rejected"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
t_sanitized && fail "sanitizer report"
t_done
