#!/usr/bin/env python3
# gen-flowmodel.py - writes the generated captures argus-flowmodel.bats
# compares with Debian's argus (committed; rerun to regenerate):
#   gen-icmp6-echo.pcap  two ICMPv6 ping sessions (ids 0x1234, 0x4321) between two hosts
#   gen-rtp.pcap         UDP flows that are and are not RTP/RTCP by Argus's tests
import struct, sys, os

def csum(d):
    if len(d) % 2: d += b'\0'
    s = sum(struct.unpack('!%dH' % (len(d) // 2), d))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

ETH4 = b'\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00'
ETH6 = b'\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x86\xdd'

def udp4(src, dst, sp, dp, pl):
    u = struct.pack('!HHHH', sp, dp, 8 + len(pl), 0) + pl
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(u), 1, 0, 64, 17, 0, bytes(src), bytes(dst))
    return ETH4 + ip[:10] + struct.pack('!H', csum(ip)) + ip[12:] + u

def icmp6(src, dst, typ, ident, seq):
    body = struct.pack('!BBHHH', typ, 0, 0, ident, seq) + b'abcdefgh'
    c = csum(src + dst + struct.pack('!I', len(body)) + b'\0\0\0\x3a' + body)
    body = body[:2] + struct.pack('!H', c) + body[4:]
    return ETH6 + struct.pack('!IHBB', 0x60000000, len(body), 58, 64) + src + dst + body

def write(path, pkts):
    with open(path, 'wb') as out:
        out.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, p in pkts:
            out.write(struct.pack('<IIII', int(ts), int(round((ts % 1) * 1e6)), len(p), len(p)) + p)

def rtp(seq, ssrc, pt=0):
    return struct.pack('!BBHII', 0x80, pt, 1000 + seq, seq * 160, ssrc) + b'\xd5' * 160

def rtcp_sr(ssrc):
    return struct.pack('!BBHI', 0x80, 200, 6, ssrc) + b'\0' * 20 + struct.pack('!BBHI', 0x81, 202, 1, ssrc)

here = os.path.dirname(os.path.abspath(sys.argv[0]))
a6 = bytes.fromhex('20010db8000000000000000000000001')
b6 = bytes.fromhex('20010db8000000000000000000000002')
t, pk = 1700000000.0, []
for ident in (0x1234, 0x4321):
    for seq in range(3):
        pk.append((t, icmp6(a6, b6, 128, ident, seq))); t += 0.001
        pk.append((t, icmp6(b6, a6, 129, ident, seq))); t += 1
write(os.path.join(here, 'gen-icmp6-echo.pcap'), pk)

A, B = [10, 0, 0, 1], [10, 0, 0, 2]
# (sport, dport, packets each way, ways, payload(i, direction))
flows = [
    (5004, 5006, 6, 2, lambda i, d: rtp(i, 0x1111 + d)),        # RTP both ways
    (5010, 5012, 5, 1, lambda i, d: rtp(i, 0x3333)),            # RTP, 5 packets one way
    (5020, 5022, 4, 1, lambda i, d: rtp(i, 0x4444)),            # 4 packets: not shown yet
    (5030, 5032, 6, 1, lambda i, d: rtp(i, 0x5555 + (i == 3))), # SSRC changes: not RTP
    (5005, 5007, 4, 2, lambda i, d: rtcp_sr(0x1111 + d)),       # RTCP sender reports
    (40000, 40002, 6, 2, lambda i, d: rtp(i, 0x6666 + d, 96)),  # RTP, dynamic payload type
    (41000, 41002, 6, 2, lambda i, d: b'\x00' * 40),            # version 0: UDP
    (7001, 40010, 6, 2, lambda i, d: rtp(i, 0x7777 + d)),       # AFS port: UDP
    (40020, 500, 6, 2, lambda i, d: rtp(i, 0x8888 + d)),        # a port below 1024: UDP
    (42000, 42002, 6, 2, lambda i, d: b'\xc0' + b'\x01' * 30),  # QUIC long header: UDP
]
t, pk = 1700000000.0, []
for i in range(6):
    for sp, dp, n, ways, pl in flows:
        if i >= n:
            continue
        for d in range(ways):
            s, dd, a, b = (A, B, sp, dp) if d == 0 else (B, A, dp, sp)
            pk.append((t, udp4(s, dd, a, b, pl(i, d)))); t += 0.01
write(os.path.join(here, 'gen-rtp.pcap'), pk)
