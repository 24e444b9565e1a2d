#!/usr/bin/env python3
"""A labelled crawl for the website scanner's end-to-end test, from our own
material only: the miner test pages and scripts of tests/data/web (written
from the documented miner APIs, tests/data/web/make_samples.py), our own
CryptoNight-style Wasm modules when a directory of them is given, and the
real benign news and blog pages of the corpus.

Each sample becomes its own site https://mNN.example/ (miners) or
https://bNN.example/ (benign): an HTML sample is the site's page; a script
or Wasm sample is loaded by a small page of its site under a harmless name
(/static/js/analytics.js, /static/app.wasm), so only following the page's
references finds it. Writes DIR/crawl.warc.gz and DIR/labels.tsv
(site <TAB> miner|benign <TAB> provider <TAB> sample).
    make_crawl.py REPO CORPUS DIR [WASM_DIR]
"""
import os
import subprocess
import sys


def main(repo, corpus, out, wasm_dir=None):
    data = os.path.join(repo, "tests", "data", "web")
    files = os.path.join(out, "files")
    os.makedirs(files, exist_ok=True)
    expect = {}
    for line in open(os.path.join(data, "expect.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        expect[f[0]] = f[1]
    manifest, labels = [], []
    n = [0, 0]

    def site(kind):
        n[kind == "benign"] += 1
        return "%s%02d.example" % ("m" if kind == "miner" else "b", n[kind == "benign"])

    def add(host, path, body, date="2018-03-01T12:00:00Z"):
        name = "%s_%s" % (host, path.strip("/").replace("/", "_") or "index.html")
        with open(os.path.join(files, name), "wb") as fh:
            fh.write(body)
        manifest.append("https://%s%s\tfiles/%s\t%s\t" % (host, path, name, date))

    def page_loading(host, src, wasm=False):
        if wasm:
            js = ("WebAssembly.instantiateStreaming(fetch('%s')).then(function(m){window.app=m;});" % src).encode()
            add(host, "/static/js/boot.js", js)
            src = "/static/js/boot.js"
        html = ("<!doctype html><html><head><title>Welcome</title>"
                "<script src=\"%s\"></script></head><body><p>Hello.</p></body></html>" % src).encode()
        add(host, "/", html)

    for rel in sorted(expect):
        path = os.path.join(data, rel)
        kind = "benign" if rel.startswith("benign/") else "miner"
        if not os.path.isfile(path):
            continue
        host = site(kind)
        body = open(path, "rb").read()
        if rel.endswith((".html", ".htm")):
            add(host, "/", body)
        else:
            add(host, "/static/js/analytics.js", body)
            page_loading(host, "/static/js/analytics.js")
        labels.append("%s\t%s\t%s\t%s" % (host, kind, expect[rel], rel))
    # The corpus's real news and blog pages: benign sites.
    pages = os.path.join(corpus, "web", "pages")
    for name in sorted(os.listdir(pages)):
        if not name.endswith(".html"):
            continue
        host = site("benign")
        add(host, "/", open(os.path.join(pages, name), "rb").read())
        labels.append("%s\tbenign\t-\tcorpus:%s" % (host, name))
    # Our own Wasm modules (tests/data/web/wasm/build.sh, labels.tsv beside
    # them): a module is loaded by a boot script under a harmless name, a
    # script with an embedded module is the site's script. "miss" marks the
    # builds the recogniser is known to miss: still miner sites here.
    if wasm_dir and os.path.isfile(os.path.join(wasm_dir, "labels.tsv")):
        for line in open(os.path.join(wasm_dir, "labels.tsv"), encoding="utf-8"):
            f = line.split()
            if len(f) < 2 or not os.path.isfile(os.path.join(wasm_dir, f[0])):
                continue
            name, label = f[0], f[1]
            kind = "miner" if label in ("miner", "miss") else "benign"
            host = site(kind)
            body = open(os.path.join(wasm_dir, name), "rb").read()
            if name.endswith(".wasm"):
                add(host, "/static/app.wasm", body)
                page_loading(host, "/static/app.wasm", wasm=True)
            else:
                add(host, "/static/js/analytics.js", body)
                page_loading(host, "/static/js/analytics.js")
            labels.append("%s\t%s\t%s\twasm:%s" % (host, kind, label, name))
    with open(os.path.join(out, "manifest.tsv"), "w") as fh:
        fh.write("\n".join(manifest) + "\n")
    with open(os.path.join(out, "labels.tsv"), "w") as fh:
        fh.write("\n".join(labels) + "\n")
    subprocess.run([sys.executable, os.path.join(repo, "tests", "tools", "make_warc.py"),
                    os.path.join(out, "manifest.tsv"), os.path.join(out, "crawl.warc.gz")], check=True)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(*sys.argv[1:5])
