/*
 * origin.c - numbers sFlow origins exactly: an open-addressing table of
 * (family, agent address, sub-agent) with a one-entry cache, since the
 * samples of one datagram all share their origin.
 */
#include "config.h"

#include "origin.h"

#include <stdlib.h>
#include <string.h>

struct origin_entry {
	uint8_t family;
	uint8_t addr[16];
	uint32_t subagent;
};

#define ORIGIN_SLOTS (2 * ORIGIN_MAX)	/* power of two, at most half full */

struct origin_tab {
	struct origin_entry *entries;	/* [ORIGIN_MAX], numbered from 1 */
	uint32_t *slots;		/* [ORIGIN_SLOTS]: entry number, 0 = empty */
	uint32_t n;
	uint32_t last;			/* number of the origin seen last */
};

struct origin_tab *origin_new(void)
{
	struct origin_tab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->entries = calloc(ORIGIN_MAX, sizeof(*t->entries));
	t->slots = calloc(ORIGIN_SLOTS, sizeof(*t->slots));
	if (!t->entries || !t->slots) {
		origin_free(t);
		return NULL;
	}
	return t;
}

void origin_free(struct origin_tab *t)
{
	if (!t)
		return;
	free(t->entries);
	free(t->slots);
	free(t);
}

/* The address bytes that count: all 16 for IPv6, the IPv4 address otherwise. */
static void addr_bytes(const struct pkt_origin *o, uint8_t out[16])
{
	memset(out, 0, 16);
	if (o->agent_family == RA_AF_INET6)
		memcpy(out, o->agent.v6, 16);
	else
		memcpy(out, &o->agent.v4, 4);
}

static bool same(const struct origin_entry *x, const struct pkt_origin *o, const uint8_t addr[16])
{
	return x->family == o->agent_family && x->subagent == o->subagent &&
	       memcmp(x->addr, addr, 16) == 0;
}

uint32_t origin_number(struct origin_tab *t, const struct pkt_origin *o, uint64_t *overflow)
{
	uint32_t h = 2166136261u, slot;
	uint8_t addr[16];

	addr_bytes(o, addr);
	if (t->last && same(&t->entries[t->last - 1], o, addr))
		return t->last;
	for (unsigned i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	h = (h ^ o->subagent ^ (uint32_t)o->agent_family << 24) * 16777619u;
	for (slot = h & (ORIGIN_SLOTS - 1);; slot = (slot + 1) & (ORIGIN_SLOTS - 1)) {
		uint32_t k = t->slots[slot];
		if (k == 0)
			break;
		if (same(&t->entries[k - 1], o, addr))
			return t->last = k;
	}
	if (t->n == ORIGIN_MAX) {
		(*overflow)++;
		return ORIGIN_OVERFLOW;
	}
	t->entries[t->n].family = o->agent_family;
	memcpy(t->entries[t->n].addr, addr, 16);
	t->entries[t->n].subagent = o->subagent;
	t->slots[slot] = ++t->n;
	return t->last = t->n;
}
