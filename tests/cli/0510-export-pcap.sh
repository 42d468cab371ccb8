#!/usr/bin/env bash
# 0510-export-pcap: `drydock export-pcap` against Wireshark's own readers.
# For every capture (tests/data/pcap-export, compressed variants made
# here, and more from ../shared/fixtures/pcap when present): the original,
# decompressed by gzip/zstd/xz and rewritten as a nanosecond pcap by
# editcap, is the oracle, read with a small Python pcap reader (no
# libpcap). --artifact gives the whole capture, record for record (time,
# lengths, bytes; capinfos and tshark count the same); --flow gives
# flows.packets packets, each one of the original's, in its order; --host
# and --from/--to (after a clock offset) give exactly the frames tshark's
# ip.addr==X / ipv6.addr==X and frame.time_epoch filters give (computed
# from one tshark -T fields dissection per capture; a fragment whose first
# fragment is missing has no ports, belongs to no flow, and is left out).
# Then: several
# captures in artifact id order, different link types refused, usage
# errors (2), unknown flow/artifact/host (1), a tampered index (1, no
# output), a read-only case, custody, an archive member (LID-DS 2021 zip,
# when the shared fixtures are there).
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
export DRYDOCK_NOW=${DRYDOCK_NOW:-2026-01-02T03:04:05Z}
export DRYDOCK_EXAMINER=${DRYDOCK_EXAMINER:-tester}
D=$PWD/tests/data/pcap-export
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
# check NAME CMD...: ok when CMD exits 0.
check() {
	local name=$1
	shift
	if "$@" >"$T/check.out" 2>&1; then
		ok "$name"
	else
		bad "$name: $(tail -n 3 "$T/check.out" | tr '\n' ' ')"
	fi
}
# eq NAME WANT GOT
eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: want '$2', got '$3'"; fi
}

for tool in tshark capinfos editcap python3; do
	if ! command -v $tool >/dev/null; then
		echo "FAIL - $tool (the oracle) is not installed: ./build.sh deps"
		echo "0 passed, 1 failed"
		exit 1
	fi
done

# The oracle's reader: pcap records (ns time, caplen, wirelen, bytes).
cat >"$T/pr.py" <<'EOF'
import struct, sys

def read(path):
    with open(path, 'rb') as f:
        b = f.read()
    magic = b[:4]
    for e in '<>':
        m = struct.unpack(e + 'I', magic)[0]
        if m in (0xa1b2c3d4, 0xa1b23c4d):
            scale = 1000 if m == 0xa1b2c3d4 else 1
            break
    else:
        sys.exit('%s: not a pcap' % path)
    recs, off = [], 24
    while off + 16 <= len(b):
        s, frac, cap, wire = struct.unpack(e + 'IIII', b[off:off + 16])
        data = b[off + 16:off + 16 + cap]
        if len(data) != cap:
            sys.exit('%s: record at %d cut short' % (path, off))
        recs.append((s * 1000000000 + frac * scale, cap, wire, data))
        off += 16 + cap
    if off != len(b):
        sys.exit('%s: %d bytes after the last record' % (path, len(b) - off))
    return recs

def show(r):
    return 'ts %d caplen %d len %d' % r[:3]

cmd = sys.argv[1]
if cmd == 'count':
    print(len(read(sys.argv[2])))
elif cmd == 'ts':  # ts ORIG N: the time of frame N (ns)
    print(read(sys.argv[2])[int(sys.argv[3]) - 1][0])
elif cmd == 'same':  # same OUT ORIG...: OUT is the ORIGs one after another
    out = read(sys.argv[2])
    want = [r for p in sys.argv[3:] for r in read(p)]
    if len(out) != len(want):
        sys.exit('%d records, want %d' % (len(out), len(want)))
    for i, (a, b) in enumerate(zip(out, want)):
        if a != b:
            sys.exit('record %d: %s, want %s' % (i + 1, show(a), show(b)))
elif cmd == 'frames':  # frames OUT ORIG < numbers: OUT is those frames
    out, orig = read(sys.argv[2]), read(sys.argv[3])
    want = [orig[int(n) - 1] for n in sys.stdin.read().split()]
    if len(out) != len(want):
        sys.exit('%d records, want %d' % (len(out), len(want)))
    for i, (a, b) in enumerate(zip(out, want)):
        if a != b:
            sys.exit('record %d: %s, want %s' % (i + 1, show(a), show(b)))
elif cmd == 'flows':  # flows ORIG FILE:COUNT...: each FILE has COUNT
    # records, each one of ORIG's, in ORIG's order
    orig = read(sys.argv[2])
    bad = 0
    for arg in sys.argv[3:]:
        path, want = arg.rsplit(':', 1)
        out, j = read(path), 0
        if len(out) != int(want):
            print('%s: %d records, flows.packets %s' % (path, len(out), want))
            bad += 1
        for i, r in enumerate(out):
            while j < len(orig) and orig[j] != r:
                j += 1
            if j == len(orig):
                print('%s: record %d (%s) is not in the original after the '
                      'previous one' % (path, i + 1, show(r)))
                bad += 1
                break
            j += 1
    sys.exit(1 if bad else 0)
elif cmd == 'sel':  # sel TABLE [host X] [from NS] [to NS]: frame numbers
    # tshark's ip.addr==X / ipv6.addr==X and frame.time_epoch bounds, from
    # TABLE: tshark -T fields (all occurrences, ',' between) of
    # frame.number frame.time_epoch ip.addr ipv6.addr ip.src ip.dst ip.id
    # ip.frag_offset ipv6.src ipv6.dst ipv6.fraghdr.ident
    # ipv6.fraghdr.offset (no defragmentation). A fragment after the
    # first whose first fragment is not in the capture carries no ports:
    # it belongs to no flow, so --host cannot select it; it is left out.
    args = dict(zip(sys.argv[3::2], sys.argv[4::2]))
    rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[2])]
    def first(v):
        return v.split(',')[0]
    def ns(t):
        s, _, f = t.partition('.')
        return int(s) * 1000000000 + int((f + '000000000')[:9])
    firsts = set()
    for r in rows:
        if first(r[7]) in ('0', '') and r[6]:
            firsts.add(('4', first(r[4]), first(r[5]), first(r[6])))
        if first(r[11]) == '0' and r[10]:
            firsts.add(('6', first(r[8]), first(r[9]), first(r[10])))
    for r in rows:
        if 'host' in args:
            h = args['host']
            if h not in r[2].split(',') + r[3].split(','):
                continue
            if first(r[7]) not in ('0', '') and \
                    ('4', first(r[4]), first(r[5]), first(r[6])) not in firsts:
                continue
            if first(r[11]) not in ('0', '') and \
                    ('6', first(r[8]), first(r[9]), first(r[10])) not in firsts:
                continue
        t = ns(r[1])
        if 'from' in args and t < int(args['from']):
            continue
        if 'to' in args and t > int(args['to']):
            continue
        print(r[0])
elif cmd == 'subseq':  # subseq OUT ORIG: OUT's records are ORIG's, in order
    out, orig = read(sys.argv[2]), read(sys.argv[3])
    j = 0
    for i, r in enumerate(out):
        while j < len(orig) and orig[j] != r:
            j += 1
        if j == len(orig):
            sys.exit('record %d (%s) is not in the original after the '
                     'previous one' % (i + 1, show(r)))
        j += 1
    print(len(out))
EOF
# Debian's python3 directly: a version-manager shim costs seconds a call.
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
pr() { "$PY" "$T/pr.py" "$@"; }
# sec NS: seconds.nanoseconds for tshark's frame.time_epoch.
sec() { printf '%d.%09d' $(($1 / 1000000000)) $(($1 % 1000000000)); }

# oracle FILE OUT: the capture, decompressed, as a nanosecond pcap.
oracle() {
	local f=$1 plain=$T/plain
	case $f in
	*.gz) gzip -dc "$f" >"$plain" 2>/dev/null ;;
	*.zst) zstd -qdc "$f" >"$plain" 2>/dev/null ;;
	*.xz) xz -dc "$f" >"$plain" 2>/dev/null ;;
	*) cp "$f" "$plain" ;;
	esac
	rm -f "$2"
	editcap -F nsecpcap "$plain" "$2" >/dev/null 2>&1
	[ -s "$2" ]
}

ddk() { "$DRYDOCK" "$@"; }
q() { "$DRYDOCK" query --format csv "$1" "$2" | tail -n +2; }
# xp CASE ARGS...: export-pcap, status in RC, stderr in $T/xp.err.
xp() {
	"$DRYDOCK" export-pcap "$@" 2>"$T/xp.err"
	RC=$?
}

# Inputs: the bundled captures, compressed variants, shared fixtures.
gzip -nc "$D/tunnels_vxlan.pcap" >"$T/tunnels_vxlan.pcap.gz"
inputs=("$D/http_ctu-62604-80.pcap" "$D/tunnels_vxlan.pcap"
	"$D/pcapng-multi-interface.pcapng" "$D/tcp-handshake-nano.pcap"
	"$T/tunnels_vxlan.pcap.gz")
if command -v zstd >/dev/null; then
	zstd -q -c "$D/http_ctu-62604-80.pcap" >"$T/http_ctu.pcap.zst"
	inputs+=("$T/http_ctu.pcap.zst")
fi
if command -v xz >/dev/null; then
	xz -c "$D/pcapng-multi-interface.pcapng" >"$T/multi.pcapng.xz"
	inputs+=("$T/multi.pcapng.xz")
fi
if [ -d "$FIX/pcap" ]; then
	for f in zeek/var-services-std-ports.pcap \
	    zeek/http_cooper-grill-dvwa.pcapng \
	    zeek/tunnels_vxlan-encapsulated-http.pcap zeek/tunnels_geneve.pcap \
	    zeek/ipv6-fragmented-dns.pcap zeek/arp-leak.pcap \
	    zeek/linux_dlt_sll2.pcap \
	    scapy/http_head.pcapng.gz; do
		[ -f "$FIX/pcap/$f" ] && inputs+=("$FIX/pcap/$f")
	done
fi

# Flows exported per capture (each export is a run of the asan binary).
MAXFLOWS=${MAXFLOWS:-16}
C=$T/c.dd
for f in "${inputs[@]}"; do
	b=$(basename "$f")
	rm -f "$C" "$C"-* "$T"/f-*.pcap
	ddk -q init "$C" >/dev/null 2>&1
	if ! ddk -q ingest "$C" "$f" >"$T/ingest.out" 2>&1; then
		bad "$b: import failed: $(tail -n 2 "$T/ingest.out")"
		continue
	fi
	if ! oracle "$f" "$T/orig.pcap"; then
		bad "$b: editcap cannot rewrite it (no oracle)"
		continue
	fi
	A=$(q "$C" "select id from artifacts")
	norig=$(pr count "$T/orig.pcap")
	tshark -r "$T/orig.pcap" -o ip.defragment:FALSE -o ipv6.defragment:FALSE \
	    -T fields -E occurrence=a -E aggregator=, -e frame.number \
	    -e frame.time_epoch -e ip.addr -e ipv6.addr -e ip.src -e ip.dst \
	    -e ip.id -e ip.frag_offset -e ipv6.src -e ipv6.dst \
	    -e ipv6.fraghdr.ident -e ipv6.fraghdr.offset \
	    >"$T/table" 2>/dev/null

	# (c) the whole capture
	xp "$C" --artifact "$A" -o "$T/all.pcap"
	if [ "$RC" != 0 ]; then
		bad "$b: --artifact exits $RC: $(cat "$T/xp.err")"
		continue
	fi
	check "$b: --artifact is the capture, record for record ($norig)" \
	    pr same "$T/all.pcap" "$T/orig.pcap"
	eq "$b: tshark -r reads capinfos -c packets" \
	    "$(capinfos -c -M "$f" 2>/dev/null | sed -n 's/^Number of packets: *//p' | grep . || echo "$norig")" \
	    "$(tshark -r "$T/all.pcap" 2>/dev/null | wc -l | tr -d ' ')"

	# (a), (b) every flow (the first MAXFLOWS): counted by capinfos,
	# compared by the reader
	specs=()
	nbad=0
	while IFS=, read -r id packets; do
		xp "$C" --flow "$id" -o "$T/f-$id.pcap"
		if [ "$RC" != 0 ]; then
			bad "$b: --flow $id exits $RC: $(cat "$T/xp.err")"
			nbad=$((nbad + 1))
		fi
		specs+=("$T/f-$id.pcap:$packets")
	done < <(q "$C" "select id, packets from flows order by id limit $MAXFLOWS")
	[ ${#specs[@]} -gt 0 ] || continue
	if [ "$nbad" = 0 ]; then
		want=$(for sp in "${specs[@]}"; do echo "${sp##*:}"; done)
		got=$(capinfos -c -M "${specs[@]%:*}" | sed -n 's/^Number of packets: *//p')
		eq "$b: capinfos counts flows.packets packets in each of ${#specs[@]} flow(s)" \
		    "$(echo $want)" "$(echo $got)"
		check "$b: each flow's packets are the original's, bytes and times, in order" \
		    pr flows "$T/orig.pcap" "${specs[@]}"
		first=${specs[0]%:*}
		eq "$b: tshark reads the first flow" "${specs[0]##*:}" \
		    "$(tshark -r "$first" 2>/dev/null | wc -l | tr -d ' ')"
	fi

	# (d) --host: the initiator and responder of the first flow
	for h in $(q "$C" "select src from flows order by id limit 1") \
	    $(q "$C" "select dst from flows order by id limit 1"); do
		case $h in *:*) fld=ipv6.addr ;; *) fld=ip.addr ;; esac
		xp "$C" --host "$h" -o "$T/h.pcap"
		pr sel "$T/table" host "$h" >"$T/frames"
		if [ "$RC" = 0 ]; then
			check "$b: --host $h is tshark's $fld==$h ($(wc -l <"$T/frames") frames)" \
			    pr frames "$T/h.pcap" "$T/orig.pcap" <"$T/frames"
		else
			bad "$b: --host $h exits $RC: $(cat "$T/xp.err")"
		fi
	done

	# (d) --from/--to in case time after a clock offset of +1h
	[ "$norig" -ge 3 ] || continue
	i=$((norig / 3 + 1))
	j=$((2 * norig / 3 + 1))
	ti=$(pr ts "$T/orig.pcap" "$i")
	tj=$(pr ts "$T/orig.pcap" "$j")
	ddk -q offset "$C" "$A" +1h >/dev/null 2>&1
	H=3600000000000
	xp "$C" --from $((ti + H)) --to $((tj + H)) -o "$T/t.pcap"
	pr sel "$T/table" from "$ti" to "$tj" >"$T/frames"
	if [ "$RC" = 0 ]; then
		check "$b: --from/--to (inclusive, case time) is tshark's frame.time_epoch range ($(wc -l <"$T/frames") frames)" \
		    pr frames "$T/t.pcap" "$T/orig.pcap" <"$T/frames"
	else
		bad "$b: --from/--to exits $RC: $(cat "$T/xp.err")"
	fi
	# --host and --from (RFC 3339) intersect.
	h=$(q "$C" "select src from flows order by id limit 1")
	t=$((ti + H))
	xp "$C" --host "$h" -o "$T/ht.pcap" --from \
	    "$(date -u -d @$((t / 1000000000)) +%Y-%m-%dT%H:%M:%S).$(printf '%09d' $((t % 1000000000)))Z"
	pr sel "$T/table" host "$h" from "$ti" >"$T/frames"
	if [ "$RC" = 0 ]; then
		check "$b: --host $h --from RFC3339 is tshark's address and frame.time_epoch filter ($(wc -l <"$T/frames") frames)" \
		    pr frames "$T/ht.pcap" "$T/orig.pcap" <"$T/frames"
	else
		bad "$b: --host --from exits $RC: $(cat "$T/xp.err")"
	fi
done

# ---- several captures in one case ----
M=$T/m.dd
ddk -q init "$M" >/dev/null 2>&1
ddk -q ingest "$M" "$D/http_ctu-62604-80.pcap" "$D/tunnels_vxlan.pcap" \
    "$D/pcapng-multi-interface.pcapng" >/dev/null 2>&1
for k in 1 2 3; do
	xp "$M" --artifact $k -o "$T/m$k.pcap"
done
xp "$M" --to 4000000000000000000 -o "$T/mall.pcap"
eq "--to alone over three captures exits 0" 0 "$RC"
check "three captures are written one after the other in artifact id order" \
    pr same "$T/mall.pcap" "$T/m1.pcap" "$T/m2.pcap" "$T/m3.pcap"
f3=$(q "$M" "select id from flows where artifact_id = 3 order by id limit 1")
f1=$(q "$M" "select id from flows where artifact_id = 1 order by id limit 1")
xp "$M" --flow "$f1" -o "$T/mf1.pcap"
xp "$M" --flow "$f3" -o "$T/mf3.pcap"
xp "$M" --flow "$f3" --flow "$f1" -o "$T/m31.pcap"
check "--flow of capture 3 then 1: written capture 1 first" \
    pr same "$T/m31.pcap" "$T/mf1.pcap" "$T/mf3.pcap"
if grep -qE "^wrote $(pr count "$T/m31.pcap") packets \([0-9]+ bytes\) of 2 flow\(s\) to " "$T/xp.err"; then
	ok "the summary says 'wrote N packets (B bytes) of 2 flow(s) to FILE'"
else
	bad "the summary: $(cat "$T/xp.err")"
fi
eq "the summary's bytes are the file's size" "$(stat -c %s "$T/m31.pcap")" \
    "$(sed -n 's/^wrote [0-9]* packets (\([0-9]*\) bytes).*/\1/p' "$T/xp.err")"
xp "$M" --flow "$f1" --artifact 3 -o "$T/none.pcap"
eq "--flow of capture 1 with --artifact 3 intersect to nothing (exit 0)" 0 "$RC"
eq "... an empty pcap tshark reads" 0 "$(tshark -r "$T/none.pcap" 2>/dev/null | wc -l | tr -d ' ')"
"$DRYDOCK" export-pcap "$M" --artifact 2 -o - 2>/dev/null >"$T/stdout.pcap"
check "-o - writes the pcap to standard output" \
    pr same "$T/stdout.pcap" "$T/m2.pcap"
eq "tshark reads it from a pipe" "$(pr count "$T/m2.pcap")" \
    "$("$DRYDOCK" export-pcap "$M" --artifact 2 -o - 2>/dev/null | tshark -r - 2>/dev/null | wc -l | tr -d ' ')"

# Custody, on a writable case.
xp "$M" --artifact 1 -o "$T/cust.pcap"
eq "the export is recorded in custody" "export" \
    "$(q "$M" "select action from custody order by seq desc limit 1")"
detail=$(q "$M" "select detail from custody order by seq desc limit 1" | tr -d '"')
case $detail in
*as:pcap*) ok "custody says as: pcap" ;;
*) bad "custody detail: $detail" ;;
esac
case $detail in
*"$(sha256sum "$T/cust.pcap" | cut -d' ' -f1)"*) ok "custody holds the written file's SHA-256" ;;
*) bad "custody detail lacks the file's SHA-256: $detail" ;;
esac
check "verify passes after the exports" "$DRYDOCK" -q verify "$M"

# ---- errors ----
ddk -q ingest "$M" "$D/tcp-handshake-nano.pcap" >/dev/null 2>&1
printf 'not a capture\n' >"$T/note.txt"
ddk -q ingest "$M" "$T/note.txt" >/dev/null 2>&1
xp "$M" --from 0 -o "$T/mixed.pcap"
eq "captures of different link types: exit 1" 1 "$RC"
if grep -q -- "--artifact" "$T/xp.err" && grep -q "LINUX_SLL" "$T/xp.err"; then
	ok "... the message names the link types and --artifact"
else
	bad "... the message: $(cat "$T/xp.err")"
fi
check "... no output is left" test ! -e "$T/mixed.pcap"
xp "$M" --artifact 4 -o "$T/nano.pcap"
eq "the nanosecond capture alone: exit 0" 0 "$RC"
oracle "$D/tcp-handshake-nano.pcap" "$T/orig.pcap"
check "... its nanosecond times exact" pr same "$T/nano.pcap" "$T/orig.pcap"

usage() {
	local name=$1
	shift
	xp "$@"
	eq "usage: $name exits 2" 2 "$RC"
}
usage "no selection" "$M" -o "$T/u.pcap"
usage "no -o" "$M" --flow 1
usage "no CASE" --flow 1 -o "$T/u.pcap"
usage "two CASEs" "$M" "$M" --flow 1 -o "$T/u.pcap"
usage "--flow abc" "$M" --flow abc -o "$T/u.pcap"
usage "--flow 0" "$M" --flow 0 -o "$T/u.pcap"
usage "--host not-an-ip" "$M" --host not-an-ip -o "$T/u.pcap"
usage "--from yesterday" "$M" --from yesterday -o "$T/u.pcap"
usage "--from after --to" "$M" --from 20 --to 10 -o "$T/u.pcap"
usage "--artifact x" "$M" --artifact x -o "$T/u.pcap"
usage "an unknown option" "$M" --flow 1 --bogus -o "$T/u.pcap"
check "usage errors leave no output" test ! -e "$T/u.pcap"

xp "$M" --flow 99999 -o "$T/u.pcap"
eq "an unknown flow exits 1" 1 "$RC"
if grep -q "no flow 99999 in case '$M'" "$T/xp.err"; then
	ok "... the message names the flow and the case"
else
	bad "... the message: $(cat "$T/xp.err")"
fi
xp "$M" --artifact 77 -o "$T/u.pcap"
eq "an unknown artifact exits 1" 1 "$RC"
grep -q "artifact 77" "$T/xp.err" && ok "... the message names it" ||
	bad "... the message: $(cat "$T/xp.err")"
xp "$M" --artifact 5 -o "$T/u.pcap"
eq "a text artifact exits 1" 1 "$RC"
grep -q "not a capture" "$T/xp.err" && ok "... 'not a capture'" ||
	bad "... the message: $(cat "$T/xp.err")"
xp "$M" --host 203.0.113.99 -o "$T/u.pcap"
eq "a host in no flow exits 1" 1 "$RC"
check "failures leave no output" test ! -e "$T/u.pcap"
xp "$T/no-such.dd" --flow 1 -o "$T/u.pcap"
eq "a missing case exits 1" 1 "$RC"

# A tampered case: capture 2's index over capture 1's original.
X=$T/x.dd
cp "$M" "$X"
[ -e "$M-wal" ] && "$DRYDOCK" -q seal "$M" >/dev/null 2>&1 && cp "$M" "$X"
"$PY" - "$X" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
b = c.execute("select blob_id from artifact_all where id = 1").fetchone()[0]
c.execute("update artifact_all set blob_id = ? where id = 2", (b,))
c.commit()
EOF
mkdir "$T/xo"
xp "$X" --artifact 2 -o "$T/xo/bad.pcap"
eq "an index that disagrees with the original: exit 1" 1 "$RC"
grep -q "does not match the packet index" "$T/xp.err" &&
	grep -q "artifact 2" "$T/xp.err" && ok "... the message names the packet and artifact" ||
	bad "... the message: $(cat "$T/xp.err")"
eq "... nothing is left in the output directory" "" "$(ls -A "$T/xo")"

# A read-only case (as 'nobody' when root, where chmod stops nothing).
"$DRYDOCK" -q seal "$M" >/dev/null 2>&1
RO=$T/ro
mkdir "$RO" "$T/out"
cp "$M" "$RO/m.dd"
chmod -R a-w "$RO"
chmod a+x "$RO"
chmod 777 "$T/out"
chmod 711 "$T"
sum=$(sha256sum "$RO/m.dd")
who=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	who=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
fi
"${who[@]}" "$DRYDOCK" export-pcap "$RO/m.dd" --artifact 3 -o "$T/out/ro.pcap" 2>"$T/xp.err"
RC=$?
eq "a read-only case: export-pcap exits 0" 0 "$RC"
check "... the packets are right" pr same "$T/out/ro.pcap" "$T/m3.pcap"
if [ ${#who[@]} -gt 0 ]; then
	eq "... the case's bytes are unchanged" "$sum" "$(sha256sum "$RO/m.dd")"
	grep -q "read-only" "$T/xp.err" && ok "... it says the export is not in custody" ||
		bad "... stderr: $(cat "$T/xp.err")"
fi
chmod 700 "$T"

# An archive member: the capture inside a LID-DS 2021 zip.
Z=$(ls "$FIX"/lidds/*.zip 2>/dev/null | head -n 1)
if [ -n "$Z" ]; then
	L=$T/l.dd
	ddk -q init "$L" >/dev/null 2>&1
	ddk -q ingest "$L" "$Z" >/dev/null 2>&1
	id=$(q "$L" "select id from artifacts where format = 'pcap' limit 1")
	if [ -z "$id" ]; then
		echo "skip: the LID-DS importer keeps its capture unparsed"
	else
		name=$(q "$L" "select name from artifacts where id = $id")
		"$PY" - "$Z" "$name" "$T/member.pcap" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    open(sys.argv[3], 'wb').write(z.read(sys.argv[2]))
EOF
		oracle "$T/member.pcap" "$T/orig.pcap"
		xp "$L" --artifact "$id" -o "$T/l.pcap"
		eq "a capture inside an archive: exit 0" 0 "$RC"
		check "... its packets are the member's" pr same "$T/l.pcap" "$T/orig.pcap"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
