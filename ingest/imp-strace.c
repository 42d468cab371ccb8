/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-strace.c: strace text output (../shared/docs/FORMATS.md section 1).
 *
 * Line grammar (strace.c printleader, syscall.c):
 *
 *   [PIDPFX][TIMESTAMP][RELTIME][SCNO][IP]BODY
 *
 *   PIDPFX    "1234  " (-f -o) | "[pid  1234] " (stderr) | "1234<comm> " (-Y)
 *             (the number is a thread id)
 *   TIMESTAMP "15:40:51 " (-t) | "15:34:15.974020 " (-tt) |
 *             "1795448068.062764 " (-ttt) | "1795448451.271984734 " (ns) |
 *             "1796504840 " (format:unix,precision:s)
 *   RELTIME   "     0.000057 " (-r) | "(+     0.000158) " (-t -r)
 *   SCNO      "[ 999] " (-n)          IP  "[00007fb0dd84b829] " (-i)
 *   BODY      NAME(ARGS) = RET[ ERRNAME (text)][ <DURATION>]
 *             NAME(ARGS <unfinished ...>
 *             NAME(ARGS <detached ...>      (strace -p ended: no result)
 *             <... NAME resumed>ARGS) = RET ...
 *             --- SIGNAME {siginfo} ---      --- stopped by SIGSTOP ---
 *             +++ exited with N +++  +++ killed by SIGKILL [(core dumped)] +++
 *             +++ superseded by execve in pid N +++
 *              > frame (-k)           strace: message (diagnostics)
 *              | 00000  68 69 ...  hi |   * 2 bytes in buffer 0
 *                                   (-e read=/-e write= data dumps)
 *
 * The return is parsed from the right (arguments may hold " = "); the
 * argument list is tokenized with a state machine that understands quotes,
 * {}, [], () and <> nesting, never by splitting on commas. An unfinished
 * call and its resumed line become one event (paired by thread and name).
 *
 * Times: -ttt and ns timestamps are absolute. -t/-tt carry no date: the
 * date comes from -o date=YYYY-MM-DD (or the file's mtime, UTC), with -o
 * tz=+HH:MM for local times, and a wrap past midnight moves to the next
 * day (ts_quality date-inferred). -r alone is relative; without any
 * timestamp events are ordinal.
 *
 * Processes: the prefix is a thread id. clone/fork/vfork returns tell
 * which thread started which (CLONE_THREAD: same group), execve names the
 * image, "+++" lines end threads. Processes and the thread map are emitted
 * after the events.
 *
 * Argument text is kept by reference into the original (the line spans);
 * for compressed sources it is stored with the event.
 */
#include "core/common.h"

#include <time.h>

#include "core/arena.h"
#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sbuf.h"
#include "core/scan.h"
#include "core/syscalls.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "core/tidtab.h"
#include "ingest/ingest.h"

extern const struct importer imp_strace;

#define STRACE_BUF (LIM_TEXT_LINE + (1u << 20)) /* read buffer */
#define STRACE_MAX_ARGS 64	  /* arguments tokenized per call */
#define STRACE_MAX_PENDING 65536  /* unfinished calls held at once */
#define STRACE_MAX_THREADS 4000000 /* threads tracked per trace */

static const struct imp_option imp_strace_options[] = {
	{ "date", "string", "", "date (YYYY-MM-DD) of -t/-tt times; default: "
				"the file's mtime" },
	{ "tz", "string", "+00:00", "UTC offset of -t/-tt times (+HH:MM)" },
	{ "start", "string", "", "start time (RFC 3339) of -r relative times" },
	{ NULL, NULL, NULL, NULL },
};

/* ---- small text helpers over (p, n) spans ---- */

struct span {
	const char *p;
	size_t n;
};

static bool
sp_starts(struct span s, const char *lit)
{
	size_t k = strlen(lit);

	return s.n >= k && memcmp(s.p, lit, k) == 0;
}

static struct span
sp_trim(struct span s)
{
	while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t' ||
			      s.p[s.n - 1] == '\r'))
		s.n--;
	return s;
}

static bool
sp_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal or 0x hex integer filling the whole span. */
static bool
sp_int(struct span s, int64_t *v)
{
	char buf[40];

	if (s.n == 0 || s.n >= sizeof(buf))
		return false;
	/* Plain decimal (nearly every number): parsed here. */
	{
		size_t i = s.p[0] == '-' || s.p[0] == '+';
		uint64_t u = 0, lim = s.p[0] == '-' ? (uint64_t)INT64_MAX + 1 :
						     (uint64_t)INT64_MAX;
		if (i < s.n &&
		    !(s.n > 2 && s.p[0] == '0' && (s.p[1] | 0x20) == 'x')) {
			for (; i < s.n && sp_is_digit(s.p[i]); i++) {
				unsigned d = (unsigned)(s.p[i] - '0');
				if (u > (lim - d) / 10)
					return false;
				u = u * 10 + d;
			}
			if (i < s.n)
				return false;
			*v = s.p[0] == '-' ? (int64_t)(0 - u) : (int64_t)u;
			return true;
		}
	}
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	if (s.n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		char *end;
		uint64_t u;
		errno = 0;
		u = strtoull(buf + 2, &end, 16);
		if (errno || *end || end == buf + 2)
			return false;
		*v = (int64_t)u;
		return true;
	}
	return parse_i64(buf, v);
}

/* Character classes of the bracket scanners: all other bytes are
 * skipped in a tight loop. */
enum { SPC_QUOTE = 1, SPC_OPEN = 2, SPC_CLOSE = 4, SPC_COMMA = 8 };
static const unsigned char sp_cls[256] = {
	['"'] = SPC_QUOTE, ['('] = SPC_OPEN, ['['] = SPC_OPEN,
	['{'] = SPC_OPEN, ['<'] = SPC_OPEN, [')'] = SPC_CLOSE,
	[']'] = SPC_CLOSE, ['}'] = SPC_CLOSE, ['>'] = SPC_CLOSE,
	[','] = SPC_COMMA,
};

/* The index of the next byte of p[i..n) in one of the classes in mask
 * (n when none). */
static inline size_t
sp_next(const char *p, size_t n, size_t i, unsigned mask)
{
	if (mask == (SPC_QUOTE | SPC_OPEN | SPC_CLOSE) || mask == 0xff)
		return (size_t)(scan_to_bracket(p + i, p + n, mask == 0xff) -
		    p);
	while (i < n && !(sp_cls[(unsigned char)p[i]] & mask))
		i++;
	return i;
}

/* Index just past the quote closing the string that opens at p[i] ('"');
 * a quote after an odd run of backslashes is escaped. n when
 * unterminated. */
static size_t
sp_skip_quoted(const char *p, size_t n, size_t i)
{
	for (i++; i < n;) {
		const char *q = memchr(p + i, '"', n - i);
		size_t j, k;

		if (q == NULL)
			return n;
		j = (size_t)(q - p);
		for (k = j; k > i && p[k - 1] == '\\'; k--)
			;
		if (((j - k) & 1) == 0)
			return j + 1;
		i = j + 1;
	}
	return n;
}

/* Whether the '>' at s.p[i] is the arrow of a socket decoration
 * ("TCP:[1.2.3.4:5->6.7.8.9:10]", "UNIX-STREAM:[41->42]"): "->" followed
 * by an address, where a path decoration ending in '-' ("3</tmp/a->")
 * is followed by ',' ')' ' ' or the end. */
static bool
sp_socket_arrow(struct span s, size_t i)
{
	unsigned char c;

	if (s.p[i] != '>' || i == 0 || s.p[i - 1] != '-' || i + 1 >= s.n)
		return false;
	c = (unsigned char)s.p[i + 1];
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '[' || c == '@';
}

/* The index of the byte that brings the nesting depth (depth before
 * s.p[i]) to 0, honouring quotes; s.n when none does. With arrows, "=>"
 * (clone3) and "->" (socket decorations) are not brackets. */
static size_t
sp_match(struct span s, size_t i, int depth, bool arrows)
{
	while ((i = sp_next(s.p, s.n, i, SPC_QUOTE | SPC_OPEN | SPC_CLOSE)) <
	    s.n) {
		unsigned k = sp_cls[(unsigned char)s.p[i]];
		if (k == SPC_QUOTE) {
			i = sp_skip_quoted(s.p, s.n, i);
			continue;
		}
		if (k == SPC_OPEN)
			depth++;
		else if (!(arrows && s.p[i] == '>' && i > 0 &&
			       (s.p[i - 1] == '=' || s.p[i - 1] == '-')) &&
		    !sp_socket_arrow(s, i) && --depth == 0)
			return i;
		i++;
	}
	return s.n;
}

/* Index just past the bracket that closes the one at s.p[i] ('<', '[',
 * '{' or '('), honouring quotes and nesting; s.n when unclosed. */
static size_t
sp_close(struct span s, size_t i)
{
	size_t end = sp_match(s, i, 0, false);

	return end < s.n ? end + 1 : s.n;
}

/* Split an argument list at top-level ", " (quotes and brackets nest).
 * Returns the count (at most max). */
static int
sp_split_args(struct span s, struct span *out, int max)
{
	size_t i = 0, start = 0;
	int depth = 0, n = 0;

	if (sp_trim(s).n == 0)
		return 0;
	while ((i = sp_next(s.p, s.n, i, 0xff)) < s.n) {
		unsigned k = sp_cls[(unsigned char)s.p[i]];
		if (k == SPC_QUOTE) {
			i = sp_skip_quoted(s.p, s.n, i);
			continue;
		}
		if (k == SPC_OPEN) {
			depth++;
		} else if (k == SPC_CLOSE) {
			if (depth > 0)
				depth--;
		} else if (depth == 0) {
			out[n].p = s.p + start;
			out[n].n = i - start;
			out[n] = sp_trim(out[n]);
			if (++n == max)
				return n; /* the caller reads no further */
			start = i + 1;
		}
		i++;
	}
	if (n < max) {
		out[n].p = s.p + start;
		out[n].n = s.n - start;
		out[n] = sp_trim(out[n]);
		n++;
	}
	return n;
}

static int
sp_octal(const char *p, size_t n, size_t *used)
{
	int v = 0;
	size_t k = 0;

	while (k < 3 && k < n && p[k] >= '0' && p[k] <= '7') {
		v = v * 8 + (p[k] - '0');
		k++;
	}
	*used = k;
	return v;
}

/*
 * Unescape a strace string argument ("..."[...]) into raw bytes in sb.
 * Returns false when s is not a quoted string. *trunc is set when strace
 * truncated it (a trailing "...").
 */
static bool
sp_unquote(struct span s, struct sbuf *sb, bool *trunc)
{
	size_t i;

	sbuf_reset(sb);
	if (trunc)
		*trunc = false;
	if (s.n < 2 || s.p[0] != '"')
		return false;
	for (i = 1; i < s.n; i++) {
		char c;
		size_t j = i;
		/* Copy the run up to the next quote or backslash at once. */
		while (j < s.n && s.p[j] != '"' && s.p[j] != '\\')
			j++;
		sbuf_add(sb, s.p + i, j - i);
		if ((i = j) >= s.n)
			break;
		c = s.p[i];
		if (c == '"') {
			if (trunc && s.n - i - 1 >= 3 &&
			    memcmp(s.p + i + 1, "...", 3) == 0)
				*trunc = true;
			return true;
		}
		if (c != '\\' || i + 1 >= s.n) {
			sbuf_addch(sb, c);
			continue;
		}
		c = s.p[++i];
		switch (c) {
		case 'n': sbuf_addch(sb, '\n'); break;
		case 't': sbuf_addch(sb, '\t'); break;
		case 'r': sbuf_addch(sb, '\r'); break;
		case 'f': sbuf_addch(sb, '\f'); break;
		case 'v': sbuf_addch(sb, '\v'); break;
		case 'x': {
			int a = i + 1 < s.n ? hex_digit(s.p[i + 1]) : -1;
			int b = i + 2 < s.n ? hex_digit(s.p[i + 2]) : -1;
			if (a >= 0 && b >= 0) {
				sbuf_addch(sb, a * 16 + b);
				i += 2;
			} else {
				sbuf_addch(sb, 'x');
			}
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				size_t used;
				int v = sp_octal(s.p + i, s.n - i, &used);
				sbuf_addch(sb, v & 0xff);
				i += used - 1;
			} else {
				sbuf_addch(sb, c);
			}
		}
	}
	return false; /* unterminated */
}

/* Split "3</etc/passwd>" into the number and the decoration text. */
static bool
sp_fd(struct span s, int64_t *fd, struct span *deco)
{
	size_t i = 0;

	deco->p = NULL;
	deco->n = 0;
	while (i < s.n && (sp_is_digit(s.p[i]) || (i == 0 && s.p[i] == '-')))
		i++;
	if (i == 0 || !sp_int((struct span){ s.p, i }, fd))
		return false;
	if (i == s.n)
		return true;
	if (s.p[i] != '<')
		return false;
	{
		size_t end = sp_close(s, i);
		if (end < i + 2 || s.p[end - 1] != '>')
			return false;
		deco->p = s.p + i + 1;
		deco->n = end - i - 2;
	}
	return true;
}

/* Unescape a path inside an fd decoration (\74 < \76 > \n ...). */
static void
sp_deco_text(struct span d, struct sbuf *sb)
{
	size_t i;

	sbuf_reset(sb);
	if (memchr(d.p, '\\', d.n) == NULL) {
		sbuf_add(sb, d.p, d.n);
		return;
	}
	for (i = 0; i < d.n; i++) {
		char c = d.p[i];
		if (c == '\\' && i + 1 < d.n) {
			char n = d.p[i + 1];
			if (n >= '0' && n <= '7') {
				size_t used;
				int v = sp_octal(d.p + i + 1, d.n - i - 1, &used);
				sbuf_addch(sb, v & 0xff);
				i += used;
				continue;
			}
			if (n == 'n') {
				sbuf_addch(sb, '\n');
				i++;
				continue;
			}
		}
		sbuf_addch(sb, c);
	}
}

/* ---- errno names ---- */

static int
imp_strace_errno(const char *name)
{
	static const struct {
		const char *n;
		int v;
	} kern[] = {
		{ "ERESTARTSYS", 512 }, { "ERESTARTNOINTR", 513 },
		{ "ERESTARTNOHAND", 514 }, { "ENOIOCTLCMD", 515 },
		{ "ERESTART_RESTARTBLOCK", 516 }, { "EPROBE_DEFER", 517 },
		{ "EOPENSTALE", 518 }, { "ENOPARAM", 519 },
		{ "EBADHANDLE", 521 }, { "ENOTSYNC", 522 },
		{ "EBADCOOKIE", 523 }, { "ENOTSUPP", 524 },
		{ "ETOOSMALL", 525 }, { "ESERVERFAULT", 526 },
		{ "EBADTYPE", 527 }, { "EJUKEBOX", 528 },
		{ "EIOCBQUEUED", 529 }, { "ERECALLCONFLICT", 530 },
		{ "ENOGRACE", 531 },
	};
	size_t i;
	int k;

	for (k = 1; k < 200; k++) {
		const char *n = strerrorname_np(k);
		if (n != NULL && strcmp(n, name) == 0)
			return k;
	}
	/* glibc prefers EAGAIN and EDEADLK; strace may print the aliases. */
	if (strcmp(name, "EWOULDBLOCK") == 0)
		return EAGAIN;
	if (strcmp(name, "EDEADLOCK") == 0)
		return EDEADLK;
	if (strcmp(name, "ENOTSUP") == 0)
		return EOPNOTSUPP;
	for (i = 0; i < ARRAY_SIZE(kern); i++)
		if (strcmp(kern[i].n, name) == 0)
			return kern[i].v;
	return 0;
}

/* ---- processes ---- */

struct strace_exec {
	int64_t ts;
	char *exe, *args;
};

struct strace_proc {
	int64_t pid, ppid;
	char *comm, *exe, *args; /* owned by the job arena */
	int64_t start_ts, end_ts;
	int64_t exit_code;
	bool has_exit;
	const char *exit_signal;
	int64_t *tids;
	size_t ntids, atids;
	struct strace_exec *execs;
	size_t nexecs, aexecs;
	bool dead;
};

struct strace_thread {
	struct tidtab_slot h;
	size_t proc; /* index into procs */
};

/* A pending unfinished call. */
struct strace_pending {
	struct tidtab_slot h;
	char name[64];
	char *args;	/* arguments printed before <unfinished ...> */
	int64_t enter_ts;
	uint64_t off;
	uint32_t len;
	int64_t caller;	/* the thread that made the call, when it moved
			   (a thread's execve ends on the leader), or 0 */
};

struct strace {
	struct imp_ctx *ctx;
	const struct importer *imp;
	bool byref;		/* offsets refer into the stored original */
	int64_t file_tid;	/* tid from an -ff file name, or -1 */
	/* Time. */
	int64_t day0;		/* epoch ns of the first line's midnight */
	int64_t tz_ns;		/* local time = UTC + tz_ns */
	int64_t last_tod;	/* previous time of day (ns), -1 none */
	int64_t day;		/* days wrapped */
	int64_t rel_ns;		/* -r running total */
	int64_t rel_start;	/* start for -r, EV_TS_NONE when unknown */
	bool have_date;		/* a date for -t/-tt is known */
	bool summary;		/* in the table -c/-C print (after "% time") */
	int64_t mtime_tod;	/* mtime's local time of day */
	bool first_tod;
	/* Records. */
	uint64_t ord;
	uint64_t lineno;
	struct strace_proc *procs;
	size_t nprocs, aprocs;
	struct tidtab threads;     /* struct strace_thread by tid */
	struct tidtab pend;	       /* struct strace_pending by tid */
	struct sbuf a, b, c;	       /* scratch buffers */
	/* Without -o, strace's own messages land inside trace lines
	 * ("...SIGCHLDstrace: Process 9456 attached"): the text before the
	 * message is carried over to the next line. */
	struct sbuf carry;
	uint64_t carry_off;
	bool carrying;
	bool inline_args;	       /* this record is a merged line */
	struct strace_scn *scn;	       /* STRACE_SCN_SLOTS names seen */
};

static struct strace_proc *
strace_new_proc(struct strace *st, int64_t pid, int64_t ppid, int64_t ts)
{
	struct strace_proc *p;

	if (st->nprocs == st->aprocs) {
		st->aprocs = st->aprocs ? st->aprocs * 2 : 64;
		st->procs = xreallocarray(st->procs, st->aprocs,
		    sizeof(*st->procs));
	}
	p = &st->procs[st->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->start_ts = ts;
	p->end_ts = EV_TS_NONE;
	return p;
}

static void
strace_proc_add_tid(struct strace_proc *p, int64_t tid)
{
	tidlist_add(&p->tids, &p->ntids, &p->atids, tid, SIZE_MAX);
}

/* The thread slot for tid (created when missing, with a process whose
 * pid is tid: the group is fixed up when a clone names it). NULL when
 * the thread table is full. */
static struct strace_thread *
strace_thread(struct strace *st, int64_t tid, int64_t ts, bool create)
{
	struct strace_thread *t;
	bool fresh = false;

	t = (struct strace_thread *)tidtab_get(&st->threads, tid, 1024,
	    STRACE_MAX_THREADS, create ? &fresh : NULL);
	if (t == NULL || !fresh)
		return t;
	strace_new_proc(st, tid, -1, ts);
	t->proc = st->nprocs - 1;
	strace_proc_add_tid(&st->procs[t->proc], tid);
	return t;
}

static struct strace_pending *
strace_pending(struct strace *st, int64_t tid, bool create)
{
	bool fresh;

	return (struct strace_pending *)tidtab_get(&st->pend, tid, 64,
	    STRACE_MAX_PENDING, create ? &fresh : NULL);
}

static struct strace_pending *
strace_pending_at(struct strace *st, size_t i)
{
	return (struct strace_pending *)tidtab_at(&st->pend, i);
}

static void
strace_pending_del(struct strace *st, struct strace_pending *p)
{
	free(p->args);
	tidtab_del(&st->pend, &p->h);
}

/* A copy that lives for the current record (the scratch arena is rewound
 * after every line, so memory stays flat whatever the trace size). */
static char *
strace_jdup(struct strace *st, const char *p, size_t n)
{
	return arena_strndup(st->ctx->scratch, p, n);
}

/* A copy that lives for the whole import: process facts only (bounded
 * by the number of processes and execs, not by the number of calls). */
static char *
strace_keep(struct strace *st, const char *p, size_t n)
{
	return arena_strndup(st->ctx->job, p, n);
}

/* ---- timestamps ---- */

/* The digits s.p[i..] as a fraction of a second in ns (digits past the
 * ninth are ignored); false when a non-digit follows. */
static bool
strace_frac(struct span s, size_t i, int64_t *ns)
{
	int64_t frac = 0, scale = 100000000;

	for (; i < s.n; i++) {
		if (!sp_is_digit(s.p[i]))
			return false;
		frac += (s.p[i] - '0') * scale;
		scale /= 10;
	}
	*ns = frac;
	return true;
}

/* Parse "HH:MM:SS[.frac]" into ns of the day. */
static bool
strace_tod(struct span s, int64_t *ns)
{
	int h, m, sec;
	int64_t frac = 0;
	size_t i;

	if (s.n < 8 || s.p[2] != ':' || s.p[5] != ':')
		return false;
	for (i = 0; i < 8; i++)
		if (i != 2 && i != 5 && !sp_is_digit(s.p[i]))
			return false;
	h = (s.p[0] - '0') * 10 + (s.p[1] - '0');
	m = (s.p[3] - '0') * 10 + (s.p[4] - '0');
	sec = (s.p[6] - '0') * 10 + (s.p[7] - '0');
	if (h > 23 || m > 59 || sec > 60)
		return false;
	if (s.n > 8 && (s.p[8] != '.' || !strace_frac(s, 9, &frac)))
		return false;
	*ns = ((int64_t)h * 3600 + m * 60 + sec) * 1000000000 + frac;
	return true;
}

/* Parse "SSSSSSSSSS.ffffff[fff]" (epoch seconds) into ns. */
static bool
strace_epoch(struct span s, int64_t *ns)
{
	int64_t sec = 0, frac = 0;
	size_t i = 0;

	while (i < s.n && sp_is_digit(s.p[i])) {
		if (sec > INT64_MAX / 10 / 1000000000)
			return false;
		sec = sec * 10 + (s.p[i] - '0');
		i++;
	}
	if (i == 0 || i == s.n || s.p[i] != '.' || !strace_frac(s, i + 1, &frac))
		return false;
	*ns = sec * 1000000000 + frac;
	return true;
}

/* Whole epoch seconds, "1796504532" (--absolute-timestamps=
 * format:unix,precision:s), into ns: 10 digits (2001 to 2262, as far as
 * ns in 64 bits go), so neither a thread id nor a -r delta. */
static bool
strace_unix_s(struct span s, int64_t *ns)
{
	int64_t sec;

	/* two leading digits: neither a sign nor "0x", which sp_int takes */
	if (s.n != 10 || !sp_is_digit(s.p[0]) || !sp_is_digit(s.p[1]) ||
	    !sp_int(s, &sec) || sec > INT64_MAX / 1000000000)
		return false;
	*ns = sec * 1000000000;
	return true;
}

/* Parse a -r delta "0.000057" into ns. */
static bool
strace_delta(struct span s, int64_t *ns)
{
	return strace_epoch(sp_trim(s), ns);
}

/* The absolute time of a time of day, handling the date and midnight. */
static int64_t
strace_tod_abs(struct strace *st, int64_t tod)
{
	if (st->first_tod) {
		st->first_tod = false;
		/* Started the day before the mtime's date when the first
		 * time of day is later than the mtime's. */
		if (!st->have_date && st->mtime_tod >= 0 &&
		    tod > st->mtime_tod)
			st->day0 -= 86400LL * 1000000000;
	} else if (st->last_tod >= 0 &&
	    tod + 12LL * 3600 * 1000000000 < st->last_tod) {
		st->day++;
	}
	st->last_tod = tod;
	return st->day0 + st->day * 86400LL * 1000000000 + tod - st->tz_ns;
}

/* ---- the line parser ---- */

/* What the leading fields said. */
struct strace_lead {
	int64_t tid;		/* -1: none */
	struct span comm;	/* -Y comm */
	int64_t ts;		/* EV_TS_NONE */
	int tsq;
};

static void
strace_skip_spaces(struct span *s)
{
	while (s->n > 0 && s->p[0] == ' ') {
		s->p++;
		s->n--;
	}
}

/* Take a token up to the next space. */
static struct span
strace_token(struct span *s)
{
	struct span t = { s->p, 0 };

	while (t.n < s->n && s->p[t.n] != ' ')
		t.n++;
	s->p += t.n;
	s->n -= t.n;
	return t;
}

static void
strace_lead(struct strace *st, struct span *s, struct strace_lead *ld)
{
	struct span save, t;
	int64_t v;

	ld->tid = st->file_tid;
	ld->comm.p = NULL;
	ld->comm.n = 0;
	ld->ts = EV_TS_NONE;
	ld->tsq = TSQ_ORDINAL;

	/* "[pid  1234] " */
	if (sp_starts(*s, "[pid ")) {
		size_t i = 5;
		while (i < s->n && s->p[i] == ' ')
			i++;
		save.p = s->p + i;
		save.n = 0;
		while (i < s->n && sp_is_digit(s->p[i])) {
			save.n++;
			i++;
		}
		if (i < s->n && s->p[i] == ']' && sp_int(save, &v)) {
			ld->tid = v;
			s->p += i + 1;
			s->n -= i + 1;
			strace_skip_spaces(s);
		}
	} else if (s->n > 0 && sp_is_digit(s->p[0])) {
		/* "1234  " or "1234<comm> " but not a timestamp: a thread id
		 * has at most 7 digits (PID_MAX_LIMIT is 4194304), epoch
		 * seconds have 10. */
		size_t i = 0;
		while (i < s->n && sp_is_digit(s->p[i]))
			i++;
		if (i <= 7 && i < s->n && (s->p[i] == ' ' || s->p[i] == '<') &&
		    sp_int((struct span){ s->p, i }, &v)) {
			bool ok = true;
			if (s->p[i] == '<') {
				size_t end = sp_close(*s, i);
				if (end >= s->n || s->p[end] != ' ' || end < i + 2)
					ok = false;
				else {
					ld->comm.p = s->p + i + 1;
					ld->comm.n = end - i - 2;
					i = end;
				}
			}
			if (ok) {
				ld->tid = v;
				s->p += i;
				s->n -= i;
				strace_skip_spaces(s);
			}
		}
	}
	/* Timestamp. */
	save = *s;
	t = strace_token(s);
	if (strace_tod(t, &v)) {
		ld->ts = strace_tod_abs(st, v);
		ld->tsq = TSQ_DATE_INFERRED;
		strace_skip_spaces(s);
	} else if ((strace_epoch(t, &v) && t.n >= 12) ||
	    strace_unix_s(t, &v)) {
		/* -ttt (10+ digit seconds; a -r delta has few digits
		 * and is handled below), or whole seconds */
		ld->ts = v;
		ld->tsq = TSQ_ABSOLUTE;
		strace_skip_spaces(s);
	} else {
		*s = save;
	}
	/* Relative time: "(+     0.000158) " or "     0.000057 ". */
	if (sp_starts(*s, "(+")) {
		size_t end = sp_close(*s, 0);
		if (end < s->n) {
			s->p += end;
			s->n -= end;
			strace_skip_spaces(s);
		}
	} else if (ld->ts == EV_TS_NONE) {
		save = *s;
		t = strace_token(s);
		if (strace_delta(t, &v)) {
			st->rel_ns += v;
			if (st->rel_start != EV_TS_NONE) {
				ld->ts = st->rel_start + st->rel_ns;
				ld->tsq = TSQ_DATE_INFERRED;
			} else {
				ld->ts = st->rel_ns;
				ld->tsq = TSQ_RELATIVE;
			}
			strace_skip_spaces(s);
		} else {
			*s = save;
		}
	}
	/* "[ 999] " (-n) and "[00007fb0dd84b829] " (-i). */
	while (s->n > 2 && s->p[0] == '[') {
		size_t i = 1;
		while (i < s->n && (s->p[i] == ' ' || sp_is_digit(s->p[i]) ||
				       (s->p[i] >= 'a' && s->p[i] <= 'f') ||
				       s->p[i] == '?'))
			i++;
		if (i >= s->n || s->p[i] != ']')
			break;
		s->p += i + 1;
		s->n -= i + 1;
		strace_skip_spaces(s);
	}
}

/* The parsed tail of a complete call. */
struct strace_ret {
	bool known;
	int64_t ret;
	struct span err;   /* ENOENT */
	struct span deco;  /* <...> after the value */
	int64_t dur_ns;	   /* -T, -1 none */
	int64_t ns_pid;	   /* --pidns-translation: "= 7 / * 30495 in strace's
			      PID NS * /", the pid in strace's namespace;
			      -1 none */
};

/* Parse RET in " = RET..." (after the "= "): false when not a return. */
static bool
strace_parse_ret(struct span r, struct strace_ret *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	out->dur_ns = -1;
	out->ns_pid = -1;
	r = sp_trim(r);
	/* Trailing " <0.000253>" duration. */
	if (r.n > 3 && r.p[r.n - 1] == '>') {
		size_t k = r.n - 1;
		while (k > 0 && (sp_is_digit(r.p[k - 1]) || r.p[k - 1] == '.'))
			k--;
		if (k > 1 && r.p[k - 1] == '<' && r.p[k - 2] == ' ') {
			int64_t d;
			if (strace_delta((struct span){ r.p + k, r.n - 1 - k },
				&d))
				out->dur_ns = d;
			r.n = k - 2;
		}
	}
	if (r.n == 0)
		return false;
	if (r.p[0] == '?') {
		i = 1;
		out->known = false;
	} else {
		if (r.p[0] == '-')
			i++;
		if (i + 1 < r.n && r.p[i] == '0' && r.p[i + 1] == 'x') {
			i += 2;
			while (i < r.n && hex_digit(r.p[i]) >= 0)
				i++;
		} else {
			size_t d0 = i;
			while (i < r.n && sp_is_digit(r.p[i]))
				i++;
			if (i == d0)
				return false;
		}
		if (!sp_int((struct span){ r.p, i }, &out->ret)) {
			/* Out of range for int64: keep unknown. */
			out->known = false;
		} else {
			out->known = true;
		}
		if (i < r.n && r.p[i] == '<') {
			size_t end = sp_close(r, i);
			out->deco.p = r.p + i + 1;
			out->deco.n = end >= i + 2 ? end - i - 2 : 0;
			i = end;
			/* "(deleted)" after the decoration. */
		}
	}
	/* " ENAME (text)" or " (comment)" or nothing. */
	while (i < r.n && r.p[i] != ' ')
		i++;
	if (i < r.n) {
		struct span rest = sp_trim((struct span){ r.p + i, r.n - i });
		static const char ns[] = " in strace's PID NS */";
		const size_t nsl = sizeof(ns) - 1;
		if (rest.n > 3 + nsl && memcmp(rest.p, "/* ", 3) == 0 &&
		    memmem(rest.p, rest.n, ns, nsl) != NULL) {
			size_t k = 3;
			while (k < rest.n && sp_is_digit(rest.p[k]))
				k++;
			if (k > 3 && k + nsl <= rest.n &&
			    memcmp(rest.p + k, ns, nsl) == 0 &&
			    !sp_int((struct span){ rest.p + 3, k - 3 },
				&out->ns_pid))
				out->ns_pid = -1;
		}
		if (rest.n > 1 && rest.p[0] == 'E') {
			size_t k = 0;
			while (k < rest.n && rest.p[k] != ' ')
				k++;
			out->err.p = rest.p;
			out->err.n = k;
		}
	}
	return true;
}

/*
 * The index of the ')' closing an argument list whose '(' came before
 * body (depth 1), honouring quotes and nested brackets; "=>" (clone3)
 * and "->" (socket decorations) are not brackets. body.n when unclosed.
 */
static size_t
strace_close_args(struct span body)
{
	size_t end = sp_match(body, 0, 1, true);

	return end < body.n && body.p[end] == ')' ? end : body.n;
}

/* Split "ARGS) = RET" (the text after "NAME(" or "resumed>"): first by
 * matching the argument list's parenthesis, then, for lines that do not
 * balance, from the right. */
static bool
strace_split_ret(struct span body, struct span *args, struct strace_ret *ret)
{
	size_t i, close = strace_close_args(body);

	if (close < body.n) {
		i = close + 1;
		while (i < body.n && body.p[i] == ' ')
			i++;
		if (i + 1 < body.n && body.p[i] == '=' && body.p[i + 1] == ' ' &&
		    strace_parse_ret((struct span){ body.p + i + 2,
					 body.n - i - 2 },
			ret)) {
			args->p = body.p;
			args->n = close;
			return true;
		}
	}

	if (body.n < 4)
		return false;
	for (i = body.n - 3; i > 0; i--) {
		size_t k;
		if (body.p[i] != ' ' || body.p[i + 1] != '=' ||
		    body.p[i + 2] != ' ')
			continue;
		/* Before: ')' then padding. */
		k = i;
		while (k > 0 && body.p[k - 1] == ' ')
			k--;
		if (k == 0 || body.p[k - 1] != ')')
			continue;
		if (!strace_parse_ret(
			(struct span){ body.p + i + 3, body.n - i - 3 }, ret))
			continue;
		args->p = body.p;
		args->n = k - 1; /* without the ')' */
		return true;
	}
	return false;
}

/* What the importer knows of a syscall by name: where its path, fd and
 * address arguments are and what else it means. */
enum strace_role {
	SR_NONE,
	SR_CLONE,      /* clone: flags=, lineage */
	SR_CLONE3,     /* clone3: flags=, lineage */
	SR_FORK,       /* fork, vfork: lineage */
	SR_EXECVE,     /* argv in argument 1 */
	SR_EXECVEAT,   /* argv in argument 2 */
	SR_EXIT_GROUP, /* status in argument 0 */
	SR_SOCKET,     /* family in argument 0 */
	SR_UNSHARE,    /* flags in argument 0 */
	SR_SETNS,      /* flags in argument 1 */
	SR_OPEN,       /* open, creat: flags in argument 1 */
	SR_OPENAT,     /* flags in argument 2 */
	SR_OPENAT2,    /* flags= in argument 2 */
	SR_PTRACE,     /* request in 0, target in 1 */
	SR_KILL,       /* kill, tkill: target in 0, signal in 1 */
	SR_TGKILL,     /* target in 1, signal in 2 */
	SR_MOUNT,      /* flags in argument 3 */
};

enum strace_scflag {
	SF_FDCALL = 1, /* argument 0 is a file descriptor */
	SF_FDRET = 2,  /* returns a new file descriptor */
};

struct strace_sc {
	const char *name;
	signed char p1, p2; /* path argument indexes, -1 none */
	signed char dirfd;  /* index of a dirfd whose decoration is kept */
	signed char sock;   /* index of a sockaddr argument, -1 none */
	unsigned char flags; /* enum strace_scflag */
	unsigned char role;  /* enum strace_role */
};

/* Sorted by name. The path column lists the calls whose `path` is their
 * first quoted argument (tests/bench/strace.sh mirrors it). */
static const struct strace_sc strace_scs[] = {
	{ "accept", -1, -1, -1, 1, SF_FDCALL|SF_FDRET, SR_NONE },
	{ "accept4", -1, -1, -1, 1, SF_FDCALL|SF_FDRET, SR_NONE },
	{ "access", 0, -1, -1, -1, 0, SR_NONE },
	{ "acct", 0, -1, -1, -1, 0, SR_NONE },
	{ "bind", -1, -1, -1, 1, SF_FDCALL, SR_NONE },
	{ "chdir", 0, -1, -1, -1, 0, SR_NONE },
	{ "chmod", 0, -1, -1, -1, 0, SR_NONE },
	{ "chown", 0, -1, -1, -1, 0, SR_NONE },
	{ "chown32", 0, -1, -1, -1, 0, SR_NONE },
	{ "chroot", 0, -1, -1, -1, 0, SR_NONE },
	{ "clone", -1, -1, -1, -1, 0, SR_CLONE },
	{ "clone3", -1, -1, -1, -1, 0, SR_CLONE3 },
	{ "close", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "connect", -1, -1, -1, 1, SF_FDCALL, SR_NONE },
	{ "copy_file_range", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "creat", 0, -1, -1, -1, SF_FDRET, SR_OPEN },
	{ "dup", -1, -1, -1, -1, SF_FDCALL|SF_FDRET, SR_NONE },
	{ "dup2", -1, -1, -1, -1, SF_FDCALL|SF_FDRET, SR_NONE },
	{ "dup3", -1, -1, -1, -1, SF_FDCALL|SF_FDRET, SR_NONE },
	{ "epoll_create", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "epoll_create1", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "epoll_ctl", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "epoll_pwait", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "epoll_wait", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "eventfd", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "eventfd2", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "execve", 0, -1, -1, -1, 0, SR_EXECVE },
	{ "execveat", 1, -1, 0, -1, 0, SR_EXECVEAT },
	{ "exit_group", -1, -1, -1, -1, 0, SR_EXIT_GROUP },
	{ "faccessat", 1, -1, 0, -1, 0, SR_NONE },
	{ "faccessat2", 1, -1, 0, -1, 0, SR_NONE },
	{ "fadvise64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fallocate", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fanotify_init", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "fanotify_mark", 4, -1, 3, -1, 0, SR_NONE },
	{ "fchdir", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fchmod", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fchmodat", 1, -1, 0, -1, 0, SR_NONE },
	{ "fchmodat2", 1, -1, 0, -1, 0, SR_NONE },
	{ "fchown", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fchownat", 1, -1, 0, -1, 0, SR_NONE },
	{ "fcntl", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fcntl64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fdatasync", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fgetxattr", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "flistxattr", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "flock", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fork", -1, -1, -1, -1, 0, SR_FORK },
	{ "fremovexattr", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fsetxattr", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fsmount", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "fsopen", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "fspick", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "fstat", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fstat64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fstatat64", 1, -1, 0, -1, 0, SR_NONE },
	{ "fstatfs", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fstatfs64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "fsync", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "ftruncate", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "ftruncate64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "futimesat", 1, -1, 0, -1, 0, SR_NONE },
	{ "getdents", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "getdents64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "getpeername", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "getsockname", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "getsockopt", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "getxattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "inotify_add_watch", 1, -1, -1, -1, 0, SR_NONE },
	{ "inotify_init", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "inotify_init1", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "ioctl", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "kill", -1, -1, -1, -1, 0, SR_KILL },
	{ "lchown", 0, -1, -1, -1, 0, SR_NONE },
	{ "lgetxattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "link", 0, 1, -1, -1, 0, SR_NONE },
	{ "linkat", 1, 3, 0, -1, 0, SR_NONE },
	{ "listen", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "listxattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "llistxattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "lremovexattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "lseek", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "lsetxattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "lstat", 0, -1, -1, -1, 0, SR_NONE },
	{ "lstat64", 0, -1, -1, -1, 0, SR_NONE },
	{ "memfd_create", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "memfd_secret", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "mkdir", 0, -1, -1, -1, 0, SR_NONE },
	{ "mkdirat", 1, -1, 0, -1, 0, SR_NONE },
	{ "mknod", 0, -1, -1, -1, 0, SR_NONE },
	{ "mknodat", 1, -1, 0, -1, 0, SR_NONE },
	{ "mount", 1, 0, -1, -1, 0, SR_MOUNT },
	{ "mount_setattr", 1, -1, 0, -1, 0, SR_NONE },
	{ "move_mount", 1, 3, 0, -1, 0, SR_NONE },
	{ "name_to_handle_at", 1, -1, 0, -1, 0, SR_NONE },
	{ "newfstatat", 1, -1, 0, -1, 0, SR_NONE },
	{ "oldlstat", 0, -1, -1, -1, 0, SR_NONE },
	{ "oldstat", 0, -1, -1, -1, 0, SR_NONE },
	{ "open", 0, -1, -1, -1, SF_FDRET, SR_OPEN },
	{ "open_by_handle_at", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "open_tree", 1, -1, 0, -1, SF_FDRET, SR_NONE },
	{ "openat", 1, -1, 0, -1, SF_FDRET, SR_OPENAT },
	{ "openat2", 1, -1, 0, -1, SF_FDRET, SR_OPENAT2 },
	{ "perf_event_open", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "pidfd_getfd", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "pidfd_open", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "pivot_root", 0, 1, -1, -1, 0, SR_NONE },
	{ "pread64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "preadv", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "preadv2", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "ptrace", -1, -1, -1, -1, 0, SR_PTRACE },
	{ "pwrite64", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "pwritev", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "pwritev2", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "read", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "readahead", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "readlink", 0, -1, -1, -1, 0, SR_NONE },
	{ "readlinkat", 1, -1, 0, -1, 0, SR_NONE },
	{ "readv", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "recvfrom", -1, -1, -1, 4, SF_FDCALL, SR_NONE },
	{ "recvmmsg", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "recvmsg", -1, -1, -1, 1, SF_FDCALL, SR_NONE },
	{ "removexattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "rename", 0, 1, -1, -1, 0, SR_NONE },
	{ "renameat", 1, 3, 0, -1, 0, SR_NONE },
	{ "renameat2", 1, 3, 0, -1, 0, SR_NONE },
	{ "rmdir", 0, -1, -1, -1, 0, SR_NONE },
	{ "sendfile", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "sendmmsg", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "sendmsg", -1, -1, -1, 1, SF_FDCALL, SR_NONE },
	{ "sendto", -1, -1, -1, 4, SF_FDCALL, SR_NONE },
	{ "setns", -1, -1, -1, -1, SF_FDCALL, SR_SETNS },
	{ "setsockopt", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "setxattr", 0, -1, -1, -1, 0, SR_NONE },
	{ "shutdown", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "signalfd", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "signalfd4", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "socket", -1, -1, -1, -1, SF_FDRET, SR_SOCKET },
	{ "splice", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "stat", 0, -1, -1, -1, 0, SR_NONE },
	{ "stat64", 0, -1, -1, -1, 0, SR_NONE },
	{ "statfs", 0, -1, -1, -1, 0, SR_NONE },
	{ "statfs64", 0, -1, -1, -1, 0, SR_NONE },
	{ "statx", 1, -1, 0, -1, 0, SR_NONE },
	{ "swapoff", 0, -1, -1, -1, 0, SR_NONE },
	{ "swapon", 0, -1, -1, -1, 0, SR_NONE },
	{ "symlink", 1, 0, -1, -1, 0, SR_NONE },
	{ "symlinkat", 2, 0, 1, -1, 0, SR_NONE },
	{ "sync_file_range", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "syncfs", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "tee", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "tgkill", -1, -1, -1, -1, 0, SR_TGKILL },
	{ "timerfd_create", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "tkill", -1, -1, -1, -1, 0, SR_KILL },
	{ "truncate", 0, -1, -1, -1, 0, SR_NONE },
	{ "truncate64", 0, -1, -1, -1, 0, SR_NONE },
	{ "umount", 0, -1, -1, -1, 0, SR_NONE },
	{ "umount2", 0, -1, -1, -1, 0, SR_NONE },
	{ "unlink", 0, -1, -1, -1, 0, SR_NONE },
	{ "unlinkat", 1, -1, 0, -1, 0, SR_NONE },
	{ "unshare", -1, -1, -1, -1, 0, SR_UNSHARE },
	{ "uselib", 0, -1, -1, -1, 0, SR_NONE },
	{ "userfaultfd", -1, -1, -1, -1, SF_FDRET, SR_NONE },
	{ "utime", 0, -1, -1, -1, 0, SR_NONE },
	{ "utimensat", 1, -1, 0, -1, 0, SR_NONE },
	{ "utimes", 0, -1, -1, -1, 0, SR_NONE },
	{ "vfork", -1, -1, -1, -1, 0, SR_FORK },
	{ "write", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
	{ "writev", -1, -1, -1, -1, SF_FDCALL, SR_NONE },
};

static const struct strace_sc strace_sc_none = { NULL, -1, -1, -1, -1, 0,
	SR_NONE };

static int
strace_sc_cmp(const void *k, const void *m)
{
	return strcmp(k, ((const struct strace_sc *)m)->name);
}

/* The highest argument index a call's fields read (-1: none). */
static int
strace_sc_need(const struct strace_sc *sc)
{
	static const signed char role_need[] = {
		[SR_NONE] = -1, [SR_CLONE] = -1, [SR_CLONE3] = -1,
		[SR_FORK] = -1, [SR_EXECVE] = 1, [SR_EXECVEAT] = 2,
		[SR_EXIT_GROUP] = 0, [SR_SOCKET] = 0, [SR_UNSHARE] = 0,
		[SR_SETNS] = 1, [SR_OPEN] = 1, [SR_OPENAT] = 2,
		[SR_OPENAT2] = 2, [SR_PTRACE] = 1, [SR_KILL] = 1,
		[SR_TGKILL] = 2, [SR_MOUNT] = 3,
	};
	int n = role_need[sc->role];

	n = MAX(n, sc->p1);
	n = MAX(n, sc->p2);
	n = MAX(n, sc->dirfd);
	n = MAX(n, sc->sock);
	if (sc->flags & SF_FDCALL)
		n = MAX(n, 0);
	return n;
}

/* The cached facts of a name seen in this trace: its kept copy (events
 * borrow it), its table entry and how many arguments to split. */
struct strace_scn {
	const char *name; /* NULL: empty slot */
	size_t len;
	const struct strace_sc *sc;
	int need;
};

#define STRACE_SCN_SLOTS 1024 /* distinct names cached (power of two) */

static const struct strace_scn *
strace_scn(struct strace *st, const char *name, size_t len,
    struct strace_scn *tmp)
{
	uint64_t h = hash64(0, name, len);
	size_t i, k;

	for (k = 0, i = (size_t)h & (STRACE_SCN_SLOTS - 1); k < 8;
	     k++, i = (i + 1) & (STRACE_SCN_SLOTS - 1)) {
		struct strace_scn *s = &st->scn[i];
		if (s->name == NULL) {
			tmp = s; /* fill this slot */
			break;
		}
		if (s->len == len && memcmp(s->name, name, len) == 0)
			return s;
	}
	/* Not cached (or too many collisions: look up without caching). */
	tmp->len = len;
	tmp->name = tmp == &st->scn[i] ? strace_keep(st, name, len) :
					  strace_jdup(st, name, len);
	tmp->sc = bsearch(tmp->name, strace_scs, ARRAY_SIZE(strace_scs),
	    sizeof(strace_scs[0]), strace_sc_cmp);
	if (tmp->sc == NULL)
		tmp->sc = &strace_sc_none;
	tmp->need = strace_sc_need(tmp->sc);
	return tmp;
}

/* Find "key=" at top level-ish (anywhere) in s; return the value span up
 * to the next ',' or '}' at its own nesting level. */
static bool
strace_field(struct span s, const char *key, struct span *val)
{
	size_t kl = strlen(key), i;

	for (i = 0; i + kl < s.n; i++) {
		size_t j;
		if (memcmp(s.p + i, key, kl) != 0 ||
		    (i > 0 && s.p[i - 1] != ' ' && s.p[i - 1] != '{' &&
			s.p[i - 1] != ','))
			continue;
		j = i + kl;
		val->p = s.p + j;
		while (j < s.n && s.p[j] != ',' && s.p[j] != '}') {
			if (s.p[j] == '"' || s.p[j] == '(' || s.p[j] == '[' ||
			    s.p[j] == '{' || s.p[j] == '<')
				j = sp_close(s, j) - 1;
			if (s.p[j] == '"') {
				/* closing quote of a string: sp_close
				 * treats quotes as toggles; step over the
				 * string explicitly. */
			}
			j++;
		}
		val->n = j - (size_t)(val->p - s.p);
		return true;
	}
	return false;
}

/* Skip over a quoted string starting at s.p[i] == '"'. */
static size_t
strace_skip_string(struct span s, size_t i)
{
	for (i++; i < s.n; i++) {
		if (s.p[i] == '\\')
			i++;
		else if (s.p[i] == '"')
			return i + 1;
	}
	return s.n;
}

/* Socket address fields from a sockaddr struct text. */
static void
strace_sockaddr(struct strace *st, struct span a, struct event_rec *ev)
{
	struct span v;
	size_t i;

	if (!strace_field(a, "sa_family=", &v))
		return;
	ev->family = strace_jdup(st, v.p, v.n);
	if (strace_field(a, "sin_port=", &v) ||
	    strace_field(a, "sin6_port=", &v)) {
		/* htons(80) */
		if (sp_starts(v, "htons(") && v.n > 7) {
			int64_t port;
			if (sp_int((struct span){ v.p + 6, v.n - 7 }, &port)) {
				ev->port = port;
				ev->has_port = true;
			}
		}
	}
	/* inet_addr("1.2.3.4") / inet_pton(AF_INET6, "::1", ...) /
	 * sun_path="..." / sun_path=@"..." */
	for (i = 0; i + 10 < a.n; i++) {
		if (memcmp(a.p + i, "inet_addr(", 10) == 0 ||
		    memcmp(a.p + i, "inet_pton(", 10) == 0 ||
		    memcmp(a.p + i, "sun_path=", 9) == 0) {
			size_t q = i;
			while (q < a.n && a.p[q] != '"')
				q++;
			if (q < a.n) {
				size_t end = strace_skip_string(a, q);
				if (sp_unquote((struct span){ a.p + q, end - q },
					&st->c, NULL))
					ev->addr = strace_jdup(st, st->c.buf,
					    st->c.len);
			}
			break;
		}
	}
}

/* Argument idx of a[0..n) as a path (unquoted; one strace truncated
 * keeps its "..." marker), or NULL. */
static const char *
strace_path_arg(struct strace *st, const struct span *a, int n, int idx)
{
	bool tr;

	if (idx < 0 || idx >= n || !sp_unquote(a[idx], &st->a, &tr))
		return NULL;
	if (tr)
		sbuf_addstr(&st->a, "...");
	return strace_jdup(st, st->a.buf, st->a.len);
}

/* Fill normalised fields of a syscall from its arguments and return. */
static void
strace_fields(struct strace *st, const struct strace_scn *scn,
    struct span args, const struct strace_ret *rv, struct event_rec *ev,
    struct strace_proc *proc, int64_t ts)
{
	struct span a[STRACE_MAX_ARGS], deco;
	const struct strace_sc *ps = scn->sc;
	int n = scn->need >= 0 ? sp_split_args(args, a, scn->need + 1) : 0;
	int role = ps->role;
	int64_t v;

	if (ps->p1 >= 0 || ps->p2 >= 0 || ps->dirfd >= 0) {
		ev->path = strace_path_arg(st, a, n, ps->p1);
		ev->path2 = strace_path_arg(st, a, n, ps->p2);
		if (ps->dirfd >= 0 && ps->dirfd < n) {
			struct span d = a[(int)ps->dirfd];
			/* AT_FDCWD</srv/app> or 3</dir> */
			const char *lt = memchr(d.p, '<', d.n);
			if (lt != NULL) {
				size_t at = (size_t)(lt - d.p);
				size_t end = sp_close(d, at);
				if (end >= at + 2) {
					sp_deco_text((struct span){ d.p + at + 1,
							 end - at - 2 },
					    &st->a);
					ev->fd_path = strace_jdup(st, st->a.buf,
					    st->a.len);
				}
			}
		}
	}
	if (n > 0 && (ps->flags & SF_FDCALL) && sp_fd(a[0], &v, &deco)) {
		ev->fd = v;
		ev->has_fd = true;
		if (deco.p != NULL) {
			sp_deco_text(deco, &st->a);
			ev->fd_path = strace_jdup(st, st->a.buf, st->a.len);
		}
	}
	/* A returned fd (open, socket, accept...), with its decoration. */
	if (!ev->has_fd && rv->known && rv->ret >= 0 &&
	    (ps->flags & SF_FDRET)) {
		ev->fd = rv->ret;
		ev->has_fd = true;
		if (rv->deco.p != NULL) {
			sp_deco_text(rv->deco, &st->a);
			ev->fd_path = strace_jdup(st, st->a.buf, st->a.len);
		}
	}
	if (!ev->has_fd && rv->known && rv->deco.p != NULL && rv->ret >= 0 &&
	    role != SR_CLONE && role != SR_CLONE3 && role != SR_FORK) {
		ev->fd = rv->ret;
		ev->has_fd = true;
		sp_deco_text(rv->deco, &st->a);
		ev->fd_path = strace_jdup(st, st->a.buf, st->a.len);
	}
	/* Socket addresses. */
	if (ps->sock >= 0 && ps->sock < n)
		strace_sockaddr(st, a[(int)ps->sock], ev);
	/* Flags worth rules: clone, unshare, setns, open, ptrace, kill. */
	switch (role) {
	case SR_SOCKET:
		if (n > 0)
			ev->family = strace_jdup(st, a[0].p, a[0].n);
		break;
	case SR_CLONE:
	case SR_CLONE3: {
		struct span f;
		if (strace_field(args, "flags=", &f))
			ev->flags = strace_jdup(st, f.p, f.n);
		break;
	}
	case SR_UNSHARE:
		if (n > 0)
			ev->flags = strace_jdup(st, a[0].p, a[0].n);
		break;
	case SR_SETNS:
	case SR_OPEN:
		if (n > 1)
			ev->flags = strace_jdup(st, a[1].p, a[1].n);
		break;
	case SR_OPENAT:
		if (n > 2)
			ev->flags = strace_jdup(st, a[2].p, a[2].n);
		break;
	case SR_OPENAT2:
		if (n > 2) {
			struct span f;
			if (strace_field(a[2], "flags=", &f))
				ev->flags = strace_jdup(st, f.p, f.n);
		}
		break;
	case SR_PTRACE:
		if (n > 0) {
			ev->flags = strace_jdup(st, a[0].p, a[0].n);
			if (n > 1 && sp_fd(a[1], &v, &deco)) {
				ev->target = v;
				ev->has_target = true;
			}
		}
		break;
	case SR_KILL:
		if (n > 1) {
			if (sp_fd(a[0], &v, &deco)) {
				ev->target = v;
				ev->has_target = true;
			}
			ev->flags = strace_jdup(st, a[1].p, a[1].n);
		}
		break;
	case SR_TGKILL:
		if (n > 2) {
			if (sp_fd(a[1], &v, &deco)) {
				ev->target = v;
				ev->has_target = true;
			}
			ev->flags = strace_jdup(st, a[2].p, a[2].n);
		}
		break;
	case SR_MOUNT:
		if (n > 3)
			ev->flags = strace_jdup(st, a[3].p, a[3].n);
		break;
	default:
		break;
	}
	/* Process lineage. */
	if ((role == SR_CLONE || role == SR_CLONE3 || role == SR_FORK) &&
	    rv->known && rv->ret > 0) {
		bool thread = ev->flags != NULL &&
		    strstr(ev->flags, "CLONE_THREAD") != NULL;
		struct strace_thread *ct;
		size_t parent = proc ? (size_t)(proc - st->procs) : 0;
		/* the child as strace names it (the tracee may be in another
		 * pid namespace: --pidns-translation gives strace's pid) */
		int64_t child = rv->ns_pid > 0 ? rv->ns_pid : rv->ret;
		ev->target = child;
		ev->has_target = true;
		/* This may grow st->procs: proc is found again after it. */
		ct = strace_thread(st, child, ts, true);
		if (proc != NULL)
			proc = &st->procs[parent];
		if (ct != NULL && proc != NULL) {
			struct strace_proc *cp = &st->procs[ct->proc];
			if (thread) {
				/* The child's provisional process folds into
				 * the parent's group. */
				if (ct->proc != parent && cp->ntids <= 1 &&
				    cp->nexecs == 0) {
					cp->dead = true;
					cp->ntids = 0;
					ct->proc = parent;
				}
				strace_proc_add_tid(&st->procs[ct->proc],
				    child);
			} else {
				if (cp->ppid < 0)
					cp->ppid = proc->pid;
				if (cp->comm == NULL && proc->comm != NULL)
					cp->comm = proc->comm;
				if (cp->exe == NULL && proc->exe != NULL) {
					cp->exe = proc->exe;
					cp->args = proc->args;
				}
				if (ts != EV_TS_NONE &&
				    (cp->start_ts == EV_TS_NONE ||
					ts < cp->start_ts))
					cp->start_ts = ts;
			}
		}
	}
	if ((role == SR_EXECVE || role == SR_EXECVEAT) && rv->known &&
	    rv->ret == 0 && proc != NULL && ev->path != NULL) {
		int ai = role == SR_EXECVE ? 1 : 2;
		const char *base = strrchr(ev->path, '/');
		struct strace_exec *x;

		proc->exe = strace_keep(st, ev->path, strlen(ev->path));
		sbuf_reset(&st->b);
		if (ai < n && a[ai].n > 1 && a[ai].p[0] == '[') {
			struct span av[STRACE_MAX_ARGS];
			int k, m = sp_split_args(
			    (struct span){ a[ai].p + 1,
				a[ai].n - (a[ai].p[a[ai].n - 1] == ']' ? 2 : 1) },
			    av, STRACE_MAX_ARGS);
			for (k = 0; k < m; k++) {
				bool tr;
				if (k)
					sbuf_addch(&st->b, ' ');
				if (sp_unquote(av[k], &st->a, &tr)) {
					sbuf_add(&st->b, st->a.buf, st->a.len);
					if (tr)
						sbuf_addstr(&st->b, "...");
				} else {
					sbuf_add(&st->b, av[k].p, av[k].n);
				}
			}
		}
		proc->args = strace_keep(st, st->b.buf, st->b.len);
		base = base ? base + 1 : ev->path;
		proc->comm = strace_keep(st, base, MIN(strlen(base), 15));
		if (proc->nexecs == proc->aexecs) {
			proc->aexecs = proc->aexecs ? proc->aexecs * 2 : 2;
			proc->execs = xreallocarray(proc->execs, proc->aexecs,
			    sizeof(*proc->execs));
		}
		x = &proc->execs[proc->nexecs++];
		x->ts = ts;
		x->exe = proc->exe;
		x->args = proc->args;
		ev->comm = proc->comm;
	}
	if (role == SR_EXIT_GROUP && proc != NULL && n > 0 &&
	    sp_fd(a[0], &v, &deco)) {
		proc->exit_code = v;
		proc->has_exit = true;
		if (ts != EV_TS_NONE)
			proc->end_ts = ts;
	}
}

/* Emit one event. */
static int
strace_emit(struct strace *st, struct event_rec *ev)
{
	struct imp_ctx *ctx = st->ctx;

	ev->ord = st->ord++;
	if (ctx->sink->ops->event == NULL)
		return 0;
	return ctx->sink->ops->event(ctx->sink, ctx->artifact_id, ev, NULL);
}

/* The process of tid (creating it) and its comm for events. */
static struct strace_proc *
strace_proc_of(struct strace *st, int64_t tid, int64_t ts,
    struct strace_lead *ld)
{
	struct strace_thread *t;
	struct strace_proc *p;

	if (tid < 0)
		return NULL;
	t = strace_thread(st, tid, ts, true);
	if (t == NULL)
		return NULL;
	p = &st->procs[t->proc];
	if (ld != NULL && ld->comm.p != NULL && ld->comm.n > 0 &&
	    (p->comm == NULL || strlen(p->comm) != ld->comm.n ||
		memcmp(p->comm, ld->comm.p, ld->comm.n) != 0))
		p->comm = strace_keep(st, ld->comm.p, ld->comm.n);
	return p;
}

static void
strace_event_init(struct strace *st, struct event_rec *ev,
    struct strace_lead *ld, struct strace_proc *p, uint64_t off,
    uint32_t len)
{
	memset(ev, 0, sizeof(*ev));
	ev->arch = SC_ARCH_X86_64;
	ev->enter_ts = EV_TS_NONE;
	ev->exit_ts = EV_TS_NONE;
	ev->ts_quality = ld->tsq;
	ev->tid = ld->tid;
	ev->pid = p ? p->pid : ld->tid;
	ev->comm = p ? p->comm : NULL;
	if (st->byref) {
		ev->src_off[0] = off;
		ev->src_len[0] = len;
	}
}

/* Syscall name at the start of body: [a-z0-9_]+ (or syscall_0x..., #64).
 * Returns its length, 0 when none. */
static size_t
strace_name(struct span b)
{
	size_t i = 0;

	while (i < b.n && ((b.p[i] >= 'a' && b.p[i] <= 'z') ||
			      sp_is_digit(b.p[i]) || b.p[i] == '_' ||
			      (i > 0 && b.p[i] == '#') ||
			      (i > 8 && b.p[i] == 'x')))
		i++;
	return i;
}

/* One complete call (possibly the merge of unfinished + resumed). */
static int
strace_call(struct strace *st, struct strace_lead *ld, const char *name,
    struct span args, const struct strace_ret *rv, int64_t enter_ts,
    int64_t exit_ts, uint64_t off0, uint32_t len0, uint64_t off1,
    uint32_t len1, const char *inline_args)
{
	struct strace_proc *p = strace_proc_of(st, ld->tid,
	    enter_ts != EV_TS_NONE ? enter_ts : exit_ts, ld);
	struct event_rec ev;
	int64_t ts = enter_ts != EV_TS_NONE ? enter_ts : exit_ts;
	struct strace_scn tmp;
	const struct strace_scn *scn = strace_scn(st, name, strlen(name), &tmp);

	strace_event_init(st, &ev, ld, p, off0, len0);
	if (st->byref && len1) {
		ev.src_off[1] = off1;
		ev.src_len[1] = len1;
	}
	if (!st->byref)
		ev.args = inline_args;
	ev.kind = EVK_SYSCALL;
	ev.name = scn->name;
	ev.enter_ts = enter_ts;
	ev.exit_ts = exit_ts;
	if (rv->known) {
		ev.ret_known = true;
		ev.ret = rv->ret;
	}
	if (rv->err.n > 0) {
		int en;
		ev.errname = strace_jdup(st, rv->err.p, rv->err.n);
		en = imp_strace_errno(ev.errname);
		if (en > 0 && (!rv->known || rv->ret == -1)) {
			/* The kernel's view: -errno. */
			ev.ret = -en;
			ev.ret_known = true;
		}
	}
	{
		/* strace_fields may grow st->procs (a clone's child). */
		size_t pi = p ? (size_t)(p - st->procs) : 0;
		strace_fields(st, scn, args, rv, &ev, p, ts);
		if (p != NULL)
			p = &st->procs[pi];
	}
	if (p != NULL && ev.comm == NULL)
		ev.comm = p->comm;
	return strace_emit(st, &ev);
}

/* A line of -e read=SET / -e write=SET output, after its leading space:
 * a hex dump row "| 00000  68 69 74  hit |" (the offset at least five hex
 * digits, then two spaces) or an iovec's header "* 7 bytes in buffer 0".
 * They follow the call whose data they show; not events (the bytes stay
 * in the original, at the offsets after the call's line). */
static bool
strace_dump_line(struct span b)
{
	size_t i = 2;

	if (b.n < 3 || b.p[1] != ' ')
		return false;
	if (b.p[0] == '|') {
		while (i < b.n && (sp_is_digit(b.p[i]) ||
				      (b.p[i] >= 'a' && b.p[i] <= 'f')))
			i++;
		return i >= 7 && i + 1 < b.n && b.p[i] == ' ' &&
		    b.p[i + 1] == ' ';
	}
	if (b.p[0] == '*') {
		while (i < b.n && sp_is_digit(b.p[i]))
			i++;
		return i > 2 && sp_starts((struct span){ b.p + i, b.n - i },
				    " bytes in buffer ");
	}
	return false;
}

/* A row of the table strace -c/-C prints at the end, after its "% time"
 * header: "  0.00    0.000000           0         1           getrandom"
 * (percent, seconds, usecs/call, calls, errors when any, the syscall),
 * the separator, or the last row, "total" (*total then). */
static bool
strace_summary_row(struct span t, bool *total)
{
	struct span tok[7];
	size_t i = 0, k;
	int n = 0, j;

	*total = false;
	if (sp_starts(t, "------"))
		return true;
	while (i < t.n) {
		if (n == 7)
			return false;
		for (k = i; k < t.n && t.p[k] != ' '; k++)
			;
		tok[n++] = (struct span){ t.p + i, k - i };
		while (k < t.n && t.p[k] == ' ')
			k++;
		i = k;
	}
	if (n < 5 || n > 6)
		return false;
	for (j = 0; j < n - 1; j++) {
		bool dot = false;
		for (k = 0; k < tok[j].n; k++) {
			if (tok[j].p[k] == '.' && j < 2 && !dot && k > 0)
				dot = true;
			else if (!sp_is_digit(tok[j].p[k]))
				return false;
		}
		if ((j < 2) != dot)
			return false;
	}
	*total = tok[n - 1].n == 5 && memcmp(tok[n - 1].p, "total", 5) == 0;
	return strace_name(tok[n - 1]) == tok[n - 1].n;
}

/* Parse the body of one line. Returns 1 when it was understood, 0 when
 * not (an anomaly), <0 on error. */
static int
strace_body(struct strace *st, struct strace_lead *ld, struct span b,
    uint64_t off, uint32_t len)
{
	struct strace_ret rv;
	struct span args;
	struct event_rec ev;
	struct strace_proc *p;
	char name[64];
	size_t nl;

	b = sp_trim(b);
	if (b.n == 0)
		return 0;
	if (strace_dump_line(b))
		return 1;
	if (sp_starts(b, "strace: ") || sp_starts(b, "> ") ||
	    sp_starts(b, "------"))
		return 1; /* diagnostics, -k frames, -c tables: not events */
	if (sp_starts(b, "--- ")) {
		struct span sig = { b.p + 4, b.n - 4 };
		size_t k = 0;
		p = strace_proc_of(st, ld->tid, ld->ts, ld);
		strace_event_init(st, &ev, ld, p, off, len);
		ev.kind = EVK_SIGNAL;
		ev.enter_ts = ld->ts;
		if (sp_starts(sig, "stopped by ")) {
			sig.p += 11;
			sig.n -= 11;
			ev.flags = "stopped";
		}
		while (k < sig.n && sig.p[k] != ' ')
			k++;
		ev.name = strace_jdup(st, sig.p, k);
		{
			/* Old strace: "--- {si_signo=SIGCHLD, ...} (...) ---" */
			struct span v;
			if (k > 0 && sig.p[0] == '{' &&
			    strace_field(sig, "si_signo=", &v))
				ev.name = strace_jdup(st, v.p, v.n);
		}
		{
			struct span v;
			if (strace_field(sig, "si_code=", &v))
				ev.flags = strace_jdup(st, v.p, v.n);
			if (strace_field(sig, "si_pid=", &v)) {
				struct span d;
				int64_t pid;
				if (sp_fd(v, &pid, &d)) {
					ev.target = pid;
					ev.has_target = true;
				}
			}
		}
		if (!st->byref)
			ev.args = strace_jdup(st, b.p, b.n);
		return strace_emit(st, &ev) < 0 ? -1 : 1;
	}
	if (sp_starts(b, "+++ ")) {
		struct span x = { b.p + 4, b.n - 4 };
		int64_t v;
		p = strace_proc_of(st, ld->tid, ld->ts, ld);
		strace_event_init(st, &ev, ld, p, off, len);
		ev.kind = EVK_EXIT;
		ev.enter_ts = ld->ts;
		if (sp_starts(x, "exited with ")) {
			size_t k = 12;
			while (k < x.n && sp_is_digit(x.p[k]))
				k++;
			ev.name = "exited";
			if (sp_int((struct span){ x.p + 12, k - 12 }, &v)) {
				ev.ret = v;
				ev.ret_known = true;
			}
			if (p != NULL && p->pid == ld->tid) {
				p->exit_code = v;
				p->has_exit = ev.ret_known;
			}
		} else if (sp_starts(x, "killed by ")) {
			size_t k = 10;
			while (k < x.n && x.p[k] != ' ')
				k++;
			ev.name = "killed";
			ev.flags = strace_jdup(st, x.p + 10, k - 10);
			if (p != NULL)
				p->exit_signal = strace_keep(st, ev.flags,
				    strlen(ev.flags));
		} else if (sp_starts(x, "superseded by execve")) {
			/* "+++ superseded by execve in pid N +++": thread N
			 * ran execve and takes over this (the leader's)
			 * thread id; its unfinished execve resumes here. */
			struct span tail = { x.p + 20, x.n - 20 };
			int64_t other;
			ev.name = "superseded";
			if (sp_starts(tail, " in pid ")) {
				size_t k = 8;
				while (k < tail.n && sp_is_digit(tail.p[k]))
					k++;
				if (sp_int((struct span){ tail.p + 8, k - 8 },
					&other) &&
				    other != ld->tid) {
					struct strace_pending *from =
					    strace_pending(st, other, false);
					if (from != NULL &&
					    strcmp(from->name, "execve") == 0) {
						struct strace_pending save = *from;
						struct strace_pending *to;
						from->args = NULL;
						strace_pending_del(st, from);
						to = strace_pending(st, ld->tid,
						    true);
						if (to != NULL) {
							if (to->name[0])
								free(to->args);
							save.caller = save.h.tid;
							save.h.tid = ld->tid;
							*to = save;
						} else {
							free(save.args);
						}
					}
					ev.target = other;
					ev.has_target = true;
				}
			}
		} else {
			return 0;
		}
		if (p != NULL && ld->ts != EV_TS_NONE &&
		    (p->pid == ld->tid || p->end_ts == EV_TS_NONE))
			p->end_ts = ld->ts;
		if (!st->byref)
			ev.args = strace_jdup(st, b.p, b.n);
		return strace_emit(st, &ev) < 0 ? -1 : 1;
	}
	if (sp_starts(b, "<... ")) {
		/* "<... NAME resumed>REST" */
		struct span r = { b.p + 5, b.n - 5 };
		struct strace_pending *pd;
		size_t k = strace_name(r);
		struct span rest;
		int rc;

		if (k == 0 || k >= sizeof(name) || r.n < k + 9 ||
		    memcmp(r.p + k, " resumed>", 9) != 0)
			return 0;
		memcpy(name, r.p, k);
		name[k] = '\0';
		rest.p = r.p + k + 9;
		rest.n = r.n - k - 9;
		pd = strace_pending(st, ld->tid, false);
		if ((pd == NULL || strcmp(pd->name, name) != 0) &&
		    st->pend.cap) {
			/* Without -o the pid prefix comes and goes with the
			 * number of tracees: pair a prefixed half with the one
			 * pending call of that name under the other form. */
			struct strace_pending *cand = NULL;
			size_t q;
			int found = 0;
			for (q = 0; q < st->pend.cap; q++) {
				struct strace_pending *x =
				    strace_pending_at(st, q);
				if (x->h.used && strcmp(x->name, name) == 0 &&
				    (x->h.tid < 0) != (ld->tid < 0)) {
					cand = x;
					found++;
				}
			}
			if (found == 1) {
				pd = cand;
				if (ld->tid < 0)
					ld->tid = cand->h.tid;
			}
		}
		if (pd == NULL || strcmp(pd->name, name) != 0) {
			/* A resumed call whose start we never saw: still a
			 * row, with the arguments we have. */
			if (!strace_split_ret((struct span){ rest.p, rest.n },
				&args, &rv)) {
				if (sp_starts(sp_trim(rest), "<unfinished") ||
				    sp_trim(rest).n == 0)
					return 1;
				return 0;
			}
			return strace_call(st, ld, strace_jdup(st, name, k),
				   args, &rv, EV_TS_NONE, ld->ts, off, len, 0,
				   0, strace_jdup(st, b.p, b.n)) < 0 ?
			    -1 :
			    1;
		}
		if (!strace_split_ret(rest, &args, &rv)) {
			/* Resumed and unfinished again (rare): keep
			 * waiting with more arguments. */
			if (strstr(rest.p, "<unfinished ...>") != NULL)
				return 1;
			return 0;
		}
		/* The resumed line names the thread (the leader, after a
		 * thread's execve); without a prefix, the caller stands. */
		if (pd->caller > 0 && ld->tid < 0)
			ld->tid = pd->caller;
		{
			char *full, *nm = strace_jdup(st, name, k);
			size_t al = strlen(pd->args);
			struct span all;
			full = arena_alloc(st->ctx->scratch, al + args.n + 1);
			memcpy(full, pd->args, al);
			memcpy(full + al, args.p, args.n);
			full[al + args.n] = '\0';
			all.p = full;
			all.n = al + args.n;
			rc = strace_call(st, ld, nm, all, &rv, pd->enter_ts,
			    ld->ts, pd->off, pd->len, off, len,
			    st->byref ? NULL :
					arena_printf(st->ctx->scratch, "%s)", full));
		}
		strace_pending_del(st, pd);
		return rc < 0 ? -1 : 1;
	}
	if (sp_starts(b, "<detached ...>"))
		return 1;
	/* -ff: a thread's execve whose end is in the leader's file. */
	if (b.n > 20 && memcmp(b.p + b.n - 5, " ...>", 5) == 0 &&
	    memmem(b.p, b.n, " <pid changed to ", 17) != NULL)
		return 1;
	nl = strace_name(b);
	if (nl == 0 || nl >= sizeof(name) || nl >= b.n || b.p[nl] != '(')
		return 0;
	memcpy(name, b.p, nl);
	name[nl] = '\0';
	{
		struct span rest = { b.p + nl + 1, b.n - nl - 1 };
		/* Unfinished? */
		if (rest.n >= 16 &&
		    memcmp(rest.p + rest.n - 16, "<unfinished ...>", 16) == 0) {
			struct strace_pending *pd;
			size_t an = rest.n - 16;
			if (an > 0 && rest.p[an - 1] == ' ')
				an--;
			pd = strace_pending(st, ld->tid, true);
			if (pd == NULL)
				return 0;
			if (pd->name[0] != '\0') {
				/* The previous unfinished call of this
				 * thread never resumed: emit it alone. */
				struct strace_ret none;
				struct strace_lead l2 = *ld;
				memset(&none, 0, sizeof(none));
				strace_call(st, &l2,
				    strace_jdup(st, pd->name, strlen(pd->name)),
				    (struct span){ pd->args, strlen(pd->args) },
				    &none, pd->enter_ts, EV_TS_NONE, pd->off,
				    pd->len, 0, 0, pd->args);
				free(pd->args);
			}
			snprintf(pd->name, sizeof(pd->name), "%s", name);
			pd->args = xstrndup(rest.p, an);
			pd->enter_ts = ld->ts;
			pd->off = off;
			pd->len = len;
			return 1;
		}
		/* strace detached while the call was in progress (strace -p
		 * ended): the call, without a result */
		if (rest.n >= 14 &&
		    memcmp(rest.p + rest.n - 14, "<detached ...>", 14) == 0) {
			struct strace_ret none;
			size_t an = rest.n - 14;
			if (an > 0 && rest.p[an - 1] == ' ')
				an--;
			memset(&none, 0, sizeof(none));
			return strace_call(st, ld, strace_jdup(st, name, nl),
			    (struct span){ rest.p, an }, &none, ld->ts,
			    EV_TS_NONE, off, len, 0, 0,
			    strace_jdup(st, rest.p, an)) < 0 ? -1 : 1;
		}
		if (!strace_split_ret(rest, &args, &rv))
			return 0;
		return strace_call(st, ld, strace_jdup(st, name, nl), args, &rv,
			   ld->ts, rv.dur_ns >= 0 && ld->ts != EV_TS_NONE ?
				       ld->ts + rv.dur_ns :
				       EV_TS_NONE,
			   off, len, 0, 0, strace_jdup(st, rest.p, rest.n)) <
			0 ?
		    -1 :
		    1;
	}
}

/* Strip ANSI escape sequences (strace 7 colour) into sb; true when any. */
static bool
strace_strip_ansi(struct span s, struct sbuf *sb)
{
	size_t i;
	bool any = false;

	if (memchr(s.p, 0x1b, s.n) == NULL)
		return false;
	sbuf_reset(sb);
	for (i = 0; i < s.n; i++) {
		if (s.p[i] == 0x1b && i + 1 < s.n && s.p[i + 1] == '[') {
			size_t k = i + 2;
			while (k < s.n && ((s.p[k] >= '0' && s.p[k] <= '9') ||
					      s.p[k] == ';'))
				k++;
			if (k < s.n && s.p[k] == 'm') {
				i = k;
				any = true;
				continue;
			}
		}
		sbuf_addch(sb, s.p[i]);
	}
	return any;
}

#define STRACE_DIAG "strace: Process "
#define STRACE_DIAG_LEN (sizeof(STRACE_DIAG) - 1)

/* The index in buf[from..have) where needle starts, have when nowhere
 * (a needle cut by the buffer's end is found after the next read, which
 * moves the partial line to the front and searches again). */
static size_t
strace_buf_find(const uint8_t *buf, size_t from, size_t have,
    const char *needle, size_t len)
{
	const uint8_t *q = len == 1 ?
	    memchr(buf + from, needle[0], have - from) :
	    memmem(buf + from, have - from, needle, len);

	return q != NULL ? (size_t)(q - buf) : have;
}

/* Where "strace: Process " starts inside s (not at its start), or NULL.
 * Every line is searched: memchr for the ':' is far cheaper than
 * memmem. */
static const char *
strace_find_diag(struct span s)
{
	const char *c = s.p + 7, *end = s.p + s.n;

	while (c + 9 <= end && (c = memchr(c, ':', (size_t)(end - c))) != NULL &&
	    c + 9 <= end) {
		if (memcmp(c - 6, "strace", 6) == 0 &&
		    memcmp(c + 1, " Process ", 9) == 0)
			return c - 6;
		c++;
	}
	return NULL;
}

/* What the reader found in a line before it is parsed (hints: a line
 * without the flag cannot hold the thing; one with it may). */
enum { STRACE_LINE_ESC = 1, STRACE_LINE_DIAG = 2 };

static int
strace_line(struct strace *st, const char *p, size_t n, uint64_t off,
    unsigned hints, struct sbuf *clean)
{
	struct strace_lead ld;
	struct span s = { p, n }, t;
	const char *diag;
	bool saved_byref = st->byref;
	int rc;

	st->lineno++;
	if (n > 0 && p[n - 1] == '\r')
		s.n--;
	if ((hints & STRACE_LINE_ESC) && strace_strip_ansi(s, clean)) {
		s.p = clean->buf;
		s.n = clean->len;
		hints |= STRACE_LINE_DIAG; /* the codes may have split it */
	}
	if (st->carrying) {
		/* Join the carried start with this continuation. */
		sbuf_add(&st->carry, s.p, s.n);
		sbuf_reset(clean);
		sbuf_add(clean, st->carry.buf, st->carry.len);
		s.p = clean->buf;
		s.n = clean->len;
		off = st->carry_off;
		st->carrying = false;
		sbuf_reset(&st->carry);
		st->byref = false;
	}
	diag = hints & STRACE_LINE_DIAG ? strace_find_diag(s) : NULL;
	if (diag != NULL) {
		sbuf_reset(&st->carry);
		sbuf_add(&st->carry, s.p, (size_t)(diag - s.p));
		st->carry_off = off;
		st->carrying = true;
		st->byref = saved_byref;
		return 0;
	}
	t = sp_trim(s);
	if (t.n == 0)
		return 0;
	/* -c/-C's table: its "% time" header, then rows to the total */
	if (sp_starts(t, "% time ")) {
		st->summary = true;
		st->byref = saved_byref;
		return 0;
	}
	if (st->summary) {
		bool total;
		if (strace_summary_row(t, &total)) {
			st->summary = !total;
			st->byref = saved_byref;
			return 0;
		}
		st->summary = false;
	}
	strace_lead(st, &s, &ld);
	rc = strace_body(st, &ld, s, off, (uint32_t)MIN(n, UINT32_MAX));
	st->byref = saved_byref;
	if (rc < 0)
		return rc;
	if (rc == 0)
		return ingest_anomaly(st->ctx, (int64_t)off,
		    "line %" PRIu64 " is not strace output", st->lineno) < 0 ?
		    DD_ELIMIT :
		    1;
	return 0;
}

/* A line longer than LIM_TEXT_LINE at off: an anomaly, not parsed. */
static int
strace_long_line(struct strace *st, uint64_t off)
{
	st->lineno++;
	if (ingest_anomaly(st->ctx, (int64_t)off,
		"line %" PRIu64 " is longer than %u bytes", st->lineno,
		LIM_TEXT_LINE) < 0)
		return DD_ELIMIT;
	return 0;
}

/* Emit the processes once all events are out. */
static int
strace_emit_procs(struct strace *st, struct dd_err *e)
{
	struct imp_ctx *ctx = st->ctx;
	size_t i, k;
	int rc;

	if (ctx->sink->ops->process == NULL)
		return 0;
	for (i = 0; i < st->nprocs; i++) {
		struct strace_proc *p = &st->procs[i];
		struct process_rec pr;
		struct exec_rec *x = NULL;

		if (p->dead || p->ntids == 0)
			continue;
		memset(&pr, 0, sizeof(pr));
		pr.pid = p->pid;
		pr.ppid = p->ppid;
		pr.comm = p->comm;
		pr.exe = p->exe;
		pr.args = p->args;
		pr.start_ts = p->start_ts;
		pr.end_ts = p->end_ts;
		pr.exit_code = p->exit_code;
		pr.has_exit = p->has_exit;
		pr.exit_signal = p->exit_signal;
		pr.tids = p->tids;
		pr.ntids = p->ntids;
		if (p->nexecs) {
			x = xcalloc(p->nexecs, sizeof(*x));
			for (k = 0; k < p->nexecs; k++) {
				x[k].ts = p->execs[k].ts;
				x[k].exe = p->execs[k].exe;
				x[k].args = p->execs[k].args;
			}
		}
		pr.execs = x;
		pr.nexecs = p->nexecs;
		rc = ctx->sink->ops->process(ctx->sink, ctx->artifact_id, &pr,
		    e);
		free(x);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void
strace_release(struct strace *st)
{
	size_t i;

	for (i = 0; i < st->nprocs; i++) {
		free(st->procs[i].tids);
		free(st->procs[i].execs);
	}
	free(st->procs);
	free(st->threads.v);
	for (i = 0; i < st->pend.cap; i++)
		if (strace_pending_at(st, i)->h.used)
			free(strace_pending_at(st, i)->args);
	free(st->pend.v);
	free(st->scn);
	sbuf_release(&st->a);
	sbuf_release(&st->b);
	sbuf_release(&st->c);
	sbuf_release(&st->carry);
}

/* Set up the date and zone for -t/-tt from options or the mtime. */
static int
strace_time_setup(struct strace *st, const struct importer *imp,
    struct dd_err *e)
{
	const char *date = ingest_opt(st->ctx, imp, "date");
	const char *tz = ingest_opt(st->ctx, imp, "tz");
	const char *start = ingest_opt(st->ctx, imp, "start");
	int64_t ns;

	st->tz_ns = 0;
	if (tz != NULL && *tz != '\0' &&
	    (!time_parse_offset(tz, &ns) || ns < -18 * 3600LL * 1000000000 ||
		ns > 18 * 3600LL * 1000000000)) {
		/* Accept +HH:MM as well as the offset syntax. */
		int h, m;
		char sign;
		if (sscanf(tz, "%c%2d:%2d", &sign, &h, &m) != 3 ||
		    (sign != '+' && sign != '-') || h > 18 || m > 59)
			return dd_err_set(e, DD_EUSAGE,
			    "-o tz wants +HH:MM, got '%s'", tz);
		ns = ((int64_t)h * 3600 + m * 60) * 1000000000;
		if (sign == '-')
			ns = -ns;
	} else if (tz == NULL || *tz == '\0') {
		ns = 0;
	}
	st->tz_ns = ns;
	st->rel_start = EV_TS_NONE;
	if (start != NULL && *start != '\0') {
		if (!time_parse(start, &st->rel_start))
			return dd_err_set(e, DD_EUSAGE,
			    "-o start wants an RFC 3339 time, got '%s'", start);
	}
	st->mtime_tod = -1;
	if (date != NULL && *date != '\0') {
		char buf[40];
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", date);
		if (!time_parse(buf, &st->day0))
			return dd_err_set(e, DD_EUSAGE,
			    "-o date wants YYYY-MM-DD, got '%s'", date);
		st->have_date = true;
	} else if (st->ctx->src->mtime_ns > 0) {
		int64_t local = st->ctx->src->mtime_ns + st->tz_ns;
		int64_t day = 86400LL * 1000000000;
		int64_t d0 = local / day * day;
		if (local < 0 && local % day != 0)
			d0 -= day;
		st->day0 = d0;
		st->mtime_tod = local - d0;
	} else {
		st->day0 = 0;
	}
	st->last_tod = -1;
	st->first_tod = true;
	return 0;
}

/* An -ff member's tid: the number after the last '.' of its name. */
static int64_t
strace_file_tid(const char *name)
{
	const char *dot = strrchr(name, '.');
	int64_t v;

	if (dot == NULL || dot[1] == '\0' || !parse_i64(dot + 1, &v) || v <= 0)
		return -1;
	return v;
}

/* True when line holds "NAME(...)<spaces>= ": a completed call. */
static bool
imp_strace_sniff_call(const char *p, size_t len)
{
	const char *q = p, *end = p + len;

	if (memchr(p, '(', len) == NULL)
		return false;
	while ((q = memmem(q, (size_t)(end - q), " = ", 3)) != NULL) {
		const char *b = q;
		while (b > p && b[-1] == ' ')
			b--;
		if (b > p && b[-1] == ')')
			return true;
		q += 3;
	}
	return false;
}

static int
imp_strace_sniff(const uint8_t *head, size_t n, const char *basename)
{
	struct rd r;
	const uint8_t *line;
	size_t len;
	int good = 0, lines = 0;

	(void)basename;
	rd_init(&r, head, n, 0);
	while (lines < 20 && rd_until(&r, '\n', &line, &len) == 0) {
		const char *p = (const char *)line;
		const char *lp = memchr(p, '(', len);
		/* -k stack frames, data dumps and strace's own messages
		 * say nothing. */
		if ((len > 3 && memcmp(p, " > ", 3) == 0) ||
		    (len > 8 && memcmp(p, "strace: ", 8) == 0) ||
		    (len > 1 && p[0] == ' ' &&
			strace_dump_line((struct span){ p + 1, len - 1 })))
			continue;
		lines++;
		/* A call: name( ... ) = ret, or unfinished/resumed, or
		 * +++ / --- lines, after optional pid and time. */
		if (imp_strace_sniff_call(p, len) ||
		    (lp != NULL &&
			memmem(p, len, "<unfinished ...>", 16) != NULL) ||
		    memmem(p, len, "<... ", 5) != NULL ||
		    memmem(p, len, "+++ exited with", 15) != NULL ||
		    memmem(p, len, "+++ superseded by execve", 24) != NULL ||
		    memmem(p, len, "+++ killed by", 13) != NULL ||
		    (memmem(p, len, "--- SIG", 7) != NULL &&
			memmem(p, len, " ---", 4) != NULL))
			good++;
	}
	if (lines == 0 || good == 0)
		return 0;
	/* execve as the first call is strace's signature. */
	if (memmem(head, MIN(n, (size_t)512), "execve(", 7) != NULL)
		return 48 + MIN(good, 16);
	return good * 2 >= lines ? 24 + MIN(good, 16) : 0;
}

static int
imp_strace_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct strace st;
	struct sbuf clean = SBUF_INIT;
	uint8_t *buf = xmalloc(STRACE_BUF);
	uint64_t base = 0;
	bool skipping = false;
	size_t got, have = 0, i, esc_at = 0, diag_at = 0;
	int rc;

	memset(&st, 0, sizeof(st));
	st.scn = xcalloc(STRACE_SCN_SLOTS, sizeof(*st.scn));
	st.threads.elsz = sizeof(struct strace_thread);
	st.pend.elsz = sizeof(struct strace_pending);
	st.ctx = ctx;
	st.byref = ctx->src->filter == NULL;
	st.file_tid = strace_file_tid(ctx->src->name);
	sbuf_init(&st.a, LIM_TEXT_LINE);
	sbuf_init(&st.b, LIM_TEXT_LINE);
	sbuf_init(&st.c, LIM_TEXT_LINE);
	sbuf_init(&st.carry, LIM_TEXT_LINE);
	sbuf_init(&clean, LIM_TEXT_LINE);
	if ((rc = strace_time_setup(&st, &imp_strace, e)) < 0)
		goto out;
	/* Lines are parsed in place in buf; only the partial line at the
	 * end of a read moves to the front. A line longer than
	 * LIM_TEXT_LINE is an anomaly and skipped up to its newline. */
	for (;;) {
		size_t start = 0;
		bool eof;

		if ((rc = ingest_src_read(ctx, buf + have, STRACE_BUF - have,
			 &got, e)) < 0)
			goto out;
		eof = got == 0;
		have += got;
		for (;;) {
			const uint8_t *nl = memchr(buf + start, '\n', have - start);
			size_t k;

			if (nl == NULL) {
				if (!eof || start == have)
					break;
				k = have - start; /* the last line, unended */
			} else {
				k = (size_t)(nl - (buf + start));
			}
			if (skipping) {
				skipping = false;
			} else if (k > LIM_TEXT_LINE) {
				if ((rc = strace_long_line(&st, base + start)) < 0)
					goto out;
			} else {
				struct arena_mark m = arena_mark(ctx->scratch);
				unsigned hints = 0;
				/* One search of the buffer for escape bytes and
				 * for strace's diagnostics finds the few lines
				 * that can hold them. */
				if (esc_at < start)
					esc_at = strace_buf_find(buf, start,
					    have, "\x1b", 1);
				if (diag_at < start)
					diag_at = strace_buf_find(buf, start,
					    have, STRACE_DIAG, STRACE_DIAG_LEN);
				if (esc_at <= start + k)
					hints |= STRACE_LINE_ESC;
				if (diag_at <= start + k)
					hints |= STRACE_LINE_DIAG;
				rc = strace_line(&st, (const char *)buf + start,
				    k, base + start, hints, &clean);
				arena_rewind(ctx->scratch, m);
				if (rc < 0)
					goto out;
			}
			start += k + (nl != NULL);
		}
		if (eof)
			break;
		if (!skipping && have - start > LIM_TEXT_LINE) {
			if ((rc = strace_long_line(&st, base + start)) < 0)
				goto out;
			skipping = true;
		}
		if (skipping) {
			start = have; /* drop the rest of the long line */
		}
		memmove(buf, buf + start, have - start);
		base += start;
		have -= start;
		esc_at = diag_at = 0; /* stale: searched again */
		if (ctx->progress)
			ctx->progress(ctx->progress_user, base + have);
	}
	/* Calls still unfinished at the end are rows without a return. */
	for (i = 0; i < st.pend.cap; i++) {
		struct strace_pending *pd = strace_pending_at(&st, i);
		struct strace_lead ld;
		struct strace_ret none;
		if (!pd->h.used)
			continue;
		memset(&ld, 0, sizeof(ld));
		ld.tid = pd->h.tid;
		ld.ts = pd->enter_ts;
		ld.tsq = pd->enter_ts == EV_TS_NONE ? TSQ_ORDINAL :
						      TSQ_DATE_INFERRED;
		memset(&none, 0, sizeof(none));
		if ((rc = strace_call(&st, &ld,
			 strace_jdup(&st, pd->name, strlen(pd->name)),
			 (struct span){ pd->args, strlen(pd->args) }, &none,
			 pd->enter_ts, EV_TS_NONE, pd->off, pd->len, 0, 0,
			 pd->args)) < 0)
			goto out;
	}
	if (st.ord == 0) {
		rc = dd_err_set_at(e, DD_EFORMAT, 0,
		    "'%s' holds no strace records", ctx->src->name);
		goto out;
	}
	if (st.lineno > 0 && ctx->anomalies * 2 > st.lineno) {
		rc = dd_err_set_at(e, DD_EFORMAT, 0,
		    "'%s' is not strace output: %" PRIu64 " of %" PRIu64
		    " lines cannot be parsed",
		    ctx->src->name, ctx->anomalies, st.lineno);
		goto out;
	}
	rc = strace_emit_procs(&st, e);
out:
	if (rc == DD_ELIMIT && (e == NULL || e->code == 0))
		dd_err_set(e, DD_ELIMIT, "more than %u anomalies: not strace "
					 "output",
		    LIM_ANOMALIES);
	strace_release(&st);
	sbuf_release(&clean);
	free(buf);
	return rc;
}

const struct importer imp_strace = {
	.abi = INGEST_ABI,
	.name = "strace",
	.version = "1",
	.summary = "strace text output (-f, -ff, -t/-tt/-ttt, -r, -T, -y/-yy, "
		   "-Y, -x, -X, -n, -i, -k)",
	.kind = EV_SYSCALL,
	.flags = 0,
	.sniff = imp_strace_sniff,
	.import = imp_strace_import,
	.options = imp_strace_options,
	.zlevel = 1,
};
