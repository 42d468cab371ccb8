#!/usr/bin/env bash
# 0970-kill-kinds: crash consistency of parsing imports. For each kind
# (a packet capture, an image archive, a strace -f trace) the release
# build's import is killed with SIGKILL at random moments (uniform over its
# measured duration, a fixed seed; KILLS per kind, default 10: set
# DRYDOCK_KILLS=50 for the full campaign), each time into the same case.
# After every kill: the case opens, `drydock verify` (asan build) passes,
# and the killed import's artifact is absent or complete (its digest the
# file's, its rows there; a kill that came after the end starts a new
# case). Afterwards one more import completes it and leaves nothing of the
# killed ones. 0050
# kills a large raw import at chosen phases; this one the importers.
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

if [ ! -x "$DRYDOCK_RELEASE" ]; then
	fail_only "no release binary at $DRYDOCK_RELEASE"
	t_done
fi
KILLS=${DRYDOCK_KILLS:-10}
RANDOM=970
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# inputs that take the release build around a second
"$PY" tests/bench/gen-pcap.py 150000 "$T/cap.pcap" >/dev/null
"$PY" tests/bench/gen-image.py 30000 "$T/img.tar" >/dev/null
"$PY" - "$T/trace.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    t = 0
    for i in range(300000):
        pid = 1000 + i % 7
        t += 37
        s, us = divmod(t, 1000000)
        k = i % 4
        if k == 0:
            f.write('%d 10:%02d:%02d.%06d openat(AT_FDCWD, "/etc/app/%d.conf", O_RDONLY) = %d\n'
                    % (pid, s // 60 % 60, s % 60, us, i % 500, 3 + i % 9))
        elif k == 1:
            f.write('%d 10:%02d:%02d.%06d read(%d, "x\\n", 4096) = 2\n'
                    % (pid, s // 60 % 60, s % 60, us, 3 + i % 9))
        elif k == 2:
            f.write('%d 10:%02d:%02d.%06d connect(%d, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("10.0.%d.%d")}, 16) = 0\n'
                    % (pid, s // 60 % 60, s % 60, us, 3 + i % 9, i % 200, i % 250))
        else:
            f.write('%d 10:%02d:%02d.%06d close(%d) = 0\n'
                    % (pid, s // 60 % 60, s % 60, us, 3 + i % 9))
PY

# kind_rows KIND CASE: rows the import of that kind leaves (its parse)
kind_rows() {
	local t
	case $1 in
	pcap) t=flows ;;
	image) t=fs ;;
	strace) t=events ;;
	esac
	"$DRYDOCK_RELEASE" query --format csv "$2" "select count(*) from $t" | tail -n 1
}

# campaign KIND FILE: KILLS kills of the import of FILE, then a full one
campaign() {
	local kind=$1 f=$2 c=$T/$1.drydock ref=$T/$1-ref.drydock
	local s e dur i d pid n bad=0 landed=0 sha want
	sha=$(sha "$f")
	# the reference: a whole import, timed
	"$DRYDOCK_RELEASE" init "$ref" >/dev/null 2>&1
	s=$(date +%s%N)
	run "$DRYDOCK_RELEASE" ingest --as "$kind" "$ref" "$f"
	e=$(date +%s%N)
	expect_rc 0 "$kind: the whole import"
	dur=$(((e - s) / 1000000))
	want=$(kind_rows "$kind" "$ref")
	echo "    $kind: $(stat -c %s "$f") bytes, $want rows, ${dur} ms whole"
	"$DRYDOCK_RELEASE" init "$c" >/dev/null 2>&1
	for i in $(seq 1 "$KILLS"); do
		d=$((RANDOM % (dur + dur / 10 + 1)))
		"$DRYDOCK_RELEASE" ingest --as "$kind" "$c" "$f" >/dev/null 2>&1 &
		pid=$!
		t_bg "$pid"
		sleep "$(awk -v d="$d" 'BEGIN { printf "%.3f", d / 1000 }')"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		run "$DRYDOCK" info "$c"
		if [ "$RC" -ne 0 ] || t_sanitized; then
			bad=$((bad + 1))
			fail "$kind kill $i at $d ms: the case does not open"
			continue
		fi
		run "$DRYDOCK" verify "$c"
		if [ "$RC" -ne 0 ] || t_sanitized; then
			bad=$((bad + 1))
			fail "$kind kill $i at $d ms: verify fails"
			continue
		fi
		n=$(sql "$c" "select count(*) from artifacts")
		case $n in
		0) ;;
		1)
			landed=$((landed + 1))
			if [ "$(sql "$c" "select sha256 from artifacts")" != "$sha" ] ||
				[ "$(kind_rows "$kind" "$c")" != "$want" ]; then
				bad=$((bad + 1))
				fail_only "$kind kill $i at $d ms: a visible artifact is incomplete"
			fi
			# the kill came after the end: start again in a new case
			rm -f "$c" "$c-wal" "$c-shm" "$c.lock"
			"$DRYDOCK_RELEASE" init "$c" >/dev/null 2>&1
			;;
		*)
			bad=$((bad + 1))
			fail_only "$kind kill $i at $d ms: $n artifacts"
			;;
		esac
	done
	expect_eq "$kind: $KILLS kills ($landed after completion), each leaving a case that opens and verifies with the import absent or complete" 0 "$bad"
	run "$DRYDOCK_RELEASE" ingest --as "$kind" "$c" "$f"
	expect_rc 0 "$kind: after the kills an import completes"
	expect_eq "$kind: one artifact, the file's digest, every row" "1 $sha $want" \
		"$(sql "$c" "select count(*) from artifacts") $(sql "$c" "select sha256 from artifacts") $(kind_rows "$kind" "$c")"
	expect_eq "$kind: nothing of the killed imports is left (artifact_all)" 1 \
		"$(sql "$c" "select count(*) from artifact_all")"
	dk verify "$c"
	expect_rc 0 "$kind: the case verifies"
}

campaign pcap "$T/cap.pcap"
campaign image "$T/img.tar"
campaign strace "$T/trace.txt"

t_done
