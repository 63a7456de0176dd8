/*
 * ship.h - getting batches into the table, exactly once: an identity per
 * batch, retries with backoff, the spool while the server is away, and
 * the counters raclickhouse reports.
 */
#ifndef RACLICKHOUSE_SHIP_H
#define RACLICKHOUSE_SHIP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "chttp.h"
#include "schema.h"
#include "spool.h"

struct ship_counts {
	uint64_t sent;		/* records the table took */
	uint64_t retried;	/* records of attempts that failed and were made again */
	uint64_t spooled;	/* records written to the spool */
	uint64_t dropped;	/* records given up: spool full, or the server away too long */
};

/*
 * One per sender thread, each with its own connection.  The senders share
 * one spool: mu (NULL for a lone sender) guards it, the counters and the
 * away state of every shipper that points at it.
 */
struct shipper {
	pthread_mutex_t *mu;
	void *owner;			/* the senders this shipper is one of */
	struct ch_conn *conn;
	const struct ch_schema *schema;
	const char *db, *table;
	char insert_sql[2048];
	struct spool *spool;		/* NULL: no spool, wait for the server instead */
	unsigned wait_s;		/* how long the server may be away (no spool, or at the end) */
	const volatile int *stop;	/* set by a signal: give up waiting */
	bool away;
	double next_try, backoff;
	bool warned_full;
	bool damaged;			/* a spooled batch was damaged and dropped */
	struct batch tmp, sub;		/* a spooled batch; the missing rows of a partial one */
	struct ship_counts n;
};

bool ship_init(struct shipper *sh, struct ch_conn *conn, const struct ch_schema *schema, const char *db,
	       const char *table, struct ra_err *err);
void ship_free(struct shipper *sh);

/*
 * Deliver b: sent, or spooled, or (spool full) dropped and counted.
 * Returns true; false with err filled when the server refused it (its
 * error text) or, without a spool, stayed away longer than wait_s.
 */
bool ship_batch(struct shipper *sh, struct batch *b, struct ra_err *err);

/* Send what the spool holds, waiting up to wait_s for the server.  Returns
 * 1 when the spool is empty, 0 when the server stayed away (err says why),
 * -1 when the server refused a batch (err). */
int ship_drain(struct shipper *sh, bool wait, struct ra_err *err);

/* Seconds on the monotonic clock. */
double ship_now(void);

#endif
