/*
 * det_int.h - the detector's insides, shared by detect.c (tables, rates,
 * thresholds), detect_ban.c (set-up, sample routing, bans, FLOWS) and
 * detect_health.c (health triggers).
 */
#ifndef RABAN_DET_INT_H
#define RABAN_DET_INT_H

#include <stddef.h>
#include <stdint.h>

#include "detect.h"

struct lvl {
	uint64_t first_ms, last_ms;	/* exceedance not yet banned (burst-period) */
	uint32_t ban;			/* index + 1 in bans, 0 = none */
	uint32_t pad;
};

/* An entry: this header, nlevels struct lvl, then DET_BUCKETS x nslots int64. */
struct ent {
	uint32_t hash;
	uint8_t used, af;
	uint16_t pad;
	uint64_t epoch;			/* bucket number of the newest bucket */
	uint64_t seen_ms;
	struct det_key key;
	struct lvl lv[];
};

struct contrib {
	struct det_key key;
	uint8_t family, proto, frag;
	uint16_t sport, dport;
	uint32_t inif, outif;
	union ra_addr src, dst;
	uint64_t bytes, pkts;
};

/* A health trigger's reading of the host status records (detect_health.c). */
struct hstate {
	uint64_t step_us;		/* record time of the records being read */
	bool step_true;			/* one of them held the condition */
	bool on;			/* fired; stays on while the clear condition holds */
	uint64_t since_us, last_us;	/* the current run of records that held (record time) */
	uint64_t interval_us;		/* of the latest host-wide record (1 s until one says) */
	char why[160];			/* the values that held, for the scripts */
};

struct trig {
	const struct conf_trigger *t;
	unsigned idx, nlevels;
	bool has_thr[CONF_MAX_LEVELS];
	int slot[M_COUNT];		/* first of the two slots (in, out), -1 when unused */
	unsigned nslots;
	size_t esize;
	uint8_t *tab;
	size_t cap, n, hand;
	uint64_t max_keys;
	uint64_t window_ms, bucket_ms, min_ban_ms, burst_ms;
	struct ra_filter *fexpr;
	struct contrib *ring;
	unsigned ring_pos;
	uint64_t ring_n;
	struct hstate h;
};

struct detect {
	const struct conf *c;
	struct det_events ev;
	struct trig *trig;
	unsigned ntrig;
	struct ban *bans;
	unsigned nbans_cap, hwm, max_bans;
	uint64_t now_ms;
	struct det_stats st;
	struct ra_flow scratch;		/* a sample as a record, for filter-expression */
	char flows[16384];
};

static inline int64_t *ent_buckets(const struct trig *t, const struct ent *e)
{
	return (int64_t *)((uint8_t *)e + sizeof(struct ent) + t->nlevels * sizeof(struct lvl));
}

void det_tab_free(uint8_t *tab, size_t cap, size_t esize);
uint32_t det_key_hash(const struct det_key *k);
struct ent *det_find(struct trig *t, const struct det_key *k, uint32_t h);
struct ent *det_insert(struct detect *d, struct trig *t, const struct det_key *k, uint32_t h);
void det_count(struct detect *d, struct trig *t, const struct det_key *k, unsigned dir,
	       const struct sample *s);
void det_rates(const struct trig *t, const struct ent *e, struct det_rates *r);
/* Clear the buckets of e that expired by now; the window's sum of metric m in direction dir. */
void det_rotate(const struct trig *t, struct ent *e, uint64_t now);
uint64_t det_sum(const struct trig *t, const struct ent *e, unsigned m, unsigned dir);
struct ent *det_slot(const struct trig *t, size_t i);
void det_ban(struct detect *d, struct trig *t, struct ent *e, unsigned level);
void det_unban(struct detect *d, unsigned i);
void det_contrib(struct trig *t, const struct det_key *k, const struct sample *s);

#endif
