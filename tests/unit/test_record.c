/* test_record.c - every field survives encode and decode; damage is refused. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "record.h"
#include "../tests/unit/tap.h"

static void full_flow(struct ra_flow *f)
{
	static const uint8_t pay[] = "GET / HTTP/1.0\r\n";
	ra_flow_init(f);
	f->family = RA_AF_INET;
	f->proto = 6;
	f->stime = 1700000000123456ull;
	f->ltime = f->stime + 5000000;
	f->saddr.v4 = 0x0a000001;
	f->daddr.v4 = 0xc0a80102;
	f->sport = 43210;
	f->dport = 80;
	f->spkts = 10; f->dpkts = 8; f->sbytes = 1500; f->dbytes = 9000;
	f->sappbytes = 300; f->dappbytes = 8000;
	f->state = RA_ST_FIN; f->dir = RA_DIR_FWD; f->cause = RA_CAUSE_STOP;
	f->stcpflags = 0x1b; f->dtcpflags = 0x13;
	f->sttl = 64; f->dttl = 57; f->stos = 0x10; f->dtos = 0;
	f->flgs = RA_FL_ETHER | RA_FL_8021Q;
	RA_SET(f, RA_BLK_L2);
	memcpy(f->smac, "\x00\x11\x22\x33\x44\x55", 6);
	memcpy(f->dmac, "\x66\x77\x88\x99\xaa\xbb", 6);
	f->svlan = 100; f->dvlan = 100; f->smpls = 16; f->dmpls = 17;
	RA_SET(f, RA_BLK_TCP);
	f->sretrans = 2; f->dretrans = 1; f->sooo = 3; f->dooo = 4; f->swinshut = 5; f->dwinshut = 6;
	f->synack = 1200; f->ackdat = 300;
	RA_SET(f, RA_BLK_TIMING);
	f->sjit = 11; f->djit = 12; f->sintpkt = 13; f->dintpkt = 14;
	RA_SET(f, RA_BLK_ID);
	f->srcid_family = RA_AF_INET6;
	f->srcid.v6[0] = 0x20; f->srcid.v6[15] = 9;
	f->subagent = 3; f->rate = 512; f->inif = 7; f->outif = 0x40000001;
	f->seq = 77;
	RA_SET(f, RA_BLK_ICMP);
	f->inode_family = RA_AF_INET; f->inode.v4 = 0x01020304; f->icmp_type = 3; f->icmp_code = 3;
	RA_SET(f, RA_BLK_PAYLOAD_SRC);
	f->spayload = pay;
	f->spaylen = (uint16_t)(sizeof(pay) - 1);
}

int main(void)
{
	uint8_t *buf = malloc(RA_REC_MAX);
	struct ra_flow a, b;
	struct ra_err err;
	size_t n;

	tap_plan(39);
	full_flow(&a);
	n = ra_encode_flow(&a, buf);
	ok(n % 8 == 0 && n > RA_FLOW_CORE4, "flow encodes to a multiple of 8 bytes");
	ra_flow_init(&b);
	ok(ra_decode_flow(buf, n, &b, &err), "and decodes");
	ok(b.stime == a.stime && b.ltime == a.ltime, "times");
	ok(b.saddr.v4 == a.saddr.v4 && b.daddr.v4 == a.daddr.v4, "addresses");
	ok(b.sport == 43210 && b.dport == 80 && b.proto == 6, "ports and protocol");
	ok(b.spkts == 10 && b.dpkts == 8 && b.sbytes == 1500 && b.dbytes == 9000, "counters");
	ok(b.sappbytes == 300 && b.dappbytes == 8000, "application bytes");
	ok(b.state == RA_ST_FIN && b.dir == RA_DIR_FWD && b.cause == RA_CAUSE_STOP, "state, dir, cause");
	ok(b.stcpflags == 0x1b && b.dtcpflags == 0x13 && b.sttl == 64 && b.dttl == 57 && b.stos == 0x10, "flags, ttl, tos");
	ok(b.flgs == (RA_FL_ETHER | RA_FL_8021Q), "flgs");
	ok(RA_HAS(&b, RA_BLK_L2) && !memcmp(b.smac, a.smac, 6) && !memcmp(b.dmac, a.dmac, 6), "MACs");
	ok(b.svlan == 100 && b.smpls == 16 && b.dmpls == 17, "VLAN and MPLS");
	ok(b.sretrans == 2 && b.dretrans == 1 && b.sooo == 3 && b.dooo == 4 && b.swinshut == 5 && b.dwinshut == 6, "TCP counters");
	ok(b.synack == 1200 && b.ackdat == 300, "handshake times");
	ok(b.sjit == 11 && b.djit == 12 && b.sintpkt == 13 && b.dintpkt == 14, "timing");
	ok(b.srcid_family == RA_AF_INET6 && b.srcid.v6[15] == 9 && b.subagent == 3 && b.rate == 512, "srcid block");
	ok(b.inif == 7 && b.outif == 0x40000001, "ifindex");
	ok(b.seq == 77, "seq");
	ok(b.inode_family == RA_AF_INET && b.inode.v4 == 0x01020304 && b.icmp_code == 3, "icmp block");
	ok(b.spaylen == a.spaylen && !memcmp(b.spayload, a.spayload, a.spaylen), "payload");
	ok(b.trans == 1, "trans defaults to 1");

	/* a plain IPv4 flow is exactly the 64-byte core */
	ra_flow_init(&a);
	a.family = RA_AF_INET; a.proto = 17; a.spkts = 1; a.sbytes = 60;
	is_int(ra_encode_flow(&a, buf), 64, "a bare IPv4 flow takes 64 bytes");
	/* decoding it into a struct that held the full flow clears the old blocks */
	n = ra_encode_flow(&a, buf);
	ok(ra_decode_flow(buf, n, &b, &err) && b.present == 0 && b.sretrans == 0 && b.seq == 0 &&
	   b.spayload == NULL && b.srcid_family == 0, "decoding clears what the previous record had");

	/* wide counters */
	ra_flow_init(&a);
	a.family = RA_AF_INET6; a.proto = 6;
	a.stime = 1000; a.ltime = 1000 + (10ull << 32);
	a.sbytes = 5ull << 40; a.dpkts = (1ull << 33) + 5;
	a.daddr.v6[15] = 1;
	n = ra_encode_flow(&a, buf);
	ok(ra_decode_flow(buf, n, &b, &err) && b.sbytes == a.sbytes && b.dpkts == a.dpkts && b.ltime == a.ltime,
	   "64-bit counters and long durations survive");
	ok(b.family == RA_AF_INET6 && b.daddr.v6[15] == 1, "IPv6 addresses");

	/* aggregation block */
	ra_flow_init(&a);
	a.family = RA_AF_INET; a.trans = 12; a.dur_min = 1; a.dur_max = 9; a.dur_sum = 40; a.dur_sumsq = 2.5;
	n = ra_encode_flow(&a, buf);
	ok(ra_decode_flow(buf, n, &b, &err) && b.trans == 12 && b.dur_sum == 40 && b.dur_sumsq == 2.5, "trans and duration statistics");
	a.blank[0] = 1ull << 21; a.blank[1] = 1; a.prefix_set = 1; a.sprefix = 16;
	n = ra_encode_flow(&a, buf);
	ok(ra_decode_flow(buf, n, &b, &err) && b.blank[0] == (1ull << 21) && b.blank[1] == 1 &&
	   b.prefix_set == 1 && b.sprefix == 16, "merged records keep which fields differed and common prefixes");

	/* Ethernet (non-IP) flow */
	ra_flow_init(&a);
	a.family = RA_AF_ETHER; a.etype = 0x8899;
	memcpy(a.saddr.mac, "\x01\x02\x03\x04\x05\x06", 6);
	n = ra_encode_flow(&a, buf);
	ok(ra_decode_flow(buf, n, &b, &err) && b.etype == 0x8899 && b.saddr.mac[5] == 6, "MAC-keyed flow with its ethertype");

	/* damage */
	full_flow(&a);
	n = ra_encode_flow(&a, buf);
	ok(!ra_decode_flow(buf, 40, &b, &err), "a record shorter than its core is refused");
	buf[RA_FLOW_CORE4 + 2] = 2;	/* first block: length below 4 */
	ok(!ra_decode_flow(buf, n, &b, &err) && strstr(err.msg, "below 4"), "a block length below 4 is refused");
	buf[RA_FLOW_CORE4 + 2] = 0xff; buf[RA_FLOW_CORE4 + 3] = 0x7f;
	ok(!ra_decode_flow(buf, n, &b, &err) && strstr(err.msg, "past its record"), "a block running past the record is refused");
	buf[5] = 7;
	ok(!ra_decode_flow(buf, n, &b, &err), "an unknown address family is refused");

	/* status and stream header */
	{
		struct ra_status *st = calloc(1, sizeof(*st)), *st2 = calloc(1, sizeof(*st2));
		struct ra_stream_hdr h = { .major = 1, .minor = 0, .start_time = 42 }, h2;
		st->time = 99; st->kind = RA_STATUS_DAEMON; st->nitems = 2;
		st->items[0].key = 1; st->items[0].value = 1000;
		st->items[1].key = 2; st->items[1].aux = 5; st->items[1].value = 7;
		n = ra_encode_status(st, buf);
		ok(ra_decode_status(buf, n, st2, &err) && st2->nitems == 2 && st2->items[1].aux == 5 &&
		   st2->items[0].value == 1000 && st2->time == 99, "status record round trip");
		memcpy(h.producer, "test", 5);
		n = ra_encode_stream_hdr(&h, buf);
		ok(ra_decode_stream_hdr(buf, n, &h2, &err) && h2.start_time == 42 && !strcmp(h2.producer, "test"),
		   "stream header round trip");
		buf[8] = 2;
		ok(!ra_decode_stream_hdr(buf, n, &h2, &err) && strstr(err.msg, "version 2"),
		   "a newer major version is refused by name");
		free(st);
		free(st2);
	}
	/* the daemon's usual blocks (handshake times, then a sequence number;
	 * a sequence number alone), decoded over a record that had every block */
	for (int form = 0; form < 2; form++) {
		struct ra_flow c;
		uint8_t *again = malloc(RA_REC_MAX);
		size_t m;
		full_flow(&a);
		n = ra_encode_flow(&a, buf);
		ra_flow_init(&b);
		ra_decode_flow(buf, n, &b, &err);
		ra_flow_init(&a);
		a.family = RA_AF_INET;
		a.saddr.v4 = 0x0a000001;
		a.stime = 5000000;
		a.ltime = 6000000;
		a.seq = 99;
		if (form == 0) {
			RA_SET(&a, RA_BLK_TCP);	/* handshake times only: no counters block */
			a.synack = 700;
			a.ackdat = 60;
		}
		n = ra_encode_flow(&a, buf);
		ra_flow_init(&c);
		ok(n == RA_FLOW_CORE4 + (form == 0 ? 24 : 8) && ra_decode_flow(buf, n, &b, &err) &&
		   ra_decode_flow(buf, n, &c, &err) && (m = ra_encode_flow(&b, again)) == n && !memcmp(again, buf, n) &&
		   b.present == c.present && b.seq == 99 && b.synack == (form == 0 ? 700u : 0u) &&
		   b.sretrans == 0 && b.smac[0] == 0 && b.svlan == 0 && b.sjit == 0 && b.srcid_family == 0 &&
		   b.inode_family == 0 && b.spayload == NULL && b.trans == 1,
		   form == 0 ? "handshake times and a sequence number, over a full record, decode alone"
			     : "a sequence number alone, over a full record, decodes alone");
		free(again);
	}
	/* a start time and duration past the end of 64-bit time: damaged, in
	 * the core's 32 bits and with block 3's high bits alike */
	ra_flow_init(&a);
	a.family = RA_AF_INET; a.proto = 17;
	a.stime = UINT64_MAX - 1000; a.ltime = UINT64_MAX;
	n = ra_encode_flow(&a, buf);
	st_le32(buf + 16, 5000);	/* the duration on disk: 5 ms, past the end */
	ok(!ra_decode_flow(buf, n, &b, &err) && strstr(err.msg, "past the year"),
	   "a start time plus duration past the end of time is damage");
	a.stime = UINT64_MAX - (1ull << 33); a.ltime = UINT64_MAX - 1;
	n = ra_encode_flow(&a, buf);
	st_le32(buf + RA_FLOW_CORE4 + 4, 3);	/* block 3's high bits of the duration */
	ok(ld_le32(buf + RA_FLOW_CORE4) == RA_BLK_WORD(RA_BLK_WIDE, 32) && !ra_decode_flow(buf, n, &b, &err),
	   "so is one that block 3's high bits carry past it");
	free(buf);
	return tap_done();
}
