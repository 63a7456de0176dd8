/*
 * client.h - what every record client does around its one job.
 *
 * After the command line is parsed, client_open() compiles the filter,
 * resolves the -s columns, queues the inputs (standard input when none is
 * given and it is not a terminal) and opens the output: -w, or a printer
 * unless -q.  client_close() flushes and frees it all.  Nothing here prints
 * to stderr: errors come back in a struct ra_err for the tool to report.
 */
#ifndef COMMON_CLIENT_H
#define COMMON_CLIENT_H

#include <signal.h>
#include <stdbool.h>

#include "filter.h"
#include "options.h"
#include "printer.h"
#include "stream.h"

struct client {
	struct ra_opts o;
	struct ra_filter *flt;
	struct ra_reader *rd;
	struct ra_writer *w;
	struct printer *pr;
	struct column cols[RA_MAX_COLS];
	int ncols;
	bool filter_error;	/* the error is the filter's: show it with a caret */
	bool wfilter_ok;	/* set by a tool whose output records are input records:
				   Argus's "-w file filter" then joins the filter */
	bool wfilter_out;	/* set by a tool that makes new records (racluster): the
				   "-w file filter" is compiled into wflt for its output */
	struct ra_filter *wflt;
	/* Live streams (-S), set by the program before client_open(): where
	 * connection notices and loss reports go (the program prints them),
	 * and a handler for SIGINT/SIGTERM that sets *stop, installed when
	 * there are servers to read, so the client ends cleanly. */
	void (*notice)(void *arg, const char *msg);
	void *notice_arg;
	void (*on_signal)(int sig);
	volatile sig_atomic_t *stop;
};

/* Compile o.filter into c->flt.  Returns 0, or 2 with err filled. */
int client_filter(struct client *c, struct ra_err *err);

/*
 * The rest of the set-up (client_filter() first, if it has not been called).
 * print: open a printer on standard output unless -w or -q was given.
 * Returns 0, or the exit status (2 usage, 1 anything else) with err filled.
 */
int client_open(struct client *c, const char *producer, const char *const *defaults, int ndefaults,
		bool print, struct ra_err *err);

/* Was -M noreconnect given? */
bool client_noreconnect(const struct client *c);

/* Flush and close the outputs and free everything.  Returns status, or 1 with
 * err filled when the output could not be written. */
int client_close(struct client *c, int status, struct ra_err *err);

/*
 * For each selected flow: the loop of a client that reads records one by
 * one (ra, radump, raservices, rafilteraddr).  Each record of every input
 * is read; a flow record is decoded, offered to take (when set: a tool's
 * own selection or label, before the time range), kept when it is in -t's
 * range and the filter takes it, and after -N's first skipped and up to
 * its count, handed to flow (when NULL: written by -w, else printed).
 * Without take, a filter of core fields is matched before the record is
 * decoded (on its bytes, flt_raw_new, or its core), and a record that -w
 * copies is not decoded at all.
 * Records of other types go to other (when NULL: copied by -w when there
 * is no filter and no time range, if copy_other, else left out).
 *
 * Damage is reported (with file, offset and record number) and the rest
 * of that input abandoned: status 1, the next input read.  An input that
 * cannot be read is reported too: status 1, or 2 when a server refused
 * the filter (a usage error), which ends the run when refusal_ends.
 * Returns the status: 0, 1 or 2, or 1 at once when flow, other or the
 * output failed (reported).
 */
struct client_loop {
	void *ctx;
	void (*report)(void *ctx, const struct ra_err *err);	/* the tool prints it */
	bool (*take)(void *ctx, struct ra_flow *f);
	/* 0 go on, 1 stop (a count reached), -1 failed (reported) */
	int (*flow)(void *ctx, const uint8_t *rec, size_t len, struct ra_flow *f);
	int (*other)(void *ctx, const uint8_t *rec, size_t len, int *status);
	bool copy_other;
	bool refusal_ends;
	uint64_t seen;		/* records read */
	uint64_t passed;	/* selected flows (and what other counts): -N's first counts them */
	uint64_t out;		/* those handed on: -N's count */
	/* the loop's own: a filter of core fields matched where the record
	 * lies (flt_raw), or on its core alone, before any decode */
	struct flt_raw *raw;
	bool core_filter;
	struct ra_flow core;
};

int client_each_flow(struct client *c, struct client_loop *l);

/* A selected flow out the default way: its record by -w, else printed.
 * false with err filled when the output failed. */
bool client_put_flow(struct client *c, const uint8_t *rec, size_t len, const struct ra_flow *f, struct ra_err *err);

/* A record of another type than flows copied by -w when nothing selects
 * (no filter, no time range).  false with err filled when -w failed. */
bool client_pass_other(struct client *c, const uint8_t *rec, size_t len, struct ra_err *err);

/* A filter error as three lines: "filter: column N: ...", the expression and
 * a caret under the column.  Returns buf. */
const char *client_filter_message(const char *expr, const struct ra_err *e, char *buf, size_t cap);

/* The text of an error from client_filter() or client_open(): the filter
 * message when the filter was at fault, ra_err_string() otherwise. */
const char *client_error_text(const struct client *c, const struct ra_err *e, char *buf, size_t cap);

#endif
