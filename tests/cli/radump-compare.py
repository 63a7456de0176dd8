#!/usr/bin/env python3
"""radump-compare.py - what radump decodes against what tshark decodes.

usage: radump-compare.py dns|tls|http CAPTURE RADUMP_OUTPUT

RADUMP_OUTPUT is `radump -n -c '^' -L -1 -s saddr sport daddr dport suser duser`
for `argus -U 512` records of CAPTURE.  Each side's decoded payload is matched
with the packet tshark decodes for the same flow (DNS: by id and query name,
TLS and HTTP: by the flow's addresses and ports) and compared:

  dns   every query name and type; every A, AAAA and CNAME record
  tls   the ClientHello's server name (SNI)
  http  the request's Host

A difference is explained when radump's text is cut ([|proto]) because the
payload stops at the captured bytes: then what radump shows must be a part of
what tshark shows.  Prints one line per difference and a count; exits 1 when a
difference is not explained, or when nothing was compared.
"""
import re
import subprocess
import sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "PTR": 12, "HINFO": 13, "MX": 15, "TXT": 16,
         "AAAA": 28, "SRV": 33, "NAPTR": 35, "OPT": 41, "DS": 43, "RRSIG": 46, "NSEC": 47,
         "DNSKEY": 48, "NSEC3": 50, "SVCB": 64, "HTTPS": 65, "AXFR": 252, "ANY": 255, "CAA": 257}


def tshark(cap, filt, fields):
    cmd = ["tshark", "-r", cap, "-Y", filt, "-T", "fields", "-E", "aggregator=|"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines()]


def radump_rows(path):
    rows = []
    with open(path, encoding="ascii") as fp:
        for line in fp:
            parts = line.rstrip("\n").split("^")
            if len(parts) != 6:
                sys.exit("radump line does not split into 6 fields on '^': " + line)
            rows.append(parts)
    return rows


def body(cell):
    m = re.match(r"^[sd]\[\d+\]=(.*)$", cell)
    return m.group(1) if m else None


def unescape(s):
    """radump writes bytes outside printable ASCII as \\xHH: back to text (UTF-8)."""
    raw = re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s.encode("ascii"))
    return raw.decode("utf-8", errors="replace")


def norm_name(n):
    n = unescape(n)
    if n == ".":
        return "<Root>"
    return n[:-1] if n.endswith(".") else n


def qtype(t):
    return TYPES.get(t, int(t[4:]) if t.startswith("TYPE") else -1)


def dns_side(text):
    """(id, response, [(name, type)], {(type, data)}, cut) from one decoded side."""
    first = text.split("; ")[0]          # TCP: the first message
    m = re.match(r"^(\d+)(?: [A-Za-z]+\d*)?([*\-|$+]*)", first)
    if not m:
        return None
    rid = int(m.group(1))
    response = " q: " in first or bool(re.match(r"^\d+( \w+)?[*\-|$]*( \w+)? \d+/\d+/\d+", first))
    qs = [(norm_name(n), qtype(t)) for t, n in re.findall(r"(\S+)\? (\S+)", first)]
    recs = set()
    for name, ttl, typ, data in re.findall(
            r"(?:^|, | ns: | ar: | \d+/\d+/\d+ )(\S+) (\d+) (?:CH |HS |ANY |CLASS\d+ )?(A|AAAA|CNAME) ([^ ,\[]+)",
            first):
        recs.add((typ, norm_name(data) if typ == "CNAME" else data))
    return rid, response, qs, recs, "[|dns]" in first or "[|radump]" in first


def compare_dns(cap, rows):
    packets = []
    for f in tshark(cap, "dns or mdns or llmnr", ["dns.id", "dns.flags.response", "dns.qry.name", "dns.qry.type",
                                 "dns.a", "dns.aaaa", "dns.cname"]):
        f += [""] * (7 - len(f))
        if not f[0]:
            continue
        names = f[2].split("|") if f[2] else []
        types = [int(t) for t in f[3].split("|")] if f[3] else []
        recs = {("A", a) for a in f[4].split("|") if a} | {("AAAA", a) for a in f[5].split("|") if a} | \
               {("CNAME", c) for c in f[6].split("|") if c}
        packets.append((int(f[0].split("|")[0], 16), f[1].split("|")[0] in ("1", "True"),
                        list(zip(names, types)), recs))
    same = diffs = bad = 0
    for row in rows:
        for cell in row[4:6]:
            text = body(cell)
            if not text:
                continue
            side = dns_side(text)
            if side is None:
                print("diff: not a DNS message: %s" % text[:80])
                bad += 1
                continue
            rid, resp, qs, recs, cut = side
            cands = [p for p in packets if p[0] == rid and p[1] == resp and p[2][:len(qs)] == qs]
            if not cands:
                print("diff: no tshark packet with id %d, %s, questions %s: %s" %
                      (rid, "response" if resp else "query", qs, text[:120]))
                bad += 1
                continue
            if any(p[2] == qs and p[3] == recs for p in cands):
                same += 1
            elif cut and any(recs <= p[3] for p in cands):
                diffs += 1
                print("diff (explained: payload cut at the captured bytes): id %d shows %d of the records"
                      % (rid, len(recs)))
            else:
                print("diff: id %d: radump %s %s, tshark %s" % (rid, qs, sorted(recs),
                                                              [(p[2], sorted(p[3])) for p in cands]))
                bad += 1
    return same, diffs, bad


def flow_key(a, sp, b, dp):
    return (a, sp, b, dp)


def compare_first(cap, rows, filt, field, pattern, proto):
    seen = {}
    for f in tshark(cap, filt, ["ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
                                "tcp.dstport", field]):
        f += [""] * (7 - len(f))
        key = flow_key(f[0] or f[1], f[2], f[3] or f[4], f[5])
        seen.setdefault(key, f[6].split("|")[0])
    same = diffs = bad = 0
    done = set()
    for row in rows:
        text = body(row[4])
        key = flow_key(row[0], row[1], row[2], row[3])
        if not text or key not in seen or key in done:
            continue
        done.add(key)      # a long flow's later records carry later bytes: the first one counts
        m = re.search(pattern, text)
        mine = m.group(1) if m else None
        if mine == seen[key] or (mine is None and seen[key] == ""):
            same += 1
        elif mine is None and ("[|%s]" % proto) in text:
            diffs += 1
            print("diff (explained: the captured bytes end before it): %s %s wants %s" %
                  (" ".join(key), proto, seen[key]))
        else:
            bad += 1
            print("diff: %s radump %s tshark %s" % (" ".join(key), mine, seen[key]))
    return same, diffs, bad


def main():
    mode, cap, out = sys.argv[1:4]
    rows = radump_rows(out)
    if mode == "dns":
        same, diffs, bad = compare_dns(cap, rows)
    elif mode == "tls":
        same, diffs, bad = compare_first(cap, rows, "tls.handshake.type == 1",
                                         "tls.handshake.extensions_server_name", r" sni=([^ ,]+)", "tls")
    else:
        same, diffs, bad = compare_first(cap, rows, "http.request", "http.host", r"; Host: ([^;]+?)(?:;|$| \[)",
                                         "http")
    print("%s: %d same, %d explained differences, %d unexplained" % (mode, same, diffs, bad))
    sys.exit(1 if bad or same == 0 else 0)


if __name__ == "__main__":
    main()
