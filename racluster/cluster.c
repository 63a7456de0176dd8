/*
 * cluster.c - racluster's table of groups (keys are built in clkey.c,
 * flows merged in merge.c).
 *
 * Every group starts on the log: an append-only run of 8 MB chunks holding,
 * in the order groups were first seen, each group's hash, the number of its
 * merged group (none yet) and its first record, encoded as on disk (about
 * 90 bytes where the merged form takes 360).  Most groups of a per-flow
 * clustering never see a second record, so they never cost more.  When a
 * second record arrives, the first is decoded and a merged group is made in
 * an arena of fixed-size chunks, its key just before it, both in whole
 * cache lines.  The index is an open-addressing table (linear probing, at
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

struct cl_table {
	struct cl_spec spec;
	size_t stride;			/* bytes per merged group in the arena: key, then group */
	uint8_t **chunks;		/* merged groups, each after its key */
	uint32_t nchunks;
	uint32_t used;			/* merged groups handed out from the arena */
	uint32_t free_head;		/* free list through cl_group.hash */
	uint32_t live;			/* groups in the index, first records included */
	/* the log: every group in the order first seen, as its hash, its
	 * merged group's number (NO_GROUP while it holds one record) and that
	 * first record, encoded */
	uint8_t **log;
	uint32_t nlog;			/* chunks */
	uint64_t log_end;		/* byte position of the next entry */
	uint64_t *slots;		/* hash << 32 | reference; 0 empty */
	size_t cap;			/* slots, a power of two */
	struct ra_flow probe;		/* a first record, decoded */
	uint64_t probe_key[CL_MAX_KEYLEN / 8];
	struct ra_flow bare;		/* a flow without its payload, to encode */
	struct cl_group out;		/* a one-record group, to emit */
	/* two batches: one hashed and fetched while the other is merged */
	struct batch {
		int ne, nscratch;
		struct ra_flow scratch[2 * CL_BATCH];	/* swapped copies */
		struct entry {
			const struct ra_flow *f;
			struct cl_group *g;
			uint32_t hash;		/* of the key; flow key: of the smaller direction */
			bool ip;		/* flow key of an IP flow: either direction matches */
			bool fresh;
		} ent[2 * CL_BATCH];
		uint64_t ekeys[2 * CL_BATCH][CL_MAX_KEYLEN / 8];
		uint64_t rkeys[2 * CL_BATCH][CL_MAX_KEYLEN / 8];	/* flow key: the reverse direction */
	} b[2];
	int waiting;			/* batch b[waiting] is hashed, not merged; -1 none */
};

/* ---- table ---- */

static void *big_alloc(size_t bytes, bool populate, bool huge);

static inline struct cl_group *group_at(const struct cl_table *t, uint32_t i)
{
	return (struct cl_group *)(t->chunks[i >> CHUNK_SHIFT] + (size_t)(i & (CHUNK_GROUPS - 1)) * t->stride +
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
	t->stride = (s->keylen + sizeof(struct cl_group) + 63) & ~(size_t)63;
	t->chunks = calloc(MAX_CHUNKS, sizeof(*t->chunks));
	t->log = calloc(LOG_MAX_CHUNKS, sizeof(*t->log));
	t->cap = 1024;
	t->slots = big_alloc(t->cap * sizeof(*t->slots), false, false);
	t->free_head = NO_GROUP;
	t->waiting = -1;
	ra_flow_init(&t->probe);
	if (!t->chunks || !t->log || !t->slots)
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
		munmap(t->chunks[i], (size_t)CHUNK_GROUPS * t->stride);
	}
	for (uint32_t i = 0; i < t->nlog; i++)
		munmap(t->log[i], LOG_BYTES);
	free(t->chunks);
	free(t->log);
	if (t->slots)
		munmap(t->slots, t->cap * sizeof(*t->slots));
	free(t);
}

size_t cl_count(const struct cl_table *t) { return t->live; }

size_t cl_memory(const struct cl_table *t)
{
	return (size_t)t->nchunks * CHUNK_GROUPS * t->stride +
	       (size_t)t->nlog * LOG_BYTES + t->cap * sizeof(*t->slots) +
	       MAX_CHUNKS * sizeof(*t->chunks) + LOG_MAX_CHUNKS * sizeof(*t->log);
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
	uint64_t *ns = big_alloc(ncap * sizeof(*ns), false, false);

	if (!ns) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			slot_insert(ns, ncap, (uint32_t)(t->slots[i] >> 32), (uint32_t)t->slots[i]);
	munmap(t->slots, t->cap * sizeof(*t->slots));
	t->slots = ns;
	t->cap = ncap;
	return true;
}

/*
 * Large blocks (arena and log chunks, the index) come from mmap, asking for
 * huge pages: a table of millions of groups otherwise spends much of its
 * time on page faults and TLB misses.  Arena chunks are populated at once.
 */
static void *big_alloc(size_t bytes, bool populate, bool huge)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	if (huge)
		madvise(p, bytes, MADV_HUGEPAGE);
#else
	(void)huge;
#endif
#ifdef MADV_POPULATE_WRITE
	if (populate)
		madvise(p, bytes, MADV_POPULATE_WRITE);
#else
	(void)populate;
#endif
	return p;
}

static void *chunk_alloc(size_t bytes) { return big_alloc(bytes, true, true); }

static struct cl_group *alloc_group(struct cl_table *t, uint32_t *idx, struct ra_err *err)
{
	struct cl_group *g;

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
		if (t->nlog >= LOG_MAX_CHUNKS || !(t->log[t->nlog] = big_alloc(LOG_BYTES, true, false)))
			return false;
		t->nlog++;
	}
	t->log_end = pos;
	return true;
}

/* A new group: its first record goes on the log, encoded. */
static bool add_first(struct cl_table *t, const struct ra_flow *f, uint32_t hash, struct ra_err *err)
{
	uint64_t pos;
	uint8_t *e;
	size_t len;

	if ((size_t)(t->live + 1) * 2 > t->cap && !grow(t, err))
		return false;
	if (!log_room(t, LOG_HDR + RA_REC_MAX)) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	if (f->present & (1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST)) {
		/* a group keeps no payload: leave it out of the copy */
		t->bare = *f;
		t->bare.spayload = t->bare.dpayload = NULL;
		t->bare.spaylen = t->bare.dpaylen = 0;
		t->bare.present &= ~(1u << RA_BLK_PAYLOAD_SRC | 1u << RA_BLK_PAYLOAD_DST);
		f = &t->bare;
	}
	pos = t->log_end;
	e = log_at(t, pos);
	len = ra_encode_flow(f, e + LOG_HDR);
	st32(e, hash);
	st32(e + 4, NO_GROUP);
	t->log_end = pos + LOG_HDR + len;
	slot_insert(t->slots, t->cap, hash, (uint32_t)(pos / 8) + 1);
	t->live++;
	return true;
}

/* Decode the first record of log entry e into t->probe. */
static bool decode_first(struct cl_table *t, const uint8_t *e, struct ra_err *err)
{
	return ra_decode_flow(e + LOG_HDR, log_entry_len(e) - LOG_HDR, &t->probe, err);
}

/*
 * The group of key: NULL when there is none.  A group still holding only
 * its first record becomes a merged group here (the record is decoded,
 * its key checked, and the slot made to point at the merged group).
 */
static struct cl_group *lookup(struct cl_table *t, const uint64_t *key, const uint64_t *rkey, uint32_t hash,
			       bool *reversed, bool *failed, struct ra_err *err)
{
	size_t m = t->cap - 1, i = hash & m;
	size_t klen = t->spec.keylen;

	for (;; i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl, idx;
		uint8_t *e;
		struct cl_group *g;

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
		cl_build_key(&t->spec, &t->probe, t->probe_key);
		if (!cl_key_eq((const uint8_t *)t->probe_key, key, klen / 8)) {
			if (!rkey || !cl_key_eq((const uint8_t *)t->probe_key, rkey, klen / 8))
				continue;
			*reversed = true;
		}
		g = alloc_group(t, &idx, err);
		if (!g) {
			*failed = true;
			return NULL;
		}
		cl_group_init(&t->spec, g, &t->probe);
		g->hash = hash;
		memcpy(key_at(t, idx), t->probe_key, klen);
		st32(e + 4, idx);
		t->slots[i] = (uint64_t)hash << 32 | FULL_TAG | idx;
		return g;
	}
}

/* Fetch the key (and so the group's first line) that a hash names, looking
 * a few slots along its probe sequence. */
static inline void prefetch_key(const struct cl_table *t, uint32_t hash)
{
	size_t m = t->cap - 1, i = hash & m;

	for (int n = 0; n < 4; n++, i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl;
		if (!sl)
			return;
		if ((uint32_t)(sl >> 32) != hash)
			continue;
		if (ref & FULL_TAG)
			__builtin_prefetch(key_at(t, ref & ~FULL_TAG));
		else
			__builtin_prefetch(log_at(t, (uint64_t)(ref - 1) * 8));
		return;
	}
}

/* Fetch a group (its key is fetched already) for writing. */
static inline void prefetch_group(const struct cl_table *t, const struct cl_group *g)
{
	const char *p = (const char *)g - t->spec.keylen;

	for (size_t off = 64; off < t->stride; off += 64)
		__builtin_prefetch(p + off, 1);
}

/* A copy of f with its directions swapped, from the batch's scratch space. */
static const struct ra_flow *swapped(struct batch *b, const struct ra_flow *f)
{
	struct ra_flow *r = &b->scratch[b->nscratch++];

	*r = *f;
	cl_swap_flow(r);
	return r;
}

static bool matrix_swaps(const struct cl_spec *s, const struct ra_flow *f)
{
	union ra_addr a, b;
	unsigned fa = fld_addr(F_SADDR, f, &a), fb = fld_addr(F_DADDR, f, &b);

	if (s->matrix_len != CL_NO_PREFIX) {
		cl_mask_addr(fa, &a, s->matrix_len);
		cl_mask_addr(fb, &b, s->matrix_len);
	}
	return fa == RA_AF_INET ? a.v4 > b.v4 : memcmp(&a, &b, sizeof(a)) > 0;
}

/* A batch's keys and hashes; the slots they hash to are fetched. */
static void prepare(struct cl_table *t, struct batch *b, const struct ra_flow *const *fs, int n)
{
	const struct cl_spec *s = &t->spec;
	size_t words = s->keylen / 8;
	int ne = 0;

	b->nscratch = 0;
	for (int i = 0; i < n && i < CL_BATCH; i++) {
		const struct ra_flow *f = fs[i];
		if (s->matrix && matrix_swaps(s, f))
			f = swapped(b, f);
		b->ent[ne++].f = f;
		if (s->rmon)
			b->ent[ne++].f = swapped(b, f);
	}
	b->ne = ne;
	for (int j = 0; j < ne; j++)
		cl_build_key(s, b->ent[j].f, b->ekeys[j]);
	/* hashed in a pass of its own: reading a key as words right after
	 * writing it byte by byte would stall on store forwarding */
	for (int j = 0; j < ne && s->flow; j++) {
		unsigned fam = b->ent[j].f->family;
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
		__builtin_prefetch(&t->slots[b->ent[j].hash & (t->cap - 1)]);
	}
}

/* Lookups (and new groups), then the merges. */
static bool resolve(struct cl_table *t, struct batch *b, struct ra_err *err)
{
	const struct cl_spec *s = &t->spec;

	for (int j = 0; j < b->ne; j++) {
		struct entry *e = &b->ent[j];
		bool failed = false, reversed = false;
		e->fresh = false;
		e->g = lookup(t, b->ekeys[j], s->flow && e->ip ? b->rkeys[j] : NULL, e->hash, &reversed,
			      &failed, err);
		if (failed)
			return false;
		if (e->g && reversed)
			e->f = swapped(b, e->f);
		if (!e->g) {
			if (!add_first(t, e->f, e->hash, err))
				return false;
			e->fresh = true;
			continue;
		}
		prefetch_group(t, e->g);
	}
	for (int j = 0; j < b->ne; j++)
		if (!b->ent[j].fresh)
			cl_merge(s, b->ent[j].g, b->ent[j].f);
	return true;
}

/*
 * Software pipelining: a batch is hashed (its slots fetched) while the
 * batch before it, whose keys and groups were fetched at the end of the
 * previous call, is looked up and merged.  So every fetch has a whole
 * batch of work to arrive in.
 */
bool cl_add_batch(struct cl_table *t, const struct ra_flow *const *fs, int n, struct ra_err *err)
{
	int next = t->waiting == 0 ? 1 : 0;
	struct batch *b = &t->b[next];

	prepare(t, b, fs, n);
	if (t->waiting >= 0) {
		int w = t->waiting;
		t->waiting = -1;
		if (!resolve(t, &t->b[w], err))
			return false;
	}
	for (int j = 0; j < b->ne; j++)
		prefetch_key(t, b->ent[j].hash);
	t->waiting = next;
	return true;
}

bool cl_drain(struct cl_table *t, struct ra_err *err)
{
	int w = t->waiting;

	if (w < 0)
		return true;
	t->waiting = -1;
	return resolve(t, &t->b[w], err);
}

bool cl_add(struct cl_table *t, const struct ra_flow *f, struct ra_err *err)
{
	return cl_add_batch(t, &f, 1, err) && cl_drain(t, err);
}

/* The group of log entry e, ready to emit; NULL on damage (a bug). */
static struct cl_group *emit_group(struct cl_table *t, const uint8_t *e, struct ra_err *err)
{
	uint32_t idx = ld32(e + 4);

	if (idx != NO_GROUP)
		return group_at(t, idx);
	if (!decode_first(t, e, err))
		return NULL;
	cl_group_init(&t->spec, &t->out, &t->probe);
	return &t->out;
}

static void clear_index(struct cl_table *t)
{
	t->used = 0;
	t->live = 0;
	t->free_head = NO_GROUP;
	t->log_end = 0;
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
		cl_finish(g);
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
		return group_at(t, idx)->f.ltime;
	return decode_first(t, e, &err) ? t->probe.ltime : UINT64_MAX;
}

/*
 * Emit the idle groups, then close the gaps they leave in the log (the
 * rest keep their order) and index what remains afresh.
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
			if (g) {
				cl_finish(g);
				ok = fn(ctx, g);
			}
			if (idx != NO_GROUP) {
				g = group_at(t, idx);
				g->live = 0;
				g->hash = t->free_head;
				t->free_head = idx;
			}
			gone++;
			pos += len;
			continue;
		}
		if ((w & (LOG_BYTES - 1)) + len > LOG_BYTES) {
			if ((w & (LOG_BYTES - 1)) != 0)
				st32(log_at(t, w) + 4, JUMP);
			w = (w | (LOG_BYTES - 1)) + 1;
		}
		if (w != pos)
			memmove(log_at(t, w), e, len);
		w += len;
		pos += len;
	}
	if (!gone)
		return ok;
	t->log_end = w;
	t->live -= gone;
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
	for (uint64_t pos = log_next(t, 0); pos < t->log_end; pos = log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		uint32_t idx = ld32(e + 4);
		slot_insert(t->slots, t->cap, ld32(e),
			    idx == NO_GROUP ? (uint32_t)(pos / 8) + 1 : FULL_TAG | idx);
		pos += log_entry_len(e);
	}
	return ok;
}
