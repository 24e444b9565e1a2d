#!/usr/bin/env bash
# Website scanner speed on a crawl of at least 1 GB: the corpus's real WARC
# records and our labelled miner crawl (tests/integration/web/make_crawl.py),
# replicated, as one .warc.gz with a gzip member per record (Common Crawl's
# layout). Times `minetrace web` beside `gzip -dc FILE > /dev/null` on the
# same file in the same rounds, one core each, and appends the figures to
# bench/RESULTS.md.
#   bench/web_bench.sh [RUNS] [MB]      (default 3 rounds, 1100 MB)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
MB=${2:-1100}
CORPUS=${MT_CORPUS:-../shared/corpus}
W=$(pwd)/bench/work/web
mkdir -p "$W"
[ -x build/minetrace ] || scripts/setup.sh
cmake --build build --target minetrace >/dev/null
BIG=$W/crawl.warc.gz
if [ ! -s "$BIG" ] || [ "$(stat -c %s "$BIG")" -lt $((MB * 1000000)) ]; then
  rm -rf "$W/labelled"; mkdir -p "$W/labelled/wasm"
  bash tests/data/web/wasm/build.sh "$W/labelled/wasm" >/dev/null 2>&1
  python3 tests/integration/web/make_crawl.py . "$CORPUS" "$W/labelled" "$W/labelled/wasm" >/dev/null
  unit=$W/unit.warc.gz
  cat "$W/labelled/crawl.warc.gz" "$CORPUS"/web/warc/*.warc.gz > "$unit"
  : > "$BIG"
  while [ "$(stat -c %s "$BIG")" -lt $((MB * 1000000)) ]; do cat "$unit" >> "$BIG"; done
fi
size=$(stat -c %s "$BIG")
declare -A T M
measure() {
  local name=$1; shift
  read -r t u m _ < <(python3 bench/timeit.py "$W/$name.err" taskset -c 0 "$@")
  if [ -z "${T[$name]:-}" ] || awk "BEGIN{exit !($t < ${T[$name]})}"; then T[$name]=$t; fi
  if [ -z "${M[$name]:-}" ] || [ "$m" -gt "${M[$name]}" ]; then M[$name]=$m; fi
}
for _ in $(seq "$RUNS"); do
  measure gzip sh -c "gzip -dc '$BIG' > /dev/null"
  measure web build/minetrace web -q --stats -o /dev/null "$BIG"
done
pages=$(grep -o 'pages [0-9]*' "$W/web.err" | head -1 | awk '{print $2}')
records=$(grep -o 'records [0-9]*' "$W/web.err" | head -1 | awk '{print $2}')
findings=$(grep -o 'findings [0-9]*' "$W/web.err" | head -1 | awk '{print $2}')
{
  echo
  echo "## Website scanner (\`bench/web_bench.sh $RUNS\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Input: $(awk -v s="$size" 'BEGIN{printf "%.0f", s/1e6}') MB \`.warc.gz\` (a gzip member per record): the corpus's real WARC files and our labelled miner crawl, replicated; $records records, $pages HTML pages. One core each (\`taskset -c 0\`), $RUNS interleaved rounds, fastest wall time."
  echo
  echo "| command | wall s | MB/s | pages/s | peak RSS MiB |"
  echo "|---|---|---|---|---|"
  awk -v t="${T[gzip]}" -v s="$size" -v m="${M[gzip]}" 'BEGIN{printf "| `gzip -dc crawl.warc.gz > /dev/null` | %.2f | %.0f | - | %.1f |\n", t, s/1e6/t, m/1024}'
  awk -v t="${T[web]}" -v s="$size" -v p="$pages" -v m="${M[web]}" 'BEGIN{printf "| `minetrace web -q --stats -o /dev/null crawl.warc.gz` | %.2f | %.0f | %.0f | %.1f |\n", t, s/1e6/t, p/t, m/1024}'
  echo
  awk -v a="${T[gzip]}" -v b="${T[web]}" -v p="$pages" 'BEGIN{printf "minetrace web takes %.2fx the time of `gzip -dc` on the same file (target: no slower) and scans %.0f pages/s on one core (target >= 2,000).\n", b/a, p/b}'
  echo "$findings findings (each labelled miner site once per copy is de-duplicated per site and evidence, so copies add none)."
} | tee -a bench/RESULTS.md
