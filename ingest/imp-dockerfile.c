/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-dockerfile.c: Dockerfiles, so that an image's history steps map
 * back to the lines that made them (ingest/dockerfile.h, the
 * `dockerfile_steps` view).
 *
 * Grammar (Dockerfile reference): parser directives ("# escape=`",
 * "# syntax=...") before anything else; comment lines ('#' first); an
 * instruction is a word and its arguments, continued onto the next line
 * by the escape character at the end of a line (comment and empty lines
 * inside a continuation are dropped); BuildKit heredocs ("RUN <<EOF",
 * "<<-EOF", quoted terminators) run to their terminator line; FROM opens
 * a build stage ("FROM image AS name"). One record per instruction: its
 * first and last line, stage, instruction, arguments (continuations
 * joined with a space, heredoc bodies with newlines) and match key.
 *
 * A line that is not an instruction is an anomaly; a file with no
 * instruction, or whose first instruction is neither FROM nor ARG, is not
 * a Dockerfile (rejected).
 */
#include "core/common.h"

#include <ctype.h>
#include <string.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sbuf.h"
#include "core/sink.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/dockerfile.h"
#include "ingest/ingest.h"
#include "ingest/members.h"

#define DF_ARGS_MAX (1u << 20)
#define DF_HEREDOCS 8

static const char *const df_words_all[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
	"HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
	"STOPSIGNAL", "USER", "VOLUME", "WORKDIR", NULL,
};

/* The instruction at the start of p[0..n) (upper-cased into w), its
 * length in *wl; NULL when there is none. */
static const char *
imp_df_instr(const uint8_t *p, size_t n, char w[16], size_t *wl)
{
	size_t i = 0;

	while (i < n && i < 15 && isalpha(p[i])) {
		w[i] = (char)toupper(p[i]);
		i++;
	}
	w[i] = 0;
	if (i == 0 || (i < n && !isspace(p[i])))
		return NULL;
	*wl = i;
	for (int k = 0; df_words_all[k]; k++)
		if (strcmp(w, df_words_all[k]) == 0)
			return df_words_all[k];
	return NULL;
}

static int
imp_df_sniff(const uint8_t *head, size_t n, const char *basename)
{
	size_t i = 0;
	bool named = basename != NULL &&
	    (strncmp(basename, "Dockerfile", 10) == 0 ||
		strncmp(basename, "Containerfile", 13) == 0 ||
		(strlen(basename) > 11 &&
		    strcmp(basename + strlen(basename) - 11, ".Dockerfile") ==
			0));

	/* Skip comments and blank lines; the first instruction decides. */
	while (i < n) {
		size_t e = i, wl;
		char w[16];
		const char *in;
		while (e < n && head[e] != '\n')
			e++;
		while (i < e && (head[i] == ' ' || head[i] == '\t'))
			i++;
		if (i < e && head[i] != '#' && head[i] != '\r') {
			in = imp_df_instr(head + i, e - i, w, &wl);
			if (in == NULL)
				return 0;
			if (strcmp(in, "FROM") == 0)
				return named ? 60 : 40;
			if (strcmp(in, "ARG") == 0)
				return named ? 50 : 24;
			return 0;
		}
		i = e + 1;
	}
	return 0;
}

struct imp_df {
	struct imp_ctx *ctx;
	struct sbuf args, key, stage_name;
	char instr[16];
	int64_t line, end, stage;
	bool open;
	char esc;
	/* heredoc terminators still to see */
	char *hd[DF_HEREDOCS];
	bool hd_strip[DF_HEREDOCS];
	int nhd;
};

static int
imp_df_emit(struct imp_df *d, struct dd_err *e)
{
	struct sink *k = d->ctx->sink;
	struct net_rec r;

	if (!d->open)
		return 0;
	d->open = false;
	while (d->args.len > 0 && isspace((unsigned char)d->args.buf[d->args.len - 1]))
		d->args.buf[--d->args.len] = 0;
	if (strcmp(d->instr, "FROM") == 0) {
		/* "FROM image [AS name]" opens a stage. */
		const char *as = NULL, *p = d->args.buf;
		d->stage++;
		sbuf_reset(&d->stage_name);
		while ((p = strchr(p, ' ')) != NULL) {
			p++;
			if (strncasecmp(p, "as ", 3) == 0) {
				as = p + 3;
				break;
			}
		}
		if (as != NULL)
			sbuf_addstr(&d->stage_name, as);
	}
	df_key(d->instr, d->args.buf, &d->key);
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < NR_NI; i++)
		r.i[i] = NR_NULL;
	r.kind = NR_DFLINE;
	r.i[DF_LINE] = d->line;
	r.i[DF_END] = d->end;
	r.i[DF_STAGE] = d->stage;
	r.s[DFS_INSTR] = d->instr;
	r.s[DFS_ARGS] = d->args.buf;
	r.s[DFS_KEY] = d->key.buf;
	r.s[DFS_STAGE_NAME] = d->stage_name.len ? d->stage_name.buf : NULL;
	return k->ops->net == NULL ? 0 :
	    k->ops->net(k, d->ctx->artifact_id, &r, e);
}

/* Note the heredoc terminators "<<EOF", "<<-EOF", "<<'EOF'" in text. */
static void
imp_df_heredocs(struct imp_df *d, const char *s)
{
	while ((s = strstr(s, "<<")) != NULL && d->nhd < DF_HEREDOCS) {
		bool strip = false;
		const char *b;
		size_t n = 0;
		char q = 0;
		s += 2;
		if (*s == '-') {
			strip = true;
			s++;
		}
		if (*s == '"' || *s == '\'')
			q = *s++;
		b = s;
		while (b[n] && (isalnum((unsigned char)b[n]) || b[n] == '_'))
			n++;
		if (n == 0)
			continue;
		if (q && b[n] != q)
			continue;
		d->hd[d->nhd] = xstrndup(b, n);
		d->hd_strip[d->nhd] = strip;
		d->nhd++;
		s = b + n;
	}
}

static void
imp_df_release(struct imp_df *d)
{
	for (int i = 0; i < d->nhd; i++)
		free(d->hd[i]);
	d->nhd = 0;
	sbuf_release(&d->args);
	sbuf_release(&d->key);
	sbuf_release(&d->stage_name);
}

static int
imp_df_import(struct imp_ctx *ctx, struct dd_err *e)
{
	struct imp_df d;
	struct ingest_lines l;
	const uint8_t *p;
	size_t n;
	uint64_t off;
	int64_t lineno = 0, ninstr = 0;
	bool cut, directives = true, cont = false;
	int rc;

	memset(&d, 0, sizeof(d));
	d.ctx = ctx;
	d.esc = '\\';
	d.stage = -1;
	sbuf_init(&d.args, DF_ARGS_MAX);
	sbuf_init(&d.key, DF_ARGS_MAX + 64);
	sbuf_init(&d.stage_name, 4096);
	ingest_lines_init(&l, ingest_read_src, ctx);
	while ((rc = ingest_lines_next(&l, &p, &n, &off, &cut, e)) > 0) {
		size_t i = 0;
		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (d.nhd > 0) {
			/* Inside a heredoc: the terminator line ends it. */
			size_t s = 0;
			if (d.hd_strip[0])
				while (s < n && p[s] == '\t')
					s++;
			if (n - s == strlen(d.hd[0]) &&
			    memcmp(p + s, d.hd[0], n - s) == 0) {
				free(d.hd[0]);
				memmove(d.hd, d.hd + 1,
				    (size_t)(d.nhd - 1) * sizeof(*d.hd));
				memmove(d.hd_strip, d.hd_strip + 1,
				    (size_t)(d.nhd - 1) * sizeof(*d.hd_strip));
				d.nhd--;
			}
			sbuf_addch(&d.args, '\n');
			sbuf_add(&d.args, p, n);
			d.end = lineno;
			if (d.nhd == 0 && (rc = imp_df_emit(&d, e)) < 0)
				break;
			continue;
		}
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (i < n && p[i] == '#') {
			/* A parser directive (only before anything else). */
			if (directives && n - i > 8 &&
			    memcmp(p + i + 1, " escape=", 8) == 0 &&
			    i + 9 < n && (p[i + 9] == '`' || p[i + 9] == '\\'))
				d.esc = (char)p[i + 9];
			continue;
		}
		if (i == n) {
			directives = false;
			continue;
		}
		directives = false;
		if (!cont) {
			char w[16];
			size_t wl;
			const char *in = imp_df_instr(p + i, n - i, w, &wl);
			if (in == NULL) {
				struct sbuf disp = SBUF_INIT;
				sbuf_init(&disp, 400);
				esc_display(&disp, p + i, MIN(n - i, (size_t)80));
				rc = ingest_anomaly(ctx, (int64_t)off,
				    "line %" PRId64 " is not an instruction: "
				    "'%s'", lineno, disp.buf);
				sbuf_release(&disp);
				if (rc < 0)
					break;
				continue;
			}
			if (ninstr == 0 && strcmp(in, "FROM") != 0 &&
			    strcmp(in, "ARG") != 0) {
				rc = dd_err_set_at(e, DD_EFORMAT, (int64_t)off,
				    "'%s' is not a Dockerfile: its first "
				    "instruction is %s, not FROM or ARG",
				    ctx->src->name, in);
				break;
			}
			ninstr++;
			snprintf(d.instr, sizeof(d.instr), "%s", in);
			sbuf_reset(&d.args);
			d.line = lineno;
			d.open = true;
			i += wl;
			while (i < n && (p[i] == ' ' || p[i] == '\t'))
				i++;
		} else {
			sbuf_addch(&d.args, ' ');
		}
		d.end = lineno;
		cont = n > i && p[n - 1] == (uint8_t)d.esc;
		if (sbuf_add(&d.args, p + i, cont ? n - 1 - i : n - i) < 0) {
			rc = dd_err_set_at(e, DD_ELIMIT, (int64_t)off,
			    "'%s': instruction at line %" PRId64
			    " longer than %u bytes", ctx->src->name, d.line,
			    DF_ARGS_MAX);
			break;
		}
		if (!cont) {
			imp_df_heredocs(&d, d.args.buf);
			if (d.nhd == 0 && (rc = imp_df_emit(&d, e)) < 0)
				break;
		}
	}
	if (rc >= 0 && d.open) {
		if (d.nhd > 0)
			rc = ingest_anomaly(ctx, -1,
			    "the heredoc of line %" PRId64 " never ends", d.line);
		if (rc >= 0)
			rc = imp_df_emit(&d, e);
	}
	if (rc >= 0 && ninstr == 0)
		rc = dd_err_set(e, DD_EFORMAT,
		    "'%s' holds no Dockerfile instruction", ctx->src->name);
	ingest_lines_release(&l);
	imp_df_release(&d);
	return rc < 0 ? rc : 0;
}

const struct importer imp_dockerfile = {
	.abi = INGEST_ABI,
	.name = "dockerfile",
	.version = "1",
	.summary = "Dockerfiles (Containerfiles): instructions by line and "
		   "stage, matched to image history steps",
	.kind = EV_IMAGE,
	.flags = 0,
	.sniff = imp_df_sniff,
	.import = imp_df_import,
	.options = NULL,
	.zlevel = 0,
};
