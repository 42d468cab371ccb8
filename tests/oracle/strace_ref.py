#!/usr/bin/env python3
"""strace_ref.py: an independent reference reader for strace text output.

Written from FORMATS.md section 1 and the recordings in datasets/strace/,
not from drydock's C code. Python 3 standard library only. It is an oracle
for tests: simple and explicit rather than fast or complete. See
tests/oracle/README.md for the exact rules and every simplification.

  strace_ref.py counts  FILE|DIR...   name<TAB>count per syscall, sorted by
                                      name, then --signal, --exit,
                                      --orphaned and --unparsed
  strace_ref.py rows    FILE|DIR...   tid<TAB>name<TAB>ret<TAB>errno<TAB>first_path,
                                      one line per syscall event, in file
                                      order of completion
  strace_ref.py summary FILE|DIR...   per file: syscalls, signal, exit,
                                      orphaned, unparsed
  strace_ref.py selftest              check the reader on built-in lines
  -v (before the command)             list unparsed lines and orphans on stderr

A DIR (an -ff recording) stands for its files, in numeric order of the tid
suffix. Several inputs are read one after the other; counts are summed;
pairing state does not cross files.
"""

import os
import re
import sys

# Syscalls whose first double-quoted top-level argument is reported as
# first_path in `rows` (empty for every other syscall).
PATH_SYSCALLS = frozenset("""
    open openat openat2 creat execve execveat
    stat lstat stat64 lstat64 newfstatat fstatat64 statx statfs statfs64
    access faccessat faccessat2
    unlink unlinkat rename renameat renameat2 mkdir mkdirat rmdir
    chmod fchmodat fchmodat2 chown lchown chown32 lchown32 fchownat
    mount umount umount2 chroot chdir pivot_root
    readlink readlinkat symlink symlinkat link linkat
    truncate truncate64 utime utimes utimensat futimesat
    mknod mknodat
    getxattr lgetxattr setxattr lsetxattr listxattr llistxattr
    removexattr lremovexattr
    inotify_add_watch fanotify_mark name_to_handle_at
    open_tree move_mount mount_setattr fspick
    swapon swapoff acct uselib
""".split())

# ---------------------------------------------------------------------------
# Line prefix: [PIDPFX][TIMESTAMP][RELTIME][SCNO][IP]

PREFIX_RE = re.compile(r"""
    (?:
        (?P<pid>\d{1,7}) (?:<(?P<comm>[^>]*)>\ | \ +)  # "1234  " or "1234<comm> " (-Y);
                                                       # a pid has at most 7 digits
      | \[pid\ +(?P<pid2>\d+)(?:<[^>]*>)?\]\           # "[pid  1234] " (no -o)
    )?
    (?P<ts>
        \d\d:\d\d:\d\d(?:\.\d+)?\                      # -t, -tt
      | \d{4}-\d\d-\d\dT[0-9:.]+(?:[+-]\d\d:?\d\d|Z)?\ # ISO 8601 (--timestamps=format)
      | \ *\d+\.\d+\                                   # -ttt, unix,ns; or -r alone
      | \d{10}\                                       # format:unix,precision:s
    )?
    (?P<rel>\(\+\ *\d+\.\d+\)\ )?                      # -r with a timestamp
    (?P<scno>\[\ *(?:\d+|\?+)\]\ )?                    # -n
    (?P<ip>\[(?:[0-9a-f]+|\?+)\]\ )?                   # -i
""", re.X)

CALL_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*(?:#64)?)\((.*)\Z", re.S)
RESUMED_RE = re.compile(r"<\.\.\. ([A-Za-z_][A-Za-z0-9_]*(?:#64)?) resumed>(.*)\Z", re.S)
DURATION_RE = re.compile(r" <\d+\.\d+>\Z")
UNFINISHED = " <unfinished ...>"
PID_CHANGED_RE = re.compile(r" <pid changed to (\d+) \.\.\.>\Z")
DETACHED = " <detached ...>"
# -e read=SET / -e write=SET: after the call, its data as hex dump rows
# (" | 00000  68 69  hi |", the offset "%05x") and, for iovecs, a header
# per buffer (" * 2 bytes in buffer 0"), as strace 6.1 prints them here.
DUMP_RE = re.compile(r" (?:\| [0-9a-f]{5,}  |\* \d+ bytes in buffer )")
# -c/-C: the summary table at the end, a header, rows (% time, seconds,
# usecs/call, calls, errors when any, syscall), separators, a "total" row.
SUMMARY_HEAD = "% time "
SUMMARY_ROW_RE = re.compile(r" *\d+\.\d+ +\d+\.\d+ +\d+ +\d+(?: +\d+)? +([a-z0-9_]+)\Z")
SUPERSEDED_RE = re.compile(r"\+\+\+ superseded by execve in pid (\d+) \+\+\+\Z")
RET_RE = re.compile(r"(0x[0-9a-fA-F]+|-?\d+|\?)")
ERRNO_RE = re.compile(r" (E[A-Z0-9_]+) \(([^()]*)\)")


def skip_string(s, i):
    """s[i] == '"': return the index just after the closing quote."""
    j = i + 1
    while j < len(s):
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == '"':
            return j + 1
        j += 1
    return len(s)


def is_deco_start(s, i):
    """A '<' that opens an fd/pid decoration: right after a digit, a name
    (AT_FDCWD) and not followed by '<' or a space."""
    return (s[i] == "<" and i > 0 and (s[i - 1].isalnum() or s[i - 1] == "_")
            and i + 1 < len(s) and s[i + 1] not in "< ")


SOCKET_DECO_RE = re.compile(r"<[A-Za-z0-9_-]+:\[")


def skip_deco(s, i):
    """s[i] == '<' opens a decoration: return the index just after its
    closing '>', or None if it never closes. In paths and comms strace
    escapes '<' and '>' (\\74, \\76), so raw ones nest (-yy devices:
    1</dev/null<char 1:3>>). Socket-like decorations (TCP:[a->b],
    UNIX-STREAM:[1,"/path"], pipe:[1]) may hold a raw '->' inside their
    '[...]', which is skipped whole, quoted strings included."""
    bracketed = SOCKET_DECO_RE.match(s, i) is not None
    angle = 0
    square = 0
    j = i
    n = len(s)
    while j < n:
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if bracketed and c == '"':
            j = skip_string(s, j)
            continue
        if bracketed and c == "[":
            square += 1
        elif bracketed and c == "]" and square > 0:
            square -= 1
        elif square == 0 and c == "<":
            angle += 1
        elif square == 0 and c == ">":
            angle -= 1
            if angle == 0:
                return j + 1
        j += 1
    return None


def hidden_mask(s):
    """For each index of s: True when it lies inside a quoted string, an
    fd/pid decoration, or is escaped by a backslash."""
    mask = [False] * len(s)
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            for k in range(i, min(i + 2, n)):
                mask[k] = True
            i += 2
            continue
        if c == '"':
            j = skip_string(s, i)
        elif is_deco_start(s, i):
            j = skip_deco(s, i)
            if j is None:
                i += 1
                continue
        else:
            i += 1
            continue
        for k in range(i, j):
            mask[k] = True
        i = j
    return mask


def outside_positions(s, needle):
    """Start positions of needle in s that are not inside a quoted string
    or a decoration."""
    start = s.find(needle)
    if start < 0:
        return []
    hidden = hidden_mask(s)
    out = []
    while start >= 0:
        if not hidden[start]:
            out.append(start)
        start = s.find(needle, start + 1)
    return out


def balanced_tail(s):
    """True if s is ' (' ... ')' with balanced ()[]{} (strings skipped)
    and nothing after the closing parenthesis."""
    if not s.startswith(" ("):
        return False
    depth = 0
    in_str = False
    j = 1
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if in_str:
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return j == len(s) - 1
        j += 1
    return False


def parse_ret(tail):
    """tail is the text after ' = ' (duration already removed).
    Return (ret, errno) or None if it is not a return-value tail."""
    m = RET_RE.match(tail)
    if not m:
        return None
    ret = m.group(1)
    i = m.end()
    if i < len(tail) and tail[i] == "<":          # -y / -yy / -Y decoration
        j = skip_deco(tail, i)
        if j is None:
            return None
        i = j
        if tail.startswith("(deleted)", i):
            i += len("(deleted)")
    rest = tail[i:]
    errno = ""
    m = ERRNO_RE.match(rest)
    if m:
        errno = m.group(1)
        rest = rest[m.end():]
    elif rest.startswith(" (errno "):
        m = re.match(r" \(errno \d+\)", rest)
        if not m:
            return None
        rest = rest[m.end():]
    if rest.endswith(" <unavailable>"):
        rest = rest[:-len(" <unavailable>")]
    if rest == "" or balanced_tail(rest):
        return ret, errno
    return None


def split_complete(text):
    """text is 'ARGS) = RET...' (the part after 'NAME(' or 'resumed>').
    Parse ' = RET' from the right. Return (args, ret, errno) or None."""
    text = DURATION_RE.sub("", text)
    for pos in reversed(outside_positions(text, " = ")):
        r = parse_ret(text[pos + 3:])
        if r is None:
            continue
        args = text[:pos].rstrip(" ")
        if not args.endswith(")"):
            continue
        return args[:-1], r[0], r[1]
    return None


# ---------------------------------------------------------------------------
# Arguments: the first top-level double-quoted string.

def first_quoted_arg(args):
    """args: the argument text without the closing ')'. Return (text
    between the quotes, truncated) for the first top-level argument that
    is a double-quoted string, or None. truncated: strace printed '...'
    right after the closing quote (the -s limit, or PATH_MAX for paths)."""
    depth = 0
    i = 0
    arg_start = 0
    n = len(args)
    while i < n:
        c = args[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            j = skip_string(args, i)
            if depth == 0 and args[arg_start:i].strip() == "":
                return args[i + 1:j - 1], args.startswith("...", j)
            i = j
            continue
        if is_deco_start(args, i):
            j = skip_deco(args, i)                    # fd / pid decoration
            if j is not None:
                i = j
                continue
        if c == "/" and args.startswith("/*", i):
            j = args.find("*/", i + 2)
            i = j + 2 if j >= 0 else n
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            arg_start = i + 1
        i += 1
    return None



NAMED_ESC = {"n": 0x0A, "t": 0x09, "r": 0x0D, "f": 0x0C, "v": 0x0B,
             "a": 0x07, "b": 0x08, "\\": 0x5C, '"': 0x22, "'": 0x27, "?": 0x3F}


def unescape(body):
    """The text between the quotes of a strace string to raw bytes."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
            continue
        i += 1
        if i >= len(body):
            out.append(0x5C)
            break
        c = body[i]
        if c in "01234567":
            m = re.match(r"[0-7]{1,3}", body[i:])
            out.append(int(m.group(0), 8) & 0xFF)
            i += len(m.group(0))
        elif c == "x" and re.match(r"[0-9a-fA-F]{2}", body[i + 1:i + 3]):
            out.append(int(body[i + 1:i + 3], 16))
            i += 3
        elif c in NAMED_ESC:
            out.append(NAMED_ESC[c])
            i += 1
        else:
            out += ("\\" + c).encode("latin-1")
            i += 1
    return bytes(out)


def show_bytes(b, truncated):
    """Printable ASCII (0x20-0x7e) as is, backslash as \\\\, every other
    byte as \\xNN; a truncated string ends with the marker \\... ."""
    s = []
    for x in b:
        if x == 0x5C:
            s.append("\\\\")
        elif 0x20 <= x <= 0x7E:
            s.append(chr(x))
        else:
            s.append("\\x%02x" % x)
    if truncated:
        s.append("\\...")
    return "".join(s)


# ---------------------------------------------------------------------------
# Reading one file

class Result:
    def __init__(self):
        self.counts = {}
        self.signal = 0
        self.exit = 0
        self.orphaned = 0
        self.unparsed = 0
        self.rows = []

    def add(self, other):
        for k, v in other.counts.items():
            self.counts[k] = self.counts.get(k, 0) + v
        self.signal += other.signal
        self.exit += other.exit
        self.orphaned += other.orphaned
        self.unparsed += other.unparsed
        self.rows.extend(other.rows)


def ff_tid(path):
    """'trace.1234' -> '1234' (an -ff file), else ''."""
    base = os.path.basename(path)
    if "." in base:
        suffix = base.rsplit(".", 1)[1]
        if suffix.isdigit():
            return suffix
    return ""


def read_file(path, verbose=False):
    res = Result()
    default_tid = ff_tid(path)
    with open(path, "rb") as f:
        data = f.read()
    lines = data.decode("latin-1").split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    pending = {}      # (tid, name) -> (args text before <unfinished ...>, tid, lineno)
    carry = None      # a trace line cut by a merged strace diagnostic
    carry_no = 0

    def bad(no, line, why):
        res.unparsed += 1
        if verbose:
            print("%s:%d: unparsed (%s): %s" % (path, no, why, line[:200]), file=sys.stderr)

    def event(tid, name, ret, errno, args):
        res.counts[name] = res.counts.get(name, 0) + 1
        fp = ""
        if name in PATH_SYSCALLS and args is not None:
            q = first_quoted_arg(args)
            if q is not None:
                fp = show_bytes(unescape(q[0]), q[1])
        res.rows.append((tid, name, ret, errno, fp))

    summary = False   # inside the -c/-C table
    for no, raw in enumerate(lines, 1):
        line = raw if carry is None else carry + raw
        if carry is None:
            carry_no = no
        # strace's own diagnostics, alone or merged into a trace line
        hits = outside_positions(line, "strace: ")
        if hits:
            if hits[0] == 0:
                continue                      # a whole diagnostic line
            carry = line[:hits[0]]            # the trace line goes on later
            continue
        carry = None
        if line.startswith(" > "):            # -k stack frame
            continue
        if DUMP_RE.match(line):               # data dump of the call before
            continue
        if line.startswith(SUMMARY_HEAD):
            summary = True
            continue
        if summary:
            row = SUMMARY_ROW_RE.match(line)
            if line.startswith("------") or row:
                summary = not (row and row.group(1) == "total")
                continue
            summary = False
        m = PREFIX_RE.match(line)
        tid = (m.group("pid") or m.group("pid2") or default_tid) if m else default_tid
        body = line[m.end():] if m else line

        if body.startswith("--- ") and body.endswith(" ---"):
            res.signal += 1
            continue
        if body.startswith("+++ ") and body.endswith(" +++"):
            res.exit += 1
            s = SUPERSEDED_RE.match(body)
            if s and (s.group(1), "execve") in pending:
                pending[(tid, "execve")] = pending.pop((s.group(1), "execve"))
            continue

        r = RESUMED_RE.match(body)
        if r:
            name, rest = r.group(1), r.group(2)
            start = None
            if (tid, name) in pending:
                start = pending.pop((tid, name))
            else:
                # the pid prefix can appear or vanish between the two
                # halves when strace writes to stderr (no -o): pair with
                # the one pending call of that name under the other form
                cands = [k for k in pending if k[1] == name and (k[0] == "" or tid == "")]
                if len(cands) == 1:
                    start = pending.pop(cands[0])
            if rest.endswith(DETACHED):
                # strace detached before the call returned: never completed
                res.orphaned += 1
                if verbose:
                    print("%s:%d: orphaned (detached): %s %s" % (path, no, tid, name), file=sys.stderr)
                continue
            if rest.endswith(UNFINISHED):
                # a resumed line that is itself unfinished again
                pending[(tid, name)] = ((start[0] if start else "") + rest[:-len(UNFINISHED)],
                                        tid or (start[1] if start else ""), no)
                continue
            done = split_complete(rest)
            if done is None:
                bad(no, line, "resumed line without a return value")
                continue
            args = (start[0] + done[0]) if start else None
            etid = tid or (start[1] if start else "")
            event(etid, name, done[1], done[2], args)
            continue

        c = CALL_RE.match(body)
        if c:
            name, rest = c.group(1), c.group(2)
            if rest.endswith(UNFINISHED):
                pending[(tid, name)] = (rest[:-len(UNFINISHED)], tid, no)
                continue
            pc = PID_CHANGED_RE.search(rest)
            if pc:
                # -ff: the call completes in another tid's file
                pending[(pc.group(1), name)] = (rest[:pc.start()], pc.group(1), no)
                continue
            if rest.endswith(DETACHED):
                res.orphaned += 1               # never completed
                if verbose:
                    print("%s:%d: orphaned (detached): %s %s" % (path, no, tid, name), file=sys.stderr)
                continue
            done = split_complete(rest)
            if done is None:
                bad(no, line, "call without a return value")
                continue
            event(tid, name, done[1], done[2], done[0])
            continue

        bad(no, line, "unknown line")

    if carry is not None:
        bad(carry_no, carry, "line cut by a diagnostic, never continued")
    for (ptid, name), (_, _, pno) in pending.items():
        res.orphaned += 1
        if verbose:
            print("%s:%d: orphaned: %s %s" % (path, pno, ptid, name), file=sys.stderr)
    return res


def expand(args):
    files = []
    for a in args:
        if os.path.isdir(a):
            names = [n for n in os.listdir(a) if os.path.isfile(os.path.join(a, n))]
            names.sort(key=lambda n: (int(ff_tid(n)) if ff_tid(n) else -1, n))
            files.extend(os.path.join(a, n) for n in names)
        else:
            files.append(a)
    return files


# Forms that the recordings in datasets/strace/ do not contain (older strace
# versions, -p detaches, unknown errnos, ISO timestamps) and a few nasty
# ones that they do; `strace_ref.py selftest` checks the reader on them.
SELFTEST_IN = r"""123   2024-01-02T03:04:05.123456+0000 openat(AT_FDCWD, "/x", O_RDONLY) = -1 (errno 523)
123   read(3,  <unfinished ...>
123   <... read resumed> <detached ...>
[pid  77<sh>] 10:00:00 wait4(-1,  <unfinished ...>
77<sh> 10:00:00 <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 78<true>
exit_group(0) = ? <unavailable>
[pid     5] write(1, "strace: fake", 12) = 12
open("/a\"b\\c\1777") = 3</a\"b\\c\1777>(deleted)
5     execve("/bin/x", ["x"], [/* 5 vars */] <unfinished ...>
5     <... execve resumed> )  = 0
sendto(3<TCP:[1.2.3.4:5->[::1]:6]>, "a = 1", 5, 0, NULL, 0) = 5
poll([{fd=3, events=POLLIN}], 1, 0) = 1 ([{fd=3, revents=POLLIN}])
openat(AT_FDCWD</a = 5 (b)>, "p\x41\x00", O_RDONLY) = 3</a = 5 (b)>(deleted) <0.000012>
9     15:00:00 (+     0.000158) [ 257] [00007f0000000001] openat(AT_FDCWD, "/very/long"..., O_RDONLY) = -1 ENAMETOOLONG (File name too long)
9     [  62] [????????????????] --- SIGCHLD (Child exited) @ 0 (0) ---
9     --- stopped by SIGSTOP ---
10:00:00.000001 clone(child_stack=NULL, flags=SIGCHLDstrace: Process 8 attached
strace: Process 9 attached
, child_tidptr=0x1) = 8
 > /lib/libc.so.6(__write+0x10) [0xf8350]
9     +++ killed by SIGSEGV (core dumped) +++
garbage line
"""

SELFTEST_ROWS = """123\topenat\t-1\t\t/x
77\twait4\t78\t\t
\texit_group\t?\t\t
5\twrite\t12\t\t
\topen\t3\t\t/a"b\\\\c\\x7f7
5\texecve\t0\t\t/bin/x
\tsendto\t5\t\t
\tpoll\t1\t\t
\topenat\t3\t\tpA\\x00
9\topenat\t-1\tENAMETOOLONG\t/very/long\\...
\tclone\t8\t\t
"""

SELFTEST_COUNTS = (2, 1, 1, 1)   # signal, exit, orphaned, unparsed


def selftest():
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "selftest.txt")
        with open(p, "w", encoding="latin-1") as f:
            f.write(SELFTEST_IN)
        res = read_file(p)
    got = "".join("\t".join(r) + "\n" for r in res.rows)
    ok = got == SELFTEST_ROWS and (res.signal, res.exit, res.orphaned, res.unparsed) == SELFTEST_COUNTS
    if not ok:
        sys.stdout.write("selftest FAILED\n--- expected\n" + SELFTEST_ROWS + "--- got\n" + got)
        sys.stdout.write("counts %r, expected %r\n" % (
            (res.signal, res.exit, res.orphaned, res.unparsed), SELFTEST_COUNTS))
        return 1
    print("selftest ok")
    return 0


def main(argv):
    verbose = False
    if argv and argv[0] == "-v":
        verbose = True
        argv = argv[1:]
    if argv == ["selftest"]:
        return selftest()
    if len(argv) < 2 or argv[0] not in ("counts", "rows", "summary"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cmd, files = argv[0], expand(argv[1:])
    out = sys.stdout
    total = Result()
    for path in files:
        try:
            res = read_file(path, verbose)
        except OSError as e:
            print("strace_ref.py: %s: %s" % (path, e.strerror), file=sys.stderr)
            return 1
        if cmd == "summary":
            out.write("%s\t%d\t%d\t%d\t%d\t%d\n" % (
                path, sum(res.counts.values()), res.signal, res.exit,
                res.orphaned, res.unparsed))
        total.add(res)
    if cmd == "counts":
        for name in sorted(total.counts):
            out.write("%s\t%d\n" % (name, total.counts[name]))
        out.write("--signal\t%d\n--exit\t%d\n--orphaned\t%d\n--unparsed\t%d\n" % (
            total.signal, total.exit, total.orphaned, total.unparsed))
    elif cmd == "rows":
        for row in total.rows:
            out.write("\t".join(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
