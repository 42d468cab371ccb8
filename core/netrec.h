/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netrec.h: the slots of a struct net_rec (core/sink.h), per kind. The
 * importer fills them by these names; core/sink-store.c maps each to its
 * column (net_cols). NR_NULL / NULL mean SQL NULL.
 */
#ifndef CORE_NETREC_H
#define CORE_NETREC_H

/* NR_FLOW */
enum {
	FL_NO, FL_SPORT, FL_DPORT, FL_FIRST_TS, FL_LAST_TS, FL_PKTS_FWD,
	FL_BYTES_FWD, FL_PKTS_REV, FL_BYTES_REV, FL_PAY_FWD, FL_PAY_REV,
	FL_TCP_FLAGS, FL_RETRANS, FL_AUTH_FAIL, FL_VLAN, FL_FIRST_PKT,
	FL_FRAGS
};
enum { FLS_PROTO, FLS_SRC, FLS_DST, FLS_STATE, FLS_SERVICE, FLS_TUNNEL,
	FLS_CID };
/* NR_DNS */
enum { DN_FLOW, DN_TS, DN_TXID, DN_RESPONSE, DN_TRUNC };
enum { DNS_QNAME, DNS_QTYPE, DNS_RCODE, DNS_ANSWERS };
/* NR_HTTP */
enum { HT_FLOW, HT_TS, HT_REQUEST, HT_STATUS, HT_AUTH };
enum { HTS_METHOD, HTS_HOST, HTS_URI, HTS_UA, HTS_REASON, HTS_CTYPE };
/* NR_TLS */
enum { TL_FLOW, TL_TS, TL_CIPHERS };
enum { TLS_VERSION, TLS_SNI, TLS_ALPN };
/* NR_ARP */
enum { AR_TS, AR_PKT };
enum { ARS_OP, ARS_SMAC, ARS_SIP, ARS_TMAC, ARS_TIP, ARS_ETH };
/* NR_DHCP */
enum { DH_FLOW, DH_TS, DH_XID };
enum { DHS_TYPE, DHS_MAC, DHS_CIADDR, DHS_YIADDR, DHS_REQ, DHS_SERVER,
	DHS_HOST };

#endif
