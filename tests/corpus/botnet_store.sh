#!/usr/bin/env bash
# The botnet study's records on the real honeypot data (issue 9) through
# the store and the report: `minetrace botnet -o FILE --db DB` over the
# killchain 2023 files, the kareiva 2018 Cowrie logs and the deroux 2021
# aggregates; then, computed here with python3 from the JSON lines alone,
# the report's figures (`minetrace report --db DB --json`) must come out:
# campaigns, mining campaigns, zombies (distinct members of the mining
# campaigns), members, zombies per day and the peak, countries, port 22 /
# IoT / GeoIP figures, credentials with their days; the tables must hold
# exactly the records (one row per campaign, member, day, source,
# credential); storing the same run again changes nothing.
# Skipped (exit 0) in a build without `minetrace botnet`.
set -euo pipefail
BIN=${MT_BIN:?MT_BIN}
C=${MT_CORPUS:?MT_CORPUS}/botnet
[ -d "$C" ] || { echo "no corpus at $C"; exit 1; }
if ! "$BIN" botnet --help >/dev/null 2>&1; then
    echo "SKIP: this build has no minetrace botnet"
    exit 0
fi
command -v sqlite3 >/dev/null || { echo "SKIP: no sqlite3 shell"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KC=$C/killchain_2023

study() { # name inputs...
    local name=$1
    shift
    local db=$tmp/$name.db out=$tmp/$name.jsonl rc=0
    "$BIN" botnet --no-progress --sources --db "$db" -o "$out" "$@" 2>"$tmp/$name.err" || rc=$?
    [ "$rc" -lt 2 ] || { echo "FAIL: minetrace botnet $name exited $rc"; cat "$tmp/$name.err"; exit 1; }
    rc=0
    "$BIN" report --db "$db" --json -o "$tmp/$name.report.json" 2>"$tmp/$name.rerr" || rc=$?
    [ "$rc" -lt 2 ] || { echo "FAIL: minetrace report $name exited $rc"; cat "$tmp/$name.rerr"; exit 1; }
    # A store of botnet records only: the text report names no traffic
    # range (no epoch dates) and lists only the days with active zombies.
    "$BIN" report --db "$db" >"$tmp/$name.report.txt" 2>/dev/null || true
    grep -q "no traffic findings stored" "$tmp/$name.report.txt" ||
        { echo "FAIL: $name: the report does not say that no traffic findings are stored"; exit 1; }
    if grep -q "1970-01-01" "$tmp/$name.report.txt"; then
        echo "FAIL: $name: the report prints the epoch as a date"; exit 1
    fi
    if awk '/^== Zombies per day/{z=1;next} /^==/{z=0} z && $2 == "0"' "$tmp/$name.report.txt" | grep -q .; then
        echo "FAIL: $name: the text day table lists days without active zombies"; exit 1
    fi
    local tables="SELECT (SELECT count(*) FROM campaigns)||' '||(SELECT count(*) FROM campaign_members)||' '||
        (SELECT count(*) FROM campaign_days)||' '||(SELECT count(*) FROM campaign_countries)||' '||
        (SELECT count(*) FROM botnet_sources)||' '||(SELECT count(*) FROM credentials)"
    sqlite3 "$db" "$tables" >"$tmp/$name.tables"
    python3 - "$name" "$out" "$tmp/$name.report.json" "$tmp/$name.tables" <<'PY'
import collections, json, sys

name, lines, report, tables = sys.argv[1:]
recs = [json.loads(l) for l in open(lines, encoding="utf-8", errors="surrogateescape")]
camps = [r["campaign"] for r in recs if r["event_type"] == "campaign"]
srcs = [r["source"] for r in recs if r["event_type"] == "source"]
creds = [r["credential"] for r in recs if r["event_type"] == "credential"]
mining = [c for c in camps if c["mining"]]
zombies = set(ip for c in mining for ip in c["members"])
days = collections.Counter()
for c in mining:
    for d, n in c["active_per_day"].items():
        days[d] += n
countries = collections.Counter()
for c in mining:
    for k, n in c["countries"].items():
        countries[k] += n
want = {
    "campaigns": len(camps), "mining_campaigns": len(mining), "zombies": len(zombies),
    "members": sum(c["sources"] for c in mining), "attack_sources": len(srcs),
    "scanned": sum(c["scanned"] for c in mining), "port22_open": sum(c["port22_open"] for c in mining),
    "iot": sum(c["iot"] for c in mining), "iot_unknown": sum(c["iot_unknown"] for c in mining),
    "geo_unknown": sum(c["geo_unknown"] for c in mining), "countries": len(countries),
    "credentials": len({(c["username"], c["password"]) for c in creds}),
}
peak = max(sorted(days.items()), key=lambda kv: kv[1]) if days else ("", 0)
want["peak_day"], want["peak_active"] = peak
rep = json.load(open(report, encoding="utf-8", errors="surrogateescape"))
if not recs:
    assert "botnet" not in rep, name
    print(f"  {name}: no records, no botnet section")
    sys.exit(0)
b = rep["botnet"]
for k, v in want.items():
    assert b["totals"][k] == v, (name, k, b["totals"][k], v)
got_days = {r["day"]: r["active"] for r in b["days"] if r["active"]}
assert got_days == dict(days), (name, "days")
assert [r["day"] for r in b["days"] if r["peak"]] == ([peak[0]] if days else []), (name, "peak")
assert len(b["campaigns"]) == min(10, len(camps)), name
order = sorted(camps, key=lambda c: (not c["mining"], -c["sources"], -c["sessions"], c["id"]))
assert [r["id"] for r in b["campaigns"]] == [c["id"] for c in order[:10]], (name, "campaign order")
byid = {c["id"]: c for c in camps}
for r in b["campaigns"]:
    c = byid[r["id"]]
    assert (r["sources"], r["sessions"], r["mining"], r["family"]) == \
        (c["sources"], c["sessions"], c["mining"], c["family"]), (name, r["id"])
top = sorted(creds, key=lambda c: (-c["attempts"], -c["sources"], c["username"], c["password"]))[:10]
assert [(r["username"], r["password"], r["attempts"], r["days"]) for r in b["credentials"]] == \
    [(c["username"], c["password"], c["attempts"], c["days"]) for c in top], (name, "credentials")
rows = " ".join(str(x) for x in (len(camps), sum(len(c["members"]) for c in camps),
                                 sum(len(c["active_per_day"]) for c in camps),
                                 sum(len(c["countries"]) for c in camps), len(srcs), len(creds)))
assert open(tables).read().split() == rows.split(), (name, "tables", open(tables).read(), rows)
print(f"  {name}: {len(camps)} campaigns ({len(mining)} mining), {len(zombies)} zombies, "
      f"peak {peak[1]} on {peak[0] or '-'}, {len(srcs)} sources, {len(creds)} credentials: as stored and reported")
PY
    # A second run stored again: the same rows.
    sqlite3 "$db" ".dump campaigns campaign_days campaign_countries campaign_members botnet_sources credentials" \
        >"$tmp/$name.dump1"
    "$BIN" botnet --no-progress --sources --db "$db" -o /dev/null "$@" 2>/dev/null || [ $? -lt 2 ]
    sqlite3 "$db" ".dump campaigns campaign_days campaign_countries campaign_members botnet_sources credentials" \
        >"$tmp/$name.dump2"
    cmp -s "$tmp/$name.dump1" "$tmp/$name.dump2" || { echo "FAIL: $name: storing the run again changed rows"; exit 1; }
}

echo "killchain 2023 (attack patterns and login feed)"
# With MT_GEOIP (an ip-location-db or MaxMind country database) the
# country figures are checked too; without it every member is unknown.
geo=()
[ -n "${MT_GEOIP:-}" ] && [ -r "$MT_GEOIP" ] && geo=(--geoip "$MT_GEOIP")
study killchain "${geo[@]}" "$KC"/attack-pattern_2023-11-16.json "$KC"/attack-pattern_2024-02-01.json \
    "$KC"/iocs_merged_2023-11-03_2024-01-19.csv
echo "kareiva 2018 Cowrie logs"
study kareiva "$C"/cowrie_kareiva_2018/cowrie.json.*
echo "deroux 2021 daily aggregates"
study deroux "$C"/deroux_2021/reduced.json
echo "all botnet store checks passed"
