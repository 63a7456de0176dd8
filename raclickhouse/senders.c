/*
 * senders.c - sender threads over a queue of full batches (senders.h).
 * A sender that fails (the server refused a batch, or stayed away with no
 * spool) records the first error and stops taking batches; the reader
 * then gets no more buffers and ends.
 */
#include "config.h"

#include "senders.h"

#include <stdlib.h>
#include <string.h>

static void *sender(void *arg)
{
	struct shipper *sh = arg;
	struct senders *s = sh->owner;

	for (;;) {
		struct batch *b;
		struct ra_err err;

		pthread_mutex_lock(&s->qmu);
		while (s->qlen == 0 && !s->closing && !s->failed)
			pthread_cond_wait(&s->cv, &s->qmu);
		if (s->qlen == 0 || s->failed) {
			pthread_mutex_unlock(&s->qmu);
			return NULL;
		}
		b = s->queue[s->qhead];
		s->qhead = (s->qhead + 1) % (SENDERS_MAX + 1);
		s->qlen--;
		pthread_mutex_unlock(&s->qmu);

		ra_err_clear(&err);
		bool ok = ship_batch(sh, b, &err);
		b->len = 0;
		b->rows = 0;
		b->tried = false;

		pthread_mutex_lock(&s->qmu);
		if (!ok && !s->failed) {
			s->failed = true;
			s->err = err;
		}
		s->idle[s->nidle++] = b;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->qmu);
	}
}

bool senders_init(struct senders *s, int n, const struct conf *cf, const struct ch_schema *schema,
		  struct spool *spool, const volatile int *stop, size_t cap, struct ra_err *err)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->qmu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->n = n < 1 ? 1 : n > SENDERS_MAX ? SENDERS_MAX : n;
	for (int i = 0; i < s->n; i++) {
		struct shipper *sh = &s->sh[i];
		struct ch_conn *conn = ch_conn_new(cf->base, cf->user, cf->password, err);
		if (!conn)
			return false;
		if (!ship_init(sh, conn, schema, cf->db, cf->table, err)) {
			ch_conn_free(conn);
			return false;
		}
		sh->mu = &s->mu;
		sh->owner = s;
		sh->spool = spool;
		sh->wait_s = cf->wait_s;
		sh->stop = stop;
	}
	for (int i = 0; i <= s->n; i++) {
		s->bufs[i].buf = malloc(cap);
		if (!s->bufs[i].buf) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory for %d batches of %zu bytes", s->n + 1, cap);
			return false;
		}
		s->bufs[i].cap = cap;
		s->idle[s->nidle++] = &s->bufs[i];
	}
	return true;
}

bool senders_start(struct senders *s, struct ra_err *err)
{
	for (int i = 0; i < s->n; i++) {
		if (pthread_create(&s->th[i], NULL, sender, &s->sh[i]) != 0) {
			ra_err_set(err, RA_ERR_NOMEM, "cannot start a sender thread");
			senders_finish(s, err);
			return false;
		}
		s->started = i + 1;
	}
	return true;
}

struct batch *senders_get(struct senders *s)
{
	struct batch *b = NULL;

	pthread_mutex_lock(&s->qmu);
	while (s->nidle == 0 && !s->failed)
		pthread_cond_wait(&s->cv, &s->qmu);
	if (!s->failed)
		b = s->idle[--s->nidle];
	pthread_mutex_unlock(&s->qmu);
	return b;
}

void senders_put(struct senders *s, struct batch *b)
{
	pthread_mutex_lock(&s->qmu);
	s->queue[(s->qhead + s->qlen) % (SENDERS_MAX + 1)] = b;
	s->qlen++;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->qmu);
}

bool senders_finish(struct senders *s, struct ra_err *err)
{
	pthread_mutex_lock(&s->qmu);
	s->closing = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->qmu);
	for (int i = 0; i < s->started; i++)
		pthread_join(s->th[i], NULL);
	s->started = 0;
	if (!s->failed)
		return true;
	/* what a failure left in the queue is given up, and counted */
	for (; s->qlen > 0; s->qlen--, s->qhead = (s->qhead + 1) % (SENDERS_MAX + 1))
		s->sh[0].n.dropped += s->queue[s->qhead]->rows;
	*err = s->err;
	return false;
}

struct ship_counts senders_counts(struct senders *s)
{
	struct ship_counts t = { 0, 0, 0, 0 };

	pthread_mutex_lock(&s->mu);
	for (int i = 0; i < s->n; i++) {
		t.sent += s->sh[i].n.sent;
		t.retried += s->sh[i].n.retried;
		t.spooled += s->sh[i].n.spooled;
		t.dropped += s->sh[i].n.dropped;
	}
	pthread_mutex_unlock(&s->mu);
	return t;
}

void senders_free(struct senders *s)
{
	for (int i = 0; i < s->n; i++) {
		ch_conn_free(s->sh[i].conn);
		ship_free(&s->sh[i]);
	}
	for (int i = 0; i <= s->n; i++)
		free(s->bufs[i].buf);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->qmu);
	pthread_cond_destroy(&s->cv);
}
