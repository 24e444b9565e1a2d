#!/usr/bin/env python3
"""Benign TLS traffic that looks periodic, for the TLS-only miner recordings
(tests/data/tls_miner/record.sh). Test-only code, stdlib only.

  benign.py server --host H --cert C --key K --ready FILE
      serves on four ports: 5443 chat/heartbeat (newline JSON), 6443 slow
      download (rate-limited), 7443 HTTPS page that polls /poll every 3 s
      (for headless Chromium), 9443 WebSocket with pings every 5 s, 10443
      price ticker (one subscribe, then a quote of steady size every 5 s),
      8883 MQTT-like session (keepalive every 10 s, retained messages pushed
      at random), 11443 gRPC-like server stream (messages of 200-1200 bytes
      every 2-4 s, each acknowledged by a small window update)
  benign.py heartbeat|download|websocket|ticker|mqtt|stream --host H --seconds N
      the matching client
"""
import argparse
import asyncio
import base64
import hashlib
import json
import os
import random
import ssl
import struct
import sys
import time

PAGE = b"""<!doctype html><html><head><title>status</title></head><body>
<div id=s>...</div><script>
let n = 0;
function tick() { fetch('/poll?n=' + (n++)).then(r => r.json()).then(j => {
  document.getElementById('s').textContent = JSON.stringify(j); }); }
setInterval(tick, 3000); tick();
</script></body></html>"""


async def chat_server(reader, writer):
    # heartbeat answered at once; a presence update pushed every ~9 s
    rng = random.Random(5)

    async def pushes():
        while True:
            await asyncio.sleep(8 + rng.random() * 2)
            msg = {"type": "presence", "user": "u%04d" % rng.randrange(10000),
                   "status": rng.choice(["online", "away", "busy"]), "ts": time.time()}
            writer.write(json.dumps(msg).encode() + b"\n")
            await writer.drain()
    t = asyncio.ensure_future(pushes())
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            req = json.loads(line)
            writer.write(json.dumps({"type": "ack", "seq": req.get("seq"),
                                     "ok": True}).encode() + b"\n")
            await writer.drain()
    except (ConnectionError, ValueError):
        pass
    finally:
        t.cancel()
        writer.close()


async def download_server(reader, writer):
    await reader.readline()
    rng = random.Random(7)
    try:
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n")
        while True:  # about 6 KB/s: a throttled large download
            writer.write(bytes(rng.getrandbits(8) for _ in range(1500)))
            await writer.drain()
            await asyncio.sleep(0.25)
    except ConnectionError:
        pass
    writer.close()


async def https_server(reader, writer):
    try:
        while True:
            head = b""
            while b"\r\n\r\n" not in head:
                d = await reader.read(4096)
                if not d:
                    writer.close()
                    return
                head += d
            path = head.split(b" ", 2)[1]
            if path.startswith(b"/poll"):
                body = json.dumps({"ok": True, "load": random.random(), "t": time.time()}).encode()
                ctype = b"application/json"
            elif path == b"/":
                body, ctype = PAGE, b"text/html"
            else:
                body, ctype = b"not found", b"text/plain"
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: " + ctype +
                         b"\r\nContent-Length: " + str(len(body)).encode() +
                         b"\r\nCache-Control: no-store\r\n\r\n" + body)
            await writer.drain()
    except ConnectionError:
        pass


def ws_frame(opcode, payload, mask):
    b0 = 0x80 | opcode
    n = len(payload)
    hdr = bytes([b0, (0x80 if mask else 0) | n]) if n < 126 else \
        bytes([b0, (0x80 if mask else 0) | 126]) + struct.pack(">H", n)
    if not mask:
        return hdr + payload
    key = os.urandom(4)
    return hdr + key + bytes(c ^ key[i % 4] for i, c in enumerate(payload))


async def ws_read(reader):
    h = await reader.readexactly(2)
    n = h[1] & 0x7F
    if n == 126:
        n = struct.unpack(">H", await reader.readexactly(2))[0]
    key = await reader.readexactly(4) if h[1] & 0x80 else None
    p = await reader.readexactly(n)
    if key:
        p = bytes(c ^ key[i % 4] for i, c in enumerate(p))
    return h[0] & 0x0F, p


async def ws_server(reader, writer):
    head = await reader.readuntil(b"\r\n\r\n")
    key = [l.split(b":", 1)[1].strip() for l in head.split(b"\r\n")
           if l.lower().startswith(b"sec-websocket-key:")][0]
    acc = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
    writer.write(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + acc + b"\r\n\r\n")
    rng = random.Random(9)

    async def pinger():
        i = 0
        while True:
            await asyncio.sleep(5)
            i += 1
            writer.write(ws_frame(9, b"p%d" % i, False))
            if i % 2 == 0:  # a ticker update every 10 s
                writer.write(ws_frame(1, json.dumps({"sym": "ABC", "px": rng.random() * 100,
                                                     "seq": i}).encode(), False))
            await writer.drain()
    t = asyncio.ensure_future(pinger())
    try:
        while True:
            op, p = await ws_read(reader)
            if op == 8:
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        t.cancel()
        writer.close()


async def ticker_server(reader, writer):
    # a market-data feed: the subscription is answered by a snapshot, then
    # the server alone speaks, one quote of nearly the same size every 5 s
    # (the hardest benign look-alike of a quiet miner: a pool pushing jobs)
    rng = random.Random(11)
    try:
        await reader.readline()
        snap = {"type": "snapshot", "book": [[round(100 + rng.random(), 4), rng.randrange(1, 500)]
                                             for _ in range(24)]}
        writer.write(json.dumps(snap).encode() + b"\n")
        await writer.drain()
        seq = 0
        while True:
            await asyncio.sleep(5)
            seq += 1
            q = {"type": "quote", "sym": "ABC/USD", "seq": seq, "ts": time.time(),
                 "bid": round(100 + rng.random(), 4), "ask": round(100.5 + rng.random(), 4),
                 "venues": ["X%02d" % rng.randrange(100) for _ in range(12)]}
            writer.write(json.dumps(q).encode() + b"\n")
            await writer.drain()
    except ConnectionError:
        pass
    writer.close()


async def mqtt_server(reader, writer):
    # MQTT-shaped framing (fixed header, remaining length < 128): CONNACK,
    # SUBACK, PINGRESP to PINGREQ, retained messages published at random
    rng = random.Random(13)

    async def publish():
        while True:
            await asyncio.sleep(3 + rng.random() * 12)
            body = json.dumps({"sensor": "t%02d" % rng.randrange(40),
                               "v": round(rng.random() * 30, 2)}).encode()
            topic = b"site/floor2/temp"
            pkt = struct.pack(">H", len(topic)) + topic + body
            writer.write(bytes([0x30, len(pkt)]) + pkt)
            await writer.drain()
    t = None
    try:
        while True:
            h = await reader.readexactly(2)
            await reader.readexactly(h[1])
            kind = h[0] >> 4
            if kind == 1:
                writer.write(b"\x20\x02\x00\x00")
            elif kind == 8:
                writer.write(b"\x90\x03\x00\x01\x00")
                t = t or asyncio.ensure_future(publish())
            elif kind == 12:
                writer.write(b"\xd0\x00")
            elif kind == 14:
                break
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        if t:
            t.cancel()
        writer.close()


async def stream_server(reader, writer):
    # a server-streaming RPC: length-prefixed messages of varied size every
    # 2-4 s; the client acknowledges each with a small window update
    rng = random.Random(17)
    try:
        n = struct.unpack(">I", (await reader.readexactly(5))[1:])[0]
        await reader.readexactly(n)
        while True:
            await asyncio.sleep(2 + rng.random() * 2)
            msg = bytes(rng.getrandbits(8) for _ in range(rng.randrange(200, 1200)))
            writer.write(b"\x00" + struct.pack(">I", len(msg)) + msg)
            await writer.drain()
            await reader.readexactly(9)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()


async def serve(args):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(args.cert, args.key)
    for port, h in ((5443, chat_server), (6443, download_server), (7443, https_server),
                    (9443, ws_server), (10443, ticker_server), (8883, mqtt_server),
                    (11443, stream_server)):
        await asyncio.start_server(h, args.host, port, ssl=ctx)
    open(args.ready, "w").write("ready\n")
    await asyncio.Event().wait()


def client_ctx():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


async def heartbeat(args):
    r, w = await asyncio.open_connection(args.host, 5443, ssl=client_ctx())
    end = time.time() + args.seconds
    seq = 0
    async def drain():
        while await r.readline():
            pass
    t = asyncio.ensure_future(drain())
    while time.time() < end:
        seq += 1
        w.write(json.dumps({"type": "heartbeat", "seq": seq, "client": "desk-7",
                            "ts": int(time.time())}).encode() + b"\n")
        await w.drain()
        await asyncio.sleep(4)
    t.cancel()
    w.close()


async def download(args):
    r, w = await asyncio.open_connection(args.host, 6443, ssl=client_ctx())
    w.write(b"GET /big.iso HTTP/1.1\r\nHost: files\r\n\r\n")
    end = time.time() + args.seconds
    while time.time() < end:
        if not await r.read(65536):
            break
    w.close()


async def websocket(args):
    r, w = await asyncio.open_connection(args.host, 9443, ssl=client_ctx())
    key = base64.b64encode(os.urandom(16))
    w.write(b"GET /feed HTTP/1.1\r\nHost: " + args.host.encode() +
            b"\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key +
            b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    await r.readuntil(b"\r\n\r\n")
    end = time.time() + args.seconds
    while time.time() < end:
        try:
            op, p = await asyncio.wait_for(ws_read(r), max(0.1, end - time.time()))
        except asyncio.TimeoutError:
            break
        if op == 9:
            w.write(ws_frame(10, p, True))
            await w.drain()
    w.write(ws_frame(8, b"\x03\xe8", True))
    await w.drain()
    w.close()


async def ticker(args):
    r, w = await asyncio.open_connection(args.host, 10443, ssl=client_ctx())
    w.write(json.dumps({"op": "subscribe", "channels": ["quotes", "trades"],
                        "symbols": ["ABC/USD", "DEF/USD", "GHI/EUR"], "depth": 24,
                        "token": base64.b64encode(os.urandom(180)).decode(),
                        "client": "desk-terminal/4.2"}).encode() + b"\n")
    await w.drain()
    end = time.time() + args.seconds
    while time.time() < end:
        try:
            if not await asyncio.wait_for(r.readline(), max(0.1, end - time.time())):
                break
        except asyncio.TimeoutError:
            break
    w.close()


async def mqtt(args):
    r, w = await asyncio.open_connection(args.host, 8883, ssl=client_ctx())
    cid = b"sensor-gw-17"
    var = b"\x00\x04MQTT\x04\x02\x00\x0a" + struct.pack(">H", len(cid)) + cid
    w.write(bytes([0x10, len(var)]) + var)
    topic = b"site/floor2/#"
    sub = b"\x00\x01" + struct.pack(">H", len(topic)) + topic + b"\x00"
    w.write(bytes([0x82, len(sub)]) + sub)
    await w.drain()
    end = time.time() + args.seconds

    async def drain():
        while await r.read(4096):
            pass
    t = asyncio.ensure_future(drain())
    while time.time() < end:
        await asyncio.sleep(10)  # keepalive 10 s
        w.write(b"\xc0\x00")
        await w.drain()
    w.write(b"\xe0\x00")
    await w.drain()
    t.cancel()
    w.close()


async def stream(args):
    r, w = await asyncio.open_connection(args.host, 11443, ssl=client_ctx())
    req = json.dumps({"service": "telemetry.Feed", "method": "Subscribe",
                      "filter": {"region": "eu-2", "kinds": ["cpu", "mem", "net"]}}).encode()
    w.write(b"\x00" + struct.pack(">I", len(req)) + req)
    await w.drain()
    end = time.time() + args.seconds
    while time.time() < end:
        try:
            h = await asyncio.wait_for(r.readexactly(5), max(0.1, end - time.time()))
            await r.readexactly(struct.unpack(">I", h[1:])[0])
        except (asyncio.TimeoutError, asyncio.IncompleteReadError):
            break
        w.write(b"\x08" + struct.pack(">Q", int(time.time() * 1000)))  # window update
        await w.drain()
    w.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["server", "heartbeat", "download", "websocket", "ticker",
                                     "mqtt", "stream"])
    ap.add_argument("--host", required=True)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--ready")
    ap.add_argument("--seconds", type=float, default=60)
    args = ap.parse_args()
    f = {"server": serve, "heartbeat": heartbeat, "download": download,
         "websocket": websocket, "ticker": ticker, "mqtt": mqtt, "stream": stream}[args.mode]
    try:
        asyncio.run(f(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
