#!/usr/bin/env bash
# datasets/strace/record.sh: (re-)record the strace test material.
#
#   datasets/strace/record.sh [PROG...]     default: every progs/*.c
#
# With PROG arguments only those are re-recorded and the table goes to stdout
# (README.md is regenerated only by a full run). SLUGS="slug ..." records
# only those option sets (for a set added later), keeps every other
# recording and prints their rows, for the table in README.md.
#
# Builds progs/*.c (gcc -O0 -static) into a temporary directory and records each
# program under the strace on this machine with every option set below,
# into rec/<prog>/<slug>.txt (a directory rec/<prog>/<slug>/ for -ff), then
# regenerates the table between the markers in README.md.
#
# Needs ptrace, gcc and strace; run as root (the programs expect it). This is
# a maintainer tool: tests must never call it; the recordings are data.
# Nothing is normalised: a recording is exactly what strace wrote.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REC=$HERE/rec
README=$HERE/README.md
MAX_BYTES=65535

command -v strace >/dev/null || { echo "record.sh: strace not found" >&2; exit 1; }
command -v gcc >/dev/null || { echo "record.sh: gcc not found" >&2; exit 1; }

# slug | strace options | where the trace goes
#   o      strace OPTS -o FILE ./prog
#   ff     strace OPTS -o DIR/trace ./prog     (one file per tid: DIR/trace.<tid>)
#   stderr strace OPTS ./prog 2> FILE          (strace's own messages interleave)
# The token @TRACE@ is replaced by the per-program trace filter for -k (see
# ktrace below); every other set records the whole run.
SETS='
f|-f|o
f-tt-T|-f -tt -T|o
f-ttt|-f -ttt|o
f-t|-f -t|o
f-r|-f -r|o
f-t-r|-f -t -r|o
f-tt-T-y|-f -tt -T -y|o
f-tt-yy|-f -tt -yy|o
f-Y|-f -Y|o
ff-tt|-ff -tt|ff
f-s8|-f -s 8|o
f-x|-f -x|o
f-xx|-f -xx|o
f-Xverbose|-f -X verbose|o
f-Xraw|-f -X raw|o
f-n-i|-f -n -i|o
f-qq-network|-f -qq -e trace=network|o
f-k|-f -k @TRACE@|o
unix-ns|--timestamps=unix,ns -f|o
f-ttt-Tns|-f -ttt --syscall-times=ns|o
f-tt-rw|-f -tt -e read=all -e write=all|o
f-C|-f -C|o
unix-s|--absolute-timestamps=format:unix,precision:s -f|o
stderr-tt|-tt|stderr
stderr-f-tt|-f -tt|stderr
'

# -k prints a stack after every syscall; keep those recordings small by
# tracing only the calls each program is about.
ktrace() {
	case $1 in
	threads)  echo "-e trace=%process,write,futex" ;;
	threxec)  echo "-e trace=%process,clock_nanosleep" ;;
	forkexec) echo "-e trace=%process" ;;
	pipes)    echo "-e trace=%process,%desc" ;;
	sockets)  echo "-e trace=%network" ;;
	failing)  echo "-e trace=%file,%process,read,kill" ;;
	names)    echo "-e trace=%file,write" ;;
	signals)  echo "-e trace=%process,%signal,read,clock_nanosleep,pause" ;;
	fsops)    echo "-e trace=%file" ;;
	nsops)    echo "-e trace=%process,unshare,setns,ptrace,prctl,sethostname" ;;
	*)        echo "-e trace=%process" ;;
	esac
}

if [ $# -gt 0 ]; then
	PROGS=("$@")
else
	PROGS=()
	for c in "$HERE"/progs/*.c; do
		PROGS+=("$(basename "$c" .c)")
	done
fi

BUILD=$(mktemp -d /tmp/dd-strace-build-XXXXXX)
trap 'rm -rf "$BUILD"' EXIT
for p in "${PROGS[@]}"; do
	# static: no dynamic-loader preamble in every recording (the execs of
	# /bin/true and /bin/ls still show one), which keeps the set small
	gcc -O0 -g -static -Wall -Wextra -pthread -o "$BUILD/$p" "$HERE/progs/$p.c"
done

# A small, fixed environment: nothing of the caller's leaks into the traces.
run() {
	(cd "$BUILD" && env -i PATH=/usr/bin:/bin TZ=UTC LC_ALL=C "$@")
}

STATUS_FILE=$BUILD/.status
: >"$STATUS_FILE"
for p in "${PROGS[@]}"; do
	# no stale recordings of a program survive (unless only some sets are
	# recorded)
	[ -n "${SLUGS:-}" ] || rm -rf "${REC:?}/$p"
	mkdir -p "$REC/$p"
	while IFS='|' read -r slug opts mode; do
		[ -n "$slug" ] || continue
		case " ${SLUGS:-$slug} " in *" $slug "*) ;; *) continue ;; esac
		opts=${opts//@TRACE@/$(ktrace "$p")}
		# shellcheck disable=SC2086 # options are meant to split
		case $mode in
		o)
			out=$REC/$p/$slug.txt
			rm -f "$out"
			rc=0; run strace $opts -o "$out" "./$p" >/dev/null 2>"$BUILD/.err" || rc=$?
			cmd="strace $opts -o rec/$p/$slug.txt ./$p"
			;;
		ff)
			out=$REC/$p/$slug
			rm -rf "$out"; mkdir -p "$out"
			rc=0; run strace $opts -o "$out/trace" "./$p" >/dev/null 2>"$BUILD/.err" || rc=$?
			cmd="strace $opts -o rec/$p/$slug/trace ./$p"
			;;
		stderr)
			out=$REC/$p/$slug.txt
			rc=0; run strace $opts "./$p" >/dev/null 2>"$out" || rc=$?
			: >"$BUILD/.err"
			cmd="strace $opts ./$p 2> rec/$p/$slug.txt"
			;;
		esac
		if [ -s "$BUILD/.err" ]; then
			echo "record.sh: $p/$slug: strace said:" >&2
			cat "$BUILD/.err" >&2
		fi
		printf '%s\t%s\t%s\t%s\n' "$p" "$slug" "$rc" "$cmd" >>"$STATUS_FILE"
	done <<<"$SETS"
done

# Size guard: every recording below 64 KiB.
too_big=0
while IFS= read -r -d '' f; do
	if [ "$(stat -c %s "$f")" -gt "$MAX_BYTES" ]; then
		echo "record.sh: too big: ${f#"$HERE"/} ($(stat -c %s "$f") bytes)" >&2
		too_big=1
	fi
done < <(find "$REC" -type f -print0)

# The table in README.md, between the markers.
table() {
	echo "Recorded $(date -u +%Y-%m-%dT%H:%M:%SZ) with \`$(strace -V | head -n 1)\`"
	echo "($(strace -V | sed -n 's/^Optional features enabled: //p')), kernel"
	echo "\`$(uname -srm)\`, \`$(gcc --version | head -n 1)\`,"
	echo "\`$(ldd --version | head -n 1)\`, as uid $(id -u). Every command ran in the build"
	echo "directory (so the program is \`./PROG\`) under"
	echo "\`env -i PATH=/usr/bin:/bin TZ=UTC LC_ALL=C\`, with the program's stdout on /dev/null;"
	echo "\`rec/...\` in a command stands for the absolute path of that file. \"exit\" is"
	echo "strace's exit status, which is the traced program's."
	echo
	echo "| recording | bytes | lines | sha256 | exit | command |"
	echo "| --- | ---: | ---: | --- | ---: | --- |"
	sort -t "$(printf '\t')" -k1,1 -k2,2 "$STATUS_FILE" |
	while IFS=$'\t' read -r p slug rc cmd; do
		if [ -d "$REC/$p/$slug" ]; then
			files=$(find "$REC/$p/$slug" -type f -printf '%f\n' | sort -t. -k2,2n)
			files=$(printf '%s\n' "$files" | sed "s|^|$p/$slug/|")
		else
			files=$p/$slug.txt
		fi
		while IFS= read -r f; do
			[ -n "$f" ] || continue
			bytes=$(stat -c %s "$REC/$f")
			lines=$(wc -l <"$REC/$f")
			sum=$(sha256sum "$REC/$f" | cut -d' ' -f1)
			echo "| \`rec/$f\` | $bytes | $lines | \`$sum\` | $rc | \`$cmd\` |"
		done <<<"$files"
	done
	echo
	echo "$(find "$REC" -type f | wc -l) files, $(find "$REC" -type f -exec cat {} + | wc -c) bytes in total."
}

if [ $# -eq 0 ] && [ -z "${SLUGS:-}" ] && [ -f "$README" ] && grep -q '^<!-- BEGIN recordings -->$' "$README"; then
	table >"$BUILD/.table"
	awk -v tf="$BUILD/.table" '
		/^<!-- BEGIN recordings -->$/ { print; while ((getline l < tf) > 0) print l; skip = 1; next }
		/^<!-- END recordings -->$/ { skip = 0 }
		!skip { print }' "$README" >"$BUILD/.readme"
	cat "$BUILD/.readme" >"$README"
else
	echo "record.sh: README.md not updated (a subset was recorded, or no markers); table on stdout" >&2
	table
fi
exit "$too_big"
