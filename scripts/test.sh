#!/usr/bin/env bash
# Set up, build and run every test: the release build (unit, corpus,
# integration and fuzz-replay tests), then the same suite built with
# AddressSanitizer + UndefinedBehaviorSanitizer. This is what CI runs.
#   MT_TEST_NO_ASAN=1 scripts/test.sh   skip the sanitizer pass (faster)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
echo "== release build: tests" >&2
ctest --test-dir build --output-on-failure -j"$jobs"
if [ "${MT_TEST_NO_ASAN:-0}" != 1 ]; then
  echo "== ASan/UBSan build: tests" >&2
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMT_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    MT_SANITIZED=1 ctest --test-dir build-asan --output-on-failure -j"$jobs" -E 'bench'
fi
