#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# proc-snapshot.sh OUT.tar | -
#
# A read-only collector: snapshots what /proc tells about every process into
# a tar archive for a later drydock importer. POSIX sh (dash), GNU coreutils
# (cp, stat, mkdir, truncate, date, uname, id, wc, mktemp, rm, chmod) and tar.
# Layout (docs/FORMATS.md 6.2, adapted; see datasets/README.md):
#
#   meta.txt                  key=value lines: collector, version, times,
#                             host, kernel, uid, ref_pid, counts
#   errors.txt                one line per entry that could not be read
#                             (the tool's own message; LC_ALL=C)
#   links.txt                 one line per symlink: "PID/NAME -> TARGET"
#                             (NAME: exe cwd root ns/<ns> fd/<n>), TARGET in
#                             GNU "escape" quoting (\\ \n \t \ooo); a line
#                             without " -> " is a link that could not be read
#   proc/<pid>/{status,stat,statm,comm,cmdline,environ,maps,cgroup,mountinfo,
#               limits,loginuid,oom_score_adj,uid_map,gid_map,setgroups,
#               attr/current}
#   proc/<pid>/fdinfo/<n>
#   proc/<pid>/task/<tid>/{stat,status}   only for multi-threaded processes
#   (a pid directory without stat: the process exited while being read)
#   proc/{mounts,version,uptime,net/{tcp,tcp6,udp,udp6,unix},
#         sys/kernel/{hostname,osrelease,random/boot_id}}   the collector's view
#
# It never opens a symlink under /proc (exe, cwd, root, fd/*, ns/* are only
# readlink()ed), never reads kcore/kmem/mem/pagemap or /dev, and copies only
# named procfs files (never FIFOs). File contents are read by cp (which reads
# to EOF, unlike tar, which trusts st_size=0) and capped afterwards (a file
# exactly at its cap was cut). The tree is built on /dev/shm when it has
# room (no trace on disk), else in $TMPDIR or /tmp.
#
# Exit status: 0 snapshot written (unreadable entries are in errors.txt),
# 1 the output or the temporary tree could not be written, 2 usage.

VERSION=1
CAP_ARGS=1048576                      # cmdline, environ: 1 MiB
CAP_BIG=16777216                      # maps, mountinfo: 16 MiB

PROG=proc-snapshot.sh
usage() {
	cat <<EOF
usage: $PROG OUT.tar | -
  Snapshot /proc (every process: status, stat, cmdline, environ, maps,
  cgroup, mountinfo, fdinfo, thread stat/status, and the targets of its
  exe/cwd/root/ns/fd links) plus host tables (net/tcp*, udp*, unix, mounts,
  version, uptime, hostname) into a tar archive. '-' writes the tar to
  stdout. Read-only; needs only sh, GNU coreutils and tar.
  The tree is built on /dev/shm when it has 256 MiB free, else in TMPDIR.
EOF
}
die() { echo "$PROG: $*" >&2; exit 1; }

case $# in
1) ;;
*) usage >&2; exit 2 ;;
esac
case $1 in
--help|-h) usage; exit 0 ;;
-) OUT=- ;;
'' | -?*) echo "$PROG: bad argument '$1'" >&2; usage >&2; exit 2 ;;
*) OUT=$1 ;;
esac
ARG=$1

export LC_ALL=C QUOTING_STYLE=escape
unset POSIXLY_CORRECT
umask 077

if [ "$OUT" = - ]; then
	[ -t 1 ] && { echo "$PROG: refusing to write a tar to a terminal" >&2; exit 2; }
else
	# Create (or truncate) the output now, so that an unwritable path
	# fails before the work; absolute path because we cd /proc.
	case $OUT in /*) ;; *) OUT=$(pwd)/$OUT || die "cannot resolve '$ARG'" ;; esac
	[ -d "$OUT" ] && die "'$ARG' is a directory"
	{ true >"$OUT"; } 2>/dev/null || die "cannot write '$ARG'"
fi

# The tree is built in memory when possible: /dev/shm (tmpfs) unless TMPDIR
# is set or it has less than 256 MiB free. That also leaves no trace on the
# examined host's disks until the output is written.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
	# shellcheck disable=SC2046
	set -- $(df -k --output=avail /dev/shm 2>/dev/null)
	case ${2:-} in
	'' | *[!0-9]*) ;;
	*) [ "$2" -ge 262144 ] && TMPDIR=/dev/shm ;;
	esac
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/proc-snapshot.XXXXXX") || die "mktemp -d failed"
cleanup() {
	chmod -R u+rwx "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
mkdir -p "$T/proc/net" "$T/proc/sys/kernel/random" || die "cannot write in $T"
E=$T/errors.txt
true >"$E" || die "cannot write in $T"
true >"$T/links.txt" || die "cannot write in $T"

START=$(date -u '+%Y-%m-%dT%H:%M:%SZ %s%N')
cd /proc || die "cannot cd /proc"

# attr/current is EINVAL without an LSM: probe once, skip it everywhere then.
ATTR=
if cat self/attr/current >/dev/null 2>&1; then ATTR=y; fi

# Host tables (the collector's own namespaces).
cp net/tcp net/tcp6 net/udp net/udp6 net/unix "$T/proc/net/" 2>>"$E"
cp mounts version uptime "$T/proc/" 2>>"$E"
cp sys/kernel/hostname sys/kernel/osrelease "$T/proc/sys/kernel/" 2>>"$E"
cp sys/kernel/random/boot_id "$T/proc/sys/kernel/random/" 2>>"$E"

# Every pid seen now: one readdir of /proc (each glob that starts in /proc
# reads it whole, which costs milliseconds with thousands of processes).
set -- [0-9]*
NPIDS=$#
TTY=
[ -t 2 ] && TTY=y
MAXB=${PROC_SNAPSHOT_BATCH:-1000}   # processes per batch
MAXE=30000                          # names per argument list (ARG_MAX)

# The names to copy and the links to read are written, one a line, to list
# files (builtin printf, no fork); a batch then runs one cp, one stat and
# two truncate over them. The names are procfs names (pids and tids checked
# to be all digits, fd numbers, namespace names) under fixed file names, so
# the lists are word-split (with globbing off) into argument lists.
# A batch's copy runs in the background while the next batch's lists are
# written (two cores: the shell loop and cp overlap); at most two batches
# copy at once. Each batch has its own list, link and error files, joined
# in batch order at the end.
BATCH=0 JOB1= JOB2=
open_lists() {
	BATCH=$((BATCH + 1))
	B=$T/.b$BATCH
	exec 3>"$B.files" 4>"$B.links" 5>"$B.trunc1" 6>"$B.trunc2" 7>"$B.dirs" ||
		die "cannot write in $T"
	NB=0 NF=0 NL=0
}
copy_batch() { # B: the batch's file prefix
	set -f
	# The directories are made first, with our umask: cp --parents would
	# give them the modes of /proc's (r-x), and a non-root collector could
	# not write the next file into them.
	cd "$T/proc" || exit 1
	# shellcheck disable=SC2046
	mkdir -p $(cat "$1.dirs") 2>>"$1.err" || exit 1
	cd /proc || exit 1
	# shellcheck disable=SC2046
	cp -f --no-preserve=mode --reflink=never --sparse=never --parents $(cat "$1.files") "$T/proc/" 2>>"$1.err"
	[ $? -ge 126 ] && echo "$PROG: cp failed on a batch ($1)" >>"$1.err"
	# shellcheck disable=SC2046
	stat -c '%N' $(cat "$1.links") >"$1.linkout" 2>>"$1.err"
	[ $? -ge 126 ] && echo "$PROG: stat failed on a batch ($1)" >>"$1.err"
	# The truncate lists are relative to $T/proc (TMPDIR may hold spaces).
	cd "$T/proc" || exit 1
	# shellcheck disable=SC2046
	truncate -c -s "<$CAP_ARGS" $(cat "$1.trunc1") 2>>"$1.err"
	# shellcheck disable=SC2046
	truncate -c -s "<$CAP_BIG" $(cat "$1.trunc2") 2>>"$1.err"
	exit 0
}
flush() {
	exec 3>&- 4>&- 5>&- 6>&- 7>&-
	[ "$NB" -gt 0 ] || return 0
	if [ -n "$JOB1" ]; then
		wait "$JOB1" || die "cannot write in $T"
	fi
	JOB1=$JOB2
	copy_batch "$B" &
	JOB2=$!
	DONE=$((DONE + NB))
	[ -n "$TTY" ] && printf '%s: %d/%d processes\r' "$PROG" "$DONE" "$NPIDS" >&2
	return 0
}

# threads PID: task/<tid>/{stat,status} only when there is more than the
# main thread (whose stat and status are the process's own).
threads() {
	set -- "$1"/task/*
	[ $# -gt 1 ] || return 0
	for t in "$@"; do
		case ${t##*/} in '' | *[!0-9]*) continue ;; esac
		printf '%s\n' "$t/stat" "$t/status" >&3
		printf '%s\n' "$t" >&7
		NF=$((NF + 2))
	done
}

DONE=0
open_lists
for p in "$@"; do
	case $p in '' | *[!0-9]*) continue ;; esac
	# stat first: a pid directory without stat is a process that exited.
	printf '%s\n' "$p/stat" "$p/status" "$p/statm" "$p/comm" \
		"$p/cmdline" "$p/environ" "$p/maps" "$p/cgroup" \
		"$p/mountinfo" "$p/limits" "$p/loginuid" "$p/oom_score_adj" \
		"$p/uid_map" "$p/gid_map" "$p/setgroups" >&3
	printf '%s\n' "$p/fdinfo" >&7
	if [ -n "$ATTR" ]; then
		printf '%s\n' "$p/attr/current" >&3
		printf '%s\n' "$p/attr" >&7
	fi
	printf '%s\n' "$p/cmdline" "$p/environ" >&5
	printf '%s\n' "$p/maps" "$p/mountinfo" >&6
	printf '%s\n' "$p/exe" "$p/cwd" "$p/root" >&4
	NF=$((NF + 16)) NL=$((NL + 3))
	for l in "$p"/ns/*; do
		[ "$l" = "$p/ns/*" ] && continue
		case ${l##*/} in *[!a-z_]*) continue ;; esac
		printf '%s\n' "$l" >&4
		NL=$((NL + 1))
	done
	# fdinfo/ refuses (ptrace check) when the fd links cannot be read:
	# one error line for the process instead of one per fd.
	fi=
	if [ -r "$p/fdinfo" ]; then
		fi=y
	elif [ -d "$p/fdinfo" ]; then
		echo "$PROG: '$p/fdinfo': not readable (ptrace access), skipped" >>"$E"
	fi
	for l in "$p"/fd/*; do
		[ "$l" = "$p/fd/*" ] && continue
		n=${l##*/}
		case $n in '' | *[!0-9]*) continue ;; esac
		printf '%s\n' "$l" >&4
		NL=$((NL + 1))
		if [ -n "$fi" ]; then
			printf '%s\n' "$p/fdinfo/$n" >&3
			NF=$((NF + 1))
		fi
	done
	threads "$p"
	NB=$((NB + 1))
	if [ "$NB" -ge "$MAXB" ] || [ "$NF" -ge "$MAXE" ] || [ "$NL" -ge "$MAXE" ]; then
		flush
		open_lists
	fi
done
flush
for j in $JOB1 $JOB2; do
	wait "$j" || die "cannot write in $T"
done
i=1
while [ "$i" -le "$BATCH" ]; do
	B=$T/.b$i
	[ -f "$B.linkout" ] && cat "$B.linkout" >>"$T/links.txt"
	[ -f "$B.err" ] && cat "$B.err" >>"$E"
	rm -f "$B.files" "$B.links" "$B.trunc1" "$B.trunc2" "$B.dirs" \
		"$B.linkout" "$B.err"
	i=$((i + 1))
done
[ -n "$TTY" ] && printf '\n' >&2

SEEN=0 VANISHED=0
for p in "$@"; do
	case $p in '' | *[!0-9]*) continue ;; esac
	SEEN=$((SEEN + 1))
	if [ ! -s "$T/proc/$p/stat" ]; then
		VANISHED=$((VANISHED + 1))
		echo "$PROG: pid $p: exited before its stat was read" >>"$E"
	fi
done
set -- "$T"/proc/[0-9]*/task/[0-9]*
THREADS=$#
[ "$THREADS" -eq 1 ] && [ ! -d "$1" ] && THREADS=0

ERRORS=$(wc -l <"$E") || ERRORS=?
END=$(date -u '+%Y-%m-%dT%H:%M:%SZ %s%N')
HOST=
read -r HOST <"$T/proc/sys/kernel/hostname" 2>/dev/null
BOOT=
# The boot time (seconds since the epoch) dates each process's start: stat's
# starttime is in clock ticks since boot.
BTIME=
while read -r k v; do
	[ "$k" = btime ] && BTIME=$v
done </proc/stat
read -r BOOT <"$T/proc/sys/kernel/random/boot_id" 2>/dev/null
{
	echo "collector=drydock-proc-snapshot"
	echo "version=$VERSION"
	echo "date_utc=${START% *}"
	echo "ts_ns=${START#* }"
	echo "end_date_utc=${END% *}"
	echo "end_ts_ns=${END#* }"
	echo "clock=realtime"
	echo "hostname=$HOST"
	echo "uname=$(uname -a)"
	echo "kernel=$(uname -r)"
	echo "boot_id=$BOOT"
	echo "uid=$(id -u)"
	echo "euid_name=$(id -un 2>/dev/null)"
	echo "ref_pid=$$"
	echo "btime=$BTIME"
	echo "processes_seen=$SEEN"
	echo "processes_vanished=$VANISHED"
	echo "threads=$THREADS"
	echo "errors=$ERRORS"
	echo "caps=cmdline,environ:$CAP_ARGS maps,mountinfo:$CAP_BIG"
} >"$T/meta.txt" || die "cannot write in $T"

# The tree is private (umask 077); the tar keeps those modes.
if [ "$OUT" = - ]; then
	tar -cf - -C "$T" meta.txt errors.txt links.txt proc || die "tar failed"
else
	if ! tar -cf "$OUT" -C "$T" meta.txt errors.txt links.txt proc; then
		rm -f "$OUT"
		die "cannot write '$ARG'"
	fi
fi
exit 0
