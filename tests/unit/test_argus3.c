/* test_argus3.c - Argus 3 records built byte by byte, converted by argus3.c. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "argus3.h"
#include "../tests/unit/tap.h"

static uint8_t rec[1024];
static size_t len;

static void put8(unsigned v) { rec[len++] = (uint8_t)v; }
static void put16(unsigned v) { put8(v >> 8); put8(v & 0xff); }
static void put32(uint32_t v) { put16(v >> 16); put16(v & 0xffff); }
static void put64(uint64_t v) { put32((uint32_t)(v >> 32)); put32((uint32_t)v); }
static void dsr(unsigned type, unsigned sub, unsigned qual, unsigned words)
{
	put8(type); put8(sub); put8(qual); put8(words);
}
static void start(unsigned type, unsigned cause) { len = 0; put8(type); put8(cause); put16(0); }
static void finish(void) { rec[2] = (uint8_t)(len / 4 >> 8); rec[3] = (uint8_t)(len / 4); }

static enum a3_result decode(struct ra_flow *f, struct ra_status *st, bool *is_flow)
{
	struct ra_err err;
	return a3_decode(rec, len, f, st, is_flow, &err);
}

static void mar(void)
{
	static struct ra_status st;
	struct ra_flow f;
	bool is_flow = true;

	start(0x83, 0x10);
	put32(0x00800000);		/* status */
	put32(A3_COOKIE);		/* argusid: the cookie in the first MAR */
	put32(0); put32(0); put32(0);	/* localnet, netmask, next sequence */
	put32(1600000000); put32(5);	/* start time */
	put32(1600000060); put32(250000);	/* now */
	put8(3); put8(0); put8(0); put8(0);
	put16(5); put16(60);
	put64(123456789012ull);		/* packets received */
	put64(99);			/* bytes */
	put64(0);			/* drift */
	put32(7); put32(3); put32(2);	/* records, flows, dropped */
	while (len < 120)
		put8(0);
	put32(0x0a090807);		/* thisid */
	put32(0xffffffff);
	finish();
	ok(a3_sniff(rec, len), "the opening MAR is recognised");
	is_int(a3_frame(rec), 128, "framed by its length in words");
	is_int(decode(&f, &st, &is_flow), A3_OK, "MAR decodes");
	ok(!is_flow, "as a status record");
	is_int(st.kind, RA_STATUS_DAEMON, "of the daemon");
	is_int(st.time, 1600000060250000ull, "at the MAR's time");
	is_int(st.family, RA_AF_INET, "from the probe");
	is_int(st.source.v4, 0x0a090807, "whose id is the first MAR's thisid");
	is_int(st.nitems, 5, "five items");
	is_int(st.items[0].value, 123456789012ull, "packets seen");
	is_int(st.items[4].value, 7, "records written");
	rec[8] ^= 1;
	ok(!a3_sniff(rec, len), "no cookie, no Argus 3 stream");
}

static void tcp_flow(bool reverse)
{
	struct ra_flow f;
	static struct ra_status st;
	bool is_flow = false;

	start(0x13, 0x30);
	dsr(0x01, 0x03, 0x01, 3); put32(0x0a000001); put32(42);
	dsr(0x02, reverse ? 0x41 : 0x01, 0x01, 5);
	put32(0xc0a80001); put32(0xc0a80002); put8(6); put8(0); put16(1234); put16(80); put16(0);
	/* bidirectional times: src start absolute, src end and dst start relative */
	dsr(0x03, 0x08 | 0x10 | 0x20, 0x18, 1 + 2 + 1 + 1);
	put32(1600000000); put32(100); put32(500000); put32(1000);
	dsr(0x10, 0x04, 0x04, 1 + 12);	/* packets, bytes, app bytes, 64-bit each side */
	put64(10); put64(1000); put64(400); put64(8); put64(900); put64(300);
	dsr(0x30, 0x04, 0, 3); put32(0x01 | 0x04 | 0x08); put8(0x1b); put8(0x13); put16(0);
	dsr(0x48, 0, 0x03, 3); put8(64); put8(0x10); put16(0); put8(57); put8(0); put16(0);
	dsr(0x20, 0, 0, 3); put32(0x06); put32(0x02);
	finish();
	is_int(decode(&f, &st, &is_flow), A3_OK, "flow record decodes");
	ok(is_flow, "as a flow");
	is_int(f.saddr.v4, reverse ? 0xc0a80002 : 0xc0a80001, "source address (reversed key turned round)");
	is_int(f.sport, reverse ? 80 : 1234, "source port");
	is_int(f.dport, reverse ? 1234 : 80, "destination port");
	is_int(f.proto, 6, "protocol");
	is_int(f.stime, 1600000000000100ull, "start time");
	is_int(f.ltime, 1600000000500100ull, "last time from a relative offset");
	is_int(f.spkts + f.dpkts, 18, "packets");
	is_int(f.dbytes, 900, "bytes");
	is_int(f.sappbytes, 400, "app bytes");
	is_int(f.srcid.v4, 0x0a000001, "srcid");
	is_int(f.seq, 42, "seq");
	is_int(f.state, RA_ST_FIN, "state from the TCP status");
	is_int(f.dir, RA_DIR_FWD, "dir: a SYN was seen");
	is_int(f.stcpflags, 0x1b, "source TCP flags");
	is_int(f.sttl, 64, "TTL");
	is_int(f.stos, 0x10, "TOS");
	ok((f.flgs & RA_FL_ETHER) && (f.flgs & RA_FL_8021Q), "encapsulations");
	is_int(f.cause, RA_CAUSE_STOP, "cause");
}

static void damage(void)
{
	struct ra_flow f;
	static struct ra_status st;
	bool is_flow;
	struct ra_err err;

	start(0x13, 0x10);
	dsr(0x02, 0x01, 0x01, 9);	/* says 36 bytes, the record has 20 */
	put32(1); put32(2); put32(3); put32(4);
	finish();
	is_int(a3_decode(rec, len, &f, &st, &is_flow, &err), A3_BAD, "a DSR past its record is damage");
	is_str(err.msg, "Argus 3 flow record: DSR 0x02 at byte 4 of the record is damaged", "and says where");
	start(0x13, 0x10);
	dsr(0x10, 0x01, 0x03, 0);	/* a zero length never ends the walk */
	finish();
	is_int(a3_decode(rec, len, &f, &st, &is_flow, &err), A3_BAD, "a DSR of no length is damage");
	rec[0] = 0x14;
	is_int(a3_frame(rec), 0, "version 4 is not framed");
	rec[0] = 0x43;
	finish();
	is_int(a3_decode(rec, len, &f, &st, &is_flow, &err), A3_SKIP, "an event record is skipped");
}

int main(void)
{
	tap_plan(12 + 2 * 20 + 5);
	mar();
	tcp_flow(false);
	tcp_flow(true);
	damage();
	return tap_done();
}
