#!/usr/bin/env python3
"""A list server for tests/corpus/intel_update.sh, on 127.0.0.1 only.

Serves ROOT/files/NAME at /NAME with an ETag (SHA-256 of the body) and a
Last-Modified (the file's mtime), and answers If-None-Match /
If-Modified-Since with 304. ROOT/mode/NAME, when present, changes what
/NAME gets:
  500      HTTP 500 with an error page
  html     200 with an HTML page (not a list) and a new ETag
  big      200 with the file repeated to 256 KiB, with Content-Length
  bigchunk the same, chunked (no Content-Length)
  slow     200, the first 100 bytes, then one byte every 2 s
  lastmod  no ETag: Last-Modified and If-Modified-Since only
Every request is logged to ROOT/log as "NAME STATUS" lines.
Usage: intel_server.py ROOT PORTFILE (writes the port it listens on)."""
import email.utils
import hashlib
import http.server
import os
import socketserver
import sys
import time

ROOT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def note(self, status):
        with open(os.path.join(ROOT, "log"), "a") as fh:
            fh.write("%s %d\n" % (self.path.lstrip("/"), status))

    def send_body(self, status, body, extra=()):
        self.send_response(status)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.note(status)

    def do_GET(self):
        name = self.path.lstrip("/")
        path = os.path.join(ROOT, "files", name)
        if "/" in name or not os.path.isfile(path):
            return self.send_body(404, b"not found\n")
        mode = ""
        mpath = os.path.join(ROOT, "mode", name)
        if os.path.exists(mpath):
            with open(mpath) as fh:
                mode = fh.read().strip()
        with open(path, "rb") as fh:
            body = fh.read()
        if mode == "500":
            return self.send_body(500, b"<html><body>Internal Server Error</body></html>\n")
        if mode == "html":
            page = b"<!DOCTYPE html>\n<html>\n<head><title>Moved</title></head>\n<body>\n<p>Sorry</p>\n</body>\n</html>\n"
            return self.send_body(200, page, [("ETag", '"html-%d"' % time.time_ns())])
        if mode in ("big", "bigchunk"):
            big = (body * (262144 // max(1, len(body)) + 1))[:262144]
            if mode == "big":
                return self.send_body(200, big, [("ETag", '"big"')])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for i in range(0, len(big), 4096):
                    part = big[i:i + 4096]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.note(200)
            return None
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32]
        mtime = int(os.stat(path).st_mtime)
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if mode == "lastmod":
            inm = None
        if inm is not None:
            fresh = inm == etag
        elif ims is not None:
            try:
                fresh = email.utils.parsedate_to_datetime(ims).timestamp() >= mtime
            except (TypeError, ValueError):
                fresh = False
        if fresh and mode != "slow":
            self.send_response(304)
            if mode != "lastmod":
                self.send_header("ETag", etag)
            self.end_headers()
            self.note(304)
            return None
        if mode == "slow":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", '"slow"')
            self.end_headers()
            try:
                self.wfile.write(body[:100])
                self.wfile.flush()
                for b in body[100:]:
                    time.sleep(2)
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.note(200)
            return None
        headers = [("Last-Modified", lastmod)]
        if mode != "lastmod":
            headers.append(("ETag", etag))
        return self.send_body(200, body, headers)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients the test kills on purpose reset their connections


srv = Server(("127.0.0.1", 0), Handler)
with open(sys.argv[2] + ".tmp", "w") as fh:
    fh.write(str(srv.server_address[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
srv.serve_forever()
