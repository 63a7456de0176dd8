/*
 * netin.c - reading record streams from servers (netin.h): connecting
 * without blocking, the handshake, framing records out of each
 * connection's buffer, loss records, and reconnecting with backoff.
 */
#include "config.h"

#include "netin.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cursor.h"
#include "netaddr.h"
#include "serve.h"

#define NBUF (256u << 10)	/* per connection; more than a record at most */
#define NET_MAX 256
#define BACKOFF_MIN 1000000u
#define BACKOFF_MAX 30000000u
#define REPLY_MAX 4096

enum { S_WAIT, S_CONNECT, S_REPLY, S_ERRTEXT, S_STREAM, S_DONE };

struct conn {
	char spec[300], host[256], port[32];
	int fd, state;
	uint64_t retry_at, backoff;
	struct addrinfo *ai, *cur;
	char said[300];			/* the last state announced */
	bool announced_down;
	uint8_t *buf;
	size_t start, end;
	bool eof, first;
	uint64_t off, recno, rec_off;	/* stream offset of buf[start]; records; the last one's offset */
	char reply[REPLY_MAX + 1];
	size_t rlen;
	uint64_t lost;
	bool has_err;			/* an error for netin_next() to return */
	struct ra_err err;
};

struct netin {
	struct conn *c[NET_MAX];
	unsigned n, cur;
	char hello[SRV_HELLO_MAX + 8];
	size_t hello_len;
	bool reconnect, fatal;
	netin_notice_fn notice;
	void *arg;
	volatile sig_atomic_t *stop;
	void (*idle)(void *arg);
	void *idle_arg;
	unsigned xmax;			/* netin_on_poll */
	unsigned (*xfill)(void *arg, struct pollfd *pfd, unsigned max);
	void (*xhandle)(void *arg, const struct pollfd *pfd, unsigned n);
	void *xarg;
	struct pollfd *pfd;		/* NET_MAX + xmax */
	uint64_t lost;
	struct ra_status st;
};

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void tell(struct netin *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tell(struct netin *n, const char *fmt, ...)
{
	char msg[700];
	va_list ap;

	if (!n->notice)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n->notice(n->arg, msg);
}

struct netin *netin_new(void)
{
	struct netin *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->reconnect = true;
	memcpy(n->hello, "RA/1\n", 5);
	n->hello_len = 5;
	return n;
}

static void close_fd(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->ai)
		freeaddrinfo(c->ai);
	c->ai = c->cur = NULL;
}

void netin_free(struct netin *n)
{
	if (!n)
		return;
	for (unsigned i = 0; i < n->n; i++) {
		close_fd(n->c[i]);
		free(n->c[i]->buf);
		free(n->c[i]);
	}
	free(n->pfd);
	free(n);
}

void netin_configure(struct netin *n, const char *filter, bool reconnect, netin_notice_fn notice,
		     void *arg, volatile sig_atomic_t *stop)
{
	n->reconnect = reconnect;
	n->notice = notice;
	n->arg = arg;
	n->stop = stop;
	if (filter && *filter) {
		int len = snprintf(n->hello, sizeof(n->hello), "RA/1 %s\n", filter);
		n->hello_len = len > 0 && (size_t)len < sizeof(n->hello) ? (size_t)len : sizeof(n->hello) - 1;
		/* the handshake is one line: a newline in the expression is a space */
		for (size_t i = 5; i + 1 < n->hello_len; i++)
			if (n->hello[i] == '\n' || n->hello[i] == '\r')
				n->hello[i] = ' ';
	}
}

void netin_on_idle(struct netin *n, void (*idle)(void *arg), void *arg)
{
	n->idle = idle;
	n->idle_arg = arg;
}

void netin_on_poll(struct netin *n, unsigned maxfds,
		   unsigned (*fill)(void *arg, struct pollfd *pfd, unsigned max),
		   void (*handle)(void *arg, const struct pollfd *pfd, unsigned n), void *arg)
{
	struct pollfd *p = realloc(n->pfd, (NET_MAX + maxfds) * sizeof(*p));

	if (!p)
		return;
	n->pfd = p;
	n->xmax = maxfds;
	n->xfill = fill;
	n->xhandle = handle;
	n->xarg = arg;
}

bool netin_add(struct netin *n, const char *spec, struct ra_err *err)
{
	struct conn *c;

	if (n->n >= NET_MAX) {
		ra_err_set(err, RA_ERR_USAGE, "-S: more than %d servers", NET_MAX);
		return false;
	}
	if (n->hello_len >= SRV_HELLO_MAX) {
		ra_err_set(err, RA_ERR_USAGE, "-S: a filter sent to a server must be shorter than %d bytes",
			   SRV_HELLO_MAX - 6);
		return false;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->buf = malloc(NBUF))) {
		free(c);
		ra_err_set(err, RA_ERR_NOMEM, "out of memory");
		return false;
	}
	if (!net_split(spec, NET_DEFAULT_PORT, c->host, sizeof(c->host), c->port, sizeof(c->port), err)) {
		free(c->buf);
		free(c);
		return false;
	}
	snprintf(c->spec, sizeof(c->spec), "%s", spec);
	if (!strchr(spec, ':') || (spec[0] == '[' && spec[strlen(spec) - 1] == ']'))
		snprintf(c->spec, sizeof(c->spec), "%s%s%s:%s", strchr(c->host, ':') ? "[" : "", c->host,
			 strchr(c->host, ':') ? "]" : "", c->port);
	c->fd = -1;
	c->state = S_WAIT;
	c->backoff = BACKOFF_MIN;
	n->c[n->n++] = c;
	return true;
}

unsigned netin_count(const struct netin *n) { return n->n; }
uint64_t netin_lost(const struct netin *n) { return n->lost; }

/* The connection is gone: tell once, then wait and try again (or end). */
static void conn_down(struct netin *n, struct conn *c, const char *why, bool is_error)
{
	close_fd(c);
	if (!n->reconnect) {
		c->state = S_DONE;
		if (is_error) {
			ra_err_clear(&c->err);
			ra_err_where(&c->err, c->spec, 0, 0);
			c->err.has_offset = 0;
			ra_err_set(&c->err, RA_ERR_IO, "%s", why);
			c->has_err = true;
		}
		return;
	}
	if (strcmp(c->said, why) != 0) {
		tell(n, "%s: %s; trying again in %llu s, then every %u s at most", c->spec, why,
		     (unsigned long long)(c->backoff / 1000000u), BACKOFF_MAX / 1000000u);
		snprintf(c->said, sizeof(c->said), "%s", why);
	}
	c->announced_down = true;
	c->state = S_WAIT;
	c->retry_at = mono_us() + c->backoff;
	c->backoff = c->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : c->backoff * 2;
}

/* Try the addresses from c->cur on; a connect that is under way waits for POLLOUT. */
static void try_connect(struct netin *n, struct conn *c)
{
	int last = 0;

	for (; c->cur; c->cur = c->cur->ai_next) {
		int fd = socket(c->cur->ai_family, c->cur->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
				c->cur->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, c->cur->ai_addr, c->cur->ai_addrlen) == 0 || errno == EINPROGRESS) {
			c->fd = fd;
			c->state = S_CONNECT;
			return;
		}
		last = errno;
		close(fd);
	}
	conn_down(n, c, strerror(last ? last : ECONNREFUSED), true);
}

static void start(struct netin *n, struct conn *c)
{
	struct addrinfo hints;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	close_fd(c);
	rc = getaddrinfo(c->host, c->port, &hints, &c->ai);
	if (rc != 0) {
		c->ai = NULL;
		conn_down(n, c, gai_strerror(rc), true);
		return;
	}
	c->cur = c->ai;
	try_connect(n, c);
}

static void connected(struct netin *n, struct conn *c)
{
	int e = 0;
	socklen_t el = sizeof(e);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
		e = errno;
	if (e) {
		close(c->fd);
		c->fd = -1;
		c->cur = c->cur->ai_next;
		if (c->cur) {
			try_connect(n, c);
			return;
		}
		conn_down(n, c, strerror(e), true);
		return;
	}
	/* The hello is one short line: the socket's empty buffer takes it whole. */
	if (send(c->fd, n->hello, n->hello_len, MSG_NOSIGNAL) != (ssize_t)n->hello_len) {
		conn_down(n, c, strerror(errno), true);
		return;
	}
	c->state = S_REPLY;
	c->rlen = 0;
	c->start = c->end = 0;
	c->off = c->recno = 0;
	c->eof = false;
	c->first = true;
}

/* The server answered ERR: a refused filter ends everything, anything else is retried. */
static void refused(struct netin *n, struct conn *c)
{
	char *t = c->reply + 4;
	size_t len = c->rlen > 4 ? c->rlen - 4 : 0;

	c->reply[c->rlen] = '\0';
	while (len > 0 && (t[len - 1] == '\n' || t[len - 1] == '\r'))
		t[--len] = '\0';
	if (!strncmp(t, "filter", 6)) {
		ra_err_clear(&c->err);
		ra_err_where(&c->err, c->spec, 0, 0);
		c->err.has_offset = 0;
		ra_err_set(&c->err, RA_ERR_USAGE, "%s", t);
		c->has_err = true;
		n->fatal = true;
		for (unsigned i = 0; i < n->n; i++) {
			close_fd(n->c[i]);
			n->c[i]->state = S_DONE;
		}
		return;
	}
	{
		char why[300];
		snprintf(why, sizeof(why), "refused: %.280s", t);
		conn_down(n, c, why, true);
	}
}

/* Read what the socket has into the buffer. */
static void take(struct netin *n, struct conn *c)
{
	if (c->state == S_REPLY || c->state == S_ERRTEXT) {
		ssize_t got = recv(c->fd, c->reply + c->rlen, REPLY_MAX - c->rlen, MSG_DONTWAIT);
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (got < 0) {
			conn_down(n, c, strerror(errno), true);
			return;
		}
		c->rlen += (size_t)got;
		if (c->state == S_REPLY && c->rlen >= 4) {
			if (!memcmp(c->reply, "ERR ", 4)) {
				c->state = S_ERRTEXT;
			} else {
				/* the stream itself: move the bytes to the record buffer */
				memcpy(c->buf, c->reply, c->rlen);
				c->end = c->rlen;
				c->state = S_STREAM;
				c->eof = got == 0;
				if (c->announced_down) {
					tell(n, "%s: connected", c->spec);
					c->announced_down = false;
				}
				c->said[0] = '\0';
				c->backoff = BACKOFF_MIN;
				return;
			}
		}
		if (got == 0 || c->rlen == REPLY_MAX) {
			if (c->state == S_ERRTEXT)
				refused(n, c);
			else
				conn_down(n, c, c->rlen ? "closed in the handshake" : "closed by the server before the stream began", true);
		}
		return;
	}
	if (c->start > 0 && (c->start == c->end || NBUF - c->end < RA_REC_MAX)) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	for (;;) {
		ssize_t got = recv(c->fd, c->buf + c->end, NBUF - c->end, MSG_DONTWAIT);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (got <= 0) {
			c->eof = true;	/* a reset too: what was received is delivered first */
			return;
		}
		c->end += (size_t)got;
		return;
	}
}

/* A loss record: say it and count it. */
static void loss(struct netin *n, struct conn *c, const uint8_t *rec, size_t len)
{
	struct ra_err err;

	ra_err_clear(&err);
	if (!ra_decode_status(rec, len, &n->st, &err) || n->st.kind != RA_STATUS_LOSS)
		return;
	for (unsigned i = 0; i < n->st.nitems; i++)
		if (n->st.items[i].key == SRV_LOSS_RECORDS && n->st.items[i].value) {
			uint64_t v = n->st.items[i].value;
			c->lost += v;
			n->lost += v;
			tell(n, "%s: %llu records lost (server buffer full)", c->spec, (unsigned long long)v);
		}
}

/* 1: a record; 0: need more bytes (or the connection went down). */
static int frame(struct netin *n, struct conn *c, const uint8_t **rec, size_t *len)
{
	for (;;) {
		size_t have = c->end - c->start;
		uint16_t type, rlen;
		const uint8_t *p = c->buf + c->start;
		char why[320];	/* "byte N: " and an error message (256) */

		if (have < 4 || (ra_frame(p, &type, &rlen), have < rlen)) {
			if (!c->eof)
				return 0;
			if (have == 0)
				conn_down(n, c, "the server closed the stream", n->reconnect);
			else {
				snprintf(why, sizeof(why), "the stream ended inside a record (%zu bytes of it)", have);
				conn_down(n, c, why, true);
			}
			return 0;
		}
		if (c->first && (type != RA_REC_STREAM || rlen < RA_STREAM_HDR_LEN ||
				 memcmp(p + 4, RA_STREAM_MAGIC, 4) != 0)) {
			conn_down(n, c, "not a record stream", true);
			return 0;
		}
		if (type == 0 || type > 0xff || rlen < 8 || rlen % 8) {
			snprintf(why, sizeof(why), "byte %llu: bad record (type %u, length %u)",
				 (unsigned long long)c->off, type, rlen);
			conn_down(n, c, why, true);
			return 0;
		}
		c->rec_off = c->off;
		c->start += rlen;
		c->off += rlen;
		if (type == RA_REC_STREAM) {
			struct ra_stream_hdr h;
			struct ra_err err;
			ra_err_clear(&err);
			if (!ra_decode_stream_hdr(p, rlen, &h, &err)) {
				snprintf(why, sizeof(why), "byte %llu: %s", (unsigned long long)c->rec_off, err.msg);
				conn_down(n, c, why, true);
				return 0;
			}
			c->first = false;
			continue;
		}
		if (type == RA_REC_STATUS && rlen >= 32 && p[4] == RA_STATUS_LOSS)
			loss(n, c, p, rlen);
		c->recno++;
		*rec = p;
		*len = rlen;
		return 1;
	}
}

static int wait_ms(const struct netin *n, uint64_t now)
{
	uint64_t t = 1000000;

	for (unsigned i = 0; i < n->n; i++)
		if (n->c[i]->state == S_WAIT) {
			uint64_t d = n->c[i]->retry_at > now ? n->c[i]->retry_at - now : 0;
			if (d < t)
				t = d;
		}
	return (int)((t + 999) / 1000);
}

enum ra_read_result netin_next(struct netin *n, const uint8_t **rec, size_t *len, struct ra_err *err)
{
	struct pollfd own[NET_MAX], *pfd = n->pfd ? n->pfd : own;
	unsigned map[NET_MAX];

	for (;;) {
		unsigned live = 0, np = 0, nx = 0;
		uint64_t now;

		if (n->stop && *n->stop)
			return RA_READ_END;
		for (unsigned k = 0; k < n->n; k++) {
			struct conn *c = n->c[n->cur];
			if (c->has_err) {
				c->has_err = false;
				*err = c->err;
				return RA_READ_ERROR;
			}
			if (c->state == S_STREAM && frame(n, c, rec, len))
				return RA_READ_OK;
			if (c->has_err) {
				c->has_err = false;
				*err = c->err;
				return RA_READ_ERROR;
			}
			n->cur = (n->cur + 1) % n->n;
		}
		now = mono_us();
		for (unsigned i = 0; i < n->n; i++) {
			struct conn *c = n->c[i];
			if (c->state == S_WAIT && c->retry_at <= now)
				start(n, c);
			if (c->state == S_DONE)
				continue;
			live++;
			if (c->fd < 0 || (c->state == S_STREAM && c->eof))
				continue;
			pfd[np].fd = c->fd;
			pfd[np].events = c->state == S_CONNECT ? POLLOUT : POLLIN;
			pfd[np].revents = 0;
			map[np++] = i;
		}
		if (!live) {
			for (unsigned i = 0; i < n->n; i++)
				if (n->c[i]->has_err)
					goto again;
			return RA_READ_END;
		}
		if (n->idle)
			n->idle(n->idle_arg);
		if (n->xfill)
			nx = n->xfill(n->xarg, pfd + np, n->xmax);
		if (poll(pfd, np + nx, wait_ms(n, now)) < 0) {
			if (errno == EINTR)
				continue;
			ra_err_set(err, RA_ERR_IO, "poll: %s", strerror(errno));
			return RA_READ_ERROR;
		}
		if (nx)
			n->xhandle(n->xarg, pfd + np, nx);
		for (unsigned j = 0; j < np; j++) {
			struct conn *c = n->c[map[j]];
			if (!pfd[j].revents || c->fd != pfd[j].fd)
				continue;
			if (c->state == S_CONNECT)
				connected(n, c);
			else
				take(n, c);
		}
again:		;
	}
}

void netin_abandon(struct netin *n)
{
	struct conn *c;

	if (!n->n)
		return;
	c = n->c[n->cur];
	if (c->state == S_STREAM)
		conn_down(n, c, "damaged record, connection dropped", true);
}

const char *netin_path(const struct netin *n) { return n->n ? n->c[n->cur]->spec : ""; }
uint64_t netin_offset(const struct netin *n) { return n->n ? n->c[n->cur]->rec_off : 0; }
uint64_t netin_recno(const struct netin *n) { return n->n ? n->c[n->cur]->recno : 0; }
