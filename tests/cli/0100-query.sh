#!/usr/bin/env bash
# 0100-query.sh: `drydock query` end to end: the csv, json and table
# formats, and the read-only guard (ATTACH, setting PRAGMAs,
# load_extension, writes, more than one statement, the time budget).
#
# Exits 0 when every check passes, 1 otherwise, printing each failure.
# DRYDOCK names the binary (default build/asan/drydock); FIXTURES the
# shared fixtures (default /work/shared/fixtures). Fixtures are copied into
# a temporary directory first and never modified.
set -u

DRYDOCK=${DRYDOCK:-build/asan/drydock}
case $DRYDOCK in /*) ;; *) DRYDOCK=$PWD/$DRYDOCK ;; esac
FIXTURES=${FIXTURES:-$PWD/../shared/fixtures}
SCHEMA=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\).*/\1/p' core/store.h)
export SCHEMA
export TZ=UTC LC_ALL=C.UTF-8 DRYDOCK_NOW=2024-01-02T03:04:05Z
export DRYDOCK_EXAMINER=tester

T=$(mktemp -d "${TMPDIR:-/tmp}/dd-query.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

failures=0
fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}
# run NAME ARGS...: run drydock, keep stdout in NAME.out, stderr in
# NAME.err and the status in $rc.
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
expect_err() {
	if ! grep -qF -- "$2" "$1.err"; then
		fail "$1: stderr lacks '$2' (got: $(head -c 400 "$1.err"))"
	fi
}
custody_rows() {
	"$DRYDOCK" query case.drydock "SELECT count(*) FROM custody" | tail -n 1
}

[ -x "$DRYDOCK" ] || { echo "FAIL: no drydock binary at $DRYDOCK" >&2; exit 1; }

# Evidence: a strace log renamed to hold a comma and quotes, a JSON file
# whose name carries an ESC sequence, and a scap capture.
cp "$FIXTURES/strace/stana_ls_f.out" 'ls, "quoted".out' || exit 1
ESCNAME=$(printf 'esc\033[31mred.json')
cp "$FIXTURES/seccomp/docker-default.json" "$ESCNAME" || exit 1
cp "$FIXTURES/scap/falco_cat_write.scap" cat.scap || exit 1
chmod u+w ./* 2>/dev/null

run init init case.drydock
expect_rc init 0
run ingest -q ingest case.drydock 'ls, "quoted".out' "$ESCNAME" cat.scap
expect_rc ingest 0

# --- csv: header line, minimal quoting, LF ends -----------------------------
run csv query case.drydock "SELECT id, name FROM artifacts ORDER BY id"
expect_rc csv 0
printf 'id,name\n1,"ls, ""quoted"".out"\n2,%s\n3,cat.scap\n' "$ESCNAME" >csv.want
cmp -s csv.out csv.want || fail "csv: got $(od -c csv.out | head -5)"

run csvv query case.drydock "SELECT NULL AS n, x'00ff10' AS b, 'a\"b' AS q, 'x'||char(10)||'y' AS nl, 'p,q' AS c, 1.5 AS r, 2.0 AS w, -7 AS i, '' AS e"
expect_rc csvv 0
printf 'n,b,q,nl,c,r,w,i,e\n,00ff10,"a""b","x\ny","p,q",1.5,2.0,-7,\n' >csvv.want
cmp -s csvv.out csvv.want || fail "csv values: got $(od -c csvv.out | head -8)"
if grep -q "$(printf '\r')" csv.out csvv.out; then
	fail "csv: CR in output (line ends must be LF)"
fi

# Options may follow the operands; the default format is csv.
run late query case.drydock "SELECT 1 AS one" --format csv
expect_rc late 0
[ "$(cat late.out)" = "$(printf 'one\n1')" ] || fail "late option: got '$(cat late.out)'"

# SQL from standard input.
echo "SELECT count(*) AS n FROM artifacts" | "$DRYDOCK" query case.drydock - >stdin.out 2>stdin.err
[ "$(tail -n 1 stdin.out)" = 3 ] || fail "stdin SQL: got '$(cat stdin.out)' $(cat stdin.err)"

# --- json: parses, types, escaping --------------------------------------------
run json query --format json case.drydock "SELECT id, name, size, sha256, NULL AS n, x'00ff' AS b, 0.5 AS r FROM artifacts ORDER BY id"
expect_rc json 0
python3 -m json.tool json.out >/dev/null 2>json.tool.err || fail "json: does not parse: $(cat json.tool.err)"
cat >check_rows.py <<'EOF'
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
assert isinstance(rows, list) and len(rows) == 3, rows
assert rows[0]["id"] == 1 and isinstance(rows[0]["size"], int), rows[0]
assert rows[0]["name"] == 'ls, "quoted".out', rows[0]["name"]
assert rows[1]["name"] == sys.argv[2], rows[1]["name"]
assert rows[0]["n"] is None and rows[0]["b"] == "00ff" and rows[0]["r"] == 0.5
assert len(rows[0]["sha256"]) == 64
EOF
python3 check_rows.py json.out "$ESCNAME" >json.check 2>&1 || fail "json: $(cat json.check)"
if grep -q "$(printf '\033')" json.out; then
	fail "json: raw ESC byte in output"
fi
run jsonempty query --format json case.drydock "SELECT 1 WHERE 0"
[ "$(cat jsonempty.out)" = "[]" ] || fail "json: empty result is '$(cat jsonempty.out)', expected []"
# Invalid UTF-8 text stays valid JSON.
run jsonbad query --format json case.drydock "SELECT CAST(x'61ff62' AS TEXT) AS t"
expect_rc jsonbad 0
python3 -c 'import json,sys; r=json.load(sys.stdin); assert r[0]["t"]=="a\ufffdb", r' <jsonbad.out 2>jsonbad.py ||
	fail "json: invalid UTF-8 not replaced: $(cat jsonbad.out) $(cat jsonbad.py)"

# --- table: aligned, escaped ---------------------------------------------------
run table query --format table case.drydock "SELECT id, name FROM artifacts ORDER BY id"
expect_rc table 0
if grep -q "$(printf '\033')" table.out; then
	fail "table: raw ESC byte reached the output"
fi
grep -qF 'esc\x1b[31mred.json' table.out || fail "table: ESC not shown as \\x1b: $(cat table.out)"
[ "$(sed -n 1p table.out)" = "id  name" ] || fail "table: header is '$(sed -n 1p table.out)'"
[ "$(sed -n 2p table.out)" = "--  -------------------" ] || fail "table: rule is '$(sed -n 2p table.out)'"
[ "$(sed -n 3p table.out)" = ' 1  ls, "quoted".out' ] || fail "table: row is '$(sed -n 3p table.out)'"

# --- the guard -------------------------------------------------------------------
before=$(custody_rows)

run attach query case.drydock "ATTACH DATABASE 'other.db' AS o"
expect_rc attach 1
expect_err attach "query denied: ATTACH is not allowed in read-only queries"
[ -e other.db ] && fail "attach: other.db was created"

run jm query case.drydock "PRAGMA journal_mode=DELETE"
expect_rc jm 1
expect_err jm "query denied: PRAGMA journal_mode"
run uv query case.drydock "PRAGMA user_version=5"
expect_rc uv 1
expect_err uv "query denied: PRAGMA user_version"
run uvread query case.drydock "PRAGMA user_version"
expect_rc uvread 0
[ "$(tail -n 1 uvread.out)" = "$SCHEMA" ] || fail "user_version changed: $(cat uvread.out)"
run ti query case.drydock "PRAGMA table_info(custody)"
expect_rc ti 0
run wc query case.drydock "PRAGMA wal_checkpoint"
expect_rc wc 1
expect_err wc "query denied: PRAGMA wal_checkpoint is not allowed"

SO=
for f in /usr/lib/x86_64-linux-gnu/libsqlite3.so.0 /usr/lib/*/libsqlite3.so.0 /lib/*/libc.so.6 /usr/lib/*/libz.so.1; do
	[ -e "$f" ] && { SO=$f; break; }
done
[ -n "$SO" ] || fail "load_extension: found no shared object to try"
run le query case.drydock "SELECT load_extension('$SO')"
expect_rc le 1
expect_err le "query denied: function load_extension() is not allowed"
run rf query case.drydock "SELECT readfile('/etc/passwd')"
expect_rc rf 1

run del query case.drydock "DELETE FROM custody"
expect_rc del 1
expect_err del "query denied: DELETE is not allowed in read-only queries"
run ins query case.drydock "INSERT INTO notes(relation, key, ts, examiner, text) VALUES ('a', 'b', 0, 'x', 'y')"
expect_rc ins 1
run drop query case.drydock "DROP TABLE custody"
expect_rc drop 1
expect_err drop "query denied: DROP"
run begin query case.drydock "BEGIN"
expect_rc begin 1

run two query case.drydock "SELECT 1; DELETE FROM custody"
expect_rc two 2
expect_err two "only one SQL statement is allowed"
[ -s two.out ] && fail "two statements: something ran: $(cat two.out)"
# Trailing semicolons and comments are not a second statement.
run trail query case.drydock "SELECT 1 AS x; -- done
/* really */ ;"
expect_rc trail 0

after=$(custody_rows)
[ -n "$before" ] && [ "$before" = "$after" ] || fail "custody rows changed: $before -> $after"

start=$(date +%s)
run budget query --budget 500 case.drydock "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
took=$(($(date +%s) - start))
expect_rc budget 1
expect_err budget "query stopped: time budget of 500 ms exceeded"
[ "$took" -le 10 ] || fail "budget: the query ran $took s"

run syntax query case.drydock "SELEC 1"
expect_rc syntax 1
expect_err syntax "query failed"

# --- usage ---------------------------------------------------------------------
run fmt query --format xml case.drydock "SELECT 1"
expect_rc fmt 2
run bud query --budget soon case.drydock "SELECT 1"
expect_rc bud 2
run noop query case.drydock
expect_rc noop 2
run empty query case.drydock " ; -- nothing"
expect_rc empty 2
run nocase query missing.drydock "SELECT 1"
expect_rc nocase 1
run help query --help
expect_rc help 0
grep -q "sqlite_schema" help.out || fail "help: no example listing the tables"

if [ "$failures" -ne 0 ]; then
	echo "0100-query: $failures check(s) failed" >&2
	exit 1
fi
echo "0100-query: ok"
exit 0
