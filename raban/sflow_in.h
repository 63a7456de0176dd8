/*
 * sflow_in.h - raban's sFlow input over argus's libsflow (sflow_in.c).
 */
#ifndef RABAN_SFLOW_IN_H
#define RABAN_SFLOW_IN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "sample.h"
#include "sflow_agents.h"
#include "sflow_decode.h"

#define SFLOW_IN_MAX_SOCKS 16

struct sflow_in {
	const struct conf *c;
	struct sflow_agents *agents;	/* heap: large */
	struct sflow_scratch scratch;
	struct sflow_callbacks cb;
	struct sflow_agent *agent;	/* of the datagram being decoded */
	int conf_agent;			/* its index in c->agents, -1 */
	uint64_t now_ms;
	int fds[SFLOW_IN_MAX_SOCKS];
	unsigned nfds;
	uint64_t received, bad, samples, not_ip;
	void *ctx;
	void (*sample)(void *ctx, struct sample *s);
	/* A datagram (or part of one) dropped, and why; d may be NULL. */
	void (*drop)(void *ctx, const struct sflow_datagram *d, const char *why);
};

bool sflow_in_init(struct sflow_in *in, const struct conf *c, char *err, size_t errcap);
void sflow_in_free(struct sflow_in *in);
/* A new configuration's agents (reload): a fresh agent table, sockets kept. */
bool sflow_in_policy(struct sflow_in *in, const struct conf *c, char *err, size_t errcap);
/* Open the sockets of the listen lines. */
bool sflow_in_bind(struct sflow_in *in, char *err, size_t errcap);
/* Read what is waiting on fd (bounded); returns datagrams read. */
unsigned sflow_in_read(struct sflow_in *in, int fd, uint64_t now_ms);
/* One datagram (the benchmark and the fuzz harness call this directly). */
void sflow_in_datagram(struct sflow_in *in, const uint8_t *buf, size_t len, uint64_t now_ms);

#endif
