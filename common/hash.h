/*
 * hash.h - the 64-bit finalizer the daemon's flow table and racluster's
 * group table both hash with (MurmurHash3's fmix64: every input bit
 * reaches every output bit).
 */
#ifndef COMMON_HASH_H
#define COMMON_HASH_H

#include <stdint.h>

static inline uint64_t ra_mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

#endif
