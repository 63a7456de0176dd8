/*
 * decode_icmp.c - ICMP (RFC 792) and ICMPv6 (RFC 4443): flow keys and
 * Argus's ICMP state words.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Type      |     Code      |          Checksum             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |     Identifier (echo)         |     Sequence Number (echo)    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   | errors: unused/MTU/pointer (4), then the offending IP header  |
 *   | and the first 8 bytes of its payload                          |
 *
 * Keys, as Argus shows them (ra prints ICMP ports in hex):
 *   ICMPv4 sport = type | code << 8 (0x0008 echo, 0x0303 port unreachable);
 *   echo, timestamp, information and mask request and reply share one flow
 *   keyed by the request type and the identifier; dport is the identifier
 *   with its two bytes swapped, as Argus prints it on little-endian hosts;
 *   a port unreachable's dport is the offending packet's destination port,
 *   bytes swapped the same way; other unreachables, source quench and
 *   redirect carry the upper 16 bits of the offending packet's destination
 *   address; time exceeded and parameter problem 0.
 *   ICMPv6 sport = type, dport = code, echo too (Argus keys ICMPv6 by type
 *   and code only, so every echo between two hosts is one flow whatever
 *   its identifier; argus(8) COMPATIBILITY); replies (echo reply, router
 *   and neighbor advertisement) are keyed by their request's type.  A flow first seen by its reply has the requester as
 *   its source (ICMPv4 and ICMPv6 echo; advertisements keep their sender).
 * An error is its own flow and marks the flow it refers to ('I' in Flgs,
 * inode = the router that sent it).
 */
#include "engine_int.h"

#include <string.h>

#include "cursor.h"

static uint16_t bswap16(uint16_t v) { return (uint16_t)(v << 8 | v >> 8); }

/* The offending packet inside an ICMP error: its flow key. */
static bool inner_key(struct cursor *c, bool v6, struct flow_key *k)
{
	memset(k, 0, sizeof *k);
	if (!v6) {
		uint8_t vihl = 0, proto = 0;
		uint32_t s = 0, d = 0;
		struct cursor h = *c;
		if (!cur_u8(&h, &vihl) || (vihl >> 4) != 4 || (vihl & 15) < 5 || !cur_skip(&h, 8) ||
		    !cur_u8(&h, &proto) || !cur_skip(&h, 2) || !cur_be32(&h, &s) || !cur_be32(&h, &d))
			return false;
		if (!cur_skip(c, (vihl & 15) * 4u))
			return false;
		k->family = RA_AF_INET;
		k->proto = proto;
		k->saddr.v4 = s;
		k->daddr.v4 = d;
	} else {
		uint8_t nh = 0;
		if (!cur_skip(c, 6) || !cur_u8(c, &nh) || !cur_skip(c, 1) || !cur_bytes(c, k->saddr.v6, 16) ||
		    !cur_bytes(c, k->daddr.v6, 16))
			return false;
		k->family = RA_AF_INET6;
		k->proto = nh;
	}
	if (k->proto == 6 || k->proto == 17) {
		uint16_t sp = 0, dp = 0;
		k->portdir = 1;
		if (cur_be16(c, &sp) && cur_be16(c, &dp)) {
			k->sport = sp;
			k->dport = dp;
		}
	} else if ((k->proto == 1 && !v6) || (k->proto == 58 && v6)) {
		/* An error about an echo: the echo flow's key. */
		uint8_t type = 0;
		uint16_t id = 0;
		if (cur_u8(c, &type) && cur_skip(c, 3) && cur_be16(c, &id)) {
			if (!v6 && (type == 8 || type == 0)) {
				k->sport = 8;
				k->dport = (uint16_t)(id << 8 | id >> 8);
			} else if (v6 && (type == 128 || type == 129)) {
				k->sport = 128;
				k->dport = 0;	/* the echo flow's key: type and code, as Argus */
			}
		}
	}
	return true;
}

static int echo_request_type(uint8_t type)
{
	switch (type) {
	case 0: case 8: return 8;
	case 13: case 14: return 13;
	case 15: case 16: return 15;
	case 17: case 18: return 17;
	default: return -1;
	}
}

bool decode_icmp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len, uint32_t paylen,
		 bool v6)
{
	struct cursor c = cur_make(bytes, len);
	uint8_t type = 0, code = 0;
	uint16_t sum, id = 0, seq = 0;

	if (!cur_u8(&c, &type) || !cur_u8(&c, &code) || !cur_be16(&c, &sum)) {
		engine_malformed(e, MAL_ICMP_SHORT);
		return false;
	}
	p->icmp_type = type;
	p->icmp_code = code;
	p->applen = paylen >= 8 ? paylen - 8 : 0;
	p->key.portdir = 0;
	if (v6) {
		p->key.sport = type;
		p->key.dport = code;
		/* Requests and their replies share a flow, keyed by the request. */
		if (type == 134 || type == 136)	/* often unsolicited: keep the sender as source */
			p->key.sport = (uint16_t)(type - 1);
		if (type == 128 || type == 129) {
			p->key.sport = 128;	/* dport stays the code: no identifier, as Argus */
			p->icmp_reply = type == 129;
		} else if (type >= 1 && type <= 4) {
			struct cursor in = c;
			if (cur_skip(&in, 4) && inner_key(&in, true, &p->ikey))
				p->icmp_error = true;
		}
		return true;
	}
	int req = echo_request_type(type);
	if (req >= 0) {
		if (!cur_be16(&c, &id) || !cur_be16(&c, &seq)) {
			engine_malformed(e, MAL_ICMP_SHORT);
			return false;
		}
		p->key.sport = (uint16_t)req;
		p->key.dport = bswap16(id);
		p->icmp_reply = type != req;
		return true;
	}
	p->key.sport = (uint16_t)(type | code << 8);
	if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12) {
		struct cursor in = c;
		if (cur_skip(&in, 4) && inner_key(&in, false, &p->ikey)) {
			p->icmp_error = true;
			if (type == 3 && code == 3)
				p->key.dport = bswap16(p->ikey.dport);
			else if (type == 3 || type == 4 || type == 5)
				p->key.dport = (uint16_t)(p->ikey.daddr.v4 >> 16);
		}
	}
	return true;
}
