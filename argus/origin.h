/*
 * origin.h - exact numbering of sFlow origins (agent address + sub-agent),
 * so that the flow key tells agents apart without comparing addresses:
 * two agents never share a number, whatever their hashes.
 */
#ifndef ARGUS_ORIGIN_H
#define ARGUS_ORIGIN_H

#include <stdint.h>

#include "engine.h"

#define ORIGIN_MAX 65536u		/* distinct agent/sub-agent pairs numbered */
#define ORIGIN_OVERFLOW (ORIGIN_MAX + 1)	/* the number every later origin shares */
#define ORIGIN_SAMPLED_FRAGMENT (ORIGIN_MAX + 2)	/* later fragments inside sFlow samples */

struct origin_tab;

struct origin_tab *origin_new(void);
void origin_free(struct origin_tab *t);
/* 1..ORIGIN_MAX for a known or new origin; ORIGIN_OVERFLOW when the table
 * is full (counted in *overflow); 0 when there is no memory. */
uint32_t origin_number(struct origin_tab *t, const struct pkt_origin *o, uint64_t *overflow);

#endif
