#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""stide.py: an independent, straightforward STIDE replay of ADFA-LD.

The oracle of tests/cli/0900-replay.sh and the peer figure of
tests/bench/replay.sh. It shares no code with drydock: it reads the zip (or
the unpacked folder) with Python's zipfile, splits as drydock documents
(Training_Data_Master training; Validation_Data_Master sorted by file name,
alternately validation and test; Attack_Data_Master test, attack from the
first syscall), builds the set of training n-grams as tuples, scores every
position (fraction of unseen n-grams among the last w; a trace with fewer
than w n-grams once, over all of them, at its last n-gram), takes the
highest validation score as the threshold, and computes LID-DS's metrics
(alarm = score > threshold) and the ROC AUC over recordings' highest
scores.

usage: stide.py ZIP|DIR N W [THRESHOLD] > result.json
"""
import json
import os
import sys
import zipfile


def traces(path):
    """(member path, text) of every trace."""
    if os.path.isdir(path):
        for root, _dirs, files in os.walk(path):
            for f in files:
                p = os.path.join(root, f)
                with open(p, "rb") as fh:
                    yield os.path.relpath(p, path), fh.read()
    else:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if not name.endswith("/"):
                    yield name, z.read(name)


def split_of(name):
    parts = name.split("/")
    for i, c in enumerate(parts):
        if c == "Training_Data_Master" and i + 2 == len(parts):
            return "training"
        if c == "Validation_Data_Master" and i + 2 == len(parts):
            return "validation"
        if c == "Attack_Data_Master" and i + 3 == len(parts):
            return "attack"
    return None


def scores(seq, n, w, grams):
    """per-position scores (None: no window ends there)."""
    out = [None] * len(seq)
    flags = []
    last = None
    for i in range(n - 1, len(seq)):
        flags.append(0 if tuple(seq[i - n + 1:i + 1]) in grams else 1)
        last = i
        if len(flags) >= w:
            out[i] = sum(flags[-w:]) / w
    if flags and len(flags) < w:
        out[last] = sum(flags) / len(flags)
    return out


def main():
    path, n, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    given = float(sys.argv[4]) if len(sys.argv) > 4 else None
    rec = {"training": [], "validation": [], "attack": []}
    for name, data in traces(path):
        if not name.endswith(".txt"):
            continue
        sp = split_of(name)
        if sp is None:
            continue
        seq = [int(x) for x in data.split()]
        rec[sp].append((os.path.basename(name), seq))
    grams = set()
    for _name, seq in rec["training"]:
        for i in range(n - 1, len(seq)):
            grams.add(tuple(seq[i - n + 1:i + 1]))
    val = sorted(rec["validation"])
    valid = val[0::2]
    test = [(nm, s, False) for nm, s in val[1::2]]
    test += [(nm, s, True) for nm, s in rec["attack"]]
    result = {"validation": {}, "test": {}}
    thr = None
    for nm, seq in valid:
        sc = [x for x in scores(seq, n, w, grams) if x is not None]
        if sc:
            result["validation"][nm] = max(sc)
            thr = max(sc) if thr is None else max(thr, max(sc))
    if given is not None:
        thr = given
    m = dict(false_positives=0, true_positives=0, true_negatives=0,
             false_negatives=0, correct_alarm_count=0, exploit_count=0,
             consecutive_false_positives_normal=0,
             consecutive_false_positives_exploits=0)
    roc = []
    for nm, seq, attack in test:
        sc = scores(seq, n, w, grams)
        m["exploit_count"] += attack
        run = False
        detected = False
        for x in sc:
            if x is None:
                continue
            alarm = x > thr
            if alarm and not attack:
                m["false_positives"] += 1
                if not run:
                    m["consecutive_false_positives_normal"] += 1
                run = True
                continue
            run = False
            if alarm:
                m["true_positives"] += 1
                detected = True
            elif attack:
                m["false_negatives"] += 1
            else:
                m["true_negatives"] += 1
        m["correct_alarm_count"] += detected
        vals = [x for x in sc if x is not None]
        if vals:
            result["test"][nm] = max(vals)
            roc.append((max(vals), attack))
    dr = m["correct_alarm_count"] / m["exploit_count"] if m["exploit_count"] else 0
    m["detection_rate"] = dr
    # AUC: the probability a random attack outscores a random normal
    # (ties count a half): equal to the trapezoids under the ROC curve
    pos = [s for s, a in roc if a]
    neg = [s for s, a in roc if not a]
    wins = 0.0
    negs = sorted(neg)
    import bisect
    for s in pos:
        lo = bisect.bisect_left(negs, s)
        hi = bisect.bisect_right(negs, s)
        wins += lo + (hi - lo) / 2
    result["auc"] = wins / (len(pos) * len(neg)) if pos and neg else None
    result["threshold"] = thr
    result["metrics"] = m
    json.dump(result, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
