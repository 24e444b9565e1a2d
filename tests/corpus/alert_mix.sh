#!/usr/bin/env bash
# The study's behaviour mix from IDS alerts (issue 10, point 3).
#
# 1. The real Suricata EVE log and the real Zeek notice logs of the corpus
#    hold no coin-mining alert (745 ET CINS/DROP/SCAN alerts; Scan:: and
#    SSL:: notices): ingest must turn none of them into a finding.
# 2. Every ET Open rule of the corpus rule files (coin-mining, policy,
#    EternalBlue/DoublePulsar, ...) as the alert Suricata 5/6 writes for it
#    (tests/corpus/alert_gen.py: packet order, no "direction", the rule's
#    dns.query / tls.sni / http buffers as the alert's fields, a Stratum
#    message of the rule's dialect as payload_printable), plus the issue's
#    login from source port 45700 to a pool on 3999. alert_gen.py decides
#    from the rule text alone which alerts are mining and of which kind
#    (pool DNS, Stratum, TLS, HTTP, WebSocket, SMB precursor) and which end
#    is the miner; every stored finding must agree, and the report's mix
#    (`minetrace report --json`) must give the shares computed here:
#    pool-domain lookups, Stratum logins, WannaMine precursors, in-browser
#    miners over all alert-derived findings, and at most 5% left as kind
#    "alert" (miner C2 check-ins no packet detector has a kind for), none
#    without a family.
set -euo pipefail
BIN=${MT_BIN:?MT_BIN}
C=${MT_CORPUS:?MT_CORPUS}
HERE=$(cd "$(dirname "$0")" && pwd)
[ -d "$C/logs/suricata" ] || { echo "no corpus at $C"; exit 1; }
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3 shell"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ingest() { # db inputs...
    local db=$1 rc=0
    shift
    "$BIN" ingest --no-progress --db "$db" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" -lt 2 ] || { echo "FAIL: ingest $* exited $rc"; cat "$tmp/err"; exit 1; }
}

# 1. Real logs: no mining alert, so no finding from an alert.
EVE=$C/logs/suricata/slips_test6-malicious_eve.json
ingest "$tmp/real.db" "$EVE"
want=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l).get("event_type")=="alert"))' "$EVE")
grep -q "alerts 0 mining / $want other" "$tmp/out" ||
    { echo "FAIL: real EVE log: want 'alerts 0 mining / $want other'"; cat "$tmp/out"; exit 1; }
n=$(sqlite3 "$tmp/real.db" "SELECT count(*) FROM findings WHERE evidence LIKE 'IDS %'")
[ "$n" = 0 ] || { echo "FAIL: real EVE log: $n findings from alerts"; exit 1; }
for f in "$C"/logs/zeek/*/notice.log "$C"/logs/zeek/*/tsv/notice.log.gz "$C"/logs/zeek/*/json/notice.json.gz; do
    [ -e "$f" ] || continue
    rm -f "$tmp/z.db"
    ingest "$tmp/z.db" "$f"
    grep -q "alerts 0 mining" "$tmp/out" || { echo "FAIL: $f: a notice taken for mining"; cat "$tmp/out"; exit 1; }
done
echo "ok: real EVE ($want alerts) and Zeek notice logs: no alert taken for mining"

# 2. ET Open rules as alerts.
R=$C/intel/et_open
python3 "$HERE/alert_gen.py" "$R"/*.rules >"$tmp/alerts.json" 3>"$tmp/expect.jsonl"
ingest "$tmp/a.db" "$tmp/alerts.json"
sqlite3 -json "$tmp/a.db" "SELECT flow_id, src_ip, event_type, kind, family, protocol, evidence FROM findings" >"$tmp/got.json"
rc=0
"$BIN" report --db "$tmp/a.db" --json -o "$tmp/report.json" 2>"$tmp/rerr" || rc=$?
[ "$rc" -lt 2 ] || { echo "FAIL: report exited $rc"; cat "$tmp/rerr"; exit 1; }
python3 - "$tmp/expect.jsonl" "$tmp/got.json" "$tmp/report.json" "$tmp/out" <<'PY'
import json, sys
exp = [json.loads(l) for l in open(sys.argv[1])]
text = open(sys.argv[2]).read().strip()  # sqlite3 -json prints nothing for no rows
got = {r["flow_id"]: r for r in (json.loads(text) if text else [])}
rep = json.load(open(sys.argv[3]))
bad = []
ours = [e for e in exp if e["ours"]]
for e in exp:
    g = got.get(e["flow_id"])
    if not e["ours"]:
        if g: bad.append("sid %d: not mining, got %s" % (e["sid"], g["kind"]))
        continue
    if not g:
        bad.append("sid %d: no finding (want %s)" % (e["sid"], e["kind"]))
        continue
    for k in ("event_type", "kind"):
        if g[k] != e[k]: bad.append("sid %d: %s %s, want %s" % (e["sid"], k, g[k], e[k]))
    if e["family"] and g["family"] != e["family"]:
        bad.append("sid %d: family %s, want %s" % (e["sid"], g["family"], e["family"]))
    if not g["family"]: bad.append("sid %d: no family" % e["sid"])
    if g["src_ip"] != e["src"]:
        bad.append("sid %d: src %s, want the %s %s" % (e["sid"], g["src_ip"],
                   "attacker" if e["event_type"] == "precursor" else "miner", e["src"]))
if bad:
    print("FAIL:\n  " + "\n  ".join(bad)); sys.exit(1)
n = len(ours)
summary = open(sys.argv[4]).read()
want_line = "alerts %d mining / %d other" % (n, len(exp) - n)
if want_line not in summary:
    print("FAIL: ingest summary, want %r: %s" % (want_line, summary)); sys.exit(1)

def share(pred):
    return sum(1 for e in ours if pred(e)) / n

# The study's behaviours, from the expectations alone.
groups = {
    "pool-domain lookups": share(lambda e: e["kind"] == "dns" and e["family"] != "browser-miner"),
    "stratum logins": share(lambda e: e["kind"] == "stratum"),
    "wannamine precursors": share(lambda e: e["kind"] == "smb"),
    "in-browser miners": share(lambda e: e["family"] == "browser-miner"),
    "unplaced (kind alert)": share(lambda e: e["kind"] == "alert"),
}
mix = rep["mix"]
if mix["kinds"]["total"] != n or rep["totals"]["findings"] != n:
    print("FAIL: report counts %d findings, want %d" % (mix["kinds"]["total"], n)); sys.exit(1)
kinds = {r["kind"]: r["share"] for r in mix["kinds"]["rows"]}
fams = {r["family"]: r["share"] for r in mix["families"]["rows"]}
pairs = {r["behaviour"]: r["findings"] for r in mix["behaviours"]["rows"]}
for kind in set(e["kind"] for e in ours):
    w = share(lambda e: e["kind"] == kind)
    if abs(kinds.get(kind, 0) - w) > 1e-4:
        print("FAIL: report share of kind %s %.4f, want %.4f" % (kind, kinds.get(kind, 0), w)); sys.exit(1)
checks = {
    "pool-domain lookups": sum(v for k, v in pairs.items() if k.endswith(" / dns") and not k.startswith("browser-miner")) / n,
    "stratum logins": kinds.get("stratum", 0),
    "wannamine precursors": sum(v for k, v in pairs.items() if k == "wannamine / smb") / n,
    "in-browser miners": fams.get("browser-miner", 0),
    "unplaced (kind alert)": kinds.get("alert", 0),
}
for k, w in groups.items():
    if abs(checks[k] - w) > 1e-4:
        print("FAIL: report %s %.4f, want %.4f" % (k, checks[k], w)); sys.exit(1)
if "(unknown)" in fams or "" in fams:
    print("FAIL: findings without a family in the report"); sys.exit(1)
if groups["unplaced (kind alert)"] > 0.05:
    print("FAIL: %.1f%% of alert findings keep kind alert (at most 5%%)" % (100 * groups["unplaced (kind alert)"])); sys.exit(1)
print("ok: %d ET Open rules as alerts, %d mining/precursor, %d not; mix: %s" % (
    len(exp), n, len(exp) - n, ", ".join("%s %.1f%%" % (k, 100 * v) for k, v in groups.items())))
PY
# Ingesting the same alerts again adds nothing.
ingest "$tmp/a.db" "$tmp/alerts.json"
grep -q "findings 0 new" "$tmp/out" || { echo "FAIL: second ingest added findings"; cat "$tmp/out"; exit 1; }
echo "PASS"
