#!/usr/bin/env bash
# minetrace ingest end to end: every real Suricata/Zeek log of the corpus,
# with record counts computed here independently (zcat | grep), ingested
# twice into one database (the second run must add no finding); exit
# statuses (0 nothing found, 1 findings, 2 error) for clean, damaged and
# unreadable inputs and usage errors; stdin; a mining EVE alert; --help.
set -uo pipefail
BIN=${MT_BIN:?}
LOGS=${MT_CORPUS:?}/logs
T=$(mktemp -d /tmp/mt_ingest_cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail=0
err() { echo "FAIL: $*"; fail=1; }

mapfile -t files < <(find "$LOGS/suricata" "$LOGS/zeek" -type f \( -name '*.json' -o -name '*.json.gz' -o -name '*.log' -o -name '*.log.gz' -o -name '*.log.labeled' \) | sort)
[ "${#files[@]}" -ge 30 ] || err "expected at least 30 log files, found ${#files[@]}"

for run in 1 2; do
    "$BIN" ingest --no-progress --db "$T/c.db" "${files[@]}" > "$T/out$run" 2> "$T/err$run"
    rc=$?
    # No finding without extra intel; notice.log has a malformed line: a
    # warning, not an error.
    [ $rc -eq 0 ] || { err "run $run exit $rc, want 0"; cat "$T/err$run"; }
    grep -q "notice.log:21: warning: 1 malformed line skipped" "$T/err$run" ||
        err "run $run: no warning for notice.log line 21: $(cat "$T/err$run")"
done
for f in "${files[@]}"; do
    want=$(zcat -f "$f" | grep -v '^#' | grep -c .)
    for run in 1 2; do
        line=$(grep -F "$f: " "$T/out$run")
        got=$(sed -E 's/.*: [a-z-]+, ([0-9]+) records.*/\1/' <<< "$line")
        [ "$got" = "$want" ] || err "$f run $run: $got records, expected $want"
        if [ $run = 2 ]; then
            grep -q "findings 0 new" <<< "$line" || err "$f: second run added findings: $line"
        fi
    done
done
# Skips are named: the notice.log line with spaces, EVE's fileinfo/anomaly.
grep -F "slips_test10_zeek3.2_tsv/notice.log: zeek-tsv, 13 records, 12 used, 1 malformed" "$T/out1" >/dev/null ||
    err "notice.log malformed line not counted"
grep -A1 -F "notice.log: zeek-tsv, 13" "$T/out1" | grep -q "malformed lines: 21" || err "notice.log line 21 not named"
grep -F "slips_test6-malicious_eve.json: eve, 5000 records, 4994 used, 0 malformed, 6 unknown (eve:fileinfo 3, eve:anomaly 3), alerts 0 mining / 745 other" "$T/out1" >/dev/null ||
    err "EVE summary wrong: $(grep -F eve.json "$T/out1")"
n=$(sqlite3 "$T/c.db" "SELECT count(*) FROM ingest_log")
[ "$n" = $((2 * ${#files[@]})) ] || err "ingest_log has $n rows"
r1=$(sqlite3 "$T/c.db" "SELECT sum(records) FROM ingest_log")
exp=0; for f in "${files[@]}"; do exp=$((exp + $(zcat -f "$f" | grep -v '^#' | grep -c .))); done
[ "$r1" = $((2 * exp)) ] || err "ingest_log records $r1, expected $((2 * exp))"

# A coin-mining alert, via stdin, twice.
alert='{"timestamp":"2024-03-01T10:00:00.000000+0000","flow_id":11,"event_type":"alert","src_ip":"10.0.0.7","src_port":50123,"dest_ip":"203.0.113.9","dest_port":3333,"proto":"TCP","alert":{"signature_id":2024792,"signature":"ET POLICY Cryptocurrency Miner Checkin","category":"Potential Corporate Privacy Violation","severity":1}}'
echo "$alert" | "$BIN" ingest --db "$T/m.db" - > "$T/m1"; rc=$?; [ $rc -eq 1 ] || err "stdin ingest: exit $rc, want 1"
# Already stored: still a finding of the input, so 1 again.
echo "$alert" | "$BIN" ingest --db "$T/m.db" - > "$T/m2"; rc=$?; [ $rc -eq 1 ] || err "stdin ingest again: exit $rc, want 1"
grep -q "findings 1 new / 0 duplicate" "$T/m1" || err "alert not stored: $(cat "$T/m1")"
grep -q "findings 0 new / 1 duplicate" "$T/m2" || err "alert stored twice: $(cat "$T/m2")"
# ET 2024792 is an XMRig login: a Stratum finding, as from packets.
[ "$(sqlite3 "$T/m.db" "SELECT kind||' '||family||' '||src_ip||' '||confidence||' '||source FROM findings")" = "stratum monero-miner 10.0.0.7 90 eve" ] ||
    err "alert row: $(sqlite3 "$T/m.db" "SELECT * FROM findings")"

# scan -> JSONL -> ingest: the same findings (uids) whichever way they come.
PC=${MT_CORPUS}/pcap
"$BIN" scan --db "$T/s.db" -o "$T/scan.jsonl" "$PC/ndpi/mining.pcapng" "$PC/ndpi/monero-mining_ndpi4.2.pcap" > /dev/null 2>&1
rc=$?; [ $rc -eq 1 ] || err "scan: exit $rc, want 1 (findings)"
nj=$(grep -c . "$T/scan.jsonl")
[ "$nj" -gt 0 ] || err "scan wrote no findings"
"$BIN" ingest --db "$T/s.db" "$T/scan.jsonl" > "$T/j1"; rc=$?; [ $rc -eq 1 ] || err "jsonl ingest: exit $rc, want 1"
grep -q "jsonl, $nj records, $nj used, 0 malformed, 0 unknown, findings 0 new / $nj duplicate" "$T/j1" ||
    err "scan findings not recognised as duplicates: $(cat "$T/j1")"
"$BIN" ingest --db "$T/j.db" "$T/scan.jsonl" > "$T/j2"; rc=$?; [ $rc -eq 1 ] || err "jsonl ingest: exit $rc, want 1"
grep -q "findings $nj new / 0 duplicate" "$T/j2" || err "jsonl into a new db: $(cat "$T/j2")"
[ "$(sqlite3 "$T/s.db" "SELECT group_concat(uid||kind||pool||wallet||confidence, ',') FROM (SELECT * FROM findings ORDER BY uid)")" = \
  "$(sqlite3 "$T/j.db" "SELECT group_concat(uid||kind||pool||wallet||confidence, ',') FROM (SELECT * FROM findings ORDER BY uid)")" ] ||
    err "findings differ between scan --db and ingest of its JSONL"

# Exit statuses (tests/integration/exit_status.sh covers every command).
"$BIN" ingest --db "$T/x.db" "$T/missing.json" > /dev/null 2>&1; [ $? -eq 2 ] || err "missing input: exit not 2"
head -c 100000 "$LOGS/zeek/wrccdc2018_zeek6.2_zed-sample-data/tsv/dns.log.gz" > "$T/dns.log.gz"
# A truncated gzip file is damaged, not unreadable: a warning, and 0 (no
# finding in it); --strict makes it an error.
"$BIN" ingest --db "$T/x.db" "$T/dns.log.gz" > "$T/trunc" 2>&1; rc=$?; [ $rc -eq 0 ] || err "truncated gzip: exit $rc, want 0"
grep -q "dns.log.gz: warning: input truncated" "$T/trunc" || err "truncated gzip not reported: $(cat "$T/trunc")"
"$BIN" ingest --strict --db "$T/x.db" "$T/dns.log.gz" > "$T/trunc" 2>&1; rc=$?; [ $rc -eq 2 ] || err "truncated gzip --strict: exit $rc, want 2"
"$BIN" ingest "$T/a.json" > /dev/null 2>&1; [ $? -eq 2 ] || err "no --db: exit not 2"
"$BIN" ingest --db "$T/x.db" > /dev/null 2>&1; [ $? -eq 2 ] || err "no input: exit not 2"
"$BIN" ingest --bogus > /dev/null 2>&1; [ $? -eq 2 ] || err "bad option: exit not 2"
# Into files: grep -q stops reading early, and with pipefail the writer's
# SIGPIPE would fail the check.
"$BIN" ingest --help > "$T/help1" || err "--help: exit not 0"
grep -q "EXIT STATUS" "$T/help1" || err "--help lacks EXIT STATUS"
"$BIN" help ingest > "$T/help2" || err "help ingest: exit not 0"
cmp -s "$T/help1" "$T/help2" || err "help ingest differs from ingest --help"

if [ $fail -eq 0 ]; then echo "ingest_cli: 1 passed, 0 failed"; else echo "ingest_cli: 0 passed, 1 failed"; fi
exit $fail
