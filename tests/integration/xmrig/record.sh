#!/usr/bin/env bash
# record.sh — run the real XMRig against our own pool inside two network
# namespaces and capture the traffic, once in clear and once with --tls.
#
# Layout (nothing leaves this machine: the only link is a veth pair between
# two private namespaces, neither has a default route, IPv6 is off):
#
#   netns mtminer<pid>  10.77.16.2/30  xmrig, tcpdump on the veth
#        |  veth
#   netns mtpool<pid>   10.77.16.1/30  dnsmasq :53 (pool.minetrace-test.example
#                                      -> 10.77.16.1, TTL 300), pool.py :3333
#                                      clear and :443 TLS (self-signed cert)
#
# The miner resolves the pool name through /etc/netns/<ns>/resolv.conf, as a
# real infected host would through its resolver, so each capture holds the
# DNS lookup followed by the Stratum (or TLS) connection.
#
# Usage: record.sh XMRIG_BIN OUTDIR   (root needed)
# Writes OUTDIR/{clear,tls}.pcap, OUTDIR/pool.log (JSON lines: what the pool
# received), OUTDIR/xmrig_{clear,tls}.log, OUTDIR/dnsmasq.log, OUTDIR/facts.env
# Env: MT_XMRIG_SECONDS (default 20) how long each run mines.
#      MT_XMRIG_EXTRA    extra xmrig options (e.g. --asm=none).
#      MT_XMRIG_SCAN     a minetrace binary: also run `minetrace scan -i` on
#                        the miner's veth during each run (live detection of
#                        the real miner), writing OUTDIR/live_NAME.jsonl,
#                        live_hosts_NAME.json, live_NAME.err, live_NAME.rc.
#      MT_XMRIG_SCAN_INTEL  --intel spec for that live scan.
set -euo pipefail

XMRIG="$1"
OUT="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/netns.sh
. "$HERE/../lib/netns.sh"
SECS="${MT_XMRIG_SECONDS:-20}"
EXTRA="${MT_XMRIG_EXTRA:-}"

POOL_NAME="pool.minetrace-test.example"
POOL_IP="10.77.16.1"
MINER_IP="10.77.16.2"
CLEAR_PORT=3333
TLS_PORT=443
WALLET="44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
RIGID="mt-e2e-rig"
ALGO="cn/1"
TARGET="a3703d0a"   # difficulty 25: a share every few seconds on one slow thread

NS_POOL="mtpool$$"
NS_MINER="mtminer$$"
VP="mtp$$"
VM="mtm$$"
PIDS=()

log() { echo "record: $*" >&2; }

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    netns_teardown "$NS_POOL" "$NS_MINER" "$VP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/{clear,tls}.pcap "$OUT"/pool.log "$OUT"/xmrig_*.log "$OUT"/dnsmasq.log \
    "$OUT"/live_*

# --- namespaces, veth, addresses; no default route anywhere ---------------
netns_pair "$NS_POOL" "$NS_MINER" "$VP" "$VM" "$POOL_IP" "$MINER_IP"

# --- DNS server: only our name, nothing forwarded ------------------------
ip netns exec "$NS_POOL" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address="$POOL_IP" \
    --user=root --pid-file="$OUT/dnsmasq.pid" --local-ttl=300 \
    --local=/minetrace-test.example/ \
    --host-record="$POOL_NAME,$POOL_IP,300" --log-queries --log-facility="$OUT/dnsmasq.log" &
PIDS+=($!)

# --- pool, clear and TLS --------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$OUT/pool.key" -out "$OUT/pool.crt" -days 2 \
    -subj "/CN=$POOL_NAME" -addext "subjectAltName=DNS:$POOL_NAME" 2>/dev/null
rm -f "$OUT/pool.ready"
ip netns exec "$NS_POOL" python3 "$HERE/pool.py" --host "$POOL_IP" \
    --port "$CLEAR_PORT" --tls-port "$TLS_PORT" \
    --cert "$OUT/pool.crt" --key "$OUT/pool.key" --algo "$ALGO" \
    --target "$TARGET" --job-interval 7 --log "$OUT/pool.log" \
    --ready "$OUT/pool.ready" &
PIDS+=($!)
wait_for 15 test -s "$OUT/pool.ready" || { log "pool did not start"; exit 1; }
wait_for 10 ip netns exec "$NS_MINER" getent ahostsv4 "$POOL_NAME" >/dev/null \
    || { log "DNS in the namespace does not answer"; exit 1; }

# --- one mining run with capture ------------------------------------------
run_miner() { # run_miner NAME URL [xmrig options...]
    local name="$1" url="$2"; shift 2
    local pcap="$OUT/$name.pcap" tpid xpid spid=""
    ip netns exec "$NS_MINER" tcpdump -i "$VM" -n -U -s 0 -Z root -w "$pcap" \
        2>"$OUT/tcpdump_$name.err" &
    tpid=$!
    PIDS+=("$tpid")
    wait_for 10 grep -q "listening on" "$OUT/tcpdump_$name.err" \
        || { log "tcpdump did not start"; cat "$OUT/tcpdump_$name.err" >&2; exit 1; }
    if [ -n "${MT_XMRIG_SCAN:-}" ]; then
        local intel=()
        [ -n "${MT_XMRIG_SCAN_INTEL:-}" ] && intel=(--intel "$MT_XMRIG_SCAN_INTEL")
        ip netns exec "$NS_MINER" "$MT_XMRIG_SCAN" scan -i "$VM" "${intel[@]}" -q \
            -o "$OUT/live_$name.jsonl" --hosts --json >"$OUT/live_hosts_$name.json" \
            2>"$OUT/live_$name.err" &
        spid=$!
        PIDS+=("$spid")
        sleep 1.5   # let it open the interface (it prints nothing until the end)
    fi
    # shellcheck disable=SC2086
    ip netns exec "$NS_MINER" "$XMRIG" -o "$url" -u "$WALLET" -p x \
        --rig-id="$RIGID" -k --threads=1 --cpu-max-threads-hint=50 --cpu-priority=2 \
        --donate-level=0 --no-color --no-huge-pages --print-time=5 \
        --retry-pause=1 -l "$OUT/xmrig_$name.log" $EXTRA "$@" >/dev/null 2>&1 &
    xpid=$!
    PIDS+=("$xpid")
    # Mine SECS seconds; on a loaded machine keep going (up to 2*SECS) until
    # the pool has seen at least one share from this run.
    local i want='"tls": false'
    [ "$name" = tls ] && want='"tls": true'
    for ((i = 0; i < 2 * SECS; i++)); do
        sleep 1
        kill -0 "$xpid" 2>/dev/null || break
        if [ $i -ge "$SECS" ] && grep '"ev": "submit"' "$OUT/pool.log" | grep -q "$want"; then
            break
        fi
    done
    if ! kill -0 "$xpid" 2>/dev/null; then
        wait "$xpid" || log "xmrig ($name) exited early with $?"
    else
        kill "$xpid"; wait "$xpid" 2>/dev/null || true
    fi
    sleep 1
    kill -INT "$tpid" 2>/dev/null || true
    wait "$tpid" 2>/dev/null || true
    if [ -n "$spid" ]; then
        local src=0
        kill -TERM "$spid" 2>/dev/null || true
        wait "$spid" || src=$?
        echo "$src" >"$OUT/live_$name.rc"
    fi
    log "$name: $(grep -c accepted "$OUT/xmrig_$name.log" || true) shares accepted"
}

run_miner clear "$POOL_NAME:$CLEAR_PORT"
run_miner tls "$POOL_NAME:$TLS_PORT" --tls

cat >"$OUT/facts.env" <<FACTS
POOL_NAME=$POOL_NAME
POOL_IP=$POOL_IP
MINER_IP=$MINER_IP
CLEAR_PORT=$CLEAR_PORT
TLS_PORT=$TLS_PORT
WALLET=$WALLET
RIGID=$RIGID
ALGO=$ALGO
XMRIG_VERSION="$("$XMRIG" --version | head -n1)"
FACTS
log "done: $OUT"
