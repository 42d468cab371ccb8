#!/usr/bin/env bash
# 0600-image: container image archives against bsdtar.
#
# For every image archive (tests/data/image, ../shared/fixtures/image when
# present, and images built here): the import exits 0 without anomalies
# (unless the archive is known to be broken), every image of the manifest
# is there, and each image's merged tree (`fs`) equals what bsdtar gives
# when the layers are extracted in order with whiteouts applied
# (tests/oracle/image_fs.py: paths, types, modes, sizes, SHA-256, symlink
# targets); a sample of files read back with export-file hash as bsdtar's.
# Then: layers shared by archives are indexed once; history aligned with
# layers; digest mismatches, missing blobs, hostile layers ('..',
# absolute names, control bytes, duplicates, no end blocks, not a tar,
# a zstd bomb, a truncated archive) each do what the issue says.
set -u
. "$(dirname "$0")/../lib/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ORACLE=$PWD/tests/oracle/image_fs.py
D=$PWD/tests/data/image
q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2; }

if ! command -v bsdtar >/dev/null; then
	fail_only "bsdtar (libarchive-tools) is not installed: ./build.sh deps"
	t_done
fi

# compare ARCHIVE CASE DESC: fs of each image = the oracle's tree.
compare() {
	local a=$1 c=$2 desc=$3 w cfg id
	w=$(mktemp -d "$T/or.XXXXXX")
	if ! "$PY" "$ORACLE" "$a" "$w" >"$w/oracle.txt" 2>"$w/oracle.err"; then
		fail_only "$desc: the oracle failed: $(tail -n 2 "$w/oracle.err")"
		return
	fi
	awk -v dir="$w" '/^image /{f=dir "/img-" substr($2, 8) ".txt"; next}
		{print > f}' "$w/oracle.txt"
	for f in "$w"/img-*.txt; do
		[ -e "$f" ] || { fail_only "$desc: the oracle found no image"; return; }
		cfg=sha256:$(basename "$f" .txt | sed 's/^img-//')
		id=$(q "$c" "select id from images where config_digest = '$cfg' order by id desc limit 1")
		if [ -z "$id" ]; then
			fail_only "$desc: no image with config $cfg"
			continue
		fi
		# Non-directories exactly; directories we list must exist
		# with the same mode (bsdtar also makes parents no entry names).
		q "$c" "select path, case type when 'hardlink' then 'file' else type end,
			mode, case when type in ('file','hardlink') then size else 0 end,
			coalesce(sha256, ''), case type when 'symlink' then link_target else '' end
			from fs where image_id = $id order by path" |
			"$PY" -c 'import csv,sys
for r in csv.reader(sys.stdin): print("\t".join(r))' >"$w/ours.txt"
		sort "$w/ours.txt" >"$w/ours.s"
		sort "$f" >"$w/or.s"
		if diff <(awk -F'\t' '$2 != "dir"' "$w/or.s") \
			<(awk -F'\t' '$2 != "dir"' "$w/ours.s") >"$w/diff" &&
			[ -z "$(comm -13 <(awk -F'\t' '$2 == "dir"' "$w/or.s") \
				<(awk -F'\t' '$2 == "dir"' "$w/ours.s"))" ]; then
			ok "$desc: image $id's tree equals bsdtar's ($(wc -l <"$w/ours.s") paths)"
		else
			fail_only "$desc: image $id's tree differs from bsdtar's"
			head -n 20 "$w/diff" | sed 's/^/      | /'
		fi
		# A sample of regular files read back through export-file.
		local bad=0 n=0 p s
		while IFS=$'\t' read -r p _ _ _ s _; do
			[ -n "$s" ] || continue
			"$DRYDOCK" -q export-file "$c" --image "$id" "$p" -o "$w/x" \
				>/dev/null 2>&1 || { bad=$((bad + 1)); continue; }
			[ "$(sha256sum <"$w/x" | cut -c1-64)" = "$s" ] || bad=$((bad + 1))
			n=$((n + 1))
		done < <(awk -F'\t' '$2 == "file"' "$w/or.s" | awk 'NR % 37 == 1' | head -n 12)
		expect_eq "$desc: image $id: $n sampled files export with bsdtar's bytes" 0 "$bad"
	done
}

C=$T/c.dd
dk init "$C"
expect_rc 0 "init"

# ---- the bundled small archives and the shared fixtures ----
list=()
for f in "$D"/*.tar "$D"/*.tar.gz; do [ -e "$f" ] && list+=("$f"); done
if [ -d "$FIX/image" ]; then
	for f in "$FIX"/image/dive/*.tar "$FIX"/image/containers-image/*.tar \
		"$FIX"/image/trivy/*.tar.gz; do
		[ -e "$f" ] && list+=("$f")
	done
fi
for f in "${list[@]}"; do
	b=$(basename "$f")
	dk ingest "$C" "$f"
	expect_rc 0 "$b: imports"
	aid=$(q "$C" "select id from artifacts where sha256 = '$(sha256sum <"$f" | cut -c1-64)'")
	expect_eq "$b: format image" image "$(q "$C" "select format from artifacts where id = $aid")"
	expect_eq "$b: no anomalies" 0 "$(q "$C" "select count(*) from anomalies where artifact_id = $aid")"
	compare "$f" "$C" "$b"
done

# OCI image layout directories: an artifact group read as one archive.
if [ -d "$FIX/image/trivy/test.oci" ]; then
	for dname in test.oci test_image_tag.oci; do
		dk ingest "$C" "$FIX/image/trivy/$dname"
		expect_rc 0 "$dname (a layout directory): imports"
		expect_out "... as a group" "group of 5 files"
		gid=$(q "$C" "select max(id) from artifacts where group_id is null")
		expect_eq "... its image is the group's" 1 \
			"$(q "$C" "select count(*) from images where artifact_id = $gid")"
		expect_eq "... no anomalies" 0 "$(q "$C" "select count(*) from anomalies where artifact_id = $gid")"
		compare "$FIX/image/trivy/$dname" "$C" "$dname"
	done
	expect_eq "test_image_tag.oci: the ref name annotation is the tag" 1 \
		"$(q "$C" "select count(*) from images where ref = '0.0.1'")"
	dk ingest "$C" "$FIX/image/trivy/test_invalid_oci_image.oci"
	expect_rc 0 "a layout whose index names a missing manifest: imported"
	expect_eq "... with an anomaly naming the digest" 1 \
		"$(q "$C" "select count(*) from anomalies where message like '%names sha256:bad7448%not in the archive%'")"
	dk ingest "$C" "$FIX/image/trivy/test_bad_index_json.oci"
	expect_rc 0 "a layout whose index.json is not JSON: imported"
	expect_eq "... saying so" 1 \
		"$(q "$C" "select count(*) from anomalies where message like '''index.json'' is not JSON%'")"
fi

if [ -d "$FIX/image/dive" ]; then
	# The dive image: 15 history steps, 14 layers, the CMD step empty.
	expect_eq "dive: history aligned with layers" "15 14 1" \
		"$(q "$C" "select count(*), count(layer_id), sum(empty_layer) from image_layers
			where image_id = (select id from images where ref = 'dive-test:latest')" | tr ',' ' ')"
	expect_eq "dive: the whiteout of /root/example is a files row" 1 \
		"$(q "$C" "select count(*) > 0 from files where path = '/root/example' and whiteout = 1")"
	expect_eq "dive: /root/example is gone from the tree" 0 \
		"$(q "$C" "select count(*) from fs f join images i on i.id = f.image_id
			where i.ref = 'dive-test:latest' and f.path like '/root/example%'")"
	# The OCI dive archives (uncompressed, gzip, zstd) hold one layer
	# with one diff_id: indexed once.
	expect_eq "one diff_id, one layers row, however many archives" 1 \
		"$(q "$C" "select count(*) from layers where diff_id like 'sha256:356d5e7f4012%'")"
	expect_eq "... and its files once" 1 \
		"$(q "$C" "select count(*) from files f join layers l on l.id = f.layer_id
			where l.diff_id like 'sha256:356d5e7f4012%'")"
	# A file a whiteout hid, recovered from the layer that shipped it.
	lid=$(q "$C" "select layer_id from files where path = '/root/example/somefile3.txt' and whiteout = 0 limit 1")
	dk export-file "$C" --layer "$lid" /root/example/somefile3.txt -o "$T/hidden.txt"
	expect_rc 0 "export-file --layer recovers a file a later layer deleted"
	expect_eq "... its bytes are the layer's" \
		"$(q "$C" "select sha256 from files where layer_id = $lid and path = '/root/example/somefile3.txt'")" \
		"$(sha256sum <"$T/hidden.txt" | cut -c1-64)"
	# A Dockerfile maps history steps back to its lines (last stage).
	dk ingest "$C" "$PWD/tests/data/image/dive.Dockerfile"
	expect_rc 0 "a Dockerfile imports"
	expect_out "... as a dockerfile" "dockerfile"
	expect_eq "... its instructions, continuation and heredoc lines joined" \
		"10 3 10-12 15-17" \
		"$(q "$C" "select count(*), count(distinct stage) from dockerfile" | tr ',' ' ') $(q "$C" "select line || '-' || end_line from dockerfile where line = 10") $(q "$C" "select line || '-' || end_line from dockerfile where line = 15")"
	expect_eq "history steps matched to lines (CMD, two RUNs; not the build stage's)" \
		"1:14 3:8 4:9" \
		"$(q "$C" "select idx || ':' || line from dockerfile_steps s join images i on i.id = s.image_id where i.ref = 'dive-test:latest' order by idx" | tr '\n' ' ' | sed 's/ $//')"
	printf 'RUN echo not first\nFROM x\n' >"$T/NotDockerfile"
	dk ingest "$C" --as dockerfile "$T/NotDockerfile"
	expect_rc 1 "a file whose first instruction is RUN is not a Dockerfile"
	# Attribution: the layer and Dockerfile step that shipped a file.
	dk whence --format csv "$C" /root/saved.txt
	expect_rc 0 "whence PATH: exit 0"
	expect_out "... names the step that first shipped its content" \
		"/bin/sh -c mv /root/example/somefile3.txt /root/saved.txt"
	dk whence "$C" --sha256 9422b46ac51529b16b223b83c51f2c1040e6278c918e00194201552d2d4a0551
	expect_rc 0 "whence --sha256: exit 0"
	expect_out "... lists a copy deleted later, under its own path" "/root/example/somefile3.txt"
	dk whence "$C" /no/such/binary
	expect_rc 1 "whence of a path no image holds: exit 1"
	expect_err "... saying so" "is in no imported image"
	dk whence "$C" /bin/ls --sha256 nothex
	expect_rc 2 "whence with a malformed digest: usage (2)"
	dk export-file "$C" --image 1 /no/such/file -o "$T/x"
	expect_rc 1 "export-file of a missing path: exit 1"
	dk export-file "$C" /etc -o "$T/x"
	expect_rc 2 "export-file without --image or --layer: usage (2)"
fi

# ---- images built here: umoci layers with a whiteout, an opaque
# directory, a setuid file, a hard link and a symlink, shipped by skopeo
# as docker-archive and oci-archive ----
if command -v umoci >/dev/null && command -v skopeo >/dev/null; then
	L=$T/oci
	umoci init --layout "$L" >/dev/null 2>&1 &&
		umoci new --image "$L:t" >/dev/null 2>&1 &&
		umoci unpack --rootless --image "$L:t" "$T/b" >/dev/null 2>&1
	r=$T/b/rootfs
	mkdir -p "$r/etc" "$r/opt/old" "$r/secret"
	echo "root:x:0:0:root:/root:/bin/sh" >"$r/etc/passwd"
	echo "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" >"$r/secret/.env"
	echo old >"$r/opt/old/a"
	printf '\x7fELF fake' >"$r/opt/tool"
	chmod 4755 "$r/opt/tool"
	ln "$r/etc/passwd" "$r/etc/passwd.hard"
	ln -s ../etc/passwd "$r/opt/link"
	# This machine's dpkg database: the oracle is dpkg-query over it.
	if [ -r /var/lib/dpkg/status ]; then
		mkdir -p "$r/var/lib/dpkg/info"
		cp /var/lib/dpkg/status "$r/var/lib/dpkg/status"
		: >"$r/var/lib/dpkg/available"
	fi
	umoci repack --refresh-bundle --image "$L:t" "$T/b" >/dev/null 2>&1
	rm -rf "$r/secret" "$r/opt/old"
	mkdir -p "$r/opt/old"
	echo new >"$r/opt/old/b"
	umoci repack --image "$L:t" "$T/b" >/dev/null 2>&1
	if skopeo copy "oci:$L:t" "docker-archive:$T/built-docker.tar:built:1" >/dev/null 2>&1 &&
		skopeo copy "oci:$L:t" "oci-archive:$T/built-oci.tar:built:1" >/dev/null 2>&1; then
		for f in "$T/built-docker.tar" "$T/built-oci.tar"; do
			b=$(basename "$f")
			dk ingest "$C" "$f"
			expect_rc 0 "$b: imports"
			compare "$f" "$C" "$b"
		done
		id=$(q "$C" "select id from images where ref = 'built:1'")
		expect_eq "built: the deleted secret is a whiteout" 1 \
			"$(q "$C" "select count(*) from files where path = '/secret' and whiteout = 1")"
		expect_eq "built: the secret stays recoverable from its layer" 1 \
			"$(q "$C" "select count(*) from files where path = '/secret/.env' and whiteout = 0")"
		if command -v dpkg-query >/dev/null && [ -r /var/lib/dpkg/status ]; then
			mkdir -p "$T/admin"
			cp /var/lib/dpkg/status "$T/admin/status"
			: >"$T/admin/available"
			mkdir -p "$T/admin/info"
			dpkg-query --admindir="$T/admin" -W -f '${Package}\t${Version}\n' |
				LC_ALL=C sort >"$T/dpkg.oracle"
			q "$C" "select name || char(9) || version from packages where image_id = $id and ecosystem = 'Debian'" |
				LC_ALL=C sort >"$T/dpkg.ours"
			if [ -s "$T/dpkg.oracle" ] && cmp -s "$T/dpkg.oracle" "$T/dpkg.ours"; then
				ok "built: the dpkg packages equal dpkg-query -W ($(wc -l <"$T/dpkg.ours"))"
			else
				fail_only "built: the dpkg packages differ from dpkg-query -W"
				diff "$T/dpkg.oracle" "$T/dpkg.ours" | head -n 10 | sed 's/^/      | /'
			fi
		fi
		expect_eq "built: the setuid bit is kept" 2541 \
			"$(q "$C" "select mode from fs where image_id = $id and path = '/opt/tool'")"
		expect_eq "built: the hard link has its target's digest" \
			"$(q "$C" "select sha256 from fs where image_id = $id and path = '/etc/passwd'")" \
			"$(q "$C" "select sha256 from fs where image_id = $id and path = '/etc/passwd.hard'")"
		# The containers/image "dir:" transport (skopeo copy ... dir:,
		# podman save --format docker-dir): a directory of blobs
		# named by their digests, manifest.json and a version file.
		if skopeo copy "oci:$L:t" "dir:$T/built-dir" >/dev/null 2>&1; then
			dk ingest "$C" "$T/built-dir"
			expect_rc 0 "built-dir (skopeo dir:): imports"
			daid=$(q "$C" "select max(id) from artifacts where name like '%/built-dir'")
			did=$(q "$C" "select id from images where artifact_id = $daid")
			expect_eq "built-dir: one image" 1 \
				"$(q "$C" "select count(*) from images where artifact_id = $daid")"
			expect_eq "built-dir: no anomalies" 0 \
				"$(q "$C" "select count(*) from anomalies where artifact_id = $daid")"
			expect_eq "built-dir: the same files as the OCI archive's image" \
				"$(q "$C" "select count(*) || ' ' || group_concat(path || sha256 || mode, ',') from (select * from fs where image_id = $id order by path)")" \
				"$(q "$C" "select count(*) || ' ' || group_concat(path || sha256 || mode, ',') from (select * from fs where image_id = $did order by path)")"
			# both layouts tarred the usual way ("tar -C DIR -cf X
			# .": the root directory is the first entry)
			for lay_dir in "$T/built-dir" "$L"; do
				b=$(basename "$lay_dir")-dot.tar
				tar -C "$lay_dir" -cf "$T/$b" .
				dk ingest "$C" "$T/$b"
				expect_rc 0 "$b (the root directory first): imports"
				taid=$(q "$C" "select max(id) from artifacts where name like '%/$b'")
				tid=$(q "$C" "select id from images where artifact_id = $taid")
				expect_eq "$b: read as an image, with the same files" \
					"$(q "$C" "select count(*) || ' ' || group_concat(path || sha256 || mode, ',') from (select * from fs where image_id = $id order by path)")" \
					"$(q "$C" "select count(*) || ' ' || group_concat(path || sha256 || mode, ',') from (select * from fs where image_id = ${tid:-0} order by path)")"
			done
			# a layer blob whose bytes (a file's, inside the tar) no
			# longer hash to its name
			cp -r "$T/built-dir" "$T/bad-dir"
			lay=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["layers"][-1]["digest"][7:])' "$T/bad-dir/manifest.json")
			zcat -f "$T/bad-dir/$lay" >"$T/bad-layer" && mv "$T/bad-layer" "$T/bad-dir/$lay"
			off=$(python3 -c 'import tarfile,sys; print(next(m.offset_data for m in tarfile.open(sys.argv[1]) if m.isfile() and m.size > 0))' "$T/bad-dir/$lay")
			printf 'X' | dd of="$T/bad-dir/$lay" bs=1 seek="$off" conv=notrunc 2>/dev/null
			dk ingest "$C" "$T/bad-dir"
			expect_rc 0 "bad-dir: imports"
			bid=$(q "$C" "select max(id) from artifacts where group_id is null")
			expect_eq "bad-dir: the altered layer does not hash to its name" 1 \
				"$(q "$C" "select count(*) from anomalies where artifact_id = $bid and message like '%$lay%does not hash%'")"
		else
			fail_only "skopeo could not write the dir: image"
		fi
	else
		fail_only "skopeo could not write the built image"
	fi
else
	echo "skip: umoci/skopeo not installed (./build.sh deps)"
fi

# ---- provenance and trust: BuildKit attestations, a cosign signature ----
"$PY" "$PWD/tests/data/image/gen-attested.py" "$T/attested.tar" >"$T/attested.digest"
dk ingest "$C" "$T/attested.tar"
expect_rc 0 "an attested, signed OCI archive imports"
aid=$(q "$C" "select max(id) from artifacts")
expect_eq "... with no anomalies" 0 "$(q "$C" "select count(*) from anomalies where artifact_id = $aid")"
iid=$(q "$C" "select id from images where artifact_id = $aid")
expect_eq "... one image, named by its nested index" "attested:1" "$(q "$C" "select ref from images where id = $iid")"
expect_eq "SLSA provenance: builder, Dockerfile, build args, base image" \
	"https://github.com/example/builder@v1|Dockerfile|bar|pkg:docker/busybox@latest?platform=linux%2Famd64" \
	"$(q "$C" "select builder || '|' || entry_point || '|' || json_extract(build_args, '\$.FOO') || '|' || json_extract(materials, '\$[0].uri') from provenance where image_id = $iid and predicate_type like '%slsa%'")"
expect_eq "... the Dockerfile text BuildKit recorded" "FROM busybox" \
	"$(q "$C" "select substr(dockerfile, 1, 12) from provenance where image_id = $iid and predicate_type like '%slsa%'")"
expect_eq "SBOM attestation: its packages counted" 2 \
	"$(q "$C" "select packages from provenance where image_id = $iid and predicate_type like '%spdx%'")"
expect_eq "cosign signature of the image: recorded, by key (no certificate)" "signature|0" \
	"$(q "$C" "select kind || '|' || json_extract(detail, '\$.keyless') from provenance where image_id = $iid and kind = 'signature'")"
expect_eq "the signature manifest is not taken for an image" 1 \
	"$(q "$C" "select count(*) from images where artifact_id = $aid")"

# ---- hostile and broken archives ----
H=$T/h
mkdir -p "$H"
"$PY" "$PWD/tests/data/image/gen-hostile.py" "$H"

dk ingest "$C" "$H/evil.tar"
expect_rc 0 "hostile names: imported"
eid=$(q "$C" "select max(id) from artifacts")
expect_eq "'..' entries are skipped with an anomaly" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $eid and message like '%climbs out%'")"
expect_eq "... and are not in any tree" 0 "$(q "$C" "select count(*) from fs where path like '%escape%'")"
expect_eq "absolute names are noted" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $eid and message like '%absolute path%'")"
expect_eq "a duplicate entry: the later one wins" \
	"$(printf second | sha256sum | cut -c1-64)" \
	"$(q "$C" "select sha256 from fs f join images i on i.id = f.image_id where i.artifact_id = $eid and path = '/etc/dup'")"
expect_eq "a symlink out of the root is kept as data" "/../../../etc/shadow" \
	"$(q "$C" "select link_target from fs f join images i on i.id = f.image_id where i.artifact_id = $eid and path = '/etc/link'")"
dk query --format table "$C" "select path from fs where path like '/etc/ctl%'"
if grep -q $'\x1b' "$T/.out"; then
	fail "a name with an escape sequence reaches the terminal raw"
else
	ok "a name with an escape sequence is shown escaped"
fi
[ ! -e "$T/escape" ] && [ ! -e /escape ] && ok "nothing written outside the case" ||
	fail_only "a file was written outside the case"

dk ingest "$C" "$H/links.tar"
expect_rc 0 "link chains and loops, links out of the root, devices, a FIFO: imported"
lid=$(q "$C" "select max(id) from artifacts")
lim=$(q "$C" "select id from images where artifact_id = $lid")
expect_eq "... a hard-link chain resolves to the content" \
	"$(q "$C" "select sha256 from fs where image_id = $lim and path = '/etc/real'")" \
	"$(q "$C" "select sha256 from fs where image_id = $lim and path = '/etc/h2'")"
expect_eq "... a hard link out of the root is noted" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $lid and message like '%hard link%out of the root%'")"
expect_eq "... devices and a FIFO are rows, not files made" "block char fifo" \
	"$(q "$C" "select group_concat(type, ' ') from (select type from fs where image_id = $lim and path like '/dev/%' order by type)")"
expect_eq "... a name that is not UTF-8 is kept" 1 \
	"$(q "$C" "select count(*) from fs where image_id = $lim and path like '/etc/caf%'")"
[ ! -e /dev/sda.drydock ] && ok "... and nothing was created on this machine" ||
	fail_only "a device node was created"
before=$(head_of "$C")
dk ingest "$C" "$H/bigsize.tar"
expect_rc 1 "a header declaring a terabyte in a small archive is refused"
expect_err "... naming the layer and the offset" "truncated" "offset"
expect_eq "... and the case is unchanged" "$before" "$(head_of "$C")"
dk ingest "$C" "$H/many.tar"
expect_rc 0 "20,000 tiny files in one layer: imported"
expect_eq "... every one indexed" 20000 \
	"$(q "$C" "select nfiles from layers l join image_layers il on il.layer_id = l.id join images i on i.id = il.image_id where i.artifact_id = (select max(id) from artifacts)")"

# A layer shipped again under the digest its name claims is proved by its
# chunks, not walked again; a member whose bytes differ from its name's
# claim is caught and indexed for what it is.
dk ingest "$C" "$H/claim1.tar"
expect_rc 0 "an archive with a layer named by its digest: imported"
dk ingest "$C" "$H/claim3.tar"
expect_rc 0 "another archive shipping that layer: imported"
c3=$(q "$C" "select max(id) from artifacts")
expect_eq "... its layer proved by chunks and not walked again" "1|0|" \
	"$(q "$C" "select (dup_of is not null) || '|' || nfiles || '|' || coalesce(unverified, '') from layer_all where artifact_id = $c3")"
expect_eq "... and its tree is the layer's" 1 \
	"$(q "$C" "select count(*) from fs f join images i on i.id = f.image_id where i.artifact_id = $c3 and f.path = '/blob'")"
dk ingest "$C" "$H/claim2.tar"
expect_rc 0 "an archive whose layer's bytes differ from its name's claim: imported"
c2=$(q "$C" "select max(id) from artifacts")
expect_eq "... the mismatch is an anomaly naming the blob" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = $c2 and message like 'blob %does not hash to its name%'")"
expect_ne "... and the tree holds the member's own bytes, not the claimed layer's" \
	"$(q "$C" "select f.sha256 from fs f join images i on i.id = f.image_id where i.artifact_id = $c3 and f.path = '/blob'")" \
	"$(q "$C" "select f.sha256 from fs f join images i on i.id = f.image_id where i.artifact_id = $c2 and f.path = '/blob'")"

dk ingest "$C" "$H/v1.tar"
expect_rc 0 "a pre-1.10 docker save (repositories and v1 json only): imported"
v1a=$(q "$C" "select max(id) from artifacts")
expect_eq "... its image, tag, layers and history from the v1 chain" "old:1.0|2|app|2" \
	"$(q "$C" "select ref || '|' || nlayers || '|' || user || '|' || (select count(*) from image_layers il where il.image_id = images.id) from images where artifact_id = $v1a")"
expect_eq "... its tree" "/app/run.sh /etc/os-release" \
	"$(q "$C" "select group_concat(path, ' ') from (select f.path from fs f join images i on i.id = f.image_id where i.artifact_id = $v1a and f.type = 'file' order by f.path)")"
expect_eq "... no anomalies" 0 "$(q "$C" "select count(*) from anomalies where artifact_id = $v1a")"

dk ingest "$C" "$H/noend.tar"
expect_rc 0 "a layer without end-of-archive blocks is valid"
expect_eq "... and its file is there" 1 "$(q "$C" "select count(*) from fs where path = '/a/b'")"

dk ingest "$C" "$H/missing.tar"
expect_rc 0 "a manifest naming a missing layer: imported"
expect_eq "... with an anomaly naming it" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = (select max(id) from artifacts) and message like '%is not in the archive%'")"

dk ingest "$C" "$H/baddiff.tar"
expect_rc 0 "a diff_id mismatch: imported"
expect_eq "... with an anomaly naming the layer" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = (select max(id) from artifacts) and message like '%uncompresses to%diff_id is sha256:0000%'")"

dk ingest "$C" "$H/notatar.tar"
expect_rc 0 "a layer that is not a tar: imported"
expect_eq "... with an anomaly" 1 \
	"$(q "$C" "select count(*) from anomalies where artifact_id = (select max(id) from artifacts) and message like '%not a tar stream%'")"

before=$(head_of "$C")
dk ingest "$C" "$H/bomb.tar"
expect_rc 1 "a zstd bomb (1 GiB in $(stat -c %s "$H/bomb.tar") bytes) is refused"
expect_err "... naming the layer and the budget" "decompression bomb" "layer"
expect_eq "... and the case is unchanged" "$before" "$(head_of "$C")"

head -c 3000 "$H/evil.tar" >"$T/trunc.tar"
dk ingest "$C" --as image "$T/trunc.tar"
expect_rc 1 "a truncated archive is refused"
expect_err "... naming the offset" "offset"
printf 'not a tar at all, just text\n' >"$T/plain.txt"
dk ingest "$C" --as image "$T/plain.txt"
expect_rc 1 "--as image on a non-tar: exit 1"
expect_err "... saying why" "not a tar archive"

dk verify "$C"
expect_rc 0 "the case verifies after all of it"

t_done
