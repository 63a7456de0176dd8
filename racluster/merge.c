/*
 * merge.c - merging a flow into its group as Argus merges: counters add up
 * per direction, earliest start and latest last time, trans adds up, the
 * latest record gives the state, flags are OR-ed, identities that are not
 * keys but differ are marked blank, and differing addresses keep their
 * common prefix.
 */
#include "config.h"

#include <string.h>

#include "cluster_int.h"

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
	switch (f->dir) {
	case RA_DIR_FWD: f->dir = RA_DIR_REV; break;
	case RA_DIR_REV: f->dir = RA_DIR_FWD; break;
	case RA_DIR_FWD_UNK: f->dir = RA_DIR_REV_UNK; break;
	case RA_DIR_REV_UNK: f->dir = RA_DIR_FWD_UNK; break;
	default: break;
	}
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

static void record_stats(const struct ra_flow *f, uint32_t *trans, uint64_t *mn, uint64_t *mx,
			 uint64_t *sum, double *sumsq)
{
	if (RA_HAS(f, RA_BLK_AGG) && f->trans > 0) {
		*trans = f->trans;
		*mn = f->dur_min;
		*mx = f->dur_max;
		*sum = f->dur_sum;
		*sumsq = f->dur_sumsq;
		return;
	}
	uint64_t d = f->ltime > f->stime ? f->ltime - f->stime : 0;
	*trans = f->trans ? f->trans : 1;
	*mn = *mx = *sum = d;
	*sumsq = (double)d / 1e6 * ((double)d / 1e6);
}

static uint8_t start_prefix(unsigned family, uint8_t masklen)
{
	unsigned bits = cl_family_bits(family);
	return bits && masklen < bits ? masklen : CL_NO_PREFIX;
}

static uint8_t key_mask(const struct cl_spec *s, unsigned field)
{
	for (int i = 0; i < s->nitems; i++)
		if (s->items[i].field == field)
			return s->items[i].masklen;
	return CL_NO_PREFIX;
}

void cl_group_init(const struct cl_spec *s, struct cl_group *g, const struct ra_flow *f)
{
	g->f = *f;
	g->f.spayload = g->f.dpayload = NULL;
	g->f.spaylen = g->f.dpaylen = 0;
	g->f.present &= ~(1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST);
	record_stats(f, &g->f.trans, &g->f.dur_min, &g->f.dur_max, &g->f.dur_sum, &g->f.dur_sumsq);
	RA_SET(&g->f, RA_BLK_AGG);
	g->blank[0] = g->blank[1] = 0;
	g->live = 1;
	g->dir_mixed = 0;
	g->prefix[0] = start_prefix(f->family, key_mask(s, F_SADDR));
	g->prefix[1] = start_prefix(f->family, key_mask(s, F_DADDR));
	if (g->prefix[0] != CL_NO_PREFIX)
		cl_mask_addr(f->family, &g->f.saddr, g->prefix[0]);
	if (g->prefix[1] != CL_NO_PREFIX)
		cl_mask_addr(f->family, &g->f.daddr, g->prefix[1]);
}

/* An address of the group meets a different one: keep the common prefix. */
static void merge_addr(struct cl_group *g, int which, union ra_addr *ga, const union ra_addr *a,
		       unsigned field)
{
	unsigned bits = cl_family_bits(g->f.family);
	unsigned cur = g->prefix[which] == CL_NO_PREFIX ? bits : g->prefix[which];
	unsigned cp;
	union ra_addr na = *a;

	if (!bits) {			/* MACs of non-IP flows */
		if (memcmp(ga, a, 6) != 0)
			cl_bit_set(g->blank, field);
		return;
	}
	cl_mask_addr(g->f.family, &na, cur);
	if (bits == 32) {
		uint32_t x = ga->v4 ^ na.v4;
		if (!x)
			return;
		cp = (unsigned)__builtin_clz(x);
	} else {
		if (memcmp(ga->v6, na.v6, 16) == 0)
			return;
		cp = cl_common_prefix(ga->v6, na.v6, 128);
	}
	if (cp < cur) {
		g->prefix[which] = (uint8_t)cp;
		cl_mask_addr(g->f.family, ga, cp);
	}
}

#define DIFF(field, cond, reset) \
	do { if (!cl_bit_has(s->keyed, field) && (cond)) { cl_bit_set(g->blank, field); reset; } } while (0)

static void note_differences(const struct cl_spec *s, struct cl_group *g, const struct ra_flow *f)
{
	struct ra_flow *m = &g->f;

	if (m->family != f->family) {
		DIFF(F_FAMILY, 1, (void)0);
		DIFF(F_SADDR, 1, memset(&m->saddr, 0, sizeof(m->saddr)));
		DIFF(F_DADDR, 1, memset(&m->daddr, 0, sizeof(m->daddr)));
	} else {
		if (!cl_bit_has(g->blank, F_SADDR) && !cl_addr_eq(&m->saddr, &f->saddr))
			merge_addr(g, 0, &m->saddr, &f->saddr, F_SADDR);
		if (!cl_bit_has(g->blank, F_DADDR) && !cl_addr_eq(&m->daddr, &f->daddr))
			merge_addr(g, 1, &m->daddr, &f->daddr, F_DADDR);
	}
	if (!cl_bit_has(s->keyed, F_PROTO) && m->proto != f->proto)
		m->proto = 0;		/* Argus prints a mixed group's protocol as "ip" */
	DIFF(F_SPORT, m->sport != f->sport, m->sport = 0);
	DIFF(F_DPORT, m->dport != f->dport, m->dport = 0);
	DIFF(F_ETYPE, m->etype != f->etype, m->etype = 0);
	DIFF(F_SDSB, (m->stos >> 2) != (f->stos >> 2), (void)0);
	DIFF(F_DDSB, (m->dtos >> 2) != (f->dtos >> 2), (void)0);
	DIFF(F_STOS, m->stos != f->stos, m->stos = 0);
	DIFF(F_DTOS, m->dtos != f->dtos, m->dtos = 0);
	DIFF(F_STTL, m->sttl != f->sttl, m->sttl = 0);
	DIFF(F_DTTL, m->dttl != f->dttl, m->dttl = 0);
	DIFF(F_SEQ, m->seq != f->seq, m->seq = 0);
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
	if (m->dir != f->dir)
		g->dir_mixed = 1;
}

void cl_merge(const struct cl_spec *s, struct cl_group *g, const struct ra_flow *f)
{
	struct ra_flow *m = &g->f;
	uint32_t tr;
	uint64_t mn, mx, sum;
	double sq;

	note_differences(s, g, f);
	m->spkts += f->spkts;
	m->dpkts += f->dpkts;
	m->sbytes += f->sbytes;
	m->dbytes += f->dbytes;
	m->sappbytes += f->sappbytes;
	m->dappbytes += f->dappbytes;
	if (f->stime < m->stime)
		m->stime = f->stime;
	if (f->ltime >= m->ltime) {
		m->ltime = f->ltime;
		m->state = f->state;
		m->cause = f->cause;
	}
	m->flgs |= f->flgs;
	m->stcpflags |= f->stcpflags;
	m->dtcpflags |= f->dtcpflags;
	m->present |= f->present & ~(1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST);
	if (RA_HAS(f, RA_BLK_TCP)) {
		m->sretrans += f->sretrans;
		m->dretrans += f->dretrans;
		m->sooo += f->sooo;
		m->dooo += f->dooo;
		m->swinshut += f->swinshut;
		m->dwinshut += f->dwinshut;
		if (!m->synack)
			m->synack = f->synack;
		if (!m->ackdat)
			m->ackdat = f->ackdat;
	}
	if (RA_HAS(f, RA_BLK_TIMING)) {
		if (!m->sjit) m->sjit = f->sjit;
		if (!m->djit) m->djit = f->djit;
		if (!m->sintpkt) m->sintpkt = f->sintpkt;
		if (!m->dintpkt) m->dintpkt = f->dintpkt;
	}
	record_stats(f, &tr, &mn, &mx, &sum, &sq);
	m->trans += tr;
	if (mn < m->dur_min)
		m->dur_min = mn;
	if (mx > m->dur_max)
		m->dur_max = mx;
	m->dur_sum += sum;
	m->dur_sumsq += sq;
}

/* Dir of a group whose members disagreed: from its counts, as Argus shows it. */
void cl_finish(struct cl_group *g)
{
	struct ra_flow *m = &g->f;

	if (!g->dir_mixed)
		return;
	if (m->spkts && m->dpkts)
		m->dir = RA_DIR_BOTH;
	else if (m->dpkts)
		m->dir = RA_DIR_REV;
	else
		m->dir = RA_DIR_FWD;
}

