#!/usr/bin/env python3
# datasets_ref.py: independent readers written from FORMATS.md 2.7 and 3.1
# (not from the C code), for tests/cli/0400-datasets.sh.
#   adfa ZIP            per-syscall counts of every trace (i386 numbers,
#                       named through /usr/include/.../unistd_32.h)
#   lidds2021 SCFILE    per-syscall event counts: enter and exit lines
#                       paired per thread (an unpaired line is one event)
# Prints "name count" lines, sorted.
import collections, re, sys, zipfile

def i386_names():
    names = {}
    for path in ("/usr/include/x86_64-linux-gnu/asm/unistd_32.h",
                 "/usr/include/asm/unistd_32.h"):
        try:
            for line in open(path):
                m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
                if m:
                    names[int(m.group(2))] = m.group(1)
            return names
        except OSError:
            pass
    sys.exit("no unistd_32.h")

def adfa(path):
    names = i386_names()
    c = collections.Counter()
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if "_Data_Master/" not in n or not n.endswith(".txt"):
                continue
            for tok in z.read(n).split():
                c[names[int(tok)]] += 1
    return c

LINE = re.compile(rb"^(\d+) (\d+) (\d+) (.+?) (\d+) (\w+) ([<>])( |$)")

def lidds2021(path):
    c = collections.Counter()
    pending = {}
    for line in open(path, "rb"):
        m = LINE.match(line.rstrip(b"\n"))
        if not m:
            continue
        tid, name, d = m.group(5), m.group(6).decode(), m.group(7)
        if d == b">":
            if tid in pending:
                c[pending.pop(tid)] += 1
            pending[tid] = name
        else:
            if tid in pending and pending[tid] == name:
                del pending[tid]
            elif tid in pending:
                c[pending.pop(tid)] += 1
            c[name] += 1
    for name in pending.values():
        c[name] += 1
    return c

c = {"adfa": adfa, "lidds2021": lidds2021}[sys.argv[1]](sys.argv[2])
for k in sorted(c):
    print(k, c[k])
