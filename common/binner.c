/*
 * binner.c - the open bins of a record stream (bins.h): records merged into
 * one aggregation table keyed by their bin as well (cl_spec_bin), those
 * that span bins cut into pieces first, and bins closed in time order once
 * the stream has moved past them by the hold, or when full (count and size
 * bins), their groups handed to the client bin by bin.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "bins.h"

/* Where a held group goes: its bin, then first-seen order within it. */
struct order {
	uint64_t bin, seq;
};

struct binner {
	struct bin_spec bs;
	struct cl_table *t;
	uint64_t hold;
	binner_emit_fn fn;
	void *ctx;
	uint64_t now;		/* the latest start time seen */
	uint64_t floor;		/* time bins below it are closed */
	uint64_t count, size, index;	/* load bins: records and bytes in this one, its number */
	uint64_t lo, hi;	/* load bins: the span of its records */
	struct cl_group *out;	/* groups of several closing bins, to be put in time order */
	struct order *ord;
	size_t nout, capout;
	bool collect_failed;
	bool feedable;		/* cl_feed_bins takes the spec */
	struct binner_late late;
	/* records decoded, waiting to be merged (the table holds on to a few batches) */
	struct cl_rec batch[CL_INFLIGHT][CL_BATCH];
	uint8_t copies[CL_INFLIGHT][CL_BATCH][CL_REC_COPY_MAX];
	struct ra_flow full[CL_INFLIGHT][CL_BATCH];
	const struct cl_rec *pending[CL_BATCH];
	int npending, bi;
	struct ra_flow whole, piece;
	uint8_t enc[RA_REC_MAX];	/* a piece encoded, to be decoded into a batch slot */
};

struct binner *binner_new(const struct bin_spec *bs, const struct cl_spec *cs, uint64_t hold, binner_emit_fn fn,
			  void *ctx, struct ra_err *err)
{
	struct binner *b = calloc(1, sizeof(*b));
	struct cl_spec spec = *cs;

	if (!b) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	b->bs = *bs;
	b->hold = hold;
	b->fn = fn;
	b->ctx = ctx;
	b->lo = UINT64_MAX;
	if (cs->whole) {	/* records reach the bins without their payload */
		ra_err_set(err, RA_ERR_USAGE, "-m service: not in bins (racluster -m service names them)");
		free(b);
		return NULL;
	}
	if (bs->mode == BIN_TIME && !cl_spec_bin(&spec, bs->width, err)) {
		free(b);
		return NULL;
	}
	for (int i = 0; i < CL_INFLIGHT; i++)
		for (int j = 0; j < CL_BATCH; j++)
			ra_flow_init(&b->full[i][j]);
	ra_flow_init(&b->whole);
	if (!(b->t = cl_table_new(&spec, err))) {
		free(b);
		return NULL;
	}
	b->feedable = bs->mode == BIN_TIME && cl_feed_bins_usable(&spec);
	return b;
}

void binner_free(struct binner *b)
{
	if (!b)
		return;
	cl_table_free(b->t);
	free(b->out);
	free(b->ord);
	free(b);
}

const struct binner_late *binner_late(const struct binner *b)
{
	return &b->late;
}

size_t binner_groups(const struct binner *b)
{
	return cl_count(b->t);
}

static bool merge_pending(struct binner *b, struct ra_err *err)
{
	if (b->npending && !cl_add_batch(b->t, b->pending, b->npending, err))
		return false;
	b->npending = 0;
	b->bi = (b->bi + 1) % CL_INFLIGHT;
	return true;
}

/* A group of a time bin out, stamped with the bin's bounds under -M hard. */
static bool emit_time(struct binner *b, struct cl_group *g)
{
	struct bin_info bi;

	bi.index = g->f.stime / b->bs.width;
	bi.start = bi.index * b->bs.width;
	bi.end = bi.start + b->bs.width;
	if (b->bs.hard) {
		g->f.stime = bi.start;
		g->f.ltime = bi.end;
	}
	return b->fn(b->ctx, &bi, g);
}

static bool end_bin(struct binner *b, uint64_t index, uint64_t start, uint64_t end)
{
	struct bin_info bi = { index, start, end };
	return b->fn(b->ctx, &bi, NULL);
}

/* One closing time bin: its groups straight out. */
static bool emit_one(void *ctx, struct cl_group *g)
{
	return emit_time(ctx, g);
}

/* Several closing time bins: their groups held, to be sorted. */
static bool collect(void *ctx, struct cl_group *g)
{
	struct binner *b = ctx;

	if (b->nout == b->capout) {
		size_t cap = b->capout ? 2 * b->capout : 1024;
		struct cl_group *n = realloc(b->out, cap * sizeof(*n));
		struct order *o = n ? realloc(b->ord, cap * sizeof(*o)) : NULL;
		if (n)
			b->out = n;
		if (!o) {
			b->collect_failed = true;
			return false;
		}
		b->ord = o;
		b->capout = cap;
	}
	b->out[b->nout] = *g;
	b->out[b->nout].f.spayload = b->out[b->nout].f.dpayload = NULL;
	b->out[b->nout].f.spaylen = b->out[b->nout].f.dpaylen = 0;
	b->ord[b->nout].bin = g->f.stime / b->bs.width;
	b->ord[b->nout].seq = b->nout;
	b->nout++;
	return true;
}

static int by_bin(const void *x, const void *y)
{
	const struct order *a = x, *c = y;

	if (a->bin != c->bin)
		return a->bin < c->bin ? -1 : 1;
	return a->seq < c->seq ? -1 : a->seq > c->seq;
}

/* Close the time bins below upto (groups of bins [floor, upto)). */
static bool close_time(struct binner *b, uint64_t upto, struct ra_err *err)
{
	uint64_t before = upto >= UINT64_MAX / b->bs.width ? UINT64_MAX : upto * b->bs.width;
	bool ok;

	if (upto <= b->floor)
		return true;
	if (!merge_pending(b, err) || !cl_drain(b->t, err))
		return false;
	if (upto == b->floor + 1) {
		uint64_t had = cl_count(b->t);
		b->floor = upto;
		if (!cl_evict_started(b->t, before, emit_one, b))
			return false;
		return had == cl_count(b->t) ||
		       end_bin(b, upto - 1, (upto - 1) * b->bs.width, upto * b->bs.width);
	}
	b->floor = upto;
	b->nout = 0;
	b->collect_failed = false;
	if (b->capout < cl_count(b->t)) {	/* room for them all at once: no copying as it grows */
		size_t cap = cl_count(b->t);
		free(b->out);
		free(b->ord);
		b->out = malloc(cap * sizeof(*b->out));
		b->ord = malloc(cap * sizeof(*b->ord));
		b->capout = b->out && b->ord ? cap : 0;
	}
	ok = cl_evict_started(b->t, before, collect, b);
	if (b->collect_failed) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	if (!ok)
		return false;
	if (b->nout)
		qsort(b->ord, b->nout, sizeof(*b->ord), by_bin);
	for (size_t i = 0; i < b->nout; i++) {
		uint64_t bin = b->ord[i].bin;
		if (!emit_time(b, &b->out[b->ord[i].seq]))
			return false;
		if ((i + 1 == b->nout || b->ord[i + 1].bin != bin) &&
		    !end_bin(b, bin, bin * b->bs.width, (bin + 1) * b->bs.width))
			return false;
	}
	b->nout = 0;
	return true;
}

static bool emit_load(void *ctx, struct cl_group *g)
{
	struct binner *b = ctx;
	struct bin_info bi = { b->index, b->lo, b->hi };

	return b->fn(b->ctx, &bi, g);
}

static bool close_load(struct binner *b, struct ra_err *err)
{
	if (!b->count)
		return true;
	if (!merge_pending(b, err) || !cl_drain(b->t, err) || !cl_flush(b->t, emit_load, b) ||
	    !end_bin(b, b->index, b->lo, b->hi))
		return false;
	b->index++;
	b->count = b->size = 0;
	b->lo = UINT64_MAX;
	b->hi = 0;
	return true;
}

bool binner_advance(struct binner *b, uint64_t now, struct ra_err *err)
{
	if (now > b->now)
		b->now = now;
	if (b->bs.mode != BIN_TIME || b->hold == BINNER_HOLD_ALL || b->now < b->hold)
		return true;
	return close_time(b, (b->now - b->hold) / b->bs.width, err);
}

/*
 * A record into the next batch slot (decoded there, with a copy of its
 * bytes unless kept), merged when the batch is full.  Returns 1, -1 when it
 * is damaged, 0 on err.
 */
static int push_decoded(struct binner *b, const struct ra_flow *decoded, struct ra_err *err);

static int push(struct binner *b, const uint8_t *rec, size_t len, bool kept, const struct ra_flow *decoded,
		struct cl_rec **out, struct ra_err *err)
{
	struct cl_rec *cr = &b->batch[b->bi][b->npending];

	if (!cl_rec_decode(rec, len, cr, b->copies[b->bi][b->npending], kept, err))
		return -1;
	if (out)
		*out = cr;
	return push_decoded(b, decoded, err);
}

/* The record just decoded into the next slot, pushed. */
static int push_decoded(struct binner *b, const struct ra_flow *decoded, struct ra_err *err)
{
	struct cl_rec *cr = &b->batch[b->bi][b->npending];

	if (cr->cold) {
		struct ra_flow *f = &b->full[b->bi][b->npending];
		if (decoded)
			*f = *decoded;
		else if (!ra_decode_flow(cr->raw, cr->len, f, err))
			return -1;
		cr->full = f;
	}
	b->pending[b->npending++] = cr;
	return b->npending < CL_BATCH || merge_pending(b, err) ? 1 : 0;
}

/* A record that spans bins, or reaches back into closed ones: cut, its
 * pieces merged as records of their own, those of closed bins counted. */
static bool add_cut(struct binner *b, const struct ra_flow *f, bool *late, struct ra_err *err)
{
	struct bin_cut c;

	bin_cut_start(&c, &b->bs, f);
	while (bin_cut_next(&c, &b->piece)) {
		if (bin_index(&b->bs, b->piece.stime) < b->floor) {
			b->late.pkts += b->piece.spkts + b->piece.dpkts;
			b->late.bytes += b->piece.sbytes + b->piece.dbytes;
			*late = true;
			continue;
		}
		if (push(b, b->enc, ra_encode_flow(&b->piece, b->enc), false, NULL, NULL, err) != 1)
			return false;
	}
	if (*late)
		b->late.records++;
	return true;
}

int binner_put(struct binner *b, const uint8_t *rec, size_t len, bool kept, const struct ra_flow *decoded,
	       bool *late, struct ra_err *err)
{
	struct cl_rec *cr;
	uint64_t first, last, stime;
	int rc;

	*late = false;
	if (b->bs.mode != BIN_TIME) {
		if ((rc = push(b, rec, len, kept, decoded, &cr, err)) != 1)
			return rc;
		b->count++;
		b->size += len;
		if (cr->stime < b->lo)
			b->lo = cr->stime;
		if (cr->ltime > b->hi)
			b->hi = cr->ltime;
		if ((b->bs.mode == BIN_COUNT ? b->count : b->size) >= b->bs.limit && !close_load(b, err))
			return 0;
		return 1;
	}
	/* decoded into the next slot; pushed only when it goes in whole */
	cr = &b->batch[b->bi][b->npending];
	if (!cl_rec_decode(rec, len, cr, b->copies[b->bi][b->npending], kept, err))
		return -1;
	stime = cr->stime;
	bin_span(&b->bs, cr->stime, cr->ltime, &first, &last);
	if (first == last && first >= b->floor) {
		if ((rc = push_decoded(b, decoded, err)) != 1)
			return rc;
	} else {
		if (!decoded) {
			if (!ra_decode_flow(rec, len, &b->whole, err))
				return -1;
			decoded = &b->whole;
		}
		if (!add_cut(b, decoded, late, err))
			return 0;
	}
	return binner_advance(b, stime, err) ? 1 : 0;
}

bool binner_feed(struct binner *b, const uint8_t *p, size_t n, const struct time_range *tr, cl_select_fn select,
		 void *ctx, size_t *used, uint64_t *nrec, struct ra_err *err)
{
	uint64_t lo, hi, w = b->bs.width;

	*used = 0;
	*nrec = 0;
	if (b->bs.mode != BIN_TIME || !b->feedable)
		return true;
	/* records in open bins, up to the first that would close one */
	lo = b->floor * w;
	hi = b->hold == BINNER_HOLD_ALL || b->floor + 1 > (UINT64_MAX - b->hold) / w ? UINT64_MAX
											: (b->floor + 1) * w + b->hold;
	return merge_pending(b, err) && cl_drain(b->t, err) &&
	       cl_feed_bins(b->t, p, n, lo, hi, tr, select, ctx, used, nrec, err);
}

bool binner_finish(struct binner *b, struct ra_err *err)
{
	if (b->bs.mode != BIN_TIME)
		return close_load(b, err);
	return close_time(b, UINT64_MAX, err);
}
