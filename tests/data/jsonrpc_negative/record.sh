#!/usr/bin/env bash
# record.sh — record the JSON-RPC hard negatives of the Stratum detector:
# the applications of jsonrpc_app.py (a game whose first line is a
# login-shaped {"method":"login"}, an Ethereum-node-like JSON-RPC 2.0
# client, a language-server session framed with Content-Length headers and
# the same one JSON object a line), each on its own port and on the mining
# port 3333, in two network namespaces
# joined by one veth pair (tests/integration/lib/netns.sh: no default route,
# IPv6 off; nothing leaves the machine).
#
# Usage: record.sh [OUTDIR]   (root needed; default: this directory)
# Writes OUTDIR/<kind>_<port>.pcap (TCP of that one connection only).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
log() { echo "record: $*" >&2; }
# shellcheck source=../../integration/lib/netns.sh
. "$HERE/../../integration/lib/netns.sh"

SRV_IP="10.77.24.1"
CLI_IP="10.77.24.2"
NS_S="mtjsrv$$"
NS_C="mtjcli$$"
VS="mtjs$$"
VC="mtjc$$"
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    netns_teardown "$NS_S" "$NS_C" "$VS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

netns_pair "$NS_S" "$NS_C" "$VS" "$VC" "$SRV_IP" "$CLI_IP"

record() { # record KIND PORT
    local kind="$1" port="$2" pcap="$OUT/$1_$2.pcap" tpid spid
    rm -f "$pcap" "$OUT/.ready"
    ip netns exec "$NS_C" tcpdump -i "$VC" -n -U -s 0 -w "$pcap" -Z root "tcp port $port" \
        2>"$OUT/.tcpdump.err" &
    tpid=$!
    PIDS+=("$tpid")
    wait_for 10 grep -q "listening on" "$OUT/.tcpdump.err" || { log "tcpdump did not start"; exit 1; }
    ip netns exec "$NS_S" python3 "$HERE/jsonrpc_app.py" server "$kind" "$SRV_IP" "$port" \
        --ready "$OUT/.ready" &
    spid=$!
    PIDS+=("$spid")
    wait_for 10 test -s "$OUT/.ready" || { log "$kind server did not start"; exit 1; }
    ip netns exec "$NS_C" timeout 60 python3 "$HERE/jsonrpc_app.py" client "$kind" "$SRV_IP" "$port"
    wait "$spid"
    sleep 0.5
    kill -INT "$tpid" 2>/dev/null || true
    wait "$tpid" 2>/dev/null || true
    rm -f "$OUT/.ready" "$OUT/.tcpdump.err"
    log "$kind on :$port -> $(basename "$pcap") ($(stat -c %s "$pcap") bytes)"
}

record game 7777
record game 3333
record eth 8545
record eth 3333
record lsp 2087
record lsp 3333
record lspline 3333
