/*
 * sflow_feed.c - from decoded sFlow samples to the packet engine.
 *
 * A flow sample with a raw packet header becomes one engine_packet() call
 * weighted by the sampling rate (packets += rate, bytes += frame_length x
 * rate) with the agent, sub-agent, rate and ifindexes as its origin, so the
 * agent is part of the flow key.  Without a header, a sampled IPv4/IPv6
 * record becomes an engine_observation().  A counter sample becomes an
 * RA_STATUS_IFACE record; agent figures become RA_STATUS_AGENT records.
 */
#include "config.h"

#include "sflow_feed.h"

#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

static void count(struct sflow_feed *f, const struct sflow_datagram *d, unsigned reason)
{
	if (reason >= SFR_COUNT)
		return;
	if (d && f->agent)
		f->agent->malformed[reason]++;
	else
		f->agents->malformed[reason]++;
	if (sflow_reason_is_error(reason))
		engine_count_malformed(f->engine, sflow_reason_name(reason));
}

static void on_malformed(void *ctx, const struct sflow_datagram *d, unsigned reason)
{
	count(ctx, d, reason);
}

static bool on_datagram(void *ctx, const struct sflow_datagram *d)
{
	struct sflow_feed *f = ctx;

	f->agent = sflow_agents_datagram(f->agents, d, f->now_us);
	return f->agent != NULL;
}

/* The weight a sample stands for, or 0 to drop it. */
static uint32_t effective_rate(struct sflow_feed *f, const struct sflow_datagram *d, uint32_t rate)
{
	unsigned reason;
	uint32_t w = sflow_agents_rate(f->agent, rate, &reason);

	if (reason != SFR_COUNT)
		count(f, d, reason);
	return w;
}

static void on_flow_sample(void *ctx, const struct sflow_datagram *d, const struct sflow_flow_sample *s)
{
	struct sflow_feed *f = ctx;
	struct pkt_origin o;
	uint32_t rate;

	sflow_agents_flow_sample(f->agents, f->agent, s);
	rate = effective_rate(f, d, s->rate);
	if (!rate)
		return;
	o.agent_family = d->agent_family;
	o.agent = d->agent;
	o.subagent = d->subagent;
	o.rate = rate;
	o.inif = s->inif;
	o.outif = s->outif;
	o.vlan = s->has_switch ? (uint16_t)(s->src_vlan & 0xfff) : 0;

	if (s->has_header && (s->header_proto == SFLOW_HDR_ETHERNET ||
			      s->header_proto == SFLOW_HDR_IPV4 || s->header_proto == SFLOW_HDR_IPV6)) {
		int dlt = s->header_proto == SFLOW_HDR_ETHERNET ? DLT_EN10MB : DLT_RAW;
		uint32_t wire = s->frame_length;
		if (wire < s->header_len) {
			count(f, d, SFR_FRAME_SHORT);
			wire = s->header_len;
		}
		engine_packet(f->engine, dlt, f->now_us, s->header, s->header_len, wire, rate, &o);
		return;
	}
	if (s->has_header)
		count(f, d, SFR_HEADER_PROTO);
	if (s->has_ip) {
		struct ra_flow fl;
		ra_flow_init(&fl);
		fl.stime = fl.ltime = f->now_us;
		fl.family = s->ip_family;
		fl.proto = (uint8_t)s->ip_proto;
		fl.saddr = s->ip_src;
		fl.daddr = s->ip_dst;
		if (s->ip_proto == 6 || s->ip_proto == 17 || s->ip_proto == 132) {
			fl.sport = (uint16_t)s->ip_sport;
			fl.dport = (uint16_t)s->ip_dport;
		}
		fl.stos = (uint8_t)s->ip_tos;
		fl.stcpflags = (uint8_t)s->ip_tcpflags;
		fl.spkts = rate;
		fl.sbytes = (uint64_t)s->ip_length * rate;
		fl.dir = RA_DIR_FWD;
		fl.flgs = RA_FL_SAMPLED;
		if (s->has_switch && (s->src_vlan || s->dst_vlan)) {
			fl.svlan = (uint16_t)(s->src_vlan & 0xfff);
			fl.dvlan = (uint16_t)(s->dst_vlan & 0xfff);
			RA_SET(&fl, RA_BLK_L2);
		}
		engine_observation(f->engine, f->now_us, &fl, &o);
		return;
	}
	count(f, d, SFR_NO_PACKET);
}

static void on_counter_sample(void *ctx, const struct sflow_datagram *d,
			      const struct sflow_counter_sample *s)
{
	struct sflow_feed *f = ctx;
	struct ra_status *st = f->status;
	unsigned n = 0;

	sflow_agents_counter_sample(f->agents, f->agent, s);
	st->time = f->now_us;
	st->kind = RA_STATUS_IFACE;
	st->family = d->agent_family;
	st->source = d->agent;
	st->items[n++] = (struct ra_status_item){ SFC_SUBAGENT, s->source_index, d->subagent };
	st->items[n++] = (struct ra_status_item){ SFC_SEQ, s->source_index, s->seq };
	st->items[n++] = (struct ra_status_item){ SFC_SOURCE, s->source_index,
						  (uint64_t)s->source_type << 24 | (s->source_index & 0xffffff) };
	for (unsigned i = 0; i < s->nitems && n < RA_STATUS_MAX_ITEMS; i++)
		st->items[n++] = (struct ra_status_item){ s->items[i].key, s->items[i].ifindex,
							  s->items[i].value };
	st->nitems = (uint16_t)n;
	engine_emit_status(f->engine, st);
}

bool sflow_feed_init(struct sflow_feed *f, struct engine *e, struct ra_err *err)
{
	memset(f, 0, sizeof(*f));
	f->engine = e;
	f->agents = malloc(sizeof(*f->agents));
	f->status = malloc(sizeof(*f->status));
	if (!f->agents || !f->status) {
		free(f->agents);
		free(f->status);
		f->agents = NULL;
		f->status = NULL;
		ra_err_set(err, RA_ERR_NOMEM, "sflow: out of memory for the agent table");
		return false;
	}
	sflow_agents_init(f->agents);
	memset(f->status, 0, sizeof(*f->status));
	f->cb.ctx = f;
	f->cb.datagram = on_datagram;
	f->cb.flow_sample = on_flow_sample;
	f->cb.counter_sample = on_counter_sample;
	f->cb.malformed = on_malformed;
	f->status_interval_us = 60 * 1000000ull;
	return true;
}

void sflow_feed_free(struct sflow_feed *f)
{
	free(f->agents);
	free(f->status);
	f->agents = NULL;
	f->status = NULL;
}

void sflow_feed_datagram(struct sflow_feed *f, const uint8_t *buf, size_t len, uint64_t ts_us)
{
	f->received++;
	f->now_us = ts_us;
	f->agent = NULL;
	sflow_decode(buf, len, &f->cb, &f->scratch);
	f->agent = NULL;
}

static void put(struct ra_status *st, uint32_t key, uint32_t aux, uint64_t v)
{
	if (st->nitems < RA_STATUS_MAX_ITEMS)
		st->items[st->nitems++] = (struct ra_status_item){ key, aux, v };
}

static void put_malformed(struct ra_status *st, uint32_t aux, const uint64_t *m)
{
	for (unsigned r = 0; r < SFR_COUNT; r++)
		if (m[r])
			put(st, SFA_MALFORMED_BASE + r, aux, m[r]);
}

void sflow_feed_emit_status(struct sflow_feed *f, uint64_t now_us)
{
	struct ra_status *st = f->status;
	const struct sflow_agents *t = f->agents;

	for (unsigned i = 0; i < SFLOW_AGENTS_MAX; i++) {
		const struct sflow_agent *a = &t->agents[i];
		uint32_t sub = a->subagent;
		if (!a->family)
			continue;
		st->time = now_us;
		st->kind = RA_STATUS_AGENT;
		st->family = a->family;
		st->source = a->addr;
		st->nitems = 0;
		put(st, SFA_DATAGRAMS, sub, a->datagrams);
		put(st, SFA_FLOW_SAMPLES, sub, a->flow_samples);
		put(st, SFA_COUNTER_SAMPLES, sub, a->counter_samples);
		put(st, SFA_LOST_DATAGRAMS, sub, a->lost_datagrams);
		put(st, SFA_LOST_FLOW_SAMPLES, sub, a->lost_flow_samples);
		put(st, SFA_LOST_COUNTER_SAMPLES, sub, a->lost_counter_samples);
		put(st, SFA_SEQ_RESETS, sub, a->seq_resets);
		put(st, SFA_DROPS, sub, a->drops);
		put(st, SFA_SAMPLE_POOL, sub, a->sample_pool);
		if (a->rate_cap)
			put(st, SFA_RATE_CAP, sub, a->rate_cap);
		put_malformed(st, sub, a->malformed);
		engine_emit_status(f->engine, st);
	}
	st->time = now_us;
	st->kind = RA_STATUS_AGENT;
	st->family = 0;
	memset(&st->source, 0, sizeof(st->source));
	st->nitems = 0;
	put(st, SFA_RECEIVED, 0, f->received);
	put(st, SFA_DENIED, 0, t->denied);
	put(st, SFA_AGENTS_FULL, 0, t->table_full);
	put(st, SFA_SOURCES_FULL, 0, t->sources_full);
	put(st, SFA_KERNEL_DROPS, 0, f->kernel_drops);
	put(st, SFA_NOT_SFLOW, 0, f->not_sflow);
	put_malformed(st, 0, t->malformed);
	engine_emit_status(f->engine, st);
	f->last_status_us = now_us;
}

void sflow_feed_maybe_status(struct sflow_feed *f, uint64_t now_us)
{
	if (!f->last_status_us) {
		f->last_status_us = now_us;
		return;
	}
	if (f->status_interval_us && now_us - f->last_status_us >= f->status_interval_us)
		sflow_feed_emit_status(f, now_us);
}
