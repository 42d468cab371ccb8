#!/usr/bin/env bash
# 0500-pcap: the pcap/pcapng importer against independent oracles:
#   tshark 4.0 (Debian): TCP conversations and their packet totals
#     (-z conv,tcp), DNS query names, Community IDs (its communityid
#     post-dissector), HTTP requests, TLS server names, ARP packets;
#   capinfos -c and the bare libpcap loop (tests/oracle/pcap_loop.c):
#     packets per capture;
# then hostile and variant inputs (truncation, corrupt headers, gzip, both
# byte orders, micro and nano seconds, pcapng, DLT_LOOP).
# Runs over tests/data/pcap-fixtures (a small subset of the fixtures, see
# its README) and, when ../shared/fixtures/pcap exists, walks all of it:
# every capture imported into one case, its packet count checked against
# libpcap's; the tshark oracles run there on a sample of PCAP_SAMPLE files
# (default 30).
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
SAMPLE=${PCAP_SAMPLE:-30}
export TZ=UTC LC_ALL=C
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }

for tool in tshark capinfos editcap cc; do
	if ! command -v $tool >/dev/null; then
		echo "FAIL - $tool (an oracle) is not installed: ./build.sh deps"
		echo "0 passed, 1 failed"
		exit 1
	fi
done
LOOP=$T/pcap_loop
if ! cc -O2 -o "$LOOP" tests/oracle/pcap_loop.c -lpcap; then
	echo "FAIL - cannot build tests/oracle/pcap_loop.c (libpcap-dev)"
	echo "0 passed, 1 failed"
	exit 1
fi

q() { "$DRYDOCK" query --format csv "$1" "$2" | tail -n +2; }
newcase() { rm -f "$1"; "$DRYDOCK" -q init "$1" >/dev/null; }
# the packets libpcap reads from a capture (gzip'd ones uncompressed first)
loop() { # FILE [TEMP]
	local u=${2:-$T/unz}
	case $1 in
	*.gz) zcat "$1" >"$u" && "$LOOP" "$u" ;;
	*) "$LOOP" "$1" ;;
	esac
}

# ---- the oracles, per capture ----
# One tshark pass per capture: per frame the fields below, then the TCP
# conversation table. Files: $T/o/N.{conv,dns,http,tls,arp,cid,npk}.
FIELDS=(-e frame.number -e dns.flags.response -e dns.qry.name
	-e http.request.method -e http.host -e http.request.uri
	-e tls.handshake.type -e tls.handshake.extensions_server_name
	-e arp.opcode -e communityid -e frame.protocols)
oracle() { # FILE N
	local f=$1 o=$T/o/$2
	tshark -n -r "$f" --enable-protocol communityid -z conv,tcp -T fields \
	    -E separator='|' -E occurrence=a -E aggregator=';' "${FIELDS[@]}" \
	    >"$o.all" 2>/dev/null
	# conversations: "A:a B:b packets" with the endpoints in sorted order
	awk '/^====/ { n++; next } n == 1 && $2 == "<->" {
		a = $1; b = $3; sub(/:([0-9]+)$/, " &", a); sub(/:([0-9]+)$/, " &", b)
		sub(/ :/, " ", a); sub(/ :/, " ", b)
		if (a > b) { t = a; a = b; b = t }
		print a " " b " " $10 }' "$o.all" | sort >"$o.conv"
	grep -v '^====\|^TCP Conv\|^Filter:\|^  *|' "$o.all" |
	    awk -F'|' 'NF >= 11' >"$o.fr"
	# DNS queries: one name per question; tshark says <Root> for ""
	awk -F'|' '$2 != "" { n = split($2, r, ";"); split($3, nm, ";")
		for (i = 1; i <= n; i++) if (r[i] == "0") {
			v = nm[i]; if (v == "<Root>") v = ""; print v } }' "$o.fr" |
	    sort >"$o.dns"
	awk -F'|' '$4 != "" { print $4 "|" $5 "|" $6 }' "$o.fr" | sort >"$o.http"
	awk -F'|' '$7 != "" { n = split($7, t, ";"); for (i = 1; i <= n; i++)
		if (t[i] == "1") print $8 }' "$o.fr" | sort >"$o.tls"
	# tshark's arp dissector also shows RARP (ethertype 0x8035, opcodes
	# 3 and 4); drydock's arp relation is ARP (0x0806) only
	awk -F'|' '$9 != "" && $9 != "3" && $9 != "4"' "$o.fr" | wc -l >"$o.arp"
	# Community IDs of frames whose innermost layers are IP then TCP,
	# UDP, ICMP or ICMPv6, with any outer IP layer a VXLAN or GENEVE
	# carrier (what drydock decodes); not, say, IP in GRE, PIM or an
	# ICMP error (tshark hashes the innermost IP layer it finds)
	awk -F'|' '$10 != "" { n = split($11, t, ":"); last = 0; okc = 1
		for (i = 1; i <= n; i++) if (t[i] == "ip" || t[i] == "ipv6") {
			if (last && !(t[last + 1] == "udp" && (t[last + 2] == "vxlan" || t[last + 2] == "geneve")))
				okc = 0
			last = i }
		j = last + 1; while (j <= n && t[j] ~ /^ipv6\./) j++
		if (!last || !(t[j] == "tcp" || t[j] == "udp" || t[j] == "icmp" || t[j] == "icmpv6")) okc = 0
		if (okc) { m = split($10, c, ";"); print c[m] } }' "$o.fr" | sort -u >"$o.cid"
}

# ours, for every artifact of case C at once: $T/d/aID.{conv,dns,...}
# (one query per relation; rows "artifact_id,value" split by a CSV reader,
# since values may hold commas)
split_rows() { # SUFFIX
	python3 -c '
import csv, sys
out = {}
for row in csv.reader(sys.stdin):
    if row[0] not in out:
        out[row[0]] = open(sys.argv[1] + "/a" + row[0] + sys.argv[2], "w")
    out[row[0]].write(row[1] + "\n")
' "$T/d" "$1"
}
ours() { # CASE
	local c=$1
	q "$c" "select artifact_id, src || ' ' || sport || '|' || dst || ' ' || dport || '|' || packets || '|' || coalesce(tunnel, '') from flows where proto = 'tcp'" |
	    split_rows .conv0
	q "$c" "select artifact_id, qname from dns where response = 0" | split_rows .dns0
	q "$c" "select artifact_id, coalesce(method, '') || '|' || coalesce(host, '') || '|' || coalesce(uri, '') from http where request = 1" |
	    split_rows .http0
	q "$c" "select artifact_id, coalesce(sni, '') from tls" | split_rows .tls0
	q "$c" "select artifact_id, 'x' from arp" | split_rows .arp0
	# tshark's communityid post-dissector hashes the innermost addresses
	# and ports of a frame; drydock also gives the UDP flow carrying a
	# VXLAN or GENEVE tunnel its own Community ID: those are left out
	q "$c" "select f.artifact_id, f.community_id from flows f where f.proto in ('tcp', 'udp', 'icmp', 'icmpv6') and not (f.proto = 'udp' and (f.dport in (4789, 8472, 6081) or f.sport in (4789, 8472, 6081)) and exists (select 1 from flows t where t.artifact_id = f.artifact_id and t.tunnel is not null))" |
	    split_rows .cid0
	q "$c" "select artifact_id, message from anomalies" | split_rows .anom0
}
# ours_of A N: drydock's files for artifact A, in the oracle's shapes
ours_of() {
	local d=$T/d/a$1
	touch "$d.conv0" "$d.dns0" "$d.http0" "$d.tls0" "$d.arp0" "$d.cid0" "$d.anom0"
	# drydock keys tunnelled flows by VNI as well (ingest/imp-pcap.c: two
	# tenants may reuse addresses); tshark does not. A tunnel that uses
	# one VNI each way (Open vSwitch GENEVE) splits one conversation in
	# two: tunnelled flows are summed per 4-tuple here.
	awk -F'|' '{ a = $1; b = $2; if (a > b) { t = a; a = b; b = t }
		if ($4 == "") print a " " b " " $3; else s[a " " b] += $3 }
		END { for (k in s) print k " " s[k] }' "$d.conv0" | sort >"$d.conv"
	sort "$d.dns0" >"$d.dns"
	sort "$d.http0" >"$d.http"
	sort "$d.tls0" >"$d.tls"
	wc -l <"$d.arp0" >"$d.arp"
	sort -u "$d.cid0" >"$d.cid"
}

# compare N NAME: the oracle's and drydock's views of one capture
compare() { # N ARTIFACT NAME
	local n=$1 b=$3 o=$T/o/$1 d=$T/d/a$2 nt nd
	# a link type drydock does not decode is an anomaly (its packets
	# indexed, no flows): tshark's view of it is not comparable
	if grep -q 'is not decoded' "$d.anom0"; then
		ok "$b: $(grep -m1 'is not decoded' "$d.anom0" | cut -c1-70): tshark's view not compared"
		return
	fi
	# a) TCP conversations: the count, then packets per 4-tuple where
	# the 4-tuple names one conversation on both sides
	nt=$(wc -l <"$o.conv")
	nd=$(wc -l <"$d.conv")
	if [ "$nt" = "$nd" ]; then
		ok "$b: $nd TCP conversations, as tshark"
	else
		bad "$b: $nd TCP flows, tshark has $nt conversations"
		diff <(cut -d' ' -f1-4 "$d.conv") <(cut -d' ' -f1-4 "$o.conv") | head -4
	fi
	if [ "$nt" -gt 0 ]; then
		local res
		res=$(awk 'FNR == 1 { f++ } { k = $1 " " $2 " " $3 " " $4 }
			f == 1 { dn[k]++; dv[k] = $5 } f == 2 { tn[k]++; tv[k] = $5 }
			END { for (k in dn) if (dn[k] == 1 && tn[k] == 1) { m++
				if (dv[k] != tv[k]) { x++; if (x <= 2) print "  " k ": drydock " dv[k] ", tshark " tv[k] > "/dev/stderr" } }
				print m + 0, x + 0 }' "$d.conv" "$o.conv")
		read -r m x <<<"$res"
		[ "$x" = 0 ] && ok "$b: packets of $m conversations agree with tshark" ||
		    bad "$b: packets differ for $x of $m conversations"
	fi
	# b) DNS query names
	if cmp -s "$d.dns" "$o.dns"; then
		ok "$b: $(wc -l <"$o.dns") DNS query names, as tshark"
	else
		bad "$b: DNS query names differ ($(wc -l <"$d.dns") ours, $(wc -l <"$o.dns") tshark's)"
		diff "$d.dns" "$o.dns" | head -4
	fi
	# d) Community IDs of TCP/UDP/ICMP flows vs the set tshark computes
	# per frame: equal, except that packets drydock counts as malformed
	# (an anomaly: say a UDP header cut short after its ports) have no
	# flow, so tshark may have more IDs then, never other ones
	if cmp -s "$d.cid" "$o.cid"; then
		ok "$b: $(wc -l <"$o.cid") Community IDs, as tshark"
	elif [ -z "$(comm -23 "$d.cid" "$o.cid")" ] && grep -q 'malformed' "$d.anom0"; then
		ok "$b: $(wc -l <"$d.cid") Community IDs, all tshark's; its other $(comm -13 "$d.cid" "$o.cid" | wc -l) are of packets drydock marks malformed"
	else
		bad "$b: Community IDs differ ($(wc -l <"$d.cid") ours, $(wc -l <"$o.cid") tshark's)"
		diff "$d.cid" "$o.cid" | head -4
	fi
	# e) HTTP requests, TLS server names, ARP packets
	if cmp -s "$d.http" "$o.http"; then
		[ -s "$o.http" ] && ok "$b: $(wc -l <"$o.http") HTTP requests (method, host, URI), as tshark"
	else
		bad "$b: HTTP requests differ"
		diff "$d.http" "$o.http" | head -4
	fi
	if cmp -s "$d.tls" "$o.tls"; then
		[ -s "$o.tls" ] && ok "$b: $(wc -l <"$o.tls") TLS ClientHellos (server names), as tshark"
	else
		bad "$b: TLS ClientHellos differ"
		diff "$d.tls" "$o.tls" | head -4
	fi
	if [ "$(cat "$d.arp")" = "$(cat "$o.arp")" ]; then
		[ "$(cat "$o.arp")" = 0 ] || ok "$b: $(cat "$o.arp") ARP packets, as tshark"
	else
		bad "$b: $(cat "$d.arp") ARP packets, tshark $(cat "$o.arp")"
	fi
}

mkdir -p "$T/o" "$T/d"

# A synthetic capture: TLS ClientHellos with server names (the fixtures
# hold one ClientHello, without SNI).
python3 - "$T/tls-sni.pcap" <<'PY'
import struct, sys
def ck(b):
    b = b + b'\0' * (len(b) % 2)
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ip4(a): return bytes(int(x) for x in a.split('.'))
recs = []
def pkt(t, src, dst, sp, dp, seq, ack, fl, pay=b''):
    th = struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 5 << 4, fl, 65535, 0, 0)
    ph = ip4(src) + ip4(dst) + struct.pack('!BBH', 0, 6, len(th) + len(pay))
    th = th[:16] + struct.pack('!H', ck(ph + th + pay)) + th[18:]
    ih = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(th) + len(pay), 1, 0x4000, 64, 6, 0, ip4(src), ip4(dst))
    ih = ih[:10] + struct.pack('!H', ck(ih)) + ih[12:]
    fr = b'\x02\0\0\0\0\x02' + b'\x02\0\0\0\0\x01' + b'\x08\x00' + ih + th + pay
    recs.append(struct.pack('<IIII', 1700000000 + t // 1000000, t % 1000000, len(fr), len(fr)) + fr)
def hello(name):
    sni = name.encode()
    ext = struct.pack('!HHHBH', 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni
    alpn = b'\x02h2\x08http/1.1'
    ext += struct.pack('!HHH', 16, len(alpn) + 2, len(alpn)) + alpn
    body = b'\x03\x03' + bytes(range(32)) + b'\0' + struct.pack('!H', 4) + b'\x13\x01\xc0\x2f' + b'\x01\0' + struct.pack('!H', len(ext)) + ext
    hs = b'\x01' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x01' + struct.pack('!H', len(hs)) + hs
t = 0
for i, name in enumerate(['example.test', 'api.internal.example', 'xn--bcher-kva.example']):
    c, s, cp = '10.0.0.1', '10.0.0.2', 40000 + i
    pkt(t, c, s, cp, 443, 100, 0, 0x02); t += 100
    pkt(t, s, c, 443, cp, 500, 101, 0x12); t += 100
    pkt(t, c, s, cp, 443, 101, 501, 0x10); t += 100
    h = hello(name)
    pkt(t, c, s, cp, 443, 101, 501, 0x18, h); t += 100
    pkt(t, s, c, 443, cp, 501, 101 + len(h), 0x10); t += 100
    pkt(t, c, s, cp, 443, 101 + len(h), 501, 0x11); t += 100
    pkt(t, s, c, 443, cp, 501, 102 + len(h), 0x11); t += 100
    pkt(t, c, s, cp, 443, 102 + len(h), 502, 0x10); t += 1000
open(sys.argv[1], 'wb').write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1) + b''.join(recs))
PY
# DLT_LOOP (no fixture has one): a DLT_NULL capture with the address
# family rewritten in network order
python3 - tests/data/pcap-fixtures/suricata_dns_dns-truncated-rname_poc2.pcap "$T/loop.pcap" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
e = '<' if d[:4] == b'\xd4\xc3\xb2\xa1' else '>'
assert struct.unpack_from(e + 'I', d, 20)[0] == 0
struct.pack_into(e + 'I', d, 20, 108)
o = 24
while o + 20 <= len(d):
    cl = struct.unpack_from(e + 'I', d, o + 8)[0]
    struct.pack_into('>I', d, o + 16, struct.unpack_from(e + 'I', d, o + 16)[0])
    o += 16 + cl
open(sys.argv[2], 'wb').write(d)
PY

# ---- the committed subset, and a sample of the fixtures: tshark ----
subset=(tests/data/pcap-fixtures/*.pcap tests/data/pcap-fixtures/*.pcapng
	tests/data/pcap-fixtures/*.gz "$T/tls-sni.pcap" "$T/loop.pcap")
sample=()
if [ -d "$FIX/pcap" ]; then
	# every Nth capture of the sorted list (deterministic)
	mapfile -t all < <(find "$FIX/pcap" -type f \( -name '*.pcap' -o \
	    -name '*.pcapng' -o -name '*.cap' -o -name '*.gz' \) | sort)
	step=$(( ${#all[@]} / SAMPLE ))
	[ "$step" -ge 1 ] || step=1
	for ((i = step / 2; i < ${#all[@]} && ${#sample[@]} < SAMPLE; i += step)); do
		sample+=("${all[$i]}")
	done
fi
C=$T/sub.dd
newcase "$C"
n=0
declare -A num
for f in "${subset[@]}" "${sample[@]}"; do
	n=$((n + 1))
	num[$f]=$n
	oracle "$f" "$n" &
	if ! "$DRYDOCK" -q ingest "$C" "$f" >"$T/ingest.out" 2>&1; then
		if [ "$(loop "$f" | cut -d' ' -f3)" = open: ]; then
			ok "$(basename "$f"): libpcap refuses it; so does drydock"
		else
			bad "$(basename "$f"): import failed: $(tail -n 2 "$T/ingest.out")"
		fi
		num[$f]=
	fi
	wait
done
ours "$C"
# artifact id and packets indexed, by SHA-256 (a capture identical to one
# already imported adds no artifact)
q "$C" "select a.sha256, a.id, (select coalesce(sum(npkts), 0) from packet_chunks p where p.artifact_id = a.id) from artifacts a" |
    tr , ' ' >"$T/arts"
for f in "${subset[@]}" "${sample[@]}"; do
	n=${num[$f]}
	[ -n "$n" ] || continue
	b=$(basename "$f")
	read -r _ a pk < <(grep "^$(sha256sum <"$f" | cut -c1-64) " "$T/arts")
	if [ -z "$a" ]; then
		bad "$b: no artifact"
		continue
	fi
	ours_of "$a"
	compare "$n" "$a" "$b"
	# c) packets: libpcap's loop, and capinfos where it agrees with libpcap
	read -r lp _ lerr < <(loop "$f")
	ci=$(capinfos -T -r -c "$f" 2>/dev/null | cut -f2)
	if [ "$pk" = "$lp" ]; then
		if [ "$ci" = "$lp" ]; then
			ok "$b: $pk packets, as libpcap and capinfos"
		else
			ok "$b: $pk packets, as libpcap (capinfos: '${ci:-}', $lerr)"
		fi
	else
		bad "$b: $pk packets, libpcap reads $lp (capinfos ${ci:-?})"
	fi
done

# ---- the LOOP twin: the same flows and names as its DLT_NULL original ----
a1=$(q "$C" "select id from artifacts where name like '%dns_dns-truncated-rname_poc2.pcap'")
a2=$(q "$C" "select id from artifacts where name = '$T/loop.pcap'")
cols="proto, src, sport, dst, dport, packets_fwd, packets_rev, bytes_fwd, bytes_rev, community_id"
q "$C" "select $cols from flows where artifact_id = $a1 order by flow_no" >"$T/null.f"
q "$C" "select $cols from flows where artifact_id = $a2 order by flow_no" >"$T/loop.f"
[ -s "$T/null.f" ] && cmp -s "$T/null.f" "$T/loop.f" &&
	ok "DLT_LOOP copy: the same $(wc -l <"$T/loop.f") flows as the DLT_NULL original" ||
	bad "DLT_LOOP copy differs from its DLT_NULL original"

# ---- variants: byte order, precision, pcapng, gzip ----
# every flow, DNS name and packet-index entry of the reference capture,
# compared across its variants
snapshot() { # CASE -> stdout
	q "$1" "select $cols, first_ts, last_ts from flows order by flow_no"
	q "$1" "select ts, qname, response from dns order by ts, qname"
	q "$1" "select count(*), sum(npkts), min(ts_min), max(ts_max) from packet_chunks"
}
# The reference: the pcapng fixture written as a microsecond pcap (its
# own stamps have nanosecond digits, which a microsecond copy loses)
REF=tests/data/pcap-fixtures/zeek_http_cooper-grill-dvwa.pcapng
V=$T/v
mkdir -p "$V"
editcap -F pcap "$REF" "$V/us.pcap" 2>/dev/null
editcap -F nsecpcap "$V/us.pcap" "$V/ns.pcap" 2>/dev/null
editcap -F pcapng "$V/us.pcap" "$V/ng.pcapng" 2>/dev/null
# byte-swapped copies (big-endian headers: a capture written on s390x)
python3 - "$V/us.pcap" "$V/us-be.pcap" "$V/ns.pcap" "$V/ns-be.pcap" <<'PY'
import struct, sys
for src, dst in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    d = open(src, 'rb').read()
    assert d[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1')
    out = [struct.pack('>IHHiIII', *struct.unpack_from('<IHHiIII', d, 0))]
    o = 24
    while o + 16 <= len(d):
        h = struct.unpack_from('<IIII', d, o)
        out.append(struct.pack('>IIII', *h) + d[o + 16:o + 16 + h[2]])
        o += 16 + h[2]
    open(dst, 'wb').write(b''.join(out))
PY
gzip -c "$V/us.pcap" >"$V/us.pcap.gz"
for v in us.pcap us-be.pcap ns.pcap ns-be.pcap ng.pcapng us.pcap.gz; do
	newcase "$T/v.dd"
	if ! "$DRYDOCK" -q ingest "$T/v.dd" "$V/$v" >"$T/ingest.out" 2>&1; then
		bad "$v: import failed: $(tail -n 2 "$T/ingest.out")"
		continue
	fi
	snapshot "$T/v.dd" >"$V/$v.snap"
	fmt=$(q "$T/v.dd" "select format from artifacts")
	if [ $v = us.pcap ]; then
		nsref=$(q "$T/v.dd" "select min(ts_min) from packet_chunks")
		[ -s "$V/$v.snap" ] && [ "$fmt" = pcap ] &&
			ok "$v: the microsecond reference: $(wc -l <"$V/$v.snap") rows" ||
			bad "$v: no rows (format '$fmt')"
	elif [ "$fmt" = pcap ] && cmp -s "$V/us.pcap.snap" "$V/$v.snap"; then
		ok "$v: the same flows, DNS names, packet times as the microsecond pcap"
	else
		bad "$v: differs from the microsecond pcap (format '$fmt')"
		diff "$V/us.pcap.snap" "$V/$v.snap" | head -4
	fi
done
case $nsref in *000) ok "microsecond capture times scale to nanoseconds ($nsref)" ;;
*) bad "first packet time $nsref: not from a microsecond capture?" ;; esac
# nanosecond digits survive: shift the nanosecond copy's first packet by 1 ns
python3 - "$V/ns.pcap" "$V/ns1.pcap" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
struct.pack_into('<I', d, 28, struct.unpack_from('<I', d, 28)[0] + 1)
open(sys.argv[2], 'wb').write(d)
PY
newcase "$T/v.dd"
"$DRYDOCK" -q ingest "$T/v.dd" "$V/ns1.pcap" >/dev/null 2>&1
got=$(q "$T/v.dd" "select min(ts_min) from packet_chunks")
[ "$got" = $((nsref + 1)) ] && ok "nanosecond capture: 1 ns kept ($got)" ||
	bad "nanosecond capture: first packet at $got, want $((nsref + 1))"

# a Custom Block (0x00000BAD) between the section header and the first
# interface: legal pcapng (libpcap reads past it), so still a capture
python3 - "$V/ng.pcapng" "$V/ng-cb.pcapng" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
n = struct.unpack_from('<I', d, 4)[0]
body = struct.pack('<I', 32473) + b'custom!\0'
cb = struct.pack('<II', 0xBAD, 12 + len(body)) + body + struct.pack('<I', 12 + len(body))
open(sys.argv[2], 'wb').write(d[:n] + cb + d[n:])
PY
newcase "$T/v.dd"
"$DRYDOCK" -q ingest "$T/v.dd" "$V/ng-cb.pcapng" >/dev/null 2>&1
got=$(q "$T/v.dd" "select format || ' ' || (select coalesce(sum(npkts), 0) from packet_chunks) from artifacts")
want="pcap $(loop "$V/ng-cb.pcapng" | cut -d' ' -f1)"
[ "$got" = "$want" ] && ok "pcapng with a Custom Block before its IDB: $got packets" ||
	bad "pcapng with a Custom Block before its IDB: '$got', want '$want'"

# ---- hostile inputs ----
# A rejected import leaves the case as it was: same artifacts, custody
# head and hash of every relation we look at.
state() { q "$1" "select (select count(*) from artifacts) || ' ' || (select count(*) from custody) || ' ' || (select count(*) from flows)"; }
# hostile NAME FILE [1: an anomaly is required when it imports]: it
# imports as pcap (with an anomaly when one is required) or is rejected
# (exit 1, the file named, the case unchanged). Offered with --as pcap, so
# that what the sniffer would leave to the raw importer still reaches
# libpcap.
hostile() {
	local name=$1 f=$2 need=${3:-0} before after rc n
	newcase "$T/h.dd"
	before=$(state "$T/h.dd")
	"$DRYDOCK" -q ingest --as pcap "$T/h.dd" "$f" >"$T/h.out" 2>&1
	rc=$?
	after=$(state "$T/h.dd")
	if [ $rc = 0 ]; then
		n=$(q "$T/h.dd" "select count(*) from anomalies")
		fmt=$(q "$T/h.dd" "select format from artifacts")
		if [ "$n" -ge 1 ] && [ "$fmt" = pcap ]; then
			ok "$name: imported with $n anomaly(ies): $(q "$T/h.dd" "select message from anomalies limit 1" | head -c 120)"
		elif [ "$need" = 0 ] && [ "$fmt" = pcap ]; then
			ok "$name: imported, nothing wrong to record"
		else
			bad "$name: imported as '$fmt' with $n anomalies"
		fi
	elif [ $rc = 1 ] && [ "$before" = "$after" ] && grep -q "$(basename "$f")" "$T/h.out"; then
		ok "$name: rejected, naming the file, case unchanged ($(head -c 120 "$T/h.out"))"
	else
		bad "$name: exit $rc, case '$before' -> '$after': $(head -c 200 "$T/h.out")"
	fi
}
H=$T/h
mkdir -p "$H"
SRC=$V/us.pcap
full=$(loop "$SRC" | cut -d' ' -f1)
# record offsets of the reference capture
python3 - "$SRC" >"$H/recs" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
o = 24
while o + 16 <= len(d):
    cl = struct.unpack_from('<I', d, o + 8)[0]
    print(o, cl)
    o += 16 + cl
PY
# 1) cut mid-record (head -c): the packets before the cut, and an anomaly
read -r off30 len30 < <(sed -n 30p "$H/recs")
head -c $((off30 + 16 + len30 / 2)) "$SRC" >"$H/cut-mid.pcap"
newcase "$T/h.dd"
if "$DRYDOCK" -q ingest "$T/h.dd" "$H/cut-mid.pcap" >"$T/h.out" 2>&1; then
	pk=$(q "$T/h.dd" "select sum(npkts) from packet_chunks")
	an=$(q "$T/h.dd" "select count(*) from anomalies")
	[ "$pk" = 29 ] && [ "$an" -ge 1 ] &&
		ok "cut inside record 30: 29 packets kept, $an anomaly: $(q "$T/h.dd" "select message from anomalies limit 1" | head -c 100)" ||
		bad "cut inside record 30: $pk packets, $an anomalies"
	rm -f "$T/s.dd"; "$DRYDOCK" -q init "$T/s.dd" >/dev/null
	"$DRYDOCK" -q ingest --strict "$T/s.dd" "$H/cut-mid.pcap" >/dev/null 2>&1
	[ $? = 4 ] && ok "cut inside a record: --strict exits 4" || bad "--strict on a truncated capture"
else
	bad "cut inside a record: rejected: $(cat "$T/h.out")"
fi
# the same, cut inside the record header, and cut in a pcapng block
head -c $((off30 + 9)) "$SRC" >"$H/cut-hdr.pcap"
hostile "cut inside record header 30" "$H/cut-hdr.pcap" 1
head -c $(( $(stat -c %s "$V/ng.pcapng") - 7 )) "$V/ng.pcapng" >"$H/cut.pcapng"
hostile "pcapng cut inside its last block" "$H/cut.pcapng" 1
# 2) the truncated copy gzip'd, and a gzip stream cut short
gzip -c "$H/cut-mid.pcap" >"$H/cut-mid.pcap.gz"
hostile "truncated capture, gzip'd" "$H/cut-mid.pcap.gz" 1
head -c $(( $(stat -c %s "$V/us.pcap.gz") / 2 )) "$V/us.pcap.gz" >"$H/cut-stream.pcap.gz"
hostile "gzip stream cut short" "$H/cut-stream.pcap.gz" 1
# 3) corrupt headers and records
python3 - "$SRC" "$H" "$off30" <<'PY'
import struct, sys
src, h, o = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = open(src, 'rb').read()
def put(name, b): open(h + '/' + name, 'wb').write(b)
def patch(off, fmt, v):
    b = bytearray(d); struct.pack_into(fmt, b, off, v); return bytes(b)
put('caplen-huge.pcap', patch(o + 8, '<I', 0x7ffffff0))
put('caplen-gt-len.pcap', patch(o + 8, '<I', struct.unpack_from('<I', d, o + 12)[0] + 100))
put('caplen-zero.pcap', patch(o + 8, '<I', 0))
put('snaplen-zero.pcap', patch(16, '<I', 0))
put('version-9.pcap', patch(4, '<H', 9))
put('linktype-unknown.pcap', patch(20, '<I', 4000))
put('linktype-ethernet-fcs.pcap', patch(20, '<I', 1 | 0x10000000 | 0x04000000))
put('header-only.pcap', d[:24])
put('header-cut.pcap', d[:13])
put('magic-only.pcap', d[:4])
# the Ethernet type of every frame turned into IPv4 over garbage
b = bytearray(d); p = 24
while p + 16 <= len(b):
    cl = struct.unpack_from('<I', b, p + 8)[0]
    if cl >= 20: b[p + 16 + 14] = 0x4f; b[p + 16 + 16:p + 16 + 18] = b'\xff\xff'
    p += 16 + cl
put('ip-garbage.pcap', bytes(b))
PY
hostile "caplen 0x7ffffff0 in record 30" "$H/caplen-huge.pcap" 1
hostile "caplen > wire length in record 30" "$H/caplen-gt-len.pcap"
hostile "caplen 0 in record 30" "$H/caplen-zero.pcap" 1
hostile "snaplen 0 in the header" "$H/snaplen-zero.pcap"
hostile "version 9.4" "$H/version-9.pcap"
hostile "unknown link type 4000" "$H/linktype-unknown.pcap" 1
hostile "Ethernet with FCS bits in the link type" "$H/linktype-ethernet-fcs.pcap"
hostile "header only (no packets)" "$H/header-only.pcap"
hostile "header cut at 13 bytes" "$H/header-cut.pcap" 1
hostile "magic only" "$H/magic-only.pcap" 1
hostile "IP headers overwritten" "$H/ip-garbage.pcap" 1
head -c 4096 /dev/urandom >"$H/random.bin"
hostile "random bytes as pcap" "$H/random.bin" 1
{ printf '\xd4\xc3\xb2\xa1'; head -c 4092 /dev/urandom; } >"$H/random-magic.pcap"
hostile "pcap magic then random bytes" "$H/random-magic.pcap" 1
# the fixtures' deliberately broken captures (libpcap's and pcapng's)
for f in "$FIX"/pcap/libpcap-tests/*.pcap* tests/data/pcap-fixtures/suricata_ipv4-truncated_truncated.pcap; do
	[ -f "$f" ] || continue
	case $(loop "$f" | cut -d' ' -f3-) in
	-) hostile "$(basename "$f")" "$f" ;;
	*) hostile "$(basename "$f") (libpcap: $(loop "$f" | cut -d' ' -f3- | head -c 60))" "$f" 1 ;;
	esac
done

# ---- every fixture capture into one case ----
if [ -d "$FIX/pcap" ]; then
	W=$T/walk.dd
	newcase "$W"
	: >"$T/walk.tsv"
	# wall time, and the CPU time of what the walk ran (a busy machine
	# stretches the first, not the second)
	# (times, in this shell: the children's user and system time)
	cpu() { tail -1 "$T/times" | awk '{ split($1, u, "m"); split($2, s, "m"); printf "%.0f", 60 * u[1] + u[2] + 60 * s[1] + s[2] }'; }
	t0=$(date +%s)
	times >"$T/times"
	c0=$(cpu)
	# the oracles first (libpcap's loop, SHA-256 to find the artifact)
	for f in "${all[@]}"; do loop "$f" "$T/unzw"; done >"$T/walk.loop"
	sha256sum "${all[@]}" | cut -c1-64 >"$T/walk.sha"
	# Captures libpcap reads go in batches of 40 per ingest call (an ASan
	# process start costs more than most of these files); a batch that
	# fails is redone file by file (files before the failure are already
	# in: their second import is "identical", exit 0). Files libpcap
	# refuses go one by one, for their exit status and message.
	one() {
		"$DRYDOCK" -q ingest "$W" "$1" >"$T/w.out" 2>&1
		printf '%s\t%s\t%s\n' "$1" "$?" "$(tr '\t\n' '  ' <"$T/w.out" | head -c 300)"
	}
	batch=()
	flush() {
		[ ${#batch[@]} -gt 0 ] || return 0
		if "$DRYDOCK" -q ingest "$W" "${batch[@]}" >/dev/null 2>&1; then
			for b in "${batch[@]}"; do printf '%s\t0\t\n' "$b"; done
		else
			for b in "${batch[@]}"; do one "$b"; done
		fi
		batch=()
	}
	i=0
	while IFS= read -r lline; do
		f=${all[$i]}
		i=$((i + 1))
		case $lline in
		"0 0 open:"*) one "$f" ;;
		*) batch+=("$f"); [ ${#batch[@]} -lt 40 ] || flush ;;
		esac
	done <"$T/walk.loop" >"$T/walk.rc.tmp"
	flush >>"$T/walk.rc.tmp"
	# back in the order of all[] (paste joins by line)
	awk -F'\t' 'NR == FNR { r[$1] = $0; next } { print r[$0] }' \
	    "$T/walk.rc.tmp" <(printf '%s\n' "${all[@]}") >"$T/walk.rc"
	# file, exit status, sha256, libpcap's "packets bytes error", message
	paste "$T/walk.rc" "$T/walk.sha" "$T/walk.loop" |
	    awk -F'\t' -v OFS='\t' '{ print $1, $2, $4, $5, $3 }' >"$T/walk.tsv"
	t1=$(date +%s)
	times >"$T/times"
	c1=$(cpu)
	q "$W" "select a.sha256, a.format, (select coalesce(sum(npkts), 0) from packet_chunks p where p.artifact_id = a.id), (select count(*) from anomalies x where x.artifact_id = a.id) from artifacts a" |
	    tr , '\t' >"$T/walk.db"
	res=$(awk -F'\t' '
		FNR == 1 { f++ }
		f == 1 { fmt[$1] = $2; pk[$1] = $3; an[$1] = $4; next }
		{ split($4, L, " "); lp = L[1]; lerr = L[3]; nb = split($1, P, "/"); b = P[nb]
		  n++
		  if (lerr == "open:") {
			# rejected naming the file, or (not recognised as a
			# capture) kept as raw evidence, not parsed
			if ($2 == 1 && index($5, b) > 0) { rej++ }
			else if ($2 == 0 && fmt[$3] == "raw") { raw++; print "  (" b ": libpcap refuses it; drydock keeps it as raw evidence)" }
			else { bad++; print "FAIL - " b ": libpcap refuses it; drydock exit " $2 ", format " fmt[$3] ": " substr($5, 1, 120) }
			next }
		  if ($2 != 0 || !($3 in fmt)) { bad++; print "FAIL - " b ": import failed (exit " $2 "): " substr($5, 1, 160); next }
		  if (fmt[$3] != "pcap") { bad++; print "FAIL - " b ": imported as " fmt[$3]; next }
		  if (pk[$3] != lp) { bad++; print "FAIL - " b ": " pk[$3] " packets, libpcap " lp; next }
		  if (lerr != "-" && an[$3] < 1) { bad++; print "FAIL - " b ": libpcap stops with an error, no anomaly"; next }
		  good++ }
		END { print "walk", n + 0, good + 0, rej + 0, raw + 0, bad + 0 }' "$T/walk.db" "$T/walk.tsv")
	echo "$res" | grep -v '^walk' | head -30
	read -r _ wn wgood wrej wraw wbad < <(echo "$res" | grep '^walk')
	if [ "$wbad" = 0 ]; then
		ok "fixture walk: $wn captures in one case in $((t1 - t0)) s ($((c1 - c0)) s CPU): $wgood with libpcap's packet count, $wrej refused by both, $wraw refused by libpcap and kept as raw"
	else
		bad "fixture walk: $wbad of $wn captures wrong (listed above; $((t1 - t0)) s, $((c1 - c0)) s CPU)"
	fi
	"$DRYDOCK" -q verify "$W" >/dev/null 2>&1 && ok "fixture walk: the case verifies" ||
		bad "fixture walk: verify fails"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
