/*
 * sample.c - samples from sFlow's sampled headers and from flow records.
 *
 * The header parser reads through the bounds-checked cursor: Ethernet II
 * (RFC 894) with up to four 802.1Q/802.1ad tags, IPv4 (RFC 791: the
 * fragment offset and MF bit give apermon's frag column), IPv6 (RFC 8200:
 * hop-by-hop, routing, destination options and fragment headers walked),
 * then the TCP/UDP ports and TCP flags when the header holds them.
 */
#include "config.h"

#include <string.h>

#include "cursor.h"
#include "sample.h"

static void l4(struct sample *s, struct cursor *c)
{
	uint16_t sp, dp;

	if (s->frag == 2)
		return;
	if (s->proto == 6 || s->proto == 17 || s->proto == 132) {
		if (!cur_be16(c, &sp) || !cur_be16(c, &dp))
			return;
		s->sport = sp;
		s->dport = dp;
		if (s->proto == 6 && cur_skip(c, 9)) {
			uint8_t fl;
			if (cur_u8(c, &fl))
				s->tcpflags = fl;
		}
	} else if (s->proto == 1 || s->proto == 58) {
		uint8_t type, code;
		if (cur_u8(c, &type) && cur_u8(c, &code)) {
			s->sport = type;
			s->dport = code;
		}
	}
}

static bool ipv4(struct sample *s, struct cursor *c)
{
	uint8_t vhl, tos, ttl, proto;
	uint16_t frag;

	uint32_t src, dst;

	if (!cur_u8(c, &vhl) || (vhl >> 4) != 4 || (vhl & 15) < 5 || !cur_u8(c, &tos) ||
	    !cur_skip(c, 4) || !cur_be16(c, &frag) || !cur_u8(c, &ttl) || !cur_u8(c, &proto) ||
	    !cur_skip(c, 2) || !cur_be32(c, &src) || !cur_be32(c, &dst))
		return false;
	memset(&s->src, 0, sizeof(s->src));
	memset(&s->dst, 0, sizeof(s->dst));
	s->src.v4 = src;
	s->dst.v4 = dst;
	s->family = RA_AF_INET;
	s->proto = proto;
	s->tos = tos;
	s->ttl = ttl;
	s->frag = (frag & 0x1fff) ? 2 : (frag & 0x2000) ? 1 : 0;
	if (!cur_skip(c, (size_t)((vhl & 15) - 5) * 4))
		return true;
	l4(s, c);
	return true;
}

static bool ipv6(struct sample *s, struct cursor *c)
{
	uint8_t b0, b1, nh, hl;

	if (!cur_u8(c, &b0) || (b0 >> 4) != 6 || !cur_u8(c, &b1) || !cur_skip(c, 4) ||
	    !cur_u8(c, &nh) || !cur_u8(c, &hl) || !cur_bytes(c, s->src.v6, 16) || !cur_bytes(c, s->dst.v6, 16))
		return false;
	s->family = RA_AF_INET6;
	s->tos = (uint8_t)((b0 & 15) << 4 | b1 >> 4);
	s->ttl = hl;
	for (int i = 0; i < 8; i++) {
		uint8_t next, len;
		if (nh == 44) {		/* fragment */
			uint16_t off;
			if (!cur_u8(c, &next) || !cur_skip(c, 1) || !cur_be16(c, &off) || !cur_skip(c, 4))
				break;
			s->frag = (off & 0xfff8) ? 2 : (off & 1) ? 1 : 0;
			nh = next;
			continue;
		}
		if (nh != 0 && nh != 43 && nh != 60)
			break;
		if (!cur_u8(c, &next) || !cur_u8(c, &len) || !cur_skip(c, (size_t)len * 8 + 6))
			break;
		nh = next;
	}
	s->proto = nh;
	l4(s, c);
	return true;
}

bool sample_from_header(struct sample *s, const uint8_t *hdr, size_t len, bool ethernet)
{
	struct cursor c = cur_make(hdr, len);
	uint16_t type;

	s->tcpflags = 0;
	s->frag = 0;
	s->sport = s->dport = 0;
	if (ethernet) {
		if (!cur_skip(&c, 12) || !cur_be16(&c, &type))
			return false;
		for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); i++)
			if (!cur_skip(&c, 2) || !cur_be16(&c, &type))
				return false;
		if (type == 0x0800)
			return ipv4(s, &c);
		if (type == 0x86dd)
			return ipv6(s, &c);
		return false;
	}
	if (cur_left(&c) < 1)
		return false;
	return (hdr[0] >> 4) == 4 ? ipv4(s, &c) : ipv6(s, &c);
}

static void from_flow(const struct ra_flow *f, struct sample *s, bool reply)
{
	memset(s, 0, sizeof(*s));
	s->t_ms = f->ltime / 1000;
	s->family = f->family;
	s->proto = f->proto;
	s->src = reply ? f->daddr : f->saddr;
	s->dst = reply ? f->saddr : f->daddr;
	s->sport = reply ? f->dport : f->sport;
	s->dport = reply ? f->sport : f->dport;
	s->tcpflags = reply ? f->dtcpflags : f->stcpflags;
	s->ttl = reply ? f->dttl : f->sttl;
	s->tos = reply ? f->dtos : f->stos;
	s->inif = reply ? f->outif : f->inif;
	s->outif = reply ? f->inif : f->outif;
	s->frag = (f->flgs & RA_FL_FRAG) ? 1 : 0;
	s->pkts = reply ? f->dpkts : f->spkts;
	s->bytes = reply ? f->dbytes : f->sbytes;
	s->agent = -1;
	s->flow = f;
}

unsigned sample_from_flow(const struct ra_flow *f, struct sample out[2])
{
	unsigned n = 0;
	bool syn = f->proto == 6 && (f->stcpflags & RA_TCP_SYN);
	bool answered = (f->dtcpflags & (RA_TCP_SYN | RA_TCP_ACK)) == (RA_TCP_SYN | RA_TCP_ACK);

	if (f->family != RA_AF_INET && f->family != RA_AF_INET6)
		return 0;
	from_flow(f, &out[n], false);
	out[n].flows = f->trans ? f->trans : 1;
	out[n].syns = syn && !answered ? (int64_t)(f->spkts ? f->spkts : 1) : 0;
	n++;
	if (f->dpkts) {
		from_flow(f, &out[n], true);
		n++;
	}
	return n;
}

void sample_to_flow(const struct sample *s, struct ra_flow *f)
{
	ra_flow_init(f);
	f->stime = f->ltime = s->t_ms * 1000;
	f->family = s->family;
	f->proto = s->proto;
	f->saddr = s->src;
	f->daddr = s->dst;
	f->sport = s->sport;
	f->dport = s->dport;
	f->stcpflags = s->tcpflags;
	f->sttl = s->ttl;
	f->stos = s->tos;
	f->spkts = s->pkts;
	f->sbytes = s->bytes;
	f->inif = s->inif;
	f->outif = s->outif;
	f->dir = RA_DIR_FWD;
	f->flgs = RA_FL_SAMPLED | (s->frag ? RA_FL_FRAG : 0);
}
