/*
 * serve.h - the record stream server that argus -P and radium -P share.
 *
 * A server listens on TCP (loopback unless bind addresses are given; IPv4
 * and IPv6), refuses peers outside its allow-list, runs the handshake of
 * argus-record(5) (the client's "RA/1 [filter]" line; the answer is the
 * stream header, or "ERR " and a reason before the connection closes),
 * then sends every record given to srv_put() that passes the client's
 * filter.  Each client has a bounded buffer: when it is full that client's
 * records are dropped and counted, and the next thing it receives is a
 * loss record (a status record of kind RA_STATUS_LOSS) saying how many.
 *
 * The owner runs the event loop: srv_pollfds() fills pollfd entries,
 * srv_handle() takes the poll results, srv_flush() writes what is queued
 * (call it after records were put; it never blocks).  Messages for the
 * log (listening, connects, refusals, disconnects) go to the log callback;
 * nothing here prints.
 */
#ifndef COMMON_SERVE_H
#define COMMON_SERVE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

#define SRV_MAX_BINDS 16
#define SRV_DEFAULT_BUFFER (8u << 20)
#define SRV_HELLO_MAX 4096		/* the client's handshake line, newline included */

struct srv_config {
	const char *port;		/* "561" */
	const char *binds[SRV_MAX_BINDS];	/* none: 127.0.0.1 and ::1 */
	unsigned nbinds;
	const char *allow;		/* ARGUS_ACCESS_ALLOW text; NULL or "" allows every peer */
	uint64_t client_buffer;		/* bytes queued per client at most; 0: SRV_DEFAULT_BUFFER */
	unsigned max_clients;		/* 0: 1024 */
	uint64_t handshake_us;		/* 0: 10 s */
	const char *producer;		/* for the stream header */
};

/* Status items a server adds to its owner's daemon status record. */
enum {
	SRV_ST_CLIENTS = 19,		/* clients connected and streaming */
	SRV_ST_DROPPED = 20,		/* records dropped for full client buffers, every client, since start */
	SRV_ST_CLIENT_DROPPED = 400,	/* aux = client number: records dropped for that client */
	SRV_ST_CLIENT_SENT = 401,	/* aux = client number: records queued for it */
};

/* Items of a loss record (status kind RA_STATUS_LOSS). */
enum {
	SRV_LOSS_RECORDS = 1,		/* records dropped just before this record */
	SRV_LOSS_BYTES = 2,		/* their bytes */
	SRV_LOSS_TOTAL = 3,		/* records dropped on this connection so far */
};

struct srv;
typedef void (*srv_log_fn)(void *arg, const char *msg);

/* Bind and listen.  NULL with err set when no socket could be opened. */
struct srv *srv_open(const struct srv_config *cfg, srv_log_fn log, void *log_arg, struct ra_err *err);
/* Write what is queued (waiting up to wait_us for slow clients), close everything. */
void srv_close(struct srv *s, uint64_t wait_us);

/* How many pollfd entries srv_pollfds() may fill at most. */
unsigned srv_maxfds(const struct srv *s);
/* Fill pfd with the server's descriptors; returns how many. */
unsigned srv_pollfds(struct srv *s, struct pollfd *pfd, unsigned max);
/* Take the results of poll() for the entries srv_pollfds() filled. */
void srv_handle(struct srv *s, const struct pollfd *pfd, unsigned n, uint64_t now_us);
/* Queue one framed record (flow, status ...) for every streaming client. */
void srv_put(struct srv *s, const uint8_t *rec, size_t len);
/* Send what is queued, as far as the sockets take it; close handshakes past their time. */
void srv_flush(struct srv *s, uint64_t now_us);
/* Streaming clients now. */
unsigned srv_clients(const struct srv *s);
/* Add the SRV_ST_* items to st (as many as fit). */
void srv_status(const struct srv *s, struct ra_status *st);
/* The first port listened on (useful when "0" asked for any). */
unsigned srv_port(const struct srv *s);

#endif
