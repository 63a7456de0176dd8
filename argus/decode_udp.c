/*
 * decode_udp.c - UDP (RFC 768), and the DNS transaction id (RFC 1035) that
 * Argus adds to the key of port-53 flows.
 *
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |   Source Port   | Destination Port|
 *   +--------+--------+--------+--------+
 *   |     Length      |    Checksum     |
 *   +--------+--------+--------+--------+
 *   DNS (first bytes of the payload): | ID (16) | flags (16) | ...
 *
 * With DNS keying on (the default, as Argus does; -X dns-xid=no or
 * ARGUS_DNS_TRANSACTION_KEY=no turns it off) each query and its answer form
 * one flow even when a client reuses its source port for many queries.
 *
 * RTP (RFC 3550) and RTCP, labelled on a flow's first packet as Argus
 * labels them: both ports 1024 or above and outside AFS's 7000-7010, and a
 * payload whose first two bits are version 2; RTCP when a compound packet
 * holds a sender or receiver report (type 200 or 201), else RTP.  An RTP
 * label goes when a packet of a direction is not version 2 or changes its
 * SSRC, and shows in records once a direction has carried RTP_MIN_PKTS
 * packets, which is what Debian's argus 3.0.8 prints (argus(8)).
 *
 *   RTP:  |V=2|P|X| CC |M|  PT   |  sequence number  | timestamp | SSRC |
 *   RTCP: |V=2|P| RC   |  PT=200..204  |   length (words - 1)   | SSRC |
 */
#include "engine_int.h"

#include "cursor.h"

bool decode_udp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len, uint32_t paylen)
{
	struct cursor c = cur_make(bytes, len);

	if (!cur_has(&c, 8) || paylen < 8) {	/* the header, read below in one go */
		engine_malformed(e, MAL_UDP_SHORT);
		return false;
	}
	uint16_t sport = hdr_be16(bytes), dport = hdr_be16(bytes + 2), ulen = hdr_be16(bytes + 4);
	c.off = 8;
	p->key.sport = sport;
	p->key.dport = dport;
	p->key.portdir = 1;
	p->applen = (ulen >= 8 && ulen <= paylen) ? ulen - 8u : paylen - 8u;
	p->payload = cur_ptr(&c);
	p->paycap = (uint32_t)cur_left(&c);
	if (e->cfg.dns_xid && (sport == 53 || dport == 53)) {
		uint16_t xid = 0;
		if (cur_be16(&c, &xid))
			p->key.xid = xid;
	}
	return true;
}

unsigned udp_app_label(const struct flow_key *k, const uint8_t *payload, uint32_t cap)
{
	struct cursor c = cur_make(payload, cap);
	uint8_t b0 = 0, pt = 0;
	uint16_t words = 0;

	if (k->proto != 17 || !payload || k->sport < 1024 || k->dport < 1024 ||
	    (k->sport >= 7000 && k->sport <= 7010) || (k->dport >= 7000 && k->dport <= 7010))
		return 0;
	if (cap < 12 || (payload[0] >> 6) != 2)
		return 0;
	/* RTCP: walk the compound packet, every part at least a header and SSRC */
	while (cur_left(&c) >= 8) {
		size_t at = c.off;
		if (!cur_u8(&c, &b0) || !cur_u8(&c, &pt) || !cur_be16(&c, &words))
			break;
		if ((b0 >> 6) == 2 && (pt == 200 || pt == 201))
			return RA_FL_RTCP;
		if (words == 0 || !cur_skip(&c, (size_t)words * 4 + 4 - (c.off - at)))
			break;
	}
	return RA_FL_RTP;
}

void udp_rtp_packet(struct flow *f, const struct pkt *p, bool rev)
{
	unsigned d = rev ? 1 : 0;
	uint32_t ssrc;

	if (!p->payload || p->paycap < 12)
		return;
	ssrc = (uint32_t)p->payload[8] << 24 | (uint32_t)p->payload[9] << 16 |
	       (uint32_t)p->payload[10] << 8 | p->payload[11];
	if ((p->payload[0] >> 6) != 2 || ssrc == 0 || (f->rtp_n[d] && f->rtp_ssrc[d] != ssrc)) {
		f->flgs &= ~(uint32_t)RA_FL_RTP;	/* not RTP after all */
		return;
	}
	f->rtp_ssrc[d] = ssrc;
	if (f->rtp_n[d] < 255)
		f->rtp_n[d]++;
}
