#!/usr/bin/env python3
"""scap_swap.py: rewrite a little-endian scap capture as a big-endian one
(what libscap writes on s390x, which stores host order), for testing.

    scap_swap.py IN OUT [--le]

Keeps the section header and the event blocks (V1/V2, with or without
flags); drops the metadata blocks (machine info, process, fd, interface and
user lists). Every integer is swapped according to its parameter type,
read from ingest/scap-table.c (the generated event table): plain numbers,
errnos, fds, pids and times; the family byte, the addresses (network
order) and paths of socket addresses stay, their ports are swapped (libscap
stores them in host order); fd lists swap count, fds and flags. With --le
the same blocks are written unswapped: the reference the swapped file must
import identically to.
"""
import gzip
import re
import struct
import sys

ROOT = __file__.rsplit("/tests/", 1)[0]


def load_table():
    src = open(ROOT + "/ingest/scap-table.c").read()
    params = {}
    for m in re.finditer(r"static const struct scap_param P(\d+)\[\] = \{(.*?)\n\};", src, re.S):
        params[int(m.group(1))] = [int(t) for t in re.findall(r'\{ "[^"]*", (\d+), ', m.group(2))]
    events = {}
    for m in re.finditer(r"\[(\d+)\] = \{ \"[^\"]*\", 0x([0-9a-f]+)u, 0x([0-9a-f]+)u, (\d+), (P\d+|NULL) \}", src):
        t = int(m.group(1))
        events[t] = (int(m.group(3), 16), params.get(t, []))
    return events


SIZE = {1: 1, 2: 2, 3: 4, 4: 8, 5: 1, 6: 2, 7: 4, 8: 8, 11: 8, 14: 8, 15: 8, 18: 2, 19: 1,
        20: 8, 21: 8, 22: 2, 23: 1, 24: 1, 25: 4, 28: 1, 29: 2, 30: 4, 31: 4, 32: 4, 33: 8,
        34: 4, 42: 4, 44: 1, 45: 2, 46: 4}
FMT = {1: "B", 2: "H", 4: "I", 8: "Q"}


def swap_int(b):
    return bytes(reversed(b))


def swap_param(t, v):
    if not v:
        return v
    if t in SIZE and len(v) == SIZE[t]:
        return swap_int(v)
    if t in (12, 13):  # sockaddr / socktuple: family byte first
        fam = v[0]
        if fam in (2, 10):
            al = 4 if fam == 2 else 16
            if t == 12 and len(v) == 1 + al + 2:
                return v[:1 + al] + swap_int(v[1 + al:])
            if t == 13 and len(v) == 1 + 2 * (al + 2):
                o = 1
                out = v[:1]
                for _ in range(2):
                    out += v[o:o + al] + swap_int(v[o + al:o + al + 2])
                    o += al + 2
                return out
        if fam == 1 and t == 13 and len(v) >= 17:
            return v[:1] + swap_int(v[1:9]) + swap_int(v[9:17]) + v[17:]
        return v
    if t == 16 and len(v) >= 2:  # fd list
        n = struct.unpack_from("<H", v)[0]
        out = swap_int(v[:2])
        o = 2
        for _ in range(n):
            if o + 10 > len(v):
                break
            out += swap_int(v[o:o + 8]) + swap_int(v[o + 8:o + 10])
            o += 10
        return out + v[o:]
    return v


def main():
    inp, outp = sys.argv[1], sys.argv[2]
    le = "--le" in sys.argv[3:]
    raw = open(inp, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    events = load_table()
    E = "<" if le else ">"
    out = bytearray()
    o = 0
    while o + 12 <= len(raw):
        btype, blen = struct.unpack_from("<II", raw, o)
        if blen < 12 or o + blen > len(raw):
            break
        body = raw[o + 8:o + blen - 4]
        if btype == 0x0A0D0D0A:
            magic, major, minor, slen = struct.unpack_from("<IHHq", body)
            nb = struct.pack(E + "IHHq", magic, major, minor, slen) + body[16:]
        elif btype in (0x204, 0x216, 0x208, 0x217, 0x221, 0x222, 0x8010ABCD):
            v1 = btype in (0x204, 0x208, 0x8010ABCD)
            flags = btype in (0x208, 0x217, 0x222)
            p = 0
            cpu = struct.unpack_from("<H", body, p)[0]
            p += 2
            nb = struct.pack(E + "H", cpu)
            if flags:
                nb += struct.pack(E + "I", struct.unpack_from("<I", body, p)[0])
                p += 4
            ts, tid, ln, ty = struct.unpack_from("<QQIH", body, p)
            hdr = 22 if v1 else 26
            ev = body[p:p + ln]
            fl, ptypes = events.get(ty, (0, []))
            lsz = 4 if fl & (1 << 11) else 2
            if v1:
                n = len(ptypes)
                while n > 0:
                    if 22 + lsz * n <= len(ev):
                        lens = struct.unpack_from("<%d%s" % (n, "I" if lsz == 4 else "H"), ev, 22)
                        if hdr + lsz * n + sum(lens) == ln:
                            break
                    n -= 1
            else:
                n = struct.unpack_from("<I", ev, 22)[0]
            lens = struct.unpack_from("<%d%s" % (n, "I" if lsz == 4 else "H"), ev, hdr) if n else ()
            nb += struct.pack(E + "QQIH", ts, tid, ln, ty)
            if not v1:
                nb += struct.pack(E + "I", n)
            nb += struct.pack(E + "%d%s" % (n, "I" if lsz == 4 else "H"), *lens)
            q = hdr + lsz * n
            for i, L in enumerate(lens):
                val = ev[q:q + L]
                t = ptypes[i] if i < len(ptypes) else 0
                if ty <= 1 and i == 1:
                    t = 6  # generic nativeID: u16
                nb += val if le else swap_param(t, val)
                q += L
            nb += body[p + ln:]
        else:
            o += blen
            continue
        out += struct.pack(E + "II", btype, blen) + nb + struct.pack(E + "I", blen)
        o += blen
    open(outp, "wb").write(out)


main()
