/*
 * radium.c - the record relay: reads many live streams (-S) and serves the
 * merged stream to many clients (-P), optionally writing it (-w), with the
 * server's buffering, allow-list and filter rules (common/serve.c).
 *
 *   radium -S probe1 -S probe2:561 -P 562 [-B addr] [-w file] [- filter]
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>

#include "client.h"
#include "serve.h"
#include "units.h"

#define PRODUCER "radium " PACKAGE_VERSION
#define STATUS_US (60u * 1000000u)

static volatile sig_atomic_t stop, reopen;
static void on_stop(int sig) { (void)sig; stop = 1; }
static void on_hup(int sig) { (void)sig; reopen = 1; }
static void say(void *arg, const char *msg) { (void)arg; fprintf(stderr, "radium: %s\n", msg); }

struct relay {
	struct client c;
	struct srv *srv;
	struct srv_config sc;
	uint64_t next_status;
	uint64_t records;
	bool write_failed;
	struct ra_status st;
};

static uint64_t wall_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void usage(FILE *fp)
{
	fprintf(fp, "usage: radium -S host[:port] ... -P port [-B addr ...] [-w file] [- filter]\n"
		"Relay live record streams: read many servers, serve the merged stream.\n"
		"  -P port         serve on this TCP port (0: any free port, logged)\n"
		"  -B addr         listen on this address (repeatable; default loopback)\n"
		"  -o KEY=VALUE    RADIUM_ACCESS_ALLOW=networks, RADIUM_CLIENT_BUFFER=size\n"
		"%s", ra_common_usage);
}

static void put(struct relay *r, const uint8_t *rec, size_t len)
{
	struct ra_err err;

	srv_put(r->srv, rec, len);
	if (r->c.w && !r->write_failed) {
		ra_err_clear(&err);
		if (!ra_writer_put(r->c.w, rec, len, &err)) {
			char buf[600];
			fprintf(stderr, "radium: %s\n", ra_err_string(&err, buf, sizeof(buf)));
			r->write_failed = true;
		}
	}
}

/* radium's own status record: its clients and what they lost. */
static void status(struct relay *r, uint64_t now)
{
	uint8_t buf[32 + 16 * RA_STATUS_MAX_ITEMS];

	memset(&r->st, 0, offsetof(struct ra_status, items));
	r->st.time = now;
	r->st.kind = RA_STATUS_DAEMON;
	srv_status(r->srv, &r->st);
	put(r, buf, ra_encode_status(&r->st, buf));
}

/* Before waiting for the sources: send, flush, rotate, report. */
static void idle(void *arg)
{
	struct relay *r = arg;
	uint64_t now = wall_us();
	struct ra_err err;

	ra_err_clear(&err);
	if (now >= r->next_status) {
		if (r->next_status)
			status(r, now);
		r->next_status = now + STATUS_US;
	}
	srv_flush(r->srv, now);
	if (r->c.w && !r->write_failed)
		ra_writer_flush(r->c.w, &err);
	if (reopen && r->c.w) {
		char buf[600];
		reopen = 0;
		if (!ra_writer_reopen(r->c.w, &err)) {
			fprintf(stderr, "radium: %s\n", ra_err_string(&err, buf, sizeof(buf)));
			r->write_failed = true;
		} else {
			fprintf(stderr, "radium: %s: reopened\n", r->c.o.wfile);
		}
	}
}

static unsigned fill(void *arg, struct pollfd *pfd, unsigned max)
{
	return srv_pollfds(((struct relay *)arg)->srv, pfd, max);
}

static void handle(void *arg, const struct pollfd *pfd, unsigned n)
{
	srv_handle(((struct relay *)arg)->srv, pfd, n, wall_us());
}

/* Between records of -r files: accept, read handshakes and send, without
 * waiting (a connect takes two rounds: the accept, then the hello). */
static void serve_now(struct relay *r)
{
	struct pollfd pfd[1100];

	for (int round = 0; round < 4; round++) {
		unsigned n = srv_pollfds(r->srv, pfd, sizeof(pfd) / sizeof(*pfd));
		if (poll(pfd, n, 0) <= 0)
			break;
		srv_handle(r->srv, pfd, n, wall_us());
	}
	srv_flush(r->srv, wall_us());
}

/* Take radium's own options out of argv; the rest are every client's. */
static int own_options(struct relay *r, int *argc, char **argv)
{
	int k = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-") || !strcmp(a, "--")) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if ((!strcmp(a, "-P") || !strcmp(a, "-B") || !strcmp(a, "-o")) && i + 1 >= *argc) {
			fprintf(stderr, "radium: %s needs a value\n", a);
			return 2;
		}
		if (!strcmp(a, "-P")) {
			r->sc.port = argv[++i];
		} else if (!strcmp(a, "-B")) {
			if (r->sc.nbinds >= SRV_MAX_BINDS) {
				fprintf(stderr, "radium: -B: too many addresses\n");
				return 2;
			}
			r->sc.binds[r->sc.nbinds++] = argv[++i];
		} else if (!strcmp(a, "-o")) {
			const char *kv = argv[++i];
			if (!strncmp(kv, "RADIUM_ACCESS_ALLOW=", 20)) {
				r->sc.allow = kv + 20;
			} else if (!strncmp(kv, "RADIUM_CLIENT_BUFFER=", 21)) {
				if (!ra_parse_size(kv + 21, 1ull << 34, &r->sc.client_buffer)) {
					fprintf(stderr, "radium: -o %s: not a size\n", kv);
					return 2;
				}
			} else {
				fprintf(stderr, "radium: -o %s: unknown setting\n", kv);
				return 2;
			}
		} else {
			argv[k++] = argv[i];
		}
	}
	*argc = k;
	argv[k] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	static struct relay r;
	struct ra_err err;
	int rc, status_code = 0;
	char buf[1200];

	ra_err_clear(&err);
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	if ((rc = own_options(&r, &argc, argv)) != 0)
		return rc;
	rc = ra_opts_parse(&r.c.o, "radium", "", argc, argv, &err);
	if (rc != 0) {
		if (rc == 1)
			usage(stdout);
		else
			fprintf(stderr, "radium: %s\n", ra_err_string(&err, buf, sizeof(buf)));
		return rc == 1 ? 0 : 2;
	}
	if (!r.sc.port) {
		fprintf(stderr, "radium: no -P port: radium serves its sources to clients\n");
		return 2;
	}
	if (!r.c.o.nservers && !r.c.o.ninputs) {	/* RA_ARGUS_SERVER is a -S by now */
		fprintf(stderr, "radium: no sources: give -S host[:port] (or -r file)\n");
		return 2;
	}
	r.sc.producer = PRODUCER;
	r.srv = srv_open(&r.sc, say, NULL, &err);
	if (!r.srv) {
		fprintf(stderr, "radium: -P %s: %s\n", r.sc.port, ra_err_string(&err, buf, sizeof(buf)));
		return err.code == RA_ERR_USAGE ? 2 : 1;
	}
	r.c.notice = say;
	r.c.on_signal = on_stop;
	r.c.stop = &stop;
	rc = client_open(&r.c, "radium", NULL, 0, false, &err);
	if (rc) {
		fprintf(stderr, "radium: %s\n", client_error_text(&r.c, &err, buf, sizeof(buf)));
		srv_close(r.srv, 0);
		client_close(&r.c, rc, &err);
		return rc;
	}
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, on_hup);
	if (r.c.o.nservers == 0) {	/* files and pipes: end cleanly on a signal too */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		ra_reader_stop_on(r.c.rd, &stop);
	}
	ra_reader_on_idle(r.c.rd, idle, &r);
	ra_reader_on_poll(r.c.rd, srv_maxfds(r.srv), fill, handle, &r);
	{
		struct ra_flow f;
		bool have_filter = r.c.o.filter && r.c.o.filter[0];
		ra_flow_init(&f);
		for (;;) {
			const uint8_t *rec;
			size_t len;
			enum ra_read_result rr;
			ra_err_clear(&err);
			if (stop)
				break;
			rr = ra_reader_next(r.c.rd, &rec, &len, &err);
			if (rr == RA_READ_END)
				break;
			if (rr == RA_READ_ERROR) {
				fprintf(stderr, "radium: %s\n", ra_err_string(&err, buf, sizeof(buf)));
				status_code = err.code == RA_ERR_USAGE ? 2 : 1;
				continue;
			}
			if (have_filter && rec[0] == RA_REC_FLOW && rec[1] == 0) {
				if (!ra_decode_flow(rec, len, &f, &err) || !flt_match(r.c.flt, &f))
					continue;
			}
			if (r.records++ % 2048 == 0)
				serve_now(&r);
			put(&r, rec, len);
		}
	}
	status(&r, wall_us());
	srv_close(r.srv, 2000000);
	if (r.write_failed)
		status_code = 1;
	rc = client_close(&r.c, status_code, &err);
	if (rc && !status_code)
		fprintf(stderr, "radium: %s\n", ra_err_string(&err, buf, sizeof(buf)));
	return rc;
}
