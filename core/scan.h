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

#include <stdbool.h>

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

/* The first byte of [s, end) that is a quote or a bracket ('"', '(',
 * ')', '[', ']', '{', '}', '<', '>'), or with comma also ',', or end.
 * Pairs share one compare: '(' and ')' differ in bit 0, '<' and '>' in
 * bit 1, '[' and '{' (and ']' and '}') in bit 5. */
static inline const char *
scan_to_bracket(const char *s, const char *end, bool comma)
{
#ifdef __SSE2__
	const __m128i b0 = _mm_set1_epi8(1), b1 = _mm_set1_epi8(2),
		      b5 = _mm_set1_epi8(0x20), paren = _mm_set1_epi8(')'),
		      angle = _mm_set1_epi8('>'), open = _mm_set1_epi8('{'),
		      close = _mm_set1_epi8('}'), quote = _mm_set1_epi8('"'),
		      sep = _mm_set1_epi8(comma ? ',' : '"');

	while (end - s >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		__m128i x5 = _mm_or_si128(x, b5);
		__m128i m = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(_mm_or_si128(x, b0), paren),
			_mm_cmpeq_epi8(_mm_or_si128(x, b1), angle)),
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x5, open),
				     _mm_cmpeq_epi8(x5, close)),
			_mm_or_si128(_mm_cmpeq_epi8(x, quote),
			    _mm_cmpeq_epi8(x, sep))));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits != 0)
			return s + __builtin_ctz(bits);
		s += 16;
	}
#endif
	for (; s < end; s++)
		switch (*s) {
		case '"': case '(': case ')': case '[': case ']': case '{':
		case '}': case '<': case '>':
			return s;
		case ',':
			if (comma)
				return s;
			break;
		default:
			break;
		}
	return s;
}

#endif /* CORE_SCAN_H */
