#!/usr/bin/env python3
"""Scan every labelled real capture in the shared corpus and check the
findings against the ground truth (pcap/LABELS.tsv) and our per-flow
expectations (tests/corpus/expect.tsv).

- mining files: at least one mining finding; every expectation row for the
  file must be met by some finding (dest ip:port, protocol, wallet prefix).
- not-mining files and nDPI's protocol captures: no mining finding at all
  (except the files LABELS.tsv names as mining).
- precursor files: at least one precursor finding, and no mining finding.
Exit status 1 when any check fails; prints a table either way."""
import json, os, subprocess, sys, glob

corpus = os.environ.get("MT_CORPUS") or os.path.join(os.path.dirname(__file__), "../../../shared/corpus")
binary = os.environ.get("MT_BIN") or "build/minetrace"
here = os.path.dirname(os.path.abspath(__file__))
pcapdir = os.path.join(corpus, "pcap")
if not os.path.isdir(pcapdir):
    print(f"corpus not found at {pcapdir}", file=sys.stderr)
    sys.exit(1)

labels = {}
for line in open(os.path.join(pcapdir, "LABELS.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    f, label = line.split("\t")[:2]
    labels[f] = label
ndpi_mining = {"mining.pcapng"}
for f in sorted(glob.glob(os.path.join(pcapdir, "ndpi-tests", "*"))):
    if not f.endswith((".pcap", ".pcapng", ".cap")):
        continue
    rel = os.path.relpath(f, pcapdir)
    labels.pop("ndpi-tests/*", None)
    labels[rel] = "mining" if os.path.basename(f) in ndpi_mining else "not-mining"

expect = {}
for line in open(os.path.join(here, "expect.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    f, dest, proto, wallet = (line.rstrip("\n").split("\t") + ["-"] * 4)[:4]
    expect.setdefault(f, []).append((dest, proto, wallet))

def scan(path):
    p = subprocess.run([binary, "scan", "-q", path], capture_output=True, timeout=600)
    out = []
    for l in p.stdout.decode("utf-8", "replace").splitlines():
        if l.strip():
            out.append(json.loads(l))
    return p.returncode, out, p.stderr.decode("utf-8", "replace")

# Captures whose label cannot be met, each with the reason (exceptions.tsv):
# reported, not failed. An exception that passes is flagged for removal.
pending = {}
pfile = os.path.join(here, "exceptions.tsv")
for l in open(pfile, encoding="utf-8"):
    if l.strip() and not l.startswith("#"):
        f, why = (l.rstrip("\n").split("\t") + [""])[:2]
        pending[f] = why

failures = []
counts = {"mining": 0, "not-mining": 0, "precursor": 0}
for rel, label in sorted(labels.items()):
    path = os.path.join(pcapdir, rel)
    if not os.path.exists(path):
        failures.append(f"{rel}: listed in LABELS.tsv but missing")
        continue
    rc, fs, err = scan(path)
    counts[label] = counts.get(label, 0) + 1
    # The exit status says whether anything was found: 1 findings, 0 none
    # (a truncated capture is a warning, not an error).
    if rc != (1 if fs else 0):
        failures.append(f"{rel}: exit status {rc} with {len(fs)} findings: {err.strip()[:300]}")
        continue
    mining = [f for f in fs if f["event_type"] == "mining"]
    prec = [f for f in fs if f["event_type"] == "precursor"]
    if label == "mining":
        if not mining:
            failures.append(f"{rel}: labelled mining, no mining finding")
        for dest, proto, wallet in expect.get(rel, []):
            ok = False
            for f in mining:
                d = f"{f['dest_ip']}:{f['dest_port']}"
                if dest != "-" and d != dest:
                    continue
                if proto != "-" and f["mining"]["protocol"] != proto:
                    continue
                if wallet != "-" and not f["mining"]["wallet"].startswith(wallet):
                    continue
                ok = True
                break
            if not ok:
                got = sorted({(f"{f['dest_ip']}:{f['dest_port']}", f['mining']['kind'], f['mining']['protocol'], f['mining']['wallet'][:20]) for f in mining})
                failures.append(f"{rel}: expected a finding dest={dest} protocol={proto} wallet={wallet}; got {got[:8]}")
    elif label == "not-mining":
        if mining:
            failures.append(f"{rel}: labelled not-mining, got {len(mining)} mining findings, e.g. "
                            + json.dumps(mining[0]["mining"])[:300])
    elif label == "precursor":
        for f in prec:
            if f["mining"]["family"] != "wannamine" or f["mining"]["kind"] != "smb":
                failures.append(f"{rel}: precursor finding is not kind smb / family wannamine")
                break
        if not prec:
            failures.append(f"{rel}: labelled precursor, no precursor finding")
        if mining:
            failures.append(f"{rel}: precursor capture gave mining findings")
    print(f"{label:11} {len(mining):4} mining {len(prec):3} precursor  {rel}")

print(f"\nchecked {sum(counts.values())} captures: {counts}")
still = []
for f in failures:
    if f.split(":")[0] in pending:
        print("EXCEPTION", f, "--", pending[f.split(":")[0]])
    else:
        still.append(f)
passing_pending = set(pending) - {f.split(":")[0] for f in failures}
for p in sorted(passing_pending):
    print("NOTE: now passes, remove from exceptions.tsv:", p)
failures = still
for f in failures:
    print("FAIL", f)
print(f"{sum(counts.values()) - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
