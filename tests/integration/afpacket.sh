#!/usr/bin/env bash
# AF_PACKET live capture, for real: `minetrace scan -i` (AF_PACKET with a
# TPACKET_V3 ring in a fanout group, the Linux default) on one end of a veth
# pair in private network namespaces while tcpreplay sends real mining
# captures from the corpus from the other end, at full speed and at a set
# rate. Checks that the live findings are those of a file scan of the same
# capture (kind, family, pool, client and server), that what tcpreplay sent
# is all accounted for (received by filter = sent; captured + dropped by
# kernel = received), that the per-thread counters are in --stats and sum to
# the totals, that a full-speed replay into a small ring reports its drops
# as numbers, that VLAN tags taken out by the kernel are put back, that the
# BPF filter runs in the kernel, that -Z drops privileges after the sockets
# are open, that SIGINT stops cleanly, that --capture pcap still works, and
# that a missing interface is a clear error with exit status 2; and scan -j 2
# fed live.
# MT_AFP_BIG=FILE replays FILE (e.g. the bench capture) in the full-speed run.
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-.}
C=${MT_CORPUS:-$SRC/../shared/corpus}
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v tcpreplay >/dev/null ||
   ! command -v jq >/dev/null; then
  echo "SKIP: needs root, iproute2, tcpreplay and jq"; exit 0
fi
if [ "$(uname -s)" != Linux ]; then echo "SKIP: AF_PACKET is Linux only"; exit 0; fi
P=$C/pcap
if [ ! -d "$P" ]; then echo "SKIP: no corpus at $C"; exit 0; fi
ns=mtafp$$ va=afa$$ vb=afb$$
tmp=$(mktemp -d); [ -z "${KEEP:-}" ] || echo "kept: $tmp"
cleanup() {
  [ -z "${pid:-}" ] || kill -KILL "$pid" 2>/dev/null || true
  ip netns del "${ns}a" 2>/dev/null || true; ip netns del "${ns}b" 2>/dev/null || true
  [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
ip netns add "${ns}a"; ip netns add "${ns}b"
ip link add "$va" netns "${ns}a" type veth peer name "$vb" netns "${ns}b"
for s in a b; do
  # nothing of our own on the link: no IPv6 (router solicitations, MLD)
  ip netns exec "${ns}$s" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
  ip netns exec "${ns}$s" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
# captures hold frames larger than 1500 bytes (offloads): the largest MTU
# a veth takes, so tcpreplay can send every one
ip -n "${ns}a" link set "$va" mtu 65535 up; ip -n "${ns}b" link set "$vb" mtu 65535 up
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# The identity of each finding, one line each, sorted.
ident() { jq -r '[.event_type, (.mining // .precursor // {} | .kind, .family, .pool),
                  .src_ip, .dest_ip, (.dest_port | tostring)] | join(" ")' "$1" | sort -u; }
# The numbers of the closing line and of the per-thread lines.
totals() { grep -E "^minetrace: $vb: [0-9]+ packets captured" "$1" |
           sed -E 's/.*: ([0-9]+) packets captured, ([0-9]+) received by filter, ([0-9]+) dropped by kernel.*/\1 \2 \3/'; }
thread_sum() { grep -E '^capture thread [0-9]+:' "$1" |
               sed -E 's/.*: ([0-9]+) received by filter, ([0-9]+) dropped by kernel.*/\1 \2/' |
               awk '{r += $1; d += $2; n++} END {print r + 0, d + 0, n + 0}'; }
sent_of() { sed -nE 's/.*Successful packets: *([0-9]+).*/\1/p' "$1"; }
failed_of() { sed -nE 's/.*Failed packets: *([0-9]+).*/\1/p' "$1"; }

# start_scan NAME ARGS...: scan -i on vb in the background; waits until the
# sockets are open (the namespace shows a packet socket for the process).
start_scan() {
  local name=$1; shift
  ip netns exec "${ns}b" "$BIN" scan -i "$vb" --stats -o "$tmp/$name.jsonl" "$@" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pid=$!
  # Ready when a packet socket is bound to vb (/proc/net/packet's Iface
  # column is the ifindex; bind comes after the ring is set up), then a
  # moment for the fanout group to form: a busy CI machine can take longer
  # than a fixed pause between "socket open" and "capturing".
  local i idx
  idx=$(ip netns exec "${ns}b" cat "/sys/class/net/$vb/ifindex")
  for ((i = 0; i < 100; i++)); do
    if ip netns exec "${ns}b" awk -v x="$idx" 'NR > 1 && $5 == x {f = 1} END {exit !f}' /proc/net/packet; then
      sleep 0.5; return 0
    fi
    sleep 0.1
  done
  sleep 1
}
# stop_scan: after the replay, past the ring's block timeout, SIGINT; the
# exit status is in $rc.
stop_scan() {
  sleep 1
  kill -INT "$pid"; rc=0; wait "$pid" || rc=$?; pid=
}
replay() { ip netns exec "${ns}a" tcpreplay -i "$va" "$@" >"$tmp/replay.txt" 2>&1 || true; }

# 1. Real mining captures at full speed: the same findings as a file scan,
# every packet accounted for, the per-thread counters summing to the totals.
n=0
for f in other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap \
         other/jsiwek_zeek-cryptomining/bitcoin-mining.pcap \
         other/nesfit_DI-cryptominingdetection/xmr-eu1.nanopool.org.pcapng \
         other/nesfit_DI-cryptominingdetection/eth-eu1.nanopool.org.pcapng \
         other/TakeshiYoshikawa_CryptominingDetector/miner_9816a3d.pcap \
         ndpi/mining.pcapng; do
  n=$((n + 1)); name=top$n; b=$(basename "$f")
  "$BIN" scan -o "$tmp/$name.file.jsonl" "$P/$f" 2>/dev/null || true
  start_scan "$name"
  replay --topspeed "$P/$f"
  stop_scan
  sent=$(sent_of "$tmp/replay.txt"); bad=$(failed_of "$tmp/replay.txt")
  read -r cap recv drop <<<"$(totals "$tmp/$name.err")" || true
  read -r trecv tdrop nthreads <<<"$(thread_sum "$tmp/$name.err")" || true
  check "$b: exit 1 with findings on SIGINT (got $rc)" '[ "$rc" = 1 ]'
  check "$b: tcpreplay sent every packet ($sent sent, $bad failed)" '[ "${bad:-1}" = 0 ]'
  check "$b: received by filter = sent ($recv of $sent)" '[ "${recv:-x}" = "$sent" ]'
  check "$b: captured + dropped = received ($cap + $drop of $recv)" '[ $((cap + drop)) = "$recv" ]'
  check "$b: per-thread counters sum to the totals ($nthreads threads: $trecv, $tdrop)" \
    '[ "${nthreads:-0}" -ge 1 ] && [ "$trecv" = "$recv" ] && [ "$tdrop" = "$drop" ]'
  check "$b: AF_PACKET was used" 'grep -q "^capture afpacket" "$tmp/$name.err"'
  ident "$tmp/$name.file.jsonl" >"$tmp/$name.file.id"; ident "$tmp/$name.jsonl" >"$tmp/$name.live.id"
  check "$b: live findings = file findings ($(wc -l <"$tmp/$name.file.id") identities)" \
    '[ -s "$tmp/$name.file.id" ] && diff "$tmp/$name.file.id" "$tmp/$name.live.id" >&2'
done

# 2. The same at a set rate (500 packets a second), twice in a row.
f=other/nesfit_DI-cryptominingdetection/xmr.suprnova.cc.pcapng
"$BIN" scan -o "$tmp/rate.file.jsonl" "$P/$f" 2>/dev/null || true
start_scan rate
replay --pps 500 --loop 2 "$P/$f"
stop_scan
sent=$(sent_of "$tmp/replay.txt")
read -r cap recv drop <<<"$(totals "$tmp/rate.err")" || true
check "at 500 pps: received = sent, nothing dropped ($recv of $sent, $drop dropped)" \
  '[ "${recv:-x}" = "$sent" ] && [ "$drop" = 0 ] && [ "$cap" = "$sent" ]'
ident "$tmp/rate.file.jsonl" >"$tmp/rate.file.id"; ident "$tmp/rate.jsonl" >"$tmp/rate.live.id"
check "at 500 pps: live findings = file findings" \
  '[ -s "$tmp/rate.file.id" ] && diff "$tmp/rate.file.id" "$tmp/rate.live.id" >&2'

# 3. Full speed into the smallest ring (2 MiB): whatever is lost is counted.
big=${MT_AFP_BIG:-$P/ndpi-tests/1kxun.pcap}
loops=${MT_AFP_BIG:+1}; loops=${loops:-8}
start_scan big --ring-mb 2
replay --topspeed --loop "$loops" "$big"
stop_scan
sent=$(sent_of "$tmp/replay.txt")
read -r cap recv drop <<<"$(totals "$tmp/big.err")" || true
read -r trecv tdrop nthreads <<<"$(thread_sum "$tmp/big.err")" || true
echo "full speed, 2 MiB ring: $sent sent, $recv received, $cap captured, $drop dropped by kernel"
check "full speed: received = sent ($recv of $sent)" '[ "${recv:-x}" = "$sent" ]'
check "full speed: captured + dropped = received ($cap + $drop)" '[ $((cap + drop)) = "$recv" ]'
check "full speed: per-thread counters sum to the totals" '[ "$trecv" = "$recv" ] && [ "$tdrop" = "$drop" ]'
check "full speed: exit status 0 or 1 (got $rc)" '[ "$rc" = 0 ] || [ "$rc" = 1 ]'

# 4. VLAN-tagged frames: the kernel takes the tag out; it is put back, so the
# findings are those of the tagged file.
x=$SRC/tests/data/xmrig/xmrig616_clear.pcap
tcprewrite --enet-vlan=add --enet-vlan-tag=42 --enet-vlan-cfi=0 --enet-vlan-pri=0 \
  -i "$x" -o "$tmp/vlan.pcap"
"$BIN" scan -o "$tmp/vlan.file.jsonl" "$tmp/vlan.pcap" 2>/dev/null || true
start_scan vlan
replay --topspeed "$tmp/vlan.pcap"
stop_scan
ident "$tmp/vlan.file.jsonl" >"$tmp/vlan.file.id"; ident "$tmp/vlan.jsonl" >"$tmp/vlan.live.id"
check "VLAN 42: live findings = file findings" \
  '[ -s "$tmp/vlan.file.id" ] && diff "$tmp/vlan.file.id" "$tmp/vlan.live.id" >&2'
check "VLAN 42: every frame decoded (no malformed, no non-IP)" \
  'grep -qE "not TCP/UDP 0, .*malformed 0" "$tmp/vlan.err"'

# 5. The BPF filter runs in the kernel: only what it passes is received, and
# the Stratum session on port 3333 is gone while the DNS lookups stay.
f=other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap
want=$({ "$BIN" scan -f "not port 3333" --stats -o /dev/null "$P/$f" 2>&1 || true; } |
       sed -nE 's/^packets ([0-9]+) .*/\1/p')
start_scan filt -f "not port 3333" -Z nobody
uid=$(awk '/^Uid:/{print $2}' /proc/$pid/status 2>/dev/null || echo gone)
replay --topspeed "$P/$f"
stop_scan
read -r cap recv drop <<<"$(totals "$tmp/filt.err")" || true
check "filter: received by filter = what the filter passes in the file ($recv, $want)" \
  '[ -n "$want" ] && [ "${recv:-x}" = "$want" ] && [ "$cap" = "$want" ]'
check "filter: no Stratum finding, the DNS ones stay" \
  '! grep -q "\"kind\":\"stratum\"" "$tmp/filt.jsonl" && grep -q "\"kind\":\"dns\"" "$tmp/filt.jsonl"'
check "-Z: privileges dropped to nobody after the sockets were open (uid $uid)" \
  '[ "$uid" = "$(id -u nobody)" ]'

# 6. SIGINT while packets arrive: a clean stop, the closing counters, the
# findings so far flushed; a bad filter and a missing interface are errors.
start_scan sigint
ip netns exec "${ns}a" tcpreplay -i "$va" --pps 200 --loop 100 \
  "$SRC/tests/data/xmrig/xmrig616_clear.pcap" >/dev/null 2>&1 &
rp=$!
sleep 2
t0=$(date +%s%N)
kill -INT "$pid"; rc=0; wait "$pid" || rc=$?; pid=
t1=$(date +%s%N)
kill "$rp" 2>/dev/null || true; wait "$rp" 2>/dev/null || true
check "SIGINT mid-replay: exit 1 within a second ($(((t1 - t0) / 1000000)) ms, status $rc)" \
  '[ "$rc" = 1 ] && [ $(((t1 - t0) / 1000000)) -lt 1000 ]'
check "SIGINT mid-replay: closing counters and flushed findings" \
  '[ -n "$(totals "$tmp/sigint.err")" ] && grep -q "\"kind\":\"stratum\"" "$tmp/sigint.jsonl"'
rc=0; ip netns exec "${ns}b" "$BIN" scan -i "$vb" -f "not (" -o /dev/null 2>"$tmp/badf.err" || rc=$?
check "bad filter: exit 2 naming it (got $rc)" '[ "$rc" = 2 ] && grep -q "bad filter" "$tmp/badf.err"'
rc=0; ip netns exec "${ns}b" "$BIN" scan -i no-such-if0 -o /dev/null 2>"$tmp/nosuch.err" || rc=$?
check "missing interface: exit 2 with a message (got $rc)" \
  '[ "$rc" = 2 ] && grep -q "no-such-if0: no such interface" "$tmp/nosuch.err"'
rc=0; "$BIN" scan -i "$vb" --capture bogus -o /dev/null 2>"$tmp/bogus.err" || rc=$?
check "--capture bogus: usage error (got $rc)" '[ "$rc" = 2 ] && grep -q "afpacket or pcap" "$tmp/bogus.err"'

if command -v runuser >/dev/null && runuser -u nobody -- test -x "$BIN"; then
  # without CAP_NET_RAW: AF_PACKET is refused, said, and libpcap is tried
  # (refused too); with --capture afpacket there is no fallback
  rc=0; runuser -u nobody -- "$BIN" scan -i lo -o /dev/null 2>"$tmp/noperm.err" || rc=$?
  check "no CAP_NET_RAW: AF_PACKET refused, said, libpcap tried, exit 2 (got $rc)" \
    '[ "$rc" = 2 ] && grep -q "AF_PACKET socket refused: Operation not permitted; capturing with libpcap" "$tmp/noperm.err"'
  rc=0; runuser -u nobody -- "$BIN" scan -i lo --capture afpacket -o /dev/null 2>"$tmp/noperm2.err" || rc=$?
  check "no CAP_NET_RAW, --capture afpacket: exit 2, no fallback (got $rc)" \
    '[ "$rc" = 2 ] && ! grep -q libpcap "$tmp/noperm2.err" && grep -q "AF_PACKET socket refused" "$tmp/noperm2.err"'
fi

# 7. --capture pcap: libpcap, the same findings.
f=other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap
start_scan pcap --capture pcap
replay --topspeed "$P/$f"
stop_scan
ident "$tmp/pcap.jsonl" >"$tmp/pcap.live.id"
check "--capture pcap: libpcap used, the same findings as the file scan" \
  '! grep -q "^capture afpacket" "$tmp/pcap.err" && diff "$tmp/top1.file.id" "$tmp/pcap.live.id" >&2'

# 8. -j 2 live: two sockets of one fanout group, capture thread i feeding
# worker i of scan -j; the findings are those of the file scan, and reach
# the -o file while the capture runs (the flush tick passes the workers'
# findings on). With libpcap, one thread reads and hands flows out.
f=ndpi/mining.pcapng
for j in 1 2; do
  start_scan j$j -j $j
  replay --topspeed "$P/$f"
  sleep 2.5
  ident "$tmp/j$j.jsonl" >"$tmp/j$j.running.id"
  stop_scan
  ident "$tmp/j$j.jsonl" >"$tmp/j$j.live.id"
done
read -r cap recv drop <<<"$(totals "$tmp/j2.err")" || true
read -r trecv tdrop nthreads <<<"$(thread_sum "$tmp/j2.err")" || true
check "-j 2 live: exit 1, every packet read ($cap of $recv)" '[ "$rc" = 1 ] && [ "$cap" = "$recv" ]'
check "-j 2 live: two fanout sockets, their counters summing to the totals ($nthreads: $trecv, $tdrop)" \
  'grep -q "^capture afpacket, 2 threads" "$tmp/j2.err" && [ "$nthreads" = 2 ] && [ "$trecv" = "$recv" ] && [ "$tdrop" = "$drop" ]'
check "-j 2 live: both threads had packets" \
  '[ "$(grep -cE "^capture thread [01]: [1-9][0-9]* received" "$tmp/j2.err")" = 2 ]'
check "-j 2 live: findings = file findings" 'diff "$tmp/top6.file.id" "$tmp/j2.live.id" >&2'
check "-j 2 live: in the -o file while running as with -j 1 ($(wc -l <"$tmp/j1.running.id") of $(wc -l <"$tmp/top6.file.id"))" \
  '[ -s "$tmp/j1.running.id" ] && diff "$tmp/j1.running.id" "$tmp/j2.running.id" >&2'
# and -j 2 with libpcap: one thread reads, the workers get the flows
start_scan j2pcap -j 2 --capture pcap
replay --topspeed "$P/$f"
stop_scan
ident "$tmp/j2pcap.jsonl" >"$tmp/j2pcap.live.id"
check "-j 2 --capture pcap live: findings = file findings" 'diff "$tmp/top6.file.id" "$tmp/j2pcap.live.id" >&2'

[ $fail = 0 ] && echo "afpacket: all checks passed"
exit $fail
