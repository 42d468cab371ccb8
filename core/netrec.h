/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netrec.h: the slots of a struct net_rec (core/sink.h), per kind. The
 * importer fills them by these names; core/sink-store.c maps each to its
 * column (net_cols). NR_NULL / NULL mean SQL NULL.
 */
#ifndef CORE_NETREC_H
#define CORE_NETREC_H

#include <string.h>

#include "core/sink.h"

/* An empty record of kind: every slot SQL NULL. */
/* Where each slot of a struct net_rec goes: per kind, its table and its
 * columns, each an integer slot ('i') or a text slot ('s'), in table
 * order (core/sink-store.c). */
struct net_col {
	const char *name;
	char type;
	int slot;
};
#define NET_COLS_MAX 40
/* Kind's columns (terminated by a NULL name) and *table its table. */
const struct net_col *net_columns(int kind, const char **table);

static inline void
net_rec_init(struct net_rec *r, int kind)
{
	memset(r, 0, sizeof(*r));
	for (int i = 0; i < NR_NI; i++)
		r->i[i] = NR_NULL;
	r->kind = kind;
}

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

/* Host records (core/schema.sql migration 6). Every per-process kind
 * names its process by pid (the artifact holds one process per pid). */
/* NR_MAPPING */
enum { MP_PID, MP_SEQ, MP_SIZE, MP_OFFSET, MP_INODE, MP_DATA_OFF,
	MP_DATA_SIZE };
enum { MPS_START, MPS_END, MPS_PERMS, MPS_PATH, MPS_DEV, MPS_SOURCE };
/* NR_THREAD */
enum { TH_PID, TH_TID, TH_SIGNAL };
enum { THS_COMM, THS_STATE, THS_PC, THS_SP };
/* NR_PROCINFO */
enum { PI_PID, PI_UID, PI_EUID, PI_SUID, PI_FSUID, PI_GID, PI_EGID,
	PI_CAP_INH, PI_CAP_PRM, PI_CAP_EFF, PI_CAP_BND, PI_CAP_AMB,
	PI_SECCOMP, PI_NNP, PI_SIGNAL };
enum { PIS_STATE, PIS_NSPID, PIS_LSM, PIS_CWD, PIS_ROOT, PIS_EXECFN,
	PIS_RULE };
/* NR_NAMESPACE */
enum { NS_PID, NS_INODE };
enum { NSS_KIND };
/* NR_CGROUP */
enum { CG_PID, CG_HIER };
enum { CGS_CTRL, CGS_PATH };
/* NR_FD */
enum { FD_PID, FD_FD, FD_INODE, FD_POS, FD_FLAGS };
enum { FDS_TARGET, FDS_KIND };
/* NR_SOCKET: pid NR_NULL for host tables */
enum { SK_PID, SK_NETNS, SK_LPORT, SK_RPORT, SK_UID, SK_INODE };
enum { SKS_PROTO, SKS_LOCAL, SKS_REMOTE, SKS_STATE, SKS_PATH };
/* NR_MOUNT: mnt_ns the namespace inode, or -pid */
enum { MT_NS, MT_ID, MT_PARENT };
enum { MTS_DEVNO, MTS_ROOT, MTS_POINT, MTS_OPTS, MTS_FSTYPE, MTS_SOURCE,
	MTS_SUPER };
/* NR_ENVIRON */
enum { EN_PID, EN_SEQ };
enum { ENS_NAME, ENS_VALUE };
/* NR_CMETA: container configuration (container_meta_all) */
enum { CM_PID, CM_RO_ROOTFS, CM_NNP, CM_MEMORY, CM_CPU, CM_PIDS };
enum { CMS_ID, CMS_RUNTIME, CMS_STATE, CMS_STARTED, CMS_USER, CMS_PIDMODE,
	CMS_NETMODE, CMS_IPCMODE, CMS_UTSMODE, CMS_USERNS, CMS_CGROUPNS,
	CMS_CGPARENT, CMS_SECCOMP, CMS_APPARMOR, CMS_HOSTNAME, CMS_DIGEST,
	CMS_COMMAND, CMS_SECOPT, CMS_LABELS };
/* NR_CMOUNT */
enum { CMT_SEQ, CMT_RW };
enum { CMTS_ID, CMTS_TYPE, CMTS_SOURCE, CMTS_DEST, CMTS_PROPAGATION };
/* NR_CDEVICE */
enum { CDS_ID, CDS_HOST, CDS_CTR, CDS_PERMS };
/* NR_CCAP */
enum { CCS_ID, CCS_OP, CCS_CAP };
/* NR_LOG: one container log message (log_all) */
enum { LG_SEQ, LG_TS };
enum { LGS_CID, LGS_NAME, LGS_STREAM, LGS_MSG };
/* NR_K8SAUDIT: one Kubernetes audit event (k8s_audit_all) */
enum { KA_SEQ, KA_TS, KA_CODE, KA_PRIV, KA_HOSTPID, KA_HOSTNET, KA_HOSTIPC };
enum { KAS_ID, KAS_STAGE, KAS_VERB, KAS_USER, KAS_GROUPS, KAS_IP, KAS_UA,
	KAS_GROUP, KAS_RES, KAS_SUBRES, KAS_NS, KAS_NAME, KAS_URI,
	KAS_DECISION, KAS_HOSTPATHS, KAS_CAPS, KAS_IMAGES };
/* NR_AUDIT: one Linux audit event (audit_all); event_ord its syscall
 * event's ordinal */
enum { AU_SEQ, AU_SERIAL, AU_TS, AU_SUCCESS, AU_EXIT, AU_PID, AU_PPID,
	AU_UID, AU_EUID, AU_AUID, AU_SES, AU_PORT, AU_NREC, AU_OFF, AU_LEN,
	AU_EVORD };
enum { AUS_TYPE, AUS_TYPES, AUS_SYSCALL, AUS_ARCH, AUS_COMM, AUS_EXE,
	AUS_KEY, AUS_CWD, AUS_PATH, AUS_PATH2, AUS_ARGV, AUS_TITLE, AUS_FAMILY,
	AUS_ADDR, AUS_OP, AUS_ACCT, AUS_HOST, AUS_REMOTE, AUS_TTY, AUS_RES,
	AUS_SUBJ, AUS_NODE };
/* NR_ALERT: one alert or detection a deployed tool raised (alert_all) */
enum { AL_SEQ, AL_TS, AL_OFF, AL_PID, AL_TID };
enum { ALS_TOOL, ALS_RULE, ALS_RULE_ID, ALS_PRIORITY, ALS_SEVERITY,
	ALS_TAGS, ALS_ATTACK, ALS_OUTPUT, ALS_SOURCE, ALS_HOST, ALS_CID,
	ALS_CNAME, ALS_IMAGE, ALS_K8S_NS, ALS_K8S_POD, ALS_COMM, ALS_CMDLINE,
	ALS_EXE, ALS_USER, ALS_PATH, ALS_EVENT, ALS_FIELDS };
/* NR_DRIFT: one change of a container's writable layer (drift_all) */
enum { DR_SEQ, DR_MODE, DR_SIZE, DR_MTIME, DR_EXEC, DR_DATA_OFF };
enum { DRS_CID, DRS_PATH, DRS_CHANGE, DRS_TYPE, DRS_SHA, DRS_LAYER,
	DRS_LINK, DRS_SOURCE };
/* NR_RTLAYER: one layer directory of a runtime root (runtime_layer_all) */
enum { RL_FILES };
enum { RLS_DIR, RLS_DRIVER, RLS_ROLE, RLS_CID, RLS_DIFF, RLS_PARENT };
/* NR_DSETTING: one Docker daemon setting (daemon_setting_all) */
enum { DS_SEQ, DS_LINE };
enum { DSS_KEY, DSS_VALUE, DSS_SOURCE };
/* NR_RESOURCE: one resource sample of a recording (resource_all; cpu
 * as text: a percentage with decimals) */
enum { RS_SEQ, RS_TS, RS_MEM, RS_NRX, RS_NTX, RS_DRD, RS_DWR };
enum { RSS_CPU, RSS_CID };
/* NR_K8SOBJ: one object of a Kubernetes manifest (k8s_object_all) */
enum { KO_SEQ, KO_DOC, KO_LINE, KO_PRIV, KO_HOSTPID, KO_HOSTNET,
	KO_HOSTIPC, KO_AUTOMOUNT, KO_ROOT, KO_ESC };
enum { KOS_KIND, KOS_API, KOS_NS, KOS_NAME, KOS_UID, KOS_HOSTPATHS,
	KOS_CAPS, KOS_IMAGES, KOS_CONTAINERS, KOS_SA };

#endif
