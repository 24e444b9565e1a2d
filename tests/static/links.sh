#!/usr/bin/env bash
# Link-level layering: no layer library uses a symbol of a layer it does not
# declare (tests/static/links.py, over the built libmt_*.a).
set -euo pipefail
exec python3 "$(dirname "$0")/links.py"
