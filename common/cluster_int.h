/*
 * cluster_int.h - what racluster's key, merge and table files share.
 */
#ifndef COMMON_CLUSTER_INT_H
#define COMMON_CLUSTER_INT_H

#include <string.h>

#include "cluster.h"
#include "hash.h"

static inline bool cl_bit_has(const uint64_t m[2], unsigned id) { return (m[id >> 6] >> (id & 63)) & 1u; }
static inline void cl_bit_set(uint64_t m[2], unsigned id) { m[id >> 6] |= 1ull << (id & 63); }

/* Prefix bits of a family's addresses: 32, 128, or 0 (MACs: no prefixes). */
unsigned cl_family_bits(unsigned family);
/* Bytes a key item of this field takes in the key. */
size_t cl_item_size(unsigned field);
/* Keep the first len bits of an address. */
void cl_mask_addr(unsigned family, union ra_addr *a, unsigned len);
/* f's key (s->keylen bytes) into out; the flow key of the reverse direction. */
void cl_build_key(const struct cl_spec *s, const struct ra_flow *f, uint64_t *out);
void cl_reverse_key(const struct cl_spec *s, const uint64_t *key, uint64_t *out);
/* r's key: the same bytes cl_build_key makes from the whole record. */
void cl_rec_key(const struct cl_spec *s, const struct cl_rec *r, uint64_t *out);
/* Both keys of an IPv4 record without cold blocks under the flow key: as
 * cl_rec_key and cl_reverse_key make them (false for any other record). */
bool cl_rec_flow_keys4(const struct cl_spec *s, const struct cl_rec *r, uint64_t *key, uint64_t *rkey);
/* r's key, and for the flow key of an IP flow (*ip) the reverse
 * direction's too. */
void cl_rec_keys(const struct cl_spec *s, const struct cl_rec *r, uint64_t *key, uint64_t *rkey, bool *ip);
/* Compile s->key4 and s->ops4 from s->items (cl_spec_parse calls it). */
void cl_key4_compile(struct cl_spec *s);
/* Swap the marks of an already merged record: blank pairs, address prefixes. */
void cl_swap_marks(uint64_t blank[2], uint8_t *prefix_set, uint8_t *sprefix, uint8_t *dprefix);
/* Swap r's directions (and full's, which r then points at). */
void cl_rec_swap(struct cl_rec *r, struct ra_flow *full);
/* r copied into c (its whole record into full, when it has one), the
 * copy's directions swapped; returns c. */
const struct cl_rec *cl_rec_swapped(struct cl_rec *c, struct ra_flow *full, const struct cl_rec *r);

/* Bytes of cl_rec.id0 and cl_hot.id0. */
enum { CL_B_PROTO, CL_B_FAMILY, CL_B_STTL, CL_B_DTTL, CL_B_SDSB, CL_B_DDSB, CL_B_SECN, CL_B_DECN };
#define CL_ID0_BYTE(w, b) ((uint8_t)((w) >> 8 * (b)))
static inline uint8_t cl_rec_stos(uint64_t id0, int dst)
{
	return (uint8_t)(CL_ID0_BYTE(id0, CL_B_SDSB + dst) << 2 | CL_ID0_BYTE(id0, CL_B_SECN + dst));
}

/*
 * A merged group, right after its key in the table's arena: what every
 * merge touches, in as few cache lines as it fits (160 bytes).  What
 * fewer records carry (MACs, VLANs, timing, sFlow ids, ICMP) and the
 * addresses of MAC-keyed flows are in a cold part of their own, made when
 * a group first needs it; IPv6 addresses in a small part of theirs (struct
 * cl_v6), so the groups that have them need not take a cold part.  TCP
 * counters (a few records in most groups) are in an array beside the
 * arena, at the group's number (struct cl_tcp): a lookup knows where they
 * are as soon as it knows the group, and fetches them with it.
 */
struct cl_hot {
	uint64_t cnt[6];	/* spkts dpkts sbytes dbytes sappbytes dappbytes */
	uint64_t stime, ltime;
	uint64_t dur_min, dur_max, dur_sum;
	double dur_sumsq;	/* microseconds^2 */
	uint64_t id0, id1;	/* as in cl_rec; a field that differed is zero (not the family) */
	uint32_t sa, da;	/* 32-bit families: the addresses, kept to their prefix */
	uint32_t trans;
	uint32_t hash;		/* of the key; free list link when not live */
	uint32_t cold;		/* number of the cold part + 1; 0: none */
	uint32_t tcp;		/* the group's own number + 1: where its TCP counters are (CL_G_TCP) */
	uint32_t present;
	uint32_t synack, ackdat;
	uint16_t flgs;
	uint16_t chk;		/* bytes of id0 (bits 0-7) and id1 (8-15) still compared */
	uint8_t state, cause, dir, stcpflags, dtcpflags;
	uint8_t prefix[2];	/* saddr, daddr: common prefix or CL_NO_PREFIX */
	uint8_t gflags;		/* CL_G_x */
};

enum {
	CL_G_LIVE = 1,		/* 0: on the free list */
	CL_G_DIRMIX = 2,	/* members disagreed on Dir */
	CL_G_ADDRBLANK = 4,	/* members disagreed on the family: addresses blank */
	CL_G_WIDE = 8,		/* addresses are 128-bit or MACs: not in sa, da */
	CL_G_COLDCMP = 16,	/* every record is compared with the cold part too */
	CL_G_V6 = 32,		/* IPv6 addresses, in a part of their own (its number + 1 in sa);
				 * else wide addresses (MACs) are in the cold part */
	CL_G_TCP = 64,		/* TCP counters, beside the group's number in the table's TCP array */
};

/* An IPv6 group's addresses, kept to their prefix. */
struct cl_v6 {
	union ra_addr saddr, daddr;
};

/* sretrans dretrans sooo dooo swinshut dwinshut, summed */
struct cl_tcp {
	uint32_t n[6];
};

struct cl_cold {
	uint64_t blank[2];	/* marks of cold fields, and of merged inputs */
	struct ra_flow f;	/* the cold fields (and wide addresses, etype) */
};	/* the marks first: a merge reads them, the addresses and the blocks present in its first two lines */

/* What cl_hot.chk starts as under spec s (keyed fields are not compared). */
uint16_t cl_chk_init(const struct cl_spec *s);
/* Does r need its group to have a cold part?  Must it be merged into the cold part g has? */
bool cl_rec_needs_cold(const struct cl_rec *r);
static inline bool cl_rec_touches_cold(const struct cl_rec *r, const struct cl_hot *g)
{
	return r->full || r->prefix_set || (r->blank[0] | r->blank[1]) || (g->gflags & CL_G_COLDCMP);
}
/* A new group from its first record (c: its cold part, when it needs one). */
void cl_hot_init(const struct cl_spec *s, uint16_t chk, struct cl_hot *g, const struct cl_rec *r);
void cl_v6_init(struct cl_hot *g, struct cl_v6 *v, const struct cl_rec *r);
void cl_cold_init(const struct cl_spec *s, struct cl_hot *g, struct cl_cold *c, struct cl_v6 *v,
		  const struct cl_rec *r);
/* A cold part made for a group that had none (its records had no cold
 * fields); g->cold already names it. */
void cl_cold_open(struct cl_hot *g, struct cl_cold *c);
/* A further record merged: always cl_hot_merge, then cl_cold_merge when
 * the group has a cold part (made first when r needs one). */
void cl_hot_merge(const struct cl_spec *s, struct cl_hot *g, const struct cl_rec *r);
/* Its slow ways: identity fields that differ (x0, x1: the differing bits
 * still compared); a 32-bit address meeting another (keep the common prefix). */
void cl_id_differs(struct cl_hot *g, uint64_t x0, uint64_t x1);
void cl_narrow32(uint8_t *prefix, uint32_t *ga, uint32_t x);
void cl_cold_merge(const struct cl_spec *s, struct cl_hot *g, struct cl_cold *c, struct cl_v6 *v,
		   const struct cl_rec *r);
/* An IPv6 group's addresses meet a record's (c: its cold part, NULL when
 * none); before cl_cold_merge. */
void cl_v6_merge(const struct cl_spec *s, struct cl_hot *g, struct cl_v6 *v, const struct cl_cold *c,
		 const union ra_addr *saddr, const union ra_addr *daddr);
/* A group of one record as it is emitted: what cl_hot_init, cl_cold_init
 * and cl_materialize make of it, from the record (its copy on the log,
 * swapped when it was merged so), decoded once.  again: out is as the
 * last call left it (a decode need not clear it all first). */
bool cl_materialize_one(const struct cl_spec *s, const uint8_t *rec, size_t len, bool swapped, bool again,
			struct cl_group *out, struct ra_err *err);
/* The group as it is emitted. */
void cl_materialize(const struct cl_spec *s, uint16_t chk, const struct cl_hot *g, const struct cl_cold *c,
		    const struct cl_tcp *tcp, const struct cl_v6 *v, struct cl_group *out);

/* Tables (merge.c) for the two below: a load is fewer instructions than
 * computing them, and they are in every merge. */
extern const uint64_t cl_expand8_of[256];
extern const uint32_t cl_mask32_of[256];

/* Eight bits to eight bytes of 0x00 or 0xff. */
static inline uint64_t cl_expand8(unsigned b) { return cl_expand8_of[b & 0xff]; }

/* The mask of a 32-bit address's first prefix bits (CL_NO_PREFIX and more than 32: all). */
static inline uint32_t cl_mask32(uint8_t prefix) { return cl_mask32_of[prefix]; }

/* What a merge takes from a record (cl_rec's hot fields, by value). */
struct cl_mv {
	uint64_t id0, id1;
	uint32_t sa, da;	/* 32-bit families' addresses */
	uint64_t cnt[6];
	uint64_t stime, ltime, dur_min, dur_max, dur_sum;
	double dur_sumsq;
	uint32_t trans, synack, ackdat, present;
	uint16_t flgs;
	uint8_t state, cause, dir, stcpflags, dtcpflags;
};

/* cl_hot_merge, for callers that make v where the merge can see it (the
 * compiler then keeps its fields in registers rather than in memory). */
static inline __attribute__((always_inline)) void cl_hot_merge_mv(struct cl_hot *g, const struct cl_mv *r)
{
	uint64_t x0 = (r->id0 ^ g->id0) & cl_expand8(g->chk);
	uint64_t x1 = (r->id1 ^ g->id1) & cl_expand8((unsigned)g->chk >> 8);

	if (x0 | x1)
		cl_id_differs(g, x0, x1);
	if (!(g->gflags & (CL_G_WIDE | CL_G_ADDRBLANK))) {
		uint32_t xs = (r->sa ^ g->sa) & cl_mask32(g->prefix[0]);
		uint32_t xd = (r->da ^ g->da) & cl_mask32(g->prefix[1]);
		if (xs)
			cl_narrow32(&g->prefix[0], &g->sa, xs);
		if (xd)
			cl_narrow32(&g->prefix[1], &g->da, xd);
	}
	g->gflags |= r->dir != g->dir ? CL_G_DIRMIX : 0;	/* branches here and below would be mispredicted */
	g->cnt[0] += r->cnt[0];	/* spelt out: the loop was not unrolled */
	g->cnt[1] += r->cnt[1];
	g->cnt[2] += r->cnt[2];
	g->cnt[3] += r->cnt[3];
	g->cnt[4] += r->cnt[4];
	g->cnt[5] += r->cnt[5];
	if (r->stime < g->stime)
		g->stime = r->stime;
	bool later = r->ltime >= g->ltime;
	g->ltime = later ? r->ltime : g->ltime;
	g->state = later ? r->state : g->state;
	g->cause = later ? r->cause : g->cause;
	g->flgs |= r->flgs;
	g->stcpflags |= r->stcpflags;
	g->dtcpflags |= r->dtcpflags;
	g->present |= r->present;
	if (!g->synack)
		g->synack = r->synack;
	if (!g->ackdat)
		g->ackdat = r->ackdat;
	g->trans += r->trans;
	g->dur_min = r->dur_min < g->dur_min ? r->dur_min : g->dur_min;
	g->dur_max = r->dur_max > g->dur_max ? r->dur_max : g->dur_max;
	g->dur_sum += r->dur_sum;
	g->dur_sumsq += r->dur_sumsq;
}

/*
 * A key's hash: each word times an odd multiplier of its own, summed (the
 * products are independent, so they are computed side by side rather than
 * one after another), then mixed so every bit of the sum reaches the low
 * bits the table indexes with.  Keys of up to 8 words, the usual ones,
 * take straight-line code: a loop's count and test cost more than the
 * multiplications.
 */
#define CL_HASH_M(i) (0x9e3779b97f4a7c15ull + (uint64_t)(i) * 0x6a09e667f3bcc908ull)	/* odd: the step is even */
#define CL_FALLTHROUGH __attribute__((fallthrough))

static inline uint32_t cl_hash_key(const uint64_t *k, size_t words)
{
	uint64_t h = words;

	for (size_t i = 8; i < words; i++)
		h += k[i] * CL_HASH_M(i);
	switch (words < 8 ? words : 8) {
	case 8: h += k[7] * CL_HASH_M(7); CL_FALLTHROUGH;
	case 7: h += k[6] * CL_HASH_M(6); CL_FALLTHROUGH;
	case 6: h += k[5] * CL_HASH_M(5); CL_FALLTHROUGH;
	case 5: h += k[4] * CL_HASH_M(4); CL_FALLTHROUGH;
	case 4: h += k[3] * CL_HASH_M(3); CL_FALLTHROUGH;
	case 3: h += k[2] * CL_HASH_M(2); CL_FALLTHROUGH;
	case 2: h += k[1] * CL_HASH_M(1); CL_FALLTHROUGH;
	case 1: h += k[0] * CL_HASH_M(0); CL_FALLTHROUGH;
	default: break;
	}
	return (uint32_t)ra_mix64(h);
}

static inline uint64_t cl_ld64(const uint8_t *p) { uint64_t w; memcpy(&w, p, 8); return w; }

/* Are a stored key and key equal?  Up to 8 words without a loop, as above. */
static inline bool cl_key_eq(const uint8_t *stored, const uint64_t *key, size_t words)
{
	uint64_t x = 0;

	for (size_t i = 8; i < words; i++)
		x |= cl_ld64(stored + 8 * i) ^ key[i];
	switch (words < 8 ? words : 8) {
	case 8: x |= cl_ld64(stored + 56) ^ key[7]; CL_FALLTHROUGH;
	case 7: x |= cl_ld64(stored + 48) ^ key[6]; CL_FALLTHROUGH;
	case 6: x |= cl_ld64(stored + 40) ^ key[5]; CL_FALLTHROUGH;
	case 5: x |= cl_ld64(stored + 32) ^ key[4]; CL_FALLTHROUGH;
	case 4: x |= cl_ld64(stored + 24) ^ key[3]; CL_FALLTHROUGH;
	case 3: x |= cl_ld64(stored + 16) ^ key[2]; CL_FALLTHROUGH;
	case 2: x |= cl_ld64(stored + 8) ^ key[1]; CL_FALLTHROUGH;
	case 1: x |= cl_ld64(stored) ^ key[0]; CL_FALLTHROUGH;
	default: break;
	}
	return x == 0;
}

static inline bool cl_addr_eq(const union ra_addr *a, const union ra_addr *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	return x[0] == y[0] && x[1] == y[1];
}

#endif
