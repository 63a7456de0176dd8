/*
 * gensite.c - a deterministic capture of a small site's busy five minutes,
 * for the first run (setup.sh run) and for tests that want variety.
 *
 *   gensite -o site.pcap
 *
 * The site is 10.1.0.0/16 behind one link.  Its users browse the web
 * (HTTP with a Host header, HTTPS with a TLS ClientHello carrying the
 * server name), look names up at the site's resolver 10.1.0.53 (real DNS
 * queries and A answers), and an admin works over ssh (version banners,
 * then encrypted-looking bytes).  Two things a report should show: at
 * 10:02 an outside host, 203.0.113.66, sweeps the web server 10.1.0.80
 * with SYNs to 1,000 ports (most answered by a reset), and from 10:03
 * 10.1.7.23 floods 198.51.100.9 with UDP to port 27015.
 * Frames are stored cut to 200 bytes, as a probe with that snap length
 * keeps them: headers and the first bytes of payload.
 *
 * Frames are Ethernet II with correct IPv4, TCP and UDP checksums, TCP
 * connections with handshakes and FINs, and times from 2026-11-02
 * 10:00:00 UTC.  No clock, no rand(): the same bytes every run.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 1793613600ull	/* 2026-11-02 10:00:00 UTC */
#define SNAP 1600	/* the longest payload made */
#define CAPLEN 200	/* bytes of a frame stored, as a probe's snap length would */

struct gen {
	FILE *out;
	uint64_t rng;
	uint64_t now;		/* microseconds */
	unsigned npkts;
};

static uint32_t rnd(struct gen *g)
{
	uint64_t x = g->rng;	/* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->rng = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

static void be16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void be32(uint8_t *p, uint32_t v) { be16(p, v >> 16); be16(p + 2, v & 0xffff); }
static void le32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static unsigned fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

static uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d) { return a << 24 | b << 16 | c << 8 | d; }

/* One frame: Ethernet, IPv4, and a TCP (proto 6) or UDP (17) header before
 * the payload.  flags: TCP flags. */
static void frame(struct gen *g, uint32_t src, uint32_t dst, unsigned proto, unsigned sport, unsigned dport,
		  uint32_t seq, uint32_t ack, unsigned flags, const uint8_t *pay, size_t plen)
{
	uint8_t f[14 + 20 + 20 + SNAP], rec[16];
	size_t l4 = proto == 6 ? 20 : 8, iplen = 20 + l4 + plen, n = 14 + iplen;
	uint8_t *iph = f + 14, *th = iph + 20;
	uint32_t ps;

	if (plen > SNAP)
		return;
	memset(f, 0, 14 + 20 + l4);
	f[0] = 0x02; f[5] = (uint8_t)(dst & 0xff);		/* locally administered MACs */
	f[6] = 0x02; f[11] = (uint8_t)(src & 0xff);
	f[1] = f[7] = 0x10;
	be16(f + 12, 0x0800);
	iph[0] = 0x45;
	be16(iph + 2, (unsigned)iplen);
	be16(iph + 4, g->npkts & 0xffff);
	iph[6] = 0x40;					/* DF */
	iph[8] = (src >> 24) == 10 ? 64 : 52;
	iph[9] = (uint8_t)proto;
	be32(iph + 12, src);
	be32(iph + 16, dst);
	be16(iph + 10, fold(sum16(iph, 20, 0)));
	be16(th, sport);
	be16(th + 2, dport);
	if (proto == 6) {
		be32(th + 4, seq);
		be32(th + 8, ack);
		th[12] = 5 << 4;
		th[13] = (uint8_t)flags;
		be16(th + 14, 64240);
	} else {
		be16(th + 4, (unsigned)(8 + plen));
	}
	if (plen)
		memcpy(th + l4, pay, plen);
	ps = sum16(iph + 12, 8, 0) + proto + (uint32_t)(l4 + plen);
	be16(th + (proto == 6 ? 16 : 6), fold(sum16(th, l4 + plen, ps)));
	le32(rec, (uint32_t)(g->now / 1000000));
	le32(rec + 4, (uint32_t)(g->now % 1000000));
	le32(rec + 8, (uint32_t)(n < CAPLEN ? n : CAPLEN));
	le32(rec + 12, (uint32_t)n);
	fwrite(rec, 1, 16, g->out);
	fwrite(f, 1, n < CAPLEN ? n : CAPLEN, g->out);
	g->npkts++;
}

enum { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16 };

/* A whole TCP connection: handshake, the request and the answer (the
 * answer in segments of up to 1448 bytes), FINs both ways. */
static void tcp_conn(struct gen *g, uint32_t cli, unsigned cport, uint32_t srv, unsigned sport,
		     const uint8_t *req, size_t reqlen, const uint8_t *resp, size_t resplen, size_t fill)
{
	uint32_t cs = rnd(g), ss = rnd(g);
	uint8_t chunk[1448];
	unsigned rtt = 2000 + rnd(g) % 30000;

	frame(g, cli, srv, 6, cport, sport, cs, 0, SYN, NULL, 0);
	g->now += rtt;
	frame(g, srv, cli, 6, sport, cport, ss, cs + 1, SYN | ACK, NULL, 0);
	g->now += 150;
	frame(g, cli, srv, 6, cport, sport, cs + 1, ss + 1, ACK, NULL, 0);
	cs++, ss++;
	g->now += 300;
	frame(g, cli, srv, 6, cport, sport, cs, ss, PSH | ACK, req, reqlen);
	cs += (uint32_t)reqlen;
	g->now += rtt;
	for (size_t off = 0; off < resplen + fill;) {
		size_t n = resplen + fill - off < sizeof(chunk) ? resplen + fill - off : sizeof(chunk);
		for (size_t i = 0; i < n; i++)
			chunk[i] = off + i < resplen ? resp[off + i] : (uint8_t)rnd(g);
		frame(g, srv, cli, 6, sport, cport, ss, cs, PSH | ACK, chunk, n);
		ss += (uint32_t)n;
		off += n;
		g->now += 40 + rnd(g) % 200;
		if ((off / sizeof(chunk)) % 2 == 0)
			frame(g, cli, srv, 6, cport, sport, cs, ss, ACK, NULL, 0);
	}
	g->now += 5000;
	frame(g, cli, srv, 6, cport, sport, cs, ss, FIN | ACK, NULL, 0);
	g->now += rtt;
	frame(g, srv, cli, 6, sport, cport, ss, cs + 1, FIN | ACK, NULL, 0);
	g->now += 100;
	frame(g, cli, srv, 6, cport, sport, cs + 1, ss + 1, ACK, NULL, 0);
}

static const char *const sites[] = {
	"www.example.com", "news.example.org", "cdn.example.net", "mail.example.com", "git.example.org",
	"wiki.example.net", "shop.example.com", "api.example.org",
};
#define NSITES (sizeof(sites) / sizeof(sites[0]))
static uint32_t site_addr(unsigned i) { return ip(93, 184, 216, 10 + i); }

static size_t dns_name(uint8_t *p, const char *name)
{
	size_t n = 0;
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		p[n++] = (uint8_t)l;
		memcpy(p + n, name, l);
		n += l;
		name += l + (dot != NULL);
	}
	p[n++] = 0;
	return n;
}

/* A query for name's A record, and the resolver's answer. */
static void dns_lookup(struct gen *g, uint32_t cli, unsigned i)
{
	uint8_t q[300], a[300];
	unsigned id = rnd(g) & 0xffff, port = 30000 + rnd(g) % 30000;
	size_t n = 12;

	memset(q, 0, 12);
	be16(q, id);
	be16(q + 2, 0x0100);			/* standard query, recursion desired */
	be16(q + 4, 1);
	n += dns_name(q + n, sites[i]);
	be16(q + n, 1), be16(q + n + 2, 1);	/* A, IN */
	n += 4;
	memcpy(a, q, n);
	be16(a + 2, 0x8180);			/* response, RD, RA, no error */
	be16(a + 6, 1);
	memcpy(a + n, "\xc0\x0c\x00\x01\x00\x01", 6);	/* the question's name, A, IN */
	be32(a + n + 6, 300);
	be16(a + n + 10, 4);
	be32(a + n + 12, site_addr(i));
	frame(g, cli, ip(10, 1, 0, 53), 17, port, 53, 0, 0, 0, q, n);
	g->now += 800 + rnd(g) % 4000;
	frame(g, ip(10, 1, 0, 53), cli, 17, 53, port, 0, 0, 0, a, n + 16);
}

static size_t client_hello(uint8_t *p, const char *sni, struct gen *g)
{
	size_t n = 0, sl = strlen(sni), ext;

	p[n++] = 22; be16(p + n, 0x0301); n += 2;	/* handshake record */
	n += 2;						/* record length, later */
	p[n++] = 1;					/* ClientHello */
	n += 3;						/* its length, later */
	be16(p + n, 0x0303); n += 2;
	for (int i = 0; i < 32; i++)
		p[n++] = (uint8_t)rnd(g);
	p[n++] = 0;					/* no session id */
	be16(p + n, 4); n += 2;
	be16(p + n, 0x1301); be16(p + n + 2, 0xc02f); n += 4;
	p[n++] = 1; p[n++] = 0;				/* null compression */
	ext = n; n += 2;
	be16(p + n, 0); be16(p + n + 2, (unsigned)(sl + 5)); n += 4;	/* server_name */
	be16(p + n, (unsigned)(sl + 3)); p[n + 2] = 0; be16(p + n + 3, (unsigned)sl); n += 5;
	memcpy(p + n, sni, sl); n += sl;
	be16(p + n, 16); be16(p + n + 2, 14); be16(p + n + 4, 12); n += 6;	/* ALPN: h2, http/1.1 */
	memcpy(p + n, "\x02h2\x08http/1.1", 12); n += 12;
	be16(p + ext, (unsigned)(n - ext - 2));
	be16(p + 3, (unsigned)(n - 5));
	p[6] = 0; be16(p + 7, (unsigned)(n - 9));
	return n;
}

static void web(struct gen *g, uint32_t cli, unsigned i, bool tls)
{
	uint8_t req[600], resp[600];
	size_t rl, sl, fill = 500 + rnd(g) % 20000;
	unsigned cport = 40000 + rnd(g) % 20000;
	int k;

	if (tls) {
		rl = client_hello(req, sites[i], g);
		memcpy(resp, "\x16\x03\x03\x00\x31\x02\x00\x00\x2d\x03\x03", 11);	/* ServerHello */
		for (sl = 11; sl < 43; sl++)
			resp[sl] = (uint8_t)rnd(g);
		memcpy(resp + 43, "\x00\x13\x01\x00\x00\x05\x00\x2b\x00\x02\x03\x04", 12);
		sl = 55;
		tcp_conn(g, cli, cport, site_addr(i), 443, req, rl, resp, sl, fill);
		return;
	}
	k = snprintf((char *)req, sizeof(req),
		     "GET /index.html HTTP/1.1\r\nHost: %s\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
		     "Accept: */*\r\n\r\n", sites[i]);
	rl = (size_t)k;
	k = snprintf((char *)resp, sizeof(resp),
		     "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n", fill);
	sl = (size_t)k;
	tcp_conn(g, cli, cport, site_addr(i), 80, req, rl, resp, sl, fill);
}

int main(int argc, char **argv)
{
	struct gen g = { .rng = 0x5eed5eed5eedull, .now = T0 * 1000000ull };
	const char *path = NULL;
	uint8_t hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };
	int c;

	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c != 'o') {
			fprintf(stderr, "usage: gensite -o out.pcap\n");
			return 2;
		}
		path = optarg;
	}
	if (!path || optind != argc) {
		fprintf(stderr, "usage: gensite -o out.pcap\n");
		return 2;
	}
	g.out = fopen(path, "wb");
	if (!g.out) {
		fprintf(stderr, "gensite: %s: %s\n", path, strerror(errno));
		return 1;
	}
	le32(hdr + 16, CAPLEN);
	le32(hdr + 20, 1);				/* Ethernet */
	fwrite(hdr, 1, sizeof(hdr), g.out);

	/* five minutes in steps of about a second: users browse, look names
	 * up, an admin types; the scan at 10:02, the flood from 10:03 */
	for (unsigned sec = 0; sec < 300; sec++) {
		uint64_t start = (T0 + sec) * 1000000ull;
		if (g.now < start)
			g.now = start;
		for (unsigned u = 0; u < 1 + sec % 2; u++) {
			unsigned net = 2 + rnd(&g) % 6, host = 10 + rnd(&g) % 40;	/* in this order: not as arguments */
			uint32_t cli = ip(10, 1, net, host);
			unsigned i = rnd(&g) % NSITES;
			dns_lookup(&g, cli, i);
			web(&g, cli, i, rnd(&g) % 3 != 0);
		}
		if (sec % 60 == 5) {
			static const uint8_t cb[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n";
			static const uint8_t sb[] = "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u3\r\n";
			tcp_conn(&g, ip(10, 1, 9, 4), 50000 + sec, ip(10, 1, 0, 22), 22, cb, sizeof(cb) - 1, sb,
				 sizeof(sb) - 1, 30000);
		}
		if (sec == 120)	/* the sweep: 1,000 ports in about a second */
			for (unsigned p = 1; p <= 1000; p++) {
				uint32_t seq = rnd(&g);
				g.now += 900;
				frame(&g, ip(203, 0, 113, 66), ip(10, 1, 0, 80), 6, 61000, p, seq, 0, SYN, NULL, 0);
				g.now += 100;
				if (p == 80 || p == 443)
					frame(&g, ip(10, 1, 0, 80), ip(203, 0, 113, 66), 6, p, 61000, rnd(&g), seq + 1,
					      SYN | ACK, NULL, 0);
				else if (p % 10 != 0)	/* a tenth filtered: no answer */
					frame(&g, ip(10, 1, 0, 80), ip(203, 0, 113, 66), 6, p, 61000, 0, seq + 1,
					      RST | ACK, NULL, 0);
			}
		if (sec >= 180 && sec < 240) {	/* the flood: 60 s of 1,200-byte datagrams */
			uint8_t junk[1200];
			for (unsigned k = 0; k < 25; k++) {
				for (size_t i = 0; i < sizeof(junk); i += 4)
					be32(junk + i, rnd(&g));
				frame(&g, ip(10, 1, 7, 23), ip(198, 51, 100, 9), 17, 40000 + k % 4, 27015, 0, 0, 0, junk,
				      sizeof(junk));
				g.now += 35000;
			}
		}
	}
	if (fclose(g.out) != 0) {
		fprintf(stderr, "gensite: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}
