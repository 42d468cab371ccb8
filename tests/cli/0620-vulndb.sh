#!/usr/bin/env bash
# 0620-vulndb: OSV records (drydock vulndb import) and the vuln analyzer.
#
# The C record check agrees with python3-jsonschema over the OSV schema
# (../shared/fixtures/schemas/osv-schema.json) on every real record in
# ../shared/fixtures/osv and on a few dozen mutations of them; imports
# count, skip and replace as documented (later 'modified' wins, ties
# keep the stored record), are one custody row each, and leave the case
# unchanged when nothing is valid. Then alpine 3.10 (trivy's fixture) and
# two images built here are analyzed against hand-written records: the
# findings are exactly the packages whose versions the records cover
# (apk ranges, a versions list, binary packages through their source
# package, a Debian tilde version, a PyPI name that needs PEP 503), with
# the layer and Dockerfile step; an image with fixed versions stays
# quiet; withdrawn and replaced records stop matching.
set -u
. "$(dirname "$0")/../lib/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
SCHEMA=$FIX/schemas/osv-schema.json
OSV=$FIX/osv
ALPINE=$FIX/image/trivy/alpine-310.tar.gz
q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2; }

if [ ! -d "$OSV" ] || [ ! -f "$SCHEMA" ] || [ ! -f "$ALPINE" ]; then
	fail_only "the shared fixtures (osv/, schemas/, image/trivy) are missing"
	t_done
fi
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	fail_only "python3-jsonschema is not installed: ./build.sh deps"
	t_done
fi

# ---- usage ----

dk vulndb --help
expect_rc 0 "vulndb --help"
expect_out "help names the action and has examples" "usage: drydock vulndb import CASE" "Examples:"
dk vulndb
expect_rc 2 "vulndb without an action is a usage error"
dk vulndb fetch "$T/x.dd" "$OSV"
expect_rc 2 "an unknown action is a usage error"
expect_err "and says which" "unknown action 'fetch'"
C=$T/c.dd
dk init "$C"
dk vulndb import "$C"
expect_rc 2 "import without a FILE or DIR is a usage error"

# ---- the record check against python3-jsonschema ----

cat >"$T/verdict.py" <<'EOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft202012Validator(schema)
for f in sys.argv[2:]:
    d = json.load(open(f))
    recs = d if isinstance(d, list) else [d]
    ok = len(recs) > 0 and all(v.is_valid(r) for r in recs)
    print(("valid" if ok else "invalid") + "\t" + f)
EOF
"$PY" "$T/verdict.py" "$SCHEMA" "$OSV"/*.json >"$T/verdicts" 2>"$T/verdict.err" ||
	fail_only "jsonschema failed: $(tail -n 2 "$T/verdict.err")"
expect_eq "the fixtures hold valid and invalid records" "yes" \
	"$(grep -q '^valid' "$T/verdicts" && grep -q '^invalid' "$T/verdicts" && echo yes)"
bad=0
n=0
while IFS=$'\t' read -r want f; do
	n=$((n + 1))
	dk init "$T/one.dd"
	dk vulndb import "$T/one.dd" "$f"
	rm -f "$T/one.dd" "$T/one.dd-wal" "$T/one.dd-shm" "$T/one.dd.lock"
	if t_sanitized; then
		fail "$(basename "$f"): sanitizer report"
		bad=$((bad + 1))
	elif { [ "$want" = valid ] && [ "$RC" -ne 0 ]; } ||
		{ [ "$want" = invalid ] && [ "$RC" -ne 1 ]; }; then
		fail "$(basename "$f"): jsonschema says $want, drydock exited $RC"
		bad=$((bad + 1))
	fi
done <"$T/verdicts"
expect_eq "drydock and jsonschema agree on all $n fixture records" 0 "$bad"
dk init "$T/one.dd"
dk vulndb import "$T/one.dd" "$OSV/nointroduced-CVE-2023-41045.json"
expect_rc 1 "a file holding only an invalid record is refused"
expect_err "naming the file, the record and the rule it breaks" \
	"nointroduced-CVE-2023-41045.json': record 'CVE-2023-41045' skipped: affected[0].ranges[0].events: no 'introduced' event" \
	"no valid OSV record in 1 file (1 invalid record, 0 unreadable or non-JSON files)"
rm -f "$T/one.dd"*

# Mutations of the real records, each judged by both.
mkdir -p "$T/mut"
cat >"$T/mutate.py" <<'EOF'
import copy, json, os, sys
src, out = sys.argv[1], sys.argv[2]
base = [json.load(open(os.path.join(src, f))) for f in
        ("GO-2024-2963.json", "CVE-2018-5407.json", "GHSA-9v2f-6vcg-3hgv.json",
         "PYSEC-2023-74.json")]
H = "0123456789abcdef0123456789abcdef01234567"
def A(r): return r.setdefault("affected", [{}])[0]
def R(r): return A(r).setdefault("ranges", [{"type": "ECOSYSTEM",
                                            "events": [{"introduced": "0"}]}])[0]
def setp(k, v): return lambda r: r.__setitem__(k, v)
def dele(k): return lambda r: r.pop(k, None)
muts = [
    dele("id"), dele("modified"), setp("id", 5), setp("id", "BOGUS-1"),
    setp("id", "x_local-1"), setp("id", "SUSE-OU-2024:1"),
    setp("modified", "yesterday"), setp("modified", "2024-01-01T00:00:00.5Z"),
    setp("modified", "2024-01-01T00:00:00+00:00"), setp("published", None),
    setp("withdrawn", "2024-01-01T00:00:00Z"), setp("aliases", None),
    setp("aliases", [1]), setp("related", None), setp("upstream", ["CVE-1"]),
    setp("x_extra", 1), setp("summary", 3), setp("details", None),
    setp("schema_version", 1.6), setp("severity", None),
    setp("severity", [{"type": "CVSS_V3", "score":
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n"}]),
    setp("severity", [{"type": "CVSS_V3", "score":
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\n\n"}]),
    setp("severity", [{"type": "CVSS_V3", "score": "CVSS:3.2/AV:N"}]),
    setp("severity", [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:LM"}]),
    setp("severity", [{"type": "CVSS_V2", "score": "AV:N//AC:L"}]),
    setp("severity", [{"type": "CVSS_V4", "score":
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S"}]),
    setp("severity", [{"type": "CVSS_V4", "score":
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"}]),
    setp("severity", [{"type": "CVSS_V5", "score": "x"}]),
    setp("severity", [{"type": "Ubuntu", "score": "Medium"}]),
    setp("severity", [{"score": "x"}]),
    setp("affected", None), setp("affected", [5]), setp("affected", {}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "Alpine:v3.10\n", "name": "a"}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "Alpine:", "name": "a"}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "alpine", "name": "a"}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "GIT", "name": "a"}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "Red Hat:rhel:8::x", "name": "a"}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "npm"}),
    lambda r: A(r).__setitem__("package", {"ecosystem": "npm", "name": "a", "purl": 1}),
    lambda r: A(r).__setitem__("ranges", None),
    lambda r: A(r).__setitem__("ranges", []),
    lambda r: R(r).__setitem__("type", "semver"),
    lambda r: R(r).__setitem__("events", []),
    lambda r: R(r).__setitem__("events", [{"limit": "*"}]),
    lambda r: R(r).__setitem__("events", [{"introduced": "0", "limit": "1"}]),
    lambda r: R(r).__setitem__("events", [{"introduced": "0"}, {"fixed": "1", "x": 2}]),
    lambda r: R(r).__setitem__("events", [{"introduced": 0}]),
    lambda r: R(r).__setitem__("events", [{"introduced": 0, "fixed": "1"}]),
    lambda r: R(r).__setitem__("events", [{"introduced": "0"}, {"fixed": "1"},
                                          {"last_affected": "2"}]),
    lambda r: R(r).update({"type": "GIT", "events": [{"introduced": "0"}]}),
    lambda r: R(r).update({"type": "GIT", "repo": "r", "events":
                           [{"introduced": "0"}, {"fixed": "abc"}]}),
    lambda r: R(r).update({"type": "GIT", "repo": "r", "events":
                           [{"introduced": "0"}, {"fixed": H}]}),
    lambda r: R(r).update({"type": "GIT", "repo": "r", "events":
                           [{"introduced": H + "\n"}]}),
    lambda r: R(r).update({"type": "GIT", "repo": "r", "events":
                           [{"introduced": H.upper()}]}),
    lambda r: R(r).__setitem__("database_specific", []),
    lambda r: A(r).__setitem__("versions", ["1", 2]),
    lambda r: A(r).__setitem__("versions", None),
    lambda r: A(r).__setitem__("ecosystem_specific", []),
    lambda r: A(r).__setitem__("database_specific", "x"),
    lambda r: (r.__setitem__("severity", []), A(r).__setitem__("severity", [])),
    lambda r: (r.__setitem__("severity", []), A(r).__setitem__("severity", None)),
    lambda r: (r.pop("severity", None), A(r).__setitem__("severity",
        [{"type": "Ubuntu", "score": "high"}])),
    setp("references", [{"type": "WEB", "url": "not a url"}]),
    setp("references", [{"type": "BLOG", "url": "u"}]),
    setp("references", [{"url": "u"}]),
    setp("credits", [{"name": "a", "type": "FINDER", "contact": ["c"]}]),
    setp("credits", [{}]), setp("credits", [{"name": "a", "contact": "c"}]),
    setp("credits", None), setp("database_specific", []),
]
n = 0
for b in base:
    for m in muts:
        r = copy.deepcopy(b)
        m(r)
        n += 1
        with open(os.path.join(out, "m%03d.json" % n), "w") as fp:
            json.dump(r, fp)
EOF
"$PY" "$T/mutate.py" "$OSV" "$T/mut"
"$PY" "$T/verdict.py" "$SCHEMA" "$T"/mut/*.json | sort >"$T/mut.want"
dk init "$T/m.dd"
run "$DRYDOCK" -v vulndb import "$T/m.dd" "$T/mut"
expect_rc 0 "the mutations import (the valid ones)"
sed -n "s|^drydock vulndb: '\\([^']*\\)': record.* skipped: .*|\\1|p" "$T/.err" | sort -u >"$T/mut.bad"
awk -F'\t' '{ print $2 }' "$T/mut.want" | while read -r f; do
	if grep -qxF "$f" "$T/mut.bad"; then echo "invalid	$f"; else echo "valid	$f"; fi
done >"$T/mut.got"
nm=$(wc -l <"$T/mut.want")
ni=$(grep -c '^invalid' "$T/mut.want")
if diff "$T/mut.want" "$T/mut.got" >"$T/mut.diff"; then
	ok "drydock and jsonschema agree on $nm mutated records ($ni invalid)"
else
	fail_only "drydock and jsonschema disagree on mutated records"
	head -n 20 "$T/mut.diff" | sed 's/^/      | /'
fi

# ---- import semantics ----

dk vulndb import "$C" "$OSV"
expect_rc 0 "the fixture directory imports"
expect_out "counted: 12 records, 9 new, 2 equal ids kept, 1 invalid" \
	"12 records read from 12 files: 9 added, 0 replaced, 2 kept (not newer than the case's), 1 invalid skipped"
expect_head "the custody head is printed" "$C"
expect_eq "one custody row for the load" 1 \
	"$(q "$C" "select count(*) from custody where action = 'vulndb_import'")"
expect_eq "it records the counts and the files' digest" "12 9 1 64" \
	"$(q "$C" "select json_extract(detail, '\$.files') || ' ' || json_extract(detail, '\$.added') || ' ' || json_extract(detail, '\$.invalid') || ' ' || length(json_extract(detail, '\$.files_sha256')) from custody where action = 'vulndb_import'")"
expect_eq "each file's SHA-256 is listed" "$(sha "$OSV/GO-2020-0001.json")" \
	"$(q "$C" "select json_extract(f.value, '\$.sha256') from custody, json_each(json_extract(detail, '\$.file_list')) f where action = 'vulndb_import' and json_extract(f.value, '\$.path') like '%/GO-2020-0001.json'")"
expect_eq "the records and their affected packages are stored" "9 11" \
	"$(q "$C" "select (select count(*) from vulns) || ' ' || (select count(*) from vuln_affected)")"
# GHSA-9v2f and nopackage-GHSA-9v2f share id and modified: the first in
# name order is kept.
expect_eq "a tie on 'modified' keeps the first loaded" "Gradio $OSV/GHSA-9v2f-6vcg-3hgv.json" \
	"$(q "$C" "select a.name || ' ' || v.source from vulns v join vuln_affected a on a.vuln_id = v.id where v.id = 'GHSA-9v2f-6vcg-3hgv'")"
expect_eq "the database's severity is kept beside CVSS" "CRITICAL" \
	"$(q "$C" "select json_extract(j.value, '\$.score') from vulns, json_each(severity) j where vulns.id = 'GHSA-9v2f-6vcg-3hgv' and json_extract(j.value, '\$.type') = 'DATABASE_SPECIFIC'")"
expect_eq "the file's SHA-256 is kept per record" "$(sha "$OSV/GO-2020-0001.json")" \
	"$(q "$C" "select sha256 from vulns where id = 'GO-2020-0001'")"

before=$(case_state "$C")
dk vulndb import "$C" "$OSV"
expect_rc 0 "re-importing the same records exits 0"
expect_out "and keeps them all" "0 added, 0 replaced, 11 kept"
expect_eq "the records are unchanged" "9 11" \
	"$(q "$C" "select (select count(*) from vulns) || ' ' || (select count(*) from vuln_affected)")"

# A later 'modified' replaces a record and its affected rows; an earlier
# one does not.
"$PY" - "$OSV/CVE-2018-5407.json" "$T/newer.json" "$T/older.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
r["modified"] = "2030-01-01T00:00:00Z"
r["affected"] = r["affected"][:2]
json.dump(r, open(sys.argv[2], "w"))
r["modified"] = "2001-01-01T00:00:00Z"
r["affected"] = r["affected"][:1]
json.dump(r, open(sys.argv[3], "w"))
EOF
n0=$(q "$C" "select count(*) from vuln_affected where vuln_id = 'CVE-2018-5407'")
dk vulndb import "$C" "$T/older.json"
expect_out "an older record is kept out" "0 added, 0 replaced, 1 kept"
dk vulndb import "$C" "$T/newer.json"
expect_out "a newer record replaces" "0 added, 1 replaced, 0 kept"
expect_eq "its affected rows are the new ones ($n0 before)" "2 2030-01-01T00:00:00Z" \
	"$(q "$C" "select count(*) || ' ' || (select modified from vulns where id = 'CVE-2018-5407') from vuln_affected where vuln_id = 'CVE-2018-5407'")"
expect_eq "other records keep theirs" 1 \
	"$(q "$C" "select count(*) from vuln_affected where vuln_id = 'GO-2020-0001'")"
# The same id twice in one import, newer second: only the newest remains.
"$PY" - "$T/newer.json" "$T/twice.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
a = dict(r, modified="2031-01-01T00:00:00Z", affected=r["affected"][:1])
b = dict(r, modified="2032-01-01T00:00:00Z", affected=r["affected"][:2])
json.dump([a, b], open(sys.argv[2], "w"))
EOF
dk vulndb import "$C" "$T/twice.json"
expect_out "a record replaced twice in one import" "0 added, 2 replaced"
expect_eq "leaves only the newest's affected rows" "2 2032-01-01T00:00:00Z" \
	"$(q "$C" "select count(*) || ' ' || (select modified from vulns where id = 'CVE-2018-5407') from vuln_affected where vuln_id = 'CVE-2018-5407'")"

# An array with an invalid member, a non-JSON file, a nested directory.
mkdir -p "$T/mixed/sub/deeper"
printf '[{"id":"GHSA-aaaa-1","modified":"2024-01-01T00:00:00Z"},{"id":"GHSA-aaaa-2"},{"id":"GHSA-aaaa-3","modified":"2024-01-01T00:00:00Z"}]' >"$T/mixed/sub/deeper/arr.json"
printf '{"id": "GHSA-bbbb-1",' >"$T/mixed/broken.json"
printf 'not even json' >"$T/mixed/notes.txt"
dk vulndb import "$C" "$T/mixed"
expect_rc 0 "a directory with some valid records imports"
expect_err "the invalid member is named by its index" \
	"arr.json': record 1 'GHSA-aaaa-2' skipped: record: 'modified' is required" \
	"broken.json': not JSON (line 1, column"
expect_out "and counted" "3 records read from 2 files: 2 added, 0 replaced, 0 kept (not newer than the case's), 1 invalid skipped, 1 file not read"
expect_eq "files that are not *.json are not read" "" \
	"$(grep -F notes.txt "$T/.err")"

# Nothing valid: refused, case unchanged.
before=$(case_state "$C")
dk vulndb import "$C" "$T/mixed/broken.json" "$OSV/nointroduced-CVE-2023-41045.json"
expect_rc 1 "no valid record: exit 1"
expect_eq "and the case is unchanged" "$before" "$(case_state "$C")"
dk vulndb import "$C" "$T/missing.json"
expect_rc 1 "a missing operand fails"
expect_err "naming it" "cannot open '$T/missing.json'"
expect_eq "and changes nothing" "$before" "$(case_state "$C")"
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >"$T/big.json"
dk vulndb import "$C" "$T/big.json"
expect_rc 1 "a file over 16 MiB is not read"
expect_err "and says so" "larger than 16 MiB"
# A record given through a pipe (process substitution).
run "$DRYDOCK" vulndb import "$C" <(printf '{"id":"GHSA-cccc-1","modified":"2024-01-01T00:00:00Z"}')
expect_rc 0 "a record from a pipe imports"
expect_ok=$(q "$C" "select count(*) from vulns where id = 'GHSA-cccc-1'")
expect_eq "and is stored" 1 "$expect_ok"
dk verify "$C"
expect_rc 0 "the case verifies after the imports"

# ---- the analyzer ----

A=$T/a.dd
dk init "$A"
dk ingest "$A" "$ALPINE"
expect_rc 0 "alpine 3.10 imports"

mkdir -p "$T/recs"
cat >"$T/recs/openssl.json" <<'EOF'
[{"id": "ALPINE-CVE-2020-1967", "modified": "2020-04-22T00:00:00Z",
  "summary": "openssl SSL_check_chain NULL dereference",
  "aliases": ["CVE-2020-1967"],
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
  "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "openssl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1g-r0"}]}]}]},
 {"id": "ALPINE-CVE-2019-1543", "modified": "2019-06-01T00:00:00Z",
  "summary": "fixed before 3.10 shipped",
  "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "openssl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1c-r0"}]}]}]}]
EOF
cat >"$T/recs/busybox.json" <<'EOF'
{"id": "ALPINE-CVE-2019-5747", "modified": "2020-01-01T00:00:00Z",
 "summary": "busybox udhcp out-of-bounds read",
 "database_specific": {"severity": "HIGH"},
 "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "busybox"},
   "versions": ["1.30.1-r2", "1.30.1-r3"]}]}
EOF
cat >"$T/recs/musl.json" <<'EOF'
[{"id": "OSV-2099-0001", "modified": "2020-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Alpine", "name": "musl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.1.20-r0"}, {"last_affected": "1.1.22-r3"}]}]}]},
 {"id": "OSV-2099-0002", "modified": "2020-01-01T00:00:00Z", "withdrawn": "2020-02-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Alpine", "name": "musl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
 {"id": "OSV-2099-0003", "modified": "2020-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Debian", "name": "musl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]},
 {"id": "OSV-2099-0004", "modified": "2020-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Alpine", "name": "zlib"},
    "ranges": [{"type": "GIT", "repo": "https://github.com/madler/zlib",
      "events": [{"introduced": "0"}]}]}]},
 {"id": "OSV-2099-0005", "modified": "2020-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Alpine", "name": "zlib"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"limit": "1.2.11-r0"}]}]}]}]
EOF
cat >"$T/recs/debian.json" <<'EOF'
{"id": "DSA-9999-1", "modified": "2024-01-01T00:00:00Z", "summary": "openssl update",
 "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}],
 "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]}]}]}
EOF
dk vulndb import "$A" "$OSV" "$T/recs"
expect_rc 0 "the fixtures and the hand-written records import"
dk analyze "$A"
expect_rc 0 "analyze runs"
expect_out "the vuln analyzer reports" "vuln "
cat >"$T/want1" <<'EOF'
vuln.package,busybox 1.30.1-r3 is affected by ALPINE-CVE-2019-5747
vuln.package,libcrypto1.1 1.1.1d-r2 is affected by ALPINE-CVE-2020-1967
vuln.package,libssl1.1 1.1.1d-r2 is affected by ALPINE-CVE-2020-1967
vuln.package,musl 1.1.22-r3 is affected by OSV-2099-0001
vuln.package,musl-utils 1.1.22-r3 is affected by OSV-2099-0001
vuln.package,ssl_client 1.30.1-r3 is affected by ALPINE-CVE-2019-5747
EOF
q "$A" "select rule, title from findings where analyzer = 'vuln' order by title" >"$T/got1"
if diff "$T/want1" "$T/got1" >"$T/d1"; then
	ok "alpine 3.10: exactly the covered packages (ranges, a versions list, binaries through their source; not fixed-before, withdrawn, other-ecosystem, GIT-only or past-limit records)"
else
	fail_only "alpine 3.10 findings differ"
	sed 's/^/      | /' "$T/d1"
fi
expect_eq "severity from CVSS v3 (7.5), the database's HIGH, and the default" \
	"busybox high|libcrypto1.1 high|musl medium" \
	"$(q "$A" "select group_concat(substr(title, 1, instr(title, ' ') - 1) || ' ' || severity, '|') from (select title, severity from findings where analyzer = 'vuln' and (title like 'busybox %' or title like 'libcrypto1.1 %' or title like 'musl 1%') order by title)")"
D1=$(q "$A" "select detail from findings where analyzer = 'vuln' and title like 'libcrypto1.1 %'")
case $D1 in
*"built from source package openssl"*"[introduced 0, fixed 1.1.1g-r0)"*"fixed in 1.1.1g-r0"*"sha256:531743b7098cb2aaf615641007a129173f63ed86ca32fe7b5a246a1c47286028"*"history step 0: /bin/sh -c #(nop) ADD file:d48cac34"*"/lib/apk/db/installed"*"CVSS v3 base score (7.5)"*"scoped to Alpine:v3.10"*)
	ok "the detail names the range, the fix, the layer, the Dockerfile step and the severity's source" ;;
*) fail_only "libcrypto1.1's detail lacks something: $D1" ;;
esac
D2=$(q "$A" "select detail from findings where analyzer = 'vuln' and title like 'musl 1%'")
case $D2 in
*"[introduced 1.1.20-r0, last affected 1.1.22-r3]"*"names no fixed version"*) ok "a last_affected range is described" ;;
*) fail_only "musl's detail: $D2" ;;
esac
expect_eq "evidence: the pair, the packages row and the vulns row" \
	"vuln_match:1:libcrypto1.1:1.1.1d-r2:ALPINE-CVE-2020-1967|packages:1:libcrypto1.1:1.1.1d-r2|vulns:ALPINE-CVE-2020-1967" \
	"$(q "$A" "select group_concat(relation || ':' || key, '|') from (select relation, key from finding_evidence e join findings f on f.id = e.finding_id where f.analyzer = 'vuln' and f.title like 'libcrypto1.1 %' order by ord)")"
expect_eq "no ATT&CK technique" "[]" \
	"$(q "$A" "select distinct attack from findings where analyzer = 'vuln'")"
ids1=$(q "$A" "select id from findings where analyzer = 'vuln' order by id")
dk analyze "$A" --only vuln
expect_eq "re-analysis gives the same finding ids" "$ids1" \
	"$(q "$A" "select id from findings where analyzer = 'vuln' order by id")"
dk report "$A" --format json -o "$T/r.json"
expect_rc 0 "the report writes"
expect_eq "the report carries the findings" 6 \
	"$("$PY" -c 'import json,sys; print(sum(1 for f in json.load(open(sys.argv[1]))["findings"] if f["analyzer"] == "vuln"))' "$T/r.json")"

# Two images built here: fixed versions (quiet), and Debian + PyPI over
# two layers.
cat >"$T/build.py" <<'EOF'
import hashlib, io, json, sys, tarfile
def tar_bytes(files):
    b = io.BytesIO()
    t = tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT)
    for name, data in files:
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        ti.mtime = 1700000000
        t.addfile(ti, io.BytesIO(data))
    t.close()
    return b.getvalue()
def archive(path, tag, layers, steps):
    diff_ids = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
    cfg = {"architecture": "amd64", "os": "linux", "config": {},
           "rootfs": {"type": "layers", "diff_ids": diff_ids},
           "history": [{"created_by": s} for s in steps]}
    cb = json.dumps(cfg).encode()
    cd = hashlib.sha256(cb).hexdigest()
    man = [{"Config": cd + ".json", "RepoTags": [tag],
            "Layers": [d[7:] + "/layer.tar" for d in diff_ids]}]
    t = tarfile.open(path, "w")
    def add(name, data):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    for d, l in zip(diff_ids, layers):
        add(d[7:] + "/layer.tar", l)
    add(cd + ".json", cb)
    add("manifest.json", json.dumps(man).encode())
    t.close()
def apk(pkgs):
    return "".join("P:%s\nV:%s\nA:x86_64\no:%s\n\n" % p for p in pkgs).encode()
archive(sys.argv[1], "fixed:1", [tar_bytes([("lib/apk/db/installed", apk([
    ("musl", "1.1.24-r10", "musl"), ("busybox", "1.31.1-r20", "busybox"),
    ("libcrypto1.1", "1.1.1k-r0", "openssl"), ("zlib", "1.2.11-r3", "zlib")]))])],
    ["/bin/sh -c #(nop) ADD file:fixed in /"])
status = (b"Package: libssl3\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u1\n"
          b"Architecture: amd64\nSource: openssl\n\n"
          b"Package: openssl\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n"
          b"Architecture: amd64\n\n")
meta = b"Metadata-Version: 2.1\nName: gradio\nVersion: 4.36.1\n\n"
archive(sys.argv[2], "mixed:1", [
    tar_bytes([("var/lib/dpkg/status", status)]),
    tar_bytes([("usr/lib/python3/site-packages/gradio-4.36.1.dist-info/METADATA", meta)])],
    ["/bin/sh -c #(nop) ADD file:debian in /", "RUN pip install gradio==4.36.1"])
EOF
"$PY" "$T/build.py" "$T/fixed.tar" "$T/mixed.tar"
dk ingest "$A" "$T/fixed.tar" "$T/mixed.tar"
expect_rc 0 "the two built images import"
IMG2=$(q "$A" "select id from images where ref = 'fixed:1'")
IMG3=$(q "$A" "select id from images where ref = 'mixed:1'")
expect_eq "the fixed image has the same package names" 4 \
	"$(q "$A" "select count(*) from packages where image_id = $IMG2 and name in ('musl', 'busybox', 'libcrypto1.1', 'zlib')")"
dk analyze "$A" --only vuln
expect_rc 0 "analyze with three images"
expect_eq "the image with fixed versions stays quiet" 0 \
	"$(q "$A" "select count(*) from finding_evidence e join findings f on f.id = e.finding_id where f.analyzer = 'vuln' and e.relation = 'packages' and e.key like '$IMG2:%'")"
expect_eq "alpine 3.10 keeps its six" 6 \
	"$(q "$A" "select count(*) from finding_evidence e join findings f on f.id = e.finding_id where f.analyzer = 'vuln' and e.relation = 'packages' and e.key like '1:%'")"
cat >"$T/want3" <<'EOF'
gradio 4.36.1 is affected by GHSA-9v2f-6vcg-3hgv,critical
libssl3 3.0.11-1~deb12u1 is affected by DSA-9999-1,high
EOF
q "$A" "select f.title, f.severity from findings f join finding_evidence e on e.finding_id = f.id where f.analyzer = 'vuln' and e.relation = 'packages' and e.key like '$IMG3:%' order by f.title" >"$T/got3"
if diff "$T/want3" "$T/got3" >"$T/d3"; then
	ok "Debian through the source package with a tilde version (the fixed one quiet), PyPI 'Gradio' as 'gradio'"
else
	fail_only "the mixed image's findings differ"
	sed 's/^/      | /' "$T/d3"
fi
D3=$(q "$A" "select detail from findings where analyzer = 'vuln' and title like 'gradio %'")
case $D3 in
*"lists version 4.36.1 as affected"*"history step 1: RUN pip install gradio==4.36.1"*"gradio-4.36.1.dist-info/METADATA"*"CVSS v3 base score (9.8)"*)
	ok "the PyPI finding names the pip install step of the second layer" ;;
*) fail_only "gradio's detail: $D3" ;;
esac

# A newer record that moves the fix below the installed version removes
# the finding; withdrawing another removes its findings.
cat >"$T/upd.json" <<'EOF'
[{"id": "ALPINE-CVE-2020-1967", "modified": "2021-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "openssl"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1d-r0"}]}]}]},
 {"id": "ALPINE-CVE-2019-5747", "modified": "2021-01-01T00:00:00Z",
  "withdrawn": "2021-01-01T00:00:00Z",
  "affected": [{"package": {"ecosystem": "Alpine:v3.10", "name": "busybox"},
    "versions": ["1.30.1-r3"]}]}]
EOF
dk vulndb import "$A" "$T/upd.json"
expect_out "the updates replace" "0 added, 2 replaced"
dk analyze "$A" --only vuln
expect_eq "alpine 3.10 now has only the musl findings" \
	"musl 1.1.22-r3 is affected by OSV-2099-0001|musl-utils 1.1.22-r3 is affected by OSV-2099-0001" \
	"$(q "$A" "select group_concat(title, '|') from (select title from findings f join finding_evidence e on e.finding_id = f.id where f.analyzer = 'vuln' and e.relation = 'packages' and e.key like '1:%' order by title)")"

# An image case with no records: the analyzer runs and finds nothing.
E=$T/e.dd
dk init "$E"
dk ingest "$E" "$T/fixed.tar"
dk analyze "$E" --only vuln
expect_rc 0 "no records: analyze still succeeds"
expect_out "with no findings" "vuln         0 findings"

t_done
