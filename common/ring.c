/*
 * ring.c - records straight from a mapped input into racluster's table,
 * without a call per record (not for matrix or rmon keys).  A loop frames
 * the records itself.  The common record (IPv4 or IPv6, not merged
 * before: plain4.h, plain6.h) is not decoded on its way in: its key is
 * made from its bytes;
 * once its group is found its values are read where the merge sees them,
 * so they go from the input to the group through registers, and one that
 * starts a group goes on its log as it is.  Other records are decoded as
 * usual and go the table's general way, as do common records merged into
 * groups of the flow key.  All move through one ring in the order they
 * came, in the three stages pipeline.c has, AHEAD records apart: key and
 * hash made and the slot fetched; the slot read and the group fetched;
 * looked up and merged.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "options.h"
#include "plain6.h"
#include "table.h"

#define RING 64		/* entries, a power of two, more than 2 * AHEAD */
#define AHEAD 8		/* measured: 8 beat 16 and matched 4 */
#define RING_KEY 64	/* bytes of key an entry holds: the longest key the ring takes */

struct ring_ent {
	const uint8_t *raw;		/* a common record in the input; NULL: decoded in rec[] */
	uint32_t hash;			/* flow key: of the smaller direction's key */
	uint16_t len;
	bool v6;			/* raw is an IPv6 record (plain6.h), not IPv4 */
	bool ip;			/* flow key of an IP flow: either direction matches */
	const void *ahead;		/* what prefetch_key fetched (kept: see there) */
	bool ahead_group;		/* ahead is a merged group's key: its group, when the keys are equal
					 * (groups do not move or go while records are in the ring) */
	struct plain4_blocks x;		/* what its blocks hold */
	uint64_t key[RING_KEY / 8];
	uint64_t rkey[RING_KEY / 8];	/* flow key: the reverse direction's */
};

struct cl_ring {
	struct ring_ent ent[RING];
	struct cl_rec rec[RING];		/* the records decoded, by entry */
	struct ra_flow full[RING];		/* and whole, when they have cold blocks */
	uint8_t copy[RING][CL_REC_COPY_MAX];
	struct cl_rec swapped;			/* a record merged into its reverse direction's group */
	struct ra_flow swapped_full;
};

bool cl_feed_usable(const struct cl_spec *s)
{
	return !s->matrix && !s->rmon && !s->bin_width && s->nops4 >= 0 && s->keylen <= RING_KEY;
}

/*
 * Entry e made from the record b (len bytes): false when it is damaged
 * (left to the caller's reader to report); *keep false when it is outside
 * tr or select does not take it.  A common record's key is made from its
 * bytes (the flow key's too, for IPv4 records when compiled: its varying
 * items are the protocol, addresses and ports).
 */
static inline __attribute__((always_inline)) bool make_entry(const struct cl_spec *s, struct cl_ring *q, unsigned slot,
							     const uint8_t *b, size_t len, const struct time_range *tr,
							     cl_select_fn select, void *ctx, bool *keep, size_t words,
							     bool flow, const uint64_t *win, bool *stop)
{
	struct ring_ent *e = &q->ent[slot];
	bool v6 = false;
	uint64_t stime, ltime;

	e->ahead_group = false;	/* the last AHEAD entries are not fetched ahead */
	if (((!flow || s->flow4) && plain4_check(b, len, &e->x)) ||
	    (!flow && (v6 = plain6_check(b, len, &e->x)))) {	/* a common record: not decoded */
		stime = ld_le64(b + RA_AT_STIME);
		ltime = stime + ld_le32(b + RA_AT_DUR);
		*keep = ra_time_range_match(tr, stime, ltime);
		e->ip = flow;
		if (flow) {
			plain4_flow_keys(s, plain4_be32(b + RA_AT_SADDR), plain4_be32(b + RA_AT_DADDR4), ld_le16(b + RA_AT_SPORT),
					 ld_le16(b + RA_AT_DPORT), b[RA_AT_PROTO], e->key, e->rkey);
			if (win)	/* the time bin (cl_spec_bin) */
				e->key[s->bin_at / 8] = e->rkey[s->bin_at / 8] = stime / s->bin_width;
			e->hash = cl_hash_key(key_less(e->rkey, e->key, words) ? e->rkey : e->key, words);
		} else {
			if (!v6 && words == 8 && s->flow4)	/* -M nocorrect */
				plain4_flow_key(s, plain4_be32(b + RA_AT_SADDR), plain4_be32(b + RA_AT_DADDR4), ld_le16(b + RA_AT_SPORT),
						ld_le16(b + RA_AT_DPORT), b[RA_AT_PROTO], e->key);
			else if (v6)
				plain_key_raw(s, b, e->key, words, true);
			else
				plain_key_raw(s, b, e->key, words, false);
			if (win)
				e->key[s->bin_at / 8] = stime / s->bin_width;
			e->hash = cl_hash_key(e->key, words);
		}
		e->raw = b;
		e->len = (uint16_t)len;
		e->v6 = v6;
	} else {
		struct cl_rec *r = &q->rec[slot];
		struct ra_err err;

		if (!cl_rec_decode(b, len, r, q->copy[slot], true, &err))
			return false;
		if (r->cold) {
			if (!ra_decode_flow(b, len, &q->full[slot], &err))
				return false;
			r->full = &q->full[slot];
		}
		stime = r->stime;
		ltime = r->ltime;
		*keep = ra_time_range_match(tr, r->stime, r->ltime);
		cl_rec_keys(s, r, e->key, e->rkey, &e->ip);
		e->hash = lookup_hash(s, e->key, e->rkey, e->ip);
		e->raw = NULL;
	}
	if (*keep && win && (stime < win[0] || stime >= win[1] ||
			     (ltime > stime && (ltime - 1) / s->bin_width != stime / s->bin_width))) {
		*stop = true;	/* not within one open bin: the caller cuts it */
		return true;
	}
	if (*keep && select) {
		int v = select(ctx, b, len);
		if (v < 0)
			return false;
		*keep = v != 0;
	}
	return true;
}

/* The group of key, when one is merged already (NULL when there is none,
 * or when the group may be one still holding its first record). */
static inline struct cl_hot *find_merged(const struct cl_table *t, const uint64_t *key, uint32_t hash, size_t words)
{
	size_t m = t->cap - 1;

	for (size_t i = hash & m;; i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl;

		if (!sl || ((uint32_t)(sl >> 32) == hash && !(ref & FULL_TAG)))
			return NULL;
		if ((uint32_t)(sl >> 32) == hash && cl_key_eq(key_at(t, ref & ~FULL_TAG), key, words))
			return group_at(t, ref & ~FULL_TAG);
	}
}

/* Entry slot looked up (a new group made for it when there is none) and
 * merged, the general way. */
static __attribute__((noinline)) bool resolve_general(struct cl_table *t, struct cl_ring *q, unsigned slot,
						      struct ra_err *err)
{
	const struct ring_ent *e = &q->ent[slot];
	struct cl_rec *r = &q->rec[slot];
	bool reversed = false, failed = false;
	size_t empty = SIZE_MAX;
	struct cl_hot *g;

	g = tbl_lookup(t, e->key, e->ip ? e->rkey : NULL, e->hash, &empty, &reversed, &failed, err);
	if (failed)
		return false;
	if (!g) {
		if (e->raw) {	/* all a new group takes of it */
			r->raw = e->raw;
			r->len = e->len;
			r->in_place = true;
		}
		return tbl_add_first(t, r, false, e->hash, empty, err);
	}
	if (e->raw && !e->v6)
		plain4_decode(e->raw, e->len, &e->x, r, NULL, true);
	else if (e->raw && !cl_rec_decode(e->raw, e->len, r, q->copy[slot], true, err))
		return false;
	return tbl_merge(t, g, reversed ? cl_rec_swapped(&q->swapped, &q->swapped_full, r) : r, err);
}

/* Entry slot looked up and merged: a common record into a group merged
 * before straight from the input; any other the general way. */
static inline __attribute__((always_inline)) bool resolve(struct cl_table *t, struct cl_ring *q, unsigned slot,
							  struct ra_err *err, size_t words, bool flow)
{
	const struct ring_ent *e = &q->ent[slot];

	if (!flow && e->raw) {	/* (under the flow key a plain record's ip is set) */
		struct cl_hot *g = e->ahead_group && cl_key_eq(e->ahead, e->key, words)
					   ? (struct cl_hot *)((const uint8_t *)e->ahead + 8 * words)
					   : find_merged(t, e->key, e->hash, words);
		if (g && !(g->gflags & CL_G_COLDCMP)) {
			struct cl_mv v;
			union ra_addr sa, da;
			if (!e->v6) {	/* an IPv6 group it joins has its addresses blanked by the merge
					 * (the family differs), so they need not be merged */
				plain4_mv(e->raw, &e->x, &v);
				cl_hot_merge_mv(g, &v);
				return !e->x.has_tcp || tbl_merge_tcp(t, g, e->x.tcp, err);
			}
			plain6_mv(e->raw, &e->x, &v);	/* as tbl_merge merges it */
			cl_hot_merge_mv(g, &v);
			plain6_addrs(e->raw, &sa, &da);
			return tbl_merge_parts(t, g, e->x.has_tcp ? e->x.tcp : NULL, &sa, &da, err);
		}
	}
	return resolve_general(t, q, slot, err);
}

/*
 * cl_feed's loop for keys of this many words, under the flow key or not:
 * inlined into one copy for each usual key, where words and flow are
 * constants and hashing and comparing keys take straight-line code.
 */
static inline __attribute__((always_inline)) bool feed(struct cl_table *t, struct cl_ring *q, const uint8_t *p, size_t n,
						       const struct time_range *tr, cl_select_fn select, void *ctx,
						       size_t *used, uint64_t *nrec, struct ra_err *err, size_t words,
						       bool flow, const uint64_t *win)
{
	size_t off = 0;
	uint64_t in = 0, recs = 0;	/* in: entries made */
	size_t stride = (8 * words + sizeof(struct cl_hot) + 63) & ~(size_t)63;	/* t->stride, as a constant */
	bool ok = true;

	while (n - off >= 4) {
		const uint8_t *b = p + off;
		size_t len = ld_le16(b + 2);
		unsigned slot = in & (RING - 1);
		bool keep, stop = false;

		if (ld_le16(b) != RA_REC_FLOW || len < 8 || len % 8 || len > n - off ||
		    !make_entry(&t->spec, q, slot, b, len, tr, select, ctx, &keep, words, flow, win, &stop) || stop)
			break;
		off += len;
		recs++;
		if (!keep)
			continue;
		__builtin_prefetch(&t->slots[q->ent[slot].hash & (t->cap - 1)]);
		if (in >= AHEAD) {
			struct ring_ent *f = &q->ent[(in - AHEAD) & (RING - 1)];
			uint32_t gi;
			const char *g = f->ahead = prefetch_key(t, f->hash, &f->ahead_group, &gi);
			if (f->ahead_group) {	/* the group's further lines, and its TCP counters */
				__builtin_prefetch(g + 64, 1);
				for (size_t o = 128; o < stride; o += 64)
					__builtin_prefetch(g + o, 1);
				if (f->raw && f->x.has_tcp && t->tcp[gi >> CHUNK_SHIFT])
					__builtin_prefetch(tcp_at(t, gi), 1);
			}
		}
		in++;
		if (in > 2 * AHEAD && !(ok = resolve(t, q, (in - 2 * AHEAD - 1) & (RING - 1), err, words, flow)))
			break;
		if ((in & 15) == 0)
			tbl_maybe_compact(t);
	}
	for (uint64_t i = in > 2 * AHEAD ? in - 2 * AHEAD : 0; ok && i < in; i++)
		ok = resolve(t, q, i & (RING - 1), err, words, flow);
	tbl_maybe_compact(t);
	*used = off;
	*nrec = recs;
	return ok;
}

static struct cl_ring *ring_of(struct cl_table *t, struct ra_err *err)
{
	struct cl_ring *q = t->ring;

	if (!q) {
		if (!(q = t->ring = malloc(sizeof(*q)))) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return NULL;
		}
		for (int i = 0; i < RING; i++)
			ra_flow_init(&q->full[i]);
	}
	return q;
}

bool cl_feed(struct cl_table *t, const uint8_t *p, size_t n, const struct time_range *tr, cl_select_fn select,
	     void *ctx, size_t *used, uint64_t *nrec, struct ra_err *err)
{
	struct cl_ring *q = ring_of(t, err);

	if (!q)
		return false;
	if (t->spec.flow)
		return t->spec.keylen == 64 ? feed(t, q, p, n, tr, select, ctx, used, nrec, err, 8, true, NULL)
					    : feed(t, q, p, n, tr, select, ctx, used, nrec, err, t->spec.keylen / 8, true,
						   NULL);
	switch (t->spec.keylen / 8) {	/* saddr: 3 words; proto dport: 1; the flow key (-M nocorrect): 8 */
	case 1: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, 1, false, NULL);
	case 2: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, 2, false, NULL);
	case 3: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, 3, false, NULL);
	case 8: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, 8, false, NULL);
	default: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, t->spec.keylen / 8, false, NULL);
	}
}

bool cl_feed_bins_usable(const struct cl_spec *s)
{
	return !s->matrix && !s->rmon && s->bin_width && s->nops4 >= 0 && s->keylen <= RING_KEY;
}

bool cl_feed_bins(struct cl_table *t, const uint8_t *p, size_t n, uint64_t lo, uint64_t hi,
		  const struct time_range *tr, cl_select_fn select, void *ctx, size_t *used, uint64_t *nrec,
		  struct ra_err *err)
{
	struct cl_ring *q = ring_of(t, err);
	const uint64_t win[2] = { lo, hi };

	if (!q)
		return false;
	if (t->spec.flow)
		return feed(t, q, p, n, tr, select, ctx, used, nrec, err, t->spec.keylen / 8, true, win);
	switch (t->spec.keylen / 8) {	/* proto dport and its bin: 2 words; saddr: 4 */
	case 2: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, 2, false, win);
	case 4: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, 4, false, win);
	default: return feed(t, q, p, n, tr, select, ctx, used, nrec, err, t->spec.keylen / 8, false, win);
	}
}
