#!/usr/bin/env bash
# 0840-correlate: the correlate analyzer's links and `drydock explain`.
#
# datasets/correlate/rec is a real recording (record.sh): a network
# namespace behind a veth pair, dnsmasq and an HTTP server on the host end,
# a shell inside that fetches a "tool" by name with wget, runs it and
# beacons three times, under strace -f -tt -yy, while tcpdump records the
# veth. tshark is the independent reader of the capture: the linked flows'
# source ports are the SYNs tshark sees and the DNS links name the names it
# decodes. The download-and-run finding spans syscalls and packets; explain
# shows the joined values; a shifted capture clock is estimated back from
# the matched pairs and the links survive it.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
R=datasets/correlate/rec
check "the recordings are the committed ones" bash -c "cd datasets/correlate && sha256sum -c --quiet SHA256SUMS"
C=$T/case.drydock
dk init "$C"
# strace -tt stamps carry no date: the recording's (a clone's mtime is not it)
dk ingest --date 2026-12-03 "$C" "$R/trace.txt" "$R/capture.pcap"
dk analyze "$C" --only correlate
expect_rc 0 "the correlate analyzer runs"

expect_eq "every connect to the server is linked to its flow by the 5-tuple (grep counts the connects)" \
	"$(grep -cE 'connect\([0-9]+<(TCP|UDP):\[[0-9]+\]>, \{sa_family=AF_INET, sin_port=htons\((53|8080)\), sin_addr=inet_addr\("10.77.0.1"\)\}, 16\) = 0' "$R/trace.txt")" \
	"$(q "$C" "select count(*) from links where kind = 'flow.5tuple'")"
expect_eq "each linked connect's flow has the local port strace's decorations gave the socket" "0" \
	"$(q "$C" "select count(*) from links l join events e on e.id = l.from_key join flows f on f.id = l.to_key where l.kind = 'flow.5tuple' and f.dst <> e.addr")"
if command -v tshark >/dev/null; then
	expect_eq "the TCP flows linked are the SYNs tshark sees (source ports)" \
		"$(tshark -r "$R/capture.pcap" -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e tcp.srcport 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//')" \
		"$(q "$C" "select f.sport from links l join flows f on f.id = l.to_key where l.kind = 'flow.5tuple' and f.proto = 'tcp' order by f.sport" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "the DNS links name the answers tshark decodes, in order" \
		"$(tshark -r "$R/capture.pcap" -Y 'dns.flags.response==1 && dns.a' -T fields -e dns.qry.name 2>/dev/null | tr '\n' ' ' | sed 's/ $//')" \
		"$(q "$C" "select d.qname from links l join dns d on d.flow_id = cast(substr(l.to_key, 1, instr(l.to_key, ':') - 1) as integer) and d.ts = cast(substr(l.to_key, instr(l.to_key, ':') + 1) as integer) and d.response = 1 join events e on e.id = l.from_key where l.kind = 'dns.answer' order by e.ts" | tr '\n' ' ' | sed 's/ $//')"
fi
expect_eq "connects to the resolver itself get no DNS link" "0" \
	"$(q "$C" "select count(*) from links l join events e on e.id = l.from_key where l.kind = 'dns.answer' and e.port = 53")"
expect_eq "the executed ./tool is linked to wget's open of it (working directory from strace -y)" \
	"execve ./tool <- openat tool /tmp/ddcorr/tool wget" \
	"$(q "$C" "select a.syscall || ' ' || a.path || ' <- ' || b.syscall || ' ' || b.path || ' ' || b.fd_path || ' ' || b.comm from links l join events a on a.id = l.from_key join events b on b.id = l.to_key where l.kind = 'exec.writer'")"
expect_eq "one finding: downloaded and executed, high, exec + write + the download's flow" \
	"corr.download_exec high events,events,flows" \
	"$(q "$C" "select f.rule || ' ' || f.severity || ' ' || (select group_concat(relation, ',') from (select relation from finding_evidence v where v.finding_id = f.id order by ord)) from findings f where analyzer = 'correlate'")"
first_port=$(grep -oE 'TCP:\[10\.77\.0\.2:[0-9]+->10\.77\.0\.1:8080\]' "$R/trace.txt" | head -1 | sed 's/.*:\([0-9]*\)->.*/\1/')
expect_eq "its flow is wget's download (the first 8080 connection's local port)" "$first_port 8080" \
	"$(q "$C" "select f.sport || ' ' || f.dport from finding_evidence v join flows f on f.id = v.key where v.relation = 'flows'")"

id=$(q "$C" "select id from findings where rule = 'corr.download_exec'")
dk explain "$C" "${id:0:10}"
expect_rc 0 "explain by a 10-digit prefix"
expect_out "explain shows the joins with their values" "flow.5tuple" "10.77.0.2:$first_port -> 10.77.0.1:8080" \
	"written at runtime by pid" "dns.answer" "qname=tool.drydock.test" "exe=/usr/bin/wget"
dk explain --format json "$C" "$id"
expect_rc 0 "explain --format json"
check "the JSON parses; its evidence is events, events, flows; the flow links back to wget's connect" \
	/usr/bin/python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
ev=d["evidence"]
assert [e["relation"] for e in ev]==["events","events","flows"], ev
fl=ev[2]
assert any(l["kind"]=="flow.5tuple" and l["row"]["values"]["syscall"]=="connect" for l in fl["links"])
assert d["finding"]["rule"]=="corr.download_exec"' "$T/.out"
dk explain "$C" ffffffffffff
expect_rc 1 "an unknown finding: exit 1"
expect_err "it says so" "no finding 'ffffffffffff'"
dk explain "$C" xyz
expect_rc 2 "a malformed id: usage error"

# the timeline merges the sources in time order
expect_eq "timeline: the sources of this case" "dns finding network process syscall" \
	"$(q "$C" "select distinct source from timeline order by source" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "timeline: wget's download flow comes after its connect and before the tool runs" \
	"syscall network finding" \
	"$(q "$C" "select source from timeline where (source = 'syscall' and key = (select from_key from links where kind = 'flow.5tuple' and to_key = (select key from finding_evidence where relation = 'flows'))) or (source = 'network' and key = (select key from finding_evidence where relation = 'flows')) or source = 'finding' order by ts" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "timeline: as many syscall rows as events with a time" \
	"$(q "$C" "select count(*) from events where ts is not null")" \
	"$(q "$C" "select count(*) from timeline where source = 'syscall'")"

# a capture clock 7 s ahead: estimated from the matched pairs, links kept
pc=$(q "$C" "select id from artifacts where name like '%capture.pcap'")
tr=$(q "$C" "select id from artifacts where name like '%trace.txt'")
t_before=$(q "$C" "select ts from timeline where source = 'network' and key = '1'")
dk offset "$C" "$pc" +7s
dk analyze "$C" --only correlate
expect_eq "the skew is found (7 s, within the recording's own milliseconds)" "1" \
	"$(q "$C" "select count(*) from findings where rule = 'corr.clock_skew' and title like 'Clock skew of 7.0%'")"
dk offset --suggest "$C"
expect_rc 0 "offset --suggest"
expect_out "offset --suggest lists the skew and the command" "the capture is +7.0" "drydock offset CASE $tr +70"
expect_eq "--suggest changed nothing" "7000000000" "$(q "$C" "select clock_offset from artifact_all where id = $pc")"
expect_eq "its detail gives the offset command for the trace" "1" \
	"$(q "$C" "select count(*) from findings where rule = 'corr.clock_skew' and detail like '%drydock offset CASE $tr +70%'")"
expect_eq "the timeline moves the capture's rows by the offset" "7000000000" \
	"$(( $(q "$C" "select ts from timeline where source = 'network' and key = '1'") - t_before ))"
expect_eq "the 5-tuple links survive the skew" \
	"$(grep -cE 'connect\([0-9]+<(TCP|UDP):\[[0-9]+\]>, \{sa_family=AF_INET, sin_port=htons\((53|8080)\), sin_addr=inet_addr\("10.77.0.1"\)\}, 16\) = 0' "$R/trace.txt")" \
	"$(q "$C" "select count(*) from links where kind = 'flow.5tuple'")"
check "verify: the links are covered by the findings digest in custody" "$DRYDOCK" verify "$C"
sql "$C" "update link_all set confidence = 0.1 where kind = 'flow.5tuple'" 2>/dev/null
dk verify "$C"
expect_rc 1 "an edited link fails verify"
t_done
