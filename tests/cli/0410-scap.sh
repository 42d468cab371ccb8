#!/usr/bin/env bash
# 0410-scap: the scap importer against sysdig -r (Debian's sysdig 0.29.3,
# reading captures without a driver): per-syscall counts of completed
# calls; per event (exit time, tid, pid, syscall, return, container short
# id, command); the paths of open/openat/creat; the destinations of
# connect (from sysdig's own tuple text); containers; then hostile
# variants (truncations, lengths past the end, a pcapng offered as scap).
# Runs over tests/data/scap and, when present, ../shared/fixtures/scap.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }

if ! command -v sysdig >/dev/null; then
	echo "FAIL - sysdig (the oracle) is not installed: ./build.sh deps"
	echo "0 passed, 1 failed"
	exit 1
fi

inputs=(tests/data/scap/*.scap)
if [ -d "$FIX/scap" ]; then
	for f in "$FIX"/scap/*.scap; do inputs+=("$f"); done
fi

# A case holding one capture: fresh case $T/c.dd.
load() {
	rm -f "$T/c.dd"
	"$DRYDOCK" -q init "$T/c.dd" >/dev/null || return 1
	"$DRYDOCK" -q ingest "$T/c.dd" "$1" >"$T/ingest.out" 2>&1
}
q() { "$DRYDOCK" query --format csv "$T/c.dd" "$1" | tail -n +2; }

# sysdig's non-syscall event types (rows of their own or not rows at all)
NONSYS='not evt.type in (procexit, signaldeliver, container, procinfo, drop, notification, infra) and evt.category != scheduler'

for f in "${inputs[@]}"; do
	b=$(basename "$f")
	if ! load "$f"; then
		bad "$b: import failed: $(tail -n 2 "$T/ingest.out")"
		continue
	fi
	# sysdig cannot read captures whose blocks carry editcap options;
	# that one is compared with its option-free twin below.
	if ! sysdig -r "$f" -p '%evt.num' 2>/dev/null | head -n 1 | grep -q .; then
		if [ "$(q 'select count(*) from events')" -gt 0 ]; then
			ok "$b: sysdig cannot read it; drydock imported it"
		else
			[ "$b" = falco_empty.scap ] && ok "$b: no events" ||
				bad "$b: no events"
		fi
		continue
	fi
	# 1. per-syscall counts of completed calls. sysdig 0.29.3 prints
	# "<unknown>" for generic calls its 2022 table cannot name (drydock
	# names them by PPM_SC code or native number): those must account
	# for exactly drydock's names that sysdig lacks.
	q "select syscall, count(*) from events where kind='syscall' and exit_ts is not null group by 1" | sort >"$T/ours"
	sysdig -r "$f" -p '%evt.type' "evt.dir=< and $NONSYS" 2>/dev/null |
		sed 's/ *$//' | sort | uniq -c | awk '{print $2 "," $1}' | sort >"$T/theirs"
	unk=$(awk -F, '$1=="<unknown>"{print $2}' "$T/theirs")
	unk=${unk:-0}
	grep -v '^<unknown>,' "$T/theirs" >"$T/theirs2"
	extra=$(join -t, -v1 "$T/ours" "$T/theirs2" | awk -F, '{s+=$2} END {print s+0}')
	missing=$(join -t, -v2 "$T/ours" "$T/theirs2" | wc -l)
	differ=$(join -t, "$T/ours" "$T/theirs2" | awk -F, '$2!=$3' | wc -l)
	if [ "$extra" = "$unk" ] && [ "$missing" = 0 ] && [ "$differ" = 0 ]; then
		ok "$b: per-syscall counts match sysdig ($(wc -l <"$T/ours") names, $unk unnamed by sysdig)"
	else
		bad "$b: per-syscall counts: extra=$extra unknown=$unk missing=$missing differ=$differ"
		diff "$T/ours" "$T/theirs" | head -5
	fi
	# 2. per event
	# a thread the capture never describes has no known pid in drydock;
	# sysdig takes its tid for it: compare on that footing
	q "select exit_ts, tid, coalesce(pid, tid), syscall, coalesce(ret, '<NA>'), coalesce(substr(container_id, 1, 12), 'host'), coalesce(comm, '<NA>') from events where kind='syscall' and exit_ts is not null" |
		tr ',' ' ' | sort >"$T/of"
	sysdig -r "$f" -p '*%evt.rawtime %thread.tid %proc.pid %evt.type %evt.rawres %container.id %proc.name' "evt.dir=< and $NONSYS" 2>/dev/null |
		sed 's/ *$//' | sort >"$T/tf"
	# the one name sysdig cannot give (see above) is drydock's
	awk 'NR==FNR { k=$1" "$2; n[k]=$4; next } $4=="<unknown>" && ($1" "$2) in n { $4=n[$1" "$2] } { print }' "$T/of" "$T/tf" | sort >"$T/tf2"
	n=$(wc -l <"$T/tf2")
	if cmp -s "$T/of" "$T/tf2"; then
		ok "$b: $n events agree with sysdig on time, tid, pid, syscall, return, container, command"
	else
		bad "$b: per-event fields differ from sysdig"
		diff "$T/of" "$T/tf2" | head -6
	fi
	# 2b. effective uids: where sysdig knows a thread's user.uid, drydock
	# reports the same (drydock also learns it from a parent's own clone
	# exit, which sysdig does not apply to the parent)
	q "select exit_ts || ' ' || tid || ' ' || uid from events where kind='syscall' and exit_ts is not null and uid is not null" | sort >"$T/ou"
	sysdig -r "$f" -p '*%evt.rawtime %thread.tid %user.uid' "evt.dir=< and $NONSYS" 2>/dev/null |
		sed 's/ *$//' | awk '$3 != 4294967295' | sort >"$T/tu"
	if [ -z "$(comm -13 "$T/ou" "$T/tu")" ]; then
		ok "$b: $(wc -l <"$T/tu") effective uids sysdig knows agree ($(wc -l <"$T/ou") known to drydock)"
	else
		bad "$b: effective uids differ from sysdig"
		comm -13 "$T/ou" "$T/tu" | head -4
	fi
	# 3. open paths
	q "select exit_ts || ' ' || coalesce(path, '') from events where syscall in ('open', 'openat', 'creat') and exit_ts is not null" | sort >"$T/op"
	sysdig -r "$f" -p '%evt.rawtime %evt.rawarg.name' 'evt.type in (open, openat, creat) and evt.dir=<' 2>/dev/null |
		sed 's/ *$//' | sort >"$T/tp"
	if cmp -s "$T/op" "$T/tp"; then
		ok "$b: $(wc -l <"$T/tp") open paths agree with sysdig"
	else
		bad "$b: open paths differ"
		diff "$T/op" "$T/tp" | head -4
	fi
	# 4. connect destinations, from sysdig's tuple text (its fd.rip is
	# stale when a socket is reconnected)
	q "select exit_ts || ' ' || addr || ' ' || port from events where syscall = 'connect' and exit_ts is not null and family in ('AF_INET', 'AF_INET6')" | sort >"$T/oc"
	sysdig -r "$f" -p '%evt.rawtime %evt.args' 'evt.type=connect and evt.dir=<' 2>/dev/null |
		sed -n 's/^\([0-9]*\) .*tuple=[^ ]*->\([^ ]*\):\([0-9]*\) *$/\1 \2 \3/p' | sort >"$T/tc"
	if cmp -s "$T/oc" "$T/tc"; then
		ok "$b: $(wc -l <"$T/tc") connect destinations agree with sysdig's tuples"
	else
		bad "$b: connect destinations differ"
		diff "$T/oc" "$T/tc" | head -4
	fi
	# 5. fd paths of file descriptors, from the capture's fd lists and the
	# opens, dups and closes before each call (inherited from the parent
	# when the child never opened it). sysdig resolves relative opens
	# against the cwd; drydock keeps paths as the program gave them, so
	# its relative names are left out of the comparison, as are calls
	# whose fd drydock does not know (an exit whose enter came before the
	# capture started).
	q "select exit_ts || ' ' || tid || '|' || coalesce(fd_path, '') from events where fd is not null and kind = 'syscall' and exit_ts is not null" |
		sort >"$T/ofd"
	sysdig -r "$f" -p '*%evt.rawtime %thread.tid|%fd.name' "evt.dir=< and fd.type in (file, directory) and fd.name != '' and $NONSYS" 2>/dev/null |
		sed 's/ *$//' | sort >"$T/tfd"
	res=$(python3 - "$T/ofd" "$T/tfd" <<'PY'
import sys
o = {}
for l in open(sys.argv[1]):
    if "|" in l:
        k, v = l.rstrip("\n").split("|", 1)
        o[k] = v
n = bad = rel = 0
for l in open(sys.argv[2]):
    if "|" not in l:
        continue
    k, v = l.rstrip("\n").split("|", 1)
    if k not in o:
        continue
    ours = o.get(k)
    if ours and not ours.startswith("/"):
        rel += 1
        continue
    n += 1
    if ours != v:
        bad += 1
        if bad <= 3:
            print("differs:", k, "sysdig", v, "drydock", ours, file=sys.stderr)
print(n, bad, rel)
PY
)
	read -r nfd badfd relfd <<<"$res"
	if [ "$badfd" = 0 ]; then
		ok "$b: $nfd file fd paths agree with sysdig's fd.name ($relfd relative ones left out)"
	else
		bad "$b: $badfd of $nfd fd paths differ"
	fi
	# 6. containers: every container sysdig names is one drydock knows,
	# with its name and image
	sysdig -r "$f" -p '%container.id %container.name %container.image' 'container.id != host' 2>/dev/null |
		sed 's/ *$//' | sort -u >"$T/tk"
	q "select substr(id, 1, 12) || ' ' || coalesce(name, '') || ' ' || coalesce(image, '') from containers" | sort >"$T/ok"
	if [ ! -s "$T/tk" ] || join -v1 "$T/tk" "$T/ok" | grep -q . ; then
		if [ -s "$T/tk" ]; then
			bad "$b: containers differ"
			diff "$T/ok" "$T/tk" | head -4
		else
			ok "$b: no containers (sysdig agrees)"
		fi
	else
		ok "$b: $(wc -l <"$T/tk") container(s) agree with sysdig"
	fi
done

# ---- the comments twin: same events as its option-free original ----
if [ -f "$FIX/scap/libs_curl_google_comments.scap" ]; then
	load "$FIX/scap/libs_curl_google.scap"
	q "select id - (1 << 40) * artifact_id, syscall, tid, ret, path from events" >"$T/a"
	load "$FIX/scap/libs_curl_google_comments.scap"
	q "select id - (1 << 40) * artifact_id, syscall, tid, ret, path from events" >"$T/b"
	if [ -s "$T/a" ] && cmp -s "$T/a" "$T/b"; then
		ok "curl_google_comments (editcap options in its blocks): the same $(wc -l <"$T/a") events as curl_google"
	else
		bad "curl_google_comments differs from curl_google"
	fi
fi

# ---- a container, through the relations ----
load tests/data/scap/falco_psp_run_as_user_0_container.scap
got=$(q "select id, name, image, privileged from containers")
case "$got" in
697956520d891b5cb0e215093970c733549a3f745f52263c05b37f8a488994f3,hopeful_taussig,nginx,0) ok "container: full id from cgroups, name and image from the container event" ;;
*) bad "container row: $got" ;;
esac
got=$(q "select kind || '=' || value from container_aliases order by 1" | tr '\n' ' ')
[ "$got" = "id=697956520d891b5cb0e215093970c733549a3f745f52263c05b37f8a488994f3 ip=172.17.0.2 name=hopeful_taussig short_id=697956520d89 " ] &&
	ok "container aliases: full id, short id, name, ip (no 'incomplete' placeholder)" || bad "aliases: $got"
got=$(q "select count(*) from processes where container_id like '697956520d89%'")
[ "$got" -gt 0 ] && ok "$got processes in the container" || bad "no process in the container"
got=$(q "select count(*) from events e join containers c on c.id = e.container_id")
[ "$got" = 227 ] && ok "227 events join their container" || bad "events joining the container: $got"

# ---- big-endian captures (libscap writes host order: s390x) ----
# tests/oracle/scap_swap.py rewrites a capture's header and event blocks
# byte-swapped (and, as the reference, the same blocks unswapped)
for f in tests/data/scap/*.scap; do
	b=$(basename "$f" .scap)
	python3 tests/oracle/scap_swap.py "$f" "$T/$b.le" --le &&
	    python3 tests/oracle/scap_swap.py "$f" "$T/$b.be" || { bad "$b: scap_swap failed"; continue; }
	for v in le be; do
		load "$T/$b.$v" || bad "$b.$v: import failed: $(cat "$T/ingest.out")"
		q "select id - (1 << 40) * artifact_id, syscall, tid, ret, path, addr, port, flags, fd, enter_ts, exit_ts, errno from events" >"$T/sw.$v"
		fmt=$(q "select format from artifacts")
	done
	if [ "$fmt" = scap ] && [ -s "$T/sw.le" ] && cmp -s "$T/sw.le" "$T/sw.be"; then
		ok "$b: big-endian copy sniffed as scap, its $(wc -l <"$T/sw.be") events identical"
	else
		bad "$b: big-endian copy differs (format $fmt)"
		diff "$T/sw.le" "$T/sw.be" | head -4
	fi
done

# ---- hostile variants ----
RAW=$T/sample.scap
cp tests/data/scap/libs_sample.scap "$RAW"
# block offsets: type, offset, length (little-endian walk)
python3 - "$RAW" >"$T/blocks" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
o = 0
while o + 8 <= len(d):
    t, l = struct.unpack_from("<II", d, o)
    print("%#x %d %d" % (t, o, l))
    o += l
PY
full=$( load "$RAW" && q "select count(*) from events" )
unchanged() { # case hash before/after
	"$DRYDOCK" -q verify "$T/c.dd" >/dev/null 2>&1
}
# a) cut at a block boundary: the events before it, no error
cut=$(awk '$1=="0x216" {n++} n==500 {print $2; exit}' "$T/blocks")
head -c "$cut" "$RAW" >"$T/cut-boundary.scap"
if load "$T/cut-boundary.scap"; then
	n=$(q "select count(*) from events")
	[ "$n" -gt 0 ] && [ "$n" -lt "$full" ] && ok "cut at a block boundary: $n of $full events" || bad "cut at boundary: $n events"
else bad "cut at a block boundary rejected: $(cat "$T/ingest.out")"; fi
# b) cut inside a block: imported, with the truncation an anomaly; --strict exits 4
head -c $((cut + 30)) "$RAW" >"$T/cut-mid.scap"
if load "$T/cut-mid.scap"; then
	m=$(q "select count(*) from anomalies where message like '%truncated%'")
	[ "$m" = 1 ] && ok "cut inside a block: an anomaly names the truncation" || bad "cut mid-block: $m anomalies"
else bad "cut inside a block rejected"; fi
rm -f "$T/s.dd"; "$DRYDOCK" -q init "$T/s.dd" >/dev/null
"$DRYDOCK" -q ingest --strict "$T/s.dd" "$T/cut-mid.scap" >/dev/null 2>&1
[ $? = 4 ] && ok "cut inside a block: --strict exits 4" || bad "--strict on a truncated capture"
# c) a block length past the end of the file
python3 - "$RAW" "$T/longblock.scap" "$cut" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read()); o = int(sys.argv[3])
struct.pack_into("<I", d, o + 4, 0x7ffffff0)
open(sys.argv[2], "wb").write(d)
PY
if load "$T/longblock.scap"; then
	m=$(q "select count(*) from anomalies")
	[ "$m" -ge 1 ] && ok "a block length past the end: $m anomaly, $(q 'select count(*) from events') events kept" || bad "long block: no anomaly"
else bad "long block rejected: $(cat "$T/ingest.out")"; fi
# d) a parameter length overflowing its event: that event is an anomaly, the rest imports
python3 - "$RAW" "$T/param.scap" "$cut" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read()); o = int(sys.argv[3])
# EV_V2: type, len, cpu(2), ts, tid, len(4), type(2), nparams(4), lens...
n = struct.unpack_from("<I", d, o + 8 + 2 + 22)[0]
assert n >= 1
struct.pack_into("<H", d, o + 8 + 2 + 26, 0xfff0)
open(sys.argv[2], "wb").write(d)
PY
if load "$T/param.scap"; then
	m=$(q "select count(*) from anomalies where message like '%parameter%'")
	n=$(q "select count(*) from events")
	[ "$m" = 1 ] && [ "$n" -ge $((full - 1)) ] && ok "a parameter length past its event: one anomaly, $n events" || bad "param overflow: $m anomalies, $n events"
else bad "param overflow rejected: $(cat "$T/ingest.out")"; fi
# e) a gzip stream cut short
gz=tests/data/scap/falco_cat_write.scap
head -c $(( $(stat -c %s "$gz") / 2 )) "$gz" >"$T/cut.scap.gz"
rm -f "$T/c.dd"; "$DRYDOCK" -q init "$T/c.dd" >/dev/null
before=$(sha256sum "$T/c.dd" | cut -c1-64)
"$DRYDOCK" -q ingest "$T/c.dd" "$T/cut.scap.gz" >"$T/gz.out" 2>&1
rc=$?
if [ $rc = 1 ] && grep -q "cut.scap.gz" "$T/gz.out"; then
	ok "a gzip stream cut short: rejected naming the file ($(head -c 100 "$T/gz.out"))"
elif [ $rc = 0 ] && [ "$(q "select count(*) from anomalies")" -ge 1 ]; then
	ok "a gzip stream cut short: imported with an anomaly"
else
	bad "gzip cut short: exit $rc, $(cat "$T/gz.out")"
fi
# f) a pcapng offered as scap: recognised as pcapng
python3 - "$T/x.pcapng" <<'PY'
import struct, sys
shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
idb = struct.pack("<IIHHI", 1, 20, 1, 0, 65535) + struct.pack("<I", 20)
open(sys.argv[1], "wb").write(shb + idb)
PY
rm -f "$T/c.dd"; "$DRYDOCK" -q init "$T/c.dd" >/dev/null
"$DRYDOCK" -q ingest --as scap "$T/c.dd" "$T/x.pcapng" >"$T/p.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "pcapng" "$T/p.out" && ok "pcapng as scap: rejected as pcapng" || bad "pcapng as scap: exit $rc: $(cat "$T/p.out")"
[ "$(q "select count(*) from artifacts")" = 0 ] && ok "pcapng as scap: case unchanged" || bad "pcapng left an artifact"
"$DRYDOCK" -q ingest "$T/c.dd" "$T/x.pcapng" >"$T/p2.out" 2>&1
q "select format from artifacts" | grep -qv scap && ok "pcapng is not sniffed as scap" || bad "pcapng sniffed as scap"
# g) random bytes as scap
head -c 4096 /dev/urandom >"$T/rnd.bin"
rm -f "$T/c.dd"; "$DRYDOCK" -q init "$T/c.dd" >/dev/null
"$DRYDOCK" -q ingest --as scap "$T/c.dd" "$T/rnd.bin" >"$T/r.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "rnd.bin" "$T/r.out" && [ "$(q "select count(*) from artifacts")" = 0 ] &&
	ok "random bytes as scap: rejected naming the file, case unchanged" || bad "random as scap: exit $rc"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
