#!/usr/bin/env bash
# The sensor's bounds, on synthetic pool lookups (tests/integration/lib/
# pcapgen.py, no corpus bytes):
# - host verdicts are capped by --max-hosts: memory (peak RSS) stays flat as
#   the number of distinct mining hosts grows fourfold, and the evictions
#   are counted in --stats;
# - a file scan writes and commits every --flush-interval seconds: with a
#   slow producer on standard input, findings are in the -o file and the
#   --db store while the scan runs, and SIGKILL leaves a consistent store
#   holding them. (The live case, SIGHUP and rotation: tests/integration/
#   live_capture.sh.)
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-.}
gen=$SRC/tests/integration/lib/pcapgen.py
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

# Peak RSS in kB of a command (the child's ru_maxrss). Under ASan, freed
# memory would sit in its quarantine and count: no quarantine here.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0
rss() { python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[-1] + ".err", "w"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"; }

python3 "$gen" dns "$tmp/h50k.pcap" 50000 10.64.0.1
python3 "$gen" dns "$tmp/h200k.pcap" 200000 10.64.0.1
open=$(rss "$BIN" scan -q --stats --max-hosts 16777216 -o /dev/null "$tmp/h200k.pcap")
small=$(rss "$BIN" scan -q --stats --max-hosts 5000 -o /dev/null "$tmp/h50k.pcap")
big=$(rss "$BIN" scan -q --stats --max-hosts 5000 -o /dev/null "$tmp/h200k.pcap")
echo "peak RSS: 50k hosts capped at 5000 ${small} kB, 200k capped ${big} kB, 200k uncapped ${open} kB"
check "capped: 4x the hosts costs under 4 MB more" '[ $((big - small)) -lt 4096 ]'
check "uncapped: the same capture costs over 60 MB more (what the cap saves)" '[ $((open - big)) -gt 61440 ]'
check "evictions counted in --stats" \
  'grep -q "^hosts 5000 with verdicts (peak 5000, 195000 evicted at the cap of 5000)" "$tmp/h200k.pcap.err"'
check "every finding still written" 'grep -q "^findings 200000 " "$tmp/h200k.pcap.err"'
# The hosts kept are the most recently active: the last 5000 clients.
"$BIN" scan -q --max-hosts 5000 --hosts --json --min-score 0 "$tmp/h50k.pcap" >"$tmp/kept.json" || true
check "--hosts lists the 5000 most recent hosts" \
  '[ "$(grep -c "\"host\":" "$tmp/kept.json")" = 5000 ] && grep -q "\"host\":\"10.64.195.80\"" "$tmp/kept.json" &&
   ! grep -q "\"host\":\"10.64.0.1\"" "$tmp/kept.json"'
rc=0; "$BIN" scan --max-hosts 0 "$tmp/h50k.pcap" >/dev/null 2>"$tmp/err0" || rc=$?
check "--max-hosts 0 is a usage error (exit 2)" '[ "$rc" = 2 ] && grep -q "max-hosts" "$tmp/err0"'
rc=0; "$BIN" scan --flush-interval x "$tmp/h50k.pcap" >/dev/null 2>"$tmp/err1" || rc=$?
check "--flush-interval x is a usage error (exit 2)" '[ "$rc" = 2 ] && grep -q "flush-interval" "$tmp/err1"'

# A slow producer: 2000 lookups a second for 6 s, read from standard input.
python3 "$gen" dnsstream 2000 6 | "$BIN" scan -q -o "$tmp/s.jsonl" --db "$tmp/s.db" - 2>/dev/null &
pid=$!
sleep 3
n_file=$(wc -l <"$tmp/s.jsonl")
n_db=$(sqlite3 -cmd ".timeout 3000" "$tmp/s.db" "SELECT count(*) FROM findings" 2>/dev/null || echo 0)
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "after 3 s: $n_file findings in the file, $n_db in the store"
check "running: findings in the -o file" '[ "$n_file" -ge 500 ]'
check "running: findings committed to the store" '[ "$n_db" -ge 500 ]'
check "SIGKILL: the store is consistent" '[ "$(sqlite3 "$tmp/s.db" "PRAGMA integrity_check")" = ok ]'
check "SIGKILL: it keeps what was committed" '[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM findings")" -ge "$n_db" ]'
# A trickle (20 lookups a second, as `tcpdump -w - | minetrace scan -` may
# bring): still written out within the second.
python3 "$gen" dnsstream 20 5 10.69.0.1 | "$BIN" scan -q -o "$tmp/t.jsonl" - 2>/dev/null &
pid=$!
sleep 3
n_file=$(wc -l <"$tmp/t.jsonl")
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "trickle after 3 s: $n_file findings in the file"
check "trickle: findings written while the scan runs" '[ "$n_file" -ge 10 ]'
[ $fail = 0 ] && echo "scan sensor: all checks passed"
exit $fail
