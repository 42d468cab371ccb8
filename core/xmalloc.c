/* SPDX-License-Identifier: Apache-2.0 */
/* xmalloc.c: aborting allocators; see xmalloc.h. */
#include "core/common.h"
#include "core/xmalloc.h"

#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define XBIG_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define XBIG_PLAIN 1
#endif
#endif
#define XBIG_HUGE ((size_t)2 << 20)
#define XBIG_MIN ((size_t)256 << 10)

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

/* The mapped length of a table of nmemb * size bytes (0: calloc'd). */
static size_t
xbig_len(size_t nmemb, size_t size)
{
#ifdef XBIG_PLAIN
	(void)nmemb;
	(void)size;
	return 0;
#else
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n) || n < XBIG_MIN ||
	    n > SIZE_MAX - XBIG_HUGE)
		return 0;
	if (n < XBIG_HUGE)
		return (n + 4095) & ~(size_t)4095;
	return (n + XBIG_HUGE - 1) & ~(XBIG_HUGE - 1);
#endif
}

void *
xbigcalloc(size_t nmemb, size_t size)
{
	size_t len = xbig_len(nmemb, size), lead;
	uint8_t *m, *p;

	if (len == 0)
		return xcalloc(nmemb, size);
	if (len < XBIG_HUGE) {
		/* populated in one call, not a fault per page */
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED)
			xmalloc_die(len);
		return p;
	}
	/* a huge-page aligned span inside a mapping one huge page longer */
	m = mmap(NULL, len + XBIG_HUGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		xmalloc_die(len);
	p = (uint8_t *)(((uintptr_t)m + XBIG_HUGE - 1) & ~(XBIG_HUGE - 1));
	lead = (size_t)(p - m);
	if (lead > 0)
		munmap(m, lead);
	if (XBIG_HUGE - lead > 0)
		munmap(p + len, XBIG_HUGE - lead);
	(void)madvise(p, len, MADV_HUGEPAGE); /* advice: may be refused */
	return p;
}

void
xbigfree(void *p, size_t nmemb, size_t size)
{
	size_t len = xbig_len(nmemb, size);

	if (p == NULL)
		return;
	if (len == 0)
		free(p);
	else
		munmap(p, len);
}
