#!/usr/bin/env bash
# 0020-bad-input: inputs drydock must reject cleanly (missing, unreadable,
# empty, empty directory, FIFO, socket), an input larger than the address
# space (release binary under ulimit -v), identical re-ingest, and --strict.
#
# DD_BIG_GIB sets the size of the sparse big input in GiB (default 4: an
# 8 GiB input takes about a minute to hash on two loaded cores; 4 GiB is
# still four times the 1 GiB address-space limit).
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

C=$T/case.drydock
dk init "$C"
expect_rc 0 "init"
printf 'first evidence\n' >"$T/good.txt"
dk ingest "$C" "$T/good.txt"
expect_rc 0 "ingest a good file"

# reject PATH DESC [CASE]: ingesting PATH exits 1, names it on stderr and
# leaves the case as it was (custody, artifacts, chunks, head), still
# verifying.
reject() {
	local p=$1 d=$2 c=${3:-$C} before after
	before=$(case_state "$c")
	run timeout 30 "$DRYDOCK" ingest "$c" "$p"
	expect_rc 1 "$d: ingest exits 1"
	expect_err "$d: stderr names the path" "$p"
	after=$(case_state "$c")
	expect_eq "$d: case unchanged (custody, artifacts, chunks, head)" "$before" "$after"
	dk verify "$c"
	expect_rc 0 "$d: case still verifies"
}

reject "$T/does-not-exist" "missing input"
dk ingest "$C" "$T/does-not-exist"
expect_err "missing input: the reason is given" "No such file"

: >"$T/empty"
reject "$T/empty" "empty file"
mkdir "$T/emptydir"
reject "$T/emptydir" "empty directory"
mkdir -p "$T/onlydirs/a/b"
reject "$T/onlydirs" "directory holding only directories"

mkfifo "$T/fifo"
reject "$T/fifo" "FIFO"
dk ingest "$C" "$T/fifo"
expect_err "FIFO: rejected as not a regular file" "not a regular file"

if python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/sock" 2>/dev/null &&
	[ -S "$T/sock" ]; then
	reject "$T/sock" "socket"
	dk ingest "$C" "$T/sock"
	expect_err "socket: rejected as not a regular file" "not a regular file"
else
	echo "skip - socket (python3 cannot make a unix socket here)"
fi

reject /dev/null "character device /dev/null"

# Unreadable input. chmod 000 does not stop root: as root, run drydock as
# 'nobody' on a case it owns; without setpriv, skip honestly.
if ! t_is_root; then
	printf 'secret\n' >"$T/unreadable"
	chmod 000 "$T/unreadable"
	reject "$T/unreadable" "unreadable file (chmod 000)"
	dk ingest "$C" "$T/unreadable"
	expect_err "unreadable file: the reason is given" "Permission denied"
elif command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
	NB=$T/nobody
	mkdir "$NB"
	chmod 711 "$T"
	chown nobody "$NB"
	asnobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
	run asnobody "$DRYDOCK" init "$NB/case.drydock"
	expect_rc 0 "unreadable: init a case as nobody"
	printf 'secret\n' >"$NB/unreadable"
	chmod 000 "$NB/unreadable"
	before=$(case_state "$NB/case.drydock")
	run asnobody "$DRYDOCK" ingest "$NB/case.drydock" "$NB/unreadable"
	expect_rc 1 "unreadable file (chmod 000, as nobody): ingest exits 1"
	expect_err "unreadable file: stderr names the path and the reason" \
		"$NB/unreadable" "Permission denied"
	expect_eq "unreadable file: case unchanged" "$before" "$(case_state "$NB/case.drydock")"
	run asnobody "$DRYDOCK" verify "$NB/case.drydock"
	expect_rc 0 "unreadable file: case still verifies"
	mkdir "$NB/closed"
	printf 'x\n' >"$NB/closed/f"
	chmod 000 "$NB/closed"
	before=$(case_state "$NB/case.drydock")
	run asnobody "$DRYDOCK" ingest "$NB/case.drydock" "$NB/closed"
	expect_rc 1 "unreadable directory (as nobody): ingest exits 1"
	expect_err "unreadable directory: stderr names the path" "$NB/closed"
	expect_eq "unreadable directory: case unchanged" "$before" "$(case_state "$NB/case.drydock")"
	chmod 700 "$T"
else
	echo "skip: unreadable (root)"
	ok "unreadable input skipped under root (no setpriv)"
fi

# Identical re-ingest: exit 0, says so, adds nothing.
head -c 5000000 /dev/urandom >"$T/five.bin"
dk ingest "$C" "$T/five.bin"
expect_rc 0 "ingest a 5 MB file"
pages=$(sql "$C" 'pragma page_count')
chunks=$(sql "$C" 'select count(*) from chunks')
state=$(case_state "$C")
cp "$T/five.bin" "$T/five-copy.bin"
dk ingest "$C" "$T/five-copy.bin"
expect_rc 0 "re-ingest of an identical file exits 0"
if grep -q identical "$T/.out" "$T/.err"; then ok "re-ingest says 'identical'"; else fail "re-ingest says 'identical'"; fi
expect_eq "re-ingest adds no pages" "$pages" "$(sql "$C" 'pragma page_count')"
expect_eq "re-ingest adds no chunks" "$chunks" "$(sql "$C" 'select count(*) from chunks')"
expect_eq "re-ingest adds no custody row or artifact" "$state" "$(case_state "$C")"
dk ingest "$C" "$T/good.txt"
expect_rc 0 "re-ingest of the first file exits 0"
expect_eq "still two artifacts" "2" "$(sql "$C" 'select count(*) from artifact_all')"

# --strict: only the test-only 'template' importer records anomalies today.
printf 'drydock-template\nk=v\nnot a pair\nx=1\nalso not\n' >"$T/tpl.txt"
dk ingest --strict --as template "$C" "$T/tpl.txt"
expect_rc 4 "--strict with anomalies exits 4"
expect_eq "anomalies with their offsets" \
	"21|line at offset 21 is not key=value
36|line at offset 36 is not key=value" \
	"$(sql "$C" "select n.offset, n.message from anomalies n join artifacts a on a.id = n.artifact_id where a.name like '%tpl.txt' order by n.offset")"
printf 'drydock-template\nk=v\nnot a pair\nx=2\nalso not\n' >"$T/tpl2.txt"
dk ingest --as template "$C" "$T/tpl2.txt"
expect_rc 0 "anomalies without --strict exit 0"
expect_eq "anomalies of the second file" "21
36" \
	"$(sql "$C" "select n.offset from anomalies n join artifacts a on a.id = n.artifact_id where a.name like '%tpl2.txt' order by n.offset")"
printf 'drydock-template\nk=v\nx=3\n' >"$T/tpl3.txt"
dk ingest --strict --as template "$C" "$T/tpl3.txt"
expect_rc 0 "--strict without anomalies exits 0"
dk query "$C" "select count(*) as n from anomalies"
expect_rc 0 "query anomalies"
expect_eq "query sees 4 anomalies" "n
4" "$OUT"
dk verify "$C"
expect_rc 0 "case verifies after the bad inputs"

# An input larger than the address space, with the release binary.
if [ ! -x "$DRYDOCK_RELEASE" ]; then
	fail_only "big input: no release binary at $DRYDOCK_RELEASE"
	t_done
fi
GIB=${DD_BIG_GIB:-4}
BYTES=$((GIB * 1024 * 1024 * 1024))
B=$T/big.drydock
run "$DRYDOCK_RELEASE" init "$B"
expect_rc 0 "big: init"
truncate -s "$BYTES" "$T/big.img"
if [ -x /usr/bin/time ]; then
	measure=(/usr/bin/time -o "$T/rss" -f %M)
else
	# Without GNU time (Debian package 'time'), ask python for the
	# child's peak RSS in KiB.
	measure=(python3 -c 'import resource,subprocess,sys
r = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(r)' "$T/rss")
fi
start=$SECONDS
run bash -c 'ulimit -v 1048576 || exit 98; exec "$@"' sh \
	"${measure[@]}" "$DRYDOCK_RELEASE" ingest "$B" "$T/big.img"
expect_rc 0 "big: ingest a sparse $GIB GiB file under ulimit -v 1 GiB"
echo "    ingest took $((SECONDS - start)) s"
rss=$(tail -n 1 "$T/rss" 2>/dev/null)
echo "    peak RSS: ${rss:-?} KiB"
if [ -n "$rss" ] && [ "$rss" -lt $((256 * 1024)) ]; then
	ok "big: peak RSS ${rss} KiB < 256 MiB"
else
	fail_only "big: peak RSS '${rss}' KiB < 256 MiB"
fi
run "$DRYDOCK_RELEASE" query "$B" "select size from artifacts where id = 1"
expect_rc 0 "big: query the size"
expect_eq "big: query shows the size" "size
$BYTES" "$OUT"
expect_eq "big: sqlite3 shows the size" "$BYTES" "$(sql "$B" 'select size from artifact_all where id = 1')"
expect_eq "big: zeros stored as one chunk" "1" "$(sql "$B" 'select count(*) from chunks')"
cmp_big() { cmp - "$T/big.img"; }
start=$SECONDS
fifo_run "$T/big.fifo" cmp_big "$DRYDOCK_RELEASE" export "$B" 1 -o "$T/big.fifo"
expect_rc 0 "big: export through a FIFO"
if [ "$FIFO_RC" -eq 0 ]; then
	ok "big: exported bytes cmp equal to the sparse original"
else
	fail "big: exported bytes cmp equal to the sparse original (cmp: $(cat "$T/.reader"))"
fi
echo "    export and cmp took $((SECONDS - start)) s"

t_done
