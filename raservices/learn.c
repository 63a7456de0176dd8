/*
 * learn.c - raservices -M learn: signatures grown from captured flows, as
 * Argus grows std.sig.  Flows are grouped by protocol, service port (the
 * destination's) and the first two bytes of each direction's payload; a
 * group's signature keeps the leading bytes every flow of it shares
 * (the rest are wildcards) and counts its flows.
 */
#include "config.h"

#include "learn.h"

#include <stdlib.h>
#include <string.h>

#define LEARN_MAX (1u << 20)	/* groups kept at most; later new groups are counted as dropped */

struct group {
	uint64_t key;		/* proto, port, two source bytes, two destination bytes; 0 empty */
	struct svc_sig sig;
	uint8_t sseen[SVC_SIGLEN], dseen[SVC_SIGLEN];	/* first flow's bytes */
	uint8_t sagree, dagree;	/* leading bytes all flows share */
};

struct learner {
	struct group *g;
	size_t cap, used;
	uint64_t dropped;
};

struct learner *learn_new(void)
{
	struct learner *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->cap = 1024;
	l->g = calloc(l->cap, sizeof(*l->g));
	if (!l->g) {
		free(l);
		return NULL;
	}
	return l;
}

void learn_free(struct learner *l)
{
	if (!l)
		return;
	free(l->g);
	free(l);
}

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static struct group *slot(struct group *g, size_t cap, uint64_t key)
{
	size_t i = (size_t)mix(key) & (cap - 1);

	while (g[i].key && g[i].key != key)
		i = (i + 1) & (cap - 1);
	return &g[i];
}

static bool grow(struct learner *l)
{
	size_t cap = l->cap * 2;
	struct group *n = calloc(cap, sizeof(*n));

	if (!n)
		return false;
	for (size_t i = 0; i < l->cap; i++)
		if (l->g[i].key)
			*slot(n, cap, l->g[i].key) = l->g[i];
	free(l->g);
	l->g = n;
	l->cap = cap;
	return true;
}

/* How many leading bytes of p (n captured) agree with seen[0..have). */
static uint8_t agree(const uint8_t *seen, uint8_t have, const uint8_t *p, size_t n)
{
	uint8_t k = 0;

	while (k < have && k < n && p[k] == seen[k])
		k++;
	return k;
}

bool learn_flow(struct learner *l, const struct ra_flow *f)
{
	uint64_t key;
	struct group *g;
	size_t sn = f->spaylen < SVC_SIGLEN ? f->spaylen : SVC_SIGLEN;
	size_t dn = f->dpaylen < SVC_SIGLEN ? f->dpaylen : SVC_SIGLEN;

	if ((f->proto != 6 && f->proto != 17) || (!sn && !dn))
		return true;
	key = (uint64_t)f->proto << 48 | (uint64_t)f->dport << 32 |
	      (uint64_t)(sn > 0 ? f->spayload[0] : 0) << 24 | (uint64_t)(sn > 1 ? f->spayload[1] : 0) << 16 |
	      (uint64_t)(dn > 0 ? f->dpayload[0] : 0) << 8 | (uint64_t)(dn > 1 ? f->dpayload[1] : 0);
	key |= 1ull << 63;	/* never 0 */
	g = slot(l->g, l->cap, key);
	if (!g->key) {
		if (l->used >= LEARN_MAX) {
			l->dropped++;
			return true;
		}
		if (2 * (l->used + 1) > l->cap) {
			if (!grow(l))
				return false;
			g = slot(l->g, l->cap, key);
		}
		l->used++;
		g->key = key;
		g->sig.proto = f->proto;
		g->sig.port = f->dport;
		if (sn)
			memcpy(g->sseen, f->spayload, sn);
		if (dn)
			memcpy(g->dseen, f->dpayload, dn);
		g->sagree = (uint8_t)sn;
		g->dagree = (uint8_t)dn;
	} else {
		g->sagree = agree(g->sseen, g->sagree, f->spayload, sn);
		g->dagree = agree(g->dseen, g->dagree, f->dpayload, dn);
	}
	g->sig.count++;
	return true;
}

static void pattern(const uint8_t *seen, uint8_t n, uint8_t *val, uint8_t *mask, uint8_t *len, uint8_t *fixed)
{
	memset(val, 0, SVC_SIGLEN);
	memset(mask, 0, SVC_SIGLEN);
	for (uint8_t i = 0; i < n; i++) {
		val[i] = seen[i];
		mask[i] = 0xff;
	}
	*len = *fixed = n;
}

static int by_count(const void *a, const void *b)
{
	const struct svc_sig *x = a, *y = b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->count > y->count ? -1 : x->count < y->count;
}

size_t learn_result(struct learner *l, const struct svc_table *names, uint32_t min_count, struct svc_sig **out,
		    uint64_t *dropped)
{
	struct svc_sig *v = malloc((l->used ? l->used : 1) * sizeof(*v));
	size_t n = 0;

	*dropped = l->dropped;
	*out = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < l->cap; i++) {
		struct group *g = &l->g[i];
		struct svc_sig *s;
		struct ra_flow f;
		if (!g->key || g->sig.count < min_count || g->sagree + g->dagree < 2)
			continue;
		s = &v[n];
		*s = g->sig;
		pattern(g->sseen, g->sagree, s->sval, s->smask, &s->slen, &s->sfixed);
		pattern(g->dseen, g->dagree, s->dval, s->dmask, &s->dlen, &s->dfixed);
		/* the name: what the known signatures call such a flow, else the port's */
		ra_flow_init(&f);
		f.family = RA_AF_INET;
		f.proto = s->proto;
		f.dport = s->port;
		f.spayload = g->sseen;
		f.spaylen = g->sagree;
		f.dpayload = g->dseen;
		f.dpaylen = g->dagree;
		if (svc_name(names, &f, s->name) == 0)
			snprintf(s->name, sizeof(s->name), "port-%u", s->port);
		n++;
	}
	qsort(v, n, sizeof(*v), by_count);
	return n;
}
