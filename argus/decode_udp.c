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
