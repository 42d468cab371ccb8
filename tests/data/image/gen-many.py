#!/usr/bin/env python3
"""gen-many.py OUT N: a docker save archive whose one gzip layer holds N
empty files (d000/f0000000...), with a correct diff_id. For the hostile
tests (tests/cli/0960-hostile.sh: a million empty files)."""
import hashlib, io, json, sys, tarfile, zlib
out = sys.argv[1]; N = int(sys.argv[2])
c = zlib.compressobj(6, zlib.DEFLATED, 31)
h = hashlib.sha256()
parts = []
def w(b):
    h.update(b); parts.append(c.compress(b))
for i in range(N):
    t = tarfile.TarInfo("d%03d/f%07d" % (i // 10000, i)); t.size = 0; t.mtime = 0
    w(t.tobuf(format=tarfile.USTAR_FORMAT))
w(bytes(1024))
parts.append(c.flush())
gz = b"".join(parts)
diff = h.hexdigest()
cfg = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff]}, "history": [{"created_by": "many"}]}).encode()
ch = hashlib.sha256(cfg).hexdigest()
man = json.dumps([{"Config": ch + ".json", "RepoTags": ["many:1"], "Layers": ["l1/layer.tar"]}]).encode()
with tarfile.open(out, "w", format=tarfile.USTAR_FORMAT) as t:
    for n, b in ((ch + ".json", cfg), ("l1/layer.tar", gz), ("manifest.json", man)):
        i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
