#!/usr/bin/env bash
# 0730-inspect: docker, podman and crictl inspect JSON against jq.
#
# The committed evidence (tests/data/inspect: real podman inspect output of
# a privileged, a host-pid + SYS_ADMIN + /run-bind and a plain non-root
# container made on these machines, a real docker inspect and a trimmed
# real crictl inspect) is imported and every container's facts are read
# back from the case and compared with jq's reading of the same JSON: id,
# name, image, privileged, pid, namespace modes, user, read-only root,
# capabilities added and dropped, mounts, addresses. Other JSON evidence
# (OSV, Kubernetes audit, LID-DS) must not be taken for inspect output.
# Bad input: JSON over the size cap, nesting 100000 deep, a truncated
# document, invalid UTF-8 (rejected, case unchanged); documents of the
# wrong shape inside an array (anomalies, the rest imported).
set -u
. "$(dirname "$0")/../lib/lib.sh"

# q CASE SQL: the rows, CSV without the header (one quoted field unquoted)
q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
D=tests/data/inspect
C=$T/case.drydock
dk init "$C"
command -v jq >/dev/null || { fail_only "jq is missing (./build.sh deps)"; t_done; }

dk ingest "$C" "$D/podman-all.json" "$D/docker-mqtt.json" "$D/crictl-bpfman.json"
expect_rc 0 "the three files import"
expect_eq "all sniffed as inspect" "3" \
	"$(q "$C" "select count(*) from artifacts where format = 'inspect'")"

# docker and podman documents, each field against jq
for f in podman-priv podman-hostpid podman-plain docker-mqtt; do
	j=$D/$f.json
	id=$(jq -r '.[0].Id' "$j")
	name=$(jq -r '.[0].Name | ltrimstr("/")' "$j")
	image=$(jq -r '.[0].ImageName // .[0].Config.Image' "$j")
	priv=$(jq -r 'if .[0].HostConfig.Privileged then 1 else 0 end' "$j")
	expect_eq "$f: name, image, privileged" "$name,$image,$priv" \
		"$(q "$C" "select name || ',' || image || ',' || privileged from containers where id = '$id'")"
	expect_eq "$f: pid, state, modes, user, read-only root" \
		"$(jq -r '.[0] | [.State.Pid, .State.Status, .HostConfig.PidMode, .HostConfig.NetworkMode, .HostConfig.IpcMode, .HostConfig.UTSMode, .Config.User, (if .HostConfig.ReadonlyRootfs then 1 else 0 end)] | map(tostring) | join(",")' "$j")" \
		"$(q "$C" "select pid || ',' || state || ',' || pid_mode || ',' || net_mode || ',' || ipc_mode || ',' || uts_mode || ',' || coalesce(user, '') || ',' || readonly_rootfs from container_meta where container_id = '$id'")"
	expect_eq "$f: capabilities added and dropped" \
		"$(jq -r '.[0].HostConfig | ([(.CapAdd // [])[] | "add " + ltrimstr("CAP_")] + [(.CapDrop // [])[] | "drop " + ltrimstr("CAP_")]) | sort | join(",")' "$j")" \
		"$(q "$C" "select group_concat(x, ',') from (select op || ' ' || cap as x from container_caps where container_id = '$id' and op in ('add', 'drop') order by x)")"
	expect_eq "$f: mounts" \
		"$(jq -r '[.[0].Mounts[] | .Source + ":" + .Destination + ":" + (if .RW then "1" else "0" end)] | sort | join(",")' "$j")" \
		"$(q "$C" "select group_concat(x, ',') from (select source || ':' || destination || ':' || rw as x from container_mounts where container_id = '$id' order by x)")"
	expect_eq "$f: addresses" \
		"$(jq -r '[.[0].NetworkSettings | .IPAddress, (.Networks // {} | .[].IPAddress)] | map(select(. != null and . != "")) | unique | join(",")' "$j")" \
		"$(q "$C" "select group_concat(value, ',') from (select value from container_aliases where container_id = '$id' and kind = 'ip' order by value)")"
	expect_eq "$f: AppArmor as reported ('' is unknown, not unconfined)" \
		"$(jq -r '.[0].AppArmorProfile' "$j")" \
		"$(q "$C" "select apparmor from container_meta where container_id = '$id'")"
done
id=$(jq -r '.[0].Id' "$D/podman-priv.json")
expect_eq "podman: runtime and effective capabilities kept" \
	"podman $(jq -r '.[0].EffectiveCaps | length' "$D/podman-priv.json")" \
	"$(q "$C" "select runtime || ' ' || count(*) from container_meta m join container_caps c on c.container_id = m.container_id and c.op = 'effective' where m.container_id = '$id'")"
expect_eq "docker: the container's address links to it" "mqtt" \
	"$(q "$C" "select c.name from ip_containers i join containers c on c.id = i.container_id where i.ip = '172.17.0.4'")"

# crictl
j=$D/crictl-bpfman.json
id=$(jq -r '.status.id' "$j")
expect_eq "crictl: name, image, pid, user" \
	"$(jq -r '[.status.metadata.name, .status.image.image, .info.pid, .info.runtimeSpec.process.user.uid] | map(tostring) | join(",")' "$j")" \
	"$(q "$C" "select c.name || ',' || c.image || ',' || m.pid || ',' || m.user from containers c join container_meta m on m.container_id = c.id where c.id = '$id'")"
expect_eq "crictl: pod uid alias" "$(jq -r '.status.labels["io.kubernetes.pod.uid"]' "$j")" \
	"$(q "$C" "select value from container_aliases where container_id = '$id' and kind = 'k8s_uid'")"
expect_eq "crictl: namespaces (spec-less user and cgroup are the host's), seccomp, nnp" \
	"private,/proc/2001/ns/net,host,host,unconfined,1" \
	"$(q "$C" "select pid_mode || ',' || net_mode || ',' || userns_mode || ',' || cgroupns_mode || ',' || seccomp || ',' || no_new_privs from container_meta where container_id = '$id'")"
expect_eq "crictl: privileged unknown, drop ALL" ",drop ALL" \
	"$(q "$C" "select coalesce(c.privileged, '') || ',' || x.op || ' ' || x.cap from containers c join container_caps x on x.container_id = c.id where c.id = '$id'")"
expect_eq "crictl: three mounts, the token read-only" "3 0" \
	"$(q "$C" "select count(*) || ' ' || min(rw) from container_mounts where container_id = '$id'")"

# not inspect
for f in ../shared/fixtures/osv/*.json ../shared/fixtures/k8saudit/*.json; do
	[ -f "$f" ] || continue
	dk ingest "$C" "$f"
	fmt=$(q "$C" "select format from artifacts where name = '$f'")
	[ "$fmt" != inspect ] || fail_only "$(basename "$f") taken for inspect JSON"
done
ok "other JSON evidence is not taken for inspect output"

# bad input
s0=$(case_state "$C")
/usr/bin/python3 -c 'import sys; sys.stdout.write("[{\"Id\": \"" + "a" * (65 << 20) + "\", \"State\": {}}]")' >"$T/huge.json"
dk ingest "$C" --as inspect "$T/huge.json"
expect_rc 1 "JSON over 64 MiB is rejected"
expect_err "naming the file and the cap" "huge.json" "64 MiB"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
rm -f "$T/huge.json"
/usr/bin/python3 -c 'print("[" * 100000 + "]" * 100000)' >"$T/deep.json"
dk ingest "$C" --as inspect "$T/deep.json"
expect_rc 1 "nesting 100000 deep is rejected"
expect_err "with the offset" "deep.json" "offset"
head -c 3000 "$D/podman-plain.json" >"$T/cut.json"
dk ingest "$C" --as inspect "$T/cut.json"
expect_rc 1 "a truncated document is rejected"
printf '[{"Id": "\xff\xfe", "State": {}}]' >"$T/utf8.json"
dk ingest "$C" --as inspect "$T/utf8.json"
expect_rc 1 "invalid UTF-8 is rejected"
expect_eq "case unchanged after the rejections" "$s0" "$(case_state "$C")"
printf '[ "x", {"Id": 5, "State": {}}, {"State": {}}, {"Id": "%s", "Name": "/ok", "HostConfig": {"Privileged": "yes", "CapAdd": "SYS_ADMIN", "Mounts": 3}, "Mounts": {"a": 1}}]' \
	"$(printf 'e%.0s' $(seq 64))" >"$T/shapes.json"
dk ingest "$C" "$T/shapes.json"
expect_rc 0 "wrong shapes inside an array: imported"
a=$(q "$C" "select id from artifacts where name = '$T/shapes.json'")
expect_eq "five anomalies (a string, a numeric Id, no Id, CapAdd and Mounts not arrays)" "5" \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $a")"
printf '[{"Id": "sha256:%s", "RepoTags": ["x:1"], "Config": {"Cmd": ["sh"]}, "RootFS": {"Type": "layers"}}]' \
	"$(printf 'c%.0s' $(seq 64))" >"$T/image-inspect.json"
dk ingest "$C" --as inspect "$T/image-inspect.json"
expect_eq "an image's inspect output is no container" "0 1" \
	"$(q "$C" "select (select count(*) from containers where id like 'sha256:%') || ' ' || count(*) from anomalies a join artifacts r on r.id = a.artifact_id where r.name = '$T/image-inspect.json'")"
expect_eq "the good document imported, privileged unknown" "ok," \
	"$(q "$C" "select name || ',' || coalesce(privileged, '') from containers where name = 'ok'")"
t_sanitized && fail "sanitizer report"
dk verify "$C"
expect_rc 0 "the case verifies"
t_done
