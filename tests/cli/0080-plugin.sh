#!/usr/bin/env bash
# 0080-plugin: the example plugin built out of tree against include/ alone;
# its findings (ELF evidence only), --only, DRYDOCK_PLUGIN_PATH, the
# custody row with the .so's SHA-256; a .so without dd_plugin_init is
# refused; a probing plugin finds ATTACH, writes and other escapes denied.
set -u
# shellcheck source=tests/lib/lib.sh
. "$(dirname "$0")/../lib/lib.sh"

CC=${CC:-cc}
ROOT=$PWD
mkdir "$T/plugins" "$T/other" "$T/work"
EX=$T/plugins/example.so
check "the example plugin builds with only include/ on the path" \
	"$CC" -std=c11 -fPIC -shared -I"$ROOT/include" -o "$EX" "$ROOT/analyzers/plugin-example/example.c"
EXSHA=$(sha "$EX")

C=$T/case.drydock
dk init "$C"
expect_rc 0 "init"
cp /bin/true "$T/true.bin"
printf 'just some text\n' >"$T/notes.txt"
dk ingest "$C" "$T/true.bin" "$T/notes.txt"
expect_rc 0 "ingest an ELF file and a text file"
id_elf=$(sql "$C" "select id from artifacts where name like '%true.bin'")

dk analyze "$C" --plugin "$EX"
expect_rc 0 "analyze --plugin example.so"
expect_head "analyze with a plugin prints the custody head" "$C"
expect_eq "the plugin flags the ELF file only" "example|example.evidence.executable|artifacts|$id_elf" \
	"$(sql "$C" "select f.analyzer, f.rule, e.relation, e.key from findings f join finding_evidence e on e.finding_id = f.id
		where f.analyzer = 'example'")"
expect_eq "the built-in analyzer ran too" "2" "$(sql "$C" "select count(*) from findings where analyzer = 'evidence'")"
expect_eq "the plugin's custody row carries the .so's sha256" "$EXSHA" \
	"$(sql "$C" "select json_extract(detail, '$.rules_sha256') from custody
		where action = 'analyze' and json_extract(detail, '$.analyzer') = 'example' order by seq desc limit 1")"
fid=$(sql "$C" "select id from findings where analyzer = 'example'")

# --only example: only the plugin runs.
ncust=$(sql "$C" 'select count(*) from custody')
dk analyze "$C" --only example --plugin "$EX"
expect_rc 0 "analyze --only example --plugin"
expect_eq "--only example adds one analyze row, for example" "$((ncust + 1))|example" \
	"$(sql "$C" "select count(*), (select json_extract(detail, '$.analyzer') from custody order by seq desc limit 1) from custody")"
expect_eq "--only example keeps the finding id" "$fid" "$(sql "$C" "select id from findings where analyzer = 'example'")"
expect_eq "--only example leaves evidence's findings alone" "2" "$(sql "$C" "select count(*) from findings where analyzer = 'evidence'")"

# DRYDOCK_PLUGIN_PATH
ncust=$(sql "$C" 'select count(*) from custody')
run env DRYDOCK_PLUGIN_PATH="$T/plugins" "$DRYDOCK" analyze --only example "$C"
expect_rc 0 "DRYDOCK_PLUGIN_PATH: analyze --only example"
expect_eq "DRYDOCK_PLUGIN_PATH: the plugin ran (one analyze row)" "$((ncust + 1))|example|$EXSHA" \
	"$(sql "$C" "select count(*), (select json_extract(detail, '$.analyzer') || '|' || json_extract(detail, '$.rules_sha256') from custody order by seq desc limit 1) from custody")"
run env DRYDOCK_PLUGIN_PATH="$T/other:$T/plugins" "$DRYDOCK" analyze --list "$C"
expect_rc 0 "DRYDOCK_PLUGIN_PATH (two directories): analyze --list"
expect_out "analyze --list shows the plugin" "example"

# Refusals.
cat >"$T/noinit.c" <<'EOF'
int not_the_entry_point(void);
int not_the_entry_point(void) { return 0; }
EOF
check "build a .so without dd_plugin_init" "$CC" -std=c11 -fPIC -shared -o "$T/other/noinit.so" "$T/noinit.c"
before=$(case_state "$C")
dk analyze "$C" --plugin "$T/other/noinit.so"
expect_rc 1 "a .so without dd_plugin_init is refused with exit 1"
expect_err "the refusal names the file" "noinit.so"
expect_eq "the refusal leaves the case unchanged" "$before" "$(case_state "$C")"
cat >"$T/refuse.c" <<'EOF'
#include <drydock/plugin.h>
int dd_plugin_init(const struct dd_host_api *a, unsigned v, struct dd_plugin_info *i)
{ (void)a; (void)v; (void)i; return 1; }
EOF
check "build a plugin whose init refuses" "$CC" -std=c11 -fPIC -shared -I"$ROOT/include" -o "$T/other/refuse.so" "$T/refuse.c"
dk analyze "$C" --plugin "$T/other/refuse.so"
expect_rc 1 "a plugin whose init refuses is refused with exit 1"
dk analyze "$C" --plugin "$T/other/missing.so"
expect_rc 1 "a missing plugin file exits 1"
expect_err "the missing plugin is named" "missing.so"
printf 'not an ELF\n' >"$T/other/text.so"
dk analyze "$C" --plugin "$T/other/text.so"
expect_rc 1 "a .so that is not a shared object exits 1"
expect_eq "refusals leave the case unchanged" "$before" "$(case_state "$C")"

# A probing plugin: every escape must be denied (query returns -1); it
# emits one finding per probe, titled "denied: ..." or "ALLOWED: ...".
cat >"$T/probe.c" <<'EOF'
#include <stdio.h>
#include <string.h>
#include <drydock/plugin.h>

static int count_rows(void *u, int n, const char *const *names, const char *const *v)
{ (void)n; (void)names; (void)v; ++*(int *)u; return 0; }

static int probe_run(struct dd_host *h, const struct dd_host_api *api)
{
	static const char *const probes[] = {
		"ATTACH 'x' AS y",
		"DELETE FROM custody",
		"INSERT INTO custody(seq, ts, action, detail, examiner, prev, hash) VALUES (999, 0, 'x', '{}', 'x', 'x', 'x')",
		"UPDATE artifact_all SET name = 'x'",
		"DROP TABLE findings",
		"CREATE TABLE evil(x)",
		"PRAGMA writable_schema = 1",
		"PRAGMA journal_mode = OFF",
		"SELECT load_extension('x')",
		"SELECT count(*) FROM custody; DELETE FROM custody",
		"VACUUM INTO 'x'",
	};
	const char *ev[1] = { "artifacts:1" };
	char title[256], rule[64];
	struct dd_plugin_finding f;
	size_t i;
	int rows = 0;

	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		int r = api->query(h, probes[i], count_rows, &rows);
		snprintf(title, sizeof(title), "%s: %s", r == -1 ? "denied" : "ALLOWED", probes[i]);
		snprintf(rule, sizeof(rule), "probe.p%02zu", i);
		memset(&f, 0, sizeof(f));
		f.size = sizeof(f);
		f.rule = rule;
		f.severity = "info";
		f.confidence = 1.0;
		f.title = title;
		f.detail = r == -1 ? api->last_error(h) : "query returned 0";
		f.evidence = ev;
		f.nevidence = 1;
		if (api->emit(h, &f) != 0)
			return 1;
	}
	/* A plain read still works. */
	rows = 0;
	if (api->query(h, "SELECT seq FROM custody", count_rows, &rows) == 0 && rows > 0) {
		memset(&f, 0, sizeof(f));
		f.size = sizeof(f);
		f.rule = "probe.read";
		f.severity = "info";
		f.confidence = 1.0;
		f.title = "a plain SELECT works";
		f.evidence = ev;
		f.nevidence = 1;
		api->emit(h, &f);
	}
	/* A malformed finding is refused. */
	memset(&f, 0, sizeof(f));
	f.size = sizeof(f);
	f.rule = "probe.bad";
	f.severity = "apocalyptic";
	f.title = "bad severity";
	f.evidence = ev;
	f.nevidence = 1;
	if (api->emit(h, &f) == -1) {
		f.severity = "info";
		f.rule = "probe.badsev";
		f.title = "a bad severity is refused";
		api->emit(h, &f);
	}
	return 0;
}

int dd_plugin_init(const struct dd_host_api *a, unsigned v, struct dd_plugin_info *i)
{
	if (v < 1 || a->size < sizeof(struct dd_host_api))
		return 1;
	i->name = "probe";
	i->version = "1.0";
	i->summary = "tries to escape the read-only query";
	i->run = probe_run;
	return 0;
}
EOF
check "build the probing plugin" "$CC" -std=c11 -fPIC -shared -I"$ROOT/include" -o "$T/other/probe.so" "$T/probe.c"
ncust=$(sql "$C" 'select count(*) from custody')
run bash -c 'cd "$1" && exec "$2" analyze "$3" --only probe --plugin "$4"' sh "$T/work" "$DRYDOCK" "$C" "$T/other/probe.so"
expect_rc 0 "analyze with the probing plugin"
nprobe=$(sql "$C" "select count(*) from findings where analyzer = 'probe' and rule like 'probe.p%'")
expect_eq "the probe reported all 11 probes" "11" "$nprobe"
while IFS='|' read -r rule title; do
	case $title in
	denied:*) ok "$rule $title" ;;
	*) fail_only "$rule $title" ;;
	esac
done < <(sql "$C" "select rule, title from findings where analyzer = 'probe' and rule like 'probe.p%' order by rule")
expect_eq "ATTACH and DELETE FROM custody both denied (the finding the test looks for)" "2" \
	"$(sql "$C" "select count(*) from findings where analyzer = 'probe' and title in
		('denied: ATTACH ''x'' AS y', 'denied: DELETE FROM custody')")"
expect_eq "a plain SELECT works inside the plugin" "1" "$(sql "$C" "select count(*) from findings where rule = 'probe.read'")"
expect_eq "a finding with a bad severity is refused" "1" "$(sql "$C" "select count(*) from findings where rule = 'probe.badsev'")"
check "ATTACH created no file" test ! -e "$T/work/x"
expect_eq "custody grew by the probe's analyze row only" "$((ncust + 1))" "$(sql "$C" 'select count(*) from custody')"
expect_eq "no row was removed or added behind custody's back" "0" \
	"$(sql "$C" "select count(*) from custody where seq = 999 or action = 'x'")"
dk verify "$C"
expect_rc 0 "the case verifies after the plugins"

t_done
