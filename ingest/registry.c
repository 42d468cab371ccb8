/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.c: the importer table, NULL-terminated and sorted by name.
 * Ties in sniffing go to table order. tests/unit/t-registry.c checks that
 * every ingest/imp-*.c file appears here.
 */
#include "core/common.h"
#include "ingest/ingest.h"

extern const struct importer imp_adfa;
extern const struct importer imp_core;
extern const struct importer imp_audit;
extern const struct importer imp_ctrlog;
extern const struct importer imp_dockerd;
extern const struct importer imp_dockerdiff;
extern const struct importer imp_dockerfile;
extern const struct importer imp_export;
extern const struct importer imp_image;
extern const struct importer imp_inspect;
extern const struct importer imp_k8saudit;
extern const struct importer imp_k8smanifest;
extern const struct importer imp_tooljson;
extern const struct importer imp_lidds2019;
extern const struct importer imp_lidds2021;
extern const struct importer imp_pcap;
extern const struct importer imp_procsnap;
extern const struct importer imp_raw;
extern const struct importer imp_runtime;
extern const struct importer imp_scap;
extern const struct importer imp_strace;
extern const struct importer imp_template;

const struct importer *const ingest_table[] = {
	&imp_adfa,
	&imp_audit,
	&imp_core,
	&imp_ctrlog,
	&imp_dockerd,
	&imp_dockerdiff,
	&imp_dockerfile,
	&imp_export,
	&imp_image,
	&imp_inspect,
	&imp_k8saudit,
	&imp_k8smanifest,
	&imp_lidds2019,
	&imp_lidds2021,
	&imp_pcap,
	&imp_procsnap,
	&imp_raw,
	&imp_runtime,
	&imp_scap,
	&imp_strace,
	&imp_template,
	&imp_tooljson,
	NULL,
};
