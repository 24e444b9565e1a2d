#!/usr/bin/env bash
# Impossible packet timestamps (pcapng blocks saying 0x7fffffffffffffff,
# a negative interface offset, the year 3000): minetrace takes the previous
# packet's time for them, counts them in --stats, warns naming the file,
# skips those before any possible time, and never prints an unfilled time.
# The --hosts table's columns fit their content.
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-.}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 "$SRC/tests/integration/lib/pcapgen.py" badts "$tmp/badts.pcapng"
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

rc=0; "$BIN" scan --stats --hosts --db "$tmp/s.db" "$tmp/badts.pcapng" >"$tmp/hosts.txt" 2>"$tmp/err.txt" || rc=$?
check "scan with findings exits 1 (got $rc)" '[ "$rc" = 1 ]'
check "warning names the file and the counts" \
  'grep -q "badts.pcapng: 5 packets with impossible timestamps (first: packet 1, .*4 given the time of the packet before, 1 skipped" "$tmp/err.txt"'
check "--stats counts them" 'grep -q "^timestamps 5 impossible (4 given the previous packet.s time, 1 packets skipped)" "$tmp/err.txt"'
check "six hosts (the first packet is skipped)" '[ "$(grep -c "^10\.65\." "$tmp/hosts.txt")" = 6 ]'
# Every time printed is a real one of 2024, clamped to the packet before.
check "all first/last seen are possible times" \
  '! awk "NR>1{print \$4, \$5}" "$tmp/hosts.txt" | grep -vqE "^2024-03-01T10:00:0[0-2]\.000000\+0000 2024-03-01T10:00:0[0-2]\.000000\+0000$"'
check "far-future packet clamped to the one before (10.65.0.5 at 10:00:00)" \
  'grep -qE "^10\.65\.0\.5 .* 2024-03-01T10:00:00\.000000\+0000 " "$tmp/hosts.txt"'
# Aligned: the LAST SEEN heading starts where each row's last time starts.
col=$(head -1 "$tmp/hosts.txt" | awk '{print index($0, "LAST SEEN")}')
check "columns fit the 31-character times" \
  '[ -z "$(awk -v c="$col" "NR>1 && substr(\$0, c, 4) != \"2024\"" "$tmp/hosts.txt")" ]'
# The store holds exactly the rows the hosts list reports, all in 2024.
check "store rows: 6, all with possible times" \
  '[ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM findings WHERE ts BETWEEN 1709287200000000 AND 1709287203000000")" = 6 ] &&
   [ "$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM findings")" = 6 ]'
"$BIN" scan -q --hosts --json "$tmp/badts.pcapng" >"$tmp/hosts.json" 2>"$tmp/err2.txt" || true
check "-q: no warning" '[ ! -s "$tmp/err2.txt" ]'
check "JSON first_seen are possible times" \
  '[ "$(grep -c "\"first_seen\":\"2024-03-01T10:00:0" "$tmp/hosts.json")" = 6 ]'
[ $fail = 0 ] && echo "scan timestamps: all checks passed"
exit $fail
