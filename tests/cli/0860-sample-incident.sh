#!/usr/bin/env bash
# 0860-sample-incident: the recorded sample incident, across its sources.
#
# datasets/sample-incident/evidence is a real recording (record.sh): a
# podman+runc container in a hand-made network namespace downloads and runs
# an implant that beacons, tunnels names through DNS and tries to escape.
# Independent readers check the joins: jq reads the container id from
# podman's inspect output, tar reads the implant and busybox out of
# podman's export, tshark finds the download's TCP stream in the capture.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
E=datasets/sample-incident/evidence
check "the evidence is the committed recording" bash -c "cd datasets/sample-incident && sha256sum -c --quiet SHA256SUMS"
C=$T/case.drydock
dk init "$C"
# strace -tt stamps carry no date: the recording's (a clone's mtime is not it)
dk ingest --date 2026-12-03 "$C" "$E"/*
expect_rc 0 "the eight recordings import together"
dk analyze "$C"
expect_rc 0 "every analyzer runs"
cid=$(jq -r '.[0].Id' "$E/inspect.json")
expect_eq "the escape attempts and the release_agent write, all in the container" \
	"esc.mount.cgroupfs:medium esc.open_by_handle_at:high esc.release_agent.write:critical esc.runtime_socket:medium esc.unshare.mountns:medium esc.unshare.userns:medium" \
	"$(q "$C" "select rule || ':' || severity from findings where analyzer = 'escape' and container_id = '$cid' order by rule" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the DNS tunnel, the download and the new executable are found" "3" \
	"$(q "$C" "select count(distinct rule) from findings where rule in ('net.dns.tunnel', 'corr.download_exec', 'host.drift.exec_new')")"
expect_eq "the download finding's evidence spans syscalls and packets" "events,events,flows" \
	"$(q "$C" "select group_concat(relation, ',') from (select v.relation from finding_evidence v join findings f on f.id = v.finding_id where f.rule = 'corr.download_exec' order by v.ord)")"
if command -v tshark >/dev/null; then
	zcat "$E/capture.pcap.gz" >"$T/cap.pcap"
	expect_eq "its flow is the TCP stream tshark sees carrying GET /implant (source port)" \
		"$(tshark -r "$T/cap.pcap" -Y 'http.request.uri == "/implant"' -T fields -e tcp.srcport 2>/dev/null)" \
		"$(q "$C" "select f.sport from finding_evidence v join findings x on x.id = v.finding_id join flows f on f.id = v.key where x.rule = 'corr.download_exec' and v.relation = 'flows'")"
fi
expect_eq "the executed implant links to the container's drift with the SHA-256 tar reads from podman's export" \
	"$(tar -xzOf "$E/export-ddincident.tar.gz" tmp/.x/implant | sha256sum | cut -c1-64)" \
	"$(q "$C" "select d.sha256 from links l join drift d on d.key = l.to_key where l.kind = 'exec.drift'")"
expect_eq "the implant's writer is wget, resolved through busybox's /proc/self/exe re-exec" \
	"/tmp/.x/implant" \
	"$(q "$C" "select e.path from links l join events e on e.id = l.to_key where l.kind = 'exec.writer'")"
expect_eq "busybox (/bin/sh) links to the first layer and its Dockerfile step, with the SHA-256 of the export's copy" \
	"$(tar -xzOf "$E/export-ddincident.tar.gz" bin/busybox | sha256sum | cut -c1-64) COPY busybox /bin/ # busybox-static 1.35.0 and its applets" \
	"$(q "$C" "select distinct o.sha256 || ' ' || o.created_by from links l join file_origins o on o.image_id || ':' || o.path = l.to_key where l.kind = 'exec.layer' and o.path = '/bin/busybox'")"
expect_eq "the download's connect follows the DNS answer for tools.evil.test" "1" \
	"$(q "$C" "select count(*) from links l join events e on e.id = l.from_key where l.kind = 'dns.answer' and l.detail like '%tools.evil.test%' and e.comm is not null")"
expect_eq "the container runs the imported image (by inspect's image id)" "1.0" \
	"$(q "$C" "select confidence from links where kind = 'container.image' and from_key = '$cid'")"
id=$(q "$C" "select id from findings where rule = 'corr.download_exec'")
dk explain "$C" "$id"
expect_out "explain joins the syscall, the flow, the DNS answer, the drift and the image" \
	"exec.writer" "flow.dst_port" "qname=tools.evil.test" "exec.drift" "exec.layer" \
	"created_by=COPY busybox /bin/" "ref=localhost/incident:1.0"
expect_eq "every line of the container's log is attributed to it (podman's <id>/userdata/ctr.log path)" \
	"$(wc -l < "$E"/overlay-containers/*/userdata/ctr.log | tr -d ' ')" \
	"$(q "$C" "select count(*) from logs where container_id = '$cid'")"
expect_eq "the timeline puts the implant's syscalls in the container" "0" \
	"$(q "$C" "select count(*) from timeline t join events e on e.id = t.key where t.source = 'syscall' and e.comm = 'implant' and (t.container_id is null or t.container_id <> '$cid')")"
t_done
