#!/usr/bin/env bash
# Findings of one minetrace binary on every corpus capture and log, in a
# form that two binaries can be compared by (diff -r): sorted findings JSON
# per capture, --hosts JSON per capture, the findings table of each log
# ingested into its own store, and the report (text, JSON, CSV) of the logs.
# Used to show that a refactor leaves every finding byte-identical.
#   scripts/findings_snapshot.sh BIN OUTDIR [BENCH_PCAP]
set -euo pipefail
bin=$(realpath "$1"); out=$2; bench=${3:-}
corpus=${MT_CORPUS:-$(dirname "$0")/../../shared/corpus}
corpus=$(realpath "$corpus")
mkdir -p "$out/pcap" "$out/logs"
out=$(realpath "$out")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# A second pass with corpus lists loaded exercises every list format.
I=$corpus/intel
intel=(--intel "$I/ut1_cryptojacking_domains.txt:60" --intel "$I/nocoin_adblock.txt:80:browser-miner"
       --intel "$I/coinblocker_MiningServerIPList.txt:40" --intel "$I/anudeep_coinminer_hosts.txt")

# Captures: one file of findings and one of host verdicts each.
find "$corpus/pcap" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort |
while read -r f; do
  rel=${f#"$corpus/pcap/"}; key=${rel//\//__}
  "$bin" scan -q -o - "$f" 2>/dev/null | sort > "$out/pcap/$key.json" || true
  "$bin" scan -q --hosts --json --min-score 0 "$f" 2>/dev/null > "$out/pcap/$key.hosts" || true
  "$bin" scan -q "${intel[@]}" -o - "$f" 2>/dev/null | sort > "$out/pcap/$key.intel.json" || true
done

# Logs: each top-level log directory/file ingested into its own store.
dump() { sqlite3 -separator '|' "$1" 'SELECT uid,ts,day,flow_id,src_ip,dest_ip,src_port,dest_port,proto,event_type,kind,protocol,pool,wallet,worker,agent,algo,family,confidence,evidence,source FROM findings ORDER BY uid'; }
all=$work/all.db
for d in "$corpus"/logs/suricata/* "$corpus"/logs/zeek/* "$corpus"/logs/flows/*; do
  key=$(basename "$(dirname "$d")")__$(basename "$d")
  db=$work/$key.db
  mapfile -t files < <(find "$d" -type f \( -name '*.log' -o -name '*.json' -o -name '*.gz' -o -name '*.jsonl' \) | sort)
  [ ${#files[@]} -gt 0 ] || continue
  "$bin" ingest -q --no-progress "${intel[@]}" --db "$db" "${files[@]}" > "$out/logs/$key.summary" 2>&1 || true
  sed -i -E 's/[0-9]+(\.[0-9]+)? ?(s|ms|records\/s)\b/T/g' "$out/logs/$key.summary"
  dump "$db" > "$out/logs/$key.findings" 2>/dev/null || true
  "$bin" ingest -q --no-progress --db "$all" "${files[@]}" >/dev/null 2>&1 || true
done
# The report reads the logs and every capture's findings.
cat "$out"/pcap/*.intel.json > "$work/scan.jsonl"
"$bin" ingest -q --no-progress --db "$all" "$work/scan.jsonl" > "$out/logs/scan-jsonl.summary" 2>&1 || true
dump "$all" > "$out/logs/all.findings" 2>/dev/null || true
"$bin" report --db "$all" > "$out/report.txt" 2>&1 || true
"$bin" report --db "$all" --json 2>&1 | sed -E 's/"(scan_ms|top_scan_ms)":[0-9.]+/"\1":T/g' > "$out/report.json" || true
mkdir -p "$out/report.csv"
"$bin" report --db "$all" --csv "$out/report.csv" >/dev/null 2>&1 || true
"$bin" report --db "$all" --by day --html "$work/r.html" >/dev/null 2>&1 && grep -v -i 'generated' "$work/r.html" > "$out/report.html" || true

if [ -n "$bench" ]; then
  "$bin" scan -q -o - "$bench" 2>/dev/null | sort > "$out/bench.json"
fi
echo "snapshot: $(ls "$out/pcap" | wc -l) capture files, $(ls "$out/logs" | wc -l) log files in $out" >&2
