/*
 * det_int.h - the detector's insides, shared by detect.c (tables, rates,
 * thresholds) and detect_ban.c (set-up, sample routing, bans, FLOWS).
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
void det_ban(struct detect *d, struct trig *t, struct ent *e, unsigned level);
void det_unban(struct detect *d, unsigned i);
void det_contrib(struct trig *t, const struct det_key *k, const struct sample *s);

#endif
