#!/usr/bin/env bash
# 0110-info.sh: `drydock info` end to end: text and json, counts per
# relation, custody, and storage measured from the database pages
# (storage.total == page_count * page_size; originals > 0 after ingest;
# the classes add up to the total).
#
# Exits 0 when every check passes, 1 otherwise, printing each failure.
# DRYDOCK names the binary (default build/asan/drydock); FIXTURES the
# shared fixtures (default /work/shared/fixtures). Fixtures are copied into
# a temporary directory first and never modified. Needs sqlite3 and
# python3.
set -u

DRYDOCK=${DRYDOCK:-build/asan/drydock}
case $DRYDOCK in /*) ;; *) DRYDOCK=$PWD/$DRYDOCK ;; esac
FIXTURES=${FIXTURES:-$PWD/../shared/fixtures}
SCHEMA=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' core/store.h)
export SCHEMA
export TZ=UTC LC_ALL=C.UTF-8 DRYDOCK_NOW=2024-01-02T03:04:05Z
export DRYDOCK_EXAMINER=tester

T=$(mktemp -d "${TMPDIR:-/tmp}/dd-info.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
run() {
	local name=$1
	shift
	"$DRYDOCK" "$@" >"$name.out" 2>"$name.err"
	rc=$?
}
expect_rc() {
	if [ "$rc" -ne "$2" ]; then
		fail "$1: exit $rc, expected $2 (stderr: $(head -c 400 "$1.err"))"
	fi
}

[ -x "$DRYDOCK" ] || { echo "FAIL: no drydock binary at $DRYDOCK" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is needed" >&2; exit 1; }
command -v python3 >/dev/null || { echo "FAIL: python3 is needed" >&2; exit 1; }

cp "$FIXTURES/strace/stana_ls_f.out" ls.out || exit 1
ESCNAME=$(printf 'esc\033[31mred.json')
cp "$FIXTURES/seccomp/docker-default.json" "$ESCNAME" || exit 1
mkdir dir || exit 1
cp "$FIXTURES/strace/stana_thread-ex.out" dir/a.out || exit 1
cp "$FIXTURES/scap/falco_cat_write.scap" dir/b.scap || exit 1
chmod -R u+w . 2>/dev/null

run init init case.drydock
expect_rc init 0

# An empty case already measures.
run empty info --format json case.drydock
expect_rc empty 0
python3 -m json.tool empty.out >/dev/null 2>&1 || fail "empty case: json does not parse"

run ingest -q ingest case.drydock ls.out "$ESCNAME" dir
expect_rc ingest 0

# check_json FILE: the json checks, against the database itself.
check_json() {
	local f=$1 pc ps head rows
	pc=$(sqlite3 case.drydock 'pragma page_count')
	ps=$(sqlite3 case.drydock 'pragma page_size')
	head=$(sqlite3 case.drydock 'SELECT hash FROM custody ORDER BY seq DESC LIMIT 1')
	rows=$(sqlite3 case.drydock 'SELECT count(*) FROM custody')
	cat >check.py <<'EOF'
import json, sys
f, pc, ps, head, rows, sealed, escname = sys.argv[1:8]
d = json.load(open(f, encoding="utf-8"))
for k in ("case", "schema_version", "case_id", "sealed", "custody",
          "artifacts", "counts", "storage"):
    assert k in d, "missing key " + k
assert d["case"] == "case.drydock", d["case"]
assert d["schema_version"] == int(__import__("os").environ["SCHEMA"]), d["schema_version"]
assert isinstance(d["case_id"], str) and len(d["case_id"]) == 32, d["case_id"]
assert d["sealed"] is (sealed == "1"), d["sealed"]
assert d["custody"]["head"] == head, (d["custody"], head)
assert d["custody"]["rows"] == int(rows), (d["custody"], rows)
c = d["counts"]
for k in ("artifacts", "anomalies", "custody", "findings",
          "finding_evidence", "notes", "tags"):
    assert k in c, "counts lacks " + k
assert c["custody"] == int(rows), c
# ls.out, the ESC file, the group and its two members.
assert c["artifacts"] == 5 == len(d["artifacts"]), (c, d["artifacts"])
names = [a["name"] for a in d["artifacts"]]
assert names[0] == "ls.out" and names[1] == escname, names
grp = [a for a in d["artifacts"] if a["format"] == "group"]
assert len(grp) == 1 and grp[0]["name"] == "dir", grp
mem = [a for a in d["artifacts"] if a["group_id"] == grp[0]["id"]]
assert sorted(a["name"] for a in mem) == ["a.out", "b.scap"], mem
for a in d["artifacts"]:
    assert len(a["sha256"]) == 64 and isinstance(a["size"], int), a
s = d["storage"]
for k in ("originals", "events", "strings", "blobs", "indexes", "total"):
    assert isinstance(s[k], int) and s[k] >= 0, (k, s)
assert s["total"] == int(pc) * int(ps), (s["total"], pc, ps)
assert s["originals"] > 0, s
parts = sum(s[k] for k in ("originals", "events", "strings", "blobs",
                           "indexes", "other", "unused"))
assert parts == s["total"], (parts, s)
assert s["indexes"] > 0, s
EOF
	python3 check.py "$f" "$pc" "$ps" "$head" "$rows" "$2" "$ESCNAME" >check.err 2>&1 ||
		fail "$f: $(tail -n 3 check.err)"
}

run json info --format json case.drydock
expect_rc json 0
python3 -m json.tool json.out >/dev/null 2>json.tool.err || fail "json: does not parse: $(cat json.tool.err)"
check_json json.out 0
if grep -q "$(printf '\033')" json.out; then
	fail "json: raw ESC byte in output"
fi
# Sorted keys and an indent of two.
[ "$(sed -n 2p json.out)" = '  "artifacts": [' ] || fail "json: not sorted/indented: $(sed -n 2p json.out)"

run text info case.drydock
expect_rc text 0
for want in "schema version:  $SCHEMA" "sealed:          no" "artifacts:       5" \
    'esc\x1b[31mred.json' "(group of 2 files)" "originals" "total" "custody:"; do
	grep -qF -- "$want" text.out || fail "text: lacks '$want'"
done
if grep -q "$(printf '\033')" text.out; then
	fail "text: raw ESC byte in output"
fi
tot=$(($(sqlite3 case.drydock 'pragma page_count') * $(sqlite3 case.drydock 'pragma page_size')))
grep -qE "total .*\\($tot bytes\\)" text.out || fail "text: total is not $tot bytes: $(grep total text.out)"

# info is read-only: the custody chain does not grow.
r1=$(sqlite3 case.drydock 'SELECT count(*) FROM custody')
run again info case.drydock
r2=$(sqlite3 case.drydock 'SELECT count(*) FROM custody')
[ "$r1" = "$r2" ] || fail "info changed custody: $r1 -> $r2"

# A sealed case (rollback journal, one file) reads the same way.
if "$DRYDOCK" seal --help >/dev/null 2>&1; then
	run seal -q seal case.drydock
	expect_rc seal 0
	run sealed info --format json case.drydock
	expect_rc sealed 0
	check_json sealed.out 1
fi

# --- usage and failures --------------------------------------------------------
run noop info
expect_rc noop 2
run two info case.drydock case.drydock
expect_rc two 2
run fmt info --format yaml case.drydock
expect_rc fmt 2
run missing info missing.drydock
expect_rc missing 1
echo "not a case" >plain.txt
run plain info plain.txt
expect_rc plain 1
run help info --help
expect_rc help 0

if [ "$failures" -ne 0 ]; then
	echo "0110-info: $failures check(s) failed" >&2
	exit 1
fi
echo "0110-info: ok"
exit 0
