#!/usr/bin/env bash
# The website scanner end to end: a labelled crawl of our own miner pages
# and scripts (named harmlessly, self-hosted, packed) beside the corpus's
# real news and blog pages goes through `minetrace web --sites --json`;
# every miner site must be found and no benign site flagged. Then every
# real WARC/ARC file of the corpus: read without an error, no finding.
set -euo pipefail
BIN=${MT_BIN:-build/minetrace}
SRC=${MT_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
CORPUS=${MT_CORPUS:-$SRC/../shared/corpus}
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT

# Our own CryptoNight-style and benign Wasm modules, built from our C now.
mkdir -p "$W/wasm"
bash "$SRC/tests/data/web/wasm/build.sh" "$W/wasm" > "$W/wasm/build.log" 2>&1 ||
  { echo "web_scan: building the Wasm test modules failed:"; tail -20 "$W/wasm/build.log"; exit 1; }
python3 "$SRC/tests/integration/web/make_crawl.py" "$SRC" "$CORPUS" "$W" "$W/wasm" >/dev/null
rc=0; "$BIN" web -q --sites --json -o "$W/findings.json" --db "$W/web.db" \
  --lists "$CORPUS/web/lists/hoshsadiq_nocoin.txt" "$W/crawl.warc.gz" > "$W/sites.json" || rc=$?
[ "$rc" -le 1 ] || { echo "web_scan: minetrace web exited $rc"; exit 1; }
python3 - "$W/labels.tsv" "$W/sites.json" "$W/findings.json" <<'PY'
import json, sys
labels = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
flagged = {json.loads(l)["site"]: json.loads(l) for l in open(sys.argv[2]) if l.strip()}
miners = {s for s, k, _, _ in labels if k == "miner"}
benign = {s for s, k, _, _ in labels if k == "benign"}
tp = miners & set(flagged); fp = benign & set(flagged); fn = miners - set(flagged)
for s, k, prov, sample in labels:
    if s in fn: print("missed miner site %s (%s, %s)" % (s, prov, sample))
    if s in fp: print("benign site flagged %s (%s): %s" % (s, sample, flagged[s]))
print("web_scan: %d miner sites, %d benign; found %d, missed %d, false %d; recall %.3f" %
      (len(miners), len(benign), len(tp), len(fn), len(fp), len(tp) / max(1, len(miners))))
finds = [json.loads(l)["web"] for l in open(sys.argv[3]) if l.strip()]
assert len(finds) >= len(tp), "fewer findings than flagged sites"
# What the block list alone (NoCoin, as browsers' blockers use it) finds.
by_list = {f["domain"] for f in finds if f["kind"] == "blocklist" and f["confidence"] >= 50}
print("web_scan: the NoCoin block list alone finds %d of %d miner sites (%.3f), every signal %d (%.3f)" %
      (len(by_list & miners), len(miners), len(by_list & miners) / max(1, len(miners)), len(tp),
       len(tp) / max(1, len(miners))))
sys.exit(0 if not fp and len(tp) >= 0.9 * len(miners) else 1)
PY
# The terminal table: a header, one line per flagged site, printable only.
rc=0; "$BIN" web -q --sites "$W/crawl.warc.gz" > "$W/sites.txt" || rc=$?
[ "$rc" -eq 1 ] || { echo "web_scan: --sites exited $rc"; exit 1; }
head -1 "$W/sites.txt" | grep -q '^SITE  *RANK  *CATEGORY  *CONF  *FINDINGS' || { echo "web_scan: no --sites header"; exit 1; }
[ "$(($(wc -l < "$W/sites.txt") - 1))" -eq "$(grep -c . "$W/sites.json")" ] || { echo "web_scan: --sites text and JSON disagree"; exit 1; }
! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' < "$W/sites.txt") || { echo "web_scan: control bytes in --sites"; exit 1; }
# The store holds them, and the report shows the website study.
rc=0; "$BIN" report --db "$W/web.db" --json > "$W/report.json" || rc=$?
[ "$rc" -le 1 ] || { echo "web_scan: report exited $rc"; exit 1; }
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert "web" in r, "no web section"' "$W/report.json"
# The JSONL the scan wrote, ingested into another store, gives the same
# website study; ingesting it again stores nothing new.
for pass in 1 2; do
  rc=0; out=$("$BIN" ingest --no-progress --db "$W/ingested.db" "$W/findings.json") || rc=$?
  [ "$rc" -le 1 ] || { echo "web_scan: ingest exited $rc: $out"; exit 1; }
  case $pass in
    1) echo "$out" | grep -q ' 0 unknown' || { echo "web_scan: ingest left web lines unknown: $out"; exit 1; } ;;
    2) echo "$out" | grep -q 'findings 0 new' || { echo "web_scan: second ingest stored again: $out"; exit 1; } ;;
  esac
done
rc=0; "$BIN" report --db "$W/ingested.db" --json > "$W/report2.json" || rc=$?
python3 - "$W/report.json" "$W/report2.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["web"] for p in sys.argv[1:3])
assert a == b, "web study differs after ingest:\n%s\n%s" % (a, b)
PY

# A long run killed with SIGKILL has already written and committed what it
# found (the scanner flushes its sinks once a second).
for _ in $(seq 400); do cat "$W/crawl.warc.gz"; done > "$W/long.warc.gz"
"$BIN" web -q --db "$W/killed.db" -o "$W/killed.json" "$W/long.warc.gz" & pid=$!
sleep 2
kill -9 "$pid" 2>/dev/null || { echo "web_scan: the long run ended before 2 s; cannot test SIGKILL"; exit 1; }
wait "$pid" 2>/dev/null || true
rows=$(sqlite3 "$W/killed.db" 'PRAGMA integrity_check; SELECT count(*) FROM web_findings' | tr '\n' ' ')
lines=$(grep -c '"event_type":"web"' "$W/killed.json" || true)
case $rows in ok\ [1-9]*) ;; *) echo "web_scan: after SIGKILL the store holds: $rows"; exit 1 ;; esac
[ "${lines:-0}" -gt 0 ] || { echo "web_scan: after SIGKILL the JSONL file is empty"; exit 1; }
rm -f "$W/long.warc.gz"

# Real crawl files: they read, and they hold no miner.
for f in "$CORPUS"/web/warc/*.warc* "$CORPUS"/web/warc/*.arc*; do
  [ -f "$f" ] || continue
  rc=0; out=$("$BIN" web -q -o - "$f" 2>"$W/err") || rc=$?
  if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
    echo "web_scan: $(basename "$f"): exit $rc, findings: ${out:0:300}"; cat "$W/err"; exit 1
  fi
done
echo "web_scan: ok"
