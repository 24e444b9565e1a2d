#!/bin/bash
# Benchmark of `minetrace report`: generates N findings (default 10,000,000)
# with a SQL generator run by the sqlite3 CLI, in the schema of
# docs/STORE.md (all its indexes), then times each analysis on its own
# (`--only NAME --json`) and all of them together, reporting wall and CPU
# time and peak memory. The first run includes creating the covering index
# mt_report_scan; it is timed separately.
#
# Usage: bench/report_bench.sh [BUILD_DIR] [N] [WORK_DIR]
# Data mix: one year (2018), ~120k hosts, 90 % mining / 10 % precursor,
# seven kinds, five families, ports 3333/5555/80/443/3xxx/random, 300 pools,
# 1000 wallets (95 chars), 30 agents.
set -eu
BUILD=${1:-build}
N=${2:-10000000}
WORK=${3:-bench/work/report}
BIN=$BUILD/minetrace
[ -x "$BIN" ] || { echo "no $BIN: build first"; exit 1; }
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 CLI"; exit 1; }
mkdir -p "$WORK"
DB=$WORK/report_bench_$N.db
PRICES=${MT_CORPUS:-$(dirname "$0")/../../shared/corpus}/logs/prices/yahoo_close_coinsight/btc.csv

if [ ! -s "$DB" ]; then
    echo "generating $N findings into $DB ..."
    rm -f "$DB" "$DB-wal" "$DB-shm"
    sqlite3 "$DB" >/dev/null <<SQL
PRAGMA journal_mode=WAL;
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta VALUES('schema_version','1');
CREATE TABLE findings(id INTEGER PRIMARY KEY, uid INTEGER UNIQUE NOT NULL, ts INTEGER NOT NULL,
  day INTEGER NOT NULL, flow_id INTEGER, src_ip TEXT, dest_ip TEXT, src_port INTEGER, dest_port INTEGER,
  proto TEXT, event_type TEXT, kind TEXT, protocol TEXT, pool TEXT, wallet TEXT, worker TEXT, agent TEXT,
  algo TEXT, family TEXT, confidence INTEGER, evidence TEXT, source TEXT);
CREATE TABLE ingest_log(path TEXT, started INTEGER, finished INTEGER, records INTEGER,
  findings_new INTEGER, findings_dup INTEGER, skipped_malformed INTEGER, skipped_unknown INTEGER);
PRAGMA synchronous=OFF;
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < $N),
r AS (SELECT i, abs(random()) AS a, abs(random()) AS b, abs(random()) AS d FROM c)
INSERT INTO findings(uid, ts, day, flow_id, src_ip, dest_ip, src_port, dest_port, proto, event_type,
  kind, protocol, pool, wallet, worker, agent, algo, family, confidence, evidence, source)
SELECT i, 1514764800000000 + (a % 31536000000000), (1514764800000000 + (a % 31536000000000)) / 86400000000,
  b % 100000, '10.' || (b % 2) || '.' || ((b / 2) % 240) || '.' || ((b / 480) % 250),
  '198.51.100.' || (d % 200), 40000 + (d % 20000),
  CASE d % 10 WHEN 0 THEN 3333 WHEN 1 THEN 443 WHEN 2 THEN 80 WHEN 3 THEN 5555
       WHEN 4 THEN 3000 + (d / 10) % 1000 ELSE (d / 7) % 65536 END,
  'TCP', CASE WHEN b % 10 = 0 THEN 'precursor' ELSE 'mining' END,
  CASE d % 7 WHEN 0 THEN 'dns' WHEN 1 THEN 'stratum' WHEN 2 THEN 'tls' WHEN 3 THEN 'http'
       WHEN 4 THEN 'websocket' WHEN 5 THEN 'ip' ELSE 'behaviour' END,
  'stratum-v1', 'pool' || (a % 300) || '.example.net', printf('4%094d', a % 1000), 'w' || (b % 50),
  'XMRig/6.' || (b % 30), 'rx/0',
  CASE a % 5 WHEN 0 THEN 'monero-miner' WHEN 1 THEN 'wannamine' WHEN 2 THEN 'browser-miner'
       WHEN 3 THEN 'bitcoin-miner' ELSE 'monero-miner' END,
  80, 'stratum login from a host seen mining; method login, agent string present', 'eve'
FROM r;
COMMIT;
CREATE INDEX findings_ts ON findings(ts);
CREATE INDEX findings_day_src ON findings(day, src_ip);
CREATE INDEX findings_port ON findings(dest_port);
CREATE INDEX findings_family ON findings(family);
CREATE INDEX findings_src ON findings(src_ip);
SQL
fi
ls -l "$DB"
T="/usr/bin/time -f %e\t%U\t%S\t%M"
run() { # name, args...
    local name=$1; shift
    local out
    out=$( { $T "$BIN" report --db "$DB" "$@" --json > "$WORK/out_$name.json"; } 2>&1 | tail -1)
    IFS=$'\t' read -r wall user sys rss <<< "$out"
    printf "| %s | %s | %.2f | %.1f | %d MB |\n" "$name" "$wall" "$(echo "$user + $sys" | bc)" \
        "$(python3 -c "import json;r=json.load(open('$WORK/out_$name.json'))['report'];print(r['scan_ms']+r['top_scan_ms'])")" \
        "$((rss / 1024))"
}
echo "| analysis | wall s | CPU s | scan ms | max RSS |"
echo "|---|---|---|---|---|"
for ix in mt_report_scan:activity mt_report_top:top; do
    if ! sqlite3 "$DB" "SELECT 1 FROM sqlite_master WHERE name='${ix%%:*}'" | grep -q 1; then
        S=$(date +%s.%N)
        "$BIN" report --db "$DB" --only "${ix#*:}" --json > /dev/null || [ $? -le 1 ] # 1 = findings in range
        printf "| (first run: create index %s + %s) | %.1f | | | |\n" "${ix%%:*}" "${ix#*:}" \
            "$(echo "$(date +%s.%N) - $S" | bc)"
    fi
done
for a in activity mix ports victims market top; do
    extra=()
    [ "$a" = market ] && [ -f "$PRICES" ] && extra=(--prices "$PRICES")
    [ "$a" = victims ] && extra=(--assets "$WORK/assets.csv")
    [ "$a" = victims ] && printf 'network,organisation,sector,size\n10.0.0.0/16,A,retail,small\n10.1.0.0/16,B,health,medium\n10.0.7.0/24,C,energy,large\n' > "$WORK/assets.csv"
    run "$a" --only "$a" "${extra[@]}"
done
run "all" --assets "$WORK/assets.csv" --prices "$PRICES"
run "all-day-berlin" --by day --tz Europe/Berlin
run "activity-no-index" --only activity --no-index
