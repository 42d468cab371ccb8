#!/usr/bin/env bash
# 0950-profile: `drydock profile` (issue 12), each kind against an
# independent checker:
#   seccomp    generated from the benign escape recording: libseccomp
#              compiles it (tests/oracle/seccomp_compile.c) and, loaded in
#              a child, allows a call of the trace and denies one it never
#              made; `check` of the trace against its own profile denies
#              nothing; another trace is denied exactly the calls the
#              profile lacks (set difference computed here).
#   what-if    the recorded escapes against moby's docker-default.json with
#              Docker's default capabilities: mount, unshare with new
#              namespaces, open_by_handle_at and module loading are denied
#              escape steps; with CAP_SYS_ADMIN mount is allowed.
#   apparmor   apparmor_parser -QT accepts the profile; every file the
#              trace read (outside escape steps) has a rule granting r;
#              `check` against it breaks no benign event.
#   netpolicy  YAML (python3-yaml) with the flows' peers and ports.
#   slim       equals the image's regular files (tests/oracle/image_fs.py,
#              bsdtar) minus the paths a handwritten trace touched, links
#              resolved here.
#   bad input  a profile that is not JSON, unknown syscall names (noted,
#              not fatal), AppArmor syntax the checker does not know
#              (refused naming the line), usage errors.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
REC=$PWD/datasets/escape/rec
INC=$PWD/datasets/sample-incident/evidence
DEF=$PWD/../shared/fixtures/seccomp/docker-default.json
[ -f "$DEF" ] || DEF=$PWD/tests/data/seccomp/docker-default.json
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi; }
q() { "$DRYDOCK" query --format csv "$1" "$2" | tail -n +2; }
dd() { "$DRYDOCK" -q "$@"; }

HELPER=$T/seccomp_compile
if ! cc -O2 -o "$HELPER" tests/oracle/seccomp_compile.c -lseccomp -ljansson; then
	bad "cannot build tests/oracle/seccomp_compile.c (libseccomp-dev)"
	echo "# $pass passed, $fail failed"
	exit 1
fi

# ---- seccomp from a benign trace ----
B=$T/benign.dd
dd init "$B" >/dev/null
dd ingest "$B" "$REC/benign.txt" >/dev/null 2>&1
dd profile seccomp "$B" -o "$T/benign.json" 2>"$T/e"
check "seccomp: generated (exit 0)" "$?" 0
check "seccomp: the documented fields" \
    "$(jq -r '[.defaultAction, .defaultErrnoRet, .archMap[0].architecture, (.syscalls | length > 0)] | join(" ")' "$T/benign.json")" \
    "SCMP_ACT_ERRNO 1 SCMP_ARCH_X86_64 true"
check "seccomp: the names are the trace's syscalls" \
    "$(jq -r '[.syscalls[].names[]] | unique | join(" ")' "$T/benign.json")" \
    "$(q "$B" "select group_concat(s, ' ') from (select distinct syscall s from events where kind = 'syscall' order by s)")"
out=$("$HELPER" "$T/benign.json" --probe 2>&1)
check "libseccomp compiles it; loaded, a traced call passes and acct is denied" \
    "$(echo "$out" | tr '\n' ' ')" \
    "compiled getpid $(jq -e '[.syscalls[].names[]] | index("getpid")' "$T/benign.json" >/dev/null && echo allowed || echo denied) acct denied "
dd profile check "$B" --seccomp "$T/benign.json" --format json >"$T/self.json"
check "check: the trace against its own profile denies nothing" \
    "$(jq -r '"\(.denied) \(.undecided) \(.events_checked > 0)"' "$T/self.json")" "0 0 true"
# another trace against the benign profile: exactly the calls it lacks
E=$T/esc.dd
dd init "$E" >/dev/null
dd ingest "$E" "$REC/all.txt" >/dev/null 2>&1
dd analyze "$E" >/dev/null 2>&1
dd profile check "$E" --seccomp "$T/benign.json" --format json >"$T/cross.json"
want=$(q "$E" "select count(*) from events where kind = 'syscall' and syscall not in ($(jq -r '[.syscalls[].names[]] | map("'"'"'" + . + "'"'"'") | join(",")' "$T/benign.json"))")
check "check: another trace is denied exactly the events of calls the profile lacks" \
    "$(jq .denied "$T/cross.json")" "$want"
[ "$want" -gt 0 ] && ok "(and there are some: $want)" || bad "the cross check denied nothing"

# ---- the what-if against docker-default.json ----
dd profile check "$E" --seccomp "$DEF" --caps default --format json >"$T/def.json"
check "docker-default: mount, unshare, open_by_handle_at, module loading are denied escape steps" \
    "$(jq -r '[.escape_steps_denied[].syscall] | unique | map(select(. == "mount" or . == "unshare" or . == "open_by_handle_at" or . == "init_module" or . == "finit_module")) | join(" ")' "$T/def.json")" \
    "finit_module init_module mount open_by_handle_at unshare"
check "docker-default: connect and openat escape steps are not denied" \
    "$(jq -r '[.escape_steps_denied[].syscall] | map(select(. == "connect" or . == "openat" or . == "write")) | length' "$T/def.json")" 0
check "docker-default: the unshare denials are the namespace-making ones" \
    "$(jq -r '[.escape_steps_denied[] | select(.syscall == "unshare") | .id] | length' "$T/def.json")" \
    "$(q "$E" "select count(*) from events where syscall = 'unshare' and id in (select cast(key as integer) from finding_evidence x join findings f on f.id = x.finding_id where f.rule like 'esc.%' and x.relation = 'events')")"
dd profile check "$E" --seccomp "$DEF" --caps CAP_SYS_ADMIN,CAP_DAC_READ_SEARCH,CAP_SYS_MODULE --format json >"$T/adm.json"
check "with CAP_SYS_ADMIN, DAC_READ_SEARCH and SYS_MODULE those calls pass" \
    "$(jq -r '[.escape_steps_denied[].syscall] | map(select(. == "mount" or . == "unshare" or . == "open_by_handle_at" or . == "init_module")) | length' "$T/adm.json")" 0
dd profile check "$E" --seccomp "$DEF" --caps default >"$T/def.txt"
grep -q "^docker-default.json would have blocked [0-9]* of the [0-9]* escape steps: " "$T/def.txt" &&
    ok "the text names what would have been blocked" || bad "text: $(head -5 "$T/def.txt")"
grep -q "no x86 call (ignored): .*riscv_flush_icache" "$T/def.txt" &&
    ok "other architectures' names are noted, not fatal" || bad "no note of unknown names"

# ---- the sample incident: phases, runtime baseline, left-out steps ----
I=$T/inc.dd
dd init "$I" >/dev/null
dd ingest "$I" "$INC"/* >/dev/null 2>&1
dd analyze "$I" >/dev/null 2>&1
"$DRYDOCK" profile seccomp "$I" --container ddincident -o "$T/inc.json" 2>"$T/e"
grep -q "^left out: open_by_handle_at (1 event, all of them escape steps)" "$T/e" &&
    ok "calls seen only as escape steps are left out and named" || bad "left out: $(cat "$T/e")"
check "the left-out call is not in the profile" \
    "$(jq '[.syscalls[].names[]] | index("open_by_handle_at")' "$T/inc.json")" null
"$HELPER" "$T/inc.json" >/dev/null && ok "libseccomp compiles the incident's profile" || bad "libseccomp refused the incident's profile"
dd profile seccomp "$I" --phase startup --format json >"$T/st.json"
dd profile seccomp "$I" --phase run --format json >"$T/run.json"
check "phases: start-up and run split the events at one boundary" \
    "$(( $(jq .events "$T/st.json") + $(jq .events "$T/run.json") ))" \
    "$(q "$I" "select count(*) from events where kind = 'syscall'")"
check "phases: the boundary is found after the first exec" \
    "$(jq -r '.boundary_ts == ($r.boundary_ts) and .boundary_ts != null' --argjson r "$(cat "$T/run.json")" "$T/st.json")" true
bt=$(jq .boundary_ts "$T/st.json")
dd profile seccomp "$I" --phase run --boundary "$bt" --format json >"$T/run2.json"
check "phases: a given boundary is used as given" "$(jq .events "$T/run2.json")" "$(jq .events "$T/run.json")"
dd profile seccomp "$I" --baseline runtime --format json >"$T/rt.json"
check "--baseline runtime adds execve, capset and the like" \
    "$(jq -r '[.profile.syscalls[0].names[]] | map(select(. == "capset" or . == "setgroups" or . == "execve")) | length' "$T/rt.json")" 3
dd profile check "$I" --seccomp "$DEF" >"$T/incdef.txt"
grep -q "blocked 3 of the 6 escape steps: open_by_handle_at, mount, unshare" "$T/incdef.txt" &&
    ok "the incident: docker-default.json blocks 3 of its 6 escape steps" || bad "incident what-if: $(sed -n 1,8p "$T/incdef.txt")"

# ---- AppArmor ----
dd profile apparmor "$I" --container ddincident -o "$T/inc.aa" 2>"$T/e"
dd profile apparmor "$E" -o "$T/esc.aa" 2>"$T/e"
if command -v apparmor_parser >/dev/null || [ -x /usr/sbin/apparmor_parser ]; then
	AP=$(command -v apparmor_parser || echo /usr/sbin/apparmor_parser)
	"$AP" -QT "$T/inc.aa" >"$T/ap.out" 2>&1 && ok "apparmor_parser -QT accepts the profile" ||
	    bad "apparmor_parser: $(cat "$T/ap.out")"
	"$AP" -QT "$T/esc.aa" >"$T/ap.out" 2>&1 && ok "apparmor_parser -QT accepts the escape recordings' profile" ||
	    bad "apparmor_parser (escapes): $(cat "$T/ap.out")"
else
	bad "apparmor_parser is missing (apt-get install apparmor)"
fi
# every path the trace read outside escape steps has an r rule (literal,
# or /proc/<pid> as /proc/[0-9]*)
missing=$(q "$I" "select distinct path from events where kind = 'syscall' and syscall in ('open', 'openat') and (flags is null or flags not like '%O_WRONLY%') and (errno is null or errno not in ('ENOENT', 'ENOTDIR')) and path like '/%' and id not in (select cast(key as integer) from finding_evidence where relation = 'events')" |
	while IFS= read -r p; do
		g=$(echo "$p" | sed -E 's#^/proc/[0-9]+/#/proc/[0-9]*/#')
		grep -qF "\"$g\" " "$T/inc.aa" || grep -qF "\"$g/\" " "$T/inc.aa" || echo "$p"
	done)
check "apparmor: every file read has a rule" "$missing" ""
grep -q '"/proc/\[0-9\]\*/' "$T/inc.aa" && ok "apparmor: /proc/PID is globbed" || bad "no /proc glob: $(grep proc "$T/inc.aa")"
grep -q '^# left out (only escape steps used it): "/tmp/cg/release_agent"' "$T/inc.aa" &&
    ok "apparmor: the release_agent write is left out and named" || bad "release_agent: $(grep -n release "$T/inc.aa")"
dd profile check "$I" --apparmor "$T/inc.aa" --format json >"$T/aa.json"
check "apparmor check: no benign event breaks; escape steps are denied" \
    "$(jq -r '"\(.benign_breaks | length) \(.escape_steps_denied | length > 0)"' "$T/aa.json")" "0 true"
printf 'profile x {\n  /etc/passwd r,\n  frobnicate /x,\n}\n' >"$T/badsyn.aa"
"$DRYDOCK" profile check "$I" --apparmor "$T/badsyn.aa" >/dev/null 2>"$T/e"
rc=$?
check "apparmor: unknown syntax is refused (exit 1)" "$rc" 1
grep -q "badsyn.aa: line 3: the checker does not know this rule ('frobnicate')" "$T/e" &&
    ok "... naming its line" || bad "message: $(cat "$T/e")"
printf 'profile y {\n  deny /etc/** w,\n  /** rw,\n  capability,\n  network,\n}\n' >"$T/wide.aa"
dd profile check "$I" --apparmor "$T/wide.aa" --format json >"$T/wide.json"
check "apparmor: a deny rule wins over a wider allow" \
    "$(jq -r '[.events[].access // ""] | map(select(startswith("w /etc/") or startswith("rw /etc/"))) | length > 0' "$T/wide.json")" \
    "$(q "$I" "select count(*) > 0 from events where path like '/etc/%' and (flags like '%O_WRONLY%' or flags like '%O_RDWR%')" | sed 's/1/true/;s/0/false/')"

# ---- NetworkPolicy ----
dd profile netpolicy "$I" -o "$T/np.yaml"
dd profile seccomp "$E" -o "$T/escgen.json" 2>/dev/null
"$HELPER" "$T/escgen.json" >/dev/null && ok "libseccomp compiles the escape recordings' profile" ||
    bad "libseccomp refused the escape recordings' profile"
dd profile check "$E" --seccomp "$T/escgen.json" --format json >"$T/escself.json"
check "the escape recordings against their own profile: only escape steps denied" \
    "$(jq -r '"\(.benign_breaks | length) \(.denied == (.escape_steps_denied | length))"' "$T/escself.json")" "0 true"
check "netpolicy: YAML with the API's fields, the flows' egress peers and ports" \
    "$("$PY" - "$T/np.yaml" <<'EOF'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
out = []
for d in docs:
    assert d["apiVersion"] == "networking.k8s.io/v1" and d["kind"] == "NetworkPolicy"
    for r in d["spec"]["egress"]:
        for p in r.get("ports", []):
            for peer in r.get("to", [{"ipBlock": {"cidr": "any"}}]):
                out.append("%s:%s/%s" % (peer.get("ipBlock", {}).get("cidr", "pod"), p["port"], p["protocol"]))
print(" ".join(sorted(set(out))))
EOF
)" \
    "$(q "$I" "select group_concat(x, ' ') from (select distinct dst || '/32:' || dport || '/' || upper(proto) as x from flows where src_container is not null and upper(proto) in ('TCP', 'UDP') and dport != 53 and cast(id as text) not in (select key from finding_evidence where relation = 'flows') union select 'any:53/TCP' union select 'any:53/UDP' order by x)")"

check "netpolicy: every object valid against the API's NetworkPolicy shape" \
    "$("$PY" tests/oracle/netpolicy_shape.py "$T/np.yaml" 2>&1 | tail -1)" valid

# ---- slim ----
S=$T/slim.dd
dd init "$S" >/dev/null
dd ingest "$S" "$INC/image.tar.gz" >/dev/null 2>&1
cat >"$T/touch.txt" <<'EOF'
100   12:00:00.000001 execve("/bin/ls", ["ls"], 0x7ffd5 /* 1 var */) = 0
100   12:00:00.000002 openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
100   12:00:00.000003 newfstatat(AT_FDCWD, "/opt/app/../app/wait.sh", {st_mode=S_IFREG|0755, st_size=186, ...}, 0) = 0
100   12:00:00.000004 exit_group(0)         = ?
100   12:00:00.000005 +++ exited with 0 +++
EOF
dd ingest "$S" "$T/touch.txt" >/dev/null 2>&1
img=$(q "$S" "select min(id) from images")
dd profile slim "$S" --image "$img" --format list >"$T/slim.list"
gunzip -c "$INC/image.tar.gz" >"$T/image.tar"
"$PY" tests/oracle/image_fs.py "$T/image.tar" "$T/ofs" >"$T/fs.txt" 2>/dev/null
"$PY" - "$T/fs.txt" >"$T/slim.want" <<'EOF'
import os, sys
files, links = set(), {}
for line in open(sys.argv[1]):
    if line.startswith("image "):
        continue
    f = line.rstrip("\n").split("\t")
    path = "/" + f[0].lstrip("/")
    if f[1] == "file":
        files.add(path)
    elif f[1] == "symlink":
        links[path] = f[5]
def resolve(p, hops=0):
    p = os.path.normpath(p)
    parts = p.split("/")
    for i in range(2, len(parts) + 1):
        pre = "/".join(parts[:i])
        if pre in links and hops < 40:
            t = links[pre]
            base = t if t.startswith("/") else os.path.join(os.path.dirname(pre), t)
            return resolve(os.path.join(base, *parts[i:]), hops + 1)
    return p
touched = {resolve(p) for p in ["/bin/ls", "/etc/passwd", "/opt/app/../app/wait.sh"]}
for p in sorted(files - touched):
    print(p)
EOF
check "slim: the image's files minus the touched ones (links resolved)" \
    "$(tr '\n' ' ' <"$T/slim.list")" "$(tr '\n' ' ' <"$T/slim.want")"
check "slim: busybox (reached through /bin/ls) is kept" "$(grep -c '^/bin/busybox$' "$T/slim.list")" 0
dd profile slim "$S" --image "$img" --format json >"$T/slim.json"
check "slim json: files and bytes by layer add up" \
    "$(jq '[.by_layer[].bytes] | add == .untouched_bytes' "$T/slim.json" 2>/dev/null || jq '(([.by_layer[].bytes] | add) == .untouched_bytes)' "$T/slim.json")" true

# ---- bad input ----
echo '{"defaultAction": ' >"$T/notjson.json"
"$DRYDOCK" profile check "$B" --seccomp "$T/notjson.json" >/dev/null 2>"$T/e"
rc=$?
check "a profile that is not JSON: exit 1" "$rc" 1
grep -q "notjson.json: not JSON" "$T/e" && ok "... naming the file" || bad "message: $(cat "$T/e")"
echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read","no_such_call"],"action":"SCMP_ACT_ALLOW"}]}' >"$T/unk.json"
dd profile check "$B" --seccomp "$T/unk.json" >"$T/unk.txt"
check "unknown syscall names are reported, not fatal" \
    "$(grep -c "1 syscall name in the profile is no x86 call (ignored): no_such_call" "$T/unk.txt")" 1
echo '{"defaultAction":"SCMP_ACT_NOPE"}' >"$T/badact.json"
"$DRYDOCK" profile check "$B" --seccomp "$T/badact.json" >/dev/null 2>"$T/e"
check "a bad action is refused" "$?" 1
"$DRYDOCK" profile check "$B" >/dev/null 2>&1
check "check without a profile: usage (exit 2)" "$?" 2
"$DRYDOCK" profile nosuch "$B" >/dev/null 2>&1
check "an unknown kind: usage (exit 2)" "$?" 2
"$DRYDOCK" profile seccomp "$B" --container nosuch >/dev/null 2>"$T/e"
check "an unknown container: exit 1" "$?" 1
grep -q "no container 'nosuch'" "$T/e" && ok "... named" || bad "message: $(cat "$T/e")"
"$DRYDOCK" profile --help | grep -q "what-if" && ok "--help explains the what-if" || bad "--help"
"$DRYDOCK" profile seccomp "$B" --format yaml >/dev/null 2>&1
check "a bad --format: usage (exit 2)" "$?" 2

echo "# $pass passed, $fail failed"
[ "$fail" -eq 0 ]
