#!/usr/bin/env bash
# 0850-reports: every report format validates and escapes hostile text.
#
# A case of real escape findings (datasets/escape/rec/all.txt) plus a rule
# added as data whose title is a spreadsheet formula and a script tag and
# whose detail is the file names of datasets/strace/rec/names (a newline,
# ESC sequences, quotes, < and >, invalid UTF-8) and a correlated case.
# JSON and SARIF parse and carry their required fields, HTML is well
# formed, script-free and loads nothing, Timesketch lines carry message,
# datetime, timestamp and timestamp_desc, CSV is RFC 4180 with formula
# cells defused; no format lets a raw control byte or an unescaped '<'
# from evidence through; every format is deterministic and names the
# custody head.
set -u
. "$(dirname "$0")/../lib/lib.sh"

C=$T/case.drydock
dk init "$C"
dk ingest "$C" datasets/escape/rec/all.txt datasets/strace/rec/names/f-tt-yy.txt \
	datasets/correlate/rec/trace.txt datasets/correlate/rec/capture.pcap
mkdir -p "$T/rules"
cat >"$T/rules/hostile.yaml" <<'YAML'
- rule: "=cmd|' /C calc'!A0 <script>alert(1)</script>"
  id: test.hostile
  condition: evt.type = openat and fd.name contains dd-names and evt.is_open_write = true
  output: "=HYPERLINK(\"x\") %fd.name"
  severity: high
YAML
DRYDOCK_ESCAPE_RULES=$T/rules dk analyze "$C"
expect_rc 0 "analyze with a hostile rule"
n=$(sql "$C" "select count(*) from findings where rule = 'test.hostile'")
expect_ne "the hostile rule fired on the names recording" "0" "$n"
head=$(head_of "$C")

for f in md json csv html sarif timesketch; do
	dk report "$C" --format $f -o "$T/r.$f"
	expect_rc 0 "report --format $f"
	dk report "$C" --format $f -o "$T/r2.$f"
	check "$f: the same case gives the same bytes" cmp "$T/r.$f" "$T/r2.$f"
	check "$f: names the custody head" grep -qF "$head" "$T/r.$f"
	check "$f: no raw control byte (ESC, BEL...) from evidence" \
		/usr/bin/python3 -c 'import sys
b=open(sys.argv[1],"rb").read()
bad=[c for c in b if c<32 and c not in (9,10,13)]
assert not bad, bad[:5]' "$T/r.$f"
done
check "json: parses; one object per finding with the stable fields" /usr/bin/python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["custody_head"]
for f in d["findings"]:
    for k in ("id","analyzer","rule","severity","title","detail","ts","attack","evidence"):
        assert k in f, k
    assert f["severity"] in ("info","low","medium","high","critical")' "$T/r.json"
check "sarif: 2.1.0 with its required fields; rule indexes point at the rules" /usr/bin/python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
assert d["version"]=="2.1.0" and d["$schema"].endswith("sarif-2.1.0.json")
run=d["runs"][0]
drv=run["tool"]["driver"]
assert drv["name"]=="drydock"
ids=[r["id"] for r in drv["rules"]]
assert len(ids)==len(set(ids))
assert run["results"], "no results"
for r in run["results"]:
    assert r["message"]["text"]
    assert r["level"] in ("none","note","warning","error")
    assert ids[r["ruleIndex"]]==r["ruleId"]
assert run["properties"]["custody_head"]' "$T/r.sarif"
expect_eq "sarif: as many results as findings" "$(sql "$C" "select count(*) from findings")" \
	"$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$T/r.sarif")"
check "timesketch: every line has message, datetime, timestamp (us) and timestamp_desc" /usr/bin/python3 -c 'import json,sys
n=0
for line in open(sys.argv[1]):
    o=json.loads(line); n+=1
    assert o["message"] and o["timestamp_desc"]
    assert isinstance(o["timestamp"],int) and o["datetime"].endswith("Z")
assert n>0' "$T/r.timesketch"
expect_eq "timesketch: one line per finding with a time" "$(sql "$C" "select count(*) from findings where ts is not null")" \
	"$(wc -l < "$T/r.timesketch" | tr -d ' ')"
check "csv: RFC 4180, 12 columns, a row per finding, formula cells defused" /usr/bin/python3 -c 'import csv,sys
rows=list(csv.reader(open(sys.argv[1],newline="")))
assert rows[0][0]=="id" and rows[0][-1]=="custody_head"
for r in rows:
    assert len(r)==12, r
    for c in r:
        assert not c or c[0] not in "=+-@\t\r", c
assert int(sys.argv[2])==len(rows)-1' "$T/r.csv" "$(sql "$C" "select count(*) from findings")"
check "csv: the hostile title is there, behind a quote" grep -qF "\"'=cmd|' /C calc'!A0 <script>" "$T/r.csv"
check "html: well formed, no script, loads nothing, a CSP that forbids both" /usr/bin/python3 -c 'import sys,html.parser
src=open(sys.argv[1]).read()
assert "<script" not in src.lower(), "script"
assert "default-src &#39;none&#39;" in src or "default-src '"'"'none'"'"'" in src
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.st=[]; s.bad=[]
    def handle_starttag(s,t,a):
        for k,v in a:
            assert k not in ("src","href","onload","onerror","onclick"), (t,k)
        if t not in ("meta","br","img","input","link"): s.st.append(t)
    def handle_endtag(s,t):
        if not s.st or s.st[-1]!=t: s.bad.append(t)
        else: s.st.pop()
p=P(); p.feed(src)
assert not p.st and not p.bad, (p.st, p.bad[:5])
assert src.count("<svg")>=3, "charts"' "$T/r.html"
check "html: the hostile names come out as entities" grep -qF "lt&lt;gt&gt;" "$T/r.html"
check "html: the hostile title too" grep -qF "&lt;script&gt;alert(1)&lt;/script&gt;" "$T/r.html"
check "md: < and > from evidence as entities" grep -qF "lt&lt;gt&gt;" "$T/r.md"
dk report "$C" --format pdf
expect_rc 2 "an unknown format is a usage error"
expect_err "naming the formats" "md, json, csv, html, sarif or timesketch"
t_done
