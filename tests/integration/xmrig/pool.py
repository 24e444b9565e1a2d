#!/usr/bin/env python3
"""A small Monero (CryptoNote "XMRig dialect") Stratum pool for the XMRig
end-to-end test (tests/integration/xmrig.sh). Test-only code, stdlib only.

It speaks newline-delimited JSON-RPC 2.0 the way public pools and
xmrig-proxy do: `login` is answered with a session id and a first job
{blob, job_id, target, algo, height[, seed_hash]}, `submit` with
{"status":"OK"}, `keepalived` with {"status":"KEEPALIVED"}, and a new job is
pushed every --job-interval seconds. Shares are not verified (the test is
about the network traffic, not the hashes), but every request is logged as
one JSON line to --log so the test can check what the miner really sent,
including inside TLS where the capture cannot see it.

One process serves clear Stratum on --port and, when --cert/--key are
given, Stratum over TLS on --tls-port. The blob is a well-formed 76-byte
hashing blob (major/minor version, varint timestamp, previous block id,
4-byte nonce at offset 39, tree root, tx count), generated from a fixed seed
so runs are comparable.
"""
import argparse
import asyncio
import json
import random
import ssl
import sys
import time


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


class Jobs:
    def __init__(self, algo, target, seed):
        self.algo = algo
        self.target = target
        self.rng = random.Random(seed)
        self.height = 2500000 + self.rng.randrange(100000)
        self.seed_hash = bytes(self.rng.getrandbits(8) for _ in range(32)).hex()
        self.counter = 0

    def blob(self):
        major = 16 if self.algo.startswith("rx/") else 7
        prev = bytes(self.rng.getrandbits(8) for _ in range(32))
        root = bytes(self.rng.getrandbits(8) for _ in range(32))
        ts = 1700000000 + self.height * 120
        b = bytes([major, major]) + varint(ts) + prev + b"\0\0\0\0" + root + varint(3)
        assert len(b) == 76, len(b)
        return b.hex()

    def next(self):
        self.counter += 1
        self.height += 1
        job = {
            "blob": self.blob(),
            "job_id": "%08x%04x" % (self.rng.getrandbits(32), self.counter),
            "target": self.target,
            "algo": self.algo,
            "height": self.height,
        }
        if self.algo.startswith("rx/"):
            job["seed_hash"] = self.seed_hash
        return job


class Pool:
    def __init__(self, args):
        self.args = args
        self.jobs = Jobs(args.algo, args.target, args.seed)
        self.logf = open(args.log, "a", buffering=1) if args.log else None
        self.sessions = 0

    def log(self, **kw):
        kw["t"] = round(time.time(), 3)
        line = json.dumps(kw, sort_keys=True)
        if self.logf:
            self.logf.write(line + "\n")
        if self.args.verbose:
            print(line, file=sys.stderr, flush=True)

    def on_sni(self, sslobj, server_name, ctx):
        # Record what the client put in the server_name extension (None when
        # it sent none), so the test can state what XMRig really does.
        self.log(ev="tls_hello", sni=server_name)
        return None

    async def send(self, writer, obj):
        writer.write((json.dumps(obj, separators=(",", ":")) + "\n").encode())
        await writer.drain()

    async def pusher(self, writer, tls):
        while True:
            await asyncio.sleep(self.args.job_interval)
            job = self.jobs.next()
            await self.send(writer, {"jsonrpc": "2.0", "method": "job", "params": job})
            self.log(ev="job", tls=tls, job_id=job["job_id"])

    async def handle(self, reader, writer, tls):
        peer = writer.get_extra_info("peername")
        self.sessions += 1
        rpcid = "%016x" % random.Random(self.sessions).getrandbits(64)
        self.log(ev="connect", tls=tls, peer=str(peer[0]))
        push = None
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                try:
                    req = json.loads(line)
                except ValueError:
                    self.log(ev="junk", tls=tls, n=len(line))
                    continue
                method = req.get("method")
                rid = req.get("id")
                params = req.get("params") or {}
                if method == "login":
                    job = self.jobs.next()
                    self.log(ev="login", tls=tls, login=params.get("login"),
                             agent=params.get("agent"), algos=params.get("algo"),
                             job_id=job["job_id"])
                    await self.send(writer, {
                        "id": rid, "jsonrpc": "2.0", "error": None,
                        "result": {"id": rpcid, "job": job,
                                   "extensions": ["algo", "nicehash", "connect", "tls", "keepalive"],
                                   "status": "OK"}})
                    if push is None:
                        push = asyncio.ensure_future(self.pusher(writer, tls))
                elif method == "submit":
                    self.log(ev="submit", tls=tls, job_id=params.get("job_id"),
                             nonce=params.get("nonce"))
                    await self.send(writer, {"id": rid, "jsonrpc": "2.0", "error": None,
                                             "result": {"status": "OK"}})
                elif method == "keepalived":
                    self.log(ev="keepalived", tls=tls)
                    await self.send(writer, {"id": rid, "jsonrpc": "2.0", "error": None,
                                             "result": {"status": "KEEPALIVED"}})
                else:
                    self.log(ev="unknown", tls=tls, method=str(method))
                    await self.send(writer, {"id": rid, "jsonrpc": "2.0",
                                             "error": {"code": -1, "message": "Unsupported method"}})
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError) as e:
            self.log(ev="error", tls=tls, err=type(e).__name__)
        finally:
            if push:
                push.cancel()
            self.log(ev="close", tls=tls)
            writer.close()

    async def run(self):
        servers = []
        servers.append(await asyncio.start_server(
            lambda r, w: self.handle(r, w, False), self.args.host, self.args.port))
        if self.args.cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.args.cert, self.args.key)
            ctx.sni_callback = self.on_sni
            servers.append(await asyncio.start_server(
                lambda r, w: self.handle(r, w, True), self.args.host,
                self.args.tls_port, ssl=ctx))
        self.log(ev="listening", port=self.args.port,
                 tls_port=self.args.tls_port if self.args.cert else None)
        if self.args.ready:
            open(self.args.ready, "w").write("ok\n")
        await asyncio.gather(*(s.serve_forever() for s in servers))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="0.0.0.0")
    ap.add_argument("--port", type=int, default=3333)
    ap.add_argument("--tls-port", type=int, default=3334)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--algo", default="rx/0")
    ap.add_argument("--target", default="ffffff00",
                    help="compact 32-bit target, little-endian hex (b88d0600 = diff 10000)")
    ap.add_argument("--job-interval", type=float, default=8.0)
    ap.add_argument("--seed", type=int, default=6160)
    ap.add_argument("--log")
    ap.add_argument("--ready", help="file written once listening")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    try:
        asyncio.run(Pool(args).run())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
