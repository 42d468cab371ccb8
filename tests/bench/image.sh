#!/usr/bin/env bash
# image.sh: drydock's image importer against zstd (run by bench.sh unless
# BENCH_IMAGE=0; runs alone as well).
#
# The archives, built once with umoci and skopeo and cached in build/bench:
#   image-a.tar  a docker-archive (uncompressed layers, as `docker save`
#                writes them) of three layers: /usr/lib/gcc of this machine
#                (compilers and libraries, ~240 MB), /usr/share/man
#                (~90 MB of gzip'd pages: incompressible), and /etc;
#   image-b.tar  the same image with one more small layer (a changed file),
#                saved on its own: every layer of image-a is shared.
#
#   import        drydock -q ingest CASE image-a.tar (fresh case: every
#                 file hashed, indexed, the archive kept) vs zstd -3 -T1 of
#                 the same archive: at most 2x
#   second        drydock -q ingest CASE image-b.tar into the case that
#                 holds image-a: at most 25% of the first import's time
#   storage       the case's growth from that second import: at most 10%
# Each figure is the median of BENCH_RUNS runs (default 3), page cache warm.
#
# Environment: BENCH_RUNS, DRYDOCK (the binary). Exit status: 0 when every
# command ran, even when a target is missed; 1 otherwise.
set -euo pipefail
BENCH_TAG=bench-image
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
RUNS=${BENCH_RUNS:-3}

TGT_TIME=2.0	# import / zstd -3 -T1, at most
TGT_SECOND=0.25	# second import / first import, at most
TGT_STORE=0.10	# case growth from the second / case size after the first

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh bench)"
for c in umoci skopeo zstd; do
	command -v $c >/dev/null || die "$c is missing (./build.sh deps)"
done
mkdir -p "$BD"
WORK=$BD/image-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

A=$BD/image-a.tar
B=$BD/image-b.tar
if [ ! -s "$A" ] || [ ! -s "$B" ] || [ "$0" -nt "$A" ]; then
	say "building $A and $B (umoci, skopeo)"
	L=$WORK/layout
	umoci init --layout "$L" >/dev/null
	umoci new --image "$L:a" >/dev/null
	umoci unpack --rootless --image "$L:a" "$WORK/b" >/dev/null
	r=$WORK/b/rootfs
	mkdir -p "$r/usr/lib" "$r/usr/share"
	cp -a /usr/lib/gcc "$r/usr/lib/"
	umoci repack --refresh-bundle --image "$L:a" "$WORK/b" >/dev/null
	cp -a /usr/share/man "$r/usr/share/"
	umoci repack --refresh-bundle --image "$L:a" "$WORK/b" >/dev/null
	cp -a /etc "$r/" 2>/dev/null || true
	umoci repack --refresh-bundle --image "$L:a" "$WORK/b" >/dev/null
	umoci tag --image "$L:a" b >/dev/null
	umoci unpack --rootless --image "$L:b" "$WORK/c" >/dev/null
	echo "changed $(date -u +%F)" >"$WORK/c/rootfs/etc/motd"
	umoci repack --image "$L:b" "$WORK/c" >/dev/null
	rm -f "$A" "$B"
	skopeo copy "oci:$L:a" "docker-archive:$A.tmp:bench:a" >/dev/null
	skopeo copy "oci:$L:b" "docker-archive:$B.tmp:bench:b" >/dev/null
	mv "$A.tmp" "$A"
	mv "$B.tmp" "$B"
	chmod -R u+w "$WORK" 2>/dev/null || true
fi
cat "$A" "$B" >/dev/null
ASIZE=$(stat -c %s "$A")

csize() { echo $(($(stat -c %s "$1") + $(stat -c %s "$1-wal" 2>/dev/null || echo 0))); }
for f in d z s g m; do : >"$WORK/$f"; done
for i in $(seq "$RUNS"); do
	timed zstd -q -3 -T1 -c "$A" >/dev/null
	echo "$T_WALL" >>"$WORK/z"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	sync
	timed "$DD" -q ingest "$WORK/c.dd" "$A" >/dev/null
	echo "$T_WALL" >>"$WORK/d"
	echo "$T_RSS" >>"$WORK/m"
	s1=$(csize "$WORK/c.dd")
	timed "$DD" -q ingest "$WORK/c.dd" "$B" >/dev/null
	echo "$T_WALL" >>"$WORK/s"
	s2=$(csize "$WORK/c.dd")
	awk -v a="$s1" -v b="$s2" 'BEGIN { printf "%.4f\n", (b - a) / a }' >>"$WORK/g"
done
D=$(median <"$WORK/d")
Z=$(median <"$WORK/z")
S=$(median <"$WORK/s")
G=$(median <"$WORK/g")
DM=$(($(median <"$WORK/m") / 1024))
q() { "$DD" query --format csv "$WORK/c.dd" "$1" | tail -1; }
NF=$(q "select count(*) from files")
NL=$(q "select count(*) from layers")
NI=$(q "select count(*) from images")
[ "$NI" = 2 ] || die "expected 2 images, the case holds $NI"
CASE_MB=$(($(csize "$WORK/c.dd") >> 20))

ROWS=()
RT=$(ratio "$D" "$Z")
row "image import $((ASIZE >> 20)) MiB (s)" "$D" "$Z" "zstd -3 -T1" "$RT" \
    "<= $TGT_TIME" "$(yes_no "$RT <= $TGT_TIME")"
RS=$(ratio "$S" "$D")
row "image second import, shared layers (s)" "$S" "$D" "first import" "$RS" \
    "<= $TGT_SECOND" "$(yes_no "$RS <= $TGT_SECOND")"
row "image second import, case growth" "$G" - - "$G" "<= $TGT_STORE" \
    "$(yes_no "$G <= $TGT_STORE")"
row "image import peak RSS (MiB)" "$DM" - - - - -
row "image files, layers, images" "$NF, $NL, $NI" - - - - -
row "image case size (MiB)" "$CASE_MB" "$((ASIZE >> 20))" "archive a" - - -

append_results

echo
print_table
echo "(docker-archive of $ASIZE bytes; median of $RUNS runs, page cache" \
    "warm; $(nproc) cores; build/bench/results.tsv)"
