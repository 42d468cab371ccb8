#!/usr/bin/env bash
# 0760-ctrlog: container logs (Docker json-file, CRI, journald JSON).
#
# A CRI log is written here by podman's k8s-file driver (runc, vfs, as in
# tests/data/inspect/make-podman.sh) from a container that prints known
# lines to stdout and stderr, one of 40,000 bytes (podman cuts it into
# partial P records) and one without a final newline; the import must give
# back exactly those messages, in order, with their streams. A json-file
# log and a journald export are generated here in Docker's and journald's
# documented shapes (a partial record, a byte-array MESSAGE) and read
# back against jq's reading of them. The container id comes from the
# json-file name. 10,000 generated messages land in compressed chunks
# and read back whole and through the chunk filters (seq, time) as a full
# scan reads them. Bad input: a torn JSON line and a bad time are
# anomalies (the rest imported), a file of no log is rejected.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
C=$T/case.drydock
dk init "$C"

# ---- CRI, written by podman ----
P="podman --storage-driver vfs --runtime runc"
if bash tests/data/inspect/make-podman.sh stop >/dev/null 2>&1 &&
   command -v podman >/dev/null && $P image exists localhost/dd-busybox 2>/dev/null &&
   $P run --rm --log-driver k8s-file --log-opt path="$T/k8s.log" \
	--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network none \
	localhost/dd-busybox sh -c 'echo first line; echo to stderr >&2;
	i=0; while [ $i -lt 4000 ]; do printf 0123456789; i=$((i+1)); done; echo;
	printf "last, no newline"' >/dev/null 2>&1; then
	dk ingest "$C" "$T/k8s.log"
	expect_rc 0 "podman's k8s-file log imports"
	expect_out "as ctrlog" ", ctrlog, "
	A=$(q "$C" "select id from artifacts where name = '$T/k8s.log'")
	expect_eq "four messages" "4" "$(q "$C" "select count(*) from logs where artifact_id = $A")"
	expect_eq "stdout in order" "first line|40000|last, no newline" \
		"$(q "$C" "select group_concat(case when length(message) > 100 then length(message) else message end, '|') from (select message from logs where artifact_id = $A and stream = 'stdout' order by seq)")"
	expect_eq "the long line was split by podman, joined here" "yes" \
		"$(grep -c ' stdout P ' "$T/k8s.log" | awk '{ print ($1 > 0) ? "yes" : "no" }')"
	expect_eq "stderr" "to stderr" "$(q "$C" "select message from logs where artifact_id = $A and stream = 'stderr'")"
else
	echo "skip: podman cannot write a k8s-file log here (make-podman.sh start builds the image)"
fi

# ---- json-file, in Docker's shape ----
ID=$(printf 'cd%.0s' $(seq 32))
J=$T/$ID-json.log
/usr/bin/python3 - "$J" <<'PY'
import json, sys
recs = [("hello\n", "stdout", "2024-05-01T10:00:00.123456789Z"),
        ("uid=0(root) gid=0(root)\n", "stdout", "2024-05-01T10:00:01Z"),
        ("a long line cut at 16K, first part ", "stderr", "2024-05-01T10:00:02Z"),
        ("second part\n", "stderr", "2024-05-01T10:00:02.5Z"),
        ("tab\tand \"quotes\" and \u00e9\n", "stdout", "2024-05-01T10:00:03+02:00")]
with open(sys.argv[1], "w") as f:
    for log, st, t in recs:
        f.write(json.dumps({"log": log, "stream": st, "time": t}, separators=(",", ":")) + "\n")
    f.write('{"log":"torn\n')
    f.write(json.dumps({"log": "bad time\n", "stream": "stdout", "time": "yesterday"}) + "\n")
PY
dk ingest "$C" "$J"
expect_rc 0 "a json-file log imports"
A=$(q "$C" "select id from artifacts where name = '$J'")
expect_eq "its container from the file name" "$ID" \
	"$(q "$C" "select distinct container_id from logs where artifact_id = $A")"
want=$(head -n 5 "$J" | jq -r '.log' | tr -d '\n' | md5sum)
got=$("$DRYDOCK" query --format json "$C" "select message from logs where artifact_id = $A and seq < 4 order by seq" | jq -r '.[].message' | tr -d '\n' | md5sum)
expect_eq "messages as jq reads them (partials joined)" "$want" "$got"
expect_eq "times, UTC ns (+02:00 applied)" "1714557600123456789 1714557602000000000 1714550403000000000" \
	"$(q "$C" "select group_concat(ts, ' ') from (select ts from logs where artifact_id = $A and seq in (0, 2, 3) order by seq)")"
expect_eq "torn line and bad time: two anomalies" "2" \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $A")"
expect_eq "the bad-time record kept, time unknown" "bad time|" \
	"$(q "$C" "select message || '|' || coalesce(ts, '') from logs where artifact_id = $A and seq = 4")"

# ---- journald JSON export ----
JR=$T/journal.json
/usr/bin/python3 - "$JR" "$ID" <<'PY'
import json, sys
rows = [{"__REALTIME_TIMESTAMP": "1714557600000001", "MESSAGE": "from journald",
         "CONTAINER_ID": sys.argv[2][:12], "CONTAINER_ID_FULL": sys.argv[2],
         "CONTAINER_NAME": "web", "PRIORITY": "6"},
        {"__REALTIME_TIMESTAMP": "1714557600000002", "MESSAGE": [104, 105, 255],
         "CONTAINER_ID_FULL": sys.argv[2], "CONTAINER_NAME": "web", "PRIORITY": "3"}]
with open(sys.argv[1], "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
PY
dk ingest "$C" "$JR"
expect_out "journald export sniffed" ", ctrlog, "
A=$(q "$C" "select id from artifacts where name = '$JR'")
expect_eq "journald: times, streams, container name" "1714557600000001000 stdout web|1714557600000002000 stderr web" \
	"$(q "$C" "select group_concat(ts || ' ' || stream || ' ' || name, '|') from (select * from logs where artifact_id = $A order by seq)")"
expect_eq "the container is known by its name" "web" "$(q "$C" "select name from containers where id = '$ID'")"

# ---- many messages: compressed chunks and the log_all table ----
BIG=$T/$(printf 'b%.0s' $(seq 64))-json.log
/usr/bin/python3 - "$BIG" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(10000):
        t = 1714557600 + i // 7
        f.write(json.dumps({"log": "line %d %s\n" % (i, "x" * (i % 50)),
                            "stream": "stderr" if i % 3 == 0 else "stdout",
                            "time": "2024-05-01T10:%02d:%02d.%09dZ" % ((t // 60) % 60, t % 60, i)}) + "\n")
PY
dk ingest "$C" "$BIG"
expect_rc 0 "10,000 messages import"
B=$(q "$C" "select id from artifacts where name = '$BIG'")
expect_eq "in three chunks of at most 4096" "3|10000" \
	"$(q "$C" "select count(*) || '|' || sum(n) from log_chunk_all where artifact_id = $B")"
expect_eq "every message, in order, as jq reads them" \
	"$(jq -r '.log | rtrimstr("\n")' "$BIG" | md5sum)" \
	"$(q "$C" "select message from logs where artifact_id = $B order by seq" | md5sum)"
lo=$(q "$C" "select ts from logs where artifact_id = $B and seq = 4000")
hi=$(q "$C" "select ts from logs where artifact_id = $B and seq = 8500")
expect_eq "a seq lookup and a time range across chunks equal a full scan's" \
	"$(q "$C" "select count(*) || '|' || sum(seq) from log_all where +artifact_id = $B and +ts >= $lo and +ts < $hi")|$(q "$C" "select stream from log_all where +seq = 4097 and +artifact_id = $B")" \
	"$(q "$C" "select count(*) || '|' || sum(seq) from log_all where artifact_id = $B and ts >= $lo and ts < $hi")|$(q "$C" "select stream from log_all where seq = 4097 and artifact_id = $B")"
expect_eq "the chunk filter is used" "1" \
	"$(q "$C" "explain query plan select * from log_all where artifact_id = $B and ts > 5" | grep -c 'VIRTUAL TABLE INDEX 0:ag')"

if command -v sqlite3 >/dev/null; then
	# a case made before logs were packed keeps its rows in log_row_all
	sqlite3 "$C" "INSERT INTO log_row_all(artifact_id, seq, ts, stream, message) VALUES ($B, 99999, 5, 'stdout', 'from an older case')"
	expect_eq "the logs view reads rows of older cases too" "10001|from an older case" \
		"$(q "$C" "select count(*) || '|' || max(case when seq = 99999 then message end) from logs where artifact_id = $B")"
	sqlite3 "$C" "DELETE FROM log_row_all"
fi

# ---- not a log ----
s0=$(case_state "$C")
printf 'just text\n' >"$T/text.log"
dk ingest "$C" --as ctrlog "$T/text.log"
expect_rc 1 "a file of no log record is rejected"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
t_sanitized && fail "sanitizer report"
t_done
