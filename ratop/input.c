/*
 * input.c - ratop's input: a thread reads the records (files, a pipe, -S
 * probes: whatever the common reader takes, blocking as it likes) and puts
 * them on a bounded single-producer, single-consumer ring; the screen's
 * loop takes them without ever waiting on input.  When the ring is full
 * the thread waits (the screen keeps its pace; a probe's server counts
 * what a slow client does not take).
 */
#include "config.h"

#include "ratop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING_BYTES ((size_t)16 << 20)
#define HDR 8

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

static void nap(void)
{
	struct timespec ts = { 0, 200000 };
	nanosleep(&ts, NULL);
}

/* One record onto the ring; false when told to stop. */
static bool put(struct feed *q, const uint8_t *rec, size_t len)
{
	size_t need = HDR + pad8(len);
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	size_t off = head & (q->cap - 1), skip = 0;
	uint32_t l32 = (uint32_t)len;

	if (off + need > q->cap)	/* to the ring's start: what is left is skipped */
		skip = q->cap - off;
	while (q->cap - (head - atomic_load_explicit(&q->tail, memory_order_acquire)) < skip + need) {
		if (atomic_load(&q->stop))
			return false;
		nap();
	}
	if (skip) {
		if (skip >= 4)
			memset(q->ring + off, 0, 4);	/* length 0: go round */
		head += skip;
		off = 0;
	}
	memcpy(q->ring + off, &l32, 4);
	memcpy(q->ring + off + HDR, rec, len);
	atomic_store_explicit(&q->head, head + need, memory_order_release);
	atomic_fetch_add_explicit(&q->records, 1, memory_order_relaxed);
	return true;
}

static void *run(void *arg)
{
	struct feed *q = arg;
	struct ra_err err;

	ra_err_clear(&err);
	while (!atomic_load(&q->stop)) {
		const uint8_t *rec;
		size_t len;
		enum ra_read_result rr = ra_reader_next(q->rd, &rec, &len, &err);

		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			atomic_fetch_add(&q->errors, 1);
			pthread_mutex_lock(&q->mu);
			ra_err_string(&err, q->errmsg, sizeof(q->errmsg));
			pthread_mutex_unlock(&q->mu);
			ra_err_clear(&err);
			continue;
		}
		if (!put(q, rec, len))
			break;
	}
	atomic_store(&q->done, 1);
	return NULL;
}

bool feed_start(struct feed *q, struct ra_reader *rd, struct ra_err *err)
{
	q->rd = rd;
	q->cap = RING_BYTES;
	q->ring = malloc(q->cap);
	if (!q->ring) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	pthread_mutex_init(&q->mu, NULL);
	if (pthread_create(&q->th, NULL, run, q) != 0) {
		ra_err_set(err, RA_ERR_IO, "cannot start the input thread");
		return false;
	}
	q->started = true;
	return true;
}

bool feed_peek(struct feed *q, const uint8_t **rec, size_t *len)
{
	uint64_t head = atomic_load_explicit(&q->head, memory_order_acquire);
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	while (tail != head) {
		size_t off = tail & (q->cap - 1);
		uint32_t l32 = 0;
		if (q->cap - off >= 4)
			memcpy(&l32, q->ring + off, 4);
		if (l32 == 0) {	/* the rest of the ring was skipped */
			tail += q->cap - off;
			atomic_store_explicit(&q->tail, tail, memory_order_release);
			continue;
		}
		*rec = q->ring + off + HDR;
		*len = l32;
		return true;
	}
	return false;
}

void feed_release(struct feed *q)
{
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
	uint32_t l32;

	memcpy(&l32, q->ring + (tail & (q->cap - 1)), 4);
	atomic_store_explicit(&q->tail, tail + HDR + pad8(l32), memory_order_release);
}

void feed_notice(void *arg, const char *msg)
{
	struct feed *q = arg;

	pthread_mutex_lock(&q->mu);
	snprintf(q->notice, sizeof(q->notice), "%s", msg);
	pthread_mutex_unlock(&q->mu);
	atomic_store(&q->server_lost, ra_reader_lost(q->rd));
	atomic_fetch_add(&q->notices, 1);
}

void feed_notice_text(struct feed *q, char *buf, size_t cap)
{
	pthread_mutex_lock(&q->mu);
	snprintf(buf, cap, "%s", q->notice);
	pthread_mutex_unlock(&q->mu);
}

void feed_errmsg(struct feed *q, char *buf, size_t cap)
{
	pthread_mutex_lock(&q->mu);
	snprintf(buf, cap, "%s", q->errmsg);
	pthread_mutex_unlock(&q->mu);
}

/* The thread may be blocked in a read of a quiet pipe or socket: it is
 * cancelled there (read is a cancellation point), then joined. */
void feed_stop(struct feed *q)
{
	if (q->started) {
		atomic_store(&q->stop, true);
		if (!atomic_load(&q->done))
			pthread_cancel(q->th);
		pthread_join(q->th, NULL);
		pthread_mutex_destroy(&q->mu);
		q->started = false;
	}
	free(q->ring);
	q->ring = NULL;
}
