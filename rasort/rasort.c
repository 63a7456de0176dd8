/*
 * rasort.c - order flow records by -m fields, then print them or write
 * them on.
 *
 *   rasort -r day.argus -m bytes -N 10            the ten biggest flows
 *   rasort -r day.argus -m saddr dport:asc stime  several keys
 *   racluster -m saddr -w - | rasort -m bytes -s saddr bytes load
 *   rasort -R month/ -M mem=2G -w sorted.argus    spills sorted runs to $TMPDIR
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "units.h"
#include "filter.h"
#include "options.h"
#include "printer.h"
#include "store.h"
#include "stream.h"

static const char *const default_fields[] = {
	"stime", "flgs", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "state",
};

#define DEFAULT_MEM ((size_t)1 << 30)

static void usage(FILE *fp)
{
	fprintf(fp, "usage: rasort [options] [-m field[:asc|:desc] ...] [-r file ...] [- filter]\n"
		"Sort flow records by fields; equal keys keep their input order.\n%s"
		"  -m field ...    sort keys, most significant first (default stime); counters\n"
		"                  and rates descend unless :asc, others ascend unless :desc;\n"
		"                  addresses take /len\n"
		"  -M mem=SIZE     memory for records before sorted runs go to $TMPDIR\n"
		"                  (K, M, G suffixes; default 1G)\n"
		"Fields for -m and -s:", ra_common_usage);
	for (unsigned i = 0; i < F_COUNT; i++)
		fprintf(fp, "%s%s", i % 10 ? " " : "\n   ", ra_fields[i].name);
	fputc('\n', fp);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "rasort: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

/* A set-up error; a filter error comes with the expression and a caret. */
static void report_open(const struct client *c, const struct ra_err *e)
{
	char buf[1200];
	fprintf(stderr, "rasort: %s\n", client_error_text(c, e, buf, sizeof(buf)));
}

struct run {
	struct client c;		/* options, filter, reader, writer or printer */
	struct sk_spec spec;
	struct store *st;
	size_t mem;
	uint64_t emitted, written;
	bool failed;
	struct ra_err err;		/* cleared once, and again after each report */
};

static bool emit(void *ctx, const uint8_t *rec, size_t len, const struct ra_flow *f)
{
	struct run *r = ctx;
	struct ra_err err;

	if (r->emitted++ < r->c.o.first_record)
		return true;
	if (r->c.o.max_records && r->written >= r->c.o.max_records)
		return false;
	r->written++;
	ra_err_clear(&err);	/* cheap enough per output record; not per input record */
	if (r->c.w && !ra_writer_put(r->c.w, rec, len, &err))
		goto fail;
	if (r->c.pr && !printer_flow(r->c.pr, f, &err))
		goto fail;
	return true;
fail:
	report(&err);
	r->failed = true;
	return false;
}


static int parse_modes(struct run *r)
{
	r->mem = DEFAULT_MEM;
	for (int i = 0; i < r->c.o.nmodes; i++) {
		const char *m = r->c.o.modes[i];
		if (strncmp(m, "mem=", 4) == 0) {
			uint64_t mem;
			if (!ra_parse_size(m + 4, SIZE_MAX, &mem)) {
				fprintf(stderr, "rasort: -M: '%s': memory must be a size like 512M or 2G\n", m);
				return -1;
			}
			r->mem = (size_t)mem;
		} else {
			fprintf(stderr, "rasort: -M: unknown mode '%s' (modes: mem=SIZE, json, man, TZ=zone)\n", m);
			return -1;
		}
	}
	return 0;
}

static void report_run(struct run *r)
{
	report(&r->err);
	ra_err_clear(&r->err);
}

static bool one(struct run *r, const uint8_t *rec, size_t len, struct ra_flow *f, int *status)
{
	struct ra_err *err = &r->err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);
	if (type != RA_REC_FLOW) {
		/* status records go ahead of the sorted flows when writing */
		if (r->c.w && !r->c.o.filter[0] && !r->c.o.trange.set && !ra_writer_put(r->c.w, rec, len, err)) {
			report_run(r);
			return false;
		}
		return true;
	}
	if (!ra_decode_flow(rec, len, f, err)) {
		ra_err_where(err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
		report_run(r);
		ra_reader_abandon(r->c.rd);
		*status = 1;
		return true;
	}
	if (!ra_time_range_match(&r->c.o.trange, f->stime, f->ltime))
		return true;
	if (r->c.o.filter[0] && !flt_match(r->c.flt, f))
		return true;
	/* a record of a file the reader keeps mapped stays where it is */
	if (!store_add(r->st, rec, len, ra_reader_kept(r->c.rd), f, err)) {
		report_run(r);
		return false;
	}
	return true;
}

static int run_inputs(struct run *r)
{
	struct ra_flow flow;
	struct ra_err err;
	int status = 0;

	ra_flow_init(&flow);
	ra_err_clear(&r->err);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		enum ra_read_result rr;

		rr = ra_reader_next(r->c.rd, &rec, &len, &r->err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report_run(r);
			status = r->err.code == RA_ERR_USAGE ? 2 : 1;	/* a server refused the filter */
			continue;
		}
		if (!one(r, rec, len, &flow, &status))
			return 1;
	}
	ra_err_clear(&err);
	if (!store_finish(r->st, emit, r, r->c.pr != NULL, &err)) {
		report(&err);
		return 1;
	}
	if (getenv("RASORT_DEBUG"))
		fprintf(stderr, "rasort: %llu runs spilled, at most %zu bytes held\n",
			(unsigned long long)store_runs(r->st), store_peak(r->st));
	return status;
}

static int setup(struct run *r, struct ra_err *err)
{
	const char *tmpdir = getenv("TMPDIR");
	uint64_t keep = 0;
	int rc;

	if (parse_modes(r) < 0)
		return 2;
	if (!sk_spec_parse(&r->spec, r->c.o.keys, r->c.o.nkeys, err)) {
		report(err);
		return 2;
	}
	r->c.wfilter_ok = true;
	rc = client_open(&r->c, "rasort", default_fields,
			 (int)(sizeof(default_fields) / sizeof(*default_fields)), true, err);
	if (rc) {
		report_open(&r->c, err);
		return rc;
	}
	if (r->c.o.max_records)
		keep = r->c.o.first_record + r->c.o.max_records;
	/* Regular files stay mapped, so the store refers to their records where
	 * they are (pipes and gzip files are copied); their pages stay resident
	 * when every record is read again at the end, not with -N. */
	ra_reader_keep(r->c.rd, keep == 0);
	r->st = store_new(&r->spec, r->mem, keep, tmpdir && *tmpdir ? tmpdir : "/tmp", err);
	if (!r->st) {
		report(err);
		return 1;
	}
	return 0;
}

/* Live streams (-S): notices to stderr, and SIGINT/SIGTERM end the input cleanly. */
static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }
static void notice(void *arg, const char *msg) { (void)arg; fprintf(stderr, "rasort: %s\n", msg); }

int main(int argc, char **argv)
{
	struct run r;
	struct ra_err err;
	int rc, status;

	memset(&r, 0, sizeof(r));
	ra_err_clear(&err);
	rc = ra_opts_parse(&r.c.o, "rasort", "m", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&r.c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	r.c.notice = notice;
	r.c.on_signal = on_stop;
	r.c.stop = &stop;
	for (int i = 0; i < r.c.o.nnotes; i++)	/* rarc settings not supported here */
		fprintf(stderr, "%s: %s\n", "rasort", r.c.o.notes[i]);
	status = setup(&r, &err);
	if (status == 0)
		status = run_inputs(&r);
	if (r.failed && !status)
		status = 1;
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		report(&err);
	store_free(r.st);
	return rc;
}
