/*
 * dispatch_ring.h - the queues between the reader thread and one worker
 * (argus/workers.c), each with one producer and one consumer, no lock and
 * no allocation per packet:
 *
 *   - the dispatch ring (reader to worker): slots of up to SLOT_FRAMES
 *     frames of one link type.  A frame is a packet (the bytes borrowed
 *     from a mapped file, or copied into the slot's arena from libpcap's
 *     buffer), a copy of an ICMP error for the worker of the flow it
 *     quotes, or a marker: a tick of the clock, a tick with a daemon
 *     status round, the final flush.  The reader fills the slot at head
 *     and publishes it; the worker runs the slot at tail and releases it.
 *   - the output ring (worker to reader): buffers of whole encoded
 *     records, each framed by a 4-byte length, that the reader writes.
 *
 * Indices run free (uint32_t, compared by difference); publishing and
 * releasing are sequentially consistent stores, so that the sleeping
 * flags of workers.c need no further fence.
 */
#ifndef ARGUS_DISPATCH_RING_H
#define ARGUS_DISPATCH_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define SLOT_FRAMES 256u
#define RING_SLOTS 16u			/* 4096 frames in flight per worker */
#define SLOT_ARENA 262144u		/* copied frames per slot (libpcap's largest snap length) */
#define OUT_BUFS 8u
#define OUT_SIZE (256u * 1024u)		/* > 4 + RA_REC_MAX: one record always fits */

enum frame_kind {
	FK_PACKET,	/* a packet: engine_packets() */
	FK_MARK,	/* an ICMP error counted elsewhere: engine_mark() */
	FK_TICK,	/* the clock moved to ts_us: engine_tick() */
	FK_STATUS,	/* the same, then the counters for status round wirelen */
	FK_FLUSH,	/* end: every flow written, the thread ends */
};

struct dslot {
	int dlt;
	unsigned n;
	uint32_t arena_used;
	uint8_t *arena;			/* SLOT_ARENA bytes, made when a frame is first copied */
	uint8_t kind[SLOT_FRAMES];
	struct engine_frame fr[SLOT_FRAMES];
};

struct dring {
	_Alignas(64) _Atomic uint32_t head;	/* slots published (reader) */
	_Alignas(64) _Atomic uint32_t tail;	/* slots released (worker) */
	_Alignas(64) struct dslot slot[RING_SLOTS];
};

/* Reader: the slot to fill, NULL while the ring is full. */
static inline struct dslot *dring_fill_slot(struct dring *r)
{
	uint32_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
	if (h - atomic_load(&r->tail) >= RING_SLOTS)
		return NULL;
	return &r->slot[h % RING_SLOTS];
}

static inline void dring_publish(struct dring *r)
{
	atomic_store(&r->head, atomic_load_explicit(&r->head, memory_order_relaxed) + 1);
}

/* Worker: the slot to run, NULL when there is none. */
static inline struct dslot *dring_run_slot(struct dring *r)
{
	uint32_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	if (atomic_load(&r->head) == t)
		return NULL;
	return &r->slot[t % RING_SLOTS];
}

static inline void dring_release(struct dring *r)
{
	atomic_store(&r->tail, atomic_load_explicit(&r->tail, memory_order_relaxed) + 1);
}

static inline int dring_empty(struct dring *r)
{
	return atomic_load(&r->head) == atomic_load(&r->tail);
}

struct obuf {
	size_t len;
	uint8_t *data;			/* OUT_SIZE bytes */
};

struct oring {
	_Alignas(64) _Atomic uint32_t head;	/* buffers published (worker) */
	_Alignas(64) _Atomic uint32_t tail;	/* buffers written out (reader) */
	struct obuf buf[OUT_BUFS];
};

/* Worker: the buffer to fill, NULL while all are waiting to be written. */
static inline struct obuf *oring_fill_buf(struct oring *o)
{
	uint32_t h = atomic_load_explicit(&o->head, memory_order_relaxed);
	if (h - atomic_load(&o->tail) >= OUT_BUFS)
		return NULL;
	return &o->buf[h % OUT_BUFS];
}

static inline void oring_publish(struct oring *o)
{
	atomic_store(&o->head, atomic_load_explicit(&o->head, memory_order_relaxed) + 1);
}

/* Reader: the next buffer to write, NULL when there is none. */
static inline struct obuf *oring_take_buf(struct oring *o)
{
	uint32_t t = atomic_load_explicit(&o->tail, memory_order_relaxed);
	if (atomic_load(&o->head) == t)
		return NULL;
	return &o->buf[t % OUT_BUFS];
}

static inline void oring_release(struct oring *o)
{
	atomic_store(&o->tail, atomic_load_explicit(&o->tail, memory_order_relaxed) + 1);
}

#endif
