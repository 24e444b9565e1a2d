#!/usr/bin/env python3
"""Build a large Ethernet pcap for benchmarks from the real corpus captures.

Every Ethernet capture under CORPUS/pcap (pcapng converted with editcap) is
appended again and again until the output reaches TARGET_MB; each repetition
rewrites the IPv4 addresses (the two low bytes are XORed with the copy
number, consistently for both directions) so repeated traffic forms new
flows rather than retransmissions of old ones. IPv6 and other frames are
copied as they are.
usage: make_capture.py CORPUS OUT.pcap [TARGET_MB]"""
import glob, os, struct, subprocess, sys, tempfile

corpus, out = sys.argv[1], sys.argv[2]
target = int(sys.argv[3]) * 1000 * 1000 if len(sys.argv) > 3 else 420 * 1000 * 1000

def read_pcap(path):
    data = open(path, "rb").read()
    if len(data) < 24:
        return None
    magic = data[:4]
    if magic == b"\xd4\xc3\xb2\xa1": e = "<"
    elif magic == b"\xa1\xb2\xc3\xd4": e = ">"
    elif magic == b"\x4d\x3c\xb2\xa1": e = "<"   # ns variant
    elif magic == b"\xa1\xb2\x3c\x4d": e = ">"
    else:
        return None
    lt = struct.unpack(e + "I", data[20:24])[0]
    if lt != 1:
        return None
    recs, off = [], 24
    while off + 16 <= len(data):
        ts, us, cap, wire = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        if cap > 262144 or off + cap > len(data):
            break
        recs.append((ts, us, data[off:off + cap], wire))
        off += cap
    return recs

tmp = tempfile.mkdtemp()
files = sorted(glob.glob(os.path.join(corpus, "pcap", "**", "*.pcap*"), recursive=True))
sources = []
for f in files:
    p = f
    if f.endswith(".pcapng"):
        p = os.path.join(tmp, os.path.basename(f) + ".pcap")
        if subprocess.run(["editcap", "-F", "pcap", f, p], capture_output=True).returncode != 0:
            continue
    recs = read_pcap(p)
    if recs:
        sources.append(recs)
if not sources:
    sys.exit("no Ethernet captures found under " + corpus)

def rewrite(frame, k):
    if k == 0 or len(frame) < 34:
        return frame
    et = frame[12:14]
    o = 14
    if et == b"\x81\x00" and len(frame) >= 38:
        et, o = frame[16:18], 18
    if et != b"\x08\x00":
        return frame
    b = bytearray(frame)
    for a in (o + 14, o + 18):  # low two bytes of src and dst
        b[a] ^= (k >> 8) & 0xff
        b[a + 1] ^= k & 0xff
    return bytes(b)

written, copy, pkts = 0, 0, 0
with open(out, "wb") as w:
    w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
    written = 24
    base = 1500000000
    while written < target:
        for recs in sources:
            for ts, us, fr, wire in recs:
                fr2 = rewrite(fr, copy)
                w.write(struct.pack("<IIII", base + copy * 10, us, len(fr2), wire))
                w.write(fr2)
                written += 16 + len(fr2)
                pkts += 1
        copy += 1
print(f"{out}: {written / 1e6:.1f} MB, {pkts} packets, {copy} copies of {len(sources)} captures")
