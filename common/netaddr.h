/*
 * netaddr.h - the address handling the stream server and its clients
 * share: "host[:port]" and "[v6addr]:port" specs, allow-lists of IPv4 and
 * IPv6 CIDR blocks, and socket addresses as text for messages.
 */
#ifndef COMMON_NETADDR_H
#define COMMON_NETADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "error.h"

#define NET_DEFAULT_PORT "561"	/* Argus's port */

/*
 * Split "host", "host:port", "[v6]:port", "[v6]" or a bare IPv6 address
 * into host and port (defport when none is given).  False with err set on
 * an empty host, a bad port or a name too long.
 */
bool net_split(const char *spec, const char *defport, char *host, size_t hcap, char *port,
	       size_t pcap, struct ra_err *err);

/* An allow-list: IPv4 and IPv6 networks.  Empty (n == 0) allows everyone. */
#define NET_ALLOW_MAX 64
struct net_allow {
	unsigned n;
	struct net_block {
		unsigned char v6;	/* 0: IPv4 (addr[0..3]), 1: IPv6 */
		unsigned char bits;
		unsigned char addr[16];
	} b[NET_ALLOW_MAX];
};

/* "10.0.0.0/8, 192.168.1.7, 2001:db8::/32": commas and/or spaces between. */
bool net_allow_parse(struct net_allow *a, const char *list, struct ra_err *err);
/* Is this peer in the list?  An IPv4-mapped IPv6 peer matches IPv4 blocks. */
bool net_allow_match(const struct net_allow *a, const struct sockaddr *sa);

/* "127.0.0.1:4321" or "[::1]:4321". */
const char *net_addr_string(const struct sockaddr *sa, char *buf, size_t cap);

#endif
