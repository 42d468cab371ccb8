/* SPDX-License-Identifier: Apache-2.0 */
/* dderr.c: error recording; see dderr.h. */
#include "core/common.h"
#include "core/dderr.h"

static void
dd_err_vset(struct dd_err *e, int code, int64_t off, const char *fmt,
    va_list ap)
{
	if (e == NULL || e->code != 0)
		return;
	e->code = code;
	e->offset = off;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int
dd_err_set(struct dd_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dd_err_vset(e, code, -1, fmt, ap);
	va_end(ap);
	return code;
}

int
dd_err_set_at(struct dd_err *e, int code, int64_t off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dd_err_vset(e, code, off, fmt, ap);
	va_end(ap);
	return code;
}

int
dd_err_prefix(struct dd_err *e, const char *fmt, ...)
{
	char pre[256], old[sizeof(e->msg)];
	va_list ap;

	if (e == NULL)
		return DD_EINTERNAL;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	{
		size_t pl = strlen(pre), ol = strlen(old);
		size_t cap = sizeof(e->msg) - 1;
		size_t k = MIN(pl, cap);
		memcpy(e->msg, pre, k);
		if (k + 2 <= cap) {
			memcpy(e->msg + k, ": ", 2);
			k += 2;
		}
		ol = MIN(ol, cap - k);
		memcpy(e->msg + k, old, ol);
		e->msg[k + ol] = '\0';
	}
	if (e->code == 0)
		e->code = DD_EINTERNAL;
	return e->code;
}

void
dd_err_clear(struct dd_err *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->offset = -1;
	e->msg[0] = '\0';
}

const char *
dd_err_name(int code)
{
	switch (code) {
	case DD_OK: return "ok";
	case DD_EIO: return "i/o error";
	case DD_EFORMAT: return "format error";
	case DD_ETRUNC: return "truncated input";
	case DD_ELIMIT: return "limit exceeded";
	case DD_ESQL: return "database error";
	case DD_EUNSUP: return "unsupported";
	case DD_EUSAGE: return "usage error";
	case DD_EEXIST: return "already exists";
	case DD_ECORRUPT: return "case corrupt";
	case DD_ENOTFOUND: return "not found";
	case DD_ERETRY: return "retry";
	default: return "internal error";
	}
}

void
dd_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

void
dd_die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("drydock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}
