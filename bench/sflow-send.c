/*
 * sflow-send.c - sends sFlow v5 datagrams over UDP, for tests and the
 * benchmark: either the datagrams found in a capture (UDP to port 6343 or
 * -p) or synthetic ones carrying -g flow samples each, at a given rate.
 *
 *   sflow-send [-f file.pcap] [-p port] [-g samples] [-F flows] [-a agents]
 *              [-s rate] [-I] [-n count] [-R datagrams/s] [-w out.pcap] host port
 *
 * Synthetic datagrams come from agents 10.255.0.1 .. (-a), with datagram
 * and sample sequence numbers that start at 1 and never skip, so a
 * receiver's loss counts are exact; each sample is a raw Ethernet/IPv4/TCP
 * header of a 1000-byte frame (sampling rate -s, default 1000) for one of
 * -F flows; with -I each sample is a sampled IPv4 record (986 bytes) plus an
 * extended switch record (VLAN 100 in, 200 out) instead.  A -f file that is not a capture is sent as one raw datagram.
 * -w writes the datagrams into a pcap file (Ethernet, IPv4, UDP)
 * instead of sending them.  Prints what was sent on stderr.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <errno.h>
#include <netdb.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sflow_udp.h"

#define MAXDG 65536
#define BATCH 64
#define MAX_FILE_DGRAMS 100000

struct dgram { uint8_t *b; size_t n; };

static void put32(uint8_t *p, size_t *n, uint32_t v)
{
	p[(*n)++] = (uint8_t)(v >> 24); p[(*n)++] = (uint8_t)(v >> 16);
	p[(*n)++] = (uint8_t)(v >> 8); p[(*n)++] = (uint8_t)v;
}

static unsigned long num(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "sflow-send: %s: not a number: %s\n", what, s);
		exit(2);
	}
	return v;
}

/* Synthetic datagram number i (0-based) of agent a. */
struct gen { unsigned samples, flows, agents, rate; bool sampled_ip; uint32_t *dseq, *sseq; uint64_t flow_ctr; };

static size_t synth(const struct gen *g, unsigned a, uint8_t *p, uint64_t *flow_ctr)
{
	size_t n = 0;

	put32(p, &n, 5); put32(p, &n, 1); put32(p, &n, 0x0aff0000u + a + 1); put32(p, &n, 0);
	put32(p, &n, ++g->dseq[a]); put32(p, &n, 123456); put32(p, &n, g->samples);
	for (unsigned s = 0; s < g->samples; s++) {
		uint32_t k = (uint32_t)((*flow_ctr)++ % g->flows);
		uint8_t hdr[56];
		size_t h = 0;
		memset(hdr, 0, sizeof(hdr));
		/* Ethernet */
		memcpy(hdr, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00", 14);
		h = 14;
		/* IPv4: 10.k.k.k -> 192.168.0.1, TCP, total length 986 */
		hdr[h] = 0x45; hdr[h + 2] = 986 >> 8; hdr[h + 3] = 986 & 0xff; hdr[h + 8] = 64; hdr[h + 9] = 6;
		hdr[h + 12] = 10; hdr[h + 13] = (uint8_t)(k >> 16); hdr[h + 14] = (uint8_t)(k >> 8);
		hdr[h + 15] = (uint8_t)k;
		hdr[h + 16] = 192; hdr[h + 17] = 168; hdr[h + 18] = 0; hdr[h + 19] = 1;
		h += 20;
		/* TCP: port 1024 + k % 60000 -> 80, ACK */
		hdr[h] = (uint8_t)((1024 + k % 60000) >> 8); hdr[h + 1] = (uint8_t)(1024 + k % 60000);
		hdr[h + 2] = 0; hdr[h + 3] = 80; hdr[h + 12] = 0x50; hdr[h + 13] = 0x10;
		hdr[h + 14] = 0xff; hdr[h + 15] = 0xff;
		if (g->sampled_ip) {
			/* sample with a sampled IPv4 record (32 bytes) and an extended switch
			 * record (16 bytes): VLAN 100 in, 200 out */
			put32(p, &n, 1); put32(p, &n, 32 + 8 + 32 + 8 + 16);
			put32(p, &n, ++g->sseq[a]); put32(p, &n, 3); put32(p, &n, g->rate);
			put32(p, &n, g->sseq[a] * g->rate); put32(p, &n, 0);
			put32(p, &n, 3); put32(p, &n, 4); put32(p, &n, 2);
			put32(p, &n, 3); put32(p, &n, 32);
			put32(p, &n, 986); put32(p, &n, 6);
			put32(p, &n, 0x0a000000u | (k & 0xffffff)); put32(p, &n, 0xc0a80001u);
			put32(p, &n, 1024 + k % 60000); put32(p, &n, 80); put32(p, &n, 0x10); put32(p, &n, 0);
			put32(p, &n, 1001); put32(p, &n, 16);
			put32(p, &n, 100); put32(p, &n, 0); put32(p, &n, 200); put32(p, &n, 0);
			continue;
		}
		/* sample: format 1, length 32 + 8 + 16 + 56 */
		put32(p, &n, 1); put32(p, &n, 32 + 8 + 16 + 56);
		put32(p, &n, ++g->sseq[a]); put32(p, &n, 3); put32(p, &n, g->rate);
		put32(p, &n, g->sseq[a] * g->rate); put32(p, &n, 0);
		put32(p, &n, 3); put32(p, &n, 4); put32(p, &n, 1);
		put32(p, &n, 1); put32(p, &n, 16 + 56);
		put32(p, &n, 1); put32(p, &n, 1004); put32(p, &n, 4); put32(p, &n, 54);
		memcpy(p + n, hdr, 56);
		n += 56;
	}
	return n;
}

/* A file that is not a capture: one raw datagram (a fuzz corpus entry). */
static unsigned load_raw(const char *path, struct dgram *out)
{
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		fprintf(stderr, "sflow-send: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	out->b = malloc(MAXDG);
	if (!out->b)
		exit(1);
	out->n = fread(out->b, 1, MAXDG, fp);
	fclose(fp);
	return 1;
}

/* Datagrams of a capture, in order. */
static unsigned load_file(const char *path, uint16_t port, struct dgram *out, unsigned max)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, eb);
	struct pcap_pkthdr *h;
	const u_char *d;
	unsigned n = 0;

	if (!pc)
		return load_raw(path, out);
	while (n < max && pcap_next_ex(pc, &h, &d) == 1) {
		struct sflow_udp u;
		if (sflow_udp_payload(pcap_datalink(pc), d, h->caplen, port, &u) != SFLOW_UDP_OK)
			continue;
		out[n].b = malloc(u.len ? u.len : 1);
		if (!out[n].b)
			exit(1);
		memcpy(out[n].b, u.payload, u.len);
		out[n].n = u.len;
		n++;
	}
	pcap_close(pc);
	return n;
}

/* Wrap a payload in Ethernet/IPv4/UDP for -w. */
static void dump(pcap_dumper_t *pd, const uint8_t *p, size_t n, uint16_t port, uint64_t i)
{
	static uint8_t f[MAXDG + 64];
	struct pcap_pkthdr h;
	size_t ulen = n + 8, tlen = ulen + 20;

	if (tlen > 65535)
		return;
	memset(f, 0, 42);
	memcpy(f, "\x00\x01\x02\x03\x04\x05\x00\x0a\x0b\x0c\x0d\x0e\x08\x00", 14);
	f[14] = 0x45; f[16] = (uint8_t)(tlen >> 8); f[17] = (uint8_t)tlen; f[22] = 64; f[23] = 17;
	f[26] = 10; f[27] = 255; f[28] = 0; f[29] = 1; f[30] = 127; f[33] = 1;
	f[34] = 0x9c; f[35] = 0x40; f[36] = (uint8_t)(port >> 8); f[37] = (uint8_t)port;
	f[38] = (uint8_t)(ulen >> 8); f[39] = (uint8_t)ulen;
	memcpy(f + 42, p, n);
	h.ts.tv_sec = (time_t)(1700000000 + i / 100000);
	h.ts.tv_usec = (suseconds_t)(i % 100000 * 10);
	h.caplen = h.len = (bpf_u_int32)(n + 42);
	pcap_dump((u_char *)pd, &h, f);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *wfile = NULL;
	unsigned long count = 0, rate = 0;
	uint16_t fport = 6343;
	struct gen g = { 0, 1000, 1, 1000, false, NULL, NULL, 0 };
	struct dgram *dg = NULL;
	unsigned ndg = 0;
	int c, fd = -1;
	struct sockaddr_storage dst;
	socklen_t dlen = 0;
	pcap_dumper_t *pd = NULL;
	pcap_t *dead = NULL;

	while ((c = getopt(argc, argv, "f:p:g:F:a:s:n:R:w:I")) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'p': fport = (uint16_t)num(optarg, "-p"); break;
		case 'g': g.samples = (unsigned)num(optarg, "-g"); break;
		case 'F': g.flows = (unsigned)num(optarg, "-F"); break;
		case 'a': g.agents = (unsigned)num(optarg, "-a"); break;
		case 's': g.rate = (unsigned)num(optarg, "-s"); break;
		case 'n': count = num(optarg, "-n"); break;
		case 'R': rate = num(optarg, "-R"); break;
		case 'w': wfile = optarg; break;
		case 'I': g.sampled_ip = true; break;
		default:
			fprintf(stderr, "usage: sflow-send [-f pcap] [-p port] [-g samples] [-F flows] "
				"[-a agents] [-s rate] [-I] [-n count] [-R dgrams/s] [-w out.pcap] host port\n");
			return 2;
		}
	}
	if ((!file && !g.samples) || (file && g.samples) || g.samples > 400 || !g.flows || !g.agents ||
	    (!wfile && argc - optind != 2)) {
		fprintf(stderr, "sflow-send: give -f pcap or -g samples (1..400), and host port "
			"(or -w out.pcap)\n");
		return 2;
	}
	if (file) {
		dg = calloc(MAX_FILE_DGRAMS, sizeof(*dg));
		if (!dg)
			return 1;
		ndg = load_file(file, fport, dg, MAX_FILE_DGRAMS);
		if (!ndg) {
			fprintf(stderr, "sflow-send: %s: no UDP datagrams to port %u\n", file, fport);
			return 1;
		}
		if (!count)
			count = ndg;
	} else {
		g.dseq = calloc(g.agents, sizeof(uint32_t));
		g.sseq = calloc(g.agents, sizeof(uint32_t));
		if (!g.dseq || !g.sseq)
			return 1;
		if (!count)
			count = 100000;
	}
	if (wfile) {
		dead = pcap_open_dead(DLT_EN10MB, 65535);
		pd = dead ? pcap_dump_open(dead, wfile) : NULL;
		if (!pd) {
			fprintf(stderr, "sflow-send: %s: %s\n", wfile, dead ? pcap_geterr(dead) : "pcap");
			return 1;
		}
	} else {
		struct addrinfo hints, *ai;
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_DGRAM;
		hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
		if (getaddrinfo(argv[optind], argv[optind + 1], &hints, &ai) != 0) {
			fprintf(stderr, "sflow-send: %s %s: not a numeric address and port\n",
				argv[optind], argv[optind + 1]);
			return 2;
		}
		memcpy(&dst, ai->ai_addr, ai->ai_addrlen);
		dlen = ai->ai_addrlen;
		fd = socket(ai->ai_family, SOCK_DGRAM, 0);
		freeaddrinfo(ai);
		if (fd < 0 || connect(fd, (struct sockaddr *)&dst, dlen) != 0) {
			fprintf(stderr, "sflow-send: socket: %s\n", strerror(errno));
			return 1;
		}
	}

	static uint8_t bufs[BATCH][MAXDG];
	struct mmsghdr mm[BATCH];
	struct iovec iov[BATCH];
	unsigned long sent = 0, samples = 0, errors = 0;
	double t0 = now();

	while (sent < count) {
		unsigned n = 0;
		for (; n < BATCH && sent + n < count; n++) {
			unsigned long i = sent + n;
			if (file) {
				iov[n].iov_base = dg[i % ndg].b;
				iov[n].iov_len = dg[i % ndg].n;
			} else {
				iov[n].iov_base = bufs[n];
				iov[n].iov_len = synth(&g, (unsigned)(i % g.agents), bufs[n], &g.flow_ctr);
				samples += g.samples;
			}
			memset(&mm[n], 0, sizeof(mm[n]));
			mm[n].msg_hdr.msg_iov = &iov[n];
			mm[n].msg_hdr.msg_iovlen = 1;
		}
		if (pd) {
			for (unsigned j = 0; j < n; j++)
				dump(pd, iov[j].iov_base, iov[j].iov_len, fport, sent + j);
		} else {
			unsigned done = 0;
			while (done < n) {
				int r = sendmmsg(fd, mm + done, n - done, 0);
				if (r < 0) {
					if (errno == ENOBUFS || errno == EAGAIN || errno == ECONNREFUSED) {
						errors++;
						done++;	/* counted as sent-and-lost: the receiver sees it missing */
						continue;
					}
					fprintf(stderr, "sflow-send: sendmmsg: %s\n", strerror(errno));
					return 1;
				}
				done += (unsigned)r;
			}
		}
		sent += n;
		if (rate) {	/* pace: sleep until this many datagrams are due */
			double due = t0 + (double)sent / (double)rate, t = now();
			if (due > t) {
				struct timespec ts = { (time_t)(due - t), (long)((due - t - (double)(time_t)(due - t)) * 1e9) };
				nanosleep(&ts, NULL);
			}
		}
	}
	double dt = now() - t0;
	if (pd)
		pcap_dump_close(pd);
	if (dead)
		pcap_close(dead);
	fprintf(stderr, "sflow-send: %lu datagrams, %lu flow samples in %.3f s (%.0f datagrams/s, "
		"%.0f samples/s), %lu send errors\n", sent, samples, dt, dt > 0 ? (double)sent / dt : 0.0,
		dt > 0 ? (double)samples / dt : 0.0, errors);
	if (fd >= 0)
		close(fd);
	for (unsigned i = 0; dg && i < ndg; i++)
		free(dg[i].b);
	free(dg);
	free(g.dseq);
	free(g.sseq);
	return 0;
}
