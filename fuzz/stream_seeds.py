#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_stream.c from TCP streams of the corpus captures.

One seed per capture below: the first TCP stream that matches the display
filter, every segment with a payload in capture order (retransmissions
included: the target feeds segments as they come), up to 20000 bytes, in
the target's format (see fuzz_stream.c); and two synthetic ones with
messages larger than a stream block. Needs tshark.
  fuzz/stream_seeds.py [CORPUS_PCAP_DIR] [OUT_DIR]
"""
import os
import subprocess
import sys

PORTS = [53, 80, 443, 3333, 8332, 3336, 445, 9999]
SEEDS = [
    # (capture, filter, seed name, port slot, mid-stream)
    ("other/nesfit_DI-cryptominingdetection/cgminer.g0.pcapng", "http.request", "cgminer_getwork_http", 4, 0),
    ("other/nesfit_DI-cryptominingdetection/cgminer.s0.pcapng", 'frame contains "mining.subscribe"', "cgminer_stratum_v1", 3, 0),
    ("other/nesfit_DI-cryptominingdetection/eth-eu1.nanopool.org.pcapng", 'frame contains "eth_submitLogin"', "eth_stratum", 7, 0),
    ("other/nesfit_DI-cryptominingdetection/pool.eth.pp.ua.pcapng", "http.request", "eth_getwork_http", 1, 0),
    ("other/nesfit_DI-cryptominingdetection/xmr-eu1.nanopool.org.pcapng", 'frame contains "login"', "xmr_stratum", 3, 0),
    ("other/TakeshiYoshikawa_CryptominingDetector/miner_9816a3d.pcap", "tcp.len>0", "xmrig_midstream", 3, 1),
    ("other/jsiwek_zeek-cryptomining/bitcoin-mining.pcap", "tcp.len>0", "bitcoin_stratum_gbt", 3, 0),
    ("other/jsiwek_zeek-cryptomining/coinhive.pcap", "tls.handshake.type==1", "tls_client_hello", 2, 0),
    ("ndpi-tests/dns_fragmented.pcap", "dns && tcp.len>0", "dns_over_tcp", 0, 0),
    ("ndpi-tests/tls_heur__vmess-websocket.pcapng", "websocket", "websocket", 1, 0),
]
MAX_BYTES = 20000


def tshark(path, args):
    out = subprocess.run(["tshark", "-r", path] + args, capture_output=True, text=True, check=True)
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def seed(path, flt, slot, midstream):
    first = tshark(path, ["-Y", flt, "-T", "fields", "-e", "tcp.stream"])
    if not first or not first[0][0]:
        return None
    stream = first[0][0].split(",")[0]
    rows = tshark(path, ["-Y", "tcp.stream==%s" % stream, "-T", "fields", "-e", "tcp.srcport",
                         "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.payload"])
    client = None
    for sport, syn, ack, _ in rows:
        if syn in ("1", "True") and ack in ("0", "False"):
            client = sport
            break
    out = bytearray([slot | (8 if midstream else 0)])
    for sport, _, _, payload in rows:
        if client is None:
            client = sport
        data = bytes.fromhex(payload.replace(":", ""))
        if not data:
            continue
        if len(out) + 3 + len(data) > MAX_BYTES:
            break
        out += bytes([0 if sport == client else 1, len(data) >> 8, len(data) & 0xff]) + data
    return bytes(out) if len(out) > 1 else None


def segments(slot, data, seg=1448):
    out = bytearray([slot])
    for off in range(0, len(data), seg):
        part = data[off:off + seg]
        out += bytes([0, len(part) >> 8, len(part) & 0xff]) + part
    return bytes(out)


def client_hello(sni, n_ext, ext_len):
    """A ClientHello with many private-use extensions (over 8 KiB)."""
    name = sni.encode()
    exts = (b"\x00\x00" + (len(name) + 5).to_bytes(2, "big") + (len(name) + 3).to_bytes(2, "big")
            + b"\x00" + len(name).to_bytes(2, "big") + name)
    for i in range(n_ext):
        exts += (0xfe00 + i).to_bytes(2, "big") + ext_len.to_bytes(2, "big") + bytes([0x40 + i % 64]) * ext_len
    body = (b"\x03\x03" + b"\x11" * 32 + b"\x20" + b"\x22" * 32 + b"\x00\x04\x13\x01\x13\x02"
            + b"\x01\x00" + len(exts).to_bytes(2, "big") + exts)
    hs = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + len(hs).to_bytes(2, "big") + hs


def synthetic():
    """Messages over the 8 KiB block: a 9 KB HTTP head, a 10 KB hello."""
    head = (b"POST /json_rpc HTTP/1.1\r\nHost: pool.example:18081\r\nUser-Agent: XMRig/6.21.0\r\n"
            b"Cookie: sid=" + b"k" * 8800 + b"\r\nContent-Length: 2\r\n\r\n{}")
    return {"http_9k_head": segments(1, head), "tls_10k_hello": segments(2, client_hello("pool.example", 40, 250))}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "corpus", "pcap")
    outdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "corpus", "fuzz_stream")
    os.makedirs(outdir, exist_ok=True)
    for cap, flt, name, slot, mid in SEEDS:
        data = seed(os.path.join(corpus, cap), flt, slot, mid)
        if data is None:
            print("%s: no stream matches %s" % (cap, flt), file=sys.stderr)
            continue
        with open(os.path.join(outdir, name + ".bin"), "wb") as f:
            f.write(data)
        print("%s.bin: %d bytes from %s" % (name, len(data), cap))
    for name, data in synthetic().items():
        with open(os.path.join(outdir, name + ".bin"), "wb") as f:
            f.write(data)
        print("%s.bin: %d bytes, synthetic" % (name, len(data)))


if __name__ == "__main__":
    main()
