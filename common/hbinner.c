/*
 * hbinner.c - host health records (status kind RA_STATUS_HOST) in time bins
 * (bins.h, struct hbinner), for rabins and ragraph: per bin and key, the
 * per-interval counter deltas (TcpExt counters) and the interval they cover
 * add up; gauges keep the worst value of the bin: the highest CPU, load,
 * accept queue, half-open count, the lowest memory available.  The
 * host-wide record and the listeners' never merge; listeners are kept apart
 * by the keys asked for (lport, their address), all of them by default.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bins.h"
#include "status.h"

#define HB_NKEYS (RA_HK_SYNRECV + 1)	/* item keys 1 .. RA_HK_SYNRECV */

struct hgroup {
	uint64_t bin, lo, hi;		/* bin index; first and last record time */
	uint64_t seq;			/* first-seen order */
	bool listener;
	uint8_t family;			/* of source, when kept apart by it */
	union ra_addr source;
	uint64_t lport;			/* when kept apart by it (or all the same) */
	bool lport_mixed;
	uint32_t have, missing;		/* bits by item key */
	uint64_t v[HB_NKEYS];
	uint32_t extra;			/* items of keys this build does not bin: counted */
};

struct hbinner {
	struct bin_spec bs;
	unsigned keys;			/* HB_KEY_ bits */
	hbinner_emit_fn fn;
	void *ctx;
	struct hgroup *g;
	size_t n, cap;
	uint64_t seq;
	struct ra_status out;		/* a group as a record */
};

enum agg { AG_MAX, AG_MIN, AG_SUM };

static enum agg agg_of(uint32_t key)
{
	switch (key) {
	case RA_HK_MEMAVAIL:
		return AG_MIN;
	case RA_HK_SYNCOOKIES_SENT: case RA_HK_SYNCOOKIES_RECV: case RA_HK_SYNCOOKIES_FAILED:
	case RA_HK_LISTEN_OVERFLOWS: case RA_HK_LISTEN_DROPS: case RA_HK_REQQ_FULL_DROP:
	case RA_HK_REQQ_FULL_DOCOOKIES: case RA_HK_INTERVAL:
		return AG_SUM;
	default:
		return AG_MAX;
	}
}

struct hbinner *hbinner_new(const struct bin_spec *bs, unsigned keys, hbinner_emit_fn fn, void *ctx,
			    struct ra_err *err)
{
	struct hbinner *h;

	if (bs->mode != BIN_TIME) {
		ra_err_set(err, RA_ERR_USAGE, "host health records go in time bins only (-M time N)");
		return NULL;
	}
	if (!(h = calloc(1, sizeof(*h)))) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	h->bs = *bs;
	h->keys = keys;
	h->fn = fn;
	h->ctx = ctx;
	return h;
}

void hbinner_free(struct hbinner *h)
{
	if (!h)
		return;
	free(h->g);
	free(h);
}

size_t hbinner_groups(const struct hbinner *h) { return h->n; }

static bool same_group(const struct hbinner *h, const struct hgroup *g, uint64_t bin, bool listener,
		       const struct ra_status *st, uint64_t lport)
{
	if (g->bin != bin || g->listener != listener)
		return false;
	if (listener && (h->keys & HB_KEY_LPORT) && g->lport != lport)
		return false;
	if ((h->keys & HB_KEY_SADDR) &&
	    (g->family != st->family || (st->family && memcmp(&g->source, &st->source, sizeof(g->source)))))
		return false;
	return true;
}

bool hbinner_put(struct hbinner *h, const struct ra_status *st, struct ra_err *err)
{
	uint64_t bin = st->time / h->bs.width, lport = 0;
	bool listener = ra_status_value(st, RA_STATUS_HOST, RA_HK_LPORT, &lport);
	struct hgroup *g = NULL;

	if (st->kind != RA_STATUS_HOST)
		return true;
	/* records come in time order: the group is among the last ones */
	for (size_t i = h->n; i-- > 0 && h->g[i].bin >= bin;)
		if (same_group(h, &h->g[i], bin, listener, st, lport)) {
			g = &h->g[i];
			break;
		}
	if (!g) {
		if (h->n == h->cap) {
			size_t cap = h->cap ? 2 * h->cap : 64;
			struct hgroup *ng = realloc(h->g, cap * sizeof(*ng));
			if (!ng) {
				ra_err_set(err, RA_ERR_NOMEM, "out of memory");
				return false;
			}
			h->g = ng;
			h->cap = cap;
		}
		/* keep the array in bin order (a record of an earlier bin goes before later ones) */
		size_t at = h->n;
		while (at > 0 && h->g[at - 1].bin > bin)
			at--;
		memmove(&h->g[at + 1], &h->g[at], (h->n - at) * sizeof(*h->g));
		h->n++;
		g = &h->g[at];
		memset(g, 0, sizeof(*g));
		g->bin = bin;
		g->seq = h->seq++;
		g->lo = g->hi = st->time;
		g->listener = listener;
		g->lport = lport;
		if (h->keys & HB_KEY_SADDR) {
			g->family = st->family;
			g->source = st->source;
		} else if (st->family) {
			g->family = st->family;		/* kept while every record agrees */
			g->source = st->source;
		}
	} else {
		if (st->time < g->lo)
			g->lo = st->time;
		if (st->time > g->hi)
			g->hi = st->time;
		if (listener && lport != g->lport)
			g->lport_mixed = true;
		if (!(h->keys & HB_KEY_SADDR) && g->family &&
		    (g->family != st->family || memcmp(&g->source, &st->source, sizeof(g->source))))
			g->family = 0;
	}
	for (unsigned i = 0; i < st->nitems; i++) {
		const struct ra_status_item *it = &st->items[i];
		uint32_t k = it->key, bit;
		const struct ra_status_key *row = ra_status_key_find(RA_STATUS_HOST, k);
		if (k == 0 || k >= HB_NKEYS || k == RA_HK_LPORT || !row) {
			g->extra++;
			continue;
		}
		bit = 1u << k;
		if (row->aux == RA_SA_MISSING && it->aux == RA_STATUS_MISSING) {
			g->missing |= bit;
			continue;
		}
		if (!(g->have & bit)) {
			g->have |= bit;
			g->v[k] = it->value;
			continue;
		}
		switch (agg_of(k)) {
		case AG_SUM: g->v[k] = g->v[k] + it->value < g->v[k] ? UINT64_MAX : g->v[k] + it->value; break;
		case AG_MIN: if (it->value < g->v[k]) g->v[k] = it->value; break;
		case AG_MAX: if (it->value > g->v[k]) g->v[k] = it->value; break;
		}
	}
	return true;
}

/* Group g as a status record in h->out, stamped with its bin under -M hard. */
static const struct ra_status *as_record(struct hbinner *h, const struct hgroup *g)
{
	struct ra_status *st = &h->out;
	uint64_t start = g->bin * h->bs.width;

	st->time = h->bs.hard ? start : g->lo;
	st->kind = RA_STATUS_HOST;
	st->family = g->family;
	memset(&st->source, 0, sizeof(st->source));
	if (g->family)
		st->source = g->source;
	st->nitems = 0;
	if (g->listener && !g->lport_mixed)
		st->items[st->nitems++] = (struct ra_status_item){ RA_HK_LPORT, 0, g->lport };
	for (uint32_t k = 1; k < HB_NKEYS; k++) {
		if (k == RA_HK_LPORT)
			continue;
		if (g->have & (1u << k))
			st->items[st->nitems++] = (struct ra_status_item){ k, 0, g->v[k] };
		else if (g->missing & (1u << k))
			st->items[st->nitems++] = (struct ra_status_item){ k, RA_STATUS_MISSING, 0 };
	}
	return st;
}

static int by_seq(const void *a, const void *b)
{
	const struct hgroup *x = a, *y = b;
	if (x->bin != y->bin)
		return x->bin < y->bin ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

bool hbinner_close(struct hbinner *h, uint64_t upto)
{
	size_t n = 0;

	while (n < h->n && h->g[n].bin < upto)
		n++;
	if (!n)
		return true;
	qsort(h->g, n, sizeof(*h->g), by_seq);
	for (size_t i = 0; i < n; i++) {
		struct bin_info bi;
		bi.index = h->g[i].bin;
		bi.start = bi.index * h->bs.width;
		bi.end = bi.start + h->bs.width;
		if (!h->fn(h->ctx, &bi, as_record(h, &h->g[i]), h->bs.hard ? bi.end : h->g[i].hi)) {
			memmove(h->g, h->g + i + 1, (h->n - i - 1) * sizeof(*h->g));
			h->n -= i + 1;
			return false;
		}
	}
	memmove(h->g, h->g + n, (h->n - n) * sizeof(*h->g));
	h->n -= n;
	return true;
}

bool hbinner_finish(struct hbinner *h)
{
	return hbinner_close(h, UINT64_MAX);
}
