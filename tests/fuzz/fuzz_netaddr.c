/*
 * fuzz_netaddr.c - libFuzzer harness for the stream's address parsers:
 * the first line of the input as a -S spec (net_split), the rest as an
 * allow-list (net_allow_parse), matched against a few peers.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netaddr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *nl, host[256], port[32];
	struct ra_err err;
	struct net_allow a;
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;

	if (size > 8192)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	nl = strchr(s, '\n');
	if (nl)
		*nl = '\0';
	ra_err_clear(&err);
	if (net_split(s, "561", host, sizeof(host), port, sizeof(port), &err) && (!host[0] || !port[0]))
		abort();	/* a split that succeeds names both */
	ra_err_clear(&err);
	if (nl && net_allow_parse(&a, nl + 1, &err)) {
		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		inet_pton(AF_INET, "10.1.2.3", &s4.sin_addr);
		net_allow_match(&a, (struct sockaddr *)&s4);
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		inet_pton(AF_INET6, "::ffff:10.1.2.3", &s6.sin6_addr);
		net_allow_match(&a, (struct sockaddr *)&s6);
		if (a.n > NET_ALLOW_MAX)
			abort();
	}
	free(s);
	return 0;
}
