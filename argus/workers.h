/*
 * workers.h - the capture daemon's worker threads (workers.c): N flow
 * engines, each in a thread of its own, behind the daemon's engine.
 *
 * workers_start() gives the daemon's engine e a fan (engine_int.h): from
 * then on e's inputs, ticks, engine_sync() and engine_flush() go to the
 * workers, and e keeps only the output (the writer, the stream server) and
 * the daemon status record, written by the calling thread.  Call it after
 * the daemon went to the background (threads do not survive fork(2)) and
 * before the first packet; engine_free(e) ends them.
 */
#ifndef ARGUS_WORKERS_H
#define ARGUS_WORKERS_H

#include <stdbool.h>

#include "error.h"

struct engine;

#define WORKERS_MAX 64

/* n >= 2 worker threads behind e; false (err filled) when they cannot start. */
bool workers_start(struct engine *e, unsigned n, struct ra_err *err);

/* The default number of workers on this machine (argus(8): -W). */
unsigned workers_default(void);

#endif
