/*
 * filter_dump.c - flt_dump(): the compiled program as text, one node a
 * line, for ra -b:
 *
 *   (000) proto == 6 && family in {inet,inet6}       jt 001     jf reject
 *   (001) dport in 80..80 (tcp/udp/sctp)             jt 002     jf reject
 *   (002) saddr & 255.0.0.0 == 10.0.0.0               jt accept  jf reject
 */
#include "config.h"

#include "filter.h"
#include "filter_int.h"
#include "field.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->len < o->cap ? o->buf + o->len : NULL, o->len < o->cap ? o->cap - o->len : 0,
		      fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void families(struct out *o, uint32_t bits)
{
	static const char *const names[] = { "none", "inet", "inet6", "arp", "ether", "5", "6", "man" };
	const char *sep = "{";

	for (unsigned i = 0; i < 8; i++)
		if (bits >> i & 1u) {
			put(o, "%s%s", sep, names[i]);
			sep = ",";
		}
	put(o, "}");
}

static uint64_t op_max(const struct flt_leaf *l)
{
	switch (l->op) {
	case OP_RANGE8: return UINT8_MAX;
	case OP_RANGE16: case OP_PORT: return UINT16_MAX;
	case OP_RANGE32: return UINT32_MAX;
	default: return UINT64_MAX;
	}
}

static void range(struct out *o, const char *what, const struct flt_leaf *l)
{
	if (l->lo > l->hi)
		put(o, "%s in (nothing)", what);
	else if (l->lo == l->hi && strcmp(what, "state") == 0)
		put(o, "state == %s", ra_state_name((unsigned)l->lo));
	else if (l->lo == l->hi)
		put(o, "%s == %llu", what, (unsigned long long)l->lo);
	else if (l->hi >= op_max(l))
		put(o, "%s >= %llu", what, (unsigned long long)l->lo);
	else if (l->lo == 0)
		put(o, "%s <= %llu", what, (unsigned long long)l->hi);
	else
		put(o, "%s in %llu..%llu", what, (unsigned long long)l->lo, (unsigned long long)l->hi);
}

static void describe(struct out *o, const struct flt_leaf *l)
{
	char both[40];

	if (l->pair) {	/* "sport|dport == 22": either; "sttl&dttl >= 65": both */
		struct flt_leaf one = *l;
		snprintf(both, sizeof(both), "%s%c%s", l->what, l->pair == 1 ? '|' : '&', l->whatb);
		one.pair = 0;
		one.what = both;
		describe(o, &one);
		return;
	}
	static const char *const cmps[] = { "==", "!=", "<", "<=", ">", ">=" };
	char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN];
	struct in_addr ia;
	uint8_t b6[16];

	switch (l->op) {
	case OP_RANGE8: case OP_RANGE16: case OP_RANGE32: case OP_RANGE64: case OP_FIELD:
		range(o, l->what, l);
		break;
	case OP_SUM32: case OP_SUM64:
		range(o, l->what, l);
		put(o, " (src + dst)");
		break;
	case OP_DUR:
		range(o, "dur(us)", l);
		break;
	case OP_ANY8: case OP_ANY32:
		put(o, "%s & 0x%x != 0", l->what, l->bits);
		break;
	case OP_ALL8:
		put(o, "%s & 0x%x == 0x%x", l->what, l->bits, l->bits);
		break;
	case OP_FAMILY:
		put(o, "family in ");
		families(o, l->bits);
		break;
	case OP_IPPROTO:
		put(o, "proto == %llu && family in ", (unsigned long long)l->lo);
		families(o, l->bits);
		break;
	case OP_PORT:
		range(o, l->what, l);
		if (l->cmp)
			put(o, " is false");
		if (l->bits)
			put(o, " (proto %u)", l->bits);
		else
			put(o, " (tcp/udp/sctp)");
		break;
	case OP_NET4:
		ia.s_addr = htonl(l->u.v4.net);
		inet_ntop(AF_INET, &ia, a, sizeof(a));
		ia.s_addr = htonl(l->u.v4.mask);
		inet_ntop(AF_INET, &ia, m, sizeof(m));
		put(o, "%s & %s == %s", l->what, m, a);
		break;
	case OP_NET6:
		memcpy(b6, l->u.v6.net, 16);
		inet_ntop(AF_INET6, b6, a, sizeof(a));
		memcpy(b6, l->u.v6.mask, 16);
		inet_ntop(AF_INET6, b6, m, sizeof(m));
		put(o, "%s & %s == %s", l->what, m, a);
		break;
	case OP_MAC:
		put(o, "%s == %02x:%02x:%02x:%02x:%02x:%02x", l->what, l->u.mac[0], l->u.mac[1],
		    l->u.mac[2], l->u.mac[3], l->u.mac[4], l->u.mac[5]);
		break;
	case OP_MACBIT:
		put(o, "%s[0] & 0x%x != 0", l->what, l->bits);
		break;
	case OP_ICMP:
		put(o, "icmp %s (type", l->what);
		for (unsigned i = 0; i < l->u.icmp.n4; i++)
			put(o, " %u", l->u.icmp.t4[i]);
		put(o, ", icmp6 type");
		for (unsigned i = 0; i < l->u.icmp.n6; i++)
			put(o, " %u", l->u.icmp.t6[i]);
		put(o, ", or state");
		for (unsigned i = 0; i < l->u.icmp.nst; i++)
			put(o, " %s", ra_state_name(l->u.icmp.st[i]));
		put(o, ")");
		break;
	case OP_ETYPE:
		put(o, "etype == 0x%04llx && family == ether", (unsigned long long)l->lo);
		break;
	case OP_FIELDD:
		put(o, "%s %s %g", l->what, cmps[l->cmp < 6 ? l->cmp : 0], l->d);
		break;
	default:
		put(o, "op %u", l->op);
		break;
	}
}

static void target(struct out *o, const char *name, uint32_t to, uint32_t n)
{
	if (to == n)
		put(o, " %s accept", name);
	else if (to == n + 1)
		put(o, " %s reject", name);
	else
		put(o, " %s %03u   ", name, to);
}

size_t flt_dump(const struct ra_filter *flt, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };

	if (cap)
		buf[0] = 0;
	put(&o, "; %s\n", flt->n ? flt->expr : "(empty filter: every record passes)");
	if (!flt->n)
		put(&o, "(000) accept\n");
	for (uint32_t i = 0; i < flt->n; i++) {
		size_t start;
		put(&o, "(%03u) ", i);
		start = o.len;
		describe(&o, &flt->nodes[i].leaf);
		while (o.len < start + 44)
			put(&o, " ");
		target(&o, "jt", flt->nodes[i].jt, flt->n);
		target(&o, "jf", flt->nodes[i].jf, flt->n);
		put(&o, "\n");
	}
	if (flt->table)
		put(&o, "; %u tests: all run, the outcome read from a %u-entry truth table\n", flt->n,
		    1u << flt->n);
	return o.len;
}
