#!/usr/bin/env bash
# 0030-case-files: case files drydock must refuse cleanly: not SQLite, empty,
# SQLite without the drydock application id, a newer schema, truncated,
# corrupted, a directory, a missing path. Every command exits 1 with a clear
# message naming the case, leaves the file's bytes alone and leaves nothing
# beside it; nothing crashes (no sanitizer report).
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

printf 'evidence\n' >"$T/a.txt"

# A real case with some pages to cut: two multi-chunk files, a group,
# findings.
G=$T/good.drydock
dk init "$G"
expect_rc 0 "init a good case"
head -c 6000000 /dev/urandom >"$T/r6"
seq 1 300000 >"$T/s6"
mkdir "$T/dir"
echo x >"$T/dir/b"
echo y >"$T/dir/a"
dk ingest "$G" "$T/r6" "$T/s6" "$T/dir"
expect_rc 0 "ingest into the good case"
dk analyze "$G"
expect_rc 0 "analyze the good case"
dk seal "$G"
expect_rc 0 "seal the good case (one file, nothing in a WAL)"
GSIZE=$(stat -c %s "$G")

# every_command CASE DESC [EXPECTED-TEXT]: every command that opens a case
# exits 1 on CASE, names it on stderr (with EXPECTED-TEXT when given),
# reports no sanitizer error, and leaves CASE's bytes and its directory
# as they were.
every_command() {
	local c=$1 d=$2 want=${3:-} dir sum_before ls_before cmd
	dir=$(dirname "$c")
	sum_before=$( [ -f "$c" ] && sha "$c")
	ls_before=$(ls -A "$dir")
	for cmd in info verify query report analyze ingest export note tag offset seal; do
		case $cmd in
		query) dk query "$c" 'select count(*) from artifacts' ;;
		ingest) dk ingest "$c" "$T/a.txt" ;;
		export) dk export "$c" 1 -o "$T/export.out" ;;
		note) dk note "$c" artifact:1 'a note' ;;
		tag) dk tag "$c" artifact:1 t ;;
		offset) dk offset "$c" 1 +1s ;;
		*) dk "$cmd" "$c" ;;
		esac
		if t_sanitized; then
			fail "$d: $cmd reports no sanitizer error"
		elif [ "$RC" -ne 1 ]; then
			fail "$d: $cmd exits 1"
		elif ! grep -qF -- "$c" "$T/.err"; then
			fail "$d: $cmd names the case on stderr"
		elif [ -n "$want" ] && ! grep -qF -- "$want" "$T/.err"; then
			fail "$d: $cmd says '$want'"
		else
			ok "$d: $cmd exits 1 naming the case${want:+ ('$want')}"
		fi
	done
	if [ -f "$c" ]; then
		expect_eq "$d: the file's bytes are unchanged" "$sum_before" "$(sha "$c")"
	fi
	expect_eq "$d: nothing left beside it" "$ls_before" "$(ls -A "$dir")"
	[ ! -e "$T/export.out" ] || fail_only "$d: export left an output file"
	rm -f "$T/export.out"
}

# newdir NAME: a fresh directory for one bad case.
newdir() { mkdir "$T/$1" && echo "$T/$1"; }

D=$(newdir text)
printf 'this is not a case\n' >"$D/case.drydock"
every_command "$D/case.drydock" "text file" "not a drydock case"

D=$(newdir empty)
: >"$D/case.drydock"
every_command "$D/case.drydock" "empty file" "not a drydock case"
expect_eq "empty file: still empty" "0" "$(stat -c %s "$D/case.drydock")"

D=$(newdir otherdb)
sqlite3 "$D/case.drydock" 'create table t(x); insert into t values (1);'
every_command "$D/case.drydock" "SQLite without the application id" "not a drydock case"
dk info "$D/case.drydock"
expect_err "SQLite without the application id: says why" "application id"

D=$(newdir wrongid)
sqlite3 "$D/case.drydock" 'pragma application_id = 1234; create table custody(x);'
every_command "$D/case.drydock" "SQLite with another application id" "not a drydock case"

D=$(newdir newer)
cp "$G" "$D/case.drydock"
sqlite3 "$D/case.drydock" 'pragma user_version = 99'
every_command "$D/case.drydock" "newer schema" "newer"

# Truncated copies: half, three quarters, one page, the first 100 bytes.
for cut in half:$((GSIZE / 2)) threequarters:$((GSIZE * 3 / 4)) onepage:65536 hundred:100; do
	D=$(newdir "trunc-${cut%%:*}")
	cp "$G" "$D/case.drydock"
	truncate -s "${cut#*:}" "$D/case.drydock"
	every_command "$D/case.drydock" "truncated (${cut%%:*}, ${cut#*:} bytes)"
done

# Corrupted copies (one page zeroed in the middle): verify must find it and
# exit 1; no command may crash.
npages=$((GSIZE / 65536))
for pg in 3 $((npages / 2)) $((npages - 2)); do
	D=$(newdir "zeroed-$pg")
	cp "$G" "$D/case.drydock"
	dd if=/dev/zero of="$D/case.drydock" bs=65536 seek="$pg" count=1 conv=notrunc 2>/dev/null
	dk verify "$D/case.drydock"
	expect_rc 1 "page $pg zeroed: verify exits 1"
	if grep -qiE 'malformed|problem|corrupt|page' "$T/.out" "$T/.err"; then
		ok "page $pg zeroed: verify says what is wrong"
	else
		fail "page $pg zeroed: verify says what is wrong"
	fi
	for cmd in info query report export; do
		case $cmd in
		query) dk query "$D/case.drydock" 'select count(*) from chunks' ;;
		export) dk export "$D/case.drydock" 1 -o "$T/export.out" ;;
		*) dk "$cmd" "$D/case.drydock" ;;
		esac
		if t_sanitized; then
			fail "page $pg zeroed: $cmd reports no sanitizer error"
		elif [ "$RC" -ne 0 ] && [ "$RC" -ne 1 ]; then
			fail "page $pg zeroed: $cmd exits 0 or 1"
		else
			ok "page $pg zeroed: $cmd exits $RC without crashing"
		fi
		if [ "$cmd" = export ] && [ "$RC" -ne 0 ] && [ -e "$T/export.out" ]; then
			fail_only "page $pg zeroed: failed export left an output file"
		fi
		rm -f "$T/export.out"
	done
done

D=$(newdir dircase)
mkdir "$D/case.drydock"
every_command "$D/case.drydock" "directory as the case" "not a drydock case"

D=$(newdir missing)
every_command "$D/case.drydock" "missing case" "No such file"
[ ! -e "$D/case.drydock" ] || fail_only "missing case: a command created it"

# The good case is untouched by all of this and still verifies.
dk verify "$G"
expect_rc 0 "the good case still verifies"

t_done
