#!/usr/bin/env bash
# fetch_npm.sh: benign WebAssembly from npm for tests/unit/test_wasm.c, the
# hard negatives a CryptoNight recogniser must not flag: Argon2, BLAKE3,
# hash-wasm (21 hashes embedded as base64), xxhash-wasm (a byte array),
# sql.js, libsodium (base64) and monero-ts, a Monero wallet library whose
# module carries cn_slow_hash (gzip+base64). Packed (no install scripts run)
# into a cache directory and unpacked; prints that directory.
# Exit: 0 ok, 3 npm or the registry unreachable (the caller skips, saying so),
#       1 other errors.
set -euo pipefail
CACHE="${MT_NPM_WASM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/npm-wasm}"
PKGS=(hash-wasm@4.11.0 argon2-browser@1.18.0 blake3-wasm@2.1.5 xxhash-wasm@1.0.2 sql.js@1.10.3
      libsodium@0.7.13 monero-ts@0.11.15)
log() { echo "fetch_npm: $*" >&2; }
mkdir -p "$CACHE"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$CACHE/.lock"
    flock -w 600 9 || { log "could not lock $CACHE"; exit 1; }
fi
for p in "${PKGS[@]}"; do
    tgz="$CACHE/$(echo "${p%@*}" | tr / _)-${p##*@}.tgz"
    dir="$CACHE/x/${p%@*}@${p##*@}"
    if [ ! -f "$dir/.done" ]; then
        if [ ! -f "$tgz" ]; then
            command -v npm >/dev/null 2>&1 || { log "npm not installed"; exit 3; }
            out="$(cd "$CACHE" && timeout 300 npm pack --silent "$p" 2>&1 | tail -n1)" || {
                log "npm pack $p failed: $out"; exit 3; }
            [ -f "$CACHE/$out" ] || { log "npm pack $p gave no file ($out)"; exit 3; }
            [ "$CACHE/$out" = "$tgz" ] || mv "$CACHE/$out" "$tgz"
        fi
        rm -rf "$dir"
        mkdir -p "$dir"
        tar -xzf "$tgz" -C "$dir" || { log "cannot unpack $tgz"; exit 1; }
        touch "$dir/.done"
    fi
done
echo "$CACHE/x"
