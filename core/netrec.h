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
/* NR_LAYER: blob_off is the offset of an uncompressed layer inside the
 * archive's stored original (NR_NULL when the stream is kept on its
 * own through the sink's layer_data). */
enum { LY_NO, LY_BLOB_SIZE, LY_SIZE, LY_NFILES, LY_BLOB_OFF, LY_MEMBER_OFF,
	LY_UNVERIFIED };
enum { LYS_MEMBER, LYS_DIFF_ID, LYS_DIGEST, LYS_COMP };
/* NR_FILE */
enum { FI_LAYER, FI_WHITEOUT, FI_MODE, FI_UID, FI_GID, FI_SIZE, FI_MTIME,
	FI_DATA_OFF };
enum { FIS_PATH, FIS_TYPE, FIS_SHA, FIS_LINK, FIS_XATTRS };
/* NR_IMAGE */
enum { IM_NO, IM_CREATED, IM_NLAYERS };
enum { IMS_REF, IMS_TAGS, IMS_CONFIG, IMS_MANIFEST, IMS_OS, IMS_ARCH,
	IMS_VARIANT, IMS_AUTHOR, IMS_USER, IMS_ENTRY, IMS_CMD, IMS_ENV,
	IMS_PORTS, IMS_LABELS, IMS_WORKDIR, IMS_HEALTH, IMS_STOPSIG,
	IMS_VOLUMES };
/* NR_STEP */
enum { ST_IMAGE, ST_IDX, ST_LAYER_IDX, ST_LAYER_NO, ST_CREATED, ST_EMPTY };
enum { STS_DIFF_ID, STS_CREATED_BY, STS_COMMENT, STS_KEY };
/* NR_PACKAGE: one package of a database file (path) of a layer */
enum { PK_LAYER };
enum { PKS_PATH, PKS_NAME, PKS_VERSION, PKS_ECO, PKS_PURL, PKS_SOURCE,
	PKS_ARCH, PKS_LICENSE };
/* NR_DFLINE: one Dockerfile instruction */
enum { DF_LINE, DF_END, DF_STAGE };
enum { DFS_INSTR, DFS_ARGS, DFS_KEY, DFS_STAGE_NAME };
/* NR_PROV: an attestation, a signature or a referrer */
enum { PV_PACKAGES };
enum { PVS_KIND, PVS_SUBJECT, PVS_PTYPE, PVS_BUILDER, PVS_ENTRY, PVS_ARGS,
	PVS_MATERIALS, PVS_DOCKERFILE, PVS_BLOB, PVS_DETAIL };

#endif
