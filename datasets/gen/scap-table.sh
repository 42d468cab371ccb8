#!/usr/bin/env bash
# scap-table.sh: regenerate ingest/scap-table.c from a falcosecurity/libs
# checkout (its driver/ folder: event_table.c, flags_table.c,
# dynamic_params_table.c, ppm_events_public.h).
#   datasets/gen/scap-table.sh LIBS-CHECKOUT [COMMIT-NAME]
# Event numbers are append-only in libs, so the newest table reads every
# older capture; the Debian sysdig 0.29.3 used as the test oracle knows the
# first 336 of them.
set -euo pipefail
libs=${1:?usage: scap-table.sh LIBS-CHECKOUT [COMMIT]}
commit=${2:-$(git -C "$libs" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r "$libs/driver" "$tmp/driver"
sed 's/@[A-Z_]*@/0/g' "$tmp/driver/driver_config.h.in" > "$tmp/driver/driver_config.h"
gcc -I "$tmp/driver" -o "$tmp/dump" "$root/datasets/gen/scap-table-dump.c" \
	"$tmp/driver/event_table.c" "$tmp/driver/flags_table.c" \
	"$tmp/driver/dynamic_params_table.c"
"$tmp/dump" "$commit" > "$root/ingest/scap-table.c"
