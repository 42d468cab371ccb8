#!/usr/bin/env bash
# make-podman.sh start|inspect OUTDIR|stop: three real podman containers
# (runc, vfs storage, no network: how podman runs on the build machines,
# see ../shared/docs/TOOLS.md) from a busybox image made here offline:
#   dd-priv   --privileged
#   dd-hostpid --pid host --cap-add SYS_ADMIN -v /run:/run
#   dd-plain  --user 1000:1000 --cap-drop ALL --read-only
# each running `sleep 100000`. `inspect OUTDIR` writes podman inspect of
# each (podman-priv.json, podman-hostpid.json, podman-plain.json) and of
# all three as one array (podman-all.json). Exit 77 when podman, runc or
# busybox is missing or podman cannot run a container here.
set -euo pipefail
P=(podman --storage-driver vfs --runtime runc)
RUN=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --network none)
have() { command -v podman >/dev/null && command -v runc >/dev/null &&
	command -v busybox >/dev/null; }
case ${1:-} in
start)
	have || exit 77
	if ! "${P[@]}" image exists localhost/dd-busybox 2>/dev/null; then
		r=$(mktemp -d)
		chmod 755 "$r"
		mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev" "$r/run"
		cp "$(command -v busybox)" "$r/bin/busybox"
		for a in sh sleep cat ls id ps; do ln -s busybox "$r/bin/$a"; done
		echo 'root:x:0:0:root:/:/bin/sh' >"$r/etc/passwd"
		tar -C "$r" -cf "$r.tar" .
		"${P[@]}" import "$r.tar" localhost/dd-busybox >/dev/null
		rm -rf "$r" "$r.tar"
	fi
	"$0" stop >/dev/null 2>&1 || true
	"${P[@]}" run -d --name dd-priv "${RUN[@]}" --privileged \
		localhost/dd-busybox sleep 100000 >/dev/null || exit 77
	"${P[@]}" run -d --name dd-hostpid "${RUN[@]}" --pid host \
		--cap-add SYS_ADMIN -v /run:/run localhost/dd-busybox \
		sleep 100000 >/dev/null
	"${P[@]}" run -d --name dd-plain "${RUN[@]}" --user 1000:1000 \
		--cap-drop ALL --read-only localhost/dd-busybox \
		sleep 100000 >/dev/null
	;;
inspect)
	out=${2:?usage: make-podman.sh inspect OUTDIR}
	mkdir -p "$out"
	for n in priv hostpid plain; do
		"${P[@]}" inspect "dd-$n" >"$out/podman-$n.json"
	done
	"${P[@]}" inspect dd-priv dd-hostpid dd-plain >"$out/podman-all.json"
	;;
stop)
	"${P[@]}" rm -f -t 0 dd-priv dd-hostpid dd-plain >/dev/null 2>&1 || true
	;;
*)
	echo "usage: make-podman.sh start|inspect OUTDIR|stop" >&2
	exit 2
	;;
esac
