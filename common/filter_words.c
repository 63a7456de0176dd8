/*
 * filter_words.c - the filter primitives that take a value: host, net,
 * port, proto, ether, broadcast/multicast and the numeric comparisons
 * ([src|dst] pkts|bytes|ttl|... OP N and any numeric field of the field
 * table).  Each turns its qualifiers and value into tree leaves whose
 * operands (offsets into struct ra_flow, masks, ranges) are final: nothing
 * is looked up again when records are matched.
 */
#include "config.h"

#include "filter_int.h"
#include "field.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define OFF(m) ((uint16_t)offsetof(struct ra_flow, m))
#define F4 (1u << RA_AF_INET)
#define F6 (1u << RA_AF_INET6)
#define FARP (1u << RA_AF_ARP)
#define FETH (1u << RA_AF_ETHER)
#define FMAN (1u << RA_AF_STATUS)

/* ---- protocol qualifiers ---- */

static const struct { const char *name; uint32_t fam; int proto; } pquals[] = {
	{ "ip", F4 | F6, -1 }, { "ipv4", F4, -1 }, { "ip6", F6, -1 }, { "ipv6", F6, -1 },
	{ "arp", FARP, -1 }, { "rarp", FARP, -1 },
	{ "tcp", F4 | F6, 6 }, { "udp", F4 | F6, 17 }, { "icmp", F4, 1 }, { "icmp6", F6, 58 },
	{ "igmp", F4, 2 }, { "gre", F4 | F6, 47 }, { "esp", F4 | F6, 50 }, { "ah", F4 | F6, 51 },
	{ "sctp", F4 | F6, 132 },
	{ "man", FMAN, -1 },	/* status records (Argus's management records) */
	{ "health", FMAN, RA_STATUS_HOST },	/* host health records (the view's proto is the kind) */
};

int flt_pq_lookup(const char *expr, const struct flt_token *t)
{
	for (size_t i = 0; i < sizeof(pquals) / sizeof(pquals[0]); i++)
		if (flt_word_is(expr, t, pquals[i].name))
			return (int)i;
	return -1;
}

const char *flt_pq_name(int pq) { return pq >= 0 ? pquals[pq].name : ""; }

uint32_t flt_pq_node(struct flt_parser *p, int pq)
{
	struct flt_leaf l = { 0 };

	l.bits = pquals[pq].fam;
	if (pquals[pq].proto < 0) {
		l.op = OP_FAMILY;
		l.what = "family";
	} else {
		l.op = OP_IPPROTO;
		l.lo = (uint64_t)pquals[pq].proto;
		l.what = "proto";
	}
	return flt_leaf_node(p, &l, false);
}

/* "tcp host x": the protocol test and the primitive. */
uint32_t flt_cast_pq(struct flt_parser *p, int pq, uint32_t node)
{
	if (pq < 0 || node == FLT_BAD)
		return node;
	return flt_ast_bin(p->tree, AST_AND, flt_pq_node(p, pq), node);
}

/* ---- shared helpers ---- */

const char *flt_found(const struct flt_parser *p, const struct flt_token *t, char *buf, size_t cap)
{
	char text[64];

	if (t->type == TK_END) {
		snprintf(buf, cap, "the end of the expression");
	} else {
		size_t n = t->len < sizeof(text) - 4 ? t->len : sizeof(text) - 4;
		memcpy(text, p->expr + t->pos, n);
		memcpy(text + n, t->len > n ? "..." : "", t->len > n ? 4 : 1);
		snprintf(buf, cap, "'%s'", text);
	}
	return buf;
}

void flt_err_at(struct flt_parser *p, const struct flt_token *t, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	flt_error(p->err, t->pos, "%s", what);
}

uint32_t flt_leaf_node(struct flt_parser *p, const struct flt_leaf *leaf, bool negate)
{
	uint32_t n = flt_ast_leaf(p->tree, leaf);
	return negate ? flt_ast_not(p->tree, n) : n;
}

/* Two leaves that differ only in the offset they test can be one pair node. */
static bool same_but_offset(const struct flt_leaf *a, const struct flt_leaf *b)
{
	switch (a->op) {
	case OP_RANGE8: case OP_RANGE16: case OP_RANGE32: case OP_RANGE64: case OP_PORT: case OP_NET4:
		break;
	default:
		return false;
	}
	return a->op == b->op && a->cmp == b->cmp && a->off2 == b->off2 && a->bits == b->bits &&
	       a->lo == b->lo && a->hi == b->hi && a->pair == 0 && b->pair == 0 &&
	       memcmp(&a->u, &b->u, sizeof(a->u)) == 0;
}

uint32_t flt_by_dir(struct flt_parser *p, int dir, int dflt, uint32_t s, uint32_t d)
{
	if (s == FLT_BAD || d == FLT_BAD)
		return FLT_BAD;
	if (dir == DIR_NONE)
		dir = dflt;
	if ((dir == DIR_OR || dir == DIR_AND) && !p->tree->nomem &&
	    p->tree->v[s].kind == AST_LEAF && p->tree->v[d].kind == AST_LEAF &&
	    same_but_offset(&p->tree->v[s].leaf, &p->tree->v[d].leaf)) {
		struct flt_leaf l = p->tree->v[s].leaf;
		l.pair = dir == DIR_OR ? 1 : 2;
		l.offb = p->tree->v[d].leaf.off;
		l.whatb = p->tree->v[d].leaf.what;
		return flt_leaf_node(p, &l, false);
	}
	switch (dir) {
	case DIR_SRC: return s;
	case DIR_DST: return d;
	case DIR_AND: return flt_ast_bin(p->tree, AST_AND, s, d);
	default: return flt_ast_bin(p->tree, AST_OR, s, d);
	}
}

/* ---- addresses ---- */

static bool parse_v4_partial(const char *s, uint32_t *addr, unsigned *octets)
{
	uint32_t a = 0;
	unsigned n = 0;

	for (;;) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255 || n == 4)
			return false;
		a |= v << (24 - 8 * n);
		n++;
		if (*s == 0)
			break;
		if (*s++ != '.')
			return false;
	}
	*addr = a;
	*octets = n;
	return true;
}

static bool looks_v4(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || *s == '.'))
			return false;
	return true;
}

struct addr_val {
	unsigned family;	/* RA_AF_INET or RA_AF_INET6 */
	uint32_t v4, m4;
	uint8_t v6[16], m6[16];
};

/* Parse the value of host/net/srcid at p->i (and a following "mask M"). */
static bool addr_value(struct flt_parser *p, int type, int dir, const struct flt_token *kw,
		       struct addr_val *av)
{
	const struct flt_token *t = flt_peek(p, 0);
	char text[128], found[96], *slash;
	uint64_t plen = 0;
	bool has_len = false;

	memset(av, 0, sizeof(*av));
	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text))) {
		flt_err_at(p, t, "expected an address after '%.*s', found %s", (int)kw->len,
			   p->expr + kw->pos, flt_found(p, t, found, sizeof(found)));
		return false;
	}
	if ((slash = strchr(text, '/')) != NULL) {
		*slash = 0;
		if (type == TY_HOST) {
			flt_err_at(p, t, "a prefix length needs 'net' ('host' takes one address)");
			return false;
		}
		if (!flt_parse_uint(slash + 1, &plen)) {
			flt_err_at(p, t, "'%s' is not a prefix length", slash + 1);
			return false;
		}
		has_len = true;
	}
	if (strchr(text, ':')) {
		if (inet_pton(AF_INET6, text, av->v6) != 1) {
			flt_err_at(p, t, "%s is not an IPv6 address", text);
			return false;
		}
		av->family = RA_AF_INET6;
		if (!has_len)
			plen = 128;
		if (plen > 128) {
			flt_err_at(p, t, "prefix length %llu is out of range for IPv6 (0-128)",
				   (unsigned long long)plen);
			return false;
		}
		for (unsigned i = 0; i < 16; i++) {
			unsigned bits = plen > i * 8 ? (unsigned)plen - i * 8 : 0;
			av->m6[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00u >> bits);
			if (av->v6[i] & ~av->m6[i]) {
				flt_err_at(p, t, "%s/%llu has bits set outside the prefix", text,
					   (unsigned long long)plen);
				return false;
			}
		}
		p->i++;
		return true;
	}
	if (dir == DIR_SRCID && !has_len && !strchr(text, '.')) {
		uint64_t v;
		if (flt_parse_uint(text, &v) && v <= UINT32_MAX) {
			av->family = RA_AF_INET;
			av->v4 = (uint32_t)v;
			av->m4 = UINT32_MAX;
			p->i++;
			return true;
		}
	}
	{
		struct in_addr a;
		unsigned octets = 4;
		bool partial = type == TY_NET && !has_len && !flt_word_is(p->expr, flt_peek(p, 1), "mask");

		if (partial ? !parse_v4_partial(text, &av->v4, &octets) : inet_pton(AF_INET, text, &a) != 1) {
			if (looks_v4(text))
				flt_err_at(p, t, "%s is not an IPv4 address", text);
			else
				flt_err_at(p, t, "'%s' is not an address (names are not looked up)", text);
			return false;
		}
		if (!partial)
			av->v4 = ntohl(a.s_addr);
		if (!has_len)
			plen = 8 * octets;
	}
	av->family = RA_AF_INET;
	if (plen > 32) {
		flt_err_at(p, t, "prefix length %llu is out of range for IPv4 (0-32)", (unsigned long long)plen);
		return false;
	}
	av->m4 = plen ? UINT32_MAX << (32 - plen) : 0;
	p->i++;
	if (type == TY_NET && !has_len && flt_word_is(p->expr, flt_peek(p, 0), "mask")) {
		const struct flt_token *m = flt_peek(p, 1);
		struct in_addr ma;
		if (m->type != TK_WORD || !flt_text(p->expr, m, text, sizeof(text)) ||
		    inet_pton(AF_INET, text, &ma) != 1) {
			flt_err_at(p, m, "expected an IPv4 mask after 'mask', found %s",
				   flt_found(p, m, found, sizeof(found)));
			return false;
		}
		av->m4 = ntohl(ma.s_addr);
		p->i += 2;
	}
	if (av->v4 & ~av->m4) {
		flt_err_at(p, t, "%.*s has bits set outside the network mask", (int)t->len, p->expr + t->pos);
		return false;
	}
	return true;
}

static uint32_t addr_leaf(struct flt_parser *p, const struct addr_val *av, uint16_t off, uint16_t famoff,
			  const char *what)
{
	struct flt_leaf l = { 0 };

	l.off = off;
	l.off2 = famoff;
	l.what = what;
	if (av->family == RA_AF_INET) {
		l.op = OP_NET4;
		l.u.v4.net = av->v4;
		l.u.v4.mask = av->m4;
	} else {
		l.op = OP_NET6;
		memcpy(l.u.v6.net, av->v6, 16);
		memcpy(l.u.v6.mask, av->m6, 16);
	}
	return flt_leaf_node(p, &l, false);
}

uint32_t flt_addr_prim(struct flt_parser *p, int dir, int type, int pq, size_t kw)
{
	struct addr_val av;
	uint32_t need;

	if (!addr_value(p, type, dir, &p->tok[kw], &av))
		return FLT_BAD;
	if (dir == DIR_SRCID)
		return addr_leaf(p, &av, OFF(srcid), OFF(srcid_family), "srcid");
	need = av.family == RA_AF_INET ? F4 | FARP : F6;
	if (pq >= 0 && !(pquals[pq].fam & need)) {
		flt_err_at(p, &p->tok[p->i - 1], "an %s address cannot match '%s'",
			   av.family == RA_AF_INET ? "IPv4" : "IPv6", pquals[pq].name);
		return FLT_BAD;
	}
	return flt_cast_pq(p, pq, flt_by_dir(p, dir, DIR_OR,
		addr_leaf(p, &av, OFF(saddr), OFF(family), "saddr"),
		addr_leaf(p, &av, OFF(daddr), OFF(family), "daddr")));
}

/* ---- ports ---- */

static uint32_t port_leaf(struct flt_parser *p, uint16_t off, uint64_t lo, uint64_t hi, bool neg, int proto)
{
	struct flt_leaf l = { 0 };

	l.op = OP_PORT;
	l.off = off;
	l.lo = lo;
	l.hi = hi;
	l.cmp = neg;
	l.bits = proto > 0 ? (uint32_t)proto : 0;
	l.what = off == OFF(sport) ? "sport" : "dport";
	return flt_leaf_node(p, &l, false);
}

static uint32_t port_pair(struct flt_parser *p, int dir, uint64_t lo, uint64_t hi, bool neg, int proto)
{
	return flt_by_dir(p, dir, DIR_OR, port_leaf(p, OFF(sport), lo, hi, neg, proto),
			  port_leaf(p, OFF(dport), lo, hi, neg, proto));
}

uint32_t flt_port_prim(struct flt_parser *p, int dir, int pq, size_t kw)
{
	const struct flt_token *t;
	char text[128], found[96], *dash;
	int cmp = CMP_EQ, tcp, udp, proto = -1;
	uint64_t lo, hi, a, b;
	bool neg;

	if (pq >= 0) {
		proto = pquals[pq].proto;
		if (proto >= 0 && proto != 6 && proto != 17 && proto != 132) {
			flt_err_at(p, &p->tok[kw], "'port' does not apply to '%s'", pquals[pq].name);
			return FLT_BAD;
		}
		if (proto < 0 && !(pquals[pq].fam & (F4 | F6))) {
			flt_err_at(p, &p->tok[kw], "'port' does not apply to '%s'", pquals[pq].name);
			return FLT_BAD;
		}
	}
	if ((cmp = flt_cmp_of(p->expr, flt_peek(p, 0))) >= 0)
		p->i++;
	else
		cmp = CMP_EQ;
	t = flt_peek(p, 0);
	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text))) {
		flt_err_at(p, t, "expected a port number or name after 'port', found %s",
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	dash = strchr(text, '-');
	if (dash && cmp == CMP_EQ && text[0] >= '0' && text[0] <= '9') {
		*dash = 0;
		if (!flt_parse_uint(text, &a) || !flt_parse_uint(dash + 1, &b)) {
			*dash = '-';
			flt_err_at(p, t, "'%s' is not a port range (use N-M)", text);
			return FLT_BAD;
		}
		if (a > 65535 || b > 65535 || a > b) {
			flt_err_at(p, t, "port range %llu-%llu is not within 0-65535 in increasing order",
				   (unsigned long long)a, (unsigned long long)b);
			return FLT_BAD;
		}
		p->i++;
		return flt_cast_pq(p, proto < 0 ? pq : -1, port_pair(p, dir, a, b, false, proto));
	}
	if (flt_parse_uint(text, &a) && a > 65535) {
		flt_err_at(p, t, "port %s is out of range (0-65535)", text);
		return FLT_BAD;
	}
	if (!flt_port_lookup(text, &tcp, &udp)) {
		flt_err_at(p, t, "expected a port number or name after 'port', found %s",
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	p->i++;
	if (proto == 6 || proto == 17) {
		int n = proto == 6 ? tcp : udp;
		if (n < 0) {
			flt_err_at(p, t, "'%s' is not a %s service", text, pquals[pq].name);
			return FLT_BAD;
		}
		tcp = udp = n;
	}
	if (tcp != udp && (tcp < 0 || udp < 0)) {
		/* a name known for one protocol only: restrict to it (tcpdump) */
		proto = tcp >= 0 ? 6 : 17;
		tcp = udp = tcp >= 0 ? tcp : udp;
	}
	if (tcp != udp) {
		if (cmp != CMP_EQ) {
			flt_err_at(p, t, "'%s' names different tcp and udp ports; compare with a number", text);
			return FLT_BAD;
		}
		return flt_cast_pq(p, proto < 0 ? pq : -1, flt_ast_bin(p->tree, AST_OR,
			port_pair(p, dir, (uint64_t)tcp, (uint64_t)tcp, false, 6),
			port_pair(p, dir, (uint64_t)udp, (uint64_t)udp, false, 17)));
	}
	flt_range(cmp, (uint64_t)tcp, 65535, &lo, &hi, &neg);
	return flt_cast_pq(p, proto < 0 ? pq : -1, port_pair(p, dir, lo, hi, neg, proto));
}

/* ---- proto, ether, broadcast, multicast ---- */

uint32_t flt_proto_prim(struct flt_parser *p, int pq, size_t kw)
{
	const struct flt_token *t = flt_peek(p, 0);
	char text[64], found[96];
	struct flt_leaf l = { 0 };
	int n;

	if (pq >= 0 && pquals[pq].proto >= 0) {
		flt_err_at(p, &p->tok[kw], "'%s proto' makes no sense: '%s' is a protocol", pquals[pq].name,
			   pquals[pq].name);
		return FLT_BAD;
	}
	if (pq >= 0 && !(pquals[pq].fam & (F4 | F6))) {
		flt_err_at(p, &p->tok[kw], "'%s' has no IP protocol", pquals[pq].name);
		return FLT_BAD;
	}
	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text)) ||
	    (n = flt_proto_lookup(text)) < 0) {
		flt_err_at(p, t, "expected a protocol number or name after 'proto', found %s",
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	p->i++;
	l.op = OP_IPPROTO;
	l.lo = (uint64_t)n;
	l.bits = pq >= 0 ? pquals[pq].fam : F4 | F6;
	l.what = "proto";
	return flt_leaf_node(p, &l, false);
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0, digits = 0;
		while (digits < 2 && ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
				      (*s >= 'A' && *s <= 'F'))) {
			v = v * 16 + (unsigned)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
			s++;
			digits++;
		}
		if (!digits)
			return false;
		mac[i] = (uint8_t)v;
		if (i < 5 && *s != ':' && *s != '-')
			return false;
		if (i < 5)
			s++;
	}
	return *s == 0;
}

static uint32_t mac_leaf(struct flt_parser *p, int op, uint16_t off, const uint8_t *mac, uint32_t bits)
{
	struct flt_leaf l = { 0 };

	l.op = (uint8_t)op;
	l.off = off;
	l.bits = bits;
	l.what = off == OFF(smac) ? "smac" : "dmac";
	if (mac)
		memcpy(l.u.mac, mac, 6);
	return flt_leaf_node(p, &l, false);
}

uint32_t flt_mcast_prim(struct flt_parser *p, int dir, int pq, bool ether, bool bcast, size_t kw)
{
	static const uint8_t allones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct addr_val v4 = { .family = RA_AF_INET }, v6 = { .family = RA_AF_INET6 };
	uint32_t n4, n6;

	if (ether)
		return bcast ? flt_by_dir(p, dir, DIR_DST, mac_leaf(p, OP_MAC, OFF(smac), allones, 0),
					  mac_leaf(p, OP_MAC, OFF(dmac), allones, 0))
			     : flt_by_dir(p, dir, DIR_DST, mac_leaf(p, OP_MACBIT, OFF(smac), NULL, 1),
					  mac_leaf(p, OP_MACBIT, OFF(dmac), NULL, 1));
	if (pq >= 0 && pquals[pq].proto >= 0) {
		flt_err_at(p, &p->tok[kw], "'%s' cannot qualify '%s'", pquals[pq].name,
			   bcast ? "broadcast" : "multicast");
		return FLT_BAD;
	}
	if (bcast && pq >= 0 && pquals[pq].fam == F6) {
		flt_err_at(p, &p->tok[kw], "IPv6 has no broadcast address");
		return FLT_BAD;
	}
	v4.v4 = bcast ? 0xffffffffu : 0xe0000000u;
	v4.m4 = bcast ? 0xffffffffu : 0xf0000000u;
	v6.v6[0] = 0xff;
	v6.m6[0] = 0xff;
	n4 = flt_by_dir(p, dir, DIR_DST, addr_leaf(p, &v4, OFF(saddr), OFF(family), "saddr"),
			addr_leaf(p, &v4, OFF(daddr), OFF(family), "daddr"));
	if (bcast || (pq >= 0 && pquals[pq].fam == F4))
		return n4;
	n6 = flt_by_dir(p, dir, DIR_DST, addr_leaf(p, &v6, OFF(saddr), OFF(family), "saddr"),
			addr_leaf(p, &v6, OFF(daddr), OFF(family), "daddr"));
	if (pq >= 0 && pquals[pq].fam == F6)
		return n6;
	return flt_ast_bin(p->tree, AST_OR, n4, n6);
}

/* After 'ether' (at kw): host|src|dst [host] MAC, proto X, broadcast, multicast. */
uint32_t flt_ether_prim(struct flt_parser *p, int dir, size_t kw)
{
	const struct flt_token *t = flt_peek(p, 0);
	char text[64], found[96];
	uint8_t mac[6];

	(void)kw;
	if (flt_word_is(p->expr, t, "src") || flt_word_is(p->expr, t, "dst")) {
		dir = flt_word_is(p->expr, t, "src") ? DIR_SRC : DIR_DST;
		t = flt_peek(p, 1);
		p->i++;
	}
	if (flt_word_is(p->expr, t, "host")) {
		p->i++;
		t = flt_peek(p, 0);
	} else if (dir == DIR_NONE) {
		if (flt_word_is(p->expr, t, "broadcast") || flt_word_is(p->expr, t, "multicast")) {
			p->i++;
			return flt_mcast_prim(p, DIR_DST, -1, true, flt_word_is(p->expr, t, "broadcast"), kw);
		}
		if (flt_word_is(p->expr, t, "proto")) {
			long et;
			struct flt_leaf l = { 0 };
			t = flt_peek(p, 1);
			if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text)) ||
			    (et = flt_etype_lookup(text)) < 0) {
				flt_err_at(p, t, "expected an ethertype number or name after 'ether proto', found %s",
					   flt_found(p, t, found, sizeof(found)));
				return FLT_BAD;
			}
			p->i += 2;
			if (et == 0x0800 || et == 0x86dd || et == 0x0806 || et == 0x8035) {
				l.op = OP_FAMILY;
				l.bits = et == 0x0800 ? F4 : et == 0x86dd ? F6 : FARP;
				l.what = "family";
			} else {
				l.op = OP_ETYPE;
				l.lo = (uint64_t)et;
				l.what = "etype";
			}
			return flt_leaf_node(p, &l, false);
		}
		flt_err_at(p, t, "expected host, src, dst, proto, broadcast or multicast after 'ether', found %s",
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	if (t->type != TK_WORD || !flt_text(p->expr, t, text, sizeof(text)) || !parse_mac(text, mac)) {
		flt_err_at(p, t, "expected a MAC address (like 0:1:2:3:4:5), found %s",
			   flt_found(p, t, found, sizeof(found)));
		return FLT_BAD;
	}
	p->i++;
	return flt_by_dir(p, dir, DIR_OR, mac_leaf(p, OP_MAC, OFF(smac), mac, 0),
			  mac_leaf(p, OP_MAC, OFF(dmac), mac, 0));
}
