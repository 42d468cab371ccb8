#!/usr/bin/python3
"""core_readelf.py CORE MAPPINGS.csv PROCESS.csv: compare what drydock
imported from an ELF core with eu-readelf's reading of it (elfutils, an
independent parser). MAPPINGS.csv: `start,end,perms,offset,path,data_off,
data_size` per PT_LOAD in order (query of the mappings view); PROCESS.csv:
`pid,ppid,comm,threads,uid` (one row). Checks every PT_LOAD (vaddr, memsz,
flags, file offset, bytes present), every NT_FILE entry that starts a
segment (path and byte offset), PRPSINFO pid/ppid/uid/fname and the
PRSTATUS count. Prints one line per mismatch; exit 1 if any."""
import csv, re, subprocess, sys

core, mcsv, pcsv = sys.argv[1:4]
size = len(open(core, 'rb').read())
bad = []
lp = subprocess.run(['eu-readelf', '-l', core], capture_output=True,
                    text=True, check=True).stdout
loads = []
for ln in lp.splitlines():
    f = ln.split()
    if f and f[0] == 'LOAD':
        off, va, _, fsz, msz = (int(x, 16) for x in f[1:6])
        flg = ''.join(f[6:-1])
        perms = ('r' if 'R' in flg else '-') + ('w' if 'W' in flg else '-') + \
            ('x' if 'E' in flg else '-')
        avail = max(0, min(fsz, size - off)) if off < size else 0
        loads.append((va, va + msz, perms, off, avail))
nt = subprocess.run(['eu-readelf', '-n', core], capture_output=True,
                    text=True, check=True).stdout
files = {}
m = re.search(r'FILE\n\s+(\d+) files:\n((?:\s+[0-9a-f]+-[0-9a-f]+ .*\n)*)', nt)
if m:
    for ln in m.group(2).splitlines():
        g = re.match(r'\s+([0-9a-f]+)-([0-9a-f]+) ([0-9a-f]+) +\d+ +(.*)', ln)
        if g:
            files[int(g.group(1), 16)] = (int(g.group(3), 16), g.group(4))
rows = list(csv.reader(open(mcsv)))[1:]
if len(rows) != len(loads):
    bad.append('PT_LOAD count %d, drydock %d' % (len(loads), len(rows)))
for i, (l, r) in enumerate(zip(loads, rows)):
    start, end, perms, off, path, doff, dsz = r
    if (int(start, 16), int(end, 16), perms) != l[:3]:
        bad.append('segment %d: readelf %x-%x %s, drydock %s-%s %s' %
                   (i, l[0], l[1], l[2], start, end, perms))
    if doff and int(doff) != l[3] or int(dsz) != l[4]:
        bad.append('segment %d: bytes at %d (%d), drydock %s (%s)' %
                   (i, l[3], l[4], doff, dsz))
    if l[0] in files:
        fo, fp = files[l[0]]
        # eu-readelf prints NT_FILE offsets in bytes (file_ofs times
        # the note's page size).
        if path != fp or int(off or -1) != fo:
            bad.append('segment %d: NT_FILE %s @%d, drydock %s @%s' %
                       (i, fp, fo, path, off))
p = list(csv.reader(open(pcsv)))[1]
ps = re.search(r'uid: (\d+), gid: \d+, pid: (\d+), ppid: (\d+)', nt)
fn = re.search(r'fname: (.*?), psargs', nt)
nthr = len(re.findall(r'\bPRSTATUS\b', nt))
if ps and (p[0], p[1], p[4]) != (ps.group(2), ps.group(3), ps.group(1)):
    bad.append('PRPSINFO pid/ppid/uid %s, drydock %s' % (ps.groups(), p))
if fn and p[2] != fn.group(1):
    bad.append('fname %r, drydock %r' % (fn.group(1), p[2]))
if int(p[3]) != nthr:
    bad.append('threads %d, drydock %s' % (nthr, p[3]))
for b in bad:
    print(core + ': ' + b)
sys.exit(1 if bad else 0)
