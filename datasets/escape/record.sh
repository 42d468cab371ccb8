#!/usr/bin/env bash
# datasets/escape/record.sh: (re-)record the escape analyzer's test traces.
#
#   datasets/escape/record.sh
#
# Builds progs/escapes.c (gcc -O0 -static) and records each mode under
# strace -f -tt -T -yy -s 256, inside a new pid namespace with its own /proc
# (unshare -p -f --mount-proc) so that "pid 1" is the recording's own strace
# and nsenter into pid 1's namespaces changes nothing on this machine.
# Needs root, ptrace, gcc, strace and util-linux's unshare. A maintainer
# tool: tests never call it; the recordings are data, kept as strace wrote
# them. SHA256SUMS is rewritten.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REC=$HERE/rec
for t in gcc strace unshare; do
	command -v $t >/dev/null || { echo "record.sh: $t not found" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O0 -static -o "$tmp/escapes" "$HERE/progs/escapes.c"
mkdir -p "$REC"

rec() { # NAME ARGS...
	local name=$1; shift
	(cd "$tmp" && unshare -p -f --mount-proc \
		strace -f -tt -T -yy -s 256 -o "$REC/$name.txt" ./escapes "$@")
	echo "recorded rec/$name.txt ($(wc -l < "$REC/$name.txt") lines)"
}

rec all all
rec chain chain
rec chain-slow chain-slow
rec mount mount
rec agent agent
rec forks forks 600
rec benign benign
(cd "$HERE" && sha256sum rec/*.txt > SHA256SUMS)
