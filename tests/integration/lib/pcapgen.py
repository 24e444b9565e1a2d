#!/usr/bin/env python3
"""Synthetic captures for the sensor tests (written from scratch, no corpus
bytes).

  pcapgen.py dns OUT.pcap N [FIRST_IP [NAME]]
      N DNS clients (FIRST_IP, FIRST_IP+1, ...) each querying NAME (default
      a pool under supportxmr.com) once: N mining hosts for the host-verdict
      cap, or a few fresh ones per phase of the live test.
  pcapgen.py dnsstream RATE SECONDS [FIRST_IP]
      the same lookups written to standard output as a stream, RATE
      clients a second for SECONDS (a slow producer feeding `scan -`).
  pcapgen.py badts OUT.pcapng
      a pcapng whose blocks carry impossible timestamps
      (0x7fffffffffffffff, a negative offset, the year 3000) between
      possible ones, each packet a pool lookup by its own client."""
import ipaddress
import struct
import sys


def dns_query(src, dst, sport, name, qid):
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    dns = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q + struct.pack("!HH", 1, 1)
    udp = struct.pack("!HHHH", sport, 53, 8 + len(dns), 0) + dns
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), qid, 0, 64, 17, 0, src, dst)
    csum = 0
    for i in range(0, 20, 2):
        csum += (ip[i] << 8) | ip[i + 1]
    while csum >> 16:
        csum = (csum & 0xffff) + (csum >> 16)
    ip = ip[:10] + struct.pack("!H", ~csum & 0xffff) + ip[12:]
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + udp


def cmd_dns(out, n, first="10.64.0.1", name="pool.supportxmr.com"):
    base = int(ipaddress.IPv4Address(first))
    dst = ipaddress.IPv4Address("10.63.255.53").packed
    with open(out, "wb") as w:
        w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i in range(n):
            src = ipaddress.IPv4Address(base + i).packed
            fr = dns_query(src, dst, 1024 + i % 60000, name, i & 0xffff)
            w.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(fr), len(fr)))
            w.write(fr)


def cmd_dnsstream(rate, seconds, first="10.68.0.1"):
    import time
    base = int(ipaddress.IPv4Address(first))
    dst = ipaddress.IPv4Address("10.63.255.53").packed
    w = sys.stdout.buffer
    w.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    t0 = time.time()
    i = 0
    while time.time() - t0 < seconds:
        for _ in range(rate // 20):
            src = ipaddress.IPv4Address(base + i).packed
            fr = dns_query(src, dst, 1024 + i % 60000, "pool.supportxmr.com", i & 0xffff)
            w.write(struct.pack("<IIII", 1700000000 + i // 1000, (i % 1000) * 1000, len(fr), len(fr)))
            w.write(fr)
            i += 1
        w.flush()
        time.sleep(0.05)


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    n = 12 + len(body)
    return struct.pack("<II", btype, n) + body + struct.pack("<I", n)


def cmd_badts(out):
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb0 = block(1, struct.pack("<HHI", 1, 0, 65535) + struct.pack("<HH", 0, 0))
    # Interface 1: if_tsoffset (option 14) of -2^40 s: every time on it is
    # before 1970.
    idb1 = block(1, struct.pack("<HHI", 1, 0, 65535) + struct.pack("<HHq", 14, 8, -(1 << 40))
                 + struct.pack("<HH", 0, 0))
    dst = ipaddress.IPv4Address("10.63.255.53").packed
    t0 = 1709287200 * 1000000  # 2024-03-01T10:00:00Z in microseconds
    packets = [  # (interface, timestamp in microseconds)
        (0, 0x7FFFFFFFFFFFFFFF),  # before any possible time: skipped
        (0, t0),
        (0, 0x7FFFFFFFFFFFFFFF),
        (1, t0 + 1000000),
        (0, 32503680000 * 1000000),  # 3000-01-01
        (0, 0xFFFFFFFFFFFFFFFF),
        (0, t0 + 2000000),
    ]
    with open(out, "wb") as w:
        w.write(shb + idb0 + idb1)
        for i, (iface, ts) in enumerate(packets):
            src = ipaddress.IPv4Address("10.65.0.1") + i
            fr = dns_query(src.packed, dst, 40000 + i, "pool.supportxmr.com", i + 1)
            body = struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(fr), len(fr)) + fr
            w.write(block(6, body))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "dns":
        cmd_dns(sys.argv[2], int(sys.argv[3]), *sys.argv[4:6])
    elif len(sys.argv) >= 4 and sys.argv[1] == "dnsstream":
        try:
            cmd_dnsstream(int(sys.argv[2]), float(sys.argv[3]), *sys.argv[4:5])
        except BrokenPipeError:
            pass
    elif len(sys.argv) == 3 and sys.argv[1] == "badts":
        cmd_badts(sys.argv[2])
    else:
        sys.exit(__doc__)
