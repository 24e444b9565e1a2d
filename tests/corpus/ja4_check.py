#!/usr/bin/env python3
"""Independent check of minetrace's JA4 (and JA3) on the real captures.

For every capture in $MT_CORPUS/pcap, minetrace runs with MT_TRACE_EVENTS=1,
which prints each TLS ClientHello event with its ja3= and ja4= values. For
the captures that have any, tshark 4.0 (which has no JA4 field) dissects
the ClientHellos (-T json, so each signature_algorithms list is taken from
extension 13 only, not from signature_algorithms_cert) and this script
computes JA4 from tshark's fields with hashlib, following FoxIO's spec
(technical_details/JA4.md). tshark's own tls.handshake.ja3 is compared too.
Hellos are matched by connection (the two endpoints). Fails on any
mismatch, or when fewer than MIN_HELLOS hellos could be compared."""
import hashlib, json, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

MIN_HELLOS = 800
corpus = os.environ.get("MT_CORPUS") or os.path.join(os.path.dirname(__file__), "../../../shared/corpus")
binary = os.environ.get("MT_BIN") or "build/minetrace"
pcapdir = os.path.join(corpus, "pcap")
if not os.path.isdir(pcapdir):
    print(f"corpus not found at {pcapdir}", file=sys.stderr)
    sys.exit(1)

GREASE = {(b << 8) | b for b in range(0x0a, 0x100, 0x10)}
VERSIONS = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3",
            0x0002: "s2", 0xfeff: "d1", 0xfefd: "d2", 0xfefc: "d3"}


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def num(s):
    return int(s, 16) if s.startswith("0x") else int(s)


def alnum(b):
    return 0x30 <= b <= 0x39 or 0x41 <= b <= 0x5a or 0x61 <= b <= 0x7a


def sha12(s):
    return hashlib.sha256(s.encode()).hexdigest()[:12]


def ja4_from_tshark(hs):
    """JA4 of one ClientHello, from tshark's JSON dict of the handshake."""
    ciphers = [num(c) for c in as_list(hs.get("tls.handshake.ciphersuites", {}).get("tls.handshake.ciphersuite"))]
    ciphers = [c for c in ciphers if c not in GREASE]
    exts, sigs, versions = [], [], []
    alpn0 = None
    for key, val in hs.items():
        if not key.startswith("Extension: "):
            continue
        for ext in as_list(val):
            t = int(ext["tls.handshake.extension.type"])
            if t in GREASE:
                continue
            exts.append(t)
            if t == 13:
                algs = ext.get("tls.handshake.sig_hash_algs", {}).get("tls.handshake.sig_hash_alg")
                sigs += [num(a) for a in as_list(algs) if num(a) not in GREASE]
            elif t == 16 and alpn0 is None:
                lst = ext.get("tls.handshake.extensions_alpn_list", {})
                raw = lst.get("tls.handshake.extensions_alpn_str_raw")
                if raw:  # [hex, pos, len, ...] or a list of those
                    first = raw[0] if isinstance(raw[0], list) else raw
                    alpn0 = bytes.fromhex(first[0])
                else:
                    alpn0 = b""
            elif t == 43:
                versions += [num(v) for v in as_list(ext.get("tls.handshake.extensions.supported_version"))
                             if num(v) not in GREASE]
    version = max(versions) if versions else num(hs["tls.handshake.version"])
    a = "t" + VERSIONS.get(version, "00") + ("d" if 0 in exts else "i")
    a += "%02d%02d" % (min(len(ciphers), 99), min(len(exts), 99))
    if not alpn0:
        a += "00"
    elif alnum(alpn0[0]) and alnum(alpn0[-1]):
        a += chr(alpn0[0]) + chr(alpn0[-1])
    else:
        h = alpn0.hex()
        a += h[0] + h[-1]
    b = sha12(",".join("%04x" % c for c in sorted(ciphers))) if ciphers else "0" * 12
    rest = sorted(e for e in exts if e not in (0x0000, 0x0010))
    if rest:
        s = ",".join("%04x" % e for e in rest)
        if sigs:
            s += "_" + ",".join("%04x" % x for x in sigs)
        c = sha12(s)
    else:
        c = "0" * 12
    return f"{a}_{b}_{c}"


def client_hellos(node):
    if isinstance(node, dict):
        if node.get("tls.handshake.type") == "1":
            yield node
        for v in node.values():
            yield from client_hellos(v)
    elif isinstance(node, list):
        for v in node:
            yield from client_hellos(v)


def tshark_hellos(path, tls_ports=()):
    decode = [a for port in sorted(tls_ports) for a in ("-d", f"tcp.port=={port},tls")]
    p = subprocess.run(["tshark", "-n", "-r", path, *decode, "-Y", "tls.handshake.type==1", "-T", "json",
                        "--no-duplicate-keys", "-x", "-J", "ip ipv6 tcp tls"],
                       capture_output=True, timeout=600)
    out = []
    for pkt in json.loads(p.stdout or b"[]"):
        lay = pkt["_source"]["layers"]
        if "tcp" not in lay:
            continue
        ips = [as_list(v)[-1] for k, v in lay.items() if k in ("ip", "ipv6")]
        if not ips:
            continue
        ip = ips[-1]  # the innermost, e.g. IPv6 in a 6in4 tunnel
        src = ip.get("ip.src") or ip.get("ipv6.src")
        dst = ip.get("ip.dst") or ip.get("ipv6.dst")
        key = frozenset({(src, int(lay["tcp"]["tcp.srcport"])), (dst, int(lay["tcp"]["tcp.dstport"]))})
        for hs in client_hellos(lay.get("tls")):
            if not isinstance(hs.get("tls.handshake.ciphersuites"), dict):
                print(f"note: {os.path.relpath(path, pcapdir)}: a ClientHello tshark did not fully dissect"
                      f" ({str(hs.get('tls.handshake.ciphersuites'))[:60]!r}); skipped")
                continue
            out.append((key, ja4_from_tshark(hs), hs.get("tls.handshake.ja3", "")))
    return out


TRACE = re.compile(r"^event type=\d+ flow=\d+ (\S+):(\d+) (?:->|<-) (\S+):(\d+)(?: \(guessed\))? "
                   r"sni=.* ja3=(\S*) ja4=(\S*)$")


def minetrace_hellos(path):
    env = dict(os.environ, MT_TRACE_EVENTS="1")
    p = subprocess.run([binary, "scan", "-q", "-o", "/dev/null", path], capture_output=True,
                       env=env, timeout=600)
    out = []
    for line in p.stderr.decode("utf-8", "replace").splitlines():
        m = TRACE.match(line)
        if m:
            key = frozenset({(m[1], int(m[2])), (m[3], int(m[4]))})
            out.append((key, m[6], m[5], int(m[4])))
    return out


files = sorted(os.path.join(d, f) for d, _, fs in os.walk(pcapdir) for f in fs
               if f.endswith((".pcap", ".pcapng", ".cap")))
with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
    mt_all = dict(zip(files, ex.map(minetrace_hellos, files)))
tls_files = [f for f in files if mt_all[f]]
with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
    ts_all = dict(zip(tls_files, ex.map(tshark_hellos, tls_files)))
# TLS on ports tshark does not dissect as TLS by default (8080, 80, ...):
# once more, decoding minetrace's server ports of the unmatched hellos as TLS.
for f in tls_files:
    keys = {k for k, _, _ in ts_all[f]}
    ports = {port for k, _, _, port in mt_all[f] if k not in keys}
    if ports:
        ts_all[f] = tshark_hellos(f, ports)

compared = ja4_ok = ja3_ok = ja3_cmp = only_mt = only_ts = 0
failures = []
uncompared = []
distinct = set()
for f in tls_files:
    ts = {}
    for key, ja4, ja3 in ts_all[f]:
        ts.setdefault(key, []).append((ja4, ja3))
    seen = set()
    for key, ja4, ja3, _ in mt_all[f]:
        seen.add(key)
        if key not in ts:
            only_mt += 1
            uncompared.append(f"minetrace only: {os.path.relpath(f, pcapdir)} {sorted(key)}")
            continue
        compared += 1
        distinct.add(ja4)
        want4 = {w for w, _ in ts[key]}
        if ja4 in want4:
            ja4_ok += 1
        else:
            failures.append(f"{os.path.relpath(f, pcapdir)} {sorted(key)}: JA4 minetrace {ja4!r}, "
                            f"tshark fields give {sorted(want4)}")
        want3 = {w for _, w in ts[key] if w}
        if want3:
            ja3_cmp += 1
            if ja3 in want3:
                ja3_ok += 1
            else:
                failures.append(f"{os.path.relpath(f, pcapdir)} {sorted(key)}: JA3 minetrace {ja3!r}, "
                                f"tshark {sorted(want3)}")
    for k, v in ts.items():
        if k not in seen:
            only_ts += len(v)
            uncompared.append(f"tshark only: {os.path.relpath(f, pcapdir)} {sorted(k)} x{len(v)}")

print(f"captures: {len(files)}, with TLS ClientHellos seen by minetrace: {len(tls_files)}")
print(f"hellos compared: {compared} (JA4 equal: {ja4_ok}, distinct JA4 values: {len(distinct)}); "
      f"JA3 compared: {ja3_cmp} (equal: {ja3_ok})")
print(f"not compared: {only_mt} hellos only minetrace matched to a connection, "
      f"{only_ts} hellos only tshark saw (in those captures)")
kinds = {}
for j in distinct:
    for name, hit in (("TLS 1.3", j[1:3] == "13"), ("TLS 1.2", j[1:3] == "12"), ("older", j[1:3] in ("11", "10", "s3")),
                      ("no SNI", j[3] == "i"), ("no ALPN", j[8:10] == "00"), ("ALPN h2", j[8:10] == "h2"),
                      ("ALPN other", j[8:10] not in ("00", "h2"))):
        kinds[name] = kinds.get(name, 0) + hit
print("distinct JA4 values by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
for l in uncompared[:20]:
    print("  not compared:", l)
for l in failures[:40]:
    print("FAIL", l)
if failures:
    print(f"{len(failures)} mismatches")
    sys.exit(1)
if compared < MIN_HELLOS:
    print(f"FAIL: only {compared} hellos compared (want >= {MIN_HELLOS})")
    sys.exit(1)
print("ok")
