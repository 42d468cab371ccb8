/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netproto.h: application-protocol parsers over one payload (DNS, HTTP/1.x,
 * TLS ClientHello, DHCP) and a first-payload service guess.
 *
 * The pcap importer (ingest/imp-pcap.c) hands each function the L4 payload
 * bytes of one packet (a UDP datagram, or one TCP segment; no stream
 * reassembly). Every function is pure: no allocation, no I/O, no globals;
 * it reads only p[0..n) through core/rd.h and fills a caller-owned struct
 * of fixed-size NUL-terminated text fields. Bytes from the evidence that
 * are not printable ASCII are written as \xNN (a backslash as \\), so every
 * field is display-safe text; a field longer than its buffer is cut (and
 * ends in "...").
 *
 * Return value: 1 parsed, 0 not this protocol (or too malformed to say
 * anything), never negative. Partial results (a DNS answer section cut
 * short) are returned as parsed with `truncated` set. On 0 the struct is
 * still fully initialised (zeroed, content_length -1).
 */
#ifndef INGEST_NETPROTO_H
#define INGEST_NETPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NP_NAME_MAX 256	  /* DNS names, hosts, SNI */
#define NP_TEXT_MAX 512	  /* URIs, user agents, answer lists */
#define NP_SHORT_MAX 32	  /* methods, versions, type names */

/* One DNS message. Over TCP the importer strips the 2-byte length prefix
 * and calls once per message.
 *
 * Any 12-byte header parses (1). A name follows at most 64 compression
 * pointers (forward ones too) and 255 wire bytes (RFC 1035 2.3.4); a name
 * past either bound, a label type 0x40/0x80 or a cut name ends the parse
 * with what was read kept and `truncated` set, as does a record cut short
 * in any section (the authority and additional sections are walked but
 * not reported). Label bytes are escaped like all evidence text, and a '.'
 * inside a label is written \x2e so it cannot pass for a separator. */
struct np_dns {
	uint16_t id;
	bool response;		   /* QR bit */
	int opcode;
	int rcode;		   /* low 4 bits of the flags */
	uint16_t qdcount, ancount;
	char qname[NP_NAME_MAX];   /* first question, dotted, no final dot;
				      "" for the root */
	uint16_t qtype;		   /* first question's type (0: none) */
	char qtype_name[NP_SHORT_MAX]; /* "A", "AAAA", "TXT"... or "TYPE65" */
	/* Answers: "TYPE data" items joined by ',': "A 1.2.3.4",
	 * "CNAME x.example", "TXT \"...\"" (TXT text escaped), "AAAA ::1",
	 * "MX 10 mail.example", "PTR ...", "NS ...", others "TYPE99 <n
	 * bytes>". Also "DNAME x". Other types use the qtype_name spelling
	 * ("SOA <54 bytes>"); an A or AAAA of the wrong size is "A <3
	 * bytes>"; an undecodable name in RDATA is "?". In TXT strings '"'
	 * is written \x22; several strings are separated by a space. Only
	 * the answer section is listed. */
	char answers[NP_TEXT_MAX];
	bool truncated;		   /* sections cut short or TC bit */
};
int np_dns_parse(const uint8_t *p, size_t n, struct np_dns *out);
/* The rcode as text: "NOERROR", "NXDOMAIN"... or "RCODE11". */
const char *np_dns_rcode_name(int rcode);

/* One HTTP/1.x message head (request or status line plus headers) at
 * the start of p. A request line needs a known method token (GET, POST,
 * HEAD, PUT, DELETE, OPTIONS, PATCH, CONNECT, TRACE) and "HTTP/1.";
 * a response starts "HTTP/1.x NNN". Headers may be cut by the segment
 * end; what was seen is kept. */
struct np_http {
	bool request;
	char method[NP_SHORT_MAX];
	char uri[NP_TEXT_MAX];
	char version[NP_SHORT_MAX];   /* "HTTP/1.1" */
	char host[NP_NAME_MAX];	      /* Host header */
	char user_agent[NP_TEXT_MAX]; /* User-Agent header */
	int status;		      /* responses: 100..999, else 0 */
	char reason[NP_SHORT_MAX * 2];
	char content_type[NP_SHORT_MAX * 2];
	bool has_authorization;	      /* an Authorization header */
	int64_t content_length;	      /* -1 absent */
};
int np_http_parse(const uint8_t *p, size_t n, struct np_http *out);

/* A TLS ClientHello in the first record of p (record type 22, handshake
 * type 1). The record may be cut by the segment end: parse what is there
 * (truncated set).
 *
 * Needs the record header with major version 3 and the handshake header
 * (9 bytes), else 0. `ciphers` counts the suites present in p (GREASE
 * included); an extension cut by the segment end is not read. GREASE
 * versions (RFC 8701) are ignored in supported_versions. A ',' inside an
 * ALPN protocol name is written \x2c. Versions other than SSL 2.0..TLS 1.3
 * and DTLS read "TLS 1.3 draft N" (0x7fNN) or "0xNNNN". */
struct np_tls {
	uint16_t record_version;
	uint16_t hello_version;	     /* legacy_version of the hello */
	uint16_t max_version;	     /* highest of supported_versions, else
					hello_version */
	char version[NP_SHORT_MAX];  /* max_version as "TLS 1.3", "TLS 1.2",
					"SSL 3.0"... */
	char sni[NP_NAME_MAX];	     /* server_name (host_name) */
	char alpn[NP_NAME_MAX];	     /* protocol names joined by ',' */
	uint16_t ciphers;	     /* cipher suites offered */
	bool truncated;
};
int np_tls_client_hello(const uint8_t *p, size_t n, struct np_tls *out);

/* A DHCP (BOOTP) message: the UDP payload of ports 67/68.
 *
 * Needs op 1 or 2 and the magic cookie 99.130.83.99 after the 236-byte
 * BOOTP header (RFC 2131 3), else 0: plain BOOTP without options is not
 * reported. Options 12, 50, 53 and 54: the first occurrence wins; with
 * option 52 (overload) the file and sname fields are read for options
 * too. client_mac is aa:bb:cc:dd:ee:ff for Ethernet, else hlen (at most
 * 16) hex bytes joined by ':' and cut to fit. */
struct np_dhcp {
	int op;			   /* 1 request, 2 reply */
	uint32_t xid;
	int msg_type;		   /* option 53, 0 absent */
	char msg_type_name[NP_SHORT_MAX]; /* "DISCOVER", "OFFER", "REQUEST",
				      "ACK", "NAK", "RELEASE", "INFORM",
				      "DECLINE"... or "" */
	char client_mac[NP_SHORT_MAX];	  /* chaddr as aa:bb:cc:dd:ee:ff */
	char ciaddr[16], yiaddr[16];	  /* dotted quads; "" when 0 */
	char requested_ip[16];		  /* option 50 */
	char server_id[16];		  /* option 54 */
	char hostname[NP_NAME_MAX];	  /* option 12 */
};
int np_dhcp_parse(const uint8_t *p, size_t n, struct np_dhcp *out);

/* A guess of the application protocol from the first payload a side of a
 * TCP or UDP flow sent (to_server: sent by the initiator), or NULL:
 * "http", "tls", "ssh", "stratum" (JSON-RPC mining.subscribe /
 * mining.authorize / "login" with "agent"), "ftp" (220 banner or
 * USER/PASS), "smtp", "redis" (RESP), "mysql", "postgresql", "dns",
 * "docker-api" (an HTTP request to /containers/, /exec/, /images/,
 * /v1.NN/ paths), "kubelet" is left to ports. The returned string is
 * static.
 *
 * Client-only signs (HTTP requests, USER/PASS, EHLO/HELO, RESP, the
 * PostgreSQL startup) count only when to_server; server-only ones (HTTP
 * status line, MySQL greeting, 220 banner: "smtp" when it names SMTP or
 * mail and not FTP, else "ftp") only when not. TLS, SSH, stratum and DNS
 * (one well-formed question, with or without the TCP length) count both
 * ways. */
const char *np_service_guess(const uint8_t *p, size_t n, bool to_server);

/* Authentication outcome visible in one server->client payload of a
 * service: 1 failure ("530 " FTP, "535 " SMTP, HTTP 401/403 status line,
 * MySQL ERR packet 1045, PostgreSQL 'E' with 28P01, Redis "-WRONGPASS"
 * or "-NOAUTH"), 0 nothing seen. Also Redis' pre-6.0 "-ERR invalid
 * password". FTP, SMTP and Redis codes count at the start of any line of
 * p. `service` is a np_service_guess() string or NULL (then 0). */
int np_auth_failure(const char *service, const uint8_t *p, size_t n);

#endif
