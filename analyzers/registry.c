/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.c: the analyzer table, NULL-terminated and sorted by name.
 * tests/unit/t-registry.c checks every analyzers/an-*.c file is listed.
 */
#include "core/common.h"
#include "analyzers/analyzer.h"

extern const struct analyzer an_correlate;
extern const struct analyzer an_escape;
extern const struct analyzer an_evidence;
extern const struct analyzer an_host;
extern const struct analyzer an_imported;
extern const struct analyzer an_layers;
extern const struct analyzer an_memory;
extern const struct analyzer an_net;
extern const struct analyzer an_posture;
extern const struct analyzer an_seqanomaly;
extern const struct analyzer an_template;
extern const struct analyzer an_vuln;

const struct analyzer *const analyzer_table[] = {
	&an_correlate,
	&an_escape,
	&an_evidence,
	&an_host,
	&an_imported,
	&an_layers,
	&an_memory,
	&an_net,
	&an_posture,
	&an_seqanomaly,
	&an_template,
	&an_vuln,
	NULL,
};
