/*
 * decode_tcp.c - TCP (RFC 9293): the header, and Argus's TCP state machine
 * with its performance counters (retransmissions, window shut, handshake
 * round trips).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                        Sequence Number                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Acknowledgment Number                      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Data |       |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           Checksum            |         Urgent Pointer        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * States, as Argus names them: REQ (SYN from the source only), ACC (the
 * SYN was answered by SYN-ACK), CON (connected, or traffic without a
 * handshake), FIN (a FIN was seen, one way or both), RST (reset).
 * A flow that closed (FINs both ways, or RST) and then sees a new SYN is
 * a new connection on the same ports: the old flow ends there.
 */
#include "engine_int.h"

#include "cursor.h"

#define SEQ_LT(a, b) ((int32_t)((a) - (b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((a) - (b)) <= 0)
#define SEQ_GT(a, b) ((int32_t)((a) - (b)) > 0)

bool decode_tcp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len, uint32_t paylen)
{
	struct cursor c = cur_make(bytes, len);

	if (!cur_has(&c, 16)) {	/* the fixed header up to the window, read below in one go */
		engine_malformed(e, MAL_TCP_SHORT);
		return false;
	}
	uint16_t sport = hdr_be16(bytes), dport = hdr_be16(bytes + 2), win = hdr_be16(bytes + 14);
	uint32_t seq = hdr_be32(bytes + 4), ack = hdr_be32(bytes + 8);
	uint8_t off = bytes[12], flags = bytes[13];
	uint32_t hlen = (off >> 4) * 4u;
	if (hlen < 20 || hlen > paylen) {
		engine_malformed(e, MAL_TCP_BADOFF);
		return false;
	}
	p->key.sport = sport;
	p->key.dport = dport;
	p->key.portdir = 1;
	p->tcpflags = flags;
	p->seq = seq;
	p->ack = ack;
	p->win = win;
	p->applen = paylen - hlen;
	if (len > hlen) {
		p->payload = bytes + hlen;
		p->paycap = len - hlen;
	}
	return true;
}

bool tcp_restarts(const struct flow *f, const struct pkt *p, bool rev)
{
	(void)rev;
	return flow_closed(f) && (p->tcpflags & (RA_TCP_SYN | RA_TCP_ACK)) == RA_TCP_SYN;
}

/*
 * Retransmission or out of order?  A segment that jumps ahead of the
 * highest sequence number seen opens a hole.  A segment that fills part of
 * the hole sooner than a retransmission could (half the handshake's round
 * trip, or 3 ms when it is not known) arrived out of order; anything else
 * below the highest sequence number seen is a retransmission.
 */
static uint64_t ooo_window(const struct flow *f)
{
	uint64_t rtt = (uint64_t)f->synack + f->ackdat;
	return rtt ? (rtt / 2 < 100000 ? rtt / 2 : 100000) : 3000;
}

static void track_seq(struct flow *f, const struct pkt *p, unsigned d)
{
	uint32_t *max_seq = &f->max_seq[d], *hole_lo = &f->hole_lo[d], *hole_hi = &f->hole_hi[d];
	uint64_t *hole_ts = &f->hole_ts[d];
	uint32_t len = p->applen + ((p->tcpflags & RA_TCP_SYN) ? 1 : 0) + ((p->tcpflags & RA_TCP_FIN) ? 1 : 0);
	uint32_t end = p->seq + len;

	if (p->tcpflags & RA_TCP_RST)
		return;
	if (!f->seq_seen[d]) {
		f->seq_seen[d] = 1;
		*max_seq = end;
		return;
	}
	if (len == 0)
		return;
	if (!SEQ_LT(p->seq, *max_seq)) {
		if (SEQ_GT(p->seq, *max_seq) && (p->seq - *max_seq) < 0x40000000u) {
			*hole_lo = *max_seq;
			*hole_hi = p->seq;
			*hole_ts = p->ts ? p->ts : 1;
		}
		*max_seq = end;
		return;
	}
	bool in_hole = *hole_ts && !SEQ_LT(p->seq, *hole_lo) && SEQ_LEQ(end, *hole_hi);
	if (in_hole && p->ts - *hole_ts < ooo_window(f)) {
		if (d == 0)
			f->sooo++;
		else
			f->dooo++;
		if (p->seq == *hole_lo)
			*hole_lo = end;
		if (!SEQ_LT(*hole_lo, *hole_hi))
			*hole_ts = 0;
		return;
	}
	if (d == 0)
		f->sretrans++;
	else
		f->dretrans++;
	if (SEQ_GT(end, *max_seq))
		*max_seq = end;
}

void tcp_update(struct engine *e, struct flow *f, const struct pkt *p, bool rev)
{
	uint8_t fl = p->tcpflags;
	unsigned d = rev ? 1 : 0;

	(void)e;
	if (rev)
		f->dtcpflags |= fl;
	else
		f->stcpflags |= fl;

	if ((fl & (RA_TCP_SYN | RA_TCP_ACK)) == RA_TCP_SYN && !rev) {
		if (!(f->tcpstate & (TS_SYN | TS_SYNACK)))	/* its time is read at the SYN-ACK */
			f->hs_ts = (uint32_t)p->ts;
		f->tcpstate |= TS_SYN;
	} else if ((fl & (RA_TCP_SYN | RA_TCP_ACK)) == (RA_TCP_SYN | RA_TCP_ACK) && rev) {
		if (!(f->tcpstate & TS_SYNACK)) {
			if (f->tcpstate & TS_SYN)
				f->synack = (uint32_t)p->ts - f->hs_ts;
			f->hs_ts = (uint32_t)p->ts;
		}
		f->tcpstate |= TS_SYNACK;
	} else if ((fl & RA_TCP_ACK) && !rev && (f->tcpstate & TS_SYNACK) && !(f->tcpstate & TS_ACKDAT)) {
		f->ackdat = (uint32_t)p->ts - f->hs_ts;
		f->tcpstate |= TS_ACKDAT | TS_EST;
	}
	if (fl & RA_TCP_FIN)
		f->tcpstate |= rev ? TS_FIN_D : TS_FIN_S;
	if (fl & RA_TCP_RST)
		f->tcpstate |= TS_RST;

	track_seq(f, p, d);
	if (p->win == 0 && !(fl & (RA_TCP_RST | RA_TCP_SYN | RA_TCP_FIN))) {
		if (rev)
			f->dwinshut++;
		else
			f->swinshut++;
	}
	RA_SET(f, RA_BLK_TCP);
}

/* State word and Dir symbol for a TCP flow's record (engine.c calls this at emit). */
void tcp_finish(const struct flow *f, struct ra_flow *r)
{
	unsigned st = f->tcpstate;
	bool hs = st & (TS_SYN | TS_SYNACK);

	if (st & TS_RST)
		r->state = RA_ST_RST;
	else if (st & (TS_FIN_S | TS_FIN_D))
		r->state = RA_ST_FIN;	/* Argus says FIN for a closed connection too */
	else if (st & TS_EST)
		r->state = RA_ST_CON;
	else if (st & TS_SYNACK)
		r->state = RA_ST_ACC;
	else if (st & TS_SYN)
		r->state = RA_ST_REQ;
	else
		r->state = RA_ST_CON;

	/* As Argus: "->" when the source is known to have opened the
	 * connection, "?>" for one-way traffic seen in mid-stream, "<?>" for
	 * the rest of what was seen in mid-stream. */
	if (hs)
		r->dir = RA_DIR_FWD;
	else if (f->seq_seen[0] && !f->seq_seen[1])
		r->dir = RA_DIR_FWD_UNK;
	else
		r->dir = RA_DIR_BOTH_UNK;
}
