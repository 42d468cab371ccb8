#!/usr/bin/env bash
# 0010-basics: --version, --help on every command, usage errors, init,
# ingest's reported digest, and the custody head printed by every mutating
# command.
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

C=$T/case.drydock

# --version and --help
dk --version
expect_rc 0 "--version exits 0"
if printf '%s\n' "$OUT" | grep -qE '^drydock [0-9]+\.[0-9]+\.[0-9]+'; then
	ok "--version prints 'drydock X.Y.Z'"
else
	fail "--version prints 'drydock X.Y.Z'"
fi

dk --help
expect_rc 0 "--help exits 0"
expect_out "--help mentions usage" "usage: drydock"
cmds=$(printf '%s\n' "$OUT" | sed -n '/^Commands:/,/^$/p' |
	sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p')
ncmds=$(printf '%s\n' "$cmds" | grep -c .)
if [ "$ncmds" -ge 12 ]; then
	ok "--help lists $ncmds commands"
else
	fail "--help lists at least 12 commands (found $ncmds: $cmds)"
fi
for want in init ingest analyze report export verify note tag offset seal query info; do
	if printf '%s\n' "$cmds" | grep -qx "$want"; then
		ok "--help lists '$want'"
	else
		fail "--help lists '$want'"
	fi
done
for c in $cmds; do
	dk "$c" --help
	if [ "$RC" -eq 0 ] && grep -q "usage: drydock $c" "$T/.out"; then
		ok "$c --help exits 0 with usage"
	else
		fail "$c --help exits 0 with 'usage: drydock $c'"
	fi
done

# usage errors
dk no-such-command
expect_rc 2 "unknown command exits 2"
expect_err "unknown command is named" "no-such-command"
dk --no-such-option
expect_rc 2 "unknown global option exits 2"
expect_err "unknown global option is named" "--no-such-option"
dk init --no-such-option "$T/x.drydock"
expect_rc 2 "unknown init option exits 2"
expect_err "unknown init option is named" "--no-such-option"
if [ ! -e "$T/x.drydock" ]; then ok "usage error creates no case"; else fail_only "usage error creates no case"; fi
dk ingest --no-such-option "$C" /etc/hostname
expect_rc 2 "unknown ingest option exits 2"
dk verify --no-such-option "$C"
expect_rc 2 "unknown verify option exits 2"
dk init
expect_rc 2 "init without CASE exits 2"
dk
expect_rc 2 "no command exits 2"

# init
dk init "$C"
expect_rc 0 "init creates a case"
expect_head "init prints the custody head on stderr" "$C"
check "case is a file" test -f "$C"
expect_eq "case has one custody row (create)" "1|create" \
	"$(sql "$C" 'select count(*), max(action) from custody')"
expect_eq "application id is 'DryD'" "$((0x44727944))" \
	"$(sql "$C" 'pragma application_id')"
before=$(sha "$C")
dk init "$C"
expect_rc 1 "init refuses an existing case"
expect_err "init names the existing file" "$C"
expect_eq "refused init leaves the case alone" "$before" "$(sha "$C")"
echo "not a case" >"$T/plain"
dk init "$T/plain"
expect_rc 1 "init refuses an existing plain file"
expect_eq "refused init leaves the plain file alone" "not a case" "$(cat "$T/plain")"

# ingest: id and sha256
printf 'hello drydock\n' >"$T/a.txt"
head -c 3000000 /dev/urandom >"$T/big.bin"
dk ingest "$C" "$T/a.txt"
expect_rc 0 "ingest a text file"
expect_head "ingest prints the custody head" "$C"
want=$(sha "$T/a.txt")
if printf '%s\n' "$OUT$ERR" | grep -q "artifact 1, .*sha256 $want"; then
	ok "ingest prints artifact id 1 and the sha256 of sha256sum"
else
	fail "ingest prints 'artifact 1 ... sha256 $want'"
fi
expect_eq "stored sha256 equals sha256sum" "$want" \
	"$(sql "$C" 'select sha256 from artifacts where id = 1')"
dk ingest "$C" "$T/big.bin"
expect_rc 0 "ingest a 3 MB file"
want=$(sha "$T/big.bin")
if printf '%s\n' "$OUT$ERR" | grep -q "artifact 2, .*sha256 $want"; then
	ok "ingest prints artifact id 2 and the sha256 of the multi-chunk file"
else
	fail "ingest prints 'artifact 2 ... sha256 $want'"
fi
expect_eq "stored size and sha256 of the 3 MB file" "3000000|$want" \
	"$(sql "$C" 'select size, sha256 from artifacts where id = 2')"
# the same digests with OpenSSL's SHA-256 instead of the CPU's (chunk keys
# and the artifact's, computed in one pass or in two)
dk init "$T/ossl.dd"
DRYDOCK_SHA=openssl dk ingest "$T/ossl.dd" "$T/big.bin"
expect_rc 0 "DRYDOCK_SHA=openssl: ingest the 3 MB file"
expect_eq "DRYDOCK_SHA=openssl: the same artifact and chunk digests" \
	"$(sql "$C" "select sha256 || '|' || (select group_concat(hex(c.hash), ',') from blob_parts p join chunks c on c.id = p.chunk_id where p.blob_id = a.blob_id) from artifact_all a where a.id = 2")" \
	"$(sql "$T/ossl.dd" "select sha256 || '|' || (select group_concat(hex(c.hash), ',') from blob_parts p join chunks c on c.id = p.chunk_id where p.blob_id = a.blob_id) from artifact_all a")"
DRYDOCK_SHA=openssl dk verify "$C"
expect_rc 0 "DRYDOCK_SHA=openssl: verify passes on a case hashed by the CPU's SHA-256"
# with six workers the chunks' digests are taken apart from the artifact's
dk init "$T/six.dd"
DRYDOCK_THREADS=6 dk ingest "$T/six.dd" "$T/big.bin"
expect_rc 0 "DRYDOCK_THREADS=6: ingest the 3 MB file"
expect_eq "DRYDOCK_THREADS=6: the same artifact and chunk digests" \
	"$(sql "$T/ossl.dd" "select sha256 || '|' || (select group_concat(hex(c.hash), ',') from blob_parts p join chunks c on c.id = p.chunk_id where p.blob_id = a.blob_id) from artifact_all a")" \
	"$(sql "$T/six.dd" "select sha256 || '|' || (select group_concat(hex(c.hash), ',') from blob_parts p join chunks c on c.id = p.chunk_id where p.blob_id = a.blob_id) from artifact_all a")"

# the custody head on every mutating command
dk analyze "$C"
expect_rc 0 "analyze"
expect_head "analyze prints the custody head" "$C"
fid=$(sql "$C" 'select id from findings order by id limit 1')
dk note "$C" "finding:$fid" "a note"
expect_rc 0 "note on a finding"
expect_head "note prints the custody head" "$C"
dk note "$C" artifact:1 "from host web-3"
expect_rc 0 "note on an artifact"
expect_head "note (artifact) prints the custody head" "$C"
dk tag "$C" artifact:1 checked suspicious
expect_rc 0 "tag"
expect_head "tag prints the custody head" "$C"
expect_eq "tags stored" "checked,suspicious" \
	"$(sql "$C" "select group_concat(tag, ',') from (select tag from tags order by tag)")"
dk offset "$C" 1 +3s
expect_rc 0 "offset"
expect_head "offset prints the custody head" "$C"
expect_eq "offset stored in ns" "3000000000" \
	"$(sql "$C" 'select clock_offset from artifact_all where id = 1')"
dk export "$C" 2 -o "$T/big.out"
expect_rc 0 "export"
expect_head "export prints the custody head" "$C"
check "export reproduces the file" cmp "$T/big.bin" "$T/big.out"
dk seal "$C"
expect_rc 0 "seal"
expect_head "seal prints the custody head" "$C"
expect_eq "custody actions in order (one tag row per tag)" \
	"create,ingest,ingest,analyze,note,note,tag,tag,offset,export,seal" \
	"$(sql "$C" "select group_concat(action, ',') from (select action from custody order by seq)")"

# -q silences the head line
dk -q tag "$C" artifact:2 quiet
expect_rc 0 "-q tag"
if [ -z "$(err_head)" ]; then ok "-q prints no custody head"; else fail "-q prints no custody head"; fi

dk verify --expect "$(head_of "$C")" "$C"
expect_rc 0 "verify --expect the stored head"

t_done
