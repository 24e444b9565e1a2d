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

# shellcheck source=scripts/npm_fetch.sh
. "$(dirname "$0")/npm_fetch.sh"
npm_fetch "$PKG" "$CACHE" "$FILE" check_db 300
log "ok: $NPM_FETCHED ($(stat -c %s "$NPM_FETCHED") bytes)"
echo "$NPM_FETCHED"
