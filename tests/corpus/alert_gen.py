#!/usr/bin/env python3
"""EVE alerts as Suricata 5/6 writes them, one per ET Open rule of the corpus
files (../shared/corpus/intel/et_open/*.rules, commented-out rules too: they
fired in earlier years), and the behaviour each alert stands for, decided
here from the rule text alone (not from minetrace's table).

  alert_gen.py RULES... > eve.json   (expectations to fd 3 as JSON lines)

Each alert is written in packet order without "direction" (Suricata before
7): a to_server rule's alert has the client first, a to_client/from_server
rule's the server first. The application fields Suricata logs with an
alert come from the rule's own buffers: dns.query content -> dns.query
rrname, tls.sni -> tls.sni, http.host / http.user_agent -> http; a rule on
Stratum / XMRig JSON-RPC content gets a payload_printable message of that
dialect written here (a login from the miner, a notify from the pool). One
extra alert is the issue's case: a login sent from source port 45700 (a
mining port) to a pool on 3999.
"""
import json
import re
import sys

# Suricata classification.config: classtype -> (description, priority).
CLASSES = {
    "coin-mining": ("Crypto Currency Mining Activity Detected", 2),
    "policy-violation": ("Potential Corporate Privacy Violation", 1),
    "trojan-activity": ("A Network Trojan was detected", 1),
    "attempted-admin": ("Attempted Administrator Privilege Gain", 1),
    "attempted-user": ("Attempted User Privilege Gain", 1),
    "misc-activity": ("Misc activity", 3),
    "bad-unknown": ("Potentially Bad Traffic", 2),
    "pup-activity": ("Possibly Unwanted Program Detected", 2),
    "misc-attack": ("Misc Attack", 2),
    "attempted-recon": ("Attempted Information Leak", 2),
    "exploit-kit": ("Exploit Kit Activity Detected", 1),
}

LOGIN = ('{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"4%s","pass":"x",'
         '"agent":"XMRig/6.16.4 (Linux x86_64) libuv/1.42.0 gcc/11.2.0","algo":["rx/0"]}}')
SUBSCRIBE = '{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}'
AUTHORIZE = '{"id": 2, "method": "mining.authorize", "params": ["1Worker.%d", "x"]}'
NOTIFY = ('{"params": ["1b2c", "00000000ab", "01000000", "ff", [], "20000000", "1d00ffff",'
          ' "5a1b2c3d", true], "id": null, "method": "mining.notify"}')


def contents(rule):
    """The rule's content strings, |hex| decoded, with the sticky buffer
    each follows."""
    out, buf = [], ""
    for m in re.finditer(r'\b(dns[._]query|tls[._]sni|http[._]host|http[._]user_agent|'
                         r'http[._]uri|http[._]header|http[._]method|content):\s*"((?:[^"\\]|\\.)*)"\s*;'
                         r'|\b(dns[._]query|tls[._]sni|tls[._]cert_\w+|http[._]\w+|file[._]data|pkt_data)\s*;',
                         rule):
        if m.group(3):
            buf = m.group(3).replace("_", ".", 1)
            continue
        kw, text = m.group(1), m.group(2)
        if kw != "content":
            buf = kw.replace("_", ".", 1)
            continue
        dec = re.sub(r"\|([0-9a-fA-F ]+)\|",
                     lambda h: bytes.fromhex(h.group(1).replace(" ", "")).decode("latin-1"), text)
        out.append((buf, dec.replace('\\"', '"').replace("\\;", ";")))
    return out


def behaviour(msg, classtype, proto, cs):
    """(ours, event_type, kind, family) from the rule text."""
    low = msg.lower()
    allc = " ".join(c for _, c in cs).lower()
    if re.search(r"eternalblue|doublepulsar|ms17-010", low):
        return True, "precursor", "smb", "wannamine"
    mining_words = re.search(r"coinminer|coin miner|coin-miner|miner checkin|mining pool|"
                             r"coin mining|browser monero miner|browser miner|bitcoin miner|"
                             r"bitcoin mining|miner login|miner user-agent|stratum|"
                             r"mining extensions|mining rig|poclbm|ufasoft bitcoin|"
                             r"likely bitcoin|forcing visitors to mine|mining session|cryptocurrency mining|\(getwork\)|^et policy bitcoin$",
                             low)
    # Rules that name coins but are about something else: exploits of
    # servers (Struts, CouchDB, ...), miner RCE, wallets' user agents,
    # bandwidth-sharing adware, ethereum wallet RPC, DNS TLD hunting.
    if classtype != "coin-mining" and not mining_words:
        return False, None, None, None
    if re.search(r"exploit|hunting|coinsurf|scan ", low) and not re.search(r"coinminer", low):
        return False, None, None, None
    browser = re.search(r"coinhive|coin-hive|jsecoin|crypto-loot|in-browser|browser|bitcoinplus|"
                        r"nimiq", low)
    if proto == "dns":
        kind = "dns"
    elif proto == "tls":
        kind = "tls"
    elif proto == "http" and "upgrade" in allc + low and "nimiq" in low:
        kind = "websocket"
    elif proto == "http" or "getblocktemplate" in allc + low:
        kind = "http"
    elif re.search(r'mining\.|"login"|method":"login|authline|stratum|rhminer|protominer|duino', allc + low):
        kind = "stratum"
    else:
        kind = "alert"
    fam = "browser-miner" if browser else None
    return True, "mining", kind, fam


def main():
    exp = open(3, "w")
    w = sys.stdout.write
    n = 0
    for path in sys.argv[1:]:
        for line in open(path, encoding="utf-8"):
            line = line.strip()
            if not re.match(r"^#?\s*alert\s", line) or "sid:" not in line:
                continue
            rule = line.lstrip("# ")
            hdr = rule.split("(", 1)[0].split()
            proto, dport = hdr[1], hdr[6]
            msg = re.search(r'msg:\s*"([^"]*)"', rule).group(1)
            sid = int(re.search(r"\bsid:\s*(\d+)", rule).group(1))
            ct = re.search(r"classtype:\s*([^;]+);", rule)
            classtype = ct.group(1).strip() if ct else "misc-activity"
            flow = re.search(r"flow:\s*([^;]*);", rule)
            flow = flow.group(1).replace(" ", "") if flow else ""
            from_server = "to_client" in flow or "from_server" in flow
            cs = contents(rule)
            ours, etype, kind, fam = behaviour(msg, classtype, proto, cs)
            n += 1
            cli, srv = "10.1.%d.%d" % (n // 200, n % 200 + 1), "198.51.100.%d" % (n % 250 + 1)
            cport = 45700 if n % 3 == 0 else 49152 + n
            if proto == "dns":
                sport = 53
            elif proto == "smb" or "445" in dport or "ms17-010" in msg.lower():
                sport = 445
            elif dport.isdigit():
                sport = int(dport)
            elif dport.endswith(":") and dport[:-1].isdigit():
                sport = 3333 if int(dport[:-1]) <= 3333 else int(dport[:-1])
            else:
                sport = {"tls": 443, "http": 80}.get(proto, 3999)
            if proto == "smb" or sport == 445:
                # EternalBlue: the attacker is the client, the victim the server.
                cli, srv = "203.0.113.%d" % (n % 250 + 1), "10.2.%d.%d" % (n // 200, n % 200 + 1)
            ev = {"timestamp": "2018-%02d-%02dT10:%02d:00.000000+0000" % (n % 12 + 1, n % 28 + 1, n % 60),
                  "flow_id": 1000 + n, "in_iface": "eth0", "event_type": "alert"}
            ends = [(cli, cport), (srv, sport)]
            if from_server:
                ends.reverse()
            ev.update({"src_ip": ends[0][0], "src_port": ends[0][1], "dest_ip": ends[1][0],
                       "dest_port": ends[1][1], "proto": "UDP" if proto == "dns" else "TCP"})
            desc, prio = CLASSES.get(classtype, ("Misc activity", 3))
            ev["alert"] = {"action": "allowed", "gid": 1, "signature_id": sid, "rev": 1,
                           "signature": msg, "category": desc, "severity": prio}
            if proto in ("dns", "tls", "http", "smb"):
                ev["app_proto"] = proto
            for buf, c in cs:
                if buf == "dns.query":
                    name = c.strip(".")
                    if c.startswith("."):
                        name = "xmr-eu1." + name
                    ev["dns"] = {"query": [{"type": "query", "id": n, "rrname": name,
                                            "rrtype": "A", "tx_id": 0}]}
                elif buf == "tls.sni":
                    ev["tls"] = {"sni": c.strip("."), "version": "TLS 1.2"}
                elif buf in ("http.host", "http.user_agent"):
                    h = ev.setdefault("http", {"hostname": srv, "url": "/", "http_method": "GET",
                                               "protocol": "HTTP/1.1"})
                    h["hostname" if buf == "http.host" else "http_user_agent"] = c
            allc = " ".join(c for _, c in cs)
            if kind == "stratum" and proto != "http":
                if from_server:
                    ev["payload_printable"] = NOTIFY
                elif "mining." in allc:
                    ev["payload_printable"] = SUBSCRIBE if "subscribe" in allc else AUTHORIZE % n
                elif "login" in allc:
                    ev["payload_printable"] = LOGIN % ("8" * 94)
            w(json.dumps(ev, separators=(",", ":")) + "\n")
            # The miner (for a precursor the attacker) is the client.
            exp.write(json.dumps({"flow_id": 1000 + n, "sid": sid, "ours": ours, "event_type": etype,
                                  "kind": kind, "family": fam, "src": cli if ours else None}) + "\n")
    # The case: XMRig on source port 45700 logging in to a pool on 3999.
    n += 1
    ev = {"timestamp": "2018-06-01T12:00:00.000000+0000", "flow_id": 1000 + n, "event_type": "alert",
          "src_ip": "10.3.0.1", "src_port": 45700, "dest_ip": "198.51.100.250", "dest_port": 3999,
          "proto": "TCP", "payload_printable": LOGIN % ("9" * 94),
          "alert": {"action": "allowed", "gid": 1, "signature_id": 2024792, "rev": 3,
                    "signature": "ET POLICY Cryptocurrency Miner Checkin",
                    "category": CLASSES["policy-violation"][0], "severity": 1}}
    w(json.dumps(ev, separators=(",", ":")) + "\n")
    exp.write(json.dumps({"flow_id": 1000 + n, "sid": 2024792, "ours": True, "event_type": "mining",
                          "kind": "stratum", "family": "monero-miner", "src": "10.3.0.1"}) + "\n")


main()
