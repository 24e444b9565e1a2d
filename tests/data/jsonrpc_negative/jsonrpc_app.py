#!/usr/bin/env python3
"""JSON-RPC applications that are not mining, server and client, for the
hard-negative recordings of the Stratum detector (record.sh runs them in
network namespaces and captures the traffic).

Three kinds, each a real exchange over TCP, every reply computed by the
server from the request (nothing replayed):

  game  A multiplayer game's line-delimited JSON-RPC. The first line is
        {"id":1,"method":"login","params":{"login":"player","pass":"x"}} -
        the shape nDPI 4.2 calls XMRig - answered with a session object
        {"id":..,"status":"OK","token":..}; then dozens of other methods
        (getInventory, move, chat, buyItem, ...), server pushes
        (playerMoved, chatMessage, and a quest "job" with a job_id but no
        blob or target), and a "submit" of a quest form.
  eth   An Ethereum-node-like JSON-RPC 2.0 client: eth_chainId,
        eth_blockNumber, eth_getBalance, eth_call, eth_getBlockByNumber,
        eth_subscribe with eth_subscription pushes, eth_hashrate and
        eth_mining (queries about a node, not mining work; never
        eth_getWork or eth_submitWork).
  lsp   A language-server session framed with Content-Length headers
        (initialize, didOpen, completion, hover, publishDiagnostics pushes,
        shutdown, exit).
  lspline  The same session one JSON object a line, as JSON-RPC bridges
        over TCP frame it (the packet path reads these as JSON lines).

Usage: jsonrpc_app.py server KIND HOST PORT [--ready FILE]
       jsonrpc_app.py client KIND HOST PORT
The server handles one connection and exits when the client closes it."""
import json
import random
import socket
import sys
import time


# ---- framing ---------------------------------------------------------------

class Conn:
    def __init__(self, sock, lsp):
        self.sock, self.lsp, self.buf = sock, lsp, b""

    def send(self, obj):
        body = json.dumps(obj, separators=(",", ":")).encode()
        if self.lsp:
            self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        else:
            self.sock.sendall(body + b"\n")

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError
        self.buf += data

    def recv(self):
        if not self.lsp:
            while b"\n" not in self.buf:
                self._fill()
            line, self.buf = self.buf.split(b"\n", 1)
            return json.loads(line)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        n = 0
        for h in head.split(b"\r\n"):
            k, _, v = h.partition(b":")
            if k.strip().lower() == b"content-length":
                n = int(v)
        while len(rest) < n:
            self.buf = head + b"\r\n\r\n" + rest
            self._fill()
            head, rest = self.buf.split(b"\r\n\r\n", 1)
        self.buf = rest[n:]
        return json.loads(rest[:n])


# ---- servers ---------------------------------------------------------------

def game_server(c):
    rnd = random.Random(7)
    inventory = {"sword": 1, "potion": 3, "gold": 120}
    pos = [10, 10]
    quest = 0
    while True:
        try:
            req = c.recv()
        except EOFError:
            return
        m, p, rid = req.get("method"), req.get("params") or {}, req.get("id")
        if m == "login":
            res = {"id": "s-%08x" % rnd.getrandbits(32), "status": "OK",
                   "token": "%032x" % rnd.getrandbits(128), "player": p.get("login")}
        elif m == "getInventory":
            res = {"items": [{"name": k, "count": v} for k, v in sorted(inventory.items())]}
        elif m == "move":
            pos[0] += int(p.get("dx", 0))
            pos[1] += int(p.get("dy", 0))
            res = {"x": pos[0], "y": pos[1], "blocked": False}
        elif m == "chat":
            res = {"delivered": True, "channel": p.get("channel", "world")}
            c.send({"method": "chatMessage", "params": {"from": "npc-guide",
                    "text": "Welcome, %s!" % p.get("to", "player")}})
        elif m == "buyItem":
            item = p.get("item", "potion")
            inventory[item] = inventory.get(item, 0) + 1
            inventory["gold"] -= 10
            res = {"ok": True, "gold": inventory["gold"]}
        elif m == "getQuest":
            quest += 1
            res = {"accepted": True}
            # a quest "job": a job_id, but no blob or target
            c.send({"method": "job", "params": {"job_id": "q%d" % quest,
                    "title": "Deliver the letter", "reward": 25}})
        elif m == "submit":
            res = {"status": "OK", "reward": 25}
        elif m == "listFriends":
            res = {"friends": ["ana", "bo", "cyd"], "online": ["bo"]}
        elif m == "getProfile":
            res = {"level": 7, "xp": 3400 + quest * 25, "guild": "north"}
        elif m == "ping":
            res = {"pong": int(p.get("t", 0))}
        else:
            c.send({"id": rid, "result": None, "error": {"code": -32601, "message": "no such method"}})
            continue
        c.send({"id": rid, "result": res, "error": None})
        if m == "move" and rnd.random() < 0.4:
            c.send({"method": "playerMoved", "params": {"player": "bo", "x": rnd.randint(0, 40),
                    "y": rnd.randint(0, 40)}})


def eth_server(c):
    rnd = random.Random(11)
    block = 0x12a05f
    subs = 0
    while True:
        try:
            req = c.recv()
        except EOFError:
            return
        m, p, rid = req.get("method"), req.get("params") or [], req.get("id")
        if m == "eth_chainId":
            res = "0x1"
        elif m == "net_version":
            res = "1"
        elif m == "eth_blockNumber":
            block += rnd.randint(0, 1)
            res = hex(block)
        elif m == "eth_getBalance":
            res = hex(rnd.getrandbits(60))
        elif m == "eth_call":
            res = "0x" + "%064x" % rnd.getrandbits(64)
        elif m == "eth_getBlockByNumber":
            res = {"number": p[0] if p else hex(block), "hash": "0x%064x" % rnd.getrandbits(256),
                   "parentHash": "0x%064x" % rnd.getrandbits(256), "gasUsed": hex(rnd.getrandbits(24)),
                   "timestamp": hex(1700000000 + block), "transactions": []}
        elif m == "eth_syncing":
            res = False
        elif m == "eth_gasPrice":
            res = hex(rnd.randint(10**9, 5 * 10**10))
        elif m == "eth_hashrate":
            res = "0x0"
        elif m == "eth_mining":
            res = False
        elif m == "eth_subscribe":
            subs += 1
            res = "0x%032x" % (0xabc000 + subs)
            c.send({"jsonrpc": "2.0", "id": rid, "result": res})
            for i in range(3):
                c.send({"jsonrpc": "2.0", "method": "eth_subscription",
                        "params": {"subscription": res, "result": {
                            "number": hex(block + i + 1), "hash": "0x%064x" % rnd.getrandbits(256)}}})
            continue
        else:
            c.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "method not found"}})
            continue
        c.send({"jsonrpc": "2.0", "id": rid, "result": res})


def lsp_server(c):
    docs = {}
    while True:
        try:
            req = c.recv()
        except EOFError:
            return
        m, p, rid = req.get("method"), req.get("params") or {}, req.get("id")
        if m == "initialize":
            c.send({"jsonrpc": "2.0", "id": rid, "result": {"capabilities": {
                "textDocumentSync": 1, "completionProvider": {"triggerCharacters": ["."]},
                "hoverProvider": True}, "serverInfo": {"name": "toy-ls", "version": "0.3"}}})
        elif m == "textDocument/didOpen" or m == "textDocument/didChange":
            td = p["textDocument"]
            text = td.get("text") or p.get("contentChanges", [{}])[0].get("text", "")
            docs[td["uri"]] = text
            diags = [{"range": {"start": {"line": i, "character": 0}, "end": {"line": i, "character": 4}},
                      "severity": 2, "message": "line starts with TODO"}
                     for i, line in enumerate(text.split("\n")) if line.startswith("TODO")]
            c.send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
                    "params": {"uri": td["uri"], "diagnostics": diags}})
        elif m == "textDocument/completion":
            c.send({"jsonrpc": "2.0", "id": rid, "result": {"isIncomplete": False, "items": [
                {"label": w, "kind": 3} for w in ("submit", "login", "job", "join", "jump")]}})
        elif m == "textDocument/hover":
            c.send({"jsonrpc": "2.0", "id": rid, "result": {"contents": {"kind": "markdown",
                    "value": "`fn` at line %d" % p["position"]["line"]}}})
        elif m == "shutdown":
            c.send({"jsonrpc": "2.0", "id": rid, "result": None})
        elif m in ("initialized", "exit"):
            pass
        elif rid is not None:
            c.send({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": "unknown"}})


# ---- clients ---------------------------------------------------------------

def call(c, obj):
    """Send a request and read until its reply (pushes in between are read too)."""
    c.send(obj)
    while True:
        msg = c.recv()
        if "method" not in msg and msg.get("id") == obj.get("id"):
            return msg


def game_client(c):
    rnd = random.Random(3)
    call(c, {"id": 1, "method": "login", "params": {"login": "player", "pass": "x"}})
    rid = 2
    plan = (["getProfile", "getInventory", "listFriends"] +
            [rnd.choice(["move", "move", "chat", "getInventory", "buyItem", "ping"]) for _ in range(36)] +
            ["getQuest", "move", "submit", "getProfile"])
    for m in plan:
        if m == "move":
            p = {"dx": rnd.randint(-2, 2), "dy": rnd.randint(-2, 2)}
        elif m == "chat":
            p = {"channel": "world", "to": "bo", "text": "gg %d" % rid}
        elif m == "buyItem":
            p = {"item": rnd.choice(["potion", "arrow", "bread"])}
        elif m == "ping":
            p = {"t": 1000 + rid}
        elif m == "submit":
            p = {"form": "quest", "job_id": "q1", "answer": "letter delivered"}
        else:
            p = {}
        call(c, {"id": rid, "method": m, "params": p})
        rid += 1
        time.sleep(0.03)


def eth_client(c):
    rnd = random.Random(5)
    rid = 1
    addr = "0x%040x" % rnd.getrandbits(160)
    plan = ["eth_chainId", "net_version", "eth_syncing", "eth_subscribe"]
    plan += [rnd.choice(["eth_blockNumber", "eth_getBalance", "eth_call", "eth_getBlockByNumber",
                         "eth_gasPrice", "eth_hashrate", "eth_mining"]) for _ in range(36)]
    for m in plan:
        if m == "eth_getBalance":
            p = [addr, "latest"]
        elif m == "eth_call":
            p = [{"to": addr, "data": "0x70a08231" + "0" * 24 + addr[2:]}, "latest"]
        elif m == "eth_getBlockByNumber":
            p = ["latest", False]
        elif m == "eth_subscribe":
            p = ["newHeads"]
        else:
            p = []
        call(c, {"jsonrpc": "2.0", "id": rid, "method": m, "params": p})
        rid += 1
        time.sleep(0.03)


def lsp_client(c):
    rid = 1
    call(c, {"jsonrpc": "2.0", "id": rid, "method": "initialize",
             "params": {"processId": 4242, "rootUri": "file:///src/app", "capabilities": {}}})
    c.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = "file:///src/app/main.toy"
    text = "fn main() {\nTODO: login\n  submit(job)\n}\n"
    c.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "toy", "version": 1, "text": text}}})
    c.recv()  # diagnostics
    for i in range(30):
        rid += 1
        pos = {"line": i % 4, "character": 2}
        m = "textDocument/completion" if i % 3 else "textDocument/hover"
        call(c, {"jsonrpc": "2.0", "id": rid, "method": m,
                 "params": {"textDocument": {"uri": uri}, "position": pos}})
        if i % 10 == 9:
            text += "TODO: more %d\n" % i
            c.send({"jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri, "version": 2 + i},
                               "contentChanges": [{"text": text}]}})
            c.recv()
        time.sleep(0.03)
    rid += 1
    call(c, {"jsonrpc": "2.0", "id": rid, "method": "shutdown", "params": None})
    c.send({"jsonrpc": "2.0", "method": "exit"})


SERVERS = {"game": game_server, "eth": eth_server, "lsp": lsp_server, "lspline": lsp_server}
CLIENTS = {"game": game_client, "eth": eth_client, "lsp": lsp_client, "lspline": lsp_client}


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("server", "client") or sys.argv[2] not in SERVERS:
        sys.exit(__doc__)
    role, kind, host, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if role == "server":
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind((host, port))
        ls.listen(1)
        if len(sys.argv) > 6 and sys.argv[5] == "--ready":
            open(sys.argv[6], "w").write("ready\n")
        ls.settimeout(30)
        s, _ = ls.accept()
        s.settimeout(30)
        with s:
            SERVERS[kind](Conn(s, kind == "lsp"))
        return
    s = socket.create_connection((host, port), timeout=30)
    with s:
        CLIENTS[kind](Conn(s, kind == "lsp"))
        s.shutdown(socket.SHUT_WR)
        try:
            while s.recv(4096):
                pass
        except OSError:
            pass


if __name__ == "__main__":
    main()
