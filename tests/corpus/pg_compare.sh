#!/usr/bin/env bash
# The PostgreSQL store end to end on real data, against the SQLite store
# (docs/STORE.md, "PostgreSQL"): a throwaway PostgreSQL 15 server
# (scripts/pg_test_server.sh) and an SQLite file get the same findings,
# through the CLI: `scan --db` of real mining captures, `ingest` of the
# corpus's Suricata and Zeek logs, `web --db` of a labelled crawl (our
# miner pages beside the corpus's real pages), `botnet --db` over the
# corpus's honeypot logs. Then the stored rows, `report` (text, JSON, CSV)
# and `export` must be the same from both stores. Two `ingest` processes
# writing into one PostgreSQL store at once give the rows of the two one
# after the other; ingesting again stores nothing new; an ingest killed
# with SIGKILL leaves a consistent store that the same ingest completes.
# Without the server binaries: FAIL in CI (CI=true), a visible SKIP
# (exit 0) elsewhere.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SRC=${MT_SRC:-$(cd "$here/../.." && pwd)}
BIN=$(realpath "${MT_BIN:-$SRC/build/minetrace}")
C=$(realpath "${MT_CORPUS:-$SRC/../shared/corpus}")
tmp=$(mktemp -d)
pgdir=$(mktemp -d /tmp/mtpg.XXXXXX) # its own: the server's account must reach it
cleanup() { bash "$SRC/scripts/pg_test_server.sh" stop "$pgdir" >/dev/null 2>&1 || true; rm -rf "$tmp" "$pgdir"; }
trap cleanup EXIT
fail() { echo "pg_compare: FAIL: $*" >&2; exit 1; }

rc=0
bash "$SRC/scripts/pg_test_server.sh" start "$pgdir" || rc=$?
if [ "$rc" -eq 3 ]; then
    [ "${CI:-}" = "true" ] && fail "no PostgreSQL 15 server binaries, and in CI these tests are required"
    echo "pg_compare: SKIP: no PostgreSQL 15 server binaries (install postgresql-15)"
    exit 0
fi
[ "$rc" -eq 0 ] || fail "cannot start the PostgreSQL test server"
eval "$(bash "$SRC/scripts/pg_test_server.sh" env "$pgdir")"
uri() { echo "postgresql:///$1?host=$pgdir&user=minetrace"; }
newdb() { psql -qX -d postgres -c "CREATE DATABASE $1" >/dev/null; uri "$1"; }

I=$C/intel
intel=(--intel "$I/ut1_cryptojacking_domains.txt:60" --intel "$I/nocoin_adblock.txt:80:browser-miner"
       --intel "$I/coinblocker_MiningServerIPList.txt:40" --intel "$I/anudeep_coinminer_hosts.txt")
P=$C/pcap/other
caps=("$P"/jsiwek_zeek-cryptomining/*.pcap "$P"/nesfit_DI-cryptominingdetection/*.pcapng
      "$C"/pcap/ndpi/mining.pcapng "$C"/pcap/ndpi/monero-mining_ndpi4.2.pcap)
mapfile -t logs < <(find "$C/logs/suricata" "$C/logs/zeek" -type f \
  \( -name '*.log' -o -name '*.json' -o -name '*.gz' -o -name '*.labeled' \) | sort)
[ ${#logs[@]} -gt 5 ] && [ -f "${caps[0]}" ] || fail "corpus not found under $C"
KC=$C/botnet/killchain_2023

# exit 0 or 1 (findings) is a run; 2 is an error.
ok() { local r=0; "$@" >"$tmp/last.out" 2>"$tmp/last.err" || r=$?; [ "$r" -le 1 ] || { cat "$tmp/last.err" >&2; fail "$* exited $r"; }; }

# The web crawl: our miner pages and scripts beside the corpus's pages.
mkdir -p "$tmp/web/wasm"
bash "$SRC/tests/data/web/wasm/build.sh" "$tmp/web/wasm" >"$tmp/web/wasm.log" 2>&1 || fail "building the Wasm test modules"
python3 "$SRC/tests/integration/web/make_crawl.py" "$SRC" "$C" "$tmp/web" "$tmp/web/wasm" >/dev/null

store_all() { # STORE
    ok "$BIN" scan -q "${intel[@]}" --db "$1" -o /dev/null "${caps[@]}"
    ok "$BIN" ingest -q --no-progress "${intel[@]}" --db "$1" "${logs[@]}"
    ok "$BIN" web -q --db "$1" -o /dev/null --lists "$C/web/lists/hoshsadiq_nocoin.txt" "$tmp/web/crawl.warc.gz"
    ok "$BIN" botnet --no-progress --sources --db "$1" -o /dev/null "$KC"/attack-pattern_2023-11-16.json \
        "$KC"/attack-pattern_2024-02-01.json "$KC"/iocs_merged_2023-11-03_2024-01-19.csv
    ok "$BIN" botnet --no-progress --sources --db "$1" -o /dev/null "$C"/botnet/cowrie_kareiva_2018/cowrie.json.*
}
lite=$tmp/lite.db
PG=$(newdb cmp)
echo "storing the corpus into SQLite and PostgreSQL"
store_all "$lite"
store_all "$PG"

F="uid, ts, day, flow_id, src_ip, dest_ip, src_port, dest_port, proto, event_type, kind, protocol, pool, wallet,
   worker, agent, algo, family, confidence, evidence, source, sensor"
WF="uid, ts, day, domain, url, resource, rank, category, provider, site_key, kind, confidence, evidence, sensor"
pgq() { psql -qAtX -F '|' -d "$1" -c "$2"; }
lq() { sqlite3 -separator '|' "$1" "$2"; }
rows() { # DB-KIND TARGET OUT: every stored row but row ids and the JSON records' own text
    local q
    for q in "SELECT $F FROM findings ORDER BY uid" "SELECT $WF FROM web_findings ORDER BY uid" \
             "SELECT sensor, campaign, mining, family, reason, first_seen, last_seen, sources, sessions, events,
                     peak_day, peak_active, scanned, port22_open, iot, iot_unknown, geo_unknown, marker_type, marker,
                     record FROM campaigns ORDER BY campaign" \
             "SELECT * FROM campaign_days ORDER BY 2, 3" "SELECT * FROM campaign_countries ORDER BY 2, 3" \
             "SELECT * FROM campaign_members ORDER BY 2, 3" \
             "SELECT sensor, ip, first_seen, last_seen, protocols, sessions, login_failed, login_success, credentials,
                     commands, downloads, uploads, keys, country, asn, as_org, port22_open, iot, device, campaigns,
                     record FROM botnet_sources ORDER BY ip" \
             "SELECT sensor, username, password, attempts, sources, days, first_seen, last_seen FROM credentials
                ORDER BY username, password"; do
        if [ "$1" = lite ]; then lq "$2" "$q"; else pgq "$2" "$q"; fi
        echo "--"
    done >"$3"
}
rows lite "$lite" "$tmp/rows.lite"
rows pg cmp "$tmp/rows.pg"
cmp -s "$tmp/rows.lite" "$tmp/rows.pg" || { diff "$tmp/rows.lite" "$tmp/rows.pg" | head -20; fail "the stored rows differ"; }
n=$(pgq cmp "SELECT count(*) FROM findings")
w=$(pgq cmp "SELECT count(*) FROM web_findings")
b=$(pgq cmp "SELECT count(*) FROM campaigns")
[ "$n" -gt 1000 ] && [ "$w" -gt 10 ] && [ "$b" -gt 0 ] || fail "too little stored ($n findings, $w web, $b campaigns)"
echo "same rows: $n findings, $w web findings, $b campaigns"

report() { # STORE DIR
    mkdir -p "$2/csv"
    ok "$BIN" report --db "$1" --by day -o "$2/report.txt"
    ok "$BIN" report --db "$1" --by week --json -o "$2/report.json"
    ok "$BIN" report --db "$1" --by month --tz Europe/Berlin --json -o "$2/berlin.json"
    ok "$BIN" report --db "$1" --csv "$2/csv"
    ok "$BIN" export --db "$1" --only findings --format csv -o "$2/export.csv"
    ok "$BIN" export --db "$1" --only findings --format suricata -o "$2/export.rules"
    # The one expected difference: how the store computed the summary.
    sed -i -E 's/"(scan_ms|top_scan_ms)":[0-9.]+/"\1":"T"/g; s/"scan":"(covering-index|table-scan|server-aggregate)"/"scan":"P"/' \
        "$2/report.json" "$2/berlin.json"
    grep -v -i 'generated' "$2/export.rules" >"$2/x" && mv "$2/x" "$2/export.rules"
}
report "$lite" "$tmp/r.lite"
report "$PG" "$tmp/r.pg"
diff -r "$tmp/r.lite" "$tmp/r.pg" >"$tmp/r.diff" || { head -30 "$tmp/r.diff"; fail "the reports differ"; }
grep -q '"zombies"' "$tmp/r.pg/report.json" || fail "the PostgreSQL report has no botnet section"
grep -q '"sites"' "$tmp/r.pg/report.json" || fail "the PostgreSQL report has no website section"
echo "same report (text, JSON in two zones, CSV) and export"

# Two ingests at once into one store, against the two one after the other:
# each half of the logs and every other line of the captures' findings
# (the same identities in both, at other times of the day: the two race
# for the same rows).
ok "$BIN" scan -q "${intel[@]}" -o "$tmp/caps.jsonl" "${caps[@]}"
awk 'NR % 2' "$tmp/caps.jsonl" >"$tmp/odd.jsonl"
awk '!(NR % 2)' "$tmp/caps.jsonl" >"$tmp/even.jsonl"
half=$(( ${#logs[@]} / 2 ))
A=("${logs[@]:0:$half}" "$tmp/odd.jsonl")
B=("${logs[@]:$half}" "$tmp/even.jsonl")
CONC=$(newdb conc)
SEQ=$(newdb seq)
"$BIN" ingest -q --no-progress "${intel[@]}" --db "$CONC" "${A[@]}" >/dev/null 2>"$tmp/a.err" & pa=$!
"$BIN" ingest -q --no-progress "${intel[@]}" --db "$CONC" "${B[@]}" >/dev/null 2>"$tmp/b.err" & pb=$!
ra=0; rb=0; wait $pa || ra=$?; wait $pb || rb=$?
[ "$ra" -le 1 ] && [ "$rb" -le 1 ] || { cat "$tmp/a.err" "$tmp/b.err"; fail "concurrent ingests exited $ra, $rb"; }
ok "$BIN" ingest -q --no-progress "${intel[@]}" --db "$SEQ" "${A[@]}"
ok "$BIN" ingest -q --no-progress "${intel[@]}" --db "$SEQ" "${B[@]}"
pgq conc "SELECT $F FROM findings ORDER BY uid" >"$tmp/conc.rows"
pgq seq "SELECT $F FROM findings ORDER BY uid" >"$tmp/seq.rows"
cmp -s "$tmp/conc.rows" "$tmp/seq.rows" || fail "two ingests at once stored other rows than one after the other"
[ "$(wc -l <"$tmp/conc.rows")" -gt 1000 ] || fail "the concurrent ingests stored too little"
# Again: every finding a duplicate.
before=$(pgq conc "SELECT count(*) FROM ingest_log")
ok "$BIN" ingest -q --no-progress "${intel[@]}" --db "$CONC" "${A[@]}" "${B[@]}"
new=$(pgq conc "SELECT coalesce(sum(findings_new), -1) FROM ingest_log WHERE id > (SELECT min(id) - 1 + $before FROM ingest_log)")
dup=$(pgq conc "SELECT coalesce(sum(findings_dup), 0) FROM ingest_log WHERE id > (SELECT min(id) - 1 + $before FROM ingest_log)")
[ "$new" = 0 ] && [ "$dup" -gt 0 ] || fail "ingesting again stored $new new findings ($dup duplicates)"
echo "concurrent ingests: $(wc -l <"$tmp/conc.rows") rows as one after the other; again: 0 new, $dup duplicates"

# Two sensors in one store (when this build has --sensor): the captures as
# "north", the logs and every other captured finding as "south", written at
# once; the per-sensor breakdown and each sensor's report and export are the
# same from both stores.
ihelp=$("$BIN" ingest --help 2>&1 || true)
if grep -q -- '--sensor' <<<"$ihelp"; then
    SENS=$(newdb sens)
    slite=$tmp/sens.db
    for st in "$slite" "$SENS"; do
        "$BIN" scan -q "${intel[@]}" --sensor north --db "$st" -o "$tmp/n.jsonl" "${caps[@]}" >/dev/null 2>&1 & p1=$!
        "$BIN" ingest -q --no-progress "${intel[@]}" --sensor south --db "$st" "${logs[@]}" "$tmp/odd.jsonl" \
            >/dev/null 2>"$tmp/s.err" & p2=$!
        r1=0; r2=0; wait $p1 || r1=$?; wait $p2 || r2=$?
        [ "$r1" -le 1 ] && [ "$r2" -le 1 ] || { cat "$tmp/s.err"; fail "two sensors at once into $st: $r1, $r2"; }
    done
    for sel in "" "--sensor north" "--sensor south" "--sensor north,south"; do
        for st in lite pg; do
            db=$slite; [ $st = pg ] && db=$SENS
            # shellcheck disable=SC2086
            ok "$BIN" report --db "$db" --by-sensor --by week --json $sel -o "$tmp/s.$st.json"
            # shellcheck disable=SC2086
            ok "$BIN" export --db "$db" --only findings --format csv $sel -o "$tmp/s.$st.csv"
            sed -i -E 's/"(scan_ms|top_scan_ms)":[0-9.]+/"\1":"T"/g; s/"scan":"[a-z-]+"/"scan":"P"/' "$tmp/s.$st.json"
        done
        cmp -s "$tmp/s.lite.json" "$tmp/s.pg.json" || fail "report --by-sensor $sel differs"
        cmp -s "$tmp/s.lite.csv" "$tmp/s.pg.csv" || fail "export $sel differs"
    done
    grep -q '"north"' "$tmp/s.pg.json" && grep -q '"south"' "$tmp/s.pg.json" || fail "no per-sensor rows"
    echo "two sensors: the same breakdown, per-sensor reports and exports"
fi

# A long ingest killed with SIGKILL: the store stays consistent (committed
# batches only) and the same ingest completes it.
# The captures' findings moved by whole days: 40 copies of each.
python3 - "$tmp/caps.jsonl" "$tmp/long.jsonl" <<'PY'
import datetime, json, sys
src = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
with open(sys.argv[2], "w") as out:
    for k in range(40):
        for r in src:
            t = datetime.datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
            r = dict(r, timestamp=(t + datetime.timedelta(days=k)).isoformat().replace("+00:00", "Z"))
            out.write(json.dumps(r) + "\n")
PY
KILL=$(newdb killed)
WHOLE=$(newdb whole)
"$BIN" ingest -q --no-progress --db "$KILL" "$tmp/long.jsonl" >/dev/null 2>&1 & pk=$!
for _ in $(seq 100); do
    c=$(pgq killed "SELECT count(*) FROM findings" 2>/dev/null || echo 0)
    [ "$c" -gt 0 ] && break
    sleep 0.1
done
kill -9 "$pk" 2>/dev/null || true
wait "$pk" 2>/dev/null || true
sleep 0.5
got=$(pgq killed "SELECT count(*) FROM findings")
logrows=$(pgq killed "SELECT count(*) FROM ingest_log")
ok "$BIN" ingest -q --no-progress --db "$KILL" "$tmp/long.jsonl"
ok "$BIN" ingest -q --no-progress --db "$WHOLE" "$tmp/long.jsonl"
pgq killed "SELECT $F FROM findings ORDER BY uid" >"$tmp/killed.rows"
pgq whole "SELECT $F FROM findings ORDER BY uid" >"$tmp/full.rows"
total=$(wc -l <"$tmp/full.rows")
cmp -s "$tmp/killed.rows" "$tmp/full.rows" || fail "the killed ingest, completed, differs from one whole ingest"
[ "$got" -lt "$total" ] || echo "pg_compare: note: the ingest finished before it was killed ($got rows)"
echo "killed ingest: $got of $total rows committed ($logrows ingest_log rows), completed by the same ingest: same rows"
echo "pg_compare: all PostgreSQL store checks passed"
