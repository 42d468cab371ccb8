#!/usr/bin/env bash
# 0090-readonly-seal: seal makes one self-contained file (no -wal/-shm,
# journal_mode delete); read-only commands on a sealed copy in a
# write-protected directory leave its bytes unchanged (as root, chmod does
# not stop writes, so the commands are also run as 'nobody' when setpriv
# exists: then the protection is real); note, tag, offset and export keep a
# sealed case sealed; an ingest unseals it (back to WAL).
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

C=$T/case.drydock
dk init "$C"
expect_rc 0 "init"
seq 1 200000 >"$T/numbers.txt"
printf 'hello\n' >"$T/a.txt"
dk ingest "$C" "$T/numbers.txt" "$T/a.txt"
expect_rc 0 "ingest"
# 48 MiB that do not compress: the WAL passes the checkpointer's 32 MiB
# (core/store.c), so its thread and connection run beside the import
head -c $((48 << 20)) /dev/urandom >"$T/random.bin"
dk ingest --as raw "$C" "$T/random.bin"
expect_rc 0 "ingest of 48 MiB (the checkpointer thread runs)"
dk verify "$C"
expect_rc 0 "... and the case verifies"
dk analyze "$C"
expect_rc 0 "analyze"
expect_eq "a working case is in WAL mode" "wal" "$(sql "$C" 'pragma journal_mode')"

dk seal "$C"
expect_rc 0 "seal"
expect_head "seal prints the custody head" "$C"
expect_eq "seal is recorded in custody" "seal" "$(sql "$C" 'select action from custody order by seq desc limit 1')"
check "no -wal beside the sealed case" test ! -e "$C-wal"
check "no -shm beside the sealed case" test ! -e "$C-shm"
check "no lock file beside the sealed case" test ! -e "$C.lock"
expect_eq "sqlite3: journal_mode is delete" "delete" "$(sql "$C" 'pragma journal_mode')"
dk info "$C"
expect_rc 0 "info on the sealed case"
if printf '%s\n' "$OUT" | grep -qE '^sealed: +yes'; then ok "info says sealed: yes"; else fail "info says sealed: yes"; fi
dk seal "$C"
expect_rc 0 "sealing a sealed case again exits 0"
HEAD=$(head_of "$C")

# A sealed copy in a write-protected directory.
RO=$T/ro
mkdir "$RO"
cp "$C" "$RO/case.drydock"
chmod -R a-w "$RO"
chmod a+x "$RO"
S=$RO/case.drydock
SUM=$(sha "$S")
LS=$(ls -A "$RO")

# readonly_commands WHO [PREFIX...]: info, query, verify, report (md and
# json) work on the sealed copy and leave it alone; then export works
# (it is recorded in custody only when the case is writable, which for
# root it is: then the case must still be sealed and verify).
readonly_commands() {
	local who=$1 out
	shift
	out=$T/out-$who
	mkdir -p "$out"
	chmod 777 "$out"
	run "$@" "$DRYDOCK" info "$S"
	expect_rc 0 "$who: info on the write-protected sealed copy"
	run "$@" "$DRYDOCK" info --format json "$S"
	expect_rc 0 "$who: info --format json"
	run "$@" "$DRYDOCK" query "$S" 'select count(*) as n from artifacts'
	expect_rc 0 "$who: query"
	expect_eq "$who: query sees the artifacts" "n
3" "$OUT"
	run "$@" "$DRYDOCK" verify --expect "$HEAD" "$S"
	expect_rc 0 "$who: verify --expect the head"
	run "$@" "$DRYDOCK" report "$S" --format md
	expect_rc 0 "$who: report md"
	expect_out "$who: report names the head" "$HEAD"
	run "$@" "$DRYDOCK" report "$S" --format json -o "$out/r.json"
	expect_rc 0 "$who: report json -o"
	check "$who: the json report parses" python3 -m json.tool "$out/r.json"
	expect_eq "$who: the sealed copy's bytes are unchanged" "$SUM" "$(sha "$S")"
	expect_eq "$who: nothing new beside it (no -wal, -shm, lock)" "$LS" "$(ls -A "$RO")"
	local id
	id=$(sql "$S" "select id from artifact_all where name like '%numbers.txt'")
	run "$@" "$DRYDOCK" export "$S" "$id" -o "$out/numbers.out"
	expect_rc 0 "$who: export from the sealed copy"
	check "$who: the export cmp equal" cmp "$T/numbers.txt" "$out/numbers.out"
	if [ "$who" = nobody ]; then
		expect_eq "$who: export leaves the write-protected copy's bytes unchanged" "$SUM" "$(sha "$S")"
	else
		expect_eq "$who: export keeps the copy sealed (journal_mode delete)" "delete" "$(sql "$S" 'pragma journal_mode')"
		run "$@" "$DRYDOCK" verify "$S"
		expect_rc 0 "$who: the copy verifies after the export"
	fi
	expect_eq "$who: nothing new beside it after export" "$LS" "$(ls -A "$RO")"
}

if t_is_root && command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	chmod 711 "$T"
	nobody=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups)
	readonly_commands nobody "${nobody[@]}"
	before=$(case_state "$S")
	run "${nobody[@]}" "$DRYDOCK" note "$S" artifact:1 'cannot write here'
	expect_rc 1 "nobody: note on write-protected media exits 1"
	expect_err "nobody: the refusal names the case" "$S"
	expect_eq "nobody: the refused note changes nothing" "$before" "$(case_state "$S")"
	expect_eq "nobody: the sealed copy's bytes are still unchanged" "$SUM" "$(sha "$S")"
	# An unsealed case, cleanly closed, on write-protected media.
	RO2=$T/ro2
	mkdir "$RO2"
	cp "$T/numbers.txt" "$T/n2.txt"
	run "$DRYDOCK" init "$RO2/case.drydock"
	run "$DRYDOCK" ingest "$RO2/case.drydock" "$T/n2.txt"
	expect_rc 0 "an unsealed case for write-protected media"
	chmod -R a-w "$RO2"
	chmod a+x "$RO2"
	sum2=$(sha "$RO2/case.drydock")
	run "${nobody[@]}" "$DRYDOCK" verify "$RO2/case.drydock"
	expect_rc 0 "nobody: verify on an unsealed case on write-protected media"
	run "${nobody[@]}" "$DRYDOCK" query "$RO2/case.drydock" 'select count(*) as n from artifacts'
	expect_rc 0 "nobody: query on an unsealed case on write-protected media"
	expect_eq "nobody: the unsealed case's bytes are unchanged" "$sum2" "$(sha "$RO2/case.drydock")"
	chmod 700 "$T"
else
	echo "skip: real write protection (not root with setpriv, or no user nobody)"
fi
readonly_commands "$(id -un)"

# Custody-only writes keep a sealed case sealed.
fid=$(sql "$C" 'select id from findings order by id limit 1')
for step in note tag offset export; do
	case $step in
	note) dk note "$C" "finding:$fid" 'looked at it' ;;
	tag) dk tag "$C" artifact:1 sealed-ok ;;
	offset) dk offset "$C" 1 +2s ;;
	export) dk export "$C" 1 -o "$T/exported-$step" ;;
	esac
	expect_rc 0 "$step on the sealed case"
	expect_head "$step prints the custody head" "$C"
	expect_eq "$step keeps journal_mode delete" "delete" "$(sql "$C" 'pragma journal_mode')"
	check "$step leaves no -wal" test ! -e "$C-wal"
	check "$step leaves no -shm" test ! -e "$C-shm"
	dk info "$C"
	if printf '%s\n' "$OUT" | grep -qE '^sealed: +yes'; then ok "$step: info still says sealed: yes"; else fail "$step: info still says sealed: yes"; fi
done
dk verify "$C"
expect_rc 0 "the sealed case verifies after note, tag, offset, export"

# An ingest unseals it: back to WAL.
printf 'new evidence\n' >"$T/new.txt"
dk ingest "$C" "$T/new.txt"
expect_rc 0 "ingest after seal works"
expect_eq "ingest switches the case back to WAL" "wal" "$(sql "$C" 'pragma journal_mode')"
dk info "$C"
if printf '%s\n' "$OUT" | grep -qE '^sealed: +no'; then ok "info says sealed: no after the ingest"; else fail "info says sealed: no after the ingest"; fi
expect_eq "the new artifact is there" "1" "$(sql "$C" "select count(*) from artifacts where name like '%new.txt'")"
dk verify "$C"
expect_rc 0 "the case verifies after unsealing"
dk seal "$C"
expect_rc 0 "seal again"
expect_eq "sealed again: journal_mode delete" "delete" "$(sql "$C" 'pragma journal_mode')"
check "sealed again: no -wal" test ! -e "$C-wal"

# An import writes through the rollback journal when it has the case to
# itself (the pages it appends are written once, not to the WAL and again
# to the case), and keeps to WAL mode when another connection has the case
# open; either way the case is in WAL mode afterwards.
W=$T/journal.drydock
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
dk init "$W"
head -c 3000000 /dev/urandom >"$T/j1.bin"
head -c 3000000 /dev/urandom >"$T/j2.bin"
head -c 3000000 /dev/urandom >"$T/j0.bin"
dk ingest "$W" "$T/j0.bin"
expect_rc 0 "an import alone completes"
check "an import alone leaves no -wal" test ! -e "$W-wal"
expect_eq "an import alone: WAL mode again after it" "wal" "$(sql "$W" 'pragma journal_mode')"
# a reader holding the case open (as the TUI would)
"$PY" - "$W" "$T/reader.ready" <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
c.execute("select count(*) from sqlite_schema").fetchall()
open(sys.argv[2], "w").close()
time.sleep(20)
PY
rpid=$!
for _ in $(seq 100); do [ -e "$T/reader.ready" ] && break; sleep 0.1; done
dk ingest "$W" "$T/j1.bin"
expect_rc 0 "an import beside a reader completes"
check "an import beside a reader keeps to WAL mode (a -wal file)" test -e "$W-wal"
kill "$rpid" 2>/dev/null
wait "$rpid" 2>/dev/null
dk ingest "$W" "$T/j2.bin"
expect_rc 0 "an import alone completes"
expect_eq "WAL mode after both imports" "wal" "$(sql "$W" 'pragma journal_mode')"
dk verify "$W"
expect_rc 0 "the case verifies after imports in both journal modes"
expect_eq "all three artifacts there" "3" "$(sql "$W" "select count(*) from artifacts")"

t_done
