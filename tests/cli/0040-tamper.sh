#!/usr/bin/env bash
# 0040-tamper: edits made behind drydock's back (with sqlite3) must make
# `drydock verify` exit 1 and name what was touched: a flipped byte in a
# stored chunk and in a zstd chunk (chunk id and the artifact using it), an
# edited custody row (its seq), a deleted custody row, an artifact digest
# changed in artifact_all (the artifact), a group member's digest (the
# group); and `verify --expect` with a wrong and the right head.
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

P=$T/pristine.drydock
dk init "$P"
expect_rc 0 "init"
head -c 3000000 /dev/urandom >"$T/random.bin" # stored (codec 0) chunks
seq 1 300000 >"$T/numbers.txt"                 # zstd (codec 1) chunks
mkdir "$T/dir"
printf 'alpha\n' >"$T/dir/a"
printf 'beta\n' >"$T/dir/b"
dk ingest "$P" "$T/random.bin" "$T/numbers.txt" "$T/dir"
expect_rc 0 "ingest a random file, a text file and a directory"
dk seal "$P"
expect_rc 0 "seal (one self-contained file to copy)"
HEAD=$(head_of "$P")
dk verify "$P"
expect_rc 0 "the pristine case verifies"
expect_out "verify prints the head" "$HEAD"

# The artifacts' ids and the chunks they use.
id_random=$(sql "$P" "select id from artifact_all where name like '%random.bin'")
id_numbers=$(sql "$P" "select id from artifact_all where name like '%numbers.txt'")
id_group=$(sql "$P" "select id from artifact_all where format = 'group'")
id_member=$(sql "$P" "select id from artifact_all where group_id = $id_group and name = 'a'")
chunk_of() { # ARTIFACT-ID CODEC: the first chunk of the artifact's blob with that codec
	sql "$P" "select c.id from artifact_all a join blob_parts p on p.blob_id = a.blob_id
		join chunks c on c.id = p.chunk_id where a.id = $1 and c.codec = $2
		order by p.off limit 1"
}
stored_chunk=$(chunk_of "$id_random" 0)
zstd_chunk=$(chunk_of "$id_numbers" 1)
if [ -n "$stored_chunk" ] && [ -n "$zstd_chunk" ]; then
	ok "found a stored chunk ($stored_chunk) and a zstd chunk ($zstd_chunk)"
else
	fail_only "found a stored chunk ('$stored_chunk') and a zstd chunk ('$zstd_chunk')"
fi

# fresh: C is a new copy of the pristine case.
n=0
fresh() {
	n=$((n + 1))
	C=$T/t$n.drydock
	cp "$P" "$C"
}

# flip DB CHUNK POS: change the byte at 1-based POS of the chunk's data.
flip() {
	local db=$1 id=$2 pos=$3 b nb
	b=$(sql "$db" "select hex(substr(data, $pos, 1)) from chunks where id = $id")
	nb=00
	[ "$b" = 00 ] && nb=01
	sql "$db" "update chunks set data = cast(substr(data, 1, $pos - 1) || x'$nb' ||
		substr(data, $pos + 1) as blob) where id = $id"
}

for kind in stored zstd; do
	if [ $kind = stored ]; then ch=$stored_chunk aid=$id_random name=random.bin; else ch=$zstd_chunk aid=$id_numbers name=numbers.txt; fi
	fresh
	len=$(sql "$C" "select length(data) from chunks where id = $ch")
	before=$(sql "$C" "select hex(data) from chunks where id = $ch")
	flip "$C" "$ch" 101
	after=$(sql "$C" "select hex(data) from chunks where id = $ch")
	ndiff=$(cmp -l <(printf '%s' "$before" | fold -w2) <(printf '%s' "$after" | fold -w2) 2>/dev/null | wc -l)
	expect_eq "$kind chunk $ch: one byte flipped, length kept" "$len 1" \
		"$(sql "$C" "select length(data) from chunks where id = $ch") $((ndiff > 0 ? 1 : 0))"
	dk verify "$C"
	expect_rc 1 "$kind chunk flipped: verify exits 1"
	if grep -qE "chunk $ch\b.*artifact $aid\b.*$name" "$T/.out" "$T/.err"; then
		ok "$kind chunk flipped: verify names chunk $ch and artifact $aid ($name) on one line"
	else
		fail "$kind chunk flipped: verify names chunk $ch and artifact $aid ($name)"
	fi
	expect_out "$kind chunk flipped: the artifact replays wrong" "artifact $aid '"
	dk export "$C" "$aid" -o "$T/out.bin"
	expect_rc 1 "$kind chunk flipped: export exits 1"
	check "$kind chunk flipped: export leaves no output" test ! -e "$T/out.bin"
	rm -f "$T/out.bin"
done

# A chunk of a group member: verify names the member and the chunk.
fresh
mch=$(sql "$C" "select p.chunk_id from artifact_all a join blob_parts p on p.blob_id = a.blob_id where a.id = $id_member")
flip "$C" "$mch" 1
dk verify "$C"
expect_rc 1 "group member's chunk flipped: verify exits 1"
if grep -qE "chunk $mch\b.*artifact $id_member\b" "$T/.out" "$T/.err"; then
	ok "group member's chunk flipped: verify names chunk $mch and artifact $id_member"
else
	fail "group member's chunk flipped: verify names chunk $mch and artifact $id_member"
fi

# An edited custody row.
fresh
sql "$C" "update custody set detail = replace(detail, 'random.bin', 'rand0m.bin') where seq = 2"
expect_eq "custody row 2 edited" "1" "$(sql "$C" "select count(*) from custody where seq = 2 and detail like '%rand0m.bin%'")"
dk verify "$C"
expect_rc 1 "edited custody detail: verify exits 1"
expect_out "edited custody detail: verify names row 2" "custody row 2 "
fresh
sql "$C" "update custody set examiner = 'mallory' where seq = 1"
dk verify "$C"
expect_rc 1 "edited custody examiner: verify exits 1"
expect_out "edited custody examiner: verify names row 1" "custody row 1 "
fresh
sql "$C" "update custody set ts = ts + 1 where seq = 3"
dk verify "$C"
expect_rc 1 "edited custody time: verify exits 1"
expect_out "edited custody time: verify names row 3" "custody row 3 "

# An edited row whose hash is recomputed by the forger still breaks the
# next row's link: simulate by copying row 3's hash into row 2.
fresh
sql "$C" "update custody set hash = (select hash from custody where seq = 3) where seq = 2"
dk verify "$C"
expect_rc 1 "replaced custody hash: verify exits 1"
expect_out "replaced custody hash: verify names row 2" "custody row 2 "

# A deleted custody row (in the middle).
fresh
sql "$C" "delete from custody where seq = 3"
dk verify "$C"
expect_rc 1 "deleted custody row: verify exits 1"
if grep -qE 'custody row (3|4)\b.*(removed|missing|sequence)' "$T/.out" "$T/.err"; then
	ok "deleted custody row: verify names the gap at row 3"
else
	fail "deleted custody row: verify names the gap at row 3"
fi

# The last row deleted: the chain is still a chain, so only --expect can
# tell.
fresh
sql "$C" "delete from custody where seq = (select max(seq) from custody)"
dk verify --expect "$HEAD" "$C"
expect_rc 1 "deleted last custody row: verify --expect the old head exits 1"

# An artifact's digest changed in artifact_all.
fresh
sql "$C" "update artifact_all set sha256 = (case when substr(sha256, 1, 2) = '00' then 'ff' else '00' end) || substr(sha256, 3) where id = $id_random"
dk verify "$C"
expect_rc 1 "artifact sha256 changed: verify exits 1"
if grep -qE "artifact $id_random '[^']*random.bin'.*custody" "$T/.out" "$T/.err"; then
	ok "artifact sha256 changed: verify names artifact $id_random and its custody record"
else
	fail "artifact sha256 changed: verify names artifact $id_random and its custody record"
fi
# An artifact's size changed: the custody record says otherwise.
fresh
sql "$C" "update artifact_all set size = size - 1 where id = $id_numbers"
dk verify "$C"
expect_rc 1 "artifact size changed: verify exits 1"
expect_out "artifact size changed: verify names artifact $id_numbers" "artifact $id_numbers "

# An artifact's name changed: the custody record says otherwise.
fresh
sql "$C" "update artifact_all set name = 'innocent.txt' where id = $id_random"
dk verify "$C"
expect_rc 1 "artifact name changed: verify exits 1"
expect_out "artifact name changed: verify names artifact $id_random" "artifact $id_random "

# An artifact removed, or set back to 'importing' (which the next writer
# would delete): its custody row still records it.
fresh
sql "$C" "delete from artifact_all where id = $id_numbers"
dk verify "$C"
expect_rc 1 "artifact row deleted: verify exits 1"
expect_out "artifact row deleted: verify names artifact $id_numbers" "artifact $id_numbers"
fresh
sql "$C" "update artifact_all set state = 'importing' where id = $id_numbers"
dk verify "$C"
expect_rc 1 "complete artifact set to 'importing': verify exits 1"
expect_out "complete artifact set to 'importing': verify names artifact $id_numbers" "artifact $id_numbers"

# A group member's digest: the member and the group's Merkle hash.
fresh
sql "$C" "update artifact_all set sha256 = (case when substr(sha256, 1, 2) = '00' then 'ff' else '00' end) || substr(sha256, 3) where id = $id_member"
dk verify "$C"
expect_rc 1 "group member sha256 changed: verify exits 1"
expect_out "group member sha256 changed: verify names the group" "group $id_group "
expect_out "group member sha256 changed: verify names the member" "artifact $id_member "

# A chunk deleted outright.
fresh
sql "$C" "delete from chunks where id = $zstd_chunk"
dk verify "$C"
expect_rc 1 "chunk deleted: verify exits 1"
expect_out "chunk deleted: verify names the artifact" "artifact $id_numbers "

# verify --expect
fresh
dk verify --expect "$HEAD" "$C"
expect_rc 0 "verify --expect the right head exits 0"
wrong=$(printf '%s' "$HEAD" | tr '0-9a-f' '1-9a-f0')
dk verify --expect "$wrong" "$C"
expect_rc 1 "verify --expect a wrong head exits 1"
expect_out "verify --expect a wrong head names both heads" "$HEAD"
dk verify --expect "$(printf '%s' "$HEAD" | tr a-f A-F)" "$C"
if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then ok "verify --expect in upper case exits $RC"; else fail "verify --expect in upper case exits 0 or 1"; fi
dk verify --expect "$C"
expect_rc 2 "verify --expect without a head is a usage error"

# A string's trigram-index row deleted (the string table writes it last).
S=$T/strings.drydock
dk init "$S"
dk ingest "$S" "$PWD/datasets/strace/rec/threads/stderr-f-tt.txt"
expect_rc 0 "ingest a strace recording"
dk verify "$S"
expect_rc 0 "the strace case verifies"
sid=$(sql "$S" "select max(id) from strings where length(s) >= 3 and instr(s, '%') = 0 and instr(s, '_') = 0")
sql "$S" "insert into strings_fts(strings_fts, rowid, s) select 'delete', id, s from strings where id = $sid"
dk verify "$S"
expect_rc 1 "a string missing from the trigram index: verify exits 1"
expect_out "verify names the string" "string $sid is missing from the trigram index"

# The pristine case was never touched.
dk verify --expect "$HEAD" "$P"
expect_rc 0 "the pristine case still verifies"

t_done
