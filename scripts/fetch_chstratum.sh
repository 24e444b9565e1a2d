#!/usr/bin/env bash
# fetch_chstratum.sh — get the real coin-hive-stratum proxy (cazala, npm
# coin-hive-stratum@1.4.10) for the WebSocket browser-miner test
# (tests/integration/wsminer.sh).
#
# coin-hive-stratum is the WebSocket <-> Stratum proxy that Coinhive-style
# browser miners were pointed at (CoinHive.CONFIG.WEBSOCKET_SHARDS) to mine
# on any pool: it speaks the Coinhive WebSocket protocol to the browser
# (auth/authed/job/submit/hash_accepted) and Monero Stratum to the pool. It
# is installed with npm (no install scripts run) into a cache directory
# together with its dependencies (ws 3.3.3, minimist, moment); the package
# and its main file are pinned by hash because the test runs it as root.
#
# Usage: scripts/fetch_chstratum.sh    prints the path of bin/coin-hive-stratum
# Exit:  0 ok, 3 npm/registry unreachable (caller may skip), 1 other error
#        (including "package not found" from a registry that answered).
# Env:   MT_CHS_CACHE  cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/chstratum)
set -euo pipefail

PKG="coin-hive-stratum"
VER="1.4.10"
WS_VER="3.3.3"
# npm's integrity of coin-hive-stratum-1.4.10.tgz (sha256 of the tarball:
# 18ce5cdb403a973891984d343e2e273413c1d2d896e71f878c7c6cdb9e92aa53) and the
# sha256 of its src/proxy.js, the code that runs.
WANT_INTEGRITY="sha512-8BoMlASHMT5STxTmWO2zP2SxnB93xGwD1th2vQMFFcqxsOZW+uBK/jZKzG0uWum3/jaDUavH5gp4iIbk3WabMw=="
WANT_PROXY_SHA256="e0b7432452d9a839fc6298b5402f10864e31ecb5c3e2ad488ccb94289b0668be"
CACHE="${MT_CHS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/chstratum}"

log() { echo "fetch_chstratum: $*" >&2; }

check_dir() { # check_dir DIR: the installed tree is the pinned one
    local d="$1" sum integ wsv
    [ -f "$d/node_modules/$PKG/bin/coin-hive-stratum" ] || return 1
    sum="$(sha256sum "$d/node_modules/$PKG/src/proxy.js" | cut -d' ' -f1)"
    [ "$sum" = "$WANT_PROXY_SHA256" ] || { log "proxy.js sha256 mismatch: $sum"; return 1; }
    integ="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"]["node_modules/coin-hive-stratum"]["integrity"])' \
        "$d/package-lock.json" 2>/dev/null || true)"
    [ "$integ" = "$WANT_INTEGRITY" ] || { log "package integrity mismatch: $integ"; return 1; }
    wsv="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' \
        "$d/node_modules/ws/package.json" 2>/dev/null || true)"
    [ "$wsv" = "$WS_VER" ] || { log "ws version is '$wsv', expected $WS_VER"; return 1; }
    return 0
}

dir="$CACHE/$PKG-$VER"
mkdir -p "$dir"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$dir/.lock"
    flock -w 300 9 || { log "could not lock $dir"; exit 1; }
fi
if check_dir "$dir/tree" 2>/dev/null; then
    echo "$dir/tree/node_modules/$PKG/bin/coin-hive-stratum"
    exit 0
fi

command -v npm >/dev/null 2>&1 || { log "npm not installed"; exit 3; }
command -v node >/dev/null 2>&1 || { log "node not installed"; exit 3; }
tmp="$(mktemp -d "$dir/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/package.json" <<JSON
{"name": "mt-chstratum", "private": true,
 "dependencies": {"$PKG": "$VER", "ws": "$WS_VER"}}
JSON
log "npm install $PKG@$VER (ws@$WS_VER) into $dir"
if ! (cd "$tmp" && timeout 180 npm install --ignore-scripts --no-audit --no-fund \
        --loglevel=error --fetch-retries=1 --fetch-timeout=30000 >install.out 2>install.err); then
    log "npm install failed: $(grep -m3 'npm error' "$tmp/install.err" | tr '\n' ' ')"
    if grep -qE 'E404|ETARGET|EINTEGRITY' "$tmp/install.err"; then
        exit 1
    fi
    exit 3
fi
check_dir "$tmp" || exit 1
rm -rf "$dir/tree"
mkdir -p "$dir/tree"
mv "$tmp/package.json" "$tmp/package-lock.json" "$tmp/node_modules" "$dir/tree/"
log "ok: $PKG@$VER at $dir/tree"
echo "$dir/tree/node_modules/$PKG/bin/coin-hive-stratum"
