#!/usr/bin/env python3
"""Assertions on minetrace's output for the WebSocket browser-miner test
(tests/integration/wsminer.sh). Test-only code, stdlib only.

Usage: check.py MODE FACTS FINDINGS_JSONL HOSTS_JSON
  MODE intel    scanned with --intel <list naming the WS host>:90:browser-miner
  MODE nointel  scanned with the built-in lists only (the test host is in
                none): the WebSocket finding must not depend on intel.
Prints one "ok"/"FAIL" line per check; exit 1 on any failure.
"""
import json
import sys


def load_jsonl(path):
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def load_hosts(path):
    # `scan --hosts --json` writes one JSON object per host (lines).
    return load_jsonl(path)


def main():
    mode, facts_path, findings_path, hosts_path = sys.argv[1:5]
    facts = {}
    for line in open(facts_path):
        if "=" in line and not line.startswith("#"):
            k, v = line.rstrip("\n").split("=", 1)
            facts[k] = v.strip('"')
    ws_name, pool_ip, client_ip = facts["WS_NAME"], facts["POOL_IP"], facts["CLIENT_IP"]
    port, key, user = int(facts["WS_PORT"]), facts["SITE_KEY"], facts["WS_USER"]

    findings = load_jsonl(findings_path)
    hosts = load_hosts(hosts_path)
    fails = 0

    def check(cond, what, detail=""):
        nonlocal fails
        if cond:
            print("ok      %s %s" % (mode, what))
        else:
            fails += 1
            print("FAIL    %s %s%s" % (mode, what, (": " + detail) if detail else ""))

    m = [f for f in findings if f.get("event_type") == "mining"]
    ws = [f for f in m if f["mining"]["kind"] == "websocket"]
    check(len(ws) >= 1, "a websocket finding", "kinds seen: %s" % sorted({f["mining"]["kind"] for f in m}))
    good = [f for f in ws
            if f["src_ip"] == client_ip and f["dest_ip"] == pool_ip and f["dest_port"] == port]
    check(len(good) >= 1, "websocket finding %s -> %s:%d" % (client_ip, pool_ip, port),
          json.dumps(ws)[:300])
    if good:
        w = good[0]["mining"]
        check(w["protocol"] == "coinhive-ws", "protocol coinhive-ws", w["protocol"])
        check(w["pool"] == ws_name, "pool is the Upgrade host without port", w["pool"])
        check(w["wallet"] == key, "site key (wallet) from the auth message", w["wallet"])
        check(w["worker"] == user, "worker = the auth user", w["worker"])
        check(w["family"] == "browser-miner", "family browser-miner", w["family"])
        check(w["confidence"] >= 85, "confidence >= 85", str(w["confidence"]))
        check('"auth"' in w["evidence"], "evidence names the auth message", w["evidence"])
        if facts.get("DEFLATE", "0") == "1":
            # The auth arrived compressed (RSV1): found by inflating it.
            check("(permessage-deflate)" in w["evidence"],
                  "evidence says the message was inflated", w["evidence"])
    # One WebSocket flow: at most two reports (first mining message, then a
    # message with a key not yet reported); here the first message has it.
    check(len(ws) == 1, "exactly one websocket finding for the one session", str(len(ws)))

    # Nothing else may be blamed: Chromium's own background lookups
    # (google names, answered REFUSED) and the proxy host are not miners.
    names = {f["mining"]["pool"] for f in m}
    check(names <= {ws_name}, "no finding names another host", str(sorted(names)))
    check(not [f for f in m if f["src_ip"] == pool_ip], "no finding with the proxy as source")
    if mode == "intel":
        dns = [f for f in m if f["mining"]["kind"] == "dns" and f["mining"]["pool"] == ws_name]
        check(len(dns) >= 1, "dns finding for the listed WebSocket host")

    hv = {h["host"]: h for h in hosts}
    check(client_ip in hv, "host verdict lists the browser host %s" % client_ip, str(sorted(hv)))
    check(pool_ip not in hv, "host verdict does not list the proxy %s" % pool_ip)
    if client_ip in hv:
        h = hv[client_ip]
        check(h["score"] >= 85, "browser host score >= 85", str(h["score"]))
        check(key in h["wallets"], "browser host verdict carries the site key")
        check(ws_name in h["pools"], "browser host verdict names the WebSocket host", str(h["pools"]))
        check("websocket" in h["kinds"], "browser host verdict has kind websocket", str(h["kinds"]))
        check("browser-miner" in h["families"], "browser host family browser-miner", str(h["families"]))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
