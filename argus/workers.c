/*
 * workers.c - N flow engines in N threads behind the daemon's engine.
 *
 * The thread that reads the inputs (the daemon's main thread) is the
 * dispatcher: for every frame it finds the worker of its flow
 * (dispatch_key.c: a symmetric hash of the flow's address pair, so both
 * directions, every fragment and the flow an ICMP error quotes are in one
 * worker) and appends the frame to that worker's dispatch ring
 * (dispatch_ring.h).  Each worker runs its own engine over its frames, in
 * the order they came.
 *
 * Time: the engine looks at its idle and status lists when its clock has
 * moved ENGINE_TICK_US since it last did.  The dispatcher keeps the clock
 * a single engine would keep (the largest packet time so far, or the wall
 * clock on live inputs) and at every moment a single engine would look at
 * its lists it sends every worker a tick with that time, ahead of the
 * packet that moved the clock.  So every worker looks at its lists at
 * exactly the moments, and with exactly the clock, one engine would:
 * flows end, report and expire as with one worker.
 *
 * An ICMP error whose quoted flow is in another worker goes to its own
 * flow's worker and, as a mark frame, to the quoted flow's worker, which
 * marks the flow at that point of its packet sequence.
 *
 * Output: workers encode records into buffers (the engine's tap) that the
 * dispatcher writes to the file and the stream server: records are whole
 * and the writer has one thread.  Daemon status records: the dispatcher
 * sends a status tick; each worker hands in its counters at that point;
 * when all have, the dispatcher writes one record with the sums.
 *
 * Waiting: each side waits on its own condition variable with a
 * "sleeping" flag, so the other side signals only when someone sleeps.
 */
#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dispatch_key.h"
#include "dispatch_ring.h"
#include "engine_int.h"
#include "workers.h"

#define STATUS_KEEP 8u		/* status rounds in flight */
#define DEFAULT_MAX 4u		/* workers_default(): at most this many */

/* A worker's counters at a status tick (the status record's sums). */
struct wcounts {
	uint64_t pkts, bytes, created, expired, refused, records, frag_pending, frag_orphans;
	uint64_t mal[MAL_COUNT];
	uint64_t active, memory;
	uint64_t dlt[8];
	unsigned ndlt;
};

/* A wake-up: the waiter sleeps only while nothing happened since it
 * looked; the waker signals only a sleeper. */
struct wake {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	_Atomic uint32_t events;
	_Atomic int sleeping;
};

struct worker {
	struct dring in;		/* first: 64-byte aligned */
	struct oring out;
	struct workers *ws;
	struct engine *e;
	pthread_t th;
	struct wake wake;		/* the worker waits on it */
	struct wcounts snap[STATUS_KEEP];
	_Atomic uint32_t posted;	/* last status round handed in */
	_Atomic int done;		/* flushed: the thread ends */
};

struct workers {
	struct engine *e0;		/* the daemon's engine */
	unsigned n, started;
	struct worker *w;
	struct wake wake;		/* the dispatcher waits on it */
	uint32_t round;			/* status rounds sent */
	_Atomic uint32_t done_round;	/* status rounds written */
	uint64_t round_ts[STATUS_KEEP];
	uint64_t refused;		/* frames dropped: no memory to copy them */
	unsigned since_service;		/* frames copied since service() */
	bool flushed;
};

static void wake_init(struct wake *k)
{
	pthread_mutex_init(&k->mu, NULL);
	pthread_cond_init(&k->cv, NULL);
	atomic_init(&k->events, 0);
	atomic_init(&k->sleeping, 0);
}

static void wake_up(struct wake *k)
{
	atomic_fetch_add(&k->events, 1);
	if (atomic_load(&k->sleeping)) {
		pthread_mutex_lock(&k->mu);
		pthread_cond_signal(&k->cv);
		pthread_mutex_unlock(&k->mu);
	}
}

/* Sleep unless something happened since events was seen (at most 20 ms). */
static void wake_wait(struct wake *k, uint32_t seen)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&k->mu);
	atomic_store(&k->sleeping, 1);
	if (atomic_load(&k->events) == seen)
		pthread_cond_timedwait(&k->cv, &k->mu, &ts);
	atomic_store(&k->sleeping, 0);
	pthread_mutex_unlock(&k->mu);
}

static unsigned ring_used(struct dring *r)
{
	return atomic_load(&r->head) - atomic_load(&r->tail);
}

/* ---- the worker's side ---- */

/* The engine's tap: a record into the output buffer. */
static void worker_tap(void *arg, const uint8_t *rec, size_t len)
{
	struct worker *w = arg;
	struct obuf *b;

	for (;;) {
		uint32_t seen = atomic_load(&w->wake.events);
		b = oring_fill_buf(&w->out);
		if (b && b->len + 4 + len <= OUT_SIZE)
			break;
		if (b) {	/* full: hand it over, take the next */
			oring_publish(&w->out);
			wake_up(&w->ws->wake);
			continue;
		}
		wake_wait(&w->wake, seen);
	}
	uint32_t l = (uint32_t)len;
	memcpy(b->data + b->len, &l, 4);
	memcpy(b->data + b->len + 4, rec, len);
	b->len += 4 + len;
}

/* Hand over the records written so far. */
static void worker_publish(struct worker *w)
{
	struct obuf *b = oring_fill_buf(&w->out);

	if (b && b->len) {
		oring_publish(&w->out);
		wake_up(&w->ws->wake);
	}
}

static void snapshot(const struct engine *e, struct wcounts *c)
{
	c->pkts = e->pkts;
	c->bytes = e->bytes;
	c->created = e->flows_created;
	c->expired = e->flows_expired;
	c->refused = e->flows_refused;
	c->records = e->records_written;
	c->frag_pending = e->frag_pending;
	c->frag_orphans = e->frag_orphans;
	memcpy(c->mal, e->mal, sizeof c->mal);
	c->active = ft_count(e->ft);
	c->memory = ft_memory(e->ft) + frag_memory();
	c->ndlt = e->n_unsupported;
	memcpy(c->dlt, e->unsupported_dlt, sizeof c->dlt);
}

static void post_status(struct worker *w, uint32_t round)
{
	struct workers *ws = w->ws;

	for (;;) {	/* its snapshot slot is free once round - STATUS_KEEP is written */
		uint32_t seen = atomic_load(&w->wake.events);
		if (round - atomic_load(&ws->done_round) <= STATUS_KEEP)
			break;
		worker_publish(w);
		wake_wait(&w->wake, seen);
	}
	snapshot(w->e, &w->snap[round % STATUS_KEEP]);
	atomic_store(&w->posted, round);
	worker_publish(w);
	wake_up(&ws->wake);
}

/* Run one slot; true at the flush. */
static bool run_slot(struct worker *w, struct dslot *s)
{
	bool end = false;

	for (unsigned i = 0; i < s->n;) {
		if (s->kind[i] == FK_PACKET) {
			unsigned j = i + 1;
			while (j < s->n && s->kind[j] == FK_PACKET)
				j++;
			engine_packets(w->e, s->dlt, s->fr + i, j - i);
			i = j;
			continue;
		}
		const struct engine_frame *f = &s->fr[i];
		switch (s->kind[i]) {
		case FK_MARK:
			engine_mark(w->e, s->dlt, f);
			break;
		case FK_TICK:
			engine_tick(w->e, f->ts_us);
			break;
		case FK_STATUS:
			engine_tick(w->e, f->ts_us);
			post_status(w, f->wirelen);
			break;
		case FK_FLUSH:
			engine_flush_flows(w->e);
			end = true;
			break;
		default:
			break;
		}
		i++;
	}
	return end;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		uint32_t seen = atomic_load(&w->wake.events);
		struct dslot *s = dring_run_slot(&w->in);
		if (!s) {
			worker_publish(w);	/* idle: what it wrote goes out now */
			wake_wait(&w->wake, seen);
			continue;
		}
		bool end = run_slot(w, s);
		s->n = 0;	/* empty for the reader's next turn */
		s->arena_used = 0;
		dring_release(&w->in);
		/* The reader waits for half the ring (ring_has_room()): waking it
		 * for every slot would cost a context switch per slot. */
		if (ring_used(&w->in) <= RING_SLOTS / 2)
			wake_up(&w->ws->wake);
		if (end)
			break;
	}
	worker_publish(w);
	atomic_store(&w->done, 1);
	wake_up(&w->ws->wake);
	return NULL;
}

/* ---- the dispatcher's side (the daemon's main thread) ---- */

static void put_record(struct engine *e0, const uint8_t *rec, size_t len)
{
	if (e0->tap)
		e0->tap(e0->tap_arg, rec, len);
	if (e0->out && !e0->write_failed) {
		struct ra_err err;
		ra_err_clear(&err);
		if (!ra_writer_put(e0->out, rec, len, &err)) {
			char buf[600];
			e0->write_failed = true;
			if (e0->warn)
				e0->warn("%s", ra_err_string(&err, buf, sizeof buf));
		}
	}
}

/* The workers' counters into e0's (status round r, or now when r is NULL). */
static void sum_counts(struct workers *ws, const uint32_t *r)
{
	struct engine *e0 = ws->e0;
	struct wcounts now;

	e0->pkts = e0->bytes = e0->flows_created = e0->flows_expired = e0->flows_refused = 0;
	e0->records_written = e0->frag_pending = e0->frag_orphans = 0;
	e0->fan_active = e0->fan_memory = 0;
	e0->flows_refused = ws->refused;
	memset(e0->mal, 0, sizeof e0->mal);
	for (unsigned i = 0; i < ws->started; i++) {
		const struct wcounts *c = &now;
		if (r)
			c = &ws->w[i].snap[*r % STATUS_KEEP];
		else
			snapshot(ws->w[i].e, &now);
		e0->pkts += c->pkts;
		e0->bytes += c->bytes;
		e0->flows_created += c->created;
		e0->flows_expired += c->expired;
		e0->flows_refused += c->refused;
		e0->records_written += c->records;
		e0->frag_pending += c->frag_pending;
		e0->frag_orphans += c->frag_orphans;
		e0->fan_active += c->active;
		e0->fan_memory += c->memory;
		for (unsigned m = 0; m < MAL_COUNT; m++)
			e0->mal[m] += c->mal[m];
		for (unsigned d = 0; d < c->ndlt && d < 8; d++) {
			unsigned k = 0;
			while (k < e0->n_unsupported && e0->unsupported_dlt[k] != c->dlt[d])
				k++;
			if (k == e0->n_unsupported && k < 8)
				e0->unsupported_dlt[e0->n_unsupported++] = c->dlt[d];
		}
	}
}

/* Write what the workers handed over; write the status rounds all of them
 * have counted. */
static void service(struct workers *ws)
{
	for (unsigned i = 0; i < ws->started; i++) {
		struct worker *w = &ws->w[i];
		struct obuf *b;
		bool took = false;
		while ((b = oring_take_buf(&w->out))) {
			for (size_t off = 0; off + 4 <= b->len;) {
				uint32_t l;
				memcpy(&l, b->data + off, 4);
				put_record(ws->e0, b->data + off + 4, l);
				off += 4 + (size_t)l;
			}
			b->len = 0;
			oring_release(&w->out);
			took = true;
		}
		if (took)
			wake_up(&w->wake);
	}
	for (;;) {
		uint32_t r = atomic_load(&ws->done_round) + 1;
		if (r - 1 == ws->round)
			break;
		for (unsigned i = 0; i < ws->started; i++)
			if ((int32_t)(atomic_load(&ws->w[i].posted) - r) < 0)
				return;
		sum_counts(ws, &r);
		output_daemon_status(ws->e0, ws->round_ts[r % STATUS_KEEP]);
		atomic_store(&ws->done_round, r);
		for (unsigned i = 0; i < ws->started; i++)
			wake_up(&ws->w[i].wake);
	}
}

static void publish_all(struct workers *ws);

/* Wait (writing what comes meanwhile) until ready(ws, arg) holds; what
 * the workers have not been given yet goes to them first. */
static void wait_for(struct workers *ws, bool (*ready)(struct workers *, unsigned), unsigned arg)
{
	publish_all(ws);
	for (;;) {
		uint32_t seen = atomic_load(&ws->wake.events);
		service(ws);
		if (ready(ws, arg))
			return;
		wake_wait(&ws->wake, seen);
	}
}

/* Waiting for room, wait for half the ring: the worker wakes the reader
 * only then, and the reader then fills it in one go. */
static bool ring_has_room(struct workers *ws, unsigned i)
{
	return ring_used(&ws->w[i].in) <= RING_SLOTS / 2;
}

static bool status_has_room(struct workers *ws, unsigned unused)
{
	(void)unused;
	return ws->round + 1 - atomic_load(&ws->done_round) <= STATUS_KEEP;
}

static bool all_idle(struct workers *ws, unsigned unused)
{
	(void)unused;
	for (unsigned i = 0; i < ws->started; i++)
		if (!dring_empty(&ws->w[i].in))
			return false;
	return true;
}

static bool all_done(struct workers *ws, unsigned unused)
{
	(void)unused;
	for (unsigned i = 0; i < ws->started; i++)
		if (!atomic_load(&ws->w[i].done))
			return false;
	return true;
}

static void publish(struct workers *ws, unsigned i)
{
	struct dslot *s = dring_fill_slot(&ws->w[i].in);

	if (s && s->n) {
		dring_publish(&ws->w[i].in);
		wake_up(&ws->w[i].wake);
	}
}

static void publish_all(struct workers *ws)
{
	for (unsigned i = 0; i < ws->started; i++)
		publish(ws, i);
}

/* Worker i's slot with room for one frame of link type dlt (< 0: a
 * marker, any link type) and copy bytes in its arena; waits while the
 * ring is full.  NULL: no memory for the arena. */
static struct dslot *slot_for(struct workers *ws, unsigned i, int dlt, uint32_t copy)
{
	for (;;) {
		struct dslot *s = dring_fill_slot(&ws->w[i].in);
		if (!s) {
			wait_for(ws, ring_has_room, i);
			continue;
		}
		if (s->n == 0)
			s->dlt = dlt;
		else if (s->dlt < 0 && dlt >= 0)
			s->dlt = dlt;	/* it held markers only */
		if (copy && !s->arena && !(s->arena = malloc(SLOT_ARENA)))
			return NULL;
		if (s->n < SLOT_FRAMES && (dlt < 0 || s->dlt == dlt) && SLOT_ARENA - s->arena_used >= copy)
			return s;
		publish(ws, i);
	}
}

static void put_frame(struct workers *ws, unsigned i, int dlt, enum frame_kind kind,
		      const struct engine_frame *fr, bool copy)
{
	uint32_t caplen = fr->caplen < SLOT_ARENA ? fr->caplen : SLOT_ARENA;
	struct dslot *s = slot_for(ws, i, dlt, copy ? caplen : 0);

	if (!s) {
		ws->refused++;	/* no memory for the copy: counted as a packet not accounted */
		return;
	}
	struct engine_frame *f = &s->fr[s->n];
	*f = *fr;
	if (copy) {
		memcpy(s->arena + s->arena_used, fr->bytes, caplen);
		f->bytes = s->arena + s->arena_used;
		f->caplen = caplen;
		s->arena_used += caplen;
	}
	s->kind[s->n++] = (uint8_t)kind;
}

/* A marker for every worker, in the link type of its current slot. */
static void broadcast(struct workers *ws, enum frame_kind kind, uint64_t ts, uint32_t arg)
{
	struct engine_frame m = { ts, NULL, 0, arg };

	for (unsigned i = 0; i < ws->started; i++)
		put_frame(ws, i, -1, kind, &m, false);
}

/* The clock a single engine keeps (engine.c clock_tick()): a tick to
 * every worker at each moment it would look at its lists. */
static void clock_to(struct workers *ws, uint64_t now)
{
	struct engine *e = ws->e0;

	if (now <= e->now)
		return;
	if (!e->start_time)
		e->start_time = now;
	e->now = now;
	if (now < e->next_tick)
		return;
	e->next_tick = now + ENGINE_TICK_US;
	uint64_t iv = e->cfg.daemon_status_interval;
	bool status = false;
	if (iv) {
		if (!e->next_daemon_status)
			e->next_daemon_status = now + iv;
		else if (now >= e->next_daemon_status) {
			status = true;
			e->next_daemon_status += iv;
			if (e->next_daemon_status <= now)
				e->next_daemon_status = now + iv;
		}
	}
	if (!status) {
		broadcast(ws, FK_TICK, now, 0);
		return;
	}
	if (!status_has_room(ws, 0))
		wait_for(ws, status_has_room, 0);
	ws->round++;
	ws->round_ts[ws->round % STATUS_KEEP] = now;
	broadcast(ws, FK_STATUS, now, ws->round);
}

static void dispatch(struct workers *ws, int dlt, const struct engine_frame *fr, bool copy)
{
	struct dispatch_key k;

	clock_to(ws, fr->ts_us);
	dispatch_key(dlt, fr->bytes, fr->caplen, &k);
	unsigned i = k.ok ? dispatch_worker(k.hash, ws->started) : 0;
	put_frame(ws, i, dlt, FK_PACKET, fr, copy);
	if (k.icmp_error) {
		unsigned q = dispatch_worker(k.ihash, ws->started);
		if (q != i)
			put_frame(ws, q, dlt, FK_MARK, fr, copy);
	}
}

static void fan_packet(void *arg, int dlt, uint64_t ts, const uint8_t *bytes, uint32_t caplen, uint32_t wirelen)
{
	struct workers *ws = arg;
	struct engine_frame f = { ts, bytes, caplen, wirelen };

	dispatch(ws, dlt, &f, true);
	if (++ws->since_service >= 1024) {	/* live bursts, pcapng files */
		ws->since_service = 0;
		publish_all(ws);
		service(ws);
	}
}

static void fan_packets(void *arg, int dlt, const struct engine_frame *fr, unsigned n)
{
	struct workers *ws = arg;

	for (unsigned j = 0; j < n; j++)
		dispatch(ws, dlt, &fr[j], false);
	publish_all(ws);
	service(ws);
}

static void fan_tick(void *arg, uint64_t now)
{
	struct workers *ws = arg;

	clock_to(ws, now);
	publish_all(ws);
	service(ws);
}

static void fan_sync(void *arg)
{
	struct workers *ws = arg;

	publish_all(ws);
	wait_for(ws, all_idle, 0);
}

/* Every worker writes its flows and its thread ends. */
static void stop_threads(struct workers *ws)
{
	if (ws->flushed)
		return;
	ws->flushed = true;
	publish_all(ws);
	broadcast(ws, FK_FLUSH, ws->e0->now, 0);
	publish_all(ws);
	wait_for(ws, all_done, 0);
	for (unsigned i = 0; i < ws->started; i++)
		pthread_join(ws->w[i].th, NULL);
	service(ws);
}

/* engine_flush(): the workers' flows, then one status record with the sums. */
static void fan_flush(void *arg)
{
	struct workers *ws = arg;

	if (ws->flushed)
		return;
	stop_threads(ws);
	sum_counts(ws, NULL);
	output_daemon_status(ws->e0, ws->e0->now);
}

static void fan_free(void *arg)
{
	struct workers *ws = arg;

	stop_threads(ws);	/* threads end before their engines go */
	for (unsigned i = 0; i < ws->n; i++) {
		struct worker *w = &ws->w[i];
		engine_free(w->e);
		for (unsigned s = 0; s < RING_SLOTS; s++)
			free(w->in.slot[s].arena);
		for (unsigned b = 0; b < OUT_BUFS; b++)
			free(w->out.buf[b].data);
		pthread_mutex_destroy(&w->wake.mu);
		pthread_cond_destroy(&w->wake.cv);
	}
	pthread_mutex_destroy(&ws->wake.mu);
	pthread_cond_destroy(&ws->wake.cv);
	free(ws->w);
	free(ws);
}

static const struct engine_fan fan_ops = { fan_packet, fan_packets, fan_tick, fan_sync, fan_flush, fan_free };

/* Threads never take the daemon's signals: they go to the main thread,
 * whose poll(2) they interrupt. */
static bool start_threads(struct workers *ws)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (ws->started = 0; ws->started < ws->n; ws->started++)
		if (pthread_create(&ws->w[ws->started].th, NULL, worker_main, &ws->w[ws->started]) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ws->started == ws->n;
}

bool workers_start(struct engine *e, unsigned n, struct ra_err *err)
{
	struct workers *ws = calloc(1, sizeof *ws);
	void *mem = NULL;

	if (n > WORKERS_MAX)
		n = WORKERS_MAX;
	if (!ws || posix_memalign(&mem, 64, n * sizeof(struct worker)) != 0) {
		free(ws);
		ra_err_set(err, RA_ERR_NOMEM, "worker threads: out of memory");
		return false;
	}
	memset(mem, 0, n * sizeof(struct worker));
	ws->w = mem;
	ws->n = n;
	ws->e0 = e;
	wake_init(&ws->wake);
	struct engine_config cfg = e->cfg;
	cfg.daemon_status_interval = 0;	/* the sums are written here */
	if (cfg.max_flows)
		cfg.max_flows = (cfg.max_flows + n - 1) / n;	/* the limit is the daemon's */
	bool ok = true;
	for (unsigned i = 0; i < n; i++) {
		struct worker *w = &ws->w[i];
		w->ws = ws;
		wake_init(&w->wake);
		w->e = engine_new(&cfg, NULL);
		ok = ok && w->e;
		for (unsigned b = 0; b < OUT_BUFS && ok; b++)
			ok = (w->out.buf[b].data = malloc(OUT_SIZE)) != NULL;
		if (w->e) {
			/* flow sequence numbers stay unique: i+1, i+1+n, ... */
			w->e->next_seq = i + 1;
			w->e->seq_step = n;
			w->e->warn = e->warn;
			w->e->tap = worker_tap;
			w->e->tap_arg = w;
		}
	}
	if (!ok) {
		ws->flushed = true;	/* no thread to stop */
		fan_free(ws);
		ra_err_set(err, RA_ERR_NOMEM, "worker threads: out of memory");
		return false;
	}
	if (!start_threads(ws)) {
		fan_free(ws);	/* the ones that run end */
		ra_err_set(err, RA_ERR_IO, "cannot start %u worker threads", n);
		return false;
	}
	e->fan = &fan_ops;
	e->fan_arg = ws;
	return true;
}

unsigned workers_default(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (n < 1)
		return 1;
	return n > (long)DEFAULT_MAX ? DEFAULT_MAX : (unsigned)n;
}
