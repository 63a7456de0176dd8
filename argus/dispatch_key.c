/*
 * dispatch_key.c - the worker of a captured frame: a symmetric hash of its
 * flow's address pair, found by a walk over the headers that mirrors the
 * engine's decoders (see dispatch_key.h for the rule and why).
 *
 * Kept in step with decode_link.c (Ethernet, 802.1Q/802.1ad tags, LLC/SNAP,
 * MPLS, SLL/SLL2, null/loop, PPP, raw), decode_ip.c, decode_ip6.c,
 * decode_arp.c and the ICMP error parse of decode_icmp.c.  Every read goes
 * through the cursor.
 */
#include "dispatch_key.h"

#include <pcap/dlt.h>
#include <string.h>

#include "cursor.h"

#define MAX_TAGS 8		/* as decode_link.c */
#define MAX_EXT 16		/* as decode_ip6.c */

/* splitmix64's finaliser: every input bit reaches every output bit. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

/* Unordered pair of n-byte addresses (n <= 16): the same both ways. */
static uint32_t pair_hash(const uint8_t *a, const uint8_t *b, unsigned n)
{
	uint64_t x[2] = { 0, 0 }, y[2] = { 0, 0 };

	memcpy(x, a, n);
	memcpy(y, b, n);
	uint64_t h = mix64(x[0] ^ mix64(x[1] + n)) + mix64(y[0] ^ mix64(y[1] + n));
	return (uint32_t)(mix64(h) >> 32);
}

static void mac_pair(const uint8_t *smac, const uint8_t *dmac, struct dispatch_key *k)
{
	k->hash = pair_hash(smac, dmac, 6);
	k->ok = true;
}

/* The quoted packet of an ICMP error (decode_icmp.c inner_key()): c is at
 * the ICMP header's 5th byte. */
static void quoted(struct cursor c, bool v6, struct dispatch_key *k)
{
	uint8_t s[16], d[16];

	if (!cur_skip(&c, 4))
		return;
	if (!v6) {
		uint8_t vihl = 0;
		struct cursor h = c;
		if (!cur_u8(&h, &vihl) || (vihl >> 4) != 4 || (vihl & 15) < 5 || !cur_skip(&h, 11) ||
		    !cur_bytes(&h, s, 4) || !cur_bytes(&h, d, 4) || !cur_has(&c, (vihl & 15) * 4u))
			return;
		k->ihash = pair_hash(s, d, 4);
	} else {
		if (!cur_skip(&c, 8) || !cur_bytes(&c, s, 16) || !cur_bytes(&c, d, 16))
			return;
		k->ihash = pair_hash(s, d, 16);
	}
	k->icmp_error = true;
}

static void ip4(const uint8_t *b, uint32_t len, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint8_t s[4], d[4];

	if (!cur_has(&c, 20))
		return;
	unsigned hlen = (b[0] & 0x0f) * 4u;
	unsigned totlen = (unsigned)(b[2] << 8 | b[3]);
	uint8_t proto = b[9];
	bool later = ((b[6] << 8 | b[7]) & 0x1fff) != 0;
	if ((b[0] >> 4) != 4 || hlen < 20)
		return;
	if (totlen < hlen) {
		if (totlen != 0)
			return;
		totlen = len > 0xffff ? 0xffff : len;
	}
	memcpy(s, b + 12, 4);
	memcpy(d, b + 16, 4);
	if (!cur_skip(&c, hlen))
		return;
	cur_window(&c, totlen - hlen);
	if (!later && proto == 1) {
		struct cursor t = c;
		uint8_t type = 0;
		if (cur_u8(&t, &type) && cur_skip(&t, 3) &&
		    (type == 3 || type == 4 || type == 5 || type == 11 || type == 12))
			quoted(t, false, k);
	} else if (!later && proto == 2) {
		/* IGMPv1/v2: keyed by the group (decode_ip.c) */
		struct cursor t = c;
		uint8_t type = 0, g[4];
		if (cur_u8(&t, &type) && cur_skip(&t, 3) && cur_bytes(&t, g, 4) && (g[0] | g[1] | g[2] | g[3]) &&
		    (type == 0x11 || type == 0x12 || type == 0x16 || type == 0x17))
			memcpy(d, g, 4);
	}
	k->hash = pair_hash(s, d, 4);
	k->ok = true;
}

static void ip6(const uint8_t *b, uint32_t len, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint8_t s[16], d[16], nh = 0;
	uint32_t vtcfl = 0;
	uint16_t plen = 0;
	bool later = false;

	if (!cur_be32(&c, &vtcfl) || !cur_be16(&c, &plen) || !cur_u8(&c, &nh) || !cur_skip(&c, 1) ||
	    !cur_bytes(&c, s, 16) || !cur_bytes(&c, d, 16) || (vtcfl >> 28) != 6)
		return;
	if (plen)
		cur_window(&c, plen);
	for (unsigned n = 0; n < MAX_EXT && !later; n++) {
		struct cursor h = c;
		uint8_t next = 0, elen = 0;
		uint16_t offm = 0;
		switch (nh) {
		case 0: case 43: case 60: case 135:
			if (!cur_u8(&h, &next) || !cur_u8(&h, &elen) || !cur_skip(&c, (elen + 1u) * 8u))
				return;
			nh = next;
			continue;
		case 51:
			if (!cur_u8(&h, &next) || !cur_u8(&h, &elen) || !cur_skip(&c, (elen + 2u) * 4u))
				return;
			nh = next;
			continue;
		case 44:
			if (!cur_u8(&c, &next) || !cur_skip(&c, 1) || !cur_be16(&c, &offm) || !cur_skip(&c, 4))
				return;
			later = (offm & 0xfff8) != 0;
			nh = next;
			continue;
		default:
			break;
		}
		break;
	}
	if (!later && nh == 58) {
		struct cursor t = c;
		uint8_t type = 0;
		if (cur_u8(&t, &type) && cur_skip(&t, 3) && type >= 1 && type <= 4)
			quoted(t, true, k);
	}
	k->hash = pair_hash(s, d, 16);
	k->ok = true;
}

static void arp(const uint8_t *b, uint32_t len, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint16_t htype = 0, ptype = 0, op = 0;
	uint8_t hlen = 0, plen = 0, spa[4], tpa[4];

	if (!cur_be16(&c, &htype) || !cur_be16(&c, &ptype) || !cur_u8(&c, &hlen) || !cur_u8(&c, &plen) ||
	    !cur_be16(&c, &op) || ptype != 0x0800 || plen != 4 || !cur_skip(&c, hlen) ||
	    !cur_bytes(&c, spa, 4) || !cur_skip(&c, hlen) || !cur_bytes(&c, tpa, 4))
		return;
	k->hash = pair_hash(spa, tpa, 4);
	k->ok = true;
}

static void mpls(const uint8_t *b, uint32_t len, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint32_t entry = 0;
	unsigned n = 0;
	uint8_t v = 0;

	do {
		if (!cur_be32(&c, &entry))
			return;
		n++;
	} while (!(entry & 0x100) && n < MAX_TAGS * 4);
	struct cursor peek = c;
	if (!cur_u8(&peek, &v))
		return;
	if ((v >> 4) == 4)
		ip4(cur_ptr(&c), (uint32_t)cur_left(&c), k);
	else if ((v >> 4) == 6)
		ip6(cur_ptr(&c), (uint32_t)cur_left(&c), k);
}

/* decode_ethertype(); smac/dmac NULL when the frame has none. */
static void ethertype(uint16_t etype, const uint8_t *b, uint32_t len, const uint8_t *smac,
		      const uint8_t *dmac, struct dispatch_key *k)
{
	switch (etype) {
	case 0x0800: ip4(b, len, k); return;
	case 0x86dd: ip6(b, len, k); return;
	case 0x0806: case 0x8035: arp(b, len, k); return;
	case 0x8847: case 0x8848: mpls(b, len, k); return;
	default:
		if (smac)
			mac_pair(smac, dmac, k);
		return;
	}
}

static void ether(const uint8_t *b, uint32_t len, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint16_t type = 0;

	if (!cur_skip(&c, 12) || !cur_be16(&c, &type))
		return;
	if (type == 0x0800) {
		ip4(b + 14, len - 14, k);
		return;
	}
	for (unsigned n = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; n++)
		if (n >= MAX_TAGS || !cur_skip(&c, 2) || !cur_be16(&c, &type))
			return;
	if (type <= 1500) {
		struct cursor llc = c;
		uint8_t h[8];
		cur_window(&llc, type);
		if (cur_bytes(&llc, h, 8) && h[0] == 0xaa && h[1] == 0xaa && !h[3] && !h[4] && !h[5]) {
			uint16_t st = (uint16_t)(h[6] << 8 | h[7]);
			if (st == 0x0800 || st == 0x86dd || st == 0x0806) {
				uint32_t off = (uint32_t)c.off + 8;
				ethertype(st, b + off, len - off, b + 6, b, k);
				return;
			}
		}
		mac_pair(b + 6, b, k);
		return;
	}
	ethertype(type, cur_ptr(&c), (uint32_t)cur_left(&c), b + 6, b, k);
}

static void sll(const uint8_t *b, uint32_t len, bool v2, struct dispatch_key *k)
{
	static const uint8_t zero[6];
	struct cursor c = cur_make(b, len);
	uint16_t proto = 0, halen = 0;
	uint8_t addr[8];

	if (v2) {
		uint8_t halen8 = 0;
		if (!cur_be16(&c, &proto) || !cur_skip(&c, 9) || !cur_u8(&c, &halen8) || !cur_bytes(&c, addr, 8))
			return;
		halen = halen8;
	} else if (!cur_skip(&c, 4) || !cur_be16(&c, &halen) || !cur_bytes(&c, addr, 8) || !cur_be16(&c, &proto))
		return;
	const uint8_t *smac = halen == 6 ? b + (v2 ? 12 : 6) : NULL;
	if (proto == 0x0004) {
		if (smac)
			mac_pair(smac, zero, k);
		return;
	}
	for (unsigned n = 0; proto == 0x8100 && n < MAX_TAGS; n++)
		if (!cur_skip(&c, 2) || !cur_be16(&c, &proto))
			return;
	ethertype(proto, cur_ptr(&c), (uint32_t)cur_left(&c), smac, zero, k);
}

static void null_loop(const uint8_t *b, uint32_t len, bool loop, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint32_t af = 0;

	if (!(loop ? cur_be32(&c, &af) : cur_le32(&c, &af)))
		return;
	if (!loop && (af & 0xffff0000u) && !(af & 0xffff))
		af = __builtin_bswap32(af);
	if (af == 2)
		ip4(b + 4, len - 4, k);
	else if (af == 10 || af == 24 || af == 28 || af == 30)
		ip6(b + 4, len - 4, k);
}

static void ppp(const uint8_t *b, uint32_t len, struct dispatch_key *k)
{
	struct cursor c = cur_make(b, len);
	uint8_t b0 = 0, b1 = 0;
	uint16_t proto = 0;

	if (!cur_u8(&c, &b0) || !cur_u8(&c, &b1))
		return;
	if (b0 == 0xff && b1 == 0x03) {
		if (!cur_be16(&c, &proto))
			return;
	} else
		proto = (uint16_t)(b0 << 8 | b1);
	const uint8_t *p = cur_ptr(&c);
	uint32_t n = (uint32_t)cur_left(&c);
	if (proto == 0x0021)
		ip4(p, n, k);
	else if (proto == 0x0057)
		ip6(p, n, k);
	else if (proto == 0x0281 || proto == 0x0283)
		mpls(p, n, k);
}

void dispatch_key(int dlt, const uint8_t *b, uint32_t caplen, struct dispatch_key *k)
{
	memset(k, 0, sizeof *k);
	switch (dlt) {
	case DLT_EN10MB:
		ether(b, caplen, k);
		break;
	case DLT_LINUX_SLL:
		sll(b, caplen, false, k);
		break;
	case 276:
		sll(b, caplen, true, k);
		break;
	case DLT_RAW: case 101: case DLT_IPV4: case DLT_IPV6:
		if (caplen && (b[0] >> 4) == 4)
			ip4(b, caplen, k);
		else if (caplen && (b[0] >> 4) == 6)
			ip6(b, caplen, k);
		break;
	case DLT_NULL:
		null_loop(b, caplen, false, k);
		break;
	case DLT_LOOP:
		null_loop(b, caplen, true, k);
		break;
	case DLT_PPP: case 50:
		ppp(b, caplen, k);
		break;
	default:
		break;
	}
}
