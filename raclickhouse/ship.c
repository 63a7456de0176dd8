/*
 * ship.c - each batch into the table once.
 *
 * Every row carries its batch's identity (column batch) and its number in
 * the batch (batchrow).  A batch whose earlier attempt failed may be in
 * the table already, wholly or in part (ClickHouse 18.16 commits a big
 * INSERT part by part and deduplicates inserts only in Replicated tables),
 * so before sending it again we ask the table: all its rows there, it is
 * done; none, it goes whole; some, only the missing rows go.  Backoff
 * doubles from a quarter second to half a minute.
 */
#include "config.h"

#include "ship.h"

#include "native.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BACKOFF_MIN 0.25
#define BACKOFF_MAX 30.0
#define TRIES_BEFORE_SPOOL 3

/* The spool, the counters and the away state are shared by every sender. */
static void lock(struct shipper *sh)
{
	if (sh->mu)
		pthread_mutex_lock(sh->mu);
}

static void unlock(struct shipper *sh)
{
	if (sh->mu)
		pthread_mutex_unlock(sh->mu);
}

double ship_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep up to s seconds, waking early when a signal asks us to stop. */
static void nap(const struct shipper *sh, double s)
{
	while (s > 0 && !(sh->stop && *sh->stop)) {
		double step = s < 0.1 ? s : 0.1;
		struct timespec ts = { 0, (long)(step * 1e9) };
		nanosleep(&ts, NULL);
		s -= step;
	}
}

bool ship_init(struct shipper *sh, struct ch_conn *conn, const struct ch_schema *schema, const char *db,
	       const char *table, struct ra_err *err)
{
	char cols[1600];
	int n;

	memset(sh, 0, sizeof(*sh));
	sh->conn = conn;
	sh->schema = schema;
	sh->db = db;
	sh->table = table;
	sh->wait_s = 300;
	sh->backoff = BACKOFF_MIN;
	if (!ch_column_list(schema, cols, sizeof(cols)))
		goto long_sql;
	n = snprintf(sh->insert_sql, sizeof(sh->insert_sql), "INSERT INTO %s.%s (%s) FORMAT Native", db,
		     table, cols);
	if (n < 0 || (size_t)n >= sizeof(sh->insert_sql))
		goto long_sql;
	return true;
long_sql:
	ra_err_set(err, RA_ERR_USAGE, "the INSERT statement is too long");
	return false;
}

void ship_free(struct shipper *sh)
{
	free(sh->tmp.buf);
	free(sh->sub.buf);
	sh->tmp.buf = sh->sub.buf = NULL;
}

/* The rows of b not listed in present (little-endian UInt32 batchrow values) into sh->sub. */
static bool missing_rows(struct shipper *sh, const struct batch *b, const uint8_t *present, size_t n,
			 struct ra_err *err)
{
	uint8_t *seen = calloc(b->rows ? b->rows : 1, 1);
	uint32_t kept = 0;

	if (!seen || (sh->sub.cap < b->len && !(sh->sub.buf = realloc(sh->sub.buf, b->len)))) {
		free(seen);
		sh->sub.cap = 0;
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	if (sh->sub.cap < b->len)
		sh->sub.cap = b->len;
	for (size_t i = 0; i + 4 <= n; i += 4) {
		uint32_t r = (uint32_t)present[i] | (uint32_t)present[i + 1] << 8 |
			     (uint32_t)present[i + 2] << 16 | (uint32_t)present[i + 3] << 24;
		if (r < b->rows)
			seen[r] = 1;
	}
	sh->sub.len = ch_native_subset(sh->schema, b->buf, b->len, seen, b->rows, sh->sub.buf, &kept);
	sh->sub.rows = kept;
	free(seen);
	if (sh->sub.len == 0) {
		ra_err_set(err, RA_ERR_FORMAT, "batch %016llx is damaged", (unsigned long long)b->id);
		return false;
	}
	return true;
}

/* One attempt at b, asking first what the table holds of it if an earlier attempt failed. */
static enum ch_result deliver(struct shipper *sh, struct batch *b, struct ra_err *err)
{
	const uint8_t *body = b->buf;
	size_t len = b->len;
	enum ch_result r;

	if (b->tried) {
		char q[512];
		const char *ans;
		size_t alen;
		unsigned long long have;

		snprintf(q, sizeof(q), "SELECT count() FROM %s.%s WHERE stime >= %llu AND stime <= %llu "
			 "AND batch = %llu", sh->db, sh->table, (unsigned long long)b->tmin,
			 (unsigned long long)b->tmax, (unsigned long long)b->id);
		r = ch_run(sh->conn, q, NULL, 0, &ans, &alen, err);
		if (r != CH_OK)
			return r;
		have = strtoull(ans, NULL, 10);
		if (have == b->rows)
			return CH_OK;		/* the failed attempt had gone through */
		if (have > b->rows) {
			ra_err_set(err, RA_ERR_FORMAT, "batch %016llx: the table holds %llu rows of its %u",
				   (unsigned long long)b->id, have, b->rows);
			return CH_REFUSED;
		}
		if (have > 0) {
			snprintf(q, sizeof(q), "SELECT batchrow FROM %s.%s WHERE stime >= %llu AND "
				 "stime <= %llu AND batch = %llu FORMAT RowBinary", sh->db, sh->table,
				 (unsigned long long)b->tmin, (unsigned long long)b->tmax,
				 (unsigned long long)b->id);
			r = ch_run(sh->conn, q, NULL, 0, &ans, &alen, err);
			if (r != CH_OK)
				return r;
			if (!missing_rows(sh, b, (const uint8_t *)ans, alen, err))
				return CH_REFUSED;
			body = sh->sub.buf;
			len = sh->sub.len;
		}
	}
	return ch_run(sh->conn, sh->insert_sql, body, len, NULL, NULL, err);
}

static void backoff_grow(struct shipper *sh)
{
	sh->backoff *= 2;
	if (sh->backoff > BACKOFF_MAX)
		sh->backoff = BACKOFF_MAX;
}

/* ship_drain with the lock held (it is let go while napping). */
static int drain_locked(struct shipper *sh, bool wait, struct ra_err *err)
{
	double give_up = ship_now() + sh->wait_s;

	if (!sh->spool)
		return 1;
	for (;;) {
		int got;
		enum ch_result r = CH_OK;

		while ((got = spool_peek(sh->spool, &sh->tmp, err)) == 1) {
			long rows = ch_native_rows(sh->schema, sh->tmp.buf, sh->tmp.len);
			if (rows != (long)sh->tmp.rows) {	/* damaged on disk: said, counted, passed */
				fprintf(stderr, "raclickhouse: %s: byte %llu: a batch of %u rows holds %s; dropped\n",
					spool_path(sh->spool), (unsigned long long)spool_offset(sh->spool),
					sh->tmp.rows, rows < 0 ? "damaged rows" : "another number of rows");
				/* the rows it says it holds, as far as its bytes could hold them */
				uint64_t most = sh->tmp.len / sh->schema->fixed;
				sh->n.dropped += sh->tmp.rows < most ? sh->tmp.rows : most;
				sh->damaged = true;
				if (!spool_done(sh->spool, err))
					return -1;
				continue;
			}
			r = deliver(sh, &sh->tmp, err);
			if (r != CH_OK)
				break;
			if (!spool_done(sh->spool, err))
				return -1;
			sh->n.sent += sh->tmp.rows;
		}
		if (got < 0 || r == CH_REFUSED)
			return -1;
		if (r == CH_OK) {
			sh->away = false;
			sh->backoff = BACKOFF_MIN;
			return 1;
		}
		sh->n.retried += sh->tmp.rows;
		sh->away = true;
		sh->next_try = ship_now() + sh->backoff;
		if (!wait || ship_now() + sh->backoff > give_up || (sh->stop && *sh->stop))
			return 0;
		unlock(sh);
		nap(sh, sh->backoff);
		lock(sh);
		backoff_grow(sh);
	}
}

int ship_drain(struct shipper *sh, bool wait, struct ra_err *err)
{
	int r;

	lock(sh);
	r = drain_locked(sh, wait, err);
	unlock(sh);
	return r;
}

/* Into the spool (the lock held); a full spool drops the batch (counted, said once). */
static bool to_spool(struct shipper *sh, struct batch *b, struct ra_err *err)
{
	int r = spool_put(sh->spool, b, err);

	if (r < 0)
		return false;
	if (r == 0) {
		sh->n.dropped += b->rows;
		if (!sh->warned_full)
			fprintf(stderr, "raclickhouse: the spool is full: records are dropped (counted) until the server is back\n");
		sh->warned_full = true;
		return true;
	}
	sh->n.spooled += b->rows;
	return true;
}

bool ship_batch(struct shipper *sh, struct batch *b, struct ra_err *err)
{
	double give_up = ship_now() + sh->wait_s;

	lock(sh);
	if (sh->spool && (sh->away || spool_batches(sh->spool) > 0)) {
		if (ship_now() >= sh->next_try && drain_locked(sh, false, err) < 0) {
			unlock(sh);
			return false;
		}
		if (sh->away || spool_batches(sh->spool) > 0) {
			bool ok = to_spool(sh, b, err);
			unlock(sh);
			return ok;
		}
	}
	unlock(sh);
	for (int attempt = 1;; attempt++) {
		enum ch_result r = deliver(sh, b, err);

		if (r == CH_OK) {
			lock(sh);
			sh->n.sent += b->rows;
			unlock(sh);
			sh->backoff = BACKOFF_MIN;
			return true;
		}
		if (r == CH_REFUSED)
			return false;
		b->tried = true;
		bool late = ship_now() + sh->backoff > give_up || (sh->stop && *sh->stop);
		if (sh->spool && (attempt >= TRIES_BEFORE_SPOOL || late)) {
			lock(sh);
			sh->away = true;
			sh->next_try = ship_now() + sh->backoff;
			bool ok = to_spool(sh, b, err);
			unlock(sh);
			return ok;
		}
		if (late) {
			lock(sh);
			sh->n.dropped += b->rows;
			unlock(sh);
			char why[sizeof(err->msg)];
			snprintf(why, sizeof(why), "%s", err->msg);
			ra_err_set(err, RA_ERR_IO, "the server was away for %u s, %u records dropped: %.160s",
				   sh->wait_s, b->rows, why);
			return false;
		}
		lock(sh);
		sh->n.retried += b->rows;
		unlock(sh);
		nap(sh, sh->backoff);
		backoff_grow(sh);
	}
}
