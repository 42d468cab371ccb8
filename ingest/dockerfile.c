/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dockerfile.c: history step and Dockerfile line keys (dockerfile.h).
 */
#include "core/common.h"

#include <ctype.h>
#include <string.h>

#include "core/sbuf.h"
#include "ingest/dockerfile.h"

static const char *const df_instrs[] = {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
	"HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
	"STOPSIGNAL", "USER", "VOLUME", "WORKDIR", NULL,
};

/* The instruction word at p (upper-cased into w), or NULL. */
static const char *
df_instr_at(const char *p, char w[16], const char **rest)
{
	size_t n = 0;

	while (p[n] && !isspace((unsigned char)p[n]) && n < 15) {
		w[n] = (char)toupper((unsigned char)p[n]);
		n++;
	}
	w[n] = 0;
	if (p[n] && !isspace((unsigned char)p[n]))
		return NULL;
	for (int i = 0; df_instrs[i]; i++)
		if (strcmp(w, df_instrs[i]) == 0) {
			*rest = p + n;
			return df_instrs[i];
		}
	return NULL;
}

/* Append text with JSON punctuation dropped and blanks collapsed. */
static void
df_words(struct sbuf *out, const char *s, bool drop_json)
{
	bool sp = false;

	for (; *s; s++) {
		char c = *s;
		if (drop_json && (c == '[' || c == ']' || c == '"' || c == ','))
			c = ' ';
		if (c == '\\' && drop_json && s[1] == '"') {
			sbuf_addch(out, '"');
			s++;
			continue;
		}
		if (isspace((unsigned char)c)) {
			sp = out->len > 0;
			continue;
		}
		if (sp)
			sbuf_addch(out, ' ');
		sp = false;
		sbuf_addch(out, c);
	}
}

static const char *
df_skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Skip leading --flag[=value] options. */
static const char *
df_skip_flags(const char *s)
{
	s = df_skip_ws(s);
	while (s[0] == '-' && s[1] == '-') {
		while (*s && !isspace((unsigned char)*s))
			s++;
		s = df_skip_ws(s);
	}
	return s;
}

/* Skip a build-argument prefix "|N A=1 B=2 " (N words after it). */
static const char *
df_skip_buildargs(const char *s)
{
	long n = 0;

	s = df_skip_ws(s);
	if (*s != '|')
		return s;
	s++;
	while (isdigit((unsigned char)*s) && n < 10000)
		n = n * 10 + (*s++ - '0');
	while (n-- > 0) {
		s = df_skip_ws(s);
		while (*s && !isspace((unsigned char)*s))
			s++;
	}
	return df_skip_ws(s);
}

void
df_key(const char *instr, const char *args, struct sbuf *out)
{
	char w[16];
	size_t i;

	sbuf_reset(out);
	for (i = 0; instr[i] && i < sizeof(w) - 1; i++)
		w[i] = (char)toupper((unsigned char)instr[i]);
	w[i] = 0;
	sbuf_addstr(out, w);
	sbuf_addch(out, ' ');
	if (strcmp(w, "RUN") == 0) {
		const char *a = df_skip_flags(args);
		if (strncmp(a, "/bin/sh -c ", 11) == 0)
			a += 11;
		df_words(out, a, *a == '[');
	} else if (strcmp(w, "COPY") == 0 || strcmp(w, "ADD") == 0) {
		/* The destination: the last word (of a JSON form too). */
		struct sbuf tmp = SBUF_INIT;
		const char *last;
		sbuf_init(&tmp, SBUF_MAX_DEFAULT);
		df_words(&tmp, df_skip_flags(args), true);
		last = strrchr(tmp.buf, ' ');
		last = last ? last + 1 : tmp.buf;
		i = strlen(last);
		while (i > 1 && last[i - 1] == '/')
			i--;
		sbuf_add(out, last, i);
		sbuf_release(&tmp);
	} else {
		df_words(out, args, true);
	}
	while (out->len > 0 && out->buf[out->len - 1] == ' ')
		out->buf[--out->len] = 0;
}

bool
df_history_key(const char *created_by, struct sbuf *out)
{
	struct sbuf cb = SBUF_INIT;
	const char *p, *rest = NULL, *instr;
	char w[16];
	bool ok = false;

	sbuf_reset(out);
	if (created_by == NULL)
		return false;
	sbuf_init(&cb, SBUF_MAX_DEFAULT);
	sbuf_addstr(&cb, created_by);
	/* " # buildkit" ends BuildKit's entries. */
	while (cb.len > 0 && isspace((unsigned char)cb.buf[cb.len - 1]))
		cb.buf[--cb.len] = 0;
	if (cb.len >= 10 && strcmp(cb.buf + cb.len - 10, "# buildkit") == 0) {
		cb.len -= 10;
		cb.buf[cb.len] = 0;
	}
	p = df_skip_buildargs(cb.buf);
	if (strncmp(p, "/bin/sh -c #(nop)", 17) == 0) {
		/* Classic builder metadata: "#(nop) INSTR args". */
		p = df_skip_ws(p + 17);
		instr = df_instr_at(p, w, &rest);
	} else if (strncmp(p, "/bin/sh -c ", 11) == 0) {
		instr = "RUN";
		rest = p + 11;
	} else {
		instr = df_instr_at(p, w, &rest);
		if (instr != NULL && strcmp(instr, "RUN") == 0) {
			rest = df_skip_buildargs(rest);
			if (strncmp(rest, "/bin/sh -c ", 11) == 0)
				rest += 11;
		}
	}
	if (instr != NULL) {
		df_key(instr, rest, out);
		ok = true;
	}
	sbuf_release(&cb);
	return ok;
}
