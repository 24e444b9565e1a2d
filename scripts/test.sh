#!/usr/bin/env bash
# Set up, build and run every test. This is what CI runs:
#   1. the release build (gcc): unit, corpus, static, integration and
#      fuzz-replay tests;
#   2. the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. a clang build (-Werror), its unit, corpus, static and fuzz-replay tests;
#   4. the libFuzzer targets built with clang (-Werror), each replaying its
#      seed corpus once.
#   MT_TEST_NO_ASAN=1 scripts/test.sh    skip pass 2
#   MT_TEST_NO_CLANG=1 scripts/test.sh   skip passes 3 and 4
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
echo "== release build (gcc): tests" >&2
ctest --test-dir build --output-on-failure -j"$jobs"
if [ "${MT_TEST_NO_ASAN:-0}" != 1 ]; then
  echo "== ASan/UBSan build: tests" >&2
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMT_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs" >/dev/null
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    MT_SANITIZED=1 ctest --test-dir build-asan --output-on-failure -j"$jobs" -E 'bench'
fi
if [ "${MT_TEST_NO_CLANG:-0}" != 1 ]; then
  echo "== clang build: tests" >&2
  CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMT_LTO=OFF >/dev/null
  cmake --build build-clang -j"$jobs" >/dev/null
  ctest --test-dir build-clang --output-on-failure -j"$jobs" -E 'integration|bench'
  echo "== libFuzzer targets (clang): build, replay seeds" >&2
  CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMT_FUZZ=ON >/dev/null
  cmake --build build-fuzz -j"$jobs" >/dev/null
  n=0
  for f in fuzz/fuzz_*.c; do
    t=$(basename "$f" .c)
    ASAN_OPTIONS=detect_leaks=1 build-fuzz/"$t" -runs=0 "fuzz/corpus/$t" >build-fuzz/"$t".log 2>&1 ||
      { cat build-fuzz/"$t".log >&2; echo "fuzz replay failed: $t" >&2; exit 1; }
    n=$((n + 1))
  done
  echo "fuzz: $n targets built with clang -Werror, every seed replayed" >&2
fi
