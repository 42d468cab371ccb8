#!/usr/bin/env bash
# 0035-reference: `ingest --reference` keeps path and SHA-256, not the
# bytes. The digest must be sha256sum's whichever way it is computed (from
# the bytes the parser reads, for an unfiltered parsed file; by a reader of
# its own for a compressed or unparsed one, and for what a parser leaves
# unread), the parse must equal a normal import's, export must refuse and
# say where the original is, and verify must re-hash it in place.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2; }
P=$PWD/tests/data/pcap/beacon.pcap
S=$PWD/datasets/strace/rec/forkexec/f-tt-T.txt

# A capture, parsed: the hash from the parser's own reads.
for mode in ref full; do
	C=$T/$mode.dd
	dk init "$C"
	if [ $mode = ref ]; then
		dk ingest --reference "$C" "$P"
	else
		dk ingest "$C" "$P"
	fi
	expect_rc 0 "$mode: a capture imports"
done
expect_eq "--reference: the capture's digest is sha256sum's" \
	"$(sha256sum <"$P" | cut -c1-64)" "$(q "$T/ref.dd" "select sha256 from artifacts")"
expect_eq "... its flows are a full import's" \
	"$(q "$T/full.dd" "select count(*), sum(packets) from flows")" \
	"$(q "$T/ref.dd" "select count(*), sum(packets) from flows")"
expect_eq "... and no original bytes are stored" 0 \
	"$(q "$T/ref.dd" "select count(*) from chunks")"

# A compressed trace (hashed by a reader of its own) and an unparsed file.
gzip -c "$S" >"$T/trace.txt.gz"
head -c 300000 /dev/urandom >"$T/blob.bin"
C=$T/mix.dd
dk init "$C"
dk ingest --reference "$C" "$T/trace.txt.gz" "$T/blob.bin"
expect_rc 0 "--reference: a gzip'd trace and an unparsed file import"
expect_eq "... the trace's digest is the compressed file's" \
	"$(sha256sum <"$T/trace.txt.gz" | cut -c1-64)" \
	"$(q "$C" "select sha256 from artifacts where name like '%trace.txt.gz'")"
expect_eq "... the raw file's too" "$(sha256sum <"$T/blob.bin" | cut -c1-64)" \
	"$(q "$C" "select sha256 from artifacts where name like '%blob.bin'")"
expect_ne "... and the trace was parsed" 0 "$(q "$C" "select count(*) from events")"

dk export "$T/ref.dd" 1 -o "$T/out.pcap"
expect_rc 1 "export of a referenced artifact is refused"
expect_err "... naming where the original is" "by reference" "$P"
dk verify "$T/ref.dd"
expect_rc 0 "verify re-hashes a referenced original in place"
expect_out "... and says so" "1 re-hashed"
cp "$P" "$T/moved.pcap"
C=$T/moved.dd
dk init "$C"
dk ingest --reference "$C" "$T/moved.pcap"
printf 'x' >>"$T/moved.pcap"
dk verify "$C"
expect_rc 1 "verify fails when a referenced original changed"

t_done
