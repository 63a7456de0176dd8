/*
 * argus3_int.h - what argus3.c and argus3_derive.c share: Argus 3's
 * numbers for flow keys, TCP status and encapsulations, and the facts the
 * DSRs of one flow record said that State, Dir and Flgs are worked out from.
 */
#ifndef COMMON_ARGUS3_INT_H
#define COMMON_ARGUS3_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

enum { C_START = 0x10, C_STATUS = 0x20, C_STOP = 0x30, C_TIMEOUT = 0x40, C_SHUTDOWN = 0x60 };

/* flow DSR */
enum { FL_5TUPLE = 0x01, FL_L3MATRIX = 0x03, FL_ARP = 0x06, FL_REVERSE = 0x40, FL_FRAGMENT = 0x80 };
enum { TY_IPV4 = 0x01, TY_IPV6 = 0x02, TY_ETHER = 0x03, TY_ARP = 0x04, TY_RARP = 0x05,
       TY_INT = 0x20 };

/* TCP status bits (network DSR) */
enum {
	S_SAW_SYN = 0x01, S_SAW_SYN_SENT = 0x02, S_ESTABLISHED = 0x04, S_FIN = 0x08,
	S_FIN_ACK = 0x10, S_CLOSE = 0x20, S_SRC_RETRANS = 0x100, S_DST_RETRANS = 0x200,
	S_SRC_WINSHUT = 0x400, S_DST_WINSHUT = 0x800, S_RESET = 0x3000, S_ECN = 0xc000,
	S_SRC_OOO = 0x10000, S_DST_OOO = 0x20000,
};

/* encapsulations (encaps DSR) */
enum {
	E_MPLS = 0x01, E_ETHER = 0x02, E_8021Q = 0x04, E_LLC = 0x08, E_PPP = 0x10, E_GRE = 0x40,
	E_IP = 0x100, E_IPV6 = 0x200, E_SLL = 0x2000, E_TEREDO = 0x400000,
};

/* What the DSRs said that State, Dir and Flgs are worked out from. */
struct a3_facts {
	uint32_t tcp_status;
	uint32_t encaps;
	uint8_t cause;
	uint8_t ftype;			/* flow DSR qualifier type, 0 = no flow DSR */
	uint8_t fsub;			/* flow DSR subtype */
	bool net_tcp;			/* a TCP network DSR was there */
	bool metric;
	bool icmp_dsr;
	uint8_t icmp_type, icmp_code;
};

/* State, Dir, the flags and the counters only status bits give (argus3_derive.c). */
void a3_derive(struct ra_flow *f, const struct a3_facts *x);

#endif
