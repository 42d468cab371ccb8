#!/usr/bin/env bash
# 0910-replay-batch: sharded replays through the batch tools drydock ships
# templates for. GNU parallel runs 4 shards; a single-node Slurm (munged,
# slurmctld and slurmd on loopback, private configuration, started and
# stopped here) runs datasets/slurm/submit.sh: a 4-task job array and its
# dependent merge. Both must equal the single-process run byte for byte.
# Each part is skipped (and says so) when its tools are missing; Slurm
# also needs root.
set -u
DRYDOCK=${DRYDOCK:-$PWD/build/asan/drydock}
FIX=${FIXTURES:-$PWD/../shared/fixtures}
ROOT=$PWD
T=$(mktemp -d)
chmod 755 "$T"
PIDS=()
MUNGED=
cleanup() {
	local p
	[ -z "$MUNGED" ] || [ ! -s /run/munge/munged.pid ] ||
		kill "$(cat /run/munge/munged.pid)" 2>/dev/null
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
pass=0
fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
bad() { echo "FAIL - $*"; fail=$((fail + 1)); }
ADFA=$FIX/adfa/verazuo_ADFA-LD.zip
if [ ! -f "$ADFA" ]; then
	echo "# fixtures missing under $FIX: skipped"
	exit 0
fi
DET=stide:n=6,w=12
"$DRYDOCK" -q replay --dataset adfa --detector "$DET" --scores-out "$T/one.csv" \
    -o "$T/one.json" "$ADFA" || bad "the single run fails"

# ---- GNU parallel ----
if command -v parallel >/dev/null 2>&1; then
	parallel --will-cite -j 2 "$DRYDOCK" -q replay --dataset adfa --detector "$DET" \
	    --shard {}/4 -o "$T/p{}.json" "$ADFA" ::: 1 2 3 4
	[ $? = 0 ] && ok "GNU parallel runs 4 shards" || bad "GNU parallel shards"
	"$DRYDOCK" -q replay-merge --scores-out "$T/p.csv" -o "$T/p.json" \
	    "$T"/p[1-4].json
	cmp -s "$T/one.json" "$T/p.json" && cmp -s "$T/one.csv" "$T/p.csv" &&
		ok "GNU parallel shards merge into the single run's bytes" ||
		bad "GNU parallel merge differs"
else
	echo "# GNU parallel missing: skipped"
fi

# ---- single-node Slurm ----
slurm_skip() { echo "# Slurm: $*: skipped"; }
if [ "$(id -u)" != 0 ]; then
	slurm_skip "not root"
elif ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
    ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
	slurm_skip "slurmctld, slurmd, sbatch or munged missing"
else
	S=$T/slurm
	mkdir -p "$S/state" "$S/spool" "$S/out"
	chmod 777 "$S/out"
	# munge: the package's key; a daemon of our own unless one runs
	if ! pgrep -x munged >/dev/null; then
		[ -s /etc/munge/munge.key ] || { mungekey --create 2>/dev/null ||
			dd if=/dev/urandom of=/etc/munge/munge.key bs=128 count=1 2>/dev/null; }
		chown munge:munge /etc/munge/munge.key 2>/dev/null
		chmod 600 /etc/munge/munge.key
		mkdir -p /run/munge /var/log/munge /var/lib/munge
		chown munge:munge /run/munge /var/log/munge /var/lib/munge
		runuser -u munge -- munged -F >"$S/munged.log" 2>&1 &
		PIDS+=($!)
		disown
		MUNGED=1
		for _ in $(seq 50); do [ -S /run/munge/munge.socket.2 ] && break; sleep 0.1; done
	fi
	cat >"$S/slurm.conf" <<CONF
ClusterName=drydocktest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/ctld.pid
SlurmdPidFile=$S/d.pid
SlurmctldLogFile=$S/ctld.log
SlurmdLogFile=$S/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=drydocktest NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=drydocktest Default=YES MaxTime=INFINITE State=UP
CONF
	export SLURM_CONF=$S/slurm.conf
	slurmctld -D -i -f "$S/slurm.conf" >"$S/ctld.out" 2>&1 &
	PIDS+=($!)
	disown
	slurmd -D -N drydocktest -f "$S/slurm.conf" >"$S/d.out" 2>&1 &
	PIDS+=($!)
	disown
	up=0
	for _ in $(seq 100); do
		if sinfo -h -o %T 2>/dev/null | grep -q idle; then up=1; break; fi
		sleep 0.2
	done
	if [ "$up" = 0 ]; then
		bad "Slurm did not come up: $(tail -3 "$S/ctld.log" "$S/d.log" 2>/dev/null | tr '\n' ' ')"
	else
		ok "a single-node Slurm is up"
		merge=$(DD_DATASET=adfa DD_PATH=$ADFA DD_DETECTOR=$DET DD_OUT=$S/out \
		    DD_DRYDOCK=$DRYDOCK "$ROOT/datasets/slurm/submit.sh" 4 2>"$S/submit.err")
		if [ -z "$merge" ]; then
			bad "submit.sh: $(head -3 "$S/submit.err")"
		else
			ok "submit.sh queued a 4-task array and its merge ($merge)"
			for _ in $(seq 600); do
				[ -z "$(squeue -h 2>/dev/null)" ] && break
				sleep 0.2
			done
			ls "$S"/out/shard-[1-4].json >/dev/null 2>&1 &&
				ok "the array wrote 4 shard results" ||
				bad "shard results missing: $(cat "$S"/out/*.out 2>/dev/null | head -5)"
			cmp -s "$T/one.json" "$S/out/results.json" &&
				cmp -s "$T/one.csv" "$S/out/scores.csv" &&
				ok "the Slurm array's merge equals the single run byte for byte" ||
				bad "Slurm result differs: $(cat "$S"/out/merge-*.out 2>/dev/null | head -3)"
		fi
	fi
	unset SLURM_CONF
fi

echo "# $pass passed, $fail failed"
[ "$fail" = 0 ]
