/*
 * ra.c - read flow records, filter them, print them or write them on.
 *
 *   ra -r day.argus -s +sappbytes - tcp and dst port 80
 *   ra -r a.argus -w b.argus - not udp
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "status.h"

static const char *const default_fields[] = {
	"stime", "flgs", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "state",
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: ra [options] [-r file ...] [- filter]\n"
		"Print, filter and copy flow records.\n%s"
		"  -b              print the compiled filter program and exit\n"
		"  --validate      check every record of the inputs and report the first damage\n"
		"Fields for -s:", ra_common_usage);
	for (unsigned i = 0; i < F_COUNT; i++)
		fprintf(fp, "%s%s", i % 10 ? " " : "\n   ", ra_fields[i].name);
	fputc('\n', fp);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "ra: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

/* A set-up error; a filter error comes with the expression and a caret. */
static void report_open(const struct client *c, const struct ra_err *e)
{
	char buf[1200];
	fprintf(stderr, "ra: %s\n", client_error_text(c, e, buf, sizeof(buf)));
}

static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }
static void notice(void *arg, const char *msg) { (void)arg; fprintf(stderr, "ra: %s\n", msg); }

struct run {
	struct client c;
	struct client_loop loop;	/* for each selected flow (client.h) */
	bool validate;
	bool status;			/* the filter names status records ("man") */
	struct ra_status *st;		/* one decoded status record */
	struct ra_flow view;		/* its view for the filter */
};

static void loop_report(void *ctx, const struct ra_err *e) { (void)ctx; report(e); }

/* A status record, when the filter names them ("- man"): as a flow, its view
 * passes the filter and the time range and counts for -N.  Other records
 * that are not flows: copied by -w when nothing selects. */
static int one_other(void *ctx, const uint8_t *rec, size_t len, int *status)
{
	struct run *r = ctx;
	struct client_loop *l = &r->loop;
	struct ra_err err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);

	ra_err_clear(&err);
	if (type != RA_REC_STATUS || !r->status) {
		if (!client_pass_other(&r->c, rec, len, &err)) {
			report(&err);
			return -1;
		}
		return 0;
	}
	if (!ra_decode_status(rec, len, r->st, &err)) {
		ra_err_where(&err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
		report(&err);
		*status = 1;
		return 0;
	}
	ra_status_view(r->st, &r->view);
	if (!ra_time_range_match(&r->c.o.trange, r->view.stime, r->view.ltime) || !flt_match(r->c.flt, &r->view))
		return 0;
	if (l->passed++ < r->c.o.first_record)
		return 0;
	if (r->c.o.max_records && l->out >= r->c.o.max_records)
		return 1;
	l->out++;
	if ((r->c.w && !ra_writer_put(r->c.w, rec, len, &err)) ||
	    (!r->c.w && r->c.pr && !printer_status(r->c.pr, r->st, &err))) {
		report(&err);
		return -1;
	}
	return 0;
}

static int run_inputs(struct run *r)
{
	r->loop.ctx = r;
	r->loop.report = loop_report;
	r->loop.other = one_other;
	r->loop.refusal_ends = true;
	return client_each_flow(&r->c, &r->loop);
}

int main(int argc, char **argv)
{
	struct run r;
	struct ra_err err;
	int rc, status;
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	int nargs = 0;

	memset(&r, 0, sizeof(r));
	ra_err_clear(&err);
	if (!args)
		return 1;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--validate") == 0 && nargs > 0)
			r.validate = true;
		else
			args[nargs++] = argv[i];
	}
	rc = ra_opts_parse(&r.c.o, "ra", "b", nargs, args, &err);
	free(args);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&r.c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	for (int i = 0; i < r.c.o.nnotes; i++)
		fprintf(stderr, "ra: %s\n", r.c.o.notes[i]);
	if (r.c.o.nmodes > 0) {
		fprintf(stderr, "ra: -M: unknown mode '%s' (modes: json, man, noman, TZ=zone, printer=ascii)\n",
			r.c.o.modes[0]);
		client_close(&r.c, 2, &err);
		return 2;
	}
	r.c.wfilter_ok = true;
	status = client_filter(&r.c, &err);
	if (status == 0 && r.c.o.print_program) {
		char buf[65536];
		fwrite(buf, 1, flt_dump(r.c.flt, buf, sizeof(buf)), stdout);
		client_close(&r.c, 0, &err);
		return 0;
	}
	if (r.validate)
		r.c.o.wfile = NULL;	/* --validate writes nothing */
	r.c.notice = notice;
	r.c.on_signal = on_stop;
	r.c.stop = &stop;
	if (status == 0)
		status = client_open(&r.c, "ra", default_fields,
				     (int)(sizeof(default_fields) / sizeof(*default_fields)), !r.validate, &err);
	if (status != 0) {
		report_open(&r.c, &err);
		client_close(&r.c, status, &err);
		return status;
	}
	r.status = flt_names_status(r.c.flt) || r.c.o.print_man;
	if (r.status) {
		r.st = malloc(sizeof(*r.st));
		if (!r.st) {
			fprintf(stderr, "ra: out of memory\n");
			client_close(&r.c, 1, &err);
			return 1;
		}
	}
	status = run_inputs(&r);
	free(r.st);
	if (r.validate && status == 0)
		fprintf(stderr, "ra: %llu records, no damage found\n", (unsigned long long)r.loop.seen);
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		report(&err);
	return rc;
}
