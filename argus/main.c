/*
 * main.c - argus, the capture daemon: options, config file, inputs, the
 * main loop and shutdown.
 *
 *   argus [-dhmJAR] [-F conf] [-X] [-r file]... [-i iface]... [-w file|-]
 *         [-e srcid] [-S secs] [-M secs] [-U bytes] [-s snaplen] [-p] [-W n]
 *         [-u user] [-g group] [-c dir] [-o KEY=VALUE]... [filter expression]
 *
 * Order of work: settings (config file, then the command line over it),
 * the output, the engine, every input (capture handles, sockets), then the
 * background, the pid file and the privilege drop, and only then the
 * first packet.  Files are read to completion in command-line order, then
 * live inputs are polled; SIGTERM/SIGINT stop reading, every active flow
 * is written and argus exits at once; SIGHUP reopens the output file.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "serve.h"
#include "engine_int.h"
#include "health.h"
#include "input.h"
#include "settings.h"
#include "sflow.h"
#include "source_pcap.h"
#include "stream.h"
#include "workers.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#define PRODUCER "argus " PACKAGE_VERSION

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: argus [options] -r file [-r file ...] [filter-expression]\n"
		"       argus [options] -i interface [-i interface ...] [filter-expression]\n"
		"options:\n"
		"  -r file     read packets from a pcap or pcapng file (sflow:FILE[:PORT] for sFlow)\n"
		"  -i iface    capture on a live interface (sflow:[ADDR:]PORT for sFlow datagrams)\n"
		"  -w file     write records to file (created or truncated); - for stdout\n"
		"  -P port     serve the records to ra -S clients on this TCP port (Argus's is 561)\n"
		"  -B addr     listen on this address (repeatable; default loopback only)\n"
		"  -F conf     read settings from conf (default " SYSCONFDIR "/argus.conf if present)\n"
		"  -X          ignore the default configuration file\n"
		"  -d          stay in the foreground (the default unless ARGUS_DAEMON=yes)\n"
		"  -e srcid    monitor id (IPv4/IPv6 address or number) stored in every record\n"
		"  -S secs     flow status interval (default 5)\n"
		"  -M secs     daemon status record interval (default 60)\n"
		"  -m          record MAC addresses (L2 block)\n"
		"  -U bytes    capture this many bytes of application payload per direction\n"
		"  -s snaplen  live capture snap length\n"
		"  -p          do not put interfaces in promiscuous mode\n"
		"  -W n        flow engine threads (default: one per core, at most 4)\n"
		"  -u user, -g group, -c dir   drop privileges (and chroot) after opening inputs\n"
		"  -o KEY=VALUE  any argus.conf setting (e.g. -o ARGUS_UDP_TIMEOUT=60)\n"
		"  -A -J -R -Z  accepted for compatibility (always on)\n"
		"  -h          this help\n");
}

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool input_register(struct input_set *set, const struct input *in, struct ra_err *err)
{
	if (set->n >= INPUT_MAX) {
		ra_err_set(err, RA_ERR_USAGE, "too many inputs (at most %d)", INPUT_MAX);
		return false;
	}
	set->in[set->n] = *in;
	set->open[set->n] = true;
	set->n++;
	return true;
}

/* An input's counters, added to *sum (a separate function: GCC's
 * -Wdangling-pointer misreads the callback when this is inlined). */
static __attribute__((noinline)) void input_counts(const struct input *in, struct input_stats *sum)
{
	if (in->ops->stats)
		in->ops->stats(in->self, sum);
}

static void refresh_stats(struct engine *e, void *arg)
{
	struct input_set *set = arg;
	struct input_stats st = { 0, 0, 0 };

	for (unsigned i = 0; i < set->n; i++)
		if (set->open[i])
			input_counts(&set->in[i], &st);
	e->input_received = st.received + e->closed_received;
	e->input_dropped = st.dropped + e->closed_dropped;
	e->input_ifdropped = st.ifdropped;
}

static void close_input(struct engine *e, struct input_set *set, unsigned i)
{
	struct input_stats st = { 0, 0, 0 };

	if (!set->open[i])
		return;
	input_counts(&set->in[i], &st);
	e->closed_received += st.received;
	e->closed_dropped += st.dropped;
	set->in[i].ops->close(set->in[i].self);
	set->open[i] = false;
}

static bool open_input(const char *spec, bool is_file, const struct settings *s, struct engine *e,
		       struct input_set *set, struct ra_err *err)
{
	struct input in;

	memset(&in, 0, sizeof in);
	if (!strncmp(spec, "sflow:", 6)) {
		/* ---- sFlow dispatch point: the sFlow input (argus/sflow*.c) ---- */
		if (!sflow_input_open(spec, is_file, e, &in, err))
			return false;
	} else if (is_file) {
		if (!pcap_input_open_file(spec, s->filter, &in, log_warn, err))
			return false;
	} else {
		if (!pcap_input_open_live(spec, s->filter, s->snaplen, s->promisc, &in, log_warn, err))
			return false;
	}
	if (!input_register(set, &in, err)) {
		in.ops->close(in.self);
		return false;
	}
	return true;
}

static bool reopen_output(struct ra_writer *w, const char *path)
{
	struct ra_err err;
	char buf[600];

	ra_err_clear(&err);
	if (!w || !path || !strcmp(path, "-"))
		return true;
	if (!ra_writer_reopen(w, &err)) {
		log_warn("%s", ra_err_string(&err, buf, sizeof buf));
		return false;
	}
	log_info("%s: reopened", path);
	return true;
}

/* ---- host health records (ARGUS_HOST_HEALTH): health.c ---- */

struct health_run {
	struct health *h;
	struct engine *e;
};

static void health_emit(void *arg, const struct ra_status *st)
{
	engine_emit_status(arg, st);
}

static void health_now(void *arg, uint64_t now)
{
	struct health_run *hr = arg;
	health_sample(hr->h, now, health_emit, hr->e);
}

/* ---- the record stream server (-P): common/serve.c ---- */

static void srv_log(void *arg, const char *msg)
{
	(void)arg;
	log_info("%s", msg);
}

static void srv_tap(void *arg, const uint8_t *rec, size_t len)
{
	srv_put(arg, rec, len);
}

static void srv_more(void *arg, struct ra_status *st)
{
	srv_status(arg, st);
}

/* Accept, read handshakes and send without waiting (between file reads). */
static void serve_now(struct srv *srv)
{
	struct pollfd pfd[1100];
	unsigned n;

	if (!srv)
		return;
	/* a connect takes two rounds: the accept, then the handshake */
	for (int round = 0; round < 4; round++) {
		n = srv_pollfds(srv, pfd, sizeof(pfd) / sizeof(*pfd));
		if (poll(pfd, n, 0) <= 0)
			break;
		srv_handle(srv, pfd, n, wall_us());
	}
	srv_flush(srv, wall_us());
}

/* Files: run each to completion, in order; stop early on a signal. */
static bool run_files(struct engine *e, struct input_set *set, struct ra_writer *w, const char *wpath,
		      struct srv *srv)
{
	bool ok = true;

	for (unsigned i = 0; i < set->n && !daemon_stop; i++) {
		if (!set->open[i] || set->in[i].ops->fd(set->in[i].self) >= 0)
			continue;
		for (;;) {
			struct ra_err err;
			ra_err_clear(&err);
			int r = set->in[i].ops->poll(set->in[i].self, e, &err);
			if (r < 0) {
				char buf[600];
				log_warn("%s: %s", set->in[i].name, ra_err_string(&err, buf, sizeof buf));
				ok = false;
			}
			if (r <= 0 || daemon_stop)
				break;
			if (srv)	/* a round is at most 65536 packets */
				serve_now(srv);
			if (daemon_reopen) {
				daemon_reopen = 0;
				reopen_output(w, wpath);
			}
		}
		engine_sync(e);	/* worker threads are done with its packets */
		close_input(e, set, i);
	}
	return ok;
}

/* Live inputs: poll their descriptors; move the clock when idle. */
static bool run_live(struct engine *e, struct input_set *set, struct ra_writer *w, const char *wpath,
		     struct srv *srv)
{
	unsigned maxfd = INPUT_MAX + (srv ? srv_maxfds(srv) : 0);
	struct pollfd *pfd = calloc(maxfd, sizeof(*pfd));
	unsigned map[INPUT_MAX];
	uint64_t next_flush = 0;
	bool ok = true;

	if (!pfd) {
		log_warn("out of memory");
		return false;
	}

	while (!daemon_stop) {
		unsigned n = 0;
		for (unsigned i = 0; i < set->n; i++) {
			if (!set->open[i])
				continue;
			pfd[n].fd = set->in[i].ops->fd(set->in[i].self);
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			map[n++] = i;
		}
		if (!n)
			break;
		unsigned ns = srv ? srv_pollfds(srv, pfd + n, maxfd - n) : 0;
		int rc = poll(pfd, n + ns, 100);
		if (rc < 0 && errno != EINTR) {
			log_warn("poll: %s", strerror(errno));
			ok = false;
			break;
		}
		for (unsigned j = 0; rc > 0 && j < n && !daemon_stop; j++) {
			if (!(pfd[j].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			struct ra_err err;
			ra_err_clear(&err);
			unsigned i = map[j];
			int r = set->in[i].ops->poll(set->in[i].self, e, &err);
			if (r < 0) {
				char buf[600];
				log_warn("%s: %s", set->in[i].name, ra_err_string(&err, buf, sizeof buf));
				ok = false;
			}
			if (r <= 0)
				close_input(e, set, i);
		}
		uint64_t now = wall_us();
		if (rc > 0 && ns)
			srv_handle(srv, pfd + n, ns, now);
		/* Live flows are reported by the wall clock: an idle link still
		 * reports its last flows when they time out. */
		engine_tick(e, now);
		if (srv)
			srv_flush(srv, now);
		if (w && now >= next_flush) {
			/* Live records reach the file within a second. */
			struct ra_err err;
			ra_err_clear(&err);
			if (!ra_writer_flush(w, &err) && !e->write_failed) {
				char buf[600];
				log_warn("%s", ra_err_string(&err, buf, sizeof buf));
				e->write_failed = true;
			}
			next_flush = now + 1000000;
		}
		if (daemon_reopen) {
			daemon_reopen = 0;
			reopen_output(w, wpath);
		}
	}
	free(pfd);
	return ok;
}

/* Worker threads (workers.c), after the fork to the background.  sFlow
 * inputs feed the engine from the reader itself: they keep one engine. */
static bool start_workers(struct engine *e, const struct settings *s)
{
	unsigned n = s->workers ? s->workers : workers_default();
	struct ra_err err;
	char ebuf[600];

	for (unsigned i = 0; i < s->nr + s->ni && n > 1; i++)
		if (!strncmp(i < s->nr ? s->rfiles[i] : s->ifaces[i - s->nr], "sflow:", 6)) {
			if (s->workers > 1)
				log_info("sFlow input: one flow engine thread (-W %u not used)", s->workers);
			n = 1;
		}
	if (n <= 1)
		return true;
	ra_err_clear(&err);
	if (!workers_start(e, n, &err)) {
		log_warn("%s", ra_err_string(&err, ebuf, sizeof ebuf));
		return false;
	}
	return true;
}

static int fail_usage(const char *msg, const char *arg)
{
	fprintf(stderr, "argus: %s%s%s\n", arg ? arg : "", arg ? ": " : "", msg);
	fprintf(stderr, "usage: argus [options] (-r file | -i interface) [filter-expression]; argus -h for help\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct settings s;
	static struct input_set inputs;
	const char *conf = NULL;
	bool no_conf = false, foreground = false, cli_inputs = false, cli_binds = false;
	const char *optstring = "+AbB:c:dD:e:F:g:hi:JmM:o:pP:r:RS:s:u:U:w:W:XZ";
	struct ra_err err;
	char ebuf[600];
	int c;

	ra_err_clear(&err);
	settings_default(&s);
	/* Pass 1: where the settings come from. */
	opterr = 0;
	while ((c = getopt(argc, argv, optstring)) != -1) {
		if (c == 'F')
			conf = optarg;
		else if (c == 'X')
			no_conf = true;
		else if (c == 'h') {
			usage(stdout);
			return 0;
		}
	}
	if (conf || (!no_conf && access(SYSCONFDIR "/argus.conf", R_OK) == 0)) {
		const char *path = conf ? conf : SYSCONFDIR "/argus.conf";
		if (!settings_load(&s, path, log_warn, &err)) {
			fprintf(stderr, "argus: %s\n", ra_err_string(&err, ebuf, sizeof ebuf));
			return 2;
		}
	}
	/* Pass 2: the command line wins. */
	optind = 0;
	opterr = 1;
	while ((c = getopt(argc, argv, optstring)) != -1) {
		const char *key = NULL;
		switch (c) {
		case 'r':
		case 'i':
			if (!cli_inputs) {
				s.nr = s.ni = 0;
				cli_inputs = true;
			}
			if (s.nr + s.ni >= INPUT_MAX)
				return fail_usage("too many inputs", optarg);
			if (c == 'r')
				s.rfiles[s.nr++] = optarg;
			else
				s.ifaces[s.ni++] = optarg;
			break;
		case 'w': s.wfile = optarg; break;
		case 'd': foreground = true; break;
		case 'e': key = "ARGUS_MONITOR_ID"; break;
		case 'S': key = "ARGUS_FLOW_STATUS_INTERVAL"; break;
		case 'M': key = "ARGUS_MAR_STATUS_INTERVAL"; break;
		case 'U': key = "ARGUS_CAPTURE_DATA_LEN"; break;
		case 's': key = "ARGUS_SNAPLEN"; break;
		case 'u': s.user = optarg; break;
		case 'g': s.group = optarg; break;
		case 'c': s.chroot_dir = optarg; break;
		case 'm': s.ecfg.mac = true; break;
		case 'p': s.promisc = false; break;
		case 'o': {
			char *eq = strchr(optarg, '=');
			if (!eq)
				return fail_usage("expected KEY=VALUE", optarg);
			*eq = 0;
			if (!settings_set(&s, optarg, eq + 1, &err))
				return fail_usage(err.msg, "-o");
			break;
		}
		case 'P': key = "ARGUS_ACCESS_PORT"; break;
		case 'W': key = "ARGUS_WORKERS"; break;
		case 'B':
			if (!cli_binds) {
				s.nbinds = 0;
				cli_binds = true;
			}
			if (s.nbinds >= 16)
				return fail_usage("too many addresses", "-B");
			s.binds[s.nbinds++] = optarg;
			break;
		case 'J': s.ecfg.timing = true; break;
		case 'F': case 'X': case 'A': case 'R': case 'Z': case 'b': case 'D':
			break;
		default:
			return fail_usage("unknown option", NULL);
		}
		if (key && !settings_set(&s, key, optarg, &err))
			return fail_usage(err.msg, NULL);
	}
	if (optind < argc && strcmp(argv[optind], "-") == 0)
		optind++;	/* "argus -r f -w o - tcp": the filter after a lone '-', as in ra */
	if (optind < argc) {
		size_t len = 0;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		char *f = malloc(len + 1);
		if (!f)
			return 1;
		f[0] = 0;
		size_t off = 0;
		for (int i = optind; i < argc; i++) {
			size_t l = strlen(argv[i]);
			memcpy(f + off, argv[i], l);
			off += l;
			f[off++] = i + 1 < argc ? ' ' : 0;
		}
		f[off] = 0;
		s.filter = f;
	}
	if (!s.nr && !s.ni)
		return fail_usage("no input: give -r file or -i interface", NULL);
	if (!s.wfile && !s.port)
		return fail_usage("no output: give -w file (or -w - for stdout) or -P port", NULL);
	if (foreground)
		s.background = false;
	log_open("argus", s.syslog || s.background);

	struct ra_writer *w = NULL;
	if (s.wfile && !(w = ra_writer_open(s.wfile, false, false, PRODUCER, &err))) {
		log_warn("%s", ra_err_string(&err, ebuf, sizeof ebuf));
		return 1;
	}
	struct srv *srv = NULL;
	if (s.port) {
		struct srv_config sc;
		memset(&sc, 0, sizeof(sc));
		sc.port = s.port;
		for (unsigned i = 0; i < s.nbinds; i++)
			sc.binds[i] = s.binds[i];
		sc.nbinds = s.nbinds;
		sc.allow = s.allow;
		sc.client_buffer = s.client_buffer;
		sc.producer = PRODUCER;
		srv = srv_open(&sc, srv_log, NULL, &err);
		if (!srv) {
			log_warn("-P %s: %s", s.port, ra_err_string(&err, ebuf, sizeof ebuf));
			ra_writer_close(w, &err);
			return err.code == RA_ERR_USAGE ? 2 : 1;
		}
	}
	struct engine *e = engine_new(&s.ecfg, w);
	if (!e) {
		log_warn("out of memory");
		return 1;
	}
	e->warn = log_warn;
	e->refresh = refresh_stats;
	e->refresh_arg = &inputs;
	if (srv) {
		e->tap = srv_tap;
		e->status_more = srv_more;
		e->tap_arg = srv;
	}
	struct health_run hrun = { NULL, e };
	if (s.host_health && !s.ni) {
		log_warn("ARGUS_HOST_HEALTH: the host is sampled only with a live input (-i); no host records");
	} else if (s.host_health) {
		hrun.h = health_open(s.host_health_ports, !s.host_health_nosynrecv, log_warn, &err);
		if (!hrun.h) {
			log_warn("%s", ra_err_string(&err, ebuf, sizeof ebuf));
			return err.code == RA_ERR_USAGE ? 2 : 1;
		}
		e->health = health_now;
		e->health_arg = &hrun;
	}
	for (unsigned i = 0; i < s.nr + s.ni; i++) {
		const char *spec = i < s.nr ? s.rfiles[i] : s.ifaces[i - s.nr];
		if (!open_input(spec, i < s.nr, &s, e, &inputs, &err)) {
			int code = err.code == RA_ERR_USAGE ? 2 : 1;
			if (err.path[0] || strncmp(err.msg, spec, strlen(spec)) == 0)
				log_warn("%s", ra_err_string(&err, ebuf, sizeof ebuf));
			else
				log_warn("%s: %s", spec, ra_err_string(&err, ebuf, sizeof ebuf));
			for (unsigned k = 0; k < inputs.n; k++)
				close_input(e, &inputs, k);
			engine_free(e);
			ra_writer_close(w, &err);
			srv_close(srv, 0);
			free((char *)s.filter);
			return code;
		}
	}
	if (!daemon_signals()) {
		log_warn("cannot install signal handlers");
		return 1;
	}
	if (s.background && !daemon_background(s.wfile && !strcmp(s.wfile, "-"))) {
		log_warn("cannot go to the background: %s", strerror(errno));
		return 1;
	}
	if (s.pidfile && !daemon_write_pidfile(s.pidfile)) {
		log_warn("%s: %s", s.pidfile, strerror(errno));
		return 1;
	}
	if ((s.user || s.group || s.chroot_dir) && !daemon_drop_privileges(s.user, s.group, s.chroot_dir))
		return 1;
	if (!start_workers(e, &s))
		return 1;

	bool ok = run_files(e, &inputs, w, s.wfile, srv);
	if (!daemon_stop)
		ok = run_live(e, &inputs, w, s.wfile, srv) && ok;
	engine_flush(e);
	srv_close(srv, 2000000);	/* the last records reach the clients, if they read */
	for (unsigned i = 0; i < inputs.n; i++)
		close_input(e, &inputs, i);
	if (e->write_failed)
		ok = false;
	engine_free(e);
	health_close(hrun.h);
	if (!ra_writer_close(w, &err)) {
		log_warn("%s", ra_err_string(&err, ebuf, sizeof ebuf));
		ok = false;
	}
	daemon_remove_pidfile(s.pidfile);
	free((char *)s.filter);
	return ok ? 0 : 1;
}
