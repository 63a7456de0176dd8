/*
 * ra.c - read flow records, filter them, print them or write them on.
 *
 *   ra -r day.argus -s +sappbytes - tcp and dst port 80
 *   ra -r a.argus -w b.argus - not udp
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "filter.h"
#include "options.h"
#include "printer.h"
#include "stream.h"

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

/* ra: filter: column N: message, then the expression and a caret. */
static void report_filter(const char *expr, const struct ra_err *e)
{
	size_t col = e->offset ? (size_t)e->offset : 1;
	fprintf(stderr, "ra: filter: %s\n  %s\n  %*s^\n", e->msg, expr, (int)(col - 1), "");
}

struct run {
	struct ra_opts o;
	struct ra_filter *flt;
	struct printer *pr;
	struct ra_writer *w;
	struct ra_reader *rd;
	bool validate;
	uint64_t seen, passed, printed;
};

/* One framed record; returns 0 to go on, 1 to stop (count reached), -1 on error. */
static int one(struct run *r, const uint8_t *rec, size_t len, struct ra_flow *f, int *status)
{
	struct ra_err err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);
	bool have_filter = r->o.filter[0] != '\0';

	ra_err_clear(&err);
	if (type != RA_REC_FLOW) {
		/* status and later record types: copied by -w when nothing selects */
		if (r->w && !have_filter && !r->o.trange.set && !ra_writer_put(r->w, rec, len, &err)) {
			report(&err);
			return -1;
		}
		return 0;
	}
	if (!ra_decode_flow(rec, len, f, &err)) {
		ra_err_where(&err, ra_reader_path(r->rd), ra_reader_offset(r->rd), ra_reader_recno(r->rd));
		report(&err);
		ra_reader_abandon(r->rd);
		*status = 1;
		return 0;
	}
	if (!ra_time_range_match(&r->o.trange, f->stime, f->ltime))
		return 0;
	if (have_filter && !flt_match(r->flt, f))
		return 0;
	if (r->passed++ < r->o.first_record)
		return 0;
	if (r->o.max_records && r->printed >= r->o.max_records)
		return 1;
	r->printed++;
	if (r->w) {
		if (!ra_writer_put(r->w, rec, len, &err)) {
			report(&err);
			return -1;
		}
	} else if (r->pr && !printer_flow(r->pr, f, &err)) {
		report(&err);
		return -1;
	}
	return 0;
}

static int run_inputs(struct run *r)
{
	struct ra_flow flow;
	int status = 0;

	ra_flow_init(&flow);

	for (;;) {
		const uint8_t *rec;
		size_t len;
		struct ra_err err;
		enum ra_read_result rr;
		int rc;

		ra_err_clear(&err);
		rr = ra_reader_next(r->rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report(&err);
			status = 1;
			continue;
		}
		r->seen++;
		rc = one(r, rec, len, &flow, &status);
		if (rc < 0)
			return 1;
		if (rc > 0)
			break;
	}
	return status;
}

static void cleanup(struct run *r, char **args)
{
	printer_free(r->pr);
	ra_reader_free(r->rd);
	flt_free(r->flt);
	ra_opts_free(&r->o);
	free(args);
}

static int setup(struct run *r, struct column *cols, int *ncols)
{
	struct ra_err err;

	ra_err_clear(&err);
	r->flt = flt_compile(r->o.filter, &err);
	if (!r->flt) {
		report_filter(r->o.filter, &err);
		return 2;
	}
	if (r->o.print_program) {
		char buf[65536];
		size_t n = flt_dump(r->flt, buf, sizeof(buf));
		fwrite(buf, 1, n, stdout);
		return 0;
	}
	*ncols = ra_opts_columns(&r->o, default_fields, (int)(sizeof(default_fields) / sizeof(*default_fields)),
				 cols, &err);
	if (*ncols < 0) {
		report(&err);
		return 2;
	}
	r->rd = ra_reader_new();
	if (!r->rd)
		return 1;
	if (r->o.ninputs == 0) {
		if (isatty(0)) {
			fprintf(stderr, "ra: no input: give -r file, -R dir, or pipe records in\n");
			return 2;
		}
		r->o.inputs[r->o.ninputs++] = "-";
	}
	for (int i = 0; i < r->o.ninputs; i++)
		if (!ra_reader_add(r->rd, r->o.inputs[i], r->o.input_is_dir[i], &err)) {
			report(&err);
			return 1;
		}
	if (r->o.wfile && !r->validate) {
		r->w = ra_writer_open(r->o.wfile, r->o.gzip, false, "ra", &err);
		if (!r->w) {
			report(&err);
			return err.code == RA_ERR_USAGE ? 2 : 1;
		}
	} else if (!r->o.quiet && !r->validate) {
		r->pr = printer_new(&r->o.pr, cols, *ncols, 1, &err);
		if (!r->pr) {
			report(&err);
			return 1;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct run r;
	struct ra_err err;
	struct column cols[RA_MAX_COLS];
	int ncols = 0, rc, status;
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
	rc = ra_opts_parse(&r.o, "ra", "b", nargs, args, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		cleanup(&r, args);
		return rc == 1 ? 0 : 2;
	}
	status = setup(&r, cols, &ncols);
	if (status >= 0) {
		ra_writer_close(r.w, &err);
		cleanup(&r, args);
		return status;
	}
	status = run_inputs(&r);
	if (r.pr && !printer_flush(r.pr, &err)) {
		report(&err);
		status = 1;
	}
	if (r.w && !ra_writer_close(r.w, &err)) {
		report(&err);
		status = 1;
	}
	if (r.validate && status == 0)
		fprintf(stderr, "ra: %llu records, no damage found\n", (unsigned long long)r.seen);
	cleanup(&r, args);
	return status;
}
