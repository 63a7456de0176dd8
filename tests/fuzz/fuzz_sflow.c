/*
 * fuzz_sflow.c - libFuzzer harness for the sFlow v5 datagram decoder and
 * its engine feed (agent table, rate policy, status records).
 *
 * The engine is replaced by stubs that touch every byte handed to it, so
 * AddressSanitizer sees any read outside the datagram.  An input holds one
 * datagram; a long run also exercises the per-agent tables across inputs.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "engine.h"
#include "sflow_feed.h"

static volatile uint8_t sink;

void engine_packet(struct engine *e, int dlt, uint64_t ts_us, const uint8_t *bytes, uint32_t caplen,
		   uint32_t wirelen, uint32_t weight, const struct pkt_origin *origin)
{
	uint8_t x = 0;
	for (uint32_t i = 0; i < caplen; i++)
		x ^= bytes[i];
	sink = x ^ (uint8_t)weight ^ (uint8_t)origin->inif;
}

void engine_observation(struct engine *e, uint64_t ts_us, const struct ra_flow *f,
			const struct pkt_origin *origin)
{
	sink = (uint8_t)(f->spkts ^ f->sport);
}

void engine_emit_status(struct engine *e, const struct ra_status *st)
{
	uint64_t x = 0;
	for (unsigned i = 0; i < st->nitems; i++)
		x ^= st->items[i].value;
	sink = (uint8_t)x;
}

void engine_count_malformed(struct engine *e, const char *reason)
{
	sink = (uint8_t)reason[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sflow_feed feed;
	static int ready;
	struct ra_err err;

	if (!ready) {
		if (!sflow_feed_init(&feed, NULL, &err))
			abort();
		/* One allow-list entry and a cap, so policy paths run too. */
		sflow_agents_allow(feed.agents, "0.0.0.0/1@100000", &err);
		sflow_agents_allow(feed.agents, "::/0", &err);
		ready = 1;
	}
	sflow_feed_datagram(&feed, data, size, 1);
	if ((size & 63) == 0)
		sflow_feed_emit_status(&feed, 2);
	return 0;
}
