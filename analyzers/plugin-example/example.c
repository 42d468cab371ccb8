/* SPDX-License-Identifier: Apache-2.0 */
/*
 * example.c: an out-of-tree drydock analyzer, built against nothing but
 * <drydock/plugin.h> (see `./build.sh plugin`).
 *
 * Rule example.evidence.executable: evidence files whose original is an
 * ELF executable or shared object (a dropped binary collected as
 * evidence deserves a look). It reads the first bytes of each artifact's
 * original through the read-only query API: artifacts join the chunk
 * store, and zstd_decompress() is available to SQL.
 */
#include <stdio.h>
#include <string.h>

#include <drydock/plugin.h>

static const struct dd_host_api *api;

struct example_row {
	struct dd_host *h;
	int emitted;
};

static int
example_row(void *user, int ncol, const char *const *names,
    const char *const *values)
{
	struct example_row *st = user;
	struct dd_plugin_finding f;
	char title[512], key[64], detail[700];
	const char *ev[1];

	(void)names;
	if (ncol < 3 || values[0] == NULL || values[2] == NULL)
		return 0;
	/* values[2] is the hex of the first four bytes. */
	if (strcmp(values[2], "7f454c46") != 0)
		return 0;
	snprintf(key, sizeof(key), "artifacts:%s", values[0]);
	snprintf(title, sizeof(title), "evidence file '%s' is an ELF binary",
	    values[1] ? values[1] : "?");
	snprintf(detail, sizeof(detail),
	    "Artifact %s starts with the ELF magic. Binaries collected as "
	    "evidence (dropped tools, implants) are worth hashing against "
	    "known-good packages and reverse engineering.",
	    values[0]);
	ev[0] = key;
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.rule = "example.evidence.executable";
	f.severity = "low";
	f.confidence = 0.9;
	f.title = title;
	f.detail = detail;
	f.evidence = ev;
	f.nevidence = 1;
	if (api->emit(st->h, &f) != 0) {
		api->log(st->h, api->last_error(st->h));
		return 1;
	}
	st->emitted++;
	return 0;
}

static int
example_run(struct dd_host *h, const struct dd_host_api *a)
{
	struct example_row st = { h, 0 };
	char msg[64];

	api = a;
	if (api->query(h,
		"SELECT a.id, a.name, lower(hex(substr(CASE c.codec WHEN 1 "
		"THEN zstd_decompress(c.data) ELSE c.data END, 1, 4))) "
		"FROM artifacts a JOIN blob_parts p ON p.blob_id = a.blob_id "
		"AND p.off = 0 JOIN chunks c ON c.id = p.chunk_id "
		"WHERE a.format != 'group' ORDER BY a.id",
		example_row, &st) != 0) {
		api->log(h, api->last_error(h));
		return 1;
	}
	snprintf(msg, sizeof(msg), "example: %d finding(s)", st.emitted);
	api->log(h, msg);
	return 0;
}

int
dd_plugin_init(const struct dd_host_api *a, unsigned version,
    struct dd_plugin_info *info)
{
	if (version < 1 || a->size < sizeof(struct dd_host_api))
		return 1;
	info->name = "example";
	info->version = "1.0";
	info->summary = "flags evidence files that are ELF binaries";
	info->run = example_run;
	return 0;
}
