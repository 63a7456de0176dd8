/*
 * decode_ip.c - IPv4 (RFC 791): header, options, fragments, and the hand-off
 * to the transport decoders.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Identification        |Flags|      Fragment Offset    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       Source Address                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Destination Address                        |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                    Options (IHL > 5)          |    Padding    |
 *
 * The readable window is cut to Total Length (trailing Ethernet padding is
 * not payload).  A fragment with a non-zero offset has no transport header:
 * frag.c folds it into the flow of its first fragment, also when it
 * arrives first.  Tunnels (GRE, IPv6-in-IPv4, ...) are accounted as their
 * outer flow: protocol flows without ports.
 */
#include "engine_int.h"

#include <string.h>

#include "cursor.h"

void decode_transport(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len,
		      uint32_t paylen)
{
	bool v6 = p->key.family == RA_AF_INET6;
	bool ok = true;

	if (p->frag_later) {
		p->applen = paylen;
		engine_flow_packet(e, p);	/* to frag_later(), in packet order */
		return;
	}
	switch (p->key.proto) {
	case 6:
		ok = decode_tcp(e, p, bytes, len, paylen);
		break;
	case 17:
		ok = decode_udp(e, p, bytes, len, paylen);
		break;
	case 1:
		ok = v6 ? true : decode_icmp(e, p, bytes, len, paylen, false);
		break;
	case 58:
		ok = v6 ? decode_icmp(e, p, bytes, len, paylen, true) : true;
		break;
	case 2:		/* IGMPv1/v2 (RFC 2236): keyed by the group, as Argus does */
		if (!v6) {
			struct cursor c = cur_make(bytes, len);
			uint8_t type = 0;
			uint32_t group = 0;
			if (cur_u8(&c, &type) && cur_skip(&c, 3) && cur_be32(&c, &group) && group &&
			    (type == 0x11 || type == 0x12 || type == 0x16 || type == 0x17))
				p->key.daddr.v4 = group;
		}
		p->applen = paylen;
		break;
	default:
		p->applen = paylen;
		break;
	}
	if (!ok) {
		/* Counted as malformed; the packet still counts, in the protocol
		 * flow without ports between the two hosts (as Argus counts it). */
		p->key.sport = p->key.dport = p->key.xid = 0;
		p->key.portdir = (p->key.proto == 6 || p->key.proto == 17);
		p->tcpflags = 0;
		p->no_l4 = true;
		p->icmp_error = p->icmp_reply = false;
		p->applen = paylen;
		p->payload = NULL;
		p->paycap = 0;
	}
	engine_flow_packet(e, p);
}

void decode_ip(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len)
{
	struct cursor c = cur_make(bytes, len);

	if (!cur_has(&c, 20)) {	/* the fixed header, read below in one go */
		engine_malformed(e, MAL_IP_SHORT);
		return;
	}
	uint8_t vihl = bytes[0], tos = bytes[1], ttl = bytes[8], proto = bytes[9];
	uint16_t totlen = hdr_be16(bytes + 2), id = hdr_be16(bytes + 4), frag = hdr_be16(bytes + 6);
	uint32_t src = hdr_be32(bytes + 12), dst = hdr_be32(bytes + 16);
	c.off = 20;

	unsigned hlen = (vihl & 0x0f) * 4u;
	if ((vihl >> 4) != 4 || hlen < 20) {
		engine_malformed(e, MAL_IP_BADHDR);
		return;
	}
	if (totlen < hlen) {
		/* TSO-captured packets carry 0: trust the capture. */
		if (totlen != 0) {
			engine_malformed(e, MAL_IP_BADLEN);
			return;
		}
		totlen = (uint16_t)(len > 0xffff ? 0xffff : len);
	}
	if (!cur_skip(&c, hlen - 20)) {	/* options */
		engine_malformed(e, MAL_IP_SHORT);
		return;
	}
	cur_window(&c, totlen - hlen);

	struct flow_key *k = &p->key;
	memset(k, 0, sizeof *k);
	k->family = RA_AF_INET;
	k->proto = proto;
	k->saddr.v4 = src;
	k->daddr.v4 = dst;
	p->ttl = ttl;
	p->tos = tos;
	if (tos & 0x03)
		p->flgs |= RA_FL_ECN;

	uint16_t off = frag & 0x1fff;
	bool more = frag & 0x2000;
	p->frag_id = id;
	if (off) {
		p->frag_later = true;
		p->frag_more = more;
	} else if (more)
		p->frag_first = true;

	decode_transport(e, p, cur_ptr(&c), (uint32_t)cur_left(&c), totlen - hlen);
}
