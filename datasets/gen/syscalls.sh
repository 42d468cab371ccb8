#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# datasets/gen/syscalls.sh: generate core/syscalls.c, drydock's syscall
# number tables for x86_64 and i386, from the kernel UAPI headers of the
# Debian package linux-libc-dev.
#
#   datasets/gen/syscalls.sh             write core/syscalls.c (atomically)
#   datasets/gen/syscalls.sh -o FILE     write FILE instead ("-" = stdout)
#   datasets/gen/syscalls.sh --check     exit 1 when core/syscalls.c differs
#                                        from a fresh generation
#
# Sources:
#   /usr/include/x86_64-linux-gnu/asm/unistd_64.h  x86_64 (`#define __NR_x n`)
#   /usr/include/x86_64-linux-gnu/asm/unistd_32.h  i386
#   /usr/include/linux/net.h                       socketcall SYS_* numbers
# plus the x86_64 calls newer than those headers (X86_64_NEWER below, from
# the kernel's arch/x86/entry/syscalls/syscall_64.tbl as listed in
# FORMATS.md 7.2). An entry of that list the headers already have is
# skipped; one that contradicts them stops the generator.
#
# x32 is not generated: unistd_64.h holds no x32 entries, and any line using
# __X32_SYSCALL_BIT, or a number in the legacy x32 range 512..547, is
# skipped on purpose.
#
# The output is deterministic: it depends only on the three headers (named
# with their package version and SHA-256 in its first comment) and on this
# script, never on the time, the locale or the output path.
#
# Needs bash, python3, dpkg-query and sha256sum.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INC=/usr/include
H64=$INC/x86_64-linux-gnu/asm/unistd_64.h
H32=$INC/x86_64-linux-gnu/asm/unistd_32.h
HNET=$INC/linux/net.h

out=$ROOT/core/syscalls.c
check=0
case ${1:-} in
"") ;;
-o)
	[ $# -eq 2 ] || { echo "usage: $0 [-o FILE | --check]" >&2; exit 2; }
	out=$2 ;;
--check)
	[ $# -eq 1 ] || { echo "usage: $0 [-o FILE | --check]" >&2; exit 2; }
	check=1 ;;
*)
	echo "usage: $0 [-o FILE | --check]" >&2
	exit 2 ;;
esac

for f in "$H64" "$H32" "$HNET"; do
	[ -r "$f" ] || { echo "$0: cannot read $f (install linux-libc-dev)" >&2; exit 1; }
done
VERSION=$(dpkg-query -W -f='${Package} ${Version}' linux-libc-dev 2>/dev/null) || {
	echo "$0: dpkg-query does not know linux-libc-dev" >&2
	exit 1
}
sha() { sha256sum "$1" | cut -d' ' -f1; }

gen() {
	python3 - "$VERSION" "$H64" "$(sha "$H64")" "$H32" "$(sha "$H32")" \
	    "$HNET" "$(sha "$HNET")" <<'PY'
import re
import sys

version, h64, s64, h32, s32, hnet, snet = sys.argv[1:8]

# x86_64 calls newer than linux-libc-dev 6.1's headers (which stop at 450).
# Source: torvalds/linux arch/x86/entry/syscalls/syscall_64.tbl; 447..470
# as of v6.19, 471 rseq_slice_yield added after v6.19 (the rseq time-slice
# series); the list is the one in FORMATS.md 7.2, 447..451 cross-checked
# with falcosecurity/libs driver/syscall_compat_x86_64.h.
X86_64_NEWER = [
    (447, "memfd_secret"), (448, "process_mrelease"), (449, "futex_waitv"),
    (450, "set_mempolicy_home_node"), (451, "cachestat"), (452, "fchmodat2"),
    (453, "map_shadow_stack"), (454, "futex_wake"), (455, "futex_wait"),
    (456, "futex_requeue"), (457, "statmount"), (458, "listmount"),
    (459, "lsm_get_self_attr"), (460, "lsm_set_self_attr"),
    (461, "lsm_list_modules"), (462, "mseal"), (463, "setxattrat"),
    (464, "getxattrat"), (465, "listxattrat"), (466, "removexattrat"),
    (467, "open_tree_attr"), (468, "file_getattr"), (469, "file_setattr"),
    (470, "listns"), (471, "rseq_slice_yield"),
]
X86_64_NEWER_SOURCE = [
    "Linux arch/x86/entry/syscalls/syscall_64.tbl (447..470 as of",
    "v6.19, 471 rseq_slice_yield after it), as listed in FORMATS.md 7.2",
]

NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def die(msg):
    sys.stderr.write("syscalls.sh: " + msg + "\n")
    sys.exit(1)


def read_unistd(path, skip_x32):
    """(nr, name) pairs from `#define __NR_name nr` lines, checked."""
    rows = []
    with open(path, encoding="ascii") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.startswith("#define __NR_"):
                continue
            parts = line.split(None, 2)
            if len(parts) != 3:
                die("%s:%d: unexpected line %r" % (path, ln, line))
            name, value = parts[1][len("__NR_"):], parts[2]
            if "__X32_SYSCALL_BIT" in value:
                continue
            if not re.fullmatch(r"[0-9]+", value) or not NAME.match(name):
                die("%s:%d: unexpected line %r" % (path, ln, line))
            nr = int(value)
            if skip_x32 and 512 <= nr <= 547:
                continue
            rows.append((nr, name))
    return rows


def check_unique(arch, rows):
    nrs, names = {}, {}
    for nr, name in rows:
        if nr in nrs:
            die("%s: number %d twice (%s, %s)" % (arch, nr, nrs[nr], name))
        if name in names:
            die("%s: name %s twice (%d, %d)" % (arch, name, names[name], nr))
        nrs[nr] = name
        names[name] = nr
    if len(rows) > 65535:
        die("%s: too many entries for a uint16_t index" % arch)


x64 = read_unistd(h64, True)
x32 = read_unistd(h32, False)
check_unique("x86_64", x64)
check_unique("i386", x32)

# Add the newer x86_64 calls the headers lack; refuse contradictions.
by_nr = dict(x64)
by_name = {name: nr for nr, name in x64}
added = set()
for nr, name in X86_64_NEWER:
    if by_nr.get(nr) == name:
        continue
    if nr in by_nr:
        die("x86_64: headers have %d as %s, the newer list as %s" %
            (nr, by_nr[nr], name))
    if name in by_name:
        die("x86_64: headers have %s as %d, the newer list as %d" %
            (name, by_name[name], nr))
    x64.append((nr, name))
    by_nr[nr] = name
    by_name[name] = nr
    added.add(nr)
check_unique("x86_64", x64)

# socketcall(2) call numbers: `#define SYS_NAME n`.
sockcalls = {}
with open(hnet, encoding="ascii") as f:
    for line in f:
        m = re.match(r"#define\s+SYS_([A-Z0-9_]+)\s+([0-9]+)\b", line)
        if m:
            sockcalls[int(m.group(2))] = m.group(1).lower()
if sorted(sockcalls) != list(range(1, len(sockcalls) + 1)) or \
        sockcalls.get(1) != "socket":
    die("%s: SYS_* numbers are not 1..n starting with SYS_SOCKET" % hnet)

x64.sort()
x32.sort()
o = []
w = o.append


def emit_table(arch, rows, extra):
    ident = arch.replace("-", "_")
    w("/* %s: %d entries, by number. */" % (arch, len(rows)))
    w("static const struct sc_entry sc_%s_by_nr[] = {" % ident)
    for nr, name in rows:
        note = "\t/* newer than the headers */" if nr in extra else ""
        w('\t{ %d, "%s" },%s' % (nr, name, note))
    w("};")
    w("")
    index = sorted(range(len(rows)), key=lambda i: rows[i][1].encode())
    w("/* %s: indices into sc_%s_by_nr, by name (strcmp order). */" %
      (arch, ident))
    w("static const uint16_t sc_%s_by_name[] = {" % ident)
    for k in range(0, len(index), 10):
        w("\t" + ", ".join("%d" % i for i in index[k:k + 10]) + ",")
    w("};")
    w("")
    top = rows[-1][0]
    slots = [0] * (top + 1)
    for i, (nr, _) in enumerate(rows):
        slots[nr] = i + 1
    w("/* %s: number -> index into sc_%s_by_nr plus one; 0 is unassigned. */"
      % (arch, ident))
    w("static const uint16_t sc_%s_slot[%d] = {" % (ident, top + 1))
    for k in range(0, len(slots), 12):
        w("\t" + ", ".join("%d" % s for s in slots[k:k + 12]) + ",")
    w("};")
    w("")


n_added = len(added)
lo_added = min(added) if added else 0
hi_added = max(added) if added else 0

w("/* SPDX-License-Identifier: Apache-2.0 */")
w("/*")
w(" * syscalls.c: syscall number tables for x86_64 and i386, and their")
w(" * lookups (core/syscalls.h).")
w(" *")
w(" * GENERATED FILE; do not edit. Regenerate with")
w(" *")
w(" *\tdatasets/gen/syscalls.sh")
w(" *")
w(" * from the headers of %s:" % version)
for path, digest in ((h64, s64), (h32, s32), (hnet, snet)):
    w(" *\t%s" % path)
    w(" *\t    sha256 %s" % digest)
w(" * x86_64: %d entries, %d of them (%d..%d) newer than the headers," %
  (len(x64), n_added, lo_added, hi_added))
w(" * from %s" % X86_64_NEWER_SOURCE[0])
w(" * %s." % X86_64_NEWER_SOURCE[1])
w(" * i386: %d entries. x32 (512..547, and the 0x40000000 bit) is not"
  % len(x32))
w(" * included. socketcall(2) calls: %d, from SYS_* in linux/net.h." %
  len(sockcalls))
w(" *")
w(" * Each table is kept three ways: entries sorted by number (iteration),")
w(" * a dense number -> entry slot array (O(1) sc_name) and an index sorted")
w(" * by name (binary search in sc_number). All are static const data: there")
w(" * is nothing to initialise at startup and nothing to free.")
w(" */")
w('#include "core/common.h"')
w("")
w('#include "core/syscalls.h"')
w("")
w("/* One syscall: its number and its kernel name. */")
w("struct sc_entry {")
w("\tint nr;\t\t  /* the syscall number */")
w("\tconst char *name; /* the name in the kernel's syscall table */")
w("};")
w("")
w("/* One architecture's table (the three views of it). */")
w("struct sc_table {")
w("\tconst struct sc_entry *by_nr; /* sorted by number */")
w("\tconst uint16_t *by_name;      /* indices into by_nr, by name */")
w("\tconst uint16_t *slot;\t      /* nr -> index + 1, 0 unassigned */")
w("\tsize_t n;\t\t      /* entries in by_nr and by_name */")
w("\tsize_t nslots;\t\t      /* entries in slot: highest nr + 1 */")
w("};")
w("")
emit_table("x86_64", x64, added)
emit_table("i386", x32, set())
w("/* socketcall(2) call numbers 1..%d (SYS_* in linux/net.h). */" %
  len(sockcalls))
w("static const char *const sc_socketcalls[%d] = {" % (len(sockcalls) + 1))
w("\tNULL,")
for k in sorted(sockcalls):
    w('\t"%s",' % sockcalls[k])
w("};")
w("")
w("""static const struct sc_table sc_tables[] = {
	[SC_ARCH_X86_64] = { sc_x86_64_by_nr, sc_x86_64_by_name, sc_x86_64_slot,
	    ARRAY_SIZE(sc_x86_64_by_nr), ARRAY_SIZE(sc_x86_64_slot) },
	[SC_ARCH_I386] = { sc_i386_by_nr, sc_i386_by_name, sc_i386_slot,
	    ARRAY_SIZE(sc_i386_by_nr), ARRAY_SIZE(sc_i386_slot) },
};

/* Spellings sc_arch_parse accepts (compared without regard to case). */
static const struct {
	const char *name;
	int arch;
} sc_arch_names[] = {
	{ "x86_64", SC_ARCH_X86_64 },
	{ "x86-64", SC_ARCH_X86_64 },
	{ "amd64", SC_ARCH_X86_64 },
	{ "x64", SC_ARCH_X86_64 },
	{ "SCMP_ARCH_X86_64", SC_ARCH_X86_64 },
	{ "i386", SC_ARCH_I386 },
	{ "i486", SC_ARCH_I386 },
	{ "i586", SC_ARCH_I386 },
	{ "i686", SC_ARCH_I386 },
	{ "386", SC_ARCH_I386 },
	{ "x86", SC_ARCH_I386 },
	{ "ia32", SC_ARCH_I386 },
	{ "SCMP_ARCH_X86", SC_ARCH_I386 },
};

/* True when a and b are equal ignoring ASCII case (locale independent). */
static bool
sc_same_ascii_nocase(const char *a, const char *b)
{
	unsigned char x, y;

	do {
		x = (unsigned char)*a++;
		y = (unsigned char)*b++;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	} while (x != 0);
	return true;
}

/* The table of arch, or NULL when there is none. */
static const struct sc_table *
sc_table_of(int arch)
{
	if (arch != SC_ARCH_X86_64 && arch != SC_ARCH_I386)
		return NULL;
	return &sc_tables[arch];
}

const char *
sc_arch_name(int arch)
{
	switch (arch) {
	case SC_ARCH_X86_64:
		return "x86_64";
	case SC_ARCH_I386:
		return "i386";
	default:
		return "unknown";
	}
}

int
sc_arch_parse(const char *name)
{
	size_t i;

	if (name == NULL)
		return SC_ARCH_UNKNOWN;
	for (i = 0; i < ARRAY_SIZE(sc_arch_names); i++)
		if (sc_same_ascii_nocase(name, sc_arch_names[i].name))
			return sc_arch_names[i].arch;
	return SC_ARCH_UNKNOWN;
}

const char *
sc_name(int arch, int nr)
{
	const struct sc_table *t = sc_table_of(arch);
	unsigned int s;

	if (t == NULL || nr < 0 || (size_t)nr >= t->nslots)
		return NULL;
	s = t->slot[nr];
	return s == 0 ? NULL : t->by_nr[s - 1].name;
}

void
sc_unknown_name(int nr, char out[24])
{
	/* strace's form, "syscall_%#" PRI_klx (hex since strace 4.21). */
	snprintf(out, 24, "syscall_%#x", (unsigned int)nr);
}

int
sc_number(int arch, const char *name)
{
	const struct sc_table *t = sc_table_of(arch);
	size_t lo = 0, hi, mid;
	int c;

	if (t == NULL || name == NULL)
		return -1;
	hi = t->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, t->by_nr[t->by_name[mid]].name);
		if (c == 0)
			return t->by_nr[t->by_name[mid]].nr;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

size_t
sc_count(int arch)
{
	const struct sc_table *t = sc_table_of(arch);

	return t == NULL ? 0 : t->n;
}

const char *
sc_name_at(int arch, size_t i, int *nr)
{
	const struct sc_table *t = sc_table_of(arch);

	if (t == NULL || i >= t->n)
		return NULL;
	if (nr != NULL)
		*nr = t->by_nr[i].nr;
	return t->by_nr[i].name;
}

const char *
sc_socketcall_name(int call)
{
	if (call < 1 || call >= (int)ARRAY_SIZE(sc_socketcalls))
		return NULL;
	return sc_socketcalls[call];
}""")
sys.stdout.write("\n".join(o) + "\n")
PY
}

if [ "$check" = 1 ]; then
	tmp=$(mktemp "${TMPDIR:-/tmp}/syscalls.c.XXXXXX")
	trap 'rm -f "$tmp"' EXIT
	gen >"$tmp"
	if cmp -s "$tmp" "$ROOT/core/syscalls.c"; then
		echo "core/syscalls.c is up to date"
		exit 0
	fi
	echo "core/syscalls.c differs from a fresh generation:" >&2
	diff -u "$ROOT/core/syscalls.c" "$tmp" >&2 || true
	exit 1
fi
if [ "$out" = - ]; then
	gen
	exit 0
fi
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
gen >"$tmp"
mv -f "$tmp" "$out"
trap - EXIT
