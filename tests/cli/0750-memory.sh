#!/usr/bin/env bash
# 0750-memory: the memory analyzer on cores made here.
#
# tests/data/core/make-core.sh makes implant.core (an anonymous RWX
# mapping holding an ELF header and a marker, a miner pool URL and the
# docker socket path in anonymous memory, LD_PRELOAD in its environment)
# and plain.core (the same program doing nothing). The implant must raise
# memory.rwx_anon, memory.elf_anon, memory.env.ld_preload and the content
# rules memory.miner.pool_url and memory.runtime.socket_path, each naming
# the right mapping; the plain core none of them (both run from the test's
# /tmp directory: memory.exe.tmp, medium, is expected on both). A /proc
# snapshot of a process with an executable memfd and a deleted executable
# raises memory.map.memfd / memory.exe.deleted. A case without host data
# runs the analyzer quietly.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
C=$T/case.drydock
dk init "$C"
dk analyze "$C" --only memory
expect_rc 0 "an empty case: the analyzer runs quietly"

if bash tests/data/core/make-core.sh "$T/cores"; then
	dk ingest "$C" "$T/cores/implant.core" "$T/cores/plain.core"
	expect_rc 0 "cores import"
	dk analyze "$C" --only memory
	expect_rc 0 "memory runs"
	ip=$(cat "$T/cores/implant.pid")
	pp=$(cat "$T/cores/plain.pid")
	got=$(q "$C" "select group_concat(rule, ' ') from (select f.rule from findings f join finding_evidence v on v.finding_id = f.id and v.relation = 'processes' join processes p on p.id = v.key where p.pid = $ip and f.analyzer = 'memory' order by f.rule)")
	expect_eq "the implant's findings" \
		"memory.elf_anon memory.env.ld_preload memory.exe.tmp memory.miner.pool_url memory.runtime.socket_path memory.rwx_anon" "$got"
	got=$(q "$C" "select group_concat(rule, ' ') from (select f.rule from findings f join finding_evidence v on v.finding_id = f.id and v.relation = 'processes' join processes p on p.id = v.key where p.pid = $pp and f.analyzer = 'memory' order by f.rule)")
	expect_eq "the plain core's: only the /tmp executable" "memory.exe.tmp" "$got"
	rwx=$(q "$C" "select m.artifact_id || ':' || m.pid || ':' || m.seq from mappings m where m.pid = $ip and m.perms = 'rwx' and m.path is null")
	expect_eq "rwx and the ELF image point at the RWX mapping" "$rwx $rwx" \
		"$(q "$C" "select group_concat(v.key, ' ') from finding_evidence v join findings f on f.id = v.finding_id where f.rule in ('memory.rwx_anon', 'memory.elf_anon') and v.relation = 'mappings'")"
	expect_eq "the miner URL is found in an anonymous rw mapping" "rw-" \
		"$(q "$C" "select m.perms from finding_evidence v join findings f on f.id = v.finding_id join mappings m on m.artifact_id || ':' || m.pid || ':' || m.seq = v.key where f.rule = 'memory.miner.pool_url' and v.relation = 'mappings'")"
	expect_eq "the vDSO's ELF header is not reported" "1" \
		"$(q "$C" "select count(*) from findings where rule = 'memory.elf_anon'")"
else
	[ $? -eq 77 ] && echo "skip: cc or gcore missing" || fail_only "make-core.sh failed"
fi

# a snapshot with a memfd executable and a deleted one
S=$T/snap
mkdir -p "$S/proc/7"
printf 'collector=drydock-proc-snapshot\nversion=1\n' >"$S/meta.txt"
printf 'Name:\tkworker\nPid:\t7\nTgid:\t7\nPPid:\t1\n' >"$S/proc/7/status"
printf '7f0000000000-7f0000001000 r-xp 00000000 00:01 4242   /memfd:x (deleted)\n' >"$S/proc/7/maps"
printf '7/exe -> /memfd:x (deleted)\n' >"$S/links.txt"
(cd "$S" && tar -cf "$T/memfd.tar" meta.txt links.txt proc)
dk ingest "$C" "$T/memfd.tar"
dk analyze "$C" --only memory
expect_eq "memfd executable and mapping" "memory.exe.deleted memory.map.memfd" \
	"$(q "$C" "select group_concat(rule, ' ') from (select rule from findings where title like 'Process 7 %' order by rule)")"
t_sanitized && fail "sanitizer report"
t_done
