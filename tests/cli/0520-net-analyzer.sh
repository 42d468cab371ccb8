#!/usr/bin/env bash
# 0520-net-analyzer: the net analyzer end to end. Each capture of
# tests/data/pcap (made by datasets/gen/net-captures.sh in a private lab of
# network namespaces; see its README.md) is ingested into a fresh case and
# analyzed with --only net: every attack capture must raise its rule (and
# the detail what makes it that rule), every benign one nothing at all, and
# so must a handful of real captures from ../shared/fixtures/pcap. Every
# evidence row must name a row of its relation. Then the thresholds
# override (DRYDOCK_NET_THRESHOLDS) is exercised.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
D=tests/data/pcap
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

if ! "$DRYDOCK" ingest --list 2>/dev/null | grep -q '^pcap '; then
	bad "drydock has no pcap importer"
	finish
fi
if [ ! -d "$D" ]; then
	bad "$D is missing (datasets/gen/net-captures.sh $D)"
	finish
fi

# analyze FILE: fresh case $T/c.dd holding FILE, net analyzer run.
analyze() {
	rm -f "$T/c.dd" "$T/c.dd-wal" "$T/c.dd-shm"
	"$DRYDOCK" -q init "$T/c.dd" >/dev/null 2>&1 || return 1
	"$DRYDOCK" -q ingest "$T/c.dd" "$1" >"$T/ingest.out" 2>&1 || return 1
	"$DRYDOCK" -q analyze --only net "$T/c.dd" >"$T/analyze.out" 2>&1
}
q() { "$DRYDOCK" query --format csv "$T/c.dd" "$1" | tail -n +2; }
rules() { q "SELECT DISTINCT rule FROM findings WHERE analyzer = 'net' ORDER BY rule" | tr '\n' ' '; }

# Evidence rows of net findings that name no row of their relation.
dangling() {
	q "SELECT count(*) FROM finding_evidence v JOIN findings f ON
	   f.id = v.finding_id AND f.analyzer = 'net' WHERE NOT (
	   (v.relation = 'flows' AND EXISTS (SELECT 1 FROM flows x WHERE
	     x.id = CAST(v.key AS INTEGER))) OR
	   (v.relation = 'dns' AND EXISTS (SELECT 1 FROM dns x WHERE
	     x.flow_id || ':' || x.ts = v.key)) OR
	   (v.relation = 'http' AND EXISTS (SELECT 1 FROM http x WHERE
	     x.flow_id || ':' || x.ts = v.key)) OR
	   (v.relation = 'tls' AND EXISTS (SELECT 1 FROM tls x WHERE
	     x.flow_id || ':' || x.ts = v.key)) OR
	   (v.relation = 'arp' AND EXISTS (SELECT 1 FROM arp x WHERE
	     x.artifact_id || ':' || x.pkt = v.key)))"
}

# expect FILE RULE [DETAIL-SUBSTRING]
expect() {
	local f=$D/$1 rule=$2 want=${3:-} got detail
	if [ ! -e "$f" ]; then
		bad "$1: missing"
		return
	fi
	if ! analyze "$f"; then
		bad "$1: import or analyze failed: $(tail -n 2 "$T/ingest.out" "$T/analyze.out")"
		return
	fi
	got=$(rules)
	case " $got" in
	*" $rule "*) ;;
	*)
		bad "$1: $rule did not fire (fired: ${got:-nothing})"
		return
		;;
	esac
	detail=$(q "SELECT title || ' | ' || detail FROM findings WHERE rule = '$rule' ORDER BY id LIMIT 1")
	if [ -n "$want" ] && ! printf '%s' "$detail" | grep -qF -- "$want"; then
		bad "$1: $rule detail lacks '$want': $detail"
		return
	fi
	if [ "$(dangling)" != 0 ]; then
		bad "$1: $(dangling) evidence rows name no row"
		return
	fi
	ok "$1: $rule${want:+ ($want)}"
	[ "$got" = "$rule " ] || echo "# $1: also fired: $got"
}

# quiet FILE: nothing fires.
quiet() {
	local f=$1 got
	if ! analyze "$f"; then
		bad "$(basename "$f"): import or analyze failed: $(tail -n 2 "$T/ingest.out" "$T/analyze.out")"
		return
	fi
	got=$(rules)
	if [ -n "$got" ]; then
		bad "$(basename "$f"): benign, yet fired: $got"
		q "SELECT rule || ': ' || title FROM findings WHERE analyzer = 'net'" | head -n 5 | sed 's/^/#   /'
	else
		ok "$(basename "$f"): quiet ($(q 'SELECT count(*) FROM flows') flows)"
	fi
}

# ---- attacks ----
expect sweep-icmp.pcap net.sweep.icmp "ICMP echo requests"
expect sweep-arp.pcap net.sweep.arp "who-has"
expect scan-syn-vertical.pcap net.scan.vertical "SYN (half-open)"
expect scan-connect-vertical.pcap net.scan.vertical "Connect scan"
expect scan-horizontal.pcap net.scan.horizontal "TCP port 22"
expect bruteforce-ssh.pcap net.bruteforce.ssh "ssh sessions"
expect bruteforce-ftp.pcap net.bruteforce.ftp "failed authentications"
expect bruteforce-http.pcap net.bruteforce.http "401"
expect arp-spoof.pcap net.arp.spoof "10.99.0.1 taken over"
expect dns-tunnel.pcap net.dns.tunnel "tunnel.example"
expect dns-tunnel.pcap.gz net.dns.tunnel "tunnel.example"
expect beacon.pcap net.beacon "203.0.113.50 port 80"
expect docker-api.pcap net.docker_api "containers/create"
expect metadata.pcap net.metadata "security-credentials"
expect kubelet.pcap net.kubelet "/run/"
expect mining.pcap net.mining "stratum"
expect revshell.pcap net.revshell "203.0.113.66 port 4444"

# ---- benign: our own, then real captures from elsewhere ----
for f in benign-web.pcap benign-web.pcapng dns-benign.pcap tcp-states.pcap \
    tcp-states.nsec.pcap ipv6.pcap; do
	if [ -e "$D/$f" ]; then quiet "$D/$f"; else bad "$f: missing"; fi
done
for f in zeek/http_ctu-62604-80.pcap zeek/ticks-dns-1hr.pcap \
    zeek/tunnels_vxlan-encapsulated-http.pcap zeek/arp-leak.pcap \
    zeek/dns-txt-multiple.pcap tcpdump-tests/dns_udp.pcap \
    tcpdump-tests/dns_tcp.pcap tcpdump-tests/tftp.pcap \
    scapy/http_head.pcapng.gz; do
	[ -e "$FIX/pcap/$f" ] || continue
	quiet "$FIX/pcap/$f"
done

# ---- thresholds ----
if "$DRYDOCK" analyze --help 2>&1 | grep -q DRYDOCK_NET_THRESHOLDS; then
	ok "analyze --help documents DRYDOCK_NET_THRESHOLDS"
else
	bad "analyze --help does not mention DRYDOCK_NET_THRESHOLDS"
fi
if [ -e "$D/scan-syn-vertical.pcap" ] && analyze "$D/scan-syn-vertical.pcap"; then
	d1=$(q "SELECT rules_sha256 FROM analyzer_runs WHERE analyzer = 'net'")
	printf '# a stricter examiner\nscan_min_ports = 5000\n' >"$T/th.conf"
	if DRYDOCK_NET_THRESHOLDS=$T/th.conf "$DRYDOCK" -q analyze --only net \
	    "$T/c.dd" >"$T/a.out" 2>&1; then
		d2=$(q "SELECT rules_sha256 FROM analyzer_runs WHERE analyzer = 'net'")
		n=$(q "SELECT count(*) FROM findings WHERE rule = 'net.scan.vertical'")
		if [ "$n" = 0 ] && [ -n "$d1" ] && [ "$d1" != "$d2" ]; then
			ok "override: scan_min_ports = 5000 silences the scan; rules digest changed"
		else
			bad "override: $n vertical findings, digests $d1 / $d2"
		fi
	else
		bad "override: analyze failed: $(cat "$T/a.out")"
	fi
	printf 'scan_min_ports = ten\n' >"$T/th.conf"
	if DRYDOCK_NET_THRESHOLDS=$T/th.conf "$DRYDOCK" -q analyze --only net \
	    "$T/c.dd" >"$T/a.out" 2>&1; then
		bad "override: a bad value was accepted"
	elif grep -q 'th.conf:1' "$T/a.out"; then
		ok "override: a bad value fails the run, naming file and line"
	else
		bad "override: bad value message: $(cat "$T/a.out")"
	fi
fi

finish
