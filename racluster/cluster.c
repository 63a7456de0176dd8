/*
 * cluster.c - racluster's table of groups (keys are built in clkey.c,
 * flows merged in merge.c).
 *
 * The index is an open-addressing table (linear probing, at most half
 * full) of 8-byte slots holding a group's hash and its number; groups live
 * in an arena of fixed-size chunks and their keys in a parallel arena, so
 * lookups touch only keys and a group costs its merged record, its key and
 * 16 to 32 bytes of index.  Records are merged in batches, in passes that
 * fetch slots, keys and groups ahead of use.  Evicted groups go on a free
 * list and the index is rebuilt from the arena.
 */
#include "config.h"

#include "cluster_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define CHUNK_SHIFT 14
#define CHUNK_GROUPS (1u << CHUNK_SHIFT)
#define MAX_CHUNKS (1u << 16)		/* 2^30 groups: a hard cap */
#define NO_GROUP UINT32_MAX

struct cl_table {
	struct cl_spec spec;
	size_t stride;			/* bytes per group in the arena */
	uint8_t **chunks;		/* groups */
	uint8_t **keys;			/* their keys, in the same order */
	uint32_t nchunks;
	uint32_t used;			/* groups handed out from the arena */
	uint32_t live;			/* groups in the index */
	uint32_t free_head;		/* free list through cl_group.hash */
	uint64_t *slots;		/* hash << 32 | (group + 1); 0 empty */
	size_t cap;			/* slots, a power of two */
	/* the batch being merged */
	struct ra_flow scratch[2 * CL_BATCH];	/* swapped copies */
	struct entry {
		const struct ra_flow *f;
		struct cl_group *g;
		uint32_t hash, rhash;
		bool fresh;
	} ent[2 * CL_BATCH];
	uint64_t ekeys[2 * CL_BATCH][CL_MAX_KEYLEN / 8];
	uint64_t rkeys[2 * CL_BATCH][CL_MAX_KEYLEN / 8];	/* flow key: the reverse direction */
};

/* ---- table ---- */

static inline struct cl_group *group_at(const struct cl_table *t, uint32_t i)
{
	return (struct cl_group *)(t->chunks[i >> CHUNK_SHIFT] + (size_t)(i & (CHUNK_GROUPS - 1)) * t->stride);
}

static inline uint8_t *key_at(const struct cl_table *t, uint32_t i)
{
	return t->keys[i >> CHUNK_SHIFT] + (size_t)(i & (CHUNK_GROUPS - 1)) * t->spec.keylen;
}

struct cl_table *cl_table_new(const struct cl_spec *s, struct ra_err *err)
{
	struct cl_table *t = calloc(1, sizeof(*t));

	if (!t || s->keylen > CL_MAX_KEYLEN)
		goto nomem;
	t->spec = *s;
	t->stride = (sizeof(struct cl_group) + 7) & ~(size_t)7;
	t->chunks = calloc(MAX_CHUNKS, sizeof(*t->chunks));
	t->keys = calloc(MAX_CHUNKS, sizeof(*t->keys));
	t->cap = 1024;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	t->free_head = NO_GROUP;
	if (!t->chunks || !t->keys || !t->slots)
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
		free(t->keys[i]);
	}
	free(t->chunks);
	free(t->keys);
	free(t->slots);
	free(t);
}

size_t cl_count(const struct cl_table *t) { return t->live; }

size_t cl_memory(const struct cl_table *t)
{
	return (size_t)t->nchunks * CHUNK_GROUPS * (t->stride + t->spec.keylen) +
	       t->cap * sizeof(*t->slots) + 2 * MAX_CHUNKS * sizeof(*t->chunks);
}

static void slot_insert(uint64_t *slots, size_t cap, uint32_t hash, uint32_t idx)
{
	size_t m = cap - 1, i = hash & m;

	while (slots[i])
		i = (i + 1) & m;
	slots[i] = (uint64_t)hash << 32 | (uint64_t)(idx + 1);
}

static bool grow(struct cl_table *t, struct ra_err *err)
{
	size_t ncap = t->cap * 2;
	uint64_t *ns = calloc(ncap, sizeof(*ns));

	if (!ns) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
		return false;
	}
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			slot_insert(ns, ncap, (uint32_t)(t->slots[i] >> 32), (uint32_t)t->slots[i] - 1);
	free(t->slots);
	t->slots = ns;
	t->cap = ncap;
	return true;
}

/* Arena chunks come from mmap with MAP_POPULATE: one call maps the whole
 * chunk, far cheaper than a page fault for every 4 KB of a large table. */
static void *chunk_alloc(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

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
		if (c >= MAX_CHUNKS ||
		    !(t->chunks[c] = chunk_alloc((size_t)CHUNK_GROUPS * t->stride)) ||
		    !(t->keys[c] = malloc((size_t)CHUNK_GROUPS * t->spec.keylen))) {
			if (c < MAX_CHUNKS && t->chunks[c]) {
				munmap(t->chunks[c], (size_t)CHUNK_GROUPS * t->stride);
				t->chunks[c] = NULL;
			}
			ra_err_set(err, RA_ERR_NOMEM, "out of memory (%zu groups)", (size_t)t->live);
			return NULL;
		}
		t->nchunks++;
	}
	*idx = t->used++;
	return group_at(t, *idx);
}

static struct cl_group *lookup(const struct cl_table *t, const uint64_t *key, uint32_t hash)
{
	size_t m = t->cap - 1, i = hash & m;
	size_t klen = t->spec.keylen;

	for (;;) {
		uint64_t sl = t->slots[i];
		if (!sl)
			return NULL;
		if ((uint32_t)(sl >> 32) == hash && cl_key_eq(key_at(t, (uint32_t)sl - 1), key, klen / 8))
			return group_at(t, (uint32_t)sl - 1);
		i = (i + 1) & m;
	}
}

/* Fetch the first slot of a key's probe sequence and the key it names. */
static inline void prefetch_key(const struct cl_table *t, uint32_t hash)
{
	uint64_t sl = t->slots[hash & (t->cap - 1)];

	if (sl)
		__builtin_prefetch(key_at(t, (uint32_t)sl - 1));
}

static inline void prefetch_group(const struct cl_group *g)
{
	const char *p = (const char *)g;

	for (size_t off = 0; off < sizeof(*g); off += 64)
		__builtin_prefetch(p + off, 1);
}

static struct cl_group *insert(struct cl_table *t, const struct ra_flow *f, const uint64_t *key,
			       uint32_t hash, struct ra_err *err)
{
	struct cl_group *g;
	uint32_t idx;

	if ((size_t)(t->live + 1) * 2 > t->cap && !grow(t, err))
		return NULL;
	g = alloc_group(t, &idx, err);
	if (!g)
		return NULL;
	cl_group_init(&t->spec, g, f);
	g->hash = hash;
	memcpy(key_at(t, idx), key, t->spec.keylen);
	slot_insert(t->slots, t->cap, hash, idx);
	t->live++;
	return g;
}

/* A copy of f with its directions swapped, from the batch's scratch space. */
static const struct ra_flow *swapped(struct cl_table *t, int *nscratch, const struct ra_flow *f)
{
	struct ra_flow *r = &t->scratch[(*nscratch)++];

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

/*
 * Three passes over the batch so that memory is fetched while other
 * records are worked on: keys and the slots they hash to, then lookups
 * (and new groups), then the merges.
 */
bool cl_add_batch(struct cl_table *t, const struct ra_flow *const *fs, int n, struct ra_err *err)
{
	const struct cl_spec *s = &t->spec;
	size_t words = s->keylen / 8;
	int ne = 0, nscratch = 0;

	for (int i = 0; i < n && i < CL_BATCH; i++) {
		const struct ra_flow *f = fs[i];
		if (s->matrix && matrix_swaps(s, f))
			f = swapped(t, &nscratch, f);
		t->ent[ne++].f = f;
		if (s->rmon)
			t->ent[ne++].f = swapped(t, &nscratch, f);
	}
	for (int j = 0; j < ne; j++)
		cl_build_key(s, t->ent[j].f, t->ekeys[j]);
	/* hashed in a pass of its own: reading a key as words right after
	 * writing it byte by byte would stall on store forwarding */
	for (int j = 0; j < ne; j++) {
		t->ent[j].hash = cl_hash_key(t->ekeys[j], words);
		__builtin_prefetch(&t->slots[t->ent[j].hash & (t->cap - 1)]);
		if (s->flow)
			cl_reverse_key(s, t->ekeys[j], t->rkeys[j]);
	}
	for (int j = 0; j < ne && s->flow; j++) {
		t->ent[j].rhash = cl_hash_key(t->rkeys[j], words);
		__builtin_prefetch(&t->slots[t->ent[j].rhash & (t->cap - 1)]);
	}
	for (int j = 0; j < ne; j++)
		prefetch_key(t, t->ent[j].hash);
	for (int j = 0; j < ne; j++) {
		struct entry *e = &t->ent[j];
		e->fresh = false;
		e->g = lookup(t, t->ekeys[j], e->hash);
		if (!e->g && s->flow &&
		    (e->f->family == RA_AF_INET || e->f->family == RA_AF_INET6)) {
			/* Argus's "correct" mode: the reverse direction of a known IP
			 * flow (ARP requests from either side stay apart, as in Argus) */
			e->g = lookup(t, t->rkeys[j], e->rhash);
			if (e->g)
				e->f = swapped(t, &nscratch, e->f);
		}
		if (!e->g) {
			e->g = insert(t, e->f, t->ekeys[j], e->hash, err);
			if (!e->g)
				return false;
			e->fresh = true;
			continue;
		}
		prefetch_group(e->g);
	}
	for (int j = 0; j < ne; j++)
		if (!t->ent[j].fresh)
			cl_merge(s, t->ent[j].g, t->ent[j].f);
	return true;
}

bool cl_add(struct cl_table *t, const struct ra_flow *f, struct ra_err *err)
{
	return cl_add_batch(t, &f, 1, err);
}

static void rebuild_index(struct cl_table *t)
{
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
	for (uint32_t i = 0; i < t->used; i++) {
		struct cl_group *g = group_at(t, i);
		if (g->live)
			slot_insert(t->slots, t->cap, g->hash, i);
	}
}

bool cl_flush(struct cl_table *t, cl_emit_fn fn, void *ctx)
{
	bool ok = true;

	for (uint32_t i = 0; i < t->used && ok; i++) {
		struct cl_group *g = group_at(t, i);
		if (!g->live)
			continue;
		cl_finish(g);
		ok = fn(ctx, g);
	}
	t->used = 0;
	t->live = 0;
	t->free_head = NO_GROUP;
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
	return ok;
}

bool cl_evict_idle(struct cl_table *t, uint64_t before, cl_emit_fn fn, void *ctx)
{
	uint32_t gone = 0;
	bool ok = true;

	for (uint32_t i = 0; i < t->used && ok; i++) {
		struct cl_group *g = group_at(t, i);
		if (!g->live || g->f.ltime >= before)
			continue;
		cl_finish(g);
		ok = fn(ctx, g);
		g->live = 0;
		g->hash = t->free_head;
		t->free_head = i;
		gone++;
	}
	if (gone) {
		t->live -= gone;
		rebuild_index(t);
	}
	return ok;
}
