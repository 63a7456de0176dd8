/*
 * detect_health.c - (raban) health triggers: the host status records of the
 * input (argus -o ARGUS_HOST_HEALTH) decide when, the flows decide whom.
 *
 * The records of one sample share a time (the host-wide record, then one
 * per listening socket): they form a step, which holds the condition when
 * any of its records does.  A run of steps that hold, with no step between
 * that does not, starts at the beginning of the interval of its first record;
 * once it covers hold seconds the trigger fires and bans the top SYN
 * sources counted over the lookback window (detect_ban.c, health_route());
 * it stays on, banning new top sources and keeping its bans standing, while
 * each step holds the clear condition, and bans end min-ban-time after the
 * last step that held, as every ban does (detect_tick()).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det_int.h"
#include "status.h"

bool detect_wants_health(const struct detect *d)
{
	for (unsigned i = 0; i < d->ntrig; i++)
		if (d->trig[i].t->health.on)
			return true;
	return false;
}

static bool item(const struct ra_status *st, uint32_t key, uint64_t *v)
{
	return ra_status_value(st, RA_STATUS_HOST, key, v);
}

/*
 * The value of metric m in st, in the unit of the condition (percent,
 * count, per second); false when st does not carry it: a listener's gauges
 * are in the records of the trigger's port, the host's in the host-wide
 * record, and a rate needs the interval of its deltas.
 */
static bool hvalue(const struct conf_health *h, const struct ra_status *st, unsigned m, double *out)
{
	static const uint32_t rate_key[H_COUNT] = {
		[H_SYNCOOKIES_SENT] = RA_HK_SYNCOOKIES_SENT, [H_SYNCOOKIES_RECV] = RA_HK_SYNCOOKIES_RECV,
		[H_SYNCOOKIES_FAILED] = RA_HK_SYNCOOKIES_FAILED, [H_LISTEN_OVERFLOWS] = RA_HK_LISTEN_OVERFLOWS,
		[H_LISTEN_DROPS] = RA_HK_LISTEN_DROPS,
	};
	uint64_t lport, v, w;
	bool listener = item(st, RA_HK_LPORT, &lport);

	if (listener && h->port && lport != h->port)
		return false;
	switch (m) {
	case H_CPU:
		if (listener || !item(st, RA_HK_CPU, &v))
			return false;
		*out = (double)v / 100.0;
		return true;
	case H_ACCEPTQ:
	case H_SYNRECV:
		if (!listener || !item(st, m == H_ACCEPTQ ? RA_HK_ACCEPTQ : RA_HK_SYNRECV, &v))
			return false;
		*out = (double)v;
		return true;
	case H_ACCEPTPCT:	/* as ra's acceptpct: 0 when the backlog is 0 */
		if (!listener || !item(st, RA_HK_ACCEPTQ, &v) || !item(st, RA_HK_ACCEPTMAX, &w))
			return false;
		*out = w ? (double)v * 100.0 / (double)w : 0.0;
		return true;
	default:
		if (listener || !item(st, rate_key[m], &v) || !item(st, RA_HK_INTERVAL, &w) || w == 0)
			return false;
		*out = (double)v * 1e6 / (double)w;
		return true;
	}
}

/* Whether st reaches any of vals (or thr where vals has no value); what held into why. */
static bool holds(const struct conf_health *h, const struct ra_status *st, const uint64_t *vals,
		  char *why, size_t cap)
{
	bool any = false;
	size_t off = 0;
	uint64_t lport;

	if (item(st, RA_HK_LPORT, &lport)) {
		int n = snprintf(why, cap, "lport=%llu", (unsigned long long)lport);
		off = n > 0 && (size_t)n < cap ? (size_t)n : 0;
	}
	for (unsigned m = 0; m < H_COUNT; m++) {
		uint64_t lim = vals[m] ? vals[m] : h->thr[m];
		double v;
		if (!lim || !hvalue(h, st, m, &v) || v < (double)lim)
			continue;
		any = true;
		if (off < cap) {
			int n = snprintf(why + off, cap - off, "%s%s=%.0f", off ? " " : "", hmetric_names[m], v);
			if (n > 0)
				off = (size_t)n < cap - off ? off + (size_t)n : cap;
		}
	}
	return any;
}

struct cand {
	struct ent *e;
	uint64_t syns, pkts;
};

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->syns != y->syns)
		return x->syns > y->syns ? -1 : 1;
	if (x->pkts != y->pkts)
		return x->pkts > y->pkts ? -1 : 1;
	if (x->e->key.family != y->e->key.family)
		return x->e->key.family < y->e->key.family ? -1 : 1;
	return memcmp(x->e->key.addr.v6, y->e->key.addr.v6, 16);
}

/*
 * Keep the trigger's standing bans up (last exceedance now) and ban the
 * top SYN sources not banned yet, up to top standing: ranked by the SYNs of
 * handshakes that never completed over the lookback window, then packets.
 */
static void ban_top(struct detect *d, struct trig *t)
{
	const struct conf_health *h = &t->t->health;
	uint64_t standing = 0;
	struct cand *c;
	size_t n = 0;

	for (unsigned i = 0; i < d->hwm; i++)
		if (d->bans[i].used && d->bans[i].trigger == t->idx) {
			if (d->bans[i].last_ms < d->now_ms)
				d->bans[i].last_ms = d->now_ms;
			standing++;
		}
	if (standing >= h->top || t->min_ban_ms == 0 || !t->n)
		return;
	if (!(c = malloc(t->n * sizeof(*c)))) {
		d->st.bans_full++;
		return;
	}
	for (size_t i = 0; i < t->cap && n < t->n; i++) {
		struct ent *e = det_slot(t, i);
		if (!e->used || e->lv[0].ban)
			continue;
		det_rotate(t, e, d->now_ms);
		c[n].e = e;
		c[n].syns = det_sum(t, e, M_SYNS, 1);
		c[n].pkts = det_sum(t, e, M_PPS, 1);
		if (c[n].syns)
			n++;
	}
	qsort(c, n, sizeof(*c), cand_cmp);
	for (size_t i = 0; i < n && standing < h->top; i++, standing++) {
		struct ent *e = c[i].e;
		e->lv[0].first_ms = d->now_ms - (t->h.last_us - t->h.since_us) / 1000;
		e->lv[0].last_ms = d->now_ms;
		det_ban(d, t, e, 0);
	}
	free(c);
}

static void health_record(struct detect *d, struct trig *t, const struct ra_status *st)
{
	const struct conf_health *h = &t->t->health;
	struct hstate *s = &t->h;
	uint64_t iv, gap;
	char why[sizeof(s->why)] = "";

	if (!item(st, RA_HK_LPORT, &iv) && item(st, RA_HK_INTERVAL, &iv) && iv)
		s->interval_us = iv;
	gap = 2 * (s->interval_us > 1000000 ? s->interval_us : 1000000);
	if (st->time != s->step_us) {
		/* a new step: the last one, or a silence, ends the run */
		if (!s->step_true || st->time < s->step_us || st->time - s->step_us > gap) {
			s->since_us = 0;
			s->on = false;
		}
		s->step_us = st->time;
		s->step_true = false;
	}
	if (s->step_true)
		return;
	if (!holds(h, st, s->on ? h->clear : h->thr, why, sizeof(why)))
		return;
	s->step_true = true;
	if (!s->since_us)
		s->since_us = st->time > s->interval_us ? st->time - s->interval_us : 1;
	s->last_us = st->time;
	snprintf(s->why, sizeof(s->why), "%s", why);
	if (!s->on && s->last_us - s->since_us >= h->hold * 1000000)
		s->on = true;
	if (s->on)
		ban_top(d, t);
}

void detect_health(struct detect *d, const struct ra_status *st, uint64_t now_ms)
{
	if (st->kind != RA_STATUS_HOST)
		return;
	if (now_ms > d->now_ms)
		d->now_ms = now_ms;
	for (unsigned i = 0; i < d->ntrig; i++)
		if (d->trig[i].t->health.on)
			health_record(d, &d->trig[i], st);
}
