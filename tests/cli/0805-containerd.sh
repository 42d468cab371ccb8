#!/usr/bin/env bash
# 0805-containerd: a copied containerd root (meta.db and the overlayfs
# snapshotter, both bbolt databases) and drift.
#
# A private containerd (its own root, state and socket under the test's
# directory) imports a two-layer image made here (docker-archive, busybox),
# runs a container that adds, changes and deletes files (one of the second
# layer's), and the collector copies the root. The import gives the
# container as meta.db names it (image, namespace, runtime spec), the
# snapshot chain as runtime_layers with the diff ids of the image's
# config (found from the chain ids), 150 more containers so that the
# bbolt trees have branch pages, and drift that agrees with
# containerd's own diff of the snapshot (`ctr snapshots diff`: files,
# whiteouts, directories), each C and D naming the layer that held the
# old version. Bad input: a damaged meta.db is an anomaly, not a crash.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null || ! command -v runc >/dev/null ||
	! command -v busybox >/dev/null; then
	echo "note: containerd, ctr, runc or busybox missing: no containerd check"
	t_done
	exit 0
fi
R=$T/ctd
mkdir -p "$R"
cat >"$R/config.toml" <<TOML
version = 2
root = "$R/root"
state = "$R/state"
[grpc]
  address = "$R/ctd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  disable_cgroup = true
TOML
containerd --config "$R/config.toml" >"$R/log" 2>&1 &
CPID=$!
stop_ctd() {
	ctr -a "$R/ctd.sock" tasks kill -s 9 dd-ctd >/dev/null 2>&1
	kill "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
	grep -q " $R/" /proc/mounts && awk -v r="$R/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r | xargs -r umount -l
}
for _ in $(seq 50); do [ -S "$R/ctd.sock" ] && break; sleep 0.1; done
C=(ctr -a "$R/ctd.sock")
# a two-layer image: busybox and files, then a second layer with /opt/tool
/usr/bin/python3 - "$R/img.tar" "$(command -v busybox)" <<'PY'
import hashlib, io, json, sys, tarfile
def layer(items):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data, mode, link in items:
            ti = tarfile.TarInfo(name); ti.mtime = 1700000000
            if data is None and link is None:
                ti.type = tarfile.DIRTYPE; ti.mode = 0o755; t.addfile(ti)
            elif link is not None:
                ti.type = tarfile.SYMTYPE; ti.linkname = link; ti.mode = 0o777; t.addfile(ti)
            else:
                ti.size = len(data); ti.mode = mode; t.addfile(ti, io.BytesIO(data))
    return b.getvalue()
bb = open(sys.argv[2], "rb").read()
l1 = [("bin", None, 0, None), ("bin/busybox", bb, 0o755, None)]
l1 += [("bin/" + a, None, 0, "busybox") for a in ("sh", "cat", "ls", "rm", "mkdir", "cp", "chmod", "echo")]
l1 += [("etc", None, 0, None), ("etc/passwd", b"root:x:0:0:root:/:/bin/sh\n", 0o644, None),
       ("tmp", None, 0, None), ("var", None, 0, None), ("var/log", None, 0, None),
       ("var/log/app.log", b"started\n", 0o644, None)]
l2 = [("opt", None, 0, None), ("opt/tool", b"#!/bin/sh\necho tool\n", 0o755, None)]
blobs = [layer(l1), layer(l2)]
diff = ["sha256:" + hashlib.sha256(x).hexdigest() for x in blobs]
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                  "rootfs": {"type": "layers", "diff_ids": diff}}).encode()
with tarfile.open(sys.argv[1], "w") as t:
    def add(name, data):
        ti = tarfile.TarInfo(name); ti.size = len(data); t.addfile(ti, io.BytesIO(data))
    add("config.json", cfg)
    add("l1.tar", blobs[0]); add("l2.tar", blobs[1])
    add("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["localhost/dd-ctd:latest"],
                                      "Layers": ["l1.tar", "l2.tar"]}]).encode())

PY
"${C[@]}" images import "$R/img.tar" >/dev/null 2>&1 &&
	timeout 120 "${C[@]}" run --snapshotter overlayfs localhost/dd-ctd:latest dd-ctd sh -c \
		'echo x > /tmp/new; echo evil >> /etc/passwd; rm /bin/ls /var/log/app.log /opt/tool; mkdir /newdir; echo z > /newdir/f; cp /bin/busybox /tmp/miner; chmod 755 /tmp/miner' \
		>/dev/null 2>&1
if [ $? -ne 0 ] || ! "${C[@]}" containers ls -q 2>/dev/null | grep -qx dd-ctd; then
	echo "note: containerd cannot run a container here: no containerd check"
	stop_ctd
	t_done
	exit 0
fi
"${C[@]}" snapshots diff dd-ctd >"$R/diff.tgz" 2>/dev/null
# enough more containers (each with its own snapshot) that meta.db's and
# metadata.db's buckets span branch pages, so lookups descend the trees
for i in $(seq 150); do
	"${C[@]}" containers create --snapshotter overlayfs localhost/dd-ctd:latest "dd-more-$i" >/dev/null 2>&1 || break
done
# The root is live: containerd's garbage collector may rewrite meta.db while
# tar reads it, and the collector then says so with exit status 1 (its
# documented contract). Copy again after a pause; a copy with only "changed as
# we read it" warnings is still a copy.
for try in 1 2 3; do
	sh datasets/collect/runtime-root.sh -r "$R/root" "$T/root.tar" 2>"$R/collect.err"
	rc=$?
	[ $rc -eq 1 ] || break
	sleep 1
done
if [ $rc -eq 1 ] && ! grep -v "changed as we read it" "$R/collect.err" | grep -q .; then
	echo "note: live containerd changed meta.db during all three copies; kept the last"
	rc=0
fi
[ $rc -eq 0 ] && [ -s "$T/root.tar" ] && ok "runtime-root.sh copies a containerd root" ||
	{ cat "$R/collect.err"; fail "runtime-root.sh copies a containerd root"; }
stop_ctd

K=$T/case.drydock
dk init "$K"
dk ingest "$K" "$T/root.tar"
expect_rc 0 "a containerd root imports (sniffed as runtime)"
expect_eq "no anomalies" "" "$(q "$K" "select message from anomalies")"
expect_eq "every container, each with its writable snapshot found through the trees" "151|151" \
	"$(q "$K" "select count(*) || '|' || (select count(*) from runtime_layers where role = 'rw') from containers")"
expect_eq "meta.db's tree has branch pages (the lookups descend)" "1" \
	"$(/usr/bin/python3 - "$R/root/io.containerd.metadata.v1.bolt/meta.db" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
ps = struct.unpack_from("<I", d, 24)[0]
print(int(any(struct.unpack_from("<H", d, i + 8)[0] & 1 for i in range(2 * ps, len(d), ps))))
PY
)"
expect_eq "the container from meta.db: its image and its runtime spec's command" \
	"dd-ctd|localhost/dd-ctd:latest|sh -c echo x > /tmp/new" \
	"$(q "$K" "select c.id || '|' || c.image || '|' || substr(m.command, 1, 23) from containers c left join container_meta m on m.container_id = c.id where c.id = 'dd-ctd'")"
diffs=$(/usr/bin/python3 -c 'import json,sys,tarfile; t=tarfile.open(sys.argv[1]); c=json.load(t.extractfile("config.json")); print(" ".join(c["rootfs"]["diff_ids"]))' "$R/img.tar")
expect_eq "the snapshot chain: the image's two layers with their diff ids (from the chain ids), the container's writable one" \
	"image|$(echo "$diffs" | cut -d' ' -f1) image|$(echo "$diffs" | cut -d' ' -f2) rw|" \
	"$(q "$K" "select role || '|' || coalesce(diff_id, '') from runtime_layers where role = 'image' or container_id = 'dd-ctd' order by role, cast(substr(dir, 11) as integer)" | tr '\n' ' ' | sed 's/ $//')"
# containerd's own diff: files and whiteouts are our A/C files and D rows
tar -tzf "$R/diff.tgz" | sed 's|/$||' >"$R/diff.list"
grep '/\.wh\.' "$R/diff.list" | sed 's|\.wh\.||; s|^|/|' | sort >"$R/ctd.D"
tar -tvzf "$R/diff.tgz" | awk '$1 !~ /^d/ {print $NF}' | grep -v '\.wh\.' | sed 's|^|/|' | sort >"$R/ctd.F"
check "deleted: containerd's whiteouts" diff "$R/ctd.D" <(q "$K" "select path from drift where change = 'D' order by path")
check "added and changed files: containerd's diff" diff "$R/ctd.F" <(q "$K" "select path from drift where change != 'D' and type != 'dir' order by path")
extra=$(comm -23 <(q "$K" "select substr(path, 2) from drift where type = 'dir' order by 1") <(sort "$R/diff.list"))
expect_eq "every directory listed is in containerd's diff" "" "$extra"
expect_eq "a deleted file names the layer that held it" "/opt/tool|$(echo "$diffs" | cut -d' ' -f2) /var/log/app.log|$(echo "$diffs" | cut -d' ' -f1)" \
	"$(q "$K" "select path || '|' || layer_id from drift where change = 'D' and path in ('/opt/tool', '/var/log/app.log') order by path" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the new executable, with the SHA-256 of busybox" "/tmp/miner|$(sha256sum "$(command -v busybox)" | cut -c1-64)" \
	"$(q "$K" "select path || '|' || sha256 from drift where executable = 1 and change = 'A'")"
dk export-file "$K" --container dd-ctd /tmp/miner -o "$T/miner.out"
check "export-file reads it from the stored root" cmp "$(command -v busybox)" "$T/miner.out"

# bad input: meta.db damaged in place
/usr/bin/python3 - "$T/root.tar" "$T/bad.tar" <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.find(b"io.containerd.metadata.v1.bolt/meta.db")
i = (i // 512 + 1) * 512          # the member's data
for off in (0x10, 0x1010, 0x2000 + 8, 0x3000 + 10):
    b[i + off:i + off + 4] = b"\xff\xff\xff\xff"
open(sys.argv[2], "wb").write(b)
PY
dk ingest "$K" --as runtime "$T/bad.tar"
a=$(q "$K" "select id from artifacts where name = '$T/bad.tar'")
check "a damaged meta.db imports with an anomaly naming it" grep -q "meta.db" <(q "$K" "select message from anomalies where artifact_id = $a")
t_sanitized && fail "sanitizer report"
t_done
