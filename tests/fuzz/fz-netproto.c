/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-netproto.c: every application-protocol parser (ingest/netproto.h) on
 * one hostile payload.
 *
 * The whole input is the payload, as the pcap importer hands it over: it
 * goes to np_dns_parse() (as is, and as DNS over TCP: 2-byte lengths, one
 * call per message), np_http_parse(), np_tls_client_hello(),
 * np_dhcp_parse(), np_service_guess() both ways and np_auth_failure() for
 * every service name. Seeds (corpus/netproto/) are real payloads from the
 * fixtures and the hostile cases of tests/unit/t-netproto.c.
 *
 * Invariants checked (__builtin_trap on violation):
 * - return values are 0 or 1;
 * - every text field is NUL-terminated inside its buffer and display-safe:
 *   printable ASCII only, each backslash starting "\\" or "\xNN" (lowercase
 *   hex), a cut field ending in "...";
 * - after 0 the struct is all zero (content_length -1);
 * - the parsers are pure: a second call gives the same bytes;
 * - np_dns_rcode_name() and np_service_guess() return known strings.
 */
#include "core/common.h"

#include "ingest/netproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_CHECK(x)                         \
	do {                                \
		if (!(x))                   \
			__builtin_trap();   \
	} while (0)

static const char *const fz_np_services[] = { "http", "tls", "ssh",
	"stratum", "ftp", "smtp", "redis", "mysql", "postgresql", "dns",
	"docker-api" };

static bool
fz_np_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A text field: terminated in buf[0..cap), printable, escapes well-formed. */
static void
fz_np_text(const char *buf, size_t cap)
{
	size_t n = strnlen(buf, cap), i;

	FZ_CHECK(n < cap);
	for (i = 0; i < n; i++) {
		FZ_CHECK(buf[i] >= 0x20 && buf[i] < 0x7f);
		if (buf[i] != '\\')
			continue;
		FZ_CHECK(i + 1 < n);
		if (buf[i + 1] == '\\') {
			i++;
			continue;
		}
		FZ_CHECK(i + 3 < n && buf[i + 1] == 'x' &&
		    fz_np_hex(buf[i + 2]) && fz_np_hex(buf[i + 3]));
		i += 3;
	}
}

static bool
fz_np_zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

static void
fz_np_dns(const uint8_t *p, size_t n)
{
	struct np_dns a, b;
	int rc;

	rc = np_dns_parse(p, n, &a);
	FZ_CHECK(rc == 0 || rc == 1);
	FZ_CHECK(np_dns_parse(p, n, &b) == rc);
	FZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	if (rc == 0) {
		FZ_CHECK(fz_np_zero(&a, sizeof(a)));
		return;
	}
	fz_np_text(a.qname, sizeof(a.qname));
	fz_np_text(a.qtype_name, sizeof(a.qtype_name));
	fz_np_text(a.answers, sizeof(a.answers));
	FZ_CHECK(a.opcode >= 0 && a.opcode < 16);
	FZ_CHECK(a.rcode >= 0 && a.rcode < 16);
	FZ_CHECK(strncmp(np_dns_rcode_name(a.rcode), "RCODE?", 6) != 0);
	FZ_CHECK(a.qtype_name[0] != '\0' || a.qtype == 0);
}

static void
fz_np_http(const uint8_t *p, size_t n)
{
	struct np_http a, b;
	int rc;

	rc = np_http_parse(p, n, &a);
	FZ_CHECK(rc == 0 || rc == 1);
	FZ_CHECK(np_http_parse(p, n, &b) == rc);
	FZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	FZ_CHECK(a.content_length >= -1);
	if (rc == 0) {
		FZ_CHECK(a.content_length == -1);
		a.content_length = 0;
		FZ_CHECK(fz_np_zero(&a, sizeof(a)));
		return;
	}
	fz_np_text(a.method, sizeof(a.method));
	fz_np_text(a.uri, sizeof(a.uri));
	fz_np_text(a.version, sizeof(a.version));
	fz_np_text(a.host, sizeof(a.host));
	fz_np_text(a.user_agent, sizeof(a.user_agent));
	fz_np_text(a.reason, sizeof(a.reason));
	fz_np_text(a.content_type, sizeof(a.content_type));
	FZ_CHECK(strncmp(a.version, "HTTP/1.", 7) == 0);
	if (a.request)
		FZ_CHECK(a.method[0] != '\0' && a.uri[0] != '\0' &&
		    a.status == 0);
	else
		FZ_CHECK(a.method[0] == '\0' && a.status >= 100 &&
		    a.status <= 999);
}

static void
fz_np_tls(const uint8_t *p, size_t n)
{
	struct np_tls a, b;
	int rc;

	rc = np_tls_client_hello(p, n, &a);
	FZ_CHECK(rc == 0 || rc == 1);
	FZ_CHECK(np_tls_client_hello(p, n, &b) == rc);
	FZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	if (rc == 0) {
		FZ_CHECK(fz_np_zero(&a, sizeof(a)));
		return;
	}
	fz_np_text(a.version, sizeof(a.version));
	fz_np_text(a.sni, sizeof(a.sni));
	fz_np_text(a.alpn, sizeof(a.alpn));
	FZ_CHECK((a.record_version >> 8) == 3);
	FZ_CHECK((a.max_version == 0) == (a.version[0] == '\0'));
	FZ_CHECK((size_t)a.ciphers * 2 <= n);
}

static void
fz_np_dhcp(const uint8_t *p, size_t n)
{
	struct np_dhcp a, b;
	int rc;

	rc = np_dhcp_parse(p, n, &a);
	FZ_CHECK(rc == 0 || rc == 1);
	FZ_CHECK(np_dhcp_parse(p, n, &b) == rc);
	FZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	if (rc == 0) {
		FZ_CHECK(fz_np_zero(&a, sizeof(a)));
		return;
	}
	FZ_CHECK(a.op == 1 || a.op == 2);
	FZ_CHECK(a.msg_type >= 0 && a.msg_type < 256);
	fz_np_text(a.msg_type_name, sizeof(a.msg_type_name));
	fz_np_text(a.client_mac, sizeof(a.client_mac));
	fz_np_text(a.ciaddr, sizeof(a.ciaddr));
	fz_np_text(a.yiaddr, sizeof(a.yiaddr));
	fz_np_text(a.requested_ip, sizeof(a.requested_ip));
	fz_np_text(a.server_id, sizeof(a.server_id));
	fz_np_text(a.hostname, sizeof(a.hostname));
}

static void
fz_np_guess(const uint8_t *p, size_t n, bool to_server)
{
	const char *s = np_service_guess(p, n, to_server);
	size_t i;

	FZ_CHECK(s == np_service_guess(p, n, to_server));
	if (s == NULL)
		return;
	for (i = 0; i < ARRAY_SIZE(fz_np_services); i++)
		if (strcmp(s, fz_np_services[i]) == 0)
			return;
	__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i, off, len;
	int rc;

	fz_np_dns(data, size);
	/* DNS over TCP, as the importer frames it. */
	for (off = 0; size - off >= 2; off += len) {
		len = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (len == 0 || len > size - off)
			break;
		fz_np_dns(data + off, len);
	}
	fz_np_http(data, size);
	fz_np_tls(data, size);
	fz_np_dhcp(data, size);
	fz_np_guess(data, size, true);
	fz_np_guess(data, size, false);
	for (i = 0; i < ARRAY_SIZE(fz_np_services); i++) {
		rc = np_auth_failure(fz_np_services[i], data, size);
		FZ_CHECK(rc == 0 || rc == 1);
	}
	FZ_CHECK(np_auth_failure(NULL, data, size) == 0);
	for (i = 0; i < 24; i++)
		fz_np_text(np_dns_rcode_name((int)i), NP_SHORT_MAX);
	return 0;
}
