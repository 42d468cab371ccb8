#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile and broken docker-save archives for tests/cli/0600-image.sh and
the imp-image fuzz seeds. usage: gen-hostile.py OUTDIR [--no-bomb]
evil.tar ('..', absolute, control bytes, duplicates, a symlink out),
noend.tar (a layer without end blocks), missing.tar (a manifest naming a
missing layer), baddiff.tar (a wrong diff_id), notatar.tar (a layer that
is not a tar), bomb.tar (1 GiB of zeros in a zstd layer; needs zstd)."""
import gzip, hashlib, io, json, os, sys, tarfile
h = sys.argv[1]
bomb = "--no-bomb" not in sys.argv

def tar_bytes(entries, end=True):
    b = io.BytesIO()
    t = tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT)
    for name, data, kind in entries:
        ti = tarfile.TarInfo(name)
        if kind == "dir":
            ti.type = tarfile.DIRTYPE
            t.addfile(ti)
        elif kind == "sym":
            ti.type = tarfile.SYMTYPE
            ti.linkname = data
            t.addfile(ti)
        elif kind == "hard":
            ti.type = tarfile.LNKTYPE
            ti.linkname = data
            t.addfile(ti)
        elif kind in ("chr", "blk", "fifo"):
            ti.type = {"chr": tarfile.CHRTYPE, "blk": tarfile.BLKTYPE,
                       "fifo": tarfile.FIFOTYPE}[kind]
            ti.devmajor, ti.devminor = data
            t.addfile(ti)
        else:
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    t.close()
    v = b.getvalue()
    if not end:
        v = v.rstrip(b"\0")
        v += b"\0" * ((512 - len(v) % 512) % 512)
    return v

def archive(path, layers, cfg_extra=None, drop=None, diff_override=None):
    blobs = {}
    diff_ids = []
    for l in layers:
        d = "sha256:" + hashlib.sha256(l).hexdigest()
        diff_ids.append(d)
        blobs[d] = l
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"Env": ["PATH=/bin"]},
           "rootfs": {"type": "layers", "diff_ids": diff_override or diff_ids},
           "history": [{"created_by": "step %d" % i} for i in range(len(layers))]}
    if cfg_extra:
        cfg.update(cfg_extra)
    cb = json.dumps(cfg).encode()
    cd = hashlib.sha256(cb).hexdigest()
    man = [{"Config": cd + ".json", "RepoTags": ["hostile:1"],
            "Layers": [d[7:] + "/layer.tar" for d in diff_ids]}]
    t = tarfile.open(path, "w")
    def add(name, data):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    for d, l in blobs.items():
        if drop and d == drop:
            continue
        add(d[7:] + "/layer.tar", l)
    add(cd + ".json", cb)
    add("manifest.json", json.dumps(man).encode())
    t.close()

ok = tar_bytes([("etc/", b"", "dir"), ("etc/hosts", b"127.0.0.1 x\n", "f")])
# '..' and absolute names, control bytes, a duplicate entry.
evil = tar_bytes([("../../escape", b"x", "f"), ("/abs/file", b"y", "f"),
                  ("etc/ctl\x1b[31mred", b"z", "f"),
                  ("etc/dup", b"first", "f"), ("etc/dup", b"second", "f"),
                  ("etc/link", "/../../../etc/shadow", "sym")])
archive(os.path.join(h, "evil.tar"), [ok, evil])
# A layer with no end-of-archive blocks (umoci): valid.
archive(os.path.join(h, "noend.tar"), [tar_bytes([("a/b", b"c", "f")], end=False)])
# A manifest naming a layer the archive lacks.
archive(os.path.join(h, "missing.tar"), [ok, evil],
        drop="sha256:" + hashlib.sha256(evil).hexdigest())
# A config whose diff_id does not match the layer.
archive(os.path.join(h, "baddiff.tar"), [ok], diff_override=["sha256:" + "0" * 64])
# Link chains and loops, links out of the root, device nodes, a FIFO,
# names that are not UTF-8 (a pax path carries raw bytes).
links = tar_bytes([("etc/", b"", "dir"), ("etc/real", b"content\n", "f"),
                   ("etc/h1", "etc/real", "hard"), ("etc/h2", "etc/h1", "hard"),
                   ("etc/hself", "etc/hself", "hard"),
                   ("etc/hout", "../../etc/passwd", "hard"),
                   ("etc/hnone", "etc/missing", "hard"),
                   ("etc/s1", "s2", "sym"), ("etc/s2", "s1", "sym"),
                   ("etc/sout", "../../../../../../etc/shadow", "sym"),
                   ("dev/", b"", "dir"), ("dev/mem", (1, 1), "chr"),
                   ("dev/sda", (8, 0), "blk"), ("dev/pipe", (0, 0), "fifo"),
                   ("etc/caf\udcc3(", b"latin1", "f")])
archive(os.path.join(h, "links.tar"), [links])
# A header declaring a terabyte in a small archive.
big = bytearray(tar_bytes([("huge", b"x" * 10, "f")]))
big[124:136] = b"\x80" + (1 << 40).to_bytes(11, "big")   # base-256 size
big[148:156] = b"        "
big[148:156] = b"%06o\0 " % sum(big[:512])
archive(os.path.join(h, "bigsize.tar"), [bytes(big)])
# Many tiny files in one layer (20,000 empty files).
archive(os.path.join(h, "many.tar"),
        [tar_bytes([("d%03d/f%05d" % (i // 1000, i), b"", "f") for i in range(20000)])])
# A "layer" that is not a tar.
archive(os.path.join(h, "notatar.tar"), [b'{"not": "a tar"}'])
# Two archives whose (large) layer member is named by the digest it
# claims, as skopeo and Docker 25 name them; in claim2.tar the member's
# bytes differ from what the name claims (tampered after the fact).
def claimed(path, layer, claim, tag="claim:1"):
    cfg = json.dumps({"architecture": "amd64", "os": "linux",
                      "rootfs": {"type": "layers", "diff_ids": ["sha256:" + claim]},
                      "history": [{"created_by": "COPY blob /blob"}]}).encode()
    cd = hashlib.sha256(cfg).hexdigest()
    t = tarfile.open(path, "w")
    for name, data in ((claim + ".tar", layer), (cd + ".json", cfg),
                       ("manifest.json", json.dumps([{"Config": cd + ".json",
                        "RepoTags": [tag], "Layers": [claim + ".tar"]}]).encode())):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    t.close()

import random
rnd = random.Random(7)
blob = bytes(rnd.getrandbits(8) for _ in range(600 * 1024))
good = tar_bytes([("blob", blob, "f")])
bad = tar_bytes([("blob", blob[:-1] + bytes([blob[-1] ^ 1]), "f")])
claim = hashlib.sha256(good).hexdigest()
claimed(os.path.join(h, "claim1.tar"), good, claim)
claimed(os.path.join(h, "claim2.tar"), bad, claim)
claimed(os.path.join(h, "claim3.tar"), good, claim, "claim:3")

# A pre-1.10 `docker save`: no manifest.json, `repositories` naming the
# top v1 id, each <id>/json naming its parent, <id>/layer.tar.
def v1(path):
    base = tar_bytes([("etc/", b"", "dir"), ("etc/os-release", b"ID=old\n", "f")])
    top = tar_bytes([("app/", b"", "dir"), ("app/run.sh", b"#!/bin/sh\n", "f")])
    ids = ["a" * 64, "b" * 64]
    t = tarfile.open(path, "w")
    def add(name, data):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    add(ids[0] + "/json", json.dumps({"id": ids[0], "created": "2015-01-01T00:00:00Z",
        "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ADD file:x in /"]},
        "os": "linux", "architecture": "amd64"}).encode())
    add(ids[0] + "/layer.tar", base)
    add(ids[1] + "/json", json.dumps({"id": ids[1], "parent": ids[0],
        "created": "2015-01-02T00:00:00Z",
        "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) COPY run.sh /app/"]},
        "config": {"Cmd": ["/app/run.sh"], "User": "app"},
        "os": "linux", "architecture": "amd64"}).encode())
    add(ids[1] + "/layer.tar", top)
    add("repositories", json.dumps({"old": {"1.0": ids[1]}}).encode())
    t.close()

v1(os.path.join(h, "v1.tar"))

# A zstd bomb: 1 GiB of zeros (RLE blocks) in a layer of a few KiB.
if not bomb:
    sys.exit(0)
import subprocess
zp = subprocess.Popen(["zstd", "-q", "-1", "-c"], stdin=subprocess.PIPE,
                      stdout=subprocess.PIPE)
hdr = tarfile.TarInfo("zeros")
hdr.size = 1 << 30
import threading
out = []
th = threading.Thread(target=lambda: out.append(zp.stdout.read()))
th.start()
zp.stdin.write(hdr.tobuf(format=tarfile.PAX_FORMAT))
blk = b"\0" * (1 << 20)
for _ in range(1024):
    zp.stdin.write(blk)
zp.stdin.close()
th.join()
zp.wait()
archive(os.path.join(h, "bomb.tar"), [out[0]])

