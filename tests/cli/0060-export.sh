#!/usr/bin/env bash
# 0060-export: export a file and a group (tar, --dir), onto standard output,
# a FIFO and a symlink to standard output in place; refusals (unknown id,
# --dir into an existing directory, missing -o); a tampered digest makes
# export fail and leave no output (and an existing target untouched).
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

C=$T/case.drydock
dk init "$C"
expect_rc 0 "init"

head -c 2500000 /dev/urandom >"$T/file.bin"
seq 1 200000 >"$T/numbers.txt"
G=$T/group
mkdir -p "$G/sub" "$G/z" "$G/B"
printf 'one\n' >"$G/b"
printf 'two\n' >"$G/a"
printf 'three\n' >"$G/sub/c"
printf 'upper\n' >"$G/B/x"
printf 'space\n' >"$G/sp ace"
printf 'dash\n' >"$G/a-b"
head -c 1500000 /dev/urandom >"$G/z/big"
cp "$T/numbers.txt" "$G/numbers.txt" # shares its chunks with a top-level file

dk ingest "$C" "$T/file.bin" "$T/numbers.txt" "$G"
expect_rc 0 "ingest two files and a directory"
id_file=$(sql "$C" "select id from artifacts where name like '%file.bin'")
id_num=$(sql "$C" "select id from artifacts where name like '%/numbers.txt' and group_id is null")
id_group=$(sql "$C" "select id from artifacts where format = 'group'")
id_member=$(sql "$C" "select id from artifacts where group_id = $id_group and name = 'z/big'")
expect_eq "the group has 8 members" "8" "$(sql "$C" "select count(*) from artifacts where group_id = $id_group")"

# A file artifact.
ncust=$(sql "$C" 'select count(*) from custody')
dk export "$C" "$id_file" -o "$T/file.out"
expect_rc 0 "export a file"
check "exported file cmp equal" cmp "$T/file.bin" "$T/file.out"
expect_head "export prints the custody head" "$C"
expect_eq "export is recorded in custody" "$((ncust + 1))|export" \
	"$(sql "$C" 'select count(*), (select action from custody order by seq desc limit 1) from custody')"
dk export "$C" "$id_num" -o "$T/numbers.out"
expect_rc 0 "export a zstd-compressed file"
check "exported text cmp equal" cmp "$T/numbers.txt" "$T/numbers.out"
# onto an existing regular file: replaced
printf 'old contents\n' >"$T/existing"
dk export "$C" "$id_file" -o "$T/existing"
expect_rc 0 "export onto an existing regular file"
check "the existing file is replaced by the artifact" cmp "$T/file.bin" "$T/existing"
# a group member
dk export "$C" "$id_member" -o "$T/member.out"
expect_rc 0 "export a group member"
check "exported member cmp equal" cmp "$G/z/big" "$T/member.out"

# A group as tar: members in path order (bytewise), contents equal.
dk export "$C" "$id_group" -o "$T/group.tar"
expect_rc 0 "export a group as tar"
check "the tar lists" tar -tf "$T/group.tar"
want=$(cd "$G" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
got=$(tar -tf "$T/group.tar")
expect_eq "tar -tf lists the members in path order" "$want" "$got"
mkdir "$T/untar"
check "the tar extracts" tar -xf "$T/group.tar" -C "$T/untar"
check "extracted members cmp equal (diff -r)" diff -r "$G" "$T/untar"

# A group with --dir.
dk export --dir "$C" "$id_group" -o "$T/outdir"
expect_rc 0 "export a group with --dir"
check "--dir members equal the original directory (diff -r)" diff -r "$G" "$T/outdir"
tree_sums() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
before=$(tree_sums "$T/outdir")
dk export --dir "$C" "$id_group" -o "$T/outdir"
expect_rc 1 "--dir into an existing directory fails"
expect_err "--dir failure names the directory" "$T/outdir"
expect_eq "the existing directory is left as it was" "$before" \
	"$(tree_sums "$T/outdir")"
mkdir "$T/emptydir"
dk export --dir "$C" "$id_group" -o "$T/emptydir"
expect_rc 1 "--dir into an existing empty directory fails"

# -o - and -o onto standard output, a FIFO, a symlink to standard output:
# in place.
run bash -c '"$1" export "$2" "$3" -o - | cat >"$4"' sh "$DRYDOCK" "$C" "$id_num" "$T/dash.out"
expect_rc 0 "export -o - into a pipe"
check "-o - bytes cmp equal" cmp "$T/numbers.txt" "$T/dash.out"
run bash -c '"$1" export "$2" "$3" -o /dev/stdout | cat >"$4"' sh "$DRYDOCK" "$C" "$id_num" "$T/devstdout.out"
expect_rc 0 "export -o /dev/stdout into a pipe"
check "-o /dev/stdout (a pipe) bytes cmp equal" cmp "$T/numbers.txt" "$T/devstdout.out"
if [ -L /dev/stdout ]; then
	ok "/dev/stdout is still a symlink"
else
	fail_only "/dev/stdout is still a symlink (drydock replaced it!)"
	if t_is_root && [ -f /dev/stdout ]; then
		rm -f /dev/stdout && ln -s /proc/self/fd/1 /dev/stdout
		echo "    restored /dev/stdout -> /proc/self/fd/1"
	fi
fi
cat_to() { cat >"$T/fifo.out"; }
fifo_run "$T/out.fifo" cat_to "$DRYDOCK" export "$C" "$id_file" -o "$T/out.fifo"
expect_rc 0 "export onto a FIFO"
check "FIFO bytes cmp equal" cmp "$T/file.bin" "$T/fifo.out"
check "the FIFO is still a FIFO" test -p "$T/out.fifo"
fifo_run "$T/tar.fifo" cat_to "$DRYDOCK" export "$C" "$id_group" -o "$T/tar.fifo"
expect_rc 0 "export a group as tar onto a FIFO"
# Written to a non-regular file, libarchive pads the last record to 10240
# bytes: the tar must equal the file's up to its length, then zeros.
check "FIFO tar starts with the bytes of the tar file" cmp -n "$(stat -c %s "$T/group.tar")" "$T/group.tar" "$T/fifo.out"
expect_eq "FIFO tar lists the same members" "$want" "$(tar -tf "$T/fifo.out")"
expect_eq "FIFO tar's tail is zeros" "0" \
	"$(tail -c +"$(($(stat -c %s "$T/group.tar") + 1))" "$T/fifo.out" | tr -d '\0' | wc -c)"
# /dev/stdout when standard output is a regular file: /dev/stdout is a
# symlink to /proc/self/fd/1. Exercised through a symlink of our own to
# /proc/self/fd/1, so that a drydock replacing the link cannot damage
# /dev/stdout itself.
ln -s /proc/self/fd/1 "$T/stdout-link"
run bash -c '"$1" export "$2" "$3" -o "$4" >"$5"' sh "$DRYDOCK" "$C" "$id_num" "$T/stdout-link" "$T/redirected.out"
expect_rc 0 "export -o (symlink to /proc/self/fd/1) with stdout redirected to a file"
check "the redirected file holds the artifact" cmp "$T/numbers.txt" "$T/redirected.out"
check "the symlink is left alone" test -L "$T/stdout-link"
run bash -c '"$1" export "$2" "$3" -o /proc/self/fd/1 >"$4"' sh "$DRYDOCK" "$C" "$id_num" "$T/procfd.out"
expect_rc 0 "export -o /proc/self/fd/1 with stdout redirected to a file"
check "the redirected file holds the artifact (/proc/self/fd/1)" cmp "$T/numbers.txt" "$T/procfd.out"
# an ordinary symlink to a regular file: the target receives the bytes
printf 'old\n' >"$T/target.txt"
ln -s target.txt "$T/link.txt"
dk export "$C" "$id_num" -o "$T/link.txt"
expect_rc 0 "export onto a symlink to a regular file"
if [ -L "$T/link.txt" ] && cmp -s "$T/numbers.txt" "$T/target.txt"; then
	ok "the symlink stays and its target holds the artifact"
else
	fail "the symlink stays and its target holds the artifact (link: $(stat -c %F "$T/link.txt"), target: $(head -c 20 "$T/target.txt"))"
fi

# Refusals.
dk export "$C" 999 -o "$T/none.out"
if [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ]; then ok "unknown id exits $RC"; else fail "unknown id exits 1 or 2"; fi
expect_err "unknown id is named" "999"
check "unknown id leaves no output" test ! -e "$T/none.out"
dk export "$C" abc -o "$T/none.out"
if [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ]; then ok "non-numeric id exits $RC"; else fail "non-numeric id exits 1 or 2"; fi
dk export "$C" "$id_file"
expect_rc 2 "export without -o is a usage error"
dk export --dir "$C" "$id_file" -o "$T/dir-of-file"
if [ "$RC" -eq 1 ] || [ "$RC" -eq 2 ]; then ok "--dir on a file artifact exits $RC"; else fail "--dir on a file artifact exits 1 or 2"; fi
dk export "$C" "$id_file" -o "$T/no/such/dir/out"
expect_rc 1 "export into a missing directory exits 1"
expect_err "export into a missing directory names it" "$T/no/such/dir/out"

dk verify "$C"
expect_rc 0 "the case verifies after the exports"

# A tampered digest (its first byte changed: z/big is random, so a fixed
# value would equal the real one once in 256 runs): export fails, removes
# its output, leaves an existing
# target alone, records nothing.
X=$T/tampered.drydock
cp "$C" "$X"
[ -e "$C-wal" ] && cp "$C-wal" "$X-wal"
sql "$X" "update artifact_all set sha256 = (case when substr(sha256, 1, 2) = '00' then 'ff' else '00' end) || substr(sha256, 3) where id in ($id_file, $id_member)"
ncust=$(sql "$X" 'select count(*) from custody')
dk export "$X" "$id_file" -o "$T/tampered.out"
expect_rc 1 "tampered file: export exits 1"
expect_err "tampered file: says the digest does not match" "sha256"
check "tampered file: no output file is left" test ! -e "$T/tampered.out"
partials=$(find "$T" -maxdepth 1 -iname '*partial*')
expect_eq "tampered file: no partial file is left" "" "$partials"
printf 'keep me\n' >"$T/keep.out"
dk export "$X" "$id_file" -o "$T/keep.out"
expect_rc 1 "tampered file onto an existing file: export exits 1"
expect_eq "tampered file: the existing target is untouched" "keep me" "$(cat "$T/keep.out")"
dk export "$X" "$id_group" -o "$T/tampered.tar"
expect_rc 1 "tampered member: group tar export exits 1"
check "tampered member: no tar is left" test ! -e "$T/tampered.tar"
dk export --dir "$X" "$id_group" -o "$T/tampered-dir"
expect_rc 1 "tampered member: --dir export exits 1"
if [ ! -e "$T/tampered-dir" ]; then
	ok "tampered member: no output directory is left"
else
	fail "tampered member: no output directory is left (left: $(cd "$T/tampered-dir" && find . -type f | tr '\n' ' '))"
fi
expect_eq "failed exports add no custody row" "$ncust" "$(sql "$X" 'select count(*) from custody')"

t_done
