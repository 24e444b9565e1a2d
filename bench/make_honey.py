#!/usr/bin/env python3
"""Make the botnet benchmark's input: real Cowrie JSON lines (the corpus's
kareiva 2018 logs, 102,686 events), replicated until N events, each copy
with its times shifted past the previous copy's last day, its session ids
made distinct and, unless --same-sources, its source addresses shifted so
that every copy brings new attack sources (the engine's memory must follow
sources, not events). The file is written under bench/work (not in git: the
logs carry no licence that allows redistribution).
usage: make_honey.py CORPUS OUT N [--same-sources]"""
import datetime, glob, ipaddress, os, re, sys

corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
same = "--same-sources" in sys.argv[4:]
files = sorted(glob.glob(os.path.join(corpus, "botnet/cowrie_kareiva_2018/cowrie.json.*")))
if not files:
    sys.exit("make_honey: no Cowrie logs under %s" % corpus)
field = re.compile(r'"(src_ip|timestamp|session)": ?"([^"]*)"')
lines = []
first = last = None
for f in files:
    with open(f, "rb") as fh:
        for raw in fh:
            s = raw.decode("utf-8", "surrogateescape").rstrip("\n")
            if not s:
                continue
            parts, pos, slots = [], 0, []
            for m in field.finditer(s):
                parts.append(s[pos:m.start(2)])
                key, val = m.group(1), m.group(2)
                if key == "timestamp":
                    val = datetime.datetime.strptime(val, "%Y-%m-%dT%H:%M:%S.%fZ")
                    first = val if first is None or val < first else first
                    last = val if last is None or val > last else last
                elif key == "src_ip":
                    try:
                        val = int(ipaddress.IPv4Address(val))
                    except ValueError:
                        pass
                elif key == "session":
                    try:
                        val = int(val, 16)
                    except ValueError:
                        pass
                slots.append((key, val))
                pos = m.end(2)
            parts.append(s[pos:])
            lines.append((parts, slots))
span = datetime.timedelta(days=(last - first).days + 1)
written = 0
with open(out + ".tmp", "w", encoding="utf-8", errors="surrogateescape", buffering=1 << 22) as w:
    k = 0
    while written < n:
        shift = span * k
        for parts, slots in lines:
            if written >= n:
                break
            buf = [parts[0]]
            for i, (key, val) in enumerate(slots):
                if key == "timestamp":
                    buf.append((val + shift).strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
                elif key == "src_ip" and isinstance(val, int):
                    buf.append(str(ipaddress.IPv4Address(val if same else (val + k * 0x01000193) & 0xFFFFFFFF)))
                elif key == "session" and isinstance(val, int):
                    buf.append("%012x" % (val ^ (k << 40)))
                else:
                    buf.append(str(val))
                buf.append(parts[i + 1])
            w.write("".join(buf))
            w.write("\n")
            written += 1
        k += 1
os.replace(out + ".tmp", out)
print("%s: %d events, %d copies of %d real lines" % (out, written, k, len(lines)))
