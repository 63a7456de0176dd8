/*
 * learn.h - raservices -M learn: signatures grown from flows (learn.c).
 */
#ifndef RASERVICES_LEARN_H
#define RASERVICES_LEARN_H

#include <stdbool.h>
#include <stdio.h>

#include "service.h"

struct learner;

struct learner *learn_new(void);
void learn_free(struct learner *l);
/* Count one flow; false when out of memory. */
bool learn_flow(struct learner *l, const struct ra_flow *f);
/* The signatures of groups of at least min_count flows, named by `names`
 * (else by port), sorted by protocol, port and count; *out is malloc'd.
 * *dropped: flows of groups past the table's cap. */
size_t learn_result(struct learner *l, const struct svc_table *names, uint32_t min_count, struct svc_sig **out,
		    uint64_t *dropped);

#endif
