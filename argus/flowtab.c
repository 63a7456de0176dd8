/*
 * flowtab.c - the daemon's flow table: an open-addressing hash over flows
 * kept in an arena, with ordered lists for idle timeouts and status reports.
 *
 * Flows live in fixed chunks of FT_CHUNK entries (mapped on transparent
 * huge pages, touched only as entries are first used) that are never moved
 * or freed until the table is (a flow is named by its index); freed
 * entries go on a free list, so the table allocates only when the number
 * of active flows reaches a new high, never per packet.  The list links
 * live in an array of their own, so unlinking a flow touches its
 * neighbours' 16 bytes, not their flows.  The hash is linear probing over
 * (hash, index) slots at most 3/4 full, with backward-shift deletion (no
 * tombstones): a probe reads the flow only when the 32-bit hash matches.
 * The key hash is symmetric, so a packet finds its flow in either
 * direction with one probe sequence.
 *
 * Timeouts: every flow of a timeout class (TCP, UDP, ICMP, other) has the
 * same idle timeout.  A list per class holds its flows in the order they
 * were queued (enq_ts); a packet only updates last_ts, so it touches no
 * list.  The engine looks at the head when head->enq_ts + timeout has
 * passed: a flow idle for the timeout ends, any other is queued again at
 * the tail.  The engine also checks a flow's idle time when a packet finds
 * it, so expiry is exact whenever the list gets to it.  The status list holds flows whose
 * current record is not empty, in the order the records started, so the
 * records due for a status report are found at its head.
 */
#include "config.h"

#include "engine_int.h"
#include "hash.h"

#include <stdlib.h>
#include <string.h>

#include "bigmem.h"

/* The layout argus(8) describes: two hot lines, four in all (64-bit hosts). */
_Static_assert(sizeof(void *) != 8 || (sizeof(struct flow) == 256 && offsetof(struct flow, idx) == 128 &&
					offsetof(struct flow, spkts_hi) == 192),
	       "struct flow layout");

#define FT_CHUNK_BITS 14
#define FT_CHUNK (1u << FT_CHUNK_BITS)
#define FT_MAX_CHUNKS 1024u	/* 16M flows */

struct slot {
	uint32_t hash;		/* the key's hash: most probes stop here */
	uint32_t idx;		/* FLOW_NIL = empty */
};

/* A flow's places on the lists, apart from the flow: unlinking touches
 * the neighbours' links (16 bytes, a dense array that stays in cache),
 * not the neighbours' flows. */
struct link {
	uint32_t idle_prev, idle_next;	/* idle list of its timeout class; free list */
	uint32_t stat_prev, stat_next;	/* status list, by rec_start */
};

struct list {
	uint32_t head, tail;
};

struct flowtab {
	struct flow *chunks[FT_MAX_CHUNKS];
	struct link *links[FT_MAX_CHUNKS];
	struct flow_ext *exts[FT_MAX_CHUNKS];	/* mapped, touched only when used */
	bool ext_used;
	bool pay_used;		/* some entry holds a payload buffer */
	uint8_t gen;		/* a flow is in the table when its in_use is this
				 * (ft_clear forgets every flow at once by a new one) */
	uint32_t nchunks;
	uint32_t fresh;		/* indexes below this were handed out at least once */
	uint32_t high;		/* the most fresh ever was (ft_clear lowers fresh) */
	uint32_t free_head;
	uint32_t count;
	struct slot *slots;
	uint32_t mask;		/* slots - 1 */
	struct list idle[TC_COUNT];
	struct list status;
};

/* Big tables (the index, the arena's chunks) come from ra_big_alloc, on
 * transparent huge pages where the kernel allows it: with hundreds of
 * thousands of flows, TLB misses cost as much as cache misses.  Zeroed
 * memory costs nothing until touched. */
static size_t slots_bytes(uint32_t n) { return (size_t)n * sizeof(struct slot); }

static inline struct flow *at(const struct flowtab *t, uint32_t idx)
{
	return &t->chunks[idx >> FT_CHUNK_BITS][idx & (FT_CHUNK - 1)];
}

static inline struct link *ln(const struct flowtab *t, uint32_t idx)
{
	return &t->links[idx >> FT_CHUNK_BITS][idx & (FT_CHUNK - 1)];
}

struct flow *ft_get(struct flowtab *t, uint32_t idx) { return at(t, idx); }

bool ft_live(const struct flowtab *t, const struct flow *f) { return f->in_use == t->gen; }

uint8_t *ft_payload_buffer(struct flowtab *t, struct flow *f, size_t size)
{
	struct flow_ext *x = ft_ext(t, f);

	if (!x->pay && (x->pay = malloc(size)))	/* once per entry, reused */
		t->pay_used = true;
	return x->pay;
}

struct flow_ext *ft_ext(struct flowtab *t, const struct flow *f)
{
	t->ext_used = true;
	return &t->exts[f->idx >> FT_CHUNK_BITS][f->idx & (FT_CHUNK - 1)];
}

/* One multiply and a fold per half of an address: the final ra_mix64 of
 * key_hash() spreads the bits; the sum of both addresses keeps the hash
 * the same in either direction. */
static inline uint64_t addr_hash(const union ra_addr *a)
{
	uint64_t x, y;
	memcpy(&x, a->v6, 8);
	memcpy(&y, a->v6 + 8, 8);
	x = (x ^ (y * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
	return x ^ (x >> 32);
}

/* addr_hash() of an address whose last 8 bytes are zero (IPv4, MAC). */
static inline uint64_t addr_hash_low(const union ra_addr *a)
{
	uint64_t x;
	memcpy(&x, a->v6, 8);
	x *= 0xff51afd7ed558ccdULL;
	return x ^ (x >> 32);
}

static uint32_t key_hash(const struct flow_key *k)
{
	uint64_t h = k->family == RA_AF_INET6 ? addr_hash(&k->saddr) + addr_hash(&k->daddr)
					      : addr_hash_low(&k->saddr) + addr_hash_low(&k->daddr);
	uint64_t ports = k->portdir ? (uint64_t)k->sport + k->dport
				    : ((uint64_t)k->sport << 16 | k->dport) << 20;
	h ^= (ports << 24) ^ ((uint64_t)k->proto << 8) ^ k->family ^ ((uint64_t)k->etype << 40) ^
	     ((uint64_t)k->xid << 48) ^ ((uint64_t)k->agent_hash << 17);
	/* Never 0 (0 means "not computed"), and every value of the low bits
	 * (they pick the home slot) as likely as any other. */
	uint32_t r = (uint32_t)ra_mix64(h);
	return r | (r == 0);
}

void key_reverse(const struct flow_key *k, struct flow_key *r)
{
	*r = *k;
	r->saddr = k->daddr;
	r->daddr = k->saddr;
	if (k->portdir) {
		r->sport = k->dport;
		r->dport = k->sport;
	}
}

static inline bool key_eq(const struct flow_key *a, const struct flow_key *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* Is b the key a seen from the other end (key_reverse(a) == b)? */
static inline bool key_eq_reversed(const struct flow_key *a, const struct flow_key *b)
{
	if (memcmp(&a->saddr, &b->daddr, sizeof a->saddr) || memcmp(&a->daddr, &b->saddr, sizeof a->saddr) ||
	    memcmp(&a->etype, &b->etype, sizeof *a - offsetof(struct flow_key, etype)))
		return false;
	return a->portdir ? a->sport == b->dport && a->dport == b->sport
			  : a->sport == b->sport && a->dport == b->dport;
}

struct flowtab *ft_new(uint32_t hint)
{
	struct flowtab *t = calloc(1, sizeof *t);
	uint32_t n = 1024;

	if (!t)
		return NULL;
	while (n < hint * 2 && n < (1u << 30))
		n <<= 1;
	t->slots = ra_big_alloc(slots_bytes(n), RA_BIG_HUGE);
	if (!t->slots) {
		free(t);
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++)
		t->slots[i].idx = FLOW_NIL;
	t->mask = n - 1;
	t->gen = 1;
	t->free_head = FLOW_NIL;
	for (unsigned c = 0; c < TC_COUNT; c++)
		t->idle[c].head = t->idle[c].tail = FLOW_NIL;
	t->status.head = t->status.tail = FLOW_NIL;
	return t;
}

void ft_free(struct flowtab *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; t->pay_used && i < t->high; i++)
		free(t->exts[i >> FT_CHUNK_BITS][i & (FT_CHUNK - 1)].pay);
	for (uint32_t c = 0; c < t->nchunks; c++) {
		ra_big_free(t->chunks[c], FT_CHUNK * sizeof(struct flow));
		ra_big_free(t->exts[c], FT_CHUNK * sizeof(struct flow_ext));
		free(t->links[c]);
	}
	ra_big_free(t->slots, slots_bytes(t->mask + 1));
	free(t);
}

uint32_t ft_count(const struct flowtab *t) { return t->count; }

/* Bytes in use: every flow entry handed out so far (the arena keeps its
 * high-water mark) with its links (and its flow_ext once any was used),
 * and the hash index. */
uint64_t ft_memory(const struct flowtab *t)
{
	size_t per = sizeof(struct flow) + sizeof(struct link) + (t->ext_used ? sizeof(struct flow_ext) : 0);
	return sizeof *t + (uint64_t)t->high * per + ((uint64_t)t->mask + 1) * sizeof(struct slot);
}

uint32_t ft_index(struct flowtab *t, const struct flow *f)
{
	(void)t;
	return f->idx;
}

uint32_t ft_hash(const struct flow_key *k) { return key_hash(k); }

void ft_prefetch_slot(const struct flowtab *t, uint32_t h)
{
	__builtin_prefetch(&t->slots[h & t->mask]);
}

/* The slot's line was fetched a batch ago: find the flow the hash names
 * (not only the home slot's) and fetch its hot lines. */
void ft_prefetch_flow(const struct flowtab *t, uint32_t h, size_t bytes, bool links)
{
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		const struct slot *s = &t->slots[i];
		if (s->idx == FLOW_NIL)
			return;
		if (s->hash == h) {
			const char *f = (const char *)at(t, s->idx);
			for (size_t off = 0; off < bytes; off += 64)
				__builtin_prefetch(f + off, 1);
			if (links)
				__builtin_prefetch(ln(t, s->idx), 1);
			return;
		}
	}
}

struct flow *ft_find(struct flowtab *t, const struct flow_key *k, bool *rev)
{
	return ft_find_hashed(t, k, key_hash(k), rev);
}

struct flow *ft_find_hashed(struct flowtab *t, const struct flow_key *k, uint32_t h, bool *rev)
{
	for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
		struct slot *s = &t->slots[i];
		if (s->idx == FLOW_NIL)
			return NULL;
		if (s->hash != h)
			continue;
		struct flow *f = at(t, s->idx);
		if (key_eq(&f->key, k)) {
			*rev = false;
			return f;
		}
		if (k->portdir != 2 && key_eq_reversed(&f->key, k)) {
			*rev = true;
			return f;
		}
	}
}

static bool grow_slots(struct flowtab *t)
{
	uint32_t n = (t->mask + 1) * 2;
	struct slot *ns = ra_big_alloc(slots_bytes(n), RA_BIG_HUGE);

	if (!ns)
		return false;
	for (uint32_t i = 0; i < n; i++)
		ns[i].idx = FLOW_NIL;
	for (uint32_t i = 0; i <= t->mask; i++) {
		struct slot s = t->slots[i];
		if (s.idx == FLOW_NIL)
			continue;
		uint32_t j = s.hash & (n - 1);
		while (ns[j].idx != FLOW_NIL)
			j = (j + 1) & (n - 1);
		ns[j] = s;
		at(t, s.idx)->hslot = j;
	}
	ra_big_free(t->slots, slots_bytes(t->mask + 1));
	t->slots = ns;
	t->mask = n - 1;
	return true;
}

static bool grow_arena(struct flowtab *t)
{
	if (t->nchunks >= FT_MAX_CHUNKS)
		return false;
	struct flow *c = ra_big_alloc(FT_CHUNK * sizeof *c, RA_BIG_HUGE);
	if (!c)
		return false;
	struct link *l = malloc(FT_CHUNK * sizeof *l);	/* small: no huge page for it */
	/* Costs nothing unless used; small pages, as few flows may use it. */
	struct flow_ext *x = ra_big_alloc(FT_CHUNK * sizeof *x, 0);
	if (!l || !x) {
		ra_big_free(c, FT_CHUNK * sizeof *c);
		free(l);
		ra_big_free(x, FT_CHUNK * sizeof *x);
		return false;
	}
	t->chunks[t->nchunks] = c;
	t->links[t->nchunks] = l;
	t->exts[t->nchunks] = x;
	t->nchunks++;
	return true;
}

/* An unused entry: the last one freed (its memory is likely in cache), or
 * the next never used one (*virgin: its memory was never touched). */
static uint32_t take_entry(struct flowtab *t, bool *virgin)
{
	uint32_t idx = t->free_head;

	*virgin = false;
	if (idx != FLOW_NIL) {
		t->free_head = ln(t, idx)->idle_next;
		return idx;
	}
	if (t->fresh == t->nchunks * FT_CHUNK && !grow_arena(t))
		return FLOW_NIL;
	if (t->fresh == t->high) {
		t->high++;
		*virgin = true;
	}
	return t->fresh++;
}

static void list_append(struct flowtab *t, struct list *l, uint32_t idx, bool status)
{
	struct link *f = ln(t, idx);
	uint32_t *prev = status ? &f->stat_prev : &f->idle_prev;
	uint32_t *next = status ? &f->stat_next : &f->idle_next;

	*prev = l->tail;
	*next = FLOW_NIL;
	if (l->tail != FLOW_NIL) {
		struct link *tl = ln(t, l->tail);
		if (status)
			tl->stat_next = idx;
		else
			tl->idle_next = idx;
	} else
		l->head = idx;
	l->tail = idx;
}

static void list_unlink(struct flowtab *t, struct list *l, uint32_t idx, bool status)
{
	struct link *f = ln(t, idx);
	uint32_t prev = status ? f->stat_prev : f->idle_prev;
	uint32_t next = status ? f->stat_next : f->idle_next;

	if (prev != FLOW_NIL) {
		if (status)
			ln(t, prev)->stat_next = next;
		else
			ln(t, prev)->idle_next = next;
	} else
		l->head = next;
	if (next != FLOW_NIL) {
		if (status)
			ln(t, next)->stat_prev = prev;
		else
			ln(t, next)->idle_prev = prev;
	} else
		l->tail = prev;
}

struct flow *ft_create(struct flowtab *t, const struct flow_key *k, unsigned tclass, uint64_t now)
{
	return ft_create_hashed(t, k, key_hash(k), tclass, now);
}

struct flow *ft_create_hashed(struct flowtab *t, const struct flow_key *k, uint32_t h, unsigned tclass,
			      uint64_t now)
{
	if (((uint64_t)t->count + 1) * 4 > ((uint64_t)t->mask + 1) * 3 && !grow_slots(t))
		return NULL;
	bool virgin;
	uint32_t idx = take_entry(t, &virgin);
	if (idx == FLOW_NIL)
		return NULL;
	struct flow *f = at(t, idx);

	/* Never used memory is zero already (mapped so): it is neither read
	 * (a read before the first write costs a second page fault) nor
	 * cleared, so a new flow touches only the lines it writes. */
	if (!virgin)
		memset(f, 0, sizeof *f);
	f->key = *k;
	f->tclass = (uint8_t)tclass;
	f->in_use = t->gen;
	f->idx = idx;
	f->last_ts = f->enq_ts = now;
	ln(t, idx)->stat_prev = ln(t, idx)->stat_next = FLOW_NIL;

	uint32_t i = h & t->mask;
	while (t->slots[i].idx != FLOW_NIL)
		i = (i + 1) & t->mask;
	t->slots[i].hash = h;
	t->slots[i].idx = idx;
	f->hslot = i;
	t->count++;
	list_append(t, &t->idle[tclass], idx, false);
	return f;
}

void ft_remove(struct flowtab *t, struct flow *f)
{
	uint32_t i = f->hslot;
	uint32_t idx = t->slots[i].idx;

	list_unlink(t, &t->idle[f->tclass], idx, false);
	if (f->rec_open)
		ft_status_del(t, f);
	/* Backward-shift deletion. */
	for (uint32_t j = (i + 1) & t->mask;; j = (j + 1) & t->mask) {
		struct slot s = t->slots[j];
		if (s.idx == FLOW_NIL)
			break;
		uint32_t home = s.hash & t->mask;
		/* Can s move to i?  Yes if home is not in (i, j]. */
		bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (between)
			continue;
		t->slots[i] = s;
		at(t, s.idx)->hslot = i;
		i = j;
	}
	t->slots[i].idx = FLOW_NIL;
	f->in_use = 0;
	ln(t, idx)->idle_next = t->free_head;
	t->free_head = idx;
	t->count--;
}

void ft_idle_requeue(struct flowtab *t, struct flow *f, uint64_t now)
{
	uint32_t idx = f->idx;
	struct list *l = &t->idle[f->tclass];

	f->enq_ts = now;
	if (l->tail == idx)
		return;
	list_unlink(t, l, idx, false);
	list_append(t, l, idx, false);
}

void ft_set_class(struct flowtab *t, struct flow *f, unsigned tclass, uint64_t now)
{
	uint32_t idx = f->idx;

	list_unlink(t, &t->idle[f->tclass], idx, false);
	f->tclass = (uint8_t)tclass;
	f->enq_ts = now;
	list_append(t, &t->idle[tclass], idx, false);
}

void ft_status_add(struct flowtab *t, struct flow *f)
{
	list_append(t, &t->status, f->idx, true);
}

void ft_status_del(struct flowtab *t, struct flow *f)
{
	uint32_t idx = f->idx;

	list_unlink(t, &t->status, idx, true);
	ln(t, idx)->stat_prev = ln(t, idx)->stat_next = FLOW_NIL;
}

struct flow *ft_idle_head(struct flowtab *t, unsigned tclass)
{
	uint32_t h = t->idle[tclass].head;
	return h == FLOW_NIL ? NULL : at(t, h);
}

struct flow *ft_status_head(struct flowtab *t)
{
	uint32_t h = t->status.head;
	return h == FLOW_NIL ? NULL : at(t, h);
}

void ft_clear(struct flowtab *t)
{
	if (++t->gen == 0) {	/* once in 255 clears */
		for (uint32_t i = 0; i < t->high; i++)
			at(t, i)->in_use = 0;
		t->gen = 1;
	}
	memset(t->slots, 0xff, ((size_t)t->mask + 1) * sizeof *t->slots);	/* idx = FLOW_NIL */
	t->fresh = 0;
	t->free_head = FLOW_NIL;
	t->count = 0;
	for (unsigned c = 0; c < TC_COUNT; c++)
		t->idle[c].head = t->idle[c].tail = FLOW_NIL;
	t->status.head = t->status.tail = FLOW_NIL;
}

void ft_foreach(struct flowtab *t, void (*fn)(struct flow *f, void *arg), void *arg)
{
	for (uint32_t i = 0; i < t->fresh; i++)
		if (at(t, i)->in_use == t->gen)
			fn(at(t, i), arg);
}
