/*
 * frag.c - folding IPv4 (RFC 791) and IPv6 (RFC 8200 section 4.5) fragments
 * into the flow of their first fragment.
 *
 * Only the first fragment (offset 0) carries the transport header, so the
 * flow is known from it; later fragments are matched by (source,
 * destination, protocol, identification) and counted in that flow.  When
 * later fragments arrive before the first one, their packets and bytes wait
 * in the table and are folded in when the first fragment comes.  Fragments
 * whose first fragment never comes (after FRAG_TIMEOUT) become a protocol
 * flow without ports between the two hosts, marked 'f' (partial).
 *
 * The table is a fixed array of slots, direct-mapped by hash: a collision
 * retires the older entry (its waiting fragments become their own flow),
 * so memory is bounded whatever the input.
 */
#include "engine_int.h"
#include "origin.h"

#include <stdlib.h>
#include <string.h>

#define FRAG_SLOTS 4096u
#define FRAG_TIMEOUT_US (30ull * 1000000)

struct frag_ent {
	uint64_t first_ts, last_ts;
	union ra_addr s, d;
	uint32_t id;
	uint32_t flow, flow_seq;	/* parent, FLOW_NIL when unknown */
	uint8_t family, proto, used;
	/* fragments waiting for their first fragment */
	uint64_t pkts, bytes, appbytes;
	struct pkt sample;		/* link facts and times of the first waiting one */
};

struct fragtab {
	struct frag_ent slot[FRAG_SLOTS];
};

struct fragtab *frag_new(void)
{
	return calloc(1, sizeof(struct fragtab));
}

uint64_t frag_memory(void)
{
	return sizeof(struct fragtab);
}

void frag_free(struct fragtab *t)
{
	free(t);
}

static uint32_t frag_hash(const struct pkt *p)
{
	uint32_t h = 2166136261u;
	const uint8_t *s = p->key.saddr.v6, *d = p->key.daddr.v6;

	for (unsigned i = 0; i < 16; i++)
		h = (h ^ (uint8_t)(s[i] + d[i])) * 16777619u;
	h = (h ^ p->frag_id) * 16777619u;
	h = (h ^ (p->frag_id >> 16)) * 16777619u;
	h = (h ^ p->key.proto) * 16777619u;
	return h & (FRAG_SLOTS - 1);
}

static bool same(const struct frag_ent *x, const struct pkt *p)
{
	return x->used && x->id == p->frag_id && x->proto == p->key.proto && x->family == p->key.family &&
	       memcmp(&x->s, &p->key.saddr, sizeof x->s) == 0 && memcmp(&x->d, &p->key.daddr, sizeof x->d) == 0;
}

/* Count the waiting fragments of x in flow f. */
static void fold_pending(struct engine *e, struct frag_ent *x, struct flow *f)
{
	if (!x->pkts)
		return;
	struct pkt q = x->sample;
	bool rev = memcmp(&f->key.saddr, &x->s, sizeof x->s) != 0;
	q.ts = x->first_ts;
	q.weight = 1;
	q.wirelen = (uint32_t)x->bytes;
	q.applen = (uint32_t)x->appbytes;
	q.payload = NULL;
	q.paycap = 0;
	q.origin = NULL;
	engine_account(e, f, &q, rev);
	if (rev)
		FLOW_ADD(f, dpkts, x->pkts - 1);
	else
		FLOW_ADD(f, spkts, x->pkts - 1);
	f->flgs |= RA_FL_FRAG;
	if (x->last_ts > f->ltime)
		f->ltime = x->last_ts;
	e->frag_pending -= x->pkts;
	x->pkts = x->bytes = x->appbytes = 0;
}

/* Fragments whose first fragment never came: a flow without ports. */
static void orphan(struct engine *e, struct frag_ent *x)
{
	struct pkt q;
	bool rev;

	if (!x->pkts)
		return;
	q = x->sample;
	q.hash = 0;		/* the key changes here: its hash is recomputed */
	memset(&q.key, 0, sizeof q.key);
	q.key.family = x->family;
	q.key.proto = x->proto;
	q.key.saddr = x->s;
	q.key.daddr = x->d;
	q.key.portdir = (x->proto == 6 || x->proto == 17);
	q.key.agent_hash = x->sample.key.agent_hash;
	q.frag_first = q.frag_later = false;
	q.origin = NULL;
	q.tcpflags = 0;
	struct flow *f = engine_find_or_create(e, &q, &rev);
	e->frag_orphans += x->pkts;
	if (!f) {
		e->frag_pending -= x->pkts;
		x->pkts = 0;
		return;
	}
	fold_pending(e, x, f);
	f->flgs |= RA_FL_FRAG_PART;
}

static void retire(struct engine *e, struct frag_ent *x)
{
	orphan(e, x);
	x->used = 0;
}

static void claim(struct frag_ent *x, const struct pkt *p)
{
	memset(x, 0, sizeof *x);
	x->used = 1;
	x->s = p->key.saddr;
	x->d = p->key.daddr;
	x->id = p->frag_id;
	x->proto = p->key.proto;
	x->family = p->key.family;
	x->flow = FLOW_NIL;
	x->first_ts = x->last_ts = p->ts;
}

void frag_first(struct engine *e, const struct pkt *p, uint32_t fi)
{
	struct frag_ent *x = &e->frags->slot[frag_hash(p)];
	struct flow *f = ft_get(e->ft, fi);

	if (!same(x, p)) {
		if (x->used)
			retire(e, x);
		claim(x, p);
	}
	x->flow = fi;
	x->flow_seq = f->seq;
	x->last_ts = p->ts;
	fold_pending(e, x, f);
}

void frag_later(struct engine *e, struct pkt *p)
{
	struct frag_ent *x = &e->frags->slot[frag_hash(p)];

	p->key.agent_hash = 0;
	if (p->origin && p->origin->agent_family)
		p->key.agent_hash = ORIGIN_SAMPLED_FRAGMENT;	/* kept apart from every agent's flows */
	if (!same(x, p)) {
		if (x->used)
			retire(e, x);
		claim(x, p);
	}
	x->last_ts = p->ts;
	if (x->flow != FLOW_NIL) {
		struct flow *f = ft_get(e->ft, x->flow);
		if (ft_live(e->ft, f) && f->seq == x->flow_seq) {
			bool rev = memcmp(&f->key.saddr, &p->key.saddr, sizeof p->key.saddr) != 0;
			engine_account(e, f, p, rev);
			f->flgs |= RA_FL_FRAG;
			return;
		}
		x->flow = FLOW_NIL;
	}
	if (!x->pkts)
		x->sample = *p;
	x->pkts += p->weight ? p->weight : 1;
	x->bytes += p->wirelen;
	x->appbytes += p->applen;
	e->frag_pending += p->weight ? p->weight : 1;
}

void frag_expire(struct engine *e, uint64_t now, bool force)
{
	for (uint32_t i = 0; i < FRAG_SLOTS; i++) {
		struct frag_ent *x = &e->frags->slot[i];
		if (x->used && (force || x->last_ts + FRAG_TIMEOUT_US <= now))
			retire(e, x);
	}
}
