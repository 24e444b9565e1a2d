#!/usr/bin/env python3
"""Write a pcap with N distinct TCP flows (SYN, then one JSON-RPC data
segment each), to show that minetrace's memory stays flat as the number of
flows grows: the flow table has a fixed cap and evicts (counted).
usage: make_flows.py OUT.pcap N"""
import struct, sys

out, n = sys.argv[1], int(sys.argv[2])
payload = b'{"id":1,"jsonrpc":"2.0","method":"eth_blockNumber","params":[]}\n'

def frame(src, dst, sp, dp, seq, flags, data):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(data), 0, 0, 64, 6, 0, src, dst)
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq, 0, 0x50, flags, 65535, 0, 0)
    return b"\x00\x01\x02\x03\x04\x05\x00\x01\x02\x03\x04\x06\x08\x00" + ip + tcp + data

with open(out, "wb") as w:
    w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    dst = bytes([10, 255, 0, 1])
    for i in range(n):
        src = bytes([10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff])
        sp = 1024 + (i % 60000)
        for k, (flags, data) in enumerate(((0x02, b""), (0x18, payload))):
            fr = frame(src, dst, sp, 8545, 1000 + k, flags, data)
            w.write(struct.pack("<IIII", 1600000000 + i // 1000, (i % 1000) * 1000 + k, len(fr), len(fr)))
            w.write(fr)
print(f"{out}: {n} flows")
