/*
 * sflow-bench-decode.c - flow samples per CPU-second through the sFlow
 * decoder, agent table and engine feed alone (the engine is a stub that
 * reads the header bytes it is given), for bench/bench-sflow.sh.
 *
 *   sflow-bench-decode file.pcap [rounds]
 *
 * Loads the UDP/6343 datagrams of the capture into memory, then decodes
 * them `rounds` times (default 10) and prints "samples cpu_seconds rate".
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "sflow_feed.h"
#include "sflow_udp.h"

static uint64_t samples;
static volatile uint32_t sink;

void engine_packet(struct engine *e, int dlt, uint64_t ts_us, const uint8_t *bytes, uint32_t caplen,
		   uint32_t wirelen, uint32_t weight, const struct pkt_origin *origin)
{
	samples++;
	sink += bytes[caplen ? caplen - 1 : 0] + weight + origin->inif;
}

void engine_observation(struct engine *e, uint64_t ts_us, const struct ra_flow *f,
			const struct pkt_origin *origin)
{
	samples++;
}

void engine_emit_status(struct engine *e, const struct ra_status *st) { sink += st->nitems; }
void engine_count_malformed(struct engine *e, const char *reason) { sink += (uint32_t)reason[0]; }

int main(int argc, char **argv)
{
	char eb[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	struct ra_err err;
	static struct sflow_feed feed;
	uint8_t *buf;
	size_t *off, *len, n = 0, cap = 1 << 20, used = 0, bufcap = 256u << 20;
	unsigned rounds = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 10;
	pcap_t *pc;

	if (argc < 2 || !(pc = pcap_open_offline(argv[1], eb))) {
		fprintf(stderr, "usage: sflow-bench-decode file.pcap [rounds]\n");
		return 2;
	}
	buf = malloc(bufcap);
	off = malloc(cap * sizeof(*off));
	len = malloc(cap * sizeof(*len));
	if (!buf || !off || !len || !sflow_feed_init(&feed, NULL, &err))
		return 1;
	while (n < cap && pcap_next_ex(pc, &h, &d) == 1) {
		struct sflow_udp u;
		if (sflow_udp_payload(pcap_datalink(pc), d, h->caplen, SFLOW_PORT, &u) != SFLOW_UDP_OK ||
		    used + u.len > bufcap)
			continue;
		memcpy(buf + used, u.payload, u.len);
		off[n] = used;
		len[n++] = u.len;
		used += u.len;
	}
	pcap_close(pc);

	struct timespec t0, t1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (unsigned r = 0; r < rounds; r++)
		for (size_t i = 0; i < n; i++)
			sflow_feed_datagram(&feed, buf + off[i], len[i], 1700000000000000ull + i);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	double cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("%llu %.3f %.0f\n", (unsigned long long)samples, cpu, cpu > 0 ? (double)samples / cpu : 0.0);
	sflow_feed_free(&feed);
	free(buf);
	free(off);
	free(len);
	return 0;
}
