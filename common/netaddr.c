/*
 * netaddr.c - host:port specs, CIDR allow-lists and peer addresses as
 * text, for the stream server (serve.c) and the stream client (netin.c).
 */
#include "config.h"

#include "netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

static bool good_port(const char *p)
{
	char *end;
	long v;

	if (!*p)
		return false;
	v = strtol(p, &end, 10);
	if (*end == '\0')
		return v > 0 && v < 65536;
	/* a service name: letters, digits, '-' */
	for (const char *q = p; *q; q++)
		if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '-'))
			return false;
	return true;
}

bool net_split(const char *spec, const char *defport, char *host, size_t hcap, char *port,
	       size_t pcap, struct ra_err *err)
{
	const char *h = spec, *p = NULL;
	size_t hlen;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (!close || close == spec + 1 || (close[1] && close[1] != ':')) {
			ra_err_set(err, RA_ERR_USAGE, "%s: expected [address] or [address]:port", spec);
			return false;
		}
		h = spec + 1;
		hlen = (size_t)(close - h);
		if (close[1] == ':')
			p = close + 2;
	} else {
		const char *colon = strchr(spec, ':');
		if (colon && strchr(colon + 1, ':')) {
			hlen = strlen(spec);	/* a bare IPv6 address */
		} else {
			hlen = colon ? (size_t)(colon - spec) : strlen(spec);
			if (colon)
				p = colon + 1;
		}
	}
	if (hlen == 0) {
		ra_err_set(err, RA_ERR_USAGE, "%s: no host name", spec);
		return false;
	}
	if (!copy(host, hcap, h, hlen)) {
		ra_err_set(err, RA_ERR_USAGE, "%.60s...: host name too long", spec);
		return false;
	}
	if (!p)
		p = defport;
	if (!good_port(p) || !copy(port, pcap, p, strlen(p))) {
		ra_err_set(err, RA_ERR_USAGE, "%s: bad port '%s'", spec, p);
		return false;
	}
	return true;
}

static bool parse_block(struct net_block *b, const char *w, struct ra_err *err)
{
	char addr[64];
	const char *slash = strchr(w, '/');
	size_t n = slash ? (size_t)(slash - w) : strlen(w);
	long bits;

	memset(b, 0, sizeof(*b));
	if (!copy(addr, sizeof(addr), w, n))
		goto bad;
	if (inet_pton(AF_INET, addr, b->addr) == 1) {
		b->v6 = 0;
		bits = 32;
	} else if (inet_pton(AF_INET6, addr, b->addr) == 1) {
		b->v6 = 1;
		bits = 128;
	} else {
		goto bad;
	}
	if (slash) {
		char *end;
		long v = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || v < 0 || v > bits)
			goto bad;
		bits = v;
	}
	b->bits = (unsigned char)bits;
	return true;
bad:
	ra_err_set(err, RA_ERR_USAGE, "'%s' is not an IPv4 or IPv6 network (address[/bits])", w);
	return false;
}

bool net_allow_parse(struct net_allow *a, const char *list, struct ra_err *err)
{
	const char *p = list;

	a->n = 0;
	while (*p) {
		char w[80];
		size_t n;
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		n = strcspn(p, ", \t");
		if (!copy(w, sizeof(w), p, n)) {
			ra_err_set(err, RA_ERR_USAGE, "'%.40s...' is not a network", p);
			return false;
		}
		if (a->n >= NET_ALLOW_MAX) {
			ra_err_set(err, RA_ERR_USAGE, "more than %d networks in the allow-list", NET_ALLOW_MAX);
			return false;
		}
		if (!parse_block(&a->b[a->n], w, err))
			return false;
		a->n++;
		p += n;
	}
	return true;
}

static bool prefix_eq(const unsigned char *x, const unsigned char *y, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(x, y, whole) != 0)
		return false;
	if (rest) {
		unsigned char m = (unsigned char)(0xff << (8 - rest));
		return (x[whole] & m) == (y[whole] & m);
	}
	return true;
}

bool net_allow_match(const struct net_allow *a, const struct sockaddr *sa)
{
	unsigned char v4[4], v6[16];
	bool has4 = false, has6 = false;

	if (a->n == 0)
		return true;
	if (sa->sa_family == AF_INET) {
		memcpy(v4, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		has4 = true;
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *in6 = &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		memcpy(v6, in6, 16);
		has6 = true;
		if (IN6_IS_ADDR_V4MAPPED(in6)) {
			memcpy(v4, v6 + 12, 4);
			has4 = true;
		}
	}
	for (unsigned i = 0; i < a->n; i++) {
		const struct net_block *b = &a->b[i];
		if (!b->v6 && has4 && prefix_eq(b->addr, v4, b->bits))
			return true;
		if (b->v6 && has6 && prefix_eq(b->addr, v6, b->bits))
			return true;
	}
	return false;
}

const char *net_addr_string(const struct sockaddr *sa, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &s->sin_addr, a, sizeof(a));
		snprintf(buf, cap, "%s:%u", a, ntohs(s->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &s->sin6_addr, a, sizeof(a));
		snprintf(buf, cap, "[%s]:%u", a, ntohs(s->sin6_port));
	} else {
		snprintf(buf, cap, "(address family %d)", sa->sa_family);
	}
	return buf;
}
