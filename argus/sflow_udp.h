/*
 * sflow_udp.h - find the UDP payload sent to a port in a captured frame,
 * so sFlow datagrams can be replayed from a pcap file.
 */
#ifndef ARGUS_SFLOW_UDP_H
#define ARGUS_SFLOW_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

enum sflow_udp_result {
	SFLOW_UDP_OK,		/* payload found */
	SFLOW_UDP_OTHER,	/* not UDP to the port (or not IP at all) */
	SFLOW_UDP_FRAGMENT,	/* an IP fragment: not reassembled */
	SFLOW_UDP_TRUNCATED,	/* the capture cut the datagram short */
};

struct sflow_udp {
	const uint8_t *payload;
	size_t len;
	uint8_t src_family;		/* RA_AF_INET / RA_AF_INET6 */
	union ra_addr src;		/* the sender (not necessarily the agent) */
};

/* dlt: DLT_EN10MB (with 802.1Q/802.1ad tags), DLT_LINUX_SLL, DLT_RAW,
 * DLT_NULL, DLT_LOOP; IPv4 and IPv6 (with extension headers). */
enum sflow_udp_result sflow_udp_payload(int dlt, const uint8_t *pkt, size_t caplen,
					uint16_t port, struct sflow_udp *out);

#endif
