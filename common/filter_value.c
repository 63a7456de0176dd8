/*
 * filter_value.c - the values a filter names: numbers, comparison
 * operators, ports (numbers and /etc/services names), IP protocols
 * (numbers and /etc/protocols names) and ethertypes, resolved once at
 * compile time.
 */
#include "config.h"

#include "filter_int.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool flt_text(const char *expr, const struct flt_token *t, char *buf, size_t cap)
{
	if (t->len >= cap) {
		if (cap)
			buf[0] = 0;
		return false;
	}
	memcpy(buf, expr + t->pos, t->len);
	buf[t->len] = 0;
	return true;
}

bool flt_word_is(const char *expr, const struct flt_token *t, const char *word)
{
	size_t n = strlen(word);
	return t->type == TK_WORD && t->len == n && memcmp(expr + t->pos, word, n) == 0;
}

int flt_cmp_of(const char *expr, const struct flt_token *t)
{
	static const struct { const char *s; int cmp; } words[] = {
		{ "gt", CMP_GT }, { "gte", CMP_GE }, { "ge", CMP_GE }, { "lt", CMP_LT },
		{ "lte", CMP_LE }, { "le", CMP_LE }, { "eq", CMP_EQ }, { "ne", CMP_NE },
		{ ">", CMP_GT }, { ">=", CMP_GE }, { "<", CMP_LT }, { "<=", CMP_LE },
		{ "==", CMP_EQ }, { "=", CMP_EQ }, { "!=", CMP_NE },
	};
	if (t->type != TK_WORD && t->type != TK_CMP)
		return -1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i].s);
		if (t->len == n && memcmp(expr + t->pos, words[i].s, n) == 0)
			return words[i].cmp;
	}
	return -1;
}

bool flt_parse_uint(const char *s, uint64_t *v)
{
	char *end;
	int base = 10;

	if (s[0] < '0' || s[0] > '9')
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		if (!s[2])
			return false;
	}
	errno = 0;
	*v = strtoull(s, &end, base);
	return errno == 0 && *end == 0;
}

bool flt_parse_double(const char *s, double *v)
{
	char *end;

	if (!((s[0] >= '0' && s[0] <= '9') || (s[0] == '.' && s[1] >= '0' && s[1] <= '9')))
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return false;	/* no exponents, hex floats, inf or nan */
	errno = 0;
	*v = strtod(s, &end);
	return errno == 0 && *end == 0 && isfinite(*v);
}

void flt_range(int cmp, uint64_t v, uint64_t max, uint64_t *lo, uint64_t *hi, bool *negate)
{
	*negate = false;
	*lo = 1;
	*hi = 0;	/* empty unless set below */
	switch (cmp) {
	case CMP_NE:
		*negate = true;
		/* fall through */
	case CMP_EQ:
		*lo = *hi = v;
		break;
	case CMP_LT:
		if (v > 0) {
			*lo = 0;
			*hi = v - 1 < max ? v - 1 : max;
		}
		break;
	case CMP_LE:
		*lo = 0;
		*hi = v < max ? v : max;
		break;
	case CMP_GT:
		if (v < max) {
			*lo = v + 1;
			*hi = max;
		}
		break;
	case CMP_GE:
		if (v <= max) {
			*lo = v;
			*hi = max;
		}
		break;
	}
}

/* A non-negative integral double as an integer no larger than max
 * (2^64 and above do not convert: clamp first). */
static uint64_t clamp_u64(double v, uint64_t max)
{
	if (v >= 18446744073709551616.0 || v >= (double)max)
		return max;
	return (uint64_t)v < max ? (uint64_t)v : max;
}

void flt_range_real(int cmp, double t, double scale, uint64_t max,
		    uint64_t *lo, uint64_t *hi, bool *negate)
{
	double x = t * scale, m = (double)max;

	*negate = false;
	*lo = 1;
	*hi = 0;
	switch (cmp) {
	case CMP_NE:
		*negate = true;
		/* fall through */
	case CMP_EQ:
		if (x >= 0 && x <= m && floor(x) == x)
			*lo = *hi = clamp_u64(x, max);
		break;
	case CMP_GT:
		if (x < 0) {
			*lo = 0;
			*hi = max;
		} else if (floor(x) + 1 <= m) {
			*lo = clamp_u64(floor(x) + 1, max);
			*hi = max;
		}
		break;
	case CMP_GE:
		if (x <= 0) {
			*lo = 0;
			*hi = max;
		} else if (ceil(x) <= m) {
			*lo = clamp_u64(ceil(x), max);
			*hi = max;
		}
		break;
	case CMP_LT:
		if (x > 0) {
			*lo = 0;
			*hi = clamp_u64(ceil(x) - 1, max);
		}
		break;
	case CMP_LE:
		if (x >= 0) {
			*lo = 0;
			*hi = clamp_u64(floor(x), max);
		}
		break;
	}
}

bool flt_port_lookup(const char *s, int *tcp, int *udp)
{
	uint64_t v;
	struct servent *se;

	if (flt_parse_uint(s, &v)) {
		if (v > 65535)
			return false;
		*tcp = *udp = (int)v;
		return true;
	}
	*tcp = *udp = -1;
	if ((se = getservbyname(s, "tcp")) != NULL)
		*tcp = ntohs((uint16_t)se->s_port);
	if ((se = getservbyname(s, "udp")) != NULL)
		*udp = ntohs((uint16_t)se->s_port);
	return *tcp >= 0 || *udp >= 0;
}

int flt_proto_lookup(const char *s)
{
	static const struct { const char *name; int num; } known[] = {
		{ "icmp", 1 }, { "igmp", 2 }, { "ipip", 4 }, { "tcp", 6 }, { "udp", 17 },
		{ "ipv6", 41 }, { "rsvp", 46 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 },
		{ "icmp6", 58 }, { "ipv6-icmp", 58 }, { "ospf", 89 }, { "pim", 103 },
		{ "vrrp", 112 }, { "sctp", 132 }, { "udplite", 136 },
	};
	uint64_t v;
	struct protoent *pe;

	if (flt_parse_uint(s, &v))
		return v <= 255 ? (int)v : -1;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(s, known[i].name) == 0)
			return known[i].num;
	pe = getprotobyname(s);
	return pe && pe->p_proto >= 0 && pe->p_proto <= 255 ? pe->p_proto : -1;
}

long flt_etype_lookup(const char *s)
{
	static const struct { const char *name; long type; } known[] = {
		{ "ip", 0x0800 }, { "ipv4", 0x0800 }, { "arp", 0x0806 }, { "rarp", 0x8035 },
		{ "ip6", 0x86dd }, { "ipv6", 0x86dd }, { "vlan", 0x8100 }, { "mpls", 0x8847 },
		{ "pppoed", 0x8863 }, { "pppoes", 0x8864 }, { "lldp", 0x88cc }, { "ipx", 0x8137 },
		{ "atalk", 0x809b }, { "aarp", 0x80f3 }, { "loopback", 0x9000 }, { "llc", 0 },
	};
	uint64_t v;

	if (flt_parse_uint(s, &v))
		return v <= 0xffff ? (long)v : -1;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcasecmp(s, known[i].name) == 0)
			return known[i].type;
	return -1;
}
