/*
 * sflow_decode.h - a pure decoder of sFlow version 5 datagrams.
 *
 * sflow_decode() walks one UDP payload through a bounds-checked cursor and
 * calls back once per datagram, flow sample and counter sample.  It keeps
 * no state between calls, allocates nothing and never prints; what it
 * cannot use it skips by its declared length and reports through the
 * malformed callback with a reason (enum sflow_reason).
 *
 * Follows "sFlow Version 5" (sflow.org, July 2004): the datagram, flow
 * samples (enterprise 0 format 1) and expanded flow samples (3), counter
 * samples (2) and expanded counter samples (4); flow records raw packet
 * header (1), Ethernet frame (2), sampled IPv4 (3), sampled IPv6 (4),
 * extended switch (1001) and extended router (1002); counter records
 * generic interface (1) and Ethernet (2).  Other types are skipped.
 */
#ifndef ARGUS_SFLOW_DECODE_H
#define ARGUS_SFLOW_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SFLOW_PORT 6343
#define SFLOW_IF_SELF 0x3fffffffu	/* ifindex value: the agent itself */

/* Why (part of) a datagram was not used; counted per reason. */
enum sflow_reason {
	SFR_SHORT,		/* datagram shorter than its header */
	SFR_VERSION,		/* not version 5 */
	SFR_AGENT_TYPE,		/* agent address type not 1 (IPv4) or 2 (IPv6) */
	SFR_SAMPLE_TRUNC,	/* a sample's declared length runs past the datagram */
	SFR_SAMPLES_MISSING,	/* fewer samples than num_samples declared */
	SFR_TRAILING,		/* bytes left after the last declared sample */
	SFR_SAMPLE_SHORT,	/* a sample too short for its own fixed fields */
	SFR_RECORD_TRUNC,	/* a record's declared length runs past its sample */
	SFR_RECORDS_MISSING,	/* fewer records than num_records declared */
	SFR_RECORD_SHORT,	/* a record too short for its own fields */
	SFR_ZERO_LENGTH,	/* a sample or record of declared length 0 */
	SFR_UNALIGNED,		/* a declared length that is not a multiple of 4 */
	SFR_HEADER_LENGTH,	/* raw header longer than its record */
	SFR_HEADER_PROTO,	/* raw header protocol other than Ethernet, IPv4, IPv6 */
	SFR_UNKNOWN_SAMPLE,	/* sample type we skip (not an error) */
	SFR_UNKNOWN_RECORD,	/* record type we skip (not an error) */
	SFR_RATE_ZERO,		/* sampling rate 0: counted with weight 1 */
	SFR_RATE_ABSURD,	/* sampling rate above SFLOW_RATE_ABSURD: sample dropped */
	SFR_RATE_CAPPED,	/* sampling rate lowered to the agent's cap */
	SFR_NO_PACKET,		/* flow sample without a header or sampled IP record */
	SFR_IFINDEX_WIDE,	/* expanded ifindex that does not fit 30 bits */
	SFR_FRAME_SHORT,	/* frame_length shorter than the header sampled from it */
	SFR_COUNT
};

/* Rates above this are taken as garbage, not as sampling (1 in 16.7M). */
#define SFLOW_RATE_ABSURD (1u << 24)

const char *sflow_reason_name(unsigned reason);	/* "sflow_short" ... */
/* True for reasons that mean broken input rather than something skipped. */
bool sflow_reason_is_error(unsigned reason);

struct sflow_datagram {
	uint8_t agent_family;		/* RA_AF_INET or RA_AF_INET6 */
	union ra_addr agent;
	uint32_t subagent;
	uint32_t seq;
	uint32_t uptime_ms;
	uint32_t nsamples;		/* as declared */
};

/* Raw packet header protocols we hand to the engine. */
enum { SFLOW_HDR_ETHERNET = 1, SFLOW_HDR_IPV4 = 11, SFLOW_HDR_IPV6 = 12 };

struct sflow_flow_sample {
	uint32_t format;		/* 1 flow sample, 3 expanded */
	uint32_t seq;
	uint32_t source_type, source_index;
	uint32_t rate, pool, drops;
	uint32_t inif, outif;		/* 2+30-bit format (expanded ones folded in) */
	uint32_t nrecords;		/* as declared */

	bool has_header;		/* raw packet header record */
	uint32_t header_proto, frame_length, stripped, header_len;
	const uint8_t *header;		/* points into the datagram */

	bool has_ethernet;		/* Ethernet frame data record */
	uint32_t eth_length, eth_type;
	uint8_t eth_src[6], eth_dst[6];

	bool has_ip;			/* sampled IPv4 (family INET) or IPv6 record */
	uint8_t ip_family;
	uint32_t ip_length, ip_proto, ip_sport, ip_dport, ip_tcpflags, ip_tos;
	union ra_addr ip_src, ip_dst;

	bool has_switch;		/* extended switch */
	uint32_t src_vlan, src_prio, dst_vlan, dst_prio;

	bool has_router;		/* extended router */
	uint8_t nexthop_family;
	union ra_addr nexthop;
	uint32_t src_mask, dst_mask;
};

/*
 * Counter ids (struct ra_status_item.key of an RA_STATUS_IFACE record);
 * argus(8) lists them.  Generic interface counters (record 1) and
 * Ethernet counters (record 2); aux carries the ifindex.
 */
enum sflow_counter_id {
	SFC_SUBAGENT = 1,	/* sub-agent id of the datagram */
	SFC_SEQ = 2,		/* counter sample sequence number */
	SFC_SOURCE = 3,		/* source id: type << 24 | index */
	SFC_IF_TYPE = 10, SFC_IF_SPEED, SFC_IF_DIRECTION, SFC_IF_STATUS,
	SFC_IF_IN_OCTETS, SFC_IF_IN_UCAST, SFC_IF_IN_MCAST, SFC_IF_IN_BCAST,
	SFC_IF_IN_DISCARDS, SFC_IF_IN_ERRORS, SFC_IF_IN_UNKNOWN,
	SFC_IF_OUT_OCTETS, SFC_IF_OUT_UCAST, SFC_IF_OUT_MCAST, SFC_IF_OUT_BCAST,
	SFC_IF_OUT_DISCARDS, SFC_IF_OUT_ERRORS, SFC_IF_PROMISC,	/* 10 .. 27 */
	SFC_ETH_ALIGNMENT = 40, SFC_ETH_FCS, SFC_ETH_SINGLE_COLL, SFC_ETH_MULTI_COLL,
	SFC_ETH_SQE, SFC_ETH_DEFERRED, SFC_ETH_LATE_COLL, SFC_ETH_EXCESS_COLL,
	SFC_ETH_MAC_TX, SFC_ETH_CARRIER, SFC_ETH_TOO_LONG, SFC_ETH_MAC_RX,
	SFC_ETH_SYMBOL,		/* 40 .. 52 */
};

#define SFLOW_COUNTER_ITEMS 96
struct sflow_counter_item {
	uint32_t key;		/* enum sflow_counter_id */
	uint32_t ifindex;	/* of the generic record, else the source index */
	uint64_t value;
};

struct sflow_counter_sample {
	uint32_t format;		/* 2 counter sample, 4 expanded */
	uint32_t seq;
	uint32_t source_type, source_index;
	uint32_t nrecords;		/* as declared */
	unsigned nitems;		/* items decoded from known records */
	struct sflow_counter_item items[SFLOW_COUNTER_ITEMS];
};

struct sflow_callbacks {
	void *ctx;
	/* Once per datagram, before its samples; return false to skip them. */
	bool (*datagram)(void *ctx, const struct sflow_datagram *d);
	void (*flow_sample)(void *ctx, const struct sflow_datagram *d,
			    const struct sflow_flow_sample *s);
	void (*counter_sample)(void *ctx, const struct sflow_datagram *d,
			       const struct sflow_counter_sample *s);
	/* d is NULL when the datagram header itself is unusable. */
	void (*malformed)(void *ctx, const struct sflow_datagram *d, unsigned reason);
};

/*
 * Scratch space the decoder fills: one flow and one counter sample, so a
 * datagram is decoded without allocation.  Keep one per input.
 */
struct sflow_scratch {
	struct sflow_flow_sample flow;
	struct sflow_counter_sample counter;
};

enum sflow_result {
	SFLOW_OK = 0,		/* decoded (parts may have been skipped) */
	SFLOW_SKIPPED,		/* the datagram callback declined it */
	SFLOW_BAD,		/* unusable datagram header */
};

enum sflow_result sflow_decode(const uint8_t *buf, size_t len, const struct sflow_callbacks *cb,
			       struct sflow_scratch *scratch);

#endif
