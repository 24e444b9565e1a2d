#!/usr/bin/env bash
# Botnet study speed: 10M honeypot events (the corpus's real Cowrie lines,
# replicated with shifted times, sessions and addresses: bench/make_honey.py)
# through `minetrace botnet`, beside `jq -c 'select(.eventid=="cowrie.login.failed")'`
# and `wc -l` on the same file, one core each. Memory must follow attack
# sources, not events: the same 10M events with the sources not shifted
# (1,583 sources) and 1M shifted events are run too. Appends the figures to
# bench/RESULTS.md.
#   bench/botnet_bench.sh [RUNS] [EVENTS]      (default 2 rounds, 10000000)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-2}
N=${2:-10000000}
CORPUS=${MT_CORPUS:-../shared/corpus}
W=$(pwd)/bench/work/honey
mkdir -p "$W"
[ -x build/minetrace ] || scripts/setup.sh
cmake --build build --target minetrace >/dev/null
make_input() { # name events [flags]
  local f=$W/$1.json
  if [ ! -s "$f" ] || [ "$(wc -l < "$f")" -ne "$2" ]; then
    python3 bench/make_honey.py "$CORPUS" "$f" "$2" ${3:-} >&2
  fi
}
make_input big "$N"
make_input same "$N" --same-sources
make_input small $((N / 10))
declare -A T M
measure() {
  local name=$1; shift
  read -r t u m _ < <(python3 bench/timeit.py "$W/$name.err" taskset -c 0 "$@")
  if [ -z "${T[$name]:-}" ] || awk "BEGIN{exit !($t < ${T[$name]})}"; then T[$name]=$t; fi
  if [ -z "${M[$name]:-}" ] || [ "$m" -gt "${M[$name]}" ]; then M[$name]=$m; fi
}
BIG=$W/big.json
for _ in $(seq "$RUNS"); do
  measure wc wc -l "$BIG"
  measure botnet build/minetrace botnet --stats -o /dev/null "$BIG"
  measure jq jq -c 'select(.eventid=="cowrie.login.failed")' "$BIG"
done
measure same build/minetrace botnet --stats -o /dev/null "$W/same.json"
measure small build/minetrace botnet --stats -o /dev/null "$W/small.json"
size=$(stat -c %s "$BIG")
sources() { grep -o 'sources [0-9]*' "$W/$1.err" | head -1 | awk '{print $2}'; }
{
  echo
  echo "## Botnet study (\`bench/botnet_bench.sh $RUNS $N\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Input: $N Cowrie events ($(awk -v s="$size" 'BEGIN{printf "%.0f", s/1e6}') MB): the corpus's 102,686 real kareiva 2018 lines replicated with shifted times, sessions and source addresses (\`bench/make_honey.py\`). One core each (\`taskset -c 0\`), $RUNS interleaved rounds, fastest wall time."
  echo
  echo "| command | wall s | MB/s | events/s | peak RSS MiB |"
  echo "|---|---|---|---|---|"
  for k in wc jq botnet; do
    case $k in
      wc) c='`wc -l big.json`';;
      jq) c="\`jq -c 'select(.eventid==\"cowrie.login.failed\")' big.json\`";;
      botnet) c='`minetrace botnet --stats -o /dev/null big.json`';;
    esac
    awk -v c="$c" -v t="${T[$k]}" -v s="$size" -v n="$N" -v m="${M[$k]}" \
      'BEGIN{printf "| %s | %.2f | %.0f | %.0f | %.1f |\n", c, t, s/1e6/t, n/t, m/1024}'
  done
  echo
  echo "Memory against sources (one run each):"
  echo
  echo "| input | events | sources | wall s | peak RSS MiB |"
  echo "|---|---|---|---|---|"
  awk -v t="${T[botnet]}" -v n="$N" -v s="$(sources botnet)" -v m="${M[botnet]}" 'BEGIN{printf "| shifted sources | %d | %s | %.2f | %.1f |\n", n, s, t, m/1024}'
  awk -v t="${T[same]}" -v n="$N" -v s="$(sources same)" -v m="${M[same]}" 'BEGIN{printf "| same sources | %d | %s | %.2f | %.1f |\n", n, s, t, m/1024}'
  awk -v t="${T[small]}" -v n="$((N / 10))" -v s="$(sources small)" -v m="${M[small]}" 'BEGIN{printf "| shifted, a tenth | %d | %s | %.2f | %.1f |\n", n, s, t, m/1024}'
  echo
  awk -v a="${T[botnet]}" -v j="${T[jq]}" -v w="${T[wc]}" 'BEGIN{printf "minetrace botnet analyses the 10M events in %.1f s (target < 30 s): %.2fx the time of the jq filter and %.1fx that of `wc -l`.\n", a, a/j, a/w}'
} | tee -a bench/RESULTS.md
