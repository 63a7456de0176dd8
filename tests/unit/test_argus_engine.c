/*
 * test_argus_engine.c - unit tests of the daemon core: the flow table
 * (symmetric lookup, deletion keeping every other flow findable, growth,
 * clearing, the sizes argus(8) states)
 * and the engine's flow model on hand-made packets (who is the source,
 * fragments before their first fragment, exact idle expiry, ICMP replies).
 */
#include "config.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"
#include "output.h"
#include "stream.h"
#include "tap.h"

static struct flow_key mk(uint32_t s, uint32_t d, uint16_t sp, uint16_t dp)
{
	struct flow_key k;
	memset(&k, 0, sizeof k);
	k.family = RA_AF_INET;
	k.proto = 17;
	k.portdir = 1;
	k.saddr.v4 = s;
	k.daddr.v4 = d;
	k.sport = sp;
	k.dport = dp;
	return k;
}

static void test_flowtab(void)
{
	struct flowtab *t = ft_new(16);
	enum { N = 50000 };
	bool rev, all = true;

	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = mk(0x0a000000 + i, 0xc0a80001, (uint16_t)(1024 + i % 5000), 53);
		if (!ft_create(t, &k, TC_UDP, 1))
			all = false;
	}
	ok(all && ft_count(t) == N, "50000 flows created (table grew)");
	all = true;
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = mk(0xc0a80001, 0x0a000000 + i, 53, (uint16_t)(1024 + i % 5000));
		struct flow *f = ft_find(t, &k, &rev);
		if (!f || !rev || f->key.saddr.v4 != 0x0a000000 + i)
			all = false;
	}
	ok(all, "every flow found from the reply direction, marked reversed");
	for (uint32_t i = 0; i < N; i += 2) {
		struct flow_key k = mk(0x0a000000 + i, 0xc0a80001, (uint16_t)(1024 + i % 5000), 53);
		ft_remove(t, ft_find(t, &k, &rev));
	}
	all = true;
	for (uint32_t i = 0; i < N; i++) {
		struct flow_key k = mk(0x0a000000 + i, 0xc0a80001, (uint16_t)(1024 + i % 5000), 53);
		struct flow *f = ft_find(t, &k, &rev);
		if ((i % 2 == 0) != (f == NULL))
			all = false;
	}
	ok(all && ft_count(t) == N / 2, "after removing every other flow the rest are all found");
	struct flow_key a = mk(1, 2, 0, 0);
	a.portdir = 2;
	ft_create(t, &a, TC_OTHER, 1);
	struct flow_key b = mk(2, 1, 0, 0);
	b.portdir = 2;
	ok(ft_find(t, &b, &rev) == NULL, "a one-way key (ARP) is not matched reversed");

	/* A key whose ports do not swap (portdir 0): reversed, only the
	 * addresses change places. */
	struct flow_key c = mk(7, 8, 3, 4);
	c.portdir = 0;
	c.proto = 47;
	struct flow *fc = ft_create(t, &c, TC_OTHER, 1);
	struct flow_key cr = mk(8, 7, 3, 4), cx = mk(8, 7, 4, 3);
	cr.portdir = cx.portdir = 0;
	cr.proto = cx.proto = 47;
	ok(fc && ft_find(t, &cr, &rev) == fc && rev && ft_find(t, &cx, &rev) == NULL,
	   "a key without port swapping is found reversed with its ports kept, not swapped");

	uint32_t before = ft_count(t);
	ft_clear(t);
	all = before > 0 && ft_count(t) == 0 && ft_find(t, &c, &rev) == NULL;
	for (uint32_t i = 0; i < 1000; i++) {
		struct flow_key k = mk(0x0b000000 + i, 0xc0a80001, 1000, 53);
		if (!ft_create(t, &k, TC_UDP, 1))
			all = false;
	}
	for (uint32_t i = 0; i < 1000; i++) {
		struct flow_key k = mk(0x0b000000 + i, 0xc0a80001, 1000, 53);
		struct flow *f = ft_find(t, &k, &rev);
		if (!f || rev || f->key.saddr.v4 != 0x0b000000 + i)
			all = false;
	}
	ok(all && ft_count(t) == 1000, "a cleared table is empty and takes new flows");

	/* argus(8) states these sizes (PERFORMANCE, Memory). */
	if (sizeof(void *) == 8)
		ok(sizeof(struct flow) == 256 && FLOW_HOT_BYTES == 128,
		   "a flow is 256 bytes, 128 of them touched per packet");
	else
		ok(1, "# SKIP sizes are stated for 64-bit hosts");
	ft_free(t);
}

/* Build Ethernet/IPv4 frames. */
static size_t frame(uint8_t *b, uint32_t s, uint32_t d, uint8_t proto, uint16_t frag, uint16_t id,
		    const uint8_t *l4, size_t l4len)
{
	memset(b, 0, 34);
	b[12] = 0x08;
	uint8_t *ip = b + 14;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((20 + l4len) >> 8);
	ip[3] = (uint8_t)(20 + l4len);
	ip[4] = (uint8_t)(id >> 8);
	ip[5] = (uint8_t)id;
	ip[6] = (uint8_t)(frag >> 8);
	ip[7] = (uint8_t)frag;
	ip[8] = 64;
	ip[9] = proto;
	for (int i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(s >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(d >> (24 - 8 * i));
	}
	memcpy(b + 34, l4, l4len);
	return 34 + l4len;
}

static size_t tcp(uint8_t *b, uint16_t sp, uint16_t dp, uint8_t flags)
{
	memset(b, 0, 20);
	b[0] = (uint8_t)(sp >> 8); b[1] = (uint8_t)sp;
	b[2] = (uint8_t)(dp >> 8); b[3] = (uint8_t)dp;
	b[12] = 0x50;
	b[13] = flags;
	b[14] = 0x10;
	return 20;
}

struct got { struct ra_flow f[64]; unsigned n; };

static void run(const char *path, struct got *g)
{
	struct ra_reader *r = ra_reader_new();
	struct ra_err err;
	const uint8_t *rec;
	size_t len;

	g->n = 0;
	ra_err_clear(&err);
	ra_reader_add(r, path, false, &err);
	while (ra_reader_next(r, &rec, &len, &err) == RA_READ_OK && g->n < 64) {
		uint16_t type, l;
		ra_frame(rec, &type, &l);
		if (type == RA_REC_FLOW && ra_decode_flow(rec, len, &g->f[g->n], &err))
			g->n++;
	}
	ra_reader_free(r);
}

/* The value of a daemon status item in the last status record of path. */
static long long status_item(const char *path, uint32_t key)
{
	struct ra_reader *r = ra_reader_new();
	static struct ra_status st;
	struct ra_err err;
	const uint8_t *rec;
	size_t len;
	long long v = -1;

	ra_err_clear(&err);
	ra_reader_add(r, path, false, &err);
	while (ra_reader_next(r, &rec, &len, &err) == RA_READ_OK) {
		uint16_t type, l;
		ra_frame(rec, &type, &l);
		if (type != RA_REC_STATUS || !ra_decode_status(rec, len, &st, &err) || st.kind != RA_STATUS_DAEMON)
			continue;
		v = -1;
		for (unsigned i = 0; i < st.nitems; i++)
			if (st.items[i].key == key)
				v = (long long)st.items[i].value;
	}
	ra_reader_free(r);
	return v;
}

static struct engine *start(const char *path, struct ra_writer **w)
{
	struct engine_config cfg;
	struct ra_err err;

	memset(&cfg, 0, sizeof cfg);
	cfg.status_interval = 5000000;
	cfg.timeout[TC_TCP] = 60000000;
	cfg.timeout[TC_UDP] = 30000000;
	cfg.timeout[TC_ICMP] = 5000000;
	cfg.timeout[TC_OTHER] = 30000000;
	cfg.timeout[TC_CLOSED] = 5000000;
	ra_err_clear(&err);
	*w = ra_writer_open(path, false, true, "test", &err);
	return engine_new(&cfg, *w);
}

static void stop(struct engine *e, struct ra_writer *w)
{
	struct ra_err err;
	engine_flush(e);
	engine_free(e);
	ra_writer_close(w, &err);
}

static void test_engine(void)
{
	char path[] = "/tmp/test_argus_engineXXXXXX";
	int fd = mkstemp(path);
	uint8_t b[256], l4[64];
	struct ra_writer *w;
	struct got *g = calloc(1, sizeof *g);
	uint64_t t = 1700000000000000ull;

	close(fd);
	/* 1. A flow first seen by its SYN-ACK: the SYN's sender is the source. */
	struct engine *e = start(path, &w);
	size_t n = frame(b, 0x0a000002, 0x0a000001, 6, 0, 1, l4, tcp(l4, 80, 40000, 0x12));
	engine_packet(e, DLT_EN10MB, t, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	n = frame(b, 0x0a000001, 0x0a000002, 6, 0, 2, l4, tcp(l4, 40000, 80, 0x10));
	engine_packet(e, DLT_EN10MB, t + 10, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	stop(e, w);
	run(path, g);
	ok(g->n == 1 && g->f[0].saddr.v4 == 0x0a000001 && g->f[0].sport == 40000 && g->f[0].spkts == 1 &&
	   g->f[0].dpkts == 1, "SYN-ACK first: the client is the source");

	/* 2. A later fragment before its first: folded in, not a flow of its own. */
	e = start(path, &w);
	uint8_t u[40];
	memset(u, 'x', sizeof u);
	n = frame(b, 0x0a000001, 0x0a000002, 17, 0x0002, 7, u, 16);	/* offset 16, last */
	engine_packet(e, DLT_EN10MB, t, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	u[0] = 0x13; u[1] = 0x88; u[2] = 0x00; u[3] = 0x35; u[4] = 0; u[5] = 40;
	n = frame(b, 0x0a000001, 0x0a000002, 17, 0x2000, 7, u, 16);	/* first, more */
	engine_packet(e, DLT_EN10MB, t + 5, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	stop(e, w);
	run(path, g);
	ok(g->n == 1 && g->f[0].spkts == 2 && g->f[0].dport == 53 && (g->f[0].flgs & RA_FL_FRAG),
	   "fragment arriving before its first fragment folds into the flow");

	/* 2b. Read as a batch (the engine hashes keys ahead): a UDP datagram
	 * too short for its header makes the flow without ports between two
	 * hosts; a fragment whose first fragment never came ends in that flow
	 * too, not in a second one with the same key. */
	e = start(path, &w);
	uint8_t b2[256];
	struct engine_frame fr[2];
	memset(u, 'y', sizeof u);
	n = frame(b, 0x0a000001, 0x0a000002, 17, 0, 8, u, 4);
	fr[0] = (struct engine_frame){ t, b, (uint32_t)n, (uint32_t)n };
	n = frame(b2, 0x0a000001, 0x0a000002, 17, 0x0002, 9, u, 16);
	fr[1] = (struct engine_frame){ t + 5, b2, (uint32_t)n, (uint32_t)n };
	engine_packets(e, DLT_EN10MB, fr, 2);
	stop(e, w);
	run(path, g);
	ok(g->n == 1 && g->f[0].spkts == 2 && g->f[0].sport == 0 && g->f[0].dport == 0 &&
	   (g->f[0].flgs & RA_FL_FRAG_PART),
	   "an orphaned fragment joins the flow without ports between its hosts");

	/* 3. Exact idle expiry: a packet 30 s after the last one starts a new flow,
	 * one at 29.999999 s does not. */
	e = start(path, &w);
	memset(u, 0, 8);
	u[1] = 9; u[3] = 9; u[5] = 8;
	n = frame(b, 0x0a000001, 0x0a000002, 17, 0, 1, u, 8);
	engine_packet(e, DLT_EN10MB, t, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	engine_packet(e, DLT_EN10MB, t + 29999999, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	engine_packet(e, DLT_EN10MB, t + 29999999 + 30000000, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	stop(e, w);
	run(path, g);
	uint64_t pk = 0;
	for (unsigned i = 0; i < g->n; i++)
		pk += g->f[i].spkts;
	ok(pk == 3 && g->f[g->n - 1].seq == 2, "idle timeout is exact: the third packet is a second flow");

	/* 4. An echo reply first: the requester is the source, request and reply one flow. */
	e = start(path, &w);
	uint8_t ic[8] = { 0, 0, 0, 0, 0x12, 0x34, 0, 1 };
	n = frame(b, 0x0a000002, 0x0a000001, 1, 0, 1, ic, 8);
	engine_packet(e, DLT_EN10MB, t, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	ic[0] = 8;
	n = frame(b, 0x0a000001, 0x0a000002, 1, 0, 2, ic, 8);
	engine_packet(e, DLT_EN10MB, t + 1000, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	stop(e, w);
	run(path, g);
	ok(g->n == 1 && g->f[0].saddr.v4 == 0x0a000001 && g->f[0].sport == 8 && g->f[0].dport == 0x3412 &&
	   g->f[0].spkts == 1 && g->f[0].dpkts == 1, "echo reply first: one flow from the requester");

	/* 5. Malformed packets are counted by reason and change no flow. */
	e = start(path, &w);
	n = frame(b, 0x0a000001, 0x0a000002, 6, 0, 1, l4, tcp(l4, 1, 2, 2));
	b[14] = 0x43;	/* IHL 3 */
	engine_packet(e, DLT_EN10MB, t, b, (uint32_t)n, (uint32_t)n, 1, NULL);
	engine_packet(e, DLT_EN10MB, t, b, 10, 60, 1, NULL);
	ok(e->mal[MAL_IP_BADHDR] == 1 && e->mal[MAL_LINK_SHORT] == 1 && ft_count(e->ft) == 0,
	   "bad IHL and a cut Ethernet header counted, no flow made");
	stop(e, w);
	ok(status_item(path, ST_PKTS) == 2 && status_item(path, ST_MALFORMED + MAL_IP_BADHDR) == 1 &&
	   status_item(path, ST_MALFORMED + MAL_LINK_SHORT) == 1 && status_item(path, ST_FLOWS_ACTIVE) == 0,
	   "the daemon status record at exit carries packets and malformed counts by reason");
	unlink(path);
	free(g);
}

int main(void)
{
	tap_plan(14);
	test_flowtab();
	test_engine();
	return tap_done();
}
