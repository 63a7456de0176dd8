/*
 * ring.c - records straight from a mapped input into racluster's table,
 * for -m keys (not the flow's, not matrix, not rmon), without a call per
 * record.  A loop frames the records itself.  The common record (IPv4, not
 * merged before: plain4.h) is not decoded on its way in: its key is made
 * from its bytes, and once its group is found its values are read where
 * the merge sees them, so they go from the input to the group through
 * registers.  Other records are decoded as usual and go the table's
 * general way, as do common records that start a group.  All move through
 * one ring in the order they came, in the three stages pipeline.c has,
 * AHEAD records apart: key and hash made and the slot fetched; the slot
 * read and the group fetched; looked up and merged.
 */
#include "config.h"

#include <stdlib.h>

#include "options.h"
#include "plain4.h"
#include "table.h"

#define RING 64		/* entries, a power of two, more than 2 * AHEAD */
#define AHEAD 16
#define RING_KEY 64	/* bytes of key an entry holds (plain4_key writes 64) */

struct ring_ent {
	const uint8_t *raw;		/* a common record in the input; NULL: decoded in rec[] */
	uint32_t hash;
	uint16_t len;
	const void *ahead;		/* what prefetch_key fetched (kept: see there) */
	struct plain4_blocks x;		/* what its blocks hold */
	uint64_t key[RING_KEY / 8];
};

struct cl_ring {
	struct ring_ent ent[RING];
	struct cl_rec rec[RING];		/* the records decoded, by entry */
	struct ra_flow full[RING];		/* and whole, when they have cold blocks */
	uint8_t copy[RING][CL_REC_COPY_MAX];
};

bool cl_feed_usable(const struct cl_spec *s)
{
	return !s->flow && !s->matrix && !s->rmon && s->nops4 >= 0 && s->keylen <= RING_KEY;
}

/*
 * Entry e made from the record b (len bytes): false when it is damaged
 * (left to the caller's reader to report); *keep false when it is outside
 * tr.
 */
static bool make_entry(const struct cl_spec *s, struct cl_ring *q, unsigned slot, const uint8_t *b, size_t len,
		       const struct time_range *tr, bool *keep)
{
	struct ring_ent *e = &q->ent[slot];

	if (plain4_check(b, len, &e->x)) {
		uint64_t stime = ld_le64(b + 8);
		uint32_t addr[2] = { plain4_be32(b + 56), plain4_be32(b + 60) };
		uint16_t port[2] = { ld_le16(b + 20), ld_le16(b + 22) };
		uint8_t flags[2] = { b[28], b[29] };

		*keep = ra_time_range_match(tr, stime, stime + ld_le32(b + 16));
		plain4_key(s, addr, port, plain4_id0(b), flags, e->key, 0);
		e->raw = b;
		e->len = (uint16_t)len;
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
		*keep = ra_time_range_match(tr, r->stime, r->ltime);
		cl_rec_key(s, r, e->key);
		e->raw = NULL;
	}
	e->hash = cl_hash_key(e->key, s->keylen / 8);
	return true;
}

/* The group of key, when one is merged already (NULL when there is none,
 * or when the group may be one still holding its first record). */
static inline struct cl_hot *find_merged(const struct cl_table *t, const uint64_t *key, uint32_t hash)
{
	size_t m = t->cap - 1, words = t->spec.keylen / 8;

	for (size_t i = hash & m;; i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl;

		if (!sl || ((uint32_t)(sl >> 32) == hash && !(ref & FULL_TAG)))
			return NULL;
		if ((uint32_t)(sl >> 32) == hash && cl_key_eq(key_at(t, ref & ~FULL_TAG), key, words))
			return group_at(t, ref & ~FULL_TAG);
	}
}

/* Entry slot looked up and merged. */
static bool resolve(struct cl_table *t, struct cl_ring *q, unsigned slot, struct ra_err *err)
{
	const struct ring_ent *e = &q->ent[slot];
	struct cl_hot *g;

	if (e->raw) {
		g = find_merged(t, e->key, e->hash);
		if (g && !(g->gflags & CL_G_COLDCMP)) {	/* the common case: merged from the input */
			struct cl_mv v;
			plain4_mv(e->raw, &e->x, &v);
			cl_hot_merge_mv(g, &v);
			return true;
		}
		plain4_decode(e->raw, e->len, &e->x, &q->rec[slot], NULL, true);
	}
	return tbl_resolve_rec(t, &q->rec[slot], e->key, e->hash, err);
}

bool cl_feed(struct cl_table *t, const uint8_t *p, size_t n, const struct time_range *tr, size_t *used,
	     uint64_t *nrec, struct ra_err *err)
{
	struct cl_ring *q = t->ring;
	size_t off = 0;
	uint64_t in = 0, recs = 0;	/* in: entries made */
	bool ok = true;

	if (!q) {
		if (!(q = t->ring = malloc(sizeof(*q)))) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return false;
		}
		for (int i = 0; i < RING; i++)
			ra_flow_init(&q->full[i]);
	}
	while (n - off >= 4) {
		const uint8_t *b = p + off;
		size_t len = ld_le16(b + 2);
		unsigned slot = in & (RING - 1);
		bool keep;

		if (ld_le16(b) != RA_REC_FLOW || len < 8 || len % 8 || len > n - off ||
		    !make_entry(&t->spec, q, slot, b, len, tr, &keep))
			break;
		off += len;
		recs++;
		if (!keep)
			continue;
		__builtin_prefetch(&t->slots[q->ent[slot].hash & (t->cap - 1)]);
		if (in >= AHEAD) {
			struct ring_ent *f = &q->ent[(in - AHEAD) & (RING - 1)];
			bool group;
			const char *g = f->ahead = prefetch_key(t, f->hash, &group);
			for (size_t o = 64; g && o < t->stride; o += 64)
				__builtin_prefetch(g + o, 1);
		}
		in++;
		if (in > 2 * AHEAD && !(ok = resolve(t, q, (in - 2 * AHEAD - 1) & (RING - 1), err)))
			break;
		if ((in & 15) == 0)
			tbl_maybe_compact(t);
	}
	for (uint64_t i = in > 2 * AHEAD ? in - 2 * AHEAD : 0; ok && i < in; i++)
		ok = resolve(t, q, i & (RING - 1), err);
	tbl_maybe_compact(t);
	*used = off;
	*nrec = recs;
	return ok;
}
