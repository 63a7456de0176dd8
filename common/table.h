/*
 * table.h - racluster's table of groups as its two files see it: cluster.c
 * (the index, the arenas, the log of first records, emitting and evicting)
 * and pipeline.c (batches of records hashed, fetched ahead, looked up and
 * merged).
 */
#ifndef COMMON_TABLE_H
#define COMMON_TABLE_H

#include "cluster_int.h"

#define CHUNK_SHIFT 15		/* 2 MB times stride / 64: whole huge pages */
#define CHUNK_GROUPS (1u << CHUNK_SHIFT)
#define MAX_CHUNKS (1u << 15)		/* 2^30 merged groups: a hard cap */
#define NO_GROUP UINT32_MAX
#define JUMP (UINT32_MAX - 1)		/* log: the rest of this chunk is unused */
#define FULL_TAG 0x80000000u		/* slot reference to a merged group */
#define LOG_SHIFT 23			/* first-record log chunks: 8 MB */
#define LOG_BYTES ((size_t)1 << LOG_SHIFT)
#define LOG_MAX_CHUNKS 2047u		/* 16 GB of first records: a hard cap */
#define LOG_HDR 8			/* hash, merged group number or NO_GROUP */
#define LOG_SWAPPED 0x01		/* in byte 1 of a logged record: its directions were swapped */
#define LOG_STUB (LOG_HDR + 8)		/* a merged group's entry once its first record is dropped */
#define LOG_REF 0xff			/* in byte 0 of a logged record: it is in the input, at a pointer */
#define LOG_REF_LEN (LOG_HDR + 16)	/* such an entry: type, flags, 16, the record's length, the pointer */
#define LOG_COMPACT_MIN ((uint64_t)1 << 20)	/* dead bytes worth a rewrite of the log */
#define POOL_SHIFT 12
#define POOL_PER_CHUNK (1u << POOL_SHIFT)
#define POOL_MAX_CHUNKS (1u << 18)

/* Parts of groups made when a group first needs one (cold parts, IPv6
 * addresses): items of one size in chunks, numbered from 1, with a free
 * list through their first 4 bytes. */
struct pool {
	uint8_t **chunks;
	uint32_t nchunks, used;
	uint32_t free;			/* number of the first free item; 0: none */
	uint32_t size;			/* bytes an item */
};

struct cl_table {
	struct cl_spec spec;
	size_t stride;			/* bytes per merged group in the arena: key, then group */
	uint8_t **chunks;		/* merged groups, each after its key */
	uint32_t nchunks;
	uint32_t used;			/* merged groups handed out from the arena */
	uint32_t free_head;		/* free list through cl_hot.hash */
	uint16_t chk;			/* cl_hot.chk of a new group */
	struct pool cold;		/* struct cl_cold, by cl_hot.cold */
	struct cl_tcp **tcp;		/* TCP counters, by group number: chunks beside the arena's,
					 * each made when a group of its chunk first needs one */
	uint32_t ntcp;			/* such chunks made */
	struct pool v6;			/* struct cl_v6, by cl_hot.sa (CL_G_V6) */
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
	struct cl_group out;		/* a group, as emitted */
	bool out_one;			/* out is a group of one record, as cl_materialize_one left it */
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
	struct cl_ring *ring;		/* cl_feed's records in flight (ring.c), made when first used */
};

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

/* The first record of log entry e (which holds one): in the log, or in
 * the input when the entry points there. */
static inline const uint8_t *log_record(const uint8_t *e, size_t *len)
{
	const uint8_t *p;

	if (e[LOG_HDR] != LOG_REF) {
		*len = log_entry_len(e) - LOG_HDR;
		return e + LOG_HDR;
	}
	*len = (size_t)(e[LOG_HDR + 4] | e[LOG_HDR + 5] << 8);
	memcpy(&p, e + LOG_HDR + 8, sizeof(p));
	return p;
}

static inline void *pool_at(const struct pool *p, uint32_t n)
{
	return p->chunks[(n - 1) >> POOL_SHIFT] + (size_t)((n - 1) & (POOL_PER_CHUNK - 1)) * p->size;
}

static inline struct cl_cold *cold_at(const struct cl_table *t, uint32_t n) { return pool_at(&t->cold, n); }
/* Where the TCP counters of group number i are (their chunk made). */
static inline struct cl_tcp *tcp_at(const struct cl_table *t, uint32_t i)
{
	return &t->tcp[i >> CHUNK_SHIFT][i & (CHUNK_GROUPS - 1)];
}
/* The TCP counters of group g, when it has them (CL_G_TCP); else NULL. */
static inline struct cl_tcp *tcp_of(const struct cl_table *t, const struct cl_hot *g)
{
	return g->gflags & CL_G_TCP ? tcp_at(t, g->tcp - 1) : NULL;
}
/* The IPv6 addresses of group g, when it keeps them (CL_G_V6); else NULL. */
static inline struct cl_v6 *v6_of(const struct cl_table *t, const struct cl_hot *g)
{
	return g->gflags & CL_G_V6 ? pool_at(&t->v6, g->sa) : NULL;
}

/*
 * Fetch the key (and so the group's first line) that a hash names, looking
 * a few slots along its probe sequence.  Returns what it fetched: kept in
 * the batch, so the compiler cannot take the loop for one without effect
 * (gcc 12 deleted it, prefetch and all, and every lookup waited on memory).
 * *group: it is a merged group's key, and *idx that group's number.
 */
static inline const void *prefetch_key(const struct cl_table *t, uint32_t hash, bool *group, uint32_t *idx)
{
	size_t m = t->cap - 1, i = hash & m;

	*group = false;
	*idx = 0;
	for (int n = 0; n < 4; n++, i = (i + 1) & m) {
		uint64_t sl = t->slots[i];
		uint32_t ref = (uint32_t)sl;
		const void *p;
		if (!sl)
			return NULL;
		if ((uint32_t)(sl >> 32) != hash)
			continue;
		*group = (ref & FULL_TAG) != 0;
		*idx = ref & ~FULL_TAG;
		if (ref & FULL_TAG)
			p = key_at(t, ref & ~FULL_TAG);
		else
			p = log_at(t, (uint64_t)(ref - 1) * 8);
		__builtin_prefetch(p);
		return p;
	}
	return NULL;
}

/* An order of keys (any will do, as long as both directions of a flow
 * agree on which of their keys is the smaller): word by word. */
static inline bool key_less(const uint64_t *a, const uint64_t *b, size_t words)
{
	for (size_t i = 0; i < words; i++)
		if (a[i] != b[i])
			return a[i] < b[i];
	return false;
}

/*
 * The hash a record is looked up by: its key's, or for the flow key of an
 * IP flow (ip) the smaller of its two directions' keys', so both hash
 * alike and one probe finds a group kept under either (Argus's "correct"
 * mode; a reverse record joins the group it finds rather than starting
 * one, and ARP requests from either side stay apart, as in Argus).
 */
static inline uint32_t lookup_hash(const struct cl_spec *s, const uint64_t *key, const uint64_t *rkey, bool ip)
{
	size_t words = s->keylen / 8;

	return cl_hash_key(ip && key_less(rkey, key, words) ? rkey : key, words);
}

/* cluster.c, for the pipeline */
/* A copy of r with its directions swapped, from the batch's scratch space. */
const struct cl_rec *tbl_swapped(struct batch *b, const struct cl_rec *r);
/* Entry j of batch b looked up (a new group made for it when there is
 * none) and merged. */
bool tbl_resolve_one(struct cl_table *t, struct batch *b, int j, struct ra_err *err);
/* The group of key (or, with rkey, of the reverse direction: *reversed),
 * a group holding its first record made a merged one; NULL when there is
 * none (*empty: the slot a new group takes) or on an error (*failed). */
struct cl_hot *tbl_lookup(struct cl_table *t, const uint64_t *key, const uint64_t *rkey, uint32_t hash,
			  size_t *empty, bool *reversed, bool *failed, struct ra_err *err);
/* A new group of r in slot (SIZE_MAX: look for one); only r->raw, len
 * and in_place are read.  swapped: r's directions were swapped. */
bool tbl_add_first(struct cl_table *t, const struct cl_rec *r, bool swapped, uint32_t hash, size_t slot,
		   struct ra_err *err);
/* TCP counters added to g's (made first when g has none). */
bool tbl_merge_tcp(struct cl_table *t, struct cl_hot *g, const uint32_t n[6], struct ra_err *err);
/* After the hot part: a record's TCP counters (NULL: none) and, in an
 * IPv6 group, its addresses merged into g's parts. */
bool tbl_merge_parts(struct cl_table *t, struct cl_hot *g, const uint32_t *tcp, const union ra_addr *saddr,
		     const union ra_addr *daddr, struct ra_err *err);
/* Merge r into g (and into its cold part, made when r needs one). */
bool tbl_merge(struct cl_table *t, struct cl_hot *g, const struct cl_rec *r, struct ra_err *err);
/* Drop merged groups' first records from the log when they are half of it. */
void tbl_maybe_compact(struct cl_table *t);
/* cluster.c's helpers for cluster_out.c: where the log entry after the one
 * ending at pos starts; a slot put in the index; a group's parts back to
 * their pools; the first record of log entry e decoded into t->probe. */
uint64_t tbl_log_next(const struct cl_table *t, uint64_t pos);
void tbl_slot_insert(uint64_t *slots, size_t cap, uint32_t hash, uint32_t ref);
void tbl_free_parts(struct cl_table *t, struct cl_hot *g);
bool tbl_decode_first(struct cl_table *t, const uint8_t *e, struct ra_err *err);

#endif
