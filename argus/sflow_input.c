/*
 * sflow_input.c - the sFlow v5 inputs: a UDP socket (IPv4/IPv6) read with
 * recvmmsg(2), and a capture file whose UDP datagrams to a port are
 * replayed.  Both hand every datagram to sflow_feed (sflow_feed.c); the
 * option syntax is in sflow.h.
 *
 * The socket asks for a large receive buffer (SO_RCVBUFFORCE when allowed,
 * else SO_RCVBUF up to net.core.rmem_max) and for SO_RXQ_OVFL, the
 * kernel's count of datagrams dropped on a full buffer, which travels in
 * the status records as kernel drops.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "input.h"
#include "sflow.h"
#include "units.h"
#include "sflow_feed.h"
#include "sflow_udp.h"

#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

#define BATCH 64			/* datagrams per recvmmsg call */
#define BATCHES_PER_POLL 64		/* then let the main loop run */
#define DGRAM_MAX 65536
#define FILE_BATCH 65536		/* packets per poll of a file */
#define DEFAULT_RCVBUF (32u << 20)

struct sflow_options {
	struct sflow_allow allow[SFLOW_ALLOW_MAX];
	unsigned nallow;
	uint32_t cap;
	uint64_t rcvbuf;
	uint32_t status_s;
};

/* Defaults set by sflow_configure(); each input copies them when it opens. */
static struct sflow_options defaults = { .rcvbuf = DEFAULT_RCVBUF, .status_s = 60 };

struct sflow_src {
	struct sflow_feed feed;
	bool is_file;
	/* file */
	pcap_t *pc;
	int dlt;
	uint16_t port;
	uint64_t last_ts;
	/* socket */
	int fd;
	uint8_t (*bufs)[DGRAM_MAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	union { char buf[CMSG_SPACE(sizeof(uint32_t))]; struct cmsghdr align; } ctl[BATCH];
	uint64_t truncated;
};

/* ---- options ---- */


/* One or more PREFIX[@CAP] separated by spaces or commas. */
static bool add_allow(struct sflow_options *o, const char *value, struct ra_err *err)
{
	char one[128];
	const char *p = value;

	for (;;) {
		size_t n;
		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (n == 0)
			return true;
		if (n >= sizeof(one)) {
			ra_err_set(err, RA_ERR_USAGE, "sflow agent '%.40s...': too long", p);
			return false;
		}
		if (o->nallow >= SFLOW_ALLOW_MAX) {
			ra_err_set(err, RA_ERR_USAGE, "sflow allow-list: more than %d entries",
				   SFLOW_ALLOW_MAX);
			return false;
		}
		memcpy(one, p, n);
		one[n] = '\0';
		if (!sflow_allow_parse(one, &o->allow[o->nallow], err))
			return false;
		o->nallow++;
		p += n;
	}
}

static bool set_option(struct sflow_options *o, const char *key, const char *value, struct ra_err *err)
{
	if (strncmp(key, "ARGUS_", 6) == 0)
		key += 6;
	if (strcmp(key, "allow") == 0 || strcmp(key, "SFLOW_ALLOW") == 0)
		return add_allow(o, value, err);
	if (strcmp(key, "cap") == 0 || strcmp(key, "SFLOW_RATE_CAP") == 0) {
		if (!sflow_parse_u32(value, &o->cap)) {
			ra_err_set(err, RA_ERR_USAGE, "sflow rate cap '%s': not a number", value);
			return false;
		}
		return true;
	}
	if (strcmp(key, "rcvbuf") == 0 || strcmp(key, "SFLOW_RCVBUF") == 0) {
		if (!ra_parse_size(value, 1ull << 31, &o->rcvbuf)) {
			ra_err_set(err, RA_ERR_USAGE, "sflow rcvbuf '%s': want bytes (1 .. 2G, k/M/G suffix)",
				   value);
			return false;
		}
		return true;
	}
	if (strcmp(key, "status") == 0 || strcmp(key, "SFLOW_STATUS_INTERVAL") == 0) {
		if (!sflow_parse_u32(value, &o->status_s)) {
			ra_err_set(err, RA_ERR_USAGE, "sflow status interval '%s': not a number of seconds",
				   value);
			return false;
		}
		return true;
	}
	ra_err_set(err, RA_ERR_USAGE, "sflow: unknown option '%s' (allow, cap, rcvbuf, status; "
		   "ARGUS_SFLOW_ALLOW, _RATE_CAP, _RCVBUF, _STATUS_INTERVAL)", key);
	return false;
}

bool sflow_configure(const char *key, const char *value, struct ra_err *err)
{
	return set_option(&defaults, key, value, err);
}

bool sflow_settings_set(const char *key, const char *value, struct ra_err *err)
{
	return set_option(&defaults, key, value, err);
}

bool sflow_spec(const char *arg)
{
	return strncmp(arg, "sflow:", 6) == 0;
}

static bool known_option(const char *seg)
{
	static const char *const keys[] = { "allow=", "cap=", "rcvbuf=", "status=" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strncmp(seg, keys[i], strlen(keys[i])) == 0)
			return true;
	return false;
}

/*
 * Split "BODY,opt=v,opt=v" in place: options are peeled from the right
 * while they look like options, so a file name may hold commas.
 */
static bool split_options(char *body, struct sflow_options *o, struct ra_err *err)
{
	char *comma;

	while ((comma = strrchr(body, ',')) != NULL && known_option(comma + 1)) {
		char *eq = strchr(comma + 1, '=');
		*comma = '\0';
		*eq = '\0';
		if (!set_option(o, comma + 1, eq + 1, err))
			return false;
	}
	return true;
}

/* A trailing ":DIGITS" as a port: true and cut off when present. */
static bool take_port(char *s, uint16_t *port, bool *had)
{
	char *colon = strrchr(s, ':');
	uint32_t v;

	*had = false;
	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return true;
	if (!sflow_parse_u32(colon + 1, &v) || v == 0 || v > 65535)
		return false;
	*port = (uint16_t)v;
	*colon = '\0';
	*had = true;
	return true;
}

/* ---- the engine side, shared ---- */

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void src_free(struct sflow_src *s)
{
	if (s->pc)
		pcap_close(s->pc);
	if (s->fd >= 0)
		close(s->fd);
	free(s->bufs);
	sflow_feed_free(&s->feed);
	free(s);
}

static bool apply_options(struct sflow_src *s, const struct sflow_options *o, struct ra_err *err)
{
	for (unsigned i = 0; i < o->nallow; i++)
		if (!sflow_agents_add_allow(s->feed.agents, &o->allow[i], err))
			return false;
	s->feed.agents->default_cap = o->cap;
	s->feed.status_interval_us = (uint64_t)o->status_s * 1000000u;
	return true;
}

/* ---- file input ---- */

static int file_fd(void *self) { (void)self; return -1; }

static int file_poll(void *self, struct engine *e, struct ra_err *err)
{
	struct sflow_src *s = self;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = 1;

	s->feed.engine = e;
	for (unsigned n = 0; n < FILE_BATCH; n++) {
		struct sflow_udp u;
		rc = pcap_next_ex(s->pc, &h, &data);
		if (rc != 1)
			break;
		s->last_ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
		sflow_feed_maybe_status(&s->feed, s->last_ts);
		switch (sflow_udp_payload(s->dlt, data, h->caplen, s->port, &u)) {
		case SFLOW_UDP_OK:
			sflow_feed_datagram(&s->feed, u.payload, u.len, s->last_ts);
			break;
		case SFLOW_UDP_TRUNCATED:
			engine_count_malformed(e, "sflow_capture_truncated");
			break;
		case SFLOW_UDP_FRAGMENT:
			engine_count_malformed(e, "sflow_ip_fragment");
			break;
		case SFLOW_UDP_OTHER:
			s->feed.not_sflow++;
			break;
		}
	}
	if (rc == 1)
		return 1;
	if (rc == PCAP_ERROR) {
		ra_err_set(err, RA_ERR_IO, "%s", pcap_geterr(s->pc));
		return -1;
	}
	/* End of the file: the agents' figures, stamped with the last packet's time. */
	sflow_feed_emit_status(&s->feed, s->last_ts);
	return 0;
}

static void any_close(void *self) { src_free(self); }

static void any_stats(void *self, struct input_stats *st)
{
	struct sflow_src *s = self;
	st->received += s->feed.received;
	st->dropped += s->feed.kernel_drops;
}

static const struct input_ops file_ops = { file_fd, file_poll, any_close, any_stats };

static bool open_file(struct sflow_src *s, char *body, struct ra_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	bool had;

	s->port = SFLOW_PORT;
	s->pc = pcap_open_offline_with_tstamp_precision(body, PCAP_TSTAMP_PRECISION_MICRO, eb);
	if (!s->pc) {
		/* "FILE:PORT": retry without a trailing port. */
		if (!take_port(body, &s->port, &had) || !had) {
			ra_err_set(err, RA_ERR_IO, "%s", eb);
			return false;
		}
		s->pc = pcap_open_offline_with_tstamp_precision(body, PCAP_TSTAMP_PRECISION_MICRO, eb);
		if (!s->pc) {
			ra_err_set(err, RA_ERR_IO, "%s", eb);
			return false;
		}
	}
	s->dlt = pcap_datalink(s->pc);
	return true;
}

/* ---- socket input ---- */

static int sock_fd(void *self) { return ((struct sflow_src *)self)->fd; }

static void read_drops(struct sflow_src *s, struct msghdr *mh)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		uint32_t v;
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SO_RXQ_OVFL ||
		    c->cmsg_len < CMSG_LEN(sizeof(v)))
			continue;
		memcpy(&v, CMSG_DATA(c), sizeof(v));
		s->feed.kernel_drops = v;	/* the socket's drops so far (it starts at 0) */
	}
}

static int sock_poll(void *self, struct engine *e, struct ra_err *err)
{
	struct sflow_src *s = self;
	uint64_t ts = now_us();

	s->feed.engine = e;
	for (unsigned b = 0; b < BATCHES_PER_POLL; b++) {
		int n;
		for (unsigned i = 0; i < BATCH; i++) {
			s->msgs[i].msg_hdr.msg_controllen = sizeof(s->ctl[i].buf);
			s->msgs[i].msg_hdr.msg_flags = 0;
		}
		n = recvmmsg(s->fd, s->msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			ra_err_set(err, RA_ERR_IO, "sflow socket: %s", strerror(errno));
			err->sys_errno = errno;
			return -1;
		}
		if (n == 0)
			break;
		ts = now_us();
		for (int i = 0; i < n; i++) {
			struct msghdr *mh = &s->msgs[i].msg_hdr;
			if (mh->msg_controllen)
				read_drops(s, mh);
			if (mh->msg_flags & MSG_TRUNC) {
				s->truncated++;
				engine_count_malformed(e, "sflow_receive_truncated");
				continue;
			}
			sflow_feed_datagram(&s->feed, s->bufs[i], s->msgs[i].msg_len, ts);
		}
		if (n < BATCH)
			break;
	}
	sflow_feed_maybe_status(&s->feed, ts);
	return 1;
}

static void sock_close(void *self)
{
	struct sflow_src *s = self;

	/* Last figures, while the engine is still there (main.c closes inputs
	 * before it flushes and closes the engine). */
	if (s->feed.engine)
		sflow_feed_emit_status(&s->feed, now_us());
	src_free(s);
}

static const struct input_ops sock_ops = { sock_fd, sock_poll, sock_close, any_stats };

static void set_rcvbuf(int fd, uint64_t want)
{
	int v = want > (uint64_t)INT32_MAX / 2 ? INT32_MAX / 2 : (int)want;

	/* SO_RCVBUFFORCE passes net.core.rmem_max when we may (CAP_NET_ADMIN). */
#ifdef SO_RCVBUFFORCE
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) == 0)
		return;
#endif
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
}

/* "[ADDR]:PORT", "ADDR:PORT" (ADDR may be IPv6) or "PORT". */
static bool parse_listen(char *body, struct sockaddr_storage *ss, socklen_t *sl, struct ra_err *err)
{
	uint16_t port = SFLOW_PORT;
	bool had;
	char *addr = body;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	uint32_t v;

	memset(ss, 0, sizeof(*ss));
	if (strspn(body, "0123456789") == strlen(body) && *body) {
		if (!sflow_parse_u32(body, &v) || v == 0 || v > 65535)
			goto bad;
		port = (uint16_t)v;
		addr = NULL;
	} else {
		if (!take_port(body, &port, &had))
			goto bad;
		if (*addr == '[') {
			size_t n = strlen(addr);
			if (n < 2 || addr[n - 1] != ']')
				goto bad;
			addr[n - 1] = '\0';
			addr++;
		}
		if (!*addr)
			addr = NULL;
	}
	if (!addr) {
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_any;
		s6->sin6_port = htons(port);
		*sl = sizeof(*s6);
		return true;
	}
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*sl = sizeof(*s4);
		return true;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*sl = sizeof(*s6);
		return true;
	}
bad:
	ra_err_set(err, RA_ERR_USAGE, "sflow: '%s': want [ADDR:]PORT", body);
	return false;
}

static bool open_socket(struct sflow_src *s, char *body, uint64_t rcvbuf, struct ra_err *err)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int one = 1, zero = 0;
	bool any;

	if (!parse_listen(body, &ss, &sl, err))
		return false;
	any = ss.ss_family == AF_INET6 &&
	      memcmp(&((struct sockaddr_in6 *)&ss)->sin6_addr, &in6addr_any, sizeof(in6addr_any)) == 0;
	s->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 && any && errno == EAFNOSUPPORT) {	/* no IPv6: IPv4 only */
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		uint16_t port = ((struct sockaddr_in6 *)&ss)->sin6_port;
		memset(&ss, 0, sizeof(ss));
		s4->sin_family = AF_INET;
		s4->sin_port = port;
		s4->sin_addr.s_addr = htonl(INADDR_ANY);
		sl = sizeof(*s4);
		s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	if (s->fd < 0) {
		ra_err_set(err, RA_ERR_IO, "sflow: socket: %s", strerror(errno));
		return false;
	}
	if (ss.ss_family == AF_INET6 && any)
		(void)setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero));
	set_rcvbuf(s->fd, rcvbuf);
	(void)setsockopt(s->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&ss, sl) != 0) {
		ra_err_set(err, RA_ERR_IO, "sflow: bind %s: %s", body, strerror(errno));
		return false;
	}
	s->bufs = malloc((size_t)BATCH * DGRAM_MAX);
	if (!s->bufs) {
		ra_err_set(err, RA_ERR_NOMEM, "sflow: out of memory for receive buffers");
		return false;
	}
	for (unsigned i = 0; i < BATCH; i++) {
		s->iov[i].iov_base = s->bufs[i];
		s->iov[i].iov_len = DGRAM_MAX;
		memset(&s->msgs[i], 0, sizeof(s->msgs[i]));
		s->msgs[i].msg_hdr.msg_iov = &s->iov[i];
		s->msgs[i].msg_hdr.msg_iovlen = 1;
		s->msgs[i].msg_hdr.msg_control = s->ctl[i].buf;
		s->msgs[i].msg_hdr.msg_controllen = sizeof(s->ctl[i].buf);
	}
	return true;
}

/* ---- open ---- */

bool sflow_input_open(const char *spec, bool is_file, struct engine *e, struct input *out,
		      struct ra_err *err)
{
	struct sflow_options o = defaults;
	struct sflow_src *s;
	char body[1024];
	const char *rest = sflow_spec(spec) ? spec + 6 : spec;

	if (strlen(rest) >= sizeof(body) || !*rest) {
		ra_err_set(err, RA_ERR_USAGE, "sflow: '%s': want sflow:[ADDR:]PORT or sflow:FILE", spec);
		return false;
	}
	memcpy(body, rest, strlen(rest) + 1);
	if (!split_options(body, &o, err))
		return false;
	s = calloc(1, sizeof(*s));
	if (!s) {
		ra_err_set(err, RA_ERR_NOMEM, "sflow: out of memory");
		return false;
	}
	s->fd = -1;
	s->is_file = is_file;
	if (!sflow_feed_init(&s->feed, e, err)) {
		free(s);
		return false;
	}
	if (!apply_options(s, &o, err) ||
	    !(is_file ? open_file(s, body, err) : open_socket(s, body, o.rcvbuf, err))) {
		src_free(s);
		return false;
	}
	out->ops = is_file ? &file_ops : &sock_ops;
	out->self = s;
	snprintf(out->name, sizeof(out->name), "sflow:%s", body);
	return true;
}
