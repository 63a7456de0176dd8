/*
 * senders.h - the threads that send batches while the reader fills the
 * next: each sender has its own connection, so the server inserts several
 * batches at once (one per core), and reading and encoding overlap with
 * the inserts.  Full batches wait in a queue; the reader takes an empty
 * buffer, which waits for one when every buffer is full or being sent.
 */
#ifndef RACLICKHOUSE_SENDERS_H
#define RACLICKHOUSE_SENDERS_H

#include <pthread.h>
#include <stdbool.h>

#include "conf.h"
#include "ship.h"

#define SENDERS_MAX 8

struct senders {
	int n;
	struct shipper sh[SENDERS_MAX];
	pthread_t th[SENDERS_MAX];
	int started;
	pthread_mutex_t mu;		/* the shippers' shared state */
	pthread_mutex_t qmu;		/* the queue and the buffers */
	pthread_cond_t cv;
	struct batch bufs[SENDERS_MAX + 1];
	struct batch *queue[SENDERS_MAX + 1];
	int qhead, qlen;
	struct batch *idle[SENDERS_MAX + 1];
	int nidle;
	bool closing, failed;
	struct ra_err err;		/* the first failure */
};

/* n senders (1..SENDERS_MAX) to the table of cf, buffers of cap bytes. */
bool senders_init(struct senders *s, int n, const struct conf *cf, const struct ch_schema *schema,
		  struct spool *spool, const volatile int *stop, size_t cap, struct ra_err *err);
bool senders_start(struct senders *s, struct ra_err *err);
/* An empty buffer; NULL once a sender has failed. */
struct batch *senders_get(struct senders *s);
/* Queue a full buffer from senders_get. */
void senders_put(struct senders *s, struct batch *b);
/* Send what is queued, end the threads.  False with err when a sender failed. */
bool senders_finish(struct senders *s, struct ra_err *err);
/* The counters of every sender. */
struct ship_counts senders_counts(struct senders *s);
void senders_free(struct senders *s);

#endif
