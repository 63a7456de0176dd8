/*
 * bench-filter.c - how fast the compiled filter alone runs: flt_match over
 * flows already in memory, so the reader and the printer are not timed.
 *
 *   bench-filter [-n flows] [-r rounds] expression...
 *
 * The flows are a fixed synthetic mix (the same every run): IPv4 mostly,
 * 10% IPv6, TCP 60% (ports 80, 443, 22, 25, ...), UDP 30%, ICMP 10%,
 * sources in 10.0.0.0/8 three times in four.  Prints flows matched and
 * millions of flows a second (best of the rounds).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "filter.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t pick(uint32_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32) % n;
}

static void make(struct ra_flow *f)
{
	static const uint16_t ports[] = { 80, 443, 22, 25, 53, 8080, 3306, 993 };
	uint32_t k = pick(100);

	ra_flow_init(f);
	f->stime = 1704067200000000ull + pick(1000000000);
	f->ltime = f->stime + pick(5000000);
	f->proto = k < 60 ? 6 : k < 90 ? 17 : 1;
	if (pick(10) == 0) {
		f->family = RA_AF_INET6;
		f->saddr.v6[0] = 0x20; f->saddr.v6[1] = 0x01; f->saddr.v6[15] = (uint8_t)pick(256);
		f->daddr.v6[0] = 0x20; f->daddr.v6[1] = 0x01; f->daddr.v6[15] = (uint8_t)pick(256);
	} else {
		f->family = RA_AF_INET;
		f->saddr.v4 = pick(4) ? 0x0a000000u | pick(1u << 24) : 0xc0a80000u | pick(1u << 16);
		f->daddr.v4 = pick(4) ? 0xc0a80000u | pick(1u << 16) : 0x0a000000u | pick(1u << 24);
	}
	f->sport = (uint16_t)(1024 + pick(60000));
	f->dport = ports[pick(8)];
	f->spkts = 1 + pick(100);
	f->dpkts = pick(100);
	f->sbytes = f->spkts * (40 + pick(1400));
	f->dbytes = f->dpkts * (40 + pick(1400));
	f->state = (uint8_t)(1 + pick(10));
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t n = 1000000, len = 0;
	int rounds = 5, c;
	char expr[4096] = "";
	struct ra_err err;
	struct ra_filter *flt;
	struct ra_flow *flows;
	double best = 1e9;
	size_t matched = 0;

	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		if (c == 'n')
			n = strtoul(optarg, NULL, 10);
		else if (c == 'r')
			rounds = (int)strtol(optarg, NULL, 10);
		else
			return 2;
	}
	for (int i = optind; i < argc; i++) {
		size_t l = strlen(argv[i]);
		if (len + l + 2 > sizeof(expr))
			return 2;
		if (len)
			expr[len++] = ' ';
		memcpy(expr + len, argv[i], l + 1);
		len += l;
	}
	ra_err_clear(&err);
	flt = flt_compile(expr, &err);
	if (!flt) {
		fprintf(stderr, "bench-filter: filter: %s\n", err.msg);
		return 2;
	}
	flows = calloc(n ? n : 1, sizeof(*flows));
	if (!flows)
		return 1;
	for (size_t i = 0; i < n; i++)
		make(&flows[i]);
	for (int r = 0; r < rounds; r++) {
		double t = now();
		matched = 0;
		for (size_t i = 0; i < n; i++)
			matched += flt_match(flt, &flows[i]);
		t = now() - t;
		if (t < best)
			best = t;
	}
	printf("%zu of %zu flows matched; %.1f M flows/s (%.2f ns a flow) for: %s\n", matched, n,
	       (double)n / best / 1e6, best * 1e9 / (double)n, expr);
	free(flows);
	flt_free(flt);
	return 0;
}
