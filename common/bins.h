/*
 * bins.h - time bins and load bins as rabins and ragraph cut records into:
 * the -M words that choose them, bin arithmetic, the cutting of a record
 * into one piece per time bin it spans (counters shared out so the pieces
 * add up exactly to the record), and the open bins of a stream held in one
 * aggregation table keyed by bin (struct binner).
 */
#ifndef COMMON_BINS_H
#define COMMON_BINS_H

#include <stdbool.h>
#include <stdint.h>

#include "cluster.h"
#include "error.h"
#include "record.h"

enum bin_mode { BIN_TIME, BIN_COUNT, BIN_SIZE };

struct bin_spec {
	enum bin_mode mode;
	uint64_t width;		/* BIN_TIME: microseconds */
	uint64_t limit;		/* BIN_COUNT: records; BIN_SIZE: bytes of records */
	bool hard;		/* pieces stamped with their bin's bounds */
	bool nomodify;		/* a record whole in the bin of its start */
};

/*
 * The -M words of a binning client: "time N[smhd]" (or a bare "N[smhd]",
 * as Argus takes "-M 1s"), "count N[kmb]", "size N[kmb]", "hard",
 * "nomodify".  Words that are none of these are left, in order, in rest
 * (*nrest of them; rest holds n).  false with err (RA_ERR_USAGE) on a
 * malformed or missing count or width, or no bin mode at all.
 */
bool bin_spec_parse(struct bin_spec *b, const char *const *words, int n, const char **rest, int *nrest,
		     struct ra_err *err);

static inline uint64_t bin_index(const struct bin_spec *b, uint64_t t)
{
	return t / b->width;
}

/* The bins a record [stime, ltime] touches: first and last (inclusive).
 * A record that ends on a bin's start is not in that bin. */
static inline void bin_span(const struct bin_spec *b, uint64_t stime, uint64_t ltime, uint64_t *first,
			    uint64_t *last)
{
	*first = stime / b->width;
	*last = ltime > stime && !b->nomodify ? (ltime - 1) / b->width : *first;
}

/*
 * A record cut into its time bins, piece by piece:
 *
 *	bin_cut_start(&c, spec, f);
 *	while (bin_cut_next(&c, &piece)) ... piece starts in bin_index(piece.stime)
 *
 * Per direction, with P packets and B bytes over the record's duration D,
 * the pieces up to bin i hold floor(P * T_i / D) packets in all (at least
 * one: the first packet is at the start), where T_i is the time from the
 * start to the end of bin i; a piece then holds B * p / P bytes, rounded
 * down, of its p packets (application bytes and TCP counters likewise),
 * and the last piece holds what is left, so the pieces add up exactly.
 * Pieces without packets or bytes are skipped.
 */
struct bin_cut {
	const struct bin_spec *s;
	const struct ra_flow *f;
	uint64_t bin, last;		/* the next bin, the last */
	uint64_t pkts[2];		/* packets given out so far, by direction */
	uint64_t left[2][5];		/* bytes, app bytes, retrans, ooo, winshut left */
	bool first;
};

void bin_cut_start(struct bin_cut *c, const struct bin_spec *s, const struct ra_flow *f);
bool bin_cut_next(struct bin_cut *c, struct ra_flow *piece);

/*
 * The open bins of a stream, in one aggregation table (cl_spec_bin).  Time
 * bins close when the stream's time (the latest start time seen) has passed
 * their end by `hold`; with no hold (BINNER_HOLD_ALL) they all close at the
 * end.  A piece of a record that falls in a bin already closed is not
 * merged: it is counted late (binner_late).  Count and size bins close when
 * full.  Groups come out bin by bin, in time order.
 */
#define BINNER_HOLD_ALL UINT64_MAX

struct bin_info {
	uint64_t index;		/* time bins: start / width; load bins: 0, 1, 2 ... */
	uint64_t start, end;	/* time bins: the bounds; load bins: the groups' span */
};

/* Each group of a closing bin, then (g NULL) the end of that bin. */
typedef bool (*binner_emit_fn)(void *ctx, const struct bin_info *b, struct cl_group *g);

struct binner_late {
	uint64_t records, pkts, bytes;	/* pieces that came after their bin had closed */
};

struct binner;

struct binner *binner_new(const struct bin_spec *bs, const struct cl_spec *cs, uint64_t hold, binner_emit_fn fn,
			  void *ctx, struct ra_err *err);
void binner_free(struct binner *b);
/*
 * One framed flow record in (len bytes; kept: it stays valid as long as
 * the binner, see ra_reader_kept).  decoded: the record decoded whole, when
 * the caller has it (for its filter), or NULL.  *late: some of it came after
 * its bin had closed (counted in binner_late, not merged).  Returns 1, -1
 * when the record is damaged (err filled: the caller reports it with its
 * place), 0 when the output failed (the emit function said so) or on err.
 */
int binner_put(struct binner *b, const uint8_t *rec, size_t len, bool kept, const struct ra_flow *decoded,
	       bool *late, struct ra_err *err);
/*
 * Records framed here rather than one by one (see cl_feed): from the n
 * bytes at p, of an input kept mapped as long as the binner, as many whole
 * flow records as lie each within one open time bin and close none, up to
 * the first other one (which binner_put then takes).  *used, *nrec: the
 * bytes and records taken (0 when the spec is not one cl_feed_bins takes).
 */
bool binner_feed(struct binner *b, const uint8_t *p, size_t n, const struct time_range *tr, cl_select_fn select,
		 void *ctx, size_t *used, uint64_t *nrec, struct ra_err *err);
/* The stream's time moved on to now (a live stream's clock): close bins. */
bool binner_advance(struct binner *b, uint64_t now, struct ra_err *err);
/* Close every bin still open. */
bool binner_finish(struct binner *b, struct ra_err *err);
const struct binner_late *binner_late(const struct binner *b);
size_t binner_groups(const struct binner *b);	/* groups held */

/*
 * Host health records (status kind RA_STATUS_HOST) in time bins: per bin
 * and key, counter deltas and their interval add up, gauges keep the
 * bin's worst value (the highest CPU, load, accept queue, half-open count,
 * listeners; the lowest memory available).  The host-wide record and the
 * listeners' stay apart; listeners are kept apart by lport and by their
 * address as keys asks (HB_KEY_ bits; both: one group per listener).  A
 * group comes out as a status record with one item per key, stamped with
 * its first record's time (its bin's start under -M hard).
 */
enum { HB_KEY_LPORT = 1, HB_KEY_SADDR = 2 };
/* ltime: the group's last record's time (its bin's end under -M hard). */
typedef bool (*hbinner_emit_fn)(void *ctx, const struct bin_info *b, const struct ra_status *st, uint64_t ltime);
struct hbinner;
struct hbinner *hbinner_new(const struct bin_spec *bs, unsigned keys, hbinner_emit_fn fn, void *ctx,
			    struct ra_err *err);
void hbinner_free(struct hbinner *h);
/* One record in (other kinds are ignored); false with err when out of memory. */
bool hbinner_put(struct hbinner *h, const struct ra_status *st, struct ra_err *err);
/* Emit the groups of bins below upto, bin by bin in first-seen order; false when fn said so. */
bool hbinner_close(struct hbinner *h, uint64_t upto);
bool hbinner_finish(struct hbinner *h);
size_t hbinner_groups(const struct hbinner *h);

#endif
