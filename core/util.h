/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util.h: small shared helpers: hex, SHA-256 (core/sha.c), time,
 * safe display of evidence text, number parsing, files.
 *
 * Invariants: nothing here prints; display escaping is the one place that
 * decides how evidence text may reach a terminal or a report.
 */
#ifndef CORE_UTIL_H
#define CORE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sbuf;
struct dd_err;

#define SHA256_LEN 32
#define SHA256_HEX 65 /* 64 digits and a NUL */

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void hex_encode(const uint8_t *p, size_t n, char *out);
/* The value of one hex digit, or -1. */
int hex_digit(int c);
/* A fast 64-bit hash of p[0..n) (8 bytes a step; never 0) for in-memory
 * tables. Not stable across versions: never store it. seed varies it. */
uint64_t hash64(uint64_t seed, const void *p, size_t n);
/* Parse exactly 2n hex digits; false on any other input. */
bool hex_decode(const char *s, uint8_t *out, size_t n);

/* An incremental SHA-256 (owned; sha_free releases). */
struct sha;
struct sha *sha_new(void);
void sha_update(struct sha *s, const void *p, size_t n);
/* Finish into out[32]; the context is reset for reuse. */
void sha_final(struct sha *s, uint8_t out[SHA256_LEN]);
void sha_free(struct sha *s);
/* One-shot digest. */
void sha256(const void *p, size_t n, uint8_t out[SHA256_LEN]);
/* out = SHA-256(p, n), and p[0..n) fed to s: one pass over the bytes
 * (two interleaved states, core/sha.c) when s is block-aligned, i.e. when
 * it has been fed a multiple of 64 bytes; two passes otherwise. */
void sha_update_digest(struct sha *s, const void *p, size_t n,
    uint8_t out[SHA256_LEN]);
/* Whether SHA-256 runs on the CPU's SHA extensions (not with
 * DRYDOCK_SHA=openssl); otherwise OpenSSL's libcrypto computes it. */
bool sha_accelerated(void);
/* Tests: new contexts (and one-shot digests) use OpenSSL when on, the
 * SHA extensions (if any) when off. */
void sha_force_openssl(bool on);

/* Nanoseconds since the epoch, now, or DRYDOCK_NOW (RFC 3339 or integer
 * ns) when set, so tests are deterministic. */
int64_t time_now_ns(void);
/* Nanoseconds of the monotonic clock (intervals, deadlines). */
int64_t mono_ns(void);
/* RFC 3339 UTC with nanoseconds ("2024-01-02T03:04:05.000000006Z"). */
void time_fmt_ns(int64_t ns, char out[40]);
/* Parse RFC 3339 (Z or +hh:mm) or integer ns; false when malformed. */
bool time_parse(const char *s, int64_t *ns);
/* Parse a clock offset: [+-]N[ns|us|ms|s|m|h] (default seconds). */
bool time_parse_offset(const char *s, int64_t *ns);

/* write(2) all of p[0..n) (retrying short writes and EINTR, in pieces of
 * at most 8 MiB): 0, or -1 with errno set. */
int write_all(int fd, const void *p, size_t n);

/* Strict integer parsers: whole string, range-checked. */
bool parse_i64(const char *s, int64_t *v);
bool parse_u64(const char *s, uint64_t *v);

/*
 * Append p[0..n) to sb for display: valid UTF-8 printable text is kept,
 * control bytes and invalid bytes become \xNN (ESC is "\x1b"), backslash
 * doubled. Never fails except by the sbuf's cap.
 */
int esc_display(struct sbuf *sb, const void *p, size_t n);
/* Decode the UTF-8 sequence at p[0..n) (n >= 1): its length (1..4) and
 * code point, or 0 when it is not valid UTF-8 (overlongs, surrogates and
 * values past U+10FFFF included). */
size_t utf8_decode(const uint8_t *p, size_t n, uint32_t *cp);
/* "12.3 MiB"-style size for people (bytes below 1 KiB as "N B"). */
void fmt_bytes(uint64_t n, char *out, size_t cap);
/* True when p[0..n) is valid UTF-8 (no overlongs, no surrogates). */
bool utf8_valid(const void *p, size_t n);

/* Whole-file helpers for small trusted files (config, expectations). */
int file_read_all(const char *path, size_t max, char **out, size_t *len,
    struct dd_err *e);
/* True when fd is a terminal. */
bool is_tty(int fd);

/*
 * The container id a cgroup path names, if any: a 64-hex id after
 * "docker/", "docker-", "cri-containerd-", "crio-", "libpod-", "/kubepods"
 * paths and the like (the last 64-hex run in the path). out gets the
 * lower-case id. Pure; used by the scap, /proc and core importers.
 */
bool cgroup_container_id(const char *path, size_t n, char out[65]);

#endif
