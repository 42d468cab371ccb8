/* SPDX-License-Identifier: Apache-2.0 */
/*
 * an-net.c: network behaviour in packet captures (the flows, dns, http,
 * tls and arp relations of schema migration 4).
 *
 * The flow pass (on_flow) keeps a compact copy of every flow; finish adds
 * the columns the dispatcher does not hand over (per-direction packets and
 * payload, TCP state and flags, service guess, failed authentications),
 * reads dns, http, tls and arp through an_query(), and runs the rules in
 * C over sorted groups. Every threshold comes from net-thresholds.conf
 * (embedded at build time; DRYDOCK_NET_THRESHOLDS=FILE overrides keys at
 * run time); the effective values are the rules text hashed into custody.
 *
 * Rules (ATT&CK ids in brackets):
 *   net.sweep.arp, net.sweep.icmp, net.sweep.tcp
 *	one source asks for (ARP who-has), pings (ICMP echo) or TCP-pings
 *	(ACK probes, or probes to both tcp_ping_ports) many addresses
 *	within a window [T1018, T1046];
 *   net.scan.vertical, net.scan.horizontal
 *	one source probes many ports of one address, or one port of many
 *	addresses; a probe carries no payload. The detail says whether it
 *	was a SYN (half-open) or a connect scan, from the initiator's flags
 *	on the ports that answered [T1046];
 *   net.bruteforce.<service>
 *	many short sessions, or failed authentications, from one source to
 *	one service (ssh, ftp, telnet, smtp, pop3, imap, smb, mssql, mysql,
 *	rdp, postgresql, vnc, redis, mongodb); HTTP 401 answers from the http
 *	relation for http [T1110];
 *   net.arp.spoof, net.arp.gratuitous_flood, net.arp.many_ips
 *	an address taken over by a new MAC, gratuitous ARP floods, one MAC
 *	claiming many addresses [T1557.002];
 *   net.flood
 *	one source sending packets at a high rate to one target or a
 *	broadcast address, or a no-payload TCP flood from many sources to
 *	one target [T1498, T1499];
 *   net.dns.tunnel, net.dns.dga
 *	many unique long or high-entropy names under one registered domain
 *	(or TXT/NULL volume); a client looking up many random-looking
 *	domains that do not resolve [T1071.004, T1048; T1568.002];
 *   net.beacon
 *	periodic connections with low jitter from one source to one
 *	destination and port [T1071];
 *   net.docker_api, net.kubelet, net.k8s_api, net.metadata
 *	Docker Engine API use (and container create/exec/attach/start
 *	calls), kubelet API sessions, a container calling the Kubernetes API
 *	(informational), cloud instance metadata requests [T1609, T1610,
 *	T1613, T1552.005];
 *   net.mining
 *	stratum sessions, lookups or TLS names of mining pools [T1496];
 *   net.revshell
 *	a long TCP session of small packets both ways to an uncommon port,
 *	started from a container or a private address, in no recognised
 *	protocol [T1059].
 *
 * Evidence rows: ("flows", id); ("dns", "FLOW_ID:TS"), ("http",
 * "FLOW_ID:TS") and ("tls", "FLOW_ID:TS") for one message of those
 * relations (they have no id column: the flow and the message's time pick
 * it); ("arp", "ARTIFACT_ID:PKT") for one ARP packet. The first row is
 * the primary one. At most evidence_max rows per finding; the detail
 * counts the rest. Entities: ("endpoint", address).
 */
#include "core/common.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <strings.h>

#include "analyzers/analyzer.h"
#include "core/dderr.h"
#include "core/sbuf.h"
#include "core/util.h"
#include "core/xmalloc.h"

/* net-thresholds.conf, embedded by the Makefile ($(O)/gen/net-thresholds.c). */
extern const char an_net_thresholds_text[];

#define AN_NET_ENV "DRYDOCK_NET_THRESHOLDS"
#define AN_NET_NS 1000000000LL

/* TCP flag bits as flow_all.tcp_flags stores them (fwd | rev << 8). */
enum {
	AN_NET_FIN = 1,
	AN_NET_SYN = 2,
	AN_NET_RST = 4,
	AN_NET_PSH = 8,
	AN_NET_ACK = 16,
};

enum an_net_proto {
	AN_NET_OTHER,
	AN_NET_TCP,
	AN_NET_UDP,
	AN_NET_ICMP,
	AN_NET_ICMP6,
};

/* ---- thresholds ---- */

enum an_net_kind { AN_NET_NUM, AN_NET_PORTS, AN_NET_WORDS };

/* The keys of net-thresholds.conf, in its order. */
#define AN_NET_KEYS(X)                                   \
	X(scan_window_s, AN_NET_NUM)                     \
	X(sweep_min_targets, AN_NET_NUM)                 \
	X(scan_min_ports, AN_NET_NUM)                    \
	X(probe_max_packets, AN_NET_NUM)                 \
	X(tcp_ping_ports, AN_NET_PORTS)                  \
	X(bruteforce_window_s, AN_NET_NUM)               \
	X(bruteforce_min, AN_NET_NUM)                    \
	X(bruteforce_session_max_s, AN_NET_NUM)          \
	X(arp_window_s, AN_NET_NUM)                      \
	X(arp_gratuitous_min, AN_NET_NUM)                \
	X(arp_many_ips_min, AN_NET_NUM)                  \
	X(arp_spoof_min_claims, AN_NET_NUM)              \
	X(flood_min_packets, AN_NET_NUM)                 \
	X(flood_min_pps, AN_NET_NUM)                     \
	X(dns_tunnel_min_unique, AN_NET_NUM)             \
	X(dns_tunnel_min_label_len, AN_NET_NUM)          \
	X(dns_tunnel_min_entropy, AN_NET_NUM)            \
	X(dns_tunnel_min_txt, AN_NET_NUM)                \
	X(dga_min_domains, AN_NET_NUM)                   \
	X(dga_min_label_len, AN_NET_NUM)                 \
	X(dga_min_entropy, AN_NET_NUM)                   \
	X(dga_max_vowel_ratio, AN_NET_NUM)               \
	X(dns_ignore_domains, AN_NET_WORDS)              \
	X(beacon_min_conns, AN_NET_NUM)                  \
	X(beacon_max_cv, AN_NET_NUM)                     \
	X(beacon_min_interval_s, AN_NET_NUM)             \
	X(beacon_private_dst, AN_NET_NUM)                \
	X(beacon_ignore_ports, AN_NET_PORTS)             \
	X(docker_api_ports, AN_NET_PORTS)                \
	X(kubelet_ports, AN_NET_PORTS)                   \
	X(k8s_api_ports, AN_NET_PORTS)                   \
	X(metadata_addrs, AN_NET_WORDS)                  \
	X(mining_ports, AN_NET_PORTS)                    \
	X(mining_domains, AN_NET_WORDS)                  \
	X(revshell_min_duration_s, AN_NET_NUM)           \
	X(revshell_min_packets, AN_NET_NUM)              \
	X(revshell_max_avg_payload, AN_NET_NUM)          \
	X(revshell_common_ports, AN_NET_PORTS)           \
	X(evidence_max, AN_NET_NUM)

#define AN_NET_ENUM(k, t) AN_NET_K_##k,
enum { AN_NET_KEYS(AN_NET_ENUM) AN_NET_NKEYS };
#undef AN_NET_ENUM

static const struct {
	const char *name;
	enum an_net_kind kind;
} an_net_keys[] = {
#define AN_NET_ROW(k, t) { #k, t },
	AN_NET_KEYS(AN_NET_ROW)
#undef AN_NET_ROW
};

/* Effective thresholds. val[] and the port sets are heap-owned. */
struct an_net_conf {
	char *val[AN_NET_NKEYS];	   /* value text as written */
	double num[AN_NET_NKEYS];	   /* AN_NET_NUM values */
	uint8_t *ports[AN_NET_NKEYS];	   /* AN_NET_PORTS: 65536-bit sets */
};

#define CF(c, k) ((c)->num[AN_NET_K_##k])

static void
an_net_conf_free(struct an_net_conf *c)
{
	size_t i;

	for (i = 0; i < AN_NET_NKEYS; i++) {
		free(c->val[i]);
		free(c->ports[i]);
	}
	memset(c, 0, sizeof(*c));
}

static bool
an_net_port_in(const struct an_net_conf *c, int key, int64_t port)
{
	if (port < 0 || port > 65535 || c->ports[key] == NULL)
		return false;
	return (c->ports[key][port >> 3] >> (port & 7)) & 1;
}

static char *
an_net_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			      end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Set key k from text v; <0 with e set when v is not valid for it. */
static int
an_net_conf_set(struct an_net_conf *c, size_t k, const char *v,
    struct dd_err *e)
{
	char *end;
	double d;

	switch (an_net_keys[k].kind) {
	case AN_NET_NUM:
		errno = 0;
		d = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno != 0 || !isfinite(d) ||
		    d < 0)
			return dd_err_set(e, DD_EFORMAT,
			    "%s: '%s' is not a non-negative number",
			    an_net_keys[k].name, v);
		c->num[k] = d;
		break;
	case AN_NET_PORTS: {
		uint8_t *set = xcalloc(8192, 1);
		const char *p = v;

		while (*p != '\0') {
			long n;

			while (*p == ' ' || *p == ',')
				p++;
			if (*p == '\0')
				break;
			errno = 0;
			n = strtol(p, &end, 10);
			if (end == p || errno != 0 || n < 0 || n > 65535 ||
			    (*end != '\0' && *end != ',' && *end != ' ')) {
				free(set);
				return dd_err_set(e, DD_EFORMAT,
				    "%s: '%s' is not a list of ports",
				    an_net_keys[k].name, v);
			}
			set[n >> 3] |= (uint8_t)(1u << (n & 7));
			p = end;
		}
		free(c->ports[k]);
		c->ports[k] = set;
		break;
	}
	case AN_NET_WORDS:
		break;
	}
	free(c->val[k]);
	c->val[k] = xstrdup(v);
	return 0;
}

/* Apply the "key = value" lines of text (named src in messages). */
static int
an_net_conf_parse(struct an_net_conf *c, const char *text, const char *src,
    struct dd_err *e)
{
	char *copy = xstrdup(text), *line = copy, *next;
	unsigned lineno = 0;
	int rc = 0;

	for (; line != NULL; line = next) {
		char *hash, *eq, *key, *val;
		size_t k;

		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		key = an_net_trim(line);
		if (*key == '\0')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			rc = dd_err_set(e, DD_EFORMAT,
			    "%s:%u: expected 'key = value'", src, lineno);
			break;
		}
		*eq = '\0';
		val = an_net_trim(eq + 1);
		key = an_net_trim(key);
		for (k = 0; k < AN_NET_NKEYS; k++)
			if (strcmp(an_net_keys[k].name, key) == 0)
				break;
		if (k == AN_NET_NKEYS) {
			rc = dd_err_set(e, DD_EFORMAT, "%s:%u: unknown key '%s'",
			    src, lineno, key);
			break;
		}
		if ((rc = an_net_conf_set(c, k, val, e)) < 0) {
			dd_err_prefix(e, "%s:%u", src, lineno);
			break;
		}
	}
	free(copy);
	return rc;
}

/* The embedded defaults, then the file DRYDOCK_NET_THRESHOLDS names. */
static int
an_net_conf_load(struct an_net_conf *c, struct dd_err *e)
{
	const char *path = getenv(AN_NET_ENV);
	size_t k, len;
	char *text;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = an_net_conf_parse(c, an_net_thresholds_text,
		 "net-thresholds.conf", e)) < 0)
		goto fail;
	for (k = 0; k < AN_NET_NKEYS; k++)
		if (c->val[k] == NULL) {
			rc = dd_err_set(e, DD_EINTERNAL,
			    "net-thresholds.conf: no value for '%s'",
			    an_net_keys[k].name);
			goto fail;
		}
	if (path != NULL && *path != '\0') {
		if ((rc = file_read_all(path, 1 << 20, &text, &len, e)) < 0)
			goto fail;
		if (memchr(text, '\0', len) != NULL)
			rc = dd_err_set(e, DD_EFORMAT, "%s: a NUL byte", path);
		else
			rc = an_net_conf_parse(c, text, path, e);
		free(text);
		if (rc < 0)
			goto fail;
	}
	return 0;
fail:
	dd_err_prefix(e, "net thresholds");
	an_net_conf_free(c);
	return rc;
}

/* ---- state ---- */

/* One flow: the dispatcher's columns plus those finish adds. */
struct an_net_flow {
	int64_t id, first, last;
	int64_t pf, pr;	    /* packets initiator->responder, back */
	int64_t bf, br;	    /* IP bytes */
	int64_t plf, plr;   /* L4 payload bytes */
	int32_t sport, dport;
	uint32_t src, dst;  /* interned addresses */
	uint32_t cont;	    /* interned container id, 0 none */
	uint32_t svc;	    /* interned service guess, 0 none */
	int32_t authfail;
	uint16_t flags;	    /* fwd | rev << 8 */
	uint8_t proto;	    /* enum an_net_proto */
	bool ext;	    /* the extra columns were read */
	bool used;	    /* claimed by a sweep (not a horizontal scan) */
	bool bruted;	    /* part of a brute force (not a beacon) */
};

/* One ARP packet. */
struct an_net_arp {
	int64_t ts, artifact, pkt;
	uint32_t smac, sip, tip;
	bool request;
};

/* One DNS message. */
struct an_net_dns {
	int64_t ts, flow_id;
	uint32_t name, dom, src; /* dom: registered domain */
	bool response, txt, nx, answered;
};

/* One HTTP message. */
struct an_net_http {
	int64_t ts, flow_id, status, dport;
	uint32_t src, dst, uri, host;
	bool request;
};

/* (time, key, reference) triple for the sliding windows. */
struct an_net_tk {
	int64_t ts;
	uint32_t key;
	uint32_t ref;
	int64_t w;
};

/* A sort key for grouping. */
struct an_net_gk {
	uint64_t k1, k2;
	int64_t ts, id;
	uint32_t i;
};

struct an_net_st {
	struct an_net_conf conf;
	/* Interned strings: s[1..n) (0 is "none"); slot holds index. */
	char **s;
	uint32_t ns, as;
	uint32_t *slot;
	uint32_t nslot;
	struct an_net_flow *fl;
	size_t nfl, afl;
	uint32_t *byid; /* flow indices sorted by id */
	uint32_t *cnt;	/* window counters, ncnt entries, kept zero */
	size_t ncnt;
	struct an_net_arp *arp;
	size_t narp, aarp;
	struct an_net_dns *dns;
	size_t ndns, adns;
	struct an_net_http *http;
	size_t nhttp, ahttp;
	struct an_net_http *tls; /* uri holds the SNI */
	size_t ntls, atls;
	struct an_ctx *ctx;
};

static uint32_t
an_net_intern(struct an_net_st *st, const char *s)
{
	size_t n;
	uint64_t h;
	uint32_t i, mask;

	if (s == NULL || *s == '\0')
		return 0;
	n = strlen(s);
	if ((st->ns + 1) * 2 > st->nslot) {
		uint32_t ns = st->nslot ? st->nslot * 2 : 1024, k;
		uint32_t *nv = xcalloc(ns, sizeof(*nv));

		for (k = 1; k < st->ns; k++) {
			h = hash64(0, st->s[k], strlen(st->s[k]));
			for (i = (uint32_t)h & (ns - 1); nv[i] != 0;
			     i = (i + 1) & (ns - 1))
				;
			nv[i] = k;
		}
		free(st->slot);
		st->slot = nv;
		st->nslot = ns;
	}
	mask = st->nslot - 1;
	h = hash64(0, s, n);
	for (i = (uint32_t)h & mask; st->slot[i] != 0; i = (i + 1) & mask)
		if (strcmp(st->s[st->slot[i]], s) == 0)
			return st->slot[i];
	if (st->ns == st->as) {
		st->as = st->as ? st->as * 2 : 1024;
		st->s = xreallocarray(st->s, st->as, sizeof(*st->s));
	}
	st->s[st->ns] = xstrdup(s);
	st->slot[i] = st->ns;
	return st->ns++;
}

static const char *
an_net_str(const struct an_net_st *st, uint32_t i)
{
	return i == 0 || i >= st->ns ? "" : st->s[i];
}

#define AN_NET_PUSH(arr, n, a)                                           \
	do {                                                             \
		if ((n) == (a)) {                                        \
			(a) = (a) ? (a) * 2 : 256;                       \
			(arr) = xreallocarray((arr), (a), sizeof(*(arr))); \
		}                                                        \
	} while (0)

static int
an_net_init(struct an_ctx *ctx, struct dd_err *e)
{
	struct an_net_st *st = xcalloc(1, sizeof(*st));
	int rc;

	if ((rc = an_net_conf_load(&st->conf, e)) < 0) {
		free(st);
		return rc;
	}
	st->ns = 1;
	st->as = 1024;
	st->s = xcalloc(st->as, sizeof(*st->s));
	st->ctx = ctx;
	ctx->state = st;
	return 0;
}

static void
an_net_fini(struct an_ctx *ctx)
{
	struct an_net_st *st = ctx->state;
	uint32_t i;

	if (st == NULL)
		return;
	for (i = 1; i < st->ns; i++)
		free(st->s[i]);
	free(st->s);
	free(st->slot);
	free(st->fl);
	free(st->byid);
	free(st->cnt);
	free(st->arp);
	free(st->dns);
	free(st->http);
	free(st->tls);
	an_net_conf_free(&st->conf);
	free(st);
	ctx->state = NULL;
}

static int
an_net_flow(struct an_ctx *ctx, const struct an_flow *f, struct dd_err *e)
{
	struct an_net_st *st = ctx->state;
	struct an_net_flow *r;

	(void)e;
	AN_NET_PUSH(st->fl, st->nfl, st->afl);
	r = &st->fl[st->nfl++];
	memset(r, 0, sizeof(*r));
	r->id = f->id;
	r->first = f->first_ts;
	r->last = f->last_ts < f->first_ts ? f->first_ts : f->last_ts;
	r->sport = (int32_t)f->sport;
	r->dport = (int32_t)f->dport;
	r->src = an_net_intern(st, f->src);
	r->dst = an_net_intern(st, f->dst);
	r->cont = an_net_intern(st, f->container_id);
	r->pf = f->packets;
	if (strcmp(f->proto, "tcp") == 0)
		r->proto = AN_NET_TCP;
	else if (strcmp(f->proto, "udp") == 0)
		r->proto = AN_NET_UDP;
	else if (strcmp(f->proto, "icmp") == 0)
		r->proto = AN_NET_ICMP;
	else if (strcmp(f->proto, "icmpv6") == 0 ||
	    strcmp(f->proto, "ipv6-icmp") == 0)
		r->proto = AN_NET_ICMP6;
	return 0;
}

/* ---- helpers ---- */

static int
an_net_cmp_byid(const void *a, const void *b, void *u)
{
	const struct an_net_st *st = u;
	int64_t x = st->fl[*(const uint32_t *)a].id;
	int64_t y = st->fl[*(const uint32_t *)b].id;

	return x < y ? -1 : x > y;
}

/* The flow with this id, or NULL. */
static struct an_net_flow *
an_net_find(struct an_net_st *st, int64_t id)
{
	size_t lo = 0, hi = st->nfl;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t v = st->fl[st->byid[mid]].id;

		if (v == id)
			return &st->fl[st->byid[mid]];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
an_net_gk_cmp(const void *a, const void *b)
{
	const struct an_net_gk *x = a, *y = b;

	if (x->k1 != y->k1)
		return x->k1 < y->k1 ? -1 : 1;
	if (x->k2 != y->k2)
		return x->k2 < y->k2 ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Largest number of distinct keys in any window of win ns over
 * t[0..n) (sorted by ts); [*lo, *hi] gets that window. st->cnt must hold
 * every key and is left zero. */
static size_t
an_net_window(struct an_net_st *st, const struct an_net_tk *t, size_t n,
    int64_t win, size_t *lo, size_t *hi)
{
	size_t i = 0, j, best = 0, distinct = 0;

	*lo = *hi = 0;
	for (j = 0; j < n; j++) {
		if (st->cnt[t[j].key]++ == 0)
			distinct++;
		while (t[j].ts - t[i].ts > win) {
			if (--st->cnt[t[i].key] == 0)
				distinct--;
			i++;
		}
		if (distinct > best) {
			best = distinct;
			*lo = i;
			*hi = j;
		}
	}
	for (; i < n; i++)
		st->cnt[t[i].key]--;
	return best;
}

/* Largest sum of w in any window of win ns over t[0..n). */
static int64_t
an_net_window_sum(const struct an_net_tk *t, size_t n, int64_t win,
    size_t *lo, size_t *hi)
{
	size_t i = 0, j;
	int64_t sum = 0, best = 0;

	*lo = *hi = 0;
	for (j = 0; j < n; j++) {
		sum += t[j].w;
		while (t[j].ts - t[i].ts > win)
			sum -= t[i++].w;
		if (sum > best) {
			best = sum;
			*lo = i;
			*hi = j;
		}
	}
	return best;
}

/* Make st->cnt hold keys up to n (exclusive). */
static void
an_net_cnt_reserve(struct an_net_st *st, size_t n)
{
	if (st->ncnt >= n)
		return;
	free(st->cnt);
	st->cnt = xcalloc(n, sizeof(*st->cnt));
	st->ncnt = n;
}

static void
an_net_time(int64_t ns, char out[40])
{
	char *dot;

	time_fmt_ns(ns, out);
	/* Milliseconds are enough for people. */
	if ((dot = strchr(out, '.')) != NULL && strlen(dot) > 4) {
		dot[4] = 'Z';
		dot[5] = '\0';
	}
}

static double
an_net_secs(int64_t ns)
{
	return (double)ns / (double)AN_NET_NS;
}

static int64_t
an_net_ns(double s)
{
	return (int64_t)(s * (double)AN_NET_NS);
}

/* True for RFC 1918, CGNAT, loopback, link-local, ULA addresses. */
static bool
an_net_private(const char *a)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, a, b) == 1)
		return b[0] == 10 || b[0] == 127 ||
		    (b[0] == 172 && (b[1] & 0xf0) == 16) ||
		    (b[0] == 192 && b[1] == 168) ||
		    (b[0] == 169 && b[1] == 254) ||
		    (b[0] == 100 && (b[1] & 0xc0) == 64);
	if (inet_pton(AF_INET6, a, b) == 1) {
		static const uint8_t lo[16] = { [15] = 1 };
		return (b[0] & 0xfe) == 0xfc ||
		    (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
		    memcmp(b, lo, 16) == 0;
	}
	return false;
}

/* True for broadcast and multicast destinations. */
static bool
an_net_broadcast(const char *a)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, a, b) == 1)
		return b[3] == 255 || (b[0] & 0xf0) == 224;
	if (inet_pton(AF_INET6, a, b) == 1)
		return b[0] == 0xff;
	return false;
}

/* Is word (n bytes) an item of the comma-separated list? With suffix,
 * also when word ends in "." item. */
static bool
an_net_in_words(const char *list, const char *word, bool suffix)
{
	size_t wn = strlen(word);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ',');
		size_t n;

		while (*p == ' ')
			p++;
		n = end ? (size_t)(end - p) : strlen(p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n > 0 && n == wn && strncasecmp(p, word, n) == 0)
			return true;
		if (suffix && n > 0 && wn > n + 1 && word[wn - n - 1] == '.' &&
		    strncasecmp(word + wn - n, p, n) == 0)
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

/* Shannon entropy in bits per character of s[0..n). */
static double
an_net_entropy(const char *s, size_t n)
{
	unsigned c[256] = { 0 };
	double h = 0;
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		c[(uint8_t)s[i]]++;
	for (i = 0; i < 256; i++)
		if (c[i]) {
			double p = (double)c[i] / (double)n;
			h -= p * log2(p);
		}
	return h;
}

/* ---- evidence and emission ---- */

struct an_net_evb {
	struct finding_ref *r;
	size_t n, max, total;
	struct arena *a;
};

static void
an_net_evb_init(struct an_net_evb *b, struct an_net_st *st)
{
	memset(b, 0, sizeof(*b));
	b->max = (size_t)CF(&st->conf, evidence_max);
	if (b->max < 1)
		b->max = 1;
	b->r = xcalloc(b->max, sizeof(*b->r));
	b->a = st->ctx->arena;
}

static void
an_net_evb_release(struct an_net_evb *b)
{
	free(b->r);
	b->r = NULL;
}

/* Add (rel, key) unless present; counted in total either way. */
static void
an_net_evb_add(struct an_net_evb *b, const char *rel, const char *key)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->r[i].a, rel) == 0 && strcmp(b->r[i].b, key) == 0)
			return;
	b->total++;
	if (b->n < b->max) {
		b->r[b->n].a = rel;
		b->r[b->n].b = arena_strdup(b->a, key);
		b->n++;
	}
}

static void
an_net_evb_flow(struct an_net_evb *b, const struct an_net_flow *f)
{
	char k[32];

	snprintf(k, sizeof(k), "%" PRId64, f->id);
	an_net_evb_add(b, "flows", k);
}

static void
an_net_evb_msg(struct an_net_evb *b, const char *rel, int64_t flow_id,
    int64_t ts)
{
	char k[48];

	snprintf(k, sizeof(k), "%" PRId64 ":%" PRId64, flow_id, ts);
	an_net_evb_add(b, rel, k);
}

/* " (N more not listed as evidence)" when the cap cut the list. */
static void
an_net_evb_note(struct sbuf *d, const struct an_net_evb *b)
{
	if (b->total > b->n)
		sbuf_addf(d,
		    " Evidence lists the first %zu of %zu records.", b->n,
		    b->total);
}

struct an_net_out {
	const char *rule;
	enum finding_sev sev;
	double conf;
	const char *attack[3];
	int64_t ts;
	uint32_t cont;
	uint32_t ent[2];
};

/* Emit one finding. Another finding of the same rule with the same
 * primary evidence would collide on its id: then the first evidence row
 * not yet primary for the rule leads instead. */
static int
an_net_emit(struct an_net_st *st, const struct an_net_out *o,
    const char *title, const char *detail, struct an_net_evb *b)
{
	struct an_ctx *ctx = st->ctx;
	struct finding_ref ent[2];
	struct finding f;
	size_t i, k, natt = 0;

	if (b->n == 0)
		return 0;
	for (k = 0; k < b->n; k++) {
		for (i = 0; i < ctx->nfound; i++) {
			const struct finding *g = &ctx->found[i];
			if (strcmp(g->rule, o->rule) == 0 && g->nevidence > 0 &&
			    strcmp(g->evidence[0].a, b->r[k].a) == 0 &&
			    strcmp(g->evidence[0].b, b->r[k].b) == 0)
				break;
		}
		if (i == ctx->nfound)
			break;
	}
	if (k == b->n)
		return 0;
	if (k > 0) {
		struct finding_ref t = b->r[0];
		b->r[0] = b->r[k];
		b->r[k] = t;
	}
	while (natt < ARRAY_SIZE(o->attack) && o->attack[natt] != NULL)
		natt++;
	memset(&f, 0, sizeof(f));
	f.rule = o->rule;
	f.severity = o->sev;
	f.confidence = o->conf;
	f.title = title;
	f.detail = detail;
	f.ts = o->ts;
	f.has_ts = true;
	f.attack = o->attack;
	f.nattack = natt;
	f.container_id = o->cont ? an_net_str(st, o->cont) : NULL;
	f.evidence = b->r;
	f.nevidence = b->n;
	for (i = 0; i < 2; i++) {
		if (o->ent[i] == 0 || (i == 1 && o->ent[1] == o->ent[0]))
			continue;
		ent[f.nentities].a = "endpoint";
		ent[f.nentities].b = an_net_str(st, o->ent[i]);
		f.nentities++;
	}
	f.entities = ent;
	return an_emit(ctx, &f);
}

/* The first container among flows g[lo..hi] (indices into st->fl). */
static uint32_t
an_net_cont_of(const struct an_net_st *st, const struct an_net_tk *t,
    size_t lo, size_t hi)
{
	size_t i;

	for (i = lo; i <= hi; i++)
		if (st->fl[t[i].ref].cont)
			return st->fl[t[i].ref].cont;
	return 0;
}

/* ---- reading the relations ---- */

static int
an_net_ext_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_net_st *st = user;
	struct an_net_flow *f = an_net_find(st, rowq_int(r, 0));

	(void)e;
	if (f == NULL)
		return 0;
	f->pf = rowq_int(r, 1);
	f->pr = rowq_int(r, 2);
	f->plf = rowq_int(r, 3);
	f->plr = rowq_int(r, 4);
	f->flags = (uint16_t)rowq_int(r, 5);
	f->svc = rowq_null(r, 6) ? 0 : an_net_intern(st, rowq_text(r, 6));
	f->authfail = (int32_t)rowq_int(r, 7);
	f->bf = rowq_int(r, 8);
	f->br = rowq_int(r, 9);
	f->ext = true;
	return 0;
}

static int
an_net_arp_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_net_st *st = user;
	struct an_net_arp *a;

	(void)e;
	AN_NET_PUSH(st->arp, st->narp, st->aarp);
	a = &st->arp[st->narp++];
	a->ts = rowq_int(r, 0);
	a->request = strcmp(rowq_text(r, 1), "request") == 0;
	a->smac = an_net_intern(st, rowq_text(r, 2));
	a->sip = an_net_intern(st, rowq_text(r, 3));
	a->tip = an_net_intern(st, rowq_text(r, 4));
	a->artifact = rowq_int(r, 5);
	a->pkt = rowq_int(r, 6);
	return 0;
}

/* The registered domain of a lower-case name: its last two labels, or
 * three when the second-level label has 3 characters or fewer and the
 * top-level one 2 (co.uk, com.au). Returns the offset into name. */
static size_t
an_net_regdom(const char *name)
{
	size_t n = strlen(name), dots[3] = { 0 }, nd = 0, i;

	for (i = n; i-- > 0;)
		if (name[i] == '.') {
			dots[nd++] = i;
			if (nd == 3)
				break;
		}
	if (nd < 2)
		return 0;
	/* dots[0] before the TLD, dots[1] before the second level. */
	if (n - dots[0] - 1 == 2 && dots[0] - dots[1] - 1 <= 3)
		return nd == 3 ? dots[2] + 1 : 0;
	return dots[1] + 1;
}

static int
an_net_dns_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_net_st *st = user;
	const char *qt = rowq_text(r, 3), *rc = rowq_text(r, 4);
	char name[256];
	struct an_net_dns *d;
	size_t n, i;

	(void)e;
	n = strlen(rowq_text(r, 2));
	if (n == 0 || n >= sizeof(name))
		return 0;
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)rowq_text(r, 2)[i]);
	while (n > 0 && name[n - 1] == '.')
		n--;
	name[n] = '\0';
	if (n == 0)
		return 0;
	AN_NET_PUSH(st->dns, st->ndns, st->adns);
	d = &st->dns[st->ndns++];
	memset(d, 0, sizeof(*d));
	d->ts = rowq_int(r, 0);
	d->flow_id = rowq_int(r, 1);
	d->name = an_net_intern(st, name);
	d->dom = an_net_intern(st, name + an_net_regdom(name));
	d->response = rowq_int(r, 5) != 0;
	d->src = an_net_intern(st, rowq_text(r, 6));
	d->txt = strcmp(qt, "TXT") == 0 || strcmp(qt, "NULL") == 0 ||
	    strcmp(qt, "TYPE10") == 0 || strcmp(qt, "ANY") == 0;
	d->nx = d->response && strcmp(rc, "NXDOMAIN") == 0;
	d->answered = d->response && strcmp(rc, "NOERROR") == 0 &&
	    !rowq_null(r, 7) && *rowq_text(r, 7) != '\0';
	return 0;
}

static int
an_net_http_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_net_st *st = user;
	struct an_net_http *h;

	(void)e;
	AN_NET_PUSH(st->http, st->nhttp, st->ahttp);
	h = &st->http[st->nhttp++];
	memset(h, 0, sizeof(*h));
	h->ts = rowq_int(r, 0);
	h->flow_id = rowq_int(r, 1);
	h->request = rowq_int(r, 2) != 0;
	h->uri = an_net_intern(st, rowq_text(r, 3));
	h->host = an_net_intern(st, rowq_text(r, 4));
	h->status = rowq_int(r, 5);
	h->src = an_net_intern(st, rowq_text(r, 6));
	h->dst = an_net_intern(st, rowq_text(r, 7));
	h->dport = rowq_int(r, 8);
	return 0;
}

static int
an_net_tls_row(void *user, const struct rowq_row *r, struct dd_err *e)
{
	struct an_net_st *st = user;
	struct an_net_http *h;

	(void)e;
	if (rowq_null(r, 2) || *rowq_text(r, 2) == '\0')
		return 0;
	AN_NET_PUSH(st->tls, st->ntls, st->atls);
	h = &st->tls[st->ntls++];
	memset(h, 0, sizeof(*h));
	h->ts = rowq_int(r, 0);
	h->flow_id = rowq_int(r, 1);
	h->uri = an_net_intern(st, rowq_text(r, 2));
	h->src = an_net_intern(st, rowq_text(r, 3));
	h->dst = an_net_intern(st, rowq_text(r, 4));
	h->dport = rowq_int(r, 5);
	return 0;
}

static int
an_net_read(struct an_net_st *st, struct dd_err *e)
{
	struct an_ctx *ctx = st->ctx;
	size_t i;
	int rc;

	st->byid = xcalloc(st->nfl + 1, sizeof(*st->byid));
	for (i = 0; i < st->nfl; i++)
		st->byid[i] = (uint32_t)i;
	qsort_r(st->byid, st->nfl, sizeof(*st->byid), an_net_cmp_byid, st);
	if (st->nfl > 0 &&
	    (rc = an_query(ctx,
		 "SELECT id, packets_fwd, packets_rev, payload_fwd, "
		 "payload_rev, coalesce(tcp_flags, 0), service, "
		 "auth_failures, bytes_fwd, bytes_rev FROM flows ORDER BY id",
		 NULL, 0, an_net_ext_row, st, e)) < 0)
		return rc;
	if ((rc = an_query(ctx,
		 "SELECT ts, op, sender_mac, sender_ip, target_ip, "
		 "artifact_id, pkt FROM arp ORDER BY ts, artifact_id, pkt",
		 NULL, 0, an_net_arp_row, st, e)) < 0)
		return rc;
	if ((rc = an_query(ctx,
		 "SELECT ts, flow_id, qname, coalesce(qtype, ''), "
		 "coalesce(rcode, ''), response, src, answers FROM dns "
		 "ORDER BY ts, flow_id, txid, response",
		 NULL, 0, an_net_dns_row, st, e)) < 0)
		return rc;
	if ((rc = an_query(ctx,
		 "SELECT ts, flow_id, request, coalesce(uri, ''), "
		 "coalesce(host, ''), coalesce(status, 0), src, dst, dport "
		 "FROM http ORDER BY ts, flow_id, request DESC",
		 NULL, 0, an_net_http_row, st, e)) < 0)
		return rc;
	return an_query(ctx,
	    "SELECT ts, flow_id, sni, src, dst, dport FROM tls "
	    "ORDER BY ts, flow_id",
	    NULL, 0, an_net_tls_row, st, e);
}

/* ---- sweeps and scans ---- */

static bool
an_net_tcp_probe(const struct an_net_st *st, const struct an_net_flow *f)
{
	return f->proto == AN_NET_TCP && f->ext && f->plf == 0 &&
	    f->pf >= 1 &&
	    (double)f->pf <= CF(&st->conf, probe_max_packets);
}

static bool
an_net_udp_probe(const struct an_net_flow *f)
{
	return f->proto == AN_NET_UDP && f->ext && f->pr == 0 && f->pf <= 2;
}

/* An ACK probe: the initiator sent ACK (or RST) but never SYN. */
static bool
an_net_ack_ping(const struct an_net_flow *f)
{
	uint16_t fw = f->flags & 0xff;
	return (fw & AN_NET_SYN) == 0 && (fw & AN_NET_ACK) != 0;
}

/* Collect into *t the flows selected by keep(), grouped by (k1, k2) of
 * key(), each group sorted by time; *ng gets the group ends. The tk key
 * is the counted value. */
typedef bool (*an_net_sel_fn)(struct an_net_st *st,
    const struct an_net_flow *f, uint64_t *k1, uint64_t *k2, uint32_t *cnt);

static size_t
an_net_groups(struct an_net_st *st, an_net_sel_fn sel, struct an_net_gk **gk,
    struct an_net_tk **tk)
{
	size_t i, n = 0;

	*gk = xcalloc(st->nfl + 1, sizeof(**gk));
	*tk = xcalloc(st->nfl + 1, sizeof(**tk));
	for (i = 0; i < st->nfl; i++) {
		struct an_net_gk *g = &(*gk)[n];
		uint32_t key = 0;

		if (!sel(st, &st->fl[i], &g->k1, &g->k2, &key))
			continue;
		g->ts = st->fl[i].first;
		g->i = key;
		(*tk)[n].ref = (uint32_t)i;
		n++;
	}
	/* The flow index (flows are in (first_ts, id) order) breaks ties. */
	for (i = 0; i < n; i++)
		(*gk)[i].id = (int64_t)(*tk)[i].ref;
	qsort(*gk, n, sizeof(**gk), an_net_gk_cmp);
	for (i = 0; i < n; i++) {
		(*tk)[i].ref = (uint32_t)(*gk)[i].id;
		(*tk)[i].ts = (*gk)[i].ts;
		(*tk)[i].key = (*gk)[i].i;
		(*tk)[i].w = 1;
	}
	return n;
}

static bool
an_net_sel_icmp(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	(void)st;
	if (!((f->proto == AN_NET_ICMP && f->sport == 8) ||
		(f->proto == AN_NET_ICMP6 && f->sport == 128)))
		return false;
	*k1 = f->src;
	*k2 = 0;
	*cnt = f->dst;
	return true;
}

static bool
an_net_sel_tcpping(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	if (!an_net_tcp_probe(st, f) ||
	    !(an_net_ack_ping(f) ||
		an_net_port_in(&st->conf, AN_NET_K_tcp_ping_ports, f->dport)))
		return false;
	*k1 = f->src;
	*k2 = 0;
	*cnt = f->dst;
	return true;
}

static bool
an_net_sel_vert(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	if (!an_net_tcp_probe(st, f) && !an_net_udp_probe(f))
		return false;
	if (f->dport < 0 || f->dport > 65535)
		return false;
	*k1 = f->src;
	*k2 = f->dst;
	*cnt = (uint32_t)f->dport + (f->proto == AN_NET_UDP ? 65536u : 0);
	return true;
}

static bool
an_net_sel_horiz(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	if ((!an_net_tcp_probe(st, f) && !an_net_udp_probe(f)) || f->used)
		return false;
	*k1 = f->src;
	*k2 = (uint64_t)(uint32_t)f->dport << 8 | f->proto;
	*cnt = f->dst;
	return true;
}

/* How the probes of t[lo..hi] were answered and made. */
struct an_net_probe_sum {
	size_t open_syn, open_conn, closed, silent, udp, tcp;
};

static void
an_net_probe_sum(const struct an_net_st *st, const struct an_net_tk *t,
    size_t lo, size_t hi, struct an_net_probe_sum *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = lo; i <= hi; i++) {
		const struct an_net_flow *f = &st->fl[t[i].ref];
		uint16_t fw = f->flags & 0xff, rv = f->flags >> 8;

		if (f->proto == AN_NET_UDP) {
			s->udp++;
			continue;
		}
		s->tcp++;
		if ((rv & (AN_NET_SYN | AN_NET_ACK)) ==
		    (AN_NET_SYN | AN_NET_ACK)) {
			if (fw & AN_NET_ACK)
				s->open_conn++;
			else
				s->open_syn++;
		} else if (rv & AN_NET_RST)
			s->closed++;
		else
			s->silent++;
	}
}

static void
an_net_probe_kind(struct sbuf *d, const struct an_net_probe_sum *s)
{
	if (s->tcp == 0) {
		sbuf_addf(d, "UDP scan (%zu probes without an answer).",
		    s->udp);
		return;
	}
	if (s->open_conn > s->open_syn)
		sbuf_addf(d,
		    "Connect scan: on the %zu open ports the handshake "
		    "completed and was closed at once without data.",
		    s->open_conn + s->open_syn);
	else if (s->open_syn > 0)
		sbuf_addf(d,
		    "SYN (half-open) scan: on the %zu open ports the "
		    "initiator never completed the handshake (no ACK; reset "
		    "after the SYN-ACK).",
		    s->open_syn + s->open_conn);
	else
		sbuf_addf(d,
		    "Half-open probes (no port answered with a SYN-ACK, so a "
		    "SYN scan and a connect scan look alike here).");
	sbuf_addf(d,
	    " Answers: %zu open, %zu closed (RST), %zu without answer%s.",
	    s->open_syn + s->open_conn, s->closed, s->silent,
	    s->udp ? " (TCP); UDP probes without answer too" : "");
}

/* Common tail: window text. */
static void
an_net_window_text(struct sbuf *d, const struct an_net_tk *t, size_t lo,
    size_t hi)
{
	char a[40], b[40];

	an_net_time(t[lo].ts, a);
	an_net_time(t[hi].ts, b);
	sbuf_addf(d, "between %s and %s (%.1f s)", a, b,
	    an_net_secs(t[hi].ts - t[lo].ts));
}

static int
an_net_sweeps_scans(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	int64_t win = an_net_ns(CF(c, scan_window_s));
	struct an_net_gk *gk;
	struct an_net_tk *tk;
	size_t n, a, b, lo, hi, best, i;
	int pass, rc = 0;

	an_net_cnt_reserve(st, MAX((size_t)st->ns + 1, (size_t)131072));
	/* Passes: 0 ICMP sweep, 1 TCP ping sweep, 2 vertical, 3 horizontal. */
	for (pass = 0; pass < 4 && rc == 0; pass++) {
		static const an_net_sel_fn sels[4] = { an_net_sel_icmp,
			an_net_sel_tcpping, an_net_sel_vert, an_net_sel_horiz };

		n = an_net_groups(st, sels[pass], &gk, &tk);
		for (a = 0; a < n && rc == 0; a = b) {
			struct sbuf t = SBUF_INIT, d = SBUF_INIT;
			struct an_net_out o;
			struct an_net_evb ev;
			struct an_net_probe_sum ps;
			const struct an_net_flow *f0;
			size_t acks = 0, total;
			bool ports2 = false;
			double min = pass == 2 ? CF(c, scan_min_ports) :
						 CF(c, sweep_min_targets);

			for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
			     gk[b].k2 == gk[a].k2;
			     b++)
				;
			best = an_net_window(st, tk + a, b - a, win, &lo, &hi);
			if ((double)best < min || best == 0)
				continue;
			lo += a;
			hi += a;
			f0 = &st->fl[tk[lo].ref];
			memset(&o, 0, sizeof(o));
			o.ts = tk[lo].ts;
			o.cont = an_net_cont_of(st, tk, lo, hi);
			o.ent[0] = f0->src;
			o.attack[0] = "T1046";
			o.sev = SEV_MEDIUM;
			o.conf = 0.8;
			/* Whole-group totals for the text. */
			total = an_net_window(st, tk + a, b - a, INT64_MAX,
			    &i, &i);
			an_net_probe_sum(st, tk, lo, hi, &ps);
			for (i = lo; i <= hi; i++) {
				const struct an_net_flow *f = &st->fl[tk[i].ref];
				if (an_net_ack_ping(f))
					acks++;
				if (f->dport != f0->dport)
					ports2 = true;
			}
			if (pass == 1 && acks == 0 && !ports2)
				continue; /* one ping port: a horizontal scan */
			an_net_evb_init(&ev, st);
			for (i = lo; i <= hi; i++) {
				st->fl[tk[i].ref].used |= pass == 1;
				an_net_evb_flow(&ev, &st->fl[tk[i].ref]);
			}
			switch (pass) {
			case 0:
				o.rule = "net.sweep.icmp";
				o.attack[0] = "T1018";
				o.attack[1] = "T1046";
				sbuf_addf(&t,
				    "ICMP ping sweep: %s pinged %zu addresses",
				    an_net_str(st, f0->src), best);
				sbuf_addf(&d,
				    "%s sent ICMP echo requests to %zu distinct "
				    "addresses within one %.0f s window, ",
				    an_net_str(st, f0->src), best,
				    CF(c, scan_window_s));
				break;
			case 1:
				o.rule = "net.sweep.tcp";
				o.attack[0] = "T1018";
				o.attack[1] = "T1046";
				sbuf_addf(&t,
				    "TCP ping sweep: %s probed %zu addresses",
				    an_net_str(st, f0->src), best);
				sbuf_addf(&d,
				    "%s sent TCP ping probes (%zu ACK without "
				    "SYN; the rest SYN to ports %s) to %zu "
				    "distinct addresses within one %.0f s "
				    "window, ",
				    an_net_str(st, f0->src), acks,
				    c->val[AN_NET_K_tcp_ping_ports], best,
				    CF(c, scan_window_s));
				break;
			case 2:
				o.rule = "net.scan.vertical";
				o.ent[1] = f0->dst;
				sbuf_addf(&t,
				    "Port scan: %s probed %zu ports on %s",
				    an_net_str(st, f0->src), best,
				    an_net_str(st, f0->dst));
				sbuf_addf(&d,
				    "%s probed %zu distinct ports of %s within "
				    "one %.0f s window, ",
				    an_net_str(st, f0->src), best,
				    an_net_str(st, f0->dst),
				    CF(c, scan_window_s));
				break;
			default:
				o.rule = "net.scan.horizontal";
				sbuf_addf(&t,
				    "Horizontal scan: %s probed %s port %d on "
				    "%zu addresses",
				    an_net_str(st, f0->src),
				    f0->proto == AN_NET_UDP ? "UDP" : "TCP",
				    f0->dport, best);
				sbuf_addf(&d,
				    "%s probed %s port %d on %zu distinct "
				    "addresses within one %.0f s window, ",
				    an_net_str(st, f0->src),
				    f0->proto == AN_NET_UDP ? "UDP" : "TCP",
				    f0->dport, best, CF(c, scan_window_s));
				break;
			}
			an_net_window_text(&d, tk, lo, hi);
			sbuf_addf(&d, "; %zu distinct %s over the capture. ",
			    total, pass == 2 ? "ports" : "targets");
			if (pass >= 2)
				an_net_probe_kind(&d, &ps);
			else if (pass == 0)
				sbuf_addf(&d, "Host discovery before an attack.");
			else
				sbuf_addf(&d,
				    "Host discovery (nmap -sn style) before an "
				    "attack.");
			an_net_evb_note(&d, &ev);
			rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
			an_net_evb_release(&ev);
			sbuf_release(&t);
			sbuf_release(&d);
		}
		free(gk);
		free(tk);
	}
	return rc;
}

/* ---- brute force ---- */

/* The service a brute force against this flow would target, or NULL. */
static const char *
an_net_bf_service(const struct an_net_st *st, const struct an_net_flow *f,
    bool *cleartext)
{
	static const struct {
		int port;
		const char *name;
		bool clear; /* failures are visible in the payload */
	} tab[] = {
		{ 21, "ftp", true }, { 22, "ssh", false },
		{ 23, "telnet", false }, { 25, "smtp", true },
		{ 110, "pop3", false }, { 143, "imap", false },
		{ 445, "smb", false }, { 587, "smtp", true },
		{ 1433, "mssql", false }, { 3306, "mysql", true },
		{ 3389, "rdp", false }, { 5432, "postgresql", true },
		{ 5900, "vnc", false }, { 6379, "redis", true },
		{ 27017, "mongodb", false },
	};
	const char *svc = an_net_str(st, f->svc);
	size_t i;

	*cleartext = false;
	if (strcmp(svc, "http") == 0 || strcmp(svc, "docker-api") == 0 ||
	    strcmp(svc, "tls") == 0)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(tab); i++)
		if (*svc != '\0' && strcmp(svc, tab[i].name) == 0) {
			*cleartext = tab[i].clear;
			return tab[i].name;
		}
	for (i = 0; i < ARRAY_SIZE(tab); i++)
		if (tab[i].port == f->dport) {
			*cleartext = tab[i].clear && *svc != '\0';
			return tab[i].name;
		}
	return NULL;
}

static bool
an_net_sel_bf(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	bool clear;

	if (f->proto != AN_NET_TCP || !f->ext ||
	    an_net_bf_service(st, f, &clear) == NULL)
		return false;
	/* A session: the handshake completed and the server spoke. */
	if (f->plr == 0 && f->authfail == 0)
		return false;
	*k1 = (uint64_t)f->src << 32 | f->dst;
	*k2 = (uint32_t)f->dport;
	*cnt = 0;
	return true;
}

static int
an_net_bruteforce(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	int64_t win = an_net_ns(CF(c, bruteforce_window_s));
	int64_t maxdur = an_net_ns(CF(c, bruteforce_session_max_s));
	struct an_net_gk *gk;
	struct an_net_tk *tk;
	size_t n, a, b, i;
	int rc = 0;

	n = an_net_groups(st, an_net_sel_bf, &gk, &tk);
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		const struct an_net_flow *f0 = &st->fl[tk[a].ref];
		size_t slo, shi, flo, fhi, lo, hi;
		int64_t sessions, fails, fails_all = 0;
		struct an_net_out o;
		struct an_net_evb ev;
		const char *svc;
		char rule[64];
		bool clear;

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
		     gk[b].k2 == gk[a].k2;
		     b++)
			;
		svc = an_net_bf_service(st, f0, &clear);
		/* Short sessions, then failures. The outcome is visible when
		 * any session was recognised as a cleartext protocol. */
		for (i = a; i < b; i++) {
			const struct an_net_flow *f = &st->fl[tk[i].ref];
			bool cl;
			tk[i].w = f->last - f->first <= maxdur;
			fails_all += f->authfail;
			if (an_net_bf_service(st, f, &cl) != NULL && cl)
				clear = true;
		}
		sessions = an_net_window_sum(tk + a, b - a, win, &slo, &shi);
		for (i = a; i < b; i++)
			tk[i].w = st->fl[tk[i].ref].authfail;
		fails = an_net_window_sum(tk + a, b - a, win, &flo, &fhi);
		if ((double)fails >= CF(c, bruteforce_min)) {
			lo = flo + a;
			hi = fhi + a;
		} else if ((double)sessions >= CF(c, bruteforce_min) &&
		    (!clear || fails_all > 0)) {
			lo = slo + a;
			hi = shi + a;
		} else
			continue;
		for (i = a; i < b; i++)
			st->fl[tk[i].ref].bruted = true;
		memset(&o, 0, sizeof(o));
		snprintf(rule, sizeof(rule), "net.bruteforce.%s", svc);
		o.rule = rule;
		o.sev = (double)fails >= CF(c, bruteforce_min) ? SEV_HIGH :
								 SEV_MEDIUM;
		o.conf = o.sev == SEV_HIGH ? 0.9 : 0.7;
		o.attack[0] = "T1110";
		o.ts = tk[lo].ts;
		o.cont = an_net_cont_of(st, tk, lo, hi);
		o.ent[0] = f0->src;
		o.ent[1] = f0->dst;
		an_net_evb_init(&ev, st);
		fails = 0;
		sessions = 0;
		for (i = lo; i <= hi; i++) {
			const struct an_net_flow *f = &st->fl[tk[i].ref];
			an_net_evb_flow(&ev, f);
			fails += f->authfail;
			sessions++;
		}
		sbuf_addf(&t, "%s brute force: %s against %s port %d", svc,
		    an_net_str(st, f0->src), an_net_str(st, f0->dst),
		    f0->dport);
		sbuf_addf(&d,
		    "%s opened %" PRId64 " %s sessions to %s port %d ",
		    an_net_str(st, f0->src), sessions, svc,
		    an_net_str(st, f0->dst), f0->dport);
		an_net_window_text(&d, tk, lo, hi);
		if (fails > 0)
			sbuf_addf(&d,
			    "; the server answered %" PRId64 " of them with "
			    "failed authentications.",
			    fails);
		else
			sbuf_addf(&d,
			    "; most were shorter than %.0f s. The protocol "
			    "hides the outcome: repeated short logins are "
			    "guessing.",
			    CF(c, bruteforce_session_max_s));
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	free(tk);
	return rc;
}

/* HTTP 401 answers from one server to one client. */
static int
an_net_bruteforce_http(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	int64_t win = an_net_ns(CF(c, bruteforce_window_s));
	struct an_net_gk *gk = xcalloc(st->nhttp + 1, sizeof(*gk));
	struct an_net_tk *tk = xcalloc(st->nhttp + 1, sizeof(*tk));
	size_t n = 0, a, b, i, lo, hi;
	int rc = 0;

	for (i = 0; i < st->nhttp; i++) {
		const struct an_net_http *h = &st->http[i];
		if (h->request || h->status != 401)
			continue;
		gk[n].k1 = (uint64_t)h->src << 32 | h->dst;
		gk[n].k2 = (uint64_t)h->dport;
		gk[n].ts = h->ts;
		gk[n].id = (int64_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (i = 0; i < n; i++) {
		tk[i].ts = gk[i].ts;
		tk[i].ref = (uint32_t)gk[i].id;
		tk[i].w = 1;
	}
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		const struct an_net_http *h0;
		struct an_net_flow *f;
		struct an_net_out o;
		struct an_net_evb ev;
		int64_t best;

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
		     gk[b].k2 == gk[a].k2;
		     b++)
			;
		best = an_net_window_sum(tk + a, b - a, win, &lo, &hi);
		if ((double)best < CF(c, bruteforce_min))
			continue;
		lo += a;
		hi += a;
		h0 = &st->http[tk[lo].ref];
		memset(&o, 0, sizeof(o));
		o.rule = "net.bruteforce.http";
		o.sev = SEV_HIGH;
		o.conf = 0.8;
		o.attack[0] = "T1110";
		o.ts = h0->ts;
		o.ent[0] = h0->src;
		o.ent[1] = h0->dst;
		an_net_evb_init(&ev, st);
		for (i = lo; i <= hi; i++) {
			const struct an_net_http *h = &st->http[tk[i].ref];
			an_net_evb_msg(&ev, "http", h->flow_id, h->ts);
			if (o.cont == 0 &&
			    (f = an_net_find(st, h->flow_id)) != NULL)
				o.cont = f->cont;
		}
		sbuf_addf(&t, "HTTP brute force: %s got %" PRId64
			      " 401 answers from %s port %" PRId64,
		    an_net_str(st, h0->src), best, an_net_str(st, h0->dst),
		    h0->dport);
		sbuf_addf(&d,
		    "%s port %" PRId64 " refused %" PRId64 " requests of %s "
		    "with 401 Unauthorized ",
		    an_net_str(st, h0->dst), h0->dport, best,
		    an_net_str(st, h0->src));
		an_net_window_text(&d, tk, lo, hi);
		sbuf_addf(&d, " (first URI: %s).", an_net_str(st, h0->uri));
		/* The URI of a 401 is on its request: find one. */
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	free(tk);
	return rc;
}

/* ---- ARP ---- */

static void
an_net_evb_arp(struct an_net_evb *b, const struct an_net_arp *a)
{
	char k[48];

	snprintf(k, sizeof(k), "%" PRId64 ":%" PRId64, a->artifact, a->pkt);
	an_net_evb_add(b, "arp", k);
}

static bool
an_net_arp_unspec(const struct an_net_st *st, uint32_t ip)
{
	return ip == 0 || strcmp(an_net_str(st, ip), "0.0.0.0") == 0;
}

/* Sweeps (mode 0), gratuitous floods (1), many addresses (2), per MAC. */
static int
an_net_arp_per_mac(struct an_net_st *st, int mode)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk = xcalloc(st->narp + 1, sizeof(*gk));
	struct an_net_tk *tk = xcalloc(st->narp + 1, sizeof(*tk));
	size_t n = 0, a, b, i, lo, hi, best;
	int64_t win;
	int rc = 0;

	an_net_cnt_reserve(st, (size_t)st->ns + 1);
	for (i = 0; i < st->narp; i++) {
		const struct an_net_arp *p = &st->arp[i];
		bool grat = p->sip == p->tip && !an_net_arp_unspec(st, p->sip);

		if (mode == 0 && (!p->request || grat))
			continue;
		if (mode == 1 && !grat)
			continue;
		if (mode == 2 &&
		    (an_net_arp_unspec(st, p->sip) || (p->request && !grat)))
			continue;
		gk[n].k1 = p->smac;
		gk[n].ts = p->ts;
		gk[n].id = (int64_t)i;
		gk[n].i = mode == 0 ? p->tip : mode == 2 ? p->sip : (uint32_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (i = 0; i < n; i++) {
		tk[i].ts = gk[i].ts;
		tk[i].ref = (uint32_t)gk[i].id;
		tk[i].key = mode == 1 ? 0 : gk[i].i;
		tk[i].w = 1;
	}
	win = mode == 0 ? an_net_ns(CF(c, scan_window_s)) :
	    mode == 1	? an_net_ns(CF(c, arp_window_s)) :
			  INT64_MAX;
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		const struct an_net_arp *p0;
		struct an_net_out o;
		struct an_net_evb ev;
		double min;

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1; b++)
			;
		if (mode == 1)
			best = (size_t)an_net_window_sum(tk + a, b - a, win,
			    &lo, &hi);
		else
			best = an_net_window(st, tk + a, b - a, win, &lo, &hi);
		min = mode == 0 ? CF(c, sweep_min_targets) :
		    mode == 1	? CF(c, arp_gratuitous_min) :
				  CF(c, arp_many_ips_min);
		if (best == 0 || (double)best < min)
			continue;
		lo += a;
		hi += a;
		p0 = &st->arp[tk[lo].ref];
		memset(&o, 0, sizeof(o));
		o.ts = p0->ts;
		o.ent[0] = p0->sip;
		an_net_evb_init(&ev, st);
		for (i = lo; i <= hi; i++)
			an_net_evb_arp(&ev, &st->arp[tk[i].ref]);
		if (mode == 0) {
			o.rule = "net.sweep.arp";
			o.sev = SEV_MEDIUM;
			o.conf = 0.8;
			o.attack[0] = "T1018";
			o.attack[1] = "T1046";
			sbuf_addf(&t, "ARP sweep: %s (%s) asked for %zu addresses",
			    an_net_str(st, p0->smac), an_net_str(st, p0->sip),
			    best);
			sbuf_addf(&d,
			    "MAC %s (claiming %s) sent ARP who-has requests "
			    "for %zu distinct addresses within one %.0f s "
			    "window, ",
			    an_net_str(st, p0->smac), an_net_str(st, p0->sip),
			    best, CF(c, scan_window_s));
			an_net_window_text(&d, tk, lo, hi);
			sbuf_addf(&d, ": host discovery on the local segment.");
		} else if (mode == 1) {
			o.rule = "net.arp.gratuitous_flood";
			o.sev = SEV_MEDIUM;
			o.conf = 0.7;
			o.attack[0] = "T1557.002";
			sbuf_addf(&t, "Gratuitous ARP flood: %s sent %zu "
				      "announcements",
			    an_net_str(st, p0->smac), best);
			sbuf_addf(&d,
			    "MAC %s sent %zu gratuitous ARPs (sender address = "
			    "target address, first %s) within one %.0f s "
			    "window, ",
			    an_net_str(st, p0->smac), best,
			    an_net_str(st, p0->sip), CF(c, arp_window_s));
			an_net_window_text(&d, tk, lo, hi);
			sbuf_addf(&d,
			    ". A host announces itself a few times when its "
			    "link comes up; a stream of announcements keeps "
			    "poisoned caches poisoned.");
		} else {
			o.rule = "net.arp.many_ips";
			o.sev = SEV_MEDIUM;
			o.conf = 0.6;
			o.attack[0] = "T1557.002";
			sbuf_addf(&t, "One MAC claims %zu addresses: %s", best,
			    an_net_str(st, p0->smac));
			sbuf_addf(&d,
			    "MAC %s sent ARP replies or announcements "
			    "claiming %zu distinct IPv4 addresses as its own "
			    "(",
			    an_net_str(st, p0->smac), best);
			/* List the addresses (first 10). */
			{
				size_t shown = 0, j;
				for (i = lo; i <= hi && shown < 10; i++) {
					uint32_t ip = st->arp[tk[i].ref].sip;
					for (j = lo; j < i; j++)
						if (st->arp[tk[j].ref].sip == ip)
							break;
					if (j < i)
						continue;
					sbuf_addf(&d, "%s%s", shown ? ", " : "",
					    an_net_str(st, ip));
					shown++;
				}
				if (best > shown)
					sbuf_addf(&d, ", ...");
			}
			sbuf_addf(&d, ") ");
			an_net_window_text(&d, tk, lo, hi);
			sbuf_addf(&d,
			    ". Unless it is a router doing proxy ARP, this is "
			    "cache poisoning (man in the middle).");
		}
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	free(tk);
	return rc;
}

/* An address whose owner changes. */
static int
an_net_arp_spoof(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	/* Per address: first owner; per packet order. */
	uint32_t *owner = xcalloc((size_t)st->ns + 1, sizeof(*owner));
	uint32_t *macips = xcalloc((size_t)st->ns + 1, sizeof(*macips));
	uint32_t *macip1 = xcalloc((size_t)st->ns + 1, sizeof(*macip1));
	bool *done = xcalloc((size_t)st->ns + 1, sizeof(*done));
	size_t i, j;
	int rc = 0;

	/* Distinct addresses per MAC (two are enough to know). */
	for (i = 0; i < st->narp; i++) {
		const struct an_net_arp *p = &st->arp[i];
		if (an_net_arp_unspec(st, p->sip))
			continue;
		if (macip1[p->smac] == 0) {
			macip1[p->smac] = p->sip;
			macips[p->smac] = 1;
		} else if (macip1[p->smac] != p->sip)
			macips[p->smac] = 2;
	}
	for (i = 0; i < st->narp && rc == 0; i++) {
		const struct an_net_arp *p = &st->arp[i];
		uint32_t old, ip = p->sip, nw = p->smac;
		size_t claims = 0, back = 0;
		bool other;

		if (an_net_arp_unspec(st, ip))
			continue;
		if (owner[ip] == 0) {
			owner[ip] = nw;
			continue;
		}
		if (owner[ip] == nw || done[ip])
			continue;
		old = owner[ip];
		/* Count what follows: new claims, the old owner returning. */
		for (j = i; j < st->narp; j++) {
			const struct an_net_arp *q = &st->arp[j];
			if (q->sip != ip)
				continue;
			if (q->smac == nw)
				claims++;
			else if (q->smac == old)
				back++;
		}
		other = macips[nw] > 1;
		if ((double)claims >= CF(c, arp_spoof_min_claims) || back > 0 ||
		    other) {
			struct sbuf t = SBUF_INIT, d = SBUF_INIT;
			struct an_net_out o;
			struct an_net_evb ev;
			char when[40];

			done[ip] = true;
			memset(&o, 0, sizeof(o));
			o.rule = "net.arp.spoof";
			o.sev = SEV_HIGH;
			o.conf = other || back ? 0.9 : 0.7;
			o.attack[0] = "T1557.002";
			o.ts = p->ts;
			o.ent[0] = ip;
			an_net_evb_init(&ev, st);
			an_net_evb_arp(&ev, p);
			for (j = 0; j < st->narp; j++) {
				const struct an_net_arp *q = &st->arp[j];
				if (q->sip == ip &&
				    (q->smac == nw || (q->smac == old && j < i)))
					an_net_evb_arp(&ev, q);
			}
			an_net_time(p->ts, when);
			sbuf_addf(&t, "ARP spoofing: %s taken over by %s (was %s)",
			    an_net_str(st, ip), an_net_str(st, nw),
			    an_net_str(st, old));
			sbuf_addf(&d,
			    "From %s, MAC %s claimed %s, which MAC %s had "
			    "claimed before; it claimed it %zu time%s",
			    when, an_net_str(st, nw), an_net_str(st, ip),
			    an_net_str(st, old), claims, claims == 1 ? "" : "s");
			if (back > 0)
				sbuf_addf(&d,
				    ", and the old owner answered %zu more "
				    "time%s (the two fight over the address)",
				    back, back == 1 ? "" : "s");
			if (other)
				sbuf_addf(&d,
				    ", and %s also claims %s (one host posing "
				    "as two)",
				    an_net_str(st, nw),
				    an_net_str(st, macip1[nw] != ip ?
						       macip1[nw] :
						       ip));
			sbuf_addf(&d,
			    ". Traffic for %s now goes to %s: a man in the "
			    "middle.",
			    an_net_str(st, ip), an_net_str(st, nw));
			an_net_evb_note(&d, &ev);
			rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
			an_net_evb_release(&ev);
			sbuf_release(&t);
			sbuf_release(&d);
		}
	}
	free(owner);
	free(macips);
	free(macip1);
	free(done);
	return rc;
}

/* ---- floods ---- */

static bool
an_net_flood_flow(const struct an_net_flow *f)
{
	if (!f->ext)
		return false;
	switch (f->proto) {
	case AN_NET_TCP:
		return f->plf == 0 && f->plr == 0;
	case AN_NET_ICMP:
	case AN_NET_ICMP6:
		return true;
	default:
		return f->bf > f->br;
	}
}

static bool
an_net_sel_flood_src(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	(void)st;
	if (!an_net_flood_flow(f))
		return false;
	*k1 = f->src;
	*k2 = f->dst;
	*cnt = 0;
	return true;
}

static bool
an_net_sel_flood_dst(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	(void)st;
	if (!an_net_flood_flow(f) || f->proto != AN_NET_TCP)
		return false;
	*k1 = f->dst;
	*k2 = (uint32_t)f->dport;
	*cnt = f->src;
	return true;
}

/* Do the flows t[0..n) (one source, one target) probe many TCP ports
 * with a few packets each? Then they are a port scan, not a flood. */
static bool
an_net_flood_is_scan(struct an_net_st *st, const struct an_net_tk *t,
    size_t n)
{
	const struct an_net_conf *c = &st->conf;
	size_t i, ports = 0, probes = 0;
	uint8_t *seen = xcalloc(8192, 1);

	for (i = 0; i < n; i++) {
		const struct an_net_flow *f = &st->fl[t[i].ref];
		uint32_t p = (uint32_t)f->dport & 0xffff;

		if (!an_net_tcp_probe(st, f))
			continue;
		probes++;
		if (!(seen[p >> 3] & (1u << (p & 7)))) {
			seen[p >> 3] |= (uint8_t)(1u << (p & 7));
			ports++;
		}
	}
	free(seen);
	return (double)ports >= CF(c, scan_min_ports) && probes * 2 >= n;
}

static int
an_net_floods(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk;
	struct an_net_tk *tk;
	size_t n, a, b, i;
	int pass, rc = 0;

	an_net_cnt_reserve(st, (size_t)st->ns + 1);
	for (pass = 0; pass < 2 && rc == 0; pass++) {
		n = an_net_groups(st,
		    pass == 0 ? an_net_sel_flood_src : an_net_sel_flood_dst,
		    &gk, &tk);
		for (a = 0; a < n && rc == 0; a = b) {
			struct sbuf t = SBUF_INIT, d = SBUF_INIT;
			const struct an_net_flow *f0 = &st->fl[tk[a].ref];
			int64_t pk = 0, first = INT64_MAX, last = INT64_MIN;
			size_t srcs = 0, lo, hi;
			struct an_net_out o;
			struct an_net_evb ev;
			double span, pps;
			char wa[40], wb[40];

			for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
			     gk[b].k2 == gk[a].k2;
			     b++)
				;
			for (i = a; i < b; i++) {
				const struct an_net_flow *f = &st->fl[tk[i].ref];
				pk += f->pf;
				first = MIN(first, f->first);
				last = MAX(last, f->last);
			}
			span = MAX(an_net_secs(last - first), 1.0);
			pps = (double)pk / span;
			if ((double)pk < CF(c, flood_min_packets) ||
			    pps < CF(c, flood_min_pps))
				continue;
			if (pass == 0 && an_net_flood_is_scan(st, tk + a, b - a))
				continue; /* probes of many ports: a scan */
			if (pass == 1) {
				srcs = an_net_window(st, tk + a, b - a,
				    INT64_MAX, &lo, &hi);
				if (srcs < 10)
					continue; /* one source: pass 0 */
			}
			memset(&o, 0, sizeof(o));
			o.rule = "net.flood";
			o.sev = SEV_HIGH;
			o.conf = 0.8;
			o.attack[0] = "T1498";
			o.attack[1] = "T1499";
			o.ts = first;
			o.cont = an_net_cont_of(st, tk, a, b - 1);
			o.ent[0] = pass == 0 ? f0->src : f0->dst;
			o.ent[1] = pass == 0 ? f0->dst : 0;
			an_net_evb_init(&ev, st);
			for (i = a; i < b; i++)
				an_net_evb_flow(&ev, &st->fl[tk[i].ref]);
			an_net_time(first, wa);
			an_net_time(last, wb);
			if (pass == 0) {
				bool bc = an_net_broadcast(an_net_str(st,
				    f0->dst));
				sbuf_addf(&t, "%s: %s sent %" PRId64
					      " packets to %s (%.0f/s)",
				    bc ? "Broadcast storm" : "Flood",
				    an_net_str(st, f0->src), pk,
				    an_net_str(st, f0->dst), pps);
				sbuf_addf(&d,
				    "%s sent %" PRId64 " packets in %zu flow%s "
				    "to %s%s between %s and %s, %.0f packets "
				    "a second",
				    an_net_str(st, f0->src), pk, b - a,
				    b - a == 1 ? "" : "s",
				    an_net_str(st, f0->dst),
				    bc ? " (broadcast/multicast)" : "", wa, wb,
				    pps);
			} else {
				sbuf_addf(&t, "TCP flood: %zu sources sent %" PRId64
					      " packets to %s port %d",
				    srcs, pk, an_net_str(st, f0->dst),
				    f0->dport);
				sbuf_addf(&d,
				    "%zu sources sent %" PRId64 " packets in "
				    "%zu connection attempts without data to %s "
				    "port %d between %s and %s, %.0f packets a "
				    "second",
				    srcs, pk, b - a, an_net_str(st, f0->dst),
				    f0->dport, wa, wb, pps);
			}
			sbuf_addf(&d,
			    " (TCP without payload, or UDP/ICMP the source "
			    "sent more of than it received): a denial of "
			    "service.");
			an_net_evb_note(&d, &ev);
			rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
			an_net_evb_release(&ev);
			sbuf_release(&t);
			sbuf_release(&d);
		}
		free(gk);
		free(tk);
	}
	return rc;
}

/* ---- DNS ---- */

/* The leftmost label of name: its length, and the pointer. */
static size_t
an_net_label(const char *name, const char **p)
{
	const char *dot = strchr(name, '.');

	*p = name;
	return dot ? (size_t)(dot - name) : strlen(name);
}

static uint32_t
an_net_dns_cont(struct an_net_st *st, int64_t flow_id)
{
	struct an_net_flow *f = an_net_find(st, flow_id);

	return f ? f->cont : 0;
}

static int
an_net_dns_tunnel(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk = xcalloc(st->ndns + 1, sizeof(*gk));
	size_t n = 0, a, b, i, j;
	int rc = 0;

	/* Group by domain, then name: one entry per message. */
	for (i = 0; i < st->ndns; i++) {
		const struct an_net_dns *q = &st->dns[i];
		if (q->dom == 0 || q->dom == q->name ||
		    an_net_in_words(c->val[AN_NET_K_dns_ignore_domains],
			an_net_str(st, q->dom), true))
			continue;
		gk[n].k1 = q->dom;
		gk[n].k2 = q->name;
		gk[n].ts = q->ts;
		gk[n].id = (int64_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (a = 0; a < n && rc == 0; a = b) {
		size_t uniq = 0, txt = 0, msgs = 0, clients = 0;
		double len = 0, ent = 0;
		const struct an_net_dns *q0 = NULL;
		uint32_t cl[4] = { 0 }, last = 0;
		bool queries = false;

		for (b = a; b < n && gk[b].k1 == gk[a].k1; b++)
			;
		for (i = a; i < b; i++)
			if (!st->dns[gk[i].id].response)
				queries = true;
		for (i = a; i < b; i++) {
			const struct an_net_dns *q = &st->dns[gk[i].id];
			const char *lp;
			size_t ln;

			if (q->response && queries)
				continue;
			msgs++;
			txt += q->txt;
			if (q0 == NULL || q->ts < q0->ts)
				q0 = q;
			for (j = 0; j < clients && cl[j] != q->src; j++)
				;
			if (j == clients && clients < ARRAY_SIZE(cl))
				cl[clients++] = q->src;
			if (q->name == last)
				continue;
			last = q->name;
			uniq++;
			ln = an_net_label(an_net_str(st, q->name), &lp);
			len += (double)ln;
			ent += an_net_entropy(lp, ln);
		}
		if (uniq == 0 || q0 == NULL ||
		    (double)uniq < CF(c, dns_tunnel_min_unique))
			continue;
		len /= (double)uniq;
		ent /= (double)uniq;
		if (len >= CF(c, dns_tunnel_min_label_len) ||
		    ent >= CF(c, dns_tunnel_min_entropy) ||
		    (double)txt >= CF(c, dns_tunnel_min_txt)) {
			struct sbuf t = SBUF_INIT, d = SBUF_INIT;
			struct an_net_out o;
			struct an_net_evb ev;
			int64_t tlo = INT64_MAX, thi = INT64_MIN;
			char wa[40], wb[40];

			memset(&o, 0, sizeof(o));
			o.rule = "net.dns.tunnel";
			o.sev = SEV_HIGH;
			o.conf = (len >= CF(c, dns_tunnel_min_label_len) &&
				     ent >= CF(c, dns_tunnel_min_entropy)) ?
			    0.9 :
			    0.7;
			o.attack[0] = "T1071.004";
			o.attack[1] = "T1048";
			o.ts = q0->ts;
			o.ent[0] = cl[0];
			an_net_evb_init(&ev, st);
			an_net_evb_msg(&ev, "dns", q0->flow_id, q0->ts);
			for (i = a; i < b; i++) {
				const struct an_net_dns *q = &st->dns[gk[i].id];
				if (q->response && queries)
					continue;
				an_net_evb_msg(&ev, "dns", q->flow_id, q->ts);
				tlo = MIN(tlo, q->ts);
				thi = MAX(thi, q->ts);
				if (o.cont == 0)
					o.cont = an_net_dns_cont(st,
					    q->flow_id);
			}
			an_net_time(tlo, wa);
			an_net_time(thi, wb);
			sbuf_addf(&t, "DNS tunnel: %zu unique names under %s",
			    uniq, an_net_str(st, q0->dom));
			sbuf_addf(&d,
			    "%zu DNS %s for %zu unique names under %s between "
			    "%s and %s, from ",
			    msgs, queries ? "queries" : "answers", uniq,
			    an_net_str(st, q0->dom), wa, wb);
			for (j = 0; j < clients; j++)
				sbuf_addf(&d, "%s%s", j ? ", " : "",
				    an_net_str(st, cl[j]));
			sbuf_addf(&d,
			    ". Leftmost labels average %.1f characters and "
			    "%.2f bits of entropy per character; %zu "
			    "TXT/NULL/ANY queries (e.g. %s). Data is being "
			    "carried in the names.",
			    len, ent, txt, an_net_str(st, q0->name));
			an_net_evb_note(&d, &ev);
			rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
			an_net_evb_release(&ev);
			sbuf_release(&t);
			sbuf_release(&d);
		}
	}
	free(gk);
	return rc;
}

/* A random-looking second-level label. */
static bool
an_net_dga_label(const struct an_net_conf *c, const char *dom)
{
	const char *lp;
	size_t ln = an_net_label(dom, &lp), i, letters = 0, vowels = 0;

	if ((double)ln < CF(c, dga_min_label_len))
		return false;
	for (i = 0; i < ln; i++) {
		int ch = (unsigned char)lp[i];
		if (ch >= 'a' && ch <= 'z') {
			letters++;
			vowels += strchr("aeiouy", ch) != NULL;
		}
	}
	if (letters > 0 &&
	    (double)vowels / (double)letters > CF(c, dga_max_vowel_ratio))
		return false;
	return an_net_entropy(lp, ln) >= CF(c, dga_min_entropy);
}

static int
an_net_dns_dga(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk = xcalloc(st->ndns + 1, sizeof(*gk));
	bool *resolved = xcalloc((size_t)st->ns + 1, sizeof(*resolved));
	size_t n = 0, a, b, i;
	int rc = 0;

	for (i = 0; i < st->ndns; i++)
		if (st->dns[i].answered)
			resolved[st->dns[i].dom] = true;
	/* Group by client, then domain. */
	for (i = 0; i < st->ndns; i++) {
		const struct an_net_dns *q = &st->dns[i];
		if (q->dom == 0 || resolved[q->dom] ||
		    an_net_in_words(c->val[AN_NET_K_dns_ignore_domains],
			an_net_str(st, q->dom), true) ||
		    !an_net_dga_label(c, an_net_str(st, q->dom)))
			continue;
		gk[n].k1 = q->src;
		gk[n].k2 = q->dom;
		gk[n].ts = q->ts;
		gk[n].id = (int64_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		size_t doms = 0, nx = 0, shown = 0;
		const struct an_net_dns *q0 = &st->dns[gk[a].id];
		int64_t tlo = INT64_MAX, thi = INT64_MIN;
		struct an_net_out o;
		struct an_net_evb ev;
		char wa[40], wb[40];

		for (b = a; b < n && gk[b].k1 == gk[a].k1; b++)
			if (b == a || gk[b - 1].k2 != gk[b].k2)
				doms++;
		if ((double)doms < CF(c, dga_min_domains))
			continue;
		memset(&o, 0, sizeof(o));
		o.rule = "net.dns.dga";
		o.sev = SEV_HIGH;
		o.conf = 0.7;
		o.attack[0] = "T1568.002";
		o.attack[1] = "T1071.004";
		o.ent[0] = q0->src;
		an_net_evb_init(&ev, st);
		for (i = a; i < b; i++) {
			const struct an_net_dns *q = &st->dns[gk[i].id];
			if (q->ts < tlo) {
				tlo = q->ts;
				q0 = q;
			}
			thi = MAX(thi, q->ts);
			nx += q->nx;
		}
		/* The earliest message leads. */
		an_net_evb_msg(&ev, "dns", q0->flow_id, q0->ts);
		for (i = a; i < b; i++) {
			const struct an_net_dns *q = &st->dns[gk[i].id];
			an_net_evb_msg(&ev, "dns", q->flow_id, q->ts);
			if (o.cont == 0)
				o.cont = an_net_dns_cont(st, q->flow_id);
		}
		o.ts = tlo;
		an_net_time(tlo, wa);
		an_net_time(thi, wb);
		sbuf_addf(&t, "DGA-like lookups: %s queried %zu random-looking "
			      "domains",
		    an_net_str(st, q0->src), doms);
		sbuf_addf(&d,
		    "%s looked up %zu distinct registered domains whose names "
		    "look machine-generated (long, few vowels, high entropy) "
		    "and that never resolved, between %s and %s; %zu "
		    "NXDOMAIN answers. Examples: ",
		    an_net_str(st, q0->src), doms, wa, wb, nx);
		for (i = a; i < b && shown < 5; i++)
			if (i == a || gk[i - 1].k2 != gk[i].k2)
				sbuf_addf(&d, "%s%s", shown++ ? ", " : "",
				    an_net_str(st, (uint32_t)gk[i].k2));
		sbuf_addf(&d, ". Malware finds its command server this way.");
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	free(resolved);
	return rc;
}

/* ---- beacons ---- */

static bool
an_net_sel_beacon(struct an_net_st *st, const struct an_net_flow *f,
    uint64_t *k1, uint64_t *k2, uint32_t *cnt)
{
	if ((f->proto != AN_NET_TCP && f->proto != AN_NET_UDP) ||
	    an_net_port_in(&st->conf, AN_NET_K_beacon_ignore_ports, f->dport))
		return false;
	if (CF(&st->conf, beacon_private_dst) == 0 &&
	    an_net_private(an_net_str(st, f->dst)))
		return false;
	*k1 = (uint64_t)f->src << 32 | f->dst;
	*k2 = (uint64_t)(uint32_t)f->dport << 8 | f->proto;
	*cnt = 0;
	return true;
}

static int
an_net_beacons(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk;
	struct an_net_tk *tk;
	size_t n, a, b, i;
	int rc = 0;

	n = an_net_groups(st, an_net_sel_beacon, &gk, &tk);
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		const struct an_net_flow *f0 = &st->fl[tk[a].ref];
		double mean = 0, var = 0, cv;
		struct an_net_out o;
		struct an_net_evb ev;
		size_t k;

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
		     gk[b].k2 == gk[a].k2;
		     b++)
			;
		k = b - a;
		if ((double)k < CF(c, beacon_min_conns) || k < 3)
			continue;
		for (i = a; i < b && !st->fl[tk[i].ref].bruted; i++)
			;
		if (i < b)
			continue; /* reported as a brute force */
		for (i = a + 1; i < b; i++)
			mean += an_net_secs(tk[i].ts - tk[i - 1].ts);
		mean /= (double)(k - 1);
		if (mean < CF(c, beacon_min_interval_s) || mean <= 0)
			continue;
		for (i = a + 1; i < b; i++) {
			double x = an_net_secs(tk[i].ts - tk[i - 1].ts) - mean;
			var += x * x;
		}
		cv = sqrt(var / (double)(k - 1)) / mean;
		if (cv > CF(c, beacon_max_cv))
			continue;
		memset(&o, 0, sizeof(o));
		o.rule = "net.beacon";
		o.sev = SEV_MEDIUM;
		o.conf = cv <= CF(c, beacon_max_cv) / 2 ? 0.8 : 0.6;
		o.attack[0] = "T1071";
		o.ts = tk[a].ts;
		o.cont = an_net_cont_of(st, tk, a, b - 1);
		o.ent[0] = f0->src;
		o.ent[1] = f0->dst;
		an_net_evb_init(&ev, st);
		for (i = a; i < b; i++)
			an_net_evb_flow(&ev, &st->fl[tk[i].ref]);
		sbuf_addf(&t, "Beaconing: %s to %s port %d every %.1f s",
		    an_net_str(st, f0->src), an_net_str(st, f0->dst),
		    f0->dport, mean);
		sbuf_addf(&d,
		    "%s opened %zu %s connections to %s port %d ",
		    an_net_str(st, f0->src), k,
		    f0->proto == AN_NET_UDP ? "UDP" : "TCP",
		    an_net_str(st, f0->dst), f0->dport);
		an_net_window_text(&d, tk, a, b - 1);
		sbuf_addf(&d,
		    ", one every %.1f s with a coefficient of variation of "
		    "%.3f (jitter): a timer, as implants check in with their "
		    "command server.",
		    mean, cv);
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	free(tk);
	return rc;
}

/* ---- container platform, metadata, mining ---- */

/* A flow in which the initiator talked to the service: a completed
 * handshake alone is what a port scan leaves behind. */
static bool
an_net_established(const struct an_net_flow *f)
{
	return f->plf > 0;
}

enum an_net_plat {
	AN_NET_DOCKER,
	AN_NET_KUBELET,
	AN_NET_K8S,
	AN_NET_META,
	AN_NET_MINING,
	AN_NET_NPLAT,
};

static bool
an_net_docker_uri(const char *u)
{
	return strstr(u, "/containers/create") != NULL ||
	    strstr(u, "/exec") != NULL || strstr(u, "/attach") != NULL ||
	    (strstr(u, "/containers/") != NULL && strstr(u, "/start") != NULL);
}

static bool
an_net_kubelet_uri(const char *u)
{
	return strncmp(u, "/run/", 5) == 0 || strncmp(u, "/exec/", 6) == 0 ||
	    strncmp(u, "/attach/", 8) == 0 || strncmp(u, "/pods", 5) == 0 ||
	    strncmp(u, "/runningpods", 12) == 0;
}

static bool
an_net_meta_uri(const char *u)
{
	return strstr(u, "security-credentials") != NULL ||
	    strstr(u, "service-accounts") != NULL ||
	    strstr(u, "/token") != NULL || strstr(u, "identity") != NULL;
}

static int
an_net_sel_kind(struct an_net_st *st, const struct an_net_flow *f)
{
	const struct an_net_conf *c = &st->conf;
	const char *svc = an_net_str(st, f->svc);

	if (strcmp(svc, "stratum") == 0)
		return AN_NET_MINING;
	if (an_net_in_words(c->val[AN_NET_K_metadata_addrs],
		an_net_str(st, f->dst), false))
		return (f->proto != AN_NET_TCP || an_net_established(f)) ?
		    AN_NET_META :
		    -1;
	if (f->proto != AN_NET_TCP)
		return -1;
	if (strcmp(svc, "docker-api") == 0)
		return AN_NET_DOCKER;
	if (!an_net_established(f))
		return -1;
	if (an_net_port_in(c, AN_NET_K_docker_api_ports, f->dport))
		return AN_NET_DOCKER;
	if (an_net_port_in(c, AN_NET_K_kubelet_ports, f->dport))
		return AN_NET_KUBELET;
	if (an_net_port_in(c, AN_NET_K_k8s_api_ports, f->dport) && f->cont)
		return AN_NET_K8S;
	return -1;
}

static int
an_net_platform(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk = xcalloc(st->nfl + 1, sizeof(*gk));
	int *kind = xcalloc(st->nfl + 1, sizeof(*kind));
	size_t n = 0, a, b, i, j;
	int rc = 0;

	/* Flows that reach an HTTP request of interest join too. */
	for (i = 0; i < st->nfl; i++)
		kind[i] = an_net_sel_kind(st, &st->fl[i]);
	for (j = 0; j < st->nhttp; j++) {
		const struct an_net_http *h = &st->http[j];
		const char *u = an_net_str(st, h->uri);
		struct an_net_flow *f;

		if (!h->request || (f = an_net_find(st, h->flow_id)) == NULL)
			continue;
		i = (size_t)(f - st->fl);
		if (kind[i] < 0 && an_net_docker_uri(u) &&
		    (strncmp(u, "/v1.", 4) == 0 ||
			strncmp(u, "/containers/", 12) == 0))
			kind[i] = AN_NET_DOCKER;
		if (kind[i] < 0 &&
		    (strcmp(an_net_str(st, h->host), "169.254.169.254") == 0 ||
			strcmp(an_net_str(st, h->host),
			    "metadata.google.internal") == 0))
			kind[i] = AN_NET_META;
	}
	for (i = 0; i < st->nfl; i++) {
		const struct an_net_flow *f = &st->fl[i];
		if (kind[i] < 0)
			continue;
		gk[n].k1 = (uint64_t)kind[i] << 32 | f->src;
		gk[n].k2 = (uint64_t)f->dst << 16 | (uint16_t)f->dport;
		if (kind[i] == AN_NET_K8S)
			gk[n].k2 = 0; /* one finding per source */
		gk[n].ts = f->first;
		gk[n].id = (int64_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT, calls = SBUF_INIT;
		int k = (int)(gk[a].k1 >> 32);
		const struct an_net_flow *f0 = &st->fl[gk[a].id];
		int64_t tlo = INT64_MAX, thi = INT64_MIN;
		size_t ncalls = 0, nreq = 0, dsts = 0;
		struct an_net_out o;
		struct an_net_evb ev;
		char wa[40], wb[40];
		bool pool_port = false;

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
		     gk[b].k2 == gk[a].k2;
		     b++)
			;
		memset(&o, 0, sizeof(o));
		an_net_evb_init(&ev, st);
		for (i = a; i < b; i++) {
			const struct an_net_flow *f = &st->fl[gk[i].id];
			an_net_evb_flow(&ev, f);
			tlo = MIN(tlo, f->first);
			thi = MAX(thi, f->last);
			if (o.cont == 0)
				o.cont = f->cont;
			if (i == a || st->fl[gk[i - 1].id].dst != f->dst)
				dsts++;
			pool_port |= an_net_port_in(c, AN_NET_K_mining_ports,
			    f->dport);
		}
		/* The HTTP requests on these flows. */
		for (j = 0; j < st->nhttp; j++) {
			const struct an_net_http *h = &st->http[j];
			const char *u = an_net_str(st, h->uri);
			struct an_net_flow *f;
			bool hit;

			if (!h->request ||
			    (f = an_net_find(st, h->flow_id)) == NULL ||
			    kind[f - st->fl] != k || f->src != f0->src ||
			    (k != AN_NET_K8S && (f->dst != f0->dst ||
						    f->dport != f0->dport)))
				continue;
			nreq++;
			hit = k == AN_NET_DOCKER ? an_net_docker_uri(u) :
			    k == AN_NET_KUBELET	 ? an_net_kubelet_uri(u) :
			    k == AN_NET_META	 ? an_net_meta_uri(u) :
						   false;
			if (!hit)
				continue;
			an_net_evb_msg(&ev, "http", h->flow_id, h->ts);
			if (ncalls < 8)
				sbuf_addf(&calls, "%s%s", ncalls ? ", " : "",
				    u);
			ncalls++;
		}
		an_net_time(tlo, wa);
		an_net_time(thi, wb);
		o.ts = tlo;
		o.ent[0] = f0->src;
		o.ent[1] = k == AN_NET_K8S ? 0 : f0->dst;
		switch (k) {
		case AN_NET_DOCKER:
			o.rule = "net.docker_api";
			o.sev = ncalls ? SEV_HIGH : SEV_MEDIUM;
			o.conf = ncalls ? 0.9 : 0.6;
			o.attack[0] = "T1609";
			o.attack[1] = "T1610";
			sbuf_addf(&t, "Docker Engine API %s: %s to %s port %d",
			    ncalls ? "calls that run code" : "reached",
			    an_net_str(st, f0->src), an_net_str(st, f0->dst),
			    f0->dport);
			sbuf_addf(&d,
			    "%s opened %zu session%s to the Docker Engine API "
			    "at %s port %d between %s and %s (%zu HTTP "
			    "request%s seen)",
			    an_net_str(st, f0->src), b - a, b - a == 1 ? "" : "s",
			    an_net_str(st, f0->dst), f0->dport, wa, wb, nreq,
			    nreq == 1 ? "" : "s");
			if (ncalls)
				sbuf_addf(&d,
				    "; %zu created, started, attached to or "
				    "exec'd into containers: %s%s. Whoever "
				    "reaches this API controls the host.",
				    ncalls, calls.buf, ncalls > 8 ? ", ..." : "");
			else
				sbuf_addf(&d,
				    ". An unauthenticated Docker API gives "
				    "whoever reaches it the host.");
			break;
		case AN_NET_KUBELET:
			o.rule = "net.kubelet";
			o.sev = ncalls ? SEV_HIGH : SEV_LOW;
			o.conf = ncalls ? 0.9 : 0.5;
			o.attack[0] = "T1609";
			sbuf_addf(&t, "Kubelet API %s: %s to %s port %d",
			    ncalls ? "exec/run calls" : "sessions",
			    an_net_str(st, f0->src), an_net_str(st, f0->dst),
			    f0->dport);
			sbuf_addf(&d,
			    "%s opened %zu session%s to the kubelet API of %s "
			    "port %d between %s and %s",
			    an_net_str(st, f0->src), b - a, b - a == 1 ? "" : "s",
			    an_net_str(st, f0->dst), f0->dport, wa, wb);
			if (ncalls)
				sbuf_addf(&d, "; requests: %s%s.", calls.buf,
				    ncalls > 8 ? ", ..." : "");
			else
				sbuf_addf(&d,
				    ". The API server calls kubelets for logs "
				    "and exec; any other caller is running "
				    "commands in pods or reading them.");
			break;
		case AN_NET_K8S:
			o.rule = "net.k8s_api";
			o.sev = SEV_INFO;
			o.conf = 0.5;
			o.attack[0] = "T1613";
			sbuf_addf(&t, "Container %s called the Kubernetes API",
			    an_net_str(st, f0->src));
			sbuf_addf(&d,
			    "%s (a container) opened %zu session%s to the "
			    "Kubernetes API server (%zu address%s) between %s "
			    "and %s. Normal for operators and controllers; "
			    "otherwise a sign of discovery with a mounted "
			    "service-account token.",
			    an_net_str(st, f0->src), b - a, b - a == 1 ? "" : "s",
			    dsts, dsts == 1 ? "" : "es", wa, wb);
			break;
		case AN_NET_META:
			o.rule = "net.metadata";
			o.sev = ncalls ? SEV_HIGH : SEV_MEDIUM;
			o.conf = ncalls ? 0.9 : 0.6;
			o.attack[0] = "T1552.005";
			sbuf_addf(&t, "Cloud metadata %s from %s",
			    ncalls ? "credential requests" : "requests",
			    an_net_str(st, f0->src));
			sbuf_addf(&d,
			    "%s reached the instance metadata service %s in "
			    "%zu flow%s between %s and %s (%zu HTTP request%s "
			    "seen)",
			    an_net_str(st, f0->src), an_net_str(st, f0->dst),
			    b - a, b - a == 1 ? "" : "s", wa, wb, nreq,
			    nreq == 1 ? "" : "s");
			if (ncalls)
				sbuf_addf(&d,
				    "; it asked for credentials or tokens: "
				    "%s%s.",
				    calls.buf, ncalls > 8 ? ", ..." : "");
			else
				sbuf_addf(&d,
				    ". From a container this is how cloud "
				    "credentials are stolen.");
			break;
		default:
			o.rule = "net.mining";
			o.sev = SEV_HIGH;
			o.conf = pool_port ? 0.95 : 0.85;
			o.attack[0] = "T1496";
			sbuf_addf(&t, "Crypto-mining: %s speaks stratum to %s "
				      "port %d",
			    an_net_str(st, f0->src), an_net_str(st, f0->dst),
			    f0->dport);
			sbuf_addf(&d,
			    "%s opened %zu stratum (mining pool protocol) "
			    "session%s to %s port %d%s between %s and %s.",
			    an_net_str(st, f0->src), b - a, b - a == 1 ? "" : "s",
			    an_net_str(st, f0->dst), f0->dport,
			    pool_port ? " (a common pool port)" : "", wa, wb);
			break;
		}
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
		sbuf_release(&calls);
	}
	free(gk);
	free(kind);
	return rc;
}

/* Lookups and TLS names of mining pools, per client and domain. */
static int
an_net_mining_names(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	const char *pools = c->val[AN_NET_K_mining_domains];
	struct an_net_gk *gk =
	    xcalloc(st->ndns + st->ntls + 1, sizeof(*gk));
	size_t n = 0, a, b, i;
	int rc = 0;

	for (i = 0; i < st->ndns; i++) {
		const struct an_net_dns *q = &st->dns[i];
		if (q->response || !an_net_in_words(pools,
					an_net_str(st, q->name), true))
			continue;
		gk[n].k1 = q->src;
		gk[n].k2 = q->dom;
		gk[n].ts = q->ts;
		gk[n].id = (int64_t)i;
		n++;
	}
	for (i = 0; i < st->ntls; i++) {
		const struct an_net_http *h = &st->tls[i];
		const char *sni = an_net_str(st, h->uri);
		if (!an_net_in_words(pools, sni, true))
			continue;
		gk[n].k1 = h->src;
		gk[n].k2 = an_net_intern(st, sni + an_net_regdom(sni));
		gk[n].ts = h->ts;
		gk[n].id = -1 - (int64_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		struct an_net_out o;
		struct an_net_evb ev;
		size_t nd = 0, nt = 0;
		char wa[40];

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
		     gk[b].k2 == gk[a].k2;
		     b++)
			;
		memset(&o, 0, sizeof(o));
		o.rule = "net.mining";
		o.sev = SEV_MEDIUM;
		o.conf = 0.7;
		o.attack[0] = "T1496";
		o.ts = gk[a].ts;
		o.ent[0] = (uint32_t)gk[a].k1;
		an_net_evb_init(&ev, st);
		for (i = a; i < b; i++) {
			int64_t id = gk[i].id;
			if (id >= 0) {
				const struct an_net_dns *q = &st->dns[id];
				an_net_evb_msg(&ev, "dns", q->flow_id, q->ts);
				if (o.cont == 0)
					o.cont = an_net_dns_cont(st,
					    q->flow_id);
				nd++;
			} else {
				const struct an_net_http *h =
				    &st->tls[-1 - id];
				an_net_evb_msg(&ev, "tls", h->flow_id, h->ts);
				if (o.cont == 0)
					o.cont = an_net_dns_cont(st,
					    h->flow_id);
				nt++;
			}
		}
		an_net_time(gk[a].ts, wa);
		sbuf_addf(&t, "Mining pool %s contacted by %s",
		    an_net_str(st, (uint32_t)gk[a].k2),
		    an_net_str(st, (uint32_t)gk[a].k1));
		sbuf_addf(&d,
		    "%s looked up names under %s, a mining pool, %zu time%s "
		    "and named it in %zu TLS handshake%s, from %s on.",
		    an_net_str(st, (uint32_t)gk[a].k1),
		    an_net_str(st, (uint32_t)gk[a].k2), nd, nd == 1 ? "" : "s",
		    nt, nt == 1 ? "" : "s", wa);
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	return rc;
}

/* ---- reverse shells ---- */

static int
an_net_revshell(struct an_net_st *st)
{
	const struct an_net_conf *c = &st->conf;
	struct an_net_gk *gk = xcalloc(st->nfl + 1, sizeof(*gk));
	size_t n = 0, a, b, i;
	int rc = 0;

	for (i = 0; i < st->nfl; i++) {
		const struct an_net_flow *f = &st->fl[i];
		double minpk = CF(c, revshell_min_packets);
		double maxavg = CF(c, revshell_max_avg_payload);

		/* The initiator must be known: the capture saw its SYN. */
		if (f->proto != AN_NET_TCP || !f->ext || f->svc != 0 ||
		    !(f->flags & AN_NET_SYN) ||
		    an_net_secs(f->last - f->first) <
			CF(c, revshell_min_duration_s) ||
		    (double)f->pf < minpk || (double)f->pr < minpk ||
		    f->plf == 0 || f->plr == 0 ||
		    (double)f->plf / (double)f->pf > maxavg ||
		    (double)f->plr / (double)f->pr > maxavg ||
		    an_net_port_in(c, AN_NET_K_revshell_common_ports,
			f->dport))
			continue;
		if (!f->cont && !an_net_private(an_net_str(st, f->src)))
			continue;
		gk[n].k1 = (uint64_t)f->src << 32 | f->dst;
		gk[n].k2 = (uint32_t)f->dport;
		gk[n].ts = f->first;
		gk[n].id = (int64_t)i;
		n++;
	}
	qsort(gk, n, sizeof(*gk), an_net_gk_cmp);
	for (a = 0; a < n && rc == 0; a = b) {
		struct sbuf t = SBUF_INIT, d = SBUF_INIT;
		const struct an_net_flow *f0 = &st->fl[gk[a].id];
		int64_t pf = 0, pr = 0, plf = 0, plr = 0, dur = 0;
		struct an_net_out o;
		struct an_net_evb ev;
		char wa[40];

		for (b = a + 1; b < n && gk[b].k1 == gk[a].k1 &&
		     gk[b].k2 == gk[a].k2;
		     b++)
			;
		memset(&o, 0, sizeof(o));
		o.rule = "net.revshell";
		o.sev = SEV_HIGH;
		o.conf = 0.5;
		o.attack[0] = "T1059";
		o.ts = f0->first;
		o.ent[0] = f0->src;
		o.ent[1] = f0->dst;
		an_net_evb_init(&ev, st);
		for (i = a; i < b; i++) {
			const struct an_net_flow *f = &st->fl[gk[i].id];
			an_net_evb_flow(&ev, f);
			pf += f->pf;
			pr += f->pr;
			plf += f->plf;
			plr += f->plr;
			dur = MAX(dur, f->last - f->first);
			if (o.cont == 0)
				o.cont = f->cont;
		}
		an_net_time(f0->first, wa);
		sbuf_addf(&t, "Reverse-shell-like session: %s to %s port %d",
		    an_net_str(st, f0->src), an_net_str(st, f0->dst),
		    f0->dport);
		sbuf_addf(&d,
		    "%s%s held %zu TCP session%s to %s port %d (an uncommon "
		    "port, no recognised protocol) from %s, the longest "
		    "%.0f s, exchanging small packets both ways (%" PRId64
		    " packets / %" PRId64 " payload bytes out, %" PRId64
		    " / %" PRId64 " back): the shape of an interactive shell "
		    "calling out.",
		    an_net_str(st, f0->src),
		    f0->cont ? " (a container)" : " (a private address)",
		    b - a, b - a == 1 ? "" : "s", an_net_str(st, f0->dst),
		    f0->dport, wa, an_net_secs(dur), pf, plf, pr, plr);
		an_net_evb_note(&d, &ev);
		rc = an_net_emit(st, &o, t.buf, d.buf, &ev);
		an_net_evb_release(&ev);
		sbuf_release(&t);
		sbuf_release(&d);
	}
	free(gk);
	return rc;
}

static int
an_net_finish(struct an_ctx *ctx, struct dd_err *e)
{
	struct an_net_st *st = ctx->state;
	int rc;

	if ((rc = an_net_read(st, e)) < 0)
		return rc;
	if ((rc = an_net_sweeps_scans(st)) < 0 ||
	    (rc = an_net_bruteforce(st)) < 0 ||
	    (rc = an_net_bruteforce_http(st)) < 0 ||
	    (rc = an_net_arp_spoof(st)) < 0 ||
	    (rc = an_net_arp_per_mac(st, 0)) < 0 ||
	    (rc = an_net_arp_per_mac(st, 1)) < 0 ||
	    (rc = an_net_arp_per_mac(st, 2)) < 0 ||
	    (rc = an_net_floods(st)) < 0 ||
	    (rc = an_net_dns_tunnel(st)) < 0 ||
	    (rc = an_net_dns_dga(st)) < 0 || (rc = an_net_beacons(st)) < 0 ||
	    (rc = an_net_platform(st)) < 0 ||
	    (rc = an_net_mining_names(st)) < 0 ||
	    (rc = an_net_revshell(st)) < 0)
		return dd_err_set(e, DD_EINTERNAL, "net: emitting findings");
	return 0;
}

/* The effective thresholds, one "key = value" line each. The buffer is
 * replaced on the next call. */
static const char *
an_net_rules(void)
{
	static struct sbuf out = SBUF_INIT;
	struct dd_err e = DD_ERR_INIT;
	struct an_net_conf c;
	size_t k;

	sbuf_reset(&out);
	sbuf_addstr(&out, "net analyzer thresholds v1\n");
	if (an_net_conf_load(&c, &e) < 0) {
		sbuf_addf(&out, "error: %s\n", e.msg);
		return out.buf;
	}
	for (k = 0; k < AN_NET_NKEYS; k++)
		sbuf_addf(&out, "%s = %s\n", an_net_keys[k].name, c.val[k]);
	an_net_conf_free(&c);
	return out.buf;
}

const struct analyzer an_net = {
	.abi = ANALYZER_ABI,
	.name = "net",
	.version = "1.0",
	.summary = "network behaviour: sweeps, scans, brute force, ARP "
		   "spoofing, floods, DNS tunnels, beacons, container-API and "
		   "metadata abuse, mining, reverse shells",
	.needs = AN_NEEDS_NET,
	.init = an_net_init,
	.on_flow = an_net_flow,
	.finish = an_net_finish,
	.fini = an_net_fini,
	.rules = an_net_rules,
};
