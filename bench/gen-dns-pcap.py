#!/usr/bin/env python3
"""gen-dns-pcap.py - a pcap of DNS lookups as a resolver sees them, for
bench/bench-radump.sh: N query/response pairs from a few hundred clients to
four resolvers, 10,000 lookups a second, names from a fixed list of sites
with A, AAAA, CNAME-then-A, MX, TXT, PTR and NXDOMAIN answers, each lookup
on a new source port (one flow each).  Deterministic.

    python3 bench/gen-dns-pcap.py N out.pcap
"""
import random
import struct
import sys

SITES = ["www.example.com", "mail.google.com", "api.github.com", "cdn.jsdelivr.net", "www.debian.org",
         "deb.debian.org", "login.microsoftonline.com", "teams.microsoft.com", "s3.amazonaws.com",
         "www.wikipedia.org", "upload.wikimedia.org", "connectivitycheck.gstatic.com", "time.apple.com",
         "ocsp.digicert.com", "fonts.googleapis.com", "static.xx.fbcdn.net", "www.bbc.co.uk", "news.ycombinator.com"]


def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".")) + b"\0"


def packet(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src, dst)
    return b"\x00\x00\x5e\x00\x01\x01\x00\x16\x3e\x00\x00\x01\x08\x00" + ip + udp


def main(n, path):
    rnd = random.Random(1)
    with open(path, "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        t = 1700000000.0
        for i in range(n):
            client = bytes([10, 1, rnd.randrange(4), rnd.randrange(1, 250)])
            server = bytes([192, 0, 2, 53 + i % 4])
            sport, qid = 1024 + (i * 7919) % 64000, rnd.randrange(65536)
            site = rnd.choice(SITES)
            kind = rnd.randrange(10)
            qtype = {0: 28, 1: 15, 2: 16, 3: 12}.get(kind, 1)
            qname = site if qtype != 12 else "%d.2.0.192.in-addr.arpa" % rnd.randrange(256)
            q = name(qname) + struct.pack("!HH", qtype, 1)
            query = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + q
            ans, an, rcode = b"", 0, 0
            def rr(t, data, owner=b"\xc0\x0c"):
                return owner + struct.pack("!HHIH", t, 1, rnd.choice([60, 300, 3600]), len(data)) + data
            if kind == 9:
                rcode = 3
            elif qtype == 1 and kind >= 7:
                target = name("edge-%d.cdn.example.net" % rnd.randrange(100))
                ans = rr(5, target) + rr(1, bytes([203, 0, 113, rnd.randrange(256)]), b"\xc0" + bytes([12 + len(q)]))
                an = 2
            elif qtype == 1:
                ans = b"".join(rr(1, bytes([198, 51, 100, rnd.randrange(256)])) for _ in range(1 + kind % 3))
                an = 1 + kind % 3
            elif qtype == 28:
                ans, an = rr(28, bytes([0x20, 0x01, 0x0d, 0xb8] + [0] * 10 + [0, rnd.randrange(256)])), 1
            elif qtype == 15:
                ans, an = rr(15, struct.pack("!H", 10) + name("mx1." + site)), 1
            elif qtype == 16:
                txt = b"v=spf1 include:_spf.example.net ~all"
                ans, an = rr(16, bytes([len(txt)]) + txt), 1
            else:
                ans, an = rr(12, name("host-%d.example.org" % rnd.randrange(1000))), 1
            resp = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, an, 0, 0) + q + ans
            for k, frame in enumerate((packet(client, server, sport, 53, query),
                                       packet(server, client, 53, sport, resp))):
                ts = t + k * 0.00005
                fp.write(struct.pack("<IIII", int(ts), int((ts % 1) * 1e6), len(frame), len(frame)) + frame)
            t += 0.0001


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
