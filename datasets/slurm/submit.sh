#!/bin/bash
# submit.sh: submit a sharded `drydock replay` to Slurm: the job array of
# replay.sbatch (one task per shard), then its merge, run only when every
# shard succeeded. Prints the merge job's id.
#
#   DD_DATASET=adfa DD_PATH=/data/ADFA-LD.zip DD_DETECTOR=stide:n=5,w=10 \
#   DD_OUT=/shared/run1 datasets/slurm/submit.sh 8 [SBATCH-OPTION...]
#
# Results: $DD_OUT/results.json and $DD_OUT/scores.csv.
set -euo pipefail
n=${1:?usage: submit.sh SHARDS [SBATCH-OPTION...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "${DD_OUT:?set DD_OUT}"
export DD_SHARDS=$n
array=$(sbatch --parsable --export=ALL --array="1-$n" "$@" \
    --chdir="$DD_OUT" "$here/replay.sbatch")
array=${array%%;*}
DD_MODE=merge sbatch --parsable --export=ALL --dependency="afterok:$array" \
    --job-name=drydock-replay-merge --cpus-per-task=1 "$@" \
    --chdir="$DD_OUT" --output="$DD_OUT/merge-%j.out" "$here/replay.sbatch"
