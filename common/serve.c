/*
 * serve.c - the record stream server (serve.h): listening sockets, the
 * allow-list, the handshake, per-client filters and bounded buffers, and
 * loss records for clients that could not keep up.
 */
#include "config.h"

#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "filter.h"
#include "netaddr.h"

enum { C_FREE, C_HELLO, C_STREAM };

struct sclient {
	int fd;
	int state;
	bool refused;			/* outside the allow-list: answered ERR after the hello */
	unsigned id;			/* connection number, for messages and status items */
	char peer[64];
	uint64_t deadline;		/* end of the handshake */
	char hello[SRV_HELLO_MAX];
	size_t hlen;
	struct ra_filter *flt;
	bool has_filter;
	uint8_t *buf;			/* queued bytes [off, len) of cap */
	size_t off, len, cap;
	uint64_t lost, lost_bytes;	/* dropped since the last loss record */
	uint64_t lost_total, sent;
};

struct refusal {
	char addr[48];
	uint64_t at;
};

struct srv {
	struct srv_config cfg;
	struct net_allow allow;
	int lfd[SRV_MAX_BINDS * 2];
	unsigned nl;
	unsigned port;
	struct sclient *c;		/* max_clients slots */
	unsigned nc;			/* slots in use at most (high-water index) */
	unsigned streaming;
	unsigned next_id;
	uint64_t dropped;
	uint64_t now;
	struct refusal refusals[64];
	srv_log_fn log;
	void *log_arg;
	struct ra_flow flow;		/* the record being put, decoded once for filters */
	uint8_t loss[128];
};

static void say(struct srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct srv *s, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	if (!s->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->log(s->log_arg, msg);
}

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static bool nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

/* Listen on every address of one bind name; returns how many sockets. */
static int listen_on(struct srv *s, const char *host, bool quiet, struct ra_err *err)
{
	struct addrinfo hints, *res, *ai;
	char port[16];
	int n = 0, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	snprintf(port, sizeof(port), "%u", s->port ? s->port : 0);
	rc = getaddrinfo(host, s->port ? port : s->cfg.port, &hints, &res);
	if (rc != 0) {
		if (!quiet)
			ra_err_set(err, RA_ERR_USAGE, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && s->nl < SRV_MAX_BINDS * 2; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		int one = 1;
		char where[80];
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0 || !nonblock(fd)) {
			if (!quiet)
				ra_err_set(err, RA_ERR_IO, "%s: %s",
					   net_addr_string(ai->ai_addr, where, sizeof(where)), strerror(errno));
			close(fd);
			continue;
		}
		{
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);
			if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
				net_addr_string((struct sockaddr *)&ss, where, sizeof(where));
				if (!s->port)
					s->port = ntohs(ss.ss_family == AF_INET
							? ((struct sockaddr_in *)&ss)->sin_port
							: ((struct sockaddr_in6 *)&ss)->sin6_port);
				say(s, "listening on %s", where);
			}
		}
		s->lfd[s->nl++] = fd;
		n++;
	}
	freeaddrinfo(res);
	return n;
}

struct srv *srv_open(const struct srv_config *cfg, srv_log_fn log, void *log_arg, struct ra_err *err)
{
	struct srv *s = calloc(1, sizeof(*s));

	if (!s) {
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return NULL;
	}
	s->cfg = *cfg;
	s->log = log;
	s->log_arg = log_arg;
	if (!s->cfg.client_buffer)
		s->cfg.client_buffer = SRV_DEFAULT_BUFFER;
	if (s->cfg.client_buffer < 2 * RA_REC_MAX)
		s->cfg.client_buffer = 2 * RA_REC_MAX;
	if (!s->cfg.max_clients)
		s->cfg.max_clients = 1024;
	if (!s->cfg.handshake_us)
		s->cfg.handshake_us = 10000000;
	if (!s->cfg.port)
		s->cfg.port = NET_DEFAULT_PORT;
	ra_flow_init(&s->flow);
	if (!net_allow_parse(&s->allow, cfg->allow ? cfg->allow : "", err) ||
	    !(s->c = calloc(s->cfg.max_clients, sizeof(*s->c)))) {
		if (err->code == RA_OK)
			ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		free(s);
		return NULL;
	}
	if (s->cfg.nbinds == 0) {
		/* loopback: IPv4, and IPv6 where the host has it */
		if (listen_on(s, "127.0.0.1", false, err) <= 0) {
			srv_close(s, 0);
			return NULL;
		}
		listen_on(s, "::1", true, err);
	} else {
		for (unsigned i = 0; i < s->cfg.nbinds; i++)
			if (listen_on(s, s->cfg.binds[i], false, err) <= 0) {
				srv_close(s, 0);
				return NULL;
			}
	}
	ra_err_clear(err);
	return s;
}

static void drop_client(struct srv *s, struct sclient *c, const char *why)
{
	if (c->state == C_FREE)
		return;
	if (why)
		say(s, "client #%u %s: %s (%llu records sent, %llu lost)", c->id, c->peer, why,
		    (unsigned long long)c->sent, (unsigned long long)c->lost_total);
	if (c->state == C_STREAM)
		s->streaming--;
	close(c->fd);
	flt_free(c->flt);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	c->state = C_FREE;
	c->fd = -1;
}

void srv_close(struct srv *s, uint64_t wait_us)
{
	if (!s)
		return;
	if (wait_us) {
		uint64_t end = mono_us() + wait_us;
		for (;;) {
			struct pollfd pfd[1];
			bool pending = false;
			srv_flush(s, 0);
			for (unsigned i = 0; i < s->nc; i++)
				if (s->c[i].state == C_STREAM && s->c[i].len > s->c[i].off) {
					pending = true;
					pfd[0].fd = s->c[i].fd;
					pfd[0].events = POLLOUT;
					break;
				}
			if (!pending || mono_us() >= end)
				break;
			poll(pfd, 1, 50);
		}
	}
	for (unsigned i = 0; i < s->nc; i++)
		drop_client(s, &s->c[i], NULL);
	for (unsigned i = 0; i < s->nl; i++)
		close(s->lfd[i]);
	free(s->c);
	free(s);
}

unsigned srv_maxfds(const struct srv *s) { return s->nl + s->cfg.max_clients; }
unsigned srv_clients(const struct srv *s) { return s->streaming; }
unsigned srv_port(const struct srv *s) { return s->port; }

unsigned srv_pollfds(struct srv *s, struct pollfd *pfd, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->nl && n < max; i++) {
		pfd[n].fd = s->lfd[i];
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	for (unsigned i = 0; i < s->nc && n < max; i++) {
		struct sclient *c = &s->c[i];
		if (c->state == C_FREE)
			continue;
		pfd[n].fd = c->fd;
		pfd[n].events = POLLIN;
		if (c->state == C_STREAM && c->len > c->off)
			pfd[n].events |= POLLOUT;
		pfd[n++].revents = 0;
	}
	return n;
}

/* A refusal is logged once per address per minute. */
static bool refusal_news(struct srv *s, const char *peer)
{
	char addr[48];
	size_t n = strcspn(peer, "]");
	struct refusal *oldest = &s->refusals[0];

	if (peer[0] == '[')
		snprintf(addr, sizeof(addr), "%.*s", (int)n, peer + 1);
	else
		snprintf(addr, sizeof(addr), "%.*s", (int)strcspn(peer, ":"), peer);
	for (unsigned i = 0; i < 64; i++) {
		struct refusal *r = &s->refusals[i];
		if (!strcmp(r->addr, addr)) {
			if (r->at + 60000000 > s->now)
				return false;
			r->at = s->now;
			return true;
		}
		if (r->at < oldest->at)
			oldest = r;
	}
	snprintf(oldest->addr, sizeof(oldest->addr), "%s", addr);
	oldest->at = s->now;
	return true;
}

static void accept_all(struct srv *s, int lfd)
{
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct sclient *c = NULL;
		char peer[64];

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				say(s, "accept: %s", strerror(errno));
			return;
		}
		net_addr_string((struct sockaddr *)&ss, peer, sizeof(peer));
		for (unsigned i = 0; i < s->cfg.max_clients; i++)
			if (s->c[i].state == C_FREE) {
				c = &s->c[i];
				if (i >= s->nc)
					s->nc = i + 1;
				break;
			}
		if (!c) {
			static const char full[] = "ERR too many clients\n";
			if (write(fd, full, sizeof(full) - 1) < 0) {
				/* nothing more to tell it */
			}
			close(fd);
			say(s, "%s: refused, %u clients already", peer, s->cfg.max_clients);
			continue;
		}
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->state = C_HELLO;
		c->id = ++s->next_id;
		c->deadline = s->now + s->cfg.handshake_us;
		snprintf(c->peer, sizeof(c->peer), "%s", peer);
		c->refused = !net_allow_match(&s->allow, (struct sockaddr *)&ss);
		{
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		}
	}
}

/* Tell the client why, then close. */
static void answer_err(struct srv *s, struct sclient *c, const char *text, const char *why)
{
	char msg[SRV_HELLO_MAX + 1200];
	int n = snprintf(msg, sizeof(msg), "ERR %s\n", text);

	if (n > 0 && send(c->fd, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1,
			  MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* the client is gone already */
	}
	shutdown(c->fd, SHUT_WR);
	drop_client(s, c, why);
}

static bool queue(struct sclient *c, const uint8_t *p, size_t n, size_t limit)
{
	if (c->len - c->off + n > limit)
		return false;
	if (c->len + n > c->cap) {
		if (c->off) {
			memmove(c->buf, c->buf + c->off, c->len - c->off);
			c->len -= c->off;
			c->off = 0;
		}
		if (c->len + n > c->cap) {
			size_t ncap = c->cap ? c->cap : 65536;
			uint8_t *nb;
			while (ncap < c->len + n)
				ncap *= 2;
			if (ncap > limit)
				ncap = limit;
			nb = realloc(c->buf, ncap);
			if (!nb)
				return false;
			c->buf = nb;
			c->cap = ncap;
		}
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	return true;
}

static void start_stream(struct srv *s, struct sclient *c)
{
	struct ra_stream_hdr h;
	uint8_t hdr[RA_STREAM_HDR_LEN + 16];
	struct timespec ts;

	memset(&h, 0, sizeof(h));
	h.major = RA_VERSION_MAJOR;
	h.minor = RA_VERSION_MINOR;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.start_time = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	snprintf(h.producer, sizeof(h.producer), "%s", s->cfg.producer ? s->cfg.producer : "");
	c->state = C_STREAM;
	s->streaming++;
	queue(c, hdr, ra_encode_stream_hdr(&h, hdr), s->cfg.client_buffer);
	say(s, "client #%u %s: streaming%s%s", c->id, c->peer, c->has_filter ? ", filter " : "",
	    c->has_filter ? c->hello + 5 : "");
}

/* A whole hello line is in c->hello (newline replaced by NUL). */
static void hello_done(struct srv *s, struct sclient *c)
{
	struct ra_err err;
	char text[SRV_HELLO_MAX + 1200];

	if (c->refused) {
		if (refusal_news(s, c->peer))
			say(s, "%s: refused, not in the allow-list", c->peer);
		snprintf(text, sizeof(text), "%s is not allowed to connect (ARGUS_ACCESS_ALLOW)", c->peer);
		answer_err(s, c, text, NULL);
		return;
	}
	if (strncmp(c->hello, "RA/1", 4) != 0 || (c->hello[4] != '\0' && c->hello[4] != ' ')) {
		answer_err(s, c, "bad handshake: expected \"RA/1 [filter]\"", "bad handshake, closed");
		return;
	}
	ra_err_clear(&err);
	if (c->hello[4] == ' ' && c->hello[5] != '\0') {
		c->flt = flt_compile(c->hello + 5, &err);
		if (!c->flt) {
			client_filter_message(c->hello + 5, &err, text, sizeof(text));
			answer_err(s, c, text, "filter refused");
			return;
		}
		c->has_filter = true;
	}
	start_stream(s, c);
}

static void read_hello(struct srv *s, struct sclient *c)
{
	for (;;) {
		ssize_t got = recv(c->fd, c->hello + c->hlen, sizeof(c->hello) - c->hlen, 0);
		char *nl;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (got <= 0) {
			drop_client(s, c, c->refused ? NULL : "closed during the handshake");
			return;
		}
		nl = memchr(c->hello + c->hlen, '\n', (size_t)got);
		if (memchr(c->hello + c->hlen, '\0', (size_t)got)) {
			answer_err(s, c, "bad handshake: expected \"RA/1 [filter]\"", "bad handshake, closed");
			return;
		}
		c->hlen += (size_t)got;
		if (nl) {
			if ((size_t)(nl - c->hello) + 1 != c->hlen) {
				answer_err(s, c, "bad handshake: bytes after the handshake line", "bad handshake, closed");
				return;
			}
			*nl = '\0';
			if (nl > c->hello && nl[-1] == '\r')
				nl[-1] = '\0';
			hello_done(s, c);
			return;
		}
		if (c->hlen == sizeof(c->hello)) {
			answer_err(s, c, "bad handshake: line longer than 4096 bytes", "bad handshake, closed");
			return;
		}
	}
}

/* A streaming client sends nothing more; end of file means it left. */
static void read_stream(struct srv *s, struct sclient *c)
{
	uint8_t junk[512];

	for (;;) {
		ssize_t got = recv(c->fd, junk, sizeof(junk), 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (got <= 0) {
			drop_client(s, c, got == 0 ? "disconnected" : strerror(errno));
			return;
		}
	}
}

void srv_handle(struct srv *s, const struct pollfd *pfd, unsigned n, uint64_t now_us)
{
	unsigned k = 0;

	(void)now_us;
	s->now = mono_us();
	for (unsigned i = 0; i < s->nl && k < n; i++, k++)
		if (pfd[k].revents & POLLIN)
			accept_all(s, pfd[k].fd);
	/* pfd[k..] are the clients in slot order, as srv_pollfds() listed them */
	for (unsigned i = 0; i < s->nc && k < n; i++) {
		struct sclient *c = &s->c[i];
		if (c->state == C_FREE || c->fd != pfd[k].fd)
			continue;
		short ev = pfd[k++].revents;
		if (!ev)
			continue;
		if (c->state == C_HELLO)
			read_hello(s, c);
		else if (ev & (POLLIN | POLLERR | POLLHUP))
			read_stream(s, c);
	}
}

static size_t loss_record(struct srv *s, struct sclient *c)
{
	struct ra_status st;	/* only its first three items are used */
	struct timespec ts;

	memset(&st, 0, offsetof(struct ra_status, items));
	clock_gettime(CLOCK_REALTIME, &ts);
	st.time = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	st.kind = RA_STATUS_LOSS;
	st.nitems = 3;
	st.items[0].key = SRV_LOSS_RECORDS;
	st.items[0].value = c->lost;
	st.items[1].key = SRV_LOSS_BYTES;
	st.items[1].value = c->lost_bytes;
	st.items[2].key = SRV_LOSS_TOTAL;
	st.items[2].value = c->lost_total;
	return ra_encode_status(&st, s->loss);
}

/* Queue the loss record owed to c, if any and if it fits with `more` bytes after it. */
static bool settle_loss(struct srv *s, struct sclient *c, size_t more)
{
	size_t n;

	if (!c->lost)
		return true;
	n = loss_record(s, c);
	if (c->len - c->off + n + more > s->cfg.client_buffer || !queue(c, s->loss, n, s->cfg.client_buffer))
		return false;
	c->lost = c->lost_bytes = 0;
	return true;
}

void srv_put(struct srv *s, const uint8_t *rec, size_t len)
{
	bool decoded = false, bad = false;
	uint16_t type = (uint16_t)(rec[0] | rec[1] << 8);

	if (!s->streaming)
		return;
	for (unsigned i = 0; i < s->nc; i++) {
		struct sclient *c = &s->c[i];
		if (c->state != C_STREAM)
			continue;
		if (c->has_filter && type == RA_REC_FLOW) {
			if (!decoded) {
				struct ra_err err;
				ra_err_clear(&err);
				bad = !ra_decode_flow(rec, len, &s->flow, &err);
				decoded = true;
			}
			if (bad || !flt_match(c->flt, &s->flow))
				continue;
		}
		if (!settle_loss(s, c, len) || !queue(c, rec, len, s->cfg.client_buffer)) {
			c->lost++;
			c->lost_bytes += len;
			c->lost_total++;
			s->dropped++;
			continue;
		}
		c->sent++;
	}
}

static void send_some(struct srv *s, struct sclient *c)
{
	while (c->len > c->off) {
		ssize_t put = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (put <= 0) {
			drop_client(s, c, strerror(errno));
			return;
		}
		c->off += (size_t)put;
	}
	c->off = c->len = 0;
	/* A buffer grown for a burst is given back once it drains. */
	if (c->cap > (1u << 20)) {
		free(c->buf);
		c->buf = NULL;
		c->cap = 0;
	}
}

void srv_flush(struct srv *s, uint64_t now_us)
{
	(void)now_us;
	s->now = mono_us();
	for (unsigned i = 0; i < s->nc; i++) {
		struct sclient *c = &s->c[i];
		if (c->state == C_HELLO && s->now >= c->deadline) {
			if (c->refused)
				hello_done(s, c);
			else
				answer_err(s, c, "handshake not finished within 10 s", "handshake timed out, closed");
			continue;
		}
		if (c->state != C_STREAM)
			continue;
		settle_loss(s, c, 0);
		if (c->len > c->off)
			send_some(s, c);
	}
	while (s->nc > 0 && s->c[s->nc - 1].state == C_FREE)
		s->nc--;
}

void srv_status(const struct srv *s, struct ra_status *st)
{
	if (st->nitems + 2 > RA_STATUS_MAX_ITEMS)
		return;
	st->items[st->nitems].key = SRV_ST_CLIENTS;
	st->items[st->nitems].aux = 0;
	st->items[st->nitems++].value = s->streaming;
	st->items[st->nitems].key = SRV_ST_DROPPED;
	st->items[st->nitems].aux = 0;
	st->items[st->nitems++].value = s->dropped;
	for (unsigned i = 0; i < s->nc && st->nitems + 2 <= RA_STATUS_MAX_ITEMS; i++) {
		const struct sclient *c = &s->c[i];
		if (c->state != C_STREAM)
			continue;
		st->items[st->nitems].key = SRV_ST_CLIENT_DROPPED;
		st->items[st->nitems].aux = c->id;
		st->items[st->nitems++].value = c->lost_total;
		st->items[st->nitems].key = SRV_ST_CLIENT_SENT;
		st->items[st->nitems].aux = c->id;
		st->items[st->nitems++].value = c->sent;
	}
}
