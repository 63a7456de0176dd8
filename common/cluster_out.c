/*
 * cluster_out.c - groups out of racluster's table: emitted at the end
 * (cl_flush, cl_flush_raw), walked in place (cl_scan), evicted by age or by
 * a caller's choice (cl_evict_idle, cl_evict_started, cl_evict_set), and
 * the log rewritten without the first records of merged groups once they
 * are half of it (tbl_maybe_compact).  The table itself is in cluster.c.
 */
#include "config.h"

#include "table.h"

#include "bigmem.h"

#include <stdlib.h>
#include <string.h>

/* The group of log entry e, ready to emit; NULL on damage (a bug). */
static struct cl_group *emit_group(struct cl_table *t, const uint8_t *e, struct ra_err *err)
{
	uint32_t idx = ld32(e + 4);
	const struct cl_hot *g;

	if (idx == NO_GROUP) {	/* one record: decoded once, straight into the group */
		size_t len;
		const uint8_t *rec = log_record(e, &len);
		t->out_one = cl_materialize_one(&t->spec, rec, len, e[LOG_HDR + 1] & LOG_SWAPPED, t->out_one,
						&t->out, err);
		return t->out_one ? &t->out : NULL;
	}
	g = group_at(t, idx);
	cl_materialize(&t->spec, t->chk, g, g->cold ? cold_at(t, g->cold) : NULL,
		       tcp_of(t, g), v6_of(t, g), &t->out);
	t->out_one = false;
	return &t->out;
}

static void clear_index(struct cl_table *t)
{
	t->used = 0;
	t->live = 0;
	t->free_head = NO_GROUP;
	t->cold.used = t->cold.free = 0;
	t->v6.used = t->v6.free = 0;
	t->log_end = 0;
	t->log_dead = 0;
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
}

bool cl_flush_raw(struct cl_table *t, cl_emit_fn fn, cl_emit_raw_fn raw, void *ctx)
{
	struct ra_err err;
	bool ok = cl_drain(t, &err);	/* the caller drains first to see errors */
	uint8_t out[CL_ONE_RAW_MAX];

	for (uint64_t pos = tbl_log_next(t, 0); pos < t->log_end && ok; pos = tbl_log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		struct cl_group *g;
		size_t len, n;
		pos += log_entry_len(e);
		if (raw && ld32(e + 4) == NO_GROUP && !(e[LOG_HDR + 1] & LOG_SWAPPED)) {
			const uint8_t *rec = log_record(e, &len);
			if ((n = cl_one_raw(&t->spec, rec, len, out)) != 0) {
				ok = raw(ctx, out, n);
				continue;
			}
		}
		if (!(g = emit_group(t, e, &err))) {
			ok = false;
			break;
		}
		ok = fn(ctx, g);
	}
	clear_index(t);
	return ok;
}

bool cl_flush(struct cl_table *t, cl_emit_fn fn, void *ctx)
{
	return cl_flush_raw(t, fn, NULL, ctx);
}

/* Last time (first time, when first) of the group of log entry e. */
static uint64_t entry_time(struct cl_table *t, const uint8_t *e, bool first)
{
	uint32_t idx = ld32(e + 4);
	struct ra_err err;

	if (idx != NO_GROUP)
		return first ? group_at(t, idx)->stime : group_at(t, idx)->ltime;
	if (!tbl_decode_first(t, e, &err))
		return UINT64_MAX;
	return first ? t->probe.stime : t->probe.ltime;
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
		ra_big_free(t->log[t->nlog], LOG_BYTES);
		t->log[t->nlog] = NULL;
	}
	t->log_end = w;
	t->log_dead = 0;
	memset(t->slots, 0, t->cap * sizeof(*t->slots));
	for (uint64_t pos = tbl_log_next(t, 0); pos < t->log_end; pos = tbl_log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		uint32_t idx = ld32(e + 4);
		tbl_slot_insert(t->slots, t->cap, ld32(e),
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

	for (uint64_t pos = tbl_log_next(t, 0); pos < t->log_end; pos = tbl_log_next(t, pos)) {
		const uint8_t *e = log_at(t, pos);
		size_t len = log_entry_len(e);
		w = log_keep(t, w, e, len);
		pos += len;
	}
	log_rewritten(t, w);
}

void tbl_maybe_compact(struct cl_table *t)
{
	if (t->log_dead >= LOG_COMPACT_MIN && t->log_dead * 2 > t->log_end)
		log_compact(t);
}

/* The merged group idx (if any) back on the free list, its parts to their pools. */
static void drop_group(struct cl_table *t, uint32_t idx)
{
	struct cl_hot *h;

	if (idx == NO_GROUP)
		return;
	h = group_at(t, idx);
	tbl_free_parts(t, h);
	h->gflags = 0;
	h->hash = t->free_head;
	t->free_head = idx;
}

static bool bit_at(const uint64_t *set, size_t n) { return (set[n >> 6] >> (n & 63)) & 1u; }

bool cl_scan(struct cl_table *t, const uint64_t *want, size_t nbits, cl_visit_fn fn, void *ctx)
{
	struct ra_err err;
	size_t n = 0;

	if (!cl_drain(t, &err))
		return false;
	for (uint64_t pos = tbl_log_next(t, 0); pos < t->log_end; pos = tbl_log_next(t, pos), n++) {
		const uint8_t *e = log_at(t, pos);
		struct cl_group *g;

		pos += log_entry_len(e);
		if (want && (n >= nbits || !bit_at(want, n)))
			continue;
		if (!(g = emit_group(t, e, &err)) || !fn(ctx, n, g))
			return false;
	}
	return true;
}

bool cl_evict_set(struct cl_table *t, const uint64_t *gone_set, size_t nbits, cl_emit_fn fn, void *ctx)
{
	uint64_t w = 0, end;
	uint32_t gone = 0;
	size_t n = 0;
	struct ra_err err;
	bool ok = cl_drain(t, &err);

	if (!ok)
		return false;
	end = t->log_end;
	for (uint64_t pos = tbl_log_next(t, 0); pos < end; pos = tbl_log_next(t, pos), n++) {
		uint8_t *e = log_at(t, pos);
		size_t len = log_entry_len(e);

		if (n < nbits && bit_at(gone_set, n)) {
			if (ok && fn) {
				struct cl_group *g = emit_group(t, e, &err);
				ok = g && fn(ctx, g);
			}
			drop_group(t, ld32(e + 4));
			gone++;
		} else {
			w = log_keep(t, w, e, len);
		}
		pos += len;
	}
	t->live -= gone;
	log_rewritten(t, w);
	return ok;
}

/*
 * Emit the idle groups, then close the gaps they leave in the log (the
 * rest keep their order, merged groups' first records go) and index what
 * remains afresh.
 */
static bool evict(struct cl_table *t, uint64_t before, bool first, cl_emit_fn fn, void *ctx)
{
	uint64_t w = 0, end;
	uint32_t gone = 0;
	struct ra_err err;
	bool ok = cl_drain(t, &err);	/* the caller drains first to see errors */

	if (!ok)
		return false;
	end = t->log_end;

	for (uint64_t pos = tbl_log_next(t, 0); pos < end; pos = tbl_log_next(t, pos)) {
		uint8_t *e = log_at(t, pos);
		size_t len = log_entry_len(e);
		uint32_t idx = ld32(e + 4);

		if (ok && entry_time(t, e, first) < before) {
			struct cl_group *g = emit_group(t, e, &err);
			if (g)
				ok = fn(ctx, g);
			drop_group(t, idx);
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

bool cl_evict_idle(struct cl_table *t, uint64_t before, cl_emit_fn fn, void *ctx)
{
	return evict(t, before, false, fn, ctx);
}

bool cl_evict_started(struct cl_table *t, uint64_t before, cl_emit_fn fn, void *ctx)
{
	return evict(t, before, true, fn, ctx);
}
