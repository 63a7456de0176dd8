/*
 * status.h - the items of status records (the daemon's health, sFlow
 * agents, interfaces) as people read them: one table row per item key
 * gives its name (the CSV item and JSON key), its unit and what its aux
 * word means, so ra can print any status record, and a new kind of
 * status record (a host's health, say) adds its rows and its kind name
 * here and prints, filters (the word "man") and converts everywhere.
 * The keys are the daemon's (argus/output.h, sflow_decode.h,
 * sflow_feed.h); argus(8) lists them.  test_status checks both agree.
 */
#ifndef COMMON_STATUS_H
#define COMMON_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

enum ra_status_unit {
	RA_SU_COUNT,		/* an integer */
	RA_SU_USEC,		/* microseconds, printed as seconds */
};

enum ra_status_aux {
	RA_SA_NONE,		/* aux unused */
	RA_SA_NAME,		/* aux names the item: "unsupported_dlt_147" */
	RA_SA_RECORD,		/* aux is the record's own (sub-agent, ifindex),
				 * printed once under the kind's aux_name */
};

struct ra_status_key {
	uint8_t kind;		/* enum ra_status_kind */
	uint16_t key;
	uint8_t unit;		/* enum ra_status_unit */
	uint8_t aux;		/* enum ra_status_aux */
	const char *name;
};

struct ra_status_kind_info {
	uint8_t kind;
	const char *name;	/* "daemon", "agent", "iface" */
	const char *aux_name;	/* what RA_SA_RECORD aux words are, or NULL */
};

extern const struct ra_status_key ra_status_keys[];
extern const size_t ra_status_nkeys;

/* The row of an item, or NULL for a key this build does not know. */
const struct ra_status_key *ra_status_key_find(unsigned kind, uint32_t key);
/* The kind's row; NULL for a kind this build does not know. */
const struct ra_status_kind_info *ra_status_kind_find(unsigned kind);

/*
 * One printable item of a status record: name and value as text.  The
 * record-level aux (RA_SA_RECORD) comes first as an item of its own.
 * Call with i from 0 while it returns true; names and values go into the
 * caller's buffers (64 bytes each are plenty).
 */
struct ra_status_iter {
	unsigned next;		/* item index */
	int aux_done;		/* record aux emitted (or none) */
	uint32_t record_aux;
};
void ra_status_iter_init(struct ra_status_iter *it, const struct ra_status *st);
bool ra_status_iter_next(struct ra_status_iter *it, const struct ra_status *st, char *name, size_t ncap,
			char *value, size_t vcap);

/*
 * The status record as the filter sees it: family RA_AF_STATUS (the word
 * "man"), stime = ltime = its time, srcid its source.  f is overwritten.
 */
void ra_status_view(const struct ra_status *st, struct ra_flow *f);

#endif
