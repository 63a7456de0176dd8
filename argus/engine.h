/*
 * engine.h - the packet engine every capture input feeds.
 *
 * Inputs (pcap files, live interfaces, sFlow datagrams) hand packets to
 * engine_packet(); the engine decodes them layer by layer, updates the
 * flow table and writes flow and status records to its outputs.  A packet
 * from a sampled source carries a weight (the sampling rate) and an
 * origin (agent, sub-agent, ifindex) that becomes part of the flow key.
 */
#ifndef ARGUS_ENGINE_H
#define ARGUS_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

struct engine;

/* Where a packet came from; all zero for packets captured here. */
struct pkt_origin {
	uint8_t agent_family;		/* RA_AF_INET / RA_AF_INET6, 0 = captured here */
	union ra_addr agent;		/* sFlow agent address */
	uint32_t subagent;		/* sFlow sub-agent id */
	uint32_t rate;			/* sampling rate (1 in N), 0 = unsampled */
	uint32_t inif, outif;		/* sFlow 2+30-bit ifindex format, kept as sent */
	uint16_t vlan;			/* 802.1Q VLAN the sampled frame came in on, from the
					 * sFlow extended switch record, when its header has
					 * no tag; 0 = unknown */
};

/*
 * Feed one packet.  dlt is the libpcap link type (DLT_EN10MB, DLT_RAW ...),
 * caplen the bytes present at bytes, wirelen the frame's length on the
 * wire, weight how many packets this one stands for (1 when captured,
 * the sampling rate for sFlow: packets += weight, bytes += wirelen * weight).
 * origin may be NULL for captured packets.
 */
void engine_packet(struct engine *e, int dlt, uint64_t ts_us, const uint8_t *bytes,
		   uint32_t caplen, uint32_t wirelen, uint32_t weight,
		   const struct pkt_origin *origin);

/*
 * Feed a flow observation that came without packet bytes (an sFlow
 * "sampled IPv4/IPv6" record): f carries family, proto, addresses, ports,
 * tos/tcp flags and spkts/sbytes already weighted.  The engine merges it
 * into the flow table like a packet in the source-to-destination direction.
 */
void engine_observation(struct engine *e, uint64_t ts_us, const struct ra_flow *f,
			const struct pkt_origin *origin);

/* Write a status record (sFlow agent figures, interface counters) now. */
void engine_emit_status(struct engine *e, const struct ra_status *st);

/* Count a malformed input unit by reason name (shown in the status record). */
void engine_count_malformed(struct engine *e, const char *reason);

/* Move the engine's clock: expire idle flows, emit status records. */
void engine_tick(struct engine *e, uint64_t now_us);

/* Added by the daemon: true when engine_packet() decodes this link type. */
bool engine_dlt_supported(int dlt);

/*
 * Added by the daemon: several captured packets of one link type at once
 * (weight 1, no origin), in time order.  The same as calling
 * engine_packet() for each, but the engine decodes a batch first and
 * fetches the flows' memory for all of them before it updates any, so
 * cache misses overlap.  Used by the pcap file reader.
 */
struct engine_frame {
	uint64_t ts_us;
	const uint8_t *bytes;
	uint32_t caplen, wirelen;
};
void engine_packets(struct engine *e, int dlt, const struct engine_frame *fr, unsigned n);

/*
 * With worker threads (argus/workers.c) engine_packets() hands the frames
 * on without a copy: their bytes must stay readable until engine_sync()
 * returns, which waits until every packet handed over is accounted.  The
 * daemon calls it before it closes an input.  A no-op without workers.
 */
void engine_sync(struct engine *e);

#endif
