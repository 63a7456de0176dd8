/*
 * dispatch_key.h - which worker a captured frame belongs to (dispatch_key.c).
 *
 * With worker threads (argus/workers.c) every flow lives in exactly one
 * worker's flow table, so every packet that the engine would count in a
 * flow must reach that flow's worker.  The reader thread cannot afford the
 * engine's full decode, so this walks only the headers that lead to the
 * addresses of the flow key and hashes the unordered address pair:
 *
 *   - IPv4/IPv6: the source and destination address (the IGMP group in
 *     place of the destination for IGMP v1/v2, as decode_ip.c keys it).
 *     Ports are left out on purpose: a later fragment carries none, and
 *     its flow (or the orphan flow it makes) has the same two hosts.
 *   - ARP/RARP: the sender and target protocol addresses.
 *   - other frames (MAC-keyed flows): the two MAC addresses.
 *
 * An ICMP/ICMPv6 error is a flow of its own (router to sender) and also
 * marks the flow it quotes (decode_icmp.c, engine.c icmp_map()), which
 * may live in another worker: ihash is then the quoted packet's pair.
 *
 * The walk mirrors decode_link.c, decode_ip.c, decode_ip6.c,
 * decode_arp.c and decode_icmp.c: any frame the engine makes a flow of
 * yields the same hash for every packet of that flow.  A frame it cannot
 * read (cut short, unsupported) makes no flow: ok is false and any worker
 * may count it.
 */
#ifndef ARGUS_DISPATCH_KEY_H
#define ARGUS_DISPATCH_KEY_H

#include <stdbool.h>
#include <stdint.h>

struct dispatch_key {
	uint32_t hash;		/* of the frame's own flow: its unordered address pair */
	uint32_t ihash;		/* icmp_error: of the quoted packet's address pair */
	bool ok;		/* false: the engine makes no flow of it */
	bool icmp_error;	/* an ICMP error that quotes a packet */
};

void dispatch_key(int dlt, const uint8_t *bytes, uint32_t caplen, struct dispatch_key *k);

/* Worker 0 .. n-1 for a hash (the high bits, spread evenly). */
static inline unsigned dispatch_worker(uint32_t hash, unsigned n)
{
	return (unsigned)(((uint64_t)hash * n) >> 32);
}

#endif
