#!/usr/bin/env bash
# One store for a fleet of sensors (issue 11), on real captures and logs:
# sensor a scans the four jsiwek_zeek-cryptomining captures and reads the
# test auth logs (botnet), sensor b scans nDPI's and NESFIT's mining
# captures and the test web pages; each into the shared store and into a
# store of its own. Then:
# - report --sensor a over the shared store is a's own report (every number,
#   in JSON, text and CSV; the timing figures aside), likewise b;
# - the Sensors section of the shared store (report --by-sensor) has one row
#   per sensor, equal to each own store's row;
# - export --sensor a equals the export of a's own store;
# - the same capture under two sensors gives two rows per identity;
# - re-running every sensor changes no row and no report;
# - an unknown --sensor is named in a warning; a bad name is a usage error.
set -euo pipefail
BIN=${MT_BIN:?MT_BIN}
SRC=${MT_SRC:-.}
C=${MT_CORPUS:?MT_CORPUS}/pcap
[ -d "$C" ] || { echo "no corpus at $C"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

A=("$C"/other/jsiwek_zeek-cryptomining/*.pcap)
B=("$C"/ndpi/mining.pcapng "$C"/ndpi/zcash_ndpi4.2.pcap
   "$C"/other/nesfit_DI-cryptominingdetection/xmr-eu1.nanopool.org.pcapng
   "$C"/other/nesfit_DI-cryptominingdetection/eth-eu1.nanopool.org.pcapng)
auth=("$SRC"/tests/data/botnet/authlog/auth.log "$SRC"/tests/data/botnet/authlog/auth-iso.log)
web=$SRC/tests/data/web/miners

run_a() { # store
    "$BIN" scan -q --sensor a --db "$1" "${A[@]}" >/dev/null || [ $? = 1 ]
    "$BIN" botnet -q --sensor a --db "$1" "${auth[@]}" >/dev/null || [ $? = 1 ]
}
run_b() {
    "$BIN" scan -q --sensor b --db "$1" "${B[@]}" >/dev/null || [ $? = 1 ]
    "$BIN" web -q --sensor b --db "$1" "$web" >/dev/null || [ $? = 1 ]
}
run_a "$tmp/all.db"; run_b "$tmp/all.db"
run_a "$tmp/a.db"; run_b "$tmp/b.db"

q() { sqlite3 "$1" "$2"; }
check "the shared store holds both sensors' findings" \
  '[ "$(q "$tmp/all.db" "SELECT count(*) FROM findings")" = $(( $(q "$tmp/a.db" "SELECT count(*) FROM findings") + $(q "$tmp/b.db" "SELECT count(*) FROM findings") )) ]'
check "a has traffic findings and credentials, b traffic and web findings" \
  '[ "$(q "$tmp/a.db" "SELECT count(*) > 0 FROM findings") $(q "$tmp/a.db" "SELECT count(*) > 0 FROM credentials") $(q "$tmp/b.db" "SELECT count(*) > 0 FROM findings") $(q "$tmp/b.db" "SELECT count(*) > 0 FROM web_findings")" = "1 1 1 1" ]'

# The timing figures are the only things that may differ.
strip() { python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
for k in ("scan_ms", "top_scan_ms"): d["report"].pop(k, None)
print(json.dumps(d, sort_keys=True, indent=1))' "$1"; }
rep() { # store out [options]
    local db=$1 out=$2; shift 2
    "$BIN" report -q --db "$db" "$@" --json -o "$out.json" || [ $? = 1 ]
    strip "$out.json" >"$out.norm"
    "$BIN" report -q --db "$db" "$@" -o "$out.txt" || [ $? = 1 ]
    rm -rf "$out.csv"; "$BIN" report -q --db "$db" "$@" --csv "$out.csv" || [ $? = 1 ]
}
for s in a b; do
    rep "$tmp/$s.db" "$tmp/own_$s"
    rep "$tmp/all.db" "$tmp/sel_$s" --sensor "$s"
    check "report --sensor $s (JSON) equals $s's own store" 'cmp -s "$tmp/own_$s.norm" "$tmp/sel_$s.norm"'
    check "report --sensor $s (text) equals $s's own store" 'cmp -s "$tmp/own_$s.txt" "$tmp/sel_$s.txt"'
    check "report --sensor $s (CSV) equals $s's own store" \
      'diff -r "$tmp/own_$s.csv" "$tmp/sel_$s.csv" >/dev/null'
done
if ! cmp -s "$tmp/own_a.norm" "$tmp/sel_a.norm"; then diff "$tmp/own_a.norm" "$tmp/sel_a.norm" | head -20; fi
check "sensor b's report has the web study, a's the botnet study" \
  'grep -q "\"web\"" "$tmp/sel_b.norm" && grep -q "\"botnet\"" "$tmp/sel_a.norm" && ! grep -q "\"web\":" "$tmp/sel_a.norm"'
rep "$tmp/all.db" "$tmp/both" --sensor a,b
rep "$tmp/all.db" "$tmp/every"
check "--sensor a,b over the shared store equals no selection" 'cmp -s "$tmp/both.norm" "$tmp/every.norm"'
check "the shared report has a Sensors section (two sensors)" 'grep -q "\"sensors\"" "$tmp/every.norm"'
check "a report of one sensor has none unless --by-sensor" '! grep -q "\"sensors\"" "$tmp/sel_a.norm"'

# The breakdown rows against each sensor's own store.
rows() { python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["sensors"]["rows"]:
    r.pop("share"); print(json.dumps(r, sort_keys=True))' "$1"; }
"$BIN" report -q --db "$tmp/all.db" --by-sensor --json -o "$tmp/by.json" || [ $? = 1 ]
"$BIN" report -q --db "$tmp/a.db" --by-sensor --json -o "$tmp/by_a.json" || [ $? = 1 ]
"$BIN" report -q --db "$tmp/b.db" --by-sensor --json -o "$tmp/by_b.json" || [ $? = 1 ]
rows "$tmp/by.json" | sort >"$tmp/by.rows"
cat <(rows "$tmp/by_a.json") <(rows "$tmp/by_b.json") | sort >"$tmp/own.rows"
check "the Sensors rows of the shared store are each own store's row" \
  '[ "$(wc -l <"$tmp/by.rows")" = 2 ] && cmp -s "$tmp/by.rows" "$tmp/own.rows"'
check "the Sensors rows agree with the store (findings per sensor)" \
  '[ "$(python3 -c "import json,sys; print(\" \".join(str(r[\"findings\"]) for r in sorted(json.load(open(sys.argv[1]))[\"sensors\"][\"rows\"], key=lambda r: r[\"sensor\"])))" "$tmp/by.json")" = "$(q "$tmp/all.db" "SELECT group_concat(n, \" \") FROM (SELECT count(*) AS n FROM findings GROUP BY sensor ORDER BY sensor)")" ]'

"$BIN" export -q --db "$tmp/all.db" --only findings --sensor a --format csv -o "$tmp/x_sel.csv" || [ $? = 1 ]
"$BIN" export -q --db "$tmp/a.db" --only findings --format csv -o "$tmp/x_own.csv" || [ $? = 1 ]
"$BIN" export -q --db "$tmp/all.db" --only findings --format csv -o "$tmp/x_all.csv" || [ $? = 1 ]
check "export --sensor a equals a's own export (and differs from all)" \
  'cmp -s "$tmp/x_sel.csv" "$tmp/x_own.csv" && ! cmp -s "$tmp/x_sel.csv" "$tmp/x_all.csv"'

# Idempotent: every sensor again, into the shared store.
before=$(q "$tmp/all.db" "SELECT count(*), sum(uid % 1000003), sum(ts) FROM findings")
wbefore=$(q "$tmp/all.db" "SELECT count(*) FROM web_findings"):$(q "$tmp/all.db" "SELECT count(*) FROM credentials")
run_a "$tmp/all.db"; run_b "$tmp/all.db"
rep "$tmp/all.db" "$tmp/again"
check "re-running both sensors adds no row" \
  '[ "$(q "$tmp/all.db" "SELECT count(*), sum(uid % 1000003), sum(ts) FROM findings")" = "$before" ] &&
   [ "$(q "$tmp/all.db" "SELECT count(*) FROM web_findings"):$(q "$tmp/all.db" "SELECT count(*) FROM credentials")" = "$wbefore" ]'
check "... and changes no report" 'cmp -s "$tmp/again.norm" "$tmp/every.norm"'

# The same capture under two sensors: two rows per identity.
"$BIN" scan -q --sensor a --db "$tmp/two.db" "${A[@]}" >/dev/null || [ $? = 1 ]
"$BIN" scan -q --sensor c --db "$tmp/two.db" "${A[@]}" >/dev/null || [ $? = 1 ]
n=$(q "$tmp/a.db" "SELECT count(*) FROM findings")
check "the same captures under sensors a and c: two rows per identity ($n each)" \
  '[ "$(q "$tmp/two.db" "SELECT count(*) FROM findings")" = $((2 * n)) ] &&
   [ "$(q "$tmp/two.db" "SELECT count(*) FROM (SELECT uid FROM findings GROUP BY uid HAVING count(*) = 2)")" = "$n" ]'

# An unknown sensor: a warning naming it, and the Sensors section says so.
rc=0; "$BIN" report --db "$tmp/all.db" --sensor nosuch -o "$tmp/none.txt" 2>"$tmp/none.err" || rc=$?
check "report --sensor nosuch: a warning naming it, exit 0, the section names it" \
  '[ "$rc" = 0 ] && grep -q "warning: sensor .nosuch. has no traffic findings" "$tmp/none.err" &&
   grep -q "No finding in the range for the selected sensor nosuch" "$tmp/none.txt"'
rc=0; "$BIN" report --db "$tmp/all.db" --sensor 'a,,b' >/dev/null 2>"$tmp/bad.err" || rc=$?
check "report --sensor a,,b is a usage error (exit 2)" '[ "$rc" = 2 ] && grep -q "sensor" "$tmp/bad.err"'
rc=0; "$BIN" scan --sensor "$(printf 'x\033]0;t\007')" --db "$tmp/x.db" "${A[0]}" >/dev/null 2>"$tmp/bad2.err" || rc=$?
check "scan --sensor with control bytes is a usage error, not echoed raw" \
  '[ "$rc" = 2 ] && ! grep -q "$(printf "\033")" "$tmp/bad2.err" && [ ! -e "$tmp/x.db" ]'
exit $fail
