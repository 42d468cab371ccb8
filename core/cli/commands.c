/* SPDX-License-Identifier: Apache-2.0 */
/* commands.c: the subcommand table, in the order --help lists them. */
#include "core/common.h"

#include "core/cli/cli.h"

extern const struct cli_cmd cmd_init, cmd_ingest, cmd_analyze, cmd_report;
extern const struct cli_cmd cmd_query, cmd_info, cmd_export, cmd_verify;
extern const struct cli_cmd cmd_export_events, cmd_export_pcap;
extern const struct cli_cmd cmd_export_file, cmd_whence, cmd_explain;
extern const struct cli_cmd cmd_note, cmd_tag, cmd_offset, cmd_seal;
extern const struct cli_cmd cmd_vulndb;
extern const struct cli_cmd cmd_sbom;
extern const struct cli_cmd cmd_tui;
extern const struct cli_cmd cmd_replay, cmd_replay_merge;
extern const struct cli_cmd cmd_profile;

const struct cli_cmd *const cli_commands[] = {
	&cmd_init,
	&cmd_ingest,
	&cmd_vulndb,
	&cmd_analyze,
	&cmd_report,
	&cmd_sbom,
	&cmd_query,
	&cmd_info,
	&cmd_export,
	&cmd_export_file,
	&cmd_export_pcap,
	&cmd_export_events,
	&cmd_whence,
	&cmd_explain,
	&cmd_tui,
	&cmd_replay,
	&cmd_replay_merge,
	&cmd_profile,
	&cmd_verify,
	&cmd_note,
	&cmd_tag,
	&cmd_offset,
	&cmd_seal,
	NULL,
};
