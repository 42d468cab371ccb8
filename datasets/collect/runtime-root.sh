#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# runtime-root.sh [-r ROOT]... OUT.tar | -
#
# A read-only collector: copies what a container runtime keeps on disk into
# one tar for drydock's runtime importer (ingest/imp-runtime.c), without
# stopping, mounting or entering anything. POSIX sh, GNU tar (for
# --xattrs: the overlay opaque-directory attribute must survive).
#
# Each ROOT (default: /var/lib/docker, /var/lib/containers/storage and
# /var/lib/containerd, those that exist) contributes:
#   Docker:             containers/ (config.v2.json, hostconfig.json,
#                       logs), image/ (layer and image databases),
#                       overlay2/*/diff, overlay2/*/lower, overlay2/*/link,
#                       aufs/diff, aufs/layers
#   containers/storage: *-containers/, *-layers/, *-images/, vfs/dir,
#                       overlay/*/diff, overlay/*/lower, overlay/*/link
#   containerd:         io.containerd.metadata.v1.bolt/meta.db, the
#                       overlayfs and native snapshotters' metadata.db
#                       and snapshots/*/fs (overlayfs) or snapshots/*
#                       (native); not the content store (images: import
#                       them with ctr images export)
# Never: overlay2/*/merged and overlay/*/merged (mounted views: the same
# bytes again), overlay2/*/work, overlayfs snapshots' work/, volumes'
# data, swarm and plugin state. A live containerd holds meta.db open: bbolt
# writes whole pages, so a copy may be older than the runtime, not torn.
#
# Whiteouts (character devices 0/0) and special files are archived as tar
# entries, never read. Files that vanish or change while being read make
# tar warn; the collector goes on and says so in its exit status.
#
# Exit status: 0 written; 1 written, but tar reported files that changed or
# vanished (live runtime) or could not be read; 2 usage or nothing to copy.

usage() {
	echo "usage: runtime-root.sh [-r ROOT]... OUT.tar | -" >&2
	exit 2
}

roots=
while [ $# -gt 0 ]; do
	case $1 in
	-r)
		[ $# -ge 2 ] || usage
		case $2 in
		/*) ;;
		*) echo "runtime-root.sh: ROOT must be an absolute path" >&2; exit 2 ;;
		esac
		roots="$roots
$2"
		shift 2
		;;
	-h | --help)
		sed -n '3,34p' "$0" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	--)
		shift
		break
		;;
	-*) usage ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
out=$1
if [ -z "$roots" ]; then
	for r in /var/lib/docker /var/lib/containers/storage \
		/var/lib/containerd; do
		[ -d "$r" ] && roots="$roots
$r"
	done
fi
list=$(mktemp "${TMPDIR:-/tmp}/runtime-root.XXXXXX") || exit 1
trap 'rm -f "$list"' EXIT INT TERM
n=0
old_ifs=$IFS
IFS='
'
for r in $roots; do
	[ -n "$r" ] || continue
	if [ ! -d "$r" ]; then
		echo "runtime-root.sh: $r: not a directory" >&2
		continue
	fi
	for p in containers image aufs/diff aufs/layers \
		vfs/dir; do
		[ -e "$r/$p" ] && echo "$r/$p" >>"$list"
	done
	for d in "$r"/*-containers "$r"/*-layers "$r"/*-images; do
		[ -e "$d" ] && echo "$d" >>"$list"
	done
	c=io.containerd
	for p in $c.metadata.v1.bolt/meta.db \
		$c.snapshotter.v1.overlayfs/metadata.db \
		$c.snapshotter.v1.native/metadata.db \
		$c.snapshotter.v1.native/snapshots; do
		[ -e "$r/$p" ] && echo "$r/$p" >>"$list"
	done
	for d in "$r/$c.snapshotter.v1.overlayfs/snapshots"/*; do
		[ -d "$d/fs" ] && echo "$d/fs" >>"$list"
	done
	for drv in overlay2 overlay; do
		for d in "$r/$drv"/*; do
			[ -d "$d" ] || continue
			for s in diff lower link; do
				[ -e "$d/$s" ] && echo "$d/$s" >>"$list"
			done
		done
	done
	n=$((n + 1))
done
IFS=$old_ifs
if [ "$n" -eq 0 ] || [ ! -s "$list" ]; then
	echo "runtime-root.sh: no runtime root to copy" >&2
	exit 2
fi
# Names are stored relative to / (var/lib/docker/...); --xattrs keeps
# trusted.overlay.opaque and user.overlay.opaque.
sed -i 's|^/||' "$list"
tar -C / --xattrs --xattrs-include='trusted.*' --xattrs-include='user.*' \
	--numeric-owner --ignore-failed-read -cf "$out" -T "$list"
[ $? -eq 0 ] && exit 0
exit 1
