/*
 * rabins.c - cut flow records into time bins (or bins of so many records
 * or bytes), merge them by the -m keys inside each bin, and print or write
 * the bins in time order as they close; host health records too, when the
 * filter names status records (bins.h, hbinner).
 *
 *   rabins -r day.argus -M time 10s -m proto -s stime dur proto trans pkts bytes
 *   rabins -r day.argus -M hard time 1m -m saddr -w 'bins/%H/%M.argus'
 *   ra -S probe -w - | rabins -B 15s -M 5s -m proto - tcp
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bins.h"
#include "client.h"
#include "cluster.h"
#include "status.h"
#include "units.h"

#define LATE_LINES 10	/* late records reported one by one; then only counted */
/* Bytes of a mapped input framed by binner_feed at a time. */
#define FEED_BYTES ((size_t)16 << 20)

static const char *const default_fields[] = {
	"stime", "flgs", "proto", "saddr", "sport", "dir", "daddr", "dport", "pkts", "bytes", "state",
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: rabins -M bins [-B secs] [options] [-m key ...] [-r file ...] [- filter]\n"
		"Cut flow records into bins and merge them by keys inside each bin.\n%s"
		"  -M time N[smhd] time bins of that width, aligned to the epoch (also -M N[smhd])\n"
		"  -M count N[kmb] bins of N records;  -M size N[kmb]: of N bytes of records\n"
		"  -M hard         pieces carry their bin's bounds as start and last time\n"
		"  -M nomodify     a record whole in the bin of its start, not cut\n"
		"  -M rmon         count each record for its source and for its destination\n"
		"  -B secs         hold a bin that long after the stream passes its end, then\n"
		"                  write it; later records are counted and reported (s, m, h, d)\n"
		"  -m key ...      keys inside a bin, as racluster(1) takes them (no -m: per flow)\n"
		"  -w file         records; strftime fields (%%Y %%m %%d %%H %%M %%S) make one file per bin\n",
		ra_common_usage);
}

static void report(const struct ra_err *e)
{
	char buf[700];
	fprintf(stderr, "rabins: %s\n", ra_err_string(e, buf, sizeof(buf)));
}

struct run {
	struct client c;
	struct bin_spec bs;
	struct cl_spec spec;
	struct binner *b;
	uint64_t hold;			/* -B, microseconds; BINNER_HOLD_ALL without */
	const char *hold_arg;
	bool per_bin;			/* -w name with strftime fields */
	const char *wname;
	char cur[4096];			/* the per-bin file open now */
	struct ra_writer *bw;
	uint64_t emitted, written;
	uint64_t late_lines;
	bool failed;
	struct ra_flow f;		/* a record decoded whole, for the filter */
	struct ra_err err;
	/* host health records, when the filter names status records ("- health") */
	struct hbinner *hb;
	struct ra_status *st;
	struct ra_flow view;
	bool hfields;			/* -s given: health groups printed by field, else as ra prints them */
};

/* mkdir -p of the directories above path. */
static bool make_parents(const char *path, struct ra_err *err)
{
	char d[4096];
	size_t n = strlen(path);

	if (n >= sizeof(d)) {
		ra_err_set(err, RA_ERR_IO, "%s: name too long", path);
		return false;
	}
	memcpy(d, path, n + 1);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0777) != 0 && errno != EEXIST) {
			ra_err_set(err, RA_ERR_IO, "%s: %s", d, strerror(errno));
			return false;
		}
		*p = '/';
	}
	return true;
}

/* The per-bin file of a bin starting at start (microseconds): opened when
 * its name differs from the one open. */
static bool bin_file(struct run *r, uint64_t start, struct ra_err *err)
{
	char name[sizeof(r->cur)];
	time_t t = (time_t)(start / 1000000u);
	struct tm tm;

	if (!(r->c.o.pr.fmt.utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) ||
	    !strftime(name, sizeof(name), r->wname, &tm)) {
		ra_err_set(err, RA_ERR_IO, "-w %s: cannot make a file name", r->wname);
		return false;
	}
	if (r->bw && strcmp(name, r->cur) == 0)
		return true;
	if (r->bw && !ra_writer_close(r->bw, err)) {
		r->bw = NULL;
		return false;
	}
	r->bw = NULL;
	if (!make_parents(name, err) || !(r->bw = ra_writer_open(name, r->c.o.gzip, false, "rabins", err)))
		return false;
	memcpy(r->cur, name, strlen(name) + 1);
	return true;
}

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

/* A bin's group of host health records: a status record. */
static bool hemit(void *ctx, const struct bin_info *bi, const struct ra_status *st, uint64_t ltime)
{
	struct run *r = ctx;
	struct ra_err *err = &r->err;

	if (!next_out(r))
		return true;
	if (r->per_bin && (!bin_file(r, bi->start, err) || !ra_writer_put_status(r->bw, st, err)))
		goto failed;
	if (r->c.w && !ra_writer_put_status(r->c.w, st, err))
		goto failed;
	if (r->c.pr) {
		ra_status_view(st, &r->view);
		r->view.ltime = ltime;
		if (r->hfields ? !printer_flow(r->c.pr, &r->view, err) : !printer_status(r->c.pr, st, err))
			goto failed;
	}
	return true;
failed:
	report(err);
	ra_err_clear(err);
	r->failed = true;
	return false;
}

static bool emit(void *ctx, const struct bin_info *bi, struct cl_group *g)
{
	struct run *r = ctx;
	struct ra_err *err = &r->err;

	/* the health groups of the bins before this one (of this one, at its end) first */
	if (r->hb && !hbinner_close(r->hb, g ? bi->index : bi->index + 1))
		return false;
	if (!g) {	/* a bin is complete: on a stream, out now */
		if (r->hold == BINNER_HOLD_ALL)
			return true;
		if ((r->c.pr && !printer_flush(r->c.pr, err)) || (r->c.w && !ra_writer_flush(r->c.w, err)) ||
		    (r->bw && !ra_writer_flush(r->bw, err)))
			goto failed;
		return true;
	}
	if (!next_out(r))
		return true;
	if (r->per_bin && (!bin_file(r, bi->start, err) || !ra_writer_put_flow(r->bw, &g->f, err)))
		goto failed;
	if (r->c.w && !ra_writer_put_flow(r->c.w, &g->f, err))
		goto failed;
	if (r->c.pr && !printer_flow_masked(r->c.pr, &g->f, g->blank, g->prefix, err))
		goto failed;
	return true;
failed:
	report(err);
	ra_err_clear(err);
	r->failed = true;
	return false;
}

static int setup(struct run *r, struct ra_err *err)
{
	const char *rest[RA_MAX_ARGS];
	int nrest, rc;
	bool rmon = false, nocorrect = false;

	if (!bin_spec_parse(&r->bs, r->c.o.modes, r->c.o.nmodes, rest, &nrest, err)) {
		report(err);
		return 2;
	}
	for (int i = 0; i < nrest; i++) {
		if (strcmp(rest[i], "rmon") == 0) {
			rmon = true;
		} else if (strcmp(rest[i], "nocorrect") == 0) {
			nocorrect = true;
		} else {
			fprintf(stderr, "rabins: -M: unknown mode '%s' (modes: time N, N[smhd], count N, "
				"size N, hard, nomodify, rmon, nocorrect, json)\n", rest[i]);
			return 2;
		}
	}
	r->hold = BINNER_HOLD_ALL;
	if (r->hold_arg) {
		if (r->bs.mode != BIN_TIME) {
			fprintf(stderr, "rabins: -B: only with time bins\n");
			return 2;
		}
		if (strcmp(r->hold_arg, "0") == 0 || strcmp(r->hold_arg, "0s") == 0)
			r->hold = 0;
		else if (!ra_parse_seconds(r->hold_arg, 100ull * 365 * 86400, &r->hold)) {
			fprintf(stderr, "rabins: -B '%s': the hold must be a count of seconds, optionally "
				"with s, m, h or d\n", r->hold_arg);
			return 2;
		}
	}
	if (!cl_spec_parse(&r->spec, r->c.o.keys, r->c.o.nkeys, rmon, err)) {
		report(err);
		return 2;
	}
	if (nocorrect)
		r->spec.flow = false;
	if (r->c.o.wfile && strchr(r->c.o.wfile, '%') && strcmp(r->c.o.wfile, "-") != 0) {
		if (r->bs.mode != BIN_TIME) {
			fprintf(stderr, "rabins: -w %s: file names by time need time bins\n", r->c.o.wfile);
			return 2;
		}
		r->per_bin = true;
		r->wname = r->c.o.wfile;
		r->c.o.wfile = NULL;
	}
	rc = client_open(&r->c, "rabins", default_fields, (int)(sizeof(default_fields) / sizeof(*default_fields)),
			 !r->per_bin, err);
	if (rc) {
		char buf[1200];
		fprintf(stderr, "rabins: %s\n", client_error_text(&r->c, err, buf, sizeof(buf)));
		return rc;
	}
	if (flt_names_status(r->c.flt)) {
		unsigned keys = r->c.o.nkeys ? 0 : HB_KEY_LPORT | HB_KEY_SADDR;
		for (int i = 0; i < r->c.o.nkeys; i++) {
			if (strcmp(r->c.o.keys[i], "lport") == 0)
				keys |= HB_KEY_LPORT;
			else if (strcmp(r->c.o.keys[i], "saddr") == 0 || strcmp(r->c.o.keys[i], "srcid") == 0)
				keys |= HB_KEY_SADDR;
		}
		if (!(r->st = malloc(sizeof(*r->st))) || !(r->hb = hbinner_new(&r->bs, keys, hemit, r, err))) {
			if (!r->st)
				ra_err_set(err, RA_ERR_NOMEM, "out of memory");
			report(err);
			return err->code == RA_ERR_USAGE ? 2 : 1;
		}
		r->hfields = r->c.o.nfields > 0;
	}
	/* input files stay mapped: records within one bin go from the map
	 * into the table (binner_feed), and a group's first record is not copied */
	ra_reader_keep(r->c.rd, false);
	r->b = binner_new(&r->bs, &r->spec, r->hold, emit, r, err);
	if (!r->b) {
		report(err);
		return err->code == RA_ERR_USAGE ? 2 : 1;
	}
	return 0;
}

static void say_late(struct run *r, const struct ra_flow *f)
{
	char when[64];
	time_t t = (time_t)(f->stime / 1000000u);
	struct tm tm;

	if (++r->late_lines > LATE_LINES)
		return;
	if (!gmtime_r(&t, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm))
		when[0] = '\0';
	fprintf(stderr, "rabins: %s: record %llu (start %s.%06u UTC) came after its bin closed (-B %s): "
		"not counted%s\n", ra_reader_path(r->c.rd), (unsigned long long)ra_reader_recno(r->c.rd), when,
		(unsigned)(f->stime % 1000000u), r->hold_arg,
		r->late_lines == LATE_LINES ? "; further late records are only counted" : "");
}

/* A status record, when the filter names them: host health into its bins. */
static bool one_status(struct run *r, const uint8_t *rec, size_t len, int *status)
{
	struct ra_err *err = &r->err;

	if (!ra_decode_status(rec, len, r->st, err)) {
		ra_err_where(err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
		report(err);
		ra_err_clear(err);
		*status = 1;
		return true;
	}
	if (r->st->kind != RA_STATUS_HOST || !ra_time_range_match(&r->c.o.trange, r->st->time, r->st->time))
		return true;
	ra_status_view(r->st, &r->view);
	if (r->c.o.filter[0] && !flt_match(r->c.flt, &r->view))
		return true;
	if (!hbinner_put(r->hb, r->st, err)) {
		report(err);
		return false;
	}
	/* on a stream (-B), health bins close as flow bins do */
	if (r->hold != BINNER_HOLD_ALL && r->st->time >= r->hold &&
	    !hbinner_close(r->hb, (r->st->time - r->hold) / r->bs.width))
		return false;
	return true;
}

/* One framed record; false on a fatal error. */
static bool one(struct run *r, const uint8_t *rec, size_t len, int *status)
{
	struct ra_err *err = &r->err;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);
	const struct ra_flow *decoded = NULL;
	bool late;
	int rc;

	if (type == RA_REC_STATUS && r->hb)
		return one_status(r, rec, len, status);
	if (type != RA_REC_FLOW)
		return true;
	if (r->c.o.filter[0] || r->c.o.trange.set || r->hold != BINNER_HOLD_ALL) {
		if (!ra_decode_flow(rec, len, &r->f, err))
			goto damaged;
		if (!ra_time_range_match(&r->c.o.trange, r->f.stime, r->f.ltime))
			return true;
		if (r->c.o.filter[0] && !flt_match(r->c.flt, &r->f))
			return true;
		decoded = &r->f;
	}
	rc = binner_put(r->b, rec, len, ra_reader_kept(r->c.rd), decoded, &late, err);
	if (rc < 0)
		goto damaged;
	if (rc == 0) {
		if (err->msg[0])
			report(err);
		return false;
	}
	if (late)
		say_late(r, decoded);
	return true;
damaged:
	ra_err_where(err, ra_reader_path(r->c.rd), ra_reader_offset(r->c.rd), ra_reader_recno(r->c.rd));
	report(err);
	ra_err_clear(err);
	ra_reader_abandon(r->c.rd);
	*status = 1;
	return true;
}

/* cl_intake's feed: the binner's. */
static bool feed_bins(void *ctx, const uint8_t *p, size_t n, const struct time_range *tr, cl_select_fn select,
		      void *sctx, size_t *used, uint64_t *nrec, struct ra_err *err)
{
	struct run *r = ctx;

	return binner_feed(r->b, p, n, tr, select, sctx, used, nrec, err);
}

/* Records of a kept map framed and merged by binner_feed, as far as it takes
 * them (what it leaves, one() sees).  false on a fatal error; *fed: it took any. */
static bool feed(struct run *r, bool *fed)
{
	struct cl_intake in = { r->c.rd, &r->c.o.trange, r->c.o.filter[0] ? r->c.flt : NULL, &r->f, feed_bins, r };

	if (!cl_intake_next(&in, fed, &r->err)) {
		if (r->err.msg[0])
			report(&r->err);
		return false;
	}
	return true;
}

static int run_inputs(struct run *r)
{
	int status = 0;

	ra_flow_init(&r->f);
	ra_err_clear(&r->err);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		enum ra_read_result rr;
		bool fed;

		if (!feed(r, &fed))
			return 1;
		if (fed)
			continue;
		rr = ra_reader_next(r->c.rd, &rec, &len, &r->err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			report(&r->err);
			ra_err_clear(&r->err);
			status = 1;
			continue;
		}
		if (!one(r, rec, len, &status))
			return 1;
	}
	if (!binner_finish(r->b, &r->err) || (r->hb && !hbinner_finish(r->hb))) {
		if (r->err.msg[0])
			report(&r->err);
		return 1;
	}
	const struct binner_late *l = binner_late(r->b);
	if (l->records)
		fprintf(stderr, "rabins: %llu record%s came after their bins had closed (-B %s): %llu packets, "
			"%llu bytes not counted\n", (unsigned long long)l->records, l->records == 1 ? "" : "s",
			r->hold_arg, (unsigned long long)l->pkts, (unsigned long long)l->bytes);
	return status;
}

int main(int argc, char **argv)
{
	struct run *r = calloc(1, sizeof(*r));
	struct ra_err err;
	int rc, status;

	if (!r) {
		fprintf(stderr, "rabins: out of memory\n");
		return 1;
	}
	ra_err_clear(&err);
	rc = ra_opts_parse(&r->c.o, "rabins", "mB:", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report(&err);
		client_close(&r->c, 0, &err);
		free(r);
		return rc == 1 ? 0 : 2;
	}
	for (int i = 0; i < r->c.o.nextra; i++)
		if (r->c.o.extra[i].opt == 'B')
			r->hold_arg = r->c.o.extra[i].val;
	status = setup(r, &err);
	if (status == 0)
		status = run_inputs(r);
	if (r->failed && !status)
		status = 1;
	if (r->bw && !ra_writer_close(r->bw, &err)) {
		report(&err);
		status = 1;
	}
	binner_free(r->b);
	hbinner_free(r->hb);
	free(r->st);
	rc = client_close(&r->c, status, &err);
	if (rc && !status)
		report(&err);
	free(r);
	return rc;
}
