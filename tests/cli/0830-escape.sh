#!/usr/bin/env bash
# 0830-escape: the escape analyzer and its rules as data.
#
# datasets/escape/rec holds real strace recordings of datasets/escape/progs/
# escapes.c, which performs every technique harmlessly (successes on files
# and namespaces it owns, attempts at the host's real files as uid 65534).
# Each rule fires on the recording that performs it and every event it
# names is the call it claims (checked against the raw trace with grep as
# the independent reader); benign recordings stay quiet; the release_agent
# chain fires on its ordered steps and not on the same steps split across
# two traces or outside a shorter window; a rule, a sequence and a
# threshold added as data files fire without compiling; Falco exceptions
# and append work; the rules text is hashed into custody; a broken rules
# file is refused naming the file, the case unchanged.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
R=datasets/escape/rec
check "the recordings are the committed ones" bash -c "cd datasets/escape && sha256sum -c --quiet SHA256SUMS"

C=$T/all.drydock
dk init "$C"
dk ingest "$C" "$R/all.txt"
dk analyze "$C" --only escape
expect_rc 0 "the escape analyzer runs on the recording of every technique"
expect_eq "every technique, successes and failed attempts, once each" \
"esc.bpf:low esc.chain.memfd_exec:high esc.chain.nsenter_host:critical esc.chain.release_agent:critical esc.chain.reverse_shell:high esc.chroot:medium esc.core_pattern.write:high esc.kallsyms.read:low esc.kernel.dirty_cow:high esc.kernel.dirty_pipe:high esc.keyctl:low esc.kmem.read:medium esc.kmem.read:medium esc.kmod.load:high esc.memfd.exec:high esc.mknod.block:high esc.modprobe.write:high esc.mount.cgroupfs:high esc.mount.cgroupfs:medium esc.mount.debugfs:medium esc.mount.host_device:medium esc.mount.procfs:medium esc.mount.securityfs:medium esc.notify_on_release.write:high esc.nsenter.pid1:high esc.nsenter.pid1:medium esc.open_by_handle_at:critical esc.proc_mem.write:high esc.proc_mem.write:high esc.process_vm_writev:high esc.ptrace.attach:low esc.release_agent.write:critical esc.runc_overwrite:high esc.runtime_socket:high esc.runtime_socket:medium esc.setns:medium esc.shell.socket_stdio:medium esc.sniff.packet_socket:low esc.sniff.packet_socket:medium esc.sniff.promisc:high esc.sysrq.write:medium esc.uevent_helper.write:high esc.unshare.mountns:low esc.unshare.mountns:medium esc.unshare.userns:medium esc.workdir.proc_fd:high" \
	"$(q "$C" "select rule || ':' || severity from findings where analyzer = 'escape' order by rule, severity" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "failed attempts say so in the title, with the error" \
	"Write to kernel.core_pattern (attempt failed: EACCES)" \
	"$(q "$C" "select title from findings where rule = 'esc.core_pattern.write'")"
expect_eq "a failed attempt is one severity step below a success (cgroupfs mount: high when it worked, medium when EACCES)" \
	"EACCES:medium SUCCESS:high" \
	"$(q "$C" "select case when title like '%EACCES%' then 'EACCES' else 'SUCCESS' end || ':' || severity from findings where rule = 'esc.mount.cgroupfs' order by 1" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "every finding carries ATT&CK ids" "0" \
	"$(q "$C" "select count(*) from findings where analyzer = 'escape' and (attack is null or attack = '[]')")"

# The grep oracle: the primary evidence of each single-event rule is the
# trace line it claims, and its count is grep's.
ev_line() { # RULE [TITLE-LIKE]: the primary event's syscall and path text
	q "$C" "select e.syscall || ' ' || coalesce(e.path, e.fd_path, e.addr, '') from findings f join finding_evidence v on v.finding_id = f.id join events e on e.id = v.key where f.rule = '$1' and f.title like '${2:-%}' and v.ord = 0"
}
expect_eq "release_agent: the openat of the file named release_agent" \
	"openat $(grep -o '"/tmp/dd-escape-[^"]*/release_agent"' "$R/all.txt" | head -1 | tr -d '"')" "$(ev_line esc.release_agent.write)"
expect_eq "release_agent: as many events as grep finds calls on it (open and write)" \
	"$(grep -cE '(openat\(.*/release_agent", O_WRONLY|write\([0-9]+</[^>]*/release_agent>)' "$R/all.txt")" \
	"$(q "$C" "select count(*) from finding_evidence v join findings f on f.id = v.finding_id where f.rule = 'esc.release_agent.write'")"
expect_eq "open_by_handle_at: the call" "open_by_handle_at " "$(ev_line esc.open_by_handle_at)"
expect_eq "the host device mount attempt names /dev/sda1 as its source" \
	"/dev/sda1" "$(q "$C" "select e.path2 from findings f join finding_evidence v on v.finding_id = f.id join events e on e.id = v.key where f.rule = 'esc.mount.host_device'")"
expect_eq "the runtime socket: the connect to /var/run/docker.sock (ENOENT) and to the recording's own docker.sock" \
	"$(grep -oE 'sun_path="[^"]*docker.sock"\}, [0-9]+\) = (0|-1 ENOENT)' "$R/all.txt" | sed -n '1p;$p' | sed 's/sun_path="\([^"]*\)".* = \(.*\)/\1 \2/' | sed 's/-1 //' | sort | tr '\n' ' ' | sed 's/ $//')" \
	"$(q "$C" "select e.addr || ' ' || case when e.ret < 0 then e.errno else e.ret end from findings f join finding_evidence v on v.finding_id = f.id join events e on e.id = v.key where f.rule = 'esc.runtime_socket' order by 1" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the reverse-shell chain: dup2 of the socket, then execve of /bin/sh, in order" \
	"dup2 execve" \
	"$(q "$C" "select e.syscall from findings f join finding_evidence v on v.finding_id = f.id join events e on e.id = v.key where f.rule = 'esc.chain.reverse_shell' order by v.ord" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the release_agent chain: mount, the release_agent write, the cgroup.procs write" \
	"mount cgroup|openat release_agent|openat cgroup.procs" \
	"$(q "$C" "select e.syscall || ' ' || case when e.syscall = 'mount' then 'cgroup' else replace(e.path, rtrim(e.path, replace(e.path, '/', '')), '') end from findings f join finding_evidence v on v.finding_id = f.id join events e on e.id = v.key where f.rule = 'esc.chain.release_agent' order by v.ord" | tr '\n' '|' | sed 's/|$//')"

# benign: nothing
B=$T/benign.drydock
dk init "$B"
dk ingest "$B" "$R/benign.txt" datasets/strace/rec/fsops/f-tt-yy.txt \
	datasets/strace/rec/sockets/f-tt-yy.txt datasets/strace/rec/pipes/f-tt-yy.txt \
	datasets/strace/rec/forkexec/f-tt-yy.txt datasets/strace/rec/threads/f-tt-yy.txt \
	datasets/strace/rec/names/f-tt-yy.txt datasets/strace/rec/signals/f-tt-yy.txt
dk analyze "$B" --only escape
expect_eq "benign recordings: no escape finding" "0" "$(q "$B" "select count(*) from findings where analyzer = 'escape'")"
if [ -d ../shared/fixtures/strace ]; then
	dk ingest "$B" ../shared/fixtures/strace
	dk analyze "$B" --only escape
	expect_eq "the shared strace fixtures (ls, curl, a shell...): no escape finding" "0" \
		"$(q "$B" "select count(*) from findings where analyzer = 'escape'")"
fi

# chains: ordered steps in one trace; not split across two traces
K=$T/chain.drydock
dk init "$K"
dk ingest "$K" "$R/chain.txt"
dk analyze "$K" --only escape
expect_eq "the chain recording: the chain fires once" "1" \
	"$(q "$K" "select count(*) from findings where rule = 'esc.chain.release_agent'")"
S=$T/split.drydock
dk init "$S"
dk ingest "$S" "$R/mount.txt" "$R/agent.txt"
dk analyze "$S" --only escape
expect_eq "the same steps in two recordings (two attributions): each step, no chain" \
	"esc.mount.cgroupfs esc.notify_on_release.write esc.release_agent.write esc.unshare.mountns" \
	"$(q "$S" "select rule from findings where analyzer = 'escape' order by rule" | tr '\n' ' ' | sed 's/ $//')"

# resource abuse
F=$T/forks.drydock
dk init "$F"
dk ingest "$F" "$R/forks.txt"
dk analyze "$F" --only escape
expect_eq "600 forks in about a second: the fork bomb threshold, nothing else" \
	"esc.dos.fork_bomb" "$(q "$F" "select rule from findings where analyzer = 'escape'")"
expect_eq "its detail counts what grep counts" \
	"$(grep -cE '^[0-9]+ +[0-9:.]+ (clone|fork|vfork|clone3)\(' "$R/forks.txt")" \
	"$(q "$F" "select detail from findings where rule = 'esc.dos.fork_bomb'" | sed -n 's/.*, \([0-9]*\) in all.*/\1/p')"

# rules as data: a Falco rule (no id), a sequence with a 1 s window, a
# threshold on bytes, an exception, an append
mkdir -p "$T/rules"
cat >"$T/rules/my.yaml" <<'EOF'
- list: my_keyctl_calls
  items: [keyctl, add_key]
- rule: Keyring poked
  desc: a test rule added as data
  condition: evt.type in (my_keyctl_calls) and proc.name = escapes
  output: "keyring call %evt.arg[0] by %proc.name"
  priority: WARNING
  tags: [container, T1552]
- rule: Any chroot
  id: test.chroot
  condition: evt.type = chroot
  severity: low
  exceptions:
    - name: the recording's own directory
      fields: [proc.name, evt.arg.path]
      comps: [=, startswith]
      values:
        - [escapes, /tmp/dd-escape-]
- rule: Packet sockets
  id: test.packet
  condition: evt.type = socket
  severity: low
  failed: ignore
- rule: Packet sockets
  append: true
  condition: and evt.arg.domain = AF_PACKET
- sequence: test.chain.fast
  rule: mount then release_agent within a second
  by: container
  within: 1s
  steps:
    - esc.mount.cgroupfs
    - esc.release_agent.write
  severity: high
- threshold: test.bytes
  rule: bytes written to the agent files
  condition: write_call and fd.filename in (release_agent, notify_on_release)
  by: process
  sum: 30
  within: 1s
  severity: info
EOF
before=$(q "$C" "select rules_sha256 from analyzer_runs where analyzer = 'escape'")
DRYDOCK_ESCAPE_RULES=$T/rules dk analyze "$C" --only escape
expect_rc 0 "a rules directory added through DRYDOCK_ESCAPE_RULES"
expect_eq "the Falco rule fires under falco.<name>, its priority and tags mapped" \
	"falco.keyring_poked medium T1552 keyring call KEYCTL_GET_KEYRING_ID by escapes" \
	"$(q "$C" "select rule || ' ' || severity || ' ' || json_extract(attack, '\$[0]') || ' ' || substr(detail, 1, instr(detail, '.') - 1) from findings where rule like 'falco.%'")"
expect_eq "the exception removes the recording's chroot" "0" "$(q "$C" "select count(*) from findings where rule = 'test.chroot'")"
expect_eq "append narrows the rule to AF_PACKET; failed: ignore drops the EPERM attempt" "1" \
	"$(q "$C" "select count(*) from findings where rule = 'test.packet'")"
expect_eq "the 1 s sequence fires on the recording of every technique" "1" \
	"$(q "$C" "select count(*) from findings where rule = 'test.chain.fast'")"
expect_eq "the byte threshold (30 bytes of release_agent) fires" "1" \
	"$(q "$C" "select count(*) from findings where rule = 'test.bytes'")"
expect_ne "the rules digest in custody changes with the rules" "$before" \
	"$(q "$C" "select rules_sha256 from analyzer_runs where analyzer = 'escape'")"
W=$T/slow.drydock
dk init "$W"
dk ingest "$W" "$R/chain-slow.txt"
DRYDOCK_ESCAPE_RULES=$T/rules dk analyze "$W" --only escape
expect_eq "3 s between the steps: the 1 s sequence stays quiet, the shipped 300 s chain fires" \
	"esc.chain.release_agent" \
	"$(q "$W" "select rule from findings where rule like '%chain%' order by rule" | tr '\n' ' ' | sed 's/ $//')"

# a resource rule over LID-DS .res samples (the shared fixture)
L=../shared/fixtures/lidds/lidds2021_aggressive_nightingale_1018.zip
if [ -f "$L" ]; then
	R2=$T/res.drydock
	dk init "$R2"
	dk ingest "$R2" "$L"
	expect_eq "the .res samples are rows of resources (unzip and wc count them)" \
		"$(unzip -p "$L" '*.res' | tail -n +2 | grep -c .)" \
		"$(q "$R2" "select count(*) from resources")"
	dk analyze "$R2" --only escape
	expect_eq "the shipped sustained-CPU rule stays quiet on an idle recording" "0" \
		"$(q "$R2" "select count(*) from findings where rule = 'esc.abuse.cpu'")"
	mkdir -p "$T/res-rules"
	printf -- '- resource: test.cpu\n  rule: busy\n  metric: cpu\n  min: 0.02\n  for: 3s\n  severity: low\n' >"$T/res-rules/r.yaml"
	DRYDOCK_ESCAPE_RULES=$T/res-rules dk analyze "$R2" --only escape
	expect_rc 0 "analyze with the resource rule"
	expect_eq "a resource rule added as data fires on the samples above its minimum" "1" \
		"$(q "$R2" "select count(*) from findings where rule = 'test.cpu'")"
fi

# the credential check (esc.kernel.cred_change) on the real LID-DS
# recording: quiet as it is (apache's child calls setuid(33), whose exit
# line shows uid 33); then two mutations of that recording, since no
# harmless program can change its uid without a call: the setuid lines
# renamed (0 -> 33 unexplained: medium) and one exit line of an apache
# worker rewritten from uid 33 to 0 (33 -> root: high, and back: medium)
if [ -f "$L" ]; then
	expect_eq "the uids of the .sc lines are the events' uids (awk counts them)" \
		"$(unzip -p "$L" '*.sc' | awk '$7 == "<" { n[$2]++ } END { for (u in n) print u ":" n[u] }' | sort | tr '\n' ' ')" \
		"$(q "$R2" "select uid || ':' || count(*) from events where exit_ts is not null group by uid order by 1" | tr '\n' ' ')"
	expect_eq "no unexplained uid change in the recording" "0" \
		"$(q "$R2" "select count(*) from findings where rule = 'esc.kernel.cred_change'")"
	mkdir -p "$T/cred"
	unzip -p "$L" '*.sc' | awk '
		/ setuid [<>] / { sub(/ setuid /, " getuid ") }
		!done && $2 == 33 && $6 == "close" && $7 == "<" && NR > 20000 { $2 = 0; done = 1 }
		{ print }' >"$T/cred/mutated.sc"
	M=$T/cred.drydock
	dk init "$M"
	dk ingest "$M" "$T/cred/mutated.sc"
	dk analyze "$M" --only escape
	expect_eq "mutated: 0->33 without setuid (medium), 33->0 (high) and back (medium)" \
		"high uid 33 became root|medium uid 0 became 33|medium uid 0 became 33" \
		"$(q "$M" "select severity || ' ' || substr(title, instr(title, ': ') + 2) from findings where rule = 'esc.kernel.cred_change' order by 1" | tr '\n' '|' | sed 's/|$//')"
	expect_eq "each names the two events between which the uid changed" "3,6" \
		"$(q "$M" "select count(distinct finding_id), count(*) from finding_evidence where finding_id in (select id from findings where rule = 'esc.kernel.cred_change')")"
	expect_eq "the same with strace (no uids): nothing to check" "0" \
		"$(q "$K" "select count(*) from findings where rule = 'esc.kernel.cred_change'")"
fi

# a broken rules file: refused, named, nothing changed
mkdir -p "$T/bad"
printf -- '- rule: broken\n  condition: evt.type = open and (fd.name = x\n' >"$T/bad/bad.yaml"
st=$(case_state "$C")
n=$(q "$C" "select count(*) from findings")
DRYDOCK_ESCAPE_RULES=$T/bad dk analyze "$C" --only escape
expect_rc 1 "a broken condition: analyze fails"
expect_err "the message names the file and the rule" "bad.yaml" "broken" "')' expected"
expect_eq "the case is unchanged" "$st $n" "$(case_state "$C") $(q "$C" "select count(*) from findings")"
printf -- '- rule: unknown field\n  condition: proc.nosuch = 1\n' >"$T/bad/bad.yaml"
DRYDOCK_ESCAPE_RULES=$T/bad dk analyze "$C" --only escape
expect_err "an unknown field is named" "unknown field 'proc.nosuch'"
printf -- '- macro: a\n  condition: b\n- macro: b\n  condition: a\n- rule: loop\n  condition: a\n' >"$T/bad/bad.yaml"
DRYDOCK_ESCAPE_RULES=$T/bad dk analyze "$C" --only escape
expect_rc 1 "macros that use each other are refused"
printf -- '- rule: [unclosed\n' >"$T/bad/bad.yaml"
DRYDOCK_ESCAPE_RULES=$T/bad dk analyze "$C" --only escape
expect_err "bad YAML: the file and line" "bad.yaml: not YAML at line"

# deterministic: the same case analyzed twice gives the same findings
a=$(q "$K" "select group_concat(id || detail, '|') from (select * from findings order by id)")
dk analyze "$K" --only escape
expect_eq "re-analysis: the same finding ids and details" "$a" \
	"$(q "$K" "select group_concat(id || detail, '|') from (select * from findings order by id)")"
t_done
