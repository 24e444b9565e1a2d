#!/usr/bin/env bash
# Layering: no src/ layer includes a higher one, public headers include only
# public headers, no include cycle (tests/static/layers.py).
set -euo pipefail
exec python3 "$(dirname "$0")/layers.py" "${MT_SRC:-$(dirname "$0")/../..}"
