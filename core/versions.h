/* SPDX-License-Identifier: Apache-2.0 */
/*
 * versions.h: version comparison per package ecosystem, for matching
 * installed packages against offline vulnerability records (OSV).
 *
 * Each scheme follows its published rules; where a rule cannot give a
 * total order the choice made is written next to it:
 *
 * VER_DPKG    [epoch:]upstream[-revision], Debian policy 5.6.12: the
 *             epoch (before the first ':', missing = 0) numerically, then
 *             upstream and revision (after the last '-', missing = "")
 *             with dpkg's verrevcmp: non-digit runs by character, '~'
 *             before everything (even the end), letters before other
 *             bytes; digit runs numerically. Leading and trailing ASCII
 *             space is ignored, as dpkg does. Bytes >= 0x80 order as on
 *             the reference build (amd64, signed char): after letters,
 *             before ASCII punctuation. An empty (or all-space) version
 *             is a missing one and sorts below every other, as in
 *             dpkg --compare-versions, which this agrees with.
 * VER_APK     apk-tools: digit{.digit}...{letter}{_suffix{N}}...{~hash}
 *             {-rN}; _alpha _beta _pre _rc before the release, _cvs _svn
 *             _git _hg _p after it; a dotted component with a leading 0
 *             compares as a string. Versions are compared token by token
 *             up to the first invalid token; where apk-tools calls two
 *             invalid versions equal (both go bad at the same token) the
 *             tie is broken by the generic rule, so distinct hostile
 *             strings do not match each other. ver_cmp_fuzzy() gives the
 *             '~' (prefix) comparison of apk dependencies.
 * VER_RPM     [epoch:]version[-release], rpmvercmp: runs of ASCII letters
 *             or digits, other bytes separate; '~' sorts before
 *             everything, '^' after the end but before anything else;
 *             digits beat letters. Epoch only when digits precede the
 *             first ':' (missing = 0); release after the last '-'. A
 *             missing release compares as "" (rpm itself skips the release
 *             when either side lacks one, which is not an order).
 * VER_PEP440  N!release[{a|b|rc}N][.postN][.devN][+local], with the
 *             spellings PEP 440 normalises (alpha, beta, c, pre, preview,
 *             -N, rev, r, separators, case, a leading 'v', surrounding
 *             space). Order: epoch, release (trailing zeros ignored),
 *             dev < pre < release < post, local after public (numeric
 *             local segments after alphanumeric ones).
 * VER_SEMVER  SemVer 2.0.0: major.minor.patch numerically, a prerelease
 *             below its release, identifiers numeric < alphanumeric, a
 *             shorter identifier list lower, build metadata ignored.
 *             Tolerated: a leading 'v' or 'V' (Go), and Go's shorthands
 *             "v1" and "v1.2" (= v1.0.0, v1.2.0) when nothing follows.
 *             Go pseudo-versions are ordinary prereleases.
 * VER_MAVEN   Maven 3.9 ComparableVersion: items split on '.', '-' and
 *             digit/letter transitions, '-' and transitions open sublists;
 *             qualifiers alpha = a1 < beta = b1 < milestone = m1 < rc = cr
 *             < snapshot < "" = ga = final = release < sp < unknown ones
 *             (lexically); trailing null items trimmed per list. Case is
 *             folded for ASCII only; only ASCII digits are digits. Like
 *             Maven's own, this order is not transitive in corner cases
 *             (1 < 1-x < 1-0-snapshot < 1); we keep Maven's answers.
 * VER_GENERIC digit and non-digit runs in turn: digits numerically, other
 *             runs bytewise (a prefix first); a digit run before a
 *             non-digit run; the shorter string first when one ends.
 *
 * PEP 440 and SemVer compare a pair by the generic rule when either side
 * is invalid in the scheme.
 *
 * Caps and guarantees: inputs are NUL-terminated strings of any bytes
 * (NULL reads as ""). Strings longer than VER_MAX_LEN (1024) bytes, in any
 * scheme, are compared by the generic rule only, and ver_valid() calls
 * them invalid. Digit runs of any length compare exactly (by length after
 * leading zeros, then bytes); nothing overflows. Comparison takes time
 * linear in the input, allocates nothing (Maven parses into a bounded
 * array on the stack, about 8 KiB a side) and returns -1, 0 or 1. Within
 * one scheme and the cap the result is a total preorder, except across
 * the valid/invalid boundary of PEP 440 and SemVer and across the cap,
 * where the generic fallback takes over, and for Maven (above).
 */
#ifndef CORE_VERSIONS_H
#define CORE_VERSIONS_H

#include <stdbool.h>

#define VER_MAX_LEN 1024

enum ver_scheme {
	VER_DPKG = 1,
	VER_APK,
	VER_RPM,
	VER_PEP440,
	VER_SEMVER,
	VER_MAVEN,
	VER_GENERIC
};

/*
 * The scheme of an OSV ecosystem name, spelled as OSV does
 * (case-sensitive); a ":suffix" ("Debian:12", "Alpine:v3.18") is ignored.
 * VER_GENERIC for NULL and unknown names. RubyGems maps to VER_MAVEN
 * (the closest: "1.0.0.rc1" < "1.0.0"), NuGet and Packagist to VER_SEMVER.
 */
enum ver_scheme ver_scheme_of(const char *ecosystem);

/* Compare a and b under scheme s: -1, 0 or 1. An unknown s compares by
 * the generic rule. */
int ver_cmp(enum ver_scheme s, const char *a, const char *b);

/*
 * As ver_cmp, except that for VER_APK a version whose tokens begin with
 * all of b's tokens compares equal to b (apk's fuzzy '~' match: "3.6.9"
 * ~ "3.6"). Other schemes: exactly ver_cmp.
 */
int ver_cmp_fuzzy(enum ver_scheme s, const char *a, const char *b);

/* Whether v is a syntactically valid version in scheme s (for warnings;
 * ver_cmp accepts anything). VER_GENERIC and VER_MAVEN accept any
 * non-empty string of printable ASCII without space (Maven also refuses
 * the characters \ / : " < > | ? *). */
bool ver_valid(enum ver_scheme s, const char *v);

#endif
