/*
 * filter_raw.c - a compiled filter run on a flow record's bytes where they
 * lie in the read buffer: the common tests (family, protocol, port, address
 * under a mask) read the core through record.h's offsets (enum ra_core_at)
 * without decoding the record.  Every test is computed, without branches
 * that depend on the data, and the outcome taken from the program's truth
 * table or its jumps, so the answer is flt_match's by construction.
 */
#include "config.h"

#include "filter.h"
#include "filter_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum raw_kind { RK_FAMILY, RK_IPPROTO, RK_PORT, RK_NET4, RK_NET6 };

struct raw_test {
	uint8_t kind;		/* enum raw_kind */
	uint8_t pair;		/* as flt_leaf: 0 one place, 1 either, 2 both */
	uint8_t neg;		/* RK_PORT: the range negated */
	uint8_t proto;		/* RK_IPPROTO, RK_PORT (0: tcp, udp or sctp) */
	uint16_t a, b;		/* where in the record (b: a pair's second place) */
	uint32_t fams;		/* RK_FAMILY, RK_IPPROTO: 1 << family */
	uint32_t lo, hi;	/* RK_PORT */
	uint32_t net, mask;	/* RK_NET4 */
	uint64_t net6[2], mask6[2];
};

#define RAW_MAX 32		/* tests in a program the bits of one word hold */
#define RAW_TABLE 10		/* up to this many: the outcome from a table */

struct flt_raw {
	const struct ra_filter *flt;
	uint32_t n;
	bool table;
	uint64_t truth[(1u << RAW_TABLE) / 64];	/* the program's outcome for each bits */
	struct raw_test t[RAW_MAX];
};

static inline unsigned le16(const uint8_t *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A port's place in the record, from its place in struct ra_flow; 0 none. */
static uint16_t port_at(uint16_t off)
{
	return off == offsetof(struct ra_flow, sport) ? RA_AT_SPORT
	       : off == offsetof(struct ra_flow, dport) ? RA_AT_DPORT : 0;
}

/* An address's place: the source is at one place in both cores, the
 * destination after the 4 or 16 bytes of the source. */
static uint16_t addr_at(uint16_t off, bool v6)
{
	if (off == offsetof(struct ra_flow, saddr))
		return RA_AT_SADDR;
	if (off == offsetof(struct ra_flow, daddr))
		return v6 ? RA_AT_DADDR6 : RA_AT_DADDR4;
	return 0;
}

/* One leaf as a test on the bytes; false when it reads anything else. */
static bool compile(const struct flt_leaf *l, struct raw_test *t)
{
	memset(t, 0, sizeof(*t));
	t->pair = l->pair;
	switch (l->op) {
	case OP_FAMILY:
		t->kind = RK_FAMILY;
		t->fams = l->bits;
		return true;
	case OP_IPPROTO:
		if (l->lo > 255)
			return false;
		t->kind = RK_IPPROTO;
		t->proto = (uint8_t)l->lo;
		t->fams = l->bits;
		return true;
	case OP_PORT:
		if (l->bits > 255 || l->lo > 65535)
			return false;
		t->kind = RK_PORT;
		t->proto = (uint8_t)l->bits;
		t->neg = l->cmp != 0;
		t->lo = (uint32_t)l->lo;
		t->hi = l->hi > 65535 ? 65535 : (uint32_t)l->hi;
		t->a = port_at(l->off);
		t->b = l->pair ? port_at(l->offb) : t->a;
		return t->a && t->b;
	case OP_NET4:
		if (l->off2 != offsetof(struct ra_flow, family))
			return false;
		t->kind = RK_NET4;
		t->net = l->u.v4.net;
		t->mask = l->u.v4.mask;
		t->a = addr_at(l->off, false);
		t->b = l->pair ? addr_at(l->offb, false) : t->a;
		return t->a && t->b;
	case OP_NET6:
		if (l->off2 != offsetof(struct ra_flow, family))
			return false;
		t->kind = RK_NET6;
		memcpy(t->net6, l->u.v6.net, sizeof(t->net6));
		memcpy(t->mask6, l->u.v6.mask, sizeof(t->mask6));
		t->a = addr_at(l->off, true);
		return t->a != 0;
	default:
		return false;
	}
}

struct flt_raw *flt_raw_new(const struct ra_filter *flt)
{
	struct flt_raw *x;

	if (!flt || flt->n > RAW_MAX)
		return NULL;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	x->flt = flt;
	x->n = flt->n;
	for (uint32_t i = 0; i < flt->n; i++) {
		if (!compile(&flt->nodes[i].leaf, &x->t[i])) {
			free(x);
			return NULL;
		}
	}
	if (x->n <= RAW_TABLE) {	/* conjunctions too: no jumps on the data at all */
		for (uint32_t bits = 0; bits < 1u << x->n; bits++) {
			uint32_t pc = 0;
			while (pc < x->n)
				pc = (bits >> pc & 1u) ? flt->nodes[pc].jt : flt->nodes[pc].jf;
			if (pc == x->n)
				x->truth[bits / 64] |= 1ull << (bits % 64);
		}
		x->table = true;
	}
	return x;
}

void flt_raw_free(struct flt_raw *x)
{
	free(x);
}

static inline bool pair(unsigned how, bool a, bool b)
{
	return how == 0 ? a : how == 1 ? (a | b) : (a & b);
}

/* The same tests as flt_leaf_test's on the decoded flow.  A record of
 * either core is at least 64 bytes, so every IPv4 place can be read; IPv6
 * places only once the family says the core is 88. */
static inline bool raw_test(const struct raw_test *t, const uint8_t *r, unsigned fam, unsigned proto)
{
	switch (t->kind) {
	case RK_FAMILY:
		return (t->fams >> fam) & 1u;
	case RK_IPPROTO:
		return (proto == t->proto) & ((t->fams >> fam) & 1u);
	case RK_PORT: {
		unsigned x = le16(r + t->a), y = le16(r + t->b);
		bool p = t->proto ? proto == t->proto : (proto == 6) | (proto == 17) | (proto == 132);
		bool ia = ((x >= t->lo) & (x <= t->hi)) != t->neg, ib = ((y >= t->lo) & (y <= t->hi)) != t->neg;
		return p & ((fam == RA_AF_INET) | (fam == RA_AF_INET6)) & pair(t->pair, ia, ib);
	}
	case RK_NET4:
		return ((fam == RA_AF_INET) | (fam == RA_AF_ARP)) &
		       pair(t->pair, (be32(r + t->a) & t->mask) == t->net, (be32(r + t->b) & t->mask) == t->net);
	default: {	/* RK_NET6 */
		uint64_t v[2];
		if (fam != RA_AF_INET6)
			return false;
		memcpy(v, r + t->a, 16);
		return ((v[0] & t->mask6[0]) == t->net6[0]) & ((v[1] & t->mask6[1]) == t->net6[1]);
	}
	}
}

int flt_raw_match(const struct flt_raw *x, const uint8_t *rec, size_t len)
{
	const struct ra_filter *flt = x->flt;
	unsigned fam, proto;
	uint32_t bits = 0, pc = 0;

	if (!ra_flow_core_final(rec, len))
		return -1;
	fam = rec[RA_AT_RFLAGS] & 7;
	proto = rec[RA_AT_PROTO];
	for (uint32_t i = 0; i < x->n; i++)
		bits |= (uint32_t)raw_test(&x->t[i], rec, fam, proto) << i;
	if (x->table)
		return (int)((x->truth[bits / 64] >> (bits % 64)) & 1u);
	while (pc < x->n)
		pc = (bits >> pc & 1u) ? flt->nodes[pc].jt : flt->nodes[pc].jf;
	return pc == x->n;
}
