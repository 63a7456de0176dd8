/*
 * cluster.c - racluster's table of groups (keys are built in clkey.c and
 * clrec.c, records merged in merge.c).
 *
 * Every group starts on the log: an append-only run of 8 MB chunks holding,
 * in the order groups were first seen, each group's hash, the number of its
 * merged group (none yet) and its first record as on disk, without payload
 * (about 90 bytes).  Most groups of a per-flow clustering never see a
 * second record, so they never cost more.  When a second record arrives,
 * the first is decoded and a merged group is made in an arena of
 * fixed-size chunks: its key, then what every merge touches (struct
 * cl_hot, 160 bytes), both in whole cache lines; the fields fewer records
 * carry go to a cold part, in an arena of its own, made when needed.  The index is an open-addressing table (linear probing, at
 * most half full) of 8-byte slots holding a group's hash and a reference
 * to its log entry or its merged group.  Records are merged in batches, in
 * passes that fetch slots, keys and groups ahead of use.  Groups are
 * emitted by walking the log; evicted groups leave it (the rest move up,
 * in order), their merged groups go on a free list, and the index is
 * rebuilt from the log.
 */
#include "config.h"

#include "cluster_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_SHIFT 14
#define CHUNK_GROUPS (1u << CHUNK_SHIFT)
#define MAX_CHUNKS (1u << 16)		/* 2^30 merged groups: a hard cap */
#define NO_GROUP UINT32_MAX
#define JUMP (UINT32_MAX - 1)		/* log: the rest of this chunk is unused */
#define FULL_TAG 0x80000000u		/* slot reference to a merged group */
#define LOG_SHIFT 23			/* first-record log chunks: 8 MB */
#define LOG_BYTES ((size_t)1 << LOG_SHIFT)
#define LOG_MAX_CHUNKS 2047u		/* 16 GB of first records: a hard cap */
#define LOG_HDR 8			/* hash, merged group number or NO_GROUP */
#define LOG_SWAPPED 0x01		/* in byte 1 of a logged record: its directions were swapped */
#define LOG_STUB (LOG_HDR + 8)		/* a merged group's entry once its first record is dropped */
#define LOG_COMPACT_MIN ((uint64_t)1 << 20)	/* dead bytes worth a rewrite of the log */
#define COLD_SHIFT 12
#define COLD_PER_CHUNK (1u << COLD_SHIFT)
#define MAX_COLD_CHUNKS (1u << 18)

struct cl_table {
	struct cl_spec spec;
	size_t stride;			/* bytes per merged group in the arena: key, then group */
	uint8_t **chunks;		/* merged groups, each after its key */
	uint32_t nchunks;
	uint32_t used;			/* merged groups handed out from the arena */
	uint32_t free_head;		/* free list through cl_hot.hash */
	uint16_t chk;			/* cl_hot.chk of a new group */
	struct cl_cold **cold;		/* cold parts, in chunks */
	uint32_t ncold, cold_used;
	uint32_t cold_free;		/* free list through cl_cold.f.seq, as number + 1 */
	uint32_t live;			/* groups in the index, first records included */
	/* the log: every group in the order first seen, as its hash, its
	 * merged group's number (NO_GROUP while it holds one record) and that
	 * first record, encoded */
	uint8_t **log;
	uint32_t nlog;			/* chunks */
	uint64_t log_end;		/* byte position of the next entry */
	uint64_t log_dead;		/* bytes of first records of groups merged since */
	uint64_t *slots;		/* hash << 32 | reference; 0 empty */
	size_t cap;			/* slots, a power of two */
	struct cl_rec probe;		/* a first record, decoded */
	struct ra_flow probe_full;
	uint8_t probe_copy[CL_REC_COPY_MAX];
	uint64_t probe_key[CL_MAX_KEYLEN / 8];
	struct cl_hot one;		/* a one-record group, to emit */
	struct cl_cold one_cold;
	struct cl_group out;		/* a group, as emitted */
	/* three batches in flight: one hashed (its slots fetched), one whose
	 * groups are fetched, one merged */
	struct batch {
		int ne, nscratch, nfull;
		struct cl_rec scratch[2 * CL_BATCH];	/* swapped copies */
		struct ra_flow full[2 * CL_BATCH];	/* their whole records, when cold */
		struct entry {
			const struct cl_rec *r;
			struct cl_hot *g;
			const void *ahead;	/* what prefetch_key fetched: a key (and group) or a log entry */
			uint32_t hash;		/* of the key; flow key: of the smaller direction */
			bool ip;		/* flow key of an IP flow: either direction matches */
			bool ahead_group;	/* ahead is a group's key (not a log entry) */
			bool swapped;		/* r is its record with directions swapped */
		} ent[2 * CL_BATCH];
		uint64_t ekeys[2 * CL_BATCH][CL_MAX_KEYLEN / 8];
		uint64_t rkeys[2 * CL_BATCH][CL_MAX_KEYLEN / 8];	/* flow key: the reverse direction */
	} b[CL_INFLIGHT];
	int hashed, fetched;		/* batches at those stages; -1 none */
};

/* ---- table ---- */

static void *big_alloc(size_t bytes, bool populate, bool huge);
static void log_compact(struct cl_table *t);
static void big_free(void *p, size_t bytes);

static inline struct cl_hot *group_at(const struct cl_table *t, uint32_t i)
{
	return (struct cl_hot *)(t->chunks[i >> CHUNK_SHIFT] + (size_t)(i & (CHUNK_GROUPS - 1)) * t->stride +
				   t->spec.keylen);
}

static inline uint8_t *key_at(const struct cl_table *t, uint32_t i)
{
	return t->chunks[i >> CHUNK_SHIFT] + (size_t)(i & (CHUNK_GROUPS - 1)) * t->stride;
}

static inline uint8_t *log_at(const struct cl_table *t, uint64_t pos)
{
	return t->log[pos >> LOG_SHIFT] + (pos & (LOG_BYTES - 1));
}

static inline uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline void st32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline size_t log_entry_len(const uint8_t *e) { return LOG_HDR + (size_t)(e[LOG_HDR + 2] | e[LOG_HDR + 3] << 8); }

/* Where the log entry after the one ending at pos starts (past unused chunk tails). */
static uint64_t log_next(const struct cl_table *t, uint64_t pos)
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
	t->chunks = calloc(MAX_CHUNKS, sizeof(*t->chunks));
	t->cold = calloc(MAX_COLD_CHUNKS, sizeof(*t->cold));
	t->log = calloc(LOG_MAX_CHUNKS, sizeof(*t->log));
	t->cap = 1024;
	t->slots = big_alloc(t->cap * sizeof(*t->slots), false, true);
	t->free_head = NO_GROUP;
	t->hashed = t->fetched = -1;
	ra_flow_init(&t->probe_full);
	for (int i = 0; i < CL_INFLIGHT; i++)
		for (int j = 0; j < 2 * CL_BATCH; j++)
			ra_flow_init(&t->b[i].full[j]);
	if (!t->chunks || !t->log || !t->slots || !t->cold)
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
		big_free(t->chunks[i], (size_t)CHUNK_GROUPS * t->stride);
	}
	for (uint32_t i = 0; i < t->nlog; i++)
		big_free(t->log[i], LOG_BYTES);
	for (uint32_t i = 0; i < t->ncold; i++)
		free(t->cold[i]);
	free(t->cold);
	free(t->chunks);
	free(t->log);
	big_free(t->slots, t->cap * sizeof(*t->slots));
	free(t);
}

size_t cl_count(const struct cl_table *t) { return t->live; }

size_t cl_memory(const struct cl_table *t)
{
	return (size_t)t->nchunks * CHUNK_GROUPS * t->stride + (size_t)t->ncold * COLD_PER_CHUNK * sizeof(struct cl_cold) +
	       (size_t)t->nlog * LOG_BYTES + t->cap * sizeof(*t->slots) + sizeof(*t) +
	       (t->nchunks + t->ncold + t->nlog) * sizeof(void *);	/* chunk tables: what is used of them */
}

static void slot_insert(uint64_t *slots, size_t cap, uint32_t hash, uint32_t ref)
{
	size_t m = cap - 1, i = hash & m;

	while (slots[i])
		i = (i + 1) & m;
	slots[i] = (uint64_t)hash << 32 | ref;
}

static bool grow(struct cl_table *t, struct ra_err *err)
{
	size_t ncap = t->cap * 2;
	uint64_t *ns = big_alloc(ncap * sizeof(*ns), false, true);

	if (!ns) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			slot_insert(ns, ncap, (uint32_t)(t->slots[i] >> 32), (uint32_t)t->slots[i]);
	big_free(t->slots, t->cap * sizeof(*t->slots));
	t->slots = ns;
	t->cap = ncap;
	return true;
}

#define HUGE_PAGE ((size_t)2 << 20)

/*
 * Large blocks (arena and log chunks, the index) come from mmap, starting
 * on a huge-page boundary and asking for huge pages: a table of millions
 * of groups otherwise spends much of its time on page faults and TLB
 * misses.  A block's tail short of a whole huge page stays in small pages,
 * so memory is what is asked for.  Arena and log chunks are populated at
 * once.
 */
static void *big_alloc(size_t bytes, bool populate, bool huge)
{
	size_t extra = huge && bytes >= HUGE_PAGE ? HUGE_PAGE : 0;
	uint8_t *p = mmap(NULL, bytes + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (extra) {
		size_t lead = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
		if (lead)
			munmap(p, lead);
		if (extra - lead)
			munmap(p + lead + bytes, extra - lead);
		p += lead;
	}
#ifdef MADV_HUGEPAGE
	if (huge)
		madvise(p, bytes, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
	if (populate)
		madvise(p, bytes, MADV_POPULATE_WRITE);
#else
	(void)populate;
#endif
	return p;
}

static void big_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, bytes);
}

static void *chunk_alloc(size_t bytes) { return big_alloc(bytes, true, true); }

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
		if (c >= MAX_CHUNKS || !(t->chunks[c] = chunk_alloc((size_t)CHUNK_GROUPS * t->stride))) {
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
		if (t->nlog >= LOG_MAX_CHUNKS || !(t->log[t->nlog] = big_alloc(LOG_BYTES, true, true)))
			return false;
		t->nlog++;
	}
	t->log_end = pos;
	return true;
}

static inline struct cl_cold *cold_at(const struct cl_table *t, uint32_t n)
{
	return &t->cold[(n - 1) >> COLD_SHIFT][(n - 1) & (COLD_PER_CHUNK - 1)];
}

/* A cold part for g (number + 1 in g->cold); NULL out of memory. */
static struct cl_cold *alloc_cold(struct cl_table *t, struct cl_hot *g, struct ra_err *err)
{
	uint32_t n;

	if (t->cold_free) {
		n = t->cold_free;
		t->cold_free = cold_at(t, n)->f.seq;
	} else {
		if ((t->cold_used >> COLD_SHIFT) >= t->ncold) {
			if (t->ncold >= MAX_COLD_CHUNKS ||
			    !(t->cold[t->ncold] = malloc(COLD_PER_CHUNK * sizeof(struct cl_cold)))) {
				ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
				return NULL;
			}
			t->ncold++;
		}
		n = ++t->cold_used;
	}
	g->cold = n;
	return cold_at(t, n);
}

static void free_cold(struct cl_table *t, struct cl_hot *g)
{
	if (!g->cold)
		return;
	cold_at(t, g->cold)->f.seq = t->cold_free;
	t->cold_free = g->cold;
	g->cold = 0;
}

/* A new group: its first record goes on the log, as it came without payload. */
static bool add_first(struct cl_table *t, const struct cl_rec *r, bool swapped, uint32_t hash,
		      struct ra_err *err)
{
	uint64_t pos;
	uint8_t *e;

	if ((size_t)(t->live + 1) * 2 > t->cap && !grow(t, err))
		return false;
	if (!log_room(t, LOG_HDR + CL_REC_COPY_MAX)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	pos = t->log_end;
	e = log_at(t, pos);
	memcpy(e + LOG_HDR, r->raw, r->len);
	e[LOG_HDR + 1] = swapped ? LOG_SWAPPED : 0;
	st32(e, hash);
	st32(e + 4, NO_GROUP);
	t->log_end = pos + LOG_HDR + r->len;
	slot_insert(t->slots, t->cap, hash, (uint32_t)(pos / 8) + 1);
	t->live++;
	return true;
}

/* Decode the first record of log entry e into t->probe (as it was merged: swapped back). */
static bool decode_first(struct cl_table *t, const uint8_t *e, struct ra_err *err)
{
	size_t len = log_entry_len(e) - LOG_HDR;

	if (!cl_rec_decode(e + LOG_HDR, len, &t->probe, t->probe_copy, err))
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

/* A group made from record r, its cold part too when it needs one. */
static bool init_group(struct cl_table *t, struct cl_hot *g, struct cl_cold *spare, const struct cl_rec *r,
		       struct ra_err *err)
{
	cl_hot_init(&t->spec, t->chk, g, r);
	if (cl_rec_needs_cold(r)) {
		struct cl_cold *c = spare ? spare : alloc_cold(t, g, err);
		if (!c)
			return false;
		cl_cold_init(&t->spec, g, c, r);
	}
	return true;
}

/* Merge r into g. */
static bool merge(struct cl_table *t, struct cl_hot *g, const struct cl_rec *r, struct ra_err *err)
{
	struct cl_cold *c;

	cl_hot_merge(&t->spec, g, r);
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
	cl_cold_merge(&t->spec, g, c, r);
	return true;
}

/*
 * The group of key: NULL when there is none.  A group still holding only
 * its first record becomes a merged group here (the record is decoded,
 * its key checked, and the slot made to point at the merged group).
 */
static struct cl_hot *lookup(struct cl_table *t, const uint64_t *key, const uint64_t *rkey, uint32_t hash,
			     bool *reversed, bool *failed, struct ra_err *err)
{
	size_t m = t->cap - 1, i = hash & m;
	size_t klen = t->spec.keylen;

	for (;; i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl, idx;
		uint8_t *e;
		struct cl_hot *g;

		if (!sl)
			return NULL;
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
		if (!decode_first(t, e, err)) {
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
		if (!g || !init_group(t, g, NULL, &t->probe, err)) {
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
 * Fetch the key (and so the group's first line) that a hash names, looking
 * a few slots along its probe sequence.  Returns what it fetched: kept in
 * the batch, so the compiler cannot take the loop for one without effect
 * (gcc 12 deleted it, prefetch and all, and every lookup waited on memory).
 */
static inline const void *prefetch_key(const struct cl_table *t, uint32_t hash, bool *group)
{
	size_t m = t->cap - 1, i = hash & m;

	*group = false;
	for (int n = 0; n < 4; n++, i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl;
		const void *p;
		if (!sl)
			return NULL;
		if ((uint32_t)(sl >> 32) != hash)
			continue;
		*group = (ref & FULL_TAG) != 0;
		if (ref & FULL_TAG)
			p = key_at(t, ref & ~FULL_TAG);
		else
			p = log_at(t, (uint64_t)(ref - 1) * 8);
		__builtin_prefetch(p);
		return p;
	}
	return NULL;
}

/* A copy of r with its directions swapped, from the batch's scratch space. */
static const struct cl_rec *swapped(struct batch *b, const struct cl_rec *r)
{
	struct cl_rec *c = &b->scratch[b->nscratch++];
	struct ra_flow *full = NULL;

	*c = *r;
	if (r->full) {
		full = &b->full[b->nfull++];
		*full = *r->full;
	}
	cl_rec_swap(c, full);
	return c;
}

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
	size_t words = s->keylen / 8;
	int ne = 0;

	b->nscratch = b->nfull = 0;
	for (int i = 0; i < n && i < CL_BATCH; i++) {
		const struct cl_rec *r = rs[i];
		if (s->matrix && matrix_swaps(s, r))
			r = swapped(b, r);
		b->ent[ne].swapped = r != rs[i];
		b->ent[ne++].r = r;
		if (s->rmon) {
			b->ent[ne].swapped = r == rs[i];
			b->ent[ne++].r = swapped(b, r);
		}
	}
	b->ne = ne;
	for (int j = 0; j < ne; j++)
		cl_rec_key(s, b->ent[j].r, b->ekeys[j]);
	/* hashed in a pass of its own: reading a key as words right after
	 * writing it byte by byte would stall on store forwarding */
	for (int j = 0; j < ne && s->flow; j++) {
		unsigned fam = b->ent[j].r->family;
		b->ent[j].ip = fam == RA_AF_INET || fam == RA_AF_INET6;
		if (b->ent[j].ip)
			cl_reverse_key(s, b->ekeys[j], b->rkeys[j]);
	}
	/*
	 * Argus's "correct" mode (the flow key): an IP flow's two directions
	 * hash alike (the smaller key is hashed), so one probe finds a group
	 * kept under either.  Both cannot exist at once: a reverse record
	 * joins the group it finds rather than starting one.  ARP requests
	 * from either side stay apart, as in Argus.
	 */
	for (int j = 0; j < ne; j++) {
		const uint64_t *k = b->ekeys[j];
		if (s->flow && b->ent[j].ip && memcmp(b->rkeys[j], k, s->keylen) < 0)
			k = b->rkeys[j];
		b->ent[j].hash = cl_hash_key(k, words);
	}
}

/* Entry j of batch b looked up (a new group made for it when there is
 * none) and merged. */
static bool resolve_one(struct cl_table *t, struct batch *b, int j, struct ra_err *err)
{
	const struct cl_spec *s = &t->spec;
	struct entry *e = &b->ent[j];
	bool failed = false, reversed = false;

	e->g = lookup(t, b->ekeys[j], s->flow && e->ip ? b->rkeys[j] : NULL, e->hash, &reversed, &failed, err);
	if (failed)
		return false;
	if (!e->g)
		return add_first(t, e->r, e->swapped, e->hash, err);
	if (reversed) {
		e->r = swapped(b, e->r);
		e->swapped = !e->swapped;
	}
	return merge(t, e->g, e->r, err);
}

static void maybe_compact(struct cl_table *t)
{
	if (t->log_dead >= LOG_COMPACT_MIN && t->log_dead * 2 > t->log_end)
		log_compact(t);
}

static bool resolve(struct cl_table *t, struct batch *b, struct ra_err *err)
{
	for (int j = 0; j < b->ne; j++)
		if (!resolve_one(t, b, j, err))
			return false;
	maybe_compact(t);
	return true;
}

/* Entry e's group (key and hot lines) or first record fetched; its slot
 * was fetched a batch before. */
static inline void fetch_group(struct cl_table *t, struct entry *e)
{
	const char *p = prefetch_key(t, e->hash, &e->ahead_group);

	e->ahead = p;
	for (size_t off = 64; p && off < t->stride; off += 64)
		__builtin_prefetch(p + off, 1);
}

/* The cold part of the group entry e names, when it has one (the group's
 * lines were fetched a batch before). */
static inline void fetch_cold(struct cl_table *t, const struct entry *e)
{
	uint32_t ref;

	if (!e->ahead_group)
		return;
	memcpy(&ref, (const uint8_t *)e->ahead + t->spec.keylen + offsetof(struct cl_hot, cold), 4);
	if (ref && ref - 1 < t->cold_used)
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
		if (fb && j < fb->ne && !resolve_one(t, fb, j, err)) {
			t->hashed = t->fetched = -1;
			return false;
		}
	}
	if (fb)
		maybe_compact(t);
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
	ok = cl_rec_decode(enc, ra_encode_flow(f, enc), &r, copy, err);
	free(enc);
	if (ok && r.cold) {
		ra_flow_init(&full);
		ok = ra_decode_flow(copy, r.len, &full, err);
		r.full = &full;
	}
	return ok && cl_drain(t, err) && cl_add_batch(t, &rp, 1, err) && cl_drain(t, err);
}

/* The group of log entry e, ready to emit; NULL on damage (a bug). */
static struct cl_group *emit_group(struct cl_table *t, const uint8_t *e, struct ra_err *err)
{
	uint32_t idx = ld32(e + 4);
	const struct cl_hot *g;

	if (idx != NO_GROUP) {
		g = group_at(t, idx);
	} else {
		if (!decode_first(t, e, err) || !init_group(t, &t->one, &t->one_cold, &t->probe, err))
			return NULL;
		g = &t->one;
		if (cl_rec_needs_cold(&t->probe))
			t->one.cold = UINT32_MAX;
	}
	cl_materialize(&t->spec, t->chk, g,
		       g->cold == UINT32_MAX ? &t->one_cold : g->cold ? cold_at(t, g->cold) : NULL, &t->out);
	return &t->out;
}

static void clear_index(struct cl_table *t)
{
	t->used = 0;
	t->live = 0;
	t->free_head = NO_GROUP;
	t->cold_used = 0;
	t->cold_free = 0;
	t->log_end = 0;
	t->log_dead = 0;
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
}

bool cl_flush(struct cl_table *t, cl_emit_fn fn, void *ctx)
{
	struct ra_err err;
	bool ok = cl_drain(t, &err);	/* the caller drains first to see errors */

	for (uint64_t pos = log_next(t, 0); pos < t->log_end && ok; pos = log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		struct cl_group *g = emit_group(t, e, &err);
		pos += log_entry_len(e);
		if (!g) {
			ok = false;
			break;
		}
		ok = fn(ctx, g);
	}
	clear_index(t);
	return ok;
}

/* Last time of the group of log entry e. */
static uint64_t entry_ltime(struct cl_table *t, const uint8_t *e)
{
	uint32_t idx = ld32(e + 4);
	struct ra_err err;

	if (idx != NO_GROUP)
		return group_at(t, idx)->ltime;
	return decode_first(t, e, &err) ? t->probe.ltime : UINT64_MAX;
}

/*
 * Move log entry e (len bytes) to position w of a log being rewritten
 * from its start (w is never past e): a merged group's entry keeps only
 * its header and a stub, since its first record is merged already.
 * Returns the position after it.
 */
static uint64_t log_keep(struct cl_table *t, uint64_t w, const uint8_t *e, size_t len)
{
	bool merged = ld32(e + 4) != NO_GROUP;
	size_t keep = merged ? LOG_STUB : len;
	uint8_t *d;

	if ((w & (LOG_BYTES - 1)) + keep > LOG_BYTES) {
		if ((w & (LOG_BYTES - 1)) != 0)
			st32(log_at(t, w) + 4, JUMP);
		w = (w | (LOG_BYTES - 1)) + 1;
	}
	d = log_at(t, w);
	if (d != e)
		memmove(d, e, merged ? LOG_HDR : len);
	if (merged) {
		static const uint8_t stub[8] = { 0, 0, 8, 0 };	/* type 0, length 8 */
		memcpy(d + LOG_HDR, stub, sizeof(stub));
	}
	return w + keep;
}

/* The log ends at w after a rewrite: chunks past it go back, and the
 * index is made afresh from what remains. */
static void log_rewritten(struct cl_table *t, uint64_t w)
{
	uint32_t chunks = (uint32_t)(w >> LOG_SHIFT) + 1;

	while (t->nlog > chunks) {
		t->nlog--;
		big_free(t->log[t->nlog], LOG_BYTES);
		t->log[t->nlog] = NULL;
	}
	t->log_end = w;
	t->log_dead = 0;
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
	for (uint64_t pos = log_next(t, 0); pos < t->log_end; pos = log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		uint32_t idx = ld32(e + 4);
		slot_insert(t->slots, t->cap, ld32(e),
			    idx == NO_GROUP ? (uint32_t)(pos / 8) + 1 : FULL_TAG | idx);
		pos += log_entry_len(e);
	}
}

/*
 * Drop the first records of merged groups from the log once they are more
 * than half of it: a merged group then costs its key, its hot part, a
 * 16-byte log entry (for the output order) and its index slots.
 */
static void log_compact(struct cl_table *t)
{
	uint64_t w = 0;

	for (uint64_t pos = log_next(t, 0); pos < t->log_end; pos = log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		size_t len = log_entry_len(e);
		w = log_keep(t, w, e, len);
		pos += len;
	}
	log_rewritten(t, w);
}

/*
 * Emit the idle groups, then close the gaps they leave in the log (the
 * rest keep their order, merged groups' first records go) and index what
 * remains afresh.
 */
bool cl_evict_idle(struct cl_table *t, uint64_t before, cl_emit_fn fn, void *ctx)
{
	uint64_t w = 0, end;
	uint32_t gone = 0;
	struct ra_err err;
	bool ok = cl_drain(t, &err);	/* the caller drains first to see errors */

	if (!ok)
		return false;
	end = t->log_end;

	for (uint64_t pos = log_next(t, 0); pos < end; pos = log_next(t, pos)) {
		uint8_t *e = log_at(t, pos);
		size_t len = log_entry_len(e);
		uint32_t idx = ld32(e + 4);

		if (ok && entry_ltime(t, e) < before) {
			struct cl_group *g = emit_group(t, e, &err);
			if (g)
				ok = fn(ctx, g);
			if (idx != NO_GROUP) {
				struct cl_hot *h = group_at(t, idx);
				free_cold(t, h);
				h->gflags = 0;
				h->hash = t->free_head;
				t->free_head = idx;
			}
			gone++;
			pos += len;
			continue;
		}
		w = log_keep(t, w, e, len);
		pos += len;
	}
	t->live -= gone;
	log_rewritten(t, w);
	return ok;
}
