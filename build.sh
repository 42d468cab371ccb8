#!/usr/bin/env bash
# build.sh: drydock's one entry point.
#   ./build.sh [build]        release build; binary at build/drydock
#   ./build.sh debug|asan     build that variant (build/<variant>/)
#   ./build.sh deps           install missing Debian packages (apt-get)
#   ./build.sh test [SUITE]   asan build, then tests/run (unit cli fuzz lint)
#   ./build.sh demo           build, then make demo.drydock and report on it
#   ./build.sh bench [--check] performance table against peer tools
#                             (--check: exit 1 when a target is missed)
#   ./build.sh fuzz [TARGET|all] [SECONDS]   libFuzzer (clang)
#   ./build.sh plugin         build the example out-of-tree analyzer
#   ./build.sh clean
# Each command installs and builds what it needs first.
set -euo pipefail
cd "$(dirname "$0")"
JOBS=$(nproc 2>/dev/null || echo 2)

# Debian packages: build and test needs, and the command or pkg-config
# name that proves each is present.
DEPS_PKG=(
	"gcc:cmd:gcc" "make:cmd:make" "pkg-config:cmd:pkg-config"
	"libsqlite3-dev:pc:sqlite3" "libzstd-dev:pc:libzstd"
	"libarchive-dev:pc:libarchive" "libssl-dev:pc:libcrypto"
	"libjansson-dev:pc:jansson" "libpcap-dev:pc:libpcap"
	"libncurses-dev:pc:ncursesw" "zlib1g-dev:pc:zlib"
	"libyara-dev:pc:yara" "libyaml-dev:pc:yaml-0.1"
)
DEPS_TEST=(
	"sqlite3:cmd:sqlite3" "zstd:cmd:zstd" "python3:cmd:python3"
	"tmux:cmd:tmux" "bsdextrautils:cmd:hexdump" "time:file:/usr/bin/time"
	"auditd:cmd:ausyscall" "sysdig:cmd:sysdig" "tshark:cmd:tshark"
	"libarchive-tools:cmd:bsdtar" "umoci:cmd:umoci" "skopeo:cmd:skopeo"
	"elfutils:cmd:eu-readelf" "gdb:cmd:gcore" "jq:cmd:jq"
	"podman:cmd:podman" "runc:cmd:runc" "busybox-static:cmd:busybox"
	"containerd:cmd:ctr" "parallel:cmd:parallel" "munge:cmd:munged"
	"slurmctld:cmd:slurmctld" "slurmd:cmd:slurmd" "slurm-client:cmd:sbatch"
	"python3-jsonschema:file:/usr/lib/python3/dist-packages/jsonschema/__init__.py"
	"python3-yaml:file:/usr/lib/python3/dist-packages/yaml/__init__.py"
	"libseccomp-dev:file:/usr/include/seccomp.h"
	"apparmor:cmd:apparmor_parser" "strace:cmd:strace"
)
DEPS_FUZZ=( "clang:cmd:clang" "libclang-rt-14-dev:file:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a" )
DEPS_BENCH=( "zstd:cmd:zstd" "time:file:/usr/bin/time" "hyperfine:cmd:hyperfine"
	"sysdig:cmd:sysdig" "umoci:cmd:umoci" "skopeo:cmd:skopeo"
	"tshark:cmd:tshark" "gdb:cmd:gcore" "jq:cmd:jq" "auditd:cmd:ausearch"
	"libfalcosecurity0-dev:file:/usr/include/falcosecurity-libs/userspace/libscap/scap.h" )

missing_of() {
	local spec pkg kind what out=()
	for spec in "$@"; do
		IFS=: read -r pkg kind what <<<"$spec"
		case $kind in
		cmd) command -v "$what" >/dev/null 2>&1 || out+=("$pkg") ;;
		pc) pkg-config --exists "$what" 2>/dev/null || out+=("$pkg") ;;
		file) [ -e "$what" ] || out+=("$pkg") ;;
		esac
	done
	echo "${out[@]:-}"
}

install_pkgs() {
	local miss
	miss=$(missing_of "$@")
	[ -z "${miss// /}" ] && return 0
	echo "build.sh: installing Debian packages: $miss" >&2
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	if ! $sudo apt-get install -y -q --no-install-recommends $miss >&2; then
		$sudo apt-get update -q >&2
		$sudo apt-get install -y -q --no-install-recommends $miss >&2
	fi
}

build_variant() {
	local v=$1
	install_pkgs "${DEPS_PKG[@]}"
	[ "$v" = fuzz ] && install_pkgs "${DEPS_FUZZ[@]}"
	make -j"$JOBS" VARIANT="$v" ${2:-all}
	if [ "$v" = release ]; then
		cp -f build/release/drydock build/drydock.tmp
		mv -f build/drydock.tmp build/drydock
	fi
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case $cmd in
build | release) build_variant release ;;
debug) build_variant debug ;;
asan) build_variant asan ;;
deps)
	install_pkgs "${DEPS_PKG[@]}" "${DEPS_TEST[@]}" "${DEPS_FUZZ[@]}" \
		"${DEPS_BENCH[@]}"
	echo "build.sh: dependencies present" ;;
test)
	install_pkgs "${DEPS_TEST[@]}"
	build_variant release
	build_variant asan
	make -j"$JOBS" VARIANT=asan plugin-example
	exec tests/run "$@" ;;
demo)
	build_variant release
	exec datasets/demo.sh "$@" ;;
bench)
	install_pkgs "${DEPS_BENCH[@]}"
	build_variant release
	exec tests/bench/bench.sh "$@" ;;
fuzz)
	build_variant fuzz fuzz
	exec tests/fuzz/run.sh "$@" ;;
plugin)
	build_variant release
	make -j"$JOBS" VARIANT=release plugin-example
	echo "build.sh: build/release/plugins/example.so" ;;
lint)
	install_pkgs "${DEPS_TEST[@]}"
	build_variant release
	exec tests/run lint ;;
clean) rm -rf build ;;
*)
	sed -n '2,13p' "$0" >&2
	exit 2 ;;
esac
