#!/usr/bin/env bash
# Counting does not depend on batching (docs/STORE.md, "Identity of a
# finding"): the corpus's Suricata and Zeek logs and real mining captures,
# stored (a) all in one run, (b) in batches (one run per file, in reverse
# order; the EVE log and the captures' findings split by UTC day into
# files with a script, one run per day) and (c) twice, give exactly the
# same rows and the same report (text, JSON, CSV, HTML). A host seen on
# several days is counted on each.
#   tests/corpus/counting.sh [BIN]   (MT_CORPUS: the shared corpus)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-$here/../../build/minetrace}")
corpus=$(realpath "${MT_CORPUS:-$here/../../../shared/corpus}")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "counting: FAIL: $*" >&2; exit 1; }
I=$corpus/intel
intel=(--intel "$I/ut1_cryptojacking_domains.txt:60" --intel "$I/nocoin_adblock.txt:80:browser-miner"
       --intel "$I/coinblocker_MiningServerIPList.txt:40" --intel "$I/anudeep_coinminer_hosts.txt")

mapfile -t logs < <(find "$corpus/logs/suricata" "$corpus/logs/zeek" -type f \
  \( -name '*.log' -o -name '*.json' -o -name '*.gz' -o -name '*.labeled' \) | sort)
P=$corpus/pcap/other
caps=("$P"/jsiwek_zeek-cryptomining/*.pcap "$P"/nesfit_DI-cryptominingdetection/*.pcapng
      "$corpus"/pcap/ndpi/mining.pcapng "$corpus"/pcap/ndpi/monero-mining_ndpi4.2.pcap)
# Per capture file, in reverse order: the same findings and counts (checked
# below), though a session named by a DNS answer of another capture of the
# same recording names its pool by address instead.

[ ${#logs[@]} -gt 5 ] && [ -f "${caps[0]}" ] || fail "corpus not found under $corpus"
eve=$corpus/logs/suricata/slips_test6-malicious_eve.json

ingest() { local db=$1; shift; "$bin" ingest -q --no-progress "${intel[@]}" --db "$db" "$@" >/dev/null 2>&1 || [ $? -le 1 ]; }
scan() { local db=$1; shift; "$bin" scan -q "${intel[@]}" --db "$db" -o /dev/null "$@" >/dev/null 2>&1 || [ $? -le 1 ]; }
# Every column but the row id (which numbers inserts in their order).
dump() { sqlite3 -separator '|' "$1" "SELECT uid,ts,day,flow_id,src_ip,dest_ip,src_port,dest_port,proto,
  event_type,kind,protocol,pool,wallet,worker,agent,algo,family,confidence,evidence,source,sensor
  FROM findings ORDER BY uid"; }
report() { # every output of the report of store $1 into directory $2
  mkdir -p "$2/csv"
  { "$bin" report --db "$1" --by day > "$2/report.txt" 2>&1 || [ $? -le 1 ]; }
  { "$bin" report --db "$1" --by week --json > "$2/report.json" 2>&1 || [ $? -le 1 ]; }
  { "$bin" report --db "$1" --csv "$2/csv" >/dev/null 2>&1 || [ $? -le 1 ]; }
  { "$bin" report --db "$1" --by day --html "$2/r.html" >/dev/null 2>&1 || [ $? -le 1 ]; }
  sed -i -E 's/"(scan_ms|top_scan_ms)":[0-9.]+/"\1":"T"/g' "$2/report.json"
  grep -v -i 'generated' "$2/r.html" > "$2/report.html"; rm -f "$2/r.html"
  dump "$1" > "$2/rows"
}

# The captures' findings as JSONL, and that JSONL split by UTC day.
"$bin" scan -q "${intel[@]}" -o "$work/caps.jsonl" "${caps[@]}" >/dev/null 2>&1 || [ $? -le 1 ]
mkdir -p "$work/days" "$work/evedays"
python3 - "$work/caps.jsonl" "$work/days" "$eve" "$work/evedays" <<'EOF'
import json, sys, datetime
def split(src, out, key):
    files = {}
    with open(src, 'rb') as f:
        for line in f:
            try:
                ts = json.loads(line)['timestamp']
            except Exception:
                key.setdefault('bad', 0); key['bad'] += 1; continue
            t = datetime.datetime.fromisoformat(ts.replace('Z', '+00:00'))
            d = t.astimezone(datetime.timezone.utc).strftime('%Y-%m-%d')
            if d not in files: files[d] = open(f'{out}/{d}.json', 'wb')
            files[d].write(line)
    for f in files.values(): f.close()
    return len(files)
k = {}
split(sys.argv[1], sys.argv[2], k); split(sys.argv[3], sys.argv[4], k)
EOF
ndays=$(ls "$work/days" | wc -l)
[ "$ndays" -ge 3 ] || fail "the captures' findings span $ndays UTC days (want 3 or more)"

# (a) everything in one run per input kind.
A=$work/a.db
ingest "$A" "${logs[@]}"
scan "$A" "${caps[@]}"
ingest "$A" "$work/caps.jsonl"
report "$A" "$work/a"
[ "$(wc -l < "$work/a/rows")" -ge 20 ] || fail "too few findings to compare ($(wc -l < "$work/a/rows"))"

# (b) batches: each log alone, in reverse order, the EVE log day by day;
# the captures by recording; their findings day by day, latest first.
Bd=$work/b.db
for ((i=${#logs[@]}-1; i>=0; i--)); do
  [ "${logs[i]}" = "$eve" ] && continue
  ingest "$Bd" "${logs[i]}"
done
for f in $(ls "$work/evedays" | sort -r); do ingest "$Bd" "$work/evedays/$f"; done
# Captures by recording (one run per capture directory, in reverse order):
# the cgminer captures of one directory are one recording whose DNS answers
# name the pools of the next capture's sessions (the DNS tie is run state,
# docs/STORE.md), so a recording is not cut between runs.
scan "$Bd" "$corpus"/pcap/ndpi/monero-mining_ndpi4.2.pcap
scan "$Bd" "$corpus"/pcap/ndpi/mining.pcapng
scan "$Bd" "$P"/nesfit_DI-cryptominingdetection/*.pcapng
scan "$Bd" "$P"/jsiwek_zeek-cryptomining/*.pcap
for f in $(ls "$work/days" | sort -r); do ingest "$Bd" "$work/days/$f"; done
report "$Bd" "$work/b"

# (c) (a) again into the same store.
C=$work/c.db
cp "$A" "$C"
ingest "$C" "${logs[@]}"
scan "$C" "${caps[@]}"
ingest "$C" "$work/caps.jsonl"
report "$C" "$work/c"

diff -r "$work/a" "$work/c" > "$work/ac.diff" || { head -40 "$work/ac.diff" >&2; fail "storing twice changed something"; }
# One run against batches: every count of every output is the same. The
# DNS tie is run state (docs/STORE.md): in one run, a DNS answer read from
# one capture names the pool of another capture's session, which in its own
# run is named by address; so the pool and agent of a few rows, and the top
# pools and agents tables built from them, are compared apart.
python3 - "$work/a" "$work/b" <<'EOF2'
import json, sys, os
a, b = sys.argv[1], sys.argv[2]
def rows(d):
    out = []
    for line in open(os.path.join(d, 'rows')):
        c = line.rstrip('\n').split('|')
        if len(c) >= 22: c[12] = c[15] = ''  # pool, agent
        out.append('|'.join(c))
    return out
assert rows(a) == rows(b), 'rows differ beyond pool/agent'
def rep(d):
    j = json.load(open(os.path.join(d, 'report.json')))
    for k in ('pools', 'agents'): j['top'].pop(k, None)
    return j
assert rep(a) == rep(b), 'JSON report differs beyond the top pools/agents'
for f in sorted(os.listdir(os.path.join(a, 'csv'))):
    if 'pool' in f or 'agent' in f: continue
    assert open(os.path.join(a, 'csv', f)).read() == open(os.path.join(b, 'csv', f)).read(), 'CSV ' + f + ' differs'
def txt(d):  # the text report up to its top pools table
    t = open(os.path.join(d, 'report.txt')).read()
    return t[:t.find('Top pools')] if 'Top pools' in t else t
assert txt(a) == txt(b), 'text report differs before the top tables'
EOF2
[ $? = 0 ] || fail "one run and batches differ"
renamed=$(sqlite3 "$Bd" "ATTACH '$A' AS a; SELECT count(*) FROM findings f JOIN a.findings g USING(uid) WHERE f.pool <> g.pool OR f.agent <> g.agent")

# Each capture in a run of its own: the same rows (uids), so the same counts.
E=$work/e.db
for ((i=${#caps[@]}-1; i>=0; i--)); do scan "$E" "${caps[i]}"; done
ingest "$E" "${logs[@]}"
ingest "$E" "$work/caps.jsonl"
cmp -s <(sqlite3 "$A" "SELECT uid, day, src_ip, kind FROM findings ORDER BY uid") \
       <(sqlite3 "$E" "SELECT uid, day, src_ip, kind FROM findings ORDER BY uid") ||
  fail "one run per capture stored other findings"
named=$(sqlite3 "$E" "ATTACH '$A' AS a; SELECT count(*) FROM findings f JOIN a.findings g USING(uid) WHERE f.pool <> g.pool OR f.agent <> g.agent")

# Stored twice: every finding of the second pass was a duplicate.
dup=$(sqlite3 "$C" "SELECT coalesce(sum(findings_new), -1) FROM ingest_log WHERE id > (SELECT max(id) FROM ingest_log) - ${#logs[@]} - 1")
[ "$dup" = 0 ] || fail "the second ingest stored $dup new findings"

# One finding per host, evidence and day: no two rows share them.
same=$(sqlite3 "$A" "SELECT count(*) FROM (SELECT 1 FROM findings WHERE kind NOT IN ('alert','smb')
  GROUP BY day, src_ip, CASE kind WHEN 'dns' THEN '' ELSE dest_ip END, CASE kind WHEN 'dns' THEN 0 ELSE dest_port END,
  event_type, kind, protocol, lower(pool), wallet, CASE kind WHEN 'http' THEN agent ELSE '' END HAVING count(*) > 1)")
[ "$same" = 0 ] || fail "$same (host, evidence, day) groups have more than one row"

# A host active on several days is counted on each of them: its findings per
# day in the day report are its distinct (evidence) rows of that day.
read -r host hdays < <(sqlite3 -separator ' ' "$A" "SELECT src_ip, count(DISTINCT day) FROM findings
  WHERE event_type = 'mining' GROUP BY src_ip ORDER BY 2 DESC, 1 LIMIT 1")
[ "${hdays:-0}" -ge 2 ] || fail "no host with mining findings on two or more days"
per_day=$(sqlite3 "$A" "SELECT group_concat(n, ',') FROM (SELECT day, count(*) n FROM findings WHERE src_ip = '$host'
  AND event_type = 'mining' GROUP BY day ORDER BY day)")
echo "counting: ok: ${#logs[@]} logs (EVE in $(ls "$work/evedays" | wc -l) days), ${#caps[@]} captures, findings over $ndays days;" \
     "$(wc -l < "$work/a/rows") rows in each of (a), (b), (c) ($renamed in (b) name the pool or agent otherwise; per capture file: the same rows, $named named otherwise); host $host on $hdays days ($per_day mining findings a day)"
