#!/usr/bin/env python3
"""k8s_yaml.py FILE...: each Kubernetes object of the manifests as PyYAML
reads them (List items expanded), one line per object:
kind|namespace|name|images|hostPaths|privileged|hostPID|hostNetwork.
The oracle for tests/cli/0820-k8smanifest.sh."""
import sys

import yaml


def podspec(o):
    spec = o.get("spec") or {}
    if not isinstance(spec, dict):
        return None
    if "containers" in spec:
        return spec
    t = (spec.get("template") or {}).get("spec")
    if isinstance(t, dict):
        return t
    jt = ((((spec.get("jobTemplate") or {}).get("spec") or {}).get("template") or {}).get("spec"))
    return jt if isinstance(jt, dict) and "containers" in jt else None


def line(o):
    md = o.get("metadata") or {}
    out = [o.get("kind", ""), md.get("namespace") or "", md.get("name") or ""]
    ps = podspec(o)
    if ps is None:
        return "|".join(out + ["", "", "", "", ""])
    cs = [c for k in ("containers", "initContainers", "ephemeralContainers")
          for c in (ps.get(k) or [])]
    images = ",".join(c.get("image", "") for c in cs if c.get("image"))
    hp = ",".join(v["hostPath"]["path"] for v in (ps.get("volumes") or [])
                  if isinstance(v.get("hostPath"), dict) and v["hostPath"].get("path"))
    priv = any(((c.get("securityContext") or {}).get("privileged") is True) for c in cs)
    b = lambda x: "1" if x else "0"
    return "|".join(out + [images, hp, b(priv), b(ps.get("hostPID") is True),
                           b(ps.get("hostNetwork") is True)])


for f in sys.argv[1:]:
    with open(f) as fh:
        for d in yaml.safe_load_all(fh):
            if d is None:
                continue
            items = d.get("items") if str(d.get("kind", "")).endswith("List") else None
            for o in (items if isinstance(items, list) else [d]):
                print(line(o))
