#!/usr/bin/env bash
# record.sh — headless Chromium runs our Coinhive-protocol driver page
# against the real coin-hive-stratum proxy (which mines on our Stratum pool,
# tests/integration/xmrig/pool.py), inside two network namespaces, and the
# client side is captured with tcpdump. See docs/TESTING-WSMINER.md.
#
# Layout (nothing leaves this machine: the only link is a veth pair between
# two private namespaces, neither has a default route, IPv6 is off):
#
#   netns mtwsc<pid>  10.77.17.2/30  chromium (page.html), tcpdump on the veth
#        |  veth
#   netns mtwsp<pid>  10.77.17.1/30  dnsmasq :53 (ws.minetrace-test.example
#                                    -> 10.77.17.1, TTL 300),
#                                    coin-hive-stratum :8892 (WebSocket),
#                                    pool.py 127.0.0.1:3333 (Stratum)
#
# The browser resolves the proxy name through /etc/netns/<ns>/resolv.conf,
# so the capture holds the DNS lookup, the HTTP Upgrade and the WebSocket
# session (auth, authed, job, submit, hash_accepted).
#
# Usage: record.sh CHS_BIN OUTDIR   (root needed; CHS_BIN from
#        scripts/fetch_chstratum.sh)
# Writes OUTDIR/ws.pcap, OUTDIR/pool.log (JSON lines: what the pool got from
# the proxy), OUTDIR/proxy.log, OUTDIR/chromium.log, OUTDIR/dnsmasq.log,
# OUTDIR/facts.env.
# Env: MT_WS_SECONDS (default 40) longest time the page may take.
#      MT_WS_SCAN     a minetrace binary: also run `minetrace scan -i` on the
#                     client's veth during the run (live detection), writing
#                     OUTDIR/live.jsonl, live_hosts.json, live.err, live.rc.
#      MT_WS_SCAN_INTEL  --intel spec for that live scan.
#      MT_CHROMIUM    browser binary (default: chromium).
#      MT_WS_DEFLATE=1  start the proxy with permessage-deflate on (through
#                     its API, proxy_deflate.js): Chromium then compresses
#                     every message it sends (RSV1 frames).
set -euo pipefail

CHS="$1"
OUT="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=../lib/netns.sh
. "$HERE/../lib/netns.sh"
SECS="${MT_WS_SECONDS:-40}"
CHROMIUM="${MT_CHROMIUM:-chromium}"

WS_NAME="ws.minetrace-test.example"
POOL_IP="10.77.17.1"
CLIENT_IP="10.77.17.2"
WS_PORT=8892
WS_PATH="/proxy"
STRATUM_PORT=3333
# The proxy passes the site key to the pool as the Stratum login, so with
# coin-hive-stratum the "site key" is a Monero address (its README's usage).
SITE_KEY="44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"
WS_USER="mt-ws-worker"
SUBMITS=3

NS_POOL="mtwsp$$"
NS_CLIENT="mtwsc$$"
VP="mtwp$$"
VC="mtwc$$"
PIDS=()
CHROME_PID=""

log() { echo "record: $*" >&2; }

cleanup() {
    local p
    if [ -n "$CHROME_PID" ]; then
        kill -TERM -- "-$CHROME_PID" 2>/dev/null || true
    fi
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
    done
    for p in "${PIDS[@]}"; do
        wait "$p" 2>/dev/null || true
    done
    netns_teardown "$NS_POOL" "$NS_CLIENT" "$VP"
    rm -rf "$OUT/chrome-profile"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/ws.pcap "$OUT"/pool.log "$OUT"/proxy.log "$OUT"/chromium.log \
    "$OUT"/dnsmasq.log "$OUT"/live*

# --- namespaces, veth, addresses; no default route anywhere ---------------
netns_pair "$NS_POOL" "$NS_CLIENT" "$VP" "$VC" "$POOL_IP" "$CLIENT_IP"

# --- DNS server: only our name, nothing forwarded ------------------------
ip netns exec "$NS_POOL" dnsmasq --keep-in-foreground --conf-file=/dev/null \
    --no-resolv --no-hosts --no-poll --bind-interfaces --listen-address="$POOL_IP" \
    --user=root --pid-file="$OUT/dnsmasq.pid" --local-ttl=300 \
    --local=/minetrace-test.example/ \
    --host-record="$WS_NAME,$POOL_IP,300" --log-queries --log-facility="$OUT/dnsmasq.log" &
PIDS+=($!)

# --- Stratum pool (behind the proxy, on the pool host's loopback) ---------
rm -f "$OUT/pool.ready"
ip netns exec "$NS_POOL" python3 "$HERE/../xmrig/pool.py" --host 127.0.0.1 \
    --port "$STRATUM_PORT" --algo cn/1 --target a3703d0a --job-interval 7 \
    --log "$OUT/pool.log" --ready "$OUT/pool.ready" &
PIDS+=($!)
wait_for 15 test -s "$OUT/pool.ready" || { log "pool did not start"; exit 1; }

# --- the real coin-hive-stratum proxy -----------------------------------
# Its 1% donation connection (la01.supportxmr.com) cannot resolve here and
# fails at once; the miner's own connection is unaffected.
DEFLATE="${MT_WS_DEFLATE:-0}"
if [ "$DEFLATE" = 1 ]; then
    ip netns exec "$NS_POOL" node "$HERE/proxy_deflate.js" "$(dirname "$(dirname "$CHS")")" \
        "$WS_PORT" 127.0.0.1 "$STRATUM_PORT" >"$OUT/proxy.log" 2>&1 &
else
    ip netns exec "$NS_POOL" node "$CHS" "$WS_PORT" --host=127.0.0.1 \
        --port="$STRATUM_PORT" >"$OUT/proxy.log" 2>&1 &
fi
PIDS+=($!)
proxy_up() { ip netns exec "$NS_POOL" ss -ltn | grep -q ":$WS_PORT "; }
wait_for 15 proxy_up || { log "proxy did not start"; cat "$OUT/proxy.log" >&2; exit 1; }
wait_for 10 ip netns exec "$NS_CLIENT" getent ahostsv4 "$WS_NAME" >/dev/null \
    || { log "DNS in the namespace does not answer"; exit 1; }

# --- capture, optional live scan, the browser ---------------------------
ip netns exec "$NS_CLIENT" tcpdump -i "$VC" -n -U -s 0 -Z root -w "$OUT/ws.pcap" \
    2>"$OUT/tcpdump.err" &
TPID=$!
PIDS+=("$TPID")
wait_for 10 grep -q "listening on" "$OUT/tcpdump.err" \
    || { log "tcpdump did not start"; cat "$OUT/tcpdump.err" >&2; exit 1; }
SPID=""
if [ -n "${MT_WS_SCAN:-}" ]; then
    intel=()
    [ -n "${MT_WS_SCAN_INTEL:-}" ] && intel=(--intel "$MT_WS_SCAN_INTEL")
    ip netns exec "$NS_CLIENT" "$MT_WS_SCAN" scan -i "$VC" "${intel[@]}" -q \
        -o "$OUT/live.jsonl" --hosts --json >"$OUT/live_hosts.json" 2>"$OUT/live.err" &
    SPID=$!
    PIDS+=("$SPID")
    sleep 1.5   # let it open the interface
fi

URL="file://$HERE/page.html?ws=ws://$WS_NAME:$WS_PORT$WS_PATH&key=$SITE_KEY&user=$WS_USER&submits=$SUBMITS"
# Own process group, so the whole browser (zygote, renderer, GPU/network
# services) is stopped by this one id.
ip netns exec "$NS_CLIENT" setsid "$CHROMIUM" --headless=new --no-sandbox --disable-gpu \
    --user-data-dir="$OUT/chrome-profile" --no-first-run --no-default-browser-check \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --disable-domain-reliability \
    --metrics-recording-only --enable-logging=stderr --v=0 \
    "$URL" >"$OUT/chromium.log" 2>&1 &
CHROME_PID=$!
PIDS+=("$CHROME_PID")
ok=0
for ((i = 0; i < SECS * 2; i++)); do
    sleep 0.5
    if grep -q '"MTWS done"\|"MTWS close' "$OUT/chromium.log"; then ok=1; break; fi
    kill -0 "$CHROME_PID" 2>/dev/null || break
done
sleep 1
kill -TERM -- "-$CHROME_PID" 2>/dev/null || true
wait "$CHROME_PID" 2>/dev/null || true
CHROME_PID=""
sleep 0.5
kill -INT "$TPID" 2>/dev/null || true
wait "$TPID" 2>/dev/null || true
if [ -n "$SPID" ]; then
    src=0
    kill -TERM "$SPID" 2>/dev/null || true
    wait "$SPID" || src=$?
    echo "$src" >"$OUT/live.rc"
fi
grep -o '"MTWS [^"]*"' "$OUT/chromium.log" | sed 's/^/record: page: /' >&2 || true
[ $ok = 1 ] || log "the page did not finish within ${SECS}s"

cat >"$OUT/facts.env" <<FACTS
WS_NAME=$WS_NAME
POOL_IP=$POOL_IP
CLIENT_IP=$CLIENT_IP
WS_PORT=$WS_PORT
WS_PATH=$WS_PATH
SITE_KEY=$SITE_KEY
WS_USER=$WS_USER
SUBMITS=$SUBMITS
DEFLATE=$DEFLATE
PROXY="coin-hive-stratum@1.4.10 (ws@3.3.3)"
BROWSER="$("$CHROMIUM" --version 2>/dev/null | head -n1)"
FACTS
log "done: $OUT"
