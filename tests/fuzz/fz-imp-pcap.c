/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fz-imp-pcap.c: the pcap/pcapng importer (libpcap's record framing over
 * the importer's stdio cookie, link layers, VLAN tags, IPv4/IPv6 with
 * extension headers and fragments, TCP/UDP/ICMP/SCTP, VXLAN and GENEVE
 * tunnels, the flow table, and the DNS/HTTP/TLS/DHCP parsers behind it)
 * and so the importer framework's in-memory source, anomaly budget and
 * counting sink, over hostile input.
 *
 * Invariants (trap on violation), checked through a sink that wraps the
 * counting sink:
 *   - the anomalies returned equal the anomaly records sent;
 *   - every packet costs at least a 16-byte record header, so the packets
 *     indexed are at most len / 16;
 *   - flows are numbered 1..N, each sent exactly once, with at least one
 *     packet and 1 <= first_pkt <= packets; a packet opens at most one
 *     flow per tunnel level, so N <= packets * (LIM_NEST_DEPTH + 1);
 *   - every flow a packet, DNS, HTTP, TLS or DHCP record names (and every
 *     tunnel's outer flow) is one of those N;
 *   - an ARP record's packet number is a packet that was indexed.
 */
#include "core/common.h"

#include "core/dderr.h"
#include "core/limits.h"
#include "core/netrec.h"
#include "core/sink.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Flow numbers seen: as sent by a flow record (have) and as referred to
 * by any other record (refs). One input at a time. */
static struct {
	struct sink inner;
	uint8_t *have;
	size_t nhave;
	int64_t *refs;
	size_t nrefs, caprefs;
	int64_t maxflow, maxpkt;
} fz;

static void
fz_ref(int64_t no)
{
	if (no == 0)
		return;
	if (no < 0)
		__builtin_trap();
	if (fz.nrefs == fz.caprefs) {
		fz.caprefs = fz.caprefs ? 2 * fz.caprefs : 256;
		fz.refs = realloc(fz.refs, fz.caprefs * sizeof(*fz.refs));
		if (fz.refs == NULL)
			abort();
	}
	fz.refs[fz.nrefs++] = no;
}

static int
fz_net(struct sink *k, int64_t artifact_id, const struct net_rec *r,
    struct dd_err *e)
{
	int64_t no;

	(void)k;
	switch (r->kind) {
	case NR_FLOW:
		no = r->i[FL_NO];
		if (no < 1 || r->i[FL_FIRST_PKT] < 1 ||
		    r->i[FL_PKTS_FWD] < 0 || r->i[FL_PKTS_REV] < 0 ||
		    r->i[FL_PKTS_FWD] + r->i[FL_PKTS_REV] < 1 ||
		    r->s[FLS_PROTO] == NULL || r->s[FLS_SRC] == NULL ||
		    r->s[FLS_DST] == NULL || r->s[FLS_CID] == NULL)
			__builtin_trap();
		if ((size_t)no >= fz.nhave) {
			size_t n = fz.nhave ? fz.nhave : 64;
			while (n <= (size_t)no)
				n *= 2;
			fz.have = realloc(fz.have, n);
			if (fz.have == NULL)
				abort();
			memset(fz.have + fz.nhave, 0, n - fz.nhave);
			fz.nhave = n;
		}
		if (fz.have[no]) /* sent twice */
			__builtin_trap();
		fz.have[no] = 1;
		if (no > fz.maxflow)
			fz.maxflow = no;
		if (r->i[FL_FIRST_PKT] > fz.maxpkt)
			fz.maxpkt = r->i[FL_FIRST_PKT];
		break;
	case NR_DNS:
		fz_ref(r->i[DN_FLOW]);
		break;
	case NR_HTTP:
		fz_ref(r->i[HT_FLOW]);
		break;
	case NR_TLS:
		fz_ref(r->i[TL_FLOW]);
		break;
	case NR_DHCP:
		fz_ref(r->i[DH_FLOW]);
		break;
	case NR_ARP:
		if (r->i[AR_PKT] < 1)
			__builtin_trap();
		if (r->i[AR_PKT] > fz.maxpkt)
			fz.maxpkt = r->i[AR_PKT];
		break;
	}
	return fz.inner.ops->net(&fz.inner, artifact_id, r, e);
}

static int
fz_packets(struct sink *k, int64_t artifact_id, int64_t first_pkt,
    const struct packet_rec *p, size_t n, struct dd_err *e)
{
	size_t i;

	(void)k;
	for (i = 0; i < n; i++) {
		fz_ref(p[i].flow_no);
		fz_ref(p[i].outer_no);
	}
	return fz.inner.ops->packets(&fz.inner, artifact_id, first_pkt, p, n,
	    e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dd_err e = DD_ERR_INIT;
	struct sink_count c;
	struct sink_ops ops;
	struct sink k;
	uint64_t n = 0;
	size_t i;

	sink_count_init(&fz.inner, &c);
	ops = *fz.inner.ops;
	ops.net = fz_net;
	ops.packets = fz_packets;
	k.ops = &ops;
	k.impl = fz.inner.impl;
	fz.nrefs = 0;
	fz.maxflow = fz.maxpkt = 0;
	if (fz.have != NULL)
		memset(fz.have, 0, fz.nhave);

	(void)ingest_buffer(ingest_find("pcap"), data, size, "fuzz", &k,
	    NULL, &n, &e);
	if (n != c.anomalies)
		__builtin_trap();
	if (c.packets > size / 16)
		__builtin_trap();
	/* flows 1..maxflow, each sent, at most one per packet and tunnel
	 * level; first packets and ARP packets are packets indexed */
	if ((uint64_t)fz.maxflow > c.packets * (LIM_NEST_DEPTH + 1) ||
	    (uint64_t)fz.maxpkt > c.packets)
		__builtin_trap();
	for (i = 1; i <= (size_t)fz.maxflow; i++)
		if (!fz.have[i])
			__builtin_trap();
	for (i = 0; i < fz.nrefs; i++)
		if (fz.refs[i] > fz.maxflow || !fz.have[fz.refs[i]])
			__builtin_trap();
	free(fz.have);
	free(fz.refs);
	memset(&fz, 0, sizeof(fz));
	return 0;
}
