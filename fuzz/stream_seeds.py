#!/usr/bin/env python3
"""Seeds for fuzz/fuzz_stream.c, from our own material only (no corpus
bytes enter the repository): TCP streams of the recordings our test
harness made (tests/data: real XMRig 6.16 and coin-hive-stratum sessions
against our pool), and conversations written here from the protocols'
documented message shapes (getwork, Stratum v1, eth stratum, DNS over TCP,
a mid-stream capture, messages larger than a stream block).

A recorded seed is the first TCP stream that matches the display filter,
every segment with a payload in capture order, up to 20000 bytes, in the
target's format (see fuzz_stream.c). Needs tshark.
  fuzz/stream_seeds.py [RECORDINGS_DIR] [OUT_DIR]
"""
import os
import subprocess
import sys

PORTS = [53, 80, 443, 3333, 8332, 3336, 445, 9999]
SEEDS = [
    # (recording under tests/data, filter, seed name, port slot, mid-stream)
    ("xmrig/xmrig616_clear.pcap", 'frame contains "login"', "xmr_stratum", 3, 0),
    ("xmrig/xmrig616_clear.pcap", "tcp.len>0 && frame.number>40", "xmrig_midstream", 3, 1),
    ("xmrig/xmrig616_tls.pcap", "tls.handshake.type==1", "tls_client_hello", 2, 0),
    ("wsminer/chs1410_chromium.pcap", "websocket", "websocket", 1, 0),
    ("wsminer/chs1410_chromium_deflate.pcap", "websocket", "websocket_deflate", 1, 0),
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


def conversation(slot, msgs, midstream=0):
    """(direction, bytes) pairs: 0 = client to server."""
    out = bytearray([slot | (8 if midstream else 0)])
    for d, data in msgs:
        out += bytes([d, len(data) >> 8, len(data) & 0xff]) + data
    return bytes(out)


def http(method, path, host, agent, body):
    return (("%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nContent-Type: application/json\r\n"
             "Content-Length: %d\r\n\r\n" % (method, path, host, agent, len(body))).encode() + body)


def dns_tcp(qid, name):
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\x00\x00\x01\x00\x01"
    msg = qid.to_bytes(2, "big") + b"\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + q
    return len(msg).to_bytes(2, "big") + msg


def synthetic():
    """Conversations in the documented message shapes, and messages over
    the 8 KiB block: a 9 KB HTTP head, a 10 KB hello."""
    head = (b"POST /json_rpc HTTP/1.1\r\nHost: pool.example:18081\r\nUser-Agent: XMRig/6.21.0\r\n"
            b"Cookie: sid=" + b"k" * 8800 + b"\r\nContent-Length: 2\r\n\r\n{}")
    getwork = b'{"method":"getwork","params":[],"id":0}'
    reply = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             b"3a\r\n{\"result\":{\"data\":\"0000000120\",\"target\":\"ffff\"},\"error\":null,\"id\":0}\r\n0\r\n\r\n")
    v1 = [(0, b'{"id":1,"method":"mining.subscribe","params":["cgminer/4.10.0"]}\n'),
          (1, b'{"id":1,"result":[[["mining.notify","ae6812eb4cd7735a"]],"08000002",4],"error":null}\n'),
          (0, b'{"id":2,"method":"mining.authorize","params":["worker.1","x"]}\n'),
          (1, b'{"id":null,"method":"mining.set_difficulty","params":[16]}\n'
              b'{"id":null,"method":"mining.notify","params":["bf","4d16b6f8","01000000","ff",[],"00000002","1c2ac4af","504e86b9",false]}\n'),
          (0, b'{"id":4,"method":"mining.submit","params":["worker.1","bf","00000001","504e86ed","b2957c02"]}\n')]
    eth = [(0, b'{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":["0x00000000000000000000000000000000000000aa"],"worker":"rig1"}\n'),
           (1, b'{"id":1,"jsonrpc":"2.0","result":true}\n'),
           (0, b'{"id":2,"jsonrpc":"2.0","method":"eth_getWork","params":[]}\n'),
           (1, b'{"id":2,"jsonrpc":"2.0","result":["0x1d","0x2e","0x00000000ffff"]}\n')]
    gbt = [(0, http("POST", "/", "pool.example:8332", "bfgminer/5.2.0",
                    b'{"id":0,"method":"getblocktemplate","params":[{"capabilities":["coinbasetxn","workid"]}]}'))]
    return {
        "http_9k_head": segments(1, head),
        "tls_10k_hello": segments(2, client_hello("pool.example", 40, 250)),
        "cgminer_getwork_http": conversation(4, [(0, http("POST", "/", "pool.example:8332", "cgminer 3.7.2", getwork)), (1, reply)]),
        "eth_getwork_http": conversation(1, [(0, http("POST", "/", "pool.example", "ethminer", b'{"jsonrpc":"2.0","method":"eth_getWork","params":[],"id":73}'))]),
        "cgminer_stratum_v1": conversation(3, v1),
        "eth_stratum": conversation(7, eth),
        "bitcoin_stratum_gbt": conversation(6, gbt),
        "dns_over_tcp": conversation(0, [(0, dns_tcp(0x1234, "pool.example.org")), (0, dns_tcp(0x1235, "xmr.pool.example.net")[:9])]),
        "stratum_midstream": conversation(3, v1[3:], midstream=1),
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "tests", "data")
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
