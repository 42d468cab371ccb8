#!/usr/bin/env python3
"""gen-pcap.py N OUT: a pcap of about N packets for the analyzer bench:
TCP connections (handshake, a request, a response, FIN) from 200 clients
to 50 servers on a few ports, and DNS queries with answers, one
microsecond-stamped packet after another. Deterministic (fixed seed)."""
import random, struct, sys

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff

def ip4(a):
    return bytes(int(x) for x in a.split('.'))

def frame(src, dst, proto, l4):
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(l4), 0, 0x4000, 64,
                     proto, 0, ip4(src), ip4(dst))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    return b'\0' * 12 + b'\x08\x00' + ip + l4

def tcp(sp, dp, seq, ack, flags, data=b''):
    return struct.pack('!HHIIBBHHH', sp, dp, seq, ack, 0x50, flags, 65535, 0,
                       0) + data

def udp(sp, dp, data):
    return struct.pack('!HHHH', sp, dp, 8 + len(data), 0) + data

def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    f = open(out, 'wb')
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    t = 1700000000 * 1000000
    k = 0
    def put(b):
        nonlocal t, k
        t += rnd.randint(5, 200)
        f.write(struct.pack('<IIII', t // 1000000, t % 1000000, len(b),
                            len(b)))
        f.write(b)
        k += 1
    while k < n:
        c = '10.1.%d.%d' % (rnd.randint(0, 3), rnd.randint(1, 50))
        s = '10.2.0.%d' % rnd.randint(1, 50)
        if rnd.random() < 0.2:
            q = b'\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00'
            name = b''.join(bytes([len(x)]) + x for x in
                            [b'host%d' % rnd.randint(0, 999), b'example',
                             b'test']) + b'\0'
            sp = rnd.randint(1024, 65000)
            put(frame(c, '10.2.0.53', 17, udp(sp, 53, q + name + b'\0\1\0\1')))
            a = (b'\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00' + name +
                 b'\0\1\0\1\xc0\x0c\0\1\0\1\0\0\0\x3c\0\4' + ip4(s))
            put(frame('10.2.0.53', c, 17, udp(53, sp, a)))
            continue
        sp, dp = rnd.randint(1024, 65000), rnd.choice([80, 443, 8080, 5432])
        put(frame(c, s, 6, tcp(sp, dp, 1, 0, 0x02)))
        put(frame(s, c, 6, tcp(dp, sp, 100, 2, 0x12)))
        put(frame(c, s, 6, tcp(sp, dp, 2, 101, 0x10)))
        put(frame(c, s, 6, tcp(sp, dp, 2, 101, 0x18, b'GET / HTTP/1.0\r\n\r\n')))
        put(frame(s, c, 6, tcp(dp, sp, 101, 20, 0x18, b'HTTP/1.0 200 OK\r\n\r\nok')))
        put(frame(c, s, 6, tcp(sp, dp, 20, 121, 0x11)))
        put(frame(s, c, 6, tcp(dp, sp, 121, 21, 0x11)))
    f.close()

main()
