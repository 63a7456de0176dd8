/*
 * stream.h - reading and writing record streams.
 *
 * A reader walks a list of inputs (files, "-" for stdin, .gz through zlib,
 * directories given with -R walked recursively in name order) and hands
 * out one framed record at a time from a large block buffer.  A stream
 * header is accepted wherever one appears, so "cat a b | ra" works.  On
 * damage it reports the path, byte offset and record number, and every
 * good record before the damage has already been handed out.
 *
 * A writer creates or truncates its file (never appends), writes "-" to
 * stdout, refuses binary output to a terminal and can gzip.
 */
#ifndef COMMON_STREAM_H
#define COMMON_STREAM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"

struct ra_reader;

struct ra_reader *ra_reader_new(void);
void ra_reader_free(struct ra_reader *r);
/* Queue an input: a path, "-" for stdin.  dir=true walks a directory
 * recursively (files in name order, skipping dot files). */
bool ra_reader_add(struct ra_reader *r, const char *path, bool dir, struct ra_err *err);

enum ra_read_result {
	RA_READ_OK = 1,		/* *rec points at one framed record */
	RA_READ_END = 0,	/* every input consumed */
	RA_READ_ERROR = -1,	/* err filled; the rest of this input is skipped */
};

/*
 * Next record.  On RA_READ_OK, *rec and *len describe the framed bytes
 * (valid until the next call) and the type is at rec[0..1].  Stream
 * headers are checked and consumed here, never returned.  After an error
 * the caller may call again to go on with the next input.
 */
enum ra_read_result ra_reader_next(struct ra_reader *r, const uint8_t **rec, size_t *len,
				   struct ra_err *err);
/*
 * Live streams (netin.c): a server "host[:port]" given with -S, read after
 * the files, several at once.  ra_reader_net sets what every connection
 * uses: the filter sent in the handshake, whether to reconnect, where
 * notices go (connection state changes, loss records: the program prints
 * them) and a signal flag that ends reading.  Call it before adding servers.
 */
void ra_reader_net(struct ra_reader *r, const char *filter, bool reconnect,
		   void (*notice)(void *arg, const char *msg), void *arg, volatile sig_atomic_t *stop);
/* Called before reading waits for the network or a quiet pipe (to flush output). */
void ra_reader_on_idle(struct ra_reader *r, void (*idle)(void *arg), void *arg);
/* More descriptors to wait on while waiting for the servers (netin_on_poll),
 * or for a pipe or fifo that has nothing to read (radium's clients). */
struct pollfd;
void ra_reader_on_poll(struct ra_reader *r, unsigned maxfds,
		       unsigned (*fill)(void *arg, struct pollfd *pfd, unsigned max),
		       void (*handle)(void *arg, const struct pollfd *pfd, unsigned n), void *arg);
bool ra_reader_add_server(struct ra_reader *r, const char *spec, struct ra_err *err);
/* A signal flag that ends the wait for a quiet pipe (as ra_reader_net's does
 * for servers): the input then ends there. */
void ra_reader_stop_on(struct ra_reader *r, volatile sig_atomic_t *stop);
/* Records the servers said they dropped for us (their loss records), in all. */
uint64_t ra_reader_lost(const struct ra_reader *r);

/* Give up on the rest of the current input (after damage found by a decoder). */
void ra_reader_abandon(struct ra_reader *r);
/*
 * Keep files mapped until ra_reader_free: records of a mapped file then
 * stay valid after the next call (ra_reader_kept says which do), so a
 * caller that holds on to records (racluster's first records) can point
 * at them rather than copy them.  Pages behind the reading are given back
 * as usual (and read again when used), unless resident: for a caller that
 * reads most records again at its end, which would otherwise fault them in
 * twice.  The mapping is private and read-only; a file cut short by
 * another process while it is mapped faults, as it would while being read.
 */
void ra_reader_keep(struct ra_reader *r, bool resident);
/* Is the record just returned in a file kept mapped? */
bool ra_reader_kept(const struct ra_reader *r);
/*
 * Records of a kept map framed by the caller, for a loop that would rather
 * not make a call per record: [*p, *p + returned) are the bytes of the
 * current input from its next record on (0 when that record must come from
 * ra_reader_next: no input open, nothing framed yet in it, not a kept
 * map).  They are not checked; say with ra_reader_advance how many bytes
 * of whole data records were taken, and leave anything else (a stream
 * header, a bad frame) to ra_reader_next, which reports it.
 */
size_t ra_reader_span(struct ra_reader *r, const uint8_t **p);
void ra_reader_advance(struct ra_reader *r, size_t bytes, uint64_t records);
/* Where the record just returned came from. */
const char *ra_reader_path(const struct ra_reader *r);
uint64_t ra_reader_offset(const struct ra_reader *r);	/* byte offset of that record */
uint64_t ra_reader_recno(const struct ra_reader *r);	/* its 1-based number in its file */

struct ra_writer;

/* path "-" is stdout.  gzip: compress with zlib.  force_tty: allow binary to a tty. */
struct ra_writer *ra_writer_open(const char *path, bool gzip, bool force_tty, const char *producer,
				 struct ra_err *err);
/* Append one framed record (from ra_encode_* or a reader). */
bool ra_writer_put(struct ra_writer *w, const uint8_t *rec, size_t len, struct ra_err *err);
bool ra_writer_put_flow(struct ra_writer *w, const struct ra_flow *f, struct ra_err *err);
bool ra_writer_put_status(struct ra_writer *w, const struct ra_status *st, struct ra_err *err);
bool ra_writer_flush(struct ra_writer *w, struct ra_err *err);
/* Close and reopen the same path (SIGHUP rotation). */
bool ra_writer_reopen(struct ra_writer *w, struct ra_err *err);
bool ra_writer_close(struct ra_writer *w, struct ra_err *err);

#endif
