/* SPDX-License-Identifier: Apache-2.0 */
/* xmalloc.c: aborting allocators; see xmalloc.h. */
#include "core/common.h"
#include "core/xmalloc.h"

DD_NORETURN static void
xmalloc_die(size_t n)
{
	fprintf(stderr, "drydock: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p;

	if (n == 0)
		BUG("zero-size allocation");
	if ((p = malloc(n)) == NULL)
		xmalloc_die(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		BUG("zero-size allocation");
	if ((p = calloc(nmemb, size)) == NULL)
		xmalloc_die(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q;

	if (n == 0)
		BUG("zero-size allocation");
	if ((q = realloc(p, n)) == NULL)
		xmalloc_die(n);
	return q;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	size_t n;

	if (ckd_mul(&n, nmemb, size))
		BUG("allocation size overflow");
	return xrealloc(p, n);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0)
		xmalloc_die(strlen(fmt));
	va_end(ap);
	return p;
}
