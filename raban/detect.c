/*
 * detect.c - per-key sliding-window rates, thresholds and bans (detect.h).
 *
 * Each trigger owns an open-addressing table (linear probing, deletion by
 * backward shift) of fixed-size entries: the key, the state of each
 * threshold level (first and last exceedance, standing ban) and a ring of
 * DET_BUCKETS buckets of counters, two per metric (in and out).  The table
 * grows by doubling up to max-keys; when it is full an idle key is evicted
 * or the new key is refused, and both are counted.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bigmem.h"
#include "detect.h"
#include "det_int.h"

uint32_t det_key_hash(const struct det_key *k)
{
	uint64_t a, b, h;
	memcpy(&a, k->addr.v6, 8);
	memcpy(&b, k->addr.v6 + 8, 8);
	h = a * 0x9e3779b97f4a7c15ull ^ (b + ((uint64_t)k->family << 56 | (uint64_t)k->plen << 48 |
					       (uint64_t)k->net << 32)) * 0xc2b2ae3d27d4eb4full;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

/* Keys compare on what identifies them (not on pfx, which only names). */
static bool key_eq(const struct det_key *a, const struct det_key *b)
{
	return a->family == b->family && a->plen == b->plen && a->net == b->net &&
	       memcmp(a->addr.v6, b->addr.v6, 16) == 0;
}

static struct ent *slot_at(const struct trig *t, size_t i)
{
	return (struct ent *)(t->tab + i * t->esize);
}

/*
 * A table of cap entries, zeroed.  Large tables come from common/bigmem.h on
 * huge pages: a sample's one random access into a table of hundreds of
 * megabytes then costs a cache miss but no page walk.
 */
static uint8_t *tab_new(size_t cap, size_t esize)
{
	if (cap * esize < (4u << 20))
		return calloc(cap, esize);
	return ra_big_alloc(cap * esize, RA_BIG_HUGE);
}

void det_tab_free(uint8_t *tab, size_t cap, size_t esize)
{
	if (!tab)
		return;
	if (cap * esize < (4u << 20))
		free(tab);
	else
		ra_big_free(tab, cap * esize);
}

static bool tab_alloc(struct trig *t, size_t cap)
{
	uint8_t *old = t->tab;
	size_t oldcap = t->cap;

	t->tab = tab_new(cap, t->esize);
	if (!t->tab) {
		t->tab = old;
		return false;
	}
	t->cap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		struct ent *e = (struct ent *)(old + i * t->esize);
		size_t j;
		if (!e->used)
			continue;
		for (j = e->hash & (cap - 1); slot_at(t, j)->used; j = (j + 1) & (cap - 1))
			;
		memcpy(slot_at(t, j), e, t->esize);
	}
	det_tab_free(old, oldcap, t->esize);
	return true;
}

struct ent *det_find(struct trig *t, const struct det_key *k, uint32_t h)
{
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		struct ent *e = slot_at(t, i);
		if (!e->used)
			return NULL;
		if (e->hash == h && key_eq(&e->key, k))
			return e;
	}
}

/* Remove the entry at slot i; the entries after it move back. */
static void tab_remove(struct trig *t, size_t i)
{
	size_t mask = t->cap - 1, j = i;

	for (;;) {
		struct ent *e;
		size_t home;
		j = (j + 1) & mask;
		e = slot_at(t, j);
		if (!e->used)
			break;
		home = e->hash & mask;
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			memcpy(slot_at(t, i), e, t->esize);
			i = j;
		}
	}
	memset(slot_at(t, i), 0, t->esize);
	t->n--;
}

static bool removable(const struct trig *t, const struct ent *e, uint64_t now, uint64_t idle)
{
	if (e->seen_ms + idle > now)
		return false;
	for (unsigned l = 0; l < t->nlevels; l++)
		if (e->lv[l].ban || (e->lv[l].first_ms && now - e->lv[l].last_ms <= t->window_ms))
			return false;
	return true;
}

/* Look at n slots from the sweep hand; remove idle entries. */
static unsigned sweep(struct trig *t, size_t n, uint64_t now, uint64_t idle)
{
	unsigned removed = 0;
	for (size_t k = 0; k < n && t->n; k++) {
		size_t i = t->hand & (t->cap - 1);
		struct ent *e = slot_at(t, i);
		if (e->used && removable(t, e, now, idle)) {
			tab_remove(t, i);
			removed++;
			continue;	/* look at what moved into i */
		}
		t->hand = i + 1;
	}
	return removed;
}

struct ent *det_insert(struct detect *d, struct trig *t, const struct det_key *k, uint32_t h)
{
	struct ent *e;
	size_t i;

	if (t->n >= t->max_keys) {
		unsigned r = sweep(t, 256, d->now_ms, t->window_ms);
		d->st.evicted += r;
		if (t->n >= t->max_keys) {
			d->st.keys_full++;
			return NULL;
		}
	}
	if ((t->n + 1) * 10 > t->cap * 7) {
		if (!tab_alloc(t, t->cap * 2)) {
			d->st.keys_full++;
			return NULL;
		}
	}
	for (i = h & (t->cap - 1); slot_at(t, i)->used; i = (i + 1) & (t->cap - 1))
		;
	e = slot_at(t, i);
	e->used = 1;
	e->hash = h;
	e->key = *k;
	e->epoch = d->now_ms / t->bucket_ms;
	t->n++;
	return e;
}

void det_rotate(const struct trig *t, struct ent *e, uint64_t now)
{
	uint64_t ep = now / t->bucket_ms;
	int64_t *b = ent_buckets(t, e);

	if (ep <= e->epoch)
		return;
	if (ep - e->epoch >= DET_BUCKETS) {
		memset(b, 0, sizeof(int64_t) * t->nslots * DET_BUCKETS);
	} else {
		for (uint64_t x = e->epoch + 1; x <= ep; x++)
			memset(b + (x % DET_BUCKETS) * t->nslots, 0, sizeof(int64_t) * t->nslots);
	}
	e->epoch = ep;
}

/* Window sum of one slot, as a per-second rate (x mult). */
static uint64_t slot_rate(const struct trig *t, const struct ent *e, int slot, uint64_t mult)
{
	const int64_t *b = ent_buckets(t, e);
	int64_t sum = 0;
	if (slot < 0)
		return 0;
	for (unsigned k = 0; k < DET_BUCKETS; k++)
		sum += b[k * t->nslots + (unsigned)slot];
	if (sum <= 0)
		return 0;
	return (uint64_t)sum * mult * 1000 / t->window_ms;
}

uint64_t det_sum(const struct trig *t, const struct ent *e, unsigned m, unsigned dir)
{
	const int64_t *b = ent_buckets(t, e);
	int64_t sum = 0;
	if (t->slot[m] < 0)
		return 0;
	for (unsigned k = 0; k < DET_BUCKETS; k++)
		sum += b[k * t->nslots + (unsigned)t->slot[m] + dir];
	return sum > 0 ? (uint64_t)sum : 0;
}

struct ent *det_slot(const struct trig *t, size_t i) { return slot_at(t, i); }

void det_rates(const struct trig *t, const struct ent *e, struct det_rates *r)
{
	r->in_bps = slot_rate(t, e, t->slot[M_BPS], 8);
	r->out_bps = slot_rate(t, e, t->slot[M_BPS] + 1, 8);
	r->in_pps = slot_rate(t, e, t->slot[M_PPS], 1);
	r->out_pps = slot_rate(t, e, t->slot[M_PPS] + 1, 1);
}

static bool exceeds(const struct trig *t, const struct ent *e, const struct conf_level *lv)
{
	for (unsigned m = 0; m < M_COUNT; m++) {
		uint64_t mult = (m == M_BPS || m == M_TCP_BPS || m == M_UDP_BPS || m == M_ICMP_BPS) ? 8 : 1;
		uint64_t in, out;
		if (!lv->thr[m])
			continue;
		in = slot_rate(t, e, t->slot[m], mult);
		out = slot_rate(t, e, t->slot[m] + 1, mult);
		if ((in > out ? in : out) >= lv->thr[m])
			return true;
	}
	return false;
}

static int64_t metric_value(unsigned m, const struct sample *s)
{
	bool tcp = s->proto == 6, udp = s->proto == 17, icmp = s->proto == 1 || s->proto == 58;
	switch (m) {
	case M_BPS: return (int64_t)s->bytes;
	case M_PPS: return (int64_t)s->pkts;
	case M_FLOWS: return s->flows;
	case M_SYNS: return s->syns;
	case M_TCP_BPS: return tcp ? (int64_t)s->bytes : 0;
	case M_TCP_PPS: return tcp ? (int64_t)s->pkts : 0;
	case M_UDP_BPS: return udp ? (int64_t)s->bytes : 0;
	case M_UDP_PPS: return udp ? (int64_t)s->pkts : 0;
	case M_ICMP_BPS: return icmp ? (int64_t)s->bytes : 0;
	case M_ICMP_PPS: return icmp ? (int64_t)s->pkts : 0;
	}
	return 0;
}

static void peaks(struct det_rates *p, const struct det_rates *r)
{
	if (r->in_bps > p->in_bps) p->in_bps = r->in_bps;
	if (r->out_bps > p->out_bps) p->out_bps = r->out_bps;
	if (r->in_pps > p->in_pps) p->in_pps = r->in_pps;
	if (r->out_pps > p->out_pps) p->out_pps = r->out_pps;
}

/* Count s into the key of trigger t in direction dir (0 in, 1 out). */
void det_count(struct detect *d, struct trig *t, const struct det_key *k, unsigned dir,
	       const struct sample *s)
{
	uint32_t h = det_key_hash(k);
	struct ent *e = det_find(t, k, h);
	int64_t *b;
	uint64_t now = d->now_ms;
	struct det_rates r;
	bool have_rates = false;

	if (!e && !(e = det_insert(d, t, k, h)))
		return;
	e->seen_ms = now;
	e->af = s->family;
	e->key.pfx = k->pfx;
	det_rotate(t, e, now);
	b = ent_buckets(t, e) + (e->epoch % DET_BUCKETS) * t->nslots;
	for (unsigned m = 0; m < M_COUNT; m++)
		if (t->slot[m] >= 0)
			b[t->slot[m] + (int)dir] += metric_value(m, s);
	if (t->slot[M_SYNS] >= 0 && s->synacks)
		b[t->slot[M_SYNS] + (int)(1 - dir)] -= s->synacks;
	det_contrib(t, k, s);
	if (t->min_ban_ms == 0)
		return;		/* apermon: min-ban-time 0 disables banning */
	for (unsigned l = 0; l < t->nlevels; l++) {
		const struct conf_level *lv = &t->t->levels[l];
		struct lvl *L = &e->lv[l];
		if (L->ban) {
			struct ban *bn = &d->bans[L->ban - 1];
			if (!have_rates) {
				det_rates(t, e, &r);
				have_rates = true;
			}
			peaks(&bn->peak, &r);
			if (exceeds(t, e, lv))
				bn->last_ms = now;
			continue;
		}
		if (!t->has_thr[l] || !exceeds(t, e, lv))
			continue;
		if (!L->first_ms || now - L->last_ms > t->window_ms)
			L->first_ms = now;
		L->last_ms = now;
		if (now - L->first_ms >= t->burst_ms)
			det_ban(d, t, e, l);
	}
}

void detect_tick(struct detect *d, uint64_t now_ms)
{
	if (now_ms > d->now_ms)
		d->now_ms = now_ms;
	for (unsigned i = 0; i < d->hwm; i++) {
		struct ban *b = &d->bans[i];
		uint64_t min_ban;
		if (!b->used)
			continue;
		min_ban = b->trigger < d->ntrig ? d->trig[b->trigger].min_ban_ms : 0;
		/* a ban restored from a later time than the records' (-r) stands */
		if (d->now_ms >= b->last_ms && d->now_ms - b->last_ms >= min_ban)
			det_unban(d, i);
	}
	while (d->hwm && !d->bans[d->hwm - 1].used)
		d->hwm--;
	for (unsigned i = 0; i < d->ntrig; i++) {
		struct trig *t = &d->trig[i];
		size_t slice = t->cap / (DET_IDLE_MS / t->bucket_ms) + 1;
		d->st.expired += sweep(t, slice, d->now_ms, DET_IDLE_MS);
	}
}

unsigned detect_bans_hwm(const struct detect *d) { return d->hwm; }
const struct ban *detect_ban(const struct detect *d, unsigned i) { return &d->bans[i]; }
const struct det_stats *detect_stats(const struct detect *d) { return &d->st; }
const struct conf *detect_conf(const struct detect *d) { return d->c; }
uint64_t detect_now(const struct detect *d) { return d->now_ms; }

static void addr_text(uint8_t family, const union ra_addr *a, char *buf, size_t cap)
{
	conf_addr_text(family, a, buf, cap);
}

void detect_target(const struct detect *d, const struct ban *b, char *target, size_t tcap,
		   char *prefix, size_t pcap, const char **net)
{
	const struct conf_plist *pl = b->key.net < d->c->nplists ? &d->c->plists[b->key.net] : NULL;
	char p[80];

	*net = pl ? pl->name : "";
	prefix[0] = '\0';
	if (b->key.family == 0) {
		size_t off = 0;
		snprintf(target, tcap, "%s", *net);
		for (unsigned i = 0; pl && i < pl->n && off < pcap; i++) {
			int w = snprintf(prefix + off, pcap - off, "%s%s", i ? " " : "",
					 conf_prefix_text(&pl->v[i], p, sizeof(p)));
			if (w < 0)
				break;
			off += (size_t)w;
		}
		return;
	}
	addr_text(b->key.family, &b->key.addr, target, tcap);
	if (pl && b->key.pfx < pl->n)
		snprintf(prefix, pcap, "%s", conf_prefix_text(&pl->v[b->key.pfx], p, sizeof(p)));
}

bool detect_status(const struct detect *d, const char *path)
{
	char tmp[4200], addr[80];
	FILE *fp;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!(fp = fopen(tmp, "w")))
		return false;
	fputs("trigger,aggregator,af,addr,in_bps,out_bps,in_pps,out_pps\n", fp);
	for (unsigned i = 0; i < d->ntrig; i++) {
		struct trig *t = &d->trig[i];
		for (size_t j = 0; j < t->cap; j++) {
			struct ent *e = slot_at(t, j);
			struct det_rates r;
			if (!e->used || e->seen_ms + DET_IDLE_MS < d->now_ms)
				continue;
			det_rotate(t, e, d->now_ms);
			det_rates(t, e, &r);
			if (e->key.family == 0)
				snprintf(addr, sizeof(addr), "%s",
					 e->key.net < d->c->nplists ? d->c->plists[e->key.net].name : "?");
			else
				addr_text(e->key.family, &e->key.addr, addr, sizeof(addr));
			if (t->t->agg == AGG_PREFIX)
				fprintf(fp, "%s,%d,%u,%s/%u,", t->t->name, (int)t->t->agg, e->af, addr, e->key.plen);
			else
				fprintf(fp, "%s,%d,%u,%s,", t->t->name, (int)t->t->agg, e->af, addr);
			fprintf(fp, "%llu,%llu,%llu,%llu\n", (unsigned long long)r.in_bps,
				(unsigned long long)r.out_bps, (unsigned long long)r.in_pps,
				(unsigned long long)r.out_pps);
		}
	}
	ok = !ferror(fp);
	if (fclose(fp) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return false;
	}
	return true;
}
