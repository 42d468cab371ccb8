#!/usr/bin/env bash
# 0200-syscalls-oracle: drydock's syscall tables (core/syscalls.c) against
# an independent oracle, `ausyscall ARCH --dump` (Debian package auditd;
# its tables come from libaudit, not from the kernel headers drydock's
# generator reads). A tiny program built here against
# build/release/libdrydock.a dumps drydock's tables as "nr name" lines;
# nothing is added to the CLI for it.
#
# The tables must agree on every number both know, except for the
# differences listed in TOLERATED below (each with its reason). drydock may
# know x86_64 numbers from 451 on above ausyscall's highest (calls newer
# than libaudit's table, which ends at 450 in auditd 3.0.9); any other
# entry known to only one side fails.
#
# Also checks that datasets/gen/syscalls.sh is deterministic and that the
# committed core/syscalls.c matches a fresh generation (the provenance
# comment is compared only when the installed linux-libc-dev is the one the
# file names).
#
# Needs: ausyscall (auditd), cc, pkg-config, python3, dpkg-query and
# build/release/libdrydock.a (./build.sh test builds it first).
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

ROOT=$PWD
CC=${CC:-cc}
LIB=${DRYDOCK_LIB:-$ROOT/build/release/libdrydock.a}

# Differences between ausyscall (auditd 1:3.0.9, libaudit) and the kernel's
# names, which drydock uses: arch, number, drydock's name, ausyscall's name,
# reason. ausyscall is the one that differs from the kernel in every row.
TOLERATED=$(cat <<'EOF'
x86_64	17	pread64	pread	libaudit's x86_64 table keeps glibc's function name; syscall_64.tbl, unistd_64.h and strace say pread64
x86_64	18	pwrite64	pwrite	libaudit's x86_64 table keeps glibc's function name; syscall_64.tbl, unistd_64.h and strace say pwrite64
i386	283	kexec_load	sys_kexec_load	libaudit's i386 table has a stray sys_ prefix; syscall_32.tbl and unistd_32.h say kexec_load
i386	423	sched_rr_get_interval_time64	sched_rr_get_interval64	libaudit's i386 table drops "_time"; syscall_32.tbl and unistd_32.h say sched_rr_get_interval_time64
EOF
)

AUSYSCALL=$(command -v ausyscall || true)
for p in /usr/bin/ausyscall /usr/sbin/ausyscall /sbin/ausyscall; do
	[ -n "$AUSYSCALL" ] && break
	[ -x "$p" ] && AUSYSCALL=$p
done
if [ -z "$AUSYSCALL" ]; then
	fail_only "ausyscall is missing: apt-get install auditd"
	t_done
fi
if [ ! -r "$LIB" ]; then
	fail_only "no $LIB: run ./build.sh (or make VARIANT=release build/release/libdrydock.a)"
	t_done
fi

# The dump program: "nr name" per line for the arch named by argv[1].
cat >"$T/scdump.c" <<'EOF'
#include <stdio.h>
#include "core/syscalls.h"

int
main(int argc, char **argv)
{
	const char *name;
	size_t i;
	int arch, nr;

	if (argc != 2)
		return 2;
	arch = sc_arch_parse(argv[1]);
	if (arch == SC_ARCH_UNKNOWN)
		return 2;
	for (i = 0; (name = sc_name_at(arch, i, &nr)) != NULL; i++)
		printf("%d %s\n", nr, name);
	return i == sc_count(arch) && i > 0 ? 0 : 1;
}
EOF
# shellcheck disable=SC2046
run "$CC" -std=c11 -Wall -Wextra -I"$ROOT" -o "$T/scdump" "$T/scdump.c" "$LIB" \
	$(pkg-config --libs sqlite3 libzstd libarchive libcrypto jansson) -lpthread -ldl -lm
expect_rc 0 "the dump program builds against libdrydock.a"
[ -x "$T/scdump" ] || t_done

for arch in x86_64 i386; do
	run "$T/scdump" "$arch"
	expect_rc 0 "drydock dumps its $arch table"
	cp "$T/.out" "$T/dd-$arch"
	run "$AUSYSCALL" "$arch" --dump
	expect_rc 0 "ausyscall $arch --dump"
	# "Using x86_64 syscall table:" then "nr<TAB>name" lines.
	grep -E '^[0-9]+	' "$T/.out" | tr '\t' ' ' >"$T/au-$arch"
	printf '%s\n' "$TOLERATED" >"$T/tolerated"

	cat >"$T/compare.py" <<'EOF'
import sys

arch, dd_path, au_path, tol_path = sys.argv[1:5]


def load(path):
    table = {}
    for line in open(path, encoding="ascii"):
        nr, name = line.split()
        assert int(nr) not in table, "number %s twice in %s" % (nr, path)
        table[int(nr)] = name
    return table


dd, au = load(dd_path), load(au_path)
tol = {}
for line in open(tol_path, encoding="ascii"):
    a, nr, ours, theirs, why = line.rstrip("\n").split("\t")
    if a == arch:
        tol[int(nr)] = (ours, theirs, why)

bad = 0
same = renamed = 0
for nr in sorted(set(dd) & set(au)):
    if dd[nr] == au[nr]:
        same += 1
        if nr in tol:
            print("note: %s %d: ausyscall now agrees (%s); the tolerance "
                  "is stale" % (arch, nr, dd[nr]))
    elif nr in tol and tol[nr][:2] == (dd[nr], au[nr]):
        renamed += 1
        print("tolerated: %s %d drydock %s, ausyscall %s: %s" %
              (arch, nr, dd[nr], au[nr], tol[nr][2]))
    else:
        bad += 1
        print("DIFF: %s %d drydock %s, ausyscall %s" %
              (arch, nr, dd[nr], au[nr]))
top = max(au) if au else -1
newer = []
for nr in sorted(set(dd) - set(au)):
    # Only the calls the generator adds beyond the 6.1 headers (451 on).
    if arch == "x86_64" and nr > top and nr >= 451:
        newer.append("%d %s" % (nr, dd[nr]))
    else:
        bad += 1
        print("DIFF: %s %d %s: only drydock knows it" % (arch, nr, dd[nr]))
for nr in sorted(set(au) - set(dd)):
    bad += 1
    print("DIFF: %s %d %s: only ausyscall knows it" % (arch, nr, au[nr]))
if newer:
    print("tolerated: %s: %d calls above ausyscall's last number %d, newer "
          "than libaudit's table: %s" % (arch, len(newer), top,
                                         ", ".join(newer)))
print("%s: drydock %d, ausyscall %d, agree %d, tolerated renames %d, "
      "newer %d, differences %d" % (arch, len(dd), len(au), same, renamed,
                                    len(newer), bad))
sys.exit(1 if bad else 0)
EOF
	run python3 "$T/compare.py" "$arch" "$T/dd-$arch" "$T/au-$arch" "$T/tolerated"
	sed 's/^/    /' "$T/.out"
	expect_rc 0 "$arch: drydock's table agrees with ausyscall (but for the tolerated differences)"
done

# The generator: deterministic, and the committed file is its output.
if command -v dpkg-query >/dev/null && [ -r /usr/include/x86_64-linux-gnu/asm/unistd_64.h ]; then
	run "$ROOT/datasets/gen/syscalls.sh" -o "$T/gen1.c"
	expect_rc 0 "datasets/gen/syscalls.sh runs"
	run "$ROOT/datasets/gen/syscalls.sh" -o "$T/gen2.c"
	check "the generator is deterministic" cmp "$T/gen1.c" "$T/gen2.c"
	# The tables and code, from the first #include on.
	sed -n '/^#include "core\/common.h"/,$p' "$T/gen1.c" >"$T/gen.body"
	sed -n '/^#include "core\/common.h"/,$p' "$ROOT/core/syscalls.c" >"$T/committed.body"
	check "core/syscalls.c's tables are what the generator makes" \
		cmp "$T/gen.body" "$T/committed.body"
	have=$(dpkg-query -W -f='${Package} ${Version}' linux-libc-dev)
	if grep -qF " * from the headers of $have:" "$ROOT/core/syscalls.c"; then
		check "core/syscalls.c is byte-identical to a fresh generation" \
			cmp "$T/gen1.c" "$ROOT/core/syscalls.c"
	else
		echo "# note: installed $have is not the one core/syscalls.c names; provenance comment not compared"
	fi
else
	echo "# note: no linux-libc-dev headers; generator checks skipped"
fi

t_done
