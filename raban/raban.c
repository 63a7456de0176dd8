/*
 * raban.c - thresholds on traffic that run ban and unban scripts, in
 * apermon's model and configuration language (raban(8), raban.conf(5)).
 *
 *   raban -c raban.conf              sFlow from the listen lines
 *   raban -c raban.conf -r day.argus flow records, in record time
 *   raban -t -c raban.conf           check the configuration
 *   raban -M status FILE [-N n]      print a status file
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "detect.h"
#include "script.h"
#include "sflow_in.h"
#include "state.h"
#include "stream.h"

#define TICK_MS 100

static volatile sig_atomic_t got_hup, got_term;
static bool use_syslog;

static void sig(int s)
{
	if (s == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static void logv(bool error, const char *fmt, va_list ap)
{
	char buf[2048];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (use_syslog)
		syslog(error ? LOG_ERR : LOG_INFO, "%s", buf);
	else
		fprintf(stderr, "raban: %s\n", buf);
}

static void logmsg(bool error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logmsg(bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	logv(error, fmt, ap);
	va_end(ap);
}

static void script_logger(bool error, const char *line) { logmsg(error, "%s", line); }
static void conf_logger(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "raban: %s\n", msg);
}

struct run {
	struct conf *c;
	struct detect *d;
	struct scripts *sc;
	struct sflow_in in;
	const char *conf_path;
	bool replay;
	bool state_dirty;
	uint64_t next_tick, next_dump;	/* -S: the wall clock's ticks */
	uint64_t drops_logged_s, drops_this_s, drops_total;
};

static uint64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *tstamp(uint64_t ms, char *buf, size_t cap)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ms % 1000));
	return buf;
}

static const char *const agg_names[] = { "host", "prefix", "net" };

/* Run the scripts of b's level for event ev with env (NULL-terminated, room for more). */
static void run_scripts(struct run *r, const struct ban *b, unsigned ev, char **env, unsigned n,
			const char *what, const char *key)
{
	const struct conf_trigger *t;
	const struct conf_level *lv;

	if (b->trigger >= r->c->ntriggers)
		return;
	t = &r->c->triggers[b->trigger];
	lv = &t->levels[b->level];
	for (unsigned a = 0; a < lv->nactions; a++) {
		const struct conf_action *act = &r->c->actions[lv->actions[a].idx];
		for (unsigned s = 0; s < act->nscripts; s++) {
			const struct conf_script *sc = &act->scripts[s];
			char **full;
			if (!(sc->events & ev))
				continue;
			full = calloc(n + sc->nenv + 1, sizeof(char *));
			if (!full) {
				logmsg(true, "script %s for %s not run: out of memory", sc->path, what);
				continue;
			}
			memcpy(full, env, n * sizeof(char *));
			if (sc->nenv)
				memcpy(full + n, sc->env, sc->nenv * sizeof(char *));
			scripts_run(r->sc, sc->path, full, what, key);
			free(full);
		}
	}
}

static char *kv(const char *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *kv(const char *k, const char *fmt, ...)
{
	char val[20000], *s;
	size_t n;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	n = strlen(k) + strlen(val) + 2;
	if ((s = malloc(n)))
		snprintf(s, n, "%s=%s", k, val);
	return s;
}

static void on_ban(void *ctx, const struct ban *b, const char *flows)
{
	struct run *r = ctx;
	char target[128], prefix[8192], ts[64], what[400];
	const char *net;
	char *env[18];
	unsigned n = 0;
	const struct conf_trigger *t = &r->c->triggers[b->trigger];

	detect_target(r->d, b, target, sizeof(target), prefix, sizeof(prefix), &net);
	snprintf(what, sizeof(what), "ban %s%s%s %s", b->tname, b->lname[0] ? "/" : "", b->lname, target);
	logmsg(false, "%s ban trigger=%s%s%s target=%s in_bps=%llu out_bps=%llu in_pps=%llu out_pps=%llu%s%s",
	       tstamp(b->ban_ms, ts, sizeof(ts)), b->tname, b->lname[0] ? " level=" : "", b->lname, target,
	       (unsigned long long)b->at_ban.in_bps, (unsigned long long)b->at_ban.out_bps,
	       (unsigned long long)b->at_ban.in_pps, (unsigned long long)b->at_ban.out_pps,
	       b->health[0] ? " health: " : "", b->health);
	env[n++] = kv("TRIGGER", "%s", b->tname);
	env[n++] = kv("TYPE", "ban");
	env[n++] = kv("AF", "%u", b->af);
	env[n++] = kv("AGGREGATOR", "%s", agg_names[t->agg]);
	env[n++] = kv("TARGET", "%s", target);
	env[n++] = kv("PREFIX", "%s", prefix);
	env[n++] = kv("NET", "%s", net);
	env[n++] = kv("IN_PPS", "%llu", (unsigned long long)b->at_ban.in_pps);
	env[n++] = kv("OUT_PPS", "%llu", (unsigned long long)b->at_ban.out_pps);
	env[n++] = kv("IN_BPS", "%llu", (unsigned long long)b->at_ban.in_bps);
	env[n++] = kv("OUT_BPS", "%llu", (unsigned long long)b->at_ban.out_bps);
	env[n++] = kv("FLOWS", "%s", flows);
	if (b->lname[0])
		env[n++] = kv("LEVEL", "%s", b->lname);
	if (t->health.on) {
		env[n++] = kv("HEALTH", "%s", b->health);
		if (t->health.port)
			env[n++] = kv("PORT", "%u", t->health.port);
	}
	for (unsigned i = 0; i < n; i++)
		if (!env[i]) {
			logmsg(true, "scripts for %s not run: out of memory", what);
			goto out;
		}
	run_scripts(r, b, EV_BAN, env, n, what, what + 4);
out:
	for (unsigned i = 0; i < n; i++)
		free(env[i]);
	r->state_dirty = true;
}

static void on_unban(void *ctx, const struct ban *b)
{
	struct run *r = ctx;
	char target[128], prefix[8192], ts[64], what[400];
	const char *net;
	char *env[18];
	unsigned n = 0;

	detect_target(r->d, b, target, sizeof(target), prefix, sizeof(prefix), &net);
	snprintf(what, sizeof(what), "unban %s%s%s %s", b->tname, b->lname[0] ? "/" : "", b->lname, target);
	logmsg(false, "%s unban trigger=%s%s%s target=%s first=%llu last=%llu peak_in_bps=%llu "
	       "peak_out_bps=%llu peak_in_pps=%llu peak_out_pps=%llu%s",
	       tstamp(detect_now(r->d), ts, sizeof(ts)), b->tname, b->lname[0] ? " level=" : "", b->lname,
	       target, (unsigned long long)(b->first_ms / 1000), (unsigned long long)(b->last_ms / 1000),
	       (unsigned long long)b->peak.in_bps, (unsigned long long)b->peak.out_bps,
	       (unsigned long long)b->peak.in_pps, (unsigned long long)b->peak.out_pps,
	       b->trigger >= r->c->ntriggers ? " (trigger no longer configured: no script)" : "");
	if (b->trigger < r->c->ntriggers) {
		env[n++] = kv("TRIGGER", "%s", b->tname);
		env[n++] = kv("TYPE", "unban");
		env[n++] = kv("AF", "%u", b->af);
		env[n++] = kv("AGGREGATOR", "%s", agg_names[r->c->triggers[b->trigger].agg]);
		env[n++] = kv("FIRST_TRIGGERED", "%llu", (unsigned long long)(b->first_ms / 1000));
		env[n++] = kv("LAST_TRIGGERED", "%llu", (unsigned long long)(b->last_ms / 1000));
		env[n++] = kv("TARGET", "%s", target);
		env[n++] = kv("PREFIX", "%s", prefix);
		env[n++] = kv("NET", "%s", net);
		env[n++] = kv("PEAK_IN_PPS", "%llu", (unsigned long long)b->peak.in_pps);
		env[n++] = kv("PEAK_OUT_PPS", "%llu", (unsigned long long)b->peak.out_pps);
		env[n++] = kv("PEAK_IN_BPS", "%llu", (unsigned long long)b->peak.in_bps);
		env[n++] = kv("PEAK_OUT_BPS", "%llu", (unsigned long long)b->peak.out_bps);
		if (b->lname[0])
			env[n++] = kv("LEVEL", "%s", b->lname);
		bool ok = true;
		for (unsigned i = 0; i < n; i++)
			ok &= env[i] != NULL;
		if (ok)
			run_scripts(r, b, EV_UNBAN, env, n, what, what + 6);
		else
			logmsg(true, "scripts for %s not run: out of memory", what);
		for (unsigned i = 0; i < n; i++)
			free(env[i]);
	}
	r->state_dirty = true;
}

static void on_sample(void *ctx, struct sample *s)
{
	struct run *r = ctx;
	detect_sample(r->d, s);
}

/* Dropped datagrams: every one counted, at most 10 log lines a second. */
static void on_drop(void *ctx, const struct sflow_datagram *d, const char *why)
{
	struct run *r = ctx;
	uint64_t s = wall_ms() / 1000;
	char a[64] = "?";

	r->drops_total++;
	if (s != r->drops_logged_s) {
		if (r->drops_this_s > 10)
			logmsg(true, "%llu more dropped datagrams not logged",
			       (unsigned long long)(r->drops_this_s - 10));
		r->drops_logged_s = s;
		r->drops_this_s = 0;
	}
	if (r->drops_this_s++ >= 10)
		return;
	if (d) {
		struct conf_prefix p = { d->agent_family, d->agent_family == RA_AF_INET6 ? 128 : 32, d->agent };
		conf_prefix_text(&p, a, sizeof(a));
		*strchr(a, '/') = '\0';
	}
	logmsg(true, "dropped datagram from agent %s: %s", a, why);
}

static struct detect *make_detect(struct run *r, struct conf *c)
{
	struct det_events ev = { r, on_ban, on_unban };
	char err[300];
	struct detect *d = detect_new(c, &ev, err, sizeof(err));
	if (!d)
		logmsg(true, "%s", err);
	return d;
}

static void save_state(struct run *r)
{
	if (!r->c->state_file || !r->state_dirty)
		return;
	if (!state_save(r->d, r->c->state_file))
		logmsg(true, "state file %s: %s", r->c->state_file, strerror(errno));
	else
		r->state_dirty = false;
}

static void reload(struct run *r)
{
	struct conf *nc = conf_load(r->conf_path, true, conf_logger, NULL);
	struct detect *nd;
	char err[300];

	if (!nc) {
		logmsg(true, "%s: not reloaded: the running configuration stays", r->conf_path);
		return;
	}
	r->c = nc;	/* callbacks of the new detector read r->c */
	nd = make_detect(r, nc);
	if (!nd) {
		logmsg(true, "%s: not reloaded", r->conf_path);
		r->c = (struct conf *)detect_conf(r->d);
		conf_free(nc);
		return;
	}
	if (!sflow_in_policy(&r->in, nc, err, sizeof(err))) {
		logmsg(true, "%s: not reloaded: %s", r->conf_path, err);
		detect_free(nd);
		r->c = (struct conf *)detect_conf(r->d);
		conf_free(nc);
		return;
	}
	detect_take_bans(nd, r->d);
	{
		struct conf *oc = (struct conf *)detect_conf(r->d);
		detect_free(r->d);
		r->d = nd;
		conf_free(oc);
	}
	r->state_dirty = true;
	logmsg(false, "%s: reloaded (%u triggers)", r->conf_path, nc->ntriggers);
}

static void report_stats(struct run *r)
{
	const struct det_stats *st = detect_stats(r->d);
	logmsg(false, "samples %llu, counted by a trigger %llu; keys refused (table full) %llu, evicted %llu, "
	       "expired %llu; bans refused (table full) %llu; datagrams %llu, dropped %llu",
	       (unsigned long long)st->samples, (unsigned long long)st->matched,
	       (unsigned long long)st->keys_full, (unsigned long long)st->evicted,
	       (unsigned long long)st->expired, (unsigned long long)st->bans_full,
	       (unsigned long long)r->in.received, (unsigned long long)r->drops_total);
}

static void standing(struct run *r)
{
	unsigned n = 0;
	for (unsigned i = 0; i < detect_bans_hwm(r->d); i++) {
		const struct ban *b = detect_ban(r->d, i);
		char target[128], prefix[8192], ts[64];
		const char *net;
		if (!b->used)
			continue;
		detect_target(r->d, b, target, sizeof(target), prefix, sizeof(prefix), &net);
		logmsg(false, "standing ban trigger=%s%s%s target=%s since %s", b->tname,
		       b->lname[0] ? " level=" : "", b->lname, target, tstamp(b->ban_ms, ts, sizeof(ts)));
		n++;
	}
	logmsg(false, "%u bans standing", n);
}

static void service_scripts(struct run *r, int wait_ms)
{
	struct pollfd pfd[1024];
	unsigned n = scripts_pollfds(r->sc, pfd, 1024);
	if (n && wait_ms >= 0)
		poll(pfd, n, wait_ms);
	else if (wait_ms > 0)
		poll(NULL, 0, wait_ms);
	scripts_service(r->sc, 0);
}

/* What live record streams (-S) do while the reader waits: ticks on the wall clock. */
static void stream_idle(void *arg)
{
	struct run *r = arg;
	uint64_t now = wall_ms();

	if (now >= r->next_tick) {
		detect_tick(r->d, now);
		r->next_tick = now + TICK_MS;
		save_state(r);
		if (r->c->status_file && now >= r->next_dump) {
			if (r->next_dump && !detect_status(r->d, r->c->status_file))
				logmsg(true, "status file %s: %s", r->c->status_file, strerror(errno));
			r->next_dump = now + r->c->dump_interval * 1000;
		}
	}
	service_scripts(r, 0);
	if (got_hup) {
		got_hup = 0;
		reload(r);
	}
}

static void stream_notice(void *arg, const char *msg)
{
	(void)arg;
	logmsg(false, "%s", msg);
}

/* -r: the clock moves with the records; a tick every TICK_MS of record time. */
static void replay_clock(struct run *r, uint64_t t, uint64_t *next_tick)
{
	if (t >= *next_tick) {
		detect_tick(r->d, t);
		*next_tick = (t / TICK_MS + 1) * TICK_MS;
		service_scripts(r, 0);
		save_state(r);
	}
}

/* A status record: host health records go to the health triggers. */
static bool status_record(struct run *r, struct ra_reader *rd, const uint8_t *rec, size_t len, bool live,
			  uint64_t *next_tick, struct ra_status *st)
{
	struct ra_err err;
	uint64_t t;

	if (!detect_wants_health(r->d))
		return true;
	ra_err_clear(&err);
	if (!ra_decode_status(rec, len, st, &err)) {
		char buf[700];
		ra_err_where(&err, ra_reader_path(rd), ra_reader_offset(rd), ra_reader_recno(rd));
		logmsg(true, "%s", ra_err_string(&err, buf, sizeof(buf)));
		ra_reader_abandon(rd);
		return false;
	}
	if (st->kind != RA_STATUS_HOST)
		return true;
	if (live) {
		t = wall_ms();
		stream_idle(r);
	} else {
		t = st->time / 1000;
		replay_clock(r, t, next_tick);
	}
	detect_health(r->d, st, t);
	return true;
}

/*
 * Flow records: files (-r) in record time, or servers (-S) on the wall
 * clock, as they come; host status records among them for health triggers.
 */
static int records(struct run *r, char **files, int nfiles, char **servers, int nservers)
{
	struct ra_reader *rd = ra_reader_new();
	struct ra_status *st = NULL;
	struct ra_flow f;
	struct ra_err err;
	uint64_t next_tick = 0;
	int status = 0;
	bool live = nservers > 0;

	if (!rd || !(st = malloc(sizeof(*st)))) {
		ra_reader_free(rd);
		return 1;
	}
	if (live) {
		ra_reader_net(rd, "", true, stream_notice, r, &got_term);
		ra_reader_on_idle(rd, stream_idle, r);
	}
	for (int i = 0; i < nfiles + nservers; i++) {
		bool ok;
		ra_err_clear(&err);
		ok = i < nfiles ? ra_reader_add(rd, files[i], false, &err) :
			ra_reader_add_server(rd, servers[i - nfiles], &err);
		if (!ok) {
			char buf[700];
			logmsg(true, "%s", ra_err_string(&err, buf, sizeof(buf)));
			ra_reader_free(rd);
			free(st);
			return 1;
		}
	}
	ra_flow_init(&f);
	while (!got_term) {
		const uint8_t *rec;
		size_t len;
		struct sample s[2];
		unsigned n;
		enum ra_read_result rr;

		ra_err_clear(&err);
		rr = ra_reader_next(rd, &rec, &len, &err);
		if (rr == RA_READ_END)
			break;
		if (rr == RA_READ_ERROR) {
			char buf[700];
			logmsg(true, "%s", ra_err_string(&err, buf, sizeof(buf)));
			status = 1;
			continue;
		}
		if ((rec[0] | rec[1] << 8) == RA_REC_STATUS) {
			if (!status_record(r, rd, rec, len, live, &next_tick, st))
				status = 1;
			continue;
		}
		if ((rec[0] | rec[1] << 8) != RA_REC_FLOW)
			continue;
		if (!ra_decode_flow(rec, len, &f, &err)) {
			char buf[700];
			ra_err_where(&err, ra_reader_path(rd), ra_reader_offset(rd), ra_reader_recno(rd));
			logmsg(true, "%s", ra_err_string(&err, buf, sizeof(buf)));
			ra_reader_abandon(rd);
			status = 1;
			continue;
		}
		n = sample_from_flow(&f, s);
		for (unsigned i = 0; i < n; i++) {
			uint64_t t = live ? wall_ms() : s[i].t_ms;
			if (live) {
				s[i].t_ms = t;
				stream_idle(r);
				detect_sample(r->d, &s[i]);
				continue;
			}
			replay_clock(r, t, &next_tick);
			detect_sample(r->d, &s[i]);
		}
	}
	ra_reader_free(rd);
	free(st);
	while (scripts_pending(r->sc) && !got_term)
		service_scripts(r, 50);
	return status;
}

static int live(struct run *r)
{
	uint64_t next_tick = 0, next_dump = 0;

	while (!got_term) {
		struct pollfd pfd[SFLOW_IN_MAX_SOCKS + 1024];
		unsigned n = 0, ns;
		uint64_t now;

		for (unsigned i = 0; i < r->in.nfds; i++) {
			pfd[n].fd = r->in.fds[i];
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			n++;
		}
		ns = scripts_pollfds(r->sc, pfd + n, 1024);
		poll(pfd, n + ns, TICK_MS);
		now = wall_ms();
		for (unsigned i = 0; i < r->in.nfds; i++)
			if (pfd[i].revents & POLLIN)
				sflow_in_read(&r->in, pfd[i].fd, now);
		if (now >= next_tick) {
			detect_tick(r->d, now);
			next_tick = now + TICK_MS;
			save_state(r);
		}
		scripts_service(r->sc, now);
		if (r->c->status_file && now >= next_dump) {
			if (next_dump && !detect_status(r->d, r->c->status_file))
				logmsg(true, "status file %s: %s", r->c->status_file, strerror(errno));
			next_dump = now + r->c->dump_interval * 1000;
		}
		if (got_hup) {
			got_hup = 0;
			reload(r);
		}
	}
	return 0;
}

static bool drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		logmsg(true, "-u %s: no such user", user);
		return false;
	}
	if (setgroups(0, NULL) != 0 && errno != EPERM) {
		logmsg(true, "-u %s: setgroups: %s", user, strerror(errno));
		return false;
	}
	if (setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		logmsg(true, "-u %s: %s", user, strerror(errno));
		return false;
	}
	return true;
}

/* The -r and -S lists, freed at exit whichever way main returns. */
static char **args_files, **args_servers;
static void free_args(void)
{
	free(args_files);
	free(args_servers);
}

static void usage(FILE *fp)
{
	fputs("usage: raban [-t] [-l] [-u user] [-c] raban.conf [-r file ...] [-S host[:port] ...]\n"
	      "       raban -M status FILE [-N count]\n"
	      "Thresholds on sFlow or flow records that run ban and unban scripts.\n"
	      "  -c file   the configuration (raban.conf(5)); a lone argument is taken too\n"
	      "  -t        check the configuration, report every error, and exit\n"
	      "  -r file   read flow records instead of sFlow; time is record time\n"
	      "  -S host[:port]  read a live record stream (argus -P) instead of sFlow\n"
	      "  -l        log to syslog rather than standard error\n"
	      "  -u user   run as user after opening the sockets\n"
	      "  -M status FILE   print a status file as tables, busiest first (-N rows each)\n", fp);
}

int main(int argc, char **argv)
{
	struct run r;
	const char *user = NULL, *mode = NULL;
	bool check = false;
	unsigned top = 0;
	char **files, **servers;
	int nfiles = 0, nservers = 0, c, status;
	char err[400];

	memset(&r, 0, sizeof(r));
	atexit(free_args);
	files = args_files = calloc((size_t)argc + 1, sizeof(char *));
	servers = args_servers = calloc((size_t)argc + 1, sizeof(char *));
	if (!files || !servers)
		return 1;
	while ((c = getopt(argc, argv, "c:tr:S:lu:M:N:h")) != -1) {
		switch (c) {
		case 'S': servers[nservers++] = optarg; break;
		case 'c': r.conf_path = optarg; break;
		case 't': check = true; break;
		case 'r': files[nfiles++] = optarg; break;
		case 'l': use_syslog = true; break;
		case 'u': user = optarg; break;
		case 'M': mode = optarg; break;
		case 'N': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || end == optarg || v > 1000000) {
				fprintf(stderr, "raban: -N: expected a count, found '%s'\n", optarg);
				return 2;
			}
			top = (unsigned)v;
			break;
		}
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	/* -r takes several files: the words after it that are not options */
	for (; optind < argc; optind++) {
		if (mode || r.conf_path)
			files[nfiles++] = argv[optind];
		else
			r.conf_path = argv[optind];
	}
	if (mode) {
		if (strcmp(mode, "status") != 0 || nfiles != 1) {
			fprintf(stderr, "raban: -M: expected 'status FILE'\n");
			return 2;
		}
		status = state_show_status(files[0], top, stdout, err, sizeof(err));
		if (status)
			fprintf(stderr, "raban: %s\n", err);
		return status;
	}
	if (!r.conf_path) {
		usage(stderr);
		return 2;
	}
	if (use_syslog)
		openlog("raban", LOG_PID, LOG_DAEMON);
	r.c = conf_load(r.conf_path, true, conf_logger, NULL);
	if (!r.c)
		return 1;
	if (check) {
		printf("%s: configuration OK (%u triggers, %u actions)\n", r.conf_path, r.c->ntriggers, r.c->nactions);
		conf_free(r.c);
		return 0;
	}
	r.replay = nfiles > 0 || nservers > 0;
	if (!(r.d = make_detect(&r, r.c)))
		return 1;
	if (!(r.sc = scripts_new(r.c->max_scripts, r.c->script_timeout * 1000, script_logger)))
		return 1;
	if (!sflow_in_init(&r.in, r.c, err, sizeof(err))) {
		logmsg(true, "%s", err);
		return 1;
	}
	r.in.ctx = &r;
	r.in.sample = on_sample;
	r.in.drop = on_drop;
	if (!r.replay && r.c->nlistens == 0) {
		logmsg(true, "%s: no listen line in options and no -r: nothing to read", r.conf_path);
		return 2;
	}
	if (!r.replay && !sflow_in_bind(&r.in, err, sizeof(err))) {
		logmsg(true, "%s", err);
		return 1;
	}
	if (user && !drop_privileges(user))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, sig);
	signal(SIGTERM, sig);
	signal(SIGINT, sig);
	if (r.c->state_file) {
		int n = state_load(r.d, r.c->state_file, err, sizeof(err));
		if (n < 0) {
			logmsg(true, "%s", err);
			return 1;
		}
		if (n)
			logmsg(false, "%d standing bans restored from %s", n, r.c->state_file);
	}
	if (!r.replay && detect_wants_health(r.d))
		logmsg(true, "%s: health triggers read host status records, which come with -r or -S, "
		       "not with sFlow: they will not fire", r.conf_path);
	logmsg(false, "started: %u triggers, %s", r.c->ntriggers, r.replay ? "reading records" : "listening for sFlow");
	status = r.replay ? records(&r, files, nfiles, servers, nservers) : live(&r);
	r.state_dirty = true;
	save_state(&r);
	if (r.c->status_file && !detect_status(r.d, r.c->status_file))
		logmsg(true, "status file %s: %s", r.c->status_file, strerror(errno));
	standing(&r);
	report_stats(&r);
	scripts_free(r.sc);
	sflow_in_free(&r.in);
	{
		struct conf *cc = (struct conf *)detect_conf(r.d);
		detect_free(r.d);
		conf_free(cc);
	}
	return status;
}
