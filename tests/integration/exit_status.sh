#!/usr/bin/env bash
# The exit status convention of every command, on real inputs:
#   0 ran, nothing found; 1 ran, findings; 2 error (usage, unreadable input).
# A damaged input read in part (truncated capture, truncated gzip, malformed
# lines, unusable CSV rows) is a warning line naming the input and 0/1 by the
# findings; --strict makes it 2. Also: every --help exits 0 and documents the
# convention, and the manual pages render without warnings.
set -uo pipefail
BIN=${MT_BIN:?MT_BIN not set}
SRC=${MT_SRC:?MT_SRC not set}
C=${MT_CORPUS:?MT_CORPUS not set}
T=$(mktemp -d /tmp/mt_exit_status.XXXXXX)
trap 'rm -rf "$T"' EXIT
fails=0 checks=0
# want STATUS DESCRIPTION CMD...: run CMD (stdout to $T/out, stderr to $T/err).
want() {
    local st=$1 what=$2 rc=0; shift 2
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    checks=$((checks + 1))
    if [ "$rc" != "$st" ]; then
        echo "FAIL: $what: exit $rc, want $st: $*"; sed 's/^/    /' "$T/err" | head -5; fails=$((fails + 1))
    fi
}
# err_has REGEX DESCRIPTION: the last run's stderr matches.
err_has() {
    checks=$((checks + 1))
    grep -Eq -- "$1" "$T/err" || { echo "FAIL: $2: stderr lacks /$1/:"; sed 's/^/    /' "$T/err" | head -5; fails=$((fails + 1)); }
}
err_empty() {
    checks=$((checks + 1))
    [ ! -s "$T/err" ] || { echo "FAIL: $1: stderr not empty:"; sed 's/^/    /' "$T/err" | head -5; fails=$((fails + 1)); }
}

MINING=$C/pcap/ndpi/mining.pcapng          # Stratum sessions: findings
CLEAN=$C/pcap/ndpi/bitcoin.pcap            # Bitcoin P2P node traffic: not mining
head -c 120000 "$MINING" > "$T/mining-cut.pcapng"
head -c 30000 "$CLEAN" > "$T/clean-cut.pcap"
printf 'not a capture\n' > "$T/text.pcap"

# ---- scan
want 0 "scan, nothing found" "$BIN" scan -o /dev/null "$CLEAN"
want 1 "scan, findings" "$BIN" scan -o /dev/null "$MINING"
want 1 "scan, findings among several files" "$BIN" scan -o /dev/null "$CLEAN" "$MINING"
want 1 "scan --hosts (no JSON output), findings" "$BIN" scan --hosts "$MINING"
want 0 "scan --min-confidence 100 drops them all" "$BIN" scan -o /dev/null --min-confidence 100 "$MINING"
want 2 "scan, unknown option" "$BIN" scan --bogus "$MINING"
want 2 "scan, missing option argument" "$BIN" scan "$MINING" -o
want 2 "scan, bad number" "$BIN" scan --min-confidence 101 "$MINING"
want 2 "scan, no input" "$BIN" scan
want 2 "scan, both -i and files" "$BIN" scan -i lo "$MINING"
want 2 "scan, bad BPF filter" "$BIN" scan -f "port port" -o /dev/null "$MINING"
want 2 "scan, missing file" "$BIN" scan -o /dev/null "$T/missing.pcap"
err_has "missing.pcap" "scan names the missing file"
want 2 "scan, not a capture" "$BIN" scan -o /dev/null "$T/text.pcap"
want 2 "scan, one file missing among good ones" "$BIN" scan -o /dev/null "$MINING" "$T/missing.pcap"
want 2 "scan, output not writable" "$BIN" scan -o "$T/no/such/dir.json" "$MINING"
want 1 "scan, truncated capture with findings" "$BIN" scan -o /dev/null "$T/mining-cut.pcapng"
err_has "mining-cut.pcapng.*(ends early|truncated)" "scan warns about the truncated capture"
want 0 "scan, truncated capture without findings" "$BIN" scan -o /dev/null "$T/clean-cut.pcap"
err_has "clean-cut.pcap.*ends early" "scan warns about the truncated classic pcap"
want 0 "scan -q, truncated: no warning" "$BIN" scan -q -o /dev/null "$T/clean-cut.pcap"
err_empty "scan -q on a truncated capture"
want 2 "scan --strict, truncated" "$BIN" scan --strict -o /dev/null "$T/mining-cut.pcapng"
err_has "mining-cut.pcapng: error: .*--strict|damaged input" "scan --strict says why"
want 2 "scan -q --strict, truncated: still said" "$BIN" scan -q --strict -o /dev/null "$T/clean-cut.pcap"
err_has "clean-cut.pcap: error: read only in part" "scan -q --strict names the input"
want 1 "scan --strict, intact input" "$BIN" scan --strict -o /dev/null "$MINING"
want 1 "scan --stats counts inputs" "$BIN" scan --stats -q -o /dev/null "$MINING" "$T/mining-cut.pcapng"
err_has "^inputs 2 \(1 damaged, 0 unreadable\)" "scan --stats counts the damaged input"

# ---- ingest
clean='{"timestamp":"2024-03-01T10:00:00.000000+0000","flow_id":1,"event_type":"dns","src_ip":"10.0.0.7","src_port":5353,"dest_ip":"10.0.0.1","dest_port":53,"proto":"UDP","dns":{"type":"query","id":1,"rrname":"www.example.com","rrtype":"A"}}'
alert='{"timestamp":"2024-03-01T10:00:00.000000+0000","flow_id":11,"event_type":"alert","src_ip":"10.0.0.7","src_port":50123,"dest_ip":"203.0.113.9","dest_port":3333,"proto":"TCP","alert":{"signature_id":2024792,"signature":"ET POLICY Cryptocurrency Miner Checkin","category":"Potential Corporate Privacy Violation","severity":1}}'
echo "$clean" > "$T/clean.json"
echo "$alert" > "$T/alert.json"
{ echo "$clean"; echo '{"event_type": broken'; echo "$alert"; } > "$T/malformed.json"
{ for i in $(seq 1 3000); do echo "$clean"; done; echo "$alert"; } | gzip -c > "$T/big.json.gz"
head -c 2000 "$T/big.json.gz" > "$T/cut.json.gz"
want 0 "ingest, nothing found" "$BIN" ingest --db "$T/i.db" "$T/clean.json"
want 1 "ingest, findings" "$BIN" ingest --db "$T/i.db" "$T/alert.json"
want 1 "ingest, findings already stored are still findings" "$BIN" ingest --db "$T/i.db" "$T/alert.json"
want 1 "ingest, findings from stdin" sh -c "echo '$alert' | '$BIN' ingest --db '$T/i.db' -"
want 2 "ingest, no --db" "$BIN" ingest "$T/clean.json"
want 2 "ingest, no input" "$BIN" ingest --db "$T/i.db"
want 2 "ingest, unknown option" "$BIN" ingest --bogus --db "$T/i.db" "$T/clean.json"
want 2 "ingest, bad --format" "$BIN" ingest --format xml --db "$T/i.db" "$T/clean.json"
want 2 "ingest, bad --min-confidence" "$BIN" ingest --min-confidence x --db "$T/i.db" "$T/clean.json"
want 2 "ingest, missing input" "$BIN" ingest --db "$T/i.db" "$T/missing.json"
err_has "missing.json" "ingest names the missing input"
want 2 "ingest, missing input among good ones" "$BIN" ingest --db "$T/i.db" "$T/alert.json" "$T/missing.json"
want 2 "ingest, database cannot be opened" "$BIN" ingest --db "$T/no/such/dir.db" "$T/clean.json"
want 1 "ingest, malformed line, findings" "$BIN" ingest --db "$T/i.db" "$T/malformed.json"
err_has "malformed.json:2: warning: 1 malformed line skipped" "ingest names the file and line"
want 2 "ingest --strict, malformed line" "$BIN" ingest --strict --db "$T/i.db" "$T/malformed.json"
err_has "malformed.json:2: error:" "ingest --strict names the file and line"
want 0 "ingest, truncated gzip without findings" "$BIN" ingest --db "$T/i.db" "$T/cut.json.gz"
err_has "cut.json.gz: warning: input truncated" "ingest warns about the truncated gzip"
want 0 "ingest -q, truncated gzip: no warning" "$BIN" ingest -q --db "$T/i.db" "$T/cut.json.gz"
err_empty "ingest -q on a truncated gzip"
want 2 "ingest --strict, truncated gzip" "$BIN" ingest --strict -q --db "$T/i.db" "$T/cut.json.gz"
err_has "cut.json.gz: error: input truncated" "ingest -q --strict still names the input"
want 1 "ingest, intact gzip with a finding" "$BIN" ingest --strict --db "$T/i.db" "$T/big.json.gz"

# ---- report (over the store the ingest runs filled: one alert finding, 2024-03)
printf 'network,organisation,sector,size\n10.0.0.0/8,Lab,research,small\nnot-a-network,X,y,small\n' > "$T/assets.csv"
printf 'network,organisation,sector,size\n10.0.0.0/8,Lab,research,small\n' > "$T/assets-ok.csv"
want 1 "report, findings in range" "$BIN" report --db "$T/i.db"
want 1 "report --json, findings in range" "$BIN" report --db "$T/i.db" --json
want 0 "report, no finding in range" "$BIN" report --db "$T/i.db" --from 2019 --to 2019
[ -s "$T/out" ] || { echo "FAIL: report of an empty range printed nothing"; fails=$((fails + 1)); }
sqlite3 "$T/i.db" "DELETE FROM findings" 2>/dev/null && cp "$T/i.db" "$T/empty.db"
want 0 "report, empty database" "$BIN" report --db "$T/empty.db"
"$BIN" ingest -q --db "$T/i.db" "$T/alert.json" >/dev/null 2>&1
want 1 "report -o FILE" "$BIN" report --db "$T/i.db" -o "$T/r.txt"
[ -s "$T/r.txt" ] && [ ! -s "$T/out" ] || { echo "FAIL: report -o did not write the file instead of stdout"; fails=$((fails + 1)); }
want 2 "report, no --db" "$BIN" report
want 2 "report, operand" "$BIN" report --db "$T/i.db" extra
want 2 "report, bad --by" "$BIN" report --db "$T/i.db" --by year
want 2 "report, two formats" "$BIN" report --db "$T/i.db" --json --csv "$T/csv"
want 2 "report, -o with --html" "$BIN" report --db "$T/i.db" -o x --html "$T/r.html"
want 2 "report, database missing" "$BIN" report --db "$T/no/such.db"
want 2 "report, --assets missing" "$BIN" report --db "$T/i.db" --assets "$T/missing.csv"
want 2 "report, output not writable" "$BIN" report --db "$T/i.db" -o "$T/no/such/dir.txt"
want 1 "report, --assets with a bad row" "$BIN" report --db "$T/i.db" --assets "$T/assets.csv"
err_has "assets.csv: warning: 1 row skipped" "report warns about the skipped asset row"
want 2 "report --strict, --assets with a bad row" "$BIN" report --strict --db "$T/i.db" --assets "$T/assets.csv"
want 1 "report --strict, intact --assets" "$BIN" report --strict --db "$T/i.db" --assets "$T/assets-ok.csv"

# ---- version, help, the dispatcher
want 0 "version" "$BIN" version
grep -Eq '^minetrace [0-9]+\.[0-9]+\.[0-9]+' "$T/out" || { echo "FAIL: version output: $(cat "$T/out")"; fails=$((fails + 1)); }
want 0 "--version" "$BIN" --version
want 2 "version, operand" "$BIN" version extra
want 2 "version, unknown option" "$BIN" version --bogus
want 0 "help" "$BIN" help
want 0 "--help" "$BIN" --help
want 2 "help, unknown command" "$BIN" help bogus
want 2 "no command" "$BIN"
want 2 "unknown command" "$BIN" bogus
for c in scan ingest report version help; do
    want 0 "$c --help" "$BIN" "$c" --help
    cp "$T/out" "$T/help-$c"
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        grep -qx "$s" "$T/help-$c" || { echo "FAIL: $c --help lacks $s"; fails=$((fails + 1)); }
    done
    for n in 0 1 2; do
        grep -Eq "^    $n  " "$T/help-$c" || { echo "FAIL: $c --help: no exit status $n"; fails=$((fails + 1)); }
    done
    want 0 "help $c" "$BIN" help "$c"
    cmp -s "$T/out" "$T/help-$c" || { echo "FAIL: help $c differs from $c --help"; fails=$((fails + 1)); }
done

# ---- manual pages: groff without warnings, man -l renders them
for p in "$SRC"/docs/man/*.1; do
    checks=$((checks + 1))
    if command -v groff >/dev/null; then
        w=$(groff -man -Tutf8 -ww "$p" 2>&1 >/dev/null)
        [ -z "$w" ] || { echo "FAIL: groff warns on $(basename "$p"): $w"; fails=$((fails + 1)); }
    fi
    if command -v man >/dev/null; then
        out=$(MANWIDTH=80 man -l "$p" 2>&1) && grep -q "EXIT STATUS" <<<"$out" ||
            { echo "FAIL: man -l $(basename "$p")"; fails=$((fails + 1)); }
    fi
done

echo "exit_status: $checks checks, $fails failed"
[ $fails -eq 0 ]
