/*
 * sflow_udp.c - link, IP and UDP headers just far enough to reach the UDP
 * payload sent to one port (RFC 791 IPv4, RFC 8200 IPv6, RFC 768 UDP,
 * IEEE 802.1Q tags).  Used by the sFlow file input; reads only through
 * the cursor.
 *
 *   Ethernet | [802.1Q/802.1ad tag]... | IPv4 or IPv6 [+ ext headers] | UDP | payload
 */
#include "sflow_udp.h"

#include <pcap/dlt.h>
#include <string.h>

#include "cursor.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define MAX_TAGS 8

static enum sflow_udp_result udp(struct cursor *c, uint16_t port, struct sflow_udp *out)
{
	uint16_t sport, dport, ulen, sum;

	if (!cur_be16(c, &sport) || !cur_be16(c, &dport) || !cur_be16(c, &ulen) || !cur_be16(c, &sum))
		return SFLOW_UDP_TRUNCATED;
	if (dport != port)
		return SFLOW_UDP_OTHER;
	if (ulen < 8)
		return SFLOW_UDP_TRUNCATED;
	if (!cur_has(c, (size_t)ulen - 8))
		return SFLOW_UDP_TRUNCATED;
	out->payload = cur_ptr(c);
	out->len = (size_t)ulen - 8;
	return SFLOW_UDP_OK;
}

static enum sflow_udp_result ipv4(struct cursor *c, uint16_t port, struct sflow_udp *out)
{
	uint8_t vhl, tos, ttl, proto;
	uint16_t total, id, frag, sum;
	uint32_t src, dst;
	size_t hlen;

	if (!cur_u8(c, &vhl) || !cur_u8(c, &tos) || !cur_be16(c, &total) || !cur_be16(c, &id) ||
	    !cur_be16(c, &frag) || !cur_u8(c, &ttl) || !cur_u8(c, &proto) || !cur_be16(c, &sum) ||
	    !cur_be32(c, &src) || !cur_be32(c, &dst))
		return SFLOW_UDP_TRUNCATED;
	hlen = (size_t)(vhl & 0x0f) * 4;
	if (vhl >> 4 != 4 || hlen < 20 || total < hlen)
		return SFLOW_UDP_OTHER;
	if (proto != 17)
		return SFLOW_UDP_OTHER;
	if (frag & 0x3fff)
		return SFLOW_UDP_FRAGMENT;
	if (!cur_skip(c, hlen - 20))
		return SFLOW_UDP_TRUNCATED;
	cur_window(c, (size_t)total - hlen);	/* Ethernet padding is not payload */
	out->src_family = RA_AF_INET;
	memset(&out->src, 0, sizeof(out->src));
	out->src.v4 = src;
	return udp(c, port, out);
}

static enum sflow_udp_result ipv6(struct cursor *c, uint16_t port, struct sflow_udp *out)
{
	uint32_t vtcfl;
	uint16_t plen;
	uint8_t next, hops, dst[16];

	memset(&out->src, 0, sizeof(out->src));
	if (!cur_be32(c, &vtcfl) || !cur_be16(c, &plen) || !cur_u8(c, &next) || !cur_u8(c, &hops) ||
	    !cur_bytes(c, out->src.v6, 16) || !cur_bytes(c, dst, 16))
		return SFLOW_UDP_TRUNCATED;
	if (vtcfl >> 28 != 6)
		return SFLOW_UDP_OTHER;
	out->src_family = RA_AF_INET6;
	cur_window(c, plen);
	for (unsigned i = 0; i < 8; i++) {	/* extension headers, bounded */
		uint8_t nh, len8;
		switch (next) {
		case 17:
			return udp(c, port, out);
		case 44:
			return SFLOW_UDP_FRAGMENT;
		case 0: case 43: case 60:
			if (!cur_u8(c, &nh) || !cur_u8(c, &len8) || !cur_skip(c, (size_t)len8 * 8 + 6))
				return SFLOW_UDP_TRUNCATED;
			next = nh;
			break;
		default:
			return SFLOW_UDP_OTHER;
		}
	}
	return SFLOW_UDP_OTHER;
}

static enum sflow_udp_result by_ethertype(struct cursor *c, uint16_t type, uint16_t port,
					  struct sflow_udp *out)
{
	if (type == ETHERTYPE_IPV4)
		return ipv4(c, port, out);
	if (type == ETHERTYPE_IPV6)
		return ipv6(c, port, out);
	return SFLOW_UDP_OTHER;
}

static enum sflow_udp_result by_version(struct cursor *c, uint16_t port, struct sflow_udp *out)
{
	if (!cur_has(c, 1))
		return SFLOW_UDP_TRUNCATED;
	switch (cur_ptr(c)[0] >> 4) {
	case 4: return ipv4(c, port, out);
	case 6: return ipv6(c, port, out);
	default: return SFLOW_UDP_OTHER;
	}
}

enum sflow_udp_result sflow_udp_payload(int dlt, const uint8_t *pkt, size_t caplen,
					uint16_t port, struct sflow_udp *out)
{
	struct cursor c = cur_make(pkt, caplen);
	uint16_t type;
	uint32_t family;

	switch (dlt) {
	case DLT_EN10MB:
		if (!cur_skip(&c, 12) || !cur_be16(&c, &type))
			return SFLOW_UDP_TRUNCATED;
		for (unsigned i = 0; i < MAX_TAGS && (type == 0x8100 || type == 0x88a8 ||
						      type == 0x9100); i++)
			if (!cur_skip(&c, 2) || !cur_be16(&c, &type))
				return SFLOW_UDP_TRUNCATED;
		return by_ethertype(&c, type, port, out);
	case DLT_LINUX_SLL:
		if (!cur_skip(&c, 14) || !cur_be16(&c, &type))
			return SFLOW_UDP_TRUNCATED;
		return by_ethertype(&c, type, port, out);
	case DLT_RAW:
		return by_version(&c, port, out);
	case DLT_NULL:		/* host byte order family: just look at the IP version */
	case DLT_LOOP:
		if (!cur_le32(&c, &family))
			return SFLOW_UDP_TRUNCATED;
		return by_version(&c, port, out);
	default:
		return SFLOW_UDP_OTHER;
	}
}
