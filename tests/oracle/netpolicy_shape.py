#!/usr/bin/env python3
"""netpolicy_shape.py FILE: every object of a NetworkPolicy YAML stream
validated (python3-jsonschema) against the shape of networking.k8s.io/v1
NetworkPolicy as the Kubernetes API reference gives it: fields, label key
and value rules, a DNS-1123 name, protocols and port range. Prints "valid"
(or raises). The oracle for tests/cli/0950-profile.sh."""
import sys, yaml, jsonschema
label_key = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$"
label_val = r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$"
sel = {"type": "object", "additionalProperties": False, "properties": {
    "matchLabels": {"type": "object", "propertyNames": {"pattern": label_key},
                    "additionalProperties": {"type": "string", "pattern": label_val}}}}
peer = {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": {
    "podSelector": sel, "namespaceSelector": sel,
    "ipBlock": {"type": "object", "required": ["cidr"], "additionalProperties": False,
                "properties": {"cidr": {"type": "string", "pattern": r"^[0-9a-fA-F:.]+/[0-9]+$"}}}}}
port = {"type": "object", "additionalProperties": False, "properties": {
    "protocol": {"enum": ["TCP", "UDP", "SCTP"]},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535}}}
def rule(k):
    return {"type": "object", "additionalProperties": False, "properties": {
        k: {"type": "array", "items": peer}, "ports": {"type": "array", "items": port}}}
schema = {"type": "object", "required": ["apiVersion", "kind", "metadata", "spec"],
  "properties": {
    "apiVersion": {"const": "networking.k8s.io/v1"}, "kind": {"const": "NetworkPolicy"},
    "metadata": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "maxLength": 253,
                 "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"}}},
    "spec": {"type": "object", "required": ["podSelector"], "additionalProperties": False,
      "properties": {"podSelector": sel,
        "policyTypes": {"type": "array", "items": {"enum": ["Ingress", "Egress"]}},
        "ingress": {"type": "array", "items": rule("from")},
        "egress": {"type": "array", "items": rule("to")}}}}}
n = 0
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d:
        jsonschema.validate(d, schema)
        n += 1
print("valid" if n else "none")
