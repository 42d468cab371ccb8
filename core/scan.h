/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scan.h: finding bytes in text spans, 16 bytes a step (SSE2, which every
 * x86-64 has; a byte a step elsewhere and in a span's last 15 bytes). For
 * the parsers' inner loops, where fields are a few to a few dozen bytes:
 * a call to memchr costs more than the search.
 *
 * Invariants: nothing is read outside [s, end).
 */
#ifndef CORE_SCAN_H
#define CORE_SCAN_H

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The first byte of [s, end) equal to a or b, or end. */
static inline const char *
scan_to2(const char *s, const char *end, char a, char b)
{
#ifdef __SSE2__
	const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);

	while (end - s >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		    _mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)));
		if (m != 0)
			return s + __builtin_ctz(m);
		s += 16;
	}
#endif
	while (s < end && *s != a && *s != b)
		s++;
	return s;
}

/* The first byte of [s, end) equal to a, or end. */
static inline const char *
scan_to(const char *s, const char *end, char a)
{
	return scan_to2(s, end, a, a);
}

#endif /* CORE_SCAN_H */
