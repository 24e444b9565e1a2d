#!/usr/bin/env bash
# Every labelled real capture in ../shared/corpus/pcap: mining files give the
# expected findings, non-mining files (incl. nDPI's 544 captures) give none,
# EternalBlue/DoublePulsar files give precursor findings.
set -euo pipefail
exec python3 "$(dirname "$0")/check_labels.py"
