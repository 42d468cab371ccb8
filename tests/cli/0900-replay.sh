#!/usr/bin/env bash
# 0900-replay: `drydock replay` and `replay-merge` on the shared datasets.
#   - STIDE on the whole ADFA-LD zip against an independent implementation
#     (tests/oracle/stide.py): every recording's score, the threshold, every
#     LID-DS metric and the AUC, at the learned and at a given threshold;
#   - the same bytes for --jobs 1 and 2, for the zip and its unpacked
#     folder, and for 3 shards merged; merge refuses a missing, repeated or
#     foreign shard;
#   - every detector on the ADFA-LD sample, on a LID-DS 2021 scenario built
#     from the fixture recording (zips and unpacked) with an attack copy,
#     and on a LID-DS 2019 scenario converted from it;
#   - bad input: a missing path, the wrong dataset kind, a truncated zip, a
#     bad detector, a bad shard: clear errors, non-zero exits; a full disk
#     or a missing output folder is an error and a failed run leaves no
#     file behind (results stream into the output as they are written).
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
ORACLE=$PWD/tests/oracle/stide.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
ADFA=$FIX/adfa/verazuo_ADFA-LD.zip
LID=$FIX/lidds/lidds2021_aggressive_nightingale_1018.zip
if [ ! -f "$ADFA" ] || [ ! -f "$LID" ]; then
	echo "# fixtures missing under $FIX: skipped"
	exit 0
fi
R() { "$DRYDOCK" -q replay "$@"; }

# ---- STIDE on ADFA-LD against the independent implementation ----
compare() { # NAME OURS.json ORACLE.json
	python3 - "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); o = json.load(open(sys.argv[2]))
bad = []
ours = {x["recording"]: x["score"] for x in r["recordings"]}
for part in ("validation", "test"):
    for k, v in o[part].items():
        if ours.get(k) is None or abs(ours[k] - v) > 1e-12:
            bad.append("score %s: %s vs %s" % (k, ours.get(k), v))
if len(ours) != len(o["validation"]) + len(o["test"]):
    bad.append("recordings scored: %d vs %d" % (len(ours), len(o["validation"]) + len(o["test"])))
if abs(r["decider"]["threshold"] - o["threshold"]) > 1e-12:
    bad.append("threshold")
for k, v in o["metrics"].items():
    if abs(r["metrics"][k] - v) > 1e-12:
        bad.append("%s: %s vs %s" % (k, r["metrics"][k], v))
if abs(r["roc"]["auc"] - o["auc"]) > 1e-12:
    bad.append("auc: %s vs %s" % (r["roc"]["auc"], o["auc"]))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
PY
}
R --dataset adfa --detector stide:n=5,w=10 --scores-out "$T/s1.csv" \
    -o "$T/r1.json" "$ADFA"
check "adfa stide runs" "$?" 0
python3 "$ORACLE" "$ADFA" 5 10 >"$T/o1.json"
compare x "$T/r1.json" "$T/o1.json" && ok "stide n=5 w=10 matches the oracle (scores, threshold, metrics, auc)" ||
	bad "stide n=5 w=10 differs from the oracle"
R --dataset adfa --detector stide:n=3,w=20 --threshold 0.25 -o "$T/r2.json" "$ADFA"
python3 "$ORACLE" "$ADFA" 3 20 0.25 >"$T/o2.json"
compare x "$T/r2.json" "$T/o2.json" && ok "stide n=3 w=20 at 0.25 matches the oracle" ||
	bad "stide n=3 w=20 at 0.25 differs from the oracle"
check "the given threshold is exercised (some alarms)" \
    "$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["metrics"]; print(m["true_positives"] > 0 and m["false_positives"] > 0 and m["correct_alarm_count"] > 0)' "$T/r2.json")" True
check "scores CSV header" "$(head -1 "$T/s1.csv")" "recording,split,label,score"
check "scores CSV: a row per scored recording" "$(tail -n +2 "$T/s1.csv" | wc -l)" 5118
check "scores CSV: the splits" \
    "$(tail -n +2 "$T/s1.csv" | cut -d, -f2,3 | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')" \
    "test,attack:746 test,normal:2186 validation,normal:2186 "

# ---- the same bytes for any --jobs, the unpacked folder, shards ----
R --dataset adfa --detector stide:n=5,w=10 --jobs 2 --scores-out "$T/s2.csv" \
    -o "$T/j2.json" "$ADFA"
cmp -s "$T/r1.json" "$T/j2.json" && cmp -s "$T/s1.csv" "$T/s2.csv" &&
	ok "--jobs 2 writes the same bytes" || bad "--jobs 2 differs"
mkdir "$T/u" && (cd "$T/u" && unzip -q "$ADFA")
R --dataset adfa --detector stide:n=5,w=10 -o "$T/u.json" "$T/u/ADFA-LD"
diff <(grep -v '"name":' "$T/r1.json") <(grep -v '"name":' "$T/u.json") >/dev/null &&
	ok "the unpacked folder gives the zip's result" || bad "unpacked folder differs"
for i in 1 2 3; do
	R --dataset adfa --detector stide:n=5,w=10 --shard $i/3 \
	    --window-scores-out "$T/w$i.csv" -o "$T/sh$i.json" "$ADFA" ||
		bad "shard $i/3 fails"
done
"$DRYDOCK" -q replay-merge --scores-out "$T/sm.csv" -o "$T/m.json" \
    "$T/sh2.json" "$T/sh3.json" "$T/sh1.json"
check "replay-merge runs" "$?" 0
cmp -s "$T/r1.json" "$T/m.json" && ok "3 shards merge into the unsharded bytes" ||
	{ bad "merged shards differ"; diff "$T/r1.json" "$T/m.json" | head -5; }
cmp -s "$T/s1.csv" "$T/sm.csv" && ok "merged scores CSV is the unsharded one" ||
	bad "merged scores CSV differs"
R --dataset adfa --detector stide:n=5,w=10 --window-scores-out "$T/w.csv" \
    -o /dev/null "$ADFA"
check "window scores: shards hold each row once" \
    "$(cat "$T/w1.csv" "$T/w2.csv" "$T/w3.csv" | grep -v '^recording,' | sort | sha256sum)" \
    "$(grep -v '^recording,' "$T/w.csv" | sort | sha256sum)"
check "window scores: every scored position" \
    "$(tail -n +2 "$T/w.csv" | wc -l)" \
    "$(python3 -c 'import json,sys; print(sum(x["scored"] for x in json.load(open(sys.argv[1]))["recordings"]))' "$T/r1.json")"
"$DRYDOCK" -q replay-merge -o "$T/x.json" "$T/sh1.json" "$T/sh2.json" 2>"$T/e"
[ $? -ne 0 ] && grep -q 'shard 1/3 of 3, but 2 results' "$T/e" && ok "merge: a missing shard is named" ||
	bad "merge: missing shard"
"$DRYDOCK" -q replay-merge -o "$T/x.json" "$T/sh1.json" "$T/sh1.json" "$T/sh2.json" 2>"$T/e"
[ $? -ne 0 ] && grep -q 'given twice' "$T/e" && ok "merge: a repeated shard is refused" ||
	bad "merge: repeated shard"
"$DRYDOCK" -q replay-merge -o "$T/x.json" "$T/r1.json" 2>"$T/e"
[ $? -ne 0 ] && grep -q 'not a shard result' "$T/e" && ok "merge: an unsharded result is refused" ||
	bad "merge: unsharded result"
R --dataset adfa --detector stide:n=4,w=10 --shard 3/3 -o "$T/f3.json" "$ADFA"
"$DRYDOCK" -q replay-merge -o "$T/x.json" "$T/sh1.json" "$T/sh2.json" "$T/f3.json" 2>"$T/e"
[ $? -ne 0 ] && grep -q 'detector differs' "$T/e" && ok "merge: a shard of another run is refused" ||
	bad "merge: foreign shard"
[ ! -e "$T/x.json" ] && ok "a failed merge leaves no output" || bad "failed merge wrote output"

# ---- LID-DS 2021 and 2019 scenarios built from the fixture ----
python3 - "$LID" "$T" <<'PY'
import json, os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(src)
base = "aggressive_nightingale_1018"
meta = json.loads(z.read(base + ".json"))
sc = z.read(base + ".sc").decode()
lines = sc.splitlines()
t0, t1 = int(lines[0].split()[0]), int(lines[-1].split()[0])
mid = (t0 + t1) // 2
def write(path, name, m, sctext):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as o:
        o.writestr(name + ".json", json.dumps(m))
        o.writestr(name + ".sc", sctext)
        o.writestr(name + ".pcap", z.read(base + ".pcap"))
        o.writestr(name + ".res", z.read(base + ".res"))
normal = dict(meta, exploit=False)
normal["time"] = dict(meta["time"], exploit=[])
attack = dict(meta, exploit=True)
attack["time"] = dict(meta["time"], exploit=[{"absolute": mid / 1e9, "name": "attack", "relative": 0, "source": "TEST"}])
# an attack recording: the second half repeats a call pattern never seen
half = len(lines) // 2
odd = [l.replace(" read ", " ptrace ") for l in lines[half:]]
s21 = os.path.join(out, "l21", "scen")
write(os.path.join(s21, "training", "tr1.zip"), "tr1", normal, sc)
write(os.path.join(s21, "training", "tr2.zip"), "tr2", normal, "\n".join(lines[: half]) + "\n")
write(os.path.join(s21, "validation", "va1.zip"), "va1", normal, "\n".join(lines[half:]) + "\n")
write(os.path.join(s21, "test", "normal", "te1.zip"), "te1", normal, sc)
write(os.path.join(s21, "test", "normal_and_attack", "at1.zip"), "at1", attack, "\n".join(lines[:half] + odd) + "\n")
# the same scenario unpacked: a folder per recording
for root, _d, files in os.walk(s21):
    for f in files:
        if f.endswith(".zip"):
            rel = os.path.relpath(root, s21)
            dst = os.path.join(out, "l21u", "scen", rel, f[:-4])
            os.makedirs(dst)
            with zipfile.ZipFile(os.path.join(root, f)) as zz:
                for m in zz.namelist():
                    if m.endswith((".sc", ".json")):
                        open(os.path.join(dst, m), "wb").write(zz.read(m))
# LID-DS 2019: the same calls as 2019 lines, runs.csv
s19 = os.path.join(out, "l19", "scen")
os.makedirs(s19)
def to2019(ls):
    res = []
    for i, l in enumerate(ls, 1):
        f = l.split(" ", 7)
        raw, uid, pid, comm, tid, name, d = f[:7]
        args = f[7] if len(f) > 7 else ""
        ns = int(raw) % (86400 * 10**9)
        hh, rem = divmod(ns, 3600 * 10**9)
        mm, rem = divmod(rem, 60 * 10**9)
        ss, nn = divmod(rem, 10**9)
        res.append("%d %02d:%02d:%02d.%09d 0 %s %s %s %s %s %s" % (i, hh, mm, ss, nn, uid, comm, tid, d, name, args))
    return "\n".join(res) + "\n"
runs = ["image_name, scenario_name, is_executing_exploit, warmup_time, recording_time, exploit_start_time"]
for i in range(5):
    nm = "n%d" % i
    part = lines if i % 2 == 0 else lines[:half]
    open(os.path.join(s19, nm + ".txt"), "w").write(to2019(part))
    runs.append("img, %s, False, 5, 30, -1" % nm)
open(os.path.join(s19, "a0.txt"), "w").write(to2019(lines[:half] + odd))
runs.append("img, a0, True, 5, 30, 3")
open(os.path.join(s19, "runs.csv"), "w").write("\n".join(runs) + "\n")
PY
check "scenarios generated" "$?" 0
DETS=$("$DRYDOCK" replay --list-detectors | awk '/^[a-z]/ {print $1}')
check "every detector listed" "$(echo $DETS)" "stide markov knn kmeans som pcaknn tfidf ae tree forest mlp"
for d in $DETS stide:thread_aware=true markov:thread_aware=true; do
	for ds in "adfa $FIX/adfa/sample" "lidds2021 $T/l21/scen" "lidds2021 $T/l21u/scen" "lidds2019 $T/l19/scen"; do
		set -- $ds
		case $d in tree | forest | mlp) [ "$1" = adfa ] || continue ;; esac
		o=$T/d.json
		spec=$d
		case $d in knn | pcaknn | tfidf | kmeans | som | ae | tree | forest | mlp) spec="$d:w=10,stride=7" ;; esac
		if R --dataset "$1" --detector "$spec" --jobs 2 --scores-out "$T/d.csv" -o "$o" "$2" 2>"$T/e" &&
		    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); m=r["metrics"]; assert r["recordings"] and "f1_cfa" in m and m["exploit_count"] >= 1, m' "$o" 2>>"$T/e"; then
			ok "$d on $1 ($(basename "$(dirname "$2")")/$(basename "$2"))"
		else
			bad "$d on $1 $2: $(head -3 "$T/e")"
		fi
	done
done
R --dataset lidds2021 --detector stide:n=3,w=50 -o "$T/l21.json" "$T/l21/scen"
R --dataset lidds2021 --detector stide:n=3,w=50 -o "$T/l21u.json" "$T/l21u/scen"
diff <(grep -v '"name":' "$T/l21.json") <(grep -v '"name":' "$T/l21u.json") >/dev/null &&
	ok "lidds2021 zips and unpacked folders agree" || bad "lidds2021 zip vs unpacked"
check "lidds2021: the attack is detected after its exploit time, delay in seconds" \
    "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); a=[x for x in r["recordings"] if x["label"]=="attack"][0]; print(a["detected"], a["delay_s"] >= 0, a["false_positives"] == 0, a["true_negatives"] > 0)' "$T/l21.json")" \
    "True True True True"
check "lidds2019: the exploit and the split rule" \
    "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["dataset"]["recordings"], r["metrics"]["exploit_count"])' <(R --dataset lidds2019 --detector stide -o - "$T/l19/scen"))" \
    "{'training': 3, 'validation': 1, 'test': 2, 'test_attack': 1} 1"
printf 'n0 training\nn1 training\nn2 validation\nn3 test\nn4 test\na0 test\n' >"$T/split"
check "lidds2019: a split file" \
    "$(R --dataset lidds2019 --detector stide --split-file "$T/split" -o - "$T/l19/scen" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dataset"]["recordings"]["test"])')" 3

# ---- bad input ----
err() { # NAME WANT-RC PATTERN ARGS...
	local name=$1 want=$2 pat=$3
	shift 3
	"$DRYDOCK" -q "$@" >"$T/o" 2>"$T/e"
	local rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" "$T/e" && [ -z "$(grep -v '^drydock\|^usage: drydock' "$T/e")" ]; then
		ok "$name"
	else
		bad "$name: rc $rc, stderr: $(head -2 "$T/e")"
	fi
}
err "a missing path is named" 1 "$T/nope" replay --dataset adfa --detector stide "$T/nope"
err "the wrong dataset kind is explained" 1 "holds no LID-DS 2021" replay --dataset lidds2021 --detector stide "$FIX/adfa/sample"
err "an unknown dataset kind" 2 "unknown dataset" replay --dataset nope --detector stide "$FIX/adfa/sample"
head -c 100000 "$ADFA" >"$T/trunc.zip"
err "a truncated zip is named" 1 "trunc.zip" replay --dataset adfa --detector stide "$T/trunc.zip"
err "an unknown detector" 2 "unknown detector" replay --dataset adfa --detector nope "$FIX/adfa/sample"
err "a bad detector parameter" 2 "n=99" replay --dataset adfa --detector stide:n=99 "$FIX/adfa/sample"
err "a bad shard" 2 "--shard" replay --dataset adfa --detector stide --shard 4/3 "$FIX/adfa/sample"
err "a full disk is an error, not a short result" 1 "writing the results" replay --dataset adfa --detector stide -o /dev/full "$FIX/adfa/sample"
err "an output folder that is missing fails before the run" 1 "nodir/x.json" replay --dataset adfa --detector stide -o "$T/nodir/x.json" "$FIX/adfa/sample"
"$DRYDOCK" -q replay --dataset adfa --detector stide --scores-out "$T/left.csv" -o "$T/left.json" "$T/nope" 2>/dev/null
[ $? -ne 0 ] && [ -z "$(ls "$T" | grep '^left')" ] && ok "a failed run leaves neither output nor partial files" ||
	bad "a failed run left $(ls "$T" | grep '^left' | tr '\n' ' ')"
err "a supervised detector with one attack scenario" 1 "two scenario groups" replay --dataset lidds2021 --detector tree "$T/l21/scen"
cp -r "$T/l21/scen" "$T/l21/scen2"
R --dataset lidds2021 --detector forest:w=10,stride=7 -o "$T/sup.json" "$T/l21" 2>"$T/e"
check "supervised on a folder of two LID-DS scenarios: one trains, one tests" \
    "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["dataset"]["recordings"]["test_attack"], sorted({x["scenario"] for x in r["recordings"] if x["label"] == "attack"}))' "$T/sup.json")" \
    "1 ['scen2']"
printf '1 2 x 3 ' >"$T/u/ADFA-LD/Training_Data_Master/UTD-9999.txt"
"$DRYDOCK" -q replay --dataset adfa --detector stide -o "$T/an.json" "$T/u/ADFA-LD" 2>/dev/null
check "a token that is no number is counted, not fatal" \
    "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dataset"]["parse_anomalies"])' "$T/an.json")" 1

echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
