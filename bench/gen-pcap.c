/*
 * gen-pcap.c - a deterministic generator of large, realistic pcap files for
 * benchmarking the capture daemon.
 *
 *   gen-pcap [-n packets] [-f flows] [-s seed] [-r pps] [-c caplen] -o out.pcap
 *
 * Keeps `flows` conversations going at once (hundreds of thousands if
 * asked) and picks one at random for every packet, so the flow table sees
 * the interleaving of a busy link.  A conversation is one of: an IPv4 TCP
 * connection (SYN, SYN-ACK, ACK, data both ways, FIN both ways, last ACK),
 * a UDP request/response exchange, an ICMP echo exchange, or an IPv6 TCP or
 * UDP conversation; when it ends, a new one with new addresses and ports
 * takes its place.  Packets are stored cut to caplen bytes (default 96,
 * headers only) with their full length on the wire, at `pps` packets per
 * second of capture time (default 1,000,000).  The same arguments always
 * give the same bytes (a fixed xorshift generator, no clock, no rand()).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum kind { K_TCP4, K_UDP4, K_ICMP4, K_TCP6, K_UDP6, K_COUNT };

struct conv {
	uint8_t kind;
	uint16_t step, steps;		/* packets sent so far, packets in total */
	uint32_t cli, srv;		/* IPv4 addresses (IPv6 built from them) */
	uint16_t cport, sport;
	uint32_t cseq, sseq;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static void le32(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24); }

static void new_conv(struct conv *c)
{
	uint64_t r = rnd();
	unsigned k = (unsigned)(r % 100);

	c->kind = k < 55 ? K_TCP4 : k < 75 ? K_UDP4 : k < 80 ? K_ICMP4 : k < 92 ? K_TCP6 : K_UDP6;
	c->step = 0;
	c->cli = 0x0a000000u | (uint32_t)(rnd() & 0xffffff);		/* 10/8 clients */
	c->srv = 0xc0a80000u | (uint32_t)(rnd() & 0xffff);		/* 192.168/16 servers */
	c->cport = (uint16_t)(1024 + rnd() % 64000);
	static const uint16_t sports[] = { 80, 443, 53, 22, 25, 8080, 3306, 123 };
	c->sport = sports[rnd() % 8];
	c->cseq = (uint32_t)rnd();
	c->sseq = (uint32_t)rnd();
	unsigned data = (unsigned)(2 + rnd() % 20);
	switch (c->kind) {
	case K_TCP4: case K_TCP6: c->steps = (uint16_t)(3 + data + 3); break;
	default: c->steps = (uint16_t)(2 * (1 + rnd() % 4)); break;
	}
}

/* Build packet number c->step of the conversation into buf; returns wire length. */
static unsigned build(struct conv *c, uint8_t *buf, unsigned *caplen_hdr)
{
	bool v6 = c->kind == K_TCP6 || c->kind == K_UDP6;
	bool tcp = c->kind == K_TCP4 || c->kind == K_TCP6;
	bool icmp = c->kind == K_ICMP4;
	unsigned s = c->step, n = c->steps;
	bool from_cli;
	uint8_t flags = 0x10;
	unsigned pay = 0;

	if (tcp) {
		if (s == 0) { from_cli = true; flags = 0x02; }
		else if (s == 1) { from_cli = false; flags = 0x12; }
		else if (s == 2) { from_cli = true; flags = 0x10; }
		else if (s == n - 3) { from_cli = true; flags = 0x11; }
		else if (s == n - 2) { from_cli = false; flags = 0x11; }
		else if (s == n - 1) { from_cli = true; flags = 0x10; }
		else { from_cli = (s & 1); flags = 0x18; pay = from_cli ? 100 + (unsigned)(rnd() % 400) : 200 + (unsigned)(rnd() % 1200); }
	} else {
		from_cli = !(s & 1);
		pay = from_cli ? 40 + (unsigned)(rnd() % 60) : 60 + (unsigned)(rnd() % 400);
	}
	uint8_t *p = buf;
	/* Ethernet */
	memcpy(p, from_cli ? "\x00\x16\x3e\x00\x00\x02" : "\x00\x16\x3e\x00\x00\x01", 6);
	memcpy(p + 6, from_cli ? "\x00\x16\x3e\x00\x00\x01" : "\x00\x16\x3e\x00\x00\x02", 6);
	put16(p + 12, v6 ? 0x86dd : 0x0800);
	p += 14;
	unsigned l4 = tcp ? 20 : 8;
	uint32_t src = from_cli ? c->cli : c->srv, dst = from_cli ? c->srv : c->cli;
	if (v6) {
		memset(p, 0, 40);
		p[0] = 0x60;
		put16(p + 4, (uint16_t)(l4 + pay));
		p[6] = tcp ? 6 : 17;
		p[7] = 64;
		put16(p + 8, 0x2001); put16(p + 10, 0x0db8); put32(p + 20, src);
		put16(p + 24, 0x2001); put16(p + 26, 0x0db8); put32(p + 36, dst);
		p += 40;
	} else {
		memset(p, 0, 20);
		p[0] = 0x45;
		put16(p + 2, (uint16_t)(20 + l4 + pay));
		put16(p + 4, (uint16_t)rnd());
		p[8] = 64;
		p[9] = tcp ? 6 : icmp ? 1 : 17;
		put32(p + 12, src);
		put32(p + 16, dst);
		p += 20;
	}
	memset(p, 0, l4);
	if (icmp) {
		p[0] = from_cli ? 8 : 0;
		put16(p + 4, c->cport);
		put16(p + 6, (uint16_t)(s / 2));
	} else {
		put16(p, from_cli ? c->cport : c->sport);
		put16(p + 2, from_cli ? c->sport : c->cport);
		if (tcp) {
			uint32_t *seq = from_cli ? &c->cseq : &c->sseq;
			put32(p + 4, *seq);
			put32(p + 8, from_cli ? c->sseq : c->cseq);
			p[12] = 0x50;
			p[13] = flags;
			put16(p + 14, 65535);
			*seq += pay + ((flags & 0x03) ? 1 : 0);
		} else
			put16(p + 4, (uint16_t)(8 + pay));
	}
	p += l4;
	*caplen_hdr = (unsigned)(p - buf);
	memset(p, 'x', pay < 64 ? pay : 64);
	c->step++;
	return *caplen_hdr + pay;
}

static void usage(void)
{
	fprintf(stderr, "usage: gen-pcap [-n packets] [-f flows] [-s seed] [-r pps] [-c caplen] -o out.pcap\n");
	exit(2);
}

static unsigned long num(const char *s)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (end == s || *end || errno)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	unsigned long npkts = 5000000, nflows = 200000, seed = 1, pps = 1000000, snap = 96;
	const char *out = NULL;
	int ch;

	while ((ch = getopt(argc, argv, "n:f:s:r:c:o:")) != -1) {
		switch (ch) {
		case 'n': npkts = num(optarg); break;
		case 'f': nflows = num(optarg); break;
		case 's': seed = num(optarg); break;
		case 'r': pps = num(optarg); break;
		case 'c': snap = num(optarg); break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (!out || !nflows || !pps || snap < 64 || snap > 65535)
		usage();
	FILE *fp = strcmp(out, "-") ? fopen(out, "wb") : stdout;
	if (!fp) {
		fprintf(stderr, "gen-pcap: %s: %s\n", out, strerror(errno));
		return 1;
	}
	static char iobuf[1 << 20];
	setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);
	struct conv *convs = calloc(nflows, sizeof *convs);
	if (!convs) {
		fprintf(stderr, "gen-pcap: out of memory\n");
		return 1;
	}
	rng_state = 0x9e3779b97f4a7c15ULL ^ (seed * 0x2545f4914f6cdd1dULL);
	if (!rng_state)
		rng_state = 1;
	for (unsigned long i = 0; i < nflows; i++)
		new_conv(&convs[i]);

	uint8_t gh[24];
	le32(gh, 0xa1b2c3d4);
	gh[4] = 2; gh[5] = 0; gh[6] = 4; gh[7] = 0;
	le32(gh + 8, 0);
	le32(gh + 12, 0);
	le32(gh + 16, (uint32_t)snap);
	le32(gh + 20, 1);
	fwrite(gh, 1, sizeof gh, fp);

	uint64_t t0 = 1700000000ull * 1000000ull;
	uint8_t pkt[2048], rh[16];
	for (unsigned long i = 0; i < npkts; i++) {
		struct conv *c = &convs[rnd() % nflows];
		unsigned hdr;
		unsigned wire = build(c, pkt, &hdr);
		unsigned cap = wire < snap ? wire : (unsigned)snap;
		uint64_t ts = t0 + (uint64_t)i * 1000000ull / pps;
		le32(rh, (uint32_t)(ts / 1000000));
		le32(rh + 4, (uint32_t)(ts % 1000000));
		le32(rh + 8, cap);
		le32(rh + 12, wire);
		fwrite(rh, 1, 16, fp);
		fwrite(pkt, 1, cap, fp);
		if (c->step >= c->steps)
			new_conv(c);
	}
	free(convs);
	if (fclose(fp) != 0) {
		fprintf(stderr, "gen-pcap: %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;
}
