#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""An OCI image layout tar as `docker buildx build --provenance --sbom`
and `cosign sign` leave it: a nested index holding the image manifest, a
BuildKit attestation manifest (an SLSA v0.2 provenance statement with the
Dockerfile in its metadata, an SPDX SBOM statement with two packages),
and a cosign signature manifest tagged sha256-<digest>.sig.
usage: gen-attested.py OUT.tar"""
import base64, hashlib, io, json, sys, tarfile

blobs = {}


def blob(data):
    if isinstance(data, (dict, list)):
        data = json.dumps(data, sort_keys=True).encode()
    d = "sha256:" + hashlib.sha256(data).hexdigest()
    blobs[d] = data
    return d, len(data)


def desc(mt, data, **extra):
    d, n = blob(data)
    x = {"mediaType": mt, "digest": d, "size": n}
    x.update(extra)
    return x


lt = io.BytesIO()
with tarfile.open(fileobj=lt, mode="w") as t:
    ti = tarfile.TarInfo("app/hello")
    ti.size = 3
    ti.mode = 0o755
    t.addfile(ti, io.BytesIO(b"hi\n"))
layer = lt.getvalue()
diff = "sha256:" + hashlib.sha256(layer).hexdigest()
dockerfile = "FROM busybox\nARG FOO\nCOPY hello /app/hello\n"
cfg = {"architecture": "amd64", "os": "linux", "config": {},
       "rootfs": {"type": "layers", "diff_ids": [diff]},
       "history": [{"created_by": "COPY hello /app/hello # buildkit",
                    "comment": "buildkit.dockerfile.v0"}]}
img = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": desc("application/vnd.oci.image.config.v1+json", cfg),
       "layers": [desc("application/vnd.oci.image.layer.v1.tar", layer)]}
imgd = desc("application/vnd.oci.image.manifest.v1+json", img,
            platform={"architecture": "amd64", "os": "linux"})
prov = {"_type": "https://in-toto.io/Statement/v0.1",
        "predicateType": "https://slsa.dev/provenance/v0.2",
        "subject": [{"name": "pkg:docker/attested@1", "digest": {"sha256": imgd["digest"][7:]}}],
        "predicate": {
            "builder": {"id": "https://github.com/example/builder@v1"},
            "buildType": "https://mobyproject.org/buildkit@v1",
            "invocation": {"configSource": {"entryPoint": "Dockerfile"},
                           "parameters": {"frontend": "dockerfile.v0",
                                          "args": {"build-arg:FOO": "bar", "source": "x"}}},
            "materials": [{"uri": "pkg:docker/busybox@latest?platform=linux%2Famd64",
                           "digest": {"sha256": "1" * 64}}],
            "metadata": {"https://mobyproject.org/buildkit@v1#metadata": {
                "source": {"infos": [{"filename": "Dockerfile", "language": "Dockerfile",
                                      "data": base64.b64encode(dockerfile.encode()).decode()}]}}}}}
sbom = {"_type": "https://in-toto.io/Statement/v0.1",
        "predicateType": "https://spdx.dev/Document",
        "subject": prov["subject"],
        "predicate": {"spdxVersion": "SPDX-2.3", "packages": [
            {"name": "busybox", "versionInfo": "1.36.1"},
            {"name": "hello", "versionInfo": "1"}]}}
att = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": desc("application/vnd.oci.image.config.v1+json", {"architecture": "unknown", "os": "unknown"}),
       "layers": [desc("application/vnd.in-toto+json", prov,
                       annotations={"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}),
                  desc("application/vnd.in-toto+json", sbom,
                       annotations={"in-toto.io/predicate-type": "https://spdx.dev/Document"})]}
attd = desc("application/vnd.oci.image.manifest.v1+json", att,
            platform={"architecture": "unknown", "os": "unknown"},
            annotations={"vnd.docker.reference.type": "attestation-manifest",
                         "vnd.docker.reference.digest": imgd["digest"]})
nested = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
          "manifests": [imgd, attd]}
sig_payload = {"critical": {"image": {"docker-manifest-digest": imgd["digest"]},
                            "type": "cosign container image signature"}}
sig = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
       "config": desc("application/vnd.oci.image.config.v1+json", {"architecture": "", "os": ""}),
       "layers": [desc("application/vnd.dev.cosign.simplesigning.v1+json", sig_payload,
                       annotations={"dev.cosignproject.cosign/signature": "MEUCIQDfake=="})]}
index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
         "manifests": [
             desc("application/vnd.oci.image.index.v1+json", nested,
                  annotations={"org.opencontainers.image.ref.name": "attested:1"}),
             desc("application/vnd.oci.image.manifest.v1+json", sig,
                  annotations={"org.opencontainers.image.ref.name":
                               "sha256-" + imgd["digest"][7:] + ".sig"})]}
with tarfile.open(sys.argv[1], "w") as t:
    def add(name, data):
        ti = tarfile.TarInfo(name)
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    for d, data in sorted(blobs.items()):
        add("blobs/sha256/" + d[7:], data)
    add("index.json", json.dumps(index).encode())
print(imgd["digest"])
