#!/usr/bin/env bash
# 0400-datasets: the adfa, lidds2021 and lidds2019 importers. Counts per
# syscall against an independent reader (tests/oracle/datasets_ref.py,
# written from FORMATS.md) on the shared fixtures; labels from the ADFA-LD
# layout; member artifacts (state, verify, export refusal); bad input
# (a recording missing a member, a trace with a non-number, a truncated
# zip, random bytes given --as) each checked so that it can fail.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
ORACLE=$PWD/tests/oracle/datasets_ref.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
q() { "$DRYDOCK" query --format csv "$1" "$2" | tail -n +2; }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
ADFA=$FIX/adfa/verazuo_ADFA-LD.zip
LID=$FIX/lidds/lidds2021_aggressive_nightingale_1018.zip
if [ ! -f "$ADFA" ] || [ ! -f "$LID" ]; then
	echo "# fixtures missing under $FIX: skipped"
	exit 0
fi

# ---- ADFA-LD: the whole zip ----
C=$T/adfa.dd
"$DRYDOCK" -q init "$C" >/dev/null
"$DRYDOCK" -q ingest "$C" "$ADFA" >/dev/null 2>&1
check "adfa zip imports" "$?" 0
check "adfa traces are members" \
    "$(q "$C" "select count(*) from artifacts where group_id = 1 and format = 'adfa'")" 5951
check "adfa labels by directory" \
    "$(q "$C" "select value || ':' || count(*) from labels where key = 'split' group by value order by value" | tr '\n' ' ')" \
    "attack:746 training:833 validation:4372 "
check "adfa odd file name labelled by its directory" \
    "$(q "$C" "select l.value from labels l join artifacts a on a.id = l.artifact_id where a.name like '%UAD-Adduser-1-=1.txt' and l.key = 'attack_class'")" Adduser
python3 "$ORACLE" adfa "$ADFA" >"$T/adfa.ref"
q "$C" "select syscall || ' ' || count(*) from events group by syscall order by syscall" >"$T/adfa.ours"
if cmp -s "$T/adfa.ref" "$T/adfa.ours"; then ok "adfa per-syscall counts match the reader"; else
	bad "adfa per-syscall counts differ"; diff "$T/adfa.ref" "$T/adfa.ours" | head; fi
check "adfa events carry their member's id" \
    "$(q "$C" "select count(distinct artifact_id) from events")" 5951
check "adfa events are ordinal i386" \
    "$(q "$C" "select group_concat(distinct ts_quality || '/' || arch) from events where artifact_id = 2")" ordinal/i386
"$DRYDOCK" verify "$C" >"$T/verify.out" 2>&1
check "verify passes with members" "$?" 0
grep -q '^archive members: 5952 ' "$T/verify.out" && ok "verify counts members" || bad "verify counts members"
"$DRYDOCK" export "$C" 2 -o "$T/m.txt" 2>"$T/exp.err"
[ $? -ne 0 ] && grep -q 'member of archive artifact 1' "$T/exp.err" &&
    [ ! -e "$T/m.txt" ] && ok "export of a member refused, archive named" ||
    bad "export of a member"
"$DRYDOCK" export "$C" 1 -o "$T/back.zip" >/dev/null 2>&1 && cmp -s "$T/back.zip" "$ADFA" &&
    ok "the archive exports bit-exact" || bad "the archive exports bit-exact"

# ---- ADFA-LD: one trace, the unpacked sample, a bad token ----
C=$T/one.dd
"$DRYDOCK" -q init "$C" >/dev/null
printf '6 3 5 x7 240 ' >"$T/UTD-9999.txt"
"$DRYDOCK" -q ingest "$C" "$T/UTD-9999.txt" --as adfa >/dev/null 2>&1
check "trace with a non-number imports" "$?" 0
check "non-number is an anomaly naming file and offset" \
    "$(q "$C" "select count(*) from anomalies where message like '%UTD-9999.txt%offset 6%'")" 1
check "the other tokens are events" "$(q "$C" "select group_concat(syscall, ' ') from events")" "close read open futex"
if [ -d "$FIX/adfa/sample" ]; then
	"$DRYDOCK" -q ingest "$C" "$FIX/adfa/sample" >/dev/null 2>&1
	check "unpacked sample imports (sniffed)" "$?" 0
	check "sample members labelled" \
	    "$(q "$C" "select count(distinct artifact_id) from labels where key = 'split'")" \
	    "$(find "$FIX/adfa/sample" -type f -name '*.txt' | wc -l)"
fi

# ---- LID-DS 2021 ----
C=$T/lid.dd
"$DRYDOCK" -q init "$C" >/dev/null
"$DRYDOCK" -q ingest "$C" "$LID" >/dev/null 2>&1
check "lidds2021 zip imports" "$?" 0
check "lidds2021 members" "$(q "$C" "select group_concat(format, ' ') from (select format from artifacts where group_id = 1 order by name)")" \
    "lidds2021 pcap lidds2021 lidds2021"
# The capture member is parsed: its flows carry the recording's containers
# (by the IPs in the .json); tshark counts the same TCP conversations.
if command -v tshark >/dev/null; then
	mkdir -p "$T/pc" && (cd "$T/pc" && unzip -q "$LID" '*.pcap')
	want=$(tshark -n -q -z conv,tcp -r "$T"/pc/*.pcap 2>/dev/null | grep -c '<->')
	check "lidds2021 capture: TCP flows as tshark counts them" \
	    "$(q "$C" "select count(*) from flows where proto = 'tcp'")" "$want"
fi
check "lidds2021 capture: flows attributed to the recording's containers" \
    "$(q "$C" "select count(*) > 0 from flows where container_id in (select container_id from container_aliases where kind = 'ip')")" 1
mkdir -p "$T/rec" && (cd "$T/rec" && unzip -q "$LID")
python3 "$ORACLE" lidds2021 "$T"/rec/*.sc >"$T/lid.ref"
q "$C" "select syscall || ' ' || count(*) from events group by syscall order by syscall" >"$T/lid.ours"
if cmp -s "$T/lid.ref" "$T/lid.ours"; then ok "lidds2021 per-syscall counts match the reader"; else
	bad "lidds2021 per-syscall counts differ"; diff "$T/lid.ref" "$T/lid.ours" | head; fi
check "lidds2021 labels" "$(q "$C" "select group_concat(key || '=' || value, ' ') from (select key, value from labels where key in ('exploit', 'recording_type', 'exploit_time') order by key)")" \
    "exploit=true exploit_time=1631078877513988000 recording_type=normal_and_attack"
check "open returns its fd" "$(q "$C" "select count(*) from events where syscall = 'open' and ret_known = 1 and ret = fd and path is not null")" \
    "$(grep -c ' open < fd=' "$T"/rec/*.sc)"
check "no invented return values" "$(q "$C" "select count(*) from events where syscall = 'wait4' and ret_known = 1")" \
    "$(grep -c ' wait4 < res=' "$T"/rec/*.sc)"
C2=$T/lid2.dd
"$DRYDOCK" -q init "$C2" >/dev/null
"$DRYDOCK" -q ingest "$C2" "$T/rec" >/dev/null 2>&1
check "unpacked recording imports" "$?" 0
check "unpacked: same event count" "$(q "$C2" "select count(*) from events")" "$(q "$C" "select count(*) from events")"

# ---- bad input ----
C=$T/bad.dd
"$DRYDOCK" -q init "$C" >/dev/null
(cd "$T/rec" && zip -q ../missing.zip ./*.json ./*.sc ./*.res)
"$DRYDOCK" -q ingest "$C" "$T/missing.zip" >/dev/null 2>&1
check "recording missing its .pcap imports" "$?" 0
check "the missing member is an anomaly" \
    "$(q "$C" "select count(*) from anomalies where message like '%holds 0 .pcap members%'")" 1
head -c 1000000 "$LID" >"$T/trunc.zip"
"$DRYDOCK" -q ingest "$C" "$T/trunc.zip" --as lidds2021 >/dev/null 2>&1
check "truncated zip imports what precedes the break" "$?" 0
check "truncation is an anomaly" \
    "$(q "$C" "select count(*) from anomalies a join artifacts r on r.id = a.artifact_id where r.name like '%trunc.zip' and a.message like '%ends early%'")" 1
before=$(q "$C" "select count(*) from artifact_all")
head -c 65536 /dev/urandom >"$T/random.bin"
for as in adfa lidds2021 lidds2019; do
	"$DRYDOCK" -q ingest "$C" "$T/random.bin" --as $as >/dev/null 2>&1
	check "random bytes --as $as rejected" "$?" 1
done
check "rejections leave the case unchanged" "$(q "$C" "select count(*) from artifact_all")" "$before"
printf 'PK\003\004garbage' >"$T/bad.zip"
"$DRYDOCK" -q ingest "$C" "$T/bad.zip" --as adfa >/dev/null 2>&1
check "a broken zip --as adfa rejected" "$?" 1

# ---- LID-DS 2019 ----
C=$T/l19.dd
"$DRYDOCK" -q init "$C" >/dev/null
cat >"$T/rec19.txt" <<'TXT'
1159 00:27:12.310259734 6 33 apache2 15862 > writev fd=12(<4t>172.17.0.21:46790->172.17.0.19:443) size=31
1160 00:27:12.310311837 6 33 apache2 15862 < writev res=31 data=.......... x=y
1161 00:27:12.310400000 6 33 my proc 15863 < open fd=3(<f>/etc/x y) name=/etc/x y flags=1(O_RDONLY)
1162 00:27:12.310500000 6 33 apache2 15862 > switch next=0
TXT
"$DRYDOCK" -q ingest "$C" "$T/rec19.txt" -o date=2019-03-01 >/dev/null 2>&1
check "lidds2019 sniffed and imported" "$?" 0
check "lidds2019 events" "$(q "$C" "select group_concat(syscall || '/' || coalesce(ret, '-') || '/' || comm || '/' || coalesce(path, '-') || '/' || ts_quality, ' ') from events")" \
    "writev/31/apache2/-/date-inferred open/3/my proc//etc/x y/date-inferred"
check "lidds2019 date from -o date" "$(q "$C" "select min(ts) from events")" 1551400032310259734
cp "$FIX/lidds/lidds2019_example_runs.csv" "$T/runs.csv"
"$DRYDOCK" -q ingest "$C" "$T/runs.csv" >/dev/null 2>&1
check "runs.csv imports" "$?" 0
check "runs.csv labels" "$(q "$C" "select value from labels where key = 'run.other_normal_behavior_with_exploit.exploit_start_time'")" 120

echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
