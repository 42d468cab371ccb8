/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netproto.c: application-protocol parsers over one payload; see netproto.h.
 *
 * References:
 * - DNS: RFC 1035 section 4.1 (message format), 4.1.1 (header), 4.1.2
 *   (question), 4.1.3 (resource record), 4.1.4 (compression) and 2.3.4
 *   (a name is at most 255 octets on the wire, a label at most 63); RFC
 *   3596 section 2.2 (AAAA), RFC 6895 section 2.3 (rcodes), RFC 5952
 *   section 4 (IPv6 text).
 * - HTTP/1.x: RFC 9110 section 5 (fields), 9.1 (methods), 15 (status
 *   codes); RFC 9112 section 3 (request line), 4 (status line), 5 (field
 *   syntax).
 * - TLS: RFC 8446 section 4 (handshake header), 4.1.2 (ClientHello), 4.2
 *   (extensions), 4.2.1 (supported_versions), 5.1 (record layer); RFC
 *   6066 section 3 (server_name); RFC 7301 section 3.1 (ALPN); RFC 8701
 *   (GREASE values, ignored when picking the highest version).
 * - DHCP: RFC 2131 section 2 (message format), 3 (magic cookie), 4.1
 *   (option overload); RFC 2132 sections 3.14 (12 host name), 9.1 (50
 *   requested address), 9.3 (52 overload), 9.6 (53 message type), 9.7 (54
 *   server identifier); RFC 4388 and 6926 (lease query message types).
 *
 * DNS message (RFC 1035 4.1.1), names as labels or 2-byte pointers:
 *
 *    0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   |                      ID                       |
 *   |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 *   |          QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT   |  4 x 16 bits
 *   +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 *   question: NAME QTYPE(16) QCLASS(16)
 *   record:   NAME TYPE(16) CLASS(16) TTL(32) RDLENGTH(16) RDATA
 *   label:    00LLLLLL + L bytes | 11PPPPPP PPPPPPPP (pointer to offset P)
 *
 * A compression pointer may point anywhere in the message, also forward,
 * so a name follows at most NP_DNS_JUMPS pointers and stops at 255 wire
 * bytes (counted over all the labels it reads, whichever pointers led
 * there): every name costs O(NP_DNS_JUMPS + 255) steps whatever the input.
 *
 * TLS record and ClientHello (RFC 8446 5.1, 4.1.2):
 *
 *   record:    type(8)=22 legacy_record_version(16) length(16)
 *   handshake: msg_type(8)=1 length(24)
 *   hello:     legacy_version(16) random[32] session_id<0..32>
 *              cipher_suites<2..2^16-2> compression<1..2^8-1>
 *              extensions<8..2^16-1>: { type(16) data<0..2^16-1> }
 *
 * BOOTP/DHCP (RFC 2131 2):
 *
 *   op htype hlen hops | xid(32) | secs(16) flags(16) | ciaddr yiaddr
 *   siaddr giaddr (32 each) | chaddr[16] | sname[64] | file[128] |
 *   magic cookie 99.130.83.99 | options: code(8) [len(8) data]
 *
 * All text goes through struct np_txt, which writes into a fixed buffer,
 * escapes evidence bytes and, when a field does not fit, cuts it at a unit
 * boundary (never inside an escape) and ends it with "...".
 */
#include "core/common.h"

#include "core/rd.h"
#include "ingest/netproto.h"

#define NP_DNS_JUMPS 64		/* compression pointers followed per name */
#define NP_DNS_NAME_WIRE 255	/* RFC 1035 2.3.4 */

/* ---- bounded, escaping text output ---- */

struct np_txt {
	char *buf;   /* caller's buffer */
	size_t cap;  /* its size, at least 4 */
	size_t len;  /* bytes written, buf[len] == 0 */
	size_t safe; /* a unit boundary where "..." still fits */
	bool cut;    /* the text was cut; nothing more is written */
};

static void
np_txt_init(struct np_txt *t, char *buf, size_t cap)
{
	t->buf = buf;
	t->cap = cap;
	t->len = 0;
	t->safe = 0;
	t->cut = false;
	buf[0] = '\0';
}

/* Append one unit (a character or an escape) whole, or cut the text. */
static void
np_txt_unit(struct np_txt *t, const char *s, size_t k)
{
	if (t->cut)
		return;
	if (k <= t->cap - 1 - t->len) {
		memcpy(t->buf + t->len, s, k);
		t->len += k;
		if (t->len + 3 <= t->cap - 1)
			t->safe = t->len;
	} else {
		t->len = t->safe;
		memcpy(t->buf + t->len, "...", 3);
		t->len += 3;
		t->cut = true;
	}
	t->buf[t->len] = '\0';
}

/* Our own text (trusted, printable). */
static void
np_txt_lit(struct np_txt *t, const char *s)
{
	for (; *s != '\0'; s++)
		np_txt_unit(t, s, 1);
}

/* One evidence byte: printable ASCII as is, else \xNN; a backslash as \\.
 * `also` (0 for none) is a printable byte escaped as \xNN as well. */
static void
np_txt_byte(struct np_txt *t, uint8_t c, uint8_t also)
{
	static const char hex[] = "0123456789abcdef";
	char e[4];

	if (c == '\\') {
		np_txt_unit(t, "\\\\", 2);
	} else if (c >= 0x20 && c < 0x7f && (also == 0 || c != also)) {
		e[0] = (char)c;
		np_txt_unit(t, e, 1);
	} else {
		e[0] = '\\';
		e[1] = 'x';
		e[2] = hex[c >> 4];
		e[3] = hex[c & 15];
		np_txt_unit(t, e, 4);
	}
}

static void
np_txt_bytes(struct np_txt *t, const uint8_t *p, size_t n, uint8_t also)
{
	size_t i;

	for (i = 0; i < n && !t->cut; i++)
		np_txt_byte(t, p[i], also);
}

static void
np_txt_uint(struct np_txt *t, unsigned long v)
{
	char b[24];

	snprintf(b, sizeof(b), "%lu", v);
	np_txt_lit(t, b);
}

static void
np_ipv4(char out[16], const uint8_t a[4])
{
	snprintf(out, 16, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* RFC 5952 section 4: lowercase, no leading zeros, the longest run (the
 * first of equals) of two or more zero groups as "::"; ::ffff:a.b.c.d for
 * IPv4-mapped addresses. */
static void
np_ipv6(struct np_txt *t, const uint8_t a[16])
{
	unsigned g[8];
	int i, best = -1, bestlen = 0, run = 0;
	char b[8];

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 &&
	    g[5] == 0xffff) {
		char v4[16];

		np_ipv4(v4, a + 12);
		np_txt_lit(t, "::ffff:");
		np_txt_lit(t, v4);
		return;
	}
	for (i = 0; i < 8; i++) {
		run = g[i] == 0 ? run + 1 : 0;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	if (bestlen < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (i == best) {
			np_txt_lit(t, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			np_txt_lit(t, ":");
		snprintf(b, sizeof(b), "%x", g[i]);
		np_txt_lit(t, b);
	}
}

/* Case-insensitive: does p[0..n) equal s? */
static bool
np_ieq(const uint8_t *p, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t a = p[i], b = (uint8_t)s[i];

		if (b == '\0')
			return false;
		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b)
			return false;
	}
	return s[n] == '\0';
}

/* Does p[0..n) start with s (case-sensitive)? */
static bool
np_prefix(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);

	return n >= k && memcmp(p, s, k) == 0;
}

/* Does p[0..n) contain s? */
static bool
np_contains(const uint8_t *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s)) != NULL;
}

/* The whole input as one borrowed span (NULL, 0 when empty). */
static const uint8_t *
np_span(const uint8_t *p, size_t n)
{
	struct rd r;
	const uint8_t *s;

	if (p == NULL || n == 0)
		return NULL;
	rd_init(&r, p, n, 0);
	if (rd_bytes(&r, n, &s) != 0)
		return NULL;
	return s;
}

/* The next line of r without its LF (and CR). A last line without LF is
 * returned with *cut set (without a final CR too). False at the end of r. */
static bool
np_line(struct rd *r, const uint8_t **line, size_t *len, bool *cut)
{
	struct rd probe = *r;

	if (rd_left(r) == 0)
		return false;
	if (rd_until(&probe, '\n', line, len) == 0) {
		*r = probe;
		*cut = false;
	} else {
		*len = rd_left(r);
		*cut = true;
		if (rd_bytes(r, *len, line) != 0)
			return false;
	}
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	return true;
}

/* ---- DNS (RFC 1035) ---- */

static const struct {
	uint16_t type;
	const char *name;
} np_dns_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 12, "PTR" },
	{ 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 17, "RP" },
	{ 18, "AFSDB" }, { 24, "SIG" }, { 25, "KEY" }, { 28, "AAAA" },
	{ 29, "LOC" }, { 33, "SRV" }, { 35, "NAPTR" }, { 36, "KX" },
	{ 37, "CERT" }, { 39, "DNAME" }, { 41, "OPT" }, { 42, "APL" },
	{ 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" },
	{ 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" },
	{ 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 53, "SMIMEA" }, { 55, "HIP" },
	{ 59, "CDS" }, { 60, "CDNSKEY" }, { 61, "OPENPGPKEY" },
	{ 62, "CSYNC" }, { 63, "ZONEMD" }, { 64, "SVCB" }, { 65, "HTTPS" },
	{ 99, "SPF" }, { 249, "TKEY" }, { 250, "TSIG" }, { 251, "IXFR" },
	{ 252, "AXFR" }, { 255, "ANY" }, { 256, "URI" }, { 257, "CAA" },
};

static void
np_dns_type_name(uint16_t type, char *out, size_t cap)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(np_dns_types); i++) {
		if (np_dns_types[i].type == type) {
			snprintf(out, cap, "%s", np_dns_types[i].name);
			return;
		}
	}
	snprintf(out, cap, "TYPE%u", (unsigned)type);
}

const char *
np_dns_rcode_name(int rcode)
{
	static const char *const names[] = { "NOERROR", "FORMERR",
		"SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
		"YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11",
		"RCODE12", "RCODE13", "RCODE14", "RCODE15", "BADVERS",
		"BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG",
		"BADTRUNC", "BADCOOKIE" };

	if (rcode < 0 || (size_t)rcode >= ARRAY_SIZE(names))
		return "RCODE?";
	return names[rcode];
}

/*
 * Decode the name at r's cursor in the message msg[0..n) into t (may be
 * NULL to skip it). r moves past the name where it starts (past the first
 * pointer, if any). 0 ok, -1 malformed or cut (t keeps what was read).
 */
static int
np_dns_name(const uint8_t *msg, size_t n, struct rd *r, struct np_txt *t)
{
	struct rd cur = *r;
	const uint8_t *lab;
	size_t wire = 0, off;
	int jumps = 0;
	bool jumped = false, first = true;
	uint8_t len, lo;

	for (;;) {
		len = rd_u8(&cur);
		if (!rd_ok(&cur))
			goto bad;
		if ((len & 0xc0) == 0xc0) {
			lo = rd_u8(&cur);
			if (!rd_ok(&cur))
				goto bad;
			if (!jumped) {
				*r = cur;
				jumped = true;
			}
			if (++jumps > NP_DNS_JUMPS)
				return -1;
			off = (size_t)(len & 0x3f) << 8 | lo;
			rd_init(&cur, msg, n, 0);
			if (rd_skip(&cur, off) != 0)
				return -1;
			continue;
		}
		if (len & 0xc0) /* extended (0x40) and reserved (0x80) */
			goto bad;
		wire += (size_t)len + 1;
		if (wire > NP_DNS_NAME_WIRE)
			goto bad;
		if (len == 0)
			break;
		if (rd_bytes(&cur, len, &lab) != 0)
			goto bad;
		if (t != NULL) {
			if (!first)
				np_txt_lit(t, ".");
			/* A dot inside a label would read as a separator. */
			np_txt_bytes(t, lab, len, '.');
		}
		first = false;
	}
	if (!jumped)
		*r = cur;
	return 0;
bad:
	if (!jumped)
		*r = cur;
	return -1;
}

/* One resource record's data as "TYPE data" into t. rr is confined to the
 * RDATA; at is a reader over the whole message at the RDATA start (names
 * in RDATA may point anywhere in the message). */
static void
np_dns_rdata(const uint8_t *msg, size_t n, uint16_t type, struct rd *rr,
    struct rd *at, struct np_txt *t)
{
	char tn[NP_SHORT_MAX];
	const uint8_t *b;
	size_t rdlen = rd_left(rr);
	uint8_t k;
	bool any = false;

	np_dns_type_name(type, tn, sizeof(tn));
	np_txt_lit(t, tn);
	np_txt_lit(t, " ");
	switch (type) {
	case 1: /* A */
		if (rdlen != 4 || rd_bytes(rr, 4, &b) != 0)
			break;
		{
			char v4[16];

			np_ipv4(v4, b);
			np_txt_lit(t, v4);
		}
		return;
	case 28: /* AAAA */
		if (rdlen != 16 || rd_bytes(rr, 16, &b) != 0)
			break;
		np_ipv6(t, b);
		return;
	case 2: /* NS */
	case 5: /* CNAME */
	case 12: /* PTR */
	case 39: /* DNAME */
		if (np_dns_name(msg, n, at, t) == 0)
			return;
		np_txt_lit(t, "?");
		return;
	case 15: /* MX */
		if (rdlen < 3)
			break;
		np_txt_uint(t, rd_be16(at));
		np_txt_lit(t, " ");
		if (np_dns_name(msg, n, at, t) != 0)
			np_txt_lit(t, "?");
		return;
	case 16: /* TXT: one or more <length><bytes> strings */
		while (rd_left(rr) > 0) {
			k = rd_u8(rr);
			if (rd_bytes(rr, k, &b) != 0) {
				np_txt_lit(t, any ? " ?" : "?");
				return;
			}
			np_txt_lit(t, any ? " \"" : "\"");
			np_txt_bytes(t, b, k, '"');
			np_txt_lit(t, "\"");
			any = true;
		}
		return;
	default:
		break;
	}
	np_txt_lit(t, "<");
	np_txt_uint(t, (unsigned long)rdlen);
	np_txt_lit(t, " bytes>");
}

/* Skip or read count records of r; false when cut short. */
static bool
np_dns_records(const uint8_t *msg, size_t n, struct rd *r, unsigned count,
    struct np_txt *ans)
{
	struct rd rr, at;
	uint16_t type;
	size_t rdlen;
	unsigned i;

	for (i = 0; i < count; i++) {
		if (np_dns_name(msg, n, r, NULL) != 0)
			return false;
		type = rd_be16(r);
		(void)rd_be16(r); /* class */
		(void)rd_be32(r); /* ttl */
		rdlen = rd_be16(r);
		at = *r;
		if (rd_sub(r, rdlen, &rr) != 0)
			return false;
		if (ans != NULL) {
			if (ans->len > 0)
				np_txt_lit(ans, ",");
			np_dns_rdata(msg, n, type, &rr, &at, ans);
		}
	}
	return true;
}

int
np_dns_parse(const uint8_t *p, size_t n, struct np_dns *out)
{
	struct np_txt q, ans;
	struct rd r;
	uint16_t flags, nscount, arcount;
	unsigned i;

	memset(out, 0, sizeof(*out));
	if (p == NULL || n < 12)
		return 0;
	rd_init(&r, p, n, 0);
	out->id = rd_be16(&r);
	flags = rd_be16(&r);
	out->qdcount = rd_be16(&r);
	out->ancount = rd_be16(&r);
	nscount = rd_be16(&r);
	arcount = rd_be16(&r);
	out->response = (flags & 0x8000) != 0;
	out->opcode = (flags >> 11) & 0xf;
	out->rcode = flags & 0xf;
	out->truncated = (flags & 0x0200) != 0;
	np_txt_init(&q, out->qname, sizeof(out->qname));
	np_txt_init(&ans, out->answers, sizeof(out->answers));

	for (i = 0; i < out->qdcount; i++) {
		uint16_t type;

		if (np_dns_name(p, n, &r, i == 0 ? &q : NULL) != 0)
			goto cut;
		type = rd_be16(&r);
		(void)rd_be16(&r); /* class */
		if (!rd_ok(&r))
			goto cut;
		if (i == 0) {
			out->qtype = type;
			np_dns_type_name(type, out->qtype_name,
			    sizeof(out->qtype_name));
		}
	}
	if (!np_dns_records(p, n, &r, out->ancount, &ans) ||
	    !np_dns_records(p, n, &r, nscount, NULL) ||
	    !np_dns_records(p, n, &r, arcount, NULL))
		goto cut;
	return 1;
cut:
	out->truncated = true;
	return 1;
}

/* ---- HTTP/1.x (RFC 9110, RFC 9112) ---- */

static const char *const np_http_methods[] = { "GET", "POST", "HEAD", "PUT",
	"DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE" };

/* The method token at the start of p[0..n) followed by a space, or NULL. */
static const char *
np_http_method(const uint8_t *p, size_t n)
{
	size_t i, k;

	for (i = 0; i < ARRAY_SIZE(np_http_methods); i++) {
		k = strlen(np_http_methods[i]);
		if (n > k && memcmp(p, np_http_methods[i], k) == 0 &&
		    p[k] == ' ')
			return np_http_methods[i];
	}
	return NULL;
}

/* "HTTP/1.d" exactly. */
static bool
np_http_version(const uint8_t *p, size_t n)
{
	return n == 8 && memcmp(p, "HTTP/1.", 7) == 0 && p[7] >= '0' &&
	    p[7] <= '9';
}

/* A field value without the surrounding optional whitespace. */
static void
np_http_trim(const uint8_t **v, size_t *n)
{
	while (*n > 0 && ((*v)[0] == ' ' || (*v)[0] == '\t')) {
		(*v)++;
		(*n)--;
	}
	while (*n > 0 && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
		(*n)--;
}

static int64_t
np_http_length(const uint8_t *v, size_t n)
{
	int64_t x = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (ckd_mul(&x, x, 10) || ckd_add(&x, x, v[i] - '0'))
			return -1;
	}
	return x;
}

/* Copy a field value once (the first occurrence wins). */
static void
np_http_field(char *dst, size_t cap, bool *seen, const uint8_t *v, size_t n)
{
	struct np_txt t;

	if (*seen)
		return;
	*seen = true;
	np_txt_init(&t, dst, cap);
	np_txt_bytes(&t, v, n, 0);
}

int
np_http_parse(const uint8_t *p, size_t n, struct np_http *out)
{
	const uint8_t *line, *v, *sp;
	const char *m;
	struct np_txt t;
	struct rd r;
	size_t len, k, i;
	bool cut, seen_host = false, seen_ua = false, seen_ct = false,
		  seen_cl = false;

	memset(out, 0, sizeof(*out));
	out->content_length = -1;
	if (p == NULL || n == 0)
		return 0;
	rd_init(&r, p, n, 0);
	if (!np_line(&r, &line, &len, &cut))
		return 0;

	if (len >= 12 && memcmp(line, "HTTP/1.", 7) == 0) {
		/* status-line = HTTP-version SP status-code SP [reason] */
		if (!np_http_version(line, 8) || line[8] != ' ' ||
		    line[9] < '1' || line[9] > '9' || line[10] < '0' ||
		    line[10] > '9' || line[11] < '0' || line[11] > '9' ||
		    (len > 12 && line[12] != ' '))
			return 0;
		out->request = false;
		np_txt_init(&t, out->version, sizeof(out->version));
		np_txt_bytes(&t, line, 8, 0);
		out->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 +
		    (line[11] - '0');
		if (len > 13) {
			np_txt_init(&t, out->reason, sizeof(out->reason));
			np_txt_bytes(&t, line + 13, len - 13, 0);
		}
	} else {
		/* request-line = method SP request-target SP HTTP-version */
		m = np_http_method(line, len);
		if (m == NULL)
			return 0;
		sp = NULL;
		for (i = len; i > 0; i--) {
			if (line[i - 1] == ' ') {
				sp = line + i - 1;
				break;
			}
		}
		k = strlen(m) + 1;
		if (sp == NULL || (size_t)(sp - line) <= k ||
		    !np_http_version(sp + 1, len - (size_t)(sp - line) - 1))
			return 0;
		out->request = true;
		snprintf(out->method, sizeof(out->method), "%s", m);
		np_txt_init(&t, out->uri, sizeof(out->uri));
		np_txt_bytes(&t, line + k, (size_t)(sp - line) - k, 0);
		np_txt_init(&t, out->version, sizeof(out->version));
		np_txt_bytes(&t, sp + 1, 8, 0);
	}

	/* field-line = field-name ":" OWS field-value OWS; a line cut by the
	 * segment end still gives its text, not its Content-Length. */
	while (!cut && np_line(&r, &line, &len, &cut)) {
		if (len == 0)
			break;
		if (line[0] == ' ' || line[0] == '\t')
			continue; /* obs-fold continuation */
		v = memchr(line, ':', len);
		if (v == NULL)
			continue;
		k = (size_t)(v - line);
		v++;
		i = len - k - 1;
		np_http_trim(&v, &i);
		if (np_ieq(line, k, "host"))
			np_http_field(out->host, sizeof(out->host), &seen_host,
			    v, i);
		else if (np_ieq(line, k, "user-agent"))
			np_http_field(out->user_agent,
			    sizeof(out->user_agent), &seen_ua, v, i);
		else if (np_ieq(line, k, "content-type"))
			np_http_field(out->content_type,
			    sizeof(out->content_type), &seen_ct, v, i);
		else if (np_ieq(line, k, "authorization"))
			out->has_authorization = true;
		else if (np_ieq(line, k, "content-length") && !seen_cl &&
		    !cut) {
			seen_cl = true;
			out->content_length = np_http_length(v, i);
		}
	}
	return 1;
}

/* ---- TLS ClientHello (RFC 8446) ---- */

/* RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa. */
static bool
np_tls_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static void
np_tls_version_name(uint16_t v, char *out, size_t cap)
{
	if (v == 0x0300)
		snprintf(out, cap, "SSL 3.0");
	else if (v == 0x0002 || v == 0x0200)
		snprintf(out, cap, "SSL 2.0");
	else if (v >= 0x0301 && v <= 0x0304)
		snprintf(out, cap, "TLS 1.%u", (unsigned)(v - 0x0301));
	else if ((v >> 8) == 0x7f)
		snprintf(out, cap, "TLS 1.3 draft %u", (unsigned)(v & 0xff));
	else if (v == 0xfeff)
		snprintf(out, cap, "DTLS 1.0");
	else if (v == 0xfefd)
		snprintf(out, cap, "DTLS 1.2");
	else if (v == 0xfefc)
		snprintf(out, cap, "DTLS 1.3");
	else
		snprintf(out, cap, "0x%04x", (unsigned)v);
}

/* server_name (RFC 6066 3): the first host_name. */
static void
np_tls_sni(struct rd *x, struct np_tls *out)
{
	struct rd list;
	const uint8_t *name;
	struct np_txt t;
	uint16_t len;
	uint8_t type;

	if (out->sni[0] != '\0' || rd_sub(x, rd_be16(x), &list) != 0)
		return;
	while (rd_left(&list) >= 3) {
		type = rd_u8(&list);
		len = rd_be16(&list);
		if (rd_bytes(&list, len, &name) != 0)
			return;
		if (type == 0 && len > 0) {
			np_txt_init(&t, out->sni, sizeof(out->sni));
			np_txt_bytes(&t, name, len, 0);
			return;
		}
	}
}

/* ALPN (RFC 7301 3.1): protocol names joined by ','. */
static void
np_tls_alpn(struct rd *x, struct np_tls *out)
{
	struct rd list;
	const uint8_t *name;
	struct np_txt t;
	uint8_t len;

	if (out->alpn[0] != '\0' || rd_sub(x, rd_be16(x), &list) != 0)
		return;
	np_txt_init(&t, out->alpn, sizeof(out->alpn));
	while (rd_left(&list) > 0) {
		len = rd_u8(&list);
		if (rd_bytes(&list, len, &name) != 0)
			return;
		if (t.len > 0)
			np_txt_lit(&t, ",");
		np_txt_bytes(&t, name, len, ',');
	}
}

/* supported_versions (RFC 8446 4.2.1): the highest non-GREASE one. */
static void
np_tls_versions(struct rd *x, struct np_tls *out)
{
	struct rd list;
	uint16_t v;

	if (rd_sub(x, rd_u8(x), &list) != 0)
		return;
	while (rd_left(&list) >= 2) {
		v = rd_be16(&list);
		if (!np_tls_grease(v) && v > out->max_version)
			out->max_version = v;
	}
}

int
np_tls_client_hello(const uint8_t *p, size_t n, struct np_tls *out)
{
	struct rd r, rec, hs, exts, x;
	size_t len, avail;
	uint16_t ext_type, ext_len, cs_len, hello_max = 0;
	uint8_t k;

	memset(out, 0, sizeof(*out));
	if (p == NULL || n < 6)
		return 0;
	rd_init(&r, p, n, 0);
	if (rd_u8(&r) != 22)
		return 0;
	out->record_version = rd_be16(&r);
	if ((out->record_version >> 8) != 3)
		goto not_mine;
	len = rd_be16(&r);
	avail = MIN(len, rd_left(&r));
	if (avail < len)
		out->truncated = true;
	if (rd_sub(&r, avail, &rec) != 0 || rd_u8(&rec) != 1)
		goto not_mine;

	/* Handshake: msg_type 1 (client_hello), uint24 length. */
	len = (size_t)rd_u8(&rec) << 16;
	len |= rd_be16(&rec);
	avail = MIN(len, rd_left(&rec));
	if (avail < len)
		out->truncated = true;
	if (rd_sub(&rec, avail, &hs) != 0)
		goto not_mine;

	out->hello_version = rd_be16(&hs);
	(void)rd_skip(&hs, 32); /* random */
	k = rd_u8(&hs);
	(void)rd_skip(&hs, k); /* legacy_session_id */
	cs_len = rd_be16(&hs);
	if (!rd_ok(&hs))
		goto cut;
	/* Count the cipher suites that are there. */
	avail = MIN((size_t)cs_len, rd_left(&hs));
	out->ciphers = (uint16_t)(avail / 2);
	if (rd_skip(&hs, cs_len) != 0)
		goto cut;
	k = rd_u8(&hs);
	if (rd_skip(&hs, k) != 0)
		goto cut;
	if (rd_left(&hs) == 0)
		goto done; /* no extensions (allowed before TLS 1.3) */
	len = rd_be16(&hs);
	avail = MIN(len, rd_left(&hs));
	if (avail < len)
		out->truncated = true;
	if (rd_sub(&hs, avail, &exts) != 0)
		goto cut;
	while (rd_left(&exts) >= 4) {
		ext_type = rd_be16(&exts);
		ext_len = rd_be16(&exts);
		if (rd_sub(&exts, ext_len, &x) != 0)
			goto cut; /* cut inside an extension: skip it */
		switch (ext_type) {
		case 0:
			np_tls_sni(&x, out);
			break;
		case 16:
			np_tls_alpn(&x, out);
			break;
		case 43:
			np_tls_versions(&x, out);
			hello_max = out->max_version;
			break;
		default:
			break;
		}
	}
	if (rd_left(&exts) > 0)
		out->truncated = true;
	goto done;
cut:
	out->truncated = true;
done:
	out->max_version = hello_max ? hello_max : out->hello_version;
	if (out->max_version != 0)
		np_tls_version_name(out->max_version, out->version,
		    sizeof(out->version));
	return 1;
not_mine:
	memset(out, 0, sizeof(*out));
	return 0;
}

/* ---- DHCP (RFC 2131, RFC 2132) ---- */

#define NP_DHCP_FIXED 236 /* the BOOTP header before the cookie */

static const char *const np_dhcp_types[] = { "", "DISCOVER", "OFFER",
	"REQUEST", "DECLINE", "ACK", "NAK", "RELEASE", "INFORM", "FORCERENEW",
	"LEASEQUERY", "LEASEUNASSIGNED", "LEASEUNKNOWN", "LEASEACTIVE",
	"BULKLEASEQUERY", "LEASEQUERYDONE", "ACTIVELEASEQUERY",
	"LEASEQUERYSTATUS", "TLS" };

/* Options in r (the options field, or sname/file when overloaded); the
 * first occurrence of each wins. Returns option 52's value, 0 if absent. */
static int
np_dhcp_options(struct rd *r, struct np_dhcp *out)
{
	const uint8_t *v;
	struct np_txt t;
	uint8_t code, len;
	int overload = 0;

	while (rd_left(r) > 0) {
		code = rd_u8(r);
		if (code == 0)
			continue; /* pad */
		if (code == 255)
			break; /* end */
		len = rd_u8(r);
		if (rd_bytes(r, len, &v) != 0)
			break;
		switch (code) {
		case 12:
			if (out->hostname[0] == '\0' && len > 0) {
				np_txt_init(&t, out->hostname,
				    sizeof(out->hostname));
				np_txt_bytes(&t, v, len, 0);
			}
			break;
		case 50:
			if (len == 4 && out->requested_ip[0] == '\0')
				np_ipv4(out->requested_ip, v);
			break;
		case 52:
			if (len == 1 && overload == 0)
				overload = v[0];
			break;
		case 53:
			if (len >= 1 && out->msg_type == 0) {
				out->msg_type = v[0];
				if (v[0] < ARRAY_SIZE(np_dhcp_types))
					snprintf(out->msg_type_name,
					    sizeof(out->msg_type_name), "%s",
					    np_dhcp_types[v[0]]);
			}
			break;
		case 54:
			if (len == 4 && out->server_id[0] == '\0')
				np_ipv4(out->server_id, v);
			break;
		default:
			break;
		}
	}
	return overload;
}

static void
np_dhcp_addr(char out[16], const uint8_t a[4])
{
	if (a[0] | a[1] | a[2] | a[3])
		np_ipv4(out, a);
	else
		out[0] = '\0';
}

int
np_dhcp_parse(const uint8_t *p, size_t n, struct np_dhcp *out)
{
	static const uint8_t cookie[4] = { 99, 130, 83, 99 };
	const uint8_t *hdr, *c, *mac;
	struct np_txt t;
	struct rd r, opts;
	uint8_t htype, hlen, i;
	int overload;

	memset(out, 0, sizeof(*out));
	if (p == NULL || n < NP_DHCP_FIXED + 4)
		return 0;
	rd_init(&r, p, n, 0);
	if (rd_bytes(&r, NP_DHCP_FIXED, &hdr) != 0 ||
	    rd_bytes(&r, 4, &c) != 0 || memcmp(c, cookie, 4) != 0)
		return 0;
	if (hdr[0] != 1 && hdr[0] != 2)
		return 0;
	out->op = hdr[0];
	htype = hdr[1];
	hlen = hdr[2];
	out->xid = (uint32_t)hdr[4] << 24 | (uint32_t)hdr[5] << 16 |
	    (uint32_t)hdr[6] << 8 | hdr[7];
	np_dhcp_addr(out->ciaddr, hdr + 12);
	np_dhcp_addr(out->yiaddr, hdr + 16);
	mac = hdr + 28;
	if (htype == 1 && hlen == 6) {
		snprintf(out->client_mac, sizeof(out->client_mac),
		    "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		    mac[3], mac[4], mac[5]);
	} else if (hlen > 0) {
		char h[4];

		np_txt_init(&t, out->client_mac, sizeof(out->client_mac));
		for (i = 0; i < MIN(hlen, 16); i++) {
			if (i > 0)
				np_txt_lit(&t, ":");
			snprintf(h, sizeof(h), "%02x", mac[i]);
			np_txt_lit(&t, h);
		}
	}

	overload = np_dhcp_options(&r, out);
	/* RFC 2131 4.1: with option 52, file (1), sname (2) or both (3)
	 * hold more options, read after the options field. */
	if (overload == 1 || overload == 3) {
		rd_init(&opts, hdr + 108, 128, 108);
		(void)np_dhcp_options(&opts, out);
	}
	if (overload == 2 || overload == 3) {
		rd_init(&opts, hdr + 44, 64, 44);
		(void)np_dhcp_options(&opts, out);
	}
	return 1;
}

/* ---- service guess and authentication outcome ---- */

/* One DNS message: one question, a plausible header (opcode, Z bit), the
 * question a well-formed name with class IN, CH, HS or ANY. */
static bool
np_guess_dns_msg(const uint8_t *p, size_t n)
{
	struct rd r;
	uint16_t flags, qd, cls;

	if (n < 17)
		return false;
	rd_init(&r, p, n, 0);
	(void)rd_be16(&r);
	flags = rd_be16(&r);
	qd = rd_be16(&r);
	(void)rd_skip(&r, 6);
	if (qd != 1 || ((flags >> 11) & 0xf) > 6 || (flags & 0x0040) != 0)
		return false;
	if (np_dns_name(p, n, &r, NULL) != 0)
		return false;
	(void)rd_be16(&r);
	cls = rd_be16(&r) & 0x7fff; /* mDNS uses the top bit */
	return rd_ok(&r) && (cls == 1 || cls == 3 || cls == 4 || cls == 255);
}

/* DNS over UDP (the whole payload) or TCP (behind a 2-byte length). */
static bool
np_guess_dns(const uint8_t *p, size_t n)
{
	if (n >= 2 && ((size_t)p[0] << 8 | p[1]) == n - 2 &&
	    np_guess_dns_msg(p + 2, n - 2))
		return true;
	return np_guess_dns_msg(p, n);
}

/* Docker Engine API paths: /containers/, /exec/, /images/, /v1.NN/. */
static bool
np_guess_docker(const uint8_t *uri, size_t n)
{
	size_t i;

	if (np_prefix(uri, n, "/containers/") || np_prefix(uri, n, "/exec/") ||
	    np_prefix(uri, n, "/images/"))
		return true;
	if (!np_prefix(uri, n, "/v1."))
		return false;
	for (i = 4; i < n && uri[i] >= '0' && uri[i] <= '9'; i++)
		;
	return i > 4 && i < n && uri[i] == '/';
}

/* RESP (redis): "*<n>\r\n$<len>\r\n". */
static bool
np_guess_resp(const uint8_t *p, size_t n)
{
	size_t i = 1;

	if (n < 8 || p[0] != '*')
		return false;
	while (i < n && p[i] >= '0' && p[i] <= '9')
		i++;
	return i > 1 && n - i >= 3 && p[i] == '\r' && p[i + 1] == '\n' &&
	    p[i + 2] == '$';
}

/* MySQL initial handshake (protocol 10): length(24) seq(8)=0 0x0a
 * "version\0". */
static bool
np_guess_mysql(const uint8_t *p, size_t n)
{
	size_t len, i;

	if (n < 8 || p[3] != 0 || p[4] != 10)
		return false;
	len = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16;
	if (len < 4 || len > n - 4)
		return false;
	for (i = 5; i < 4 + len; i++) {
		if (p[i] == 0)
			return i > 5;
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return false;
	}
	return false;
}

/* PostgreSQL StartupMessage (protocol 3.0), SSLRequest or GSSENCRequest:
 * length(32) code(32). */
static bool
np_guess_pgsql(const uint8_t *p, size_t n)
{
	struct rd r;
	uint32_t len, code;

	rd_init(&r, p, n, 0);
	len = rd_be32(&r);
	code = rd_be32(&r);
	if (!rd_ok(&r) || len != n)
		return false;
	if (code == 80877103 || code == 80877104)
		return len == 8;
	return code == 0x00030000 && len > 8;
}

/* Stratum (mining pools): JSON-RPC with mining.subscribe or
 * mining.authorize, or the xmrig-style "login" with "agent". */
static bool
np_guess_stratum(const uint8_t *p, size_t n)
{
	if (n < 2 || p[0] != '{')
		return false;
	return np_contains(p, n, "mining.subscribe") ||
	    np_contains(p, n, "mining.authorize") ||
	    (np_contains(p, n, "\"login\"") && np_contains(p, n, "\"agent\""));
}

/* An FTP or SMTP 220 greeting: FTP when it says so, else SMTP when it
 * names SMTP or mail, else FTP. */
static const char *
np_guess_banner(const uint8_t *p, size_t n)
{
	size_t i;

	if (n < 4 || memcmp(p, "220", 3) != 0 || (p[3] != ' ' && p[3] != '-'))
		return NULL;
	for (i = 0; i + 3 <= n; i++) {
		if (np_ieq(p + i, 3, "ftp"))
			return "ftp";
	}
	for (i = 0; i + 4 <= n; i++) {
		if (np_ieq(p + i, 4, "smtp") || np_ieq(p + i, 4, "mail"))
			return "smtp";
	}
	return "ftp";
}

const char *
np_service_guess(const uint8_t *p, size_t n, bool to_server)
{
	const uint8_t *s = np_span(p, n), *sp;
	const char *m;

	if (s == NULL)
		return NULL;
	if (n >= 3 && s[0] == 0x16 && s[1] == 3 && s[2] <= 4)
		return "tls";
	if (np_prefix(s, n, "SSH-"))
		return "ssh";
	if (np_guess_stratum(s, n))
		return "stratum";
	if (to_server) {
		m = np_http_method(s, n);
		if (m != NULL) {
			sp = s + strlen(m) + 1;
			if (np_guess_docker(sp, n - (size_t)(sp - s)))
				return "docker-api";
			return "http";
		}
		if (np_guess_resp(s, n))
			return "redis";
		if (np_guess_pgsql(s, n))
			return "postgresql";
		if (np_prefix(s, n, "USER ") || np_prefix(s, n, "PASS ") ||
		    np_prefix(s, n, "AUTH TLS"))
			return "ftp";
		if (np_prefix(s, n, "EHLO ") || np_prefix(s, n, "HELO "))
			return "smtp";
	} else {
		if (np_prefix(s, n, "HTTP/1."))
			return "http";
		if (np_guess_mysql(s, n))
			return "mysql";
		m = np_guess_banner(s, n);
		if (m != NULL)
			return m;
	}
	if (np_guess_dns(s, n))
		return "dns";
	return NULL;
}

/* Does any line of p[0..n) start with one of the codes (each "NNN"
 * followed by a space or '-')? */
static bool
np_auth_reply(const uint8_t *p, size_t n, const char *code)
{
	const uint8_t *line;
	struct rd r;
	size_t len;
	bool cut;

	rd_init(&r, p, n, 0);
	while (np_line(&r, &line, &len, &cut)) {
		if (len >= 4 && memcmp(line, code, 3) == 0 &&
		    (line[3] == ' ' || line[3] == '-'))
			return true;
	}
	return false;
}

/* A PostgreSQL ErrorResponse ('E', length(32), fields "Xtext\0"... "\0")
 * with SQLSTATE (field 'C') 28P01, invalid_password. */
static bool
np_auth_pgsql(const uint8_t *p, size_t n)
{
	const uint8_t *v;
	struct rd r, msg;
	uint32_t len;
	size_t vlen;
	uint8_t type, field;

	rd_init(&r, p, n, 0);
	while (rd_left(&r) >= 5) {
		type = rd_u8(&r);
		len = rd_be32(&r);
		if (len < 4 || rd_sub(&r, MIN(len - 4, rd_left(&r)), &msg) != 0)
			return false;
		if (type != 'E')
			continue;
		while ((field = rd_u8(&msg)) != 0) {
			if (rd_until(&msg, 0, &v, &vlen) != 0)
				break;
			if (field == 'C' && vlen == 5 &&
			    memcmp(v, "28P01", 5) == 0)
				return true;
		}
	}
	return false;
}

/* A MySQL ERR packet: length(24) seq(8) 0xff code(16 LE) = 1045
 * (ER_ACCESS_DENIED_ERROR). */
static bool
np_auth_mysql(const uint8_t *p, size_t n)
{
	struct rd r;
	uint32_t len;

	rd_init(&r, p, n, 0);
	len = rd_u8(&r);
	len |= (uint32_t)rd_u8(&r) << 8;
	len |= (uint32_t)rd_u8(&r) << 16;
	(void)rd_u8(&r); /* sequence */
	return len >= 3 && rd_u8(&r) == 0xff && rd_le16(&r) == 1045 &&
	    rd_ok(&r);
}

/* A redis error line: -WRONGPASS, -NOAUTH or (before 6.0)
 * "-ERR invalid password". */
static bool
np_auth_redis(const uint8_t *p, size_t n)
{
	const uint8_t *line;
	struct rd r;
	size_t len;
	bool cut;

	rd_init(&r, p, n, 0);
	while (np_line(&r, &line, &len, &cut)) {
		if (np_prefix(line, len, "-WRONGPASS") ||
		    np_prefix(line, len, "-NOAUTH") ||
		    np_prefix(line, len, "-ERR invalid password"))
			return true;
	}
	return false;
}

int
np_auth_failure(const char *service, const uint8_t *p, size_t n)
{
	const uint8_t *s = np_span(p, n);

	if (service == NULL || s == NULL)
		return 0;
	if (strcmp(service, "ftp") == 0)
		return np_auth_reply(s, n, "530");
	if (strcmp(service, "smtp") == 0)
		return np_auth_reply(s, n, "535");
	if (strcmp(service, "http") == 0 || strcmp(service, "docker-api") == 0)
		return n >= 12 && memcmp(s, "HTTP/1.", 7) == 0 &&
		    s[8] == ' ' &&
		    (memcmp(s + 9, "401", 3) == 0 ||
			memcmp(s + 9, "403", 3) == 0) &&
		    (n == 12 || s[12] == ' ' || s[12] == '\r' ||
			s[12] == '\n');
	if (strcmp(service, "mysql") == 0)
		return np_auth_mysql(s, n);
	if (strcmp(service, "postgresql") == 0)
		return np_auth_pgsql(s, n);
	if (strcmp(service, "redis") == 0)
		return np_auth_redis(s, n);
	return 0;
}
