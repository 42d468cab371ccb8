#!/usr/bin/env python3
"""Send gratuitous ARP replies claiming an IP for this host's MAC (ARP spoofing).

Usage: garp.py IFACE CLAIMED_IP COUNT INTERVAL
  Sends COUNT broadcast ARP replies "CLAIMED_IP is-at <MAC of IFACE>" (sender and
  target IP both CLAIMED_IP, as gratuitous ARP), INTERVAL seconds apart, through
  an AF_PACKET socket. Needs root (CAP_NET_RAW). Only run it on an interface of a
  network namespace made for the purpose (../net-captures.sh does so).
"""
import socket
import struct
import sys
import time


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    iface, ip, count, interval = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    with open("/sys/class/net/%s/address" % iface) as f:
        mac = bytes.fromhex(f.read().strip().replace(":", ""))
    bcast = b"\xff" * 6
    pip = socket.inet_aton(ip)
    # Ethernet II, ARP: htype 1, ptype IPv4, hlen 6, plen 4, op 2 (reply)
    frame = (bcast + mac + struct.pack(">H", 0x0806) +
             struct.pack(">HHBBH", 1, 0x0800, 6, 4, 2) + mac + pip + bcast + pip)
    frame += b"\0" * (60 - len(frame))  # pad to the Ethernet minimum, as NICs do
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for i in range(count):
        s.send(frame)
        if i + 1 < count:
            time.sleep(interval)


if __name__ == "__main__":
    main()
