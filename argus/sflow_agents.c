/*
 * sflow_agents.c - per-agent sequence accounting, allow-list and rate caps
 * for sFlow input (see sflow_agents.h).
 *
 * Two open-addressing tables with linear probing and no deletion: agents
 * keyed by (address, sub-agent), sample sources keyed by (agent slot,
 * source id).  Both are filled to at most three quarters so a probe ends
 * quickly; what does not fit is counted, never allocated.
 */
#include "config.h"

#include "sflow_agents.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define AGENTS_FILL (SFLOW_AGENTS_MAX / 4 * 3)
#define SOURCES_FILL (SFLOW_SOURCES_MAX / 4 * 3)

void sflow_agents_init(struct sflow_agents *t)
{
	memset(t, 0, sizeof(*t));
}

static bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* "ADDR" or "ADDR/LEN" into family, address, prefix length. */
static bool parse_prefix(const char *s, struct sflow_allow *a)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t len, max;
	struct in_addr a4;

	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(&a->addr, 0, sizeof(a->addr));
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		a->family = RA_AF_INET;
		a->addr.v4 = ntohl(a4.s_addr);
		max = 32;
	} else if (inet_pton(AF_INET6, buf, a->addr.v6) == 1) {
		a->family = RA_AF_INET6;
		max = 128;
	} else {
		return false;
	}
	len = max;
	if (slash && !parse_u32(slash + 1, max, &len))
		return false;
	a->prefix = (uint8_t)len;
	return true;
}

bool sflow_parse_u32(const char *s, uint32_t *out)
{
	return parse_u32(s, UINT32_MAX, out);
}

bool sflow_agents_set_cap(struct sflow_agents *t, const char *value, struct ra_err *err)
{
	if (!parse_u32(value, UINT32_MAX, &t->default_cap)) {
		ra_err_set(err, RA_ERR_USAGE, "sflow rate cap '%s': not a number", value);
		return false;
	}
	return true;
}

bool sflow_allow_parse(const char *spec, struct sflow_allow *a, struct ra_err *err)
{
	char buf[96];
	const char *at = strchr(spec, '@');
	size_t n = at ? (size_t)(at - spec) : strlen(spec);

	memset(a, 0, sizeof(*a));
	if (n >= sizeof(buf)) {
		ra_err_set(err, RA_ERR_USAGE, "sflow agent '%s': too long", spec);
		return false;
	}
	memcpy(buf, spec, n);
	buf[n] = '\0';
	if (!parse_prefix(buf, a)) {
		ra_err_set(err, RA_ERR_USAGE, "sflow agent '%s': not an address or address/len", buf);
		return false;
	}
	if (at && !parse_u32(at + 1, UINT32_MAX, &a->rate_cap)) {
		ra_err_set(err, RA_ERR_USAGE, "sflow agent '%s': rate cap '%s' is not a number",
			   buf, at + 1);
		return false;
	}
	return true;
}

bool sflow_agents_add_allow(struct sflow_agents *t, const struct sflow_allow *a, struct ra_err *err)
{
	if (t->nallow >= SFLOW_ALLOW_MAX) {
		ra_err_set(err, RA_ERR_USAGE, "sflow allow-list: more than %d entries", SFLOW_ALLOW_MAX);
		return false;
	}
	t->allow[t->nallow++] = *a;
	return true;
}

bool sflow_agents_allow(struct sflow_agents *t, const char *spec, struct ra_err *err)
{
	struct sflow_allow a;

	return sflow_allow_parse(spec, &a, err) && sflow_agents_add_allow(t, &a, err);
}

static bool prefix_match(const struct sflow_allow *a, unsigned family, const union ra_addr *x)
{
	unsigned bits = a->prefix, i;

	if (a->family != family)
		return false;
	if (family == RA_AF_INET) {
		uint32_t mask = bits ? ~0u << (32 - bits) : 0;
		return ((a->addr.v4 ^ x->v4) & mask) == 0;
	}
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a->addr.v6[i] != x->v6[i])
			return false;
	if (bits) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));
		if ((a->addr.v6[i] ^ x->v6[i]) & mask)
			return false;
	}
	return true;
}

/* The allow-list entry for an address: NULL if refused.  An empty list
 * allows everyone (with the default cap). */
static const struct sflow_allow *allowed(const struct sflow_agents *t, unsigned family,
					 const union ra_addr *x, bool *ok)
{
	*ok = t->nallow == 0;
	for (unsigned i = 0; i < t->nallow; i++)
		if (prefix_match(&t->allow[i], family, x)) {
			*ok = true;
			return &t->allow[i];
		}
	return NULL;
}

static uint32_t hash_agent(unsigned family, const union ra_addr *a, uint32_t subagent)
{
	uint32_t h = 2166136261u ^ family;
	const uint8_t *p = family == RA_AF_INET6 ? a->v6 : (const uint8_t *)&a->v4;
	size_t n = family == RA_AF_INET6 ? 16 : 4;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	h = (h ^ subagent) * 16777619u;
	return h ^ h >> 15;
}

static bool same_addr(unsigned family, const union ra_addr *a, const union ra_addr *b)
{
	return family == RA_AF_INET6 ? memcmp(a->v6, b->v6, 16) == 0 : a->v4 == b->v4;
}

uint32_t sflow_seq_gap(uint32_t prev, uint32_t cur, bool *reset)
{
	uint32_t delta = cur - prev;	/* modulo 2^32: wraps are not restarts */

	*reset = false;
	if (delta == 0 || delta >= 0x80000000u) {
		*reset = true;		/* repeated or backwards */
		return 0;
	}
	return delta - 1;
}

struct sflow_agent *sflow_agents_datagram(struct sflow_agents *t, const struct sflow_datagram *d,
					  uint64_t now_us)
{
	uint32_t slot = hash_agent(d->agent_family, &d->agent, d->subagent) % SFLOW_AGENTS_MAX;
	struct sflow_agent *a;

	for (;; slot = (slot + 1) % SFLOW_AGENTS_MAX) {
		a = &t->agents[slot];
		if (!a->family)
			break;
		if (a->family == d->agent_family && a->subagent == d->subagent &&
		    same_addr(a->family, &a->addr, &d->agent))
			goto found;
	}
	/* New agent: policy first, then room. */
	bool ok;
	const struct sflow_allow *rule = allowed(t, d->agent_family, &d->agent, &ok);
	if (!ok) {
		t->denied++;
		return NULL;
	}
	if (t->nagents >= AGENTS_FILL) {
		t->table_full++;
		return NULL;
	}
	t->nagents++;
	a->family = d->agent_family;
	a->addr = d->agent;
	a->subagent = d->subagent;
	a->rate_cap = rule && rule->rate_cap ? rule->rate_cap : t->default_cap;
found:
	a->datagrams++;
	a->last_seen_us = now_us;
	if (a->seq_seen) {
		bool reset;
		a->lost_datagrams += sflow_seq_gap(a->last_seq, d->seq, &reset);
		a->seq_resets += reset;
	}
	a->seq_seen = true;
	a->last_seq = d->seq;
	return a;
}

/* The source slot of (agent, id); NULL when the table is full. */
static struct sflow_source *source(struct sflow_agents *t, const struct sflow_agent *a,
				   uint32_t type, uint32_t index)
{
	uint32_t agent = (uint32_t)(a - t->agents) + 1;
	uint32_t id = type << 24 | (index & 0xffffff);
	uint32_t h = (agent * 0x9e3779b1u) ^ (id * 0x85ebca6bu);
	uint32_t slot = (h ^ h >> 16) % SFLOW_SOURCES_MAX;
	struct sflow_source *last = t->last_source;

	/* The samples of a datagram mostly come from one source. */
	if (last && last->agent == agent && last->id == id)
		return last;
	for (;; slot = (slot + 1) % SFLOW_SOURCES_MAX) {
		struct sflow_source *s = &t->sources[slot];
		if (s->agent == agent && s->id == id)
			return t->last_source = s;
		if (!s->agent) {
			if (t->nsources >= SOURCES_FILL) {
				t->sources_full++;
				return NULL;
			}
			t->nsources++;
			s->agent = agent;
			s->id = id;
			return t->last_source = s;
		}
	}
}

void sflow_agents_flow_sample(struct sflow_agents *t, struct sflow_agent *a,
			      const struct sflow_flow_sample *fs)
{
	struct sflow_source *s = source(t, a, fs->source_type, fs->source_index);

	a->flow_samples++;
	if (!s)
		return;
	if (s->flow_seen) {
		bool reset;
		a->lost_flow_samples += sflow_seq_gap(s->flow_seq, fs->seq, &reset);
		a->seq_resets += reset;
		a->drops -= s->drops;
		a->sample_pool -= s->pool;
	}
	s->flow_seen = true;
	s->flow_seq = fs->seq;
	s->drops = fs->drops;
	s->pool = fs->pool;
	a->drops += s->drops;
	a->sample_pool += s->pool;
}

void sflow_agents_counter_sample(struct sflow_agents *t, struct sflow_agent *a,
				 const struct sflow_counter_sample *cs)
{
	struct sflow_source *s = source(t, a, cs->source_type, cs->source_index);

	a->counter_samples++;
	if (!s)
		return;
	if (s->ctr_seen) {
		bool reset;
		a->lost_counter_samples += sflow_seq_gap(s->ctr_seq, cs->seq, &reset);
		a->seq_resets += reset;
	}
	s->ctr_seen = true;
	s->ctr_seq = cs->seq;
}

uint32_t sflow_agents_rate(const struct sflow_agent *a, uint32_t rate, unsigned *reason)
{
	*reason = SFR_COUNT;
	if (rate == 0) {
		*reason = SFR_RATE_ZERO;
		return 1;
	}
	if (rate > SFLOW_RATE_ABSURD && !(a->rate_cap && a->rate_cap <= SFLOW_RATE_ABSURD)) {
		*reason = SFR_RATE_ABSURD;
		return 0;
	}
	if (a->rate_cap && rate > a->rate_cap) {
		*reason = SFR_RATE_CAPPED;
		return a->rate_cap;
	}
	return rate;
}
