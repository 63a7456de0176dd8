/*
 * raban-bench.c - raban's ingest path on one core: synthetic sFlow v5
 * datagrams (Ethernet/IPv4/UDP headers, 8 samples each, rate 1000) to
 * -H distinct destination hosts in 10.0.0.0/8 go through argus's decoder
 * and raban's detector (one host trigger, thresholds high enough that
 * nothing bans), as raban does them after recvmmsg.  Prints samples per
 * second of CPU time, the keys held and the resident memory per key.
 *
 *   raban-bench [-H hosts] [-n samples]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "detect.h"
#include "sflow_in.h"

#define PER_DG 8

static void put32(uint8_t *p, size_t *n, uint32_t v)
{
	p[(*n)++] = (uint8_t)(v >> 24); p[(*n)++] = (uint8_t)(v >> 16);
	p[(*n)++] = (uint8_t)(v >> 8); p[(*n)++] = (uint8_t)v;
}

static size_t datagram(uint8_t *p, uint32_t seq, uint64_t *host, uint64_t hosts)
{
	size_t n = 0;
	put32(p, &n, 5); put32(p, &n, 1); put32(p, &n, 0x0aff0001u); put32(p, &n, 0);
	put32(p, &n, seq); put32(p, &n, 1000); put32(p, &n, PER_DG);
	for (unsigned s = 0; s < PER_DG; s++) {
		uint32_t h = (uint32_t)((*host)++ % hosts);
		uint8_t hdr[44];
		memset(hdr, 0, sizeof(hdr));
		memcpy(hdr, "\x00\x11\x22\x33\x44\x55\x00\x66\x77\x88\x99\xaa\x08\x00", 14);
		hdr[14] = 0x45; hdr[16] = 0x03; hdr[17] = 0xda; hdr[22] = 64; hdr[23] = 17;
		hdr[26] = 198; hdr[27] = 51; hdr[28] = 100; hdr[29] = (uint8_t)h;
		hdr[30] = 10; hdr[31] = (uint8_t)(h >> 16); hdr[32] = (uint8_t)(h >> 8); hdr[33] = (uint8_t)h;
		hdr[34] = 0x30; hdr[35] = 0x39; hdr[36] = 0; hdr[37] = 53;
		put32(p, &n, 1); put32(p, &n, 32 + 8 + 16 + 44);
		put32(p, &n, seq * PER_DG + s); put32(p, &n, 3); put32(p, &n, 1000);
		put32(p, &n, 0); put32(p, &n, 0); put32(p, &n, 3); put32(p, &n, 4); put32(p, &n, 1);
		put32(p, &n, 1); put32(p, &n, 16 + 44);
		put32(p, &n, 1); put32(p, &n, 1004); put32(p, &n, 4); put32(p, &n, 42);
		memcpy(p + n, hdr, 44);
		n += 44;
	}
	return n;
}

static const char conf_text[] =
	"options { min-ban-time 300; max-keys 4m; }\n"
	"prefixes { mine { 10.0.0.0/8; } }\n"
	"triggers { t { networks [ mine ]; directions [ ingress ]; aggregate-type host;\n"
	"  thresholds { pps 100g; bps 100g; } } }\n";

static void report(void *ctx, const char *m) { (void)ctx; fprintf(stderr, "%s\n", m); }
static void on_sample(void *ctx, struct sample *s) { detect_sample(ctx, s); }
static void on_drop(void *ctx, const struct sflow_datagram *d, const char *why)
{
	(void)ctx; (void)d;
	fprintf(stderr, "drop: %s\n", why);
}

static long rss_kb(void)
{
	FILE *fp = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;
	if (fp) {
		if (fscanf(fp, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(fp);
	}
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* CPU time of this thread: the machine may be shared. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	uint64_t hosts = 1000000, samples = 20000000, host = 0;
	struct conf *c = conf_parse("bench.conf", conf_text, sizeof(conf_text) - 1, false, report, NULL);
	struct det_events ev = { NULL, NULL, NULL };
	struct detect *d;
	struct sflow_in in;
	char err[200];
	uint8_t *dgs;
	size_t *lens;
	unsigned ndg = 4096;
	long base;
	double t0, t1;
	int opt;

	while ((opt = getopt(argc, argv, "H:n:")) != -1) {
		if (opt == 'H')
			hosts = strtoull(optarg, NULL, 10);
		else if (opt == 'n')
			samples = strtoull(optarg, NULL, 10);
		else
			return 2;
	}
	if (!c || !hosts || !(d = detect_new(c, &ev, err, sizeof(err))) || !sflow_in_init(&in, c, err, sizeof(err)))
		return 1;
	in.ctx = d;
	in.sample = on_sample;
	in.drop = on_drop;
	dgs = malloc((size_t)ndg * 1500);
	lens = malloc(ndg * sizeof(*lens));
	if (!dgs || !lens)
		return 1;
	base = rss_kb();
	/* first pass: every host once (the table fills) */
	for (uint64_t i = 0; i < hosts / PER_DG + 1; i++) {
		size_t n = datagram(dgs, (uint32_t)i + 1, &host, hosts);
		sflow_in_datagram(&in, dgs, n, 1700000000000ull + i / 4096);
	}
	{
		long kb = rss_kb() - base;
		printf("hosts %llu: resident %ld kB, %.0f bytes per host\n", (unsigned long long)hosts, kb,
		       (double)kb * 1024 / (double)hosts);
	}
	{
		double ingest = 0;
		(void)t1;
		uint64_t done = 0, seq = hosts;
		while (done < samples) {
			for (unsigned j = 0; j < ndg; j++)
				lens[j] = datagram(dgs + (size_t)j * 1500, (uint32_t)++seq, &host, hosts);
			t0 = now();
			for (unsigned j = 0; j < ndg; j++)
				sflow_in_datagram(&in, dgs + (size_t)j * 1500, lens[j], 1700000100000ull + done / 2000);
			detect_tick(d, 1700000100000ull + done / 2000);
			t1 = now();
			ingest += t1 - t0;
			done += (uint64_t)ndg * PER_DG;
		}
		printf("samples %llu in %.3f s: %.2f M samples/s; keys refused %llu\n", (unsigned long long)done,
		       ingest, (double)done / ingest / 1e6, (unsigned long long)detect_stats(d)->keys_full);
	}
	return 0;
}
