/*
 * rastream.c - write a record stream into files named by record time and
 * rotated by time, size or count; run a script on every closed file.
 *
 *   rastream -S probe -M time 1h -w '/archive/%Y/%m/%d/argus.%H.%M.%S' [-f script] [-B secs]
 *   rastream -S probe -M size 100m -w 'argus.%Y%m%d.%H%M%S.gz'
 *   rastream -S probe -M count 1000000 -w 'argus.%s'
 *
 * In time mode a record goes to the file of the interval its start time
 * falls in; a file is closed when the stream's clock (the latest record
 * time, moved on by the wall clock while nothing arrives) has passed the
 * end of its interval by the hold time (-B), so late records still find it.
 * A name that exists already gets ".1", ".2" ...: nothing is overwritten.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "status.h"
#include "script.h"
#include "units.h"

#define PRODUCER "rastream " PACKAGE_VERSION
#define MAX_OPEN 64
/* Flushed at this many bytes, below the writer's own block, so rastream
 * knows which records a file holds when a write fails. */
#define FLUSH_AT (64u * 1024u)

enum { M_TIME, M_SIZE, M_COUNT };

struct bin {
	uint64_t start, end;		/* time mode: [start, end) in microseconds */
	char path[4096];
	struct ra_writer *w;		/* NULL once a write failed: its records are lost */
	uint64_t bytes, records;
	uint64_t pending;		/* bytes put since the last flush */
	uint64_t ondisk;		/* records known written (at the last flush) */
	uint64_t lost;			/* records of this file not written */
};

struct rs {
	struct client c;
	int mode;
	uint64_t interval, limit, hold;
	const char *pattern, *script;
	uint64_t script_timeout;
	struct bin bins[MAX_OPEN];
	unsigned nbins;
	uint64_t clock, clock_wall;	/* latest record time, and the wall time it was seen */
	uint64_t late, files, lost;
	bool failed, fatal;
	struct scripts *sc;
	struct ra_flow f;
	struct ra_status st;
};

static volatile sig_atomic_t stop;
static void on_stop(int sig) { (void)sig; stop = 1; }

static void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logmsg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("rastream: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void notice(void *arg, const char *msg) { (void)arg; logmsg("%s", msg); }

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void usage(FILE *fp)
{
	fprintf(fp, "usage: rastream (-S host[:port] | -r file) -M time N | size N | count N -w pattern\n"
		"                [-f script] [-B secs] [-T secs] [- filter]\n"
		"Write a record stream into files named by record time (strftime), rotated.\n"
		"  -M time 1h      one file per interval of record time (s, m, h, d)\n"
		"  -M size 100m    a new file when one reaches this size\n"
		"  -M count N      a new file every N records\n"
		"  -w pattern      file names: strftime conversions; .gz compresses\n"
		"  -B secs         hold a time interval's file open this long past its end (10)\n"
		"  -f script       run script FILE on every closed file, in the background\n"
		"  -T secs         a script running longer is killed (300)\n%s", ra_common_usage);
}

/* mkdir -p of the directories of path. */
static bool make_dirs(const char *path)
{
	char d[4096];
	size_t n = strlen(path);

	if (n >= sizeof(d))
		return false;
	memcpy(d, path, n + 1);
	for (char *p = d + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(d, 0755) != 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	return true;
}

/* The file name for time t: the pattern's conversions, then ".N" if taken. */
static bool name_for(struct rs *r, uint64_t t, char *out, size_t cap)
{
	time_t secs = (time_t)(t / 1000000u);
	struct tm tm;
	char base[4096];
	size_t n;
	bool gz;

	localtime_r(&secs, &tm);
	n = strftime(base, sizeof(base), r->pattern, &tm);
	if (n == 0)
		return false;
	gz = n > 3 && !strcmp(base + n - 3, ".gz");
	if ((size_t)snprintf(out, cap, "%s", base) >= cap)
		return false;
	for (unsigned k = 1; access(out, F_OK) == 0 && k < 100000; k++) {
		int w = gz ? snprintf(out, cap, "%.*s.%u.gz", (int)(n - 3), base, k)
			   : snprintf(out, cap, "%s.%u", base, k);
		if (w < 0 || (size_t)w >= cap)
			return false;	/* a name too long for a path */
	}
	for (unsigned i = 0; i < r->nbins; i++)
		if (!strcmp(r->bins[i].path, out))
			return false;
	return true;
}

/*
 * A write to b failed (a full disk): say so once, count what the file did
 * not get, and write no more to it; the writer has cut the file back to its
 * last whole record.  Later records for this file are counted as lost until
 * it would have closed; the next file is tried afresh.
 */
static void bin_failed(struct rs *r, struct bin *b, const struct ra_err *err)
{
	struct ra_err cerr;
	char buf[700];

	if (b->ondisk)
		logmsg("%s; the file ends after its first %llu records, the rest of it is lost",
		       ra_err_string(err, buf, sizeof(buf)), (unsigned long long)b->ondisk);
	else
		logmsg("%s; the file is removed, its records are lost", ra_err_string(err, buf, sizeof(buf)));
	ra_err_clear(&cerr);
	ra_writer_close(b->w, &cerr);	/* fails too: already said */
	b->w = NULL;
	if (b->ondisk == 0)
		unlink(b->path);
	b->lost += b->records - b->ondisk;
	r->lost += b->records - b->ondisk;
	r->failed = true;
}

static void close_bin(struct rs *r, unsigned i)
{
	struct bin *b = &r->bins[i];
	struct ra_err err;

	ra_err_clear(&err);
	if (b->w && !ra_writer_close(b->w, &err)) {
		b->w = NULL;
		bin_failed(r, b, &err);
	} else if (b->w && r->sc) {
		scripts_run(r->sc, b->path);
	}
	if (b->lost)
		logmsg("%s: %llu records lost (not written)", b->path, (unsigned long long)b->lost);
	r->bins[i] = r->bins[--r->nbins];
}

static bool flush_bin(struct rs *r, struct bin *b)
{
	struct ra_err err;

	ra_err_clear(&err);
	if (!ra_writer_flush(b->w, &err)) {
		bin_failed(r, b, &err);
		return false;
	}
	b->ondisk = b->records;
	b->pending = 0;
	return true;
}

static struct bin *open_bin(struct rs *r, uint64_t t, uint64_t start, uint64_t end)
{
	struct bin *b;
	struct ra_err err;
	char buf[700];

	if (r->nbins == MAX_OPEN) {
		unsigned oldest = 0;
		for (unsigned i = 1; i < r->nbins; i++)
			if (r->bins[i].start < r->bins[oldest].start)
				oldest = i;
		close_bin(r, oldest);
	}
	b = &r->bins[r->nbins];
	memset(b, 0, sizeof(*b));
	if (!name_for(r, r->mode == M_TIME ? start : t, b->path, sizeof(b->path))) {
		logmsg("-w %s: no file name for this time", r->pattern);
		r->failed = r->fatal = true;
		return NULL;
	}
	/* a file that cannot be made is kept open as lost: its records are counted */
	ra_err_clear(&err);
	if (!make_dirs(b->path)) {
		logmsg("%s: cannot make its directory: %s; its records are lost", b->path, strerror(errno));
		r->failed = true;
	} else if (!(b->w = ra_writer_open(b->path, false, true, PRODUCER, &err))) {
		logmsg("%s; its records are lost", ra_err_string(&err, buf, sizeof(buf)));
		r->failed = true;
	}
	b->start = start;
	b->end = end;
	r->nbins++;
	r->files++;
	return b;
}

/* Close the time intervals the stream's clock has left behind by the hold. */
static void close_due(struct rs *r, uint64_t wall)
{
	uint64_t now;

	if (r->mode != M_TIME || !r->clock)
		return;
	now = r->clock + (wall > r->clock_wall ? wall - r->clock_wall : 0);
	for (unsigned i = 0; i < r->nbins;)
		if (r->bins[i].end + r->hold <= now)
			close_bin(r, i);
		else
			i++;
}

static uint64_t record_time(struct rs *r, const uint8_t *rec, size_t len)
{
	struct ra_err err;

	ra_err_clear(&err);
	if (rec[0] == RA_REC_FLOW && ra_decode_flow(rec, len, &r->f, &err))
		return r->f.stime;
	if (rec[0] == RA_REC_STATUS && ra_decode_status(rec, len, &r->st, &err))
		return r->st.time;
	return r->clock;
}

static void put(struct rs *r, const uint8_t *rec, size_t len)
{
	uint64_t t = record_time(r, rec, len);
	struct bin *b = NULL;
	struct ra_err err;

	if (r->mode == M_TIME) {
		uint64_t start = t - t % r->interval;
		if (t > r->clock) {
			r->clock = t;
			r->clock_wall = wall_us();
		}
		for (unsigned i = 0; i < r->nbins && !b; i++)
			if (r->bins[i].start == start)
				b = &r->bins[i];
		if (!b && start + r->interval + r->hold <= r->clock) {
			r->late++;	/* its file is closed already */
			return;
		}
		if (!b && !(b = open_bin(r, t, start, start + r->interval))) {
			r->lost++;
			return;
		}
	} else {
		if (r->nbins)
			b = &r->bins[0];
		else if (!(b = open_bin(r, t, 0, UINT64_MAX))) {
			r->lost++;
			return;
		}
	}
	b->bytes += len;
	b->records++;
	if (!b->w) {
		b->lost++;
		r->lost++;
	} else {
		ra_err_clear(&err);
		if (!ra_writer_put(b->w, rec, len, &err))
			bin_failed(r, b, &err);
		else if ((b->pending += len) >= FLUSH_AT)
			flush_bin(r, b);
	}
	if ((r->mode == M_SIZE && b->bytes >= r->limit) || (r->mode == M_COUNT && b->records >= r->limit))
		close_bin(r, (unsigned)(b - r->bins));
	else if (r->mode == M_TIME)
		close_due(r, r->clock_wall);
}

/* Before waiting for the network: close what is due, flush, tend the scripts. */
static void idle(void *arg)
{
	struct rs *r = arg;

	close_due(r, wall_us());
	for (unsigned i = 0; i < r->nbins; i++)
		if (r->bins[i].w && r->bins[i].pending)
			flush_bin(r, &r->bins[i]);
	if (r->sc)
		scripts_poll(r->sc, false);
}

static int bad(const char *fmt, const char *a)
{
	fprintf(stderr, "rastream: ");
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	return 2;
}

/* -w, -f, -B, -T are rastream's: taken out before the common options. */
static int own_options(struct rs *r, int *argc, char **argv)
{
	int k = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-") || !strcmp(a, "--")) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if (strlen(a) == 2 && a[0] == '-' && strchr("wfBT", a[1])) {
			uint64_t us;
			if (i + 1 >= *argc)
				return bad("%s needs a value", a);
			const char *v = argv[++i];
			switch (a[1]) {
			case 'w': r->pattern = v; break;
			case 'f': r->script = v; break;
			case 'B':
				if (strcmp(v, "0") && !ra_parse_seconds(v, 86400, &us))
					return bad("-B %s: not a number of seconds", v);
				r->hold = strcmp(v, "0") ? us : 0;
				break;
			case 'T':
				if (!ra_parse_seconds(v, 86400, &us))
					return bad("-T %s: not a number of seconds", v);
				r->script_timeout = us;
				break;
			}
		} else {
			argv[k++] = argv[i];
		}
	}
	*argc = k;
	argv[k] = NULL;
	return 0;
}

static int modes(struct rs *r)
{
	const struct ra_opts *o = &r->c.o;

	if (o->nmodes != 2)
		return bad("%s", "give -M time N, -M size N or -M count N");
	if (!strcmp(o->modes[0], "time")) {
		r->mode = M_TIME;
		if (!ra_parse_seconds(o->modes[1], 366 * 86400, &r->interval))
			return bad("-M time %s: not an interval (30s, 5m, 1h, 1d)", o->modes[1]);
	} else if (!strcmp(o->modes[0], "size")) {
		r->mode = M_SIZE;
		if (!ra_parse_size(o->modes[1], 1ull << 50, &r->limit))
			return bad("-M size %s: not a size (100k, 64m, 2g)", o->modes[1]);
	} else if (!strcmp(o->modes[0], "count")) {
		char *end;
		r->mode = M_COUNT;
		r->limit = strtoull(o->modes[1], &end, 10);
		if (*end || !r->limit || o->modes[1][0] == '-')
			return bad("-M count %s: not a positive count", o->modes[1]);
	} else {
		return bad("-M %s: expected time, size or count", o->modes[0]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct rs r;
	struct ra_err err;
	char buf[1200];
	int rc, status = 0;

	ra_err_clear(&err);
	r.hold = 10000000;
	r.script_timeout = 300000000;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	if ((rc = own_options(&r, &argc, argv)) != 0)
		return rc;
	rc = ra_opts_parse(&r.c.o, "rastream", "", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			fprintf(stderr, "rastream: %s\n", ra_err_string(&err, buf, sizeof(buf)));
		return rc == 1 ? 0 : 2;
	}
	if (!r.pattern)
		return bad("%s", "no -w pattern: rastream writes files");
	if ((rc = modes(&r)) != 0)
		return rc;
	r.c.notice = notice;
	r.c.on_signal = on_stop;
	r.c.stop = &stop;
	rc = client_open(&r.c, "rastream", NULL, 0, false, &err);
	if (rc) {
		fprintf(stderr, "rastream: %s\n", client_error_text(&r.c, &err, buf, sizeof(buf)));
		client_close(&r.c, rc, &err);
		return rc;
	}
	if (r.script && !(r.sc = scripts_new(r.script, r.script_timeout, logmsg))) {
		logmsg("out of memory");
		return 1;
	}
	ra_reader_on_idle(r.c.rd, idle, &r);
	ra_flow_init(&r.f);
	for (;;) {
		const uint8_t *rec;
		size_t len;
		enum ra_read_result rr;
		bool have_filter = r.c.o.filter && r.c.o.filter[0];

		ra_err_clear(&err);
		rr = ra_reader_next(r.c.rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			fprintf(stderr, "rastream: %s\n", ra_err_string(&err, buf, sizeof(buf)));
			status = err.code == RA_ERR_USAGE ? 2 : 1;
			continue;
		}
		if (have_filter && rec[0] == RA_REC_FLOW && rec[1] == 0) {
			if (!ra_decode_flow(rec, len, &r.f, &err) || !flt_match(r.c.flt, &r.f))
				continue;
		} else if (have_filter && rec[0] == RA_REC_STATUS && rec[1] == 0) {
			/* as ra: a status record is kept when the filter takes its
			 * view ("man", "health"), not by "not man" or "tcp" */
			if (!ra_decode_status(rec, len, &r.st, &err))
				continue;
			ra_status_view(&r.st, &r.f);
			if (!flt_match(r.c.flt, &r.f))
				continue;
		}
		put(&r, rec, len);
		if (r.fatal)
			break;
	}
	while (r.nbins)
		close_bin(&r, 0);
	if (r.late)
		logmsg("%llu records came after their file was closed and were not written (raise -B)",
		       (unsigned long long)r.late);
	if (r.lost)
		logmsg("%llu records lost: not written (write errors)", (unsigned long long)r.lost);
	scripts_free(r.sc);
	if (r.failed || r.late)
		status = status ? status : 1;
	rc = client_close(&r.c, status, &err);
	if (rc && !status)
		fprintf(stderr, "rastream: %s\n", ra_err_string(&err, buf, sizeof(buf)));
	return rc;
}
