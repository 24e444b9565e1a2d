#!/usr/bin/env python3
"""Write a WARC/1.0 file from a manifest of our own test pages, as crawlers
write them: a warcinfo record, then per URL a request and a response record
(HTTP/1.1 headers, optionally chunked or gzip Content-Encoding, optionally
cut and marked WARC-Truncated); `.gz` output gets one gzip member per
record, as Common Crawl does.

Manifest lines (tab-separated; '#' comments):
    URL  FILE  [DATE]  [OPTIONS]
FILE is relative to the manifest. DATE is ISO 8601 UTC (default
2018-03-01T12:00:00Z). OPTIONS is a comma list of: chunked, gzip,
truncate=N (keep N body bytes), status=N, type=MEDIA, revisit (a revisit
record instead of a response).
    tests/tools/make_warc.py MANIFEST OUT.warc[.gz]
"""
import gzip
import hashlib
import io
import os
import sys
import uuid

TYPES = {".html": "text/html; charset=utf-8", ".htm": "text/html", ".js": "application/javascript",
         ".mjs": "application/javascript", ".wasm": "application/wasm", ".json": "application/json",
         ".css": "text/css", ".txt": "text/plain"}


def record(kind, uri, date, payload, extra=()):
    rid = "<urn:uuid:%s>" % uuid.uuid5(uuid.NAMESPACE_URL, kind + uri + date)
    head = ["WARC/1.0", "WARC-Type: " + kind, "WARC-Record-ID: " + rid, "WARC-Date: " + date]
    if uri:
        head.append("WARC-Target-URI: " + uri)
    head += list(extra)
    if kind in ("request", "response", "revisit"):
        head.append("Content-Type: application/http; msgtype=%s" % ("request" if kind == "request" else "response"))
    elif kind == "warcinfo":
        head.append("Content-Type: application/warc-fields")
    head.append("WARC-Payload-Digest: sha1:" + hashlib.sha1(payload).hexdigest())
    head.append("Content-Length: %d" % len(payload))
    return ("\r\n".join(head) + "\r\n\r\n").encode() + payload + b"\r\n\r\n"


def http_response(body, ctype, opts):
    status = int(opts.get("status", "200"))
    headers = ["HTTP/1.1 %d %s" % (status, "OK" if status == 200 else "Other"), "Content-Type: " + ctype,
               "Server: minetrace-test"]
    if "gzip" in opts:
        body = gzip.compress(body, mtime=0)
        headers.append("Content-Encoding: gzip")
    if "chunked" in opts:
        out = b""
        for i in range(0, len(body), 700):
            part = body[i:i + 700]
            out += b"%x\r\n" % len(part) + part + b"\r\n"
        body = out + b"0\r\n\r\n"
        headers.append("Transfer-Encoding: chunked")
    else:
        headers.append("Content-Length: %d" % len(body))
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body


def main(manifest, out):
    base = os.path.dirname(os.path.abspath(manifest))
    records = [record("warcinfo", "", "2018-03-01T00:00:00Z",
                      b"software: minetrace tests/tools/make_warc.py\r\nformat: WARC File Format 1.0\r\n")]
    for line in open(manifest, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        uri, path = f[0], f[1]
        date = f[2] if len(f) > 2 and f[2] else "2018-03-01T12:00:00Z"
        opts = {}
        for o in (f[3].split(",") if len(f) > 3 and f[3] else []):
            k, _, v = o.partition("=")
            opts[k] = v
        body = open(os.path.join(base, path), "rb").read()
        ctype = opts.get("type") or TYPES.get(os.path.splitext(path)[1], "application/octet-stream")
        host = uri.split("/")[2]
        req = ("GET /%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: minetrace-test\r\n\r\n" %
               (uri.split("/", 3)[3] if uri.count("/") >= 3 else "", host)).encode()
        records.append(record("request", uri, date, req))
        if "revisit" in opts:
            records.append(record("revisit", uri, date, b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\n\r\n" % ctype.encode(),
                                  ["WARC-Profile: http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
                                   "WARC-Refers-To-Target-URI: " + uri]))
            continue
        payload = http_response(body, ctype, opts)
        extra = []
        if "truncate" in opts:
            payload = payload[:payload.index(b"\r\n\r\n") + 4 + int(opts["truncate"])]
            extra.append("WARC-Truncated: length")
        records.append(record("response", uri, date, payload, extra))
    with open(out, "wb") as fh:
        for r in records:
            fh.write(gzip.compress(r, mtime=0) if out.endswith(".gz") else r)
    print("%s: %d records" % (out, len(records)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
