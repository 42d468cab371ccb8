#!/bin/sh
# make-audit.sh DIR: record a real audit log DIR/audit.log with the
# kernel's audit subsystem and auditd (Debian's auditd package), root only.
#
# auditd runs on its own configuration in DIR (log_format ENRICHED, no
# plugins); four rules with keys dd-exec, dd-net, dd-shadow and dd-ns
# (execve, connect, a watch on /etc/shadow, unshare/setns/mount) watch a
# few commands: cat and ls, python connecting to 127.0.0.1:9, [::1]:9 and
# a unix socket, unshare -U, su to nobody (PAM's USER_* and CRED_*
# records) and a pipe into sh. Audit rules are machine-wide: the script
# deletes every rule it added (auditctl -D), stops its auditd and turns
# auditing off again (auditctl -e 0). Fails (exit 1) when the kernel
# audit interface is unavailable or another auditd runs.
set -u
d=$1
command -v auditd >/dev/null && command -v auditctl >/dev/null || exit 1
st=$(auditctl -s 2>/dev/null) || exit 1
case $st in *"pid 0"*) ;; *) exit 1 ;; esac
mkdir -p "$d/plugins" || exit 1
cat >"$d/auditd.conf" <<EOF
local_events = yes
write_logs = yes
log_file = $d/audit.log
log_group = root
log_format = ENRICHED
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 64
num_logs = 1
name_format = NONE
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = SYSLOG
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
transport = TCP
q_depth = 2000
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $d/plugins
end_of_event_timeout = 2
EOF
chmod 600 "$d/auditd.conf"
auditd -c "$d" -n >"$d/auditd.out" 2>&1 &
apid=$!
cleanup() {
	auditctl -D >/dev/null 2>&1
	kill -TERM "$apid" 2>/dev/null
	wait "$apid" 2>/dev/null
	auditctl -e 0 >/dev/null 2>&1
}
trap cleanup EXIT INT TERM
i=0
while [ ! -s "$d/audit.log" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$d/audit.log" ] || exit 1
auditctl -a always,exit -F arch=b64 -S execve -F key=dd-exec >/dev/null &&
auditctl -a always,exit -F arch=b64 -S connect -F key=dd-net >/dev/null &&
auditctl -w /etc/shadow -p rwa -k dd-shadow >/dev/null &&
auditctl -a always,exit -F arch=b64 -S unshare,setns,mount -F key=dd-ns >/dev/null || exit 1
py=$(command -v python3 || echo /usr/bin/python3)
(
	cat /etc/shadow >/dev/null
	ls /tmp >/dev/null
	"$py" -c 'import socket, os
s = socket.socket(); s.settimeout(0.2)
try: s.connect(("127.0.0.1", 9))
except Exception: pass
s = socket.socket(socket.AF_INET6)
try: s.connect(("::1", 9))
except Exception: pass
s = socket.socket(socket.AF_UNIX)
try: s.connect("/run/nonexistent.sock")
except Exception: pass
try: os.unshare(os.CLONE_NEWNS)
except Exception: pass'
	unshare -U true
	su nobody -s /bin/sh -c "echo hi 'quoted arg' \$'\\x01bin'"
	echo x | sh -c 'cat > /dev/null'
) >/dev/null 2>&1
sleep 1
cleanup
trap - EXIT INT TERM
rm -f "$d/auditd.conf" "$d/auditd.out"
rmdir "$d/plugins" 2>/dev/null
exit 0
