/*
 * detect_ban.c - the detector's set-up, the routing of a sample to the
 * triggers that select it (networks, directions, filter, filter-expression),
 * bans and unbans, the FLOWS CSV, and bans carried over a reload or restored
 * from the state file.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det_int.h"

static void trig_free(struct trig *t)
{
	det_tab_free(t->tab, t->cap, t->esize);
	free(t->ring);
	flt_free(t->fexpr);
}

struct detect *detect_new(const struct conf *c, const struct det_events *ev, char *err, size_t errcap)
{
	struct detect *d = calloc(1, sizeof(*d));

	if (!d || !(d->trig = calloc(c->ntriggers ? c->ntriggers : 1, sizeof(*d->trig)))) {
		free(d);
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	d->c = c;
	d->ev = *ev;
	d->max_bans = c->max_bans ? (unsigned)(c->max_bans > 1u << 24 ? 1u << 24 : c->max_bans) : 65536;
	for (unsigned i = 0; i < c->ntriggers; i++) {
		struct trig *t = &d->trig[i];
		const struct conf_trigger *ct = &c->triggers[i];
		struct ra_err e;
		t->t = ct;
		t->idx = i;
		t->nlevels = ct->nlevels;
		for (unsigned m = 0; m < M_COUNT; m++) {
			bool used = m == M_BPS || m == M_PPS || (m == M_SYNS && ct->health.on);
			for (unsigned l = 0; l < ct->nlevels; l++)
				if (ct->levels[l].thr[m]) {
					used = true;
					t->has_thr[l] = true;
				}
			t->slot[m] = used ? (int)(t->nslots += 2) - 2 : -1;
		}
		t->esize = (sizeof(struct ent) + t->nlevels * sizeof(struct lvl) +
			    sizeof(int64_t) * t->nslots * DET_BUCKETS + 7) & ~(size_t)7;
		t->window_ms = ct->health.on ? ct->health.lookback * 1000 : c->window_ms ? c->window_ms : 1000;
		t->h.interval_us = 1000000;
		t->bucket_ms = t->window_ms / DET_BUCKETS ? t->window_ms / DET_BUCKETS : 1;
		t->window_ms = t->bucket_ms * DET_BUCKETS;
		t->min_ban_ms = (uint64_t)(ct->min_ban_time >= 0 ? (uint64_t)ct->min_ban_time : c->min_ban_time) * 1000;
		t->burst_ms = (uint64_t)(ct->burst_period >= 0 ? (uint64_t)ct->burst_period : c->burst_period) * 1000;
		t->max_keys = c->max_keys ? c->max_keys : 1;
		t->ring = calloc(DET_CONTRIB, sizeof(*t->ring));
		ra_err_clear(&e);
		if (ct->filter_expr && !(t->fexpr = flt_compile(ct->filter_expr, &e))) {
			snprintf(err, errcap, "trigger %s: filter-expression: %s", ct->name, e.msg);
			d->ntrig = i + 1;
			detect_free(d);
			return NULL;
		}
		d->ntrig = i + 1;
		if (!t->ring) {
			snprintf(err, errcap, "out of memory");
			detect_free(d);
			return NULL;
		}
		{
			size_t cap = 1024;
			t->tab = calloc(cap, t->esize);
			if (!t->tab) {
				snprintf(err, errcap, "out of memory");
				detect_free(d);
				return NULL;
			}
			t->cap = cap;
		}
	}
	return d;
}

void detect_free(struct detect *d)
{
	if (!d)
		return;
	for (unsigned i = 0; i < d->ntrig; i++)
		trig_free(&d->trig[i]);
	free(d->trig);
	free(d->bans);
	free(d);
}

static bool plist_match(const struct conf_plist *pl, uint8_t family, const union ra_addr *a, uint32_t *which)
{
	for (unsigned i = 0; i < pl->n; i++)
		if (conf_prefix_match(&pl->v[i], family, a)) {
			*which = i;
			return true;
		}
	return false;
}

static bool iface_match(const struct conf_iface *f, int agent, uint32_t ifindex)
{
	for (unsigned i = 0; i < f->n; i++)
		if ((int)f->v[i].agent == agent && f->v[i].ifindex == ifindex)
			return true;
	return false;
}

static bool filt(const struct conf *c, const struct conf_filter *f, const struct sample *s)
{
	uint32_t w;
	switch (f->kind) {
	case FK_AND:
		for (unsigned i = 0; i < f->nkids; i++)
			if (!filt(c, &f->kids[i], s))
				return false;
		return true;
	case FK_OR:
		for (unsigned i = 0; i < f->nkids; i++)
			if (filt(c, &f->kids[i], s))
				return true;
		return false;
	case FK_NOT:
		for (unsigned i = 0; i < f->nkids; i++)
			if (filt(c, &f->kids[i], s))
				return false;
		return true;
	case FK_SRC: return plist_match(&c->plists[f->ref.idx], s->family, &s->src, &w);
	case FK_DST: return plist_match(&c->plists[f->ref.idx], s->family, &s->dst, &w);
	case FK_IN_IF: return iface_match(&c->ifaces[f->ref.idx], s->agent, s->inif);
	case FK_OUT_IF: return iface_match(&c->ifaces[f->ref.idx], s->agent, s->outif);
	case FK_PROTO: return s->proto == f->num;
	case FK_SPORT: return s->frag != 2 && s->sport == f->num;
	case FK_DPORT: return s->frag != 2 && s->dport == f->num;
	case FK_FRAG: return s->family == RA_AF_INET && s->frag != 0;
	}
	return false;
}

/* The trigger's filter and filter-expression; s->flow is made once when needed. */
static bool selected(struct detect *d, const struct trig *t, struct sample *s)
{
	const struct conf_trigger *ct = t->t;

	if (ct->filter && !filt(d->c, ct->filter, s))
		return false;
	if (t->fexpr) {
		if (!s->flow) {
			sample_to_flow(s, &d->scratch);
			s->flow = &d->scratch;
		}
		if (!flt_match(t->fexpr, s->flow))
			return false;
	}
	return true;
}

/*
 * A health trigger counts TCP towards its port (to its networks, when it
 * has some) by source host, sent direction: the SYN sources it ranks.
 */
static void health_route(struct detect *d, struct trig *t, struct sample *s)
{
	const struct conf_trigger *ct = t->t;
	struct det_key k;
	uint32_t which = 0;
	unsigned n;

	if (s->proto != 6 || s->frag == 2 || (ct->health.port && s->dport != ct->health.port))
		return;
	for (n = 0; n < ct->nnetworks; n++)
		if (plist_match(&d->c->plists[ct->networks[n].idx], s->family, &s->dst, &which))
			break;
	if (ct->nnetworks && n == ct->nnetworks)
		return;
	if (!selected(d, t, s))
		return;
	memset(&k, 0, sizeof(k));
	k.net = UINT16_MAX;
	k.family = s->family;
	k.addr = s->src;
	d->st.matched++;
	det_count(d, t, &k, 1, s);
}

void detect_sample(struct detect *d, struct sample *s)
{
	const struct conf *c = d->c;

	if (s->t_ms > d->now_ms)
		d->now_ms = s->t_ms;
	d->st.samples++;
	for (unsigned i = 0; i < d->ntrig; i++) {
		struct trig *t = &d->trig[i];
		const struct conf_trigger *ct = t->t;
		struct det_key k;
		unsigned dir = 2;
		uint32_t which = 0;
		unsigned n;

		if (ct->health.on) {
			health_route(d, t, s);
			continue;
		}
		for (n = 0; n < ct->nnetworks; n++) {
			const struct conf_plist *pl = &c->plists[ct->networks[n].idx];
			if ((ct->directions & DIR_INGRESS) && plist_match(pl, s->family, &s->dst, &which)) {
				dir = 0;
				break;
			}
			if ((ct->directions & DIR_EGRESS) && plist_match(pl, s->family, &s->src, &which)) {
				dir = 1;
				break;
			}
		}
		if (dir == 2 || !selected(d, t, s))
			continue;
		memset(&k, 0, sizeof(k));
		k.net = (uint16_t)ct->networks[n].idx;
		k.pfx = which;
		if (ct->agg == AGG_HOST) {
			k.family = s->family;
			k.addr = dir == 0 ? s->dst : s->src;
		} else if (ct->agg == AGG_PREFIX) {
			const struct conf_prefix *p = &c->plists[k.net].v[which];
			k.family = p->family;
			k.plen = p->len;
			k.addr = p->addr;
		}
		d->st.matched++;
		det_count(d, t, &k, dir, s);
	}
}

void det_contrib(struct trig *t, const struct det_key *k, const struct sample *s)
{
	struct contrib *r = &t->ring[t->ring_pos];
	r->key = *k;
	r->family = s->family;
	r->proto = s->proto;
	r->frag = s->frag;
	r->sport = s->sport;
	r->dport = s->dport;
	r->inif = s->inif;
	r->outif = s->outif;
	r->src = s->src;
	r->dst = s->dst;
	r->bytes = s->bytes;
	r->pkts = s->pkts;
	t->ring_pos = (t->ring_pos + 1) % DET_CONTRIB;
	t->ring_n++;
}

static bool same_key(const struct det_key *a, const struct det_key *b)
{
	return a->family == b->family && a->plen == b->plen && a->net == b->net &&
	       memcmp(a->addr.v6, b->addr.v6, 16) == 0;
}

/* FLOWS: apermon's columns and its frag column, up to 100 rows, oldest first. */
static const char *flows_csv(struct detect *d, const struct trig *t, const struct det_key *k)
{
	unsigned idx[DET_FLOWS_MAX], n = 0;
	uint64_t have = t->ring_n < DET_CONTRIB ? t->ring_n : DET_CONTRIB;
	size_t off;
	char *buf = d->flows;

	for (uint64_t i = 1; i <= have && n < DET_FLOWS_MAX; i++) {
		unsigned j = (unsigned)((t->ring_pos + DET_CONTRIB - i) % DET_CONTRIB);
		if (same_key(&t->ring[j].key, k))
			idx[n++] = j;
	}
	off = (size_t)snprintf(buf, sizeof(d->flows),
			       "af,in_ifindex,out_ifindex,src,dst,proto,sport,dport,bytes,packets,frag\n");
	while (n-- > 0) {
		const struct contrib *r = &t->ring[idx[n]];
		char s[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN];
		int w;
		conf_addr_text(r->family, &r->src, s, sizeof(s));
		conf_addr_text(r->family, &r->dst, a, sizeof(a));
		w = snprintf(buf + off, sizeof(d->flows) - off, "%u,%u,%u,%s,%s,%u,%u,%u,%llu,%llu,%u\n",
			     r->family, r->inif, r->outif, s, a, r->proto, r->sport, r->dport,
			     (unsigned long long)r->bytes, (unsigned long long)r->pkts, r->frag);
		if (w < 0 || (size_t)w >= sizeof(d->flows) - off) {
			buf[off] = '\0';
			break;
		}
		off += (size_t)w;
	}
	return buf;
}

/* A free slot in the ban table, or -1. */
static int ban_slot(struct detect *d)
{
	for (unsigned i = 0; i < d->hwm; i++)
		if (!d->bans[i].used)
			return (int)i;
	if (d->hwm >= d->max_bans)
		return -1;
	if (d->hwm >= d->nbans_cap) {
		unsigned cap = d->nbans_cap ? d->nbans_cap * 2 : 64;
		struct ban *nb;
		if (cap > d->max_bans)
			cap = d->max_bans;
		nb = realloc(d->bans, cap * sizeof(*nb));
		if (!nb)
			return -1;
		d->bans = nb;
		d->nbans_cap = cap;
	}
	memset(&d->bans[d->hwm], 0, sizeof(d->bans[0]));
	return (int)d->hwm++;
}

static void names(struct ban *b, const struct conf_trigger *ct, unsigned level)
{
	snprintf(b->tname, sizeof(b->tname), "%s", ct->name);
	snprintf(b->lname, sizeof(b->lname), "%s", level && ct->levels[level].name ? ct->levels[level].name : "");
}

void det_ban(struct detect *d, struct trig *t, struct ent *e, unsigned level)
{
	int i = ban_slot(d);
	struct ban *b;

	if (i < 0) {
		d->st.bans_full++;
		return;
	}
	b = &d->bans[i];
	b->used = true;
	b->trigger = t->idx;
	b->level = level;
	b->key = e->key;
	b->af = e->af;
	b->first_ms = e->lv[level].first_ms;
	b->last_ms = e->lv[level].last_ms;
	b->ban_ms = d->now_ms;
	det_rates(t, e, &b->at_ban);
	b->peak = b->at_ban;
	names(b, t->t, level);
	snprintf(b->health, sizeof(b->health), "%s", t->t->health.on ? t->h.why : "");
	e->lv[level].ban = (uint32_t)i + 1;
	e->lv[level].first_ms = 0;
	if (d->ev.ban)
		d->ev.ban(d->ev.ctx, b, flows_csv(d, t, &b->key));
}

void det_unban(struct detect *d, unsigned i)
{
	struct ban *b = &d->bans[i];

	if (b->trigger < d->ntrig) {
		struct trig *t = &d->trig[b->trigger];
		struct ent *e = det_find(t, &b->key, det_key_hash(&b->key));
		if (e && e->lv[b->level].ban == i + 1) {
			e->lv[b->level].ban = 0;
			e->lv[b->level].first_ms = 0;
		}
	}
	if (d->ev.unban)
		d->ev.unban(d->ev.ctx, b);
	b->used = false;
}

/* Place a ban made elsewhere (reload, state file) into d. */
static bool adopt(struct detect *d, const struct ban *src)
{
	int i = ban_slot(d);
	struct ban *b;
	unsigned t, l = 0;

	if (i < 0) {
		d->st.bans_full++;
		return false;
	}
	b = &d->bans[i];
	*b = *src;
	b->used = true;
	b->trigger = UINT32_MAX;
	for (t = 0; t < d->ntrig; t++)
		if (!strcmp(d->trig[t].t->name, src->tname))
			break;
	if (t < d->ntrig) {
		const struct conf_trigger *ct = d->trig[t].t;
		for (l = 0; l < ct->nlevels; l++)
			if (!strcmp(l && ct->levels[l].name ? ct->levels[l].name : "", src->lname))
				break;
		if (l < ct->nlevels) {
			uint32_t h = det_key_hash(&b->key);
			struct trig *tr = &d->trig[t];
			struct ent *e = det_find(tr, &b->key, h);
			if (!e)
				e = det_insert(d, tr, &b->key, h);
			b->trigger = t;
			b->level = l;
			if (e) {
				e->lv[l].ban = (uint32_t)i + 1;
				e->seen_ms = d->now_ms;
				e->af = b->af;
			}
		}
	}
	return true;
}

bool detect_restore(struct detect *d, const struct ban *b)
{
	return adopt(d, b);
}

void detect_take_bans(struct detect *d, struct detect *old)
{
	if (old->now_ms > d->now_ms)
		d->now_ms = old->now_ms;
	for (unsigned i = 0; i < old->hwm; i++)
		if (old->bans[i].used)
			adopt(d, &old->bans[i]);
}
