/*
 * store.c - rasort's record store: raw records in an arena of large
 * chunks (in input order), one sort entry per record with its key
 * extracted once, spilling of sorted runs to temporary files when the
 * memory limit is reached, and the k-way merge of those runs.
 *
 * Records that stay where they are (in an input file rasort has mapped)
 * are not copied: the store refers to them in place.  A record's place is
 * (source << 40 | offset), a source being such a mapping or an arena
 * chunk; places grow in input order, which keeps the sorts stable.
 * Per record the store holds 16 bytes (keys of up to 8 bytes: packed key
 * and place) or 12 + the key length (longer keys), plus its bytes when
 * they had to be copied; the memory limit counts the bytes either way.  Runs
 * are record streams like any other; at most MAX_FANIN are merged at once,
 * earlier runs first among equal keys, so the sort stays stable.
 */
#include "config.h"

#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"

#define MAX_FANIN 128
#define READER_BYTES ((size_t)2 << 20)	/* what one open run costs: its reader's buffers */
#define PREFETCH 48

struct store {
	struct sk_spec spec;
	bool short_key;			/* keylen <= 8: packed entries, radix sort */
	size_t mem_limit, per_rec, chunk_bytes;
	uint64_t keep;
	const char *tmpdir;
	uint8_t **chunks;
	size_t nchunks, chunks_cap, cur, cur_off;
	const uint8_t **src;		/* sources: where places' offsets count from */
	size_t nsrc, src_cap;
	bool src_arena;			/* the last source is arena chunk cur */
	const uint8_t *last;		/* the last record kept in place */
	size_t nrec, rec_cap;
	struct sk_entry *ent;		/* short keys */
	uint64_t *offs;			/* long keys: record places ... */
	uint8_t *keys;			/* ... and their key strings */
	char **runs;
	size_t nruns, runs_cap;
	uint64_t spilled;
	size_t held, peak;		/* record bytes held; most bytes allocated */
	uint8_t key[4096];
};

struct store *store_new(const struct sk_spec *spec, size_t mem_limit, uint64_t keep,
			const char *tmpdir, struct ra_err *err)
{
	struct store *s = calloc(1, sizeof(*s));

	if (!s) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	s->spec = *spec;
	s->short_key = spec->keylen <= 8;
	s->per_rec = s->short_key ? sizeof(struct sk_entry) : 8 + 4 + spec->keylen;
	s->mem_limit = mem_limit;
	s->chunk_bytes = mem_limit / 8;
	if (s->chunk_bytes < ((size_t)64 << 10))
		s->chunk_bytes = (size_t)64 << 10;
	if (s->chunk_bytes > ((size_t)32 << 20))
		s->chunk_bytes = (size_t)32 << 20;
	s->keep = keep;
	s->tmpdir = tmpdir;
	if (spec->keylen > sizeof(s->key)) {
		free(s);
		ra_err_set(err, RA_ERR_USAGE, "-m: sort key too long");
		return NULL;
	}
	return s;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	free(s->src);
	free(s->ent);
	free(s->offs);
	free(s->keys);
	for (size_t i = 0; i < s->nruns; i++) {
		unlink(s->runs[i]);
		free(s->runs[i]);
	}
	free(s->runs);
	free(s);
}

uint64_t store_runs(const struct store *s) { return s->spilled; }
size_t store_peak(const struct store *s) { return s->peak; }

#define SRC_SHIFT 40
#define SRC_OFF_MASK (((uint64_t)1 << SRC_SHIFT) - 1)

static inline const uint8_t *rec_at(const struct store *s, uint64_t ref)
{
	return s->src[ref >> SRC_SHIFT] + (ref & SRC_OFF_MASK);
}

static inline size_t rec_len(const uint8_t *p) { return (size_t)(p[2] | p[3] << 8); }

static bool nomem(struct ra_err *err)
{
	ra_err_set(err, RA_ERR_NOMEM, "out of memory");
	return false;
}

static bool grow_records(struct store *s, struct ra_err *err)
{
	size_t ncap = s->rec_cap ? s->rec_cap * 2 : 4096;

	if (s->short_key) {
		struct sk_entry *e = realloc(s->ent, ncap * sizeof(*e));
		if (!e)
			return nomem(err);
		s->ent = e;
	} else {
		uint64_t *o = realloc(s->offs, ncap * sizeof(*o));
		if (!o)
			return nomem(err);
		s->offs = o;
		uint8_t *k = realloc(s->keys, ncap * s->spec.keylen);
		if (!k)
			return nomem(err);
		s->keys = k;
	}
	s->rec_cap = ncap;
	return true;
}

static bool new_src(struct store *s, const uint8_t *base, bool arena, struct ra_err *err)
{
	if (s->nsrc == s->src_cap) {
		size_t nc = s->src_cap ? s->src_cap * 2 : 64;
		const uint8_t **n = realloc(s->src, nc * sizeof(*n));
		if (!n)
			return nomem(err);
		s->src = n;
		s->src_cap = nc;
	}
	s->src[s->nsrc++] = base;
	s->src_arena = arena;
	return true;
}

/* Room for len bytes in the arena; returns the record's place. */
static bool arena_place(struct store *s, size_t len, uint64_t *ref, uint8_t **at, struct ra_err *err)
{
	bool fresh = false;

	if (s->nchunks == 0 || s->cur_off + len > s->chunk_bytes) {
		if (s->nchunks > 0)
			s->cur++;
		if (s->cur >= s->nchunks) {
			if (s->nchunks == s->chunks_cap) {
				size_t nc = s->chunks_cap ? s->chunks_cap * 2 : 16;
				uint8_t **c = realloc(s->chunks, nc * sizeof(*c));
				if (!c)
					return nomem(err);
				s->chunks = c;
				s->chunks_cap = nc;
			}
			s->chunks[s->nchunks] = malloc(s->chunk_bytes);
			if (!s->chunks[s->nchunks])
				return nomem(err);
			s->nchunks++;
		}
		s->cur_off = 0;
		fresh = true;
	}
	if ((fresh || !s->src_arena || s->nsrc == 0) && !new_src(s, s->chunks[s->cur], true, err))
		return false;
	*ref = (uint64_t)(s->nsrc - 1) << SRC_SHIFT | s->cur_off;
	*at = s->chunks[s->cur] + s->cur_off;
	s->cur_off += len;
	return true;
}

/* The place of a record kept where it is. */
static bool stable_place(struct store *s, const uint8_t *rec, uint64_t *ref, struct ra_err *err)
{
	if (s->nsrc == 0 || s->src_arena || rec <= s->last ||
	    (uint64_t)(rec - s->src[s->nsrc - 1]) > SRC_OFF_MASK)
		if (!new_src(s, rec, false, err))
			return false;
	s->last = rec;
	*ref = (uint64_t)(s->nsrc - 1) << SRC_SHIFT | (uint64_t)(rec - s->src[s->nsrc - 1]);
	return true;
}

/* Bytes allocated for what is held (arena chunks, entries or keys and offsets). */
static size_t held_bytes(const struct store *s) { return s->nchunks * s->chunk_bytes + s->rec_cap * s->per_rec; }

/* Can the sort have `extra` bytes more within the limit?  If so, they count
 * towards the peak. */
static bool room_for(struct store *s, size_t extra)
{
	if (s->nrec < 2 || held_bytes(s) + extra > s->mem_limit)
		return false;
	if (held_bytes(s) + extra > s->peak)
		s->peak = held_bytes(s) + extra;
	return true;
}

/* Sort what is held; afterwards ordered(s, i) gives the i-th record. */
static bool sort_held(struct store *s, uint32_t **idx_out, struct ra_err *err)
{
	uint32_t *idx;

	*idx_out = NULL;
	if (s->short_key) {
		/* a second array of entries when the limit has room for it */
		struct sk_entry *tmp = NULL;
		if (room_for(s, s->nrec * sizeof(*tmp)))
			tmp = malloc(s->nrec * sizeof(*tmp));
		if (tmp)
			sk_sort_entries_lsd(s->ent, tmp, s->nrec);
		else
			sk_sort_entries(s->ent, s->nrec);
		free(tmp);
		return true;
	}
	idx = malloc((s->nrec ? s->nrec : 1) * sizeof(*idx));
	if (!idx)
		return nomem(err);
	for (size_t i = 0; i < s->nrec; i++)
		idx[i] = (uint32_t)i;
	/* radix sorts through an array of entries when the limit has room
	 * for it, else the merge sort */
	if (!(room_for(s, s->nrec * sizeof(struct sk_entry)) &&
	      sk_sort_index_prefix(idx, s->nrec, s->keys, s->spec.keylen)) &&
	    !sk_sort_index(idx, s->nrec, s->keys, s->spec.keylen)) {
		free(idx);
		return nomem(err);
	}
	*idx_out = idx;
	return true;
}

static inline uint64_t ordered(const struct store *s, const uint32_t *idx, size_t i)
{
	return s->short_key ? s->ent[i].ref : s->offs[idx[i]];
}

static void reset_held(struct store *s)
{
	s->nrec = 0;
	s->cur = 0;
	s->cur_off = 0;
	s->held = 0;
	s->nsrc = 0;
	s->src_arena = false;
	s->last = NULL;
}

static bool write_rec(void *ctx, const uint8_t *rec, size_t len, const struct ra_flow *f)
{
	struct ra_err err;
	(void)f;
	ra_err_clear(&err);
	return ra_writer_put(ctx, rec, len, &err);
}

/* A new temporary file for a run; its path is remembered for removal. */
static struct ra_writer *new_run(struct store *s, struct ra_err *err)
{
	char path[4096];
	int fd;
	struct ra_writer *w;

	if ((size_t)snprintf(path, sizeof(path), "%s/rasort-XXXXXX", s->tmpdir) >= sizeof(path)) {
		ra_err_set(err, RA_ERR_USAGE, "temporary directory path too long");
		return NULL;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		ra_err_set(err, RA_ERR_IO, "%s: cannot create a temporary run: %s", s->tmpdir, strerror(errno));
		return NULL;
	}
	close(fd);
	if (s->nruns == s->runs_cap) {
		size_t nc = s->runs_cap ? s->runs_cap * 2 : 16;
		char **r = realloc(s->runs, nc * sizeof(*r));
		if (!r) {
			unlink(path);
			nomem(err);
			return NULL;
		}
		s->runs = r;
		s->runs_cap = nc;
	}
	s->runs[s->nruns] = strdup(path);
	if (!s->runs[s->nruns]) {
		unlink(path);
		nomem(err);
		return NULL;
	}
	s->nruns++;
	w = ra_writer_open(path, false, true, "rasort", err);
	return w;
}

/* Sort the held records and write them (at most keep) as a run. */
static bool spill(struct store *s, struct ra_err *err)
{
	uint32_t *idx;
	struct ra_writer *w;
	size_t n;
	bool ok = true;

	if (!sort_held(s, &idx, err))
		return false;
	w = new_run(s, err);
	if (!w) {
		free(idx);
		return false;
	}
	n = s->keep && s->keep < s->nrec ? (size_t)s->keep : s->nrec;
	for (size_t i = 0; i < n && ok; i++) {
		const uint8_t *p = rec_at(s, ordered(s, idx, i));
		ok = ra_writer_put(w, p, rec_len(p), err);
	}
	free(idx);
	if (!ra_writer_close(w, ok ? err : &(struct ra_err){ 0 }))
		ok = false;
	s->spilled++;
	reset_held(s);
	return ok;
}

bool store_add(struct store *s, const uint8_t *rec, size_t len, bool stays, const struct ra_flow *f,
	       struct ra_err *err)
{
	uint64_t ref;
	size_t entries = (s->nrec < s->rec_cap ? s->rec_cap : 2 * s->rec_cap) * s->per_rec;

	/* the records held, their entries (as allocated) and this one must fit;
	 * records kept in place count too: a file far larger than memory is
	 * better sorted in runs than read back at random */
	if (s->nrec > 0 && s->held + len + entries > s->mem_limit && !spill(s, err))
		return false;
	if (s->nrec == s->rec_cap && !grow_records(s, err))
		return false;
	if (!s->short_key && s->nrec >= UINT32_MAX && !spill(s, err))
		return false;
	if (stays) {
		if (!stable_place(s, rec, &ref, err))
			return false;
	} else {
		uint8_t *at;
		if (!arena_place(s, len, &ref, &at, err))
			return false;
		memcpy(at, rec, len);
	}
	if (s->short_key) {
		sk_extract(&s->spec, f, s->key);
		s->ent[s->nrec].key = sk_pack(s->key, s->spec.keylen);
		s->ent[s->nrec].ref = ref;
	} else {
		sk_extract(&s->spec, f, s->keys + s->nrec * s->spec.keylen);
		s->offs[s->nrec] = ref;
	}
	s->nrec++;
	s->held += len;
	if (held_bytes(s) > s->peak)
		s->peak = held_bytes(s);
	return true;
}

/* ---- merging runs ---- */

struct head {
	struct ra_reader *rd;
	const uint8_t *rec;
	size_t len;
	struct ra_flow f;
	uint8_t *key;
};

static int head_cmp(const struct store *s, const struct head *h, size_t a, size_t b)
{
	int c = memcmp(h[a].key, h[b].key, s->spec.keylen);
	return c ? c : (a < b ? -1 : 1);
}

/* Next record of run i into its head; false at its end (or on damage). */
static bool advance(struct store *s, struct head *h, bool *damaged, struct ra_err *err)
{
	for (;;) {
		enum ra_read_result rr = ra_reader_next(h->rd, &h->rec, &h->len, err);
		if (rr == RA_READ_END)
			return false;
		if (rr == RA_READ_ERROR) {
			*damaged = true;
			return false;
		}
		if (h->rec[0] != RA_REC_FLOW || h->rec[1] != 0)
			continue;
		if (!ra_decode_flow(h->rec, h->len, &h->f, err)) {
			*damaged = true;
			return false;
		}
		sk_extract(&s->spec, &h->f, h->key);
		return true;
	}
}

static void sift_down(const struct store *s, const struct head *h, size_t *heap, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && head_cmp(s, h, heap[l], heap[m]) < 0)
			m = l;
		if (l + 1 < n && head_cmp(s, h, heap[l + 1], heap[m]) < 0)
			m = l + 1;
		if (m == i)
			return;
		size_t t = heap[i];
		heap[i] = heap[m];
		heap[m] = t;
		i = m;
	}
}

/* Merge runs[first .. first+n) in order into fn. */
static bool merge_runs(struct store *s, size_t first, size_t n, store_emit_fn fn, void *ctx,
		       bool *stopped, struct ra_err *err)
{
	struct head *h = calloc(n, sizeof(*h));
	size_t *heap = calloc(n, sizeof(*heap));
	uint8_t *keys = malloc(n * (s->spec.keylen ? s->spec.keylen : 1));
	size_t nh = 0;
	bool ok = true, damaged = false;

	*stopped = false;
	if (!h || !heap || !keys) {
		ok = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n && ok; i++) {
		h[i].key = keys + i * s->spec.keylen;
		ra_flow_init(&h[i].f);
		h[i].rd = ra_reader_new();
		if (!h[i].rd || !ra_reader_add(h[i].rd, s->runs[first + i], false, err)) {
			ok = h[i].rd ? false : nomem(err);
			break;
		}
		if (advance(s, &h[i], &damaged, err))
			heap[nh++] = i;
		else if (damaged)
			ok = false;
	}
	for (size_t i = nh; ok && i-- > 0;)
		sift_down(s, h, heap, nh, i);
	while (ok && nh > 0) {
		struct head *t = &h[heap[0]];
		if (!fn(ctx, t->rec, t->len, &t->f)) {
			*stopped = true;
			break;
		}
		if (!advance(s, t, &damaged, err)) {
			if (damaged) {
				ok = false;
				break;
			}
			heap[0] = heap[--nh];
		}
		sift_down(s, h, heap, nh, 0);
	}
out:
	if (h)
		for (size_t i = 0; i < n; i++)
			ra_reader_free(h[i].rd);
	free(h);
	free(heap);
	free(keys);
	return ok;
}

/* Fold the first MAX_FANIN runs into one until few enough remain. */
static bool reduce_runs(struct store *s, size_t fanin, struct ra_err *err)
{
	while (s->nruns > fanin) {
		struct ra_writer *w = new_run(s, err);	/* appended last */
		bool stopped, ok;
		char *merged;
		if (!w)
			return false;
		ok = merge_runs(s, 0, fanin, write_rec, w, &stopped, err);
		if (!ra_writer_close(w, ok ? err : &(struct ra_err){ 0 }) || !ok)
			return false;
		/* the merged run takes the place of the ones it holds, at the front */
		merged = s->runs[s->nruns - 1];
		for (size_t i = 0; i < fanin; i++) {
			unlink(s->runs[i]);
			free(s->runs[i]);
		}
		memmove(s->runs + 1, s->runs + fanin, (s->nruns - 1 - fanin) * sizeof(*s->runs));
		s->runs[0] = merged;
		s->nruns -= fanin;	/* it counted the new run already */
	}
	return true;
}

bool store_finish(struct store *s, store_emit_fn fn, void *ctx, bool decode, struct ra_err *err)
{
	struct ra_flow f;
	uint32_t *idx;
	bool stopped;

	if (s->nruns > 0) {
		size_t fanin = s->mem_limit / READER_BYTES;
		if (s->nrec > 0 && !spill(s, err))
			return false;
		/* everything is on disk now: the memory goes to the readers of the runs */
		for (size_t i = 0; i < s->nchunks; i++)
			free(s->chunks[i]);
		s->nchunks = 0;
		free(s->ent);
		free(s->offs);
		free(s->keys);
		s->ent = NULL;
		s->offs = NULL;
		s->keys = NULL;
		s->rec_cap = 0;
		if (fanin < 2)
			fanin = 2;
		if (fanin > MAX_FANIN)
			fanin = MAX_FANIN;
		if (!reduce_runs(s, fanin, err))
			return false;
		return merge_runs(s, 0, s->nruns, fn, ctx, &stopped, err);
	}
	if (!sort_held(s, &idx, err))
		return false;
	ra_flow_init(&f);
	for (size_t i = 0; i < s->nrec; i++) {
		const uint8_t *p = rec_at(s, ordered(s, idx, i));
		if (i + PREFETCH < s->nrec) {	/* records are visited out of order: fetch ahead */
			const uint8_t *ahead = rec_at(s, ordered(s, idx, i + PREFETCH));
			__builtin_prefetch(ahead);
			__builtin_prefetch(ahead + 64);	/* a record spans two lines or more */
		}
		if (decode && !ra_decode_flow(p, rec_len(p), &f, err)) {
			free(idx);
			return false;
		}
		if (!fn(ctx, p, rec_len(p), decode ? &f : NULL))
			break;
	}
	free(idx);
	return true;
}
