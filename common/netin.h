/*
 * netin.h - record streams read from servers (-S host[:port]): argus -P
 * and radium -P, and Argus 3's argus -P (its handshake spoken, its
 * records converted to ours).  Several servers are read at once with
 * poll(2); records come out one at a time, as from a file.  The handshake
 * of argus-record(5) sends the client's filter (not sent to Argus 3).
 * A connection that drops or is refused is tried again with backoff (1 s
 * doubling to 30 s) unless reconnecting is off; every change of a
 * connection's state, and every loss record a server sends, is told
 * through the notice callback (the program prints it; nothing here prints).
 */
#ifndef COMMON_NETIN_H
#define COMMON_NETIN_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "stream.h"

struct netin;
typedef void (*netin_notice_fn)(void *arg, const char *msg);

struct netin *netin_new(void);
void netin_free(struct netin *n);
/* filter: sent in the handshake ("" for none).  stop: a signal flag that ends reading. */
void netin_configure(struct netin *n, const char *filter, bool reconnect, netin_notice_fn notice,
		     void *arg, volatile sig_atomic_t *stop);
/* Called before reading would wait for the network: flush what is printed. */
void netin_on_idle(struct netin *n, void (*idle)(void *arg), void *arg);
/* More descriptors to wait on with the servers' (radium's listening
 * server): fill() adds at most max entries, handle() gets their results. */
void netin_on_poll(struct netin *n, unsigned maxfds,
		   unsigned (*fill)(void *arg, struct pollfd *pfd, unsigned max),
		   void (*handle)(void *arg, const struct pollfd *pfd, unsigned n), void *arg);
/* Queue a server "host", "host:port", "[v6]:port"; the port defaults to 561. */
bool netin_add(struct netin *n, const char *spec, struct ra_err *err);
unsigned netin_count(const struct netin *n);
/*
 * Next record from any server.  RA_READ_END when every server has ended
 * (only without reconnecting) or the stop flag is set.  RA_READ_ERROR:
 * err says which server and what; code RA_ERR_USAGE when a server refused
 * the filter (then every connection is closed and reading ends).
 */
enum ra_read_result netin_next(struct netin *n, const uint8_t **rec, size_t *len, struct ra_err *err);
void netin_abandon(struct netin *n);	/* drop the current connection (damage seen) */
const char *netin_path(const struct netin *n);
uint64_t netin_offset(const struct netin *n);
uint64_t netin_recno(const struct netin *n);
/* Records the servers said they dropped for us, in all. */
uint64_t netin_lost(const struct netin *n);

#endif
