#!/usr/bin/env python3
"""The sites of tests/integration/web_crawl.sh, served by Host name from one
address: a miner page whose miner sits in a same-site script, a benign page,
a miner started in a worker by a loader script,
pages with more scripts than the crawl fetches per page (12, and 600:
more than the scanner's first reference table),
a redirect chain, a redirect loop, an endpoint that never finishes, a body
larger than the crawl's cap, a 404, a 500, and slow pages to measure how many
connections the crawler keeps open at once. Every request is logged as a JSON
line with its Host, path, User-Agent and the connections open at that time.

With TLS_PORT, CERT and KEY, the same sites are also served over TLS
with that (self-signed) certificate.

usage: crawl_server.py ADDR PORT LOG MINER_SAMPLE.html [TLS_PORT CERT KEY]
"""
import json
import re
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ADDR, PORT, LOG, SAMPLE = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

# The sample page's inline script becomes the site's "analytics" script:
# the page itself then shows nothing, as on real sites.
with open(SAMPLE, encoding="utf-8") as f:
    MINER_JS = "\n".join(re.findall(r"<script>(.*?)</script>", f.read(), re.S)).encode()

BENIGN_JS = b"""(function () {
  var start = Date.now();
  document.addEventListener('DOMContentLoaded', function () {
    var el = document.getElementById('year');
    if (el) el.textContent = String(new Date().getFullYear());
    console.log('page ready in', Date.now() - start, 'ms');
  });
})();
"""

def page(title, body, scripts=()):
    tags = "".join('<script src="%s"></script>\n' % s for s in scripts)
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>\n%s</head>"
            "<body><h1>%s</h1>\n%s\n<p id=\"year\"></p></body></html>\n" % (title, tags, title, body)).encode()

lock = threading.Lock()
# "open": connections; "busy": requests received and not yet answered. The
# test checks "busy": a transfer's slot frees only once its answer came, so
# it can never pass --crawl-jobs, while a closed connection's handler may
# still be finishing when the next connection arrives.
state = {"open": 0, "max": 0, "busy": 0}
logf = open(LOG, "a", buffering=1, encoding="utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "crawl-test/1"

    def setup(self):
        super().setup()
        with lock:
            state["open"] += 1
            state["max"] = max(state["max"], state["open"])

    def finish(self):
        self.done()
        try:
            super().finish()
        finally:
            with lock:
                state["open"] -= 1

    def log_message(self, fmt, *args):
        pass

    def done(self):
        with lock:
            if getattr(self, "counted", False):
                state["busy"] -= 1
                self.counted = False

    def send(self, code, body, ctype="text/html; charset=utf-8", headers=()):
        self.done()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the crawler cut a body over its cap

    def redirect(self, code, where):
        self.send(code, b"moved\n", "text/plain", [("Location", where)])

    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        path = self.path
        with lock:
            state["busy"] += 1
            self.counted = True
            logf.write(json.dumps({"host": host, "path": path, "ua": self.headers.get("User-Agent", ""),
                                   "open": state["open"], "busy": state["busy"]}) + "\n")
        if path == "/static/js/analytics.js" and host in ("miner.test", "redir.test", "huge.test"):
            return self.send(200, MINER_JS, "application/javascript")
        if host == "miner.test" and path == "/":
            return self.send(200, page("Recipes", "<p>Our recipes.</p>", ["/static/js/analytics.js"]))
        if host == "worker.test":
            # One level deeper: the page loads a loader, the loader starts
            # the miner in a worker.
            if path == "/":
                return self.send(200, page("Games", "<p>Play.</p>", ["/js/loader.js"]))
            if path == "/js/loader.js":
                return self.send(200, b"var w = new Worker('/js/worker.js');\nw.postMessage({go: 1});\n",
                                 "application/javascript")
            if path == "/js/worker.js":
                return self.send(200, MINER_JS, "application/javascript")
        if host == "tls.test" and path == "/":
            return self.send(200, page("Secure", "<p>Over TLS.</p>"))
        if host in ("many.test", "tags.test"):
            if path == "/":
                return self.send(200, page("Widgets", "<p>Many scripts.</p>",
                                           ["/s/%d.js" % i for i in range(12 if host == "many.test" else 600)]))
            if path.startswith("/s/"):
                return self.send(200, BENIGN_JS, "text/javascript")
        if host == "benign.test":
            if path == "/":
                return self.send(200, page("News", "<p>Today's news.</p>", ["/js/app.js"]))
            if path == "/js/app.js":
                return self.send(200, BENIGN_JS, "text/javascript")
        if host == "redir.test":
            if path == "/":
                return self.redirect(302, "/step2")
            if path == "/step2":
                return self.redirect(301, "http://redir.test/final")
            if path == "/final":
                return self.send(200, page("Moved here", "<p>Final.</p>", ["/static/js/analytics.js"]))
        if host == "loop.test":
            n = int(path.rsplit("/", 1)[-1]) if path.startswith("/loop/") else 0
            return self.redirect(302, "/loop/%d" % (n + 1))
        if host == "slow.test":
            # Headers and a first byte, then a byte now and then, forever
            # (until the client gives up and the write fails).
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(300):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass  # the client gave up: the request is over
            self.done()
            return None
        if host == "huge.test" and path == "/":
            head = page("Big", "<p>Big page.</p>", ["/static/js/analytics.js"])
            return self.send(200, head + b"<!-- " + b"x" * (3 << 20) + b" -->\n")
        if host == "err.test":
            return self.send(500, b"internal error\n", "text/plain")
        if host == "conc.test" and path.startswith("/c/"):
            time.sleep(0.4)
            return self.send(200, page("Page " + path, "<p>Slow page.</p>"))
        return self.send(404, b"not found\n", "text/plain")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


srv = Server((ADDR, PORT), Handler)
if len(sys.argv) > 7:
    tls = Server((ADDR, int(sys.argv[5])), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[6], sys.argv[7])
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    threading.Thread(target=tls.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
print("ready", flush=True)
try:
    srv.serve_forever(poll_interval=0.1)
finally:
    with lock:
        logf.write(json.dumps({"max_open": state["max"]}) + "\n")
