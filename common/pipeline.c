/*
 * pipeline.c - records into racluster's table in batches, software
 * pipelined: keys and hashes made, slots and groups fetched ahead, then
 * looked up and merged in the order the records came.
 */
#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static bool matrix_swaps(const struct cl_spec *s, const struct cl_rec *r)
{
	union ra_addr a = r->saddr, b = r->daddr;
	unsigned fam = r->family == RA_AF_ARP ? RA_AF_INET : r->family;

	if (s->matrix_len != CL_NO_PREFIX) {
		cl_mask_addr(fam, &a, s->matrix_len);
		cl_mask_addr(fam, &b, s->matrix_len);
	}
	return fam == RA_AF_INET ? a.v4 > b.v4 : memcmp(&a, &b, sizeof(a)) > 0;
}

/* A batch's keys and hashes; the slots they hash to are fetched. */
static void prepare(struct cl_table *t, struct batch *b, const struct cl_rec *const *rs, int n)
{
	const struct cl_spec *s = &t->spec;
	int ne = 0;

	b->nscratch = b->nfull = 0;
	for (int i = 0; i < n && i < CL_BATCH; i++) {
		const struct cl_rec *r = rs[i];
		if (s->matrix && matrix_swaps(s, r))
			r = tbl_swapped(b, r);
		b->ent[ne].swapped = r != rs[i];
		b->ent[ne++].r = r;
		if (s->rmon) {
			b->ent[ne].swapped = r == rs[i];
			b->ent[ne++].r = tbl_swapped(b, r);
		}
	}
	b->ne = ne;
	for (int j = 0; j < ne; j++) {
		cl_rec_keys(s, b->ent[j].r, b->ekeys[j], b->rkeys[j], &b->ent[j].ip);
		b->ent[j].hash = lookup_hash(s, b->ekeys[j], b->rkeys[j], b->ent[j].ip);
	}
}

static bool resolve(struct cl_table *t, struct batch *b, struct ra_err *err)
{
	for (int j = 0; j < b->ne; j++)
		if (!tbl_resolve_one(t, b, j, err))
			return false;
	tbl_maybe_compact(t);
	return true;
}

/* Entry e's group (key, hot lines, TCP counters when its record has some)
 * or first record fetched; its slot was fetched a batch before. */
static inline void fetch_group(struct cl_table *t, struct entry *e)
{
	uint32_t idx;
	const char *p = prefetch_key(t, e->hash, &e->ahead_group, &idx);

	e->ahead = p;
	for (size_t off = 64; p && off < t->stride; off += 64)
		__builtin_prefetch(p + off, 1);
	if (e->ahead_group && e->r->has_tcp && t->tcp[idx >> CHUNK_SHIFT])
		__builtin_prefetch(tcp_at(t, idx), 1);
}

/* The cold part of the group entry e names, when it has one (the group's
 * lines were fetched a batch before). */
static inline void fetch_cold(struct cl_table *t, const struct entry *e)
{
	uint32_t ref;

	if (!e->ahead_group)
		return;
	memcpy(&ref, (const uint8_t *)e->ahead + t->spec.keylen + offsetof(struct cl_hot, cold), 4);
	if (ref && ref - 1 < t->cold.used)
		__builtin_prefetch(cold_at(t, ref), 1);
}

/*
 * Software pipelining in three stages, a batch apart: an entry is hashed
 * and its slot fetched; a batch later the slot is read and the group it
 * names is fetched; a batch later still, it is looked up and merged.  The
 * stages of three batches go entry by entry side by side, so fetches are
 * issued a few at a time (a processor drops those it has no room for: a
 * burst of dozens mostly comes to nothing) and each has a batch of work to
 * arrive in.  Batches are merged in the order they came.
 */
bool cl_add_batch(struct cl_table *t, const struct cl_rec *const *rs, int n, struct ra_err *err)
{
	struct batch *nb, *hb, *fb;
	int next = 0, m;

	while (next == t->hashed || next == t->fetched)
		next++;
	nb = &t->b[next];
	prepare(t, nb, rs, n);
	hb = t->hashed >= 0 ? &t->b[t->hashed] : NULL;
	fb = t->fetched >= 0 ? &t->b[t->fetched] : NULL;
	m = nb->ne;
	if (hb && hb->ne > m)
		m = hb->ne;
	if (fb && fb->ne > m)
		m = fb->ne;
	for (int j = 0; j < m; j++) {
		if (j < nb->ne)
			__builtin_prefetch(&t->slots[nb->ent[j].hash & (t->cap - 1)]);
		if (hb && j < hb->ne)
			fetch_group(t, &hb->ent[j]);
		if (fb && j + 4 < fb->ne)
			fetch_cold(t, &fb->ent[j + 4]);
		if (fb && j < fb->ne && !tbl_resolve_one(t, fb, j, err)) {
			t->hashed = t->fetched = -1;
			return false;
		}
	}
	if (fb)
		tbl_maybe_compact(t);
	t->fetched = t->hashed;
	t->hashed = next;
	return true;
}

bool cl_drain(struct cl_table *t, struct ra_err *err)
{
	int f = t->fetched, h = t->hashed;

	t->fetched = t->hashed = -1;
	if (f >= 0 && !resolve(t, &t->b[f], err))
		return false;
	return h < 0 || resolve(t, &t->b[h], err);
}

bool cl_add(struct cl_table *t, const struct ra_flow *f, struct ra_err *err)
{
	uint8_t *enc = malloc(RA_REC_MAX);
	uint8_t copy[CL_REC_COPY_MAX];
	struct ra_flow full;
	struct cl_rec r;
	const struct cl_rec *rp = &r;
	bool ok;

	if (!enc) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	ok = cl_rec_decode(enc, ra_encode_flow(f, enc), &r, copy, false, err);
	free(enc);
	if (ok && t->spec.whole) {	/* with its payload and label (cl_rec_whole) */
		full = *f;
		cl_rec_whole(&r, &full, f->service);
	} else if (ok && r.cold) {
		ra_flow_init(&full);
		ok = ra_decode_flow(copy, r.len, &full, err);
		r.full = &full;
	}
	return ok && cl_drain(t, err) && cl_add_batch(t, &rp, 1, err) && cl_drain(t, err);
}
