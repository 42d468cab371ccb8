#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""lidds-stide.py: the LID-DS framework's own STIDE over ADFA-LD, timed.

The peer of tests/bench/replay.sh. It imports the framework from a
checkout (LIDDS_DIR, github LID-DS/LID-DS; not shipped here) and runs the
pipeline of its examples: SyscallName -> IntEmbedding -> Ngram -> Stide ->
StreamSum -> MaxScoreThreshold, trained, thresholded and scored through
IDS with DataLoaderADFALD (reading the unpacked ADFA-LD folder). Debian's
Python packages lack three of its imports: pcapkit and treelib are stubbed
(pcap access and config trees, unused here) and the dependency graph's
drawing is skipped (networkx 2.8 refuses LID-DS's node names), as
../shared/docs/TOOLS.md describes.

usage: LIDDS_DIR=... lidds-stide.py ADFA-LD-FOLDER N W
prints: seconds syscalls-scored detection_rate
"""
import os
import sys
import tempfile
import time

lidds = os.environ["LIDDS_DIR"]
stubs = tempfile.mkdtemp()
for mod in ("pcapkit", "treelib"):
    os.makedirs(os.path.join(stubs, mod))
    with open(os.path.join(stubs, mod, "__init__.py"), "w") as f:
        f.write("class Tree:\n    def __init__(self, *a, **k): pass\n"
                "def extract(*a, **k): return None\n")
sys.path[:0] = [lidds, stubs]

import pydot  # noqa: E402
from algorithms import building_block_manager as bbm  # noqa: E402
bbm.BuildingBlockManager.to_dot = lambda self, *a, **k: pydot.Dot()
from algorithms.ids import IDS  # noqa: E402
from algorithms.decision_engines.stide import Stide  # noqa: E402
from algorithms.features.impl.int_embedding import IntEmbedding  # noqa: E402
from algorithms.features.impl.max_score_threshold import MaxScoreThreshold  # noqa: E402
from algorithms.features.impl.ngram import Ngram  # noqa: E402
from algorithms.features.impl.stream_sum import StreamSum  # noqa: E402
from algorithms.features.impl.syscall_name import SyscallName  # noqa: E402
from dataloader.dataloader_adfa_ld import DataLoaderADFALD  # noqa: E402


def main():
    path, n, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    t0 = time.perf_counter()
    loader = DataLoaderADFALD(path)
    name = SyscallName()
    emb = IntEmbedding(name)
    ngram = Ngram([emb], False, n)
    stide = Stide(ngram)
    ssum = StreamSum(stide, False, w)
    decider = MaxScoreThreshold(ssum)
    ids = IDS(data_loader=loader, resulting_building_block=decider,
              plot_switch=False)
    ids.determine_threshold()
    perf = ids.detect()
    res = perf.get_results()
    dt = time.perf_counter() - t0
    scored = res["false_positives"] + res["true_positives"] + \
        res["true_negatives"] + res["false_negatives"]
    print("%.3f %d %s" % (dt, scored, res["detection_rate"]))


if __name__ == "__main__":
    main()
