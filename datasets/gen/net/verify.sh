#!/bin/bash
# verify.sh: print what tshark sees in each capture made by ../net-captures.sh.
# Usage: datasets/gen/net/verify.sh [DIR]   (DIR defaults to tests/data/pcap)
# Needs tshark and capinfos (wireshark-common). Read-only; the numbers it prints
# are the ones quoted in tests/data/pcap/README.md.
set -eu
cd "${1:-tests/data/pcap}"
T() { tshark -r "$@" 2>/dev/null; }
n() { wc -l | tr -d ' '; }
lst() { tr '\n\t' ' :' | sed 's/ *$//'; }
for f in *.pcap *.pcapng *.pcap.gz; do
    printf '%-28s %5s packets %7s bytes %10s s  %s\n' "$f" \
        "$(capinfos -c -M "$f" | awk '/Number of packets/{print $NF}')" "$(stat -c %s "$f")" \
        "$(capinfos -u -M "$f" | awk '/Capture duration/{print $(NF-1)}')" \
        "$(capinfos -t -M "$f" | awk -F': *' '/File type/{print $2}')"
done
echo "sweep-icmp: echo requests to $(T sweep-icmp.pcap -Y 'icmp.type==8' -T fields -e ip.dst | sort -u | n) addresses; replies from $(T sweep-icmp.pcap -Y 'icmp.type==0' -T fields -e ip.src | sort -V | lst)"
echo "sweep-arp: who-has for $(T sweep-arp.pcap -Y 'arp.opcode==1' -T fields -e arp.dst.proto_ipv4 | sort -u | n) addresses in $(T sweep-arp.pcap -Y 'arp.opcode==1' | n) requests; replies: $(T sweep-arp.pcap -Y 'arp.opcode==2' -T fields -e arp.src.proto_ipv4 -e arp.src.hw_mac | sort -uV | lst)"
for s in scan-syn-vertical scan-connect-vertical; do
    echo "$s: $(T $s.pcap -Y 'tcp.flags.syn==1&&tcp.flags.ack==0' | n) SYNs to $(T $s.pcap -Y 'tcp.flags.syn==1&&tcp.flags.ack==0' -T fields -e tcp.dstport | sort -u | n) ports of 10.99.0.10 from $(T $s.pcap -Y 'ip.src==10.99.0.2' -T fields -e tcp.srcport | sort -u | n) source ports; SYN-ACK from $(T $s.pcap -Y 'tcp.flags.syn==1&&tcp.flags.ack==1' -T fields -e tcp.srcport | sort -un | lst); $(T $s.pcap -Y 'tcp.flags.reset==1&&ip.src==10.99.0.10' | n) RST from the target, $(T $s.pcap -Y 'tcp.flags.reset==1&&ip.src==10.99.0.2' | n) from the scanner"
done
echo "scan-horizontal: $(T scan-horizontal.pcap -Y 'tcp.flags.syn==1&&tcp.flags.ack==0' | n) SYNs to port 22 of $(T scan-horizontal.pcap -Y 'tcp.flags.syn==1&&tcp.flags.ack==0' -T fields -e ip.dst | sort -u | n) hosts; answers: $(T scan-horizontal.pcap -Y 'tcp&&ip.src!=10.99.0.2' -T fields -e ip.src -e tcp.flags.str | tr -d '·' | lst)"
conv() { T "$1" -q -z conv,tcp | grep -c '<->'; }
echo "bruteforce-ssh: $(conv bruteforce-ssh.pcap) TCP sessions to 10.99.0.10:22; banners: $(T bruteforce-ssh.pcap -Y ssh.protocol -T fields -e ssh.protocol | sort | uniq -c | lst)"
echo "bruteforce-ftp: $(conv bruteforce-ftp.pcap) sessions, $(T bruteforce-ftp.pcap -Y 'ftp.request.command == "USER"' | n) USER, $(T bruteforce-ftp.pcap -Y 'ftp.request.command == "PASS"' | n) PASS, $(T bruteforce-ftp.pcap -Y 'ftp.response.code == 530' | n) x 530; users $(T bruteforce-ftp.pcap -Y 'ftp.request.command == "USER"' -T fields -e ftp.request.arg | sort -u | lst)"
echo "bruteforce-http: $(conv bruteforce-http.pcap) sessions, $(T bruteforce-http.pcap -Y http.authorization | n) requests with Authorization: Basic, $(T bruteforce-http.pcap -Y 'http.response.code == 401' | n) x 401"
echo "docker-api: $(T docker-api.pcap -Y http.request -T fields -e http.request.method -e http.request.uri | sed 's/[0-9a-f]\{64\}/ID/' | lst) -> $(T docker-api.pcap -Y http.response -T fields -e http.response.code | lst); body has $(T docker-api.pcap -Y 'http.request.method == "POST"' -T fields -e http.file_data | grep -o '"Binds": \[[^]]*\]\|"Privileged": true' | lst)"
echo "metadata: $(T metadata.pcap -Y http.request -T fields -e ip.dst -e http.request.uri | lst) -> $(T metadata.pcap -Y http.response -T fields -e http.response.code | lst)"
echo "kubelet: $(T kubelet.pcap -Y http.request -T fields -e http.request.method -e http.request.uri | lst) -> $(T kubelet.pcap -Y http.response -T fields -e http.response.code | lst)"
echo "mining: $(conv mining.pcap) session to 198.51.100.7:3333; client methods: $(T mining.pcap -Y 'tcp.len>0&&ip.src==10.99.0.2' -T fields -e tcp.payload | xxd -r -p | grep -o '"method":"[a-z.]*"' | lst)"
echo "revshell: $(conv revshell.pcap) session to 203.0.113.66:4444 lasting $(capinfos -u -M revshell.pcap | awk '/duration/{print $(NF-1)}') s; $(T revshell.pcap -Y 'tcp.len>0&&ip.src==203.0.113.66' | n) data segments in, $(T revshell.pcap -Y 'tcp.len>0&&ip.src==10.99.0.2' | n) out, largest $(T revshell.pcap -Y 'tcp.len>0' -T fields -e tcp.len | sort -n | tail -1) bytes"
echo "beacon: $(T beacon.pcap -Y http.request -T fields -e frame.time_relative | awk 'NR>1{d=$1-p; s+=d; if(min==""||d<min)min=d; if(d>max)max=d; k++} {p=$1} END{printf "%d GETs in %d sessions to 203.0.113.50:80, interval mean %.3f s, min %.3f, max %.3f", k+1, k+1, s/k, min, max}')"
echo "dns-tunnel: $(T dns-tunnel.pcap -Y 'dns.flags.response==0' | n) queries ($(T dns-tunnel.pcap -Y 'dns.flags.response==0&&dns.qry.type==16' | n) TXT), $(T dns-tunnel.pcap -Y 'dns.flags.response==1' | n) answers, $(T dns-tunnel.pcap -Y 'dns.flags.response==0' -T fields -e dns.qry.name | sort -u | n) distinct names, all under $(T dns-tunnel.pcap -Y 'dns.flags.response==0' -T fields -e dns.qry.name | awk -F. '{print $(NF-2)"."$(NF-1)"."$NF}' | sort -u | lst), name lengths $(T dns-tunnel.pcap -Y 'dns.flags.response==0' -T fields -e dns.qry.name | awk '{print length}' | sort -u | lst)"
echo "dns-benign: $(T dns-benign.pcap -Y 'dns.flags.response==0' | n) queries for $(T dns-benign.pcap -Y 'dns.flags.response==0' -T fields -e dns.qry.name | sort -u | n) names, types $(T dns-benign.pcap -Y 'dns.flags.response==0' -T fields -e dns.qry.type | sort -n | uniq -c | awk '{print "type"$2"="$1}' | lst); NXDOMAIN: $(T dns-benign.pcap -Y 'dns.flags.rcode==3' -T fields -e dns.qry.name | lst)"
echo "arp-spoof: ARP: $(T arp-spoof.pcap -Y arp -T fields -e frame.time_relative -e arp.opcode -e arp.src.proto_ipv4 -e arp.src.hw_mac | awk '{printf "%.1fs %s %s=%s; ", $1, ($2==1?"req":"rep"), $3, $4}')echo requests' dst MAC in order: $(T arp-spoof.pcap -Y 'icmp.type==8' -T fields -e eth.dst | uniq -c | awk '{printf "%sx%s ", $1, $2}')"
echo "benign-web: $(T benign-web.pcap -Y http.request -T fields -e http.request.method -e http.host -e http.request.uri | lst) -> $(T benign-web.pcap -Y http.response -T fields -e http.response.code | lst); TLS ClientHello SNI/ALPN: $(T benign-web.pcap -Y 'tls.handshake.type==1' -T fields -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str | lst); ServerHello ALPN: $(T benign-web.pcap -Y 'tls.handshake.type==2' -T fields -e tls.handshake.extensions_alpn_str | lst)"
echo "tcp-states: RST from $(T tcp-states.pcap -Y tcp.flags.reset==1 -T fields -e ip.src -e tcp.srcport -e tcp.dstport | lst); FINs $(T tcp-states.pcap -Y tcp.flags.fin==1 | n); UDP datagrams $(T tcp-states.pcap -Y 'udp&&!icmp' | n); ICMP type:code $(T tcp-states.pcap -Y icmp -T fields -e icmp.type -e icmp.code | lst)"
echo "ipv6: $(T ipv6.pcap -q -z io,phs | awk '/tcp|udp|icmpv6/{print $1, $2}' | lst) (all ::1 -> ::1: $(T ipv6.pcap -Y '!(ipv6.src==::1 && ipv6.dst==::1)' | n) other)"
