#!/bin/bash
# net-captures.sh: regenerate drydock's test packet captures (tests/data/pcap/).
#
# Usage (as root; needs tcpdump, iproute2, nmap, iputils-ping, curl, openssl,
# python3 and wireshark-common's editcap/capinfos):
#     sudo datasets/gen/net-captures.sh OUTDIR
#   e.g.  datasets/gen/net-captures.sh tests/data/pcap
#   apt-get install -y tcpdump iproute2 nmap iputils-ping curl openssl python3 wireshark-common
#
# It builds a private lab of network namespaces joined by veth pairs on a
# bridge, and nothing in it reaches any other host:
#     ddcap-sw   the switch: bridge br0 (STP off)
#     ddcap-gw   10.99.0.1   02:dd:00:00:00:01  gateway, DNS resolver, and on its lo
#                            the "outside": 10.98.1.5/.12/.20, 203.0.113.50
#                            (C2 web), 203.0.113.66 (shell listener), 198.51.100.7
#                            (mining pool), 169.254.169.254 (cloud metadata);
#                            10.98.1.0/24 is otherwise a blackhole route
#     ddcap-a    10.99.0.2   02:dd:00:00:00:02  the container / attacker; every capture
#                            is taken on its eth0 (ipv6.pcap on its lo)
#     ddcap-v    10.99.0.10  02:dd:00:00:00:0a  a server on the same LAN
#     ddcap-m    10.99.0.66  02:dd:00:00:00:66  the ARP spoofer
# IPv6 is disabled on the LAN (no router solicitations, no MLD noise), so each
# file holds only its own scenario. Neighbour caches are flushed before each
# capture, so each file starts with its own ARP resolution.
# Fake services and clients: datasets/gen/net/{servers,clients,garp}.py (stdlib).
# Takes about 4-5 minutes (the reverse shell is ~75 s, the beacon ~30 s).
set -eu

if [ $# -ne 1 ] || [ "${1#-}" != "$1" ]; then
    sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 2
fi
[ "$(id -u)" = 0 ] || { echo "net-captures.sh: needs root (tcpdump, network namespaces)" >&2; exit 1; }
for t in ip tcpdump nmap ping curl openssl editcap capinfos gzip; do
    command -v "$t" >/dev/null || { echo "net-captures.sh: $t not found" >&2; exit 1; }
done

OUT=$(mkdir -p "$1" && cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
NET=$HERE/net
# Debian's python3 when present (a version-manager shim is slow and may differ)
PY=${PYTHON:-$( [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || command -v python3 )}
TMP=$(mktemp -d /tmp/ddcap.XXXXXX)
NSS="ddcap-sw ddcap-gw ddcap-a ddcap-v ddcap-m"
SRV_PIDS=""
CAP_PID=""
# Background processes are started as plain commands (ip netns exec execs its
# argument), never through a shell function, so that $! is the process itself.

say() { printf '[net-captures] %s\n' "$*" >&2; }
inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

cleanup() {
    set +e
    [ -n "$CAP_PID" ] && kill -TERM "$CAP_PID" 2>/dev/null && wait "$CAP_PID" 2>/dev/null
    for p in $SRV_PIDS; do kill "$p" 2>/dev/null; done
    for ns in $NSS; do
        if ip netns list | grep -qw "$ns"; then
            for p in $(ip netns pids "$ns"); do kill "$p" 2>/dev/null; done
            ip netns del "$ns"
        fi
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

# ------------------------------------------------------------------- the lab
for ns in $NSS; do
    ip netns list | grep -qw "$ns" && ip netns del "$ns"
    ip netns add "$ns"
    inns "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    inns "$ns" ip link set lo up
done
inns ddcap-a sysctl -qw net.ipv6.conf.lo.disable_ipv6=0   # for ipv6.pcap over ::1
inns ddcap-sw ip link add br0 type bridge stp_state 0 forward_delay 0
inns ddcap-sw ip link set br0 up
lan_host() { # ns mac ip
    local ns=$1 mac=$2 addr=$3 port=p-${1#ddcap-}
    ip link add name eth0 netns "$ns" address "$mac" type veth peer name "$port" netns ddcap-sw
    inns ddcap-sw ip link set "$port" master br0 up
    inns "$ns" ip addr add "$addr/24" dev eth0
    inns "$ns" ip link set eth0 up
    [ "$addr" = 10.99.0.1 ] || inns "$ns" ip route add default via 10.99.0.1
}
lan_host ddcap-gw 02:dd:00:00:00:01 10.99.0.1
lan_host ddcap-a  02:dd:00:00:00:02 10.99.0.2
lan_host ddcap-v  02:dd:00:00:00:0a 10.99.0.10
lan_host ddcap-m  02:dd:00:00:00:66 10.99.0.66
for a in 10.98.1.5 10.98.1.12 10.98.1.20 203.0.113.50 203.0.113.66 198.51.100.7 169.254.169.254; do
    inns ddcap-gw ip addr add "$a/32" dev lo
done
inns ddcap-gw ip route add blackhole 10.98.1.0/24
# the spoofer forwards what it intercepts, quietly
inns ddcap-m sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
# wait until the LAN forwards (the first ARP after setup can go unanswered)
for peer in 10.99.0.1 10.99.0.10 10.99.0.66; do
    for i in $(seq 20); do inns ddcap-a ping -n -c1 -W0.5 "$peer" >/dev/null 2>&1 && break; sleep 0.3; done
done

# ------------------------------------------------------------------- helpers
flush_neigh() { local n; for n in ddcap-gw ddcap-a ddcap-v ddcap-m; do inns "$n" ip neigh flush all 2>/dev/null || true; done; }

# srv NS ROLE HOST PORT [HOST...]: start a fake service, wait until it accepts
srv() {
    local ns=$1 role=$2 h=$3 port=$4
    ip netns exec "$ns" "$PY" "$NET/servers.py" "$role" "$h" "$port" "${@:5}" >"$TMP/srv-$role.log" 2>&1 &
    SRV_PIDS="$SRV_PIDS $!"
    if [ "$role" = dns ]; then sleep 0.5; return; fi
    inns "$ns" "$PY" - "$h" "$port" <<'EOF'
import socket, sys, time
h, p = sys.argv[1], int(sys.argv[2])
for _ in range(100):
    try:
        socket.create_connection((h, p), 0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("server on %s:%d did not start" % (h, p))
EOF
}
srv_stop() {
    local p
    for p in $SRV_PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    SRV_PIDS=""
}

# cap NAME [NS [IFACE]]: start tcpdump (pcap, microseconds, snaplen 262144)
cap() {
    local name=$1 ns=${2:-ddcap-a} ifc=${3:-eth0}
    flush_neigh
    CAP_FILE=$OUT/$name.pcap
    rm -f "$CAP_FILE"
    say "$name"
    ip netns exec "$ns" tcpdump -i "$ifc" -s 0 -B 32768 -n -U --immediate-mode -Z root -w "$CAP_FILE" 2>"$TMP/$name.tcpdump" &
    CAP_PID=$!
    local i
    for i in $(seq 50); do grep -q 'listening on' "$TMP/$name.tcpdump" && break; sleep 0.1; done
    sleep 0.3
}
uncap() {
    sleep 0.7
    kill -TERM "$CAP_PID"   # (SIGINT is ignored by background jobs of a script)
    wait "$CAP_PID" || true
    CAP_PID=""
    grep -q '^0 packets dropped by kernel' "$TMP/$(basename "$CAP_FILE" .pcap).tcpdump" ||
        { say "$CAP_FILE: tcpdump dropped packets:"; cat "$TMP/$(basename "$CAP_FILE" .pcap).tcpdump" >&2; exit 1; }
    srv_stop
    sleep 0.3
}
A() { inns ddcap-a "$@"; }
CL() { inns ddcap-a "$PY" "$NET/clients.py" "$@"; }

# ----------------------------------------------------------------- scenarios
# ICMP sweep: 30 addresses of 10.98.1.0/24 (routed through the gateway; 3 answer)
cap sweep-icmp
# (one shell inside the namespace: an ip netns exec per ping would spread them over ~6 s)
A bash -c 'for i in $(seq 1 30); do ping -n -c1 -W1 "10.98.1.$i" >/dev/null 2>&1 & sleep 0.05; done; wait' || true
uncap

# ARP sweep: nmap host discovery of the local /25 (ARP requests only)
cap sweep-arp
A nmap -sn -n 10.99.0.0/25 >"$TMP/nmap-arp.txt"
uncap

# vertical scans of 10.99.0.10: SYN (half-open) and connect
for kind in syn connect; do
    srv ddcap-v ssh 10.99.0.10 22
    srv ddcap-v web 10.99.0.10 80
    srv ddcap-v docker 10.99.0.10 2375
    srv ddcap-v kubelet 10.99.0.10 10250
    cap "scan-$kind-vertical"
    if [ $kind = syn ]; then flag=-sS; else flag=-sT; fi
    A nmap $flag -n -Pn -T4 --max-rate 2000 --max-retries 1 -p 1-1024,2375,3333,4444,10250 10.99.0.10 >"$TMP/nmap-$kind.txt"
    uncap
done

# horizontal scan: port 22 on 10.98.1.1-30 (2 open, 1 closed, 27 silent)
srv ddcap-gw ssh 10.98.1.5 22 10.98.1.12
cap scan-horizontal
A nmap -sS -n -Pn -T4 --max-rate 2000 --max-retries 1 -p 22 10.98.1.1-30 >"$TMP/nmap-h.txt"
uncap

# brute force
srv ddcap-v ssh 10.99.0.10 22
cap bruteforce-ssh
CL ssh-brute 10.99.0.10 18
uncap

srv ddcap-v ftp 10.99.0.10 21
cap bruteforce-ftp
CL ftp-brute 10.99.0.10
uncap

srv ddcap-v http401 10.99.0.10 80
cap bruteforce-http
CL http-brute 10.99.0.10 80
uncap

# ARP spoofing: ddcap-a pings its gateway; after ~3 s ddcap-m claims 10.99.0.1
cap arp-spoof
ip netns exec ddcap-a ping -n -c 14 -i 1 10.99.0.1 >/dev/null &
BG=$!
sleep 3.2
inns ddcap-m "$PY" "$NET/garp.py" eth0 10.99.0.1 8 1.0
wait "$BG" || true
uncap

# DNS
srv ddcap-gw dns 10.99.0.1 53
cap dns-tunnel
CL dns-tunnel 10.99.0.1 64
uncap

srv ddcap-gw dns 10.99.0.1 53
cap dns-benign
CL dns-benign 10.99.0.1
uncap

# C2 beacon: 16 GETs, 2 s apart (+-5 %)
srv ddcap-gw c2 203.0.113.50 80
cap beacon
CL beacon 203.0.113.50 16 2.0
uncap

# container-escape-ish API abuse
srv ddcap-v docker 10.99.0.10 2375
cap docker-api
CL docker 10.99.0.10
uncap

srv ddcap-gw metadata 169.254.169.254 80
cap metadata
CL metadata 169.254.169.254
uncap

srv ddcap-v kubelet 10.99.0.10 10250
cap kubelet
CL kubelet 10.99.0.10
uncap

srv ddcap-gw stratum 198.51.100.7 3333
cap mining
CL stratum 198.51.100.7 3333
uncap

# reverse shell: ddcap-a connects out to 203.0.113.66:4444, which sends commands
srv ddcap-gw listen 203.0.113.66 4444
sleep 0.5
cap revshell
CL revshell 203.0.113.66 4444
uncap

# benign web: HTTP/1.1 with curl, then TLS 1.3 and TLS 1.2 handshakes with SNI and ALPN
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj /CN=www.example.test -addext subjectAltName=DNS:www.example.test,DNS:api.example.test \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
srv ddcap-v web 10.99.0.10 80
ip netns exec ddcap-v openssl s_server -quiet -accept 10.99.0.10:443 -cert "$TMP/cert.pem" -key "$TMP/key.pem" \
    -alpn http/1.1 -www </dev/null >"$TMP/s_server.log" 2>&1 &
SRV_PIDS="$SRV_PIDS $!"
sleep 1
cap benign-web
A curl -s -o /dev/null -o /dev/null -o /dev/null -A 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0' \
    --resolve www.example.test:80:10.99.0.10 http://www.example.test/ http://www.example.test/style.css \
    http://www.example.test/favicon.ico
sleep 0.5
A curl -s -o /dev/null --resolve www.example.test:80:10.99.0.10 http://www.example.test/robots.txt
sleep 0.5
for v in "-tls1_3 -servername www.example.test" "-tls1_2 -servername api.example.test"; do
    # shellcheck disable=SC2086
    (printf 'GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "${v##* }"; sleep 1) |
        A openssl s_client -connect 10.99.0.10:443 $v -alpn h2,http/1.1 -quiet >/dev/null 2>&1 || true
    sleep 0.5
done
uncap

# TCP states and UDP
srv ddcap-v echo 10.99.0.10 7000
srv ddcap-v rst 10.99.0.10 7001
cap tcp-states
CL tcp-states 10.99.0.10
uncap

# IPv6 over ::1 (on ddcap-a's loopback)
srv ddcap-a echo ::1 7000
cap ipv6 ddcap-a lo
CL ipv6 ::1
A ping -6 -n -c 3 -i 0.2 ::1 >/dev/null
uncap

# other containers of the same packets
editcap -F pcapng "$OUT/benign-web.pcap" "$OUT/benign-web.pcapng"
editcap -F nsecpcap "$OUT/tcp-states.pcap" "$OUT/tcp-states.nsec.pcap"
gzip -9 -n -c "$OUT/dns-tunnel.pcap" >"$OUT/dns-tunnel.pcap.gz"

say "done: $(find "$OUT" -maxdepth 1 -name '*.pcap*' | wc -l) files in $OUT"
capinfos -c "$OUT"/*.pcap "$OUT"/*.pcapng | grep -E '^(File name|Number of packets)'
