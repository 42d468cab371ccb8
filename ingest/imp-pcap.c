/* SPDX-License-Identifier: Apache-2.0 */
/*
 * imp-pcap.c: pcap and pcapng captures, read through libpcap
 * (FORMATS.md section 5), into flows, protocol records and the packet
 * index.
 *
 * libpcap reads the capture from a stdio stream over the importer's source
 * (fopencookie over ingest_src_read, or over an archive member: LID-DS
 * 2021 recordings hold one; see pcap_parse in ingest/members.h), so compression filters, the stored
 * original and its hash work as for every other format, and libpcap never
 * opens a file. Timestamps are asked for in nanoseconds.
 *
 * Per packet:
 *
 *   link layer (Ethernet, Linux cooked v1/v2, raw IPv4/IPv6, BSD
 *   NULL/LOOP, NFLOG) -> VLAN/QinQ tags -> ARP | IPv4 | IPv6 (extension
 *   headers, fragments) -> TCP | UDP | ICMP | ICMPv6 | SCTP | other
 *   -> flow table -> DNS, HTTP/1.x, TLS ClientHello, DHCP (netproto.c)
 *   UDP 4789/8472 (VXLAN) and 6081 (GENEVE) -> the inner Ethernet frame,
 *   again, its flows noting the tunnel (depth <= LIM_NEST_DEPTH).
 *
 * Flows are keyed by addresses, ports, protocol and tunnel VNI (VLAN tags
 * are noted, not keyed: a host-side capture sees both). The initiator is
 * the sender of the first packet, except a SYN-ACK or an ICMP reply seen
 * first (the receiver initiated). TCP state follows Zeek's conn_state
 * names (S0, REJ, S1, SF, S2, S3, RSTO, RSTR, RSTOS0, SH, OTH).
 * Retransmissions: a data segment that ends at or before the highest
 * sequence end seen in its direction. ICMP flows carry the type in sport
 * and the code (or the answering type) in dport. The Community ID (v1,
 * seed 0) is computed as the spec does (github.com/corelight/community-id-
 * spec): endpoints ordered unless the ICMP type is one-way.
 *
 * Memory stays bounded: flows idle longer than their timeout in capture
 * time (TCP 1 h, closed TCP 5 s, others 2 min) are written out and freed,
 * and at PC_FLOWS_MAX live flows the least recently active one goes.
 * Packet-index records are sent in chunks of SINK_PACKETS_MAX.
 *
 * Anomalies: a capture cut short (libpcap's "truncated dump file"), a
 * record libpcap refuses (the packets before it are kept), link types not
 * decoded (packets indexed, no flows), malformed headers (counted, one
 * anomaly per kind with the first packet number).
 */
#define _GNU_SOURCE
#include "core/common.h"

#include "core/lib-crypto.h"
#include <arpa/inet.h>
#include "core/lib-pcap.h"
#include <stdio.h>

#include "core/dderr.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/pktstore.h"
#include "core/rd.h"
#include "core/util.h"
#include "core/xmalloc.h"
#include "ingest/ingest.h"
#include "ingest/members.h"
#include "ingest/netproto.h"

#define PC_FLOWS_MAX (1u << 20)
#define PC_TCP_IDLE (3600LL * 1000000000LL)
#define PC_CLOSED_IDLE (5LL * 1000000000LL)
#define PC_OTHER_IDLE (120LL * 1000000000LL)
#define PC_FRAG_SLOTS 4096u
#define PC_IOBUF (1u << 20)

enum { LRU_TCP, LRU_CLOSED, LRU_OTHER, LRU_N };

/* TCP progress bits, per flow. */
enum {
	T_SYN_O = 1 << 0,
	T_SYNACK_R = 1 << 1,
	T_FIN_O = 1 << 2,
	T_FIN_R = 1 << 3,
	T_RST_O = 1 << 4,
	T_RST_R = 1 << 5,
};

/* Malformations, counted per kind; one anomaly each. */
enum { BAD_LINK, BAD_IP4, BAD_IP6, BAD_L4, BAD_ARP, BAD_TUNNEL, BAD_N };
static const char *const bad_what[BAD_N] = {
	"link-layer header", "IPv4 header", "IPv6 header",
	"TCP/UDP/ICMP header", "ARP packet", "tunnel header",
};

struct pc_key {
	uint8_t a[16], b[16]; /* a <= b (with ports) */
	uint16_t pa, pb;
	uint8_t proto, ipv;
	uint16_t pad;
	uint32_t tun; /* tunnel type << 24 | VNI, 0 none */
};

struct pc_flow {
	struct pc_key key;
	uint64_t hash;
	struct pc_flow *hnext;
	struct pc_flow *prev, *next; /* its LRU list */
	int lru;
	bool init_is_a; /* the initiator is key.a */
	bool oneway;	/* ICMP type without an answer type */
	int64_t no, first_pkt, first_ts, last_ts;
	uint64_t pkts[2], bytes[2], pay[2]; /* [0] from the initiator */
	uint32_t seq_end[2];
	bool seq_set[2];
	uint8_t flags[2];
	uint8_t tcp;
	uint32_t retrans, auth_fail, frags;
	int vlan;
	const char *service; /* static */
	bool svc_tried[2];
	bool tls_done;
};

struct pc_frag {
	uint64_t key; /* hash of (ipv, src, dst, id, proto) */
	int64_t flow_no;
	struct pc_flow *flow;
};

/* What one packet came to, as it is dissected. */
struct pc_pkt {
	int64_t ts, no;
	int64_t flow_no, outer_no;
	uint32_t tun;
	int vlan;
	const uint8_t *eth_src; /* the frame's source MAC, or NULL */
};

struct pc {
	struct imp_ctx *ctx;
	int64_t artifact_id; /* the capture's artifact (or archive member) */
	const char *name;    /* its name, for messages */
	ingest_read_fn read; /* its bytes */
	void *read_user;
	struct dd_err *e;
	struct dd_err rerr; /* the source's read error */
	bool rfail;
	uint64_t consumed;  /* bytes libpcap has read */
	uint8_t magic[4];   /* the file's first bytes */
	char *iobuf;	    /* the stream's buffer (glibc ignores a size
			       without one: 8 KiB reads) */
	int dlt;
	struct pc_flow **tab;
	size_t tabsz, nflows;
	struct pc_flow *head[LRU_N], *tail[LRU_N];
	int64_t next_no, now;
	struct pc_frag frag[PC_FRAG_SLOTS];
	struct packet_rec *pk;
	size_t npk;
	int64_t pk_first;
	uint64_t bad[BAD_N];
	int64_t bad_first[BAD_N];
	uint64_t undecoded; /* packets of a link type not decoded */
	int rc;		    /* first sink error */
};

/* ---- the source as a stdio stream ---- */

static ssize_t
pc_cookie_read(void *cookie, char *buf, size_t size)
{
	struct pc *pc = cookie;
	size_t got = 0;

	if (pc->rfail)
		return -1;
	if (pc->read(pc->read_user, buf, size, &got, &pc->rerr) < 0) {
		pc->rfail = true;
		return -1;
	}
	if (pc->consumed < 4)
		memcpy(pc->magic + pc->consumed, buf,
		    MIN(got, (size_t)(4 - pc->consumed)));
	pc->consumed += got;
	return (ssize_t)got;
}

/* ---- sniff ---- */

static int
imp_pcap_sniff(const uint8_t *head, size_t n, const char *basename)
{
	struct rd r;
	uint32_t m, bt, len, bom;

	(void)basename;
	rd_init(&r, head, n, 0);
	m = rd_be32(&r);
	if (!rd_ok(&r))
		return 0;
	switch (m) {
	case 0xa1b2c3d4: case 0xd4c3b2a1: case 0xa1b23c4d: case 0x4d3cb2a1:
	case 0xa1b2cd34: case 0x34cdb2a1: {
		bool sw = m == 0xd4c3b2a1 || m == 0x4d3cb2a1 || m == 0x34cdb2a1;
		uint16_t major = sw ? rd_le16(&r) : rd_be16(&r);
		return rd_ok(&r) && major == 2 ? 64 : 24;
	}
	case 0x0a0d0d0a:
		break;
	default:
		return 0;
	}
	/* pcapng: SHB, then (unlike scap) an interface description. */
	len = rd_le32(&r);
	bom = rd_be32(&r);
	if (!rd_ok(&r) || (bom != 0x1a2b3c4d && bom != 0x4d3c2b1a))
		return 0;
	if (bom == 0x4d3c2b1a) { /* little-endian section */
		if (len < 28 || len > n || rd_skip(&r, len - 12) != 0)
			return 24;
		bt = rd_le32(&r);
	} else {
		len = ((len & 0xff) << 24) | ((len & 0xff00) << 8) |
		    ((len >> 8) & 0xff00) | (len >> 24);
		if (len < 28 || len > n || rd_skip(&r, len - 12) != 0)
			return 24;
		bt = rd_be32(&r);
	}
	if (!rd_ok(&r))
		/* A lone section header: scap writes none with options, so
		 * one with options (hardware, OS, application) is pcapng. */
		return len > 28 ? 48 : 24;
	/* an interface first (usual); other pcapng blocks (NRB, ISB, DSB
	 * 0xA, custom 0xBAD/0x40000BAD) may come before it */
	return bt == 1 ? 72 :
	    (bt >= 2 && bt <= 6) || bt == 0xa || bt == 0xbad ||
		bt == 0x40000bad ?
				     60 :
				     0;
}

/* ---- emitting ---- */

static void
pc_bad(struct pc *pc, int kind, const struct pc_pkt *pk)
{
	if (pc->bad[kind]++ == 0)
		pc->bad_first[kind] = pk->no;
}

static int
pc_sink_rc(struct pc *pc, int rc)
{
	if (rc < 0 && pc->rc == 0)
		pc->rc = rc;
	return rc;
}

static int
pc_net(struct pc *pc, struct net_rec *r)
{
	struct sink *k = pc->ctx->sink;

	if (pc->rc < 0 || k->ops->net == NULL)
		return pc->rc;
	return pc_sink_rc(pc, k->ops->net(k, pc->artifact_id, r, pc->e));
}

static void
nr_init(struct net_rec *r, int kind)
{
	int i;

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	for (i = 0; i < NR_NI; i++)
		r->i[i] = NR_NULL;
}

static void
addr_text(int ipv, const uint8_t *a, char out[INET6_ADDRSTRLEN])
{
	if (inet_ntop(ipv == 4 ? AF_INET : AF_INET6, a, out,
		INET6_ADDRSTRLEN) == NULL)
		snprintf(out, INET6_ADDRSTRLEN, "?");
}

static void
mac_text(const uint8_t *m, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

static const char *
proto_name(int proto, char buf[8])
{
	switch (proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	default: snprintf(buf, 8, "%d", proto); return buf;
	}
}

static const char *
tcp_state(const struct pc_flow *f)
{
	unsigned t = f->tcp;

	if (!(t & (T_SYN_O | T_SYNACK_R)))
		return "OTH";
	if (!(t & T_SYNACK_R))
		return t & T_RST_R ? "REJ" : t & T_RST_O ? "RSTOS0" :
		    t & T_FIN_O ? "SH" : "S0";
	if (t & T_RST_O)
		return "RSTO";
	if (t & T_RST_R)
		return "RSTR";
	if ((t & (T_FIN_O | T_FIN_R)) == (T_FIN_O | T_FIN_R))
		return "SF";
	return t & T_FIN_O ? "S2" : t & T_FIN_R ? "S3" : "S1";
}

/* The Community ID v1 of a flow, "1:" + base64(SHA-1). */
static void
community_id(const struct pc_flow *f, char out[40])
{
	uint8_t buf[2 + 32 + 2 + 4], md[SHA_DIGEST_LENGTH];
	const struct pc_key *k = &f->key;
	size_t al = k->ipv == 4 ? 4 : 16, n = 0;
	bool ports = k->proto == 6 || k->proto == 17 || k->proto == 1 ||
	    k->proto == 58 || k->proto == 132;
	/* key.a <= key.b already; a one-way ICMP keeps the sender first */
	const uint8_t *sa = k->a, *da = k->b;
	uint16_t sp = k->pa, dp = k->pb;

	if (f->oneway && !f->init_is_a) {
		sa = k->b;
		da = k->a;
		sp = k->pb;
		dp = k->pa;
	}
	buf[n++] = 0;
	buf[n++] = 0;
	memcpy(buf + n, sa, al);
	n += al;
	memcpy(buf + n, da, al);
	n += al;
	buf[n++] = k->proto;
	buf[n++] = 0;
	if (ports) {
		buf[n++] = (uint8_t)(sp >> 8);
		buf[n++] = (uint8_t)sp;
		buf[n++] = (uint8_t)(dp >> 8);
		buf[n++] = (uint8_t)dp;
	}
	SHA1(buf, n, md);
	memcpy(out, "1:", 2);
	EVP_EncodeBlock((unsigned char *)out + 2, md, SHA_DIGEST_LENGTH);
}

static int
pc_flow_emit(struct pc *pc, struct pc_flow *f)
{
	struct net_rec r;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], pn[8], cid[40],
	    tun[32];
	const struct pc_key *k = &f->key;
	int i = f->init_is_a ? 0 : 1;

	nr_init(&r, NR_FLOW);
	addr_text(k->ipv, i == 0 ? k->a : k->b, src);
	addr_text(k->ipv, i == 0 ? k->b : k->a, dst);
	community_id(f, cid);
	r.i[FL_NO] = f->no;
	r.i[FL_SPORT] = i == 0 ? k->pa : k->pb;
	r.i[FL_DPORT] = i == 0 ? k->pb : k->pa;
	r.i[FL_FIRST_TS] = f->first_ts;
	r.i[FL_LAST_TS] = f->last_ts;
	r.i[FL_PKTS_FWD] = (int64_t)f->pkts[0];
	r.i[FL_BYTES_FWD] = (int64_t)f->bytes[0];
	r.i[FL_PKTS_REV] = (int64_t)f->pkts[1];
	r.i[FL_BYTES_REV] = (int64_t)f->bytes[1];
	r.i[FL_PAY_FWD] = (int64_t)f->pay[0];
	r.i[FL_PAY_REV] = (int64_t)f->pay[1];
	r.i[FL_RETRANS] = f->retrans;
	r.i[FL_AUTH_FAIL] = f->auth_fail;
	r.i[FL_FIRST_PKT] = f->first_pkt;
	r.i[FL_FRAGS] = f->frags;
	if (f->vlan >= 0)
		r.i[FL_VLAN] = f->vlan;
	if (k->proto == 6) {
		r.i[FL_TCP_FLAGS] = f->flags[0] | f->flags[1] << 8;
		r.s[FLS_STATE] = tcp_state(f);
	}
	r.s[FLS_PROTO] = proto_name(k->proto, pn);
	r.s[FLS_SRC] = src;
	r.s[FLS_DST] = dst;
	r.s[FLS_SERVICE] = f->service;
	r.s[FLS_CID] = cid;
	if (k->tun != 0) {
		snprintf(tun, sizeof(tun), "%s %u",
		    k->tun >> 24 == 1 ? "vxlan" : "geneve", k->tun & 0xffffff);
		r.s[FLS_TUNNEL] = tun;
	}
	return pc_net(pc, &r);
}

/* ---- the flow table ---- */

static void
lru_unlink(struct pc *pc, struct pc_flow *f)
{
	if (f->prev)
		f->prev->next = f->next;
	else
		pc->head[f->lru] = f->next;
	if (f->next)
		f->next->prev = f->prev;
	else
		pc->tail[f->lru] = f->prev;
	f->prev = f->next = NULL;
}

static void
lru_append(struct pc *pc, struct pc_flow *f, int lru)
{
	f->lru = lru;
	f->next = NULL;
	f->prev = pc->tail[lru];
	if (pc->tail[lru])
		pc->tail[lru]->next = f;
	else
		pc->head[lru] = f;
	pc->tail[lru] = f;
}

static void
tab_unlink(struct pc *pc, struct pc_flow *f)
{
	struct pc_flow **pp = &pc->tab[f->hash & (pc->tabsz - 1)];

	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
}

/* Write a flow out and free it. */
static int
pc_flow_done(struct pc *pc, struct pc_flow *f)
{
	size_t i;
	int rc;

	rc = pc_flow_emit(pc, f);
	lru_unlink(pc, f);
	tab_unlink(pc, f);
	for (i = 0; i < PC_FRAG_SLOTS; i++)
		if (pc->frag[i].flow == f)
			pc->frag[i].flow = NULL;
	free(f);
	pc->nflows--;
	return rc;
}

static int64_t
lru_idle(int lru)
{
	return lru == LRU_TCP ? PC_TCP_IDLE :
	    lru == LRU_CLOSED ? PC_CLOSED_IDLE : PC_OTHER_IDLE;
}

static int
pc_expire(struct pc *pc)
{
	int l, rc;

	for (l = 0; l < LRU_N; l++)
		while (pc->head[l] != NULL &&
		    pc->head[l]->last_ts + lru_idle(l) < pc->now)
			if ((rc = pc_flow_done(pc, pc->head[l])) < 0)
				return rc;
	while (pc->nflows >= PC_FLOWS_MAX) {
		struct pc_flow *old = NULL;
		for (l = 0; l < LRU_N; l++)
			if (pc->head[l] &&
			    (old == NULL || pc->head[l]->last_ts < old->last_ts))
				old = pc->head[l];
		if ((rc = pc_flow_done(pc, old)) < 0)
			return rc;
	}
	return 0;
}

static void
tab_grow(struct pc *pc)
{
	size_t nsz = pc->tabsz ? pc->tabsz * 2 : 4096, i;
	struct pc_flow **nt = xcalloc(nsz, sizeof(*nt));

	for (i = 0; i < pc->tabsz; i++) {
		struct pc_flow *f = pc->tab[i], *nx;
		for (; f; f = nx) {
			nx = f->hnext;
			f->hnext = nt[f->hash & (nsz - 1)];
			nt[f->hash & (nsz - 1)] = f;
		}
	}
	free(pc->tab);
	pc->tab = nt;
	pc->tabsz = nsz;
}

/* ICMP type -> its answer type (Community ID's table), or -1. */
static int
icmp_pair(int v6, int type)
{
	if (!v6)
		switch (type) {
		case 8: return 0;
		case 0: return 8;
		case 13: return 14;
		case 14: return 13;
		case 15: return 16;
		case 16: return 15;
		case 10: return 9;
		case 9: return 10;
		case 17: return 18;
		case 18: return 17;
		default: return -1;
		}
	switch (type) {
	case 128: return 129;
	case 129: return 128;
	case 130: return 131;
	case 131: return 130;
	case 133: return 134;
	case 134: return 133;
	case 135: return 136;
	case 136: return 135;
	case 139: return 140;
	case 140: return 139;
	case 144: return 145;
	case 145: return 144;
	default: return -1;
	}
}

static bool
icmp_is_reply(int v6, int type)
{
	return v6 ? type == 129 || type == 131 || type == 134 ||
		type == 136 || type == 140 || type == 145 :
		    type == 0 || type == 14 || type == 16 || type == 9 ||
		type == 18;
}

/* ---- dissection ---- */

/* Layer 4 as one packet shows it. */
struct pc_l4 {
	int ipv, proto;
	const uint8_t *src, *dst;
	uint16_t sport, dport;
	uint32_t iplen;		/* IP bytes on the wire (header included) */
	uint8_t tcpflags;
	uint32_t seq;
	int icmp_type;
	const uint8_t *pay;	/* captured payload */
	size_t paylen;
	uint64_t declen;	/* payload bytes the headers declare */
	bool frag_first;	/* first fragment of a fragmented datagram */
	uint32_t frag_id;
};

static int pc_eth(struct pc *pc, const uint8_t *p, size_t n,
    struct pc_pkt *pk, int depth);

static struct pc_flow *
pc_flow_get(struct pc *pc, const struct pc_l4 *l, const struct pc_pkt *pk,
    int *dirp)
{
	struct pc_key k;
	struct pc_flow *f;
	size_t al = l->ipv == 4 ? 4 : 16;
	bool sender_a, tcp_new, reply = false;
	int c, dir;

	memset(&k, 0, sizeof(k));
	k.proto = (uint8_t)l->proto;
	k.ipv = (uint8_t)l->ipv;
	k.tun = pk->tun;
	c = memcmp(l->src, l->dst, al);
	sender_a = c < 0 || (c == 0 && l->sport <= l->dport);
	memcpy(k.a, sender_a ? l->src : l->dst, al);
	memcpy(k.b, sender_a ? l->dst : l->src, al);
	k.pa = sender_a ? l->sport : l->dport;
	k.pb = sender_a ? l->dport : l->sport;
	uint64_t h = hash64(0x9e3779b97f4a7c15ull, &k, sizeof(k));

	if (pc->tab == NULL)
		tab_grow(pc);
	for (f = pc->tab[h & (pc->tabsz - 1)]; f; f = f->hnext)
		if (f->hash == h && memcmp(&f->key, &k, sizeof(k)) == 0)
			break;
	tcp_new = l->proto == 6 && (l->tcpflags & 0x12) == 0x02;
	if (f != NULL && tcp_new && f->lru == LRU_CLOSED) {
		/* a new connection on a closed flow's ports */
		if (pc_flow_done(pc, f) < 0)
			return NULL;
		f = NULL;
	}
	if (f == NULL) {
		if (pc->nflows + 1 > pc->tabsz)
			tab_grow(pc);
		f = xcalloc(1, sizeof(*f));
		f->key = k;
		f->hash = h;
		f->no = ++pc->next_no;
		f->first_pkt = pk->no;
		f->first_ts = f->last_ts = pk->ts;
		f->vlan = pk->vlan;
		if (l->proto == 6)
			reply = (l->tcpflags & 0x12) == 0x12;
		else if (l->proto == 1 || l->proto == 58) {
			reply = icmp_is_reply(l->proto == 58, l->icmp_type);
			f->oneway = icmp_pair(l->proto == 58, l->icmp_type) < 0;
		}
		f->init_is_a = reply ? !sender_a : sender_a;
		f->hnext = pc->tab[h & (pc->tabsz - 1)];
		pc->tab[h & (pc->tabsz - 1)] = f;
		lru_append(pc, f, l->proto == 6 ? LRU_TCP : LRU_OTHER);
		pc->nflows++;
	} else {
		int lru = f->lru;
		lru_unlink(pc, f);
		lru_append(pc, f, lru);
	}
	dir = sender_a == f->init_is_a ? 0 : 1;
	if (pk->ts > f->last_ts)
		f->last_ts = pk->ts;
	f->pkts[dir]++;
	f->bytes[dir] += l->iplen;
	f->pay[dir] += l->declen;
	*dirp = dir;
	return f;
}

static void
pc_tcp(struct pc *pc, struct pc_flow *f, int dir, const struct pc_l4 *l)
{
	uint8_t fl = l->tcpflags;
	uint32_t end;

	f->flags[dir] |= fl;
	if (fl & 0x02) {
		if (!(fl & 0x10) && dir == 0)
			f->tcp |= T_SYN_O;
		else if ((fl & 0x10) && dir == 1)
			f->tcp |= T_SYNACK_R;
		f->seq_end[dir] = l->seq + 1;
		f->seq_set[dir] = true;
	}
	if (fl & 0x01)
		f->tcp |= dir == 0 ? T_FIN_O : T_FIN_R;
	if (fl & 0x04)
		f->tcp |= dir == 0 ? T_RST_O : T_RST_R;
	if (l->declen > 0 && !(fl & 0x02)) {
		end = l->seq + (uint32_t)l->declen;
		if (f->seq_set[dir] && (int32_t)(end - f->seq_end[dir]) <= 0)
			f->retrans++;
		else {
			f->seq_end[dir] = end;
			f->seq_set[dir] = true;
		}
	}
	if (f->lru == LRU_TCP &&
	    ((f->tcp & (T_RST_O | T_RST_R)) ||
		(f->tcp & (T_FIN_O | T_FIN_R)) == (T_FIN_O | T_FIN_R))) {
		lru_unlink(pc, f);
		lru_append(pc, f, LRU_CLOSED);
	}
}

static void
pc_dns(struct pc *pc, const struct pc_flow *f, const struct pc_pkt *pk,
    const uint8_t *p, size_t n)
{
	struct np_dns d;
	struct net_rec r;

	if (np_dns_parse(p, n, &d) != 1)
		return;
	nr_init(&r, NR_DNS);
	r.i[DN_FLOW] = f->no;
	r.i[DN_TS] = pk->ts;
	r.i[DN_TXID] = d.id;
	r.i[DN_RESPONSE] = d.response;
	r.i[DN_TRUNC] = d.truncated;
	r.s[DNS_QNAME] = d.qname;
	r.s[DNS_QTYPE] = d.qtype_name[0] ? d.qtype_name : NULL;
	if (d.response) {
		r.s[DNS_RCODE] = np_dns_rcode_name(d.rcode);
		r.s[DNS_ANSWERS] = d.answers;
	}
	pc_net(pc, &r);
}

static void
pc_app(struct pc *pc, struct pc_flow *f, int dir, const struct pc_l4 *l,
    const struct pc_pkt *pk)
{
	const uint8_t *p = l->pay;
	size_t n = l->paylen;
	struct net_rec r;

	if (n == 0)
		return;
	if (f->service == NULL && !f->svc_tried[dir]) {
		f->svc_tried[dir] = true;
		f->service = np_service_guess(p, n, dir == 0);
	}
	if (dir == 1 && f->service != NULL)
		f->auth_fail += (uint32_t)np_auth_failure(f->service, p, n);
	if (l->proto == 17) {
		if (l->sport == 53 || l->dport == 53 || l->sport == 5353 ||
		    l->dport == 5353)
			pc_dns(pc, f, pk, p, n);
		else if ((l->sport == 67 || l->sport == 68) &&
		    (l->dport == 67 || l->dport == 68)) {
			struct np_dhcp d;
			if (np_dhcp_parse(p, n, &d) != 1)
				return;
			nr_init(&r, NR_DHCP);
			r.i[DH_FLOW] = f->no;
			r.i[DH_TS] = pk->ts;
			r.i[DH_XID] = d.xid;
			r.s[DHS_TYPE] = d.msg_type_name[0] ? d.msg_type_name :
			    NULL;
			r.s[DHS_MAC] = d.client_mac[0] ? d.client_mac : NULL;
			r.s[DHS_CIADDR] = d.ciaddr[0] ? d.ciaddr : NULL;
			r.s[DHS_YIADDR] = d.yiaddr[0] ? d.yiaddr : NULL;
			r.s[DHS_REQ] = d.requested_ip[0] ? d.requested_ip : NULL;
			r.s[DHS_SERVER] = d.server_id[0] ? d.server_id : NULL;
			r.s[DHS_HOST] = d.hostname[0] ? d.hostname : NULL;
			pc_net(pc, &r);
		}
		return;
	}
	if (l->proto != 6)
		return;
	if (l->sport == 53 || l->dport == 53) {
		/* DNS over TCP: messages behind 2-byte lengths */
		struct rd rr;
		rd_init(&rr, p, n, 0);
		while (rd_left(&rr) >= 2) {
			uint16_t ml = rd_be16(&rr);
			const uint8_t *m;
			if (ml == 0 || rd_bytes(&rr, ml, &m) != 0)
				break;
			pc_dns(pc, f, pk, m, ml);
		}
		return;
	}
	if (p[0] >= 'A' && p[0] <= 'Z') {
		struct np_http h;
		if (np_http_parse(p, n, &h) != 1)
			return;
		nr_init(&r, NR_HTTP);
		r.i[HT_FLOW] = f->no;
		r.i[HT_TS] = pk->ts;
		r.i[HT_REQUEST] = h.request;
		r.i[HT_AUTH] = h.has_authorization;
		if (h.request) {
			r.s[HTS_METHOD] = h.method;
			r.s[HTS_HOST] = h.host[0] ? h.host : NULL;
			r.s[HTS_URI] = h.uri;
			r.s[HTS_UA] = h.user_agent[0] ? h.user_agent : NULL;
		} else {
			r.i[HT_STATUS] = h.status;
			r.s[HTS_REASON] = h.reason;
		}
		r.s[HTS_CTYPE] = h.content_type[0] ? h.content_type : NULL;
		pc_net(pc, &r);
		return;
	}
	if (p[0] == 0x16 && n >= 6 && p[5] == 1 && !f->tls_done) {
		struct np_tls t;
		f->tls_done = true;
		if (np_tls_client_hello(p, n, &t) != 1)
			return;
		nr_init(&r, NR_TLS);
		r.i[TL_FLOW] = f->no;
		r.i[TL_TS] = pk->ts;
		r.i[TL_CIPHERS] = t.ciphers;
		r.s[TLS_VERSION] = t.version[0] ? t.version : NULL;
		r.s[TLS_SNI] = t.sni[0] ? t.sni : NULL;
		r.s[TLS_ALPN] = t.alpn[0] ? t.alpn : NULL;
		pc_net(pc, &r);
	}
}

static uint64_t
frag_key(const struct pc_l4 *l)
{
	uint8_t b[40];
	size_t al = l->ipv == 4 ? 4 : 16;

	memset(b, 0, sizeof(b));
	memcpy(b, l->src, al);
	memcpy(b + 16, l->dst, al);
	memcpy(b + 32, &l->frag_id, 4);
	b[36] = (uint8_t)l->proto;
	b[37] = (uint8_t)l->ipv;
	return hash64(0x243f6a8885a308d3ull, b, sizeof(b)) | 1;
}

/* A fragment after the first: counted into its datagram's flow. */
static void
pc_frag_more(struct pc *pc, const struct pc_l4 *l, struct pc_pkt *pk)
{
	uint64_t key = frag_key(l);
	struct pc_frag *s = &pc->frag[key % PC_FRAG_SLOTS];
	struct pc_flow *f = s->key == key ? s->flow : NULL;
	size_t al = l->ipv == 4 ? 4 : 16;
	int dir;

	if (f == NULL)
		return;
	dir = (memcmp(l->src, f->init_is_a ? f->key.a : f->key.b, al) == 0) ?
	    0 : 1;
	f->pkts[dir]++;
	f->bytes[dir] += l->iplen;
	f->pay[dir] += l->declen;
	f->frags++;
	if (pk->ts > f->last_ts)
		f->last_ts = pk->ts;
	pk->flow_no = f->no;
}

static int
pc_l4(struct pc *pc, struct pc_l4 *l, struct pc_pkt *pk, int depth,
    bool frag_more)
{
	struct pc_flow *f;
	struct rd r;
	int dir;

	if (frag_more) {
		pc_frag_more(pc, l, pk);
		return 0;
	}
	rd_init(&r, l->pay, l->paylen, 0);
	switch (l->proto) {
	case 6: {
		uint8_t doff;
		l->sport = rd_be16(&r);
		l->dport = rd_be16(&r);
		l->seq = rd_be32(&r);
		rd_skip(&r, 4);
		doff = (uint8_t)((rd_u8(&r) >> 4) * 4);
		l->tcpflags = rd_u8(&r);
		if (!rd_ok(&r) || doff < 20 || doff > l->declen) {
			pc_bad(pc, BAD_L4, pk);
			return 0;
		}
		l->declen -= doff;
		l->pay += MIN((size_t)doff, l->paylen);
		l->paylen -= MIN((size_t)doff, l->paylen);
		break;
	}
	case 17: {
		uint16_t ulen;
		l->sport = rd_be16(&r);
		l->dport = rd_be16(&r);
		ulen = rd_be16(&r);
		rd_skip(&r, 2); /* the checksum: the header is all there */
		if (!rd_ok(&r) || l->declen < 8 || ulen < 8) {
			pc_bad(pc, BAD_L4, pk);
			return 0;
		}
		l->declen = MIN(l->declen, (uint64_t)ulen) - 8;
		l->pay += 8;
		l->paylen = MIN(l->paylen - 8, (size_t)l->declen);
		break;
	}
	case 1:
	case 58: {
		int pair, code;
		l->icmp_type = rd_u8(&r);
		code = rd_u8(&r);
		if (!rd_ok(&r)) {
			pc_bad(pc, BAD_L4, pk);
			return 0;
		}
		pair = icmp_pair(l->proto == 58, l->icmp_type);
		l->sport = (uint16_t)l->icmp_type;
		l->dport = (uint16_t)(pair >= 0 ? pair : code);
		l->paylen = 0;
		break;
	}
	case 132:
		l->sport = rd_be16(&r);
		l->dport = rd_be16(&r);
		if (!rd_ok(&r)) {
			pc_bad(pc, BAD_L4, pk);
			return 0;
		}
		l->paylen = 0;
		break;
	default:
		l->paylen = 0;
		break;
	}
	if ((f = pc_flow_get(pc, l, pk, &dir)) == NULL)
		return pc->rc;
	pk->flow_no = f->no;
	if (l->frag_first) {
		uint64_t key = frag_key(l);
		struct pc_frag *s = &pc->frag[key % PC_FRAG_SLOTS];
		s->key = key;
		s->flow = f;
		s->flow_no = f->no;
		f->frags++;
	}
	if (l->proto == 6)
		pc_tcp(pc, f, dir, l);
	pc_app(pc, f, dir, l, pk);
	/* tunnels: the inner frame, its flows noting the VNI */
	if (l->proto == 17 && depth < LIM_NEST_DEPTH && l->paylen >= 8) {
		const uint8_t *q = l->pay;
		uint32_t vni = ((uint32_t)q[4] << 16) | ((uint32_t)q[5] << 8) |
		    q[6];
		struct pc_pkt in = *pk;
		if ((l->dport == 4789 || l->dport == 8472) && (q[0] & 0x08)) {
			in.tun = 1u << 24 | vni;
			in.outer_no = f->no;
			in.vlan = -1;
			pc_eth(pc, q + 8, l->paylen - 8, &in, depth + 1);
			pk->flow_no = in.flow_no;
			pk->outer_no = f->no;
		} else if (l->dport == 6081 && (q[0] >> 6) == 0) {
			size_t hl = 8 + (size_t)(q[0] & 0x3f) * 4;
			uint16_t pt = (uint16_t)(q[2] << 8 | q[3]);
			in.tun = 2u << 24 | vni;
			in.outer_no = f->no;
			in.vlan = -1;
			if (hl > l->paylen || pt != 0x6558) {
				pc_bad(pc, BAD_TUNNEL, pk);
				return 0;
			}
			pc_eth(pc, q + hl, l->paylen - hl, &in, depth + 1);
			pk->flow_no = in.flow_no;
			pk->outer_no = f->no;
		}
	}
	return pc->rc;
}

static int
pc_ip4(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk,
    int depth)
{
	struct pc_l4 l;
	size_t ihl, tot, avail;
	uint16_t frag;

	if (n < 20 || (p[0] >> 4) != 4 || (ihl = (size_t)(p[0] & 15) * 4) < 20 ||
	    ihl > n || (tot = (size_t)(p[2] << 8 | p[3])) < ihl) {
		pc_bad(pc, BAD_IP4, pk);
		return 0;
	}
	memset(&l, 0, sizeof(l));
	avail = MIN(n, tot);
	frag = (uint16_t)(p[6] << 8 | p[7]);
	l.ipv = 4;
	l.proto = p[9];
	l.src = p + 12;
	l.dst = p + 16;
	l.iplen = (uint32_t)tot;
	l.pay = p + ihl;
	l.paylen = avail - ihl;
	l.declen = tot - ihl;
	l.frag_id = (uint32_t)(p[4] << 8 | p[5]);
	l.frag_first = (frag & 0x2000) && (frag & 0x1fff) == 0;
	return pc_l4(pc, &l, pk, depth, (frag & 0x1fff) != 0);
}

static int
pc_ip6(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk,
    int depth)
{
	struct pc_l4 l;
	size_t plen, off = 40, avail;
	int nh, hops = 0;
	bool more = false;

	if (n < 40 || (p[0] >> 4) != 6) {
		pc_bad(pc, BAD_IP6, pk);
		return 0;
	}
	memset(&l, 0, sizeof(l));
	plen = (size_t)(p[4] << 8 | p[5]);
	if (plen == 0)
		plen = n - 40; /* a jumbogram: as captured */
	avail = MIN(n, 40 + plen);
	nh = p[6];
	l.ipv = 6;
	l.src = p + 8;
	l.dst = p + 24;
	l.iplen = (uint32_t)(40 + plen);
	for (;;) {
		const uint8_t *q = p + off;
		size_t hl;
		if (nh == 0 || nh == 43 || nh == 60 || nh == 51 || nh == 135 ||
		    nh == 139 || nh == 140) {
			if (off + 8 > avail) {
				pc_bad(pc, BAD_IP6, pk);
				return 0;
			}
			hl = nh == 51 ? ((size_t)q[1] + 2) * 4 :
			    ((size_t)q[1] + 1) * 8;
		} else if (nh == 44) {
			uint16_t fo;
			if (off + 8 > avail) {
				pc_bad(pc, BAD_IP6, pk);
				return 0;
			}
			fo = (uint16_t)(q[2] << 8 | q[3]);
			l.frag_id = (uint32_t)q[4] << 24 | (uint32_t)q[5] << 16 |
			    (uint32_t)q[6] << 8 | q[7];
			more = (fo >> 3) != 0;
			l.frag_first = !more && (fo & 1);
			hl = 8;
		} else
			break;
		if (++hops > 256) { /* each header is >= 8 bytes: bounded */
			pc_bad(pc, BAD_IP6, pk);
			return 0;
		}
		nh = q[0];
		off += hl;
		if (off > avail) {
			pc_bad(pc, BAD_IP6, pk);
			return 0;
		}
	}
	l.proto = nh;
	l.pay = p + off;
	l.paylen = avail - off;
	l.declen = 40 + plen - off;
	return pc_l4(pc, &l, pk, depth, more);
}

static int
pc_arp(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk)
{
	struct net_rec r;
	char op[8], smac[18], tmac[18], emac[18], sip[INET6_ADDRSTRLEN],
	    tip[INET6_ADDRSTRLEN];
	uint16_t code;

	if (n < 28 || p[0] != 0 || p[1] != 1 || p[2] != 8 || p[3] != 0 ||
	    p[4] != 6 || p[5] != 4) {
		pc_bad(pc, BAD_ARP, pk);
		return 0;
	}
	code = (uint16_t)(p[6] << 8 | p[7]);
	nr_init(&r, NR_ARP);
	r.i[AR_TS] = pk->ts;
	r.i[AR_PKT] = pk->no;
	if (code == 1 || code == 2)
		r.s[ARS_OP] = code == 1 ? "request" : "reply";
	else {
		snprintf(op, sizeof(op), "%u", code);
		r.s[ARS_OP] = op;
	}
	mac_text(p + 8, smac);
	addr_text(4, p + 14, sip);
	mac_text(p + 18, tmac);
	addr_text(4, p + 24, tip);
	r.s[ARS_SMAC] = smac;
	r.s[ARS_SIP] = sip;
	r.s[ARS_TMAC] = tmac;
	r.s[ARS_TIP] = tip;
	if (pk->eth_src) {
		mac_text(pk->eth_src, emac);
		r.s[ARS_ETH] = emac;
	}
	return pc_net(pc, &r);
}

static int
pc_ethertype(struct pc *pc, unsigned type, const uint8_t *p, size_t n,
    struct pc_pkt *pk, int depth)
{
	int tags = 0;

	while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) &&
	    tags++ < 4) {
		if (n < 4) {
			pc_bad(pc, BAD_LINK, pk);
			return 0;
		}
		if (pk->vlan < 0)
			pk->vlan = (p[0] << 8 | p[1]) & 0xfff;
		type = (unsigned)(p[2] << 8 | p[3]);
		p += 4;
		n -= 4;
	}
	switch (type) {
	case 0x0800: return pc_ip4(pc, p, n, pk, depth);
	case 0x86dd: return pc_ip6(pc, p, n, pk, depth);
	case 0x0806: return pc_arp(pc, p, n, pk);
	default: return 0;
	}
}

static int
pc_eth(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk,
    int depth)
{
	unsigned type;

	if (n < 14) {
		pc_bad(pc, depth ? BAD_TUNNEL : BAD_LINK, pk);
		return 0;
	}
	pk->eth_src = p + 6;
	type = (unsigned)(p[12] << 8 | p[13]);
	if (type <= 1500) /* 802.3 length: LLC, not decoded */
		return 0;
	return pc_ethertype(pc, type, p + 14, n - 14, pk, depth);
}

static int
pc_ipver(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk)
{
	if (n >= 1 && (p[0] >> 4) == 4)
		return pc_ip4(pc, p, n, pk, 0);
	if (n >= 1 && (p[0] >> 4) == 6)
		return pc_ip6(pc, p, n, pk, 0);
	pc_bad(pc, BAD_LINK, pk);
	return 0;
}

static int
pc_af(struct pc *pc, uint32_t af, const uint8_t *p, size_t n,
    struct pc_pkt *pk)
{
	if (af == 2)
		return pc_ip4(pc, p, n, pk, 0);
	if (af == 10 || af == 24 || af == 28 || af == 30)
		return pc_ip6(pc, p, n, pk, 0);
	return 0;
}

/* NFLOG: a TLV list; NFULA_PAYLOAD (9) holds the IP packet. TLV lengths
 * are in the capturing host's order (little-endian in practice). */
static int
pc_nflog(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk)
{
	struct rd r;
	uint8_t fam;

	rd_init(&r, p, n, 0);
	fam = rd_u8(&r);
	rd_skip(&r, 3);
	while (rd_ok(&r) && rd_left(&r) >= 4) {
		uint16_t len = rd_le16(&r), type = rd_le16(&r);
		const uint8_t *v;
		if (len < 4 || rd_bytes(&r, len - 4u, &v) != 0)
			break;
		if ((type & 0x7fff) == 9)
			return pc_af(pc, fam, v, len - 4u, pk);
		rd_skip(&r, (size_t)((4 - (len & 3)) & 3));
	}
	pc_bad(pc, BAD_LINK, pk);
	return 0;
}

static int
pc_frame(struct pc *pc, const uint8_t *p, size_t n, struct pc_pkt *pk)
{
	switch (pc->dlt) {
	case DLT_EN10MB:
		return pc_eth(pc, p, n, pk, 0);
	case DLT_LINUX_SLL:
		if (n < 16)
			break;
		return pc_ethertype(pc, (unsigned)(p[14] << 8 | p[15]), p + 16,
		    n - 16, pk, 0);
	case 276: /* DLT_LINUX_SLL2 */
		if (n < 20)
			break;
		return pc_ethertype(pc, (unsigned)(p[0] << 8 | p[1]), p + 20,
		    n - 20, pk, 0);
	case DLT_RAW:
	case 14:
	case 101:
		return pc_ipver(pc, p, n, pk);
	case 228:
		return pc_ip4(pc, p, n, pk, 0);
	case 229:
		return pc_ip6(pc, p, n, pk, 0);
	case DLT_NULL: {
		uint32_t af;
		if (n < 4)
			break;
		af = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		if (af > 0xffff)
			af = __builtin_bswap32(af);
		return pc_af(pc, af, p + 4, n - 4, pk);
	}
	case DLT_LOOP:
		if (n < 4)
			break;
		return pc_af(pc,
		    (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			(uint32_t)p[2] << 8 | p[3],
		    p + 4, n - 4, pk);
	case 239: /* DLT_NFLOG */
		return pc_nflog(pc, p, n, pk);
	default:
		pc->undecoded++;
		return 0;
	}
	pc_bad(pc, BAD_LINK, pk);
	return 0;
}

/* ---- the import ---- */

static int
pc_flush_packets(struct pc *pc)
{
	struct sink *k = pc->ctx->sink;
	int rc = 0;

	if (pc->npk > 0 && pc->rc == 0 && k->ops->packets != NULL)
		rc = pc_sink_rc(pc, k->ops->packets(k, pc->artifact_id,
		    pc->pk_first, pc->pk, pc->npk, pc->e));
	pc->pk_first += (int64_t)pc->npk;
	pc->npk = 0;
	return rc < 0 ? rc : pc->rc;
}

static int
pc_label(struct pc *pc, const char *key, const char *value)
{
	struct sink *k = pc->ctx->sink;

	if (pc->rc < 0 || k->ops->label == NULL)
		return pc->rc;
	return pc_sink_rc(pc,
	    k->ops->label(k, pc->artifact_id, key, value, pc->e));
}

static int
pc_labels(struct pc *pc, pcap_t *p, const uint8_t magic[4])
{
	char v[64];
	const char *name = pcap_datalink_val_to_name(pc->dlt);
	bool ng = magic[0] == 0x0a && magic[1] == 0x0d;
	bool nano = (magic[0] == 0xa1 && magic[2] == 0x3c) ||
	    (magic[0] == 0x4d && magic[1] == 0x3c);

	snprintf(v, sizeof(v), "%d", pc->dlt);
	if (pc_label(pc, "pcap.dlt", v) < 0 ||
	    pc_label(pc, "pcap.linktype", name ? name : v) < 0)
		return pc->rc;
	snprintf(v, sizeof(v), "%d", pcap_snapshot(p));
	if (pc_label(pc, "pcap.snaplen", v) < 0 ||
	    pc_label(pc, "pcap.format", ng ? "pcapng" : "pcap") < 0 ||
	    pc_label(pc, "pcap.tsprecision", ng || nano ? "nano" : "micro") < 0)
		return pc->rc;
	return 0;
}

static int
pc_finish(struct pc *pc, struct imp_ctx *ctx)
{
	int l, k, rc;

	if ((rc = pc_flush_packets(pc)) < 0)
		return rc;
	for (l = 0; l < LRU_N; l++)
		while (pc->head[l] != NULL)
			if ((rc = pc_flow_done(pc, pc->head[l])) < 0)
				return rc;
	for (k = 0; k < BAD_N; k++)
		if (pc->bad[k] > 0 &&
		    (rc = ingest_anomaly_on(ctx, pc->artifact_id, -1,
			 "%" PRIu64 " packet(s) with a malformed %s, the first "
			 "packet %" PRId64 " (counted and indexed, not "
			 "decoded further)",
			 pc->bad[k], bad_what[k], pc->bad_first[k])) < 0)
			return rc;
	if (pc->undecoded > 0 &&
	    (rc = ingest_anomaly_on(ctx, pc->artifact_id, -1,
		 "link type %d (%s) is not decoded: %" PRIu64 " packet(s) "
		 "indexed without flows",
		 pc->dlt, pcap_datalink_val_to_name(pc->dlt) ?
		     pcap_datalink_val_to_name(pc->dlt) : "unknown",
		 pc->undecoded)) < 0)
		return rc;
	return pc->rc;
}

static void
pc_free(struct pc *pc)
{
	int l;

	for (l = 0; l < LRU_N; l++)
		while (pc->head[l] != NULL) {
			struct pc_flow *f = pc->head[l];
			pc->head[l] = f->next;
			free(f);
		}
	free(pc->tab);
	free(pc->pk);
	free(pc->iobuf);
	free(pc);
}

int
pcap_parse(struct imp_ctx *ctx, int64_t artifact_id, const char *name,
    ingest_read_fn read, void *user, struct dd_err *e)
{
	cookie_io_functions_t io = { .read = pc_cookie_read };
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pc *pc = xcalloc(1, sizeof(*pc));
	struct pcap_pkthdr *h;
	const u_char *data;
	uint8_t magic[4] = { 0 };
	pcap_t *p = NULL;
	FILE *fp;
	int rc = 0, nx;

	pc->ctx = ctx;
	pc->artifact_id = artifact_id;
	pc->name = name;
	pc->read = read;
	pc->read_user = user;
	pc->e = e;
	pc->rerr = (struct dd_err)DD_ERR_INIT;
	pc->pk = xreallocarray(NULL, SINK_PACKETS_MAX, sizeof(*pc->pk));
	pc->pk_first = 1;
	if ((fp = fopencookie(pc, "r", io)) == NULL) {
		pc_free(pc);
		return dd_err_set(e, DD_EIO, "cannot read '%s'", name);
	}
	pc->iobuf = xmalloc(PC_IOBUF);
	setvbuf(fp, pc->iobuf, _IOFBF, PC_IOBUF);
	errbuf[0] = 0;
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (p == NULL) {
		fclose(fp);
		if (pc->rfail) {
			*e = pc->rerr;
			pc_free(pc);
			return e->code ? e->code : DD_EIO;
		}
		pc_free(pc);
		return dd_err_set_at(e, DD_EFORMAT, 0,
		    "'%s' is not a capture libpcap can read: %s",
		    name, errbuf);
	}
	/* The magic, for the labels: libpcap has read the header. */
	memcpy(magic, pc->magic, 4);
	pc->dlt = pcap_datalink(p);
	if ((rc = pc_labels(pc, p, magic)) < 0)
		goto out;
	while ((nx = pcap_next_ex(p, &h, &data)) == 1) {
		struct pc_pkt pk;
		memset(&pk, 0, sizeof(pk));
		pk.no = pc->pk_first + (int64_t)pc->npk;
		pk.ts = pkt_ts_ns((int64_t)h->ts.tv_sec,
		    (int64_t)h->ts.tv_usec);
		pk.vlan = -1;
		if (pk.ts > pc->now)
			pc->now = pk.ts;
		if ((rc = pc_frame(pc, data, h->caplen, &pk)) < 0)
			goto out;
		pc->pk[pc->npk].ts = pk.ts;
		pc->pk[pc->npk].caplen = h->caplen;
		pc->pk[pc->npk].wirelen = h->len;
		pc->pk[pc->npk].flow_no = pk.flow_no;
		pc->pk[pc->npk].outer_no = pk.outer_no;
		if (++pc->npk == SINK_PACKETS_MAX &&
		    (rc = pc_flush_packets(pc)) < 0)
			goto out;
		if ((pk.no & 4095) == 0) {
			if ((rc = pc_expire(pc)) < 0)
				goto out;
			if (ctx->progress)
				ctx->progress(ctx->progress_user, pc->consumed);
		}
	}
	if (pc->rfail) {
		*e = pc->rerr;
		rc = e->code ? e->code : DD_EIO;
		goto out;
	}
	if (nx == PCAP_ERROR &&
	    (rc = ingest_anomaly_on(ctx, pc->artifact_id,
		 (int64_t)pc->consumed,
		 "'%s' cannot be read past packet %" PRId64 " (%s): the "
		 "packets before it are kept",
		 name, pc->pk_first + (int64_t)pc->npk - 1,
		 pcap_geterr(p))) < 0)
		goto out;
	rc = pc_finish(pc, ctx);
out:
	if (rc < 0 && pc->rc < 0 && e->code == 0)
		rc = pc->rc;
	pcap_close(p);
	pc_free(pc);
	return rc;
}

static int
imp_pcap_import(struct imp_ctx *ctx, struct dd_err *e)
{
	return pcap_parse(ctx, ctx->artifact_id, ctx->src->name,
	    ingest_read_src, ctx, e);
}

const struct importer imp_pcap = {
	.abi = INGEST_ABI,
	.name = "pcap",
	.version = "1.0",
	.summary = "pcap and pcapng captures (libpcap): flows, DNS, HTTP, "
		   "TLS, ARP, DHCP, packet index",
	.kind = EV_NET,
	.flags = 0,
	.sniff = imp_pcap_sniff,
	.import = imp_pcap_import,
	.options = NULL,
};
