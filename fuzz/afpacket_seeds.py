#!/usr/bin/env python3
"""Seeds for fuzz_afpacket_block: TPACKET_V3 blocks laid out as the kernel
writes them (block descriptor, then frames of header + sockaddr_ll + reserve
+ data, each 16-aligned), with our own synthetic frames. First byte: link
type selector (0 Ethernet, 1 raw IP). Run: fuzz/afpacket_seeds.py DIR"""
import struct, sys, os

DESC = 48          # struct tpacket_block_desc
HDR = 48           # struct tpacket3_hdr
MAC = HDR + 20 + 4 + 2  # header, sockaddr_ll, PACKET_RESERVE 4, 2 to align IP

def align(n): return (n + 15) & ~15

def frame(data, sec, status=0, tci=0, tpid=0, cut=0):
    n = len(data)
    hdr = struct.pack('<IIIIIIHH', 0, sec, 500000000, n, n + cut, status, MAC, MAC + 14)
    hdr += struct.pack('<IIHH', 0, tci, tpid, 0) + b'\0' * 8
    return bytearray(hdr + b'\0' * (MAC - HDR) + data + b'\0' * (align(MAC + n) - MAC - n))

def block(frames, fixup=None):
    body = bytearray()
    offs = []
    for f in frames:
        offs.append(DESC + len(body))
        body += f
    for i, o in enumerate(offs[:-1]):
        struct.pack_into('<I', body, o - DESC, offs[i + 1] - o)
    desc = struct.pack('<IIIIII', 3, 0, 1, len(frames), DESC, DESC + len(body))
    desc += struct.pack('<Q', 7) + b'\0' * 16
    b = bytearray(desc + body)
    if fixup: fixup(b, offs)
    return b

eth = bytes.fromhex('020000000002020000000001')
ip4 = bytes.fromhex('450000301a2b40004006') + b'\0\0' + bytes([10, 1, 0, 2, 10, 1, 0, 1])
tcp = struct.pack('>HHIIBBHHH', 40123, 3333, 1, 0, 0x50, 0x18, 512, 0, 0)
pkt = eth + b'\x08\x00' + ip4 + tcp + b'{"id":1,"method":"login"}\n'
dns = eth + b'\x08\x00' + bytes.fromhex('4500003c00004000401100000a0100020a010001') + \
      struct.pack('>HHHH', 5353, 53, 40, 0) + b'\x12\x34\x01\x00\x00\x01\0\0\0\0\0\0\x04pool\x07example\x00\x00\x01\x00\x01'

def bad_next(b, offs): struct.pack_into('<I', b, offs[0], 0xfffffff0)
def bad_count(b, offs): struct.pack_into('<I', b, 12, 0xffffffff)
def bad_len(b, offs): struct.pack_into('<I', b, 20, len(b) + 4096)
def bad_snap(b, offs): struct.pack_into('<I', b, offs[1] + 12, 0x7fffffff)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
seeds = {
    'three_frames': b'\0' + block([frame(pkt, 1), frame(dns, 2), frame(pkt[:40], 3, cut=100)]),
    'vlan_8021q': b'\0' + block([frame(pkt, 1, status=0x10, tci=42), frame(dns, 2)]),
    'vlan_8021ad': b'\0' + block([frame(pkt, 1, status=0x30, tci=7, tpid=0x88a8)]),
    'raw_ip': b'\1' + block([frame(pkt[14:], 1), frame(dns[14:], 2)]),
    'bad_next': b'\0' + block([frame(pkt, 1), frame(dns, 2)], bad_next),
    'bad_count': b'\0' + block([frame(pkt, 1), frame(dns, 2)], bad_count),
    'bad_blk_len': b'\0' + block([frame(pkt, 1)], bad_len),
    'bad_snaplen': b'\0' + block([frame(pkt, 1), frame(dns, 2), frame(pkt, 3)], bad_snap),
    'empty': b'\0' + block([]),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
