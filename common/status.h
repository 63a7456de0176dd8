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
	RA_SU_CENTI,		/* hundredths, printed with two decimals (12.34) */
};

enum ra_status_aux {
	RA_SA_NONE,		/* aux unused */
	RA_SA_NAME,		/* aux names the item: "unsupported_dlt_147" */
	RA_SA_RECORD,		/* aux is the record's own (sub-agent, ifindex),
				 * printed once under the kind's aux_name */
	RA_SA_MISSING,		/* aux RA_STATUS_MISSING: the value could not be
				 * read; printed "-" (JSON null) */
};
#define RA_STATUS_MISSING 1u

/*
 * Item keys of a host health record (RA_STATUS_HOST, argus/health.c).  A
 * host-wide record holds 1-19; a listening socket's record (its source is
 * the socket's local address) holds 20-23.  CPU shares and load averages
 * are hundredths; TcpExt counters are the increase over the interval.
 */
enum ra_host_key {
	RA_HK_CPU = 1, RA_HK_CPU_USER, RA_HK_CPU_SYS, RA_HK_CPU_IOWAIT, RA_HK_CPU_SOFTIRQ,
	RA_HK_MEMTOTAL, RA_HK_MEMAVAIL, RA_HK_LOAD1, RA_HK_LOAD5, RA_HK_LOAD15,
	RA_HK_SYNCOOKIES_SENT, RA_HK_SYNCOOKIES_RECV, RA_HK_SYNCOOKIES_FAILED,
	RA_HK_LISTEN_OVERFLOWS, RA_HK_LISTEN_DROPS, RA_HK_REQQ_FULL_DROP, RA_HK_REQQ_FULL_DOCOOKIES,
	RA_HK_LISTENERS,	/* listening sockets watched (missing: sock_diag refused) */
	RA_HK_INTERVAL,		/* microseconds the deltas cover (0 on the first sample) */
	RA_HK_LPORT = 20, RA_HK_ACCEPTQ, RA_HK_ACCEPTMAX, RA_HK_SYNRECV,
};

/* The value of item key of kind in st; false when absent or missing. */
bool ra_status_value(const struct ra_status *st, unsigned kind, uint32_t key, uint64_t *value);

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
