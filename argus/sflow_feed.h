/*
 * sflow_feed.h - turns decoded sFlow datagrams into engine input.
 *
 * Shared by the file and socket inputs, the fuzz harness and the
 * benchmark: one datagram in, engine_packet() / engine_observation() /
 * engine_emit_status() / engine_count_malformed() calls out, with the
 * agent table's policy (allow-list, rate caps) and accounting applied.
 */
#ifndef ARGUS_SFLOW_FEED_H
#define ARGUS_SFLOW_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "record.h"
#include "sflow_agents.h"
#include "sflow_decode.h"

/* Item keys of RA_STATUS_AGENT records written for sFlow (argus(8)). */
enum sflow_agent_item {
	SFA_DATAGRAMS = 1,		/* datagrams accepted from the agent */
	SFA_FLOW_SAMPLES = 2,
	SFA_COUNTER_SAMPLES = 3,
	SFA_LOST_DATAGRAMS = 4,		/* from datagram sequence gaps */
	SFA_LOST_FLOW_SAMPLES = 5,	/* from flow sample sequence gaps, per source */
	SFA_LOST_COUNTER_SAMPLES = 6,
	SFA_SEQ_RESETS = 7,		/* sequence went backwards (agent restart) */
	SFA_DROPS = 8,			/* agent-side drops: sum of the sources' last 'drops' */
	SFA_SAMPLE_POOL = 9,		/* sum of the sources' last sample_pool */
	SFA_RATE_CAP = 10,		/* rate cap in force, when there is one */
	/* input-wide record (no source address): */
	SFA_DENIED = 20,		/* datagrams from agents not on the allow-list */
	SFA_AGENTS_FULL = 21,		/* datagrams from agents beyond the table */
	SFA_SOURCES_FULL = 22,		/* samples whose source could not be tracked */
	SFA_KERNEL_DROPS = 23,		/* datagrams the kernel dropped (SO_RXQ_OVFL) */
	SFA_RECEIVED = 24,		/* datagrams read by this input */
	SFA_NOT_SFLOW = 25,		/* file input: UDP to the port that was not sFlow */
	SFA_MALFORMED_BASE = 100,	/* + enum sflow_reason: count per reason */
};

struct sflow_feed {
	struct engine *engine;
	struct sflow_agents *agents;		/* heap: large */
	struct sflow_scratch scratch;
	struct sflow_callbacks cb;
	struct sflow_agent *agent;		/* of the datagram being decoded */
	uint64_t now_us;
	uint64_t received;			/* datagrams handed to sflow_feed_datagram */
	uint64_t kernel_drops;
	uint64_t not_sflow;
	uint64_t status_interval_us;		/* 0 = only at the end */
	uint64_t last_status_us;
	struct ra_status *status;		/* heap: scratch for emitting */
};

/* Allocates the tables; false with err on memory exhaustion. */
bool sflow_feed_init(struct sflow_feed *f, struct engine *e, struct ra_err *err);
void sflow_feed_free(struct sflow_feed *f);

/* Decode one UDP payload that arrived at ts_us. */
void sflow_feed_datagram(struct sflow_feed *f, const uint8_t *buf, size_t len, uint64_t ts_us);

/* Write the agent figures (one RA_STATUS_AGENT record per agent and one
 * input-wide) now; called every status interval and at the end. */
void sflow_feed_emit_status(struct sflow_feed *f, uint64_t now_us);

/* Emit status when the interval has passed since the last time. */
void sflow_feed_maybe_status(struct sflow_feed *f, uint64_t now_us);

#endif
