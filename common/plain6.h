/*
 * plain6.h - the common IPv6 flow record read straight from its bytes: as
 * plain4.h, with the IPv6 core (the addresses at bytes 56 and 72).  ring.c
 * merges such records into their groups without decoding them first.
 */
#ifndef COMMON_PLAIN6_H
#define COMMON_PLAIN6_H

#include "plain4.h"

/* Is b (len framed bytes) such a record?  Its blocks into x when it is;
 * false for any other record, damaged ones included. */
static inline __attribute__((always_inline)) bool plain6_check(const uint8_t *b, size_t len, struct plain4_blocks *x)
{
	if ((len - RA_FLOW_CORE6 > 64) | ((b[RA_AT_RFLAGS] & 7) != RA_AF_INET6) | (b[RA_AT_STATE] >= RA_ST_COUNT) |
	    (b[RA_AT_DIR] >= RA_DIR_COUNT) | (ld_le64(b + RA_AT_STIME) + ld_le32(b + RA_AT_DUR) < ld_le64(b + RA_AT_STIME)))
		return false;	/* the last, a time past the end of time (RA_TIME_OVERFLOW) */
	return plain_blocks(b, len, RA_FLOW_CORE6, x);
}

/* What a merge takes from such a record, as cl_rec_decode and cl_hot_merge
 * give it: sa and da are the first four bytes of each address as the
 * union ra_addr's v4 reads them (compared only in groups of 32-bit
 * addresses, which an IPv6 record makes blank first). */
static inline __attribute__((always_inline)) void plain6_mv(const uint8_t *b, const struct plain4_blocks *x,
							    struct cl_mv *v)
{
	plain4_mv(b, x, v);
	v->id0 ^= (uint64_t)(RA_AF_INET ^ RA_AF_INET6) << 8 * CL_B_FAMILY;
	memcpy(&v->sa, b + RA_AT_SADDR, 4);
	memcpy(&v->da, b + RA_AT_DADDR6, 4);
}

/* The addresses of such a record. */
static inline void plain6_addrs(const uint8_t *b, union ra_addr *sa, union ra_addr *da)
{
	memcpy(sa->v6, b + RA_AT_SADDR, 16);
	memcpy(da->v6, b + RA_AT_DADDR6, 16);
}

#endif
