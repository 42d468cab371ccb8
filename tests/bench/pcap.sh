#!/usr/bin/env bash
# pcap.sh: drydock's pcap importer against tshark and the bare libpcap read
# loop (run by bench.sh after adfa.sh unless BENCH_PCAP=0; runs alone as
# well).
#
# The capture: loopback-style traffic (Ethernet with zero MACs, 127.0.0.0/8,
# MTU 65536) written by a small generator compiled from this script into
# build/bench/pcap-gen, cached as build/bench/pcap-<MB>m.pcap: thousands of
# TCP connections (handshake, requests and responses of varying sizes both
# ways, FIN from both sides), 64 of them interleaved at any time, a UDP DNS
# query and answer before every fourth connection, every payload byte from
# a xorshift stream (nothing repeats, nothing compresses). Deterministic.
#
#   ingest        drydock -q ingest CASE CAPTURE (fresh case each run) vs
#                 tshark -n -q -z conv,tcp -r CAPTURE (the same flows
#                 summed, nothing kept): time <= 1/3 of tshark's
#   peak RSS      of both: drydock's <= 1/4 of tshark's
#   --reference   drydock -q ingest --reference (path and SHA-256, the
#                 capture parsed, its bytes not stored) vs tshark: <= 1/10
#   libpcap floor tests/oracle/pcap_loop.c, pcap_next_ex over every packet
#                 (reading only: the lower bound of any importer)
#   sha256 floor  openssl dgst -sha256 CAPTURE against tshark: --reference
#                 hashes the whole capture, so this is its lower bound
# Each figure is the median of BENCH_RUNS runs (default 3), page cache
# warm; tshark and drydock runs alternate.
#
# Environment: BENCH_RUNS, BENCH_PCAP_MB (default 512), DRYDOCK (the
# binary). Exit status: 0 when every command ran, even when a target is
# missed; 1 otherwise.
set -euo pipefail
BENCH_TAG=bench-pcap
# shellcheck source=tests/bench/lib.sh
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

cd "$(dirname "$0")/../.."
ROOT=$PWD
DD=${DRYDOCK:-$ROOT/build/drydock}
BD=$ROOT/build/bench
RUNS=${BENCH_RUNS:-3}
MB=${BENCH_PCAP_MB:-512}

TGT_TIME=0.333 # drydock ingest / tshark conv,tcp, at most
TGT_RSS=0.25   # drydock peak RSS / tshark's, at most
TGT_REF=0.10   # drydock ingest --reference / tshark, at most

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"
[[ $MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_PCAP_MB must be a positive integer"
[ -x "$DD" ] || die "no drydock binary at $DD (run ./build.sh bench)"
command -v tshark >/dev/null || die "tshark is missing (apt-get install tshark)"
mkdir -p "$BD"
WORK=$BD/pcap-work.$$
mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT

LOOP=$BD/pcap-loop
if [ ! -x "$LOOP" ] || [ "$ROOT/tests/oracle/pcap_loop.c" -nt "$LOOP" ]; then
	cc -O2 -o "$LOOP" "$ROOT/tests/oracle/pcap_loop.c" -lpcap ||
	    die "cannot build $LOOP"
fi

# The generator (kept in this script; rebuilt when the script changes).
GEN=$BD/pcap-gen
if [ ! -x "$GEN" ] || [ "$0" -nt "$GEN" ]; then
	cat >"$WORK/gen.c" <<'EOF'
/* pcap-gen MB OUT: loopback-style TCP and DNS traffic, MB MiB of pcap. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIVE 64
static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}
static FILE *out;
static uint64_t total, ts_ns = 1700000000ull * 1000000000ull;
static uint8_t pkt[70000];

static void
put16(uint8_t *p, unsigned v) { p[0] = v >> 8; p[1] = v; }
static void
put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

static void
fill(uint8_t *p, size_t n)
{
	size_t i;
	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t r = rnd();
		memcpy(p + i, &r, 8);
	}
	for (; i < n; i++)
		p[i] = (uint8_t)rnd();
}

/* Ethernet (zero MACs) + IPv4 header for proto and l4 bytes of l4len. */
static void
emit(uint32_t src, uint32_t dst, int proto, size_t l4len)
{
	uint8_t *ip = pkt + 14;
	uint32_t sum = 0, rec[4];
	size_t n = 14 + 20 + l4len, i;

	memset(pkt, 0, 12);
	put16(pkt + 12, 0x0800);
	ip[0] = 0x45; ip[1] = 0;
	put16(ip + 2, (unsigned)(20 + l4len));
	put16(ip + 4, (unsigned)(total & 0xffff));
	put16(ip + 6, 0x4000);
	ip[8] = 64; ip[9] = (uint8_t)proto;
	put16(ip + 10, 0);
	put32(ip + 12, src);
	put32(ip + 16, dst);
	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(ip + 10, ~sum & 0xffff);
	ts_ns += 2000 + rnd() % 8000;
	rec[0] = (uint32_t)(ts_ns / 1000000000ull);
	rec[1] = (uint32_t)(ts_ns % 1000000000ull / 1000);
	rec[2] = rec[3] = (uint32_t)n;
	fwrite(rec, 4, 4, out);
	fwrite(pkt, 1, n, out);
	total += 16 + n;
}

struct conn {
	uint32_t c, s;
	unsigned cp, sp;
	uint32_t cseq, sseq;
	int phase, left; /* left: exchanges to go */
};

static void
tcp(struct conn *k, int from_client, unsigned flags, size_t len)
{
	uint8_t *t = pkt + 34;
	uint32_t *seq = from_client ? &k->cseq : &k->sseq;
	uint32_t ack = from_client ? k->sseq : k->cseq;

	put16(t, from_client ? k->cp : k->sp);
	put16(t + 2, from_client ? k->sp : k->cp);
	put32(t + 4, *seq);
	put32(t + 8, (flags & 0x10) ? ack : 0);
	t[12] = 5 << 4;
	t[13] = (uint8_t)flags;
	put16(t + 14, 65483);
	put32(t + 16, 0);
	fill(t + 20, len);
	emit(from_client ? k->c : k->s, from_client ? k->s : k->c, 6,
	    20 + len);
	*seq += (uint32_t)len + ((flags & 0x03) ? 1 : 0);
}

static size_t
dnsname(uint8_t *p, unsigned id)
{
	char lab[32];
	size_t n = 0;
	int l = snprintf(lab, sizeof(lab), "svc%u", id);

	p[n++] = (uint8_t)l; memcpy(p + n, lab, l); n += l;
	p[n++] = 7; memcpy(p + n, "cluster", 7); n += 7;
	p[n++] = 5; memcpy(p + n, "local", 5); n += 5;
	p[n++] = 0;
	return n;
}

static void
dns(unsigned id, uint32_t client)
{
	uint8_t *u = pkt + 34, *d = u + 8;
	size_t n = 12, q;
	unsigned sport = 30000 + id % 30000;

	memset(d, 0, 12);
	put16(d, id & 0xffff); put16(d + 2, 0x0100); put16(d + 4, 1);
	q = dnsname(d + 12, id);
	n += q;
	put16(d + n, 1); put16(d + n + 2, 1); n += 4;
	put16(u, sport); put16(u + 2, 53); put16(u + 4, (unsigned)(8 + n));
	put16(u + 6, 0);
	emit(client, 0x7f000035, 17, 8 + n);
	put16(d + 2, 0x8180); put16(d + 6, 1);
	put16(d + n, 0xc00c); put16(d + n + 2, 1); put16(d + n + 4, 1);
	put32(d + n + 6, 30); put16(d + n + 10, 4);
	put32(d + n + 12, 0x0a000000 | (id & 0xffffff));
	n += 16;
	put16(u, 53); put16(u + 2, sport); put16(u + 4, (unsigned)(8 + n));
	emit(0x7f000035, client, 17, 8 + n);
}

static size_t
segsize(void)
{
	uint64_t r = rnd() % 100;
	return r < 50 ? 64 + rnd() % 1400 : r < 90 ? 1400 + rnd() % 8000 :
	    16384 + rnd() % 49000;
}

int
main(int argc, char **argv)
{
	struct conn live[LIVE];
	uint64_t limit;
	uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65536, 1 };
	unsigned next = 0;
	int i;

	if (argc != 3 || (out = fopen(argv[2], "wb")) == NULL)
		return 2;
	limit = strtoull(argv[1], NULL, 10) << 20;
	fwrite(hdr, 4, 6, out);
	total = 24;
	memset(live, 0, sizeof(live));
	for (;;) {
		for (i = 0; i < LIVE; i++) {
			struct conn *k = &live[i];
			if (k->phase == 0) {
				if (total >= limit)
					continue;
				k->c = 0x7f000001 + (next % 200);
				k->s = 0x7f000001 + ((next / 200) % 4) * 0x100;
				k->cp = 32768 + (next % 28000);
				k->sp = (unsigned[]){ 80, 443, 5432, 8080 }[next % 4];
				k->cseq = (uint32_t)rnd();
				k->sseq = (uint32_t)rnd();
				k->left = 1 + (int)(rnd() % 12);
				if (next % 4 == 0)
					dns(next, k->c);
				next++;
				tcp(k, 1, 0x02, 0);
				k->phase = 1;
			} else if (k->phase == 1) {
				tcp(k, 0, 0x12, 0);
				tcp(k, 1, 0x10, 0);
				k->phase = 2;
			} else if (k->phase == 2) {
				tcp(k, 1, 0x18, segsize() / 4);
				tcp(k, 0, 0x18, segsize());
				tcp(k, 1, 0x10, 0);
				if (--k->left == 0)
					k->phase = 3;
			} else if (k->phase == 3) {
				tcp(k, 1, 0x11, 0);
				tcp(k, 0, 0x11, 0);
				tcp(k, 1, 0x10, 0);
				k->phase = 0;
			}
		}
		if (total >= limit) {
			for (i = 0; i < LIVE; i++)
				if (live[i].phase != 0)
					break;
			if (i == LIVE)
				break;
		}
	}
	fprintf(stderr, "%u connections, %llu bytes\n", next,
	    (unsigned long long)total);
	return fclose(out) != 0;
}
EOF
	cc -O2 -o "$GEN" "$WORK/gen.c" || die "cannot build $GEN"
	rm -f "$BD"/pcap-*m.pcap
fi
CAP=$BD/pcap-${MB}m.pcap
if [ ! -s "$CAP" ]; then
	say "writing $CAP (${MB} MiB of loopback TCP and DNS)"
	"$GEN" "$MB" "$CAP.tmp" 2>"$WORK/gen.out" || die "cannot write the capture"
	mv "$CAP.tmp" "$CAP"
	cat "$WORK/gen.out" >&2
fi
cat "$CAP" >/dev/null
CSIZE=$(stat -c %s "$CAP")
read -r NPKT _ LERR < <("$LOOP" "$CAP")
[ "$LERR" = - ] || die "libpcap cannot read $CAP: $LERR"

# how busy the CPUs already are (as bench.sh): times on a busy machine
# are noisy
busy_pct() {
	local a b
	read -ra a < <(grep '^cpu ' /proc/stat)
	sleep 1
	read -ra b < <(grep '^cpu ' /proc/stat)
	awk -v u="$((b[1] + b[2] + b[3] + b[6] + b[7] + b[8] - a[1] - a[2] - a[3] - a[6] - a[7] - a[8]))" \
	    -v i="$((b[4] + b[5] - a[4] - a[5]))" \
	    'BEGIN { printf "%.0f", (u + i) ? 100 * u / (u + i) : 0 }'
}
BUSY=$(busy_pct 2>/dev/null || echo '?')
[ "$BUSY" != '?' ] && [ "$BUSY" -gt 20 ] &&
    say "WARNING: ${BUSY}% of CPU busy before the start: times will be noisy"


for f in d t r l s dm tm; do : >"$WORK/$f"; done
for i in $(seq "$RUNS"); do
	timed tshark -n -q -z conv,tcp -r "$CAP" >"$WORK/conv.out"
	echo "$T_WALL" >>"$WORK/t"
	echo "$T_RSS" >>"$WORK/tm"
	rm_case "$WORK/c.dd"
	"$DD" -q init "$WORK/c.dd" >/dev/null
	sync
	timed "$DD" -q ingest "$WORK/c.dd" "$CAP" >/dev/null
	echo "$T_WALL" >>"$WORK/d"
	echo "$T_RSS" >>"$WORK/dm"
	rm_case "$WORK/r.dd"
	"$DD" -q init "$WORK/r.dd" >/dev/null
	sync
	timed "$DD" -q ingest --reference "$WORK/r.dd" "$CAP" >/dev/null
	echo "$T_WALL" >>"$WORK/r"
	timed "$LOOP" "$CAP" >/dev/null
	echo "$T_WALL" >>"$WORK/l"
	if command -v openssl >/dev/null; then
		timed openssl dgst -sha256 "$CAP" >/dev/null
		echo "$T_WALL" >>"$WORK/s"
	fi
done
D=$(median <"$WORK/d")
T=$(median <"$WORK/t")
R=$(median <"$WORK/r")
L=$(median <"$WORK/l")
DM=$(($(median <"$WORK/dm") / 1024))
TM=$(($(median <"$WORK/tm") / 1024))
q() { "$DD" query --format csv "$WORK/c.dd" "$1" | tail -1; }
FLOWS=$(q "select count(*) from flows where proto = 'tcp'")
DNSN=$(q "select count(*) from dns")
PK=$(q "select sum(npkts) from packet_chunks")
# tshark's conversation count (the lines between the header and the end)
CONV=$(awk '/^====/ { n++; next } n == 1 && /<->/ { c++ } END { print c + 0 }' "$WORK/conv.out")
[ "$PK" = "$NPKT" ] || die "drydock indexed $PK packets, libpcap reads $NPKT"
[ "$FLOWS" = "$CONV" ] || say "WARNING: $FLOWS TCP flows, tshark $CONV conversations"
CASE_MB=$(( ($(stat -c %s "$WORK/c.dd") + $(stat -c %s "$WORK/c.dd-wal" 2>/dev/null || echo 0)) >> 20 ))

ROWS=()
RT=$(ratio "$D" "$T")
row "pcap ingest $MB MiB (s)" "$D" "$T" "tshark conv,tcp" "$RT" \
    "<= $TGT_TIME" "$(yes_no "$RT <= $TGT_TIME")"
RM=$(ratio "$DM" "$TM")
row "pcap ingest peak RSS (MiB)" "$DM" "$TM" "tshark conv,tcp" "$RM" \
    "<= $TGT_RSS" "$(yes_no "$RM <= $TGT_RSS")"
RR=$(ratio "$R" "$T")
row "pcap ingest --reference (s)" "$R" "$T" "tshark conv,tcp" "$RR" \
    "<= $TGT_REF" "$(yes_no "$RR <= $TGT_REF")"
row "libpcap read loop, the floor (s)" "$D" "$L" "pcap_next_ex" \
    "$(ratio "$D" "$L")" - -
if [ -s "$WORK/s" ]; then
	# --reference must hash the whole capture: SHA-256 alone (OpenSSL,
	# SHA-NI where the CPU has it) is its floor, against tshark as well.
	S=$(median <"$WORK/s")
	row "openssl dgst -sha256 alone, --reference's floor (s)" "$S" "$T" \
	    "tshark conv,tcp" "$(ratio "$S" "$T")" - -
fi
row "pcap packets/s (ingest)" \
    "$(awk -v n="$NPKT" -v t="$D" 'BEGIN { printf "%.0f", n / t }')" - - - - -
row "pcap flows: tcp (tshark conversations), dns" "$FLOWS ($CONV), $DNSN" - - - - -
row "pcap case size (MiB)" "$CASE_MB" "$((CSIZE >> 20))" "capture" - - -

append_results

echo
print_table
echo "(pcap capture of $NPKT packets, $CSIZE bytes; median of $RUNS runs," \
    "page cache warm; $(nproc) cores, ${BUSY}% busy before the start;" \
    "build/bench/results.tsv)"
