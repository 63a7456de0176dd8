/* test_netaddr.c - host:port specs and allow-lists of the stream server and client. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "netaddr.h"
#include "../tests/unit/tap.h"

static bool split_is(const char *spec, const char *host, const char *port)
{
	char h[256], p[32];
	struct ra_err err;

	ra_err_clear(&err);
	return net_split(spec, "561", h, sizeof(h), p, sizeof(p), &err) && !strcmp(h, host) && !strcmp(p, port);
}

static bool split_fails(const char *spec)
{
	char h[256], p[32];
	struct ra_err err;

	ra_err_clear(&err);
	return !net_split(spec, "561", h, sizeof(h), p, sizeof(p), &err) && err.code == RA_ERR_USAGE;
}

static bool allowed(const char *list, const char *addr)
{
	struct net_allow a;
	struct ra_err err;
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	ra_err_clear(&err);
	if (!net_allow_parse(&a, list, &err))
		return false;
	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, addr, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		return net_allow_match(&a, (struct sockaddr *)&s4);
	}
	inet_pton(AF_INET6, addr, &s6.sin6_addr);
	s6.sin6_family = AF_INET6;
	return net_allow_match(&a, (struct sockaddr *)&s6);
}

int main(void)
{
	struct net_allow a;
	struct ra_err err;
	struct sockaddr_in6 s6;
	char buf[80];

	tap_plan(20);
	ok(split_is("probe", "probe", "561"), "a host alone takes port 561");
	ok(split_is("probe:562", "probe", "562"), "host:port");
	ok(split_is("[::1]:4300", "::1", "4300"), "[v6]:port");
	ok(split_is("[::1]", "::1", "561"), "[v6] alone");
	ok(split_is("2001:db8::1", "2001:db8::1", "561"), "a bare IPv6 address is a host");
	ok(split_is("probe:argus", "probe", "argus"), "a service name as the port");
	ok(split_fails(":561"), "no host is refused");
	ok(split_fails("probe:70000"), "a port past 65535 is refused");
	ok(split_fails("[::1"), "an unclosed bracket is refused");
	ok(split_fails("probe:a/b"), "a port that is no number or name is refused");
	ok(allowed("", "192.0.2.1"), "an empty list allows everyone");
	ok(allowed("10.0.0.0/8, 192.0.2.7", "10.200.3.4"), "inside a /8");
	ok(!allowed("10.0.0.0/8, 192.0.2.7", "11.0.0.1"), "outside it");
	ok(allowed("10.0.0.0/8 192.0.2.7", "192.0.2.7"), "a single address, spaces between");
	ok(allowed("2001:db8::/32", "2001:db8:ffff::1"), "an IPv6 block");
	ok(allowed("127.0.0.0/8", "::ffff:127.0.0.1"), "an IPv4-mapped peer matches IPv4 blocks");
	ok(allowed("10.0.0.0/9", "10.127.255.255") && !allowed("10.0.0.0/9", "10.128.0.0"), "a prefix in mid-byte");
	ra_err_clear(&err);
	ok(!net_allow_parse(&a, "10.0.0.300/8", &err) && strstr(err.msg, "10.0.0.300/8"), "a bad address is named");
	ok(!net_allow_parse(&a, "10.0.0.0/33", &err), "a prefix longer than the address is refused");
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(561);
	inet_pton(AF_INET6, "::1", &s6.sin6_addr);
	ok(!strcmp(net_addr_string((struct sockaddr *)&s6, buf, sizeof(buf)), "[::1]:561"), "an IPv6 peer in brackets");
	return tap_done();
}
