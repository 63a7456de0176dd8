/*
 * rank.c - ratop's tick: groups leaving (idle, or past -M max), each
 * group's rate window brought up to date and its sort key made in one scan
 * of the table, the radix sort, and rows fetched by rank for the screen,
 * the plain output and the find.
 */
#include "config.h"

#include "ratop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static bool bit(const uint64_t *m, size_t i) { return (m[i >> 6] >> (i & 63)) & 1u; }
static void bit_set(uint64_t *m, size_t i) { m[i >> 6] |= 1ull << (i & 63); }

/* A bitmap of at least n bits, cleared. */
static bool bitmap(uint64_t **m, size_t *words, size_t n)
{
	size_t need = n / 64 + 1;

	if (need > *words) {
		uint64_t *nm = realloc(*m, need * 2 * sizeof(*nm));
		if (!nm)
			return false;
		*m = nm;
		*words = need * 2;
	}
	memset(*m, 0, *words * sizeof(**m));
	return true;
}

static bool grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *np;

	if (n <= *cap && *cap)	/* never a size of 0: realloc may say NULL for it */
		return true;
	n = n * 3 / 2 + 1024;
	if (!(np = realloc(*p, n * size)))
		return false;
	*p = np;
	*cap = n;
	return true;
}

/* Groups marked at the last tick leave; the side array closes up the same way. */
static bool evict_marked(struct top *tp, struct ra_err *err)
{
	size_t w = 0;

	if (!tp->any_gone)
		return true;
	if (!cl_evict_set(tp->t, tp->gone, tp->nside, NULL, NULL)) {	/* the places marked: those of the last tick */
		ra_err_set(err, RA_ERR_NOMEM, "out of memory evicting groups");
		return false;
	}
	for (size_t i = 0; i < tp->nside; i++)
		if (!bit(tp->gone, i))
			tp->side[w++] = tp->side[i];
	tp->nside = w;
	tp->any_gone = false;
	tp->nent = tp->nshown = 0;
	return true;
}

/* Seconds the window covers now (a partial slot, the ones before it). */
static double covered(const struct top *tp)
{
	uint64_t span = (RT_SLOTS - 1) * RT_SLOT_US + (tp->now - tp->slot_start);

	if (tp->now - tp->t0 < span)
		span = tp->now - tp->t0;
	return span < 1000 ? 0.001 : (double)span / 1e6;
}

static void rates(const struct top *tp, size_t place, const struct cl_group *g, double *pps, double *bps)
{
	if (!tp->live) {
		*pps = fld_double(F_RATE, &g->f);
		*bps = fld_double(F_LOAD, &g->f);
		return;
	}
	const struct side *s = &tp->side[place];
	uint64_t p = 0, b = 0;
	for (int i = 0; i < RT_SLOTS; i++) {
		p += s->wp[i];
		b += s->wb[i];
	}
	*pps = (double)p / covered(tp);
	*bps = 8.0 * (double)b / covered(tp);
}

static uint32_t sat32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v; }

/* One group of the tick's scan. */
static bool visit(void *ctx, size_t place, struct cl_group *g)
{
	struct top *tp = ctx;
	uint64_t pkts = g->f.spkts + g->f.dpkts, bytes = g->f.sbytes + g->f.dbytes;

	if (place >= tp->nside)	/* cannot be: the side array was made as long as the table */
		return false;
	struct side *s = &tp->side[place];
	struct sk_entry *e = &tp->ent[place];
	if (pkts >= s->pkts && bytes >= s->bytes) {
		s->wp[tp->slot] += sat32(pkts - s->pkts);
		s->wb[tp->slot] += sat32(bytes - s->bytes);
	}
	if (g->f.trans != s->trans)
		s->changed = tp->tick;
	s->pkts = pkts;
	s->bytes = bytes;
	s->trans = g->f.trans;
	if (tp->display && !flt_match(tp->display, &g->f))
		bit_set(tp->hidden, place);
	e->ref = place;
	if (tp->sort.rate) {
		double pps, bps, r;
		rates(tp, place, g, &pps, &bps);
		r = (tp->sort.rate == COL_PPS ? pps : bps) * 1000.0;
		e->key = r >= 1.8e19 ? UINT64_MAX : (uint64_t)r;
		if (!tp->sort.asc)
			e->key = UINT64_MAX - e->key;
	} else if (tp->sort.sk.keylen <= 8) {
		uint8_t k[8];
		sk_extract(&tp->sort.sk, &g->f, k);
		e->key = sk_pack(k, tp->sort.sk.keylen);
	} else {
		sk_extract(&tp->sort.sk, &g->f, tp->keys + place * tp->sort.sk.keylen);
	}
	return true;
}

/* The window moves on by whole slots of a second. */
static void slide(struct top *tp)
{
	int steps = 0;

	while (tp->now - tp->slot_start >= RT_SLOT_US && steps < RT_SLOTS) {
		tp->slot = (tp->slot + 1) % RT_SLOTS;
		for (size_t i = 0; i < tp->nside; i++)
			tp->side[i].wp[tp->slot] = tp->side[i].wb[tp->slot] = 0;
		tp->slot_start += RT_SLOT_US;
		steps++;
	}
	if (tp->now - tp->slot_start >= RT_SLOT_US)
		tp->slot_start = tp->now;
}

/* Mark who leaves at the next tick: idle too long, or ranked past -M max. */
static bool mark(struct top *tp)
{
	size_t n = tp->nent;
	uint32_t idle_ticks = (uint32_t)(tp->idle_us / tp->update_us);

	if (!bitmap(&tp->gone, &tp->gone_words, n))
		return false;
	for (size_t i = 0; tp->live && i < n; i++)
		if (tp->tick - tp->side[i].changed > idle_ticks) {
			bit_set(tp->gone, i);
			tp->evicted_idle++;
			tp->any_gone = true;
		}
	for (size_t r = tp->max_groups; tp->max_groups && r < n; r++)
		if (!bit(tp->gone, tp->order[r])) {
			bit_set(tp->gone, tp->order[r]);
			tp->evicted_max++;
			tp->any_gone = true;
		}
	return true;
}

bool top_tick(struct top *tp, struct ra_err *err)
{
	size_t n;

	tp->now = top_clock();
	if (!evict_marked(tp, err))
		return false;
	if (!cl_drain(tp->t, err))
		return false;
	n = cl_count(tp->t);
	if (!grow((void **)&tp->side, &tp->side_cap, n, sizeof(*tp->side)) ||
	    !grow((void **)&tp->ent, &tp->ent_cap, n, sizeof(*tp->ent)) ||
	    !(tp->ent_tmp = realloc(tp->ent_tmp, tp->ent_cap * sizeof(*tp->ent_tmp))) ||
	    !(tp->order = realloc(tp->order, tp->ent_cap * sizeof(*tp->order))) ||
	    !(tp->shown = realloc(tp->shown, tp->ent_cap * sizeof(*tp->shown))) ||
	    !bitmap(&tp->hidden, &tp->hidden_words, n) ||
	    (tp->sort.sk.keylen > 8 && !tp->sort.rate &&
	     !(tp->keys = realloc(tp->keys, tp->ent_cap * tp->sort.sk.keylen)))) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", n);
		return false;
	}
	if (tp->live)
		slide(tp);
	for (size_t i = tp->nside; i < n; i++) {	/* new groups: their windows start empty */
		memset(&tp->side[i], 0, sizeof(tp->side[i]));
		tp->side[i].changed = tp->tick;
	}
	tp->nside = n;
	if (!cl_scan(tp->t, NULL, 0, visit, tp)) {
		ra_err_set(err, RA_ERR_NOMEM, "the table could not be read");
		return false;
	}
	if (tp->sort.rate || tp->sort.sk.keylen <= 8) {
		sk_sort_entries_lsd(tp->ent, tp->ent_tmp, n);
		for (size_t i = 0; i < n; i++)
			tp->order[i] = (uint32_t)tp->ent[i].ref;
	} else {
		for (size_t i = 0; i < n; i++)
			tp->order[i] = (uint32_t)i;
		if (!sk_sort_index_prefix(tp->order, n, tp->keys, tp->sort.sk.keylen) &&
		    !sk_sort_index(tp->order, n, tp->keys, tp->sort.sk.keylen)) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory sorting %zu groups", n);
			return false;
		}
	}
	tp->nent = n;
	tp->nshown = 0;
	for (size_t i = 0; i < n; i++)
		if (!bit(tp->hidden, tp->order[i]))
			tp->shown[tp->nshown++] = tp->order[i];
	if (tp->now - tp->last_tick_at >= 1000000 || !tp->last_tick_at) {
		uint64_t dt = tp->now - tp->last_tick_at;
		if (tp->last_tick_at)
			tp->rec_rate = (double)(tp->nrecords - tp->last_records) * 1e6 / (double)dt;
		tp->last_records = tp->nrecords;
		tp->last_tick_at = tp->now;
	}
	if (!mark(tp)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", n);
		return false;
	}
	if (tp->any_gone) {	/* those leaving are not shown */
		size_t k = 0;
		for (size_t i = 0; i < tp->nshown; i++)
			if (!bit(tp->gone, tp->shown[i]))
				tp->shown[k++] = tp->shown[i];
		tp->nshown = k;
	}
	tp->tick++;
	return true;
}

/* ---- rows by rank ---- */

struct fetch {
	struct top *tp;
	uint64_t *pairs;	/* place << 32 | slot, by place */
	size_t next, first;
};

static bool fetch_visit(void *ctx, size_t place, struct cl_group *g)
{
	struct fetch *fx = ctx;
	uint32_t slot = (uint32_t)fx->pairs[fx->next++];
	struct row *r = &fx->tp->rowbuf[slot];

	r->g = *g;
	r->g.f.spayload = r->g.f.dpayload = NULL;
	r->g.f.spaylen = r->g.f.dpaylen = 0;
	r->rank = fx->first + slot + 1;
	rates(fx->tp, place, g, &r->pps, &r->bps);
	return true;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

size_t top_rows(struct top *tp, size_t first, size_t n)
{
	struct fetch fx = { tp, NULL, 0, first };
	uint64_t *want = NULL;
	size_t words = 0;

	if (first >= tp->nshown)
		return 0;
	if (n > tp->nshown - first)
		n = tp->nshown - first;
	if (!grow((void **)&tp->rowbuf, &tp->rowbuf_cap, n, sizeof(*tp->rowbuf)) ||
	    !(fx.pairs = malloc(n * sizeof(*fx.pairs))) || !bitmap(&want, &words, tp->nside)) {
		free(fx.pairs);
		free(want);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t place = tp->shown[first + i];
		fx.pairs[i] = (uint64_t)place << 32 | i;
		bit_set(want, place);
	}
	qsort(fx.pairs, n, sizeof(*fx.pairs), cmp_u64);
	if (!cl_scan(tp->t, want, tp->nside, fetch_visit, &fx))
		n = 0;
	free(fx.pairs);
	free(want);
	return n;
}

#define CHUNK 16384

long top_find(struct top *tp, size_t from, const char *s)
{
	char line[4096];

	for (size_t at = from; at < tp->nshown; at += CHUNK) {
		size_t n = top_rows(tp, at, CHUNK);
		for (size_t i = 0; i < n; i++) {
			size_t len = cols_row(tp->cols, tp->ncols, &tp->rowbuf[i], tp->fc, false, line, sizeof(line) - 1);
			line[len] = 0;
			if (strstr(line, s))
				return (long)(at + i);
		}
		if (!n)
			break;
	}
	return -1;
}

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

bool top_print(struct top *tp, int fd, uint64_t max_rows, bool header)
{
	static char buf[1 << 16];
	struct col cols[RA_MAX_COLS];
	size_t len = 0, total = tp->nshown;

	if (max_rows && total > max_rows)
		total = max_rows;
	if (header) {
		len = top_header(tp, false, buf, sizeof(buf) - 1);
		buf[len++] = '\n';
	}
	memcpy(cols, tp->cols, sizeof(cols));
	for (size_t at = 0; at < total || at == 0; at += CHUNK) {
		size_t n = top_rows(tp, at, total - at < CHUNK ? total - at : CHUNK);
		cols_fit(cols, tp->ncols, tp->rowbuf, n, tp->fc);	/* as wide as the values: aligned */
		if (at == 0) {
			len += cols_labels(cols, tp->ncols, buf + len, sizeof(buf) - len - 1);
			buf[len++] = '\n';
		}
		for (size_t i = 0; i < n; i++) {
			if (len + 4096 > sizeof(buf)) {
				if (!write_all(fd, buf, len))
					return false;
				len = 0;
			}
			len += cols_row(cols, tp->ncols, &tp->rowbuf[i], tp->fc, false, buf + len, 4000);
			buf[len++] = '\n';
		}
		if (!n)
			break;
	}
	return write_all(fd, buf, len);
}
