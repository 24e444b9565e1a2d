#!/bin/bash
# End-to-end test of `minetrace report` on real data: findings from the
# corpus's labelled mining captures (scan --db) plus the real EVE/Zeek logs
# (ingest), the three real price formats, an asset inventory; checks the
# JSON numbers against SQL counts made here with the sqlite3 CLI, the CSV
# files, HTML escaping of hostile strings, and renders the HTML page in
# headless Chromium (screenshot + DOM dump) to see that charts and key
# numbers are there.
set -u
BIN=${MT_BIN:?MT_BIN not set}
CORPUS=${MT_CORPUS:?MT_CORPUS not set}
W=$(mktemp -d /tmp/mt_report_html.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Command line: help names every analysis; bad arguments are usage errors (2);
# so is an unreadable database (2). A report with findings in range exits 1,
# one without 0 (the exit status convention of every command).
"$BIN" report --help > "$W/help.txt" || fail "--help"
for a in activity mix ports victims market top "ISO week" "Student's t" "80 and 443"; do
    grep -q "$a" "$W/help.txt" || fail "--help does not explain '$a'"
done
expect_rc() { local want=$1; shift; "$BIN" report "$@" >/dev/null 2>&1; local rc=$?
              [ "$rc" = "$want" ] || fail "report $* exited $rc, want $want"; }
expect_rc 2
expect_rc 2 --db x.db --by year
expect_rc 2 --db x.db --tz Mars/Olympus
expect_rc 2 --db x.db --from 2018-02-30
expect_rc 2 --db x.db --from 2018-03 --to 2018-01
expect_rc 2 --db x.db --only bogus
expect_rc 2 --db x.db --json --html x.html
expect_rc 2 --db "$W/does-not-exist/x.db"

DB=$W/f.db
P=$CORPUS/pcap
mapfile -t PCAPS < <(awk -F'\t' '$2=="mining"{print "'"$P"'/"$1}' "$P/LABELS.tsv")
[ ${#PCAPS[@]} -ge 5 ] || fail "no labelled mining captures in $P/LABELS.tsv"
"$BIN" scan --db "$DB" "${PCAPS[@]}" >/dev/null 2>"$W/scan.err"; rc=$?
[ $rc = 1 ] || fail "scan --db exited $rc, want 1 (findings): $(tail -2 "$W/scan.err")"
L=$CORPUS/logs
"$BIN" ingest --no-progress --db "$DB" "$L/suricata/slips_test6-malicious_eve.json" \
    "$L/zeek/slips_test10_zeek3.2_tsv/dns.log" "$L/zeek/slips_test10_zeek3.2_tsv/conn.log" \
    >/dev/null 2>&1; rc=$?
[ $rc = 0 ] || fail "ingest exited $rc, want 0 (no finding in these logs without extra intel)"
# A hostile finding: every string field carries markup and a terminal escape.
sqlite3 "$DB" "INSERT INTO findings(uid, ts, day, src_ip, dest_ip, dest_port, proto, event_type, kind,
  protocol, pool, wallet, worker, agent, algo, family, confidence, evidence, source) VALUES
  (424242, 1517000000000000, 17557, '192.0.2.66', '198.51.100.9', 3333, 'TCP', 'mining', 'stratum',
  'stratum-v1', '<script>alert(1)</script>.pool', '\"><img src=x onerror=alert(2)>', 'w',
  'Agent'||char(27)||'[31mRED', 'rx/0', '<svg onload=alert(3)>', 90, 'x', 'eve')" || fail "insert"

N=$(sqlite3 "$DB" "SELECT count(*) FROM findings")
NM=$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE event_type='mining'")
NH=$(sqlite3 "$DB" "SELECT count(DISTINCT src_ip) FROM findings WHERE event_type='mining'")
N3333=$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE event_type='mining' AND kind<>'dns' AND dest_port=3333")
NCONN=$(sqlite3 "$DB" "SELECT count(*) FROM findings WHERE event_type='mining' AND kind<>'dns' AND dest_port>0")
[ "$NM" -gt 100 ] || fail "too few mining findings ($NM)"

cat > "$W/assets.csv" <<'CSV'
network,organisation,sector,size
10.0.0.0/8,Lab Networks,research,medium
192.168.0.0/16,Home Office,consumer,small
172.16.0.0/12,Corp,manufacturing,large
CSV
PR=$L/prices
PRICES=(--prices "$PR/yahoo_close_coinsight/xmr.csv" --prices "$PR/coinmetrics_snapshot_2020-02-09/btc_daily_usd.csv"
        --prices "$PR/coingecko_style_patej744/monero.csv")

# Findings in range: exit status 1.
found() { "$@"; local rc=$?; [ $rc = 1 ] || fail "$* exited $rc, want 1"; }
found "$BIN" report --db "$DB" --top 1000 --assets "$W/assets.csv" "${PRICES[@]}" --json > "$W/r.json"
python3 - "$W/r.json" "$N" "$NM" "$NH" "$N3333" "$NCONN" <<'PY' || fail "JSON check"
import json, sys
r = json.load(open(sys.argv[1]))
n, nm, nh, n3333, nconn = map(int, sys.argv[2:])
t = r["totals"]
assert t["findings"] == n, (t, n)
assert t["mining"] == nm and t["mining_hosts"] == nh, (t, nm, nh)
assert sum(p["findings"] for p in r["activity"]) == nm
p = r["ports"]
assert p["connections"] == nconn, (p["connections"], nconn)
got3333 = [x for x in p["top"]["rows"] if x["port"] == "3333"]
assert got3333 and got3333[0]["findings"] == n3333, (got3333, n3333)
assert abs(sum(x["share"] for x in p["ranges"]) - 1) < 1e-6 or p["ranges_total"] == 0
fams = r["mix"]["families"]["rows"]
assert abs(sum(x["share"] for x in fams) - 1) < 1e-6
v = r["victims"]
assert v["hosts"] == nh and v["inventory_networks"] == 3
assert sum(x["hosts"] for x in v["by_sector"]) == nh
m = r["market"]
assert [s["series"] for s in m] == ["xmr", "btc_daily_usd", "monero"], [s["series"] for s in m]
assert m[0]["nulls"] == 1 and m[0]["rows"] == 1994
assert m[1]["price_column"] == "PriceUSD"
for s in m:
    assert [c["lag"] for c in s["correlations"]] == [-3, -2, -1, 0, 1, 2, 3]
    for c in s["correlations"]:
        if c["pearson"] is not None:
            assert -1 <= c["pearson"] <= 1 and 0 <= c["pearson_p"] <= 1
pools = [x["pool"] for x in r["top"]["pools"]["rows"]]
assert "<script>alert(1)</script>.pool" in pools
print("json ok:", t, "3333:", n3333)
PY

found "$BIN" report --db "$DB" --assets "$W/assets.csv" "${PRICES[@]}" --csv "$W/csv"
for f in summary activity families kinds behaviours ports port_ranges victims_sector victims_size \
         market_correlation market_monthly top_pools top_wallets top_agents top_hosts; do
    [ -s "$W/csv/$f.csv" ] || fail "missing $f.csv"
done
grep -q "^,80,web," "$W/csv/ports.csv" || fail "ports.csv lacks the port 80 row"
grep -q "'\"><img" "$W/csv/top_wallets.csv" || true
grep -q "^rank,wallet,findings,share" "$W/csv/top_wallets.csv" || fail "top_wallets.csv header"

# Terminal output: the ESC byte of the hostile agent must not reach the terminal.
found "$BIN" report --db "$DB" --top 1000 --only top > "$W/r.txt"
# Nothing in range: exit status 0, and the report is still produced.
"$BIN" report --db "$DB" --from 1999 --to 1999 > "$W/empty.txt"; rc=$?
[ $rc = 0 ] && [ -s "$W/empty.txt" ] || fail "report of an empty range exited $rc, want 0 with output"
if grep -q $'\x1b' "$W/r.txt"; then fail "raw ESC in terminal output"; fi
grep -q "Agent?\[31mRED" "$W/r.txt" || fail "agent not shown sanitised"

found "$BIN" report --db "$DB" --top 1000 --by week --assets "$W/assets.csv" "${PRICES[@]}" --html "$W/r.html"
H=$W/r.html
grep -q "<script" "$H" && fail "raw <script in HTML"
grep -q "<img" "$H" && fail "raw <img in HTML"
grep -q "<svg onload" "$H" && fail "raw <svg onload in HTML"
grep -q "&lt;script&gt;alert(1)&lt;/script&gt;.pool" "$H" || fail "escaped pool missing"
grep -Eq "https?://[^\"]*\"" "$H" && grep -Eo "(src|href)=\"https?:" "$H" && fail "external reference"
for id in chart-activity chart-families chart-ports chart-ranges chart-sectors; do
    grep -q "<svg id=\"$id\"" "$H" || fail "chart $id missing"
done
# The activity chart: hosts and each price series on a labelled axis of
# their own (none scaled without an axis); --chart-scale log says so.
ACT=$(sed -n 's/.*\(<svg id="chart-activity".*\)/\1/p' "$H" | sed 's|</svg>.*||')
NP=$(( ${#PRICES[@]} / 2 ))
NAX=$(grep -o '<g class="yaxis">' <<<"$ACT" | wc -l)
[ "$NAX" = $((NP + 1)) ] || fail "activity chart has $NAX own axes, want $((NP + 1)) (hosts + $NP prices)"
grep -q 'fill="#c0392b">hosts' <<<"$ACT" || fail "hosts axis not labelled"
grep -q '(scaled)' <<<"$ACT" && fail "a series is scaled without an axis"
found "$BIN" report --db "$DB" --by week --chart-scale log --html "$W/log.html"
grep -q '(log scale)</text>' "$W/log.html" || fail "--chart-scale log: no log axis"
"$BIN" report --db "$DB" --chart-scale nope --html "$W/bad.html" 2>/dev/null; rc=$?
[ $rc = 2 ] || fail "--chart-scale nope exited $rc, want 2"

CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || fail "chromium is not installed (scripts/deps.txt lists it; run scripts/setup.sh)"
CHROME_OPTS=(--headless --no-sandbox --disable-gpu --disable-background-networking
             --disable-component-update --disable-sync --no-first-run --user-data-dir="$W/profile")
timeout 180 "$CHROME" "${CHROME_OPTS[@]}" --screenshot="$W/shot.png" --window-size=1280,4000 \
    "file://$H" >"$W/chrome.log" 2>&1 || fail "chromium screenshot: $(tail -3 "$W/chrome.log")"
[ -f "$W/shot.png" ] || fail "no screenshot"
SZ=$(stat -c %s "$W/shot.png")
[ "$SZ" -gt 50000 ] || fail "screenshot too small ($SZ bytes): page blank?"
head -c 8 "$W/shot.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "screenshot is not a PNG"
timeout 180 "$CHROME" "${CHROME_OPTS[@]}" --dump-dom "file://$H" > "$W/dom.html" 2>"$W/chrome2.log" \
    || fail "chromium dump-dom"
NMF=$(printf "%'d" "$NM" 2>/dev/null || echo "$NM")
NMF=$(python3 -c "print(f'{$NM:,}')")
grep -q "id=\"k-mining-findings\">$NMF<" "$W/dom.html" || fail "key number $NMF not in the rendered DOM"
grep -q "id=\"k-top-port\">3333<" "$W/dom.html" || fail "top port 3333 not in the rendered DOM"
[ "$(grep -o '<svg id="chart-' "$W/dom.html" | wc -l)" -ge 7 ] || fail "charts missing in the rendered DOM"
grep -q "<rect" "$W/dom.html" || fail "no bars drawn"
grep -q "<script>alert" "$W/dom.html" && fail "script element in the rendered DOM"
[ -n "${MT_REPORT_SHOT:-}" ] && cp "$W/shot.png" "$MT_REPORT_SHOT"
echo "report_html: ok ($NM mining findings, screenshot $SZ bytes)"
