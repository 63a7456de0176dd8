/*
 * racluster.c - merge flow records that share the -m keys, then print the
 * groups or write them on as records.
 *
 *   racluster -r day.argus                      join each flow's status records
 *   racluster -r day.argus -m saddr -s saddr bytes load
 *   racluster -r day.argus -m proto dport -w - | rasort -m bytes
 *   racluster -r month/ -M idle=3600 -w joined.argus   bounded memory
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster.h"
#include "client.h"
#include "units.h"
#include "filter.h"
#include "options.h"
#include "printer.h"
#include "stream.h"

/* With -M idle, idle groups are looked for after every IDLE_BATCH records
 * (when enough record time has passed): where a long flow is cut depends
 * on it, so it stays what it has been. */
#define IDLE_BATCH 16

static const char *const default_fields[] = {
	"stime", "flgs", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "state",
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: racluster [options] [-m key ...] [-r file ...] [- filter]\n"
		"Merge flow records that share keys; with no -m, join each flow's records.\n%s"
		"  -m key ...      keys: identity fields, saddr/len daddr/len (or /m.a.s.k),\n"
		"                  matrix[/len] (the unordered address pair), none\n"
		"  -M rmon         count each record for its source and for its destination\n"
		"  -M idle=SECS    emit and forget groups idle that long (s, m, h, d suffixes)\n"
		"  -M nocorrect    with no -m, do not join a flow's reverse direction\n"
		"Keys for -m:", ra_common_usage);
	for (unsigned i = 0, n = 0; i < F_COUNT; i++)
		if (ra_fields[i].flags & FF_KEY)
			fprintf(fp, "%s%s", n++ % 10 ? " " : "\n   ", ra_fields[i].name);
	fprintf(fp, " matrix none\nFields for -s:");
	for (unsigned i = 0; i < F_COUNT; i++)
		fprintf(fp, "%s%s", i % 10 ? " " : "\n   ", ra_fields[i].name);
	fputc('\n', fp);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "racluster: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

/* A set-up error; a filter error comes with the expression and a caret. */
static void report_open(const struct client *c, const struct ra_err *e)
{
	char buf[1200];
	fprintf(stderr, "racluster: %s\n", client_error_text(c, e, buf, sizeof(buf)));
}

struct run {
	struct client c;		/* options, filter, reader, writer or printer */
	struct cl_spec spec;
	struct cl_table *t;
	uint64_t idle;			/* microseconds; 0 = hold everything */
	uint64_t now, next_check;	/* stream time: the latest last time seen */
	uint64_t emitted, written;
	bool failed;
	struct ra_err err;		/* per record: cleared once, and after each report */
	/* decoded, waiting to be merged: the table holds on to a few
	 * batches while the next is read (it fetches their groups ahead) */
	struct cl_rec batch[CL_INFLIGHT][CL_BATCH];
	uint8_t copies[CL_INFLIGHT][CL_BATCH][CL_REC_COPY_MAX];
	struct ra_flow full[CL_INFLIGHT][CL_BATCH];	/* decoded whole: for the filter, or cold */
	struct ra_flow selecting;	/* a record cl_feed frames, decoded whole for the filter */
	const struct cl_rec *pending[CL_BATCH];
	int npending, bi;
};

/* Does the next group go out, within -N? */
static bool next_out(struct run *r)
{
	if (r->emitted++ < r->c.o.first_record)
		return false;
	if (r->c.o.max_records && r->written >= r->c.o.max_records)
		return false;
	r->written++;
	return true;
}

/* A group could not go out: err reported, the run failed, the flush stops. */
static bool out_failed(struct run *r, struct ra_err *err)
{
	report(err);
	ra_err_clear(err);
	r->failed = true;
	return false;
}

/* One group out: to the writer or the printer, within -N. */
static bool emit(void *ctx, struct cl_group *g)
{
	struct run *r = ctx;
	struct ra_err *err = &r->err;

	if (r->c.wflt && !flt_match(r->c.wflt, &g->f))
		return true;	/* Argus's "-w file filter": on the merged records */
	if (!next_out(r))
		return true;
	if (r->c.w && !ra_writer_put_flow(r->c.w, &g->f, err))
		return out_failed(r, err);
	if (r->c.pr && !printer_flow_masked(r->c.pr, &g->f, g->blank, g->prefix, err))
		return out_failed(r, err);
	return true;
}

/* One group of one record out as its bytes (cl_one_raw), when nothing is
 * printed: as emit, without decoding it to encode it again. */
static bool emit_raw(void *ctx, const uint8_t *rec, size_t len)
{
	struct run *r = ctx;

	if (next_out(r) && r->c.w && !ra_writer_put(r->c.w, rec, len, &r->err))
		return out_failed(r, &r->err);
	return true;
}

static int parse_modes(struct run *r, bool *rmon, bool *nocorrect)
{
	for (int i = 0; i < r->c.o.nmodes; i++) {
		const char *m = r->c.o.modes[i];
		if (strcmp(m, "rmon") == 0) {
			*rmon = true;
		} else if (strcmp(m, "nocorrect") == 0) {
			*nocorrect = true;
		} else if (strcmp(m, "correct") == 0) {
			*nocorrect = false;	/* Argus's default, and ours */
		} else if (strncmp(m, "idle=", 5) == 0) {
			if (!ra_parse_seconds(m + 5, 100ull * 365 * 86400, &r->idle)) {
				fprintf(stderr, "racluster: -M: '%s': idle time must be a positive count of "
					"seconds, optionally with s, m, h or d\n", m);
				return -1;
			}
		} else {
			fprintf(stderr, "racluster: -M: unknown mode '%s' (modes: rmon, idle=SECS, "
				"correct, nocorrect, json, man, TZ=zone)\n", m);
			return -1;
		}
	}
	return 0;
}

/* Merge the waiting flows, then let idle groups go. */
static bool merge_pending(struct run *r)
{
	struct ra_err err;

	ra_err_clear(&err);
	if (r->npending && !cl_add_batch(r->t, r->pending, r->npending, &err)) {
		report(&err);
		return false;
	}
	for (int i = 0; i < r->npending && r->idle; i++)
		if (r->pending[i]->ltime > r->now)
			r->now = r->pending[i]->ltime;
	r->npending = 0;
	r->bi = (r->bi + 1) % CL_INFLIGHT;
	if (!r->idle)
		return true;
	if (!r->next_check)
		r->next_check = r->now + r->idle / 4 + 1;
	if (r->now >= r->next_check) {
		if (!cl_drain(r->t, &err)) {
			report(&err);
			return false;
		}
		if (r->now > r->idle && !cl_evict_idle(r->t, r->now - r->idle, emit, r))
			return false;
		r->next_check = r->now + r->idle / 4 + 1;
	}
	return true;
}

static void report_run(struct run *r)
{
	report(&r->err);
	ra_err_clear(&r->err);
}

/* One framed record; returns false on a fatal error. */
static bool one(struct run *r, const uint8_t *rec, size_t len, int *status)
{
	struct cl_rec *cr = &r->batch[r->bi][r->npending];
	struct ra_err *err = &r->err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);

	if (type != RA_REC_FLOW) {
		if (r->c.w && !r->c.o.filter[0] && !r->c.o.trange.set && !ra_writer_put(r->c.w, rec, len, err)) {
			report_run(r);
			return false;
		}
		return true;
	}
	if (!cl_rec_decode(rec, len, cr, r->copies[r->bi][r->npending], ra_reader_kept(r->c.rd), err))
		goto damaged;
	if (!ra_time_range_match(&r->c.o.trange, cr->stime, cr->ltime))
		return true;
	if (r->c.o.filter[0] || cr->cold || r->spec.whole) {
		/* decoded whole: the filter sees the payload too, and so does
		 * -m service's label */
		struct ra_flow *f = &r->full[r->bi][r->npending];
		if (!ra_decode_flow(rec, len, f, err))
			goto damaged;
		if (r->c.o.filter[0] && !flt_match(r->c.flt, f))
			return true;
		if (r->spec.whole)
			cl_rec_whole(cr, f, NULL);
		else if (cr->cold)
			cr->full = f;
	}
	r->pending[r->npending++] = cr;
	return r->npending < (r->idle ? IDLE_BATCH : CL_BATCH) || merge_pending(r);
damaged:
	ra_err_where(err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
	report_run(r);
	ra_reader_abandon(r->c.rd);
	*status = 1;
	return true;
}

/* cl_intake's feed: the batch waiting merged, then cl_feed. */
static bool feed_table(void *ctx, const uint8_t *p, size_t n, const struct time_range *tr, cl_select_fn select,
		       void *sctx, size_t *used, uint64_t *nrec, struct ra_err *err)
{
	struct run *r = ctx;

	return (!r->npending || merge_pending(r)) && cl_drain(r->t, err) &&
	       cl_feed(r->t, p, n, tr, select, sctx, used, nrec, err);
}

/*
 * The records of a kept map framed and merged by cl_feed, as far as it
 * takes them (what it leaves, one() sees).  Returns false on a fatal
 * error; *fed: it took any.
 */
static bool feed(struct run *r, bool *fed)
{
	struct cl_intake in = { r->c.rd, &r->c.o.trange, r->c.o.filter[0] ? r->c.flt : NULL, &r->selecting,
				feed_table, r };

	if (!cl_intake_next(&in, fed, &r->err)) {
		if (r->err.msg[0])
			report_run(r);
		return false;
	}
	return true;
}

static int run_inputs(struct run *r)
{
	int status = 0;
	/* the common case: records framed without a call each */
	bool framed = cl_feed_usable(&r->spec) && !r->idle;

	for (int b = 0; b < CL_INFLIGHT; b++)
		for (int i = 0; i < CL_BATCH; i++)
			ra_flow_init(&r->full[b][i]);
	ra_flow_init(&r->selecting);
	ra_err_clear(&r->err);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		enum ra_read_result rr;
		bool fed;

		if (framed) {
			if (!feed(r, &fed))
				return 1;
			if (fed)
				continue;
		}
		rr = ra_reader_next(r->c.rd, &rec, &len, &r->err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report_run(r);
			status = r->err.code == RA_ERR_USAGE ? 2 : 1;	/* a server refused the filter */
			continue;
		}
		if (!one(r, rec, len, &status))
			return 1;
	}
	if (!merge_pending(r))
		return 1;
	if (!cl_drain(r->t, &r->err)) {
		report_run(r);
		return 1;
	}
	if (!cl_flush_raw(r->t, emit, r->c.pr || r->c.wflt ? NULL : emit_raw, r))
		return 1;
	return status;
}

static int setup(struct run *r, struct ra_err *err)
{
	bool rmon = false, nocorrect = false;
	int rc;

	if (parse_modes(r, &rmon, &nocorrect) < 0)
		return 2;
	if (!cl_spec_parse(&r->spec, r->c.o.keys, r->c.o.nkeys, rmon, err)) {
		report(err);
		return 2;
	}
	if (nocorrect)
		r->spec.flow = false;
	r->c.wfilter_out = true;
	rc = client_open(&r->c, "racluster", default_fields,
			 (int)(sizeof(default_fields) / sizeof(*default_fields)), true, err);
	if (rc) {
		report_open(&r->c, err);
		return rc;
	}
	/* Input files stay mapped: records are decoded in place, not copied
	 * while their batch waits, and per flow, where most groups keep one
	 * record, the log points at those records rather than copying them
	 * (see add_first).  The files' pages then stay too rather than being
	 * given back and faulted in again when the records are emitted (not
	 * with -M idle: a month of input would stay mapped). */
	ra_reader_keep(r->c.rd, r->spec.flow && !r->idle);
	r->t = cl_table_new(&r->spec, err);
	if (!r->t) {
		report(err);
		return 1;
	}
	return 0;
}

/* Live streams (-S): notices to stderr, and SIGINT/SIGTERM end the input cleanly. */
static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }
static void notice(void *arg, const char *msg) { (void)arg; fprintf(stderr, "racluster: %s\n", msg); }

int main(int argc, char **argv)
{
	struct run r;
	struct ra_err err;
	int rc, status;

	memset(&r, 0, sizeof(r));
	ra_err_clear(&err);
	rc = ra_opts_parse(&r.c.o, "racluster", "m", argc, argv, &err);
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
		fprintf(stderr, "%s: %s\n", "racluster", r.c.o.notes[i]);
	status = setup(&r, &err);
	if (status == 0)
		status = run_inputs(&r);
	if (r.failed && !status)
		status = 1;
	cl_table_free(r.t);
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		report(&err);
	return rc;
}
