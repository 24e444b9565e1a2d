#!/usr/bin/env python3
"""Assertions of the XMRig end-to-end test on minetrace's output.

Usage: check.py MODE FACTS FINDINGS_JSONL HOSTS_JSON
MODE is "clear", "tls", or "tls-nodns" (the TLS capture scanned without its
DNS packets: the pool name must then appear nowhere). FACTS is the
facts.env written by record.sh (what the harness really did: pool name/IP,
miner IP, wallet, ports). Each check is printed with the part of minetrace
it exercises (stratum, dns, tls, hosts).

Exit 0 when every check passed; prints one line per check.
"""
import json
import sys


def load_facts(path):
    facts = {}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        k, v = line.split("=", 1)
        facts[k] = v.strip('"')
    return facts


def load_jsonl(path):
    out = []
    for n, line in enumerate(open(path), 1):
        line = line.strip()
        if not line:
            continue
        try:
            out.append(json.loads(line))
        except ValueError as e:
            raise SystemExit("FAIL %s:%d is not JSON (%s): %.200s" % (path, n, e, line))
    return out


def main():
    args = sys.argv[1:]
    if len(args) != 4:
        raise SystemExit(__doc__)
    mode, facts_p, findings_p, hosts_p = args
    facts = load_facts(facts_p)
    findings = load_jsonl(findings_p)
    hosts = load_jsonl(hosts_p)
    miner, pool_ip, name = facts["MINER_IP"], facts["POOL_IP"], facts["POOL_NAME"]
    wallet = facts["WALLET"]
    failed = 0

    def check(part, what, ok, detail):
        nonlocal failed
        if ok:
            print("ok      %s [%s]: %s" % (mode, part, what))
        else:
            failed += 1
            print("FAIL    %s [%s]: %s\n        %s" % (mode, part, what, detail))

    def mining(f):
        return f.get("mining") or {}

    def dump(fs):
        return "findings:\n" + "\n".join("          " + json.dumps(f)[:400] for f in fs) if fs else "no findings at all"

    by_kind = lambda k: [f for f in findings if mining(f).get("kind") == k]

    if mode == "tls-nodns":
        # The same TLS capture scanned with `-f "not port 53"`: without the
        # lookup nothing in the flow names the pool (no SNI, certificate
        # encrypted under TLS 1.3), so no finding may carry the name; if one
        # does, the name came from somewhere other than the DNS tie.
        named = [f for f in findings if mining(f).get("pool", "").rstrip(".").lower() == name]
        check("tls", "without the DNS packets no finding names %s" % name, not named, dump(named))
        return 1 if failed else 0

    if mode == "clear":
        port = int(facts["CLEAR_PORT"])
        st = [f for f in by_kind("stratum")
              if f.get("src_ip") == miner and f.get("dest_ip") == pool_ip
              and f.get("dest_port") == port]
        check("stratum", "stratum finding %s -> %s:%d" % (miner, pool_ip, port), st, dump(findings))
        good = [f for f in st if mining(f).get("protocol") == "xmrig"
                and mining(f).get("wallet") == wallet
                and mining(f).get("agent", "").startswith("XMRig/6.16")]
        check("stratum", 'protocol "xmrig", wallet %s..., agent "XMRig/6.16..."' % wallet[:12],
              good, dump(st or findings))
        check("stratum", "worker is the rig id %s" % facts["RIGID"],
              [f for f in good if mining(f).get("worker") == facts["RIGID"]], dump(good or st))
        check("dns", "stratum finding names pool %s (DNS tie)" % name,
              [f for f in st if mining(f).get("pool", "").rstrip(".").lower() == name],
              dump(st or findings))
    else:
        port = int(facts["TLS_PORT"])
        tl = [f for f in by_kind("tls")
              if f.get("src_ip") == miner and f.get("dest_ip") == pool_ip
              and f.get("dest_port") == port]
        check("tls", "tls finding %s -> %s:%d" % (miner, pool_ip, port), tl, dump(findings))
        tied = [f for f in tl if mining(f).get("pool", "").rstrip(".").lower() == name]
        check("tls", "tls finding names pool %s (DNS tie: XMRig sends no SNI)" % name,
              tied, dump(tl or findings))

    dn = [f for f in by_kind("dns") if f.get("src_ip") == miner
          and mining(f).get("pool", "").rstrip(".").lower() == name]
    check("dns", "dns finding: %s looked up %s (listed as pool via --intel)" % (miner, name),
          dn, dump(findings))

    # The verdict rests on the stratum finding in the clear run and on the
    # tls (DNS-tied) finding in the TLS run, so it waits for that detector.
    need = "stratum" if mode == "clear" else "tls"
    hm = [h for h in hosts if h.get("host") == miner]
    check(need, "host %s is in the --hosts verdicts" % miner, hm and hm[0].get("score", 0) > 0,
          "hosts: %s" % json.dumps(hosts)[:800])
    if hm:
        h = hm[0]
        if mode == "clear":
            check(need, "host verdict lists the wallet", wallet in h.get("wallets", []),
                  json.dumps(h)[:800])
        # The name reaches the verdict through the DNS finding (clear run)
        # or the DNS-tied TLS finding (TLS run).
        check("dns" if mode == "clear" else "tls", "host verdict lists pool %s" % name,
              any(p.rstrip(".").lower() == name for p in h.get("pools", [])), json.dumps(h)[:800])
    check("hosts", "pool/DNS server %s is not called a miner" % pool_ip,
          not any(h.get("host") == pool_ip for h in hosts), "hosts: %s" % json.dumps(hosts)[:800])

    if failed:
        print("%s: %d check(s) failed" % (mode, failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
