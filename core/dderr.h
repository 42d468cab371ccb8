/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dderr.h: the error vocabulary of drydock.
 *
 * A function that can fail returns int: 0 on success, a negative DD_E*
 * code on failure, and fills the struct dd_err passed last. The message is
 * a fixed buffer (no allocation) and keeps the first root cause; callers
 * add context while unwinding with dd_err_prefix(). e may be NULL.
 *
 * Messages follow git's style: lowercase, no trailing period, the subject
 * in single quotes, offsets for input errors.
 */
#ifndef CORE_DDERR_H
#define CORE_DDERR_H

#include <stdint.h>

enum dd_errcode {
	DD_OK = 0,
	DD_EIO = -1,	   /* I/O error */
	DD_EFORMAT = -2,   /* malformed input */
	DD_ETRUNC = -3,	   /* input ended early */
	DD_ELIMIT = -4,	   /* a cap in limits.h was exceeded */
	DD_ESQL = -5,	   /* SQLite error */
	DD_EUNSUP = -6,	   /* unsupported variant */
	DD_EUSAGE = -7,	   /* bad invocation */
	DD_EINTERNAL = -8, /* internal error */
	DD_EEXIST = -9,	   /* the thing already exists (not always an error) */
	DD_ECORRUPT = -10, /* the case store failed verification */
	DD_ENOTFOUND = -11, /* no such artifact, finding or row */
	DD_ERETRY = -12,   /* an optimistic import must be redone in full */
};

struct dd_err {
	int code;	    /* first DD_E* recorded, 0 if none */
	int64_t offset;	    /* input offset of the problem, -1 if none */
	char msg[512];	    /* NUL-terminated, possibly truncated */
};

#define DD_ERR_INIT { 0, -1, { 0 } }

/* Record code and message unless an error is already held; returns code. */
int dd_err_set(struct dd_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, also recording an input offset. */
int dd_err_set_at(struct dd_err *e, int code, int64_t off, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));
/* Prepend "context: " to the message; returns e->code (or DD_EINTERNAL). */
int dd_err_prefix(struct dd_err *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Forget any held error. */
void dd_err_clear(struct dd_err *e);
/* A short name for a code ("format error"). Static storage. */
const char *dd_err_name(int code);

#endif
