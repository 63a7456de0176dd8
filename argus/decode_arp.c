/*
 * decode_arp.c - ARP and RARP (RFC 826) over Ethernet, as Argus models
 * them: a flow from the asking host to the asked-for address (sender and
 * target protocol addresses of the request), Dir "who"; the reply is
 * counted in the other direction.  Two hosts asking for each other make
 * two flows, as in Argus.
 *
 *   +---------------+---------------+-------+-------+---------------+
 *   | hw type (2)   | proto type (2)| hlen  | plen  | operation (2) |
 *   +---------------+---------------+-------+-------+---------------+
 *   | sender hw addr (hlen) | sender proto addr (plen) |
 *   | target hw addr (hlen) | target proto addr (plen) |
 *
 * Anything but IPv4 protocol addresses becomes a MAC-keyed flow.
 */
#include "engine_int.h"

#include <string.h>

#include "cursor.h"

void decode_arp(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len)
{
	struct cursor c = cur_make(bytes, len);
	uint16_t htype, ptype = 0, op = 0;
	uint8_t hlen = 0, plen = 0;
	uint32_t spa = 0, tpa = 0;

	if (!cur_be16(&c, &htype) || !cur_be16(&c, &ptype) || !cur_u8(&c, &hlen) || !cur_u8(&c, &plen) ||
	    !cur_be16(&c, &op)) {
		engine_malformed(e, MAL_ARP_SHORT);
		return;
	}
	if (ptype != 0x0800 || plen != 4) {
		engine_malformed(e, MAL_ARP_SHORT);
		return;
	}
	if (!cur_skip(&c, hlen) || !cur_be32(&c, &spa) || !cur_skip(&c, hlen) || !cur_be32(&c, &tpa)) {
		engine_malformed(e, MAL_ARP_SHORT);
		return;
	}
	struct flow_key *k = &p->key;
	memset(k, 0, sizeof *k);
	k->family = RA_AF_ARP;
	k->portdir = 2;
	if (op == 2 || op == 4) {	/* a reply belongs to the request's flow */
		k->saddr.v4 = tpa;
		k->daddr.v4 = spa;
		p->force_rev = true;
	} else {
		k->saddr.v4 = spa;
		k->daddr.v4 = tpa;
	}
	p->arp_op = (uint8_t)op;
	p->applen = 0;
	engine_flow_packet(e, p);
}
