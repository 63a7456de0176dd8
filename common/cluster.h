/*
 * cluster.h - the aggregation engine every aggregating client shares
 * (racluster, rabins, ratop, raban): -m keys compiled once, a hash table of
 * groups (open addressing, groups stored in an arena), and the merge of a
 * flow into its group the way Argus merges.  doc/HACKING.md shows the calls
 * in the order a client makes them.
 */
#ifndef COMMON_CLUSTER_H
#define COMMON_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "field.h"
#include "record.h"

#define CL_MAX_KEYS 32
#define CL_MAX_KEYLEN 256
#define CL_NO_PREFIX 255	/* address printed whole, no "/len" */

/* One item of an IPv4 record's key that varies from record to record. */
struct cl_op4 {
	uint8_t kind;		/* CL_K4_x (plain4.h) */
	uint8_t arg;		/* which address, port or byte */
	uint16_t offset;	/* where the item starts in the key */
	uint32_t mask;		/* addresses: the prefix mask */
	uint8_t word, shift;	/* where its value goes: key word, bit (little-endian) */
	bool spill;		/* the value runs on into the next word */
	/* where a plain record (plain4.h) holds it: the 4 bytes at src, read
	 * little-endian (big-endian when be), shifted right by rshift, masked */
	uint8_t src, rshift;
	bool be;
	uint32_t vmask;
	uint8_t mask6[16];	/* addresses of IPv6 records (plain6.h): the prefix mask */
};

/* One -m word, compiled. */
struct cl_keyitem {
	uint8_t field;		/* enum fld_id */
	uint8_t masklen;	/* addresses: prefix length, CL_NO_PREFIX when none */
	uint16_t offset;	/* where its bytes go in the key */
};

struct cl_spec {
	int nitems;
	struct cl_keyitem items[CL_MAX_KEYS];
	bool flow;		/* no -m: the flow's own identity, with direction correction */
	bool matrix;		/* unordered address pair */
	uint8_t matrix_len;	/* its mask, CL_NO_PREFIX when none */
	bool rmon;		/* -M rmon: each record once per address, as its source */
	uint64_t keyed[2];	/* field ids the key fixes: never "differs" */
	size_t keylen;		/* bytes, a multiple of 8 */
	int16_t pair_at[4];	/* key offsets of saddr, daddr, sport, dport; -1: not keyed */
	uint8_t addr_mask[2];	/* masks of the saddr and daddr items, CL_NO_PREFIX when none */
	/* the key of an IPv4 record without cold blocks, compiled: what is
	 * constant for such records, then the items that vary */
	uint64_t key4[CL_MAX_KEYLEN / 8];
	uint64_t key6[CL_MAX_KEYLEN / 8];	/* the same for IPv6 records (their family bytes) */
	struct cl_op4 ops4[CL_MAX_KEYS];
	int nops4;		/* -1: no such compiled key (it is too long) */
	bool flow4;		/* the flow key, compiled: its varying items are these five */
	int8_t flow4_op[5];	/* ops4 of saddr, daddr, sport, dport, proto */
	bool addr1;		/* the key is one address item at its start (-m saddr, daddr/24 ...):
				 * ops4[0], into bytes 1-4 of the first word (plain_key_raw) */
	uint64_t bin_width;	/* cl_spec_bin: microseconds; 0 when not keyed by time bin */
	uint16_t bin_at;	/* where the bin's word is in the key */
	/* A key is `service`: its name comes from the payload, which the
	 * table's copies of records leave out.  Every record then comes
	 * whole and labelled (cl_rec_whole), nothing is keyed from raw bytes
	 * (no cl_feed), and a group is merged from its first record, so its
	 * key and label are kept rather than made again from the copy. */
	bool whole;
};

/*
 * Compile -m words ("saddr/24", "proto", "matrix/16", "none" ...).  n == 0
 * gives the flow key.  Returns false with err (RA_ERR_USAGE) on an
 * unknown word, a field that is not an identity, or a bad mask.
 */
bool cl_spec_parse(struct cl_spec *s, const char *const *words, int n, bool rmon,
		   struct ra_err *err);

/*
 * Key by time bin as well (rabins, ragraph): one more key word, the
 * record's start time divided by width (microseconds), so that one table
 * holds the groups of many bins.  The caller cuts a record that spans bins
 * into pieces that each start in their bin (bins.h).  cl_feed does not take
 * such a spec (cl_feed_usable says no).  false with err (RA_ERR_USAGE) when
 * the key would be too long or width is 0.
 */
bool cl_spec_bin(struct cl_spec *s, uint64_t width, struct ra_err *err);

/* A group as it is emitted: its merged record and what printing it needs. */
struct cl_group {
	uint64_t blank[2];	/* field ids that differ across the group: print empty */
	uint8_t prefix[2];	/* saddr, daddr common-prefix length or CL_NO_PREFIX */
	struct ra_flow f;	/* merged record; differing identities zeroed */
};

#define CL_REC_COPY_MAX 512	/* a record's bytes without payload: core and known blocks */

/*
 * A flow record as the table takes it.  cl_rec_decode reads the core and
 * the blocks the table merges itself (wide counters, sequence number,
 * handshake times, TCP counters, aggregation) into fixed words, and copies
 * the record without payload into `copy`.  A record with rarer blocks (L2,
 * timing, ID, ICMP) has `cold` set: decode the copy whole with
 * ra_decode_flow and point `full` at it before handing it over.
 */
struct cl_rec {
	uint64_t id0;		/* bytes: proto family sttl dttl sdsb ddsb secn decn */
	uint64_t id1;		/* sport | dport << 16 | seq << 32 */
	union ra_addr saddr, daddr;
	uint64_t cnt[6];	/* spkts dpkts sbytes dbytes sappbytes dappbytes */
	uint64_t stime, ltime;
	uint64_t dur_min, dur_max, dur_sum;
	double dur_sumsq;	/* microseconds^2 (on disk: seconds^2) */
	uint64_t blank[2];	/* marks of an already merged record */
	uint32_t trans;
	uint32_t synack, ackdat;
	uint32_t tcp[6];	/* TCP counters (struct cl_tcp), when has_tcp */
	uint32_t present;	/* 1 << RA_BLK_x, payload left out */
	uint16_t flgs, etype, len;
	uint8_t family, state, cause, dir, stcpflags, dtcpflags;
	uint8_t prefix_set, sprefix, dprefix;
	bool cold;
	bool has_tcp;		/* it has the TCP counters block */
	bool in_place;		/* raw is the input itself, mapped as long as the table */
	const uint8_t *raw;	/* len bytes: the record without payload */
	const struct ra_flow *full;	/* the whole record, when cold; else NULL */
};

/* in_place: buf outlives the table (a file the reader keeps mapped), so a
 * record that needs no stripping is not copied. */
bool cl_rec_decode(const uint8_t *buf, size_t len, struct cl_rec *r, uint8_t *copy, bool in_place,
		   struct ra_err *err);

/*
 * Under a spec that keys service (s->whole), r is handed over with f, its
 * record decoded whole from the bytes as they came (payload included):
 * f->service is set to label, or when it is NULL to the name svc_label
 * gives with the signatures built in (a label must outlive the table),
 * then f's payload is dropped (f may outlive the bytes it came from), and
 * r points at f.
 */
void cl_rec_whole(struct cl_rec *r, struct ra_flow *f, const char *label);

struct cl_table;

struct cl_table *cl_table_new(const struct cl_spec *s, struct ra_err *err);
void cl_table_free(struct cl_table *t);

#define CL_BATCH 16
#define CL_INFLIGHT 3	/* batches of records the table holds on to */

/* Merge one flow (its group is created on first sight): for tests. */
bool cl_add(struct cl_table *t, const struct ra_flow *f, struct ra_err *err);
/*
 * Merge n <= CL_BATCH records in order; faster: memory is fetched ahead.
 * The merge of a batch completes two calls later (or in cl_drain), so
 * the records (and their copies and full decodes) must stay unchanged
 * until then: rotate CL_INFLIGHT buffers.
 */
bool cl_add_batch(struct cl_table *t, const struct cl_rec *const *rs, int n, struct ra_err *err);
/* Which records cl_feed takes: 1 this one, 0 not (a filter said no), -1
 * it is damaged (left to the caller's reader, which reports it). */
typedef int (*cl_select_fn)(void *ctx, const uint8_t *rec, size_t len);

/*
 * Records framed here rather than one by one: from the n bytes at p (in an
 * input kept mapped as long as the table) as many whole flow records as
 * come, up to the first record of another type or a damaged one; those
 * outside tr, or that select (when not NULL) does not take, are skipped.
 * *used, *nrec: the bytes and records taken.  All are merged when it
 * returns; call cl_drain before.  Only for specs cl_feed_usable takes (not
 * matrix, not rmon); false with err out of memory.
 */
struct time_range;
bool cl_feed_usable(const struct cl_spec *s);
bool cl_feed(struct cl_table *t, const uint8_t *p, size_t n, const struct time_range *tr, cl_select_fn select,
	     void *ctx, size_t *used, uint64_t *nrec, struct ra_err *err);
/*
 * cl_feed for a spec keyed by time bin (cl_spec_bin): it takes the records
 * that start in [lo, hi) and end within the bin they start in, and stops at
 * the first other one (the caller cuts it into its bins, or finds it late).
 */
bool cl_feed_bins_usable(const struct cl_spec *s);
bool cl_feed_bins(struct cl_table *t, const uint8_t *p, size_t n, uint64_t lo, uint64_t hi,
		  const struct time_range *tr, cl_select_fn select, void *ctx, size_t *used, uint64_t *nrec,
		  struct ra_err *err);
/*
 * A client's input framed in place (clintake.c): the next span of a
 * reader's kept map handed to a framing intake (cl_feed, binner_feed: ctx
 * is the caller's table or binner), with the client's filter as its
 * selection, and the reader moved past what it took.
 */
#define CL_INTAKE_BYTES ((size_t)16 << 20)	/* at a time: the reader gives back the pages behind */
typedef bool (*cl_intake_fn)(void *ctx, const uint8_t *p, size_t n, const struct time_range *tr,
			     cl_select_fn select, void *sctx, size_t *used, uint64_t *nrec, struct ra_err *err);
struct ra_reader;
struct ra_filter;
struct cl_intake {
	struct ra_reader *rd;		/* keeps its inputs mapped (ra_reader_keep) or not */
	const struct time_range *tr;
	const struct ra_filter *flt;	/* NULL: no selection */
	struct ra_flow *f;		/* where a record is decoded whole for the filter */
	cl_intake_fn feed;
	void *ctx;			/* feed's */
};
/* Hand the next span of in->rd's kept map (at most CL_INTAKE_BYTES) to
 * in->feed; *fed: it took any (false also when the reader has no span:
 * read the next record the usual way).  false when feed failed, with err
 * filled or, when feed reported it itself, empty. */
bool cl_intake_next(struct cl_intake *in, bool *fed, struct ra_err *err);

/* Complete the merge of the last batch; call before cl_flush and cl_evict_idle. */
bool cl_drain(struct cl_table *t, struct ra_err *err);

/* Called for each group emitted (the group is the table's scratch, valid
 * during the call); return false to stop (error already reported). */
typedef bool (*cl_emit_fn)(void *ctx, struct cl_group *g);

/* Emit every group, in the order first seen, and empty the table. */
bool cl_flush(struct cl_table *t, cl_emit_fn fn, void *ctx);

/* A group emitted as the bytes of its record (rec, len bytes: valid
 * during the call); return false to stop. */
typedef bool (*cl_emit_raw_fn)(void *ctx, const uint8_t *rec, size_t len);
/* cl_flush, where a group of one record that cl_one_raw can write is
 * handed to raw as those bytes rather than decoded for fn. */
bool cl_flush_raw(struct cl_table *t, cl_emit_fn fn, cl_emit_raw_fn raw, void *ctx);
/* A group of one record (rec, len bytes, its directions as they came)
 * into out as ra_encode_flow writes the group cl_materialize_one makes of
 * it: the record as it came with an AGG block added, when it is a plain
 * IPv4 or IPv6 record whose blocks are those the encoder would write, and
 * s masks no addresses.  Returns its length, 0 for any other record.  out
 * holds CL_ONE_RAW_MAX bytes. */
#define CL_ONE_RAW_MAX 256
size_t cl_one_raw(const struct cl_spec *s, const uint8_t *rec, size_t len, uint8_t *out);
/* Emit and drop the groups whose last time is before `before` (microseconds). */
bool cl_evict_idle(struct cl_table *t, uint64_t before, cl_emit_fn fn, void *ctx);
/* Emit and drop the groups whose first time is before `before`: under
 * cl_spec_bin, the groups of the bins that end by then. */
bool cl_evict_started(struct cl_table *t, uint64_t before, cl_emit_fn fn, void *ctx);

/*
 * Groups seen without emptying the table (a live view such as ratop's).
 * A group's place is its rank in first-seen order among the live groups
 * (0 the oldest, cl_count - 1 the newest).  New groups take the next
 * places; eviction closes the gaps, the rest keeping their order.  So an
 * array a caller keeps by place (a rate window per group) follows the
 * table: append for new groups, compact the same way after cl_evict_set.
 */
typedef bool (*cl_visit_fn)(void *ctx, size_t place, struct cl_group *g);
/* Visit the groups in order of place (all of them, or when want is not
 * NULL, only those whose bit is set: bit p of want[p / 64], for places
 * below nbits; places from nbits on are not wanted); the group is the
 * table's scratch, valid during the call.  Return false to stop.
 * Completes pending merges first (call cl_drain before to see errors). */
bool cl_scan(struct cl_table *t, const uint64_t *want, size_t nbits, cl_visit_fn fn, void *ctx);
/* Drop the groups whose place (below nbits) has its bit set in gone
 * (emitted first through fn when it is not NULL). */
bool cl_evict_set(struct cl_table *t, const uint64_t *gone, size_t nbits, cl_emit_fn fn, void *ctx);

size_t cl_count(const struct cl_table *t);	/* live groups */
size_t cl_memory(const struct cl_table *t);	/* bytes held by arena and index */

/* Helpers shared with the unit test. */
unsigned cl_common_prefix(const uint8_t *a, const uint8_t *b, unsigned bits);
void cl_swap_flow(struct ra_flow *f);

#endif
