#!/usr/bin/env bash
# 0780-audit: Linux audit logs against ausearch and aureport (auditd).
#
# The real audit log of tests/data/audit (and, when this machine's kernel
# audit interface is free and we are root, one recorded now by
# tests/data/audit/make-audit.sh) is imported; the events drydock groups
# are the events ausearch --format csv lists (serial, type, result), the
# records are those ausearch --raw prints, and aureport --summary's
# counts of failed syscalls, keys, process ids, executables and commands
# agree. SYSCALL events are events of kind syscall joined to audit rows
# by event_id, with decoded socket addresses and errno names; processes
# and exec lineage follow. The same log without its ENRICHED part (the
# RAW format) gives the same rows. Bad input: a torn record, a line
# that is not an audit record and a log cut inside its last record are
# anomalies; interleaved records of two
# events are grouped; a file of no record is rejected, case unchanged.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
if ! command -v ausearch >/dev/null || ! command -v aureport >/dev/null; then
	echo "skip: ausearch/aureport (Debian's auditd) absent"
	t_done
fi
D=tests/data/audit
C=$T/case.drydock
dk init "$C"

# compare LOG: drydock's reading of LOG against ausearch's and aureport's
compare() {
	local log=$1 what=$2 a
	dk ingest "$C" "$log"
	expect_rc 0 "$what: imports"
	a=$(q "$C" "select id from artifacts where name = '$log'")
	ausearch -if "$log" --format csv 2>/dev/null | tail -n +2 |
		awk -F, '{print $5 "," $2 "," $12}' | sort >"$T/as.csv"
	q "$C" "select serial || ',' || type || ',' || case success when 1 then 'success' when 0 then 'failed' else '' end from audit where artifact_id = $a" |
		sort >"$T/dd.csv"
	check "$what: the events ausearch lists (serial, type, result)" diff "$T/as.csv" "$T/dd.csv"
	expect_eq "$what: the records ausearch reads" \
		"$(ausearch -if "$log" --raw 2>/dev/null | wc -l)" \
		"$(q "$C" "select sum(nrecords) from audit where artifact_id = $a")"
	aureport -if "$log" --summary 2>/dev/null >"$T/ar.txt"
	ar() { sed -n "s/^Number of $1: //p" "$T/ar.txt"; }
	expect_eq "$what: aureport's events, failed syscalls, keys, pids, executables, commands" \
		"$(ar events) $(ar 'failed syscalls') $(ar keys) $(ar 'process IDs') $(ar executables) $(ar commands)" \
		"$(q "$C" "select count(*) || ' ' || sum(syscall is not null and success = 0) || ' ' || count(distinct key) || ' ' || count(distinct pid) || ' ' || count(distinct exe) || ' ' || count(distinct comm) from audit where artifact_id = $a")"
	expect_eq "$what: every SYSCALL event is a syscall event (event_id)" \
		"$(q "$C" "select count(*) from audit where artifact_id = $a and syscall is not null")" \
		"$(q "$C" "select count(*) from audit u join events e on e.id = u.event_id and e.syscall = u.syscall and e.pid = u.pid where u.artifact_id = $a")"
	expect_eq "$what: a syscall event's uid is the record's euid" \
		"$(q "$C" "select count(*) from audit where artifact_id = $a and syscall is not null and euid is not null")" \
		"$(q "$C" "select count(*) from audit u join events e on e.id = u.event_id and e.uid = u.euid where u.artifact_id = $a")"
	# execve events: the argv ausearch -i interprets (control bytes as \ooo)
	ausearch -if "$log" -i -sc execve 2>/dev/null |
		sed -n 's/^type=EXECVE msg=audit([^)]*) : argc=[0-9]* //p' |
		sed 's/ a[0-9]*=/ /g; s/^a0=//; s/ *$//' >"$T/as.argv"
	"$DRYDOCK" query --format json "$C" "select argv from audit where artifact_id = $a and argv is not null order by ts, serial" |
		/usr/bin/python3 -c 'import json, sys
for r in json.load(sys.stdin):
    print("".join("\\%03o" % ord(c) if ord(c) < 32 or ord(c) == 127 else c for c in r["argv"]).rstrip(" "))' >"$T/dd.argv"
	check "$what: execve arguments as ausearch -i reads them" diff "$T/as.argv" "$T/dd.argv"
}
compare "$D/audit.log" "the bundled log"
# an argument ending in a space (hex-encoded by auditd) keeps it
compare "$D/execve-spaces.log" "an argument ending in a space"
# hex-encoded arguments and titles of every length (the decoder takes 16
# digits a step): argv as ausearch -i reads it; proctitle against a
# decoder written here (NULs between arguments become spaces, trailing
# ones go; upper-case digits; a value that is not hex stays as written)
/usr/bin/python3 - "$T/hex.log" "$T/hex.want" <<'PY'
import random, sys
random.seed(11)
log, want = [], []
for n in range(300):
    t, ser = 1700000000 + n, 5000 + n
    arg = bytes(random.choice(b" ab\t\x02\x1f~Z") for _ in range(random.randrange(1, 41)))
    if b" " not in arg and b"\t" not in arg and b"\x02" not in arg and b"\x1f" not in arg:
        arg += b" "  # auditd quotes plain values: keep every one hex
    title = bytes(random.choice([0, 1, 0x41, 0x7e, 0x20, 0x2f]) for _ in range(random.randrange(1, 40)))
    h = title.hex()
    if n % 3 == 0:
        h = h.upper()
    if n % 7 == 0:
        h = h[:len(h) // 2] + "g" + h[len(h) // 2 + 1:]
    log.append(f"type=SYSCALL msg=audit({t}.000:{ser}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid={100 + n} auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"x\" exe=\"/bin/x\" key=(null)")
    log.append(f"type=EXECVE msg=audit({t}.000:{ser}): argc=2 a0={arg.hex()} a1=\"b\"")
    log.append(f"type=PROCTITLE msg=audit({t}.000:{ser}): proctitle={h}")
    if "g" in h:
        want.append(h)
    else:
        b = bytes.fromhex(h).rstrip(b"\0")
        want.append(b.replace(b"\0", b" ").replace(b"\1", b",").decode())
open(sys.argv[1], "w").write("\n".join(log) + "\n")
open(sys.argv[2], "w").write("\n".join(want) + "\n")
PY
compare "$T/hex.log" "hex values of every length"
check "hex values of every length: proctitle decoded" diff "$T/hex.want" \
	<(q "$C" "select coalesce(proctitle, '') from audit where artifact_id = (select id from artifacts where name = '$T/hex.log') order by serial")
A=$(q "$C" "select id from artifacts where name = '$D/audit.log'")
expect_eq "connects: family, address, port and errno" \
	"AF_INET|127.0.0.1|9|EINPROGRESS AF_INET6|::1|9|ECONNREFUSED AF_UNIX|/run/nonexistent.sock||ENOENT" \
	"$(q "$C" "select family || '|' || addr || '|' || coalesce(port, '') || '|' || errno from events where artifact_id = $A and syscall = 'connect' and comm = 'python3' order by id" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "a watch's open has its key and path" "dd-shadow|/etc/shadow|cat" \
	"$(q "$C" "select key || '|' || path || '|' || comm from audit where artifact_id = $A and syscall = 'openat' order by ts limit 1")"
expect_eq "PAM records: op, account, result" "PAM:authentication|nobody|1" \
	"$(q "$C" "select op || '|' || acct || '|' || success from audit where artifact_id = $A and type = 'USER_AUTH'")"
expect_eq "su's shell is its child, with its argv" "su|sh -c echo hi 'quoted arg' \$'\\x01bin'" \
	"$(q "$C" "select p.comm || '|' || c.args from processes c join processes p on p.pid = c.ppid and p.artifact_id = c.artifact_id where c.artifact_id = $A and c.comm = 'sh' and c.args like '%quoted%'")"
expect_eq "enter time is the record's time" "1796279976.208" \
	"$(q "$C" "select printf('%d.%03d', ts / 1000000000, ts / 1000000 % 1000) from events where artifact_id = $A and syscall = 'connect' and family = 'AF_INET' and comm = 'python3'")"

# sshd's PAM records: aureport's failed authentications and logins
compare tests/data/audit/sshd-auth.log "sshd's PAM records"
S=$(q "$C" "select id from artifacts where name = 'tests/data/audit/sshd-auth.log'")
aureport -if tests/data/audit/sshd-auth.log --summary 2>/dev/null >"$T/ar2.txt"
expect_eq "aureport's failed authentications and logins" \
	"$(sed -n 's/^Number of failed authentications: //p' "$T/ar2.txt") $(sed -n 's/^Number of logins: //p' "$T/ar2.txt")" \
	"$(q "$C" "select sum(type = 'USER_AUTH' and success = 0) || ' ' || sum(type = 'USER_LOGIN' and success = 1) from audit where artifact_id = $S")"

# the RAW format: no enriched part
sed 's/\x1d.*//' "$D/audit.log" >"$T/raw.log"
dk ingest "$C" "$T/raw.log"
expect_rc 0 "a RAW-format log imports"
R=$(q "$C" "select id from artifacts where name = '$T/raw.log'")
expect_eq "RAW and ENRICHED give the same syscalls" \
	"$(q "$C" "select group_concat(syscall) from (select syscall from audit where artifact_id = $A order by seq)")" \
	"$(q "$C" "select group_concat(syscall) from (select syscall from audit where artifact_id = $R order by seq)")"

# interleaved records, a torn record, a foreign line
{
	grep ':7[67]): ' "$D/audit.log" | awk 'NR % 2 == 1' 
	grep ':7[67]): ' "$D/audit.log" | awk 'NR % 2 == 0'
	echo 'type=SYSCALL msg=audit(1796279977.000:'
	echo 'hello world'
	grep ':78): ' "$D/audit.log"
} >"$T/bad.log"
dk ingest "$C" "$T/bad.log"
expect_rc 0 "a damaged audit log imports"
B=$(q "$C" "select id from artifacts where name = '$T/bad.log'")
expect_eq "interleaved events grouped; two anomalies" "76:3 77:3 78:5 | 2" \
	"$(q "$C" "select group_concat(serial || ':' || nrecords, ' ') || ' | ' || (select count(*) from anomalies where artifact_id = $B) from (select * from audit where artifact_id = $B order by serial)")"
# a log cut inside its last record (no newline at its end)
head -c 3000 "$D/audit.log" >"$T/cut.log"
dk ingest "$C" "$T/cut.log"
expect_rc 0 "a log cut inside a record imports"
K=$(q "$C" "select id from artifacts where name = '$T/cut.log'")
expect_eq "the cut is an anomaly at the last record" \
	"$(( $(head -c 3000 "$D/audit.log" | wc -c) - $(head -c 3000 "$D/audit.log" | tail -n 1 | wc -c) ))|the last record has no newline: the log may be cut at offset 3000" \
	"$(q "$C" "select offset || '|' || message from anomalies where artifact_id = $K")"
s0=$(case_state "$C")
printf 'nothing here\n' >"$T/none.log"
dk ingest "$C" --as audit "$T/none.log"
expect_rc 1 "a file of no audit record is rejected"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"

# a log recorded now, when this machine lets us
if t_is_root && mkdir -p "$T/live" && sh tests/data/audit/make-audit.sh "$T/live" >/dev/null 2>&1; then
	compare "$T/live/audit.log" "a log recorded now"
else
	echo "note: no live audit log (not root, or the kernel audit interface is busy or absent)"
fi
# packed rows: the audit_all table reads compressed chunks; its seq and
# time filters give what a full scan gives
expect_eq "the events are in compressed chunks" "$(q "$C" "select count(*) from audit where artifact_id = $A")" \
	"$(q "$C" "select sum(n) from audit_chunk_all where artifact_id = $A")"
m=$(q "$C" "select ts from audit_all where artifact_id = $A and seq = 20")
expect_eq "seq and time filters equal a full scan" \
	"$(q "$C" "select count(*) || '|' || sum(serial) from audit_all where +artifact_id = $A and +ts >= $m")|$(q "$C" "select serial from audit_all where +artifact_id = $A and +seq = 20")" \
	"$(q "$C" "select count(*) || '|' || sum(serial) from audit_all where artifact_id = $A and ts >= $m")|$(q "$C" "select serial from audit_all where artifact_id = $A and seq = 20")"
t_sanitized && fail "sanitizer report"
t_done
