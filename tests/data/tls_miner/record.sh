#!/usr/bin/env bash
# record.sh — labelled TLS-only miner and benign periodic-TLS captures for the
# TLS-behaviour detector (docs/DETECTORS.md, "TLS-only miners").
#
# Real XMRig 6.16 (scripts/fetch_xmrig.sh) mines with --tls against our test
# pool (tests/integration/xmrig/pool.py, one process per port) to a bare IP
# or to an unlisted name resolved by a local dnsmasq; benign.py serves and
# drives periodic benign TLS (chat heartbeat with server pushes, throttled
# download, WebSocket with pings) and headless Chromium polls a local HTTPS
# page by IP (no SNI). Two namespaces, one veth, no route out (lib/netns.sh).
#
# Usage: record.sh XMRIG_BIN OUTDIR   (root needed)
# The committed captures: record.sh XMRIG DIR, and MT_TLSREC_SLOW=1 record.sh
# XMRIG DIR2 renamed <run>_slowpool.pcap, and MT_TLSREC_SET=extra record.sh
# XMRIG DIR3 (the second set, below); labels in LABELS.tsv.
# Writes OUTDIR/<run>.pcap (snaplen 600: hellos and record sizes survive,
# bulk payload does not), OUTDIR/pool_<run>.log, OUTDIR/LABELS.tsv.
set -euo pipefail

XMRIG="$1"
OUT="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
POOLPY="$HERE/../../integration/xmrig/pool.py"
# shellcheck source=../../integration/lib/netns.sh
. "$HERE/../../integration/lib/netns.sh"

NAME="relay.example-cdn.test"   # on no list: the DNS tie gives nothing
SRV_IP="10.77.20.1"
CLI_IP="10.77.20.2"
WALLET="44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
NS_S="mttlss$$"; NS_C="mttlsc$$"; VS="mtts$$"; VC="mttc$$"
PIDS=()
log() { echo "record: $*" >&2; }
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    netns_teardown "$NS_S" "$NS_C" "$VS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/*.pcap "$OUT"/*.log "$OUT"/LABELS.tsv

netns_pair "$NS_S" "$NS_C" "$VS" "$VC" "$SRV_IP" "$CLI_IP"
ip netns exec "$NS_S" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address="$SRV_IP" \
    --user=root --pid-file="$OUT/dnsmasq.pid" --local-ttl=300 --local=/example-cdn.test/ \
    --host-record="$NAME,$SRV_IP,300" --log-facility="$OUT/dnsmasq.log" &
PIDS+=($!)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$OUT/srv.key" -out "$OUT/srv.crt" -days 2 -subj "/CN=$NAME" \
    -addext "subjectAltName=DNS:$NAME" 2>/dev/null

# pool PORT JOB_INTERVAL TARGET: one TLS pool process (its clear port unused)
pool() {
    ip netns exec "$NS_S" python3 "$POOLPY" --host "$SRV_IP" --port $((20000 + $1 % 10000)) \
        --tls-port "$1" --cert "$OUT/srv.crt" --key "$OUT/srv.key" --algo cn/1 \
        --target "$3" --job-interval "$2" --log "$OUT/pool_$1.log" --ready "$OUT/pool_$1.ready" &
    PIDS+=($!)
    wait_for 15 test -s "$OUT/pool_$1.ready" || { log "pool :$1 did not start"; exit 1; }
}
# capture RUN PORT: tcpdump of that port (and DNS) on the client's veth
capture() {
    ip netns exec "$NS_C" tcpdump -i "$VC" -n -U -s 600 -Z root -w "$OUT/$1.pcap" \
        "tcp port $2 or udp port 53" 2>"$OUT/tcpdump_$1.log" &
    echo $! >"$OUT/tcpdump_$1.pid"
    wait_for 10 grep -q "listening on" "$OUT/tcpdump_$1.log" || { log "tcpdump $1"; exit 1; }
}
stop_capture() { sleep 1; kill -INT "$(cat "$OUT/tcpdump_$1.pid")" 2>/dev/null || true; rm -f "$OUT/tcpdump_$1.pid"; }
# miner RUN HOST PORT SECONDS [xmrig options]
miner() {
    local run="$1" host="$2" port="$3" secs="$4" xp; shift 4
    capture "$run" "$port"
    # shellcheck disable=SC2068
    ip netns exec "$NS_C" "$XMRIG" -o "$host:$port" --tls -u "$WALLET" -p x \
        --threads=1 --cpu-max-threads-hint=50 --cpu-priority=1 --donate-level=0 --no-color \
        --no-huge-pages --retry-pause=1 -l "$OUT/xmrig_$run.log" $@ >/dev/null 2>&1 &
    xp=$!
    sleep "$secs"; kill "$xp" 2>/dev/null || true; wait "$xp" 2>/dev/null || true
    stop_capture "$run"
    printf '%s\tminer\t%s\t%s\n' "$run" "$CLI_IP" "xmrig --tls $host:$port $*" >>"$OUT/LABELS.tsv"
}
# benign RUN PORT SECONDS CMD...
benign() {
    local run="$1" port="$2" secs="$3" bp; shift 3
    capture "$run" "$port"
    ip netns exec "$NS_C" "$@" >"$OUT/$run.log" 2>&1 &
    bp=$!
    sleep "$secs"; kill "$bp" 2>/dev/null || true; wait "$bp" 2>/dev/null || true
    stop_capture "$run"
    printf '%s\tbenign\t%s\t%s\n' "$run" "$CLI_IP" "${*//$HERE\//}" >>"$OUT/LABELS.tsv"
}

# MT_TLSREC_SLOW=1: every pool at difficulty >= 25, so a miner at ~1 H/s
# submits nothing within the minute (the *_slowpool captures)
EASY2=ffffff7f EASY1=ffffffff
[ "${MT_TLSREC_SLOW:-0}" = 1 ] && EASY2=a3703d0a EASY1=a3703d0a
pool 443 7 "$EASY2"       # difficulty 2: a share every few seconds at ~1 H/s
pool 3333 15 a3703d0a     # difficulty 25
pool 8443 30 14ae4701     # difficulty 200
pool 45123 70 ef8d2100    # difficulty 2000, no job push within the minute
pool 4443 10 "$EASY1"     # difficulty 1
ip netns exec "$NS_S" python3 "$HERE/benign.py" server --host "$SRV_IP" --cert "$OUT/srv.crt" \
    --key "$OUT/srv.key" --ready "$OUT/benign.ready" &
PIDS+=($!)
wait_for 15 test -s "$OUT/benign.ready" || { log "benign server did not start"; exit 1; }
wait_for 10 ip netns exec "$NS_C" getent ahostsv4 "$NAME" >/dev/null || { log "no DNS"; exit 1; }

if [ "${MT_TLSREC_SET:-base}" = extra ]; then
    # MT_TLSREC_SET=extra: the second set (a pool pushing a job every 5 s, a
    # pool at difficulty 1 with a job every 20 s; a price ticker, an
    # MQTT-like session, a gRPC-like stream), recorded alongside the first
    pool 14444 5 a3703d0a   # difficulty 25: pushes only, no share within the minute
    pool 5555 20 ffffffff   # difficulty 1: shares all the time
    ( miner m14444_ip_fastjobs_65s "$SRV_IP" 14444 65 ) &
    L1=$!
    ( miner m5555_name_easy_65s "$NAME" 5555 65 ) &
    L2=$!
    ( benign b_ticker_65s 10443 65 python3 "$HERE/benign.py" ticker --host "$SRV_IP" --seconds 64 ) &
    L3=$!
    ( benign b_mqtt_65s 8883 65 python3 "$HERE/benign.py" mqtt --host "$SRV_IP" --seconds 64 ) &
    L4=$!
    ( benign b_stream_65s 11443 65 python3 "$HERE/benign.py" stream --host "$SRV_IP" --seconds 64 ) &
    L5=$!
    wait $L1 $L2 $L3 $L4 $L5
    log "done: $(ls "$OUT"/*.pcap | wc -l) captures in $OUT"
    exit 0
fi

# three miner lanes and one benign lane at once (short wall time)
( miner m443_ip_20s "$SRV_IP" 443 20
  miner m3333_name_65s "$NAME" 3333 65 ) &
L1=$!
( miner m45123_name_keepalive_75s "$NAME" 45123 75 --keepalive ) &
L2=$!
( miner m8443_ip_nicehash_65s "$SRV_IP" 8443 65 --nicehash
  miner m4443_name_nicehash_20s "$NAME" 4443 20 --nicehash ) &
L3=$!
( benign b_heartbeat_65s 5443 65 python3 "$HERE/benign.py" heartbeat --host "$SRV_IP" --seconds 64
  benign b_chromium_25s 7443 25 chromium --headless --no-sandbox --disable-gpu \
      --ignore-certificate-errors --user-data-dir="$OUT/chromium-profile" \
      --remote-debugging-port=9333 "https://$SRV_IP:7443/" ) &
L4=$!
( benign b_download_60s 6443 60 python3 "$HERE/benign.py" download --host "$SRV_IP" --seconds 59
  benign b_websocket_65s 9443 65 python3 "$HERE/benign.py" websocket --host "$SRV_IP" --seconds 64 ) &
L5=$!
wait $L1 $L2 $L3 $L4 $L5
rm -rf "$OUT/chromium-profile"
log "done: $(ls "$OUT"/*.pcap | wc -l) captures in $OUT"
