/*
 * client.c - the set-up and tear-down every record client shares: filter,
 * columns, inputs, and the -w writer or the printer; and the loop over the
 * selected flows of the clients that take records one by one.
 */
#include "config.h"

#include "client.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int client_filter(struct client *c, struct ra_err *err)
{
	if (c->flt)
		return 0;
	if (c->o.wfilter) {
		/* Argus's "-w file filter": for a tool whose output records are its
		 * input records, the same as both filters on the input */
		size_t n = strlen(c->o.filter) + strlen(c->o.wfilter) + 16;
		char *both;
		if (c->wfilter_out) {
			c->wflt = flt_compile(c->o.wfilter, err);
			if (!c->wflt) {
				char msg[sizeof(err->msg)];
				memcpy(msg, err->msg, sizeof(msg));
				ra_err_set(err, RA_ERR_USAGE, "-w %s: output filter: %s", c->o.wfile, msg);
				return 2;
			}
			goto input;
		}
		if (!c->wfilter_ok) {
			ra_err_set(err, RA_ERR_USAGE, "-w %s %s: an output filter after -w's file is not "
				   "supported by this tool; give the filter after '-'", c->o.wfile, c->o.wfilter);
			return 2;
		}
		both = malloc(n);
		if (!both) {
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			return 1;
		}
		if (c->o.filter[0])
			snprintf(both, n, "(%s) and (%s)", c->o.filter, c->o.wfilter);
		else
			snprintf(both, n, "%s", c->o.wfilter);
		free(c->o.filter);
		c->o.filter = both;
	}
input:
	c->flt = flt_compile(c->o.filter ? c->o.filter : "", err);
	if (!c->flt) {
		c->filter_error = true;
		return 2;
	}
	return 0;
}

/* Before waiting for the network: what is printed or written so far goes out. */
static void flush_idle(void *arg)
{
	struct client *c = arg;
	struct ra_err e;

	ra_err_clear(&e);
	if (c->pr)
		printer_flush(c->pr, &e);
	if (c->w)
		ra_writer_flush(c->w, &e);
}

bool client_noreconnect(const struct client *c) { return c->o.noreconnect; }

/* SIGINT and SIGTERM end reading (poll returns: no SA_RESTART). */
static bool catch_stop(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGINT, &sa, NULL) == 0 && sigaction(SIGTERM, &sa, NULL) == 0;
}

int client_open(struct client *c, const char *producer, const char *const *defaults, int ndefaults,
		bool print, struct ra_err *err)
{
	int rc = client_filter(c, err);

	if (rc)
		return rc;
	c->ncols = ra_opts_columns(&c->o, defaults, ndefaults, c->cols, err);
	if (c->ncols < 0)
		return 2;
	c->rd = ra_reader_new();
	if (!c->rd) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return 1;
	}
	if (c->o.nservers > 0) {
		ra_reader_net(c->rd, c->o.filter, !c->o.noreconnect, c->notice, c->notice_arg, c->stop);
		ra_reader_on_idle(c->rd, flush_idle, c);
		for (int i = 0; i < c->o.nservers; i++)
			if (!ra_reader_add_server(c->rd, c->o.servers[i], err))
				return 2;
		if (c->on_signal && !catch_stop(c->on_signal)) {
			ra_err_set(err, RA_ERR_IO, "cannot catch SIGINT and SIGTERM");
			return 1;
		}
	}
	if (c->o.ninputs == 0 && c->o.nservers == 0) {
		if (isatty(0)) {
			ra_err_set(err, RA_ERR_USAGE, "no input: give -r file, -R dir, or pipe records in");
			return 2;
		}
		c->o.inputs[c->o.ninputs++] = "-";
	}
	for (int i = 0; i < c->o.ninputs; i++)
		if (!ra_reader_add(c->rd, c->o.inputs[i], c->o.input_is_dir[i], err))
			return 1;
	if (c->o.wfile) {
		c->w = ra_writer_open(c->o.wfile, c->o.gzip, false, producer, err);
		if (!c->w)
			return err->code == RA_ERR_USAGE ? 2 : 1;
	} else if (print && !c->o.quiet) {
		c->pr = printer_new(&c->o.pr, c->cols, c->ncols, 1, err);
		if (!c->pr)
			return 1;
	}
	return 0;
}

int client_close(struct client *c, int status, struct ra_err *err)
{
	struct ra_err e2;

	if (c->rd && ra_reader_lost(c->rd) && c->notice) {
		char msg[120];
		snprintf(msg, sizeof(msg), "%llu records lost in all (server buffer full)",
			 (unsigned long long)ra_reader_lost(c->rd));
		c->notice(c->notice_arg, msg);
	}
	if (c->pr && !printer_flush(c->pr, err))
		status = 1;
	if (c->w && !ra_writer_close(c->w, status ? &e2 : err))
		status = 1;
	c->w = NULL;
	printer_free(c->pr);
	c->pr = NULL;
	ra_reader_free(c->rd);
	c->rd = NULL;
	flt_free(c->flt);
	c->flt = NULL;
	flt_free(c->wflt);
	c->wflt = NULL;
	ra_opts_free(&c->o);
	return status;
}

const char *client_filter_message(const char *expr, const struct ra_err *e, char *buf, size_t cap)
{
	size_t col = e->offset ? (size_t)e->offset : 1;

	snprintf(buf, cap, "filter: %s\n  %s\n  %*s^", e->msg, expr, (int)(col - 1), "");
	return buf;
}

const char *client_error_text(const struct client *c, const struct ra_err *e, char *buf, size_t cap)
{
	if (c->filter_error)
		return client_filter_message(c->o.filter, e, buf, cap);
	return ra_err_string(e, buf, (unsigned)cap);
}

bool client_put_flow(struct client *c, const uint8_t *rec, size_t len, const struct ra_flow *f, struct ra_err *err)
{
	if (c->w)
		return ra_writer_put(c->w, rec, len, err);
	return !c->pr || printer_flow(c->pr, f, err);
}

bool client_pass_other(struct client *c, const uint8_t *rec, size_t len, struct ra_err *err)
{
	return !c->w || c->o.filter[0] || c->o.trange.set || ra_writer_put(c->w, rec, len, err);
}

/* One framed record; 0 go on, 1 stop (count reached), -1 failed (reported). */
static int each_one(struct client *c, struct client_loop *l, const uint8_t *rec, size_t len, struct ra_flow *f,
		    int *status)
{
	struct ra_err err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);

	ra_err_clear(&err);
	if (type != RA_REC_FLOW) {
		if (l->other)
			return l->other(l->ctx, rec, len, status);
		if (l->copy_other && !client_pass_other(c, rec, len, &err)) {
			l->report(l->ctx, &err);
			return -1;
		}
		return 0;
	}
	/* A filter of core fields: the usual record is matched where it lies,
	 * or on its core; only what passes and is used is decoded. */
	bool have_filter = c->o.filter[0] != '\0', matched = false;
	if (have_filter && !l->take && l->raw && !c->o.trange.set) {
		int m = flt_raw_match(l->raw, rec, len);
		if (m == 0)
			return 0;
		matched = m > 0;
	}
	if (!matched && have_filter && !l->take && l->core_filter && ra_decode_core(rec, len, &l->core)) {
		if (!ra_time_range_match(&c->o.trange, l->core.stime, l->core.ltime) ||
		    !flt_match(c->flt, &l->core))
			return 0;
		matched = true;
	}
	if ((!matched || l->flow || (!c->w && c->pr)) && !ra_decode_flow(rec, len, f, &err)) {
		ra_err_where(&err, ra_reader_path(c->rd), ra_reader_offset(c->rd), ra_reader_recno(c->rd));
		l->report(l->ctx, &err);
		ra_reader_abandon(c->rd);
		*status = 1;
		return 0;
	}
	if (!matched) {
		if (l->take && !l->take(l->ctx, f))
			return 0;
		if (!ra_time_range_match(&c->o.trange, f->stime, f->ltime))
			return 0;
		if (have_filter && !flt_match(c->flt, f))
			return 0;
	}
	if (l->passed++ < c->o.first_record)
		return 0;
	if (c->o.max_records && l->out >= c->o.max_records)
		return 1;
	l->out++;
	if (l->flow)
		return l->flow(l->ctx, rec, len, f);
	if (!client_put_flow(c, rec, len, f, &err)) {
		l->report(l->ctx, &err);
		return -1;
	}
	return 0;
}

static int each_flow(struct client *c, struct client_loop *l, struct ra_flow *f);

int client_each_flow(struct client *c, struct client_loop *l)
{
	struct ra_flow flow;
	int status;

	ra_flow_init(&flow);
	ra_flow_init(&l->core);
	l->core_filter = c->flt && flt_core_only(c->flt);
	l->raw = c->flt ? flt_raw_new(c->flt) : NULL;
	status = each_flow(c, l, &flow);
	flt_raw_free(l->raw);
	l->raw = NULL;
	return status;
}

static int each_flow(struct client *c, struct client_loop *l, struct ra_flow *f)
{
	int status = 0;

	for (;;) {
		const uint8_t *rec;
		size_t len;
		struct ra_err err;
		enum ra_read_result rr;
		int rc;

		ra_err_clear(&err);
		rr = ra_reader_next(c->rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			l->report(l->ctx, &err);
			/* a server that refused the filter: a usage error */
			if (err.code == RA_ERR_USAGE && l->refusal_ends)
				return 2;
			status = err.code == RA_ERR_USAGE ? 2 : 1;
			continue;
		}
		l->seen++;
		rc = each_one(c, l, rec, len, f, &status);
		if (rc < 0)
			return 1;
		if (rc > 0)
			break;
	}
	return status;
}
