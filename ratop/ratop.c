/*
 * ratop.c - a live "top" of the network: flow records aggregated as
 * racluster does, ranked by a column, refreshed twice a second on a
 * terminal (screen.c), or printed as plain text when standard output is
 * not a terminal or with -M nocurses.
 *
 *   ratop -S localhost:561                    the probe's flows, live
 *   ratop -r day.argus -m saddr               a file's sources, frozen
 *   ratop -r day.argus -M nocurses -N 10      the top ten as text
 */
#include "config.h"

#include "ratop.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *fp)
{
	fprintf(fp, "usage: ratop [options] [-m key ...] [-r file ... | -S host[:port] ...] [- filter]\n"
		"A live table of the flows (or hosts, ports ...) moving the most traffic.\n%s"
		"  -S host[:port]  read a probe's stream (several -S: several probes)\n"
		"  -m key ...      aggregation keys as racluster's (default: per flow)\n"
		"  -s fields       columns: the field table's names, rank, pps, bps\n"
		"  -M nocurses     plain text, once per interval (once for -r files)\n"
		"  -M sort=KEYS    rank by these keys, comma-separated (default pkts; pps, bps)\n"
		"  -M max=N        at most N groups: the smallest leave first, counted\n"
		"  -M idle=SECS    groups idle that long leave (default 60)\n"
		"  -M update=SECS  refresh interval (default 0.5)\n"
		"  -M rmon, nocorrect   as racluster's\n"
		"Keys on the screen: h shows them.  Fields for -s:", ra_common_usage);
	for (unsigned i = 0; i < F_COUNT; i++)
		fprintf(fp, "%s%s", i % 10 ? " " : "\n   ", ra_fields[i].name);
	fprintf(fp, " rank pps bps\n");
}

static volatile sig_atomic_t stop_flag;	/* SIGINT, SIGTERM: the -S reader ends, and ratop */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

bool top_signalled(void) { return stop_flag != 0; }

static void report(const char *what)
{
	fprintf(stderr, "ratop: %s\n", what);
}

static void report_err(const struct ra_err *e)
{
	char buf[700];
	report(ra_err_string(e, buf, sizeof(buf)));
}

/* Microseconds of "0.5", "2", "1m" ... */
static bool seconds_us(const char *s, uint64_t *us)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!errno && *end == 0 && v >= 0.05 && v < 1e7) {
		*us = (uint64_t)(v * 1e6);
		return true;
	}
	if (ra_parse_seconds(s, 100ull * 365 * 86400, us)) {
		*us *= 1000000;
		return true;
	}
	return false;
}

static int parse_modes(struct top *tp, bool *plain, const char **sort)
{
	for (int i = 0; i < tp->c.o.nmodes; i++) {
		const char *m = tp->c.o.modes[i];
		char msg[300];
		if (strcmp(m, "nocurses") == 0) {
			*plain = true;
		} else if (strcmp(m, "rmon") == 0) {
			tp->rmon = true;
		} else if (strcmp(m, "nocorrect") == 0) {
			tp->nocorrect = true;
		} else if (strncmp(m, "sort=", 5) == 0) {
			*sort = m + 5;
		} else if (strncmp(m, "max=", 4) == 0) {
			char *end;
			errno = 0;
			tp->max_groups = strtoull(m + 4, &end, 10);
			if (errno || *end || !tp->max_groups || m[4] == '-') {
				snprintf(msg, sizeof(msg), "-M: '%s': max must be a count of groups, at least 1", m);
				report(msg);
				return -1;
			}
		} else if (strncmp(m, "idle=", 5) == 0 || strncmp(m, "update=", 7) == 0) {
			bool idle = m[0] == 'i';
			if (!seconds_us(strchr(m, '=') + 1, idle ? &tp->idle_us : &tp->update_us)) {
				snprintf(msg, sizeof(msg), "-M: '%s': a time in seconds (0.05 or more), or with s, m, h, d", m);
				report(msg);
				return -1;
			}
		} else {
			snprintf(msg, sizeof(msg), "-M: unknown mode '%s' (modes: nocurses, sort=KEYS, max=N, idle=SECS, "
				 "update=SECS, rmon, nocorrect)", m);
			report(msg);
			return -1;
		}
	}
	return 0;
}

/* Does any input keep coming (a probe, a pipe, a FIFO, a socket)? */
static bool live_input(const struct ra_opts *o)
{
	struct stat st;

	if (o->nservers)
		return true;
	for (int i = 0; i < o->ninputs; i++) {
		int rc = strcmp(o->inputs[i], "-") == 0 ? fstat(0, &st) : stat(o->inputs[i], &st);
		if (rc == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || S_ISCHR(st.st_mode)))
			return true;
	}
	return false;
}

size_t top_header(struct top *tp, bool paused, char *out, size_t cap)
{
	char when[32] = "", errs[600] = "";
	time_t now = time(NULL);
	struct tm tm;
	size_t at;
	int k;
	bool done = atomic_load(&tp->q.done);
	uint64_t lost = atomic_load(&tp->q.errors) + tp->damaged + atomic_load(&tp->q.server_lost);
	const char *state = !done ? (tp->live ? "live" : "reading") : tp->live ? "ended" : "done";

	if (localtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y/%m/%d %H:%M:%S", &tm);
	const char *src = tp->c.o.ninputs ? tp->c.o.inputs[0] : tp->c.o.nservers ? tp->c.o.servers[0] : "-";
	char note[700] = "";
	if (tp->c.o.ninputs && strrchr(src, '/') && strrchr(src, '/')[1])	/* a file's name, not its path */
		src = strrchr(src, '/') + 1;
	if (!tp->c.o.ninputs && tp->c.o.nservers) {	/* a probe: its latest state as the client said it */
		feed_notice_text(&tp->q, note, sizeof(note));
		if (note[0]) {
			src = note;
			state = done ? "(ended)" : "";
		} else {
			state = done ? "ended" : tp->nrecords ? "connected" : "connecting";
		}
	}
	k = snprintf(out, cap, "ratop %s  %s%s%s%s  records %llu (%.0f/s)  groups %zu  keys %s  sort %s", when, src,
		     tp->c.o.ninputs + tp->c.o.nservers > 1 ? " ..." : "", state[0] ? " " : "", state,
		     (unsigned long long)tp->nrecords, tp->rec_rate, tp->nent, tp->keys_text, tp->sort.text);
	at = k < 0 ? 0 : (size_t)k < cap ? (size_t)k : cap - 1;
	if (lost) {
		feed_errmsg(&tp->q, errs, sizeof(errs));
		k = snprintf(out + at, cap - at, "  LOST %llu records%s%s", (unsigned long long)lost, errs[0] ? ": " : "",
			     errs);
		at += k < 0 ? 0 : (size_t)k < cap - at ? (size_t)k : cap - at - 1;
	}
	if (tp->evicted_idle + tp->evicted_max) {
		k = snprintf(out + at, cap - at, "  evicted %llu idle, %llu past max",
			     (unsigned long long)tp->evicted_idle, (unsigned long long)tp->evicted_max);
		at += k < 0 ? 0 : (size_t)k < cap - at ? (size_t)k : cap - at - 1;
	}
	for (int i = 0; i < tp->nprobes; i++) {
		char addr[64];
		struct probe *p = &tp->probes[i];
		size_t n = p->family ? fmt_addr(addr, p->family, &p->addr) : 0;
		addr[n] = 0;
		k = snprintf(out + at, cap - at, "  probe %s: drops %llu/%llu", n ? addr : "(local)",
			     (unsigned long long)p->dropped, (unsigned long long)p->received);
		at += k < 0 ? 0 : (size_t)k < cap - at ? (size_t)k : cap - at - 1;
		if (p->seen2) {
			k = snprintf(out + at, cap - at, " cpu %.1f%%", p->cpu_pct);
			at += k < 0 ? 0 : (size_t)k < cap - at ? (size_t)k : cap - at - 1;
		}
	}
	if (paused) {
		k = snprintf(out + at, cap - at, "  PAUSED");
		at += k < 0 ? 0 : (size_t)k < cap - at ? (size_t)k : cap - at - 1;
	}
	return at;
}

/* Plain text: the whole table every interval, or once when the input ends. */
static int run_plain(struct top *tp)
{
	struct ra_err err;
	uint64_t next = top_clock() + tp->update_us;
	bool printed = false;

	uint32_t told = 0;

	for (;;) {
		bool took = top_intake(tp, 50000);
		if (atomic_load(&tp->q.notices) != told) {	/* -S: connected, reconnecting, lost */
			char note[700];
			told = atomic_load(&tp->q.notices);
			feed_notice_text(&tp->q, note, sizeof(note));
			report(note);
		}
		bool done = atomic_load(&tp->q.done) && !took;
		const uint8_t *rec;
		size_t len;

		if (done && feed_peek(&tp->q, &rec, &len))
			done = false;
		if (done || (tp->live && (top_clock() >= next || top_over(tp)))) {
			if (!top_tick(tp, &err)) {
				report_err(&err);
				return 1;
			}
			if (printed && write(1, "\n", 1) != 1)
				return 1;
			if (!top_print(tp, 1, tp->c.o.max_records, true)) {
				report("standard output: write failed");
				return 1;
			}
			printed = true;
			next += tp->update_us;
			if (top_clock() > next)
				next = top_clock() + tp->update_us;
		}
		if (done)
			return atomic_load(&tp->q.errors) + tp->damaged ? 1 : 0;
		if (!took) {
			struct timespec ts = { 0, 5000000 };
			nanosleep(&ts, NULL);
		}
	}
}

static int setup(struct top *tp, bool *plain)
{
	struct ra_err err;
	const char *sort = "pkts";
	const char *fields[RA_MAX_ARGS];
	int nfields = tp->c.o.nfields, rc;

	ra_err_clear(&err);
	tp->idle_us = RT_TIMEOUT_US;
	tp->update_us = RT_UPDATE_US;
	if (parse_modes(tp, plain, &sort) < 0)
		return 2;
	if (tp->c.o.wfile) {
		report("-w: ratop shows records, it does not write them (racluster -w does)");
		return 2;
	}
	if (!isatty(1))
		*plain = true;
	memcpy(fields, tp->c.o.fields, sizeof(fields));
	if ((tp->ncols = cols_parse(fields, nfields, tp->cols, &err)) < 0 || !top_sort_parse(&tp->sort, sort, &err)) {
		report_err(&err);
		return 2;
	}
	tp->c.o.nfields = 0;	/* the columns are ratop's own (rank, pps, bps) */
	tp->c.notice = feed_notice;	/* called on the input thread */
	tp->c.notice_arg = &tp->q;
	tp->c.on_signal = on_signal;
	tp->c.stop = &stop_flag;
	rc = client_open(&tp->c, "ratop", NULL, 0, false, &err);
	if (rc) {
		char buf[1200];
		report(client_error_text(&tp->c, &err, buf, sizeof(buf)));
		return rc;
	}
	if (!top_setup_table(tp, &err)) {
		report_err(&err);
		return err.code == RA_ERR_USAGE ? 2 : 1;
	}
	tp->live = live_input(&tp->c.o);
	tp->numeric_orig = tp->c.o.pr.fmt.numeric;
	tp->fc = fmt_cache_new(&tp->c.o.pr.fmt);
	tp->t0 = tp->slot_start = top_clock();
	if (!tp->fc || !feed_start(&tp->q, tp->c.rd, &err)) {
		report("out of memory");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct top tp;	/* large: the intake's batches */
	struct ra_err err;
	bool plain = false;
	int rc, status;

	ra_err_clear(&err);
	rc = ra_opts_parse(&tp.c.o, "ratop", "mS", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			report_err(&err);
		client_close(&tp.c, 0, &err);
		return rc == 1 ? 0 : 2;
	}
	status = setup(&tp, &plain);
	if (status == 0)
		status = plain ? run_plain(&tp) : screen_run(&tp);
	stop_flag = 1;
	feed_stop(&tp.q);
	tp.c.notice = NULL;	/* the feed is gone: what client_close would say is in the header already */
	cl_table_free(tp.t);
	flt_free(tp.display);
	fmt_cache_free(tp.fc);
	free(tp.status);
	free(tp.side);
	free(tp.ent);
	free(tp.ent_tmp);
	free(tp.keys);
	free(tp.order);
	free(tp.shown);
	free(tp.gone);
	free(tp.hidden);
	free(tp.rowbuf);
	return client_close(&tp.c, status, &err);
}
