#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Oracle for image merged trees: bsdtar does every tar and decompression
step, this script only orders the layers (from manifest.json or the OCI
index, as FORMATS.md section 4 describes) and applies whiteouts the way
moby's archive package does (opaque directories and .wh. files remove what
lower layers wrote, then the layer's entries are laid over: a directory
over a directory merges, anything else replaces).

usage: image_fs.py ARCHIVE|LAYOUT-DIR WORKDIR
Prints, per image, a line "image sha256:CONFIG" followed by one line per
path of the merged tree: path TAB type TAB mode TAB size TAB sha256 TAB
link (directories and non-files have size 0 and no sha256).
"""
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys


def bsdtar_x(archive, dest):
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["bsdtar", "-xpf", archive, "-C", dest, "--numeric-owner"],
                   check=True, stderr=subprocess.DEVNULL)


def sha_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def images(outer):
    """(config path, [layer paths]) per image, in manifest order."""
    mf = os.path.join(outer, "manifest.json")
    if os.path.exists(mf):
        for ent in json.load(open(mf)):
            yield (os.path.join(outer, ent["Config"]),
                   [os.path.join(outer, l) for l in ent["Layers"]])
        return
    blob = lambda d: os.path.join(outer, "blobs", *d.split(":", 1))

    def walk(ix, depth=0):
        for d in json.load(open(ix)).get("manifests", []):
            mt = d.get("mediaType", "")
            if (d.get("annotations") or {}).get(
                    "vnd.docker.reference.type") == "attestation-manifest":
                continue
            if mt.endswith("image.index.v1+json") or "manifest.list" in mt:
                yield from walk(blob(d["digest"]), depth + 1)
                continue
            m = json.load(open(blob(d["digest"])))
            yield (blob(m["config"]["digest"]),
                   [blob(l["digest"]) for l in m["layers"]])
    yield from walk(os.path.join(outer, "index.json"))


def rm(p):
    if os.path.isdir(p) and not os.path.islink(p):
        shutil.rmtree(p)
    elif os.path.lexists(p):
        os.unlink(p)


def apply_layer(layer_dir, root):
    # Whiteouts first: they hide lower layers only.
    for d, dirs, files in os.walk(layer_dir):
        rel = os.path.relpath(d, layer_dir)
        for n in list(files) + list(dirs):
            if not n.startswith(".wh."):
                continue
            tgt = os.path.normpath(os.path.join(root, rel))
            if n == ".wh..wh..opq":
                if os.path.isdir(tgt):
                    for c in os.listdir(tgt):
                        rm(os.path.join(tgt, c))
            elif not n.startswith(".wh..wh."):
                rm(os.path.join(tgt, n[4:]))
            rm(os.path.join(d, n))
    for d, dirs, files in os.walk(layer_dir):
        rel = os.path.relpath(d, layer_dir)
        dst_d = os.path.normpath(os.path.join(root, rel))
        for n in dirs:
            s, t = os.path.join(d, n), os.path.join(dst_d, n)
            if os.path.islink(s):
                rm(t)
                os.rename(s, t)
                continue
            if os.path.lexists(t) and not (os.path.isdir(t) and
                                           not os.path.islink(t)):
                rm(t)
            if not os.path.lexists(t):
                os.mkdir(t)
            st = os.lstat(s)
            os.chmod(t, stat.S_IMODE(st.st_mode))
        for n in files:
            s, t = os.path.join(d, n), os.path.join(dst_d, n)
            rm(t)
            os.rename(s, t)
    # Directories that were links in the layer were moved whole.


def listing(root):
    out = []
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            rel = "/" + os.path.relpath(p, root)
            m = stat.S_IMODE(st.st_mode)
            if stat.S_ISREG(st.st_mode):
                out.append((rel, "file", m, st.st_size, sha_file(p), ""))
            elif stat.S_ISDIR(st.st_mode):
                out.append((rel, "dir", m, 0, "", ""))
            elif stat.S_ISLNK(st.st_mode):
                out.append((rel, "symlink", m, 0, "", os.readlink(p)))
            elif stat.S_ISCHR(st.st_mode):
                out.append((rel, "char", m, 0, "", ""))
            elif stat.S_ISBLK(st.st_mode):
                out.append((rel, "block", m, 0, "", ""))
            elif stat.S_ISFIFO(st.st_mode):
                out.append((rel, "fifo", m, 0, "", ""))
    return sorted(out)


def main():
    archive, work = sys.argv[1], sys.argv[2]
    if os.path.isdir(archive):      # an OCI image layout directory
        outer = archive
    else:
        outer = os.path.join(work, "outer")
        bsdtar_x(archive, outer)
    for k, (cfg, layers) in enumerate(images(outer)):
        root = os.path.join(work, "root%d" % k)
        os.makedirs(root)
        for i, l in enumerate(layers):
            ld = os.path.join(work, "layer%d-%d" % (k, i))
            bsdtar_x(l, ld)
            apply_layer(ld, root)
            shutil.rmtree(ld)
        print("image sha256:" + sha_file(cfg))
        for row in listing(root):
            print("\t".join(str(x) for x in row))


if __name__ == "__main__":
    main()
