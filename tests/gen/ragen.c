/*
 * ragen.c - a deterministic generator of synthetic flow records, for tests
 * and benchmarks that need many records before (or without) the daemon.
 *
 *   ragen -n COUNT [-s SEED] [-w FILE] [-p] [-t START] [-i USEC|-g USEC] [-a HOSTS]
 *
 * -p adds captured payload; -t: the first record's second since the epoch
 * (2024-01-01 00:00:00 UTC); -i: microseconds between records (1000); -a:
 * IPv4 sources drawn from 10.0.0.1 to 10.0.0.HOSTS rather than 10.0.0.0/16.
 *
 * The same count and seed always give the same bytes.  The mix: IPv4 mostly
 * from 10.0.0.0/8 towards a few hundred servers, 10% IPv6, TCP (web, ssh,
 * dns over tcp), UDP (dns, ntp), ICMP echo, with Argus's state words.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "stream.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;	/* xorshift64* */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

static uint32_t pick(uint32_t n) { return (uint32_t)(rnd() % n); }

static uint64_t step_us = 1000;	/* -i, -g: microseconds between records' starts */
static uint64_t start_us = 1704067200000000ull;	/* 2024-01-01 00:00:00 UTC */
static uint32_t hosts;	/* 0: 10.0.0.0/16 */

static void make(struct ra_flow *f, uint64_t i, bool payload)
{
	static const uint16_t tcp_ports[] = { 80, 443, 22, 25, 53, 8080, 3306, 993 };
	static const uint16_t udp_ports[] = { 53, 123, 161, 514, 443, 5353 };
	static const uint8_t tcp_states[] = { RA_ST_CON, RA_ST_FIN, RA_ST_RST, RA_ST_REQ, RA_ST_ACC, RA_ST_CLO };
	static const char http[] = "GET /index.html HTTP/1.1\r\nHost: example.org\r\n\r\n";
	uint32_t kind = pick(100);
	uint64_t dur;

	ra_flow_init(f);
	f->stime = start_us + i * step_us + pick(1000);
	dur = pick(10) < 3 ? 0 : pick(5000000);
	f->ltime = f->stime + dur;
	f->cause = RA_CAUSE_START;
	f->flgs = RA_FL_ETHER;
	if (pick(10) == 0) {
		f->family = RA_AF_INET6;
		f->saddr.v6[0] = 0x20; f->saddr.v6[1] = 0x01; f->saddr.v6[2] = 0x0d; f->saddr.v6[3] = 0xb8;
		f->saddr.v6[15] = (uint8_t)pick(256); f->saddr.v6[14] = (uint8_t)pick(16);
		f->daddr.v6[0] = 0x20; f->daddr.v6[1] = 0x01; f->daddr.v6[2] = 0x0d; f->daddr.v6[3] = 0xb8;
		f->daddr.v6[7] = 1; f->daddr.v6[15] = (uint8_t)pick(64);
	} else {
		f->family = RA_AF_INET;
		f->saddr.v4 = 0x0a000000u | (hosts ? 1 + pick(hosts) : pick(1u << 16));	/* 10.0.x.y */
		f->daddr.v4 = pick(4) == 0 ? 0x0a010000u | pick(256) : 0xc0a80000u | pick(512);
	}
	f->sttl = 64;
	f->dttl = (uint8_t)(64 - pick(8));
	if (kind < 60) {
		f->proto = 6;
		f->sport = (uint16_t)(1024 + pick(60000));
		f->dport = tcp_ports[pick(8)];
		f->state = tcp_states[pick(6)];
		f->dir = RA_DIR_FWD;
		f->spkts = 1 + pick(40);
		f->dpkts = f->state == RA_ST_REQ ? 0 : 1 + pick(60);
		f->stcpflags = RA_TCP_SYN | RA_TCP_ACK | (f->state == RA_ST_FIN ? RA_TCP_FIN : 0);
		f->dtcpflags = f->dpkts ? RA_TCP_SYN | RA_TCP_ACK : 0;
		if (f->state == RA_ST_RST)
			f->dtcpflags |= RA_TCP_RST;
		RA_SET(f, RA_BLK_TCP);
		f->synack = pick(2000);
		f->ackdat = pick(500);
		f->sretrans = pick(20) == 0 ? 1 + pick(3) : 0;
		f->dretrans = pick(30) == 0 ? 1 : 0;
	} else if (kind < 90) {
		f->proto = 17;
		f->sport = (uint16_t)(1024 + pick(60000));
		f->dport = udp_ports[pick(6)];
		f->state = pick(3) ? RA_ST_CON : RA_ST_INT;
		f->dir = f->state == RA_ST_CON ? RA_DIR_BOTH : RA_DIR_FWD;
		f->spkts = 1 + pick(4);
		f->dpkts = f->state == RA_ST_CON ? 1 + pick(4) : 0;
	} else {
		f->proto = f->family == RA_AF_INET6 ? 58 : 1;
		f->sport = f->proto == 1 ? 8 : 128;
		f->dport = (uint16_t)pick(65536);
		f->state = pick(4) ? RA_ST_ECO : RA_ST_ECR;
		f->dir = RA_DIR_BOTH;
		f->spkts = 1 + pick(5);
		f->dpkts = f->spkts;
	}
	f->sbytes = f->spkts * (60 + pick(1400));
	f->dbytes = f->dpkts * (60 + pick(1400));
	f->sappbytes = f->sbytes / 2;
	f->dappbytes = f->dbytes / 2;
	if (payload && f->proto == 6 && f->dport == 80) {
		RA_SET(f, RA_BLK_PAYLOAD_SRC);
		f->spayload = (const uint8_t *)http;
		f->spaylen = (uint16_t)(sizeof(http) - 1);
	}
	f->seq = (uint32_t)i + 1;
}

int main(int argc, char **argv)
{
	unsigned long long n = 1000, seed = 1;
	const char *path = "-";
	bool payload = false;
	struct ra_err err;
	struct ra_writer *w;
	struct ra_flow f;
	int c;

	while ((c = getopt(argc, argv, "n:s:w:pt:i:g:a:")) != -1) {
		switch (c) {
		case 'n': n = strtoull(optarg, NULL, 10); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'w': path = optarg; break;
		case 'p': payload = true; break;
		case 't': start_us = strtoull(optarg, NULL, 10) * 1000000ull; break;
		case 'i':
		case 'g': step_us = strtoull(optarg, NULL, 10); break;
		case 'a': hosts = (uint32_t)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: ragen -n COUNT [-s SEED] [-w FILE] [-p] [-t START] [-i USEC|-g USEC] [-a HOSTS]\n");
			return 2;
		}
	}
	rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
	ra_err_clear(&err);
	w = ra_writer_open(path, false, false, "ragen", &err);
	if (!w) {
		fprintf(stderr, "ragen: %s: %s\n", path, err.msg);
		return 1;
	}
	for (unsigned long long i = 0; i < n; i++) {
		make(&f, i, payload);
		if (!ra_writer_put_flow(w, &f, &err)) {
			fprintf(stderr, "ragen: %s: %s\n", path, err.msg);
			return 1;
		}
	}
	if (!ra_writer_close(w, &err)) {
		fprintf(stderr, "ragen: %s: %s\n", path, err.msg);
		return 1;
	}
	return 0;
}
