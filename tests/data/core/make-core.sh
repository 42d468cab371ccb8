#!/usr/bin/env bash
# make-core.sh OUTDIR: build implant.c (and preload.c) and take cores with
# gdb's gcore: OUTDIR/implant.core (RWX anonymous mapping with a marker and
# an ELF header, miner URL and docker.sock strings, LD_PRELOAD and
# DRYDOCK_TEST=1 in its environment, argv "implant" "arg two") and
# OUTDIR/plain.core (the same program, argv "plain", nothing injected).
# Prints nothing on success; exits 77 when cc or gcore is missing.
set -euo pipefail
out=${1:?usage: make-core.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
command -v cc >/dev/null && command -v gcore >/dev/null || exit 77
mkdir -p "$out"
cc -O0 -o "$out/implant" "$here/implant.c"
cc -shared -fPIC -o "$out/libpreload.so" "$here/preload.c"
take() { # NAME ENV... -- ARGS...
	local name=$1 fifo="$out/$1.fifo" pid line
	shift
	rm -f "$fifo"
	mkfifo "$fifo"
	env "$@" >"$fifo" &
	pid=$!
	read -r line <"$fifo"
	[ "$line" = ready ] || { kill "$pid"; exit 1; }
	gcore -o "$out/$name" "$pid" >/dev/null 2>&1 || { kill "$pid"; exit 1; }
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	mv "$out/$name.$pid" "$out/$name.core"
	echo "$pid" >"$out/$name.pid"
	rm -f "$fifo"
}
take implant -i PATH=/usr/bin:/bin DRYDOCK_TEST=1 \
    LD_PRELOAD="$out/libpreload.so" "$out/implant" implant "arg two"
take plain -i PATH=/usr/bin:/bin "$out/implant" plain
