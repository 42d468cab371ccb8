#!/usr/bin/env bash
# 0610-sbom: `drydock sbom` (CycloneDX 1.5 and SPDX 2.3 JSON).
#
# For trivy's alpine-310.tar.gz and dive's test-docker-image.tar (no
# packages), when $FIX has them, and for an archive made here (an apk
# database over two layers with hostile names, duplicate packages and
# licences of every shape): both formats validate against the official
# JSON schemas (python3-jsonschema); the packages listed equal
# `drydock query` over `packages` and, for alpine, the P:/V: pairs of the
# image's lib/apk/db/installed read here with Python's tarfile; refs and
# SPDX ids are unique and every relationship resolves; licences are SPDX
# ids or expressions only when an independent check over the SPDX list
# agrees; the serial number is uuid5(URL, https://drydock.invalid/sbom/
# CONFIG/HEAD/ID); two runs with DRYDOCK_NOW fixed are byte-identical;
# the document is printable ASCII; nothing is written to the case;
# unknown images and bad options give 1 and 2.
set -u
. "$(dirname "$0")/../lib/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
SCH=$FIX/schemas
q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2; }

if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	fail_only "python3-jsonschema is not installed: ./build.sh deps"
	t_done
fi
HAVE_SCHEMAS=1
for f in cyclonedx-bom-1.5.schema.json cyclonedx-spdx.schema.json \
	cyclonedx-jsf-0.82.schema.json spdx-2.3-schema.json; do
	[ -f "$SCH/$f" ] || HAVE_SCHEMAS=0
done
[ "$HAVE_SCHEMAS" = 1 ] || echo "skip: no schemas under $SCH (schema validation)"

# ---- the checker: one Python run per document ----
cat >"$T/check.py" <<'EOF'
"""check.py FORMAT DOC CASE-ROWS SCHEMA-DIR|- : validate an SBOM.
CASE-ROWS: one JSON object per line (name, version, purl, license, path,
diff_id, created_by) from the case. Prints one line per problem."""
import json, re, sys

fmt, doc_path, rows_path, sdir = sys.argv[1:5]
raw = open(doc_path, "rb").read()
doc = json.loads(raw)
rows = [json.loads(l) for l in open(rows_path) if l.strip()]
bad = []

if any(b > 0x7e or (b < 0x20 and b != 0x0a) for b in raw):
    bad.append("bytes outside printable ASCII")
if not raw.endswith(b"}\n"):
    bad.append("does not end with '}\\n'")

lic_ids, exc_ids = {}, {}
if sdir != "-":
    ids = json.load(open(sdir + "/cyclonedx-spdx.schema.json"))["enum"]
    cut = ids.index("389-exception")  # licenses, then exceptions
    lic_ids = {i.lower(): i for i in ids[:cut]}
    exc_ids = {i.lower(): i for i in ids[cut:]}

def spdx_expr(s):
    """The canonical form of s if it is an SPDX expression over the list
    (operators upper case, no LicenseRef), else None."""
    toks = re.findall(r"\(|\)|[^\s()]+", s or "")
    out, pos = [], [0]
    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None
    def take():
        pos[0] += 1
        return toks[pos[0] - 1]
    def term(d):
        t = peek()
        if t == "(":
            if d >= 16:
                raise ValueError
            take(); out.append("(")
            expr(d + 1)
            if take() != ")":
                raise ValueError
            out.append(")")
            return
        if t is None or t in ("AND", "OR", "WITH", ")"):
            raise ValueError
        take()
        if t.lower() in lic_ids:
            out.append(lic_ids[t.lower()])
        elif t.endswith("+") and t[:-1].lower() in lic_ids:
            out.append(lic_ids[t[:-1].lower()] + "+")
        else:
            raise ValueError
        if peek() == "WITH":
            take()
            e = peek()
            if e is None or e.lower() not in exc_ids:
                raise ValueError
            take(); out.append("WITH"); out.append(exc_ids[e.lower()])
    def conj(d):
        term(d)
        while peek() == "AND":
            take(); out.append("AND"); term(d)
    def expr(d):
        conj(d)
        while peek() == "OR":
            take(); out.append("OR"); conj(d)
    try:
        expr(0)
        if pos[0] != len(toks):
            raise ValueError
    except (ValueError, IndexError):
        return None
    return " ".join(out).replace("( ", "(").replace(" )", ")")

if sdir != "-":
    import jsonschema
    if fmt == "cyclonedx":
        schema = json.load(open(sdir + "/cyclonedx-bom-1.5.schema.json"))
        spdx = json.load(open(sdir + "/cyclonedx-spdx.schema.json"))
        jsf = json.load(open(sdir + "/cyclonedx-jsf-0.82.schema.json"))
        base = "http://cyclonedx.org/schema/"
        store = {base + "spdx.schema.json": spdx,
                 base + "jsf-0.82.schema.json": jsf,
                 "spdx.schema.json": spdx, "jsf-0.82.schema.json": jsf}
    else:
        schema = json.load(open(sdir + "/spdx-2.3-schema.json"))
        store = {}
    cls = jsonschema.validators.validator_for(schema)
    try:
        from referencing import Registry, Resource
        reg = Registry().with_resources(
            (k, Resource.from_contents(v)) for k, v in store.items())
        v = cls(schema, registry=reg, format_checker=cls.FORMAT_CHECKER)
    except ImportError:
        res = jsonschema.RefResolver(schema.get("$id", ""), schema,
                                     store=store)
        v = cls(schema, resolver=res, format_checker=cls.FORMAT_CHECKER)
    for e in sorted(v.iter_errors(doc), key=lambda e: list(e.path)):
        bad.append("schema: %s at %s" % (e.message[:200], list(e.path)))

def key(r):
    return (r["name"], r["version"])

want = sorted(key(r) for r in rows)
if fmt == "cyclonedx":
    comps = doc.get("components", [])
    got = sorted((c["name"], c.get("version", "")) for c in comps)
    refs = [c["bom-ref"] for c in comps]
    img = doc["metadata"]["component"]["bom-ref"]
    if len(set(refs + [img])) != len(refs) + 1:
        bad.append("bom-refs are not unique")
    deps = doc.get("dependencies", [])
    if len(deps) != 1 or deps[0]["ref"] != img or \
            sorted(deps[0]["dependsOn"]) != sorted(refs):
        bad.append("dependencies: the image does not depend on every package")
    if not re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-"
                        r"[89ab][0-9a-f]{3}-[0-9a-f]{12}", doc["serialNumber"]):
        bad.append("serial number is not a version 5 UUID URN")
    # Sorted by purl then name (rows come in the writer's order).
    order = [(c.get("purl", ""), c["name"]) for c in comps]
    if order != sorted(order, key=lambda x: (x[0].encode(), x[1].encode())):
        bad.append("components are not sorted by purl then name")
    # Row by row (both lists are in the writer's order: purl, name, ...).
    if len(comps) == len(rows):
        for c, r in zip(comps, rows):
            props = {}
            for p in c.get("properties", []):
                props.setdefault(p["name"], p["value"])
            for k, n in (("path", "drydock:package_db"),
                         ("diff_id", "drydock:layer_diff_id"),
                         ("created_by", "drydock:created_by")):
                if (r[k] or None) != props.get(n):
                    bad.append("%s: %s is %r, the case says %r" %
                               (c["name"], n, props.get(n), r[k]))
            if (r["purl"] or None) != c.get("purl"):
                bad.append("%s: purl %r != %r" % (c["name"], c.get("purl"), r["purl"]))
            lic = r["license"] or ""
            canon = spdx_expr(lic) if lic_ids else None
            ls = c.get("licenses")
            if not lic:
                exp = None
            elif canon is None:
                exp = [{"license": {"name": lic}}]
            elif re.fullmatch(r"[^\s()]+", canon) and canon.lower() in lic_ids:
                exp = [{"license": {"id": canon}}]
            else:
                exp = [{"expression": canon}]
            if lic_ids and ls != exp:
                bad.append("%s: licenses %r, expected %r (from %r)" %
                           (c["name"], ls, exp, lic))
else:
    pk = doc["packages"]
    ids = [p["SPDXID"] for p in pk]
    if len(set(ids)) != len(ids):
        bad.append("SPDXIDs are not unique")
    for i in ids:
        if not re.fullmatch(r"SPDXRef-[A-Za-z0-9.-]+", i):
            bad.append("bad SPDXID %r" % i)
    img = [p for p in pk if p["SPDXID"] == "SPDXRef-Image"]
    rest = [p for p in pk if p["SPDXID"] != "SPDXRef-Image"]
    got = sorted((p["name"], p.get("versionInfo", "")) for p in rest)
    rel = doc["relationships"]
    known = set(ids) | {"SPDXRef-DOCUMENT"}
    for r in rel:
        if r["spdxElementId"] not in known or r["relatedSpdxElement"] not in known:
            bad.append("relationship to an unknown element: %r" % r)
    if {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-Image"} not in rel or len(img) != 1:
        bad.append("the document does not describe the image")
    contained = sorted(r["relatedSpdxElement"] for r in rel
                       if r["spdxElementId"] == "SPDXRef-Image" and
                       r["relationshipType"] == "CONTAINS")
    if contained != sorted(p["SPDXID"] for p in rest):
        bad.append("the image does not CONTAIN every package")
    if not re.fullmatch(r"https://drydock\.invalid/spdx/sha256:[0-9a-f]{64}-"
                        r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                        r"[0-9a-f]{12}", doc["documentNamespace"]):
        bad.append("documentNamespace %r" % doc["documentNamespace"])
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                        doc["creationInfo"]["created"]):
        bad.append("created is not YYYY-MM-DDThh:mm:ssZ")
    if len(rest) == len(rows):
        for p, r in zip(rest, rows):
            lic = r["license"] or ""
            canon = spdx_expr(lic) if lic_ids else None
            exp = canon if canon is not None else "NOASSERTION"
            if lic_ids and p["licenseDeclared"] != exp:
                bad.append("%s: licenseDeclared %r, expected %r (from %r)" %
                           (p["name"], p["licenseDeclared"], exp, lic))
            refs = [x["referenceLocator"] for x in p.get("externalRefs", [])
                    if x["referenceType"] == "purl"]
            if refs != ([r["purl"]] if r["purl"] else []):
                bad.append("%s: purl refs %r != %r" % (p["name"], refs, r["purl"]))
if got != want:
    bad.append("packages differ from the case: %d listed, %d in the case; "
               "only listed %r; only in the case %r" %
               (len(got), len(want), sorted(set(got) - set(want))[:5],
                sorted(set(want) - set(got))[:5]))
for b in bad[:30]:
    print(b)
print("%d problems, %d packages" % (len(bad), len(got)))
EOF

# case_rows CASE ID OUT: the image's packages as the writer orders them,
# one JSON object per line.
case_rows() {
	"$DRYDOCK" query --format json "$1" "SELECT p.name, p.version, p.purl,
		p.license, p.path, l.diff_id, (SELECT il.created_by FROM
		image_layers il WHERE il.image_id = p.image_id AND il.layer_id =
		p.layer_id ORDER BY il.idx LIMIT 1) AS created_by FROM packages p
		LEFT JOIN layers l ON l.id = p.layer_id WHERE p.image_id = $2
		ORDER BY p.purl, p.name, p.version, p.ecosystem, p.path,
		p.layer_id, p.arch, p.source, p.license" 2>"$T/.qerr" |
		"$PY" -c 'import json,sys
for r in json.load(sys.stdin): print(json.dumps(r))' >"$3"
}

# validate DESC FORMAT DOC CASE ID: the checker finds no problem.
validate() {
	local desc=$1 fmt=$2 doc=$3 c=$4 id=$5 sd=-
	[ "$HAVE_SCHEMAS" = 1 ] && sd=$SCH
	case_rows "$c" "$id" "$T/rows.$id"
	if "$PY" "$T/check.py" "$fmt" "$doc" "$T/rows.$id" "$sd" >"$T/chk" 2>&1 &&
		grep -q '^0 problems' "$T/chk"; then
		ok "$desc ($(tail -n 1 "$T/chk" | sed 's/^0 problems, //')$([ "$sd" = - ] || echo ', schema-valid'))"
	else
		fail_only "$desc"
		head -n 30 "$T/chk" | sed 's/^/      | /'
	fi
}

# uuid5 CASE ID: the serial number the case should give image ID.
uuid5() {
	local cfg head
	cfg=$(q "$1" "select config_digest from images where id = $2")
	head=$(head_of "$1")
	"$PY" -c 'import sys, uuid
print(uuid.uuid5(uuid.NAMESPACE_URL, "https://drydock.invalid/sbom/%s/%s/%s" % tuple(sys.argv[1:4])))' \
		"$cfg" "$head" "$2"
}

# ---- usage and errors ----
C=$T/c.dd
dk init "$C"
expect_rc 0 "init"
dk sbom --help
expect_rc 0 "sbom --help"
expect_out "the help teaches by example" "Examples:" \
	"drydock sbom case.drydock --image 1 --format spdx"
dk sbom "$C" --image 1
expect_rc 1 "an unknown image is a failure"
expect_err "and says which" "no image with id 1 in the case"
dk sbom "$C" --image 1 --format xml
expect_rc 2 "an unknown format is a usage error"
expect_err "naming the formats" "unknown format 'xml' (cyclonedx or spdx)"
dk sbom "$C"
expect_rc 2 "--image is required"
dk sbom "$C" --image one
expect_rc 2 "--image takes an id"
dk sbom "$C" "$C" --image 1
expect_rc 2 "one CASE operand"
dk sbom "$T/nope.dd" --image 1
expect_rc 1 "a missing case is a failure"

# ---- an archive made here: two layers of apk database ----
"$PY" - "$T/made.tar" <<'EOF'
import hashlib, io, json, sys, tarfile

def layer(files):
    b = io.BytesIO()
    t = tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT)
    for name, data in files:
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    t.close()
    return b.getvalue()

def apk(pkgs):
    out = b""
    for p in pkgs:
        for k, v in p:
            out += k.encode() + b":" + v + b"\n"
        out += b"\n"
    return out

base = [[("P", b"musl"), ("V", b"1.2.3-r0"), ("A", b"x86_64"), ("L", b"MIT")]]
more = base + [
    [("P", b"dup"), ("V", b"1.0-r0"), ("L", b"mit")],
    [("P", b"dup"), ("V", b"1.0-r0"), ("L", b"MIT")],
    [("P", b"expr"), ("V", b"2-r0"),
     ("L", b"(mit  OR apache-2.0) AND GPL-2.0-or-later WITH classpath-exception-2.0")],
    [("P", b"plus"), ("V", b"3-r0"), ("L", b"Apache-2.0+")],
    [("P", b"deprecated"), ("V", b"4-r0"), ("L", b"GPL-2.0+")],
    [("P", b"paren"), ("V", b"5-r0"), ("L", b"(MIT)")],
    [("P", b"ref"), ("V", b"6-r0"), ("L", b"LicenseRef-mine")],
    [("P", b"lower-op"), ("V", b"7-r0"), ("L", b"MIT and BSD-2-Clause")],
    [("P", b"dangling"), ("V", b"8-r0"), ("L", b"MIT AND")],
    [("P", b"old-style"), ("V", b"9-r0"), ("L", b"MIT BSD GPL2+")],
    [("P", b"deep"), ("V", b"10-r0"), ("L", b"(" * 20 + b"MIT" + b")" * 20)],
    [("P", b"with-license"), ("V", b"11-r0"), ("L", b"MIT WITH Apache-2.0")],
    [("P", b"nolicense"), ("V", b"12-r0")],
    [("P", b"evil\x1b[31mred"), ("V", b"1\xff\xfe-r0"),
     ("L", b"\x1b]0;title\x07 \xc2\x9b2J")],
    [("P", b"sp ace/slash"), ("V", b"1_2"), ("L", b"0bsd")],
]
layers = [layer([("lib/apk/db/installed", apk(base))]),
          layer([("lib/apk/db/installed", apk(more))])]
diff = ["sha256:" + hashlib.sha256(l).hexdigest() for l in layers]
cfg = json.dumps({"architecture": "amd64", "os": "linux",
                  "config": {"Env": ["PATH=/bin"]},
                  "rootfs": {"type": "layers", "diff_ids": diff},
                  "history": [{"created_by": "step one: base"},
                              {"created_by": "step two: \x1b[2J \u009b more"}]}).encode()
cd = hashlib.sha256(cfg).hexdigest()
man = json.dumps([{"Config": cd + ".json", "RepoTags": ["made:1"],
                   "Layers": [d[7:] + "/layer.tar" for d in diff]}]).encode()
t = tarfile.open(sys.argv[1], "w")
for name, data in [(d[7:] + "/layer.tar", l) for d, l in zip(diff, layers)] + \
        [(cd + ".json", cfg), ("manifest.json", man)]:
    ti = tarfile.TarInfo(name)
    ti.size = len(data)
    t.addfile(ti, io.BytesIO(data))
t.close()
EOF
dk ingest "$C" "$T/made.tar"
expect_rc 0 "the made archive imports"
M=$(q "$C" "select id from images where ref = 'made:1'")
N=$(q "$C" "select count(*) from packages where image_id = $M")
expect_eq "its packages are in the case" 16 "$N"

before=$(case_state "$C")
for fmt in cyclonedx spdx; do
	dk sbom "$C" --image "$M" --format "$fmt" -o "$T/made.$fmt.json"
	expect_rc 0 "made: sbom --format $fmt"
	expect_err "made: $fmt: the summary on stderr" "sbom: image $M, 16 packages"
	validate "made: $fmt is valid and lists the case's packages" \
		"$fmt" "$T/made.$fmt.json" "$C" "$M"
done
expect_eq "sbom writes nothing to the case" "$before" "$(case_state "$C")"

jqp() { "$PY" -c 'import json,sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[2])' "$@"; }
got=$(jqp "$T/made.cyclonedx.json" '
for c in d["components"]:
    if c["name"] == "dup": print(c["bom-ref"])')
expect_eq "made: duplicate packages get distinct bom-refs" \
	"pkg:apk/alpine/dup@1.0-r0
pkg:apk/alpine/dup@1.0-r0#2" "$got"
got=$(jqp "$T/made.spdx.json" '
for p in d["packages"]:
    if p["name"] in ("dup", "sp ace/slash"): print(p["SPDXID"])')
expect_eq "made: SPDX ids are sanitised and unique" \
	"SPDXRef-Package-dup-1.0-r0
SPDXRef-Package-dup-1.0-r0-2
SPDXRef-Package-sp-ace-slash-1-2" "$(echo "$got" | sort)"
got=$(jqp "$T/made.cyclonedx.json" '
for c in d["components"]:
    if c["name"] in ("expr", "plus", "deprecated", "paren", "ref", "deep", "sp ace/slash"):
        print(c["name"], json.dumps(c["licenses"], sort_keys=True))')
expect_eq "made: licences: ids, expressions (canonical case), names" \
	'deep [{"license": {"name": "((((((((((((((((((((MIT))))))))))))))))))))"}}]
deprecated [{"license": {"id": "GPL-2.0+"}}]
expr [{"expression": "(MIT OR Apache-2.0) AND GPL-2.0-or-later WITH Classpath-exception-2.0"}]
paren [{"expression": "(MIT)"}]
plus [{"expression": "Apache-2.0+"}]
ref [{"license": {"name": "LicenseRef-mine"}}]
sp ace/slash [{"license": {"id": "0BSD"}}]' "$(echo "$got" | sort)"
got=$(jqp "$T/made.cyclonedx.json" '
for c in d["components"]:
    if c["name"] in ("musl", "plus"):
        p = {x["name"]: x["value"] for x in c["properties"]}
        print(c["name"], p["drydock:created_by"])')
expect_eq "made: each package names the step of the layer that first shipped it" \
	"musl step one: base
plus step two: \\x1b[2J \\u009b more" \
	"$(echo "$got" | sort | sed -e 's/\x1b/\\x1b/' -e 's/\xc2\x9b/\\u009b/')"
# The importer already shows control bytes in package fields as \xNN;
# history text comes raw: ESC and the C1 CSI must leave \u-escaped.
if grep -qF 'step two: \u001B[2J \u009B more' "$T/made.cyclonedx.json" &&
	grep -qF 'evil\\x1b[31mred' "$T/made.cyclonedx.json"; then
	ok "made: control bytes and C1 controls are \\u-escaped"
else
	fail_only "made: control bytes and C1 controls are \\u-escaped"
	grep -n 'evil\|step two' "$T/made.cyclonedx.json" | head -5 | cat -v
fi

# Determinism: same bytes with the time fixed; only the time moves.
dk sbom "$C" --image "$M" --format spdx -o -
if cmp -s "$T/.out" "$T/made.spdx.json"; then
	ok "made: -o - writes the same document"
else
	fail_only "made: -o - writes the same document"
fi
for fmt in cyclonedx spdx; do
	"$DRYDOCK" -q sbom "$C" --image "$M" --format "$fmt" >"$T/again" 2>/dev/null
	if cmp -s "$T/again" "$T/made.$fmt.json"; then
		ok "made: $fmt: a second run is byte-identical"
	else
		fail_only "made: $fmt: a second run is byte-identical"
	fi
	DRYDOCK_NOW=2030-06-07T08:09:10.5Z "$DRYDOCK" -q sbom "$C" --image "$M" \
		--format "$fmt" >"$T/later" 2>/dev/null
	d=$(diff "$T/made.$fmt.json" "$T/later" | grep '^>')
	expect_eq "made: $fmt: another DRYDOCK_NOW changes the time only" \
		1 "$(echo "$d" | grep -c '"2030-06-07T08:09:10Z"')"
	expect_eq "made: $fmt: ... and nothing else" 1 "$(echo "$d" | wc -l)"
done
serial=$(jqp "$T/made.cyclonedx.json" 'print(d["serialNumber"])')
expect_eq "made: the serial number is uuid5 of config digest, custody head and id" \
	"urn:uuid:$(uuid5 "$C" "$M")" "$serial"
ns=$(jqp "$T/made.spdx.json" 'print(d["documentNamespace"])')
expect_eq "made: the SPDX namespace carries the same UUID" \
	"https://drydock.invalid/spdx/$(q "$C" "select config_digest from images where id = $M")-$(uuid5 "$C" "$M")" \
	"$ns"

# ---- fixtures: alpine 3.10 (apk) and dive's image (no packages) ----
ALP=$FIX/image/trivy/alpine-310.tar.gz
DIVE=$FIX/image/dive/test-docker-image.tar
if [ ! -f "$ALP" ] || [ ! -f "$DIVE" ]; then
	echo "skip: $ALP or $DIVE missing (fixture SBOMs)"
	t_done
fi
dk ingest "$C" "$ALP" "$DIVE"
expect_rc 0 "alpine and dive import"
A=$(q "$C" "select id from images where ref = 'alpine:3.10'")
V=$(q "$C" "select id from images where ref = 'dive-test:latest'")
expect_ne "both images are there" "" "$A$V"
s2=$(jqp "$T/made.cyclonedx.json" 'print(d["serialNumber"])')
"$DRYDOCK" -q sbom "$C" --image "$M" >"$T/after" 2>/dev/null
expect_ne "a changed case gives a new serial number" "$s2" \
	"$(jqp "$T/after" 'print(d["serialNumber"])')"

# The apk database of the image, read from the archive here.
"$PY" - "$ALP" >"$T/apk.txt" <<'EOF'
import gzip, io, json, sys, tarfile
outer = tarfile.open(sys.argv[1], "r:*")
man = json.load(outer.extractfile("manifest.json"))
db = None
for l in man[0]["Layers"]:
    lt = tarfile.open(fileobj=io.BytesIO(outer.extractfile(l).read()), mode="r:*")
    for m in lt.getmembers():
        if m.name.lstrip("./") == "lib/apk/db/installed" and m.isfile():
            db = lt.extractfile(m).read().decode()
pairs, p = [], {}
for line in (db or "").split("\n") + [""]:
    if not line:
        if "P" in p:
            pairs.append("%s %s" % (p["P"], p.get("V", "")))
        p = {}
    elif line[1:2] == ":":
        p[line[0]] = line[2:]
print("\n".join(sorted(pairs)))
EOF
expect_eq "alpine: the apk database holds 14 packages" 14 "$(wc -l <"$T/apk.txt")"
expect_eq "alpine: the case's packages are the apk database's" \
	"$(cat "$T/apk.txt")" \
	"$(q "$C" "select name || ' ' || version from packages where image_id = $A" | sort)"
for fmt in cyclonedx spdx; do
	dk sbom "$C" --image "$A" --format "$fmt" -o "$T/alpine.$fmt.json"
	expect_rc 0 "alpine: sbom --format $fmt"
	validate "alpine: $fmt is valid and lists the case's packages" \
		"$fmt" "$T/alpine.$fmt.json" "$C" "$A"
	if [ "$fmt" = cyclonedx ]; then
		got=$(jqp "$T/alpine.$fmt.json" '
for c in d["components"]: print(c["name"], c["version"])' | sort)
	else
		got=$(jqp "$T/alpine.$fmt.json" '
for p in d["packages"][1:]: print(p["name"], p["versionInfo"])' | sort)
	fi
	expect_eq "alpine: $fmt lists the apk database's P:/V: pairs" \
		"$(cat "$T/apk.txt")" "$got"
	"$DRYDOCK" -q sbom "$C" --image "$A" --format "$fmt" >"$T/again" 2>/dev/null
	if cmp -s "$T/again" "$T/alpine.$fmt.json"; then
		ok "alpine: $fmt: a second run is byte-identical"
	else
		fail_only "alpine: $fmt: a second run is byte-identical"
	fi

	dk sbom "$C" --image "$V" --format "$fmt" -o "$T/dive.$fmt.json"
	expect_rc 0 "dive: sbom --format $fmt"
	expect_err "dive: no packages" "sbom: image $V, 0 packages"
	validate "dive: $fmt (no packages) is valid" \
		"$fmt" "$T/dive.$fmt.json" "$C" "$V"
done
got=$(jqp "$T/alpine.cyclonedx.json" '
m = d["metadata"]["component"]
print(m["type"], m["name"], m["version"], m["hashes"][0]["content"])')
expect_eq "alpine: the image is the container component" \
	"container alpine:3.10 $(q "$C" "select config_digest from images where id = $A") $(q "$C" "select substr(config_digest, 8) from images where id = $A")" \
	"$got"
got=$(jqp "$T/alpine.cyclonedx.json" '
print(sorted({p["value"] for c in d["components"] for p in c["properties"] if p["name"] == "drydock:layer_diff_id"}))')
expect_eq "alpine: every package comes from the one layer" \
	"['$(q "$C" "select l.diff_id from layers l join image_layers il on il.layer_id = l.id where il.image_id = $A")']" \
	"$got"
got=$(jqp "$T/alpine.cyclonedx.json" '
print(sorted({(c["name"], json.dumps(c.get("licenses"))) for c in d["components"] if c["name"] in ("zlib", "musl-utils")}))')
expect_eq "alpine: 'zlib' is the SPDX id Zlib, 'MIT BSD GPL2+' a name" \
	"[('musl-utils', '[{\"license\": {\"name\": \"MIT BSD GPL2+\"}}]'), ('zlib', '[{\"license\": {\"id\": \"Zlib\"}}]')]" \
	"$got"

t_done
