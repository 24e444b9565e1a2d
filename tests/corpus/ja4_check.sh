#!/usr/bin/env bash
# JA4 (and JA3) of every TLS ClientHello minetrace decodes in the real
# captures, against values computed independently from tshark's dissection
# (tshark 4.0 has no JA4 field; see ja4_check.py).
set -euo pipefail
command -v tshark >/dev/null || { echo "tshark not installed"; exit 1; }
exec python3 "$(dirname "$0")/ja4_check.py"
