/* test_bins.c - time bins (common/bins.h): -M words, a record cut into bins with
 * known answers (Debian rabins' on the same records), the binner's bins, late
 * pieces and load bins, and the engine's key by bin (cl_spec_bin). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bins.h"
#include "../tests/unit/tap.h"

#define S 1000000ull

static void flow(struct ra_flow *f, uint64_t t0, uint64_t t1, uint64_t sp, uint64_t sb, uint64_t dp, uint64_t db)
{
	ra_flow_init(f);
	f->family = RA_AF_INET;
	f->proto = 17;
	f->saddr.v4 = 0x0a000001;
	f->daddr.v4 = 0x0a000002;
	f->sport = 1000;
	f->dport = 53;
	f->stime = t0;
	f->ltime = t1;
	f->spkts = sp;
	f->sbytes = sb;
	f->dpkts = dp;
	f->dbytes = db;
}

/* Cut f into 1 s bins: packets and bytes of the pieces into the arrays. */
static int cut(const struct ra_flow *f, const struct bin_spec *bs, uint64_t *pk, uint64_t *by, uint64_t *st)
{
	struct bin_cut c;
	struct ra_flow p;
	int n = 0;

	bin_cut_start(&c, bs, f);
	while (bin_cut_next(&c, &p) && n < 16) {
		pk[n] = p.spkts;
		by[n] = p.sbytes;
		st[n] = p.stime;
		n++;
	}
	return n;
}

struct seen {
	int groups, bins;
	uint64_t pkts, bytes, last_bin;
	bool ordered;
};

static bool see(void *ctx, const struct bin_info *b, struct cl_group *g)
{
	struct seen *s = ctx;

	if (!g) {
		s->bins++;
		return true;
	}
	if (s->groups && b->index < s->last_bin)
		s->ordered = false;
	s->last_bin = b->index;
	s->groups++;
	s->pkts += g->f.spkts + g->f.dpkts;
	s->bytes += g->f.sbytes + g->f.dbytes;
	return g->f.stime >= b->start && g->f.stime < b->end;
}

static int put(struct binner *b, const struct ra_flow *f, bool *late)
{
	uint8_t rec[RA_REC_MAX];
	struct ra_err err;
	size_t n = ra_encode_flow(f, rec);

	return binner_put(b, rec, n, false, NULL, late, &err);
}

int main(void)
{
	struct bin_spec bs;
	struct cl_spec cs;
	struct ra_err err;
	const char *words[4], *rest[4];
	int nrest, n;
	uint64_t pk[16], by[16], st[16];
	struct ra_flow f;

	tap_plan(33);

	words[0] = "time"; words[1] = "10s"; words[2] = "rmon";
	ok(bin_spec_parse(&bs, words, 3, rest, &nrest, &err) && bs.mode == BIN_TIME && bs.width == 10 * S &&
	   nrest == 1 && strcmp(rest[0], "rmon") == 0, "-M time 10s, rmon left to the client");
	words[0] = "1m";
	ok(bin_spec_parse(&bs, words, 1, rest, &nrest, &err) && bs.width == 60 * S, "-M 1m: Argus's bare width");
	words[0] = "hard"; words[1] = "time"; words[2] = "5m";
	ok(bin_spec_parse(&bs, words, 3, rest, &nrest, &err) && bs.hard && bs.width == 300 * S, "-M hard time 5m");
	words[0] = "count"; words[1] = "2k";
	ok(bin_spec_parse(&bs, words, 2, rest, &nrest, &err) && bs.mode == BIN_COUNT && bs.limit == 2000,
	   "-M count 2k");
	words[0] = "size"; words[1] = "1m";
	ok(bin_spec_parse(&bs, words, 2, rest, &nrest, &err) && bs.mode == BIN_SIZE && bs.limit == 1048576,
	   "-M size 1m");
	words[0] = "time"; words[1] = "0s";
	ok(!bin_spec_parse(&bs, words, 2, rest, &nrest, &err) && err.code == RA_ERR_USAGE, "a zero width is refused");
	words[0] = "time";
	ok(!bin_spec_parse(&bs, words, 1, rest, &nrest, &err), "time needs a width");
	words[0] = "rmon";
	ok(!bin_spec_parse(&bs, words, 1, rest, &nrest, &err), "no bins at all is refused");

	words[0] = "1s";
	bin_spec_parse(&bs, words, 1, rest, &nrest, &err);
	/* Debian's rabins -M time 1s on a record of 13 packets, 1190 bytes,
	 * 09.752486 to 14.482609: 1 2 3 2 3 2 packets, 91 183 274 183 274 185 bytes */
	flow(&f, 9752486, 14482609, 13, 1190, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	is_int(n, 6, "13 packets over six bins: six pieces");
	ok(pk[0] == 1 && pk[1] == 2 && pk[2] == 3 && pk[3] == 2 && pk[4] == 3 && pk[5] == 2, "packets 1 2 3 2 3 2");
	ok(by[0] == 91 && by[1] == 183 && by[2] == 274 && by[3] == 183 && by[4] == 274 && by[5] == 185,
	   "bytes 91 183 274 183 274 185 (the last what is left)");
	ok(st[0] == 9752486 && st[1] == 10 * S && st[5] == 14 * S, "pieces start at the record, then at their bins");
	/* 9 packets, 1467 bytes, 15.284358 to 18.578853: Debian 1 3 3 2 */
	flow(&f, 15284358, 18578853, 9, 1467, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	ok(n == 4 && pk[0] == 1 && pk[1] == 3 && pk[2] == 3 && pk[3] == 2, "9 packets: 1 3 3 2");
	is_int(by[0] + by[1] + by[2] + by[3], 1467, "their bytes add up to the record's");
	/* 2 packets over 4 s: the middle bins get none and are left out */
	flow(&f, 9752466, 13765984, 2, 132, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	ok(n == 2 && pk[0] == 1 && pk[1] == 1 && st[1] == 13765984, "2 packets over five bins: two pieces");
	/* both directions add up, to the byte, whatever the numbers */
	{
		bool all = true;
		for (uint64_t i = 0; i < 200; i++) {
			struct bin_cut c;
			struct ra_flow p;
			uint64_t t[4] = { 0 };
			flow(&f, 1000 * i, 1000 * i + 37 * S + 1234 * i, i % 17 + 1, i * 997, i % 5, i * 31);
			bin_cut_start(&c, &bs, &f);
			while (bin_cut_next(&c, &p)) {
				t[0] += p.spkts; t[1] += p.sbytes; t[2] += p.dpkts; t[3] += p.dbytes;
			}
			all = all && t[0] == f.spkts && t[1] == f.sbytes && t[2] == f.dpkts && t[3] == f.dbytes;
		}
		ok(all, "200 records: pieces add up exactly, both directions");
	}
	/* a record of three packets over ten years: three pieces, found at once */
	flow(&f, 5 * S, 5 * S + 315360000ull * S, 3, 300, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	ok(n == 3 && pk[0] == 1 && pk[1] == 1 && pk[2] == 1 && by[0] + by[1] + by[2] == 300,
	   "3 packets over ten years of 1 s bins: three pieces");
	/* no packets: whole in its first bin */
	flow(&f, 5 * S, 50 * S, 0, 300, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	ok(n == 1 && by[0] == 300 && st[0] == 5 * S, "no packets: one piece, the record");
	/* -M hard: pieces carry the bins' bounds */
	bs.hard = true;
	flow(&f, 1500000, 3500000, 4, 400, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	ok(n == 3 && st[0] == 1 * S && st[1] == 2 * S && st[2] == 3 * S, "-M hard: pieces start on their bins");
	bs.hard = false;
	bs.nomodify = true;
	n = cut(&f, &bs, pk, by, st);
	ok(n == 1 && pk[0] == 4 && st[0] == 1500000, "-M nomodify: one piece, the record");
	bs.nomodify = false;
	/* a record ending on a bin's start is not in that bin */
	flow(&f, 1500000, 3000000, 4, 400, 0, 0);
	n = cut(&f, &bs, pk, by, st);
	is_int(n, 2, "a record ending at 3.000000 is in bins 1 and 2");

	/* the binner: bins out in time order, totals kept, late pieces counted */
	{
		struct seen sn = { .ordered = true };
		struct binner *b;
		bool late;
		uint64_t tp = 0, tb = 0;

		ok(cl_spec_parse(&cs, NULL, 0, false, &err), "flow key");
		b = binner_new(&bs, &cs, 2 * S, see, &sn, &err);
		ok(b != NULL, "a binner over 1 s bins, held 2 s");
		for (int i = 0; i < 100; i++) {
			flow(&f, (uint64_t)i * 100000, (uint64_t)i * 100000 + (i % 7) * 400000, 3 + i % 4, 300 + i, 1, 60);
			f.sport = (uint16_t)(1000 + i % 5);
			tp += f.spkts + f.dpkts;
			tb += f.sbytes + f.dbytes;
			put(b, &f, &late);
		}
		ok(sn.bins > 0 && sn.groups > 0, "bins closed while records came");
		flow(&f, 100000, 200000, 5, 500, 0, 0);
		ok(put(b, &f, &late) == 1 && late, "a record for a closed bin is late");
		is_int(binner_late(b)->records, 1, "and counted");
		is_int(binner_late(b)->pkts, 5, "with its packets");
		ok(binner_finish(b, &err), "finish");
		is_int(sn.pkts, tp, "packets out equal packets in");
		is_int(sn.bytes, tb, "bytes out equal bytes in");
		ok(sn.ordered, "bins came out in time order");
		binner_free(b);
	}
	/* load bins: -M count 10 */
	{
		struct seen sn = { .ordered = true };
		struct binner *b;
		bool late;

		words[0] = "count"; words[1] = "10";
		bin_spec_parse(&bs, words, 2, rest, &nrest, &err);
		cl_spec_parse(&cs, NULL, 0, false, &err);
		b = binner_new(&bs, &cs, BINNER_HOLD_ALL, see, &sn, &err);
		for (int i = 0; i < 25; i++) {
			flow(&f, (uint64_t)i * S, (uint64_t)i * S + 10, 1, 100, 0, 0);
			put(b, &f, &late);
		}
		binner_finish(b, &err);
		ok(sn.bins == 3 && sn.groups == 3 && sn.pkts == 25, "25 records of one flow in bins of 10: three bins, a group each");
		binner_free(b);
	}
	/* the key by bin: cl_spec_bin lengthens the key by a word */
	cl_spec_parse(&cs, NULL, 0, false, &err);
	{
		size_t kl = cs.keylen;
		ok(cl_spec_bin(&cs, S, &err) && cs.keylen == kl + 8 && !cl_feed_usable(&cs),
		   "cl_spec_bin: one more key word, and cl_feed does not take it");
	}
	return tap_done();
}
