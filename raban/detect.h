/*
 * detect.h - per-key rates and the ban state machine.
 *
 * One table per trigger, keyed by host, prefix or net (the trigger's
 * aggregate-type).  A key's counters are a ring of DET_BUCKETS buckets
 * covering the window; a rate is the sum of the ring divided by the window
 * (a sliding-window average).  A sample updates one key and evaluates only
 * that key's thresholds, so the work per sample is constant; a tick (every
 * bucket) only scans the standing bans and a slice of the table for idle
 * keys.  Tables are bounded (max-keys); keys that find no room are counted.
 */
#ifndef RABAN_DETECT_H
#define RABAN_DETECT_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"
#include "filter.h"
#include "sample.h"

#define DET_BUCKETS 5			/* buckets per window */
#define DET_CONTRIB 4096		/* recent samples kept per trigger for FLOWS */
#define DET_FLOWS_MAX 100		/* rows of FLOWS */
#define DET_IDLE_MS 60000		/* idle keys expire (sooner when the table is full) */

struct det_key {
	uint8_t family;			/* address family; 0 for a net key */
	uint8_t plen;			/* prefix length (prefix keys) */
	uint16_t net;			/* prefix list (net keys, and the network of any key) */
	uint32_t pfx;			/* element of that list that matched */
	union ra_addr addr;
};

struct det_rates {
	uint64_t in_bps, out_bps, in_pps, out_pps;
};

struct ban {
	bool used;
	unsigned trigger, level;
	struct det_key key;
	uint8_t af;			/* family of the traffic (AF for scripts) */
	uint64_t first_ms, last_ms;	/* first and last exceedance */
	uint64_t ban_ms;
	struct det_rates at_ban, peak;
	char tname[128], lname[64];	/* trigger and level names ("" for level 0) */
	char health[160];		/* a health trigger's values that held ("" otherwise) */
};

struct det_stats {
	uint64_t samples, matched, keys_full, evicted, expired, bans_full;
};

struct detect;

/* What the detector tells its owner. */
struct det_events {
	void *ctx;
	/* A new ban; flows is the FLOWS CSV (header and up to 100 rows). */
	void (*ban)(void *ctx, const struct ban *b, const char *flows);
	void (*unban)(void *ctx, const struct ban *b);
};

struct detect *detect_new(const struct conf *c, const struct det_events *ev, char *err, size_t errcap);
void detect_free(struct detect *d);

/* Count one sample at s->t_ms (the clock never goes back). */
void detect_sample(struct detect *d, struct sample *s);
/*
 * A host status record (kind RA_STATUS_HOST) of the input, for the health
 * triggers, read at now_ms on the detector's clock (its own time, in
 * microseconds, orders and spaces the records).
 */
void detect_health(struct detect *d, const struct ra_status *st, uint64_t now_ms);
/* Whether any trigger reads host status records. */
bool detect_wants_health(const struct detect *d);
/* Move the clock: unban what has been quiet for min-ban-time, expire idle keys. */
void detect_tick(struct detect *d, uint64_t now_ms);

/* Standing bans: index 0 .. detect_nbans()-1, some unused. */
unsigned detect_bans_hwm(const struct detect *d);
const struct ban *detect_ban(const struct detect *d, unsigned i);
/* Restore a ban from the state file (no script runs); false when it does not fit. */
bool detect_restore(struct detect *d, const struct ban *b);
/* Move the standing bans of old (same trigger names and levels) into d. */
void detect_take_bans(struct detect *d, struct detect *old);

/* TARGET, PREFIX and NET as scripts see them. */
void detect_target(const struct detect *d, const struct ban *b, char *target, size_t tcap,
		   char *prefix, size_t pcap, const char **net);

/* The status file (apermon's CSV); false with errno on a write error. */
bool detect_status(const struct detect *d, const char *path);

const struct det_stats *detect_stats(const struct detect *d);
const struct conf *detect_conf(const struct detect *d);
uint64_t detect_now(const struct detect *d);

#endif
