#!/usr/bin/env bash
# WebSocket browser-miner test on real WebSocket implementations: headless
# Chromium runs our Coinhive-protocol driver page (tests/integration/
# wsminer/page.html; no real browser-miner client can be obtained, see
# docs/TESTING-WSMINER.md) against the real coin-hive-stratum proxy
# (npm coin-hive-stratum@1.4.10), which mines on our Stratum pool. The
# client side is captured and scanned by minetrace; the WebSocket finding
# (site key, worker, pool host) and the host verdict are checked.
#
# The committed recordings in tests/data/wsminer/ (made by the same
# harness) are scanned on every run, so the test checks the real
# Chromium/proxy traffic even when the live run is impossible.
#
# Env (from CTest): MT_BIN, MT_SRC, MT_BUILD.
# Two sessions: the proxy as its CLI starts it, and with permessage-deflate
# on (Chromium then compresses all it sends; the site key is still found).
# Optional: MT_WS_LIVE=0 skip the live runs; MT_WS_KEEP=DIR keep the work dir.
set -uo pipefail

: "${MT_BIN:?MT_BIN not set}" "${MT_SRC:?MT_SRC not set}"
HERE="$MT_SRC/tests/integration/wsminer"
DATA="$MT_SRC/tests/data/wsminer"

# shellcheck source=lib/harness.sh
. "$MT_SRC/tests/integration/lib/harness.sh"
harness_start wsminer "${MT_WS_KEEP:-}"

# ---------------------------------------------------------------------------
# 1. Live run: fetch the proxy, run Chromium in namespaces, capture.
# ---------------------------------------------------------------------------
skip="$(live_run_blocker "${MT_WS_LIVE:-1}" MT_WS_LIVE ip tcpdump dnsmasq python3 node ss setsid "${MT_CHROMIUM:-chromium}")"
CHS=""
if [ -z "$skip" ]; then
    CHS="$(bash "$MT_SRC/scripts/fetch_chstratum.sh")"
    rc=$?
    if [ $rc -eq 3 ]; then
        skip="npm registry unreachable, coin-hive-stratum not fetched"
    elif [ $rc -ne 0 ] || [ -z "$CHS" ]; then
        fail "scripts/fetch_chstratum.sh failed (rc=$rc)"
        skip="no coin-hive-stratum"
    fi
fi

printf '# test intel: the WebSocket proxy name, listed as a browser-miner host\nws.minetrace-test.example\n' \
    >"$W/intel.txt"
INTEL=(--intel "$W/intel.txt:90:browser-miner")

SETS=()
LIVES=()
# live_run NAME DEFLATE: one recorded session; adds to SETS and LIVES
live_run() {
    local name="$1" deflate="$2" dir="$W/$1"
    if ! MT_WS_DEFLATE="$deflate" MT_WS_SCAN="$MT_BIN" \
            MT_WS_SCAN_INTEL="$W/intel.txt:90:browser-miner" \
            bash "$HERE/record.sh" "$CHS" "$dir"; then
        fail "$name: record.sh failed"
        tail -n 20 "$dir/proxy.log" "$dir/chromium.log" 2>/dev/null
        return
    fi
    # What the pool behind the proxy got must be what the page sent.
    python3 - "$dir/pool.log" "$dir/facts.env" <<'PY' || fail "$name: pool-side facts"
import json, sys
facts = dict(l.strip().split("=", 1) for l in open(sys.argv[2]) if "=" in l)
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
logins = [e for e in ev if e["ev"] == "login"]
subs = [e for e in ev if e["ev"] == "submit"]
want = facts["SITE_KEY"] + "." + facts["WS_USER"]
print("pool saw: logins=%d submits=%d" % (len(logins), len(subs)))
ok = len(logins) == 1 and logins[0]["login"] == want and len(subs) == int(facts["SUBMITS"])
if not ok:
    print("FAIL: expected one login %r and %s submits" % (want, facts["SUBMITS"]))
sys.exit(0 if ok else 1)
PY
    SETS+=("$name:$dir/ws.pcap:$dir/facts.env")
    LIVES+=("$name:$dir")
}
if [ -z "$skip" ]; then
    note "live runs: coin-hive-stratum@1.4.10 + $("${MT_CHROMIUM:-chromium}" --version 2>/dev/null | head -n1)"
    live_run live 0
    live_run live-deflate 1
else
    echo "SKIP live WebSocket run: $skip (the recorded captures are still checked)"
fi
SETS+=("recorded:$DATA/chs1410_chromium.pcap:$DATA/chs1410_chromium.facts")
SETS+=("recorded-deflate:$DATA/chs1410_chromium_deflate.pcap:$DATA/chs1410_chromium_deflate.facts")

# ---------------------------------------------------------------------------
# 2. What is in the captures, independently of minetrace (tshark).
# ---------------------------------------------------------------------------
capture_facts() { # capture_facts LABEL PCAP FACTS
    local label="$1" pcap="$2" facts="$3"
    # shellcheck disable=SC1090
    ( . "$facts"
      # Chromium compresses what it sends when the server took
      # permessage-deflate (RSV1 = 0x04 in tshark's rsv field); ws 3.x sends
      # its short messages uncompressed either way.
      crsv=0x00; [ "${DEFLATE:-0}" = 1 ] && crsv=0x04
      n="$(tshark -r "$pcap" -Y "dns.a == $POOL_IP && dns.qry.name == \"$WS_NAME\"" 2>/dev/null | wc -l)"
      [ "$n" -ge 1 ] || { echo "FAIL: $label: no DNS answer $WS_NAME -> $POOL_IP"; exit 1; }
      n="$(tshark -r "$pcap" -Y "http.request.uri == \"$WS_PATH\" && http.upgrade contains \"websocket\"" 2>/dev/null | wc -l)"
      [ "$n" -eq 1 ] || { echo "FAIL: $label: $n HTTP Upgrade requests to $WS_PATH, expected 1"; exit 1; }
      n="$(tshark -r "$pcap" -Y "http.response.code == 101" 2>/dev/null | wc -l)"
      [ "$n" -eq 1 ] || { echo "FAIL: $label: no 101 Switching Protocols"; exit 1; }
      n="$(tshark -r "$pcap" -Y "http.response.code == 101 && http.sec_websocket_extensions contains \"permessage-deflate\"" 2>/dev/null | wc -l)"
      [ "$n" -eq "${DEFLATE:-0}" ] || { echo "FAIL: $label: permessage-deflate accepted $n times, expected ${DEFLATE:-0}"; exit 1; }
      tshark -r "$pcap" -Y "websocket.opcode == 1" -T fields -e ip.src -e websocket.mask \
          -e websocket.rsv -e text 2>/dev/null >"$W/$label.frames"
      grep -q "^$CLIENT_IP	1	$crsv	.*\"type\":\"auth\".*\"site_key\":\"$SITE_KEY\"" "$W/$label.frames" \
          || { echo "FAIL: $label: no masked auth text frame (rsv $crsv) with the site key"; exit 1; }
      n="$(grep -c "^$CLIENT_IP	1	$crsv	.*\"type\":\"submit\"" "$W/$label.frames")"
      [ "$n" -eq "$SUBMITS" ] || { echo "FAIL: $label: $n submit frames, expected $SUBMITS"; exit 1; }
      for t in authed job hash_accepted; do
          grep -q "^$POOL_IP	0	0x00	.*\"type\":\"$t\"" "$W/$label.frames" \
              || { echo "FAIL: $label: no unmasked '$t' frame from the proxy"; exit 1; }
      done
      echo "ok      $label capture: DNS answer, Upgrade + 101 (deflate=${DEFLATE:-0}), masked auth (rsv $crsv) with the site key, $SUBMITS submits, authed/job/hash_accepted"
    )
}
if command -v tshark >/dev/null 2>&1; then
    for s in "${SETS[@]}"; do
        IFS=: read -r label pcap facts <<<"$s"
        capture_facts "$label" "$pcap" "$facts" || FAILS=$((FAILS + 1))
    done
else
    note "tshark not installed: capture content not cross-checked"
fi

# ---------------------------------------------------------------------------
# 3. minetrace on the captures (and the live scan -i of the run).
# ---------------------------------------------------------------------------
for l in "${LIVES[@]}"; do
    IFS=: read -r label dir <<<"$l"
    [ -f "$dir/live.rc" ] || continue
    echo "-- $label scan -i"
    rc="$(cat "$dir/live.rc")"
    if ! scan_status_ok "$rc" "$dir/live.jsonl"; then
        fail "$label: minetrace scan -i exited $rc (0 = no finding, 1 = findings)"; cat "$dir/live.err"
    else
        python3 "$HERE/check.py" intel "$dir/facts.env" "$dir/live.jsonl" \
            "$dir/live_hosts.json" || FAILS=$((FAILS + 1))
    fi
done
for s in "${SETS[@]}"; do
    IFS=: read -r label pcap facts <<<"$s"
    for mode in intel nointel; do
        out="$W/$label-$mode"
        mkdir -p "$out"
        args=()
        [ $mode = intel ] && args=("${INTEL[@]}")
        echo "-- $label $mode ($(basename "$pcap"))"
        rc=0
        "$MT_BIN" scan "${args[@]}" -o "$out/findings.jsonl" "$pcap" \
            >"$out/scan.out" 2>"$out/scan.err" || rc=$?
        if ! scan_status_ok "$rc" "$out/findings.jsonl"; then
            fail "$label $mode: minetrace scan exited $rc"; cat "$out/scan.err"; continue
        fi
        hrc=0
        "$MT_BIN" scan "${args[@]}" --hosts --json "$pcap" \
            >"$out/hosts.json" 2>"$out/hosts.err" || hrc=$?
        if [ "$hrc" != "$rc" ]; then
            fail "$label $mode: minetrace scan --hosts --json exited $hrc, the scan $rc"; cat "$out/hosts.err"; continue
        fi
        python3 "$HERE/check.py" "$mode" "$facts" "$out/findings.jsonl" "$out/hosts.json" \
            || FAILS=$((FAILS + 1))
    done
done

if [ $FAILS -ne 0 ]; then
    echo "wsminer: $FAILS failure(s)"
    exit 1
fi
echo "wsminer: passed"
exit 0
