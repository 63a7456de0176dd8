/*
 * health_diag.c - the listening sockets through NETLINK_SOCK_DIAG
 * (health_diag.h): two dumps per family, TCP_LISTEN for the queues and
 * SYN_RECV (the kernel adds its NEW_SYN_RECV request sockets) for the
 * half-open connections, with no socket extensions asked for, and, when
 * only some ports are watched, a bytecode filter on the local port so the
 * kernel fills no message for the other sockets.
 */
#include "config.h"

#include "health_diag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { TCP_ST_SYN_RECV = 3, TCP_ST_LISTEN = 10, TCP_ST_NEW_SYN_RECV = 12 };
#define HD_BUF 65536

#define HD_BC_MAX_RANGES 64	/* watched port ranges a filter is built for */

struct hd_diag {
	int fd;
	uint32_t seq;
	bool per_family;	/* the kernel refused TCPDIAG_GETSOCK: v2 per family */
	/* the watched ports as an inet_diag filter, so the kernel fills no
	 * message for other sockets (it still walks its tables) */
	const uint8_t *bc_want;	/* the want it was built for */
	bool bc_tried, bc_refused;
	uint16_t bclen;
	uint8_t bc[HD_BC_MAX_RANGES * 20];
	uint16_t *touched;	/* ports whose synrecv count is not zero */
	size_t ntouched, touched_cap;
	size_t last_messages;	/* listeners the kernel sent in the last sample */
	uint8_t buf[HD_BUF];
};

struct hd_diag *hd_open(void)
{
	struct hd_diag *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (d->fd < 0) {
		int e = errno;
		free(d);
		errno = e;
		return NULL;
	}
	return d;
}

void hd_close(struct hd_diag *d)
{
	if (!d)
		return;
	close(d->fd);
	free(d->touched);
	free(d);
}

int hd_parse(const uint8_t *buf, size_t len, void (*fn)(void *arg, const struct inet_diag_msg *m), void *arg)
{
	size_t off = 0;

	while (len - off >= sizeof(struct nlmsghdr)) {
		struct nlmsghdr h;
		memcpy(&h, buf + off, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len - off) {
			errno = EPROTO;
			return -1;
		}
		if (h.nlmsg_type == NLMSG_DONE)
			return 1;
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e;
			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(e))) {
				errno = EPROTO;
				return -1;
			}
			memcpy(&e, buf + off + NLMSG_HDRLEN, sizeof(e));
			errno = e.error ? -e.error : EPROTO;
			return -1;
		}
		if ((h.nlmsg_type == SOCK_DIAG_BY_FAMILY || h.nlmsg_type == TCPDIAG_GETSOCK) &&
		    h.nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg))) {
			struct inet_diag_msg m;
			memcpy(&m, buf + off + NLMSG_HDRLEN, sizeof(m));
			fn(arg, &m);
		}
		off += NLMSG_ALIGN(h.nlmsg_len) < len - off ? NLMSG_ALIGN(h.nlmsg_len) : len - off;
	}
	if (off != len) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/*
 * The filter "local port in one of the ranges of want", as the kernel's
 * inet_diag bytecode: per range, S_GE lo and S_LE hi (an AND: a failed
 * test jumps past the range), ranges joined by JMP (an OR: a range that
 * holds jumps to the end, which accepts; failing the last one jumps past
 * the end, which rejects).  0 when want has no ranges or too many.
 */
static uint16_t port_filter(const uint8_t *want, uint8_t *bc)
{
	unsigned lo[HD_BC_MAX_RANGES], hi[HD_BC_MAX_RANGES], n = 0, len = 0;

	for (unsigned p = 0; p < 65536; p++) {
		if (!(want[p >> 3] >> (p & 7) & 1))
			continue;
		if (n && hi[n - 1] + 1 == p) {
			hi[n - 1] = p;
			continue;
		}
		if (n == HD_BC_MAX_RANGES)
			return 0;
		lo[n] = hi[n] = p;
		n++;
	}
	for (unsigned i = 0; i < n; i++) {
		bool last = i + 1 == n;
		/* offsets from each op: a range is S_GE lo, S_LE hi (16 bytes) and,
		 * but for the last, a JMP (20); a failed test goes to the next range,
		 * or past the end (rejected) from the last */
		struct inet_diag_bc_op op[5] = {
			{ INET_DIAG_BC_S_GE, 8, 20 },
			{ 0, 0, (uint16_t)lo[i] },
			{ INET_DIAG_BC_S_LE, 8, 12 },
			{ 0, 0, (uint16_t)hi[i] },
			{ INET_DIAG_BC_JMP, 4, (uint16_t)(20 * (n - i - 1)) },	/* to the end: accepted */
		};
		size_t sz = last ? 4 * sizeof(op[0]) : sizeof(op);
		memcpy(bc + len, op, sz);
		len += (unsigned)sz;
	}
	return (uint16_t)len;
}

/* One dump of family's TCP sockets in states; every message to fn.
 * Family 0: both families in one walk of the kernel's tables, through
 * the older TCPDIAG_GETSOCK request (the SYN_RECV dump walks the whole
 * established hash, so one walk rather than two halves its cost). */
static int dump_once(struct hd_diag *d, int family, uint32_t states, bool filter,
		     void (*fn)(void *arg, const struct inet_diag_msg *m), void *arg)
{
	struct {
		struct nlmsghdr h;
		union {
			struct inet_diag_req_v2 r;
			struct inet_diag_req old;
		} u;
		struct nlattr a;
		uint8_t bc[sizeof(d->bc)];
	} req;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = ++d->seq;
	if (family) {
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.u.r));
		req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		req.u.r.sdiag_family = (uint8_t)family;
		req.u.r.sdiag_protocol = IPPROTO_TCP;
		req.u.r.idiag_states = states;
	} else {
		req.h.nlmsg_len = NLMSG_LENGTH(sizeof(req.u.old));
		req.h.nlmsg_type = TCPDIAG_GETSOCK;
		req.u.old.idiag_states = states;
	}
	if (filter) {
		/* the attribute right after the request (both are 4-byte multiples) */
		uint8_t *at = (uint8_t *)&req + req.h.nlmsg_len;
		struct nlattr a = { (uint16_t)(NLA_HDRLEN + d->bclen), INET_DIAG_REQ_BYTECODE };
		memcpy(at, &a, sizeof(a));
		memcpy(at + NLA_HDRLEN, d->bc, d->bclen);
		req.h.nlmsg_len += NLA_HDRLEN + d->bclen;
	}
	if (sendto(d->fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&nl, sizeof(nl)) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(d->fd, d->buf, sizeof(d->buf), 0);
		int rc;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EPROTO;
			return -1;
		}
		rc = hd_parse(d->buf, (size_t)n, fn, arg);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
}

/* A dump, filtered by the watched ports when there is a filter; a kernel
 * that refuses the filter gets the dump unfiltered from then on. */
static int dump(struct hd_diag *d, int family, uint32_t states,
		void (*fn)(void *arg, const struct inet_diag_msg *m), void *arg)
{
	bool filter = d->bclen && !d->bc_refused;
	int rc = dump_once(d, family, states, filter, fn, arg);

	if (rc < 0 && filter && errno == EINVAL) {
		int again = dump_once(d, family, states, false, fn, arg);
		if (again == 0)
			d->bc_refused = true;
		else
			errno = EINVAL;
		return again == 0 ? 0 : -1;
	}
	return rc;
}

struct collect {
	const uint8_t *want;
	struct hd_listener *l;
	size_t n, cap;
	bool nomem;
	int family;
	struct hd_diag *d;
	uint32_t *synrecv;
	size_t seen;
};

static void one_listener(void *arg, const struct inet_diag_msg *m)
{
	struct collect *c = arg;
	uint16_t port = ntohs(m->id.idiag_sport);
	struct hd_listener *x;

	c->seen++;
	if (m->idiag_state != TCP_ST_LISTEN || (c->want && !(c->want[port >> 3] >> (port & 7) & 1)) ||
	    (m->idiag_family != AF_INET && m->idiag_family != AF_INET6))
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct hd_listener *p = realloc(c->l, cap * sizeof(*p));
		if (!p) {
			c->nomem = true;
			return;
		}
		c->l = p;
		c->cap = cap;
	}
	x = &c->l[c->n++];
	memset(x, 0, sizeof(*x));
	x->port = port;
	x->acceptq = m->idiag_rqueue;
	x->acceptmax = m->idiag_wqueue;
	if (m->idiag_family == AF_INET) {
		x->family = RA_AF_INET;
		x->addr.v4 = ntohl(m->id.idiag_src[0]);
	} else {
		x->family = RA_AF_INET6;
		memcpy(x->addr.v6, m->id.idiag_src, 16);
	}
}

static void one_synrecv(void *arg, const struct inet_diag_msg *m)
{
	struct collect *c = arg;
	uint16_t port = ntohs(m->id.idiag_sport);

	if (m->idiag_state != TCP_ST_SYN_RECV && m->idiag_state != TCP_ST_NEW_SYN_RECV)
		return;
	if (c->synrecv[port]++ == 0) {
		struct hd_diag *d = c->d;
		if (d->ntouched == d->touched_cap) {
			size_t cap = d->touched_cap ? 2 * d->touched_cap : 64;
			uint16_t *p = realloc(d->touched, cap * sizeof(*p));
			if (!p) {
				c->nomem = true;
				return;
			}
			d->touched = p;
			d->touched_cap = cap;
		}
		d->touched[d->ntouched++] = port;
	}
}

long hd_sample(struct hd_diag *d, const uint8_t *want, struct hd_listener **out, size_t *cap,
	       uint32_t *synrecv)
{
	static const int fams[2] = { AF_INET, AF_INET6 };
	struct collect c = { want, *out, 0, *cap, false, 0, d, synrecv, 0 };
	int rc = 0;

	for (size_t i = 0; synrecv && i < d->ntouched; i++)
		synrecv[d->touched[i]] = 0;
	d->ntouched = 0;
	if (want != d->bc_want || !d->bc_tried) {
		d->bclen = want ? port_filter(want, d->bc) : 0;
		d->bc_want = want;
		d->bc_tried = true;
	}
	if (!d->per_family) {
		rc = dump(d, 0, 1u << TCP_ST_LISTEN, one_listener, &c);
		if (rc == 0 && synrecv)
			rc = dump(d, 0, 1u << TCP_ST_SYN_RECV | 1u << TCP_ST_NEW_SYN_RECV, one_synrecv, &c);
		if (rc == 0 || (errno != EINVAL && errno != ENOENT && errno != EOPNOTSUPP))
			goto done;
		/* a kernel without the older request: a dump per family */
		d->per_family = true;
		for (size_t i = 0; synrecv && i < d->ntouched; i++)
			synrecv[d->touched[i]] = 0;
		d->ntouched = 0;
		c.n = 0;
		c.seen = 0;
		c.nomem = false;
		rc = 0;
	}
	for (unsigned i = 0; i < 2 && rc == 0; i++) {
		c.family = fams[i];
		rc = dump(d, fams[i], 1u << TCP_ST_LISTEN, one_listener, &c);
		if (rc == 0 && synrecv)
			rc = dump(d, fams[i], 1u << TCP_ST_SYN_RECV | 1u << TCP_ST_NEW_SYN_RECV, one_synrecv, &c);
	}
done:
	d->last_messages = c.seen;
	*out = c.l;
	*cap = c.cap;
	if (rc == 0 && c.nomem) {
		errno = ENOMEM;
		rc = -1;
	}
	return rc < 0 ? -1 : (long)c.n;
}

size_t hd_messages(const struct hd_diag *d) { return d->last_messages; }
bool hd_filtered(const struct hd_diag *d) { return d->bclen && !d->bc_refused; }
