#!/usr/bin/env bash
# The ceiling of any flow-split `scan -j 2` on the bench capture: the capture
# split into two files by a symmetric flow key (both directions of a flow in
# the same file), each scanned by its own `-j 1` process on its own core at
# the same time. Nothing is shared, nobody walks or hands over the other
# half: no single-file design can beat this pair. Timed in the same rounds
# as `-j 1` (one core) and `-j 2` (both cores), order rotating each round.
#   bench/jobs_ceiling.sh [ROUNDS]     (default 15; prints min and median)
# The split is by tcpdump: bit 1 of the sum of the IPv4 addresses' and
# ports' low bytes (a sum is the same both ways); everything else (IPv6,
# ARP, ...) goes to the first file. The halves hold about 52% and 48% of
# the packets; the flow hash of `-j 2` splits differently, but as evenly.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-15}
W=bench/work
BIG=$W/bench.pcap
B=build/minetrace
[ -s "$BIG" ] || python3 bench/make_capture.py "${MT_CORPUS:-../shared/corpus}" "$BIG" 420
KEY='(ip and tcp and ((ip[15]+ip[19]+tcp[1]+tcp[3]) & 2) = 0) or (ip and udp and ((ip[15]+ip[19]+udp[1]+udp[3]) & 2) = 0) or not ip or (ip and not tcp and not udp)'
if [ ! -s "$W/half_a.pcap" ] || [ "$W/half_a.pcap" -ot "$BIG" ]; then
  tcpdump -Z "$(id -un)" -r "$BIG" -w "$W/half_a.pcap" "$KEY" 2>/dev/null
  tcpdump -Z "$(id -un)" -r "$BIG" -w "$W/half_b.pcap" "not ($KEY)" 2>/dev/null
fi
out=$W/jobs_ceiling.txt
: > "$out"
for r in $(seq "$ROUNDS"); do
  for k in 0 1 2; do
    case $(( (k + r) % 3 )) in
    0) n=j1; set -- taskset -c 0 "$B" scan -q -o /dev/null "$BIG" ;;
    1) n=j2; set -- taskset -c 0,1 "$B" scan -q -j 2 -o /dev/null "$BIG" ;;
    2) n=pair; set -- bash -c "taskset -c 0 $B scan -q -o /dev/null $W/half_a.pcap & taskset -c 1 $B scan -q -o /dev/null $W/half_b.pcap & wait" ;;
    esac
    read -r t _ < <(python3 bench/timeit.py "$W/jobs_ceiling.err" "$@")
    echo "$n $t" >> "$out"
  done
done
stat() { grep "^$1 " "$out" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END{printf "%.3f %.3f\n", a[1], a[int((NR+1)/2)]}'; }
read -r j1min j1med < <(stat j1)
read -r j2min j2med < <(stat j2)
read -r pmin pmed < <(stat pair)
echo "halves: $(build/pcap_count "$W/half_a.pcap" | awk '{print $1}') and $(build/pcap_count "$W/half_b.pcap" | awk '{print $1}') packets; $ROUNDS rounds, min / median wall s"
echo "-j 1 (one core)        $j1min / $j1med"
echo "-j 2 (two cores)       $j2min / $j2med   speed-up $(awk -v a="$j1min" -v b="$j2min" 'BEGIN{printf "%.2f", a/b}')x / $(awk -v a="$j1med" -v b="$j2med" 'BEGIN{printf "%.2f", a/b}')x"
echo "two halves, two procs  $pmin / $pmed   ceiling  $(awk -v a="$j1min" -v b="$pmin" 'BEGIN{printf "%.2f", a/b}')x / $(awk -v a="$j1med" -v b="$pmed" 'BEGIN{printf "%.2f", a/b}')x"
