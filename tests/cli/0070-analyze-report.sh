#!/usr/bin/env bash
# 0070-analyze-report: the evidence analyzer's findings (ev.unparsed,
# ev.changed, ev.clock_offset), stable finding ids across re-analysis,
# notes surviving it, the md and json reports (structure, custody head,
# determinism, escaping of hostile names), --fail-on, -o onto a FIFO.
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

C=$T/case.drydock
dk init "$C"
expect_rc 0 "init"

# Two different files under the same name (ingested from two directories
# with the same relative path), a raw file, a hostile name.
mkdir "$T/v1" "$T/v2" "$T/h"
printf 'Jan  1 00:00:01 host sshd[1]: first collection\n' >"$T/v1/auth.log"
printf 'Jan  1 00:00:01 host sshd[1]: second collection, changed\n' >"$T/v2/auth.log"
printf 'plain raw evidence\n' >"$T/raw.bin"
evil=$'evil\e[31m|name'
printf 'hostile name\n' >"$T/h/$evil"
run bash -c 'cd "$1" && "$2" ingest ../case.drydock auth.log' sh "$T/v1" "$DRYDOCK"
expect_rc 0 "ingest v1/auth.log as 'auth.log'"
run bash -c 'cd "$1" && "$2" ingest ../case.drydock auth.log' sh "$T/v2" "$DRYDOCK"
expect_rc 0 "ingest v2/auth.log as 'auth.log'"
dk ingest "$C" "$T/raw.bin"
expect_rc 0 "ingest a raw file"
run bash -c 'cd "$1" && "$2" ingest ../case.drydock "$3"' sh "$T/h" "$DRYDOCK" "$evil"
expect_rc 0 "ingest a file whose name holds ESC and '|'"
if grep -q $'\e' "$T/.out" "$T/.err"; then
	fail "ingest prints no raw ESC byte"
else
	ok "ingest prints no raw ESC byte"
fi
expect_eq "the hostile name is stored as given" "1" \
	"$(sql "$C" "select count(*) from artifacts where name = '$evil'")"
id_raw=$(sql "$C" "select id from artifacts where name like '%raw.bin'")
dk offset "$C" "$id_raw" +3s
expect_rc 0 "offset +3s on the raw file"

dk analyze "$C"
expect_rc 0 "analyze"
expect_eq "ev.unparsed: one finding per raw file" "4" \
	"$(sql "$C" "select count(*) from findings where rule = 'ev.unparsed'")"
expect_eq "ev.unparsed points at the raw file" "1" \
	"$(sql "$C" "select count(*) from findings f join finding_evidence e on e.finding_id = f.id
		where f.rule = 'ev.unparsed' and e.relation = 'artifacts' and e.key = '$id_raw'")"
expect_eq "ev.changed: one medium finding" "1|medium" \
	"$(sql "$C" "select count(*), max(severity) from findings where rule = 'ev.changed'")"
expect_eq "ev.changed names both auth.log artifacts" "1,2" \
	"$(sql "$C" "select group_concat(key) from (select e.key from findings f join finding_evidence e on e.finding_id = f.id
		where f.rule = 'ev.changed' order by e.key)")"
expect_eq "ev.clock_offset: one finding on the raw file" "1" \
	"$(sql "$C" "select count(*) from findings f join finding_evidence e on e.finding_id = f.id
		where f.rule = 'ev.clock_offset' and e.key = '$id_raw'")"
expect_eq "analyze is recorded in custody" "analyze" \
	"$(sql "$C" 'select action from custody order by seq desc limit 1')"

# Stable ids; a note survives re-analysis.
ids1=$(sql "$C" 'select id from findings order by id')
fid=$(sql "$C" "select id from findings where rule = 'ev.changed'")
note='checked with the host owner: | pipes & <tags>'
dk note "$C" "finding:$fid" "$note"
expect_rc 0 "note on the ev.changed finding"
dk tag "$C" "finding:$fid" reviewed
expect_rc 0 "tag the ev.changed finding"
dk analyze "$C"
expect_rc 0 "analyze again"
expect_eq "re-analysis keeps the same finding ids" "$ids1" "$(sql "$C" 'select id from findings order by id')"
expect_eq "two analyze rows in custody" "2" "$(sql "$C" "select count(*) from custody where action = 'analyze'")"
expect_eq "the note survives re-analysis" "$note" \
	"$(sql "$C" "select text from notes where relation = 'findings' and key = '$fid'")"
dk note "$C" finding:0000000000000000ffffffffffffffff 'no such finding'
if [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ]; then ok "note on an unknown finding exits $RC"; else fail "note on an unknown finding exits 1 or 2"; fi

# Reports.
HEAD=$(head_of "$C")
dk report "$C" --format md
expect_rc 0 "report md"
cp "$T/.out" "$T/r1.md"
dk report "$C" --format md
cp "$T/.out" "$T/r2.md"
check "md report is byte-identical twice" cmp "$T/r1.md" "$T/r2.md"
expect_out "md report names the custody head" "$HEAD"
expect_out "md report carries the note" "checked with the host owner"
# (Markdown escapes '_' as '\_'.)
expect_eq "md report lists ev.changed, ev.unparsed (4), ev.clock_offset" "1 4 1" \
	"$(for r in ev.changed ev.unparsed ev.clock_offset; do tr -d '\\' <"$T/r1.md" | grep -c "^- rule: $r "; done | tr '\n' ' ' | sed 's/ $//')"
expect_eq "md report holds no raw ESC byte" "0" "$(grep -c $'\e' "$T/r1.md")"
evrow=$(grep -a 'evil' "$T/r1.md" | grep -a '^|' | head -n 1)
if [ -n "$evrow" ] && printf '%s' "$evrow" | grep -qF '\|name'; then
	ok "md tables escape '|' in the hostile name"
else
	fail_only "md tables escape '|' in the hostile name (row: $evrow)"
fi
if grep -a '^|' "$T/r1.md" | grep -aF 'evil' | grep -qE '(^|[^\\])\|name'; then
	fail_only "md tables hold no unescaped '|' from the name"
else
	ok "md tables hold no unescaped '|' from the name"
fi
if grep -aF 'evil' "$T/r1.md" | grep -qF '\x1b'; then
	ok "md shows ESC as \\x1b"
else
	fail_only "md shows ESC as \\x1b ($(grep -aF evil "$T/r1.md" | head -n 2))"
fi
# every table row has as many cells as its header
if awk -F'|' '
	/^\|/ { line = $0; gsub(/\\\|/, "", line); n = gsub(/\|/, "|", line)
		if (prev == 0) { want = n } else if (n != want) { bad = 1; print "row: " $0 }
		prev = 1; next }
	{ prev = 0 }
	END { exit bad }' "$T/r1.md" >"$T/.awk"; then
	ok "md table rows all have their header's cell count"
else
	fail_only "md table rows all have their header's cell count"
	sed 's/^/      | /' "$T/.awk" | head -n 5
fi

dk report "$C" --format json
expect_rc 0 "report json"
cp "$T/.out" "$T/r1.json"
dk report "$C" --format json
cp "$T/.out" "$T/r2.json"
check "json report is byte-identical twice" cmp "$T/r1.json" "$T/r2.json"
check "json report parses (python3 -m json.tool)" python3 -m json.tool "$T/r1.json"
expect_eq "json report holds no raw ESC byte" "0" "$(grep -c $'\e' "$T/r1.json")"
run python3 - "$T/r1.json" "$HEAD" "$fid" "$note" "$evil" <<'EOF'
import json, sys
path, head, fid, note, evil = sys.argv[1:6]
r = json.load(open(path))
errs = []
if r.get("custody_head") != head:
    errs.append("custody_head %r != %r" % (r.get("custody_head"), head))
fs = r.get("findings")
if not isinstance(fs, list) or not fs:
    errs.append("findings is not a non-empty list")
    fs = []
sev = {"info", "low", "medium", "high", "critical"}
for f in fs:
    for k, t in (("id", str), ("analyzer", str), ("rule", str), ("severity", str),
                 ("title", str), ("detail", str), ("attack", list), ("evidence", list)):
        if not isinstance(f.get(k), t):
            errs.append("finding %s: %s is %r" % (f.get("id"), k, f.get(k)))
    if "ts" not in f or not (f["ts"] is None or isinstance(f["ts"], int)):
        errs.append("finding %s: ts is %r" % (f.get("id"), f.get("ts")))
    if f.get("severity") not in sev:
        errs.append("finding %s: severity %r" % (f.get("id"), f.get("severity")))
    for a in f.get("attack") or []:
        if not isinstance(a, str):
            errs.append("finding %s: attack item %r" % (f.get("id"), a))
    for ev in f.get("evidence") or []:
        if not (isinstance(ev, dict) and isinstance(ev.get("relation"), str)
                and isinstance(ev.get("key"), str)):
            errs.append("finding %s: evidence item %r" % (f.get("id"), ev))
rules = sorted(f.get("rule") for f in fs)
if rules.count("ev.unparsed") != 4 or rules.count("ev.changed") != 1 or rules.count("ev.clock_offset") != 1:
    errs.append("rules %r" % rules)
order = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
ranks = [order.get(f.get("severity"), 9) for f in fs]
if ranks != sorted(ranks):
    errs.append("findings not most severe first: %r" % [f.get("severity") for f in fs])
ch = [f for f in fs if f.get("id") == fid]
if not ch:
    errs.append("no finding %s" % fid)
elif note not in json.dumps(ch[0], ensure_ascii=False):
    errs.append("the note is not in finding %s: %r" % (fid, ch[0].get("notes")))
if evil not in json.dumps(r, ensure_ascii=False):
    errs.append("the hostile name does not round-trip through JSON")
print("\n".join(errs) if errs else "ok")
sys.exit(1 if errs else 0)
EOF
expect_rc 0 "json: custody_head, findings with id, analyzer, rule, severity, title, detail, ts, attack, evidence; the note; the name round-trips"

# --fail-on
dk report "$C" --fail-on medium
expect_rc 3 "--fail-on medium exits 3 (ev.changed is medium)"
expect_out "--fail-on still writes the report" "$HEAD"
dk report "$C" --format json --fail-on info
expect_rc 3 "--fail-on info exits 3"
dk report "$C" --fail-on high
expect_rc 0 "--fail-on high exits 0"
dk report "$C" --fail-on critical
expect_rc 0 "--fail-on critical exits 0"
dk report "$C" --fail-on bogus
expect_rc 2 "--fail-on with an unknown level is a usage error"
dk report "$C" --format pdf
expect_rc 2 "--format pdf is a usage error"

# -o: a regular file, a FIFO, a symlink to standard output.
dk report "$C" --format json -o "$T/out.json"
expect_rc 0 "report -o a file"
check "report -o equals standard output" cmp "$T/r1.json" "$T/out.json"
cat_to() { cat >"$T/fifo.out"; }
fifo_run "$T/report.fifo" cat_to "$DRYDOCK" report "$C" --format md -o "$T/report.fifo"
expect_rc 0 "report -o onto a FIFO"
check "the FIFO carried the md report" cmp "$T/r1.md" "$T/fifo.out"
check "the FIFO is still a FIFO" test -p "$T/report.fifo"
ln -s /proc/self/fd/1 "$T/stdout-link"
run bash -c '"$1" report "$2" -o "$3" >"$4"' sh "$DRYDOCK" "$C" "$T/stdout-link" "$T/redirected.md"
expect_rc 0 "report -o (symlink to /proc/self/fd/1) with stdout redirected"
check "the redirected file holds the report" cmp "$T/r1.md" "$T/redirected.md"
check "the symlink is left alone" test -L "$T/stdout-link"

# After all this, the reports name the same head and the case verifies.
dk verify --expect "$HEAD" "$C"
expect_rc 0 "verify --expect the report's head"

t_done
