#!/usr/bin/env bash
# 0050-kill: kill -9 during the ingest of a 600 MiB file at three moments
# (early, about half way, and once all bytes are stored: the final phase).
# After each kill the case opens and verifies, no artifact of the killed
# import is visible, and the next writing command removes the unfinished
# import (artifact_all and chunks back to what they were). Finally a re-run
# of the ingest succeeds and export reproduces the file.
#
# The killed ingests use the release binary (it is fast enough to leave a
# window worth aiming at); everything else uses $DRYDOCK.
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

if [ ! -x "$DRYDOCK_RELEASE" ]; then
	fail_only "no release binary at $DRYDOCK_RELEASE"
	t_done
fi

# 600 MiB: executables (compressible about 3:1) then decimal numbers (about
# 15:1); no two 1 MiB chunks are the same.
BIG=$T/big.bin
{
	find /usr/bin /usr/lib -type f -size +256k -exec cat {} + 2>/dev/null | head -c 314572800
	seq 1 100000000
} | head -c 629145600 >"$BIG"
expect_eq "made a 600 MiB input" "629145600" "$(stat -c %s "$BIG")"
BIGSHA=$(sha "$BIG")

BASE=$T/base.drydock
dk init "$BASE"
expect_rc 0 "init"
printf 'kept before the kill\n' >"$T/small.txt"
dk ingest "$BASE" "$T/small.txt"
expect_rc 0 "ingest a small file first"
# counts: artifact_all, blobs, blob_parts, chunks, custody rows
counts() {
	sql "$1" "select (select count(*) from artifact_all) || ' ' ||
		(select count(*) from blobs) || ' ' ||
		(select count(*) from blob_parts) || ' ' ||
		(select count(*) from chunks) || ' ' ||
		(select count(*) from custody)"
}
BASE_COUNTS=$(counts "$BASE")

# pct FILE: the last progress percentage in FILE (0 when none yet).
pct() {
	local s="" p=0
	read -r -d '' s <"$1"
	s=${s//$'\r'/$'\n'}
	while [[ $s =~ \(([0-9]+)%\)(.*) ]]; do
		p=${BASH_REMATCH[1]}
		s=${BASH_REMATCH[2]}
	done
	echo "$p"
}

# kill_at MOMENT CASE: start the release ingest of BIG into CASE and
# kill -9 it at MOMENT: early (the first progress line or 0.3 s), middle
# (50% read), late (80% read), final (100% read: the last chunks being
# compressed and stored, then the final transaction). For final, the
# process is stopped first and the case inspected, to say whether the kill
# caught the final phase (the artifact still 'importing') or came too late.
kill_at() {
	local m=$1 c=$2 pid p=0 t0 log=$T/progress-$1 s
	: >"$log"
	"$DRYDOCK_RELEASE" --progress ingest "$c" "$BIG" >"$T/kill-$m.out" 2>"$log" &
	pid=$!
	t_bg "$pid"
	t0=$(date +%s%N)
	while kill -0 "$pid" 2>/dev/null; do
		case $m in
		early)
			[ -s "$log" ] && break
			[ $(($(date +%s%N) - t0)) -ge 300000000 ] && break
			sleep 0.01
			;;
		middle | late)
			p=$(pct "$log")
			[ "$p" -ge "$([ "$m" = middle ] && echo 50 || echo 80)" ] && break
			sleep 0.01
			;;
		final)
			# poll without forking: the window is short
			s=""
			read -r -d '' s <"$log"
			[[ $s == *"(100%)"* ]] && break
			;;
		esac
	done
	if [ "$m" = final ] && kill -STOP "$pid" 2>/dev/null; then
		echo "    stopped at 100% read; the import is then: $(sql "$c" "select ifnull(group_concat(state), 'not yet inserted') from artifact_all where name like '%big.bin'")"
	fi
	p=$(pct "$log")
	if kill -9 "$pid" 2>/dev/null; then
		wait "$pid" 2>/dev/null
		echo "    killed the ingest ($m) at ${p}% read, $((($(date +%s%N) - t0) / 1000000)) ms in"
	else
		wait "$pid"
		echo "    the ingest finished (status $?) before the $m kill"
	fi
}

cmp_big() { cmp - "$BIG"; }

for m in early middle late final; do
	C=$T/case-$m.drydock
	cp "$BASE" "$C"
	kill_at "$m" "$C"
	dk info "$C"
	expect_rc 0 "$m kill: the case opens (info)"
	dk verify "$C"
	expect_rc 0 "$m kill: verify passes right after the kill"
	dk query "$C" "select count(*) as n from artifacts where name like '%big.bin'"
	expect_rc 0 "$m kill: query runs"
	if [ "$OUT" = "n
1" ]; then
		# The kill landed after the final transaction: the artifact
		# must be complete, right, and in custody.
		echo "    the $m kill landed after the import had completed"
		expect_eq "$m kill (after completion): the artifact has the file's digest" "$BIGSHA" \
			"$(sql "$C" "select sha256 from artifacts where name like '%big.bin'")"
		expect_eq "$m kill (after completion): its custody row is there" "1" \
			"$(sql "$C" "select count(*) from custody where action = 'ingest' and detail like '%$BIGSHA%'")"
		dk tag "$C" artifact:1 "after-$m-kill"
		expect_rc 0 "$m kill: a writing command (tag) runs"
		expect_eq "$m kill (after completion): the artifact stays" "1" \
			"$(sql "$C" "select count(*) from artifacts where name like '%big.bin'")"
	else
		expect_eq "$m kill: no artifact of the killed import is visible" "n
0" "$OUT"
		echo "    rows left by the killed import: $(sql "$C" "select count(*) || ' artifact_all (' || ifnull(group_concat(state), '') || ')' from artifact_all where name like '%big.bin'"); counts (artifacts blobs parts chunks custody): $(counts "$C")"
		# Any writing command removes the unfinished import.
		dk tag "$C" artifact:1 "after-$m-kill"
		expect_rc 0 "$m kill: a writing command (tag) runs"
		expect_eq "$m kill: the cleanup leaves artifact_all, blobs, blob_parts, chunks as before the import (custody +1 for the tag)" \
			"${BASE_COUNTS% *} $((${BASE_COUNTS##* } + 1))" "$(counts "$C")"
		dk verify "$C"
		expect_rc 0 "$m kill: verify passes after the cleanup"
	fi
	# The re-run succeeds and gives the file back (after two of the
	# kills, to stay in time).
	if [ "$m" = middle ] || [ "$m" = final ]; then
		# (the release binary after the final kill, to stay in time)
		if [ "$m" = middle ]; then dk ingest "$C" "$BIG"; else run "$DRYDOCK_RELEASE" ingest "$C" "$BIG"; fi
		expect_rc 0 "$m kill: re-running the ingest succeeds"
		expect_eq "$m kill: one complete artifact with the file's digest and size" "1|$BIGSHA|629145600" \
			"$(sql "$C" "select count(*), sha256, size from artifacts where name like '%big.bin'")"
		id=$(sql "$C" "select id from artifacts where name like '%big.bin'")
		fifo_run "$T/export.fifo" cmp_big "$DRYDOCK" export "$C" "$id" -o "$T/export.fifo"
		expect_rc 0 "$m kill: export after the re-run"
		if [ "$FIFO_RC" -eq 0 ]; then
			ok "$m kill: exported bytes cmp equal to the original"
		else
			fail "$m kill: exported bytes cmp equal to the original ($(cat "$T/.reader"))"
		fi
	fi
	rm -f "$C" "$C-wal" "$C-shm"
done

t_done
