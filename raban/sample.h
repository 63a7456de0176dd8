/*
 * sample.h - the unit raban counts: one sampled packet (from sFlow, weighted
 * by its sampling rate) or one direction of a flow record, with the fields
 * apermon's filter terms, the FLOWS CSV and the thresholds need.
 */
#ifndef RABAN_SAMPLE_H
#define RABAN_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct sample {
	uint64_t t_ms;			/* arrival (sFlow) or record time */
	uint8_t family;			/* RA_AF_INET / RA_AF_INET6 */
	uint8_t proto;
	uint8_t tcpflags;
	uint8_t frag;			/* 0 none, 1 first fragment, 2 later fragment */
	uint8_t ttl, tos;
	uint16_t sport, dport;
	union ra_addr src, dst;
	uint32_t inif, outif;
	int agent;			/* index in conf agents, -1 when not listed */
	uint64_t bytes, pkts;
	int64_t flows;			/* new flows this sample stands for */
	int64_t syns;			/* SYNs without ACK this sample stands for */
	int64_t synacks;		/* SYN+ACKs */
	const struct ra_flow *flow;	/* the record, for filter-expression; NULL for sFlow */
};

/*
 * Fill the packet fields of s (family, addresses, protocol, ports, flags,
 * fragment, TTL, TOS) from a sampled header: Ethernet (802.1Q/802.1ad tags,
 * MPLS not followed) or a bare IPv4/IPv6 header.  False when it holds no
 * IP header.
 */
bool sample_from_header(struct sample *s, const uint8_t *hdr, size_t len, bool ethernet);

/*
 * The two directions of a flow record: out[0] source to destination, out[1]
 * the reply (when it has packets).  Returns how many were filled.
 */
unsigned sample_from_flow(const struct ra_flow *f, struct sample out[2]);

/* A flow record made of a sample, for filter-expression on sFlow input. */
void sample_to_flow(const struct sample *s, struct ra_flow *f);

#endif
