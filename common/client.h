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

/* A filter error as three lines: "filter: column N: ...", the expression and
 * a caret under the column.  Returns buf. */
const char *client_filter_message(const char *expr, const struct ra_err *e, char *buf, size_t cap);

/* The text of an error from client_filter() or client_open(): the filter
 * message when the filter was at fault, ra_err_string() otherwise. */
const char *client_error_text(const struct client *c, const struct ra_err *e, char *buf, size_t cap);

#endif
