/*
 * cluster_int.h - what racluster's key, merge and table files share.
 */
#ifndef RACLUSTER_CLUSTER_INT_H
#define RACLUSTER_CLUSTER_INT_H

#include <string.h>

#include "cluster.h"

#define CL_MAX_KEYLEN 256

static inline bool cl_bit_has(const uint64_t m[2], unsigned id) { return (m[id >> 6] >> (id & 63)) & 1u; }
static inline void cl_bit_set(uint64_t m[2], unsigned id) { m[id >> 6] |= 1ull << (id & 63); }

/* Prefix bits of a family's addresses: 32, 128, or 0 (MACs: no prefixes). */
unsigned cl_family_bits(unsigned family);
/* Keep the first len bits of an address. */
void cl_mask_addr(unsigned family, union ra_addr *a, unsigned len);
/* f's key (s->keylen bytes) into out; the flow key of the reverse direction. */
void cl_build_key(const struct cl_spec *s, const struct ra_flow *f, uint64_t *out);
void cl_reverse_key(const struct cl_spec *s, const uint64_t *key, uint64_t *out);
/* A new group from its first flow; a further flow merged into it; its last touches. */
void cl_group_init(const struct cl_spec *s, struct cl_group *g, const struct ra_flow *f);
void cl_merge(const struct cl_spec *s, struct cl_group *g, const struct ra_flow *f);
void cl_finish(struct cl_group *g);

static inline uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

static inline uint32_t cl_hash_key(const uint64_t *k, size_t words)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ words;

	for (size_t i = 0; i < words; i++) {
		h = (h ^ k[i]) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return (uint32_t)mix(h);
}

static inline bool cl_key_eq(const uint8_t *stored, const uint64_t *key, size_t words)
{
	for (size_t i = 0; i < words; i++) {
		uint64_t w;
		memcpy(&w, stored + 8 * i, 8);
		if (w != key[i])
			return false;
	}
	return true;
}

static inline bool cl_addr_eq(const union ra_addr *a, const union ra_addr *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a, 16);
	memcpy(y, b, 16);
	return x[0] == y[0] && x[1] == y[1];
}

#endif
