/*
 * test_filter_raw.c - the filter on a record's bytes (filter_raw.c)
 * against the filter on the decoded flow: for every expression of the
 * common tests and every record of a random mix (IPv4, IPv6, ARP, MAC
 * flows; TCP, UDP, SCTP, ICMP, GRE; blocks of every usual kind, wide
 * counters, damage), flt_raw_match answers what flt_match answers, or
 * hands the record back (-1) when its core does not decide.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "../tests/unit/tap.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t pick(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16) % n;
}

static void make(struct ra_flow *f)
{
	static const uint8_t protos[] = { 6, 17, 132, 1, 58, 47, 6, 17 };
	static const uint16_t ports[] = { 80, 443, 22, 53, 9, 0, 65535, 1024 };
	static const uint8_t fams[] = { RA_AF_INET, RA_AF_INET, RA_AF_INET6, RA_AF_ARP, RA_AF_ETHER };

	ra_flow_init(f);
	f->family = fams[pick(5)];
	f->proto = protos[pick(8)];
	f->sport = pick(3) ? ports[pick(8)] : (uint16_t)pick(65536);
	f->dport = pick(3) ? ports[pick(8)] : (uint16_t)pick(65536);
	f->stime = 1704067200000000ull + pick(1000000000);
	f->ltime = f->stime + pick(3) * pick(5000000);
	f->spkts = 1 + pick(100);
	f->dpkts = pick(100);
	f->sbytes = f->spkts * 60;
	f->dbytes = f->dpkts * 60;
	f->state = (uint8_t)pick(8);
	if (f->family == RA_AF_INET6) {
		f->saddr.v6[0] = pick(2) ? 0x20 : 0xfe;
		f->saddr.v6[1] = pick(2) ? 0x01 : 0x80;
		f->saddr.v6[15] = (uint8_t)pick(4);
		f->daddr.v6[0] = 0x20;
		f->daddr.v6[1] = 0x01;
		f->daddr.v6[15] = (uint8_t)pick(4);
	} else if (f->family == RA_AF_ETHER) {
		for (int i = 0; i < 6; i++)
			f->saddr.mac[i] = (uint8_t)pick(256), f->daddr.mac[i] = (uint8_t)pick(256);
		f->etype = pick(2) ? 0x88cc : 0;
	} else {
		f->saddr.v4 = pick(2) ? 0x0a000000u | pick(1u << 24) : 0xc0a80000u | pick(4);
		f->daddr.v4 = pick(2) ? 0x0a000001u : 0xc0a80000u | pick(4);
	}
	if (f->proto == 6 && pick(2)) {
		RA_SET(f, RA_BLK_TCP);
		f->synack = 1 + pick(1000);
		f->ackdat = pick(1000);
		if (pick(4) == 0)
			f->sretrans = 1 + pick(3);
	}
	if (pick(2)) {
		RA_SET(f, RA_BLK_SEQ);
		f->seq = 1 + pick(100000);
	}
	if (pick(10) == 0)
		f->spkts += 1ull << 32;	/* wide counters: the core alone does not decide */
}

int main(void)
{
	static const char *const exprs[] = {
		"tcp", "udp", "sctp", "icmp", "ip", "ip6", "arp", "not tcp", "proto 47",
		"port 80", "src port 80", "dst port 443", "port 1-1023", "dst port 1024-65535", "not port 53",
		"tcp port 22", "udp dst port 53", "sctp port 9", "tcp and port 0",
		"host 10.0.0.1", "src host 192.168.0.2", "dst host 10.0.0.1", "net 10.0.0.0/8",
		"src net 192.168.0.0/30", "dst net 192.168.0.0/24 and src net 10.0.0.0/8",
		"src and dst net 192.168.0.0/16", "host 2001::3", "src net fe80::/10", "ip6 and dst net 2001::/16",
		"tcp and dst port 80 and src net 10.0.0.0/8", "port 22 or host 10.0.0.1 or not udp",
		"(tcp or udp) and not (port 80 or port 443)", "ip and not net 10.0.0.0/8 or ip6 and port 53",
		"tcp or udp or icmp or arp or ip6",
		"not (src net 10.0.0.0/8 and dst net 10.0.0.0/8) and tcp dst port 1-1023",
	};
	static uint8_t rec[RA_REC_MAX];
	struct ra_flow f, d;
	struct ra_err err;
	size_t nexpr = sizeof(exprs) / sizeof(exprs[0]);
	unsigned raw_progs = 0, agree = 0, decided = 0, handed = 0, disagree = 0, passed = 0;

	tap_plan(5);
	ra_flow_init(&d);
	for (size_t e = 0; e < nexpr; e++) {
		struct ra_filter *flt = flt_compile(exprs[e], &err);
		struct flt_raw *x = flt ? flt_raw_new(flt) : NULL;
		if (!x) {
			printf("# not on the bytes: %s\n", exprs[e]);
			flt_free(flt);
			continue;
		}
		raw_progs++;
		rng = 0x9e3779b97f4a7c15ull + e;
		for (int i = 0; i < 4000; i++) {
			size_t len;
			int m;
			bool want;
			make(&f);
			len = ra_encode_flow(&f, rec);
			if (i % 97 == 0 && len > 72)
				rec[len - 6] ^= 0x40;	/* a damaged block length, now and then */
			m = flt_raw_match(x, rec, len);
			if (!ra_decode_flow(rec, len, &d, &err)) {
				handed += m < 0;
				disagree += m >= 0;	/* damage is never answered from the bytes */
				continue;
			}
			want = flt_match(flt, &d);
			if (m < 0) {
				handed++;
				continue;
			}
			decided++;
			passed += want;
			if ((m == 1) == want)
				agree++;
			else if (disagree++ < 5)
				printf("# '%s' on record %d: bytes say %d, decoded says %d\n", exprs[e], i, m, want);
		}
		flt_raw_free(x);
		flt_free(flt);
	}
	ok(raw_progs == nexpr, "every expression of the common tests runs on the bytes");
	ok(decided > 100000 && agree == decided && disagree == 0, "the bytes answer what the decoded flow answers");
	ok(passed > 10000 && passed < decided - 10000, "records both pass and fail");
	ok(handed > 1000, "wide counters and damage are handed back to the decoder");
	{
		struct ra_filter *flt = flt_compile("pkts > 10 or tcp", &err);
		struct ra_filter *flt2 = flt_compile("src host 10.0.0.1 and ether host 0:1:2:3:4:5", &err);
		ok(flt && flt2 && !flt_raw_new(flt) && !flt_raw_new(flt2), "counters and MACs are not read from the bytes");
		flt_free(flt);
		flt_free(flt2);
	}
	return tap_done();
}
