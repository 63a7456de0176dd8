/*
 * decode_link.c - link layers: Ethernet (IEEE 802.3) with 802.1Q/802.1ad
 * tags, 802.2 LLC/SNAP, MPLS label stacks (RFC 3032), Linux cooked capture
 * (SLL and SLL2), raw IP, BSD loopback/null and PPP (RFC 1661, RFC 1662).
 *
 *   Ethernet II / 802.3:
 *   +-----------------+-----------------+-------------+
 *   | destination (6) |   source (6)    | type/len(2) |  type <= 1500: 802.3 length,
 *   +-----------------+-----------------+-------------+  then LLC: DSAP SSAP control
 *   802.1Q / 802.1ad tag (after the addresses, repeated for QinQ):
 *   | TPID 0x8100/0x88a8/0x9100 (2) | PCP/DEI/VID (2) | type (2) |
 *   MPLS label stack entry (RFC 3032), until the bottom-of-stack bit:
 *   | label (20) | TC (3) | S (1) | TTL (8) |
 *   Linux SLL (16 bytes): pkttype(2) hatype(2) halen(2) addr(8) protocol(2)
 *   Linux SLL2 (20 bytes): protocol(2) reserved(2) ifindex(4) hatype(2)
 *                          pkttype(1) halen(1) addr(8)
 *   BSD null/loop: 4-byte address family (host order / network order)
 *   PPP: [0xff 0x03] protocol(2): 0x0021 IPv4, 0x0057 IPv6, 0x0281 MPLS
 *
 * Frames that carry neither IP nor ARP become MAC-keyed flows, as Argus
 * makes them: 802.2 LLC frames keyed by their SAPs (etype 0), other
 * ethertypes by the ethertype.  Every read goes through the cursor.
 */
#include "engine_int.h"

#include <pcap/dlt.h>
#include <string.h>

#include "cursor.h"

#define ETYPE_IP 0x0800
#define ETYPE_ARP 0x0806
#define ETYPE_RARP 0x8035
#define ETYPE_VLAN 0x8100
#define ETYPE_QINQ 0x88a8
#define ETYPE_QINQ_OLD 0x9100
#define ETYPE_IPV6 0x86dd
#define ETYPE_MPLS 0x8847
#define ETYPE_MPLS_MC 0x8848

#define MAX_TAGS 8		/* VLAN tags or MPLS labels we walk before giving up */

static void mac_flow(struct engine *e, struct pkt *p, uint16_t etype, struct cursor *c)
{
	struct flow_key *k = &p->key;

	memset(k, 0, sizeof *k);
	k->family = RA_AF_ETHER;
	memcpy(k->saddr.mac, p->smac, 6);
	memcpy(k->daddr.mac, p->dmac, 6);
	k->etype = etype;
	k->portdir = 1;
	if (etype == 0) {
		uint8_t dsap = 0, ssap = 0;
		if (!cur_u8(c, &dsap) || !cur_u8(c, &ssap)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
		k->sport = ssap;
		k->dport = dsap;
	}
	p->applen = (uint32_t)cur_left(c);
	p->payload = cur_ptr(c);
	p->paycap = (uint32_t)cur_left(c);
	engine_flow_packet(e, p);
}

/* MPLS: walk the label stack, then guess IPv4 or IPv6 from the version. */
static void decode_mpls(struct engine *e, struct pkt *p, const uint8_t *bytes, uint32_t off)
{
	struct cursor c = cur_make(bytes + off, p->caplen - off);
	uint32_t entry = 0;
	unsigned n = 0;

	p->flgs |= RA_FL_MPLS;
	do {
		if (!cur_be32(&c, &entry)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
		if (n++ == 0)
			p->mpls = entry >> 12;
	} while (!(entry & 0x100) && n < MAX_TAGS * 4);
	uint8_t v = 0;
	struct cursor peek = c;
	if (!cur_u8(&peek, &v)) {
		engine_malformed(e, MAL_LINK_SHORT);
		return;
	}
	off += (uint32_t)c.off;
	if ((v >> 4) == 4)
		decode_ip(e, p, bytes + off, p->caplen - off);
	else if ((v >> 4) == 6)
		decode_ip6(e, p, bytes + off, p->caplen - off);
	else
		engine_malformed(e, MAL_LINK_UNSUPPORTED);
}

void decode_ethertype(struct engine *e, struct pkt *p, uint16_t etype, const uint8_t *bytes,
		      uint32_t off)
{
	struct cursor c = cur_make(bytes + off, p->caplen - off);

	switch (etype) {
	case ETYPE_IP:
		decode_ip(e, p, bytes + off, p->caplen - off);
		return;
	case ETYPE_IPV6:
		decode_ip6(e, p, bytes + off, p->caplen - off);
		return;
	case ETYPE_ARP:
	case ETYPE_RARP:
		decode_arp(e, p, bytes + off, p->caplen - off);
		return;
	case ETYPE_MPLS:
	case ETYPE_MPLS_MC:
		decode_mpls(e, p, bytes, off);
		return;
	default:
		if (p->have_mac)
			mac_flow(e, p, etype, &c);
		else
			engine_malformed(e, MAL_LINK_UNSUPPORTED);
		return;
	}
}

static void decode_ether(struct engine *e, struct pkt *p, const uint8_t *bytes)
{
	struct cursor c = cur_make(bytes, p->caplen);

	if (!cur_has(&c, 14)) {	/* the addresses and the type, read below in one go */
		engine_malformed(e, MAL_LINK_SHORT);
		return;
	}
	memcpy(p->dmac, bytes, 6);
	memcpy(p->smac, bytes + 6, 6);
	uint16_t type = hdr_be16(bytes + 12);
	c.off = 14;
	p->have_mac = true;
	p->flgs |= RA_FL_ETHER;
	if (type == ETYPE_IP) {	/* the common case first */
		decode_ip(e, p, bytes + 14, p->caplen - 14);
		return;
	}
	for (unsigned n = 0; (type == ETYPE_VLAN || type == ETYPE_QINQ || type == ETYPE_QINQ_OLD); n++) {
		uint16_t tci = 0;
		if (n >= MAX_TAGS || !cur_be16(&c, &tci) || !cur_be16(&c, &type)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
		if (n == 0)
			p->vlan = tci & 0x0fff;
		p->flgs |= RA_FL_8021Q;
	}
	if (type <= 1500) {
		/* 802.3 length: 802.2 LLC; SNAP with OUI 0 carries an ethertype. */
		struct cursor llc = c;
		uint8_t dsap = 0, ssap = 0, ctl = 0, oui[3] = { 0, 0, 0 };
		uint16_t snap_type = 0;
		cur_window(&llc, type);
		if (cur_u8(&llc, &dsap) && cur_u8(&llc, &ssap) && cur_u8(&llc, &ctl) && dsap == 0xaa &&
		    ssap == 0xaa && cur_bytes(&llc, oui, 3) && cur_be16(&llc, &snap_type) &&
		    oui[0] == 0 && oui[1] == 0 && oui[2] == 0 &&
		    (snap_type == ETYPE_IP || snap_type == ETYPE_IPV6 || snap_type == ETYPE_ARP)) {
			decode_ethertype(e, p, snap_type, bytes, (uint32_t)(c.off + 8));
			return;
		}
		mac_flow(e, p, 0, &c);
		return;
	}
	decode_ethertype(e, p, type, bytes, (uint32_t)c.off);
}

static void decode_sll(struct engine *e, struct pkt *p, const uint8_t *bytes, bool v2)
{
	struct cursor c = cur_make(bytes, p->caplen);
	uint16_t proto = 0, hatype = 0, halen = 0;
	uint8_t addr[8];

	if (v2) {
		uint8_t pkttype, halen8 = 0;
		if (!cur_be16(&c, &proto) || !cur_skip(&c, 6) || !cur_be16(&c, &hatype) ||
		    !cur_u8(&c, &pkttype) || !cur_u8(&c, &halen8) || !cur_bytes(&c, addr, 8)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
		halen = halen8;
	} else {
		if (!cur_skip(&c, 2) || !cur_be16(&c, &hatype) || !cur_be16(&c, &halen) ||
		    !cur_bytes(&c, addr, 8) || !cur_be16(&c, &proto)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
	}
	p->flgs |= RA_FL_SLL;
	/* The cooked header is not on the wire: count what was (as Argus does). */
	p->wirelen = p->wirelen > c.off ? p->wirelen - (uint32_t)c.off : 0;
	if (halen == 6) {
		memcpy(p->smac, addr, 6);
		p->have_mac = true;
	}
	if (proto == 0x0004) {	/* 802.2 LLC frame without an Ethernet header */
		if (p->have_mac)
			mac_flow(e, p, 0, &c);
		return;
	}
	for (unsigned n = 0; proto == ETYPE_VLAN && n < MAX_TAGS; n++) {
		uint16_t tci = 0;
		if (!cur_be16(&c, &tci) || !cur_be16(&c, &proto)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
		if (n == 0)
			p->vlan = tci & 0x0fff;
		p->flgs |= RA_FL_8021Q;
	}
	decode_ethertype(e, p, proto, bytes, (uint32_t)c.off);
}

static void decode_null(struct engine *e, struct pkt *p, const uint8_t *bytes, bool loop)
{
	struct cursor c = cur_make(bytes, p->caplen);
	uint32_t af = 0;

	if (!(loop ? cur_be32(&c, &af) : cur_le32(&c, &af))) {
		engine_malformed(e, MAL_LINK_SHORT);
		return;
	}
	if (!loop && (af & 0xffff0000u) && !(af & 0xffff))	/* written on a big-endian host */
		af = __builtin_bswap32(af);
	if (af == 2)
		decode_ip(e, p, bytes + 4, p->caplen - 4);
	else if (af == 10 || af == 24 || af == 28 || af == 30)
		decode_ip6(e, p, bytes + 4, p->caplen - 4);
	else
		engine_malformed(e, MAL_LINK_UNSUPPORTED);
}

static void decode_ppp(struct engine *e, struct pkt *p, const uint8_t *bytes)
{
	struct cursor c = cur_make(bytes, p->caplen);
	uint8_t b0 = 0, b1 = 0;
	uint16_t proto = 0;

	if (!cur_u8(&c, &b0) || !cur_u8(&c, &b1)) {
		engine_malformed(e, MAL_LINK_SHORT);
		return;
	}
	if (b0 == 0xff && b1 == 0x03) {
		if (!cur_be16(&c, &proto)) {
			engine_malformed(e, MAL_LINK_SHORT);
			return;
		}
	} else
		proto = (uint16_t)(b0 << 8 | b1);
	p->flgs |= RA_FL_PPP;
	switch (proto) {
	case 0x0021:
		decode_ip(e, p, bytes + c.off, p->caplen - (uint32_t)c.off);
		return;
	case 0x0057:
		decode_ip6(e, p, bytes + c.off, p->caplen - (uint32_t)c.off);
		return;
	case 0x0281:
	case 0x0283:
		decode_mpls(e, p, bytes, (uint32_t)c.off);
		return;
	default:
		engine_malformed(e, MAL_LINK_UNSUPPORTED);
	}
}

static void decode_raw(struct engine *e, struct pkt *p, const uint8_t *bytes)
{
	uint8_t v = p->caplen ? bytes[0] >> 4 : 0;

	if (v == 4)
		decode_ip(e, p, bytes, p->caplen);
	else if (v == 6)
		decode_ip6(e, p, bytes, p->caplen);
	else
		engine_malformed(e, p->caplen ? MAL_IP_BADHDR : MAL_LINK_SHORT);
}

/* Link types this engine decodes (the source checks before capturing). */
bool engine_dlt_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB: case DLT_LINUX_SLL: case 276 /* DLT_LINUX_SLL2 */:
	case DLT_RAW: case 101 /* LINKTYPE_RAW */: case DLT_IPV4: case DLT_IPV6:
	case DLT_NULL: case DLT_LOOP: case DLT_PPP: case 50 /* DLT_PPP_SERIAL */:
		return true;
	default:
		return false;
	}
}

void decode_link(struct engine *e, int dlt, struct pkt *p, const uint8_t *bytes)
{
	switch (dlt) {
	case DLT_EN10MB:
		decode_ether(e, p, bytes);
		break;
	case DLT_LINUX_SLL:
		decode_sll(e, p, bytes, false);
		break;
	case 276:
		decode_sll(e, p, bytes, true);
		break;
	case DLT_RAW:
	case 101:
	case DLT_IPV4:
	case DLT_IPV6:
		decode_raw(e, p, bytes);
		break;
	case DLT_NULL:
		decode_null(e, p, bytes, false);
		break;
	case DLT_LOOP:
		decode_null(e, p, bytes, true);
		break;
	case DLT_PPP:
	case 50:
		decode_ppp(e, p, bytes);
		break;
	default:
		engine_unsupported_dlt(e, dlt);
		break;
	}
}
