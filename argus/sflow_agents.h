/*
 * sflow_agents.h - what the daemon knows about each sFlow agent.
 *
 * A bounded table keyed by agent address and sub-agent id holds, per
 * agent, the last datagram sequence number and, per sample source (source
 * id type and index), the last flow and counter sample sequence numbers,
 * so that gaps turn into counts of lost datagrams and samples.  It also
 * holds the operator's policy: an allow-list of agent prefixes (datagrams
 * from others are counted and dropped) and sampling-rate caps, one default
 * and one per allow-list entry (apermon's sample-rate-cap).
 */
#ifndef ARGUS_SFLOW_AGENTS_H
#define ARGUS_SFLOW_AGENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "record.h"
#include "sflow_decode.h"

#define SFLOW_AGENTS_MAX 1024		/* agent+sub-agent pairs tracked */
#define SFLOW_SOURCES_MAX 16384		/* sample sources tracked over all agents */
#define SFLOW_ALLOW_MAX 64		/* allow-list entries */

struct sflow_agent {
	uint8_t family;			/* RA_AF_INET / RA_AF_INET6; 0 = free slot */
	union ra_addr addr;
	uint32_t subagent;
	uint32_t rate_cap;		/* 0 = no cap */
	bool seq_seen;
	uint32_t last_seq;
	uint64_t datagrams, flow_samples, counter_samples;
	uint64_t lost_datagrams, lost_flow_samples, lost_counter_samples;
	uint64_t seq_resets;		/* sequence went backwards: agent restarted */
	uint64_t drops;			/* sum over sources of the last 'drops' seen */
	uint64_t sample_pool;		/* sum over sources of the last sample_pool seen */
	uint64_t malformed[SFR_COUNT];
	uint64_t last_seen_us;
};

struct sflow_allow {
	uint8_t family;
	union ra_addr addr;
	uint8_t prefix;			/* bits */
	uint32_t rate_cap;		/* 0 = the default cap */
};

struct sflow_source {
	uint32_t agent;			/* index + 1 in agents[]; 0 = free slot */
	uint32_t id;			/* source type << 24 | index */
	uint32_t flow_seq, ctr_seq;
	uint32_t drops, pool;
	bool flow_seen, ctr_seen;
};

struct sflow_agents {
	struct sflow_agent agents[SFLOW_AGENTS_MAX];
	unsigned nagents;
	struct sflow_source sources[SFLOW_SOURCES_MAX];
	unsigned nsources;
	struct sflow_source *last_source;	/* cache of the last lookup */
	struct sflow_allow allow[SFLOW_ALLOW_MAX];
	unsigned nallow;		/* 0 = every agent allowed */
	uint32_t default_cap;		/* 0 = none */
	/* Input-wide counts (no agent to charge them to). */
	uint64_t denied;		/* datagrams from agents not on the allow-list */
	uint64_t table_full;		/* datagrams from agents beyond SFLOW_AGENTS_MAX */
	uint64_t sources_full;		/* samples whose source could not be tracked */
	uint64_t malformed[SFR_COUNT];	/* before the agent was known */
};

void sflow_agents_init(struct sflow_agents *t);

/*
 * Policy, from the command line or the config file.  "PREFIX[@CAP]":
 * an address or address/len, optionally with a per-agent rate cap.
 */
bool sflow_agents_allow(struct sflow_agents *t, const char *spec, struct ra_err *err);
bool sflow_allow_parse(const char *spec, struct sflow_allow *a, struct ra_err *err);
bool sflow_agents_add_allow(struct sflow_agents *t, const struct sflow_allow *a, struct ra_err *err);
/* A decimal number without sign or junk. */
bool sflow_parse_u32(const char *s, uint32_t *out);
bool sflow_agents_set_cap(struct sflow_agents *t, const char *value, struct ra_err *err);

/*
 * The agent of a datagram: found or added; NULL when the allow-list
 * refuses it (t->denied counted) or the table is full (t->table_full).
 * Counts the datagram and its sequence gap.
 */
struct sflow_agent *sflow_agents_datagram(struct sflow_agents *t, const struct sflow_datagram *d,
					  uint64_t now_us);

/* Sequence accounting of one sample of agent a. */
void sflow_agents_flow_sample(struct sflow_agents *t, struct sflow_agent *a,
			      const struct sflow_flow_sample *s);
void sflow_agents_counter_sample(struct sflow_agents *t, struct sflow_agent *a,
				 const struct sflow_counter_sample *s);

/*
 * The weight a flow sample of agent a with sampling rate 'rate' stands for,
 * by the agent's policy: 1 for rate 0, the cap when the rate is above it,
 * 0 (drop the sample) for an absurd rate.  *reason is the sflow_reason to
 * count (SFR_RATE_ZERO, SFR_RATE_CAPPED, SFR_RATE_ABSURD) or SFR_COUNT.
 * Shared by the daemon's feed and raban.
 */
uint32_t sflow_agents_rate(const struct sflow_agent *a, uint32_t rate, unsigned *reason);

/*
 * Lost items between two sequence numbers: prev -> cur.  0 when cur
 * follows prev; a jump backwards (or forwards by 2^31 or more, the same
 * thing modulo 2^32) is a restart, reported through *reset, not a loss.
 */
uint32_t sflow_seq_gap(uint32_t prev, uint32_t cur, bool *reset);

#endif
