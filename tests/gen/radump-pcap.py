#!/usr/bin/env python3
"""radump-pcap.py - writes tests/data/radump-crafted.pcap, the payloads radump's
suite needs and no shared capture has: a DNS name whose compression pointer
points at itself, DNS answers cut short, a TXT record holding the delimiter,
a quote and a newline, TLS on 8443 and HTTP on 9999 (found by sniffing),
passwords for Obfuscate (FTP, POP3, IMAP, HTTP Basic), SMTP and SIP.

    python3 tests/gen/radump-pcap.py tests/data/radump-crafted.pcap

Every packet is Ethernet/IPv4 with correct lengths; the payloads are the point.
"""
import struct
import sys

CLIENT, SERVER = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip(src, dst, proto, l4):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + l4


def udp(src, dst, sport, dport, data):
    return ip(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data)


def tcp(src, dst, sport, dport, seq, ack, flags, data):
    return ip(src, dst, 6, struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data)


def ether(pkt):
    return b"\x00\x00\x00\x00\x00\x02" + b"\x00\x00\x00\x00\x00\x01" + b"\x08\x00" + pkt


def name(n):
    return b"".join(bytes([len(p)]) + p.encode() for p in n.split(".") if p) + b"\0"


def dns(id_, flags, qs, ans=b"", an=0, ns=0, ar=0):
    return struct.pack("!HHHHHH", id_, flags, len(qs), an, ns, ar) + b"".join(qs) + ans


def q(n, t=1):
    return name(n) + struct.pack("!HH", t, 1)


def rr(n, t, ttl, data):
    return n + struct.pack("!HHIH", t, 1, ttl, len(data)) + data


def tcp_session(sport, dport, c2s, s2c):
    """A handshake, one segment each way, a FIN each way."""
    c, s = CLIENT, SERVER
    out = [tcp(c, s, sport, dport, 100, 0, 0x02, b""), tcp(s, c, dport, sport, 500, 101, 0x12, b""),
           tcp(c, s, sport, dport, 101, 501, 0x10, b"")]
    out.append(tcp(c, s, sport, dport, 101, 501, 0x18, c2s))
    cs = 101 + len(c2s)
    if s2c:
        out.append(tcp(s, c, dport, sport, 501, cs, 0x18, s2c))
    ss = 501 + len(s2c)
    out += [tcp(c, s, sport, dport, cs, ss, 0x11, b""), tcp(s, c, dport, sport, ss, cs + 1, 0x11, b""),
            tcp(c, s, sport, dport, cs + 1, ss + 1, 0x10, b"")]
    return out


def client_hello(sni):
    ext_sni = struct.pack("!HHHBH", 0, len(sni) + 5, len(sni) + 3, 0, len(sni)) + sni.encode()
    alpn = b"\x02h2\x08http/1.1"
    ext_alpn = struct.pack("!HHH", 16, len(alpn) + 2, len(alpn)) + alpn
    exts = ext_sni + ext_alpn
    body = b"\x03\x03" + b"\x11" * 32 + b"\x00" + struct.pack("!H", 4) + b"\x13\x01\xc0\x2f" + b"\x01\x00" + \
        struct.pack("!H", len(exts)) + exts
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def main(path):
    pkts = []
    # 1. a query whose name is a pointer to itself (offset 12)
    pkts.append(udp(CLIENT, SERVER, 40001, 53, dns(1, 0x0100, [b"\xc0\x0c" + struct.pack("!HH", 1, 1)])))
    # 2. a response that claims three answers and holds one and a half
    ans = rr(b"\xc0\x0c", 1, 300, bytes([192, 0, 2, 1])) + b"\xc0\x0c\x00\x01"
    pkts.append(udp(CLIENT, SERVER, 40002, 53, dns(2, 0x0100, [q("cut.example")])))
    pkts.append(udp(SERVER, CLIENT, 53, 40002, dns(2, 0x8180, [q("cut.example")], ans, an=3)))
    # 3. TXT with the delimiter, a quote, a backslash and a newline
    txt = b'a^b"c\\d\ne'
    pkts.append(udp(CLIENT, SERVER, 40003, 53, dns(3, 0x0100, [q("txt.example", 16)])))
    pkts.append(udp(SERVER, CLIENT, 53, 40003,
                    dns(3, 0x8180, [q("txt.example", 16)], rr(b"\xc0\x0c", 16, 60, bytes([len(txt)]) + txt), an=1)))
    # 4. NXDOMAIN with an SOA in the authority section
    soa = name("ns.example") + name("admin.example") + struct.pack("!IIIII", 2024010101, 7200, 3600, 1209600, 300)
    pkts.append(udp(CLIENT, SERVER, 40004, 53, dns(4, 0x0100, [q("nope.example", 28)])))
    pkts.append(udp(SERVER, CLIENT, 53, 40004, dns(4, 0x8183, [q("nope.example", 28)],
                                                 rr(name("example"), 6, 900, soa), ns=1)))
    # 5. TLS on 8443 and HTTP on 9999: no well-known port, found by sniffing
    pkts += tcp_session(40005, 8443, client_hello("sniffed.example"), b"")
    pkts += tcp_session(40006, 9999, b"GET /x HTTP/1.1\r\nHost: sniffed.example\r\nUser-Agent: t/1\r\n\r\n",
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    # 6. an HTTP request cut before its header block ends
    pkts += tcp_session(40007, 80, b"GET /long HTTP/1.1\r\nHost: cut.example\r\nAccept: te", b"")
    # 7. passwords: FTP, POP3, IMAP, HTTP Basic
    pkts += tcp_session(40008, 21, b"USER alice\r\nPASS s3cret\r\nSYST\r\n", b"220 ftp.example FTP server ready\r\n")
    pkts += tcp_session(40009, 110, b"USER bob\r\nPASS hunter2\r\n", b"+OK POP3 ready\r\n")
    pkts += tcp_session(40010, 143, b"a1 LOGIN carol letmein\r\n", b"* OK IMAP4rev1 ready\r\n")
    pkts += tcp_session(40011, 80, b"GET / HTTP/1.1\r\nHost: a.example\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\n\r\n",
                        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
    # 8. SMTP and SIP
    pkts += tcp_session(40012, 25, b"EHLO client.example\r\nMAIL FROM:<a@example>\r\n",
                        b"220 mx.example ESMTP\r\n250-mx.example\r\n250 PIPELINING\r\n")
    pkts.append(udp(CLIENT, SERVER, 5060, 5060,
                    b"INVITE sip:bob@example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\nFrom: <sip:alice@example>;tag=1\r\n"
                    b"To: <sip:bob@example>\r\nCall-ID: abc@10.0.0.1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"))
    pkts.append(udp(SERVER, CLIENT, 5060, 5060,
                    b"SIP/2.0 180 Ringing\r\nFrom: <sip:alice@example>;tag=1\r\nTo: <sip:bob@example>;tag=2\r\n"
                    b"Call-ID: abc@10.0.0.1\r\nCSeq: 1 INVITE\r\n\r\n"))
    # 9. not TLS on 443: a malformed record
    pkts += tcp_session(40013, 443, b"\x16\x09\x09hello", b"")
    with open(path, "wb") as fp:
        fp.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for i, p in enumerate(pkts):
            frame = ether(p)
            fp.write(struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame)


if __name__ == "__main__":
    main(sys.argv[1])
