/*
 * filter_eval.c - flt_match(): runs the flat program over one flow.
 *
 * Every node is one test on fields at fixed offsets of struct ra_flow;
 * its result picks the next node.  Jumps only go forward, so a record
 * takes at most n steps; nothing is allocated, nothing recurses, no name
 * is looked up.  Short programs (FLT_TABLE_MAX tests or fewer) run every
 * test and look the outcome up in their truth table instead.  Only the derived fields (rate, load, ploss ...) call
 * into field.c.
 */
#include "filter.h"
#include "filter_int.h"
#include "field.h"

#include <stddef.h>
#include <string.h>

static inline uint16_t get16(const uint8_t *b, uint16_t off) { uint16_t v; memcpy(&v, b + off, 2); return v; }
static inline uint32_t get32(const uint8_t *b, uint16_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static inline uint64_t get64(const uint8_t *b, uint16_t off) { uint64_t v; memcpy(&v, b + off, 8); return v; }

static inline bool in(uint64_t v, const struct flt_leaf *l) { return (v >= l->lo) & (v <= l->hi); }

/* A pair test: the first result alone, or joined with the second (both are
 * computed: reading a second field costs less than a mispredicted branch). */
static inline bool pair(const struct flt_leaf *l, bool a, bool b)
{
	return l->pair == 0 ? a : l->pair == 1 ? (a | b) : (a & b);
}

static bool icmp_test(const struct flt_leaf *l, const struct ra_flow *f)
{
	const struct flt_icmp_set *s = &l->u.icmp;

	if (RA_HAS(f, RA_BLK_ICMP)) {	/* an ICMP error mapped onto this flow */
		const uint8_t *t = f->family == RA_AF_INET6 ? s->t6 : s->t4;
		unsigned n = f->family == RA_AF_INET6 ? s->n6 : s->n4;
		for (unsigned i = 0; i < n; i++)
			if (f->icmp_type == t[i] && t[i] != 0 && t[i] != 8 && t[i] != 128 && t[i] != 129)
				return true;
	}
	if (f->family == RA_AF_INET && f->proto == 1) {
		for (unsigned i = 0; i < s->n4; i++)
			if (f->sport == s->t4[i])
				return true;
	} else if (f->family == RA_AF_INET6 && f->proto == 58) {
		for (unsigned i = 0; i < s->n6; i++)
			if (f->sport == s->t6[i])
				return true;
	} else {
		return false;
	}
	for (unsigned i = 0; i < s->nst; i++)
		if (f->state == s->st[i])
			return true;
	return false;
}

static bool dbl_test(const struct flt_leaf *l, const struct ra_flow *f)
{
	double v = fld_double(l->field, f);

	switch (l->cmp) {
	case CMP_EQ: return v == l->d;
	case CMP_NE: return v != l->d;
	case CMP_LT: return v < l->d;
	case CMP_LE: return v <= l->d;
	case CMP_GT: return v > l->d;
	default: return v >= l->d;
	}
}

static inline bool net6_test(const struct flt_leaf *l, const uint8_t *b)
{
	uint64_t a[2];

	if (b[l->off2] != RA_AF_INET6)
		return false;
	memcpy(a, b + l->off, 16);
	return ((a[0] & l->u.v6.mask[0]) == l->u.v6.net[0]) & ((a[1] & l->u.v6.mask[1]) == l->u.v6.net[1]);
}

/* Tests are written with & and | rather than && and || where both sides
 * are cheap, so that they compile without data-dependent branches. */
bool flt_leaf_test(const struct flt_leaf *l, const struct ra_flow *f)
{
	const uint8_t *b = (const uint8_t *)f;

	switch (l->op) {
	case OP_RANGE8: return pair(l, in(b[l->off], l), in(b[l->offb], l));
	case OP_RANGE16: return pair(l, in(get16(b, l->off), l), in(get16(b, l->offb), l));
	case OP_RANGE32: return pair(l, in(get32(b, l->off), l), in(get32(b, l->offb), l));
	case OP_RANGE64: return pair(l, in(get64(b, l->off), l), in(get64(b, l->offb), l));
	case OP_SUM32: return in((uint64_t)get32(b, l->off) + get32(b, l->off2), l);
	case OP_SUM64: {
		uint64_t s = get64(b, l->off), d = get64(b, l->off2);
		return in(s + d < s ? UINT64_MAX : s + d, l);
	}
	case OP_DUR: return in(f->ltime > f->stime ? f->ltime - f->stime : 0, l);
	case OP_ANY8: return (b[l->off] & l->bits) != 0;
	case OP_ALL8: return (b[l->off] & l->bits) == l->bits;
	case OP_ANY32: return (get32(b, l->off) & l->bits) != 0;
	case OP_FAMILY: return (l->bits >> (f->family & 31)) & 1u;
	case OP_IPPROTO: return (f->proto == l->lo) & ((l->bits >> (f->family & 31)) & 1u);
	case OP_PORT: {
		bool p = l->bits ? f->proto == l->bits
				 : (f->proto == 6) | (f->proto == 17) | (f->proto == 132);
		return p & ((f->family == RA_AF_INET) | (f->family == RA_AF_INET6)) &
		       pair(l, in(get16(b, l->off), l) != (l->cmp != 0),
			    in(get16(b, l->offb), l) != (l->cmp != 0));
	}
	case OP_NET4: {
		uint8_t fam = b[l->off2];
		return ((fam == RA_AF_INET) | (fam == RA_AF_ARP)) &
		       pair(l, (get32(b, l->off) & l->u.v4.mask) == l->u.v4.net,
			    (get32(b, l->offb) & l->u.v4.mask) == l->u.v4.net);
	}
	case OP_NET6: return net6_test(l, b);
	case OP_MAC: return RA_HAS(f, RA_BLK_L2) && memcmp(b + l->off, l->u.mac, 6) == 0;
	case OP_MACBIT: return RA_HAS(f, RA_BLK_L2) && (b[l->off] & l->bits) != 0;
	case OP_ICMP: return icmp_test(l, f);
	case OP_ETYPE: return (f->family == RA_AF_ETHER) & (f->etype == l->lo);
	case OP_FIELD: return in(fld_uint(l->field, f), l);
	case OP_FIELDD: return dbl_test(l, f);
	default: return false;
	}
}

bool flt_match(const struct ra_filter *flt, const struct ra_flow *f)
{
	const struct flt_node *nodes = flt->nodes;
	uint32_t pc = 0, n = flt->n;

	if (flt->table) {
		uint32_t bits = 0;
		for (uint32_t i = 0; i < n; i++)
			bits |= (uint32_t)flt_leaf_test(&nodes[i].leaf, f) << i;
		return (flt->truth[bits / 64] >> (bits % 64)) & 1u;
	}
	while (pc < n)
		pc = flt_leaf_test(&nodes[pc].leaf, f) ? nodes[pc].jt : nodes[pc].jf;
	return pc == n;
}

bool flt_names_status(const struct ra_filter *flt)
{
	for (uint32_t i = 0; flt && i < flt->n; i++)
		if ((flt->nodes[i].leaf.op == OP_FAMILY || flt->nodes[i].leaf.op == OP_IPPROTO) &&
		    (flt->nodes[i].leaf.bits >> RA_AF_STATUS & 1u))
			return true;
	return false;
}

/* Do width bytes at off lie among the core's fields (stime to dtos, not
 * present), which ra_decode_core fills? */
static bool core_span(uint16_t off, size_t width)
{
	size_t at = off, end = offsetof(struct ra_flow, smac), pr = offsetof(struct ra_flow, present);

	return at + width <= end && (at + width <= pr || at >= pr + sizeof(uint32_t));
}

/* Does a test read only core fields?  (A pair test reads offb whatever
 * its pair, so offb is checked always.) */
static bool leaf_core(const struct flt_leaf *l)
{
	switch (l->op) {
	case OP_RANGE8: return core_span(l->off, 1) && core_span(l->offb, 1);
	case OP_RANGE16: return core_span(l->off, 2) && core_span(l->offb, 2);
	case OP_RANGE32: return core_span(l->off, 4) && core_span(l->offb, 4);
	case OP_RANGE64: return core_span(l->off, 8) && core_span(l->offb, 8);
	case OP_SUM32: return core_span(l->off, 4) && core_span(l->off2, 4);
	case OP_SUM64: return core_span(l->off, 8) && core_span(l->off2, 8);
	case OP_ANY8: case OP_ALL8: return core_span(l->off, 1);
	case OP_ANY32: return core_span(l->off, 4);
	case OP_DUR: case OP_FAMILY: case OP_IPPROTO: case OP_ETYPE: return true;
	case OP_PORT: return core_span(l->off, 2) && core_span(l->offb, 2);
	case OP_NET4: return core_span(l->off2, 1) && core_span(l->off, 4) && core_span(l->offb, 4);
	case OP_NET6: return core_span(l->off2, 1) && core_span(l->off, 16);
	default: return false;	/* blocks, derived fields, the status view */
	}
}

bool flt_core_only(const struct ra_filter *flt)
{
	for (uint32_t i = 0; flt && i < flt->n; i++)
		if (!leaf_core(&flt->nodes[i].leaf))
			return false;
	return flt != NULL;
}
