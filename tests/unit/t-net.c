/* SPDX-License-Identifier: Apache-2.0 */
/*
 * t-net.c: the net analyzer's rules over hand-made network relations.
 *
 * Each test makes a case with one complete capture artifact and inserts
 * rows into flow_all, dns_all, http_all and arp_all directly (the logic
 * under test is the analyzer's, not the importer's), runs `net`, and
 * checks which rules fired, their evidence and what the detail says.
 */
#include "core/common.h"
#include "tests/lib/test.h"

#include <sqlite3.h>

#include "analyzers/analyzer.h"
#include "core/artifact.h"
#include "core/chunk.h"
#include "core/custody.h"
#include "core/dderr.h"
#include "core/finding.h"
#include "core/store.h"
#include "core/xmalloc.h"

#define NET_T0 1700000000LL /* seconds */

struct net_t {
	struct test_ctx *t;
	struct store *s;
	int64_t aid;
	int no; /* last flow_no */
};

static bool
net_t_open(struct test_ctx *t, struct net_t *n)
{
	struct dd_err e = DD_ERR_INIT;
	struct artifact_new an;
	struct blob_info bi;
	struct blobw *w = NULL;
	char hex[SHA256_HEX];
	uint8_t buf[16] = { 0xd4, 0xc3, 0xb2, 0xa1 };

	memset(n, 0, sizeof(*n));
	n->t = t;
	if (!CHECK(store_open(test_path(t, "c.drydock"),
		       STORE_CREATE | STORE_WRITE | STORE_NOLOCK, &n->s,
		       &e) == 0))
		return false;
	memset(&an, 0, sizeof(an));
	an.name = "cap.pcap";
	an.format = "pcap";
	an.importer = "pcap";
	an.importer_version = "1";
	an.mode = an.mtime = -1;
	CHECK(store_begin(n->s, &e) == 0);
	CHECK(artifact_begin(n->s, &an, &n->aid, &e) == 0);
	CHECK(blobw_new(n->s, 0, &w, &e) == 0);
	CHECK(blobw_write(w, buf, sizeof(buf), &e) == 0);
	CHECK(blobw_finish(w, &bi, &e) == 0);
	hex_encode(bi.sha256, SHA256_LEN, hex);
	CHECK(artifact_set_content(n->s, n->aid, bi.size, hex, bi.id, true,
	    "pcap", &e) == 0);
	CHECK(artifact_complete(n->s, n->aid, &e) == 0);
	CHECK(custody_append(n->s, "ingest", "{}", NULL, &e) == 0);
	CHECK(store_commit(n->s, &e) == 0);
	blobw_free(w);
	return true;
}

static void
net_t_sql(struct net_t *n, const char *fmt, ...)
{
	struct test_ctx *t = n->t;
	char *sql = NULL, *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&sql, fmt, ap) < 0)
		sql = NULL;
	va_end(ap);
	if (!CHECK(sql != NULL))
		return;
	if (sqlite3_exec(n->s->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		FAIL("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	free(sql);
}

static int64_t
net_t_ns(double sec)
{
	return NET_T0 * 1000000000LL + (int64_t)(sec * 1e9);
}

/* A flow starting at NET_T0 + at seconds; returns its flow_no. */
static int
net_t_flow(struct net_t *n, const char *proto, const char *src, int sport,
    const char *dst, int dport, double at, double dur, int pf, int pr,
    int plf, int plr, const char *state, int flags, const char *svc,
    int authfail)
{
	n->no++;
	net_t_sql(n,
	    "INSERT INTO flow_all(artifact_id, flow_no, proto, src, sport, "
	    "dst, dport, first_ts, last_ts, packets_fwd, bytes_fwd, "
	    "packets_rev, bytes_rev, payload_fwd, payload_rev, state, "
	    "tcp_flags, service, auth_failures, community_id, first_pkt) "
	    "VALUES(%" PRId64 ", %d, '%s', '%s', %d, '%s', %d, %" PRId64
	    ", %" PRId64 ", %d, %d, %d, %d, %d, %d, %s%s%s, %d, %s%s%s, %d, "
	    "'1:x', %d)",
	    n->aid, n->no, proto, src, sport, dst, dport, net_t_ns(at),
	    net_t_ns(at + dur), pf, pf * 40 + plf, pr, pr * 40 + plr, plf,
	    plr, state ? "'" : "", state ? state : "NULL", state ? "'" : "",
	    flags, svc ? "'" : "", svc ? svc : "NULL", svc ? "'" : "",
	    authfail, n->no);
	return n->no;
}

static int
net_t_run(struct net_t *n)
{
	struct dd_err e = DD_ERR_INIT;
	struct an_result res[16];
	const char *only[] = { "net" };
	char head[SHA256_HEX];
	size_t nres = 0;
	int rc;

	rc = analyzer_run(n->s, only, 1, AN_NEEDS_NET, res, &nres, head, &e);
	if (rc < 0)
		test_fail(n->t, __FILE__, __LINE__, "analyze: %s", e.msg);
	return rc;
}

static int
net_t_int_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	(void)e;
	*(int64_t *)user = rowq_int(r, 0);
	return 0;
}

static int64_t
net_t_count(struct net_t *n, const char *rule)
{
	const char *b[] = { rule };
	int64_t v = -1;

	rowq_each(n->s, "SELECT count(*) FROM findings WHERE rule = ?1", b, 1,
	    net_t_int_row, &v, NULL);
	return v;
}

static int64_t
net_t_all(struct net_t *n)
{
	int64_t v = -1;

	rowq_each(n->s, "SELECT count(*) FROM findings", NULL, 0,
	    net_t_int_row, &v, NULL);
	return v;
}

static int
net_t_text_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	char **out = user;

	(void)e;
	free(*out);
	*out = xasprintf("%s | %s | %s | %s", rowq_text(r, 0), rowq_text(r, 1),
	    rowq_text(r, 2), rowq_text(r, 3));
	return 0;
}

/* "title | detail | severity | attack" of the first finding of rule
 * (caller frees), or NULL. */
static char *
net_t_text(struct net_t *n, const char *rule)
{
	const char *b[] = { rule };
	char *out = NULL;

	rowq_each(n->s,
	    "SELECT title, detail, severity, attack FROM findings WHERE "
	    "rule = ?1 ORDER BY id LIMIT 1",
	    b, 1, net_t_text_row, &out, NULL);
	return out;
}

static bool
net_t_has(struct net_t *n, const char *rule, const char *needle)
{
	char *s = net_t_text(n, rule);
	bool ok = s != NULL && strstr(s, needle) != NULL;

	if (!ok)
		test_fail(n->t, __FILE__, __LINE__,
		    "%s: '%s' not in: %s", rule, needle, s ? s : "(none)");
	free(s);
	return ok;
}

/* Print every finding (when a count is off). */
static int
net_t_dump_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	(void)user;
	(void)e;
	fprintf(stderr, "#   %s: %s\n", rowq_text(r, 0), rowq_text(r, 1));
	return 0;
}

static void
net_t_dump(struct net_t *n)
{
	rowq_each(n->s, "SELECT rule, title FROM findings ORDER BY rule",
	    NULL, 0, net_t_dump_row, NULL, NULL);
}

/* Evidence rows of the first finding of rule. */
static int64_t
net_t_evcount(struct net_t *n, const char *rule)
{
	const char *b[] = { rule };
	int64_t v = -1;

	rowq_each(n->s,
	    "SELECT count(*) FROM finding_evidence WHERE finding_id = "
	    "(SELECT id FROM findings WHERE rule = ?1 ORDER BY id LIMIT 1)",
	    b, 1, net_t_int_row, &v, NULL);
	return v;
}

#define SYN 2
#define RST 4
#define ACK 16
#define FIN 1
#define PSH 8

TEST(net_scan_vertical_syn)
{
	struct net_t n;
	int p;

	if (!net_t_open(t, &n))
		return;
	/* 20 ports in 2 s: 3 open (SYN-ACK, then the scanner's RST). */
	for (p = 0; p < 20; p++) {
		bool open = p % 7 == 0;
		net_t_flow(&n, "tcp", "10.0.0.5", 40000, "10.0.0.9", 20 + p,
		    p * 0.1, 0.01, open ? 2 : 1, 1, 0, 0,
		    open ? "RSTO" : "REJ",
		    open ? (SYN | RST) | (SYN | ACK) << 8 :
			   SYN | (RST | ACK) << 8,
		    NULL, 0);
	}
	/* An ordinary session on the side. */
	net_t_flow(&n, "tcp", "10.0.0.5", 40001, "10.0.0.9", 80, 1, 0.5, 5,
	    5, 300, 2000, "SF", (SYN | ACK | PSH | FIN) * 257, "http", 0);
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.scan.vertical"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 1))
		net_t_dump(&n);
	net_t_has(&n, "net.scan.vertical", "SYN (half-open)");
	net_t_has(&n, "net.scan.vertical", "20 ports on 10.0.0.9");
	net_t_has(&n, "net.scan.vertical", "T1046");
	CHECK_EQ_INT(net_t_evcount(&n, "net.scan.vertical"), 20);
out:
	store_close(n.s);
}

TEST(net_scan_vertical_connect_and_horizontal)
{
	struct net_t n;
	char dst[32];
	int p;

	if (!net_t_open(t, &n))
		return;
	/* A connect scan: the open ports' handshakes complete. */
	for (p = 0; p < 15; p++) {
		bool open = p < 4;
		net_t_flow(&n, "tcp", "10.0.0.5", 41000 + p, "10.0.0.9",
		    1000 + p, 100 + p * 0.2, 0.01, open ? 3 : 1, 1, 0, 0,
		    open ? "RSTO" : "REJ",
		    open ? (SYN | ACK | RST) | (SYN | ACK) << 8 :
			   SYN | (RST | ACK) << 8,
		    NULL, 0);
	}
	/* One port, 12 hosts, no answers. */
	for (p = 0; p < 12; p++) {
		snprintf(dst, sizeof(dst), "10.0.1.%d", p + 1);
		net_t_flow(&n, "tcp", "10.0.0.6", 42000 + p, dst, 445,
		    200 + p, 3, 2, 0, 0, 0, "S0", SYN, NULL, 0);
	}
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.scan.vertical"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.scan.horizontal"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 2))
		net_t_dump(&n);
	net_t_has(&n, "net.scan.vertical", "Connect scan");
	net_t_has(&n, "net.scan.horizontal", "TCP port 445 on 12 addresses");
out:
	store_close(n.s);
}

TEST(net_sweeps)
{
	struct net_t n;
	char dst[32];
	int p;

	if (!net_t_open(t, &n))
		return;
	/* nmap -sn: echo, SYN to 443, ACK to 80, for 16 hosts. */
	for (p = 0; p < 16; p++) {
		snprintf(dst, sizeof(dst), "192.168.1.%d", p + 10);
		net_t_flow(&n, "icmp", "192.168.1.2", 8, dst, 0, p * 0.05, 0.001,
		    1, p < 4, 0, 0, NULL, 0, NULL, 0);
		net_t_flow(&n, "tcp", "192.168.1.2", 50000, dst, 443,
		    p * 0.05, 0.001, 1, 0, 0, 0, "S0", SYN, NULL, 0);
		net_t_flow(&n, "tcp", "192.168.1.2", 50001, dst, 80, p * 0.05,
		    0.001, 1, 0, 0, 0, "OTH", ACK, NULL, 0);
	}
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.sweep.icmp"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.sweep.tcp"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 2))
		net_t_dump(&n);
	net_t_has(&n, "net.sweep.icmp", "16 addresses");
	net_t_has(&n, "net.sweep.tcp", "T1018");
out:
	store_close(n.s);
}

TEST(net_bruteforce)
{
	struct net_t n;
	int i, f;

	if (!net_t_open(t, &n))
		return;
	/* 12 SSH logins, 3 s each, every 5 s (also periodic: no beacon). */
	for (i = 0; i < 12; i++)
		net_t_flow(&n, "tcp", "10.0.0.5", 43000 + i, "10.0.0.9", 22,
		    i * 5.0, 3, 12, 12, 1500, 2200, "SF",
		    (SYN | ACK | PSH | FIN) * 257, "ssh", 0);
	/* FTP: one session with 11 failed logins. */
	net_t_flow(&n, "tcp", "10.0.0.5", 44000, "10.0.0.10", 21, 10, 40, 40,
	    40, 500, 900, "SF", (SYN | ACK | PSH | FIN) * 257, "ftp", 11);
	/* MySQL: 12 successful short sessions (an app): quiet. */
	for (i = 0; i < 12; i++)
		net_t_flow(&n, "tcp", "10.0.0.7", 45000 + i, "10.0.0.11", 3306,
		    i * 2.0, 1, 8, 8, 300, 900, "SF",
		    (SYN | ACK | PSH | FIN) * 257, "mysql", 0);
	/* HTTP: 12 answers 401 on one keep-alive connection. */
	f = net_t_flow(&n, "tcp", "10.0.0.5", 46000, "10.0.0.12", 8080, 0, 30,
	    30, 30, 3000, 3000, "SF", (SYN | ACK | PSH | FIN) * 257, "http",
	    12);
	for (i = 0; i < 12; i++) {
		net_t_sql(&n,
		    "INSERT INTO http_all(artifact_id, flow_no, ts, request, "
		    "method, host, uri, authorization) VALUES(%" PRId64
		    ", %d, %" PRId64 ", 1, 'GET', 'app', '/admin', 1)",
		    n.aid, f, net_t_ns(i * 2.0));
		net_t_sql(&n,
		    "INSERT INTO http_all(artifact_id, flow_no, ts, request, "
		    "status, reason) VALUES(%" PRId64 ", %d, %" PRId64
		    ", 0, 401, 'Unauthorized')",
		    n.aid, f, net_t_ns(i * 2.0 + 0.01));
	}
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.bruteforce.ssh"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.bruteforce.ftp"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.bruteforce.http"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 3))
		net_t_dump(&n);
	net_t_has(&n, "net.bruteforce.ssh", "12 ssh sessions to 10.0.0.9");
	net_t_has(&n, "net.bruteforce.ftp", "11 of them with failed");
	net_t_has(&n, "net.bruteforce.http", "401");
	net_t_has(&n, "net.bruteforce.http", "T1110");
out:
	store_close(n.s);
}

static void
net_t_arp(struct net_t *n, double at, const char *op, const char *smac,
    const char *sip, const char *tip)
{
	static int pkt;

	net_t_sql(n,
	    "INSERT INTO arp_all(artifact_id, ts, pkt, op, sender_mac, "
	    "sender_ip, target_mac, target_ip, eth_src) VALUES(%" PRId64
	    ", %" PRId64 ", %d, '%s', '%s', '%s', '00:00:00:00:00:00', '%s', "
	    "'%s')",
	    n->aid, net_t_ns(at), ++pkt, op, smac, sip, tip, smac);
}

TEST(net_arp)
{
	struct net_t n;
	char ip[32];
	int i;

	if (!net_t_open(t, &n))
		return;
	/* The gateway answers; then an attacker claims its address. */
	net_t_arp(&n, 0, "reply", "aa:aa:aa:aa:aa:01", "10.0.0.1", "10.0.0.5");
	net_t_arp(&n, 1, "request", "bb:bb:bb:bb:bb:02", "10.0.0.66",
	    "10.0.0.1");
	for (i = 0; i < 4; i++)
		net_t_arp(&n, 2 + i * 2, "reply", "bb:bb:bb:bb:bb:02",
		    "10.0.0.1", "10.0.0.5");
	/* A sweep: 20 who-has from one MAC. */
	for (i = 0; i < 20; i++) {
		snprintf(ip, sizeof(ip), "10.0.2.%d", i + 1);
		net_t_arp(&n, 100 + i * 0.1, "request", "cc:cc:cc:cc:cc:03",
		    "10.0.2.200", ip);
	}
	/* A gratuitous flood: 30 in 15 s. */
	for (i = 0; i < 30; i++)
		net_t_arp(&n, 200 + i * 0.5, "reply", "dd:dd:dd:dd:dd:04",
		    "10.0.3.7", "10.0.3.7");
	/* One MAC, nine addresses. */
	for (i = 0; i < 9; i++) {
		snprintf(ip, sizeof(ip), "10.0.4.%d", i + 1);
		net_t_arp(&n, 300 + i, "reply", "ee:ee:ee:ee:ee:05", ip,
		    "10.0.4.100");
	}
	/* Benign: a host re-announcing twice; one host's lookups. */
	net_t_arp(&n, 400, "request", "ff:ff:ff:00:00:06", "10.0.5.5",
	    "10.0.5.5");
	net_t_arp(&n, 401, "request", "ff:ff:ff:00:00:06", "10.0.5.5",
	    "10.0.5.5");
	net_t_arp(&n, 402, "request", "ff:ff:ff:00:00:06", "10.0.5.5",
	    "10.0.5.1");
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.arp.spoof"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.sweep.arp"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.arp.gratuitous_flood"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.arp.many_ips"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 4))
		net_t_dump(&n);
	net_t_has(&n, "net.arp.spoof", "10.0.0.1 taken over by "
				       "bb:bb:bb:bb:bb:02 (was "
				       "aa:aa:aa:aa:aa:01)");
	net_t_has(&n, "net.arp.spoof", "T1557.002");
	net_t_has(&n, "net.sweep.arp", "20 addresses");
	net_t_has(&n, "net.arp.gratuitous_flood", "30 gratuitous");
	net_t_has(&n, "net.arp.many_ips", "9 distinct");
out:
	store_close(n.s);
}

TEST(net_flood_beacon_revshell)
{
	struct net_t n;
	int i;

	if (!net_t_open(t, &n))
		return;
	/* A UDP flood: 5000 packets in 2 s, nothing back. */
	net_t_flow(&n, "udp", "10.0.0.5", 5555, "10.0.0.9", 9999, 0, 2, 5000,
	    0, 5000 * 64, 0, NULL, 0, NULL, 0);
	/* A fast download is not a flood. */
	net_t_flow(&n, "tcp", "10.0.0.6", 5556, "10.0.0.9", 443, 0, 1, 20000,
	    40000, 2000, 60000000, "SF", (SYN | ACK | PSH | FIN) * 257, "tls",
	    0);
	/* A beacon every 30 s with a little jitter. */
	for (i = 0; i < 10; i++)
		net_t_flow(&n, "tcp", "10.0.0.5", 47000 + i, "203.0.113.7",
		    8444, 1000 + i * 30.0 + (i % 2 ? 0.8 : -0.6), 0.3, 6, 5,
		    200, 400, "SF", (SYN | ACK | PSH | FIN) * 257, NULL, 0);
	/* A reverse shell: 10 minutes of small packets both ways. */
	net_t_flow(&n, "tcp", "10.0.0.5", 48000, "198.51.100.7", 4444, 2000,
	    600, 60, 70, 900, 7000, "S1", (SYN | ACK | PSH) * 257, NULL, 0);
	/* Long SSH is ordinary. */
	net_t_flow(&n, "tcp", "10.0.0.5", 48001, "198.51.100.8", 22, 2000,
	    600, 60, 70, 900, 7000, "S1", (SYN | ACK | PSH) * 257, "ssh", 0);
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.flood"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.beacon"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.revshell"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 3))
		net_t_dump(&n);
	net_t_has(&n, "net.flood", "5000 packets");
	net_t_has(&n, "net.beacon", "every 30.2 s");
	net_t_has(&n, "net.revshell", "198.51.100.7 port 4444");
out:
	store_close(n.s);
}

static void
net_t_dns(struct net_t *n, int flow, double at, int response,
    const char *qname, const char *qtype, const char *rcode,
    const char *answers)
{
	static int txid;

	net_t_sql(n,
	    "INSERT INTO dns_all(artifact_id, flow_no, ts, txid, response, "
	    "qname, qtype, rcode, answers) VALUES(%" PRId64 ", %d, %" PRId64
	    ", %d, %d, '%s', '%s', %s%s%s, %s%s%s)",
	    n->aid, flow, net_t_ns(at), ++txid & 0xffff, response, qname,
	    qtype, rcode ? "'" : "", rcode ? rcode : "NULL", rcode ? "'" : "",
	    answers ? "'" : "", answers ? answers : "NULL",
	    answers ? "'" : "");
}

TEST(net_dns)
{
	static const char *benign[] = { "www", "mail", "docs", "api", "cdn",
		"static", "login", "accounts", "images", "news", "maps",
		"drive", "play", "calendar", "photos", "translate", "scholar",
		"books", "video", "store", "support", "developers" };
	struct net_t n;
	char name[256], lab[64];
	int f, i, k;
	uint32_t x = 12345;

	if (!net_t_open(t, &n))
		return;
	f = net_t_flow(&n, "udp", "10.0.0.5", 53000, "10.0.0.2", 53, 0, 100,
	    200, 200, 9000, 18000, NULL, 0, "dns", 0);
	/* A tunnel: 30 long random labels under t.evil.example. */
	for (i = 0; i < 30; i++) {
		for (k = 0; k < 40; k++) {
			x = x * 1103515245u + 12345u;
			lab[k] = "abcdefghijklmnopqrstuvwxyz234567"[(x >> 16) & 31];
		}
		lab[k] = '\0';
		snprintf(name, sizeof(name), "%s.t.evil.example", lab);
		net_t_dns(&n, f, i * 1.0, 0, name, "TXT", NULL, NULL);
	}
	/* DGA: 12 random .com names, NXDOMAIN. */
	for (i = 0; i < 12; i++) {
		for (k = 0; k < 14; k++) {
			x = x * 1103515245u + 12345u;
			lab[k] = "bcdfghjklmnpqrstvwxz"[(x >> 16) % 20];
		}
		lab[k] = '\0';
		snprintf(name, sizeof(name), "%s.com", lab);
		net_t_dns(&n, f, 50 + i, 0, name, "A", NULL, NULL);
		net_t_dns(&n, f, 50.01 + i, 1, name, "A", "NXDOMAIN", NULL);
	}
	/* Ordinary names under one domain, all resolving. */
	for (i = 0; i < (int)ARRAY_SIZE(benign); i++) {
		snprintf(name, sizeof(name), "%s.google.com", benign[i]);
		net_t_dns(&n, f, 70 + i, 0, name, "A", NULL, NULL);
		net_t_dns(&n, f, 70.01 + i, 1, name, "A", "NOERROR",
		    "A 142.250.0.1");
	}
	/* Reverse lookups are never a tunnel. */
	for (i = 0; i < 30; i++) {
		snprintf(name, sizeof(name),
		    "%d.%d.0.10.in-addr.arpa", i * 7 % 250, i);
		net_t_dns(&n, f, 90 + i * 0.1, 0, name, "PTR", NULL, NULL);
	}
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.dns.tunnel"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.dns.dga"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 2))
		net_t_dump(&n);
	net_t_has(&n, "net.dns.tunnel", "30 unique names under evil.example");
	net_t_has(&n, "net.dns.tunnel", "T1071.004");
	net_t_has(&n, "net.dns.dga", "12 random-looking");
	CHECK_EQ_INT(net_t_evcount(&n, "net.dns.tunnel"), 30);
out:
	store_close(n.s);
}

TEST(net_platform_mining)
{
	struct net_t n;
	int f;

	if (!net_t_open(t, &n))
		return;
	f = net_t_flow(&n, "tcp", "172.17.0.3", 49000, "172.17.0.1", 2375, 0,
	    2, 8, 8, 900, 1400, "SF", (SYN | ACK | PSH | FIN) * 257,
	    "docker-api", 0);
	net_t_sql(&n,
	    "INSERT INTO http_all(artifact_id, flow_no, ts, request, method, "
	    "host, uri) VALUES(%" PRId64 ", %d, %" PRId64
	    ", 1, 'POST', '172.17.0.1:2375', '/v1.41/containers/create')",
	    n.aid, f, net_t_ns(0.1));
	f = net_t_flow(&n, "tcp", "172.17.0.3", 49001, "169.254.169.254", 80,
	    5, 1, 5, 5, 200, 1200, "SF", (SYN | ACK | PSH | FIN) * 257, "http",
	    0);
	net_t_sql(&n,
	    "INSERT INTO http_all(artifact_id, flow_no, ts, request, method, "
	    "host, uri) VALUES(%" PRId64 ", %d, %" PRId64
	    ", 1, 'GET', '169.254.169.254', "
	    "'/latest/meta-data/iam/security-credentials/role')",
	    n.aid, f, net_t_ns(5.1));
	net_t_flow(&n, "tcp", "172.17.0.3", 49002, "10.0.0.20", 10250, 10, 1,
	    5, 5, 200, 1200, "SF", (SYN | ACK | PSH | FIN) * 257, "tls", 0);
	net_t_flow(&n, "tcp", "172.17.0.3", 49003, "203.0.113.50", 3333, 20,
	    100, 50, 50, 3000, 9000, "S1", (SYN | ACK | PSH) * 257, "stratum",
	    0);
	/* A refused connection to the Docker port alone is quiet. */
	net_t_flow(&n, "tcp", "172.17.0.4", 49004, "172.17.0.1", 2375, 30,
	    0.001, 1, 1, 0, 0, "REJ", SYN | (RST | ACK) << 8, NULL, 0);
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_count(&n, "net.docker_api"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.metadata"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.kubelet"), 1) ||
	    !CHECK_EQ_INT(net_t_count(&n, "net.mining"), 1) ||
	    !CHECK_EQ_INT(net_t_all(&n), 4))
		net_t_dump(&n);
	net_t_has(&n, "net.docker_api", "/v1.41/containers/create");
	net_t_has(&n, "net.docker_api", "high");
	net_t_has(&n, "net.metadata", "security-credentials");
	net_t_has(&n, "net.mining", "T1496");
	CHECK_EQ_INT(net_t_evcount(&n, "net.docker_api"), 2);
out:
	store_close(n.s);
}

TEST(net_benign_quiet)
{
	struct net_t n;
	char ip[32];
	int i;

	if (!net_t_open(t, &n))
		return;
	/* A web server with 60 clients, some of them repeat visitors. */
	for (i = 0; i < 60; i++) {
		snprintf(ip, sizeof(ip), "198.51.100.%d", i % 40 + 1);
		net_t_flow(&n, "tcp", ip, 50000 + i, "10.0.0.80", 443, i * 0.5,
		    2, 10, 12, 800, 30000, "SF",
		    (SYN | ACK | PSH | FIN) * 257, "tls", 0);
	}
	/* A browser: 30 servers in a minute. */
	for (i = 0; i < 30; i++) {
		snprintf(ip, sizeof(ip), "203.0.113.%d", i + 1);
		net_t_flow(&n, "tcp", "10.0.0.5", 51000 + i, ip, 443, 100 + i,
		    5, 20, 30, 1500, 90000, "SF",
		    (SYN | ACK | PSH | FIN) * 257, "tls", 0);
	}
	/* A single failed connection, and a refused one. */
	net_t_flow(&n, "tcp", "10.0.0.5", 52000, "203.0.113.99", 8081, 200, 3,
	    3, 0, 0, 0, "S0", SYN, NULL, 0);
	net_t_flow(&n, "tcp", "10.0.0.5", 52001, "203.0.113.98", 8082, 201, 0,
	    1, 1, 0, 0, "REJ", SYN | (RST | ACK) << 8, NULL, 0);
	/* NTP every 64 s. */
	for (i = 0; i < 12; i++)
		net_t_flow(&n, "udp", "10.0.0.5", 123, "10.0.0.2", 123,
		    300 + i * 64.0, 0.01, 1, 1, 48, 48, NULL, 0, NULL, 0);
	if (net_t_run(&n) < 0)
		goto out;
	if (!CHECK_EQ_INT(net_t_all(&n), 0))
		net_t_dump(&n);
out:
	store_close(n.s);
}

static int
net_t_digest_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	(void)e;
	snprintf(user, 256, "%s", rowq_text(r, 0));
	return 0;
}

TEST(net_thresholds_override)
{
	struct dd_err e = DD_ERR_INIT;
	struct an_result res[16];
	const char *only[] = { "net" };
	char head[SHA256_HEX], d1[256] = "", d2[256] = "";
	const char *conf = test_path(t, "th.conf");
	struct net_t n;
	size_t nres;
	FILE *fp;
	int p;

	if (!net_t_open(t, &n))
		return;
	for (p = 0; p < 12; p++)
		net_t_flow(&n, "tcp", "10.0.0.5", 40000, "10.0.0.9", 20 + p,
		    p * 0.1, 0.01, 1, 1, 0, 0, "REJ", SYN | (RST | ACK) << 8,
		    NULL, 0);
	unsetenv("DRYDOCK_NET_THRESHOLDS");
	if (net_t_run(&n) < 0)
		goto out;
	CHECK_EQ_INT(net_t_count(&n, "net.scan.vertical"), 1);
	rowq_each(n.s,
	    "SELECT rules_sha256 FROM analyzer_runs WHERE analyzer = 'net'",
	    NULL, 0, net_t_digest_row, d1, NULL);
	/* Raise the bar: the scan no longer counts; the digest changes. */
	fp = fopen(conf, "w");
	if (!CHECK(fp != NULL))
		goto out;
	fprintf(fp, "# stricter\nscan_min_ports = 100\n");
	fclose(fp);
	setenv("DRYDOCK_NET_THRESHOLDS", conf, 1);
	if (net_t_run(&n) < 0)
		goto unset;
	CHECK_EQ_INT(net_t_count(&n, "net.scan.vertical"), 0);
	rowq_each(n.s,
	    "SELECT rules_sha256 FROM analyzer_runs WHERE analyzer = 'net'",
	    NULL, 0, net_t_digest_row, d2, NULL);
	CHECK(d1[0] != '\0' && d2[0] != '\0' && strcmp(d1, d2) != 0);
	/* An unknown key is an error naming the file and line. */
	fp = fopen(conf, "w");
	if (!CHECK(fp != NULL))
		goto unset;
	fprintf(fp, "scan_min_ports = 10\nno_such_key = 1\n");
	fclose(fp);
	CHECK(analyzer_run(n.s, only, 1, AN_NEEDS_NET, res, &nres, head,
	    &e) < 0);
	CHECK(strstr(e.msg, "th.conf:2: unknown key 'no_such_key'") != NULL);
unset:
	unsetenv("DRYDOCK_NET_THRESHOLDS");
out:
	store_close(n.s);
}
