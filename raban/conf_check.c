/*
 * conf_check.c - what the grammar cannot see: names resolved (prefix lists,
 * interfaces, agents, actions), duplicate names, triggers without networks
 * or thresholds, health triggers, listen addresses, ra filter expressions, and scripts that
 * are not absolute paths to executable files.  Every problem is reported.
 * Also the prefix helpers and conf_free().
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "filter.h"

struct checker {
	const struct conf *c;
	conf_report report;
	void *ctx;
	unsigned errors;
};

static void err_at(struct checker *k, struct conf_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void err_at(struct checker *k, struct conf_pos pos, const char *fmt, ...)
{
	char msg[600], line[900];
	va_list ap;

	if (k->errors++ >= CONF_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "%s:%u:%u: %s", k->c->path, pos.line, pos.col, msg);
	k->report(k->ctx, line);
}

bool conf_prefix_parse(const char *s, struct conf_prefix *p)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len;
	char *end;
	unsigned max;

	memset(p, 0, sizeof(*p));
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	struct in_addr a4;
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		p->family = RA_AF_INET;
		p->addr.v4 = ntohl(a4.s_addr);
		max = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr.v6) == 1) {
		p->family = RA_AF_INET6;
		max = 128;
	} else {
		return false;
	}
	len = max;
	if (slash) {
		if (!(slash[1] >= '0' && slash[1] <= '9'))
			return false;
		len = strtoul(slash + 1, &end, 10);
		if (*end || len > max)
			return false;
	}
	p->len = (uint8_t)len;
	if (p->family == RA_AF_INET) {
		p->addr.v4 &= len ? ~0u << (32 - len) : 0;
		return true;
	}
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = i * 8;
		if (bits >= len)
			p->addr.v6[i] = 0;
		else if (len - bits < 8)
			p->addr.v6[i] &= (uint8_t)(0xff << (8 - (len - bits)));
	}
	return true;
}

bool conf_prefix_match(const struct conf_prefix *p, uint8_t family, const union ra_addr *a)
{
	unsigned full = p->len / 8, rest = p->len % 8;

	if (p->family != family)
		return false;
	if (family == RA_AF_INET)
		return p->len == 0 || ((a->v4 ^ p->addr.v4) & (~0u << (32 - p->len))) == 0;
	if (memcmp(p->addr.v6, a->v6, full) != 0)
		return false;
	return rest == 0 || ((a->v6[full] ^ p->addr.v6[full]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

const char *conf_prefix_text(const struct conf_prefix *p, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	snprintf(buf, cap, "%s/%u", conf_addr_text(p->family, &p->addr, a, sizeof(a)), p->len);
	return buf;
}

const char *conf_addr_text(uint8_t family, const union ra_addr *a, char *buf, size_t cap)
{
	char s[INET6_ADDRSTRLEN] = "?";
	if (family == RA_AF_INET) {
		struct in_addr a4;
		a4.s_addr = htonl(a->v4);
		inet_ntop(AF_INET, &a4, s, sizeof(s));
	} else {
		inet_ntop(AF_INET6, a->v6, s, sizeof(s));
	}
	snprintf(buf, cap, "%s", s);
	return buf;
}

#define FIND(k, arr, n, nm, out) do { \
	(out) = -1; \
	for (unsigned i_ = 0; i_ < (n); i_++) \
		if ((arr)[i_].name && (nm) && strcmp((arr)[i_].name, (nm)) == 0) { (out) = (int)i_; break; } \
} while (0)

static void dups(struct checker *k, const char *what, const void *arr, unsigned n, size_t size,
		 size_t name_off, size_t pos_off)
{
	const char *base = arr;
	for (unsigned i = 1; i < n; i++) {
		const char *ni = *(char *const *)(base + i * size + name_off);
		for (unsigned j = 0; j < i && ni; j++) {
			const char *nj = *(char *const *)(base + j * size + name_off);
			if (nj && strcmp(ni, nj) == 0) {
				const struct conf_pos *pi = (const void *)(base + i * size + pos_off);
				const struct conf_pos *pj = (const void *)(base + j * size + pos_off);
				err_at(k, *pi, "duplicate %s '%s' (first defined at line %u)", what, ni, pj->line);
				break;
			}
		}
	}
}
/* Names go into the status CSV and the state file: no blanks, commas or controls. */
static void plain_names(struct checker *k, const char *what, const void *arr, unsigned n, size_t size,
			size_t name_off, size_t pos_off)
{
	const char *base = arr;
	for (unsigned i = 0; i < n; i++) {
		const char *nm = *(char *const *)(base + i * size + name_off);
		const struct conf_pos *p = (const void *)(base + i * size + pos_off);
		if (!nm)
			continue;
		if (!nm[0])
			err_at(k, *p, "empty %s name", what);
		for (const char *c = nm; *c; c++)
			if ((unsigned char)*c <= ' ' || *c == ',' || *c == 0x7f) {
				err_at(k, *p, "%s name '%s': no blanks, commas or control characters", what, nm);
				break;
			}
	}
}
#define DUPS(k, what, arr, n, type) do { \
	dups((k), (what), (arr), (n), sizeof(type), offsetof(type, name), offsetof(type, pos)); \
	plain_names((k), (what), (arr), (n), sizeof(type), offsetof(type, name), offsetof(type, pos)); \
} while (0)

static void check_filter(struct checker *k, struct conf_filter *f)
{
	int ix;
	switch (f->kind) {
	case FK_AND: case FK_OR: case FK_NOT:
		for (unsigned i = 0; i < f->nkids; i++)
			check_filter(k, &f->kids[i]);
		break;
	case FK_SRC: case FK_DST:
		FIND(k, k->c->plists, k->c->nplists, f->ref.name, ix);
		if (ix < 0)
			err_at(k, f->ref.pos, "unknown prefix list '%s'", f->ref.name);
		else
			f->ref.idx = (unsigned)ix;
		break;
	case FK_IN_IF: case FK_OUT_IF:
		FIND(k, k->c->ifaces, k->c->nifaces, f->ref.name, ix);
		if (ix < 0)
			err_at(k, f->ref.pos, "unknown interface '%s'", f->ref.name);
		else
			f->ref.idx = (unsigned)ix;
		break;
	default:
		break;
	}
}

static void check_script(struct checker *k, const struct conf_script *s)
{
	struct stat st;

	if (s->path[0] != '/') {
		err_at(k, s->pos, "script '%s' is not an absolute path", s->path);
		return;
	}
	if (stat(s->path, &st) != 0) {
		err_at(k, s->pos, "script '%s': %s", s->path, strerror(errno));
		return;
	}
	if (!S_ISREG(st.st_mode))
		err_at(k, s->pos, "script '%s' is not a regular file", s->path);
	else if (access(s->path, X_OK) != 0)
		err_at(k, s->pos, "script '%s' is not executable", s->path);
}

/* A health trigger: conditions, no thresholds or levels of its own. */
static void check_health(struct checker *k, struct conf_trigger *t)
{
	const struct conf_health *h = &t->health;
	bool any = false;

	for (unsigned m = 0; m < H_COUNT; m++) {
		any |= h->thr[m] != 0;
		if (h->clear[m] && h->thr[m] && h->clear[m] > h->thr[m])
			err_at(k, h->clear_pos, "clear: %s %llu is above the condition's %llu", hmetric_names[m],
			       (unsigned long long)h->clear[m], (unsigned long long)h->thr[m]);
	}
	if (!any)
		err_at(k, h->pos, "health of trigger '%s' has no condition", t->name);
	for (unsigned m = 0; m < M_COUNT; m++)
		if (t->levels[0].thr[m]) {
			err_at(k, t->pos, "trigger '%s': a health trigger takes no thresholds (its conditions "
			       "go in health { })", t->name);
			break;
		}
	if (t->nlevels > 1)
		err_at(k, t->levels[1].pos, "trigger '%s': a health trigger has no levels", t->name);
	if (t->nlevels == 0)
		t->nlevels = 1;
}

static void check_trigger(struct checker *k, struct conf_trigger *t)
{
	int ix;

	if (t->health.on)
		check_health(k, t);
	else if (t->nnetworks == 0)
		err_at(k, t->pos, "trigger '%s' has no networks", t->name);
	for (unsigned i = 0; i < t->nnetworks; i++) {
		FIND(k, k->c->plists, k->c->nplists, t->networks[i].name, ix);
		if (ix < 0)
			err_at(k, t->networks[i].pos, "unknown prefix list '%s'", t->networks[i].name);
		else
			t->networks[i].idx = (unsigned)ix;
	}
	if (t->directions == 0)
		t->directions = DIR_INGRESS | DIR_EGRESS;
	if (t->nlevels == 0)
		err_at(k, t->pos, "trigger '%s' has no thresholds", t->name);
	if (t->nlevels > 1)
		plain_names(k, "level", t->levels + 1, t->nlevels - 1, sizeof(struct conf_level),
			    offsetof(struct conf_level, name), offsetof(struct conf_level, pos));
	for (unsigned l = 0; l < t->nlevels; l++) {
		struct conf_level *lv = &t->levels[l];
		bool any = false;
		for (unsigned m = 0; m < M_COUNT; m++)
			any |= lv->thr[m] != 0;
		if (!any && (l > 0 || t->nlevels == 1) && !t->health.on)
			err_at(k, l ? lv->pos : t->pos, "%s%s%s has no thresholds", l ? "level '" : "trigger '",
			       l ? lv->name : t->name, "'");
		for (unsigned l2 = 1; l2 < l; l2++)
			if (lv->name && t->levels[l2].name && !strcmp(lv->name, t->levels[l2].name))
				err_at(k, lv->pos, "duplicate level '%s'", lv->name);
		for (unsigned i = 0; i < lv->nactions; i++) {
			FIND(k, k->c->actions, k->c->nactions, lv->actions[i].name, ix);
			if (ix < 0)
				err_at(k, lv->actions[i].pos, "unknown action '%s'", lv->actions[i].name);
			else
				lv->actions[i].idx = (unsigned)ix;
		}
	}
	if (t->filter)
		check_filter(k, t->filter);
	if (t->filter_expr) {
		struct ra_err e;
		struct ra_filter *f;
		ra_err_clear(&e);
		f = flt_compile(t->filter_expr, &e);
		if (!f) {
			struct conf_pos p = t->filter_expr_pos;
			const char *m = e.msg;
			if (strncmp(m, "column ", 7) == 0 && strchr(m, ':'))
				m = strchr(m, ':') + 2;
			p.col += (unsigned)(e.offset ? e.offset : 1);
			err_at(k, p, "filter-expression: %s", m);
		}
		flt_free(f);
	}
}

bool conf_check(struct conf *c, bool check_scripts, conf_report report, void *ctx)
{
	struct checker k = { c, report, ctx, 0 };
	int ix;

	DUPS(&k, "agent", c->agents, c->nagents, struct conf_agent);
	DUPS(&k, "prefix list", c->plists, c->nplists, struct conf_plist);
	DUPS(&k, "interface", c->ifaces, c->nifaces, struct conf_iface);
	DUPS(&k, "action", c->actions, c->nactions, struct conf_action);
	DUPS(&k, "trigger", c->triggers, c->ntriggers, struct conf_trigger);
	for (unsigned i = 0; i < c->nlistens; i++) {
		struct conf_prefix p;
		if (!conf_prefix_parse(c->listens[i].host, &p) || strchr(c->listens[i].host, '/'))
			err_at(&k, c->listens[i].pos, "listen: '%s' is not an IPv4 or IPv6 address",
			       c->listens[i].host);
	}
	for (unsigned i = 0; i < c->nifaces; i++)
		for (unsigned j = 0; j < c->ifaces[i].n; j++) {
			struct conf_ifref *r = &c->ifaces[i].v[j];
			FIND(&k, c->agents, c->nagents, r->agent_name, ix);
			if (ix < 0)
				err_at(&k, r->pos, "unknown agent '%s'", r->agent_name ? r->agent_name : "");
			else
				r->agent = (unsigned)ix;
		}
	for (unsigned i = 0; i < c->nactions; i++)
		for (unsigned j = 0; j < c->actions[i].nscripts; j++) {
			if (c->actions[i].scripts[j].events == 0)
				err_at(&k, c->actions[i].scripts[j].pos, "script '%s' has no events [ ban unban ]",
				       c->actions[i].scripts[j].path);
			if (check_scripts)
				check_script(&k, &c->actions[i].scripts[j]);
		}
	for (unsigned i = 0; i < c->ntriggers; i++)
		check_trigger(&k, &c->triggers[i]);
	if (c->status_file && c->dump_interval == 0)
		err_at(&k, (struct conf_pos){ 1, 1 }, "status-file: dump-interval must be at least 1");
	if (k.errors > CONF_MAX_ERRORS) {
		char line[600];
		snprintf(line, sizeof(line), "%s: %u more errors not shown", c->path, k.errors - CONF_MAX_ERRORS);
		report(ctx, line);
	}
	return k.errors == 0;
}

static void free_filter(struct conf_filter *f)
{
	for (unsigned i = 0; i < f->nkids; i++)
		free_filter(&f->kids[i]);
	free(f->kids);
	free(f->ref.name);
}

static void free_refs(struct conf_ref *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		free(r[i].name);
	free(r);
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->nlistens; i++)
		free(c->listens[i].host);
	free(c->listens);
	for (unsigned i = 0; i < c->nagents; i++) {
		free(c->agents[i].name);
		free(c->agents[i].addrs);
	}
	free(c->agents);
	for (unsigned i = 0; i < c->nplists; i++) {
		free(c->plists[i].name);
		free(c->plists[i].v);
	}
	free(c->plists);
	for (unsigned i = 0; i < c->nifaces; i++) {
		for (unsigned j = 0; j < c->ifaces[i].n; j++)
			free(c->ifaces[i].v[j].agent_name);
		free(c->ifaces[i].name);
		free(c->ifaces[i].v);
	}
	free(c->ifaces);
	for (unsigned i = 0; i < c->nactions; i++) {
		for (unsigned j = 0; j < c->actions[i].nscripts; j++) {
			struct conf_script *s = &c->actions[i].scripts[j];
			for (unsigned e = 0; e < s->nenv; e++)
				free(s->env[e]);
			free(s->env);
			free(s->path);
		}
		free(c->actions[i].scripts);
		free(c->actions[i].name);
	}
	free(c->actions);
	for (unsigned i = 0; i < c->ntriggers; i++) {
		struct conf_trigger *t = &c->triggers[i];
		free(t->name);
		free_refs(t->networks, t->nnetworks);
		for (unsigned l = 0; l < t->nlevels; l++) {
			free(t->levels[l].name);
			free_refs(t->levels[l].actions, t->levels[l].nactions);
		}
		if (t->filter) {
			free_filter(t->filter);
			free(t->filter);
		}
		free(t->filter_expr);
	}
	free(c->triggers);
	free(c->status_file);
	free(c->state_file);
	free(c->path);
	free(c);
}
