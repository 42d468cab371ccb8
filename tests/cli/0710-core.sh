#!/usr/bin/env bash
# 0710-core: the ELF core importer against eu-readelf, gdb and the truth.
#
# Cores are made here with gdb's gcore of tests/data/core/implant.c (an
# RWX anonymous mapping with a marker and an ELF header, LD_PRELOAD and a
# known argv/environment) and of the same program doing nothing; the real
# cores of ../shared/fixtures/core/elfutils (kernel cores of x86-64, i386,
# aarch64, riscv64; gcore) are read when present. For every core, every
# PT_LOAD row (addresses, permissions, bytes present and where), every
# NT_FILE path and offset, PRPSINFO's pid/ppid/uid/fname and the thread
# count must agree with eu-readelf (tests/oracle/core_readelf.py); gdb
# must see the same executable; the implant's argv and environment must
# come back exactly, and its RWX segment's bytes, read from the stored
# original at data_off, must hold the marker. Bad input: cores cut in the
# ELF header (rejected, case unchanged), in the notes and in the segments
# (imported with anomalies), a note whose size overflows, an absurd phnum,
# and an ELF executable (not a core: not sniffed as one).
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2; }
ORACLE=$PWD/tests/oracle/core_readelf.py
C=$T/case.drydock
dk init "$C"

# oracle CORE ARTIFACT: compare one imported core with eu-readelf.
oracle() {
	"$DRYDOCK" query --format csv "$C" "select start, end, perms, offset,
		path, data_off, data_size from mappings where artifact_id = $2
		order by seq" >"$T/m.csv" 2>/dev/null
	"$DRYDOCK" query --format csv "$C" "select p.pid, p.ppid, p.comm,
		(select count(*) from threads t where t.process_id = p.id),
		i.uid from processes p join process_info i on
		i.process_id = p.id where p.artifact_id = $2" >"$T/p.csv" 2>/dev/null
	check "eu-readelf agrees on $(basename "$1")" /usr/bin/python3 "$ORACLE" \
		"$1" "$T/m.csv" "$T/p.csv"
}
art() { q "$C" "select id from artifacts where name = '$1'"; }

if ! command -v eu-readelf >/dev/null; then
	fail_only "eu-readelf is missing (elfutils; ./build.sh deps)"
	t_done
fi

# ---- cores made here ----
if bash tests/data/core/make-core.sh "$T/cores"; then
	ok "made implant.core and plain.core with gcore"
	dk ingest "$C" "$T/cores/implant.core" "$T/cores/plain.core"
	expect_rc 0 "both cores import"
	expect_out "sniffed as core" ", core, "
	A=$(art "$T/cores/implant.core")
	P=$(art "$T/cores/plain.core")
	oracle "$T/cores/implant.core" "$A"
	oracle "$T/cores/plain.core" "$P"
	pid=$(cat "$T/cores/implant.pid")
	expect_eq "implant pid" "$pid" "$(q "$C" "select pid from processes where artifact_id = $A")"
	expect_eq "argv from the stack, exactly" "$T/cores/implant implant arg two" \
		"$(q "$C" "select args from processes where artifact_id = $A")"
	expect_eq "exe from NT_FILE at AT_ENTRY" "$T/cores/implant" \
		"$(q "$C" "select exe from processes where artifact_id = $A")"
	expect_eq "environ from the stack, in order" \
		"PATH=/usr/bin:/bin DRYDOCK_TEST=1 LD_PRELOAD=$T/cores/libpreload.so" \
		"$(q "$C" "select group_concat(name || '=' || value, ' ') from
			(select name, value from environ where pid = $pid and
			 artifact_id = $A order by seq)")"
	expect_eq "the plain core has no LD_PRELOAD" "0" \
		"$(q "$C" "select count(*) from environ where artifact_id = $P and name = 'LD_PRELOAD'")"
	expect_eq "one anonymous rwx mapping in the implant" "1" \
		"$(q "$C" "select count(*) from mappings where artifact_id = $A and perms = 'rwx' and path is null")"
	expect_eq "none in the plain core" "0" \
		"$(q "$C" "select count(*) from mappings where artifact_id = $P and perms = 'rwx' and path is null")"
	# The RWX segment's bytes, read from the original at data_off.
	off=$(q "$C" "select data_off from mappings where artifact_id = $A and perms = 'rwx' and path is null")
	if dd if="$T/cores/implant.core" bs=1 skip=$((off + 4096)) count=22 2>/dev/null |
		grep -q DRYDOCK-IMPLANT-MARKER &&
	   [ "$(dd if="$T/cores/implant.core" bs=1 skip="$off" count=4 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; then
		ok "data_off locates the rwx segment (ELF header, marker)"
	else
		fail_only "data_off $off does not locate the rwx segment"
	fi
	dk export "$C" "$A" -o "$T/back.core"
	expect_eq "the stored original is bit-exact" "$(sha "$T/cores/implant.core")" "$(sha "$T/back.core")"
	if command -v gdb >/dev/null; then
		gdb -batch -ex 'info proc mappings' -c "$T/cores/implant.core" \
			"$T/cores/implant" >"$T/gdb.txt" 2>&1
		# every file-backed segment: gdb shows the same start and path
		/usr/bin/python3 -c 'import sys
for l in open(sys.argv[1]):
    f = l.split()
    if len(f) >= 5 and f[0].startswith("0x"): print("%x %s" % (int(f[0], 16), f[-1]))' \
			"$T/gdb.txt" | sort >"$T/gdb.map"
		q "$C" "select ltrim(start, '0') || ' ' || path from mappings where
			artifact_id = $A and path not like '[%'" | sort >"$T/dd.map"
		n=$(comm -23 "$T/dd.map" "$T/gdb.map" | wc -l)
		if [ -s "$T/dd.map" ] && [ "$n" -eq 0 ]; then
			ok "gdb maps every file-backed segment at the same address and path"
		else
			fail_only "gdb disagrees on $n file-backed segments"
			comm -23 "$T/dd.map" "$T/gdb.map" | head -5
		fi
	fi
	expect_eq "signal and state (gcore: SIGSTOP, t)" "19 t" \
		"$(q "$C" "select signal || ' ' || state from process_info where artifact_id = $A")"
else
	[ $? -eq 77 ] && echo "skip: cc or gcore missing" || fail_only "make-core.sh failed"
fi

# ---- real cores (../shared/fixtures) ----
F=../shared/fixtures/core/elfutils
if [ -d "$F" ]; then
	for f in "$F"/*.core "$F"/testcore-rtlib "$F"/testfile-riscv64-core \
		"$F"/testfile_aarch64_core; do
		dk ingest "$C" "$f"
		expect_rc 0 "$(basename "$f") imports"
		oracle "$f" "$(art "$f")"
	done
	a=$(art "$F/backtrace.x86_64.core")
	expect_eq "two threads in backtrace.x86_64.core" "2" \
		"$(q "$C" "select count(*) from threads where artifact_id = $a")"
	dk ingest "$C" "$F/test-core.exec"
	expect_eq "an ELF executable is not a core" "raw" \
		"$(q "$C" "select format from artifacts where name = '$F/test-core.exec'")"
else
	echo "skip: ../shared/fixtures/core absent"
fi

# ---- bad input ----
if [ -f "$T/cores/plain.core" ]; then
	src=$T/cores/plain.core
	s0=$(case_state "$C")
	head -c 40 "$src" >"$T/cut-header.core"
	dk ingest "$C" --as core "$T/cut-header.core"
	expect_rc 1 "a core cut in its ELF header is rejected"
	expect_err "the error names the file" "cut-header.core"
	expect_eq "case unchanged" "$s0" "$(case_state "$C")"
	# The notes of a gcore core are near its end: cut in the middle of
	# them; the segments are whole, the rest of the notes lost.
	noff=$(($(eu-readelf -l "$src" | awk '$1 == "NOTE" { print $2 }')))
	head -c $((noff + 700)) "$src" >"$T/cut-notes.core"
	dk ingest "$C" "$T/cut-notes.core"
	expect_rc 0 "a core cut in its notes imports"
	a=$(art "$T/cut-notes.core")
	expect_ne "with anomalies" "0" "$(q "$C" "select count(*) from anomalies where artifact_id = $a")"
	head -c $((noff / 2)) "$src" >"$T/cut-segs.core"
	dk ingest "$C" "$T/cut-segs.core"
	a=$(art "$T/cut-segs.core")
	expect_rc 0 "a core cut in its segments imports"
	expect_ne "segments past the end are anomalies" "0" \
		"$(q "$C" "select count(*) from anomalies where artifact_id = $a")"
	expect_ne "and have fewer bytes present" \
		"$(q "$C" "select sum(data_size) from mappings where artifact_id = $P")" \
		"$(q "$C" "select sum(data_size) from mappings where artifact_id = $a")"
	/usr/bin/python3 - "$src" "$T" <<'PY'
import struct, sys
src, t = sys.argv[1], sys.argv[2]
b = bytearray(open(src, 'rb').read())
phoff, = struct.unpack_from('<Q', b, 32)
phnum, = struct.unpack_from('<H', b, 56)
# the PT_NOTE segment: set its first note's descsz to 0xfffffff0
for i in range(phnum):
    o = phoff + 56 * i
    if struct.unpack_from('<I', b, o)[0] == 4:
        noff, = struct.unpack_from('<Q', b, o + 8)
        x = bytearray(b)
        struct.pack_into('<I', x, noff + 4, 0xfffffff0)
        open(t + '/note-overflow.core', 'wb').write(x)
x = bytearray(b)
struct.pack_into('<H', x, 56, 0xfff0)
open(t + '/phnum.core', 'wb').write(x)
x = bytearray(b)
struct.pack_into('<Q', x, 32, 0x7ffffffffffffff0)
open(t + '/phoff.core', 'wb').write(x)
PY
	for f in note-overflow phnum phoff; do
		s0=$(case_state "$C")
		dk ingest "$C" --as core "$T/$f.core"
		if [ "$RC" -eq 0 ]; then
			a=$(art "$T/$f.core")
			expect_ne "$f: imported with anomalies" "0" \
				"$(q "$C" "select count(*) from anomalies where artifact_id = $a")"
		else
			expect_rc 1 "$f: rejected"
			expect_eq "$f: case unchanged" "$s0" "$(case_state "$C")"
		fi
		t_sanitized && fail "$f: sanitizer report"
	done
	dk verify "$C"
	expect_rc 0 "the case verifies after the bad cores"
fi
t_done
