#!/usr/bin/env bash
# 0300-strace: the strace importer against an independent reader
# (tests/oracle/strace_ref.py, written from FORMATS.md, not from the C
# code): per-syscall counts and per-event (tid, syscall, errno, first path)
# on every committed recording (datasets/strace/rec, all option sets, and
# tests/data/strace) and,
# when present, on ../shared/fixtures/strace; plus analyst questions
# answered through the documented relations, checked against grep.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
ORACLE=$PWD/tests/oracle/strace_ref.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }

inputs=()
while IFS= read -r f; do inputs+=("$f"); done < <(find datasets/strace/rec -mindepth 2 -maxdepth 2 | sort)
for f in tests/data/strace/*.txt; do inputs+=("$f"); done
if [ -d "$FIX/strace" ]; then
	for f in "$FIX"/strace/*; do inputs+=("$f"); done
fi

compare_py='
import json, re, sys
ours, ref = sys.argv[1], sys.argv[2]
def show(b):
    out = []
    for c in b:
        if c == 0x5c: out.append("\\\\")
        elif 0x20 <= c <= 0x7e: out.append(chr(c))
        else: out.append("\\x%02x" % c)
    return "".join(out)
def ours_path(s):
    if s is None: return ""
    b = s.encode("utf-8")
    # drydock keeps bytes that are not UTF-8 as \xNN text
    b = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), b)
    return show(b)
# drydock puts the target of mount and the link name of symlink in path
# (the source/target text in path2); the oracle reports the first string.
SECOND = ("mount", "symlink", "symlinkat")
a = sorted("%s\t%s\t%s\t%s" % (r["tid"] if r["tid"] is not None else "", r["syscall"],
           r["errno"] or "", ours_path((r["path2"] or r["path"]) if r["syscall"] in SECOND else r["path"]))
           for r in json.load(open(ours)))
b = []
for line in open(ref, encoding="latin-1"):
    t = line.rstrip("\n").split("\t")
    # the oracle marks a truncated string with "\\..."; drydock keeps "..."
    p = t[4][:-4] + "..." if t[4].endswith("\\...") else t[4]
    b.append("%s\t%s\t%s\t%s" % (t[0], t[1], t[3], p))
b.sort()
if a != b:
    import difflib
    for d in list(difflib.unified_diff(b, a, "oracle", "drydock", lineterm=""))[:12]:
        print(d)
    sys.exit(1)
'

n=0
for f in "${inputs[@]}"; do
	[ -d "$f" ] || [ -s "$f" ] || continue
	n=$((n + 1))
	rm -f "$T/c.drydock"
	"$DRYDOCK" -q init "$T/c.drydock" >/dev/null 2>&1
	if ! "$DRYDOCK" -q ingest "$T/c.drydock" "$f" >"$T/out" 2>&1; then
		bad "ingest $f: $(tail -1 "$T/out")"
		continue
	fi
	meta=$("$DRYDOCK" query "$T/c.drydock" "SELECT (SELECT count(*) FROM artifacts WHERE format = 'strace') || ' ' || (SELECT count(*) FROM anomalies)" | tail -1)
	fmt=${meta% *}
	anom=${meta#* }
	[ "$fmt" -ge 1 ] || { bad "$f not recognised as strace"; continue; }
	[ "$anom" = 0 ] && ok "no anomalies $f" || bad "$anom anomalies in $f"
	"$DRYDOCK" query --format json "$T/c.drydock" "SELECT tid, syscall, errno, path, path2 FROM events WHERE kind = 'syscall'" >"$T/ours.json"
	python3 -c 'import json,sys,collections
c = collections.Counter(r["syscall"] for r in json.load(open(sys.argv[1])))
for k in sorted(c): print("%s\t%d" % (k, c[k]))' "$T/ours.json" >"$T/ours.tsv"
	python3 "$ORACLE" counts "$f" | grep -v '^--' >"$T/ref.tsv"
	if cmp -s "$T/ours.tsv" "$T/ref.tsv"; then
		ok "counts $f ($(wc -l <"$T/ref.tsv") syscalls)"
	else
		bad "counts $f"
		diff "$T/ref.tsv" "$T/ours.tsv" | head -6
	fi
	python3 "$ORACLE" rows "$f" >"$T/rows.tsv"
	if python3 -c "$compare_py" "$T/ours.json" "$T/rows.tsv" >"$T/diff" 2>&1; then
		ok "rows (tid, syscall, errno, path) $f"
	else
		bad "rows $f"
		head -12 "$T/diff"
	fi
done
[ "$n" -ge 100 ] && ok "$n inputs compared" || bad "only $n inputs compared"

# Analyst questions on one recording, against grep over the raw text.
# Whole epoch seconds (format:unix,precision:s): absolute times, each the
# number on its line (a thread id has at most 7 digits, these 10).
R=datasets/strace/rec/failing/unix-s.txt
if [ -f "$R" ]; then
	rm -f "$T/s.drydock"
	"$DRYDOCK" -q init "$T/s.drydock" >/dev/null
	"$DRYDOCK" -q ingest "$T/s.drydock" "$R" >/dev/null
	got=$("$DRYDOCK" query "$T/s.drydock" "SELECT group_concat(DISTINCT ts_quality) || ' ' || min(ts / 1000000000) || ' ' || max(ts / 1000000000) FROM events" | tail -1)
	want="absolute $(awk '$2 ~ /^[0-9]+$/ { print $2 }' "$R" | sort -n | sed -n '1p;$p' | paste -sd' ' -)"
	[ "$got" = "$want" ] && ok "whole epoch seconds: $got" || bad "whole epoch seconds: drydock '$got', trace '$want'"
fi

R=datasets/strace/rec/failing/f-tt-T-y.txt
if [ -f "$R" ]; then
	rm -f "$T/q.drydock"
	"$DRYDOCK" -q init "$T/q.drydock" >/dev/null
	"$DRYDOCK" -q ingest "$T/q.drydock" "$R" >/dev/null
	for e in EPERM ENOENT EACCES; do
		want=$(grep -c " = -1 $e " "$R")
		got=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM events WHERE errno = '$e'" | tail -1)
		[ "$want" = "$got" ] && ok "calls failing with $e: $got (grep agrees)" ||
			bad "calls failing with $e: drydock $got, grep $want"
	done
	want=$(grep -c 'openat(' "$R")
	got=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM events WHERE syscall = 'openat'" | tail -1)
	[ "$want" = "$got" ] && ok "count(*) openat: $got (grep agrees)" || bad "openat: drydock $got, grep $want"
	got2=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM (SELECT syscall, path FROM events WHERE syscall = 'openat')" | tail -1)
	[ "$got" = "$got2" ] && ok "summary count equals decoded count ($got)" || bad "summary $got vs decoded $got2"
	execs=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM execs" | tail -1)
	[ "$execs" -ge 1 ] && ok "exec lineage recorded ($execs)" || bad "no execs"
	pid=$("$DRYDOCK" query "$T/q.drydock" "SELECT pid FROM processes ORDER BY id LIMIT 1" | tail -1)
	ex=$("$DRYDOCK" query "$T/q.drydock" "SELECT x.exe FROM execs x JOIN processes p ON p.id = x.process_id WHERE p.pid = $pid ORDER BY x.ts LIMIT 1" | tail -1)
	want=$(grep -m1 "^$pid .*execve(" "$R" | sed 's/.*execve("\([^"]*\)".*/\1/')
	[ "$ex" = "$want" ] && ok "what pid $pid exec'd: $ex" || bad "pid $pid exec: drydock '$ex', trace '$want'"
	like=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM events WHERE path LIKE '%/proc/%'" | tail -1)
	like2=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM events WHERE path IS NOT NULL AND instr(path, '/proc/') > 0" | tail -1)
	[ "$like" = "$like2" ] && ok "path LIKE pushdown agrees with a scan ($like)" || bad "LIKE $like vs scan $like2"
	ts=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM events WHERE ts_quality = 'date-inferred' AND ts IS NOT NULL" | tail -1)
	all=$("$DRYDOCK" query "$T/q.drydock" "SELECT count(*) FROM events" | tail -1)
	[ "$ts" = "$all" ] && ok "-tt times are date-inferred ($ts)" || bad "ts quality: $ts of $all"
	"$DRYDOCK" export-events "$T/q.drydock" -o "$T/ev.csv" 2>/dev/null
	rows=$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1]))))' "$T/ev.csv") - 1))
	[ "$rows" = "$all" ] && ok "export-events writes $rows rows" || bad "export-events $rows rows, events $all"
	# Keyset paging by id, both directions, without a sort.
	asc=$("$DRYDOCK" query "$T/q.drydock" "SELECT group_concat(id, ' ') FROM (SELECT id FROM events ORDER BY id)" | tail -1)
	desc=$("$DRYDOCK" query "$T/q.drydock" "SELECT group_concat(id, ' ') FROM (SELECT id FROM events ORDER BY id DESC)" | tail -1)
	rev=$(echo "$desc" | tr ' ' '\n' | tac | paste -sd' ' -)
	[ -n "$asc" ] && [ "$asc" = "$rev" ] && ok "ORDER BY id DESC reverses ORDER BY id" || bad "id order both ways"
	k=$(echo "$asc" | cut -d' ' -f10)
	page=$("$DRYDOCK" query "$T/q.drydock" "SELECT group_concat(id, ' ') FROM (SELECT id FROM events WHERE id > $k ORDER BY id LIMIT 5)" | tail -1)
	want=$(echo "$asc" | cut -d' ' -f11-15)
	[ "$page" = "$want" ] && ok "keyset page after id $k" || bad "keyset page: $page, want $want"
	plan=$("$DRYDOCK" query "$T/q.drydock" "EXPLAIN QUERY PLAN SELECT id FROM events WHERE id > $k ORDER BY id LIMIT 5")
	case $plan in *"USE TEMP B-TREE"*) bad "keyset query sorts: $plan" ;; *) ok "keyset query needs no sort" ;; esac
	# Time order: the merge of chunks equals SQLite's own sort, both
	# ways, and a (ts, id) keyset page follows on without a sort.
	for dir in "" " DESC"; do
		a=$("$DRYDOCK" query "$T/q.drydock" "SELECT id, ts FROM events ORDER BY ts$dir, id$dir" | md5sum)
		b=$("$DRYDOCK" query "$T/q.drydock" "SELECT id, ts FROM events ORDER BY ts + 0$dir, id + 0$dir" | md5sum)
		[ "$a" = "$b" ] && ok "ORDER BY ts$dir, id$dir matches a sort" || bad "ORDER BY ts$dir differs from a sort"
	done
	kt=$("$DRYDOCK" query "$T/q.drydock" "SELECT ts || ' ' || id FROM events WHERE ts IS NOT NULL ORDER BY ts, id LIMIT 1 OFFSET 9" | tail -1)
	want=$("$DRYDOCK" query "$T/q.drydock" "SELECT group_concat(id, ' ') FROM (SELECT id FROM events ORDER BY ts + 0, id + 0 LIMIT 5 OFFSET 10)" | tail -1)
	set -- $kt
	page=$("$DRYDOCK" query "$T/q.drydock" "SELECT group_concat(id, ' ') FROM (SELECT id FROM events WHERE ts >= $1 AND (ts > $1 OR id > $2) ORDER BY ts, id LIMIT 5)" | tail -1)
	[ -n "$kt" ] && [ "$page" = "$want" ] && ok "(ts, id) keyset page after $kt" || bad "(ts, id) keyset page: '$page', want '$want'"
	plan=$("$DRYDOCK" query "$T/q.drydock" "EXPLAIN QUERY PLAN SELECT id FROM events WHERE ts >= 0 ORDER BY ts, id LIMIT 5")
	case $plan in *"USE TEMP B-TREE"*) bad "ts keyset query sorts: $plan" ;; *) ok "ts keyset query needs no sort" ;; esac
	"$DRYDOCK" verify "$T/q.drydock" >/dev/null && ok "verify" || bad "verify"
	# A date and zone move -tt times.
	rm -f "$T/d.drydock"
	"$DRYDOCK" -q init "$T/d.drydock" >/dev/null
	"$DRYDOCK" -q ingest --date 2024-03-01 --tz +02:00 "$T/d.drydock" "$R" >/dev/null
	first=$(head -1 "$R" | awk '{print $2}')
	want=$(python3 -c 'import sys,datetime as d; h,m,s=sys.argv[1].split(":"); t=d.datetime(2024,3,1,int(h),int(m),0,tzinfo=d.timezone(d.timedelta(hours=2))); print(int(t.timestamp())*10**9 + int(round(float(s)*1e6))*1000)' "$first")
	got=$("$DRYDOCK" query "$T/d.drydock" "SELECT ts FROM events ORDER BY id LIMIT 1" | tail -1)
	[ "$want" = "$got" ] && ok "--date/--tz place the first event at $got" || bad "--date/--tz: $got, want $want"
fi

# -ff groups: one process per pid across the member files (the parent's
# file sees the clone, the child's the rest); a thread's own file belongs
# to its process. Checked against the recordings' own clone/vfork returns.
REC=$PWD/datasets/strace/rec
for prog in forkexec threads; do
	rm -f "$T/ff.drydock"
	"$DRYDOCK" -q init "$T/ff.drydock" >/dev/null
	"$DRYDOCK" -q ingest "$T/ff.drydock" "$REC/$prog/ff-tt" >/dev/null 2>&1 ||
		bad "-ff $prog: ingest failed"
	leader=$(ls "$REC/$prog/ff-tt" | sed 's/trace\.//' | sort -n | head -1)
	# Children by fork (not CLONE_THREAD) in the leader's file.
	kids=$(grep -hE '^[0-9:.]+ (clone|vfork|fork)\(' "$REC/$prog/ff-tt/trace.$leader" |
		grep -v CLONE_THREAD | sed -n 's/.*)  *= \([0-9][0-9]*\).*/\1/p' | sort -n | paste -sd' ' -)
	threads=$(grep -hE '^[0-9:.]+ clone3?\(.*CLONE_THREAD' "$REC/$prog/ff-tt/trace.$leader" |
		sed -n 's/.*)  *= \([0-9][0-9]*\).*/\1/p' | sort -n | paste -sd' ' -)
	got=$("$DRYDOCK" query "$T/ff.drydock" "SELECT group_concat(pid, ' ') FROM (SELECT pid FROM processes WHERE ppid = $leader ORDER BY pid)" | tail -1)
	[ "$got" = "$kids" ] && ok "-ff $prog: children of $leader: ${kids:-none}" ||
		bad "-ff $prog: children of $leader: '$got', want '$kids'"
	n=$("$DRYDOCK" query "$T/ff.drydock" "SELECT count(*) - count(DISTINCT pid) FROM processes" | tail -1)
	[ "$n" = 0 ] && ok "-ff $prog: one process row per pid" || bad "-ff $prog: $n duplicate pids"
	for th in $threads; do
		got=$("$DRYDOCK" query "$T/ff.drydock" "SELECT DISTINCT pid || ' ' || (process_id = (SELECT id FROM processes WHERE pid = $leader)) FROM events WHERE tid = $th" | tail -n +2 | paste -sd, -)
		[ "$got" = "$leader 1" ] && ok "-ff $prog: thread $th is in process $leader" ||
			bad "-ff $prog: thread $th: '$got'"
	done
done

# Many children: the process table grows while a clone is handled (a
# use-after-free once), and a big -ff group stays linear. 150 children of
# one shell, in one -f file and as an -ff directory.
python3 - "$T" <<'PY'
import os, sys
t = sys.argv[1]
os.makedirs(t + "/many-ff", exist_ok=True)
clone = ('10:00:00.%06d clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|'
         'CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = %d\n')
kid = ['10:00:01.%06d execve("/bin/true", ["true"], 0x7ffd /* 3 vars */) = 0\n',
       '10:00:01.%06d exit_group(0)                     = ?\n',
       '10:00:01.%06d +++ exited with 0 +++\n']
with open(t + "/many-f.txt", "w") as f, open(t + "/many-ff/trace.1000", "w") as g:
    for i in range(150):
        f.write("1000 " + clone % (i + 2, 2000 + i))
        g.write(clone % (i + 2, 2000 + i))
    for i in range(150):
        with open(t + "/many-ff/trace.%d" % (2000 + i), "w") as h:
            for k in kid:
                f.write("%d " % (2000 + i) + k % i)
                h.write(k % i)
PY
for src in many-f.txt many-ff; do
	rm -f "$T/many.drydock"
	"$DRYDOCK" -q init "$T/many.drydock" >/dev/null
	"$DRYDOCK" -q ingest "$T/many.drydock" "$T/$src" >"$T/many.err" 2>&1 ||
		bad "$src: ingest failed: $(head -c 300 "$T/many.err")"
	got=$("$DRYDOCK" query "$T/many.drydock" "SELECT count(*) || ' ' || count(DISTINCT pid) || ' ' || sum(ppid = 1000) || ' ' || sum(exe = '/bin/true') FROM processes" | tail -1)
	[ "$got" = "151 151 150 150" ] && ok "$src: 151 processes, 150 children of 1000 running /bin/true" ||
		bad "$src: processes '$got', want '151 151 150 150'"
done

# A hostile timeline: every chunk reaches back to the first second, so a
# time-ordered scan would hold every chunk at once. It fails with a clear
# message and exit 1 (memory stays bounded); id order still works.
python3 -c '
import sys
w = sys.stdout.write
for i in range(600000):
    w("%.6f getpid() = 5\n" % (1700000000 + (i * 1e-6 if i % 2 else 0)))
' >"$T/overlap.txt"
rm -f "$T/ov.drydock"
"$DRYDOCK" -q init "$T/ov.drydock" >/dev/null
"$DRYDOCK" -q ingest "$T/ov.drydock" "$T/overlap.txt" >/dev/null 2>&1
"$DRYDOCK" query "$T/ov.drydock" "SELECT id FROM events ORDER BY ts LIMIT 3" >"$T/ov.out" 2>"$T/ov.err"
rc=$?
[ "$rc" = 1 ] && grep -q "more than 32 event chunks overlap" "$T/ov.err" &&
	ok "ORDER BY ts over 37 overlapping chunks: a clear error" ||
	bad "overlapping chunks: exit $rc, $(head -c 300 "$T/ov.err")"
n=$("$DRYDOCK" query "$T/ov.drydock" "SELECT count(*) FROM (SELECT id FROM events ORDER BY id DESC LIMIT 3)" | tail -1)
[ "$n" = 3 ] && ok "overlapping chunks: id order works" || bad "overlapping chunks: id order gave '$n'"
rm -f "$T/overlap.txt"

# Not strace at all: rejected as strace, case unchanged.
printf 'hello world\nthis is not a trace\n' >"$T/notes.txt"
rm -f "$T/r.drydock"
"$DRYDOCK" -q init "$T/r.drydock" >/dev/null
"$DRYDOCK" -q ingest --as strace "$T/r.drydock" "$T/notes.txt" >"$T/out" 2>&1
rc=$?
arts=$("$DRYDOCK" query "$T/r.drydock" "SELECT count(*) FROM artifacts" | tail -1)
[ "$rc" = 1 ] && [ "$arts" = 0 ] && ok "non-strace rejected with --as strace, case unchanged" ||
	bad "non-strace: exit $rc, $arts artifacts"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
