/*
 * merge.c - merging a record into its group as Argus merges: counters add
 * up per direction, earliest start and latest last time, trans adds up,
 * the latest record gives the state, flags are OR-ed, identities that are
 * not keys but differ are marked blank, and differing addresses keep their
 * common prefix.
 *
 * The common case is a few word operations: a record's identity words are
 * compared with the group's under a mask of what still can differ, and
 * only a difference (a field's first) takes the slow way.  Cold fields are
 * merged field by field, as before, only in groups that have them.
 */
#include "config.h"

#include <string.h>

#include "plain4.h"

void cl_swap_flow(struct ra_flow *f)
{
#define SWAP(a, b) do { __typeof__(a) tmp_ = (a); (a) = (b); (b) = tmp_; } while (0)
	uint8_t mac[6];

	SWAP(f->saddr, f->daddr);
	SWAP(f->sport, f->dport);
	SWAP(f->spkts, f->dpkts);
	SWAP(f->sbytes, f->dbytes);
	SWAP(f->sappbytes, f->dappbytes);
	SWAP(f->stcpflags, f->dtcpflags);
	SWAP(f->sttl, f->dttl);
	SWAP(f->stos, f->dtos);
	memcpy(mac, f->smac, 6);
	memcpy(f->smac, f->dmac, 6);
	memcpy(f->dmac, mac, 6);
	SWAP(f->svlan, f->dvlan);
	SWAP(f->smpls, f->dmpls);
	SWAP(f->sretrans, f->dretrans);
	SWAP(f->sooo, f->dooo);
	SWAP(f->swinshut, f->dwinshut);
	SWAP(f->sjit, f->djit);
	SWAP(f->sintpkt, f->dintpkt);
	SWAP(f->spayload, f->dpayload);
	SWAP(f->spaylen, f->dpaylen);
	f->dir = ra_dir_reversed(f->dir);
#undef SWAP
}

unsigned cl_common_prefix(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned n = 0;

	for (unsigned i = 0; i < bits / 8; i++) {
		uint8_t x = a[i] ^ b[i];
		if (!x) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			x <<= 1;
			n++;
		}
		return n;
	}
	return n;
}

static uint8_t start_prefix(unsigned family, uint8_t masklen)
{
	unsigned bits = cl_family_bits(family);
	return bits && masklen < bits ? masklen : CL_NO_PREFIX;
}


/* The tables of cl_expand8 and cl_mask32, spelt out by the preprocessor. */
#define TAB4(F, n) F(n), F((n) + 1), F((n) + 2), F((n) + 3)
#define TAB16(F, n) TAB4(F, n), TAB4(F, (n) + 4), TAB4(F, (n) + 8), TAB4(F, (n) + 12)
#define TAB64(F, n) TAB16(F, n), TAB16(F, (n) + 16), TAB16(F, (n) + 32), TAB16(F, (n) + 48)
#define TAB256(F) TAB64(F, 0), TAB64(F, 64), TAB64(F, 128), TAB64(F, 192)
#define BYTE_IF(b, i) (((b) >> (i) & 1) ? 0xffull << 8 * (i) : 0)
#define EXPAND8(b) (BYTE_IF(b, 0) | BYTE_IF(b, 1) | BYTE_IF(b, 2) | BYTE_IF(b, 3) | BYTE_IF(b, 4) | \
		    BYTE_IF(b, 5) | BYTE_IF(b, 6) | BYTE_IF(b, 7))
#define MASK32(n) ((uint32_t)(0xffffffff00000000ull >> ((n) >= 32 ? 32 : (n))))

const uint64_t cl_expand8_of[256] = { TAB256(EXPAND8) };
const uint32_t cl_mask32_of[256] = { TAB256(MASK32) };

/* chk bits of each field of the identity words */
#define CHK_PROTO (1u << CL_B_PROTO)
#define CHK_FAMILY (1u << CL_B_FAMILY)
#define CHK_STTL (1u << CL_B_STTL)
#define CHK_DTTL (1u << CL_B_DTTL)
#define CHK_SDSB (1u << CL_B_SDSB)
#define CHK_DDSB (1u << CL_B_DDSB)
#define CHK_SECN (1u << CL_B_SECN)
#define CHK_DECN (1u << CL_B_DECN)
#define CHK_SPORT (3u << 8)
#define CHK_DPORT (3u << 10)
#define CHK_SEQ (15u << 12)

uint16_t cl_chk_init(const struct cl_spec *s)
{
	static const struct { uint8_t field; uint16_t bits; } map[] = {
		{ F_PROTO, CHK_PROTO }, { F_FAMILY, CHK_FAMILY }, { F_STTL, CHK_STTL }, { F_DTTL, CHK_DTTL },
		{ F_SDSB, CHK_SDSB }, { F_DDSB, CHK_DDSB }, { F_STOS, CHK_SDSB | CHK_SECN },
		{ F_DTOS, CHK_DDSB | CHK_DECN }, { F_SPORT, CHK_SPORT }, { F_DPORT, CHK_DPORT },
	};
	uint16_t chk = 0xffff;

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (cl_bit_has(s->keyed, map[i].field))
			chk &= (uint16_t)~map[i].bits;
	return chk;
}

/* Cold blocks with identity fields, which every later record is compared with. */
#define COLD_IDS (1u << RA_BLK_L2 | 1u << RA_BLK_ID | 1u << RA_BLK_ICMP)

static bool is_wide(unsigned family) { return family == RA_AF_INET6 || family == RA_AF_ETHER; }

bool cl_rec_needs_cold(const struct cl_rec *r)
{
	return r->cold || r->family == RA_AF_ETHER || r->prefix_set || (r->blank[0] | r->blank[1]);
}

void cl_hot_init(const struct cl_spec *s, uint16_t chk, struct cl_hot *g, const struct cl_rec *r)
{
	memcpy(g->cnt, r->cnt, sizeof(g->cnt));
	g->stime = r->stime;
	g->ltime = r->ltime;
	g->dur_min = r->dur_min;
	g->dur_max = r->dur_max;
	g->dur_sum = r->dur_sum;
	g->dur_sumsq = r->dur_sumsq;
	g->id0 = r->id0;
	g->id1 = r->id1;
	g->trans = r->trans;
	g->cold = 0;
	g->tcp = 0;	/* the table sets it */
	g->present = r->present;
	g->synack = r->synack;
	g->ackdat = r->ackdat;
	g->flgs = r->flgs;
	g->chk = chk;
	g->state = r->state;
	g->cause = r->cause;
	g->dir = r->dir;
	g->stcpflags = r->stcpflags;
	g->dtcpflags = r->dtcpflags;
	g->gflags = CL_G_LIVE | (is_wide(r->family) ? CL_G_WIDE : 0) | (r->family == RA_AF_INET6 ? CL_G_V6 : 0);
	g->prefix[0] = start_prefix(r->family, s->addr_mask[0]);
	g->prefix[1] = start_prefix(r->family, s->addr_mask[1]);
	g->sa = g->da = 0;
	if (!is_wide(r->family)) {
		g->sa = r->saddr.v4 & cl_mask32(g->prefix[0]);
		g->da = r->daddr.v4 & cl_mask32(g->prefix[1]);
	}
}

void cl_cold_open(struct cl_hot *g, struct cl_cold *c)
{
	ra_flow_init(&c->f);
	c->f.family = CL_ID0_BYTE(g->id0, CL_B_FAMILY);
	c->blank[0] = c->blank[1] = 0;
}

void cl_v6_init(struct cl_hot *g, struct cl_v6 *v, const struct cl_rec *r)
{
	v->saddr = r->saddr;
	v->daddr = r->daddr;
	if (g->prefix[0] != CL_NO_PREFIX)
		cl_mask_addr(RA_AF_INET6, &v->saddr, g->prefix[0]);
	if (g->prefix[1] != CL_NO_PREFIX)
		cl_mask_addr(RA_AF_INET6, &v->daddr, g->prefix[1]);
}

/* An already merged record's address prefixes narrow the group's. */
static void input_prefixes(struct cl_hot *g, struct cl_cold *c, struct cl_v6 *v, const struct cl_rec *r)
{
	for (int w = 0; w < 2; w++) {
		uint8_t p = w ? r->dprefix : r->sprefix;
		if (!(r->prefix_set & (1u << w)) || (g->gflags & CL_G_ADDRBLANK))
			continue;
		if (g->prefix[w] != CL_NO_PREFIX && g->prefix[w] <= p)
			continue;
		if (p >= cl_family_bits(c->f.family))
			continue;
		g->prefix[w] = p;
		if (g->gflags & CL_G_V6)
			cl_mask_addr(RA_AF_INET6, w ? &v->daddr : &v->saddr, p);
		else if (g->gflags & CL_G_WIDE)
			cl_mask_addr(c->f.family, w ? &c->f.daddr : &c->f.saddr, p);
		else if (w)
			g->da &= cl_mask32(p);
		else
			g->sa &= cl_mask32(p);
	}
}

void cl_cold_init(const struct cl_spec *s, struct cl_hot *g, struct cl_cold *c, struct cl_v6 *v,
		  const struct cl_rec *r)
{
	(void)s;
	if (r->full)
		c->f = *r->full;
	else
		ra_flow_init(&c->f);
	c->f.spayload = c->f.dpayload = NULL;
	c->f.spaylen = c->f.dpaylen = 0;
	c->f.sretrans = c->f.dretrans = c->f.sooo = c->f.dooo = 0;	/* in the TCP part */
	c->f.swinshut = c->f.dwinshut = 0;
	c->f.family = r->family;
	c->f.saddr = r->saddr;
	c->f.daddr = r->daddr;
	c->f.etype = r->etype;
	c->blank[0] = r->blank[0];
	c->blank[1] = r->blank[1];
	if ((g->gflags & (CL_G_WIDE | CL_G_V6)) == CL_G_WIDE || (c->f.present & COLD_IDS))
		g->gflags |= CL_G_COLDCMP;
	if ((g->gflags & (CL_G_WIDE | CL_G_V6)) == CL_G_WIDE) {
		if (g->prefix[0] != CL_NO_PREFIX)
			cl_mask_addr(r->family, &c->f.saddr, g->prefix[0]);
		if (g->prefix[1] != CL_NO_PREFIX)
			cl_mask_addr(r->family, &c->f.daddr, g->prefix[1]);
	}
	input_prefixes(g, c, v, r);
}

/* The identity fields that differ (x0, x1: the differing bits still compared). */
void cl_id_differs(struct cl_hot *g, uint64_t x0, uint64_t x1)
{
	static const struct { uint16_t chk; uint8_t word; uint64_t mask; } fields[] = {
		{ CHK_PROTO, 0, 0xffull },
		{ CHK_FAMILY, 0, 0xffull << 8 },
		{ CHK_STTL, 0, 0xffull << 16 },
		{ CHK_DTTL, 0, 0xffull << 24 },
		{ CHK_SDSB, 0, 0xffull << 32 },
		{ CHK_DDSB, 0, 0xffull << 40 },
		{ CHK_SECN, 0, 0xffull << 48 },
		{ CHK_DECN, 0, 0xffull << 56 },
		{ CHK_SPORT, 1, 0xffffull },
		{ CHK_DPORT, 1, 0xffffull << 16 },
		{ CHK_SEQ, 1, 0xffffffffull << 32 },
	};

	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		uint64_t x = fields[i].word ? x1 : x0;
		if (!(x & fields[i].mask))
			continue;
		g->chk &= (uint16_t)~fields[i].chk;
		if (fields[i].chk == CHK_FAMILY) {
			g->gflags |= CL_G_ADDRBLANK;	/* the family itself is kept: it is printed */
			continue;
		}
		if (fields[i].word)
			g->id1 &= ~fields[i].mask;
		else
			g->id0 &= ~fields[i].mask;
	}
}

/* A 32-bit address of the group meets a different one: keep the common prefix. */
void cl_narrow32(uint8_t *prefix, uint32_t *ga, uint32_t x)
{
	unsigned cp = (unsigned)__builtin_clz(x);

	if (cp < (*prefix > 32 ? 32u : *prefix)) {
		*prefix = (uint8_t)cp;
		*ga &= cl_mask32(*prefix);
	}
}

void cl_hot_merge(const struct cl_spec *s, struct cl_hot *g, const struct cl_rec *r)
{
	const struct cl_mv v = {
		.id0 = r->id0, .id1 = r->id1, .sa = r->saddr.v4, .da = r->daddr.v4,
		.cnt = { r->cnt[0], r->cnt[1], r->cnt[2], r->cnt[3], r->cnt[4], r->cnt[5] },
		.stime = r->stime, .ltime = r->ltime, .dur_min = r->dur_min, .dur_max = r->dur_max,
		.dur_sum = r->dur_sum, .dur_sumsq = r->dur_sumsq, .trans = r->trans, .synack = r->synack,
		.ackdat = r->ackdat, .present = r->present, .flgs = r->flgs, .state = r->state, .cause = r->cause,
		.dir = r->dir, .stcpflags = r->stcpflags, .dtcpflags = r->dtcpflags,
	};

	(void)s;
	cl_hot_merge_mv(g, &v);
}

/* An IPv6 address of the group meets another: keep the common prefix. */
static void narrow_v6(struct cl_hot *g, int which, union ra_addr *ga, const union ra_addr *a)
{
	unsigned cur = g->prefix[which] == CL_NO_PREFIX ? 128 : g->prefix[which];
	unsigned cp;
	union ra_addr na = *a;

	cl_mask_addr(RA_AF_INET6, &na, cur);
	if (memcmp(ga->v6, na.v6, 16) == 0)
		return;
	cp = cl_common_prefix(ga->v6, na.v6, 128);
	if (cp < cur) {
		g->prefix[which] = (uint8_t)cp;
		cl_mask_addr(RA_AF_INET6, ga, cp);
	}
}

/* Is a within the prefix of ga the group keeps (which: 0 source, 1 destination)? */
static inline bool v6_within(const struct cl_hot *g, int which, const union ra_addr *ga, const union ra_addr *a)
{
	unsigned cur = g->prefix[which] == CL_NO_PREFIX ? 128 : g->prefix[which];
	uint64_t m0 = cur >= 64 ? ~0ull : cur ? ~0ull << (64 - cur) : 0;
	uint64_t m1 = cur >= 128 ? ~0ull : cur > 64 ? ~0ull << (128 - cur) : 0;
	uint64_t x[2], y[2];

	memcpy(x, ga->v6, 16);
	memcpy(y, a->v6, 16);
	return ((__builtin_bswap64(x[0]) ^ __builtin_bswap64(y[0])) & m0) == 0 &&
	       ((__builtin_bswap64(x[1]) ^ __builtin_bswap64(y[1])) & m1) == 0;
}

void cl_v6_merge(const struct cl_spec *s, struct cl_hot *g, struct cl_v6 *v, const struct cl_cold *c,
		 const union ra_addr *saddr, const union ra_addr *daddr)
{
	if ((g->gflags & (CL_G_V6 | CL_G_ADDRBLANK)) != CL_G_V6)
		return;
	if (!cl_bit_has(s->keyed, F_SADDR) && !(c && cl_bit_has(c->blank, F_SADDR)) &&
	    !v6_within(g, 0, &v->saddr, saddr))
		narrow_v6(g, 0, &v->saddr, saddr);
	if (!cl_bit_has(s->keyed, F_DADDR) && !(c && cl_bit_has(c->blank, F_DADDR)) &&
	    !v6_within(g, 1, &v->daddr, daddr))
		narrow_v6(g, 1, &v->daddr, daddr);
}

#define DIFF(field, cond, reset) \
	do { if (!cl_bit_has(s->keyed, field) && !cl_bit_has(c->blank, field) && (cond)) \
		{ cl_bit_set(c->blank, field); reset; } } while (0)

void cl_cold_merge(const struct cl_spec *s, struct cl_hot *g, struct cl_cold *c, struct cl_v6 *v,
		   const struct cl_rec *r)
{
	static const struct ra_flow none;	/* a record without cold blocks */
	const struct ra_flow *f = r->full ? r->full : &none;
	struct ra_flow *m = &c->f;

	if ((g->gflags & (CL_G_WIDE | CL_G_ADDRBLANK | CL_G_V6)) == CL_G_WIDE) {	/* MACs: equal or blank */
		DIFF(F_SADDR, memcmp(&m->saddr, &r->saddr, 6) != 0, (void)0);
		DIFF(F_DADDR, memcmp(&m->daddr, &r->daddr, 6) != 0, (void)0);
		if (m->family == RA_AF_ETHER)
			DIFF(F_ETYPE, m->etype != r->etype, m->etype = 0);
	}
	if ((m->present | f->present) & (1u << RA_BLK_L2)) {
		DIFF(F_SOUI, memcmp(m->smac, f->smac, 3) != 0, (void)0);
		DIFF(F_DOUI, memcmp(m->dmac, f->dmac, 3) != 0, (void)0);
		DIFF(F_SMAC, memcmp(m->smac, f->smac, 6) != 0, memset(m->smac, 0, 6));
		DIFF(F_DMAC, memcmp(m->dmac, f->dmac, 6) != 0, memset(m->dmac, 0, 6));
		DIFF(F_SVLAN, m->svlan != f->svlan, m->svlan = 0);
		DIFF(F_DVLAN, m->dvlan != f->dvlan, m->dvlan = 0);
		DIFF(F_SMPLS, m->smpls != f->smpls, m->smpls = 0);
		DIFF(F_DMPLS, m->dmpls != f->dmpls, m->dmpls = 0);
	}
	if ((m->present | f->present) & (1u << RA_BLK_ID)) {
		DIFF(F_SRCID, m->srcid_family != f->srcid_family ||
			      memcmp(&m->srcid, &f->srcid, sizeof(f->srcid)) != 0,
		     memset(&m->srcid, 0, sizeof(m->srcid)));
		DIFF(F_SUBAGENT, m->subagent != f->subagent, m->subagent = 0);
		DIFF(F_SRATE_SAMPLING, m->rate != f->rate, m->rate = 0);
		DIFF(F_INIF, m->inif != f->inif, m->inif = 0);
		DIFF(F_OUTIF, m->outif != f->outif, m->outif = 0);
	}
	if ((m->present | f->present) & (1u << RA_BLK_ICMP))
		DIFF(F_INODE, m->inode_family != f->inode_family ||
			      memcmp(&m->inode, &f->inode, sizeof(f->inode)) != 0,
		     memset(&m->inode, 0, sizeof(m->inode)));
	if (RA_HAS(f, RA_BLK_TIMING)) {
		if (!m->sjit) m->sjit = f->sjit;
		if (!m->djit) m->djit = f->djit;
		if (!m->sintpkt) m->sintpkt = f->sintpkt;
		if (!m->dintpkt) m->dintpkt = f->dintpkt;
	}
	m->present |= f->present & (1u << RA_BLK_L2 | 1u << RA_BLK_TCP | 1u << RA_BLK_TIMING |
				    1u << RA_BLK_ID | 1u << RA_BLK_ICMP);
	if (m->present & COLD_IDS)
		g->gflags |= CL_G_COLDCMP;	/* a record without them differs from them */
	/* an already merged record's marks and prefixes */
	c->blank[0] |= r->blank[0] & ~s->keyed[0];
	c->blank[1] |= r->blank[1] & ~s->keyed[1];
	input_prefixes(g, c, v, r);
}

/* Blank marks of the identity words: fields compared at first, no longer. */
static void chk_blanks(uint16_t chk0, uint16_t chk, uint64_t blank[2])
{
	static const struct { uint16_t bits; uint8_t field; } map[] = {
		{ CHK_FAMILY, F_FAMILY }, { CHK_STTL, F_STTL }, { CHK_DTTL, F_DTTL },
		{ CHK_SDSB, F_SDSB }, { CHK_DDSB, F_DDSB }, { CHK_SDSB | CHK_SECN, F_STOS },
		{ CHK_DDSB | CHK_DECN, F_DTOS }, { CHK_SPORT, F_SPORT }, { CHK_DPORT, F_DPORT },
		{ CHK_SEQ, F_SEQ },
	};
	uint16_t gone = chk0 & (uint16_t)~chk;

	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (gone & map[i].bits)
			cl_bit_set(blank, map[i].field);
}

void cl_materialize(const struct cl_spec *s, uint16_t chk, const struct cl_hot *g, const struct cl_cold *c,
		    const struct cl_tcp *tcp, const struct cl_v6 *v, struct cl_group *out)
{
	struct ra_flow *f = &out->f;
	uint8_t fam = CL_ID0_BYTE(g->id0, CL_B_FAMILY);

	if (c)
		*f = c->f;
	else
		ra_flow_init(f);
	out->blank[0] = c ? c->blank[0] : 0;
	out->blank[1] = c ? c->blank[1] : 0;
	chk_blanks(chk, g->chk, out->blank);
	f->family = fam;
	if (g->gflags & CL_G_ADDRBLANK) {
		cl_bit_set(out->blank, F_SADDR);
		cl_bit_set(out->blank, F_DADDR);
		memset(&f->saddr, 0, sizeof(f->saddr));
		memset(&f->daddr, 0, sizeof(f->daddr));
	} else if (g->gflags & CL_G_V6) {
		f->saddr = v->saddr;
		f->daddr = v->daddr;
	} else if (!(g->gflags & CL_G_WIDE)) {
		memset(&f->saddr, 0, sizeof(f->saddr));
		memset(&f->daddr, 0, sizeof(f->daddr));
		f->saddr.v4 = g->sa;
		f->daddr.v4 = g->da;
	}
	f->proto = CL_ID0_BYTE(g->id0, CL_B_PROTO);
	f->sttl = CL_ID0_BYTE(g->id0, CL_B_STTL);
	f->dttl = CL_ID0_BYTE(g->id0, CL_B_DTTL);
	f->stos = cl_rec_stos(g->id0, 0);
	f->dtos = cl_rec_stos(g->id0, 1);
	f->sport = (uint16_t)g->id1;
	f->dport = (uint16_t)(g->id1 >> 16);
	f->seq = (uint32_t)(g->id1 >> 32);
	f->spkts = g->cnt[0];
	f->dpkts = g->cnt[1];
	f->sbytes = g->cnt[2];
	f->dbytes = g->cnt[3];
	f->sappbytes = g->cnt[4];
	f->dappbytes = g->cnt[5];
	f->stime = g->stime;
	f->ltime = g->ltime;
	f->state = g->state;
	f->cause = g->cause;
	f->flgs = g->flgs;
	f->stcpflags = g->stcpflags;
	f->dtcpflags = g->dtcpflags;
	f->synack = g->synack;
	f->ackdat = g->ackdat;
	if (tcp) {
		f->sretrans = tcp->n[0];
		f->dretrans = tcp->n[1];
		f->sooo = tcp->n[2];
		f->dooo = tcp->n[3];
		f->swinshut = tcp->n[4];
		f->dwinshut = tcp->n[5];
	}
	f->present = (g->present | f->present) & ~(1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST);
	RA_SET(f, RA_BLK_AGG);
	f->trans = g->trans;
	f->dur_min = g->dur_min;
	f->dur_max = g->dur_max;
	f->dur_sum = g->dur_sum;
	f->dur_sumsq = g->dur_sumsq * 1e-12;	/* microseconds^2 to seconds^2 */
	f->dir = g->dir;
	if (g->gflags & CL_G_DIRMIX) {	/* Dir from the counts, as Argus shows it */
		if (f->spkts && f->dpkts)
			f->dir = RA_DIR_BOTH;
		else if (f->dpkts)
			f->dir = RA_DIR_REV;
		else
			f->dir = RA_DIR_FWD;
	}
	out->prefix[0] = g->prefix[0];
	out->prefix[1] = g->prefix[1];
	/* the marks travel with the record, so ra prints what racluster would */
	f->blank[0] = out->blank[0];
	f->blank[1] = out->blank[1];
	f->prefix_set = (uint8_t)((g->prefix[0] != CL_NO_PREFIX) | (g->prefix[1] != CL_NO_PREFIX) << 1);
	f->sprefix = g->prefix[0] != CL_NO_PREFIX ? g->prefix[0] : 0;
	f->dprefix = g->prefix[1] != CL_NO_PREFIX ? g->prefix[1] : 0;
	(void)s;
}

bool cl_materialize_one(const struct cl_spec *s, const uint8_t *rec, size_t len, bool swapped, bool again,
			struct cl_group *out, struct ra_err *err)
{
	struct ra_flow *f = &out->f;
	unsigned bits;

	if (!again)	/* else ra_decode_flow clears what the last record's blocks set */
		ra_flow_init(f);
	if (!ra_decode_flow(rec, len, f, err))
		return false;
	if (swapped) {
		cl_swap_flow(f);
		cl_swap_marks(f->blank, &f->prefix_set, &f->sprefix, &f->dprefix);
	}
	f->spayload = f->dpayload = NULL;
	f->spaylen = f->dpaylen = 0;
	f->present &= ~(1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST);
	if (!RA_HAS(f, RA_BLK_AGG) || f->trans == 0) {
		uint64_t d = f->ltime - f->stime;
		f->trans = 1;
		f->dur_min = f->dur_max = f->dur_sum = d;
		f->dur_sumsq = (double)d * (double)d * 1e-12;
	} else {
		f->dur_sumsq = f->dur_sumsq * 1e12 * 1e-12;	/* as a merged group's round trip */
	}
	RA_SET(f, RA_BLK_AGG);
	out->blank[0] = f->blank[0];
	out->blank[1] = f->blank[1];
	out->prefix[0] = out->prefix[1] = CL_NO_PREFIX;
	if (!f->prefix_set && s->addr_mask[0] == CL_NO_PREFIX && s->addr_mask[1] == CL_NO_PREFIX)
		return true;	/* addresses whole: the common case */
	/* prefixes: the key's masks, narrowed by those the record came with */
	bits = cl_family_bits(f->family);
	for (int w = 0; w < 2; w++) {
		uint8_t p = start_prefix(f->family, s->addr_mask[w]);
		union ra_addr *a = w ? &f->daddr : &f->saddr;
		uint8_t in = w ? f->dprefix : f->sprefix;
		if ((f->prefix_set & (1u << w)) && (p == CL_NO_PREFIX || p > in) && in < bits)
			p = in;
		if (p != CL_NO_PREFIX)
			cl_mask_addr(f->family, a, p);
		out->prefix[w] = p;
	}
	f->prefix_set = (uint8_t)((out->prefix[0] != CL_NO_PREFIX) | (out->prefix[1] != CL_NO_PREFIX) << 1);
	f->sprefix = out->prefix[0] != CL_NO_PREFIX ? out->prefix[0] : 0;
	f->dprefix = out->prefix[1] != CL_NO_PREFIX ? out->prefix[1] : 0;
	return true;
}

size_t cl_one_raw(const struct cl_spec *s, const uint8_t *rec, size_t len, uint8_t *out)
{
	struct ra_agg a = { .trans = 1 };
	size_t n;

	/* with no blocks but those three (no AGG block), the group's record is
	 * the record with the AGG block cl_materialize_one fills; addresses
	 * printed whole */
	if (s->addr_mask[0] != CL_NO_PREFIX || s->addr_mask[1] != CL_NO_PREFIX || !ra_flow_reencodes(rec, len))
		return 0;
	a.dur_min = a.dur_max = a.dur_sum = ld_le32(rec + RA_AT_DUR);
	a.dur_sumsq = (double)a.dur_sum * (double)a.dur_sum * 1e-12;
	copy_record(out, rec, len);
	n = len + ra_agg_write(&a, out + len);
	st_le16(out + 2, (uint16_t)n);
	return n;
}
