/*
 * input.h - the capture inputs the daemon's main loop drives.
 *
 * Every input (a pcap file, a live interface, an sFlow socket or file)
 * is a struct input: an ops table plus its own state.  The main loop
 * never knows what is behind it:
 *
 *   - fd() returns a descriptor to wait on with poll(2), or -1 for a file
 *     input that is simply run to completion, one poll() call after
 *     another, in command-line order;
 *   - poll() reads what is available now, feeds it to the engine
 *     (engine_packet(), engine_observation(), engine_tick() ...) and
 *     returns 1 when there may be more, 0 at end of input, -1 on an error
 *     (err filled; the input is then closed and the others go on);
 *   - close() releases everything; self is not used afterwards.
 *
 * Inputs are opened before privileges are dropped (-u) and before the
 * first packet is parsed.  stats() is optional (NULL): it adds the
 * input's counters (packets received, dropped by the kernel) to *st so
 * the daemon's status record carries them.
 */
#ifndef ARGUS_INPUT_H
#define ARGUS_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

struct engine;

struct input_stats {
	uint64_t received;	/* packets or datagrams read */
	uint64_t dropped;	/* dropped before we saw them (pcap_stats ps_drop) */
	uint64_t ifdropped;	/* dropped by the interface (ps_ifdrop) */
};

struct input_ops {
	int (*fd)(void *self);	/* -1 = file input, run to completion */
	int (*poll)(void *self, struct engine *e, struct ra_err *err);
	void (*close)(void *self);
	void (*stats)(void *self, struct input_stats *st);	/* may be NULL */
};

struct input {
	const struct input_ops *ops;
	void *self;
	char name[128];		/* for messages: "file.pcap", "eth0", "sflow:6343" */
};

/* The main loop's list of inputs (argus/main.c). */
#define INPUT_MAX 32
struct input_set {
	struct input in[INPUT_MAX];
	bool open[INPUT_MAX];
	unsigned n;
};

/* Register an opened input; false (err filled) when there are too many. */
bool input_register(struct input_set *set, const struct input *in, struct ra_err *err);

#endif
