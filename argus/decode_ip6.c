/*
 * decode_ip6.c - IPv6 (RFC 8200): fixed header, the extension-header chain
 * (hop-by-hop, routing, destination options, fragment, AH) and the hand-off
 * to the transport decoders.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |           Flow Label                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  Source Address (128 bits)                    |
 *   |               Destination Address (128 bits)                  |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Extension header: | Next Header | Hdr Ext Len (8-octet units - 1) | ...
 *   Fragment header:  | Next Header | Reserved | Offset(13) Res(2) M |
 *                     |                 Identification                 |
 *
 * Each turn of the extension loop consumes at least 8 bytes.  A fragment
 * with a non-zero offset is folded into the flow of its first fragment
 * (frag.c); Argus makes bogus flows of them.
 */
#include "engine_int.h"

#include <string.h>

#include "cursor.h"

#define MAX_EXT 16

void decode_ip6(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t len)
{
	struct cursor c = cur_make(bytes, len);
	uint32_t vtcfl = 0;
	uint16_t plen = 0;
	uint8_t nh = 0, hlim = 0;
	struct flow_key *k = &p->key;

	memset(k, 0, sizeof *k);
	if (!cur_be32(&c, &vtcfl) || !cur_be16(&c, &plen) || !cur_u8(&c, &nh) || !cur_u8(&c, &hlim) ||
	    !cur_bytes(&c, k->saddr.v6, 16) || !cur_bytes(&c, k->daddr.v6, 16)) {
		engine_malformed(e, MAL_IP6_SHORT);
		return;
	}
	if ((vtcfl >> 28) != 6) {
		engine_malformed(e, MAL_IP_BADHDR);
		return;
	}
	k->family = RA_AF_INET6;
	p->ttl = hlim;
	p->tos = (uint8_t)(vtcfl >> 20);
	if (p->tos & 0x03)
		p->flgs |= RA_FL_ECN;
	if (plen)	/* 0: jumbogram or TSO capture, trust the capture */
		cur_window(&c, plen);
	uint32_t paylen = plen ? plen : (uint32_t)cur_left(&c);

	for (unsigned n = 0; n < MAX_EXT; n++) {
		uint8_t next = 0, elen = 0;
		struct cursor h = c;
		switch (nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
		case 135:	/* mobility */
			if (!cur_u8(&h, &next) || !cur_u8(&h, &elen) || !cur_skip(&c, (elen + 1u) * 8u)) {
				engine_malformed(e, MAL_IP6_SHORT);
				return;
			}
			paylen = paylen >= (elen + 1u) * 8u ? paylen - (elen + 1u) * 8u : 0;
			nh = next;
			continue;
		case 51:	/* AH: length in 4-octet units - 2 */
			if (!cur_u8(&h, &next) || !cur_u8(&h, &elen) || !cur_skip(&c, (elen + 2u) * 4u)) {
				engine_malformed(e, MAL_IP6_SHORT);
				return;
			}
			paylen = paylen >= (elen + 2u) * 4u ? paylen - (elen + 2u) * 4u : 0;
			nh = next;
			continue;
		case 44: {	/* fragment */
			uint8_t res;
			uint16_t offm = 0;
			uint32_t id = 0;
			if (!cur_u8(&c, &next) || !cur_u8(&c, &res) || !cur_be16(&c, &offm) ||
			    !cur_be32(&c, &id)) {
				engine_malformed(e, MAL_IP6_SHORT);
				return;
			}
			paylen = paylen >= 8 ? paylen - 8 : 0;
			p->frag_id = id;
			if (offm & 0xfff8) {
				p->frag_later = true;
				p->frag_more = offm & 1;
			} else if (offm & 1)
				p->frag_first = true;
			nh = next;
			if (p->frag_later)
				goto done;	/* no further headers in a later fragment */
			continue;
		}
		default:
			goto done;
		}
	}
done:
	k->proto = nh;
	decode_transport(e, p, cur_ptr(&c), (uint32_t)cur_left(&c), paylen);
}
