/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-adfa.c: ADFA-LD system call traces (FORMATS.md section 3.1).
 *
 * Reference: the ADFA-LD dataset (UNSW Canberra, 2013) as republished in
 * verazuo/a-labelled-version-of-the-ADFA-LD-dataset (ADFA-LD.zip); the
 * loader LID-DS/LID-DS:dataloader/dataloader_adfa_ld.py.
 *
 *   ADFA-LD/Training_Data_Master/UTD-0001.txt           split training
 *   ADFA-LD/Validation_Data_Master/UVD-0001.txt         split validation
 *   ADFA-LD/Attack_Data_Master/<Type>_<n>/UAD-....txt   split attack
 *
 *   trace := ( decimal ' ' )*        i386 syscall numbers, one trace per
 *                                    file, a trailing space, no newline
 *
 * Three inputs: the whole zip (one archive artifact; one member artifact
 * per file, the traces parsed), one trace file, or a trace file of an
 * unpacked copy (a directory input makes each file a group member). Labels
 * come from the directory layout only, never from file names (attack file
 * names are irregular: "UAD-Adduser-1-=1.txt"): split, label and, for
 * attacks, attack_class (<Type>) and attack_run (<n>).
 *
 * Events: kind syscall, the i386 name (arch i386), no times (ts_quality
 * ordinal), ord = the position in the trace from 0. A number outside the
 * i386 table is kept as "syscall_0x..." (strace's spelling) and counted as
 * an anomaly; a token that is not a number is an anomaly naming the
 * member and the offset, and is skipped. A single file in which most
 * tokens are not numbers is not a trace: rejected.
 */
#include "core/common.h"

#include <pthread.h>

#include "core/dderr.h"
#include "core/event.h"
#include "core/limits.h"
#include "core/rd.h"
#include "core/sink.h"
#include "core/syscalls.h"
#include "ingest/ingest.h"
#include "ingest/members.h"

#define IMP_ADFA_BLOCK (64u * 1024u)
/* Digits of the largest number taken as a syscall number (more is an
 * unknown number, not an overflow). */
#define IMP_ADFA_DIGITS 9

static const char *const imp_adfa_splits[][3] = {
	/* directory, split, label */
	{ "Training_Data_Master", "training", "normal" },
	{ "Validation_Data_Master", "validation", "normal" },
	{ "Attack_Data_Master", "attack", "attack" },
};

/* One trace being parsed. */
struct imp_adfa_trace {
	struct imp_ctx *ctx;
	int64_t id;	    /* artifact of its events */
	const char *name;   /* for messages */
	bool byref;	    /* offsets refer into the stored original */
	uint64_t ord;	    /* next event's position */
	uint64_t bad;	    /* tokens that are not numbers */
	/* the token being read */
	bool in_tok;
	bool tok_bad;
	int ndigits;
	int64_t val;
	uint64_t tok_off;
	uint32_t tok_len;
	struct event_rec ev; /* the record, set up once (ev_ready) */
	bool ev_ready;
};

/* Does component [p, p+n) equal s? */
static bool
imp_adfa_is(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

/*
 * The labels a path implies: *split is the imp_adfa_splits row or -1;
 * for attacks, the <Type>_<n> directory below Attack_Data_Master gives
 * class (its text before the last '_') and run (after it).
 */
static void
imp_adfa_layout(const char *path, int *split, const char **cls, size_t *clen,
    const char **run, size_t *rlen)
{
	const char *p = path, *slash;
	size_t n, i;

	*split = -1;
	*cls = *run = NULL;
	*clen = *rlen = 0;
	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (*split == 2 && *cls == NULL) {
			const char *us = NULL;
			for (i = 0; i < n; i++)
				if (p[i] == '_')
					us = p + i;
			if (us != NULL && us > p) {
				*cls = p;
				*clen = (size_t)(us - p);
				*run = us + 1;
				*rlen = n - *clen - 1;
			} else {
				*cls = p;
				*clen = n;
			}
		}
		for (i = 0; i < ARRAY_SIZE(imp_adfa_splits); i++)
			if (imp_adfa_is(p, n, imp_adfa_splits[i][0])) {
				*split = (int)i;
				*cls = *run = NULL;
			}
		p = slash + 1;
	}
}

static int
imp_adfa_labels(struct imp_ctx *ctx, int64_t id, const char *path,
    struct dd_err *e)
{
	const char *cls, *run;
	size_t clen, rlen;
	char buf[256];
	int split, rc;

	imp_adfa_layout(path, &split, &cls, &clen, &run, &rlen);
	if (split < 0)
		return 0;
	if ((rc = ingest_label(ctx, id, "dataset", "ADFA-LD", e)) < 0 ||
	    (rc = ingest_label(ctx, id, "split", imp_adfa_splits[split][1],
		 e)) < 0 ||
	    (rc = ingest_label(ctx, id, "label", imp_adfa_splits[split][2],
		 e)) < 0)
		return rc;
	if (cls != NULL && clen > 0 && clen < sizeof(buf)) {
		memcpy(buf, cls, clen);
		buf[clen] = '\0';
		if ((rc = ingest_label(ctx, id, "attack_class", buf, e)) < 0)
			return rc;
	}
	if (run != NULL && rlen > 0 && rlen < sizeof(buf)) {
		memcpy(buf, run, rlen);
		buf[rlen] = '\0';
		if ((rc = ingest_label(ctx, id, "attack_run", buf, e)) < 0)
			return rc;
	}
	return 0;
}

/* The event of one syscall (t->ev holds what every record shares). */
static int
imp_adfa_emit(struct imp_adfa_trace *t, const char *name, int nr, bool has_nr,
    uint64_t off, uint32_t len, struct dd_err *e)
{
	struct event_rec *ev = &t->ev;

	ev->ord = t->ord++;
	ev->name = name;
	ev->nr = nr;
	ev->has_nr = has_nr;
	if (t->byref) {
		ev->src_off[0] = off;
		ev->src_len[0] = len;
	}
	return t->ctx->sink->ops->event(t->ctx->sink, t->id, ev, e);
}

/* The current token ended: emit it or record why not. */
static int
imp_adfa_token(struct imp_adfa_trace *t, struct dd_err *e)
{
	struct event_rec *ev = &t->ev;
	char unk[24];
	const char *name = NULL;
	int rc;

	t->in_tok = false;
	if (t->tok_bad) {
		t->bad++;
		return ingest_anomaly_on(t->ctx, t->id, (int64_t)t->tok_off,
		    "trace '%s': a token that is not a decimal number at "
		    "offset %" PRIu64,
		    t->name, t->tok_off);
	}
	if (t->ndigits <= IMP_ADFA_DIGITS)
		name = sc_name(SC_ARCH_I386, (int)t->val);
	if (name == NULL) {
		rc = ingest_anomaly_on(t->ctx, t->id, (int64_t)t->tok_off,
		    "trace '%s': syscall number %s%" PRId64
		    " at offset %" PRIu64 " is not in the i386 table",
		    t->name, t->ndigits > IMP_ADFA_DIGITS ? ">" : "", t->val,
		    t->tok_off);
		if (rc < 0)
			return rc;
		sc_unknown_name(t->ndigits <= IMP_ADFA_DIGITS ? (int)t->val : -1,
		    unk);
		name = unk;
	}
	if (!t->ev_ready) {
		/* every record differs only in ord, name and source span */
		memset(ev, 0, sizeof(*ev));
		ev->kind = EVK_SYSCALL;
		ev->arch = SC_ARCH_I386;
		ev->enter_ts = ev->exit_ts = EV_TS_NONE;
		ev->ts_quality = TSQ_ORDINAL;
		ev->pid = ev->tid = -1;
		t->ev_ready = true;
	}
	return imp_adfa_emit(t, name, (int)t->val, name != unk, t->tok_off,
	    t->tok_len, e);
}

/* Separators between numbers. */
static const bool imp_adfa_sp[256] = {
	[' '] = true, ['\n'] = true, ['\r'] = true, ['\t'] = true,
};

/* Is c a separator between numbers? */
static inline bool
imp_adfa_space(uint8_t c)
{
	return imp_adfa_sp[c];
}

/* The i386 names of numbers below IMP_ADFA_NAMES, by number (NULL: none):
 * one load per syscall where sc_name takes a call and three (filled once,
 * by the first import). */
#define IMP_ADFA_NAMES 1024
static const char *imp_adfa_names[IMP_ADFA_NAMES];
static pthread_once_t imp_adfa_names_once = PTHREAD_ONCE_INIT;

static void
imp_adfa_names_fill(void)
{
	for (int i = 0; i < IMP_ADFA_NAMES; i++)
		imp_adfa_names[i] = sc_name(SC_ARCH_I386, i);
}

/*
 * Feed block p[0..n) at stream offset off. An index loop bounded by n (the
 * block is the reader's span); a token's digits are gathered in locals, as
 * the trace's state would otherwise be reloaded for every byte.
 */
static int
imp_adfa_feed(struct imp_adfa_trace *t, const uint8_t *p, size_t n,
    uint64_t off, struct dd_err *e)
{
	size_t i = 0, j;
	const char *name;
	int nd, rc;
	int64_t v;
	bool bad;

	pthread_once(&imp_adfa_names_once, imp_adfa_names_fill);
	while (i < n) {
		if (imp_adfa_space(p[i])) {
			if (t->in_tok && (rc = imp_adfa_token(t, e)) < 0)
				return rc;
			i++;
			continue;
		}
		if (!t->in_tok) {
			/* the common case: a number that ends in this block,
			 * its digits gathered in one tight loop */
			uint64_t u = 0;
			unsigned d;
			size_t lim = MIN(n, i + IMP_ADFA_DIGITS);
			for (j = i; j < lim && (d = (unsigned)p[j] - '0') < 10;
			     j++)
				u = u * 10 + d;
			if (j > i && j < n && imp_adfa_space(p[j]) &&
			    t->ev_ready && u < IMP_ADFA_NAMES &&
			    (name = imp_adfa_names[u]) != NULL) {
				/* a number of the table: the event straight
				 * away (imp_adfa_token's common case) */
				if ((rc = imp_adfa_emit(t, name, (int)u, true,
					 off + i, (uint32_t)(j - i), e)) < 0)
					return rc;
				i = j + 1;
				continue;
			}
			if (j > i && j < n && imp_adfa_space(p[j])) {
				t->in_tok = true;
				t->tok_bad = false;
				t->ndigits = (int)(j - i);
				t->val = (int64_t)u;
				t->tok_off = off + i;
				t->tok_len = (uint32_t)(j - i);
				if ((rc = imp_adfa_token(t, e)) < 0)
					return rc;
				i = j + 1;
				continue;
			}
			t->in_tok = true;
			t->tok_bad = false;
			t->ndigits = 0;
			t->val = 0;
			t->tok_off = off + i;
			t->tok_len = 0;
		}
		nd = t->ndigits;
		v = t->val;
		bad = t->tok_bad;
		for (j = i; j < n && !imp_adfa_space(p[j]); j++) {
			uint8_t c = p[j];
			if (c < '0' || c > '9')
				bad = true;
			else if (nd <= IMP_ADFA_DIGITS && ++nd <= IMP_ADFA_DIGITS)
				v = v * 10 + (c - '0');
		}
		/* nd saturates one past the digits a number may have */
		t->ndigits = nd;
		t->val = v;
		t->tok_bad = bad;
		t->tok_len = j - i >= UINT32_MAX - t->tok_len ?
		    UINT32_MAX : t->tok_len + (uint32_t)(j - i);
		i = j;
	}
	return 0;
}

static int
imp_adfa_end(struct imp_adfa_trace *t, struct dd_err *e)
{
	if (t->in_tok)
		return imp_adfa_token(t, e);
	return 0;
}

/* One trace member of an archive. */
static int
imp_adfa_member(struct imp_ctx *ctx, struct ingest_ar *ar,
    const struct ingest_ar_entry *ent, bool trace, struct dd_err *e)
{
	const char *fmt = trace ? "adfa" : "raw";
	struct imp_adfa_trace t;
	uint8_t sha[SHA256_LEN];
	const uint8_t *p;
	uint64_t off = 0, size;
	size_t n;
	int64_t id;
	int rc;

	if ((rc = ingest_member_begin(ctx, ent->name, fmt, &id, e)) < 0)
		return rc;
	if (trace && (rc = imp_adfa_labels(ctx, id, ent->name, e)) < 0)
		return rc;
	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.id = id;
	t.name = ent->name;
	while (trace) {
		if ((rc = ingest_ar_read(ar, &p, &n, e)) < 0)
			goto damaged;
		if (n == 0)
			break;
		if ((rc = imp_adfa_feed(&t, p, n, off, e)) < 0)
			return rc;
		off += n;
	}
	if (trace && (rc = imp_adfa_end(&t, e)) < 0)
		return rc;
	if ((rc = ingest_ar_finish(ar, sha, &size, e)) < 0)
		goto damaged;
	return ingest_member_end(ctx, id, ent->name, fmt, size, sha, e);
damaged:
	/* Keep what was read: the member ends where the archive broke. */
	if (rc == DD_EFORMAT || rc == DD_ETRUNC) {
		int rc2;
		ingest_ar_partial(ar, sha, &size);
		if ((rc2 = ingest_member_end(ctx, id, ent->name, fmt, size, sha,
			 NULL)) < 0)
			return rc2;
	}
	return rc;
}

/* Is this archive path a trace of the ADFA-LD layout? */
static bool
imp_adfa_is_trace(const char *name)
{
	const char *cls, *run;
	size_t clen, rlen, n = strlen(name);
	int split;

	imp_adfa_layout(name, &split, &cls, &clen, &run, &rlen);
	return split >= 0 && n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

static int
imp_adfa_archive(struct imp_ctx *ctx, const uint8_t *head, size_t hn,
    struct dd_err *e)
{
	struct ingest_ar *ar = NULL;
	struct ingest_ar_entry ent;
	uint64_t traces = 0;
	int rc;

	if ((rc = ingest_ar_open(ctx, head, hn, &ar, e)) < 0)
		return rc;
	for (;;) {
		struct dd_err me = DD_ERR_INIT;
		rc = ingest_ar_next(ar, &ent, &me);
		if (rc == 1 && !ent.is_file)
			continue;
		if (rc == 1) {
			bool tr = imp_adfa_is_trace(ent.name);
			rc = imp_adfa_member(ctx, ar, &ent, tr, &me);
			traces += tr;
			if (rc == 0)
				continue;
		}
		if (rc == 0)
			break;
		/* A damaged or truncated archive after some members: what
		 * came before is evidence; record where it broke. */
		if ((rc == DD_EFORMAT || rc == DD_ETRUNC) && traces > 0) {
			rc = ingest_anomaly(ctx, me.offset, "%s", me.msg);
			break;
		}
		if (e != NULL && e->code == 0)
			*e = me;
		break;
	}
	if (rc == 0 && traces == 0)
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' holds no trace of the ADFA-LD layout "
		    "(*_Data_Master/.../*.txt)",
		    ctx->src->name);
	ingest_ar_free(ar);
	return rc < 0 ? rc : 0;
}

static bool
imp_adfa_archive_magic(const uint8_t *p, size_t n)
{
	struct rd r;
	uint32_t m;

	rd_init(&r, p, n, 0);
	m = rd_be32(&r);
	if (!rd_ok(&r))
		return false;
	return m == 0x504b0304 || ingest_filter_magic(p, n) != NULL ||
	    (n >= 262 && memcmp(p + 257, "ustar", 5) == 0);
}

static int
imp_adfa_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct imp_adfa_trace t;
	const uint8_t *p;
	uint64_t off = 0;
	size_t got;
	int rc;

	/* The head decides: an archive, or one trace. */
	if ((rc = ingest_src_view(ctx, IMP_ADFA_BLOCK, &p, &got, e)) < 0)
		return rc;
	if (imp_adfa_archive_magic(p, got))
		return imp_adfa_archive(ctx, p, got, e);

	memset(&t, 0, sizeof(t));
	t.ctx = ctx;
	t.id = ctx->artifact_id;
	t.name = ctx->src->name;
	t.byref = ctx->src->filter == NULL;
	if ((rc = imp_adfa_labels(ctx, t.id, ctx->src->name, e)) < 0)
		return rc;
	while (got > 0) {
		if ((rc = imp_adfa_feed(&t, p, got, off, e)) < 0)
			return rc;
		off += got;
		if (ctx->progress)
			ctx->progress(ctx->progress_user, off);
		if ((rc = ingest_src_view(ctx, IMP_ADFA_BLOCK, &p, &got, e)) <
		    0)
			return rc;
	}
	if ((rc = imp_adfa_end(&t, e)) < 0)
		return rc;
	if (t.ord == 0 || t.bad > t.ord)
		return dd_err_set_at(e, DD_EFORMAT, 0,
		    "'%s' is not an ADFA-LD trace: %" PRIu64
		    " decimal syscall numbers, %" PRIu64 " other tokens",
		    ctx->src->name, t.ord, t.bad);
	return 0;
}

/* Does [p, p+n) contain s? */
static bool
imp_adfa_has(const uint8_t *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s)) != NULL;
}

static int
imp_adfa_sniff(const uint8_t *head, size_t n, const char *basename)
{
	const uint8_t *name;
	size_t len, i, toks = 0, digits = 0;
	bool in = false;
	struct rd r;
	int score;

	if (ingest_zip_first_name(head, n, &name, &len)) {
		if ((len >= 8 && memcmp(name, "ADFA-LD/", 8) == 0) ||
		    imp_adfa_has(name, len, "_Data_Master/"))
			return 64;
		/* The layout's directories among the first headers. */
		if (imp_adfa_has(head, n, "Training_Data_Master/") ||
		    imp_adfa_has(head, n, "Attack_Data_Master/"))
			return 48;
		return 0;
	}
	/* A text of space-separated decimals, each a plausible number. */
	rd_init(&r, head, n, 0);
	for (i = 0; i < n; i++) {
		uint8_t c = rd_u8(&r);
		if (c >= '0' && c <= '9') {
			if (!in)
				toks++;
			in = true;
			if (++digits > 3)
				return 0;
		} else if (c == ' ' || c == '\n') {
			in = false;
			digits = 0;
		} else {
			return 0;
		}
	}
	if (toks < 4)
		return 0;
	score = toks >= 16 ? 32 : 16;
	if (strncmp(basename, "UTD-", 4) == 0 ||
	    strncmp(basename, "UVD-", 4) == 0 ||
	    strncmp(basename, "UAD-", 4) == 0)
		score += 8;
	return score;
}

const struct importer imp_adfa = {
	.abi = INGEST_ABI,
	.name = "adfa",
	.version = "1",
	.summary = "ADFA-LD syscall traces: the dataset zip (a member per "
		   "trace, labels from its layout), or one trace",
	.kind = EV_SYSCALL,
	.flags = IMP_CONTAINER,
	.sniff = imp_adfa_sniff,
	.import = imp_adfa_import,
	.options = NULL,
	.zlevel = 0,
};
