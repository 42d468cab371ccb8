#!/usr/bin/env bash
# datasets/sample-incident/record.sh: (re-)record the sample incident.
#
# Builds a small image with umoci and skopeo (busybox, then the app
# scripts, as two layers with their history), makes a network namespace
# and a veth pair by hand with dnsmasq (*.evil.test) and an HTTP server on
# the host end, runs the image as a podman+runc container in that
# namespace, and records the scripted attack of app/attack.sh and
# progs/implant.c with real tools: strace -f -tt -yy --pidns-translation
# attached to the
# container's pid 1, tcpdump on the veth, podman inspect, the /proc
# collector, gcore of the implant, the container's writable layer (podman
# export), its log (k8s-file, kept at overlay-containers/<id>/userdata/ctr.log as podman
# keeps it) and podman save. Writes evidence/ and
# SHA256SUMS. Needs root, podman, runc, umoci, skopeo, dnsmasq, tcpdump,
# strace, gdb, gcc, busybox-static, iproute2, python3. A maintainer tool:
# ./build.sh demo and the tests only read evidence/.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/evidence
NS=ddinc
NAME=ddincident
IMG=localhost/incident:1.0
P=(podman --storage-driver vfs --runtime runc --cgroup-manager cgroupfs)
for t in podman runc umoci skopeo dnsmasq tcpdump strace gcore gcc busybox ip; do
	command -v $t >/dev/null || { echo "record.sh: $t not found" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root" >&2; exit 1; }
tmp=$(mktemp -d)
cleanup() {
	for p in ${PIDS:-}; do kill "$p" 2>/dev/null || true; done
	"${P[@]}" rm -f $NAME >/dev/null 2>&1 || true
	ip netns del $NS 2>/dev/null || true
	ip link del ddinc-h 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
PIDS=

# 1. the image: busybox, then the app, as two layers
gcc -O1 -static -o "$tmp/implant" "$HERE/progs/implant.c" 2>/dev/null
strip "$tmp/implant"
umoci init --layout "$tmp/oci"
umoci new --image "$tmp/oci:incident"
umoci unpack --image "$tmp/oci:incident" "$tmp/bundle" >/dev/null
R=$tmp/bundle/rootfs
mkdir -p "$R/bin" "$R/etc" "$R/tmp" "$R/root" "$R/proc" "$R/sys" "$R/dev" "$R/var/run"
cp "$(command -v busybox)" "$R/bin/busybox"
for a in sh wget nslookup id uname cat ls mount chmod mkdir sleep head ps \
	echo touch rm; do ln -s busybox "$R/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
chmod 1777 "$R/tmp"
umoci repack --image "$tmp/oci:incident" --history.created_by \
	"COPY busybox /bin/ # busybox-static 1.35.0 and its applets" "$tmp/bundle"
# a fresh unpack, so that the second layer holds only the app
umoci unpack --image "$tmp/oci:incident" "$tmp/bundle2" >/dev/null
R=$tmp/bundle2/rootfs
mkdir -p "$R/opt/app"
cp "$HERE/app/wait.sh" "$HERE/app/attack.sh" "$R/opt/app/"
umoci repack --image "$tmp/oci:incident" --history.created_by \
	"COPY app/ /opt/app/" "$tmp/bundle2"
umoci config --image "$tmp/oci:incident" --config.cmd /bin/sh \
	--config.cmd /opt/app/wait.sh --config.workingdir / \
	--history.created_by 'CMD ["/bin/sh", "/opt/app/wait.sh"]'
skopeo copy -q "oci:$tmp/oci:incident" "docker-archive:$tmp/img.tar:$IMG"
"${P[@]}" rm -f $NAME >/dev/null 2>&1 || true
"${P[@]}" load -q -i "$tmp/img.tar" >/dev/null

# 2. the lab network: a namespace, a veth pair, DNS and HTTP on the host end
ip netns add $NS
ip link add ddinc-h type veth peer name ddinc-c
ip link set ddinc-c netns $NS
ip addr add 10.78.0.1/24 dev ddinc-h
ip link set ddinc-h up
ip netns exec $NS ip addr add 10.78.0.2/24 dev ddinc-c
ip netns exec $NS ip link set ddinc-c up
ip netns exec $NS ip link set lo up
ip netns exec $NS ip route add default via 10.78.0.1
mkdir -p "$tmp/www"
cp "$tmp/implant" "$tmp/www/implant"
echo ok > "$tmp/www/beacon"
dnsmasq --no-daemon --no-resolv --no-hosts --listen-address=10.78.0.1 \
	--bind-interfaces --address=/evil.test/10.78.0.1 \
	--pid-file="$tmp/dnsmasq.pid" 2>"$tmp/dnsmasq.log" &
PIDS="$PIDS $!"
(cd "$tmp/www" && exec /usr/bin/python3 -m http.server 8080 --bind 10.78.0.1 \
	>"$tmp/http.log" 2>&1) &
PIDS="$PIDS $!"

# 3. the container, and the recorders
rm -rf "$OUT"
mkdir -p "$OUT"
"${P[@]}" run -d --name $NAME --network ns:/run/netns/$NS --dns 10.78.0.1 \
	--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
	--log-driver k8s-file $IMG >/dev/null
CPID=$("${P[@]}" inspect -f '{{.State.Pid}}' $NAME)
CID=$("${P[@]}" inspect -f '{{.Id}}' $NAME)
CLOG=$("${P[@]}" inspect -f '{{.HostConfig.LogConfig.Path}}' $NAME)
tcpdump -i ddinc-h -U -w "$OUT/capture.pcap" 2>"$tmp/tcpdump.log" &
PIDS="$PIDS $!"
strace -f -tt -yy -s 256 --pidns-translation -p "$CPID" -o "$OUT/trace.txt" 2>"$tmp/strace.log" &
SPID=$!
PIDS="$PIDS $SPID"
sleep 2
"${P[@]}" exec $NAME touch /tmp/go
# the implant beacons for 12 s
for i in $(seq 1 40); do
	IPID=$(pgrep -x implant || true)
	[ -n "$IPID" ] && break
	sleep 0.5
done
[ -n "$IPID" ] || { echo "record.sh: the implant did not start" >&2; exit 1; }
sleep 14
# strace detaches first: gcore needs to ptrace the implant itself
kill "$SPID"
wait "$SPID" 2>/dev/null || true
sh "$HERE/../collect/proc-snapshot.sh" "$OUT/proc.tar" 2>/dev/null
gcore -o "$tmp/core" "$IPID" >"$tmp/gcore.log" 2>&1 ||
	{ cat "$tmp/gcore.log" >&2; exit 1; }
mv "$tmp/core.$IPID" "$OUT/implant.core"
"${P[@]}" inspect $NAME > "$OUT/inspect.json"
# the log where podman keeps it: <id>/userdata/ctr.log
mkdir -p "$OUT/overlay-containers/$CID/userdata"
cp "$CLOG" "$OUT/overlay-containers/$CID/userdata/ctr.log"
"${P[@]}" export -o "$OUT/export-$NAME.tar" $NAME
"${P[@]}" save --format docker-archive -o "$OUT/image.tar" $IMG 2>/dev/null
for p in $PIDS; do kill "$p" 2>/dev/null || true; done
PIDS=
sleep 1
"${P[@]}" rm -f -t 1 $NAME >/dev/null
gzip -9n "$OUT/implant.core" "$OUT/export-$NAME.tar" "$OUT/image.tar" \
	"$OUT/proc.tar" "$OUT/capture.pcap"
(cd "$HERE" && find evidence -type f | sort | xargs sha256sum > SHA256SUMS)
ls -la "$OUT"
