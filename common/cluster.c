/*
 * cluster.c - racluster's table of groups: the index, the log, the arenas
 * and how a record finds or starts its group (keys are built in clkey.c and
 * clrec.c, records merged in merge.c, fed in batches by pipeline.c and
 * ring.c; groups leave the table in cluster_out.c).
 *
 * Every group starts on the log: an append-only run of 8 MB chunks holding,
 * in the order groups were first seen, each group's hash, the number of its
 * merged group (none yet) and its first record as on disk, without payload
 * (about 90 bytes), or a pointer to it in an input file kept mapped (16
 * bytes).  Most groups of a per-flow clustering never see a
 * second record, so they never cost more.  When a second record arrives,
 * the first is decoded and a merged group is made in an arena of
 * fixed-size chunks: its key, then what every merge touches (struct
 * cl_hot, 160 bytes), both in whole cache lines; the fields fewer records
 * carry go to a cold part, in an arena of its own, made when needed.  Once
 * the first records of merged groups are half the log, the log is
 * rewritten without them (a merged group keeps a 16-byte entry for its
 * place in the order).  The index is an open-addressing table (linear
 * probing, at most half full) of 8-byte slots holding a group's hash and a
 * reference to its log entry or its merged group.  Groups are emitted by
 * walking the log; evicted groups leave it (the rest move up, in order),
 * their merged groups go on a free list, and the index is rebuilt from the
 * log.  cl_scan walks the log without emptying it; a group's place in it
 * (its rank in first-seen order among the live groups) is what a caller's
 * side arrays follow (ratop's rate windows).
 */
#include "config.h"

#include "table.h"

#include "bigmem.h"

#include <stdlib.h>
#include <string.h>

/* ---- table ---- */

/* Where the log entry after the one ending at pos starts (past unused chunk tails). */
uint64_t tbl_log_next(const struct cl_table *t, uint64_t pos)
{
	if (pos >= t->log_end)
		return pos;
	if ((pos & (LOG_BYTES - 1)) == 0 || ld32(log_at(t, pos) + 4) != JUMP)
		return pos;
	return (pos | (LOG_BYTES - 1)) + 1;
}

struct cl_table *cl_table_new(const struct cl_spec *s, struct ra_err *err)
{
	struct cl_table *t = calloc(1, sizeof(*t));

	if (!t || s->keylen > CL_MAX_KEYLEN)
		goto nomem;
	t->spec = *s;
	/* whole cache lines: a lookup's key comparison fetches the group's first */
	t->stride = (s->keylen + sizeof(struct cl_hot) + 63) & ~(size_t)63;
	t->chk = cl_chk_init(s);
	/* the chunk tables are mapped, not calloc'd: their zero pages cost
	 * nothing until used, where calloc would clear 5 MB a table */
	t->chunks = ra_big_alloc(MAX_CHUNKS * sizeof(*t->chunks), 0);
	t->cold.size = sizeof(struct cl_cold);
	t->v6.size = sizeof(struct cl_v6);
	t->v6.chunks = ra_big_alloc(POOL_MAX_CHUNKS * sizeof(*t->v6.chunks), 0);
	t->cold.chunks = ra_big_alloc(POOL_MAX_CHUNKS * sizeof(*t->cold.chunks), 0);
	t->tcp = ra_big_alloc(MAX_CHUNKS * sizeof(*t->tcp), 0);
	t->log = calloc(LOG_MAX_CHUNKS, sizeof(*t->log));
	t->cap = 1024;
	t->slots = ra_big_alloc(t->cap * sizeof(*t->slots), RA_BIG_HUGE);
	t->free_head = NO_GROUP;
	t->hashed = t->fetched = -1;
	ra_flow_init(&t->probe_full);
	for (int i = 0; i < CL_INFLIGHT; i++)
		for (int j = 0; j < 2 * CL_BATCH; j++)
			ra_flow_init(&t->b[i].full[j]);
	if (!t->chunks || !t->log || !t->slots || !t->cold.chunks || !t->tcp || !t->v6.chunks)
		goto nomem;
	return t;
nomem:
	cl_table_free(t);
	ra_err_set(err, RA_ERR_NOMEM, "out of memory");
	return NULL;
}

void cl_table_free(struct cl_table *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->nchunks; i++) {
		ra_big_free(t->chunks[i], (size_t)CHUNK_GROUPS * t->stride);
		if (t->tcp)
			free(t->tcp[i]);
	}
	for (uint32_t i = 0; i < t->nlog; i++)
		ra_big_free(t->log[i], LOG_BYTES);
	for (uint32_t i = 0; i < t->cold.nchunks; i++)
		free(t->cold.chunks[i]);
	for (uint32_t i = 0; i < t->v6.nchunks; i++)
		free(t->v6.chunks[i]);
	ra_big_free(t->cold.chunks, POOL_MAX_CHUNKS * sizeof(*t->cold.chunks));
	ra_big_free(t->tcp, MAX_CHUNKS * sizeof(*t->tcp));
	ra_big_free(t->v6.chunks, POOL_MAX_CHUNKS * sizeof(*t->v6.chunks));
	free(t->ring);
	ra_big_free(t->chunks, MAX_CHUNKS * sizeof(*t->chunks));
	free(t->log);
	ra_big_free(t->slots, t->cap * sizeof(*t->slots));
	free(t);
}

size_t cl_count(const struct cl_table *t) { return t->live; }

size_t cl_memory(const struct cl_table *t)
{
	return (size_t)t->nchunks * CHUNK_GROUPS * t->stride + (size_t)t->cold.nchunks * POOL_PER_CHUNK * t->cold.size +
	       (size_t)t->ntcp * CHUNK_GROUPS * sizeof(struct cl_tcp) +
	       (size_t)t->v6.nchunks * POOL_PER_CHUNK * t->v6.size + (size_t)t->nlog * LOG_BYTES +
	       t->cap * sizeof(*t->slots) + sizeof(*t) +
	       (t->nchunks + t->cold.nchunks + t->ntcp + t->v6.nchunks + t->nlog) * sizeof(void *);	/* chunk tables: what is used of them */
}

void tbl_slot_insert(uint64_t *slots, size_t cap, uint32_t hash, uint32_t ref)
{
	size_t m = cap - 1, i = hash & m;

	while (slots[i])
		i = (i + 1) & m;
	slots[i] = (uint64_t)hash << 32 | ref;
}

static bool grow(struct cl_table *t, struct ra_err *err)
{
	size_t ncap = t->cap * 2;
	uint64_t *ns = ra_big_alloc(ncap * sizeof(*ns), RA_BIG_HUGE);

	if (!ns) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			tbl_slot_insert(ns, ncap, (uint32_t)(t->slots[i] >> 32), (uint32_t)t->slots[i]);
	ra_big_free(t->slots, t->cap * sizeof(*t->slots));
	t->slots = ns;
	t->cap = ncap;
	return true;
}

/*
 * Large blocks (arena and log chunks, the index) come from ra_big_alloc.
 * The arena and the index, read at random, ask for huge pages: a table of
 * millions of groups otherwise spends much of its time on TLB misses.  The
 * log, written in order, does not: huge pages made there cost more system
 * time than they save (measured: 1.0-1.7 s against 0.3-0.7 s for 5 million
 * one-record groups).  Arena and log chunks after the first are populated
 * at once; the first ones are not, and the first arena chunk is in small
 * pages until a second is needed, so a small table (a time bin's, a fuzzer
 * run's) costs the pages it touches, not 16 MB populated and a 2 MB page
 * cleared.
 */
/* Chunk c of the arena: the first lazily in small pages, later ones
 * populated in huge pages (and the first then asks for huge pages too, which
 * the kernel may give it in the background). */
static void *chunk_alloc(struct cl_table *t, size_t c)
{
	size_t bytes = (size_t)CHUNK_GROUPS * t->stride;

	if (c == 1)
		ra_big_advise_huge(t->chunks[0], bytes);
	return ra_big_alloc(bytes, c > 0 ? RA_BIG_HUGE | RA_BIG_POPULATE : 0);
}

static struct cl_hot *alloc_group(struct cl_table *t, uint32_t *idx, struct ra_err *err)
{
	struct cl_hot *g;

	if (t->free_head != NO_GROUP) {
		*idx = t->free_head;
		g = group_at(t, *idx);
		t->free_head = g->hash;
		return g;
	}
	if ((t->used >> CHUNK_SHIFT) >= t->nchunks) {
		uint32_t c = t->nchunks;
		if (c >= MAX_CHUNKS || !(t->chunks[c] = chunk_alloc(t, c))) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
			return NULL;
		}
		t->nchunks++;
	}
	*idx = t->used++;
	return group_at(t, *idx);
}

/* Room for `need` bytes at the end of the log (a new chunk when the
 * current one is short of it); false at the cap or out of memory. */
static bool log_room(struct cl_table *t, size_t need)
{
	uint64_t pos = t->log_end;

	if (pos >> LOG_SHIFT < t->nlog && (pos & (LOG_BYTES - 1)) + need > LOG_BYTES) {
		if ((pos & (LOG_BYTES - 1)) != 0)
			st32(log_at(t, pos) + 4, JUMP);
		pos = (pos | (LOG_BYTES - 1)) + 1;
	}
	if (pos >> LOG_SHIFT >= t->nlog) {
		if (t->nlog >= LOG_MAX_CHUNKS || !(t->log[t->nlog] = ra_big_alloc(LOG_BYTES, t->nlog > 0 ? RA_BIG_POPULATE : 0)))
			return false;
		t->nlog++;
	}
	t->log_end = pos;
	return true;
}


/* An item of pool p: its number (0 out of memory). */
static uint32_t pool_get(struct pool *p)
{
	uint32_t n;

	if (p->free) {
		n = p->free;
		memcpy(&p->free, pool_at(p, n), 4);
		return n;
	}
	if ((p->used >> POOL_SHIFT) >= p->nchunks) {
		if (p->nchunks >= POOL_MAX_CHUNKS || !(p->chunks[p->nchunks] = malloc((size_t)POOL_PER_CHUNK * p->size)))
			return 0;
		p->nchunks++;
	}
	return ++p->used;
}

static void pool_put(struct pool *p, uint32_t n)
{
	memcpy(pool_at(p, n), &p->free, 4);
	p->free = n;
}

/* A cold part for g (number + 1 in g->cold); NULL out of memory. */
static struct cl_cold *alloc_cold(struct cl_table *t, struct cl_hot *g, struct ra_err *err)
{
	if (!(g->cold = pool_get(&t->cold))) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return NULL;
	}
	return cold_at(t, g->cold);
}

/* TCP counters added to g's (cleared first when g has none; their chunk made
 * when it is the first of its chunk's groups to have some). */
bool tbl_merge_tcp(struct cl_table *t, struct cl_hot *g, const uint32_t n[6], struct ra_err *err)
{
	uint32_t at = g->tcp - 1;
	struct cl_tcp *c;

	if (!(g->gflags & CL_G_TCP)) {
		if (!t->tcp[at >> CHUNK_SHIFT]) {
			if (!(t->tcp[at >> CHUNK_SHIFT] = malloc((size_t)CHUNK_GROUPS * sizeof(*c)))) {
				ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
				return false;
			}
			t->ntcp++;
		}
		memset(tcp_at(t, at), 0, sizeof(*c));
		g->gflags |= CL_G_TCP;
	}
	c = tcp_at(t, at);
	for (int i = 0; i < 6; i++)
		c->n[i] += n[i];
	return true;
}

bool tbl_merge_parts(struct cl_table *t, struct cl_hot *g, const uint32_t *tcp, const union ra_addr *saddr,
		     const union ra_addr *daddr, struct ra_err *err)
{
	if (tcp && !tbl_merge_tcp(t, g, tcp, err))
		return false;
	if (g->gflags & CL_G_V6)
		cl_v6_merge(&t->spec, g, v6_of(t, g), g->cold ? cold_at(t, g->cold) : NULL, saddr, daddr);
	return true;
}

/* g's parts go back to their pools. */
void tbl_free_parts(struct cl_table *t, struct cl_hot *g)
{
	if (g->cold)
		pool_put(&t->cold, g->cold);
	if (g->gflags & CL_G_V6)
		pool_put(&t->v6, g->sa);
	g->cold = 0;
	g->gflags &= (uint8_t)~CL_G_TCP;
}

/*
 * Must the index grow before one more group?  At half full while it is
 * small enough to stay in the caches, where short probes pay; at three
 * quarters once it is 32 MB or more, where each doubling costs the kernel
 * clearing the pages of a table twice the size (a fifth to a third of the
 * time of clustering 5 million flows went to clearing pages), and a
 * probe's next slots are mostly in the line it has fetched anyway.
 */
#define INDEX_BIG ((size_t)1 << 22)	/* slots: 32 MB */

static bool index_full(const struct cl_table *t)
{
	size_t n = (size_t)t->live + 1;
	return t->cap < INDEX_BIG ? n * 2 > t->cap : n * 4 > t->cap * 3;
}

/* A new group: its first record goes on the log, as it came without
 * payload, or a pointer to it when it stays in the input (in_place) and
 * the key is the flow's (with -m keys, one-record groups are few and
 * scattered: pointing at them would bring a page of the input back for
 * each when they are emitted). */
bool tbl_add_first(struct cl_table *t, const struct cl_rec *r, bool swapped, uint32_t hash, size_t slot,
		      struct ra_err *err)
{
	uint64_t pos;
	uint8_t *e;

	if (index_full(t)) {
		if (!grow(t, err))
			return false;
		slot = SIZE_MAX;
	}
	if (!log_room(t, LOG_HDR + CL_REC_COPY_MAX)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	pos = t->log_end;
	e = log_at(t, pos);
	if (r->in_place && t->spec.flow) {	/* the record stays where it is: point at it */
		static const uint8_t ref[4] = { LOG_REF, 0, LOG_REF_LEN - LOG_HDR, 0 };
		memcpy(e + LOG_HDR, ref, 4);
		e[LOG_HDR + 4] = (uint8_t)r->len;
		e[LOG_HDR + 5] = (uint8_t)(r->len >> 8);
		e[LOG_HDR + 6] = e[LOG_HDR + 7] = 0;
		memcpy(e + LOG_HDR + 8, &r->raw, sizeof(r->raw));
	} else {
		memcpy(e + LOG_HDR, r->raw, r->len);
	}
	e[LOG_HDR + 1] = swapped ? LOG_SWAPPED : 0;
	st32(e, hash);
	st32(e + 4, NO_GROUP);
	t->log_end = pos + log_entry_len(e);
	if (slot != SIZE_MAX)	/* the empty slot the lookup ended on */
		t->slots[slot] = (uint64_t)hash << 32 | ((uint32_t)(pos / 8) + 1);
	else
		tbl_slot_insert(t->slots, t->cap, hash, (uint32_t)(pos / 8) + 1);
	t->live++;
	return true;
}

/* Decode the first record of log entry e into t->probe (as it was merged: swapped back). */
bool tbl_decode_first(struct cl_table *t, const uint8_t *e, struct ra_err *err)
{
	size_t len;
	const uint8_t *rec = log_record(e, &len);

	if (!cl_rec_decode(rec, len, &t->probe, t->probe_copy, false, err))
		return false;
	if (t->probe.cold) {
		if (!ra_decode_flow(t->probe_copy, t->probe.len, &t->probe_full, err))
			return false;
		t->probe.full = &t->probe_full;
	}
	if (e[LOG_HDR + 1] & LOG_SWAPPED)
		cl_rec_swap(&t->probe, t->probe.full ? &t->probe_full : NULL);
	return true;
}

/* Group number idx made from record r, its cold part too when it needs one. */
static bool init_group(struct cl_table *t, struct cl_hot *g, uint32_t idx, const struct cl_rec *r,
		       struct ra_err *err)
{
	cl_hot_init(&t->spec, t->chk, g, r);
	g->tcp = idx + 1;
	if (r->has_tcp && !tbl_merge_tcp(t, g, r->tcp, err))
		return false;
	if (g->gflags & CL_G_V6) {
		if (!(g->sa = pool_get(&t->v6))) {
			g->gflags &= (uint8_t)~CL_G_V6;	/* nothing to give back */
			ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
			return false;
		}
		cl_v6_init(g, v6_of(t, g), r);
	}
	if (cl_rec_needs_cold(r)) {
		struct cl_cold *c = alloc_cold(t, g, err);
		if (!c)
			return false;
		cl_cold_init(&t->spec, g, c, v6_of(t, g), r);
	}
	return true;
}

/* Merge r into g. */
bool tbl_merge(struct cl_table *t, struct cl_hot *g, const struct cl_rec *r, struct ra_err *err)
{
	struct cl_cold *c;

	cl_hot_merge(&t->spec, g, r);
	if (!tbl_merge_parts(t, g, r->has_tcp ? r->tcp : NULL, &r->saddr, &r->daddr, err))
		return false;
	if (!cl_rec_touches_cold(r, g))
		return true;
	if (g->cold) {
		c = cold_at(t, g->cold);
	} else if (cl_rec_needs_cold(r)) {
		if (!(c = alloc_cold(t, g, err)))
			return false;
		cl_cold_open(g, c);
	} else {
		return true;
	}
	cl_cold_merge(&t->spec, g, c, v6_of(t, g), r);
	return true;
}

/*
 * The group of key: NULL when there is none.  A group still holding only
 * its first record becomes a merged group here (the record is decoded,
 * its key checked, and the slot made to point at the merged group).
 */
struct cl_hot *tbl_lookup(struct cl_table *t, const uint64_t *key, const uint64_t *rkey, uint32_t hash,
			  size_t *empty, bool *reversed, bool *failed, struct ra_err *err)
{
	size_t m = t->cap - 1, i = hash & m;
	size_t klen = t->spec.keylen;

	for (;; i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl, idx;
		uint8_t *e;
		struct cl_hot *g;

		if (!sl) {
			*empty = i;
			return NULL;
		}
		if ((uint32_t)(sl >> 32) != hash)
			continue;
		if (ref & FULL_TAG) {
			const uint8_t *k = key_at(t, ref & ~FULL_TAG);
			if (cl_key_eq(k, key, klen / 8))
				return group_at(t, ref & ~FULL_TAG);
			if (rkey && cl_key_eq(k, rkey, klen / 8)) {
				*reversed = true;
				return group_at(t, ref & ~FULL_TAG);
			}
			continue;
		}
		e = log_at(t, (uint64_t)(ref - 1) * 8);
		if (!tbl_decode_first(t, e, err)) {
			*failed = true;
			return NULL;
		}
		cl_rec_key(&t->spec, &t->probe, t->probe_key);
		if (!cl_key_eq((const uint8_t *)t->probe_key, key, klen / 8)) {
			if (!rkey || !cl_key_eq((const uint8_t *)t->probe_key, rkey, klen / 8))
				continue;
			*reversed = true;
		}
		g = alloc_group(t, &idx, err);
		if (!g || !init_group(t, g, idx, &t->probe, err)) {
			*failed = true;
			return NULL;
		}
		g->hash = hash;
		memcpy(key_at(t, idx), t->probe_key, klen);
		st32(e + 4, idx);
		t->log_dead += log_entry_len(e) - LOG_STUB;
		t->slots[i] = (uint64_t)hash << 32 | FULL_TAG | idx;
		return g;
	}
}

/*
 * A new group under a spec whose records come whole (s->whole): merged
 * from its first record at once, so that its key (the service's name,
 * which the record's copy without payload could not give again) is kept,
 * and its whole record with its label in its cold part.  Its log entry is
 * the stub of a merged group: its place in the order.
 */
static bool add_merged(struct cl_table *t, const struct cl_rec *r, const uint64_t *key, uint32_t hash, size_t slot,
		       struct ra_err *err)
{
	static const uint8_t stub[8] = { 0, 0, 8, 0 };	/* as log_keep leaves a merged group's entry */
	struct cl_hot *g;
	uint32_t idx;
	uint8_t *e;

	if (index_full(t)) {
		if (!grow(t, err))
			return false;
		slot = SIZE_MAX;
	}
	if (!log_room(t, LOG_STUB)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	g = alloc_group(t, &idx, err);
	if (!g || !init_group(t, g, idx, r, err))
		return false;
	g->hash = hash;
	memcpy(key_at(t, idx), key, t->spec.keylen);
	e = log_at(t, t->log_end);
	st32(e, hash);
	st32(e + 4, idx);
	memcpy(e + LOG_HDR, stub, sizeof(stub));
	t->log_end += LOG_STUB;
	if (slot != SIZE_MAX)
		t->slots[slot] = (uint64_t)hash << 32 | FULL_TAG | idx;
	else
		tbl_slot_insert(t->slots, t->cap, hash, FULL_TAG | idx);
	t->live++;
	return true;
}

/* A copy of r with its directions swapped, from the batch's scratch space. */
const struct cl_rec *tbl_swapped(struct batch *b, const struct cl_rec *r)
{
	return cl_rec_swapped(&b->scratch[b->nscratch++], r->full ? &b->full[b->nfull++] : NULL, r);
}

/* Entry j of batch b looked up (a new group made for it when there is
 * none) and merged. */
bool tbl_resolve_one(struct cl_table *t, struct batch *b, int j, struct ra_err *err)
{
	const struct cl_spec *s = &t->spec;
	struct entry *e = &b->ent[j];
	bool failed = false, reversed = false;
	size_t empty = SIZE_MAX;

	e->g = tbl_lookup(t, b->ekeys[j], s->flow && e->ip ? b->rkeys[j] : NULL, e->hash, &empty, &reversed, &failed,
		      err);
	if (failed)
		return false;
	if (!e->g && s->whole) {
		if (!e->r->full) {	/* rabins by count or size: records from their copies */
			ra_err_set(err, RA_ERR_USAGE,
				   "-m service: records come without their payload here (racluster -m service names them)");
			return false;
		}
		return add_merged(t, e->r, b->ekeys[j], e->hash, empty, err);
	}
	if (!e->g)
		return tbl_add_first(t, e->r, e->swapped, e->hash, empty, err);
	if (reversed) {
		e->r = tbl_swapped(b, e->r);
		e->swapped = !e->swapped;
	}
	return tbl_merge(t, e->g, e->r, err);
}
