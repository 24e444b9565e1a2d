#!/usr/bin/env bash
# JSON-RPC that is not mining (issue 10, point 2): the recorded applications
# in tests/data/jsonrpc_negative/ (a game whose first line is the
# login-shaped {"method":"login"} nDPI 4.2 calls XMRig, an Ethereum-node-like
# JSON-RPC 2.0 client, language-server sessions; each also on port 3333)
# give no finding at all, while the packet path reads their JSON; the game
# capture cut after its login line gives the low "login-shaped line only"
# finding; and the real miners keep their findings and confidences (the real
# XMRig 6.16 recording, and from the shared corpus coin-hive-stratum, the
# nDPI mining capture, cgminer and the mid-stream XMRig sessions).
set -euo pipefail
: "${MT_BIN:?MT_BIN not set}" "${MT_SRC:?MT_SRC not set}"
exec python3 - "$MT_BIN" "$MT_SRC" "${MT_CORPUS:-$MT_SRC/../shared/corpus}" <<'PY'
import glob, json, os, re, struct, subprocess, sys, tempfile

binary, src, corpus = sys.argv[1:4]
data = os.path.join(src, "tests/data/jsonrpc_negative")
fails = []
passed = 0

def check(ok, what):
    global passed
    if ok:
        passed += 1
        print("ok      " + what)
    else:
        fails.append(what)
        print("FAIL    " + what)

def scan(path, *extra):
    p = subprocess.run([binary, "scan", "-q", *extra, "-o", "-", path], capture_output=True, timeout=300)
    fs = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
    return p.returncode, fs, p.stderr.decode("utf-8", "replace")

def json_messages(path):
    p = subprocess.run([binary, "scan", "-q", "--stats", "-o", os.devnull, path],
                       capture_output=True, timeout=300)
    m = re.search(r"\bjson (\d+)", p.stderr.decode())
    return int(m.group(1)) if m else -1

# 1. Hard negatives: no finding of any kind, no host, exit status 0.
pcaps = sorted(glob.glob(os.path.join(data, "*.pcap")))
check(len(pcaps) >= 7, "%d recorded negatives in tests/data/jsonrpc_negative" % len(pcaps))
for f in pcaps:
    name = os.path.basename(f)
    rc, fs, err = scan(f)
    check(rc == 0 and not fs, "%s: no finding (exit %d, %d findings%s)" % (
        name, rc, len(fs), "".join("; " + x["mining"]["evidence"] for x in fs if "mining" in x)))
    h = subprocess.run([binary, "scan", "-q", "--hosts", "--json", "--min-score", "0", f],
                       capture_output=True, timeout=300)
    check(h.returncode == 0 and not h.stdout.strip(), "%s: no host verdict" % name)
    # Not vacuous: the JSON-RPC of the line-framed sessions reaches the
    # detectors (the Content-Length framed LSP is not cut into JSON
    # messages by the packet path; it stays a negative for every detector).
    if not name.startswith("lsp_"):
        n = json_messages(f)
        check(n >= 60, "%s: %d JSON messages decoded (>= 60)" % (name, n))

# 2. Control: the game capture cut after the login line and its reply
#    (frames 1-6: handshake, login, ack, session reply) is all a sensor
#    would have of a miner cut off after its login: the low finding.
def cut_pcap(path, nframes, out):
    with open(path, "rb") as fi, open(out, "wb") as fo:
        hdr = fi.read(24)
        fo.write(hdr)
        endian = "<" if hdr[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        for _ in range(nframes):
            rh = fi.read(16)
            if len(rh) < 16:
                break
            incl = struct.unpack(endian + "IIII", rh)[2]
            fo.write(rh + fi.read(incl))

with tempfile.TemporaryDirectory() as tmp:
    cut = os.path.join(tmp, "game_login_only.pcap")
    cut_pcap(os.path.join(data, "game_3333.pcap"), 6, cut)
    rc, fs, err = scan(cut)
    st = [x["mining"] for x in fs if x.get("mining", {}).get("kind") == "stratum"]
    check(rc == 1 and len(st) == 1 and st[0]["confidence"] == 60 and
          "login-shaped line only" in st[0]["evidence"] and fs[0]["src_ip"] == "10.77.24.2",
          "game login line alone: one stratum finding at 60, client as src (%s)" %
          "; ".join("%s %s" % (x["confidence"], x["evidence"]) for x in st))

# 3. Real miners keep their findings: (file, minimum stratum findings,
#    {confidence: count} expected exactly, or None for "all >= 85").
xmrig = os.path.join(src, "tests/data/xmrig/xmrig616_clear.pcap")
rc, fs, err = scan(xmrig)
st = [x["mining"] for x in fs if x.get("mining", {}).get("kind") == "stratum"]
check(len(st) == 1 and st[0]["confidence"] == 98 and st[0]["wallet"].startswith("44AFFq5k")
      and st[0]["agent"].startswith("XMRig/6.16"), "real XMRig 6.16 (recorded): stratum 98 with wallet and agent")

P = os.path.join(corpus, "pcap")
real = [
    ("other/jsiwek_zeek-cryptomining/coinhive-stratum.pcap", {98: 3}),
    ("ndpi/mining.pcapng", {98: 4}),
    ("other/nesfit_DI-cryptominingdetection/xmr-eu1.nanopool.org.pcapng", {98: 1}),
    ("other/nesfit_DI-cryptominingdetection/xmr.suprnova.cc.pcapng", {98: 1}),
    ("other/TakeshiYoshikawa_CryptominingDetector/miner_9816a3d.pcap", {85: 1}),
    ("other/TakeshiYoshikawa_CryptominingDetector/miner_e52b224.pcap", {95: 1}),
    ("other/nesfit_DI-cryptominingdetection/cgminer.s0.pcapng", {88: 4, 98: 13}),
]
if not os.path.isdir(P):
    print("NOTE: corpus not found at %s: the corpus miners are not checked" % P)
    real = []
for rel, want in real:
    rc, fs, err = scan(os.path.join(P, rel))
    got = {}
    for x in fs:
        m = x.get("mining", {})
        if m.get("kind") == "stratum":
            got[m["confidence"]] = got.get(m["confidence"], 0) + 1
    check(got == want, "%s: stratum confidences %s (expected %s)" % (rel, got, want))

print("%d passed, %d failed" % (passed, len(fails)))
sys.exit(1 if fails else 0)
PY
