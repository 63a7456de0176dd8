/* test_cluster.c - the aggregation engine (common/cluster.h): keys, merge, intake, emit. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "plain6.h"
#include "table.h"
#include "options.h"
#include "service.h"
#include "../tests/unit/tap.h"

static int ngroups;

static bool collect(void *ctx, struct cl_group *g)
{
	struct cl_group *out = ctx;
	out[ngroups++] = *g;
	return true;
}

static void flow(struct ra_flow *f, uint32_t s, uint32_t d, uint16_t sp, uint16_t dp, uint64_t t0, uint64_t dur)
{
	ra_flow_init(f);
	f->family = RA_AF_INET;
	f->proto = 17;
	f->saddr.v4 = s;
	f->daddr.v4 = d;
	f->sport = sp;
	f->dport = dp;
	f->stime = t0;
	f->ltime = t0 + dur;
	f->spkts = 2;
	f->dpkts = 1;
	f->sbytes = 200;
	f->dbytes = 100;
	f->dir = RA_DIR_BOTH;
	f->state = RA_ST_CON;
}

static bool has(const uint64_t m[2], unsigned id) { return (m[id >> 6] >> (id & 63)) & 1u; }


/* TCP counters are summed per direction in a part of their own: not a
 * cold part, swapped with a reverse direction's record, and zero again
 * in a group that reuses an evicted group's part.  IPv6 addresses have a
 * part of their own too. */
static void test_parts(void)
{
	const char *saddr[] = { "saddr" };
	struct cl_spec s;
	struct cl_table *t;
	struct ra_flow a, b, c;
	static struct cl_group got[8];
	struct ra_err err;
	bool no_cold;

	cl_spec_parse(&s, saddr, 1, false, &err);
	t = cl_table_new(&s, &err);
	flow(&a, 0x0a000001, 0xc0a80101, 1000, 80, 1000000, 10);
	b = c = a;
	RA_SET(&b, RA_BLK_TCP);
	b.sretrans = 2;
	b.dooo = 1;
	RA_SET(&c, RA_BLK_TCP);
	c.sretrans = 5;
	c.dwinshut = 7;
	cl_add(t, &b, &err);	/* the first record has them */
	cl_add(t, &a, &err);
	cl_add(t, &c, &err);
	no_cold = t->cold.used == 0 && t->ntcp == 1;
	ngroups = 0;
	cl_flush(t, collect, got);
	ok(ngroups == 1 && got[0].f.sretrans == 7 && got[0].f.dooo == 1 && got[0].f.dwinshut == 7 &&
	   got[0].f.dretrans == 0 && no_cold, "TCP counters summed beside the group, no cold part");
	/* evicted, its part reused by a group whose records have none */
	cl_add(t, &c, &err);
	cl_add(t, &c, &err);
	ngroups = 0;
	cl_drain(t, &err);
	cl_evict_idle(t, UINT64_MAX, collect, got);
	a.saddr.v4 = 0x0a000002;
	cl_add(t, &a, &err);
	cl_add(t, &a, &err);
	b.saddr.v4 = 0x0a000003;
	cl_add(t, &b, &err);
	cl_add(t, &b, &err);
	ngroups = 1;
	cl_flush(t, collect, got);
	ok(ngroups == 3 && got[0].f.sretrans == 10 && got[1].f.sretrans == 0 && got[2].f.sretrans == 4 &&
	   got[2].f.dooo == 2, "an evicted group's TCP counters come back empty");
	cl_table_free(t);
	/* the flow key: a reverse record's counters go to the other side */
	cl_spec_parse(&s, NULL, 0, false, &err);
	t = cl_table_new(&s, &err);
	flow(&a, 0x0a000001, 0xc0a80101, 1000, 80, 1000000, 10);
	RA_SET(&a, RA_BLK_TCP);
	a.sretrans = 4;
	b = a;
	cl_swap_flow(&b);
	b.sretrans = 1;
	b.dretrans = 9;
	cl_add(t, &a, &err);
	cl_add(t, &b, &err);
	ngroups = 0;
	cl_flush(t, collect, got);
	ok(ngroups == 1 && got[0].f.sretrans == 13 && got[0].f.dretrans == 1,
	   "flow key: the reverse direction's TCP counters are swapped in");
	cl_table_free(t);

	/* IPv6 addresses: their common prefix, in a part of their own */
	{
		const char *proto[] = { "proto" };
		struct ra_flow v[3];
		bool parts;
		cl_spec_parse(&s, proto, 1, false, &err);
		t = cl_table_new(&s, &err);
		for (int i = 0; i < 3; i++) {
			flow(&v[i], 0, 0, 1000, 80, 1000000, 10);
			v[i].family = RA_AF_INET6;
			memset(&v[i].saddr, 0, 16);
			memset(&v[i].daddr, 0, 16);
			v[i].saddr.v6[0] = 0x20;
			v[i].saddr.v6[1] = 0x01;
			v[i].saddr.v6[15] = 1;
			v[i].daddr.v6[0] = 0xfe;
			v[i].daddr.v6[15] = (uint8_t)i;
		}
		v[2].saddr.v6[2] = 0x80;	/* differs from the first bit of byte 2 on */
		for (int i = 0; i < 3; i++)
			cl_add(t, &v[i], &err);
		parts = t->cold.used == 0 && t->v6.used == 1;
		ngroups = 0;
		cl_flush(t, collect, got);
		ok(ngroups == 1 && parts && got[0].prefix[0] == 16 && got[0].prefix[1] == 126 &&
		   got[0].f.saddr.v6[0] == 0x20 && got[0].f.saddr.v6[1] == 0x01 && got[0].f.saddr.v6[15] == 0 &&
		   got[0].f.daddr.v6[0] == 0xfe && got[0].f.daddr.v6[15] == 0,
		   "IPv6 groups: common prefixes kept in an address part, no cold part");
		cl_table_free(t);
	}
}

/* n records of every kind racluster meets, framed one after another. */
static size_t feed_records(uint8_t *buf, int n)
{
	uint64_t seed = 11;
	size_t len = 0;
	struct ra_flow f;

	for (int i = 0; i < n; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		unsigned kind = (unsigned)(seed >> 59) % 8, r = (unsigned)(seed >> 20);
		flow(&f, 0x0a000000u | (r % 100), 0xc0a80000u | (r >> 8) % 7, (uint16_t)(1024 + r % 3), (uint16_t)(r % 2 ? 53 : 80),
		     1000000 + 1000ull * i, (r >> 4) % 3000000);
		f.proto = r % 5 ? 6 : 17;
		f.sttl = (uint8_t)(60 + r % 3);
		f.stos = (uint8_t)((r >> 3) % 3);
		f.dttl = (uint8_t)(r % 7 ? 64 : 128);
		f.dtos = (uint8_t)((r >> 6) % 3 << 2 | (r >> 9) % 2);
		f.dir = (uint8_t)(r % 4 ? RA_DIR_FWD : RA_DIR_BOTH);
		f.seq = (uint32_t)i + 1;
		f.stcpflags = (uint8_t)(r >> 12);
		if (kind == 1) {	/* handshake times */
			RA_SET(&f, RA_BLK_TCP);
			f.synack = r % 900;
			f.ackdat = r % 70;
		} else if (kind == 2) {	/* IPv6 */
			f.family = RA_AF_INET6;
			memset(&f.saddr, 0, sizeof(f.saddr));
			f.saddr.v6[0] = 0x20;
			f.saddr.v6[15] = (uint8_t)(r % 9);
		} else if (kind == 3) {	/* a cold block */
			RA_SET(&f, RA_BLK_L2);
			f.smac[5] = 7;	/* the same in every such record: blank only beside records without it */
			f.svlan = 5;
		} else if (kind == 4) {	/* merged before */
			RA_SET(&f, RA_BLK_AGG);
			f.trans = 3;
			f.dur_min = 10;
			f.dur_max = f.ltime - f.stime;
			f.dur_sum = f.dur_max + 30;
			f.dur_sumsq = 1.5;
		} else if (kind == 5) {	/* TCP counters */
			RA_SET(&f, RA_BLK_TCP);
			f.sretrans = r % 4;
		} else if (kind == 6) {	/* the reverse direction */
			cl_swap_flow(&f);
		}
		len += ra_encode_flow(&f, buf + len);
	}
	return len;
}

/* A selection as a filter makes it: records to port 80 of an odd source. */
static int select_some(void *ctx, const uint8_t *rec, size_t len)
{
	struct ra_flow f;
	struct ra_err err;

	(void)ctx;
	ra_flow_init(&f);
	if (!ra_decode_flow(rec, len, &f, &err))
		return -1;
	return f.dport == 80 && (f.saddr.v4 & 1);
}

/* Groups emitted, as bytes: their records and marks. */
struct emitted { size_t len; uint8_t *buf; };

static bool emit_bytes(void *ctx, struct cl_group *g)
{
	struct emitted *e = ctx;
	e->len += ra_encode_flow(&g->f, e->buf + e->len);
	memcpy(e->buf + e->len, g->blank, sizeof(g->blank));
	memcpy(e->buf + e->len + 16, g->prefix, 2);
	e->len += 18;
	return true;
}

/* cl_feed (records framed and merged from their bytes) gives the groups
 * the record-by-record way gives, for several -m keys and a time range;
 * it stops at a record of another type. */
static void test_feed(void)
{
	static const char *const specs[][3] = {
		{ "saddr" }, { "proto", "dport" }, { "daddr/24" }, { "sttl", "stos" }, { "smac" }, { "saddr/16", "sport" },
		{ "sdsb", "ddsb", "dttl" }, { "dtos", "stcpflags" },
		{ NULL },	/* the flow key */
		{ NULL },	/* the flow key, directions apart (-M nocorrect) */
	};
	static const int nkeys[] = { 1, 2, 1, 2, 1, 2, 3, 2, 0, 0 };
	const int n = 4000;
	uint8_t *in = malloc((size_t)n * 400 + 64), *rec;
	struct emitted a = { 0, malloc((size_t)n * 600) }, b = { 0, malloc((size_t)n * 600) };
	size_t len = feed_records(in, n), used = 0;
	struct time_range tr = { true, 1000000 + 500000, 1000000 + 3000000 };
	bool same = true, stopped;
	uint64_t nrec = 0;
	struct ra_err err;

	for (size_t k = 0; k < sizeof(specs) / sizeof(*specs); k++) {
		for (int mode = 0; mode < 3; mode++) {	/* everything, a time range, a selection */
			struct time_range none = { 0 };
			struct cl_spec s;
			struct cl_table *t1, *t2;
			cl_spec_parse(&s, specs[k], nkeys[k], false, &err);
			if (k == sizeof(specs) / sizeof(*specs) - 1)
				s.flow = false;
			t1 = cl_table_new(&s, &err);
			t2 = cl_table_new(&s, &err);
			for (size_t off = 0; off < len; off += (size_t)(in[off + 2] | in[off + 3] << 8)) {
				size_t l = (size_t)(in[off + 2] | in[off + 3] << 8);
				struct ra_flow f;
				ra_flow_init(&f);
				ra_decode_flow(in + off, l, &f, &err);
				if ((mode != 1 || ra_time_range_match(&tr, f.stime, f.ltime)) &&
				    (mode != 2 || select_some(NULL, in + off, l) == 1))
					cl_add(t1, &f, &err);
			}
			same = same && cl_feed_usable(&s) &&
			       cl_feed(t2, in, len, mode == 1 ? &tr : &none, mode == 2 ? select_some : NULL, NULL, &used,
				       &nrec, &err) &&
			       used == len && nrec == (uint64_t)n;
			a.len = b.len = 0;
			cl_flush(t1, emit_bytes, &a);
			cl_flush(t2, emit_bytes, &b);
			same = same && a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0;
			cl_table_free(t1);
			cl_table_free(t2);
		}
	}
	ok(same, "cl_feed: the groups of records merged one by one, for eight -m forms and the flow key with and "
		 "without -M nocorrect, with a time range, a selection (a filter) and neither");
	/* a record of another type ends what cl_feed takes */
	rec = in + len;
	memset(rec, 0, 16);
	rec[0] = 9;
	rec[2] = 16;
	{
		struct cl_spec s;
		struct cl_table *t;
		cl_spec_parse(&s, specs[0], 1, false, &err);
		t = cl_table_new(&s, &err);
		stopped = cl_feed(t, in, len + 16, &(struct time_range){ 0 }, NULL, NULL, &used, &nrec, &err) &&
			  used == len && nrec == (uint64_t)n;
		cl_table_free(t);
	}
	ok(stopped, "cl_feed stops at a record that is not a flow");
	{
		const char *matrix[] = { "matrix" };
		struct cl_spec m, r;
		cl_spec_parse(&m, matrix, 1, false, &err);
		cl_spec_parse(&r, specs[0], 1, true, &err);
		ok(!cl_feed_usable(&m) && !cl_feed_usable(&r), "cl_feed is not for matrix or rmon keys");
	}
	free(in);
	free(a.buf);
	free(b.buf);
}

/* A group of one record written from its bytes (cl_one_raw) is what
 * encoding the group cl_materialize_one makes of it gives; records it
 * cannot write so are refused. */
static void test_one_raw(void)
{
	const char *flowkey[] = { NULL }, *masked[] = { "saddr/24" };
	uint8_t in[RA_REC_MAX], raw[CL_ONE_RAW_MAX], enc[RA_REC_MAX];
	struct cl_spec s, sm;
	struct cl_group g;
	struct ra_err err;
	struct ra_flow f;
	bool same = true, refused = true;
	int written = 0;

	cl_spec_parse(&s, flowkey, 0, false, &err);
	cl_spec_parse(&sm, masked, 1, false, &err);
	for (int i = 0; i < 64; i++) {	/* each family, with every mix of the three blocks */
		size_t len, n;
		flow(&f, 0x0a000001u + (uint32_t)i, 0xc0a80001u, (uint16_t)(1000 + i), 80, 1000000 + 7u * (uint64_t)i,
		     (uint64_t)i * 1234567);
		if (i & 1) {
			f.family = RA_AF_INET6;
			f.saddr.v6[0] = 0x20;
			f.saddr.v6[15] = (uint8_t)i;
		}
		if (i & 2) {
			RA_SET(&f, RA_BLK_TCP);
			f.sretrans = (uint32_t)i;
		}
		if (i & 4) {
			RA_SET(&f, RA_BLK_TCP);
			f.synack = 100 + (uint32_t)i;
		}
		f.seq = i & 8 ? (uint32_t)i : 0;
		f.state = (uint8_t)(i % RA_ST_COUNT);
		len = ra_encode_flow(&f, in);
		n = cl_one_raw(&s, in, len, raw);
		same = same && n != 0 && cl_materialize_one(&s, in, len, false, i > 0, &g, &err) &&
		       ra_encode_flow(&g.f, enc) == n && memcmp(enc, raw, n) == 0;
		written += n != 0;
		refused = refused && cl_one_raw(&sm, in, len, raw) == 0;	/* a masked key: prefixes to show */
		in[5] |= 0x20;	/* a bit the decoder drops */
		refused = refused && cl_one_raw(&s, in, len, raw) == 0;
		in[5] &= 0x1f;
		if (i & 4) {	/* handshake times of zero: the encoder would leave the block out */
			size_t at = len - (f.seq ? 8 : 0) - 16;
			memset(in + at + 4, 0, 8);
			refused = refused && cl_one_raw(&s, in, len, raw) == 0;
		}
	}
	/* merged before (an AGG block), and with a payload */
	flow(&f, 1, 2, 3, 4, 5, 6);
	f.trans = 3;
	RA_SET(&f, RA_BLK_AGG);
	refused = refused && cl_one_raw(&s, in, ra_encode_flow(&f, in), raw) == 0;
	flow(&f, 1, 2, 3, 4, 5, 6);
	RA_SET(&f, RA_BLK_PAYLOAD_SRC);
	f.spayload = (const uint8_t *)"GET /";
	f.spaylen = 5;
	refused = refused && cl_one_raw(&s, in, ra_encode_flow(&f, in), raw) == 0;
	ok(same && written == 64, "a group of one plain record written from its bytes is the group encoded");
	ok(refused, "records that would not come out the same are left to be decoded");
}

static size_t places[8];
static uint64_t seen_src[8];
static int nvisits;

static bool visit(void *ctx, size_t place, struct cl_group *g)
{
	(void)ctx;
	places[nvisits] = place;
	seen_src[nvisits++] = g->f.saddr.v4 | g->f.spkts << 32;
	return true;
}

/* A live view (cl_scan, cl_evict_set): groups seen in first-seen order
 * without emptying the table, some at chosen places, and dropped by place,
 * the rest keeping their order; merges after a scan land in the same
 * groups, new groups take the next places. */
static void test_scan(void)
{
	const char *saddr[] = { "saddr" };
	struct cl_spec s;
	struct cl_table *t;
	struct ra_flow a;
	struct ra_err err;
	uint64_t want[1] = { 1u << 1 | 1u << 3 }, gone[1] = { 1u << 0 | 1u << 2 };
	static struct cl_group got[8];
	bool order = true;

	cl_spec_parse(&s, saddr, 1, false, &err);
	t = cl_table_new(&s, &err);
	for (uint32_t i = 0; i < 4; i++) {
		flow(&a, 0x0a000001 + i, 0xc0a80101, 1000, 80, 1000000, 10);
		cl_add(t, &a, &err);
		if (i == 1)
			cl_add(t, &a, &err);	/* a merged group among groups of one record */
	}
	nvisits = 0;
	ok(cl_scan(t, NULL, 0, visit, NULL) && nvisits == 4 && cl_count(t) == 4, "a scan visits every group, keeps them");
	for (int i = 0; i < 4; i++)
		order = order && places[i] == (size_t)i && (uint32_t)seen_src[i] == 0x0a000001u + (uint32_t)i;
	ok(order && seen_src[1] >> 32 == 4 && seen_src[0] >> 32 == 2, "in first-seen order, merged and not");
	nvisits = 0;
	ok(cl_scan(t, want, 4, visit, NULL) && nvisits == 2 && places[0] == 1 && places[1] == 3 &&
	   (uint32_t)seen_src[1] == 0x0a000004, "a scan of chosen places visits those only");
	nvisits = 0;
	ok(cl_scan(t, want, 2, visit, NULL) && nvisits == 1 && places[0] == 1,
	   "places past the bitmap's length are not wanted");
	flow(&a, 0x0a000002, 0xc0a80101, 1000, 80, 2000000, 10);
	cl_add(t, &a, &err);	/* into the merged group, after the scan */
	ngroups = 0;
	ok(cl_evict_set(t, gone, 3, collect, got) && ngroups == 2 && got[0].f.saddr.v4 == 0x0a000001 &&
	   got[1].f.saddr.v4 == 0x0a000003 && cl_count(t) == 2, "groups dropped by place, emitted first");
	flow(&a, 0x0a000009, 0xc0a80101, 1000, 80, 3000000, 10);
	cl_add(t, &a, &err);
	nvisits = 0;
	ok(cl_scan(t, NULL, 0, visit, NULL) && nvisits == 3 && (uint32_t)seen_src[0] == 0x0a000002 &&
	   seen_src[0] >> 32 == 6 && (uint32_t)seen_src[1] == 0x0a000004 && (uint32_t)seen_src[2] == 0x0a000009 &&
	   places[2] == 2, "the rest keep their order and their counters, a new group comes last");
	gone[0] = 0;
	ngroups = 0;
	ok(cl_evict_set(t, gone, 3, NULL, NULL) && cl_count(t) == 3 && cl_add(t, &a, &err) && cl_drain(t, &err) &&
	   cl_count(t) == 3,
	   "an empty set drops nothing; the index still finds the groups");
	cl_table_free(t);
}

/* -m service: keyed by the name itself (two names whose 8-byte svc_key is
 * the same stay apart), the label carried to the group, with other keys
 * and -M rmon; not through cl_feed, not with time bins. */
static void test_service(void)
{
	static struct cl_group got[8];
	const char *w[] = { "service" }, *w2[] = { "service", "saddr" };
	const char *names[] = { "clientadl", "clientart", "clientadl", NULL, "clientadl" };
	struct cl_spec s, s2, r;
	struct cl_table *t;
	struct ra_flow f;
	struct ra_err err;
	bool added = true;

	ok(svc_key("clientadl", 9) == svc_key("clientart", 9), "two names that share a svc_key (the test's premise)");
	ok(cl_spec_parse(&s, w, 1, false, &err) && s.whole && !cl_feed_usable(&s) && !cl_spec_bin(&s, 1000000, &err) &&
	   err.code == RA_ERR_USAGE, "-m service: records whole, no cl_feed, no time bins");
	t = cl_table_new(&s, &err);
	for (int i = 0; i < 5; i++) {
		flow(&f, 0x0a000001 + (uint32_t)(i & 1), 0x0a000009, (uint16_t)(40000 + i), 53, 1000 * (uint64_t)i, 10);
		f.service = names[i];	/* NULL: named from the port, "domain" */
		added = added && cl_add(t, &f, &err);
	}
	ngroups = 0;
	ok(added && cl_drain(t, &err) && cl_flush(t, collect, got) && ngroups == 3, "three services, three groups");
	ok(ngroups == 3 && strcmp(got[0].f.service, "clientadl") == 0 && got[0].f.spkts == 6 && got[0].f.trans == 3 &&
	   strcmp(got[1].f.service, "clientart") == 0 && got[1].f.spkts == 2 && strcmp(got[2].f.service, "domain") == 0,
	   "each group carries its name and its records' sums");
	cl_table_free(t);
	ok(cl_spec_parse(&s2, w2, 2, false, &err) && (t = cl_table_new(&s2, &err)) != NULL, "-m service saddr");
	for (int i = 0; i < 5; i++) {
		flow(&f, 0x0a000001 + (uint32_t)(i >= 3), 0x0a000009, (uint16_t)(40000 + i), 53, 1000 * (uint64_t)i, 10);
		f.service = names[i];
		cl_add(t, &f, &err);
	}
	ngroups = 0;
	ok(cl_flush(t, collect, got) && ngroups == 4 && got[0].f.spkts == 4 && got[3].f.saddr.v4 == 0x0a000002 &&
	   strcmp(got[3].f.service, "clientadl") == 0, "with saddr: a service from two sources is two groups");
	cl_table_free(t);
	ok(cl_spec_parse(&r, w, 1, true, &err) && (t = cl_table_new(&r, &err)) != NULL, "-M rmon -m service");
	for (int i = 0; i < 5; i++) {
		flow(&f, 0x0a000001, 0x0a000009, (uint16_t)(40000 + i), 53, 1000 * (uint64_t)i, 10);
		f.service = names[i];
		cl_add(t, &f, &err);
	}
	ngroups = 0;
	ok(cl_flush(t, collect, got) && ngroups == 3 && got[0].f.spkts + got[0].f.dpkts == 18 &&
	   strcmp(got[0].f.service, "clientadl") == 0, "rmon: each record twice, its name kept when swapped");
	cl_table_free(t);
}

/* The merge's tables, against what they stand for. */
static void test_tables(void)
{
	bool expand = true, mask = true;

	for (unsigned b = 0; b < 256; b++) {
		uint64_t want = 0;
		for (int i = 0; i < 8; i++)
			if (b >> i & 1)
				want |= 0xffull << 8 * i;
		expand = expand && cl_expand8(b) == want;
		uint32_t m = 0;
		for (unsigned i = 0; i < 32 && i < b; i++)
			m |= 0x80000000u >> i;
		mask = mask && cl_mask32((uint8_t)b) == m;
	}
	ok(expand, "cl_expand8: bit i to byte i, for all 256 bytes");
	ok(mask, "cl_mask32: the first n bits, all 32 from 32 on");
}

int main(void)
{
	struct cl_spec spec;
	struct cl_table *t;
	struct ra_err err;
	struct ra_flow a, b, c;
	static struct cl_group out[16];
	const char *keys_saddr[] = { "saddr" };
	const char *bad[] = { "bytes" };
	const char *unknown[] = { "nosuch" };
	const char *masked[] = { "saddr/255.255.0.0" };
	const char *badmask[] = { "proto/8" };

	tap_plan(57);

	/* key compilation */
	ok(cl_spec_parse(&spec, masked, 1, false, &err) && spec.items[0].masklen == 16,
	   "a dotted netmask is a prefix length");
	ok(!cl_spec_parse(&spec, bad, 1, false, &err) && err.code == RA_ERR_USAGE, "a counter is not a key");
	ok(!cl_spec_parse(&spec, unknown, 1, false, &err), "an unknown key is an error");
	ok(!cl_spec_parse(&spec, badmask, 1, false, &err), "only addresses take masks");
	is_int(cl_common_prefix((const uint8_t *)"\x0a\x01\x02\x03", (const uint8_t *)"\x0a\x01\x03\x03", 32), 23,
	       "common prefix of 10.1.2.3 and 10.1.3.3");
	test_tables();
	test_one_raw();
	test_scan();

	/* merge by saddr: sums, times, differing ports blank, daddr common prefix */
	ra_err_clear(&err);
	cl_spec_parse(&spec, keys_saddr, 1, false, &err);
	t = cl_table_new(&spec, &err);
	flow(&a, 0x0a000001, 0xc0a80101, 1000, 53, 1000000, 2000000);
	flow(&b, 0x0a000001, 0xc0a80181, 1001, 53, 500000, 1000000);
	b.state = RA_ST_INT;
	flow(&c, 0x0a000002, 0xc0a80101, 1000, 53, 0, 0);
	ok(cl_add(t, &a, &err) && cl_add(t, &b, &err) && cl_add(t, &c, &err), "three flows merge");
	is_int(cl_count(t), 2, "two sources, two groups");
	ngroups = 0;
	cl_flush(t, collect, out);
	is_int(ngroups, 2, "flush emits both");
	is_int(out[0].f.spkts, 4, "source packets add up");
	is_int(out[0].f.dbytes, 200, "destination bytes add up");
	is_int(out[0].f.stime, 500000, "earliest start");
	is_int(out[0].f.ltime, 3000000, "latest last time");
	is_int(out[0].f.state, RA_ST_CON, "state of the record that ended last");
	is_int(out[0].f.trans, 2, "trans counts the records");
	ok(has(out[0].blank, F_SPORT) && !has(out[0].blank, F_DPORT), "sport differs, dport does not");
	is_int(out[0].prefix[1], 24, "192.168.1.1 and 192.168.1.129 share 24 bits");
	is_int(out[0].prefix[0], CL_NO_PREFIX, "the keyed address prints whole");
	is_int(fld_uint(F_MIN, &out[0].f), 1000000, "min duration");
	is_int(fld_uint(F_MAX, &out[0].f), 2000000, "max duration");
	is_int(fld_uint(F_MEAN, &out[0].f), 1500000, "mean duration");
	is_int(fld_uint(F_STDDEV, &out[0].f), 500000, "stddev of 1 s and 2 s");
	cl_table_free(t);

	/* rmon: every record once per address */
	cl_spec_parse(&spec, keys_saddr, 1, true, &err);
	t = cl_table_new(&spec, &err);
	cl_add(t, &a, &err);
	ngroups = 0;
	cl_flush(t, collect, out);
	ok(ngroups == 2 && out[1].f.saddr.v4 == 0xc0a80101 && out[1].f.spkts == 1 && out[1].f.dpkts == 2,
	   "rmon counts the destination as a source with directions swapped");
	cl_table_free(t);

	/* groups that get their cold part late each get their own: two groups
	 * start without L2, then a record with MACs and TCP counters joins each */
	{
		struct ra_flow d;
		cl_spec_parse(&spec, keys_saddr, 1, false, &err);
		t = cl_table_new(&spec, &err);
		flow(&a, 0x0a000001, 0xc0a80101, 1000, 53, 1000000, 0);
		flow(&b, 0x0a000002, 0xc0a80101, 1000, 53, 1000000, 0);
		c = a;
		RA_SET(&c, RA_BLK_L2);
		memcpy(c.smac, "\x02\0\0\0\0\x01", 6);
		RA_SET(&c, RA_BLK_TCP);
		c.sretrans = 3;
		d = b;
		RA_SET(&d, RA_BLK_L2);
		memcpy(d.smac, "\x02\0\0\0\0\x02", 6);
		cl_add(t, &a, &err);
		cl_add(t, &b, &err);
		cl_add(t, &a, &err);	/* both groups merged, neither with a cold part */
		cl_add(t, &b, &err);
		cl_add(t, &c, &err);
		cl_add(t, &d, &err);
		ngroups = 0;
		cl_flush(t, collect, out);
		ok(ngroups == 2 && out[0].f.sretrans == 3 && out[1].f.sretrans == 0,
		   "TCP counters stay in their own group");
		ok(has(out[0].blank, F_SMAC) && has(out[1].blank, F_SMAC), "each group: MAC present in one record only, blank");
		ok(memcmp(out[1].f.smac, "\0\0\0\0\0\0", 6) == 0 || has(out[1].blank, F_SMAC),
		   "the second group does not show the first group's MAC");
		cl_table_free(t);
	}

	/* memory: 500,000 merged groups by saddr cost about 100 bytes each
	 * beyond the hot part every merge touches (key, order log, index) */
	{
		const uint32_t n = 500000;
		size_t mem, hot = sizeof(struct cl_hot);
		bool all = true;
		cl_spec_parse(&spec, keys_saddr, 1, false, &err);
		t = cl_table_new(&spec, &err);
		for (int round = 0; round < 2; round++)
			for (uint32_t i = 0; i < n; i++) {
				flow(&a, 0x0a000000u + i, 0xc0a80101, 1000, 53, 1000000 + i, 0);
				all = all && cl_add(t, &a, &err);
			}
		mem = cl_memory(t);
		ok(all && cl_count(t) == n, "500,000 groups of two records");
		printf("# %zu bytes per merged group: %zu of hot part, %zu beyond\n", mem / n, hot, mem / n - hot);
		ok(mem / n <= hot + 100, "at most 100 bytes per group beyond the hot part");
		cl_table_free(t);
	}

	/* an IPv4 record's compiled key is the key built from the whole record,
	 * under every -m form; the flow key's reverse too */
	{
		static const char *forms[][4] = {
			{ "saddr" }, { "saddr/24", "daddr/7" }, { "proto", "dport" }, { "matrix/16" },
			{ "sttl", "dtos", "sdsb" }, { "stcpflags", "dtcpflags", "family" }, { "smac", "saddr" },
			{ "etype", "srcid", "sport" }, { "saddr/0" }, { "saddr/64", "daddr/100", "proto" }, { "daddr/20" },
			{ "proto", "saddr" }, { NULL },
		};
		static const int nforms[] = { 1, 2, 2, 1, 3, 3, 2, 3, 1, 3, 1, 2, 0 };
		uint8_t enc[RA_REC_MAX], copy[CL_REC_COPY_MAX];
		uint64_t k1[CL_MAX_KEYLEN / 8], k2[CL_MAX_KEYLEN / 8], r1[CL_MAX_KEYLEN / 8], r2[CL_MAX_KEYLEN / 8];
		struct cl_rec cr;
		struct plain4_blocks x;
		bool same = true, flow_same = true, compiled = true, raw_same = true;
		int addr1 = 0;	/* forms compiled as one address at the key's start */
		for (size_t fi = 0; fi < sizeof(nforms) / sizeof(*nforms); fi++) {
			cl_spec_parse(&spec, forms[fi], nforms[fi], false, &err);
			addr1 += spec.addr1;
			for (uint32_t i = 0; i < 64; i++) {
				flow(&a, 0x0a000001u * (i + 1), 0xc0a80101u ^ (i << 20), (uint16_t)(1000 + i), 53, i, i);
				a.proto = (uint8_t)(i % 3 ? 6 : 17);
				a.sttl = (uint8_t)i;
				a.dtos = (uint8_t)(i * 7);
				a.stcpflags = (uint8_t)(i * 5);
				a.seq = i;
				memset(k1, 0xa5, sizeof(k1));
				size_t len = ra_encode_flow(&a, enc);
				if (!cl_rec_decode(enc, len, &cr, copy, false, &err))
					same = false;
				cl_rec_key(&spec, &cr, k1);
				cl_build_key(&spec, &a, k2);
				same = same && memcmp(k1, k2, spec.keylen) == 0;
				if (spec.nops4 >= 0 && spec.keylen <= 64) {	/* the ring's key, from the bytes */
					raw_same = raw_same && plain4_check(enc, len, &x);
					plain_key_raw(&spec, enc, k1, spec.keylen / 8, false);
					raw_same = raw_same && memcmp(k1, k2, spec.keylen) == 0;
				}
				if (nforms[fi] == 0) {
					compiled = compiled && cl_rec_flow_keys4(&spec, &cr, r1, k1);
					cl_reverse_key(&spec, r1, r2);
					flow_same = flow_same && memcmp(r1, k2, spec.keylen) == 0 &&
						    memcmp(k1, r2, spec.keylen) == 0;
				}
				if (spec.nops4 >= 0 && spec.keylen <= 64) {
					/* and the same flow's over IPv6 */
					a.family = RA_AF_INET6;
					for (int j = 0; j < 16; j++) {
						a.saddr.v6[j] = (uint8_t)(0x20 + j * i);
						a.daddr.v6[j] = (uint8_t)(0xfe - j - i);
					}
					len = ra_encode_flow(&a, enc);
					cl_build_key(&spec, &a, k2);
					raw_same = raw_same && plain6_check(enc, len, &x);
					memset(k1, 0xa5, sizeof(k1));
					plain_key_raw(&spec, enc, k1, spec.keylen / 8, true);
					raw_same = raw_same && memcmp(k1, k2, spec.keylen) == 0;
				}
			}
		}
		ok(same, "compiled IPv4 keys equal keys built from the whole record");
		ok(compiled && flow_same, "the flow key and its reverse, compiled, equal the general ones");
		ok(raw_same, "compiled keys read from an IPv4 or IPv6 record's bytes equal keys built from the whole "
			     "record");
		ok(addr1 == 3, "saddr, saddr/0 and daddr/20, and no other form, are keys of one address at the start");
	}

	test_feed();
	test_parts();
	test_service();
	return tap_done();
}
