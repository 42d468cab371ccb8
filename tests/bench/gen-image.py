#!/usr/bin/env python3
"""gen-image.py N OUT: a docker-archive (`docker save` layout) of one image
with two layers: a small base (/etc) and N small files in 1,000-file
directories under /data, each a few hundred deterministic bytes. For the
TUI bench (a layer of N files to open and scroll)."""
import hashlib, io, json, sys, tarfile

def add(tf, name, data=None, mode=0o644, kind=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name)
    ti.mtime = 1700000000
    ti.mode = mode
    ti.type = kind
    if data is not None:
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
    else:
        tf.addfile(ti)

def layer(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode='w', format=tarfile.PAX_FORMAT) as tf:
        for e in entries:
            add(tf, *e)
    return b.getvalue()

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    base = layer([('etc', None, 0o755, tarfile.DIRTYPE),
                  ('etc/hostname', b'bench\n')])
    ents = [('data', None, 0o755, tarfile.DIRTYPE)]
    for d in range((n + 999) // 1000):
        ents.append(('data/d%03d' % d, None, 0o755, tarfile.DIRTYPE))
        for i in range(d * 1000, min(n, d * 1000 + 1000)):
            body = ('file %d\n' % i).encode() * (8 + i % 40)
            ents.append(('data/d%03d/f%06d.txt' % (d, i), body))
    big = layer(ents)
    layers = [base, big]
    diff = ['sha256:' + hashlib.sha256(l).hexdigest() for l in layers]
    cfg = json.dumps({
        'architecture': 'amd64', 'os': 'linux',
        'created': '2024-01-01T00:00:00Z',
        'config': {'Cmd': ['/bin/sh']},
        'rootfs': {'type': 'layers', 'diff_ids': diff},
        'history': [{'created': '2024-01-01T00:00:00Z',
                     'created_by': 'ADD etc /etc'},
                    {'created': '2024-01-01T00:00:00Z',
                     'created_by': 'COPY data /data # %d files' % n}],
    }).encode()
    cfgname = hashlib.sha256(cfg).hexdigest() + '.json'
    man = json.dumps([{'Config': cfgname, 'RepoTags': ['bench/files:1'],
                       'Layers': ['l%d/layer.tar' % i
                                  for i in range(len(layers))]}]).encode()
    with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as tf:
        add(tf, cfgname, cfg)
        for i, l in enumerate(layers):
            add(tf, 'l%d' % i, None, 0o755, tarfile.DIRTYPE)
            add(tf, 'l%d/layer.tar' % i, l)
        add(tf, 'manifest.json', man)

main()
